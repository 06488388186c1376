//! The Stem Null Check editor: the verdict in plain words, presets, the measurements live and since the last
//! reset, and the residual's history. Reads measurements through atomics only.

use std::collections::VecDeque;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use editor_widgets::layout::section;
use editor_widgets::meter_bus::MeterSnapshot;
use editor_widgets::param_buttons::{choice, toggle};
use editor_widgets::{create_shell, theme, DynamicsMeterBus, EditorPanel, EditorShell, PresetMenu};
use nice_plug::prelude::*;
use nice_plug_egui::{EguiEditor, RepaintNotifier};
use shared_dsp::null_check::NullMeasurement;
use shared_dsp::null_verdict::{Finding, ABSENT_DBFS, COMPLETE_NULL_DB, NULL_DEPTH_DB};
use shared_dsp::units::SILENCE_DB;

use crate::measurement_bus::MeasurementBus;
use crate::params::{StemNullParams, WINDOW};
use crate::presets::{self, PLUGIN_ID, USER_FOLDER};

/// Points in the residual history (one per editor frame, about 10 s at 60 fps).
pub const HISTORY_POINTS: usize = 600;
/// Lowest residual the history shows, in dB relative to the reference (deeper nulls sit on it).
pub const HISTORY_FLOOR_DB: f32 = -160.0;
/// Highest residual the history shows, in dB relative to the reference (a polarity flip is +6 dB).
pub const HISTORY_TOP_DB: f32 = 20.0;

/// Creates the editor, sized from the persisted editor size.
pub fn create(
    params: Arc<StemNullParams>,
    meters: Arc<DynamicsMeterBus>,
    live: Arc<MeasurementBus>,
    reset_requested: Arc<AtomicBool>,
    repaint: RepaintNotifier,
) -> Option<EguiEditor<EditorShell<StemNullPanel>>> {
    let sample_rate_hz = meters.sample_rate_hz();
    let panel = StemNullPanel {
        params: params.clone(),
        live,
        reset_requested,
        now: [NullMeasurement::default(); 2],
        history: VecDeque::with_capacity(HISTORY_POINTS),
        sample_rate_hz,
        presets: PresetMenu::new(PLUGIN_ID, USER_FOLDER, presets::factory()),
    };
    create_shell(&WINDOW, params.editor_size.clone(), meters, repaint, panel)
}

/// The Stem Null Check's part of the editor (GUI thread only).
pub struct StemNullPanel {
    params: Arc<StemNullParams>,
    live: Arc<MeasurementBus>,
    reset_requested: Arc<AtomicBool>,
    /// Live and since-reset measurements of this frame.
    now: [NullMeasurement; 2],
    /// Live residual relative to the reference, dB, oldest first (NaN: no reference then).
    history: VecDeque<f32>,
    sample_rate_hz: f32,
    /// Factory and user presets.
    presets: PresetMenu,
}

impl EditorPanel for StemNullPanel {
    const TITLE: &'static str = "STEM NULL CHECK";
    const SHOWS_REDUCTION: bool = false;

    fn update(&mut self, _m: &MeterSnapshot, _dt_s: f32) {
        self.now = [self.live.load(), self.params.saved.load()];
        if self.history.len() == HISTORY_POINTS {
            self.history.pop_front();
        }
        // Without a reference there is no residual to plot: the history shows a gap.
        let live = self.now[0].levels;
        let depth = (live.reference.rms_dbfs > ABSENT_DBFS).then(|| live.residual_relative_db());
        self.history.push_back(depth.map_or(f32::NAN, |d| d.clamp(HISTORY_FLOOR_DB, HISTORY_TOP_DB)));
    }

    fn header(&mut self, ui: &mut egui::Ui, setter: &ParamSetter) {
        let p = &self.params;
        ui.label(egui::RichText::new("Output").color(theme::LABEL));
        choice(ui, &p.output, setter);
        ui.add_space(12.0);
        ui.label(egui::RichText::new("Headroom").color(theme::LABEL));
        choice(ui, &p.headroom, setter);
        ui.add_space(12.0);
        if ui.button("Reset").on_hover_text("Start the since-reset measurement afresh").clicked() {
            self.reset_requested.store(true, Ordering::Release);
            self.history.clear();
        }
        toggle(ui, "Bypass", &p.bypass, setter);
    }

    fn below_header(&mut self, ui: &mut egui::Ui, gui: &nice_plug::context::gui::GuiContext) {
        let headroom = self.params.headroom.value().dbfs();
        let verdict = self.now[1].verdict(headroom);
        let good = verdict.nulls() && !verdict.findings().any(|f| matches!(f, Finding::OverHeadroom { .. }));
        let colour = if good { theme::SIGNAL } else { theme::REDUCTION };
        ui.add_space(4.0);
        ui.label(egui::RichText::new(verdict.to_string()).size(22.0).strong().color(colour));
        let live = self.now[0].verdict(headroom);
        ui.label(egui::RichText::new(format!("live: {live}")).size(12.0).color(theme::LABEL));
        self.presets.show(ui, self.params.as_ref(), gui);
    }

