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
        let taps = (kaiser_taps(a, transition) + 1).div_ceil(4) * 4 - 1;
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

/// One polyphase branch of a 2x FIR: `y[m] = Σ_j h[2j + p] x[m - j]`, keeping only the taps from the
/// first to the last non-zero one (`j` in `first..first + taps.len()`), optionally delayed.
#[derive(Debug, Clone)]
struct Branch {
    /// `h[2j + p]` for `j = first, first + 1, ...` (f32).
    taps: Vec<f32>,
    /// Index `j` of the first tap.
    first: usize,
}

impl Branch {
    /// The taps of parity `parity` scaled by `gain`, delayed by `delay` input samples.
    fn new(h: &[f64], parity: usize, gain: f64, delay: usize) -> Self {
        let taps: Vec<f64> = h.iter().skip(parity).step_by(2).map(|c| c * gain).collect();
        let first = taps.iter().position(|&c| c != 0.0).unwrap_or(0);
        let last = taps.iter().rposition(|&c| c != 0.0).map_or(first, |i| i + 1).max(first + 1);
        Self { taps: taps[first..last].iter().map(|&c| c as f32).collect(), first: first + delay }
    }

    /// Past inputs the branch reads: `first + taps.len() - 1`.
    fn history(&self) -> usize {
        self.first + self.taps.len() - 1
    }

    /// Convolves a block. `data` is `history` past samples followed by the block; `out` receives one
    /// output per block sample. Loops over taps outside and samples inside, so the inner loop is a
    /// vectorisable multiply-add over contiguous samples; every output still sums its taps in order,
    /// so the result does not depend on how the signal is cut into blocks.
    #[inline]
    fn convolve(&self, data: &[f32], history: usize, out: &mut [f32]) {
        let n = out.len();
        out.fill(0.0);
        for (k, &c) in self.taps.iter().enumerate() {
            let start = history - (self.first + k);
            for (o, x) in out.iter_mut().zip(&data[start..start + n]) {
                *o += c * x;
            }
        }
    }
}

/// Past samples followed by room for one block, so a block and its history are one contiguous slice.
#[derive(Debug, Clone)]
struct BlockHistory {
    buffer: Vec<f32>,
    /// Past samples kept in front of the block.
    history: usize,
}

impl BlockHistory {
    fn new(history: usize, max_block: usize) -> Self {
        Self { buffer: vec![0.0; history + max_block], history }
    }

    /// The history followed by `n` new samples written by `fill`.
    #[inline]
    fn load(&mut self, n: usize, fill: impl FnOnce(&mut [f32])) -> &[f32] {
        fill(&mut self.buffer[self.history..self.history + n]);
        &self.buffer[..self.history + n]
    }

    /// Keeps the last `history` samples of the `n` just loaded for the next block.
    #[inline]
    fn commit(&mut self, n: usize) {
        self.buffer.copy_within(n..n + self.history, 0);
    }

    fn reset(&mut self) {
        self.buffer.fill(0.0);
    }
}

/// Coefficients of one 2x stage, split into polyphase branches for both directions.
#[derive(Debug, Clone)]
struct StageCoefficients {
    /// Interpolation branches (gain 2, making up for the zeros stuffed in).
    up: [Branch; 2],
    /// Decimation branches: even input samples, and odd ones one pair later (see `downsample`).
    down: [Branch; 2],
}

impl StageCoefficients {
    fn new(h: &[f64]) -> Self {
        Self {
            up: [Branch::new(h, 0, 2.0, 0), Branch::new(h, 1, 2.0, 0)],
            down: [Branch::new(h, 0, 1.0, 0), Branch::new(h, 1, 1.0, 1)],
        }
    }
}

/// Signal state of one stage for one channel.
#[derive(Debug, Clone)]
struct StageState {
    /// Interpolator input (stage input rate).
    up: BlockHistory,
    /// Decimator input, split into the even and the odd samples of each pair.
    down: [BlockHistory; 2],
}

