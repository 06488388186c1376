//! Up to 16x oversampling as a cascade of 2x polyphase FIR stages, linear or minimum phase.
//!
//! Stage 1 (base rate to 2x and back) is the steep one: flat to 0.4167 of the base rate (20 kHz at
//! 48 kHz) and [`STOPBAND_DB`] down from half the base rate, so nothing that folds back lands below
//! the base Nyquist frequency. Later stages only have to remove images of that band, so they are
//! short half-band filters (every second tap is zero; the polyphase branch that holds the centre tap
//! is a plain delay). The minimum-phase filters have the same magnitude responses as the linear ones
//! and much lower delay.
//!
//! The coefficients depend on the factor and the phase only, never on the sample rate: the passband
//! is a fixed fraction of the base rate. Every stage of every factor and both phases are designed and
//! allocated in [`Oversampler::new`], so switching the factor or the phase never allocates.

use crate::fir_design::{kaiser_beta, kaiser_lowpass, kaiser_taps, minimum_phase};

/// Stopband attenuation of every stage, dB.
pub const STOPBAND_DB: f64 = 120.0;
/// Passband edge of stage 1 as a fraction of the base sample rate (20 kHz at 48 kHz).
pub const PASSBAND_EDGE: f64 = 20.0 / 48.0;
/// The most 2x stages the oversampler cascades (16x).
pub const MAX_STAGES: usize = 4;
/// Margin added to [`STOPBAND_DB`] in the Kaiser design: Kaiser's length formula is approximate and
/// falls up to about 2.5 dB short for these short half-band stages.
const DESIGN_MARGIN_DB: f64 = 3.0;
/// Floor of the magnitude in the minimum-phase design (linear, -160 dB).
const MINIMUM_PHASE_FLOOR: f64 = 1.0e-8;

/// Oversampling factor.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Oversampling {
    /// Process at the base rate.
    Off,
    /// 2x.
    X2,
    /// 4x.
    #[default]
    X4,
    /// 8x.
    X8,
    /// 16x.
    X16,
}

impl Oversampling {
    /// Every factor, lowest first.
    pub const ALL: [Self; 5] = [Self::Off, Self::X2, Self::X4, Self::X8, Self::X16];

    /// Number of 2x stages.
    pub fn stages(self) -> usize {
        match self {
            Self::Off => 0,
            Self::X2 => 1,
            Self::X4 => 2,
            Self::X8 => 3,
            Self::X16 => 4,
        }
    }

    /// The factor, `2^stages`.
    pub fn factor(self) -> usize {
        1 << self.stages()
    }

    /// Index into [`Self::ALL`].
    pub fn index(self) -> usize {
        self.stages()
    }
}

/// Phase response of the resampling filters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum FilterPhase {
    /// Symmetric FIRs: constant group delay, more latency.
    #[default]
    Linear,
    /// The minimum-phase FIRs with the same magnitude: little latency, phase shift near the band edge.
    Minimum,
}

impl FilterPhase {
    /// Both phases.
    pub const ALL: [Self; 2] = [Self::Linear, Self::Minimum];

    /// Index into [`Self::ALL`].
    pub fn index(self) -> usize {
        match self {
            Self::Linear => 0,
            Self::Minimum => 1,
        }
    }
}

/// The low-pass of one stage, designed at the stage's output rate (DC gain 1).
pub fn stage_design(stage: usize, phase: FilterPhase) -> Vec<f64> {
    let linear = if stage == 0 {
        // At 2x: pass to PASSBAND_EDGE/2, stop from 1/4 (the base Nyquist frequency).
        let pass = PASSBAND_EDGE / 2.0;
        let stop = 0.25;
        let a = STOPBAND_DB + DESIGN_MARGIN_DB;
        kaiser_lowpass(kaiser_taps(a, stop - pass), 0.5 * (pass + stop), kaiser_beta(a))
    } else {
        // Half-band: keep everything below half the base rate, remove its images above
        // (2^stage - 1/2) base rates. Transition width as a fraction of the output rate:
        let transition = 0.5 - 1.0 / (1u32 << (stage + 1)) as f64;
        let a = STOPBAND_DB + DESIGN_MARGIN_DB;
        // A half-band of 4k + 1 taps has zeros at both ends; 4k + 3 uses every tap.
        let taps = (kaiser_taps(a, transition) + 3) / 4 * 4 + 3 - 4;
        kaiser_lowpass(taps, 0.25, kaiser_beta(a))
    };
    match phase {
        FilterPhase::Linear => linear,
        FilterPhase::Minimum => {
            let len = linear.len();
            minimum_phase(&linear, len, MINIMUM_PHASE_FLOOR)
        }
    }
}

/// One polyphase branch of a 2x FIR: the taps `h[2j + p]` for `j` in `first..first + taps.len()`,
/// stored newest-last so a dot product with the oldest-first history window applies them.
#[derive(Debug, Clone)]
struct Branch {
    /// Branch taps in reverse order (f32).
    reversed: Vec<f32>,
    /// History length the branch needs: `first + taps.len()`.
    span: usize,
}

