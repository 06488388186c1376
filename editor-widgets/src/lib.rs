//! Editor widgets shared by every plugin of the suite: meters, gain-reduction history, transfer
//! curves, spectrum analyser, clipper scope, and the lock-free meter, sample and peak-column
//! hand-offs between the audio thread and the editor. Also the plugin glue they all share: the editor
//! window and its persisted size, port layouts, reporting latency to the host, and presets (factory
//! files, user files and the preset menu).

pub mod band_meter_bus;
pub mod band_view;
pub mod clip_scope;
pub mod clip_transfer;
pub mod editor_shell;
pub mod editor_window;
pub mod factory_presets;
pub mod gr_history;
pub mod io_layouts;
pub mod latency_report;
pub mod layout;
pub mod level_meter;
pub mod meter_bus;
pub mod param_buttons;
pub mod param_kinds;
pub mod peak_columns;
pub mod preset_menu;
pub mod presets;
pub mod sample_ring;
pub mod spectrum;
pub mod state_version;
pub mod spectrum_view;
#[cfg(test)]
mod test_shapes;
pub mod theme;
pub mod transfer_curve;

pub use band_meter_bus::BandMeterBus;
pub use band_view::BandView;
pub use clip_scope::ClipScope;
pub use clip_transfer::ClipTransfer;
pub use editor_shell::{create_shell, EditorPanel, EditorShell};
pub use editor_window::{EditorSize, WindowSpec};
pub use gr_history::GainReductionHistory;
pub use latency_report::LatencyReport;
pub use level_meter::{LevelMeter, MeterBallistics};
pub use meter_bus::DynamicsMeterBus;
pub use peak_columns::PeakColumns;
pub use preset_menu::PresetMenu;
pub use sample_ring::SampleRing;
pub use spectrum::SpectrumAnalyser;
pub use spectrum_view::{BandOverlay, SpectrumTrace, SpectrumView, SpectrumViewResponse};
pub use transfer_curve::TransferCurve;
