//! The lag between two signals: where their cross-correlation peaks (computed with an FFT).

use realfft::num_complex::Complex;
use realfft::RealFftPlanner;

/// The sum of all channels as f64.
fn mono(signal: &[Vec<f32>]) -> Vec<f64> {
    let n = signal.first().map_or(0, Vec::len);
    (0..n).map(|i| signal.iter().map(|c| c[i] as f64).sum()).collect()
}

/// The lag in frames, within `-max_lag..=max_lag`, at which the cross-correlation of the channel
/// sums of `a` and `b` is largest, and the normalised correlation there (1 for identical shapes).
/// A positive lag means `a` is late: `a[i + lag]` matches `b[i]`.
pub fn best_lag(a: &[Vec<f32>], b: &[Vec<f32>], max_lag: usize) -> (isize, f64) {
    let (a, b) = (mono(a), mono(b));
    let n = (a.len() + b.len()).next_power_of_two().max(2);
    let mut planner = RealFftPlanner::<f64>::new();
    let forward = planner.plan_fft_forward(n);
    let inverse = planner.plan_fft_inverse(n);
    let spectrum = |x: &[f64]| {
        let mut buf = vec![0.0; n];
        buf[..x.len()].copy_from_slice(x);
        let mut out = forward.make_output_vec();
        forward.process(&mut buf, &mut out).expect("FFT sizes match");
        out
    };
    let (fa, fb) = (spectrum(&a), spectrum(&b));
    // r[k] = sum_i a[i + k] b[i] has the spectrum A conj(B).
    let mut cross: Vec<Complex<f64>> = fa.iter().zip(&fb).map(|(x, y)| x * y.conj()).collect();
    // The imaginary parts of DC and Nyquist are zero in theory; rounding must not upset realfft.
    cross[0].im = 0.0;
    cross[n / 2].im = 0.0;
    let mut r = vec![0.0; n];
    inverse.process(&mut cross, &mut r).expect("FFT sizes match");
    let max_lag = max_lag.min(n / 2 - 1) as isize;
    let at = |lag: isize| r[lag.rem_euclid(n as isize) as usize] / n as f64;
    let best = (-max_lag..=max_lag)
        .max_by(|&x, &y| at(x).total_cmp(&at(y)).then(y.abs().cmp(&x.abs())))
        .unwrap_or(0);
    let energy = (a.iter().map(|x| x * x).sum::<f64>() * b.iter().map(|x| x * x).sum::<f64>()).sqrt();
    let normalised = if energy > 0.0 { at(best) / energy } else { 0.0 };
    (best, normalised)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn noise(n: usize, seed: u64) -> Vec<f32> {
        let mut rng = crate::Rng::new(seed);
        (0..n).map(|_| rng.bipolar()).collect()
    }

    #[test]
    fn finds_a_known_delay_either_way() {
        let x = noise(5000, 7);
        let late: Vec<f32> = (0..5000).map(|i| if i < 37 { 0.0 } else { x[i - 37] }).collect();
        let (lag, corr) = best_lag(std::slice::from_ref(&late), std::slice::from_ref(&x), 100);
        assert_eq!(lag, 37);
        assert!(corr > 0.98, "{corr}");
        assert_eq!(best_lag(std::slice::from_ref(&x), &[late], 100).0, -37);
        let (lag, corr) = best_lag(&[x.clone(), x.clone()], &[x.clone(), x], 100);
        assert_eq!(lag, 0);
        assert!((corr - 1.0).abs() < 1e-9);
    }
}
