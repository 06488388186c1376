//! Rendering: planar f32 buffers for every declared port, cut into caller-chosen blocks, with
//! parameter changes delivered as events, FTZ/DAZ on, and host requests serviced between blocks.

use clap_sys::audio_buffer::clap_audio_buffer;
use clap_sys::process::{clap_process, CLAP_PROCESS_ERROR};

use crate::denormals::ScopedFlushDenormals;
use crate::error::{HostError, Result};
use crate::events::{InputEvents, OutputEvent, OutputEvents, ParamChange};
use crate::host::AudioThreadGuard;
use crate::instance::PluginInstance;

/// What the host connects to one input port.
#[derive(Debug, Clone, Copy)]
pub enum PortInput<'a> {
    /// Planar audio: one `Vec` per channel, each as long as the whole render. The channel count
    /// passed to the plugin is `channels.len()`, whatever the port declares.
    Audio(&'a [Vec<f32>]),
    /// Nothing connected, presented the CLAP way: the declared number of channels, all zero, with
    /// `constant_mask` set (what `audio-ports-activation.h` prescribes for an inactive port).
    Silent,
    /// `channel_count = 0` with a non-null `data32` array (whose only slot is null). CLAP does not
    /// forbid a zero channel count.
    NoChannels,
    /// `data32 = data64 = null` with the declared channel count. Outside the CLAP spec
    /// ("either data32 or data64 pointer will be set"), but some hosts do it.
    NullPointers,
}

/// Buffers for one port, allocated once per render call. Only accessed through `ptrs` while the
/// plugin may hold pointers into them.
struct PortBuffers {
    /// Backing storage, `channels x max_frames` samples. Never resized after `ptrs` is taken.
    _storage: Vec<Vec<f32>>,
    /// Channel pointers handed to the plugin (`data32`).
    ptrs: Vec<*mut f32>,
    /// The `clap_audio_buffer` describing this port.
    buffer: clap_audio_buffer,
}

impl PortBuffers {
    fn new(channels: usize, max_frames: usize, constant: bool) -> PortBuffers {
        let mut storage: Vec<Vec<f32>> = (0..channels).map(|_| vec![0.0f32; max_frames]).collect();
        let mut ptrs: Vec<*mut f32> = storage.iter_mut().map(|c| c.as_mut_ptr()).collect();
        let mask = if constant {
            if channels >= 64 {
                u64::MAX
            } else {
                (1u64 << channels) - 1
            }
        } else {
            0
        };
        let buffer = clap_audio_buffer {
            data32: ptrs.as_mut_ptr(),
            data64: std::ptr::null_mut(),
            channel_count: channels as u32,
            latency: 0,
            constant_mask: mask,
        };
        PortBuffers {
            _storage: storage,
            ptrs,
            buffer,
        }
    }

    fn no_channels() -> PortBuffers {
        let mut ptrs: Vec<*mut f32> = vec![std::ptr::null_mut()];
        let buffer = clap_audio_buffer {
            data32: ptrs.as_mut_ptr(),
            data64: std::ptr::null_mut(),
            channel_count: 0,
            latency: 0,
            constant_mask: 0,
        };
        PortBuffers {
            _storage: Vec::new(),
            ptrs,
            buffer,
        }
    }

    fn null_pointers(channels: usize) -> PortBuffers {
        let buffer = clap_audio_buffer {
            data32: std::ptr::null_mut(),
            data64: std::ptr::null_mut(),
            channel_count: channels as u32,
            latency: 0,
            constant_mask: 0,
        };
        PortBuffers {
            _storage: Vec::new(),
            ptrs: Vec::new(),
            buffer,
        }
    }
}

