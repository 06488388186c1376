//! The Stem Transient Clipper through its built CLAP binary: ports and layouts, the parameter
//! table, latency per Oversampling x Filter, the ceiling, flatness below the knee, block
//! partitions, Transient Only on the drum stem, bad input, state, Delta and Bypass.
//!
//! These are host-level versions of the promises `shared-dsp/tests/clipper_*.rs` check on the DSP
//! (see `shared-dsp/src/clipper.rs` for the signal path). Signals stay short (a few seconds per
//! test at most): the same file runs against debug bundles built with `assert_process_allocs`.

mod common;

use clap_host::clap_sys::audio_buffer::clap_audio_buffer;
use clap_host::clap_sys::events::{clap_event_header, clap_input_events, clap_output_events};
use clap_host::clap_sys::process::{clap_process, CLAP_PROCESS_ERROR};
use clap_host::{blocks, parse_display_number, ParamChange, ParamInfo, PluginInstance, Rng};
use common::main_port::*;
use common::params::*;
use common::state_checks::*;
use common::*;

/// Sample rate of most tests, Hz.
const SR: f64 = 48_000.0;
/// Rates the latency is checked at, Hz.
const RATES: [f64; 3] = [44_100.0, 48_000.0, 96_000.0];
/// Oversampling choices, in parameter order.
const FACTORS: [&str; 5] = ["Off", "2x", "4x", "8x", "16x"];
/// Filter choices, in parameter order.
const FILTERS: [&str; 2] = ["Linear Phase", "Minimum Phase"];

/// A clipper with `numbers` (display units) and `texts` set, activated at `sr` Hz for blocks up to
/// `max_block` samples.
fn clipper_with(numbers: Numbers, texts: Texts, sr: f64, max_block: u32) -> PluginInstance {
    activated_with(clipper, numbers, texts, sr, max_block)
}

/// `testdata/stems-a/drums.wav`: 3 s of the test song's drum stem, 48 kHz stereo.
fn drums() -> Vec<Vec<f32>> {
    stereo_stem("drums", SR, 140_000)
}

/// Frames `range` of every channel.
fn slice(signal: &[Vec<f32>], range: std::ops::Range<usize>) -> Vec<Vec<f32>> {
    signal.iter().map(|c| c[range.clone()].to_vec()).collect()
}

/// Uniform noise in `-amp..amp`, `channels` channels, seeded.
fn noise(channels: usize, len: usize, amp: f32, seed: u64) -> Vec<Vec<f32>> {
    let mut rng = Rng::new(seed);
    (0..channels)
        .map(|_| (0..len).map(|_| amp * rng.bipolar()).collect())
        .collect()
}

/// Stereo sum of 12 sines per channel at seeded random frequencies in 40 Hz..`top_hz` and random
/// phases, scaled to exactly `peak`, with 10 ms raised-cosine fades at both ends so that the whole
/// signal stays band-limited below `top_hz` (plus a few Hz).
fn tones(len: usize, sr: f64, top_hz: f64, peak: f64, seed: u64) -> Vec<Vec<f32>> {
    let mut rng = Rng::new(seed);
    let fade = (0.010 * sr) as usize;
    let channels: Vec<Vec<f64>> = (0..2)
        .map(|_| {
            let partials: Vec<(f64, f64)> = (0..12)
                .map(|_| {
                    (
                        40.0 + rng.next_f64() * (top_hz - 40.0),
                        rng.next_f64() * std::f64::consts::TAU,
                    )
                })
                .collect();
            (0..len)
                .map(|i| {
                    let t = i as f64 / sr;
                    let edge = i.min(len - 1 - i);
                    let w = if edge < fade {
                        0.5 - 0.5 * (std::f64::consts::PI * edge as f64 / fade as f64).cos()
                    } else {
                        1.0
                    };
                    w * partials
                        .iter()
                        .map(|&(f, p)| (std::f64::consts::TAU * f * t + p).sin())
                        .sum::<f64>()
                })
                .collect()
        })
        .collect();
    let top = channels
        .iter()
        .flatten()
        .fold(0.0f64, |m, v| m.max(v.abs()));
    channels
        .iter()
        .map(|c| c.iter().map(|v| (v * peak / top) as f32).collect())
        .collect()
}

/// [`tones`] under a smooth swell every 200 ms (5 Hz raised cosine to the 4th power between 0.15
/// and 1), so the level crosses the ceiling repeatedly while the signal stays band-limited.
fn swelling_tones(len: usize, sr: f64, top_hz: f64, peak: f64, seed: u64) -> Vec<Vec<f32>> {
    let t = tones(len, sr, top_hz, 1.0, seed);
    t.iter()
        .map(|c| {
            c.iter()
                .enumerate()
                .map(|(i, &v)| {
                    let phase = std::f64::consts::TAU * 5.0 * i as f64 / sr;
                    let env = 0.15 + 0.85 * (0.5 - 0.5 * phase.cos()).powi(4);
                    (v as f64 * env * peak) as f32
                })
                .collect()
        })
        .collect()
}

/// Random block sizes, all odd, in 1..=`max` (`max` odd); the last block is whatever is left
/// (made odd too when possible by splitting off one sample).
fn odd_blocks(total: usize, max: usize, seed: u64) -> Vec<usize> {
    assert!(max % 2 == 1, "max must be odd");
    let mut rng = Rng::new(seed);
    let mut parts = Vec::new();
    let mut left = total;
    while left > 0 {
        let n = (2 * rng.range(0, max / 2) + 1).min(left);
        if n.is_multiple_of(2) {
            parts.extend([n - 1, 1]);
        } else {
            parts.push(n);
        }
        left -= n;
    }
    parts
}

/// `10^(db/20)` in f64.
fn gain(db: f64) -> f64 {
    10f64.powf(db / 20.0)
}

/// Largest |sample| over every channel, in f64.
fn peak(signal: &[Vec<f32>]) -> f64 {
    signal
        .iter()
        .flatten()
        .fold(0.0f64, |m, &v| m.max((v as f64).abs()))
}

/// Index of the largest |sample| of one channel.
fn argmax(channel: &[f32]) -> usize {
    argmax_abs(&[channel.to_vec()])
}

/// RMS of `a - b` over `range` relative to the RMS of `b` there, in dB.
fn residual_db(a: &[Vec<f32>], b: &[Vec<f32>], range: std::ops::Range<usize>) -> f64 {
    let diff: Vec<Vec<f32>> = a
        .iter()
        .zip(b)
        .map(|(x, y)| x.iter().zip(y).map(|(p, q)| p - q).collect())
        .collect();
    db(rms(&diff, range.clone()) / rms(b, range))
}

// ------------------------------------------------------------------------------------ ports

#[test]
fn ports_are_stereo_main_in_and_out_named_output_without_aux() {
    assert_main_only_stereo_ports(&clipper());
}

#[test]
fn mono_layout_is_offered_and_processes_like_either_channel_of_dual_mono_stereo() {
    let mut plugin = clipper();
    let configs = select_the_mono_layout(&mut plugin);

    // Driven into the ceiling with Transient Only half on: one channel through the mono layout must
    // equal either channel of a stereo instance fed that channel twice (the mask reads the louder
    // channel, which is the same signal then).
    let settings = [("Drive", 12.0), ("Ceiling", -6.0), ("Transient Only", 50.0)];
    set_params(&mut plugin, &settings, &[]);
    let len = 48_000;
    let left = vec![drums()[0][..len].to_vec()];
    let parts = blocks::random(len, 1, 1024, 17);
    let mut stereo = clipper_with(&settings, &[], SR, 1024);
    let (mono, latency, diff) =
        mono_vs_dual_mono(&mut plugin, &mut stereo, &left, &parts, SR, 1024);
    let effect = max_abs_diff(&mono, &delayed(&left, latency, gain(12.0) as f32));
    println!("mono vs dual-mono stereo: max diff {diff:e}; mono output vs driven delayed input: {effect:.4}");
    assert!(
        effect > 1e-2,
        "the mono instance clipped nothing (max change {effect:e})"
    );
    assert!(
        diff == 0.0,
        "mono output differs from the dual-mono stereo output by {diff:e}"
    );

    back_to_the_stereo_layout(&mut plugin, &configs);
}

