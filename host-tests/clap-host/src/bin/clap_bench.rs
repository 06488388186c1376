//! `clap-bench` (run by `cargo xtask bench`): the speed of every built plugin through the repo's CLAP
//! host, in ns per stereo frame, with reference rows measured in the same run.
//!
//! Each row processes 60 s of deterministic stereo noise (with a slow level swing, so compressors
//! work) in fixed blocks and times only the plugin's `process()` calls. Every row runs [`RUNS`]
//! times on one instance and reports the median, the fastest and the slowest run, and the realtime
//! factor (audio time over processing time, on one core). Each plugin's main configuration is also
//! timed at blocks 32 and 2048, at 96 kHz, on silence after loud input, and on denormal input (the
//! same noise scaled by 1e-39, so every sample is an f32 subnormal; the host sets FTZ/DAZ around
//! `process()` as DAWs do). The floor is a trivial stereo gain loop
//! over the same buffers; pedalboard's `Compressor` and `Clipping` (PyPI, JUCE) are timed on the same
//! signal by `tests/host/bench_reference.py` when a Python is given. The heap each instance holds
//! after `activate()` (no editor) is read from glibc's `mallinfo2`.
//!
//! Usage: `clap-bench --bundles DIR [--python PY --reference-script FILE] [--markdown OUT.md]`

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use clap_host::heap::heap_in_use;
use clap_host::{ClapBundle, PluginInstance, PortInput};

/// Seconds of audio per run.
const SECONDS: usize = 60;
/// Runs per row.
const RUNS: usize = 5;
/// The standard block size and rate of the targets.
const BLOCK: usize = 512;
const RATE_HZ: f64 = 48_000.0;

/// One plugin configuration to time.
struct Config {
    /// Plugin's CLAP id.
    id: &'static str,
    /// Row label.
    label: &'static str,
    /// Parameters by display name and display value, then by display text.
    numbers: &'static [(&'static str, f64)],
    texts: &'static [(&'static str, &'static str)],
    /// Whether the sidechain gets its own signal (else it is silent).
    key: bool,
    /// Target in ns per stereo frame at 48 kHz, block 512 (from issue 6), if there is one.
    target_ns: Option<f64>,
    /// Also time it at block 32 and 2048, at 96 kHz, on silence after loud input and on denormal input.
    variants: bool,
}

const BUS: &str = "org.stemsuite.bus-compressor";
const STEM: &str = "org.stemsuite.stem-compressor";
const DEESSER: &str = "org.stemsuite.de-esser";
const CLIPPER: &str = "org.stemsuite.transient-clipper";
const NULL_CHECK: &str = "org.stemsuite.stem-null-check";
const COMPRESSING: &[(&str, f64)] = &[("Threshold", -24.0), ("Ratio", 4.0), ("Lookahead", 2.0)];
const DRIVE: &[(&str, f64)] = &[("Drive", 12.0)];

