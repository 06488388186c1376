//! A complete feed-forward compressor: key weighting and filter, detector, hold, link, gain
//! computer, ballistics, lookahead, makeup, dry/wet mix, delta, output gain and
//! latency-compensated bypass.

use crate::ballistics::Ballistics;
use crate::biquad::KeyHighPass;
use crate::delay::DelayLine;
use crate::detector::{Detect, DetectorKind, LevelDetector, RmsDetect};
use crate::gain_computer::GainComputer;
use crate::key_weighting::{KeyWeighting, KeyWeightingKind};
use crate::output_stage::{OutputGains, OutputStage, OutputTargets};
use crate::peak_hold::PeakHold;
use crate::sanitize::sanitize;
use crate::stereo_link::link_levels_db;
use crate::units::{db_to_gain, ms_to_samples, SILENCE_DB};
use crate::{DspUnit, MAX_CHANNELS};

pub use crate::output_stage::PARAMETER_RAMP_MS;

/// Everything a user can set on a [`Compressor`]. Plain units throughout.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CompressorSettings {
    /// Threshold in dBFS.
    pub threshold_db: f32,
    /// Ratio, `>= 1`.
    pub ratio: f32,
    /// Soft-knee width in dB.
    pub knee_db: f32,
    /// Largest gain reduction in dB.
    pub range_db: f32,
    /// Attack time constant in ms (63.2% of a step).
    pub attack_ms: f32,
    /// Release time constant in ms (63.2% of a step).
    pub release_ms: f32,
    /// Program-dependent release, see [`Ballistics`].
    pub auto_release: bool,
    /// Peak, RMS or crest-blend detection.
    pub detector: DetectorKind,
    /// Averaging window of the RMS and crest-blend detectors in ms.
    pub rms_window_ms: f32,
    /// Peak hold after the detector in ms (0 = none), see [`PeakHold`].
    pub hold_ms: f32,
    /// Frequency weighting of the key, before the key high-pass.
    pub key_weighting: KeyWeightingKind,
    /// Link between channel detectors, 0..1.
    pub stereo_link: f32,
    /// Key high-pass cutoff in Hz (20–500).
    pub key_hpf_hz: f32,
    /// Lookahead in ms; it is the latency, rounded to whole samples.
    pub lookahead_ms: f32,
    /// Makeup gain in dB, on the compressed (wet) signal.
    pub makeup_db: f32,
    /// Adds [`auto_makeup_db`] of the static curve to the makeup.
    pub auto_makeup: bool,
    /// Dry/wet mix, 0 (dry) ..1 (wet).
    pub mix: f32,
    /// Output gain in dB, after the mix.
    pub output_db: f32,
    /// Output the high-passed key instead of the audio.
    pub key_listen: bool,
    /// Output what the compressor takes away (see [`crate::output_stage::OutputGains::apply`]).
    pub delta: bool,
    /// Output the delayed input (latency kept).
    pub bypass: bool,
}

impl Default for CompressorSettings {
    fn default() -> Self {
        Self {
            threshold_db: -18.0,
            ratio: 2.0,
            knee_db: 6.0,
            range_db: Self::MAX_RANGE_DB,
            attack_ms: 10.0,
            release_ms: 150.0,
            auto_release: false,
            detector: DetectorKind::Peak,
            rms_window_ms: RmsDetect::WINDOW_MS,
            hold_ms: 0.0,
            key_weighting: KeyWeightingKind::Flat,
            stereo_link: 1.0,
            key_hpf_hz: KeyHighPass::MIN_HZ,
            lookahead_ms: 0.0,
            makeup_db: 0.0,
            auto_makeup: false,
            mix: 1.0,
            output_db: 0.0,
            key_listen: false,
            delta: false,
            bypass: false,
        }
    }
}

impl CompressorSettings {
    /// The largest range in dB; at this value the range never limits a real signal.
    pub const MAX_RANGE_DB: f32 = 120.0;

    /// The static curve these settings describe (threshold, ratio, knee, range): the gain computer
    /// that processes audio and draws the editor's curve.
    pub fn gain_computer(&self) -> GainComputer {
        GainComputer::new(self.threshold_db, self.ratio, self.knee_db).with_range(self.range_db)
    }

