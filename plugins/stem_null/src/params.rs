//! Stem Null Check parameters: what to output and the stem bus's headroom, plus the saved
//! measurement. Stable ids; never change an `#[id]` once shipped.

use std::sync::{Arc, RwLock};

use editor_widgets::{EditorSize, WindowSpec};
use nice_plug::prelude::*;
use shared_dsp::null_check::NullOutput;

use crate::measurement_bus::MeasurementBus;

/// What the plugin outputs.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum Output {
    /// The stem bus, unchanged.
    #[name = "Stems"]
    Stems,
    /// The reference mix from the sidechain.
    #[name = "Reference"]
    Reference,
    /// Stems minus reference: silence when they null.
    #[name = "Difference"]
    Difference,
}

impl From<Output> for NullOutput {
    fn from(o: Output) -> Self {
        match o {
            Output::Stems => NullOutput::Stems,
            Output::Reference => NullOutput::Reference,
            Output::Difference => NullOutput::Difference,
        }
    }
}

/// The highest safe stem-bus peak.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum Headroom {
    #[name = "-3 dBFS"]
    Minus3,
    #[name = "-6 dBFS"]
    Minus6,
}

impl Headroom {
    /// The ceiling in dBFS.
    pub fn dbfs(self) -> f32 {
        match self {
            Self::Minus3 => -3.0,
            Self::Minus6 => -6.0,
        }
    }
}

/// The editor window: title, size when first opened, smallest size.
pub const WINDOW: WindowSpec = WindowSpec {
    title: "Stem Null Check",
    default_size: EditorSize { width: 900, height: 560 },
    min_size: EditorSize { width: 760, height: 480 },
};

/// All parameters, and the measurement saved with the session.
#[derive(Params)]
pub struct StemNullParams {
    /// Editor size, saved with the session.
    #[persist = "editor-size"]
    pub editor_size: Arc<RwLock<EditorSize>>,
    /// The measurement since the last reset, saved with the session so a reopened project still
    /// shows what was measured (and so a host or test can read it from the state).
    #[nested]
    pub saved: MeasurementBus,

    /// What reaches the output.
    #[id = "output"]
    pub output: EnumParam<Output>,
    /// The stem bus's headroom.
    #[id = "headroom"]
    pub headroom: EnumParam<Headroom>,
    /// Host bypass: outputs the stems unchanged (measuring goes on).
    #[id = "bypass"]
    pub bypass: BoolParam,
}

impl Default for StemNullParams {
    fn default() -> Self {
        Self {
            editor_size: Arc::new(RwLock::new(WINDOW.default_size)),
            saved: MeasurementBus::default(),
            output: EnumParam::new("Output", Output::Stems),
            headroom: EnumParam::new("Headroom", Headroom::Minus3),
            bypass: BoolParam::new("Bypass", false).make_bypass(),
        }
    }
}

impl StemNullParams {
    /// What the DSP outputs now.
    pub fn null_output(&self) -> NullOutput {
        if self.bypass.value() {
            NullOutput::Stems
        } else {
            self.output.value().into()
        }
    }
}