const CONFIGS: &[Config] = &[
    Config { id: BUS, label: "Bus Compressor, internal key", numbers: COMPRESSING, texts: &[], key: false, target_ns: Some(8.0), variants: true },
    Config { id: BUS, label: "Bus Compressor, external key", numbers: COMPRESSING, texts: &[("Key", "External")], key: true, target_ns: Some(8.0), variants: false },
    Config { id: STEM, label: "Stem Compressor, Broadband", numbers: COMPRESSING, texts: &[], key: false, target_ns: Some(8.0), variants: true },
    Config { id: STEM, label: "Stem Compressor, Broadband, external key", numbers: COMPRESSING, texts: &[("Key", "External")], key: true, target_ns: Some(8.0), variants: false },
    Config { id: STEM, label: "Stem Compressor, Unmask 2048, external key", numbers: COMPRESSING, texts: &[("Key", "External"), ("Mode", "Unmask"), ("Resolution", "2048")], key: true, target_ns: Some(80.0), variants: true },
    Config { id: DEESSER, label: "De-Esser, split-band", numbers: &[("Threshold", -40.0)], texts: &[("Mode", "Split-band")], key: false, target_ns: Some(12.0), variants: true },
    Config { id: DEESSER, label: "De-Esser, wideband", numbers: &[("Threshold", -40.0)], texts: &[("Mode", "Wideband")], key: false, target_ns: None, variants: false },
    Config { id: CLIPPER, label: "Transient Clipper, Off", numbers: DRIVE, texts: &[("Oversampling", "Off")], key: false, target_ns: Some(3.0), variants: false },
    Config { id: CLIPPER, label: "Transient Clipper, 4x linear", numbers: DRIVE, texts: &[("Oversampling", "4x"), ("Filter", "Linear Phase")], key: false, target_ns: Some(20.0), variants: true },
    Config { id: CLIPPER, label: "Transient Clipper, 4x minimum", numbers: DRIVE, texts: &[("Oversampling", "4x"), ("Filter", "Minimum Phase")], key: false, target_ns: Some(20.0), variants: false },
    Config { id: CLIPPER, label: "Transient Clipper, 8x linear", numbers: DRIVE, texts: &[("Oversampling", "8x"), ("Filter", "Linear Phase")], key: false, target_ns: Some(40.0), variants: false },
    Config { id: CLIPPER, label: "Transient Clipper, 8x minimum", numbers: DRIVE, texts: &[("Oversampling", "8x"), ("Filter", "Minimum Phase")], key: false, target_ns: Some(40.0), variants: false },
    Config { id: NULL_CHECK, label: "Stem Null Check, Difference", numbers: &[], texts: &[("Output", "Difference")], key: true, target_ns: None, variants: true },
];

/// Median, minimum and maximum ns per frame over the runs.
#[derive(Debug, Clone, Copy)]
struct Timing {
    median: f64,
    min: f64,
    max: f64,
}

impl Timing {
    fn from_runs(mut ns: Vec<f64>) -> Timing {
        ns.sort_by(f64::total_cmp);
        Timing { median: ns[ns.len() / 2], min: ns[0], max: ns[ns.len() - 1] }
    }
}

/// One printed row.
struct Row {
    label: String,
    timing: Timing,
    rate_hz: f64,
    note: String,
}

/// Deterministic stereo noise at about -12 dBFS with a 1 Hz level swing (as `cargo bench -p
/// shared-dsp` uses), `frames` long, from `seed`.
fn signal(frames: usize, seed: u64) -> Vec<Vec<f32>> {
    let mut state = seed;
    let mut next = || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        (state >> 40) as f32 / (1u64 << 24) as f32 * 2.0 - 1.0
    };
    let mut out = vec![Vec::with_capacity(frames), Vec::with_capacity(frames)];
    for i in 0..frames {
        let swing = 0.1 + 0.4 * (0.5 + 0.5 * (i as f32 * 2.0 * std::f32::consts::PI / 48_000.0).sin());
        out[0].push(next() * swing);
        out[1].push(next() * swing);
    }
    out
}

/// What a timed run feeds the plugin.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Input {
    /// The noise of [`signal`].
    Normal,
    /// Silence, each run after five seconds of the noise.
    SilenceAfterLoud,
    /// The noise scaled into the subnormal range ([`subnormal`]), with the host's flush-to-zero off.
    Denormal,
}

/// Gain of the denormal input: every sample of [`signal`] (|x| < 1) times it is below
/// `f32::MIN_POSITIVE` (1.18e-38) in magnitude.
const DENORMAL_SCALE: f64 = 1e-39;

