//! Streaming cross-correlation of two signals over lags of up to ±1 s, in bounded work per block.
//!
//! Finds the offset between a stem bus and its reference mix (and their polarity and gain) without
//! ever running one huge FFT on the audio thread. Both inputs are cut into partitions of `P`
//! samples; every partition is transformed once (zero-padded to `2P`, so segment correlations are
//! linear, not circular), and its spectrum is multiplied into one accumulator per partition offset
//! `k`: `A_k += S_j · conj(R_{j+k})`. The full correlation `C(d) = Σ_u s(u + d) · r(u)` at a lag
//! `d = -k·P + δ` (`0 ≤ δ < P`) is then the first half of `IFFT(A_k + (-1)^f · A_{k-1})` (the
//! `(-1)^f` factor is a circular shift by `P`). Each completed partition reads out a few of those
//! lag ranges, round robin, so the work per sample is fixed and a sweep of all lags takes about one
//! second of audio. The result is exact up to float rounding, for any block partition.
//!
//! A positive lag means the stems come later than the reference (`s(t) = r(t - d)`).

use std::sync::Arc;

use realfft::num_complex::Complex;
use realfft::{ComplexToReal, RealFftPlanner, RealToComplex};

use crate::DspUnit;

/// Lag ranges swept after each completed partition: a full sweep of the lags takes
/// `2K / SWEEP_PER_PARTITION` partitions (about one second at any rate). The range holding the best
/// lag so far, and its neighbour when that lag sits at the range's edge, are read again after every
/// partition, so the winner is always compared with its neighbours on the same data.
const SWEEP_PER_PARTITION: usize = 2;

/// The best lag found, with what the correlation says there.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct CorrelationPeak {
    /// Lag in samples; positive when the stems are late.
    pub lag_samples: i64,
    /// Correlation at that lag, normalised by both energies: +1 for identical signals, -1 for a
    /// polarity flip, near 0 for unrelated ones.
    pub normalized: f32,
    /// Least-squares gain from the stems to the reference at that lag (`C(d) / E_stems`), signed.
    pub gain: f32,
    /// Reference energy over stem energy, in dB (positive: the reference is louder).
    pub level_ratio_db: f32,
}

/// Energies of both inputs when a lag range was read out, so each stored peak is normalised by
/// the data it was computed from.
#[derive(Debug, Clone, Copy, Default)]
struct Readout {
    /// Peak correlation value (signed) in this lag range.
    value: f64,
    /// Its lag in samples.
    lag: i64,
    /// Its position `δ` in the range, `0..P`.
    delta: usize,
    /// Stem energy at readout time.
    stems_energy: f64,
    /// Reference energy at readout time.
    reference_energy: f64,
}

/// Streaming cross-correlator with an optional forgetting factor (1 = everything since the last
/// reset counts equally).
pub struct CrossCorrelator {
    sample_rate_hz: f32,
    /// Largest lag searched, in seconds.
    max_lag_s: f32,
    /// Forgetting time constant in seconds; `None` keeps everything since the last reset.
    memory_s: Option<f32>,
    /// Partition length `P` in samples.
    partition: usize,
    /// Largest partition offset `K`: accumulators run from `-K` to `K`.
    max_offset: usize,
    /// Largest lag searched, in samples.
    max_lag: i64,
    /// Per-partition decay of the accumulators and energies.
    decay: f64,
    forward: Arc<dyn RealToComplex<f32>>,
    inverse: Arc<dyn ComplexToReal<f32>>,
    /// Samples of the current partition, stems and reference.
    fill_stems: Vec<f32>,
    fill_reference: Vec<f32>,
    /// Samples in the current partition so far.
    filled: usize,
    /// The last `K + 1` partition spectra of each input, newest at `newest`.
    stems_spectra: Vec<Vec<Complex<f32>>>,
    reference_spectra: Vec<Vec<Complex<f32>>>,
    /// Index of the newest spectrum in the two histories.
    newest: usize,
    /// Partitions completed since the last reset.
    partitions: u64,
    /// Accumulators `A_k` for `k = -K..=K`, at index `k + K`.
    accumulators: Vec<Vec<Complex<f32>>>,
    /// Energies of both inputs, decayed like the accumulators.
    stems_energy: f64,
    reference_energy: f64,
    /// Best value per readout range `k0 = -K+1..=K` (index `k0 + K - 1`).
    readouts: Vec<Option<Readout>>,
    /// Next readout range in the sweep.
    next_readout: usize,
    /// FFT work buffers.
    frame: Vec<f32>,
    spectrum: Vec<Complex<f32>>,
    scratch: Vec<Complex<f32>>,
}