impl Branch {
    fn new(h: &[f64], parity: usize, gain: f64) -> Self {
        let taps: Vec<f64> = h.iter().skip(parity).step_by(2).map(|c| c * gain).collect();
        let first = taps.iter().position(|&c| c != 0.0).unwrap_or(0);
        let last = taps.iter().rposition(|&c| c != 0.0).map_or(first, |i| i + 1).max(first + 1);
        let reversed = taps[first..last].iter().rev().map(|&c| c as f32).collect();
        Self { reversed, span: last }
    }

    /// `Σ h[2j + p] x[newest - j]` over a window of the last `span` inputs, oldest first.
    #[inline]
    fn apply(&self, window: &[f32]) -> f32 {
        dot(&self.reversed, &window[..self.reversed.len()])
    }
}

/// Dot product with eight partial sums, so the compiler can vectorise it.
#[inline]
fn dot(a: &[f32], b: &[f32]) -> f32 {
    let mut acc = [0.0f32; 8];
    let chunks_a = a.chunks_exact(8);
    let chunks_b = b.chunks_exact(8);
    let tail: f32 = chunks_a.remainder().iter().zip(chunks_b.remainder()).map(|(x, y)| x * y).sum();
    for (ca, cb) in chunks_a.zip(chunks_b) {
        for k in 0..8 {
            acc[k] += ca[k] * cb[k];
        }
    }
    let s = ((acc[0] + acc[4]) + (acc[1] + acc[5])) + ((acc[2] + acc[6]) + (acc[3] + acc[7]));
    s + tail
}

/// A history of the last `span` samples, readable as one contiguous oldest-first slice.
#[derive(Debug, Clone)]
struct History {
    /// Twice `span` long: every sample is written twice, `span` apart.
    buffer: Vec<f32>,
    span: usize,
    pos: usize,
}

impl History {
    fn new(span: usize) -> Self {
        let span = span.max(1);
        Self { buffer: vec![0.0; 2 * span], span, pos: 0 }
    }

    #[inline]
    fn push(&mut self, x: f32) {
        self.buffer[self.pos] = x;
        self.buffer[self.pos + self.span] = x;
        self.pos += 1;
        if self.pos == self.span {
            self.pos = 0;
        }
    }

    /// The last `span` samples, oldest first; the newest is last.
    #[inline]
    fn window(&self) -> &[f32] {
        &self.buffer[self.pos..self.pos + self.span]
    }

    fn reset(&mut self) {
        self.buffer.fill(0.0);
        self.pos = 0;
    }
}

/// Coefficients of one 2x stage, split into polyphase branches for both directions.
#[derive(Debug, Clone)]
struct StageCoefficients {
    /// Interpolation branches (gain 2, making up for the zeros stuffed in).
    up: [Branch; 2],
    /// Decimation branches.
    down: [Branch; 2],
}

impl StageCoefficients {
    fn new(h: &[f64]) -> Self {
        Self {
            up: [Branch::new(h, 0, 2.0), Branch::new(h, 1, 2.0)],
            down: [Branch::new(h, 0, 1.0), Branch::new(h, 1, 1.0)],
        }
    }
}

/// Signal state of one stage for one channel.
#[derive(Debug, Clone)]
struct StageState {
    /// Interpolator input history (stage input rate).
    up: History,
    /// Decimator histories: even and odd input samples (stage output rate, taken in pairs).
    down: [History; 2],
}

impl StageState {
    fn new(c: &StageCoefficients) -> Self {
        let up_span = c.up[0].span.max(c.up[1].span);
        Self { up: History::new(up_span), down: [History::new(c.down[0].span), History::new(c.down[1].span)] }
    }

    fn reset(&mut self) {
        self.up.reset();
        self.down[0].reset();
        self.down[1].reset();
    }

    /// `input` at the stage input rate into `output` (twice as long).
    fn upsample(&mut self, c: &StageCoefficients, input: &[f32], output: &mut [f32]) {
        for (x, pair) in input.iter().zip(output.chunks_exact_mut(2)) {
            self.up.push(*x);
            let w = self.up.window();
            let span = w.len();
            pair[0] = c.up[0].apply(&w[span - c.up[0].span..]);
            pair[1] = c.up[1].apply(&w[span - c.up[1].span..]);
        }
    }

    /// `input` at the stage output rate into `output` (half as long): `y[i] = (h * s)[2i]`.
    fn downsample(&mut self, c: &StageCoefficients, input: &[f32], output: &mut [f32]) {
        for (pair, y) in input.chunks_exact(2).zip(output.iter_mut()) {
            self.down[0].push(pair[0]);
            *y = c.down[0].apply(self.down[0].window()) + c.down[1].apply(self.down[1].window());
            self.down[1].push(pair[1]);
        }
    }
}

