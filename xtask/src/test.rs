//! `cargo xtask test`: the whole suite, in the order that fails fastest.
//!
//! 1. `cargo test --workspace` (debug, `assert_process_allocs` on; DSP promise tests optimised, in the
//!    `test-release` profile: release without the LTO that only the bundles need;
//!    editor-widgets on its own, since its no-allocation test brings its own global allocator).
//! 2. Debug bundles with `assert_process_allocs` go to `target/bundled-alloc-checked`; the repo's CLAP
//!    host drives them, so any allocation inside `process()` aborts the test.
//! 3. Release bundles (what ships) go to `target/bundled`; the CLAP host tests run again on them.
//! 4. The VST3 and GUI host tests (pedalboard, DawDreamer, Ardour, Xvfb) run with pytest in a venv
//!    made from `tests/host/requirements.txt`.
//! 5. The fuzz targets in `fuzz/` run for 60 s each against coverage-instrumented plugins built
//!    with `assert_process_allocs` (`cargo xtask fuzz`).

use std::path::Path;
use std::process::Command;

use crate::plugins::{build_all, plugin_packages, run, workspace_root};

/// Debian packages the host tests need (Ardour, a virtual display, a window manager, screenshots).
/// (libgl1-mesa-dri is the software OpenGL the editors render with under Xvfb.)
const DEBIAN_PACKAGES: &[&str] =
    &["ardour", "xvfb", "openbox", "imagemagick", "xdotool", "x11-utils", "libgl1-mesa-dri", "python3-venv"];

/// Commands that prove those packages are present.
const REQUIRED_COMMANDS: &[&str] = &["ardour7-lua", "Xvfb", "openbox", "import", "xdotool", "xwininfo"];

fn cargo() -> Command {
    Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
}

fn has_command(name: &str) -> bool {
    Command::new("sh").args(["-c", &format!("command -v {name} >/dev/null 2>&1")]).status().is_ok_and(|s| s.success())
}

/// `cargo xtask setup`: everything the host tests need, installed once (Debian packages, venv).
pub fn setup() -> Result<(), String> {
    ensure_system_packages()?;
    ensure_venv(&workspace_root()).map(|_| ())
}

/// Installs missing Debian packages when running as root with apt-get; otherwise explains.
fn ensure_system_packages() -> Result<(), String> {
    let missing: Vec<_> = REQUIRED_COMMANDS.iter().filter(|c| !has_command(c)).collect();
    if missing.is_empty() {
        return Ok(());
    }
    let is_root = Command::new("id").arg("-u").output().is_ok_and(|o| o.stdout.starts_with(b"0"));
    if is_root && has_command("apt-get") {
        run(Command::new("apt-get").args(["update", "-qq"]))?;
        run(Command::new("apt-get")
            .args(["install", "-y", "-qq", "--no-install-recommends"])
            .args(DEBIAN_PACKAGES)
            .env("DEBIAN_FRONTEND", "noninteractive"))
    } else {
        Err(format!(
            "missing {missing:?}; install them with: sudo apt-get install {}",
            DEBIAN_PACKAGES.join(" ")
        ))
    }
}

/// Creates (or reuses) the venv at `target/host-venv` with the pinned host-test requirements.
fn ensure_venv(root: &Path) -> Result<std::path::PathBuf, String> {
    let venv = root.join("target/host-venv");
    let python = venv.join("bin/python");
    let req = root.join("tests/host/requirements.txt");
    let stamp = venv.join("requirements.installed");
    let wanted = std::fs::read_to_string(&req).map_err(|e| format!("{}: {e}", req.display()))?;
    if std::fs::read_to_string(&stamp).ok().as_deref() == Some(wanted.as_str()) && python.exists() {
        return Ok(python);
    }
    run(Command::new("python3").args(["-m", "venv"]).arg(&venv))?;
    run(Command::new(&python).args(["-m", "pip", "install", "-q", "-r"]).arg(&req))?;
    std::fs::write(&stamp, wanted).map_err(|e| e.to_string())?;
    Ok(python)
}

/// Runs every test. Extra arguments are passed to pytest.
pub fn run_all(pytest_args: &[String]) -> Result<(), String> {
    let root = workspace_root();
    let alloc_features: Vec<String> =
        plugin_packages()?.iter().map(|p| format!("{p}/assert_process_allocs")).collect();
    let features = alloc_features.join(",");

    let started = std::time::Instant::now();
    let stage = |name: &str| eprintln!("== {name} (at {:.0} s)", started.elapsed().as_secs_f64());
    stage("1/5 cargo test --workspace (assert_process_allocs on)");
    // NOTE: editor-widgets tests its own no-allocation promise with a counting #[global_allocator],
    // which would clash with the one assert_process_allocs installs, so it runs on its own.
    run(cargo().current_dir(&root).args([
        "test", "--workspace", "--exclude", "clap-host", "--exclude", "editor-widgets", "--features", &features,
    ]))?;
    run(cargo().current_dir(&root).args(["test", "-p", "editor-widgets"]))?;
    run(cargo().current_dir(&root).args(["test", "-p", "shared-dsp", "--profile", "test-release"]))?;

    stage("2/5 CLAP host tests on debug bundles with assert_process_allocs");
    build_all(false, &["--features".into(), features.clone()])?;
    let checked = root.join("target/bundled-alloc-checked");
    let _ = std::fs::remove_dir_all(&checked);
    std::fs::rename(root.join("target/bundled"), &checked).map_err(|e| format!("moving debug bundles: {e}"))?;
    run(cargo().current_dir(&root).args(["test", "-p", "clap-host", "--profile", "test-release"]).env("CLAP_HOST_BUNDLE_DIR", &checked).env("CLAP_HOST_DEBUG_BUNDLES", "1"))?;

    stage("3/5 CLAP host tests on release bundles");
    build_all(true, &[])?;
    run(cargo().current_dir(&root).args(["test", "-p", "clap-host", "--profile", "test-release"]))?;

    stage("4/5 VST3 hosts and GUI (pytest)");
    setup()?;
    let python = root.join("target/host-venv/bin/python");
    run(Command::new(python).current_dir(&root).args(["-m", "pytest", "tests/host", "-v"]).args(pytest_args))?;

    stage("5/5 fuzz targets, 60 s each (coverage-instrumented plugins)");
    crate::fuzz::fuzz(&[])?;
    stage("done");
    Ok(())
}
