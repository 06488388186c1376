//! One plugin instance: creation, `init`, the activation lifecycle, host-request servicing and
//! `destroy` on drop.

use std::ffi::{c_void, CStr};
use std::sync::atomic::Ordering;

use clap_sys::ext::audio_ports::{clap_plugin_audio_ports, CLAP_EXT_AUDIO_PORTS};
use clap_sys::ext::latency::{clap_plugin_latency, CLAP_EXT_LATENCY};
use clap_sys::ext::params::{clap_plugin_params, CLAP_EXT_PARAMS};
use clap_sys::ext::state::{clap_plugin_state, CLAP_EXT_STATE};
use clap_sys::host::clap_host;
use clap_sys::id::clap_id;
use clap_sys::plugin::clap_plugin;

use crate::bundle::{ClapBundle, PluginDescriptor};
use crate::error::{HostError, Result};
use crate::host::{HostShared, LogMessage};

/// The arguments of the last successful `activate()`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ActivationConfig {
    /// Sample rate in Hz.
    pub sample_rate: f64,
    /// Smallest block the host promises to send, in samples.
    pub min_frames: u32,
    /// Largest block the host promises to send, in samples.
    pub max_frames: u32,
}

/// Plugin extension structs, looked up once after `init()`. Null when not implemented.
pub(crate) struct Extensions {
    pub(crate) audio_ports: *const clap_plugin_audio_ports,
    pub(crate) params: *const clap_plugin_params,
    pub(crate) state: *const clap_plugin_state,
    pub(crate) latency: *const clap_plugin_latency,
}

/// A live, initialised plugin instance and the host context it talks to.
///
/// All calls happen on the thread that created it (the CLAP main thread); process calls mark
/// that thread as the audio thread for their duration, so `clap.thread-check` answers the way a
/// DAW's would. The type is deliberately neither `Send` nor `Sync`.
pub struct PluginInstance {
    pub(crate) plugin: *const clap_plugin,
    pub(crate) ext: Extensions,
    pub(crate) host: Box<HostShared>,
    pub(crate) descriptor: PluginDescriptor,
    /// `Some` while activated.
    pub(crate) active: Option<ActivationConfig>,
    /// True between a successful `start_processing()` and `stop_processing()`.
    pub(crate) processing: bool,
    /// Parameter values queued by `set_param` while processing, delivered as
    /// `CLAP_EVENT_PARAM_VALUE` at time 0 of the next process call.
    pub(crate) pending_params: Vec<(clap_id, f64)>,
    /// Sample counter passed as `clap_process::steady_time`.
    pub(crate) steady_time: i64,
    /// Number of deactivate/activate cycles done because the plugin asked for a restart.
    pub(crate) restarts: u32,
    /// Of those, how many answered a request made inside `activate()` itself.
    pub(crate) restarts_in_activate: u32,
    /// Events the plugin pushed to the output list during the last render call.
    pub(crate) output_events: Vec<crate::events::OutputEvent>,
    /// Whether the render functions service host requests between blocks (the default), or leave
    /// them pending, as a host that is busy elsewhere would.
    pub(crate) service_between_blocks: bool,
    /// Whether the render functions turn on flush-to-zero and denormals-are-zero around
    /// `process()` (the default, as most DAWs do), or leave the thread's floating-point mode alone,
    /// so that only the plugin's own guard protects it.
    pub(crate) host_flushes_denormals: bool,
    /// Wall time spent inside the plugin's `process()` during the last render call, per block.
    pub(crate) process_times: Vec<std::time::Duration>,
    /// Keeps the library loaded; must be the last field so it drops after the plugin is destroyed.
    _bundle: ClapBundle,
}

/// How many restarts requested inside `activate()` the host answers in a row before it gives up.
const MAX_RESTARTS_AFTER_ACTIVATE: u32 = 4;

