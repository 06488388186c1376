//! The static transfer curve, drawn by the same gain computer that processes audio, with the live
//! operating point.

use crate::theme;
use egui::{pos2, Pos2, Rect, Sense, Shape, Stroke, Ui};
use shared_dsp::gain_computer::GainComputer;

/// Transfer-curve plot: input level (x) against output level (y), both in dBFS.
pub struct TransferCurve {
    /// The curve to draw.
    pub gain_computer: GainComputer,
    /// Live operating point: key level in dBFS and current gain reduction in dB.
    pub operating_point: Option<(f32, f32)>,
    /// Lowest level shown on both axes, dBFS.
    pub min_db: f32,
    /// Highest level shown on both axes, dBFS.
    pub max_db: f32,
}

impl TransferCurve {
    /// A curve over -60..+6 dBFS.
    pub fn new(gain_computer: GainComputer) -> Self {
        Self { gain_computer, operating_point: None, min_db: -60.0, max_db: 6.0 }
    }

    fn to_screen(&self, rect: Rect, x_db: f32, y_db: f32) -> Pos2 {
        let u = |db: f32| ((db - self.min_db) / (self.max_db - self.min_db)).clamp(0.0, 1.0);
        pos2(rect.min.x + u(x_db) * rect.width(), rect.max.y - u(y_db) * rect.height())
    }

    /// Draws the plot into a square of `side` pixels.
    pub fn show(&self, ui: &mut Ui, size: egui::Vec2) -> egui::Response {
        let (rect, response) = ui.allocate_exact_size(size, Sense::hover());
        let painter = ui.painter_at(rect);
        painter.rect_filled(rect, 3.0, theme::PANEL);
        let mut db = (self.min_db / 12.0).ceil() * 12.0;
        while db <= self.max_db {
            let p = self.to_screen(rect, db, db);
            painter.vline(p.x, rect.y_range(), (1.0, theme::GRID));
            painter.hline(rect.x_range(), p.y, (1.0, theme::GRID));
            if db > self.min_db {
                painter.text(pos2(p.x + 2.0, rect.max.y - 2.0), egui::Align2::LEFT_BOTTOM, format!("{db:.0}"),
                    egui::FontId::proportional(10.0), theme::LABEL);
            }
            db += 12.0;
        }
        // Unity line.
        painter.line_segment([self.to_screen(rect, self.min_db, self.min_db), self.to_screen(rect, self.max_db, self.max_db)],
            (1.0, theme::GRID.gamma_multiply(1.6)));
        let steps = (rect.width() as usize).max(2);
        let points: Vec<Pos2> = (0..=steps)
            .map(|i| {
                let x = self.min_db + (self.max_db - self.min_db) * i as f32 / steps as f32;
                self.to_screen(rect, x, self.gain_computer.output_level_db(x))
            })
            .collect();
        painter.add(Shape::line(points, Stroke::new(2.0, theme::SIGNAL)));
        let t = self.gain_computer.threshold_db;
        let tp = self.to_screen(rect, t, t);
        painter.circle_stroke(tp, 3.0, (1.0, theme::LABEL));
        if let Some((x, gr)) = self.operating_point {
            if x > self.min_db {
                let p = self.to_screen(rect, x, x - gr);
                painter.circle_filled(p, 5.0, theme::ACCENT);
            }
        }
        painter.text(rect.left_top() + egui::vec2(6.0, 4.0), egui::Align2::LEFT_TOP, "output vs key level (dBFS)",
            egui::FontId::proportional(11.0), theme::LABEL);
        response
    }
}
