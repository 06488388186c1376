//! Stem Compressor parameters: stable ids, host-visible names, and ranges the editor reuses.

use std::sync::{Arc, RwLock};

use editor_widgets::param_kinds::*;
use editor_widgets::{EditorSize, WindowSpec};
use nice_plug::prelude::*;
use shared_dsp::channel_mode::ChannelMode;
use shared_dsp::compressor::CompressorSettings;
use shared_dsp::stem_compressor::{DetectorChoice, KeyRouting, LfeMode, StemCompressorSettings, StemMode};
use shared_dsp::stem_profile::StemKind;
use shared_dsp::stft::FftSize;

/// The stem this instance is on (host-visible names of [`StemKind`]).
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stem {
    #[name = "Drums"]
    Drums,
    #[name = "Bass"]
    Bass,
    #[name = "Percussion"]
    Percussion,
    #[name = "Guitars"]
    Guitars,
    #[name = "Keys"]
    Keys,
    #[name = "Lead Vocal"]
    LeadVocal,
    #[name = "Backing Vocals"]
    BackingVocals,
    #[name = "FX"]
    Fx,
    #[name = "Dialogue"]
    Dialogue,
    #[name = "Music"]
    Music,
    #[name = "Effects"]
    Effects,
    #[name = "Full Mix"]
    FullMix,
}

impl Stem {
    /// The DSP's stem kind.
    pub fn kind(self) -> StemKind {
        StemKind::ALL[self as usize]
    }
}

/// Detector choice.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum Detector {
    #[name = "Auto"]
    Auto,
    #[name = "Peak"]
    Peak,
    #[name = "RMS"]
    Rms,
    #[name = "Crest Blend"]
    CrestBlend,
}

/// Channel mode of a stereo layout.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum Channels {
    #[name = "Stereo"]
    Stereo,
    #[name = "Mid-Side"]
    MidSide,
    #[name = "Mid only"]
    MidOnly,
    #[name = "Side only"]
    SideOnly,
}

/// Key source.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeySource {
    #[name = "Internal"]
    Internal,
    #[name = "External"]
    External,
    #[name = "Blend"]
    Blend,
}

/// Broadband or spectral.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    #[name = "Broadband"]
    Broadband,
    #[name = "Unmask"]
    Unmask,
}

/// Unmask's FFT size.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum Resolution {
    #[name = "1024"]
    N1024,
    #[name = "2048"]
    N2048,
    #[name = "4096"]
    N4096,
}

/// What the 5.1 LFE does.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lfe {
    #[name = "Follow"]
    Follow,
    #[name = "Bypass"]
    Bypass,
}

/// The editor window: title, size when first opened, smallest size.
pub const WINDOW: WindowSpec = WindowSpec {
    title: "Stem Compressor",
    default_size: EditorSize { width: 960, height: 620 },
    min_size: EditorSize { width: 800, height: 540 },
};

pub use editor_widgets::param_kinds::MAX_LOOKAHEAD_MS;

/// Range (largest gain reduction) in dB.
pub fn range_range() -> FloatRange {
    FloatRange::Linear { min: 0.0, max: 40.0 }
}

/// All parameters, in the groups hosts show them in (CLAP modules, VST3 units). Never change an
/// `#[id]` once shipped: hosts store automation and state by it. The groups add no id prefix, so
/// grouping changed no id.
#[derive(Params)]
pub struct StemCompressorParams {
    /// Editor size, saved with the session.
    #[persist = "editor-size"]
    pub editor_size: Arc<RwLock<EditorSize>>,

    /// The stem this instance is on.
    #[id = "stem"]
    pub stem: EnumParam<Stem>,
    /// Broadband or Unmask.
    #[id = "mode"]
    pub mode: EnumParam<Mode>,
    /// Unmask's FFT size (sets the latency in Unmask).
    #[id = "resolution"]
    pub resolution: EnumParam<Resolution>,