/// `channels` scaled by [`DENORMAL_SCALE`], with samples that would round to zero set to the smallest
/// subnormal of their sign, so that every sample is subnormal.
///
/// # Panics
/// If a sample of the result is not subnormal (it cannot be, for inputs within +-1).
fn subnormal(channels: Vec<Vec<f32>>) -> Vec<Vec<f32>> {
    let tiny = f32::from_bits(1);
    let out: Vec<Vec<f32>> = channels
        .into_iter()
        .map(|ch| {
            ch.into_iter()
                .map(|x| {
                    let y = (x as f64 * DENORMAL_SCALE) as f32;
                    if y == 0.0 { tiny.copysign(x) } else { y }
                })
                .collect()
        })
        .collect();
    assert!(out.iter().flatten().all(|x| x.is_subnormal()), "denormal input has a normal sample");
    out
}

/// Creates, configures and activates an instance; also returns the heap it holds after `activate`.
fn instance(bundle: &ClapBundle, c: &Config, rate_hz: f64, block: usize) -> (PluginInstance, usize) {
    let before = heap_in_use();
    let mut p = bundle.create(c.id).unwrap_or_else(|e| panic!("{}: create: {e}", c.label));
    for &(name, v) in c.numbers {
        p.set_param_by_name(name, v).unwrap_or_else(|e| panic!("{}: {name} = {v}: {e}", c.label));
    }
    for &(name, t) in c.texts {
        p.set_param_text(name, t).unwrap_or_else(|e| panic!("{}: {name} = {t}: {e}", c.label));
    }
    p.activate(rate_hz, block as u32).unwrap_or_else(|e| panic!("{}: activate: {e}", c.label));
    let held = heap_in_use().saturating_sub(before);
    (p, held)
}

/// Renders `main` (and `key` into the sidechain, if any; an empty key leaves the sidechain silent) in
/// blocks of `block` and returns ns per frame spent in `process()`.
fn timed_render(p: &mut PluginInstance, main: &[Vec<f32>], key: &[Vec<f32>], block: usize) -> f64 {
    let frames = main[0].len();
    let blocks = clap_host::blocks::fixed(frames, block);
    let key = if key.is_empty() { PortInput::Silent } else { PortInput::Audio(key) };
    p.render_with(PortInput::Audio(main), key, &blocks, &[]).expect("render");
    let total: Duration = p.process_times().iter().sum();
    total.as_nanos() as f64 / frames as f64
}

/// Times a configuration: `RUNS` runs of the input on one instance, after one warm-up second of it.
/// With [`Input::SilenceAfterLoud`], each timed run is silence that follows five seconds of the loud
/// signal.
fn time_config(bundle: &ClapBundle, c: &Config, rate_hz: f64, block: usize, input: Input) -> (Timing, usize) {
    let frames = SECONDS * rate_hz as usize;
    let scale = |v: Vec<Vec<f32>>| if input == Input::Denormal { subnormal(v) } else { v };
    let main = scale(signal(frames, 0x1234_5678_9abc_def0));
    let key = if c.key { scale(signal(frames, 0x0fed_cba9_8765_4321)) } else { Vec::new() };
    let (mut p, held) = instance(bundle, c, rate_hz, block);
    // Denormal input with the host's flush-to-zero off: only the plugin's own guard protects it.
    p.set_host_flushes_denormals(input != Input::Denormal);
    let warm = rate_hz as usize;
    let head = |v: &[Vec<f32>], n: usize| -> Vec<Vec<f32>> { v.iter().map(|ch| ch[..n].to_vec()).collect() };
    let no_key: Vec<Vec<f32>> = Vec::new();
    timed_render(&mut p, &head(&main, warm), &head(&key, warm), block);
    let silence = vec![vec![0.0f32; frames]; 2];
    let loud_len = 5 * rate_hz as usize;
    let runs = (0..RUNS)
        .map(|_| {
            if input == Input::SilenceAfterLoud {
                timed_render(&mut p, &head(&main, loud_len), &head(&key, loud_len), block);
                timed_render(&mut p, &silence, if c.key { &silence } else { &no_key }, block)
            } else {
                timed_render(&mut p, &main, &key, block)
            }
        })
        .collect();
    (Timing::from_runs(runs), held)
}

