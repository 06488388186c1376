//! A scrolling peak-envelope waveform of a clipper's driven input and its output, with the ceiling
//! and the part of the input beyond it (what the clipper cuts off) highlighted; and the history of
//! how far the drive went over the ceiling.

use crate::{theme, GainReductionHistory};
use egui::{pos2, vec2, Align2, Color32, FontId, Galley, Mesh, Painter, Rect, Sense, Shape, Stroke, Ui};
use shared_dsp::units::gain_to_db;
use std::ops::Range;
use std::sync::Arc;

/// Height of the strip above a plot that holds its title, legend and value labels, so no text is
/// drawn over the data.
pub const HEADER_HEIGHT: f32 = 16.0;
/// Width of the dB label gutter left of the [`ClipHistory`] plot.
pub const HISTORY_GUTTER_WIDTH: f32 = 34.0;

/// Height of the ceiling as a fraction of the half-height when the scale follows the ceiling
/// (see [`ClipScope::new`]): leaves 40% of the half-height to show what goes over it.
pub const CEILING_HEIGHT_FRACTION: f32 = 0.6;

/// Colour of the driven input's envelope (drawn under the output).
pub const INPUT_COLOUR: Color32 = Color32::from_rgb(0x4a, 0x50, 0x5a);

/// Scrolling waveform of a clipper: the driven input's peak envelope (muted), the part of it beyond
/// the ceiling (warning colour), and the output's envelope on top (signal colour), each mirrored
/// around a centre line like a DAW waveform, newest at the right. Build it every frame (it only
/// borrows), then [`Self::show`] it.
///
/// The vertical scale is linear amplitude, `±full_scale` at the top and bottom edges. A linear scale
/// shows transients at their true proportions, so the highlighted area is the amplitude the clipper
/// removes; quiet tails stay small, which is what a drum waveform looks like in a DAW.
///
/// The ceiling's value and the legend sit in a [`HEADER_HEIGHT`] strip above the waveform (driven
/// peaks reach the plot's edges, so text inside it would cover them); only the hover readout is
/// drawn over the waveform.
///
/// ```no_run
/// # use editor_widgets::clip_scope::ClipScope;
/// # fn draw(ui: &mut egui::Ui, input: &[f32], output: &[f32], latency_columns: usize) {
/// // `input` holds `latency_columns` more columns than `output` (read with `peak_columns::read_aligned`),
/// // so the input envelope covers the whole width once shifted.
/// let ceiling = 0.5; // -6 dBFS
/// let mut scope = ClipScope::new(input, output, ceiling);
/// scope.input_offset_columns = latency_columns;
/// scope.show(ui, egui::vec2(600.0, 200.0));
/// # }
/// ```
#[derive(Debug, Clone, Copy)]
pub struct ClipScope<'a> {
    /// Peaks of the input after the drive gain (before clipping), one per column, oldest first,
    /// linear amplitude.
    pub input: &'a [f32],
    /// Peaks of the output, one per column, oldest first, linear amplitude.
    pub output: &'a [f32],
    /// The plugin latency in columns: the newest `input_offset_columns` input columns have not come
    /// out yet, so the input is drawn shifted right by this many columns to line up with the output
    /// it became. The rightmost input column drawn is `input[input.len() - 1 - input_offset_columns]`.
    pub input_offset_columns: usize,
    /// The clipper's ceiling, linear amplitude (`> 0`).
    pub ceiling: f32,
    /// Amplitude at the top and bottom edges, linear (`> 0`); louder peaks are drawn to the edge.
    pub full_scale: f32,
}

impl<'a> ClipScope<'a> {
    /// A scope whose scale follows the ceiling: `full_scale = ceiling / CEILING_HEIGHT_FRACTION`,
    /// so the ceiling lines stay put and the waveform rescales when the ceiling moves. No offset.
    pub fn new(input: &'a [f32], output: &'a [f32], ceiling: f32) -> Self {
        Self { input, output, input_offset_columns: 0, ceiling, full_scale: ceiling / CEILING_HEIGHT_FRACTION }
    }