    /// The makeup in dB that is applied: the set makeup plus, with Auto Makeup, [`auto_makeup_db`].
    pub fn effective_makeup_db(&self) -> f32 {
        self.makeup_db + if self.auto_makeup { auto_makeup_db(&self.gain_computer()) } else { 0.0 }
    }

    fn output_targets(&self) -> OutputTargets {
        OutputTargets {
            makeup_db: self.effective_makeup_db(),
            mix: self.mix,
            output_db: self.output_db,
            bypass: self.bypass,
        }
    }
}

/// Auto makeup in dB: half the static gain reduction of a 0 dBFS level (range included).
///
/// It depends on the settings only, never on the signal, so it keeps every instance with the same
/// settings at the same gain (the stem-sum promise). Half, because program material sits below full
/// scale: a full-scale peak comes back to where it was minus half the reduction.
pub fn auto_makeup_db(gain_computer: &GainComputer) -> f32 {
    0.5 * gain_computer.gain_reduction_db(0.0)
}

/// Where the compressor's key (detector input) comes from for one block.
#[derive(Debug, Clone, Copy)]
pub enum Key<'a> {
    /// The audio being compressed.
    Internal,
    /// An external sidechain, one slice per channel. Fewer channels than the audio reuse the last
    /// one; no channels, or slices shorter than the block, read as silence.
    External(&'a [&'a [f32]]),
    /// `(1 - amount)` times the audio plus `amount` (0..1) times the external sidechain.
    Blend(&'a [&'a [f32]], f32),
}

/// Levels measured over one processed block, for meters.
#[derive(Debug, Clone, Copy)]
pub struct BlockMeters {
    /// Input sample peak per channel (linear).
    pub input_peak: [f32; MAX_CHANNELS],
    /// Output sample peak per channel (linear).
    pub output_peak: [f32; MAX_CHANNELS],
    /// Largest gain reduction in the block in dB (`>= 0`), over all channels.
    pub max_gain_reduction_db: f32,
    /// Gain reduction at the last sample of the block in dB, per channel.
    pub gain_reduction_db: [f32; MAX_CHANNELS],
    /// Linked key level at the last sample in dBFS (the operating point's x).
    pub key_level_db: f32,
    /// How many input or key samples were NaN, infinite or huge and had to be replaced.
    pub bad_samples: u32,
}

impl Default for BlockMeters {
    fn default() -> Self {
        Self {
            input_peak: [0.0; MAX_CHANNELS],
            output_peak: [0.0; MAX_CHANNELS],
            max_gain_reduction_db: 0.0,
            gain_reduction_db: [0.0; MAX_CHANNELS],
            key_level_db: SILENCE_DB,
            bad_samples: 0,
        }
    }
}

/// A multichannel feed-forward compressor.
///
/// The gain applied to the audio depends only on the key and the settings, so with an external key
/// the compressor is linear in its audio input: instances fed the same key and settings apply the
/// same gain, and processed stems sum to the processed mix.
#[derive(Debug, Clone)]
pub struct Compressor {
    sample_rate_hz: f32,
    channels: usize,
    max_lookahead_ms: f32,
    settings: CompressorSettings,
    gain_computer: GainComputer,
    /// Channels whose key takes part in detection and linking (5.1 leaves LFE out).
    key_mask: [bool; MAX_CHANNELS],
    /// Channels the gain is applied to; the others pass delayed by the latency.
    gain_mask: [bool; MAX_CHANNELS],
    key_weightings: [KeyWeighting; MAX_CHANNELS],
    key_filters: [KeyHighPass; MAX_CHANNELS],
    detectors: [LevelDetector; MAX_CHANNELS],
    holds: Vec<PeakHold>,
    ballistics: [Ballistics; MAX_CHANNELS],
    audio_delays: Vec<DelayLine>,
    key_delays: Vec<DelayLine>,
    output_stage: OutputStage,
}

