//! Framework-free DSP units for the stem suite: detectors, gain computer, filters, delays, smoothing,
//! and the processors built from them (compressor, stem compressor with Unmask, de-esser, transient
//! clipper, stem null check).
//!
//! Nothing here knows about a plugin framework. Every unit implements [`DspUnit`] (sample rate, reset,
//! latency) and offers a block `process*` method. Units allocate only in `new` or `set_sample_rate`.

pub mod adaa;
pub mod aliasing;
pub mod ballistics;
pub mod biquad;
pub mod channel_mode;
pub mod clip_curve;
pub mod clipper;
pub mod compressor;
pub mod cross_correlator;
pub mod deesser;
pub mod delay;
pub mod denormal;
pub mod detector;
pub mod fir_design;
pub mod gain_computer;
pub mod key_weighting;
pub mod null_check;
pub mod null_levels;
pub mod null_verdict;
pub mod output_stage;
pub mod oversampler;
pub mod peak_hold;
pub mod sanitize;
pub mod sibilance_band;
pub mod smoother;
pub mod spectral_bands;
pub mod stem_compressor;
pub mod stem_profile;
pub mod stereo_link;
pub mod stft;
pub mod transient_mask;
pub mod unit;
pub mod units;
pub mod unmask;

pub use unit::DspUnit;

/// The most channels any unit processes (7.1), sized up front so nothing allocates per block.
pub const MAX_CHANNELS: usize = 8;
