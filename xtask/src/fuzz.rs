//! `cargo xtask fuzz [TARGET] [SECONDS] [--no-build]`: coverage-guided fuzzing of the plugins with
//! the targets in `fuzz/`, on the stable toolchain (no cargo-fuzz, no nightly).
//!
//! 1. The plugins are built as shared libraries with libFuzzer's sanitizer-coverage flags, debug
//!    assertions and `assert_process_allocs`, into `target/fuzz-plugins`.
//! 2. The fuzz targets are built with the same flags into `target/fuzz`; they link libFuzzer
//!    (libfuzzer-sys) and export its `__sanitizer_cov_*` callbacks (fuzz/build.rs), which the
//!    plugin libraries call once loaded, so coverage inside the plugins guides the fuzzer.
//! 3. Each target (or the one named) runs for SECONDS (default 60), all at once (each libFuzzer
//!    process uses one core), on the corpus in
//!    `target/fuzz-corpus/<target>`, seeded from `fuzz/corpus/<target>` and with seeds the target
//!    writes from the current plugins. libFuzzer's output goes to `target/fuzz-logs/<target>.log`;
//!    crashes, hangs and out-of-memory inputs go to `target/fuzz-artifacts/<target>/`, and any of
//!    them fails the task with the reproducer's path and its re-run with the plugins' log on.
//!
//! SECONDS = 0 only builds. `--no-build` runs what an earlier call built. Linux only (ELF symbol
//! export; libFuzzer's support for coverage in loaded libraries).

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use crate::plugins::{plugin_packages, run, workspace_root};

/// The fuzz targets, in the order they run.
const TARGETS: &[&str] = &["state_load", "dsp_params"];

/// Seconds per target when none are given.
const DEFAULT_SECONDS: u64 = 60;

/// Seconds one input may take before libFuzzer calls it a hang.
const TIMEOUT_SECONDS: u64 = 20;

/// Memory one fuzz process may use before libFuzzer calls it out of memory, in MiB.
const RSS_LIMIT_MIB: u64 = 2048;

/// cargo-fuzz's coverage instrumentation, all of it stable `-C` flags: 8-bit edge counters, the
/// PC table, and comparison tracing so that libFuzzer learns the values the code compares with.
const SANCOV_FLAGS: &[&str] = &[
    "--cfg",
    "fuzzing",
    "-Cpasses=sancov-module",
    "-Cllvm-args=-sanitizer-coverage-level=4",
    "-Cllvm-args=-sanitizer-coverage-inline-8bit-counters",
    "-Cllvm-args=-sanitizer-coverage-pc-table",
    "-Cllvm-args=-sanitizer-coverage-trace-compares",
];

/// Profile settings of the instrumented plugin build (the dev profile, so debug assertions and
/// overflow checks stay on and `assert_process_allocs` acts). The workspace's crates, where the DSP
/// and the monomorphised nice-plug wrapper live, are optimised; dependencies and editor-widgets
/// (mostly the editors' GUI stack, never run here) are not, which keeps the build short. The build
/// is nearly always from scratch (CI), where incremental compilation only costs time.
const PLUGIN_PROFILE: &[&str] = &[
    "profile.dev.opt-level=2",
    "profile.dev.debug=\"line-tables-only\"",
    "profile.dev.incremental=false",
    "profile.dev.package.\"*\".opt-level=0",
    "profile.dev.package.\"*\".debug=false",
    "profile.dev.package.editor-widgets.opt-level=0",
];

/// Environment variable naming the plugin libraries to load (read by fuzz/src/plugins.rs).
const PLUGINS_ENV: &str = "STEM_FUZZ_PLUGINS";

/// Environment variable naming the directory the targets write their seeds into (fuzz/src/seeds.rs).
const SEEDS_ENV: &str = "STEM_FUZZ_WRITE_SEEDS";

fn cargo() -> Command {
    Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
}

/// The host's target triple. Builds name it explicitly so that RUSTFLAGS reach only the target
/// code: instrumented build scripts and proc macros would not load into rustc.
fn host_triple() -> Result<String, String> {
    let rustc = std::env::var("RUSTC").unwrap_or_else(|_| "rustc".into());
    let out = Command::new(&rustc)
        .arg("-vV")
        .output()
        .map_err(|e| format!("{rustc} -vV: {e}"))?;
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .find_map(|l| l.strip_prefix("host: ").map(str::to_owned))
        .ok_or_else(|| "rustc -vV names no host triple".into())
}

