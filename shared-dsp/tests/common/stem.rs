//! Helpers for the Stem Compressor tests: run a StemCompressor over planar buffers in blocks.
#![allow(dead_code)]

use shared_dsp::stem_compressor::{StemCompressor, StemCompressorSettings};
use shared_dsp::DspUnit;

/// Processes `signal` (planar) with `key` (planar, may be empty) through a fresh StemCompressor in
/// the given block sizes, returning the output and the latency.
pub fn run(
    signal: &[Vec<f32>],
    key: &[Vec<f32>],
    s: &StemCompressorSettings,
    sample_rate_hz: f32,
    blocks: &[usize],
) -> (Vec<Vec<f32>>, usize) {
    let channels = signal.len();
    let mut c = StemCompressor::new(channels, 10.0, sample_rate_hz);
    c.set_settings_immediately(s);
    c.reset();
    let mut out = signal.to_vec();
    let mut start = 0;
    for &b in blocks {
        let mut chans: Vec<&mut [f32]> = out.iter_mut().map(|c| &mut c[start..start + b]).collect();
        let k: Vec<&[f32]> = key.iter().map(|c| &c[start..start + b]).collect();
        c.process(&mut chans, &k);
        start += b;
    }
    (out, c.latency_samples())
}

/// Blocks of `size` covering `len` samples.
pub fn even_blocks(len: usize, size: usize) -> Vec<usize> {
    let mut v = vec![size; len / size];
    if !len.is_multiple_of(size) {
        v.push(len % size);
    }
    v
}

/// Largest |a - b| over all channels and samples.
pub fn max_diff(a: &[Vec<f32>], b: &[Vec<f32>]) -> f32 {
    a.iter().zip(b).flat_map(|(x, y)| x.iter().zip(y).map(|(p, q)| (p - q).abs())).fold(0.0, f32::max)
}

/// Largest |x| over all channels and samples.
pub fn peak(a: &[Vec<f32>]) -> f32 {
    a.iter().flat_map(|c| c.iter()).fold(0.0f32, |m, &x| m.max(x.abs()))
}

/// `signal` delayed by `latency` samples (zeros in front), same length.
pub fn delayed(signal: &[Vec<f32>], latency: usize) -> Vec<Vec<f32>> {
    signal.iter().map(|c| (0..c.len()).map(|i| if i >= latency { c[i - latency] } else { 0.0 }).collect()).collect()
}
