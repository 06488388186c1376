//! Every factory preset (`presets/*.json`) of every plugin through its built .clap.
//!
//! The editor sends a preset as begin/set/end gestures; nice-plug applies them on the audio thread at
//! the start of the next block, exactly like host parameter events at a block boundary. So each
//! preset is sent here as parameter events while processing, and its output must equal (within
//! 1e-6) that of a fresh instance set to the same values before activation: no setting may be read
//! only at activation, none may be lost or half applied, and a latency change must restart cleanly.
//! Values are converted by each plugin's own `text_to_value`, never by this test's arithmetic.
//!
//! Also the lsp-plugins#300 regression for the Bus Compressor: its preset that switches the key to
//! the sidechain makes the very next block react to the sidechain.

mod common;

use std::collections::BTreeSet;

use clap_host::clap_sys::id::clap_id;
use clap_host::{blocks, parse_display_number, ParamChange, PluginInstance, PortInput};
use common::keyed::{render_keyed, zeros};
use common::params::display_tolerance;
use common::*;

const SR: f64 = 48_000.0;
/// Host block size in samples.
const BLOCK: usize = 512;
/// Blocks of silence at the default settings before the preset arrives.
const BEFORE_BLOCKS: usize = 8;
/// Blocks of silence after it (about 0.26 s), longer than every ramp (20 ms), fade-in (5 ms) and
/// restart, so the two instances meet the programme in the same state.
const SETTLE_BLOCKS: usize = 24;
/// Largest difference allowed between the two ways of setting a preset (-120 dBFS).
const MAX_DIFF: f64 = 1e-6;
/// Gain of the test programme, +6 dB: the stems of stems-a sit about 6 dB below a mixed stem.
const PROGRAMME_GAIN: f32 = 2.0;

/// Blocks of programme after the silence: about 1.5 s (0.4 s on the slow debug bundles).
fn programme_blocks() -> usize {
    if debug_bundles() {
        40
    } else {
        141
    }
}

/// A plugin of the suite and its factory preset file.
struct Plugin {
    /// File name in `presets/`.
    file: &'static str,
    /// The plugin id the file names (the 5.1 Stem Compressor shares the stereo one's file).
    file_plugin: &'static str,
    /// CLAP id of the plugin to test.
    id: &'static str,
    /// A fresh, inactive instance.
    make: fn() -> PluginInstance,
    /// Main (and key) channels.
    channels: usize,
    /// Whether it has a sidechain input.
    keyed: bool,
    /// Whether every preset must change the audio. Not for the Stem Null Check: its Headroom only
    /// changes the verdict, so its presets are checked by their parameter values (and its Output).
    audible: bool,
}

const BUS: Plugin = Plugin {
    file: "bus_compressor.json",
    file_plugin: BUS_COMPRESSOR_ID,
    id: BUS_COMPRESSOR_ID,
    make: bus_compressor,
    channels: 2,
    keyed: true,
    audible: true,
};
const DE_ESSER: Plugin = Plugin {
    file: "de_esser.json",
    file_plugin: DE_ESSER_ID,
    id: DE_ESSER_ID,
    make: de_esser,
    channels: 2,
    keyed: false,
    audible: true,
};
const CLIPPER: Plugin = Plugin {
    file: "transient_clipper.json",
    file_plugin: TRANSIENT_CLIPPER_ID,
    id: TRANSIENT_CLIPPER_ID,
    make: clipper,
    channels: 2,
    keyed: false,
    audible: true,
};
const STEM: Plugin = Plugin {
    file: "stem_compressor.json",
    file_plugin: STEM_COMPRESSOR_ID,
    id: STEM_COMPRESSOR_ID,
    make: stem_compressor,
    channels: 2,
    keyed: true,
    audible: true,
};
const STEM_51: Plugin = Plugin {
    file: "stem_compressor.json",
    file_plugin: STEM_COMPRESSOR_ID,
    id: STEM_COMPRESSOR_51_ID,
    make: stem_compressor_51,
    channels: 6,
    keyed: true,
    audible: true,
};

const NULL_CHECK: Plugin = Plugin {
    file: "stem_null.json",
    file_plugin: STEM_NULL_CHECK_ID,
    id: STEM_NULL_CHECK_ID,
    make: || bundle_offering(STEM_NULL_CHECK_ID).create(STEM_NULL_CHECK_ID).expect("create the Stem Null Check"),
    channels: 2,
    keyed: true,
    audible: false,
};

