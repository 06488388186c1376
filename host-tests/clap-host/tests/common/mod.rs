//! Shared helpers for the CLAP host tests: finding bundles, isolating crash-prone tests in a child
//! process, test signals and measurements.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Command;

use clap_host::{ClapBundle, PluginInstance};

pub mod bad_input;
pub mod keyed;
pub mod latency_checks;
pub mod main_port;
pub mod params;
pub mod state_checks;

/// CLAP id of the plugin most tests are about.
pub const BUS_COMPRESSOR_ID: &str = "org.stemsuite.bus-compressor";

/// CLAP id of the Stem De-Esser.
pub const DE_ESSER_ID: &str = "org.stemsuite.de-esser";

/// CLAP id of the Stem Transient Clipper.
pub const TRANSIENT_CLIPPER_ID: &str = "org.stemsuite.transient-clipper";

/// CLAP id of the Stem Compressor (stereo main and sidechain).
pub const STEM_COMPRESSOR_ID: &str = "org.stemsuite.stem-compressor";

/// CLAP id of the Stem Compressor 5.1 (5.1 main and sidechain), in the same bundle.
pub const STEM_COMPRESSOR_51_ID: &str = "org.stemsuite.stem-compressor-5.1";

/// CLAP id of the Stem Null Check (stereo main = stem bus, stereo sidechain = reference mix).
pub const STEM_NULL_CHECK_ID: &str = "org.stemsuite.stem-null-check";

/// The workspace root: two levels above this crate's manifest.
pub fn workspace_root() -> PathBuf {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let root = root.canonicalize().expect("workspace root exists");
    assert!(
        root.join("Cargo.toml").is_file(),
        "no Cargo.toml at {}",
        root.display()
    );
    root
}

/// `$CLAP_HOST_BUNDLE_DIR` if set (to test bundles elsewhere), else `$CARGO_TARGET_DIR/bundled`,
/// else `<workspace>/target/bundled`.
pub fn bundled_dir() -> PathBuf {
    if let Some(dir) = std::env::var_os("CLAP_HOST_BUNDLE_DIR") {
        return PathBuf::from(dir);
    }
    match std::env::var_os("CARGO_TARGET_DIR") {
        Some(dir) => {
            let dir = PathBuf::from(dir);
            if dir.is_absolute() {
                dir
            } else {
                workspace_root().join(dir)
            }
        }
        None => workspace_root().join("target"),
    }
    .join("bundled")
}

/// True when `$CLAP_HOST_DEBUG_BUNDLES` is set: `cargo xtask test` sets it for its run on the debug
/// bundles built with `assert_process_allocs`, which process about 20x slower. Tests that only
/// measure DSP then shorten their signals or leave the measurement to the release run.
pub fn debug_bundles() -> bool {
    std::env::var_os("CLAP_HOST_DEBUG_BUNDLES").is_some()
}

/// Every `*.clap` in the bundle directory, sorted. Panics (fails the test) if there is none:
/// a missing build must never look like a pass.
pub fn clap_bundles() -> Vec<PathBuf> {
    let dir = bundled_dir();
    let mut found: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| {
            panic!(
                "cannot read {}: {e}. Run `cargo xtask bundle <plugin> --release` first",
                dir.display()
            )
        })
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "clap"))
        .collect();
    found.sort();
    assert!(
        !found.is_empty(),
        "no *.clap in {}. Run `cargo xtask bundle <plugin> --release` first",
        dir.display()
    );
    found
}

