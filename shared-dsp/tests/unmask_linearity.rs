//! With the same key, Unmask is linear in the audio: process(a) + process(b) == process(a + b) to
//! float rounding, because the per-bin gain depends on the key and the settings only.

mod common;
use common::{noise, Rng};
use shared_dsp::stft::FftSize;
use shared_dsp::unmask::{Unmask, UnmaskSettings};

/// Output, and the band reductions after every block.
fn run(s: &UnmaskSettings, rate: f32, audio: &[Vec<f32>], key: &[Vec<f32>]) -> (Vec<Vec<f32>>, Vec<Vec<f32>>) {
    let mut u = Unmask::new(2, rate);
    u.set_settings(s);
    let mut out = audio.to_vec();
    let (l, r) = out.split_at_mut(1);
    let mut reductions = Vec::new();
    let len = audio[0].len();
    let mut pos = 0;
    while pos < len {
        let n = 480.min(len - pos);
        u.process(
            &mut [&mut l[0][pos..pos + n], &mut r[0][pos..pos + n]],
            &[&key[0][pos..pos + n], &key[1][pos..pos + n]],
        );
        reductions.push(u.band_reduction_db().to_vec());
        pos += n;
    }
    (out, reductions)
}

#[test]
#[cfg_attr(debug_assertions, ignore = "release only: cargo test -p shared-dsp --release")]
fn stems_sum_to_the_processed_mix() {
    let mut rng = Rng::new(0x11_7EA2);
    let mut worst = 0.0f32;
    for size in FftSize::ALL {
        let rate = rng.sample_rate();
        let len = 30_000;
        // Two different "stems", one much louder, and a key that comes and goes.
        let a = vec![noise(&mut rng, len, 0.6), noise(&mut rng, len, 0.6)];
        let b: Vec<Vec<f32>> = (0..2).map(|_| noise(&mut rng, len, 0.05)).collect();
        let sum: Vec<Vec<f32>> = a.iter().zip(&b).map(|(x, y)| x.iter().zip(y).map(|(p, q)| p + q).collect()).collect();
        let mut key = vec![noise(&mut rng, len, 0.5), noise(&mut rng, len, 0.5)];
        for ch in &mut key {
            for (i, x) in ch.iter_mut().enumerate() {
                *x *= 0.5 + 0.5 * (i as f32 * 2e-4).sin();
            }
        }
        let s = UnmaskSettings {
            threshold_db: -55.0,
            ratio: 6.0,
            range_db: 18.0,
            resolution: size,
            ..UnmaskSettings::default()
        };
        let (ya, ra) = run(&s, rate, &a, &key);
        let (yb, rb) = run(&s, rate, &b, &key);
        let (ys, rs) = run(&s, rate, &sum, &key);
        // The gain depends on the key only: identical reductions whatever the audio.
        assert!(ra == rb && rb == rs, "{size:?}: the reduction depends on the audio");
        let max_reduction = rs.iter().flatten().copied().fold(0.0, f32::max);
        assert!(max_reduction > 10.0, "{size:?}: only {max_reduction} dB of reduction");
        let peak = ys.iter().flatten().map(|x| x.abs()).fold(0.0, f32::max);
        for ch in 0..2 {
            let err = (0..len).map(|i| (ya[ch][i] + yb[ch][i] - ys[ch][i]).abs()).fold(0.0, f32::max) / peak;
            worst = worst.max(err);
            assert!(err <= 1e-5, "{size:?} ch {ch}: relative error {err:e}");
        }
    }
    println!("linearity: worst |P(a) + P(b) - P(a + b)| / peak = {worst:e}");
}
