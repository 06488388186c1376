//! The Stem Compressor's signal path: a stem profile, channel mode (L/R, M/S, 5.1 with LFE rules),
//! key routing, and either the broadband compressor or the spectral Unmask engine.
//!
//! Both engines apply a gain that depends only on the key and the settings, so with an external key
//! every instance with the same settings applies the same gain and processed stems sum to the
//! processed mix (in Unmask the gain is per bin, which is still linear in the audio).

use crate::biquad::KeyHighPass;
use crate::channel_mode::{decode_mid_side, encode_mid_side, ChannelMode};
use crate::compressor::{BlockMeters, Compressor, CompressorSettings, Key};
use crate::delay::DelayLine;
use crate::detector::DetectorKind;
use crate::output_stage::{OutputGains, OutputStage, OutputTargets};
use crate::sanitize::sanitize;
use crate::smoother::{Smoother, SmoothingStyle};
use crate::stem_profile::{ProfileDetector, StemKind};
use crate::stft::FftSize;
use crate::unmask::{Unmask, UnmaskSettings};
use crate::{DspUnit, MAX_CHANNELS};

/// Samples processed per inner chunk; sizes the key scratch buffers.
const CHUNK: usize = 256;

/// Fade-in after a mode or resolution switch, in ms.
pub const SWITCH_FADE_MS: f32 = 5.0;

/// The index of the LFE channel in a 5.1 (L R C LFE Ls Rs) layout.
pub const LFE_CHANNEL: usize = 3;

/// The detector choice: the stem profile's, or a fixed one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum DetectorChoice {
    /// The stem profile's detector.
    #[default]
    Auto,
    Peak,
    Rms,
    CrestBlend,
}

/// Where the key comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum KeyRouting {
    /// The stem itself.
    #[default]
    Internal,
    /// The sidechain input.
    External,
    /// A mix of both, set by [`StemCompressorSettings::key_blend`].
    Blend,
}

/// Broadband compression or spectral unmasking.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum StemMode {
    /// One gain for the whole spectrum (per channel).
    #[default]
    Broadband,
    /// A gain per band, from the key's spectrum (STFT).
    Unmask,
}

/// What the LFE of a 5.1 layout does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum LfeMode {
    /// The LFE receives the gain of the other channels (it never drives it).
    #[default]
    Follow,
    /// The LFE passes unchanged, delayed by the latency.
    Bypass,
}

/// Everything a user can set on a [`StemCompressor`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct StemCompressorSettings {
    /// The stem this instance sits on: key weighting, detector and hold.
    pub stem: StemKind,
    /// Detector override.
    pub detector: DetectorChoice,
    /// Threshold, ratio, knee, range, times, link, key HPF, lookahead, makeup, mix, output, key
    /// listen, delta and bypass. Its detector, window, hold and key weighting come from the stem.
    pub dynamics: CompressorSettings,
    /// Channel mode of a stereo layout (ignored in 5.1).
    pub channel_mode: ChannelMode,
    /// Key source.
    pub key: KeyRouting,
    /// Share of the external key with [`KeyRouting::Blend`], 0..1.
    pub key_blend: f32,
    /// Broadband or Unmask.
    pub mode: StemMode,
    /// Unmask's FFT size.
    pub resolution: FftSize,
    /// 5.1 only: what the LFE does.
    pub lfe: LfeMode,
}

impl Default for StemCompressorSettings {
    fn default() -> Self {
        Self {
            stem: StemKind::Keys,
            detector: DetectorChoice::Auto,
            dynamics: CompressorSettings::default(),
            channel_mode: ChannelMode::Stereo,
            key: KeyRouting::Internal,
            key_blend: 0.5,
            mode: StemMode::Broadband,
            resolution: FftSize::N2048,
            lfe: LfeMode::Follow,
        }
    }
}

impl StemCompressorSettings {
    /// The broadband compressor's settings: the user's dynamics with the stem profile's detector,
    /// window, hold and key weighting.
    pub fn compressor_settings(&self) -> CompressorSettings {
        let profile = self.stem.profile();
        let detector = match self.detector {
            DetectorChoice::Auto => match profile.auto_detector {
                ProfileDetector::Peak => DetectorKind::Peak,
                ProfileDetector::Rms => DetectorKind::Rms,
                ProfileDetector::CrestBlend => DetectorKind::CrestBlend,
            },
            DetectorChoice::Peak => DetectorKind::Peak,
            DetectorChoice::Rms => DetectorKind::Rms,
            DetectorChoice::CrestBlend => DetectorKind::CrestBlend,
        };
        CompressorSettings {
            detector,
            rms_window_ms: profile.rms_window_ms,
            hold_ms: profile.low_frequency_hold_ms,
            key_weighting: profile.key_weighting,
            ..self.dynamics
        }
    }

