//! Below the knee the clipper is the delayed input: magnitude within ±0.01 dB up to 20 kHz at 48 kHz in
//! every oversampling factor and phase; linear phase has a symmetric impulse response (constant group
//! delay) centred on the reported latency; Off is bit-exact.

use realfft::RealFftPlanner;
use shared_dsp::clipper::{ClipperSettings, TransientClipper};
use shared_dsp::oversampler::{FilterPhase, Oversampling};
use shared_dsp::DspUnit;

const LEN: usize = 8192;

fn impulse_response(factor: Oversampling, phase: FilterPhase) -> (Vec<f32>, usize) {
    // Softness 30% puts the knee at -3.1 dB below the ceiling; the impulse peaks 12 dB under it.
    let s = ClipperSettings { oversampling: factor, phase, ceiling_db: 0.0, softness: 0.3, ..ClipperSettings::default() };
    let mut c = TransientClipper::new(1, 48_000.0);
    c.set_settings_immediately(&s);
    let mut x = vec![0.0f32; LEN];
    x[0] = 0.25;
    for block in x.chunks_mut(512) {
        c.process(&mut [block]);
    }
    (x.iter().map(|v| v / 0.25).collect(), c.latency_samples())
}

#[test]
#[cfg_attr(debug_assertions, ignore = "release only: cargo test -p shared-dsp --release")]
fn flat_within_a_hundredth_of_a_db_to_20_khz() {
    let mut planner = RealFftPlanner::<f64>::new();
    let fft = planner.plan_fft_forward(LEN);
    for factor in Oversampling::ALL {
        for phase in FilterPhase::ALL {
            let (h, latency) = impulse_response(factor, phase);
            let mut frame: Vec<f64> = h.iter().map(|&v| v as f64).collect();
            let mut spectrum = fft.make_output_vec();
            fft.process(&mut frame, &mut spectrum).unwrap();
            let last_bin = 20_000 * LEN / 48_000;
            let worst = spectrum[..=last_bin].iter().map(|z| (20.0 * z.norm().log10()).abs()).fold(0.0, f64::max);
            assert!(worst <= 0.01, "{factor:?} {phase:?}: {worst:.4} dB off flat below 20 kHz");
            if phase == FilterPhase::Linear {
                let peak = h[latency].abs();
                for k in 1..latency.min(LEN - latency - 1) {
                    let asym = (h[latency + k] - h[latency - k]).abs();
                    assert!(asym <= 1e-5 * peak, "{factor:?}: not symmetric about {latency} at ±{k}: {asym:e}");
                }
            }
            if factor == Oversampling::Off {
                assert_eq!(latency, 0);
                assert_eq!(h[0], 1.0);
                assert!(h[1..].iter().all(|&v| v == 0.0), "Off is not the identity below the knee");
            }
        }
    }
}

#[test]
fn oversampling_off_is_the_driven_input_bit_for_bit_below_the_knee() {
    // Any ceiling and drive: the output is built from `x * drive`, never scaled down and back up.
    let mut seed = 0x0FF_u32;
    let mut next = || {
        seed = seed.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
        (seed >> 8) as f32 / (1u32 << 24) as f32
    };
    for _ in 0..50 {
        let ceiling_db = -24.0 * next();
        let drive_db = if next() < 0.3 { 0.0 } else { 12.0 * next() };
        let s = ClipperSettings {
            oversampling: Oversampling::Off,
            ceiling_db,
            drive_db,
            softness: next(),
            ..ClipperSettings::default()
        };
        let mut c = TransientClipper::new(2, 48_000.0);
        c.set_settings_immediately(&s);
        // Peaks 1 dB under the knee, after the drive.
        let knee = 10f32.powf((ceiling_db - drive_db) / 20.0) * (1.0 - s.softness) * 0.89;
        let x: Vec<f32> = (0..4000).map(|_| (2.0 * next() - 1.0) * knee).collect();
        let mut l = x.clone();
        let mut r = x.clone();
        for (a, b) in l.chunks_mut(300).zip(r.chunks_mut(300)) {
            c.process(&mut [a, b]);
        }
        let drive = shared_dsp::units::db_to_gain(drive_db);
        for (i, (&y, &v)) in l.iter().zip(&x).enumerate() {
            assert_eq!(y, v * drive, "sample {i} with {s:?}");
        }
    }
}
