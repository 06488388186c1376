//! Stem De-Esser: split-band and wideband de-essing for vocal stems (CLAP and VST3).
//!
//! `activate` allocates, `process` only wires parameters, buffers, meters and analyser taps to [`dsp`].

use std::num::NonZeroU32;
use std::sync::Arc;

use editor_widgets::sample_ring::SampleRing;
use editor_widgets::{DynamicsMeterBus, LatencyReport};
use editor_widgets::io_layouts::STEREO_OR_MONO;
use nice_plug::prelude::*;
use nice_plug_egui::RepaintNotifier;
use shared_dsp::denormal::DenormalGuard;
use shared_dsp::units::SILENCE_DB;

pub mod dsp;
pub mod editor;
pub mod params;
pub mod presets;

use dsp::DeEsserDsp;
use params::{DeEsserParams, MAX_LOOKAHEAD_MS};

/// Samples kept for the analyser: enough for the largest FFT the editor uses, twice over.
pub const ANALYSER_RING_SAMPLES: usize = 1 << 14;

/// Analyser taps shared with the editor: the input and the output, each summed to mono.
pub struct AnalyserTaps {
    /// Mono input, before processing.
    pub input: SampleRing,
    /// Mono output, after processing.
    pub output: SampleRing,
}

/// The plugin instance.
pub struct StemDeEsser {
    params: Arc<DeEsserParams>,
    /// Created in `activate`; `None` before.
    dsp: Option<DeEsserDsp>,
    /// Meter hand-off to the editor.
    meters: Arc<DynamicsMeterBus>,
    /// Analyser hand-off to the editor.
    taps: Arc<AnalyserTaps>,
    /// Mono scratch for the analyser taps, sized in `activate` to the host's largest block.
    mono: Vec<f32>,
    /// Wakes the editor after new meters were published.
    repaint: RepaintNotifier,
    /// The latency the host knows, and how to tell it about changes.
    latency: LatencyReport,
}

impl Default for StemDeEsser {
    fn default() -> Self {
        Self {
            params: Arc::new(DeEsserParams::default()),
            dsp: None,
            meters: Arc::new(DynamicsMeterBus::default()),
            taps: Arc::new(AnalyserTaps {
                input: SampleRing::new(ANALYSER_RING_SAMPLES),
                output: SampleRing::new(ANALYSER_RING_SAMPLES),
            }),
            mono: Vec::new(),
            repaint: RepaintNotifier::new(),
            latency: LatencyReport::default(),
        }
    }
}

impl Plugin for StemDeEsser {
    const NAME: &'static str = "Stem De-Esser";
    const VENDOR: &'static str = "Stem Suite";
    const URL: &'static str = "";
    const EMAIL: &'static str = "stem-suite@example.invalid";
    const VERSION: &'static str = env!("CARGO_PKG_VERSION");

    const AUDIO_IO_LAYOUTS: &'static [AudioIOLayout] = STEREO_OR_MONO;

    const SAMPLE_ACCURATE_AUTOMATION: bool = true;

    type SysExMessage = ();
    type BackgroundTask = ();
    type Editor = nice_plug_egui::EguiEditor<editor_widgets::EditorShell<editor::DeEsserPanel>>;

    fn params(&self) -> Arc<dyn Params> {
        self.params.clone()
    }

    fn editor(&mut self, _executor: AsyncExecutor<Self>) -> Option<Self::Editor> {
        editor::create(self.params.clone(), self.meters.clone(), self.taps.clone(), self.repaint.clone())
    }

    fn activate(
        &mut self,
        layout: &AudioIOLayout,
        buffer_config: &BufferConfig,
        context: &mut impl ActivateContext<Self>,
    ) -> bool {
        let channels = layout.main_output_channels.map_or(2, NonZeroU32::get) as usize;
        let mut dsp = DeEsserDsp::new(channels, buffer_config.sample_rate, MAX_LOOKAHEAD_MS);
        dsp.set_settings_immediately(&self.params.settings());
        self.latency.activate(context, &self.meters, dsp.latency_samples() as u32, buffer_config.sample_rate);
        self.mono = vec![0.0; buffer_config.max_buffer_size as usize];
        self.dsp = Some(dsp);
        true
    }

    fn filter_state(state: &mut PluginState) {
        editor_widgets::state_version::keep_settings_if_incompatible(state, Self::NAME, Self::VERSION);
    }

    fn reset(&mut self) {
        if let Some(dsp) = &mut self.dsp {
            dsp.set_settings_immediately(&self.params.settings());
            dsp.reset();
        }
    }

    fn deactivate(&mut self) {
        self.meters.log_replaced_samples(Self::NAME);
    }

    fn process(
        &mut self,
        buffer: &mut Buffer,
        _aux: &mut AuxiliaryBuffers,
        context: &mut impl ProcessContext<Self>,
    ) -> ProcessStatus {
        let _ftz = DenormalGuard::new();
        let Some(dsp) = &mut self.dsp else { return ProcessStatus::Normal };
        dsp.set_settings(&self.params.settings());
        let latency = dsp.latency_samples() as u32;
        self.latency.process(context, &self.meters, latency);
        let channels = buffer.channels();
        let audio = buffer.as_slice();
        // NOTE: the host never sends more than max_buffer_size samples; the min() keeps a rogue host
        // from making the taps index out of range.
        let analyse = self.meters.editor_open();
        let n = audio.first().map_or(0, |c| c.len()).min(self.mono.len());
        if analyse {
            dsp::mono_sum(audio, &mut self.mono[..n]);
            self.taps.input.push(&self.mono[..n]);
        }
        let m = dsp.process(audio);
        if analyse {
            dsp::mono_sum(audio, &mut self.mono[..n]);
            self.taps.output.push(&self.mono[..n]);
        }
        let shown = channels.min(2);
        let gr = m.gain_reduction_db[..shown].iter().copied().fold(0.0, f32::max);
        self.meters.publish_parts(&m.input_peak[..shown], &m.output_peak[..shown], m.max_gain_reduction_db, gr,
            SILENCE_DB, m.bad_samples);
        if analyse {
            self.repaint.request_repaint();
        }
        ProcessStatus::Normal
    }
}

impl ClapPlugin for StemDeEsser {
    const CLAP_ID: &'static str = "org.stemsuite.de-esser";
    const CLAP_DESCRIPTION: Option<&'static str> =
        Some("Split-band and wideband de-esser with relative detection and lookahead, for vocal stems");
    const CLAP_MANUAL_URL: Option<&'static str> = None;
    const CLAP_SUPPORT_URL: Option<&'static str> = None;
    const CLAP_FEATURES: &'static [ClapFeature] = &[
        ClapFeature::AudioEffect,
        ClapFeature::Stereo,
        ClapFeature::Mono,
        ClapFeature::Deesser,
        ClapFeature::Mixing,
    ];
}

impl Vst3Plugin for StemDeEsser {
    const VST3_CLASS_ID: [u8; 16] = *b"StemSuiteDeEsser";
    const VST3_SUBCATEGORIES: &'static [Vst3SubCategory] = &[Vst3SubCategory::Fx, Vst3SubCategory::Dynamics];
}

nice_export_clap!(StemDeEsser);
nice_export_vst3!(StemDeEsser);