// ------------------------------------------------------------------------------- parameters

/// Continuous parameters: display name, `#[id]`, display min, max, default, display unit.
const FLOATS: &[(&str, &str, f64, f64, f64, &str)] = &[
    ("Drive", "drive", 0.0, 24.0, 0.0, "dB"),
    ("Ceiling", "ceiling", -24.0, 0.0, -1.0, "dBFS"),
    ("Output", "output", -24.0, 24.0, 0.0, "dB"),
    ("Mix", "mix", 0.0, 100.0, 100.0, "%"),
    ("Softness", "softness", 0.0, 100.0, 30.0, "%"),
    ("Transient Only", "transient", 0.0, 100.0, 0.0, "%"),
    ("Stereo Link", "link", 0.0, 100.0, 0.0, "%"),
];

/// Enums: display name, `#[id]`, variants in index order, default index.
const ENUMS: &[(&str, &str, &[&str], usize)] = &[
    ("Curve", "curve", &["Hard", "Soft", "Cubic", "Sine"], 1),
    ("Oversampling", "oversampling", &FACTORS, 2),
    ("Filter", "filter", &FILTERS, 0),
];

/// Toggles: display name, `#[id]`, default.
const TOGGLES: &[(&str, &str, bool)] = &[
    ("Safety Clip", "safety", true),
    ("Delta", "delta", false),
    ("Bypass", "bypass", false),
];

/// The CLAP id nice-plug 0.4.2 derives from a parameter's string `#[id]` (`hash_param_id` in
/// `src/wrapper/util.rs`: a 31-multiplier string hash with the top bit cleared). Pinning these
/// pins the string ids, which must never change once shipped.
fn clap_param_id(id: &str) -> u32 {
    id.bytes()
        .fold(0u32, |h, b| h.wrapping_mul(31).wrapping_add(b as u32))
        & !(1 << 31)
}

#[test]
fn exactly_the_documented_parameters_exist_with_stable_ids_at_their_defaults() {
    let plugin = clipper();
    let params = plugin.params().unwrap();
    let expected: Vec<(&str, &str)> = FLOATS
        .iter()
        .map(|f| (f.0, f.1))
        .chain(ENUMS.iter().map(|e| (e.0, e.1)))
        .chain(TOGGLES.iter().map(|t| (t.0, t.1)))
        .collect();
    let names: Vec<&str> = params.iter().map(|p| p.name.as_str()).collect();
    println!("clipper parameters: {names:?}");
    let mut problems = Vec::new();
    for &(name, string_id) in &expected {
        let found: Vec<&ParamInfo> = params.iter().filter(|p| p.name == name).collect();
        match found.as_slice() {
            [p] => {
                if p.id != clap_param_id(string_id) {
                    problems.push(format!(
                        "{name}: CLAP id {} is not that of #[id = \"{string_id}\"] ({})",
                        p.id,
                        clap_param_id(string_id)
                    ));
                }
            }
            _ => problems.push(format!("{name} appears {} times", found.len())),
        }
    }
    if params.len() != expected.len() {
        problems.push(format!(
            "{} parameters, {} documented: {names:?}",
            params.len(),
            expected.len()
        ));
    }
    for p in &params {
        if !(p.min < p.max && p.min <= p.default && p.default <= p.max) {
            problems.push(format!("bad range {p:?}"));
        }
        if !p.is_automatable() || p.is_hidden() || p.is_readonly() {
            problems.push(format!(
                "{} should be automatable, visible and writable: {p:?}",
                p.name
            ));
        }
        let v = plugin.param_value(p.id).unwrap();
        if v != p.default {
            problems.push(format!(
                "fresh instance: {} is {v}, its default is {}",
                p.name, p.default
            ));
        }
    }
    assert!(problems.is_empty(), "{problems:#?}");
}

#[test]
fn continuous_parameters_span_the_documented_ranges_and_units() {
    let plugin = clipper();
    let floats: Vec<Float> = FLOATS
        .iter()
        .map(|&(name, _, min, max, default, unit)| (name, min, max, default, unit))
        .collect();
    let problems = float_range_problems(
        &plugin,
        &floats,
        |text, _| parse_display_number(text).unwrap_or(f64::NAN),
        |text, unit| {
            // The unit exactly once, at the end ("dB" must not be "dBFS" and vice versa, no "%%").
            let suffix = text
                .trim_start_matches(|c: char| c.is_ascii_digit() || "+-.".contains(c))
                .trim();
            (suffix != unit)
                .then(|| format!("{text:?} shows the unit {suffix:?}, expected {unit:?}"))
        },
    );
    assert!(problems.is_empty(), "{problems:#?}");
}

#[test]
fn enums_and_toggles_have_the_documented_values() {
    let plugin = clipper();
    let mut problems = Vec::new();
    // NOTE: nice-plug 0.4.2 stores values normalised in f32, so a stepped value comes back as
    // e.g. 1.0000000298 for the second of four variants (1/3 rounded to f32, times 3). Hosts round
    // stepped values, so a step counts as hit within 1e-6.
    let on_step = |x: f64, i: usize| (x - i as f64).abs() <= 1e-6;
    for &(name, _, variants, default) in ENUMS {
        let p = info(&plugin, name);
        if !p.is_stepped()
            || (p.min, p.max) != (0.0, (variants.len() - 1) as f64)
            || !on_step(p.default, default)
        {
            problems.push(format!(
                "{name}: expected {} steps, default {default}: {p:?}",
                variants.len()
            ));
        }
        for (i, v) in variants.iter().enumerate() {
            let text = plugin.value_to_text(p.id, i as f64).unwrap();
            if text != *v {
                problems.push(format!(
                    "{name} value {i} displays {text:?}, expected {v:?}"
                ));
            }
            match plugin.text_to_value(p.id, v) {
                Ok(x) if on_step(x, i) => {}
                other => problems.push(format!("{name}: text {v:?} -> {other:?}, expected {i}")),
            }
        }
    }
    for &(name, _, default) in TOGGLES {
        let p = info(&plugin, name);
        if !p.is_stepped()
            || (p.min, p.max, p.default) != (0.0, 1.0, if default { 1.0 } else { 0.0 })
        {
            problems.push(format!(
                "{name}: expected a toggle defaulting to {default}: {p:?}"
            ));
        }
        for (value, text) in [(0.0, "Off"), (1.0, "On")] {
            let shown = plugin.value_to_text(p.id, value).unwrap();
            if shown != text {
                problems.push(format!(
                    "{name} {value} displays {shown:?}, expected {text:?}"
                ));
            }
        }
        if p.is_bypass() != (name == "Bypass") {
            problems.push(format!("{name}: bypass flag is {}: {p:?}", p.is_bypass()));
        }
    }
    let flagged = bypass_flag_count(&plugin);
    if flagged != 1 {
        problems.push(format!(
            "{flagged} parameters carry the bypass flag, expected exactly 1"
        ));
    }
    assert!(problems.is_empty(), "{problems:#?}");
}

// ---------------------------------------------------------------------------------- latency

/// Where an impulse starts.
const AT: usize = 300;

