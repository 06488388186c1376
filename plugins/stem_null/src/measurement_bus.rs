//! Lock-free hand-off of one null measurement (levels and alignment) from the audio thread to the
//! editor, as atomics. The since-reset instance is also persisted in the plugin state.

use std::sync::atomic::{AtomicBool, AtomicI64, AtomicU64, Ordering};
use std::sync::Arc;

use atomic_float::AtomicF32;
use nice_plug::prelude::*;
use shared_dsp::cross_correlator::CorrelationPeak;
use shared_dsp::null_check::NullMeasurement;
use shared_dsp::null_levels::{Level, NullLevels};
use shared_dsp::units::SILENCE_DB;

/// One measurement as atomics. Each field is a persisted state field (keys `null-*`), so the state
/// JSON carries the measurement; only the since-reset instance is nested into the parameters.
#[derive(Params)]
pub struct MeasurementBus {
    /// Stem bus RMS, dBFS.
    #[persist = "null-stems-rms-dbfs"]
    pub stems_rms_dbfs: Arc<AtomicF32>,
    /// Stem bus peak, dBFS.
    #[persist = "null-stems-peak-dbfs"]
    pub stems_peak_dbfs: Arc<AtomicF32>,
    /// Reference RMS, dBFS.
    #[persist = "null-reference-rms-dbfs"]
    pub reference_rms_dbfs: Arc<AtomicF32>,
    /// Reference peak, dBFS.
    #[persist = "null-reference-peak-dbfs"]
    pub reference_peak_dbfs: Arc<AtomicF32>,
    /// Difference RMS, dBFS.
    #[persist = "null-difference-rms-dbfs"]
    pub difference_rms_dbfs: Arc<AtomicF32>,
    /// Difference peak, dBFS.
    #[persist = "null-difference-peak-dbfs"]
    pub difference_peak_dbfs: Arc<AtomicF32>,
    /// Whether an alignment has been found.
    #[persist = "null-aligned"]
    pub aligned: Arc<AtomicBool>,
    /// Offset in samples; positive when the stems are late.
    #[persist = "null-offset-samples"]
    pub offset_samples: Arc<AtomicI64>,
    /// Normalised correlation at the offset (negative: polarity inverted).
    #[persist = "null-correlation"]
    pub correlation: Arc<AtomicF32>,
    /// Least-squares gain from stems to reference at the offset.
    #[persist = "null-gain"]
    pub gain: Arc<AtomicF32>,
    /// Reference over stems energy, dB.
    #[persist = "null-level-ratio-db"]
    pub level_ratio_db: Arc<AtomicF32>,
    /// Times this bus was written: lets a reader see fresh data.
    #[persist = "null-updates"]
    pub updates: Arc<AtomicU64>,
}

impl Default for MeasurementBus {
    fn default() -> Self {
        let f = |v: f32| Arc::new(AtomicF32::new(v));
        Self {
            stems_rms_dbfs: f(SILENCE_DB),
            stems_peak_dbfs: f(SILENCE_DB),
            reference_rms_dbfs: f(SILENCE_DB),
            reference_peak_dbfs: f(SILENCE_DB),
            difference_rms_dbfs: f(SILENCE_DB),
            difference_peak_dbfs: f(SILENCE_DB),
            aligned: Arc::new(AtomicBool::new(false)),
            offset_samples: Arc::new(AtomicI64::new(0)),
            correlation: f(0.0),
            gain: f(0.0),
            level_ratio_db: f(0.0),
            updates: Arc::new(AtomicU64::new(0)),
        }
    }
}

impl MeasurementBus {
    /// Audio thread: stores a measurement. Never allocates or locks.
    pub fn store(&self, m: &NullMeasurement) {
        let r = Ordering::Relaxed;
        let l = &m.levels;
        self.stems_rms_dbfs.store(l.stems.rms_dbfs, r);
        self.stems_peak_dbfs.store(l.stems.peak_dbfs, r);
        self.reference_rms_dbfs.store(l.reference.rms_dbfs, r);
        self.reference_peak_dbfs.store(l.reference.peak_dbfs, r);
        self.difference_rms_dbfs.store(l.difference.rms_dbfs, r);
        self.difference_peak_dbfs.store(l.difference.peak_dbfs, r);
        let p = m.alignment.unwrap_or_default();
        self.aligned.store(m.alignment.is_some(), r);
        self.offset_samples.store(p.lag_samples, r);
        self.correlation.store(p.normalized, r);
        self.gain.store(p.gain, r);
        self.level_ratio_db.store(p.level_ratio_db, r);
        self.updates.fetch_add(1, Ordering::Release);
    }

    /// Editor: the last stored measurement (fields may come from two neighbouring blocks).
    pub fn load(&self) -> NullMeasurement {
        let r = Ordering::Relaxed;
        let level = |rms: &AtomicF32, peak: &AtomicF32| Level { rms_dbfs: rms.load(r), peak_dbfs: peak.load(r) };
        NullMeasurement {
            levels: NullLevels {
                stems: level(&self.stems_rms_dbfs, &self.stems_peak_dbfs),
                reference: level(&self.reference_rms_dbfs, &self.reference_peak_dbfs),
                difference: level(&self.difference_rms_dbfs, &self.difference_peak_dbfs),
            },
            alignment: self.aligned.load(r).then(|| CorrelationPeak {
                lag_samples: self.offset_samples.load(r),
                normalized: self.correlation.load(r),
                gain: self.gain.load(r),
                level_ratio_db: self.level_ratio_db.load(r),
            }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_stored_measurement_loads_back_unchanged() {
        let bus = MeasurementBus::default();
        assert_eq!(bus.load().alignment, None);
        let m = NullMeasurement {
            levels: NullLevels {
                stems: Level { rms_dbfs: -18.5, peak_dbfs: -2.25 },
                reference: Level { rms_dbfs: -18.0, peak_dbfs: -2.0 },
                difference: Level { rms_dbfs: -130.0, peak_dbfs: -110.5 },
            },
            alignment: Some(CorrelationPeak { lag_samples: -128, normalized: -0.75, gain: 1.25, level_ratio_db: 0.5 }),
        };
        bus.store(&m);
        assert_eq!(bus.load(), m);
        assert_eq!(bus.updates.load(Ordering::Relaxed), 1);
        bus.store(&NullMeasurement { alignment: None, ..m });
        assert_eq!(bus.load().alignment, None);
    }

    #[test]
    fn the_measurement_is_part_of_the_saved_state() {
        let params = crate::params::StemNullParams::default();
        params.saved.offset_samples.store(128, Ordering::Relaxed);
        let fields = params.serialize_fields();
        assert_eq!(fields.get("null-offset-samples").map(String::as_str), Some("128"));
        for key in ["null-stems-rms-dbfs", "null-difference-rms-dbfs", "null-correlation", "null-level-ratio-db", "null-aligned"] {
            assert!(fields.contains_key(key), "{key} missing from {fields:?}");
        }
    }
}
