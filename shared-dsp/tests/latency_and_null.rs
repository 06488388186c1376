//! Latency equals the impulse argmax; no compression means output == delayed input.
mod common;
use common::*;
use shared_dsp::compressor::{Compressor, CompressorSettings, Key};
use shared_dsp::DspUnit;

fn argmax(v: &[f32]) -> usize {
    v.iter().enumerate().fold((0, f32::MIN), |b, (i, &x)| if x.abs() > b.1 { (i, x.abs()) } else { b }).0
}

#[test]
fn impulse_argmax_equals_reported_latency() {
    let mut rng = Rng::new(0x1A7E);
    for _ in 0..100 {
        let sr = rng.sample_rate();
        let lookahead = if rng.unit() < 0.2 { 0.0 } else { rng.range(0.0, 10.0) };
        let mut c = Compressor::new(2, 10.0, sr);
        c.set_settings_immediately(&CompressorSettings { lookahead_ms: lookahead, threshold_db: 0.0, ratio: 4.0, ..Default::default() });
        let latency = c.latency_samples();
        assert_eq!(latency, (lookahead * 0.001 * sr).round() as usize);
        let pos = rng.int(0, 100);
        let len = latency + pos + 200;
        let mut l = vec![0.0f32; len];
        l[pos] = 0.5;
        let mut r = l.clone();
        c.process(&mut [&mut l[..], &mut r[..]], Key::Internal);
        assert_eq!(argmax(&l), pos + latency, "sr {sr} lookahead {lookahead}");
        assert_eq!(argmax(&r), pos + latency);
    }
}

#[test]
fn ratio_one_or_threshold_above_signal_gives_delayed_input_exactly() {
    let mut rng = Rng::new(0x0AB1);
    for case in 0..100 {
        let sr = rng.sample_rate();
        let lookahead = rng.range(0.0, 10.0);
        let amp = rng.range(0.01, 1.0);
        let knee = rng.range(0.0, 24.0);
        let s = if case % 2 == 0 {
            CompressorSettings { ratio: 1.0, threshold_db: rng.range(-60.0, 0.0), knee_db: knee, lookahead_ms: lookahead, ..Default::default() }
        } else {
            // threshold above the key's peak (the key high-pass may overshoot the input's peak by a
            // few dB) by more than half the knee: never compresses
            let peak_db = 20.0 * amp.log10();
            CompressorSettings { ratio: rng.range(1.0, 20.0), threshold_db: peak_db + knee / 2.0 + 6.0, knee_db: knee, lookahead_ms: lookahead, ..Default::default() }
        };
        let mut c = Compressor::new(2, 10.0, sr);
        c.set_settings_immediately(&s);
        let d = c.latency_samples();
        let l = noise(&mut rng, 4000, amp);
        let r = noise(&mut rng, 4000, amp);
        let (mut lo, mut ro) = (l.clone(), r.clone());
        c.process(&mut [&mut lo[..], &mut ro[..]], Key::Internal);
        for i in 0..4000 {
            let (el, er) = if i >= d { (l[i - d], r[i - d]) } else { (0.0, 0.0) };
            assert_eq!(lo[i], el, "case {case} sample {i}");
            assert_eq!(ro[i], er, "case {case} sample {i}");
        }
    }
}
