//! Hostile hosts, for every plugin in every bundle (issue 7): every sample rate from 22.05 to
//! 384 kHz with random block sizes up to 8192 and 0-length calls, parameters jumping between their
//! extremes every block, sample-accurate automation, and state saves and loads while the audio
//! thread processes.
//!
//! The zipper bound. A 1 kHz sine goes through the plugin while every continuous parameter jumps
//! between its minimum and its maximum every 512-sample block. A click is a jump in the waveform,
//! so it shows in the second difference `y[n] - 2 y[n-1] + y[n-2]`. Relative to the local peak of
//! the output, a sine at `f` gives at most `(2 pi f / fs)^2` (0.017 at 1 kHz, 48 kHz) whatever its
//! level, while a sudden gain step from `g1` to `g2` gives up to `|g2 - g1| / max(g1, g2)`: about
//! 1 for a step of 6 dB or more. That ratio is the run's *curvature* ([`curvature`]).
//! [`ZIPPER_BOUND`] is how much larger the jumping run's curvature may be than the larger of the
//! two steady runs' (every parameter held at its minimum, or at its maximum), which include the
//! distortion the plugin makes on purpose (a clipper's corners).

mod common;

use std::sync::atomic::{AtomicBool, Ordering};

use clap_host::{blocks, ClapBundle, ParamChange, ParamInfo, PluginInstance, PortInput, Rng};
use common::*;

/// The sample rates every plugin must run at.
const SAMPLE_RATES_HZ: [f64; 8] = [22_050.0, 44_100.0, 48_000.0, 88_200.0, 96_000.0, 176_400.0, 192_000.0, 384_000.0];

/// Largest block a host may send here.
const MAX_BLOCK: usize = 8192;

/// Largest curvature of the output while parameters jump, relative to the larger of the two steady
/// runs' (see the module docs). 2.0 is 6 dB; a hard 6 dB gain step on the test sine would be about
/// 30 (30 dB) for a compressor.
const ZIPPER_BOUND: f64 = 2.0;

/// Every (bundle, plugin id) pair in the bundle directory.
fn every_plugin() -> Vec<(ClapBundle, String)> {
    clap_bundles()
        .into_iter()
        .flat_map(|path| {
            let load = move || ClapBundle::load(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            let ids: Vec<String> = load().descriptors().iter().map(|d| d.id.clone()).collect();
            ids.into_iter().map(move |id| (load(), id))
        })
        .collect()
}

/// Seeded noise, `channels` x `len`, at amplitude `amp`.
fn noise(channels: usize, len: usize, amp: f32, seed: u64) -> Vec<Vec<f32>> {
    let mut rng = Rng::new(seed);
    (0..channels).map(|_| (0..len).map(|_| amp * rng.bipolar()).collect()).collect()
}

/// A `freq_hz` sine at amplitude `amp` on `channels` channels.
fn sine(channels: usize, len: usize, freq_hz: f64, sample_rate: f64, amp: f32) -> Vec<Vec<f32>> {
    let ch: Vec<f32> =
        (0..len).map(|n| amp * (2.0 * std::f64::consts::PI * freq_hz * n as f64 / sample_rate).sin() as f32).collect();
    vec![ch; channels]
}

/// One signal per input port of the active layout: `main` on the main input, `key` on the others,
/// each with the port's channel count.
fn port_signals(
    plugin: &PluginInstance,
    main: impl Fn(usize) -> Vec<Vec<f32>>,
    key: impl Fn(usize) -> Vec<Vec<f32>>,
) -> Vec<Vec<Vec<f32>>> {
    let ports = plugin.audio_ports().unwrap();
    ports
        .inputs
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let n = p.channel_count as usize;
            if Some(i) == ports.main_input() {
                main(n)
            } else {
                key(n)
            }
        })
        .collect()
}

/// Renders `signals` through every port and returns the main output.
fn render_main(plugin: &mut PluginInstance, signals: &[Vec<Vec<f32>>], blocks: &[usize], changes: &[ParamChange]) -> Vec<Vec<f32>> {
    let inputs: Vec<PortInput> = signals.iter().map(|s| PortInput::Audio(s)).collect();
    let main_out = plugin.audio_ports().unwrap().main_output().expect("a main output");
    plugin.render_ports(&inputs, blocks, changes).unwrap().swap_remove(main_out)
}

