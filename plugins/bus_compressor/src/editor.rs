//! The Bus Compressor editor: presets, every parameter, meters, gain-reduction history and the live
//! transfer curve. Reads meters through atomics only.

use std::sync::Arc;

use editor_widgets::layout::{row, section};
use editor_widgets::meter_bus::MeterSnapshot;
use editor_widgets::param_buttons::{choice, toggle};
use editor_widgets::{
    create_shell, theme, DynamicsMeterBus, EditorPanel, EditorShell, GainReductionHistory, PresetMenu, TransferCurve,
};
use nice_plug::context::gui::GuiContext;
use nice_plug::prelude::*;
use nice_plug_egui::{EguiEditor, RepaintNotifier};
use shared_dsp::gain_computer::GainComputer;
use shared_dsp::units::SILENCE_DB;

use crate::params::{BusCompressorParams, WINDOW};
use crate::presets::{self, PLUGIN_ID, USER_FOLDER};

/// Number of points in the gain-reduction history (one per editor frame, about 6 s at 60 fps).
pub const HISTORY_POINTS: usize = 360;

/// Creates the editor, sized from the persisted editor size.
pub fn create(
    params: Arc<BusCompressorParams>,
    meters: Arc<DynamicsMeterBus>,
    repaint: RepaintNotifier,
) -> Option<EguiEditor<EditorShell<BusCompressorPanel>>> {
    let panel = BusCompressorPanel {
        params: params.clone(),
        history: GainReductionHistory::new(HISTORY_POINTS),
        operating_point: (SILENCE_DB, 0.0),
        presets: PresetMenu::new(PLUGIN_ID, USER_FOLDER, presets::factory()),
    };
    create_shell(&WINDOW, params.editor_size.clone(), meters, repaint, panel)
}

/// The Bus Compressor's part of the editor (GUI thread only).
pub struct BusCompressorPanel {
    params: Arc<BusCompressorParams>,
    history: GainReductionHistory,
    /// Key level (dBFS) and gain reduction (dB) at the end of the last block.
    operating_point: (f32, f32),
    /// Factory and user presets.
    presets: PresetMenu,
}

impl EditorPanel for BusCompressorPanel {
    const TITLE: &'static str = "STEM BUS COMPRESSOR";

    fn update(&mut self, m: &MeterSnapshot, _dt_s: f32) {
        self.history.push(m.max_gain_reduction_db);
        self.operating_point = (m.key_level_db, m.gain_reduction_db);
    }

    fn header(&mut self, ui: &mut egui::Ui, setter: &ParamSetter) {
        let p = &self.params;
        ui.label(egui::RichText::new("Key").color(theme::LABEL));
        choice(ui, &p.key, setter);
        toggle(ui, "Key Listen", &p.key_listen, setter);
        ui.add_space(16.0);
        toggle(ui, "Bypass", &p.bypass, setter);
    }

    fn below_header(&mut self, ui: &mut egui::Ui, gui: &GuiContext) {
        self.presets.show(ui, self.params.as_ref(), gui);
    }

    fn controls(&mut self, ui: &mut egui::Ui, setter: &ParamSetter) {
        let p = &self.params;
        section(ui, "Dynamics");
        row(ui, "Threshold", &p.threshold_db, setter);
        row(ui, "Ratio", &p.ratio, setter);
        row(ui, "Knee", &p.knee_db, setter);
        row(ui, "Attack", &p.attack_ms, setter);
        row(ui, "Release", &p.release_ms, setter);
        ui.horizontal(|ui| {
            ui.add_space(96.0);
            toggle(ui, "Auto Release", &p.auto_release, setter);
            ui.add_space(8.0);
            choice(ui, &p.detector, setter);
        });
        row(ui, "Lookahead", &p.lookahead_ms, setter);
        section(ui, "Key");
        row(ui, "Key HPF", &p.key_hpf_hz, setter);
        row(ui, "Stereo Link", &p.stereo_link, setter);
        section(ui, "Output");
        row(ui, "Makeup", &p.makeup_db, setter);
        row(ui, "Mix", &p.mix, setter);
        row(ui, "Output", &p.output_db, setter);
    }

    fn plots(&mut self, ui: &mut egui::Ui, _setter: &ParamSetter, width: f32, body_height: f32) {
        let p = &self.params;
        let curve_h = (body_height * 0.58).min(width);
        let mut curve = TransferCurve::new(GainComputer::new(p.threshold_db.value(), p.ratio.value(), p.knee_db.value()));
        curve.operating_point = Some(self.operating_point);
        curve.show(ui, egui::vec2(width, curve_h));
        ui.add_space(6.0);
        let h = (ui.available_height() - 8.0).max(60.0);
        self.history.show(ui, egui::vec2(width, h));
    }
}
