//! The `clap.latency` extension: the plugin's processing delay in samples.

use crate::error::{HostError, Result};
use crate::instance::PluginInstance;

impl PluginInstance {
    /// True if the plugin implements `clap.latency`.
    pub fn has_latency_extension(&self) -> bool {
        !self.ext.latency.is_null()
    }

    /// The reported latency in samples. CLAP only allows the query while active (the value is
    /// fixed at activation), so this fails on an inactive instance.
    pub fn latency(&self) -> Result<u32> {
        if self.active.is_none() {
            return Err(HostError::Usage(
                "latency() is only defined while active".into(),
            ));
        }
        if self.ext.latency.is_null() {
            return Err(HostError::MissingExtension("clap.latency"));
        }
        let get =
            unsafe { (*self.ext.latency).get }.ok_or(HostError::NullFunction("latency.get"))?;
        Ok(unsafe { get(self.plugin) })
    }
}
