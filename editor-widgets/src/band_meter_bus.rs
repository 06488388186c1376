//! Lock-free hand-off of per-band levels (key, stem, reduction) from the audio thread to the editor.

use atomic_float::AtomicF32;
use shared_dsp::units::SILENCE_DB;
use std::sync::atomic::{AtomicU32, AtomicUsize, Ordering};

/// Most bands the bus carries.
pub const MAX_BANDS: usize = 64;

/// Per-band meters of a spectral processor: band centres in Hz, key and stem levels in dBFS, and the
/// gain reduction in dB, each an atomic. The editor may read a frame while the audio thread writes
/// the next: bands can then come from two neighbouring frames, which a display does not show.
/// Reduction is "max since the editor last took it", so no reduction peak is missed.
#[derive(Debug)]
pub struct BandMeterBus {
    /// Number of bands in use.
    count: AtomicUsize,
    /// Band centres in Hz.
    centres_hz: [AtomicF32; MAX_BANDS],
    /// Key level per band, dBFS.
    key_db: [AtomicF32; MAX_BANDS],
    /// Stem level per band, dBFS.
    stem_db: [AtomicF32; MAX_BANDS],
    /// Largest reduction per band since last taken, dB (`>= 0`).
    reduction_db: [AtomicF32; MAX_BANDS],
    /// Frames published since construction.
    frames: AtomicU32,
}

impl Default for BandMeterBus {
    fn default() -> Self {
        Self {
            count: AtomicUsize::new(0),
            centres_hz: std::array::from_fn(|_| AtomicF32::new(0.0)),
            key_db: std::array::from_fn(|_| AtomicF32::new(SILENCE_DB)),
            stem_db: std::array::from_fn(|_| AtomicF32::new(SILENCE_DB)),
            reduction_db: std::array::from_fn(|_| AtomicF32::new(0.0)),
            frames: AtomicU32::new(0),
        }
    }
}

/// What the editor takes from a [`BandMeterBus`].
#[derive(Debug, Clone)]
pub struct BandSnapshot {
    /// Band centres in Hz.
    pub centres_hz: Vec<f32>,
    /// Key level per band, dBFS.
    pub key_db: Vec<f32>,
    /// Stem level per band, dBFS.
    pub stem_db: Vec<f32>,
    /// Largest reduction per band since the last snapshot, dB.
    pub reduction_db: Vec<f32>,
}

impl BandMeterBus {
    /// Audio thread: publishes one frame's bands. Extra bands beyond [`MAX_BANDS`] are dropped.
    pub fn publish(&self, centres_hz: &[f32], key_db: &[f32], stem_db: &[f32], reduction_db: &[f32]) {
        let n = centres_hz.len().min(key_db.len()).min(stem_db.len()).min(reduction_db.len()).min(MAX_BANDS);
        for i in 0..n {
            self.centres_hz[i].store(centres_hz[i], Ordering::Relaxed);
            self.key_db[i].store(key_db[i], Ordering::Relaxed);
            self.stem_db[i].store(stem_db[i], Ordering::Relaxed);
            let r = &self.reduction_db[i];
            let mut cur = r.load(Ordering::Relaxed);
            while reduction_db[i] > cur {
                match r.compare_exchange_weak(cur, reduction_db[i], Ordering::Relaxed, Ordering::Relaxed) {
                    Ok(_) => break,
                    Err(now) => cur = now,
                }
            }
        }
        self.count.store(n, Ordering::Release);
        self.frames.fetch_add(1, Ordering::Relaxed);
    }

    /// Editor: frames published so far (to tell whether anything new arrived).
    pub fn frames(&self) -> u32 {
        self.frames.load(Ordering::Relaxed)
    }

    /// Editor: takes the bands, resetting each reduction peak. Allocates (GUI thread only).
    pub fn take(&self) -> BandSnapshot {
        let n = self.count.load(Ordering::Acquire);
        BandSnapshot {
            centres_hz: (0..n).map(|i| self.centres_hz[i].load(Ordering::Relaxed)).collect(),
            key_db: (0..n).map(|i| self.key_db[i].load(Ordering::Relaxed)).collect(),
            stem_db: (0..n).map(|i| self.stem_db[i].load(Ordering::Relaxed)).collect(),
            reduction_db: (0..n).map(|i| self.reduction_db[i].swap(0.0, Ordering::Relaxed)).collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn publish_then_take_keeps_reduction_peaks() {
        let bus = BandMeterBus::default();
        bus.publish(&[100.0, 1000.0], &[-20.0, -30.0], &[-10.0, -12.0], &[3.0, 0.5]);
        bus.publish(&[100.0, 1000.0], &[-25.0, -35.0], &[-11.0, -13.0], &[1.0, 2.0]);
        let s = bus.take();
        assert_eq!(s.centres_hz, vec![100.0, 1000.0]);
        assert_eq!(s.key_db, vec![-25.0, -35.0]);
        assert_eq!(s.reduction_db, vec![3.0, 2.0]);
        assert_eq!(bus.take().reduction_db, vec![0.0, 0.0]);
        assert_eq!(bus.frames(), 2);
    }
}
