//! Helpers shared by the shared-dsp integration tests: a seeded PRNG and signal makers.
#![allow(dead_code)]

pub mod stem;

/// Deterministic xorshift64* generator, so failures reproduce.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Self(seed.max(1))
    }
    pub fn next_u64(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    /// Uniform in [0, 1).
    pub fn unit(&mut self) -> f32 {
        (self.next_u64() >> 40) as f32 / (1u64 << 24) as f32
    }
    /// Uniform in [lo, hi).
    pub fn range(&mut self, lo: f32, hi: f32) -> f32 {
        lo + (hi - lo) * self.unit()
    }
    /// Uniform integer in [lo, hi].
    pub fn int(&mut self, lo: usize, hi: usize) -> usize {
        lo + (self.next_u64() % (hi - lo + 1) as u64) as usize
    }
    /// A sample rate from 44.1 to 192 kHz (continuous, to catch rate-specific rounding).
    pub fn sample_rate(&mut self) -> f32 {
        self.range(44_100.0, 192_000.0).round()
    }
}

/// White noise in [-amp, amp).
pub fn noise(rng: &mut Rng, len: usize, amp: f32) -> Vec<f32> {
    (0..len).map(|_| rng.range(-amp, amp)).collect()
}

/// `x` shifted by `d` samples (positive: later, negative: earlier), same length, zeros shifted in.
pub fn shift(x: &[f32], d: i64) -> Vec<f32> {
    (0..x.len() as i64).map(|i| x.get((i - d) as usize).copied().unwrap_or(0.0)).collect()
}

/// A random partition of `len` into blocks of 1..=max_block samples.
pub fn random_partition(rng: &mut Rng, len: usize, max_block: usize) -> Vec<usize> {
    let mut blocks = Vec::new();
    let mut left = len;
    while left > 0 {
        let b = rng.int(1, max_block).min(left);
        blocks.push(b);
        left -= b;
    }
    blocks
}

/// The reference static curve, written out independently of the crate (Giannoulis et al. eq. 4):
/// output level in dB.
pub fn reference_curve_db(x: f64, t: f64, r: f64, w: f64) -> f64 {
    if 2.0 * (x - t) < -w {
        x
    } else if 2.0 * (x - t).abs() <= w {
        x + (1.0 / r - 1.0) * (x - t + w / 2.0).powi(2) / (2.0 * w)
    } else {
        t + (x - t) / r
    }
}

/// Reads a 24-bit stereo WAV from the repo's testdata as planar f32.
pub fn read_wav(name: &str) -> Vec<Vec<f32>> {
    let path = format!("{}/../testdata/stems-a/{name}.wav", env!("CARGO_MANIFEST_DIR"));
    let mut r = hound::WavReader::open(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let spec = r.spec();
    let ch = spec.channels as usize;
    let scale = 1.0 / (1u32 << (spec.bits_per_sample - 1)) as f32;
    let mut out = vec![Vec::new(); ch];
    for (i, s) in r.samples::<i32>().enumerate() {
        out[i % ch].push(s.unwrap() as f32 * scale);
    }
    out
}
