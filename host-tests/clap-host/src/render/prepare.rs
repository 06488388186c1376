//! Turning a chain entry into a configured, activated instance: find the plugin, check its ports
//! against the stems and the key routing, apply preset, preset file and values, activate, and read
//! the latency. Every refusal happens here, before anything renders.

use std::path::Path;

use crate::PluginInstance;

use super::catalog::Catalog;
use super::offline::request_offline;
use super::presets::{factory_preset, user_preset};
use super::routing::KeyRoute;
use super::session::PluginSpec;
use super::settings::{apply_params, apply_preset};

/// What every instance of a session shares.
pub struct Setup<'a> {
    /// The plugins on offer.
    pub catalog: &'a Catalog,
    /// Folder of the factory preset files.
    pub presets_dir: &'a Path,
    /// Sample rate of the stems, Hz.
    pub sample_rate: u32,
    /// Channels of the stems (and of every key).
    pub channels: usize,
    /// Block size, frames (the activation's largest block).
    pub block: usize,
}

/// An instance ready to render.
pub struct Prepared {
    /// The activated instance.
    pub plugin: PluginInstance,
    /// The plugin's display name.
    pub name: String,
    /// The plugin's CLAP id.
    pub id: String,
    /// What feeds its sidechain.
    pub key: KeyRoute,
    /// Reported latency after activation, frames.
    pub latency: usize,
    /// Whether it accepted offline rendering (`clap.render`).
    pub offline: bool,
}

/// Creates, configures and activates the instance `spec` describes.
pub fn prepare(spec: &PluginSpec, setup: &Setup<'_>) -> Result<Prepared, String> {
    let (bundle, descriptor) = setup.catalog.find(&spec.plugin)?;
    let (name, id) = (descriptor.name.clone(), descriptor.id.clone());
    let mut plugin = bundle.create(&id).map_err(|e| format!("cannot create {id}: {e}"))?;
    let offline = request_offline(&plugin);

    let ports = plugin.audio_ports().map_err(|e| e.to_string())?;
    let main_in = ports.main_input().ok_or("the plugin has no main audio input")?;
    let main_out = ports.main_output().ok_or("the plugin has no main audio output")?;
    for (what, port) in [("main input", &ports.inputs[main_in]), ("main output", &ports.outputs[main_out])] {
        if port.channel_count as usize != setup.channels {
            return Err(format!(
                "its {what} `{}` has {} channels, the stems have {}",
                port.name, port.channel_count, setup.channels
            ));
        }
    }
    if spec.key != KeyRoute::None {
        match ports.aux_inputs().first() {
            None => return Err(format!("key = \"{}\", but the plugin has no sidechain input", spec.key)),
            Some(&aux) if ports.inputs[aux].channel_count as usize != setup.channels => {
                return Err(format!(
                    "key = \"{}\": its sidechain `{}` has {} channels, the stems have {}",
                    spec.key, ports.inputs[aux].name, ports.inputs[aux].channel_count, setup.channels
                ))
            }
            Some(_) => {}
        }
    }

    if let Some(preset) = &spec.preset {
        let values = factory_preset(setup.presets_dir, &id, &name, preset)?;
        apply_preset(&mut plugin, &values, &format!("factory preset `{preset}`"))?;
    }
    if let Some(file) = &spec.preset_file {
        let values = user_preset(file, &id)?;
        apply_preset(&mut plugin, &values, &format!("preset file {}", file.display()))?;
    }
    apply_params(&mut plugin, &spec.params)?;

    plugin
        .activate(setup.sample_rate as f64, setup.block as u32)
        .map_err(|e| format!("activate({} Hz, {} frames): {e}", setup.sample_rate, setup.block))?;
    let latency = if plugin.has_latency_extension() {
        plugin.latency().map_err(|e| e.to_string())? as usize
    } else {
        0
    };
    Ok(Prepared { plugin, name, id, key: spec.key.clone(), latency, offline })
}