// ------------------------------------------------------------------------------ preset files

/// One factory preset as the file has it: parameter ids and JSON values, in file order.
struct Preset {
    name: String,
    values: Vec<(String, serde_json::Value)>,
}

/// The presets of `presets/<file>`, after checking its format, version and plugin id.
fn factory_presets(file: &str, plugin_id: &str) -> Vec<Preset> {
    let path = workspace_root().join("presets").join(file);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let json: serde_json::Value =
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    assert_eq!(json["format"], "stem-suite-factory-presets", "{file}");
    assert_eq!(json["version"], 1, "{file}");
    assert_eq!(json["plugin"], plugin_id, "{file}");
    let presets = json["presets"]
        .as_array()
        .unwrap_or_else(|| panic!("{file}: no preset list"));
    assert!(!presets.is_empty(), "{file}: no presets");
    presets
        .iter()
        .map(|p| Preset {
            name: p["name"]
                .as_str()
                .unwrap_or_else(|| panic!("{file}: a preset without a name"))
                .to_owned(),
            values: p["values"]
                .as_object()
                .unwrap_or_else(|| panic!("{file}: a preset without values"))
                .iter()
                .map(|(id, v)| (id.clone(), v.clone()))
                .collect(),
        })
        .collect()
}

/// nice-plug's CLAP id for the parameter declared with `#[id = "<id>"]`: a 31-bit Java-style hash.
fn clap_param_id(id: &str) -> clap_id {
    let mut h: u32 = 0;
    for b in id.bytes() {
        h = h.wrapping_mul(31).wrapping_add(b as u32);
    }
    h & !(1 << 31)
}

/// The preset's values as (CLAP id, CLAP value), converted by the plugin's own `text_to_value`:
/// text as it is, a number in display units (a percentage's plain 0..1 times 100). Fails the test
/// for an unknown id, the bypass, a text for a continuous parameter or a number for a stepped one,
/// and a value the plugin does not display back as given.
fn clap_values(plugin: &PluginInstance, preset: &Preset) -> Vec<(clap_id, f64)> {
    let params = plugin.params().unwrap();
    let name = &preset.name;
    let mut out = Vec::new();
    for (id, value) in &preset.values {
        let cid = clap_param_id(id);
        let info = params
            .iter()
            .find(|p| p.id == cid)
            .unwrap_or_else(|| panic!("{name}: no parameter with id `{id}`"));
        assert!(!info.is_bypass(), "{name}: a preset never sets the bypass");
        let clap_value = match value {
            serde_json::Value::String(text) => {
                assert!(info.is_stepped(), "{name}: `{id}` is continuous, given {text:?}");
                let v = plugin
                    .text_to_value(cid, text)
                    .unwrap_or_else(|e| panic!("{name}: `{id}` = {text:?}: {e}"));
                let back = plugin.value_to_text(cid, v).unwrap();
                assert_eq!(&back, text, "{name}: `{id}` = {text:?} reads back as {back:?}");
                v
            }
            serde_json::Value::Number(n) => {
                assert!(!info.is_stepped(), "{name}: `{id}` is stepped, given {n}");
                let plain = n.as_f64().unwrap();
                let default_text = plugin.value_to_text(cid, info.default).unwrap();
                let shown = if default_text.trim_end().ends_with('%') {
                    plain * 100.0
                } else {
                    plain
                };
                let v = plugin
                    .text_to_value(cid, &format!("{shown}"))
                    .unwrap_or_else(|e| panic!("{name}: `{id}` = {shown}: {e}"));
                let back = plugin.value_to_text(cid, v).unwrap();
                let read = parse_display_number(&back).unwrap_or(f64::NAN);
                assert!(
                    (read - shown).abs() <= display_tolerance(&back),
                    "{name}: `{id}` = {plain} displays as {back:?}"
                );
                v
            }
            other => panic!("{name}: `{id}` = {other}: neither a number nor a text"),
        };
        assert!(
            (info.min..=info.max).contains(&clap_value),
            "{name}: `{id}` -> {clap_value} outside {}..={}",
            info.min,
            info.max
        );
        out.push((cid, clap_value));
    }
    out
}

// ---------------------------------------------------------------------------------- signals

