//! The transient clipper: drive, oversampled ADAA clipping to a ceiling, Transient Only, stereo link,
//! mix, delta and a base-rate safety clip.
//!
//! Signal path per channel (levels in ceiling units, `v = x * drive / ceiling`):
//! 1. `v` is upsampled ([`Oversampler`], linear or minimum phase, Off to 16x).
//! 2. At the high rate: a padding delay makes the whole round trip a whole number of base samples;
//!    then the curve, through droop-compensated ADAA ([`AdaaClipper`]) when oversampling, plain
//!    when Off. `d` is the padded signal delayed like the clipper; the residual `r = d - clip(d)` is
//!    what clipping removes.
//! 3. Stereo link blends each channel's residual with the loudest channel's clipping ratio applied to
//!    it, so linked channels are turned down together.
//! 4. `out = d - g r` (or `g r` in Delta), with `g = mix * (1 - transient_only * (1 - mask))`, where
//!    the mask ([`TransientMask`]) is 1 on hits and 0 on the body. Below the knee `r == 0` and the
//!    output is the input, delayed.
//! 5. Downsampled, scaled back by the ceiling and the output gain; the safety clip holds every output
//!    sample within the ceiling; bypass crossfades to the input delayed by the latency.
//!
//! The latency depends only on the factor and the phase: it is the argmax of the chain's impulse
//! response, measured for every combination in [`TransientClipper::new`] (for linear phase it equals
//! the round trip `(Σ stage delays + padding + ADAA delay) / factor` exactly).

use crate::adaa::{droop_compensator, AdaaClipper};
use crate::clip_curve::{ClipCurve, CurveShape};
use crate::compressor::PARAMETER_RAMP_MS;
use crate::delay::DelayLine;
use crate::oversampler::{FilterPhase, Oversampler, Oversampling, PASSBAND_EDGE};
use crate::sanitize::sanitize;
use crate::smoother::{Smoother, SmoothingStyle};
use crate::transient_mask::TransientMask;
use crate::units::{db_to_gain, gain_to_db};
use crate::{DspUnit, MAX_CHANNELS};
use std::sync::OnceLock;

/// Internal block length in base-rate samples; host blocks are cut into pieces this long.
const SUB_BLOCK: usize = 64;
/// Fade-in after the factor or phase changed (the filters restart from silence), ms.
const SWITCH_FADE_MS: f32 = 5.0;
/// Base-rate samples the transient mask runs ahead of the audio it gates.
const MASK_LEAD_SAMPLES: usize = 1;
/// Base-rate samples run through the chain to find the latency (longer than any latency).
const LATENCY_PROBE_SAMPLES: usize = 1024;

/// Everything a user can set on a [`TransientClipper`]. Plain units throughout.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ClipperSettings {
    /// Gain into the clipper in dB (0–24).
    pub drive_db: f32,
    /// Clipping ceiling in dBFS (−24–0).
    pub ceiling_db: f32,
    /// Gain after the clipper in dB (−24–24); the safety clip still holds the ceiling.
    pub output_db: f32,
    /// How much of the clipping is applied, 0..1 (0 leaves the driven signal unclipped).
    pub mix: f32,
    /// Knee shape.
    pub curve: CurveShape,
    /// Knee width as a fraction of the ceiling, 0..1 (0: hard clip).
    pub softness: f32,
    /// Oversampling factor.
    pub oversampling: Oversampling,
    /// Resampling filter phase.
    pub phase: FilterPhase,
    /// 0..1: 0 clips everything; 1 clips only the hits and leaves the body untouched.
    pub transient_only: f32,
    /// Link between channels, 0..1.
    pub stereo_link: f32,
    /// Hard clip at the base rate so no output sample exceeds the ceiling.
    pub safety_clip: bool,
    /// Output what clipping removes instead of the result.
    pub delta: bool,
    /// Output the input delayed by the latency (ramped).
    pub bypass: bool,
}

