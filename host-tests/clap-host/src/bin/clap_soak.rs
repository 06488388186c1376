//! `clap-soak` (run by `cargo xtask soak [MINUTES]`): hours of offline processing per plugin with
//! random automation every block, checking for NaN/Inf output, heap growth and slowdown.
//!
//! For every plugin id in every bundle (the 5.1 variant included), MINUTES (default 60) of
//! deterministic, music-like audio at 48 kHz are generated one second at a time (drum hits with
//! pitched thumps and noise bursts, harmonic tones with envelopes, a filtered noise bed, sibilant
//! bursts, level changes from -36 dBFS to +6 dBFS, and stretches of digital silence), with a second,
//! differently seeded signal on the sidechain where the plugin has one. Blocks are mostly 512 frames,
//! with one in four of a random size below that.
//!
//! Automation. Every block, 0 to 6 randomly picked automatable, non-bypass parameters get a random
//! value (stepped ones a random step, continuous ones uniform, with either end of the range one time
//! in five) as a CLAP param event at a random offset inside the block (one pick in five sends two
//! events at different offsets). Parameters that change the
//! latency (found by probing: a change of them alone makes the plugin request a restart, e.g.
//! Lookahead, Mode, Resolution, Oversampling, Filter) are left out of that and instead change one
//! at a time every [`SCENE_SECONDS`] seconds: a DAW answers each such request by deactivating and
//! activating the plugin between blocks (this host does the same), so changing them every block
//! would turn the run into a restart loop instead of processing. At the start of every minute all
//! automatable parameters get a value at once, so each minute's settings depend on its seed only.
//!
//! Checks, per plugin:
//! * no NaN or infinite sample in the whole output;
//! * heap flat: the process heap in use (glibc `mallinfo2`, as clap-bench reads it) at the end is at
//!   most [`HEAP_TOLERANCE_BYTES`] above the heap after the first minute. The program runs itself
//!   with glibc's thread cache off ([`NO_TCACHE`]), which `mallinfo2` would count as in use: with it
//!   on, the reading crept by about 12 KiB an hour with nothing leaking;
//! * no slowdown: the last minute's ns/frame at most [`SLOWDOWN_LIMIT`] times the first minute's.
//!   Only time inside `process()` counts, per full 512-frame block; a one-second window's figure is
//!   the median of its blocks (a block the scheduler preempted is an outlier and drops out). The
//!   last minute replays the first minute's audio, blocks and automation (same seed), and a twin
//!   instance (created and activated at the start, idle until then) processes that same minute
//!   alongside, block for block, alternating which of the two goes first. Its figures are the "first
//!   minute": its first minute of audio, the same work at the same moment, so
//!   load from other processes on a shared machine hits both alike, and only the soaked instance's
//!   hour of history differs. The ratio is the median over the 60 seconds of soaked / fresh. The
//!   soaked instance's own first minute, an hour earlier, is reported too.
//!
//! The audio is fed one block per render call (the host's per-call buffers are allocated and freed
//! around each block), so the heap is read between blocks with nothing of the host's outstanding.
//! The twin exists from before the first reading to after the last, so its memory is in both.
//!
//! Usage: `clap-soak [--bundles DIR] [--minutes N] [--only ID-SUBSTRING] [--seed N]`.
//! Prints one Markdown table and exits with status 1 if any plugin fails.

use std::path::PathBuf;

use clap_host::heap::heap_in_use;
use clap_host::{ClapBundle, ParamChange, ParamInfo, PluginInstance, PortInput, Rng};

/// Sample rate, Hz.
const RATE_HZ: f64 = 48_000.0;
/// Frames per generated chunk: one second at [`RATE_HZ`].
const CHUNK_FRAMES: usize = 48_000;
/// Chunks (seconds) per minute.
const CHUNKS_PER_MINUTE: usize = 60;
/// Largest (and usual) block, frames; the activation's `max_frames`.
const BLOCK_FRAMES: usize = 512;
/// Seconds between two changes of a latency-changing parameter.
const SCENE_SECONDS: usize = 5;
/// Most non-latency parameters changed in one block.
const MAX_CHANGES_PER_BLOCK: usize = 6;
/// Random parameter states the latency probe tries.
const PROBE_TRIALS: usize = 12;
/// Allowed heap growth from the end of minute 1 to the end, bytes.
const HEAP_TOLERANCE_BYTES: i64 = 64 * 1024;
/// Allowed last-minute / first-minute ns/frame.
const SLOWDOWN_LIMIT: f64 = 1.10;
/// Default run length, minutes.
const DEFAULT_MINUTES: usize = 60;
/// Default seed of the whole run.
const DEFAULT_SEED: u64 = 0x50a4_2024_0007_0001;

