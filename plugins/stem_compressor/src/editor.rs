//! The Stem Compressor editor: the stem selector up front, presets, every parameter, meters, the
//! gain-reduction history, and either the live transfer curve (Broadband) or the key and stem band
//! levels with the reduction per band (Unmask). Reads meters through atomics only.

use std::sync::Arc;

use editor_widgets::layout::{row, section};
use editor_widgets::meter_bus::MeterSnapshot;
use editor_widgets::param_buttons::{choice, toggle};
use editor_widgets::{
    create_shell, theme, BandMeterBus, BandView, DynamicsMeterBus, EditorPanel, EditorShell, GainReductionHistory,
    PresetMenu, TransferCurve,
};
use nice_plug::context::gui::GuiContext;
use nice_plug::prelude::*;
use nice_plug_egui::{EguiEditor, RepaintNotifier};
use shared_dsp::units::SILENCE_DB;

use crate::params::{Mode, Stem, StemCompressorParams, WINDOW};
use crate::presets::{self, USER_FOLDER};

/// Number of points in the gain-reduction history (one per editor frame, about 6 s at 60 fps).
const HISTORY_POINTS: usize = 360;

/// Creates the editor, sized from the persisted editor size.
pub fn create(
    params: Arc<StemCompressorParams>,
    meters: Arc<DynamicsMeterBus>,
    bands: Arc<BandMeterBus>,
    repaint: RepaintNotifier,
) -> Option<EguiEditor<EditorShell<StemCompressorPanel>>> {
    let size = params.editor_size.clone();
    let panel = StemCompressorPanel {
        params,
        bands,
        history: GainReductionHistory::new(HISTORY_POINTS),
        band_view: BandView::default(),
        operating_point: (SILENCE_DB, 0.0),
        presets: PresetMenu::new(crate::PRESET_PLUGIN_ID, USER_FOLDER, presets::factory()),
    };
    create_shell(&WINDOW, size, meters, repaint, panel)
}

/// The Stem Compressor's part of the editor (GUI thread only).
pub struct StemCompressorPanel {
    params: Arc<StemCompressorParams>,
    bands: Arc<BandMeterBus>,
    history: GainReductionHistory,
    band_view: BandView,
    /// Key level (dBFS) and gain reduction (dB) at the end of the last block.
    operating_point: (f32, f32),
    /// Factory and user presets (the 5.1 plugin shares the stereo one's).
    presets: PresetMenu,
}

impl EditorPanel for StemCompressorPanel {
    const TITLE: &'static str = "STEM COMPRESSOR";

    fn update(&mut self, m: &MeterSnapshot, dt_s: f32) {
        self.history.push(m.max_gain_reduction_db);
        self.operating_point = (m.key_level_db, m.gain_reduction_db);
        self.band_view.update(&self.bands.take(), dt_s);
    }

    fn header(&mut self, ui: &mut egui::Ui, setter: &ParamSetter) {
        let p = &self.params;
        choice(ui, &p.mode, setter);
        ui.add_space(12.0);
        ui.label(egui::RichText::new("Key").color(theme::LABEL));
        choice(ui, &p.key_path.key, setter);
        toggle(ui, "Key Listen", &p.key_path.key_listen, setter);
        toggle(ui, "Delta", &p.output.delta, setter);
        toggle(ui, "Bypass", &p.bypass, setter);
    }

    fn below_header(&mut self, ui: &mut egui::Ui, gui: &GuiContext) {
        let setter = gui.param_setter();
        stem_selector(ui, &self.params, &setter);
        self.presets.show(ui, self.params.as_ref(), gui);
    }

    fn controls(&mut self, ui: &mut egui::Ui, setter: &ParamSetter) {
        controls(ui, &self.params, setter);
    }

    fn plots(&mut self, ui: &mut egui::Ui, _setter: &ParamSetter, width: f32, body_height: f32) {
        let p = &self.params;
        let top_h = (body_height * 0.58).min(width.max(240.0));
        if p.mode.value() == Mode::Unmask {
            self.band_view.show(ui, egui::vec2(width, top_h));
        } else {
            let mut curve = TransferCurve::new(p.settings().dynamics.gain_computer());
            curve.operating_point = Some(self.operating_point);
            curve.show(ui, egui::vec2(width, top_h));
        }
        ui.add_space(6.0);
        let h = (ui.available_height() - 8.0).max(60.0);
        self.history.show(ui, egui::vec2(width, h));
    }
}

/// The prominent stem selector: one large button per stem, the profile described on hover.
fn stem_selector(ui: &mut egui::Ui, p: &StemCompressorParams, setter: &ParamSetter) {
    let current = p.stem.value();
    ui.add_space(4.0);
    ui.horizontal_wrapped(|ui| {
        ui.spacing_mut().item_spacing = egui::vec2(4.0, 4.0);
        for (i, name) in Stem::variants().iter().enumerate() {
            let stem = Stem::from_index(i);
            let text = egui::RichText::new(*name).size(14.0).strong();
            // NOTE: 68 px minimum keeps all twelve on one row at the default 960 px width (the wider names
            // grow their buttons); two rows pushed the last control rows below the window.
            let button = egui::Button::new(text).selected(stem == current).min_size(egui::vec2(68.0, 24.0));
            let response = ui.add(button).on_hover_text(stem.kind().profile().description);
            if response.clicked() && stem != current {
                setter.begin_set_parameter(&p.stem);
                setter.set_parameter(&p.stem, stem);
                setter.end_set_parameter(&p.stem);
            }
        }
    });
}

fn controls(ui: &mut egui::Ui, p: &StemCompressorParams, setter: &ParamSetter) {
    section(ui, "Dynamics");
    row(ui, "Threshold", &p.dynamics.threshold_db, setter);
    row(ui, "Ratio", &p.dynamics.ratio, setter);
    row(ui, "Knee", &p.dynamics.knee_db, setter);
    row(ui, "Range", &p.dynamics.range_db, setter);
    row(ui, "Attack", &p.dynamics.attack_ms, setter);
    row(ui, "Release", &p.dynamics.release_ms, setter);
    ui.horizontal(|ui| {
        ui.add_space(96.0);
        toggle(ui, "Auto Release", &p.dynamics.auto_release, setter);
    });
    row(ui, "Detector", &p.dynamics.detector, setter);
    row(ui, "Lookahead", &p.dynamics.lookahead_ms, setter);
    row(ui, "Resolution", &p.resolution, setter);
    section(ui, "Key and stereo");
    row(ui, "Key Blend", &p.key_path.key_blend, setter);
    row(ui, "Key HPF", &p.key_path.key_hpf_hz, setter);
    row(ui, "Stereo Link", &p.stereo.stereo_link, setter);
    row(ui, "Channels", &p.stereo.channels, setter);
    row(ui, "LFE", &p.stereo.lfe, setter);
    section(ui, "Output");
    row(ui, "Makeup", &p.output.makeup_db, setter);
    ui.horizontal(|ui| {
        ui.add_space(96.0);
        toggle(ui, "Auto Makeup", &p.output.auto_makeup, setter);
    });
    row(ui, "Mix", &p.output.mix, setter);
    row(ui, "Output", &p.output.output_db, setter);
}
