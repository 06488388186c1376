//! Attack and release reach 1 - 1/e of a step at the set time constant, within 2%, at random rates.
mod common;
use common::*;
use shared_dsp::ballistics::Ballistics;
use shared_dsp::compressor::{Compressor, CompressorSettings, Key};
use shared_dsp::units::gain_to_db;

const FRACTION: f32 = 1.0 - 0.367_879_44; // 1 - 1/e

/// Time in samples, linearly interpolated between samples, at which the step response `values`
/// crosses `level` (upwards if `rising`). `values[j]` is the output after `j + 1` samples of the step;
/// `start` is the value before the step.
fn crossing_time(values: &[f32], start: f32, level: f32, rising: bool) -> f32 {
    let j = values
        .iter()
        .position(|&v| if rising { v >= level } else { v <= level })
        .expect("never crossed");
    let prev = if j == 0 { start } else { values[j - 1] };
    j as f32 + (level - prev) / (values[j] - prev)
}

fn assert_time(measured_samples: f32, tau_ms: f32, sr: f32, what: &str) {
    let expected = tau_ms * 0.001 * sr;
    let err = (measured_samples - expected).abs() / expected;
    assert!(err <= 0.02, "{what}: sr {sr} tau {tau_ms} ms: {measured_samples} samples vs {expected} ({:.2}%)", err * 100.0);
}

#[test]
fn ballistics_step_response_at_random_sample_rates() {
    let mut rng = Rng::new(0xA77AC4);
    for _ in 0..200 {
        let sr = rng.sample_rate();
        let attack = rng.range(0.1, 100.0);
        let release = rng.range(5.0, 2000.0);
        let step = rng.range(1.0, 40.0);
        let mut b = Ballistics::new(sr, attack, release, false);
        let n_att = (attack * 0.001 * sr * 3.0) as usize + 10;
        let mut up = vec![step; n_att];
        b.process(&mut up);
        assert_time(crossing_time(&up, 0.0, FRACTION * step, true), attack, sr, "attack");
        // settle fully, then release
        let mut settle = vec![step; (attack * 0.001 * sr * 20.0) as usize + 10];
        b.process(&mut settle);
        let n_rel = (release * 0.001 * sr * 3.0) as usize + 10;
        let mut down = vec![0.0; n_rel];
        b.process(&mut down);
        assert_time(crossing_time(&down, step, (1.0 - FRACTION) * step, false), release, sr, "release");
    }
}

/// The same promise measured on audio through the whole compressor: gain reduction in dB moves by
/// 63.2% of its step after one time constant.
#[test]
fn compressor_gain_step_response_at_random_sample_rates() {
    let mut rng = Rng::new(0xC0FFEE);
    for _ in 0..40 {
        let sr = rng.sample_rate();
        let attack = rng.range(1.0, 100.0);
        let release = rng.range(20.0, 1000.0);
        let s = CompressorSettings {
            threshold_db: -30.0,
            ratio: 4.0,
            knee_db: 0.0,
            attack_ms: attack,
            release_ms: release,
            ..Default::default()
        };
        let mut c = Compressor::new(1, 10.0, sr);
        c.set_settings_immediately(&s);
        // Key: a Nyquist square at -6 dBFS (24 dB over, 18 dB reduction), then silence.
        let on = (attack.max(25.0) * 0.001 * sr * 12.0) as usize;
        let off = (release * 0.001 * sr * 3.0) as usize;
        let key: Vec<f32> = (0..on + off).map(|i| if i < on { if i % 2 == 0 { 0.5 } else { -0.5 } } else { 0.0 }).collect();
        let mut audio = vec![0.25f32; on + off];
        c.process(&mut [&mut audio[..]], Key::External(&[&key[..]]));
        let gr: Vec<f32> = audio.iter().map(|&y| -gain_to_db(y / 0.25)).collect();
        let full = (20.0 * 0.5f32.log10() + 30.0) * (1.0 - 1.0 / 4.0);
        assert!((gr[on - 1] - full).abs() < 0.01, "did not settle: {} vs {full} (sr {sr}, attack {attack}, gr[on-2] {})", gr[on - 1], gr[on - 2]);
        assert_time(crossing_time(&gr[..on], 0.0, FRACTION * full, true), attack, sr, "compressor attack");
        assert_time(crossing_time(&gr[on..], gr[on - 1], (1.0 - FRACTION) * gr[on - 1], false), release, sr, "compressor release");
    }
}

/// Auto release: a short burst releases faster than the set time, sustained reduction at the set time.
#[test]
fn auto_release_is_program_dependent() {
    let sr = 48_000.0;
    let release = 300.0;
    let recover = |burst_ms: f32| {
        let mut b = Ballistics::new(sr, 1.0, release, true);
        let mut burst = vec![12.0; (burst_ms * 0.001 * sr) as usize];
        b.process(&mut burst);
        let start = *burst.last().unwrap();
        let mut tail = vec![0.0; (release * 0.001 * sr * 4.0) as usize];
        b.process(&mut tail);
        crossing_time(&tail, start, start * (1.0 - FRACTION), false) / sr * 1000.0
    };
    let short = recover(5.0);
    let sustained = recover(3000.0);
    assert!(short < release / 3.0, "transient released in {short} ms, expected well under {release}");
    assert!((sustained - release).abs() / release < 0.05, "sustained released in {sustained} ms, expected {release}");
}
