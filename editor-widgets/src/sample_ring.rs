//! Lock-free hand-off of audio samples from the audio thread to the editor (for the spectrum).

use std::sync::atomic::{fence, AtomicU32, AtomicU64, Ordering};

/// A ring of the newest audio samples: one writer (the audio thread) pushes, the editor copies the
/// newest run out of it.
///
/// The writer never waits: it overwrites the oldest samples whatever the reader is doing. The
/// reader detects that a copy was torn (overwritten while it was being read) and reports it, so it
/// can try again on the next frame. Samples are stored as `f32` bits in `AtomicU32`s, so the ring
/// is sound without `unsafe`.
///
/// Tearing detection is a seqlock with two monotonically increasing sample counters: `started`
/// is raised *before* a push writes its samples, `written` *after*. The reader takes `written`
/// before the copy (everything below it is complete) and `started` after it (nothing below
/// `started - capacity` has been touched), and keeps the copy only if the run it copied lies
/// entirely inside that window. One counter would not do: a push in flight has already overwritten
/// slots before it can publish its end.
///
/// NOTE: single producer. [`Self::push`] takes `&self` so the ring can sit in an `Arc`, but only
/// one thread may push at a time (concurrent pushes would not be unsound, only garbled). Any number
/// of readers may call [`Self::read_latest`].
#[derive(Debug)]
pub struct SampleRing {
    /// Sample storage, `f32::to_bits`, indexed by sample number modulo the capacity.
    slots: Box<[AtomicU32]>,
    /// Capacity minus one (the capacity is a power of two).
    mask: u64,
    /// Samples pushed so far, raised before the samples are stored (the writer's intent).
    started: AtomicU64,
    /// Samples pushed so far, raised after the samples are stored (what readers may copy).
    written: AtomicU64,
}

impl SampleRing {
    /// A ring holding the newest `capacity` samples, all zero. Allocates here only.
    ///
    /// # Panics
    /// If `capacity` is not a power of two (zero included).
    pub fn new(capacity: usize) -> Self {
        assert!(capacity.is_power_of_two(), "SampleRing capacity must be a power of two, got {capacity}");
        Self {
            slots: (0..capacity).map(|_| AtomicU32::new(0)).collect(),
            mask: capacity as u64 - 1,
            started: AtomicU64::new(0),
            written: AtomicU64::new(0),
        }
    }

    /// Number of samples the ring holds.
    pub fn capacity(&self) -> usize {
        self.slots.len()
    }

    /// Total number of samples pushed since construction (a monotonically increasing counter).
    /// The editor can compare it between frames to see whether anything new arrived.
    pub fn total_written(&self) -> u64 {
        self.written.load(Ordering::Acquire)
    }

    /// Audio thread: appends `samples`, overwriting the oldest. Wait-free: no allocation, no locks,
    /// no loops other than over the samples. A push longer than the capacity keeps its newest
    /// `capacity` samples (the counter still advances by the full length).
    pub fn push(&self, samples: &[f32]) {
        if samples.is_empty() {
            return;
        }
        // Only the writer changes the counters, so a relaxed load of its own value is exact.
        let start = self.written.load(Ordering::Relaxed);
        let end = start.wrapping_add(samples.len() as u64);
        // Announce the overwrite before doing it: a reader that sees any of the new samples (and
        // then fences) is guaranteed to see this `started` value.
        self.started.store(end, Ordering::Relaxed);
        fence(Ordering::Release);
        let skip = samples.len().saturating_sub(self.slots.len());
        let mut index = start.wrapping_add(skip as u64);
        for &s in &samples[skip..] {
            self.slots[(index & self.mask) as usize].store(s.to_bits(), Ordering::Relaxed);
            index = index.wrapping_add(1);
        }
        self.written.store(end, Ordering::Release);
    }