impl ClipperSettings {
    /// Largest drive in dB.
    pub const MAX_DRIVE_DB: f32 = 24.0;
    /// Lowest ceiling in dBFS.
    pub const MIN_CEILING_DB: f32 = -24.0;
    /// Output gain limit in dB (both ways).
    pub const MAX_OUTPUT_DB: f32 = 24.0;
}

impl Default for ClipperSettings {
    /// A transparent start for a drum stem: no drive, ceiling at -1 dBFS, a Soft curve with a 30% knee,
    /// 4x linear-phase oversampling, clipping everything (Transient Only 0%), unlinked (each drum mic
    /// side clipped on its own), safety clip on.
    fn default() -> Self {
        Self {
            drive_db: 0.0,
            ceiling_db: -1.0,
            output_db: 0.0,
            mix: 1.0,
            curve: CurveShape::Soft,
            softness: 0.3,
            oversampling: Oversampling::X4,
            phase: FilterPhase::Linear,
            transient_only: 0.0,
            stereo_link: 0.0,
            safety_clip: true,
            delta: false,
            bypass: false,
        }
    }
}

/// Levels measured over one processed block, for meters.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ClipperMeters {
    /// Input sample peak per channel (linear).
    pub input_peak: [f32; MAX_CHANNELS],
    /// Output sample peak per channel (linear).
    pub output_peak: [f32; MAX_CHANNELS],
    /// How far the driven input went above the ceiling in the block, dB (`>= 0`).
    pub over_ceiling_db: f32,
    /// Samples the safety clip had to hold down in the block.
    pub safety_clipped: u32,
    /// How many input samples were NaN, infinite or huge and had to be replaced.
    pub bad_samples: u32,
}

impl Default for ClipperMeters {
    fn default() -> Self {
        Self {
            input_peak: [0.0; MAX_CHANNELS],
            output_peak: [0.0; MAX_CHANNELS],
            over_ceiling_db: 0.0,
            safety_clipped: 0,
            bad_samples: 0,
        }
    }
}

/// Per factor and phase: latency, padding and mask alignment.
#[derive(Debug, Clone, Copy, Default)]
struct Timing {
    /// Reported latency, base-rate samples.
    latency: usize,
    /// Padding at the high rate that makes the linear round trip whole base samples.
    padding: usize,
    /// Delay of the transient mask, base-rate samples.
    mask_delay: usize,
}

/// Per-channel state at the high rate.
#[derive(Debug, Clone)]
struct HighRateChannel {
    /// One ADAA clipper per factor (each with its own droop compensator); index 0 (Off) is unused.
    adaa: Vec<AdaaClipper>,
    /// Padding delay.
    padding: DelayLine,
    /// Delays the padded signal like the ADAA stage.
    align: DelayLine,
    /// Oversampled signal, then the mixed result, `SUB_BLOCK * 16` long.
    signal: Vec<f32>,
    /// Residual `d - clip(d)`.
    residual: Vec<f32>,
}

/// A multichannel oversampling transient clipper. See the module documentation for the signal path.
#[derive(Debug, Clone)]
pub struct TransientClipper {
    sample_rate_hz: f32,
    channels: usize,
    settings: ClipperSettings,
    curve: ClipCurve,
    oversampler: Oversampler,
    high: Vec<HighRateChannel>,
    /// Timing per factor (index) and phase (index).
    timing: [[Timing; 2]; 5],
    mask: TransientMask,
    mask_delay: DelayLine,
    /// Input delayed by the latency, for bypass.
    dry: Vec<DelayLine>,
    drive: Smoother,
    ceiling: Smoother,
    output: Smoother,
    mix: Smoother,
    transient_only: Smoother,
    bypass: Smoother,
    /// 0 → 1 after a factor or phase switch.
    switch_fade: Smoother,
    /// Whether audio went through since the last reset: only then does a switch need its fade-in
    /// (after a reset the filters are silent anyway, and hosts often send the settings with the first
    /// block).
    processed_since_reset: bool,
    /// Base-rate scratch: the scaled input, then the output before the output gain, per channel.
    base: Vec<[f32; SUB_BLOCK]>,
    /// The driven input (`x * drive`), per channel.
    driven: Vec<[f32; SUB_BLOCK]>,
    /// Clipping amount `g` per base sample.
    amount: [f32; SUB_BLOCK],
    /// Ceiling (linear) per base sample.
    ceiling_gain: [f32; SUB_BLOCK],
    /// The safety clip's limit: the ceiling setting as a linear gain, rounded down to an f32.
    safety_limit: f32,
}

