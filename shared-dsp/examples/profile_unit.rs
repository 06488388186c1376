//! Runs one processor over a few seconds of the bench signal, for a profiler: callgrind counts
//! instructions repeatably on a noisy machine.
//!
//! ```sh
//! cargo build --profile profiling -p shared-dsp --example profile_unit
//! valgrind --tool=callgrind target/profiling/examples/profile_unit compressor 2
//! callgrind_annotate --inclusive=yes callgrind.out.<pid> | head -40
//! ```
//! Units: compressor, stem-broadband, unmask, deesser, clipper-off, clipper-4x, clipper-8x.

use shared_dsp::clipper::{ClipperSettings, TransientClipper};
use shared_dsp::compressor::{Compressor, CompressorSettings, Key};
use shared_dsp::deesser::{DeEsser, DeEsserSettings};
use shared_dsp::oversampler::Oversampling;
use shared_dsp::stem_compressor::{KeyRouting, StemCompressor, StemCompressorSettings, StemMode};

const RATE_HZ: f32 = 48_000.0;
const BLOCK: usize = 512;

/// One block of stereo audio processed in place, with its key.
type Process = Box<dyn FnMut(&mut [&mut [f32]], &[&[f32]])>;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let unit = args.get(1).map(String::as_str).unwrap_or("compressor");
    let seconds: usize = args.get(2).and_then(|s| s.parse().ok()).unwrap_or(2);
    let frames = seconds * RATE_HZ as usize;
    let mut state = 0x1234_5678_9abc_def0u64;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        (state >> 40) as f32 / (1u64 << 24) as f32 * 0.6 - 0.3
    };
    let mut audio: Vec<Vec<f32>> = (0..2).map(|_| (0..frames).map(|_| next()).collect()).collect();
    let key: Vec<Vec<f32>> = (0..2).map(|_| (0..frames).map(|_| next()).collect()).collect();
    let comp = CompressorSettings { threshold_db: -24.0, ratio: 4.0, lookahead_ms: 2.0, ..Default::default() };
    let mut process: Process = match unit {
        "compressor" => {
            let mut c = Compressor::new(2, 10.0, RATE_HZ);
            c.set_settings_immediately(&comp);
            Box::new(move |a, _| {
                c.process(a, Key::Internal);
            })
        }
        "stem-broadband" | "unmask" => {
            let mut c = StemCompressor::new(2, 10.0, RATE_HZ);
            let mode = if unit == "unmask" { StemMode::Unmask } else { StemMode::Broadband };
            c.set_settings_immediately(&StemCompressorSettings { mode, key: KeyRouting::External, dynamics: comp, ..Default::default() });
            Box::new(move |a, k| {
                c.process(a, k);
            })
        }
        "deesser" => {
            let mut d = DeEsser::new(2, 5.0, RATE_HZ);
            d.set_settings_immediately(&DeEsserSettings::default());
            Box::new(move |a, _| {
                d.process(a);
            })
        }
        clip if clip.starts_with("clipper") => {
            let oversampling = match clip {
                "clipper-off" => Oversampling::Off,
                "clipper-8x" => Oversampling::X8,
                _ => Oversampling::X4,
            };
            let mut c = TransientClipper::new(2, RATE_HZ);
            c.set_settings_immediately(&ClipperSettings { drive_db: 12.0, oversampling, ..Default::default() });
            Box::new(move |a, _| {
                c.process(a);
            })
        }
        other => panic!("unknown unit {other}"),
    };
    let (l, r) = audio.split_at_mut(1);
    for (i, (bl, br)) in l[0].chunks_mut(BLOCK).zip(r[0].chunks_mut(BLOCK)).enumerate() {
        let n = bl.len();
        let k = [&key[0][i * BLOCK..i * BLOCK + n], &key[1][i * BLOCK..i * BLOCK + n]];
        process(&mut [bl, br], &k);
    }
    println!("{unit}: {frames} frames, output sample {}", std::hint::black_box(audio[0][frames / 2]));
}
