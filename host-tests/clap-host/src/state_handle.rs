//! Saving and loading state from the main thread while another thread processes: what a DAW does
//! when it autosaves the project during playback, while it also answers the plugin's
//! `request_callback()` with `on_main_thread()`.
//!
//! [`PluginInstance::render_ports`] needs `&mut PluginInstance`, so a test that renders on an audio
//! thread cannot also call [`PluginInstance::save_state`]. A [`StateHandle`] holds only the plugin's
//! raw pointers and calls the `clap.state` extension directly, on the thread that created the
//! instance (the CLAP main thread), without servicing host requests.

use std::ffi::c_void;
use std::sync::atomic::Ordering;

use clap_sys::ext::state::clap_plugin_state;
use clap_sys::plugin::clap_plugin;
use clap_sys::stream::{clap_istream, clap_ostream};

use crate::error::{HostError, Result};
use crate::host::HostShared;
use crate::instance::PluginInstance;
use crate::state::{istream_read, ostream_write, SliceReader, VecWriter};

/// The plugin's `clap.state` extension, callable while the instance is borrowed by a render on
/// another thread.
///
/// It must be used only on the thread that created the instance, and only while the instance is
/// alive: the caller scopes the audio thread (`std::thread::scope`) inside the instance's lifetime.
#[derive(Clone, Copy)]
pub struct StateHandle {
    /// The plugin instance.
    plugin: *const clap_plugin,
    /// Its `clap.state` extension.
    state: *const clap_plugin_state,
    /// The host side of the instance, for the callback flag.
    host: *const HostShared,
}

impl PluginInstance {
    /// A handle for `state.save`/`state.load` calls made while another thread renders.
    pub fn state_handle(&self) -> Result<StateHandle> {
        if self.ext.state.is_null() {
            return Err(HostError::MissingExtension("clap.state"));
        }
        Ok(StateHandle { plugin: self.plugin, state: self.ext.state, host: &*self.host })
    }
}

impl StateHandle {
    /// `state.save()` into a byte vector.
    pub fn save(&self) -> Result<Vec<u8>> {
        let save = unsafe { (*self.state).save }.ok_or(HostError::NullFunction("state.save"))?;
        let mut writer = VecWriter { data: Vec::new(), max_chunk: usize::MAX };
        let stream = clap_ostream { ctx: &mut writer as *mut VecWriter as *mut c_void, write: Some(ostream_write) };
        if unsafe { save(self.plugin, &stream) } {
            Ok(writer.data)
        } else {
            Err(HostError::Rejected("state.save() returned false".into()))
        }
    }

    /// Calls `on_main_thread()` if the plugin asked for it (`request_callback()`); true if it did.
    pub fn service_callback(&self) -> bool {
        let requested = unsafe { (*self.host).callback_requested.swap(false, Ordering::SeqCst) };
        if requested {
            if let Some(on_main_thread) = unsafe { (*self.plugin).on_main_thread } {
                unsafe { on_main_thread(self.plugin) };
            }
        }
        requested
    }

    /// `state.load()` from `bytes`.
    pub fn load(&self, bytes: &[u8]) -> Result<()> {
        let load = unsafe { (*self.state).load }.ok_or(HostError::NullFunction("state.load"))?;
        let mut reader = SliceReader { data: bytes, pos: 0, max_chunk: usize::MAX };
        let stream = clap_istream { ctx: &mut reader as *mut SliceReader as *mut c_void, read: Some(istream_read) };
        if unsafe { load(self.plugin, &stream) } {
            Ok(())
        } else {
            Err(HostError::Rejected("state.load() returned false".into()))
        }
    }
}
