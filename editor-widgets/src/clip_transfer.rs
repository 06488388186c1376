//! A clipper's transfer curve (output against input, both linear in ceiling units), drawn by the
//! same curve that processes audio, with the knee and the live operating point.

use crate::theme;
use egui::{pos2, vec2, Align2, FontId, Pos2, Rect, Sense, Shape, Stroke, Ui};

/// Transfer-curve plot of a waveshaper: input level (x) against output level (y), both linear in
/// ceiling units (the ceiling is ±1), over `-range..range` on both axes. Build it every frame (it
/// only borrows), then [`Self::show`] it. An operating point beyond the range is drawn whole just
/// inside the edge, with an arrow pointing out; the reduction it gets is written in the lower right
/// quadrant, which the curve of a clipper never enters.
///
/// ```no_run
/// # use editor_widgets::clip_transfer::ClipTransfer;
/// # fn draw(ui: &mut egui::Ui, driven_peak: f64) {
/// // The plugin passes its curve, e.g. `|v| clip_curve.apply(v)`.
/// let curve = |v: f64| v.clamp(-1.0, 1.0);
/// let mut plot = ClipTransfer::new(&curve);
/// plot.knee_start = 1.0;
/// plot.operating_point = Some(driven_peak);
/// plot.show(ui, egui::vec2(220.0, 220.0));
/// # }
/// ```
pub struct ClipTransfer<'a> {
    /// The curve: output for an input, both in ceiling units.
    pub curve: &'a dyn Fn(f64) -> f64,
    /// Largest input the curve passes unchanged, ceiling units (`0..=1`); marked at `±knee_start`.
    pub knee_start: f64,
    /// Live operating point: the current driven input peak in ceiling units, drawn on the curve
    /// together with the reduction it gets.
    pub operating_point: Option<f64>,
    /// Half the span of both axes, ceiling units (`> 0`): the plot covers `-range..range`.
    pub range: f64,
}

impl<'a> ClipTransfer<'a> {
    /// A plot of `curve` over -2..2 ceiling units with the knee at the ceiling and no operating point.
    pub fn new(curve: &'a dyn Fn(f64) -> f64) -> Self {
        Self { curve, knee_start: 1.0, operating_point: None, range: 2.0 }
    }

