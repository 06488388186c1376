//! A vertical peak meter with hold, in dBFS or as gain reduction.

use crate::theme;
use egui::{pos2, vec2, Rect, Sense, Ui};
use shared_dsp::units::gain_to_db;

/// Display ballistics of a meter: instant rise, fall in dB per second, peak hold.
#[derive(Debug, Clone, Copy)]
pub struct MeterBallistics {
    /// Displayed value in dB.
    pub value_db: f32,
    /// Held peak in dB.
    pub hold_db: f32,
    /// Seconds left before the hold falls.
    hold_left_s: f32,
}

impl MeterBallistics {
    /// Fall rate of the bar in dB per second.
    pub const FALL_DB_PER_S: f32 = 24.0;
    /// How long a peak is held, in seconds.
    pub const HOLD_S: f32 = 1.5;

    /// A meter resting at `floor_db`.
    pub fn new(floor_db: f32) -> Self {
        Self { value_db: floor_db, hold_db: floor_db, hold_left_s: 0.0 }
    }

    /// Feeds the newest reading in dB after `dt_s` seconds.
    pub fn update(&mut self, reading_db: f32, dt_s: f32) {
        self.value_db = reading_db.max(self.value_db - Self::FALL_DB_PER_S * dt_s);
        if reading_db >= self.hold_db {
            self.hold_db = reading_db;
            self.hold_left_s = Self::HOLD_S;
        } else {
            self.hold_left_s -= dt_s;
            if self.hold_left_s <= 0.0 {
                self.hold_db = self.value_db;
            }
        }
    }
}

/// A vertical bar meter. Level meters grow up from `min_db`; a reduction meter grows down from 0.
pub struct LevelMeter<'a> {
    label: &'a str,
    ballistics: &'a MeterBallistics,
    min_db: f32,
    max_db: f32,
    reduction: bool,
}

impl<'a> LevelMeter<'a> {
    /// A level meter from -60 to +6 dBFS.
    pub fn level(label: &'a str, ballistics: &'a MeterBallistics) -> Self {
        Self { label, ballistics, min_db: -60.0, max_db: 6.0, reduction: false }
    }

    /// A gain-reduction meter from 0 to `max_db` dB of reduction, drawn downward.
    pub fn reduction(label: &'a str, ballistics: &'a MeterBallistics, max_db: f32) -> Self {
        Self { label, ballistics, min_db: 0.0, max_db, reduction: true }
    }

    /// Draws the meter into a rect of `size`.
    pub fn show(self, ui: &mut Ui, size: egui::Vec2) -> egui::Response {
        let (rect, response) = ui.allocate_exact_size(size, Sense::hover());
        let painter = ui.painter_at(rect);
        let label_h = 16.0;
        let bar = Rect::from_min_max(rect.min, pos2(rect.max.x, rect.max.y - label_h));
        painter.rect_filled(bar, 2.0, theme::PANEL);
        let b = self.ballistics;
        let frac = theme::db_to_unit(b.value_db, self.min_db, self.max_db);
        let hold = theme::db_to_unit(b.hold_db, self.min_db, self.max_db);
        if self.reduction {
            let fill = Rect::from_min_max(bar.min, pos2(bar.max.x, bar.min.y + frac * bar.height()));
            painter.rect_filled(fill, 2.0, theme::REDUCTION);
            let y = bar.min.y + hold * bar.height();
            painter.hline(bar.x_range(), y, (1.0, theme::REDUCTION));
        } else {
            let top = bar.max.y - frac * bar.height();
            let colour = if b.value_db > 0.0 { theme::WARNING } else { theme::SIGNAL };
            painter.rect_filled(Rect::from_min_max(pos2(bar.min.x, top), bar.max), 2.0, colour);
            let y = bar.max.y - hold * bar.height();
            let hc = if b.hold_db > 0.0 { theme::WARNING } else { theme::LABEL };
            painter.hline(bar.x_range(), y, (1.0, hc));
        }
        painter.text(
            pos2(rect.center().x, rect.max.y - label_h / 2.0),
            egui::Align2::CENTER_CENTER,
            self.label,
            egui::FontId::proportional(11.0),
            theme::LABEL,
        );
        let text = if self.reduction { format!("{:.1}", b.hold_db) } else { format_db(b.hold_db) };
        response.on_hover_text(text)
    }
}

/// Formats a level in dBFS for a meter readout.
pub fn format_db(db: f32) -> String {
    if db <= -60.0 {
        "-inf".to_owned()
    } else {
        format!("{db:.1}")
    }
}

/// Linear peak to dBFS for meters (floors at -200 dB).
pub fn peak_db(peak: f32) -> f32 {
    gain_to_db(peak)
}

/// Size helper: a meter column `width` wide filling the available height.
pub fn meter_size(ui: &Ui, width: f32) -> egui::Vec2 {
    vec2(width, ui.available_height())
}