impl PluginInstance {
    /// Creates the host context, lets `create` make the plugin, checks it and calls `init()`.
    pub(crate) fn new(
        bundle: ClapBundle,
        create: impl FnOnce(*const clap_host) -> *const clap_plugin,
    ) -> Result<PluginInstance> {
        let host = HostShared::new();
        let plugin = create(&host.raw);
        if plugin.is_null() {
            return Err(HostError::Rejected(
                "factory.create_plugin returned null".into(),
            ));
        }
        let p = unsafe { &*plugin };

        // Every function of clap_plugin is mandatory; without destroy we cannot even clean up.
        let Some(destroy) = p.destroy else {
            return Err(HostError::NullFunction("clap_plugin.destroy"));
        };
        let missing = [
            ("clap_plugin.init", p.init.is_none()),
            ("clap_plugin.activate", p.activate.is_none()),
            ("clap_plugin.deactivate", p.deactivate.is_none()),
            ("clap_plugin.start_processing", p.start_processing.is_none()),
            ("clap_plugin.stop_processing", p.stop_processing.is_none()),
            ("clap_plugin.reset", p.reset.is_none()),
            ("clap_plugin.process", p.process.is_none()),
            ("clap_plugin.get_extension", p.get_extension.is_none()),
            ("clap_plugin.on_main_thread", p.on_main_thread.is_none()),
        ]
        .into_iter()
        .find(|(_, is_none)| *is_none);
        if let Some((name, _)) = missing {
            unsafe { destroy(plugin) };
            return Err(HostError::NullFunction(name));
        }
        if p.desc.is_null() {
            unsafe { destroy(plugin) };
            return Err(HostError::Rejected("clap_plugin.desc is null".into()));
        }
        let d = unsafe { &*p.desc };
        // SAFETY: the descriptor belongs to a live plugin that promised valid strings.
        let descriptor = unsafe { PluginDescriptor::from_raw(d) };

        if !unsafe { (p.init.unwrap())(plugin) } {
            unsafe { destroy(plugin) };
            return Err(HostError::Rejected(
                "clap_plugin.init() returned false".into(),
            ));
        }

        let get_ext = |id: &CStr| -> *const c_void {
            unsafe { (p.get_extension.unwrap())(plugin, id.as_ptr()) }
        };
        let ext = Extensions {
            audio_ports: get_ext(CLAP_EXT_AUDIO_PORTS) as *const _,
            params: get_ext(CLAP_EXT_PARAMS) as *const _,
            state: get_ext(CLAP_EXT_STATE) as *const _,
            latency: get_ext(CLAP_EXT_LATENCY) as *const _,
        };

        let mut instance = PluginInstance {
            plugin,
            ext,
            host,
            descriptor,
            active: None,
            processing: false,
            pending_params: Vec::new(),
            steady_time: 0,
            restarts: 0,
            restarts_in_activate: 0,
            output_events: Vec::new(),
            service_between_blocks: true,
            host_flushes_denormals: true,
            process_times: Vec::new(),
            _bundle: bundle,
        };
        // Plugins may ask for a main-thread callback during init.
        instance.service_host_requests()?;
        Ok(instance)
    }

    pub(crate) fn raw(&self) -> &clap_plugin {
        // SAFETY: `plugin` is non-null and valid until `destroy` in Drop.
        unsafe { &*self.plugin }
    }

    /// The descriptor of this instance (`clap_plugin::desc`).
    pub fn descriptor(&self) -> &PluginDescriptor {
        &self.descriptor
    }

    /// The raw plugin pointer, for callers that need an extension this crate does not wrap.
    /// It stays valid as long as `self`.
    pub fn as_raw(&self) -> *const clap_plugin {
        self.plugin
    }

    /// Looks up any plugin extension by id (null if unsupported).
    pub fn extension(&self, id: &CStr) -> *const c_void {
        unsafe { (self.raw().get_extension.unwrap())(self.plugin, id.as_ptr()) }
    }

    /// Activation parameters, while active.
    pub fn activation(&self) -> Option<ActivationConfig> {
        self.active
    }

    /// True while activated.
    pub fn is_active(&self) -> bool {
        self.active.is_some()
    }

