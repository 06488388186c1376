//! Reported latency equals round(lookahead_ms * sr / 1000), and audio really is delayed by it.

mod common;

use clap_host::{blocks, ParamChange, PluginInstance};
use common::latency_checks::*;
use common::*;

const RATES: [f64; 3] = [44_100.0, 48_000.0, 96_000.0];
const LOOKAHEADS_MS: [f64; 4] = [0.0, 1.5, 5.0, 10.0];

/// Threshold 0 dB: a -6 dBFS impulse stays below threshold and knee, so nothing compresses.
fn transparent(lookahead_ms: f64, sr: f64, max_block: u32) -> PluginInstance {
    let mut plugin = bus_compressor();
    set_params(
        &mut plugin,
        &[("Threshold", 0.0), ("Lookahead", lookahead_ms)],
        &[],
    );
    plugin.activate(sr, max_block).unwrap();
    plugin
}

#[test]
fn reported_latency_matches_lookahead_at_every_rate() {
    let (failures, table) =
        lookahead_latency_failures(&RATES, &LOOKAHEADS_MS, |ms, sr| transparent(ms, sr, 512));
    println!("latencies: {table:#?}");
    assert!(failures.is_empty(), "{failures:#?}");
}

#[test]
fn impulse_peaks_exactly_at_the_reported_latency() {
    const AT: usize = 300;
    const AMP: f32 = 0.5;
    let mut failures = Vec::new();
    for sr in RATES {
        for (k, ms) in LOOKAHEADS_MS.into_iter().enumerate() {
            let mut plugin = transparent(ms, sr, 4096);
            let latency = plugin.latency().unwrap() as usize;
            let len = AT + latency + 4096;
            let mut input = silence(len);
            for ch in input.iter_mut() {
                ch[AT] = AMP;
            }
            let parts = blocks::random(len, 1, 4096, 7 + k as u64);
            let out = plugin.render(&input, &silence(len), &parts).unwrap();
            let peak = argmax_abs(&out);
            if peak != AT + latency {
                failures.push(format!(
                    "{ms} ms at {sr} Hz: reported {latency}, impulse came out at +{}",
                    peak as isize - AT as isize
                ));
                continue;
            }
            // "Output with threshold above the signal equals the input delayed by the latency."
            let mut delayed = silence(len);
            for ch in delayed.iter_mut() {
                ch[AT + latency] = AMP;
            }
            let diff = max_abs_diff(&out, &delayed);
            if diff > 1e-4 {
                failures.push(format!(
                    "{ms} ms at {sr} Hz: output differs from the delayed input by {diff:e}"
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{failures:#?}");
}

#[test]
fn changing_lookahead_while_processing_updates_the_reported_latency() {
    let sr = 48_000.0;
    let mut plugin = transparent(0.0, sr, 512);
    assert_eq!(plugin.latency().unwrap(), 0);
    let id = plugin.param_info("Lookahead").unwrap().id;
    let value = plugin.text_to_value(id, "5").unwrap();
    let len = sr as usize;
    let input = sine(len, sr, 440.0, 0.25);
    let change = ParamChange {
        sample: 1000,
        id,
        value,
    };
    let out = plugin.render_with(
        clap_host::PortInput::Audio(&input),
        clap_host::PortInput::Silent,
        &blocks::fixed(len, 512),
        &[change],
    );
    let out = out.unwrap();
    assert!(first_non_finite(&out).is_none());
    assert_lookahead_change_announced(&plugin, &expected_latency(5.0, sr));
}
