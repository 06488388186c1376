//! A smoothed magnitude spectrum of the newest samples in a [`SampleRing`], for the editor.

use crate::sample_ring::SampleRing;
use realfft::num_complex::Complex;
use realfft::{RealFftPlanner, RealToComplex};
use std::f32::consts::PI;
use std::sync::Arc;

/// Spectrum analyser: Hann-windowed real FFT of the newest `fft_size` samples, in dBFS, with
/// meter-like display ballistics.
///
/// **Calibration.** Magnitudes are amplitude spectra scaled by `2 / sum(window)` (the window's
/// coherent gain is taken out), so a sine of amplitude 1.0 (full scale) centred on a bin reads
/// 0 dBFS at that bin. The DC and Nyquist bins are scaled by `1 / sum(window)`, so a constant
/// level `a` reads `20 log10(a)` there. A sine between two bins reads up to 1.42 dB low (the Hann
/// window's scalloping loss). Values never go below [`Self::floor_db`].
///
/// **Smoothing.** Rise is instant; fall is at most [`Self::fall_db_per_s`] dB per second of *audio*
/// time: the time step is the number of samples pushed into the ring since the previous refresh
/// divided by the sample rate. The display therefore falls at the same speed whatever the editor's
/// frame rate, and holds still when the audio stops (nothing new to analyse).
///
/// Everything is allocated in [`Self::new`]; [`Self::update`] does not allocate.
pub struct SpectrumAnalyser {
    /// Planned forward FFT of `fft_size` real samples.
    fft: Arc<dyn RealToComplex<f32>>,
    /// Periodic Hann window, `fft_size` values.
    window: Vec<f32>,
    /// FFT input: the newest samples, windowed in place.
    frame: Vec<f32>,
    /// FFT output, `fft_size / 2 + 1` bins.
    spectrum: Vec<Complex<f32>>,
    /// FFT scratch.
    scratch: Vec<Complex<f32>>,
    /// Smoothed magnitude per bin, dBFS.
    magnitudes_db: Vec<f32>,
    /// Power scale of the bins between DC and Nyquist: `(2 / sum(window))^2`.
    power_scale: f32,
    /// Ring counter at the last refresh, `None` before the first one.
    last_written: Option<u64>,
    /// Fall rate of the display, dB per second (rise is instant).
    pub fall_db_per_s: f32,
    /// Lowest value shown, dBFS; silence reads exactly this.
    pub floor_db: f32,
}

impl std::fmt::Debug for SpectrumAnalyser {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SpectrumAnalyser")
            .field("fft_size", &self.window.len())
            .field("fall_db_per_s", &self.fall_db_per_s)
            .field("floor_db", &self.floor_db)
            .finish_non_exhaustive()
    }
}

impl SpectrumAnalyser {
    /// Default fall rate of the display, dB per second.
    pub const DEFAULT_FALL_DB_PER_S: f32 = 20.0;
    /// Default floor, dBFS.
    pub const DEFAULT_FLOOR_DB: f32 = -120.0;
    /// Highest value reported, dBFS (guards against absurd input).
    pub const CEILING_DB: f32 = 60.0;

    /// Plans the FFT and allocates every buffer. The ring it reads must hold at least `fft_size`
    /// samples.
    ///
    /// # Panics
    /// If `fft_size` is odd or smaller than 4.
    pub fn new(fft_size: usize) -> Self {
        assert!(fft_size >= 4 && fft_size.is_multiple_of(2), "FFT size must be even and >= 4, got {fft_size}");
        let fft = RealFftPlanner::<f32>::new().plan_fft_forward(fft_size);
        let window: Vec<f32> =
            (0..fft_size).map(|n| 0.5 - 0.5 * (2.0 * PI * n as f32 / fft_size as f32).cos()).collect();
        let window_sum: f32 = window.iter().sum();
        Self {
            frame: fft.make_input_vec(),
            spectrum: fft.make_output_vec(),
            scratch: fft.make_scratch_vec(),
            magnitudes_db: vec![Self::DEFAULT_FLOOR_DB; fft_size / 2 + 1],
            power_scale: (2.0 / window_sum).powi(2),
            window,
            fft,
            last_written: None,
            fall_db_per_s: Self::DEFAULT_FALL_DB_PER_S,
            floor_db: Self::DEFAULT_FLOOR_DB,
        }
    }