/// The stems-a files a preset is heard on: (main, key). The stem its name starts with; the mix
/// otherwise. The key is the mix, or the vocal for the Unmask preset (music keyed by the voice).
fn programme_for(name: &str) -> (&'static str, &'static str) {
    let main = if name.starts_with("Drums") || name.starts_with("Percussion") {
        "drums"
    } else if name.starts_with("Bass") {
        "bass"
    } else if name.contains("Vocal") || name.starts_with("Dialogue") {
        "vocals"
    } else if ["Keys", "Guitars", "Music"].iter().any(|s| name.starts_with(s)) {
        "keys"
    } else {
        "mix"
    };
    let key = if name.contains("Unmask") { "vocals" } else { "mix" };
    (main, key)
}

/// Silence for the lead-in and settling, then `len` frames of `stem` (+6 dB), on `channels`
/// channels: stereo as it is; 5.1 as L R, the mono sum in C and LFE, and L R again in Ls Rs.
fn programme(stem: &str, len: usize, channels: usize) -> Vec<Vec<f32>> {
    let lead = (BEFORE_BLOCKS + SETTLE_BLOCKS) * BLOCK;
    let s = stereo_stem(stem, SR, len);
    let mono: Vec<f32> = (0..len).map(|i| 0.5 * (s[0][i] + s[1][i])).collect();
    let sources: Vec<&[f32]> = match channels {
        2 => vec![&s[0][..len], &s[1][..len]],
        6 => vec![&s[0][..len], &s[1][..len], &mono, &mono, &s[0][..len], &s[1][..len]],
        n => panic!("{n} channels"),
    };
    sources
        .iter()
        .map(|src| {
            let mut ch = vec![0.0f32; lead];
            ch.extend(src.iter().map(|x| PROGRAMME_GAIN * x));
            ch
        })
        .collect()
}

/// Renders through `plugin` (active) with `key` on the sidechain if it has one.
fn render(
    plugin: &mut PluginInstance,
    main: &[Vec<f32>],
    key: &[Vec<f32>],
    keyed: bool,
    changes: &[ParamChange],
) -> Vec<Vec<f32>> {
    let parts = blocks::fixed(main[0].len(), BLOCK);
    let key = if keyed {
        PortInput::Audio(key)
    } else {
        PortInput::Silent
    };
    render_keyed(plugin, main, key, &parts, changes)
}

// ----------------------------------------------------------------------------- the promise

/// What went wrong with `plugin`'s presets; prints one line per preset.
fn preset_failures(plugin: &Plugin) -> Vec<String> {
    let presets = factory_presets(plugin.file, plugin.file_plugin);
    let len = programme_blocks() * BLOCK;
    let switch = BEFORE_BLOCKS * BLOCK;
    let mut failures = Vec::new();
    let mut names = BTreeSet::new();
    for preset in &presets {
        let name = &preset.name;
        if !names.insert(name.clone()) {
            failures.push(format!("{name}: name given twice"));
        }
        let (main_stem, key_stem) = programme_for(name);
        let main = programme(main_stem, len, plugin.channels);
        let key = programme(key_stem, len, plugin.channels);

        // The reference: a fresh instance set to the preset before activation.
        let mut set_before = (plugin.make)();
        let values = clap_values(&set_before, preset);
        for &(id, value) in &values {
            set_before.set_param(id, value).unwrap();
        }
        set_before.activate(SR, BLOCK as u32).unwrap();
        let reference = render(&mut set_before, &main, &key, plugin.keyed, &[]);

        // The preset sent as parameter events while processing, at a block boundary.
        let mut by_events = (plugin.make)();
        by_events.activate(SR, BLOCK as u32).unwrap();
        let changes: Vec<ParamChange> = values
            .iter()
            .map(|&(id, value)| ParamChange { sample: switch, id, value })
            .collect();
        let applied = render(&mut by_events, &main, &key, plugin.keyed, &changes);

        // The defaults, to show the preset is heard at all.
        let mut defaults = (plugin.make)();
        defaults.activate(SR, BLOCK as u32).unwrap();
        let untouched = render(&mut defaults, &main, &key, plugin.keyed, &[]);

        let diff = max_abs_diff(&applied, &reference);
        let effect = max_abs_diff(&reference, &untouched);
        let (latency_events, latency_set) = (by_events.latency().unwrap(), set_before.latency().unwrap());
        for (id, value) in &values {
            // The plugin keeps a normalized f32.
            let now = by_events.param_value(*id).unwrap();
            if (now - value).abs() > 1e-6 * value.abs().max(1.0) {
                failures.push(format!("{name}: parameter {id} is {now} after the events, sent {value}"));
            }
        }
        println!(
            "{} / {name:32} on {main_stem:6}: events vs set before activation {diff:.2e} (latency {latency_events} / \
             {latency_set}, {} restart(s)); preset vs defaults {effect:.3}",
            plugin.id,
            by_events.restart_count()
        );
        if first_non_finite(&applied).is_some() || first_non_finite(&reference).is_some() {
            failures.push(format!("{name}: non-finite output"));
        }
        if diff > MAX_DIFF {
            failures.push(format!(
                "{name}: applied while processing, the output differs by {diff:.2e} from an instance set before activation"
            ));
        }
        if latency_events != latency_set {
            failures.push(format!("{name}: latency {latency_events} after the events, {latency_set} when set before"));
        }
        // A preset the plugin ignored would then fail the comparison above by far.
        if plugin.audible && effect < 100.0 * MAX_DIFF {
            failures.push(format!("{name}: the output is the defaults' (difference {effect:.1e}): the test hears nothing"));
        }
    }
    failures
}