/// The glibc tunable that turns off the per-thread cache of freed chunks. `mallinfo2` counts chunks
/// parked in that cache as in use, so with it on, the reading wanders by kilobytes as the host's
/// short-lived buffers of new sizes (random block lengths, event lists) get freed into it.
const NO_TCACHE: &str = "glibc.malloc.tcache_count=0";

/// Re-executes this program with [`NO_TCACHE`] in `GLIBC_TUNABLES` (read only at start-up) unless it
/// is there already. Returns only if it was there, or if the exec failed (then with a warning).
fn ensure_no_tcache() {
    use std::os::unix::process::CommandExt as _;
    let current = std::env::var("GLIBC_TUNABLES").unwrap_or_default();
    if current.split(':').any(|t| t == NO_TCACHE) {
        return;
    }
    let tunables = if current.is_empty() { NO_TCACHE.to_owned() } else { format!("{current}:{NO_TCACHE}") };
    let exe = match std::env::current_exe() {
        Ok(exe) => exe,
        Err(e) => return eprintln!("clap-soak: cannot find myself to turn glibc's tcache off ({e}); heap readings may wander"),
    };
    let e = std::process::Command::new(exe).args(std::env::args_os().skip(1)).env("GLIBC_TUNABLES", tunables).exec();
    eprintln!("clap-soak: could not re-run with {NO_TCACHE} ({e}); heap readings may wander");
}

/// Mixes two words into a seed (SplitMix64 finaliser), so related seeds give unrelated streams.
fn mix(a: u64, b: u64) -> u64 {
    Rng::new(a ^ b.wrapping_mul(0x9E37_79B9_7F4A_7C15)).next_u64()
}

/// One stereo "music" stream: drums, tones, a noise bed, sibilance, level sections and silences.
/// Deterministic from its seed; produces any number of frames in pieces.
struct Music {
    rng: Rng,
    /// Frames left in the current section.
    section_left: usize,
    /// Section gain target and its smoothed value, linear.
    gain: f32,
    gain_now: f32,
    /// The current section is digital silence.
    silent: bool,
    /// Frames per eighth note in this section, and frames until the next one.
    step_frames: usize,
    step_left: usize,
    /// Kick: phase in cycles, pitch in Hz (glides down), amplitude envelope and its per-frame decay.
    kick_phase: f32,
    kick_hz: f32,
    kick_env: f32,
    kick_decay: f32,
    /// Noise hit (snare or hat): envelope, per-frame decay, high-passed or not, pan 0..1.
    hit_env: f32,
    hit_decay: f32,
    hit_bright: bool,
    hit_pan: f32,
    /// Sibilant burst ("s"): envelope and per-frame decay.
    sib_env: f32,
    sib_decay: f32,
    /// Previous white-noise sample per channel, for the first-difference high-pass.
    prev_noise: [f32; 2],
    /// Tone: phase of three harmonics in cycles, pitch in Hz, envelope, its target, frames until
    /// release, pan 0..1.
    tone_phase: [f32; 3],
    tone_hz: f32,
    tone_env: f32,
    tone_target: f32,
    tone_left: usize,
    tone_pan: f32,
    /// Noise bed: one-pole low-pass state per channel, level, and its LFO phase in cycles.
    bed_lp: [f32; 2],
    bed_level: f32,
    bed_lfo: f32,
}

impl Music {
    fn new(seed: u64) -> Music {
        Music {
            rng: Rng::new(seed),
            section_left: 0,
            gain: 0.0,
            gain_now: 0.0,
            silent: false,
            step_frames: 12_000,
            step_left: 0,
            kick_phase: 0.0,
            kick_hz: 50.0,
            kick_env: 0.0,
            kick_decay: 0.9995,
            hit_env: 0.0,
            hit_decay: 0.999,
            hit_bright: false,
            hit_pan: 0.5,
            sib_env: 0.0,
            sib_decay: 0.9995,
            prev_noise: [0.0; 2],
            tone_phase: [0.0; 3],
            tone_hz: 220.0,
            tone_env: 0.0,
            tone_target: 0.0,
            tone_left: 0,
            tone_pan: 0.5,
            bed_lp: [0.0; 2],
            bed_level: 0.02,
            bed_lfo: 0.0,
        }
    }

    /// Uniform in `lo..hi`.
    fn uniform(&mut self, lo: f32, hi: f32) -> f32 {
        lo + (hi - lo) * self.rng.next_f64() as f32
    }

    /// Per-frame decay factor that falls by 60 dB in `seconds`.
    fn decay(seconds: f32) -> f32 {
        (-6.9078 / (seconds * RATE_HZ as f32)).exp()
    }

