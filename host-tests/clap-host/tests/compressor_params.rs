//! The bus compressor's ports and parameters, as the built CLAP binary reports them.

mod common;

use clap_host::{parse_display_number, ParamInfo, PluginInstance};
use common::*;

/// A continuous parameter: display name, display min, max, default, display unit.
const FLOATS: &[(&str, f64, f64, f64, &str)] = &[
    ("Threshold", -60.0, 0.0, -18.0, "dB"),
    ("Ratio", 1.0, 20.0, 2.0, ""),
    ("Attack", 0.1, 100.0, 10.0, "ms"),
    ("Release", 5.0, 2000.0, 150.0, "ms"),
    ("Knee", 0.0, 24.0, 6.0, "dB"),
    ("Makeup", 0.0, 24.0, 0.0, "dB"),
    ("Mix", 0.0, 100.0, 100.0, "%"),
    ("Output", -24.0, 24.0, 0.0, "dB"),
    ("Key HPF", 20.0, 500.0, 20.0, "Hz"),
    ("Stereo Link", 0.0, 100.0, 100.0, "%"),
    ("Lookahead", 0.0, 10.0, 0.0, "ms"),
];

/// Booleans: name, default (on = true).
const BOOLS: &[(&str, bool)] = &[
    ("Auto Release", false),
    ("Key Listen", false),
    ("Bypass", false),
];

/// Enums: name, variants in index order, default index.
const ENUMS: &[(&str, &[&str], usize)] = &[
    ("Key", &["Internal", "External"], 0),
    ("Detector", &["Peak", "RMS"], 0),
];

/// Reads a display text in `unit`, accepting a seconds display for ms parameters.
fn display_in(text: &str, unit: &str) -> f64 {
    let v = parse_display_number(text).unwrap_or_else(|| panic!("{text:?} is not a number"));
    let t = text.trim_end();
    if unit == "ms" && t.ends_with(" s") && !t.ends_with(" ms") {
        v * 1000.0
    } else {
        v
    }
}

/// Half a unit in the last displayed digit, plus a hair.
fn display_tolerance(text: &str) -> f64 {
    let decimals = text.find('.').map_or(0, |dot| {
        text[dot + 1..]
            .chars()
            .take_while(char::is_ascii_digit)
            .count()
    });
    0.5 * 10f64.powi(-(decimals as i32)) + 1e-9
}

fn info(plugin: &PluginInstance, name: &str) -> ParamInfo {
    plugin.param_info(name).unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn ports_are_stereo_main_plus_stereo_sidechain() {
    let plugin = bus_compressor();
    let ports = plugin.audio_ports().unwrap();
    assert_eq!(
        ports.inputs.len(),
        2,
        "expected main + sidechain inputs, got {ports:?}"
    );
    assert_eq!(ports.outputs.len(), 1, "expected one output, got {ports:?}");

    let main_in = &ports.inputs[0];
    assert!(
        main_in.is_main(),
        "input 0 is not flagged main: {main_in:?}"
    );
    assert_eq!(main_in.channel_count, 2);
    assert_eq!(main_in.name, "Input");

    let side = &ports.inputs[1];
    assert!(
        !side.is_main(),
        "the sidechain must not be flagged main: {side:?}"
    );
    assert_eq!(side.channel_count, 2, "sidechain {side:?}");
    assert_eq!(side.name, "Sidechain");

    let out = &ports.outputs[0];
    assert!(out.is_main(), "output 0 is not flagged main: {out:?}");
    assert_eq!(out.channel_count, 2);
    assert_ne!(
        out.name, "Input",
        "main output named \"Input\" (nice-plug defect 3)"
    );
    assert_eq!(out.name, "Output");
    for port in [main_in, side, out] {
        assert_eq!(port.port_type.as_deref(), Some("stereo"), "{port:?}");
    }
}

#[test]
fn every_documented_parameter_exists_once() {
    let plugin = bus_compressor();
    let params = plugin.params().unwrap();
    let expected: Vec<&str> = FLOATS
        .iter()
        .map(|f| f.0)
        .chain(BOOLS.iter().map(|b| b.0))
        .chain(ENUMS.iter().map(|e| e.0))
        .collect();
    for name in &expected {
        let n = params.iter().filter(|p| p.name == *name).count();
        assert_eq!(
            n,
            1,
            "parameter {name:?} appears {n} times; the plugin has {:?}",
            params.iter().map(|p| &p.name).collect::<Vec<_>>()
        );
    }
    let mut ids: Vec<u32> = params.iter().map(|p| p.id).collect();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), params.len(), "duplicate CLAP parameter ids");
    for p in &params {
        assert!(
            p.min.is_finite() && p.max.is_finite() && p.default.is_finite(),
            "{p:?}"
        );
        assert!(p.min < p.max, "empty range {p:?}");
        assert!(
            p.min <= p.default && p.default <= p.max,
            "default outside range {p:?}"
        );
        let v = plugin.param_value(p.id).unwrap();
        assert_eq!(
            v, p.default,
            "fresh instance: {} is {v}, its default is {}",
            p.name, p.default
        );
    }
}

