//! Presets: values by parameter id, user preset files, and applying a preset through the host like
//! moving the controls. Factory presets come from files too (see [`crate::factory_presets`]).
//!
//! A preset names parameters by their stable id. Continuous parameters store their plain value
//! (`-18.0` for a threshold in dB); stepped ones (enums, switches) store their display text
//! (`"Lead Vocal"`, `"On"`), so files stay readable and survive reordering of an enum.
//!
//! Everything here runs on the GUI thread: reading and writing files, and [`apply`], which sends each
//! change through the host's begin/set/end gesture, exactly as a user moving the control would. The
//! audio thread only ever sees parameter values change.

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};

use nice_plug::context::gui::GuiContext;
use nice_plug::prelude::*;
use serde::{Deserialize, Serialize};

/// The `format` string of a preset file.
pub const FORMAT: &str = "stem-suite-preset";
/// The preset file version this build writes and reads.
pub const VERSION: u32 = 1;
/// Environment variable that overrides the user preset folder (tests, portable installs).
pub const DIR_OVERRIDE_ENV: &str = "STEM_SUITE_PRESET_DIR";

/// One stored parameter value.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum PresetValue {
    /// Plain value of a continuous parameter.
    Number(f32),
    /// Display text of a stepped parameter.
    Text(String),
}

/// A user preset file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PresetFile {
    /// Always [`FORMAT`].
    pub format: String,
    /// File version, [`VERSION`].
    pub version: u32,
    /// The plugin's CLAP id; a preset never loads into another plugin.
    pub plugin: String,
    /// Preset name.
    pub name: String,
    /// Values by parameter id.
    pub values: BTreeMap<String, PresetValue>,
}

/// Why a preset could not be read or applied. Nothing is applied when any of these occurs.
#[derive(Debug, Clone, PartialEq)]
pub enum PresetError {
    /// The file could not be read or written.
    Io(String),
    /// Not a preset file of this suite, or an unknown version.
    Format(String),
    /// The preset belongs to another plugin.
    WrongPlugin { expected: String, found: String },
    /// A parameter id this plugin does not have.
    UnknownParameter(String),
    /// A value that is not finite, or text the parameter does not accept.
    BadValue { id: String, value: String },
}

impl fmt::Display for PresetError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Io(e) => write!(f, "cannot read or write the preset: {e}"),
            Self::Format(e) => write!(f, "not a Stem Suite preset: {e}"),
            Self::WrongPlugin { expected, found } => write!(f, "preset is for {found}, not {expected}"),
            Self::UnknownParameter(id) => write!(f, "unknown parameter '{id}'"),
            Self::BadValue { id, value } => write!(f, "bad value '{value}' for '{id}'"),
        }
    }
}

/// A parameter change ready to send: the parameter and its normalized value.
pub type Change = (ParamPtr, f32);

/// Checks every value against `params` and turns it into a normalized change. Continuous values are
/// clamped to the parameter's range; text for a stepped one must be the display text of a step (any
/// case). Anything unknown or unreadable refuses the whole preset.
pub fn resolve(params: &dyn Params, values: &BTreeMap<String, PresetValue>) -> Result<Vec<Change>, PresetError> {
    let map: BTreeMap<String, ParamPtr> = params.param_map().into_iter().map(|(id, p, _)| (id, p)).collect();
    let mut changes = Vec::with_capacity(values.len());
    for (id, value) in values {
        let ptr = *map.get(id).ok_or_else(|| PresetError::UnknownParameter(id.clone()))?;
        let bad = || PresetError::BadValue { id: id.clone(), value: format!("{value:?}") };
        // SAFETY: the pointers come from `params.param_map()` and `params` outlives this call.
        let normalized = unsafe {
            match value {
                PresetValue::Number(x) if x.is_finite() => {
                    // A stepped parameter takes a number only when it names a step exactly: -3 for
                    // a two-step choice is refused, not clamped to its first step.
                    let n = ptr.preview_normalized(*x);
                    if ptr.step_count().is_some() && ptr.preview_plain(n) != *x {
                        return Err(bad());
                    }
                    n
                }
                PresetValue::Number(_) => return Err(bad()),
                PresetValue::Text(t) => {
                    // NOTE: nice-plug reads any text but "on"/"true" as Off for a switch, so the text
                    // must read back as the step it chose: "Onn" is refused, not taken as Off.
                    let n = ptr.string_to_normalized_value(t).ok_or_else(bad)?;
                    let stepped = ptr.step_count().is_some();
                    if stepped && !ptr.normalized_value_to_string(n, false).eq_ignore_ascii_case(t.trim()) {
                        return Err(bad());
                    }
                    n
                }
            }
        };
        if !normalized.is_finite() {
            return Err(bad());
        }
        changes.push((ptr, normalized.clamp(0.0, 1.0)));
    }
    Ok(changes)
}

