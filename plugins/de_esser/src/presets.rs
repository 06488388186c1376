//! Factory presets of the De-Esser, by stem type, from `presets/de_esser.json`.
//!
//! Every preset sets the band (Mode, Frequency, Filter, Width: also for a high-pass band, where it
//! waits unused, so no preset leaves another's width behind), the detection (Detection, Threshold,
//! Range, Attack, Release) and Lookahead, which is 1 ms in every preset: every instance has the same
//! latency whatever preset it carries. [`LEFT_ALONE`] stays where it is: Stereo Link (100 % by
//! default: the image does not shift), Output, Listen and Bypass.
//!
//! All are split-band (only the band is turned down). Voices use relative detection, which does not
//! depend on the level; the drum preset uses absolute detection (dBFS), so cymbals are tamed by how
//! loud they are and not by how the kick beneath them moves the full-band level.

use editor_widgets::factory_presets::{self, FactoryPreset};
use editor_widgets::presets::PresetError;
use nice_plug::prelude::ClapPlugin;

/// Folder name of this plugin's user presets.
pub const USER_FOLDER: &str = "De-Esser";

/// The id presets are filed under: the plugin's CLAP id.
pub const PLUGIN_ID: &str = <crate::StemDeEsser as ClapPlugin>::CLAP_ID;

/// The factory preset file, compiled in.
pub const FACTORY_JSON: &str = include_str!("../../../presets/de_esser.json");

/// Parameter ids no factory preset sets.
pub const LEFT_ALONE: &[&str] = &["link", "output", "listen", "bypass"];

/// The factory presets, in menu order. Parses the embedded file: call it on the GUI thread (the
/// editor does, when it is created), never on the audio thread.
pub fn factory() -> Result<Vec<FactoryPreset>, PresetError> {
    factory_presets::parse(FACTORY_JSON, PLUGIN_ID)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::params::DeEsserParams;
    use editor_widgets::factory_presets::{accepted_broken, file_problems, STEM_TYPES};
    use editor_widgets::presets::PresetValue;

    fn presets() -> Vec<FactoryPreset> {
        factory().unwrap_or_else(|e| panic!("presets/de_esser.json: {e}"))
    }

    #[test]
    fn the_factory_file_keeps_its_promises() {
        let params = DeEsserParams::default();
        assert_eq!(file_problems(FACTORY_JSON, PLUGIN_ID, &params, LEFT_ALONE, &STEM_TYPES), Vec::<String>::new());
        for preset in &presets() {
            assert_eq!(preset.values["lookahead"], PresetValue::Number(1.0), "{}: same latency in every preset", preset.name);
        }
    }

    #[test]
    fn band_pass_presets_stay_below_the_top_of_the_range() {
        // The band's upper edge, Frequency x 2^Width, stays at or below 16 kHz (the top of the
        // Frequency range), inside the audio band at 44.1 kHz.
        for preset in presets() {
            let number = |id: &str| match preset.values[id] {
                PresetValue::Number(x) => x,
                ref v => panic!("{}: {id} = {v:?}", preset.name),
            };
            if preset.values["filter"] == PresetValue::Text("Band-pass".into()) {
                let top_hz = number("freq") * number("width").exp2();
                assert!(top_hz <= 16_000.0, "{}: band up to {top_hz} Hz", preset.name);
            }
        }
    }

    #[test]
    fn broken_presets_are_refused_whole() {
        let params = DeEsserParams::default();
        let good = presets()[0].values.clone();
        let broken: [(&str, PresetValue); 6] = [
            ("no_such_param", PresetValue::Number(1.0)),
            ("mode", PresetValue::Text("Splitband".into())),
            ("filter", PresetValue::Text("Notch".into())),
            ("listen", PresetValue::Text("Everything".into())),
            ("freq", PresetValue::Number(f32::NAN)),
            ("thresh", PresetValue::Text("loud".into())),
        ];
        assert_eq!(accepted_broken(&params, &good, &broken), Vec::<String>::new());
    }
}
