//! Which channels of a stereo pair a processor works on: left/right, mid/side, mid only or side only.

use crate::MAX_CHANNELS;

/// How a stereo processor sees its two channels.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ChannelMode {
    /// Left and right.
    #[default]
    Stereo,
    /// Mid `(L + R) / 2` and side `(L - R) / 2`, each with its own detector (linked by Stereo Link).
    MidSide,
    /// Only the mid is processed; the side passes (delayed by the latency).
    MidOnly,
    /// Only the side is processed; the mid passes (delayed by the latency).
    SideOnly,
}

impl ChannelMode {
    /// Whether the pair is encoded to mid/side before processing.
    pub fn is_mid_side(self) -> bool {
        self != Self::Stereo
    }

    /// The (key, gain) channel masks of a stereo pair: which of channels 0 and 1 (L/R or M/S) feed
    /// the detector, and which receive the gain.
    pub fn masks(self) -> ([bool; MAX_CHANNELS], [bool; MAX_CHANNELS]) {
        let mut both = [false; MAX_CHANNELS];
        both[0] = true;
        both[1] = true;
        let mut mid = [false; MAX_CHANNELS];
        mid[0] = true;
        let mut side = [false; MAX_CHANNELS];
        side[1] = true;
        match self {
            Self::Stereo | Self::MidSide => (both, both),
            Self::MidOnly => (mid, mid),
            Self::SideOnly => (side, side),
        }
    }
}

/// Encodes left/right to mid/side in place: `M = (L + R) / 2`, `S = (L - R) / 2`.
///
/// With `L == R` the mid is exactly `L` and the side exactly 0, in floating point too.
#[inline]
pub fn encode_mid_side(left: &mut [f32], right: &mut [f32]) {
    for (l, r) in left.iter_mut().zip(right.iter_mut()) {
        let (m, s) = (0.5 * (*l + *r), 0.5 * (*l - *r));
        *l = m;
        *r = s;
    }
}

/// Decodes mid/side to left/right in place: `L = M + S`, `R = M - S`.
#[inline]
pub fn decode_mid_side(mid: &mut [f32], side: &mut [f32]) {
    for (m, s) in mid.iter_mut().zip(side.iter_mut()) {
        let (l, r) = (*m + *s, *m - *s);
        *m = l;
        *s = r;
    }
}
