//! Safety Clip on: no output sample exceeds the ceiling, for any input, in every curve, factor, phase
//! and mode (Transient Only, link, mix, delta, output gain), including +50 dBFS edges, DC and
//! full-scale noise (and +100 dB edges, which the suite treats as garbage and silences). Nothing
//! non-finite comes out.

mod common;
use common::{noise, Rng};
use shared_dsp::clip_curve::CurveShape;
use shared_dsp::clipper::{ClipperSettings, TransientClipper};
use shared_dsp::oversampler::{FilterPhase, Oversampling};

fn signals(rng: &mut Rng) -> Vec<(&'static str, Vec<f32>)> {
    let n = 3000;
    let mut edge = vec![0.0; n];
    edge[n / 3..].fill(1.0e5);
    let mut edge_down = vec![0.0; n];
    edge_down[n / 3..2 * n / 3].fill(-1.0e5);
    let mut loud_edge = vec![0.0; n];
    loud_edge[n / 2..].fill(316.0);
    vec![
        ("+100 dB edge (garbage: silenced)", edge),
        ("+50 dBFS edge", loud_edge),
        ("-100 dB edge pulse", edge_down),
        ("DC at full scale", vec![1.0; n]),
        ("full-scale noise", noise(rng, n, 1.0)),
        ("+20 dBFS noise", noise(rng, n, 10.0)),
        ("0 dBFS 7 kHz sine", (0..n).map(|i| (i as f32 * 2.0 * std::f32::consts::PI * 7000.0 / 48000.0).sin()).collect()),
    ]
}

#[test]
#[cfg_attr(debug_assertions, ignore = "release only: cargo test -p shared-dsp --release")]
fn safety_clip_holds_the_ceiling_everywhere() {
    let mut rng = Rng::new(0xC11F);
    let mut checked = 0;
    for factor in Oversampling::ALL {
        for phase in FilterPhase::ALL {
            for curve in [CurveShape::Hard, CurveShape::Soft, CurveShape::Cubic, CurveShape::Sine] {
                let s = ClipperSettings {
                    drive_db: rng.range(0.0, 24.0),
                    ceiling_db: rng.range(-24.0, 0.0),
                    output_db: 24.0,
                    mix: rng.range(0.0, 1.0),
                    curve,
                    softness: rng.unit(),
                    oversampling: factor,
                    phase,
                    transient_only: if rng.unit() < 0.5 { 1.0 } else { rng.unit() },
                    stereo_link: rng.unit(),
                    safety_clip: true,
                    delta: rng.unit() < 0.3,
                    bypass: false,
                };
                let ceiling = 10f64.powf(s.ceiling_db as f64 / 20.0);
                for (name, signal) in signals(&mut rng) {
                    let mut clipper = TransientClipper::new(2, rng.sample_rate());
                    clipper.set_settings_immediately(&s);
                    let mut l = signal.clone();
                    let mut r: Vec<f32> = signal.iter().map(|x| -0.7 * x).collect();
                    for (a, b) in l.chunks_mut(333).zip(r.chunks_mut(333)) {
                        clipper.process(&mut [a, b]);
                    }
                    for y in l.iter().chain(&r) {
                        assert!(y.is_finite(), "{name}: non-finite output with {s:?}");
                        assert!((y.abs() as f64) <= ceiling, "{name}: {y} above the ceiling {ceiling} with {s:?}");
                    }
                    checked += 1;
                }
            }
        }
    }
    assert_eq!(checked, 5 * 2 * 4 * 7);
}