impl TransientClipper {
    /// Creates a clipper for `channels` channels (at most [`MAX_CHANNELS`]) at `sample_rate_hz`, with the
    /// default settings. Designs every filter and measures the latency of every factor and phase.
    ///
    /// # Panics
    /// If `channels` is 0 or above [`MAX_CHANNELS`].
    pub fn new(channels: usize, sample_rate_hz: f32) -> Self {
        // NOTE: the timing depends on the filter designs only, never on the rate or the channel
        // count, so it is measured once per process.
        static TIMING: OnceLock<[[Timing; 2]; 5]> = OnceLock::new();
        let timing = *TIMING.get_or_init(|| {
            let mut probe = Self::uncalibrated(1, 48_000.0);
            probe.measure_timing();
            probe.timing
        });
        let mut c = Self::uncalibrated(channels, sample_rate_hz);
        c.timing = timing;
        c.apply_config();
        c.reset();
        c
    }

    /// Everything but the timing table.
    fn uncalibrated(channels: usize, sample_rate_hz: f32) -> Self {
        crate::clip_curve::prepare_tables();
        assert!((1..=MAX_CHANNELS).contains(&channels), "unsupported channel count {channels}");
        let compensators: Vec<Vec<f64>> = Oversampling::ALL
            .iter()
            .map(|f| if f.factor() == 1 { vec![0.5, 0.5] } else { droop_compensator(PASSBAND_EDGE / f.factor() as f64).0 })
            .collect();
        let max_os = SUB_BLOCK << crate::oversampler::MAX_STAGES;
        let high = (0..channels)
            .map(|_| HighRateChannel {
                adaa: compensators.iter().map(|c| AdaaClipper::new(c)).collect(),
                padding: DelayLine::new(Oversampling::X16.factor()),
                align: DelayLine::new(compensators.iter().map(|c| c.len() / 2).max().unwrap_or(1)),
                signal: vec![0.0; max_os],
                residual: vec![0.0; max_os],
            })
            .collect();
        let s = ClipperSettings::default();
        let ramp = |style, v| Smoother::new(style, PARAMETER_RAMP_MS, sample_rate_hz, v);
        let mut c = Self {
            sample_rate_hz,
            channels,
            settings: s,
            curve: ClipCurve::new(s.curve, s.softness),
            oversampler: Oversampler::new(channels, SUB_BLOCK),
            high,
            timing: [[Timing::default(); 2]; 5],
            mask: TransientMask::new(sample_rate_hz),
            mask_delay: DelayLine::new(LATENCY_PROBE_SAMPLES),
            dry: (0..channels).map(|_| DelayLine::new(LATENCY_PROBE_SAMPLES)).collect(),
            drive: ramp(SmoothingStyle::Logarithmic, 1.0),
            ceiling: ramp(SmoothingStyle::Logarithmic, db_to_gain(s.ceiling_db)),
            output: ramp(SmoothingStyle::Logarithmic, 1.0),
            mix: ramp(SmoothingStyle::Linear, s.mix),
            transient_only: ramp(SmoothingStyle::Linear, s.transient_only),
            bypass: ramp(SmoothingStyle::Linear, 0.0),
            switch_fade: Smoother::new(SmoothingStyle::Linear, SWITCH_FADE_MS, sample_rate_hz, 1.0),
            processed_since_reset: false,
            base: vec![[0.0; SUB_BLOCK]; channels],
            driven: vec![[0.0; SUB_BLOCK]; channels],
            amount: [0.0; SUB_BLOCK],
            ceiling_gain: [0.0; SUB_BLOCK],
            safety_limit: exact_gain_rounded_down(s.ceiling_db),
        };
        c.set_settings_immediately(&s);
        c
    }

