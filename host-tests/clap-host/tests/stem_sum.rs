//! The stem-sum invariant through the built binary: with Key = External and the full mix as key
//! for every instance, the sum of the processed stems equals the processed mix, at any block
//! partition.

mod common;

use clap_host::{blocks, wav, PluginInstance};
use common::*;

const STEMS: [&str; 4] = ["drums", "bass", "keys", "vocals"];
const MAX_BLOCK: usize = 4096;
/// -100 dBFS.
const MAX_RESIDUAL: f64 = 1e-5;

fn load(name: &str) -> wav::Wav {
    let path = workspace_root()
        .join("testdata/stems-a")
        .join(format!("{name}.wav"));
    let w = wav::read(&path).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(w.sample_rate, 48_000, "{name}.wav sample rate");
    assert_eq!(w.bits_per_sample, 24, "{name}.wav should be 24-bit");
    assert!(!w.is_float, "{name}.wav should be integer PCM");
    assert_eq!(w.channels.len(), 2, "{name}.wav should be stereo");
    w
}

fn compressor() -> PluginInstance {
    compressing_instance("External", 2.0, 48_000.0, MAX_BLOCK as u32)
}

#[test]
fn stems_processed_separately_sum_to_the_processed_mix() {
    let mix = load("mix");
    let stems: Vec<wav::Wav> = STEMS.iter().map(|s| load(s)).collect();
    let len = mix.len();
    assert!(len > 48_000, "mix.wav is only {len} frames");
    for (name, s) in STEMS.iter().zip(&stems) {
        assert_eq!(s.len(), len, "{name}.wav length");
    }
    // The data itself: mix.wav is the exact sum of the stems.
    let mut sum_in = silence(len);
    for s in &stems {
        for (acc, ch) in sum_in.iter_mut().zip(&s.channels) {
            for (a, x) in acc.iter_mut().zip(ch) {
                *a += *x;
            }
        }
    }
    assert!(
        max_abs_diff(&sum_in, &mix.channels) < 1e-6,
        "mix.wav is not the sum of the stems"
    );

    let partitions: Vec<(&str, Vec<usize>)> = vec![
        ("fixed 512", blocks::fixed(len, 512)),
        ("fixed 4096", blocks::fixed(len, 4096)),
        ("random 1..4096 seed 1", blocks::random(len, 1, 4096, 1)),
        ("random 1..4096 seed 2", blocks::random(len, 1, 4096, 2)),
        ("random 1..64 seed 3", blocks::random(len, 1, 64, 3)),
    ];

    let mut failures = Vec::new();
    for (label, parts) in &partitions {
        let mut mix_plugin = compressor();
        let latency = mix_plugin.latency().unwrap() as usize;
        let mix_out = mix_plugin
            .render(&mix.channels, &mix.channels, parts)
            .unwrap();

        let mut stem_sum = silence(len);
        for s in &stems {
            // A separate instance per stem, as in a DAW session.
            let mut p = compressor();
            assert_eq!(p.latency().unwrap() as usize, latency);
            let out = p.render(&s.channels, &mix.channels, parts).unwrap();
            for (acc, ch) in stem_sum.iter_mut().zip(&out) {
                for (a, x) in acc.iter_mut().zip(ch) {
                    *a += *x;
                }
            }
        }

        assert!(
            first_non_finite(&mix_out).is_none(),
            "{label}: non-finite output"
        );
        let residual = max_abs_diff(&stem_sum, &mix_out);
        // Compression must really happen, or the invariant holds vacuously.
        let reduction_db = db(rms(&mix_out, latency..len) / rms(&mix.channels, 0..len - latency));
        eprintln!(
            "{label}: residual {residual:.3e} ({:.1} dBFS), mix level change {reduction_db:.2} dB",
            db(residual)
        );
        if residual > MAX_RESIDUAL {
            failures.push(format!("{label}: residual {residual:e} > {MAX_RESIDUAL:e}"));
        }
        if reduction_db > -1.0 {
            failures.push(format!(
                "{label}: the mix only changed by {reduction_db:.2} dB; settings did not compress"
            ));
        }
    }
    assert!(failures.is_empty(), "{failures:#?}");
}