    /// How the gain reacts.
    #[nested(group = "Dynamics")]
    pub dynamics: DynamicsParams,
    /// What the detector listens to.
    #[nested(group = "Key")]
    pub key_path: KeyParams,
    /// How the channels share the gain.
    #[nested(group = "Channels")]
    pub stereo: ChannelParams,
    /// What reaches the output.
    #[nested(group = "Output")]
    pub output: OutputParams,

    /// Host bypass: outputs the input delayed by the latency.
    #[id = "bypass"]
    pub bypass: BoolParam,
}

/// The "Dynamics" group: detector, static curve and time constants.
#[derive(Params)]
pub struct DynamicsParams {
    /// Detector choice.
    #[id = "detector"]
    pub detector: EnumParam<Detector>,
    /// Threshold in dBFS (per band in Unmask).
    #[id = "thresh"]
    pub threshold_db: FloatParam,
    /// Ratio.
    #[id = "ratio"]
    pub ratio: FloatParam,
    /// Attack time constant in ms.
    #[id = "attack"]
    pub attack_ms: FloatParam,
    /// Release time constant in ms.
    #[id = "release"]
    pub release_ms: FloatParam,
    /// Program-dependent release (Broadband).
    #[id = "auto_rel"]
    pub auto_release: BoolParam,
    /// Knee width in dB.
    #[id = "knee"]
    pub knee_db: FloatParam,
    /// Largest gain reduction in dB.
    #[id = "range"]
    pub range_db: FloatParam,
    /// Lookahead in ms (Broadband; sets the latency).
    #[id = "lookahead"]
    pub lookahead_ms: FloatParam,
}

/// The "Key" group: key source and filter.
#[derive(Params)]
pub struct KeyParams {
    /// Key source.
    #[id = "key"]
    pub key: EnumParam<KeySource>,
    /// Share of the sidechain in the Blend key, 0..1.
    #[id = "key_blend"]
    pub key_blend: FloatParam,
    /// Key high-pass cutoff in Hz.
    #[id = "key_hpf"]
    pub key_hpf_hz: FloatParam,
    /// Output the filtered key.
    #[id = "key_listen"]
    pub key_listen: BoolParam,
}

/// The "Channels" group: stereo link, M/S and the LFE.
#[derive(Params)]
pub struct ChannelParams {
    /// Stereo link as 0..1 (shown in %).
    #[id = "link"]
    pub stereo_link: FloatParam,
    /// Stereo, mid/side, mid only or side only.
    #[id = "channels"]
    pub channels: EnumParam<Channels>,
    /// 5.1: LFE follows the gain or passes.
    #[id = "lfe"]
    pub lfe: EnumParam<Lfe>,
}

/// The "Output" group: makeup, mix, output gain and Delta.
#[derive(Params)]
pub struct OutputParams {
    /// Makeup gain in dB.
    #[id = "makeup"]
    pub makeup_db: FloatParam,
    /// Adds half the static reduction at 0 dBFS to the makeup.
    #[id = "auto_makeup"]
    pub auto_makeup: BoolParam,
    /// Dry/wet mix as 0..1 (shown in %).
    #[id = "mix"]
    pub mix: FloatParam,
    /// Output gain in dB.
    #[id = "output"]
    pub output_db: FloatParam,
    /// Output what the compressor removes.
    #[id = "delta"]
    pub delta: BoolParam,
}

