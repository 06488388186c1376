//! Parameter constructors and ranges the compressors share, so the Bus and Stem Compressors show
//! the same units, formats and ranges.

use nice_plug::prelude::*;

/// A parameter in dB, shown with one decimal.
pub fn db_param(name: &str, default: f32, range: FloatRange) -> FloatParam {
    FloatParam::new(name, default, range).with_unit(" dB").with_value_to_string(formatters::v2s_f32_rounded(1))
}

/// A time in ms, shown with one decimal.
pub fn ms_param(name: &str, default: f32, range: FloatRange) -> FloatParam {
    FloatParam::new(name, default, range).with_unit(" ms").with_value_to_string(formatters::v2s_f32_rounded(1))
}

/// A percentage, stored as 0..1.
pub fn percent_param(name: &str, default: f32) -> FloatParam {
    FloatParam::new(name, default, unit_range())
        .with_unit("%")
        .with_value_to_string(formatters::v2s_f32_percentage(0))
        .with_string_to_value(formatters::s2v_f32_percentage())
}

/// A compression ratio. The ":1" unit keeps the value numeric for hosts that parse "2.0:1" as an
/// enum (pedalboard), while it still reads "2.0:1".
pub fn ratio_param(name: &str, default: f32) -> FloatParam {
    FloatParam::new(name, default, ratio_range())
        .with_unit(":1")
        .with_value_to_string(formatters::v2s_f32_rounded(1))
        .with_string_to_value(formatters::s2v_compression_ratio())
}

/// A frequency in Hz, shown rounded to 1 Hz.
pub fn hz_param(name: &str, default: f32, range: FloatRange) -> FloatParam {
    FloatParam::new(name, default, range).with_unit(" Hz").with_value_to_string(formatters::v2s_f32_rounded(0))
}

/// Longest lookahead of the compressors in ms; their delay lines are sized for it in `activate`.
pub const MAX_LOOKAHEAD_MS: f32 = 10.0;

/// Lookahead range in ms.
pub fn lookahead_range() -> FloatRange {
    FloatRange::Linear { min: 0.0, max: MAX_LOOKAHEAD_MS }
}
/// Threshold range in dBFS.
pub fn threshold_range() -> FloatRange {
    FloatRange::Linear { min: -60.0, max: 0.0 }
}
/// Ratio range.
pub fn ratio_range() -> FloatRange {
    FloatRange::Skewed { min: 1.0, max: 20.0, factor: FloatRange::skew_factor(-1.5) }
}
/// Attack range in ms.
pub fn attack_range() -> FloatRange {
    FloatRange::Skewed { min: 0.1, max: 100.0, factor: FloatRange::skew_factor(-2.0) }
}
/// Release range in ms.
pub fn release_range() -> FloatRange {
    FloatRange::Skewed { min: 5.0, max: 2000.0, factor: FloatRange::skew_factor(-2.0) }
}
/// Knee width range in dB.
pub fn knee_range() -> FloatRange {
    FloatRange::Linear { min: 0.0, max: 24.0 }
}
/// Makeup range in dB.
pub fn makeup_range() -> FloatRange {
    FloatRange::Linear { min: 0.0, max: 24.0 }
}
/// Output range in dB.
pub fn output_range() -> FloatRange {
    FloatRange::Linear { min: -24.0, max: 24.0 }
}
/// Key high-pass range in Hz.
pub fn key_hpf_range() -> FloatRange {
    FloatRange::Skewed { min: 20.0, max: 500.0, factor: FloatRange::skew_factor(-1.0) }
}
/// Range of percentage parameters, stored as 0..1.
pub fn unit_range() -> FloatRange {
    FloatRange::Linear { min: 0.0, max: 1.0 }
}
