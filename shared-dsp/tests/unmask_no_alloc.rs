//! Unmask never allocates while processing, changing settings (resolution included), changing the
//! channel masks or resetting.

use shared_dsp::stft::FftSize;
use shared_dsp::unmask::{Unmask, UnmaskSettings};
use shared_dsp::{DspUnit, MAX_CHANNELS};
use test_support::allocations;

#[global_allocator]
static GLOBAL: test_support::CountingAllocator = test_support::CountingAllocator;

#[test]
fn allocator_counts() {
    let before = allocations();
    let v = std::hint::black_box(vec![1u8; 100]);
    assert!(allocations() > before);
    drop(v);
}

#[test]
fn processing_and_setting_changes_never_allocate() {
    let mut u = Unmask::new(2, 48_000.0);
    let mut l: Vec<f32> = (0..4096).map(|i| 0.3 * (i as f32 * 0.05).sin()).collect();
    let mut r = l.clone();
    let key: Vec<f32> = (0..4096).map(|i| 0.5 * (i as f32 * 0.13).sin() + 0.2 * (i as f32 * 0.011).cos()).collect();
    let blocks = [1usize, 7, 64, 333, 512, 1024, 2048, 4096];
    let before = allocations();
    let mut reduced = false;
    for round in 0..60 {
        let s = UnmaskSettings {
            threshold_db: -40.0 - (round % 7) as f32,
            ratio: 2.0 + (round % 3) as f32,
            range_db: 6.0 + (round % 5) as f32,
            attack_ms: 1.0 + round as f32,
            release_ms: 50.0 + 10.0 * round as f32,
            resolution: FftSize::ALL[(round / 4) % 3],
            ..UnmaskSettings::default()
        };
        u.set_settings(&s);
        let mut gain_mask = [true; MAX_CHANNELS];
        gain_mask[1] = round % 5 != 0;
        let mut key_mask = [true; MAX_CHANNELS];
        key_mask[0] = round % 3 != 0;
        u.set_channel_masks(key_mask, gain_mask);
        if round % 17 == 16 {
            u.reset();
        }
        for &n in &blocks {
            u.process(&mut [&mut l[..n], &mut r[..n]], &[&key[..n], &key[..n]]);
            reduced |= u.max_reduction_db() > 0.0;
        }
        std::hint::black_box((
            u.key_band_levels_db(),
            u.stem_band_levels_db(),
            u.band_reduction_db(),
            u.band_centres_hz(),
        ));
    }
    let after = allocations();
    assert!(reduced, "the key never drove the reduction");
    assert_eq!(after, before, "Unmask allocated {} times", after - before);
}
