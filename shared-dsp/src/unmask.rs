//! Unmask: a multichannel spectral ducker that lowers the stem per band where and when the key sounds.

use crate::gain_computer::GainComputer;
use crate::spectral_bands::{BandLayout, MAX_BANDS};
use crate::stft::{FftSize, Stft, StftFrame};
use crate::units::{db_to_gain, one_pole_coefficient, power_to_db, SILENCE_DB};
use crate::{DspUnit, MAX_CHANNELS};

/// Everything a user can set on [`Unmask`]. Plain units throughout.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct UnmaskSettings {
    /// Threshold per band in dBFS (RMS level of the key in the band, see [`Unmask`]).
    pub threshold_db: f32,
    /// Ratio, `>= 1`.
    pub ratio: f32,
    /// Soft-knee width in dB.
    pub knee_db: f32,
    /// Largest reduction per band in dB, `>= 0`.
    pub range_db: f32,
    /// Attack time constant in ms (63.2% of a step), quantised to the hop.
    pub attack_ms: f32,
    /// Release time constant in ms (63.2% of a step), quantised to the hop.
    pub release_ms: f32,
    /// FFT size: frequency resolution against latency (`N - 1` samples).
    pub resolution: FftSize,
}

impl Default for UnmaskSettings {
    fn default() -> Self {
        Self {
            threshold_db: -30.0,
            ratio: 4.0,
            knee_db: 6.0,
            range_db: 12.0,
            attack_ms: 20.0,
            release_ms: 200.0,
            resolution: FftSize::N2048,
        }
    }
}

/// Reductions below this (dB) are flushed to exactly zero, so a released band stops costing work
/// and never reaches denormals.
const REDUCTION_FLOOR_DB: f32 = 1e-6;

/// Multichannel spectral ducker: the audio (stem) is attenuated per band, only where and when the key
/// has energy.
///
/// **Signal flow, once per STFT frame** (see [`Stft`]: periodic Hann, hop `N/4`, latency `N - 1`):
/// 1. The key's power per band is summed over the channels whose `key_mask` bit is set and
///    converted to an RMS level in dBFS ([`Self::key_band_levels_db`]).
/// 2. [`GainComputer`] (the same code the editor draws) turns each level into a reduction for the
///    threshold, ratio, knee and range.
/// 3. Each band's reduction is smoothed at frame rate by a one-pole that uses the attack time while
///    the reduction grows and the release time while it shrinks, with coefficient
///    `exp(-hop / (tau * fs))`. NOTE: times are therefore quantised to the hop (10.7 ms at 2048 and
///    48 kHz): the gain changes once per frame, and the overlapping windows crossfade between
///    frames, so attacks shorter than a hop act as instant.
/// 4. The band reductions are interpolated to per-bin gains (linear in dB against log frequency
///    between band centres, see [`BandLayout::interpolate_db`]) and applied to every channel whose
///    `gain_mask` bit is set. Other channels pass through delayed by exactly the latency.
///
/// **Level calibration.** A band's level is its mean-square value `P = sum_k c_k |X_k|^2 /
/// (N * sum_n w_n^2)` over the band's bins `k`, with `X` the FFT of the Hann-windowed frame `w`,
/// `c_k = 2` (the mirror image at negative frequency) except `c = 1` at DC and Nyquist. By Parseval
/// this is the windowed frame's mean square restricted to the band, so a sine of amplitude `A` wholly
/// inside a band reads `20 log10(A / sqrt 2)` dBFS (-3 dBFS at full scale), white noise reads its
/// power in the band, and levels of several key channels add as powers (the same signal in both
/// channels of a stereo key reads 3 dB above each channel). Stem levels
/// ([`Self::stem_band_levels_db`]) are measured the same way over the gain-masked channels, before
/// the gain.
///
/// **Linearity.** The per-bin gain of a frame depends only on the key and the settings, never on
/// the audio, so the output is linear in the audio: instances fed the same key and settings apply
/// the same gains, and processed stems sum to the processed sum of the stems (up to float
/// rounding).
///
/// Everything is allocated in [`Self::new`]; [`Self::process`], [`Self::set_settings`] (including
/// resolution changes) and [`Self::set_channel_masks`] never allocate.
#[derive(Debug)]
pub struct Unmask {
    /// Sample rate in Hz.
    sample_rate_hz: f32,
    /// Number of audio (and key) channels.
    channels: usize,
    /// The current settings, sanitised.
    settings: UnmaskSettings,
    /// Analysis and resynthesis of the audio, analysis of the key.
    stft: Stft,
    /// Everything the per-frame callback needs.
    bands: BandState,
}

