//! Parameter values: choosing one in range from fuzz input, and snapshots to compare instances.

use clap_host::{ParamInfo, PluginInstance};

use crate::bytes::ByteReader;

/// A parameter value in CLAP units, anywhere in `min..=max` with the extremes and the default
/// drawn often; stepped parameters get whole steps (CLAP sends them as integers).
pub fn value_in_range(info: &ParamInfo, input: &mut ByteReader) -> f64 {
    let value = match input.u8() % 8 {
        0 => info.min,
        1 => info.max,
        2 => info.default,
        _ => info.min + (info.max - info.min) * (input.u32() as f64 / u32::MAX as f64),
    };
    let value = if info.is_stepped() { value.round() } else { value };
    value.clamp(info.min, info.max)
}

/// A parameter (any of `params`) and a value for it, from the input.
pub fn param_change(params: &[ParamInfo], input: &mut ByteReader) -> (u32, f64) {
    let info = &params[input.index(params.len())];
    (info.id, value_in_range(info, input))
}

/// Every parameter's id and current CLAP value, in the plugin's order.
pub fn snapshot(plugin: &PluginInstance) -> Vec<(u32, f64)> {
    plugin
        .params()
        .expect("params")
        .into_iter()
        .map(|p| (p.id, plugin.param_value(p.id).expect("param value")))
        .collect()
}

/// The parameters whose values differ by more than `tolerance` (bit-identical values when 0):
/// `(id, value in a, value in b)`.
pub fn differences(a: &[(u32, f64)], b: &[(u32, f64)], tolerance: f64) -> Vec<(u32, f64, f64)> {
    assert_eq!(a.len(), b.len(), "parameter count differs");
    a.iter()
        .zip(b)
        .filter(|((ia, va), (ib, vb))| {
            let same = if tolerance == 0.0 {
                va.to_bits() == vb.to_bits()
            } else {
                (va - vb).abs() <= tolerance
            };
            ia != ib || !same
        })
        .map(|(&(id, va), &(_, vb))| (id, va, vb))
        .collect()
}

/// Asserts every parameter of `plugin` is finite and inside its range.
pub fn assert_in_range(plugin: &PluginInstance, context: &str) {
    for p in plugin.params().expect("params") {
        let v = plugin.param_value(p.id).expect("param value");
        assert!(
            v.is_finite() && v >= p.min && v <= p.max,
            "{context}: `{}` = {v}, outside {}..={}",
            p.name,
            p.min,
            p.max
        );
    }
}
