//! Stem Compressor: stem-aware compression for stem buses, with a spectral Unmask mode keyed by
//! another stem. Stereo as CLAP and VST3; 5.1 as a second CLAP plugin (see [`Surround51`]).
//!
//! `activate` allocates, `process` only wires parameters, buffers and meters to
//! [`shared_dsp::stem_compressor::StemCompressor`].

use std::marker::PhantomData;
use std::num::NonZeroU32;
use std::sync::Arc;

use editor_widgets::io_layouts::{STEREO_SIDECHAIN, SURROUND_51_SIDECHAIN};
use editor_widgets::{BandMeterBus, DynamicsMeterBus, LatencyReport};
use nice_plug::prelude::*;
use nice_plug_egui::RepaintNotifier;
use shared_dsp::denormal::DenormalGuard;
use shared_dsp::DspUnit;
use shared_dsp::stem_compressor::{KeyRouting, StemCompressor, StemMode};

pub mod editor;
pub mod params;
pub mod presets;

use params::{StemCompressorParams, MAX_LOOKAHEAD_MS};

/// The id user presets are filed under: both variants share presets.
pub const PRESET_PLUGIN_ID: &str = "org.stemsuite.stem-compressor";

/// What differs between the stereo and the 5.1 plugin: identity and port layout.
pub trait Variant: 'static + Send + Sync {
    /// Host-visible name.
    const NAME: &'static str;
    /// CLAP id.
    const CLAP_ID: &'static str;
    /// The one port layout this variant declares.
    const LAYOUTS: &'static [AudioIOLayout];
    /// CLAP features.
    const CLAP_FEATURES: &'static [ClapFeature];
}

/// Stereo main and stereo sidechain: CLAP and VST3.
pub struct Stereo;

/// 5.1 (L R C LFE Ls Rs) main and 5.1 sidechain: CLAP only.
///
/// NOTE: not exported as VST3. nice-plug 0.4.2's VST3 wrapper compares the sidechain bus with the main
/// bus (defect 1), so it accepts a host's "5.1 main + stereo (or disabled) sidechain" request and
/// then copies six sidechain channels out of the host's smaller bus. pedalboard, which sets only the
/// main bus, crashes in that copy (SIGSEGV in the wrapper's memcpy, before our `process`). The CLAP
/// wrapper checks each port on its own.
pub struct Surround51;

impl Variant for Stereo {
    const NAME: &'static str = "Stem Compressor";
    const CLAP_ID: &'static str = "org.stemsuite.stem-compressor";
    const LAYOUTS: &'static [AudioIOLayout] = &[STEREO_SIDECHAIN];
    const CLAP_FEATURES: &'static [ClapFeature] = &[
        ClapFeature::AudioEffect,
        ClapFeature::Stereo,
        ClapFeature::Compressor,
        ClapFeature::Mixing,
        ClapFeature::Mastering,
    ];
}

impl Variant for Surround51 {
    const NAME: &'static str = "Stem Compressor 5.1";
    const CLAP_ID: &'static str = "org.stemsuite.stem-compressor-5.1";
    const LAYOUTS: &'static [AudioIOLayout] = &[SURROUND_51_SIDECHAIN];
    const CLAP_FEATURES: &'static [ClapFeature] = &[
        ClapFeature::AudioEffect,
        ClapFeature::Surround,
        ClapFeature::Compressor,
        ClapFeature::Mixing,
        ClapFeature::Mastering,
    ];
}

/// The plugin instance of either variant.
pub struct StemCompressorPlugin<V: Variant> {
    params: Arc<StemCompressorParams>,
    /// Created in `activate`; `None` before.
    dsp: Option<StemCompressor>,
    /// Meter hand-off to the editor.
    meters: Arc<DynamicsMeterBus>,
    /// Unmask's per-band hand-off to the editor.
    bands: Arc<BandMeterBus>,
    /// Wakes the editor after new meters were published.
    repaint: RepaintNotifier,
    /// The latency the host knows, and how to tell it about changes.
    latency: LatencyReport,
    variant: PhantomData<V>,
}

impl<V: Variant> Default for StemCompressorPlugin<V> {
    fn default() -> Self {
        Self {
            params: Arc::new(StemCompressorParams::default()),
            dsp: None,
            meters: Arc::new(DynamicsMeterBus::default()),
            bands: Arc::new(BandMeterBus::default()),
            repaint: RepaintNotifier::new(),
            latency: LatencyReport::default(),
            variant: PhantomData,
        }
    }
}

