//! The band the de-esser reports for drawing is the band it processes: `band_magnitude` has its
//! −3 dB points at the band edges, and `split_band_magnitude` predicts the measured split-band
//! response on a probe tone while a sibilant tone holds the gain reduction at the range.
mod common;
use common::*;
use shared_dsp::deesser::{BandShape, DeEsser, DeEsserSettings, Detection};
use shared_dsp::units::gain_to_db;
use std::f64::consts::PI;

#[test]
fn band_edges_are_at_minus_3_db() {
    let mut rng = Rng::new(0xBA4D);
    for _ in 0..50 {
        let sr = rng.sample_rate();
        let f = rng.range(2000.0, 16_000.0);
        let w = rng.range(0.25, 3.0);
        let mut d = DeEsser::new(2, 5.0, sr);
        d.set_settings(&DeEsserSettings { frequency_hz: f, shape: BandShape::HighPass, ..Default::default() });
        if f < 0.4 * sr {
            let at = gain_to_db(d.band_magnitude(f));
            assert!((at + 3.01).abs() < 0.05, "high-pass sr {sr} f {f}: {at} dB at the edge");
            let below = gain_to_db(d.band_magnitude(f / 2.0));
            assert!(below < -22.0, "high-pass sr {sr} f {f}: {below} dB an octave below (24 dB/oct)");
        }
        let upper = f * w.exp2();
        if upper < 0.4 * sr {
            d.set_settings(&DeEsserSettings { frequency_hz: f, width_octaves: w, shape: BandShape::BandPass, ..Default::default() });
            // constant 0 dB peak between the edges (at their geometric mean after prewarping)
            let peak = (0..=400).map(|i| d.band_magnitude(f * (w * i as f32 / 400.0).exp2())).fold(0.0, f32::max);
            assert!((peak - 1.0).abs() < 1e-4, "band-pass sr {sr} f {f} w {w}: peak {peak}");
            let lo = gain_to_db(d.band_magnitude(f));
            let hi = gain_to_db(d.band_magnitude(upper));
            assert!((lo + 3.01).abs() < 0.02 && (hi + 3.01).abs() < 0.02, "band-pass sr {sr} f {f} w {w}: edges {lo} / {hi} dB");
        }
    }
}

/// Amplitude of the component at `freq` in `x` (single-bin DFT over the whole slice).
fn tone_amplitude(x: &[f32], freq: f32, sr: f32) -> f32 {
    let (mut re, mut im) = (0.0f64, 0.0f64);
    for (i, &v) in x.iter().enumerate() {
        let p = 2.0 * PI * freq as f64 * i as f64 / sr as f64;
        re += v as f64 * p.cos();
        im += v as f64 * p.sin();
    }
    (2.0 * (re * re + im * im).sqrt() / x.len() as f64) as f32
}

#[test]
fn split_band_magnitude_predicts_the_processed_response() {
    let sr = 48_000.0;
    for (shape, f, probe_ratios) in [
        (BandShape::HighPass, 5000.0, [0.5, 1.0, 1.5, 2.0]),
        (BandShape::BandPass, 4000.0, [0.5, 1.0, 1.41, 2.0]),
    ] {
        let range = 12.0;
        let s = DeEsserSettings {
            shape,
            frequency_hz: f,
            width_octaves: 1.0,
            detection: Detection::Absolute,
            threshold_db: -60.0,
            range_db: range,
            ..Default::default()
        };
        for r in probe_ratios {
            let probe = f * r;
            // the trigger sits in the band (at its centre for the band-pass) and holds GR at the range
            let trigger = if shape == BandShape::HighPass { 3.1 * f } else { f * 1.41 * 1.07 };
            let len = 48_000;
            let x: Vec<f32> = (0..len)
                .map(|i| {
                    let t = i as f64 / sr as f64;
                    (0.1 * (2.0 * PI * trigger as f64 * t).sin() + 0.01 * (2.0 * PI * probe as f64 * t).sin()) as f32
                })
                .collect();
            let mut d = DeEsser::new(1, 5.0, sr);
            d.set_settings_immediately(&s);
            let mut y = x.clone();
            let m = d.process(&mut [&mut y[..]]);
            assert!((m.gain_reduction_db[0] - range).abs() < 0.01, "GR {} not pinned at the range", m.gain_reduction_db[0]);
            // the last 0.5 s: whole periods of neither tone, but 24000 samples leak little
            let measured = gain_to_db(tone_amplitude(&y[24_000..], probe, sr) / 0.01);
            let predicted = gain_to_db(d.split_band_magnitude(probe, range));
            eprintln!("{shape:?} f {f}: probe {probe} Hz measured {measured:.2} dB, predicted {predicted:.2} dB");
            assert!((measured - predicted).abs() < 0.1, "{shape:?} probe {probe}: measured {measured} vs predicted {predicted}");
        }
        // and at zero reduction the predicted response is flat
        let d = DeEsser::new(1, 5.0, sr);
        assert!((0..100).all(|i| d.split_band_magnitude(20.0 * 1.07f32.powi(i), 0.0) == 1.0));
    }
}
