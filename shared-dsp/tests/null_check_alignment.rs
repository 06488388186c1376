//! The cross-correlator's promises: the exact lag within ±1 s at random sample rates, polarity and
//! gain, bit-identical results for any block partition, and a reset that forgets.

mod common;
use common::{noise, random_partition, shift, Rng};
use shared_dsp::cross_correlator::CrossCorrelator;
use shared_dsp::DspUnit;

/// Low-passed noise (music-like: neighbouring lags correlate strongly), `len` samples.
fn coloured_noise(rng: &mut Rng, len: usize) -> Vec<f32> {
    let white = noise(rng, len, 1.0);
    let mut y = 0.0f32;
    white.iter().map(|&x| { y += 0.2 * (x - y); y }).collect()
}

fn run(c: &mut CrossCorrelator, stems: &[f32], reference: &[f32], blocks: &[usize]) {
    let mut pos = 0;
    for &n in blocks {
        c.process(&stems[pos..pos + n], &reference[pos..pos + n]);
        pos += n;
    }
}

#[test]
#[cfg_attr(debug_assertions, ignore = "release only: cargo test -p shared-dsp --release")]
fn finds_the_exact_lag_within_one_second_at_random_rates() {
    let mut rng = Rng::new(0xC0_22E1);
    for trial in 0..12 {
        let rate = rng.sample_rate();
        let max_lag = rate.round() as i64;
        // Lags anywhere in ±1 s, including the extremes and range edges.
        let lag = match trial {
            0 => max_lag,
            1 => -max_lag,
            2 => 0,
            _ => rng.int(0, 2 * max_lag as usize) as i64 - max_lag,
        };
        let len = (3.5 * rate) as usize;
        let reference = coloured_noise(&mut rng, len);
        let gain = rng.range(0.5, 2.0);
        let sign = if trial % 3 == 1 { -1.0 } else { 1.0 };
        let stems: Vec<f32> = shift(&reference, lag).iter().map(|x| x * gain * sign).collect();
        let mut c = CrossCorrelator::new(rate, 1.0, None);
        run(&mut c, &stems, &reference, &random_partition(&mut rng, len, 4096));
        let p = c.peak().expect("a peak");
        assert_eq!(p.lag_samples, lag, "rate {rate}, trial {trial}: {p:?}");
        assert_eq!(p.normalized.signum(), sign, "{p:?}");
        assert!(p.normalized.abs() > 0.6, "{p:?}");
        // The least-squares gain from stems to reference is 1 / (gain · sign) where they overlap.
        let expected = 1.0 / (gain * sign);
        let overlap = 1.0 - lag.unsigned_abs() as f32 / len as f32;
        assert!((p.gain / expected - 1.0).abs() < 0.02 + (1.0 - overlap), "gain {} vs {expected} ({p:?})", p.gain);
        println!("rate {rate:.0}: lag {lag} found, normalized {:.4}, gain {:.4} (expected {expected:.4})", p.normalized, p.gain);
    }
}

#[test]
#[cfg_attr(debug_assertions, ignore = "release only: cargo test -p shared-dsp --release")]
fn any_block_partition_gives_the_same_result() {
    let mut rng = Rng::new(0xB10C);
    let rate = 48_000.0;
    let len = 150_000;
    let reference = coloured_noise(&mut rng, len);
    let stems = shift(&reference, 777);
    let mut whole = CrossCorrelator::new(rate, 1.0, Some(4.0));
    run(&mut whole, &stems, &reference, &[len]);
    for _ in 0..4 {
        let mut c = CrossCorrelator::new(rate, 1.0, Some(4.0));
        run(&mut c, &stems, &reference, &random_partition(&mut rng, len, 8192));
        assert_eq!(c.peak(), whole.peak());
    }
    assert_eq!(whole.peak().unwrap().lag_samples, 777);
}

#[test]
fn nothing_is_reported_before_a_partition_or_on_silence() {
    let mut c = CrossCorrelator::new(48_000.0, 1.0, None);
    let p = c.partition_samples();
    let x = vec![0.5f32; p - 1];
    c.process(&x, &x);
    assert_eq!(c.peak(), None, "less than one partition");
    let silence = vec![0.0f32; 4 * p];
    let mut c = CrossCorrelator::new(48_000.0, 1.0, None);
    c.process(&silence, &silence);
    assert_eq!(c.peak(), None, "silence has no alignment");
}

#[test]
#[cfg_attr(debug_assertions, ignore = "release only: cargo test -p shared-dsp --release")]
fn reset_forgets_the_old_alignment() {
    let mut rng = Rng::new(0x5E7);
    let rate = 44_100.0;
    let len = 120_000;
    let reference = coloured_noise(&mut rng, len);
    let mut c = CrossCorrelator::new(rate, 1.0, None);
    run(&mut c, &shift(&reference, 300), &reference, &[len]);
    assert_eq!(c.peak().unwrap().lag_samples, 300);
    c.reset();
    assert_eq!(c.peak(), None);
    run(&mut c, &shift(&reference, -20), &reference, &[len]);
    assert_eq!(c.peak().unwrap().lag_samples, -20);
    // A new sample rate re-plans the partitions and still finds the lag.
    c.set_sample_rate(96_000.0);
    run(&mut c, &shift(&reference, 5), &reference, &[len]);
    assert_eq!(c.peak().unwrap().lag_samples, 5);
}

#[test]
#[cfg_attr(debug_assertions, ignore = "release only: cargo test -p shared-dsp --release")]
fn the_live_correlator_follows_a_change_the_total_one_averages() {
    let mut rng = Rng::new(0x11FE);
    let rate = 48_000.0;
    let len = 10 * 48_000;
    let reference = coloured_noise(&mut rng, 2 * len);
    let stems: Vec<f32> = shift(&reference[..len], 0).into_iter().chain(shift(&reference[len..], 200)).collect();
    let mut live = CrossCorrelator::new(rate, 1.0, Some(4.0));
    let mut total = CrossCorrelator::new(rate, 1.0, None);
    run(&mut live, &stems, &reference, &[2 * len]);
    run(&mut total, &stems, &reference, &[2 * len]);
    // Ten seconds after the stems slipped by 200 samples, the live view (4 s memory) shows the slip
    // at full correlation; the total still holds both halves, so neither lag correlates fully.
    let l = live.peak().unwrap();
    let t = total.peak().unwrap();
    println!("live {l:?}\ntotal {t:?}");
    assert_eq!(l.lag_samples, 200);
    assert!(l.normalized > 0.9, "{l:?}");
    assert!(t.normalized < 0.75, "{t:?}");
}
