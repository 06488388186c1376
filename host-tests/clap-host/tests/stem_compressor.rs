//! The Stem Compressor and the Stem Compressor 5.1 (a second plugin in the same bundle) through their
//! built CLAP binary: ports, latency in every mode, restarts on latency changes, the stem-sum
//! invariant, an unconnected sidechain, channel modes, the LFE, state, bad input, block independence
//! and the lsp-plugins#300 regression (a key switch by parameter event must take effect in the very
//! next block).

// NOTE: the case tables pair names with constructors and checks; spelled out, they read best.
#![allow(clippy::type_complexity)]

mod common;

use clap_host::{blocks, ParamChange, PluginInstance, PortInput, Rng};
use common::bad_input::*;
use common::keyed::*;
use common::latency_checks::*;
use common::main_port::*;
use common::state_checks::*;
use common::*;

const SR: f64 = 48_000.0;
const RATES: [f64; 3] = [44_100.0, 48_000.0, 96_000.0];
/// The Unmask resolutions and their latency (`N - 1`).
const RESOLUTIONS: [(&str, u32); 3] = [("1024", 1023), ("2048", 2047), ("4096", 4095)];
const MODES: [&str; 2] = ["Broadband", "Unmask"];
/// -100 dBFS.
const MAX_RESIDUAL: f64 = 1e-5;

/// The dynamics of the stem-sum test: Threshold -30 dB, Ratio 4, Attack 5 ms, Release 100 ms,
/// Lookahead 2 ms, Range 18 dB, Makeup 3 dB.
const DYNAMICS: &[(&str, f64)] = &[
    ("Threshold", -30.0),
    ("Ratio", 4.0),
    ("Attack", 5.0),
    ("Release", 100.0),
    ("Lookahead", 2.0),
    ("Range", 18.0),
    ("Makeup", 3.0),
];

/// A stem compressor with `numbers` and `texts` set, active at `sr` for blocks up to `max_block`.
fn stem_compressor_with(numbers: Numbers, texts: Texts, sr: f64, max_block: u32) -> PluginInstance {
    activated_with(stem_compressor, numbers, texts, sr, max_block)
}

/// [`DYNAMICS`] with Key External in `mode` (Unmask at Resolution 2048), at [`SR`], blocks up to 4096.
fn keyed_by_the_mix(mode: &str) -> PluginInstance {
    let texts = [("Key", "External"), ("Mode", mode), ("Resolution", "2048")];
    stem_compressor_with(DYNAMICS, &texts, SR, 4096)
}

/// `channels` channels of noise, uniform in `-amp..amp`.
fn noise(channels: usize, len: usize, amp: f32, seed: u64) -> Vec<Vec<f32>> {
    let mut rng = Rng::new(seed);
    (0..channels)
        .map(|_| (0..len).map(|_| amp * rng.bipolar()).collect())
        .collect()
}

/// The first `len` frames of a stereo stem of testdata/stems-a.
fn stem(name: &str, len: usize) -> Vec<Vec<f32>> {
    head(&stereo_stem(name, SR, len), len)
}

// ------------------------------------------------------------------------------------ groups

/// The groups hosts show the 25 parameters in (CLAP `module`, VST3 unit), by parameter name.
const GROUPS: &[(&str, &[&str])] = &[
    ("", &["Stem", "Mode", "Resolution", "Bypass"]),
    ("Dynamics", &["Detector", "Threshold", "Ratio", "Attack", "Release", "Auto Release", "Knee", "Range", "Lookahead"]),
    ("Key", &["Key", "Key Blend", "Key HPF", "Key Listen"]),
    ("Channels", &["Stereo Link", "Channels", "LFE"]),
    ("Output", &["Makeup", "Auto Makeup", "Mix", "Output", "Delta"]),
];

#[test]
fn parameters_sit_in_their_groups() {
    for plugin in [stem_compressor(), stem_compressor_51()] {
        let params = plugin.params().unwrap();
        assert_eq!(params.len(), GROUPS.iter().map(|g| g.1.len()).sum::<usize>(), "parameter count");
        for (group, names) in GROUPS {
            for name in *names {
                let p = params.iter().find(|p| p.name == *name).unwrap_or_else(|| panic!("no parameter {name}"));
                assert_eq!(p.module, *group, "{name} is in module {:?}", p.module);
            }
        }
    }
}

// ------------------------------------------------------------------------------------- ports

