//! Garbage input for robustness tests: the values, bursts of them, and how long an output takes to
//! come back to a clean run.

use std::ops::Range;

/// Values no audio should contain, by name: NaN, infinities, huge and denormal samples.
pub const BAD_VALUES: [(&str, f32); 7] = [
    ("NaN", f32::NAN),
    ("+Inf", f32::INFINITY),
    ("-Inf", f32::NEG_INFINITY),
    ("+1e30", 1.0e30),
    ("-1e30", -1.0e30),
    ("+1e-40 (denormal)", 1.0e-40),
    ("-1e-40 (denormal)", -1.0e-40),
];

/// `signal` with `value` written into `span` of every channel.
pub fn with_burst(signal: &[Vec<f32>], span: Range<usize>, value: f32) -> Vec<Vec<f32>> {
    let mut out = signal.to_vec();
    for ch in out.iter_mut() {
        ch[span.clone()].fill(value);
    }
    out
}

/// One past the last sample (over every channel) at which `a` and `b` differ by more than
/// `tolerance`, or 0 if they never do.
pub fn settled_from(a: &[Vec<f32>], b: &[Vec<f32>], tolerance: f64) -> usize {
    a.iter()
        .zip(b)
        .filter_map(|(x, y)| {
            x.iter()
                .zip(y)
                .rposition(|(p, q)| (*p as f64 - *q as f64).abs() > tolerance)
        })
        .map(|i| i + 1)
        .max()
        .unwrap_or(0)
}
