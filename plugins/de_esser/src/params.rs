//! De-Esser parameters: stable ids, host-visible names, and ranges the editor reuses. Defaults come
//! from `DeEsserSettings::default()`, so the DSP tests and the plugin agree on them.

use std::sync::{Arc, RwLock};

use nice_plug::prelude::*;
use editor_widgets::{EditorSize, WindowSpec};
use shared_dsp::deesser::{self, DeEsserSettings};

/// Split-band or wideband reduction.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    #[name = "Split-band"]
    SplitBand,
    #[name = "Wideband"]
    Wideband,
}

/// Shape of the detection and suppression band.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum Filter {
    #[name = "High-pass"]
    HighPass,
    #[name = "Band-pass"]
    BandPass,
}

/// What the detector compares with the threshold.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum Detection {
    #[name = "Relative"]
    Relative,
    #[name = "Absolute"]
    Absolute,
}

/// What the output carries.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum Listen {
    #[name = "Off"]
    Off,
    #[name = "Sibilance"]
    Sibilance,
    #[name = "Removed"]
    Removed,
}

/// The editor window: title, size when first opened, smallest size.
pub const WINDOW: WindowSpec = WindowSpec {
    title: "Stem De-Esser",
    default_size: EditorSize { width: 920, height: 560 },
    min_size: EditorSize { width: 760, height: 480 },
};

/// Longest lookahead in ms; delay lines are sized for it in `activate`.
pub const MAX_LOOKAHEAD_MS: f32 = 5.0;

/// Frequency (lower band edge) range in Hz.
pub fn frequency_range() -> FloatRange {
    FloatRange::Skewed { min: 2000.0, max: 16000.0, factor: FloatRange::skew_factor(-1.0) }
}
/// Band-pass width range in octaves.
pub fn width_range() -> FloatRange {
    FloatRange::Linear { min: 0.25, max: 3.0 }
}
/// Threshold range in dB (relative: band minus full-band level; absolute: dBFS).
pub fn threshold_range() -> FloatRange {
    FloatRange::Linear { min: -60.0, max: 0.0 }
}
/// Range (maximum reduction) in dB.
pub fn range_range() -> FloatRange {
    FloatRange::Linear { min: 0.0, max: 24.0 }
}
/// Attack range in ms.
pub fn attack_range() -> FloatRange {
    FloatRange::Skewed { min: 0.05, max: 20.0, factor: FloatRange::skew_factor(-2.0) }
}
/// Release range in ms.
pub fn release_range() -> FloatRange {
    FloatRange::Skewed { min: 5.0, max: 500.0, factor: FloatRange::skew_factor(-1.5) }
}
/// Lookahead range in ms.
pub fn lookahead_range() -> FloatRange {
    FloatRange::Linear { min: 0.0, max: MAX_LOOKAHEAD_MS }
}
/// Output range in dB.
pub fn output_range() -> FloatRange {
    FloatRange::Linear { min: -24.0, max: 24.0 }
}

/// All parameters. Never change an `#[id]` once shipped.
#[derive(Params)]
pub struct DeEsserParams {
    /// Editor size, saved with the session.
    #[persist = "editor-size"]
    pub editor_size: Arc<RwLock<EditorSize>>,

    /// Split-band or wideband.
    #[id = "mode"]
    pub mode: EnumParam<Mode>,
    /// Lower edge of the detection and suppression band in Hz.
    #[id = "freq"]
    pub frequency_hz: FloatParam,
    /// High-pass or band-pass band.
    #[id = "filter"]
    pub filter: EnumParam<Filter>,
    /// Band-pass width in octaves.
    #[id = "width"]
    pub width_octaves: FloatParam,
    /// Relative or absolute detection.
    #[id = "detection"]
    pub detection: EnumParam<Detection>,
    /// Threshold in dB.
    #[id = "thresh"]
    pub threshold_db: FloatParam,
    /// Maximum reduction in dB.
    #[id = "range"]
    pub range_db: FloatParam,
    /// Attack time constant in ms.
    #[id = "attack"]
    pub attack_ms: FloatParam,
    /// Release time constant in ms.
    #[id = "release"]
    pub release_ms: FloatParam,
    /// Lookahead in ms (sets the latency).
    #[id = "lookahead"]
    pub lookahead_ms: FloatParam,
    /// Stereo link as 0..1 (shown in %).
    #[id = "link"]
    pub stereo_link: FloatParam,
    /// Output gain in dB.
    #[id = "output"]
    pub output_db: FloatParam,
    /// Listen mode.
    #[id = "listen"]
    pub listen: EnumParam<Listen>,
    /// Host bypass: the input delayed by the latency.
    #[id = "bypass"]
    pub bypass: BoolParam,
}

