//! Guarding against bad input: NaN, infinities and absurdly large samples.

/// Largest sample magnitude passed on (+120 dBFS); anything larger is clipped to it.
pub const MAX_SAMPLE: f32 = 1.0e6;

/// Returns a finite sample: NaN and infinities become 0, magnitudes above [`MAX_SAMPLE`] are clipped.
/// The second value is `true` when the sample had to be changed.
#[inline]
pub fn sanitize(x: f32) -> (f32, bool) {
    if x.is_finite() {
        if x.abs() <= MAX_SAMPLE {
            (x, false)
        } else {
            (x.clamp(-MAX_SAMPLE, MAX_SAMPLE), true)
        }
    } else {
        (0.0, true)
    }
}