/// The parameters a host may automate, without Bypass.
fn automatable(plugin: &PluginInstance) -> Vec<ParamInfo> {
    plugin.params().unwrap().into_iter().filter(|p| p.is_automatable() && !p.is_bypass() && !p.is_readonly()).collect()
}

/// A random value of `p`: uniform in its range, whole steps for stepped parameters.
fn random_value(p: &ParamInfo, rng: &mut Rng) -> f64 {
    let v = p.min + rng.next_f64() * (p.max - p.min);
    if p.is_stepped() {
        v.round().clamp(p.min, p.max)
    } else {
        v
    }
}

/// `blocks::random` with a 0-length call at the start and between every two blocks.
fn random_blocks_with_empty_calls(total: usize, seed: u64) -> Vec<usize> {
    let mut out = vec![0];
    for n in blocks::random(total, 1, MAX_BLOCK, seed) {
        out.extend([n, 0]);
    }
    out
}

/// First non-finite sample as (channel, index).
fn first_bad(out: &[Vec<f32>]) -> Option<(usize, usize)> {
    out.iter().enumerate().find_map(|(c, ch)| ch.iter().position(|x| !x.is_finite()).map(|i| (c, i)))
}

#[test]
fn every_plugin_runs_at_every_rate_and_any_partition_gives_the_same_output() {
    for (bundle, id) in every_plugin() {
        let configs = bundle.create(&id).unwrap().audio_ports_configs().unwrap_or_default();
        let config_ids: Vec<Option<u32>> =
            if configs.is_empty() { vec![None] } else { configs.iter().map(|c| Some(c.id)).collect() };
        // The debug bundles check allocations and debug assertions at the lowest and the highest
        // rate; the release bundles run every rate.
        let rates: Vec<f64> = if debug_bundles() { vec![22_050.0, 384_000.0] } else { SAMPLE_RATES_HZ.to_vec() };
        for (ri, &sr) in rates.iter().enumerate() {
            for &config in &config_ids {
                let seed = 1000 + ri as u64;
                let len = (0.1 * sr) as usize + 2 * MAX_BLOCK;
                let make = || {
                    let mut p = bundle.create(&id).unwrap();
                    if let Some(c) = config {
                        p.select_audio_ports_config(c).unwrap();
                    }
                    let mut rng = Rng::new(seed);
                    for info in automatable(&p) {
                        let v = random_value(&info, &mut rng);
                        p.set_param(info.id, v).unwrap();
                    }
                    p.activate(sr, MAX_BLOCK as u32).unwrap();
                    p
                };
                let mut a = make();
                let signals = port_signals(&a, |n| noise(n, len, 0.5, seed), |n| noise(n, len, 0.3, seed + 7));
                let reference = render_main(&mut a, &signals, &blocks::fixed(len, 512), &[]);
                let context = format!("{id} at {sr} Hz, config {config:?}");
                assert!(first_bad(&reference).is_none(), "{context}: non-finite output at {:?}", first_bad(&reference));
                let mut b = make();
                let partition = random_blocks_with_empty_calls(len, seed);
                let out = render_main(&mut b, &signals, &partition, &[]);
                let diff = out
                    .iter()
                    .zip(&reference)
                    .flat_map(|(x, y)| x.iter().zip(y).map(|(p, q)| (p - q).abs()))
                    .fold(0.0f32, f32::max);
                assert!(diff == 0.0, "{context}: a random partition with 0-length calls differs by {diff}");
                println!("{context}: {} blocks ({} empty), bit-identical", partition.len(), partition.iter().filter(|&&n| n == 0).count());
            }
        }
    }
}

/// The parameters whose value changes the reported latency (Lookahead, oversampling, Unmask
/// resolution...): switching them makes the plugin ask for a restart, which no host does every
/// block. Found by activating once at the minimum and once at the maximum.
fn latency_setters(bundle: &ClapBundle, id: &str, params: &[ParamInfo]) -> Vec<u32> {
    let latency_with = |p: &ParamInfo, v: f64| {
        let mut inst = bundle.create(id).unwrap();
        inst.set_param(p.id, v).unwrap();
        inst.activate(48_000.0, 512).unwrap();
        inst.latency().unwrap()
    };
    params.iter().filter(|p| latency_with(p, p.min) != latency_with(p, p.max)).map(|p| p.id).collect()
}

/// Half the window over which [`curvature`] takes the local peak: one period of the 1 kHz test
/// sine at 48 kHz.
const LOCAL_PEAK_HALF_WINDOW: usize = 48;