    /// True while processing has been started.
    pub fn is_processing(&self) -> bool {
        self.processing
    }

    /// Activates with blocks of 1..=`max_block` samples.
    pub fn activate(&mut self, sample_rate: f64, max_block: u32) -> Result<()> {
        self.activate_with(ActivationConfig {
            sample_rate,
            min_frames: 1,
            max_frames: max_block,
        })
    }

    /// Activates with explicit frame bounds.
    pub fn activate_with(&mut self, config: ActivationConfig) -> Result<()> {
        if self.active.is_some() {
            return Err(HostError::Usage("activate() while already active".into()));
        }
        if config.sample_rate.is_nan()
            || config.sample_rate <= 0.0
            || config.max_frames == 0
            || config.min_frames > config.max_frames
        {
            return Err(HostError::Usage(format!(
                "bad activation config {config:?}"
            )));
        }
        // A restart requested before this activation is satisfied by it; one requested while the
        // plugin activates (nice-plug asks for one whenever its latency changed) is honoured at once,
        // before any processing, as a DAW would.
        self.host.restart_requested.store(false, Ordering::SeqCst);
        self.call_activate(config)?;
        self.service_callbacks();
        for _ in 0..MAX_RESTARTS_AFTER_ACTIVATE {
            if !self.host.restart_requested.swap(false, Ordering::SeqCst) {
                break;
            }
            unsafe { (self.raw().deactivate.unwrap())(self.plugin) };
            self.active = None;
            self.service_callbacks();
            self.call_activate(config)?;
            self.restarts_in_activate += 1;
            self.service_callbacks();
        }
        Ok(())
    }

    /// One `activate()` call, flagged so the host can tell what happens inside it.
    fn call_activate(&mut self, config: ActivationConfig) -> Result<()> {
        self.host.in_activate.store(true, Ordering::SeqCst);
        let ok = unsafe {
            (self.raw().activate.unwrap())(
                self.plugin,
                config.sample_rate,
                config.min_frames,
                config.max_frames,
            )
        };
        self.host.in_activate.store(false, Ordering::SeqCst);
        if !ok {
            return Err(HostError::Rejected(format!(
                "activate({config:?}) returned false"
            )));
        }
        self.active = Some(config);
        Ok(())
    }

    /// Stops processing if needed, then deactivates. No-op when inactive.
    pub fn deactivate(&mut self) {
        if self.active.is_none() {
            return;
        }
        self.stop_processing();
        unsafe { (self.raw().deactivate.unwrap())(self.plugin) };
        self.active = None;
        self.service_callbacks();
    }

    /// `start_processing()` (audio thread). Requires activation; no-op when already processing.
    pub fn start_processing(&mut self) -> Result<()> {
        if self.active.is_none() {
            return Err(HostError::Usage("start_processing() while inactive".into()));
        }
        if self.processing {
            return Ok(());
        }
        let ok = {
            let _audio = crate::host::AudioThreadGuard::enter();
            unsafe { (self.raw().start_processing.unwrap())(self.plugin) }
        };
        if !ok {
            return Err(HostError::Rejected(
                "start_processing() returned false".into(),
            ));
        }
        self.processing = true;
        Ok(())
    }

    /// `stop_processing()` (audio thread). No-op when not processing.
    pub fn stop_processing(&mut self) {
        if !self.processing {
            return;
        }
        {
            let _audio = crate::host::AudioThreadGuard::enter();
            unsafe { (self.raw().stop_processing.unwrap())(self.plugin) };
        }
        self.processing = false;
    }

    /// `reset()`: clears the plugin's buffers and tails (audio thread, while active).
    pub fn reset(&mut self) -> Result<()> {
        if self.active.is_none() {
            return Err(HostError::Usage("reset() while inactive".into()));
        }
        let _audio = crate::host::AudioThreadGuard::enter();
        unsafe { (self.raw().reset.unwrap())(self.plugin) };
        Ok(())
    }

