//! Stem profiles: how the Stem Compressor's detector listens to each kind of stem (detector, key
//! weighting, RMS window, low-frequency hold). Only the DSP consults them; they never rewrite a user
//! parameter.

use crate::key_weighting::KeyWeightingKind;

/// The detector a profile picks when the detector is left on automatic.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ProfileDetector {
    /// Sample peak: catches transients.
    Peak,
    /// RMS over the profile's window: follows loudness, ignores short peaks.
    Rms,
    /// Halfway in dB between a peak envelope and the RMS (see
    /// [`crate::detector::CrestBlendDetect`]), for material that alternates between transients and
    /// sustained sound.
    CrestBlend,
}

impl ProfileDetector {
    /// Display name, for the editor and the README.
    pub const fn name(&self) -> &'static str {
        match self {
            Self::Peak => "Peak",
            Self::Rms => "RMS",
            Self::CrestBlend => "Crest blend",
        }
    }
}

/// How the detector listens to one kind of stem. Plain data.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct StemProfile {
    /// The curve the key is filtered through before detection.
    pub key_weighting: KeyWeightingKind,
    /// The detector used when the detector is left on automatic.
    pub auto_detector: ProfileDetector,
    /// Time constant of the RMS window in ms, used when the detector is RMS or crest blend.
    pub rms_window_ms: f32,
    /// Time in ms the detected peak is held before release may start (0 = no hold), so that one
    /// period of a low note does not modulate the gain.
    pub low_frequency_hold_ms: f32,
    /// One plain sentence for the README and the editor tooltip.
    pub description: &'static str,
}

/// The kinds of stem the Stem Compressor knows, in the order the host shows them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum StemKind {
    /// A drum-kit stem (kick, snare, toms, cymbals).
    Drums,
    /// Bass guitar or synth bass.
    Bass,
    /// Hand and auxiliary percussion.
    Percussion,
    /// Electric or acoustic guitars.
    Guitars,
    /// Piano, organ, synths and pads.
    Keys,
    /// The lead vocal.
    LeadVocal,
    /// Backing vocals and vocal stacks.
    BackingVocals,
    /// A music production's effects stem (risers, impacts, sweeps).
    Fx,
    /// Dialogue stem of a film or broadcast mix (DME).
    Dialogue,
    /// Music stem of a film or broadcast mix (DME).
    Music,
    /// Effects stem of a film or broadcast mix (DME): sound effects, Foley, ambience.
    Effects,
    /// A complete mix.
    FullMix,
}

impl StemKind {
    /// Every kind, in host order.
    pub const ALL: [StemKind; 12] = [
        Self::Drums,
        Self::Bass,
        Self::Percussion,
        Self::Guitars,
        Self::Keys,
        Self::LeadVocal,
        Self::BackingVocals,
        Self::Fx,
        Self::Dialogue,
        Self::Music,
        Self::Effects,
        Self::FullMix,
    ];