#[test]
fn ports_are_stereo_main_and_a_stereo_sidechain() {
    let plugin = stem_compressor();
    let ports = plugin.audio_ports().unwrap();
    println!("default ports: {ports:#?}");
    assert_eq!(
        (ports.inputs.len(), ports.outputs.len()),
        (2, 1),
        "{ports:#?}"
    );
    let (main_in, main_out) = (ports.main_input().unwrap(), ports.main_output().unwrap());
    assert_eq!(main_in, 0, "the main input should be port 0");
    assert_eq!(ports.inputs[main_in].channel_count, 2);
    let out = &ports.outputs[main_out];
    assert_eq!(out.channel_count, 2);
    assert_ne!(
        out.name, "Input",
        "main output named \"Input\" (nice-plug defect 3)"
    );
    assert_eq!(out.name, "Output");
    let aux = ports.aux_inputs();
    assert_eq!(aux.len(), 1, "one sidechain input: {ports:#?}");
    let side = &ports.inputs[aux[0]];
    assert!(!side.is_main(), "{side:?}");
    assert_eq!(
        (side.name.as_str(), side.channel_count),
        ("Sidechain", 2),
        "{side:?}"
    );
    let configs = plugin.audio_ports_configs().unwrap();
    println!("audio-ports-config: {configs:#?}");
    assert_eq!(
        configs[0].main_input_channels,
        Some(2),
        "the first (default) layout is stereo"
    );
}

#[test]
fn the_51_plugin_has_six_channel_main_and_sidechain_ports_and_processes() {
    let mut plugin = stem_compressor_51();
    let chosen = select_keyed_layout(&mut plugin, 6);
    let ports = plugin.audio_ports().unwrap();
    println!("5.1 layout {chosen:#?}, ports {ports:#?}");
    let out = &ports.outputs[ports.main_output().unwrap()];
    assert_eq!(
        out.name, "Output",
        "main output name (nice-plug defect 3 names it \"Input\")"
    );
    assert_eq!(ports.inputs[ports.aux_inputs()[0]].name, "Sidechain");

    plugin.activate(SR, 1024).unwrap();
    let len = 24_000;
    let (main, key) = (noise(6, len, 0.5, 1), noise(6, len, 0.5, 2));
    let parts = blocks::random(len, 1, 1024, 3);
    let out = render_keyed(&mut plugin, &main, PortInput::Audio(&key), &parts, &[]);
    assert_eq!(out.len(), 6, "5.1 output channels");
    assert!(first_non_finite(&out).is_none(), "non-finite 5.1 output");
    let level = db(rms(&out, 0..len) / rms(&main, 0..len));
    println!("5.1: 6 channels of noise in, output at {level:.2} dB re input");
    assert!(
        level > -40.0,
        "the 5.1 plugin lost the signal: {level:.2} dB"
    );
}

// ----------------------------------------------------------------------------------- latency

#[test]
fn reported_latency_is_the_impulse_argmax_in_every_mode_and_rate() {
    let mut cases: Vec<(String, Vec<(&str, &str)>, f64, fn(f64) -> Vec<u32>)> = vec![
        (
            "Broadband, Lookahead 0".into(),
            vec![("Mode", "Broadband")],
            0.0,
            |_| vec![0],
        ),
        (
            "Broadband, Lookahead 5 ms".into(),
            vec![("Mode", "Broadband")],
            5.0,
            |sr| expected_latency(5.0, sr),
        ),
    ];
    let unmask: [fn(f64) -> Vec<u32>; 3] = [|_| vec![1023], |_| vec![2047], |_| vec![4095]];
    for ((resolution, _), want) in RESOLUTIONS.into_iter().zip(unmask) {
        cases.push((
            format!("Unmask {resolution}"),
            vec![("Mode", "Unmask"), ("Resolution", resolution)],
            0.0,
            want,
        ));
    }
    let mut failures = Vec::new();
    let mut table = Vec::new();
    let plugins: [(&str, fn() -> PluginInstance, usize); 2] = [
        ("stereo", stem_compressor, 2),
        ("5.1", stem_compressor_51, 6),
    ];
    for (r, sr) in RATES.into_iter().enumerate() {
        for ((c, (label, texts, lookahead, want)), (variant, new, channels)) in cases
            .iter()
            .enumerate()
            .flat_map(|case| plugins.iter().map(move |p| (case, *p)))
        {
            // Threshold 0 dB: the impulses (-12 and -18 dBFS) are never compressed.
            let numbers = [("Threshold", 0.0), ("Lookahead", *lookahead)];
            let mut plugin = activated_with(new, &numbers, texts, sr, 4096);
            let (latency, delays) =
                impulse_delays_by_channel(&mut plugin, channels, 300, 0.25, (r * 10 + c) as u64);
            let label = format!("{variant} {label}");
            table.push(format!(
                "{label} @ {sr} Hz: reported {latency}, impulse at {delays:?}"
            ));
            if !want(sr).contains(&latency) || delays.iter().any(|&d| d != latency as isize) {
                failures.push(format!(
                    "{label} @ {sr} Hz: reported {latency} (expected {:?}), impulse at {delays:?}",
                    want(sr)
                ));
            }
        }
    }
    println!("{table:#?}");
    assert!(failures.is_empty(), "{failures:#?}");
}

