//! Guarding against bad input: NaN, infinities and absurdly large samples.

/// Largest sample magnitude treated as audio: +60 dBFS. Anything larger is garbage from a broken
/// upstream plugin, not signal.
pub const MAX_SAMPLE: f32 = 1.0e3;

/// Returns a usable sample: NaN, infinities and magnitudes above [`MAX_SAMPLE`] become 0 (silence,
/// so a burst of garbage cannot pin the detector for seconds of release). The second value is `true`
/// when the sample had to be replaced.
#[inline]
pub fn sanitize(x: f32) -> (f32, bool) {
    // NOTE: NaN fails every comparison, so it takes the second branch with the infinities.
    if x.abs() <= MAX_SAMPLE {
        (x, false)
    } else {
        (0.0, true)
    }
}