/// Sends resolved changes to the host, each as a begin/set/end gesture (what a control does).
pub fn apply(gui: &GuiContext, changes: &[Change]) {
    for &(ptr, normalized) in changes {
        // SAFETY: `resolve` took the pointers from the plugin's own parameter map, which lives as
        // long as the plugin and therefore as long as the editor's context.
        unsafe {
            gui.raw_begin_set_parameter(ptr);
            gui.raw_set_parameter_normalized(ptr, normalized);
            gui.raw_end_set_parameter(ptr);
        }
    }
}

/// The current values of every parameter except the bypass, as a preset stores them.
pub fn capture(params: &dyn Params) -> BTreeMap<String, PresetValue> {
    let mut values = BTreeMap::new();
    for (id, ptr, _) in params.param_map() {
        // SAFETY: as in `resolve`.
        unsafe {
            if ptr.flags().contains(ParamFlags::BYPASS) {
                continue;
            }
            let v = if ptr.step_count().is_some() {
                PresetValue::Text(ptr.normalized_value_to_string(ptr.unmodulated_normalized_value(), false))
            } else {
                PresetValue::Number(ptr.unmodulated_plain_value())
            };
            values.insert(id, v);
        }
    }
    values
}

/// The user preset folder of one plugin: `$STEM_SUITE_PRESET_DIR/<plugin>` if set, else the
/// platform's config folder (`$XDG_CONFIG_HOME` or `~/.config` on Linux, `~/Library/Application
/// Support` on macOS, `%APPDATA%` on Windows) + `Stem Suite/Presets/<plugin>`.
pub fn user_preset_dir(plugin_folder: &str) -> Option<PathBuf> {
    if let Some(dir) = std::env::var_os(DIR_OVERRIDE_ENV) {
        return Some(PathBuf::from(dir).join(plugin_folder));
    }
    let base = if cfg!(target_os = "windows") {
        std::env::var_os("APPDATA").map(PathBuf::from)
    } else if cfg!(target_os = "macos") {
        std::env::var_os("HOME").map(|h| PathBuf::from(h).join("Library/Application Support"))
    } else {
        std::env::var_os("XDG_CONFIG_HOME")
            .map(PathBuf::from)
            .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".config")))
    }?;
    Some(base.join("Stem Suite").join("Presets").join(plugin_folder))
}

/// A file name for a preset name: letters, digits, space, `-` and `_` kept, everything else `_`.
pub fn file_name(name: &str) -> String {
    let cleaned: String =
        name.trim().chars().map(|c| if c.is_alphanumeric() || " -_".contains(c) { c } else { '_' }).collect();
    let cleaned = if cleaned.is_empty() { "Preset".to_owned() } else { cleaned };
    format!("{cleaned}.json")
}

