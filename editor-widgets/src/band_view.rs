//! The Unmask display: key and stem level per band over a log-frequency axis, and the reduction per
//! band hanging from the top.

use egui::{pos2, Color32, Rect, Sense, Stroke, Ui};

use crate::band_meter_bus::BandSnapshot;
use crate::level_meter::MeterBallistics;
use crate::spectrum_view::{format_hz_short, hz_to_unit};
use crate::theme;

/// Lowest frequency on the axis, Hz.
pub const MIN_HZ: f32 = 20.0;
/// Highest frequency on the axis, Hz.
pub const MAX_HZ: f32 = 20_000.0;
/// Level axis: bottom and top in dBFS.
pub const LEVEL_RANGE_DB: (f32, f32) = (-96.0, 0.0);
/// Largest reduction the bars show, dB.
pub const REDUCTION_RANGE_DB: f32 = 24.0;

/// Band display with meter ballistics per band (GUI thread).
#[derive(Debug, Default)]
pub struct BandView {
    centres_hz: Vec<f32>,
    key: Vec<MeterBallistics>,
    stem: Vec<MeterBallistics>,
    reduction: Vec<MeterBallistics>,
}

impl BandView {
    /// Feeds a snapshot taken `dt_s` seconds after the previous one.
    pub fn update(&mut self, s: &BandSnapshot, dt_s: f32) {
        if s.centres_hz.is_empty() {
            return;
        }
        if s.centres_hz != self.centres_hz {
            let n = s.centres_hz.len();
            self.centres_hz = s.centres_hz.clone();
            self.key = vec![MeterBallistics::new(LEVEL_RANGE_DB.0); n];
            self.stem = vec![MeterBallistics::new(LEVEL_RANGE_DB.0); n];
            self.reduction = vec![MeterBallistics::new(0.0); n];
        }
        for i in 0..self.centres_hz.len() {
            self.key[i].update(s.key_db[i], dt_s);
            self.stem[i].update(s.stem_db[i], dt_s);
            self.reduction[i].update(s.reduction_db[i], dt_s);
        }
    }

    /// Draws the view in `size` logical pixels.
    pub fn show(&self, ui: &mut Ui, size: egui::Vec2) -> egui::Response {
        let (rect, response) = ui.allocate_exact_size(size, Sense::hover());
        let painter = ui.painter_at(rect);
        painter.rect_filled(rect, 2.0, theme::PANEL);
        let x_of = |hz: f32| rect.left() + rect.width() * hz_to_unit(hz, MIN_HZ, MAX_HZ);
        let (lo, hi) = LEVEL_RANGE_DB;
        let y_of = |db: f32| rect.bottom() - rect.height() * ((db.clamp(lo, hi) - lo) / (hi - lo));
        for hz in [50.0, 100.0, 200.0, 500.0, 1000.0, 2000.0, 5000.0, 10_000.0] {
            let x = x_of(hz);
            painter.line_segment([pos2(x, rect.top()), pos2(x, rect.bottom())], Stroke::new(1.0, theme::GRID));
            painter.text(pos2(x + 2.0, rect.bottom() - 2.0), egui::Align2::LEFT_BOTTOM, format_hz_short(hz),
                egui::FontId::proportional(10.0), theme::LABEL);
        }
        for db in [-72.0, -48.0, -24.0] {
            let y = y_of(db);
            painter.line_segment([pos2(rect.left(), y), pos2(rect.right(), y)], Stroke::new(1.0, theme::GRID));
            painter.text(pos2(rect.left() + 2.0, y - 1.0), egui::Align2::LEFT_BOTTOM, format!("{db:.0}"),
                egui::FontId::proportional(10.0), theme::LABEL);
        }
        let n = self.centres_hz.len();
        // Reduction bars from the top, as wide as the band.
        for i in 0..n {
            let left = if i == 0 { self.centres_hz[0] / 1.12 } else { (self.centres_hz[i - 1] * self.centres_hz[i]).sqrt() };
            let right = if i + 1 == n { self.centres_hz[i] * 1.12 } else { (self.centres_hz[i] * self.centres_hz[i + 1]).sqrt() };
            let r = self.reduction[i].value_db.clamp(0.0, REDUCTION_RANGE_DB);
            if r > 0.05 {
                let h = rect.height() * 0.5 * r / REDUCTION_RANGE_DB;
                let bar = Rect::from_min_max(pos2(x_of(left) + 1.0, rect.top()), pos2(x_of(right) - 1.0, rect.top() + h));
                painter.rect_filled(bar, 1.0, theme::REDUCTION.gamma_multiply(0.8));
            }
        }
        let line = |values: &[MeterBallistics], color: Color32| {
            let points: Vec<_> = (0..n).map(|i| pos2(x_of(self.centres_hz[i]), y_of(values[i].value_db))).collect();
            painter.add(egui::Shape::line(points, Stroke::new(2.0, color)));
        };
        if n > 1 {
            line(&self.stem, theme::SIGNAL);
            line(&self.key, theme::ACCENT);
        }
        // Legend in the lower right corner, on its own background, clear of the hanging bars.
        let legend = [("stem", theme::SIGNAL), ("key", theme::ACCENT), ("reduction", theme::REDUCTION)];
        let legend_rect = Rect::from_min_max(pos2(rect.right() - 74.0, rect.bottom() - 62.0), pos2(rect.right() - 4.0, rect.bottom() - 18.0));
        painter.rect_filled(legend_rect, 2.0, theme::PANEL.gamma_multiply(0.9));
        for (k, (name, color)) in legend.iter().enumerate() {
            painter.text(pos2(legend_rect.right() - 6.0, legend_rect.top() + 3.0 + 13.0 * k as f32), egui::Align2::RIGHT_TOP, *name,
                egui::FontId::proportional(11.0), *color);
        }
        response
    }
}
