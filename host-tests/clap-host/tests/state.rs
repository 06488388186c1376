//! State save/load through clap.state: round trips, partial stream reads and writes, and
//! rejection of broken data.

mod common;

use clap_host::{blocks, PluginInstance, Rng};
use common::*;

/// Non-default settings for every documented parameter except Bypass.
const NUMBERS: &[(&str, f64)] = &[
    ("Threshold", -42.0),
    ("Ratio", 6.0),
    ("Attack", 3.0),
    ("Release", 400.0),
    ("Knee", 3.0),
    ("Makeup", 4.0),
    ("Mix", 70.0),
    ("Output", -2.0),
    ("Key HPF", 120.0),
    ("Stereo Link", 50.0),
    ("Lookahead", 4.0),
];
const TEXTS: &[(&str, &str)] = &[
    ("Auto Release", "On"),
    ("Key", "External"),
    ("Detector", "RMS"),
];

fn configured() -> PluginInstance {
    let mut plugin = bus_compressor();
    set_params(&mut plugin, NUMBERS, TEXTS);
    plugin
}

fn values(plugin: &PluginInstance) -> Vec<(String, f64)> {
    plugin
        .params()
        .unwrap()
        .into_iter()
        .map(|p| (p.name.clone(), plugin.param_value(p.id).unwrap()))
        .collect()
}

fn assert_same_values(a: &[(String, f64)], b: &[(String, f64)], context: &str) {
    assert_eq!(a.len(), b.len(), "{context}: parameter count");
    let diffs: Vec<_> = a
        .iter()
        .zip(b)
        .filter(|(x, y)| x.0 != y.0 || (x.1 - y.1).abs() > 1e-9)
        .collect();
    assert!(diffs.is_empty(), "{context}: values differ: {diffs:?}");
}

#[test]
fn settings_actually_differ_from_defaults() {
    // Guards the round-trip tests: a state that only holds defaults would prove nothing.
    let plugin = configured();
    for p in plugin.params().unwrap() {
        if p.name == "Bypass" || p.name == "Key Listen" {
            continue;
        }
        assert_ne!(
            plugin.param_value(p.id).unwrap(),
            p.default,
            "{} is still at its default",
            p.name
        );
    }
}

#[test]
fn state_round_trips_into_a_fresh_instance() {
    let mut a = configured();
    let saved = a.save_state().unwrap();
    assert!(!saved.is_empty());

    let mut b = bus_compressor();
    b.load_state(&saved).unwrap();
    assert_same_values(&values(&a), &values(&b), "fresh instance after load");

    // The same bytes again from b: saving is deterministic and complete.
    let resaved = b.save_state().unwrap();
    let mut c = bus_compressor();
    c.load_state(&resaved).unwrap();
    assert_same_values(&values(&a), &values(&c), "second generation");
}

#[test]
fn state_survives_one_byte_stream_chunks() {
    let mut a = configured();
    let saved = a.save_state_chunked(1).unwrap();
    assert_eq!(
        saved,
        a.save_state().unwrap(),
        "a 1-byte write stream changed the saved bytes"
    );
    let mut b = bus_compressor();
    b.load_state_chunked(&saved, 1).unwrap();
    assert_same_values(&values(&a), &values(&b), "after 1-byte reads");
    let mut c = bus_compressor();
    c.load_state_chunked(&saved, 7).unwrap();
    assert_same_values(&values(&a), &values(&c), "after 7-byte reads");
}

#[test]
fn loaded_state_drives_the_dsp_like_the_original() {
    let sr = 48_000.0;
    let len = 48_000;
    let mut rng = Rng::new(5);
    let main: Vec<Vec<f32>> = (0..2)
        .map(|_| (0..len).map(|_| 0.5 * rng.bipolar()).collect())
        .collect();
    let key = sine(len, sr, 200.0, 0.7);
    let parts = blocks::fixed(len, 256);

    let mut a = configured();
    let saved = a.save_state().unwrap();
    a.activate(sr, 256).unwrap();
    let out_a = a.render(&main, &key, &parts).unwrap();

    // Load into an instance that is already active and processing, as on a DAW's preset recall.
    let mut b = bus_compressor();
    b.activate(sr, 256).unwrap();
    b.render(&silence(256), &silence(256), &[256]).unwrap();
    b.load_state(&saved).unwrap();
    b.service_host_requests().unwrap();
    // Start from the same DSP state as `a`: reactivate (this also applies the new latency).
    b.deactivate();
    b.activate(sr, 256).unwrap();
    assert_eq!(
        a.latency().unwrap(),
        b.latency().unwrap(),
        "latency after loading the state"
    );
    let out_b = b.render(&main, &key, &parts).unwrap();

    let diff = max_abs_diff(&out_a, &out_b);
    assert!(
        diff <= 1e-6,
        "same state, same input, outputs differ by {diff:e}"
    );
    let unprocessed = max_abs_diff(&out_a, &main);
    assert!(
        unprocessed > 1e-3,
        "the configured compressor left the signal untouched"
    );
}

