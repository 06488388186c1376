//! The stem-sum invariant: stems compressed with the mix as key sum to the compressed mix.
mod common;
use common::*;
use shared_dsp::compressor::{Compressor, CompressorSettings, Key};
use shared_dsp::units::gain_to_db;

fn process(signal: &[Vec<f32>], key: &[Vec<f32>], s: &CompressorSettings, blocks: &[usize]) -> Vec<Vec<f32>> {
    let mut c = Compressor::new(2, 10.0, 48_000.0);
    c.set_settings_immediately(s);
    let mut out = signal.to_vec();
    let mut start = 0;
    for &b in blocks {
        let (l, r) = out.split_at_mut(1);
        let mut chans = [&mut l[0][start..start + b], &mut r[0][start..start + b]];
        let k = [&key[0][start..start + b], &key[1][start..start + b]];
        c.process(&mut chans, Key::External(&k));
        start += b;
    }
    out
}

#[test]
fn processed_stems_sum_to_processed_mix_within_minus_100_dbfs() {
    let names = ["drums", "bass", "keys", "vocals"];
    let stems: Vec<_> = names.iter().map(|n| read_wav(n)).collect();
    let mix = read_wav("mix");
    let len = mix[0].len();
    let s = CompressorSettings {
        threshold_db: -30.0,
        ratio: 4.0,
        attack_ms: 5.0,
        release_ms: 100.0,
        lookahead_ms: 2.0,
        makeup_db: 3.0,
        mix: 0.8,
        key_hpf_hz: 80.0,
        ..Default::default()
    };
    let mut rng = Rng::new(0x57E4);
    for max_block in [1usize, 64, 512, 4096] {
        let processed_mix = process(&mix, &mix, &s, &random_partition(&mut rng, len, max_block));
        let mut sum = vec![vec![0.0f32; len]; 2];
        for stem in &stems {
            // each stem gets its own partition: hosts may split every track differently
            let out = process(stem, &mix, &s, &random_partition(&mut rng, len, max_block));
            for ch in 0..2 {
                for i in 0..len {
                    sum[ch][i] += out[ch][i];
                }
            }
        }
        let residual = (0..2)
            .flat_map(|ch| (0..len).map(move |i| (ch, i)))
            .map(|(ch, i)| (sum[ch][i] - processed_mix[ch][i]).abs())
            .fold(0.0f32, f32::max);
        assert!(gain_to_db(residual) <= -100.0, "blocks <= {max_block}: residual {} dBFS", gain_to_db(residual));
        // Not vacuous: the mix really was compressed.
        let peak_in = mix[0].iter().fold(0.0f32, |a, &x| a.max(x.abs()));
        let peak_out = processed_mix[0].iter().fold(0.0f32, |a, &x| a.max(x.abs()));
        assert!(gain_to_db(peak_out) < gain_to_db(peak_in) - 3.0, "mix barely compressed: {peak_in} -> {peak_out}");
    }
}