/// Largest `|y[n] - 2 y[n-1] + y[n-2]|` relative to the local peak of `|y|` (within
/// [`LOCAL_PEAK_HALF_WINDOW`] samples), over every channel, from sample `from` on. A sine at `f`
/// gives `(2 pi f / fs)^2` whatever its level, so a quiet passage's click is not hidden by a loud
/// passage elsewhere; passages more than 80 dB below the run's peak are not counted.
fn curvature(out: &[Vec<f32>], from: usize) -> f64 {
    let global = out.iter().flatten().fold(0.0f64, |m, &x| m.max(x.abs() as f64));
    let mut worst = 0.0f64;
    for ch in out {
        for n in from.max(2)..ch.len() {
            let lo = n.saturating_sub(LOCAL_PEAK_HALF_WINDOW);
            let hi = (n + LOCAL_PEAK_HALF_WINDOW).min(ch.len() - 1);
            let peak = ch[lo..=hi].iter().fold(0.0f64, |m, &x| m.max(x.abs() as f64));
            if peak < 1e-4 * global {
                continue;
            }
            let d2 = (ch[n] as f64 - 2.0 * ch[n - 1] as f64 + ch[n - 2] as f64).abs();
            worst = worst.max(d2 / peak);
        }
    }
    worst
}

#[test]
fn parameters_jumping_between_extremes_every_block_give_finite_output_without_clicks() {
    const SR: f64 = 48_000.0;
    const BLOCK: usize = 512;
    let len = 96 * BLOCK; // about 1 s
    if debug_bundles() {
        println!("a measurement of the DSP: left to the run on release bundles");
        return;
    }
    for (bundle, id) in every_plugin() {
        let probe = bundle.create(&id).unwrap();
        let params = automatable(&probe);
        let restarting = latency_setters(&bundle, &id, &params);
        let steady_params: Vec<&ParamInfo> = params.iter().filter(|p| !restarting.contains(&p.id)).collect();
        let continuous: Vec<&ParamInfo> = steady_params.iter().copied().filter(|p| !p.is_stepped()).collect();
        let signals = port_signals(&probe, |n| sine(n, len, 1000.0, SR, 0.25), |n| sine(n, len, 1000.0, SR, 0.5));

        // Every parameter held at one extreme, `at_max` choosing which.
        let steady = |set: &[&ParamInfo], at_max: bool| {
            let mut p = bundle.create(&id).unwrap();
            for info in set {
                p.set_param(info.id, if at_max { info.max } else { info.min }).unwrap();
            }
            p.activate(SR, BLOCK as u32).unwrap();
            render_main(&mut p, &signals, &blocks::fixed(len, BLOCK), &[])
        };
        // The same parameters flipping between their extremes at the start of every block.
        let jumping = |set: &[&ParamInfo]| {
            let changes: Vec<ParamChange> = (0..len / BLOCK)
                .flat_map(|b| {
                    set.iter().map(move |info| ParamChange {
                        sample: b * BLOCK,
                        id: info.id,
                        value: if b % 2 == 1 { info.max } else { info.min },
                    })
                })
                .collect();
            let mut p = bundle.create(&id).unwrap();
            p.activate(SR, BLOCK as u32).unwrap();
            render_main(&mut p, &signals, &blocks::fixed(len, BLOCK), &changes)
        };

        // Stepped parameters too (modes, detectors, key routing): finite output.
        let all_jumping = jumping(&steady_params);
        assert!(first_bad(&all_jumping).is_none(), "{id}: non-finite output at {:?} with every parameter jumping", first_bad(&all_jumping));

        // Skip the first 20 ms: the start of any run is a step from silence.
        let skip = (0.02 * SR) as usize;
        // Parameters that bend the waveform on purpose at one of their extremes (a clipper's drive)
        // would hide a click behind their own corners: they jump in the finite-output run above, and
        // are held here.
        let sine_curvature = (2.0 * std::f64::consts::PI * 1000.0 / SR).powi(2);
        let (shaping, smooth): (Vec<&ParamInfo>, Vec<&ParamInfo>) = continuous.iter().partition(|p| {
            let one = [**p];
            curvature(&steady(&one, false), skip).max(curvature(&steady(&one, true), skip)) > 2.0 * sine_curvature
        });
        let out = jumping(&smooth);
        assert!(first_bad(&out).is_none(), "{id}: non-finite output at {:?}", first_bad(&out));
        let reference = curvature(&steady(&smooth, false), skip).max(curvature(&steady(&smooth, true), skip));
        let jumps = curvature(&out, skip);
        let ratio = jumps / reference.max(1e-9);
        println!(
            "{id}: {} of {} continuous parameters jumping: curvature {jumps:.4} vs steady {reference:.4} = {ratio:.2}x (held: waveshaping {:?}, latency-setting {})",
            smooth.len(),
            continuous.len(),
            shaping.iter().map(|p| &p.name).collect::<Vec<_>>(),
            restarting.len()
        );
        assert!(smooth.len() * 2 >= continuous.len(), "{id}: most continuous parameters were held");
        assert!(ratio <= ZIPPER_BOUND, "{id}: parameter jumps click: {ratio:.2}x the steady runs' curvature (bound {ZIPPER_BOUND})");
    }
}

