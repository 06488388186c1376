//! The band layout of spectral processors: about 1/3-octave bands over FFT bins, and band-to-bin gains.

use std::ops::Range;

/// The most bands a [`BandLayout`] holds (enough for every third octave from 25 Hz to 192 kHz).
pub const MAX_BANDS: usize = 40;

/// Index of the lowest band centre relative to 1 kHz, in third octaves: `1000 * 10^(-16/10)` is
/// 25.1 Hz, nominally 25 Hz.
const LOWEST_BAND_INDEX: i32 = -16;

/// Exact base-ten third-octave centre `k` bands above 1 kHz in Hz (IEC 61260-1: `1000 * 10^(k/10)`;
/// the nominal ISO 266 values 25, 31.5, 40, ... Hz are these, rounded).
fn exact_centre_hz(k: i32) -> f64 {
    1000.0 * 10f64.powf(k as f64 / 10.0)
}

/// Bands over the bins of a real FFT: third-octave bands with ISO-style centres from 25 Hz up to the
/// last centre below Nyquist, at most [`MAX_BANDS`] of them.
///
/// **Bins.** Nominal band `k` spans `c_k * 10^(-1/20) .. c_k * 10^(1/20)` (the geometric means of
/// neighbouring centres); bin `i` lies at `i * sample_rate / fft_size`. The first band also takes DC and
/// every bin below 25 Hz, the last band every bin up to Nyquist. Bands are contiguous runs of bins.
///
/// **Merging.** At small FFT sizes and high rates the low third octaves are narrower than a bin. Going
/// up from the lowest band, neighbouring nominal bands are merged until the merged band holds at least
/// one bin other than DC; an empty group left over at the top joins the band below it. A merged band's
/// centre is the geometric mean of the centres it merged. So every band holds at least one bin, and
/// centres rise strictly.
///
/// **Interpolation.** [`Self::interpolate_db`] spreads per-band values (dB) over the bins, linear in
/// dB against log frequency between neighbouring band centres and flat below the first centre and
/// above the last.
///
/// Storage for the per-bin tables is allocated in [`Self::with_capacity`]; [`Self::configure`] does
/// not allocate.
#[derive(Debug, Clone)]
pub struct BandLayout {
    /// FFT size in samples.
    fft_size: usize,
    /// Sample rate in Hz.
    sample_rate_hz: f32,
    /// Number of bands in use, `1..=MAX_BANDS`.
    count: usize,
    /// Centre frequency of each band in Hz; the first `count` are valid and rise strictly.
    centres_hz: [f32; MAX_BANDS],
    /// Band `b` holds bins `first_bin[b]..first_bin[b + 1]`; `first_bin[count]` is the bin count.
    first_bin: [usize; MAX_BANDS + 1],
    /// Per bin, its position in band coordinates: `b + w` puts the bin between the centres of bands
    /// `b` and `b + 1`, with weight `w` in `[0, 1)` on band `b + 1`. Spans `0..=count - 1`.
    bin_position: Vec<f32>,
}

impl BandLayout {
    /// A layout for `fft_size` at `sample_rate_hz`, with room for exactly that size.
    ///
    /// # Panics
    /// As [`Self::configure`].
    pub fn new(fft_size: usize, sample_rate_hz: f32) -> Self {
        Self::with_capacity(fft_size, fft_size, sample_rate_hz)
    }

    /// A layout for `fft_size` at `sample_rate_hz`, with room for FFT sizes up to `max_fft_size`.
    ///
    /// # Panics
    /// As [`Self::configure`].
    pub fn with_capacity(max_fft_size: usize, fft_size: usize, sample_rate_hz: f32) -> Self {
        let mut layout = Self {
            fft_size: 0,
            sample_rate_hz: 0.0,
            count: 0,
            centres_hz: [0.0; MAX_BANDS],
            first_bin: [0; MAX_BANDS + 1],
            bin_position: vec![0.0; max_fft_size / 2 + 1],
        };
        layout.configure(fft_size, sample_rate_hz);
        layout
    }

