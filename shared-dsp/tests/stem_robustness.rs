//! Stem Compressor robustness: block-size independence in every mode, bad input on the audio and
//! the key, and no allocation in `process` even across mode and resolution switches.
mod common;
use common::stem::*;
use common::*;
use shared_dsp::channel_mode::ChannelMode;
use shared_dsp::compressor::CompressorSettings;
use shared_dsp::stem_compressor::{DetectorChoice, KeyRouting, StemCompressor, StemCompressorSettings, StemMode};
use shared_dsp::stem_profile::StemKind;
use shared_dsp::stft::FftSize;
use test_support::allocations_during;

#[global_allocator]
static GLOBAL: test_support::CountingAllocator = test_support::CountingAllocator;

fn random_settings(rng: &mut Rng) -> StemCompressorSettings {
    StemCompressorSettings {
        stem: StemKind::ALL[rng.int(0, 11)],
        detector: [DetectorChoice::Auto, DetectorChoice::Peak, DetectorChoice::Rms, DetectorChoice::CrestBlend][rng.int(0, 3)],
        mode: if rng.unit() < 0.5 { StemMode::Broadband } else { StemMode::Unmask },
        resolution: FftSize::ALL[rng.int(0, 2)],
        channel_mode: [ChannelMode::Stereo, ChannelMode::MidSide, ChannelMode::MidOnly, ChannelMode::SideOnly][rng.int(0, 3)],
        key: [KeyRouting::Internal, KeyRouting::External, KeyRouting::Blend][rng.int(0, 2)],
        key_blend: rng.unit(),
        dynamics: CompressorSettings {
            threshold_db: rng.range(-50.0, -10.0),
            ratio: rng.range(1.5, 20.0),
            knee_db: rng.range(0.0, 12.0),
            range_db: rng.range(3.0, 40.0),
            attack_ms: rng.range(0.1, 50.0),
            release_ms: rng.range(5.0, 500.0),
            auto_release: rng.unit() < 0.5,
            auto_makeup: rng.unit() < 0.5,
            stereo_link: rng.unit(),
            lookahead_ms: rng.range(0.0, 10.0),
            mix: rng.unit(),
            delta: rng.unit() < 0.2,
            ..Default::default()
        },
        ..Default::default()
    }
}

#[test]
#[cfg_attr(debug_assertions, ignore = "slow in debug; run with --release")]
fn output_is_independent_of_the_block_partition() {
    let mut rng = Rng::new(0xB10C);
    let len = 30_000;
    for case in 0..12 {
        let s = random_settings(&mut rng);
        let x = vec![noise(&mut rng, len, 0.7), noise(&mut rng, len, 0.3)];
        let k = vec![noise(&mut rng, len, 0.5), noise(&mut rng, len, 0.9)];
        let (a, _) = run(&x, &k, &s, 48_000.0, &even_blocks(len, 4096));
        let (b, _) = run(&x, &k, &s, 48_000.0, &random_partition(&mut rng, len, 1500));
        assert_eq!(max_diff(&a, &b), 0.0, "case {case}: {s:?}");
    }
}

#[test]
fn bad_input_never_reaches_the_output_and_the_compressor_recovers() {
    let mut rng = Rng::new(0xBAD5);
    let len = 48_000;
    for case in 0..8 {
        let s = random_settings(&mut rng);
        let clean = vec![noise(&mut rng, len, 0.5), noise(&mut rng, len, 0.5)];
        let key = vec![noise(&mut rng, len, 0.5), noise(&mut rng, len, 0.5)];
        let (mut dirty, mut dirty_key) = (clean.clone(), key.clone());
        for (i, bad) in [f32::NAN, f32::INFINITY, f32::NEG_INFINITY, 1e30, 1e-40].iter().cycle().take(480).enumerate() {
            dirty[i % 2][2_000 + i] = *bad;
            dirty_key[(i + 1) % 2][2_000 + i] = *bad;
        }
        let (a, latency) = run(&clean, &key, &s, 48_000.0, &even_blocks(len, 512));
        let (b, _) = run(&dirty, &dirty_key, &s, 48_000.0, &even_blocks(len, 512));
        assert!(b.iter().flatten().all(|v| v.is_finite()), "case {case}: non-finite output");
        // Recovered 100 ms (plus the latency and the release's settling) after the burst.
        let from = 2_480 + 4_800 + latency;
        let settle = (s.dynamics.release_ms * 48.0 * 10.0) as usize;
        let check = (from + settle).min(len - 1000);
        let diff = (0..2).flat_map(|ch| (check..len).map(move |i| (ch, i))).map(|(ch, i)| (a[ch][i] - b[ch][i]).abs()).fold(0.0f32, f32::max);
        assert!(diff < 1e-3, "case {case}: still {diff} off the clean run ({s:?})");
    }
}

#[test]
fn process_never_allocates_even_across_switches() {
    let mut rng = Rng::new(0xA110C);
    let mut c = StemCompressor::new(2, 10.0, 48_000.0);
    let mut x = [noise(&mut rng, 8192, 0.5), noise(&mut rng, 8192, 0.5)];
    let k = [noise(&mut rng, 8192, 0.5), noise(&mut rng, 8192, 0.5)];
    let settings: Vec<_> = (0..64).map(|_| random_settings(&mut rng)).collect();
    let blocks: Vec<_> = (0..64).map(|_| rng.int(1, 8192)).collect();
    let count = allocations_during(|| {
        for (s, &b) in settings.iter().zip(&blocks) {
            c.set_settings(s);
            let (l, r) = x.split_at_mut(1);
            let mut audio = [&mut l[0][..b], &mut r[0][..b]];
            c.process(&mut audio, &[&k[0][..b], &k[1][..b]]);
        }
    });
    assert_eq!(count, 0, "process or set_settings allocated");
    // Not vacuous: the counter sees an allocation on this thread.
    assert_eq!(allocations_during(|| drop(std::hint::black_box(vec![0u8; 64]))), 1);
}
