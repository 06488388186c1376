//! Gain reduction follows the Sidechain input with Key = External, and ignores it with
//! Key = Internal.

mod common;

use clap_host::{blocks, PluginInstance};
use common::*;

const SR: f64 = 48_000.0;
/// Length of one loud or silent key segment, in samples (1 s).
const SEG: usize = 48_000;
/// Four segments: key loud, silent, loud, silent.
const LEN: usize = 4 * SEG;

/// Main: 1 kHz at -40 dBFS peak, far below the -30 dB threshold (and below the knee).
fn quiet_main() -> Vec<Vec<f32>> {
    sine(LEN, SR, 1000.0, 0.01)
}

/// Key: 150 Hz at -6 dBFS peak in segments 0 and 2, silence in 1 and 3.
fn alternating_key() -> Vec<Vec<f32>> {
    let mut key = sine(LEN, SR, 150.0, 0.5);
    for ch in key.iter_mut() {
        for seg in [1, 3] {
            ch[seg * SEG..(seg + 1) * SEG].fill(0.0);
        }
    }
    key
}

fn compressor(key: &str) -> PluginInstance {
    compressing_instance(key, 0.0, SR, 512)
}

/// Output level relative to input level (dB) over the last 70 % of segment `seg`, compensating the
/// reported latency.
fn segment_gain_db(input: &[Vec<f32>], output: &[Vec<f32>], seg: usize, latency: usize) -> f64 {
    let from = seg * SEG + SEG * 3 / 10;
    let to = (seg + 1) * SEG;
    let inp = rms(input, from..to - latency);
    let out = rms(output, from + latency..to);
    db(out / inp)
}

#[test]
fn external_key_drives_gain_reduction() {
    let main = quiet_main();
    let key = alternating_key();
    let mut plugin = compressor("External");
    let latency = plugin.latency().unwrap() as usize;
    let out = plugin
        .render(&main, &key, &blocks::fixed(LEN, 512))
        .unwrap();
    assert!(first_non_finite(&out).is_none());

    let gains: Vec<f64> = (0..4)
        .map(|s| segment_gain_db(&main, &out, s, latency))
        .collect();
    eprintln!("segment gains (dB), key loud/silent/loud/silent: {gains:.2?}");
    for seg in [0, 2] {
        // Key 24 dB over threshold at 4:1 -> about 18 dB of reduction; demand at least 6.
        assert!(
            gains[seg] < -6.0,
            "key loud in segment {seg} but the gain is only {:.2} dB",
            gains[seg]
        );
    }
    for seg in [1, 3] {
        assert!(
            gains[seg].abs() < 1.0,
            "key silent in segment {seg} but the gain is {:.2} dB",
            gains[seg]
        );
    }
}

#[test]
fn internal_key_ignores_the_sidechain() {
    let main = quiet_main();
    let key = alternating_key();
    let parts = blocks::fixed(LEN, 512);

    let mut with_key = compressor("Internal");
    let latency = with_key.latency().unwrap() as usize;
    let out = with_key.render(&main, &key, &parts).unwrap();

    let mut without_key = compressor("Internal");
    let reference = without_key.render(&main, &silence(LEN), &parts).unwrap();

    let diff = max_abs_diff(&out, &reference);
    assert!(
        diff <= 1e-7,
        "with Key = Internal the sidechain changed the output by {diff:e}"
    );
    for seg in 0..4 {
        let g = segment_gain_db(&main, &out, seg, latency);
        assert!(
            g.abs() < 0.5,
            "quiet main below threshold, Key = Internal, segment {seg}: gain {g:.2} dB"
        );
    }
}

#[test]
fn internal_key_compresses_a_loud_main_signal() {
    // The counterpart of the test above, so it cannot pass with a compressor that does nothing.
    let main = sine(LEN, SR, 1000.0, 0.5);
    let mut plugin = compressor("Internal");
    let latency = plugin.latency().unwrap() as usize;
    let out = plugin
        .render(&main, &silence(LEN), &blocks::fixed(LEN, 512))
        .unwrap();
    let g = segment_gain_db(&main, &out, 2, latency);
    assert!(g < -6.0, "loud main with Key = Internal: gain {g:.2} dB");
}
