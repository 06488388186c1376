//! Driving plugins that have only a main audio input (the de-esser, the transient clipper).

use clap_host::{AudioPorts, AudioPortsConfig, ParamChange, PluginInstance, PortInput};

/// `new()` with `numbers` (display units) and `texts` set, activated at `sr` Hz for blocks up to
/// `max_block` samples.
pub fn activated_with(
    new: fn() -> PluginInstance,
    numbers: &[(&str, f64)],
    texts: &[(&str, &str)],
    sr: f64,
    max_block: u32,
) -> PluginInstance {
    let mut plugin = super::with_settings(new, numbers, texts);
    plugin
        .activate(sr, max_block)
        .unwrap_or_else(|e| panic!("activate at {sr} Hz: {e}"));
    plugin
}

/// Renders `input` through the main port.
pub fn process(plugin: &mut PluginInstance, input: &[Vec<f32>], parts: &[usize]) -> Vec<Vec<f32>> {
    process_with(plugin, input, parts, &[])
}

/// Renders `input` through the main port with the parameter `changes`.
pub fn process_with(
    plugin: &mut PluginInstance,
    input: &[Vec<f32>],
    parts: &[usize],
    changes: &[ParamChange],
) -> Vec<Vec<f32>> {
    plugin
        .render_with(PortInput::Audio(input), PortInput::Silent, parts, changes)
        .unwrap_or_else(|e| panic!("render: {e}"))
}

/// The first `len` frames of `signal`.
pub fn head(signal: &[Vec<f32>], len: usize) -> Vec<Vec<f32>> {
    signal.iter().map(|c| c[..len].to_vec()).collect()
}

/// Asserts `plugin` (in its default layout) has one main stereo input and one main stereo output
/// named "Output", and no sidechain or other aux input. Returns the ports.
pub fn assert_main_only_stereo_ports(plugin: &PluginInstance) -> AudioPorts {
    let ports = plugin.audio_ports().unwrap();
    println!("ports: {ports:#?}");
    assert_eq!(
        ports.inputs.len(),
        1,
        "expected only the main input (no sidechain), got {ports:?}"
    );
    assert_eq!(ports.outputs.len(), 1, "expected one output, got {ports:?}");
    assert!(ports.aux_inputs().is_empty(), "aux inputs {ports:?}");
    let (main_in, out) = (&ports.inputs[0], &ports.outputs[0]);
    assert!(
        main_in.is_main(),
        "input 0 is not flagged main: {main_in:?}"
    );
    assert!(out.is_main(), "output 0 is not flagged main: {out:?}");
    assert_eq!(
        (main_in.channel_count, out.channel_count),
        (2, 2),
        "{ports:?}"
    );
    assert_eq!(
        out.name, "Output",
        "main output name (nice-plug defect 3 names it \"Input\")"
    );
    assert!(!main_in.name.is_empty(), "unnamed main input {main_in:?}");
    for port in [main_in, out] {
        assert_eq!(port.port_type.as_deref(), Some("stereo"), "{port:?}");
    }
    ports
}

/// Asserts `plugin` offers exactly two layouts of one main input and output, "Stereo" (first, the
/// default) and "Mono", then selects the mono one and asserts its ports: one mono channel in and
/// out, the output named "Output", no aux input. Returns the layouts.
pub fn select_the_mono_layout(plugin: &mut PluginInstance) -> Vec<AudioPortsConfig> {
    assert!(
        plugin.has_audio_ports_config(),
        "no clap.audio-ports-config: hosts cannot pick the mono layout"
    );
    let configs = plugin.audio_ports_configs().unwrap();
    println!("audio-ports-config: {configs:#?}");
    assert_eq!(
        configs.len(),
        2,
        "expected exactly the stereo and mono layouts: {configs:#?}"
    );
    for (c, channels, kind) in [(&configs[0], 2, "stereo"), (&configs[1], 1, "mono")] {
        assert_eq!(
            (c.input_port_count, c.output_port_count),
            (1, 1),
            "no aux ports expected: {c:?}"
        );
        assert_eq!(c.main_input_channels, Some(channels), "{c:?}");
        assert_eq!(c.main_output_channels, Some(channels), "{c:?}");
        assert_eq!(c.main_input_port_type.as_deref(), Some(kind), "{c:?}");
        assert_eq!(c.main_output_port_type.as_deref(), Some(kind), "{c:?}");
    }
    assert_eq!(configs[0].name, "Stereo", "the default (first) layout");
    assert_eq!(configs[1].name, "Mono");

    plugin.select_audio_ports_config(configs[1].id).unwrap();
    let ports = plugin.audio_ports().unwrap();
    assert_eq!(
        (ports.inputs.len(), ports.outputs.len()),
        (1, 1),
        "mono layout ports {ports:?}"
    );
    assert!(ports.aux_inputs().is_empty(), "{ports:?}");
    assert_eq!(
        (
            ports.inputs[0].channel_count,
            ports.outputs[0].channel_count
        ),
        (1, 1),
        "{ports:?}"
    );
    assert_eq!(ports.outputs[0].name, "Output", "{ports:?}");
    assert_eq!(
        ports.outputs[0].port_type.as_deref(),
        Some("mono"),
        "{ports:?}"
    );
    configs
}

/// Deactivates `plugin`, selects the stereo layout (the first of `configs`) again and asserts two
/// channels in and out.
pub fn back_to_the_stereo_layout(plugin: &mut PluginInstance, configs: &[AudioPortsConfig]) {
    plugin.deactivate();
    plugin.select_audio_ports_config(configs[0].id).unwrap();
    let ports = plugin.audio_ports().unwrap();
    assert_eq!(
        (
            ports.inputs[0].channel_count,
            ports.outputs[0].channel_count
        ),
        (2, 2),
        "{ports:?}"
    );
}

/// Activates `mono` (set to the mono layout) at `sr` Hz for blocks up to `max_block`, renders the
/// one channel `left` through it, and renders that channel twice through `stereo` (active, stereo
/// layout). Asserts one finite output channel and the same latency in both layouts; returns the
/// mono output, the latency and the largest difference between the mono output and either stereo
/// output channel.
pub fn mono_vs_dual_mono(
    mono: &mut PluginInstance,
    stereo: &mut PluginInstance,
    left: &[Vec<f32>],
    parts: &[usize],
    sr: f64,
    max_block: u32,
) -> (Vec<Vec<f32>>, usize, f64) {
    mono.activate(sr, max_block).unwrap();
    let latency = mono.latency().unwrap() as usize;
    let out_mono = process(mono, left, parts);
    assert_eq!(
        out_mono.len(),
        1,
        "mono layout rendered {} channels",
        out_mono.len()
    );
    assert!(super::first_non_finite(&out_mono).is_none());
    assert_eq!(
        stereo.latency().unwrap() as usize,
        latency,
        "latency differs between layouts"
    );
    let out = process(stereo, &[left[0].clone(), left[0].clone()], parts);
    let diff =
        super::max_abs_diff(&out_mono, &out[..1]).max(super::max_abs_diff(&out_mono, &out[1..]));
    (out_mono, latency, diff)
}
