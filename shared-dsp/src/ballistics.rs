//! Attack/release smoothing of gain reduction in dB, with an optional program-dependent release.

use crate::units::one_pole_coefficient;

/// Attack and release of the gain reduction, applied in the log domain after the gain computer
/// (the "smooth branching" detector of Giannoulis, Massberg & Reiss, JAES 2012, eq. 17).
///
/// # Time constants
/// `attack_ms` and `release_ms` are time constants `tau`: after a step in the target gain reduction
/// the smoothed value has covered `1 - 1/e` (63.2%) of the step after `tau`, and 99% after `4.6 tau`.
///
/// # Auto release (program dependent)
/// With `auto_release` on, two stages run in parallel and the larger reduction wins:
/// - a fast stage with the set attack and a release of `release_ms / 5`, which recovers quickly after
///   short transients;
/// - a slow stage that charges with time constant `release_ms` and releases with `release_ms`, so it
///   only builds up under sustained reduction, and then holds the release slow.
///
/// Short peaks therefore release five times faster than the set time, while sustained compression
/// releases at the set time, avoiding both pumping and distortion.
#[derive(Debug, Clone, Copy)]
pub struct Ballistics {
    sample_rate_hz: f32,
    attack_ms: f32,
    release_ms: f32,
    auto_release: bool,
    /// Pole of the attack branch.
    attack_coef: f64,
    /// Pole of the release branch (manual, or auto's slow stage).
    release_coef: f64,
    /// Pole of auto release's fast release branch.
    fast_release_coef: f64,
    /// Smoothed gain reduction in dB (manual mode, or auto's fast stage); f64 so long time
    /// constants converge all the way.
    state_db: f64,
    /// Auto release's slow stage in dB.
    slow_state_db: f64,
}

impl Ballistics {
    /// Divisor of the release time for auto release's fast stage.
    pub const AUTO_FAST_DIVISOR: f32 = 5.0;

    /// Creates the smoother at a sample rate in Hz with time constants in ms.
    pub fn new(sample_rate_hz: f32, attack_ms: f32, release_ms: f32, auto_release: bool) -> Self {
        let mut b = Self {
            sample_rate_hz,
            attack_ms,
            release_ms,
            auto_release,
            attack_coef: 0.0,
            release_coef: 0.0,
            fast_release_coef: 0.0,
            state_db: 0.0,
            slow_state_db: 0.0,
        };
        b.update_coefficients();
        b
    }

    /// Sets the time constants in ms and the auto-release switch. Cheap to call every block: the
    /// coefficients are only recomputed when a value changed.
    pub fn set_times(&mut self, attack_ms: f32, release_ms: f32, auto_release: bool) {
        if attack_ms != self.attack_ms || release_ms != self.release_ms || auto_release != self.auto_release {
            self.attack_ms = attack_ms;
            self.release_ms = release_ms;
            if auto_release && !self.auto_release {
                self.slow_state_db = 0.0;
            }
            self.auto_release = auto_release;
            self.update_coefficients();
        }
    }

    fn update_coefficients(&mut self) {
        self.attack_coef = one_pole_coefficient(self.attack_ms, self.sample_rate_hz);
        self.release_coef = one_pole_coefficient(self.release_ms, self.sample_rate_hz);
        self.fast_release_coef =
            one_pole_coefficient(self.release_ms / Self::AUTO_FAST_DIVISOR, self.sample_rate_hz);
    }

    /// Smooths one target gain reduction in dB (`>= 0`) and returns the smoothed reduction in dB.
    #[inline]
    pub fn tick(&mut self, target_db: f32) -> f32 {
        let target = target_db as f64;
        if self.auto_release {
            self.state_db = branch(self.state_db, target, self.attack_coef, self.fast_release_coef);
            // The slow stage charges and discharges with the set release time.
            self.slow_state_db = target + self.release_coef * (self.slow_state_db - target);
            self.state_db.max(self.slow_state_db) as f32
        } else {
            self.state_db = branch(self.state_db, target, self.attack_coef, self.release_coef);
            self.state_db as f32
        }
    }

    /// Block form: smooths target reductions in place.
    pub fn process(&mut self, gain_reduction_db: &mut [f32]) {
        for gr in gain_reduction_db {
            *gr = self.tick(*gr);
        }
    }
}

/// One step of a branching one-pole: attack pole when rising, release pole when falling.
#[inline]
fn branch(state: f64, target: f64, attack_coef: f64, release_coef: f64) -> f64 {
    let coef = if target > state { attack_coef } else { release_coef };
    target + coef * (state - target)
}

impl crate::DspUnit for Ballistics {
    fn set_sample_rate(&mut self, sample_rate_hz: f32) {
        self.sample_rate_hz = sample_rate_hz;
        self.update_coefficients();
    }
    fn reset(&mut self) {
        self.state_db = 0.0;
        self.slow_state_db = 0.0;
    }
}
