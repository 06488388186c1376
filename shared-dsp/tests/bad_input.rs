//! NaN, infinities, huge values and denormals never reach the output, and the compressor recovers
//! within 100 ms of the bad input stopping.
mod common;
use common::*;
use shared_dsp::compressor::{Compressor, CompressorSettings, Key};

const BAD: [f32; 6] = [f32::NAN, f32::INFINITY, f32::NEG_INFINITY, 1e30, -3e38, 1e-40];

#[test]
fn bursts_of_bad_samples_never_escape_and_recovery_is_within_100_ms() {
    let mut rng = Rng::new(0xBAD);
    for case in 0..24 {
        let sr = rng.sample_rate();
        let s = CompressorSettings {
            threshold_db: -30.0,
            ratio: 8.0,
            release_ms: rng.range(5.0, 2000.0),
            auto_release: case % 2 == 0,
            lookahead_ms: rng.range(0.0, 10.0),
            makeup_db: 24.0,
            output_db: 24.0,
            ..Default::default()
        };
        let len = (sr * 0.5) as usize;
        let burst = (sr * 0.1) as usize..(sr * 0.15) as usize;
        let main = vec![noise(&mut rng, len, 0.5), noise(&mut rng, len, 0.5)];
        let key = vec![noise(&mut rng, len, 0.5), noise(&mut rng, len, 0.5)];
        let (mut bad_main, mut bad_key) = (main.clone(), key.clone());
        let (mut clean_main, mut clean_key) = (main.clone(), key.clone());
        for i in burst.clone() {
            let v = BAD[rng.int(0, BAD.len() - 1)];
            let ch = rng.int(0, 1);
            if case % 3 != 1 {
                bad_main[ch][i] = v;
                clean_main[ch][i] = 0.0;
            }
            if case % 3 != 0 {
                bad_key[ch][i] = v;
                clean_key[ch][i] = 0.0;
            }
        }
        let run = |m: &[Vec<f32>], k: &[Vec<f32>]| {
            let mut c = Compressor::new(2, 10.0, sr);
            c.set_settings_immediately(&s);
            let mut out = m.to_vec();
            let (l, r) = out.split_at_mut(1);
            let meters = c.process(&mut [&mut l[0][..], &mut r[0][..]], Key::External(&[&k[0][..], &k[1][..]]));
            (out, meters.bad_samples)
        };
        let (bad_out, bad_count) = run(&bad_main, &bad_key);
        let (clean_out, _) = run(&clean_main, &clean_key);
        assert!(bad_count > 0, "case {case}: bad samples were not counted");
        for ch in 0..2 {
            assert!(bad_out[ch].iter().all(|v| v.is_finite()), "case {case}: non-finite output");
            let recovered = burst.end + (sr * 0.1) as usize;
            for i in recovered..len {
                assert!((bad_out[ch][i] - clean_out[ch][i]).abs() < 1e-6, "case {case} ch {ch} sample {i}: not recovered");
            }
        }
    }
}