    /// Starts a section: 2 to 8 s of music at a random level and tempo, or (one time in twelve)
    /// 0.5 to 3 s of digital silence.
    fn new_section(&mut self) {
        self.silent = self.rng.range(0, 11) == 0;
        if self.silent {
            self.section_left = self.rng.range(CHUNK_FRAMES / 2, 3 * CHUNK_FRAMES);
            self.gain_now = 0.0;
            return;
        }
        self.section_left = self.rng.range(2 * CHUNK_FRAMES, 8 * CHUNK_FRAMES);
        // Mostly -24..-3 dBFS, sometimes quiet (-36) or hot (+6).
        let db = match self.rng.range(0, 9) {
            0 => self.uniform(-36.0, -24.0),
            1 => self.uniform(0.0, 6.0),
            _ => self.uniform(-24.0, -3.0),
        };
        self.gain = 10f32.powf(db / 20.0);
        let bpm = self.uniform(70.0, 170.0);
        self.step_frames = (RATE_HZ as f32 * 30.0 / bpm) as usize;
        self.step_left = 0;
        self.bed_level = self.uniform(0.0, 0.15);
    }

    /// What happens on an eighth note: maybe a kick, a noise hit, a sibilant, a new tone.
    fn on_step(&mut self) {
        let r = self.rng.next_f64();
        if r < 0.45 {
            self.kick_env = self.uniform(0.5, 1.0);
            self.kick_hz = self.uniform(120.0, 200.0);
            self.kick_decay = Music::decay(self.uniform(0.15, 0.6));
        }
        if self.rng.next_f64() < 0.5 {
            self.hit_env = self.uniform(0.2, 0.9);
            self.hit_decay = Music::decay(self.uniform(0.03, 0.3));
            self.hit_bright = self.rng.next_f64() < 0.5;
            self.hit_pan = self.uniform(0.2, 0.8);
        }
        if self.rng.next_f64() < 0.08 {
            self.sib_env = self.uniform(0.1, 0.6);
            self.sib_decay = Music::decay(self.uniform(0.08, 0.3));
        }
        if self.rng.next_f64() < 0.3 {
            // A note from A1 to A5 on a semitone grid.
            let semitone = self.rng.range(0, 48) as f32;
            self.tone_hz = 55.0 * 2f32.powf(semitone / 12.0);
            self.tone_target = self.uniform(0.1, 0.5);
            self.tone_left = self.rng.range(self.step_frames / 2, 8 * self.step_frames);
            self.tone_pan = self.uniform(0.1, 0.9);
        }
    }

    /// Writes the next `left.len()` frames into `left` and `right`.
    fn fill(&mut self, left: &mut [f32], right: &mut [f32]) {
        use std::f32::consts::TAU;
        let dt = 1.0 / RATE_HZ as f32;
        for (l, r) in left.iter_mut().zip(right.iter_mut()) {
            if self.section_left == 0 {
                self.new_section();
            }
            self.section_left -= 1;
            if self.silent {
                *l = 0.0;
                *r = 0.0;
                continue;
            }
            if self.step_left == 0 {
                self.step_left = self.step_frames;
                self.on_step();
            }
            self.step_left -= 1;

            let noise = [self.rng.bipolar(), self.rng.bipolar()];
            let bright = [noise[0] - self.prev_noise[0], noise[1] - self.prev_noise[1]];
            self.prev_noise = noise;

            // Kick: a sine gliding down to 45 Hz.
            self.kick_hz = 45.0 + (self.kick_hz - 45.0) * 0.9995;
            self.kick_phase = (self.kick_phase + self.kick_hz * dt).fract();
            let kick = (TAU * self.kick_phase).sin() * self.kick_env;
            self.kick_env *= self.kick_decay;

            let hit_src = if self.hit_bright { bright } else { noise };
            let hit = [hit_src[0] * self.hit_env, hit_src[1] * self.hit_env];
            self.hit_env *= self.hit_decay;

            let sib = [bright[0] * self.sib_env, bright[1] * self.sib_env];
            self.sib_env *= self.sib_decay;

            // Tone: three harmonics, attack to the target, release when the note ends.
            if self.tone_left == 0 {
                self.tone_target = 0.0;
            } else {
                self.tone_left -= 1;
            }
            let coef = if self.tone_target > self.tone_env { 0.002 } else { 0.0002 };
            self.tone_env += (self.tone_target - self.tone_env) * coef;
            let mut tone = 0.0;
            for (k, phase) in self.tone_phase.iter_mut().enumerate() {
                let h = (k + 1) as f32;
                *phase = (*phase + self.tone_hz * h * dt).fract();
                tone += (TAU * *phase).sin() / h;
            }
            tone *= self.tone_env;

            // Bed: low-passed noise swelling at 0.2 Hz.
            self.bed_lfo = (self.bed_lfo + 0.2 * dt).fract();
            let swell = 0.5 + 0.5 * (TAU * self.bed_lfo).sin();
            for (lp, n) in self.bed_lp.iter_mut().zip(noise) {
                *lp += (n - *lp) * 0.05;
            }

            self.gain_now += (self.gain - self.gain_now) * 0.0005;
            let g = self.gain_now;
            *l = g
                * (0.8 * kick
                    + hit[0] * (1.0 - self.hit_pan)
                    + sib[0]
                    + tone * (1.0 - self.tone_pan)
                    + self.bed_lp[0] * self.bed_level * swell * 4.0);
            *r = g
                * (0.8 * kick
                    + hit[1] * self.hit_pan
                    + sib[1]
                    + tone * self.tone_pan
                    + self.bed_lp[1] * self.bed_level * swell * 4.0);
        }
    }
}

