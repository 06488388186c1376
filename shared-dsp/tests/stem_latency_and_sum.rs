//! Stem Compressor promises: latency == impulse argmax in every mode, the stem-sum invariant with an
//! external key in Broadband and Unmask, and a silent key nulling with the delayed input.
mod common;
use common::stem::*;
use common::*;
use shared_dsp::compressor::CompressorSettings;
use shared_dsp::stem_compressor::{KeyRouting, StemCompressorSettings, StemMode};
use shared_dsp::stft::FftSize;
use shared_dsp::units::gain_to_db;

fn modes(lookahead_ms: f32) -> Vec<(String, StemCompressorSettings)> {
    let mut v = vec![(
        format!("Broadband, lookahead {lookahead_ms:.2} ms"),
        StemCompressorSettings {
            dynamics: CompressorSettings { lookahead_ms, ..Default::default() },
            ..Default::default()
        },
    )];
    for size in FftSize::ALL {
        v.push((format!("Unmask {}", size.samples()), StemCompressorSettings { mode: StemMode::Unmask, resolution: size, ..Default::default() }));
    }
    v
}

#[test]
fn latency_is_the_impulse_argmax_in_every_mode() {
    let mut rng = Rng::new(0x1A7);
    for _ in 0..4 {
        let rate = rng.sample_rate();
        for (name, s) in modes(rng.range(0.0, 10.0)) {
            let len = 12_000;
            let mut x = vec![0.0f32; len];
            x[100] = 0.25; // below threshold: the gain is 1
            let (out, latency) = run(&[x.clone(), x], &[], &s, rate, &random_partition(&mut rng, len, 700));
            let argmax = out[0].iter().enumerate().fold((0, 0.0f32), |b, (i, &v)| if v.abs() > b.1 { (i, v.abs()) } else { b }).0;
            assert_eq!(argmax - 100, latency, "{name} at {rate} Hz");
            assert!((out[0][argmax] - 0.25).abs() < 1e-5, "{name}: impulse height {}", out[0][argmax]);
        }
    }
}

#[test]
#[cfg_attr(debug_assertions, ignore = "slow in debug; run with --release")]
fn processed_stems_sum_to_the_processed_mix_with_an_external_key() {
    let names = ["drums", "bass", "keys", "vocals"];
    let stems: Vec<_> = names.iter().map(|n| read_wav(n)).collect();
    let mix = read_wav("mix");
    let len = mix[0].len();
    let mut rng = Rng::new(0x5E55);
    let dynamics = CompressorSettings { threshold_db: -30.0, ratio: 4.0, attack_ms: 5.0, release_ms: 100.0, lookahead_ms: 2.0,
        makeup_db: 3.0, mix: 0.8, key_hpf_hz: 80.0, range_db: 18.0, ..Default::default() };
    for mode in [StemMode::Broadband, StemMode::Unmask] {
        let s = StemCompressorSettings { mode, key: KeyRouting::External, dynamics, ..Default::default() };
        let (processed_mix, _) = run(&mix, &mix, &s, 48_000.0, &random_partition(&mut rng, len, 2048));
        let mut sum = vec![vec![0.0f32; len]; 2];
        for stem in &stems {
            let (out, _) = run(stem, &mix, &s, 48_000.0, &random_partition(&mut rng, len, 2048));
            for ch in 0..2 {
                for i in 0..len {
                    sum[ch][i] += out[ch][i];
                }
            }
        }
        let residual = max_diff(&sum, &processed_mix);
        let reduction = gain_to_db(peak(&mix)) - gain_to_db(peak(&processed_mix));
        println!("{mode:?}: stems vs mix residual {:.1} dBFS; mix peak down {reduction:.1} dB", gain_to_db(residual));
        assert!(gain_to_db(residual) <= -100.0, "{mode:?}: residual {} dBFS", gain_to_db(residual));
        assert!(max_diff(&processed_mix, &delayed(&mix, 0)) > 0.05, "{mode:?}: the mix was not processed");
    }
}

#[test]
fn a_silent_key_nulls_with_the_delayed_input() {
    let mut rng = Rng::new(0x5173);
    let song = read_wav("keys");
    let len = 48_000;
    let input: Vec<Vec<f32>> = song.iter().map(|c| c[..len].to_vec()).collect();
    let silent = vec![vec![0.0f32; len]; 2];
    for size in FftSize::ALL {
        let s = StemCompressorSettings {
            mode: StemMode::Unmask,
            resolution: size,
            key: KeyRouting::External,
            dynamics: CompressorSettings { threshold_db: -60.0, ratio: 8.0, range_db: 24.0, ..Default::default() },
            ..Default::default()
        };
        let (out, latency) = run(&input, &silent, &s, 48_000.0, &random_partition(&mut rng, len, 1024));
        let residual = max_diff(&out, &delayed(&input, latency));
        println!("Unmask {}: silent key, residual {:.1} dBFS", size.samples(), gain_to_db(residual));
        assert!(gain_to_db(residual) <= -90.0, "{}: {} dBFS", size.samples(), gain_to_db(residual));
        // Not vacuous: the same settings keyed by the stem itself do reduce it.
        let (out, latency) = run(&input, &input, &s, 48_000.0, &random_partition(&mut rng, len, 1024));
        assert!(gain_to_db(max_diff(&out, &delayed(&input, latency))) > -40.0);
    }
}