#[test]
fn automation_lands_on_its_sample_inside_a_block() {
    const SR: f64 = 48_000.0;
    const AT: usize = 1000;
    let len = 4096;
    for (bundle, id) in every_plugin() {
        let render = |change: bool| {
            let mut p = bundle.create(&id).unwrap();
            p.activate(SR, len as u32).unwrap();
            let output = p.param_info("Output").unwrap();
            let changes: Vec<ParamChange> =
                if change { vec![ParamChange { sample: AT, id: output.id, value: output.max }] } else { vec![] };
            let signals = port_signals(&p, |n| noise(n, len, 0.25, 5), |n| noise(n, len, 0.25, 6));
            render_main(&mut p, &signals, &[len], &changes)
        };
        let (plain, automated) = (render(false), render(true));
        let first_change = plain
            .iter()
            .zip(&automated)
            .filter_map(|(x, y)| x.iter().zip(y).position(|(p, q)| p != q))
            .min()
            .unwrap_or_else(|| panic!("{id}: the Output change had no effect"));
        println!("{id}: an Output change at sample {AT} of a {len}-sample block first shows at sample {first_change}");
        assert!((AT..=AT + 1).contains(&first_change), "{id}: the change at sample {AT} shows at {first_change}");
    }
}

/// Sends a raw pointer to the thread that renders. The instance outlives that thread (it is scoped),
/// and while it renders, the calling thread touches the plugin only through a
/// [`clap_host::StateHandle`], as CLAP allows for `state.save`/`state.load` during processing.
struct Shared(*mut PluginInstance);
unsafe impl Send for Shared {}

/// Parameter values from a state's JSON, by id (nice-plug writes every parameter as a string id
/// and a plain value).
fn state_values(state: &[u8]) -> serde_json::Map<String, serde_json::Value> {
    let json: serde_json::Value =
        serde_json::from_slice(&state[8..]).unwrap_or_else(|e| panic!("a saved state is not JSON: {e}"));
    json["params"].as_object().expect("a params object").clone()
}

