//! A streaming short-time Fourier transform with overlap-add, for spectral processors.

use crate::sanitize::sanitize;
use crate::MAX_CHANNELS;
use realfft::num_complex::Complex;
use realfft::{ComplexToReal, RealFftPlanner, RealToComplex};
use std::f64::consts::PI;
use std::sync::Arc;

/// The FFT sizes a [`Stft`] can run at.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum FftSize {
    /// 1024 samples (hop 256).
    N1024,
    /// 2048 samples (hop 512).
    #[default]
    N2048,
    /// 4096 samples (hop 1024).
    N4096,
}

impl FftSize {
    /// Every size, smallest first.
    pub const ALL: [FftSize; 3] = [FftSize::N1024, FftSize::N2048, FftSize::N4096];
    /// The largest size in samples; [`Stft`] buffers are this long.
    pub const MAX_SAMPLES: usize = 4096;

    /// Frame length in samples.
    pub const fn samples(self) -> usize {
        match self {
            FftSize::N1024 => 1024,
            FftSize::N2048 => 2048,
            FftSize::N4096 => 4096,
        }
    }

    /// Hop (frame advance) in samples: a quarter of the frame.
    pub const fn hop(self) -> usize {
        self.samples() / 4
    }

    /// Number of bins of the real FFT, `samples / 2 + 1` (DC to Nyquist).
    pub const fn bins(self) -> usize {
        self.samples() / 2 + 1
    }

    /// Position in [`Self::ALL`].
    pub const fn index(self) -> usize {
        match self {
            FftSize::N1024 => 0,
            FftSize::N2048 => 1,
            FftSize::N4096 => 2,
        }
    }
}

/// Frames a channel must have been synthesised for before its accumulator is complete (`N / hop`).
const WARM_FRAMES: u8 = 4;

/// Sum over the four overlapping frames of the squared periodic Hann window at hop `N/4`: exactly
/// 3/2 at every sample.
const HANN_SQUARED_OVERLAP: f64 = 1.5;

/// One analysed frame, handed to the callback of [`Stft::process`]: the spectra of the synthesised
/// audio channels (modify them in place) and of the analysed sidechain channels (read only).
///
/// Spectra are unnormalised real FFTs of the Hann-windowed frame: bin `k` of a sine of amplitude `A`
/// centred on bin `k` has magnitude `A * N / 4`.
pub struct StftFrame<'a> {
    /// Number of bins, `N / 2 + 1`.
    bins: usize,
    /// Audio spectra, one per audio channel (only those with `synthesise` set are current).
    audio: &'a mut [Vec<Complex<f32>>],
    /// Sidechain spectra, one per sidechain channel (only those with `analyse` set are current).
    sidechain: &'a [Vec<Complex<f32>>],
    /// Which audio channels were analysed and will be synthesised.
    synthesise: [bool; MAX_CHANNELS],
    /// Which sidechain channels were analysed.
    analyse: [bool; MAX_CHANNELS],
}

impl StftFrame<'_> {
    /// Number of bins, `N / 2 + 1`.
    pub fn bins(&self) -> usize {
        self.bins
    }

    /// The spectrum of audio channel `ch`, if that channel is synthesised.
    pub fn audio(&self, ch: usize) -> Option<&[Complex<f32>]> {
        let live = ch < self.audio.len() && self.synthesise[ch];
        live.then(|| &self.audio[ch][..self.bins])
    }

    /// The spectrum of audio channel `ch` to modify in place, if that channel is synthesised.
    pub fn audio_mut(&mut self, ch: usize) -> Option<&mut [Complex<f32>]> {
        let live = ch < self.audio.len() && self.synthesise[ch];
        live.then(|| &mut self.audio[ch][..self.bins])
    }

    /// The spectrum of sidechain channel `ch`, if that channel is analysed.
    pub fn sidechain(&self, ch: usize) -> Option<&[Complex<f32>]> {
        let live = ch < self.sidechain.len() && self.analyse[ch];
        live.then(|| &self.sidechain[ch][..self.bins])
    }
}