    /// Rebuilds the layout for `fft_size` at `sample_rate_hz`. Does not allocate.
    ///
    /// # Panics
    /// If `fft_size` is odd, below 4 or above the capacity, or the sample rate is not positive.
    pub fn configure(&mut self, fft_size: usize, sample_rate_hz: f32) {
        assert!(fft_size >= 4 && fft_size.is_multiple_of(2), "FFT size must be even and >= 4, got {fft_size}");
        assert!(fft_size / 2 < self.bin_position.len(), "FFT size {fft_size} above the layout's capacity");
        assert!(sample_rate_hz > 0.0, "sample rate must be positive, got {sample_rate_hz}");
        self.fft_size = fft_size;
        self.sample_rate_hz = sample_rate_hz;
        let bins = fft_size / 2 + 1;
        let bin_hz = sample_rate_hz as f64 / fft_size as f64;
        let nyquist_hz = 0.5 * sample_rate_hz as f64;
        let half_band = 10f64.powf(0.05);

        // Nominal bands: centres from 25 Hz while below Nyquist (always at least one), capped.
        let mut nominal = 1;
        while nominal < MAX_BANDS && exact_centre_hz(LOWEST_BAND_INDEX + nominal as i32) < nyquist_hz {
            nominal += 1;
        }

        // Group nominal bands until each group holds a bin other than DC (bin 0 joins the first).
        self.count = 0;
        self.first_bin[0] = 0;
        let mut group_first_k = LOWEST_BAND_INDEX; // first nominal band of the open group
        let mut last_band_first_k = LOWEST_BAND_INDEX; // first nominal band of the newest band
        let mut next_bin = 1; // first bin not yet assigned (DC belongs to the first group)
        for j in 0..nominal {
            let k = LOWEST_BAND_INDEX + j as i32;
            let end = if j + 1 == nominal {
                bins
            } else {
                // First bin at or above the upper edge of nominal band k.
                ((exact_centre_hz(k) * half_band / bin_hz).ceil() as usize).clamp(1, bins)
            };
            if end > next_bin {
                self.centres_hz[self.count] = (exact_centre_hz(group_first_k) * exact_centre_hz(k)).sqrt() as f32;
                self.count += 1;
                self.first_bin[self.count] = end;
                next_bin = end;
                last_band_first_k = group_first_k;
                group_first_k = k + 1;
            }
        }
        let last_k = LOWEST_BAND_INDEX + nominal as i32 - 1;
        if group_first_k <= last_k {
            // NOTE: cannot happen (the last nominal centre is below Nyquist, so the last nominal band
            // holds at least the Nyquist bin); an empty top group would join the band below.
            self.centres_hz[self.count - 1] =
                (exact_centre_hz(last_band_first_k) * exact_centre_hz(last_k)).sqrt() as f32;
            self.first_bin[self.count] = bins;
        }

        // Interpolation positions.
        let count = self.count;
        let mut b = 0;
        for (i, pos) in self.bin_position[..bins].iter_mut().enumerate() {
            let f = i as f64 * bin_hz;
            let first = self.centres_hz[0] as f64;
            let last = self.centres_hz[count - 1] as f64;
            *pos = if f <= first {
                0.0
            } else if f >= last {
                (count - 1) as f32
            } else {
                while self.centres_hz[b + 1] as f64 <= f {
                    b += 1;
                }
                let lo = self.centres_hz[b] as f64;
                let hi = self.centres_hz[b + 1] as f64;
                let w = ((f / lo).ln() / (hi / lo).ln()).clamp(0.0, 1.0);
                (b as f64 + w) as f32
            };
        }
    }

    /// FFT size in samples.
    pub fn fft_size(&self) -> usize {
        self.fft_size
    }

    /// Sample rate in Hz.
    pub fn sample_rate_hz(&self) -> f32 {
        self.sample_rate_hz
    }

    /// Number of bins, `fft_size / 2 + 1` (DC to Nyquist).
    pub fn num_bins(&self) -> usize {
        self.fft_size / 2 + 1
    }

    /// Number of bands, `1..=MAX_BANDS`.
    pub fn count(&self) -> usize {
        self.count
    }

    /// Centre frequency of each band in Hz, rising.
    pub fn centres_hz(&self) -> &[f32] {
        &self.centres_hz[..self.count]
    }

    /// The bins of band `band` (never empty).
    ///
    /// # Panics
    /// If `band >= self.count()`.
    pub fn bins(&self, band: usize) -> Range<usize> {
        assert!(band < self.count, "band {band} out of {}", self.count);
        self.first_bin[band]..self.first_bin[band + 1]
    }

    /// The band holding bin `bin` (bins past Nyquist report the last band).
    pub fn band_of_bin(&self, bin: usize) -> usize {
        self.first_bin[1..=self.count].iter().position(|&end| bin < end).unwrap_or(self.count - 1)
    }

    /// Sums per-bin values (powers, say) into per-band values: `band_sum[b]` becomes the sum of
    /// `bin_values` over the bins of band `b`. Missing bins count as zero; extra bands are untouched.
    pub fn sum_bands(&self, bin_values: &[f32], band_sum: &mut [f32]) {
        for (b, sum) in band_sum.iter_mut().take(self.count).enumerate() {
            let r = self.bins(b);
            let r = r.start.min(bin_values.len())..r.end.min(bin_values.len());
            *sum = bin_values[r].iter().sum();
        }
    }

    /// Spreads per-band values in dB (`band_db`, one per band) over the bins (`bin_db`, one per bin):
    /// linear in dB against log frequency between neighbouring band centres, flat below the first
    /// centre and above the last. Extra bins are untouched.
    ///
    /// # Panics
    /// If `band_db` holds fewer than [`Self::count`] values.
    pub fn interpolate_db(&self, band_db: &[f32], bin_db: &mut [f32]) {
        let band_db = &band_db[..self.count];
        let last = self.count - 1;
        let bins = self.num_bins().min(bin_db.len());
        for (out, &pos) in bin_db[..bins].iter_mut().zip(&self.bin_position[..bins]) {
            // NOTE: `pos <= last`, and a weight rounded up to 1 lands on the next band with weight 0.
            let b = pos as usize;
            let w = pos - b as f32;
            let lo = band_db[b];
            let hi = band_db[(b + 1).min(last)];
            *out = lo + w * (hi - lo);
        }
    }
}
