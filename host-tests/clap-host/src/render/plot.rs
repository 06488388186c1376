//! The gain-change plot of one instance: a PNG with a time axis in seconds, a dB grid and the
//! measured trace.

use std::path::Path;

use super::canvas::{Canvas, Rgb};
use super::gain_change::{GainTrace, GATE_DBFS};

/// Image width, pixels.
pub const WIDTH: u32 = 960;
/// Image height, pixels.
pub const HEIGHT: u32 = 320;

/// Font scale of the labels (3 x 5 glyphs drawn 6 x 10 pixels).
const SCALE: u32 = 2;
/// Plot area margins, pixels.
const LEFT: i32 = 64;
const RIGHT: i32 = 20;
const TOP: i32 = 34;
const BOTTOM: i32 = 48;

const BACKGROUND: Rgb = [255, 255, 255];
const GRID: Rgb = [222, 224, 230];
const ZERO: Rgb = [150, 152, 160];
const FRAME: Rgb = [70, 72, 80];
const LABEL: Rgb = [40, 42, 50];
const TRACE: Rgb = [200, 40, 50];

/// The first of `steps` that divides `span` into at most `max_divisions` parts.
fn nice_step(span: f64, max_divisions: f64, steps: &[f64]) -> f64 {
    steps.iter().copied().find(|s| span / s <= max_divisions).unwrap_or(*steps.last().unwrap())
}

/// `value` with as many decimals as `step` needs.
fn label(value: f64, step: f64) -> String {
    let decimals = if step >= 1.0 { 0 } else if step >= 0.1 { 1 } else { 2 };
    let v = if value.abs() < step * 1e-6 { 0.0 } else { value };
    let s = format!("{v:.decimals$}");
    if v > 0.0 { format!("+{s}") } else { s }
}

/// Draws `trace` (of a signal `duration_s` long) into a PNG at `path`, titled `title`.
pub fn plot_gain_change(trace: &GainTrace, duration_s: f64, title: &str, path: &Path) -> Result<(), String> {
    let mut c = Canvas::new(WIDTH, HEIGHT, BACKGROUND);
    let (x0, x1) = (LEFT, WIDTH as i32 - RIGHT);
    let (y0, y1) = (TOP, HEIGHT as i32 - BOTTOM);
    let duration_s = duration_s.max(1e-6);

    // dB axis: one grid step below the lowest value and above the highest (0 dB always shown).
    let (lo, hi) = trace.range_db().map_or((0.0, 0.0), |(l, h)| (l.min(0.0) as f64, h.max(0.0) as f64));
    let db_step = nice_step(hi - lo + 1e-9, 8.0, &[0.5, 1.0, 2.0, 3.0, 6.0, 12.0, 24.0, 48.0]);
    let db_lo = db_step * ((lo / db_step).ceil() - 1.0);
    let db_hi = db_step * ((hi / db_step).floor() + 1.0);
    let y_of = |db: f64| y1 as f64 - (db - db_lo) / (db_hi - db_lo) * (y1 - y0) as f64;
    let x_of = |t: f64| x0 as f64 + t / duration_s * (x1 - x0) as f64;

    let text_h = Canvas::text_height(SCALE);
    let mut db = db_lo;
    while db <= db_hi + 1e-9 {
        let y = y_of(db).round() as i32;
        c.line((x0, y), (x1, y), 1, if db.abs() < 1e-9 { ZERO } else { GRID });
        let l = label(db, db_step);
        c.text(x0 - 8 - Canvas::text_width(&l, SCALE), y - text_h / 2, &l, SCALE, LABEL);
        db += db_step;
    }
    let t_step = nice_step(duration_s, 10.0, &[0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1.0, 2.0, 5.0, 10.0, 15.0, 30.0, 60.0, 120.0, 300.0, 600.0, 1800.0, 3600.0]);
    let mut t = 0.0;
    while t <= duration_s + 1e-9 {
        let x = x_of(t).round() as i32;
        c.line((x, y0), (x, y1), 1, GRID);
        c.line((x, y1), (x, y1 + 4), 1, FRAME);
        let l = label(t, t_step).trim_start_matches('+').to_owned();
        c.text(x - Canvas::text_width(&l, SCALE) / 2, y1 + 8, &l, SCALE, LABEL);
        t += t_step;
    }
    // Title (which names the dB axis) and the time axis, then the frame over the grid.
    c.text(x0, 12, title, SCALE, LABEL);
    let time = "TIME (S)";
    c.text((x0 + x1) / 2 - Canvas::text_width(time, SCALE) / 2, y1 + 14 + text_h, time, SCALE, LABEL);
    c.line((x0, y0), (x1, y0), 1, FRAME);
    c.line((x0, y1), (x1, y1), 1, FRAME);
    c.line((x0, y0), (x0, y1), 1, FRAME);
    c.line((x1, y0), (x1, y1), 1, FRAME);

    // The trace: consecutive measured windows joined, gaps where the input was below the gate.
    let window_s = trace.window_s();
    let mut previous: Option<(i32, i32)> = None;
    for (i, v) in trace.db.iter().enumerate() {
        let Some(v) = v else {
            previous = None;
            continue;
        };
        let p = (x_of((i as f64 + 0.5) * window_s).round() as i32, y_of(*v as f64).round() as i32);
        c.line(previous.unwrap_or(p), p, 2, TRACE);
        previous = Some(p);
    }
    if trace.range_db().is_none() {
        let msg = format!("INPUT BELOW {GATE_DBFS} DBFS THROUGHOUT: NOTHING MEASURED");
        c.text((x0 + x1) / 2 - Canvas::text_width(&msg, SCALE) / 2, (y0 + y1) / 2, &msg, SCALE, LABEL);
    }
    c.write_png(path)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::inputs::tests::temp_dir;

    #[test]
    fn writes_a_decodable_png_of_the_documented_size_with_the_trace_in_it() {
        let d = temp_dir("plot");
        let trace = GainTrace {
            window_frames: 480,
            sample_rate: 48_000,
            db: (0..300).map(|i| if i % 50 == 49 { None } else { Some(-(i as f32 % 40.0) / 4.0) }).collect(),
        };
        let path = d.join("gr.png");
        plot_gain_change(&trace, 3.0, "DRUMS #1 STEM BUS COMPRESSOR", &path).unwrap();
        let decoder = png::Decoder::new(std::io::BufReader::new(std::fs::File::open(&path).unwrap()));
        let mut reader = decoder.read_info().unwrap();
        let mut buf = vec![0; reader.output_buffer_size().unwrap()];
        let info = reader.next_frame(&mut buf).unwrap();
        assert_eq!((info.width, info.height), (WIDTH, HEIGHT));
        let trace_pixels = buf.chunks(3).filter(|p| *p == TRACE).count();
        assert!(trace_pixels > 1000, "only {trace_pixels} trace pixels");
    }

    #[test]
    fn steps_and_labels() {
        assert_eq!(nice_step(10.0, 8.0, &[1.0, 2.0, 3.0]), 2.0);
        assert_eq!(label(-6.0, 3.0), "-6");
        assert_eq!(label(1.5, 0.5), "+1.5");
        assert_eq!(label(-0.0, 3.0), "0");
    }
}
