//! Level detection strategies (peak, RMS, crest blend) that turn a key sample into a level in dB.

use crate::units::{gain_to_db, one_pole_coefficient, power_to_db};

/// A level-detection strategy: one key sample in, its level in dB out.
///
/// The attack/release behaviour lives in [`crate::ballistics::Ballistics`], which smooths the gain
/// reduction after the gain computer (the log-domain "smooth branching" design of Giannoulis et al.).
pub trait Detect {
    /// Level in dBFS of the key at this sample.
    fn level_db(&mut self, key: f32) -> f32;
    /// Clears the detector's memory.
    fn reset(&mut self);
}

/// Instantaneous peak: `20 log10 |x|`.
#[derive(Debug, Clone, Copy, Default)]
pub struct PeakDetect;

impl Detect for PeakDetect {
    #[inline]
    fn level_db(&mut self, key: f32) -> f32 {
        gain_to_db(key)
    }
    fn reset(&mut self) {}
}

/// RMS over an exponential window: the mean square is smoothed by a one-pole with time constant
/// [`RmsDetect::WINDOW_MS`], and reported as `10 log10(mean square)`. A sine at amplitude `A` reads
/// `20 log10(A / sqrt 2)`, as RMS meters do.
#[derive(Debug, Clone, Copy)]
pub struct RmsDetect {
    /// Smoothed mean square of the key (linear power), f64 for the same reason as the ballistics.
    mean_square: f64,
    /// One-pole coefficient of the averaging window.
    coefficient: f64,
}

impl RmsDetect {
    /// Time constant of the RMS averaging window in ms.
    pub const WINDOW_MS: f32 = 10.0;

    /// Creates an RMS detector for a sample rate in Hz, with the compressor's window
    /// ([`RmsDetect::WINDOW_MS`]).
    pub fn new(sample_rate_hz: f32) -> Self {
        Self::with_window(Self::WINDOW_MS, sample_rate_hz)
    }

    /// Creates an RMS detector whose window has time constant `window_ms`, at a sample rate in Hz.
    pub fn with_window(window_ms: f32, sample_rate_hz: f32) -> Self {
        Self { mean_square: 0.0, coefficient: one_pole_coefficient(window_ms, sample_rate_hz) }
    }

    /// Takes one key sample and returns the smoothed mean square (linear power), for callers that
    /// combine powers before taking a logarithm.
    #[inline]
    pub fn mean_square(&mut self, key: f32) -> f64 {
        let p = (key as f64) * (key as f64);
        self.mean_square = p + self.coefficient * (self.mean_square - p);
        self.mean_square
    }
}

impl Detect for RmsDetect {
    #[inline]
    fn level_db(&mut self, key: f32) -> f32 {
        power_to_db(self.mean_square(key) as f32)
    }
    fn reset(&mut self) {
        self.mean_square = 0.0;
    }
}

/// Halfway, in dB, between a peak envelope and an RMS level: `(peak_env_db + rms_db) / 2`.
///
/// The peak envelope rises instantly and decays with the RMS window's time constant, so on a steady
/// sine it reads the peak and the blend sits 1.5 dB above the RMS (half the sine's 3 dB crest
/// factor); on a drum hit it follows half of the hit's crest above the average. It catches
/// transients an RMS detector misses without the ripple of a bare peak detector.
#[derive(Debug, Clone, Copy)]
pub struct CrestBlendDetect {
    rms: RmsDetect,
    /// Peak envelope (linear amplitude), f64 like the RMS state.
    peak_envelope: f64,
    /// One-pole release coefficient of the peak envelope.
    release_coefficient: f64,
}

impl CrestBlendDetect {
    /// Creates the detector with averaging and peak-release time constant `window_ms`, at a sample
    /// rate in Hz.
    pub fn with_window(window_ms: f32, sample_rate_hz: f32) -> Self {
        Self {
            rms: RmsDetect::with_window(window_ms, sample_rate_hz),
            peak_envelope: 0.0,
            release_coefficient: one_pole_coefficient(window_ms, sample_rate_hz),
        }
    }
}