/// The floor: a trivial stereo gain loop over the same buffers, block by block.
fn gain_loop() -> Timing {
    let frames = SECONDS * RATE_HZ as usize;
    let input = signal(frames, 0x1234_5678_9abc_def0);
    let runs = (0..RUNS)
        .map(|_| {
            let mut work = input.clone();
            let started = Instant::now();
            let (l, r) = work.split_at_mut(1);
            for (bl, br) in l[0].chunks_mut(BLOCK).zip(r[0].chunks_mut(BLOCK)) {
                for x in bl.iter_mut().chain(br.iter_mut()) {
                    *x *= 0.5;
                }
                std::hint::black_box(&bl);
            }
            let ns = started.elapsed().as_nanos() as f64 / frames as f64;
            std::hint::black_box(&work);
            ns
        })
        .collect();
    Timing::from_runs(runs)
}

/// pedalboard's reference rows, timed by the Python script on the same signal (written as WAV).
fn pedalboard_rows(python: &Path, script: &Path, dir: &Path) -> Result<Vec<(String, Timing)>, String> {
    let wav = dir.join("bench-signal.wav");
    clap_host::wav::write_f32(&wav, RATE_HZ as u32, &signal(SECONDS * RATE_HZ as usize, 0x1234_5678_9abc_def0))
        .map_err(|e| format!("{}: {e}", wav.display()))?;
    let out = Command::new(python)
        .arg(script)
        .arg(&wav)
        .args(["--runs", &RUNS.to_string(), "--block", &BLOCK.to_string()])
        .output()
        .map_err(|e| format!("{}: {e}", python.display()))?;
    if !out.status.success() {
        return Err(format!("{} failed:\n{}", script.display(), String::from_utf8_lossy(&out.stderr)));
    }
    // One line per row: "<label>\t<ns run 1> <ns run 2> ...".
    let text = String::from_utf8_lossy(&out.stdout);
    let mut rows = Vec::new();
    for line in text.lines().filter(|l| l.contains('\t')) {
        let (label, values) = line.split_once('\t').unwrap();
        let ns: Vec<f64> = values.split_whitespace().filter_map(|v| v.parse().ok()).collect();
        if ns.is_empty() {
            return Err(format!("no timings in {line:?}"));
        }
        rows.push((label.to_owned(), Timing::from_runs(ns)));
    }
    Ok(rows)
}