#[test]
fn states_saved_and_loaded_while_audio_runs_are_whole() {
    const SR: f64 = 48_000.0;
    const BLOCK: usize = 256;
    for (bundle, id) in every_plugin() {
        let mut plugin = bundle.create(&id).unwrap();
        let params = automatable(&plugin);
        let restarting = latency_setters(&bundle, &id, &params);
        let moving: Vec<ParamInfo> = params.into_iter().filter(|p| !restarting.contains(&p.id)).collect();
        // Two complete settings to load while processing, and the hammer's values.
        let mut rng = Rng::new(42);
        let mut settings = Vec::new();
        for _ in 0..2 {
            let mut p = bundle.create(&id).unwrap();
            for info in &moving {
                p.set_param(info.id, random_value(info, &mut rng)).unwrap();
            }
            settings.push(p.save_state().unwrap());
        }
        let len = if debug_bundles() { 48_000 } else { 3 * 48_000 };
        let changes: Vec<ParamChange> = (0..len / BLOCK)
            .flat_map(|b| {
                let mut r = Rng::new(b as u64);
                let mut block_changes = Vec::new();
                for info in &moving {
                    if r.range(0, 1) == 0 {
                        let sample = b * BLOCK + r.range(0, BLOCK - 1);
                        block_changes.push(ParamChange { sample, id: info.id, value: random_value(info, &mut r) });
                    }
                }
                block_changes
            })
            .collect();
        plugin.set_service_between_blocks(false);
        plugin.activate(SR, BLOCK as u32).unwrap();
        let signals = port_signals(&plugin, |n| noise(n, len, 0.5, 9), |n| noise(n, len, 0.5, 10));
        let handle = plugin.state_handle().unwrap();
        let mut check = bundle.create(&id).unwrap();
        let done = AtomicBool::new(false);
        let shared = Shared(&mut plugin);
        let (saves, loads, callbacks, out) = std::thread::scope(|s| {
            let audio = s.spawn(|| {
                let shared = shared;
                // SAFETY: see `Shared`; the main thread does not use `plugin` until this ends.
                let plugin = unsafe { &mut *shared.0 };
                let out = render_main(plugin, &signals, &blocks::fixed(len, BLOCK), &changes);
                done.store(true, Ordering::SeqCst);
                out
            });
            let (mut saves, mut loads, mut callbacks) = (0, 0, 0);
            while !done.load(Ordering::SeqCst) {
                callbacks += handle.service_callback() as usize;
                let state = handle.save().unwrap_or_else(|e| panic!("{id}: save while processing: {e}"));
                let values = state_values(&state);
                assert!(!values.is_empty(), "{id}: a state without parameters");
                if let Some((k, v)) = values.iter().find(|(_, v)| v.as_f64().is_some_and(|x| !x.is_finite())) {
                    panic!("{id}: a state saved while processing holds {k} = {v}");
                }
                if saves % 16 == 0 {
                    check.load_state(&state).unwrap_or_else(|e| panic!("{id}: a state saved while processing does not load: {e}"));
                }
                saves += 1;
                if saves % 8 == 0 {
                    handle.load(&settings[loads % 2]).unwrap_or_else(|e| panic!("{id}: load while processing: {e}"));
                    loads += 1;
                }
            }
            (saves, loads, callbacks, audio.join().expect("the audio thread panicked"))
        });
        assert!(first_bad(&out).is_none(), "{id}: non-finite output at {:?}", first_bad(&out));
        assert!(saves >= 10 && loads >= 1, "{id}: only {saves} saves and {loads} loads overlapped the audio");
        // After the audio stops, a last state loads into a fresh instance and saves back the same.
        plugin.set_service_between_blocks(true);
        plugin.service_host_requests().unwrap();
        let last = plugin.save_state().unwrap();
        let mut fresh = bundle.create(&id).unwrap();
        fresh.load_state(&last).unwrap();
        assert_eq!(state_values(&fresh.save_state().unwrap()), state_values(&last), "{id}: the last state does not round-trip");
        println!(
            "{id}: {saves} saves, {loads} loads and {callbacks} main-thread callbacks while {} blocks with {} parameter events processed",
            len / BLOCK,
            changes.len()
        );
        assert!(
            !plugin.log_messages().iter().any(|m| m.text.contains("queue is full")),
            "{id}: the plugin dropped main-thread tasks"
        );
    }
}

/// How far from the clean run the output may be from 100 ms after a burst of bad samples ends
/// (plus the latency), relative to the clean output's peak: 0.1 dB of gain.
const RECOVERED_TOLERANCE: f64 = 0.0116;

/// How far a run with a burst of bad samples may be, anywhere, from the same run with the burst
/// replaced by silence (float rounding).
const AS_SILENCE_TOLERANCE: f64 = 1e-6;

