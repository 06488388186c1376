//! Stem Transient Clipper: oversampled clipping with anti-aliasing, a guaranteed ceiling and a
//! transient-only mode, for drum stems (CLAP and VST3).
//!
//! `activate` allocates, `process` only wires parameters, buffers, meters and scope columns to [`dsp`].

use std::num::NonZeroU32;
use std::sync::Arc;

use editor_widgets::{DynamicsMeterBus, LatencyReport, PeakColumns, SampleRing};
use editor_widgets::io_layouts::STEREO_OR_MONO;
use nice_plug::prelude::*;
use nice_plug_egui::RepaintNotifier;
use shared_dsp::denormal::DenormalGuard;
use shared_dsp::units::SILENCE_DB;

pub mod dsp;
pub mod editor;
pub mod params;
pub mod presets;

use dsp::ClipperDsp;
use params::ClipperParams;

/// Base-rate samples per scope column (about 0.67 ms at 48 kHz).
pub const SCOPE_SAMPLES_PER_COLUMN: usize = 32;
/// Scope columns kept for the editor (about 11 s at 48 kHz).
pub const SCOPE_COLUMNS: usize = 1 << 14;

/// Waveform columns shared with the editor: peak |x| per column, input before clipping (undriven)
/// and output. Both are fed the same block lengths, so they stay in step.
pub struct ScopeTaps {
    /// Input peaks.
    pub input: SampleRing,
    /// Output peaks.
    pub output: SampleRing,
}

/// The plugin instance.
pub struct StemTransientClipper {
    params: Arc<ClipperParams>,
    /// Created in `activate`; `None` before.
    dsp: Option<ClipperDsp>,
    /// Meter hand-off to the editor; "gain reduction" carries how far the drive goes over the ceiling.
    meters: Arc<DynamicsMeterBus>,
    /// Scope hand-off to the editor.
    scope: Arc<ScopeTaps>,
    /// Column accumulators for the input and output scope.
    input_columns: PeakColumns,
    output_columns: PeakColumns,
    /// Wakes the editor after new meters were published.
    repaint: RepaintNotifier,
    /// The latency the host knows, and how to tell it about changes.
    latency: LatencyReport,
}

impl Default for StemTransientClipper {
    fn default() -> Self {
        Self {
            params: Arc::new(ClipperParams::default()),
            dsp: None,
            meters: Arc::new(DynamicsMeterBus::default()),
            scope: Arc::new(ScopeTaps { input: SampleRing::new(SCOPE_COLUMNS), output: SampleRing::new(SCOPE_COLUMNS) }),
            input_columns: PeakColumns::new(SCOPE_SAMPLES_PER_COLUMN),
            output_columns: PeakColumns::new(SCOPE_SAMPLES_PER_COLUMN),
            repaint: RepaintNotifier::new(),
            latency: LatencyReport::default(),
        }
    }
}

impl Plugin for StemTransientClipper {
    const NAME: &'static str = "Stem Transient Clipper";
    const VENDOR: &'static str = "Stem Suite";
    const URL: &'static str = "";
    const EMAIL: &'static str = "stem-suite@example.invalid";
    const VERSION: &'static str = env!("CARGO_PKG_VERSION");

    const AUDIO_IO_LAYOUTS: &'static [AudioIOLayout] = STEREO_OR_MONO;

    const SAMPLE_ACCURATE_AUTOMATION: bool = true;

    type SysExMessage = ();
    type BackgroundTask = ();
    type Editor = nice_plug_egui::EguiEditor<editor_widgets::EditorShell<editor::ClipperPanel>>;

    fn params(&self) -> Arc<dyn Params> {
        self.params.clone()
    }

    fn editor(&mut self, _executor: AsyncExecutor<Self>) -> Option<Self::Editor> {
        editor::create(self.params.clone(), self.meters.clone(), self.scope.clone(), self.repaint.clone())
    }

    fn activate(
        &mut self,
        layout: &AudioIOLayout,
        buffer_config: &BufferConfig,
        context: &mut impl ActivateContext<Self>,
    ) -> bool {
        let channels = layout.main_output_channels.map_or(2, NonZeroU32::get) as usize;
        let mut dsp = ClipperDsp::new(channels, buffer_config.sample_rate);
        dsp.set_settings_immediately(&self.params.settings());
        dsp.reset();
        self.latency.activate(context, &self.meters, dsp.latency_samples() as u32, buffer_config.sample_rate);
        self.input_columns.reset();
        self.output_columns.reset();
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
        let scope = self.meters.editor_open();
        if scope {
            self.input_columns.push_block(audio, &self.scope.input);
        }
        let m = dsp.process(audio);
        if scope {
            self.output_columns.push_block(audio, &self.scope.output);
        }
        let shown = channels.min(2);
        self.meters.publish_parts(&m.input_peak[..shown], &m.output_peak[..shown], m.over_ceiling_db,
            m.over_ceiling_db, SILENCE_DB, m.bad_samples);
        if scope {
            self.repaint.request_repaint();
        }
        ProcessStatus::Normal
    }
}

impl ClapPlugin for StemTransientClipper {
    const CLAP_ID: &'static str = "org.stemsuite.transient-clipper";
    const CLAP_DESCRIPTION: Option<&'static str> =
        Some("Oversampled transient clipper with ADAA, a guaranteed ceiling and a transient-only mode, for drum stems");
    const CLAP_MANUAL_URL: Option<&'static str> = None;
    const CLAP_SUPPORT_URL: Option<&'static str> = None;
    const CLAP_FEATURES: &'static [ClapFeature] = &[
        ClapFeature::AudioEffect,
        ClapFeature::Stereo,
        ClapFeature::Mono,
        ClapFeature::Distortion,
        ClapFeature::Limiter,
        ClapFeature::TransientShaper,
        ClapFeature::Mastering,
    ];
}

impl Vst3Plugin for StemTransientClipper {
    const VST3_CLASS_ID: [u8; 16] = *b"StemSuiteClipper";
    const VST3_SUBCATEGORIES: &'static [Vst3SubCategory] =
        &[Vst3SubCategory::Fx, Vst3SubCategory::Dynamics, Vst3SubCategory::Distortion];
}

nice_export_clap!(StemTransientClipper);
nice_export_vst3!(StemTransientClipper);
