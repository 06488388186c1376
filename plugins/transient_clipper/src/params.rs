//! Transient Clipper parameters: stable ids, host-visible names, and ranges the editor reuses.
//! Defaults come from `ClipperSettings::default()`, so the DSP tests and the plugin agree on them.

use std::sync::{Arc, RwLock};

use nice_plug::prelude::*;
use editor_widgets::{EditorSize, WindowSpec};
use shared_dsp::clip_curve::CurveShape;
use shared_dsp::clipper::ClipperSettings;
use shared_dsp::oversampler::{FilterPhase, Oversampling};

/// Knee shape of the clipping curve.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum Curve {
    #[name = "Hard"]
    Hard,
    #[name = "Soft"]
    Soft,
    #[name = "Cubic"]
    Cubic,
    #[name = "Sine"]
    Sine,
}

/// Oversampling factor.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum Factor {
    #[name = "Off"]
    Off,
    #[name = "2x"]
    X2,
    #[name = "4x"]
    X4,
    #[name = "8x"]
    X8,
    #[name = "16x"]
    X16,
}

/// Phase of the resampling filters.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum Filter {
    #[name = "Linear Phase"]
    Linear,
    #[name = "Minimum Phase"]
    Minimum,
}

/// The editor window: title, size when first opened, smallest size.
pub const WINDOW: WindowSpec = WindowSpec {
    title: "Stem Transient Clipper",
    default_size: EditorSize { width: 920, height: 560 },
    min_size: EditorSize { width: 760, height: 480 },
};

/// Drive range in dB.
pub fn drive_range() -> FloatRange {
    FloatRange::Linear { min: 0.0, max: ClipperSettings::MAX_DRIVE_DB }
}
/// Ceiling range in dBFS.
pub fn ceiling_range() -> FloatRange {
    FloatRange::Linear { min: ClipperSettings::MIN_CEILING_DB, max: 0.0 }
}
/// Output range in dB.
pub fn output_range() -> FloatRange {
    FloatRange::Linear { min: -ClipperSettings::MAX_OUTPUT_DB, max: ClipperSettings::MAX_OUTPUT_DB }
}
/// Range of every percentage parameter, as 0..1.
pub fn unit_range() -> FloatRange {
    FloatRange::Linear { min: 0.0, max: 1.0 }
}

/// All parameters. Never change an `#[id]` once shipped.
#[derive(Params)]
pub struct ClipperParams {
    /// Editor size, saved with the session.
    #[persist = "editor-size"]
    pub editor_size: Arc<RwLock<EditorSize>>,

    /// Gain into the clipper in dB.
    #[id = "drive"]
    pub drive_db: FloatParam,
    /// Ceiling in dBFS.
    #[id = "ceiling"]
    pub ceiling_db: FloatParam,
    /// Gain after the clipper in dB.
    #[id = "output"]
    pub output_db: FloatParam,
    /// How much of the clipping is applied, 0..1 (shown in %).
    #[id = "mix"]
    pub mix: FloatParam,
    /// Knee shape.
    #[id = "curve"]
    pub curve: EnumParam<Curve>,
    /// Knee width as a fraction of the ceiling, 0..1 (shown in %).
    #[id = "softness"]
    pub softness: FloatParam,
    /// Oversampling factor (sets the latency).
    #[id = "oversampling"]
    pub oversampling: EnumParam<Factor>,
    /// Resampling filter phase (sets the latency).
    #[id = "filter"]
    pub filter: EnumParam<Filter>,
    /// Transient Only, 0..1 (shown in %).
    #[id = "transient"]
    pub transient_only: FloatParam,
    /// Stereo link, 0..1 (shown in %).
    #[id = "link"]
    pub stereo_link: FloatParam,
    /// Base-rate safety clip at the ceiling.
    #[id = "safety"]
    pub safety_clip: BoolParam,
    /// Listen to what is clipped off.
    #[id = "delta"]
    pub delta: BoolParam,
    /// Host bypass: the input delayed by the latency.
    #[id = "bypass"]
    pub bypass: BoolParam,
}