/// Streaming STFT with overlap-add over several audio channels, plus analysis-only sidechain
/// channels.
///
/// **Design.** Each channel keeps a ring of its last `N` input samples. Every hop (`N/4`) samples a
/// frame ending at the current sample is multiplied by a periodic Hann window and transformed; the
/// callback sees every spectrum of that frame at once and may change the audio ones; each audio
/// spectrum is transformed back, multiplied by the synthesis window and added into an accumulator.
/// Output sample `t` is the completed accumulator sample `t - (N - 1)`, so the latency is exactly
/// `N - 1` samples. Frames fall at fixed times counted from the last reset, so the output is
/// bit-identical for any block partition.
///
/// **Scaling.** The synthesis window is the Hann window divided by `1.5 N`: the inverse FFT is
/// unnormalised (a factor `N`) and the squared periodic Hann window sums to exactly 3/2 at hop `N/4`.
/// Analysis and synthesis with unchanged spectra are therefore an identity up to float rounding.
/// Since the window is zero at a frame's first sample, that sample is never overlap-added.
///
/// **Channels.** Audio channels whose `synthesise` flag is clear skip the FFTs and are delayed by
/// exactly `N - 1` samples (bit-exact). A channel switched on mid-stream outputs the delayed input
/// until its accumulator holds four complete frames, then the processed signal; switched off, it
/// goes straight to the delayed input. Sidechain channels whose `analyse` flag is clear skip the FFT.
///
/// **Input.** NaN, infinities and samples above [`crate::sanitize::MAX_SAMPLE`] are replaced by zero
/// as they enter (see [`sanitize`]), so the output is always finite.
///
/// All three FFT sizes are planned, and every buffer is sized for 4096, in [`Self::new`];
/// processing and size changes never allocate.
pub struct Stft {
    /// Number of audio channels.
    channels: usize,
    /// Number of sidechain channels.
    sidechains: usize,
    /// Current FFT size.
    size: FftSize,
    /// Forward plans, indexed by [`FftSize::index`].
    forward: [Arc<dyn RealToComplex<f32>>; 3],
    /// Inverse plans, indexed by [`FftSize::index`].
    inverse: [Arc<dyn ComplexToReal<f32>>; 3],
    /// Periodic Hann analysis window per size.
    analysis: [Vec<f32>; 3],
    /// Synthesis window per size: periodic Hann / (1.5 N).
    synthesis: [Vec<f32>; 3],
    /// Per audio channel, the last `N` sanitised inputs; sample `t` at slot `t mod N`.
    input: Vec<Vec<f32>>,
    /// Per audio channel, the overlap-add accumulator; output position `p` at slot `(p - 1) mod N`.
    accum: Vec<Vec<f32>>,
    /// Per sidechain channel, the last `N` sanitised inputs.
    side_input: Vec<Vec<f32>>,
    /// Per audio channel, the spectrum of the current frame.
    spectra: Vec<Vec<Complex<f32>>>,
    /// Per sidechain channel, the spectrum of the current frame.
    side_spectra: Vec<Vec<Complex<f32>>>,
    /// Time-domain frame buffer, `MAX_SAMPLES` long.
    frame: Vec<f32>,
    /// FFT scratch, long enough for every plan.
    scratch: Vec<Complex<f32>>,
    /// Slot of the next input sample, `t mod N`.
    pos: usize,
    /// Audio channels analysed and resynthesised (the others are only delayed).
    synthesise: [bool; MAX_CHANNELS],
    /// Sidechain channels analysed.
    analyse: [bool; MAX_CHANNELS],
    /// Frames synthesised per audio channel since it was switched on, up to [`WARM_FRAMES`].
    warm: [u8; MAX_CHANNELS],
    /// No sample went through since the last reset (a switch needs no warm-up then).
    fresh: bool,
}

impl std::fmt::Debug for Stft {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Stft")
            .field("channels", &self.channels)
            .field("sidechains", &self.sidechains)
            .field("size", &self.size)
            .field("pos", &self.pos)
            .finish_non_exhaustive()
    }
}

impl Stft {
    /// Plans every FFT size and allocates every buffer for `channels` audio and `sidechains`
    /// sidechain channels. All channels start synthesised / analysed.
    ///
    /// # Panics
    /// If either count is above [`MAX_CHANNELS`].
    pub fn new(channels: usize, sidechains: usize, size: FftSize) -> Self {
        assert!(channels <= MAX_CHANNELS, "unsupported channel count {channels}");
        assert!(sidechains <= MAX_CHANNELS, "unsupported sidechain count {sidechains}");
        let mut planner = RealFftPlanner::<f32>::new();
        let forward = FftSize::ALL.map(|s| planner.plan_fft_forward(s.samples()));
        let inverse = FftSize::ALL.map(|s| planner.plan_fft_inverse(s.samples()));
        let hann =
            |n: usize| -> Vec<f64> { (0..n).map(|j| 0.5 - 0.5 * (2.0 * PI * j as f64 / n as f64).cos()).collect() };
        let analysis = FftSize::ALL.map(|s| hann(s.samples()).into_iter().map(|w| w as f32).collect());
        let synthesis = FftSize::ALL.map(|s| {
            let scale = 1.0 / (HANN_SQUARED_OVERLAP * s.samples() as f64);
            hann(s.samples()).into_iter().map(|w| (w * scale) as f32).collect()
        });
        let scratch_len = forward
            .iter()
            .map(|p| p.get_scratch_len())
            .chain(inverse.iter().map(|p| p.get_scratch_len()))
            .max()
            .unwrap_or(0);
        let max = FftSize::MAX_SAMPLES;
        let bins = max / 2 + 1;
        Self {
            channels,
            sidechains,
            size,
            forward,
            inverse,
            analysis,
            synthesis,
            input: vec![vec![0.0; max]; channels],
            accum: vec![vec![0.0; max]; channels],
            side_input: vec![vec![0.0; max]; sidechains],
            spectra: vec![vec![Complex::default(); bins]; channels],
            side_spectra: vec![vec![Complex::default(); bins]; sidechains],
            frame: vec![0.0; max],
            scratch: vec![Complex::default(); scratch_len],
            pos: 0,
            synthesise: [true; MAX_CHANNELS],
            analyse: [true; MAX_CHANNELS],
            warm: [WARM_FRAMES; MAX_CHANNELS],
            fresh: true,
        }
    }

