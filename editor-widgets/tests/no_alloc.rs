//! The audio-thread side of the sample and peak-column hand-offs never allocates, nor does a
//! spectrum refresh.

use editor_widgets::{PeakColumns, SampleRing, SpectrumAnalyser};
use test_support::allocations;

#[global_allocator]
static GLOBAL: test_support::CountingAllocator = test_support::CountingAllocator;

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
