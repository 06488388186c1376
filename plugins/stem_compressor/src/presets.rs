//! Factory presets, one per stem type, from `presets/stem_compressor.json`: starting points a mixing
//! engineer would dial in. The 5.1 plugin shares them (and the user presets) with the stereo one.
//!
//! Every preset sets the stem, detector (Auto), mode, key routing, dynamics (threshold, ratio,
//! attack, release, auto release, knee, range), key filter and lookahead, with Auto Makeup on and
//! Makeup 0 dB. [`LEFT_ALONE`] stays where it is: Resolution, Key Blend, Key Listen, Stereo Link,
//! Channels, LFE, Mix, Output, Delta and Bypass. "Music (Unmask by key)" is the typical Unmask use:
//! the music stem keyed by the lead vocal (or dialogue) on the sidechain.

use editor_widgets::factory_presets::{self, FactoryPreset};
use editor_widgets::presets::PresetError;

/// Folder name of this plugin's user presets.
pub const USER_FOLDER: &str = "Stem Compressor";

/// The factory preset file, compiled in.
pub const FACTORY_JSON: &str = include_str!("../../../presets/stem_compressor.json");

/// Parameter ids no factory preset sets.
pub const LEFT_ALONE: &[&str] =
    &["resolution", "key_blend", "key_listen", "link", "channels", "lfe", "mix", "output", "delta", "bypass"];

/// The factory presets, in menu order. Parses the embedded file: call it on the GUI thread (the
/// editor does, when it is created), never on the audio thread.
pub fn factory() -> Result<Vec<FactoryPreset>, PresetError> {
    factory_presets::parse(FACTORY_JSON, crate::PRESET_PLUGIN_ID)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::params::{Stem, StemCompressorParams};
    use editor_widgets::factory_presets::{accepted_broken, file_problems};
    use editor_widgets::presets::{capture, resolve, PresetValue};
    use nice_plug::prelude::Enum;

    fn presets() -> Vec<FactoryPreset> {
        factory().unwrap_or_else(|e| panic!("presets/stem_compressor.json: {e}"))
    }

    #[test]
    fn one_factory_preset_per_stem_in_stem_order() {
        let presets = presets();
        assert_eq!(presets.len(), Stem::variants().len());
        for (preset, stem) in presets.iter().zip(Stem::variants()) {
            assert_eq!(preset.values["stem"], PresetValue::Text((*stem).into()), "{}", preset.name);
        }
    }

    #[test]
    fn the_factory_file_keeps_its_promises() {
        let params = StemCompressorParams::default();
        // "Vocals" is covered twice over, by "Lead Vocal" and "Backing Vocals".
        let stem_types = ["Drums", "Bass", "Keys", "Full Mix", "Dialogue", "Lead Vocal", "Backing Vocals"];
        assert_eq!(file_problems(FACTORY_JSON, crate::PRESET_PLUGIN_ID, &params, LEFT_ALONE, &stem_types), Vec::<String>::new());
    }

    #[test]
    fn broken_presets_are_refused_whole() {
        let params = StemCompressorParams::default();
        let good = presets()[0].values.clone();
        let broken: [(&str, PresetValue); 5] = [
            ("no_such_param", PresetValue::Number(1.0)),
            ("stem", PresetValue::Text("Kazoo".into())),
            ("auto_makeup", PresetValue::Text("Onn".into())),
            ("thresh", PresetValue::Number(f32::NAN)),
            ("ratio", PresetValue::Text("lots".into())),
        ];
        assert_eq!(accepted_broken(&params, &good, &broken), Vec::<String>::new());
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
