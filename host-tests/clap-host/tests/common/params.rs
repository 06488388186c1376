//! Parameter-table checks shared by the per-plugin parameter tests.

use clap_host::{ParamInfo, PluginInstance};

/// A documented continuous parameter: display name, display min, max, default, display unit.
pub type Float<'a> = (&'a str, f64, f64, f64, &'a str);

/// The parameter called `name`; fails the test if there is none.
pub fn info(plugin: &PluginInstance, name: &str) -> ParamInfo {
    plugin.param_info(name).unwrap_or_else(|e| panic!("{e}"))
}

/// Half a unit in the last displayed digit, plus a hair.
pub fn display_tolerance(text: &str) -> f64 {
    let decimals = text.find('.').map_or(0, |dot| {
        text[dot + 1..]
            .chars()
            .take_while(char::is_ascii_digit)
            .count()
    });
    0.5 * 10f64.powi(-(decimals as i32)) + 1e-9
}

/// Asserts the parameters of `plugin` (a fresh instance): each of `expected` exists exactly once
/// (and no other when `exhaustive`), ids are unique, and every parameter has a sane range and sits
/// at its default (see [`assert_sane_ranges_at_defaults`]).
pub fn assert_documented_parameters_at_defaults(
    plugin: &PluginInstance,
    expected: &[&str],
    exhaustive: bool,
    automatable: bool,
) {
    let params = plugin.params().unwrap();
    assert_each_exists_once(&params, expected, exhaustive);
    assert_unique_ids(&params);
    assert_sane_ranges_at_defaults(plugin, &params, automatable);
}

/// Asserts each name in `expected` belongs to exactly one of `params`, and, when `exhaustive`,
/// that there are no others.
pub fn assert_each_exists_once(params: &[ParamInfo], expected: &[&str], exhaustive: bool) {
    let names: Vec<&str> = params.iter().map(|p| p.name.as_str()).collect();
    for name in expected {
        let n = names.iter().filter(|n| *n == name).count();
        assert_eq!(
            n, 1,
            "parameter {name:?} appears {n} times; the plugin has {names:?}"
        );
    }
    if exhaustive {
        assert_eq!(
            params.len(),
            expected.len(),
            "undocumented parameters: {names:?}"
        );
    }
}

/// Asserts no two of `params` share a CLAP id.
pub fn assert_unique_ids(params: &[ParamInfo]) {
    let mut ids: Vec<u32> = params.iter().map(|p| p.id).collect();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), params.len(), "duplicate CLAP parameter ids");
}

/// Asserts each of `params` has a finite, non-empty range holding its default, is automatable
/// when `automatable`, and sits at its default in `plugin` (a fresh instance).
pub fn assert_sane_ranges_at_defaults(
    plugin: &PluginInstance,
    params: &[ParamInfo],
    automatable: bool,
) {
    for p in params {
        assert!(
            p.min.is_finite() && p.max.is_finite() && p.default.is_finite(),
            "{p:?}"
        );
        assert!(p.min < p.max, "empty range {p:?}");
        assert!(
            p.min <= p.default && p.default <= p.max,
            "default outside range {p:?}"
        );
        if automatable {
            assert!(p.is_automatable(), "{} is not automatable: {p:?}", p.name);
        }
        let v = plugin.param_value(p.id).unwrap();
        assert_eq!(
            v, p.default,
            "fresh instance: {} is {v}, its default is {}",
            p.name, p.default
        );
    }
}

/// What is wrong with the continuous parameters in `floats`: each must be continuous and
/// automatable, and display its min, max and default within [`display_tolerance`] of the documented
/// figures. `read(text, unit)` reads a display text as a number in `unit`; `unit_problem(text,
/// unit)` says what is wrong with the unit a text shows, if anything.
pub fn float_range_problems(
    plugin: &PluginInstance,
    floats: &[Float],
    read: impl Fn(&str, &str) -> f64,
    unit_problem: impl Fn(&str, &str) -> Option<String>,
) -> Vec<String> {
    let mut problems = Vec::new();
    for &(name, min, max, default, unit) in floats {
        let p = info(plugin, name);
        if p.is_stepped() {
            problems.push(format!("{name} should be continuous: {p:?}"));
        }
        if !p.is_automatable() {
            problems.push(format!("{name} should be automatable: {p:?}"));
        }
        for (what, clap_value, want) in [
            ("min", p.min, min),
            ("max", p.max, max),
            ("default", p.default, default),
        ] {
            let text = plugin.value_to_text(p.id, clap_value).unwrap();
            let shown = read(&text, unit);
            println!("{name} {what}: {text:?}");
            if (shown - want).abs() > display_tolerance(&text) {
                problems.push(format!(
                    "{name} {what}: displays {text:?}, expected {want} {unit}"
                ));
            }
            if let Some(problem) = unit_problem(&text, unit) {
                problems.push(format!("{name} {what}: {problem}"));
            }
        }
    }
    problems
}

/// Asserts `name` is a toggle: stepped, CLAP range 0..=1, default on or off as `default_on`.
pub fn assert_toggle(plugin: &PluginInstance, name: &str, default_on: bool) {
    let p = info(plugin, name);
    assert!(p.is_stepped(), "{name}: {p:?}");
    assert_eq!((p.min, p.max), (0.0, 1.0), "{name}: CLAP range");
    assert_eq!(
        p.default,
        if default_on { 1.0 } else { 0.0 },
        "{name}: default"
    );
}

/// Asserts `name` is stepped over exactly `variants` (index order, each displayed as its text and
/// read back from it) with the variant at index `default` as its default.
pub fn assert_enum(plugin: &PluginInstance, name: &str, variants: &[&str], default: usize) {
    let p = info(plugin, name);
    assert!(p.is_stepped(), "{name}: {p:?}");
    assert_eq!(
        (p.min, p.max),
        (0.0, (variants.len() - 1) as f64),
        "{name}: CLAP range"
    );
    assert_eq!(p.default, default as f64, "{name}: default");
    for (i, v) in variants.iter().enumerate() {
        assert_eq!(
            plugin.value_to_text(p.id, i as f64).unwrap(),
            *v,
            "{name} value {i}"
        );
        assert_eq!(
            plugin.text_to_value(p.id, v).unwrap(),
            i as f64,
            "{name} text {v:?}"
        );
    }
}

/// Asserts "Bypass" carries CLAP_PARAM_IS_BYPASS and no other parameter does.
pub fn assert_only_bypass_is_flagged(plugin: &PluginInstance) {
    let bypass = info(plugin, "Bypass");
    assert!(
        bypass.is_bypass(),
        "Bypass lacks CLAP_PARAM_IS_BYPASS: {bypass:?}"
    );
    let flagged = bypass_flag_count(plugin);
    assert_eq!(
        flagged, 1,
        "exactly one parameter must carry the bypass flag"
    );
}

/// How many parameters carry CLAP_PARAM_IS_BYPASS.
pub fn bypass_flag_count(plugin: &PluginInstance) -> usize {
    plugin
        .params()
        .unwrap()
        .iter()
        .filter(|p| p.is_bypass())
        .count()
}
