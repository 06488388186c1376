//! Promises of the clipper's building blocks: the curves and their antiderivatives, the resampling
//! filter designs, the ADAA droop compensator, and the transient mask's timing at random rates.

mod common;
use common::Rng;
use shared_dsp::adaa::{droop_compensator, AdaaClipper};
use shared_dsp::clip_curve::{ClipCurve, CurveShape};
use shared_dsp::fir_design::magnitude;
use shared_dsp::oversampler::{stage_design, FilterPhase, MAX_STAGES, PASSBAND_EDGE, STOPBAND_DB};
use shared_dsp::transient_mask::TransientMask;

const SHAPES: [CurveShape; 4] = [CurveShape::Hard, CurveShape::Soft, CurveShape::Cubic, CurveShape::Sine];

#[test]
fn curves_are_odd_bounded_monotone_identity_below_the_knee_and_smooth() {
    for shape in SHAPES {
        for softness in [0.0f32, 0.05, 0.3, 0.7, 1.0] {
            let c = ClipCurve::new(shape, softness);
            let t = c.knee_start();
            assert!((t - (1.0 - softness as f64)).abs() < 1e-6, "{shape:?} {softness}: knee at {t}");
            let mut previous = f64::NEG_INFINITY;
            for i in -4000..=4000 {
                let v = i as f64 / 1000.0;
                let y = c.apply(v);
                assert!(y.abs() <= 1.0, "{shape:?} {softness}: |f({v})| = {y}");
                assert_eq!(y, -c.apply(-v), "{shape:?} {softness}: not odd at {v}");
                assert!(y >= previous, "{shape:?} {softness}: falls at {v}");
                previous = y;
                if v.abs() <= t {
                    assert_eq!(y, v, "{shape:?} {softness}: not the identity at {v} below the knee {t}");
                }
            }
            // Slope continuous (C1) everywhere except the plain hard clip's corner.
            if softness > 0.0 {
                let h = 1e-6;
                for i in 0..=3000 {
                    let v = i as f64 / 1000.0;
                    let left = (c.apply(v) - c.apply(v - h)) / h;
                    let right = (c.apply(v + h) - c.apply(v)) / h;
                    assert!((left - right).abs() < 1e-3, "{shape:?} {softness}: slope jumps at {v}: {left} vs {right}");
                }
            }
        }
    }
}

#[test]
fn antiderivatives_differentiate_back_to_the_curves() {
    for shape in SHAPES {
        for softness in [0.0f32, 0.3, 1.0] {
            let c = ClipCurve::new(shape, softness);
            assert_eq!(c.antiderivative(0.0), 0.0);
            let h = 1e-5;
            for i in -3000..=3000 {
                let v = i as f64 / 997.3;
                let d = (c.antiderivative(v + h) - c.antiderivative(v - h)) / (2.0 * h);
                assert!((d - c.apply(v)).abs() < 1e-6, "{shape:?} {softness}: F'({v}) = {d}, f = {}", c.apply(v));
            }
            // Far beyond the knee F grows like |v| (no overflow, no precision collapse).
            assert!((c.antiderivative(1.0e6) - c.antiderivative(1.0e6 - 1.0) - 1.0).abs() < 1e-6);
        }
    }
}

#[test]
fn output_db_draws_the_same_curve() {
    let c = ClipCurve::new(CurveShape::Soft, 0.3);
    for db in [-40.0f32, -6.0, -3.0, 0.0, 6.0, 20.0] {
        let expected = 20.0 * c.apply(10f64.powf(db as f64 / 20.0)).log10();
        assert!((c.output_db(db) as f64 - expected).abs() < 1e-4, "{db} dB");
    }
    assert!(c.output_db(30.0) <= 0.0, "the curve never goes over the ceiling");
}

