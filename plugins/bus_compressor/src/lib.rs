//! Stem Bus Compressor: a sidechain-fed bus compressor for stem mastering (CLAP and VST3).
//!
//! `activate` allocates, `process` only wires parameters, buffers and meters to [`dsp`].

use std::num::NonZeroU32;
use std::sync::Arc;

use editor_widgets::{DynamicsMeterBus, LatencyReport};
use nice_plug::prelude::*;
use nice_plug_egui::RepaintNotifier;
use shared_dsp::denormal::DenormalGuard;

pub mod dsp;
pub mod editor;
pub mod params;

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

    // NOTE: one layout only. nice-plug 0.4.2's VST3 wrapper matches aux port i against the host's
    // bus i instead of i + 1 and dereferences null sidechain pointers for other layouts, so the
    // sidechain keeps main's channel count and stereo is the only layout declared (see README).
    const AUDIO_IO_LAYOUTS: &'static [AudioIOLayout] = &[AudioIOLayout {
        main_input_channels: NonZeroU32::new(2),
        main_output_channels: NonZeroU32::new(2),
        aux_input_ports: &[new_nonzero_u32(2)],
        aux_output_ports: &[],
        // NOTE: nice-plug 0.4.2 reports `main_input` as the main *output* name too, so the input
        // stays unnamed (it defaults to "Input") and the output then defaults to "Output".
        names: PortNames {
            layout: Some("Stereo"),
            main_input: None,
            main_output: Some("Output"),
            aux_inputs: &["Sidechain"],
            aux_outputs: &[],
        },
    }];

    const SAMPLE_ACCURATE_AUTOMATION: bool = true;

    type SysExMessage = ();
    type BackgroundTask = ();
    type Editor = nice_plug_egui::EguiEditor<editor::BusCompressorEditor>;

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
        self.meters.reset_bad_samples();
        true
    }

    fn reset(&mut self) {
        if let Some(dsp) = &mut self.dsp {
            dsp.set_settings_immediately(&self.params.settings());
            dsp.reset();
        }
    }

    fn deactivate(&mut self) {
        let bad = self.meters.bad_samples();
        if bad > 0 {
            nice_log!("Stem Bus Compressor: replaced {bad} NaN, infinite or out-of-range input samples");
        }
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
