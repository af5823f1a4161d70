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

pub use decoder::{Decoder, ImageInfo, Options, PixelFormat, Pixels, Region, Scale, Summary};
pub use decoder::{DEFAULT_MEMORY_LIMIT, DEFAULT_PROGRESSIVE_MEMORY_LIMIT};
pub use error::{marker_name, Error, ErrorKind, Feature, ReadError, Result};
pub use exif::{Exif, ShortText};
pub use header::{Coding, ColorModel};
pub use index::{Index, INDEX_CAPACITY};
pub use source::{ByteSource, SliceSource};

/// Natural (row-major) position of each zigzag index (T.81 figure A.6).
#[rustfmt::skip]
pub(crate) const ZIGZAG: [usize; 64] = [
     0,  1,  8, 16,  9,  2,  3, 10,
    17, 24, 32, 25, 18, 11,  4,  5,
    12, 19, 26, 33, 40, 48, 41, 34,
    27, 20, 13,  6,  7, 14, 21, 28,
    35, 42, 49, 56, 57, 50, 43, 36,
    29, 22, 15, 23, 30, 37, 44, 51,
    58, 59, 52, 45, 38, 31, 39, 46,
    53, 60, 61, 54, 47, 55, 62, 63,
];