    /// Draws the plot into a rect of `size`.
    pub fn show(&self, ui: &mut Ui, size: egui::Vec2) -> egui::Response {
        let (rect, response) = ui.allocate_exact_size(size, Sense::hover());
        let painter = ui.painter_at(rect);
        painter.rect_filled(rect, 3.0, theme::PANEL);
        let range = if self.range.is_finite() && self.range > 0.0 { self.range } else { 2.0 };
        let at = |x: f64, y: f64| plot_to_screen(rect, range, x, y);
        let font = FontId::proportional(10.0);

        // Grid every half ceiling, the axes a little stronger, labels at whole ceilings.
        let half_steps = (range * 2.0).floor() as i32;
        for i in -half_steps..=half_steps {
            let v = f64::from(i) / 2.0;
            let p = at(v, v);
            let colour = if i == 0 { theme::GRID.gamma_multiply(1.6) } else { theme::GRID };
            painter.vline(p.x, rect.y_range(), (1.0, colour));
            painter.hline(rect.x_range(), p.y, (1.0, colour));
            if i % 2 == 0 && v > -range && v < range {
                painter.text(pos2(p.x + 2.0, rect.max.y - 2.0), Align2::LEFT_BOTTOM, format!("{v:.0}"), font.clone(),
                    theme::LABEL);
            }
        }
        // Unity (a signal the clipper leaves alone), dashed.
        painter.extend(Shape::dashed_line(&[at(-range, -range), at(range, range)],
            (1.0, theme::LABEL.gamma_multiply(0.5)), 4.0, 4.0));
        // The ceiling.
        let ceiling_stroke = Stroke::new(1.0, theme::WARNING.gamma_multiply(0.8));
        for y in [1.0, -1.0] {
            painter.hline(rect.x_range(), at(0.0, y).y, ceiling_stroke);
        }
        painter.text(pos2(rect.min.x + 6.0, at(0.0, 1.0).y - 2.0), Align2::LEFT_BOTTOM, "ceiling", font,
            theme::WARNING);

        painter.add(Shape::line(curve_points(rect, range, self.curve), Stroke::new(2.0, theme::SIGNAL)));
        let k = self.knee_start;
        if k.is_finite() && k > 0.0 && k < range {
            for x in [k, -k] {
                let y = (self.curve)(x);
                if y.is_finite() {
                    painter.circle_stroke(at(x, y), 3.0, (1.0, theme::LABEL));
                }
            }
        }
        if let Some(x) = self.operating_point.filter(|x| x.is_finite()) {
            let y = (self.curve)(x);
            if y.is_finite() {
                let mut p = at(x, y);
                let mut unity = at(x, x);
                // Beyond the plot (drive far over the ceiling): the dot stays whole just inside the
                // edge, with an arrow pointing out to where it really is.
                let beyond = x.abs() > range;
                if beyond {
                    let (edge, out) = if x > 0.0 { (rect.max.x, 1.0) } else { (rect.min.x, -1.0) };
                    p.x = edge - out * 13.0;
                    unity.x = p.x;
                    let arrow = vec![pos2(edge - out * 2.0, p.y), pos2(edge - out * 7.0, p.y - 4.0),
                        pos2(edge - out * 7.0, p.y + 4.0)];
                    painter.add(Shape::convex_polygon(arrow, theme::ACCENT, Stroke::NONE));
                }
                // What the clipper takes off: from unity down to the curve.
                painter.line_segment([unity, p], Stroke::new(1.5, theme::REDUCTION));
                painter.circle_filled(p, 5.0, theme::ACCENT);
                // The reduction in the lower right quadrant (output below zero for input above it),
                // which the curve never enters, above the axis labels: next to the dot it would sit on
                // the curve or the knee marker.
                if let Some(db) = reduction_db(x, y).filter(|&db| db >= 0.05) {
                    let font = FontId::proportional(11.0);
                    let at = pos2(rect.max.x - 6.0, rect.max.y - 16.0);
                    let room = rect.width() / 2.0 - 12.0;
                    let long = painter.layout_no_wrap(format!("reduction -{db:.1} dB"), font.clone(), theme::REDUCTION);
                    let galley = if long.size().x <= room {
                        long
                    } else {
                        painter.layout_no_wrap(format!("-{db:.1} dB"), font, theme::REDUCTION)
                    };
                    painter.galley(Align2::RIGHT_BOTTOM.anchor_size(at, galley.size()).min, galley, theme::REDUCTION);
                }
            }
        }
        // The title, shortened on a small plot so it ends before the unity line reaches the top edge.
        let room = rect.width() - 6.0 - 24.0;
        let title = ["output vs input (ceiling = 1)", "output vs input", "out vs in"]
            .into_iter()
            .map(|t| painter.layout_no_wrap(t.to_owned(), FontId::proportional(11.0), theme::LABEL))
            .find(|g| g.size().x <= room);
        if let Some(title) = title {
            painter.galley(rect.left_top() + vec2(6.0, 4.0), title, theme::LABEL);
        }
        response
    }
}

/// Screen position of the point (`x`, `y`) in ceiling units on a plot filling `rect` that covers
/// `-range..range` on both axes, clamped to the rect (a non-finite coordinate maps to the centre).
pub fn plot_to_screen(rect: Rect, range: f64, x: f64, y: f64) -> Pos2 {
    let u = |v: f64| {
        let u = (v + range) / (2.0 * range);
        if u.is_finite() { u.clamp(0.0, 1.0) as f32 } else { 0.5 }
    };
    pos2(rect.min.x + u(x) * rect.width(), rect.max.y - u(y) * rect.height())
}

