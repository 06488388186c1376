//! A de-esser: a sibilance detector driving a split-band (dynamic shelf or bell) or wideband cut.
//!
//! Per channel `c`, with `x` the input and `d` the input delayed by the lookahead:
//! - detection: `band = D(x)` on the undelayed input (see [`SibilanceBand`]); `level_band` is its
//!   RMS over a [`DeEsser::DETECTOR_WINDOW_MS`] window. Relative detection reads `level_band` minus the
//!   full-band RMS level of `x` over the same window (dB; silence below −200 dBFS, see
//!   [`DeEsser::RELATIVE_FLOOR_POWER`]); Absolute reads `level_band` in dBFS.
//! - stereo link on the detector levels, gain computer with an infinite ratio and a
//!   [`DeEsser::KNEE_DB`] soft knee (sibilance is pulled down to the threshold), reduction clamped to
//!   the range, then [`Ballistics`] (attack/release time constants), `g = 10^(-GR/20)`.
//! - split-band: `out = d - (1 - g) S(d)`; with `g == 1` the output is `d`, bit for bit.
//!   Wideband: `out = d g`.
//! - Listen: Sibilance outputs what the detector hears, `D(x)` delayed by the lookahead so it lines up
//!   with the audio; Removed outputs `d - out`.
//! - output gain, then bypass crossfade to `d` (both ramped like the compressor's).
//!
//! Relative detection reads the band-to-full balance whatever the level, so the first samples of a
//! sound that starts from digital silence read as broadband (a high-pass passes the start of
//! anything): such an onset may cause a brief reduction, about 0.3 dB at the default threshold.

use crate::ballistics::Ballistics;
use crate::biquad::Biquad;
use crate::compressor::PARAMETER_RAMP_MS;
use crate::delay::DelayLine;
use crate::detector::RmsDetect;
use crate::gain_computer::GainComputer;
use crate::sanitize::sanitize;
use crate::smoother::{Smoother, SmoothingStyle};
use crate::stereo_link::link_levels_db;
use crate::units::{db_to_gain, ms_to_samples, power_to_db, SILENCE_DB};
use crate::{DspUnit, MAX_CHANNELS};

pub use crate::sibilance_band::{BandShape, SibilanceBand};

/// What the gain reduction acts on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum DeEsserMode {
    /// Only the sibilance band is turned down (dynamic shelf or bell).
    #[default]
    SplitBand,
    /// The whole signal is turned down while sibilance is detected.
    Wideband,
}

/// How the detector level is measured.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Detection {
    /// Band level minus full-band level in dB: independent of the input level.
    #[default]
    Relative,
    /// Band level in dBFS.
    Absolute,
}

/// What the de-esser outputs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Listen {
    /// The de-essed signal.
    #[default]
    Off,
    /// The suppression band of the delayed input, `S(d)`.
    Sibilance,
    /// What the de-esser takes away: the delayed input minus the de-essed output.
    Removed,
}

/// Everything a user can set on a [`DeEsser`]. Plain units throughout.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct DeEsserSettings {
    /// Split-band or wideband reduction.
    pub mode: DeEsserMode,
    /// Lower edge of the detection and suppression band in Hz (2000–16000).
    pub frequency_hz: f32,
    /// High-pass (everything above the frequency) or band-pass shape.
    pub shape: BandShape,
    /// Band-pass only: width in octaves (0.25–3); the band is `frequency_hz .. frequency_hz * 2^width`.
    pub width_octaves: f32,
    /// Relative (band minus full band) or absolute (band in dBFS) detection.
    pub detection: Detection,
    /// Threshold in dB (−60–0): relative to the full-band level, or dBFS for absolute detection.
    pub threshold_db: f32,
    /// Largest gain reduction in dB (0–24).
    pub range_db: f32,
    /// Attack time constant in ms (63.2% of a step), like [`Ballistics`].
    pub attack_ms: f32,
    /// Release time constant in ms (63.2% of a step).
    pub release_ms: f32,
    /// Lookahead in ms (0–5); it is the latency, `round(ms * rate)` samples.
    pub lookahead_ms: f32,
    /// Link between channel detectors, 0..1.
    pub stereo_link: f32,
    /// Output gain in dB (−24–24).
    pub output_db: f32,
    /// What to output: the de-essed signal, the sibilance band, or what is removed.
    pub listen: Listen,
    /// Output the delayed input (latency kept), ramped.
    pub bypass: bool,
}

