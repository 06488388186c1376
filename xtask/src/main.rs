//! Project tasks: bundling (nice-plug-xtask), building and installing every plugin, and the full
//! test suite including real-host tests.

mod bench;
mod fuzz;
mod install;
mod plugins;
mod render;
mod soak;
mod test;

use std::process::ExitCode;

const USAGE: &str = "Usage:
  cargo xtask build-all [--debug]     bundle every plugin (CLAP + VST3) into target/bundled
  cargo xtask install [--debug]       build-all, then copy the bundles into the per-user plugin folders
  cargo xtask test                    the whole test suite: unit, DSP, CLAP host, VST3 hosts, GUI
  cargo xtask setup                   only install the host-test dependencies (Debian packages, venv)
  cargo xtask aliasing                measure the clipper's aliasing, write docs/ALIASING.md
  cargo xtask bench                   time every plugin (CLAP host) and DSP unit, write docs/BENCHMARKS.md
  cargo xtask fuzz [TARGET] [SECONDS] [--no-build]  build and run the fuzz targets in fuzz/ (default: each for 60 s; 0 only builds)
  cargo xtask soak [MINUTES]          an hour (default) of audio per plugin with random automation
  cargo xtask render SESSION.toml [--out DIR] [--block N] [--bundles DIR] [--presets DIR] [--no-build] [--quiet]
                                      render a stem session through the plugins (headless), run its checks
  cargo xtask bundle <pkg> [--release]  nice-plug-xtask's bundler (any cargo build option)";

/// `cargo xtask aliasing`: runs the aliasing example in release and writes its table to docs/ALIASING.md.
fn aliasing() -> Result<(), String> {
    let root = plugins::workspace_root();
    let out = std::process::Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
        .current_dir(&root)
        .args(["run", "--release", "-q", "-p", "shared-dsp", "--example", "aliasing_table"])
        .output()
        .map_err(|e| format!("cargo: {e}"))?;
    if !out.status.success() {
        return Err(format!("aliasing_table failed: {}", String::from_utf8_lossy(&out.stderr)));
    }
    let table = String::from_utf8(out.stdout).map_err(|e| e.to_string())?;
    print!("{table}");
    let path = root.join("docs/ALIASING.md");
    std::fs::write(&path, table).map_err(|e| format!("{}: {e}", path.display()))?;
    eprintln!("wrote {}", path.display());
    Ok(())
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("build-all") => plugins::build_all(!args.iter().any(|a| a == "--debug"), &[]),
        Some("install") => install::install(!args.iter().any(|a| a == "--debug")),
        Some("test") => test::run_all(&args[1..]),
        Some("setup") => test::setup(),
        Some("aliasing") => aliasing(),
        Some("bench") => bench::bench(),
        Some("fuzz") => fuzz::fuzz(&args[1..]),
        Some("soak") => soak::soak(&args[1..]),
        Some("render") => render::render(&args[1..]),
        Some("bundle") | Some("bundle-universal") => {
            nice_plug_xtask::main_with_args("cargo xtask", args).map_err(|e| format!("{e:#}"))
        }
        _ => {
            eprintln!("{USAGE}");
            return ExitCode::from(2);
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("xtask: {e}");
            ExitCode::FAILURE
        }
    }
}
