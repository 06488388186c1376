//! The Bus Compressor's signal path: a shared-dsp compressor keyed internally or by the sidechain.

use shared_dsp::compressor::{BlockMeters, Compressor, CompressorSettings, Key};
use shared_dsp::{DspUnit, MAX_CHANNELS};

/// Main-path channels (stereo).
pub const CHANNELS: usize = 2;

/// The Bus Compressor's DSP, free of plugin-framework types.
#[derive(Debug, Clone)]
pub struct BusCompressorDsp {
    compressor: Compressor,
}

impl BusCompressorDsp {
    /// Allocates everything for `sample_rate_hz` and lookahead up to `max_lookahead_ms`.
    pub fn new(sample_rate_hz: f32, max_lookahead_ms: f32) -> Self {
        Self { compressor: Compressor::new(CHANNELS, max_lookahead_ms, sample_rate_hz) }
    }

    /// Applies settings at block start (ramped).
    pub fn set_settings(&mut self, settings: &CompressorSettings) {
        self.compressor.set_settings(settings);
    }

    /// Applies settings with no ramps, for activation and reset.
    pub fn set_settings_immediately(&mut self, settings: &CompressorSettings) {
        self.compressor.set_settings_immediately(settings);
    }

    /// Clears all signal state.
    pub fn reset(&mut self) {
        self.compressor.reset();
    }

    /// Latency in samples (the lookahead).
    pub fn latency_samples(&self) -> usize {
        self.compressor.latency_samples()
    }

    /// The current static curve, for the editor.
    pub fn settings(&self) -> &CompressorSettings {
        self.compressor.settings()
    }

    /// Processes one block in place. `sidechain` is `Some` when the key is external: its channels,
    /// possibly fewer than the main channels or none at all (an unconnected port reads as silence).
    pub fn process(&mut self, main: &mut [&mut [f32]], sidechain: Option<&[&mut [f32]]>) -> BlockMeters {
        match sidechain {
            None => self.compressor.process(main, Key::Internal),
            Some(sc) => {
                let mut keys: [&[f32]; MAX_CHANNELS] = [&[]; MAX_CHANNELS];
                let n = sc.len().min(MAX_CHANNELS);
                for (k, c) in keys.iter_mut().zip(sc.iter()) {
                    *k = c;
                }
                self.compressor.process(main, Key::External(&keys[..n]))
            }
        }
    }
}
