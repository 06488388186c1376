//! Refusing plugin states written by a newer, incompatible version of the plugin.

use nice_plug::prelude::*;

/// Whether a state saved by version `saved` may be loaded by version `ours` (both `major.minor.patch`).
///
/// A newer major version, or a newer minor version while the major is 0, may have changed what a
/// parameter means, so its states are refused. Older versions, newer patch versions and states with
/// no version (nice-plug leaves the field empty in very old states) are loaded.
pub fn is_loadable(saved: &str, ours: &str) -> bool {
    let parse = |v: &str| -> Option<(u64, u64)> {
        let mut it = v.trim().split('.');
        Some((it.next()?.parse().ok()?, it.next()?.parse().ok()?))
    };
    let (Some((s_major, s_minor)), Some((o_major, o_minor))) = (parse(saved), parse(ours)) else {
        return saved.trim().is_empty() || parse(saved).is_some();
    };
    match s_major.cmp(&o_major) {
        std::cmp::Ordering::Greater => false,
        std::cmp::Ordering::Less => true,
        std::cmp::Ordering::Equal => o_major > 0 || s_minor <= o_minor,
    }
}

/// For `Plugin::filter_state`: empties a state that this version must not load, so loading it keeps
/// every current setting (nice-plug 0.4.2 cannot refuse a load from `filter_state`; a state with no
/// values changes nothing), and logs why.
pub fn keep_settings_if_incompatible(state: &mut PluginState, plugin: &str, ours: &str) {
    if !is_loadable(&state.version, ours) {
        nice_log!("{plugin}: ignoring a state saved by version {} (this is {ours}); settings kept", state.version);
        state.params.clear();
        state.fields.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::is_loadable;

    #[test]
    fn newer_breaking_versions_are_refused() {
        assert!(is_loadable("0.1.0", "0.1.0"));
        assert!(is_loadable("0.1.7", "0.1.0"), "a newer patch only fixes bugs");
        assert!(is_loadable("0.0.9", "0.1.0"));
        assert!(is_loadable("", "0.1.0"), "very old states carry no version");
        assert!(!is_loadable("0.2.0", "0.1.0"));
        assert!(!is_loadable("99.0.0", "0.1.0"));
        assert!(is_loadable("1.4.0", "1.2.0"), "1.x minors are compatible");
        assert!(!is_loadable("2.0.0", "1.9.0"));
        assert!(!is_loadable("garbage", "0.1.0"));
    }
}
