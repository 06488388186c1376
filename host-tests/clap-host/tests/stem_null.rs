//! Stem Null Check through the built .clap: the four cases on the test song (read back from
//! the measurement the plugin saves in its state), the three outputs, no latency, an unconnected
//! sidechain, and its settings surviving a state round trip.

mod common;

use clap_host::{blocks, PluginInstance, PortInput};
use common::*;

const ID: &str = STEM_NULL_CHECK_ID;
const SR: f64 = 48_000.0;

fn null_check() -> PluginInstance {
    bundle_offering(ID).create(ID).expect("create the Stem Null Check")
}

/// The four stems summed in f32, as a stem bus does.
fn stem_bus() -> Vec<Vec<f32>> {
    let mut sum = silence(stereo_stem("mix", SR, 1)[0].len());
    for name in ["drums", "bass", "keys", "vocals"] {
        keyed::add_into(&mut sum, &stereo_stem(name, SR, 1));
    }
    sum
}

/// `signal` shifted by `d` samples (positive: later), same length.
fn shifted(signal: &[Vec<f32>], d: i64) -> Vec<Vec<f32>> {
    signal
        .iter()
        .map(|c| (0..c.len() as i64).map(|i| c.get((i - d) as usize).copied().unwrap_or(0.0)).collect())
        .collect()
}

fn scaled(signal: &[Vec<f32>], g: f32) -> Vec<Vec<f32>> {
    signal.iter().map(|c| c.iter().map(|x| x * g).collect()).collect()
}

/// The measurement the plugin saved in its state, as `(key, value)` from the state's `fields`.
struct Saved(serde_json::Value);

impl Saved {
    fn read(plugin: &mut PluginInstance) -> Self {
        let state = plugin.save_state().expect("save state");
        let json: serde_json::Value =
            serde_json::from_str(&state_checks::state_json(&state)).expect("the state is JSON");
        Self(json["fields"].clone())
    }
    fn number(&self, key: &str) -> f64 {
        let text = self.0[key].as_str().unwrap_or_else(|| panic!("no field {key} in {}", self.0));
        text.parse().unwrap_or_else(|e| panic!("{key} = {text}: {e}"))
    }
}

/// Runs `stems` with `reference` on the sidechain through a fresh instance (blocks of 512, Output
/// as given) and returns the output and the saved measurement.
fn check(stems: &[Vec<f32>], reference: &[Vec<f32>], output: &str) -> (Vec<Vec<f32>>, Saved) {
    let mut plugin = null_check();
    set_params(&mut plugin, &[], &[("Output", output)]);
    plugin.activate(SR, 512).unwrap();
    assert_eq!(plugin.latency().unwrap(), 0, "a null check adds no latency");
    let out = plugin.render(stems, reference, &blocks::fixed(stems[0].len(), 512)).unwrap();
    assert!(first_non_finite(&out).is_none());
    let saved = Saved::read(&mut plugin);
    (out, saved)
}

#[test]
fn the_stems_null_against_the_mix() {
    let mix = stereo_stem("mix", SR, 1);
    let (out, saved) = check(&stem_bus(), &mix, "Difference");
    let residual = saved.number("null-difference-rms-dbfs") - saved.number("null-reference-rms-dbfs");
    eprintln!("stems vs mix: residual {residual:.1} dB relative; difference output peak {:.1} dBFS", db(max_abs_diff(&out, &silence(out[0].len()))));
    assert!(residual < -120.0, "residual {residual} dB");
    assert!(max_abs_diff(&out, &silence(out[0].len())) < 1e-6, "the Difference output is silent");
    assert_eq!(saved.number("null-offset-samples"), 0.0);
    assert!(saved.number("null-correlation") > 0.999);
}

#[test]
fn stems_late_by_128_samples_report_128() {
    let (_, saved) = check(&shifted(&stem_bus(), 128), &stereo_stem("mix", SR, 1), "Stems");
    eprintln!("late stems: offset {} samples, correlation {:.4}", saved.number("null-offset-samples"), saved.number("null-correlation"));
    assert_eq!(saved.0["null-aligned"], "true");
    assert_eq!(saved.number("null-offset-samples"), 128.0);
    assert!(saved.number("null-correlation") > 0.99);
}

#[test]
fn an_inverted_reference_reads_as_inverted() {
    let (_, saved) = check(&stem_bus(), &scaled(&stereo_stem("mix", SR, 1), -1.0), "Stems");
    eprintln!("inverted reference: correlation {:.4}", saved.number("null-correlation"));
    assert_eq!(saved.number("null-offset-samples"), 0.0);
    assert!(saved.number("null-correlation") < -0.999);
}

#[test]
fn a_reference_one_db_louder_reports_one_db() {
    let g = 10f32.powf(1.0 / 20.0);
    let (_, saved) = check(&stem_bus(), &scaled(&stereo_stem("mix", SR, 1), g), "Stems");
    let ratio = saved.number("null-level-ratio-db");
    eprintln!("reference +1 dB: level ratio {ratio:.3} dB");
    assert!((ratio - 1.0).abs() < 0.005, "{ratio}");
}

#[test]
fn the_outputs_are_stems_reference_and_difference() {
    let stems = stereo_stem("drums", SR, 1);
    let reference = stereo_stem("keys", SR, 1);
    let difference: Vec<Vec<f32>> =
        stems.iter().zip(&reference).map(|(s, r)| s.iter().zip(r).map(|(a, b)| a - b).collect()).collect();
    for (output, want) in [("Stems", &stems), ("Reference", &reference), ("Difference", &difference)] {
        let (out, _) = check(&stems, &reference, output);
        assert_eq!(max_abs_diff(&out, want), 0.0, "Output {output}");
    }
    // Bypass passes the stems whatever the Output says.
    let mut plugin = null_check();
    set_params(&mut plugin, &[], &[("Output", "Difference"), ("Bypass", "On")]);
    plugin.activate(SR, 512).unwrap();
    let out = plugin.render(&stems, &reference, &blocks::fixed(stems[0].len(), 512)).unwrap();
    assert_eq!(max_abs_diff(&out, &stems), 0.0, "bypass");
}

#[test]
fn an_unconnected_sidechain_reads_as_no_reference() {
    let stems = stereo_stem("drums", SR, 1);
    let mut plugin = null_check();
    set_params(&mut plugin, &[], &[("Output", "Difference")]);
    plugin.activate(SR, 512).unwrap();
    for unconnected in [PortInput::Silent, PortInput::NoChannels, PortInput::NullPointers] {
        let out = plugin
            .render_with(PortInput::Audio(&stems), unconnected, &blocks::fixed(stems[0].len(), 512), &[])
            .unwrap();
        assert_eq!(max_abs_diff(&out, &stems), 0.0, "stems minus silence ({unconnected:?})");
        let saved = Saved::read(&mut plugin);
        assert!(saved.number("null-reference-rms-dbfs") <= -200.0, "{unconnected:?}");
    }
}

#[test]
fn settings_survive_a_state_round_trip() {
    let mut a = null_check();
    set_params(&mut a, &[], &[("Output", "Reference"), ("Headroom", "-6 dBFS")]);
    let state = a.save_state().unwrap();
    let mut b = null_check();
    b.load_state(&state).unwrap();
    assert_eq!(b.param_text("Output").unwrap(), "Reference");
    assert_eq!(b.param_text("Headroom").unwrap(), "-6 dBFS");
}
