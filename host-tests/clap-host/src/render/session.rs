//! The session file (TOML): what it may contain, and its checks of names, keys and references
//! before anything is loaded.
//!
//! ```toml
//! output = "../target/render/example"   # folder for the results, relative to this file
//!
//! [[chain.glue]]                        # a named chain, shared by stems with `chain = "glue"`
//! plugin = "Stem Bus Compressor"        # display name or CLAP id
//! key = "sum"                           # "sum", "stem:NAME" or "none" (the default)
//! preset = "Full Mix"                   # optional factory preset (presets/<package>.json)
//! preset_file = "mine.json"             # optional user preset file, relative to this file
//! params = { Threshold = -30.0, Key = "External" }  # display units or display text
//!
//! [[stem]]
//! name = "drums"
//! file = "../testdata/stems-a/drums.wav"
//! chain = "glue"                        # or inline `[[stem.plugin]]` tables
//!
//! [[check]]
//! null = ["sum", "mix"]
//! max_residual_db = -100.0
//! ```

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use super::checks::{Check, SignalRef};
use super::routing::KeyRoute;

/// Reserved output name: the sum of the processed stems that are `in_sum`.
pub const SUM: &str = "sum";

/// A parameter value as the session gives it.
#[derive(Debug, Clone, PartialEq)]
pub enum ParamValue {
    /// Display units (dB, ms, %, Hz, ratio), as `PluginInstance::set_param_by_name` takes them.
    Number(f64),
    /// Display text (`"External"`, `"On"`), as `PluginInstance::set_param_text` takes it. A TOML
    /// boolean becomes `"On"` or `"Off"`.
    Text(String),
}

/// One plugin instance of a chain.
#[derive(Debug, Clone, PartialEq)]
pub struct PluginSpec {
    /// Display name (`"Stem Bus Compressor"`) or CLAP id (`"org.stemsuite.bus-compressor"`).
    pub plugin: String,
    /// What feeds the instance's sidechain input.
    pub key: KeyRoute,
    /// Factory preset name, applied first.
    pub preset: Option<String>,
    /// User preset file (absolute), applied after the factory preset.
    pub preset_file: Option<PathBuf>,
    /// Parameter values by host-visible name, in file order, applied last.
    pub params: Vec<(String, ParamValue)>,
}

/// One input stem and its chain.
#[derive(Debug, Clone, PartialEq)]
pub struct Stem {
    /// Name of the stem; also the name of its output file (`<name>.wav`).
    pub name: String,
    /// The WAV file (absolute).
    pub file: PathBuf,
    /// Whether the stem is part of `sum` (input and output). A reference render such as the full
    /// mix sets this to false.
    pub in_sum: bool,
    /// The plugins, in processing order (may be empty: the stem passes through).
    pub chain: Vec<PluginSpec>,
}

/// A checked session. Paths are absolute (resolved against the session file's folder).
#[derive(Debug, Clone, PartialEq)]
pub struct Session {
    /// The session file's folder.
    pub dir: PathBuf,
    /// Output folder from the file, if it names one.
    pub output: Option<PathBuf>,
    /// The stems, in file order.
    pub stems: Vec<Stem>,
    /// Checks run after rendering.
    pub checks: Vec<Check>,
}

/// The file as written, before checks.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct SessionFile {
    output: Option<String>,
    #[serde(default, rename = "stem")]
    stems: Vec<StemEntry>,
    #[serde(default, rename = "chain")]
    chains: BTreeMap<String, Vec<PluginEntry>>,
    #[serde(default, rename = "check")]
    checks: Vec<CheckEntry>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct StemEntry {
    name: String,
    file: String,
    #[serde(default = "yes")]
    in_sum: bool,
    chain: Option<String>,
    #[serde(default, rename = "plugin")]
    plugins: Vec<PluginEntry>,
}

