//! Any partition of the input into blocks (1..4096 samples) gives bit-identical output at every
//! resolution, with a key that drives the reduction up and down.

mod common;
use common::{noise, random_partition, Rng};
use shared_dsp::stft::FftSize;
use shared_dsp::unmask::{Unmask, UnmaskSettings};
use shared_dsp::MAX_CHANNELS;

fn run(s: &UnmaskSettings, rate: f32, audio: &[Vec<f32>], key: &[Vec<f32>], blocks: &[usize]) -> (Vec<Vec<f32>>, f32) {
    let mut u = Unmask::new(2, rate);
    u.set_settings(s);
    // Key from the left channel only, duck both: the masks are part of the state under test.
    let mut key_mask = [false; MAX_CHANNELS];
    key_mask[0] = true;
    u.set_channel_masks(key_mask, [true; MAX_CHANNELS]);
    let mut out = audio.to_vec();
    let (l, r) = out.split_at_mut(1);
    let mut pos = 0;
    let mut max_reduction = 0.0f32;
    for &n in blocks {
        u.process(
            &mut [&mut l[0][pos..pos + n], &mut r[0][pos..pos + n]],
            &[&key[0][pos..pos + n], &key[1][pos..pos + n]],
        );
        max_reduction = max_reduction.max(u.max_reduction_db());
        pos += n;
    }
    (out, max_reduction)
}

#[test]
#[cfg_attr(debug_assertions, ignore = "release only: cargo test -p shared-dsp --release")]
fn any_block_partition_gives_identical_output() {
    let mut rng = Rng::new(0x00B1_0C0A);
    for size in FftSize::ALL {
        let rate = rng.sample_rate();
        let len = 40_000;
        let audio = vec![noise(&mut rng, len, 0.5), noise(&mut rng, len, 0.2)];
        // Key bursts: on for 3000 samples, off for 5000, so attack and release both run.
        let mut key_l = noise(&mut rng, len, 0.7);
        for (i, x) in key_l.iter_mut().enumerate() {
            if i % 8000 >= 3000 {
                *x *= 0.001;
            }
        }
        let key = vec![key_l, noise(&mut rng, len, 0.7)];
        let s = UnmaskSettings {
            threshold_db: -50.0,
            attack_ms: 5.0,
            release_ms: 60.0,
            resolution: size,
            ..UnmaskSettings::default()
        };
        let (one, reduction) = run(&s, rate, &audio, &key, &[len]);
        assert!(reduction > 6.0, "{size:?}: the key drove only {reduction} dB of reduction");
        for _ in 0..4 {
            let blocks = random_partition(&mut rng, len, 4096);
            let (other, _) = run(&s, rate, &audio, &key, &blocks);
            assert!(one == other, "{size:?} at {rate} Hz: output depends on the block partition");
        }
        let (single, _) = run(&s, rate, &audio, &key, &vec![1; len]);
        assert!(one == single, "{size:?}: sample-by-sample processing differs");
    }
}