impl DeEsserSettings {
    /// Lowest band frequency in Hz.
    pub const MIN_FREQUENCY_HZ: f32 = 2000.0;
    /// Highest band frequency in Hz.
    pub const MAX_FREQUENCY_HZ: f32 = 16_000.0;
    /// Narrowest band-pass width in octaves.
    pub const MIN_WIDTH_OCTAVES: f32 = 0.25;
    /// Widest band-pass width in octaves.
    pub const MAX_WIDTH_OCTAVES: f32 = 3.0;
    /// Lowest threshold in dB.
    pub const MIN_THRESHOLD_DB: f32 = -60.0;
    /// Highest threshold in dB.
    pub const MAX_THRESHOLD_DB: f32 = 0.0;
    /// Largest range in dB.
    pub const MAX_RANGE_DB: f32 = 24.0;
    /// Longest lookahead in ms.
    pub const MAX_LOOKAHEAD_MS: f32 = 5.0;
    /// Output gain limit in dB (both ways).
    pub const MAX_OUTPUT_DB: f32 = 24.0;
}

impl Default for DeEsserSettings {
    /// Factory defaults for a lead vocal: split-band high shelf from 5 kHz; relative detection with
    /// the threshold 12 dB below the full-band level (on the test vocal, vowels read about −17 dB and
    /// "s" sounds about −3 dB); up to 10 dB of reduction; 0.5 ms attack with 1 ms lookahead, so the
    /// cut is mostly in place when the "s" arrives; 50 ms release, back before the next syllable;
    /// stereo linked, so the image does not shift.
    fn default() -> Self {
        Self {
            mode: DeEsserMode::SplitBand,
            frequency_hz: 5000.0,
            shape: BandShape::HighPass,
            width_octaves: 1.0,
            detection: Detection::Relative,
            threshold_db: -12.0,
            range_db: 10.0,
            attack_ms: 0.5,
            release_ms: 50.0,
            lookahead_ms: 1.0,
            stereo_link: 1.0,
            output_db: 0.0,
            listen: Listen::Off,
            bypass: false,
        }
    }
}

/// Levels measured over one processed block, for meters.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct DeEsserMeters {
    /// Largest gain reduction in the block in dB (`>= 0`), over all channels.
    pub max_gain_reduction_db: f32,
    /// Gain reduction at the last sample of the block in dB, per channel.
    pub gain_reduction_db: [f32; MAX_CHANNELS],
    /// Input sample peak per channel (linear).
    pub input_peak: [f32; MAX_CHANNELS],
    /// Output sample peak per channel (linear).
    pub output_peak: [f32; MAX_CHANNELS],
    /// How many input samples were NaN, infinite or huge and had to be replaced.
    pub bad_samples: u32,
}

impl Default for DeEsserMeters {
    fn default() -> Self {
        Self {
            max_gain_reduction_db: 0.0,
            gain_reduction_db: [0.0; MAX_CHANNELS],
            input_peak: [0.0; MAX_CHANNELS],
            output_peak: [0.0; MAX_CHANNELS],
            bad_samples: 0,
        }
    }
}

/// A multichannel de-esser. See the module documentation for the signal path.
#[derive(Debug, Clone)]
pub struct DeEsser {
    sample_rate_hz: f32,
    channels: usize,
    max_lookahead_ms: f32,
    settings: DeEsserSettings,
    band: SibilanceBand,
    gain_computer: GainComputer,
    detect_filters: [[Biquad; 2]; MAX_CHANNELS],
    suppress_filters: [Biquad; MAX_CHANNELS],
    band_rms: [RmsDetect; MAX_CHANNELS],
    full_rms: [RmsDetect; MAX_CHANNELS],
    ballistics: [Ballistics; MAX_CHANNELS],
    delays: Vec<DelayLine>,
    /// The detection band `D(x)`, delayed like the audio, for Listen Sibilance.
    detect_band_delays: Vec<DelayLine>,
    output: Smoother,
    bypass: Smoother,
}

impl DeEsser {
    /// Time constant of the detector's RMS windows (band and full band) in ms: short enough to
    /// follow a single "s", long enough that a 100 Hz voice does not ripple the full-band level.
    pub const DETECTOR_WINDOW_MS: f32 = 5.0;
    /// Soft-knee width of the gain computer in dB.
    pub const KNEE_DB: f32 = 4.0;
    /// Full-band mean square (linear power, −200 dBFS) below which relative detection reads silence
    /// and the reduction releases: deep in digital silence the band-to-full ratio would otherwise hold
    /// its last value forever. There is no other floor, so the relative reading is the same at any
    /// input level, quiet onsets included.
    pub const RELATIVE_FLOOR_POWER: f64 = 1e-20;