/// The signal for one port of any channel count: stereo music, folded to mono, or spread over 5.1
/// (front pair, centre, low-passed LFE, and a second, quieter stream in the surrounds).
struct PortSignal {
    front: Music,
    rear: Music,
    /// One-pole state of the LFE low-pass.
    lfe_lp: f32,
    /// Scratch for the stereo streams, one chunk long.
    scratch: [Vec<f32>; 4],
}

impl PortSignal {
    fn new(seed: u64) -> PortSignal {
        PortSignal {
            front: Music::new(mix(seed, 1)),
            rear: Music::new(mix(seed, 2)),
            lfe_lp: 0.0,
            scratch: std::array::from_fn(|_| vec![0.0; CHUNK_FRAMES]),
        }
    }

    /// Fills every channel of `out` (all of the same length, at most one chunk).
    fn fill(&mut self, out: &mut [Vec<f32>]) {
        let n = out.first().map_or(0, Vec::len);
        let [fl, fr, rl, rr] = &mut self.scratch;
        self.front.fill(&mut fl[..n], &mut fr[..n]);
        match out.len() {
            0 => {}
            1 => {
                for (o, (l, r)) in out[0].iter_mut().zip(fl.iter().zip(fr.iter())) {
                    *o = 0.5 * (l + r);
                }
            }
            6 => {
                self.rear.fill(&mut rl[..n], &mut rr[..n]);
                for i in 0..n {
                    let centre = 0.5 * (fl[i] + fr[i]);
                    self.lfe_lp += (centre - self.lfe_lp) * 0.015;
                    out[0][i] = fl[i];
                    out[1][i] = fr[i];
                    out[2][i] = centre;
                    out[3][i] = self.lfe_lp;
                    out[4][i] = 0.5 * rl[i];
                    out[5][i] = 0.5 * rr[i];
                }
            }
            _ => {
                for (c, ch) in out.iter_mut().enumerate() {
                    ch.copy_from_slice(if c % 2 == 0 { &fl[..n] } else { &fr[..n] });
                }
            }
        }
    }
}

/// A random value of `info` in CLAP units: a random step for stepped parameters; otherwise uniform,
/// with each end of the range one time in ten.
fn random_value(info: &ParamInfo, rng: &mut Rng) -> f64 {
    if info.is_stepped() {
        let steps = (info.max - info.min).round().max(0.0) as usize;
        return info.min + rng.range(0, steps) as f64;
    }
    match rng.range(0, 9) {
        0 => info.min,
        1 => info.max,
        _ => info.min + (info.max - info.min) * rng.next_f64(),
    }
}

/// The parameters the soak automates: automatable, not bypass, not read-only.
fn automated_params(p: &PluginInstance) -> Result<Vec<ParamInfo>, String> {
    Ok(p
        .params()
        .map_err(|e| format!("params: {e}"))?
        .into_iter()
        .filter(|i| i.is_automatable() && !i.is_bypass() && !i.is_readonly())
        .collect())
}

/// Which of `params` change the latency: on a separate instance, from [`PROBE_TRIALS`] random
/// states of all parameters, each parameter alone gets a random value; if the plugin asks for a
/// restart within two blocks, it is a latency parameter.
fn probe_latency_params(bundle: &ClapBundle, id: &str, params: &[ParamInfo], rng: &mut Rng) -> Result<Vec<bool>, String> {
    let mut p = bundle.create(id).map_err(|e| format!("create: {e}"))?;
    p.activate(RATE_HZ, BLOCK_FRAMES as u32).map_err(|e| format!("activate: {e}"))?;
    let mut latency = vec![false; params.len()];
    let two = [BLOCK_FRAMES, BLOCK_FRAMES];
    for _ in 0..PROBE_TRIALS {
        let all: Vec<ParamChange> =
            params.iter().map(|i| ParamChange { sample: 0, id: i.id, value: random_value(i, rng) }).collect();
        p.render_with(PortInput::Silent, PortInput::Silent, &two, &all).map_err(|e| format!("probe render: {e}"))?;
        for (k, info) in params.iter().enumerate() {
            let before = p.restart_count();
            let change = [ParamChange { sample: 0, id: info.id, value: random_value(info, rng) }];
            p.render_with(PortInput::Silent, PortInput::Silent, &two, &change).map_err(|e| format!("probe render: {e}"))?;
            if p.restart_count() != before {
                latency[k] = true;
            }
        }
    }
    Ok(latency)
}

