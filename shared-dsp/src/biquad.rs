//! Second-order (biquad) filter, transposed direct form II, with RBJ high-pass coefficients.
//!
//! Coefficients and state are f64: with f32, a 20 Hz high-pass at 192 kHz is off by 0.1% even at
//! Nyquist, because its poles sit so close to z = 1.

use std::f64::consts::{FRAC_1_SQRT_2, PI};

/// Normalised biquad coefficients (`a0 == 1`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BiquadCoefficients {
    pub b0: f64,
    pub b1: f64,
    pub b2: f64,
    pub a1: f64,
    pub a2: f64,
}

impl BiquadCoefficients {
    /// The identity filter.
    pub const IDENTITY: Self = Self { b0: 1.0, b1: 0.0, b2: 0.0, a1: 0.0, a2: 0.0 };

    /// RBJ cookbook high-pass at `cutoff_hz` with quality `q`, for a sample rate in Hz. The cutoff is
    /// clamped below Nyquist.
    pub fn high_pass(cutoff_hz: f32, q: f64, sample_rate_hz: f32) -> Self {
        let sample_rate_hz = sample_rate_hz as f64;
        let f = (cutoff_hz as f64).clamp(1.0, 0.49 * sample_rate_hz);
        let w0 = 2.0 * PI * f / sample_rate_hz;
        let (sin, cos) = w0.sin_cos();
        let alpha = sin / (2.0 * q);
        let a0 = 1.0 + alpha;
        Self {
            b0: (1.0 + cos) / 2.0 / a0,
            b1: -(1.0 + cos) / a0,
            b2: (1.0 + cos) / 2.0 / a0,
            a1: -2.0 * cos / a0,
            a2: (1.0 - alpha) / a0,
        }
    }

    /// Magnitude response at `freq_hz` (linear), for plots and tests.
    pub fn magnitude(&self, freq_hz: f32, sample_rate_hz: f32) -> f32 {
        let w = 2.0 * PI * freq_hz as f64 / sample_rate_hz as f64;
        let (s1, c1) = w.sin_cos();
        let (s2, c2) = (2.0 * w).sin_cos();
        let nr = self.b0 + self.b1 * c1 + self.b2 * c2;
        let ni = -(self.b1 * s1 + self.b2 * s2);
        let dr = 1.0 + self.a1 * c1 + self.a2 * c2;
        let di = -(self.a1 * s1 + self.a2 * s2);
        ((nr * nr + ni * ni) / (dr * dr + di * di)).sqrt() as f32
    }
}

/// One channel of a biquad in transposed direct form II.
#[derive(Debug, Clone, Copy)]
pub struct Biquad {
    coefficients: BiquadCoefficients,
    s1: f64,
    s2: f64,
}

impl Default for Biquad {
    fn default() -> Self {
        Self { coefficients: BiquadCoefficients::IDENTITY, s1: 0.0, s2: 0.0 }
    }
}

impl Biquad {
    /// Replaces the coefficients, keeping the state (so a sweep does not click).
    pub fn set_coefficients(&mut self, coefficients: BiquadCoefficients) {
        self.coefficients = coefficients;
    }

    /// Filters one sample.
    #[inline]
    pub fn tick(&mut self, x: f32) -> f32 {
        let c = &self.coefficients;
        let x = x as f64;
        let y = c.b0 * x + self.s1;
        self.s1 = c.b1 * x - c.a1 * y + self.s2;
        self.s2 = c.b2 * x - c.a2 * y;
        y as f32
    }

    /// Filters a block in place.
    pub fn process(&mut self, samples: &mut [f32]) {
        for s in samples {
            *s = self.tick(*s);
        }
    }
}

/// A key high-pass filter: a Butterworth (Q = 1/sqrt 2) biquad whose cutoff in Hz is set per block.
#[derive(Debug, Clone, Copy)]
pub struct KeyHighPass {
    sample_rate_hz: f32,
    cutoff_hz: f32,
    filter: Biquad,
}

impl KeyHighPass {
    /// Lowest cutoff the key filter offers, in Hz.
    pub const MIN_HZ: f32 = 20.0;
    /// Highest cutoff the key filter offers, in Hz.
    pub const MAX_HZ: f32 = 500.0;

    /// Creates the filter at a sample rate in Hz and cutoff in Hz.
    pub fn new(sample_rate_hz: f32, cutoff_hz: f32) -> Self {
        let mut f = Self { sample_rate_hz, cutoff_hz: f32::NAN, filter: Biquad::default() };
        f.set_cutoff(cutoff_hz);
        f
    }

    /// Sets the cutoff in Hz (clamped to 20–500 Hz); recomputes coefficients only on change.
    pub fn set_cutoff(&mut self, cutoff_hz: f32) {
        let c = cutoff_hz.clamp(Self::MIN_HZ, Self::MAX_HZ);
        if c != self.cutoff_hz {
            self.cutoff_hz = c;
            self.filter
                .set_coefficients(BiquadCoefficients::high_pass(c, FRAC_1_SQRT_2, self.sample_rate_hz));
        }
    }

    /// Filters one sample.
    #[inline]
    pub fn tick(&mut self, x: f32) -> f32 {
        self.filter.tick(x)
    }

    /// Filters a block in place.
    pub fn process(&mut self, samples: &mut [f32]) {
        self.filter.process(samples);
    }
}

impl crate::DspUnit for KeyHighPass {
    fn set_sample_rate(&mut self, sample_rate_hz: f32) {
        let c = self.cutoff_hz;
        *self = Self::new(sample_rate_hz, c);
    }
    fn reset(&mut self) {
        self.filter.s1 = 0.0;
        self.filter.s2 = 0.0;
    }
}
