//! The impulse argmax equals the reported latency, `round(lookahead_ms * rate / 1000)`, for every
//! lookahead, at random rates, in split-band (idle and reducing) and wideband mode.
mod common;
use common::*;
use shared_dsp::deesser::{DeEsser, DeEsserMode, DeEsserSettings, Detection};
use shared_dsp::DspUnit;

fn argmax(v: &[f32]) -> usize {
    v.iter().enumerate().fold((0, f32::MIN), |b, (i, &x)| if x.abs() > b.1 { (i, x.abs()) } else { b }).0
}

#[test]
fn impulse_argmax_equals_reported_latency() {
    let mut rng = Rng::new(0x1A7E5);
    for case in 0..150 {
        let sr = rng.sample_rate();
        let lookahead = if case % 5 == 0 { 0.0 } else { rng.range(0.0, 5.0) };
        let s = match case % 3 {
            // defaults: split-band, relative, reducing on the impulse's broadband click
            0 => DeEsserSettings { lookahead_ms: lookahead, ..Default::default() },
            // split-band, idle
            1 => DeEsserSettings { lookahead_ms: lookahead, detection: Detection::Absolute, threshold_db: 0.0, ..Default::default() },
            // wideband, reducing
            _ => DeEsserSettings {
                lookahead_ms: lookahead,
                mode: DeEsserMode::Wideband,
                detection: Detection::Absolute,
                threshold_db: -60.0,
                ..Default::default()
            },
        };
        let mut d = DeEsser::new(2, 5.0, sr);
        d.set_settings_immediately(&s);
        let latency = d.latency_samples();
        assert_eq!(latency, (lookahead * 0.001 * sr).round() as usize, "sr {sr} lookahead {lookahead}");
        let pos = rng.int(0, 100);
        let len = latency + pos + 400;
        let mut l = vec![0.0f32; len];
        l[pos] = 0.5;
        let mut r = l.clone();
        let m = d.process(&mut [&mut l[..], &mut r[..]]);
        if case % 3 != 1 {
            assert!(m.max_gain_reduction_db > 1.0, "case {case}: expected reduction, got {}", m.max_gain_reduction_db);
        }
        assert_eq!(argmax(&l), pos + latency, "case {case}: sr {sr} lookahead {lookahead}");
        assert_eq!(argmax(&r), pos + latency, "case {case}: sr {sr} lookahead {lookahead}");
    }
}

/// Changing the lookahead changes the reported latency at once.
#[test]
fn latency_follows_the_lookahead_setting() {
    let mut d = DeEsser::new(2, 5.0, 96_000.0);
    for (ms, samples) in [(0.0, 0), (1.0, 96), (2.5, 240), (5.0, 480), (7.0, 480)] {
        d.set_settings(&DeEsserSettings { lookahead_ms: ms, ..Default::default() });
        assert_eq!(d.latency_samples(), samples, "{ms} ms");
    }
}
