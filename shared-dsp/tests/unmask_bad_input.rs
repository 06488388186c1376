//! Bursts of NaN, ±Inf and 1e30 in the audio or the key never produce non-finite output, and the
//! output is back to the clean run's within 100 ms + latency after the burst, at every resolution.
//!
//! Garbage is replaced by silence, so a burst in the key lets the band reductions release while it
//! lasts; afterwards the two runs converge at the smoothing's own pace. The 100 ms check therefore
//! uses times a fast ducker would (attack 5 ms, release 20 ms); with the default 200 ms release the
//! check waits 100 ms + five release time constants.

mod common;
use common::{noise, Rng};
use shared_dsp::stft::FftSize;
use shared_dsp::unmask::{Unmask, UnmaskSettings};
use shared_dsp::DspUnit;

fn run(s: &UnmaskSettings, rate: f32, audio: &[f32], key: &[f32]) -> (Vec<f32>, usize) {
    let mut u = Unmask::new(2, rate);
    u.set_settings(s);
    let mut l = audio.to_vec();
    let mut r: Vec<f32> = audio.iter().map(|x| -0.5 * x).collect();
    for ((a, b), k) in l.chunks_mut(256).zip(r.chunks_mut(256)).zip(key.chunks(256)) {
        u.process(&mut [a, b], &[k, k]);
    }
    assert!(r.iter().all(|y| y.is_finite()), "non-finite output in the right channel");
    (l, u.latency_samples())
}

#[test]
#[cfg_attr(debug_assertions, ignore = "release only: cargo test -p shared-dsp --release")]
fn garbage_never_leaks_and_the_output_recovers() {
    let mut rng = Rng::new(0x000B_AD0A);
    let rate = 48_000usize;
    let len = 2 * rate;
    let burst = 12_000..12_800;
    let mut worst = f32::NEG_INFINITY;
    for size in FftSize::ALL {
        for garbage in [f32::NAN, f32::INFINITY, f32::NEG_INFINITY, 1e30] {
            for (in_audio, in_key) in [(true, false), (false, true), (true, true)] {
                let clean_audio = noise(&mut rng, len, 0.5);
                // A key that keeps the reduction moving: noise with a slow tremolo.
                let clean_key: Vec<f32> = noise(&mut rng, len, 0.5)
                    .iter()
                    .enumerate()
                    .map(|(i, x)| x * (0.55 + 0.45 * (i as f32 * 3e-4).sin()))
                    .collect();
                let spoil = |x: &[f32]| {
                    let mut y = x.to_vec();
                    for (i, v) in y[burst.clone()].iter_mut().enumerate() {
                        *v = if i % 3 == 0 { garbage } else { -garbage };
                    }
                    y
                };
                let dirty_audio = if in_audio { spoil(&clean_audio) } else { clean_audio.clone() };
                let dirty_key = if in_key { spoil(&clean_key) } else { clean_key.clone() };
                let fast = UnmaskSettings {
                    threshold_db: -50.0,
                    range_db: 15.0,
                    attack_ms: 5.0,
                    release_ms: 20.0,
                    resolution: size,
                    ..UnmaskSettings::default()
                };
                let default_times = UnmaskSettings { attack_ms: 20.0, release_ms: 200.0, ..fast };
                for (s, wait_ms) in [(fast, 100), (default_times, 100 + 5 * 200)] {
                    let (a, latency) = run(&s, rate as f32, &clean_audio, &clean_key);
                    let (b, _) = run(&s, rate as f32, &dirty_audio, &dirty_key);
                    let what =
                        format!("{size:?} {garbage} in audio {in_audio} key {in_key}, release {} ms", s.release_ms);
                    assert!(b.iter().all(|y| y.is_finite()), "{what}: non-finite output");
                    let from = burst.end + rate * wait_ms / 1000 + latency;
                    let peak = a[from..].iter().map(|x| x.abs()).fold(0.0, f32::max);
                    let diff = a[from..].iter().zip(&b[from..]).map(|(x, y)| (x - y).abs()).fold(0.0, f32::max);
                    let rel_db = 20.0 * (diff / peak).max(1e-30).log10();
                    if wait_ms == 100 {
                        worst = worst.max(rel_db);
                    }
                    assert!(
                        rel_db < -60.0,
                        "{what}: still {rel_db:.1} dB (re the peak) off {wait_ms} ms + latency after the burst"
                    );
                }
            }
        }
    }
    println!("bad input: worst difference to the clean run 100 ms + latency after the burst: {worst:.1} dB re peak");
}