impl CrossCorrelator {
    /// A correlator searching lags within `±max_lag_s`, forgetting with time constant `memory_s`
    /// (`None`: keep everything since the last reset). Allocates.
    pub fn new(sample_rate_hz: f32, max_lag_s: f32, memory_s: Option<f32>) -> Self {
        let mut c = Self {
            sample_rate_hz: 0.0,
            max_lag_s,
            memory_s,
            partition: 0,
            max_offset: 0,
            max_lag: 0,
            decay: 1.0,
            forward: RealFftPlanner::<f32>::new().plan_fft_forward(2),
            inverse: RealFftPlanner::<f32>::new().plan_fft_inverse(2),
            fill_stems: Vec::new(),
            fill_reference: Vec::new(),
            filled: 0,
            stems_spectra: Vec::new(),
            reference_spectra: Vec::new(),
            newest: 0,
            partitions: 0,
            accumulators: Vec::new(),
            stems_energy: 0.0,
            reference_energy: 0.0,
            readouts: Vec::new(),
            next_readout: 0,
            frame: Vec::new(),
            spectrum: Vec::new(),
            scratch: Vec::new(),
        };
        c.set_sample_rate(sample_rate_hz);
        c
    }

    /// Partition length for a sample rate: a power of two near `rate / 12`, so about 12 partitions
    /// span a second at every rate and the work per sample stays the same.
    pub fn partition_for_rate(sample_rate_hz: f32) -> usize {
        ((sample_rate_hz / 12.0).max(64.0) as usize).next_power_of_two()
    }

    /// Partition length `P` in samples.
    pub fn partition_samples(&self) -> usize {
        self.partition
    }

    /// Largest lag searched, in samples.
    pub fn max_lag_samples(&self) -> i64 {
        self.max_lag
    }

    /// Partitions completed since the last reset.
    pub fn partitions_completed(&self) -> u64 {
        self.partitions
    }

    /// Feeds one block of the mono stems and reference (equal lengths).
    pub fn process(&mut self, stems: &[f32], reference: &[f32]) {
        debug_assert_eq!(stems.len(), reference.len());
        let n = stems.len().min(reference.len());
        let mut pos = 0;
        while pos < n {
            let take = (self.partition - self.filled).min(n - pos);
            self.fill_stems[self.filled..self.filled + take].copy_from_slice(&stems[pos..pos + take]);
            self.fill_reference[self.filled..self.filled + take].copy_from_slice(&reference[pos..pos + take]);
            self.filled += take;
            pos += take;
            if self.filled == self.partition {
                self.complete_partition();
                self.filled = 0;
            }
        }
    }

    /// The best lag read out so far (the largest |normalised correlation| over all swept ranges),
    /// or `None` before the first readout or while either input has been silent.
    pub fn peak(&self) -> Option<CorrelationPeak> {
        let best = self.readouts[self.best_index()?]?;
        let norm = (best.stems_energy * best.reference_energy).sqrt();
        Some(CorrelationPeak {
            lag_samples: best.lag,
            normalized: (best.value / norm).clamp(-1.0, 1.0) as f32,
            gain: (best.value / best.stems_energy) as f32,
            level_ratio_db: (10.0 * (best.reference_energy / best.stems_energy).log10()) as f32,
        })
    }

    /// Index of the readout with the largest |normalised correlation|, if any is usable.
    fn best_index(&self) -> Option<usize> {
        let normalized = |r: &Readout| {
            let norm = (r.stems_energy * r.reference_energy).sqrt();
            if norm > 1e-20 {
                (r.value / norm).abs()
            } else {
                -1.0
            }
        };
        let (index, best) = self
            .readouts
            .iter()
            .enumerate()
            .filter_map(|(i, r)| r.map(|r| (i, normalized(&r))))
            .max_by(|a, b| a.1.total_cmp(&b.1))?;
        (best >= 0.0).then_some(index)
    }

    /// Transforms the completed partition, updates the accumulators and reads out the next ranges.
    fn complete_partition(&mut self) {
        let slots = self.max_offset + 1;
        self.newest = (self.newest + 1) % slots;
        let newest = self.newest;
        self.stems_energy = self.stems_energy * self.decay + energy(&self.fill_stems);
        self.reference_energy = self.reference_energy * self.decay + energy(&self.fill_reference);
        self.transform(true);
        self.transform(false);
        self.partitions += 1;

        let k_max = self.max_offset as i64;
        for acc in &mut self.accumulators {
            if self.decay < 1.0 {
                let d = self.decay as f32;
                acc.iter_mut().for_each(|x| *x *= d);
            }
        }
        // New pairs with the newest partition m: for k >= 0, S_{m-k} · conj(R_m); for k < 0,
        // S_m · conj(R_{m+k}). Partitions before the reset do not exist.
        let available = (self.partitions - 1).min(k_max as u64) as i64;
        for k in -available..=available {
            let back = k.unsigned_abs() as usize;
            let old = (newest + slots - back) % slots;
            let (s, r) = if k >= 0 { (old, newest) } else { (newest, old) };
            let acc = &mut self.accumulators[(k + k_max) as usize];
            for ((a, x), y) in acc.iter_mut().zip(&self.stems_spectra[s]).zip(&self.reference_spectra[r]) {
                *a += x * y.conj();
            }
        }
        let mut done = [usize::MAX; SWEEP_PER_PARTITION + 2];
        for slot in done.iter_mut().take(SWEEP_PER_PARTITION) {
            self.read_out(self.next_readout);
            *slot = self.next_readout;
            self.next_readout = (self.next_readout + 1) % self.readouts.len();
        }
        // Refresh the winner's range and, if the winner sits at its edge, the neighbouring range, so
        // neighbouring lags are compared on the same data.
        if let Some(best) = self.best_index() {
            if !done.contains(&best) {
                self.read_out(best);
                done[SWEEP_PER_PARTITION] = best;
            }
            if let Some(r) = self.readouts[best] {
                // Lag d - 1 at δ = 0 lives in range k0 + 1 (index + 1); lag d + 1 at δ = P - 1 in
                // range k0 - 1 (index - 1).
                let neighbour = if r.delta == 0 {
                    Some(best + 1)
                } else if r.delta + 1 == self.partition {
                    best.checked_sub(1)
                } else {
                    None
                };
                if let Some(n) = neighbour.filter(|&n| n < self.readouts.len() && !done.contains(&n)) {
                    self.read_out(n);
                }
            }
        }
    }