    /// Editor: copies the newest `out.len()` samples, oldest first, into `out`.
    ///
    /// Returns `false` (leaving `out` with unspecified contents) if fewer than `out.len()` samples
    /// have been pushed since construction, if `out` is longer than the capacity, or if the writer
    /// overwrote part of the run while it was being copied. Never blocks the writer.
    pub fn read_latest(&self, out: &mut [f32]) -> bool {
        if out.is_empty() {
            return true;
        }
        if out.len() > self.slots.len() {
            return false;
        }
        let len = out.len() as u64;
        // Everything below `end` is stored and visible (acquire pairs with the push's release).
        let end = self.written.load(Ordering::Acquire);
        if end < len {
            return false;
        }
        let first = end - len;
        let mut index = first;
        for o in out.iter_mut() {
            *o = f32::from_bits(self.slots[(index & self.mask) as usize].load(Ordering::Relaxed));
            index = index.wrapping_add(1);
        }
        // If any load above saw a sample of a later push, this fence synchronises with that push's
        // release fence, so `started` below is at least that push's end.
        fence(Ordering::Acquire);
        let started = self.started.load(Ordering::Relaxed);
        // Slots of samples `>= started - capacity` are untouched; the copy holds iff all of ours are.
        started.wrapping_sub(first) <= self.slots.len() as u64
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::AtomicBool;
    use std::sync::Arc;

    #[test]
    fn reads_newest_in_order() {
        let ring = SampleRing::new(8);
        ring.push(&[1.0, 2.0, 3.0]);
        let mut out = [0.0; 3];
        assert!(ring.read_latest(&mut out));
        assert_eq!(out, [1.0, 2.0, 3.0]);
        ring.push(&[4.0]);
        ring.push(&[5.0, 6.0]);
        let mut out = [0.0; 4];
        assert!(ring.read_latest(&mut out));
        assert_eq!(out, [3.0, 4.0, 5.0, 6.0]);
        assert_eq!(ring.total_written(), 6);
    }

    #[test]
    fn not_enough_samples_yet() {
        let ring = SampleRing::new(8);
        let mut out = [0.0; 4];
        assert!(!ring.read_latest(&mut out));
        ring.push(&[1.0, 2.0, 3.0]);
        assert!(!ring.read_latest(&mut out));
        ring.push(&[4.0]);
        assert!(ring.read_latest(&mut out));
        assert_eq!(out, [1.0, 2.0, 3.0, 4.0]);
        // Longer than the capacity can never succeed.
        let mut long = [0.0; 9];
        ring.push(&[0.0; 16]);
        assert!(!ring.read_latest(&mut long));
        // An empty read always succeeds.
        assert!(ring.read_latest(&mut []));
    }

    #[test]
    fn wraps_around() {
        let ring = SampleRing::new(8);
        let mut next = 0.0f32;
        // Pushes of awkward sizes so that runs straddle the end of the storage many times.
        for round in 0..200 {
            let n = 1 + round % 7;
            let chunk: Vec<f32> = (0..n).map(|i| next + i as f32).collect();
            next += n as f32;
            ring.push(&chunk);
            let mut out = [0.0; 8];
            if ring.read_latest(&mut out) {
                let expected: Vec<f32> = (0..8).map(|i| next - 8.0 + i as f32).collect();
                assert_eq!(out.to_vec(), expected, "round {round}");
            }
        }
        let mut out = [0.0; 8];
        assert!(ring.read_latest(&mut out));
        assert_eq!(out[7], next - 1.0);
    }

    #[test]
    fn push_longer_than_capacity_keeps_newest() {
        let ring = SampleRing::new(4);
        let samples: Vec<f32> = (0..10).map(|i| i as f32).collect();
        ring.push(&samples);
        assert_eq!(ring.total_written(), 10);
        let mut out = [0.0; 4];
        assert!(ring.read_latest(&mut out));
        assert_eq!(out, [6.0, 7.0, 8.0, 9.0]);
    }

    #[test]
    #[should_panic(expected = "power of two")]
    fn capacity_must_be_power_of_two() {
        let _ = SampleRing::new(12);
    }

    /// A writer hammers a ramp into a small ring while a reader copies almost all of it: every
    /// copy that is reported good must be a contiguous run of the ramp.
    #[test]
    fn detects_tearing() {
        // Ramp values stay exact in f32 below 2^24.
        const WRAP: u32 = 1 << 24;
        let ring = Arc::new(SampleRing::new(64));
        let stop = Arc::new(AtomicBool::new(false));
        let writer = {
            let (ring, stop) = (Arc::clone(&ring), Arc::clone(&stop));
            std::thread::spawn(move || {
                let mut next = 0u32;
                let mut chunk = [0.0f32; 48];
                let mut size = 1;
                while !stop.load(Ordering::Relaxed) {
                    for c in chunk[..size].iter_mut() {
                        *c = next as f32;
                        next = (next + 1) % WRAP;
                    }
                    ring.push(&chunk[..size]);
                    size = size % chunk.len() + 1;
                }
            })
        };
        let mut out = [0.0f32; 60];
        let (mut good, mut torn) = (0u32, 0u32);
        let start = std::time::Instant::now();
        let (min_time, max_time) = (std::time::Duration::from_millis(400), std::time::Duration::from_secs(20));
        while (start.elapsed() < min_time || good < 100) && start.elapsed() < max_time {
            if ring.read_latest(&mut out) {
                good += 1;
                for w in out.windows(2) {
                    assert_eq!((w[0] as u32 + 1) % WRAP, w[1] as u32, "torn copy reported as good: {out:?}");
                }
            } else {
                torn += 1;
            }
        }
        stop.store(true, Ordering::Relaxed);
        writer.join().unwrap();
        assert!(good >= 100);
        println!("{good} good copies, {torn} rejected");
    }
}
