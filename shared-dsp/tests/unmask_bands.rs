//! The band layout (every band holds a bin, at most MAX_BANDS, rising centres), the band-to-bin
//! interpolation, the key level calibration (a sine of amplitude A reads 20 log10(A / sqrt 2) in its
//! band) and the ducking itself: a 1 kHz key carves the stem around 1 kHz and leaves it alone below
//! 200 Hz and above 8 kHz.

mod common;
use common::{noise, Rng};
use realfft::RealFftPlanner;
use shared_dsp::spectral_bands::{BandLayout, MAX_BANDS};
use shared_dsp::stft::FftSize;
use shared_dsp::unmask::{Unmask, UnmaskSettings};
use shared_dsp::{DspUnit, MAX_CHANNELS};
use std::f32::consts::{PI, SQRT_2};

#[test]
fn every_band_holds_a_bin_and_centres_rise() {
    let mut rng = Rng::new(0xBA4D);
    let mut rates: Vec<f32> = vec![8_000.0, 22_050.0, 44_100.0, 48_000.0, 96_000.0, 192_000.0, 384_000.0, 768_000.0];
    rates.extend((0..40).map(|_| rng.range(8_000.0, 400_000.0).round()));
    for size in FftSize::ALL {
        for &rate in &rates {
            let n = size.samples();
            let layout = BandLayout::new(n, rate);
            let count = layout.count();
            let what = format!("{size:?} at {rate} Hz");
            assert!((1..=MAX_BANDS).contains(&count), "{what}: {count} bands");
            // Contiguous, non-empty, from DC to Nyquist, and no band holds DC alone.
            let mut next = 0;
            for b in 0..count {
                let bins = layout.bins(b);
                assert_eq!(bins.start, next, "{what}: band {b} not contiguous");
                assert!(!bins.is_empty() && bins != (0..1), "{what}: band {b} holds {bins:?}");
                for bin in bins.clone() {
                    assert_eq!(layout.band_of_bin(bin), b);
                }
                next = bins.end;
            }
            assert_eq!(next, n / 2 + 1, "{what}: bins left over");
            let c = layout.centres_hz();
            assert!(c.windows(2).all(|w| w[0] < w[1]), "{what}: centres do not rise: {c:?}");
            assert!(c[count - 1] < rate / 2.0, "{what}: last centre {} above Nyquist", c[count - 1]);
            // Fine enough bins keep the ISO third octaves: 25 Hz first, 1 kHz and its neighbours exact.
            if rate / n as f32 <= 5.0 {
                assert!((c[0] - 25.1).abs() < 0.1, "{what}: first centre {}", c[0]);
            }
            if rate / n as f32 <= 50.0 && rate > 3_000.0 {
                let k = c
                    .iter()
                    .position(|&f| (f - 1000.0).abs() < 0.01)
                    .unwrap_or_else(|| panic!("{what}: no 1 kHz band"));
                assert!((c[k + 1] / c[k] - 10f32.powf(0.1)).abs() < 1e-4, "{what}: not a third octave above 1 kHz");
            }
            if rate >= 44_100.0 {
                assert!(count >= 20, "{what}: only {count} bands");
            }
            println!(
                "{what}: {count} bands, first {:.1} Hz (bins {:?}), last {:.0} Hz",
                c[0],
                layout.bins(0),
                c[count - 1]
            );
        }
    }
}

#[test]
fn interpolation_is_linear_in_log_frequency_and_flat_outside() {
    let mut rng = Rng::new(0x1E7);
    for size in FftSize::ALL {
        let rate = rng.sample_rate();
        let layout = BandLayout::new(size.samples(), rate);
        let count = layout.count();
        let band_db: Vec<f32> = (0..count).map(|_| rng.range(-30.0, 0.0)).collect();
        let mut bin_db = vec![f32::NAN; size.bins()];
        layout.interpolate_db(&band_db, &mut bin_db);
        let c = layout.centres_hz();
        let bin_hz = rate / size.samples() as f32;
        for (k, &g) in bin_db.iter().enumerate() {
            let f = k as f32 * bin_hz;
            let expected = if f <= c[0] {
                band_db[0]
            } else if f >= c[count - 1] {
                band_db[count - 1]
            } else {
                let b = c.iter().rposition(|&cb| cb <= f).unwrap();
                let w = (f / c[b]).ln() / (c[b + 1] / c[b]).ln();
                band_db[b] + w * (band_db[b + 1] - band_db[b])
            };
            assert!((g - expected).abs() < 1e-3, "{size:?} at {rate} Hz, bin {k} ({f} Hz): {g} vs {expected}");
        }
    }
}

