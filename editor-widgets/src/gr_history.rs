//! A scrolling plot of gain reduction over time.

use crate::theme;
use egui::{pos2, Rect, Sense, Shape, Stroke, Ui};

/// Gain-reduction history: a ring of dB values, one per editor frame, preallocated.
#[derive(Debug, Clone)]
pub struct GainReductionHistory {
    values_db: Vec<f32>,
    next: usize,
    /// Scale of the plot: the reduction at the bottom edge, in dB.
    pub range_db: f32,
}

impl GainReductionHistory {
    /// A history of `len` points (editor side only; allocates here, not on the audio thread).
    pub fn new(len: usize) -> Self {
        Self { values_db: vec![0.0; len.max(2)], next: 0, range_db: 24.0 }
    }

    /// Appends the newest reduction in dB (`>= 0`).
    pub fn push(&mut self, gain_reduction_db: f32) {
        self.values_db[self.next] = gain_reduction_db.max(0.0);
        self.next = (self.next + 1) % self.values_db.len();
    }

    /// Oldest-first iterator over the stored values.
    pub fn iter(&self) -> impl Iterator<Item = f32> + '_ {
        self.values_db[self.next..].iter().chain(&self.values_db[..self.next]).copied()
    }

    /// Draws the history filling `size`, newest at the right.
    pub fn show(&self, ui: &mut Ui, size: egui::Vec2) -> egui::Response {
        let (rect, response) = ui.allocate_exact_size(size, Sense::hover());
        let painter = ui.painter_at(rect);
        painter.rect_filled(rect, 3.0, theme::PANEL);
        for db in [3.0, 6.0, 12.0, 18.0] {
            if db < self.range_db {
                let y = rect.min.y + db / self.range_db * rect.height();
                painter.hline(rect.x_range(), y, (1.0, theme::GRID));
                painter.text(pos2(rect.min.x + 4.0, y), egui::Align2::LEFT_BOTTOM, format!("-{db:.0} dB"),
                    egui::FontId::proportional(10.0), theme::LABEL);
            }
        }
        let n = self.values_db.len();
        let dx = rect.width() / (n - 1) as f32;
        let line: Vec<_> = self
            .iter()
            .enumerate()
            .map(|(i, v)| pos2(rect.min.x + i as f32 * dx, rect.min.y + (v / self.range_db).min(1.0) * rect.height()))
            .collect();
        // Fill as thin quads (the area is not convex).
        for w in line.windows(2) {
            let quad = vec![pos2(w[0].x, rect.min.y), w[0], w[1], pos2(w[1].x, rect.min.y)];
            painter.add(Shape::convex_polygon(quad, theme::REDUCTION.gamma_multiply(0.25), Stroke::NONE));
        }
        painter.add(Shape::line(line, Stroke::new(1.5, theme::REDUCTION)));
        painter.text(Rect::from_min_size(rect.min, rect.size()).right_top() + egui::vec2(-6.0, 4.0),
            egui::Align2::RIGHT_TOP, "gain reduction", egui::FontId::proportional(11.0), theme::LABEL);
        response
    }
}
