//! Hostile input: bursts of NaN, ±Inf, 1e30, +80 dBFS and denormals never produce non-finite output,
//! and the clipper is back to its clean output within 100 ms after the burst, in every factor and phase,
//! with Transient Only engaged too (garbage must not blind the transient detector).

mod common;
use common::{noise, Rng};
use shared_dsp::clipper::{ClipperSettings, TransientClipper};
use shared_dsp::oversampler::{FilterPhase, Oversampling};

#[test]
#[cfg_attr(debug_assertions, ignore = "release only: cargo test -p shared-dsp --release")]
fn garbage_never_leaks_and_the_clipper_recovers_within_100_ms() {
    let mut rng = Rng::new(0xBAD);
    let rate = 48_000usize;
    let len = rate / 2;
    let burst = 4000..4800;
    let recovered_from = burst.end + rate / 10;
    for factor in Oversampling::ALL {
        for phase in FilterPhase::ALL {
            for (garbage, transient_only) in [
                (f32::NAN, 0.0),
                (f32::INFINITY, 1.0),
                (f32::NEG_INFINITY, 0.0),
                (1e30, 1.0),
                (1e4, 1.0),
                (1e-40, 0.5),
            ] {
                // Noise with bursts every 50 ms, so the transient detector has hits to find.
                let mut clean = noise(&mut rng, len, 0.3);
                for (i, x) in clean.iter_mut().enumerate() {
                    if i % 2400 < 200 {
                        *x *= 3.0;
                    }
                }
                let mut dirty = clean.clone();
                for (i, x) in dirty[burst.clone()].iter_mut().enumerate() {
                    *x = if i % 3 == 0 { garbage } else { -garbage };
                }
                let s = ClipperSettings { drive_db: 6.0, oversampling: factor, phase, transient_only, ..ClipperSettings::default() };
                let run = |x: &[f32]| {
                    let mut c = TransientClipper::new(2, rate as f32);
                    c.set_settings_immediately(&s);
                    let mut l = x.to_vec();
                    let mut r = x.to_vec();
                    for (a, b) in l.chunks_mut(256).zip(r.chunks_mut(256)) {
                        c.process(&mut [a, b]);
                    }
                    l
                };
                let a = run(&clean);
                let b = run(&dirty);
                assert!(b.iter().all(|y| y.is_finite()), "{factor:?} {phase:?} {garbage}: non-finite output");
                let diff = a[recovered_from..].iter().zip(&b[recovered_from..]).map(|(x, y)| (x - y).abs()).fold(0.0, f32::max);
                assert!(diff < 1e-6, "{factor:?} {phase:?} {garbage}: still {diff} off 100 ms after the burst");
            }
        }
    }
}
