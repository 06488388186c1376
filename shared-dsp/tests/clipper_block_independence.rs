//! Any partition of the input into blocks gives bit-identical output, in every factor and phase, with
//! Transient Only, link and mix engaged.

mod common;
use common::{noise, random_partition, Rng};
use shared_dsp::clipper::{ClipperSettings, TransientClipper};
use shared_dsp::oversampler::{FilterPhase, Oversampling};

fn run(s: &ClipperSettings, rate: f32, input: &[Vec<f32>], blocks: &[usize]) -> Vec<Vec<f32>> {
    let mut c = TransientClipper::new(2, rate);
    c.set_settings_immediately(s);
    let mut out = input.to_vec();
    let (l, r) = out.split_at_mut(1);
    let mut pos = 0;
    for &n in blocks {
        c.process(&mut [&mut l[0][pos..pos + n], &mut r[0][pos..pos + n]]);
        pos += n;
    }
    out
}

#[test]
#[cfg_attr(debug_assertions, ignore = "release only: cargo test -p shared-dsp --release")]
fn any_block_partition_gives_identical_output() {
    let mut rng = Rng::new(0xB10C);
    for factor in Oversampling::ALL {
        for phase in FilterPhase::ALL {
            let rate = rng.sample_rate();
            let len = 6000;
            // Bursts over a quieter bed, so the transient mask and the clipper both work.
            let mut l = noise(&mut rng, len, 0.2);
            for (i, x) in l.iter_mut().enumerate() {
                if (i / 700) % 3 == 0 {
                    *x *= 6.0;
                }
            }
            let r: Vec<f32> = l.iter().map(|x| 0.5 * x).collect();
            let input = vec![l, r];
            let s = ClipperSettings {
                drive_db: 6.0,
                ceiling_db: -3.0,
                oversampling: factor,
                phase,
                transient_only: 0.6,
                stereo_link: 0.5,
                mix: 0.8,
                ..ClipperSettings::default()
            };
            let one = run(&s, rate, &input, &[len]);
            for _ in 0..3 {
                let blocks = random_partition(&mut rng, len, 700);
                let other = run(&s, rate, &input, &blocks);
                assert!(one == other, "{factor:?} {phase:?}: output depends on the block partition");
            }
        }
    }
}
