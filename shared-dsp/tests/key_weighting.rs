//! Key weighting: K-weighting reproduces the BS.1770-4 table at 48 kHz and the same curve at any rate;
//! the other curves have their corners where they are documented; Flat is bit-exact; the curve
//! `magnitude_db` draws is the one `tick`/`process` apply.
mod common;
use common::*;
use shared_dsp::key_weighting::{KeyWeighting, KeyWeightingKind};
use shared_dsp::DspUnit;
use std::f64::consts::PI;

/// BS.1770-4, table 1 (pre-filter) and table 2 (RLB), 48 kHz: (b0, b1, b2, a1, a2).
const BS1770_SHELF: [f64; 5] = [1.53512485958697, -2.69169618940638, 1.19839281085285, -1.69065929318241, 0.73248077421585];
const BS1770_RLB: [f64; 5] = [1.0, -2.0, 1.0, -1.99004745483398, 0.99007225036621];

/// -3 dB in exact terms (half power).
const MINUS_3_DB: f32 = -3.010_3;

fn weighting_db(kind: KeyWeightingKind, sr: f32, f: f32) -> f32 {
    KeyWeighting::new(kind, sr).magnitude_db(f)
}

#[test]
fn k_weighting_matches_the_bs1770_table_at_48k() {
    let w = KeyWeighting::new(KeyWeightingKind::KWeighting, 48_000.0);
    let c = w.coefficients();
    assert_eq!(c.len(), 2);
    for (stage, table) in c.iter().zip([BS1770_SHELF, BS1770_RLB]) {
        let got = [stage.b0, stage.b1, stage.b2, stage.a1, stage.a2];
        for (g, t) in got.iter().zip(table) {
            assert!((g - t).abs() < 1e-8, "{got:?} vs table {table:?}");
        }
    }
}

/// Magnitude in dB of BS.1770's analog prototypes, written out here from the published parameters,
/// times the passband gain of the table's RLB filter (its numerator [1, -2, 1] is not normalised).
fn k_analog_db(f: f64) -> f64 {
    let vh = 10f64.powf(3.999843853973347 / 20.0);
    let vb = vh.powf(0.4996667741545416);
    let (q, w) = (0.7071752369554196, f / 1681.974450955533);
    // shelf (vh s^2 + vb s/q + 1)/(s^2 + s/q + 1) at s = jw
    let (nr, ni) = (1.0 - vh * w * w, vb * w / q);
    let (dr, di) = (1.0 - w * w, w / q);
    let shelf = (nr * nr + ni * ni) / (dr * dr + di * di);
    let (q, w) = (0.5003270373238773, f / 38.13547087602444);
    // high-pass s^2/(s^2 + s/q + 1)
    let (dr, di) = (1.0 - w * w, w / q);
    let hp = w.powi(4) / (dr * dr + di * di);
    // The table's RLB gain at Nyquist (z = -1) is its analog gain at infinity: sum|b| / (1 - a1 + a2).
    let rlb_gain = 4.0 / (1.0 - BS1770_RLB[3] + BS1770_RLB[4]);
    10.0 * (shelf * hp).log10() + 20.0 * rlb_gain.log10()
}