/// Per-frame state of [`Unmask`], kept apart from the STFT so the frame callback can borrow it.
#[derive(Debug)]
struct BandState {
    /// Bins to bands at the current size and rate.
    layout: BandLayout,
    /// Static curve: threshold, ratio, knee and range.
    gain_computer: GainComputer,
    /// One-pole coefficient per frame while the reduction grows.
    attack: f32,
    /// One-pole coefficient per frame while the reduction shrinks.
    release: f32,
    /// Channels whose key contributes to the level.
    key_mask: [bool; MAX_CHANNELS],
    /// Channels the gain applies to.
    gain_mask: [bool; MAX_CHANNELS],
    /// `2 / (N * sum w^2)`: the bin power (counted twice for its mirror) to mean square.
    power_scale: f32,
    /// Scratch: power per bin, summed over channels.
    bin_power: Vec<f32>,
    /// Scratch: gain per bin, dB then linear.
    bin_gain: Vec<f32>,
    /// Scratch: power per band.
    band_power: [f32; MAX_BANDS],
    /// Scratch: negated reduction per band (a gain in dB).
    band_gain_db: [f32; MAX_BANDS],
    /// Key RMS level per band in dBFS, last frame.
    key_db: [f32; MAX_BANDS],
    /// Stem RMS level per band in dBFS, last frame.
    stem_db: [f32; MAX_BANDS],
    /// Smoothed reduction per band in dB, `>= 0`.
    reduction_db: [f32; MAX_BANDS],
    /// Largest of `reduction_db`.
    max_reduction_db: f32,
}

impl BandState {
    fn clear(&mut self) {
        self.key_db = [SILENCE_DB; MAX_BANDS];
        self.stem_db = [SILENCE_DB; MAX_BANDS];
        self.reduction_db = [0.0; MAX_BANDS];
        self.max_reduction_db = 0.0;
    }

    /// Mean-square level per band in dBFS of the power in `self.bin_power`.
    fn levels_db(&mut self, bins: usize, out_db: &mut [f32; MAX_BANDS]) {
        let power = &mut self.bin_power[..bins];
        // DC and Nyquist have no mirror image.
        power[0] *= 0.5;
        power[bins - 1] *= 0.5;
        self.layout.sum_bands(power, &mut self.band_power);
        for (db, &p) in out_db.iter_mut().zip(&self.band_power[..self.layout.count()]) {
            *db = power_to_db(p * self.power_scale);
        }
    }

    fn on_frame(&mut self, frame: &mut StftFrame<'_>) {
        let bins = frame.bins();
        let count = self.layout.count();

        // Key level per band, powers summed over the key channels (only key-masked ones are analysed).
        self.bin_power[..bins].fill(0.0);
        for ch in 0..MAX_CHANNELS {
            if let Some(spectrum) = frame.sidechain(ch) {
                for (p, c) in self.bin_power[..bins].iter_mut().zip(spectrum) {
                    *p += c.norm_sqr();
                }
            }
        }
        let mut key_db = self.key_db;
        self.levels_db(bins, &mut key_db);
        self.key_db = key_db;

        // Target reduction per band, then attack/release at frame rate.
        let mut max = 0.0f32;
        for (r, &level) in self.reduction_db[..count].iter_mut().zip(&self.key_db[..count]) {
            let target = self.gain_computer.gain_reduction_db(level);
            let coeff = if target > *r { self.attack } else { self.release };
            *r = target + coeff * (*r - target);
            if *r < REDUCTION_FLOOR_DB {
                *r = 0.0;
            }
            max = max.max(*r);
        }
        self.max_reduction_db = max;

        // Stem level per band over the gain-masked channels (the only ones analysed), before the gain.
        self.bin_power[..bins].fill(0.0);
        for ch in 0..MAX_CHANNELS {
            if let Some(spectrum) = frame.audio(ch) {
                for (p, c) in self.bin_power[..bins].iter_mut().zip(spectrum) {
                    *p += c.norm_sqr();
                }
            }
        }
        let mut stem_db = self.stem_db;
        self.levels_db(bins, &mut stem_db);
        self.stem_db = stem_db;

        if max == 0.0 {
            return; // unity gain everywhere: nothing to change
        }
        for (g, &r) in self.band_gain_db[..count].iter_mut().zip(&self.reduction_db[..count]) {
            *g = -r;
        }
        let gains = &mut self.bin_gain[..bins];
        self.layout.interpolate_db(&self.band_gain_db, gains);
        for g in gains.iter_mut() {
            *g = db_to_gain(*g);
        }
        for ch in 0..MAX_CHANNELS {
            if let Some(spectrum) = frame.audio_mut(ch) {
                for (bin, &g) in spectrum.iter_mut().zip(gains.iter()) {
                    *bin *= g;
                }
            }
        }
    }
}

