//! The ramped output stage a dynamics processor ends with: makeup, dry/wet mix, delta, output gain
//! and a latency-compensated bypass crossfade.

use crate::smoother::{Smoother, SmoothingStyle};
use crate::units::db_to_gain;

/// Ramp time of the makeup, output, mix and bypass smoothers in ms.
pub const PARAMETER_RAMP_MS: f32 = 20.0;

/// What the output stage is set to. Plain units.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct OutputTargets {
    /// Makeup gain in dB, on the processed (wet) signal.
    pub makeup_db: f32,
    /// Dry/wet mix, 0 (dry) ..1 (wet).
    pub mix: f32,
    /// Output gain in dB, after the mix.
    pub output_db: f32,
    /// Output the delayed input (latency kept).
    pub bypass: bool,
}

/// One sample's ramped gains, from [`OutputStage::next_gains`].
#[derive(Debug, Clone, Copy)]
pub struct OutputGains {
    /// Makeup as a linear gain.
    pub makeup: f32,
    /// Wet amount, 0..1.
    pub mix: f32,
    /// Output as a linear gain.
    pub output: f32,
    /// Bypass amount, 0..1.
    pub bypass: f32,
}

impl OutputGains {
    /// The output sample for the delayed dry input `dry` and the processed sample `wet` (before
    /// makeup).
    ///
    /// Normal: `output * (dry + mix (makeup wet - dry))`. Delta outputs what the processor takes away
    /// from the dry signal instead, `output * (dry - normal / output)`, so Normal + Delta is the dry
    /// signal times the output gain. Bypass then crossfades to `dry`.
    #[inline]
    pub fn apply(&self, dry: f32, wet: f32, delta: bool) -> f32 {
        let mixed = dry + self.mix * (wet * self.makeup - dry);
        let y = if delta { dry - mixed } else { mixed } * self.output;
        y + self.bypass * (dry - y)
    }
}

/// The four ramped gains of [`OutputTargets`]. Gains ramp in dB (logarithmic), mix and bypass
/// linearly, over [`PARAMETER_RAMP_MS`].
#[derive(Debug, Clone, Copy)]
pub struct OutputStage {
    makeup: Smoother,
    mix: Smoother,
    output: Smoother,
    bypass: Smoother,
}

impl OutputStage {
    /// Creates the stage at `targets`, with no ramp in progress, at a sample rate in Hz.
    pub fn new(targets: &OutputTargets, sample_rate_hz: f32) -> Self {
        let ramp = |style, v| Smoother::new(style, PARAMETER_RAMP_MS, sample_rate_hz, v);
        Self {
            makeup: ramp(SmoothingStyle::Logarithmic, db_to_gain(targets.makeup_db)),
            mix: ramp(SmoothingStyle::Linear, targets.mix),
            output: ramp(SmoothingStyle::Logarithmic, db_to_gain(targets.output_db)),
            bypass: ramp(SmoothingStyle::Linear, bypass_amount(targets.bypass)),
        }
    }

    /// Ramps towards new targets; cheap when nothing changed.
    pub fn set_targets(&mut self, t: &OutputTargets) {
        self.makeup.set_target(db_to_gain(t.makeup_db));
        self.mix.set_target(t.mix);
        self.output.set_target(db_to_gain(t.output_db));
        self.bypass.set_target(bypass_amount(t.bypass));
    }

    /// Jumps to new targets with no ramp (activation, reset).
    pub fn set_immediately(&mut self, t: &OutputTargets) {
        self.makeup.reset_to(db_to_gain(t.makeup_db));
        self.mix.reset_to(t.mix);
        self.output.reset_to(db_to_gain(t.output_db));
        self.bypass.reset_to(bypass_amount(t.bypass));
    }

    /// Advances every ramp by one sample.
    #[inline]
    pub fn next_gains(&mut self) -> OutputGains {
        OutputGains {
            makeup: self.makeup.next_value(),
            mix: self.mix.next_value(),
            output: self.output.next_value(),
            bypass: self.bypass.next_value(),
        }
    }
}

fn bypass_amount(bypass: bool) -> f32 {
    if bypass {
        1.0
    } else {
        0.0
    }
}