fn find_bundle(dir: &Path, id: &str) -> ClapBundle {
    for path in clap_host::clap_files_in(dir) {
        let bundle = ClapBundle::load(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        if bundle.descriptors().iter().any(|d| d.id == id) {
            return bundle;
        }
    }
    panic!("no bundle in {} offers {id}", dir.display());
}

fn arg(args: &[String], name: &str) -> Option<String> {
    args.iter().position(|a| a == name).and_then(|i| args.get(i + 1).cloned())
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let bundles = PathBuf::from(arg(&args, "--bundles").unwrap_or_else(|| "target/bundled".into()));
    let mut rows = Vec::new();
    let floor = gain_loop();
    rows.push(Row { label: "trivial stereo gain loop (floor)".into(), timing: floor, rate_hz: RATE_HZ, note: String::new() });
    if let (Some(py), Some(script)) = (arg(&args, "--python"), arg(&args, "--reference-script")) {
        match pedalboard_rows(Path::new(&py), Path::new(&script), &std::env::temp_dir()) {
            Ok(refs) => rows.extend(refs.into_iter().map(|(label, timing)| Row { label, timing, rate_hz: RATE_HZ, note: "reference".into() })),
            Err(e) => eprintln!("clap-bench: pedalboard reference rows skipped: {e}"),
        }
    }
    let mut memory = Vec::new();
    let mut verdicts = Vec::new();
    for c in CONFIGS {
        let bundle = find_bundle(&bundles, c.id);
        let (t, held) = time_config(&bundle, c, RATE_HZ, BLOCK, Input::Normal);
        eprintln!("clap-bench: {:<45} {:>8.1} ns/frame", c.label, t.median);
        if let Some(target) = c.target_ns {
            verdicts.push((format!("{} (block {BLOCK})", c.label), t.median, target));
        }
        rows.push(Row { label: c.label.into(), timing: t, rate_hz: RATE_HZ, note: String::new() });
        memory.push((c.label, held));
        if c.variants {
            for block in [32usize, 2048] {
                let (v, _) = time_config(&bundle, c, RATE_HZ, block, Input::Normal);
                if block == 32 {
                    verdicts.push((format!("{} block 32 vs block 512", c.label), v.median / t.median, 1.5));
                }
                rows.push(Row { label: format!("{}, block {block}", c.label), timing: v, rate_hz: RATE_HZ, note: format!("{:.2}x block 512", v.median / t.median) });
            }
            let (v, _) = time_config(&bundle, c, 96_000.0, BLOCK, Input::Normal);
            rows.push(Row { label: format!("{}, 96 kHz", c.label), timing: v, rate_hz: 96_000.0, note: String::new() });
            let (v, _) = time_config(&bundle, c, RATE_HZ, BLOCK, Input::SilenceAfterLoud);
            verdicts.push((format!("{} silence after loud vs loud", c.label), v.median / t.median, 1.2));
            rows.push(Row { label: format!("{}, silence after loud", c.label), timing: v, rate_hz: RATE_HZ, note: format!("{:.2}x loud", v.median / t.median) });
            let (v, _) = time_config(&bundle, c, RATE_HZ, BLOCK, Input::Denormal);
            verdicts.push((format!("{} denormal vs normal input", c.label), v.median / t.median, 1.5));
            rows.push(Row { label: format!("{}, denormal input", c.label), timing: v, rate_hz: RATE_HZ, note: format!("{:.2}x normal input", v.median / t.median) });
        }
    }
    let report = report(&rows, floor, &memory, &verdicts);
    println!("{report}");
    if let Some(md) = arg(&args, "--markdown") {
        std::fs::write(&md, &report).unwrap_or_else(|e| panic!("{md}: {e}"));
        eprintln!("clap-bench: wrote {md}");
    }
}

/// The results as Markdown tables: timings, targets, memory.
fn report(rows: &[Row], floor: Timing, memory: &[(&str, usize)], verdicts: &[(String, f64, f64)]) -> String {
    let mut s = String::new();
    let _ = writeln!(s, "| row | median ns/frame | min | max | x floor | realtime factor | note |");
    let _ = writeln!(s, "|---|---|---|---|---|---|---|");
    for r in rows {
        let t = r.timing;
        let realtime = 1e9 / r.rate_hz / t.median;
        let _ = writeln!(s, "| {} | {:.1} | {:.1} | {:.1} | {:.0}x | {:.0} | {} |", r.label, t.median, t.min, t.max, t.median / floor.median, realtime, r.note);
    }
    let _ = writeln!(s, "\n| target (issue 6; denormal input: issue 7) | measured | target | met |");
    let _ = writeln!(s, "|---|---|---|---|");
    for (what, measured, target) in verdicts {
        let ratio = what.contains(" vs ");
        let unit = if ratio { "x" } else { " ns" };
        let _ = writeln!(s, "| {what} | {measured:.2}{unit} | <= {target}{unit} | {} |", if measured <= target { "yes" } else { "**no**" });
    }
    let _ = writeln!(s, "\n| instance (after activate, no editor) | heap held | target <= 2 MB |");
    let _ = writeln!(s, "|---|---|---|");
    for (label, bytes) in memory {
        let unmask = label.contains("Unmask");
        let met = if unmask { "(exempt)" } else if *bytes <= 2 << 20 { "yes" } else { "**no**" };
        let _ = writeln!(s, "| {label} | {:.2} MB | {met} |", *bytes as f64 / (1 << 20) as f64);
    }
    s
}
