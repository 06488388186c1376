//! Shared code of the fuzz targets in `fuzz_targets/`: which plugins to load, how fuzz input bytes
//! become plugin settings and audio, and the seed inputs written for the corpus.
//!
//! Run through `cargo xtask fuzz` (stable toolchain, coverage-instrumented plugins) or, with nightly
//! and cargo-fuzz installed, `cargo fuzz run <target>` (then the release bundles in
//! `target/bundled` are loaded, without coverage inside the plugins).

pub mod bytes;
pub mod plugins;
pub mod seeds;
pub mod signal;
pub mod state_input;
pub mod values;
