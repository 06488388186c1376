//! Real material: the keys stem ducked by the vocal stem (testdata/stems-a) with settings a mixing
//! engineer would pick. While the vocal sings, the keys lose >= 3 dB in the bands where the vocal is
//! strong and stay within 0.5 dB where the vocal has no energy. The bass keyed by the vocal is
//! reported too: it only shares the vocal's lowest bands.

mod common;
use common::read_wav;
use realfft::RealFftPlanner;
use shared_dsp::spectral_bands::BandLayout;
use shared_dsp::stft::FftSize;
use shared_dsp::unmask::{Unmask, UnmaskSettings};
use shared_dsp::DspUnit;
use std::f32::consts::PI;

const RATE: f32 = 48_000.0;

/// The settings under test: -50 dBFS per band, 4:1, at most 9 dB, 10 ms / 150 ms, 2048 points.
fn settings() -> UnmaskSettings {
    UnmaskSettings {
        threshold_db: -50.0,
        ratio: 4.0,
        knee_db: 6.0,
        range_db: 9.0,
        attack_ms: 10.0,
        release_ms: 150.0,
        resolution: FftSize::N2048,
    }
}

/// Ducks `stem` by `key` in 512-sample blocks; returns the output advanced by the latency (so
/// sample t lines up with the input's sample t) and the largest band reduction seen.
fn duck(stem: &[Vec<f32>], key: &[Vec<f32>]) -> (Vec<Vec<f32>>, f32) {
    let mut u = Unmask::new(2, RATE);
    u.set_settings(&settings());
    let mut out = stem.to_vec();
    let (l, r) = out.split_at_mut(1);
    let mut max_reduction = 0.0f32;
    let len = stem[0].len();
    let mut pos = 0;
    while pos < len {
        let n = 512.min(len - pos);
        u.process(
            &mut [&mut l[0][pos..pos + n], &mut r[0][pos..pos + n]],
            &[&key[0][pos..pos + n], &key[1][pos..pos + n]],
        );
        max_reduction = max_reduction.max(u.max_reduction_db());
        pos += n;
    }
    let latency = u.latency_samples();
    (out.into_iter().map(|c| c[latency..].to_vec()).collect(), max_reduction)
}

/// Band power (mean square, both channels summed) of every analysis frame (Hann, 2048, hop 1024),
/// in the Unmask's own bands: `[frame][band]`.
fn band_powers(x: &[Vec<f32>], layout: &BandLayout, len: usize) -> Vec<Vec<f64>> {
    let n = layout.fft_size();
    let fft = RealFftPlanner::<f32>::new().plan_fft_forward(n);
    let window: Vec<f32> = (0..n).map(|j| 0.5 - 0.5 * (2.0 * PI * j as f32 / n as f32).cos()).collect();
    let scale = 2.0 / (n as f64 * 0.375 * n as f64);
    let mut frame = fft.make_input_vec();
    let mut spectrum = fft.make_output_vec();
    let mut frames = Vec::new();
    let mut start = 0;
    while start + n <= len {
        let mut powers = vec![0.0f64; layout.count()];
        for ch in x {
            for ((f, &s), &w) in frame.iter_mut().zip(&ch[start..start + n]).zip(&window) {
                *f = s * w;
            }
            fft.process(&mut frame, &mut spectrum).unwrap();
            for (b, p) in powers.iter_mut().enumerate() {
                *p += layout.bins(b).map(|k| spectrum[k].norm_sqr() as f64).sum::<f64>() * scale;
            }
        }
        frames.push(powers);
        start += n / 2;
    }
    frames
}

fn db(p: f64) -> f64 {
    10.0 * p.max(1e-30).log10()
}

struct Band {
    /// Centre in Hz.
    centre_hz: f32,
    /// Vocal level over the sung frames, dBFS (mean power).
    vocal_db: f64,
    /// Stem level over the sung frames, dBFS.
    stem_db: f64,
    /// Stem change over the sung frames, dB.
    change_db: f64,
    /// Sung frames in which this band is one of the vocal's strong bands (within 10 dB of that
    /// frame's loudest vocal band).
    strong_frames: usize,
    /// Stem change over those frames only, dB.
    strong_change_db: f64,
}

struct Outcome {
    bands: Vec<Band>,
    loudest_vocal_db: f64,
    sung_frames: usize,
    frames: usize,
    max_reduction: f32,
}