#[test]
fn k_weighting_known_gains() {
    // BS.1770 subtracts 0.691 dB so that a 0 dBFS 997 Hz sine reads -3.01 LKFS: K-weighting's gain at
    // 997 Hz is +0.691 dB.
    let at_997 = weighting_db(KeyWeightingKind::KWeighting, 48_000.0, 997.0);
    assert!((at_997 - 0.691).abs() < 0.001, "{at_997} dB at 997 Hz");
    // At 384 kHz the bilinear warping is below 1% of frequency up to 20 kHz: the digital curve is the
    // analog prototype's (about -13.3 dB at 20 Hz, -6 dB at the RLB corner, -1.1 dB at 100 Hz,
    // +0.7 dB at 1 kHz, +4 dB from 10 kHz up, all plus the table's +0.043 dB).
    // At 48 kHz the warping moves the shelf's transition a little: the error stays below 0.01 dB up
    // to 10 kHz (measured: 0.0083 dB).
    let mut worst = [0.0f64; 2];
    for (i, (sr, top)) in [(384_000.0, 20_000.0), (48_000.0, 10_000.0)].into_iter().enumerate() {
        for j in 0..=200 {
            let f = 10.0 * (top / 10.0f64).powf(j as f64 / 200.0);
            let got = weighting_db(KeyWeightingKind::KWeighting, sr as f32, f as f32) as f64;
            worst[i] = worst[i].max((got - k_analog_db(f)).abs());
        }
    }
    eprintln!("K-weighting vs analog prototype: worst {:.4} dB at 384 kHz, {:.4} dB at 48 kHz", worst[0], worst[1]);
    assert!(worst[0] < 0.002, "384 kHz: {} dB from the analog prototype", worst[0]);
    assert!(worst[1] < 0.01, "48 kHz: {} dB from the analog prototype", worst[1]);
    // Spot values of the prototype itself, so a wrong prototype in this file fails too.
    for (f, db) in [(38.135, -5.972), (100.0, -1.134), (1000.0, 0.703), (10_000.0, 4.041)] {
        assert!((k_analog_db(f) - db).abs() < 0.002, "prototype at {f} Hz: {} dB", k_analog_db(f));
    }
}

#[test]
fn k_weighting_is_the_same_curve_at_any_sample_rate() {
    let mut rng = Rng::new(0x4B_1770);
    let mut rates = vec![22_050.0, 44_100.0, 96_000.0, 192_000.0, 384_000.0];
    rates.extend((0..100).map(|_| rng.range(22_050.0, 384_000.0).round()));
    let mut worst = (0.0f32, 0.0, 0.0);
    for sr in rates {
        for f in [20.0, 100.0, 1000.0, 4000.0, 10_000.0] {
            if f >= 0.45 * sr {
                continue;
            }
            let k = KeyWeightingKind::KWeighting;
            let d = (weighting_db(k, sr, f) - weighting_db(k, 48_000.0, f)).abs();
            assert!(d < 0.05, "sr {sr}: {d} dB from the 48 kHz curve at {f} Hz");
            if d > worst.0 {
                worst = (d, sr, f);
            }
        }
    }
    eprintln!("K-weighting vs 48 kHz: worst {:.4} dB (sr {}, {} Hz)", worst.0, worst.1, worst.2);
}

/// `(rate, frequency, expected dB, tolerance dB)` checks of a weighting's magnitude.
fn assert_points(kind: KeyWeightingKind, points: &[(f32, f32, f32, f32)]) {
    for &(sr, f, want, tol) in points {
        let got = weighting_db(kind, sr, f);
        assert!((got - want).abs() <= tol, "{kind:?} sr {sr}: {got} dB at {f} Hz, want {want} ± {tol}");
    }
}

const RATES: [f32; 4] = [44_100.0, 48_000.0, 96_000.0, 192_000.0];

#[test]
fn presence_curve() {
    for sr in RATES {
        assert_points(
            KeyWeightingKind::Presence,
            &[
                // The bell is exactly +6 dB at its (prewarped) centre; the 100 Hz high-pass is
                // -0.00001 dB there.
                (sr, 3000.0, 6.0, 0.1),
                // The high-pass's -3 dB point; the bell's skirt adds +0.011 dB (30 times below its
                // centre), so 0.05 dB still pins the corner.
                (sr, 100.0, MINUS_3_DB + 0.011, 0.05),
                // 12 dB/oct below the corner: 10 log10(1 + (100/f)^4) down, -24.1 dB at 25 Hz and
                // -27.97 dB at 20 Hz.
                (sr, 25.0, -24.1, 0.3),
                (sr, 20.0, -27.97, 0.3),
            ],
        );
        // The bell's peak is at 3 kHz: +6 dB is the maximum.
        let w = KeyWeighting::new(KeyWeightingKind::Presence, sr);
        let max = (0..=400).map(|i| w.magnitude_db(20.0 * 1000f32.powf(i as f32 / 400.0))).fold(f32::MIN, f32::max);
        assert!((max - 6.0).abs() < 0.01, "sr {sr}: presence peaks at {max} dB");
    }
}

