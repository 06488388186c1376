//! Offline rendering mode: tells a plugin through `clap.render` that it is not running in real time.

use clap_sys::ext::render::{clap_plugin_render, CLAP_EXT_RENDER, CLAP_RENDER_OFFLINE};

use crate::PluginInstance;

/// Asks `plugin` to render offline (`clap_plugin_render::set(CLAP_RENDER_OFFLINE)`). Call it before
/// activation, on the main thread. Returns whether the plugin implements the extension and accepted;
/// a plugin without it simply renders as it would in real time.
pub fn request_offline(plugin: &PluginInstance) -> bool {
    let ext = plugin.extension(CLAP_EXT_RENDER) as *const clap_plugin_render;
    if ext.is_null() {
        return false;
    }
    // SAFETY: a non-null `clap.render` extension points to a `clap_plugin_render` that lives as
    // long as the plugin, which outlives this call.
    match unsafe { (*ext).set } {
        Some(set) => unsafe { set(plugin.as_raw(), CLAP_RENDER_OFFLINE) },
        None => false,
    }
}
