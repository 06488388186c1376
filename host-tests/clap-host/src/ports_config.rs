//! The `clap.audio-ports-config` extension: the port layouts a plugin offers (stereo, mono, ...)
//! and selecting one before activation, the way a DAW picks a layout for a mono or stereo track.

use clap_sys::ext::audio_ports_config::{
    clap_audio_ports_config, clap_plugin_audio_ports_config, CLAP_EXT_AUDIO_PORTS_CONFIG,
};
use clap_sys::id::clap_id;

use crate::error::{HostError, Result};
use crate::instance::PluginInstance;
use crate::strings;

/// Owned copy of a `clap_audio_ports_config`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AudioPortsConfig {
    /// Id to pass to [`PluginInstance::select_audio_ports_config`].
    pub id: clap_id,
    /// Display name, e.g. "Stereo" or "Mono".
    pub name: String,
    /// Number of input ports, main included.
    pub input_port_count: u32,
    /// Number of output ports, main included.
    pub output_port_count: u32,
    /// Channels of the main input, `None` when the config has no main input.
    pub main_input_channels: Option<u32>,
    /// `"mono"`, `"stereo"`, ... of the main input, `None` when null.
    pub main_input_port_type: Option<String>,
    /// Channels of the main output, `None` when the config has no main output.
    pub main_output_channels: Option<u32>,
    /// `"mono"`, `"stereo"`, ... of the main output, `None` when null.
    pub main_output_port_type: Option<String>,
}

impl PluginInstance {
    fn ports_config_ext(&self) -> Result<&clap_plugin_audio_ports_config> {
        let ext =
            self.extension(CLAP_EXT_AUDIO_PORTS_CONFIG) as *const clap_plugin_audio_ports_config;
        if ext.is_null() {
            return Err(HostError::MissingExtension("clap.audio-ports-config"));
        }
        // SAFETY: non-null extension pointers stay valid for the plugin's lifetime.
        Ok(unsafe { &*ext })
    }

    /// True if the plugin implements `clap.audio-ports-config`.
    pub fn has_audio_ports_config(&self) -> bool {
        !self.extension(CLAP_EXT_AUDIO_PORTS_CONFIG).is_null()
    }

    /// Every port configuration the plugin offers, in its order.
    pub fn audio_ports_configs(&self) -> Result<Vec<AudioPortsConfig>> {
        let ext = self.ports_config_ext()?;
        let count = ext
            .count
            .ok_or(HostError::NullFunction("audio_ports_config.count"))?;
        let get = ext
            .get
            .ok_or(HostError::NullFunction("audio_ports_config.get"))?;
        let n = unsafe { count(self.plugin) };
        let mut out = Vec::with_capacity(n as usize);
        for index in 0..n {
            let mut c: clap_audio_ports_config = unsafe { std::mem::zeroed() };
            if !unsafe { get(self.plugin, index, &mut c) } {
                return Err(HostError::Rejected(format!(
                    "audio_ports_config.get({index}) returned false"
                )));
            }
            let port_type = |p: *const std::ffi::c_char| {
                (!p.is_null()).then(|| unsafe { strings::from_ptr(p) })
            };
            out.push(AudioPortsConfig {
                id: c.id,
                name: strings::from_array(&c.name),
                input_port_count: c.input_port_count,
                output_port_count: c.output_port_count,
                main_input_channels: c.has_main_input.then_some(c.main_input_channel_count),
                main_input_port_type: port_type(c.main_input_port_type),
                main_output_channels: c.has_main_output.then_some(c.main_output_channel_count),
                main_output_port_type: port_type(c.main_output_port_type),
            });
        }
        Ok(out)
    }

    /// Selects port configuration `id`. CLAP only allows this while the plugin is deactivated;
    /// afterwards [`PluginInstance::audio_ports`] and the render functions use the new ports.
    pub fn select_audio_ports_config(&mut self, id: clap_id) -> Result<()> {
        if self.active.is_some() {
            return Err(HostError::Usage(
                "audio_ports_config.select() while active".into(),
            ));
        }
        let select = self
            .ports_config_ext()?
            .select
            .ok_or(HostError::NullFunction("audio_ports_config.select"))?;
        if !unsafe { select(self.plugin, id) } {
            return Err(HostError::Rejected(format!(
                "audio_ports_config.select({id}) returned false"
            )));
        }
        self.service_host_requests()
    }
}
