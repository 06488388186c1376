//! Parameter smoothing: fixed-length linear or logarithmic (multiplicative) ramps.

/// How a [`Smoother`] moves towards its target.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SmoothingStyle {
    /// Equal additive steps (mix amounts, percentages).
    Linear,
    /// Equal multiplicative steps, i.e. linear in dB (linear gains, which must stay `> 0`).
    Logarithmic,
}

/// Ramps a value to its target over a fixed time in ms, one step per sample.
///
/// A new target restarts the ramp from the current value, so the result is the same for any block
/// partition as long as targets change at the same samples.
#[derive(Debug, Clone, Copy)]
pub struct Smoother {
    style: SmoothingStyle,
    ramp_samples: u32,
    current: f32,
    target: f32,
    step: f32,
    steps_left: u32,
}

impl Smoother {
    /// Creates a smoother sitting at `value`, ramping over `ramp_ms` at a sample rate in Hz.
    pub fn new(style: SmoothingStyle, ramp_ms: f32, sample_rate_hz: f32, value: f32) -> Self {
        let ramp_samples = crate::units::ms_to_samples(ramp_ms, sample_rate_hz).max(1) as u32;
        Self { style, ramp_samples, current: value, target: value, step: 0.0, steps_left: 0 }
    }

    /// Sets a new target; a no-op if it equals the current target.
    pub fn set_target(&mut self, target: f32) {
        if target == self.target {
            return;
        }
        self.target = target;
        let n = self.ramp_samples as f32;
        self.step = match self.style {
            SmoothingStyle::Linear => (target - self.current) / n,
            SmoothingStyle::Logarithmic => (target / self.current).powf(1.0 / n),
        };
        self.steps_left = self.ramp_samples;
    }

    /// Jumps to `value` with no ramp.
    pub fn reset_to(&mut self, value: f32) {
        self.current = value;
        self.target = value;
        self.steps_left = 0;
    }

    /// Whether a ramp is in progress.
    #[inline]
    pub fn is_smoothing(&self) -> bool {
        self.steps_left > 0
    }

    /// The target value.
    pub fn target(&self) -> f32 {
        self.target
    }

    /// Advances one sample and returns the new value.
    #[inline]
    pub fn next_value(&mut self) -> f32 {
        if self.steps_left > 0 {
            self.steps_left -= 1;
            self.current = if self.steps_left == 0 {
                self.target
            } else {
                match self.style {
                    SmoothingStyle::Linear => self.current + self.step,
                    SmoothingStyle::Logarithmic => self.current * self.step,
                }
            };
        }
        self.current
    }

    /// Fills a block with successive values.
    pub fn process(&mut self, values: &mut [f32]) {
        for v in values {
            *v = self.next_value();
        }
    }
}
