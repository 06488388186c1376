//! The Transient Clipper editor: presets, a scrolling waveform of input and output with the ceiling
//! and what is clipped off, the transfer curve of the selected curve and softness, the clip-amount
//! meter and history, and every parameter.

use std::sync::Arc;

use editor_widgets::clip_scope::{ClipHistory, ClipScope};
use editor_widgets::clip_transfer::ClipTransfer;
use editor_widgets::layout::{labelled, row, section};
use editor_widgets::meter_bus::MeterSnapshot;
use editor_widgets::param_buttons::{choice, toggle};
use editor_widgets::peak_columns::read_aligned;
use editor_widgets::{
    create_shell, DynamicsMeterBus, EditorPanel, EditorShell, GainReductionHistory, MeterBallistics, PresetMenu,
};
use nice_plug::context::gui::GuiContext;
use nice_plug::prelude::*;
use nice_plug_egui::{EguiEditor, RepaintNotifier};
use shared_dsp::clip_curve::ClipCurve;

use crate::params::{ClipperParams, WINDOW};
use crate::presets::{self, PLUGIN_ID, USER_FOLDER};
use crate::{ScopeTaps, SCOPE_SAMPLES_PER_COLUMN};

/// Output columns the scope shows (about 1 s at 48 kHz).
const SCOPE_VISIBLE_COLUMNS: usize = 1500;
/// Most latency the scope compensates, in columns (16x linear phase is far below it).
const MAX_OFFSET_COLUMNS: usize = 64;
/// Points in the clip-amount history.
const HISTORY_POINTS: usize = 360;
/// History points per second, at any editor frame rate (the history spans 12 s).
const HISTORY_RATE_HZ: f32 = 30.0;

/// Creates the editor, sized from the persisted editor size.
pub fn create(
    params: Arc<ClipperParams>,
    meters: Arc<DynamicsMeterBus>,
    scope: Arc<ScopeTaps>,
    repaint: RepaintNotifier,
) -> Option<EguiEditor<EditorShell<ClipperPanel>>> {
    let size = params.editor_size.clone();
    create_shell(&WINDOW, size, meters.clone(), repaint, ClipperPanel::new(params, meters, scope))
}

/// The Transient Clipper's part of the editor (GUI thread only).
pub struct ClipperPanel {
    params: Arc<ClipperParams>,
    /// For the latency the scope compensates.
    meters: Arc<DynamicsMeterBus>,
    scope: Arc<ScopeTaps>,
    /// Scope columns read from the rings (input has room for the latency offset).
    input_columns: Vec<f32>,
    output_columns: Vec<f32>,
    /// Driven input columns, as drawn.
    driven_columns: Vec<f32>,
    history: GainReductionHistory,
    /// Drive over the ceiling, dB: rises at once, falls like the meters (the operating point and the
    /// history readout; a single frame's value is 0 between two hits).
    over_ceiling: MeterBallistics,
    /// Largest drive over the ceiling since the last history point, dB.
    history_pending_db: f32,
    /// Time since the last history point, s.
    history_clock_s: f32,
    /// Factory and user presets.
    presets: PresetMenu,
}

impl ClipperPanel {
    fn new(params: Arc<ClipperParams>, meters: Arc<DynamicsMeterBus>, scope: Arc<ScopeTaps>) -> Self {
        let mut history = GainReductionHistory::new(HISTORY_POINTS);
        history.range_db = 24.0;
        Self {
            params,
            meters,
            scope,
            input_columns: vec![0.0; SCOPE_VISIBLE_COLUMNS + MAX_OFFSET_COLUMNS],
            output_columns: vec![0.0; SCOPE_VISIBLE_COLUMNS],
            driven_columns: vec![0.0; SCOPE_VISIBLE_COLUMNS + MAX_OFFSET_COLUMNS],
            history,
            over_ceiling: MeterBallistics::new(0.0),
            history_pending_db: 0.0,
            history_clock_s: 0.0,
            presets: PresetMenu::new(PLUGIN_ID, USER_FOLDER, presets::factory()),
        }
    }

    /// Latency in scope columns, rounded.
    fn offset_columns(&self) -> usize {
        let (latency, _) = self.meters.latency();
        ((latency as usize + SCOPE_SAMPLES_PER_COLUMN / 2) / SCOPE_SAMPLES_PER_COLUMN).min(MAX_OFFSET_COLUMNS)
    }

