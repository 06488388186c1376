//! Preset files: the factory presets in `presets/<package>.json` and user preset files, read as
//! (stable parameter id, value) pairs.
//!
//! Factory file: `{"format":"stem-suite-factory-presets","version":1,"plugin":"<CLAP id>",
//! "presets":[{"name":"Drums","values":{"thresh":-18.0,"key":"Internal"}}]}`.
//! User file: `{"format":"stem-suite-preset","version":1,"plugin":"<CLAP id>","name":"...",
//! "values":{...}}`. Values are plain numbers for continuous parameters (the parameter's own unit:
//! dB, ms, Hz, or 0..1 for a percentage) and display text for stepped ones.

use std::path::Path;

use serde::Deserialize;

use super::session::list;

/// `format` of a factory preset file.
pub const FACTORY_FORMAT: &str = "stem-suite-factory-presets";
/// `format` of a user preset file.
pub const USER_FORMAT: &str = "stem-suite-preset";
/// The file version this renderer reads.
pub const VERSION: u32 = 1;

/// One stored value.
#[derive(Debug, Clone, PartialEq)]
pub enum PresetValue {
    /// Plain value of a continuous parameter, in the parameter's own unit (0..1 for percentages).
    Plain(f64),
    /// Display text of a stepped parameter.
    Text(String),
}

/// A preset's values by stable parameter id, in file order.
pub type PresetValues = Vec<(String, PresetValue)>;

#[derive(Deserialize)]
struct FactoryFile {
    format: String,
    version: u32,
    plugin: String,
    presets: Vec<NamedValues>,
}

#[derive(Deserialize)]
struct NamedValues {
    name: String,
    values: serde_json::Map<String, serde_json::Value>,
}

#[derive(Deserialize)]
struct UserFile {
    format: String,
    version: u32,
    plugin: String,
    #[serde(flatten)]
    preset: NamedValues,
}

fn values(map: &serde_json::Map<String, serde_json::Value>) -> Result<PresetValues, String> {
    map.iter()
        .map(|(id, v)| {
            let value = match v {
                serde_json::Value::Number(n) => PresetValue::Plain(n.as_f64().ok_or_else(|| format!("`{id}`: {n} is not a number"))?),
                serde_json::Value::String(s) => PresetValue::Text(s.clone()),
                serde_json::Value::Bool(b) => PresetValue::Text(if *b { "On" } else { "Off" }.into()),
                other => return Err(format!("`{id}` = {other}: expected a number or text")),
            };
            Ok((id.clone(), value))
        })
        .collect()
}

fn check_header(format: &str, version: u32, expected_format: &str) -> Result<(), String> {
    if format != expected_format {
        return Err(format!("format is \"{format}\", expected \"{expected_format}\""));
    }
    if version != VERSION {
        return Err(format!("version {version}; this renderer reads version {VERSION}"));
    }
    Ok(())
}

/// The factory preset `name` of plugin `plugin_id` (shown as `plugin_name` in errors), looked up in
/// every `*.json` factory preset file in `dir`.
pub fn factory_preset(dir: &Path, plugin_id: &str, plugin_name: &str, name: &str) -> Result<PresetValues, String> {
    let entries = std::fs::read_dir(dir).map_err(|e| {
        format!("factory preset `{name}`: cannot read the preset folder {}: {e} (pass --presets DIR)", dir.display())
    })?;
    let mut files: Vec<_> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    files.sort();
    let mut unreadable = Vec::new();
    for path in files {
        let parsed = std::fs::read_to_string(&path)
            .map_err(|e| e.to_string())
            .and_then(|t| serde_json::from_str::<FactoryFile>(&t).map_err(|e| e.to_string()));
        let file = match parsed {
            Ok(f) => f,
            Err(e) => {
                unreadable.push(format!("{}: {e}", path.display()));
                continue;
            }
        };
        if file.plugin != plugin_id {
            continue;
        }
        check_header(&file.format, file.version, FACTORY_FORMAT).map_err(|e| format!("{}: {e}", path.display()))?;
        return match file.presets.iter().find(|p| p.name == name) {
            Some(p) => values(&p.values).map_err(|e| format!("{}, preset `{name}`: {e}", path.display())),
            None => Err(format!(
                "unknown factory preset `{name}` for {plugin_name}; {} has: {}",
                path.display(),
                list(file.presets.iter().map(|p| format!("\"{}\"", p.name)))
            )),
        };
    }
    let mut msg = format!(
        "factory preset `{name}`: no factory preset file for {plugin_name} ({plugin_id}) in {}",
        dir.display()
    );
    if !unreadable.is_empty() {
        msg += &format!(" (unreadable: {})", unreadable.join("; "));
    }
    Err(msg)
}

