//! The `clap_host` we hand to a plugin, its callbacks and the host extensions we implement.
//!
//! Implemented host extensions: `clap.log`, `clap.thread-check`, `clap.latency`, `clap.params`
//! and `clap.state`. Every other extension id gets null. Requests from the plugin
//! (`request_restart`, `request_process`, `request_callback`, `params.request_flush`, ...) only set
//! flags; [`crate::PluginInstance`] services them between process calls on the main thread.

use std::cell::Cell;
use std::ffi::{c_char, c_void, CStr};
use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};
use std::sync::Mutex;
use std::thread::ThreadId;

use clap_sys::ext::latency::{clap_host_latency, CLAP_EXT_LATENCY};
use clap_sys::ext::log::{clap_host_log, clap_log_severity, CLAP_EXT_LOG};
use clap_sys::ext::params::{
    clap_host_params, clap_param_clear_flags, clap_param_rescan_flags, CLAP_EXT_PARAMS,
};
use clap_sys::ext::state::{clap_host_state, CLAP_EXT_STATE};
use clap_sys::ext::thread_check::{clap_host_thread_check, CLAP_EXT_THREAD_CHECK};
use clap_sys::host::clap_host;
use clap_sys::id::clap_id;
use clap_sys::version::CLAP_VERSION;

use crate::strings;

thread_local! {
    /// True while this thread is inside a call the CLAP spec marks `[audio-thread]`
    /// (process, or a params flush while active).
    static IN_AUDIO_CALL: Cell<bool> = const { Cell::new(false) };
}

/// Marks the current thread as the audio thread for the lifetime of the guard.
pub(crate) struct AudioThreadGuard {
    /// Value of the flag before the guard, restored on drop.
    previous: bool,
}

impl AudioThreadGuard {
    pub(crate) fn enter() -> Self {
        AudioThreadGuard {
            previous: IN_AUDIO_CALL.with(|f| f.replace(true)),
        }
    }
}

impl Drop for AudioThreadGuard {
    fn drop(&mut self) {
        IN_AUDIO_CALL.with(|f| f.set(self.previous));
    }
}

/// One message the plugin sent through `clap.log`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LogMessage {
    /// `CLAP_LOG_*` severity.
    pub severity: i32,
    /// The message text.
    pub text: String,
}

/// Everything the host side remembers about one plugin instance. Lives in a `Box` so that the
/// `clap_host` inside it has a stable address, and outlives the plugin (dropped after `destroy`).
pub(crate) struct HostShared {
    /// The struct the plugin sees; `host_data` points back at this `HostShared`.
    pub(crate) raw: clap_host,
    /// The thread that created the instance: the CLAP main thread.
    main_thread: ThreadId,
    /// Set by `request_restart`: deactivate + activate at the next opportunity.
    pub(crate) restart_requested: AtomicBool,
    /// Set by `request_process`. We always process when asked to render, so it is informational.
    pub(crate) process_requested: AtomicBool,
    /// Set by `request_callback`: call `on_main_thread` at the next opportunity.
    pub(crate) callback_requested: AtomicBool,
    /// Number of `latency.changed()` notifications received.
    pub(crate) latency_changed: AtomicU32,
    /// Of those, how many came outside `clap_plugin::activate` (CLAP allows them only inside it).
    pub(crate) latency_changed_outside_activate: AtomicU32,
    /// True while the host is inside the plugin's `activate()`.
    pub(crate) in_activate: AtomicBool,
    /// Bitwise OR of every `params.rescan()` flag set received.
    pub(crate) params_rescan_flags: AtomicU32,
    /// Set by `params.request_flush`.
    pub(crate) params_flush_requested: AtomicBool,
    /// Set by `state.mark_dirty`.
    pub(crate) state_dirty: AtomicBool,
    /// Messages received through `clap.log`.
    pub(crate) log: Mutex<Vec<LogMessage>>,
    /// Print log messages to stderr as they arrive.
    pub(crate) echo_log: AtomicBool,
}

impl HostShared {
    /// Creates the host context for one instance, owned by the calling (main) thread.
    pub(crate) fn new() -> Box<HostShared> {
        let mut shared = Box::new(HostShared {
            raw: clap_host {
                clap_version: CLAP_VERSION,
                host_data: std::ptr::null_mut(),
                name: c"stem-suite clap-host".as_ptr(),
                vendor: c"Stem Suite".as_ptr(),
                url: c"https://example.invalid/stem-suite".as_ptr(),
                version: c"0.1.0".as_ptr(),
                get_extension: Some(host_get_extension),
                request_restart: Some(host_request_restart),
                request_process: Some(host_request_process),
                request_callback: Some(host_request_callback),
            },
            main_thread: std::thread::current().id(),
            restart_requested: AtomicBool::new(false),
            process_requested: AtomicBool::new(false),
            callback_requested: AtomicBool::new(false),
            latency_changed: AtomicU32::new(0),
            latency_changed_outside_activate: AtomicU32::new(0),
            in_activate: AtomicBool::new(false),
            params_rescan_flags: AtomicU32::new(0),
            params_flush_requested: AtomicBool::new(false),
            state_dirty: AtomicBool::new(false),
            log: Mutex::new(Vec::new()),
            echo_log: AtomicBool::new(std::env::var_os("CLAP_HOST_ECHO_LOG").is_some()),
        });
        let self_ptr: *mut HostShared = &mut *shared;
        shared.raw.host_data = self_ptr as *mut c_void;
        shared
    }

