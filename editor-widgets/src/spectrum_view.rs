//! Spectrum plot on a log-frequency axis: traces with a legend, and an optional band overlay with
//! draggable edges (a de-esser's or an equaliser's band).

use crate::theme;
use egui::{pos2, vec2, Align2, Color32, CursorIcon, FontId, IdSalt, Pos2, Rect, Response, Sense, Shape, Stroke, Ui};

/// Frequencies that get a grid line and a label, Hz.
pub const GRID_HZ: [f32; 9] = [50.0, 100.0, 200.0, 500.0, 1_000.0, 2_000.0, 5_000.0, 10_000.0, 20_000.0];

/// Half the width of a handle's grab area, in points.
const HANDLE_GRAB_HALF_WIDTH: f32 = 5.0;

/// One spectrum to draw.
#[derive(Debug, Clone, Copy)]
pub struct SpectrumTrace<'a> {
    /// Name shown in the legend.
    pub label: &'a str,
    /// Magnitude per FFT bin in dBFS, DC first, `fft_size / 2 + 1` bins
    /// (as [`crate::spectrum::SpectrumAnalyser::magnitudes_db`] gives them).
    pub magnitudes_db: &'a [f32],
    /// Sample rate the spectrum was taken at, Hz (sets the bin spacing).
    pub sample_rate_hz: f32,
    /// Line colour.
    pub colour: Color32,
}

/// A frequency band drawn over the spectrum, with draggable edges.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BandOverlay {
    /// Lower edge of the band, Hz.
    pub low_hz: f32,
    /// Upper edge of the band, Hz; `None` means the band runs to the top of the axis (a high-pass
    /// band) and has no upper handle.
    pub high_hz: Option<f32>,
    /// Current gain reduction applied to the band, dB (`>= 0`), drawn down from 0 dB.
    pub gain_reduction_db: f32,
}

/// What [`SpectrumView::show`] returns.
#[derive(Debug)]
pub struct SpectrumViewResponse {
    /// The whole plot (hover only).
    pub response: Response,
    /// While the lower handle is dragged: its new frequency in Hz, clamped to the axis (and not
    /// above the upper edge). Set the band's Frequency parameter from it.
    pub low_hz: Option<f32>,
    /// While the upper handle is dragged: its new frequency in Hz, clamped to the axis (and not
    /// below the lower edge). Derive the band's Width parameter from it.
    pub high_hz: Option<f32>,
    /// The lower handle, if a band was given: use `drag_started()` / `drag_stopped()` to begin and
    /// end the host's parameter gesture.
    pub low_handle: Option<Response>,
    /// The upper handle, if the band has an upper edge.
    pub high_handle: Option<Response>,
}

/// The spectrum plot. Build it every frame (it only borrows), then [`Self::show`] it.
///
/// ```no_run
/// # use editor_widgets::spectrum::SpectrumAnalyser;
/// # use editor_widgets::spectrum_view::{BandOverlay, SpectrumTrace, SpectrumView};
/// # use editor_widgets::theme;
/// # fn draw(ui: &mut egui::Ui, input: &SpectrumAnalyser, output: &SpectrumAnalyser) -> Option<f32> {
/// let sample_rate_hz = 48_000.0;
/// let traces = [
///     SpectrumTrace { label: "input", magnitudes_db: input.magnitudes_db(), sample_rate_hz, colour: theme::LABEL },
///     SpectrumTrace { label: "output", magnitudes_db: output.magnitudes_db(), sample_rate_hz, colour: theme::SIGNAL },
/// ];
/// let band_magnitude = |hz: f32| if hz > 5_000.0 { 1.0 } else { 0.1 };
/// let out = SpectrumView::new(&traces)
///     .band(BandOverlay { low_hz: 5_000.0, high_hz: None, gain_reduction_db: 3.0 })
///     .band_magnitude(&band_magnitude)
///     .show(ui, egui::vec2(600.0, 240.0));
/// out.low_hz // while dragged: the new Frequency
/// # }
/// ```
pub struct SpectrumView<'a> {
    /// Salt of the handles' ids, so several plots can share a `Ui`.
    id_salt: IdSalt,
    /// Spectra to draw, in order (the last on top).
    traces: &'a [SpectrumTrace<'a>],
    /// The band, if any.
    band: Option<BandOverlay>,
    /// Linear magnitude of the band filter at a frequency in Hz, if it should be drawn.
    band_magnitude: Option<&'a dyn Fn(f32) -> f32>,
    /// Frequency axis, Hz.
    min_hz: f32,
    max_hz: f32,
    /// Level axis, dBFS.
    min_db: f32,
    max_db: f32,
}

