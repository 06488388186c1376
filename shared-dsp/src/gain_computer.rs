//! The static compression curve: threshold, ratio, soft knee and range, in dB.

/// Static gain computer of a downward compressor (Giannoulis, Massberg & Reiss, JAES 2012, eq. 4).
///
/// For input level `x` (dB), threshold `T`, ratio `R` and knee width `W` (dB), the output level is
/// - `x` for `2(x - T) < -W`,
/// - `x + (1/R - 1)(x - T + W/2)^2 / (2W)` inside the knee,
/// - `T + (x - T)/R` for `2(x - T) > W`,
///
/// and the gain reduction `x - output` is then limited to the range `G` (dB), so the curve runs
/// parallel to the diagonal once `G` dB of reduction is reached.
///
/// The same code produces the gain that processes audio and the curve the editor draws.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct GainComputer {
    /// Threshold in dBFS.
    pub threshold_db: f32,
    /// Ratio `R` (input dB over output dB above threshold), `>= 1`.
    pub ratio: f32,
    /// Full knee width in dB, `>= 0`.
    pub knee_db: f32,
    /// Largest gain reduction in dB (`> 0`); infinite for an unlimited compressor.
    pub range_db: f32,
}

impl Default for GainComputer {
    fn default() -> Self {
        Self { threshold_db: 0.0, ratio: 1.0, knee_db: 0.0, range_db: f32::INFINITY }
    }
}

impl GainComputer {
    /// Creates a gain computer with unlimited range; ratio is clamped to `>= 1` and knee to `>= 0`.
    pub fn new(threshold_db: f32, ratio: f32, knee_db: f32) -> Self {
        Self { threshold_db, ratio: ratio.max(1.0), knee_db: knee_db.max(0.0), range_db: f32::INFINITY }
    }

    /// The same curve with its gain reduction limited to `range_db` (dB, `>= 0`).
    pub fn with_range(self, range_db: f32) -> Self {
        Self { range_db: range_db.max(0.0), ..self }
    }

    /// Gain reduction in dB (`>= 0`) for an input level in dB.
    #[inline]
    pub fn gain_reduction_db(&self, level_db: f32) -> f32 {
        let slope = 1.0 - 1.0 / self.ratio; // how much of the overshoot is removed
        let over = level_db - self.threshold_db;
        let half_knee = 0.5 * self.knee_db;
        let reduction = if over <= -half_knee {
            0.0
        } else if over >= half_knee {
            slope * over
        } else {
            let d = over + half_knee;
            slope * d * d / (2.0 * self.knee_db)
        };
        reduction.min(self.range_db)
    }

    /// Output level in dB for an input level in dB: the transfer curve the editor draws.
    #[inline]
    pub fn output_level_db(&self, level_db: f32) -> f32 {
        level_db - self.gain_reduction_db(level_db)
    }

    /// Block form: gain reduction in dB for each input level in dB.
    pub fn process(&self, levels_db: &[f32], gain_reduction_db: &mut [f32]) {
        for (gr, &x) in gain_reduction_db.iter_mut().zip(levels_db) {
            *gr = self.gain_reduction_db(x);
        }
    }
}

impl crate::DspUnit for GainComputer {
    fn set_sample_rate(&mut self, _sample_rate_hz: f32) {}
    fn reset(&mut self) {}
}
