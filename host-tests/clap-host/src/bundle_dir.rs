//! Finding bundles: the `.clap` files in a folder such as `target/bundled`.

use std::path::{Path, PathBuf};

/// Every `.clap` file in `dir`, sorted by path.
///
/// # Panics
/// If `dir` cannot be read, with a hint to build the bundles first.
pub fn clap_files_in(dir: &Path) -> Vec<PathBuf> {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}; build the bundles first (cargo xtask build-all)", dir.display()))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "clap"))
        .collect();
    entries.sort();
    entries
}
