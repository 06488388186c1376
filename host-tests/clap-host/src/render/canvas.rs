//! An RGB raster to draw plots into: pixels, lines, rectangles, bitmap text, and PNG output.

use std::path::Path;

use super::font::{glyph, glyph_width, GLYPH_H};

/// An RGB colour, 8 bits per channel.
pub type Rgb = [u8; 3];

/// A `width x height` RGB image, row-major, 8 bits per channel.
pub struct Canvas {
    /// Width, pixels.
    pub width: u32,
    /// Height, pixels.
    pub height: u32,
    /// `width * height * 3` bytes.
    pixels: Vec<u8>,
}

impl Canvas {
    /// A canvas filled with `background`.
    pub fn new(width: u32, height: u32, background: Rgb) -> Canvas {
        let pixels = background.iter().copied().cycle().take((width * height * 3) as usize).collect();
        Canvas { width, height, pixels }
    }

    /// Sets one pixel; outside the canvas nothing happens.
    pub fn set(&mut self, x: i32, y: i32, c: Rgb) {
        if x < 0 || y < 0 || x >= self.width as i32 || y >= self.height as i32 {
            return;
        }
        let i = ((y as u32 * self.width + x as u32) * 3) as usize;
        self.pixels[i..i + 3].copy_from_slice(&c);
    }

    /// The colour of one pixel (inside the canvas).
    pub fn get(&self, x: u32, y: u32) -> Rgb {
        let i = ((y * self.width + x) * 3) as usize;
        [self.pixels[i], self.pixels[i + 1], self.pixels[i + 2]]
    }

    /// Fills the rectangle with corners `(x0, y0)` and `(x1, y1)`, both included.
    pub fn fill(&mut self, x0: i32, y0: i32, x1: i32, y1: i32, c: Rgb) {
        for y in y0.min(y1)..=y0.max(y1) {
            for x in x0.min(x1)..=x0.max(x1) {
                self.set(x, y, c);
            }
        }
    }

    /// A straight line (Bresenham) drawn with a square pen `thickness` pixels wide.
    pub fn line(&mut self, (x0, y0): (i32, i32), (x1, y1): (i32, i32), thickness: i32, c: Rgb) {
        let (dx, dy) = ((x1 - x0).abs(), -(y1 - y0).abs());
        let (sx, sy) = (if x0 < x1 { 1 } else { -1 }, if y0 < y1 { 1 } else { -1 });
        let (mut x, mut y, mut err) = (x0, y0, dx + dy);
        let lo = -(thickness - 1) / 2;
        let hi = thickness / 2;
        loop {
            self.fill(x + lo, y + lo, x + hi, y + hi, c);
            if x == x1 && y == y1 {
                break;
            }
            let e2 = 2 * err;
            if e2 >= dy {
                err += dy;
                x += sx;
            }
            if e2 <= dx {
                err += dx;
                y += sy;
            }
        }
    }

    /// Width in pixels of `text` drawn at `scale`.
    pub fn text_width(text: &str, scale: u32) -> i32 {
        let pixels: u32 = text.chars().map(|c| glyph_width(c) + 1).sum();
        (pixels.saturating_sub(1) * scale) as i32
    }

    /// Height in pixels of a line of text at `scale`.
    pub fn text_height(scale: u32) -> i32 {
        (GLYPH_H * scale) as i32
    }

    /// Draws `text` with its top-left corner at `(x, y)`, each font pixel `scale` pixels wide.
    pub fn text(&mut self, x: i32, y: i32, text: &str, scale: u32, c: Rgb) {
        let s = scale as i32;
        let mut left = x;
        for ch in text.chars() {
            let w = glyph_width(ch) as i32;
            for (row, bits) in glyph(ch).iter().enumerate() {
                for col in 0..w {
                    if bits & (1 << (w - 1 - col)) != 0 {
                        let (px, py) = (left + col * s, y + row as i32 * s);
                        self.fill(px, py, px + s - 1, py + s - 1, c);
                    }
                }
            }
            left += (w + 1) * s;
        }
    }

    /// Writes the canvas as an 8-bit RGB PNG.
    pub fn write_png(&self, path: &Path) -> Result<(), String> {
        let what = |e: &dyn std::fmt::Display| format!("{}: {e}", path.display());
        let file = std::fs::File::create(path).map_err(|e| what(&e))?;
        let mut encoder = png::Encoder::new(std::io::BufWriter::new(file), self.width, self.height);
        encoder.set_color(png::ColorType::Rgb);
        encoder.set_depth(png::BitDepth::Eight);
        let mut writer = encoder.write_header().map_err(|e| what(&e))?;
        writer.write_image_data(&self.pixels).map_err(|e| what(&e))?;
        writer.finish().map_err(|e| what(&e))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_reach_both_ends_and_clip_at_the_border() {
        let mut c = Canvas::new(10, 10, [255; 3]);
        c.line((1, 1), (8, 5), 1, [0; 3]);
        assert_eq!(c.get(1, 1), [0; 3]);
        assert_eq!(c.get(8, 5), [0; 3]);
        c.line((-5, 9), (20, 9), 3, [1, 2, 3]);
        assert_eq!(c.get(0, 9), [1, 2, 3]);
        assert_eq!(c.get(9, 8), [1, 2, 3]);
    }

    #[test]
    fn text_is_drawn_from_the_glyphs() {
        let mut c = Canvas::new(20, 10, [255; 3]);
        c.text(0, 0, "1", 1, [0; 3]);
        // '1' is 010 / 110 / 010 / 010 / 111.
        assert_eq!(c.get(1, 0), [0; 3]);
        assert_eq!(c.get(0, 0), [255; 3]);
        assert_eq!(c.get(0, 4), [0; 3]);
        assert_eq!(Canvas::text_width("12", 2), 14);
        assert_eq!(Canvas::text_width("M1", 2), 18);
        assert_eq!(Canvas::text_width("", 2), 0);
    }
}
