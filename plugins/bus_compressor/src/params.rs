//! Bus Compressor parameters: stable ids, host-visible names, and ranges the editor reuses.

use std::sync::{Arc, RwLock};

use nice_plug::prelude::*;
use editor_widgets::param_kinds::*;
use editor_widgets::{EditorSize, WindowSpec};
use shared_dsp::compressor::CompressorSettings;
use shared_dsp::detector::DetectorKind;

/// Where the detector listens.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeySource {
    /// The audio being compressed.
    #[name = "Internal"]
    Internal,
    /// The `Sidechain` input (for example the full mix).
    #[name = "External"]
    External,
}

/// Detector ballistics.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum Detector {
    #[name = "Peak"]
    Peak,
    #[name = "RMS"]
    Rms,
}

/// The editor window: title, size when first opened, smallest size.
pub const WINDOW: WindowSpec = WindowSpec {
    title: "Stem Bus Compressor",
    default_size: EditorSize { width: 880, height: 560 },
    min_size: EditorSize { width: 720, height: 480 },
};

pub use editor_widgets::param_kinds::MAX_LOOKAHEAD_MS;

/// All parameters. Never change an `#[id]` once shipped: hosts store automation and state by it.
#[derive(Params)]
pub struct BusCompressorParams {
    /// Editor size, saved with the session.
    #[persist = "editor-size"]
    pub editor_size: Arc<RwLock<EditorSize>>,

    /// Threshold in dBFS.
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
    /// Program-dependent release.
    #[id = "auto_rel"]
    pub auto_release: BoolParam,
    /// Knee width in dB.
    #[id = "knee"]
    pub knee_db: FloatParam,
    /// Makeup gain in dB.
    #[id = "makeup"]
    pub makeup_db: FloatParam,
    /// Dry/wet mix as 0..1 (shown in %).
    #[id = "mix"]
    pub mix: FloatParam,
    /// Output gain in dB.
    #[id = "output"]
    pub output_db: FloatParam,
    /// Key source.
    #[id = "key"]
    pub key: EnumParam<KeySource>,
    /// Key high-pass cutoff in Hz.
    #[id = "key_hpf"]
    pub key_hpf_hz: FloatParam,
    /// Output the filtered key.
    #[id = "key_listen"]
    pub key_listen: BoolParam,
    /// Stereo link as 0..1 (shown in %).
    #[id = "link"]
    pub stereo_link: FloatParam,
    /// Lookahead in ms (sets the latency).
    #[id = "lookahead"]
    pub lookahead_ms: FloatParam,
    /// Peak or RMS detection.
    #[id = "detector"]
    pub detector: EnumParam<Detector>,
    /// Host bypass: outputs the input delayed by the latency.
    #[id = "bypass"]
    pub bypass: BoolParam,
}

impl Default for BusCompressorParams {
    fn default() -> Self {
        Self {
            editor_size: Arc::new(RwLock::new(WINDOW.default_size)),
            threshold_db: db_param("Threshold", -18.0, threshold_range()),
            ratio: ratio_param("Ratio", 2.0),
            attack_ms: ms_param("Attack", 10.0, attack_range()),
            release_ms: ms_param("Release", 150.0, release_range()),
            auto_release: BoolParam::new("Auto Release", false),
            knee_db: db_param("Knee", 6.0, knee_range()),
            makeup_db: db_param("Makeup", 0.0, makeup_range()),
            mix: percent_param("Mix", 1.0),
            output_db: db_param("Output", 0.0, output_range()),
            key: EnumParam::new("Key", KeySource::Internal),
            key_hpf_hz: hz_param("Key HPF", 20.0, key_hpf_range()),
            key_listen: BoolParam::new("Key Listen", false),
            stereo_link: percent_param("Stereo Link", 1.0),
            lookahead_ms: ms_param("Lookahead", 0.0, lookahead_range()).with_step_size(0.1),
            detector: EnumParam::new("Detector", Detector::Peak),
            bypass: BoolParam::new("Bypass", false).make_bypass(),
        }
    }
}

impl BusCompressorParams {
    /// The DSP settings these parameters describe (plain values, read once per block).
    pub fn settings(&self) -> CompressorSettings {
        CompressorSettings {
            threshold_db: self.threshold_db.value(),
            ratio: self.ratio.value(),
            knee_db: self.knee_db.value(),
            attack_ms: self.attack_ms.value(),
            release_ms: self.release_ms.value(),
            auto_release: self.auto_release.value(),
            detector: match self.detector.value() {
                Detector::Peak => DetectorKind::Peak,
                Detector::Rms => DetectorKind::Rms,
            },
            stereo_link: self.stereo_link.value(),
            key_hpf_hz: self.key_hpf_hz.value(),
            lookahead_ms: self.lookahead_ms.value(),
            makeup_db: self.makeup_db.value(),
            mix: self.mix.value(),
            output_db: self.output_db.value(),
            key_listen: self.key_listen.value(),
            bypass: self.bypass.value(),
            ..CompressorSettings::default()
        }
    }
}