    /// Creates a de-esser for `channels` channels (at most [`MAX_CHANNELS`]) that can look ahead up
    /// to `max_lookahead_ms`, with the default settings.
    ///
    /// # Panics
    /// If `channels` is 0 or above [`MAX_CHANNELS`].
    pub fn new(channels: usize, max_lookahead_ms: f32, sample_rate_hz: f32) -> Self {
        assert!((1..=MAX_CHANNELS).contains(&channels), "unsupported channel count {channels}");
        let max_lookahead_ms = if max_lookahead_ms.is_finite() { max_lookahead_ms.max(0.0) } else { 0.0 };
        let s = sanitize_settings(&DeEsserSettings::default(), max_lookahead_ms);
        let mut d = Self {
            sample_rate_hz,
            channels,
            max_lookahead_ms,
            settings: s,
            band: SibilanceBand::new(s.shape, s.frequency_hz, s.width_octaves, sample_rate_hz),
            gain_computer: gain_computer(&s),
            detect_filters: [[Biquad::default(); 2]; MAX_CHANNELS],
            suppress_filters: [Biquad::default(); MAX_CHANNELS],
            band_rms: [RmsDetect::with_window(Self::DETECTOR_WINDOW_MS, sample_rate_hz); MAX_CHANNELS],
            full_rms: [RmsDetect::with_window(Self::DETECTOR_WINDOW_MS, sample_rate_hz); MAX_CHANNELS],
            ballistics: [Ballistics::new(sample_rate_hz, s.attack_ms, s.release_ms, false); MAX_CHANNELS],
            delays: Vec::new(),
            detect_band_delays: Vec::new(),
            output: Smoother::new(SmoothingStyle::Logarithmic, PARAMETER_RAMP_MS, sample_rate_hz, 1.0),
            bypass: Smoother::new(SmoothingStyle::Linear, PARAMETER_RAMP_MS, sample_rate_hz, 0.0),
        };
        d.set_sample_rate(sample_rate_hz);
        d
    }

    /// The number of channels processed.
    pub fn channels(&self) -> usize {
        self.channels
    }

    /// The current settings (clamped into their ranges).
    pub fn settings(&self) -> &DeEsserSettings {
        &self.settings
    }

    /// The gain computer in use (infinite ratio, soft knee), for drawing the curve; the reduction
    /// it returns is further clamped to `range_db`.
    pub fn gain_computer(&self) -> GainComputer {
        self.gain_computer
    }

    /// Applies new settings. Does nothing when nothing changed; call it once per block. Filter
    /// coefficients are recomputed only when the band changed; output gain and bypass ramp. Lookahead
    /// changes take effect at once and change [`DspUnit::latency_samples`].
    pub fn set_settings(&mut self, s: &DeEsserSettings) {
        let s = sanitize_settings(s, self.max_lookahead_ms);
        let old = self.settings;
        if s == old {
            return;
        }
        self.settings = s;
        if (s.shape, s.frequency_hz, s.width_octaves) != (old.shape, old.frequency_hz, old.width_octaves) {
            self.update_band();
        }
        self.gain_computer = gain_computer(&s);
        for b in &mut self.ballistics[..self.channels] {
            b.set_times(s.attack_ms, s.release_ms, false);
        }
        if s.lookahead_ms != old.lookahead_ms {
            self.apply_lookahead();
        }
        self.output.set_target(db_to_gain(s.output_db));
        self.bypass.set_target(if s.bypass { 1.0 } else { 0.0 });
    }

    /// Like [`Self::set_settings`] but without ramps: smoothers jump to their targets. Use it when
    /// the plugin (re)starts, so every instance starts from the same state.
    pub fn set_settings_immediately(&mut self, s: &DeEsserSettings) {
        self.set_settings(s);
        let s = self.settings;
        self.output.reset_to(db_to_gain(s.output_db));
        self.bypass.reset_to(if s.bypass { 1.0 } else { 0.0 });
    }

