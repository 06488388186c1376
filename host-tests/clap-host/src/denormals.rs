//! Flush-to-zero / denormals-are-zero on the processing thread, as DAWs set it.

/// Sets FTZ and DAZ (x86_64 MXCSR bits 15 and 6, or aarch64 FPCR.FZ) for its lifetime and
/// restores the previous mode on drop. On other targets it does nothing.
pub struct ScopedFlushDenormals {
    /// Control register value before the guard.
    #[allow(dead_code)]
    previous: u64,
    /// The register belongs to this thread, so the guard must not move to another one.
    _not_send: std::marker::PhantomData<*const ()>,
}

#[cfg(target_arch = "x86_64")]
mod imp {
    use std::arch::asm;

    const FTZ: u32 = 1 << 15;
    const DAZ: u32 = 1 << 6;

    pub(super) fn read() -> u64 {
        let mut csr: u32 = 0;
        unsafe { asm!("stmxcsr [{}]", in(reg) &mut csr, options(nostack)) };
        csr as u64
    }

    pub(super) fn write(value: u64) {
        let csr = value as u32;
        unsafe { asm!("ldmxcsr [{}]", in(reg) &csr, options(nostack)) };
    }

    pub(super) fn with_flush(value: u64) -> u64 {
        value | (FTZ | DAZ) as u64
    }

    pub(super) fn is_flushing(value: u64) -> bool {
        value as u32 & (FTZ | DAZ) == FTZ | DAZ
    }
}

#[cfg(target_arch = "aarch64")]
mod imp {
    use std::arch::asm;

    const FZ: u64 = 1 << 24;

    pub(super) fn read() -> u64 {
        let v: u64;
        unsafe { asm!("mrs {}, fpcr", out(reg) v, options(nomem, nostack)) };
        v
    }

    pub(super) fn write(value: u64) {
        unsafe { asm!("msr fpcr, {}", in(reg) value, options(nomem, nostack)) };
    }

    pub(super) fn with_flush(value: u64) -> u64 {
        value | FZ
    }

    pub(super) fn is_flushing(value: u64) -> bool {
        value & FZ != 0
    }
}

#[cfg(not(any(target_arch = "x86_64", target_arch = "aarch64")))]
mod imp {
    pub(super) fn read() -> u64 {
        0
    }
    pub(super) fn write(_: u64) {}
    pub(super) fn with_flush(v: u64) -> u64 {
        v
    }
    pub(super) fn is_flushing(_: u64) -> bool {
        false
    }
}

impl ScopedFlushDenormals {
    /// Turns flushing on for the current thread.
    pub fn enable() -> Self {
        let previous = imp::read();
        imp::write(imp::with_flush(previous));
        ScopedFlushDenormals {
            previous,
            _not_send: std::marker::PhantomData,
        }
    }

    /// True if the current thread flushes denormals (always false on unsupported targets).
    pub fn is_active() -> bool {
        imp::is_flushing(imp::read())
    }
}

impl Drop for ScopedFlushDenormals {
    fn drop(&mut self) {
        imp::write(self.previous);
    }
}

#[cfg(test)]
mod tests {
    use super::ScopedFlushDenormals;

    #[test]
    #[cfg(any(target_arch = "x86_64", target_arch = "aarch64"))]
    fn flushes_inside_and_restores_after() {
        let before = ScopedFlushDenormals::is_active();
        let tiny = std::hint::black_box(1.0e-38f32);
        {
            let _guard = ScopedFlushDenormals::enable();
            assert!(ScopedFlushDenormals::is_active());
            let product = std::hint::black_box(tiny) * std::hint::black_box(1.0e-3f32);
            assert_eq!(product, 0.0, "a denormal result survived FTZ");
        }
        assert_eq!(ScopedFlushDenormals::is_active(), before);
        if !before {
            let product = std::hint::black_box(tiny) * std::hint::black_box(1.0e-3f32);
            assert!(product > 0.0, "denormals stayed flushed after the guard");
        }
    }
}
