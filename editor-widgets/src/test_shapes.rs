//! Test support: what a headless egui frame painted, read back from its shapes.

use egui::epaint::ClippedShape;
use egui::{Rect, Shape};

/// The bounds and text of every text shape, in paint order.
pub fn texts(shapes: &[ClippedShape]) -> Vec<(Rect, String)> {
    shapes
        .iter()
        .filter_map(|s| match &s.shape {
            Shape::Text(t) => Some((t.visual_bounding_rect(), t.galley.text().to_owned())),
            _ => None,
        })
        .collect()
}
