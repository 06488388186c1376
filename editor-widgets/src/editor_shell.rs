//! The frame every editor of the suite shares: window, theme, title line with the latency status,
//! parameter column, plot column and meter column. A plugin fills it in with an [`EditorPanel`].

use std::sync::{Arc, RwLock};

use egui::Ui;
use nice_plug::context::gui::GuiContext;
use nice_plug::prelude::ParamSetter;
use nice_plug_egui::resizable_window::ResizableWindow;
use nice_plug_egui::{baseview, EguiEditor, NiceEguiApp, RepaintNotifier};

use crate::editor_window::{create_editor, persist_size, EditorSize, WindowSpec};
use crate::layout::{status, MeterColumn, CONTROLS_WIDTH};
use crate::meter_bus::MeterSnapshot;
use crate::{theme, DynamicsMeterBus};

/// What one plugin's editor draws inside the [`EditorShell`] (GUI thread only).
pub trait EditorPanel: 'static + Send {
    /// Title at the start of the header line (upper case by the suite's convention).
    const TITLE: &'static str;
    /// Whether the meter column shows a gain-reduction bar (not for plugins that never reduce gain).
    const SHOWS_REDUCTION: bool = true;

    /// Called once per frame with the meters the shell took and the wall time since the last frame.
    fn update(&mut self, meters: &MeterSnapshot, dt_s: f32);
    /// Switches in the header line, after the title and before the latency status.
    fn header(&mut self, ui: &mut Ui, setter: &ParamSetter);
    /// Rows between the header and the body; none by default.
    fn below_header(&mut self, _ui: &mut Ui, _gui: &GuiContext) {}
    /// The parameter column.
    fn controls(&mut self, ui: &mut Ui, setter: &ParamSetter);
    /// The plot column, `width` wide; `body_height` is the height of the whole body.
    fn plots(&mut self, ui: &mut Ui, setter: &ParamSetter, width: f32, body_height: f32);
}

/// The shared editor frame around a panel.
pub struct EditorShell<P: EditorPanel> {
    panel: P,
    meters: Arc<DynamicsMeterBus>,
    size: Arc<RwLock<EditorSize>>,
    min_size: EditorSize,
    gui: Option<GuiContext>,
    meter_column: MeterColumn,
}

/// Creates the editor window for `panel`, sized from the persisted `size`.
pub fn create_shell<P: EditorPanel>(
    spec: &WindowSpec,
    size: Arc<RwLock<EditorSize>>,
    meters: Arc<DynamicsMeterBus>,
    repaint: RepaintNotifier,
    panel: P,
) -> Option<EguiEditor<EditorShell<P>>> {
    let shell = EditorShell { panel, meters, size: size.clone(), min_size: spec.min_size, gui: None, meter_column: MeterColumn::default() };
    create_editor(spec, &size, repaint, shell)
}

impl<P: EditorPanel> NiceEguiApp for EditorShell<P> {
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
        persist_size(&self.size, size);
    }

    fn editor_closed(&mut self) {
        self.meters.set_editor_open(false);
        self.gui = None;
    }

    fn ui(&mut self, ui: &mut Ui, _frame: &mut nice_plug_egui::Frame) {
        // NOTE: wall time since the last frame: `stable_dt` stays at egui's 1/60 s guess when the repaint
        // comes from the audio thread, which slows the meters whenever fewer frames are drawn.
        let dt = ui.input(|i| i.unstable_dt).clamp(0.0, 0.25);
        let m = self.meters.take();
        self.meter_column.update(&m, dt);
        self.panel.update(&m, dt);
        let Some(gui) = self.gui.clone() else { return };
        let setter = gui.param_setter();
        let (panel, meters, meter_column) = (&mut self.panel, &self.meters, &self.meter_column);
        ResizableWindow::new(P::TITLE).min_size(self.min_size.vec2()).show(ui, |ui| {
            // Wraps at the smallest window sizes rather than pushing the latency readout out of view.
            ui.horizontal_wrapped(|ui| {
                ui.label(egui::RichText::new(P::TITLE).strong().size(18.0).color(theme::ACCENT));
                ui.add_space(16.0);
                panel.header(ui, &setter);
                status(ui, meters);
            });
            panel.below_header(ui, &gui);
            ui.add_space(6.0);
            let full = ui.available_size();
            ui.horizontal_top(|ui| {
                ui.vertical(|ui| {
                    ui.set_width(CONTROLS_WIDTH);
                    panel.controls(ui, &setter);
                });
                ui.separator();
                let plot_w =
                    (ui.available_width() - MeterColumn::width(P::SHOWS_REDUCTION) - 2.0 * ui.spacing().item_spacing.x - 8.0).max(120.0);
                ui.vertical(|ui| panel.plots(ui, &setter, plot_w, full.y));
                ui.separator();
                meter_column.show(ui, P::SHOWS_REDUCTION);
            });
        });
    }
}
