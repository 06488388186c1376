//! On the test song's lead vocal, at the DEFAULT settings, the de-esser takes sibilance down and
//! leaves the rest of the voice alone, with a click-free gain reduction.
//!
//! Signal: `testdata/stems-a/vocals_long.wav`, 12 s (samples 96000..672000 of the song's vocal stem,
//! six sung phrases), 48 kHz stereo, processed in one-sample blocks so the gain reduction of every
//! sample is read from the meters.
//!
//! Frames (latency-compensated: input frame at `t` is compared with the output frame at
//! `t + latency`): 1024-sample Hann frames, hop 512, on both channels. For a frame, `E(lo..hi)` is
//! the windowed FFT energy in the bins from `lo` to `hi` Hz, summed over both channels; the frame's
//! level is the mean square of its input samples over both channels.
//! - a *sibilant* frame has input level above −50 dBFS and input `E(4k..10k) > E(200..3k)`;
//! - a *non-sibilant* frame has input level above −50 dBFS and input `E(4k..10k)` at least 10 dB
//!   below `E(200..3k)`;
//! - frames in between (or quieter) are in neither class.
//!
//! Energies are summed per class over the whole excerpt before comparing input and output.
//! Promises: the sibilant frames' 4–10 kHz energy drops by at least 6 dB; the non-sibilant frames'
//! 200 Hz–3 kHz energy changes by at most 0.5 dB.
mod common;
use common::*;
use realfft::RealFftPlanner;
use shared_dsp::deesser::{DeEsser, DeEsserSettings};
use shared_dsp::units::one_pole_coefficient;
use shared_dsp::DspUnit;

const SR: f32 = 48_000.0;
const FRAME: usize = 1024;
const HOP: usize = 512;

/// Output and per-sample gain reduction (channel 0) of a de-esser run in one-sample blocks.
fn run(input: &[Vec<f32>], s: &DeEsserSettings) -> (Vec<Vec<f32>>, Vec<f32>, usize) {
    let mut d = DeEsser::new(2, 5.0, SR);
    d.set_settings_immediately(s);
    let mut out = input.to_vec();
    let (l, r) = out.split_at_mut(1);
    let mut gr = Vec::with_capacity(l[0].len());
    for (a, b) in l[0].chunks_mut(1).zip(r[0].chunks_mut(1)) {
        gr.push(d.process(&mut [a, b]).gain_reduction_db[0]);
    }
    (out, gr, d.latency_samples())
}

#[derive(Debug, Default)]
struct Figures {
    sibilant_frames: usize,
    non_sibilant_frames: usize,
    /// Sibilant frames: 4–10 kHz energy of the input over that of the output, in dB.
    sibilant_drop_db: f64,
    /// Non-sibilant frames: 200 Hz–3 kHz energy of the output over that of the input, in dB.
    non_sibilant_change_db: f64,
}

fn analyse(input: &[Vec<f32>], output: &[Vec<f32>], latency: usize) -> Figures {
    let fft = RealFftPlanner::<f64>::new().plan_fft_forward(FRAME);
    let window: Vec<f64> =
        (0..FRAME).map(|i| 0.5 - 0.5 * (2.0 * std::f64::consts::PI * i as f64 / FRAME as f64).cos()).collect();
    let bin = |hz: f64| hz * FRAME as f64 / SR as f64;
    let hi = (bin(4000.0).ceil() as usize, bin(10_000.0).floor() as usize);
    let mid = (bin(200.0).ceil() as usize, bin(3000.0).floor() as usize);
    let mut buf = fft.make_input_vec();
    let mut spec = fft.make_output_vec();
    let mut energies = |x: &[f32]| -> (f64, f64) {
        for (b, (&v, w)) in buf.iter_mut().zip(x.iter().zip(&window)) {
            *b = v as f64 * w;
        }
        fft.process(&mut buf, &mut spec).unwrap();
        let e = |(a, b): (usize, usize)| spec[a..=b].iter().map(|c| c.norm_sqr()).sum::<f64>();
        (e(hi), e(mid))
    };
    let len = input[0].len();
    let mut f = Figures::default();
    let (mut sib_in, mut sib_out, mut non_in, mut non_out) = (0.0, 0.0, 0.0, 0.0);
    let mut t = 0;
    while t + latency + FRAME <= len {
        let (mut hi_in, mut mid_in, mut hi_out, mut mid_out, mut power) = (0.0, 0.0, 0.0, 0.0, 0.0);
        for ch in 0..2 {
            let x = &input[ch][t..t + FRAME];
            let (h, m) = energies(x);
            hi_in += h;
            mid_in += m;
            let (h, m) = energies(&output[ch][t + latency..t + latency + FRAME]);
            hi_out += h;
            mid_out += m;
            power += x.iter().map(|&v| (v as f64).powi(2)).sum::<f64>() / (2 * FRAME) as f64;
        }
        if 10.0 * power.log10() > -50.0 {
            if hi_in > mid_in {
                f.sibilant_frames += 1;
                sib_in += hi_in;
                sib_out += hi_out;
            } else if hi_in * 10.0 <= mid_in {
                f.non_sibilant_frames += 1;
                non_in += mid_in;
                non_out += mid_out;
            }
        }
        t += HOP;
    }
    f.sibilant_drop_db = 10.0 * (sib_in / sib_out).log10();
    f.non_sibilant_change_db = 10.0 * (non_out / non_in).log10();
    f
}

