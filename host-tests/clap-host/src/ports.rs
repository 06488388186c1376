//! The `clap.audio-ports` extension: how many audio ports, their names and channel counts.

use clap_sys::ext::audio_ports::{
    clap_audio_port_info, CLAP_AUDIO_PORT_IS_MAIN, CLAP_AUDIO_PORT_SUPPORTS_64BITS,
};
use clap_sys::id::CLAP_INVALID_ID;

use crate::error::{HostError, Result};
use crate::instance::PluginInstance;
use crate::strings;

/// Owned copy of a `clap_audio_port_info`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AudioPortInfo {
    /// Stable port id.
    pub id: u32,
    /// Display name, e.g. "Input", "Output", "Sidechain".
    pub name: String,
    /// `CLAP_AUDIO_PORT_*` flags.
    pub flags: u32,
    /// Number of channels.
    pub channel_count: u32,
    /// `"mono"`, `"stereo"`, ... or `None` when the plugin leaves it null.
    pub port_type: Option<String>,
    /// Id of the port on the other side it can process in place with, if any.
    pub in_place_pair: Option<u32>,
}

impl AudioPortInfo {
    /// True if `CLAP_AUDIO_PORT_IS_MAIN` is set.
    pub fn is_main(&self) -> bool {
        self.flags & CLAP_AUDIO_PORT_IS_MAIN != 0
    }

    /// True if the port accepts 64-bit buffers.
    pub fn supports_64bit(&self) -> bool {
        self.flags & CLAP_AUDIO_PORT_SUPPORTS_64BITS != 0
    }
}

/// Input and output ports of an instance.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct AudioPorts {
    /// Input ports in index order (the order of `clap_process::audio_inputs`).
    pub inputs: Vec<AudioPortInfo>,
    /// Output ports in index order.
    pub outputs: Vec<AudioPortInfo>,
}

impl AudioPorts {
    /// Index of the input port flagged main, if any.
    pub fn main_input(&self) -> Option<usize> {
        self.inputs.iter().position(AudioPortInfo::is_main)
    }

    /// Index of the output port flagged main, if any.
    pub fn main_output(&self) -> Option<usize> {
        self.outputs.iter().position(AudioPortInfo::is_main)
    }

    /// Indices of the input ports that are not main (sidechains and other aux inputs).
    pub fn aux_inputs(&self) -> Vec<usize> {
        (0..self.inputs.len())
            .filter(|&i| !self.inputs[i].is_main())
            .collect()
    }
}

impl PluginInstance {
    /// Reads every audio port. A plugin without `clap.audio-ports` has no audio ports, which is
    /// what the spec says, and this returns empty lists for it.
    pub fn audio_ports(&self) -> Result<AudioPorts> {
        if self.ext.audio_ports.is_null() {
            return Ok(AudioPorts::default());
        }
        let ext = unsafe { &*self.ext.audio_ports };
        let count = ext
            .count
            .ok_or(HostError::NullFunction("audio_ports.count"))?;
        let get = ext.get.ok_or(HostError::NullFunction("audio_ports.get"))?;
        let mut ports = AudioPorts::default();
        for is_input in [true, false] {
            let n = unsafe { count(self.plugin, is_input) };
            for index in 0..n {
                let mut info: clap_audio_port_info = unsafe { std::mem::zeroed() };
                if !unsafe { get(self.plugin, index, is_input, &mut info) } {
                    return Err(HostError::Rejected(format!(
                        "audio_ports.get({index}, is_input={is_input}) returned false"
                    )));
                }
                let port = AudioPortInfo {
                    id: info.id,
                    name: strings::from_array(&info.name),
                    flags: info.flags,
                    channel_count: info.channel_count,
                    port_type: (!info.port_type.is_null())
                        .then(|| unsafe { strings::from_ptr(info.port_type) }),
                    in_place_pair: (info.in_place_pair != CLAP_INVALID_ID)
                        .then_some(info.in_place_pair),
                };
                if is_input {
                    ports.inputs.push(port);
                } else {
                    ports.outputs.push(port);
                }
            }
        }
        Ok(ports)
    }
}
