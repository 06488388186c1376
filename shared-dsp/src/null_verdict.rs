//! The plain-words verdict of a null test: what an engineer would conclude from the measurements.
//!
//! [`judge`] turns levels and the correlation peak into up to [`MAX_FINDINGS`] findings, most
//! important first; [`Verdict`]'s `Display` writes them as one line, for example "Nulls to -124 dB",
//! "Stems late by 128 samples", "Polarity inverted" or "Reference 0.8 dB louder". Judging allocates
//! nothing; only formatting the text (on the editor's thread) does.

use std::fmt;

use crate::cross_correlator::CorrelationPeak;
use crate::null_levels::NullLevels;

/// Residual at or below this many dB under the reference counts as a null.
pub const NULL_DEPTH_DB: f32 = -60.0;
/// A null this deep or deeper is shown as complete (below 24-bit resolution).
pub const COMPLETE_NULL_DB: f32 = -140.0;
/// A signal whose RMS is at or below this level (dBFS) counts as absent.
pub const ABSENT_DBFS: f32 = -100.0;
/// Normalised correlation from which the stems and the reference are treated as the same music.
pub const CORRELATED: f32 = 0.5;
/// Correlation from which the stems and the reference differ only by offset, polarity and gain, so
/// their level ratio is a gain mismatch (and not missing content).
pub const SAME_MUSIC: f32 = 0.99;
/// Gain mismatches smaller than this many dB are not reported.
pub const GAIN_TOLERANCE_DB: f32 = 0.05;
/// The most findings one verdict holds.
pub const MAX_FINDINGS: usize = 4;

/// One conclusion.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Finding {
    /// Neither input carries signal.
    NoSignal,
    /// Nothing on the sidechain.
    NoReference,
    /// Nothing on the stem bus.
    SilentStems,
    /// Not enough audio yet to find the alignment.
    Measuring,
    /// The difference is at least [`NULL_DEPTH_DB`] below the reference.
    Nulls {
        /// Residual relative to the reference, in dB.
        depth_db: f32,
    },
    /// The stems come `samples` after the reference.
    StemsLate { samples: i64 },
    /// The stems come `samples` before the reference.
    StemsEarly { samples: i64 },
    /// The stems are the reference upside down.
    PolarityInverted,
    /// The reference is louder than the stems by `db` (energy ratio, judged only when the two
    /// correlate at [`SAME_MUSIC`] or better).
    ReferenceLouder { db: f32 },
    /// The stems are louder than the reference by `db`.
    StemsLouder { db: f32 },
    /// Aligned and level-matched, yet something remains: part of the mix is missing from the stems.
    Residual { depth_db: f32 },
    /// The reference is not the same music as the stems.
    Unrelated { correlation: f32 },
    /// The stem bus peaks above the chosen headroom.
    OverHeadroom { peak_dbfs: f32, headroom_dbfs: f32 },
}

impl fmt::Display for Finding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            Self::NoSignal => write!(f, "No signal"),
            Self::NoReference => write!(f, "No reference on the sidechain"),
            Self::SilentStems => write!(f, "Stem bus is silent"),
            Self::Measuring => write!(f, "Measuring"),
            Self::Nulls { depth_db } if depth_db <= COMPLETE_NULL_DB => {
                write!(f, "Nulls completely (below {COMPLETE_NULL_DB:.0} dB)")
            }
            Self::Nulls { depth_db } => write!(f, "Nulls to {depth_db:.0} dB"),
            Self::StemsLate { samples } => write!(f, "Stems late by {samples} sample{}", plural(samples)),
            Self::StemsEarly { samples } => write!(f, "Stems early by {samples} sample{}", plural(samples)),
            Self::PolarityInverted => write!(f, "Polarity inverted"),
            Self::ReferenceLouder { db } => write!(f, "Reference {db:.1} dB louder"),
            Self::StemsLouder { db } => write!(f, "Stems {db:.1} dB louder"),
            Self::Residual { depth_db } => {
                write!(f, "Residual {depth_db:.0} dB: part of the mix is missing from the stems (effect returns?)")
            }
            Self::Unrelated { correlation } => {
                write!(f, "Does not null: the reference is not this music (correlation {correlation:.2})")
            }
            Self::OverHeadroom { peak_dbfs, headroom_dbfs } => {
                write!(f, "Stem bus peaks at {peak_dbfs:.1} dBFS, above the {headroom_dbfs:.0} dBFS headroom")
            }
        }
    }
}

