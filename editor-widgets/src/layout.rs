//! Layout pieces every editor of the suite shares: labelled parameter rows, section titles, the
//! meter column (input, gain reduction, output) and the latency / bad-input status line.

use egui::Ui;
use nice_plug::prelude::{Param, ParamSetter};
use nice_plug_egui::widgets::ParamSlider;

use crate::level_meter::peak_db;
use crate::meter_bus::MeterSnapshot;
use crate::{theme, DynamicsMeterBus, LevelMeter, MeterBallistics};

/// Width of the label column of a parameter row, in logical pixels.
pub const LABEL_WIDTH: f32 = 92.0;
/// Width of a parameter slider, in logical pixels.
pub const SLIDER_WIDTH: f32 = 180.0;
/// Width of the parameter column, in logical pixels.
pub const CONTROLS_WIDTH: f32 = 350.0;

/// A labelled slider for any parameter.
pub fn row<P: Param>(ui: &mut Ui, label: &str, param: &P, setter: &ParamSetter) {
    labelled(ui, label, |ui| {
        ui.add(ParamSlider::for_param(param, setter).with_width(SLIDER_WIDTH));
    });
}

/// A label in the label column, then whatever `add` draws.
pub fn labelled<F: FnOnce(&mut Ui)>(ui: &mut Ui, label: &str, add: F) {
    ui.horizontal(|ui| {
        ui.add_sized([LABEL_WIDTH, 18.0], egui::Label::new(egui::RichText::new(label).color(theme::LABEL)));
        add(ui);
    });
}

/// A section title in the parameter column.
pub fn section(ui: &mut Ui, title: &str) {
    ui.add_space(4.0);
    ui.label(egui::RichText::new(title).strong().color(theme::ACCENT));
}

/// The latency readout, and a warning when bad input samples were replaced.
pub fn status(ui: &mut Ui, meters: &DynamicsMeterBus) {
    let (samples, ms) = meters.latency();
    // NOTE: `Extend`, so a wrapping header moves a readout down whole instead of splitting it.
    let whole = |text: egui::RichText| egui::Label::new(text).wrap_mode(egui::TextWrapMode::Extend);
    ui.add(whole(egui::RichText::new(format!("latency {samples} smp ({ms:.2} ms)")).color(theme::LABEL)));
    let bad = meters.bad_samples();
    if bad > 0 {
        ui.add(whole(egui::RichText::new(format!("{bad} bad input samples replaced")).color(theme::WARNING)));
    }
}

/// Input L/R, gain reduction and output L/R meters with their display ballistics.
#[derive(Debug, Clone, Copy)]
pub struct MeterColumn {
    input: [MeterBallistics; 2],
    output: [MeterBallistics; 2],
    reduction: MeterBallistics,
}

impl Default for MeterColumn {
    fn default() -> Self {
        Self {
            input: [MeterBallistics::new(-60.0); 2],
            output: [MeterBallistics::new(-60.0); 2],
            reduction: MeterBallistics::new(0.0),
        }
    }
}

impl MeterColumn {
    /// Width of one bar, in logical pixels.
    pub const BAR_WIDTH: f32 = 20.0;
    /// Gap between bars, in logical pixels.
    pub const GAP: f32 = 4.0;
    /// Width of the whole column: five bars and four gaps.
    pub const WIDTH: f32 = 5.0 * Self::BAR_WIDTH + 4.0 * Self::GAP;
    /// Largest gain reduction the GR bar shows, in dB.
    pub const REDUCTION_RANGE_DB: f32 = 24.0;

    /// Feeds a snapshot taken `dt_s` seconds after the previous one.
    pub fn update(&mut self, m: &MeterSnapshot, dt_s: f32) {
        for ch in 0..2 {
            self.input[ch].update(peak_db(m.input_peak[ch]), dt_s);
            self.output[ch].update(peak_db(m.output_peak[ch]), dt_s);
        }
        self.reduction.update(m.max_gain_reduction_db, dt_s);
    }

    /// Width of the column without the gain-reduction bar: four bars and three gaps.
    pub const WIDTH_WITHOUT_REDUCTION: f32 = 4.0 * Self::BAR_WIDTH + 3.0 * Self::GAP;

    /// Width of the column, with or without the gain-reduction bar.
    pub fn width(with_reduction: bool) -> f32 {
        if with_reduction {
            Self::WIDTH
        } else {
            Self::WIDTH_WITHOUT_REDUCTION
        }
    }

    /// Draws the captions and the five bars (four without `with_reduction`: a plugin that never
    /// reduces gain, such as a meter), filling the available height.
    pub fn show(&self, ui: &mut Ui, with_reduction: bool) {
        ui.vertical(|ui| {
            ui.spacing_mut().item_spacing.x = Self::GAP;
            ui.horizontal(|ui| {
                for (caption, bars) in [("IN", 2.0), ("GR", 1.0), ("OUT", 2.0)] {
                    if caption == "GR" && !with_reduction {
                        continue;
                    }
                    let width = bars * Self::BAR_WIDTH + (bars - 1.0) * Self::GAP;
                    ui.add_sized(
                        [width, 14.0],
                        egui::Label::new(egui::RichText::new(caption).size(10.0).color(theme::LABEL)),
                    );
                }
            });
            ui.horizontal_top(|ui| {
                let size = egui::vec2(Self::BAR_WIDTH, ui.available_height() - 8.0);
                LevelMeter::level("L", &self.input[0]).show(ui, size);
                LevelMeter::level("R", &self.input[1]).show(ui, size);
                if with_reduction {
                    LevelMeter::reduction("dB", &self.reduction, Self::REDUCTION_RANGE_DB).show(ui, size);
                }
                LevelMeter::level("L", &self.output[0]).show(ui, size);
                LevelMeter::level("R", &self.output[1]).show(ui, size);
            });
        });
    }
}
