//! The fast log2/exp2 behind every dB conversion agree with the standard library to f32 precision.
mod common;
use common::*;
use shared_dsp::units::{db_to_gain, fast_exp2, fast_log2, gain_to_db};

#[test]
fn fast_log2_matches_std_over_the_normal_range() {
    let mut rng = Rng::new(0x1062);
    let mut worst = 0.0f64;
    for _ in 0..1_000_000 {
        // log-uniform over 1e-30 .. 1e30
        let x = 10f32.powf(rng.range(-30.0, 30.0));
        let err = (fast_log2(x) as f64 - (x as f64).log2()).abs();
        worst = worst.max(err);
    }
    for x in [1.0f32, 2.0, 0.5, std::f32::consts::SQRT_2, std::f32::consts::FRAC_1_SQRT_2, f32::MIN_POSITIVE, f32::MAX] {
        worst = worst.max((fast_log2(x) as f64 - (x as f64).log2()).abs());
    }
    assert!(worst < 4e-6, "worst absolute log2 error {worst}");
    assert_eq!(fast_log2(1.0), 0.0);
}

#[test]
fn fast_exp2_matches_std_and_is_exact_at_zero() {
    let mut rng = Rng::new(0xE4B2);
    let mut worst = 0.0f64;
    for _ in 0..1_000_000 {
        let x = rng.range(-125.0, 125.0);
        let exact = (x as f64).exp2();
        worst = worst.max((fast_exp2(x) as f64 / exact - 1.0).abs());
    }
    assert!(worst < 3e-7, "worst relative exp2 error {worst}");
    assert_eq!(fast_exp2(0.0), 1.0);
    assert_eq!(fast_exp2(-0.0), 1.0);
    assert_eq!(db_to_gain(0.0), 1.0);
    assert_eq!(db_to_gain(-0.0), 1.0);
    assert_eq!(fast_exp2(3.0), 8.0);
    assert!(fast_exp2(-1000.0) >= 0.0 && fast_exp2(1000.0).is_finite());
}

#[test]
fn db_round_trip_is_accurate_to_a_micro_decibel() {
    let mut db = -180.0f32;
    while db < 120.0 {
        let back = gain_to_db(db_to_gain(db));
        assert!((back - db).abs() < 2e-5 * db.abs().max(1.0), "{db} dB came back as {back}");
        db += 0.37;
    }
}
