//! The Stem De-Esser through its built CLAP binary: ports and layouts, parameters, latency, idle
//! transparency, de-essing of the test vocal, Listen, Bypass, block partitions, bad input and state.
//!
//! The vocal figures are a coarse host-level version of `shared-dsp/tests/deesser_vocal.rs`, with
//! the same frames and classes: 1024-sample Hann frames (hop 512) on both channels, compared
//! latency-compensated; a frame above -50 dBFS is *sibilant* when its input 4-10 kHz energy exceeds
//! its 200 Hz-3 kHz energy, and *non-sibilant* when 4-10 kHz is at least 10 dB below 200 Hz-3 kHz.
//! Energies are summed per class over the whole excerpt before comparing input and output.

mod common;

use clap_host::{blocks, parse_display_number, ParamChange, PluginInstance, Rng};
use common::latency_checks::*;
use common::main_port::*;
use common::params::*;
use common::state_checks::*;
use common::*;
use realfft::RealFftPlanner;

const SR: f64 = 48_000.0;

/// A de-esser with `numbers` (display units) and `texts` set, activated at `sr` Hz for blocks up to
/// `max_block` samples.
fn de_esser_with(numbers: Numbers, texts: Texts, sr: f64, max_block: u32) -> PluginInstance {
    activated_with(de_esser, numbers, texts, sr, max_block)
}

/// `testdata/stems-a/vocals_long.wav`: 12 s of the test song's lead vocal, 48 kHz stereo.
fn vocal() -> Vec<Vec<f32>> {
    stereo_stem("vocals_long", SR, 10 * 48_000)
}

fn noise(len: usize, amp: f32, seed: u64) -> Vec<Vec<f32>> {
    let mut rng = Rng::new(seed);
    (0..2)
        .map(|_| (0..len).map(|_| amp * rng.bipolar()).collect())
        .collect()
}

// ------------------------------------------------------------------------------------ ports

#[test]
fn ports_are_stereo_main_in_and_out_named_output_without_aux() {
    let ports = assert_main_only_stereo_ports(&de_esser());
    let (main_in, out) = (&ports.inputs[0], &ports.outputs[0]);
    assert_eq!(main_in.name, "Input", "main input name");
    assert_eq!(
        main_in.in_place_pair,
        Some(out.id),
        "main ports should be an in-place pair"
    );
}

#[test]
fn mono_layout_is_offered_and_processes_like_a_linked_stereo_pair() {
    let mut plugin = de_esser();
    let configs = select_the_mono_layout(&mut plugin);

    // The mono instance on one channel must equal a stereo instance fed that channel twice: with
    // Stereo Link at 100 % and identical channels, both detectors read the same level.
    let v = vocal();
    let len = 4 * 48_000;
    let left = vec![v[0][..len].to_vec()];
    let parts = blocks::fixed(len, 512);
    let mut stereo = de_esser_with(&[], &[], SR, 512);
    let (mono, latency, diff) = mono_vs_dual_mono(&mut plugin, &mut stereo, &left, &parts, SR, 512);
    let effect = max_abs_diff(&mono, &delayed(&left, latency, 1.0));
    println!(
        "mono vs dual-mono stereo: max diff {diff:e}; mono output vs delayed input: {effect:.4}"
    );
    assert!(
        effect > 1e-3,
        "the mono instance did not de-ess anything (max change {effect:e})"
    );
    assert!(
        diff <= 1e-6,
        "mono output differs from the linked stereo output by {diff:e}"
    );

    // And back to stereo.
    back_to_the_stereo_layout(&mut plugin, &configs);
}

// ------------------------------------------------------------------------------- parameters

/// Continuous parameters: display name, display min, max, default, display unit.
const FLOATS: &[Float] = &[
    ("Frequency", 2000.0, 16_000.0, 5000.0, "Hz"),
    ("Width", 0.25, 3.0, 1.0, "oct"),
    ("Threshold", -60.0, 0.0, -12.0, "dB"),
    ("Range", 0.0, 24.0, 10.0, "dB"),
    ("Attack", 0.05, 20.0, 0.5, "ms"),
    ("Release", 5.0, 500.0, 50.0, "ms"),
    ("Lookahead", 0.0, 5.0, 1.0, "ms"),
    ("Stereo Link", 0.0, 100.0, 100.0, "%"),
    ("Output", -24.0, 24.0, 0.0, "dB"),
];

/// Enums: name, variants in index order, default index.
const ENUMS: &[(&str, &[&str], usize)] = &[
    ("Mode", &["Split-band", "Wideband"], 0),
    ("Filter", &["High-pass", "Band-pass"], 0),
    ("Detection", &["Relative", "Absolute"], 0),
    ("Listen", &["Off", "Sibilance", "Removed"], 0),
];

