//! The De-Esser editor: presets, a live spectrum analyser with the detection band and its drag
//! handles, every parameter, a prominent Listen switch, gain-reduction meter and history.

use std::sync::Arc;

use editor_widgets::param_buttons::{choice, toggle};
use editor_widgets::spectrum::SpectrumAnalyser;
use editor_widgets::spectrum_view::{BandOverlay, SpectrumTrace, SpectrumView};
use shared_dsp::deesser::SibilanceBand;
use editor_widgets::layout::{labelled, row, section};
use editor_widgets::meter_bus::MeterSnapshot;
use editor_widgets::{create_shell, theme, DynamicsMeterBus, EditorPanel, EditorShell, GainReductionHistory, PresetMenu};
use nice_plug::context::gui::GuiContext;
use nice_plug::prelude::*;
use nice_plug_egui::{EguiEditor, RepaintNotifier};

use crate::params::{DeEsserParams, WINDOW, Filter};
use crate::presets::{self, PLUGIN_ID, USER_FOLDER};
use crate::AnalyserTaps;

/// FFT size of the analyser (about 85 ms at 48 kHz: fine resolution in the sibilance range).
const FFT_SIZE: usize = 4096;
/// Points in the gain-reduction history (one per editor frame).
const HISTORY_POINTS: usize = 360;

/// Creates the editor, sized from the persisted editor size.
pub fn create(
    params: Arc<DeEsserParams>,
    meters: Arc<DynamicsMeterBus>,
    taps: Arc<AnalyserTaps>,
    repaint: RepaintNotifier,
) -> Option<EguiEditor<EditorShell<DeEsserPanel>>> {
    let size = params.editor_size.clone();
    create_shell(&WINDOW, size, meters.clone(), repaint, DeEsserPanel::new(params, meters, taps))
}

/// The De-Esser's part of the editor (GUI thread only).
pub struct DeEsserPanel {
    params: Arc<DeEsserParams>,
    /// For the sample rate the analyser needs.
    meters: Arc<DynamicsMeterBus>,
    taps: Arc<AnalyserTaps>,
    input_spectrum: SpectrumAnalyser,
    output_spectrum: SpectrumAnalyser,
    history: GainReductionHistory,
    gain_reduction_db: f32,
    /// Factory and user presets.
    presets: PresetMenu,
}

impl DeEsserPanel {
    fn new(params: Arc<DeEsserParams>, meters: Arc<DynamicsMeterBus>, taps: Arc<AnalyserTaps>) -> Self {
        let mut history = GainReductionHistory::new(HISTORY_POINTS);
        history.range_db = 24.0;
        Self {
            params,
            meters,
            taps,
            input_spectrum: SpectrumAnalyser::new(FFT_SIZE),
            output_spectrum: SpectrumAnalyser::new(FFT_SIZE),
            history,
            gain_reduction_db: 0.0,
            presets: PresetMenu::new(PLUGIN_ID, USER_FOLDER, presets::factory()),
        }
    }
}

impl EditorPanel for DeEsserPanel {
    const TITLE: &'static str = "STEM DE-ESSER";

    fn update(&mut self, m: &MeterSnapshot, _dt_s: f32) {
        self.history.push(m.max_gain_reduction_db);
        self.gain_reduction_db = m.gain_reduction_db;
        let sr = self.meters.sample_rate_hz();
        self.input_spectrum.update(&self.taps.input, sr);
        self.output_spectrum.update(&self.taps.output, sr);
    }

    fn header(&mut self, ui: &mut egui::Ui, setter: &ParamSetter) {
        let p = &self.params;
        ui.label(egui::RichText::new("Listen").strong().color(theme::REDUCTION));
        choice(ui, &p.listen, setter);
        ui.add_space(16.0);
        toggle(ui, "Bypass", &p.bypass, setter);
    }

    fn below_header(&mut self, ui: &mut egui::Ui, gui: &GuiContext) {
        self.presets.show(ui, self.params.as_ref(), gui);
    }

