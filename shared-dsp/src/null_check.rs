//! Stem Null Check: do the stems sum to the mix? Levels, alignment, polarity and gain of the stem
//! bus against the reference mix, live and since the last reset, and a choice of what to output.
//!
//! The main input is the sum of the stems, the sidechain the reference mix. Audio passes with no
//! latency. Garbage samples (NaN, infinities, more than +60 dBFS) are silenced on both inputs
//! before anything is measured or output, so one bad block cannot poison the totals.

use crate::cross_correlator::{CorrelationPeak, CrossCorrelator};
use crate::null_levels::{NullLevelMeter, NullLevels};
use crate::null_verdict::{judge, Verdict};
use crate::sanitize::sanitize;
use crate::{DspUnit, MAX_CHANNELS};

/// Largest offset searched between stems and reference, in seconds.
pub const MAX_OFFSET_S: f32 = 1.0;
/// Forgetting time constant of the live alignment, in seconds.
pub const LIVE_ALIGNMENT_MEMORY_S: f32 = 4.0;
/// Frames handled per inner chunk (stack buffers).
const CHUNK: usize = 128;

/// What the plugin outputs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum NullOutput {
    /// The stem bus, unchanged.
    #[default]
    Stems,
    /// The reference mix.
    Reference,
    /// Stems minus reference: silence when they null.
    Difference,
}

/// Everything measured over one span (live or since reset).
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct NullMeasurement {
    /// Levels of stems, reference and difference.
    pub levels: NullLevels,
    /// The best alignment found, if any yet.
    pub alignment: Option<CorrelationPeak>,
}

impl NullMeasurement {
    /// The verdict for a stem-bus headroom of `headroom_dbfs`.
    pub fn verdict(&self, headroom_dbfs: f32) -> Verdict {
        judge(&self.levels, self.alignment, headroom_dbfs)
    }
}

/// The null checker.
pub struct NullCheck {
    sample_rate_hz: f32,
    levels: NullLevelMeter,
    /// Alignment over everything since the last reset.
    total: CrossCorrelator,
    /// Alignment over the last few seconds.
    live: CrossCorrelator,
    /// Garbage samples silenced since the last [`NullCheck::take_replaced_samples`].
    replaced: u64,
}

impl NullCheck {
    /// A checker for `sample_rate_hz`. Allocates.
    pub fn new(sample_rate_hz: f32) -> Self {
        Self {
            sample_rate_hz,
            levels: NullLevelMeter::new(sample_rate_hz),
            total: CrossCorrelator::new(sample_rate_hz, MAX_OFFSET_S, None),
            live: CrossCorrelator::new(sample_rate_hz, MAX_OFFSET_S, Some(LIVE_ALIGNMENT_MEMORY_S)),
            replaced: 0,
        }
    }

    /// Sample rate in Hz.
    pub fn sample_rate_hz(&self) -> f32 {
        self.sample_rate_hz
    }

    /// Measures one block and writes the chosen output into `audio` in place. `audio` is the stem
    /// bus, `reference` the sidechain (fewer channels, or none, read as silence).
    pub fn process(&mut self, audio: &mut [&mut [f32]], reference: &[&[f32]], output: NullOutput) {
        let channels = audio.len().min(MAX_CHANNELS);
        let frames = audio.first().map_or(0, |c| c.len());
        let mut pos = 0;
        while pos < frames {
            let n = CHUNK.min(frames - pos);
            let mut stems = [[0.0f32; CHUNK]; MAX_CHANNELS];
            let mut refs = [[0.0f32; CHUNK]; MAX_CHANNELS];
            let mut stems_mono = [0.0f32; CHUNK];
            let mut ref_mono = [0.0f32; CHUNK];
            for ch in 0..channels {
                for i in 0..n {
                    let (s, bad_s) = sanitize(audio[ch][pos + i]);
                    let (r, bad_r) =
                        reference.get(ch).and_then(|c| c.get(pos + i)).map_or((0.0, false), |&x| sanitize(x));
                    self.replaced += bad_s as u64 + bad_r as u64;
                    stems[ch][i] = s;
                    refs[ch][i] = r;
                    stems_mono[i] += s;
                    ref_mono[i] += r;
                }
            }
            let mut stem_slices: [&[f32]; MAX_CHANNELS] = [&[]; MAX_CHANNELS];
            let mut ref_slices: [&[f32]; MAX_CHANNELS] = [&[]; MAX_CHANNELS];
            for ch in 0..channels {
                stem_slices[ch] = &stems[ch][..n];
                ref_slices[ch] = &refs[ch][..n];
            }
            self.levels.process(&stem_slices[..channels], &ref_slices[..channels]);
            self.total.process(&stems_mono[..n], &ref_mono[..n]);
            self.live.process(&stems_mono[..n], &ref_mono[..n]);
            for ch in 0..channels {
                let out = &mut audio[ch][pos..pos + n];
                for (i, y) in out.iter_mut().enumerate() {
                    *y = match output {
                        NullOutput::Stems => stems[ch][i],
                        NullOutput::Reference => refs[ch][i],
                        NullOutput::Difference => stems[ch][i] - refs[ch][i],
                    };
                }
            }
            pos += n;
        }
        // Channels beyond MAX_CHANNELS are not measured; they must not pass garbage either.
        for ch in audio.iter_mut().skip(channels) {
            ch.iter_mut().for_each(|x| *x = sanitize(*x).0);
        }
    }

    /// Everything measured since the last reset.
    pub fn since_reset(&self) -> NullMeasurement {
        NullMeasurement { levels: self.levels.since_reset(), alignment: self.total.peak() }
    }

    /// The live measurement: 300 ms levels, alignment over the last few seconds.
    pub fn live(&self) -> NullMeasurement {
        NullMeasurement { levels: self.levels.live(), alignment: self.live.peak() }
    }

    /// Returns and clears the count of garbage samples silenced.
    pub fn take_replaced_samples(&mut self) -> u64 {
        std::mem::take(&mut self.replaced)
    }
}

impl DspUnit for NullCheck {
    fn set_sample_rate(&mut self, sample_rate_hz: f32) {
        self.sample_rate_hz = sample_rate_hz;
        self.levels.set_sample_rate(sample_rate_hz);
        self.total.set_sample_rate(sample_rate_hz);
        self.live.set_sample_rate(sample_rate_hz);
    }

    fn reset(&mut self) {
        self.levels.reset();
        self.total.reset();
        self.live.reset();
    }
}