impl<'a> SpectrumView<'a> {
    /// A plot of `traces` over 20 Hz..20 kHz and -96..0 dBFS.
    pub fn new(traces: &'a [SpectrumTrace<'a>]) -> Self {
        Self {
            id_salt: IdSalt::new("spectrum_view"),
            traces,
            band: None,
            band_magnitude: None,
            min_hz: 20.0,
            max_hz: 20_000.0,
            min_db: -96.0,
            max_db: 0.0,
        }
    }

    /// Distinguishes this plot's handles from another plot's in the same `Ui`.
    pub fn id_salt(mut self, salt: impl egui::AsIdSalt) -> Self {
        self.id_salt = IdSalt::new(salt);
        self
    }

    /// Draws a band with draggable edges.
    pub fn band(mut self, band: BandOverlay) -> Self {
        self.band = Some(band);
        self
    }

    /// Also draws the band filter's response: `magnitude(hz)` is its linear magnitude at `hz`.
    pub fn band_magnitude(mut self, magnitude: &'a dyn Fn(f32) -> f32) -> Self {
        self.band_magnitude = Some(magnitude);
        self
    }

    /// Sets the level axis, dBFS (`min_db < max_db`).
    pub fn db_range(mut self, min_db: f32, max_db: f32) -> Self {
        self.min_db = min_db;
        self.max_db = max_db.max(min_db + 1.0);
        self
    }

    /// Sets the frequency axis, Hz (`0 < min_hz < max_hz`).
    pub fn hz_range(mut self, min_hz: f32, max_hz: f32) -> Self {
        self.min_hz = min_hz.max(1.0);
        self.max_hz = max_hz.max(self.min_hz * 1.01);
        self
    }

    fn x_of(&self, rect: Rect, hz: f32) -> f32 {
        rect.min.x + hz_to_unit(hz, self.min_hz, self.max_hz) * rect.width()
    }

    fn hz_at(&self, rect: Rect, x: f32) -> f32 {
        unit_to_hz((x - rect.min.x) / rect.width(), self.min_hz, self.max_hz)
    }

    fn y_of(&self, rect: Rect, db: f32) -> f32 {
        rect.max.y - theme::db_to_unit(db, self.min_db, self.max_db) * rect.height()
    }

    /// Draws the plot into a rect of `size` and handles dragging of the band's edges.
    pub fn show(self, ui: &mut Ui, size: egui::Vec2) -> SpectrumViewResponse {
        let (rect, response) = ui.allocate_exact_size(size, Sense::hover());
        let id = ui.make_persistent_id(self.id_salt);

        // Interaction first, so the band is drawn where the pointer is on this very frame.
        let mut band = self.band;
        let (mut low_hz, mut high_hz, mut low_handle, mut high_handle) = (None, None, None, None);
        if let Some(b) = band.as_mut() {
            let grab = |hz: f32| {
                let x = self.x_of(rect, hz);
                Rect::from_x_y_ranges(x - HANDLE_GRAB_HALF_WIDTH..=x + HANDLE_GRAB_HALF_WIDTH, rect.y_range())
            };
            let low = ui.interact(grab(b.low_hz), id.with("low"), Sense::drag());
            if let (true, Some(p)) = (low.dragged(), low.interact_pointer_pos()) {
                let upper = b.high_hz.map_or(self.max_hz, |h| h.clamp(self.min_hz, self.max_hz));
                b.low_hz = self.hz_at(rect, p.x).clamp(self.min_hz, upper);
                low_hz = Some(b.low_hz);
            }
            if let Some(high) = b.high_hz {
                let handle = ui.interact(grab(high), id.with("high"), Sense::drag());
                if let (true, Some(p)) = (handle.dragged(), handle.interact_pointer_pos()) {
                    let lower = b.low_hz.clamp(self.min_hz, self.max_hz);
                    let hz = self.hz_at(rect, p.x).clamp(lower, self.max_hz);
                    b.high_hz = Some(hz);
                    high_hz = Some(hz);
                }
                high_handle = Some(handle);
            }
            low_handle = Some(low);
        }
        let active = |r: &Option<Response>| r.as_ref().is_some_and(|r| r.hovered() || r.dragged());
        if active(&low_handle) || active(&high_handle) {
            ui.ctx().set_cursor_icon(CursorIcon::ResizeHorizontal);
        }

        let painter = ui.painter_at(rect);
        painter.rect_filled(rect, 3.0, theme::PANEL);
        self.draw_grid(&painter, rect);
        if let Some(b) = band {
            self.draw_band(&painter, rect, &b);
        }
        let mut points = Vec::with_capacity(rect.width() as usize + 8);
        if let Some(magnitude) = self.band_magnitude {
            let steps = (rect.width() / 2.0).max(2.0) as usize;
            points.extend((0..=steps).map(|i| {
                let x = rect.min.x + rect.width() * i as f32 / steps as f32;
                let m = magnitude(self.hz_at(rect, x));
                let db = if m > 0.0 { 20.0 * m.log10() } else { self.min_db };
                pos2(x, self.y_of(rect, db))
            }));
            painter.add(Shape::line(std::mem::take(&mut points), Stroke::new(1.0, theme::REDUCTION.gamma_multiply(0.8))));
        }
        for trace in self.traces {
            self.trace_points(rect, trace, &mut points);
            painter.add(Shape::line(std::mem::take(&mut points), Stroke::new(1.5, trace.colour)));
        }
        if let Some(b) = band {
            self.draw_handle(&painter, rect, b.low_hz, low_handle.as_ref());
            if let Some(high) = b.high_hz {
                self.draw_handle(&painter, rect, high, high_handle.as_ref());
            }
        }
        self.draw_legend(&painter, rect);
        if let Some(p) = response.hover_pos() {
            if !active(&low_handle) && !active(&high_handle) {
                let db = self.max_db - (p.y - rect.min.y) / rect.height() * (self.max_db - self.min_db);
                painter.text(rect.left_top() + vec2(6.0, 4.0), Align2::LEFT_TOP,
                    format!("{}  {db:.0} dB", format_hz(self.hz_at(rect, p.x))), FontId::proportional(11.0), theme::LABEL);
            }
        }
        SpectrumViewResponse { response, low_hz, high_hz, low_handle, high_handle }
    }

    fn draw_grid(&self, painter: &egui::Painter, rect: Rect) {
        let font = FontId::proportional(10.0);
        let mut db = (self.max_db / 12.0).floor() * 12.0;
        while db > self.min_db {
            let y = self.y_of(rect, db);
            painter.hline(rect.x_range(), y, (1.0, theme::GRID));
            if db < self.max_db {
                painter.text(pos2(rect.min.x + 4.0, y), Align2::LEFT_BOTTOM, format!("{db:.0}"), font.clone(), theme::LABEL);
            }
            db -= 12.0;
        }
        // Labels right to left, so the edge label wins and any label that would touch the one to its
        // right is dropped (narrow analysers).
        let mut free_until = f32::INFINITY;
        for hz in GRID_HZ.into_iter().rev() {
            if hz <= self.min_hz || hz > self.max_hz {
                continue;
            }
            let x = self.x_of(rect, hz);
            painter.vline(x, rect.y_range(), (1.0, theme::GRID));
            let galley = painter.layout_no_wrap(format_hz_short(hz), font.clone(), theme::LABEL);
            let w = galley.size().x;
            // The last label sits against the right edge.
            let left = if x > rect.max.x - 12.0 { x - 2.0 - w } else { x + 2.0 };
            if left + w + 4.0 <= free_until {
                painter.galley(pos2(left, rect.max.y - 2.0 - galley.size().y), galley, theme::LABEL);
                free_until = left;
            }
        }
    }

    fn draw_band(&self, painter: &egui::Painter, rect: Rect, b: &BandOverlay) {
        let x0 = self.x_of(rect, b.low_hz);
        let x1 = b.high_hz.map_or(rect.max.x, |h| self.x_of(rect, h));
        let band = Rect::from_x_y_ranges(x0..=x1.max(x0), rect.y_range());
        painter.rect_filled(band, 0.0, theme::REDUCTION.gamma_multiply(0.08));
        let gr = b.gain_reduction_db.max(0.0);
        if gr > 0.0 {
            let top = self.y_of(rect, self.max_db);
            let bottom = self.y_of(rect, self.max_db - gr);
            painter.rect_filled(Rect::from_x_y_ranges(band.x_range(), top..=bottom.max(top + 1.0)), 0.0,
                theme::REDUCTION.gamma_multiply(0.45));
        }
        // Below the legend (two rows at the top right), and kept inside the plot at the edges.
        let text = if gr >= 0.05 { format!("-{gr:.1} dB") } else { "0.0 dB".to_owned() };
        let x = band.center().x.clamp(rect.min.x + 30.0, rect.max.x - 30.0);
        painter.text(pos2(x, rect.min.y + 44.0), Align2::CENTER_TOP, text, FontId::proportional(11.0), theme::REDUCTION);
    }

    fn draw_handle(&self, painter: &egui::Painter, rect: Rect, hz: f32, handle: Option<&Response>) {
        let x = self.x_of(rect, hz);
        let hot = handle.is_some_and(|h| h.hovered() || h.dragged());
        let colour = if hot { theme::REDUCTION } else { theme::REDUCTION.gamma_multiply(0.75) };
        painter.vline(x, rect.y_range(), Stroke::new(if hot { 2.0 } else { 1.5 }, colour));
        let grip = Rect::from_center_size(pos2(x, rect.center().y), vec2(8.0, 22.0));
        painter.rect_filled(grip, 3.0, colour);
        if hot {
            let galley = painter.layout_no_wrap(format_hz(hz), FontId::proportional(11.0), theme::LABEL);
            let anchor = if x > rect.center().x { Align2::RIGHT_CENTER } else { Align2::LEFT_CENTER };
            let dx = if x > rect.center().x { -9.0 } else { 9.0 };
            let text = anchor.anchor_size(pos2(x + dx, rect.center().y), galley.size());
            painter.rect_filled(text.expand(2.0), 2.0, theme::PANEL.gamma_multiply(0.9));
            painter.galley(text.min, galley, theme::LABEL);
        }
    }

    fn draw_legend(&self, painter: &egui::Painter, rect: Rect) {
        if self.traces.is_empty() {
            return;
        }
        let font = FontId::proportional(11.0);
        let (row_h, swatch_w, pad) = (14.0, 18.0, 4.0);
        // Two passes (egui caches the layouts): size the backing panel, then draw on it.
        let text_w = self.traces.iter().fold(0.0f32, |w, t| {
            w.max(painter.layout_no_wrap(t.label.to_owned(), font.clone(), theme::LABEL).size().x)
        });
        let right = rect.max.x - 6.0;
        let backing = Rect::from_min_max(
            pos2(right - text_w - swatch_w - 2.0 * pad, rect.min.y + 4.0),
            pos2(right, rect.min.y + 4.0 + self.traces.len() as f32 * row_h + pad),
        );
        painter.rect_filled(backing, 3.0, theme::PANEL.gamma_multiply(0.85));
        let mut y = backing.min.y + pad / 2.0 + row_h / 2.0;
        for trace in self.traces {
            painter.text(pos2(right - pad, y), Align2::RIGHT_CENTER, trace.label, font.clone(), theme::LABEL);
            let x = backing.min.x + pad;
            painter.line_segment([pos2(x, y), pos2(x + swatch_w - 4.0, y)], Stroke::new(2.0, trace.colour));
            y += row_h;
        }
    }

    /// The trace as a polyline in screen space: one point per bin where bins are sparser than
    /// pixels, the loudest bin per pixel column where they are denser. Keeps one point beyond each
    /// edge so the line reaches the border (the painter clips).
    fn trace_points(&self, rect: Rect, trace: &SpectrumTrace<'_>, points: &mut Vec<Pos2>) {
        points.clear();
        let m = trace.magnitudes_db;
        let rate_ok = trace.sample_rate_hz.is_finite() && trace.sample_rate_hz > 0.0;
        if m.len() < 2 || !rate_ok {
            return;
        }
        let bin_hz = trace.sample_rate_hz / (2 * (m.len() - 1)) as f32;
        let (log_min, span) = (self.min_hz.log10(), self.max_hz.log10() - self.min_hz.log10());
        let mut left: Option<Pos2> = None;
        // The current pixel column: its index, the x of its first bin and its loudest level.
        let mut column: Option<(i32, f32, f32)> = None;
        for (i, &db) in m.iter().enumerate().skip(1) {
            let x = rect.min.x + ((i as f32 * bin_hz).log10() - log_min) / span * rect.width();
            let db = if db.is_nan() { self.min_db } else { db };
            if x < rect.min.x {
                left = Some(pos2(x, self.y_of(rect, db)));
                continue;
            }
            if let Some(p) = left.take() {
                points.push(p);
            }
            let c = x.floor() as i32;
            match column.as_mut() {
                Some((col, _, loudest)) if *col == c => *loudest = loudest.max(db),
                _ => {
                    if let Some((_, cx, loudest)) = column {
                        points.push(pos2(cx, self.y_of(rect, loudest)));
                    }
                    if x > rect.max.x {
                        column = None;
                        points.push(pos2(x, self.y_of(rect, db)));
                        break;
                    }
                    column = Some((c, x, db));
                }
            }
        }
        if let Some((_, cx, loudest)) = column {
            points.push(pos2(cx, self.y_of(rect, loudest)));
        }
    }
}