/// Renders impulses at [`AT`] (+0.25 on the first channel, -0.125 on the second, at least 12 dB
/// under the knee of the default settings) and returns each channel's argmax minus [`AT`].
fn impulse_delays(plugin: &mut PluginInstance, channels: usize, seed: u64) -> Vec<isize> {
    let latency = plugin.latency().unwrap() as usize;
    let len = AT + latency + 1024;
    let mut input = vec![vec![0.0f32; len]; channels];
    for (ch, amp) in input.iter_mut().zip([0.25, -0.125]) {
        ch[AT] = amp;
    }
    let max_block = plugin.activation().unwrap().max_frames as usize;
    let out = process(plugin, &input, &blocks::random(len, 1, max_block, seed));
    out.iter()
        .map(|c| argmax(c) as isize - AT as isize)
        .collect()
}

#[test]
fn reported_latency_is_the_impulse_argmax_for_every_oversampling_and_filter() {
    let mut failures = Vec::new();
    let mut table = Vec::new();
    for (f, factor) in FACTORS.into_iter().enumerate() {
        for filter in FILTERS {
            let texts = [("Oversampling", factor), ("Filter", filter)];
            let mut per_rate = Vec::new();
            for (r, sr) in RATES.into_iter().enumerate() {
                let seed = (f * 10 + r) as u64;
                let mut stereo = clipper_with(&[], &texts, sr, 512);
                let latency = stereo.latency().unwrap() as isize;
                let delays = impulse_delays(&mut stereo, 2, seed);
                let mut mono = clipper();
                let configs = mono.audio_ports_configs().unwrap();
                mono.select_audio_ports_config(configs[1].id).unwrap();
                set_params(&mut mono, &[], &texts);
                mono.activate(sr, 512).unwrap();
                let mono_latency = mono.latency().unwrap() as isize;
                let mono_delays = impulse_delays(&mut mono, 1, seed + 100);
                if delays.iter().chain(&mono_delays).any(|&d| d != latency)
                    || mono_latency != latency
                {
                    failures.push(format!(
                        "{factor} {filter} @ {sr} Hz: reported {latency} (mono {mono_latency}), impulse peaks at \
                         {delays:?} (mono {mono_delays:?})"
                    ));
                }
                per_rate.push(latency);
            }
            if per_rate.iter().any(|&l| l != per_rate[0]) {
                failures.push(format!(
                    "{factor} {filter}: latency differs between rates {RATES:?}: {per_rate:?}"
                ));
            }
            table.push((factor, filter, per_rate[0]));
        }
    }
    println!("latency (samples, same at {RATES:?}, stereo and mono): {table:?}");
    for factor in FACTORS {
        let of = |filter: &str| {
            table
                .iter()
                .find(|t| t.0 == factor && t.1 == filter)
                .unwrap()
                .2
        };
        let (linear, minimum) = (of(FILTERS[0]), of(FILTERS[1]));
        if factor == "Off" && (linear, minimum) != (0, 0) {
            failures.push(format!("Off should have no latency: {linear} / {minimum}"));
        }
        if factor != "Off" && minimum >= linear {
            failures.push(format!(
                "{factor}: minimum phase ({minimum}) is not shorter than linear ({linear})"
            ));
        }
    }
    assert!(failures.is_empty(), "{failures:#?}");
}

/// Latency of a fresh instance with `factor` and `filter` at [`SR`].
fn latency_of(factor: &str, filter: &str) -> u32 {
    clipper_with(
        &[],
        &[("Oversampling", factor), ("Filter", filter)],
        SR,
        512,
    )
    .latency()
    .unwrap()
}

#[test]
fn changing_oversampling_while_processing_updates_the_reported_latency() {
    let mut plugin = clipper_with(&[], &[("Oversampling", "Off")], SR, 512);
    assert_eq!(plugin.latency().unwrap(), 0, "Oversampling Off");
    // A tone, then silence longer than any latency: nothing of it is left when the impulse goes in.
    let mut input = sine(12_000, SR, 440.0, 0.25);
    for ch in input.iter_mut() {
        ch[10_000..].fill(0.0);
    }
    let mut current = ("Off", FILTERS[0]);
    let mut failures = Vec::new();
    let mut latency_changes = 0;
    for (step, (name, text)) in [
        ("Oversampling", "4x"),
        ("Oversampling", "16x"),
        ("Filter", "Minimum Phase"),
        ("Oversampling", "2x"),
        ("Filter", "Linear Phase"),
    ]
    .into_iter()
    .enumerate()
    {
        if name == "Oversampling" {
            current.0 = text;
        } else {
            current.1 = text;
        }
        let want = latency_of(current.0, current.1);
        let before = plugin.latency().unwrap();
        let (restarts, notified) = (plugin.restart_count(), plugin.latency_changed_count());
        let id = plugin.param_info(name).unwrap().id;
        let value = plugin.text_to_value(id, text).unwrap();
        let change = ParamChange {
            sample: 1000 + 77 * step,
            id,
            value,
        };
        let out = process_with(
            &mut plugin,
            &input,
            &blocks::fixed(input[0].len(), 512),
            &[change],
        );
        assert!(
            first_non_finite(&out).is_none(),
            "non-finite output around the switch to {text}"
        );
        let got = plugin.latency().unwrap();
        // The audio really is delayed by the new latency.
        let delays = impulse_delays(&mut plugin, 2, step as u64);
        println!(
            "{name} -> {text} while processing: latency {before} -> {got} (fresh instance {want}), impulse at \
             {delays:?}, restarts {} -> {}, latency.changed() {} -> {}",
            restarts,
            plugin.restart_count(),
            notified,
            plugin.latency_changed_count()
        );
        if got != want || delays.iter().any(|&d| d != want as isize) {
            failures.push(format!(
                "{name} -> {text}: latency() {got}, impulse at {delays:?}, expected {want}"
            ));
        }
        if want == before {
            // Some factors share a latency (the minimum-phase ones): then nothing is to be reported.
            continue;
        }
        latency_changes += 1;
        if plugin.restart_count() <= restarts {
            failures.push(format!(
                "{name} -> {text}: latency {before} -> {want} without a restart request"
            ));
        }
        if plugin.latency_changed_count() <= notified {
            failures.push(format!(
                "{name} -> {text}: the host was never told through clap_host_latency.changed()"
            ));
        }
    }
    // Off -> 4x and linear -> minimum phase always change it (see the latency table test).
    assert!(
        latency_changes >= 2,
        "only {latency_changes} switches changed the latency"
    );
    assert!(failures.is_empty(), "{failures:#?}");
}

