//! The render summary: per instance its stem, plugin, key, latency, output peak and gain-change
//! range; per stem its chain latency; and the checks' verdicts. Printed and written as Markdown.

use std::fmt::Write as _;
use std::path::PathBuf;

use super::checks::CheckResult;
use super::gain_change::{GATE_DBFS, WINDOW_MS};
use super::inputs::AudioFormat;
use super::levels::fmt_db;

/// One processed stem.
#[derive(Debug, Clone, PartialEq)]
pub struct StemRow {
    /// Stem name.
    pub name: String,
    /// Input file.
    pub file: PathBuf,
    /// Part of `sum`.
    pub in_sum: bool,
    /// Latency removed from the stem: the sum of its instances' latencies, frames.
    pub chain_latency: usize,
    /// Peak of the processed stem, dBFS.
    pub peak_dbfs: f64,
    /// The processed stem's file.
    pub output: PathBuf,
}

/// One plugin instance.
#[derive(Debug, Clone, PartialEq)]
pub struct InstanceRow {
    /// Stem name.
    pub stem: String,
    /// Position in the stem's chain, from 1.
    pub position: usize,
    /// Plugin display name.
    pub plugin: String,
    /// Key route (`sum`, `stem:NAME`, `none`).
    pub key: String,
    /// Reported latency, frames.
    pub latency_samples: usize,
    /// Reported latency, ms.
    pub latency_ms: f64,
    /// Peak of the instance's output, dBFS.
    pub peak_dbfs: f64,
    /// Smallest and largest measured gain change, dB (`None` if the input never reached the gate).
    pub gain_change_db: Option<(f32, f32)>,
    /// The gain-change plot.
    pub plot: PathBuf,
}

/// Everything a render produced and measured.
#[derive(Debug, Clone, PartialEq)]
pub struct Summary {
    /// Output folder.
    pub out_dir: PathBuf,
    /// Format of the stems and outputs.
    pub format: AudioFormat,
    /// Block size, frames.
    pub block: usize,
    /// The stems, in session order.
    pub stems: Vec<StemRow>,
    /// Every instance, stem by stem, in chain order.
    pub instances: Vec<InstanceRow>,
    /// The file holding the sum of the processed stems that are in the sum.
    pub sum_file: PathBuf,
    /// The checks' verdicts, in session order.
    pub checks: Vec<CheckResult>,
}

/// The definition of the measured gain change, as printed in the summary and README.
pub fn gain_change_definition() -> String {
    format!(
        "Gain change = per {WINDOW_MS} ms window, RMS level of the instance's output minus RMS level of its \
         latency-aligned input, in dB (all channels together; windows whose input is below {GATE_DBFS} dBFS \
         are skipped). Negative values are gain reduction; makeup and output gain are included."
    )
}

fn range(r: Option<(f32, f32)>) -> String {
    match r {
        Some((lo, hi)) => format!("{lo:+.1} .. {hi:+.1}"),
        None => format!("n/a (input below {GATE_DBFS} dBFS)"),
    }
}

/// A Markdown table with columns padded to line up in a terminal.
fn table(header: &[&str], rows: &[Vec<String>]) -> String {
    let mut widths: Vec<usize> = header.iter().map(|h| h.chars().count()).collect();
    for row in rows {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let line = |cells: Vec<String>| {
        let padded: Vec<String> = cells.iter().zip(&widths).map(|(c, w)| format!("{c:<w$}")).collect();
        format!("| {} |\n", padded.join(" | "))
    };
    let mut out = line(header.iter().map(|h| h.to_string()).collect());
    out += &line(widths.iter().map(|w| "-".repeat(*w)).collect());
    for row in rows {
        out += &line(row.clone());
    }
    out
}

impl Summary {
    /// True if every check passed.
    pub fn passed(&self) -> bool {
        self.checks.iter().all(|c| c.passed)
    }

    /// The per-instance table.
    pub fn instance_table(&self) -> String {
        let rows: Vec<Vec<String>> = self
            .instances
            .iter()
            .map(|r| {
                vec![
                    r.stem.clone(),
                    r.position.to_string(),
                    r.plugin.clone(),
                    r.key.clone(),
                    r.latency_samples.to_string(),
                    format!("{:.2}", r.latency_ms),
                    fmt_db(r.peak_dbfs),
                    range(r.gain_change_db),
                ]
            })
            .collect();
        table(
            &["stem", "#", "plugin", "key", "latency (samples)", "latency (ms)", "output peak (dBFS)", "gain change (dB, min .. max)"],
            &rows,
        )
    }

    /// The per-stem table.
    pub fn stem_table(&self) -> String {
        let rows: Vec<Vec<String>> = self
            .stems
            .iter()
            .map(|s| {
                vec![
                    s.name.clone(),
                    if s.in_sum { "yes" } else { "no" }.into(),
                    s.chain_latency.to_string(),
                    fmt_db(s.peak_dbfs),
                    s.output.file_name().map_or_else(String::new, |f| f.to_string_lossy().into_owned()),
                ]
            })
            .collect();
        table(&["stem", "in sum", "chain latency (samples)", "output peak (dBFS)", "output"], &rows)
    }

    /// The check verdicts, one line each.
    pub fn check_lines(&self) -> String {
        let mut out = String::new();
        for c in &self.checks {
            let _ = writeln!(out, "- {} {}: {}", if c.passed { "PASS" } else { "FAIL" }, c.check, c.detail);
        }
        if self.checks.is_empty() {
            out += "- (no checks in the session)\n";
        }
        out
    }

    /// The whole summary as Markdown (what `summary.md` holds).
    pub fn to_markdown(&self) -> String {
        let f = self.format;
        let mut out = String::from("# Render summary\n\n");
        let _ = writeln!(
            out,
            "{} stems of {} frames ({:.3} s) at {} Hz, {} channels; block {} frames; latency removed; outputs in {}.\n",
            self.stems.len(),
            f.frames,
            f.frames as f64 / f.sample_rate as f64,
            f.sample_rate,
            f.channels,
            self.block,
            self.out_dir.display()
        );
        out += "## Instances\n\n";
        out += &self.instance_table();
        let _ = writeln!(out, "\n{}\n", gain_change_definition());
        out += "## Stems\n\n";
        out += &self.stem_table();
        let summed: Vec<&str> = self.stems.iter().filter(|s| s.in_sum).map(|s| s.name.as_str()).collect();
        let _ = writeln!(
            out,
            "\n`{}` = {}.\n",
            self.sum_file.file_name().map_or_else(String::new, |f| f.to_string_lossy().into_owned()),
            if summed.is_empty() { "silence (no stem is in the sum)".into() } else { summed.join(" + ") }
        );
        out += "## Checks\n\n";
        out += &self.check_lines();
        out
    }
}