#[test]
fn exactly_the_documented_parameters_exist_at_their_defaults() {
    let plugin = de_esser();
    let mut expected: Vec<&str> = FLOATS
        .iter()
        .map(|f| f.0)
        .chain(ENUMS.iter().map(|e| e.0))
        .collect();
    expected.push("Bypass");
    let names: Vec<String> = plugin
        .params()
        .unwrap()
        .into_iter()
        .map(|p| p.name)
        .collect();
    println!("de-esser parameters: {names:?}");
    assert_documented_parameters_at_defaults(&plugin, &expected, true, true);
}

#[test]
fn continuous_parameters_span_the_documented_ranges() {
    let plugin = de_esser();
    let problems = float_range_problems(
        &plugin,
        FLOATS,
        |text, _| parse_display_number(text).unwrap_or(f64::NAN),
        |text, unit| (!text.contains(unit)).then(|| format!("{text:?} lacks the unit {unit:?}")),
    );
    assert!(problems.is_empty(), "{problems:#?}");
}

#[test]
fn enums_and_bypass_have_the_documented_values() {
    let plugin = de_esser();
    for &(name, variants, default) in ENUMS {
        assert_enum(&plugin, name, variants, default);
    }
    assert_toggle(&plugin, "Bypass", false);
    assert_only_bypass_is_flagged(&plugin);
}

// ---------------------------------------------------------------------------------- latency

const RATES: [f64; 3] = [44_100.0, 48_000.0, 96_000.0];
const LOOKAHEADS_MS: [f64; 4] = [0.0, 1.0, 2.5, 5.0];

#[test]
fn reported_latency_is_round_lookahead_times_rate() {
    let (mut failures, mut table) = lookahead_latency_failures(&RATES, &LOOKAHEADS_MS, |ms, sr| {
        de_esser_with(&[("Lookahead", ms)], &[], sr, 512)
    });
    // The default (1 ms) without touching the parameter.
    let plugin = de_esser_with(&[], &[], 48_000.0, 512);
    table.push(format!("default @ 48 kHz -> {}", plugin.latency().unwrap()));
    if plugin.latency().unwrap() != 48 {
        failures.push(format!(
            "default Lookahead at 48 kHz reports {}, expected 48",
            plugin.latency().unwrap()
        ));
    }
    println!("latencies: {table:#?}");
    assert!(failures.is_empty(), "{failures:#?}");
}

/// An impulse comes out exactly at the reported latency. With Absolute detection at a 0 dBFS
/// threshold the de-esser is idle and the output is the delayed impulse (within 1e-6); with the
/// default Relative detection at 0 dB the peak must still sit exactly at the latency (an impulse
/// from silence reads as broadband, so it may be touched, see shared-dsp/src/deesser.rs).
#[test]
fn impulse_comes_out_exactly_at_the_reported_latency() {
    const AT: usize = 300;
    const AMP: f32 = 0.5;
    let mut failures = Vec::new();
    for (d, detection) in ["Absolute", "Relative"].into_iter().enumerate() {
        for sr in RATES {
            for (k, ms) in LOOKAHEADS_MS.into_iter().enumerate() {
                let mut plugin = de_esser_with(
                    &[("Threshold", 0.0), ("Lookahead", ms)],
                    &[("Detection", detection)],
                    sr,
                    4096,
                );
                let latency = plugin.latency().unwrap() as usize;
                let len = AT + latency + 4096;
                let mut input = silence(len);
                for ch in input.iter_mut() {
                    ch[AT] = AMP;
                }
                let out = process(
                    &mut plugin,
                    &input,
                    &blocks::random(len, 1, 4096, 7 + k as u64 + 10 * d as u64),
                );
                let peak = argmax_abs(&out);
                let diff = max_abs_diff(&out, &delayed(&input, latency, 1.0));
                println!(
                    "{detection} {ms} ms @ {sr} Hz: latency {latency}, peak at +{}, max diff to delayed input {diff:.3e}",
                    peak as isize - AT as isize
                );
                if peak != AT + latency {
                    failures.push(format!(
                        "{detection} {ms} ms at {sr} Hz: reported {latency}, impulse came out at +{}",
                        peak as isize - AT as isize
                    ));
                }
                if detection == "Absolute" && diff > 1e-6 {
                    failures.push(format!(
                        "{detection} {ms} ms at {sr} Hz: output differs from the delayed impulse by {diff:e}"
                    ));
                }
            }
        }
    }
    assert!(failures.is_empty(), "{failures:#?}");
}

#[test]
fn changing_lookahead_while_processing_updates_the_reported_latency() {
    let mut plugin = de_esser_with(&[("Lookahead", 0.0)], &[], SR, 512);
    assert_eq!(plugin.latency().unwrap(), 0);
    let id = plugin.param_info("Lookahead").unwrap().id;
    let value = plugin.text_to_value(id, "5").unwrap();
    let len = 48_000;
    let input = sine(len, SR, 440.0, 0.25);
    let out = process_with(
        &mut plugin,
        &input,
        &blocks::fixed(len, 512),
        &[ParamChange {
            sample: 1000,
            id,
            value,
        }],
    );
    assert!(first_non_finite(&out).is_none());
    assert_lookahead_change_announced(&plugin, &[240]);
}

