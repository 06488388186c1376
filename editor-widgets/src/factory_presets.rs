//! Factory preset files (`presets/<package>.json`): the text a plugin embeds, parsed into named
//! presets when its editor opens (GUI thread), and the checks every plugin's tests run on its file.
//!
//! The file (another tool, the headless renderer, reads the same files, so the schema is fixed):
//! `{"format": "stem-suite-factory-presets", "version": 1, "plugin": "<CLAP id>",
//! "presets": [{"name": "Drums", "values": {"thresh": -18.0, "key": "Internal"}}]}`.
//! `values` holds what a user preset holds (see [`crate::presets`]): parameters by stable id, plain
//! values (in the parameter's own unit, 0..1 for a percentage) for continuous ones and display text
//! for stepped ones. A file with anything wrong in it is refused whole.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use nice_plug::prelude::*;
use serde::de::{Deserializer, Error as _, MapAccess, Visitor};
use serde::Deserialize;

use crate::presets::{resolve, PresetError, PresetValue};

/// The `format` string of a factory preset file.
pub const FORMAT: &str = "stem-suite-factory-presets";
/// The factory file version this build reads.
pub const VERSION: u32 = 1;
/// The stem types every plugin's factory presets cover (a preset covers one when its name is the
/// type, or the type followed by a space and more words: "Vocals (bus glue)").
pub const STEM_TYPES: [&str; 6] = ["Drums", "Bass", "Vocals", "Keys", "Full Mix", "Dialogue"];

/// One factory preset.
#[derive(Debug, Clone, PartialEq)]
pub struct FactoryPreset {
    /// Name shown in the editor's preset menu.
    pub name: String,
    /// Values by parameter id; parameters not listed keep their current value.
    pub values: BTreeMap<String, PresetValue>,
}

/// The fields checked before the rest of the file is read, for a clear refusal.
#[derive(Deserialize)]
struct Header {
    format: String,
    version: u32,
    plugin: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    #[allow(dead_code)]
    format: String,
    #[allow(dead_code)]
    version: u32,
    #[allow(dead_code)]
    plugin: String,
    presets: Vec<Entry>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Entry {
    name: String,
    values: UniqueValues,
}

/// A `values` object that refuses a parameter id given twice (a plain map keeps the last silently).
struct UniqueValues(BTreeMap<String, PresetValue>);

impl<'de> Deserialize<'de> for UniqueValues {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct ValuesVisitor;
        impl<'de> Visitor<'de> for ValuesVisitor {
            type Value = UniqueValues;

            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("an object of parameter ids to numbers or texts")
            }

            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<UniqueValues, A::Error> {
                let mut values = BTreeMap::new();
                while let Some((id, value)) = map.next_entry::<String, PresetValue>()? {
                    if values.contains_key(&id) {
                        return Err(A::Error::custom(format!("parameter '{id}' given twice")));
                    }
                    values.insert(id, value);
                }
                Ok(UniqueValues(values))
            }
        }
        deserializer.deserialize_map(ValuesVisitor)
    }
}

/// Parses a factory preset file for the plugin with CLAP id `plugin`, in file order. Refuses the
/// whole file for another format, version or plugin, malformed JSON, unknown fields, a value that is
/// neither a number nor a text, a parameter given twice, an empty or repeated name, or a preset that
/// sets nothing. Whether the values fit the plugin's parameters is [`resolve`]'s job.
pub fn parse(text: &str, plugin: &str) -> Result<Vec<FactoryPreset>, PresetError> {
    let format = |e: serde_json::Error| PresetError::Format(e.to_string());
    let header: Header = serde_json::from_str(text).map_err(format)?;
    if header.format != FORMAT {
        return Err(PresetError::Format(format!("format '{}'", header.format)));
    }
    if header.version != VERSION {
        return Err(PresetError::Format(format!("version {} (this build reads {VERSION})", header.version)));
    }
    if header.plugin != plugin {
        return Err(PresetError::WrongPlugin { expected: plugin.into(), found: header.plugin });
    }
    let file: File = serde_json::from_str(text).map_err(format)?;
    let mut names = BTreeSet::new();
    let mut presets = Vec::with_capacity(file.presets.len());
    for Entry { name, values: UniqueValues(values) } in file.presets {
        if name.trim().is_empty() || name.trim() != name {
            return Err(PresetError::Format(format!("preset name '{name}' is empty or padded")));
        }
        if !names.insert(name.clone()) {
            return Err(PresetError::Format(format!("preset name '{name}' given twice")));
        }
        if values.is_empty() {
            return Err(PresetError::Format(format!("preset '{name}' sets nothing")));
        }
        presets.push(FactoryPreset { name, values });
    }
    Ok(presets)
}

