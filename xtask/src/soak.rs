//! `cargo xtask soak [MINUTES]`: builds the release bundles, then runs `clap-soak` (release) over
//! every plugin for MINUTES (default 60) of audio each with random automation, and fails if any
//! plugin outputs NaN/Inf, grows its heap or slows down (see host-tests/clap-host/src/bin/clap_soak.rs).

use std::process::Command;

use crate::plugins::{build_all, run, workspace_root};

/// Minutes of audio per plugin when none are given: the hour.
const DEFAULT_MINUTES: u32 = 60;

pub fn soak(args: &[String]) -> Result<(), String> {
    let minutes = match args {
        [] => DEFAULT_MINUTES,
        [m] => m.parse::<u32>().ok().filter(|&m| m > 0).ok_or_else(|| format!("MINUTES must be a positive whole number, not {m:?}"))?,
        _ => return Err("usage: cargo xtask soak [MINUTES]".into()),
    };
    let root = workspace_root();
    build_all(true, &[])?;
    run(Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
        .current_dir(&root)
        .args(["run", "--release", "-q", "-p", "clap-host", "--bin", "clap-soak", "--"])
        .arg("--bundles")
        .arg(root.join("target/bundled"))
        .args(["--minutes", &minutes.to_string()]))
}
