//! Latency checks shared by the plugins with a lookahead.

use clap_host::{blocks, ParamChange, PluginInstance, PortInput};

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

/// The clap-validator way: `plugin` (inactive) is activated at 48 kHz, `param` is set to `text` by a
/// parameter event in `process()` while the host does not service requests, then the host
/// deactivates before it runs whatever the plugin asked for. No `latency.changed()` may arrive
/// outside `activate()`, and the next activation must report `want` (which must differ from the
/// latency before, or the check proves nothing).
pub fn assert_latency_change_reported_only_inside_activate(
    name: &str,
    mut plugin: PluginInstance,
    param: &str,
    text: &str,
    want: u32,
) {
    let sr = 48_000.0;
    plugin
        .activate(sr, 512)
        .unwrap_or_else(|e| panic!("{name}: activate: {e}"));
    let before = plugin.latency().unwrap();
    assert_ne!(
        before, want,
        "{name}: {param} {text} must change the latency for this test to mean anything"
    );
    plugin.set_service_between_blocks(false);
    render_tone_with_change(&mut plugin, name, param, text, 100, 4096);
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
    assert_eq!(
        plugin.latency().unwrap(),
        want,
        "{name}: latency after reactivation"
    );
    assert!(
        plugin.latency_changed_count() >= 1,
        "{name}: the host was never told through latency.changed()"
    );
    assert_eq!(
        plugin.latency_changed_outside_activate_count(),
        0,
        "{name}: latency.changed() outside activate()"
    );
    eprintln!(
        "{name}: {param} -> {text}: latency {before} -> {want}; latency.changed() calls {} (all inside activate), \
         restarts {}",
        plugin.latency_changed_count(),
        plugin.restart_count()
    );
}

/// Renders `len` samples of a 440 Hz tone through `plugin` (active for blocks of 512) with the
/// sidechain, if any, silent and `param` set to `text` by a parameter event at sample `at`. Fails the
/// test on a render error or non-finite output.
pub fn render_tone_with_change(
    plugin: &mut PluginInstance,
    name: &str,
    param: &str,
    text: &str,
    at: usize,
    len: usize,
) {
    let sr = plugin.activation().expect("an active plugin").sample_rate;
    let id = plugin.param_info(param).unwrap().id;
    let value = plugin.text_to_value(id, text).unwrap();
    let input = super::sine(len, sr, 440.0, 0.25);
    let change = ParamChange {
        sample: at,
        id,
        value,
    };
    let out = plugin
        .render_with(
            PortInput::Audio(&input),
            PortInput::Silent,
            &blocks::fixed(len, 512),
            &[change],
        )
        .unwrap_or_else(|e| panic!("{name}: render: {e}"));
    assert!(
        super::first_non_finite(&out).is_none(),
        "{name}: non-finite output around {param} -> {text}"
    );
}

/// The usual host, which services requests between blocks: `param` of `plugin` (active for blocks
/// of 512, processing or not) goes to `text` by a parameter event at sample `at` of a tone. The
/// plugin must ask for exactly one restart from `process()` (nice-plug may ask for another one
/// inside `activate()` to send `latency.changed()` there; the host answers that too), report `want`
/// afterwards, and never call `latency.changed()` outside `activate()`.
pub fn assert_switch_while_processing_restarts_once(
    name: &str,
    plugin: &mut PluginInstance,
    param: &str,
    text: &str,
    at: usize,
    want: u32,
) {
    let before = plugin.latency().unwrap();
    let (restarts, in_activate, notified) = (
        plugin.restart_count(),
        plugin.restarts_in_activate(),
        plugin.latency_changed_count(),
    );
    render_tone_with_change(plugin, name, param, text, at, 8192);
    println!(
        "{name}: {param} -> {text} while processing: latency {before} -> {}; {} restart(s) asked from process(), {} \
         answered inside activate(), {} latency.changed() call(s), {} outside activate()",
        plugin.latency().unwrap(),
        plugin.restart_count() - restarts,
        plugin.restarts_in_activate() - in_activate,
        plugin.latency_changed_count() - notified,
        plugin.latency_changed_outside_activate_count()
    );
    assert_eq!(
        plugin.latency().unwrap(),
        want,
        "{name}: latency after {param} -> {text}"
    );
    assert_eq!(
        plugin.restart_count() - restarts,
        1,
        "{name}: restarts asked from process() for {param} -> {text}"
    );
    assert!(
        !plugin.restart_pending(),
        "{name}: a restart is still pending after {param} -> {text}"
    );
    assert!(
        plugin.latency_changed_count() > notified,
        "{name}: the host was never told through latency.changed()"
    );
    assert_eq!(
        plugin.latency_changed_outside_activate_count(),
        0,
        "{name}: latency.changed() outside activate()"
    );
}

/// Renders `channels` channels of impulses at sample `at` (`amp` on the first channel, `-amp / 2`
/// on the others) through `plugin` (active) in random blocks, with the sidechain silent, and
/// returns the reported latency and each output channel's delay (argmax of |x| minus `at`).
pub fn impulse_delays_by_channel(
    plugin: &mut PluginInstance,
    channels: usize,
    at: usize,
    amp: f32,
    seed: u64,
) -> (u32, Vec<isize>) {
    let latency = plugin.latency().unwrap();
    let len = at + latency as usize + 2048;
    let mut input = vec![vec![0.0f32; len]; channels];
    input[0][at] = amp;
    for ch in input.iter_mut().skip(1) {
        ch[at] = -0.5 * amp;
    }
    let max_block = plugin.activation().unwrap().max_frames as usize;
    let out = super::main_port::process(plugin, &input, &blocks::random(len, 1, max_block, seed));
    assert!(
        super::first_non_finite(&out).is_none(),
        "non-finite impulse response"
    );
    let delays = out
        .iter()
        .map(|c| super::argmax_abs(std::slice::from_ref(c)) as isize - at as isize)
        .collect();
    (latency, delays)
}