#[test]
fn mode_and_resolution_switches_while_processing_restart_once_and_report_inside_activate() {
    let mut plugin = stem_compressor_with(&[], &[], SR, 512);
    assert_eq!(plugin.latency().unwrap(), 0, "Broadband, Lookahead 0");
    for (k, (param, text, want)) in [
        ("Mode", "Unmask", 2047),
        ("Resolution", "4096", 4095),
        ("Resolution", "1024", 1023),
        ("Mode", "Broadband", 0),
        ("Resolution", "2048", 0),
        ("Mode", "Unmask", 2047),
    ]
    .into_iter()
    .enumerate()
    {
        let name = format!("Stem Compressor, switch {k}");
        let before = plugin.latency().unwrap();
        if want == before {
            // Resolution does not change the Broadband latency: nothing to restart for.
            let restarts = plugin.restart_count();
            let id = plugin.param_info(param).unwrap().id;
            let value = plugin.text_to_value(id, text).unwrap();
            let input = sine(8192, SR, 440.0, 0.25);
            let change = ParamChange {
                sample: 333,
                id,
                value,
            };
            render_keyed(
                &mut plugin,
                &input,
                PortInput::Silent,
                &blocks::fixed(8192, 512),
                &[change],
            );
            println!(
                "{name}: {param} -> {text} in Broadband: latency {}, restarts {}",
                plugin.latency().unwrap(),
                plugin.restart_count() - restarts
            );
            assert_eq!(plugin.latency().unwrap(), want, "{name}");
            assert_eq!(
                plugin.restart_count(),
                restarts,
                "{name}: a restart without a latency change"
            );
            continue;
        }
        assert_switch_while_processing_restarts_once(
            &name,
            &mut plugin,
            param,
            text,
            300 + 111 * k,
            want,
        );
    }
    // The clap-validator way: the host deactivates before it services the request.
    assert_latency_change_reported_only_inside_activate(
        "Stem Compressor",
        stem_compressor(),
        "Mode",
        "Unmask",
        2047,
    );
    let unmask = with_settings(stem_compressor, &[], &[("Mode", "Unmask")]);
    assert_latency_change_reported_only_inside_activate(
        "Stem Compressor (Unmask)",
        unmask,
        "Resolution",
        "4096",
        4095,
    );
}

// --------------------------------------------------------------------------------- stem sum

#[test]
fn processed_stems_sum_to_the_processed_mix_in_both_modes() {
    let len = 3 * 48_000;
    let names = ["drums", "bass", "keys", "vocals"];
    let stems: Vec<Vec<Vec<f32>>> = names.iter().map(|n| stem(n, len)).collect();
    let mix = stem("mix", len);
    let mut sum_in = zeros(2, len);
    for s in &stems {
        add_into(&mut sum_in, s);
    }
    assert!(
        max_abs_diff(&sum_in, &mix) < 1e-6,
        "mix.wav is not the sum of the stems"
    );

    let mut failures = Vec::new();
    for (m, mode) in MODES.into_iter().enumerate() {
        // Every instance gets its own random partition.
        let figures = stem_sum(
            || keyed_by_the_mix(mode),
            &stems,
            &mix,
            |i| blocks::random(len, 1, 4096, 1000 * m as u64 + i as u64),
        );
        // Makeup adds 3 dB to every sample; what is left is the reduction.
        let reduction_db = figures.mix_change_db - 3.0;
        println!(
            "{mode}: residual {:.3e} ({:.1} dBFS), latency {}, mix level change {:.2} dB (reduction {:.2} dB after \
             the 3 dB makeup)",
            figures.residual,
            db(figures.residual),
            figures.latency,
            figures.mix_change_db,
            reduction_db
        );
        // Compression must really happen, or the invariant holds vacuously.
        if figures.residual > MAX_RESIDUAL || reduction_db > -3.0 {
            failures.push(format!(
                "{mode}: residual {:e} (at most {MAX_RESIDUAL:e}), mix reduced by {reduction_db:.2} dB (at \
                 least 3 dB)",
                figures.residual
            ));
        }
    }
    assert!(failures.is_empty(), "{failures:#?}");
}

// ------------------------------------------------------------------------ unconnected sidechain