impl Default for StemCompressorParams {
    fn default() -> Self {
        Self {
            editor_size: Arc::new(RwLock::new(WINDOW.default_size)),
            stem: EnumParam::new("Stem", Stem::Keys),
            mode: EnumParam::new("Mode", Mode::Broadband),
            resolution: EnumParam::new("Resolution", Resolution::N2048),
            dynamics: DynamicsParams {
                detector: EnumParam::new("Detector", Detector::Auto),
                threshold_db: db_param("Threshold", -18.0, threshold_range()),
                ratio: ratio_param("Ratio", 2.0),
                attack_ms: ms_param("Attack", 10.0, attack_range()),
                release_ms: ms_param("Release", 150.0, release_range()),
                auto_release: BoolParam::new("Auto Release", false),
                knee_db: db_param("Knee", 6.0, knee_range()),
                range_db: db_param("Range", 24.0, range_range()),
                lookahead_ms: ms_param("Lookahead", 0.0, lookahead_range()).with_step_size(0.1),
            },
            key_path: KeyParams {
                key: EnumParam::new("Key", KeySource::Internal),
                key_blend: percent_param("Key Blend", 0.5),
                key_hpf_hz: hz_param("Key HPF", 20.0, key_hpf_range()),
                key_listen: BoolParam::new("Key Listen", false),
            },
            stereo: ChannelParams {
                stereo_link: percent_param("Stereo Link", 1.0),
                channels: EnumParam::new("Channels", Channels::Stereo),
                lfe: EnumParam::new("LFE", Lfe::Follow),
            },
            output: OutputParams {
                makeup_db: db_param("Makeup", 0.0, makeup_range()),
                auto_makeup: BoolParam::new("Auto Makeup", false),
                mix: percent_param("Mix", 1.0),
                output_db: db_param("Output", 0.0, output_range()),
                delta: BoolParam::new("Delta", false),
            },
            bypass: BoolParam::new("Bypass", false).make_bypass(),
        }
    }
}

impl StemCompressorParams {
    /// The DSP settings these parameters describe (plain values, read once per block).
    pub fn settings(&self) -> StemCompressorSettings {
        StemCompressorSettings {
            stem: self.stem.value().kind(),
            detector: match self.dynamics.detector.value() {
                Detector::Auto => DetectorChoice::Auto,
                Detector::Peak => DetectorChoice::Peak,
                Detector::Rms => DetectorChoice::Rms,
                Detector::CrestBlend => DetectorChoice::CrestBlend,
            },
            dynamics: CompressorSettings {
                threshold_db: self.dynamics.threshold_db.value(),
                ratio: self.dynamics.ratio.value(),
                knee_db: self.dynamics.knee_db.value(),
                range_db: self.dynamics.range_db.value(),
                attack_ms: self.dynamics.attack_ms.value(),
                release_ms: self.dynamics.release_ms.value(),
                auto_release: self.dynamics.auto_release.value(),
                stereo_link: self.stereo.stereo_link.value(),
                key_hpf_hz: self.key_path.key_hpf_hz.value(),
                lookahead_ms: self.dynamics.lookahead_ms.value(),
                makeup_db: self.output.makeup_db.value(),
                auto_makeup: self.output.auto_makeup.value(),
                mix: self.output.mix.value(),
                output_db: self.output.output_db.value(),
                key_listen: self.key_path.key_listen.value(),
                delta: self.output.delta.value(),
                bypass: self.bypass.value(),
                ..CompressorSettings::default()
            },
            channel_mode: match self.stereo.channels.value() {
                Channels::Stereo => ChannelMode::Stereo,
                Channels::MidSide => ChannelMode::MidSide,
                Channels::MidOnly => ChannelMode::MidOnly,
                Channels::SideOnly => ChannelMode::SideOnly,
            },
            key: match self.key_path.key.value() {
                KeySource::Internal => KeyRouting::Internal,
                KeySource::External => KeyRouting::External,
                KeySource::Blend => KeyRouting::Blend,
            },
            key_blend: self.key_path.key_blend.value(),
            mode: match self.mode.value() {
                Mode::Broadband => StemMode::Broadband,
                Mode::Unmask => StemMode::Unmask,
            },
            resolution: FftSize::ALL[self.resolution.value() as usize],
            lfe: match self.stereo.lfe.value() {
                Lfe::Follow => LfeMode::Follow,
                Lfe::Bypass => LfeMode::Bypass,
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stem_names_match_the_dsp_kinds() {
        for (i, kind) in StemKind::ALL.iter().enumerate() {
            let stem = Stem::from_index(i);
            assert_eq!(stem.kind(), *kind);
            assert_eq!(Stem::variants()[i], kind.name());
        }
        assert_eq!(Stem::variants().len(), StemKind::ALL.len());
    }

    #[test]
    fn resolutions_match_the_fft_sizes() {
        for (i, size) in FftSize::ALL.iter().enumerate() {
            assert_eq!(Resolution::variants()[i], size.samples().to_string());
        }
    }
}
