//! Output is identical for any partition of the signal into blocks.
mod common;
use common::*;
use shared_dsp::compressor::{Compressor, CompressorSettings, Key};
use shared_dsp::detector::DetectorKind;

fn run(c: &mut Compressor, main: &[Vec<f32>], key: &[Vec<f32>], blocks: &[usize]) -> Vec<Vec<f32>> {
    let mut out: Vec<Vec<f32>> = main.to_vec();
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
fn any_block_partition_gives_identical_output() {
    let mut rng = Rng::new(0xB10C);
    for case in 0..30 {
        let sr = rng.sample_rate();
        let s = CompressorSettings {
            threshold_db: rng.range(-40.0, -10.0),
            ratio: rng.range(1.5, 20.0),
            knee_db: rng.range(0.0, 12.0),
            attack_ms: rng.range(0.1, 50.0),
            release_ms: rng.range(5.0, 500.0),
            auto_release: case % 2 == 0,
            detector: if case % 3 == 0 { DetectorKind::Rms } else { DetectorKind::Peak },
            stereo_link: rng.unit(),
            key_hpf_hz: rng.range(20.0, 500.0),
            lookahead_ms: rng.range(0.0, 10.0),
            makeup_db: rng.range(0.0, 12.0),
            mix: rng.unit(),
            output_db: rng.range(-12.0, 12.0),
            ..Default::default()
        };
        let len = 20_000;
        let main = vec![noise(&mut rng, len, 0.5), noise(&mut rng, len, 0.5)];
        let key = vec![noise(&mut rng, len, 0.9), noise(&mut rng, len, 0.3)];
        let mut a = Compressor::new(2, 10.0, sr);
        a.set_settings_immediately(&s);
        let whole = run(&mut a, &main, &key, &[len]);
        let max_block = [1, 7, 64, 512, 4096][case % 5];
        let blocks = random_partition(&mut rng, len, max_block);
        let mut b = Compressor::new(2, 10.0, sr);
        b.set_settings_immediately(&s);
        let parts = run(&mut b, &main, &key, &blocks);
        assert_eq!(whole, parts, "case {case}: partition into blocks of <= {max_block} changed the output");
        assert_ne!(whole, main, "case {case}: nothing happened, test would be vacuous");
    }
}
