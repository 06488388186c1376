//! Editor widgets shared by every plugin of the suite: meters, gain-reduction history, transfer
//! curve, spectrum analyser, and the lock-free meter and sample hand-offs between the audio thread
//! and the editor.

pub mod gr_history;
pub mod layout;
pub mod level_meter;
pub mod meter_bus;
pub mod param_buttons;
pub mod sample_ring;
pub mod spectrum;
pub mod spectrum_view;
pub mod theme;
pub mod transfer_curve;

pub use gr_history::GainReductionHistory;
pub use level_meter::{LevelMeter, MeterBallistics};
pub use meter_bus::DynamicsMeterBus;
pub use sample_ring::SampleRing;
pub use spectrum::SpectrumAnalyser;
pub use spectrum_view::{BandOverlay, SpectrumTrace, SpectrumView, SpectrumViewResponse};
pub use transfer_curve::TransferCurve;
