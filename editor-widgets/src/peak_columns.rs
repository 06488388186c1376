//! Audio-thread side of a scrolling waveform: folds audio into fixed-width peak columns and hands
//! the finished columns to the editor through a [`SampleRing`].

use crate::sample_ring::SampleRing;

/// Finished columns collected on the stack before one [`SampleRing::push`].
const PUSH_BATCH: usize = 32;

/// Folds blocks of audio into columns of `samples_per_column` samples each and pushes each finished
/// column's peak (largest `|sample|` over all channels, linear amplitude) into a [`SampleRing`].
///
/// The partial column is carried across calls, so the columns do not depend on how the audio was
/// cut into blocks. Nothing allocates, not even [`Self::new`].
///
/// NOTE: two series that are meant to be drawn against each other (a clipper's input and output)
/// stay column-aligned only if both get blocks of the same lengths and are reset together; the
/// plugin's latency then shifts them by [`Self::columns_for_samples`]`(latency)` columns.
#[derive(Debug, Clone)]
pub struct PeakColumns {
    /// Width of one column, in samples (`>= 1`).
    samples_per_column: usize,
    /// Samples already folded into the partial column, `0..samples_per_column`.
    filled: usize,
    /// Largest `|sample|` of the partial column so far, linear amplitude.
    peak: f32,
}

impl PeakColumns {
    /// Columns `samples_per_column` samples wide, starting with an empty column.
    ///
    /// # Panics
    /// If `samples_per_column` is zero.
    pub fn new(samples_per_column: usize) -> Self {
        assert!(samples_per_column > 0, "PeakColumns needs at least one sample per column");
        Self { samples_per_column, filled: 0, peak: 0.0 }
    }

    /// Width of one column, in samples.
    pub fn samples_per_column(&self) -> usize {
        self.samples_per_column
    }

    /// A duration in samples (the plugin latency) as a whole number of columns, rounded to the nearest.
    pub fn columns_for_samples(&self, samples: usize) -> usize {
        (samples + self.samples_per_column / 2) / self.samples_per_column
    }

    /// Drops the partial column (call it from the plugin's `reset`, for every series together).
    pub fn reset(&mut self) {
        self.filled = 0;
        self.peak = 0.0;
    }

    /// Audio thread: folds one block into the columns and pushes every column it completes into
    /// `ring`, oldest first. Wait-free and allocation-free.
    ///
    /// `channels` holds one slice per channel (`&[&[f32]]`, or nice-plug's `buffer.as_slice()`). They
    /// should all have the same length; the block is as long as the longest, and a shorter channel
    /// counts as silence past its end. Non-finite samples (NaN, ±inf) count as silence, so one bad
    /// sample cannot poison a column.
    pub fn push_block<C: AsRef<[f32]>>(&mut self, channels: &[C], ring: &SampleRing) {
        let len = channels.iter().map(|c| c.as_ref().len()).max().unwrap_or(0);
        let mut batch = [0.0f32; PUSH_BATCH];
        let mut batched = 0;
        let mut start = 0;
        while start < len {
            let end = start + (self.samples_per_column - self.filled).min(len - start);
            let mut peak = self.peak;
            for channel in channels {
                let channel = channel.as_ref();
                let run = &channel[start.min(channel.len())..end.min(channel.len())];
                peak = run.iter().fold(peak, |p, &x| p.max(finite_abs(x)));
            }
            self.peak = peak;
            self.filled += end - start;
            start = end;
            if self.filled == self.samples_per_column {
                batch[batched] = self.peak;
                batched += 1;
                self.reset();
                if batched == PUSH_BATCH {
                    ring.push(&batch);
                    batched = 0;
                }
            }
        }
        ring.push(&batch[..batched]);
    }
}

/// `|x|`, or 0 for a non-finite sample.
#[inline]
fn finite_abs(x: f32) -> f32 {
    if x.is_finite() {
        x.abs()
    } else {
        0.0
    }
}