impl Compressor {
    /// Creates a compressor for `channels` channels (at most [`MAX_CHANNELS`]) that can look ahead up
    /// to `max_lookahead_ms`. Call [`DspUnit::set_sample_rate`] before processing.
    ///
    /// # Panics
    /// If `channels` is 0 or above [`MAX_CHANNELS`].
    pub fn new(channels: usize, max_lookahead_ms: f32, sample_rate_hz: f32) -> Self {
        assert!((1..=MAX_CHANNELS).contains(&channels), "unsupported channel count {channels}");
        let s = CompressorSettings::default();
        let mut c = Self {
            sample_rate_hz,
            channels,
            max_lookahead_ms,
            settings: s,
            gain_computer: s.gain_computer(),
            key_mask: [true; MAX_CHANNELS],
            gain_mask: [true; MAX_CHANNELS],
            key_weightings: [KeyWeighting::new(s.key_weighting, sample_rate_hz); MAX_CHANNELS],
            key_filters: [KeyHighPass::new(sample_rate_hz, s.key_hpf_hz); MAX_CHANNELS],
            detectors: [LevelDetector::new(s.detector, sample_rate_hz); MAX_CHANNELS],
            holds: Vec::new(),
            ballistics: [Ballistics::new(sample_rate_hz, s.attack_ms, s.release_ms, s.auto_release);
                MAX_CHANNELS],
            audio_delays: Vec::new(),
            key_delays: Vec::new(),
            output_stage: OutputStage::new(&s.output_targets(), sample_rate_hz),
        };
        c.set_sample_rate(sample_rate_hz);
        c
    }

    /// The number of channels processed.
    pub fn channels(&self) -> usize {
        self.channels
    }

    /// The current settings.
    pub fn settings(&self) -> &CompressorSettings {
        &self.settings
    }

    /// The gain computer in use, for drawing the transfer curve.
    pub fn gain_computer(&self) -> GainComputer {
        self.gain_computer
    }

    /// Chooses which channels feed detection and linking (`key_mask`) and which receive the gain
    /// (`gain_mask`). A channel outside the key still follows the loudest linked channel's gain; a
    /// channel outside the gain passes delayed by the latency, through mix and output. Both default
    /// to all channels. Takes effect at the next sample.
    pub fn set_channel_masks(&mut self, key_mask: [bool; MAX_CHANNELS], gain_mask: [bool; MAX_CHANNELS]) {
        self.key_mask = key_mask;
        self.gain_mask = gain_mask;
    }

    /// Applies new settings. Cheap when nothing changed; call it once per block. Lookahead changes
    /// take effect at once and change [`DspUnit::latency_samples`].
    pub fn set_settings(&mut self, s: &CompressorSettings) {
        let s = sanitize_settings(s, self.max_lookahead_ms);
        let old = self.settings;
        self.settings = s;
        self.gain_computer = s.gain_computer();
        for ch in 0..self.channels {
            self.ballistics[ch].set_times(s.attack_ms, s.release_ms, s.auto_release);
            self.key_weightings[ch].set_kind(s.key_weighting);
            self.key_filters[ch].set_cutoff(s.key_hpf_hz);
            self.detectors[ch].set_kind(s.detector);
            self.detectors[ch].set_window_ms(s.rms_window_ms);
            self.holds[ch].set_hold_ms(s.hold_ms);
        }
        if s.lookahead_ms != old.lookahead_ms {
            self.apply_lookahead();
        }
        self.output_stage.set_targets(&s.output_targets());
    }

    /// Like [`Self::set_settings`] but without ramps: smoothers jump to their targets. Use it when
    /// the plugin (re)starts, so every instance starts from the same state.
    pub fn set_settings_immediately(&mut self, s: &CompressorSettings) {
        self.set_settings(s);
        let s = self.settings;
        self.output_stage.set_immediately(&s.output_targets());
    }

    fn apply_lookahead(&mut self) {
        let n = ms_to_samples(self.settings.lookahead_ms, self.sample_rate_hz);
        for d in self.audio_delays.iter_mut().chain(self.key_delays.iter_mut()) {
            d.set_delay_samples(n);
        }
    }

