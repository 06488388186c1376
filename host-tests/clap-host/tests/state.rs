//! State save/load through clap.state: round trips, partial stream reads and writes, and
//! rejection of broken data.

mod common;

use clap_host::{blocks, PluginInstance, Rng};
use common::state_checks::*;
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
    with_settings(bus_compressor, NUMBERS, TEXTS)
}

#[test]
fn settings_actually_differ_from_defaults() {
    // Guards the round-trip tests: a state that only holds defaults would prove nothing.
    assert_all_off_their_defaults(&configured(), &["Bypass", "Key Listen"]);
}

#[test]
fn state_round_trips_into_a_fresh_instance() {
    assert_state_round_trips(configured, bus_compressor, None);
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

/// Broken states that must be rejected outright: empty and truncated data cannot be a valid
/// state. The others may be accepted if harmless.
const MUST_REJECT: [&str; 4] = [
    "empty",
    "three bytes",
    "truncated to half",
    "truncated by one byte",
];

#[test]
fn broken_states_are_rejected_without_crashing() {
    isolated("broken_states_are_rejected_without_crashing", || {
        let valid = configured().save_state().unwrap();
        let mut short_length = 4u64.to_le_bytes().to_vec();
        short_length.extend_from_slice(&valid[8..]);
        let mut long_length = ((valid.len() - 8) as u64 * 2).to_le_bytes().to_vec();
        long_length.extend_from_slice(&valid[8..]);
        let wrong_types = state_bytes(
            r#"{"version":"0.0.0","params":{"thresh":"loud","ratio":[1,2],"mix":1e999},"fields":{}}"#,
        );
        let mut cases = broken_states(&valid);
        cases.extend([
            ("length prefix too short", short_length),
            ("length prefix too long", long_length),
            ("wrong value types", wrong_types),
        ]);
        let input = sine(24_000, 48_000.0, 440.0, 0.5);
        for (label, bytes) in &cases {
            check_broken_state(
                label,
                bytes,
                configured(),
                MUST_REJECT.contains(label),
                bus_compressor,
                |plugin| {
                    plugin.activate(48_000.0, 512).unwrap();
                    plugin
                        .render(&input, &input, &blocks::fixed(24_000, 512))
                        .unwrap()
                },
            );
        }
    });
}

/// The editor size is a persisted field of the state (so a reopened session reopens the editor at
/// its size).
#[test]
fn editor_size_persists_in_the_state() {
    assert_editor_size_persists(bus_compressor, (880, 560), (1234, 777));
}