/// The curve as a polyline across the plot, about one point per pixel column; inputs where the
/// curve is not finite are left out.
pub fn curve_points(rect: Rect, range: f64, curve: &dyn Fn(f64) -> f64) -> Vec<Pos2> {
    let steps = (rect.width().max(2.0)) as usize;
    (0..=steps)
        .filter_map(|i| {
            let x = -range + 2.0 * range * i as f64 / steps as f64;
            let y = curve(x);
            y.is_finite().then(|| plot_to_screen(rect, range, x, y))
        })
        .collect()
}

/// How far the curve pulls input `x` down to output `y`, in dB (`>= 0` when `|y| <= |x|`);
/// `None` for a silent or non-finite point.
pub fn reduction_db(x: f64, y: f64) -> Option<f64> {
    let db = 20.0 * (x.abs() / y.abs()).log10();
    (db.is_finite() && x != 0.0).then_some(db)
}

#[cfg(test)]
mod tests {
    use super::*;
    use egui::{Context, RawInput};

    fn rect() -> Rect {
        Rect::from_min_size(pos2(10.0, 20.0), vec2(200.0, 100.0))
    }

    #[test]
    fn axes_map_ceiling_units_to_the_plot() {
        let r = rect();
        assert_eq!(plot_to_screen(r, 2.0, 0.0, 0.0), r.center());
        assert_eq!(plot_to_screen(r, 2.0, -2.0, -2.0), r.left_bottom());
        assert_eq!(plot_to_screen(r, 2.0, 2.0, 2.0), r.right_top());
        // The ceiling sits a quarter of the height from the top on a ±2 plot.
        assert_eq!(plot_to_screen(r, 2.0, 1.0, 1.0), pos2(160.0, 45.0));
        assert_eq!(plot_to_screen(r, 2.0, 5.0, -5.0), r.right_bottom());
        assert_eq!(plot_to_screen(r, 2.0, f64::NAN, f64::INFINITY), r.center());
    }

    #[test]
    fn curve_points_follow_the_curve() {
        let r = rect();
        let identity = |v: f64| v;
        let points = curve_points(r, 2.0, &identity);
        assert_eq!(points.len(), 201);
        assert_eq!(points[0], r.left_bottom());
        assert_eq!(*points.last().unwrap(), r.right_top());
        // Unity runs corner to corner: y falls by half a pixel per pixel of x.
        assert!(points.iter().all(|p| ((r.max.y - p.y) - (p.x - r.min.x) / 2.0).abs() < 1e-3));

        let hard = |v: f64| v.clamp(-1.0, 1.0);
        let ceiling_y = plot_to_screen(r, 2.0, 0.0, 1.0).y;
        let beyond = curve_points(r, 2.0, &hard).into_iter().filter(|p| p.x >= plot_to_screen(r, 2.0, 1.0, 0.0).x);
        assert!(beyond.into_iter().all(|p| p.y == ceiling_y));

        // Points where the curve is undefined are skipped, the rest kept.
        let holes = |v: f64| if v.abs() < 0.5 { f64::NAN } else { v };
        let points = curve_points(r, 2.0, &holes);
        assert!(points.len() < 201 && points.len() > 140, "{}", points.len());
        assert!(points.iter().all(|p| p.x.is_finite() && p.y.is_finite()));
    }

    #[test]
    fn reduction_in_db() {
        assert!((reduction_db(2.0, 1.0).unwrap() - 6.0206).abs() < 1e-3);
        assert!((reduction_db(-2.0, -1.0).unwrap() - 6.0206).abs() < 1e-3);
        assert_eq!(reduction_db(0.5, 0.5), Some(0.0));
        assert_eq!(reduction_db(0.0, 0.0), None);
        assert_eq!(reduction_db(1.0, 0.0), None);
        assert_eq!(reduction_db(f64::NAN, 1.0), None);
    }

