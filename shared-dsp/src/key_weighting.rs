//! Key-weighting filters: the fixed curve a compressor's detector listens through (BS.1770 K-weighting,
//! presence, speech band, low-weighted, bright), as a chain of up to three biquads per channel.

use crate::biquad::{Biquad, BiquadCoefficients};
use crate::units::SILENCE_DB;
use std::f64::consts::{FRAC_1_SQRT_2, PI};

/// Most biquads any weighting uses.
pub const MAX_STAGES: usize = 3;

/// BS.1770-4 pre-filter (high shelf): corner in Hz, gain in dB, quality. This is the analog
/// parameterisation that reproduces the 48 kHz table of the recommendation (as in libebur128 and
/// pyloudnorm).
const K_SHELF_HZ: f64 = 1681.974450955533;
const K_SHELF_GAIN_DB: f64 = 3.999843853973347;
const K_SHELF_Q: f64 = 0.7071752369554196;
/// Exponent of the shelf's band-pass weight: `Vb = Vh^K_SHELF_VB_EXPONENT`, `Vh` the linear shelf gain.
const K_SHELF_VB_EXPONENT: f64 = 0.4996667741545416;
/// BS.1770-4 RLB high-pass: corner in Hz and quality.
const K_RLB_HZ: f64 = 38.13547087602444;
const K_RLB_Q: f64 = 0.5003270373238773;

/// Presence: 2nd-order Butterworth high-pass corner in Hz.
const PRESENCE_HIGH_PASS_HZ: f32 = 100.0;
/// Presence: centre of the bell in Hz, its gain in dB and its quality.
const PRESENCE_BELL_HZ: f32 = 3000.0;
const PRESENCE_BELL_DB: f64 = 6.0;
const PRESENCE_BELL_Q: f64 = 0.8;
/// Speech band: Butterworth high-pass and low-pass corners in Hz.
const SPEECH_HIGH_PASS_HZ: f32 = 150.0;
const SPEECH_LOW_PASS_HZ: f32 = 4000.0;
/// Low-weighted: Butterworth low-pass corner in Hz.
const LOW_WEIGHTED_LOW_PASS_HZ: f32 = 1000.0;
/// Bright: Butterworth high-pass corner in Hz.
const BRIGHT_HIGH_PASS_HZ: f32 = 40.0;

/// Which curve the detector listens through.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum KeyWeightingKind {
    /// No filtering: bit-exact and free.
    #[default]
    Flat,
    /// ITU-R BS.1770-4 K-weighting: a +4 dB high shelf above about 1.7 kHz and the RLB high-pass
    /// (about 38 Hz, Q 0.5), designed for any sample rate from the analog prototypes.
    KWeighting,
    /// For vocals: 2nd-order Butterworth high-pass at 100 Hz and a +6 dB bell at 3 kHz, Q 0.8.
    Presence,
    /// For dialogue: 2nd-order Butterworth high-pass at 150 Hz and low-pass at 4 kHz.
    SpeechBand,
    /// For bass: 2nd-order Butterworth low-pass at 1 kHz, so string noise and clicks do not drive
    /// the detector.
    LowWeighted,
    /// For drums and percussion: 2nd-order Butterworth high-pass at 40 Hz, so a kick's sub does not
    /// dominate the detector while snare and toms still count.
    Bright,
}

impl KeyWeightingKind {
    /// Every weighting, in declaration order.
    pub const ALL: [Self; 6] =
        [Self::Flat, Self::KWeighting, Self::Presence, Self::SpeechBand, Self::LowWeighted, Self::Bright];

    /// Short display name, for the editor and the README.
    pub const fn name(&self) -> &'static str {
        match self {
            Self::Flat => "Flat",
            Self::KWeighting => "K-weighting (BS.1770)",
            Self::Presence => "Presence",
            Self::SpeechBand => "Speech band",
            Self::LowWeighted => "Low-weighted",
            Self::Bright => "Bright",
        }
    }

    /// The chain's coefficients at a sample rate in Hz: the first `len` entries are active, the rest
    /// are identities.
    fn design(self, sample_rate_hz: f32) -> ([BiquadCoefficients; MAX_STAGES], usize) {
        let mut c = [BiquadCoefficients::IDENTITY; MAX_STAGES];
        let q = FRAC_1_SQRT_2;
        let len = match self {
            Self::Flat => 0,
            Self::KWeighting => {
                c[0] = k_shelf(sample_rate_hz);
                c[1] = k_rlb(sample_rate_hz);
                2
            }
            Self::Presence => {
                c[0] = BiquadCoefficients::high_pass(PRESENCE_HIGH_PASS_HZ, q, sample_rate_hz);
                c[1] = BiquadCoefficients::peaking(PRESENCE_BELL_HZ, PRESENCE_BELL_Q, PRESENCE_BELL_DB, sample_rate_hz);
                2
            }
            Self::SpeechBand => {
                c[0] = BiquadCoefficients::high_pass(SPEECH_HIGH_PASS_HZ, q, sample_rate_hz);
                c[1] = BiquadCoefficients::low_pass(SPEECH_LOW_PASS_HZ, q, sample_rate_hz);
                2
            }
            Self::LowWeighted => {
                c[0] = BiquadCoefficients::low_pass(LOW_WEIGHTED_LOW_PASS_HZ, q, sample_rate_hz);
                1
            }
            Self::Bright => {
                c[0] = BiquadCoefficients::high_pass(BRIGHT_HIGH_PASS_HZ, q, sample_rate_hz);
                1
            }
        };
        (c, len)
    }
}

