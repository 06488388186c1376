//! The single error type of the host: every failed call or broken promise of a plugin.

use std::fmt;

/// What went wrong while loading, driving or querying a CLAP plugin.
#[derive(Debug, Clone, PartialEq)]
pub enum HostError {
    /// The shared library could not be opened or lacks the `clap_entry` symbol.
    Load(String),
    /// `clap_entry` is unusable: incompatible version, or `init()` returned false.
    Entry(String),
    /// A required function pointer of a plugin-provided struct is null.
    NullFunction(&'static str),
    /// The plugin does not implement an extension the caller asked for.
    MissingExtension(&'static str),
    /// A plugin function returned `false` (or null) where success was expected.
    Rejected(String),
    /// The caller used the API wrongly (bad arguments, wrong lifecycle state).
    Usage(String),
    /// `clap_plugin::process()` returned `CLAP_PROCESS_ERROR`.
    Process {
        /// Index of the block (in the partition passed to the render call) that failed.
        block: usize,
    },
}

impl fmt::Display for HostError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            HostError::Load(msg) => write!(f, "could not load the plugin library: {msg}"),
            HostError::Entry(msg) => write!(f, "unusable clap_entry: {msg}"),
            HostError::NullFunction(name) => {
                write!(f, "plugin left function pointer `{name}` null")
            }
            HostError::MissingExtension(id) => {
                write!(f, "plugin does not implement extension `{id}`")
            }
            HostError::Rejected(msg) => write!(f, "plugin rejected the call: {msg}"),
            HostError::Usage(msg) => write!(f, "host API misuse: {msg}"),
            HostError::Process { block } => {
                write!(f, "process() returned CLAP_PROCESS_ERROR in block {block}")
            }
        }
    }
}

impl std::error::Error for HostError {}

/// Result alias used throughout the crate.
pub type Result<T> = std::result::Result<T, HostError>;
