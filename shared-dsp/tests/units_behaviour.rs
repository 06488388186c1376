//! Promises of the smaller units: key high-pass response, stereo link, RMS reading, smoothers,
//! delay line.
mod common;
use common::*;
use shared_dsp::biquad::KeyHighPass;
use shared_dsp::compressor::{Compressor, CompressorSettings, Key};
use shared_dsp::delay::DelayLine;
use shared_dsp::detector::{Detect, RmsDetect};
use shared_dsp::smoother::{Smoother, SmoothingStyle};
use shared_dsp::units::gain_to_db;

fn sine(freq: f32, sr: f32, len: usize, amp: f32) -> Vec<f32> {
    (0..len).map(|i| amp * (2.0 * std::f64::consts::PI * freq as f64 * i as f64 / sr as f64).sin() as f32).collect()
}

fn rms(x: &[f32]) -> f32 {
    (x.iter().map(|v| (*v as f64).powi(2)).sum::<f64>() / x.len() as f64).sqrt() as f32
}

/// Measured sine gain in dB through the key high-pass.
fn hpf_gain_db(cutoff: f32, freq: f32, sr: f32) -> f32 {
    let mut f = KeyHighPass::new(sr, cutoff);
    let len = (sr * 2.0) as usize;
    let mut x = sine(freq, sr, len, 0.5);
    f.process(&mut x);
    // skip the first second of settling; whole periods do not matter much over 1 s
    gain_to_db(rms(&x[len / 2..]) / (0.5 / 2f32.sqrt()))
}

#[test]
fn key_high_pass_is_butterworth_at_random_rates_and_cutoffs() {
    let mut rng = Rng::new(0x4FF);
    for _ in 0..20 {
        let sr = rng.sample_rate();
        let fc = rng.range(20.0, 500.0);
        let at_fc = hpf_gain_db(fc, fc, sr);
        assert!((at_fc + 3.01).abs() < 0.1, "sr {sr} fc {fc}: {at_fc} dB at cutoff");
        let pass = hpf_gain_db(fc, fc * 10.0, sr);
        assert!(pass.abs() < 0.05, "sr {sr} fc {fc}: {pass} dB a decade above");
        let stop = hpf_gain_db(fc, fc / 10.0, sr);
        assert!((stop + 40.0).abs() < 1.0, "sr {sr} fc {fc}: {stop} dB a decade below (12 dB/oct)");
    }
}

fn gains_with_link(link: f32) -> (f32, f32) {
    let sr = 48_000.0;
    let mut c = Compressor::new(2, 10.0, sr);
    c.set_settings_immediately(&CompressorSettings {
        threshold_db: -30.0,
        ratio: 10.0,
        knee_db: 0.0,
        attack_ms: 1.0,
        stereo_link: link,
        ..Default::default()
    });
    let len = 24_000;
    let loud = sine(1000.0, sr, len, 0.5);
    let quiet = sine(1000.0, sr, len, 0.001); // -60 dBFS: below threshold on its own
    let (mut l, mut r) = (loud.clone(), quiet.clone());
    c.process(&mut [&mut l[..], &mut r[..]], Key::Internal);
    let tail = len / 2..;
    (gain_to_db(rms(&l[tail.clone()]) / rms(&loud[tail.clone()])), gain_to_db(rms(&r[tail.clone()]) / rms(&quiet[tail])))
}

#[test]
fn stereo_link_zero_is_independent_and_full_is_one_gain() {
    let (l0, r0) = gains_with_link(0.0);
    assert!(l0 < -15.0, "loud channel should be compressed, got {l0} dB");
    assert!(r0.abs() < 0.01, "unlinked quiet channel must stay untouched, got {r0} dB");
    let (l1, r1) = gains_with_link(1.0);
    assert!((l1 - r1).abs() < 0.01, "fully linked channels must share the gain: {l1} vs {r1}");
    // 90% link drives the quiet channel at -60 + 0.9 * 54 = -11.4 dB: part of the loud one's reduction.
    let (lh, rh) = gains_with_link(0.9);
    assert!(rh < -1.0 && rh > l1 + 1.0, "partial link should move the quiet channel part of the way: {lh} {rh}");
}

#[test]
fn rms_detector_reads_sine_rms() {
    let mut rng = Rng::new(0x3A5);
    for _ in 0..20 {
        let sr = rng.sample_rate();
        let amp = rng.range(0.01, 1.0);
        let mut d = RmsDetect::new(sr);
        let x = sine(rng.range(200.0, 5000.0), sr, (sr * 0.2) as usize, amp);
        let last = x.iter().map(|&v| d.level_db(v)).last().unwrap();
        let expected = gain_to_db(amp / 2f32.sqrt());
        assert!((last - expected).abs() < 0.1, "sr {sr}: {last} dB vs {expected} dB");
    }
}

#[test]
fn smoothers_reach_target_exactly_after_the_ramp() {
    let sr = 48_000.0;
    for style in [SmoothingStyle::Linear, SmoothingStyle::Logarithmic] {
        let mut s = Smoother::new(style, 20.0, sr, 0.5);
        s.set_target(2.0);
        let mut v = vec![0.0; 960];
        s.process(&mut v);
        assert_eq!(v[959], 2.0, "{style:?}");
        assert!(v[958] < 2.0 && v.windows(2).all(|w| w[1] >= w[0]), "{style:?} must rise monotonically");
        assert!(!s.is_smoothing());
    }
    // Logarithmic: equal steps in dB, so the midpoint is the geometric mean.
    let mut s = Smoother::new(SmoothingStyle::Logarithmic, 20.0, sr, 0.25);
    s.set_target(4.0);
    let mut v = vec![0.0; 480];
    s.process(&mut v);
    assert!((v[479] - 1.0).abs() < 1e-3, "log midpoint {}", v[479]);
}

#[test]
fn delay_line_delays_by_exactly_its_setting() {
    let mut rng = Rng::new(0xDE1);
    for _ in 0..50 {
        let max = rng.int(1, 2000);
        let d = rng.int(0, max);
        let mut line = DelayLine::new(max);
        line.set_delay_samples(d);
        let x = noise(&mut rng, 5000, 1.0);
        let mut y = x.clone();
        for block in y.chunks_mut(rng.int(1, 700)) {
            line.process(block);
        }
        for i in 0..5000 {
            assert_eq!(y[i], if i >= d { x[i - d] } else { 0.0 });
        }
    }
}