    /// Compresses `audio` (one slice per channel, all the same length) in place.
    ///
    /// Returns the block's meters. Never allocates. Non-finite or huge samples are replaced (see
    /// [`crate::sanitize`]) and counted in [`BlockMeters::bad_samples`].
    pub fn process(&mut self, audio: &mut [&mut [f32]], key: Key<'_>) -> BlockMeters {
        let mut m = BlockMeters::default();
        let channels = self.channels.min(audio.len());
        if channels == 0 {
            return m;
        }
        let len = audio[..channels].iter().map(|c| c.len()).min().unwrap_or(0);
        let gc = self.gain_computer;
        let link = self.settings.stereo_link;
        let key_listen = self.settings.key_listen;
        let delta = self.settings.delta;
        let hold = self.settings.hold_ms > 0.0;
        let (key_mask, gain_mask) = (self.key_mask, self.gain_mask);
        let keyed = key_mask[..channels].iter().filter(|&&k| k).count();
        let mut x = [0.0f32; MAX_CHANNELS];
        let mut k = [0.0f32; MAX_CHANNELS];
        let mut level = [0.0f32; MAX_CHANNELS];
        let mut gr = [0.0f32; MAX_CHANNELS];
        // NOTE: sample-major loop: every channel's level is needed before linking.
        #[allow(clippy::needless_range_loop)]
        for i in 0..len {
            for ch in 0..channels {
                let (xs, bad) = sanitize(audio[ch][i]);
                m.bad_samples += bad as u32;
                x[ch] = xs;
                m.input_peak[ch] = m.input_peak[ch].max(xs.abs());
                let raw_key = match key {
                    Key::Internal => xs,
                    Key::External(sc) => external_key_sample(sc, ch, i, &mut m.bad_samples),
                    Key::Blend(sc, amount) => {
                        xs + amount * (external_key_sample(sc, ch, i, &mut m.bad_samples) - xs)
                    }
                };
                k[ch] = self.key_filters[ch].tick(self.key_weightings[ch].tick(raw_key));
                let l = self.detectors[ch].level_db(k[ch]);
                level[ch] = if hold { self.holds[ch].tick(l) } else { l };
            }
            let linked_max = if keyed == channels {
                link_levels_db(&mut level[..channels], link);
                f32::NEG_INFINITY
            } else {
                link_masked_levels_db(&mut level[..channels], &key_mask, link)
            };
            let mut max_gr = 0.0f32;
            for ch in 0..channels {
                // A channel outside the key follows the loudest keyed channel.
                let target = gc.gain_reduction_db(if key_mask[ch] { level[ch] } else { linked_max });
                gr[ch] = self.ballistics[ch].tick(target);
                max_gr = max_gr.max(gr[ch]);
            }
            m.max_gain_reduction_db = m.max_gain_reduction_db.max(max_gr);
            let g = self.output_stage.next_gains();
            for ch in 0..channels {
                let dry = self.audio_delays[ch].tick(x[ch]);
                let key_out = self.key_delays[ch].tick(k[ch]);
                let reduced = if gain_mask[ch] { dry * db_to_gain(-gr[ch]) } else { dry };
                let gains = if gain_mask[ch] { g } else { OutputGains { makeup: 1.0, ..g } };
                let y = if key_listen { key_out + g.bypass * (dry - key_out) } else { gains.apply(dry, reduced, delta) };
                audio[ch][i] = y;
                m.output_peak[ch] = m.output_peak[ch].max(y.abs());
            }
        }
        for ch in 0..channels {
            if !gain_mask[ch] {
                gr[ch] = 0.0;
            }
        }
        m.gain_reduction_db[..channels].copy_from_slice(&gr[..channels]);
        m.key_level_db = level[..channels]
            .iter()
            .zip(&self.key_mask)
            .filter(|(_, &keyed)| keyed)
            .map(|(&l, _)| l)
            .fold(SILENCE_DB, f32::max);
        m
    }
}

/// Links the levels of the channels in `key_mask` like [`link_levels_db`] and returns their
/// loudest level (dB); channels outside the mask are left as they are.
#[inline]
fn link_masked_levels_db(levels_db: &mut [f32], key_mask: &[bool; MAX_CHANNELS], link: f32) -> f32 {
    let max = levels_db.iter().zip(key_mask).filter(|(_, &k)| k).map(|(&l, _)| l).fold(SILENCE_DB, f32::max);
    for (l, &k) in levels_db.iter_mut().zip(key_mask) {
        if k {
            *l += link * (max - *l);
        }
    }
    max
}

