//! The de-esser's band: the filter its detector listens through, and the band split-band mode turns down.

use crate::biquad::BiquadCoefficients;
use std::f64::consts::FRAC_1_SQRT_2;

/// Shape of the sibilance band.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum BandShape {
    /// Everything above the frequency: detection through a 24 dB/oct Butterworth high-pass,
    /// suppression as a dynamic high shelf.
    #[default]
    HighPass,
    /// A band from the frequency up, `width_octaves` wide: detection through a band-pass pair
    /// (12 dB/oct skirts), suppression through one constant-peak band-pass, a dynamic bell.
    BandPass,
}

/// Coefficients of the detection and suppression filters for one band setting.
///
/// Split-band output is `d - (1 - g) S(d)` for the delayed input `d`, band gain `g` and
/// suppression filter `S`. `S` must have (close to) zero phase where it passes, or the subtraction
/// does not cut: taking a plain 12 dB/oct Butterworth high-pass away for a 12 dB cut boosts by 1 dB
/// at its cutoff and half an octave below, and cuts only 3.3 dB an octave above it, because the
/// high-pass's phase is far from zero there.
/// - High-pass shape: `S = 1 - LP`, the complement of a Butterworth low-pass, so the output is
///   `LP(d) + g (d - LP(d))`: a high shelf of depth `g` with no bump below it. Its corner sits
///   [`SibilanceBand::SHELF_CORNER_OCTAVES`] below the frequency, which puts the frequency where the
///   shelf cuts as much as taking away a zero-phase band with its −3 dB edge there would. With a
///   12 dB cut: −0.9 dB an octave below the frequency, −6.6 dB at it, −12 dB from about 1.35 times
///   it up, with up to 3.4 dB of overshoot around twice the frequency.
/// - Band-pass shape: `S` is the RBJ constant-0-dB-peak band-pass with its −3 dB points at the band
///   edges (centre at their geometric mean, prewarped), whose phase is zero at its centre: the
///   output is a bell cut of depth `g` there.
///
/// The detection filter `D` (two biquads in series) is steeper, so vowels stay out of the detector:
/// a 4th-order (24 dB/oct) Butterworth high-pass at the frequency, or two identical band-passes whose
/// product has its −3 dB points at the band edges (12 dB/oct skirts).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SibilanceBand {
    /// Detection filter `D` as two biquads in series, applied to the undelayed input.
    pub detect: [BiquadCoefficients; 2],
    /// Suppression filter `S`, applied to the delayed input.
    pub suppress: BiquadCoefficients,
}

/// Qualities of the two sections of a 4th-order Butterworth filter: `1 / (2 cos(pi/8))` and
/// `1 / (2 cos(3 pi/8))`.
const BUTTERWORTH4_Q: [f64; 2] = [0.541_196_100_146_197, 1.306_562_964_876_376_5];

impl SibilanceBand {
    /// Highest band edge in Hz as a fraction of the sample rate.
    pub const MAX_EDGE_RATIO: f32 = 0.45;
    /// How far below the frequency the high shelf's corner (its low-pass cutoff) sits, in octaves.
    pub const SHELF_CORNER_OCTAVES: f32 = 0.2;

    /// Designs the band: `frequency_hz` is the lower edge; for [`BandShape::BandPass`] the upper edge
    /// is `frequency_hz * 2^width_octaves`. Edges are kept below `0.45 * sample_rate_hz`.
    pub fn new(shape: BandShape, frequency_hz: f32, width_octaves: f32, sample_rate_hz: f32) -> Self {
        let max_edge = Self::MAX_EDGE_RATIO * sample_rate_hz;
        match shape {
            BandShape::HighPass => {
                let f = frequency_hz.min(max_edge);
                let corner = f * (-Self::SHELF_CORNER_OCTAVES).exp2();
                Self {
                    detect: BUTTERWORTH4_Q.map(|q| BiquadCoefficients::high_pass(f, q, sample_rate_hz)),
                    suppress: BiquadCoefficients::low_pass(corner, FRAC_1_SQRT_2, sample_rate_hz).complement(),
                }
            }
            BandShape::BandPass => {
                let upper = (frequency_hz * width_octaves.exp2()).min(max_edge);
                let lower = frequency_hz.min(upper * (-0.25f32).exp2());
                let stage = BiquadCoefficients::band_pass_edges(lower, upper, 2, sample_rate_hz);
                Self { detect: [stage; 2], suppress: BiquadCoefficients::band_pass_edges(lower, upper, 1, sample_rate_hz) }
            }
        }
    }

    /// Magnitude (linear) of the detection filter at `freq_hz`.
    pub fn detect_magnitude(&self, freq_hz: f32, sample_rate_hz: f32) -> f32 {
        self.detect.iter().map(|c| c.magnitude(freq_hz, sample_rate_hz)).product()
    }

    /// Split-band response magnitude (linear) at `freq_hz` when the band gain is `gain` (linear):
    /// `|1 - (1 - gain) S|`.
    pub fn split_band_magnitude(&self, freq_hz: f32, gain: f32, sample_rate_hz: f32) -> f32 {
        let (re, im) = self.suppress.response(freq_hz, sample_rate_hz);
        let k = 1.0 - gain as f64;
        let (re, im) = (1.0 - k * re, -k * im);
        (re * re + im * im).sqrt() as f32
    }
}