/// `CARGO_ENCODED_RUSTFLAGS` for the coverage flags plus `extra`.
fn encoded_rustflags(extra: &[&str]) -> String {
    SANCOV_FLAGS
        .iter()
        .chain(extra)
        .copied()
        .collect::<Vec<_>>()
        .join("\x1f")
}

/// Builds every plugin library with coverage into `target/fuzz-plugins`; returns their paths.
fn build_plugins(root: &Path, triple: &str, build: bool) -> Result<Vec<PathBuf>, String> {
    let packages = plugin_packages()?;
    if build {
        let mut cmd = cargo();
        cmd.current_dir(root).args([
            "build",
            "--lib",
            "--target",
            triple,
            "--target-dir",
            "target/fuzz-plugins",
        ]);
        for p in &packages {
            cmd.args(["-p", p]);
        }
        let features: Vec<String> = packages.iter().map(|p| format!("{p}/assert_process_allocs")).collect();
        cmd.args(["--features", &features.join(",")]);
        for setting in PLUGIN_PROFILE {
            cmd.args(["--config", setting]);
        }
        cmd.env("CARGO_ENCODED_RUSTFLAGS", encoded_rustflags(&[]));
        run(&mut cmd)?;
    }
    let dir = root.join("target/fuzz-plugins").join(triple).join("debug");
    let libs: Vec<PathBuf> = packages
        .iter()
        .map(|p| {
            dir.join(format!(
                "{}{p}{}",
                std::env::consts::DLL_PREFIX,
                std::env::consts::DLL_SUFFIX
            ))
        })
        .collect();
    match libs.iter().find(|l| !l.is_file()) {
        Some(missing) => Err(format!("{} is missing: build it first", missing.display())),
        None => Ok(libs),
    }
}

/// Builds the fuzz targets with coverage into `target/fuzz`; returns the directory of the binaries.
fn build_targets(root: &Path, triple: &str, build: bool) -> Result<PathBuf, String> {
    if build {
        run(cargo()
            .current_dir(root)
            .args(["build", "--release", "--bins", "--manifest-path", "fuzz/Cargo.toml"])
            .args(["--target", triple, "--target-dir", "target/fuzz"])
            .env("CARGO_ENCODED_RUSTFLAGS", encoded_rustflags(&[])))?;
    }
    Ok(root.join("target/fuzz").join(triple).join("release"))
}

/// The files in `dir` (none if it does not exist).
fn files_in(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|d| d.flatten().map(|e| e.path()).collect())
        .unwrap_or_default();
    files.sort();
    files
}

/// The lines of libFuzzer's log worth showing when all went well.
fn summary(log: &str) -> Vec<&str> {
    log.lines()
        .filter(|l| l.contains("INITED") || l.contains("DONE") || l.starts_with("stat::") || l.starts_with("fuzzing "))
        .collect()
}

