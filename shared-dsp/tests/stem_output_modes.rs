//! Stem Compressor output modes in Broadband and Unmask: Normal + Delta is the delayed input, Key
//! Listen outputs the key (delayed like the audio), Bypass outputs the delayed input.
mod common;
use common::stem::*;
use common::*;
use shared_dsp::biquad::KeyHighPass;
use shared_dsp::compressor::CompressorSettings;
use shared_dsp::stem_compressor::{KeyRouting, StemCompressorSettings, StemMode};
use shared_dsp::stft::FftSize;

fn settings(mode: StemMode, delta: bool, key_listen: bool, bypass: bool) -> StemCompressorSettings {
    StemCompressorSettings {
        mode,
        resolution: FftSize::N1024,
        key: KeyRouting::External,
        dynamics: CompressorSettings {
            threshold_db: -40.0,
            ratio: 6.0,
            range_db: 20.0,
            lookahead_ms: 3.0,
            makeup_db: 4.0,
            mix: 0.7,
            delta,
            key_listen,
            bypass,
            ..Default::default()
        },
        ..Default::default()
    }
}

#[test]
fn delta_key_listen_and_bypass() {
    let mut rng = Rng::new(0xDE17A);
    let len = 24_000;
    let x = vec![noise(&mut rng, len, 0.6), noise(&mut rng, len, 0.4)];
    let k = vec![noise(&mut rng, len, 0.8), noise(&mut rng, len, 0.8)];
    let blocks = even_blocks(len, 300);
    for mode in [StemMode::Broadband, StemMode::Unmask] {
        let (normal, latency) = run(&x, &k, &settings(mode, false, false, false), 48_000.0, &blocks);
        let (delta, _) = run(&x, &k, &settings(mode, true, false, false), 48_000.0, &blocks);
        let sum: Vec<Vec<f32>> = normal.iter().zip(&delta).map(|(a, b)| a.iter().zip(b).map(|(p, q)| p + q).collect()).collect();
        let d = max_diff(&sum, &delayed(&x, latency));
        println!("{mode:?}: |normal + delta - delayed input| <= {d:e}; delta peak {}", peak(&delta));
        assert!(d < 1e-5, "{mode:?}: normal + delta is off by {d}");
        assert!(peak(&delta) > 0.05, "{mode:?}: delta is silent: nothing was compressed");

        let (listen, _) = run(&x, &k, &settings(mode, false, true, false), 48_000.0, &blocks);
        // The Keys profile weights nothing: the key through the 20 Hz key high-pass, delayed.
        let filtered: Vec<Vec<f32>> = k
            .iter()
            .map(|c| {
                let mut hpf = KeyHighPass::new(48_000.0, KeyHighPass::MIN_HZ);
                c.iter().map(|&v| hpf.tick(v)).collect()
            })
            .collect();
        let err = max_diff(&listen, &delayed(&filtered, latency));
        println!("{mode:?}: key listen vs high-passed, delayed key: {err:e}");
        assert!(err < 1e-5, "{mode:?}: key listen is not the key ({err})");

        let (bypassed, _) = run(&x, &k, &settings(mode, false, false, true), 48_000.0, &blocks);
        assert_eq!(max_diff(&bypassed, &delayed(&x, latency)), 0.0, "{mode:?}: bypass is not the delayed input");
    }
}