fn plural(n: i64) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

/// Up to [`MAX_FINDINGS`] findings, most important first.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Verdict {
    findings: [Option<Finding>; MAX_FINDINGS],
}

impl Verdict {
    fn push(&mut self, finding: Finding) {
        if let Some(slot) = self.findings.iter_mut().find(|s| s.is_none()) {
            *slot = Some(finding);
        }
    }

    /// The findings, most important first.
    pub fn findings(&self) -> impl Iterator<Item = Finding> + '_ {
        self.findings.iter().flatten().copied()
    }

    /// True when the stems null against the reference.
    pub fn nulls(&self) -> bool {
        self.findings().any(|f| matches!(f, Finding::Nulls { .. }))
    }
}

impl fmt::Display for Verdict {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, finding) in self.findings().enumerate() {
            if i > 0 {
                write!(f, "; ")?;
            }
            write!(f, "{finding}")?;
        }
        Ok(())
    }
}

/// Judges one set of measurements. `headroom_dbfs` is the highest stem-bus peak considered safe
/// (-3 or -6 dBFS).
pub fn judge(levels: &NullLevels, alignment: Option<CorrelationPeak>, headroom_dbfs: f32) -> Verdict {
    let mut v = Verdict::default();
    let stems = levels.stems.rms_dbfs > ABSENT_DBFS;
    let reference = levels.reference.rms_dbfs > ABSENT_DBFS;
    match (stems, reference) {
        (false, false) => v.push(Finding::NoSignal),
        (true, false) => v.push(Finding::NoReference),
        (false, true) => v.push(Finding::SilentStems),
        (true, true) => {
            let depth_db = levels.residual_relative_db();
            if depth_db <= NULL_DEPTH_DB {
                v.push(Finding::Nulls { depth_db });
            } else {
                match alignment {
                    None => v.push(Finding::Measuring),
                    Some(peak) if peak.normalized.abs() < CORRELATED => {
                        v.push(Finding::Unrelated { correlation: peak.normalized })
                    }
                    Some(peak) => judge_mismatch(&mut v, peak, depth_db),
                }
            }
        }
    }
    if stems && levels.stems.peak_dbfs > headroom_dbfs {
        v.push(Finding::OverHeadroom { peak_dbfs: levels.stems.peak_dbfs, headroom_dbfs });
    }
    v
}

/// Why correlated stems do not null: offset, polarity, gain, or missing content.
fn judge_mismatch(v: &mut Verdict, peak: CorrelationPeak, depth_db: f32) {
    let mut explained = false;
    if peak.lag_samples > 0 {
        v.push(Finding::StemsLate { samples: peak.lag_samples });
        explained = true;
    } else if peak.lag_samples < 0 {
        v.push(Finding::StemsEarly { samples: -peak.lag_samples });
        explained = true;
    }
    if peak.normalized < 0.0 {
        v.push(Finding::PolarityInverted);
        explained = true;
    }
    if peak.normalized.abs() >= SAME_MUSIC {
        let db = peak.level_ratio_db;
        if db >= GAIN_TOLERANCE_DB {
            v.push(Finding::ReferenceLouder { db });
            explained = true;
        } else if db <= -GAIN_TOLERANCE_DB {
            v.push(Finding::StemsLouder { db: -db });
            explained = true;
        }
    }
    if !explained {
        v.push(Finding::Residual { depth_db });
    }
}