    /// Fills the timing table: padding from the linear design, latency as the impulse argmax.
    fn measure_timing(&mut self) {
        let probe = ClipperSettings {
            drive_db: 0.0,
            ceiling_db: 0.0,
            output_db: 0.0,
            mix: 1.0,
            curve: CurveShape::Hard,
            softness: 0.0,
            transient_only: 0.0,
            stereo_link: 0.0,
            safety_clip: false,
            delta: false,
            bypass: false,
            ..ClipperSettings::default()
        };
        for factor in Oversampling::ALL {
            let m = factor.factor();
            let adaa_delay = if m == 1 { 0 } else { self.high[0].adaa[factor.index()].delay_samples() };
            let round_trip = Oversampler::linear_round_trip_samples(factor) + adaa_delay;
            let padding = (m - round_trip % m) % m;
            for phase in FilterPhase::ALL {
                self.timing[factor.index()][phase.index()] = Timing { latency: 0, padding, mask_delay: 0 };
                self.set_settings_immediately(&ClipperSettings { oversampling: factor, phase, ..probe });
                self.reset();
                let mut response = vec![0.0f32; LATENCY_PROBE_SAMPLES];
                response[0] = 0.5;
                self.process(&mut [response.as_mut_slice()]);
                let latency = argmax_abs(&response);
                let mask_delay = match phase {
                    FilterPhase::Linear => (round_trip / 2 + padding + adaa_delay) / m,
                    FilterPhase::Minimum => latency / 2,
                };
                self.timing[factor.index()][phase.index()] =
                    Timing { latency, padding, mask_delay: mask_delay.saturating_sub(MASK_LEAD_SAMPLES) };
            }
        }
    }

    /// The number of channels processed.
    pub fn channels(&self) -> usize {
        self.channels
    }

    /// The current settings (clamped into their ranges).
    pub fn settings(&self) -> &ClipperSettings {
        &self.settings
    }

    /// The curve in use, for drawing it.
    pub fn curve(&self) -> ClipCurve {
        self.curve
    }

    /// The latency in base-rate samples for a factor and phase (the same at every sample rate).
    pub fn latency_for(&self, factor: Oversampling, phase: FilterPhase) -> usize {
        self.timing[factor.index()][phase.index()].latency
    }

    /// Applies new settings. Does nothing when nothing changed; call it once per block. Gains, mix,
    /// Transient Only and bypass ramp (the link steps per block); a new factor or phase restarts the filters with a short
    /// fade-in and changes [`DspUnit::latency_samples`].
    pub fn set_settings(&mut self, s: &ClipperSettings) {
        let s = sanitize_settings(s);
        let old = self.settings;
        if s == old {
            return;
        }
        self.settings = s;
        if (s.curve, s.softness) != (old.curve, old.softness) {
            self.curve = ClipCurve::new(s.curve, s.softness);
            for h in &mut self.high {
                h.adaa.iter_mut().for_each(AdaaClipper::curve_changed);
            }
        }
        if (s.oversampling, s.phase) != (old.oversampling, old.phase) {
            self.apply_config();
            if self.processed_since_reset {
                self.switch_fade.reset_to(0.0);
                self.switch_fade.set_target(1.0);
            }
        }
        self.drive.set_target(db_to_gain(s.drive_db));
        self.ceiling.set_target(db_to_gain(s.ceiling_db));
        self.safety_limit = exact_gain_rounded_down(s.ceiling_db);
        self.output.set_target(db_to_gain(s.output_db));
        self.mix.set_target(s.mix);
        self.transient_only.set_target(s.transient_only);
        self.bypass.set_target(if s.bypass { 1.0 } else { 0.0 });
    }

