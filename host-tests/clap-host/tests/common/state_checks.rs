//! State checks shared by the per-plugin state tests: value snapshots, round trips, broken data and
//! the persisted editor size.

use clap_host::{PluginInstance, Rng};

/// Every parameter's name and CLAP value, in the plugin's order.
pub fn values(plugin: &PluginInstance) -> Vec<(String, f64)> {
    plugin
        .params()
        .unwrap()
        .into_iter()
        .map(|p| (p.name.clone(), plugin.param_value(p.id).unwrap()))
        .collect()
}

/// Asserts two [`values`] snapshots name the same parameters with values within 1e-9.
pub fn assert_same_values(a: &[(String, f64)], b: &[(String, f64)], context: &str) {
    assert_eq!(a.len(), b.len(), "{context}: parameter count");
    let diffs: Vec<_> = a
        .iter()
        .zip(b)
        .filter(|(x, y)| x.0 != y.0 || (x.1 - y.1).abs() > 1e-9)
        .collect();
    assert!(diffs.is_empty(), "{context}: values differ: {diffs:?}");
}

/// Asserts every parameter of `plugin` except those named in `exempt` is off its default, so a
/// state saved from it proves something.
pub fn assert_all_off_their_defaults(plugin: &PluginInstance, exempt: &[&str]) {
    for p in plugin.params().unwrap() {
        if exempt.contains(&p.name.as_str()) {
            continue;
        }
        assert_ne!(
            plugin.param_value(p.id).unwrap(),
            p.default,
            "{} is still at its default",
            p.name
        );
    }
}

/// Saves the state of `configured()`, loads it into `fresh()` and compares the values; then saves
/// that instance again and loads the result into another `fresh()` instance (through streams of
/// `chunk` bytes when given), which must give the same values too. Returns the first saved state.
pub fn assert_state_round_trips(
    configured: fn() -> PluginInstance,
    fresh: fn() -> PluginInstance,
    chunk: Option<usize>,
) -> Vec<u8> {
    let mut a = configured();
    let saved = a.save_state().unwrap();
    assert!(!saved.is_empty());
    let mut b = fresh();
    b.load_state(&saved).unwrap();
    assert_same_values(&values(&a), &values(&b), "fresh instance after load");
    let mut c = fresh();
    match chunk {
        None => {
            c.load_state(&b.save_state().unwrap()).unwrap();
            assert_same_values(&values(&a), &values(&c), "second generation");
        }
        Some(n) => {
            c.load_state_chunked(&b.save_state_chunked(n).unwrap(), n)
                .unwrap();
            assert_same_values(
                &values(&a),
                &values(&c),
                &format!("second generation, {n}-byte chunks"),
            );
        }
    }
    saved
}

/// The round trip of the main-port plugins: `configured()` is off its defaults in every parameter
/// but Bypass, its state loads into `fresh()` with the same values, a second generation through
/// 1-byte streams too, and `configured()` rejects truncated states (see
/// [`assert_truncated_states_rejected`]).
pub fn assert_state_round_trips_every_parameter(
    configured: fn() -> PluginInstance,
    fresh: fn() -> PluginInstance,
) {
    assert_all_off_their_defaults(&configured(), &["Bypass"]);
    let saved = assert_state_round_trips(configured, fresh, Some(1));
    assert_truncated_states_rejected(configured, &saved);
    println!("state: {} bytes", saved.len());
}

/// `configured()` rejects an empty state and `saved` cut in half, and keeps its values.
pub fn assert_truncated_states_rejected(configured: fn() -> PluginInstance, saved: &[u8]) {
    let want = values(&configured());
    for bad in [Vec::new(), saved[..saved.len() / 2].to_vec()] {
        let mut d = configured();
        assert!(
            d.load_state(&bad).is_err(),
            "a {}-byte truncated state was accepted",
            bad.len()
        );
        assert_same_values(&want, &values(&d), "after a rejected load");
    }
}

/// Broken states built from a `valid` one, as (label, bytes): empty, too short, random (seed 77),
/// truncated, one byte flipped, and a length prefix of u64::MAX.
pub fn broken_states(valid: &[u8]) -> Vec<(&'static str, Vec<u8>)> {
    let mut rng = Rng::new(77);
    let random: Vec<u8> = (0..1000).map(|_| rng.next_u64() as u8).collect();
    let mut flipped = valid.to_vec();
    let mid = flipped.len() / 2;
    flipped[mid] ^= 0x5a;
    let mut huge_length = u64::MAX.to_le_bytes().to_vec();
    huge_length.extend_from_slice(b"{}");
    vec![
        ("empty", Vec::new()),
        ("three bytes", vec![1, 2, 3]),
        ("random bytes", random),
        ("truncated to half", valid[..valid.len() / 2].to_vec()),
        ("truncated by one byte", valid[..valid.len() - 1].to_vec()),
        ("one byte flipped", flipped),
        ("length prefix u64::MAX", huge_length),
    ]
}