/// Median of `v` (sorted in place); NaN when empty.
fn median(v: &mut [f64]) -> f64 {
    if v.is_empty() {
        return f64::NAN;
    }
    v.sort_by(f64::total_cmp);
    let n = v.len();
    if n % 2 == 1 {
        v[n / 2]
    } else {
        0.5 * (v[n / 2 - 1] + v[n / 2])
    }
}

/// Seed of minute `m` of `minutes`: the last minute replays the first.
fn minute_seed(run_seed: u64, m: usize, minutes: usize) -> u64 {
    let m = if m + 1 == minutes { 0 } else { m };
    mix(run_seed, m as u64 + 1)
}

/// One second of blocks and automation: block sizes (mostly [`BLOCK_FRAMES`]) and the parameter
/// changes, with sample positions relative to the start of the second.
struct ChunkPlan {
    blocks: Vec<usize>,
    changes: Vec<ParamChange>,
    /// Whether a latency parameter changes in this second.
    latency_change: bool,
}

/// Plans second `s` of a minute. `regular` and `latency` are the two groups of automated parameters.
fn plan_chunk(rng: &mut Rng, s: usize, regular: &[ParamInfo], latency: &[ParamInfo]) -> ChunkPlan {
    let mut blocks = Vec::with_capacity(CHUNK_FRAMES / BLOCK_FRAMES * 2);
    let mut left = CHUNK_FRAMES;
    while left > 0 {
        let n = if rng.range(0, 3) == 0 { rng.range(1, BLOCK_FRAMES - 1) } else { BLOCK_FRAMES };
        let n = n.min(left);
        blocks.push(n);
        left -= n;
    }
    let mut changes = Vec::new();
    let mut start = 0;
    let mut latency_change = false;
    // Latency parameters: all at the start of the minute, else one every SCENE_SECONDS, in a block of
    // the first half of the second (so the restart it causes falls inside the same second).
    let scene_block = if s > 0 && s.is_multiple_of(SCENE_SECONDS) && !latency.is_empty() { Some(rng.range(0, blocks.len() / 2)) } else { None };
    for (b, &n) in blocks.iter().enumerate() {
        if s == 0 && b == 0 {
            for info in regular.iter().chain(latency) {
                changes.push(ParamChange { sample: 0, id: info.id, value: random_value(info, rng) });
            }
            latency_change = !latency.is_empty();
        } else if scene_block == Some(b) {
            let info = &latency[rng.range(0, latency.len() - 1)];
            changes.push(ParamChange { sample: start + rng.range(0, n - 1), id: info.id, value: random_value(info, rng) });
            latency_change = true;
        }
        if !regular.is_empty() {
            let k = rng.range(0, MAX_CHANGES_PER_BLOCK.min(regular.len()));
            for _ in 0..k {
                let info = &regular[rng.range(0, regular.len() - 1)];
                let events = if rng.range(0, 4) == 0 { 2 } else { 1 };
                for _ in 0..events {
                    changes.push(ParamChange { sample: start + rng.range(0, n - 1), id: info.id, value: random_value(info, rng) });
                }
            }
        }
        start += n;
    }
    ChunkPlan { blocks, changes, latency_change }
}

/// What one plugin's soak measured.
struct Outcome {
    id: String,
    minutes: usize,
    frames: u64,
    /// NaN or infinite output samples (of the soaked instance and of its twin).
    bad_samples: u64,
    /// Process heap in use after minute 1 and at the end, bytes.
    heap_after_first: usize,
    heap_end: usize,
    /// ns per frame in the first minute: of the fresh twin (the verdict's reference) and of the
    /// soaked instance itself, an hour earlier (for information).
    first_ns: f64,
    own_first_ns: f64,
    /// ns per frame in the last minute.
    last_ns: f64,
    /// Median over the seconds of last / first (soaked instance over its twin).
    ratio: f64,
    /// Restarts the host did for the plugin, and of those, ones in a second without a latency change.
    restarts: u32,
    unplanned_restarts: u32,
    /// Names of the latency parameters found by the probe.
    latency_params: Vec<String>,
    /// Messages the plugin logged.
    log_messages: usize,
    /// Why the run stopped early, if it did.
    error: Option<String>,
}