#[test]
fn continuous_parameters_span_the_documented_ranges() {
    let plugin = bus_compressor();
    let mut problems = Vec::new();
    for &(name, min, max, default, unit) in FLOATS {
        let p = info(&plugin, name);
        assert!(!p.is_stepped(), "{name} should be continuous: {p:?}");
        assert!(p.is_automatable(), "{name} should be automatable: {p:?}");
        for (what, clap_value, want) in [
            ("min", p.min, min),
            ("max", p.max, max),
            ("default", p.default, default),
        ] {
            let text = plugin.value_to_text(p.id, clap_value).unwrap();
            let shown = display_in(&text, unit);
            if (shown - want).abs() > display_tolerance(&text) {
                problems.push(format!(
                    "{name} {what}: displays {text:?}, expected {want} {unit}"
                ));
            }
            let unit_shown =
                unit.is_empty() || text.contains(unit) || (unit == "ms" && text.ends_with(" s"));
            if !unit_shown {
                problems.push(format!("{name} {what}: {text:?} lacks the unit {unit:?}"));
            }
        }
    }
    assert!(problems.is_empty(), "{problems:#?}");
}

#[test]
fn stepped_parameters_have_the_documented_values() {
    let plugin = bus_compressor();
    for &(name, default_on) in BOOLS {
        let p = info(&plugin, name);
        assert!(p.is_stepped(), "{name}: {p:?}");
        assert_eq!((p.min, p.max), (0.0, 1.0), "{name}: CLAP range");
        assert_eq!(
            p.default,
            if default_on { 1.0 } else { 0.0 },
            "{name}: default"
        );
    }
    let bypass = info(&plugin, "Bypass");
    assert!(
        bypass.is_bypass(),
        "Bypass lacks CLAP_PARAM_IS_BYPASS: {bypass:?}"
    );
    let bypass_flags = plugin
        .params()
        .unwrap()
        .iter()
        .filter(|p| p.is_bypass())
        .count();
    assert_eq!(
        bypass_flags, 1,
        "exactly one parameter must carry the bypass flag"
    );

    for &(name, variants, default) in ENUMS {
        let p = info(&plugin, name);
        assert!(p.is_stepped(), "{name}: {p:?}");
        assert_eq!(
            (p.min, p.max),
            (0.0, (variants.len() - 1) as f64),
            "{name}: CLAP range"
        );
        assert_eq!(p.default, default as f64, "{name}: default");
        for (i, v) in variants.iter().enumerate() {
            assert_eq!(
                plugin.value_to_text(p.id, i as f64).unwrap(),
                *v,
                "{name} value {i}"
            );
            assert_eq!(
                plugin.text_to_value(p.id, v).unwrap(),
                i as f64,
                "{name} text {v:?}"
            );
        }
    }
}

#[test]
fn display_values_round_trip_through_the_plugin() {
    let mut plugin = bus_compressor();
    for (name, value) in [
        ("Threshold", -30.0),
        ("Ratio", 4.0),
        ("Attack", 5.0),
        ("Release", 100.0),
        ("Mix", 50.0),
        ("Lookahead", 1.5),
        ("Key HPF", 100.0),
        ("Stereo Link", 25.0),
    ] {
        plugin
            .set_param_by_name(name, value)
            .unwrap_or_else(|e| panic!("{e}"));
        let shown = plugin.param_display_value(name).unwrap();
        assert!(
            (shown - value).abs() <= 0.051 * value.abs().max(1.0),
            "{name}: set {value}, displays {shown}"
        );
    }
    plugin.set_param_text("Key", "External").unwrap();
    assert_eq!(plugin.param_text("Key").unwrap(), "External");
}
