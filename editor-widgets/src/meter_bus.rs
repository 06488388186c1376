//! Lock-free meter hand-off: the audio thread publishes block meters into atomics, the editor takes
//! them. No locks, no allocation.

use atomic_float::AtomicF32;
use shared_dsp::compressor::BlockMeters;
use shared_dsp::units::SILENCE_DB;
use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};

/// Meters of a dynamics processor with up to two displayed channels.
///
/// Peaks and gain reduction are "max since the editor last took them", so the editor never misses a
/// peak however slowly it redraws.
#[derive(Debug)]
pub struct DynamicsMeterBus {
    /// Input sample peak per channel since last taken (linear).
    input_peak: [AtomicF32; 2],
    /// Output sample peak per channel since last taken (linear).
    output_peak: [AtomicF32; 2],
    /// Largest gain reduction since last taken, in dB (`>= 0`).
    max_gain_reduction_db: AtomicF32,
    /// Linked key level at the end of the last block, in dBFS.
    key_level_db: AtomicF32,
    /// Gain reduction at the end of the last block, in dB.
    gain_reduction_db: AtomicF32,
    /// Total number of replaced bad input samples since activation.
    bad_samples: AtomicU32,
    /// Whether the editor is open, so the audio thread can skip publishing.
    editor_open: AtomicBool,
    /// Latency reported to the host, in samples, and the sample rate in Hz, for the editor's readout.
    latency_samples: AtomicU32,
    sample_rate_hz: AtomicF32,
}

impl Default for DynamicsMeterBus {
    fn default() -> Self {
        Self {
            input_peak: [AtomicF32::new(0.0), AtomicF32::new(0.0)],
            output_peak: [AtomicF32::new(0.0), AtomicF32::new(0.0)],
            max_gain_reduction_db: AtomicF32::new(0.0),
            key_level_db: AtomicF32::new(SILENCE_DB),
            gain_reduction_db: AtomicF32::new(0.0),
            bad_samples: AtomicU32::new(0),
            editor_open: AtomicBool::new(false),
            latency_samples: AtomicU32::new(0),
            sample_rate_hz: AtomicF32::new(48_000.0),
        }
    }
}

/// One snapshot taken by the editor.
#[derive(Debug, Clone, Copy, Default)]
pub struct MeterSnapshot {
    /// Input peaks (linear) per channel.
    pub input_peak: [f32; 2],
    /// Output peaks (linear) per channel.
    pub output_peak: [f32; 2],
    /// Largest gain reduction since the last snapshot, dB.
    pub max_gain_reduction_db: f32,
    /// Key level at the operating point, dBFS.
    pub key_level_db: f32,
    /// Current gain reduction, dB.
    pub gain_reduction_db: f32,
    /// Bad input samples replaced since activation.
    pub bad_samples: u32,
}

fn fetch_max(a: &AtomicF32, v: f32) {
    let mut cur = a.load(Ordering::Relaxed);
    while v > cur {
        match a.compare_exchange_weak(cur, v, Ordering::Relaxed, Ordering::Relaxed) {
            Ok(_) => break,
            Err(now) => cur = now,
        }
    }
}

impl DynamicsMeterBus {
    /// Audio thread: publishes a compressor block's meters.
    pub fn publish(&self, m: &BlockMeters, channels: usize) {
        let gr = m.gain_reduction_db[..channels].iter().copied().fold(0.0, f32::max);
        self.publish_parts(&m.input_peak[..channels], &m.output_peak[..channels], m.max_gain_reduction_db, gr,
            m.key_level_db, m.bad_samples);
    }

    /// Audio thread: publishes one block's meters from their parts: per-channel input and output peaks
    /// (linear), the block's largest and last gain reduction (dB), the key level (dBFS) and the number
    /// of replaced bad samples. Channels beyond two fold into the second display.
    pub fn publish_parts(&self, input_peak: &[f32], output_peak: &[f32], max_gain_reduction_db: f32,
        gain_reduction_db: f32, key_level_db: f32, bad_samples: u32) {
        if bad_samples > 0 {
            self.bad_samples.fetch_add(bad_samples, Ordering::Relaxed);
        }
        if !self.editor_open.load(Ordering::Relaxed) {
            return;
        }
        for (ch, (&i, &o)) in input_peak.iter().zip(output_peak).enumerate() {
            let d = ch.min(1);
            fetch_max(&self.input_peak[d], i);
            fetch_max(&self.output_peak[d], o);
        }
        fetch_max(&self.max_gain_reduction_db, max_gain_reduction_db);
        self.key_level_db.store(key_level_db, Ordering::Relaxed);
        self.gain_reduction_db.store(gain_reduction_db, Ordering::Relaxed);
    }

    /// Whether the editor is open (the audio thread skips analysis work when it is not).
    pub fn editor_open(&self) -> bool {
        self.editor_open.load(Ordering::Relaxed)
    }

    /// Editor: takes the maxima accumulated since the last call and resets them.
    pub fn take(&self) -> MeterSnapshot {
        MeterSnapshot {
            input_peak: [self.input_peak[0].swap(0.0, Ordering::Relaxed), self.input_peak[1].swap(0.0, Ordering::Relaxed)],
            output_peak: [self.output_peak[0].swap(0.0, Ordering::Relaxed), self.output_peak[1].swap(0.0, Ordering::Relaxed)],
            max_gain_reduction_db: self.max_gain_reduction_db.swap(0.0, Ordering::Relaxed),
            key_level_db: self.key_level_db.load(Ordering::Relaxed),
            gain_reduction_db: self.gain_reduction_db.load(Ordering::Relaxed),
            bad_samples: self.bad_samples.load(Ordering::Relaxed),
        }
    }

    /// Total bad input samples replaced since the last [`Self::reset_bad_samples`].
    pub fn bad_samples(&self) -> u32 {
        self.bad_samples.load(Ordering::Relaxed)
    }

    /// Clears the bad-sample count (on activation).
    pub fn reset_bad_samples(&self) {
        self.bad_samples.store(0, Ordering::Relaxed);
    }

    /// Audio or main thread: records the latency in samples at a sample rate in Hz.
    pub fn set_latency(&self, latency_samples: u32, sample_rate_hz: f32) {
        self.latency_samples.store(latency_samples, Ordering::Relaxed);
        self.sample_rate_hz.store(sample_rate_hz, Ordering::Relaxed);
    }

    /// The sample rate of the current activation in Hz.
    pub fn sample_rate_hz(&self) -> f32 {
        self.sample_rate_hz.load(Ordering::Relaxed)
    }

    /// Editor: the latency in samples and in ms.
    pub fn latency(&self) -> (u32, f32) {
        let n = self.latency_samples.load(Ordering::Relaxed);
        (n, n as f32 * 1000.0 / self.sample_rate_hz.load(Ordering::Relaxed).max(1.0))
    }

    /// Editor: marks the editor open or closed.
    pub fn set_editor_open(&self, open: bool) {
        self.editor_open.store(open, Ordering::Relaxed);
    }

    /// Main thread (`deactivate`): logs how many bad input samples were replaced since activation,
    /// if any.
    pub fn log_replaced_samples(&self, plugin: &str) {
        let bad = self.bad_samples();
        if bad > 0 {
            nice_plug::nice_log!("{plugin}: replaced {bad} NaN, infinite or out-of-range input samples");
        }
    }
}
