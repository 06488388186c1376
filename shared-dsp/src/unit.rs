//! The lifecycle every DSP unit shares: sample rate, reset, latency.

/// Lifecycle shared by every DSP unit in this crate.
///
/// Units also offer a block `process*` method whose signature fits what they do (audio in place, key to
/// gain, ...). Only `new` and `set_sample_rate` may allocate.
pub trait DspUnit {
    /// Prepare for a new sample rate in Hz. May allocate; never called from the audio thread.
    fn set_sample_rate(&mut self, sample_rate_hz: f32);
    /// Clear all signal state (filters, envelopes, delay lines) without allocating.
    fn reset(&mut self);
    /// The delay, in samples, this unit adds to the audio path.
    fn latency_samples(&self) -> usize {
        0
    }
}