fn yes() -> bool {
    true
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct PluginEntry {
    plugin: String,
    key: Option<String>,
    preset: Option<String>,
    preset_file: Option<String>,
    #[serde(default)]
    params: toml::Table,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct CheckEntry {
    null: Option<Vec<String>>,
    aligned: Option<Vec<String>>,
    max_residual_db: Option<f64>,
    max_lag_ms: Option<f64>,
}

impl Session {
    /// Reads and checks a session file.
    pub fn load(path: impl AsRef<Path>) -> Result<Session, String> {
        let path = path.as_ref();
        let text = std::fs::read_to_string(path)
            .map_err(|e| format!("session file {}: {e}", path.display()))?;
        let dir = std::path::absolute(path)
            .map_err(|e| format!("session file {}: {e}", path.display()))?
            .parent()
            .map(Path::to_path_buf)
            .unwrap_or_default();
        Session::parse(&text, &dir).map_err(|e| format!("session file {}: {e}", path.display()))
    }

    /// Parses and checks session text; relative paths are resolved against `dir`.
    pub fn parse(text: &str, dir: &Path) -> Result<Session, String> {
        let file: SessionFile = toml::from_str(text).map_err(|e| e.to_string())?;
        if file.stems.is_empty() {
            return Err("no stems: add at least one [[stem]] with a name and a file".into());
        }
        let resolve = |p: &str| resolve_path(dir, p);

        let mut names: Vec<&str> = Vec::new();
        for s in &file.stems {
            check_stem_name(&s.name)?;
            if names.contains(&s.name.as_str()) {
                return Err(format!("two stems are named `{}`", s.name));
            }
            names.push(&s.name);
        }

        let mut stems = Vec::new();
        for s in &file.stems {
            let entries: &[PluginEntry] = match (&s.chain, s.plugins.is_empty()) {
                (Some(_), false) => {
                    return Err(format!(
                        "stem `{}` has both `chain` and [[stem.plugin]] entries; use one",
                        s.name
                    ))
                }
                (Some(c), true) => file.chains.get(c).ok_or_else(|| {
                    format!(
                        "stem `{}` uses chain `{c}`, which is not defined; defined chains: {}",
                        s.name,
                        list(file.chains.keys())
                    )
                })?,
                (None, _) => &s.plugins,
            };
            let chain = entries
                .iter()
                .enumerate()
                .map(|(i, e)| {
                    plugin_spec(e, &names, &resolve)
                        .map_err(|err| format!("stem `{}`, plugin #{} `{}`: {err}", s.name, i + 1, e.plugin))
                })
                .collect::<Result<Vec<_>, _>>()?;
            stems.push(Stem {
                name: s.name.clone(),
                file: resolve(&s.file),
                in_sum: s.in_sum,
                chain,
            });
        }

        let checks = file
            .checks
            .iter()
            .enumerate()
            .map(|(i, c)| check(c, &names, &resolve).map_err(|e| format!("check #{}: {e}", i + 1)))
            .collect::<Result<Vec<_>, _>>()?;

        Ok(Session {
            dir: dir.to_path_buf(),
            output: file.output.as_deref().map(resolve),
            stems,
            checks,
        })
    }
}

/// `path` relative to `dir` (or absolute), with `.` and `..` folded away lexically so paths print
/// cleanly (`sessions/../target` becomes `target`).
pub fn resolve_path(dir: &Path, path: &str) -> PathBuf {
    use std::path::Component;
    let mut out = PathBuf::new();
    for c in dir.join(path).components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir if matches!(out.components().next_back(), Some(Component::Normal(_))) => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

/// Stem names become file names and references (`stem:NAME`, `input:NAME`).
fn check_stem_name(name: &str) -> Result<(), String> {
    let ok_chars = name
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-' || c == '.');
    if name.is_empty() || !ok_chars || name.starts_with('.') {
        return Err(format!(
            "stem name `{name}`: use letters, digits, `_`, `-` and `.` (not first); it names the output file"
        ));
    }
    if name == SUM {
        return Err(format!("stem name `{SUM}` is reserved for the sum of the processed stems"));
    }
    Ok(())
}

fn plugin_spec(
    e: &PluginEntry,
    stems: &[&str],
    resolve: &impl Fn(&str) -> PathBuf,
) -> Result<PluginSpec, String> {
    let key = match &e.key {
        None => KeyRoute::None,
        Some(k) => KeyRoute::parse(k, stems)?,
    };
    let params = e
        .params
        .iter()
        .map(|(name, v)| {
            let value = match v {
                toml::Value::Integer(i) => ParamValue::Number(*i as f64),
                toml::Value::Float(f) => ParamValue::Number(*f),
                toml::Value::String(s) => ParamValue::Text(s.clone()),
                toml::Value::Boolean(b) => ParamValue::Text(if *b { "On" } else { "Off" }.into()),
                other => {
                    return Err(format!(
                        "parameter `{name}` = {other}: give a number (display units) or text"
                    ))
                }
            };
            Ok((name.clone(), value))
        })
        .collect::<Result<Vec<_>, String>>()?;
    Ok(PluginSpec {
        plugin: e.plugin.clone(),
        key,
        preset: e.preset.clone(),
        preset_file: e.preset_file.as_deref().map(resolve),
        params,
    })
}

fn check(
    c: &CheckEntry,
    stems: &[&str],
    resolve: &impl Fn(&str) -> PathBuf,
) -> Result<Check, String> {
    let refs = |list: &[String]| {
        list.iter()
            .map(|r| SignalRef::parse(r, stems, resolve))
            .collect::<Result<Vec<_>, _>>()
    };
    match (&c.null, &c.aligned) {
        (Some(pair), None) => {
            if c.max_lag_ms.is_some() {
                return Err("`max_lag_ms` belongs to `aligned` checks".into());
            }
            let [a, b] = pair.as_slice() else {
                return Err(format!("`null` compares exactly two signals, not {}", pair.len()));
            };
            let max_residual_db = c
                .max_residual_db
                .ok_or("a `null` check needs `max_residual_db` (e.g. -100.0)")?;
            if !max_residual_db.is_finite() {
                return Err("`max_residual_db` must be a finite number of dB".into());
            }
            let mut r = refs(&[a.clone(), b.clone()])?;
            let b = r.pop().unwrap();
            let a = r.pop().unwrap();
            Ok(Check::Null { a, b, max_residual_db })
        }
        (None, Some(list)) => {
            if c.max_residual_db.is_some() {
                return Err("`max_residual_db` belongs to `null` checks".into());
            }
            if list.len() < 2 {
                return Err("`aligned` needs at least two signals".into());
            }
            let max_lag_ms = c.max_lag_ms.unwrap_or(super::checks::DEFAULT_MAX_LAG_MS);
            if !(max_lag_ms.is_finite() && max_lag_ms > 0.0) {
                return Err("`max_lag_ms` must be a positive number of ms".into());
            }
            Ok(Check::Aligned { signals: refs(list)?, max_lag_ms })
        }
        _ => Err("give exactly one of `null = [A, B]` or `aligned = [A, B, ...]`".into()),
    }
}

/// `a, b, c`, or `(none)`.
pub(crate) fn list<T: std::fmt::Display>(items: impl IntoIterator<Item = T>) -> String {
    let items: Vec<String> = items.into_iter().map(|i| i.to_string()).collect();
    if items.is_empty() {
        "(none)".into()
    } else {
        items.join(", ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Session, String> {
        Session::parse(text, Path::new("/sessions"))
    }

    const TWO_STEMS: &str = r#"
        output = "out"
        [[stem]]
        name = "drums"
        file = "drums.wav"
        [[stem.plugin]]
        plugin = "Stem Bus Compressor"
        key = "sum"
        params = { Threshold = -30, Ratio = 4.0, Key = "External", "Auto Release" = true }
        [[stem]]
        name = "mix"
        file = "../mix.wav"
        in_sum = false
        chain = "glue"
        [[chain.glue]]
        plugin = "org.stemsuite.bus-compressor"
        key = "stem:mix"
        preset = "Full Mix"
        preset_file = "p.json"
        [[check]]
        null = ["sum", "mix"]
        max_residual_db = -100
        [[check]]
        aligned = ["drums", "input:drums", "file:ref.wav"]
    "#;

    #[test]
    fn a_full_session_parses_with_paths_resolved() {
        let s = parse(TWO_STEMS).unwrap();
        assert_eq!(s.output, Some(PathBuf::from("/sessions/out")));
        assert_eq!(s.stems.len(), 2);
        let drums = &s.stems[0];
        assert_eq!(drums.file, PathBuf::from("/sessions/drums.wav"));
        assert!(drums.in_sum);
        assert_eq!(drums.chain[0].key, KeyRoute::Sum);
        assert_eq!(
            drums.chain[0].params,
            vec![
                ("Threshold".into(), ParamValue::Number(-30.0)),
                ("Ratio".into(), ParamValue::Number(4.0)),
                ("Key".into(), ParamValue::Text("External".into())),
                ("Auto Release".into(), ParamValue::Text("On".into())),
            ],
            "file order, booleans as On/Off"
        );
        let mix = &s.stems[1];
        assert!(!mix.in_sum);
        assert_eq!(mix.file, PathBuf::from("/mix.wav"), "`..` folded");
        assert_eq!(mix.chain[0].key, KeyRoute::Stem("mix".into()));
        assert_eq!(mix.chain[0].preset.as_deref(), Some("Full Mix"));
        assert_eq!(mix.chain[0].preset_file, Some(PathBuf::from("/sessions/p.json")));
        assert_eq!(
            s.checks[0],
            Check::Null { a: SignalRef::Sum, b: SignalRef::Output("mix".into()), max_residual_db: -100.0 }
        );
        assert_eq!(
            s.checks[1],
            Check::Aligned {
                signals: vec![
                    SignalRef::Output("drums".into()),
                    SignalRef::Input("drums".into()),
                    SignalRef::File(PathBuf::from("/sessions/ref.wav")),
                ],
                max_lag_ms: crate::render::checks::DEFAULT_MAX_LAG_MS,
            }
        );
    }

    fn refused(text: &str, needles: &[&str]) {
        let e = parse(text).expect_err("the session should be refused");
        for n in needles {
            assert!(e.contains(n), "error {e:?} should mention {n:?}");
        }
    }

    #[test]
    fn refuses_a_session_without_stems() {
        refused("output = \"x\"", &["no stems"]);
    }

    #[test]
    fn refuses_unknown_fields_such_as_typos() {
        refused("[[stem]]\nname = \"a\"\nfile = \"a.wav\"\nin_summ = false", &["in_summ"]);
    }

    #[test]
    fn refuses_duplicate_and_reserved_stem_names() {
        refused("[[stem]]\nname = \"a\"\nfile = \"a.wav\"\n[[stem]]\nname = \"a\"\nfile = \"b.wav\"", &["two stems", "`a`"]);
        refused("[[stem]]\nname = \"sum\"\nfile = \"a.wav\"", &["reserved"]);
        refused("[[stem]]\nname = \"a/b\"\nfile = \"a.wav\"", &["a/b"]);
    }

    #[test]
    fn refuses_an_undefined_chain_naming_the_defined_ones() {
        refused(
            "[[stem]]\nname = \"a\"\nfile = \"a.wav\"\nchain = \"nope\"\n[[chain.glue]]\nplugin = \"X\"",
            &["stem `a`", "`nope`", "glue"],
        );
    }

    #[test]
    fn refuses_a_key_naming_an_unknown_stem() {
        refused(
            "[[stem]]\nname = \"a\"\nfile = \"a.wav\"\n[[stem.plugin]]\nplugin = \"X\"\nkey = \"stem:vox\"",
            &["stem `a`", "plugin #1 `X`", "vox", "a"],
        );
        refused(
            "[[stem]]\nname = \"a\"\nfile = \"a.wav\"\n[[stem.plugin]]\nplugin = \"X\"\nkey = \"mix\"",
            &["\"sum\"", "stem:NAME"],
        );
    }

    #[test]
    fn refuses_parameter_values_that_are_neither_numbers_nor_text() {
        refused(
            "[[stem]]\nname = \"a\"\nfile = \"a.wav\"\n[[stem.plugin]]\nplugin = \"X\"\nparams = { Threshold = [1, 2] }",
            &["Threshold"],
        );
    }

    #[test]
    fn refuses_malformed_checks() {
        let stem = "[[stem]]\nname = \"a\"\nfile = \"a.wav\"\n";
        refused(&format!("{stem}[[check]]\nnull = [\"a\", \"sum\"]"), &["check #1", "max_residual_db"]);
        refused(&format!("{stem}[[check]]\nnull = [\"a\"]\nmax_residual_db = -90"), &["exactly two"]);
        refused(&format!("{stem}[[check]]\nnull = [\"a\", \"b\"]\nmax_residual_db = -90"), &["`b`"]);
        refused(&format!("{stem}[[check]]\naligned = [\"a\"]"), &["at least two"]);
        refused(&format!("{stem}[[check]]\nmax_residual_db = -90"), &["exactly one"]);
        refused(&format!("{stem}[[check]]\naligned = [\"a\", \"input:x\"]"), &["input:x"]);
    }
}