    fn controls(&mut self, ui: &mut egui::Ui, _setter: &ParamSetter) {
        let [live, total] = self.now;
        let headroom = self.params.headroom.value().dbfs();
        let rate = self.sample_rate_hz;
        section(ui, "Measurements");
        egui::Grid::new("null-table").num_columns(3).spacing([10.0, 5.0]).min_col_width(100.0).striped(true).show(ui, |ui| {
            ui.label("");
            ui.label(egui::RichText::new("Live").color(theme::ACCENT));
            ui.label(egui::RichText::new("Since reset").color(theme::ACCENT));
            ui.end_row();
            let rows: [(&str, Readout); 9] = [
                ("Residual RMS", |m, _, _| dbfs(m.levels.difference.rms_dbfs)),
                ("Residual peak", |m, _, _| dbfs(m.levels.difference.peak_dbfs)),
                ("Residual vs mix", |m, _, _| relative(m)),
                ("Offset", |m, rate, _| offset(m, rate)),
                ("Polarity", |m, _, _| match m.alignment {
                    Some(p) if p.normalized < 0.0 => "Inverted".into(),
                    Some(_) => "Normal".into(),
                    None => "-".into(),
                }),
                ("Gain mismatch", |m, _, _| match m.alignment {
                    Some(p) => format!("{:+.2} dB", unsigned_zero(p.level_ratio_db, 2)),
                    None => "-".into(),
                }),
                ("Correlation", |m, _, _| m.alignment.map_or("-".into(), |p| format!("{:+.3}", unsigned_zero(p.normalized, 3)))),
                ("Stem bus peak", |m, _, h| {
                    let over = if m.levels.stems.peak_dbfs > h { "  over" } else { "" };
                    format!("{}{over}", dbfs(m.levels.stems.peak_dbfs))
                }),
                ("Reference RMS", |m, _, _| dbfs(m.levels.reference.rms_dbfs)),
            ];
            for (label, value) in rows {
                ui.label(egui::RichText::new(label).color(theme::LABEL));
                ui.label(egui::RichText::new(value(&live, rate, headroom)).monospace().size(12.0));
                ui.label(egui::RichText::new(value(&total, rate, headroom)).monospace().size(12.0).strong());
                ui.end_row();
            }
        });
        ui.add_space(8.0);
        ui.label(
            egui::RichText::new(format!(
                "Gain mismatch: reference level over stems (+: reference louder). Headroom {headroom:.0} dBFS."
            ))
            .size(11.0)
            .color(theme::LABEL),
        );
    }

    fn plots(&mut self, ui: &mut egui::Ui, _setter: &ParamSetter, width: f32, _body_height: f32) {
        let h = (ui.available_height() - 8.0).max(80.0);
        let (rect, _) = ui.allocate_exact_size(egui::vec2(width, h), egui::Sense::hover());
        let painter = ui.painter_at(rect);
        painter.rect_filled(rect, 4.0, theme::PANEL);
        // A 2 px margin keeps traces at the range's ends off the border.
        let inner = rect.shrink2(egui::vec2(0.0, 2.0));
        let y_of = |db: f32| {
            inner.top() + inner.height() * ((HISTORY_TOP_DB - db) / (HISTORY_TOP_DB - HISTORY_FLOOR_DB)).clamp(0.0, 1.0)
        };
        for db in (HISTORY_FLOOR_DB as i32..=HISTORY_TOP_DB as i32).step_by(20).map(|d| d as f32) {
            let y = y_of(db);
            let colour = if db == NULL_DEPTH_DB { theme::SIGNAL.gamma_multiply(0.6) } else { theme::GRID };
            painter.hline(rect.x_range(), y, egui::Stroke::new(1.0, colour));
            // The lowest label sits above its line, the others below theirs.
            let (dy, align) = if db == HISTORY_FLOOR_DB { (-1.0, egui::Align2::LEFT_BOTTOM) } else { (1.0, egui::Align2::LEFT_TOP) };
            painter.text(egui::pos2(rect.left() + 4.0, y + dy), align, format!("{db:.0} dB"),
                egui::FontId::proportional(10.0), theme::LABEL);
        }
        painter.text(rect.right_top() + egui::vec2(-6.0, 4.0), egui::Align2::RIGHT_TOP,
            "residual vs mix (live), last 10 s", egui::FontId::proportional(11.0), theme::LABEL);
        let n = self.history.len();
        let dx = rect.width() / (HISTORY_POINTS - 1) as f32;
        let x0 = rect.right() - dx * n.saturating_sub(1) as f32;
        // One polyline per run of points with a reference.
        let mut run: Vec<egui::Pos2> = Vec::new();
        for (i, &db) in self.history.iter().enumerate() {
            if db.is_finite() {
                run.push(egui::pos2(x0 + dx * i as f32, y_of(db)));
            }
            if (!db.is_finite() || i + 1 == n) && !run.is_empty() {
                painter.add(egui::Shape::line(std::mem::take(&mut run), egui::Stroke::new(1.5, theme::ACCENT)));
            }
        }
    }
}

/// Rounds away the sign of values that print as zero ("-0.00").
fn unsigned_zero(v: f32, decimals: i32) -> f32 {
    if v.abs() < 0.5 * 10f32.powi(-decimals) {
        0.0
    } else {
        v
    }
}

/// Formats one table cell from a measurement, the sample rate (Hz) and the headroom (dBFS).
type Readout = fn(&NullMeasurement, f32, f32) -> String;

fn dbfs(v: f32) -> String {
    if v <= SILENCE_DB {
        "-inf dBFS".into()
    } else {
        format!("{v:.1} dBFS")
    }
}

fn relative(m: &NullMeasurement) -> String {
    if m.levels.reference.rms_dbfs <= SILENCE_DB {
        return "-".into();
    }
    let d = m.levels.residual_relative_db();
    if d <= COMPLETE_NULL_DB {
        format!("< {COMPLETE_NULL_DB:.0} dB")
    } else {
        format!("{d:.1} dB")
    }
}

fn offset(m: &NullMeasurement, rate: f32) -> String {
    match m.alignment {
        Some(p) => format!("{} smp ({:.2} ms)", p.lag_samples, p.lag_samples as f32 * 1000.0 / rate.max(1.0)),
        None => "-".into(),
    }
}
