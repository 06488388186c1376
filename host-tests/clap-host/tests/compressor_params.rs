//! The bus compressor's ports and parameters, as the built CLAP binary reports them.

mod common;

use clap_host::parse_display_number;
use common::params::*;
use common::*;

/// A continuous parameter: display name, display min, max, default, display unit.
const FLOATS: &[Float] = &[
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
    let expected: Vec<&str> = FLOATS
        .iter()
        .map(|f| f.0)
        .chain(BOOLS.iter().map(|b| b.0))
        .chain(ENUMS.iter().map(|e| e.0))
        .collect();
    assert_documented_parameters_at_defaults(&plugin, &expected, false, false);
}

#[test]
fn continuous_parameters_span_the_documented_ranges() {
    let plugin = bus_compressor();
    let problems = float_range_problems(&plugin, FLOATS, display_in, |text, unit| {
        let unit_shown =
            unit.is_empty() || text.contains(unit) || (unit == "ms" && text.ends_with(" s"));
        (!unit_shown).then(|| format!("{text:?} lacks the unit {unit:?}"))
    });
    assert!(problems.is_empty(), "{problems:#?}");
}

#[test]
fn stepped_parameters_have_the_documented_values() {
    let plugin = bus_compressor();
    for &(name, default_on) in BOOLS {
        assert_toggle(&plugin, name, default_on);
    }
    assert_only_bypass_is_flagged(&plugin);
    for &(name, variants, default) in ENUMS {
        assert_enum(&plugin, name, variants, default);
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
