//! Measured gain change of an instance: per 10 ms window, the output level minus the input level
//! in dB (CLAP gives a host no gain-reduction meter, so the renderer measures it).
//!
//! Definition: the instance's input and output are both aligned with the input files (latency
//! removed). For every whole window of [`WINDOW_MS`] the RMS over all channels is taken of each,
//! and the gain change is `20 log10(out_rms / in_rms)` dB. Windows whose input RMS is below
//! [`GATE_DBFS`] are skipped (no level, no meaningful ratio). Negative values are gain reduction.
//! It includes everything the instance does to the level: makeup and output gain, mix, clipping.

/// Window length, ms.
pub const WINDOW_MS: f64 = 10.0;
/// Windows whose input RMS is below this level are skipped, dBFS.
pub const GATE_DBFS: f64 = -60.0;

/// The gain change over time of one instance.
#[derive(Debug, Clone, PartialEq)]
pub struct GainTrace {
    /// Frames per window.
    pub window_frames: usize,
    /// Sample rate, Hz.
    pub sample_rate: u32,
    /// Gain change per window in dB (output level minus input level); `None` where the input was
    /// below [`GATE_DBFS`].
    pub db: Vec<Option<f32>>,
}

impl GainTrace {
    /// Smallest and largest gain change in dB, if any window was measured.
    pub fn range_db(&self) -> Option<(f32, f32)> {
        self.db.iter().flatten().fold(None, |acc, &v| match acc {
            None => Some((v, v)),
            Some((lo, hi)) => Some((lo.min(v), hi.max(v))),
        })
    }

    /// Window length, s.
    pub fn window_s(&self) -> f64 {
        self.window_frames as f64 / self.sample_rate as f64
    }
}

/// Mean square over every channel of frames `start..end`.
fn mean_square(signal: &[Vec<f32>], start: usize, end: usize) -> f64 {
    let mut sum = 0.0f64;
    for c in signal {
        sum += c[start..end].iter().map(|&s| s as f64 * s as f64).sum::<f64>();
    }
    sum / ((end - start) * signal.len().max(1)) as f64
}

/// Measures the gain change of `output` against `input` (same shape, aligned).
pub fn measure(input: &[Vec<f32>], output: &[Vec<f32>], sample_rate: u32) -> GainTrace {
    let window_frames = ((sample_rate as f64 * WINDOW_MS / 1000.0).round() as usize).max(1);
    let frames = input.first().map_or(0, Vec::len);
    let gate = 10f64.powf(GATE_DBFS / 10.0);
    let db = (0..frames / window_frames)
        .map(|w| {
            let (a, b) = (w * window_frames, (w + 1) * window_frames);
            let ms_in = mean_square(input, a, b);
            if ms_in < gate {
                return None;
            }
            let ms_out = mean_square(output, a, b).max(1e-30);
            Some((10.0 * (ms_out / ms_in).log10()) as f32)
        })
        .collect();
    GainTrace { window_frames, sample_rate, db }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_halved_signal_measures_minus_six_db_and_silence_is_skipped() {
        let rate = 1000; // 10 frames per window
        let input: Vec<f32> = (0..40).map(|i| if i < 20 { 0.5 * ((i % 2) as f32 * 2.0 - 1.0) } else { 0.0 }).collect();
        let output: Vec<f32> = input.iter().map(|x| x * 0.5).collect();
        let t = measure(&[input.clone(), input], &[output.clone(), output], rate);
        assert_eq!(t.window_frames, 10);
        assert_eq!(t.db.len(), 4);
        assert!((t.db[0].unwrap() + 6.0206).abs() < 1e-3, "{:?}", t.db);
        assert_eq!(t.db[2], None);
        let (lo, hi) = t.range_db().unwrap();
        assert!((lo - hi).abs() < 1e-6);
    }

    #[test]
    fn the_gate_is_minus_sixty_dbfs() {
        let quiet = vec![vec![0.0009f32; 100]];
        let loud = vec![vec![0.0011f32; 100]];
        assert_eq!(measure(&quiet, &quiet, 1000).range_db(), None);
        assert_eq!(measure(&loud, &loud, 1000).range_db(), Some((0.0, 0.0)));
    }
}
