//! Clipping curves with a continuous knee, and their antiderivatives for ADAA.
//!
//! Every curve works on a level normalised to the ceiling (`v = x / ceiling`) and never leaves
//! `-1..=1`. Below the knee it is the identity, so a signal that never reaches the knee passes
//! unchanged. `softness` (0..1) is the knee width `w` as a fraction of the ceiling: the curve starts to
//! bend at `t = 1 - w` and, for `u = (|v| - t) / w`, outputs `t + w g(u)`, where the knee shape `g`
//! has `g(0) = 0`, `g'(0) = 1` and rises to 1 with zero slope:
//!
//! | curve | `g(u)` | reaches the ceiling at `u =` |
//! |---|---|---|
//! | Hard | `u - u²/4` (parabolic knee) | 2 |
//! | Cubic | `u - 4u³/27` | 1.5 |
//! | Sine | `sin u` | π/2 |
//! | Soft | `tanh u` | never (asymptotic) |
//!
//! At softness 0 every curve is a plain hard clip; at 100% Soft is `tanh v`, Sine is `sin v` up to
//! π/2 and Cubic is the classic `v - 4v³/27`.

/// The knee shape of a [`ClipCurve`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum CurveShape {
    /// Parabolic knee; a plain hard clip at softness 0.
    Hard,
    /// `tanh` knee: approaches the ceiling asymptotically.
    #[default]
    Soft,
    /// Cubic knee.
    Cubic,
    /// Sine knee.
    Sine,
}

/// Knee widths below this are treated as a plain hard clip (avoids dividing by a vanishing width).
const MIN_KNEE_WIDTH: f64 = 1.0e-6;

/// A clipping curve: shape and knee width, normalised to a ceiling of 1.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ClipCurve {
    shape: CurveShape,
    /// Knee width `w` as a fraction of the ceiling (0..1).
    knee_width: f64,
    /// Where the knee starts, `1 - w`.
    knee_start: f64,
    /// Where the curve reaches the ceiling, `t + w u_end` (infinite for Soft).
    knee_end: f64,
    /// `G(u_end)`, the knee's antiderivative at its end (unused for Soft).
    knee_area_end: f64,
}

impl Default for ClipCurve {
    fn default() -> Self {
        Self::new(CurveShape::default(), 0.0)
    }
}

impl ClipCurve {
    /// A curve of `shape` with `softness` (0..1, clamped) as the knee width relative to the ceiling.
    pub fn new(shape: CurveShape, softness: f32) -> Self {
        let w = if softness.is_finite() { (softness as f64).clamp(0.0, 1.0) } else { 0.0 };
        let shape = if w < MIN_KNEE_WIDTH { CurveShape::Hard } else { shape };
        let w = if w < MIN_KNEE_WIDTH { 0.0 } else { w };
        let u_end = match shape {
            CurveShape::Hard => 2.0,
            CurveShape::Cubic => 1.5,
            CurveShape::Sine => std::f64::consts::FRAC_PI_2,
            CurveShape::Soft => f64::INFINITY,
        };
        let knee_start = 1.0 - w;
        let knee_end = if w == 0.0 { 1.0 } else { knee_start + w * u_end };
        let mut curve = Self { shape, knee_width: w, knee_start, knee_end, knee_area_end: 0.0 };
        if u_end.is_finite() && w > 0.0 {
            curve.knee_area_end = curve.knee_area(u_end);
        }
        curve
    }

    /// The knee shape.
    pub fn shape(&self) -> CurveShape {
        self.shape
    }

    /// Knee width as a fraction of the ceiling (0..1).
    pub fn knee_width(&self) -> f64 {
        self.knee_width
    }

    /// Largest `|v|` the curve passes unchanged, `1 - w` (in ceiling units).
    pub fn knee_start(&self) -> f64 {
        self.knee_start
    }

    /// `g(u)`, the knee shape.
    #[inline]
    fn knee(&self, u: f64) -> f64 {
        match self.shape {
            CurveShape::Hard => u - 0.25 * u * u,
            CurveShape::Cubic => u - (4.0 / 27.0) * u * u * u,
            CurveShape::Sine => u.sin(),
            CurveShape::Soft => u.tanh(),
        }
    }

