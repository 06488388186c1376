//! The progress bar on stderr: one line per stem, redrawn in place with `\r` on a terminal.

use std::io::{IsTerminal, Write};

/// Bar width, characters.
const BAR_CHARS: usize = 32;

/// Progress reporting for a whole session. Disabled, it prints nothing.
pub struct Progress {
    /// Print at all.
    enabled: bool,
    /// stderr is a terminal: redraw the line as rendering goes; otherwise print each stem's final
    /// line only (no `\r` clutter in logs).
    interactive: bool,
    /// Width of the stem-name column, characters.
    label_width: usize,
    /// Last percentage drawn, to redraw only on change.
    last_percent: Option<u32>,
}

impl Progress {
    /// A progress display for stems whose longest name has `label_width` characters.
    pub fn new(enabled: bool, label_width: usize) -> Progress {
        Progress { enabled, interactive: std::io::stderr().is_terminal(), label_width, last_percent: None }
    }

    fn line(&self, stem: &str, fraction: f64, detail: &str) -> String {
        let fraction = fraction.clamp(0.0, 1.0);
        let filled = (fraction * BAR_CHARS as f64).round() as usize;
        format!(
            "{stem:<w$} [{}{}] {:>3.0}% {detail}",
            "#".repeat(filled),
            "-".repeat(BAR_CHARS - filled),
            fraction * 100.0,
            w = self.label_width
        )
    }

    /// Shows that `fraction` (0..1) of stem `stem` is rendered; `detail` says what is running.
    pub fn update(&mut self, stem: &str, fraction: f64, detail: &str) {
        let percent = (fraction.clamp(0.0, 1.0) * 100.0) as u32;
        if !self.enabled || !self.interactive || self.last_percent == Some(percent) {
            return;
        }
        self.last_percent = Some(percent);
        let mut err = std::io::stderr().lock();
        let _ = write!(err, "\r{}\x1b[K", self.line(stem, fraction, detail));
        let _ = err.flush();
    }

    /// Finishes the stem's line with `detail` (e.g. its chain latency).
    pub fn done(&mut self, stem: &str, detail: &str) {
        self.last_percent = None;
        if !self.enabled {
            return;
        }
        let start = if self.interactive { "\r" } else { "" };
        let clear = if self.interactive { "\x1b[K" } else { "" };
        eprintln!("{start}{}{clear}", self.line(stem, 1.0, detail));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_bar_fills_with_the_fraction() {
        let p = Progress::new(false, 6);
        assert_eq!(p.line("drums", 0.5, "x"), format!("drums  [{}{}]  50% x", "#".repeat(16), "-".repeat(16)));
        assert_eq!(p.line("bass", 2.0, ""), format!("bass   [{}] 100% ", "#".repeat(32)));
    }
}