/// Position of `hz` on a log axis from `min_hz` (0) to `max_hz` (1), clamped to 0..1.
pub fn hz_to_unit(hz: f32, min_hz: f32, max_hz: f32) -> f32 {
    let u = (hz.max(f32::MIN_POSITIVE).log10() - min_hz.log10()) / (max_hz.log10() - min_hz.log10());
    if u.is_nan() { 0.0 } else { u.clamp(0.0, 1.0) }
}

/// Frequency in Hz at position `u` of a log axis from `min_hz` (0) to `max_hz` (1); `u` is clamped
/// to 0..1, so the result is always on the axis.
pub fn unit_to_hz(u: f32, min_hz: f32, max_hz: f32) -> f32 {
    let u = if u.is_nan() { 0.0 } else { u.clamp(0.0, 1.0) };
    (min_hz * (max_hz / min_hz).powf(u)).clamp(min_hz, max_hz)
}

/// Formats a frequency for a readout: "850 Hz", "4.50 kHz", "12.0 kHz".
pub fn format_hz(hz: f32) -> String {
    if hz < 1_000.0 {
        format!("{hz:.0} Hz")
    } else if hz < 10_000.0 {
        format!("{:.2} kHz", hz / 1_000.0)
    } else {
        format!("{:.1} kHz", hz / 1_000.0)
    }
}