#[test]
fn unconnected_sidechain_equals_a_silent_key() {
    isolated("unconnected_sidechain_equals_a_silent_key", || {
        let len = 48_000;
        let stereo = (stem("drums", len), stem("mix", len));
        let surround = (noise(6, len, 0.5, 62), noise(6, len, 0.5, 63));
        let mut failures = Vec::new();
        let variants: [(
            &str,
            fn() -> PluginInstance,
            &(Vec<Vec<f32>>, Vec<Vec<f32>>),
        ); 2] = [
            ("stereo", stem_compressor, &stereo),
            ("5.1", stem_compressor_51, &surround),
        ];
        for ((variant, new, (main, key)), mode) in
            variants.into_iter().flat_map(|v| MODES.map(|m| (v, m)))
        {
            for key_mode in ["External", "Blend"] {
                let texts = [("Key", key_mode), ("Mode", mode)];
                let make = || activated_with(new, DYNAMICS, &texts, SR, 1024);
                let parts = blocks::random(len, 1, 1024, 61);
                let silent = render_keyed(
                    &mut make(),
                    main,
                    PortInput::Audio(&zeros(main.len(), len)),
                    &parts,
                    &[],
                );
                let keyed = render_keyed(&mut make(), main, PortInput::Audio(key), &parts, &[]);
                let live = max_abs_diff(&silent, &keyed);
                for (label, input) in [
                    ("0 channels", PortInput::NoChannels),
                    ("null pointers", PortInput::NullPointers),
                    ("constant zeros", PortInput::Silent),
                ] {
                    let out = render_keyed(&mut make(), main, input, &parts, &[]);
                    let context = format!("{variant} {mode}, Key {key_mode}, sidechain as {label}");
                    if let Some(bad) = first_non_finite(&out) {
                        failures.push(format!("{context}: non-finite output {bad:?}"));
                        continue;
                    }
                    let diff = max_abs_diff(&out, &silent);
                    println!("{context}: max diff to a silent key {diff:.3e} (a real key changes it by {live:.3})");
                    if diff > 1e-7 {
                        failures.push(format!("{context}: differs from a silent key by {diff:e}"));
                    }
                }
                // Not vacuous: the key path is live, a real key changes the output.
                if live < 1e-3 {
                    failures.push(format!("{variant} {mode}, Key {key_mode}: a real key changes the output only by {live:e}"));
                }
            }
        }
        assert!(failures.is_empty(), "{failures:#?}");
    });
}

// ------------------------------------------------------------------------------ channel modes

#[test]
fn side_only_passes_a_mono_signal_delayed_by_the_latency() {
    let len = 96_000;
    let left = stem("drums", len).swap_remove(0);
    let input = vec![left.clone(), left];
    let mut failures = Vec::new();
    for mode in MODES {
        let numbers = [
            ("Threshold", -40.0),
            ("Ratio", 10.0),
            ("Lookahead", 2.0),
            ("Makeup", 3.0),
        ];
        let parts = blocks::random(len, 1, 2048, 71);
        let mut side = stem_compressor_with(
            &numbers,
            &[("Mode", mode), ("Channels", "Side only")],
            SR,
            2048,
        );
        let latency = side.latency().unwrap() as usize;
        let out = process(&mut side, &input, &parts);
        let diff = max_abs_diff(&out, &delayed(&input, latency, 1.0));
        // Not vacuous: the same signal in the mid is compressed.
        let mut mid = stem_compressor_with(
            &numbers,
            &[("Mode", mode), ("Channels", "Mid only")],
            SR,
            2048,
        );
        let mid_out = process(&mut mid, &input, &parts);
        let mid_db = db(rms(&mid_out, latency..len) / rms(&input, 0..len - latency));
        println!(
            "{mode}, Side only, L = R: latency {latency}, max diff to the delayed input {diff:.3e}; Mid only changes \
             the level by {mid_db:.2} dB"
        );
        if diff > 1e-7 || mid_db > -3.0 {
            failures.push(format!(
                "{mode}: Side only with L = R is {diff:e} off the delayed input (at most 1e-7); Mid only \
                 changed the level by {mid_db:.2} dB (at least -3 dB, or this proves nothing)"
            ));
        }
    }
    assert!(failures.is_empty(), "{failures:#?}");
}

// ------------------------------------------------------------------------------------- 5.1 LFE

/// L R C LFE Ls Rs: -60 dBFS noise, except 50 Hz sines of peak `centre` in C and `lfe` in the LFE
/// (0 for none).
fn surround_signal(centre: f32, lfe: f32, len: usize) -> Vec<Vec<f32>> {
    let mut signal = noise(6, len, 0.001, 80);
    for (ch, amp) in [(2, centre), (3, lfe)] {
        if amp > 0.0 {
            signal[ch] = sine(len, SR, 50.0, amp).swap_remove(0);
        }
    }
    signal
}

