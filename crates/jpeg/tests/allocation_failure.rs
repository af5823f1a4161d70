//! A progressive decode whose buffers fit the memory limit but not the
//! allocator (a calculator's arena is often smaller than the limit) goes on
//! in smaller bands and gives the same pixels. The allocator of this test
//! binary refuses single allocations above a threshold while one is set
//! (one test only: the threshold is global to the binary).

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};

use jpeg_encoder::{ColorType, Encoder, SamplingFactor};
use prizm_jpeg::{Decoder, Options, Pixels, Scale, SliceSource};

/// Largest single allocation allowed (usize::MAX: no limit).
static REFUSE_ABOVE: AtomicUsize = AtomicUsize::new(usize::MAX);
/// Bytes allocated now.
static LIVE: AtomicUsize = AtomicUsize::new(0);
/// The most bytes that may be allocated at once (usize::MAX: no limit).
static BUDGET: AtomicUsize = AtomicUsize::new(usize::MAX);

struct Refusing;

// SAFETY: forwards to the system allocator, or returns null (an allocation
// failure, which `GlobalAlloc` permits) for requests above the threshold.
unsafe impl GlobalAlloc for Refusing {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        if layout.size() > REFUSE_ABOVE.load(Ordering::Relaxed) {
            return std::ptr::null_mut();
        }
        let live = LIVE.fetch_add(layout.size(), Ordering::Relaxed) + layout.size();
        if live > BUDGET.load(Ordering::Relaxed) {
            LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
            return std::ptr::null_mut();
        }
        // SAFETY: the caller's layout contract is passed on unchanged.
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, pointer: *mut u8, layout: Layout) {
        LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
        // SAFETY: `pointer` came from `System.alloc` with this layout.
        unsafe { System.dealloc(pointer, layout) }
    }
}

#[global_allocator]
static ALLOCATOR: Refusing = Refusing;

fn progressive_photo(width: u16, height: u16) -> Vec<u8> {
    let mut pixels = Vec::new();
    for y in 0..height as usize {
        for x in 0..width as usize {
            pixels.extend_from_slice(&[(x * 255 / width as usize) as u8, (y * 255 / height as usize) as u8, ((x ^ y) & 0xFF) as u8]);
        }
    }
    let mut out = Vec::new();
    let mut encoder = Encoder::new(&mut out, 85);
    encoder.set_sampling_factor(SamplingFactor::F_2_2);
    encoder.set_progressive(true);
    encoder.encode(&pixels, width, height, ColorType::Rgb).unwrap();
    out
}

/// Decodes at 1/2 into `picture` (reserved by the caller beforehand: the
/// test's own buffer must not be refused); returns the working memory.
fn decode(jpeg: &[u8], picture: &mut Vec<u16>) -> Result<u32, prizm_jpeg::Error> {
    let mut decoder = Decoder::new(SliceSource::new(jpeg))?;
    let options = Options { scale: Scale::Half, format: prizm_jpeg::PixelFormat::Rgb565, ..Options::default() };
    picture.clear();
    let summary = decoder.decode(&options, None, |_, row| {
        if let Pixels::Rgb565(pixels) = row {
            picture.extend_from_slice(pixels);
        }
    })?;
    Ok(summary.working_memory)
}

#[test]
fn progressive_bands_shrink_when_the_allocator_runs_short() {
    let jpeg = progressive_photo(320, 480);
    let mut expected = Vec::with_capacity(160 * 240);
    let memory = decode(&jpeg, &mut expected).expect("decodes with any allocation allowed");
    // The coefficient store of the whole picture at 1/2 (64 coefficients a
    // block) is far above 64 KiB: refuse anything above 64 KiB.
    assert!(memory > 200_000, "one band holds the whole picture: {memory} B");
    let mut got = Vec::with_capacity(160 * 240);
    // At most 64 KiB at once and 150 KB in all (a small arena).
    REFUSE_ABOVE.store(64 * 1024, Ordering::Relaxed);
    BUDGET.store(LIVE.load(Ordering::Relaxed) + 150_000, Ordering::Relaxed);
    let result = decode(&jpeg, &mut got);
    REFUSE_ABOVE.store(usize::MAX, Ordering::Relaxed);
    BUDGET.store(usize::MAX, Ordering::Relaxed);
    let memory = result.expect("decodes in smaller bands");
    assert!(memory < 200_000, "smaller bands: {memory} B");
    assert_eq!(got, expected);
}
