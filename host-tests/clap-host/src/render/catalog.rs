//! The plugins on offer: every `.clap` in the bundle folder, looked up by display name or CLAP id.

use std::path::{Path, PathBuf};

use crate::{clap_files_in, ClapBundle, PluginDescriptor};

/// Loaded bundles and the plugins they offer.
pub struct Catalog {
    /// The folder the bundles came from (for errors).
    dir: PathBuf,
    /// Each plugin with the bundle that offers it, in bundle order.
    plugins: Vec<(ClapBundle, PluginDescriptor)>,
    /// Bundles that failed to load, with the reason (named when a plugin is not found).
    unloadable: Vec<String>,
}

impl Catalog {
    /// Loads every `.clap` file in `dir`. A file that fails to load (say, one being rebuilt) is
    /// skipped, and named if a session asks for a plugin no loaded bundle offers.
    pub fn load(dir: &Path) -> Result<Catalog, String> {
        if !dir.is_dir() {
            return Err(format!(
                "bundle folder {} not found; build the bundles first (cargo xtask build-all) or pass --bundles DIR",
                dir.display()
            ));
        }
        let files = clap_files_in(dir);
        if files.is_empty() {
            return Err(format!("no .clap bundles in {}; build them with cargo xtask build-all", dir.display()));
        }
        let mut plugins = Vec::new();
        let mut unloadable = Vec::new();
        for path in files {
            match ClapBundle::load(&path) {
                Ok(bundle) => {
                    for d in bundle.descriptors() {
                        plugins.push((bundle.clone(), d.clone()));
                    }
                }
                Err(e) => unloadable.push(format!("{}: {e}", path.display())),
            }
        }
        Ok(Catalog { dir: dir.to_path_buf(), plugins, unloadable })
    }

    /// A catalog offering nothing (for tests of the refusal).
    pub fn empty(dir: &Path) -> Catalog {
        Catalog { dir: dir.to_path_buf(), plugins: Vec::new(), unloadable: Vec::new() }
    }

    /// The plugin whose display name or CLAP id is `name` (ASCII case ignored).
    pub fn find(&self, name: &str) -> Result<(&ClapBundle, &PluginDescriptor), String> {
        self.plugins
            .iter()
            .find(|(_, d)| d.name.eq_ignore_ascii_case(name) || d.id.eq_ignore_ascii_case(name))
            .map(|(b, d)| (b, d))
            .ok_or_else(|| {
                let offered: Vec<String> =
                    self.plugins.iter().map(|(_, d)| format!("\"{}\" ({})", d.name, d.id)).collect();
                let mut msg = format!(
                    "unknown plugin `{name}`; the bundles in {} offer: {}",
                    self.dir.display(),
                    if offered.is_empty() { "nothing".into() } else { offered.join(", ") }
                );
                if !self.unloadable.is_empty() {
                    msg += &format!(" (could not load: {})", self.unloadable.join("; "));
                }
                msg
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_an_unknown_plugin_naming_the_folder() {
        let e = Catalog::empty(Path::new("/b")).find("Stem Bus Compresor").err().unwrap();
        assert!(e.contains("unknown plugin `Stem Bus Compresor`") && e.contains("/b"), "{e}");
    }

    #[test]
    fn refuses_a_missing_bundle_folder() {
        let e = Catalog::load(Path::new("/nonexistent/bundled")).err().unwrap();
        assert!(e.contains("/nonexistent/bundled") && e.contains("build-all"), "{e}");
    }
}
