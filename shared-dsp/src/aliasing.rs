//! Aliasing measurement of the clipper: the largest non-harmonic component of a clipped sine, in dBc.
//!
//! Method: a sine of a whole number of Hz at 48 kHz (pick one that does not divide 48 kHz, so its
//! aliases do not land on harmonics) runs through a [`TransientClipper`] for [`SETTLE_SAMPLES`]; the
//! next second (48000 samples, a whole number of periods of every harmonic and alias, so every
//! component sits exactly on a 1 Hz bin and no window is needed) is transformed. Every bin that is
//! not DC and not a multiple of the fundamental counts as aliasing; the figure is the largest of them
//! relative to the fundamental. Used by the `aliasing_table` example and by the tests.

use crate::clipper::{ClipperSettings, TransientClipper};
use crate::DspUnit;
use realfft::RealFftPlanner;

/// Sample rate of the measurement, Hz.
pub const SAMPLE_RATE_HZ: usize = 48_000;
/// Samples processed before the analysed second.
pub const SETTLE_SAMPLES: usize = 8_192;

/// Spectrum figures of one measurement.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct AliasingFigure {
    /// Largest non-harmonic component relative to the fundamental, dBc.
    pub worst_dbc: f64,
    /// Frequency of that component, Hz.
    pub worst_hz: usize,
    /// Fundamental level at the output, dBFS (sine peak).
    pub fundamental_dbfs: f64,
}

/// Runs a sine of `frequency_hz` (whole Hz) and peak `amplitude` through a clipper with `settings`
/// (stereo, the same signal in both channels) and measures the aliasing on the left output.
pub fn measure(settings: &ClipperSettings, frequency_hz: usize, amplitude: f32) -> AliasingFigure {
    let total = SETTLE_SAMPLES + SAMPLE_RATE_HZ;
    let mut clipper = TransientClipper::new(2, SAMPLE_RATE_HZ as f32);
    clipper.set_settings_immediately(settings);
    clipper.reset();
    let w = 2.0 * std::f64::consts::PI * frequency_hz as f64 / SAMPLE_RATE_HZ as f64;
    let input: Vec<f32> = (0..total).map(|n| (amplitude as f64 * (w * n as f64).sin()) as f32).collect();
    let mut left = input.clone();
    let mut right = input;
    for (l, r) in left.chunks_mut(512).zip(right.chunks_mut(512)) {
        clipper.process(&mut [l, r]);
    }
    let mut frame: Vec<f64> = left[SETTLE_SAMPLES..].iter().map(|&x| x as f64).collect();
    let mut planner = RealFftPlanner::<f64>::new();
    let fft = planner.plan_fft_forward(SAMPLE_RATE_HZ);
    let mut spectrum = fft.make_output_vec();
    fft.process(&mut frame, &mut spectrum).expect("FFT sizes match");
    let magnitude = |bin: usize| spectrum[bin].norm();
    let fundamental = magnitude(frequency_hz);
    let (worst_hz, worst) = (1..spectrum.len())
        .filter(|bin| bin % frequency_hz != 0)
        .map(|bin| (bin, magnitude(bin)))
        .fold((0, 0.0), |best, c| if c.1 > best.1 { c } else { best });
    AliasingFigure {
        worst_dbc: 20.0 * (worst.max(1e-300) / fundamental).log10(),
        worst_hz,
        fundamental_dbfs: 20.0 * (2.0 * fundamental / SAMPLE_RATE_HZ as f64).log10(),
    }
}
