//! The event lists we pass to `process()` and `params.flush()`: parameter values in, and
//! whatever the plugin emits collected on the way out.

use std::ffi::c_void;

use clap_sys::events::{
    clap_event_header, clap_event_param_value, clap_input_events, clap_output_events,
    CLAP_CORE_EVENT_SPACE_ID, CLAP_EVENT_PARAM_VALUE,
};
use clap_sys::id::clap_id;

/// A parameter change at a sample position of the whole rendered signal.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ParamChange {
    /// Sample index (from the start of the render call) at which the value takes effect.
    pub sample: usize,
    /// CLAP parameter id.
    pub id: clap_id,
    /// New value in CLAP units (the plugin's `min_value..=max_value`).
    pub value: f64,
}

/// An event the plugin pushed to the output list.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct OutputEvent {
    /// `clap_event_header::type_`.
    pub event_type: u16,
    /// `clap_event_header::space_id`.
    pub space_id: u16,
    /// Sample offset within its block.
    pub time: u32,
    /// For `CLAP_EVENT_PARAM_VALUE`: the parameter and its value.
    pub param_value: Option<(clap_id, f64)>,
}

/// Sorted input events for one call. The `clap_input_events` view borrows it.
#[derive(Default)]
pub(crate) struct InputEvents {
    events: Vec<clap_event_param_value>,
}

impl InputEvents {
    pub(crate) fn clear(&mut self) {
        self.events.clear();
    }

    /// Appends a parameter value event; events must be pushed in time order.
    pub(crate) fn push_param(&mut self, time: u32, id: clap_id, value: f64) {
        self.events.push(clap_event_param_value {
            header: clap_event_header {
                size: std::mem::size_of::<clap_event_param_value>() as u32,
                time,
                space_id: CLAP_CORE_EVENT_SPACE_ID,
                type_: CLAP_EVENT_PARAM_VALUE,
                flags: 0,
            },
            param_id: id,
            cookie: std::ptr::null_mut(),
            note_id: -1,
            port_index: -1,
            channel: -1,
            key: -1,
            value,
        });
    }

    /// The C view. Valid while `self` is neither moved nor modified.
    pub(crate) fn as_clap(&self) -> clap_input_events {
        clap_input_events {
            ctx: self as *const InputEvents as *mut c_void,
            size: Some(input_size),
            get: Some(input_get),
        }
    }
}

unsafe extern "C" fn input_size(list: *const clap_input_events) -> u32 {
    if list.is_null() || (*list).ctx.is_null() {
        return 0;
    }
    (*((*list).ctx as *const InputEvents)).events.len() as u32
}

unsafe extern "C" fn input_get(
    list: *const clap_input_events,
    index: u32,
) -> *const clap_event_header {
    if list.is_null() || (*list).ctx.is_null() {
        return std::ptr::null();
    }
    let events = &(*((*list).ctx as *const InputEvents)).events;
    match events.get(index as usize) {
        Some(e) => &e.header,
        None => std::ptr::null(),
    }
}

/// Collects what the plugin pushes.
#[derive(Default)]
pub(crate) struct OutputEvents {
    pub(crate) events: Vec<OutputEvent>,
}

impl OutputEvents {
    /// The C view. Valid while `self` is not moved.
    pub(crate) fn as_clap(&mut self) -> clap_output_events {
        clap_output_events {
            ctx: self as *mut OutputEvents as *mut c_void,
            try_push: Some(output_try_push),
        }
    }
}

unsafe extern "C" fn output_try_push(
    list: *const clap_output_events,
    event: *const clap_event_header,
) -> bool {
    if list.is_null() || (*list).ctx.is_null() || event.is_null() {
        return false;
    }
    let out = &mut *((*list).ctx as *mut OutputEvents);
    let header = &*event;
    let param_value = (header.space_id == CLAP_CORE_EVENT_SPACE_ID
        && header.type_ == CLAP_EVENT_PARAM_VALUE
        && header.size as usize >= std::mem::size_of::<clap_event_param_value>())
    .then(|| {
        let e = &*(event as *const clap_event_param_value);
        (e.param_id, e.value)
    });
    // NOTE: the host only records events; this allocates, which is fine for a test host.
    out.events.push(OutputEvent {
        event_type: header.type_,
        space_id: header.space_id,
        time: header.time,
        param_value,
    });
    true
}