    fn update_views(&mut self, m: &MeterSnapshot, dt_s: f32) {
        self.over_ceiling.update(m.max_gain_reduction_db, dt_s);
        // The history advances with time, not frames: a slow editor repeats its frame's value, a
        // fast one gathers several frames into a point.
        self.history_pending_db = self.history_pending_db.max(m.max_gain_reduction_db);
        self.history_clock_s += dt_s;
        let slot_s = 1.0 / HISTORY_RATE_HZ;
        let mut pushed = 0;
        while self.history_clock_s >= slot_s && pushed < HISTORY_POINTS {
            self.history.push(self.history_pending_db);
            self.history_clock_s -= slot_s;
            pushed += 1;
        }
        if pushed > 0 {
            self.history_pending_db = 0.0;
            self.history_clock_s = self.history_clock_s.min(slot_s);
        }
        let offset = self.offset_columns();
        let input_len = SCOPE_VISIBLE_COLUMNS + offset;
        // A torn read keeps last frame's columns.
        if read_aligned(&self.scope.input, &self.scope.output, &mut self.input_columns[..input_len],
            &mut self.output_columns)
        {
            let drive = 10f32.powf(self.params.drive_db.value() / 20.0);
            for (d, x) in self.driven_columns.iter_mut().zip(&self.input_columns[..input_len]) {
                *d = x * drive;
            }
        }
    }
}

impl EditorPanel for ClipperPanel {
    const TITLE: &'static str = "STEM TRANSIENT CLIPPER";

    fn update(&mut self, m: &MeterSnapshot, dt_s: f32) {
        self.update_views(m, dt_s);
    }

    fn header(&mut self, ui: &mut egui::Ui, setter: &ParamSetter) {
        let p = &self.params;
        toggle(ui, "Delta", &p.delta, setter);
        toggle(ui, "Safety Clip", &p.safety_clip, setter);
        ui.add_space(16.0);
        toggle(ui, "Bypass", &p.bypass, setter);
    }

    fn below_header(&mut self, ui: &mut egui::Ui, gui: &GuiContext) {
        self.presets.show(ui, self.params.as_ref(), gui);
    }

    fn controls(&mut self, ui: &mut egui::Ui, setter: &ParamSetter) {
        controls(ui, &self.params, setter);
    }

    fn plots(&mut self, ui: &mut egui::Ui, _setter: &ParamSetter, plot_w: f32, body_height: f32) {
        let p = self.params.clone();
        let scope_h = (body_height * 0.5).max(140.0);
        let ceiling = 10f32.powf(p.ceiling_db.value() / 20.0);
        let offset = self.offset_columns();
        let input = &self.driven_columns[..SCOPE_VISIBLE_COLUMNS + offset];
        let mut scope = ClipScope::new(input, &self.output_columns, ceiling);
        scope.input_offset_columns = offset;
        scope.show(ui, egui::vec2(plot_w, scope_h));
        ui.add_space(6.0);
        // The transfer curve is square, at most ~60 % of the width, so the history keeps
        // room and the row never pushes the meter column out of the window.
        let h = (ui.available_height() - 8.0).max(80.0);
        let gap = ui.spacing().item_spacing.x;
        let side = h.min((plot_w - gap) * 0.62);
        ui.horizontal_top(|ui| {
            let s = p.settings();
            let curve = ClipCurve::new(s.curve, s.softness);
            let apply = |v: f64| curve.apply(v);
            let mut transfer = ClipTransfer::new(&apply);
            transfer.knee_start = curve.knee_start();
            let over = self.over_ceiling.value_db;
            transfer.operating_point = (over > 0.0).then(|| 10f64.powf(over as f64 / 20.0));
            transfer.show(ui, egui::vec2(side, side));
            let w = plot_w - side - gap;
            let history = ClipHistory {
                history: &self.history,
                title: "over ceiling",
                readout_db: Some(self.over_ceiling.hold_db),
                readout_label: "peak",
            };
            history.show(ui, egui::vec2(w, h));
        });
    }
}

fn controls(ui: &mut egui::Ui, p: &ClipperParams, setter: &ParamSetter) {
    section(ui, "Gain");
    row(ui, "Drive", &p.drive_db, setter);
    row(ui, "Ceiling", &p.ceiling_db, setter);
    row(ui, "Output", &p.output_db, setter);
    row(ui, "Mix", &p.mix, setter);
    section(ui, "Curve");
    labelled(ui, "Curve", |ui| choice(ui, &p.curve, setter));
    row(ui, "Softness", &p.softness, setter);
    section(ui, "Oversampling");
    labelled(ui, "Factor", |ui| choice(ui, &p.oversampling, setter));
    labelled(ui, "Filter", |ui| choice(ui, &p.filter, setter));
    section(ui, "Dynamics");
    row(ui, "Transient Only", &p.transient_only, setter);
    row(ui, "Stereo Link", &p.stereo_link, setter);
}
