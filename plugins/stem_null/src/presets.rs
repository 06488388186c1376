//! Factory presets of the Stem Null Check, by delivery, from `presets/stem_null.json`.
//!
//! The null check sits on the stem bus, whose content is always the whole mix, so its presets are
//! not per stem type (as the processors' are) but per job: checking stems delivered for mastering
//! (-6 dBFS headroom, what mastering engineers ask for) or stems of a mix (-3 dBFS), and listening to
//! the residual or the reference. Every preset sets Output and Headroom; Bypass is left alone.

use editor_widgets::factory_presets::{self, FactoryPreset};
use editor_widgets::presets::PresetError;
use nice_plug::prelude::ClapPlugin;

/// Folder name of this plugin's user presets.
pub const USER_FOLDER: &str = "Stem Null Check";

/// The id presets are filed under: the plugin's CLAP id.
pub const PLUGIN_ID: &str = <crate::StemNull as ClapPlugin>::CLAP_ID;

/// The factory preset file, compiled in.
pub const FACTORY_JSON: &str = include_str!("../../../presets/stem_null.json");

/// Parameter ids no factory preset sets.
pub const LEFT_ALONE: &[&str] = &["bypass"];

/// The factory presets, in menu order. Parses the embedded file: call it on the GUI thread (the
/// editor does, when it is created), never on the audio thread.
pub fn factory() -> Result<Vec<FactoryPreset>, PresetError> {
    factory_presets::parse(FACTORY_JSON, PLUGIN_ID)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::params::StemNullParams;
    use editor_widgets::factory_presets::problems;
    use editor_widgets::presets::{resolve, PresetValue};

    fn presets() -> Vec<FactoryPreset> {
        factory().unwrap_or_else(|e| panic!("presets/stem_null.json: {e}"))
    }

    #[test]
    fn the_factory_file_parses_for_this_plugin_only() {
        assert_eq!(PLUGIN_ID, "org.stemsuite.stem-null-check");
        assert_eq!(presets().len(), 4);
        assert!(factory_presets::parse(FACTORY_JSON, "org.stemsuite.bus-compressor").is_err());
    }

    #[test]
    fn every_factory_preset_resolves_and_leaves_the_bypass_alone() {
        let params = StemNullParams::default();
        let presets = presets();
        assert_eq!(problems(&params, &presets, LEFT_ALONE), Vec::<String>::new());
        for preset in &presets {
            assert_eq!(resolve(&params, &preset.values).unwrap().len(), 2, "{}", preset.name);
        }
        // Both headrooms and all three outputs are offered.
        let texts = |id: &str| {
            let mut v: Vec<PresetValue> = presets.iter().map(|p| p.values[id].clone()).collect();
            v.sort_by_key(|x| format!("{x:?}"));
            v.dedup();
            v.len()
        };
        assert_eq!((texts("output"), texts("headroom")), (3, 2));
    }

    #[test]
    fn broken_presets_are_refused_whole() {
        let params = StemNullParams::default();
        let good = presets()[0].values.clone();
        for (id, value) in [
            ("output", PresetValue::Text("Residual".into())),
            ("headroom", PresetValue::Text("-4 dBFS".into())),
            ("no_such_param", PresetValue::Number(1.0)),
        ] {
            let mut values = good.clone();
            values.insert(id.into(), value.clone());
            assert!(resolve(&params, &values).is_err(), "{id} = {value:?} resolved");
        }
    }
}
