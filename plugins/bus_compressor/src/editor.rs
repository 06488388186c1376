//! The Bus Compressor editor: every parameter, meters, gain-reduction history and the live
//! transfer curve. Reads meters through atomics only.

use std::sync::Arc;

use editor_widgets::param_buttons::{choice, toggle};
use editor_widgets::layout::{row, section, status, MeterColumn, CONTROLS_WIDTH};
use editor_widgets::{theme, DynamicsMeterBus, GainReductionHistory, TransferCurve};
use nice_plug::context::gui::GuiContext;
use nice_plug::prelude::*;
use nice_plug_egui::resizable_window::ResizableWindow;
use nice_plug_egui::{baseview, EguiEditor, NiceEguiApp, RepaintNotifier};
use editor_widgets::editor_window::{create_editor, persist_size};
use shared_dsp::gain_computer::GainComputer;
use shared_dsp::units::SILENCE_DB;

use crate::params::{BusCompressorParams, WINDOW};


/// Number of points in the gain-reduction history (one per editor frame, about 6 s at 60 fps).
const HISTORY_POINTS: usize = 360;

/// Creates the editor, sized from the persisted editor size.
pub fn create(
    params: Arc<BusCompressorParams>,
    meters: Arc<DynamicsMeterBus>,
    repaint: RepaintNotifier,
) -> Option<EguiEditor<BusCompressorEditor>> {
    let size = params.editor_size.clone();
    create_editor(&WINDOW, &size, repaint, BusCompressorEditor::new(params, meters))
}

/// Editor state (GUI thread only).
pub struct BusCompressorEditor {
    params: Arc<BusCompressorParams>,
    meters: Arc<DynamicsMeterBus>,
    gui: Option<GuiContext>,
    meter_column: MeterColumn,
    history: GainReductionHistory,
    operating_point: (f32, f32),
}

impl BusCompressorEditor {
    fn new(params: Arc<BusCompressorParams>, meters: Arc<DynamicsMeterBus>) -> Self {
        Self {
            params,
            meters,
            gui: None,
            meter_column: MeterColumn::default(),
            history: GainReductionHistory::new(HISTORY_POINTS),
            operating_point: (SILENCE_DB, 0.0),
        }
    }

    fn update_meters(&mut self, dt_s: f32) {
        let m = self.meters.take();
        self.meter_column.update(&m, dt_s);
        self.history.push(m.max_gain_reduction_db);
        self.operating_point = (m.key_level_db, m.gain_reduction_db);
    }
}

impl NiceEguiApp for BusCompressorEditor {
    fn build(
        &mut self,
        egui_ctx: egui::Context,
        gui: GuiContext,
        _frame: &mut nice_plug_egui::Frame,
    ) -> Result<(), baseview::HandlerError> {
        theme::apply(&egui_ctx);
        self.gui = Some(gui);
        self.meters.set_editor_open(true);
        Ok(())
    }

    fn resized(&mut self, size: baseview::WindowSize) {
        persist_size(&self.params.editor_size, size);
    }

    fn editor_closed(&mut self) {
        self.meters.set_editor_open(false);
        self.gui = None;
    }

    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut nice_plug_egui::Frame) {
        // NOTE: wall time since the last frame: `stable_dt` stays at egui's 1/60 s guess when the repaint
        // comes from the audio thread, which slows the meters whenever fewer frames are drawn.
        let dt = ui.input(|i| i.unstable_dt).clamp(0.0, 0.25);
        self.update_meters(dt);
        let Some(gui) = self.gui.clone() else { return };
        let setter = gui.param_setter();
        let p = self.params.clone();
        let min = WINDOW.min_size.vec2();
        ResizableWindow::new("bus-compressor").min_size(min).show(ui, |ui| {
            header(ui, &p, &setter, &self.meters);
            ui.add_space(6.0);
            let full = ui.available_size();
            ui.horizontal_top(|ui| {
                ui.vertical(|ui| {
                    ui.set_width(CONTROLS_WIDTH);
                    controls(ui, &p, &setter);
                });
                ui.separator();
                let plot_w = (ui.available_width() - MeterColumn::WIDTH - 2.0 * ui.spacing().item_spacing.x - 8.0).max(120.0);
                ui.vertical(|ui| {
                    let curve_h = (full.y * 0.58).min(plot_w);
                    let mut curve = TransferCurve::new(GainComputer::new(
                        p.threshold_db.value(),
                        p.ratio.value(),
                        p.knee_db.value(),
                    ));
                    curve.operating_point = Some(self.operating_point);
                    curve.show(ui, egui::vec2(plot_w, curve_h));
                    ui.add_space(6.0);
                    let h = (ui.available_height() - 8.0).max(60.0);
                    self.history.show(ui, egui::vec2(plot_w, h));
                });
                ui.separator();
                self.meter_column.show(ui);
            });
        });
    }
}

fn header(ui: &mut egui::Ui, p: &BusCompressorParams, setter: &ParamSetter, meters: &DynamicsMeterBus) {
    ui.horizontal(|ui| {
        ui.label(egui::RichText::new("STEM BUS COMPRESSOR").strong().size(18.0).color(theme::ACCENT));
        ui.add_space(16.0);
        ui.label(egui::RichText::new("Key").color(theme::LABEL));
        choice(ui, &p.key, setter);
        toggle(ui, "Key Listen", &p.key_listen, setter);
        ui.add_space(16.0);
        toggle(ui, "Bypass", &p.bypass, setter);
        status(ui, meters);
    });
}



fn controls(ui: &mut egui::Ui, p: &BusCompressorParams, setter: &ParamSetter) {
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