    /// Number of columns across the plot: every output column, or every shifted input column if
    /// there are more of those.
    pub fn visible_columns(&self) -> usize {
        visible_columns(self.input.len(), self.output.len(), self.input_offset_columns)
    }

    /// Draws the scope into a rect of `size` (the waveform gets all but the [`HEADER_HEIGHT`] strip).
    pub fn show(&self, ui: &mut Ui, size: egui::Vec2) -> egui::Response {
        let (outer, response) = ui.allocate_exact_size(size, Sense::hover());
        let painter = ui.painter_at(outer);
        painter.rect_filled(outer, 3.0, theme::PANEL);
        let (header, rect) = outer.split_top_bottom_at_y((outer.min.y + HEADER_HEIGHT).min(outer.max.y));
        let ceiling = if is_positive(self.ceiling) { Some(self.ceiling) } else { None };
        let full_scale = if is_positive(self.full_scale) {
            self.full_scale
        } else {
            ceiling.map_or(1.0, |c| c / CEILING_HEIGHT_FRACTION)
        };
        let y = |amplitude: f32| amplitude_to_y(rect, amplitude, full_scale);
        painter.hline(rect.x_range(), rect.center().y, (1.0, theme::GRID));
        // Digital full scale, when it is on the plot and apart from the ceiling (named in the legend).
        let apart = |a: f32| ceiling.is_none_or(|c| (y(c) - y(a)).abs() > 12.0);
        let show_full_scale = full_scale > 1.0 && apart(1.0);
        if show_full_scale {
            for a in [1.0, -1.0] {
                painter.hline(rect.x_range(), y(a), (1.0, theme::GRID));
            }
        }

        let shown = self.visible_columns();
        let buckets = bucket_count(shown, rect.width());
        let (mut input_mesh, mut clipped_mesh, mut output_mesh) = (Mesh::default(), Mesh::default(), Mesh::default());
        for b in 0..buckets {
            let x0 = rect.min.x + rect.width() * b as f32 / buckets as f32;
            let x1 = rect.min.x + rect.width() * (b + 1) as f32 / buckets as f32;
            let columns = bucket_columns(b, buckets, shown);
            let band = |mesh: &mut Mesh, from: f32, to: f32, colour: Color32| {
                if to > from {
                    mesh.add_colored_rect(Rect::from_x_y_ranges(x0..=x1, y(to)..=y(from)), colour);
                    mesh.add_colored_rect(Rect::from_x_y_ranges(x0..=x1, y(-from)..=y(-to)), colour);
                }
            };
            if let Some(a) = bucket_peak(self.input, columns.clone(), shown, self.input_offset_columns) {
                let c = ceiling.unwrap_or(f32::INFINITY);
                // Mirrored: one rect from -a to +a under the ceiling, two beyond it.
                if a > 0.0 {
                    let inside = a.min(c);
                    input_mesh.add_colored_rect(Rect::from_x_y_ranges(x0..=x1, y(inside)..=y(-inside)), INPUT_COLOUR);
                }
                band(&mut clipped_mesh, c, a, theme::WARNING);
            }
            if let Some(a) = bucket_peak(self.output, columns, shown, 0) {
                if a > 0.0 {
                    output_mesh.add_colored_rect(Rect::from_x_y_ranges(x0..=x1, y(a)..=y(-a)), theme::SIGNAL);
                }
            }
        }
        for mesh in [input_mesh, clipped_mesh, output_mesh] {
            if !mesh.is_empty() {
                painter.add(Shape::mesh(mesh));
            }
        }

        let font = FontId::proportional(10.0);
        let ceiling_stroke = Stroke::new(1.0, theme::WARNING.gamma_multiply(0.8));
        let mut left = header.min.x + 6.0;
        if let Some(c) = ceiling {
            painter.hline(rect.x_range(), y(c), ceiling_stroke);
            painter.hline(rect.x_range(), y(-c), ceiling_stroke);
            // Its value in the header, after a short stroke like the lines it names.
            let mid = header.center().y;
            painter.hline(left..=left + 10.0, mid, ceiling_stroke);
            let galley = painter.layout_no_wrap(ceiling_label(c), font.clone(), theme::WARNING);
            let text_min = pos2(left + 14.0, mid - galley.size().y / 2.0);
            left = text_min.x + galley.size().x;
            painter.galley(text_min, galley, theme::WARNING);
        }
        self.draw_legend(&painter, header, left + 12.0, show_full_scale, &font);
        if let Some(p) = response.hover_pos().filter(|_| buckets > 0) {
            let b = (((p.x - rect.min.x) / rect.width() * buckets as f32) as usize).min(buckets - 1);
            let columns = bucket_columns(b, buckets, shown);
            let db = |peak: Option<f32>| peak.map_or("-".to_owned(), |a| format!("{:.1}", gain_to_db(a).max(-99.9)));
            let text = format!(
                "in {}  out {} dBFS",
                db(bucket_peak(self.input, columns.clone(), shown, self.input_offset_columns)),
                db(bucket_peak(self.output, columns, shown, 0)),
            );
            painter.text(rect.left_bottom() + vec2(6.0, -4.0), Align2::LEFT_BOTTOM, text, font, theme::LABEL);
        }
        response
    }