/// A Stem Compressor 5.1 (Threshold -40 dB, Ratio 10, Key Internal) in `mode` with LFE `lfe`.
fn surround(mode: &str, lfe: &str, max_block: u32) -> PluginInstance {
    let mut plugin = with_settings(
        stem_compressor_51,
        &[("Threshold", -40.0), ("Ratio", 10.0)],
        &[("Mode", mode), ("LFE", lfe)],
    );
    select_keyed_layout(&mut plugin, 6);
    plugin.activate(SR, max_block).unwrap();
    plugin
}

#[test]
fn a_loud_lfe_never_drives_the_gain_and_bypass_keeps_it_out_of_it() {
    const LFE: usize = 3;
    const CENTRE: usize = 2;
    let len = 48_000;
    let parts = blocks::random(len, 1, 1024, 81);
    let mut failures = Vec::new();
    for mode in MODES {
        for lfe in ["Follow", "Bypass"] {
            // The LFE alone is loud (0 dBFS): no channel may change.
            let input = surround_signal(0.0, 1.0, len);
            let mut plugin = surround(mode, lfe, 1024);
            let latency = plugin.latency().unwrap() as usize;
            let out = process(&mut plugin, &input, &parts);
            assert!(first_non_finite(&out).is_none());
            let diff = max_abs_diff(&out, &delayed(&input, latency, 1.0));

            // Not vacuous: the same tone in the centre is compressed, and the LFE (the tone at -20 dBFS,
            // so that Unmask's per-band gain reaches it too) follows or not.
            let input = surround_signal(1.0, 0.1, len);
            let out = process(&mut surround(mode, lfe, 1024), &input, &parts);
            let settled = len / 2..len;
            let gain_of = |ch: usize| {
                let late = settled.start + latency..len;
                db(rms(&out[ch..=ch], late) / rms(&input[ch..=ch], settled.start..len - latency))
            };
            let (centre_db, lfe_db) = (gain_of(CENTRE), gain_of(LFE));
            let lfe_diff = max_abs_diff(&out[LFE..=LFE], &delayed(&input[LFE..=LFE], latency, 1.0));
            println!(
                "{mode}, LFE {lfe}: loud LFE -> max diff to the delayed input {diff:.3e}; loud centre -> centre \
                 {centre_db:.2} dB, LFE {lfe_db:.2} dB (max diff to its delayed input {lfe_diff:.3e})"
            );
            if diff > 1e-6 {
                failures.push(format!(
                    "{mode}, LFE {lfe}: a loud LFE changed the output by {diff:e}"
                ));
            }
            if centre_db > -10.0 {
                failures.push(format!(
                    "{mode}, LFE {lfe}: a loud centre was only reduced by {centre_db:.2} dB"
                ));
            }
            match lfe {
                "Bypass" if lfe_diff > 1e-6 => {
                    failures.push(format!("{mode}, LFE Bypass: the LFE changed by {lfe_diff:e}"))
                }
                "Follow" if (lfe_db - centre_db).abs() > 1.0 => failures.push(format!(
                    "{mode}, LFE Follow: LFE at {lfe_db:.2} dB does not follow the centre's {centre_db:.2} dB"
                )),
                _ => {}
            }
        }
    }
    assert!(failures.is_empty(), "{failures:#?}");
}

// --------------------------------------------------------------------------------------- state

/// Both plugins set to [`STATE_NUMBERS`] and [`STATE_TEXTS`] (inactive).
fn configured() -> PluginInstance {
    with_settings(stem_compressor, STATE_NUMBERS, STATE_TEXTS)
}

/// See [`configured`].
fn configured_51() -> PluginInstance {
    with_settings(stem_compressor_51, STATE_NUMBERS, STATE_TEXTS)
}

/// Every parameter but Bypass away from its default.
const STATE_NUMBERS: &[(&str, f64)] = &[
    ("Threshold", -33.0),
    ("Ratio", 5.0),
    ("Attack", 3.0),
    ("Release", 420.0),
    ("Knee", 2.0),
    ("Range", 15.0),
    ("Makeup", 4.0),
    ("Mix", 80.0),
    ("Output", -3.0),
    ("Lookahead", 3.5),
    ("Stereo Link", 40.0),
    ("Key Blend", 30.0),
    ("Key HPF", 90.0),
];
const STATE_TEXTS: &[(&str, &str)] = &[
    ("Stem", "Dialogue"),
    ("Detector", "Crest Blend"),
    ("Mode", "Unmask"),
    ("Resolution", "4096"),
    ("Auto Release", "On"),
    ("Auto Makeup", "On"),
    ("Channels", "Mid-Side"),
    ("Key", "Blend"),
    ("Key Listen", "On"),
    ("Delta", "On"),
    ("LFE", "Bypass"),
];

