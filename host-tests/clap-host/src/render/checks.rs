//! The session's checks: which signals they compare, and the verdicts after rendering.
//!
//! * `null = [A, B]` with `max_residual_db = X`: the RMS of `A - B` relative to the RMS of `B`, in
//!   dB, must be at most `X` (relative to full scale if `B` is silent).
//! * `aligned = [A, B, ...]`, optionally `max_lag_ms = X` (default [`DEFAULT_MAX_LAG_MS`]): the
//!   cross-correlation of every signal with `A` (channels summed) must peak at lag 0 within
//!   `+-X` ms, i.e. they are sample-aligned.
//!
//! Signals: `NAME` (the processed stem), `sum` (the sum of the processed stems that are `in_sum`),
//! `input:NAME` (the unprocessed input stem), `input:sum` (the sum of the input stems that are
//! `in_sum`), `file:PATH` (a WAV file relative to the session file, same format as the stems).

use std::fmt;
use std::path::PathBuf;

use super::lag::best_lag;
use super::levels::{fmt_db, residual_db};
use super::session::{list, SUM};

/// Default search range of an `aligned` check, ms.
pub const DEFAULT_MAX_LAG_MS: f64 = 250.0;

/// A signal a check compares.
#[derive(Debug, Clone, PartialEq)]
pub enum SignalRef {
    /// The processed output of a stem.
    Output(String),
    /// The sum of the processed stems that are `in_sum`.
    Sum,
    /// An unprocessed input stem.
    Input(String),
    /// The sum of the input stems that are `in_sum`.
    InputSum,
    /// A WAV file (absolute path).
    File(PathBuf),
}

impl SignalRef {
    /// Parses a reference; stem names must be among `stems`, files are resolved with `resolve`.
    pub fn parse(text: &str, stems: &[&str], resolve: &impl Fn(&str) -> PathBuf) -> Result<SignalRef, String> {
        let stem = |name: &str, make: fn(String) -> SignalRef| {
            if stems.contains(&name) {
                Ok(make(name.to_owned()))
            } else {
                Err(format!(
                    "`{text}`: there is no stem `{name}`; use a stem name ({}), `sum`, `input:NAME`, `input:sum` or `file:PATH`",
                    list(stems)
                ))
            }
        };
        if text == SUM {
            Ok(SignalRef::Sum)
        } else if text == "input:sum" {
            Ok(SignalRef::InputSum)
        } else if let Some(name) = text.strip_prefix("input:") {
            stem(name, SignalRef::Input)
        } else if let Some(path) = text.strip_prefix("file:") {
            Ok(SignalRef::File(resolve(path)))
        } else {
            stem(text, SignalRef::Output)
        }
    }
}

impl fmt::Display for SignalRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SignalRef::Output(n) => write!(f, "{n}"),
            SignalRef::Sum => write!(f, "{SUM}"),
            SignalRef::Input(n) => write!(f, "input:{n}"),
            SignalRef::InputSum => write!(f, "input:sum"),
            SignalRef::File(p) => write!(f, "file:{}", p.display()),
        }
    }
}

/// One check of the session.
#[derive(Debug, Clone, PartialEq)]
pub enum Check {
    /// `a` must null with the reference `b` to `max_residual_db` (relative) or better.
    Null { a: SignalRef, b: SignalRef, max_residual_db: f64 },
    /// Every signal must be sample-aligned with the first, searched within `+-max_lag_ms`.
    Aligned { signals: Vec<SignalRef>, max_lag_ms: f64 },
}

impl Check {
    /// The signals the check reads.
    pub fn signals(&self) -> Vec<&SignalRef> {
        match self {
            Check::Null { a, b, .. } => vec![a, b],
            Check::Aligned { signals, .. } => signals.iter().collect(),
        }
    }
}

impl fmt::Display for Check {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Check::Null { a, b, max_residual_db } => write!(f, "null {a} vs {b} (max {max_residual_db} dB)"),
            Check::Aligned { signals, max_lag_ms } => write!(f, "aligned {} (within +-{max_lag_ms} ms)", list(signals)),
        }
    }
}