    /// One row of swatches right-aligned in the header: input, clipped off, output (and the 0 dBFS
    /// lines when they are drawn). Uses short labels, or swatches alone, when the full ones would
    /// reach `min_x` (the end of the ceiling label), and nothing when even those would.
    fn draw_legend(&self, painter: &Painter, header: Rect, min_x: f32, full_scale_lines: bool, font: &FontId) {
        let (swatch, gap) = (8.0, 4.0);
        let mid = header.center().y;
        let entries = [
            ("output", "out", Some(theme::SIGNAL)),
            ("clipped off", "clipped", Some(theme::WARNING)),
            ("input × drive", "in", Some(INPUT_COLOUR)),
            ("0 dBFS", "0 dB", None),
        ];
        let shown = if full_scale_lines { &entries[..] } else { &entries[..3] };
        let layout = |short: bool| -> Vec<Arc<Galley>> {
            shown
                .iter()
                .map(|(long, brief, _)| {
                    painter.layout_no_wrap((if short { *brief } else { *long }).to_owned(), font.clone(), theme::LABEL)
                })
                .collect()
        };
        let width = |galleys: &[Arc<Galley>]| -> f32 { galleys.iter().map(|g| g.size().x + swatch + 3.0 * gap).sum() };
        let room = header.max.x - 6.0 - min_x;
        let mut galleys = layout(false);
        if width(&galleys) > room {
            galleys = layout(true);
        }
        let with_text = width(&galleys) <= room;
        if !with_text && shown.len() as f32 * (swatch + 2.0 * gap) > room {
            return;
        }
        let mut right = header.max.x - 6.0;
        for ((_, _, colour), galley) in shown.iter().zip(galleys) {
            if with_text {
                right -= galley.size().x;
                painter.galley(pos2(right, mid - galley.size().y / 2.0), galley, theme::LABEL);
                right -= gap;
            }
            right -= swatch;
            match colour {
                Some(c) => {
                    let r = Rect::from_min_size(pos2(right, mid - swatch / 2.0), vec2(swatch, swatch));
                    painter.rect_filled(r, 1.0, *c);
                }
                // A line entry: the 0 dBFS lines are grid lines.
                None => {
                    painter.hline(right..=right + swatch, mid, (1.0, theme::LABEL));
                }
            }
            right -= 2.0 * gap;
        }
    }
}

/// Scrolling history of how far the driven input went over the ceiling: one value per editor frame
/// (dB, `>= 0`, from a [`GainReductionHistory`]), drawn down from 0 dB like gain reduction, newest at
/// the right. The title and a readout sit in a [`HEADER_HEIGHT`] strip and the dB labels in a
/// gutter on the left, so no text lies on the data.
pub struct ClipHistory<'a> {
    /// The values and the scale (`range_db` at the bottom edge).
    pub history: &'a GainReductionHistory,
    /// Title at the left of the header.
    pub title: &'a str,
    /// Value shown at the right of the header in dB, after `readout_label` (e.g. "peak" and the held
    /// peak); `None` for none.
    pub readout_db: Option<f32>,
    /// Name of the readout.
    pub readout_label: &'a str,
}

