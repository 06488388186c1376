//! Unit conversions: decibels, linear gain, milliseconds, samples, one-pole coefficients.

/// Level floor in dB used for silence, so logarithms of zero stay finite.
pub const SILENCE_DB: f32 = -200.0;

/// Converts decibels to a linear amplitude ratio.
#[inline]
pub fn db_to_gain(db: f32) -> f32 {
    // 10^(db/20) == 2^(db * log2(10)/20)
    (db * (std::f32::consts::LOG2_10 / 20.0)).exp2()
}

/// Converts a linear amplitude to decibels, floored at [`SILENCE_DB`].
#[inline]
pub fn gain_to_db(gain: f32) -> f32 {
    let g = gain.abs();
    if g > 1e-10 {
        g.log2() * (20.0 / std::f32::consts::LOG2_10)
    } else {
        SILENCE_DB
    }
}

/// Converts a mean-square (power) value to decibels, floored at [`SILENCE_DB`].
#[inline]
pub fn power_to_db(power: f32) -> f32 {
    if power > 1e-20 {
        power.log2() * (10.0 / std::f32::consts::LOG2_10)
    } else {
        SILENCE_DB
    }
}

/// Converts a time in milliseconds to a whole number of samples, rounded to nearest.
#[inline]
pub fn ms_to_samples(time_ms: f32, sample_rate_hz: f32) -> usize {
    (time_ms.max(0.0) * 0.001 * sample_rate_hz).round() as usize
}

/// The pole of a one-pole smoother with time constant `time_ms`.
///
/// The smoother `y[n] = a*y[n-1] + (1-a)*x[n]` then reaches `1 - 1/e` (63.2%) of a step after
/// `time_ms` (Giannoulis, Massberg & Reiss, JAES 2012, eq. 7: `a = exp(-1 / (tau * fs))`).
/// A time of zero gives `a = 0`, an instant response.
///
/// The pole is f64: in f32, `1 - a` keeps only about three digits at 100 ms and 192 kHz, and a
/// smoother stalls once its step falls below half an ulp of its value.
#[inline]
pub fn one_pole_coefficient(time_ms: f32, sample_rate_hz: f32) -> f64 {
    let samples = time_ms as f64 * 0.001 * sample_rate_hz as f64;
    if samples > 0.0 {
        (-1.0 / samples).exp()
    } else {
        0.0
    }
}