impl Detect for CrestBlendDetect {
    #[inline]
    fn level_db(&mut self, key: f32) -> f32 {
        let a = key.abs() as f64;
        self.peak_envelope = if a > self.peak_envelope { a } else { a + self.release_coefficient * (self.peak_envelope - a) };
        let power = self.rms.mean_square(key);
        0.5 * (gain_to_db(self.peak_envelope as f32) + power_to_db(power as f32))
    }
    fn reset(&mut self) {
        self.rms.reset();
        self.peak_envelope = 0.0;
    }
}

/// Which detector a compressor uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum DetectorKind {
    /// Sample peak.
    #[default]
    Peak,
    /// RMS over an exponential window (10 ms unless set otherwise).
    Rms,
    /// Halfway in dB between a peak envelope and the RMS, see [`CrestBlendDetect`].
    CrestBlend,
}

/// A per-channel level detector of any kind, switchable without allocation.
#[derive(Debug, Clone, Copy)]
pub struct LevelDetector {
    kind: DetectorKind,
    sample_rate_hz: f32,
    /// Averaging window of the RMS and crest-blend detectors, in ms.
    window_ms: f32,
    peak: PeakDetect,
    rms: RmsDetect,
    crest: CrestBlendDetect,
}

impl LevelDetector {
    /// Creates a detector of `kind` at a sample rate in Hz, with the default RMS window
    /// ([`RmsDetect::WINDOW_MS`]).
    pub fn new(kind: DetectorKind, sample_rate_hz: f32) -> Self {
        let window_ms = RmsDetect::WINDOW_MS;
        Self {
            kind,
            sample_rate_hz,
            window_ms,
            peak: PeakDetect,
            rms: RmsDetect::new(sample_rate_hz),
            crest: CrestBlendDetect::with_window(window_ms, sample_rate_hz),
        }
    }

    /// Switches the strategy. Switching clears the RMS memory so a stale window never leaks in.
    pub fn set_kind(&mut self, kind: DetectorKind) {
        if kind != self.kind {
            self.kind = kind;
            Detect::reset(self);
        }
    }

    /// Sets the averaging window of the RMS and crest-blend detectors in ms; recomputes only on
    /// change, keeping the averaged level.
    pub fn set_window_ms(&mut self, window_ms: f32) {
        if window_ms != self.window_ms {
            self.window_ms = window_ms;
            let c = one_pole_coefficient(window_ms, self.sample_rate_hz);
            self.rms.coefficient = c;
            self.crest.rms.coefficient = c;
            self.crest.release_coefficient = c;
        }
    }

    /// Block form: levels in dB for a block of key samples.
    pub fn process(&mut self, key: &[f32], levels_db: &mut [f32]) {
        for (l, &k) in levels_db.iter_mut().zip(key) {
            *l = self.level_db(k);
        }
    }
}

impl Detect for LevelDetector {
    #[inline]
    fn level_db(&mut self, key: f32) -> f32 {
        match self.kind {
            DetectorKind::Peak => self.peak.level_db(key),
            DetectorKind::Rms => self.rms.level_db(key),
            DetectorKind::CrestBlend => self.crest.level_db(key),
        }
    }
    fn reset(&mut self) {
        self.rms.reset();
        self.crest.reset();
    }
}

impl crate::DspUnit for LevelDetector {
    fn set_sample_rate(&mut self, sample_rate_hz: f32) {
        self.sample_rate_hz = sample_rate_hz;
        self.rms = RmsDetect::with_window(self.window_ms, sample_rate_hz);
        self.crest = CrestBlendDetect::with_window(self.window_ms, sample_rate_hz);
    }
    fn reset(&mut self) {
        Detect::reset(self);
    }
}