impl PluginInstance {
    /// Renders through every port the plugin declares.
    ///
    /// * `inputs[i]` feeds input port `i`; missing trailing entries are [`PortInput::Silent`].
    /// * `blocks` partitions the signal: each entry is one `process()` call of that many frames
    ///   (`min_frames..=max_frames` of the activation, or 0: a 0-length call, as VST3 hosts make to
    ///   flush parameter changes). Their sum is the signal length, which every
    ///   [`PortInput::Audio`] channel must match.
    /// * `changes` are delivered as `CLAP_EVENT_PARAM_VALUE` events in the block containing
    ///   their sample, after any values queued with `set_param` (those go at time 0 of block 0).
    ///
    /// Returns `[output port][channel][sample]`, each output port with its declared channel count.
    /// Starts processing if needed. Requests the plugin makes through the host (main-thread
    /// callback, restart) are serviced between blocks.
    pub fn render_ports(
        &mut self,
        inputs: &[PortInput<'_>],
        blocks: &[usize],
        changes: &[ParamChange],
    ) -> Result<Vec<Vec<Vec<f32>>>> {
        let config = self
            .active
            .ok_or_else(|| HostError::Usage("render while inactive".into()))?;
        let ports = self.audio_ports()?;
        if inputs.len() > ports.inputs.len() {
            return Err(HostError::Usage(format!(
                "{} inputs given, the plugin has {} input ports",
                inputs.len(),
                ports.inputs.len()
            )));
        }
        let max_frames = config.max_frames as usize;
        let min_frames = config.min_frames as usize;
        if let Some((i, &n)) = blocks
            .iter()
            .enumerate()
            .find(|&(_, &n)| n != 0 && (n > max_frames || n < min_frames))
        {
            return Err(HostError::Usage(format!(
                "block {i} has {n} frames, outside the activated {min_frames}..={max_frames}"
            )));
        }
        let total: usize = blocks.iter().sum();
        for (port, input) in inputs.iter().enumerate() {
            if let PortInput::Audio(channels) = input {
                if let Some(c) = channels.iter().position(|c| c.len() != total) {
                    return Err(HostError::Usage(format!(
                        "input port {port} channel {c} has {} samples, the blocks sum to {total}",
                        channels[c].len()
                    )));
                }
            }
        }
        let mut changes: Vec<ParamChange> = changes.to_vec();
        changes.sort_by_key(|c| c.sample);
        if let Some(c) = changes.iter().find(|c| c.sample >= total.max(1)) {
            return Err(HostError::Usage(format!(
                "parameter change at sample {} beyond the signal",
                c.sample
            )));
        }

        self.start_processing()?;

        let mut in_ports: Vec<PortBuffers> = ports
            .inputs
            .iter()
            .enumerate()
            .map(
                |(i, info)| match inputs.get(i).copied().unwrap_or(PortInput::Silent) {
                    PortInput::Audio(ch) => PortBuffers::new(ch.len(), max_frames, false),
                    PortInput::Silent => {
                        PortBuffers::new(info.channel_count as usize, max_frames, true)
                    }
                    PortInput::NoChannels => PortBuffers::no_channels(),
                    PortInput::NullPointers => {
                        PortBuffers::null_pointers(info.channel_count as usize)
                    }
                },
            )
            .collect();
        let mut out_ports: Vec<PortBuffers> = ports
            .outputs
            .iter()
            .map(|info| PortBuffers::new(info.channel_count as usize, max_frames, false))
            .collect();
        let mut results: Vec<Vec<Vec<f32>>> = out_ports
            .iter()
            .map(|p| {
                (0..p.ptrs.len())
                    .map(|_| Vec::with_capacity(total))
                    .collect()
            })
            .collect();

        let mut in_events = InputEvents::default();
        let mut out_events = OutputEvents::default();
        let mut next_change = 0;
        let mut start = 0;
        let mut in_bufs: Vec<clap_audio_buffer> = in_ports.iter().map(|p| p.buffer).collect();
        let mut out_bufs: Vec<clap_audio_buffer> = out_ports.iter().map(|p| p.buffer).collect();
        let _ftz = self.host_flushes_denormals.then(ScopedFlushDenormals::enable);
        self.process_times.clear();
        self.process_times.reserve(blocks.len());

        for (block_index, &n) in blocks.iter().enumerate() {
            // Fill the inputs through the raw pointers only (the plugin may hold copies of them).
            for (port, buffers) in in_ports.iter_mut().enumerate() {
                if let Some(PortInput::Audio(channels)) = inputs.get(port) {
                    for (ch, &ptr) in channels.iter().zip(buffers.ptrs.iter()) {
                        unsafe {
                            std::ptr::copy_nonoverlapping(ch[start..start + n].as_ptr(), ptr, n)
                        };
                    }
                }
            }
            for buffers in out_ports.iter_mut() {
                for &ptr in &buffers.ptrs {
                    unsafe { std::ptr::write_bytes(ptr, 0, n) };
                }
            }

            in_events.clear();
            for (id, value) in self.pending_params.drain(..) {
                in_events.push_param(0, id, value);
            }
            while next_change < changes.len() && changes[next_change].sample < start + n {
                let c = changes[next_change];
                in_events.push_param((c.sample - start) as u32, c.id, c.value);
                next_change += 1;
            }

            // Fresh descriptors every block: the plugin may write to the output ones.
            for (dst, src) in in_bufs.iter_mut().zip(in_ports.iter()) {
                *dst = src.buffer;
            }
            for (dst, src) in out_bufs.iter_mut().zip(out_ports.iter()) {
                *dst = src.buffer;
            }
            let in_list = in_events.as_clap();
            let out_list = out_events.as_clap();
            let process = clap_process {
                steady_time: self.steady_time,
                frames_count: n as u32,
                transport: std::ptr::null(),
                audio_inputs: if in_bufs.is_empty() {
                    std::ptr::null()
                } else {
                    in_bufs.as_ptr()
                },
                audio_outputs: if out_bufs.is_empty() {
                    std::ptr::null_mut()
                } else {
                    out_bufs.as_mut_ptr()
                },
                audio_inputs_count: in_bufs.len() as u32,
                audio_outputs_count: out_bufs.len() as u32,
                in_events: &in_list,
                out_events: &out_list,
            };
            let status = {
                let _audio = AudioThreadGuard::enter();
                let started = std::time::Instant::now();
                let status = unsafe { (self.raw().process.unwrap())(self.plugin, &process) };
                self.process_times.push(started.elapsed());
                status
            };
            if status == CLAP_PROCESS_ERROR {
                self.output_events = std::mem::take(&mut out_events.events);
                return Err(HostError::Process { block: block_index });
            }

            for (port, buffers) in out_ports.iter().enumerate() {
                for (ch, &ptr) in buffers.ptrs.iter().enumerate() {
                    results[port][ch]
                        .extend_from_slice(unsafe { std::slice::from_raw_parts(ptr, n) });
                }
            }
            self.steady_time += n as i64;
            start += n;
            if self.service_between_blocks {
                self.service_host_requests()?;
            }
        }

        debug_assert_eq!(next_change, changes.len());
        self.output_events = std::mem::take(&mut out_events.events);
        Ok(results)
    }

    /// Renders the usual effect layout: `main` into the main input port, `key` into the first
    /// non-main input port (other inputs silent), and returns the main output port's channels.
    pub fn render_with(
        &mut self,
        main: PortInput<'_>,
        key: PortInput<'_>,
        blocks: &[usize],
        changes: &[ParamChange],
    ) -> Result<Vec<Vec<f32>>> {
        let ports = self.audio_ports()?;
        let main_in = ports
            .main_input()
            .ok_or_else(|| HostError::Usage("the plugin has no main input".into()))?;
        let main_out = ports
            .main_output()
            .ok_or_else(|| HostError::Usage("the plugin has no main output".into()))?;
        let mut inputs = vec![PortInput::Silent; ports.inputs.len()];
        inputs[main_in] = main;
        match ports.aux_inputs().first() {
            Some(&aux) => inputs[aux] = key,
            None if matches!(key, PortInput::Silent) => {}
            None => {
                return Err(HostError::Usage(
                    "a key signal was given but the plugin has no aux input".into(),
                ))
            }
        }
        let mut outputs = self.render_ports(&inputs, blocks, changes)?;
        Ok(outputs.swap_remove(main_out))
    }

    /// `render_with(Audio(main), Audio(key), blocks, &[])`.
    pub fn render(
        &mut self,
        main: &[Vec<f32>],
        key: &[Vec<f32>],
        blocks: &[usize],
    ) -> Result<Vec<Vec<f32>>> {
        self.render_with(PortInput::Audio(main), PortInput::Audio(key), blocks, &[])
    }

    /// Events the plugin pushed to the output event list during the last render call.
    pub fn output_events(&self) -> &[OutputEvent] {
        &self.output_events
    }

    /// Wall time of each `process()` call of the last render call, in block order: what a DAW's
    /// audio thread spends in the plugin, without the host's own copying.
    pub fn process_times(&self) -> &[std::time::Duration] {
        &self.process_times
    }
}