#[test]
fn default_settings_take_sibilance_down_and_leave_the_voice_alone() {
    let input = read_wav("vocals_long");
    let s = DeEsserSettings::default();
    let (output, gr, latency) = run(&input, &s);
    let f = analyse(&input, &output, latency);
    let max_gr = gr.iter().copied().fold(0.0f32, f32::max);
    eprintln!(
        "de-esser defaults on vocals_long: {} sibilant frames, 4-10 kHz drop {:.2} dB; {} non-sibilant frames, \
         200-3k change {:+.3} dB; max GR {:.2} dB; latency {latency} samples",
        f.sibilant_frames, f.sibilant_drop_db, f.non_sibilant_frames, f.non_sibilant_change_db, max_gr
    );
    assert!(f.sibilant_frames >= 50 && f.non_sibilant_frames >= 200, "too few frames to judge: {f:?}");
    assert!(f.sibilant_drop_db >= 6.0, "sibilance dropped only {:.2} dB", f.sibilant_drop_db);
    assert!(f.non_sibilant_change_db.abs() <= 0.5, "voice changed by {:+.3} dB", f.non_sibilant_change_db);
}

/// Gain reduction moves no faster than the one-pole at the set attack and release allows: a rising
/// step is at most `(1 - a_att) (range - GR)`, a falling one at most `(1 - a_rel) GR`, so no sample
/// jumps (no clicks), at the default settings and at a slower pair of times.
#[test]
fn gain_reduction_is_smooth_at_the_set_attack_and_release() {
    let input = read_wav("vocals_long");
    for s in [DeEsserSettings::default(), DeEsserSettings { attack_ms: 3.0, release_ms: 150.0, ..Default::default() }] {
        let (_, gr, _) = run(&input, &s);
        let rise = 1.0 - one_pole_coefficient(s.attack_ms, SR) as f32;
        let fall = 1.0 - one_pole_coefficient(s.release_ms, SR) as f32;
        let (mut max_rise, mut max_fall) = (0.0f32, 0.0f32);
        let mut prev = 0.0f32;
        for (i, &g) in gr.iter().enumerate() {
            assert!((0.0..=s.range_db + 1e-4).contains(&g), "sample {i}: GR {g} dB outside 0..range");
            let step = g - prev;
            let allowed = if step > 0.0 { rise * (s.range_db - prev) } else { fall * prev };
            assert!(step.abs() <= allowed + 1e-4, "sample {i}: GR stepped {step} dB from {prev} dB (allowed {allowed})");
            max_rise = max_rise.max(step);
            max_fall = max_fall.max(-step);
            prev = g;
        }
        let max_gr = gr.iter().copied().fold(0.0f32, f32::max);
        eprintln!(
            "attack {} ms release {} ms: max GR {max_gr:.2} dB, largest step up {max_rise:.3} dB (bound {:.3}), \
             down {max_fall:.4} dB (bound {:.4})",
            s.attack_ms, s.release_ms, rise * s.range_db, fall * s.range_db
        );
        assert!(max_gr >= 0.8 * s.range_db, "the vocal barely triggered the de-esser ({max_gr} dB): test is vacuous");
    }
}
