//! Every bundle in target/bundled loads, lists plugins, and each plugin instantiates, declares
//! sane stereo ports (5.1 for a surround-only plugin), activates at common rates and renders finite
//! audio at odd block sizes.

mod common;

use clap_host::{blocks, ClapBundle, PortInput, Rng};
use common::*;

#[test]
fn every_bundle_loads_and_lists_plugins() {
    for path in clap_bundles() {
        let bundle = ClapBundle::load(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        assert!(
            !bundle.descriptors().is_empty(),
            "{} lists no plugins",
            path.display()
        );
        for d in bundle.descriptors() {
            assert!(
                !d.id.is_empty() && !d.name.is_empty(),
                "{}: empty id or name in {d:?}",
                path.display()
            );
            assert!(
                !d.vendor.is_empty(),
                "{}: plugin {} has no vendor",
                path.display(),
                d.id
            );
            assert!(
                !d.features.is_empty(),
                "{}: plugin {} declares no features",
                path.display(),
                d.id
            );
            let instance = bundle
                .create(&d.id)
                .unwrap_or_else(|e| panic!("{}: create {}: {e}", path.display(), d.id));
            assert_eq!(
                instance.descriptor().id,
                d.id,
                "instance descriptor differs from the factory's"
            );
        }
        // Loading the same file twice shares one init().
        let again = ClapBundle::load(&path).expect("second load");
        assert_eq!(again.descriptors(), bundle.descriptors());
    }
}

/// Every plugin's documented identity: CLAP id, name, bundle file name, and features it must
/// declare. All share the vendor [`VENDOR`].
const IDENTITIES: &[(&str, &str, &str, &[&str])] = &[
    (
        BUS_COMPRESSOR_ID,
        "Stem Bus Compressor",
        "Stem Bus Compressor.clap",
        &["audio-effect", "stereo", "compressor", "mixing", "mastering"],
    ),
    (
        DE_ESSER_ID,
        "Stem De-Esser",
        "Stem De-Esser.clap",
        &["audio-effect", "de-esser", "stereo", "mono", "mixing"],
    ),
    (
        TRANSIENT_CLIPPER_ID,
        "Stem Transient Clipper",
        "Stem Transient Clipper.clap",
        &[
            "audio-effect",
            "stereo",
            "mono",
            "distortion",
            "limiter",
            "transient-shaper",
            "mastering",
        ],
    ),
    (
        STEM_COMPRESSOR_ID,
        "Stem Compressor",
        "Stem Compressor.clap",
        &[
            "audio-effect",
            "stereo",
            "compressor",
            "mixing",
            "mastering",
        ],
    ),
    (
        STEM_COMPRESSOR_51_ID,
        "Stem Compressor 5.1",
        "Stem Compressor.clap",
        &[
            "audio-effect",
            "surround",
            "compressor",
            "mixing",
            "mastering",
        ],
    ),
    (
        STEM_NULL_CHECK_ID,
        "Stem Null Check",
        "Stem Null Check.clap",
        &["audio-effect", "analyzer", "utility", "stereo", "mastering"],
    ),
];

/// The vendor every plugin of the suite declares.
const VENDOR: &str = "Stem Suite";

/// Asserts the plugin `id` is bundled with its row of [`IDENTITIES`].
fn assert_documented_identity(id: &str) {
    let &(_, name, file, features) = IDENTITIES
        .iter()
        .find(|row| row.0 == id)
        .unwrap_or_else(|| panic!("{id} has no documented identity"));
    let bundle = bundle_offering(id);
    let d = bundle.descriptors().iter().find(|d| d.id == id).unwrap();
    assert_eq!(d.name, name);
    assert_eq!(d.vendor, VENDOR);
    for feature in features {
        assert!(
            d.features.iter().any(|f| f == feature),
            "feature {feature:?} missing from {:?}",
            d.features
        );
    }
    assert!(
        bundle.path().file_name().is_some_and(|n| n == file),
        "bundle file is {}",
        bundle.path().display()
    );
}

#[test]
fn bus_compressor_is_bundled_with_its_documented_identity() {
    assert_documented_identity(BUS_COMPRESSOR_ID);
}

#[test]
fn de_esser_is_bundled_with_its_documented_identity() {
    assert_documented_identity(DE_ESSER_ID);
}

#[test]
fn transient_clipper_is_bundled_with_its_documented_identity() {
    assert_documented_identity(TRANSIENT_CLIPPER_ID);
}

#[test]
fn stem_compressor_is_bundled_with_its_documented_identity() {
    assert_documented_identity(STEM_COMPRESSOR_ID);
}

#[test]
fn stem_null_check_is_bundled_with_its_documented_identity() {
    assert_documented_identity(STEM_NULL_CHECK_ID);
}

#[test]
fn stem_compressor_51_is_bundled_with_its_documented_identity() {
    assert_documented_identity(STEM_COMPRESSOR_51_ID);
}

#[test]
fn every_bundle_offers_a_different_plugin() {
    // Two bundles exporting the same id would make a DAW load the wrong plugin.
    let mut ids = Vec::new();
    for path in clap_bundles() {
        let bundle = ClapBundle::load(&path).unwrap();
        ids.extend(bundle.descriptors().iter().map(|d| d.id.clone()));
    }
    let mut unique = ids.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(
        unique.len(),
        ids.len(),
        "duplicate plugin ids across bundles: {ids:?}"
    );
    for id in IDENTITIES.iter().map(|row| row.0) {
        assert!(
            ids.iter().any(|i| i == id),
            "{id} is not bundled; found {ids:?}"
        );
    }
}

/// Main channels a plugin must declare: six for a surround-only plugin (5.1), two otherwise.
fn main_channels(d: &clap_host::PluginDescriptor) -> u32 {
    let has = |f: &str| d.features.iter().any(|x| x == f);
    if has("surround") && !has("stereo") {
        6
    } else {
        2
    }
}

#[test]
fn every_plugin_has_stereo_main_ports_and_a_properly_named_output() {
    for path in clap_bundles() {
        let bundle = ClapBundle::load(&path).unwrap();
        for d in bundle.descriptors() {
            let plugin = bundle.create(&d.id).unwrap();
            let channels = main_channels(d);
            let ports = plugin.audio_ports().unwrap();
            let main_in = ports
                .main_input()
                .unwrap_or_else(|| panic!("{}: no main input in {ports:?}", d.id));
            let main_out = ports
                .main_output()
                .unwrap_or_else(|| panic!("{}: no main output in {ports:?}", d.id));
            assert_eq!(main_in, 0, "{}: the main input should be port 0", d.id);
            assert_eq!(main_out, 0, "{}: the main output should be port 0", d.id);
            assert_eq!(
                ports.inputs[main_in].channel_count, channels,
                "{}: main input {:?}",
                d.id, ports.inputs[main_in]
            );
            assert_eq!(
                ports.outputs[main_out].channel_count, channels,
                "{}: main output {:?}",
                d.id, ports.outputs[main_out]
            );
            assert_eq!(
                ports.outputs.len(),
                1,
                "{}: unexpected extra outputs {ports:?}",
                d.id
            );
            for port in &ports.outputs {
                assert_ne!(
                    port.name, "Input",
                    "{}: an output port is named \"Input\" (nice-plug defect 3)",
                    d.id
                );
                assert!(!port.name.is_empty(), "{}: unnamed output port", d.id);
            }
            for port in &ports.inputs {
                assert!(!port.name.is_empty(), "{}: unnamed input port", d.id);
            }
        }
    }
}

#[test]
fn every_plugin_renders_finite_audio_at_common_rates_and_odd_blocks() {
    for path in clap_bundles() {
        let bundle = ClapBundle::load(&path).unwrap();
        for d in bundle.descriptors() {
            let mut plugin = bundle.create(&d.id).unwrap();
            let ports = plugin.audio_ports().unwrap();
            for (k, sr) in [44_100.0, 48_000.0, 88_200.0, 96_000.0]
                .into_iter()
                .enumerate()
            {
                plugin
                    .activate(sr, 4096)
                    .unwrap_or_else(|e| panic!("{}: activate at {sr}: {e}", d.id));
                let len = sr as usize / 2;
                let mut rng = Rng::new(k as u64 + 11);
                // As many channels as each input port declares.
                let noise: Vec<Vec<Vec<f32>>> = ports
                    .inputs
                    .iter()
                    .map(|port| {
                        (0..port.channel_count)
                            .map(|_| (0..len).map(|_| 0.5 * rng.bipolar()).collect())
                            .collect()
                    })
                    .collect();
                let inputs: Vec<PortInput> = noise.iter().map(|n| PortInput::Audio(n)).collect();
                let parts = blocks::random(len, 1, 4096, 99 + k as u64);
                let out = plugin
                    .render_ports(&inputs, &parts, &[])
                    .unwrap_or_else(|e| panic!("{}: render at {sr}: {e}", d.id));
                assert_eq!(out.len(), ports.outputs.len());
                for (p, port) in out.iter().enumerate() {
                    assert_eq!(port.len(), ports.outputs[p].channel_count as usize);
                    assert!(port.iter().all(|c| c.len() == len));
                    if let Some(bad) = first_non_finite(port) {
                        panic!("{}: non-finite output at {sr} Hz: {bad:?}", d.id);
                    }
                }
                assert!(
                    rms(&out[0], 0..len) > 1e-4,
                    "{}: silent output for noise input at {sr} Hz",
                    d.id
                );
                plugin.deactivate();
            }
        }
    }
}