/// Reads an external key sample for channel `ch` at index `i`, tolerating missing channels.
#[inline]
fn external_key_sample(sc: &[&[f32]], ch: usize, i: usize, bad: &mut u32) -> f32 {
    let Some(chan) = sc.get(ch.min(sc.len().saturating_sub(1))) else { return 0.0 };
    let (v, was_bad) = sanitize(chan.get(i).copied().unwrap_or(0.0));
    *bad += was_bad as u32;
    v
}

/// Clamps settings into their legal ranges and replaces non-finite values by defaults.
fn sanitize_settings(s: &CompressorSettings, max_lookahead_ms: f32) -> CompressorSettings {
    let d = CompressorSettings::default();
    let f = |v: f32, dv: f32, lo: f32, hi: f32| if v.is_finite() { v.clamp(lo, hi) } else { dv };
    CompressorSettings {
        threshold_db: f(s.threshold_db, d.threshold_db, -120.0, 24.0),
        ratio: f(s.ratio, d.ratio, 1.0, 1000.0),
        knee_db: f(s.knee_db, d.knee_db, 0.0, 48.0),
        range_db: f(s.range_db, d.range_db, 0.0, CompressorSettings::MAX_RANGE_DB),
        rms_window_ms: f(s.rms_window_ms, d.rms_window_ms, 0.1, 1000.0),
        hold_ms: f(s.hold_ms, 0.0, 0.0, PeakHold::MAX_HOLD_MS),
        attack_ms: f(s.attack_ms, d.attack_ms, 0.0, 10_000.0),
        release_ms: f(s.release_ms, d.release_ms, 0.0, 60_000.0),
        stereo_link: f(s.stereo_link, d.stereo_link, 0.0, 1.0),
        key_hpf_hz: f(s.key_hpf_hz, d.key_hpf_hz, KeyHighPass::MIN_HZ, KeyHighPass::MAX_HZ),
        lookahead_ms: f(s.lookahead_ms, 0.0, 0.0, max_lookahead_ms),
        makeup_db: f(s.makeup_db, d.makeup_db, -96.0, 96.0),
        mix: f(s.mix, d.mix, 0.0, 1.0),
        output_db: f(s.output_db, d.output_db, -96.0, 96.0),
        ..*s
    }
}

impl DspUnit for Compressor {
    fn set_sample_rate(&mut self, sample_rate_hz: f32) {
        self.sample_rate_hz = sample_rate_hz;
        let max = ms_to_samples(self.max_lookahead_ms, sample_rate_hz);
        self.audio_delays = (0..self.channels).map(|_| DelayLine::new(max)).collect();
        self.key_delays = (0..self.channels).map(|_| DelayLine::new(max)).collect();
        self.holds = (0..self.channels).map(|_| PeakHold::new(self.settings.hold_ms, sample_rate_hz)).collect();
        for ch in 0..MAX_CHANNELS {
            self.key_weightings[ch].set_sample_rate(sample_rate_hz);
            self.key_filters[ch].set_sample_rate(sample_rate_hz);
            self.detectors[ch].set_sample_rate(sample_rate_hz);
            self.ballistics[ch].set_sample_rate(sample_rate_hz);
        }
        self.output_stage = OutputStage::new(&self.settings.output_targets(), sample_rate_hz);
        self.apply_lookahead();
    }

    fn reset(&mut self) {
        for ch in 0..MAX_CHANNELS {
            self.key_weightings[ch].reset();
            self.key_filters[ch].reset();
            DspUnit::reset(&mut self.detectors[ch]);
            self.ballistics[ch].reset();
        }
        for h in &mut self.holds {
            h.reset();
        }
        for d in self.audio_delays.iter_mut().chain(self.key_delays.iter_mut()) {
            d.reset();
        }
        let s = self.settings;
        self.set_settings_immediately(&s);
    }

    fn latency_samples(&self) -> usize {
        self.audio_delays.first().map_or(0, DelayLine::delay_samples)
    }
}