/// Loads `bytes` into a configured instance; the plugin must either reject them and keep its
/// previous values, or accept them and keep working.
fn check_broken_state(label: &str, bytes: &[u8]) {
    let mut plugin = configured();
    let before = values(&plugin);
    let result = plugin.load_state(bytes);
    let after = values(&plugin);
    match &result {
        Err(_) => assert_same_values(
            &before,
            &after,
            &format!("{label}: rejected load changed parameters"),
        ),
        Ok(()) => eprintln!("note: {label}: the plugin accepted this state"),
    }
    for p in plugin.params().unwrap() {
        let v = plugin.param_value(p.id).unwrap();
        assert!(
            v.is_finite() && v >= p.min && v <= p.max,
            "{label}: {} = {v} outside {}..={}",
            p.name,
            p.min,
            p.max
        );
    }
    plugin.activate(48_000.0, 512).unwrap();
    let input = sine(24_000, 48_000.0, 440.0, 0.5);
    let out = plugin
        .render(&input, &input, &blocks::fixed(24_000, 512))
        .unwrap();
    assert!(
        first_non_finite(&out).is_none(),
        "{label}: non-finite output after the load"
    );
    assert!(
        rms(&out, 0..24_000) > 1e-4,
        "{label}: silent output after the load"
    );
    // The state can still be saved and restored.
    let saved = plugin.save_state().unwrap();
    bus_compressor().load_state(&saved).unwrap();
}

#[test]
fn broken_states_are_rejected_without_crashing() {
    isolated("broken_states_are_rejected_without_crashing", || {
        let valid = configured().save_state().unwrap();
        let mut rng = Rng::new(77);
        let random: Vec<u8> = (0..1000).map(|_| rng.next_u64() as u8).collect();
        let mut flipped = valid.clone();
        let mid = flipped.len() / 2;
        flipped[mid] ^= 0x5a;
        let mut huge_length = u64::MAX.to_le_bytes().to_vec();
        huge_length.extend_from_slice(b"{}");
        let mut short_length = 4u64.to_le_bytes().to_vec();
        short_length.extend_from_slice(&valid[8..]);
        let mut long_length = ((valid.len() - 8) as u64 * 2).to_le_bytes().to_vec();
        long_length.extend_from_slice(&valid[8..]);
        let mut wrong_types = Vec::new();
        let json = br#"{"version":"0.0.0","params":{"thresh":"loud","ratio":[1,2],"mix":1e999},"fields":{}}"#;
        wrong_types.extend_from_slice(&(json.len() as u64).to_le_bytes());
        wrong_types.extend_from_slice(json);

        let cases: Vec<(&str, Vec<u8>)> = vec![
            ("empty", Vec::new()),
            ("three bytes", vec![1, 2, 3]),
            ("random bytes", random),
            ("truncated to half", valid[..valid.len() / 2].to_vec()),
            ("truncated by one byte", valid[..valid.len() - 1].to_vec()),
            ("one byte flipped", flipped),
            ("length prefix u64::MAX", huge_length),
            ("length prefix too short", short_length),
            ("length prefix too long", long_length),
            ("wrong value types", wrong_types),
        ];
        for (label, bytes) in &cases {
            check_broken_state(label, bytes);
        }
        // Empty and truncated data cannot be a valid state: these must be rejected outright.
        for label in [
            "empty",
            "three bytes",
            "truncated to half",
            "truncated by one byte",
        ] {
            let bytes = &cases.iter().find(|c| c.0 == label).unwrap().1;
            assert!(
                configured().load_state(bytes).is_err(),
                "{label}: load_state returned true"
            );
        }
    });
}

/// Splits nice-plug's CLAP state (an 8-byte little-endian length, then JSON) into its JSON text.
fn state_json(bytes: &[u8]) -> String {
    assert!(bytes.len() >= 8, "state shorter than its length prefix");
    let len = u64::from_le_bytes(bytes[..8].try_into().unwrap()) as usize;
    assert_eq!(len, bytes.len() - 8, "length prefix does not match the state");
    String::from_utf8(bytes[8..].to_vec()).expect("nice-plug state is JSON text")
}

/// Frames JSON text as nice-plug's CLAP state.
fn state_bytes(json: &str) -> Vec<u8> {
    let mut out = (json.len() as u64).to_le_bytes().to_vec();
    out.extend_from_slice(json.as_bytes());
    out
}

/// The editor size is a persisted field of the state: a size written into the state comes back
/// from a fresh instance that loaded it (so a reopened session reopens the editor at its size).
#[test]
fn editor_size_persists_in_the_state() {
    let mut plugin = bus_compressor();
    let text = state_json(&plugin.save_state().unwrap());
    let default_size = r#"{\"width\":880,\"height\":560}"#;
    assert!(
        text.contains("editor-size") && text.contains(default_size),
        "no default editor size in the state: {text}"
    );
    let resized = text.replace(default_size, r#"{\"width\":1234,\"height\":777}"#);
    let mut fresh = bus_compressor();
    fresh.load_state(&state_bytes(&resized)).expect("state with a new editor size rejected");
    let again = state_json(&fresh.save_state().unwrap());
    assert!(
        again.contains(r#"{\"width\":1234,\"height\":777}"#),
        "editor size did not survive a load/save: {again}"
    );
}
