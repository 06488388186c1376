//! The null check's levels and output: RMS and peak calibration, the live RMS time constant, the
//! three outputs, garbage input and no allocation while processing.

mod common;
use common::{noise, random_partition, Rng};
use shared_dsp::null_check::{NullCheck, NullOutput};
use shared_dsp::null_levels::{NullLevelMeter, LIVE_RMS_TIME_S};
use shared_dsp::DspUnit;

#[global_allocator]
static GLOBAL: test_support::CountingAllocator = test_support::CountingAllocator;

fn sine(rate: f32, hz: f32, amp: f32, len: usize) -> Vec<f32> {
    (0..len).map(|i| amp * (std::f32::consts::TAU * hz * i as f32 / rate).sin()).collect()
}

#[test]
fn a_full_scale_sine_reads_minus_3_dbfs_rms_and_0_dbfs_peak() {
    let mut rng = Rng::new(0x1E7E1);
    for _ in 0..5 {
        let rate = rng.sample_rate();
        let s = sine(rate, 997.0, 1.0, rate as usize * 2);
        let half = sine(rate, 997.0, 0.5, rate as usize * 2);
        let mut m = NullLevelMeter::new(rate);
        m.process(&[&s, &s], &[&half, &half]);
        let t = m.since_reset();
        assert!((t.stems.rms_dbfs + 3.0103).abs() < 0.01, "{t:?}");
        assert!(t.stems.peak_dbfs.abs() < 0.01, "{t:?}");
        assert!((t.reference.rms_dbfs + 9.0309).abs() < 0.01, "{t:?}");
        // Difference = half the sine: same level as the reference, so the null is 0 dB deep.
        assert!((t.difference.rms_dbfs - t.reference.rms_dbfs).abs() < 0.01, "{t:?}");
        assert!(t.residual_relative_db().abs() < 0.01);
        let live = m.live();
        assert!((live.stems.rms_dbfs + 3.0103).abs() < 0.05, "{live:?}");
    }
}

#[test]
fn the_live_rms_has_its_300_ms_time_constant_at_random_rates() {
    let mut rng = Rng::new(0x300);
    for _ in 0..5 {
        let rate = rng.sample_rate();
        let tau = (LIVE_RMS_TIME_S * rate) as usize;
        let one = vec![1.0f32; tau];
        let zero = vec![0.0f32; tau];
        let mut m = NullLevelMeter::new(rate);
        m.process(&[&one], &[&zero]);
        // Mean square after one time constant of a unit step: 1 - 1/e.
        let expected = 10.0 * (1.0 - (-1.0f32).exp()).log10();
        let got = m.live().stems.rms_dbfs;
        assert!((got - expected).abs() < 0.02, "rate {rate}: {got} vs {expected}");
    }
}

#[test]
fn the_outputs_are_stems_reference_and_their_difference() {
    let mut rng = Rng::new(77);
    let len = 5000;
    let stems = [noise(&mut rng, len, 0.5), noise(&mut rng, len, 0.5)];
    let reference = [noise(&mut rng, len, 0.5), noise(&mut rng, len, 0.5)];
    for output in [NullOutput::Stems, NullOutput::Reference, NullOutput::Difference] {
        let mut check = NullCheck::new(48_000.0);
        let mut audio = stems.clone();
        let blocks = random_partition(&mut rng, len, 700);
        let mut pos = 0;
        for n in blocks {
            let (l, r) = audio.split_at_mut(1);
            check.process(&mut [&mut l[0][pos..pos + n], &mut r[0][pos..pos + n]], &[&reference[0][pos..pos + n], &reference[1][pos..pos + n]], output);
            pos += n;
        }
        for ch in 0..2 {
            for i in 0..len {
                let want = match output {
                    NullOutput::Stems => stems[ch][i],
                    NullOutput::Reference => reference[ch][i],
                    NullOutput::Difference => stems[ch][i] - reference[ch][i],
                };
                assert_eq!(audio[ch][i], want, "{output:?} ch {ch} sample {i}");
            }
        }
    }
}

#[test]
fn garbage_is_silenced_and_the_totals_stay_finite() {
    let mut rng = Rng::new(0xBAD);
    let len = 48_000;
    let mut stems = [noise(&mut rng, len, 0.5), noise(&mut rng, len, 0.5)];
    let reference = stems.clone();
    let mut bad_ref = reference.clone();
    for (i, v) in [f32::NAN, f32::INFINITY, f32::NEG_INFINITY, 1e30, -1e30, 1e-40].iter().enumerate() {
        stems[0][1000 + i] = *v;
        bad_ref[1][2000 + i] = *v;
    }
    let mut check = NullCheck::new(48_000.0);
    for output in [NullOutput::Stems, NullOutput::Reference, NullOutput::Difference] {
        let mut audio = stems.clone();
        let (l, r) = audio.split_at_mut(1);
        check.process(&mut [&mut l[0][..], &mut r[0][..]], &[&bad_ref[0], &bad_ref[1]], output);
        assert!(audio.iter().flatten().all(|x| x.is_finite()), "{output:?}");
    }
    assert_eq!(check.take_replaced_samples(), 3 * 10, "5 garbage samples per input (the denormal is audio), 3 runs");
    let m = check.since_reset();
    for level in [m.levels.stems, m.levels.reference, m.levels.difference] {
        assert!(level.rms_dbfs.is_finite() && level.peak_dbfs.is_finite(), "{m:?}");
    }
    assert!(m.levels.stems.peak_dbfs < 0.0, "garbage did not reach the peak: {m:?}");
}

#[test]
fn processing_never_allocates() {
    let mut rng = Rng::new(0xA110C);
    let mut check = NullCheck::new(96_000.0);
    let len = 200_000;
    let mut audio = [noise(&mut rng, len, 0.5), noise(&mut rng, len, 0.5)];
    let reference = audio.clone();
    let blocks = random_partition(&mut rng, len, 4096);
    let allocations = test_support::allocations_during(|| {
        let mut pos = 0;
        for n in blocks {
            let (l, r) = audio.split_at_mut(1);
            check.process(&mut [&mut l[0][pos..pos + n], &mut r[0][pos..pos + n]], &[&reference[0][pos..pos + n], &reference[1][pos..pos + n]], NullOutput::Difference);
            let _ = check.since_reset();
            let _ = check.live().verdict(-3.0);
            pos += n;
        }
        check.reset();
    });
    assert_eq!(allocations, 0);
}
