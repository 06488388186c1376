//! A small CLAP host for tests, benchmarks and offline rendering.
//!
//! ```no_run
//! use clap_host::{blocks, ClapBundle};
//! let bundle = ClapBundle::load("target/bundled/Stem Bus Compressor.clap")?;
//! let mut plugin = bundle.create("org.stemsuite.bus-compressor")?;
//! plugin.set_param_by_name("Threshold", -30.0)?;
//! plugin.set_param_text("Key", "External")?;
//! plugin.activate(48_000.0, 512)?;
//! let main = vec![vec![0.0f32; 48_000]; 2];
//! let key = vec![vec![0.0f32; 48_000]; 2];
//! let out = plugin.render(&main, &key, &blocks::fixed(48_000, 512))?;
//! let latency = plugin.latency()?;
//! let state = plugin.save_state()?;
//! # let _ = (out, latency, state);
//! # Ok::<(), clap_host::HostError>(())
//! ```
//!
//! Port layouts other than the default are chosen with `audio_ports_configs()` and
//! `select_audio_ports_config(id)` before `activate`.
//!
//! [`render`] is the headless stem-session renderer on top of this host (bin `clap-render`,
//! `cargo xtask render SESSION.toml`).
//!
//! Every call checks the plugin's function pointers for null and its return values; instances
//! deactivate and `destroy()` on drop, and the last handle to a bundle calls `deinit()` (the
//! library itself stays mapped: unmapping Rust plugins under live threads crashes them).

pub mod blocks;
mod bundle;
mod bundle_dir;
mod denormals;
mod error;
mod events;
pub mod heap;
mod host;
mod instance;
mod latency;
mod params;
mod ports;
mod ports_config;
mod process;
pub mod render;
pub mod rng;
mod state;
mod state_handle;
mod strings;
pub mod wav;

pub use bundle::{ClapBundle, PluginDescriptor};
pub use bundle_dir::clap_files_in;
pub use denormals::ScopedFlushDenormals;
pub use error::{HostError, Result};
pub use events::{OutputEvent, ParamChange};
pub use host::LogMessage;
pub use instance::{ActivationConfig, PluginInstance};
pub use params::{parse_display_number, ParamInfo};
pub use ports::{AudioPortInfo, AudioPorts};
pub use ports_config::AudioPortsConfig;
pub use process::PortInput;
pub use rng::Rng;
pub use state_handle::StateHandle;

/// Re-export of the raw bindings, for callers that need an extension this crate does not wrap.
pub use clap_sys;
