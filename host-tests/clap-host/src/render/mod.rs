//! The headless stem-session renderer (`clap-render`, `cargo xtask render SESSION.toml`): stems
//! through chains of CLAP plugins with key routing, latency removed, offline, with gain-change
//! plots, a summary and null/alignment checks.
//!
//! The pipeline, in order: read the session ([`session`]); read the stems and refuse mismatches
//! ([`inputs`]); create, configure and activate every instance, refusing unknown plugins,
//! parameters, presets and out-of-range values ([`prepare`]) — nothing renders before all of that
//! succeeded; render each stem's chain instance by instance with each latency removed
//! ([`compensated`]), keys from the unprocessed inputs ([`routing`]); measure and plot each
//! instance's gain change ([`gain_change`], [`plot`]); write the outputs and the summary
//! ([`summary`]); run the checks ([`checks`]).

pub mod canvas;
pub mod catalog;
pub mod checks;
pub mod compensated;
pub mod font;
pub mod gain_change;
pub mod inputs;
pub mod lag;
pub mod levels;
pub mod offline;
pub mod param_id;
pub mod plot;
pub mod prepare;
pub mod presets;
pub mod progress;
pub mod routing;
pub mod session;
pub mod settings;
pub mod summary;

use std::path::{Path, PathBuf};

pub use session::Session;
pub use summary::Summary;

use catalog::Catalog;
use checks::{evaluate, SignalRef};
use compensated::render_compensated;
use inputs::{check_same_format, load_inputs, read_wav};
use levels::peak_dbfs;
use prepare::{prepare, Prepared, Setup};
use progress::Progress;
use routing::sum_of;
use summary::{InstanceRow, StemRow};

/// Default block size, frames.
pub const DEFAULT_BLOCK: usize = 512;
/// Largest block size accepted, frames.
pub const MAX_BLOCK: usize = 1 << 16;
/// File name of the sum of the processed stems.
pub const SUM_FILE: &str = "sum.wav";
/// File name of the summary.
pub const SUMMARY_FILE: &str = "summary.md";
/// Sub-folder of the gain-change plots.
pub const PLOT_DIR: &str = "gr";

/// How to render, beyond what the session says.
#[derive(Debug, Clone)]
pub struct Options {
    /// Folder of the `.clap` bundles.
    pub bundles: PathBuf,
    /// Folder of the factory preset files (`presets/<package>.json`).
    pub presets: PathBuf,
    /// Output folder; overrides the session's `output`.
    pub out: Option<PathBuf>,
    /// Block size, frames.
    pub block: usize,
    /// Show progress bars on stderr.
    pub progress: bool,
}

/// File name of an instance's plot: `<stem>-<position>-<plugin-name-slug>.png`.
pub fn plot_file_name(stem: &str, position: usize, plugin: &str) -> String {
    let slug: String = plugin
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c.to_ascii_lowercase() } else { '-' })
        .collect();
    format!("{stem}-{position}-{slug}.png")
}

fn write_wav(path: &Path, sample_rate: u32, signal: &[Vec<f32>]) -> Result<(), String> {
    crate::wav::write_f32(path, sample_rate, signal).map_err(|e| format!("{}: {e}", path.display()))
}