    /// Unmask's settings: threshold, ratio, knee, range, attack and release apply per band.
    pub fn unmask_settings(&self) -> UnmaskSettings {
        let d = &self.dynamics;
        UnmaskSettings {
            threshold_db: d.threshold_db,
            ratio: d.ratio,
            knee_db: d.knee_db,
            range_db: d.range_db,
            attack_ms: d.attack_ms,
            release_ms: d.release_ms,
            resolution: self.resolution,
        }
    }
}

/// The Stem Compressor for 1–[`MAX_CHANNELS`] channels. Two channels are a stereo pair (channel
/// modes apply); six are 5.1 in L R C LFE Ls Rs order (detection fully linked over all but the LFE).
pub struct StemCompressor {
    channels: usize,
    settings: StemCompressorSettings,
    compressor: Compressor,
    unmask: Unmask,
    /// Key high-pass of the Unmask path (the broadband compressor has its own).
    unmask_key_filters: [KeyHighPass; MAX_CHANNELS],
    /// Dry and key-listen delays of the Unmask path, sized for the largest FFT.
    unmask_dry_delays: Vec<DelayLine>,
    unmask_key_delays: Vec<DelayLine>,
    unmask_output: OutputStage,
    /// Channels that receive the gain (the others pass delayed), as last given to both engines.
    gain_mask: [bool; MAX_CHANNELS],
    /// Key scratch, `CHUNK` samples per channel.
    key_scratch: Vec<[f32; CHUNK]>,
    /// Ramps the output in after a switch.
    switch_fade: Smoother,
    /// Whether audio went through since the last reset (a switch before that needs no fade).
    processed_since_reset: bool,
    sample_rate_hz: f32,
}

impl StemCompressor {
    /// Allocates everything (the largest FFT included) for `channels` channels, lookahead up to
    /// `max_lookahead_ms`, at a sample rate in Hz.
    ///
    /// # Panics
    /// If `channels` is 0 or above [`MAX_CHANNELS`].
    pub fn new(channels: usize, max_lookahead_ms: f32, sample_rate_hz: f32) -> Self {
        let settings = StemCompressorSettings::default();
        let mut c = Self {
            channels,
            settings,
            compressor: Compressor::new(channels, max_lookahead_ms, sample_rate_hz),
            unmask: Unmask::new(channels, sample_rate_hz),
            unmask_key_filters: [KeyHighPass::new(sample_rate_hz, KeyHighPass::MIN_HZ); MAX_CHANNELS],
            unmask_dry_delays: Vec::new(),
            unmask_key_delays: Vec::new(),
            unmask_output: OutputStage::new(&unmask_targets(&settings.dynamics), sample_rate_hz),
            gain_mask: [true; MAX_CHANNELS],
            key_scratch: vec![[0.0; CHUNK]; MAX_CHANNELS],
            switch_fade: Smoother::new(SmoothingStyle::Linear, SWITCH_FADE_MS, sample_rate_hz, 1.0),
            processed_since_reset: false,
            sample_rate_hz,
        };
        c.set_sample_rate(sample_rate_hz);
        c.set_settings_immediately(&settings);
        c
    }

    /// The number of channels processed.
    pub fn channels(&self) -> usize {
        self.channels
    }

    /// The settings in use.
    pub fn settings(&self) -> &StemCompressorSettings {
        &self.settings
    }

    /// The Unmask engine, for the editor's band meters.
    pub fn unmask(&self) -> &Unmask {
        &self.unmask
    }

    fn is_surround(&self) -> bool {
        self.channels == 6
    }

