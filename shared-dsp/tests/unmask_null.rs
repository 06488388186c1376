//! With a silent key the Unmask is a pure delay of N - 1 samples (STFT round trip to float rounding)
//! at every resolution and random rates; channels outside the gain mask are delayed bit-exactly
//! even with a loud key.

mod common;
use common::{noise, random_partition, Rng};
use shared_dsp::stft::FftSize;
use shared_dsp::unmask::{Unmask, UnmaskSettings};
use shared_dsp::{DspUnit, MAX_CHANNELS};

fn run(u: &mut Unmask, audio: &[Vec<f32>], key: &[Vec<f32>], blocks: &[usize]) -> Vec<Vec<f32>> {
    let mut out = audio.to_vec();
    let mut pos = 0;
    for &n in blocks {
        let mut chans: Vec<&mut [f32]> = out.iter_mut().map(|c| &mut c[pos..pos + n]).collect();
        let keys: Vec<&[f32]> = key.iter().map(|c| &c[pos..pos + n]).collect();
        u.process(&mut chans, &keys);
        pos += n;
    }
    out
}

/// Largest |out[t] - in[t - delay]| over the whole output (the first `delay` outputs must be 0).
fn residual(out: &[f32], input: &[f32], delay: usize) -> f32 {
    out.iter()
        .enumerate()
        .map(|(t, &y)| (y - if t >= delay { input[t - delay] } else { 0.0 }).abs())
        .fold(0.0, f32::max)
}

fn db(x: f32) -> f32 {
    20.0 * x.max(1e-30).log10()
}

#[test]
#[cfg_attr(debug_assertions, ignore = "release only: cargo test -p shared-dsp --release")]
fn silent_key_is_a_delay_of_n_minus_1() {
    let mut rng = Rng::new(0x0_0A11);
    let mut worst = f32::NEG_INFINITY;
    for size in FftSize::ALL {
        for _ in 0..4 {
            let rate = rng.range(22_050.0, 192_000.0).round();
            let len = 3 * size.samples() + rng.int(0, 5000);
            let audio = vec![noise(&mut rng, len, 0.9), noise(&mut rng, len, 0.3)];
            let key = vec![vec![0.0; len]; 2];
            let mut u = Unmask::new(2, rate);
            // Settings that would duck hard if the key had any energy at all.
            u.set_settings(&UnmaskSettings {
                threshold_db: -120.0,
                ratio: 20.0,
                range_db: 40.0,
                resolution: size,
                ..UnmaskSettings::default()
            });
            let latency = u.latency_samples();
            assert_eq!(latency, size.samples() - 1);
            let blocks = random_partition(&mut rng, len, 1500);
            let out = run(&mut u, &audio, &key, &blocks);
            assert_eq!(u.max_reduction_db(), 0.0, "{size:?} at {rate} Hz: reduction with a silent key");
            for ch in 0..2 {
                let r = db(residual(&out[ch], &audio[ch], latency));
                worst = worst.max(r);
                assert!(r <= -90.0, "{size:?} at {rate} Hz ch {ch}: residual {r:.1} dBFS");
            }
        }
    }
    println!("silent key: worst residual against the delayed input {worst:.1} dBFS");
}