/// Editor: copies the newest columns of two series that the audio thread pushes in step (a
/// clipper's input and output), oldest first, so that both copies end at the same column.
///
/// Returns `false` (leaving the outputs with unspecified contents; try again next frame) if either
/// copy fails as in [`SampleRing::read_latest`], or if the audio thread pushed in between so that
/// the two copies could end at different columns. Never blocks the audio thread.
///
/// NOTE: this assumes both rings have had the same number of columns pushed since construction,
/// as two [`PeakColumns`] fed the same block lengths do (their counters then agree between blocks).
pub fn read_aligned(first: &SampleRing, second: &SampleRing, first_out: &mut [f32], second_out: &mut [f32]) -> bool {
    let before = (first.total_written(), second.total_written());
    if before.0 != before.1 {
        return false;
    }
    let copied = first.read_latest(first_out) && second.read_latest(second_out);
    // Each ring's counter is monotonic, so unchanged counters mean each copy ended at `before`.
    copied && (first.total_written(), second.total_written()) == before
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every column pushed so far, oldest first.
    fn columns(ring: &SampleRing) -> Vec<f32> {
        let mut out = vec![0.0; ring.total_written() as usize];
        assert!(ring.read_latest(&mut out));
        out
    }

    /// A stereo test signal with a distinct peak in every stretch, the louder channel alternating.
    fn signal(len: usize) -> (Vec<f32>, Vec<f32>) {
        let left = (0..len).map(|i| (i as f32 * 0.37).sin() * (1.0 + (i % 13) as f32 * 0.1)).collect();
        let right = (0..len).map(|i| -(i as f32 * 0.11).cos() * (1.0 + (i % 7) as f32 * 0.2)).collect();
        (left, right)
    }

    /// Columns of `(left, right)` cut into blocks of the given lengths (cycled).
    fn run(samples_per_column: usize, left: &[f32], right: &[f32], blocks: &[usize]) -> Vec<f32> {
        let ring = SampleRing::new(8192);
        let mut cols = PeakColumns::new(samples_per_column);
        let mut start = 0;
        for &b in blocks.iter().cycle() {
            if start >= left.len() {
                break;
            }
            let end = (start + b).min(left.len());
            cols.push_block(&[&left[start..end], &right[start..end]], &ring);
            start = end;
        }
        columns(&ring)
    }

    #[test]
    fn column_is_the_peak_over_all_channels() {
        let ring = SampleRing::new(16);
        let mut cols = PeakColumns::new(4);
        let left = [0.1, -0.5, 0.2, 0.0, 0.3, 0.1, 0.0, 0.0, 0.9];
        let right = [0.0, 0.2, -0.7, 0.1, -0.2, 0.25, 0.1, 0.0, 0.0];
        cols.push_block(&[&left[..], &right[..]], &ring);
        // The ninth sample opens a third column that is not finished yet.
        assert_eq!(columns(&ring), [0.7, 0.3]);
    }

    #[test]
    fn any_block_partition_gives_the_one_block_columns() {
        let (left, right) = signal(5_000);
        for samples_per_column in [1, 3, 64, 100, 257] {
            let reference = run(samples_per_column, &left, &right, &[left.len()]);
            assert_eq!(reference.len(), left.len() / samples_per_column);
            // The reference itself, checked against a direct computation.
            for (c, &peak) in reference.iter().enumerate() {
                let range = c * samples_per_column..(c + 1) * samples_per_column;
                let expected = left[range.clone()].iter().chain(&right[range]).fold(0.0f32, |p, x| p.max(x.abs()));
                assert_eq!(peak, expected, "column {c} of {samples_per_column}");
            }
            for blocks in [&[1][..], &[7, 0, 1, 300], &[64], &[63, 65, 0], &[1000, 1, 2, 3]] {
                let partitioned = run(samples_per_column, &left, &right, blocks);
                assert_eq!(partitioned, reference, "{samples_per_column} samples per column, blocks {blocks:?}");
            }
        }
    }

    #[test]
    fn more_columns_than_one_batch_per_block() {
        let (left, right) = signal(4 * PUSH_BATCH + 5);
        let cols = run(1, &left, &right, &[left.len()]);
        assert_eq!(cols.len(), left.len());
        assert_eq!(cols[PUSH_BATCH], left[PUSH_BATCH].abs().max(right[PUSH_BATCH].abs()));
    }

    #[test]
    fn empty_blocks_and_no_channels_do_nothing() {
        let ring = SampleRing::new(16);
        let mut cols = PeakColumns::new(2);
        cols.push_block(&[&[][..], &[][..]], &ring);
        cols.push_block::<&[f32]>(&[], &ring);
        cols.push_block(&[&[0.5][..]], &ring);
        cols.push_block(&[&[][..]], &ring);
        assert_eq!(ring.total_written(), 0);
        cols.push_block(&[&[0.25][..]], &ring);
        assert_eq!(columns(&ring), [0.5]);
    }

    #[test]
    fn non_finite_samples_count_as_silence() {
        let ring = SampleRing::new(16);
        let mut cols = PeakColumns::new(3);
        cols.push_block(&[&[0.2, f32::NAN, -0.4][..], &[f32::INFINITY, 0.1, 0.0][..]], &ring);
        cols.push_block(&[&[f32::NAN, f32::NEG_INFINITY, 0.3][..], &[0.1, f32::NAN, 0.0][..]], &ring);
        cols.push_block(&[&[f32::NAN, f32::NAN, f32::NAN][..]], &ring);
        assert_eq!(columns(&ring), [0.4, 0.3, 0.0]);
    }

    #[test]
    fn shorter_channel_counts_as_silence_past_its_end() {
        let ring = SampleRing::new(16);
        let mut cols = PeakColumns::new(2);
        cols.push_block(&[&[0.1, 0.2, 0.3, 0.4][..], &[0.9][..]], &ring);
        assert_eq!(columns(&ring), [0.9, 0.4]);
    }

    #[test]
    fn reset_drops_the_partial_column() {
        let ring = SampleRing::new(16);
        let mut cols = PeakColumns::new(4);
        cols.push_block(&[&[0.9, 0.9, 0.9][..]], &ring);
        cols.reset();
        cols.push_block(&[&[0.1, 0.2, 0.1, 0.0][..]], &ring);
        assert_eq!(columns(&ring), [0.2]);
    }

    #[test]
    fn latency_in_columns_rounds_to_nearest() {
        let cols = PeakColumns::new(64);
        assert_eq!(cols.samples_per_column(), 64);
        assert_eq!(cols.columns_for_samples(0), 0);
        assert_eq!(cols.columns_for_samples(31), 0);
        assert_eq!(cols.columns_for_samples(32), 1);
        assert_eq!(cols.columns_for_samples(64), 1);
        assert_eq!(cols.columns_for_samples(200), 3);
    }

    #[test]
    #[should_panic(expected = "at least one sample")]
    fn zero_width_columns_panic() {
        let _ = PeakColumns::new(0);
    }

    #[test]
    fn aligned_reads_need_equal_counters() {
        let (a, b) = (SampleRing::new(8), SampleRing::new(8));
        let (mut a_out, mut b_out) = ([0.0; 2], [0.0; 3]);
        a.push(&[1.0, 2.0, 3.0]);
        // `b` is one push behind: the audio thread is between the two pushes.
        assert!(!read_aligned(&a, &b, &mut a_out, &mut b_out));
        b.push(&[4.0, 5.0, 6.0]);
        assert!(read_aligned(&a, &b, &mut a_out, &mut b_out));
        assert_eq!((a_out, b_out), ([2.0, 3.0], [4.0, 5.0, 6.0]));
        // Not enough columns yet in one of them.
        let mut long = [0.0; 4];
        assert!(!read_aligned(&a, &b, &mut a_out, &mut long));
    }
}