#[test]
fn state_round_trips_every_parameter() {
    assert_state_round_trips_every_parameter(configured, stem_compressor);
    assert_state_round_trips_every_parameter(configured_51, stem_compressor_51);
}

/// Starts from other settings than the saved ones, so a partial load would show.
fn set_up_differently() -> PluginInstance {
    with_settings(
        stem_compressor,
        &[("Threshold", -24.0), ("Ratio", 3.0)],
        &[("Stem", "Bass"), ("Mode", "Unmask")],
    )
}

/// Activates `plugin` and renders 12 000 frames of the drum stem through it.
fn render_drums(plugin: &mut PluginInstance) -> Vec<Vec<f32>> {
    plugin.activate(SR, 512).unwrap();
    process(plugin, &stem("drums", 12_000), &blocks::fixed(12_000, 512))
}

/// Loads `bytes` into [`set_up_differently`] with [`check_broken_state`].
fn check_stem_compressor_state(label: &str, bytes: &[u8], must_reject: bool) {
    let plugin = set_up_differently();
    check_broken_state(
        label,
        bytes,
        plugin,
        must_reject,
        stem_compressor,
        render_drums,
    );
}

#[test]
fn broken_states_are_rejected_and_the_settings_kept() {
    isolated("broken_states_are_rejected_and_the_settings_kept", || {
        for (label, bytes) in broken_states(&configured().save_state().unwrap()) {
            // A flipped byte may still be valid JSON with another value; everything else must go.
            check_stem_compressor_state(label, &bytes, label != "one byte flipped");
        }
    });
}

/// A state as a later version of the plugin would write it: version 99.0.0 and a parameter this
/// version does not know, in nice-plug's own format.
fn future_state(valid: &[u8]) -> Vec<u8> {
    let json = state_json(valid);
    let version = format!("\"version\":\"{}\"", env!("CARGO_PKG_VERSION"));
    assert!(
        json.contains(&version) && json.contains("\"params\":{"),
        "unexpected state layout: {json}"
    );
    let future = json
        .replacen(&version, "\"version\":\"99.0.0\"", 1)
        .replacen(
            "\"params\":{",
            "\"params\":{\"spectral_tilt\":{\"f32\":0.25},",
            1,
        );
    state_bytes(&future)
}

#[test]
fn a_state_from_a_future_version_keeps_the_settings() {
    isolated("a_state_from_a_future_version_keeps_the_settings", || {
        let valid = configured().save_state().unwrap();
        assert_state_ignored("future version", &future_state(&valid), set_up_differently());
        // Not vacuous: the same state with this version's number does change the settings.
        let mut plugin = set_up_differently();
        let before = values(&plugin);
        plugin.load_state(&valid).unwrap();
        assert_ne!(before, values(&plugin), "the valid state changed nothing");
    });
}

// ----------------------------------------------------------------------------------- bad input

/// A burst on the main input only passes the audio path (with Key External): from 100 ms plus the
/// latency after it, the output must be the clean run to float rounding.
const AUDIO_TOLERANCE: f64 = 1e-6;
/// How close to the clean run the output must come back after a burst that reached the key path.
const KEY_TOLERANCE: f64 = 1e-4;

/// The settling allowance for a burst that reached the key path (the sidechain; with Blend the main
/// too), in samples at [`SR`], for a main input of peak `peak` through [`DYNAMICS`].
///
/// The key path holds state, never audio: after the burst the gain can be wrong by at most the
/// whole Range (18 dB, through the 3 dB Makeup), an output error of at most `e0`. Every key-path
/// memory forgets at least as fast as the Release (100 ms; the Keys profile's RMS window is 30 ms,
/// the Attack 5 ms, the 20 Hz key high-pass about 11 ms), so the error is below [`KEY_TOLERANCE`]
/// after Release * ln(e0 / KEY_TOLERANCE). Unmask first needs one frame (N = 2048 samples) until no
/// analysis window of the key holds a burst sample.
fn key_path_allowance(mode: &str, peak: f64) -> usize {
    let e0 = peak * 10f64.powf(3.0 / 20.0) * (1.0 - 10f64.powf(-18.0 / 20.0));
    let decay = (0.1 * SR * (e0 / KEY_TOLERANCE).ln()) as usize;
    decay + if mode == "Unmask" { 2048 } else { 0 }
}

