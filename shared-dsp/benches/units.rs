//! `cargo bench -p shared-dsp`: ns per stereo frame at 48 kHz, block 512, for every DSP unit and the
//! composed processors, next to a trivial gain loop measured in the same run.
//!
//! Each row processes 60 s of deterministic stereo noise in blocks of 512 and reports the median,
//! minimum and maximum over several runs. Speed is measured here, never in timed tests.

use std::hint::black_box;
use std::time::Instant;

use shared_dsp::clipper::{ClipperSettings, TransientClipper};
use shared_dsp::oversampler::{FilterPhase, Oversampler, Oversampling};
use shared_dsp::ballistics::Ballistics;
use shared_dsp::biquad::KeyHighPass;
use shared_dsp::compressor::{Compressor, CompressorSettings, Key};
use shared_dsp::deesser::{DeEsser, DeEsserSettings};
use shared_dsp::delay::DelayLine;
use shared_dsp::detector::{Detect, LevelDetector, DetectorKind};
use shared_dsp::gain_computer::GainComputer;
use shared_dsp::stem_compressor::{KeyRouting, StemCompressor, StemCompressorSettings, StemMode};
use shared_dsp::stft::FftSize;

const SAMPLE_RATE_HZ: f32 = 48_000.0;
const BLOCK: usize = 512;
const SECONDS: usize = 60;
const RUNS: usize = 7;

/// Deterministic stereo noise at about -12 dBFS with a slow level swing, so compressors work.
fn signal(frames: usize) -> [Vec<f32>; 2] {
    let mut state = 0x1234_5678_9abc_def0u64;
    let mut next = || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        (state >> 40) as f32 / (1u64 << 24) as f32 * 2.0 - 1.0
    };
    let mut l = Vec::with_capacity(frames);
    let mut r = Vec::with_capacity(frames);
    for i in 0..frames {
        let swing = 0.1 + 0.4 * (0.5 + 0.5 * (i as f32 * 2.0 * std::f32::consts::PI / 48_000.0).sin());
        l.push(next() * swing);
        r.push(next() * swing);
    }
    [l, r]
}

/// Runs `f` over the whole signal in blocks, `RUNS` times; returns (median, min, max) ns per frame.
fn measure(input: &[Vec<f32>; 2], mut f: impl FnMut(&mut [&mut [f32]; 2])) -> (f64, f64, f64) {
    let frames = input[0].len();
    let mut work = input.clone();
    let mut times = Vec::with_capacity(RUNS);
    for _ in 0..RUNS {
        work[0].copy_from_slice(&input[0]);
        work[1].copy_from_slice(&input[1]);
        let (l, r) = work.split_at_mut(1);
        let start = Instant::now();
        for (bl, br) in l[0].chunks_mut(BLOCK).zip(r[0].chunks_mut(BLOCK)) {
            let mut block = [bl, br];
            f(&mut block);
        }
        times.push(start.elapsed().as_nanos() as f64 / frames as f64);
        black_box(&work);
    }
    times.sort_by(f64::total_cmp);
    (times[RUNS / 2], times[0], times[RUNS - 1])
}

fn row(name: &str, (median, min, max): (f64, f64, f64), floor: f64) {
    println!("{name:<34} {median:>8.2} {min:>8.2} {max:>8.2} {:>8.1}x", median / floor);
}