/// The BS.1770 pre-filter (high shelf) at a sample rate in Hz.
fn k_shelf(sample_rate_hz: f32) -> BiquadCoefficients {
    let vh = 10f64.powf(K_SHELF_GAIN_DB / 20.0);
    BiquadCoefficients::high_shelf(K_SHELF_HZ, K_SHELF_Q, vh, vh.powf(K_SHELF_VB_EXPONENT), sample_rate_hz)
}

/// The BS.1770 RLB high-pass at a sample rate in Hz.
///
/// NOTE: the recommendation's 48 kHz table has the numerator `[1, -2, 1]`, not normalised, so its
/// passband gain is `1 + K/Q + K^2` with `K = tan(pi f0 / 48000)`: +0.043 dB. The −0.691 dB in the
/// loudness formula calibrates that table, so the gain is part of K-weighting and is kept at every
/// rate: the normalised high-pass is scaled by the 48 kHz gain (the numerator is exactly `[1, -2, 1]`
/// at 48 kHz). Leaving `[1, -2, 1]` at every rate, as some meters do, would make the passband gain
/// +0.094 dB at 22.05 kHz and +0.005 dB at 384 kHz.
fn k_rlb(sample_rate_hz: f32) -> BiquadCoefficients {
    let k48 = (PI * K_RLB_HZ / 48_000.0).tan();
    let gain = 1.0 + k48 / K_RLB_Q + k48 * k48;
    let c = BiquadCoefficients::bilinear([1.0, 0.0, 0.0], [1.0, 1.0 / K_RLB_Q, 1.0], K_RLB_HZ, sample_rate_hz);
    BiquadCoefficients { b0: c.b0 * gain, b1: c.b1 * gain, b2: c.b2 * gain, ..c }
}

/// One channel of key weighting: up to [`MAX_STAGES`] biquads in series, chosen by a
/// [`KeyWeightingKind`].
#[derive(Debug, Clone, Copy)]
pub struct KeyWeighting {
    /// The selected curve.
    kind: KeyWeightingKind,
    /// Sample rate in Hz.
    sample_rate_hz: f32,
    /// Coefficients of the chain; the first `stages` are active.
    coefficients: [BiquadCoefficients; MAX_STAGES],
    /// Filter state, one biquad per stage.
    filters: [Biquad; MAX_STAGES],
    /// Number of active stages; 0 for [`KeyWeightingKind::Flat`], which therefore touches nothing.
    stages: usize,
}

impl KeyWeighting {
    /// Creates the weighting `kind` at a sample rate in Hz.
    pub fn new(kind: KeyWeightingKind, sample_rate_hz: f32) -> Self {
        let mut w = Self {
            kind,
            sample_rate_hz,
            coefficients: [BiquadCoefficients::IDENTITY; MAX_STAGES],
            filters: [Biquad::default(); MAX_STAGES],
            stages: 0,
        };
        w.redesign();
        w
    }

    /// The selected curve.
    pub fn kind(&self) -> KeyWeightingKind {
        self.kind
    }

    /// The sample rate in Hz.
    pub fn sample_rate_hz(&self) -> f32 {
        self.sample_rate_hz
    }

    /// The active stages' coefficients, in processing order (empty for Flat).
    pub fn coefficients(&self) -> &[BiquadCoefficients] {
        &self.coefficients[..self.stages]
    }

    /// Selects the curve. Coefficients are recomputed only when the kind changes, and then the
    /// filter state is cleared, so the new curve starts as if the key began now instead of running
    /// another filter's memory through new coefficients. Does not allocate.
    pub fn set_kind(&mut self, kind: KeyWeightingKind) {
        if kind != self.kind {
            self.kind = kind;
            self.redesign();
            self.reset_filters();
        }
    }

    /// Filters one sample (returns `x` unchanged for Flat).
    #[inline]
    pub fn tick(&mut self, x: f32) -> f32 {
        let mut y = x;
        for f in &mut self.filters[..self.stages] {
            y = f.tick(y);
        }
        y
    }

    /// Filters a block in place, one stage over the whole block at a time (bit-identical to
    /// [`KeyWeighting::tick`] per sample). Flat leaves the block untouched.
    pub fn process(&mut self, samples: &mut [f32]) {
        for f in &mut self.filters[..self.stages] {
            f.process(samples);
        }
    }

    /// Combined magnitude response in dB at `freq_hz` (the curve [`KeyWeighting::process`] applies),
    /// floored at [`SILENCE_DB`]; 0 dB for Flat.
    pub fn magnitude_db(&self, freq_hz: f32) -> f32 {
        let power: f64 = self
            .coefficients()
            .iter()
            .map(|c| {
                let (re, im) = c.response(freq_hz, self.sample_rate_hz);
                re * re + im * im
            })
            .product();
        if power > 1e-20 {
            (10.0 * power.log10()) as f32
        } else {
            SILENCE_DB
        }
    }

    fn redesign(&mut self) {
        let (coefficients, stages) = self.kind.design(self.sample_rate_hz);
        self.coefficients = coefficients;
        self.stages = stages;
        for (f, c) in self.filters.iter_mut().zip(coefficients) {
            f.set_coefficients(c);
        }
    }

    fn reset_filters(&mut self) {
        for f in &mut self.filters {
            f.reset();
        }
    }
}

impl crate::DspUnit for KeyWeighting {
    fn set_sample_rate(&mut self, sample_rate_hz: f32) {
        self.sample_rate_hz = sample_rate_hz;
        self.redesign();
        self.reset_filters();
    }
    fn reset(&mut self) {
        self.reset_filters();
    }
}