    /// Number of audio channels.
    pub fn channels(&self) -> usize {
        self.channels
    }

    /// Number of sidechain channels.
    pub fn sidechains(&self) -> usize {
        self.sidechains
    }

    /// The current FFT size.
    pub fn size(&self) -> FftSize {
        self.size
    }

    /// Latency in samples: `N - 1`.
    pub fn latency_samples(&self) -> usize {
        self.size.samples() - 1
    }

    /// Samples still to come before the next frame is analysed, `1..=hop`.
    pub fn samples_to_next_frame(&self) -> usize {
        let hop = self.size.hop();
        hop - self.pos % hop
    }

    /// Changes the FFT size; a change clears all signal state (as [`Self::reset`]). Does not allocate.
    pub fn set_size(&mut self, size: FftSize) {
        if size != self.size {
            self.size = size;
            self.reset();
        }
    }

    /// Chooses which audio channels are resynthesised (`synthesise`; the others are delayed only)
    /// and which sidechain channels are analysed (`analyse`). Cheap; call it once per block.
    pub fn set_channel_modes(&mut self, synthesise: [bool; MAX_CHANNELS], analyse: [bool; MAX_CHANNELS]) {
        for (ch, acc) in self.accum.iter_mut().enumerate() {
            if synthesise[ch] && !self.synthesise[ch] {
                acc.fill(0.0);
                self.warm[ch] = if self.fresh { WARM_FRAMES } else { 0 };
            }
        }
        self.synthesise = synthesise;
        self.analyse = analyse;
    }

    /// Clears every ring and accumulator and restarts the frame clock. Does not allocate.
    pub fn reset(&mut self) {
        for buf in self.input.iter_mut().chain(&mut self.accum).chain(&mut self.side_input) {
            buf.fill(0.0);
        }
        self.pos = 0;
        self.warm = [WARM_FRAMES; MAX_CHANNELS];
        self.fresh = true;
    }

    /// Processes `audio` in place (one slice per audio channel, at most [`Self::channels`] used; the
    /// block is as long as the shortest) with `sidechain` (one slice per sidechain channel; missing
    /// channels and samples past a slice's end read as silence). `on_frame` is called once per
    /// frame. Never allocates.
    pub fn process<F: FnMut(&mut StftFrame<'_>)>(
        &mut self,
        audio: &mut [&mut [f32]],
        sidechain: &[&[f32]],
        mut on_frame: F,
    ) {
        let len = audio.iter().take(self.channels).map(|c| c.len()).min().unwrap_or(0);
        let n = self.size.samples();
        let mut done = 0;
        while done < len {
            let pos = self.pos;
            let chunk = self.samples_to_next_frame().min(len - done);
            for ch in 0..self.channels {
                let input = &mut self.input[ch];
                let Some(buf) = audio.get_mut(ch) else {
                    input[pos..pos + chunk].fill(0.0);
                    self.accum[ch][pos..pos + chunk].fill(0.0);
                    continue;
                };
                let buf = &mut buf[done..done + chunk];
                if self.synthesise[ch] && self.warm[ch] >= WARM_FRAMES {
                    let acc = &mut self.accum[ch][pos..pos + chunk];
                    for ((x, slot), a) in buf.iter_mut().zip(&mut input[pos..pos + chunk]).zip(acc) {
                        *slot = sanitize(*x).0;
                        *x = std::mem::take(a);
                    }
                } else {
                    // Delay by N - 1: x[t - N + 1] sits at slot (t + 1) mod N until x[t + 1] lands.
                    for (i, x) in buf.iter_mut().enumerate() {
                        let w = pos + i;
                        let r = if w + 1 == n { 0 } else { w + 1 };
                        let v = sanitize(*x).0;
                        *x = input[r];
                        input[w] = v;
                    }
                    if self.synthesise[ch] {
                        self.accum[ch][pos..pos + chunk].fill(0.0);
                    }
                }
            }
            for ch in 0..self.sidechains {
                let ring = &mut self.side_input[ch][pos..pos + chunk];
                let src = sidechain.get(ch).map_or(&[][..], |s| &s[done.min(s.len())..(done + chunk).min(s.len())]);
                for (slot, &x) in ring.iter_mut().zip(src) {
                    *slot = sanitize(x).0;
                }
                ring[src.len()..].fill(0.0);
            }
            self.fresh = false;
            done += chunk;
            self.pos += chunk;
            if self.pos.is_multiple_of(n / 4) {
                if self.pos == n {
                    self.pos = 0;
                }
                self.run_frame(&mut on_frame);
            }
        }
    }

