//! Latency checks shared by the plugins with a lookahead.

use clap_host::PluginInstance;

/// Checks that `make(ms, sr)` (an active instance with `ms` of lookahead at `sr` Hz) reports
/// round(ms * sr / 1000) samples of latency, for every rate and lookahead. Returns the failures and
/// a table of what was reported.
pub fn lookahead_latency_failures(
    rates: &[f64],
    lookaheads_ms: &[f64],
    make: impl Fn(f64, f64) -> PluginInstance,
) -> (Vec<String>, Vec<String>) {
    let mut failures = Vec::new();
    let mut table = Vec::new();
    for &sr in rates {
        for &ms in lookaheads_ms {
            let got = make(ms, sr).latency().unwrap();
            let want = super::expected_latency(ms, sr);
            table.push(format!("{ms} ms @ {sr} Hz -> {got}"));
            if !want.contains(&got) {
                failures.push(format!(
                    "{ms} ms at {sr} Hz: reported {got}, expected {want:?}"
                ));
            }
        }
    }
    (failures, table)
}

/// After its Lookahead went from 0 to 5 ms while processing, `plugin` must report a latency in
/// `want`, have asked the host for a restart and told it through clap_host_latency.changed().
pub fn assert_lookahead_change_announced(plugin: &PluginInstance, want: &[u32]) {
    let got = plugin.latency().unwrap();
    assert!(
        want.contains(&got),
        "after Lookahead 0 -> 5 ms while processing, latency() is {got} (expected {want:?}); \
         restarts done: {}, latency.changed() calls: {}, restart pending: {}",
        plugin.restart_count(),
        plugin.latency_changed_count(),
        plugin.restart_pending()
    );
    assert!(
        plugin.restart_count() >= 1,
        "the plugin changed its latency without asking for a restart"
    );
    assert!(
        plugin.latency_changed_count() >= 1,
        "the host was never told through clap_host_latency.changed()"
    );
}
