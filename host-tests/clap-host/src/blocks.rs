//! Block partitions: how a signal is cut into `process()` calls.

use crate::rng::Rng;

/// Blocks of `size` frames, the last one shorter if `total` is not a multiple.
///
/// # Panics
/// If `size` is 0.
pub fn fixed(total: usize, size: usize) -> Vec<usize> {
    assert!(size > 0, "block size must be at least 1");
    let mut blocks = vec![size; total / size];
    if !total.is_multiple_of(size) {
        blocks.push(total % size);
    }
    blocks
}

/// Random block sizes uniformly drawn from `min..=max` (the last one clipped to fit), seeded.
///
/// # Panics
/// If `min` is 0 or `min > max`.
pub fn random(total: usize, min: usize, max: usize, seed: u64) -> Vec<usize> {
    assert!(min >= 1 && min <= max, "bad block size range {min}..={max}");
    let mut rng = Rng::new(seed);
    let mut blocks = Vec::new();
    let mut left = total;
    while left > 0 {
        let n = rng.range(min, max).min(left);
        blocks.push(n);
        left -= n;
    }
    blocks
}

/// Largest block in a partition (what the instance must be activated for).
pub fn max_block(blocks: &[usize]) -> usize {
    blocks.iter().copied().max().unwrap_or(1)
}
