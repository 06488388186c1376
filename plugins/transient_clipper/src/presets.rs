//! Factory presets of the Transient Clipper, by stem type, from `presets/transient_clipper.json`.
//!
//! Every preset sets Drive, Ceiling, Curve, Softness, Oversampling, Filter, Transient Only and Safety
//! Clip (on in every preset: the ceiling is a promise). Drive is also the level change below the
//! knee, so a preset makes the stem that much louder; Output is left for you to trim. [`LEFT_ALONE`]
//! stays where it is: Output, Mix, Stereo Link, Delta and Bypass.
//!
//! Oversampling and Filter set the latency, so loading a preset may change it (the host is told).
//! Sustained material (bass, keys, vocals, the mix) gets 8x with linear phase, where a soft knee
//! aliases far below audibility; drums get 4x, which their noise-like spectrum hides; dialogue gets
//! minimum phase: no pre-ringing ahead of plosives and 9 samples of latency, for picture sync.

use editor_widgets::factory_presets::{self, FactoryPreset};
use editor_widgets::presets::PresetError;
use nice_plug::prelude::ClapPlugin;

/// Folder name of this plugin's user presets.
pub const USER_FOLDER: &str = "Transient Clipper";

/// The id presets are filed under: the plugin's CLAP id.
pub const PLUGIN_ID: &str = <crate::StemTransientClipper as ClapPlugin>::CLAP_ID;

/// The factory preset file, compiled in.
pub const FACTORY_JSON: &str = include_str!("../../../presets/transient_clipper.json");

/// Parameter ids no factory preset sets.
pub const LEFT_ALONE: &[&str] = &["output", "mix", "link", "delta", "bypass"];

/// The factory presets, in menu order. Parses the embedded file: call it on the GUI thread (the
/// editor does, when it is created), never on the audio thread.
pub fn factory() -> Result<Vec<FactoryPreset>, PresetError> {
    factory_presets::parse(FACTORY_JSON, PLUGIN_ID)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::params::ClipperParams;
    use editor_widgets::factory_presets::{accepted_broken, file_problems, STEM_TYPES};
    use editor_widgets::presets::PresetValue;

    fn presets() -> Vec<FactoryPreset> {
        factory().unwrap_or_else(|e| panic!("presets/transient_clipper.json: {e}"))
    }

    fn text(v: &str) -> PresetValue {
        PresetValue::Text(v.into())
    }

    #[test]
    fn the_factory_file_keeps_its_promises() {
        let params = ClipperParams::default();
        assert_eq!(file_problems(FACTORY_JSON, PLUGIN_ID, &params, LEFT_ALONE, &STEM_TYPES), Vec::<String>::new());
        for preset in &presets() {
            assert_eq!(preset.values["safety"], text("On"), "{}: the ceiling holds", preset.name);
            assert_ne!(preset.values["oversampling"], text("Off"), "{}: clipping aliases", preset.name);
        }
    }

    #[test]
    fn drums_clip_everything_and_the_mix_stays_gentle_under_a_delivery_ceiling() {
        let presets = presets();
        let by_name = |n: &str| &presets.iter().find(|p| p.name == n).unwrap_or_else(|| panic!("no {n}")).values;
        assert_eq!(by_name("Drums")["transient"], PresetValue::Number(0.0));
        for name in ["Full Mix", "Full Mix (loud, -0.3 dBFS)"] {
            let mix = by_name(name);
            assert_eq!(mix["filter"], text("Linear Phase"), "{name}");
            assert!([text("4x"), text("8x")].contains(&mix["oversampling"]), "{name}");
            assert!([PresetValue::Number(-1.0), PresetValue::Number(-0.3)].contains(&mix["ceiling"]), "{name}");
            assert!(matches!(mix["drive"], PresetValue::Number(d) if d <= 3.0), "{name}: gentle");
        }
    }

    #[test]
    fn broken_presets_are_refused_whole() {
        let params = ClipperParams::default();
        let good = presets()[0].values.clone();
        let broken: [(&str, PresetValue); 6] = [
            ("no_such_param", PresetValue::Number(1.0)),
            ("curve", text("Square")),
            ("oversampling", text("32x")),
            ("safety", text("Always")),
            ("drive", PresetValue::Number(f32::NAN)),
            ("ceiling", text("low")),
        ];
        assert_eq!(accepted_broken(&params, &good, &broken), Vec::<String>::new());
    }
}
