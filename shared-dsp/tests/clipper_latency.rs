//! The impulse argmax equals the reported latency for every factor and phase at random rates, the
//! latency depends on those two settings only, and linear phase matches the design formula.

mod common;
use common::Rng;
use shared_dsp::clip_curve::CurveShape;
use shared_dsp::clipper::{ClipperSettings, TransientClipper};
use shared_dsp::oversampler::{FilterPhase, Oversampling};
use shared_dsp::DspUnit;

fn argmax(x: &[f32]) -> usize {
    (0..x.len()).max_by(|&a, &b| x[a].abs().total_cmp(&x[b].abs())).unwrap()
}

#[test]
#[cfg_attr(debug_assertions, ignore = "release only: cargo test -p shared-dsp --release")]
fn impulse_argmax_is_the_reported_latency() {
    let mut rng = Rng::new(0x1A7E);
    for factor in Oversampling::ALL {
        for phase in FilterPhase::ALL {
            for _ in 0..4 {
                let rate = rng.sample_rate();
                let s = ClipperSettings { oversampling: factor, phase, ceiling_db: 0.0, ..ClipperSettings::default() };
                let mut c = TransientClipper::new(2, rate);
                c.set_settings_immediately(&s);
                let offset = rng.int(0, 700);
                let len = offset + 1200;
                let amp = rng.range(0.01, 0.5);
                let mut l = vec![0.0f32; len];
                l[offset] = amp;
                let mut r = l.clone();
                let mut pos = 0;
                while pos < len {
                    let n = rng.int(1, 300).min(len - pos);
                    c.process(&mut [&mut l[pos..pos + n], &mut r[pos..pos + n]]);
                    pos += n;
                }
                let latency = c.latency_samples();
                assert_eq!(argmax(&l) - offset, latency, "{factor:?} {phase:?} at {rate} Hz");
                assert_eq!(argmax(&r) - offset, latency);
            }
        }
    }
}

#[test]
fn latency_changes_only_with_factor_and_phase() {
    let mut rng = Rng::new(7);
    let mut c = TransientClipper::new(2, 48_000.0);
    for factor in Oversampling::ALL {
        for phase in FilterPhase::ALL {
            let base = ClipperSettings { oversampling: factor, phase, ..ClipperSettings::default() };
            c.set_settings(&base);
            let latency = c.latency_samples();
            assert_eq!(latency, c.latency_for(factor, phase));
            for _ in 0..20 {
                let other = ClipperSettings {
                    drive_db: rng.range(0.0, 24.0),
                    ceiling_db: rng.range(-24.0, 0.0),
                    output_db: rng.range(-24.0, 24.0),
                    mix: rng.unit(),
                    curve: [CurveShape::Hard, CurveShape::Soft, CurveShape::Cubic, CurveShape::Sine][rng.int(0, 3)],
                    softness: rng.unit(),
                    transient_only: rng.unit(),
                    stereo_link: rng.unit(),
                    safety_clip: rng.unit() < 0.5,
                    delta: rng.unit() < 0.5,
                    bypass: rng.unit() < 0.5,
                    ..base
                };
                c.set_settings(&other);
                assert_eq!(c.latency_samples(), latency, "{factor:?} {phase:?}: {other:?}");
            }
        }
    }
    // Linear phase has more latency than minimum phase whenever it oversamples; Off has none.
    for factor in Oversampling::ALL {
        let lin = c.latency_for(factor, FilterPhase::Linear);
        let min = c.latency_for(factor, FilterPhase::Minimum);
        if factor == Oversampling::Off {
            assert_eq!((lin, min), (0, 0));
        } else {
            assert!(min < lin, "{factor:?}: minimum phase {min} vs linear {lin}");
        }
    }
}

#[test]
fn a_switch_fades_in_only_when_audio_went_through_since_the_reset() {
    // Hosts often send the settings with the first block after a reset: nothing to hide there.
    let x: Vec<f32> = (0..2000).map(|i| 0.3 * (i as f32 * 0.05).sin()).collect();
    let mut c = TransientClipper::new(1, 48_000.0);
    c.set_settings_immediately(&ClipperSettings { ceiling_db: 0.0, ..ClipperSettings::default() });
    c.set_settings(&ClipperSettings { ceiling_db: 0.0, oversampling: Oversampling::Off, ..ClipperSettings::default() });
    let mut y = x.clone();
    c.process(&mut [&mut y]);
    assert_eq!(y, x, "first block after a reset was faded");
    // Mid-stream, the filters restart from silence, so the output fades back in over 5 ms.
    c.set_settings(&ClipperSettings { ceiling_db: 0.0, oversampling: Oversampling::X2, ..ClipperSettings::default() });
    let mut y = vec![0.3f32; 2000];
    c.process(&mut [&mut y]);
    assert!(y[0].abs() < 1e-3, "no fade after a switch mid-stream: {}", y[0]);
}
