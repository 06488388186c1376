//! Fuzz target: a plugin at a random sample rate and port layout, cut into random blocks, under
//! random parameter changes at random frames, fed audio with NaN, infinite, huge and denormal
//! bursts on every input (main and sidechain; the sidechain may also be silent, have no channels or
//! null buffers). The plugin must not crash, panic or allocate in `process()` (the instrumented
//! builds have `assert_process_allocs`), and its output must stay finite.
//!
//! Input, read in order (past the end every byte is 0): plugin, sample rate, port layout, up to
//! 3 parameters set before activation, up to 16 block sizes (log-uniform over 0..=8192 frames, at
//! most 8192 frames in all, so each execution stays short), the activated maximum block size,
//! for each input port how it is connected, its signal and bursts, then up to 31 parameter changes.
//! (The audio comes before the changes so that short inputs, which libFuzzer favours at first,
//! already carry bad-value bursts.)

#![no_main]

use std::sync::OnceLock;

use clap_host::ParamChange;
use clap_host::PortInput;
use libfuzzer_sys::fuzz_target;
use stem_suite_fuzz::bytes::ByteReader;
use stem_suite_fuzz::{plugins, seeds, signal, values};

/// The sample rates a host may choose, in Hz.
const SAMPLE_RATES_HZ: [f64; 8] = [
    22_050.0, 44_100.0, 48_000.0, 88_200.0, 96_000.0, 176_400.0, 192_000.0, 384_000.0,
];
/// Largest block, in frames.
const MAX_BLOCK_FRAMES: usize = 8192;
/// Most frames rendered per input, so that each execution stays short.
const MAX_TOTAL_FRAMES: usize = 8192;

/// Whether clap-host accepts 0-frame process calls (asked once, by trying one).
fn zero_blocks_allowed() -> bool {
    static ALLOWED: OnceLock<bool> = OnceLock::new();
    *ALLOWED.get_or_init(|| {
        let mut instance = plugins::all()[0].create();
        instance.activate(48_000.0, 64).expect("activate");
        let allowed = instance.render_ports(&[], &[0], &[]).is_ok();
        eprintln!(
            "0-frame blocks: {}",
            if allowed {
                "included"
            } else {
                "not accepted by clap-host, skipped"
            }
        );
        allowed
    })
}

fn init() {
    plugins::all();
    zero_blocks_allowed();
    if let Some(dir) = seeds::seed_dir() {
        seeds::write_dsp_seeds(&dir);
    }
}

fn check(data: &[u8]) {
    let mut input = ByteReader::new(data);
    let plugin = plugins::pick(input.u8());
    let sample_rate_hz = SAMPLE_RATES_HZ[input.index(SAMPLE_RATES_HZ.len())];
    let mut instance = plugin.create();

    let layout = input.u8();
    let mut layout_name = String::from("default");
    if instance.has_audio_ports_config() {
        let configs = instance.audio_ports_configs().expect("audio_ports_configs");
        if !configs.is_empty() {
            let config = &configs[layout as usize % configs.len()];
            instance
                .select_audio_ports_config(config.id)
                .expect("select_audio_ports_config");
            layout_name = config.name.clone();
        }
    }

    let params = instance.params().expect("params");
    for _ in 0..input.u8() % 4 {
        let (id, value) = values::param_change(&params, &mut input);
        instance.set_param(id, value).expect("set_param in range");
    }

    let mut blocks = Vec::new();
    let mut total_frames = 0;
    for _ in 0..1 + input.u8() % 16 {
        // Log-uniform sizes: every octave from 1 to 8192 frames is as likely, and so is 0.
        let octave = input.u8() % 15;
        let mut frames = if octave == 14 {
            0
        } else {
            (1usize << octave) + input.u16() as usize % (1 << octave)
        };
        frames = frames.min(MAX_BLOCK_FRAMES);
        if frames == 0 && !zero_blocks_allowed() {
            frames = 1;
        }
        let frames = frames.min(MAX_TOTAL_FRAMES - total_frames);
        if frames == 0 && total_frames == MAX_TOTAL_FRAMES {
            break;
        }
        blocks.push(frames);
        total_frames += frames;
    }
    let largest_block = blocks.iter().copied().max().unwrap_or(0).max(1);
    let max_block_frames = if input.bool() { largest_block } else { MAX_BLOCK_FRAMES };
    let context = format!(
        "{} at {sample_rate_hz} Hz, layout {layout_name}, blocks {blocks:?} (max {max_block_frames})",
        plugin.id
    );
    instance
        .activate(sample_rate_hz, max_block_frames as u32)
        .unwrap_or_else(|e| panic!("{context}: activate: {e}"));

    let ports = instance.audio_ports().expect("audio_ports");
    let mut audio: Vec<Option<Vec<Vec<f32>>>> = Vec::new();
    let mut connections = Vec::new();
    for port in &ports.inputs {
        let connection = if port.is_main() { 0 } else { input.u8() % 4 };
        connections.push(connection);
        audio.push((connection == 0).then(|| {
            let mut a = signal::signal(&mut input, port.channel_count as usize, total_frames);
            signal::add_bursts(&mut input, &mut a);
            a
        }));
    }
    let inputs: Vec<PortInput> = audio
        .iter()
        .zip(&connections)
        .map(|(a, c)| match (a, c) {
            (Some(a), _) => PortInput::Audio(a),
            (None, 1) => PortInput::Silent,
            (None, 2) => PortInput::NoChannels,
            _ => PortInput::NullPointers,
        })
        .collect();

    let mut changes = Vec::new();
    for _ in 0..input.u8() % 32 {
        let (id, value) = values::param_change(&params, &mut input);
        let sample = input.u16() as usize;
        if total_frames > 0 {
            changes.push(ParamChange {
                sample: sample % total_frames,
                id,
                value,
            });
        }
    }

    let out = instance
        .render_ports(&inputs, &blocks, &changes)
        .unwrap_or_else(|e| panic!("{context}: render: {e}"));
    if let Some(bad) = signal::first_non_finite(&out) {
        panic!("{context}: non-finite output (port, channel, frame, value) {bad:?}; inputs {connections:?}, changes {changes:?}");
    }
}

fuzz_target!(init: init(), |data: &[u8]| check(data));
