//! A fixed-capacity delay line, used for lookahead and for keeping the dry path aligned.

/// Single-channel delay line with a capacity fixed at construction and a delay set in samples.
#[derive(Debug, Clone)]
pub struct DelayLine {
    buffer: Vec<f32>,
    write: usize,
    delay_samples: usize,
}

impl DelayLine {
    /// Allocates room for delays up to `max_delay_samples`.
    pub fn new(max_delay_samples: usize) -> Self {
        Self { buffer: vec![0.0; max_delay_samples + 1], write: 0, delay_samples: 0 }
    }

    /// The largest delay this line can hold, in samples.
    pub fn max_delay_samples(&self) -> usize {
        self.buffer.len() - 1
    }

    /// Sets the delay in samples, clamped to the capacity.
    pub fn set_delay_samples(&mut self, delay_samples: usize) {
        self.delay_samples = delay_samples.min(self.max_delay_samples());
    }

    /// The current delay in samples.
    pub fn delay_samples(&self) -> usize {
        self.delay_samples
    }

    /// Pushes one sample and returns the sample from `delay_samples` ago.
    #[inline]
    pub fn tick(&mut self, x: f32) -> f32 {
        if self.delay_samples == 0 {
            return x;
        }
        let len = self.buffer.len();
        self.buffer[self.write] = x;
        let mut read = self.write + len - self.delay_samples;
        if read >= len {
            read -= len;
        }
        self.write += 1;
        if self.write == len {
            self.write = 0;
        }
        self.buffer[read]
    }

    /// Delays a block in place.
    pub fn process(&mut self, samples: &mut [f32]) {
        for s in samples {
            *s = self.tick(*s);
        }
    }

    /// Zeroes the stored history.
    pub fn reset(&mut self) {
        self.buffer.fill(0.0);
        self.write = 0;
    }
}