impl Unmask {
    /// Creates an Unmask for `channels` audio channels (and as many key channels) at
    /// `sample_rate_hz`, with default settings and every channel keyed and ducked. Plans every FFT
    /// size and allocates for the largest.
    ///
    /// # Panics
    /// If `channels` is 0 or above [`MAX_CHANNELS`].
    pub fn new(channels: usize, sample_rate_hz: f32) -> Self {
        assert!((1..=MAX_CHANNELS).contains(&channels), "unsupported channel count {channels}");
        let s = UnmaskSettings::default();
        let max_bins = FftSize::MAX_SAMPLES / 2 + 1;
        let mut u = Self {
            sample_rate_hz,
            channels,
            settings: s,
            stft: Stft::new(channels, channels, s.resolution),
            bands: BandState {
                layout: BandLayout::with_capacity(FftSize::MAX_SAMPLES, s.resolution.samples(), sample_rate_hz),
                gain_computer: GainComputer::new(s.threshold_db, s.ratio, s.knee_db).with_range(s.range_db),
                attack: 0.0,
                release: 0.0,
                key_mask: [true; MAX_CHANNELS],
                gain_mask: [true; MAX_CHANNELS],
                power_scale: 0.0,
                bin_power: vec![0.0; max_bins],
                bin_gain: vec![1.0; max_bins],
                band_power: [0.0; MAX_BANDS],
                band_gain_db: [0.0; MAX_BANDS],
                key_db: [SILENCE_DB; MAX_BANDS],
                stem_db: [SILENCE_DB; MAX_BANDS],
                reduction_db: [0.0; MAX_BANDS],
                max_reduction_db: 0.0,
            },
        };
        u.apply_resolution_and_rate();
        u.apply_curve_and_times();
        u
    }

    /// The number of audio channels processed.
    pub fn channels(&self) -> usize {
        self.channels
    }

    /// The current settings (sanitised).
    pub fn settings(&self) -> &UnmaskSettings {
        &self.settings
    }

    /// The static curve in use (threshold, ratio, knee, range), for drawing.
    pub fn gain_computer(&self) -> GainComputer {
        self.bands.gain_computer
    }

    /// Applies new settings. Cheap when nothing changed; call it once per block. A resolution change
    /// clears all signal state and changes [`DspUnit::latency_samples`]; it does not allocate.
    pub fn set_settings(&mut self, s: &UnmaskSettings) {
        let s = sanitize_settings(s);
        let old = self.settings;
        self.settings = s;
        if s.resolution != old.resolution {
            self.apply_resolution_and_rate();
        }
        if s != old {
            self.apply_curve_and_times();
        }
    }

    /// Chooses the channels whose key feeds the level (`key_mask`) and the channels the reduction
    /// applies to (`gain_mask`; the others pass through delayed by the latency). Entries past
    /// [`Self::channels`] are ignored. A channel added to `gain_mask` mid-stream passes through
    /// delayed but unprocessed for up to one frame length (`N` samples) while its overlap-add fills,
    /// then is ducked exactly as if it had been all along; a channel removed is delayed only, at once.
    pub fn set_channel_masks(&mut self, key_mask: [bool; MAX_CHANNELS], gain_mask: [bool; MAX_CHANNELS]) {
        let only_ours = |m: [bool; MAX_CHANNELS]| std::array::from_fn(|ch| ch < self.channels && m[ch]);
        let (key_mask, gain_mask) = (only_ours(key_mask), only_ours(gain_mask));
        self.bands.key_mask = key_mask;
        self.bands.gain_mask = gain_mask;
        self.stft.set_channel_modes(gain_mask, key_mask);
    }

    /// Ducks `audio` (one slice per channel, all the same length) in place by `key` (one slice per
    /// audio channel; missing channels or samples read as silence). Never allocates. NaN, infinite
    /// or huge samples are replaced by silence (see [`crate::sanitize`]).
    pub fn process(&mut self, audio: &mut [&mut [f32]], key: &[&[f32]]) {
        let channels = self.channels.min(audio.len());
        let bands = &mut self.bands;
        self.stft.process(&mut audio[..channels], key, |frame| bands.on_frame(frame));
    }