fn with_unit(p: FloatParam, unit: &'static str, digits: usize) -> FloatParam {
    p.with_unit(unit).with_value_to_string(formatters::v2s_f32_rounded(digits))
}

impl Default for DeEsserParams {
    fn default() -> Self {
        let d = DeEsserSettings::default();
        Self {
            editor_size: Arc::new(RwLock::new(WINDOW.default_size)),
            mode: EnumParam::new("Mode", mode_from_dsp(d.mode)),
            frequency_hz: FloatParam::new("Frequency", d.frequency_hz, frequency_range())
                .with_unit(" Hz")
                .with_value_to_string(formatters::v2s_f32_rounded(0)),
            filter: EnumParam::new("Filter", filter_from_dsp(d.shape)),
            width_octaves: with_unit(FloatParam::new("Width", d.width_octaves, width_range()), " oct", 2),
            detection: EnumParam::new("Detection", detection_from_dsp(d.detection)),
            threshold_db: with_unit(FloatParam::new("Threshold", d.threshold_db, threshold_range()), " dB", 1),
            range_db: with_unit(FloatParam::new("Range", d.range_db, range_range()), " dB", 1),
            attack_ms: with_unit(FloatParam::new("Attack", d.attack_ms, attack_range()), " ms", 2),
            release_ms: with_unit(FloatParam::new("Release", d.release_ms, release_range()), " ms", 1),
            lookahead_ms: with_unit(FloatParam::new("Lookahead", d.lookahead_ms, lookahead_range()), " ms", 2)
                .with_step_size(0.05),
            stereo_link: FloatParam::new("Stereo Link", d.stereo_link, FloatRange::Linear { min: 0.0, max: 1.0 })
                .with_unit("%")
                .with_value_to_string(formatters::v2s_f32_percentage(0))
                .with_string_to_value(formatters::s2v_f32_percentage()),
            output_db: with_unit(FloatParam::new("Output", d.output_db, output_range()), " dB", 1),
            listen: EnumParam::new("Listen", Listen::Off),
            bypass: BoolParam::new("Bypass", false).make_bypass(),
        }
    }
}

fn mode_from_dsp(m: deesser::DeEsserMode) -> Mode {
    match m {
        deesser::DeEsserMode::SplitBand => Mode::SplitBand,
        deesser::DeEsserMode::Wideband => Mode::Wideband,
    }
}

fn filter_from_dsp(s: deesser::BandShape) -> Filter {
    match s {
        deesser::BandShape::HighPass => Filter::HighPass,
        deesser::BandShape::BandPass => Filter::BandPass,
    }
}

fn detection_from_dsp(d: deesser::Detection) -> Detection {
    match d {
        deesser::Detection::Relative => Detection::Relative,
        deesser::Detection::Absolute => Detection::Absolute,
    }
}

impl DeEsserParams {
    /// The DSP settings these parameters describe (plain values, read once per block).
    pub fn settings(&self) -> DeEsserSettings {
        DeEsserSettings {
            mode: match self.mode.value() {
                Mode::SplitBand => deesser::DeEsserMode::SplitBand,
                Mode::Wideband => deesser::DeEsserMode::Wideband,
            },
            frequency_hz: self.frequency_hz.value(),
            shape: match self.filter.value() {
                Filter::HighPass => deesser::BandShape::HighPass,
                Filter::BandPass => deesser::BandShape::BandPass,
            },
            width_octaves: self.width_octaves.value(),
            detection: match self.detection.value() {
                Detection::Relative => deesser::Detection::Relative,
                Detection::Absolute => deesser::Detection::Absolute,
            },
            threshold_db: self.threshold_db.value(),
            range_db: self.range_db.value(),
            attack_ms: self.attack_ms.value(),
            release_ms: self.release_ms.value(),
            lookahead_ms: self.lookahead_ms.value(),
            stereo_link: self.stereo_link.value(),
            output_db: self.output_db.value(),
            listen: match self.listen.value() {
                Listen::Off => deesser::Listen::Off,
                Listen::Sibilance => deesser::Listen::Sibilance,
                Listen::Removed => deesser::Listen::Removed,
            },
            bypass: self.bypass.value(),
        }
    }
}
