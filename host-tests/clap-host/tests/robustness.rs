//! Hostile but legal input: an unconnected sidechain in the forms CLAP allows, and NaN/Inf
//! bursts. Each test runs in a child process so a crash fails only that test.
//!
//! What CLAP allows for an input port nothing is connected to (clap/process.h, audio-buffer.h,
//! ext/audio-ports-activation.h):
//! - `audio_inputs_count` must equal the number of declared input ports, so the sidechain buffer
//!   is always present;
//! - "Either data32 or data64 pointer will be set", so both null is outside the spec;
//! - an inactive port still gets buffers, "filled with 0 ... and the constant_mask shall be set";
//! - nothing fixes `channel_count` to the declared count, so 0 channels (with a valid `data32`
//!   array) is allowed, and nothing forbids it changing between process calls.

mod common;

use clap_host::{blocks, PluginInstance, PortInput, Rng};
use common::*;

const SR: f64 = 48_000.0;
const LEN: usize = 96_000;

fn compressor(key: &str, max_block: u32) -> PluginInstance {
    compressing_instance(key, 2.0, SR, max_block)
}

/// Loud enough to compress on its own (-6 dBFS peak), so "key silent" and "key = main" differ.
fn loud_main() -> Vec<Vec<f32>> {
    sine(LEN, SR, 440.0, 0.5)
}

fn assert_sane(out: &[Vec<f32>], input: &[Vec<f32>], context: &str) {
    if let Some(bad) = first_non_finite(out) {
        panic!("{context}: non-finite output (channel, sample, value) = {bad:?}");
    }
    assert_eq!(out.len(), 2, "{context}: output channels");
    let level = db(rms(out, LEN / 2..LEN) / rms(input, LEN / 2..LEN));
    assert!(
        level > -40.0,
        "{context}: the main signal no longer passes ({level:.1} dB)"
    );
    assert!(level < 6.0, "{context}: output {level:.1} dB above input");
}

#[test]
fn unconnected_sidechain_as_zeroed_constant_buffers() {
    isolated("unconnected_sidechain_as_zeroed_constant_buffers", || {
        let main = loud_main();
        let parts = blocks::random(LEN, 1, 1024, 21);
        let mut plugin = compressor("External", 1024);
        let latency = plugin.latency().unwrap() as usize;
        let out = plugin
            .render_with(PortInput::Audio(&main), PortInput::Silent, &parts, &[])
            .unwrap();
        assert_sane(
            &out,
            &main,
            "External key, sidechain silent + constant_mask",
        );
        // A silent external key means no gain reduction: the output is the delayed input.
        let g = db(rms(&out, LEN / 2 + latency..LEN) / rms(&main, LEN / 2..LEN - latency));
        assert!(
            g.abs() < 0.5,
            "External key, silent sidechain, yet the gain is {g:.2} dB"
        );

        // And the same with real zeros (no constant_mask) is identical.
        let mut twin = compressor("External", 1024);
        let reference = twin.render(&main, &silence(LEN), &parts).unwrap();
        let diff = max_abs_diff(&out, &reference);
        assert!(diff <= 1e-7, "constant_mask changed the output by {diff:e}");
    });
}

#[test]
fn unconnected_sidechain_with_zero_channels() {
    isolated("unconnected_sidechain_with_zero_channels", || {
        let main = loud_main();
        for key in ["External", "Internal"] {
            for (label, parts) in [
                ("blocks of 1024", blocks::fixed(LEN, 1024)),
                ("random 1..1024", blocks::random(LEN, 1, 1024, 22)),
            ] {
                let mut plugin = compressor(key, 1024);
                let out = plugin
                    .render_with(PortInput::Audio(&main), PortInput::NoChannels, &parts, &[])
                    .unwrap();
                assert_sane(
                    &out,
                    &main,
                    &format!("Key {key}, 0-channel sidechain, {label}"),
                );
            }
        }
    });
}