impl ClipHistory<'_> {
    /// Draws the history into a rect of `size`.
    pub fn show(&self, ui: &mut Ui, size: egui::Vec2) -> egui::Response {
        let (outer, response) = ui.allocate_exact_size(size, Sense::hover());
        let painter = ui.painter_at(outer);
        painter.rect_filled(outer, 3.0, theme::PANEL);
        let (header, body) = outer.split_top_bottom_at_y((outer.min.y + HEADER_HEIGHT).min(outer.max.y));
        let (gutter, plot) = body.split_left_right_at_x((body.min.x + HISTORY_GUTTER_WIDTH).min(body.max.x));
        // Room above the 0 dB line for its label, and a margin at the right and bottom.
        let plot = Rect::from_min_max(pos2(plot.min.x, plot.min.y + 6.0), pos2(plot.max.x - 4.0, plot.max.y - 4.0));
        let range = self.history.range_db;
        let range = if range.is_finite() && range > 0.0 { range } else { 24.0 };
        let y_of = |db: f32| plot.min.y + (db / range).clamp(0.0, 1.0) * plot.height();
        let font = FontId::proportional(10.0);
        painter.hline(plot.x_range(), plot.min.y, (1.0, theme::GRID));
        for db in [3.0, 6.0, 12.0, 18.0] {
            if db < range {
                painter.hline(plot.x_range(), y_of(db), (1.0, theme::GRID));
                painter.text(pos2(gutter.max.x - 4.0, y_of(db)), Align2::RIGHT_CENTER, format!("-{db:.0}"),
                    font.clone(), theme::LABEL);
            }
        }
        painter.text(pos2(gutter.max.x - 4.0, plot.min.y), Align2::RIGHT_CENTER, "0", font.clone(), theme::LABEL);

        let n = self.history.iter().count();
        if n >= 2 && plot.width() > 0.0 {
            let dx = plot.width() / (n - 1) as f32;
            let line: Vec<_> = self
                .history
                .iter()
                .enumerate()
                .map(|(i, v)| pos2(plot.min.x + i as f32 * dx, y_of(if v.is_finite() { v } else { 0.0 })))
                .collect();
            // The fill as one mesh of quads, the outline as separate segments. Values jump from 0 to
            // 20 dB and back within a pixel: anti-aliased polygons and joined paths through such
            // spikes get miters that shoot far past the points (over the title).
            let stroke = Stroke::new(1.5, theme::REDUCTION);
            let fill = theme::REDUCTION.gamma_multiply(0.25);
            let mut mesh = Mesh::default();
            for w in line.windows(2) {
                let i = mesh.vertices.len() as u32;
                for p in [pos2(w[0].x, plot.min.y), w[0], w[1], pos2(w[1].x, plot.min.y)] {
                    mesh.colored_vertex(p, fill);
                }
                mesh.add_triangle(i, i + 1, i + 2);
                mesh.add_triangle(i, i + 2, i + 3);
            }
            painter.add(Shape::mesh(mesh));
            for w in line.windows(2) {
                painter.line_segment([w[0], w[1]], stroke);
            }
        }
        // Title at the left, readout at the right; when both do not fit, the readout loses its label,
        // then the title goes.
        let mid = header.center().y;
        let font = FontId::proportional(11.0);
        let room = header.width() - 12.0;
        let title = painter.layout_no_wrap(self.title.to_owned(), font.clone(), theme::LABEL);
        let mut title_w = title.size().x;
        if let Some(db) = self.readout_db.filter(|d| d.is_finite()) {
            let value = format!("{:.1} dB", db.max(0.0));
            let long = format!("{} {value}", self.readout_label).trim_start().to_owned();
            let mut readout = painter.layout_no_wrap(long, font.clone(), theme::REDUCTION);
            if title_w + 12.0 + readout.size().x > room {
                readout = painter.layout_no_wrap(value, font, theme::REDUCTION);
            }
            if title_w + 12.0 + readout.size().x > room {
                title_w = f32::INFINITY;
            }
            if readout.size().x <= room {
                let at = pos2(header.max.x - 6.0 - readout.size().x, mid - readout.size().y / 2.0);
                painter.galley(at, readout, theme::REDUCTION);
            }
        }
        if title_w <= room {
            painter.galley(pos2(header.min.x + 6.0, mid - title.size().y / 2.0), title, theme::LABEL);
        }
        response
    }
}

