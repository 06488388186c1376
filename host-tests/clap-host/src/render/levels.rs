//! Level measurements on planar signals: peak in dBFS and the relative residual of a null test.

/// `20 log10(ratio)` dB of an amplitude ratio; `-inf` for 0.
pub fn amplitude_db(ratio: f64) -> f64 {
    if ratio <= 0.0 {
        f64::NEG_INFINITY
    } else {
        20.0 * ratio.log10()
    }
}

/// Largest absolute sample over every channel, in dBFS (`-inf` for digital silence).
pub fn peak_dbfs(signal: &[Vec<f32>]) -> f64 {
    let peak = signal.iter().flatten().fold(0.0f32, |m, &s| m.max(s.abs()));
    amplitude_db(peak as f64)
}

/// Root mean square over every channel and frame (full scale = 1.0).
pub fn rms(signal: &[Vec<f32>]) -> f64 {
    let n: usize = signal.iter().map(Vec::len).sum();
    let sum: f64 = signal.iter().flatten().map(|&s| s as f64 * s as f64).sum();
    (sum / n.max(1) as f64).sqrt()
}

/// The null test of `a` against the reference `b` (same shape): the RMS of `a - b` in dB relative
/// to the RMS of `b` (relative to full scale when `b` is silent), and the same residual in dBFS.
pub fn residual_db(a: &[Vec<f32>], b: &[Vec<f32>]) -> (f64, f64) {
    let diff: Vec<Vec<f32>> = a
        .iter()
        .zip(b)
        .map(|(x, y)| x.iter().zip(y).map(|(p, q)| ((*p as f64) - (*q as f64)) as f32).collect())
        .collect();
    let residual = rms(&diff);
    let reference = rms(b);
    let absolute = amplitude_db(residual);
    let relative = if reference > 0.0 { amplitude_db(residual / reference) } else { absolute };
    (relative, absolute)
}

/// `-12.3` with one decimal, `-inf` for minus infinity.
pub fn fmt_db(db: f64) -> String {
    if db == f64::NEG_INFINITY {
        "-inf".into()
    } else {
        format!("{db:.1}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn peak_and_residual() {
        let a = vec![vec![0.5f32, -1.0], vec![0.25, 0.0]];
        assert!((peak_dbfs(&a) - 0.0).abs() < 1e-9);
        assert_eq!(peak_dbfs(&[vec![0.0f32; 4]]), f64::NEG_INFINITY);
        assert_eq!(residual_db(&a, &a).0, f64::NEG_INFINITY);
        let b: Vec<Vec<f32>> = a.iter().map(|c| c.iter().map(|x| x * 1.01).collect()).collect();
        let (rel, _) = residual_db(&a, &b);
        // |a - 1.01 a| / |1.01 a| = 0.01 / 1.01.
        assert!((rel - amplitude_db(0.01 / 1.01)).abs() < 1e-3, "{rel}");
        assert_eq!(fmt_db(f64::NEG_INFINITY), "-inf");
        assert_eq!(fmt_db(-3.04), "-3.0");
    }
}