    fn controls(&mut self, ui: &mut egui::Ui, setter: &ParamSetter) {
        controls(ui, &self.params, setter);
    }

    fn plots(&mut self, ui: &mut egui::Ui, setter: &ParamSetter, width: f32, body_height: f32) {
        let p = self.params.clone();
        let analyser_h = (body_height * 0.62).max(160.0);
        self.analyser(ui, &p, setter, egui::vec2(width, analyser_h));
        ui.add_space(6.0);
        let h = (ui.available_height() - 8.0).max(60.0);
        self.history.show(ui, egui::vec2(width, h));
    }
}

impl DeEsserPanel {
    /// The analyser with the detection band and its handles; dragging sets Frequency and Width.
    fn analyser(&mut self, ui: &mut egui::Ui, p: &DeEsserParams, setter: &ParamSetter, size: egui::Vec2) {
        let sr = self.meters.sample_rate_hz();
        let traces = [
            SpectrumTrace {
                label: "input",
                magnitudes_db: self.input_spectrum.magnitudes_db(),
                sample_rate_hz: sr,
                colour: theme::LABEL,
            },
            SpectrumTrace {
                label: "output",
                magnitudes_db: self.output_spectrum.magnitudes_db(),
                sample_rate_hz: sr,
                colour: theme::SIGNAL,
            },
        ];
        let settings = p.settings();
        let low_hz = settings.frequency_hz;
        let band_pass = p.filter.value() == Filter::BandPass;
        let high_hz = band_pass.then(|| low_hz * settings.width_octaves.exp2());
        // The detection filter's response: where the de-esser listens.
        let band = SibilanceBand::new(settings.shape, low_hz, settings.width_octaves, sr);
        let magnitude = |f: f32| band.detect_magnitude(f, sr);
        let view = SpectrumView::new(&traces)
            .id_salt("de-esser-analyser")
            .band(BandOverlay { low_hz, high_hz, gain_reduction_db: self.gain_reduction_db })
            .band_magnitude(&magnitude)
            .show(ui, size);
        drag_gesture(setter, &p.frequency_hz, view.low_handle.as_ref(), view.low_hz);
        if let (Some(high), Some(_)) = (view.high_hz, high_hz) {
            let low = p.frequency_hz.value();
            let width = (high / low).log2();
            drag_gesture(setter, &p.width_octaves, view.high_handle.as_ref(), Some(width));
        } else {
            drag_gesture(setter, &p.width_octaves, view.high_handle.as_ref(), None);
        }
    }
}

/// Maps a handle's drag to the host's begin/set/end gesture on `param`.
fn drag_gesture(setter: &ParamSetter, param: &FloatParam, handle: Option<&egui::Response>, value: Option<f32>) {
    let Some(handle) = handle else { return };
    if handle.drag_started() {
        setter.begin_set_parameter(param);
    }
    if let Some(v) = value {
        setter.set_parameter(param, v);
    }
    if handle.drag_stopped() {
        setter.end_set_parameter(param);
    }
}

fn controls(ui: &mut egui::Ui, p: &DeEsserParams, setter: &ParamSetter) {
    section(ui, "Band");
    labelled(ui, "Mode", |ui| choice(ui, &p.mode, setter));
    labelled(ui, "Filter", |ui| choice(ui, &p.filter, setter));
    row(ui, "Frequency", &p.frequency_hz, setter);
    // Width only shapes the band-pass.
    ui.add_enabled_ui(p.filter.value() == Filter::BandPass, |ui| row(ui, "Width", &p.width_octaves, setter));
    section(ui, "Detection");
    labelled(ui, "Detection", |ui| choice(ui, &p.detection, setter));
    row(ui, "Threshold", &p.threshold_db, setter);
    row(ui, "Range", &p.range_db, setter);
    row(ui, "Attack", &p.attack_ms, setter);
    row(ui, "Release", &p.release_ms, setter);
    row(ui, "Lookahead", &p.lookahead_ms, setter);
    section(ui, "Output");
    row(ui, "Stereo Link", &p.stereo_link, setter);
    row(ui, "Output", &p.output_db, setter);
}