    /// Magnitude (linear) of the detection band filter at `freq_hz`, for drawing the band on the
    /// analyser: the 24 dB/oct Butterworth high-pass (−3 dB at the frequency), or the band-pass pair
    /// (1 at its centre, −3 dB at both edges).
    pub fn band_magnitude(&self, freq_hz: f32) -> f32 {
        self.band.detect_magnitude(freq_hz, self.sample_rate_hz)
    }

    /// Magnitude (linear) of the whole split-band response at `freq_hz` while the gain reduction is
    /// `gain_reduction_db`, for drawing the dynamic shelf or bell: `|1 - (1 - g) S|`.
    pub fn split_band_magnitude(&self, freq_hz: f32, gain_reduction_db: f32) -> f32 {
        self.band.split_band_magnitude(freq_hz, db_to_gain(-gain_reduction_db.max(0.0)), self.sample_rate_hz)
    }

    fn update_band(&mut self) {
        let s = &self.settings;
        self.band = SibilanceBand::new(s.shape, s.frequency_hz, s.width_octaves, self.sample_rate_hz);
        for ch in 0..MAX_CHANNELS {
            for (f, c) in self.detect_filters[ch].iter_mut().zip(self.band.detect) {
                f.set_coefficients(c);
            }
            self.suppress_filters[ch].set_coefficients(self.band.suppress);
        }
    }

    fn apply_lookahead(&mut self) {
        let n = ms_to_samples(self.settings.lookahead_ms, self.sample_rate_hz);
        for d in self.delays.iter_mut().chain(self.detect_band_delays.iter_mut()) {
            d.set_delay_samples(n);
        }
    }

    /// De-esses `audio` (one slice per channel, all the same length) in place.
    ///
    /// Returns the block's meters. Never allocates. Non-finite or huge samples are replaced by
    /// silence (see [`crate::sanitize`]) and counted in [`DeEsserMeters::bad_samples`].
    pub fn process(&mut self, audio: &mut [&mut [f32]]) -> DeEsserMeters {
        let mut m = DeEsserMeters::default();
        let channels = self.channels.min(audio.len());
        if channels == 0 {
            return m;
        }
        let len = audio[..channels].iter().map(|c| c.len()).min().unwrap_or(0);
        let s = self.settings;
        let relative = s.detection == Detection::Relative;
        let split = s.mode == DeEsserMode::SplitBand;
        let gc = self.gain_computer;
        let mut x = [0.0f32; MAX_CHANNELS];
        let mut level = [0.0f32; MAX_CHANNELS];
        let mut gr = [0.0f32; MAX_CHANNELS];
        let mut detect_band = [0.0f32; MAX_CHANNELS];
        // NOTE: sample-major loop: every channel's level is needed before linking.
        #[allow(clippy::needless_range_loop)]
        for i in 0..len {
            for ch in 0..channels {
                let (xs, bad) = sanitize(audio[ch][i]);
                m.bad_samples += bad as u32;
                x[ch] = xs;
                m.input_peak[ch] = m.input_peak[ch].max(xs.abs());
                let [d1, d2] = &mut self.detect_filters[ch];
                detect_band[ch] = d2.tick(d1.tick(xs));
                let band_power = self.band_rms[ch].mean_square(detect_band[ch]);
                let full_power = self.full_rms[ch].mean_square(xs);
                level[ch] = if !relative {
                    power_to_db(band_power as f32)
                } else if full_power > Self::RELATIVE_FLOOR_POWER {
                    power_to_db((band_power / full_power) as f32)
                } else {
                    SILENCE_DB
                };
            }
            link_levels_db(&mut level[..channels], s.stereo_link);
            for ch in 0..channels {
                let target = gc.gain_reduction_db(level[ch]).min(s.range_db);
                gr[ch] = self.ballistics[ch].tick(target);
                m.max_gain_reduction_db = m.max_gain_reduction_db.max(gr[ch]);
            }
            let output = self.output.next_value();
            let bypass = self.bypass.next_value();
            for ch in 0..channels {
                let d = self.delays[ch].tick(x[ch]);
                let band = self.suppress_filters[ch].tick(d);
                let heard = self.detect_band_delays[ch].tick(detect_band[ch]);
                let g = db_to_gain(-gr[ch]);
                let out = if split { d - (1.0 - g) * band } else { d * g };
                let mut y = match s.listen {
                    Listen::Off => out,
                    Listen::Sibilance => heard,
                    Listen::Removed => d - out,
                };
                y *= output;
                y += bypass * (d - y);
                audio[ch][i] = y;
                m.output_peak[ch] = m.output_peak[ch].max(y.abs());
            }
        }
        m.gain_reduction_db[..channels].copy_from_slice(&gr[..channels]);
        m
    }
}

