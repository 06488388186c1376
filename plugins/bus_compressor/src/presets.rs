//! Factory presets of the Bus Compressor, by stem type, from `presets/bus_compressor.json`.
//!
//! Every preset sets the dynamics (Threshold, Ratio, Attack, Release, Auto Release, Knee, Detector),
//! the key (Key source and Key HPF), Lookahead and Makeup. Makeup is about the reduction the preset
//! gives on a stem at a nominal level (about -18 dBFS RMS), so switching presets keeps the loudness
//! roughly where it was. [`LEFT_ALONE`] stays where it is: Mix, Output, Stereo Link (100 % by
//! default: one gain for both channels), Key Listen and Bypass.
//!
//! Every preset but one listens to its own input (Key Internal): they are set for that source.
//! "Stem Mastering (Key: Full Mix)" is "Full Mix" listening to the sidechain: put it on every stem
//! with the full mix on the key, and the processed stems sum to the mix processed by "Full Mix".

use editor_widgets::factory_presets::{self, FactoryPreset};
use editor_widgets::presets::PresetError;
use nice_plug::prelude::ClapPlugin;

/// Folder name of this plugin's user presets.
pub const USER_FOLDER: &str = "Bus Compressor";

/// The id presets are filed under: the plugin's CLAP id.
pub const PLUGIN_ID: &str = <crate::BusCompressor as ClapPlugin>::CLAP_ID;

/// The factory preset file, compiled in.
pub const FACTORY_JSON: &str = include_str!("../../../presets/bus_compressor.json");

/// Parameter ids no factory preset sets.
pub const LEFT_ALONE: &[&str] = &["mix", "output", "link", "key_listen", "bypass"];

/// The factory presets, in menu order. Parses the embedded file: call it on the GUI thread (the
/// editor does, when it is created), never on the audio thread.
pub fn factory() -> Result<Vec<FactoryPreset>, PresetError> {
    factory_presets::parse(FACTORY_JSON, PLUGIN_ID)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::params::BusCompressorParams;
    use editor_widgets::factory_presets::{accepted_broken, file_problems, STEM_TYPES};
    use editor_widgets::presets::PresetValue;

    fn presets() -> Vec<FactoryPreset> {
        factory().unwrap_or_else(|e| panic!("presets/bus_compressor.json: {e}"))
    }

    #[test]
    fn the_factory_file_keeps_its_promises() {
        let params = BusCompressorParams::default();
        assert_eq!(file_problems(FACTORY_JSON, PLUGIN_ID, &params, LEFT_ALONE, &STEM_TYPES), Vec::<String>::new());
    }

    #[test]
    fn only_the_stem_mastering_preset_listens_to_the_sidechain() {
        let presets = presets();
        let external: Vec<&str> = presets
            .iter()
            .filter(|p| p.values["key"] == PresetValue::Text("External".into()))
            .map(|p| p.name.as_str())
            .collect();
        assert_eq!(external, ["Stem Mastering (Key: Full Mix)"]);
        // It is "Full Mix" with the key switched, so stems keyed by the mix sum to the processed mix.
        let by_name = |n: &str| presets.iter().find(|p| p.name == n).unwrap().values.clone();
        let mut keyed = by_name("Stem Mastering (Key: Full Mix)");
        keyed.insert("key".into(), PresetValue::Text("Internal".into()));
        assert_eq!(keyed, by_name("Full Mix"));
    }

    #[test]
    fn broken_presets_are_refused_whole() {
        let params = BusCompressorParams::default();
        let good = presets()[0].values.clone();
        let broken: [(&str, PresetValue); 6] = [
            ("no_such_param", PresetValue::Number(1.0)),
            ("key", PresetValue::Text("Sidechain".into())),
            ("detector", PresetValue::Text("rms".into())),
            ("auto_rel", PresetValue::Text("Onn".into())),
            ("thresh", PresetValue::Number(f32::INFINITY)),
            ("ratio", PresetValue::Text("lots".into())),
        ];
        assert_eq!(accepted_broken(&params, &good, &broken), Vec::<String>::new());
    }
}