    /// Number of samples analysed per refresh.
    pub fn fft_size(&self) -> usize {
        self.window.len()
    }

    /// Number of bins, `fft_size / 2 + 1` (DC to Nyquist).
    pub fn num_bins(&self) -> usize {
        self.magnitudes_db.len()
    }

    /// Smoothed magnitude per bin in dBFS, DC first (see the type's docs for the calibration).
    pub fn magnitudes_db(&self) -> &[f32] {
        &self.magnitudes_db
    }

    /// Centre frequency of bin `i` in Hz at `sample_rate_hz`.
    pub fn bin_frequency_hz(&self, i: usize, sample_rate_hz: f32) -> f32 {
        i as f32 * sample_rate_hz / self.fft_size() as f32
    }

    /// Drops the display to the floor and forgets the previous refresh.
    pub fn reset(&mut self) {
        self.magnitudes_db.fill(self.floor_db);
        self.last_written = None;
    }

    /// Refreshes from the newest `fft_size` samples of `ring` at `sample_rate_hz`. Returns `true`
    /// if the display changed; `false` if nothing new was pushed since the last refresh, the ring
    /// does not hold enough samples yet, or the copy was torn (try again next frame). Non-finite
    /// samples are analysed as zeros. Does not allocate.
    pub fn update(&mut self, ring: &SampleRing, sample_rate_hz: f32) -> bool {
        let written = ring.total_written();
        if self.last_written == Some(written) || !ring.read_latest(&mut self.frame) {
            return false;
        }
        let dt_s = match self.last_written {
            Some(last) => written.wrapping_sub(last) as f32 / sample_rate_hz.max(1.0),
            None => f32::INFINITY,
        };
        self.last_written = Some(written);
        for (x, w) in self.frame.iter_mut().zip(&self.window) {
            *x = if x.is_finite() { *x * w } else { 0.0 };
        }
        if self.fft.process_with_scratch(&mut self.frame, &mut self.spectrum, &mut self.scratch).is_err() {
            // NOTE: cannot happen, the buffers come from the plan itself.
            return false;
        }
        let fall_db = self.fall_db_per_s * dt_s;
        let last = self.spectrum.len() - 1;
        for (i, (bin, shown)) in self.spectrum.iter().zip(self.magnitudes_db.iter_mut()).enumerate() {
            // DC and Nyquist have no mirror image: a quarter of the power scale.
            let scale = if i == 0 || i == last { 0.25 * self.power_scale } else { self.power_scale };
            let db = 10.0 * (bin.norm_sqr() * scale).log10();
            // `>=` is false for NaN, so NaN (and -inf from silence) lands on the floor.
            let db = if db >= self.floor_db { db.min(Self::CEILING_DB) } else { self.floor_db };
            let fallen = *shown - fall_db;
            *shown = if fallen >= db { fallen } else { db };
        }
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const RATE: f32 = 48_000.0;

    fn sine(amplitude: f32, freq_hz: f32, phase: f32, n: usize) -> Vec<f32> {
        (0..n).map(|i| amplitude * (2.0 * PI * freq_hz * i as f32 / RATE + phase).sin()).collect()
    }

    fn argmax(v: &[f32]) -> usize {
        v.iter().enumerate().fold(0, |best, (i, &x)| if x > v[best] { i } else { best })
    }

    #[test]
    fn full_scale_sine_at_bin_centre_reads_0_dbfs() {
        for (fft_size, bin) in [(1024, 10), (2048, 100), (4096, 1000), (2048, 1023)] {
            for phase in [0.0, 0.7, 2.0] {
                let mut analyser = SpectrumAnalyser::new(fft_size);
                let ring = SampleRing::new(fft_size.next_power_of_two());
                let freq = analyser.bin_frequency_hz(bin, RATE);
                ring.push(&sine(1.0, freq, phase, fft_size));
                assert!(analyser.update(&ring, RATE));
                let m = analyser.magnitudes_db();
                assert_eq!(argmax(m), bin, "fft {fft_size} bin {bin}");
                assert!(m[bin].abs() < 0.5, "fft {fft_size} bin {bin}: {} dB", m[bin]);
            }
        }
    }

    #[test]
    fn amplitude_scales_in_db() {
        let mut analyser = SpectrumAnalyser::new(2048);
        let ring = SampleRing::new(2048);
        ring.push(&sine(0.1, analyser.bin_frequency_hz(200, RATE), 0.3, 2048));
        analyser.update(&ring, RATE);
        assert!((analyser.magnitudes_db()[200] + 20.0).abs() < 0.5);
    }

    #[test]
    fn dc_level_reads_its_level() {
        let mut analyser = SpectrumAnalyser::new(1024);
        let ring = SampleRing::new(1024);
        ring.push(&[0.5; 1024]);
        analyser.update(&ring, RATE);
        assert!((analyser.magnitudes_db()[0] - 20.0 * 0.5f32.log10()).abs() < 0.1);
    }

    #[test]
    fn silence_reads_at_the_floor() {
        let mut analyser = SpectrumAnalyser::new(2048);
        let ring = SampleRing::new(4096);
        ring.push(&[0.0; 4096]);
        assert!(analyser.update(&ring, RATE));
        assert!(analyser.magnitudes_db().iter().all(|&m| m == SpectrumAnalyser::DEFAULT_FLOOR_DB));
    }

    #[test]
    fn no_nan_for_any_input() {
        let mut analyser = SpectrumAnalyser::new(512);
        let ring = SampleRing::new(512);
        let mut seed = 1u32;
        let noise: Vec<f32> = (0..512)
            .map(|_| {
                seed = seed.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
                (seed >> 8) as f32 / (1u32 << 23) as f32 - 1.0
            })
            .collect();
        ring.push(&noise);
        assert!(analyser.update(&ring, RATE));
        assert!(analyser.magnitudes_db().iter().all(|m| m.is_finite()));
        // Even for garbage in (non-finite samples are analysed as zeros, huge ones are capped).
        let mut garbage = noise.clone();
        garbage[3] = f32::NAN;
        garbage[100] = f32::INFINITY;
        garbage[200] = f32::MAX;
        garbage[201] = -f32::MAX;
        ring.push(&garbage);
        assert!(analyser.update(&ring, RATE));
        assert!(analyser.magnitudes_db().iter().all(|m| m.is_finite() && *m <= SpectrumAnalyser::CEILING_DB));
    }

    #[test]
    fn rises_instantly_and_falls_at_the_set_rate_in_audio_time() {
        let mut analyser = SpectrumAnalyser::new(1024);
        let ring = SampleRing::new(1024);
        let bin = 40;
        ring.push(&sine(1.0, analyser.bin_frequency_hz(bin, RATE), 0.0, 1024));
        analyser.update(&ring, RATE);
        assert!(analyser.magnitudes_db()[bin].abs() < 0.5);
        // Nothing new: no refresh, no fall, however often the editor asks.
        assert!(!analyser.update(&ring, RATE));
        // A quarter second of silence: 5 dB of fall at 20 dB/s.
        for _ in 0..12 {
            ring.push(&[0.0; 1000]);
            analyser.update(&ring, RATE);
        }
        let expected = -SpectrumAnalyser::DEFAULT_FALL_DB_PER_S * 12_000.0 / RATE;
        assert!((analyser.magnitudes_db()[bin] - expected).abs() < 0.5, "{}", analyser.magnitudes_db()[bin]);
        // The sine comes back: instant rise.
        ring.push(&sine(1.0, analyser.bin_frequency_hz(bin, RATE), 0.0, 1024));
        analyser.update(&ring, RATE);
        assert!(analyser.magnitudes_db()[bin].abs() < 0.5);
    }

    #[test]
    fn waits_for_enough_samples() {
        let mut analyser = SpectrumAnalyser::new(1024);
        let ring = SampleRing::new(1024);
        ring.push(&[0.5; 1000]);
        assert!(!analyser.update(&ring, RATE));
        ring.push(&[0.5; 24]);
        assert!(analyser.update(&ring, RATE));
    }
}