/// Multichannel up/down sampler for every factor up to 16x, in linear or minimum phase.
#[derive(Debug, Clone)]
pub struct Oversampler {
    /// Coefficients per phase and stage.
    coefficients: [Vec<StageCoefficients>; 2],
    /// Signal state per channel, phase and stage.
    state: Vec<[Vec<StageState>; 2]>,
    /// Ping-pong scratch for the intermediate rates, `max_block * 16` long.
    scratch: [Vec<f32>; 2],
    /// Largest base-rate block `upsample`/`downsample` accept.
    max_block: usize,
    factor: Oversampling,
    phase: FilterPhase,
}

impl Oversampler {
    /// Designs and allocates every stage of every factor and phase for `channels` channels and
    /// base-rate blocks up to `max_block` samples.
    pub fn new(channels: usize, max_block: usize) -> Self {
        let coefficients = FilterPhase::ALL.map(|phase| {
            (0..MAX_STAGES).map(|s| StageCoefficients::new(&stage_design(s, phase))).collect::<Vec<_>>()
        });
        let state = (0..channels)
            .map(|_| [0, 1].map(|p| coefficients[p].iter().map(StageState::new).collect::<Vec<_>>()))
            .collect();
        let scratch_len = max_block * (1 << MAX_STAGES);
        Self {
            coefficients,
            state,
            scratch: [vec![0.0; scratch_len], vec![0.0; scratch_len]],
            max_block,
            factor: Oversampling::default(),
            phase: FilterPhase::default(),
        }
    }

    /// Largest base-rate block accepted.
    pub fn max_block(&self) -> usize {
        self.max_block
    }

    /// Selects the factor and phase; clears the signal state when either changes.
    pub fn set_config(&mut self, factor: Oversampling, phase: FilterPhase) {
        if factor != self.factor || phase != self.phase {
            self.factor = factor;
            self.phase = phase;
            self.reset();
        }
    }

    /// Current factor.
    pub fn factor(&self) -> Oversampling {
        self.factor
    }

    /// Current phase.
    pub fn phase(&self) -> FilterPhase {
        self.phase
    }

    /// Clears all filter histories.
    pub fn reset(&mut self) {
        for ch in &mut self.state {
            for phase in ch.iter_mut() {
                phase.iter_mut().for_each(StageState::reset);
            }
        }
    }

    /// Upsamples one channel's base-rate block into `output` (`input.len() * factor` long).
    ///
    /// # Panics
    /// If `input` is longer than `max_block` or `output` is shorter than `input.len() * factor`.
    pub fn upsample(&mut self, channel: usize, input: &[f32], output: &mut [f32]) {
        let stages = self.factor.stages();
        let n = input.len();
        assert!(n <= self.max_block);
        if stages == 0 {
            output[..n].copy_from_slice(input);
            return;
        }
        let p = self.phase.index();
        let [a, b] = &mut self.scratch;
        a[..n].copy_from_slice(input);
        let mut len = n;
        for s in 0..stages {
            let (src, dst) = if s % 2 == 0 { (&*a, &mut *b) } else { (&*b, &mut *a) };
            self.state[channel][p][s].upsample(&self.coefficients[p][s], &src[..len], &mut dst[..2 * len]);
            len *= 2;
        }
        let result = if stages % 2 == 1 { &*b } else { &*a };
        output[..len].copy_from_slice(&result[..len]);
    }

    /// Downsamples one channel's oversampled block (`output.len() * factor` long) into `output`.
    ///
    /// # Panics
    /// If `output` is longer than `max_block` or `input` is shorter than `output.len() * factor`.
    pub fn downsample(&mut self, channel: usize, input: &[f32], output: &mut [f32]) {
        let stages = self.factor.stages();
        let n = output.len();
        assert!(n <= self.max_block);
        if stages == 0 {
            output.copy_from_slice(&input[..n]);
            return;
        }
        let p = self.phase.index();
        let [a, b] = &mut self.scratch;
        let mut len = n << stages;
        a[..len].copy_from_slice(&input[..len]);
        for (i, s) in (0..stages).rev().enumerate() {
            let (src, dst) = if i % 2 == 0 { (&*a, &mut *b) } else { (&*b, &mut *a) };
            self.state[channel][p][s].downsample(&self.coefficients[p][s], &src[..len], &mut dst[..len / 2]);
            len /= 2;
        }
        let result = if stages % 2 == 1 { &*b } else { &*a };
        output.copy_from_slice(&result[..n]);
    }

    /// Delay of an up/down round trip with linear-phase filters, in samples at the oversampled rate
    /// (`Σ (taps_s - 1) 2^(stages - 1 - s)` over the stages).
    pub fn linear_round_trip_samples(factor: Oversampling) -> usize {
        let stages = factor.stages();
        (0..stages).map(|s| (stage_design(s, FilterPhase::Linear).len() - 1) << (stages - 1 - s)).sum()
    }
}
