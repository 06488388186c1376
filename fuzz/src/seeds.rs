//! Seed inputs, written when `STEM_FUZZ_WRITE_SEEDS` names a directory: real states saved from
//! each plugin for `state_load`, and a few inputs per plugin for `dsp_params`. `cargo xtask fuzz`
//! writes them into its corpus directory on every run, so they follow the current plugins; the
//! copies in `fuzz/corpus/` were written the same way (see fuzz/README.md).

use std::path::{Path, PathBuf};

use clap_host::{PluginInstance, Rng};

use crate::plugins;
use crate::state_input;

/// Environment variable naming the directory to write seed inputs into.
pub const SEEDS_ENV: &str = "STEM_FUZZ_WRITE_SEEDS";

/// `$STEM_FUZZ_WRITE_SEEDS`, created, if set.
pub fn seed_dir() -> Option<PathBuf> {
    let dir = PathBuf::from(std::env::var_os(SEEDS_ENV).filter(|d| !d.is_empty())?);
    std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
    Some(dir)
}

fn write(dir: &Path, name: &str, bytes: &[u8]) {
    let path = dir.join(name);
    std::fs::write(&path, bytes).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
}

/// Sets every parameter to `pick(info)`, rounded to a whole step for stepped parameters.
fn set_all(plugin: &mut PluginInstance, pick: impl Fn(&clap_host::ParamInfo) -> f64) {
    for info in plugin.params().expect("params") {
        let v = pick(&info);
        let v = if info.is_stepped() { v.round() } else { v }.clamp(info.min, info.max);
        plugin
            .set_param(info.id, v)
            .unwrap_or_else(|e| panic!("setting `{}`: {e}", info.name));
    }
}

/// Puts a fresh instance into the settings of one seed.
type Setup = fn(&mut PluginInstance);

/// For each plugin, its state at the defaults, with every parameter at its minimum, its maximum,
/// and 37 % of its range (the last saved after activating and rendering, as a DAW session would).
pub fn write_state_seeds(dir: &Path) {
    for (index, plugin) in plugins::all().iter().enumerate() {
        let variants: [(&str, Setup); 4] = [
            ("default", |_| {}),
            ("min", |p| set_all(p, |i| i.min)),
            ("max", |p| set_all(p, |i| i.max)),
            ("mid", |p| {
                set_all(p, |i| i.min + 0.37 * (i.max - i.min));
                p.activate(48_000.0, 64).expect("activate");
                p.render_ports(&[], &[64], &[]).expect("render");
            }),
        ];
        for (name, setup) in variants {
            let mut instance = plugin.create();
            setup(&mut instance);
            let state = instance.save_state().expect("save_state");
            write(
                dir,
                &format!("{}-{name}", plugin.id),
                &state_input::encode(index, &state),
            );
        }
    }
}

/// For each plugin, pseudo-random inputs at 44.1 and 384 kHz (the rest of the bytes pick ports,
/// blocks, parameter changes and audio; see `fuzz_targets/dsp_params.rs`).
pub fn write_dsp_seeds(dir: &Path) {
    for (index, plugin) in plugins::all().iter().enumerate() {
        for (rate_index, rate_name) in [(1u8, "44100"), (7, "384000")] {
            let mut rng = Rng::new(index as u64 * 31 + rate_index as u64);
            let mut bytes: Vec<u8> = (0..1024).map(|_| rng.next_u64() as u8).collect();
            bytes[0] = index as u8;
            bytes[1] = rate_index;
            write(dir, &format!("{}-{rate_name}", plugin.id), &bytes);
        }
    }
}
