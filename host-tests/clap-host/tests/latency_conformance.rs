//! CLAP allows `clap_host_latency.changed()` only inside `clap_plugin::activate`. Every plugin whose
//! latency follows a parameter (Lookahead; Oversampling) is driven the way clap-validator's parameter
//! tests drive it: a parameter event changes the latency in `process()`, and the host deactivates before
//! it services any request. No `latency.changed()` may arrive outside `activate`, and the next
//! activation must report the new latency.

mod common;

use common::latency_checks::*;
use common::*;

#[test]
fn latency_changes_reach_the_host_only_inside_activate() {
    for (name, plugin, param, text, want) in [
        ("Bus Compressor", bus_compressor(), "Lookahead", "5", 240),
        ("De-Esser", de_esser(), "Lookahead", "5", 240),
        ("Transient Clipper", clipper(), "Oversampling", "Off", 0),
    ] {
        assert_latency_change_reported_only_inside_activate(name, plugin, param, text, want);
    }
}

#[test]
fn a_latency_change_while_processing_restarts_the_plugin_and_is_reported_inside_activate() {
    // The usual host: it services requests between blocks.
    let mut plugin = clipper();
    plugin.activate(48_000.0, 512).unwrap();
    assert_switch_while_processing_restarts_once(
        "Transient Clipper",
        &mut plugin,
        "Oversampling",
        "Off",
        700,
        0,
    );
}