/// `true` for a finite value above zero.
fn is_positive(x: f32) -> bool {
    x.is_finite() && x > 0.0
}

/// Screen y of a signed linear `amplitude` on a plot filling `rect` with `±full_scale` at the top
/// and bottom edges and zero on the centre line. Clamped to the rect; a non-finite amplitude
/// (or a `full_scale` that is not positive) maps to the centre line.
pub fn amplitude_to_y(rect: Rect, amplitude: f32, full_scale: f32) -> f32 {
    let u = amplitude / full_scale;
    let u = if u.is_finite() { u.clamp(-1.0, 1.0) } else { 0.0 };
    rect.center().y - u * rect.height() / 2.0
}

/// Columns across the plot for `input_len` input columns shifted by `input_offset` and `output_len`
/// output columns, both ending at the right edge.
pub fn visible_columns(input_len: usize, output_len: usize, input_offset: usize) -> usize {
    output_len.max(input_len.saturating_sub(input_offset))
}

/// Index into a series of `len` columns (oldest first) of the value drawn at plot column `column`
/// (0 = left) of `visible`, when the series' newest `offset` columns lie beyond the right edge.
/// `None` where the series has no column (it is too short to reach that far left).
pub fn series_index(column: usize, visible: usize, len: usize, offset: usize) -> Option<usize> {
    (column + len).checked_sub(visible + offset).filter(|&i| i < len)
}

/// Number of pixel buckets for `columns` columns across `width_px` pixels: one per column while
/// they are at least a pixel wide, else one per whole pixel (then a bucket holds several columns).
pub fn bucket_count(columns: usize, width_px: f32) -> usize {
    let pixels = if width_px.is_finite() && width_px >= 1.0 { width_px as usize } else { 1 };
    columns.min(pixels)
}

/// Plot columns drawn by bucket `bucket` of `buckets` (`0 < buckets <= columns`): a contiguous,
/// non-empty run, and together the buckets cover `0..columns` exactly once.
pub fn bucket_columns(bucket: usize, buckets: usize, columns: usize) -> Range<usize> {
    bucket * columns / buckets..(bucket + 1) * columns / buckets
}

/// Largest peak of `series` over the plot columns `columns` (see [`series_index`]), non-finite
/// values counted as silence; `None` if the series has no column there.
fn bucket_peak(series: &[f32], columns: Range<usize>, visible: usize, offset: usize) -> Option<f32> {
    columns
        .filter_map(|c| series_index(c, visible, series.len(), offset))
        .map(|i| if series[i].is_finite() { series[i].abs() } else { 0.0 })
        .reduce(f32::max)
}

/// The ceiling's label, e.g. "ceiling -6.0 dBFS" for a linear ceiling of 0.5.
pub fn ceiling_label(ceiling: f32) -> String {
    format!("ceiling {:.1} dBFS", gain_to_db(ceiling))
}

#[cfg(test)]
mod tests {
    use super::*;
    use egui::{Context, RawInput};

    #[test]
    fn amplitude_axis_is_linear_mirrored_and_clamped() {
        let rect = Rect::from_min_size(pos2(10.0, 20.0), vec2(300.0, 200.0));
        assert_eq!(amplitude_to_y(rect, 0.0, 2.0), 120.0);
        assert_eq!(amplitude_to_y(rect, 2.0, 2.0), 20.0);
        assert_eq!(amplitude_to_y(rect, -2.0, 2.0), 220.0);
        assert_eq!(amplitude_to_y(rect, 1.0, 2.0), 70.0);
        assert_eq!(amplitude_to_y(rect, -0.5, 2.0), 145.0);
        assert_eq!(amplitude_to_y(rect, 9.0, 2.0), 20.0);
        assert_eq!(amplitude_to_y(rect, -9.0, 2.0), 220.0);
        assert_eq!(amplitude_to_y(rect, f32::NAN, 2.0), 120.0);
        assert_eq!(amplitude_to_y(rect, f32::INFINITY, 2.0), 120.0);
        assert_eq!(amplitude_to_y(rect, 1.0, 0.0), 120.0);
    }