    /// The name the host shows.
    pub const fn name(&self) -> &'static str {
        match self {
            Self::Drums => "Drums",
            Self::Bass => "Bass",
            Self::Percussion => "Percussion",
            Self::Guitars => "Guitars",
            Self::Keys => "Keys",
            Self::LeadVocal => "Lead Vocal",
            Self::BackingVocals => "Backing Vocals",
            Self::Fx => "FX",
            Self::Dialogue => "Dialogue",
            Self::Music => "Music",
            Self::Effects => "Effects",
            Self::FullMix => "Full Mix",
        }
    }

    /// How the detector listens to this stem.
    pub const fn profile(&self) -> StemProfile {
        use KeyWeightingKind as W;
        use ProfileDetector as D;
        match self {
            Self::Drums => profile(
                W::Bright,
                D::Peak,
                5.0,
                0.0,
                "Peak detection for hits, listening from 40 Hz up so the kick's sub does not out-vote \
                the snare and toms.",
            ),
            Self::Bass => profile(
                W::LowWeighted,
                D::Peak,
                35.0,
                35.0,
                "Peak detection below 1 kHz, so string noise and clicks do not pump, with each peak \
                held for one period of a low B (31 Hz) so a sustained note is not modulated.",
            ),
            Self::Percussion => profile(
                W::Bright,
                D::Peak,
                5.0,
                0.0,
                "Peak detection for fast hand percussion, listening from 40 Hz up so floor toms and \
                booms do not dominate.",
            ),
            Self::Guitars => profile(
                W::Flat,
                D::Rms,
                20.0,
                0.0,
                "RMS detection over 20 ms that evens out strums and sustained chords without reacting \
                to each pick attack.",
            ),
            Self::Keys => profile(
                W::Flat,
                D::Rms,
                30.0,
                0.0,
                "RMS detection over 30 ms that follows the level of chords and pads and stays smooth on \
                low piano notes.",
            ),
            Self::LeadVocal => profile(
                W::Presence,
                D::Rms,
                15.0,
                0.0,
                "RMS detection over 15 ms through a presence curve (high-pass at 100 Hz, +6 dB at 3 \
                kHz), so intelligibility rather than breath and plosive rumble drives the gain.",
            ),
            Self::BackingVocals => profile(
                W::Presence,
                D::Rms,
                40.0,
                0.0,
                "RMS detection over a longer 40 ms window through the presence curve, holding a stack \
                of voices steady behind the lead.",
            ),
            Self::Fx => profile(
                W::Flat,
                D::CrestBlend,
                20.0,
                20.0,
                "Halfway between peak and RMS (in dB) for risers, impacts and sweeps, with a short hold \
                so sub drops are not modulated.",
            ),
            Self::Dialogue => profile(
                W::SpeechBand,
                D::Rms,
                20.0,
                0.0,
                "RMS detection over 20 ms within the speech band (150 Hz to 4 kHz), so room rumble and \
                hiss do not move the gain.",
            ),
            Self::Music => profile(
                W::KWeighting,
                D::CrestBlend,
                50.0,
                25.0,
                "Halfway between peak and RMS (in dB) through BS.1770 K-weighting, so a music stem is \
                controlled by how loud it sounds.",
            ),
            Self::Effects => profile(
                W::Flat,
                D::Peak,
                10.0,
                25.0,
                "Peak detection for sound effects, with a hold so explosions and low rumble are not \
                modulated cycle by cycle.",
            ),
            Self::FullMix => profile(
                W::KWeighting,
                D::Rms,
                50.0,
                0.0,
                "RMS detection over 50 ms through BS.1770 K-weighting, gentle glue that follows \
                perceived loudness.",
            ),
        }
    }
}

/// Builds a profile (a const fn, as closures are not allowed in const context).
const fn profile(
    key_weighting: KeyWeightingKind,
    auto_detector: ProfileDetector,
    rms_window_ms: f32,
    low_frequency_hold_ms: f32,
    description: &'static str,
) -> StemProfile {
    StemProfile { key_weighting, auto_detector, rms_window_ms, low_frequency_hold_ms, description }
}

/// The table of every profile in Markdown (stem, detector, key weighting, RMS window, hold,
/// description), for the README.
pub fn markdown_table() -> String {
    let mut s = String::from(
        "| Stem | Detector | Key weighting | RMS window | Low-frequency hold | Description |\n\
         |---|---|---|---|---|---|\n",
    );
    for kind in StemKind::ALL {
        let p = kind.profile();
        let hold = if p.low_frequency_hold_ms > 0.0 { format!("{} ms", p.low_frequency_hold_ms) } else { "none".into() };
        s.push_str(&format!(
            "| {} | {} | {} | {} ms | {} | {} |\n",
            kind.name(),
            p.auto_detector.name(),
            p.key_weighting.name(),
            p.rms_window_ms,
            hold,
            p.description
        ));
    }
    s
}