impl Outcome {
    fn heap_growth(&self) -> i64 {
        self.heap_end as i64 - self.heap_after_first as i64
    }

    fn passed(&self) -> bool {
        self.error.is_none()
            && self.bad_samples == 0
            && self.heap_growth() <= HEAP_TOLERANCE_BYTES
            && self.ratio <= SLOWDOWN_LIMIT
    }
}

/// Soaks one plugin for `minutes`.
fn soak(bundle: &ClapBundle, id: &str, minutes: usize, run_seed: u64) -> Outcome {
    let mut out = Outcome {
        id: id.to_owned(),
        minutes,
        frames: 0,
        bad_samples: 0,
        heap_after_first: 0,
        heap_end: 0,
        first_ns: f64::NAN,
        own_first_ns: f64::NAN,
        last_ns: f64::NAN,
        ratio: f64::NAN,
        restarts: 0,
        unplanned_restarts: 0,
        latency_params: Vec::new(),
        log_messages: 0,
        error: None,
    };
    if let Err(e) = soak_into(bundle, id, minutes, run_seed, &mut out) {
        out.error = Some(e);
    }
    out
}

/// One block's input and parameter changes, copied out of the second's buffers. Reused.
struct BlockInput {
    main: Vec<Vec<f32>>,
    key: Vec<Vec<f32>>,
    /// Whether the plugin has a sidechain (else `key` is empty and the port stays silent).
    has_key: bool,
    changes: Vec<ParamChange>,
}

impl BlockInput {
    fn new(main_channels: usize, key_channels: Option<usize>) -> BlockInput {
        BlockInput {
            main: vec![Vec::with_capacity(BLOCK_FRAMES); main_channels],
            key: vec![Vec::with_capacity(BLOCK_FRAMES); key_channels.unwrap_or(0)],
            has_key: key_channels.is_some(),
            changes: Vec::new(),
        }
    }

    /// Takes frames `start..start + n` of the second and the changes that fall in them.
    fn load(&mut self, main: &[Vec<f32>], key: &[Vec<f32>], start: usize, n: usize, changes: &[ParamChange]) {
        for (dst, src) in self.main.iter_mut().zip(main).chain(self.key.iter_mut().zip(key)) {
            dst.clear();
            dst.extend_from_slice(&src[start..start + n]);
        }
        self.changes.clear();
        self.changes.extend(
            changes
                .iter()
                .filter(|c| (start..start + n).contains(&c.sample))
                .map(|c| ParamChange { sample: c.sample - start, ..*c }),
        );
    }

    /// Renders the block through `p` (which services host requests after it). Returns the NaN/Inf
    /// output samples and the ns per frame spent in `process()`.
    fn render(&self, p: &mut PluginInstance) -> Result<(u64, f64), String> {
        let key = if self.has_key { PortInput::Audio(&self.key) } else { PortInput::Silent };
        let frames = self.main.first().map_or(0, Vec::len);
        let rendered = p.render_with(PortInput::Audio(&self.main), key, &[frames], &self.changes).map_err(|e| e.to_string())?;
        let bad = rendered.iter().flatten().filter(|x| !x.is_finite()).count() as u64;
        let ns = p.process_times().first().map_or(f64::NAN, |t| t.as_nanos() as f64 / frames as f64);
        Ok((bad, ns))
    }
}