    /// Zero-padded forward transform of the current partition of one input into its history slot.
    fn transform(&mut self, stems: bool) {
        let p = self.partition;
        let (src, history) = if stems {
            (&self.fill_stems, &mut self.stems_spectra)
        } else {
            (&self.fill_reference, &mut self.reference_spectra)
        };
        self.frame[..p].copy_from_slice(src);
        self.frame[p..].iter_mut().for_each(|x| *x = 0.0);
        let _ = self.forward.process_with_scratch(&mut self.frame, &mut history[self.newest], &mut self.scratch);
    }

    /// Reads out range `index` (`k0 = index - K + 1`): lags `d = -k0·P + δ`, `0 ≤ δ < P`.
    fn read_out(&mut self, index: usize) {
        let k_max = self.max_offset as i64;
        let k0 = index as i64 - k_max + 1;
        let a = &self.accumulators[(k0 + k_max) as usize];
        let b = &self.accumulators[(k0 - 1 + k_max) as usize];
        for (f, ((out, x), y)) in self.spectrum.iter_mut().zip(a).zip(b).enumerate() {
            *out = if f % 2 == 0 { x + y } else { x - y };
        }
        let last = self.spectrum.len() - 1;
        self.spectrum[0].im = 0.0;
        self.spectrum[last].im = 0.0;
        let _ = self.inverse.process_with_scratch(&mut self.spectrum, &mut self.frame, &mut self.scratch);
        // realfft's inverse is unnormalised: scale by 1 / 2P.
        let scale = 1.0 / (2 * self.partition) as f64;
        let mut best: Option<Readout> = None;
        for (delta, &v) in self.frame[..self.partition].iter().enumerate() {
            let lag = -k0 * self.partition as i64 + delta as i64;
            if lag.abs() > self.max_lag {
                continue;
            }
            let value = v as f64 * scale;
            if best.is_none_or(|b| value.abs() > b.value.abs()) {
                best = Some(Readout { value, lag, delta, stems_energy: self.stems_energy, reference_energy: self.reference_energy });
            }
        }
        self.readouts[index] = best;
    }
}

/// Sum of squares, in f64.
fn energy(x: &[f32]) -> f64 {
    x.iter().map(|&v| v as f64 * v as f64).sum()
}

impl DspUnit for CrossCorrelator {
    fn set_sample_rate(&mut self, sample_rate_hz: f32) {
        self.sample_rate_hz = sample_rate_hz;
        let p = Self::partition_for_rate(sample_rate_hz);
        self.partition = p;
        self.max_lag = (self.max_lag_s * sample_rate_hz).round().max(0.0) as i64;
        self.max_offset = self.max_lag as usize / p + 1;
        self.decay = match self.memory_s {
            Some(t) if t > 0.0 => (-(p as f64) / (t as f64 * sample_rate_hz as f64)).exp(),
            _ => 1.0,
        };
        let mut planner = RealFftPlanner::<f32>::new();
        self.forward = planner.plan_fft_forward(2 * p);
        self.inverse = planner.plan_fft_inverse(2 * p);
        let bins = p + 1;
        let slots = self.max_offset + 1;
        self.fill_stems = vec![0.0; p];
        self.fill_reference = vec![0.0; p];
        self.stems_spectra = vec![vec![Complex::default(); bins]; slots];
        self.reference_spectra = vec![vec![Complex::default(); bins]; slots];
        self.accumulators = vec![vec![Complex::default(); bins]; 2 * self.max_offset + 1];
        self.readouts = vec![None; 2 * self.max_offset];
        self.frame = vec![0.0; 2 * p];
        self.spectrum = vec![Complex::default(); bins];
        let scratch = self.forward.get_scratch_len().max(self.inverse.get_scratch_len());
        self.scratch = vec![Complex::default(); scratch];
        self.reset();
    }

    fn reset(&mut self) {
        self.filled = 0;
        self.newest = 0;
        self.partitions = 0;
        self.stems_energy = 0.0;
        self.reference_energy = 0.0;
        self.next_readout = 0;
        for acc in &mut self.accumulators {
            acc.iter_mut().for_each(|x| *x = Complex::default());
        }
        self.readouts.iter_mut().for_each(|r| *r = None);
    }
}
