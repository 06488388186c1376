//! Hostile input: bursts of NaN, ±Inf, 1e30 and denormals never produce non-finite output, and the
//! clipper is back to its clean output within 100 ms after the burst, in every factor and phase.

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
            for garbage in [f32::NAN, f32::INFINITY, f32::NEG_INFINITY, 1e30, 1e-40] {
                let clean = noise(&mut rng, len, 0.9);
                let mut dirty = clean.clone();
                for (i, x) in dirty[burst.clone()].iter_mut().enumerate() {
                    *x = if i % 3 == 0 { garbage } else { -garbage };
                }
                let s = ClipperSettings { drive_db: 6.0, oversampling: factor, phase, ..ClipperSettings::default() };
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