fn soak_into(bundle: &ClapBundle, id: &str, minutes: usize, run_seed: u64, out: &mut Outcome) -> Result<(), String> {
    let plugin_seed = mix(run_seed, id.bytes().fold(0u64, |h, b| h.wrapping_mul(31).wrapping_add(b as u64)));
    let mut p = bundle.create(id).map_err(|e| format!("create: {e}"))?;
    let params = automated_params(&p)?;
    let is_latency = probe_latency_params(bundle, id, &params, &mut Rng::new(mix(plugin_seed, 0xfeed)))?;
    let (latency, regular): (Vec<ParamInfo>, Vec<ParamInfo>) = {
        let (l, r): (Vec<_>, Vec<_>) = params.iter().cloned().zip(is_latency).partition(|(_, l)| *l);
        (l.into_iter().map(|(i, _)| i).collect(), r.into_iter().map(|(i, _)| i).collect())
    };
    out.latency_params = latency.iter().map(|i| i.name.clone()).collect();
    eprintln!(
        "clap-soak: {id}: {} automated parameters; every block: {}; every {SCENE_SECONDS} s (latency): {}",
        params.len(),
        regular.iter().map(|i| i.name.as_str()).collect::<Vec<_>>().join(", "),
        if latency.is_empty() { "none".to_owned() } else { out.latency_params.join(", ") },
    );

    p.activate(RATE_HZ, BLOCK_FRAMES as u32).map_err(|e| format!("activate: {e}"))?;
    let ports = p.audio_ports().map_err(|e| format!("audio ports: {e}"))?;
    let main_port = ports.main_input().ok_or("no main input port")?;
    let main_channels = ports.inputs[main_port].channel_count as usize;
    let key_channels = ports.aux_inputs().first().map(|&i| ports.inputs[i].channel_count as usize);
    let mut main = vec![vec![0.0f32; CHUNK_FRAMES]; main_channels];
    let mut key = vec![vec![0.0f32; CHUNK_FRAMES]; key_channels.unwrap_or(0)];
    let mut block = BlockInput::new(main_channels, key_channels);
    // The fresh instance that processes only the last minute. Created and activated now, so that
    // what it holds is in both heap readings.
    let mut twin = bundle.create(id).map_err(|e| format!("create twin: {e}"))?;
    twin.activate(RATE_HZ, BLOCK_FRAMES as u32).map_err(|e| format!("activate twin: {e}"))?;
    // Per-second figures (median of the full blocks' ns/frame): every second of the soaked instance,
    // and the twin's seconds during the last minute.
    let mut windows: Vec<f64> = Vec::with_capacity(minutes * CHUNKS_PER_MINUTE);
    let mut twin_windows: Vec<f64> = Vec::with_capacity(CHUNKS_PER_MINUTE);
    let mut block_ns: Vec<f64> = Vec::with_capacity(CHUNK_FRAMES);
    let mut twin_block_ns: Vec<f64> = Vec::with_capacity(CHUNK_FRAMES);

    for m in 0..minutes {
        let seed = minute_seed(plugin_seed, m, minutes);
        let mut main_signal = PortSignal::new(mix(seed, 0x6d61_696e));
        let mut key_signal = PortSignal::new(mix(seed, 0x006b_6579));
        // The last minute replays the first; the twin processes it too, block for block interleaved
        // with the soaked instance, so both see the same machine load.
        let mut twin_now = if m + 1 == minutes { Some(&mut twin) } else { None };
        for s in 0..CHUNKS_PER_MINUTE {
            let mut rng = Rng::new(mix(seed, 0x1000 + s as u64));
            let plan = plan_chunk(&mut rng, s, &regular, &latency);
            main_signal.fill(&mut main);
            if key_channels.is_some() {
                key_signal.fill(&mut key);
            }
            let restarts_before = p.restart_count();
            block_ns.clear();
            twin_block_ns.clear();
            let mut start = 0;
            for (b, &n) in plan.blocks.iter().enumerate() {
                block.load(&main, &key, start, n, &plan.changes);
                let where_ = |e: String| format!("minute {} second {s} block {b}: {e}", m + 1);
                // Alternate who goes first, so neither always finds the caches warmed by the other.
                if let (Some(t), true) = (twin_now.as_deref_mut(), b % 2 == 1) {
                    let (bad, ns) = block.render(t).map_err(|e| where_(format!("twin: {e}")))?;
                    out.bad_samples += bad;
                    if n == BLOCK_FRAMES {
                        twin_block_ns.push(ns);
                    }
                }
                let (bad, ns) = block.render(&mut p).map_err(where_)?;
                out.bad_samples += bad;
                if n == BLOCK_FRAMES {
                    block_ns.push(ns);
                }
                if let (Some(t), true) = (twin_now.as_deref_mut(), b % 2 == 0) {
                    let (bad, ns) = block.render(t).map_err(|e| where_(format!("twin: {e}")))?;
                    out.bad_samples += bad;
                    if n == BLOCK_FRAMES {
                        twin_block_ns.push(ns);
                    }
                }
                start += n;
            }
            let restarted = p.restart_count() - restarts_before;
            if restarted > 0 && !plan.latency_change {
                out.unplanned_restarts += restarted;
            }
            out.frames += CHUNK_FRAMES as u64;
            windows.push(median(&mut block_ns));
            if twin_now.is_some() {
                twin_windows.push(median(&mut twin_block_ns));
            }
        }
        let heap = heap_in_use();
        if m == 0 {
            out.heap_after_first = heap;
        }
        out.heap_end = heap;
        let mut minute: Vec<f64> = windows[m * CHUNKS_PER_MINUTE..].to_vec();
        eprintln!(
            "clap-soak: {id}: minute {}/{minutes}: {:.1} ns/frame, heap {} KiB, {} restarts",
            m + 1,
            median(&mut minute),
            heap / 1024,
            p.restart_count()
        );
    }
    let last = &windows[(minutes - 1) * CHUNKS_PER_MINUTE..];
    out.own_first_ns = median(&mut windows[..CHUNKS_PER_MINUTE].to_vec());
    out.first_ns = median(&mut twin_windows.clone());
    out.last_ns = median(&mut last.to_vec());
    out.ratio = median(&mut twin_windows.iter().zip(last).map(|(f, l)| l / f).collect::<Vec<_>>());
    out.restarts = p.restart_count();
    out.log_messages = p.log_messages().len();
    Ok(())
}

