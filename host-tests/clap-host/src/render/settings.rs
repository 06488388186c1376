//! Setting an instance's parameters from the session (by display name) and from presets (by stable
//! id), refusing unknown parameters, unreadable text and values outside the range.

use crate::{parse_display_number, ParamInfo, PluginInstance};

use super::param_id::clap_param_id;
use super::presets::PresetValue;
use super::session::{list, ParamValue};

/// Number of digits after the decimal point in the leading number of a display text.
fn decimals(text: &str) -> i32 {
    let t = text.trim();
    let Some(dot) = t.find('.') else { return 0 };
    t[dot + 1..].chars().take_while(char::is_ascii_digit).count() as i32
}

/// The texts of every step of a stepped parameter (`Internal, External`).
fn step_texts(plugin: &PluginInstance, info: &ParamInfo) -> Vec<String> {
    let (lo, hi) = (info.min.round() as i64, info.max.round() as i64);
    if !info.is_stepped() || hi - lo > 64 {
        return Vec::new();
    }
    (lo..=hi).filter_map(|v| plugin.value_to_text(info.id, v as f64).ok()).collect()
}

/// `"-60.0 dB .. 0.0 dB"`, or the steps of a stepped parameter.
fn describe_range(plugin: &PluginInstance, info: &ParamInfo) -> String {
    let steps = step_texts(plugin, info);
    if !steps.is_empty() {
        return format!("one of {}", list(steps.iter().map(|s| format!("\"{s}\""))));
    }
    let text = |v| plugin.value_to_text(info.id, v).unwrap_or_else(|_| v.to_string());
    format!("{} .. {}", text(info.min), text(info.max))
}

/// Sets `info` from a number in display units, after checking it against the displayed range.
fn set_display_number(plugin: &mut PluginInstance, info: &ParamInfo, value: f64) -> Result<(), String> {
    let out_of_range = || format!("`{}` = {value} is out of range: {}", info.name, describe_range(plugin, info));
    if !value.is_finite() {
        return Err(out_of_range());
    }
    let lo_text = plugin.value_to_text(info.id, info.min).map_err(|e| e.to_string())?;
    let hi_text = plugin.value_to_text(info.id, info.max).map_err(|e| e.to_string())?;
    if let (Some(lo), Some(hi)) = (parse_display_number(&lo_text), parse_display_number(&hi_text)) {
        let (lo, hi) = (lo.min(hi), lo.max(hi));
        let tolerance = 0.5 * 10f64.powi(-decimals(&lo_text).max(decimals(&hi_text)));
        if value < lo - tolerance || value > hi + tolerance {
            return Err(out_of_range());
        }
    }
    plugin.set_param_by_name(&info.name, value).map(|_| ()).map_err(|e| {
        let steps = step_texts(plugin, info);
        if steps.is_empty() {
            format!("`{}` = {value}: {e}", info.name)
        } else {
            format!("`{}` = {value}: give one of {} as text", info.name, list(steps.iter().map(|s| format!("\"{s}\""))))
        }
    })
}

/// Sets `info` from display text, checked by the plugin's own `text_to_value`.
fn set_text(plugin: &mut PluginInstance, info: &ParamInfo, text: &str) -> Result<(), String> {
    let refused = |plugin: &PluginInstance| {
        format!("`{}` = \"{text}\" is not a value of this parameter; valid: {}", info.name, describe_range(plugin, info))
    };
    let value = plugin.text_to_value(info.id, text).map_err(|_| refused(plugin))?;
    if !(value.is_finite() && (info.min..=info.max).contains(&value)) {
        return Err(refused(plugin));
    }
    plugin.set_param(info.id, value).map_err(|e| format!("`{}` = \"{text}\": {e}", info.name))
}

/// Applies session values by host-visible parameter name.
pub fn apply_params(plugin: &mut PluginInstance, values: &[(String, ParamValue)]) -> Result<(), String> {
    let params = plugin.params().map_err(|e| e.to_string())?;
    for (name, value) in values {
        let info = params.iter().find(|p| &p.name == name).ok_or_else(|| {
            format!("unknown parameter `{name}`; valid names: {}", list(params.iter().map(|p| format!("\"{}\"", p.name))))
        })?;
        match value {
            ParamValue::Number(x) => set_display_number(plugin, info, *x)?,
            ParamValue::Text(t) => set_text(plugin, info, t)?,
        }
    }
    Ok(())
}

/// Applies preset values by stable parameter id. `origin` names the preset in errors.
///
/// A plain number becomes display units first. NOTE: nice-plug percentages are the one kind whose
/// plain value (0..1) differs from the displayed number (0..100 %), and their text parser divides
/// by 100, so a parameter whose text ends in `%` gets the plain value times 100. Every other
/// parameter of the suite displays its plain value (dB, ms, Hz, ratio; kHz texts are read back as
/// Hz), which the round-trip check of `set_param_by_name` confirms.
pub fn apply_preset(plugin: &mut PluginInstance, values: &[(String, PresetValue)], origin: &str) -> Result<(), String> {
    let params = plugin.params().map_err(|e| e.to_string())?;
    for (id, value) in values {
        let info = params.iter().find(|p| p.id == clap_param_id(id)).ok_or_else(|| {
            format!(
                "{origin} sets parameter id `{id}`, which this plugin does not have (its parameters: {})",
                list(params.iter().map(|p| format!("\"{}\"", p.name)))
            )
        })?;
        let result = match value {
            PresetValue::Plain(x) => {
                let shown = plugin.value_to_text(info.id, info.default).map_err(|e| e.to_string())?;
                let display = if shown.trim_end().ends_with('%') { x * 100.0 } else { *x };
                set_display_number(plugin, info, display)
            }
            PresetValue::Text(t) => set_text(plugin, info, t),
        };
        result.map_err(|e| format!("{origin}, id `{id}`: {e}"))?;
    }
    Ok(())
}
