//! The heap this process holds, as glibc reports it: what the benchmark and the soak read before
//! and after plugins allocate.

/// Heap in use by this process (glibc `mallinfo2`: small blocks plus mmapped ones), in bytes.
///
/// glibc's per-thread cache counts freed chunks as in use; run with
/// `GLIBC_TUNABLES=glibc.malloc.tcache_count=0` when a reading must not wander by a few KiB.
pub fn heap_in_use() -> usize {
    #[repr(C)]
    struct Mallinfo2 {
        arena: usize,
        ordblks: usize,
        smblks: usize,
        hblks: usize,
        hblkhd: usize,
        usmblks: usize,
        fsmblks: usize,
        uordblks: usize,
        fordblks: usize,
        keepcost: usize,
    }
    extern "C" {
        fn mallinfo2() -> Mallinfo2;
    }
    // SAFETY: a plain glibc call returning a struct by value.
    let m = unsafe { mallinfo2() };
    m.uordblks + m.hblkhd
}
