//! Minimal WAV reading (PCM 16/24/32-bit, float 32/64-bit) and writing (float 32-bit), planar f32.

use std::path::Path;

/// A decoded WAV file.
#[derive(Debug, Clone, PartialEq)]
pub struct Wav {
    /// Sample rate in Hz.
    pub sample_rate: u32,
    /// Bits per sample of the file's encoding.
    pub bits_per_sample: u16,
    /// True for IEEE float files.
    pub is_float: bool,
    /// Planar samples, full scale = 1.0 (integer PCM divided by 2^(bits-1)).
    pub channels: Vec<Vec<f32>>,
}

impl Wav {
    /// Number of frames.
    pub fn len(&self) -> usize {
        self.channels.first().map_or(0, Vec::len)
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

fn u16_at(b: &[u8], i: usize) -> u16 {
    u16::from_le_bytes([b[i], b[i + 1]])
}

fn u32_at(b: &[u8], i: usize) -> u32 {
    u32::from_le_bytes([b[i], b[i + 1], b[i + 2], b[i + 3]])
}

/// Reads a WAV file.
pub fn read(path: impl AsRef<Path>) -> Result<Wav, String> {
    let path = path.as_ref();
    let bytes = std::fs::read(path).map_err(|e| format!("{}: {e}", path.display()))?;
    decode(&bytes).map_err(|e| format!("{}: {e}", path.display()))
}

/// Decodes WAV bytes.
pub fn decode(b: &[u8]) -> Result<Wav, String> {
    if b.len() < 12 || &b[0..4] != b"RIFF" || &b[8..12] != b"WAVE" {
        return Err("not a RIFF/WAVE file".into());
    }
    let mut pos = 12;
    let mut fmt: Option<(u16, u16, u32, u16)> = None;
    let mut data: Option<&[u8]> = None;
    while pos + 8 <= b.len() {
        let id = &b[pos..pos + 4];
        let size = u32_at(b, pos + 4) as usize;
        let body_start = pos + 8;
        let body_end = body_start
            .checked_add(size)
            .ok_or("chunk size overflow")?
            .min(b.len());
        let body = &b[body_start..body_end];
        match id {
            b"fmt " => {
                if body.len() < 16 {
                    return Err("short fmt chunk".into());
                }
                let mut format = u16_at(body, 0);
                let channels = u16_at(body, 2);
                let rate = u32_at(body, 4);
                let bits = u16_at(body, 14);
                if format == 0xFFFE {
                    if body.len() < 26 {
                        return Err("short WAVE_FORMAT_EXTENSIBLE fmt chunk".into());
                    }
                    // The sub-format GUID starts with the format tag.
                    format = u16_at(body, 24);
                }
                fmt = Some((format, channels, rate, bits));
            }
            b"data" => data = Some(body),
            _ => {}
        }
        // Chunks are padded to an even size.
        pos = body_start + size + (size & 1);
    }
    let (format, num_channels, sample_rate, bits) = fmt.ok_or("no fmt chunk")?;
    let data = data.ok_or("no data chunk")?;
    if num_channels == 0 {
        return Err("zero channels".into());
    }
    let is_float = match (format, bits) {
        (1, 16 | 24 | 32) => false,
        (3, 32 | 64) => true,
        _ => return Err(format!("unsupported format {format} with {bits} bits")),
    };
    let width = bits as usize / 8;
    let frame = width * num_channels as usize;
    let frames = data.len() / frame;
    let mut channels = vec![Vec::with_capacity(frames); num_channels as usize];
    for f in 0..frames {
        for (c, channel) in channels.iter_mut().enumerate() {
            let s = &data[f * frame + c * width..f * frame + (c + 1) * width];
            let v = match (is_float, bits) {
                (false, 16) => i16::from_le_bytes([s[0], s[1]]) as f32 / 32768.0,
                (false, 24) => {
                    (i32::from_le_bytes([0, s[0], s[1], s[2]]) >> 8) as f32 / 8_388_608.0
                }
                (false, 32) => {
                    (i32::from_le_bytes([s[0], s[1], s[2], s[3]]) as f64 / 2_147_483_648.0) as f32
                }
                (true, 32) => f32::from_le_bytes([s[0], s[1], s[2], s[3]]),
                (true, 64) => {
                    f64::from_le_bytes([s[0], s[1], s[2], s[3], s[4], s[5], s[6], s[7]]) as f32
                }
                _ => unreachable!(),
            };
            channel.push(v);
        }
    }
    Ok(Wav {
        sample_rate,
        bits_per_sample: bits,
        is_float,
        channels,
    })
}

/// Writes planar samples as a 32-bit float WAV file.
///
/// # Panics
/// If the channels differ in length.
pub fn write_f32(
    path: impl AsRef<Path>,
    sample_rate: u32,
    channels: &[Vec<f32>],
) -> std::io::Result<()> {
    let frames = channels.first().map_or(0, Vec::len);
    assert!(
        channels.iter().all(|c| c.len() == frames),
        "channels differ in length"
    );
    let n = channels.len() as u16;
    let data_len = frames * channels.len() * 4;
    let mut out = Vec::with_capacity(44 + data_len);
    out.extend_from_slice(b"RIFF");
    out.extend_from_slice(&((36 + data_len) as u32).to_le_bytes());
    out.extend_from_slice(b"WAVEfmt ");
    out.extend_from_slice(&16u32.to_le_bytes());
    out.extend_from_slice(&3u16.to_le_bytes());
    out.extend_from_slice(&n.to_le_bytes());
    out.extend_from_slice(&sample_rate.to_le_bytes());
    out.extend_from_slice(&(sample_rate * n as u32 * 4).to_le_bytes());
    out.extend_from_slice(&(n * 4).to_le_bytes());
    out.extend_from_slice(&32u16.to_le_bytes());
    out.extend_from_slice(b"data");
    out.extend_from_slice(&(data_len as u32).to_le_bytes());
    for f in 0..frames {
        for c in channels {
            out.extend_from_slice(&c[f].to_le_bytes());
        }
    }
    std::fs::write(path, out)
}
