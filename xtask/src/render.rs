//! `cargo xtask render SESSION.toml`: builds the release bundles, then renders the stem session
//! through them with `clap-render` (release; see host-tests/clap-host/src/render/), which writes the
//! processed stems, their sum, a gain-change plot per instance and summary.md, and fails if a check
//! of the session fails.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::plugins::{build_all, run, workspace_root};

const USAGE: &str = "usage: cargo xtask render SESSION.toml [--out DIR] [--block N] [--bundles DIR] [--presets DIR] [--no-build] [--quiet]";

/// `path` made absolute against `cwd` (the renderer runs from the workspace root).
fn absolute(cwd: &Path, path: &str) -> PathBuf {
    cwd.join(path)
}

pub fn render(args: &[String]) -> Result<(), String> {
    let cwd = std::env::current_dir().map_err(|e| format!("current directory: {e}"))?;
    let root = workspace_root();
    let mut session = None;
    let mut bundles = None;
    let mut presets = root.join("presets");
    let mut passed: Vec<String> = Vec::new();
    let mut build = true;
    let mut it = args.iter();
    while let Some(a) = it.next() {
        let mut value = || it.next().cloned().ok_or_else(|| format!("{a} needs a value\n{USAGE}"));
        match a.as_str() {
            "--out" => {
                let v = value()?;
                passed.extend(["--out".into(), absolute(&cwd, &v).display().to_string()]);
            }
            "--block" => {
                let v = value()?;
                passed.extend(["--block".into(), v]);
            }
            "--bundles" => bundles = Some(absolute(&cwd, &value()?)),
            "--presets" => presets = absolute(&cwd, &value()?),
            "--no-build" => build = false,
            "--quiet" => passed.push("--quiet".into()),
            s if s.starts_with('-') => return Err(format!("unknown option {s}\n{USAGE}")),
            s if session.is_none() => session = Some(absolute(&cwd, s)),
            s => return Err(format!("one session at a time ({s} is extra)\n{USAGE}")),
        }
    }
    let session = session.ok_or(USAGE)?;
    if !session.is_file() {
        return Err(format!("session file {} not found", session.display()));
    }
    // Bundles given explicitly are used as they are; otherwise build the release bundles first.
    let bundles = match bundles {
        Some(dir) => dir,
        None => {
            if build {
                build_all(true, &[])?;
            }
            root.join("target/bundled")
        }
    };
    run(Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
        .current_dir(&root)
        .args(["run", "--release", "-q", "-p", "clap-host", "--bin", "clap-render", "--"])
        .arg(&session)
        .arg("--bundles")
        .arg(&bundles)
        .arg("--presets")
        .arg(&presets)
        .args(&passed))
}