/// Loads the bundle that offers plugin `id`. Fails the test if no bundle does.
pub fn bundle_offering(id: &str) -> ClapBundle {
    let mut seen = Vec::new();
    for path in clap_bundles() {
        let bundle = ClapBundle::load(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        if bundle.descriptors().iter().any(|d| d.id == id) {
            return bundle;
        }
        seen.push(format!(
            "{} {:?}",
            path.display(),
            bundle
                .descriptors()
                .iter()
                .map(|d| &d.id)
                .collect::<Vec<_>>()
        ));
    }
    panic!("no bundle offers {id}; found {seen:?}");
}

/// Loads the bundle that offers the bus compressor. Fails the test if no bundle does.
pub fn bus_compressor_bundle() -> ClapBundle {
    bundle_offering(BUS_COMPRESSOR_ID)
}

/// A fresh bus compressor instance (inactive).
pub fn bus_compressor() -> PluginInstance {
    bus_compressor_bundle()
        .create(BUS_COMPRESSOR_ID)
        .expect("create the bus compressor")
}

/// Loads the bundle that offers the de-esser. Fails the test if no bundle does.
pub fn de_esser_bundle() -> ClapBundle {
    bundle_offering(DE_ESSER_ID)
}

/// A fresh de-esser instance (inactive, stereo layout, default settings).
pub fn de_esser() -> PluginInstance {
    de_esser_bundle()
        .create(DE_ESSER_ID)
        .expect("create the de-esser")
}

/// Loads the bundle that offers the transient clipper. Fails the test if no bundle does.
pub fn clipper_bundle() -> ClapBundle {
    bundle_offering(TRANSIENT_CLIPPER_ID)
}

/// A fresh transient clipper instance (inactive, stereo layout, default settings).
pub fn clipper() -> PluginInstance {
    clipper_bundle()
        .create(TRANSIENT_CLIPPER_ID)
        .expect("create the transient clipper")
}

/// Loads the bundle that offers the stem compressor. Fails the test if no bundle does.
pub fn stem_compressor_bundle() -> ClapBundle {
    bundle_offering(STEM_COMPRESSOR_ID)
}

/// A fresh stem compressor instance (inactive, stereo + sidechain layout, default settings).
pub fn stem_compressor() -> PluginInstance {
    stem_compressor_bundle()
        .create(STEM_COMPRESSOR_ID)
        .expect("create the stem compressor")
}

/// A fresh Stem Compressor 5.1 instance (inactive, 5.1 + 5.1 sidechain, default settings).
pub fn stem_compressor_51() -> PluginInstance {
    bundle_offering(STEM_COMPRESSOR_51_ID)
        .create(STEM_COMPRESSOR_51_ID)
        .expect("create the stem compressor 5.1")
}

/// Reads `testdata/stems-a/<name>.wav` as planar f32 and its sample rate.
pub fn stems_a(name: &str) -> (Vec<Vec<f32>>, f64) {
    let path = workspace_root()
        .join("testdata/stems-a")
        .join(format!("{name}.wav"));
    let wav = clap_host::wav::read(&path).unwrap_or_else(|e| panic!("{e}"));
    assert!(!wav.is_empty(), "{} is empty", path.display());
    (wav.channels, wav.sample_rate as f64)
}

/// [`stems_a`] for a stereo stem at `sr` Hz of at least `min_frames` frames; fails the test
/// otherwise.
pub fn stereo_stem(name: &str, sr: f64, min_frames: usize) -> Vec<Vec<f32>> {
    let (stem, rate) = stems_a(name);
    assert_eq!(rate, sr, "{name}.wav sample rate");
    assert_eq!(stem.len(), 2, "{name}.wav should be stereo");
    assert!(
        stem[0].len() >= min_frames,
        "{name}.wav is only {} frames",
        stem[0].len()
    );
    stem
}

/// Parameter settings in display units, by name.
pub type Numbers<'a> = &'a [(&'a str, f64)];
/// Parameter settings as display text, by name.
pub type Texts<'a> = &'a [(&'a str, &'a str)];

/// `signal` delayed by `latency` samples (zeros shifted in) and scaled by `gain`.
pub fn delayed(signal: &[Vec<f32>], latency: usize, gain: f32) -> Vec<Vec<f32>> {
    signal
        .iter()
        .map(|ch| {
            (0..ch.len())
                .map(|i| {
                    if i < latency {
                        0.0
                    } else {
                        gain * ch[i - latency]
                    }
                })
                .collect()
        })
        .collect()
}

/// Settings that clearly compress programme material: -30 dB threshold, 4:1, 5 ms attack, 100 ms
/// release (display units).
pub const COMPRESSING: &[(&str, f64)] =
    &[("Threshold", -30.0), ("Ratio", 4.0), ("Attack", 5.0), ("Release", 100.0)];

/// A bus compressor set to [`COMPRESSING`] with the given Key and Lookahead (ms), activated at
/// `sample_rate` Hz for blocks up to `max_block`.
pub fn compressing_instance(key: &str, lookahead_ms: f64, sample_rate: f64, max_block: u32) -> PluginInstance {
    let mut plugin = bus_compressor();
    set_params(&mut plugin, COMPRESSING, &[("Key", key)]);
    set_params(&mut plugin, &[("Lookahead", lookahead_ms)], &[]);
    plugin.activate(sample_rate, max_block).unwrap();
    plugin
}

/// `new()` with `numbers` (display units) and `texts` set; inactive.
pub fn with_settings(
    new: fn() -> PluginInstance,
    numbers: &[(&str, f64)],
    texts: &[(&str, &str)],
) -> PluginInstance {
    let mut plugin = new();
    set_params(&mut plugin, numbers, texts);
    plugin
}

/// Sets parameters given in display units (numbers) or display text, failing the test on error.
pub fn set_params(plugin: &mut PluginInstance, numbers: &[(&str, f64)], texts: &[(&str, &str)]) {
    for &(name, value) in numbers {
        plugin
            .set_param_by_name(name, value)
            .unwrap_or_else(|e| panic!("set {name} = {value}: {e}"));
    }
    for &(name, text) in texts {
        plugin
            .set_param_text(name, text)
            .unwrap_or_else(|e| panic!("set {name} = {text:?}: {e}"));
    }
}

/// Runs `body` in a child process (this same test binary, filtered to `test_name`), so a plugin
/// that aborts or segfaults fails this one test with a clear message instead of killing the whole
/// test binary. `test_name` must be the test function's name.
pub fn isolated(test_name: &str, body: impl FnOnce()) {
    const VAR: &str = "CLAP_HOST_ISOLATED_TEST";
    if std::env::var(VAR).as_deref() == Ok(test_name) {
        body();
        return;
    }
    let exe = std::env::current_exe().expect("current test executable");
    let out = Command::new(exe)
        // --include-ignored: the parent only gets here if the test was selected to run.
        .args([
            test_name,
            "--exact",
            "--include-ignored",
            "--nocapture",
            "--test-threads",
            "1",
        ])
        .env(VAR, test_name)
        .output()
        .expect("spawn the isolated test process");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    if !out.status.success() {
        #[cfg(unix)]
        let signal = {
            use std::os::unix::process::ExitStatusExt;
            out.status
                .signal()
                .map(|s| format!(" (killed by signal {s}: the plugin crashed)"))
                .unwrap_or_default()
        };
        #[cfg(not(unix))]
        let signal = String::new();
        panic!("isolated run of `{test_name}` failed: {}{signal}\n--- stdout ---\n{stdout}\n--- stderr ---\n{stderr}", out.status);
    }
    assert!(
        stdout.contains("1 passed"),
        "isolated run of `{test_name}` did not run exactly one test\n{stdout}\n{stderr}"
    );
    // Show the child's diagnostics in the parent's captured output.
    print!("{stdout}");
    eprint!("{stderr}");
}

/// A stereo sine, `amp` peak, `freq` Hz.
pub fn sine(len: usize, sr: f64, freq: f64, amp: f32) -> Vec<Vec<f32>> {
    let ch: Vec<f32> = (0..len)
        .map(|i| amp * (2.0 * std::f64::consts::PI * freq * i as f64 / sr).sin() as f32)
        .collect();
    vec![ch.clone(), ch]
}

/// Stereo zeros.
pub fn silence(len: usize) -> Vec<Vec<f32>> {
    vec![vec![0.0; len]; 2]
}

/// Root mean square over every channel in `range`.
pub fn rms(channels: &[Vec<f32>], range: std::ops::Range<usize>) -> f64 {
    let mut sum = 0.0f64;
    let mut n = 0usize;
    for ch in channels {
        for &s in &ch[range.clone()] {
            sum += s as f64 * s as f64;
            n += 1;
        }
    }
    (sum / n.max(1) as f64).sqrt()
}

pub fn db(ratio: f64) -> f64 {
    20.0 * ratio.max(1e-30).log10()
}

/// Largest absolute difference between two planar signals of the same shape.
pub fn max_abs_diff(a: &[Vec<f32>], b: &[Vec<f32>]) -> f64 {
    assert_eq!(a.len(), b.len(), "channel counts differ");
    a.iter()
        .zip(b)
        .map(|(x, y)| {
            assert_eq!(x.len(), y.len(), "lengths differ");
            x.iter()
                .zip(y)
                .map(|(p, q)| (*p as f64 - *q as f64).abs())
                .fold(0.0, f64::max)
        })
        .fold(0.0, f64::max)
}

/// Index of the first non-finite sample, as (channel, sample, value).
pub fn first_non_finite(channels: &[Vec<f32>]) -> Option<(usize, usize, f32)> {
    channels.iter().enumerate().find_map(|(c, ch)| {
        ch.iter()
            .position(|s| !s.is_finite())
            .map(|i| (c, i, ch[i]))
    })
}

/// Index of the largest absolute sample over all channels.
pub fn argmax_abs(channels: &[Vec<f32>]) -> usize {
    let mut best = (0usize, -1.0f32);
    for ch in channels {
        for (i, &s) in ch.iter().enumerate() {
            if s.abs() > best.1 {
                best = (i, s.abs());
            }
        }
    }
    best.0
}

/// The expected latency in samples for `ms` of lookahead: `round(ms * sr / 1000)`. At an exact
/// .5 tie the plugin's f32 parameter value may legitimately land on either side, so both
/// neighbours are returned then.
pub fn expected_latency(ms: f64, sr: f64) -> Vec<u32> {
    let exact = ms * sr / 1000.0;
    if (exact - exact.floor() - 0.5).abs() < 1e-9 {
        vec![exact.floor() as u32, exact.ceil() as u32]
    } else {
        vec![exact.round() as u32]
    }
}