#[test]
fn stage_filters_meet_their_passband_and_stopband() {
    for phase in FilterPhase::ALL {
        for stage in 0..MAX_STAGES {
            let h = stage_design(stage, phase);
            // Band edges as fractions of the stage's output rate.
            let rate = (2u32 << stage) as f64; // in base rates
            let pass = PASSBAND_EDGE / rate;
            let stop = if stage == 0 { 0.25 } else { ((1u32 << stage) as f64 - 0.5) / rate };
            let ripple = (0..=200).map(|i| (20.0 * magnitude(&h, pass * i as f64 / 200.0).log10()).abs()).fold(0.0, f64::max);
            let floor = (0..=400)
                .map(|i| 20.0 * magnitude(&h, stop + (0.5 - stop) * i as f64 / 400.0).log10())
                .fold(f64::NEG_INFINITY, f64::max);
            let min_stop = STOPBAND_DB - 1.0;
            assert!(ripple < 1e-3, "{phase:?} stage {stage}: passband ripple {ripple} dB");
            eprintln!("{phase:?} stage {stage}: {} taps, ripple {ripple:.2e} dB, stopband {floor:.1} dB", h.len());
            assert!(floor < -min_stop, "{phase:?} stage {stage}: stopband only {floor:.1} dB");
        }
    }
}

#[test]
fn minimum_phase_filters_keep_the_magnitude_and_put_the_energy_first() {
    for stage in 0..MAX_STAGES {
        let lin = stage_design(stage, FilterPhase::Linear);
        let min = stage_design(stage, FilterPhase::Minimum);
        for i in 0..=100 {
            let f = 0.5 * i as f64 / 100.0;
            let (a, b) = (magnitude(&lin, f), magnitude(&min, f));
            if a > 1e-4 {
                assert!((20.0 * (b / a).log10()).abs() < 0.01, "stage {stage} at {f}: {a} vs {b}");
            }
        }
        let peak = |h: &[f64]| (0..h.len()).max_by(|&x, &y| h[x].abs().total_cmp(&h[y].abs())).unwrap();
        assert!(peak(&min) * 3 < peak(&lin), "stage {stage}: minimum-phase peak at {} vs {}", peak(&min), peak(&lin));
        assert!(lin.iter().zip(lin.iter().rev()).all(|(a, b)| (a - b).abs() < 1e-15), "stage {stage}: not symmetric");
    }
}

#[test]
fn adaa_droop_compensation_is_flat_and_adaa_holds_the_ceiling() {
    for factor in [2usize, 4, 8, 16] {
        let (taps, error) = droop_compensator(PASSBAND_EDGE / factor as f64);
        assert!(error < 1e-4, "{factor}x: compensated passband error {error}");
        assert_eq!(taps.len() % 2, 0);
        // The whole stage below the knee: compensator then two-tap mean, an integer delay.
        let mut adaa = AdaaClipper::new(&taps);
        let curve = ClipCurve::new(CurveShape::Hard, 0.0);
        let mut rng = Rng::new(factor as u64);
        let mut big = AdaaClipper::new(&taps);
        for _ in 0..20_000 {
            let y = big.tick(&curve, rng.range(-50.0, 50.0));
            assert!(y.abs() <= 1.0 + 1e-6, "{factor}x: ADAA left the ceiling: {y}");
        }
        let mut response = Vec::new();
        for n in 0..64 {
            response.push(adaa.tick(&curve, if n == 0 { 0.5 } else { 0.0 }));
        }
        let peak = (0..64).max_by(|&a, &b| response[a].abs().total_cmp(&response[b].abs())).unwrap();
        assert_eq!(peak, adaa.delay_samples(), "{factor}x: stage delay");
    }
}

#[test]
fn transient_mask_opens_on_hits_and_closes_on_steady_sound_at_any_rate() {
    let mut rng = Rng::new(0x7A5);
    for _ in 0..20 {
        let rate = rng.sample_rate();
        let ms = |t: f32| (t * 0.001 * rate) as usize;
        let mut m = TransientMask::new(rate);
        // Silence, then a 60 Hz tone from nothing: a hit, then a steady body.
        let mut mask = Vec::new();
        for n in 0..ms(400.0) {
            let x = if n < ms(100.0) { 0.0 } else { 0.5 * (2.0 * std::f32::consts::PI * 60.0 * n as f32 / rate).sin() };
            mask.push(m.tick(x));
        }
        let onset = ms(100.0);
        assert!(mask[onset + ms(1.0)..onset + ms(10.0)].iter().all(|&v| v == 1.0), "{rate} Hz: not open on the hit");
        assert!(mask[onset + ms(50.0)..].iter().all(|&v| v == 0.0), "{rate} Hz: body still masked after 50 ms");
        assert!(mask[..onset].iter().all(|&v| v == 0.0), "{rate} Hz: silence counted as a hit");
    }
}
