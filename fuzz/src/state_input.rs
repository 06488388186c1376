//! The input format of the `state_load` target: a plugin, a few parameters set beforehand, how
//! the state is streamed, and the state bytes.
//!
//! | bytes | meaning |
//! | --- | --- |
//! | 0 | plugin, an index into [`crate::plugins::all`] (modulo their count) |
//! | 1 | bits 0-1: how many parameters to set before loading (0-3); bits 2-7: largest number of bytes one stream read returns (0: all at once) |
//! | 3 per parameter | which parameter and its value, see [`crate::values::param_change`] |
//! | the rest | the state, as handed to `clap_plugin_state::load` |

use crate::bytes::ByteReader;

/// A decoded `state_load` input, before the parameter changes are read from `preset`.
pub struct StateInput<'a> {
    /// Selects the plugin.
    pub plugin_selector: u8,
    /// Parameters to set before the load.
    pub preset_count: usize,
    /// Largest number of bytes one stream read returns.
    pub read_chunk_bytes: usize,
    /// Reader positioned at the parameter changes; [`ByteReader::rest`] after them is the state.
    pub preset: ByteReader<'a>,
}

/// Splits the header off an input.
pub fn decode(data: &[u8]) -> StateInput<'_> {
    let mut input = ByteReader::new(data);
    let plugin_selector = input.u8();
    let flags = input.u8();
    let chunk = (flags >> 2) as usize;
    StateInput {
        plugin_selector,
        preset_count: (flags & 3) as usize,
        read_chunk_bytes: if chunk == 0 { usize::MAX } else { chunk },
        preset: input,
    }
}

/// An input that loads `state` into plugin `plugin_index` with no parameters set first, read in
/// one piece.
pub fn encode(plugin_index: usize, state: &[u8]) -> Vec<u8> {
    let mut out = vec![plugin_index as u8, 0];
    out.extend_from_slice(state);
    out
}