impl<V: Variant> Plugin for StemCompressorPlugin<V> {
    const NAME: &'static str = V::NAME;
    const VENDOR: &'static str = "Stem Suite";
    const URL: &'static str = "";
    const EMAIL: &'static str = "stem-suite@example.invalid";
    const VERSION: &'static str = env!("CARGO_PKG_VERSION");

    // NOTE: the sidechain always has the main port's channel count (nice-plug 0.4.2, see io_layouts).
    const AUDIO_IO_LAYOUTS: &'static [AudioIOLayout] = V::LAYOUTS;

    const SAMPLE_ACCURATE_AUTOMATION: bool = true;

    type SysExMessage = ();
    type BackgroundTask = ();
    type Editor = nice_plug_egui::EguiEditor<editor_widgets::EditorShell<editor::StemCompressorPanel>>;

    fn params(&self) -> Arc<dyn Params> {
        self.params.clone()
    }

    fn editor(&mut self, _executor: AsyncExecutor<Self>) -> Option<Self::Editor> {
        editor::create(self.params.clone(), self.meters.clone(), self.bands.clone(), self.repaint.clone())
    }

    fn activate(
        &mut self,
        layout: &AudioIOLayout,
        buffer_config: &BufferConfig,
        context: &mut impl ActivateContext<Self>,
    ) -> bool {
        let channels = layout.main_output_channels.map_or(2, NonZeroU32::get) as usize;
        let mut dsp = StemCompressor::new(channels, MAX_LOOKAHEAD_MS, buffer_config.sample_rate);
        dsp.set_settings_immediately(&self.params.settings());
        dsp.reset();
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
        let settings = self.params.settings();
        dsp.set_settings(&settings);
        let latency = dsp.latency_samples() as u32;
        self.latency.process(context, &self.meters, latency);
        // An unconnected or missing port yields no channels: the key reads as silence.
        let sidechain: &[&mut [f32]] = match settings.key {
            KeyRouting::Internal => &[],
            KeyRouting::External | KeyRouting::Blend => aux.inputs.first().map_or(&[][..], |b| b.as_slice_immutable()),
        };
        let mut keys: [&[f32]; shared_dsp::MAX_CHANNELS] = [&[]; shared_dsp::MAX_CHANNELS];
        let n = sidechain.len().min(shared_dsp::MAX_CHANNELS);
        for (k, c) in keys.iter_mut().zip(sidechain.iter()) {
            *k = c;
        }
        let channels = buffer.channels();
        let m = dsp.process(buffer.as_slice(), &keys[..n]);
        self.meters.publish(&m, channels.min(2));
        if self.meters.editor_open() {
            if settings.mode == StemMode::Unmask {
                let u = dsp.unmask();
                self.bands.publish(u.band_centres_hz(), u.key_band_levels_db(), u.stem_band_levels_db(), u.band_reduction_db());
            }
            self.repaint.request_repaint();
        }
        ProcessStatus::Normal
    }
}

impl<V: Variant> ClapPlugin for StemCompressorPlugin<V> {
    const CLAP_ID: &'static str = V::CLAP_ID;
    const CLAP_DESCRIPTION: Option<&'static str> =
        Some("Stem-aware compressor with per-stem detector profiles and a spectral Unmask mode keyed by another stem");
    const CLAP_MANUAL_URL: Option<&'static str> = None;
    const CLAP_SUPPORT_URL: Option<&'static str> = None;
    const CLAP_FEATURES: &'static [ClapFeature] = V::CLAP_FEATURES;
}

impl Vst3Plugin for StemCompressorPlugin<Stereo> {
    const VST3_CLASS_ID: [u8; 16] = *b"StemSuiteStemCmp";
    const VST3_SUBCATEGORIES: &'static [Vst3SubCategory] =
        &[Vst3SubCategory::Fx, Vst3SubCategory::Dynamics, Vst3SubCategory::Mastering];
}

nice_export_clap!(StemCompressorPlugin<Stereo>, StemCompressorPlugin<Surround51>);
nice_export_vst3!(StemCompressorPlugin<Stereo>);
