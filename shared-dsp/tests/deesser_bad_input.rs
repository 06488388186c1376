//! NaN, infinities, huge values and denormals never reach the de-esser's output, are counted, and
//! the de-esser recovers within 100 ms of the bad input stopping.
mod common;
use common::*;
use shared_dsp::deesser::{BandShape, DeEsser, DeEsserMode, DeEsserSettings, Detection, Listen};

const BAD: [f32; 6] = [f32::NAN, f32::INFINITY, f32::NEG_INFINITY, 1e30, -3e38, 1e-40];

#[test]
fn bursts_of_bad_samples_never_escape_and_recovery_is_within_100_ms() {
    let mut rng = Rng::new(0xBAD5);
    for case in 0..24 {
        let sr = rng.sample_rate();
        let s = DeEsserSettings {
            mode: if case % 2 == 0 { DeEsserMode::SplitBand } else { DeEsserMode::Wideband },
            shape: if case % 3 == 0 { BandShape::BandPass } else { BandShape::HighPass },
            detection: if case % 4 < 2 { Detection::Relative } else { Detection::Absolute },
            threshold_db: -30.0,
            range_db: 24.0,
            release_ms: rng.range(5.0, 20.0),
            lookahead_ms: rng.range(0.0, 5.0),
            output_db: 24.0,
            listen: [Listen::Off, Listen::Sibilance, Listen::Removed][case % 3],
            ..Default::default()
        };
        let len = (sr * 0.5) as usize;
        let burst = (sr * 0.1) as usize..(sr * 0.15) as usize;
        let main = vec![noise(&mut rng, len, 0.5), noise(&mut rng, len, 0.5)];
        let (mut bad, mut clean) = (main.clone(), main.clone());
        for i in burst.clone() {
            let ch = rng.int(0, 1);
            bad[ch][i] = BAD[rng.int(0, BAD.len() - 1)];
            clean[ch][i] = 0.0;
        }
        let run = |m: &[Vec<f32>]| {
            let mut d = DeEsser::new(2, 5.0, sr);
            d.set_settings_immediately(&s);
            let mut out = m.to_vec();
            let (l, r) = out.split_at_mut(1);
            let meters = d.process(&mut [&mut l[0][..], &mut r[0][..]]);
            (out, meters.bad_samples)
        };
        let (bad_out, bad_count) = run(&bad);
        let (clean_out, _) = run(&clean);
        assert!(bad_count > 0, "case {case}: bad samples were not counted");
        for ch in 0..2 {
            assert!(bad_out[ch].iter().all(|v| v.is_finite()), "case {case}: non-finite output");
            let peak = bad_out[ch].iter().fold(0.0f32, |p, v| p.max(v.abs()));
            assert!(peak < 100.0, "case {case}: output peak {peak}");
            let recovered = burst.end + (sr * 0.1) as usize;
            for i in recovered..len {
                assert!((bad_out[ch][i] - clean_out[ch][i]).abs() < 1e-6, "case {case} ch {ch} sample {i}: not recovered");
            }
        }
    }
}
