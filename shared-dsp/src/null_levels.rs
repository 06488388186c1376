//! Levels of a null test: the stem bus, the reference and their difference, live and since reset.
//!
//! "Since reset" sums every squared sample and keeps the largest peak. "Live" is an exponential
//! mean square with a 300 ms time constant (a VU-like integration) and a peak that holds for 1 s.
//! All sums run per channel sample in f64, so a 24-bit null (-140 dB and below) is not lost to
//! rounding over minutes of audio.

use crate::units::{gain_to_db, SILENCE_DB};
use crate::DspUnit;

/// Time constant of the live RMS, in seconds.
pub const LIVE_RMS_TIME_S: f32 = 0.3;
/// How long the live peak holds, in seconds.
pub const LIVE_PEAK_HOLD_S: f32 = 1.0;

/// RMS and peak of one signal, in dBFS.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Level {
    /// RMS level in dBFS (a full-scale sine reads -3 dBFS).
    pub rms_dbfs: f32,
    /// Sample peak in dBFS.
    pub peak_dbfs: f32,
}

impl Default for Level {
    fn default() -> Self {
        Self { rms_dbfs: SILENCE_DB, peak_dbfs: SILENCE_DB }
    }
}

/// The three levels of a null test.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct NullLevels {
    /// The stem bus (main input).
    pub stems: Level,
    /// The reference mix (sidechain).
    pub reference: Level,
    /// Stems minus reference.
    pub difference: Level,
}

impl NullLevels {
    /// The difference's RMS relative to the reference's, in dB (the depth of the null).
    pub fn residual_relative_db(&self) -> f32 {
        if self.reference.rms_dbfs <= SILENCE_DB {
            return 0.0;
        }
        (self.difference.rms_dbfs - self.reference.rms_dbfs).max(SILENCE_DB)
    }
}

/// Running sums for one signal.
#[derive(Debug, Clone, Copy, Default)]
struct Meter {
    /// Sum of squares since reset.
    total_energy: f64,
    /// Largest |sample| since reset.
    total_peak: f32,
    /// Live mean square.
    live_mean_square: f64,
    /// Largest |sample| in the current and the previous hold window.
    live_peak_current: f32,
    live_peak_previous: f32,
}

impl Meter {
    fn level_total(&self, samples: u64) -> Level {
        let ms = if samples == 0 { 0.0 } else { self.total_energy / samples as f64 };
        Level { rms_dbfs: power_db(ms), peak_dbfs: gain_to_db(self.total_peak).max(SILENCE_DB) }
    }

    fn level_live(&self) -> Level {
        Level {
            rms_dbfs: power_db(self.live_mean_square),
            peak_dbfs: gain_to_db(self.live_peak_current.max(self.live_peak_previous)).max(SILENCE_DB),
        }
    }
}

/// Mean square to dBFS (0 dBFS = a mean square of 1), floored at silence.
fn power_db(mean_square: f64) -> f32 {
    if mean_square > 0.0 {
        ((10.0 * mean_square.log10()) as f32).max(SILENCE_DB)
    } else {
        SILENCE_DB
    }
}

/// Level meters for the stems, the reference and their difference.
pub struct NullLevelMeter {
    sample_rate_hz: f32,
    /// Per-frame coefficient of the live mean square.
    live_coeff: f64,
    /// Frames per live peak window.
    hold_frames: u64,
    /// Frames into the current hold window.
    hold_position: u64,
    /// Frames (per channel) since reset, times channels: the sample count of the totals.
    samples: u64,
    meters: [Meter; 3],
}

impl NullLevelMeter {
    /// Meters for `sample_rate_hz`. Allocates nothing.
    pub fn new(sample_rate_hz: f32) -> Self {
        let mut m = Self {
            sample_rate_hz: 0.0,
            live_coeff: 0.0,
            hold_frames: 1,
            hold_position: 0,
            samples: 0,
            meters: [Meter::default(); 3],
        };
        m.set_sample_rate(sample_rate_hz);
        m
    }

    /// Meters one block: `stems` and `reference` hold the same channels and lengths (a missing
    /// reference channel reads as silence).
    pub fn process(&mut self, stems: &[&[f32]], reference: &[&[f32]]) {
        let frames = stems.first().map_or(0, |c| c.len());
        let channels = stems.len().max(1);
        let c = self.live_coeff;
        for i in 0..frames {
            let mut square = [0.0f64; 3];
            for (ch, s) in stems.iter().enumerate() {
                let x = s[i];
                let r = reference.get(ch).map_or(0.0, |r| r[i]);
                let values = [x, r, x - r];
                for ((meter, sq), v) in self.meters.iter_mut().zip(&mut square).zip(values) {
                    *sq += v as f64 * v as f64;
                    meter.total_peak = meter.total_peak.max(v.abs());
                    meter.live_peak_current = meter.live_peak_current.max(v.abs());
                }
            }
            for (meter, sq) in self.meters.iter_mut().zip(square) {
                meter.total_energy += sq;
                let mean = sq / channels as f64;
                meter.live_mean_square += c * (mean - meter.live_mean_square);
            }
            self.hold_position += 1;
            if self.hold_position >= self.hold_frames {
                self.hold_position = 0;
                for meter in &mut self.meters {
                    meter.live_peak_previous = meter.live_peak_current;
                    meter.live_peak_current = 0.0;
                }
            }
        }
        self.samples += (frames * channels) as u64;
    }

    /// Levels since the last reset.
    pub fn since_reset(&self) -> NullLevels {
        let [s, r, d] = self.meters.map(|m| m.level_total(self.samples));
        NullLevels { stems: s, reference: r, difference: d }
    }

    /// Live levels: 300 ms RMS, 1 s peak hold.
    pub fn live(&self) -> NullLevels {
        let [s, r, d] = self.meters.map(|m| m.level_live());
        NullLevels { stems: s, reference: r, difference: d }
    }
}

impl DspUnit for NullLevelMeter {
    fn set_sample_rate(&mut self, sample_rate_hz: f32) {
        self.sample_rate_hz = sample_rate_hz;
        self.live_coeff = 1.0 - (-1.0 / (LIVE_RMS_TIME_S as f64 * sample_rate_hz as f64)).exp();
        self.hold_frames = ((LIVE_PEAK_HOLD_S * sample_rate_hz) as u64).max(1);
        self.reset();
    }

    fn reset(&mut self) {
        self.hold_position = 0;
        self.samples = 0;
        self.meters = [Meter::default(); 3];
    }
}
