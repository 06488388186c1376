//! Driving plugins with a main input and a sidechain (the bus and stem compressors): rendering with a
//! key, choosing a layout by channel count, and the stem-sum measurement.

use clap_host::{AudioPortsConfig, ParamChange, PluginInstance, PortInput};

/// `channels` channels of zeros.
pub fn zeros(channels: usize, len: usize) -> Vec<Vec<f32>> {
    vec![vec![0.0; len]; channels]
}

/// Renders `main` with `key` on the sidechain and the parameter `changes`; fails the test on error.
pub fn render_keyed(
    plugin: &mut PluginInstance,
    main: &[Vec<f32>],
    key: PortInput<'_>,
    parts: &[usize],
    changes: &[ParamChange],
) -> Vec<Vec<f32>> {
    plugin
        .render_with(PortInput::Audio(main), key, parts, changes)
        .unwrap_or_else(|e| panic!("render: {e}"))
}

/// Selects the layout of `plugin` (inactive) whose main input and output have `channels` channels,
/// and asserts the ports it then declares: one main input and output and one aux input (the
/// sidechain), all with `channels` channels. Returns the layout.
pub fn select_keyed_layout(plugin: &mut PluginInstance, channels: u32) -> AudioPortsConfig {
    let configs = plugin.audio_ports_configs().unwrap();
    let config = configs
        .iter()
        .find(|c| {
            c.main_input_channels == Some(channels) && c.main_output_channels == Some(channels)
        })
        .unwrap_or_else(|| panic!("no {channels}-channel layout among {configs:#?}"))
        .clone();
    plugin.select_audio_ports_config(config.id).unwrap();
    let ports = plugin.audio_ports().unwrap();
    let aux = ports.aux_inputs();
    assert_eq!(
        (ports.inputs.len(), ports.outputs.len(), aux.len()),
        (2, 1, 1),
        "{config:?}: {ports:#?}"
    );
    let counts = [
        ports.inputs[ports.main_input().unwrap()].channel_count,
        ports.inputs[aux[0]].channel_count,
        ports.outputs[ports.main_output().unwrap()].channel_count,
    ];
    assert_eq!(
        counts, [channels; 3],
        "main in, sidechain, main out of {config:?}: {ports:#?}"
    );
    config
}

/// Adds `signal` into `acc` sample by sample.
pub fn add_into(acc: &mut [Vec<f32>], signal: &[Vec<f32>]) {
    for (a, s) in acc.iter_mut().zip(signal) {
        for (x, y) in a.iter_mut().zip(s) {
            *x += *y;
        }
    }
}

/// What [`stem_sum`] measured.
#[derive(Debug, Clone, Copy)]
pub struct StemSum {
    /// Largest absolute difference between the sum of the processed stems and the processed mix.
    pub residual: f64,
    /// Level of the processed mix relative to the mix, latency compensated (dB).
    pub mix_change_db: f64,
    /// The latency every instance reported.
    pub latency: usize,
}

/// Processes `mix` and each of `stems` through its own instance made by `make()` (active), each with
/// `mix` on the sidechain and its own partition `parts(i)` (`i` = 0 for the mix, 1.. for the stems),
/// and compares the sum of the processed stems with the processed mix. Fails the test on non-finite
/// output or instances that disagree on the latency.
pub fn stem_sum(
    make: impl Fn() -> PluginInstance,
    stems: &[Vec<Vec<f32>>],
    mix: &[Vec<f32>],
    parts: impl Fn(usize) -> Vec<usize>,
) -> StemSum {
    let len = mix[0].len();
    let mut mix_plugin = make();
    let latency = mix_plugin.latency().unwrap() as usize;
    let mix_out = render_keyed(&mut mix_plugin, mix, PortInput::Audio(mix), &parts(0), &[]);
    assert!(
        super::first_non_finite(&mix_out).is_none(),
        "non-finite processed mix"
    );
    let mut sum = zeros(mix.len(), len);
    for (i, stem) in stems.iter().enumerate() {
        // A separate instance per stem, as in a DAW session.
        let mut plugin = make();
        assert_eq!(
            plugin.latency().unwrap() as usize,
            latency,
            "stem {i}: latency"
        );
        let out = render_keyed(&mut plugin, stem, PortInput::Audio(mix), &parts(i + 1), &[]);
        assert!(
            super::first_non_finite(&out).is_none(),
            "stem {i}: non-finite output"
        );
        add_into(&mut sum, &out);
    }
    StemSum {
        residual: super::max_abs_diff(&sum, &mix_out),
        mix_change_db: super::db(
            super::rms(&mix_out, latency..len) / super::rms(mix, 0..len - latency),
        ),
        latency,
    }
}
