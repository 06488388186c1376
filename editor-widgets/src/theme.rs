//! The suite's colours and spacing, so every editor has the family look.

use egui::Color32;

/// Window background.
pub const BACKGROUND: Color32 = Color32::from_rgb(0x1b, 0x1e, 0x24);
/// Panel background for plots and meters.
pub const PANEL: Color32 = Color32::from_rgb(0x12, 0x14, 0x18);
/// Grid lines.
pub const GRID: Color32 = Color32::from_rgb(0x33, 0x38, 0x42);
/// Text that labels things.
pub const LABEL: Color32 = Color32::from_rgb(0xa8, 0xb0, 0xbc);
/// Signal level (meters, curves).
pub const SIGNAL: Color32 = Color32::from_rgb(0x4f, 0xc3, 0xa1);
/// Gain reduction.
pub const REDUCTION: Color32 = Color32::from_rgb(0xf0, 0x9a, 0x3e);
/// Clipping and warnings.
pub const WARNING: Color32 = Color32::from_rgb(0xe5, 0x48, 0x4d);
/// Accent for the title and the operating point.
pub const ACCENT: Color32 = Color32::from_rgb(0x6c, 0xa8, 0xff);

/// Applies the suite's visuals to an egui context.
pub fn apply(ctx: &egui::Context) {
    let mut visuals = egui::Visuals::dark();
    visuals.panel_fill = BACKGROUND;
    visuals.window_fill = BACKGROUND;
    visuals.extreme_bg_color = PANEL;
    visuals.selection.bg_fill = ACCENT.gamma_multiply(0.6);
    ctx.set_visuals(visuals);
}

/// Maps a dB value to a 0..1 position on a scale from `min_db` to `max_db`, clamped.
pub fn db_to_unit(db: f32, min_db: f32, max_db: f32) -> f32 {
    ((db - min_db) / (max_db - min_db)).clamp(0.0, 1.0)
}