/// Runs one target for `seconds`; on a finding, re-runs the reproducer with the plugins' log on
/// and fails with its path.
fn run_target(root: &Path, bin_dir: &Path, target: &str, seconds: u64, libs: &[PathBuf]) -> Result<(), String> {
    let corpus = root.join("target/fuzz-corpus").join(target);
    let artifacts = root.join("target/fuzz-artifacts").join(target);
    let logs = root.join("target/fuzz-logs");
    for dir in [&corpus, &artifacts, &logs] {
        std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    }
    let log_path = logs.join(format!("{target}.log"));
    let log = std::fs::File::create(&log_path).map_err(|e| format!("{}: {e}", log_path.display()))?;
    let plugins = std::env::join_paths(libs).map_err(|e| e.to_string())?;
    let bin = bin_dir.join(target);
    let seeds = root.join("fuzz/corpus").join(target);
    let dict = root.join("fuzz").join(format!("{target}.dict"));

    let mut cmd = Command::new(&bin);
    cmd.arg(&corpus);
    if seeds.is_dir() {
        cmd.arg(&seeds);
    }
    if dict.is_file() {
        cmd.arg(format!("-dict={}", dict.display()));
    }
    cmd.arg(format!("-max_total_time={seconds}"))
        .arg(format!("-timeout={TIMEOUT_SECONDS}"))
        .arg(format!("-rss_limit_mb={RSS_LIMIT_MIB}"))
        .arg(format!("-artifact_prefix={}/", artifacts.display()))
        .arg("-print_final_stats=1")
        .env(PLUGINS_ENV, &plugins)
        .env(SEEDS_ENV, &corpus)
        .stdout(log.try_clone().map_err(|e| e.to_string())?)
        .stderr(log);
    // The plugins log every ignored state field and debug assertion; on every input that is noise.
    if std::env::var_os("NICE_LOG").is_none() {
        cmd.env("NICE_LOG", "/dev/null");
    }
    let before = files_in(&artifacts);
    eprintln!(
        "xtask: fuzzing {target} for {seconds} s (log: {})\nxtask: running {cmd:?}",
        log_path.display()
    );
    let started = Instant::now();
    let status = cmd.status().map_err(|e| format!("{}: {e}", bin.display()))?;
    let text = std::fs::read_to_string(&log_path).unwrap_or_default();
    let found: Vec<PathBuf> = files_in(&artifacts)
        .into_iter()
        .filter(|f| !before.contains(f))
        .collect();
    if status.success() && found.is_empty() {
        for line in summary(&text) {
            eprintln!("  {line}");
        }
        eprintln!(
            "xtask: {target}: no finding in {:.0} s",
            started.elapsed().as_secs_f64()
        );
        return Ok(());
    }

    let lines: Vec<&str> = text.lines().collect();
    eprintln!(
        "---- last lines of {}\n{}",
        log_path.display(),
        lines[lines.len().saturating_sub(60)..].join("\n")
    );
    let Some(reproducer) = found.first() else {
        return Err(format!(
            "{target} failed with {status} and left no reproducer (see {})",
            log_path.display()
        ));
    };
    eprintln!(
        "---- re-running {} with the plugins' log (NICE_LOG=stderr)",
        reproducer.display()
    );
    let _ = Command::new(&bin)
        .arg(reproducer)
        .arg(format!("-timeout={TIMEOUT_SECONDS}"))
        .arg(format!("-rss_limit_mb={RSS_LIMIT_MIB}"))
        .env(PLUGINS_ENV, &plugins)
        .env("NICE_LOG", "stderr")
        .env("RUST_BACKTRACE", "1")
        .status();
    Err(format!(
        "{target}: {} finding(s): {}\n  reproduce: {PLUGINS_ENV}={} NICE_LOG=stderr {} {}",
        found.len(),
        found
            .iter()
            .map(|f| f.display().to_string())
            .collect::<Vec<_>>()
            .join(", "),
        plugins.to_string_lossy(),
        bin.display(),
        reproducer.display()
    ))
}

/// Parses `[TARGET] [SECONDS] [--no-build]`.
fn parse(args: &[String]) -> Result<(Vec<&'static str>, u64, bool), String> {
    let mut targets: Vec<&'static str> = TARGETS.to_vec();
    let mut seconds = DEFAULT_SECONDS;
    let mut build = true;
    for arg in args {
        if arg == "--no-build" {
            build = false;
        } else if let Ok(s) = arg.parse::<u64>() {
            seconds = s;
        } else if let Some(t) = TARGETS.iter().find(|t| **t == arg.as_str()) {
            targets = vec![*t];
        } else {
            return Err(format!(
                "unknown fuzz target or option `{arg}`; targets: {}",
                TARGETS.join(", ")
            ));
        }
    }
    Ok((targets, seconds, build))
}

pub fn fuzz(args: &[String]) -> Result<(), String> {
    let (targets, seconds, build) = parse(args)?;
    let root = workspace_root();
    let triple = host_triple()?;
    let started = Instant::now();
    let libs = build_plugins(&root, &triple, build)?;
    let bin_dir = build_targets(&root, &triple, build)?;
    if build {
        eprintln!("xtask: fuzz build took {:.0} s", started.elapsed().as_secs_f64());
    }
    if seconds == 0 {
        return Ok(());
    }
    // Each libFuzzer process is single-threaded: the targets run side by side, one per core.
    let failures: Vec<String> = std::thread::scope(|s| {
        let runs: Vec<_> = targets
            .iter()
            .map(|t| {
                let (root, bin_dir, libs) = (&root, &bin_dir, &libs);
                s.spawn(move || run_target(root, bin_dir, t, seconds, libs))
            })
            .collect();
        runs.into_iter()
            .filter_map(|r| r.join().unwrap_or_else(|_| Err("a fuzz runner panicked".into())).err())
            .collect()
    });
    if failures.is_empty() {
        Ok(())
    } else {
        Err(failures.join("\n"))
    }
}
