//! With nothing to reduce (threshold above the signal), the de-esser's output IS the input delayed
//! by the latency, bit for bit: split-band output is `d - (1 - g) S(d)` and `g` is exactly 1.
//! And whenever it does reduce, Listen::Removed outputs exactly what was taken away.
mod common;
use common::*;
use shared_dsp::deesser::{BandShape, DeEsser, DeEsserMode, DeEsserSettings, Detection, Listen};
use shared_dsp::DspUnit;

fn process(d: &mut DeEsser, l: &[f32], r: &[f32]) -> (Vec<f32>, Vec<f32>, f32) {
    let (mut lo, mut ro) = (l.to_vec(), r.to_vec());
    let m = d.process(&mut [&mut lo[..], &mut ro[..]]);
    (lo, ro, m.max_gain_reduction_db)
}

/// Random band settings at a random rate and lookahead; `case` picks the detection and the signal:
/// - Absolute: noise (at most −10.8 dBFS RMS) against a 0 dBFS threshold (knee from −2 dBFS), any
///   shape: bit-exact from the first sample.
/// - Relative: a low two-tone chord (110–440 Hz) whose band sits far below the full-band level,
///   against a −30 dB threshold, with the high-pass band (24 dB/oct, from 2 kHz up). Relative
///   detection reads the band-to-full balance at any level, and the first samples of a sound that
///   starts from digital silence are broadband however quiet they are (a high-pass passes the
///   start of anything), so the onset may cause a brief reduction (at most 0.3 dB at the default
///   −12 dB threshold). Once it has released (the gain is exactly 1 again after about 18 release
///   time constants), the output is bit-exact again: checked from 20 time constants + 25 ms on.
#[test]
fn idle_output_is_the_delayed_input_bit_for_bit() {
    let mut rng = Rng::new(0x1D1E);
    for case in 0..60 {
        let sr = rng.sample_rate();
        let absolute = case % 2 == 0;
        let s = DeEsserSettings {
            mode: if case % 4 < 2 { DeEsserMode::SplitBand } else { DeEsserMode::Wideband },
            frequency_hz: rng.range(2000.0, 16_000.0),
            shape: if absolute && case % 3 == 0 { BandShape::BandPass } else { BandShape::HighPass },
            width_octaves: rng.range(0.25, 3.0),
            detection: if absolute { Detection::Absolute } else { Detection::Relative },
            threshold_db: if absolute { 0.0 } else { -30.0 },
            range_db: rng.range(1.0, 24.0),
            attack_ms: rng.range(0.0, 10.0),
            release_ms: rng.range(5.0, 50.0),
            lookahead_ms: if case % 5 == 0 { 0.0 } else { rng.range(0.0, 5.0) },
            stereo_link: rng.unit(),
            ..Default::default()
        };
        let (len, from) = if absolute {
            (6000, 0)
        } else {
            let from = ((20.0 * s.release_ms + 25.0) * 0.001 * sr) as usize;
            (from + 6000, from)
        };
        let (l, r) = if absolute {
            let amp = rng.range(0.001, 0.5);
            (noise(&mut rng, len, amp), noise(&mut rng, len, amp))
        } else {
            let amp = rng.range(0.01, 0.3);
            let f = [rng.range(110.0, 440.0), rng.range(110.0, 440.0)];
            let chord = |i: usize, p: f32| {
                let t = i as f64 / sr as f64;
                let tones: f64 = f.iter().map(|&f| (2.0 * std::f64::consts::PI * f as f64 * t + p as f64).sin()).sum();
                (amp as f64 * tones) as f32
            };
            ((0..len).map(|i| chord(i, 0.0)).collect(), (0..len).map(|i| chord(i, 1.0)).collect())
        };
        let mut d = DeEsser::new(2, 5.0, sr);
        d.set_settings_immediately(&s);
        let lat = d.latency_samples();
        assert_eq!(lat, (s.lookahead_ms * 0.001 * sr).round() as usize, "case {case}");
        let (lo, ro, gr) = process(&mut d, &l, &r);
        if absolute {
            assert_eq!(gr, 0.0, "case {case} ({s:?}): the de-esser reduced ({gr} dB), so the case tests nothing");
        }
        for i in from..len {
            let (el, er) = if i >= lat { (l[i - lat], r[i - lat]) } else { (0.0, 0.0) };
            assert_eq!(lo[i].to_bits(), el.to_bits(), "case {case} sample {i}: {} vs {el}", lo[i]);
            assert_eq!(ro[i].to_bits(), er.to_bits(), "case {case} sample {i}: {} vs {er}", ro[i]);
        }
        // The delta is exactly silent.
        let mut d = DeEsser::new(2, 5.0, sr);
        d.set_settings_immediately(&DeEsserSettings { listen: Listen::Removed, ..s });
        let (lo, ro, _) = process(&mut d, &l, &r);
        assert!(lo[from..].iter().chain(&ro[from..]).all(|&v| v == 0.0), "case {case}: Removed is not silent when idle");
    }
}

/// While reducing, output + Removed == delayed input (to rounding), in both modes.
#[test]
fn removed_plus_output_is_the_delayed_input() {
    let mut rng = Rng::new(0xDE17A);
    for case in 0..20 {
        let sr = rng.sample_rate();
        let s = DeEsserSettings {
            mode: if case % 2 == 0 { DeEsserMode::SplitBand } else { DeEsserMode::Wideband },
            shape: if case % 3 == 0 { BandShape::BandPass } else { BandShape::HighPass },
            frequency_hz: rng.range(2000.0, 8000.0),
            threshold_db: -30.0,
            range_db: rng.range(6.0, 24.0),
            lookahead_ms: rng.range(0.0, 5.0),
            ..Default::default()
        };
        let len = 8000;
        let (l, r) = (noise(&mut rng, len, 0.5), noise(&mut rng, len, 0.3));
        let mut a = DeEsser::new(2, 5.0, sr);
        a.set_settings_immediately(&s);
        let (lo, ro, gr) = process(&mut a, &l, &r);
        assert!(gr > 3.0, "case {case}: no reduction ({gr} dB)");
        let mut b = DeEsser::new(2, 5.0, sr);
        b.set_settings_immediately(&DeEsserSettings { listen: Listen::Removed, ..s });
        let (ld, rd, _) = process(&mut b, &l, &r);
        let lat = a.latency_samples();
        for i in lat..len {
            assert!((lo[i] + ld[i] - l[i - lat]).abs() <= 1e-6, "case {case} L sample {i}");
            assert!((ro[i] + rd[i] - r[i - lat]).abs() <= 1e-6, "case {case} R sample {i}");
        }
    }
}