impl StageState {
    /// State for blocks of up to `max_input` samples at the stage's input (lower) rate.
    fn new(c: &StageCoefficients, max_input: usize) -> Self {
        let up = c.up[0].history().max(c.up[1].history());
        Self {
            up: BlockHistory::new(up, max_input),
            down: [BlockHistory::new(c.down[0].history(), max_input), BlockHistory::new(c.down[1].history(), max_input)],
        }
    }

    fn reset(&mut self) {
        self.up.reset();
        self.down[0].reset();
        self.down[1].reset();
    }

    /// `input` at the stage input rate into `output` (twice as long); `scratch` holds `2 * input.len()`.
    fn upsample(&mut self, c: &StageCoefficients, input: &[f32], output: &mut [f32], scratch: &mut [f32]) {
        let n = input.len();
        let history = self.up.history;
        let data = self.up.load(n, |d| d.copy_from_slice(input));
        let (even, odd) = scratch[..2 * n].split_at_mut(n);
        c.up[0].convolve(data, history, even);
        c.up[1].convolve(data, history, odd);
        for ((pair, e), o) in output.chunks_exact_mut(2).zip(even.iter()).zip(odd.iter()) {
            pair[0] = *e;
            pair[1] = *o;
        }
        self.up.commit(n);
    }

    /// `input` at the stage output rate into `output` (half as long): `y[i] = (h * s)[2i]`.
    ///
    /// With `e[i] = s[2i]` and `o[i] = s[2i + 1]`: `y[i] = Σ h[2j] e[i - j] + Σ h[2j + 1] o[i - 1 - j]`,
    /// hence the one-sample delay on the odd branch. `scratch` holds `output.len()`.
    fn downsample(&mut self, c: &StageCoefficients, input: &[f32], output: &mut [f32], scratch: &mut [f32]) {
        let n = output.len();
        let [even_history, odd_history] = &mut self.down;
        let (he, ho) = (even_history.history, odd_history.history);
        let odd_part = &mut scratch[..n];
        {
            let data = odd_history.load(n, |d| d.iter_mut().zip(input.chunks_exact(2)).for_each(|(x, p)| *x = p[1]));
            c.down[1].convolve(data, ho, odd_part);
        }
        let data = even_history.load(n, |d| d.iter_mut().zip(input.chunks_exact(2)).for_each(|(x, p)| *x = p[0]));
        c.down[0].convolve(data, he, output);
        for (y, o) in output.iter_mut().zip(odd_part.iter()) {
            *y += *o;
        }
        even_history.commit(n);
        odd_history.commit(n);
    }
}

/// Multichannel up/down sampler for every factor up to 16x, in linear or minimum phase.
#[derive(Debug, Clone)]
pub struct Oversampler {
    /// Coefficients per phase and stage.
    coefficients: [Vec<StageCoefficients>; 2],
    /// Signal state per channel, phase and stage.
    state: Vec<[Vec<StageState>; 2]>,
    /// Ping-pong buffers for the intermediate rates, `max_block * 16` long.
    scratch: [Vec<f32>; 2],
    /// Per-stage working space, `max_block * 16` long.
    work: Vec<f32>,
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
            .map(|_| {
                [0, 1].map(|p| {
                    coefficients[p].iter().enumerate().map(|(s, c)| StageState::new(c, max_block << s)).collect::<Vec<_>>()
                })
            })
            .collect();
        let scratch_len = max_block * (1 << MAX_STAGES);
        Self {
            coefficients,
            state,
            scratch: [vec![0.0; scratch_len], vec![0.0; scratch_len]],
            work: vec![0.0; scratch_len],
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
            self.state[channel][p][s].upsample(&self.coefficients[p][s], &src[..len], &mut dst[..2 * len], &mut self.work);
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
            self.state[channel][p][s].downsample(&self.coefficients[p][s], &src[..len], &mut dst[..len / 2], &mut self.work);
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