#[test]
#[cfg_attr(debug_assertions, ignore = "release only: cargo test -p shared-dsp --release")]
fn a_sine_reads_its_rms_level_in_its_band() {
    let mut rng = Rng::new(0xCA1);
    let mut worst = 0.0f32;
    let mut checked = 0;
    for size in FftSize::ALL {
        for _ in 0..3 {
            let rate = rng.range(22_050.0, 192_000.0).round();
            let n = size.samples();
            let layout = BandLayout::new(n, rate);
            let bin_hz = rate / n as f64 as f32;
            for band in 0..layout.count() {
                let bins = layout.bins(band);
                // "Wholly inside": the main lobe and the first sidelobes (±6 bins) stay in the band.
                if bins.len() < 14 {
                    continue;
                }
                let f = ((bins.start + bins.end) as f32 / 2.0 + rng.range(-0.5, 0.5)) * bin_hz;
                let amp = rng.range(0.001, 1.0);
                let phase = rng.range(0.0, 2.0 * PI);
                let len = 3 * n;
                let key: Vec<f32> = (0..len).map(|i| amp * (2.0 * PI * f / rate * i as f32 + phase).sin()).collect();
                let mut u = Unmask::new(1, rate);
                u.set_settings(&UnmaskSettings { resolution: size, ..UnmaskSettings::default() });
                let mut audio = vec![0.0f32; len];
                u.process(&mut [&mut audio], &[&key]);
                let expected = 20.0 * (amp / SQRT_2).log10();
                let read = u.key_band_levels_db()[band];
                let err = read - expected;
                worst = worst.max(err.abs());
                checked += 1;
                assert!(
                    err.abs() <= 0.5,
                    "{size:?} at {rate} Hz: {f} Hz sine of {amp} reads {read} dB, expected {expected}"
                );
                // Its neighbours two bands away hear next to nothing.
                for other in [band.wrapping_sub(2), band + 2] {
                    if let Some(&l) = u.key_band_levels_db().get(other) {
                        assert!(
                            l < expected - 40.0,
                            "{size:?}: band {other} reads {l} dB next to a {expected} dB sine"
                        );
                    }
                }
                // Power adds over key channels: the same sine in both channels of a stereo key reads +3 dB.
                let mut u2 = Unmask::new(2, rate);
                u2.set_settings(&UnmaskSettings { resolution: size, ..UnmaskSettings::default() });
                let mut a = vec![0.0f32; len];
                let mut b = vec![0.0f32; len];
                u2.process(&mut [&mut a, &mut b], &[&key, &key]);
                let stereo = u2.key_band_levels_db()[band];
                assert!((stereo - read - 3.0103).abs() < 0.01, "{size:?}: stereo key reads {stereo} vs mono {read}");
                // And the stem meter uses the same scale.
                let mut stem = key.clone();
                let mut silent_key = vec![0.0f32; len];
                let mut u3 = Unmask::new(1, rate);
                u3.set_settings(&UnmaskSettings { resolution: size, ..UnmaskSettings::default() });
                u3.process(&mut [&mut stem], &[&mut silent_key]);
                assert!(
                    (u3.stem_band_levels_db()[band] - read).abs() < 1e-3,
                    "{size:?}: stem meter differs from key meter"
                );
            }
        }
    }
    assert!(checked > 30, "only {checked} bands were wide enough to check");
    println!("calibration: {checked} bands, worst |reading - 20 log10(A / sqrt 2)| = {worst:.3} dB");
}

