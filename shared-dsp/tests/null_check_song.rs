//! The Stem Null Check on the test song (3 s excerpt): the four promises of the issue, and a stem
//! left out of the bus.
//!
//! - the sum of the stems against the mix nulls;
//! - the stems 128 samples late report 128 (and early ones report early);
//! - an inverted reference reports "Polarity inverted";
//! - a reference 1 dB louder reports 1.0 dB.

mod common;
use common::{read_wav, shift};
use shared_dsp::null_check::{NullCheck, NullMeasurement, NullOutput};
use shared_dsp::null_verdict::Finding;

const RATE: f32 = 48_000.0;

/// The four stems summed in f32, as a stem bus does.
fn stem_bus(names: &[&str]) -> Vec<Vec<f32>> {
    let mut sum = vec![vec![0.0f32; read_wav("mix")[0].len()]; 2];
    for name in names {
        for (acc, ch) in sum.iter_mut().zip(read_wav(name)) {
            acc.iter_mut().zip(ch).for_each(|(a, x)| *a += x);
        }
    }
    sum
}

const ALL: [&str; 4] = ["drums", "bass", "keys", "vocals"];

/// Runs the checker over whole signals in blocks of 512 and returns the since-reset measurement.
fn measure(stems: &[Vec<f32>], reference: &[Vec<f32>]) -> NullMeasurement {
    let mut check = NullCheck::new(RATE);
    let mut audio = stems.to_vec();
    let len = audio[0].len();
    let mut pos = 0;
    while pos < len {
        let n = 512.min(len - pos);
        let (l, r) = audio.split_at_mut(1);
        check.process(
            &mut [&mut l[0][pos..pos + n], &mut r[0][pos..pos + n]],
            &[&reference[0][pos..pos + n], &reference[1][pos..pos + n]],
            NullOutput::Difference,
        );
        pos += n;
    }
    check.since_reset()
}

/// `signal` shifted by `d` samples on every channel (positive: later), same length.
fn shifted(signal: &[Vec<f32>], d: i64) -> Vec<Vec<f32>> {
    signal.iter().map(|c| shift(c, d)).collect()
}

fn findings(m: &NullMeasurement) -> Vec<Finding> {
    m.verdict(-3.0).findings().collect()
}

#[test]
fn the_stems_null_against_the_mix() {
    let m = measure(&stem_bus(&ALL), &read_wav("mix"));
    let depth = m.levels.residual_relative_db();
    println!("stems vs mix: residual {depth:.1} dB relative, {:.1} dBFS; verdict: {}", m.levels.difference.rms_dbfs, m.verdict(-3.0));
    // 24-bit stems summed in f32 against the 24-bit mix: only f32 rounding remains.
    assert!(depth < -120.0, "residual {depth} dB");
    assert!(matches!(findings(&m)[0], Finding::Nulls { .. }), "{}", m.verdict(-3.0));
    let peak = m.alignment.expect("alignment found");
    assert_eq!(peak.lag_samples, 0);
    assert!(peak.normalized > 0.999 && (peak.gain - 1.0).abs() < 1e-3, "{peak:?}");
}

#[test]
fn stems_late_by_128_samples_report_128() {
    let mix = read_wav("mix");
    for d in [128i64, -128, 1, 4800, -47_000] {
        let m = measure(&shifted(&stem_bus(&ALL), d), &mix);
        let peak = m.alignment.expect("alignment found");
        println!("stems shifted by {d}: {} ({peak:?})", m.verdict(-3.0));
        assert_eq!(peak.lag_samples, d);
        let expected = if d > 0 { Finding::StemsLate { samples: d } } else { Finding::StemsEarly { samples: -d } };
        assert_eq!(findings(&m)[0], expected, "{}", m.verdict(-3.0));
    }
    let m = measure(&shifted(&stem_bus(&ALL), 128), &mix);
    assert!(m.verdict(-3.0).to_string().starts_with("Stems late by 128 samples"), "{}", m.verdict(-3.0));
}

#[test]
fn an_inverted_reference_reads_as_inverted() {
    let inverted: Vec<Vec<f32>> = read_wav("mix").iter().map(|c| c.iter().map(|x| -x).collect()).collect();
    let m = measure(&stem_bus(&ALL), &inverted);
    println!("inverted reference: {}", m.verdict(-3.0));
    assert_eq!(findings(&m)[0], Finding::PolarityInverted, "{}", m.verdict(-3.0));
    assert_eq!(m.alignment.unwrap().lag_samples, 0);
}

#[test]
fn a_reference_one_db_louder_reports_one_db() {
    let g = 10f32.powf(1.0 / 20.0);
    let louder: Vec<Vec<f32>> = read_wav("mix").iter().map(|c| c.iter().map(|x| x * g).collect()).collect();
    let m = measure(&stem_bus(&ALL), &louder);
    let text = m.verdict(-3.0).to_string();
    println!("reference +1 dB: {text}");
    match findings(&m)[0] {
        Finding::ReferenceLouder { db } => assert!((db - 1.0).abs() < 0.005, "{db}"),
        other => panic!("{other:?}: {text}"),
    }
    assert!(text.starts_with("Reference 1.0 dB louder"), "{text}");
    // And the other way round.
    let quieter: Vec<Vec<f32>> = read_wav("mix").iter().map(|c| c.iter().map(|x| x / g).collect()).collect();
    let m = measure(&stem_bus(&ALL), &quieter);
    assert!(m.verdict(-3.0).to_string().starts_with("Stems 1.0 dB louder"), "{}", m.verdict(-3.0));
}

#[test]
fn a_missing_stem_leaves_a_residual_and_no_false_alignment() {
    let m = measure(&stem_bus(&["drums", "bass", "keys"]), &read_wav("mix"));
    println!("vocals missing: {} ({:?})", m.verdict(-3.0), m.alignment);
    assert!(m.levels.residual_relative_db() > -30.0);
    assert!(!m.verdict(-3.0).nulls());
    // Whatever else it says, it never invents an offset or a polarity flip.
    for f in findings(&m) {
        assert!(!matches!(f, Finding::StemsLate { .. } | Finding::StemsEarly { .. } | Finding::PolarityInverted), "{f:?}");
    }
}

#[test]
fn headroom_is_judged_on_the_stem_bus_peak() {
    let m = measure(&stem_bus(&ALL), &read_wav("mix"));
    let peak = m.levels.stems.peak_dbfs;
    println!("stem bus peak {peak:.2} dBFS");
    let over = |h: f32| m.verdict(h).findings().any(|f| matches!(f, Finding::OverHeadroom { .. }));
    assert!(over(peak - 0.5));
    assert!(!over(peak + 0.5));
}
