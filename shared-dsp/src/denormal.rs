//! Flush-to-zero for the duration of a processing call, so recursive filters never hit denormals.

/// Sets the CPU's flush-to-zero and denormals-are-zero modes while alive and restores the previous
/// mode when dropped. Create one at the top of the audio callback.
///
/// On targets other than x86_64 and aarch64 this does nothing.
pub struct DenormalGuard {
    #[allow(dead_code)]
    saved: usize,
}

impl DenormalGuard {
    /// Enables FTZ/DAZ and remembers the previous state.
    #[allow(clippy::new_without_default)]
    #[inline]
    pub fn new() -> Self {
        Self { saved: imp::enable() }
    }
}

impl Drop for DenormalGuard {
    #[inline]
    fn drop(&mut self) {
        imp::restore(self.saved);
    }
}

#[cfg(target_arch = "x86_64")]
mod imp {
    use std::arch::asm;
    /// MXCSR bits: flush-to-zero (15) and denormals-are-zero (6).
    const FTZ_DAZ: u32 = (1 << 15) | (1 << 6);

    #[inline]
    pub fn enable() -> usize {
        let mut csr: u32 = 0;
        // SAFETY: stmxcsr/ldmxcsr only read and write the SSE control register and the local.
        unsafe {
            asm!("stmxcsr [{}]", in(reg) &mut csr, options(nostack));
            let new = csr | FTZ_DAZ;
            asm!("ldmxcsr [{}]", in(reg) &new, options(nostack));
        }
        csr as usize
    }

    #[inline]
    pub fn restore(saved: usize) {
        let csr = saved as u32;
        // SAFETY: restores the value read in `enable`.
        unsafe { asm!("ldmxcsr [{}]", in(reg) &csr, options(nostack)) };
    }
}

#[cfg(target_arch = "aarch64")]
mod imp {
    use std::arch::asm;
    /// FPCR bit 24: flush-to-zero.
    const FZ: usize = 1 << 24;

    #[inline]
    pub fn enable() -> usize {
        let fpcr: usize;
        // SAFETY: reads and writes only the floating-point control register.
        unsafe {
            asm!("mrs {}, fpcr", out(reg) fpcr, options(nomem, nostack));
            asm!("msr fpcr, {}", in(reg) fpcr | FZ, options(nomem, nostack));
        }
        fpcr
    }

    #[inline]
    pub fn restore(saved: usize) {
        // SAFETY: restores the value read in `enable`.
        unsafe { asm!("msr fpcr, {}", in(reg) saved, options(nomem, nostack)) };
    }
}

#[cfg(not(any(target_arch = "x86_64", target_arch = "aarch64")))]
mod imp {
    pub fn enable() -> usize {
        0
    }
    pub fn restore(_saved: usize) {}
}
