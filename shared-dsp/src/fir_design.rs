//! FIR low-pass design for the oversampling stages: Kaiser-windowed sinc (linear phase) and its
//! minimum-phase counterpart with the same magnitude response (homomorphic, via the real cepstrum).
//!
//! Everything runs in f64 at construction time and may allocate; nothing here runs on the audio
//! thread.

use realfft::num_complex::Complex;
use realfft::RealFftPlanner;
use std::f64::consts::PI;

/// Zeroth-order modified Bessel function of the first kind, by its power series.
fn bessel_i0(x: f64) -> f64 {
    let mut sum = 1.0;
    let mut term = 1.0;
    let q = 0.25 * x * x;
    for k in 1..200 {
        term *= q / (k as f64 * k as f64);
        sum += term;
        if term < sum * 1e-17 {
            break;
        }
    }
    sum
}

/// Kaiser window `beta` for a stopband attenuation in dB (Kaiser's formula).
pub fn kaiser_beta(stopband_db: f64) -> f64 {
    if stopband_db > 50.0 {
        0.1102 * (stopband_db - 8.7)
    } else if stopband_db >= 21.0 {
        0.5842 * (stopband_db - 21.0).powf(0.4) + 0.07886 * (stopband_db - 21.0)
    } else {
        0.0
    }
}

/// Odd tap count Kaiser's formula asks for: `stopband_db` attenuation over a transition
/// `transition_width` wide, as a fraction of the sample rate.
pub fn kaiser_taps(stopband_db: f64, transition_width: f64) -> usize {
    let n = ((stopband_db - 7.95) / (2.285 * 2.0 * PI * transition_width)).ceil() as usize + 1;
    n | 1
}

/// Linear-phase low-pass: a sinc with its -6 dB point at `cutoff` (fraction of the sample rate),
/// `taps` long (odd), under a Kaiser window of `beta`, normalised to a DC gain of exactly 1.
///
/// With `cutoff = 0.25` it is a half-band filter: every second tap away from the centre is zero.
pub fn kaiser_lowpass(taps: usize, cutoff: f64, beta: f64) -> Vec<f64> {
    assert!(taps % 2 == 1, "odd tap count keeps the delay an integer");
    let centre = (taps / 2) as f64;
    let i0_beta = bessel_i0(beta);
    let mut h: Vec<f64> = (0..taps)
        .map(|n| {
            let m = n as f64 - centre;
            let sinc = if m == 0.0 { 2.0 * cutoff } else { (2.0 * PI * cutoff * m).sin() / (PI * m) };
            let r = m / centre;
            let window = bessel_i0(beta * (1.0 - r * r).max(0.0).sqrt()) / i0_beta;
            sinc * window
        })
        .collect();
    if (cutoff - 0.25).abs() < 1e-12 {
        // Exact zeros, so the polyphase split can drop them.
        for (n, c) in h.iter_mut().enumerate() {
            let m = n as i64 - taps as i64 / 2;
            if m != 0 && m % 2 == 0 {
                *c = 0.0;
            }
        }
    }
    let dc: f64 = h.iter().sum();
    h.iter_mut().for_each(|c| *c /= dc);
    h
}

/// The minimum-phase filter with the magnitude response of `h`, `taps` long.
///
/// Real-cepstrum method: fold the cepstrum of `ln |H|` onto positive quefrencies and exponentiate.
/// `|H|` is floored at `floor` (linear) so the stopband zeros do not send the logarithm to -inf;
/// the floor sets the deepest stopband the result can keep. The result is normalised to DC gain 1.
pub fn minimum_phase(h: &[f64], taps: usize, floor: f64) -> Vec<f64> {
    let fft_len = (h.len().max(taps) * 64).next_power_of_two();
    let mut planner = RealFftPlanner::<f64>::new();
    let forward = planner.plan_fft_forward(fft_len);
    let inverse = planner.plan_fft_inverse(fft_len);

    let mut time = vec![0.0; fft_len];
    time[..h.len()].copy_from_slice(h);
    let mut spectrum = forward.make_output_vec();
    forward.process(&mut time, &mut spectrum).expect("FFT sizes match");

    // Real cepstrum of ln|H|.
    let mut log_mag: Vec<Complex<f64>> =
        spectrum.iter().map(|z| Complex::new(z.norm().max(floor).ln(), 0.0)).collect();
    inverse.process(&mut log_mag, &mut time).expect("FFT sizes match");
    let scale = 1.0 / fft_len as f64;
    // Fold: keep c[0] and c[N/2], double the positive quefrencies, drop the negative ones.
    for (n, c) in time.iter_mut().enumerate() {
        *c *= scale;
        if n > 0 && n < fft_len / 2 {
            *c *= 2.0;
        } else if n > fft_len / 2 {
            *c = 0.0;
        }
    }
    forward.process(&mut time, &mut spectrum).expect("FFT sizes match");
    for z in spectrum.iter_mut() {
        *z = z.exp();
    }
    // The inverse real FFT needs real DC and Nyquist bins; they are real up to rounding.
    spectrum[0].im = 0.0;
    let last = spectrum.len() - 1;
    spectrum[last].im = 0.0;
    inverse.process(&mut spectrum, &mut time).expect("FFT sizes match");
    let mut out: Vec<f64> = time[..taps].iter().map(|x| x * scale).collect();
    let dc: f64 = out.iter().sum();
    out.iter_mut().for_each(|c| *c /= dc);
    out
}

/// Magnitude response of an FIR at `frequency` (fraction of the sample rate).
pub fn magnitude(h: &[f64], frequency: f64) -> f64 {
    let w = 2.0 * PI * frequency;
    let (re, im) = h.iter().enumerate().fold((0.0, 0.0), |(re, im), (n, &c)| {
        let phase = w * n as f64;
        (re + c * phase.cos(), im - c * phase.sin())
    });
    (re * re + im * im).sqrt()
}
