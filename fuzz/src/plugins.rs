//! The plugins under test: every plugin id in every bundle named by `STEM_FUZZ_PLUGINS` (or the
//! release bundles in `target/bundled`), sorted by id so that an input picks the same plugin in
//! every run.

use std::path::PathBuf;
use std::sync::OnceLock;

use clap_host::{ClapBundle, PluginInstance};

/// Environment variable with the plugin files to load (`.clap` bundles or plugin `.so` files),
/// separated like `PATH`. `cargo xtask fuzz` points it at the coverage-instrumented builds.
pub const PLUGINS_ENV: &str = "STEM_FUZZ_PLUGINS";

/// One plugin: the bundle that holds it and its CLAP id.
pub struct Plugin {
    /// The loaded library (stays loaded for the whole run).
    pub bundle: ClapBundle,
    /// CLAP plugin id, e.g. `org.stemsuite.bus-compressor`.
    pub id: String,
}

impl Plugin {
    /// A fresh, initialised instance.
    ///
    /// # Panics
    /// If the plugin cannot be created: that is a finding, not an input to skip.
    pub fn create(&self) -> PluginInstance {
        self.bundle
            .create(&self.id)
            .unwrap_or_else(|e| panic!("creating {}: {e}", self.id))
    }
}

/// The plugin files to load: `$STEM_FUZZ_PLUGINS`, else `target/bundled/*.clap`.
fn plugin_files() -> Vec<PathBuf> {
    if let Some(list) = std::env::var_os(PLUGINS_ENV).filter(|l| !l.is_empty()) {
        return std::env::split_paths(&list).collect();
    }
    let dir = PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../target/bundled"));
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e} (build the bundles or set {PLUGINS_ENV})", dir.display()))
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "clap"))
        .collect();
    files.sort();
    files
}

/// Loads every plugin file once and lists their plugins, sorted by id.
///
/// # Panics
/// If a file does not load or no plugin is found.
pub fn all() -> &'static [Plugin] {
    static PLUGINS: OnceLock<Vec<Plugin>> = OnceLock::new();
    PLUGINS.get_or_init(|| {
        let mut plugins = Vec::new();
        for file in plugin_files() {
            let bundle = ClapBundle::load(&file).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
            for d in bundle.descriptors() {
                plugins.push(Plugin {
                    bundle: bundle.clone(),
                    id: d.id.clone(),
                });
            }
        }
        assert!(!plugins.is_empty(), "no plugin found (set {PLUGINS_ENV})");
        plugins.sort_by(|a, b| a.id.cmp(&b.id));
        eprintln!(
            "fuzzing {} plugins: {}",
            plugins.len(),
            plugins.iter().map(|p| p.id.as_str()).collect::<Vec<_>>().join(", ")
        );
        plugins
    })
}

/// The plugin an input byte selects.
pub fn pick(selector: u8) -> &'static Plugin {
    let plugins = all();
    &plugins[selector as usize % plugins.len()]
}