    pub(crate) fn is_main_thread(&self) -> bool {
        std::thread::current().id() == self.main_thread && !IN_AUDIO_CALL.with(|f| f.get())
    }
}

/// Recovers our `HostShared` from the pointer a plugin passes back, or `None` if it is bogus.
///
/// # Safety
/// `host` must be null or a `clap_host` we created.
unsafe fn shared<'a>(host: *const clap_host) -> Option<&'a HostShared> {
    if host.is_null() || (*host).host_data.is_null() {
        return None;
    }
    Some(&*((*host).host_data as *const HostShared))
}

static HOST_LOG: clap_host_log = clap_host_log {
    log: Some(host_log),
};
static HOST_THREAD_CHECK: clap_host_thread_check = clap_host_thread_check {
    is_main_thread: Some(host_is_main_thread),
    is_audio_thread: Some(host_is_audio_thread),
};
static HOST_LATENCY: clap_host_latency = clap_host_latency {
    changed: Some(host_latency_changed),
};
static HOST_PARAMS: clap_host_params = clap_host_params {
    rescan: Some(host_params_rescan),
    clear: Some(host_params_clear),
    request_flush: Some(host_params_request_flush),
};
static HOST_STATE: clap_host_state = clap_host_state {
    mark_dirty: Some(host_state_mark_dirty),
};

unsafe extern "C" fn host_get_extension(
    host: *const clap_host,
    id: *const c_char,
) -> *const c_void {
    if shared(host).is_none() || id.is_null() {
        return std::ptr::null();
    }
    let id = CStr::from_ptr(id);
    if id == CLAP_EXT_LOG {
        &HOST_LOG as *const _ as *const c_void
    } else if id == CLAP_EXT_THREAD_CHECK {
        &HOST_THREAD_CHECK as *const _ as *const c_void
    } else if id == CLAP_EXT_LATENCY {
        &HOST_LATENCY as *const _ as *const c_void
    } else if id == CLAP_EXT_PARAMS {
        &HOST_PARAMS as *const _ as *const c_void
    } else if id == CLAP_EXT_STATE {
        &HOST_STATE as *const _ as *const c_void
    } else {
        std::ptr::null()
    }
}

unsafe extern "C" fn host_request_restart(host: *const clap_host) {
    if let Some(s) = shared(host) {
        s.restart_requested.store(true, Ordering::SeqCst);
    }
}

unsafe extern "C" fn host_request_process(host: *const clap_host) {
    if let Some(s) = shared(host) {
        s.process_requested.store(true, Ordering::SeqCst);
    }
}

unsafe extern "C" fn host_request_callback(host: *const clap_host) {
    if let Some(s) = shared(host) {
        s.callback_requested.store(true, Ordering::SeqCst);
    }
}

unsafe extern "C" fn host_log(
    host: *const clap_host,
    severity: clap_log_severity,
    msg: *const c_char,
) {
    let Some(s) = shared(host) else { return };
    let text = strings::from_ptr(msg);
    if s.echo_log.load(Ordering::Relaxed) {
        eprintln!("[clap log {severity}] {text}");
    }
    if let Ok(mut log) = s.log.lock() {
        log.push(LogMessage { severity, text });
    }
}

unsafe extern "C" fn host_is_main_thread(host: *const clap_host) -> bool {
    shared(host).is_some_and(|s| s.is_main_thread())
}

unsafe extern "C" fn host_is_audio_thread(_host: *const clap_host) -> bool {
    IN_AUDIO_CALL.with(|f| f.get())
}

unsafe extern "C" fn host_latency_changed(host: *const clap_host) {
    if let Some(s) = shared(host) {
        s.latency_changed.fetch_add(1, Ordering::SeqCst);
        if !s.in_activate.load(Ordering::SeqCst) {
            s.latency_changed_outside_activate.fetch_add(1, Ordering::SeqCst);
        }
    }
}

unsafe extern "C" fn host_params_rescan(host: *const clap_host, flags: clap_param_rescan_flags) {
    if let Some(s) = shared(host) {
        s.params_rescan_flags.fetch_or(flags, Ordering::SeqCst);
    }
}

unsafe extern "C" fn host_params_clear(
    _host: *const clap_host,
    _id: clap_id,
    _flags: clap_param_clear_flags,
) {
    // We keep no automation or modulation of our own, so there is nothing to clear.
}

unsafe extern "C" fn host_params_request_flush(host: *const clap_host) {
    if let Some(s) = shared(host) {
        s.params_flush_requested.store(true, Ordering::SeqCst);
    }
}

unsafe extern "C" fn host_state_mark_dirty(host: *const clap_host) {
    if let Some(s) = shared(host) {
        s.state_dirty.store(true, Ordering::SeqCst);
    }
}
