//! Rendering one activated instance with its latency removed, so its output lines up sample for
//! sample with its input.

use crate::{blocks, PluginInstance, PortInput};

/// Frames per render call (a whole number of blocks is used): how often progress is reported.
const CHUNK_FRAMES: usize = 8192;

/// `signal` followed by `extra` frames of silence.
fn padded(signal: &[Vec<f32>], extra: usize) -> Vec<Vec<f32>> {
    signal
        .iter()
        .map(|c| {
            let mut v = Vec::with_capacity(c.len() + extra);
            v.extend_from_slice(c);
            v.resize(c.len() + extra, 0.0);
            v
        })
        .collect()
}

/// Frames `start..start + len` of every channel.
fn slice(signal: &[Vec<f32>], start: usize, len: usize) -> Vec<Vec<f32>> {
    signal.iter().map(|c| c[start..start + len].to_vec()).collect()
}

/// Renders `main` (and `key` on the sidechain, or a silent sidechain) through `plugin`, which must be
/// active with a latency of `latency` frames, in blocks of `block` frames. The input is followed by
/// `latency` frames of silence to flush the plugin, and the first `latency` output frames are
/// dropped: the result has `main`'s length and is aligned with it. `progress` gets the frames
/// rendered so far, out of `main`'s length + `latency`.
///
/// Refuses a plugin that restarts or changes its latency while rendering (its output would not be
/// what the session describes).
pub fn render_compensated(
    plugin: &mut PluginInstance,
    main: &[Vec<f32>],
    key: Option<&[Vec<f32>]>,
    latency: usize,
    block: usize,
    progress: &mut dyn FnMut(usize),
) -> Result<Vec<Vec<f32>>, String> {
    let frames = main.first().map_or(0, Vec::len);
    let total = frames + latency;
    let main = padded(main, latency);
    let key = key.map(|k| padded(k, latency));
    let chunk = block * (CHUNK_FRAMES / block).max(1);
    let restarts_before = plugin.restart_count();
    let mut out: Vec<Vec<f32>> = Vec::new();
    let mut start = 0;
    while start < total {
        let len = chunk.min(total - start);
        let m = slice(&main, start, len);
        let k = key.as_ref().map(|k| slice(k, start, len));
        let key_input = k.as_deref().map_or(PortInput::Silent, PortInput::Audio);
        let part = plugin
            .render_with(PortInput::Audio(&m), key_input, &blocks::fixed(len, block), &[])
            .map_err(|e| e.to_string())?;
        if out.is_empty() {
            out = part.into_iter().map(|c| { let mut v = Vec::with_capacity(total); v.extend(c); v }).collect();
        } else {
            for (o, p) in out.iter_mut().zip(part) {
                o.extend(p);
            }
        }
        start += len;
        progress(start);
    }
    if plugin.restart_count() != restarts_before {
        return Err("the plugin asked for a restart while rendering, which resets it mid-signal".into());
    }
    let now = plugin.latency().map_err(|e| e.to_string())? as usize;
    if now != latency {
        return Err(format!("the latency changed from {latency} to {now} samples while rendering"));
    }
    for c in &mut out {
        c.drain(..latency);
    }
    Ok(out)
}
