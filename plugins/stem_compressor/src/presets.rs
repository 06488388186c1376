//! Factory presets, one per stem type: starting points a mixing engineer would dial in.
//!
//! Every preset sets the stem, detector (Auto), mode, key routing, dynamics, key filter and
//! lookahead, with Auto Makeup on and Makeup 0 dB. Output, Mix, Channels, Stereo Link, LFE, Delta,
//! Key Listen and Bypass stay where they are. "Music (Unmask by key)" is the typical Unmask use: the
//! music stem keyed by the lead vocal (or dialogue) on the sidechain.

use editor_widgets::presets::{FactoryPreset, FactoryValue};

/// Folder name of this plugin's user presets.
pub const USER_FOLDER: &str = "Stem Compressor";

/// A factory preset from one row: name, stem, mode, key, then threshold dBFS, ratio, attack ms,
/// release ms, auto release, knee dB, range dB, key HPF Hz, lookahead ms.
macro_rules! row {
    ($name:literal, $stem:literal, $mode:literal, $key:literal,
     $thr:literal, $ratio:literal, $att:literal, $rel:literal, $auto_rel:literal,
     $knee:literal, $range:literal, $hpf:literal, $lookahead:literal) => {
        FactoryPreset {
            name: $name,
            values: &[
                ("stem", FactoryValue::Text($stem)),
                ("detector", FactoryValue::Text("Auto")),
                ("mode", FactoryValue::Text($mode)),
                ("key", FactoryValue::Text($key)),
                ("thresh", FactoryValue::Number($thr)),
                ("ratio", FactoryValue::Number($ratio)),
                ("attack", FactoryValue::Number($att)),
                ("release", FactoryValue::Number($rel)),
                ("auto_rel", FactoryValue::Text($auto_rel)),
                ("knee", FactoryValue::Number($knee)),
                ("range", FactoryValue::Number($range)),
                ("makeup", FactoryValue::Number(0.0)),
                ("auto_makeup", FactoryValue::Text("On")),
                ("key_hpf", FactoryValue::Number($hpf)),
                ("lookahead", FactoryValue::Number($lookahead)),
            ],
        }
    };
}

/// One factory preset per stem type, in the order of the Stem parameter.
#[rustfmt::skip]
pub const FACTORY: &[FactoryPreset] = &[
    //   name                     stem              mode         key         thr    ratio att   rel    auto   knee  range hpf    look
    row!("Drums",                 "Drums",          "Broadband", "Internal", -18.0, 4.0,  20.0, 120.0, "Off", 6.0,  12.0, 20.0,  0.0),
    row!("Bass",                  "Bass",           "Broadband", "Internal", -22.0, 4.0,  30.0, 250.0, "On",  8.0,  9.0,  20.0,  0.0),
    row!("Percussion",            "Percussion",     "Broadband", "Internal", -20.0, 3.0,  10.0, 100.0, "Off", 6.0,  10.0, 20.0,  0.0),
    row!("Guitars",               "Guitars",        "Broadband", "Internal", -20.0, 3.0,  15.0, 180.0, "On",  8.0,  9.0,  60.0,  0.0),
    row!("Keys",                  "Keys",           "Broadband", "Internal", -22.0, 2.5,  20.0, 200.0, "On",  10.0, 8.0,  40.0,  0.0),
    row!("Lead Vocal",            "Lead Vocal",     "Broadband", "Internal", -24.0, 3.0,  5.0,  120.0, "On",  8.0,  12.0, 80.0,  0.0),
    row!("Backing Vocals",        "Backing Vocals", "Broadband", "Internal", -26.0, 4.0,  10.0, 180.0, "On",  8.0,  12.0, 100.0, 0.0),
    row!("FX",                    "FX",             "Broadband", "Internal", -20.0, 2.5,  20.0, 250.0, "Off", 8.0,  8.0,  40.0,  0.0),
    row!("Dialogue",              "Dialogue",       "Broadband", "Internal", -26.0, 3.0,  5.0,  150.0, "On",  6.0,  12.0, 80.0,  2.0),
    row!("Music (Unmask by key)", "Music",          "Unmask",    "External", -45.0, 3.0,  20.0, 250.0, "Off", 6.0,  6.0,  20.0,  0.0),
    row!("Effects",               "Effects",        "Broadband", "Internal", -20.0, 2.5,  10.0, 200.0, "Off", 8.0,  8.0,  40.0,  0.0),
    row!("Full Mix",              "Full Mix",       "Broadband", "Internal", -16.0, 1.5,  30.0, 300.0, "On",  12.0, 4.0,  60.0,  0.0),
];

#[cfg(test)]
mod tests {
    use super::*;
    use crate::params::{Stem, StemCompressorParams};
    use editor_widgets::presets::{capture, resolve, PresetError, PresetValue};
    use nice_plug::prelude::Enum;

    #[test]
    fn one_factory_preset_per_stem_in_stem_order() {
        assert_eq!(FACTORY.len(), Stem::variants().len());
        for (preset, stem) in FACTORY.iter().zip(Stem::variants()) {
            assert_eq!(preset.values[0], ("stem", FactoryValue::Text(stem)), "{}", preset.name);
        }
    }

    #[test]
    fn every_factory_preset_resolves_against_the_parameters() {
        let params = StemCompressorParams::default();
        for preset in FACTORY {
            let changes = resolve(&params, &preset.to_values()).unwrap_or_else(|e| panic!("{}: {e}", preset.name));
            assert_eq!(changes.len(), preset.values.len());
            // Every value lands inside its range: no clamping happened.
            for ((id, value), (ptr, normalized)) in preset.to_values().iter().zip(&changes) {
                if let PresetValue::Number(x) = value {
                    let back = unsafe { ptr.preview_plain(*normalized) };
                    assert!((back - x).abs() <= 1e-3 * x.abs().max(1.0), "{}: {id} {x} -> {back}", preset.name);
                }
            }
        }
    }

    #[test]
    fn broken_presets_are_refused_whole() {
        let params = StemCompressorParams::default();
        let mut values = FACTORY[0].to_values();
        values.insert("no_such_param".into(), PresetValue::Number(1.0));
        assert_eq!(resolve(&params, &values).unwrap_err(), PresetError::UnknownParameter("no_such_param".into()));
        let mut values = FACTORY[0].to_values();
        values.insert("stem".into(), PresetValue::Text("Kazoo".into()));
        assert!(matches!(resolve(&params, &values), Err(PresetError::BadValue { .. })));
        let mut values = FACTORY[0].to_values();
        values.insert("thresh".into(), PresetValue::Number(f32::NAN));
        assert!(matches!(resolve(&params, &values), Err(PresetError::BadValue { .. })));
    }

    #[test]
    fn captured_values_resolve_to_the_current_settings() {
        let params = StemCompressorParams::default();
        let values = capture(&params);
        assert!(!values.contains_key("bypass"), "the bypass is not part of a preset");
        assert!(values.contains_key("stem") && values.contains_key("thresh"));
        for (ptr, normalized) in resolve(&params, &values).unwrap() {
            let now = unsafe { ptr.unmodulated_normalized_value() };
            assert!((now - normalized).abs() < 1e-6, "{now} vs {normalized}");
        }
    }
}
