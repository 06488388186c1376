//! A parameter's CLAP id from its stable string id (`"thresh"`), the way nice-plug derives it.

use clap_sys::id::clap_id;

/// nice-plug's CLAP id for the parameter declared with `#[id = "<string_id>"]`: a 31-bit Java-style
/// string hash (`h = 31 h + byte`, wrapping, top bit cleared). Preset files name parameters by
/// string id; the CLAP host only sees these numbers.
pub fn clap_param_id(string_id: &str) -> clap_id {
    let mut h: u32 = 0;
    for b in string_id.bytes() {
        h = h.wrapping_mul(31).wrapping_add(b as u32);
    }
    h & !(1 << 31)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_ids_hash_like_java_strings() {
        assert_eq!(clap_param_id(""), 0);
        assert_eq!(clap_param_id("a"), 97);
        assert_eq!(clap_param_id("ab"), 97 * 31 + 98);
    }

    #[test]
    fn the_top_bit_is_always_clear() {
        for id in ["thresh", "key_listen", "a_rather_long_parameter_identifier", "auto_makeup"] {
            assert_eq!(clap_param_id(id) >> 31, 0, "{id}");
        }
    }
}
