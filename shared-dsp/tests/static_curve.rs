//! The static curve, measured through the whole compressor, matches the textbook formula.
mod common;
use common::*;
use shared_dsp::compressor::{Compressor, CompressorSettings, Key};
use shared_dsp::gain_computer::GainComputer;
use shared_dsp::units::gain_to_db;

/// A Nyquist-rate square of amplitude `a`: its peak level is constant and the key high-pass passes it
/// with unity gain, so a peak detector reads exactly `20 log10 a`.
fn nyquist_square(a: f32, len: usize) -> Vec<f32> {
    (0..len).map(|i| if i % 2 == 0 { a } else { -a }).collect()
}

#[test]
fn measured_static_gain_matches_formula_within_0_05_db() {
    let mut rng = Rng::new(0x5EED_0001);
    for case in 0..200 {
        let sr = rng.sample_rate();
        let t = rng.range(-60.0, 0.0);
        let r = rng.range(1.0, 20.0);
        let w = if case % 4 == 0 { 0.0 } else { rng.range(0.0, 24.0) };
        let level = rng.range(t - 20.0, 6.0f32.min(t + 40.0));
        let s = CompressorSettings {
            threshold_db: t,
            ratio: r,
            knee_db: w,
            attack_ms: 0.5,
            release_ms: 5.0,
            ..Default::default()
        };
        let mut c = Compressor::new(1, 10.0, sr);
        c.set_settings_immediately(&s);
        let a = 10f32.powf(level / 20.0);
        let len = (sr * 0.2) as usize;
        let input = nyquist_square(a, len);
        let mut out = input.clone();
        c.process(&mut [&mut out[..]], Key::Internal);
        let measured_out_db = gain_to_db(out[len - 1] / input[len - 1]) + level;
        let expected = reference_curve_db(level as f64, t as f64, r as f64, w as f64) as f32;
        assert!(
            (measured_out_db - expected).abs() <= 0.05,
            "case {case}: sr {sr} T {t} R {r} W {w} x {level}: measured {measured_out_db} dB, formula {expected} dB"
        );
        // The editor's curve is the same function the audio used.
        let curve = GainComputer::new(t, r, w).output_level_db(level);
        assert!((curve - expected).abs() <= 0.05, "curve {curve} vs formula {expected}");
    }
}

#[test]
fn curve_is_continuous_and_monotonic_through_the_knee() {
    let gc = GainComputer::new(-20.0, 4.0, 12.0);
    let mut prev = gc.output_level_db(-60.0);
    let mut x = -60.0;
    while x < 10.0 {
        x += 0.01;
        let y = gc.output_level_db(x);
        assert!(y >= prev - 1e-5, "not monotonic at {x}");
        assert!((y - prev).abs() < 0.02, "jump at {x}: {prev} -> {y}");
        prev = y;
    }
}
