//! Stereo (multichannel) linking of detector levels, 0–100%.

/// Blends each channel's detector level (dB) towards the loudest channel's level.
///
/// With link `L` (0..1) channel `c` is driven by `x_c + L (max_k x_k - x_c)`: 0% compresses each
/// channel on its own, 100% applies one gain to all channels (no image shift).
#[inline]
pub fn link_levels_db(levels_db: &mut [f32], link: f32) {
    let max = levels_db.iter().copied().fold(f32::NEG_INFINITY, f32::max);
    for l in levels_db.iter_mut() {
        *l += link * (max - *l);
    }
}