    #[test]
    fn operating_point_beyond_the_range_stays_whole() {
        let hard = |v: f64| v.clamp(-1.0, 1.0);
        for op in [5.0, -5.0, 1.5] {
            let ctx = Context::default();
            let screen = Rect::from_min_size(Pos2::ZERO, vec2(400.0, 400.0));
            let input = RawInput { screen_rect: Some(screen), ..Default::default() };
            let mut rect = Rect::NOTHING;
            let output = ctx.run_ui(input, |ui| {
                let mut plot = ClipTransfer::new(&hard);
                plot.operating_point = Some(op);
                rect = plot.show(ui, vec2(200.0, 200.0)).rect;
            });
            let dots: Vec<Rect> = output
                .shapes
                .iter()
                .filter_map(|s| match &s.shape {
                    Shape::Circle(c) if c.fill == theme::ACCENT => Some(s.shape.visual_bounding_rect()),
                    _ => None,
                })
                .collect();
            assert_eq!(dots.len(), 1, "operating point {op}");
            assert!(rect.contains_rect(dots[0]), "operating point {op}: dot {:?} cut by the plot {rect:?}", dots[0]);
            // On the ceiling line (the hard clip's output).
            let ceiling_y = plot_to_screen(rect, 2.0, 0.0, op.signum()).y;
            assert!((dots[0].center().y - ceiling_y).abs() < 0.5, "{op}: {:?} vs {ceiling_y}", dots[0]);
            // The reduction readout lies in the lower right quadrant, clear of the axis labels.
            let texts = crate::test_shapes::texts(&output.shapes);
            let (readout, text) = texts.iter().find(|(_, t)| t.ends_with(" dB") && t.contains('-')).expect("readout");
            assert!(text.contains(&format!("{:.1}", reduction_db(op, op.signum()).unwrap())), "{text}");
            assert!(readout.min.x > rect.center().x && readout.min.y > rect.center().y && rect.contains_rect(*readout),
                "{text:?} at {readout:?} in {rect:?}");
            for (r, t) in &texts {
                assert!(std::ptr::eq(r, readout) || !r.intersects(*readout), "{text:?} overlaps {t:?}");
            }
            output.drop_without_applying_deltas();
        }
    }

    #[test]
    fn title_ends_before_the_unity_line() {
        let identity = |v: f64| v;
        for side in [300.0, 200.0, 144.0, 100.0, 60.0] {
            let ctx = Context::default();
            let screen = Rect::from_min_size(Pos2::ZERO, vec2(400.0, 400.0));
            let input = RawInput { screen_rect: Some(screen), ..Default::default() };
            let mut rect = Rect::NOTHING;
            let output = ctx.run_ui(input, |ui| rect = ClipTransfer::new(&identity).show(ui, vec2(side, side)).rect);
            for s in &output.shapes {
                if let Shape::Text(t) = &s.shape {
                    let r = t.visual_bounding_rect();
                    if r.min.y > rect.min.y + 24.0 {
                        continue; // the axis labels and the ceiling label, below the title
                    }
                    // The dashed unity line crosses the text's rows at x = rect.max.x - (y - rect.min.y).
                    assert!(r.max.x < rect.max.x - (r.max.y - rect.min.y), "{:?} at {r:?} meets unity in {rect:?}",
                        t.galley.text());
                }
            }
            output.drop_without_applying_deltas();
        }
    }

    #[test]
    fn draws_in_a_headless_frame() {
        let ctx = Context::default();
        let tanh = |v: f64| v.tanh();
        let bad = |_: f64| f64::NAN;
        for (curve, op) in [(&tanh as &dyn Fn(f64) -> f64, Some(1.5)), (&bad, Some(f64::NAN)), (&tanh, Some(9.0))] {
            let screen = Rect::from_min_size(Pos2::ZERO, vec2(400.0, 400.0));
            let input = RawInput { screen_rect: Some(screen), ..Default::default() };
            let output = ctx.run_ui(input, |ui| {
                let mut plot = ClipTransfer::new(curve);
                plot.knee_start = 0.5;
                plot.operating_point = op;
                plot.show(ui, vec2(200.0, 200.0));
            });
            assert!(!output.shapes.is_empty());
            output.drop_without_applying_deltas();
        }
    }
}