// ------------------------------------------------------------------------- transparency

/// Threshold 0 dB with nothing to reduce: the output IS the input delayed by the latency (within
/// 1e-6). Absolute detection on noise whose band stays far below 0 dBFS, at every rate and
/// lookahead; the same noise with a -60 dBFS threshold must be changed, so the check can fail.
#[test]
fn idle_output_is_the_input_delayed_by_the_latency() {
    let mut failures = Vec::new();
    for (k, sr) in RATES.into_iter().enumerate() {
        let len = sr as usize / 2;
        let input = noise(len, 0.25, 40 + k as u64);
        for ms in LOOKAHEADS_MS {
            let parts = blocks::random(len, 1, 1024, 3 + k as u64);
            let mut idle = de_esser_with(
                &[("Threshold", 0.0), ("Lookahead", ms)],
                &[("Detection", "Absolute")],
                sr,
                1024,
            );
            let latency = idle.latency().unwrap() as usize;
            let out = process(&mut idle, &input, &parts);
            let diff = max_abs_diff(&out, &delayed(&input, latency, 1.0));
            let mut busy = de_esser_with(
                &[("Threshold", -60.0), ("Lookahead", ms)],
                &[("Detection", "Absolute")],
                sr,
                1024,
            );
            let changed = max_abs_diff(
                &process(&mut busy, &input, &parts),
                &delayed(&input, latency, 1.0),
            );
            println!("{ms} ms @ {sr} Hz: idle max diff {diff:.3e}; at -60 dBFS threshold max change {changed:.3}");
            if diff > 1e-6 {
                failures.push(format!(
                    "{ms} ms at {sr} Hz: idle output differs from the delayed input by {diff:e}"
                ));
            }
            if changed < 1e-2 {
                failures.push(format!(
                    "{ms} ms at {sr} Hz: -60 dBFS threshold changed the noise by only {changed:e}"
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{failures:#?}");
}

/// The same promise with the default Relative detection, on a signal whose band sits far below its
/// full-band level: a 220 + 330 Hz chord with a 7 kHz tone 23 dB below it. After the onset has
/// released, output == delayed input; a -40 dB threshold must de-ess the same signal.
#[test]
fn idle_relative_detection_is_transparent_after_the_onset() {
    let len = 96_000;
    let parts = [
        sine(len, SR, 220.0, 0.2),
        sine(len, SR, 330.0, 0.2),
        sine(len, SR, 7000.0, 0.02),
    ];
    let signal: Vec<Vec<f32>> = (0..2)
        .map(|c| {
            (0..len)
                .map(|i| parts.iter().map(|p| p[c][i]).sum())
                .collect()
        })
        .collect();
    let mut plugin = de_esser_with(&[("Threshold", 0.0)], &[], SR, 512);
    let latency = plugin.latency().unwrap() as usize;
    let out = process(&mut plugin, &signal, &blocks::fixed(len, 512));
    let want = delayed(&signal, latency, 1.0);
    // Release 50 ms: after 20 time constants plus 25 ms the gain is exactly 1 again.
    let from = ((20.0 * 0.050 + 0.025) * SR) as usize;
    let diff = max_abs_diff(&head_from(&out, from), &head_from(&want, from));
    let onset = max_abs_diff(&head(&out, 4800), &head(&want, 4800));
    println!("Relative, threshold 0 dB: max diff {diff:.3e} from sample {from}; in the first 100 ms {onset:.3e}");
    assert!(
        diff <= 1e-6,
        "idle (relative) output differs from the delayed input by {diff:e}"
    );
    let mut busy = de_esser_with(&[("Threshold", -40.0)], &[], SR, 512);
    let busy_out = process(&mut busy, &signal, &blocks::fixed(len, 512));
    let changed = max_abs_diff(&head_from(&busy_out, from), &head_from(&want, from));
    println!("Relative, threshold -40 dB: max change {changed:.3e}");
    assert!(
        changed > 1e-3,
        "a -40 dB relative threshold left the 7 kHz tone untouched ({changed:e})"
    );
}

/// Frames `from..` of every channel.
fn head_from(signal: &[Vec<f32>], from: usize) -> Vec<Vec<f32>> {
    signal.iter().map(|c| c[from..].to_vec()).collect()
}

// ------------------------------------------------------------------------------ the vocal

const FRAME: usize = 1024;
const HOP: usize = 512;

#[derive(Debug, Default, Clone, Copy)]
struct Figures {
    sibilant_frames: usize,
    non_sibilant_frames: usize,
    /// Sibilant frames: 4-10 kHz energy of the input over that of the output, in dB.
    sibilant_drop_db: f64,
    /// Sibilant frames: 200 Hz-3 kHz energy of the output over that of the input, in dB.
    sibilant_voice_change_db: f64,
    /// Non-sibilant frames: 200 Hz-3 kHz energy of the output over that of the input, in dB.
    non_sibilant_change_db: f64,
    /// Non-sibilant frames: 4-10 kHz energy of the output over that of the input, in dB.
    non_sibilant_high_change_db: f64,
}

/// Band energies per class, see the module documentation.
fn band_figures(input: &[Vec<f32>], output: &[Vec<f32>], latency: usize, sr: f64) -> Figures {
    let fft = RealFftPlanner::<f64>::new().plan_fft_forward(FRAME);
    let window: Vec<f64> = (0..FRAME)
        .map(|i| 0.5 - 0.5 * (2.0 * std::f64::consts::PI * i as f64 / FRAME as f64).cos())
        .collect();
    let bin = |hz: f64| hz * FRAME as f64 / sr;
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
    let len = input[0].len().min(output[0].len());
    let mut f = Figures::default();
    let [mut sib_hi_in, mut sib_hi_out, mut sib_mid_in, mut sib_mid_out] = [0.0f64; 4];
    let [mut non_mid_in, mut non_mid_out, mut non_hi_in, mut non_hi_out] = [0.0f64; 4];
    let mut t = 0;
    while t + latency + FRAME <= len {
        let [mut hi_in, mut mid_in, mut hi_out, mut mid_out, mut power] = [0.0f64; 5];
        for ch in 0..input.len() {
            let x = &input[ch][t..t + FRAME];
            let (h, m) = energies(x);
            hi_in += h;
            mid_in += m;
            let (h, m) = energies(&output[ch][t + latency..t + latency + FRAME]);
            hi_out += h;
            mid_out += m;
            power +=
                x.iter().map(|&v| (v as f64).powi(2)).sum::<f64>() / (input.len() * FRAME) as f64;
        }
        if 10.0 * power.log10() > -50.0 {
            if hi_in > mid_in {
                f.sibilant_frames += 1;
                sib_hi_in += hi_in;
                sib_hi_out += hi_out;
                sib_mid_in += mid_in;
                sib_mid_out += mid_out;
            } else if hi_in * 10.0 <= mid_in {
                f.non_sibilant_frames += 1;
                non_mid_in += mid_in;
                non_mid_out += mid_out;
                non_hi_in += hi_in;
                non_hi_out += hi_out;
            }
        }
        t += HOP;
    }
    f.sibilant_drop_db = 10.0 * (sib_hi_in / sib_hi_out).log10();
    f.sibilant_voice_change_db = 10.0 * (sib_mid_out / sib_mid_in).log10();
    f.non_sibilant_change_db = 10.0 * (non_mid_out / non_mid_in).log10();
    f.non_sibilant_high_change_db = 10.0 * (non_hi_out / non_hi_in).log10();
    f
}

#[test]
fn default_settings_take_the_vocal_sibilance_down_and_leave_the_voice_alone() {
    let input = vocal();
    let len = input[0].len();
    let mut plugin = de_esser_with(&[], &[], SR, 512);
    let latency = plugin.latency().unwrap() as usize;
    assert_eq!(latency, 48, "default Lookahead 1 ms at 48 kHz");
    let output = process(&mut plugin, &input, &blocks::fixed(len, 512));
    assert!(first_non_finite(&output).is_none(), "non-finite output");
    let f = band_figures(&input, &output, latency, SR);
    let level = db(rms(&output, latency..len) / rms(&input, 0..len - latency));
    println!(
        "CLAP de-esser defaults on vocals_long ({len} frames, latency {latency}): {} sibilant frames, 4-10 kHz drop \
         {:.2} dB (200-3k {:+.3} dB); {} non-sibilant frames, 200-3k change {:+.3} dB (4-10k {:+.3} dB); \
         overall level {level:+.3} dB",
        f.sibilant_frames,
        f.sibilant_drop_db,
        f.sibilant_voice_change_db,
        f.non_sibilant_frames,
        f.non_sibilant_change_db,
        f.non_sibilant_high_change_db
    );
    assert!(
        f.sibilant_frames >= 50 && f.non_sibilant_frames >= 200,
        "too few frames to judge: {f:?}"
    );
    assert!(
        f.sibilant_drop_db >= 6.0,
        "sibilance (4-10 kHz) dropped only {:.2} dB",
        f.sibilant_drop_db
    );
    assert!(
        f.non_sibilant_change_db.abs() <= 0.5,
        "the voice (200 Hz-3 kHz, non-sibilant frames) changed by {:+.3} dB",
        f.non_sibilant_change_db
    );
}

/// Wideband mode turns the whole signal down while sibilance is detected (the 200 Hz-3 kHz energy
/// of sibilant frames drops too), split-band mode does not.
#[test]
fn wideband_mode_turns_the_whole_voice_down_on_sibilants() {
    let input = vocal();
    let len = input[0].len();
    let run = |mode: &str| {
        let mut plugin = de_esser_with(&[], &[("Mode", mode)], SR, 512);
        let latency = plugin.latency().unwrap() as usize;
        let out = process(&mut plugin, &input, &blocks::fixed(len, 512));
        band_figures(&input, &out, latency, SR)
    };
    let split = run("Split-band");
    let wide = run("Wideband");
    println!(
        "sibilant frames 200-3k change: split-band {:+.2} dB, wideband {:+.2} dB; 4-10k drop: split-band {:.2} dB, \
         wideband {:.2} dB",
        split.sibilant_voice_change_db, wide.sibilant_voice_change_db, split.sibilant_drop_db, wide.sibilant_drop_db
    );
    assert!(
        wide.sibilant_drop_db >= 3.0,
        "wideband: sibilance dropped only {:.2} dB",
        wide.sibilant_drop_db
    );
    assert!(
        wide.sibilant_voice_change_db <= -3.0,
        "wideband: the sibilant frames' 200 Hz-3 kHz only changed {:+.2} dB",
        wide.sibilant_voice_change_db
    );
    assert!(
        split.sibilant_voice_change_db > wide.sibilant_voice_change_db + 2.0,
        "split-band should spare the low band of sibilant frames: {split:?} vs {wide:?}"
    );
}

#[test]
fn listen_removed_plus_output_is_the_delayed_input() {
    let input = vocal();
    let len = input[0].len();
    let parts = blocks::fixed(len, 512);
    let mut a = de_esser_with(&[], &[], SR, 512);
    let latency = a.latency().unwrap() as usize;
    let out = process(&mut a, &input, &parts);
    let mut b = de_esser_with(&[], &[("Listen", "Removed")], SR, 512);
    let removed = process(&mut b, &input, &parts);
    let sum: Vec<Vec<f32>> = out
        .iter()
        .zip(&removed)
        .map(|(o, r)| o.iter().zip(r).map(|(x, y)| x + y).collect())
        .collect();
    let want = delayed(&input, latency, 1.0);
    let diff = max_abs_diff(&sum, &want);
    let removed_db = db(rms(&removed, 0..len) / rms(&input, 0..len));
    let removed_peak = removed
        .iter()
        .flatten()
        .fold(0.0f32, |m, &v| m.max(v.abs()));
    println!(
        "Listen Removed: {removed_db:.1} dB re input (peak {removed_peak:.4}); output + removed vs delayed input: \
         max diff {diff:.3e}"
    );
    assert!(
        removed_db > -50.0,
        "Listen Removed is (nearly) silent ({removed_db:.1} dB): nothing was removed"
    );
    assert!(
        removed_db < -6.0,
        "Listen Removed carries {removed_db:.1} dB of the input: more than sibilance"
    );
    assert!(
        diff <= 1e-6,
        "output + Removed differs from the delayed input by {diff:e}"
    );
    // What is removed is weighted towards the sibilance band: relative to the input, more of the
    // 4-10 kHz band than of 200 Hz-3 kHz is taken away in sibilant frames.
    let f = band_figures(&want, &removed, 0, SR);
    let (hi, mid) = (-f.sibilant_drop_db, f.sibilant_voice_change_db);
    println!("Listen Removed re delayed input, sibilant frames: 4-10 kHz {hi:+.1} dB, 200 Hz-3 kHz {mid:+.1} dB");
    assert!(
        hi > mid + 3.0,
        "Removed is not weighted towards the sibilance band: {f:?}"
    );
}


/// Magnitude of the detection filter `D` for the High-pass shape: a 4th-order Butterworth high-pass
/// at `band_hz` (two RBJ high-pass sections, Q = 0.5412 and 1.3066), written out independently.
fn detection_band_magnitude(freq_hz: f64, band_hz: f64, sr: f64) -> f64 {
    [0.541_196_100_146_197, 1.306_562_964_876_376_5]
        .iter()
        .map(|&q| {
            let w0 = 2.0 * std::f64::consts::PI * band_hz / sr;
            let alpha = w0.sin() / (2.0 * q);
            let (b0, b1, b2) = ((1.0 + w0.cos()) / 2.0, -(1.0 + w0.cos()), (1.0 + w0.cos()) / 2.0);
            let (a0, a1, a2) = (1.0 + alpha, -2.0 * w0.cos(), 1.0 - alpha);
            let w = 2.0 * std::f64::consts::PI * freq_hz / sr;
            let z = |c0: f64, c1: f64, c2: f64| {
                let re = c0 + c1 * w.cos() + c2 * (2.0 * w).cos();
                let im = -(c1 * w.sin() + c2 * (2.0 * w).sin());
                (re * re + im * im).sqrt()
            };
            z(b0, b1, b2) / z(a0, a1, a2)
        })
        .product()
}

/// Listen Sibilance outputs what the detector hears: the detection band `D(x)` (24 dB/oct), delayed
/// to line up with the audio. Steady sines come out with the gain of `D`; on the vocal the sibilance
/// passes while the voice (200 Hz-3 kHz of non-sibilant frames) is far down.
#[test]
fn listen_sibilance_outputs_the_detection_band() {
    let mut failures = Vec::new();
    for band_hz in [5000.0, 8000.0] {
        for freq in [1000.0, 2000.0, 3000.0, 5000.0, 8000.0, 12_000.0] {
            let len = 24_000;
            let input = sine(len, SR, freq, 0.1);
            let mut plugin = de_esser_with(
                &[("Frequency", band_hz)],
                &[("Listen", "Sibilance")],
                SR,
                512,
            );
            let latency = plugin.latency().unwrap() as usize;
            let out = process(&mut plugin, &input, &blocks::fixed(len, 512));
            let got = db(rms(&out, len / 2..len) / rms(&input, len / 2 - latency..len - latency));
            let want = db(detection_band_magnitude(freq, band_hz, SR));
            println!("Listen Sibilance, band {band_hz} Hz, {freq} Hz sine: {got:+.2} dB (|D| = {want:+.2} dB)");
            // Deep in the stop band the sine is 60+ dB down: compare there only to within 1 dB.
            let tolerance = if want < -40.0 { 1.0 } else { 0.2 };
            if (got - want).abs() > tolerance {
                failures.push(format!("band {band_hz} Hz, {freq} Hz: {got:+.2} dB, |D| {want:+.2} dB"));
            }
        }
    }
    let input = vocal();
    let len = input[0].len();
    let mut plugin = de_esser_with(&[], &[("Listen", "Sibilance")], SR, 512);
    let latency = plugin.latency().unwrap() as usize;
    let out = process(&mut plugin, &input, &blocks::fixed(len, 512));
    let f = band_figures(&input, &out, latency, SR);
    println!(
        "Listen Sibilance on the vocal re input: non-sibilant frames 200 Hz-3 kHz {:+.1} dB, 4-10 kHz {:+.1} dB; \
         sibilant frames 200 Hz-3 kHz {:+.1} dB, 4-10 kHz {:+.1} dB",
        f.non_sibilant_change_db, f.non_sibilant_high_change_db, f.sibilant_voice_change_db, -f.sibilant_drop_db
    );
    if (-f.sibilant_drop_db).abs() > 3.0 {
        failures.push(format!(
            "vocal: the 4-10 kHz band of sibilant frames comes out at {:+.1} dB",
            -f.sibilant_drop_db
        ));
    }
    if f.non_sibilant_change_db > -25.0 {
        failures.push(format!(
            "vocal: the voice (200 Hz-3 kHz, non-sibilant frames) is only {:+.1} dB down in Listen Sibilance",
            f.non_sibilant_change_db
        ));
    }
    assert!(failures.is_empty(), "{failures:#?}");
}

#[test]
fn bypass_passes_the_input_delayed_by_the_latency() {
    let input = head(&vocal(), 4 * 48_000);
    let len = input[0].len();
    let heavy = [("Threshold", -40.0), ("Range", 24.0), ("Lookahead", 3.0)];
    let mut plugin = de_esser_with(&heavy, &[("Bypass", "On")], SR, 512);
    let latency = plugin.latency().unwrap() as usize;
    assert_eq!(latency, 144, "Lookahead 3 ms at 48 kHz");
    let out = process(&mut plugin, &input, &blocks::fixed(len, 512));
    let diff = max_abs_diff(&out, &delayed(&input, latency, 1.0));
    let mut active = de_esser_with(&heavy, &[], SR, 512);
    let changed = max_abs_diff(
        &process(&mut active, &input, &blocks::fixed(len, 512)),
        &delayed(&input, latency, 1.0),
    );
    println!("Bypass: max diff {diff:.3e}; the same settings unbypassed change the vocal by up to {changed:.4}");
    assert!(
        changed > 1e-2,
        "the heavy settings do nothing, so the bypass check proves nothing"
    );
    assert!(
        diff <= 1e-6,
        "bypassed output differs from the input delayed by {latency}: {diff:e}"
    );
}

#[test]
fn output_gain_scales_the_idle_signal() {
    let len = 24_000;
    let input = noise(len, 0.1, 9);
    let mut plugin = de_esser_with(
        &[("Threshold", 0.0), ("Output", 6.0)],
        &[("Detection", "Absolute")],
        SR,
        512,
    );
    let latency = plugin.latency().unwrap() as usize;
    let out = process(&mut plugin, &input, &blocks::fixed(len, 512));
    let gain = 10f32.powf(6.0 / 20.0);
    let diff = max_abs_diff(&out, &delayed(&input, latency, gain));
    println!("Output +6 dB: max diff to input x {gain} delayed {diff:.3e}");
    assert!(
        diff <= 1e-5,
        "Output +6 dB: differs from input x {gain} delayed by {latency}: {diff:e}"
    );
}

// ---------------------------------------------------------------------- block partitions

#[test]
fn output_does_not_depend_on_the_block_partition() {
    let input = vocal();
    let len = input[0].len();
    let short = 2 * 48_000;
    let reference = {
        let mut p = de_esser_with(&[], &[], SR, 4096);
        process(&mut p, &input, &blocks::fixed(len, 4096))
    };
    let effect = max_abs_diff(&reference, &delayed(&input, 48, 1.0));
    assert!(
        effect > 1e-3,
        "the defaults did nothing to the vocal ({effect:e}): partitions cannot differ"
    );
    let mut failures = Vec::new();
    for (label, parts) in [
        ("fixed 512", blocks::fixed(len, 512)),
        ("fixed 4096 + odd", blocks::fixed(len, 4095)),
        ("random 1..4096 seed 1", blocks::random(len, 1, 4096, 1)),
        ("random 1..64 seed 2", blocks::random(len, 1, 64, 2)),
        ("single samples (first 2 s)", blocks::fixed(short, 1)),
    ] {
        let total: usize = parts.iter().sum();
        let mut p = de_esser_with(&[], &[], SR, 4096);
        let out = process(&mut p, &head(&input, total), &parts);
        let diff = max_abs_diff(&out, &head(&reference, total));
        println!("{label}: max diff to blocks of 4096: {diff:.3e}");
        if diff > 1e-6 {
            failures.push(format!(
                "{label}: output differs from blocks of 4096 by {diff:e}"
            ));
        }
    }
    assert!(failures.is_empty(), "{failures:#?}");
}

/// The plugin declares sample-accurate automation, so parameter changes inside a block must land
/// on their sample whatever the partition.
#[test]
fn automation_lands_on_its_sample_whatever_the_partition() {
    let input = head(&vocal(), 6 * 48_000);
    let len = input[0].len();
    let probe = de_esser();
    let thresh = probe.param_info("Threshold").unwrap().id;
    let output = probe.param_info("Output").unwrap().id;
    let range = probe.param_info("Range").unwrap().id;
    let changes = [
        ParamChange {
            sample: 50_001,
            id: thresh,
            value: probe.text_to_value(thresh, "-30").unwrap(),
        },
        ParamChange {
            sample: 100_003,
            id: output,
            value: probe.text_to_value(output, "-6").unwrap(),
        },
        ParamChange {
            sample: 150_007,
            id: range,
            value: probe.text_to_value(range, "20").unwrap(),
        },
        ParamChange {
            sample: 200_011,
            id: thresh,
            value: probe.text_to_value(thresh, "-6").unwrap(),
        },
    ];
    drop(probe);
    let run = |parts: &[usize]| {
        let mut p = de_esser_with(&[], &[], SR, 4096);
        process_with(&mut p, &input, parts, &changes)
    };
    let reference = run(&blocks::fixed(len, 4096));
    let unautomated = {
        let mut p = de_esser_with(&[], &[], SR, 4096);
        process(&mut p, &input, &blocks::fixed(len, 4096))
    };
    let effect = max_abs_diff(&reference, &unautomated);
    assert!(
        effect > 1e-2,
        "the automation changed nothing ({effect:e}), so the test proves nothing"
    );
    let mut failures = Vec::new();
    for (label, parts) in [
        ("fixed 512", blocks::fixed(len, 512)),
        ("random 1..4096 seed 5", blocks::random(len, 1, 4096, 5)),
        ("random 1..128 seed 6", blocks::random(len, 1, 128, 6)),
    ] {
        let diff = max_abs_diff(&run(&parts), &reference);
        println!("automated, {label}: max diff to blocks of 4096: {diff:.3e} (automation itself changes up to {effect:.3})");
        if diff > 1e-6 {
            failures.push(format!(
                "{label}: automated output differs from blocks of 4096 by {diff:e}"
            ));
        }
    }
    assert!(failures.is_empty(), "{failures:#?}");
}

// ---------------------------------------------------------------------------- bad input

fn burst(signal: &mut [Vec<f32>], at: usize, len: usize, value: f32) {
    for ch in signal.iter_mut() {
        ch[at..at + len].fill(value);
    }
}

#[test]
fn nan_and_inf_bursts_never_reach_the_output() {
    isolated("nan_and_inf_bursts_never_reach_the_output", || {
        let clean = head(&vocal(), 4 * 48_000);
        let len = clean[0].len();
        let mut dirty = clean.clone();
        burst(&mut dirty, 10_000, 64, f32::NAN);
        burst(&mut dirty, 20_000, 1, f32::INFINITY);
        burst(&mut dirty, 25_000, 300, f32::NEG_INFINITY);
        burst(&mut dirty, 30_000, 50, 1.0e6);
        let mut rng = Rng::new(4);
        for ch in dirty.iter_mut() {
            for s in &mut ch[40_000..40_500] {
                *s = [f32::NAN, f32::INFINITY, f32::NEG_INFINITY][rng.range(0, 2)];
            }
        }
        // Only one channel: stereo link must not spread the damage either.
        dirty[1][60_000..60_200].fill(f32::NAN);
        for (label, numbers, texts) in [
            ("defaults", &[][..], &[][..]),
            (
                "wideband, absolute -50 dBFS, 5 ms",
                &[("Threshold", -50.0), ("Lookahead", 5.0)][..],
                &[("Mode", "Wideband"), ("Detection", "Absolute")][..],
            ),
            (
                "band-pass, Listen Removed",
                &[][..],
                &[("Filter", "Band-pass"), ("Listen", "Removed")][..],
            ),
        ] {
            let parts = blocks::random(len, 1, 1024, 31);
            let mut plugin = de_esser_with(numbers, texts, SR, 1024);
            let out = process(&mut plugin, &dirty, &parts);
            if let Some(bad) = first_non_finite(&out) {
                panic!("{label}: non-finite output (channel, sample, value) = {bad:?}");
            }
            let peak = out.iter().flatten().fold(0.0f32, |m, &v| m.max(v.abs()));
            assert!(
                peak <= 4.0,
                "{label}: output peak {peak} after bursts (input peak of the clean vocal is <= 1)"
            );
            // Recovery: from 1 s after the last burst, the output equals a clean run's.
            let mut twin = de_esser_with(numbers, texts, SR, 1024);
            let reference = process(&mut twin, &clean, &parts);
            let tail = 60_200 + 48_000;
            let diff = max_abs_diff(&head_from(&out, tail), &head_from(&reference, tail));
            let level = rms(&reference, tail..len);
            println!("{label}: output peak {peak:.3}; 1 s after the last burst max diff to a clean run {diff:.3e} (rms {level:.3e})");
            assert!(
                level > 1e-3,
                "{label}: the clean run is silent after the bursts"
            );
            assert!(diff <= 1e-4, "{label}: 1 s after the bursts the output still differs from a clean run by {diff:e}");
        }
    });
}

// --------------------------------------------------------------------------------- state

/// Non-default settings for every parameter except Bypass.
const STATE_NUMBERS: &[(&str, f64)] = &[
    ("Frequency", 4000.0),
    ("Width", 2.0),
    ("Threshold", -40.0),
    ("Range", 18.0),
    ("Attack", 2.0),
    ("Release", 120.0),
    ("Lookahead", 2.5),
    ("Stereo Link", 50.0),
    ("Output", -3.0),
];
const STATE_TEXTS: &[(&str, &str)] = &[
    ("Mode", "Wideband"),
    ("Filter", "Band-pass"),
    ("Detection", "Absolute"),
    ("Listen", "Removed"),
];

fn configured() -> PluginInstance {
    with_settings(de_esser, STATE_NUMBERS, STATE_TEXTS)
}

#[test]
fn state_round_trips_every_parameter() {
    assert_state_round_trips_every_parameter(configured, de_esser);
}

#[test]
fn loaded_state_drives_the_dsp_like_the_original() {
    let input = head(&vocal(), 3 * 48_000);
    let len = input[0].len();
    let parts = blocks::fixed(len, 256);
    let mut a = configured();
    let saved = a.save_state().unwrap();
    a.activate(SR, 256).unwrap();
    let out_a = process(&mut a, &input, &parts);

    // Load into an instance that is active and has processed, as on a DAW's preset recall.
    let mut b = de_esser();
    b.activate(SR, 256).unwrap();
    process(&mut b, &silence(256), &[256]);
    b.load_state(&saved).unwrap();
    b.service_host_requests().unwrap();
    b.deactivate();
    b.activate(SR, 256).unwrap();
    assert_eq!(
        b.latency().unwrap(),
        120,
        "latency after loading Lookahead 2.5 ms"
    );
    assert_eq!(
        a.latency().unwrap(),
        b.latency().unwrap(),
        "latency after loading the state"
    );
    let out_b = process(&mut b, &input, &parts);
    let diff = max_abs_diff(&out_a, &out_b);
    let level = db(rms(&out_a, 0..len) / rms(&input, 0..len));
    println!("state-driven outputs: max diff {diff:.3e}; configured output (Listen Removed) at {level:.1} dB re input");
    assert!(
        level > -60.0,
        "the configured de-esser removed nothing, so this comparison proves nothing"
    );
    assert!(
        diff <= 1e-6,
        "same state, same input, outputs differ by {diff:e}"
    );
}

#[test]
fn editor_size_persists_in_the_state() {
    assert_editor_size_persists(de_esser, (920, 560), (1111, 666));
}