    /// `G(u)`, the antiderivative of the knee shape with `G(0) = 0`.
    #[inline]
    fn knee_area(&self, u: f64) -> f64 {
        match self.shape {
            CurveShape::Hard => 0.5 * u * u - u * u * u / 12.0,
            CurveShape::Cubic => 0.5 * u * u - u * u * u * u / 27.0,
            CurveShape::Sine => 1.0 - u.cos(),
            CurveShape::Soft => ln_cosh(u),
        }
    }

    /// The curve at `v` (ceiling units); the result is within `-1..=1`.
    #[inline]
    pub fn apply(&self, v: f64) -> f64 {
        let a = v.abs();
        let y = if a <= self.knee_start {
            a
        } else if a >= self.knee_end {
            1.0
        } else {
            let w = self.knee_width;
            (self.knee_start + w * self.knee((a - self.knee_start) / w)).min(1.0)
        };
        y.copysign(v)
    }

    /// The antiderivative of [`apply`](Self::apply) at `v`, with value 0 at 0 (an even function).
    #[inline]
    pub fn antiderivative(&self, v: f64) -> f64 {
        let a = v.abs();
        let t = self.knee_start;
        if a <= t {
            return 0.5 * a * a;
        }
        let w = self.knee_width;
        if a < self.knee_end {
            return 0.5 * t * t + t * (a - t) + w * w * self.knee_area((a - t) / w);
        }
        // Flat at the ceiling beyond the knee's end.
        let at_end = 0.5 * t * t + t * (self.knee_end - t) + w * w * self.knee_area_end;
        at_end + (a - self.knee_end)
    }

    /// The curve in dB for the editor: output level for an input level, both relative to the ceiling.
    pub fn output_db(&self, input_db: f32) -> f32 {
        let v = 10f64.powf(input_db as f64 / 20.0);
        (20.0 * self.apply(v).max(1e-30).log10()) as f32
    }
}

/// Spacing of the `ln cosh` table.
const LN_COSH_STEP: f64 = 1.0 / 256.0;
/// Beyond this, `ln cosh u = u - ln 2` to within `e^-48`.
const LN_COSH_END: f64 = 24.0;

/// The `ln cosh` table, built on first use.
static LN_COSH_TABLE: std::sync::OnceLock<Vec<[f64; 2]>> = std::sync::OnceLock::new();

/// Builds the tables the curves use (it allocates, once per process). Call it before the audio
/// thread can reach a curve: `TransientClipper::new` does.
pub fn prepare_tables() {
    ln_cosh(0.0);
}

/// `ln cosh u` for `u >= 0`, by cubic Hermite interpolation of a table of `ln cosh` and its slope
/// `tanh` (error below 2e-12), because `exp` and `ln_1p` per sample at 4x were most of the Soft
/// curve's cost. The table (about 100 KB) is built once per process and shared.
#[inline]
fn ln_cosh(u: f64) -> f64 {
    if u >= LN_COSH_END {
        return u - std::f64::consts::LN_2;
    }
    let table = LN_COSH_TABLE.get_or_init(|| {
        let points = (LN_COSH_END / LN_COSH_STEP) as usize + 2;
        (0..points)
            .map(|i| {
                let u = i as f64 * LN_COSH_STEP;
                [u + (-2.0 * u).exp().ln_1p() - std::f64::consts::LN_2, u.tanh()]
            })
            .collect()
    });
    let pos = u / LN_COSH_STEP;
    let i = pos as usize;
    let t = pos - i as f64;
    let ([y0, d0], [y1, d1]) = (table[i], table[i + 1]);
    let (d0, d1) = (d0 * LN_COSH_STEP, d1 * LN_COSH_STEP);
    // Hermite basis on t in [0, 1].
    let t2 = t * t;
    let t3 = t2 * t;
    y0 * (2.0 * t3 - 3.0 * t2 + 1.0) + d0 * (t3 - 2.0 * t2 + t) + y1 * (-2.0 * t3 + 3.0 * t2) + d1 * (t3 - t2)
}

#[cfg(test)]
mod tests {
    #[test]
    fn ln_cosh_table_matches_the_formula() {
        let mut worst = 0.0f64;
        for i in 0..200_000 {
            let u = i as f64 * 30.0 / 200_000.0;
            let exact = u + (-2.0 * u).exp().ln_1p() - std::f64::consts::LN_2;
            worst = worst.max((super::ln_cosh(u) - exact).abs());
        }
        assert!(worst < 2e-12, "worst error {worst:e}");
    }
}
