//! CLAP allows `clap_host_latency.changed()` only inside `clap_plugin::activate`. Every plugin whose
//! latency follows a parameter (Lookahead; Oversampling) is driven the way clap-validator's parameter
//! tests drive it: a parameter event changes the latency in `process()`, and the host deactivates before
//! it services any request. No `latency.changed()` may arrive outside `activate`, and the next
//! activation must report the new latency.

mod common;

use clap_host::{blocks, ParamChange, PluginInstance, PortInput};
use common::*;

fn check(name: &str, mut plugin: PluginInstance, param: &str, text: &str, want: u32) {
    let sr = 48_000.0;
    plugin.activate(sr, 512).unwrap_or_else(|e| panic!("{name}: activate: {e}"));
    let before = plugin.latency().unwrap();
    assert_ne!(before, want, "{name}: {param} {text} must change the latency for this test to mean anything");
    let id = plugin.param_info(param).unwrap().id;
    let value = plugin.text_to_value(id, text).unwrap();
    plugin.set_service_between_blocks(false);
    let input = sine(4096, sr, 440.0, 0.25);
    let out = plugin
        .render_with(PortInput::Audio(&input), PortInput::Silent, &blocks::fixed(4096, 512), &[ParamChange {
            sample: 100,
            id,
            value,
        }])
        .unwrap_or_else(|e| panic!("{name}: render: {e}"));
    assert!(first_non_finite(&out).is_none(), "{name}: non-finite output");
    // The host is busy elsewhere: it deactivates first, then runs whatever the plugin asked for.
    plugin.deactivate();
    plugin.service_host_requests().unwrap();
    assert_eq!(
        plugin.latency_changed_outside_activate_count(),
        0,
        "{name}: clap_host_latency.changed() called outside activate() after {param} -> {text}"
    );
    plugin.activate(sr, 512).unwrap();
    plugin.service_host_requests().unwrap();
    assert_eq!(plugin.latency().unwrap(), want, "{name}: latency after reactivation");
    assert!(plugin.latency_changed_count() >= 1, "{name}: the host was never told through latency.changed()");
    assert_eq!(plugin.latency_changed_outside_activate_count(), 0, "{name}: latency.changed() outside activate()");
    eprintln!(
        "{name}: {param} -> {text}: latency {before} -> {want}; latency.changed() calls {} (all inside activate), \
         restarts {}",
        plugin.latency_changed_count(),
        plugin.restart_count()
    );
}

#[test]
fn latency_changes_reach_the_host_only_inside_activate() {
    check("Bus Compressor", bus_compressor(), "Lookahead", "5", 240);
    check("De-Esser", de_esser(), "Lookahead", "5", 240);
    check("Transient Clipper", clipper(), "Oversampling", "Off", 0);
}

#[test]
fn a_latency_change_while_processing_restarts_the_plugin_and_is_reported_inside_activate() {
    // The usual host: it services requests between blocks.
    let sr = 48_000.0;
    let mut plugin = clipper();
    plugin.activate(sr, 512).unwrap();
    let id = plugin.param_info("Oversampling").unwrap().id;
    let value = plugin.text_to_value(id, "Off").unwrap();
    let input = sine(8192, sr, 440.0, 0.25);
    plugin
        .render_with(PortInput::Audio(&input), PortInput::Silent, &blocks::fixed(8192, 512), &[ParamChange {
            sample: 700,
            id,
            value,
        }])
        .unwrap();
    assert_eq!(plugin.latency().unwrap(), 0);
    // One restart asked from process(); nice-plug asks for a second one from inside activate() to
    // send latency.changed() in the activation after it, so the host answers that one too.
    assert_eq!(plugin.restart_count(), 1, "restarts asked from process()");
    assert!(plugin.latency_changed_count() >= 1);
    assert_eq!(plugin.latency_changed_outside_activate_count(), 0);
    eprintln!(
        "Oversampling 4x -> Off while processing: {} restart from process(), {} answered inside activate(), \
         {} latency.changed() calls",
        plugin.restart_count(),
        plugin.restarts_in_activate(),
        plugin.latency_changed_count()
    );
}