    /// Like [`Self::set_settings`] but without ramps or fades. Use it when the plugin (re)starts.
    pub fn set_settings_immediately(&mut self, s: &ClipperSettings) {
        self.set_settings(s);
        let s = self.settings;
        self.drive.reset_to(db_to_gain(s.drive_db));
        self.ceiling.reset_to(db_to_gain(s.ceiling_db));
        self.output.reset_to(db_to_gain(s.output_db));
        self.mix.reset_to(s.mix);
        self.transient_only.reset_to(s.transient_only);
        self.bypass.reset_to(if s.bypass { 1.0 } else { 0.0 });
        self.switch_fade.reset_to(1.0);
    }

    /// Points the oversampler, delays and mask at the current factor and phase, and clears the
    /// high-rate state.
    fn apply_config(&mut self) {
        let s = self.settings;
        self.oversampler.set_config(s.oversampling, s.phase);
        let t = self.timing[s.oversampling.index()][s.phase.index()];
        let adaa_delay = self.high.first().map_or(0, |h| h.adaa[s.oversampling.index()].delay_samples());
        for h in &mut self.high {
            h.padding.set_delay_samples(t.padding);
            h.align.set_delay_samples(if s.oversampling == Oversampling::Off { 0 } else { adaa_delay });
            h.padding.reset();
            h.align.reset();
            h.adaa.iter_mut().for_each(AdaaClipper::reset);
        }
        self.mask_delay.set_delay_samples(t.mask_delay);
        for d in &mut self.dry {
            d.set_delay_samples(t.latency);
        }
    }

    /// Clips `audio` (one slice per channel, all the same length) in place.
    ///
    /// Returns the block's meters. Never allocates. Non-finite or huge samples are replaced by silence
    /// (see [`crate::sanitize`], as everywhere in the suite: a held +60 dBFS would blind the transient
    /// detector for a quarter of a second) and counted in [`ClipperMeters::bad_samples`].
    pub fn process(&mut self, audio: &mut [&mut [f32]]) -> ClipperMeters {
        let mut m = ClipperMeters::default();
        let channels = self.channels.min(audio.len());
        if channels == 0 {
            return m;
        }
        let len = audio[..channels].iter().map(|c| c.len()).min().unwrap_or(0);
        self.processed_since_reset |= len > 0;
        let mut over = 0.0f32;
        let mut start = 0;
        while start < len {
            let n = (len - start).min(SUB_BLOCK);
            self.process_sub_block(audio, channels, start, n, &mut m, &mut over);
            start += n;
        }
        m.over_ceiling_db = if over > 1.0 { gain_to_db(over) } else { 0.0 };
        m
    }