#[test]
fn bad_sample_bursts_on_any_input_act_as_silence_and_clear_within_100_ms() {
    const SR: f64 = 48_000.0;
    let len = SR as usize;
    let (at, burst_len) = (len / 4, 480);
    for (bundle, id) in every_plugin() {
        let probe = bundle.create(&id).unwrap();
        let main_port = probe.audio_ports().unwrap().main_input().expect("a main input");
        let clean = port_signals(&probe, |n| noise(n, len, 0.5, 21), |n| noise(n, len, 0.7, 22));
        let render = |signals: &[Vec<Vec<f32>>]| {
            let mut p = bundle.create(&id).unwrap();
            p.set_param_text("Key", "External").ok(); // the compressors listen to the sidechain
            p.activate(SR, 2048).unwrap();
            let latency = p.latency().unwrap() as usize;
            (render_main(&mut p, signals, &blocks::random(len, 1, 2048, 23), &[]), latency)
        };
        let (reference, latency) = render(&clean);
        let peak = reference.iter().flatten().fold(0.0f64, |m, &x| m.max(x.abs() as f64));
        let with_burst = |port: usize, value: f32| {
            let mut signals = clean.clone();
            for ch in signals[port].iter_mut() {
                ch[at..at + burst_len].fill(value);
            }
            signals
        };
        let deadline = at + burst_len + latency + (0.1 * SR) as usize;
        let mut slowest_ms = 0.0f64;
        for port in 0..clean.len() {
            let (dropout, _) = render(&with_burst(port, 0.0));
            let side = if port == main_port { "the main" } else { "the sidechain" };
            for (label, value) in bad_input::BAD_VALUES {
                let (out, _) = render(&with_burst(port, value));
                let context = format!("{id}: {label} on {side} input");
                assert!(first_bad(&out).is_none(), "{context}: non-finite output at {:?}", first_bad(&out));
                let unlike_silence = bad_input::settled_from(&out, &dropout, AS_SILENCE_TOLERANCE);
                assert!(unlike_silence == 0, "{context}: the output differs from a run with silence instead until sample {unlike_silence}");
            }
            // A 10 ms dropout then costs what the plugin's time constants make it cost.
            let settled = bad_input::settled_from(&dropout, &reference, RECOVERED_TOLERANCE * peak);
            slowest_ms = slowest_ms.max(settled.saturating_sub(at + burst_len) as f64 / SR * 1e3);
            assert!(
                settled <= deadline,
                "{id}: after a burst on {side} input the output is more than 0.1 dB from the clean run until {} ms after it",
                (settled - at - burst_len) as f64 / SR * 1e3
            );
        }
        println!(
            "{id}: {} bad values on {} input ports act as silence; within 0.1 dB of the clean run {slowest_ms:.1} ms after the burst (latency {latency} samples)",
            bad_input::BAD_VALUES.len(),
            clean.len()
        );
    }
}

/// nice-plug's CLAP state as a later version of a plugin would write it: version 99.0.0 and a
/// parameter this version does not know.
fn future_state(valid: &[u8]) -> Vec<u8> {
    let json = state_checks::state_json(valid);
    let version = format!("\"version\":\"{}\"", env!("CARGO_PKG_VERSION"));
    assert!(json.contains(&version) && json.contains("\"params\":{"), "unexpected state layout: {json}");
    let future = json.replacen(&version, "\"version\":\"99.0.0\"", 1).replacen("\"params\":{", "\"params\":{\"spectral_tilt\":{\"f32\":0.25},", 1);
    state_checks::state_bytes(&future)
}

#[test]
fn broken_and_future_states_keep_the_settings_in_every_plugin() {
    for (bundle, id) in every_plugin() {
        // Settings a state can be told apart from: random values for every parameter.
        let configured = |seed: u64| {
            let mut p = bundle.create(&id).unwrap();
            let mut rng = Rng::new(seed);
            for info in automatable(&p) {
                p.set_param(info.id, random_value(&info, &mut rng)).unwrap();
            }
            p
        };
        let valid = configured(1).save_state().unwrap();
        // Settings that differ from the valid state's (a plugin with few stepped parameters can
        // draw the same random values twice), so "kept the settings" is never vacuous.
        let reference = state_checks::values(&configured(1));
        let other_seed = (2..100)
            .find(|&s| state_checks::values(&configured(s)) != reference)
            .unwrap_or_else(|| panic!("{id}: no random settings differ from seed 1's"));
        let mut cases = state_checks::broken_states(&valid);
        cases.push(("future version", future_state(&valid)));
        for (label, bytes) in cases {
            let mut plugin = configured(other_seed);
            let before = state_checks::values(&plugin);
            let must_keep = label != "one byte flipped"; // may still be a valid state
            let result = plugin.load_state(&bytes);
            let after = state_checks::values(&plugin);
            if must_keep || result.is_err() {
                state_checks::assert_same_values(&before, &after, &format!("{id}: {label}"));
            }
            for (name, v) in &after {
                assert!(v.is_finite(), "{id}: {label}: {name} = {v}");
            }
            plugin.activate(48_000.0, 512).unwrap();
            let signals = port_signals(&plugin, |n| noise(n, 4800, 0.5, 3), |n| noise(n, 4800, 0.5, 4));
            let out = render_main(&mut plugin, &signals, &blocks::fixed(4800, 512), &[]);
            assert!(first_bad(&out).is_none(), "{id}: {label}: non-finite output");
            println!("{id}: {label} ({} bytes): {}", bytes.len(), if result.is_ok() { "accepted" } else { "refused" });
        }
        // Not vacuous: the valid state does change the settings of an instance set up otherwise.
        let mut other = configured(other_seed);
        let before = state_checks::values(&other);
        other.load_state(&valid).unwrap();
        assert_ne!(before, state_checks::values(&other), "{id}: the valid state changed nothing");
    }
}
