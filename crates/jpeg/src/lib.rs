//! A `no_std` streaming JPEG decoder for machines with little memory and no
//! FPU, such as the Casio Prizm (SH-4A at 58 MHz, about 500 KiB of RAM).
//!
//! - Reads through [`ByteSource`] (a file, a slice): never the whole file.
//! - Baseline and extended sequential Huffman, progressive; 8-bit; greyscale,
//!   YCbCr, RGB, Adobe CMYK and YCCK; any integer sampling ratio.
//! - Decodes at 1/1, 1/2, 1/4 and 1/8 scale with reduced inverse DCTs, and
//!   only a region if asked: blocks outside it are entropy-decoded only.
//! - Hands the picture over row by row as RGB888 or RGB565 (optionally dithered).
//! - Bounded working memory (see the README for the figures), integer arithmetic only.
//! - Never panics on bad input; errors carry the byte offset and marker.
//!
//! ```
//! use prizm_jpeg::{Decoder, Options, Pixels, SliceSource};
//! # fn demo(jpeg: &[u8]) -> Result<(), prizm_jpeg::Error> {
//! let mut decoder = Decoder::new(SliceSource::new(jpeg))?;
//! let info = decoder.info();
//! let mut picture = vec![0u8; info.width as usize * info.height as usize * 3];
//! decoder.decode(&Options::default(), None, |y, row| {
//!     if let Pixels::Rgb888(rgb) = row {
//!         let start = y as usize * rgb.len();
//!         picture[start..start + rgb.len()].copy_from_slice(rgb);
//!     }
//! })?;
//! # Ok(()) }
//! ```
#![no_std]
#![forbid(unsafe_code)]
#![warn(missing_docs)]

extern crate alloc;

mod color;
mod decoder;
mod error;
mod exif;
mod header;
mod huffman;
mod idct;
mod index;
mod input;
mod progressive;
mod source;

pub use decoder::{Decoder, ImageInfo, Options, PixelFormat, Pixels, Region, Scale, Summary, Upsampling};
pub use decoder::{DEFAULT_MEMORY_LIMIT, DEFAULT_PROGRESSIVE_MEMORY_LIMIT};
pub use error::{marker_name, Error, ErrorKind, Feature, ReadError, Result};
pub use exif::{Exif, ShortText};
pub use header::{Coding, ColorModel};
pub use index::{Index, INDEX_CAPACITY};
pub use input::DEFAULT_INPUT_BUFFER_BYTES;
pub use source::{ByteSource, SliceSource};

/// Natural (row-major) position of each zigzag index (T.81 figure A.6).
/// Tables indexed at run time are `static`, not `const`: the GCC backend
/// copies a `const` array onto the stack at each use (measured: more than
/// half of all decoding time went to those copies).
pub(crate) static ZIGZAG: [u8; 64] = ZIGZAG_CONST;

/// [`ZIGZAG`] for tables built at compile time.
#[rustfmt::skip]
pub(crate) const ZIGZAG_CONST: [u8; 64] = [
     0,  1,  8, 16,  9,  2,  3, 10,
    17, 24, 32, 25, 18, 11,  4,  5,
    12, 19, 26, 33, 40, 48, 41, 34,
    27, 20, 13,  6,  7, 14, 21, 28,
    35, 42, 49, 56, 57, 50, 43, 36,
    29, 22, 15, 23, 30, 37, 44, 51,
    58, 59, 52, 45, 38, 31, 39, 46,
    53, 60, 61, 54, 47, 55, 62, 63,
];

/// The fuzz target's body, shared with the bounded run in the tests: reads
/// the headers, then decodes with a scale, region, format and upsampling
/// chosen by the last bytes of `data`, under the default memory limits, and
/// for a multi-scan picture a pan of that region. Returns the rows handed
/// over. Must never panic, whatever `data` holds.
#[doc(hidden)]
pub fn fuzz_decode(data: &[u8]) -> u32 {
    let choice = data.last().copied().unwrap_or(0);
    let choice2 = data.len().checked_sub(2).and_then(|i| data.get(i)).copied().unwrap_or(0);
    let Ok(mut decoder) = Decoder::new(SliceSource::new(data)) else { return 0 };
    let info = decoder.info();
    let scale = [Scale::Full, Scale::Half, Scale::Quarter, Scale::Eighth][usize::from(choice & 3)];
    let (w, h) = decoder.output_size(scale);
    let region = if choice & 4 != 0 {
        Some(Region { x: u32::from(choice2) % w.max(1), y: u32::from(choice2 >> 1) % h.max(1), width: 40, height: 30 })
    } else {
        None
    };
    let format = [PixelFormat::Rgb888, PixelFormat::Rgb565, PixelFormat::Rgb565Dithered][usize::from(choice >> 3) % 3];
    let upsampling = if choice2 & 0x80 != 0 { Upsampling::Fast } else { Upsampling::Smooth };
    // A tight progressive limit now and then: bands, and passes over the
    // rows above a region (each starting at the checkpoints of the one before).
    let progressive_memory_limit = if choice2 & 0x40 != 0 { 32 * 1024 + u32::from(choice2 & 0x3F) * 1024 } else { crate::DEFAULT_PROGRESSIVE_MEMORY_LIMIT };
    let options = Options { scale, region, format, upsampling, progressive_memory_limit, ..Options::default() };
    let mut rows = 0u32;
    // With an index: first a whole decode at 1/8 records checkpoints, so
    // that the chosen decode starts from and jumps between them.
    let mut index = Index::with_capacity(usize::from(choice2 % 64) + 1);
    let index = if choice & 0x40 != 0 && info.single_scan {
        let whole = Options { scale: Scale::Eighth, ..Options::default() };
        let _ = decoder.decode(&whole, Some(&mut index), |_, _| {});
        Some(&mut index)
    } else {
        if choice & 0x40 != 0 {
            // A multi-scan picture: a whole decode first records where rows
            // start inside each scan, so the chosen decode resumes from there.
            let whole = Options { progressive_memory_limit, ..Options::default() };
            let _ = decoder.decode(&whole, None, |_, _| {});
        }
        None
    };
    let _ = decoder.decode(&options, index, |_, _| rows += 1);
    // Then a pan along the same rows: a multi-scan picture's scans may
    // start its rows from column checkpoints the decode above left.
    if let (Some(r), false) = (region, info.single_scan) {
        let pan = Options { region: Some(Region { x: r.x.saturating_add(17) % w.max(1), ..r }), ..options };
        let _ = decoder.decode(&pan, None, |_, _| rows += 1);
    }
    rows
}