    /// Applies new settings; cheap when nothing changed, call it once per block. A change of mode or
    /// resolution changes [`DspUnit::latency_samples`], clears the newly active engine and fades the
    /// output in over [`SWITCH_FADE_MS`] (no fade before the first processed block).
    pub fn set_settings(&mut self, s: &StemCompressorSettings) {
        let old = self.settings;
        let mut s = *s;
        s.key_blend = if s.key_blend.is_finite() { s.key_blend.clamp(0.0, 1.0) } else { 0.5 };
        if self.is_surround() {
            // NOTE: in 5.1 detection is always fully linked; channel modes are for stereo pairs.
            s.dynamics.stereo_link = 1.0;
            s.channel_mode = ChannelMode::Stereo;
        } else if self.channels != 2 {
            s.channel_mode = ChannelMode::Stereo;
        }
        self.settings = s;
        self.compressor.set_settings(&s.compressor_settings());
        self.unmask.set_settings(&s.unmask_settings());
        for f in &mut self.unmask_key_filters {
            f.set_cutoff(s.dynamics.key_hpf_hz);
        }
        self.unmask_output.set_targets(&unmask_targets(self.compressor.settings()));
        self.apply_masks();
        let switched = s.mode != old.mode || (s.mode == StemMode::Unmask && s.resolution != old.resolution);
        if switched {
            self.apply_unmask_latency();
            match s.mode {
                StemMode::Broadband => self.compressor.reset(),
                StemMode::Unmask => self.reset_unmask(),
            }
            if self.processed_since_reset {
                self.switch_fade.reset_to(0.0);
                self.switch_fade.set_target(1.0);
            }
        }
    }

    /// Like [`Self::set_settings`] with no ramps, for activation and reset.
    pub fn set_settings_immediately(&mut self, s: &StemCompressorSettings) {
        self.set_settings(s);
        let c = self.compressor.settings().to_owned();
        self.compressor.set_settings_immediately(&c);
        self.unmask_output.set_immediately(&unmask_targets(&c));
        self.switch_fade.reset_to(1.0);
    }

    /// Which channels feed the detector and which receive the gain: 5.1 leaves the LFE out of the key
    /// (and out of the gain with LFE Bypass); a stereo pair follows the channel mode.
    fn channel_masks(&self) -> ([bool; MAX_CHANNELS], [bool; MAX_CHANNELS]) {
        if self.is_surround() {
            let mut key = [false; MAX_CHANNELS];
            key[..6].fill(true);
            key[LFE_CHANNEL] = false;
            let mut gain = [false; MAX_CHANNELS];
            gain[..6].fill(true);
            gain[LFE_CHANNEL] = self.settings.lfe == LfeMode::Follow;
            (key, gain)
        } else if self.channels == 2 {
            self.settings.channel_mode.masks()
        } else {
            ([true; MAX_CHANNELS], [true; MAX_CHANNELS])
        }
    }

    fn apply_masks(&mut self) {
        let (key_mask, gain_mask) = self.channel_masks();
        self.gain_mask = gain_mask;
        self.compressor.set_channel_masks(key_mask, gain_mask);
        self.unmask.set_channel_masks(key_mask, gain_mask);
    }

    fn apply_unmask_latency(&mut self) {
        let n = self.unmask.latency_samples();
        for d in self.unmask_dry_delays.iter_mut().chain(self.unmask_key_delays.iter_mut()) {
            d.set_delay_samples(n);
        }
    }

    fn reset_unmask(&mut self) {
        DspUnit::reset(&mut self.unmask);
        for f in &mut self.unmask_key_filters {
            f.reset();
        }
        for d in self.unmask_dry_delays.iter_mut().chain(self.unmask_key_delays.iter_mut()) {
            d.reset();
        }
    }

    /// Processes one block in place. `sidechain` holds the sidechain's channels (fewer than the
    /// main channels reuse the last one; none reads as silence); it is read only when the key is
    /// External or Blend. Never allocates.
    pub fn process(&mut self, audio: &mut [&mut [f32]], sidechain: &[&[f32]]) -> BlockMeters {
        let mut meters = BlockMeters::default();
        let channels = self.channels.min(audio.len());
        if channels == 0 {
            return meters;
        }
        let len = audio[..channels].iter().map(|c| c.len()).min().unwrap_or(0);
        let mut start = 0;
        while start < len {
            let end = (start + CHUNK).min(len);
            let mut chunk: [&mut [f32]; MAX_CHANNELS] = Default::default();
            for (dst, ch) in chunk.iter_mut().zip(audio[..channels].iter_mut()) {
                *dst = &mut ch[start..end];
            }
            let m = self.process_chunk(&mut chunk[..channels], sidechain, start, end);
            merge_meters(&mut meters, &m, channels);
            start = end;
        }
        if len > 0 {
            self.processed_since_reset = true;
        }
        meters
    }