fn measure(stem_name: &str) -> Outcome {
    let stem = read_wav(stem_name);
    let vocal = read_wav("vocals");
    let (out, max_reduction) = duck(&stem, &vocal);
    let len = out[0].len();
    let layout = BandLayout::new(settings().resolution.samples(), RATE);
    let v = band_powers(&vocal, &layout, len);
    let before = band_powers(&stem, &layout, len);
    let after = band_powers(&out, &layout, len);
    // Sung frames: the vocal's total power within 10 dB of its loudest frame.
    let total: Vec<f64> = v.iter().map(|f| f.iter().sum()).collect();
    let loudest_frame = total.iter().copied().fold(0.0, f64::max);
    let sung: Vec<usize> = (0..v.len()).filter(|&i| db(total[i]) >= db(loudest_frame) - 10.0).collect();
    let sum = |frames: &[Vec<f64>], b: usize, which: &[usize]| which.iter().map(|&i| frames[i][b]).sum::<f64>();
    let bands: Vec<Band> = (0..layout.count())
        .map(|b| {
            let strong: Vec<usize> = sung
                .iter()
                .copied()
                .filter(|&i| db(v[i][b]) >= db(v[i].iter().copied().fold(0.0, f64::max)) - 10.0)
                .collect();
            Band {
                centre_hz: layout.centres_hz()[b],
                vocal_db: db(sum(&v, b, &sung) / sung.len() as f64),
                stem_db: db(sum(&before, b, &sung) / sung.len() as f64),
                change_db: db(sum(&after, b, &sung)) - db(sum(&before, b, &sung)),
                strong_frames: strong.len(),
                strong_change_db: db(sum(&after, b, &strong)) - db(sum(&before, b, &strong)),
            }
        })
        .collect();
    let loudest_vocal_db = bands.iter().map(|b| b.vocal_db).fold(f64::NEG_INFINITY, f64::max);
    Outcome { bands, loudest_vocal_db, sung_frames: sung.len(), frames: v.len(), max_reduction }
}

impl Outcome {
    /// The vocal has no energy in band `b`: below -90 dBFS or 50 dB under its loudest band.
    fn vocal_free(&self, b: usize) -> bool {
        let v = self.bands[b].vocal_db;
        v < -90.0 || v < self.loudest_vocal_db - 50.0
    }

    /// Band `b` and its neighbours are vocal-free. NOTE: band gains are interpolated between band
    /// centres, so a vocal-free band next to a band the vocal reaches takes up to half of that
    /// band's reduction on its near side; only a vocal-free neighbourhood promises no change.
    fn vocal_free_around(&self, b: usize) -> bool {
        let last = self.bands.len() - 1;
        self.vocal_free(b) && self.vocal_free(b.saturating_sub(1)) && self.vocal_free((b + 1).min(last))
    }

    fn print(&self, name: &str) {
        println!(
            "{name} keyed by vocals: {} of {} frames sung, loudest vocal band {:.1} dBFS, largest reduction {:.2} dB",
            self.sung_frames, self.frames, self.loudest_vocal_db, self.max_reduction
        );
        println!("  centre Hz | vocal dBFS | {name} dBFS | change dB | frames vocal strong | change there dB");
        for (b, band) in self.bands.iter().enumerate() {
            let tag = if self.vocal_free_around(b) {
                "  (vocal-free around)"
            } else if self.vocal_free(b) {
                "  (vocal-free)"
            } else {
                ""
            };
            println!(
                "  {:9.0} | {:10.1} | {:9.1} | {:+9.2} | {:19} | {:+.2}{tag}",
                band.centre_hz, band.vocal_db, band.stem_db, band.change_db, band.strong_frames, band.strong_change_db
            );
        }
    }
}

/// While the vocal sings, `stem` falls >= 3 dB in every band where the vocal is strong (over the
/// frames where it is) and stays within 0.5 dB in vocal-free neighbourhoods. Bands where the stem
/// itself is below -100 dBFS are skipped (nothing to duck or to keep).
fn check(name: &str) {
    let o = measure(name);
    o.print(name);
    assert!(o.sung_frames >= 10, "only {} sung frames", o.sung_frames);
    let mut strong = 0;
    let mut free = 0;
    for (b, band) in o.bands.iter().enumerate() {
        if band.stem_db < -100.0 {
            continue;
        }
        if band.strong_frames >= 5 {
            strong += 1;
            assert!(
                band.strong_change_db <= -3.0,
                "{name}, {:.0} Hz: fell only {:.2} dB in the {} frames where the vocal is strong there",
                band.centre_hz,
                -band.strong_change_db,
                band.strong_frames
            );
        }
        if o.vocal_free_around(b) {
            free += 1;
            assert!(
                band.change_db.abs() <= 0.5,
                "{name}, {:.0} Hz: no vocal, but changed {:+.2} dB",
                band.centre_hz,
                band.change_db
            );
        }
    }
    println!("{name}: {strong} bands where the vocal is strong (all >= 3 dB down), {free} vocal-free bands (all within 0.5 dB)");
    assert!(strong >= 5, "{name}: only {strong} bands where the vocal is strong");
    assert!(free >= 1, "{name}: no vocal-free band to check");
}

#[test]
#[cfg_attr(debug_assertions, ignore = "release only: cargo test -p shared-dsp --release")]
fn keys_duck_under_the_vocal_only_where_it_sings() {
    check("keys");
}

#[test]
#[cfg_attr(debug_assertions, ignore = "release only: cargo test -p shared-dsp --release")]
fn bass_ducks_under_the_vocal_only_where_it_sings() {
    check("bass");
}
