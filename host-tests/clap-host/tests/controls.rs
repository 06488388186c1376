//! What the documented controls do to the audio, through the binary: Key Listen, Key HPF,
//! Bypass, Mix and Output.

mod common;

use clap_host::{blocks, PluginInstance, Rng};
use common::*;

const SR: f64 = 48_000.0;
const LEN: usize = 48_000;

fn compressor(numbers: &[(&str, f64)], texts: &[(&str, &str)]) -> PluginInstance {
    let mut plugin = bus_compressor();
    set_params(&mut plugin, numbers, texts);
    plugin.activate(SR, 512).unwrap();
    plugin
}

fn noise(seed: u64, amp: f32) -> Vec<Vec<f32>> {
    let mut rng = Rng::new(seed);
    (0..2)
        .map(|_| (0..LEN).map(|_| amp * rng.bipolar()).collect())
        .collect()
}

/// Loud noise that the settings below compress by many dB.
const SQUASH: &[(&str, f64)] = &[
    ("Threshold", -40.0),
    ("Ratio", 8.0),
    ("Attack", 1.0),
    ("Lookahead", 3.0),
];

#[test]
fn key_listen_outputs_the_external_key() {
    let main = noise(1, 0.5);
    let key = sine(LEN, SR, 1000.0, 0.25);
    let mut plugin = compressor(SQUASH, &[("Key", "External"), ("Key Listen", "On")]);
    let latency = plugin.latency().unwrap() as usize;
    let out = plugin
        .render(&main, &key, &blocks::fixed(LEN, 512))
        .unwrap();
    // A 1 kHz key passes a 20 Hz high-pass essentially unchanged; the main noise must be gone.
    let window = LEN / 2..LEN;
    let level = db(rms(&out, window.clone()) / rms(&key, window.clone()));
    assert!(
        level.abs() < 1.0,
        "Key Listen: output {level:.2} dB relative to the key"
    );
    let residual = max_abs_diff(
        &out.iter()
            .map(|c| c[window.clone()].to_vec())
            .collect::<Vec<_>>(),
        &delayed(&key, latency, 1.0)
            .iter()
            .map(|c| c[window.clone()].to_vec())
            .collect::<Vec<_>>(),
    );
    assert!(
        residual < 0.05,
        "Key Listen output is not the (delayed) key: max difference {residual}"
    );
}

#[test]
fn key_hpf_removes_low_key_content_from_the_listen_signal() {
    let main = noise(2, 0.5);
    let low_key = sine(LEN, SR, 40.0, 0.5);
    let listen = |hpf: f64| {
        let mut plugin = compressor(
            &[("Key HPF", hpf)],
            &[("Key", "External"), ("Key Listen", "On")],
        );
        let out = plugin
            .render(&main, &low_key, &blocks::fixed(LEN, 512))
            .unwrap();
        rms(&out, LEN / 2..LEN)
    };
    let open = listen(20.0);
    let closed = listen(500.0);
    let drop_db = db(closed / open);
    assert!(
        drop_db < -20.0,
        "a 40 Hz key only dropped {drop_db:.1} dB with Key HPF at 500 Hz vs 20 Hz"
    );
}

#[test]
fn bypass_passes_the_input_delayed_by_the_reported_latency() {
    let main = noise(3, 0.5);
    let mut plugin = compressor(SQUASH, &[("Bypass", "On")]);
    let latency = plugin.latency().unwrap() as usize;
    assert!(latency > 0, "lookahead 3 ms should report latency");
    let out = plugin
        .render(&main, &main, &blocks::fixed(LEN, 512))
        .unwrap();
    let diff = max_abs_diff(&out, &delayed(&main, latency, 1.0));
    assert!(
        diff <= 1e-5,
        "bypassed output differs from the input delayed by {latency}: {diff:e}"
    );
}

#[test]
fn zero_mix_passes_the_dry_signal_aligned() {
    let main = noise(4, 0.5);
    let mut plugin = compressor(&[SQUASH, &[("Mix", 0.0)]].concat(), &[]);
    let latency = plugin.latency().unwrap() as usize;
    let out = plugin
        .render(&main, &main, &blocks::fixed(LEN, 512))
        .unwrap();
    let diff = max_abs_diff(&out, &delayed(&main, latency, 1.0));
    assert!(
        diff <= 1e-5,
        "Mix 0 %: output differs from the dry input delayed by {latency}: {diff:e}"
    );
}

#[test]
fn output_gain_scales_an_uncompressed_signal() {
    let main = noise(5, 0.1);
    let mut plugin = compressor(
        &[("Threshold", 0.0), ("Output", 6.0), ("Lookahead", 1.0)],
        &[],
    );
    let latency = plugin.latency().unwrap() as usize;
    let out = plugin
        .render(&main, &main, &blocks::fixed(LEN, 512))
        .unwrap();
    let gain = 10f32.powf(6.0 / 20.0);
    let diff = max_abs_diff(&out, &delayed(&main, latency, gain));
    assert!(
        diff <= 1e-4,
        "Output +6 dB: differs from input x {gain} delayed by {latency}: {diff:e}"
    );
}

#[test]
fn compression_is_real_without_the_controls_above() {
    // Counterpart: the same loud noise with SQUASH and nothing else is far from the dry signal.
    let main = noise(3, 0.5);
    let mut plugin = compressor(SQUASH, &[]);
    let latency = plugin.latency().unwrap() as usize;
    let out = plugin
        .render(&main, &main, &blocks::fixed(LEN, 512))
        .unwrap();
    let level = db(rms(&out, LEN / 2..LEN) / rms(&main, LEN / 2 - latency..LEN - latency));
    assert!(
        level < -10.0,
        "SQUASH settings only changed the level by {level:.1} dB"
    );
}
