//! Audio port layouts shared by the plugins: main only (stereo, mono) and main with a sidechain.

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

// NOTE: nice-plug 0.4.2's VST3 wrapper matches aux port i against the host's bus i instead of i + 1,
// and dereferences null sidechain pointers for other layouts, so a sidechain always has the main
// port's channel count (see README, "Known limits").

/// Stereo main in/out and a stereo `Sidechain` input.
pub const STEREO_SIDECHAIN: AudioIOLayout = AudioIOLayout {
    main_input_channels: NonZeroU32::new(2),
    main_output_channels: NonZeroU32::new(2),
    aux_input_ports: &[new_nonzero_u32(2)],
    aux_output_ports: &[],
    names: PortNames {
        layout: Some("Stereo"),
        main_input: None,
        main_output: Some("Output"),
        aux_inputs: &["Sidechain"],
        aux_outputs: &[],
    },
};

/// 5.1 (L R C LFE Ls Rs) main in/out and a 5.1 `Sidechain` input.
pub const SURROUND_51_SIDECHAIN: AudioIOLayout = AudioIOLayout {
    main_input_channels: NonZeroU32::new(6),
    main_output_channels: NonZeroU32::new(6),
    aux_input_ports: &[new_nonzero_u32(6)],
    aux_output_ports: &[],
    names: PortNames {
        layout: Some("5.1"),
        main_input: None,
        main_output: Some("Output"),
        aux_inputs: &["Sidechain"],
        aux_outputs: &[],
    },
};