/// The verdict of one check.
#[derive(Debug, Clone, PartialEq)]
pub struct CheckResult {
    /// The check as written (`null sum vs mix (max -100 dB)`).
    pub check: String,
    /// Whether it holds.
    pub passed: bool,
    /// What was measured.
    pub detail: String,
    /// For a null check, the measured relative residual in dB.
    pub residual_db: Option<f64>,
}

/// Evaluates `check`; `signal` returns the samples of a reference (all of one format).
pub fn evaluate<'a>(check: &Check, signal: &impl Fn(&SignalRef) -> &'a [Vec<f32>], sample_rate: u32) -> CheckResult {
    match check {
        Check::Null { a, b, max_residual_db } => {
            let (relative, absolute) = residual_db(signal(a), signal(b));
            CheckResult {
                check: check.to_string(),
                passed: relative <= *max_residual_db,
                detail: format!("residual {} dB relative to {b} ({} dBFS)", fmt_db(relative), fmt_db(absolute)),
                residual_db: Some(relative),
            }
        }
        Check::Aligned { signals, max_lag_ms } => {
            let max_lag = (max_lag_ms / 1000.0 * sample_rate as f64).round() as usize;
            let first = &signals[0];
            let mut passed = true;
            let mut parts = Vec::new();
            for other in &signals[1..] {
                let (lag, corr) = best_lag(signal(other), signal(first), max_lag);
                passed &= lag == 0;
                parts.push(format!("{other}: lag {lag} samples (correlation {corr:.3})"));
            }
            CheckResult {
                check: check.to_string(),
                passed,
                detail: format!("against {first}: {}", parts.join("; ")),
                residual_db: None,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_every_kind_of_reference() {
        let stems = ["drums", "mix"];
        let resolve = |p: &str| PathBuf::from("/s").join(p);
        assert_eq!(SignalRef::parse("sum", &stems, &resolve).unwrap(), SignalRef::Sum);
        assert_eq!(SignalRef::parse("input:sum", &stems, &resolve).unwrap(), SignalRef::InputSum);
        assert_eq!(SignalRef::parse("mix", &stems, &resolve).unwrap(), SignalRef::Output("mix".into()));
        assert_eq!(SignalRef::parse("input:drums", &stems, &resolve).unwrap(), SignalRef::Input("drums".into()));
        assert_eq!(SignalRef::parse("file:a.wav", &stems, &resolve).unwrap(), SignalRef::File("/s/a.wav".into()));
        let e = SignalRef::parse("vocals", &stems, &resolve).unwrap_err();
        assert!(e.contains("no stem `vocals`") && e.contains("drums, mix"), "{e}");
    }

    #[test]
    fn null_and_aligned_verdicts() {
        let x: Vec<f32> = (0..4000).map(|i| ((i * 7919) % 1000) as f32 / 1000.0 - 0.5).collect();
        let late: Vec<f32> = (0..4000).map(|i| if i < 3 { 0.0 } else { x[i - 3] }).collect();
        let a = vec![x.clone()];
        let b = vec![x];
        let c = vec![late];
        let signal = |r: &SignalRef| -> &[Vec<f32>] {
            match r {
                SignalRef::Output(n) if n == "a" => &a,
                SignalRef::Output(n) if n == "b" => &b,
                _ => &c,
            }
        };
        let out = |n: &str| SignalRef::Output(n.into());
        let null = Check::Null { a: out("a"), b: out("b"), max_residual_db: -100.0 };
        let r = evaluate(&null, &signal, 48_000);
        assert!(r.passed && r.residual_db == Some(f64::NEG_INFINITY), "{r:?}");
        let r = evaluate(&Check::Null { a: out("a"), b: out("c"), max_residual_db: -100.0 }, &signal, 48_000);
        assert!(!r.passed, "{r:?}");
        let r = evaluate(&Check::Aligned { signals: vec![out("a"), out("b")], max_lag_ms: 1.0 }, &signal, 48_000);
        assert!(r.passed, "{r:?}");
        let r = evaluate(&Check::Aligned { signals: vec![out("a"), out("b"), out("c")], max_lag_ms: 1.0 }, &signal, 48_000);
        assert!(!r.passed && r.detail.contains("c: lag 3 samples"), "{r:?}");
    }
}