    /// Like [`Self::process`] with a fixed gain per bin (linear, `gains[k]` for bin `k`; missing bins
    /// keep unity) applied to every synthesised channel.
    pub fn process_with_gains(&mut self, audio: &mut [&mut [f32]], gains: &[f32]) {
        self.process(audio, &[], |frame| {
            for ch in 0..MAX_CHANNELS {
                if let Some(spectrum) = frame.audio_mut(ch) {
                    for (bin, &g) in spectrum.iter_mut().zip(gains) {
                        *bin *= g;
                    }
                }
            }
        });
    }

    /// Analyses the frame ending at the newest sample (oldest sample at slot `self.pos`), calls
    /// `on_frame`, and overlap-adds the synthesised channels.
    fn run_frame<F: FnMut(&mut StftFrame<'_>)>(&mut self, on_frame: &mut F) {
        let n = self.size.samples();
        let bins = n / 2 + 1;
        let k = self.size.index();
        let start = self.pos;
        let window = &self.analysis[k];
        let frame = &mut self.frame[..n];
        let forward = &self.forward[k];
        let analyse_into =
            |ring: &[f32], frame: &mut [f32], spectrum: &mut [Complex<f32>], scratch: &mut [Complex<f32>]| {
                // The oldest sample sits at slot `start`: two contiguous runs (separate loops vectorise).
                let split = n - start;
                let (f_old, f_new) = frame.split_at_mut(split);
                let (w_old, w_new) = window.split_at(split);
                for ((f, &x), &w) in f_old.iter_mut().zip(&ring[start..n]).zip(w_old) {
                    *f = x * w;
                }
                for ((f, &x), &w) in f_new.iter_mut().zip(&ring[..start]).zip(w_new) {
                    *f = x * w;
                }
                // NOTE: cannot fail, the buffers are sized for the plan.
                let _ = forward.process_with_scratch(frame, &mut spectrum[..bins], scratch);
            };
        for ch in 0..self.sidechains {
            if self.analyse[ch] {
                analyse_into(&self.side_input[ch], frame, &mut self.side_spectra[ch], &mut self.scratch);
            }
        }
        for ch in 0..self.channels {
            if self.synthesise[ch] {
                analyse_into(&self.input[ch], frame, &mut self.spectra[ch], &mut self.scratch);
            }
        }
        on_frame(&mut StftFrame {
            bins,
            audio: &mut self.spectra,
            sidechain: &self.side_spectra,
            synthesise: self.synthesise,
            analyse: self.analyse,
        });
        let window = &self.synthesis[k];
        for ch in 0..self.channels {
            if !self.synthesise[ch] {
                continue;
            }
            // NOTE: the only possible error is a non-zero imaginary part at DC or Nyquist, which the
            // inverse FFT then treats as zero: exactly what a real signal needs.
            let _ = self.inverse[k].process_with_scratch(&mut self.spectra[ch][..bins], frame, &mut self.scratch);
            // Frame sample j (position t - N + 1 + j) goes to slot (start - 1 + j) mod N; j = 0 has
            // window 0 and is skipped.
            let acc = &mut self.accum[ch][..n];
            let first = (n - start).min(n - 1);
            let (head, tail) = acc.split_at_mut(start);
            for ((a, &y), &w) in tail[..first].iter_mut().zip(&frame[1..1 + first]).zip(&window[1..1 + first]) {
                *a += y * w;
            }
            for ((a, &y), &w) in head.iter_mut().zip(&frame[1 + first..]).zip(&window[1 + first..]) {
                *a += y * w;
            }
            self.warm[ch] = self.warm[ch].saturating_add(1).min(WARM_FRAMES);
        }
    }
}