#[test]
fn speech_band_corners() {
    // Each Butterworth section is exactly -3.01 dB at its corner; the other section's skirt there is
    // (150/4000)^4, below 0.0001 dB.
    for sr in RATES {
        assert_points(
            KeyWeightingKind::SpeechBand,
            // At the band's geometric centre each skirt is 10 log10(1 + (150/775)^4) = 0.006 dB down.
            &[(sr, 150.0, MINUS_3_DB, 0.1), (sr, 4000.0, MINUS_3_DB, 0.1), (sr, 775.0, -0.012, 0.005)],
        );
    }
}

#[test]
fn low_weighted_and_bright_corners() {
    for sr in RATES {
        // Single Butterworth sections: -3.01 dB at the corner, -12 dB/oct beyond.
        // Two octaves beyond: 10 log10(1 + 4^4) = 24.1 dB down (the low-pass a little more near
        // Nyquist, where the bilinear transform pulls it to a zero).
        let low = [(sr, 1000.0, MINUS_3_DB, 0.01), (sr, 100.0, 0.0, 0.01), (sr, 4000.0, -24.1, 0.6)];
        assert_points(KeyWeightingKind::LowWeighted, &low);
        let bright = [(sr, 40.0, MINUS_3_DB, 0.01), (sr, 1000.0, 0.0, 0.01), (sr, 10.0, -24.1, 0.1)];
        assert_points(KeyWeightingKind::Bright, &bright);
    }
}

#[test]
fn flat_is_bit_exact_identity() {
    let mut rng = Rng::new(0xF1A7);
    let mut input = noise(&mut rng, 4096, 2.0);
    input.extend([0.0, -0.0, f32::MIN_POSITIVE / 2.0, f32::MAX, f32::MIN, f32::INFINITY, f32::NAN, 1e-30]);
    // Straight from `new`, and after running another curve (its state must not leak into Flat).
    let mut fresh = KeyWeighting::new(KeyWeightingKind::Flat, 48_000.0);
    let mut switched = KeyWeighting::new(KeyWeightingKind::KWeighting, 48_000.0);
    switched.process(&mut noise(&mut rng, 1000, 1.0));
    switched.set_kind(KeyWeightingKind::Flat);
    for w in [&mut fresh, &mut switched] {
        let mut block = input.clone();
        w.process(&mut block);
        let ticked: Vec<f32> = input.iter().map(|&x| w.tick(x)).collect();
        for (i, &x) in input.iter().enumerate() {
            assert_eq!(block[i].to_bits(), x.to_bits(), "process changed sample {i}");
            assert_eq!(ticked[i].to_bits(), x.to_bits(), "tick changed sample {i}");
        }
        assert!(w.coefficients().is_empty());
        for f in [1.0, 20.0, 1000.0, 23_999.0] {
            assert_eq!(w.magnitude_db(f), 0.0);
        }
    }
}

/// Amplitude of the sinusoid at `freq` in `x`: least-squares fit of `a sin + b cos` (no leakage
/// whatever the number of periods).
fn sine_amplitude(x: &[f32], start: usize, freq: f64, sr: f64) -> f64 {
    let (mut ss, mut cc, mut sc, mut xs, mut xc) = (0.0, 0.0, 0.0, 0.0, 0.0);
    for (i, &v) in x.iter().enumerate() {
        let (s, c) = (2.0 * PI * freq * (start + i) as f64 / sr).sin_cos();
        ss += s * s;
        cc += c * c;
        sc += s * c;
        xs += v as f64 * s;
        xc += v as f64 * c;
    }
    let det = ss * cc - sc * sc;
    let a = (xs * cc - xc * sc) / det;
    let b = (xc * ss - xs * sc) / det;
    (a * a + b * b).sqrt()
}