#[test]
fn every_plugin_has_one_factory_file_and_every_file_one_plugin() {
    let dir = workspace_root().join("presets");
    let mut files: Vec<String> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    files.sort();
    assert_eq!(
        files,
        ["bus_compressor.json", "de_esser.json", "stem_compressor.json", "stem_null.json", "transient_clipper.json"]
    );
    for plugin in [&BUS, &DE_ESSER, &CLIPPER, &STEM, &STEM_51, &NULL_CHECK] {
        let presets = factory_presets(plugin.file, plugin.file_plugin);
        println!("{}: {} presets from {}", plugin.id, presets.len(), plugin.file);
        // The instance exists, so the file names a plugin that ships.
        let instance = (plugin.make)();
        assert_eq!(instance.descriptor().id, plugin.id);
    }
}

#[test]
fn bus_compressor_presets_applied_while_processing_equal_presets_set_before_activation() {
    let failures = preset_failures(&BUS);
    assert!(failures.is_empty(), "{failures:#?}");
}

#[test]
fn stem_null_check_presets_applied_while_processing_equal_presets_set_before_activation() {
    let failures = preset_failures(&NULL_CHECK);
    assert!(failures.is_empty(), "{failures:#?}");
}

#[test]
fn de_esser_presets_applied_while_processing_equal_presets_set_before_activation() {
    let failures = preset_failures(&DE_ESSER);
    assert!(failures.is_empty(), "{failures:#?}");
}

#[test]
fn transient_clipper_presets_applied_while_processing_equal_presets_set_before_activation() {
    let failures = preset_failures(&CLIPPER);
    assert!(failures.is_empty(), "{failures:#?}");
}

#[test]
fn stem_compressor_presets_applied_while_processing_equal_presets_set_before_activation() {
    let failures = preset_failures(&STEM);
    assert!(failures.is_empty(), "{failures:#?}");
}

#[test]
fn stem_compressor_51_presets_applied_while_processing_equal_presets_set_before_activation() {
    let failures = preset_failures(&STEM_51);
    assert!(failures.is_empty(), "{failures:#?}");
}

// ----------------------------------------------------------------------- lsp-plugins#300

/// `signal` with every sample before `from` set to zero.
fn from_sample(signal: &[Vec<f32>], from: usize) -> Vec<Vec<f32>> {
    signal
        .iter()
        .map(|ch| ch.iter().enumerate().map(|(i, &x)| if i < from { 0.0 } else { x }).collect())
        .collect()
}

