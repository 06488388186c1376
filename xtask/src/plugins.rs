//! The list of plugin packages (from bundler.toml) and building all of their bundles.

use std::path::{Path, PathBuf};
use std::process::Command;

/// The workspace root (the parent of this crate's directory).
pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("xtask lives in the workspace").to_path_buf()
}

/// Plugin package names, in bundler.toml order: every `[package]` table there is a plugin.
pub fn plugin_packages() -> Result<Vec<String>, String> {
    let path = workspace_root().join("bundler.toml");
    let text = std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
    let packages: Vec<String> = text
        .lines()
        .filter_map(|l| l.trim().strip_prefix('[')?.strip_suffix(']').map(str::to_owned))
        .collect();
    if packages.is_empty() {
        return Err("bundler.toml names no plugin".into());
    }
    Ok(packages)
}

/// Bundles every plugin into `target/bundled`, release or debug, with extra cargo arguments.
pub fn build_all(release: bool, extra: &[String]) -> Result<(), String> {
    let mut args = vec!["bundle".to_owned()];
    for p in plugin_packages()? {
        args.push("-p".into());
        args.push(p);
    }
    if release {
        args.push("--release".into());
    }
    args.extend_from_slice(extra);
    nice_plug_xtask::main_with_args("cargo xtask", args).map_err(|e| format!("bundling failed: {e:#}"))
}

/// Runs a command, failing with its name if it does not succeed.
pub fn run(cmd: &mut Command) -> Result<(), String> {
    eprintln!("xtask: running {cmd:?}");
    let status = cmd.status().map_err(|e| format!("could not start {cmd:?}: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("{cmd:?} failed with {status}"))
    }
}

/// The bundles produced in `dir`: (.clap files, .vst3 directories).
pub fn bundles_in(dir: &Path) -> Result<(Vec<PathBuf>, Vec<PathBuf>), String> {
    let mut clap = Vec::new();
    let mut vst3 = Vec::new();
    let entries = std::fs::read_dir(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    for e in entries.flatten() {
        let p = e.path();
        match p.extension().and_then(|x| x.to_str()) {
            Some("clap") => clap.push(p),
            Some("vst3") => vst3.push(p),
            _ => {}
        }
    }
    clap.sort();
    vst3.sort();
    Ok((clap, vst3))
}
