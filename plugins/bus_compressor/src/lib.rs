//! Stem Bus Compressor: a sidechain-fed bus compressor for stem mastering (CLAP and VST3).
//!
//! `activate` allocates, `process` only wires parameters, buffers and meters to [`dsp`].

use std::sync::Arc;

use editor_widgets::{DynamicsMeterBus, LatencyReport};
use nice_plug::prelude::*;
use nice_plug_egui::RepaintNotifier;
use shared_dsp::denormal::DenormalGuard;

pub mod dsp;
pub mod editor;
pub mod params;
pub mod presets;

use dsp::BusCompressorDsp;
use params::{BusCompressorParams, KeySource, MAX_LOOKAHEAD_MS};

/// The plugin instance.
pub struct BusCompressor {
    params: Arc<BusCompressorParams>,
    /// Created in `activate`; `None` before.
    dsp: Option<BusCompressorDsp>,
    /// Meter hand-off to the editor.
    meters: Arc<DynamicsMeterBus>,
    /// Wakes the editor after new meters were published.
    repaint: RepaintNotifier,
    /// The latency the host knows, and how to tell it about changes.
    latency: LatencyReport,
}

impl Default for BusCompressor {
    fn default() -> Self {
        Self {
            params: Arc::new(BusCompressorParams::default()),
            dsp: None,
            meters: Arc::new(DynamicsMeterBus::default()),
            repaint: RepaintNotifier::new(),
            latency: LatencyReport::default(),
        }
    }
}

impl Plugin for BusCompressor {
    const NAME: &'static str = "Stem Bus Compressor";
    const VENDOR: &'static str = "Stem Suite";
    const URL: &'static str = "";
    const EMAIL: &'static str = "stem-suite@example.invalid";
    const VERSION: &'static str = env!("CARGO_PKG_VERSION");

    // NOTE: one layout only: nice-plug 0.4.2's aux-port defects (see `io_layouts`).
    const AUDIO_IO_LAYOUTS: &'static [AudioIOLayout] = &[editor_widgets::io_layouts::STEREO_SIDECHAIN];

    const SAMPLE_ACCURATE_AUTOMATION: bool = true;

    type SysExMessage = ();
    type BackgroundTask = ();
    type Editor = nice_plug_egui::EguiEditor<editor_widgets::EditorShell<editor::BusCompressorPanel>>;

    fn params(&self) -> Arc<dyn Params> {
        self.params.clone()
    }

    fn editor(&mut self, _executor: AsyncExecutor<Self>) -> Option<Self::Editor> {
        editor::create(self.params.clone(), self.meters.clone(), self.repaint.clone())
    }

    fn activate(
        &mut self,
        _layout: &AudioIOLayout,
        buffer_config: &BufferConfig,
        context: &mut impl ActivateContext<Self>,
    ) -> bool {
        let mut dsp = BusCompressorDsp::new(buffer_config.sample_rate, MAX_LOOKAHEAD_MS);
        dsp.set_settings_immediately(&self.params.settings());
        self.latency.activate(context, &self.meters, dsp.latency_samples() as u32, buffer_config.sample_rate);
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
        aux: &mut AuxiliaryBuffers,
        context: &mut impl ProcessContext<Self>,
    ) -> ProcessStatus {
        let _ftz = DenormalGuard::new();
        let Some(dsp) = &mut self.dsp else { return ProcessStatus::Normal };
        dsp.set_settings(&self.params.settings());
        let latency = dsp.latency_samples() as u32;
        self.latency.process(context, &self.meters, latency);
        let sidechain = match self.params.key.value() {
            KeySource::Internal => None,
            // An unconnected or missing port yields no channels: the key reads as silence.
            KeySource::External => Some(aux.inputs.first().map_or(&[][..], |b| b.as_slice_immutable())),
        };
        let channels = buffer.channels();
        let meters = dsp.process(buffer.as_slice(), sidechain);
        self.meters.publish(&meters, channels.min(dsp::CHANNELS));
        if self.meters.editor_open() {
            self.repaint.request_repaint();
        }
        ProcessStatus::Normal
    }
}

impl ClapPlugin for BusCompressor {
    const CLAP_ID: &'static str = "org.stemsuite.bus-compressor";
    const CLAP_DESCRIPTION: Option<&'static str> =
        Some("Bus compressor with an external full-mix key, for mastering from stems");
    const CLAP_MANUAL_URL: Option<&'static str> = None;
    const CLAP_SUPPORT_URL: Option<&'static str> = None;
    const CLAP_FEATURES: &'static [ClapFeature] = &[
        ClapFeature::AudioEffect,
        ClapFeature::Stereo,
        ClapFeature::Compressor,
        ClapFeature::Mixing,
        ClapFeature::Mastering,
    ];
}

impl Vst3Plugin for BusCompressor {
    const VST3_CLASS_ID: [u8; 16] = *b"StemSuiteBusComp";
    const VST3_SUBCATEGORIES: &'static [Vst3SubCategory] =
        &[Vst3SubCategory::Fx, Vst3SubCategory::Dynamics, Vst3SubCategory::Mastering];
}

nice_export_clap!(BusCompressor);
nice_export_vst3!(BusCompressor);