    fn process_chunk(&mut self, audio: &mut [&mut [f32]], sidechain: &[&[f32]], start: usize, end: usize) -> BlockMeters {
        let n = end - start;
        let channels = audio.len();
        let mut input_peak = [0.0f32; MAX_CHANNELS];
        for (p, ch) in input_peak.iter_mut().zip(audio.iter()) {
            *p = ch.iter().fold(0.0f32, |a, &x| a.max(sanitize(x).0.abs()));
        }
        let mid_side = channels == 2 && self.settings.channel_mode.is_mid_side();
        let external = self.settings.key != KeyRouting::Internal;
        let mut bad_key = 0u32;
        if external || self.settings.mode == StemMode::Unmask {
            self.fill_key(audio, sidechain, start, n, external, &mut bad_key);
        }
        if mid_side {
            let (l, r) = audio.split_at_mut(1);
            encode_mid_side(l[0], r[0]);
            let (kl, kr) = self.key_scratch.split_at_mut(1);
            encode_mid_side(&mut kl[0][..n], &mut kr[0][..n]);
        }
        let mut m = match self.settings.mode {
            StemMode::Broadband => {
                let mut keys: [&[f32]; MAX_CHANNELS] = [&[]; MAX_CHANNELS];
                for (k, s) in keys.iter_mut().zip(self.key_scratch.iter()) {
                    *k = &s[..n];
                }
                let key = match self.settings.key {
                    KeyRouting::Internal => Key::Internal,
                    KeyRouting::External => Key::External(&keys[..channels]),
                    KeyRouting::Blend => Key::Blend(&keys[..channels], self.settings.key_blend),
                };
                self.compressor.process(audio, key)
            }
            StemMode::Unmask => self.process_unmask(audio, n),
        };
        m.bad_samples += bad_key;
        if mid_side {
            let (l, r) = audio.split_at_mut(1);
            decode_mid_side(l[0], r[0]);
        }
        m.input_peak = input_peak;
        for (p, ch) in m.output_peak.iter_mut().zip(audio.iter_mut()) {
            let mut peak = 0.0f32;
            if self.switch_fade.is_smoothing() {
                // Only while fading: the fade is one ramp shared by all channels.
                let mut fade = self.switch_fade;
                for x in ch.iter_mut() {
                    *x *= fade.next_value();
                }
            }
            for &x in ch.iter() {
                peak = peak.max(x.abs());
            }
            *p = peak;
        }
        for _ in 0..n {
            self.switch_fade.next_value();
        }
        m
    }

    /// Writes the key for `n` samples from `start` into the scratch: the sanitised sidechain
    /// (External), or the blend of stem and sidechain (Blend); the stem itself (Internal, Unmask
    /// only).
    fn fill_key(&mut self, audio: &[&mut [f32]], sidechain: &[&[f32]], start: usize, n: usize, external: bool, bad: &mut u32) {
        let blend = match self.settings.key {
            KeyRouting::Internal => 0.0,
            KeyRouting::External => 1.0,
            KeyRouting::Blend => self.settings.key_blend,
        };
        for (ch, scratch) in self.key_scratch.iter_mut().enumerate().take(audio.len()) {
            let sc: &[f32] = match sidechain.get(ch.min(sidechain.len().saturating_sub(1))) {
                Some(c) if external => c,
                _ => &[],
            };
            for (i, k) in scratch[..n].iter_mut().enumerate() {
                let (e, was_bad) = sanitize(sc.get(start + i).copied().unwrap_or(0.0));
                *bad += was_bad as u32;
                let (x, _) = sanitize(audio[ch][i]);
                *k = if blend == 1.0 { e } else { x + blend * (e - x) };
            }
        }
    }

