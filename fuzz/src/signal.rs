//! Test audio from fuzz input: a base signal per port (silence, sine, noise, square, DC, clicks)
//! at any level from -120 to +33 dBFS, with bursts of NaN, infinities, huge and denormal values.

use clap_host::Rng;

use crate::bytes::ByteReader;

/// Values no audio should contain; the plugins must keep them out of their output.
pub const BAD_VALUES: [f32; 10] = [
    f32::NAN,
    f32::INFINITY,
    f32::NEG_INFINITY,
    1.0e30,
    -1.0e30,
    1.0e-40,
    -1.0e-40,
    f32::MAX,
    f32::MIN,
    f32::MIN_POSITIVE,
];

/// Planar audio of `channels x frames` samples, described by the input.
pub fn signal(input: &mut ByteReader, channels: usize, frames: usize) -> Vec<Vec<f32>> {
    let kind = input.u8() % 6;
    let level_db = -120.0 + 0.6 * input.u8() as f32;
    let gain = 10f32.powf(level_db / 20.0);
    let period_frames = 2 + input.u16() as usize % 4000;
    let mut rng = Rng::new(input.u32() as u64);
    (0..channels)
        .map(|_| {
            (0..frames)
                .map(|i| {
                    gain * match kind {
                        0 => 0.0,
                        1 => (std::f32::consts::TAU * i as f32 / period_frames as f32).sin(),
                        2 => rng.bipolar(),
                        3 => {
                            if (i / (period_frames / 2).max(1)).is_multiple_of(2) {
                                1.0
                            } else {
                                -1.0
                            }
                        }
                        4 => 1.0,
                        _ => {
                            if i.is_multiple_of(period_frames) {
                                1.0
                            } else {
                                0.0
                            }
                        }
                    }
                })
                .collect()
        })
        .collect()
}

/// Writes up to 7 bursts of [`BAD_VALUES`] into `audio` (one channel or all of them).
pub fn add_bursts(input: &mut ByteReader, audio: &mut [Vec<f32>]) {
    let frames = audio.first().map_or(0, Vec::len);
    if frames == 0 || audio.is_empty() {
        return;
    }
    let channels = audio.len();
    for _ in 0..input.u8() % 8 {
        let channel = input.index(channels + 1);
        let start = input.index(frames);
        let end = (start + 1 + input.u16() as usize % 512).min(frames);
        let value = BAD_VALUES[input.index(BAD_VALUES.len())];
        for (c, ch) in audio.iter_mut().enumerate() {
            if channel == channels || channel == c {
                ch[start..end].fill(value);
            }
        }
    }
}

/// The first non-finite sample over `[port][channel][frame]`: (port, channel, frame, value).
pub fn first_non_finite(ports: &[Vec<Vec<f32>>]) -> Option<(usize, usize, usize, f32)> {
    ports.iter().enumerate().find_map(|(p, channels)| {
        channels
            .iter()
            .enumerate()
            .find_map(|(c, ch)| ch.iter().position(|s| !s.is_finite()).map(|i| (p, c, i, ch[i])))
    })
}