    #[test]
    fn default_scale_puts_the_ceiling_at_sixty_percent() {
        let scope = ClipScope::new(&[], &[], 0.5);
        let rect = Rect::from_min_size(pos2(0.0, 0.0), vec2(100.0, 200.0));
        let y = amplitude_to_y(rect, scope.ceiling, scope.full_scale);
        assert!((rect.center().y - y - 0.6 * 100.0).abs() < 1e-3, "{y}");
    }

    #[test]
    fn input_is_shifted_right_by_the_offset() {
        // Output 0..5, input 0..8 with a latency of 3 columns: the newest output column (4) lines
        // up with input column 4, and the input's newest three are not drawn.
        let (input_len, output_len, offset) = (8, 5, 3);
        let visible = visible_columns(input_len, output_len, offset);
        assert_eq!(visible, 5);
        let input: Vec<_> = (0..visible).map(|c| series_index(c, visible, input_len, offset)).collect();
        let output: Vec<_> = (0..visible).map(|c| series_index(c, visible, output_len, 0)).collect();
        assert_eq!(input, [Some(0), Some(1), Some(2), Some(3), Some(4)]);
        assert_eq!(output, [Some(0), Some(1), Some(2), Some(3), Some(4)]);

        // Equal lengths: the leftmost `offset` columns have no input.
        let visible = visible_columns(5, 5, 2);
        let input: Vec<_> = (0..visible).map(|c| series_index(c, visible, 5, 2)).collect();
        assert_eq!(input, [None, None, Some(0), Some(1), Some(2)]);

        // An offset beyond the input's length leaves no input at all.
        assert!((0..4).all(|c| series_index(c, 4, 3, 9).is_none()));
        // Only input: the plot is as wide as the shifted input.
        assert_eq!(visible_columns(10, 0, 4), 6);
        assert_eq!(series_index(5, 6, 10, 4), Some(5));
        // A shorter output is right-aligned too.
        assert_eq!(series_index(0, 6, 4, 0), None);
        assert_eq!(series_index(2, 6, 4, 0), Some(0));
    }

    #[test]
    fn buckets_cover_every_column_once() {
        for (columns, width) in [(1, 300.0), (7, 3.0), (300, 300.0), (1000, 299.5), (4096, 640.0), (5, 0.2)] {
            let buckets = bucket_count(columns, width);
            assert!(buckets >= 1 && buckets <= columns && buckets as f32 <= width.max(1.0), "{columns} {width}");
            let mut next = 0;
            for b in 0..buckets {
                let r = bucket_columns(b, buckets, columns);
                assert_eq!(r.start, next);
                assert!(!r.is_empty(), "bucket {b} of {buckets} for {columns} columns");
                next = r.end;
            }
            assert_eq!(next, columns);
        }
        assert_eq!(bucket_count(0, 300.0), 0);
        assert_eq!(bucket_count(10, f32::NAN), 1);
    }

    #[test]
    fn bucket_peak_takes_the_loudest_column_and_ignores_bad_values() {
        let series = [0.1, 0.7, f32::NAN, 0.3, f32::INFINITY, 0.2];
        assert_eq!(bucket_peak(&series, 0..3, 6, 0), Some(0.7));
        assert_eq!(bucket_peak(&series, 2..5, 6, 0), Some(0.3));
        assert_eq!(bucket_peak(&series, 4..5, 6, 0), Some(0.0));
        // Shifted by 2: plot columns 0..2 have no input.
        assert_eq!(bucket_peak(&series, 0..2, 6, 2), None);
        assert_eq!(bucket_peak(&series, 0..4, 6, 2), Some(0.7));
    }

