//! The audio-thread side of the sample and peak-column hand-offs never allocates, nor does a
//! spectrum refresh.

use editor_widgets::{PeakColumns, SampleRing, SpectrumAnalyser};
use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;

/// Counts allocations made by the current thread (the test harness's own threads don't count).
struct CountingAllocator;

thread_local! {
    static ALLOCATIONS: Cell<usize> = const { Cell::new(0) };
}

unsafe impl GlobalAlloc for CountingAllocator {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        ALLOCATIONS.with(|a| a.set(a.get() + 1));
        // SAFETY: forwarded unchanged to the system allocator.
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: forwarded unchanged to the system allocator.
        unsafe { System.dealloc(ptr, layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        ALLOCATIONS.with(|a| a.set(a.get() + 1));
        // SAFETY: forwarded unchanged to the system allocator.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static GLOBAL: CountingAllocator = CountingAllocator;

fn allocations() -> usize {
    ALLOCATIONS.with(Cell::get)
}

#[test]
fn allocator_counts() {
    let before = allocations();
    let v = std::hint::black_box(vec![1u8; 100]);
    assert!(allocations() > before);
    drop(v);
}

#[test]
fn push_never_allocates() {
    let ring = SampleRing::new(1024);
    let block: Vec<f32> = (0..4096).map(|i| (i as f32 * 0.01).sin()).collect();
    let before = allocations();
    for size in [0, 1, 7, 64, 512, 1023, 1024, 1025, 4096] {
        for _ in 0..100 {
            ring.push(&block[..size]);
        }
    }
    assert_eq!(allocations(), before, "SampleRing::push allocated");
}

#[test]
fn read_and_spectrum_update_never_allocate() {
    let ring = SampleRing::new(4096);
    let mut analyser = SpectrumAnalyser::new(2048);
    let mut out = vec![0.0f32; 1000];
    let block: Vec<f32> = (0..256).map(|i| (i as f32 * 0.3).sin()).collect();
    let before = allocations();
    for _ in 0..50 {
        ring.push(&block);
        ring.read_latest(&mut out);
        analyser.update(&ring, 48_000.0);
    }
    assert_eq!(allocations(), before, "read_latest or SpectrumAnalyser::update allocated");
}

#[test]
fn peak_columns_push_block_never_allocates() {
    let ring = SampleRing::new(256);
    let left: Vec<f32> = (0..4096).map(|i| (i as f32 * 0.01).sin()).collect();
    let mut right: Vec<f32> = (0..4096).map(|i| (i as f32 * 0.03).cos()).collect();
    right[100] = f32::NAN;
    let mut columns = PeakColumns::new(3);
    let before = allocations();
    // Short blocks, empty blocks, and blocks that finish more columns than one push batch or the ring.
    for size in [0, 1, 2, 7, 64, 512, 1023, 4096] {
        for _ in 0..20 {
            columns.push_block(&[&left[..size], &right[..size]], &ring);
        }
    }
    columns.reset();
    columns.push_block(&[&left[..]], &ring);
    assert_eq!(allocations(), before, "PeakColumns::push_block allocated");
    assert!(ring.total_written() > 0);
}