/// The results as a Markdown table, with the limits underneath.
fn report(outcomes: &[Outcome]) -> String {
    use std::fmt::Write as _;
    let mut s = String::new();
    let _ = writeln!(
        s,
        "| plugin | minutes | frames | NaN/Inf | heap after min 1 (KiB) | heap at end (KiB) | growth (KiB) | first min ns/frame | last min ns/frame | last/first | own min 1 ns/frame | restarts (unplanned) | result |"
    );
    let _ = writeln!(s, "|---|---|---|---|---|---|---|---|---|---|---|---|---|");
    for o in outcomes {
        let verdict = match (&o.error, o.passed()) {
            (Some(e), _) => format!("**FAIL** ({e})"),
            (None, true) => "PASS".to_owned(),
            (None, false) => "**FAIL**".to_owned(),
        };
        let _ = writeln!(
            s,
            "| {} | {} | {} | {} | {:.0} | {:.0} | {:+.1} | {:.1} | {:.1} | {:.3} | {:.1} | {} ({}) | {verdict} |",
            o.id,
            o.minutes,
            o.frames,
            o.bad_samples,
            o.heap_after_first as f64 / 1024.0,
            o.heap_end as f64 / 1024.0,
            o.heap_growth() as f64 / 1024.0,
            o.first_ns,
            o.last_ns,
            o.ratio,
            o.own_first_ns,
            o.restarts,
            o.unplanned_restarts,
        );
    }
    let _ = writeln!(
        s,
        "\nLimits: no NaN/Inf output sample; heap growth from the end of minute 1 to the end <= {} KiB; \
         last/first <= {SLOWDOWN_LIMIT:.2}. The last minute replays the first minute's audio and automation; \
         \"first min\" is a twin instance (idle until then) processing that minute block for block interleaved with the soaked \
         instance's last minute, and last/first is the median over the 60 seconds of the two instances' \
         per-second figures (median ns/frame of the full 512-frame blocks). \"own min 1\" is the soaked \
         instance's first minute, an hour earlier (load on the machine differs). Latency-changing parameters \
         (changed one at a time every {SCENE_SECONDS} s, each change a restart):",
        HEAP_TOLERANCE_BYTES / 1024
    );
    for o in outcomes {
        let names = if o.latency_params.is_empty() { "none".to_owned() } else { o.latency_params.join(", ") };
        let log = if o.log_messages > 0 { format!("; {} log messages", o.log_messages) } else { String::new() };
        let _ = writeln!(s, "- {}: {names}{log}", o.id);
    }
    s
}

fn arg(args: &[String], name: &str) -> Option<String> {
    args.iter().position(|a| a == name).and_then(|i| args.get(i + 1).cloned())
}

fn main() {
    ensure_no_tcache();
    let args: Vec<String> = std::env::args().collect();
    let dir = PathBuf::from(arg(&args, "--bundles").unwrap_or_else(|| "target/bundled".into()));
    let minutes: usize = arg(&args, "--minutes").map_or(DEFAULT_MINUTES, |m| {
        m.parse().ok().filter(|&m| m > 0).unwrap_or_else(|| panic!("--minutes wants a positive whole number, got {m:?}"))
    });
    let seed: u64 = arg(&args, "--seed").map_or(DEFAULT_SEED, |s| s.parse().unwrap_or_else(|_| panic!("bad --seed {s:?}")));
    let only = arg(&args, "--only");

    let mut outcomes = Vec::new();
    for path in clap_host::clap_files_in(&dir) {
        let bundle = ClapBundle::load(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let ids: Vec<String> = bundle.descriptors().iter().map(|d| d.id.clone()).collect();
        for id in ids {
            if only.as_ref().is_some_and(|o| !id.contains(o.as_str())) {
                continue;
            }
            let started = std::time::Instant::now();
            let o = soak(&bundle, &id, minutes, seed);
            eprintln!(
                "clap-soak: {id}: {} in {:.0} s{}",
                if o.passed() { "PASS" } else { "FAIL" },
                started.elapsed().as_secs_f64(),
                o.error.as_ref().map_or(String::new(), |e| format!(": {e}"))
            );
            outcomes.push(o);
        }
    }
    if outcomes.is_empty() {
        eprintln!("clap-soak: no plugin found in {}", dir.display());
        std::process::exit(2);
    }
    println!("{}", report(&outcomes));
    if outcomes.iter().any(|o| !o.passed()) {
        std::process::exit(1);
    }
}
