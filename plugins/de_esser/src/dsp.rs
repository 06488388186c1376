//! The De-Esser's signal path (shared-dsp's de-esser) and the mono taps the analyser reads.

use shared_dsp::deesser::{DeEsser, DeEsserMeters, DeEsserSettings};
use shared_dsp::DspUnit;

/// The De-Esser's DSP for 1 or 2 channels, free of plugin-framework types.
#[derive(Debug, Clone)]
pub struct DeEsserDsp {
    de_esser: DeEsser,
}

impl DeEsserDsp {
    /// Allocates everything for `channels` channels at `sample_rate_hz`.
    pub fn new(channels: usize, sample_rate_hz: f32, max_lookahead_ms: f32) -> Self {
        Self { de_esser: DeEsser::new(channels, max_lookahead_ms, sample_rate_hz) }
    }

    /// Applies settings at block start (ramped).
    pub fn set_settings(&mut self, s: &DeEsserSettings) {
        self.de_esser.set_settings(s);
    }

    /// Applies settings without ramps, for activation and reset.
    pub fn set_settings_immediately(&mut self, s: &DeEsserSettings) {
        self.de_esser.set_settings_immediately(s);
    }

    /// Clears all signal state.
    pub fn reset(&mut self) {
        self.de_esser.reset();
    }

    /// Latency in samples (the lookahead).
    pub fn latency_samples(&self) -> usize {
        self.de_esser.latency_samples()
    }

    /// Processes one block in place.
    pub fn process(&mut self, audio: &mut [&mut [f32]]) -> DeEsserMeters {
        self.de_esser.process(audio)
    }
}

/// Writes the mean of the channels into `mono` (as many samples as both hold).
pub fn mono_sum(audio: &[&mut [f32]], mono: &mut [f32]) {
    let n = audio.len().max(1) as f32;
    mono.fill(0.0);
    for ch in audio {
        for (m, &x) in mono.iter_mut().zip(ch.iter()) {
            *m += x;
        }
    }
    for m in mono.iter_mut() {
        *m /= n;
    }
}
