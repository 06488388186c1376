//! Relative detection is level independent: scaling the input by +12 dB or −12 dB scales the
//! output by exactly that, with the same gain reduction (within 0.1 dB) at every sample.
//! Absolute detection, the control, is not.
mod common;
use common::*;
use shared_dsp::deesser::{DeEsser, DeEsserSettings, Detection};
use shared_dsp::units::db_to_gain;

/// Output and per-sample gain reduction of both channels, processed in one-sample blocks.
fn run(input: &[Vec<f32>], s: &DeEsserSettings, scale: f32) -> (Vec<Vec<f32>>, Vec<[f32; 2]>) {
    let mut d = DeEsser::new(2, 5.0, 48_000.0);
    d.set_settings_immediately(s);
    let mut out: Vec<Vec<f32>> = input.iter().map(|c| c.iter().map(|&v| v * scale).collect()).collect();
    let (l, r) = out.split_at_mut(1);
    let mut gr = Vec::with_capacity(l[0].len());
    for (a, b) in l[0].chunks_mut(1).zip(r[0].chunks_mut(1)) {
        let m = d.process(&mut [a, b]);
        gr.push([m.gain_reduction_db[0], m.gain_reduction_db[1]]);
    }
    (out, gr)
}

fn max_gr_difference(a: &[[f32; 2]], b: &[[f32; 2]]) -> f32 {
    a.iter().zip(b).map(|(x, y)| (x[0] - y[0]).abs().max((x[1] - y[1]).abs())).fold(0.0, f32::max)
}

#[test]
fn relative_mode_scales_output_with_input_at_the_same_gain_reduction() {
    // The first 6 s of the long vocal excerpt (three phrases), with stereo link off so each
    // channel's own detector is checked.
    let input: Vec<Vec<f32>> = read_wav("vocals_long").into_iter().map(|c| c[..288_000].to_vec()).collect();
    let s = DeEsserSettings { stereo_link: 0.0, ..Default::default() };
    assert_eq!(s.detection, Detection::Relative);
    let (out, gr) = run(&input, &s, 1.0);
    let max_gr = gr.iter().map(|g| g[0].max(g[1])).fold(0.0, f32::max);
    assert!(max_gr > 6.0, "the vocal barely triggered the de-esser ({max_gr} dB)");
    let peak = out.iter().flatten().fold(0.0f32, |p, v| p.max(v.abs()));
    for scale_db in [12.0, -12.0] {
        let k = db_to_gain(scale_db);
        let (out_k, gr_k) = run(&input, &s, k);
        let gr_diff = max_gr_difference(&gr, &gr_k);
        let residual = out.iter().flatten().zip(out_k.iter().flatten()).map(|(a, b)| (b / k - a).abs()).fold(0.0, f32::max);
        eprintln!(
            "relative, input {scale_db:+} dB: max GR difference {gr_diff:.2e} dB, max |out/scale - out| {residual:.2e} \
             ({:.1} dB re output peak)",
            20.0 * (residual / peak).log10()
        );
        assert!(gr_diff <= 0.1, "{scale_db:+} dB: gain reduction moved by {gr_diff} dB");
        // 0.1 dB of gain reduction changes the output by at most 1.2% of the output peak.
        assert!(residual <= 0.012 * peak, "{scale_db:+} dB: output/scale differs by {residual}");
    }
    // Control: absolute detection (threshold −40 dBFS) does depend on the level, so the check above
    // can tell the two apart.
    let a = DeEsserSettings { detection: Detection::Absolute, threshold_db: -40.0, ..s };
    let (_, gr_a) = run(&input, &a, 1.0);
    let (_, gr_a_k) = run(&input, &a, db_to_gain(-12.0));
    let diff = max_gr_difference(&gr_a, &gr_a_k);
    assert!(diff > 3.0, "absolute detection should follow the level, GR moved only {diff} dB");
}