#[test]
fn no_other_parameter_changes_the_latency() {
    let mut failures = Vec::new();
    for (k, (factor, filter)) in [("4x", "Linear Phase"), ("2x", "Minimum Phase")]
        .into_iter()
        .enumerate()
    {
        let texts = [("Oversampling", factor), ("Filter", filter)];
        let mut plugin = clipper_with(&[], &texts, SR, 512);
        let latency = plugin.latency().unwrap();
        // Activation itself reports the latency once (latency.changed() from activate()).
        let notified = plugin.latency_changed_count();
        let others: Vec<ParamInfo> = plugin
            .params()
            .unwrap()
            .into_iter()
            .filter(|p| p.name != "Oversampling" && p.name != "Filter")
            .collect();
        assert_eq!(others.len(), 11, "{others:?}");
        // Every other parameter away from its default and back, as automation while processing.
        let mut rng = Rng::new(50 + k as u64);
        let mut changes = Vec::new();
        for (i, p) in others.iter().enumerate() {
            let away = if p.is_stepped() {
                if p.default == p.max {
                    p.min
                } else {
                    p.max
                }
            } else {
                p.min + (0.2 + 0.6 * rng.next_f64()) * (p.max - p.min)
            };
            changes.push(ParamChange {
                sample: 500 + 331 * i,
                id: p.id,
                value: away,
            });
            changes.push(ParamChange {
                sample: 6000 + 211 * i,
                id: p.id,
                value: p.default,
            });
        }
        let input = noise(2, 9600, 0.8, 3);
        let out = process_with(&mut plugin, &input, &odd_blocks(9600, 511, 4), &changes);
        assert!(first_non_finite(&out).is_none());
        let after_automation = plugin.latency().unwrap();
        let counts = (
            plugin.restart_count(),
            plugin.latency_changed_count(),
            plugin.restart_pending(),
        );
        // And set from the main thread while inactive.
        plugin.deactivate();
        for p in &others {
            let value = if p.is_stepped() {
                p.max - p.default
            } else {
                p.min + 0.37 * (p.max - p.min)
            };
            plugin.set_param(p.id, value).unwrap();
        }
        plugin.activate(SR, 512).unwrap();
        process(&mut plugin, &input, &blocks::fixed(9600, 512));
        let after_settings = plugin.latency().unwrap();
        println!(
            "{factor} {filter}: latency {latency}; after automating the 11 other parameters {after_automation}, after \
             setting them {after_settings}; after the automation: restarts {}, latency.changed() {} (activation \
             alone: {notified})",
            counts.0, counts.1
        );
        if (after_automation, after_settings) != (latency, latency) {
            failures.push(format!(
                "{factor} {filter}: latency {latency} became {after_automation} / {after_settings}"
            ));
        }
        if counts != (0, notified, false) {
            failures.push(format!(
                "{factor} {filter}: automation without a latency change caused {} restarts and {} \
                 latency.changed() calls (restart pending: {})",
                counts.0,
                counts.1 - notified,
                counts.2
            ));
        }
    }
    assert!(failures.is_empty(), "{failures:#?}");
}

// ---------------------------------------------------------------------------------- ceiling

/// Hostile signals for the ceiling, `n` samples each, mono (the right channel is -0.7 x left).
fn ceiling_signals(n: usize, sr: f64, rng: &mut Rng) -> Vec<(&'static str, Vec<f32>)> {
    let mut edge = vec![0.0f32; n];
    edge[n / 3..].fill(1.0e5);
    let mut edge_down = vec![0.0f32; n];
    edge_down[n / 3..2 * n / 3].fill(-1.0e5);
    vec![
        ("+100 dB edge", edge),
        ("-100 dB edge pulse", edge_down),
        ("DC at full scale", vec![1.0; n]),
        ("full-scale noise", (0..n).map(|_| rng.bipolar()).collect()),
        (
            "+20 dBFS noise",
            (0..n).map(|_| 10.0 * rng.bipolar()).collect(),
        ),
        (
            "0 dBFS 7 kHz sine",
            (0..n)
                .map(|i| (std::f64::consts::TAU * 7000.0 * i as f64 / sr).sin() as f32)
                .collect(),
        ),
    ]
}

/// A random value on a parameter's 0.1 display grid in `lo..=hi`.
fn tenths(rng: &mut Rng, lo: f64, hi: f64) -> f64 {
    let (lo, hi) = ((lo * 10.0).round() as i64, (hi * 10.0).round() as i64);
    (lo + rng.range(0, (hi - lo) as usize) as i64) as f64 / 10.0
}

#[test]
fn safety_clip_holds_the_ceiling_for_any_input_and_setting() {
    const N: usize = 2000;
    let mut rng = Rng::new(0xC11F);
    let mut failures = Vec::new();
    let mut checked = 0;
    // Highest output peak relative to its ceiling over every case, dB, and where.
    let mut closest = (f64::NEG_INFINITY, String::new());
    for factor in FACTORS {
        for filter in FILTERS {
            let sr = RATES[rng.range(0, 2)];
            let curve = ["Hard", "Soft", "Cubic", "Sine"][rng.range(0, 3)];
            let delta = if rng.next_f64() < 0.3 { "On" } else { "Off" };
            let ceiling_db = tenths(&mut rng, -24.0, 0.0);
            let numbers = [
                ("Drive", tenths(&mut rng, 0.0, 24.0)),
                ("Ceiling", ceiling_db),
                (
                    "Output",
                    if rng.next_f64() < 0.5 {
                        24.0
                    } else {
                        tenths(&mut rng, -24.0, 24.0)
                    },
                ),
                ("Mix", rng.range(0, 100) as f64),
                ("Softness", rng.range(0, 100) as f64),
                (
                    "Transient Only",
                    if rng.next_f64() < 0.5 {
                        100.0
                    } else {
                        rng.range(0, 100) as f64
                    },
                ),
                ("Stereo Link", rng.range(0, 100) as f64),
            ];
            let texts = [
                ("Oversampling", factor),
                ("Filter", filter),
                ("Curve", curve),
                ("Delta", delta),
                ("Safety Clip", "On"),
            ];
            let mut plugin = clipper_with(&numbers, &texts, sr, 511);
            let ceiling = gain(ceiling_db);
            let label = format!("{factor} {filter} @ {sr} Hz, {curve}, Delta {delta}, {numbers:?}");
            // Every signal through the same instance, one after the other (joins are edges too).
            for (k, (name, signal)) in ceiling_signals(N, sr, &mut rng).into_iter().enumerate() {
                let right: Vec<f32> = signal.iter().map(|x| -0.7 * x).collect();
                let input = vec![signal, right];
                let out = process(&mut plugin, &input, &odd_blocks(N, 511, k as u64 + 7));
                if let Some(bad) = first_non_finite(&out) {
                    failures.push(format!("{name}: non-finite output {bad:?} with {label}"));
                }
                let top = peak(&out);
                if db(top / ceiling) > closest.0 {
                    closest = (db(top / ceiling), format!("{name} with {label}"));
                }
                if top > ceiling {
                    failures.push(format!(
                        "{name}: output peak {top:.9} ({:+.6} dB) above the ceiling {ceiling:.9} with {label}",
                        db(top / ceiling)
                    ));
                }
                checked += 1;
            }
        }
    }
    println!(
        "{checked} signal x setting pairs checked; highest peak {:+.7} dB re ceiling ({})",
        closest.0, closest.1
    );
    assert_eq!(checked, FACTORS.len() * FILTERS.len() * 6);
    assert!(failures.is_empty(), "{failures:#?}");
}

/// The same promise with the default settings and a real drum hit driven hard: the check can fail
/// (Safety Clip off lets the resampling filters' overshoot through, and that is seen here).
#[test]
fn without_safety_clip_the_overshoot_shows_so_the_ceiling_check_can_fail() {
    let input = head(&drums(), 24_000);
    let settings = [("Drive", 18.0), ("Ceiling", -6.0)];
    let ceiling = gain(-6.0);
    let mut on = clipper_with(&settings, &[("Curve", "Hard")], SR, 512);
    let mut off = clipper_with(
        &settings,
        &[("Curve", "Hard"), ("Safety Clip", "Off")],
        SR,
        512,
    );
    let parts = blocks::fixed(24_000, 512);
    let (top_on, top_off) = (
        peak(&process(&mut on, &input, &parts)),
        peak(&process(&mut off, &input, &parts)),
    );
    println!(
        "drum hit driven 18 dB into -6 dBFS, Hard: peak {:+.4} dB re ceiling with Safety Clip, {:+.4} dB without",
        db(top_on / ceiling),
        db(top_off / ceiling)
    );
    assert!(
        top_off > ceiling,
        "without the safety clip nothing passes the ceiling: the test proves nothing"
    );
    assert!(
        top_on <= ceiling,
        "with the safety clip the peak is {top_on} > {ceiling}"
    );
}

