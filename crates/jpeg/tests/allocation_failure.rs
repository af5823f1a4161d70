//! A progressive decode whose buffers fit the memory limit but not the
//! allocator (a calculator's arena is often smaller than the limit) goes on
//! in smaller bands and gives the same pixels; a baseline decode whose wide
//! skip tables the allocator refuses goes on with narrow ones. The
//! allocator of this test binary refuses single allocations above a
//! threshold while one is set (global to the binary: the tests take turns).

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

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

/// Held by the test that sets the thresholds.
static TURN: Mutex<()> = Mutex::new(());

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
    let _turn = TURN.lock().unwrap_or_else(|e| e.into_inner());
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

#[test]
fn refused_wide_skip_tables_give_way_to_narrow_ones() {
    let _turn = TURN.lock().unwrap_or_else(|e| e.into_inner());
    let mut pixels = Vec::new();
    for y in 0..96usize {
        for x in 0..128usize {
            pixels.extend_from_slice(&[(x * 2) as u8, (y * 2) as u8, ((x * 7) ^ (y * 5)) as u8]);
        }
    }
    let mut jpeg = Vec::new();
    let mut encoder = Encoder::new(&mut jpeg, 85);
    encoder.set_sampling_factor(SamplingFactor::F_2_2);
    encoder.encode(&pixels, 128, 96, ColorType::Rgb).unwrap();
    let options = Options { scale: Scale::Eighth, format: prizm_jpeg::PixelFormat::Rgb565, ..Options::default() };
    let mut expected = Vec::with_capacity(16 * 12);
    let mut decoder = Decoder::new(SliceSource::new(&jpeg)).unwrap();
    let wide = decoder.decode(&options, None, |_, row| expected.extend_from_slice(row_pixels(&row))).unwrap().working_memory;
    let mut got = Vec::with_capacity(16 * 12);
    // Two AC tables: 8 KiB of wide skip tables in one allocation, 2 KiB of narrow ones.
    REFUSE_ABOVE.store(4096, Ordering::Relaxed);
    let result = decoder.decode(&options, None, |_, row| got.extend_from_slice(row_pixels(&row)));
    REFUSE_ABOVE.store(usize::MAX, Ordering::Relaxed);
    let narrow = result.expect("decodes with narrow skip tables").working_memory;
    assert_eq!(narrow, wide - 6 * 1024);
    assert_eq!(got, expected);
}

fn row_pixels<'a>(row: &'a Pixels<'a>) -> &'a [u16] {
    match row {
        Pixels::Rgb565(pixels) => pixels,
        Pixels::Rgb888(_) => &[],
    }
}