    /// Number of bands at the current resolution and rate.
    pub fn band_count(&self) -> usize {
        self.bands.layout.count()
    }

    /// Centre frequency of each band in Hz.
    pub fn band_centres_hz(&self) -> &[f32] {
        self.bands.layout.centres_hz()
    }

    /// The band layout (bins per band, interpolation), for the editor.
    pub fn band_layout(&self) -> &BandLayout {
        &self.bands.layout
    }

    /// Key RMS level per band in dBFS at the last frame, summed over the key-masked channels.
    pub fn key_band_levels_db(&self) -> &[f32] {
        &self.bands.key_db[..self.band_count()]
    }

    /// Stem RMS level per band in dBFS at the last frame, summed over the gain-masked channels,
    /// before the reduction.
    pub fn stem_band_levels_db(&self) -> &[f32] {
        &self.bands.stem_db[..self.band_count()]
    }

    /// Smoothed reduction per band in dB (`>= 0`) at the last frame.
    pub fn band_reduction_db(&self) -> &[f32] {
        &self.bands.reduction_db[..self.band_count()]
    }

    /// The largest band reduction in dB at the last frame.
    pub fn max_reduction_db(&self) -> f32 {
        self.bands.max_reduction_db
    }

    /// How much quieter the stem got at the last frame, in dB (`>= 0`): the band reductions weighted
    /// by the stem's power in each band, `10 log10(sum p_b / sum p_b 10^(-r_b / 10))`. This is what
    /// the meters show as Unmask's gain reduction; 0 when the stem is silent.
    pub fn weighted_reduction_db(&self) -> f32 {
        let (mut before, mut after) = (0.0f64, 0.0f64);
        for (&level_db, &r_db) in self.stem_band_levels_db().iter().zip(self.band_reduction_db()) {
            let p = 10f64.powf(level_db as f64 / 10.0);
            before += p;
            after += p * 10f64.powf(-r_db as f64 / 10.0);
        }
        if before > 0.0 && after > 0.0 {
            (10.0 * (before / after).log10()).max(0.0) as f32
        } else {
            0.0
        }
    }

    /// Reconfigures the STFT and band layout for the resolution and rate, and clears all state.
    fn apply_resolution_and_rate(&mut self) {
        let size = self.settings.resolution;
        let n = size.samples();
        self.stft.set_size(size);
        self.stft.reset();
        self.bands.layout.configure(n, self.sample_rate_hz);
        // The periodic Hann window's energy is exactly 3N/8.
        self.bands.power_scale = (2.0 / (n as f64 * 0.375 * n as f64)) as f32;
        self.bands.clear();
    }

    /// Updates the curve, range and per-frame coefficients from the settings.
    fn apply_curve_and_times(&mut self) {
        let s = self.settings;
        let frame_rate_hz = self.sample_rate_hz / s.resolution.hop() as f32;
        let b = &mut self.bands;
        b.gain_computer = GainComputer::new(s.threshold_db, s.ratio, s.knee_db).with_range(s.range_db);
        b.attack = one_pole_coefficient(s.attack_ms, frame_rate_hz) as f32;
        b.release = one_pole_coefficient(s.release_ms, frame_rate_hz) as f32;
    }
}

/// Clamps settings into their legal ranges and replaces non-finite values by defaults.
fn sanitize_settings(s: &UnmaskSettings) -> UnmaskSettings {
    let d = UnmaskSettings::default();
    let f = |v: f32, dv: f32, lo: f32, hi: f32| if v.is_finite() { v.clamp(lo, hi) } else { dv };
    UnmaskSettings {
        threshold_db: f(s.threshold_db, d.threshold_db, -120.0, 24.0),
        ratio: f(s.ratio, d.ratio, 1.0, 1000.0),
        knee_db: f(s.knee_db, d.knee_db, 0.0, 48.0),
        range_db: f(s.range_db, d.range_db, 0.0, 96.0),
        attack_ms: f(s.attack_ms, d.attack_ms, 0.0, 10_000.0),
        release_ms: f(s.release_ms, d.release_ms, 0.0, 60_000.0),
        resolution: s.resolution,
    }
}

impl DspUnit for Unmask {
    fn set_sample_rate(&mut self, sample_rate_hz: f32) {
        self.sample_rate_hz = sample_rate_hz;
        self.apply_resolution_and_rate();
        self.apply_curve_and_times();
    }

    fn reset(&mut self) {
        self.stft.reset();
        self.bands.clear();
    }

    fn latency_samples(&self) -> usize {
        self.stft.latency_samples()
    }
}
