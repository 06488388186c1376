//! Transient Only at 100% on the test song's drum stem (hit positions from the song's manifest): the
//! body, 50 to 300 ms after each kick and snare hit (up to 5 ms before the next one), changes by no more
//! than 0.5 dB RMS against the driven input, and the hits' peaks are limited to the ceiling.
//! - Body above the ceiling, Safety Clip off (it would clip that body): at 0% the same body changes
//!   by about 2 dB, so the test can fail; the hits come out within the resampling filters' overshoot.
//! - Body below the ceiling, Safety Clip on: hits held exactly at the ceiling, body untouched.

mod common;
use common::read_wav;
use shared_dsp::clipper::{ClipperSettings, TransientClipper};
use shared_dsp::oversampler::{FilterPhase, Oversampling};
use shared_dsp::DspUnit;

/// Kick and snare starts in testdata/stems-a/drums.wav (the excerpt starts at song sample 96000).
const HITS: [usize; 9] = [0, 24_000, 36_000, 48_000, 72_000, 84_000, 90_000, 96_000, 120_000];
const RATE: usize = 48_000;
/// Ceiling of the main case, dBFS.
const CEILING_DB: f32 = -12.0;
/// Drive into the clipper, dB.
const DRIVE_DB: f32 = 12.0;

fn process(s: &ClipperSettings) -> (Vec<Vec<f32>>, usize) {
    let mut audio = read_wav("drums");
    let mut c = TransientClipper::new(2, RATE as f32);
    c.set_settings_immediately(s);
    let (l, r) = audio.split_at_mut(1);
    for (a, b) in l[0].chunks_mut(512).zip(r[0].chunks_mut(512)) {
        c.process(&mut [a, b]);
    }
    (audio, c.latency_samples())
}

fn body_windows(len: usize) -> Vec<(usize, usize)> {
    HITS.iter()
        .enumerate()
        .map(|(i, &h)| {
            let next = HITS.get(i + 1).copied().unwrap_or(len);
            (h + RATE * 50 / 1000, (h + RATE * 300 / 1000).min(next - RATE * 5 / 1000).min(len))
        })
        .collect()
}

fn rms(x: &[f32]) -> f64 {
    (x.iter().map(|&v| (v as f64).powi(2)).sum::<f64>() / x.len() as f64).sqrt()
}

/// Largest body change over all windows and both channels, dB.
fn worst_body_change_db(out: &[Vec<f32>], input: &[Vec<f32>], latency: usize) -> f64 {
    let mut worst = 0.0f64;
    for (a, b) in body_windows(input[0].len()) {
        for ch in 0..2 {
            let before = rms(&input[ch][a..b]) * 10f64.powf(DRIVE_DB as f64 / 20.0);
            let after = rms(&out[ch][a + latency..b + latency]);
            worst = worst.max((20.0 * (after / before).log10()).abs());
        }
    }
    worst
}

/// Largest output peak within 10 ms of each hit (after the latency), dBFS.
fn hit_peak_dbfs(out: &[Vec<f32>], latency: usize) -> f32 {
    let mut peak = 0.0f32;
    for &h in &HITS {
        for ch in out {
            for &v in &ch[h + latency..(h + latency + RATE / 100).min(ch.len())] {
                peak = peak.max(v.abs());
            }
        }
    }
    20.0 * peak.log10()
}

#[test]
#[cfg_attr(debug_assertions, ignore = "release only: cargo test -p shared-dsp --release")]
fn transient_only_clips_the_hits_and_leaves_the_body() {
    // Driven 12 dB into -12 dBFS: the hits land about 16 dB over the ceiling and the body is above it
    // too, so clipping everything changes the body. Safety Clip off: it would clip that body.
    let input = read_wav("drums");
    for phase in FilterPhase::ALL {
        let s = ClipperSettings {
            ceiling_db: CEILING_DB,
            drive_db: DRIVE_DB,
            oversampling: Oversampling::X4,
            phase,
            transient_only: 1.0,
            safety_clip: false,
            ..ClipperSettings::default()
        };
        let (out, latency) = process(&s);
        let body = worst_body_change_db(&out, &input, latency);
        let peak = hit_peak_dbfs(&out, latency);
        let (all_out, _) = process(&ClipperSettings { transient_only: 0.0, ..s });
        let all_body = worst_body_change_db(&all_out, &input, latency);
        eprintln!(
            "{phase:?}: drive {DRIVE_DB} dB into {CEILING_DB} dBFS, Safety Clip off. Transient Only 100%: body \
             {body:.3} dB, hit peaks {peak:.2} dBFS; 0%: body {all_body:.2} dB"
        );
        assert!(body <= 0.5, "{phase:?}: body changed by {body:.3} dB");
        assert!(all_body > 1.0, "{phase:?}: body not above the ceiling ({all_body:.2} dB at 0%), the test proves nothing");
        // Without the safety clip, only the resampling filters' overshoot of the clipped hits remains.
        let overshoot = if phase == FilterPhase::Linear { 1.0 } else { 2.5 };
        assert!(peak <= CEILING_DB + overshoot, "{phase:?}: hits through at {peak:.2} dBFS");
    }
}

#[test]
#[cfg_attr(debug_assertions, ignore = "release only: cargo test -p shared-dsp --release")]
fn with_safety_clip_the_hits_are_held_at_the_ceiling_and_a_body_below_it_is_untouched() {
    // Driven 12 dB into -6 dBFS: hits about 10 dB over the ceiling, the body just below it.
    let input = read_wav("drums");
    for phase in FilterPhase::ALL {
        let s = ClipperSettings {
            ceiling_db: -6.0,
            drive_db: DRIVE_DB,
            oversampling: Oversampling::X4,
            phase,
            transient_only: 1.0,
            safety_clip: true,
            ..ClipperSettings::default()
        };
        let (out, latency) = process(&s);
        let body = worst_body_change_db(&out, &input, latency);
        let peak = hit_peak_dbfs(&out, latency);
        eprintln!("{phase:?}: drive {DRIVE_DB} dB into -6 dBFS, Safety Clip on: body {body:.3} dB, hit peaks {peak:.2} dBFS");
        assert!(body <= 0.5, "{phase:?}: body changed by {body:.3} dB");
        assert!(peak <= -6.0 + 1e-4, "{phase:?}: hit peak {peak:.3} dBFS");
        let (unclipped, _) = process(&ClipperSettings { mix: 0.0, safety_clip: false, ..s });
        let unclipped_peak = hit_peak_dbfs(&unclipped, latency);
        assert!(unclipped_peak > 0.0, "{phase:?}: hits only reach {unclipped_peak:.1} dBFS unclipped, the test proves nothing");
    }
}
