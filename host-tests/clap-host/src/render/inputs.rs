//! The input stems: reading the WAV files and refusing any that differ in sample rate, channel
//! count or length.

use std::path::Path;

use crate::wav;

use super::session::Stem;

/// What every stem (and every file a check compares with) must share.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AudioFormat {
    /// Sample rate in Hz.
    pub sample_rate: u32,
    /// Channels per frame.
    pub channels: usize,
    /// Length in frames.
    pub frames: usize,
}

/// The decoded input stems, in session order.
#[derive(Debug, Clone, PartialEq)]
pub struct Inputs {
    /// The format all of them share.
    pub format: AudioFormat,
    /// `[stem][channel][frame]`, full scale = 1.0.
    pub stems: Vec<Vec<Vec<f32>>>,
}

/// Reads one WAV file, refusing a missing, unreadable or empty one. `what` names it in errors.
pub fn read_wav(what: &str, path: &Path) -> Result<(AudioFormat, Vec<Vec<f32>>), String> {
    if !path.is_file() {
        return Err(format!("{what}: file not found: {}", path.display()));
    }
    let w = wav::read(path).map_err(|e| format!("{what}: {e}"))?;
    if w.is_empty() {
        return Err(format!("{what}: {} holds no audio", path.display()));
    }
    let format = AudioFormat { sample_rate: w.sample_rate, channels: w.channels.len(), frames: w.len() };
    Ok((format, w.channels))
}

/// Refuses `found` (of `what`) unless it matches `expected` (of `reference`).
pub fn check_same_format(
    what: &str,
    found: AudioFormat,
    reference: &str,
    expected: AudioFormat,
) -> Result<(), String> {
    let seconds = |f: AudioFormat| f.frames as f64 / f.sample_rate as f64;
    let mismatch = if found.sample_rate != expected.sample_rate {
        Some(format!("sample rate {} Hz, but {reference} has {} Hz", found.sample_rate, expected.sample_rate))
    } else if found.channels != expected.channels {
        Some(format!("{} channels, but {reference} has {}", found.channels, expected.channels))
    } else if found.frames != expected.frames {
        Some(format!(
            "{} frames ({:.3} s), but {reference} has {} frames ({:.3} s)",
            found.frames,
            seconds(found),
            expected.frames,
            seconds(expected)
        ))
    } else {
        None
    };
    match mismatch {
        Some(m) => Err(format!(
            "{what}: {m}; all stems must share sample rate, channel count and length"
        )),
        None => Ok(()),
    }
}

/// Label of a stem in errors: name and file.
fn label(stem: &Stem) -> String {
    format!("stem `{}` ({})", stem.name, stem.file.display())
}

/// Reads every stem and checks that they share one format (the first stem's).
pub fn load_inputs(stems: &[Stem]) -> Result<Inputs, String> {
    let mut format = None;
    let mut data = Vec::with_capacity(stems.len());
    for stem in stems {
        let (f, channels) = read_wav(&label(stem), &stem.file)?;
        match format {
            None => format = Some(f),
            Some(expected) => check_same_format(&label(stem), f, &label(&stems[0]), expected)?,
        }
        data.push(channels);
    }
    let format = format.ok_or("no stems")?;
    Ok(Inputs { format, stems: data })
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use std::path::PathBuf;

    /// A fresh temporary folder for one test.
    pub(crate) fn temp_dir(tag: &str) -> PathBuf {
        let d = std::env::temp_dir().join(format!("clap-render-{tag}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&d);
        std::fs::create_dir_all(&d).unwrap();
        d
    }

    /// Writes a WAV of `channels x frames` at `rate` and returns its path.
    pub(crate) fn write(dir: &Path, name: &str, rate: u32, channels: usize, frames: usize) -> PathBuf {
        let path = dir.join(name);
        let data: Vec<Vec<f32>> = (0..channels).map(|c| vec![0.1 * (c + 1) as f32; frames]).collect();
        wav::write_f32(&path, rate, &data).unwrap();
        path
    }

    fn stem(name: &str, file: PathBuf) -> Stem {
        Stem { name: name.into(), file, in_sum: true, chain: Vec::new() }
    }

    #[test]
    fn matching_stems_load_in_order() {
        let d = temp_dir("inputs-ok");
        let a = write(&d, "a.wav", 48_000, 2, 100);
        let b = write(&d, "b.wav", 48_000, 2, 100);
        let inputs = load_inputs(&[stem("a", a), stem("b", b)]).unwrap();
        assert_eq!(inputs.format, AudioFormat { sample_rate: 48_000, channels: 2, frames: 100 });
        assert_eq!(inputs.stems.len(), 2);
        assert_eq!(inputs.stems[1][1][0], 0.2);
    }

    fn refused(tag: &str, b: (u32, usize, usize), needles: &[&str]) {
        let d = temp_dir(tag);
        let a = write(&d, "a.wav", 48_000, 2, 100);
        let bp = write(&d, "b.wav", b.0, b.1, b.2);
        let e = load_inputs(&[stem("drums", a), stem("bass", bp)]).unwrap_err();
        for n in needles {
            assert!(e.contains(n), "error {e:?} should mention {n:?}");
        }
    }

    #[test]
    fn refuses_a_mismatched_sample_rate() {
        refused("rate", (44_100, 2, 100), &["stem `bass`", "b.wav", "44100 Hz", "stem `drums`", "48000 Hz"]);
    }

    #[test]
    fn refuses_a_mismatched_channel_count() {
        refused("channels", (48_000, 1, 100), &["stem `bass`", "1 channels", "has 2"]);
    }

    #[test]
    fn refuses_a_mismatched_length() {
        refused("length", (48_000, 2, 99), &["stem `bass`", "99 frames", "100 frames"]);
    }

    #[test]
    fn refuses_a_missing_file_naming_its_path() {
        let d = temp_dir("missing");
        let a = write(&d, "a.wav", 48_000, 2, 100);
        let e = load_inputs(&[stem("a", a), stem("vocals", d.join("nope.wav"))]).unwrap_err();
        assert!(e.contains("file not found") && e.contains("nope.wav") && e.contains("vocals"), "{e}");
    }

    #[test]
    fn refuses_a_file_that_is_not_wav() {
        let d = temp_dir("notwav");
        let p = d.join("x.wav");
        std::fs::write(&p, b"hello").unwrap();
        let e = load_inputs(&[stem("x", p)]).unwrap_err();
        assert!(e.contains("RIFF"), "{e}");
    }
}
