//! Audio port layouts shared by the plugins without a sidechain.

use std::num::NonZeroU32;

use nice_plug::prelude::*;

/// One main input and output of `channels` channels, no aux ports. The main input stays unnamed:
/// nice-plug 0.4.2 would give its name to the output too.
const fn main_only(channels: u32, name: &'static str) -> AudioIOLayout {
    AudioIOLayout {
        main_input_channels: NonZeroU32::new(channels),
        main_output_channels: NonZeroU32::new(channels),
        aux_input_ports: &[],
        aux_output_ports: &[],
        names: PortNames {
            layout: Some(name),
            main_input: None,
            main_output: Some("Output"),
            aux_inputs: &[],
            aux_outputs: &[],
        },
    }
}

/// Stereo (the default), then mono. Without a sidechain nice-plug's aux-port defects do not apply.
pub const STEREO_OR_MONO: &[AudioIOLayout] = &[main_only(2, "Stereo"), main_only(1, "Mono")];