/// Writes a preset into `dir` (created if needed), replacing a preset of the same name. Writes to
/// a temporary file first, so a crash never leaves half a preset.
pub fn save(dir: &Path, plugin: &str, name: &str, values: BTreeMap<String, PresetValue>) -> Result<PathBuf, PresetError> {
    let io = |e: std::io::Error| PresetError::Io(e.to_string());
    std::fs::create_dir_all(dir).map_err(io)?;
    let file = PresetFile { format: FORMAT.into(), version: VERSION, plugin: plugin.into(), name: name.trim().into(), values };
    let text = serde_json::to_string_pretty(&file).map_err(|e| PresetError::Format(e.to_string()))?;
    let path = dir.join(file_name(name));
    let tmp = path.with_extension("json.tmp");
    std::fs::write(&tmp, text).map_err(io)?;
    std::fs::rename(&tmp, &path).map_err(io)?;
    Ok(path)
}

/// Reads and checks a preset file for `plugin`.
pub fn load(path: &Path, plugin: &str) -> Result<PresetFile, PresetError> {
    let text = std::fs::read_to_string(path).map_err(|e| PresetError::Io(e.to_string()))?;
    let file: PresetFile = serde_json::from_str(&text).map_err(|e| PresetError::Format(e.to_string()))?;
    if file.format != FORMAT {
        return Err(PresetError::Format(format!("format '{}'", file.format)));
    }
    if file.version != VERSION {
        return Err(PresetError::Format(format!("version {} (this build reads {VERSION})", file.version)));
    }
    if file.plugin != plugin {
        return Err(PresetError::WrongPlugin { expected: plugin.into(), found: file.plugin });
    }
    Ok(file)
}

/// The preset files in `dir`, as (name from the file, path), sorted by name. Unreadable files are
/// skipped; a missing folder is an empty list.
pub fn list(dir: &Path, plugin: &str) -> Vec<(String, PathBuf)> {
    let Ok(entries) = std::fs::read_dir(dir) else { return Vec::new() };
    let mut found: Vec<(String, PathBuf)> = entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .filter_map(|p| load(&p, plugin).ok().map(|f| (f.name, p)))
        .collect();
    found.sort();
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    fn temp_dir(tag: &str) -> PathBuf {
        let d = std::env::temp_dir().join(format!("stem-suite-presets-{tag}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&d);
        d
    }

    #[test]
    fn save_list_load_round_trip() {
        let dir = temp_dir("roundtrip");
        let mut values = BTreeMap::new();
        values.insert("thresh".to_owned(), PresetValue::Number(-23.5));
        values.insert("stem".to_owned(), PresetValue::Text("Lead Vocal".into()));
        let path = save(&dir, "org.test", "My / Vocal?", values.clone()).unwrap();
        assert_eq!(path.file_name().unwrap(), "My _ Vocal_.json");
        let listed = list(&dir, "org.test");
        assert_eq!(listed, vec![("My / Vocal?".to_owned(), path.clone())]);
        let file = load(&path, "org.test").unwrap();
        assert_eq!(file.values, values);
        assert!(matches!(load(&path, "org.other"), Err(PresetError::WrongPlugin { .. })));
        assert!(list(&dir, "org.other").is_empty());
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn broken_files_are_refused() {
        let dir = temp_dir("broken");
        std::fs::create_dir_all(&dir).unwrap();
        let cases = [
            ("empty", ""),
            ("garbage", "\u{0}\u{1}not json"),
            ("truncated", "{\"format\":\"stem-suite-preset\",\"version\":1,"),
            ("future", "{\"format\":\"stem-suite-preset\",\"version\":99,\"plugin\":\"p\",\"name\":\"n\",\"values\":{}}"),
            ("foreign", "{\"format\":\"other\",\"version\":1,\"plugin\":\"p\",\"name\":\"n\",\"values\":{}}"),
            ("bad value", "{\"format\":\"stem-suite-preset\",\"version\":1,\"plugin\":\"p\",\"name\":\"n\",\"values\":{\"a\":[1]}}"),
        ];
        for (name, text) in cases {
            let path = dir.join(format!("{name}.json"));
            std::fs::write(&path, text).unwrap();
            assert!(load(&path, "p").is_err(), "{name} loaded");
        }
        assert!(list(&dir, "p").is_empty());
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
