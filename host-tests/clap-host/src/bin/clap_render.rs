//! `clap-render` (run by `cargo xtask render SESSION.toml`): renders a stem session through the
//! suite's CLAP plugins offline, with key routing and latency removed, and writes the processed
//! stems, their sum, a gain-change plot per instance and `summary.md` (see `clap_host::render`).
//!
//! Usage: `clap-render SESSION.toml [--out DIR] [--block N] [--bundles DIR] [--presets DIR] [--quiet]`
//! * `--out DIR`: output folder (default: the session's `output`, relative to the session file);
//! * `--block N`: frames per `process()` call (default 512);
//! * `--bundles DIR`: folder of the `.clap` bundles (default `target/bundled`);
//! * `--presets DIR`: folder of the factory preset files (default `presets`);
//! * `--quiet`: no progress bars.
//!
//! Prints the summary on stdout. Exit status: 0 when every check passes, 1 when a check fails,
//! 2 when the session is refused (or a plugin fails) before the checks.

use std::path::PathBuf;
use std::process::ExitCode;

use clap_host::render::{render, Options, Session, DEFAULT_BLOCK};

const USAGE: &str =
    "usage: clap-render SESSION.toml [--out DIR] [--block N] [--bundles DIR] [--presets DIR] [--quiet]";

/// The command line, parsed.
struct Args {
    session: PathBuf,
    options: Options,
}

fn parse_args(args: &[String]) -> Result<Args, String> {
    let mut session = None;
    let mut options = Options {
        bundles: PathBuf::from("target/bundled"),
        presets: PathBuf::from("presets"),
        out: None,
        block: DEFAULT_BLOCK,
        progress: true,
    };
    let mut it = args.iter();
    while let Some(a) = it.next() {
        let mut value = |name: &str| it.next().cloned().ok_or_else(|| format!("{name} needs a value"));
        match a.as_str() {
            "--out" => options.out = Some(PathBuf::from(value("--out")?)),
            "--bundles" => options.bundles = PathBuf::from(value("--bundles")?),
            "--presets" => options.presets = PathBuf::from(value("--presets")?),
            "--block" => {
                let v = value("--block")?;
                options.block = v.parse().ok().filter(|&b| b > 0).ok_or_else(|| format!("--block wants a positive whole number, not {v:?}"))?;
            }
            "--quiet" => options.progress = false,
            "-h" | "--help" => return Err(USAGE.into()),
            s if s.starts_with('-') => return Err(format!("unknown option {s}\n{USAGE}")),
            s if session.is_none() => session = Some(PathBuf::from(s)),
            s => return Err(format!("one session at a time ({s} is extra)\n{USAGE}")),
        }
    }
    Ok(Args { session: session.ok_or(USAGE)?, options })
}

fn main() -> ExitCode {
    let argv: Vec<String> = std::env::args().skip(1).collect();
    let args = match parse_args(&argv) {
        Ok(a) => a,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::from(2);
        }
    };
    let result = Session::load(&args.session).and_then(|s| render(&s, &args.options));
    match result {
        Ok(summary) => {
            println!("{}", summary.to_markdown());
            eprintln!("clap-render: wrote {}", summary.out_dir.display());
            if summary.passed() {
                ExitCode::SUCCESS
            } else {
                eprintln!("clap-render: {} check(s) failed", summary.checks.iter().filter(|c| !c.passed).count());
                ExitCode::from(1)
            }
        }
        Err(e) => {
            eprintln!("clap-render: session refused: {e}");
            ExitCode::from(2)
        }
    }
}
