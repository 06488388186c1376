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
    use editor_widgets::factory_presets::{accepted_broken, file_problems};
    use editor_widgets::presets::PresetValue;

    fn presets() -> Vec<FactoryPreset> {
        factory().unwrap_or_else(|e| panic!("presets/stem_null.json: {e}"))
    }

    #[test]
    fn the_factory_file_keeps_its_promises() {
        let params = StemNullParams::default();
        // Presets by job, not by stem type: the stem bus always carries the whole mix.
        assert_eq!(file_problems(FACTORY_JSON, PLUGIN_ID, &params, LEFT_ALONE, &[]), Vec::<String>::new());
        let presets = presets();
        assert_eq!(presets.len(), 4);
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
        let broken = [
            ("output", PresetValue::Text("Residual".into())),
            ("headroom", PresetValue::Text("-4 dBFS".into())),
            ("headroom", PresetValue::Number(-3.0)),
            ("no_such_param", PresetValue::Number(1.0)),
        ];
        assert_eq!(accepted_broken(&params, &good, &broken), Vec::<String>::new());
    }
}