    fn process_sub_block(
        &mut self,
        audio: &mut [&mut [f32]],
        channels: usize,
        start: usize,
        n: usize,
        m: &mut ClipperMeters,
        over: &mut f32,
    ) {
        let s = self.settings;
        let factor = s.oversampling.factor();
        // 1. Base rate: sanitise, drive, normalise to the ceiling, transient mask, clipping amount.
        // NOTE: sample-major loops: the mask needs every channel's level at each sample.
        #[allow(clippy::needless_range_loop)]
        for i in 0..n {
            let drive = self.drive.next_value();
            let ceiling = self.ceiling.next_value();
            let inv_ceiling = 1.0 / ceiling;
            self.ceiling_gain[i] = ceiling;
            let mut level = 0.0f32;
            for ch in 0..channels {
                let (x, bad) = sanitize(audio[ch][start + i]);
                m.bad_samples += bad as u32;
                audio[ch][start + i] = x;
                m.input_peak[ch] = m.input_peak[ch].max(x.abs());
                let driven = x * drive;
                self.driven[ch][i] = driven;
                let v = driven * inv_ceiling;
                level = level.max(v.abs());
                self.base[ch][i] = v;
            }
            *over = over.max(level);
            let mask = self.mask_delay.tick(self.mask.tick(level));
            let transient_only = self.transient_only.next_value();
            self.amount[i] = self.mix.next_value() * (1.0 - transient_only * (1.0 - mask));
        }
        // 2. Up, clip, residual.
        let os_len = n * factor;
        for ch in 0..channels {
            let h = &mut self.high[ch];
            self.oversampler.upsample(ch, &self.base[ch][..n], &mut h.signal[..os_len]);
            if factor == 1 {
                for (x, r) in h.signal[..os_len].iter().zip(&mut h.residual[..os_len]) {
                    *r = *x - self.curve.apply(*x as f64) as f32;
                }
            } else {
                let adaa = &mut h.adaa[s.oversampling.index()];
                for (x, r) in h.signal[..os_len].iter_mut().zip(&mut h.residual[..os_len]) {
                    let padded = h.padding.tick(*x);
                    let clipped = adaa.tick(&self.curve, padded);
                    let d = h.align.tick(padded);
                    *x = d;
                    *r = d - clipped;
                }
            }
        }
        // 3. Stereo link on the residuals (the link applies per block).
        let link = s.stereo_link;
        if channels > 1 && link > 0.0 {
            for j in 0..os_len {
                let (mut loud, mut peak) = (0, 0.0f32);
                for ch in 0..channels {
                    let a = self.high[ch].signal[j].abs();
                    if a > peak {
                        loud = ch;
                        peak = a;
                    }
                }
                let ratio = if peak > 1e-12 {
                    (self.high[loud].residual[j] / self.high[loud].signal[j]).clamp(0.0, 1.0)
                } else {
                    0.0
                };
                for h in &mut self.high[..channels] {
                    let r = h.residual[j];
                    h.residual[j] = r + link * (ratio * h.signal[j] - r);
                }
            }
        }
        // 4. Mix (or delta), down, scale back to the ceiling.
        for ch in 0..channels {
            let h = &mut self.high[ch];
            if factor == 1 {
                // Built from the driven input itself, so below the knee (r == 0) the output is the
                // driven input bit for bit, whatever the ceiling.
                for i in 0..n {
                    let removed = self.ceiling_gain[i] * self.amount[i] * h.residual[i];
                    self.base[ch][i] = if s.delta { removed } else { self.driven[ch][i] - removed };
                }
                continue;
            }
            for (j, (x, r)) in h.signal[..os_len].iter_mut().zip(&h.residual[..os_len]).enumerate() {
                let g = self.amount[j / factor];
                *x = if s.delta { g * r } else { *x - g * r };
            }
            self.oversampler.downsample(ch, &h.signal[..os_len], &mut self.base[ch][..n]);
            for (y, c) in self.base[ch][..n].iter_mut().zip(&self.ceiling_gain[..n]) {
                *y *= c;
            }
        }
        // 5. Output gain, fade, safety clip, bypass.
        #[allow(clippy::needless_range_loop)]
        for i in 0..n {
            let output = self.output.next_value();
            let bypass = self.bypass.next_value();
            let fade = self.switch_fade.next_value();
            let ceiling = self.ceiling_gain[i];
            // A falling ceiling holds at once; a rising one follows its ramp.
            let limit = ceiling.min(self.safety_limit);
            for ch in 0..channels {
                let dry = self.dry[ch].tick(audio[ch][start + i]);
                let mut y = self.base[ch][i] * output * fade;
                if s.safety_clip && y.abs() > limit {
                    m.safety_clipped += 1;
                    y = limit.copysign(y);
                }
                y += bypass * (dry - y);
                audio[ch][start + i] = y;
                m.output_peak[ch] = m.output_peak[ch].max(y.abs());
            }
        }
    }
}