fn db(p: FloatParam, unit: &'static str) -> FloatParam {
    p.with_unit(unit).with_value_to_string(formatters::v2s_f32_rounded(1)).with_step_size(0.1)
}

fn percent(name: &str, value: f32) -> FloatParam {
    FloatParam::new(name, value, unit_range())
        .with_unit("%")
        .with_value_to_string(formatters::v2s_f32_percentage(0))
        .with_string_to_value(formatters::s2v_f32_percentage())
}

impl Default for ClipperParams {
    fn default() -> Self {
        let d = ClipperSettings::default();
        Self {
            editor_size: Arc::new(RwLock::new(WINDOW.default_size)),
            drive_db: db(FloatParam::new("Drive", d.drive_db, drive_range()), " dB"),
            ceiling_db: db(FloatParam::new("Ceiling", d.ceiling_db, ceiling_range()), " dBFS"),
            output_db: db(FloatParam::new("Output", d.output_db, output_range()), " dB"),
            mix: percent("Mix", d.mix),
            curve: EnumParam::new("Curve", curve_from_dsp(d.curve)),
            softness: percent("Softness", d.softness),
            oversampling: EnumParam::new("Oversampling", factor_from_dsp(d.oversampling)),
            filter: EnumParam::new("Filter", filter_from_dsp(d.phase)),
            transient_only: percent("Transient Only", d.transient_only),
            stereo_link: percent("Stereo Link", d.stereo_link),
            safety_clip: BoolParam::new("Safety Clip", d.safety_clip),
            delta: BoolParam::new("Delta", d.delta),
            bypass: BoolParam::new("Bypass", false).make_bypass(),
        }
    }
}

fn curve_from_dsp(c: CurveShape) -> Curve {
    match c {
        CurveShape::Hard => Curve::Hard,
        CurveShape::Soft => Curve::Soft,
        CurveShape::Cubic => Curve::Cubic,
        CurveShape::Sine => Curve::Sine,
    }
}

fn factor_from_dsp(f: Oversampling) -> Factor {
    match f {
        Oversampling::Off => Factor::Off,
        Oversampling::X2 => Factor::X2,
        Oversampling::X4 => Factor::X4,
        Oversampling::X8 => Factor::X8,
        Oversampling::X16 => Factor::X16,
    }
}

fn filter_from_dsp(p: FilterPhase) -> Filter {
    match p {
        FilterPhase::Linear => Filter::Linear,
        FilterPhase::Minimum => Filter::Minimum,
    }
}

impl ClipperParams {
    /// The DSP settings these parameters describe (plain values, read once per block).
    pub fn settings(&self) -> ClipperSettings {
        ClipperSettings {
            drive_db: self.drive_db.value(),
            ceiling_db: self.ceiling_db.value(),
            output_db: self.output_db.value(),
            mix: self.mix.value(),
            curve: match self.curve.value() {
                Curve::Hard => CurveShape::Hard,
                Curve::Soft => CurveShape::Soft,
                Curve::Cubic => CurveShape::Cubic,
                Curve::Sine => CurveShape::Sine,
            },
            softness: self.softness.value(),
            oversampling: match self.oversampling.value() {
                Factor::Off => Oversampling::Off,
                Factor::X2 => Oversampling::X2,
                Factor::X4 => Oversampling::X4,
                Factor::X8 => Oversampling::X8,
                Factor::X16 => Oversampling::X16,
            },
            phase: match self.filter.value() {
                Filter::Linear => FilterPhase::Linear,
                Filter::Minimum => FilterPhase::Minimum,
            },
            transient_only: self.transient_only.value(),
            stereo_link: self.stereo_link.value(),
            safety_clip: self.safety_clip.value(),
            delta: self.delta.value(),
            bypass: self.bypass.value(),
        }
    }
}