/// Loads `bytes` into `plugin` (set up, inactive). The plugin must either reject them and keep its
/// previous values, or (unless `must_reject`) accept them; either way every value stays finite and
/// in range, `render` (which activates and renders) gives finite, non-silent output, and the state
/// it then saves loads into `fresh()`.
pub fn check_broken_state(
    label: &str,
    bytes: &[u8],
    mut plugin: PluginInstance,
    must_reject: bool,
    fresh: fn() -> PluginInstance,
    render: impl FnOnce(&mut PluginInstance) -> Vec<Vec<f32>>,
) {
    let before = values(&plugin);
    let result = plugin.load_state(bytes);
    println!(
        "{label} ({} bytes): {}",
        bytes.len(),
        if result.is_ok() {
            "accepted"
        } else {
            "rejected"
        }
    );
    match &result {
        Err(_) => assert_same_values(
            &before,
            &values(&plugin),
            &format!("{label}: rejected load changed parameters"),
        ),
        Ok(()) => assert!(!must_reject, "{label}: load_state accepted it"),
    }
    for p in plugin.params().unwrap() {
        let v = plugin.param_value(p.id).unwrap();
        assert!(
            v.is_finite() && v >= p.min && v <= p.max,
            "{label}: {} = {v} outside {}..={}",
            p.name,
            p.min,
            p.max
        );
    }
    let out = render(&mut plugin);
    assert!(
        super::first_non_finite(&out).is_none(),
        "{label}: non-finite output after the load"
    );
    assert!(
        super::rms(&out, 0..out[0].len()) > 1e-4,
        "{label}: silent output after the load"
    );
    // The state can still be saved and restored.
    let saved = plugin.save_state().unwrap();
    fresh()
        .load_state(&saved)
        .unwrap_or_else(|e| panic!("{label}: the state saved after the load: {e}"));
}

/// Loads `bytes` into `plugin` (set up, inactive) and checks that nothing changed: the load may be
/// refused, or accepted and ignored (what `filter_state` can do for a newer version's state with
/// nice-plug 0.4.2), but every parameter keeps its value.
pub fn assert_state_ignored(label: &str, bytes: &[u8], mut plugin: PluginInstance) {
    let before = values(&plugin);
    let result = plugin.load_state(bytes);
    println!("{label}: load {}", if result.is_ok() { "accepted and ignored" } else { "refused" });
    assert_same_values(&before, &values(&plugin), &format!("{label}: the load changed parameters"));
}

/// Splits nice-plug's CLAP state (an 8-byte little-endian length, then JSON) into its JSON text.
pub fn state_json(bytes: &[u8]) -> String {
    assert!(bytes.len() >= 8, "state shorter than its length prefix");
    let len = u64::from_le_bytes(bytes[..8].try_into().unwrap()) as usize;
    assert_eq!(
        len,
        bytes.len() - 8,
        "length prefix does not match the state"
    );
    String::from_utf8(bytes[8..].to_vec()).expect("nice-plug state is JSON text")
}

/// Frames JSON text as nice-plug's CLAP state.
pub fn state_bytes(json: &str) -> Vec<u8> {
    let mut out = (json.len() as u64).to_le_bytes().to_vec();
    out.extend_from_slice(json.as_bytes());
    out
}

/// The editor size is a persisted field of the state: `fresh()` saves `default` (width, height),
/// and `resized` written into that state comes back from a fresh instance that loaded it (so a
/// reopened session reopens the editor at its size).
pub fn assert_editor_size_persists(
    fresh: fn() -> PluginInstance,
    default: (u32, u32),
    resized: (u32, u32),
) {
    let size = |(w, h): (u32, u32)| format!(r#"{{\"width\":{w},\"height\":{h}}}"#);
    let (default_size, new_size) = (size(default), size(resized));
    let text = state_json(&fresh().save_state().unwrap());
    assert!(
        text.contains("editor-size") && text.contains(&default_size),
        "no default editor size in the state: {text}"
    );
    let resized = text.replace(&default_size, &new_size);
    let mut loaded = fresh();
    loaded
        .load_state(&state_bytes(&resized))
        .expect("state with a new editor size rejected");
    let again = state_json(&loaded.save_state().unwrap());
    assert!(
        again.contains(&new_size),
        "editor size did not survive a load/save: {again}"
    );
}