#[test]
#[cfg_attr(debug_assertions, ignore = "release only: cargo test -p shared-dsp --release")]
fn channels_outside_the_gain_mask_are_delayed_exactly() {
    let mut rng = Rng::new(0x0_0A12);
    for size in FftSize::ALL {
        let rate = rng.range(22_050.0, 192_000.0).round();
        let len = 4 * size.samples() + 777;
        let audio = vec![noise(&mut rng, len, 0.5), noise(&mut rng, len, 0.5)];
        // A loud key in both channels, so the ducked channel really is ducked.
        let key = vec![noise(&mut rng, len, 0.8), noise(&mut rng, len, 0.8)];
        let s = UnmaskSettings {
            threshold_db: -60.0,
            ratio: 8.0,
            range_db: 24.0,
            resolution: size,
            ..UnmaskSettings::default()
        };
        // Nothing ducked: both channels are an exact delay.
        let mut u = Unmask::new(2, rate);
        u.set_settings(&s);
        u.set_channel_masks([true; MAX_CHANNELS], [false; MAX_CHANNELS]);
        let blocks = random_partition(&mut rng, len, 1000);
        let out = run(&mut u, &audio, &key, &blocks);
        assert!(u.max_reduction_db() > 10.0, "{size:?}: the key did not drive the reduction");
        for ch in 0..2 {
            assert_eq!(residual(&out[ch], &audio[ch], size.samples() - 1), 0.0, "{size:?} ch {ch}: not an exact delay");
        }
        // Only the left channel ducked: the right one is still an exact delay, the left one is not.
        let mut u = Unmask::new(2, rate);
        u.set_settings(&s);
        let mut gain_mask = [false; MAX_CHANNELS];
        gain_mask[0] = true;
        u.set_channel_masks([true; MAX_CHANNELS], gain_mask);
        let out = run(&mut u, &audio, &key, &blocks);
        assert_eq!(residual(&out[1], &audio[1], size.samples() - 1), 0.0, "{size:?}: right channel not an exact delay");
        let ducked = db(residual(&out[0], &audio[0], size.samples() - 1));
        assert!(ducked > -20.0, "{size:?}: left channel was not ducked ({ducked:.1} dBFS residual)");
    }
}

#[test]
#[cfg_attr(debug_assertions, ignore = "release only: cargo test -p shared-dsp --release")]
fn gain_mask_switches_mid_stream_without_gaps() {
    // A channel switched into the gain mask passes through delayed until its overlap-add holds whole
    // frames (at most N samples), then matches a run that ducked it all along, bit for bit; switched
    // out, it is an exact delay at once.
    let mut rng = Rng::new(0x0_0A13);
    for size in FftSize::ALL {
        let n = size.samples();
        let rate = rng.sample_rate();
        let len = 10 * n;
        let audio = vec![noise(&mut rng, len, 0.5)];
        let key = vec![noise(&mut rng, len, 0.8)];
        let s = UnmaskSettings { threshold_db: -60.0, range_db: 20.0, resolution: size, ..UnmaskSettings::default() };
        let blocks = random_partition(&mut rng, len, 700);
        let mut always = Unmask::new(1, rate);
        always.set_settings(&s);
        let reference = run(&mut always, &audio, &key, &blocks);
        // Off for the first blocks, on from `on_at`, off again from `off_at` (block starts).
        let starts: Vec<usize> = blocks
            .iter()
            .scan(0, |p, &b| {
                let s = *p;
                *p += b;
                Some(s)
            })
            .collect();
        let on_at = *starts.iter().find(|&&p| p >= 3 * n).unwrap();
        let off_at = *starts.iter().find(|&&p| p >= 7 * n).unwrap();
        let mut u = Unmask::new(1, rate);
        u.set_settings(&s);
        let mut out = audio.clone();
        for (&start, &b) in starts.iter().zip(&blocks) {
            let on = (on_at..off_at).contains(&start);
            u.set_channel_masks([true; MAX_CHANNELS], [on; MAX_CHANNELS]);
            u.process(&mut [&mut out[0][start..start + b]], &[&key[0][start..start + b]]);
        }
        let latency = n - 1;
        let delayed = |t: usize| if t >= latency { audio[0][t - latency] } else { 0.0 };
        // Before the switch and while warming up: the delayed input exactly.
        let first_processed = (on_at..off_at).find(|&t| out[0][t] != delayed(t)).expect("never ducked");
        assert!(first_processed - on_at <= n, "{size:?}: warm-up took {} samples", first_processed - on_at);
        assert!((0..first_processed).all(|t| out[0][t] == delayed(t)), "{size:?}: not a delay before the switch");
        // After the warm-up: identical to the run that ducked all along.
        assert!(
            out[0][first_processed..off_at] == reference[0][first_processed..off_at],
            "{size:?}: differs after warm-up"
        );
        // Switched off: an exact delay again.
        assert!((off_at..len).all(|t| out[0][t] == delayed(t)), "{size:?}: not a delay after switching off");
        println!("{size:?}: ducking took over {} samples after the switch", first_processed - on_at);
    }
}