/// The values of the user preset file at `path`, which must be for `plugin_id`.
pub fn user_preset(path: &Path, plugin_id: &str) -> Result<PresetValues, String> {
    let what = |e: String| format!("preset file {}: {e}", path.display());
    let text = std::fs::read_to_string(path).map_err(|e| what(e.to_string()))?;
    let file: UserFile = serde_json::from_str(&text).map_err(|e| what(e.to_string()))?;
    check_header(&file.format, file.version, USER_FORMAT).map_err(what)?;
    if file.plugin != plugin_id {
        return Err(what(format!("it is a preset for {}, not {plugin_id}", file.plugin)));
    }
    values(&file.preset.values).map_err(what)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::inputs::tests::temp_dir;

    const BUS: &str = "org.stemsuite.bus-compressor";

    fn factory_dir(tag: &str) -> std::path::PathBuf {
        let d = temp_dir(tag);
        std::fs::write(
            d.join("bus_compressor.json"),
            r#"{"format":"stem-suite-factory-presets","version":1,"plugin":"org.stemsuite.bus-compressor",
                "presets":[{"name":"Drums","values":{"thresh":-18.0,"key":"Internal"}},
                           {"name":"Full Mix","values":{"thresh":-24,"mix":1.0}}]}"#,
        )
        .unwrap();
        std::fs::write(
            d.join("de_esser.json"),
            r#"{"format":"stem-suite-factory-presets","version":1,"plugin":"org.stemsuite.de-esser","presets":[]}"#,
        )
        .unwrap();
        d
    }

    #[test]
    fn finds_a_factory_preset_by_plugin_and_name() {
        let d = factory_dir("factory-ok");
        let v = factory_preset(&d, BUS, "Stem Bus Compressor", "Drums").unwrap();
        assert!(v.contains(&("thresh".into(), PresetValue::Plain(-18.0))));
        assert!(v.contains(&("key".into(), PresetValue::Text("Internal".into()))));
    }

    #[test]
    fn refuses_an_unknown_factory_preset_listing_the_names() {
        let d = factory_dir("factory-unknown");
        let e = factory_preset(&d, BUS, "Stem Bus Compressor", "Vocals").unwrap_err();
        for n in ["unknown factory preset `Vocals`", "Stem Bus Compressor", "\"Drums\"", "\"Full Mix\""] {
            assert!(e.contains(n), "{e:?} should mention {n:?}");
        }
    }

    #[test]
    fn refuses_a_plugin_without_factory_presets() {
        let d = factory_dir("factory-none");
        let e = factory_preset(&d, "org.stemsuite.transient-clipper", "Stem Transient Clipper", "Drums").unwrap_err();
        assert!(e.contains("no factory preset file for Stem Transient Clipper"), "{e}");
        let e = factory_preset(&d.join("missing"), BUS, "Stem Bus Compressor", "Drums").unwrap_err();
        assert!(e.contains("cannot read the preset folder"), "{e}");
    }

    #[test]
    fn reads_a_user_preset_and_refuses_foreign_ones() {
        let d = temp_dir("user");
        let p = d.join("mine.json");
        std::fs::write(&p, r#"{"format":"stem-suite-preset","version":1,"plugin":"org.stemsuite.bus-compressor","name":"Mine","values":{"ratio":4.0}}"#).unwrap();
        assert_eq!(user_preset(&p, BUS).unwrap(), vec![("ratio".into(), PresetValue::Plain(4.0))]);
        let e = user_preset(&p, "org.stemsuite.de-esser").unwrap_err();
        assert!(e.contains("mine.json") && e.contains("not org.stemsuite.de-esser"), "{e}");
        std::fs::write(&p, r#"{"format":"other","version":1,"plugin":"x","name":"n","values":{}}"#).unwrap();
        assert!(user_preset(&p, BUS).unwrap_err().contains("format"));
        let e = user_preset(&d.join("nope.json"), BUS).unwrap_err();
        assert!(e.contains("nope.json"), "{e}");
    }
}
