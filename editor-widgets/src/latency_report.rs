//! Telling the host about a new latency the way each plugin format allows.

use nice_plug::prelude::*;

use crate::DynamicsMeterBus;

/// The latency the host was last told, and how to tell it about a change found while processing.
///
/// CLAP allows a latency change only inside `activate` (`clap/ext/latency.h`): a plugin that is
/// active asks for a restart and reports the new value when it is activated again. nice-plug 0.4.2
/// turns a `set_latency_samples` call in `process` into a main-thread task, and when the host
/// deactivates the plugin before that task runs, the task calls `clap_host_latency.changed()` outside
/// `activate` (clap-validator's parameter tests fail on exactly this). So for CLAP a change found in
/// `process` only requests a restart, once, and [`Self::activate`] reports the value inside `activate`.
/// For VST3 `set_latency_samples` from `process` becomes `restartComponent(kLatencyChanged)`, which
/// hosts accept there, so it stays.
///
/// The editor's meter bus always gets the latency the audio has now, whatever the host knows.
#[derive(Debug, Default, Clone, Copy)]
pub struct LatencyReport {
    /// Latency the host was last told, in samples.
    reported_samples: u32,
    /// A CLAP restart was requested and has not happened yet.
    restart_requested: bool,
    /// Latency of the audio as last seen, in samples.
    dsp_samples: u32,
    /// Sample rate of the current activation, Hz.
    sample_rate_hz: f32,
}

impl LatencyReport {
    /// Reports `latency_samples` from `activate` (every format allows it there), shows it on `meters`
    /// and starts the meters' count of replaced bad samples afresh.
    pub fn activate<P: Plugin>(
        &mut self,
        context: &mut impl ActivateContext<P>,
        meters: &DynamicsMeterBus,
        latency_samples: u32,
        sample_rate_hz: f32,
    ) {
        *self = Self { reported_samples: latency_samples, restart_requested: false, dsp_samples: latency_samples, sample_rate_hz };
        context.set_latency_samples(latency_samples);
        meters.set_latency(latency_samples, sample_rate_hz);
        meters.reset_bad_samples();
    }

    /// Call once per `process` with the latency the DSP now has. Never allocates.
    pub fn process<P: Plugin>(&mut self, context: &mut impl ProcessContext<P>, meters: &DynamicsMeterBus, latency_samples: u32) {
        if latency_samples != self.dsp_samples {
            self.dsp_samples = latency_samples;
            meters.set_latency(latency_samples, self.sample_rate_hz);
        }
        if latency_samples == self.reported_samples {
            return;
        }
        match context.plugin_api() {
            PluginApi::Clap => {
                if !self.restart_requested {
                    self.restart_requested = true;
                    context.request_restart();
                }
            }
            PluginApi::Vst3 | PluginApi::Standalone => {
                self.reported_samples = latency_samples;
                context.set_latency_samples(latency_samples);
            }
        }
    }

    /// Latency the host was last told, in samples.
    pub fn reported_samples(&self) -> u32 {
        self.reported_samples
    }
}