/// The de-esser's gain computer: infinite ratio with a [`DeEsser::KNEE_DB`] knee.
fn gain_computer(s: &DeEsserSettings) -> GainComputer {
    GainComputer::new(s.threshold_db, f32::INFINITY, DeEsser::KNEE_DB)
}

/// Clamps settings into their legal ranges and replaces non-finite values by defaults.
fn sanitize_settings(s: &DeEsserSettings, max_lookahead_ms: f32) -> DeEsserSettings {
    type S = DeEsserSettings;
    let d = S::default();
    let f = |v: f32, dv: f32, lo: f32, hi: f32| if v.is_finite() { v.clamp(lo, hi) } else { dv.clamp(lo, hi) };
    DeEsserSettings {
        frequency_hz: f(s.frequency_hz, d.frequency_hz, S::MIN_FREQUENCY_HZ, S::MAX_FREQUENCY_HZ),
        width_octaves: f(s.width_octaves, d.width_octaves, S::MIN_WIDTH_OCTAVES, S::MAX_WIDTH_OCTAVES),
        threshold_db: f(s.threshold_db, d.threshold_db, S::MIN_THRESHOLD_DB, S::MAX_THRESHOLD_DB),
        range_db: f(s.range_db, d.range_db, 0.0, S::MAX_RANGE_DB),
        attack_ms: f(s.attack_ms, d.attack_ms, 0.0, 1_000.0),
        release_ms: f(s.release_ms, d.release_ms, 0.0, 10_000.0),
        lookahead_ms: f(s.lookahead_ms, 0.0, 0.0, S::MAX_LOOKAHEAD_MS.min(max_lookahead_ms)),
        stereo_link: f(s.stereo_link, d.stereo_link, 0.0, 1.0),
        output_db: f(s.output_db, d.output_db, -S::MAX_OUTPUT_DB, S::MAX_OUTPUT_DB),
        ..*s
    }
}

impl DspUnit for DeEsser {
    fn set_sample_rate(&mut self, sample_rate_hz: f32) {
        self.sample_rate_hz = sample_rate_hz;
        let max = ms_to_samples(self.max_lookahead_ms.min(DeEsserSettings::MAX_LOOKAHEAD_MS), sample_rate_hz);
        self.delays = (0..self.channels).map(|_| DelayLine::new(max)).collect();
        self.detect_band_delays = (0..self.channels).map(|_| DelayLine::new(max)).collect();
        self.update_band();
        let s = self.settings;
        for ch in 0..MAX_CHANNELS {
            self.band_rms[ch] = RmsDetect::with_window(Self::DETECTOR_WINDOW_MS, sample_rate_hz);
            self.full_rms[ch] = RmsDetect::with_window(Self::DETECTOR_WINDOW_MS, sample_rate_hz);
            self.ballistics[ch] = Ballistics::new(sample_rate_hz, s.attack_ms, s.release_ms, false);
            self.detect_filters[ch].iter_mut().for_each(Biquad::reset);
            self.suppress_filters[ch].reset();
        }
        let ramp = |style, v| Smoother::new(style, PARAMETER_RAMP_MS, sample_rate_hz, v);
        self.output = ramp(SmoothingStyle::Logarithmic, db_to_gain(s.output_db));
        self.bypass = ramp(SmoothingStyle::Linear, if s.bypass { 1.0 } else { 0.0 });
        self.apply_lookahead();
    }

    fn reset(&mut self) {
        for ch in 0..MAX_CHANNELS {
            self.detect_filters[ch].iter_mut().for_each(Biquad::reset);
            self.suppress_filters[ch].reset();
            crate::detector::Detect::reset(&mut self.band_rms[ch]);
            crate::detector::Detect::reset(&mut self.full_rms[ch]);
            self.ballistics[ch].reset();
        }
        for d in self.delays.iter_mut().chain(self.detect_band_delays.iter_mut()) {
            d.reset();
        }
        let s = self.settings;
        self.output.reset_to(db_to_gain(s.output_db));
        self.bypass.reset_to(if s.bypass { 1.0 } else { 0.0 });
    }

    fn latency_samples(&self) -> usize {
        self.delays.first().map_or(0, DelayLine::delay_samples)
    }
}
