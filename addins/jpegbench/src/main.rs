//! Decodes the same pictures with prizm-jpeg and with tjpgdec-rs at the same
//! scales and prints cycles (58 MHz virtual clock) and working memory on
//! the debug channel: `prizm-emu run target/addins/jpegbench.elf`.
//! Figures only; nothing is asserted. First it writes a picture to storage
//! memory and decodes it back through the file API (`prizm::fs::File` is a
//! `ByteSource` with prizm-jpeg's `prizm` feature), streaming: never the whole file in RAM.
#![cfg_attr(not(test), no_std)]
#![cfg_attr(not(test), no_main)]

#[cfg(not(test))]
mod device {
    extern crate alloc;

    use alloc::vec;
    use core::cell::Cell;
    use core::hint::black_box;

    use prizm::fs::{self, File, OpenMode, Path};
    use prizm::{debug_println, time};
    use prizm_jpeg::{Decoder, Options, PixelFormat, Pixels, Region, Scale, SliceSource, Upsampling};
    use prizm_jpeg::{DEFAULT_INPUT_BUFFER_BYTES, DEFAULT_MEMORY_LIMIT};

    /// Writes `jpeg` to storage memory, decodes a screenful at 1/2 from the
    /// file, and reports rows, a checksum and cycles.
    fn from_storage(jpeg: &[u8]) -> Result<(), &'static str> {
        let path = Path::new("\\\\fls0\\JPEGBNCH.jpg").map_err(|_| "path")?;
        let _ = fs::delete(&path);
        fs::write(&path, jpeg).map_err(|_| "writing the picture to storage memory failed")?;
        let start = time::Instant::now();
        let file = File::open(&path, OpenMode::Read).map_err(|_| "opening the picture failed")?;
        let mut decoder = Decoder::new(file).map_err(|_| "reading the headers from the file failed")?;
        let options = Options {
            scale: Scale::Half,
            region: Some(Region { x: 64, y: 80, width: 384, height: 216 }),
            format: PixelFormat::Rgb565,
            ..Options::default()
        };
        let mut checksum = 0u32;
        let summary = decoder
            .decode(&options, None, |_, row| {
                if let Pixels::Rgb565(pixels) = row {
                    for &p in pixels {
                        checksum = checksum.rotate_left(5) ^ u32::from(p);
                    }
                }
            })
            .map_err(|_| "decoding from the file failed")?;
        let ticks = start.elapsed_ticks() as u64;
        // The same decode from memory must give the same pixels.
        let mut from_memory = Decoder::new(SliceSource::new(jpeg)).map_err(|_| "headers")?;
        let mut expected = 0u32;
        from_memory
            .decode(&options, None, |_, row| {
                if let Pixels::Rgb565(pixels) = row {
                    for &p in pixels {
                        expected = expected.rotate_left(5) ^ u32::from(p);
                    }
                }
            })
            .map_err(|_| "decoding from memory failed")?;
        debug_println!(
            "jpegbench: from storage memory: {} rows of 384 at 1/2, {} B working memory, about {} cycles, checksum {:#010x} {}",
            summary.rows,
            summary.working_memory,
            ticks * 58_000_000 / 128,
            checksum,
            if checksum == expected { "(same as from memory)" } else { "(DIFFERS from memory)" }
        );
        let _ = fs::delete(&path);
        Ok(())
    }

    prizm::entry!(main);

    static SMALL: &[u8] = include_bytes!("../images/photo-384x216.jpg");
    static LARGE: &[u8] = include_bytes!("../images/photo-1024x768.jpg");

    /// Decodes `name` from storage memory through the file API (streaming:
    /// never the whole file in RAM) at `scale` to RGB565 under the default
    /// memory limits (the baseline one raised by what an input buffer larger
    /// than the default takes), reading `buffer` bytes at a time, once, and
    /// prints cycles and working memory. The big
    /// pictures live there, not in the add-in: static data is copied into
    /// RAM at start, and the RAM it takes is lost to the allocator's arena.
    fn from_file(name: &str, label: &str, scale: Scale, buffer: usize, upsampling: Upsampling) {
        let Ok(path) = Path::new(name) else { return };
        let start = time::Instant::now();
        let Ok(file) = File::open(&path, OpenMode::Read) else {
            debug_println!("jpegbench: {} not in storage memory (tools/bench.sh puts it there), skipped", name);
            return;
        };
        let extra = buffer.saturating_sub(DEFAULT_INPUT_BUFFER_BYTES) as u32;
        let options = Options { scale, format: PixelFormat::Rgb565, upsampling, memory_limit: DEFAULT_MEMORY_LIMIT + extra, ..Options::default() };
        let mut rows = 0u32;
        let result = Decoder::with_input_buffer(file, buffer).and_then(|mut d| d.decode(&options, None, |_, _| rows += 1));
        let cycles = start.elapsed_ticks() as u64 * 58_000_000 / 128;
        match result {
            Ok(summary) => debug_println!(
                "jpegbench: {} at 1/{} from storage memory ({} KiB reads{}): prizm-jpeg {} cycles ({} ms) RGB565, {} rows, {} B working memory",
                label,
                scale.divisor(),
                buffer / 1024,
                if upsampling == Upsampling::Fast { ", fast upsampling" } else { "" },
                cycles,
                cycles / 58_000,
                rows,
                summary.working_memory
            ),
            Err(e) => debug_println!("jpegbench: {} at 1/{} from storage memory: prizm-jpeg failed: {}", label, scale.divisor(), e),
        }
    }

    /// Runs `work` until at least a second of virtual time passed (or it
    /// failed); returns cycles per run. The clock ticks at 128 Hz: timing
    /// starts at a tick and covers at least 128, so the figure is within
    /// 1 % (a quarter second from any phase of a tick was within 3 %
    /// for the 384x216 picture, two runs).
    fn cycles(mut work: impl FnMut() -> u32, failed: &Cell<bool>) -> u32 {
        let edge = time::Instant::now();
        while edge.elapsed_ticks() == 0 {}
        let start = time::Instant::now();
        let mut runs = 0u64;
        loop {
            black_box(work());
            runs += 1;
            let ticks = start.elapsed_ticks() as u64;
            if ticks >= 128 || failed.get() {
                return (ticks * 58_000_000 / 128 / runs) as u32;
            }
        }
    }

    /// Ours: cycles and working memory.
    fn ours(jpeg: &[u8], scale: Scale, format: PixelFormat) -> Option<(u32, u32)> {
        ours_with(jpeg, scale, format, Upsampling::Smooth)
    }

    /// [`ours`] with the given chroma upsampling.
    fn ours_with(jpeg: &[u8], scale: Scale, format: PixelFormat, upsampling: Upsampling) -> Option<(u32, u32)> {
        let mut memory = 0;
        let failed = Cell::new(false);
        let c = cycles(|| {
            let mut rows = 0u32;
            match Decoder::new(SliceSource::new(jpeg)).and_then(|mut d| {
                d.decode(&Options { scale, format, upsampling, memory_limit: u32::MAX, ..Options::default() }, None, |_, row| {
                    rows += match row {
                        Pixels::Rgb565(p) => u32::from(p[0]),
                        Pixels::Rgb888(p) => u32::from(p[0]),
                    }
                })
            }) {
                Ok(summary) => memory = summary.working_memory,
                Err(e) => {
                    debug_println!("jpegbench: prizm-jpeg failed: {}", e);
                    failed.set(true);
                }
            }
            rows
        }, &failed);
        (!failed.get()).then_some((c, memory))
    }

    /// tjpgdec-rs (RGB888 output): cycles and working memory (pool, MCU and work buffers).
    fn tjpgdec(jpeg: &[u8], scale: u8) -> Option<(u32, u32)> {
        let mut memory = 0;
        let failed = Cell::new(false);
        let c = cycles(|| {
            let mut pool_buffer = vec![0u8; tjpgdec_rs::RECOMMENDED_POOL_SIZE];
            let mut pool = tjpgdec_rs::MemoryPool::new(&mut pool_buffer);
            let mut decoder = tjpgdec_rs::JpegDecoder::new();
            let mut sum = 0u32;
            if decoder.prepare(jpeg, &mut pool).is_err() {
                failed.set(true);
                return 0;
            }
            let mut mcu = vec![0i16; decoder.mcu_buffer_size()];
            let mut work = vec![0u8; decoder.work_buffer_size()];
            memory = (pool.used() + mcu.len() * 2 + work.len() + core::mem::size_of_val(&decoder)) as u32;
            let result = decoder.decompress(jpeg, scale, &mut mcu, &mut work, &mut |_, bitmap, _| {
                sum = sum.wrapping_add(u32::from(bitmap[0]));
                Ok(true)
            });
            if result.is_err() {
                failed.set(true);
            }
            sum
        }, &failed);
        (!failed.get()).then_some((c, memory))
    }

    fn main(_calculator: prizm::Calculator) {
        if cfg!(feature = "profile") {
            // A few decodes, nothing else, for `profile.sh`'s trace.
            let (smooth, fast) = (Upsampling::Smooth, Upsampling::Fast);
            let runs = [
                (SMALL, Scale::Full, PixelFormat::Rgb888, smooth),
                (SMALL, Scale::Full, PixelFormat::Rgb565, smooth),
                (LARGE, Scale::Eighth, PixelFormat::Rgb565, smooth),
                (LARGE, Scale::Quarter, PixelFormat::Rgb565Dithered, smooth),
                // Every colour loop of 4:2:0 at 1/1 once (fast dithered: the viewer's decode).
                (SMALL, Scale::Full, PixelFormat::Rgb565Dithered, fast),
                (SMALL, Scale::Full, PixelFormat::Rgb565, fast),
                (SMALL, Scale::Full, PixelFormat::Rgb888, fast),
                (SMALL, Scale::Full, PixelFormat::Rgb565Dithered, smooth),
            ];
            for (jpeg, scale, format, upsampling) in runs {
                let options = Options { scale, format, upsampling, ..Options::default() };
                let result = Decoder::new(SliceSource::new(jpeg)).and_then(|mut d| d.decode(&options, None, |_, _| {}));
                if let Err(e) = result {
                    debug_println!("jpegbench: prizm-jpeg failed: {}", e);
                }
            }
            prizm::debug::exit(0);
        }
        let arena = prizm::allocator::stats();
        debug_println!(
            "jpegbench: allocator arena {} B, largest free block {} B (plus the OS heap)",
            arena.capacity,
            arena.largest_free
        );
        if let Err(what) = from_storage(LARGE) {
            debug_println!("jpegbench: from storage memory: {}", what);
        }
        let cases: [(&str, &[u8], Scale, bool); 5] = [
            ("384x216 4:2:0", SMALL, Scale::Full, true),
            ("1024x768 4:2:0", LARGE, Scale::Full, true),
            ("1024x768 4:2:0", LARGE, Scale::Half, true),
            // 1/4 (256x192) is the largest scale at which 1024x768 fits the 384x216 screen.
            ("1024x768 4:2:0 (fit to screen)", LARGE, Scale::Quarter, true),
            ("1024x768 4:2:0", LARGE, Scale::Eighth, true),
        ];
        for (name, jpeg, scale, baseline) in cases {
            let divisor = scale.divisor();
            // A failed decode has no figures: say so (the error itself was printed by `ours`).
            let (Some((c888, m888)), Some((c565, _)), Some((dithered, _))) =
                (ours(jpeg, scale, PixelFormat::Rgb888), ours(jpeg, scale, PixelFormat::Rgb565), ours(jpeg, scale, PixelFormat::Rgb565Dithered))
            else {
                debug_println!("jpegbench: {} at 1/{}: prizm-jpeg failed, no figures", name, divisor);
                continue;
            };
            let theirs = if baseline { tjpgdec(jpeg, divisor.trailing_zeros() as u8) } else { None };
            let ms = |c: u32| c / 58_000;
            match theirs {
                Some((ct, mt)) => debug_println!(
                    "jpegbench: {} at 1/{}: prizm-jpeg {} cycles ({} ms) RGB888, {} cycles ({} ms) RGB565, {} cycles RGB565 dithered, {} B; tjpgdec-rs {} cycles ({} ms) RGB888, {} B; ratio {}.{:02} (RGB888), {}.{:02} (RGB565)",
                    name, divisor, c888, ms(c888), c565, ms(c565), dithered, m888, ct, ms(ct), mt,
                    c888 / ct.max(1), (u64::from(c888 % ct.max(1)) * 100 / u64::from(ct.max(1))),
                    c565 / ct.max(1), (u64::from(c565 % ct.max(1)) * 100 / u64::from(ct.max(1)))
                ),
                None => debug_println!(
                    "jpegbench: {} at 1/{}: prizm-jpeg {} cycles ({} ms) RGB888, {} cycles ({} ms) RGB565, {} cycles RGB565 dithered, {} B{}",
                    name, divisor, c888, ms(c888), c565, ms(c565), dithered, m888,
                    if baseline { "; tjpgdec-rs failed" } else { "; tjpgdec-rs: baseline only" }
                ),
            }
            // Fast upsampling (the viewer's): chroma repeated at 1/1, and kept
            // at its own resolution below (no larger transform).
            let fast = |format| ours_with(jpeg, scale, format, Upsampling::Fast);
            let (Some((f565, _)), Some((f_dithered, _))) = (fast(PixelFormat::Rgb565), fast(PixelFormat::Rgb565Dithered)) else {
                continue;
            };
            debug_println!(
                "jpegbench: {} at 1/{}, fast upsampling: prizm-jpeg {} cycles ({} ms) RGB565, {} cycles ({} ms) RGB565 dithered",
                name, divisor, f565, ms(f565), f_dithered, ms(f_dithered)
            );
        }
        // The viewer reads sequential pictures 32 KiB at a time (each read
        // costs about 1 ms besides its bytes).
        const DEFAULT: usize = DEFAULT_INPUT_BUFFER_BYTES;
        for (name, label, scale, buffer, upsampling) in [
            ("\\\\fls0\\PROG1024.jpg", "1024x768 4:2:0 progressive", Scale::Eighth, DEFAULT, Upsampling::Smooth),
            ("\\\\fls0\\PROG1024.jpg", "1024x768 4:2:0 progressive", Scale::Half, DEFAULT, Upsampling::Smooth),
            ("\\\\fls0\\BASE4000.jpg", "4000x3000 4:2:0 baseline", Scale::Eighth, DEFAULT, Upsampling::Smooth),
            ("\\\\fls0\\BASE4000.jpg", "4000x3000 4:2:0 baseline", Scale::Eighth, 32 * 1024, Upsampling::Smooth),
            ("\\\\fls0\\BASE4000.jpg", "4000x3000 4:2:0 baseline", Scale::Eighth, 32 * 1024, Upsampling::Fast),
            ("\\\\fls0\\PROG4000.jpg", "4000x3000 4:2:0 progressive", Scale::Eighth, DEFAULT, Upsampling::Smooth),
            ("\\\\fls0\\PROG4000.jpg", "4000x3000 4:2:0 progressive", Scale::Eighth, DEFAULT, Upsampling::Fast),
        ] {
            from_file(name, label, scale, buffer, upsampling);
        }
        prizm::debug::exit(0);
    }
}
