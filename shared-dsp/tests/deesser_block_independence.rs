//! The de-esser's output is bit-identical for any partition of the signal into blocks, in both
//! modes, with every band shape, detection and listen setting.
mod common;
use common::*;
use shared_dsp::deesser::{BandShape, DeEsser, DeEsserMode, DeEsserSettings, Detection, Listen};

fn run(d: &mut DeEsser, input: &[Vec<f32>], blocks: &[usize]) -> (Vec<Vec<f32>>, f32) {
    let mut out = input.to_vec();
    let mut start = 0;
    let mut max_gr = 0.0f32;
    for &b in blocks {
        let (l, r) = out.split_at_mut(1);
        let m = d.process(&mut [&mut l[0][start..start + b], &mut r[0][start..start + b]]);
        max_gr = max_gr.max(m.max_gain_reduction_db);
        start += b;
    }
    (out, max_gr)
}

#[test]
fn any_block_partition_gives_identical_output() {
    let mut rng = Rng::new(0xB10C5);
    let vocal = read_wav("vocals");
    for case in 0..40 {
        let sr = rng.sample_rate();
        let s = DeEsserSettings {
            mode: if case % 2 == 0 { DeEsserMode::SplitBand } else { DeEsserMode::Wideband },
            frequency_hz: rng.range(2000.0, 10_000.0),
            shape: if case % 4 < 2 { BandShape::HighPass } else { BandShape::BandPass },
            width_octaves: rng.range(0.25, 3.0),
            detection: if case % 3 == 0 { Detection::Absolute } else { Detection::Relative },
            threshold_db: if case % 3 == 0 { rng.range(-60.0, -40.0) } else { rng.range(-35.0, -20.0) },
            range_db: rng.range(3.0, 24.0),
            attack_ms: rng.range(0.0, 5.0),
            release_ms: rng.range(5.0, 200.0),
            lookahead_ms: rng.range(0.0, 5.0),
            stereo_link: rng.unit(),
            output_db: rng.range(-12.0, 12.0),
            listen: [Listen::Off, Listen::Off, Listen::Sibilance, Listen::Removed][case % 4],
            ..Default::default()
        };
        let len = 20_000;
        let input = if case % 5 == 0 {
            let at = rng.int(0, vocal[0].len() - len);
            vec![vocal[0][at..at + len].to_vec(), vocal[1][at..at + len].to_vec()]
        } else {
            vec![noise(&mut rng, len, 0.5), noise(&mut rng, len, 0.2)]
        };
        let mut a = DeEsser::new(2, 5.0, sr);
        a.set_settings_immediately(&s);
        let (whole, gr) = run(&mut a, &input, &[len]);
        let max_block = [1, 7, 64, 512, 4096][case % 5];
        let blocks = random_partition(&mut rng, len, max_block);
        let mut b = DeEsser::new(2, 5.0, sr);
        b.set_settings_immediately(&s);
        let (parts, _) = run(&mut b, &input, &blocks);
        assert!(gr > 0.5, "case {case}: no reduction ({gr} dB), test would be vacuous");
        assert!(whole == parts, "case {case}: partition into blocks of <= {max_block} changed the output");
    }
}