    #[test]
    fn ceiling_label_in_dbfs() {
        assert_eq!(ceiling_label(0.501_187_2), "ceiling -6.0 dBFS");
        assert_eq!(ceiling_label(1.0), "ceiling 0.0 dBFS");
        assert_eq!(ceiling_label(0.1), "ceiling -20.0 dBFS");
    }

    /// Draws the scope in a headless frame and returns the meshes' vertex count.
    fn draw(scope: ClipScope<'_>) -> usize {
        let ctx = Context::default();
        let screen = Rect::from_min_size(pos2(0.0, 0.0), vec2(800.0, 400.0));
        let input = RawInput { screen_rect: Some(screen), ..Default::default() };
        let output = ctx.run_ui(input, |ui| {
            scope.show(ui, vec2(400.0, 160.0));
        });
        let vertices = output
            .shapes
            .iter()
            .map(|s| match &s.shape {
                Shape::Mesh(m) => m.vertices.len(),
                _ => 0,
            })
            .sum();
        output.drop_without_applying_deltas();
        vertices
    }

    /// Draws `f` in a headless 800x400 frame; returns the rect it drew into and the bounds and text of
    /// every text shape.
    fn texts_of(mut f: impl FnMut(&mut Ui) -> egui::Response) -> (Rect, Vec<(Rect, String)>) {
        let ctx = Context::default();
        let screen = Rect::from_min_size(pos2(0.0, 0.0), vec2(800.0, 400.0));
        let mut rect = Rect::NOTHING;
        let output = ctx.run_ui(RawInput { screen_rect: Some(screen), ..Default::default() }, |ui| {
            rect = f(ui).rect;
        });
        let texts = crate::test_shapes::texts(&output.shapes);
        output.drop_without_applying_deltas();
        (rect, texts)
    }

    #[test]
    fn scope_text_stays_in_the_header() {
        // Loud input (peaks at the plot's edges), the 0 dBFS lines on the plot, at a wide and a narrow
        // width: the ceiling label and the legend are in the header strip, never on the waveform.
        let input: Vec<f32> = (0..1000).map(|i| (i as f32 * 0.05).sin().abs() * 3.0).collect();
        let output: Vec<f32> = input.iter().map(|a| a.min(0.5)).collect();
        for (ceiling, width) in [(0.5, 560.0), (0.5, 240.0), (0.7, 400.0), (0.7, 120.0)] {
            let (rect, texts) = texts_of(|ui| ClipScope::new(&input, &output, ceiling).show(ui, vec2(width, 200.0)));
            let all: Vec<_> = texts.iter().map(|(_, t)| t.as_str()).collect();
            assert!(all.contains(&ceiling_label(ceiling).as_str()), "{all:?}");
            for (r, text) in &texts {
                assert!(r.min.y >= rect.min.y && r.max.y <= rect.min.y + HEADER_HEIGHT + 0.5,
                    "{text:?} at {r:?} leaves the header of {rect:?}");
                assert!(r.min.x >= rect.min.x && r.max.x <= rect.max.x, "{text:?} at {r:?} outside {rect:?}");
            }
            // No two labels overlap.
            for (i, (a, ta)) in texts.iter().enumerate() {
                for (b, tb) in &texts[i + 1..] {
                    assert!(!a.intersects(*b), "{ta:?} {a:?} overlaps {tb:?} {b:?} at width {width}");
                }
            }
            if width >= 400.0 {
                assert!(all.contains(&"clipped off") && all.contains(&"input × drive"), "{all:?}");
            }
            if ceiling == 0.7 && width >= 400.0 {
                assert!(all.contains(&"0 dBFS"), "the 0 dBFS lines are drawn but not named: {all:?}");
            }
        }
    }