/// Renders `main` keyed by `key` in `mode` with Key `key_mode`, clean and with every bad value
/// burst into `burst` of the main input, the sidechain, or both, and returns what went wrong.
fn burst_failures(
    mode: &str,
    key_mode: &str,
    main: &[Vec<f32>],
    key: &[Vec<f32>],
    burst: std::ops::Range<usize>,
) -> Vec<String> {
    let ms = |samples: usize| samples as f64 * 1000.0 / SR;
    let peak = main.iter().flatten().fold(0.0f32, |a, x| a.max(x.abs())) as f64;
    let parts = blocks::random(main[0].len(), 1, 1024, 91);
    let make = || stem_compressor_with(DYNAMICS, &[("Key", key_mode), ("Mode", mode)], SR, 1024);
    let mut clean_plugin = make();
    let latency = clean_plugin.latency().unwrap() as usize;
    let clean = render_keyed(&mut clean_plugin, main, PortInput::Audio(key), &parts, &[]);
    let mut failures = Vec::new();
    for ((name, value), target) in BAD_VALUES
        .into_iter()
        .flat_map(|v| ["main", "sidechain", "both"].map(|t| (v, t)))
    {
        let dirty = |signal: &[Vec<f32>], hit: bool| {
            if hit {
                with_burst(signal, burst.clone(), value)
            } else {
                signal.to_vec()
            }
        };
        let (dirty_main, dirty_key) = (
            dirty(main, target != "sidechain"),
            dirty(key, target != "main"),
        );
        let out = render_keyed(
            &mut make(),
            &dirty_main,
            PortInput::Audio(&dirty_key),
            &parts,
            &[],
        );
        let context = format!("{mode}, Key {key_mode}, {name} on {target}");
        if let Some(bad) = first_non_finite(&out) {
            failures.push(format!("{context}: non-finite output {bad:?}"));
            continue;
        }
        let key_path = target != "main" || key_mode == "Blend";
        let (tolerance, allowance) = if key_path {
            (KEY_TOLERANCE, key_path_allowance(mode, peak))
        } else {
            (AUDIO_TOLERANCE, 0)
        };
        let deadline = burst.end + SR as usize / 10 + latency + allowance;
        let settled = settled_from(&out, &clean, tolerance);
        println!(
            "{context}: within {tolerance:e} of the clean run {:.1} ms after the burst (allowed: 100 + latency {:.1} + \
             allowance {:.1} = {:.1} ms)",
            ms(settled.saturating_sub(burst.end)),
            ms(latency),
            ms(allowance),
            ms(deadline - burst.end)
        );
        if settled <= burst.start + latency {
            failures.push(format!(
                "{context}: the burst left no trace in the output: vacuous"
            ));
        }
        if settled > deadline {
            failures.push(format!(
                "{context}: still off the clean run by more than {tolerance:e} {:.1} ms after the burst",
                ms(settled - burst.end)
            ));
        }
    }
    failures
}

#[test]
fn bad_input_bursts_give_finite_output_and_the_clean_output_soon_after() {
    isolated(
        "bad_input_bursts_give_finite_output_and_the_clean_output_soon_after",
        || {
            let len = 3 * 48_000;
            let (main, key) = (stem("drums", len), stem("mix", len));
            let mut failures = Vec::new();
            for mode in MODES {
                for key_mode in ["External", "Blend"] {
                    failures.extend(burst_failures(mode, key_mode, &main, &key, 24_000..24_500));
                }
            }
            assert!(failures.is_empty(), "{failures:#?}");
        },
    );
}

// ---------------------------------------------------------------------------- block partitions

#[test]
fn output_is_bit_identical_for_any_block_partition() {
    let len = 96_000;
    let main = stem("vocals", len);
    let key = stem("mix", len);
    let (mut failures, mut reductions) = (Vec::new(), Vec::new());
    for mode in MODES {
        let render = |parts: &[usize]| {
            render_keyed(
                &mut keyed_by_the_mix(mode),
                &main,
                PortInput::Audio(&key),
                parts,
                &[],
            )
        };
        let reference = render(&blocks::fixed(len, 4096));
        // The level change without the 3 dB makeup: the reduction.
        let changed = db(rms(&reference, 0..len) / rms(&main, 0..len)) - 3.0;
        for seed in 1..=5u64 {
            let parts = blocks::random(len, 1, 4096, 100 + seed);
            let diff = max_abs_diff(&render(&parts), &reference);
            println!("{mode}: random 1..4096 partition {seed} ({} blocks): max diff to blocks of 4096 {diff:e}", parts.len());
            if diff != 0.0 {
                failures.push(format!("{mode}: partition {seed} differs by {diff:e}"));
            }
        }
        println!("{mode}: reduction (level change without the makeup) {changed:.2} dB");
        reductions.push(changed);
    }
    assert!(failures.is_empty(), "{failures:#?}");
    // Not vacuous: the settings really process the signal in both modes.
    assert!(
        reductions.iter().all(|&r| r < -1.0),
        "reductions {reductions:?} dB: nothing to tell partitions apart"
    );
}

