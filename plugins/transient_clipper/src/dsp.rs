//! The Transient Clipper's signal path (shared-dsp's clipper), free of plugin-framework types.

use shared_dsp::clip_curve::ClipCurve;
use shared_dsp::clipper::{ClipperMeters, ClipperSettings, TransientClipper};
use shared_dsp::DspUnit;

/// The Transient Clipper's DSP for 1 or 2 channels.
#[derive(Debug, Clone)]
pub struct ClipperDsp {
    clipper: TransientClipper,
}

impl ClipperDsp {
    /// Allocates everything for `channels` channels at `sample_rate_hz` (every oversampling factor and
    /// filter phase, so switching them never allocates).
    pub fn new(channels: usize, sample_rate_hz: f32) -> Self {
        Self { clipper: TransientClipper::new(channels, sample_rate_hz) }
    }

    /// Applies settings at block start (ramped).
    pub fn set_settings(&mut self, s: &ClipperSettings) {
        self.clipper.set_settings(s);
    }

    /// Applies settings without ramps, for activation and reset.
    pub fn set_settings_immediately(&mut self, s: &ClipperSettings) {
        self.clipper.set_settings_immediately(s);
    }

    /// Clears all signal state.
    pub fn reset(&mut self) {
        self.clipper.reset();
    }

    /// Latency in samples (set by the oversampling factor and filter phase only).
    pub fn latency_samples(&self) -> usize {
        self.clipper.latency_samples()
    }

    /// The curve in use.
    pub fn curve(&self) -> ClipCurve {
        self.clipper.curve()
    }

    /// Processes one block in place.
    pub fn process(&mut self, audio: &mut [&mut [f32]]) -> ClipperMeters {
        self.clipper.process(audio)
    }
}
