//! The headless stem-session renderer on the built bundles: the example session renders, nulls
//! and lines up where it says it does, its plots decode, its summary lists every instance; a
//! mis-set instance fails the stem-sum check; presets apply like the same explicit values; and
//! sessions naming unknown plugins, parameters, presets or out-of-range values are refused before
//! anything renders.

mod common;

use std::path::{Path, PathBuf};

use clap_host::render::checks::Check;
use clap_host::render::session::ParamValue;
use clap_host::render::{plot, render, Options, Session, Summary, DEFAULT_BLOCK, PLOT_DIR};
use common::*;

/// A fresh output folder for one test.
fn out_dir(tag: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("clap-render-test-{tag}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    d
}

fn options(tag: &str, presets: &Path) -> Options {
    Options {
        bundles: bundled_dir(),
        presets: presets.to_path_buf(),
        out: Some(out_dir(tag)),
        block: DEFAULT_BLOCK,
        progress: false,
    }
}

fn example() -> Session {
    Session::load(workspace_root().join("sessions/example.toml")).unwrap_or_else(|e| panic!("{e}"))
}

fn no_presets() -> PathBuf {
    workspace_root().join("presets")
}

/// Width and height of a PNG file.
fn png_size(path: &Path) -> (u32, u32) {
    let file = std::fs::File::open(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let decoder = png::Decoder::new(std::io::BufReader::new(file));
    let mut reader = decoder.read_info().unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut buf = vec![0; reader.output_buffer_size().unwrap()];
    let info = reader.next_frame(&mut buf).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    (info.width, info.height)
}

#[test]
fn the_example_session_renders_nulls_and_lines_up() {
    let session = example();
    let summary: Summary = render(&session, &options("example", &no_presets())).unwrap_or_else(|e| panic!("{e}"));
    println!("{}", summary.to_markdown());

    // Every check the session declares holds: the stem-sum null, the neutral chain's null and the
    // alignment of the outputs with the inputs.
    assert!(summary.checks.iter().any(|c| c.check.starts_with("null sum vs mix")));
    assert!(summary.checks.iter().any(|c| c.check.starts_with("aligned")));
    for c in &summary.checks {
        assert!(c.passed, "{}: {}", c.check, c.detail);
    }
    assert_eq!(summary.checks.len(), session.checks.len());

    // Every instance appears, in the summary and in summary.md, with its plot.
    let expected: usize = session.stems.iter().map(|s| s.chain.len()).sum();
    assert_eq!(summary.instances.len(), expected);
    let text = std::fs::read_to_string(summary.out_dir.join("summary.md")).unwrap();
    // The stem column is as wide as the longest stem name (and its header).
    let w = summary.instances.iter().map(|r| r.stem.len()).max().unwrap_or(0).max("stem".len());
    for r in &summary.instances {
        let row = format!("| {:<w$} | {} | {}", r.stem, r.position, r.plugin);
        assert!(text.contains(&row), "summary.md lacks {row:?}\n{text}");
        assert_eq!(png_size(&r.plot), (plot::WIDTH, plot::HEIGHT), "{}", r.plot.display());
        assert!(r.plot.starts_with(summary.out_dir.join(PLOT_DIR)));
    }

    // The compressed stems really were compressed (the checks are not trivially true), and the
    // latency of the neutral chain was the sum of its two instances'.
    let drums = summary.instances.iter().find(|r| r.stem == "drums").unwrap();
    let (lo, _) = drums.gain_change_db.expect("drums measured");
    assert!(lo < -6.0, "drums reduced by only {lo} dB");
    let thru = summary.stems.iter().find(|s| s.name == "vocals-thru").unwrap();
    let parts: usize = summary.instances.iter().filter(|r| r.stem == "vocals-thru").map(|r| r.latency_samples).sum();
    assert!(parts > 0 && thru.chain_latency == parts, "chain latency {} vs {parts}", thru.chain_latency);

    // The files: every stem, the sum, same format as the inputs.
    for s in &summary.stems {
        let w = clap_host::wav::read(&s.output).unwrap();
        assert_eq!((w.sample_rate, w.channels.len(), w.len()), (48_000, 2, summary.format.frames), "{}", s.name);
    }
    assert_eq!(clap_host::wav::read(&summary.sum_file).unwrap().len(), summary.format.frames);
}

#[test]
fn a_mix_instance_with_another_threshold_breaks_the_stem_sum_null() {
    let mut session = example();
    let mix = session.stems.iter_mut().find(|s| s.name == "mix").expect("the example has a mix");
    for (name, value) in &mut mix.chain[0].params {
        if name == "Threshold" {
            *value = ParamValue::Number(-29.9);
        }
    }
    // Only what the null check needs.
    session.stems.retain(|s| s.name != "vocals-thru");
    session.checks.retain(|c| matches!(c, Check::Null { .. }) && c.to_string().starts_with("null sum vs mix"));
    let summary = render(&session, &options("broken", &no_presets())).unwrap_or_else(|e| panic!("{e}"));
    let null = &summary.checks[0];
    assert!(!null.passed, "a 0.1 dB threshold difference passed: {}", null.detail);
    assert!(null.residual_db.unwrap() > -60.0, "{}", null.detail);
    assert!(!summary.passed());
}

/// A session of the drum stem alone with one instance given by `plugin_toml` (the body of a
/// `[[stem.plugin]]` table), plus `extra` TOML.
fn drum_session(plugin_toml: &str, extra: &str) -> Result<Session, String> {
    let stems = workspace_root().join("testdata/stems-a");
    let text = format!(
        "[[stem]]\nname = \"drums\"\nfile = \"{}\"\n[[stem.plugin]]\n{plugin_toml}\n{extra}",
        stems.join("drums.wav").display()
    );
    Session::parse(&text, &stems)
}

/// The session error, which must come before any output is written.
fn refusal(tag: &str, plugin_toml: &str, presets: &Path) -> String {
    let session = drum_session(plugin_toml, "").unwrap_or_else(|e| panic!("{e}"));
    let opts = options(tag, presets);
    let e = render(&session, &opts).expect_err("the session should be refused");
    assert!(!opts.out.unwrap().exists(), "a refused session wrote output");
    e
}

fn mentions(e: &str, needles: &[&str]) {
    for n in needles {
        assert!(e.contains(n), "error {e:?} should mention {n:?}");
    }
}

#[test]
fn refuses_an_unknown_plugin_listing_the_plugins() {
    let e = refusal("unknown-plugin", "plugin = \"Stem Bus Compresor\"", &no_presets());
    mentions(&e, &["stem `drums`", "plugin #1", "unknown plugin `Stem Bus Compresor`", "\"Stem Bus Compressor\" (org.stemsuite.bus-compressor)"]);
}

#[test]
fn refuses_an_unknown_parameter_listing_the_names() {
    let e = refusal("unknown-param", "plugin = \"Stem Bus Compressor\"\nparams = { Thresold = -30.0 }", &no_presets());
    mentions(&e, &["stem `drums`", "`Stem Bus Compressor`", "unknown parameter `Thresold`", "\"Threshold\"", "\"Ratio\""]);
}

#[test]
fn refuses_out_of_range_values_naming_the_range() {
    let e = refusal("range", "plugin = \"Stem Bus Compressor\"\nparams = { Threshold = -80.0 }", &no_presets());
    mentions(&e, &["stem `drums`", "`Threshold` = -80 is out of range", "-60.0 dB .. 0.0 dB"]);
    let e = refusal("range-pct", "plugin = \"Stem Bus Compressor\"\nparams = { Mix = 150 }", &no_presets());
    mentions(&e, &["`Mix` = 150 is out of range", "0% .. 100%"]);
}

#[test]
fn refuses_text_a_parameter_does_not_know_listing_the_choices() {
    let e = refusal("text", "plugin = \"Stem Bus Compressor\"\nparams = { Key = \"Sidechain\" }", &no_presets());
    mentions(&e, &["`Key` = \"Sidechain\"", "\"Internal\", \"External\""]);
}

#[test]
fn refuses_a_key_for_a_plugin_without_sidechain() {
    let e = refusal("no-sidechain", "plugin = \"Stem De-Esser\"\nkey = \"sum\"", &no_presets());
    mentions(&e, &["Stem De-Esser", "no sidechain input"]);
}

/// A folder with a factory preset file for the bus compressor.
fn factory_presets(tag: &str) -> PathBuf {
    let d = out_dir(&format!("{tag}-presets"));
    std::fs::create_dir_all(&d).unwrap();
    std::fs::write(
        d.join("bus_compressor.json"),
        r#"{"format":"stem-suite-factory-presets","version":1,"plugin":"org.stemsuite.bus-compressor",
            "presets":[{"name":"Test Glue","values":{"thresh":-20.0,"ratio":4.0,"mix":0.5,"key":"External","lookahead":2.0}},
                       {"name":"Bad Id","values":{"threshold":-20.0}}]}"#,
    )
    .unwrap();
    d
}

#[test]
fn refuses_an_unknown_preset_listing_the_presets() {
    let presets = factory_presets("unknown-preset");
    let e = refusal("unknown-preset", "plugin = \"Stem Bus Compressor\"\npreset = \"Drums\"", &presets);
    mentions(&e, &["stem `drums`", "unknown factory preset `Drums`", "\"Test Glue\"", "\"Bad Id\""]);
    let e = refusal("bad-id", "plugin = \"Stem Bus Compressor\"\npreset = \"Bad Id\"", &presets);
    mentions(&e, &["factory preset `Bad Id`", "parameter id `threshold`"]);
}

#[test]
fn a_factory_preset_then_explicit_values_equal_the_same_values_given_explicitly() {
    let presets = factory_presets("preset");
    let check = "[[check]]\nnull = [\"drums\", \"file:{REF}\"]\nmax_residual_db = -200.0";
    // Reference: everything explicit, Threshold -30 overriding the preset's -20, Mix 50 % = 0.5.
    let explicit = drum_session(
        "plugin = \"Stem Bus Compressor\"\nkey = \"sum\"\nparams = { Threshold = -30.0, Ratio = 4.0, Mix = 50.0, Key = \"External\", Lookahead = 2.0 }",
        "",
    )
    .unwrap();
    let reference = render(&explicit, &options("preset-ref", &presets)).unwrap();
    let with_preset = drum_session(
        "plugin = \"org.stemsuite.bus-compressor\"\nkey = \"sum\"\npreset = \"Test Glue\"\nparams = { Threshold = -30.0 }",
        &check.replace("{REF}", &reference.stems[0].output.display().to_string()),
    )
    .unwrap();
    let summary = render(&with_preset, &options("preset", &presets)).unwrap_or_else(|e| panic!("{e}"));
    assert!(summary.passed(), "{}", summary.check_lines());
    assert_eq!(summary.instances[0].latency_samples, 96, "the preset's 2 ms lookahead");
    assert!(summary.instances[0].gain_change_db.unwrap().0 < -3.0, "the preset compresses");
}