#[test]
fn tick_on_a_sine_matches_magnitude_db() {
    let mut rng = Rng::new(0x5111E);
    let mut worst = 0.0f64;
    for kind in KeyWeightingKind::ALL {
        for _ in 0..4 {
            let sr = rng.sample_rate();
            for f in [25.0, 40.0, 100.0, 150.0, 997.0, 3000.0, 4000.0, 10_000.0, rng.range(20.0, 20_000.0)] {
                if f >= 0.45 * sr {
                    continue;
                }
                let mut w = KeyWeighting::new(kind, sr);
                // The slowest pole (40 Hz Butterworth) decays with a 5.6 ms time constant: 0.3 s
                // settles it to e^-53.
                let settle = (0.3 * sr) as usize;
                let measure = (0.1 * sr) as usize;
                let amp = 0.5;
                let out: Vec<f32> = (0..settle + measure)
                    .map(|i| w.tick((amp * (2.0 * PI * f as f64 * i as f64 / sr as f64).sin()) as f32))
                    .collect();
                let measured = 20.0 * (sine_amplitude(&out[settle..], settle, f as f64, sr as f64) / amp).log10();
                let predicted = w.magnitude_db(f) as f64;
                let err = (measured - predicted).abs();
                worst = worst.max(err);
                assert!(err < 0.05, "{kind:?} sr {sr} f {f}: measured {measured} dB, magnitude_db {predicted} dB");
            }
        }
    }
    eprintln!("tick vs magnitude_db: worst {worst:.6} dB");
}

#[test]
fn process_equals_tick_and_reset_reproduces() {
    let mut rng = Rng::new(0xB10C);
    for kind in KeyWeightingKind::ALL {
        let sr = rng.sample_rate();
        let input = noise(&mut rng, 8192, 1.0);
        let mut a = KeyWeighting::new(kind, sr);
        let ticked: Vec<f32> = input.iter().map(|&x| a.tick(x)).collect();
        let mut b = KeyWeighting::new(kind, sr);
        let mut blocks = input.clone();
        let mut at = 0;
        for n in random_partition(&mut rng, input.len(), 300) {
            b.process(&mut blocks[at..at + n]);
            at += n;
        }
        assert!(same_bits(&ticked, &blocks), "{kind:?}: process differs from tick");
        b.reset();
        let mut again = input.clone();
        b.process(&mut again);
        assert!(same_bits(&ticked, &again), "{kind:?}: reset does not reproduce");
        if kind != KeyWeightingKind::Flat {
            assert!(ticked.iter().zip(&input).any(|(y, x)| y != x), "{kind:?} does not filter");
        }
    }
}

fn same_bits(a: &[f32], b: &[f32]) -> bool {
    a.len() == b.len() && a.iter().zip(b).all(|(x, y)| x.to_bits() == y.to_bits())
}

#[test]
fn set_kind_and_sample_rate() {
    let mut rng = Rng::new(0x5E7);
    let input = noise(&mut rng, 4000, 1.0);
    for from in KeyWeightingKind::ALL {
        for to in KeyWeightingKind::ALL {
            // Setting the same kind again changes nothing: the state carries on.
            let mut w = KeyWeighting::new(from, 48_000.0);
            let mut reference = KeyWeighting::new(from, 48_000.0);
            let (mut x, mut y) = (input.clone(), input.clone());
            w.process(&mut x[..2000]);
            w.set_kind(from);
            w.process(&mut x[2000..]);
            reference.process(&mut y);
            assert!(same_bits(&x, &y), "{from:?}: set_kind(same) disturbed the filter");
            if to == from {
                continue;
            }
            // Changing it gives the new curve, starting from a clean state.
            w.set_kind(to);
            assert_eq!(w.kind(), to);
            let mut fresh = KeyWeighting::new(to, 48_000.0);
            let (mut x, mut y) = (input.clone(), input.clone());
            w.process(&mut x);
            fresh.process(&mut y);
            assert!(same_bits(&x, &y), "{from:?} -> {to:?}: not the new curve from a clean state");
        }
    }
    // A new sample rate redesigns the chain for it.
    let mut w = KeyWeighting::new(KeyWeightingKind::KWeighting, 48_000.0);
    w.process(&mut input.clone());
    w.set_sample_rate(96_000.0);
    let fresh = KeyWeighting::new(KeyWeightingKind::KWeighting, 96_000.0);
    assert_eq!(w.coefficients(), fresh.coefficients());
    assert_eq!(w.sample_rate_hz(), 96_000.0);
    let mut fresh = fresh;
    let (mut x, mut y) = (input.clone(), input);
    w.process(&mut x);
    fresh.process(&mut y);
    assert!(same_bits(&x, &y), "set_sample_rate did not clear the state");
}
