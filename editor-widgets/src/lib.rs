//! Editor widgets shared by every plugin of the suite: meters, gain-reduction history, transfer
//! curve, and the lock-free meter hand-off between the audio thread and the editor.

pub mod gr_history;
pub mod level_meter;
pub mod meter_bus;
pub mod param_buttons;
pub mod theme;
pub mod transfer_curve;

pub use gr_history::GainReductionHistory;
pub use level_meter::{LevelMeter, MeterBallistics};
pub use meter_bus::DynamicsMeterBus;
pub use transfer_curve::TransferCurve;
