//! Stem Null Check: put it on the stem bus, feed the reference mix into its sidechain, and it tells
//! you whether the stems sum to the mix: residual level, offset, polarity, gain mismatch and the
//! stem bus's headroom, live and since the last reset, in plain words. Stereo, CLAP and VST3.
//!
//! `activate` allocates, `process` only wires buffers and publishes the measurements (atomics) to
//! [`shared_dsp::null_check::NullCheck`]. No latency.

use std::num::NonZeroU32;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use editor_widgets::io_layouts::STEREO_SIDECHAIN;
use editor_widgets::{DynamicsMeterBus, LatencyReport};
use nice_plug::prelude::*;
use nice_plug_egui::RepaintNotifier;
use shared_dsp::denormal::DenormalGuard;
use shared_dsp::null_check::NullCheck;
use shared_dsp::{DspUnit, MAX_CHANNELS};

pub mod editor;
pub mod measurement_bus;
pub mod params;
pub mod presets;

use measurement_bus::MeasurementBus;
use params::StemNullParams;

/// The plugin instance.
pub struct StemNull {
    params: Arc<StemNullParams>,
    /// Created in `activate`; `None` before.
    dsp: Option<NullCheck>,
    /// Input/output peaks and the latency line for the editor's shared frame.
    meters: Arc<DynamicsMeterBus>,
    /// The live measurement, for the editor.
    live: Arc<MeasurementBus>,
    /// Set by the editor's Reset button; the audio thread clears it after resetting.
    reset_requested: Arc<AtomicBool>,
    /// Wakes the editor after new meters were published.
    repaint: RepaintNotifier,
    latency: LatencyReport,
}

impl Default for StemNull {
    fn default() -> Self {
        Self {
            params: Arc::new(StemNullParams::default()),
            dsp: None,
            meters: Arc::new(DynamicsMeterBus::default()),
            live: Arc::new(MeasurementBus::default()),
            reset_requested: Arc::new(AtomicBool::new(false)),
            repaint: RepaintNotifier::new(),
            latency: LatencyReport::default(),
        }
    }
}

impl Plugin for StemNull {
    const NAME: &'static str = "Stem Null Check";
    const VENDOR: &'static str = "Stem Suite";
    const URL: &'static str = "";
    const EMAIL: &'static str = "stem-suite@example.invalid";
    const VERSION: &'static str = env!("CARGO_PKG_VERSION");

    // NOTE: the sidechain has the main port's channel count (nice-plug 0.4.2, see io_layouts).
    const AUDIO_IO_LAYOUTS: &'static [AudioIOLayout] = &[STEREO_SIDECHAIN];

    const SAMPLE_ACCURATE_AUTOMATION: bool = true;

    type SysExMessage = ();
    type BackgroundTask = ();
    type Editor = nice_plug_egui::EguiEditor<editor_widgets::EditorShell<editor::StemNullPanel>>;

    fn params(&self) -> Arc<dyn Params> {
        self.params.clone()
    }

    fn editor(&mut self, _executor: AsyncExecutor<Self>) -> Option<Self::Editor> {
        editor::create(
            self.params.clone(),
            self.meters.clone(),
            self.live.clone(),
            self.reset_requested.clone(),
            self.repaint.clone(),
        )
    }

    fn activate(
        &mut self,
        layout: &AudioIOLayout,
        buffer_config: &BufferConfig,
        context: &mut impl ActivateContext<Self>,
    ) -> bool {
        let _channels = layout.main_output_channels.map_or(2, NonZeroU32::get);
        let mut dsp = NullCheck::new(buffer_config.sample_rate);
        dsp.reset();
        self.latency.activate(context, &self.meters, 0, buffer_config.sample_rate);
        self.params.saved.store(&dsp.since_reset());
        self.live.store(&dsp.live());
        self.dsp = Some(dsp);
        true
    }

    fn filter_state(state: &mut PluginState) {
        editor_widgets::state_version::keep_settings_if_incompatible(state, Self::NAME, Self::VERSION);
    }

    fn reset(&mut self) {
        if let Some(dsp) = &mut self.dsp {
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
        if self.reset_requested.swap(false, Ordering::AcqRel) {
            dsp.reset();
        }
        self.latency.process(context, &self.meters, 0);
        // An unconnected or missing sidechain yields no channels: the reference reads as silence.
        let sidechain: &[&mut [f32]] = aux.inputs.first().map_or(&[][..], |b| b.as_slice_immutable());
        let mut reference: [&[f32]; MAX_CHANNELS] = [&[]; MAX_CHANNELS];
        let n = sidechain.len().min(MAX_CHANNELS);
        for (r, c) in reference.iter_mut().zip(sidechain.iter()) {
            *r = c;
        }
        let channels = buffer.channels();
        let audio = buffer.as_slice();
        let input_peak = block_peaks(audio);
        dsp.process(audio, &reference[..n], self.params.null_output());
        let output_peak = block_peaks(audio);
        let replaced = dsp.take_replaced_samples() as u32;
        self.meters.publish_parts(&input_peak[..channels.min(2)], &output_peak[..channels.min(2)], 0.0, 0.0,
            shared_dsp::units::SILENCE_DB, replaced);
        self.params.saved.store(&dsp.since_reset());
        if self.meters.editor_open() {
            self.live.store(&dsp.live());
            self.repaint.request_repaint();
        }
        ProcessStatus::Normal
    }
}

/// Sample peaks of the first two channels (garbage reads as 0).
fn block_peaks(audio: &[&mut [f32]]) -> [f32; 2] {
    let mut peaks = [0.0f32; 2];
    for (ch, samples) in audio.iter().enumerate() {
        let p = &mut peaks[ch.min(1)];
        for &x in samples.iter() {
            let a = shared_dsp::sanitize::sanitize(x).0.abs();
            *p = p.max(a);
        }
    }
    peaks
}

impl ClapPlugin for StemNull {
    const CLAP_ID: &'static str = "org.stemsuite.stem-null-check";
    const CLAP_DESCRIPTION: Option<&'static str> =
        Some("Checks that a stem bus sums to the reference mix: residual, offset, polarity, gain and headroom");
    const CLAP_MANUAL_URL: Option<&'static str> = None;
    const CLAP_SUPPORT_URL: Option<&'static str> = None;
    const CLAP_FEATURES: &'static [ClapFeature] =
        &[ClapFeature::AudioEffect, ClapFeature::Analyzer, ClapFeature::Utility, ClapFeature::Stereo, ClapFeature::Mastering];
}

impl Vst3Plugin for StemNull {
    const VST3_CLASS_ID: [u8; 16] = *b"StemSuiteNullChk";
    const VST3_SUBCATEGORIES: &'static [Vst3SubCategory] = &[Vst3SubCategory::Fx, Vst3SubCategory::Analyzer];
}

nice_export_clap!(StemNull);
nice_export_vst3!(StemNull);