/// Renders `session`; returns the summary, also written to `summary.md` in the output folder.
/// An `Err` means the session was refused (or a plugin failed); failed checks are in the summary.
pub fn render(session: &Session, options: &Options) -> Result<Summary, String> {
    let out_dir = options
        .out
        .clone()
        .or_else(|| session.output.clone())
        .ok_or("no output folder: set `output` in the session file or pass --out DIR")?;
    if !(1..=MAX_BLOCK).contains(&options.block) {
        return Err(format!("block size {} outside 1..={MAX_BLOCK}", options.block));
    }

    // Everything that can refuse the session, before any rendering.
    let inputs = load_inputs(&session.stems)?;
    let format = inputs.format;
    let mut files: Vec<(PathBuf, Vec<Vec<f32>>)> = Vec::new();
    for check in &session.checks {
        for r in check.signals() {
            if let SignalRef::File(path) = r {
                if !files.iter().any(|(p, _)| p == path) {
                    let what = format!("check file {}", path.display());
                    let (f, data) = read_wav(&what, path)?;
                    check_same_format(&what, f, "the stems", format)?;
                    files.push((path.clone(), data));
                }
            }
        }
    }
    let catalog = Catalog::load(&options.bundles)?;
    let setup = Setup {
        catalog: &catalog,
        presets_dir: &options.presets,
        sample_rate: format.sample_rate,
        channels: format.channels,
        block: options.block,
    };
    let mut chains: Vec<Vec<Prepared>> = Vec::new();
    for stem in &session.stems {
        let chain = stem
            .chain
            .iter()
            .enumerate()
            .map(|(i, spec)| {
                prepare(spec, &setup).map_err(|e| format!("stem `{}`, plugin #{} `{}`: {e}", stem.name, i + 1, spec.plugin))
            })
            .collect::<Result<Vec<_>, _>>()?;
        chains.push(chain);
    }

    let plot_dir = out_dir.join(PLOT_DIR);
    std::fs::create_dir_all(&plot_dir).map_err(|e| format!("{}: {e}", plot_dir.display()))?;
    let names: Vec<&str> = session.stems.iter().map(|s| s.name.as_str()).collect();
    let in_sum: Vec<bool> = session.stems.iter().map(|s| s.in_sum).collect();
    let input_sum = sum_of(&inputs.stems, &in_sum, format.channels, format.frames);
    let duration_s = format.frames as f64 / format.sample_rate as f64;
    let mut progress = Progress::new(options.progress, names.iter().map(|n| n.len()).max().unwrap_or(0));

    let mut outputs: Vec<Vec<Vec<f32>>> = Vec::new();
    let mut stem_rows = Vec::new();
    let mut instance_rows = Vec::new();
    for ((stem, chain), input) in session.stems.iter().zip(&mut chains).zip(&inputs.stems) {
        let mut signal = input.clone();
        let count = chain.len();
        for (i, p) in chain.iter_mut().enumerate() {
            let key = p.key.signal(&names, &inputs.stems, &input_sum);
            let total = (format.frames + p.latency) as f64;
            let detail = format!("{} ({}/{count})", p.name, i + 1);
            let out = render_compensated(&mut p.plugin, &signal, key, p.latency, options.block, &mut |done| {
                progress.update(&stem.name, (i as f64 + done as f64 / total) / count as f64, &detail)
            })
            .map_err(|e| format!("stem `{}`, plugin #{} `{}`: {e}", stem.name, i + 1, p.name))?;
            let trace = gain_change::measure(&signal, &out, format.sample_rate);
            let plot = plot_dir.join(plot_file_name(&stem.name, i + 1, &p.name));
            let title = format!(
                "{} plugin {}: {} - gain change in dB (output - input level per {} ms window)",
                stem.name,
                i + 1,
                p.name,
                gain_change::WINDOW_MS
            );
            plot::plot_gain_change(&trace, duration_s, &title, &plot)?;
            instance_rows.push(InstanceRow {
                stem: stem.name.clone(),
                position: i + 1,
                plugin: p.name.clone(),
                key: p.key.to_string(),
                latency_samples: p.latency,
                latency_ms: p.latency as f64 * 1000.0 / format.sample_rate as f64,
                peak_dbfs: peak_dbfs(&out),
                gain_change_db: trace.range_db(),
                plot,
            });
            signal = out;
        }
        let chain_latency = chain.iter().map(|p| p.latency).sum();
        progress.done(&stem.name, &format!("{count} plugin(s), latency {chain_latency} samples removed"));
        let output = out_dir.join(format!("{}.wav", stem.name));
        write_wav(&output, format.sample_rate, &signal)?;
        stem_rows.push(StemRow {
            name: stem.name.clone(),
            file: stem.file.clone(),
            in_sum: stem.in_sum,
            chain_latency,
            peak_dbfs: peak_dbfs(&signal),
            output,
        });
        outputs.push(signal);
    }
    drop(chains);

    let sum = sum_of(&outputs, &in_sum, format.channels, format.frames);
    let sum_file = out_dir.join(SUM_FILE);
    write_wav(&sum_file, format.sample_rate, &sum)?;

    let index = |name: &str| names.iter().position(|n| *n == name).expect("checked by the session");
    let signal = |r: &SignalRef| -> &[Vec<f32>] {
        match r {
            SignalRef::Output(n) => &outputs[index(n)],
            SignalRef::Sum => &sum,
            SignalRef::Input(n) => &inputs.stems[index(n)],
            SignalRef::InputSum => &input_sum,
            SignalRef::File(p) => &files.iter().find(|(f, _)| f == p).expect("loaded above").1,
        }
    };
    let checks = session.checks.iter().map(|c| evaluate(c, &signal, format.sample_rate)).collect();

    let summary = Summary {
        out_dir: out_dir.clone(),
        format,
        block: options.block,
        stems: stem_rows,
        instances: instance_rows,
        sum_file,
        checks,
    };
    let path = out_dir.join(SUMMARY_FILE);
    std::fs::write(&path, summary.to_markdown()).map_err(|e| format!("{}: {e}", path.display()))?;
    Ok(summary)
}