    fn process_unmask(&mut self, audio: &mut [&mut [f32]], n: usize) -> BlockMeters {
        let mut m = BlockMeters::default();
        let channels = audio.len();
        for ch in 0..channels {
            self.unmask_key_filters[ch].process(&mut self.key_scratch[ch][..n]);
        }
        for ch in audio.iter_mut() {
            for x in ch.iter_mut() {
                let (v, b) = sanitize(*x);
                m.bad_samples += b as u32;
                *x = v;
            }
        }
        let keys: [&[f32]; MAX_CHANNELS] = std::array::from_fn(|ch| &self.key_scratch[ch][..n]);
        let settings = self.compressor.settings().to_owned();
        // The output stage mixes with the dry signal delayed like the engine's output.
        let mut dry: [[f32; CHUNK]; MAX_CHANNELS] = [[0.0; CHUNK]; MAX_CHANNELS];
        for ch in 0..channels {
            for (d, &x) in dry[ch][..n].iter_mut().zip(audio[ch].iter()) {
                *d = self.unmask_dry_delays[ch].tick(x);
            }
        }
        self.unmask.process(audio, &keys[..channels]);
        let gain_mask = self.gain_mask;
        for i in 0..n {
            let g = self.unmask_output.next_gains();
            for ch in 0..channels {
                let d = dry[ch][i];
                let key_out = self.unmask_key_delays[ch].tick(keys[ch][i]);
                let gains = if gain_mask[ch] { g } else { OutputGains { makeup: 1.0, ..g } };
                let y = if settings.key_listen {
                    key_out + g.bypass * (d - key_out)
                } else {
                    gains.apply(d, audio[ch][i], settings.delta)
                };
                audio[ch][i] = y;
            }
        }
        // The meters show how much quieter the stem got overall; the editor's band view shows each band.
        let reduction = self.unmask.weighted_reduction_db();
        m.max_gain_reduction_db = reduction;
        for (gr, &gained) in m.gain_reduction_db[..channels].iter_mut().zip(&gain_mask) {
            *gr = if gained { reduction } else { 0.0 };
        }
        m.key_level_db = self.unmask.key_band_levels_db().iter().copied().fold(crate::units::SILENCE_DB, f32::max);
        m
    }
}

/// The Unmask path's output targets: the compressor's makeup (auto makeup included), mix, output and
/// bypass.
fn unmask_targets(c: &CompressorSettings) -> OutputTargets {
    OutputTargets { makeup_db: c.effective_makeup_db(), mix: c.mix, output_db: c.output_db, bypass: c.bypass }
}

/// Folds a chunk's meters into the block's.
fn merge_meters(block: &mut BlockMeters, chunk: &BlockMeters, channels: usize) {
    for ch in 0..channels {
        block.input_peak[ch] = block.input_peak[ch].max(chunk.input_peak[ch]);
        block.output_peak[ch] = block.output_peak[ch].max(chunk.output_peak[ch]);
    }
    block.max_gain_reduction_db = block.max_gain_reduction_db.max(chunk.max_gain_reduction_db);
    block.gain_reduction_db = chunk.gain_reduction_db;
    block.key_level_db = chunk.key_level_db;
    block.bad_samples += chunk.bad_samples;
}

impl DspUnit for StemCompressor {
    fn set_sample_rate(&mut self, sample_rate_hz: f32) {
        self.sample_rate_hz = sample_rate_hz;
        self.compressor.set_sample_rate(sample_rate_hz);
        self.unmask.set_sample_rate(sample_rate_hz);
        let max = FftSize::N4096.samples();
        self.unmask_dry_delays = (0..self.channels).map(|_| DelayLine::new(max)).collect();
        self.unmask_key_delays = (0..self.channels).map(|_| DelayLine::new(max)).collect();
        for f in &mut self.unmask_key_filters {
            f.set_sample_rate(sample_rate_hz);
        }
        self.unmask_output = OutputStage::new(&unmask_targets(&self.compressor.settings().to_owned()), sample_rate_hz);
        self.switch_fade = Smoother::new(SmoothingStyle::Linear, SWITCH_FADE_MS, sample_rate_hz, 1.0);
        let s = self.settings;
        self.unmask.set_settings(&s.unmask_settings());
        self.apply_unmask_latency();
        self.apply_masks();
    }

    fn reset(&mut self) {
        self.compressor.reset();
        self.reset_unmask();
        let s = self.settings;
        self.set_settings_immediately(&s);
        self.processed_since_reset = false;
    }

    fn latency_samples(&self) -> usize {
        match self.settings.mode {
            StemMode::Broadband => self.compressor.latency_samples(),
            StemMode::Unmask => self.unmask.latency_samples(),
        }
    }
}