    #[test]
    fn history_text_stays_off_the_plot() {
        let mut history = GainReductionHistory::new(360);
        for i in 0..360 {
            history.push(if i % 7 == 0 { 30.0 } else { (i % 19) as f32 });
        }
        let clip =
            ClipHistory { history: &history, title: "over ceiling", readout_db: Some(14.25), readout_label: "peak" };
        let (rect, texts) = texts_of(|ui| clip.show(ui, vec2(200.0, 240.0)));
        let all: Vec<_> = texts.iter().map(|(_, t)| t.as_str()).collect();
        assert!(all.contains(&"over ceiling") && all.contains(&"peak 14.2 dB") && all.contains(&"-12"), "{all:?}");
        for (r, text) in &texts {
            let in_header = r.max.y <= rect.min.y + HEADER_HEIGHT + 0.5;
            let in_gutter = r.max.x <= rect.min.x + HISTORY_GUTTER_WIDTH + 0.5;
            assert!(in_header || in_gutter, "{text:?} at {r:?} lies on the plot of {rect:?}");
        }
        // Nor does any drawing of the data reach into the header (a joined path through these spikes
        // would, by its miters).
        let ctx = Context::default();
        let screen = Rect::from_min_size(pos2(0.0, 0.0), vec2(800.0, 400.0));
        let mut rect = Rect::NOTHING;
        let output = ctx.run_ui(RawInput { screen_rect: Some(screen), ..Default::default() }, |ui| {
            rect = clip.show(ui, vec2(200.0, 240.0)).rect;
        });
        let data: Vec<_> = output
            .shapes
            .iter()
            .filter(|s| {
                let bounds = s.shape.visual_bounding_rect();
                let background = matches!(s.shape, Shape::Rect(_)) && bounds.contains_rect(rect);
                !matches!(s.shape, Shape::Text(_)) && !background
            })
            .cloned()
            .collect();
        output.drop_without_applying_deltas();
        // Tessellated, as drawn: the miters only exist in the meshes.
        for primitive in ctx.tessellate(data, 1.0) {
            if let egui::epaint::Primitive::Mesh(mesh) = primitive.primitive {
                for v in &mesh.vertices {
                    let pos = v.pos;
                    assert!(pos.y >= rect.min.y + HEADER_HEIGHT, "a vertex at {pos:?} lies in the header of {rect:?}");
                }
            }
        }
        // Narrow: the readout drops its label, then the title goes; nothing overlaps or leaves the rect.
        for width in [150.0, 110.0, 90.0, 60.0, 30.0] {
            let (rect, texts) = texts_of(|ui| clip.show(ui, vec2(width, 200.0)));
            for (i, (a, ta)) in texts.iter().enumerate() {
                assert!(rect.contains_rect(*a), "{ta:?} at {a:?} outside {rect:?} (width {width})");
                for (b, tb) in &texts[i + 1..] {
                    assert!(!a.intersects(*b), "{ta:?} overlaps {tb:?} at width {width}");
                }
            }
            if width >= 90.0 {
                assert!(texts.iter().any(|(_, t)| t.ends_with("14.2 dB")), "width {width}: {texts:?}");
            }
        }
        // Degenerate sizes and values draw without panicking.
        let mut odd = GainReductionHistory::new(2);
        odd.push(f32::NAN);
        odd.range_db = 0.0;
        let odd = ClipHistory { history: &odd, title: "", readout_db: Some(f32::INFINITY), readout_label: "" };
        texts_of(|ui| odd.show(ui, vec2(3.0, 3.0)));
    }

    #[test]
    fn draws_without_panicking_on_odd_input() {
        let input: Vec<f32> = (0..1000).map(|i| (i as f32 * 0.05).sin().abs() * 1.5).collect();
        let output: Vec<f32> = input.iter().map(|a| a.min(0.5)).collect();
        let mut scope = ClipScope::new(&input, &output[..900], 0.5);
        scope.input_offset_columns = 100;
        assert!(draw(scope) > 0);
        // Empty series, a bad ceiling, a bad scale, and NaN peaks.
        let nan = [f32::NAN; 10];
        assert_eq!(draw(ClipScope::new(&[], &[], 0.5)), 0);
        draw(ClipScope { input: &nan, output: &nan, input_offset_columns: 50, ceiling: f32::NAN, full_scale: -1.0 });
        draw(ClipScope { input: &input, output: &[], input_offset_columns: 0, ceiling: 0.0, full_scale: 0.0 });
    }
}
