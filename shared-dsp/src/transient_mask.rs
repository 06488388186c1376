//! Transient detection for the clipper's Transient Only mode: how much of each sample is "hit".
//!
//! Two envelopes follow the largest `|x|` across the channels:
//! - `fast`: instant attack, held for [`HOLD_MS`] (longer than half a period of 40 Hz, so a bass
//!   drum's waveform does not ripple it), then released with time constant [`RELEASE_MS`];
//! - `slow`: follows `fast`, rising with time constant [`SLOW_ATTACK_MS`] and falling with it at once.
//!
//! In steady or decaying sound (the body of a drum) `slow == fast`; only at an onset does `fast` run
//! ahead. The short release lets a hit 125 ms after a louder one (a sixteenth at 120 bpm) still stand
//! out against the tail it lands on. The raw mask is 0 while `fast / slow` stays below
//! [`BODY_RATIO_DB`] and 1 from [`HIT_RATIO_DB`], linear in between. Once it reaches 1 it is held for
//! [`MASK_HOLD_MS`], so the later, higher peaks of the same hit are clipped too, and then falls no
//! faster than [`MASK_FALL_MS`] from 1 to 0. A hit from silence is masked for about 20 ms; the body
//! the Transient Only promise protects starts at 50 ms.

use crate::units::one_pole_coefficient;
use crate::DspUnit;

/// Peak hold of the fast envelope, ms.
pub const HOLD_MS: f32 = 12.5;
/// Release time constant of the fast envelope after the hold, ms.
pub const RELEASE_MS: f32 = 20.0;
/// Attack time constant of the slow envelope, ms.
pub const SLOW_ATTACK_MS: f32 = 15.0;
/// Once a sample is all transient, the mask stays at 1 this long, ms, so the later, higher peaks of
/// the same hit are clipped too.
pub const MASK_HOLD_MS: f32 = 10.0;
/// After the hold the mask falls no faster than from 1 to 0 in this time, ms (no steps in the amount
/// of clipping).
pub const MASK_FALL_MS: f32 = 5.0;
/// Fast-over-slow ratio at and below which a sample is body (mask 0), dB.
pub const BODY_RATIO_DB: f32 = 1.5;
/// Fast-over-slow ratio at and above which a sample is all transient (mask 1), dB.
pub const HIT_RATIO_DB: f32 = 4.0;
/// Envelope floor: quieter input counts as silence (about -200 dBFS).
const FLOOR: f64 = 1.0e-10;

/// Transient mask generator (one mask for all channels).
#[derive(Debug, Clone)]
pub struct TransientMask {
    sample_rate_hz: f32,
    /// Release pole of the fast envelope.
    release_coef: f64,
    /// Hold length in samples.
    hold_samples: u32,
    /// Samples of hold left.
    hold_left: u32,
    /// Attack pole of the slow envelope.
    slow_attack_coef: f64,
    /// Fast envelope, linear amplitude.
    fast: f64,
    /// Slow envelope, linear amplitude.
    slow: f64,
    /// Mask hold in samples.
    mask_hold_samples: u32,
    /// Samples of mask hold left.
    mask_hold_left: u32,
    /// Largest fall of the mask per sample.
    mask_fall_per_sample: f32,
    /// The mask output at the previous sample.
    mask: f32,
    /// [`BODY_RATIO_DB`] as a linear ratio.
    body_ratio: f32,
    /// [`HIT_RATIO_DB`] as a linear ratio.
    hit_ratio: f32,
}

impl TransientMask {
    /// A mask generator at `sample_rate_hz`.
    pub fn new(sample_rate_hz: f32) -> Self {
        let mut m = Self {
            sample_rate_hz,
            release_coef: 0.0,
            hold_samples: 0,
            hold_left: 0,
            mask_hold_samples: 0,
            mask_hold_left: 0,
            mask_fall_per_sample: 1.0,
            mask: 0.0,
            slow_attack_coef: 0.0,
            fast: FLOOR,
            slow: FLOOR,
            body_ratio: 10f32.powf(BODY_RATIO_DB / 20.0),
            hit_ratio: 10f32.powf(HIT_RATIO_DB / 20.0),
        };
        m.set_sample_rate(sample_rate_hz);
        m
    }

    /// Mask value (0..1) for one sample of `level` (largest |x| across channels).
    #[inline]
    pub fn tick(&mut self, level: f32) -> f32 {
        let a = (level.abs() as f64).max(FLOOR);
        if a >= self.fast {
            self.fast = a;
            self.hold_left = self.hold_samples;
        } else if self.hold_left > 0 {
            self.hold_left -= 1;
        } else {
            self.fast = FLOOR + (self.fast - FLOOR) * self.release_coef;
        }
        self.slow = if self.fast > self.slow {
            self.fast + (self.slow - self.fast) * self.slow_attack_coef
        } else {
            self.fast
        };
        let ratio = (self.fast / self.slow) as f32;
        let raw = ((ratio - self.body_ratio) / (self.hit_ratio - self.body_ratio)).clamp(0.0, 1.0);
        if raw >= 1.0 {
            self.mask_hold_left = self.mask_hold_samples;
            self.mask = 1.0;
        } else if self.mask_hold_left > 0 {
            self.mask_hold_left -= 1;
        } else {
            self.mask = raw.max(self.mask - self.mask_fall_per_sample);
        }
        self.mask
    }
}

impl DspUnit for TransientMask {
    fn set_sample_rate(&mut self, sample_rate_hz: f32) {
        self.sample_rate_hz = sample_rate_hz;
        self.release_coef = one_pole_coefficient(RELEASE_MS, sample_rate_hz);
        self.hold_samples = crate::units::ms_to_samples(HOLD_MS, sample_rate_hz) as u32;
        self.mask_hold_samples = crate::units::ms_to_samples(MASK_HOLD_MS, sample_rate_hz) as u32;
        self.mask_fall_per_sample = 1.0 / crate::units::ms_to_samples(MASK_FALL_MS, sample_rate_hz).max(1) as f32;
        self.slow_attack_coef = one_pole_coefficient(SLOW_ATTACK_MS, sample_rate_hz);
    }

    fn reset(&mut self) {
        self.fast = FLOOR;
        self.slow = FLOOR;
        self.hold_left = 0;
        self.mask_hold_left = 0;
        self.mask = 0.0;
    }
}