/// The entries of `stem_types` that no preset name covers (see [`STEM_TYPES`]).
pub fn missing_stem_types<'a>(presets: &[FactoryPreset], stem_types: &[&'a str]) -> Vec<&'a str> {
    let covers = |name: &str, t: &str| name == t || name.strip_prefix(t).is_some_and(|rest| rest.starts_with(' '));
    stem_types.iter().copied().filter(|t| !presets.iter().any(|p| covers(&p.name, t))).collect()
}

/// What is wrong with factory presets against the plugin's `params`, one line per problem; empty
/// when all is well. A factory preset must:
/// - resolve (known ids, readable values), never name the bypass, and name none of `left_alone`;
/// - give stepped parameters as the exact display text of a step, continuous ones as numbers
///   inside the range that land on themselves (no clamping, no snapping to a step);
/// - set every parameter that is not in `left_alone`, like every other preset, so loading one
///   preset after another leaves nothing of the first behind and `left_alone` is the exact list
///   of what presets leave alone.
pub fn problems(params: &dyn Params, presets: &[FactoryPreset], left_alone: &[&str]) -> Vec<String> {
    let mut problems = Vec::new();
    let map: BTreeMap<String, ParamPtr> = params.param_map().into_iter().map(|(id, p, _)| (id, p)).collect();
    let expected: BTreeSet<&str> = map.keys().map(String::as_str).filter(|id| !left_alone.contains(id)).collect();
    for id in left_alone {
        if !map.contains_key(*id) {
            problems.push(format!("left-alone id '{id}' is not a parameter"));
        }
    }
    for preset in presets {
        let name = &preset.name;
        let set: BTreeSet<&str> = preset.values.keys().map(String::as_str).collect();
        if set != expected {
            let extra: Vec<_> = set.difference(&expected).collect();
            let missing: Vec<_> = expected.difference(&set).collect();
            problems.push(format!("{name}: sets {extra:?} it should leave alone, misses {missing:?}"));
        }
        if let Err(e) = resolve(params, &preset.values) {
            problems.push(format!("{name}: {e}"));
            continue;
        }
        for (id, value) in &preset.values {
            let Some(&ptr) = map.get(id) else { continue };
            // SAFETY: the pointers come from `params.param_map()` and `params` outlives this call.
            unsafe {
                if ptr.flags().contains(ParamFlags::BYPASS) {
                    problems.push(format!("{name}: sets the bypass '{id}'"));
                }
                match (value, ptr.step_count().is_some()) {
                    (PresetValue::Text(t), true) => {
                        let normalized = ptr.string_to_normalized_value(t).unwrap_or(f32::NAN);
                        let shown = ptr.normalized_value_to_string(normalized, false);
                        if shown != *t {
                            problems.push(format!("{name}: {id} = '{t}' reads back as '{shown}'"));
                        }
                    }
                    (PresetValue::Number(x), false) => {
                        let (lo, hi) = (ptr.preview_plain(0.0), ptr.preview_plain(1.0));
                        let back = ptr.preview_plain(ptr.preview_normalized(*x));
                        if !(lo..=hi).contains(x) {
                            problems.push(format!("{name}: {id} = {x} outside {lo}..={hi}"));
                        } else if (back - x).abs() > 1e-4 * x.abs().max(1.0) {
                            problems.push(format!("{name}: {id} = {x} lands on {back}"));
                        }
                    }
                    (PresetValue::Text(t), false) => {
                        problems.push(format!("{name}: {id} is continuous, give a number, not '{t}'"));
                    }
                    (PresetValue::Number(x), true) => {
                        problems.push(format!("{name}: {id} is stepped, give its text, not {x}"));
                    }
                }
            }
        }
    }
    problems
}

/// Everything a plugin's factory file promises, checked against the plugin's `params`; one line per
/// problem, empty when all is well. The file parses for `plugin` and for no other plugin, a newer
/// file version is refused, the preset names cover `stem_types` (see [`missing_stem_types`]), and
/// [`problems`] finds nothing. Each plugin's tests call this once, then check what is special to it.
pub fn file_problems(
    json: &str,
    plugin: &str,
    params: &dyn Params,
    left_alone: &[&str],
    stem_types: &[&str],
) -> Vec<String> {
    let presets = match parse(json, plugin) {
        Ok(presets) => presets,
        Err(e) => return vec![format!("the file does not parse for {plugin}: {e}")],
    };
    let mut found = Vec::new();
    if parse(json, "org.invalid.another-plugin").is_ok() {
        found.push("the file also parses for another plugin".to_owned());
    }
    let newer = json.replacen(&format!("\"version\": {VERSION}"), &format!("\"version\": {}", VERSION + 1), 1);
    if newer == json || parse(&newer, plugin).is_ok() {
        found.push("a newer file version is not refused (or the file has no `\"version\": N`)".to_owned());
    }
    for t in missing_stem_types(&presets, stem_types) {
        found.push(format!("no preset for the stem type '{t}'"));
    }
    found.extend(problems(params, &presets, left_alone));
    found
}