// ------------------------------------------------------------------------------- flatness

#[test]
fn below_the_knee_oversampling_off_outputs_the_input_bit_for_bit() {
    let mut failures = Vec::new();
    for (k, (ceiling_db, curve)) in [
        (-1.0, "Soft"),
        (0.0, "Hard"),
        (-6.3, "Cubic"),
        (-17.9, "Sine"),
    ]
    .into_iter()
    .enumerate()
    {
        // Noise peaking 12 dB under the ceiling; the knee (Softness 30%) starts 3.1 dB under it.
        let amp = gain(ceiling_db - 12.0) as f32;
        let input = noise(2, 12_000, amp, 60 + k as u64);
        let mut plugin = clipper_with(
            &[("Ceiling", ceiling_db)],
            &[("Oversampling", "Off"), ("Curve", curve)],
            SR,
            511,
        );
        assert_eq!(plugin.latency().unwrap(), 0);
        let out = process(&mut plugin, &input, &odd_blocks(12_000, 511, k as u64));
        let diff = max_abs_diff(&out, &input);
        let differing = out
            .iter()
            .flatten()
            .zip(input.iter().flatten())
            .filter(|(a, b)| a != b)
            .count();
        println!(
            "Off, ceiling {ceiling_db} dBFS, {curve}: {differing} of {} samples differ, max diff {diff:.3e} (peak {amp:.4})",
            2 * 12_000
        );
        if differing > 0 {
            failures.push(format!(
                "Off, ceiling {ceiling_db} dBFS, {curve}: {differing} samples differ from the input (max {diff:e}, \
                 {:.0} dB re the peak: x * (1 / ceiling) * ceiling rounding?)",
                db(diff / amp as f64)
            ));
        }
    }
    assert!(failures.is_empty(), "{failures:#?}");
}

#[test]
fn below_the_knee_oversampling_is_the_delayed_input() {
    let mut failures = Vec::new();
    let len = 8_000;
    for (k, sr) in [44_100.0, 48_000.0].into_iter().enumerate() {
        // Sines below 18 kHz (flat band of the resampling filters: 20 kHz at 48 kHz, 18.4 kHz at
        // 44.1 kHz), peaking 12 dB under the -1 dBFS ceiling.
        let input = tones(len, sr, 18_000.0, gain(-13.0), 70 + k as u64);
        for factor in &FACTORS[1..] {
            for filter in FILTERS {
                let mut plugin = clipper_with(
                    &[],
                    &[("Oversampling", factor), ("Filter", filter)],
                    sr,
                    511,
                );
                let latency = plugin.latency().unwrap() as usize;
                let out = process(&mut plugin, &input, &odd_blocks(len, 511, 3));
                let want = delayed(&input, latency, 1.0);
                let range = latency..len;
                let residual = residual_db(&out, &want, range.clone());
                let level = db(rms(&out, range.clone()) / rms(&want, range.clone()));
                println!(
                    "{factor} {filter} @ {sr} Hz: residual to the input delayed by {latency}: {residual:.1} dB; \
                     level {level:+.5} dB"
                );
                if filter == FILTERS[0] && residual > -60.0 {
                    failures.push(format!(
                        "{factor} linear phase @ {sr} Hz: residual {residual:.1} dB > -60 dB"
                    ));
                }
                // Minimum phase shifts the phase near the band edge; its magnitude is as flat.
                if level.abs() > 0.01 {
                    failures.push(format!(
                        "{factor} {filter} @ {sr} Hz: level changed by {level:+.4} dB"
                    ));
                }
            }
        }
    }
    assert!(failures.is_empty(), "{failures:#?}");
}

// ---------------------------------------------------------------------- block partitions