#[test]
fn sidechain_disconnected_and_reconnected_while_processing() {
    isolated(
        "sidechain_disconnected_and_reconnected_while_processing",
        || {
            // Connected with small blocks, then 0 channels with large ones, then connected again. nice-plug
            // keeps the aux storage at the last connected block's length, so the plugin sees aux
            // slices shorter than the main buffer here and must cope.
            let main = loud_main();
            let third = LEN / 3;
            let pieces: Vec<Vec<Vec<f32>>> = (0..3)
                .map(|i| {
                    main.iter()
                        .map(|c| c[i * third..(i + 1) * third].to_vec())
                        .collect()
                })
                .collect();
            for key in ["External", "Internal"] {
                let mut plugin = compressor(key, 1024);
                let a = plugin
                    .render(&pieces[0], &pieces[0], &blocks::fixed(third, 64))
                    .unwrap();
                let b = plugin
                    .render_with(
                        PortInput::Audio(&pieces[1]),
                        PortInput::NoChannels,
                        &blocks::fixed(third, 1024),
                        &[],
                    )
                    .unwrap();
                let c = plugin
                    .render(&pieces[2], &pieces[2], &blocks::random(third, 1, 1024, 5))
                    .unwrap();
                let out: Vec<Vec<f32>> = (0..2)
                    .map(|ch| [&a[ch][..], &b[ch][..], &c[ch][..]].concat())
                    .collect();
                let input: Vec<Vec<f32>> =
                    (0..2).map(|ch| main[ch][..3 * third].to_vec()).collect();
                if let Some(bad) = first_non_finite(&out) {
                    panic!("Key {key}: non-finite output after reconnecting: {bad:?}");
                }
                let level = db(rms(&out, 0..3 * third) / rms(&input, 0..3 * third));
                assert!(
                    level > -40.0 && level < 6.0,
                    "Key {key}: output level {level:.1} dB"
                );
            }
        },
    );
}

/// Outside the CLAP spec (data32 and data64 both null), but some hosts do it: the plugin must survive.
#[test]
fn unconnected_sidechain_with_null_pointers() {
    isolated("unconnected_sidechain_with_null_pointers", || {
        let main = loud_main();
        for key in ["External", "Internal"] {
            let mut plugin = compressor(key, 1024);
            let out = plugin
                .render_with(
                    PortInput::Audio(&main),
                    PortInput::NullPointers,
                    &blocks::random(LEN, 1, 1024, 23),
                    &[],
                )
                .unwrap();
            assert_sane(&out, &main, &format!("Key {key}, null sidechain pointers"));
        }
    });
}

/// Writes `value` into `len` samples at `at` of every channel.
fn burst(signal: &mut [Vec<f32>], at: usize, len: usize, value: f32) {
    for ch in signal.iter_mut() {
        ch[at..at + len].fill(value);
    }
}

/// Every sample of a stretch of random noise replaced by NaN, +Inf or -Inf at random.
fn mixed_burst(signal: &mut [Vec<f32>], at: usize, len: usize, seed: u64) {
    let mut rng = Rng::new(seed);
    for ch in signal.iter_mut() {
        for s in &mut ch[at..at + len] {
            *s = [f32::NAN, f32::INFINITY, f32::NEG_INFINITY][rng.range(0, 2)];
        }
    }
}

#[test]
fn nan_and_inf_bursts_never_reach_the_output() {
    isolated("nan_and_inf_bursts_never_reach_the_output", || {
        let clean_main = sine(LEN, SR, 440.0, 0.3);
        let clean_key = sine(LEN, SR, 120.0, 0.6);
        let mut main = clean_main.clone();
        burst(&mut main, 10_000, 64, f32::NAN);
        burst(&mut main, 20_000, 1, f32::INFINITY);
        burst(&mut main, 25_000, 300, f32::NEG_INFINITY);
        mixed_burst(&mut main, 30_000, 500, 1);
        let mut key = clean_key.clone();
        burst(&mut key, 15_000, 64, f32::NAN);
        burst(&mut key, 22_000, 1, f32::INFINITY);
        mixed_burst(&mut key, 35_000, 500, 2);
        // A signal with bursts only in the key too, so the key path alone is exercised.
        let mut key_only = clean_key.clone();
        burst(&mut key_only, 5_000, 128, f32::NAN);
        mixed_burst(&mut key_only, 12_000, 256, 3);

        type Case<'a> = (&'a str, &'a str, &'a [Vec<f32>], &'a [Vec<f32>]);
        let cases: [Case; 4] = [
            ("Internal", "bursts on main and key", &main, &key),
            ("External", "bursts on main and key", &main, &key),
            ("External", "bursts on key only", &clean_main, &key_only),
            ("Internal", "bursts on main only", &main, &clean_key),
        ];
        for (key_mode, label, m, k) in cases {
            let parts = blocks::random(LEN, 1, 1024, 31);
            let mut plugin = compressor(key_mode, 1024);
            let out = plugin.render(m, k, &parts).unwrap();
            if let Some(bad) = first_non_finite(&out) {
                panic!(
                    "Key {key_mode}, {label}: non-finite output (channel, sample, value) = {bad:?}"
                );
            }
            // Recovery: the last half second matches a clean run.
            let mut clean = compressor(key_mode, 1024);
            let reference = clean.render(&clean_main, &clean_key, &parts).unwrap();
            let tail = LEN - 24_000..LEN;
            let diff_db = db(rms(&out, tail.clone()) / rms(&reference, tail));
            assert!(
                diff_db.abs() < 1.0,
                "Key {key_mode}, {label}: 1 s after the bursts the level is off by {diff_db:.2} dB"
            );
        }
    });
}