#[test]
fn the_bus_compressor_preset_keyed_by_the_sidechain_reacts_in_the_very_next_block() {
    let presets = factory_presets(BUS.file, BUS.file_plugin);
    let keyed: Vec<&Preset> = presets
        .iter()
        .filter(|p| p.values.iter().any(|(id, v)| id == "key" && v == "External"))
        .collect();
    assert!(!keyed.is_empty(), "no Bus Compressor preset switches the key to the sidechain");
    let boundary = 47 * BLOCK; // about 0.5 s in
    let len = boundary + 24 * BLOCK;
    // Quiet main (-40 dBFS, 1 kHz): neither the defaults nor the preset compress it. Loud key
    // (-1 dBFS, 150 Hz).
    let main = sine(len, SR, 1000.0, 0.01);
    let key = sine(len, SR, 150.0, 0.9);
    let silent = zeros(2, len);
    // Gain reduction in dB over `from..to`: the output with the key over the output without it
    // (the same preset, sent the same way), so Makeup and its ramp drop out.
    let reduction_db = |keyed: &[Vec<f32>], unkeyed: &[Vec<f32>], from: usize, to: usize| {
        db(rms(keyed, from..to) / rms(unkeyed, from..to))
    };
    let mut failures = Vec::new();
    for preset in keyed {
        let name = &preset.name;
        // Between blocks: events at the start of a block, where the editor's gestures land. Within
        // a block: events at a sample inside one (sample-accurate host automation).
        for (label, at) in [("between blocks", boundary), ("within a block", boundary + 200)] {
            // The preset sent as parameter events at `at`, to an instance at the defaults (Key Internal).
            let sent = |key: &[Vec<f32>]| {
                let mut plugin = bus_compressor();
                let changes: Vec<ParamChange> = clap_values(&plugin, preset)
                    .into_iter()
                    .map(|(id, value)| ParamChange { sample: at, id, value })
                    .collect();
                plugin.activate(SR, BLOCK as u32).unwrap();
                let latency = plugin.latency().unwrap();
                let out = render(&mut plugin, &main, key, true, &changes);
                let undisturbed = plugin.restart_count() == 0 && plugin.latency().unwrap() == latency;
                (out, undisturbed)
            };
            // What the sidechain alone makes of it: the preset set before activation, the key
            // arriving at `at`.
            let set_before = |key: &[Vec<f32>]| {
                let mut plugin = bus_compressor();
                for (id, value) in clap_values(&plugin, preset) {
                    plugin.set_param(id, value).unwrap();
                }
                plugin.activate(SR, BLOCK as u32).unwrap();
                render(&mut plugin, &main, key, true, &[])
            };
            let (out, undisturbed) = sent(&key);
            let (out_unkeyed, _) = sent(&silent);
            let reference = set_before(&from_sample(&key, at));
            let reference_unkeyed = set_before(&silent);
            assert!(first_non_finite(&out).is_none(), "{name}, {label}: non-finite output");

            let before = db(rms(&out, at - 4 * BLOCK..at) / rms(&main, at - 4 * BLOCK..at));
            let mut got = Vec::new();
            let mut want = Vec::new();
            for b in 0..4 {
                let (from, to) = (at + b * BLOCK, at + (b + 1) * BLOCK);
                got.push(reduction_db(&out, &out_unkeyed, from, to));
                want.push(reduction_db(&reference, &reference_unkeyed, from, to));
            }
            let late = reduction_db(&out, &out_unkeyed, len - 4 * BLOCK, len);
            let want_late = reduction_db(&reference, &reference_unkeyed, len - 4 * BLOCK, len);
            println!(
                "{name}, {label}: {before:.2} dB before; gain from the key in the four blocks after it \
                 {got:.3?} dB (the key alone {want:.3?}), settled {late:.2} dB ({want_late:.2})"
            );
            if before.abs() > 0.05 {
                failures.push(format!("{name}, {label}: {before:.2} dB before the preset, on a quiet main"));
            }
            if want[0] > -0.1 {
                failures.push(format!("{name}, {label}: the key alone gives {:.3} dB in the first block: nothing to see", want[0]));
            }
            if got.iter().zip(&want).any(|(g, w)| (g - w).abs() > 0.02) {
                failures.push(format!(
                    "{name}, {label}: the blocks after the preset get {got:.3?} dB from the key, the key alone {want:.3?} dB"
                ));
            }
            if (late - want_late).abs() > 0.02 || want_late > -1.0 {
                failures.push(format!("{name}, {label}: settles at {late:.2} dB, the key alone {want_late:.2} dB"));
            }
            if !undisturbed {
                failures.push(format!("{name}, {label}: the preset restarted the plugin, so the test proves nothing"));
            }
        }
    }
    assert!(failures.is_empty(), "{failures:#?}");
}
