//! The aliasing targets: a 1997 Hz and a 4999 Hz sine at 48 kHz, -6 dBFS peak, +12 dB of drive into a
//! -6 dBFS ceiling, Safety Clip off. Hard (plain hard clip, softness 0) at 8x: ≤ -80 dBc. Soft at 4x
//! with a full knee (tanh) and with a 60% knee: ≤ -100 dBc (the 30% default misses it at 4999 Hz:
//! see docs/ALIASING.md). Both filter phases. The whole table comes from
//! `cargo xtask aliasing` (docs/ALIASING.md).

use shared_dsp::aliasing::measure;
use shared_dsp::clip_curve::CurveShape;
use shared_dsp::clipper::ClipperSettings;
use shared_dsp::oversampler::{FilterPhase, Oversampling};

fn worst(curve: CurveShape, softness: f32, factor: Oversampling, phase: FilterPhase, freq: usize) -> f64 {
    let s = ClipperSettings {
        drive_db: 12.0,
        ceiling_db: -6.0,
        curve,
        softness,
        oversampling: factor,
        phase,
        safety_clip: false,
        ..ClipperSettings::default()
    };
    let a = measure(&s, freq, 0.5);
    // The clipper really clips: the fundamental comes out near the ceiling, not at the input's +6 dB.
    assert!(a.fundamental_dbfs < -3.0, "{curve:?}: fundamental {:.1} dBFS", a.fundamental_dbfs);
    a.worst_dbc
}

#[test]
#[cfg_attr(debug_assertions, ignore = "release only: cargo test -p shared-dsp --release")]
fn hard_clip_at_8x_is_below_minus_80_dbc() {
    for phase in FilterPhase::ALL {
        for freq in [1997, 4999] {
            let dbc = worst(CurveShape::Hard, 0.0, Oversampling::X8, phase, freq);
            assert!(dbc <= -80.0, "Hard 8x {phase:?} {freq} Hz: {dbc:.1} dBc");
        }
    }
}

#[test]
#[cfg_attr(debug_assertions, ignore = "release only: cargo test -p shared-dsp --release")]
fn soft_clip_at_4x_is_below_minus_100_dbc() {
    for phase in FilterPhase::ALL {
        for freq in [1997, 4999] {
            for softness in [1.0, 0.6] {
                let dbc = worst(CurveShape::Soft, softness, Oversampling::X4, phase, freq);
                assert!(dbc <= -100.0, "Soft {softness} 4x {phase:?} {freq} Hz: {dbc:.1} dBc");
            }
        }
    }
}

#[test]
#[cfg_attr(debug_assertions, ignore = "release only: cargo test -p shared-dsp --release")]
fn oversampling_is_what_removes_the_aliasing() {
    // The measurement can fail: without oversampling the same hard clip aliases far above -80 dBc.
    let off = worst(CurveShape::Hard, 0.0, Oversampling::Off, FilterPhase::Linear, 4999);
    assert!(off > -40.0, "Off: {off:.1} dBc");
}
