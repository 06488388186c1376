//! Installing the bundles into the standard per-user plugin folders.
//!
//! - Linux: `~/.clap` and `~/.vst3`.
//! - macOS: `~/Library/Audio/Plug-Ins/CLAP` and `~/Library/Audio/Plug-Ins/VST3`.
//! - Windows: `%LOCALAPPDATA%\Programs\Common\CLAP` and `%LOCALAPPDATA%\Programs\Common\VST3`.

use std::path::{Path, PathBuf};

use crate::plugins::{build_all, bundles_in, workspace_root};

fn home() -> Result<PathBuf, String> {
    std::env::var_os("HOME").map(PathBuf::from).ok_or_else(|| "HOME is not set".to_owned())
}

/// The per-user (CLAP, VST3) folders of this operating system.
pub fn user_plugin_dirs() -> Result<(PathBuf, PathBuf), String> {
    if cfg!(target_os = "macos") {
        let base = home()?.join("Library/Audio/Plug-Ins");
        Ok((base.join("CLAP"), base.join("VST3")))
    } else if cfg!(target_os = "windows") {
        let local = std::env::var_os("LOCALAPPDATA").ok_or("LOCALAPPDATA is not set")?;
        let base = PathBuf::from(local).join("Programs").join("Common");
        Ok((base.join("CLAP"), base.join("VST3")))
    } else {
        let h = home()?;
        Ok((h.join(".clap"), h.join(".vst3")))
    }
}

fn copy_recursively(from: &Path, to: &Path) -> std::io::Result<()> {
    if from.is_dir() {
        std::fs::create_dir_all(to)?;
        for e in std::fs::read_dir(from)? {
            let e = e?;
            copy_recursively(&e.path(), &to.join(e.file_name()))?;
        }
        Ok(())
    } else {
        std::fs::copy(from, to).map(|_| ())
    }
}

/// Builds every plugin and copies its bundles into the per-user plugin folders, replacing old ones.
pub fn install(release: bool) -> Result<(), String> {
    build_all(release, &[])?;
    let (clap_dir, vst3_dir) = user_plugin_dirs()?;
    let (claps, vst3s) = bundles_in(&workspace_root().join("target/bundled"))?;
    for (bundles, dir) in [(claps, &clap_dir), (vst3s, &vst3_dir)] {
        std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
        for b in bundles {
            let dest = dir.join(b.file_name().expect("bundle has a name"));
            if dest.is_dir() {
                std::fs::remove_dir_all(&dest).map_err(|e| format!("{}: {e}", dest.display()))?;
            }
            copy_recursively(&b, &dest).map_err(|e| format!("{} -> {}: {e}", b.display(), dest.display()))?;
            println!("installed {}", dest.display());
        }
    }
    Ok(())
}