    /// Deactivates and re-activates with the same configuration, restoring the processing state,
    /// the way a DAW answers `request_restart()`.
    pub fn restart(&mut self) -> Result<()> {
        let Some(config) = self.active else {
            return Ok(());
        };
        let was_processing = self.processing;
        self.deactivate();
        self.activate_with(config)?;
        self.restarts += 1;
        if was_processing {
            self.start_processing()?;
        }
        Ok(())
    }

    /// Calls `on_main_thread()` if the plugin asked for it.
    fn service_callbacks(&mut self) {
        // Loop a few times: the callback may itself request another one.
        for _ in 0..8 {
            if !self.host.callback_requested.swap(false, Ordering::SeqCst) {
                break;
            }
            unsafe { (self.raw().on_main_thread.unwrap())(self.plugin) };
        }
    }

    /// Services what the plugin asked for through the host callbacks: `on_main_thread()`, a
    /// restart (deactivate + activate), and a parameter flush. The render functions call this
    /// between blocks; call it yourself after driving the plugin by other means.
    pub fn service_host_requests(&mut self) -> Result<()> {
        self.service_callbacks();
        if self
            .host
            .params_flush_requested
            .swap(false, Ordering::SeqCst)
            && !self.processing
        {
            self.flush_params()?;
        }
        if self.host.restart_requested.load(Ordering::SeqCst) {
            if self.active.is_some() {
                self.restart()?;
            } else {
                self.host.restart_requested.store(false, Ordering::SeqCst);
            }
        }
        self.service_callbacks();
        Ok(())
    }

    /// Whether rendering services host requests between blocks (default `true`). With `false`,
    /// callbacks and restarts stay pending until [`Self::service_host_requests`], a deactivation or
    /// an activation, which is how clap-validator's parameter tests drive a plugin.
    pub fn set_service_between_blocks(&mut self, service: bool) {
        self.service_between_blocks = service;
    }

    /// Whether the render functions flush denormals around `process()` (default true). With false,
    /// a plugin that does not flush them itself pays for subnormal arithmetic.
    pub fn set_host_flushes_denormals(&mut self, flush: bool) {
        self.host_flushes_denormals = flush;
    }

    /// How many `latency.changed()` calls came outside `activate()` (CLAP forbids them there).
    pub fn latency_changed_outside_activate_count(&self) -> u32 {
        self.host.latency_changed_outside_activate.load(Ordering::SeqCst)
    }

    /// How many of the restarts answered a request the plugin made inside `activate()`.
    pub fn restarts_in_activate(&self) -> u32 {
        self.restarts_in_activate
    }

    /// How many times the host restarted the plugin because it called `request_restart()` outside
    /// `activate()` (see [`Self::restarts_in_activate`] for the others).
    pub fn restart_count(&self) -> u32 {
        self.restarts
    }

    /// How many `clap_host_latency::changed()` notifications arrived.
    pub fn latency_changed_count(&self) -> u32 {
        self.host.latency_changed.load(Ordering::SeqCst)
    }

    /// True if `request_restart()` was called and not yet serviced.
    pub fn restart_pending(&self) -> bool {
        self.host.restart_requested.load(Ordering::SeqCst)
    }

    /// Accumulated `clap_host_params::rescan()` flags.
    pub fn params_rescan_flags(&self) -> u32 {
        self.host.params_rescan_flags.load(Ordering::SeqCst)
    }

    /// True once the plugin called `clap_host_state::mark_dirty()`.
    pub fn state_marked_dirty(&self) -> bool {
        self.host.state_dirty.load(Ordering::SeqCst)
    }

    /// Messages the plugin logged through `clap.log`.
    pub fn log_messages(&self) -> Vec<LogMessage> {
        self.host.log.lock().map(|l| l.clone()).unwrap_or_default()
    }
}

impl Drop for PluginInstance {
    fn drop(&mut self) {
        self.deactivate();
        unsafe { (self.raw().destroy.unwrap())(self.plugin) };
        // `host` and then `_bundle` drop after this, in field order.
    }
}