/// The broken values [`resolve`] accepted when each was put on its own into the good preset
/// `good`, as `id = value` lines; empty when every one was refused (and the whole preset with it).
pub fn accepted_broken(
    params: &dyn Params,
    good: &BTreeMap<String, PresetValue>,
    broken: &[(&str, PresetValue)],
) -> Vec<String> {
    let mut accepted = Vec::new();
    if let Err(e) = resolve(params, good) {
        accepted.push(format!("the good preset is refused: {e}"));
    }
    for (id, value) in broken {
        let mut values = good.clone();
        values.insert((*id).to_owned(), value.clone());
        if resolve(params, &values).is_ok() {
            accepted.push(format!("{id} = {value:?}"));
        }
    }
    accepted
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = r#"{"format": "stem-suite-factory-presets", "version": 1, "plugin": "org.test",
        "presets": [{"name": "Drums", "values": {"thresh": -18.0, "key": "Internal"}},
                    {"name": "Vocals (bus glue)", "values": {"thresh": -24}}]}"#;

    fn with(from: &str, to: &str) -> String {
        assert!(GOOD.contains(from), "{from}");
        GOOD.replacen(from, to, 1)
    }

    #[test]
    fn parses_names_and_values_in_file_order() {
        let presets = parse(GOOD, "org.test").unwrap();
        assert_eq!(presets.len(), 2);
        assert_eq!(presets[0].name, "Drums");
        assert_eq!(presets[0].values["thresh"], PresetValue::Number(-18.0));
        assert_eq!(presets[0].values["key"], PresetValue::Text("Internal".into()));
        assert_eq!(presets[1].name, "Vocals (bus glue)");
        assert_eq!(presets[1].values["thresh"], PresetValue::Number(-24.0));
    }

    #[test]
    fn refuses_another_format_version_or_plugin() {
        let e = parse(&with("stem-suite-factory-presets", "stem-suite-preset"), "org.test").unwrap_err();
        assert!(matches!(e, PresetError::Format(ref m) if m.contains("format")), "{e:?}");
        let e = parse(&with("\"version\": 1", "\"version\": 2"), "org.test").unwrap_err();
        assert!(matches!(e, PresetError::Format(ref m) if m.contains("version 2")), "{e:?}");
        let e = parse(&with("\"version\": 1", "\"version\": \"1\""), "org.test").unwrap_err();
        assert!(matches!(e, PresetError::Format(_)), "{e:?}");
        assert_eq!(
            parse(GOOD, "org.other").unwrap_err(),
            PresetError::WrongPlugin { expected: "org.other".into(), found: "org.test".into() }
        );
    }

    #[test]
    fn refuses_garbage_and_broken_files_whole() {
        let cases: Vec<(&str, String)> = vec![
            ("empty", String::new()),
            ("garbage", "\u{0}\u{1}not json".into()),
            ("truncated", GOOD[..GOOD.len() / 2].into()),
            ("array", "[1, 2, 3]".into()),
            ("no presets", r#"{"format": "stem-suite-factory-presets", "version": 1, "plugin": "org.test"}"#.into()),
            ("presets not a list", r#"{"format": "stem-suite-factory-presets", "version": 1, "plugin": "org.test", "presets": 3}"#.into()),
            ("unknown field", with("\"name\": \"Drums\",", "\"name\": \"Drums\", \"colour\": 3,")),
            ("bool value", with("\"key\": \"Internal\"", "\"key\": true")),
            ("list value", with("\"key\": \"Internal\"", "\"key\": [1]")),
            ("null value", with("\"key\": \"Internal\"", "\"key\": null")),
            ("values not an object", with("{\"thresh\": -24}", "[-24]")),
            ("id twice", with("\"key\": \"Internal\"", "\"key\": \"Internal\", \"thresh\": -3.0")),
            ("name twice", with("Vocals (bus glue)", "Drums")),
            ("empty name", with("Vocals (bus glue)", " ")),
            ("padded name", with("Vocals (bus glue)", "Vocals ")),
            ("sets nothing", with("{\"thresh\": -24}", "{}")),
            ("no name", with("\"name\": \"Drums\", ", "")),
        ];
        for (what, text) in cases {
            assert!(parse(&text, "org.test").is_err(), "{what} parsed: {text}");
        }
    }

    #[derive(Enum, Debug, Clone, Copy, PartialEq)]
    enum Key {
        Internal,
        External,
    }

    #[derive(Params)]
    struct TestParams {
        #[id = "thresh"]
        thresh: FloatParam,
        #[id = "look"]
        look: FloatParam,
        #[id = "key"]
        key: EnumParam<Key>,
        #[id = "auto"]
        auto: BoolParam,
        #[id = "out"]
        out: FloatParam,
        #[id = "bypass"]
        bypass: BoolParam,
    }

    fn test_params() -> TestParams {
        TestParams {
            thresh: FloatParam::new("Threshold", -18.0, FloatRange::Linear { min: -60.0, max: 0.0 }),
            look: FloatParam::new("Lookahead", 0.0, FloatRange::Linear { min: 0.0, max: 10.0 }).with_step_size(0.1),
            key: EnumParam::new("Key", Key::Internal),
            auto: BoolParam::new("Auto", false),
            out: FloatParam::new("Output", 0.0, FloatRange::Linear { min: -24.0, max: 24.0 }),
            bypass: BoolParam::new("Bypass", false).make_bypass(),
        }
    }

    fn preset(values: &[(&str, PresetValue)]) -> FactoryPreset {
        FactoryPreset { name: "P".into(), values: values.iter().map(|(k, v)| ((*k).to_owned(), v.clone())).collect() }
    }

    /// A bad case: what it is, the values it changes, and what the problem report must say.
    type Case<'a> = (&'a str, Vec<(&'a str, PresetValue)>, &'a str);

    #[test]
    fn problems_finds_every_kind_of_bad_factory_value() {
        use PresetValue::{Number as N, Text as T};
        let params = test_params();
        let _ = (&params.thresh, &params.look, &params.key, &params.auto, &params.out, &params.bypass);
        let left_alone = ["out", "bypass"];
        let good = [("thresh", N(-18.0)), ("look", N(2.0)), ("key", T("External".into())), ("auto", T("On".into()))];
        assert_eq!(problems(&params, &[preset(&good)], &left_alone), Vec::<String>::new());
        let bad_cases: Vec<Case> = vec![
            ("out of range", vec![("thresh", N(-70.0))], "outside"),
            ("between steps", vec![("look", N(2.05))], "lands on"),
            ("enum case", vec![("key", T("external".into()))], "bad value"),
            ("bool text", vec![("auto", T("Yes".into()))], "bad value"),
            ("stepped as number", vec![("key", N(1.0))], "stepped"),
            ("continuous as text", vec![("thresh", T("-18".into()))], "continuous"),
            ("bypass", vec![("bypass", T("Off".into()))], "bypass"),
            ("left alone", vec![("out", N(0.0))], "should leave alone"),
            ("unknown", vec![("nope", N(0.0))], "unknown parameter"),
        ];
        for (what, changes, expect) in bad_cases {
            let mut values = good.to_vec();
            for (id, v) in changes {
                values.retain(|(k, _)| *k != id);
                values.push((id, v));
            }
            let found = problems(&params, &[preset(&values)], &left_alone);
            assert!(found.iter().any(|p| p.contains(expect)), "{what}: {found:?}");
        }
        let found = problems(&params, &[preset(&good[..3])], &left_alone);
        assert!(found.iter().any(|p| p.contains("misses [\"auto\"]")), "{found:?}");
        let found = problems(&params, &[preset(&good)], &["out", "bypass", "gone"]);
        assert!(found.iter().any(|p| p.contains("'gone' is not a parameter")), "{found:?}");
    }

    #[test]
    fn stem_types_are_covered_by_exact_or_longer_names() {
        let presets = parse(GOOD, "org.test").unwrap();
        assert_eq!(missing_stem_types(&presets, &STEM_TYPES), vec!["Bass", "Keys", "Full Mix", "Dialogue"]);
        let named = |n: &str| FactoryPreset { name: n.into(), values: BTreeMap::new() };
        assert_eq!(missing_stem_types(&[named("Basses"), named("Bass Guitar")], &["Bass"]), Vec::<&str>::new());
        assert_eq!(missing_stem_types(&[named("Basses"), named("Drum")], &["Bass", "Drums"]), vec!["Bass", "Drums"]);
    }
}
