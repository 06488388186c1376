//! The impulse argmax equals the reported latency, N - 1, at every resolution and random rates,
//! with and without reduction; only the resolution changes the latency.

mod common;
use common::{noise, Rng};
use shared_dsp::stft::FftSize;
use shared_dsp::unmask::{Unmask, UnmaskSettings};
use shared_dsp::DspUnit;

fn argmax(x: &[f32]) -> usize {
    (0..x.len()).max_by(|&a, &b| x[a].abs().total_cmp(&x[b].abs())).unwrap()
}

#[test]
#[cfg_attr(debug_assertions, ignore = "release only: cargo test -p shared-dsp --release")]
fn impulse_argmax_is_the_reported_latency() {
    let mut rng = Rng::new(0x001A_7E0A);
    for size in FftSize::ALL {
        for loud_key in [false, true] {
            for _ in 0..3 {
                let rate = rng.range(22_050.0, 192_000.0).round();
                let mut u = Unmask::new(2, rate);
                u.set_settings(&UnmaskSettings {
                    threshold_db: -60.0,
                    ratio: 4.0,
                    range_db: 12.0,
                    resolution: size,
                    ..UnmaskSettings::default()
                });
                let latency = u.latency_samples();
                assert_eq!(latency, size.samples() - 1, "{size:?}");
                let offset = rng.int(0, 3000);
                let len = offset + 2 * size.samples();
                let amp = rng.range(0.01, 0.9);
                let mut l = vec![0.0f32; len];
                l[offset] = amp;
                let mut r = l.clone();
                let key = if loud_key { noise(&mut rng, len, 0.5) } else { vec![0.0; len] };
                let mut pos = 0;
                while pos < len {
                    let n = rng.int(1, 700).min(len - pos);
                    u.process(
                        &mut [&mut l[pos..pos + n], &mut r[pos..pos + n]],
                        &[&key[pos..pos + n], &key[pos..pos + n]],
                    );
                    pos += n;
                }
                if loud_key {
                    assert!(u.max_reduction_db() > 3.0, "{size:?}: the key did not drive the reduction");
                }
                assert_eq!(argmax(&l) - offset, latency, "{size:?} at {rate} Hz, loud key {loud_key}");
                assert_eq!(argmax(&r) - offset, latency);
            }
        }
    }
}

#[test]
fn latency_changes_only_with_the_resolution() {
    let mut rng = Rng::new(5);
    let mut u = Unmask::new(2, 48_000.0);
    for size in FftSize::ALL {
        for _ in 0..20 {
            u.set_settings(&UnmaskSettings {
                threshold_db: rng.range(-80.0, 0.0),
                ratio: rng.range(1.0, 20.0),
                knee_db: rng.range(0.0, 12.0),
                range_db: rng.range(0.0, 30.0),
                attack_ms: rng.range(0.0, 100.0),
                release_ms: rng.range(0.0, 1000.0),
                resolution: size,
            });
            assert_eq!(u.latency_samples(), size.samples() - 1);
        }
    }
    u.set_sample_rate(96_000.0);
    assert_eq!(u.latency_samples(), FftSize::N4096.samples() - 1);
}