/// Formats a grid frequency as an axis label: "50", "500", "1k", "20k".
pub fn format_hz_short(hz: f32) -> String {
    if hz < 1_000.0 {
        format!("{hz:.0}")
    } else {
        format!("{}k", hz / 1_000.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use egui::{Context, Event, Modifiers, PointerButton, RawInput};

    #[test]
    fn log_axis_round_trips_and_clamps() {
        for hz in [20.0, 50.0, 632.0, 1_000.0, 4_500.0, 20_000.0] {
            let u = hz_to_unit(hz, 20.0, 20_000.0);
            assert!((unit_to_hz(u, 20.0, 20_000.0) - hz).abs() < hz * 1e-4, "{hz}");
        }
        assert!((hz_to_unit(632.455_5, 20.0, 20_000.0) - 0.5).abs() < 1e-5);
        assert_eq!(hz_to_unit(5.0, 20.0, 20_000.0), 0.0);
        assert_eq!(hz_to_unit(0.0, 20.0, 20_000.0), 0.0);
        assert_eq!(hz_to_unit(40_000.0, 20.0, 20_000.0), 1.0);
        assert_eq!(unit_to_hz(-3.0, 20.0, 20_000.0), 20.0);
        assert_eq!(unit_to_hz(7.0, 20.0, 20_000.0), 20_000.0);
        assert_eq!(unit_to_hz(f32::NAN, 20.0, 20_000.0), 20.0);
    }

    #[test]
    fn labels() {
        let labels: Vec<String> = GRID_HZ.iter().map(|&hz| format_hz_short(hz)).collect();
        assert_eq!(labels, ["50", "100", "200", "500", "1k", "2k", "5k", "10k", "20k"]);
        assert_eq!(format_hz(850.0), "850 Hz");
        assert_eq!(format_hz(4_500.0), "4.50 kHz");
        assert_eq!(format_hz(12_000.0), "12.0 kHz");
    }

    #[test]
    fn trace_is_decimated_to_pixel_columns_and_spans_the_plot() {
        let m: Vec<f32> = (0..2049).map(|i| -(i as f32) / 40.0).collect();
        let traces = [SpectrumTrace { label: "t", magnitudes_db: &m, sample_rate_hz: 48_000.0, colour: theme::SIGNAL }];
        let view = SpectrumView::new(&traces);
        let rect = Rect::from_min_size(pos2(10.0, 20.0), vec2(300.0, 100.0));
        let mut points = Vec::new();
        view.trace_points(rect, &traces[0], &mut points);
        assert!(points.len() <= 300 + 2 && points.len() > 100, "{}", points.len());
        assert!(points.first().unwrap().x <= rect.min.x + 1.0);
        assert!(points.last().unwrap().x >= rect.max.x);
        assert!(points.windows(2).all(|w| w[0].x < w[1].x));
        assert!(points.iter().all(|p| p.y.is_finite() && p.y >= rect.min.y && p.y <= rect.max.y));
    }

    /// Runs one frame of a plot with a band and returns what it reported.
    fn frame(ctx: &Context, events: Vec<Event>, band: BandOverlay) -> (Rect, Option<f32>, Option<f32>, bool, bool) {
        let input = RawInput {
            screen_rect: Some(Rect::from_min_size(Pos2::ZERO, vec2(800.0, 400.0))),
            events,
            ..Default::default()
        };
        let mut result = None;
        let m = vec![-60.0f32; 1025];
        let magnitude = |hz: f32| if hz > band.low_hz { 1.0 } else { 0.01 };
        let output = ctx.run_ui(input, |ui| {
            let traces = [SpectrumTrace { label: "input", magnitudes_db: &m, sample_rate_hz: 48_000.0, colour: theme::SIGNAL }];
            let out = SpectrumView::new(&traces).band(band).band_magnitude(&magnitude).show(ui, vec2(600.0, 200.0));
            let stopped = out.low_handle.as_ref().is_some_and(|h| h.drag_stopped())
                || out.high_handle.as_ref().is_some_and(|h| h.drag_stopped());
            let started = out.low_handle.as_ref().is_some_and(|h| h.drag_started())
                || out.high_handle.as_ref().is_some_and(|h| h.drag_started());
            result = Some((out.response.rect, out.low_hz, out.high_hz, started, stopped));
        });
        output.drop_without_applying_deltas();
        result.unwrap()
    }

    fn button(pos: Pos2, pressed: bool) -> Event {
        Event::PointerButton { pos, button: PointerButton::Primary, pressed, modifiers: Modifiers::NONE }
    }

    #[test]
    fn dragging_the_handles_reports_new_edges_clamped_to_the_axis() {
        let ctx = Context::default();
        let mut band = BandOverlay { low_hz: 1_000.0, high_hz: Some(4_000.0), gain_reduction_db: 6.0 };
        let (rect, low, high, _, _) = frame(&ctx, vec![], band);
        assert_eq!((low, high), (None, None));
        let x_of = |hz: f32| rect.min.x + hz_to_unit(hz, 20.0, 20_000.0) * rect.width();
        let y = rect.center().y;

        // Drag the lower edge right by an octave's worth of pixels.
        let from = pos2(x_of(1_000.0), y);
        let to = pos2(x_of(2_000.0), y);
        frame(&ctx, vec![Event::PointerMoved(from)], band);
        let (_, _, _, mut started, _) = frame(&ctx, vec![button(from, true)], band);
        let (_, low, high, s, _) = frame(&ctx, vec![Event::PointerMoved(from.lerp(to, 0.5))], band);
        started |= s;
        let (_, low2, _, s, _) = frame(&ctx, vec![Event::PointerMoved(to)], band);
        started |= s;
        assert!(started, "drag_started was never reported");
        assert!(low.is_some() && high.is_none());
        let low2 = low2.expect("dragging the low handle reports its frequency");
        assert!((low2 / 2_000.0 - 1.0).abs() < 0.02, "{low2}");
        band.low_hz = low2;
        let (_, low, _, _, stopped) = frame(&ctx, vec![button(to, false)], band);
        assert!(low.is_none() && stopped);

        // Drag the upper edge far past the right edge: clamped to 20 kHz.
        let from = pos2(x_of(4_000.0), y);
        let to = pos2(rect.max.x + 300.0, y);
        frame(&ctx, vec![Event::PointerMoved(from)], band);
        frame(&ctx, vec![button(from, true)], band);
        frame(&ctx, vec![Event::PointerMoved(from.lerp(to, 0.5))], band);
        let (_, low, high, _, _) = frame(&ctx, vec![Event::PointerMoved(to)], band);
        assert_eq!(low, None);
        assert_eq!(high, Some(20_000.0));
        frame(&ctx, vec![button(to, false)], band);

        // Drag the lower edge past the upper one: it stops at the upper edge.
        let from = pos2(x_of(band.low_hz), y);
        let to = pos2(rect.max.x - 1.0, y);
        frame(&ctx, vec![Event::PointerMoved(from)], band);
        frame(&ctx, vec![button(from, true)], band);
        frame(&ctx, vec![Event::PointerMoved(from.lerp(to, 0.5))], band);
        let (_, low, _, _, _) = frame(&ctx, vec![Event::PointerMoved(to)], band);
        assert_eq!(low, Some(4_000.0));
        frame(&ctx, vec![button(to, false)], band);

        // A high-pass band (no upper edge) drags to the bottom of the axis.
        let hp = BandOverlay { low_hz: 3_000.0, high_hz: None, gain_reduction_db: 0.0 };
        let from = pos2(x_of(3_000.0), y);
        let to = pos2(rect.min.x - 100.0, y);
        frame(&ctx, vec![Event::PointerMoved(from)], hp);
        frame(&ctx, vec![button(from, true)], hp);
        frame(&ctx, vec![Event::PointerMoved(from.lerp(to, 0.5))], hp);
        let (_, low, high, _, _) = frame(&ctx, vec![Event::PointerMoved(to)], hp);
        assert_eq!((low, high), (Some(20.0), None));
        frame(&ctx, vec![button(to, false)], hp);
    }
}
