//! Sliding-window maximum of a detector level, the "low-frequency-aware release" of the Bass profile.

use crate::units::{ms_to_samples, SILENCE_DB};

/// The largest level (dB) of the last `hold_ms`: a level is held for the whole window before
/// release may start.
///
/// With a window longer than half a period, a steady low note reads its peak at every sample, so the
/// gain does not follow the waveform (a 40 Hz sine rectified repeats every 12.5 ms). The ballistics
/// after it still set attack and release. A hold of 0 passes levels through unchanged.
///
/// A monotonic queue in a ring buffer sized for [`PeakHold::MAX_HOLD_MS`] at the sample rate: O(1)
/// amortised per sample, allocated only in [`PeakHold::new`] and [`crate::DspUnit::set_sample_rate`].
#[derive(Debug, Clone)]
pub struct PeakHold {
    sample_rate_hz: f32,
    hold_ms: f32,
    /// Window length in samples (0 = no hold).
    window_samples: usize,
    /// Queue of (sample index, level dB) with decreasing levels, in a ring.
    queue: Vec<(u64, f32)>,
    head: usize,
    len: usize,
    /// Index of the next sample.
    now: u64,
}

impl PeakHold {
    /// Longest hold offered, in ms.
    pub const MAX_HOLD_MS: f32 = 100.0;

    /// Creates a hold of `hold_ms` (clamped to 0..[`Self::MAX_HOLD_MS`]) at a sample rate in Hz.
    pub fn new(hold_ms: f32, sample_rate_hz: f32) -> Self {
        let capacity = ms_to_samples(Self::MAX_HOLD_MS, sample_rate_hz) + 2;
        let mut h = Self {
            sample_rate_hz,
            hold_ms: f32::NAN,
            window_samples: 0,
            queue: vec![(0, SILENCE_DB); capacity],
            head: 0,
            len: 0,
            now: 0,
        };
        h.set_hold_ms(hold_ms);
        h
    }

    /// Sets the hold in ms; recomputes only on change. Shortening the window takes effect as old
    /// entries expire.
    pub fn set_hold_ms(&mut self, hold_ms: f32) {
        let hold_ms = if hold_ms.is_finite() { hold_ms.clamp(0.0, Self::MAX_HOLD_MS) } else { 0.0 };
        if hold_ms != self.hold_ms {
            self.hold_ms = hold_ms;
            self.window_samples = ms_to_samples(hold_ms, self.sample_rate_hz).min(self.queue.len() - 2);
        }
    }

    /// The hold in ms.
    pub fn hold_ms(&self) -> f32 {
        self.hold_ms
    }

    /// Takes one level in dB and returns the largest level of the window that ends with it.
    #[inline]
    pub fn tick(&mut self, level_db: f32) -> f32 {
        if self.window_samples == 0 {
            return level_db;
        }
        let cap = self.queue.len();
        let now = self.now;
        self.now += 1;
        // Drop entries that the new level dominates (from the back).
        while self.len > 0 {
            let back = (self.head + self.len - 1) % cap;
            if self.queue[back].1 <= level_db {
                self.len -= 1;
            } else {
                break;
            }
        }
        let tail = (self.head + self.len) % cap;
        self.queue[tail] = (now, level_db);
        self.len += 1;
        // Expire the front once it is older than the window.
        while now - self.queue[self.head].0 >= self.window_samples as u64 {
            self.head = (self.head + 1) % cap;
            self.len -= 1;
        }
        self.queue[self.head].1
    }
}

impl crate::DspUnit for PeakHold {
    fn set_sample_rate(&mut self, sample_rate_hz: f32) {
        let hold_ms = self.hold_ms;
        *self = Self::new(hold_ms, sample_rate_hz);
    }

    fn reset(&mut self) {
        self.head = 0;
        self.len = 0;
        self.now = 0;
    }
}