// ----------------------------------------------------------------------- lsp-plugins#300

#[test]
fn switching_the_key_to_external_takes_effect_in_the_next_block() {
    let block = 512;
    let switch = 47 * block; // a block boundary, about 0.5 s in
    let len = switch + 24 * block;
    // Quiet main (-40 dBFS, 1 kHz), loud sidechain (-6 dBFS, 150 Hz).
    let main = sine(len, SR, 1000.0, 0.01);
    let key = sine(len, SR, 150.0, 0.5);
    let numbers = [
        ("Threshold", -30.0),
        ("Ratio", 4.0),
        ("Attack", 5.0),
        ("Release", 100.0),
    ];
    let make =
        |key_mode: &str| stem_compressor_with(&numbers, &[("Key", key_mode)], SR, block as u32);
    let parts = blocks::fixed(len, block);
    let gain_db =
        |out: &[Vec<f32>], from: usize, to: usize| db(rms(out, from..to) / rms(&main, from..to));

    // A reference that was External all along.
    let always = render_keyed(
        &mut make("External"),
        &main,
        PortInput::Audio(&key),
        &parts,
        &[],
    );

    // (a) Host automation or a preset applied as parameter events: Key -> External at the boundary.
    let mut plugin = make("Internal");
    let id = plugin.param_info("Key").unwrap().id;
    let value = plugin.text_to_value(id, "External").unwrap();
    let change = ParamChange {
        sample: switch,
        id,
        value,
    };
    let by_event = render_keyed(
        &mut plugin,
        &main,
        PortInput::Audio(&key),
        &parts,
        &[change],
    );

    // (b) A preset (state) loaded between two process calls.
    let mut plugin = make("Internal");
    let external_state = with_settings(stem_compressor, &numbers, &[("Key", "External")])
        .save_state()
        .unwrap();
    let first = render_keyed(
        &mut plugin,
        &head(&main, switch),
        PortInput::Audio(&head(&key, switch)),
        &parts[..47],
        &[],
    );
    plugin.load_state(&external_state).unwrap();
    let tail = |s: &[Vec<f32>]| s.iter().map(|c| c[switch..].to_vec()).collect::<Vec<_>>();
    let second = render_keyed(
        &mut plugin,
        &tail(&main),
        PortInput::Audio(&tail(&key)),
        &parts[47..],
        &[],
    );
    let by_state: Vec<Vec<f32>> = first
        .iter()
        .zip(&second)
        .map(|(a, b)| [&a[..], &b[..]].concat())
        .collect();

    let attack = (0.005 * SR) as usize;
    let mut failures = Vec::new();
    for (label, out) in [("parameter event", &by_event), ("state load", &by_state)] {
        assert!(
            first_non_finite(out).is_none(),
            "{label}: non-finite output"
        );
        let before = gain_db(out, switch - 4 * block, switch);
        let first_attack = gain_db(out, switch, switch + attack);
        let next_block = gain_db(out, switch, switch + block);
        let second_block = gain_db(out, switch + block, switch + 2 * block);
        let late = gain_db(out, len - 4 * block, len);
        let reference = gain_db(&always, len - 4 * block, len);
        println!(
            "{label}: gain before the switch {before:.2} dB; after it: first attack time (5 ms) {first_attack:.2} dB, \
             first block {next_block:.2} dB, second block {second_block:.2} dB, settled {late:.2} dB (External all \
             along: {reference:.2} dB)"
        );
        if before.abs() > 0.5 {
            failures.push(format!(
                "{label}: Key Internal, quiet main, yet {before:.2} dB before the switch"
            ));
        }
        if first_attack > -1.0 || next_block > -3.0 {
            failures.push(format!(
                "{label}: the block after the switch does not react: {first_attack:.2} dB in the first 5 ms, \
                 {next_block:.2} dB over the block"
            ));
        }
        if (late - reference).abs() > 0.5 || reference > -6.0 {
            failures.push(format!(
                "{label}: settles at {late:.2} dB, External all along {reference:.2} dB"
            ));
        }
    }
    assert!(failures.is_empty(), "{failures:#?}");
}
