//! Fuzz target: load arbitrary bytes as a plugin state through `clap.state`.
//!
//! The input picks a plugin and sets a few parameters first (format in `src/state_input.rs`).
//! Whatever the bytes, the plugin must not crash or hang. A refused load keeps every parameter
//! value bit for bit. An accepted one leaves every value finite and in range, the instance then
//! activates and renders finite audio, and the state it saves loads into a fresh instance with the
//! same values.

#![no_main]

use clap_host::{HostError, PortInput};
use libfuzzer_sys::fuzz_target;
use stem_suite_fuzz::{plugins, seeds, signal, state_input, values};

/// Sample rate of the render after an accepted load, in Hz.
const SAMPLE_RATE_HZ: f64 = 48_000.0;
/// Length of that render, in frames.
const RENDER_FRAMES: usize = 256;

fn init() {
    plugins::all();
    if let Some(dir) = seeds::seed_dir() {
        seeds::write_state_seeds(&dir);
    }
}

fn check(data: &[u8]) {
    let mut input = state_input::decode(data);
    let plugin = plugins::pick(input.plugin_selector);
    let mut instance = plugin.create();
    let params = instance.params().expect("params");
    for _ in 0..input.preset_count {
        let (id, value) = values::param_change(&params, &mut input.preset);
        instance.set_param(id, value).expect("set_param in range");
    }
    let state = input.preset.rest();
    let before = values::snapshot(&instance);

    match instance.load_state_chunked(state, input.read_chunk_bytes) {
        Err(HostError::Rejected(_)) => {
            let changed = values::differences(&before, &values::snapshot(&instance), 0.0);
            assert!(
                changed.is_empty(),
                "{}: a refused load changed (id, before, after): {changed:?}",
                plugin.id
            );
        }
        Err(e) => panic!("{}: load_state: {e}", plugin.id),
        Ok(()) => {
            values::assert_in_range(&instance, &format!("{} after an accepted load", plugin.id));
            instance
                .activate(SAMPLE_RATE_HZ, RENDER_FRAMES as u32)
                .expect("activate after an accepted load");
            let ports = instance.audio_ports().expect("audio ports");
            let audio: Vec<Vec<Vec<f32>>> = ports
                .inputs
                .iter()
                .map(|p| {
                    (0..p.channel_count)
                        .map(|c| {
                            (0..RENDER_FRAMES)
                                .map(|i| 0.5 * ((i as f32 + c as f32) * 0.05).sin())
                                .collect()
                        })
                        .collect()
                })
                .collect();
            let inputs: Vec<PortInput> = audio.iter().map(|a| PortInput::Audio(a)).collect();
            let out = instance
                .render_ports(&inputs, &[RENDER_FRAMES], &[])
                .expect("render after an accepted load");
            if let Some(bad) = signal::first_non_finite(&out) {
                panic!(
                    "{}: non-finite output (port, channel, frame, value) {bad:?} after an accepted load",
                    plugin.id
                );
            }
            let loaded = values::snapshot(&instance);
            let saved = instance.save_state().expect("save_state after an accepted load");
            let mut fresh = plugin.create();
            fresh
                .load_state(&saved)
                .unwrap_or_else(|e| panic!("{}: the state saved after an accepted load: {e}", plugin.id));
            let changed = values::differences(&loaded, &values::snapshot(&fresh), 1e-9);
            assert!(
                changed.is_empty(),
                "{}: saved and reloaded values differ (id, saved, reloaded): {changed:?}",
                plugin.id
            );
        }
    }
}

fuzz_target!(init: init(), |data: &[u8]| check(data));