/// `10^(db/20)` as the largest f32 not above the exact value, so a limit never lets an ulp through.
fn exact_gain_rounded_down(db: f32) -> f32 {
    let exact = 10f64.powf(db as f64 / 20.0);
    let g = exact as f32;
    if g as f64 > exact {
        f32::from_bits(g.to_bits() - 1)
    } else {
        g
    }
}

/// Index of the largest magnitude (the first one on ties).
fn argmax_abs(x: &[f32]) -> usize {
    x.iter().enumerate().fold((0, -1.0f32), |(bi, bv), (i, v)| if v.abs() > bv { (i, v.abs()) } else { (bi, bv) }).0
}

/// Clamps settings into their legal ranges and replaces non-finite values by defaults.
fn sanitize_settings(s: &ClipperSettings) -> ClipperSettings {
    type S = ClipperSettings;
    let d = S::default();
    let f = |v: f32, dv: f32, lo: f32, hi: f32| if v.is_finite() { v.clamp(lo, hi) } else { dv.clamp(lo, hi) };
    ClipperSettings {
        drive_db: f(s.drive_db, d.drive_db, 0.0, S::MAX_DRIVE_DB),
        ceiling_db: f(s.ceiling_db, d.ceiling_db, S::MIN_CEILING_DB, 0.0),
        output_db: f(s.output_db, d.output_db, -S::MAX_OUTPUT_DB, S::MAX_OUTPUT_DB),
        mix: f(s.mix, d.mix, 0.0, 1.0),
        softness: f(s.softness, d.softness, 0.0, 1.0),
        transient_only: f(s.transient_only, d.transient_only, 0.0, 1.0),
        stereo_link: f(s.stereo_link, d.stereo_link, 0.0, 1.0),
        ..*s
    }
}

impl DspUnit for TransientClipper {
    fn set_sample_rate(&mut self, sample_rate_hz: f32) {
        self.sample_rate_hz = sample_rate_hz;
        self.mask.set_sample_rate(sample_rate_hz);
        let s = self.settings;
        let ramp = |style, v| Smoother::new(style, PARAMETER_RAMP_MS, sample_rate_hz, v);
        self.drive = ramp(SmoothingStyle::Logarithmic, db_to_gain(s.drive_db));
        self.ceiling = ramp(SmoothingStyle::Logarithmic, db_to_gain(s.ceiling_db));
        self.output = ramp(SmoothingStyle::Logarithmic, db_to_gain(s.output_db));
        self.mix = ramp(SmoothingStyle::Linear, s.mix);
        self.transient_only = ramp(SmoothingStyle::Linear, s.transient_only);
        self.bypass = ramp(SmoothingStyle::Linear, if s.bypass { 1.0 } else { 0.0 });
        self.switch_fade = Smoother::new(SmoothingStyle::Linear, SWITCH_FADE_MS, sample_rate_hz, 1.0);
        self.reset();
    }

    fn reset(&mut self) {
        self.apply_config();
        self.oversampler.reset();
        self.mask.reset();
        self.mask_delay.reset();
        for d in &mut self.dry {
            d.reset();
        }
        let s = self.settings;
        self.drive.reset_to(db_to_gain(s.drive_db));
        self.ceiling.reset_to(db_to_gain(s.ceiling_db));
        self.output.reset_to(db_to_gain(s.output_db));
        self.mix.reset_to(s.mix);
        self.transient_only.reset_to(s.transient_only);
        self.bypass.reset_to(if s.bypass { 1.0 } else { 0.0 });
        self.switch_fade.reset_to(1.0);
        self.processed_since_reset = false;
    }

    fn latency_samples(&self) -> usize {
        self.timing[self.settings.oversampling.index()][self.settings.phase.index()].latency
    }
}
