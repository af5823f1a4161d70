//! Decodes the JPEG files the test put in storage memory (`\\fls0\JT1.jpg`,
//! `\\fls0\JT2.jpg`) through the file API (`prizm::fs::File` as the
//! decoder's `ByteSource`) and, for comparison, from memory, and prints one
//! line per request on the debug channel:
//!
//! `jpegtest: file=JT1.jpg scale=1 region=x,y,w,h format=565 index=0 rows=N checksum=0x… memory=same`
//!
//! `emulator-tests/end-to-end/jpeg.rs` decodes the same requests on the host and
//! compares. The checksum folds every pixel value of every row in order
//! (`c = c.rotl(5) ^ value`; RGB565 values, or RGB888 bytes). Ends with
//! `jpegtest: done` (exit code 0), or `jpegtest: error …` (exit code 1).
#![cfg_attr(not(test), no_std)]
#![cfg_attr(not(test), no_main)]

#[cfg(not(test))]
mod device {
    extern crate alloc;

    use alloc::format;

    use prizm::debug_println;
    use prizm::fs::{File, OpenMode, Path};
    use prizm_jpeg::{ByteSource, Decoder, Index, Options, PixelFormat, Pixels, Region, Scale, SliceSource};

    prizm::entry!(main);

    /// One decode request: file, scale divisor, region (width 0: whole picture),
    /// format, whether to build an index first (the decode then seeks to a checkpoint).
    struct Request {
        file: &'static str,
        divisor: u32,
        region: (u32, u32, u32, u32),
        format: PixelFormat,
        index: bool,
    }

    static REQUESTS: &[Request] = &[
        Request { file: "JT1.jpg", divisor: 1, region: (0, 0, 0, 0), format: PixelFormat::Rgb565, index: false },
        Request { file: "JT1.jpg", divisor: 1, region: (0, 0, 0, 0), format: PixelFormat::Rgb888, index: false },
        Request { file: "JT1.jpg", divisor: 1, region: (37, 101, 150, 70), format: PixelFormat::Rgb565Dithered, index: true },
        Request { file: "JT1.jpg", divisor: 2, region: (10, 20, 120, 60), format: PixelFormat::Rgb888, index: false },
        Request { file: "JT2.jpg", divisor: 8, region: (0, 0, 0, 0), format: PixelFormat::Rgb565, index: false },
        Request { file: "JT2.jpg", divisor: 2, region: (100, 50, 96, 40), format: PixelFormat::Rgb565, index: false },
    ];

    /// Rows and checksum of one decode, or the error's text.
    fn decode<S: ByteSource>(source: S, request: &Request) -> Result<(u32, u32), prizm_jpeg::Error> {
        let mut decoder = Decoder::new(source)?;
        let (x, y, width, height) = request.region;
        let options = Options {
            scale: Scale::from_divisor(request.divisor).unwrap_or(Scale::Full),
            region: (width > 0).then_some(Region { x, y, width, height }),
            format: request.format,
            ..Options::default()
        };
        let mut index = Index::new();
        if request.index {
            decoder.build_index(&mut index)?;
        }
        let mut checksum = 0u32;
        let summary = decoder.decode(&options, request.index.then_some(&mut index), |_, row| match row {
            Pixels::Rgb565(pixels) => pixels.iter().for_each(|&p| checksum = checksum.rotate_left(5) ^ u32::from(p)),
            Pixels::Rgb888(bytes) => bytes.iter().for_each(|&b| checksum = checksum.rotate_left(5) ^ u32::from(b)),
        })?;
        Ok((summary.rows, checksum))
    }

    fn run() -> Result<(), &'static str> {
        for request in REQUESTS {
            let name = format!("\\\\fls0\\{}", request.file);
            let path = Path::new(&name).map_err(|_| "bad path")?;
            let file = File::open(&path, OpenMode::Read).map_err(|_| "cannot open the file (did the test write it?)")?;
            let size = file.size().map_err(|_| "cannot read the file size")?;
            let from_file = decode(file, request);
            let mut bytes = alloc::vec![0u8; size];
            let read = prizm::fs::read(&path, &mut bytes).map_err(|_| "cannot read the file into memory")?;
            bytes.truncate(read);
            let from_memory = decode(SliceSource::new(&bytes), request);
            let (x, y, w, h) = request.region;
            let format = match request.format {
                PixelFormat::Rgb888 => "888",
                PixelFormat::Rgb565 => "565",
                PixelFormat::Rgb565Dithered => "565d",
            };
            match from_file {
                Ok((rows, checksum)) => debug_println!(
                    "jpegtest: file={} scale={} region={},{},{},{} format={} index={} rows={} checksum={:#010x} memory={}",
                    request.file, request.divisor, x, y, w, h, format, u8::from(request.index), rows, checksum,
                    match from_memory {
                        Ok(m) if m == (rows, checksum) => "same",
                        _ => "DIFFERENT",
                    }
                ),
                Err(e) => debug_println!("jpegtest: error decoding {} from the file: {}", request.file, e),
            }
        }
        Ok(())
    }

    fn main(_calculator: prizm::Calculator) {
        match run() {
            Ok(()) => {
                debug_println!("jpegtest: done");
                prizm::debug::exit(0);
            }
            Err(what) => {
                debug_println!("jpegtest: error {}", what);
                prizm::debug::exit(1);
            }
        }
    }
}