#[test]
fn output_does_not_depend_on_the_block_partition() {
    let mut failures = Vec::new();
    let drums = drums();
    for (factor, filter, len) in [
        ("4x", "Linear Phase", 28_800),
        ("8x", "Minimum Phase", 12_000),
    ] {
        let input = head(&drums, len);
        let numbers = [
            ("Drive", 9.0),
            ("Ceiling", -6.0),
            ("Transient Only", 60.0),
            ("Stereo Link", 50.0),
            ("Mix", 80.0),
        ];
        let texts = [("Oversampling", factor), ("Filter", filter)];
        let run = |input: &[Vec<f32>], parts: &[usize]| {
            let mut p = clipper_with(&numbers, &texts, SR, 4096);
            process(&mut p, input, parts)
        };
        let reference = run(&input, &blocks::fixed(len, 4096));
        let latency = clipper_with(&numbers, &texts, SR, 512).latency().unwrap() as usize;
        let effect = max_abs_diff(&reference, &delayed(&input, latency, gain(9.0) as f32));
        assert!(
            effect > 1e-2,
            "{factor} {filter}: nothing was clipped ({effect:e}), partitions cannot differ"
        );
        // Single-sample blocks only over a prefix (they are slow through the host).
        let short = len.min(6_000);
        for (label, parts) in [
            ("fixed 512", blocks::fixed(len, 512)),
            ("fixed 4095", blocks::fixed(len, 4095)),
            ("random 1..4096", blocks::random(len, 1, 4096, 1)),
            ("random 1..64", blocks::random(len, 1, 64, 2)),
            ("random odd 1..511", odd_blocks(len, 511, 3)),
            ("single samples", blocks::fixed(short, 1)),
        ] {
            let total: usize = parts.iter().sum();
            let diff = max_abs_diff(&run(&head(&input, total), &parts), &head(&reference, total));
            println!(
                "{factor} {filter}, {label} ({total} samples): max diff to blocks of 4096 {diff:.3e} (clipping \
                 changes up to {effect:.3})"
            );
            if diff != 0.0 {
                failures.push(format!(
                    "{factor} {filter}, {label}: output differs from blocks of 4096 by {diff:e}"
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{failures:#?}");
}

// --------------------------------------------------------------------------- Transient Only

/// Kick and snare starts in testdata/stems-a/drums.wav (from the song's manifest; the excerpt
/// starts at song sample 96000).
const HITS: [usize; 9] = [
    0, 24_000, 36_000, 48_000, 72_000, 84_000, 90_000, 96_000, 120_000,
];

/// 50..300 ms after each hit, ending at least 5 ms before the next one.
fn body_windows(len: usize) -> Vec<(usize, usize)> {
    let ms = |t: usize| t * SR as usize / 1000;
    HITS.iter()
        .enumerate()
        .map(|(i, &h)| {
            let next = HITS.get(i + 1).copied().unwrap_or(len + ms(5));
            (h + ms(50), (h + ms(300)).min(next - ms(5)).min(len))
        })
        .collect()
}

/// Largest body change over every window and channel, output against the input x `drive_db`
/// delayed by `latency`, in dB RMS.
fn worst_body_change_db(
    out: &[Vec<f32>],
    input: &[Vec<f32>],
    latency: usize,
    drive_db: f64,
) -> f64 {
    let mut worst = 0.0f64;
    for (a, b) in body_windows(input[0].len()) {
        for ch in 0..input.len() {
            let before = rms(&[input[ch].clone()], a..b) * gain(drive_db);
            let after = rms(&[out[ch].clone()], a + latency..b + latency);
            worst = worst.max(db(after / before).abs());
        }
    }
    worst
}

/// Largest output peak within 10 ms of each hit (after the latency), dBFS.
fn hit_peak_dbfs(out: &[Vec<f32>], latency: usize) -> f64 {
    let top = HITS
        .iter()
        .flat_map(|&h| {
            out.iter()
                .map(move |c| peak(&[c[h + latency..(h + latency + 480).min(c.len())].to_vec()]))
        })
        .fold(0.0f64, f64::max);
    db(top)
}

#[test]
fn transient_only_clips_the_drum_hits_and_leaves_the_body() {
    const DRIVE_DB: f64 = 12.0;
    const CEILING_DB: f64 = -12.0;
    let drums = drums();
    // The last body window ends 300 ms after the last hit; keep the latency's worth after it.
    let len = HITS[8] + 300 * 48 + 2048;
    let input = head(&drums, len);
    let numbers = [("Drive", DRIVE_DB), ("Ceiling", CEILING_DB)];
    let run = |transient: f64, filter: &str| {
        let mut p = clipper_with(
            &[numbers[0], numbers[1], ("Transient Only", transient)],
            &[("Safety Clip", "Off"), ("Filter", filter)],
            SR,
            512,
        );
        let latency = p.latency().unwrap() as usize;
        (process(&mut p, &input, &blocks::fixed(len, 512)), latency)
    };
    let mut failures = Vec::new();
    for (filter, overshoot_db) in [("Linear Phase", 1.0), ("Minimum Phase", 2.5)] {
        let (out, latency) = run(100.0, filter);
        let body = worst_body_change_db(&out, &input, latency, DRIVE_DB);
        let hits = hit_peak_dbfs(&out, latency);
        let unclipped = hit_peak_dbfs(&delayed(&input, latency, gain(DRIVE_DB) as f32), latency);
        let all = if filter == FILTERS[0] {
            let (all_out, _) = run(0.0, filter);
            Some(worst_body_change_db(&all_out, &input, latency, DRIVE_DB))
        } else {
            None
        };
        println!(
            "drums, 4x {filter}, drive {DRIVE_DB} dB into {CEILING_DB} dBFS, Safety Clip off: Transient Only 100%: body \
             {body:.3} dB, hit peaks {hits:.2} dBFS (driven input {unclipped:.2} dBFS); 0%: body {all:.2?} dB"
        );
        if body > 0.5 {
            failures.push(format!(
                "{filter}: Transient Only 100% changed the body by {body:.3} dB"
            ));
        }
        if let Some(all) = all {
            if all <= 1.0 {
                failures.push(format!(
                    "{filter}: at Transient Only 0% the body changes only {all:.2} dB, so the check proves nothing"
                ));
            }
        }
        if hits > CEILING_DB + overshoot_db || unclipped < CEILING_DB + 10.0 {
            failures.push(format!(
                "{filter}: hits come out at {hits:.2} dBFS (driven {unclipped:.2} dBFS), ceiling {CEILING_DB} dBFS"
            ));
        }
    }
    assert!(failures.is_empty(), "{failures:#?}");
}

// ---------------------------------------------------------------------------- bad input

/// Garbage for one burst sample `i`.
fn garbage(kind: usize, i: usize, rng: &mut Rng) -> f32 {
    let sign = if i.is_multiple_of(3) { 1.0 } else { -1.0 };
    match kind {
        0 => f32::NAN,
        1 => f32::INFINITY,
        2 => f32::NEG_INFINITY,
        3 => sign * f32::INFINITY,
        4 => sign * 1.0e30,
        5 => sign * 1.0e-40,
        _ => [
            f32::NAN,
            f32::INFINITY,
            f32::NEG_INFINITY,
            1.0e30,
            -1.0e30,
            1.0e-40,
        ][rng.range(0, 5)],
    }
}

const GARBAGE: [&str; 7] = ["NaN", "+Inf", "-Inf", "+-Inf", "+-1e30", "+-1e-40", "mixed"];

#[test]
fn garbage_bursts_give_finite_output_and_the_clean_output_100_ms_later() {
    isolated(
        "garbage_bursts_give_finite_output_and_the_clean_output_100_ms_later",
        || {
            let len = 16_000;
            let recover = SR as usize / 10;
            // (start, length, only the right channel)
            let bursts = [(1000, 500, false), (8000, 200, true)];
            let mut rng = Rng::new(0xBAD);
            let mut failures = Vec::new();
            let mut slot = 0;
            for (factor, filter) in [
                ("Off", "Linear Phase"),
                ("2x", "Minimum Phase"),
                ("4x", "Linear Phase"),
                ("4x", "Minimum Phase"),
                ("8x", "Minimum Phase"),
                ("16x", "Linear Phase"),
            ] {
                let clean = noise(2, len, 0.9, slot as u64);
                let mut dirty = clean.clone();
                let mut kinds = Vec::new();
                for &(start, n, right_only) in &bursts {
                    let kind = slot % GARBAGE.len();
                    slot += 1;
                    kinds.push(GARBAGE[kind]);
                    for (c, ch) in dirty.iter_mut().enumerate() {
                        if right_only && c == 0 {
                            continue;
                        }
                        for (i, x) in ch[start..start + n].iter_mut().enumerate() {
                            *x = garbage(kind, i, &mut rng);
                        }
                    }
                }
                let settings = [("Drive", 6.0)];
                let texts = [("Oversampling", factor), ("Filter", filter)];
                let parts = odd_blocks(len, 1023, slot as u64);
                let reference = process(
                    &mut clipper_with(&settings, &texts, SR, 1023),
                    &clean,
                    &parts,
                );
                let out = process(
                    &mut clipper_with(&settings, &texts, SR, 1023),
                    &dirty,
                    &parts,
                );
                let label = format!("{factor} {filter}, bursts {kinds:?}");
                if let Some(bad) = first_non_finite(&out) {
                    failures.push(format!(
                        "{label}: non-finite output (channel, sample, value) = {bad:?}"
                    ));
                    continue;
                }
                let top = peak(&out);
                if top > gain(-1.0) {
                    failures.push(format!(
                        "{label}: output peak {top} above the -1 dBFS ceiling"
                    ));
                }
                let hit = max_abs_diff(&slice(&out, 1000..1500), &slice(&reference, 1000..1500));
                for (b, &(start, n, _)) in bursts.iter().enumerate() {
                    let end = bursts.get(b + 1).map_or(len, |next| next.0);
                    let from = start + n + recover;
                    let diff = max_abs_diff(&slice(&out, from..end), &slice(&reference, from..end));
                    println!(
                    "{label}: burst {b} ({}) at {start}..{}: 100 ms later max diff to a clean run {diff:.3e} \
                     (peak {top:.4}, the bursts themselves change up to {hit:.3})",
                    kinds[b],
                    start + n
                );
                    if diff > 1e-6 {
                        failures.push(format!(
                        "{label}: 100 ms after burst {b} ({}) the output still differs from a clean run by {diff:e}",
                        kinds[b]
                    ));
                    }
                }
            }
            assert!(failures.is_empty(), "{failures:#?}");
        },
    );
}

/// The same promise with Transient Only on, where the transient detector must see the drum hits
/// again: drums 0.4..0.92 s (hits at 0.5 and 0.75 s), driven 12 dB into -12 dBFS, a 500-sample
/// burst ending 135 ms before the snare at 0.75 s.
#[test]
fn transient_only_sees_the_hits_again_100_ms_after_a_garbage_burst() {
    isolated(
        "transient_only_sees_the_hits_again_100_ms_after_a_garbage_burst",
        || {
            let clean = slice(&drums(), 19_200..44_000);
            let len = clean[0].len();
            let burst = 9_800..10_300;
            let from = burst.end + SR as usize / 10;
            let settings = [
                ("Drive", 12.0),
                ("Ceiling", -12.0),
                ("Transient Only", 100.0),
            ];
            let parts = odd_blocks(len, 511, 12);
            let reference = process(&mut clipper_with(&settings, &[], SR, 511), &clean, &parts);
            let mut rng = Rng::new(13);
            let mut failures = Vec::new();
            for kind in [0, 3, 4, 5, 6] {
                let mut dirty = clean.clone();
                for ch in dirty.iter_mut() {
                    for (i, x) in ch[burst.clone()].iter_mut().enumerate() {
                        *x = garbage(kind, i, &mut rng);
                    }
                }
                let out = process(&mut clipper_with(&settings, &[], SR, 511), &dirty, &parts);
                if let Some(bad) = first_non_finite(&out) {
                    failures.push(format!("{}: non-finite output {bad:?}", GARBAGE[kind]));
                    continue;
                }
                let diff = max_abs_diff(&slice(&out, from..len), &slice(&reference, from..len));
                // Where the output first differs from the clean run again, ms after the burst.
                let last = (from..len)
                    .rev()
                    .find(|&i| out.iter().zip(&reference).any(|(a, b)| a[i] != b[i]))
                    .map_or(0.0, |i| (i - burst.end) as f64 * 1000.0 / SR);
                println!(
                "Transient Only 100%, {} burst: from 100 ms after it max diff to a clean run {diff:.3e}; last \
                 difference {last:.1} ms after it",
                GARBAGE[kind]
            );
                if diff > 1e-6 {
                    failures.push(format!(
                    "{}: 100 ms after the burst the output still differs from a clean run by {diff:.4} (until \
                     {last:.1} ms after it)",
                    GARBAGE[kind]
                ));
                }
            }
            assert!(failures.is_empty(), "{failures:#?}");
        },
    );
}

unsafe extern "C" fn no_events_size(_list: *const clap_input_events) -> u32 {
    0
}

unsafe extern "C" fn no_events_get(
    _list: *const clap_input_events,
    _index: u32,
) -> *const clap_event_header {
    std::ptr::null()
}

unsafe extern "C" fn refuse_push(
    _list: *const clap_output_events,
    _event: *const clap_event_header,
) -> bool {
    false
}

/// One `process()` call with `frames_count == 0`: valid buffers of `channels` channels, no events.
/// The render helpers refuse 0-frame blocks, so this builds the call itself. Returns the status.
fn zero_length_process(plugin: &mut PluginInstance, channels: usize) -> i32 {
    plugin.start_processing().unwrap();
    let mut storage = vec![[0.0f32; 1]; 2 * channels];
    let mut ptrs: Vec<*mut f32> = storage.iter_mut().map(|s| s.as_mut_ptr()).collect();
    let (in_ptrs, out_ptrs) = ptrs.split_at_mut(channels);
    let input = clap_audio_buffer {
        data32: in_ptrs.as_mut_ptr(),
        data64: std::ptr::null_mut(),
        channel_count: channels as u32,
        latency: 0,
        constant_mask: 0,
    };
    let mut output = clap_audio_buffer {
        data32: out_ptrs.as_mut_ptr(),
        ..input
    };
    let in_events = clap_input_events {
        ctx: std::ptr::null_mut(),
        size: Some(no_events_size),
        get: Some(no_events_get),
    };
    let out_events = clap_output_events {
        ctx: std::ptr::null_mut(),
        try_push: Some(refuse_push),
    };
    let call = clap_process {
        steady_time: -1,
        frames_count: 0,
        transport: std::ptr::null(),
        audio_inputs: &input,
        audio_outputs: &mut output,
        audio_inputs_count: 1,
        audio_outputs_count: 1,
        in_events: &in_events,
        out_events: &out_events,
    };
    let raw = plugin.as_raw();
    // SAFETY: `raw` is the live plugin; every pointer in `call` outlives the call.
    let status = unsafe { ((*raw).process.unwrap())(raw, &call) };
    plugin.service_host_requests().unwrap();
    status
}

#[test]
fn zero_length_process_calls_change_nothing() {
    isolated("zero_length_process_calls_change_nothing", || {
        let input = head(&drums(), 24_000);
        let numbers = [
            ("Drive", 12.0),
            ("Ceiling", -9.0),
            ("Transient Only", 70.0),
            ("Stereo Link", 30.0),
        ];
        let parts = odd_blocks(24_000, 1023, 8);
        let reference = process(&mut clipper_with(&numbers, &[], SR, 1023), &input, &parts);
        let mut plugin = clipper_with(&numbers, &[], SR, 1023);
        // Zero-length calls first, then between chunks of odd blocks.
        for _ in 0..3 {
            let status = zero_length_process(&mut plugin, 2);
            assert_ne!(
                status, CLAP_PROCESS_ERROR,
                "0-frame process() before any audio failed"
            );
        }
        let mut out: Vec<Vec<f32>> = vec![Vec::new(); 2];
        let (mut start, mut calls) = (0, 3);
        for chunk in parts.chunks(5) {
            let n: usize = chunk.iter().sum();
            let piece = process(&mut plugin, &slice(&input, start..start + n), chunk);
            for (o, p) in out.iter_mut().zip(piece) {
                o.extend(p);
            }
            start += n;
            let status = zero_length_process(&mut plugin, 2);
            calls += 1;
            assert_ne!(
                status, CLAP_PROCESS_ERROR,
                "0-frame process() after sample {start} failed"
            );
        }
        assert!(first_non_finite(&out).is_none());
        let diff = max_abs_diff(&out, &reference);
        println!("{calls} zero-length process() calls between odd blocks: max diff to a run without them {diff:.3e}");
        assert!(
            diff == 0.0,
            "0-frame process() calls changed the output by {diff:e}"
        );
    });
}

// --------------------------------------------------------------------------------- state

/// Non-default settings for every parameter except Bypass.
const STATE_NUMBERS: &[(&str, f64)] = &[
    ("Drive", 7.5),
    ("Ceiling", -6.5),
    ("Output", -2.0),
    ("Mix", 80.0),
    ("Softness", 55.0),
    ("Transient Only", 40.0),
    ("Stereo Link", 60.0),
];
const STATE_TEXTS: &[(&str, &str)] = &[
    ("Curve", "Cubic"),
    ("Oversampling", "2x"),
    ("Filter", "Minimum Phase"),
    ("Safety Clip", "Off"),
    ("Delta", "On"),
];

fn configured() -> PluginInstance {
    with_settings(clipper, STATE_NUMBERS, STATE_TEXTS)
}

#[test]
fn state_round_trips_every_parameter() {
    assert_state_round_trips_every_parameter(configured, clipper);
}

/// Broken states that must be rejected outright (the others may be accepted if harmless).
const MUST_REJECT: [&str; 6] = [
    "empty",
    "three bytes",
    "random bytes",
    "truncated to half",
    "truncated by one byte",
    "length prefix u64::MAX",
];

#[test]
fn broken_states_are_rejected_and_the_settings_kept() {
    isolated("broken_states_are_rejected_and_the_settings_kept", || {
        let input = head(&drums(), 12_000);
        for (label, bytes) in broken_states(&configured().save_state().unwrap()) {
            // Start from defaults other than these settings, so a partial load would show.
            let mut plugin = clipper();
            set_params(
                &mut plugin,
                &[("Drive", 3.0), ("Ceiling", -3.0)],
                &[("Curve", "Sine"), ("Oversampling", "8x")],
            );
            check_broken_state(
                label,
                &bytes,
                plugin,
                MUST_REJECT.contains(&label),
                clipper,
                |plugin| {
                    plugin.activate(SR, 512).unwrap();
                    process(plugin, &input, &blocks::fixed(12_000, 512))
                },
            );
        }
    });
}

#[test]
fn loaded_state_drives_the_dsp_like_the_original() {
    let input = head(&drums(), 36_000);
    let len = input[0].len();
    let parts = blocks::fixed(len, 256);
    let mut a = configured();
    let saved = a.save_state().unwrap();
    a.activate(SR, 256).unwrap();
    let out_a = process(&mut a, &input, &parts);

    // Loaded into an instance that is active and has processed (default 4x linear), as on a DAW's
    // preset recall; the new Oversampling and Filter take effect with the next process call.
    let mut b = clipper();
    b.activate(SR, 256).unwrap();
    process(&mut b, &silence(256), &[256]);
    let before = b.latency().unwrap();
    b.load_state(&saved).unwrap();
    process(&mut b, &silence(256), &[256]);
    assert_eq!(
        b.latency().unwrap(),
        a.latency().unwrap(),
        "latency after loading the state while active (was {before}; restarts {}, latency.changed() {})",
        b.restart_count(),
        b.latency_changed_count()
    );
    b.deactivate();
    b.activate(SR, 256).unwrap();
    let out_b = process(&mut b, &input, &parts);
    let diff = max_abs_diff(&out_a, &out_b);
    let level = db(rms(&out_a, 0..len) / rms(&input, 0..len));
    println!(
        "state-driven outputs: max diff {diff:.3e}; latency {} -> {}; configured output (Delta) at {level:.1} dB re input",
        before,
        b.latency().unwrap()
    );
    assert!(
        level > -60.0,
        "the configured clipper removed nothing, so this comparison proves nothing"
    );
    assert!(
        diff == 0.0,
        "same state, same input, outputs differ by {diff:e}"
    );
}

#[test]
fn editor_size_persists_in_the_state() {
    assert_editor_size_persists(clipper, (920, 560), (1111, 666));
}

// -------------------------------------------------------------------------- Delta, Bypass

/// Mix 100%, Safety Clip off, Output 0 dB: the normal output plus the Delta output is the driven
/// input, delayed. Bit-for-bit up to float rounding without oversampling; with oversampling the sum
/// is the driven input through the resampling filters, so the signal is band-limited (below 18 kHz)
/// and the sum must also equal the Mix 0% output (the same filters, nothing removed).
#[test]
fn delta_plus_the_normal_output_is_the_driven_delayed_input() {
    const DRIVE_DB: f64 = 12.0;
    let mut failures = Vec::new();
    let len = 24_000;
    let drum_input = head(&drums(), len);
    let tone_input = swelling_tones(len, SR, 18_000.0, 0.5, 90);
    for (factor, filter) in [
        ("Off", "Linear Phase"),
        ("4x", "Linear Phase"),
        ("2x", "Minimum Phase"),
    ] {
        let input = if factor == "Off" {
            &drum_input
        } else {
            &tone_input
        };
        let numbers = [
            ("Drive", DRIVE_DB),
            ("Ceiling", -6.0),
            ("Mix", 100.0),
            ("Output", 0.0),
            ("Transient Only", 50.0),
            ("Stereo Link", 40.0),
        ];
        let render = |extra_number: Option<(&str, f64)>, delta: &str| {
            let mut n = numbers.to_vec();
            n.extend(extra_number);
            let texts = [
                ("Oversampling", factor),
                ("Filter", filter),
                ("Safety Clip", "Off"),
                ("Delta", delta),
            ];
            let mut p = clipper_with(&n, &texts, SR, 511);
            let latency = p.latency().unwrap() as usize;
            (process(&mut p, input, &odd_blocks(len, 511, 5)), latency)
        };
        let (normal, latency) = render(None, "Off");
        let (delta, _) = render(None, "On");
        let sum: Vec<Vec<f32>> = normal
            .iter()
            .zip(&delta)
            .map(|(a, b)| a.iter().zip(b).map(|(x, y)| x + y).collect())
            .collect();
        let driven = delayed(input, latency, 1.0);
        let driven: Vec<Vec<f32>> = driven
            .iter()
            .map(|c| {
                c.iter()
                    .map(|&v| (v as f64 * gain(DRIVE_DB)) as f32)
                    .collect()
            })
            .collect();
        let removed = rms(&delta, 0..len) / rms(&driven, 0..len);
        let diff = max_abs_diff(&sum, &driven);
        let range = latency..len;
        let residual = residual_db(&sum, &driven, range);
        let label = format!("{factor} {filter}");
        if factor == "Off" {
            println!(
                "{label}, drums: normal + delta vs driven input: max diff {diff:.3e} (peak {:.3}); delta at {:.1} dB re driven",
                peak(&driven),
                db(removed)
            );
            if diff > 4.0 * f32::EPSILON as f64 * peak(&driven) {
                failures.push(format!(
                    "{label}: normal + delta differs from the driven input by {diff:e}"
                ));
            }
        } else {
            let (unclipped, _) = render(Some(("Mix", 0.0)), "Off");
            let same_path = max_abs_diff(&sum, &unclipped);
            println!(
                "{label}, band-limited swells: normal + delta vs driven delayed input: residual {residual:.1} dB \
                 (max {diff:.3e}); vs the Mix 0% output: max diff {same_path:.3e}; delta at {:.1} dB re driven",
                db(removed)
            );
            if filter == FILTERS[0] && residual > -60.0 {
                failures.push(format!(
                    "{label}: normal + delta is {residual:.1} dB off the driven delayed input"
                ));
            }
            if same_path > 1e-5 {
                failures.push(format!(
                    "{label}: normal + delta differs from the Mix 0% output by {same_path:e}"
                ));
            }
        }
        if removed < 0.01 {
            failures.push(format!(
                "{label}: Delta is only {:.1} dB: nothing clipped, the check proves nothing",
                db(removed)
            ));
        }
    }
    assert!(failures.is_empty(), "{failures:#?}");
}

#[test]
fn bypass_passes_the_input_delayed_by_the_latency() {
    let input = head(&drums(), 24_000);
    let len = input[0].len();
    let heavy = [
        ("Drive", 18.0),
        ("Ceiling", -12.0),
        ("Output", 6.0),
        ("Transient Only", 50.0),
    ];
    let mut failures = Vec::new();
    for (factor, filter) in [
        ("4x", "Linear Phase"),
        ("Off", "Linear Phase"),
        ("8x", "Minimum Phase"),
    ] {
        let texts = [("Oversampling", factor), ("Filter", filter)];
        let mut bypassed = clipper_with(&heavy, &[texts[0], texts[1], ("Bypass", "On")], SR, 512);
        let latency = bypassed.latency().unwrap() as usize;
        let out = process(&mut bypassed, &input, &odd_blocks(len, 511, 6));
        let want = delayed(&input, latency, 1.0);
        let diff = max_abs_diff(&out, &want);
        let mut active = clipper_with(&heavy, &texts, SR, 512);
        assert_eq!(
            active.latency().unwrap() as usize,
            latency,
            "{factor} {filter}: Bypass changed the latency"
        );
        let changed = max_abs_diff(
            &process(&mut active, &input, &odd_blocks(len, 511, 6)),
            &want,
        );
        println!("{factor} {filter}: Bypass max diff to the input delayed by {latency}: {diff:.3e}; unbypassed changes up to {changed:.3}");
        if changed < 1e-2 {
            failures.push(format!(
                "{factor} {filter}: the heavy settings do nothing, the bypass check proves nothing"
            ));
        }
        if diff > 1e-6 {
            failures.push(format!("{factor} {filter}: bypassed output differs from the input delayed by {latency}: {diff:e}"));
        }
    }
    assert!(failures.is_empty(), "{failures:#?}");
}