/// Energy per band of `x[range]` (Hann frames of the layout's size, half overlap), in the layout's bands.
fn band_energies(x: &[f32], layout: &BandLayout, range: std::ops::Range<usize>) -> Vec<f64> {
    let n = layout.fft_size();
    let fft = RealFftPlanner::<f32>::new().plan_fft_forward(n);
    let window: Vec<f32> = (0..n).map(|j| 0.5 - 0.5 * (2.0 * PI * j as f32 / n as f32).cos()).collect();
    let mut frame = fft.make_input_vec();
    let mut spectrum = fft.make_output_vec();
    let mut energies = vec![0.0f64; layout.count()];
    let mut start = range.start;
    while start + n <= range.end {
        for ((f, &s), &w) in frame.iter_mut().zip(&x[start..start + n]).zip(&window) {
            *f = s * w;
        }
        fft.process(&mut frame, &mut spectrum).unwrap();
        for (b, e) in energies.iter_mut().enumerate() {
            *e += layout.bins(b).map(|k| spectrum[k].norm_sqr() as f64).sum::<f64>();
        }
        start += n / 2;
    }
    energies
}

#[test]
#[cfg_attr(debug_assertions, ignore = "release only: cargo test -p shared-dsp --release")]
fn a_1khz_key_carves_the_noise_around_1khz_only() {
    let mut rng = Rng::new(0x1_C4);
    for size in FftSize::ALL {
        for rate in [44_100.0f32, 48_000.0, rng.range(60_000.0, 192_000.0).round()] {
            let len = (1.5 * rate) as usize;
            let n = size.samples();
            let key: Vec<f32> = (0..len).map(|i| 0.5 * (2.0 * PI * 1000.0 / rate * i as f32).sin()).collect();
            let stem = vec![noise(&mut rng, len, 0.5), noise(&mut rng, len, 0.5)];
            let mut u = Unmask::new(2, rate);
            u.set_settings(&UnmaskSettings {
                threshold_db: -40.0,
                ratio: 10.0,
                knee_db: 0.0,
                range_db: 20.0,
                attack_ms: 5.0,
                release_ms: 50.0,
                resolution: size,
            });
            // Mono key on the left key input, both stem channels ducked.
            let mut key_mask = [false; MAX_CHANNELS];
            key_mask[0] = true;
            u.set_channel_masks(key_mask, [true; MAX_CHANNELS]);
            let silent = vec![0.0f32; len];
            let mut out = stem.clone();
            let (l, r) = out.split_at_mut(1);
            for ((a, b), (k, s)) in
                l[0].chunks_mut(500).zip(r[0].chunks_mut(500)).zip(key.chunks(500).zip(silent.chunks(500)))
            {
                u.process(&mut [a, b], &[k, s]);
            }
            let latency = u.latency_samples();
            let layout = BandLayout::new(n, rate);
            let band_1k = layout.band_of_bin((1000.0 / (rate / n as f32)).round() as usize);
            assert!(u.band_reduction_db()[band_1k] > 19.0, "{size:?} at {rate}: reduction {:?}", u.band_reduction_db());
            // Settled: skip the first half second.
            let settled = (0.5 * rate) as usize..len - latency;
            let mut report = String::new();
            for ch in 0..2 {
                let before = band_energies(&stem[ch], &layout, settled.clone());
                let after = band_energies(&out[ch][latency..], &layout, settled.clone());
                let change_db: Vec<f64> = before.iter().zip(&after).map(|(b, a)| 10.0 * (a / b).log10()).collect();
                let centres = layout.centres_hz();
                assert!(
                    change_db[band_1k] <= -6.0,
                    "{size:?} at {rate}: 1 kHz band fell only {:.2} dB",
                    -change_db[band_1k]
                );
                let mut worst_outside = 0.0f64;
                for (b, &c) in centres.iter().enumerate() {
                    if !(200.0..=8000.0).contains(&c) {
                        worst_outside = worst_outside.max(change_db[b].abs());
                        assert!(
                            change_db[b].abs() <= 0.5,
                            "{size:?} at {rate}: band {c} Hz changed {:.2} dB",
                            change_db[b]
                        );
                    }
                }
                report += &format!(
                    " ch{ch}: 1 kHz band {:+.2} dB (neighbours {:+.2} / {:+.2}), worst outside 200 Hz..8 kHz {:.4} dB;",
                    change_db[band_1k],
                    change_db[band_1k - 1],
                    change_db[band_1k + 1],
                    worst_outside
                );
            }
            println!("{size:?} at {rate} Hz:{report}");
        }
    }
}