fn main() {
    let frames = SAMPLE_RATE_HZ as usize * SECONDS;
    let input = signal(frames);
    println!("ns per stereo frame, 48 kHz, block {BLOCK}, {SECONDS} s of audio, {RUNS} runs");
    println!("{:<34} {:>8} {:>8} {:>8} {:>9}", "unit", "median", "min", "max", "vs gain");

    let gain = black_box(0.5f32);
    let floor = measure(&input, |b| {
        for ch in b.iter_mut() {
            for s in ch.iter_mut() {
                *s *= gain;
            }
        }
    });
    row("trivial gain loop (floor)", floor, floor.0);

    let mut hpf = [KeyHighPass::new(SAMPLE_RATE_HZ, 80.0); 2];
    row("key high-pass (biquad, f64)", measure(&input, |b| {
        for (f, ch) in hpf.iter_mut().zip(b.iter_mut()) {
            f.process(ch);
        }
    }), floor.0);

    for (label, kind) in [("detector peak", DetectorKind::Peak), ("detector rms", DetectorKind::Rms)] {
        let mut det = [LevelDetector::new(kind, SAMPLE_RATE_HZ); 2];
        row(label, measure(&input, |b| {
            for (d, ch) in det.iter_mut().zip(b.iter_mut()) {
                for s in ch.iter_mut() {
                    *s = d.level_db(*s);
                }
            }
        }), floor.0);
    }

    let gc = GainComputer::new(-20.0, 4.0, 6.0);
    row("gain computer", measure(&input, |b| {
        for ch in b.iter_mut() {
            for s in ch.iter_mut() {
                *s = gc.gain_reduction_db(*s * 40.0 - 30.0);
            }
        }
    }), floor.0);

    let mut bal = [Ballistics::new(SAMPLE_RATE_HZ, 10.0, 150.0, true); 2];
    row("ballistics (auto release)", measure(&input, |b| {
        for (u, ch) in bal.iter_mut().zip(b.iter_mut()) {
            for s in ch.iter_mut() {
                *s = u.tick(s.abs() * 20.0);
            }
        }
    }), floor.0);

    let mut delays = [DelayLine::new(480), DelayLine::new(480)];
    for d in &mut delays {
        d.set_delay_samples(240);
    }
    row("lookahead delay (5 ms)", measure(&input, |b| {
        for (d, ch) in delays.iter_mut().zip(b.iter_mut()) {
            d.process(ch);
        }
    }), floor.0);

    let settings = CompressorSettings { threshold_db: -24.0, ratio: 4.0, lookahead_ms: 2.0, ..Default::default() };
    let mut comp = Compressor::new(2, 10.0, SAMPLE_RATE_HZ);
    comp.set_settings_immediately(&settings);
    row("compressor, internal key", measure(&input, |b| {
        black_box(comp.process(b, Key::Internal));
    }), floor.0);

    let key = signal(frames);
    let mut comp = Compressor::new(2, 10.0, SAMPLE_RATE_HZ);
    comp.set_settings_immediately(&settings);
    let mut offset = 0;
    row("compressor, external key", measure(&input, |b| {
        let n = b[0].len();
        let k = [&key[0][offset..offset + n], &key[1][offset..offset + n]];
        black_box(comp.process(b, Key::External(&k)));
        offset = (offset + n) % (frames - BLOCK);
    }), floor.0);

    for (label, mode) in [
        ("de-esser, split-band", shared_dsp::deesser::DeEsserMode::SplitBand),
        ("de-esser, wideband", shared_dsp::deesser::DeEsserMode::Wideband),
    ] {
        let mut de = DeEsser::new(2, 5.0, SAMPLE_RATE_HZ);
        de.set_settings_immediately(&DeEsserSettings { mode, ..Default::default() });
        row(label, measure(&input, |b| {
            black_box(de.process(b));
        }), floor.0);
    }

    // Oversampling stages alone: up and back down, both channels, linear phase.
    for factor in [Oversampling::X2, Oversampling::X4, Oversampling::X8, Oversampling::X16] {
        let mut os = Oversampler::new(2, BLOCK);
        os.set_config(factor, FilterPhase::Linear);
        let mut high = vec![0.0f32; BLOCK * factor.factor()];
        row(&format!("oversampler up+down {}x", factor.factor()), measure(&input, |b| {
            for (ch, x) in b.iter_mut().enumerate() {
                let n = x.len();
                os.upsample(ch, x, &mut high[..n * factor.factor()]);
                os.downsample(ch, &high[..n * factor.factor()], x);
            }
        }), floor.0);
    }

    for (factor, phase) in [
        (Oversampling::Off, FilterPhase::Linear),
        (Oversampling::X4, FilterPhase::Linear),
        (Oversampling::X4, FilterPhase::Minimum),
        (Oversampling::X8, FilterPhase::Linear),
        (Oversampling::X8, FilterPhase::Minimum),
    ] {
        let mut clip = TransientClipper::new(2, SAMPLE_RATE_HZ);
        clip.set_settings_immediately(&ClipperSettings { drive_db: 12.0, oversampling: factor, phase, ..Default::default() });
        row(&format!("clipper {factor:?} {phase:?}"), measure(&input, |b| {
            black_box(clip.process(b));
        }), floor.0);
    }

    for (label, mode, key_routing) in [
        ("stem compressor broadband", StemMode::Broadband, KeyRouting::Internal),
        ("stem compressor broadband, external key", StemMode::Broadband, KeyRouting::External),
        ("stem compressor unmask 2048, external key", StemMode::Unmask, KeyRouting::External),
    ] {
        let mut stem = StemCompressor::new(2, 10.0, SAMPLE_RATE_HZ);
        stem.set_settings_immediately(&StemCompressorSettings {
            mode,
            key: key_routing,
            resolution: FftSize::N2048,
            dynamics: settings,
            ..Default::default()
        });
        let mut offset = 0;
        row(label, measure(&input, |b| {
            let n = b[0].len();
            let k = [&key[0][offset..offset + n], &key[1][offset..offset + n]];
            black_box(stem.process(b, &k));
            offset = (offset + n) % (frames - BLOCK);
        }), floor.0);
    }
}
