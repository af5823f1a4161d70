//! Screenshots: RGB565 frames to and from PNG files, and comparison.

use std::fmt;
use std::fs::File;
use std::io::BufWriter;
use std::path::{Path, PathBuf};

use crate::memory::{SCREEN_HEIGHT, SCREEN_WIDTH};

/// RGB565 → RGB888 (bits replicated, so white stays 255).
pub fn rgb565_to_rgb888(color: u16) -> [u8; 3] {
    let r = ((color >> 11) & 0x1F) as u8;
    let g = ((color >> 5) & 0x3F) as u8;
    let b = (color & 0x1F) as u8;
    [
        (r << 3) | (r >> 2),
        (g << 2) | (g >> 4),
        (b << 3) | (b >> 2),
    ]
}

/// Why a screenshot could not be written, read or compared.
#[derive(Debug, thiserror::Error)]
pub enum ImageError {
    /// A frame of the wrong size.
    #[error("a frame has {pixels} pixels, not 384×216")]
    FrameSize {
        /// Pixels in the frame.
        pixels: usize,
    },
    /// A file or folder cannot be created.
    #[error("cannot create {}: {source}", path.display())]
    Create {
        /// The path.
        path: PathBuf,
        /// The host's error.
        source: std::io::Error,
    },
    /// The PNG cannot be written.
    #[error("cannot write {}: {source}", path.display())]
    Encode {
        /// The file.
        path: PathBuf,
        /// The encoder's error.
        source: png::EncodingError,
    },
    /// The file cannot be opened.
    #[error("cannot open {}: {source}", path.display())]
    Open {
        /// The file.
        path: PathBuf,
        /// The host's error.
        source: std::io::Error,
    },
    /// The file is not a PNG this reader understands.
    #[error("{} is not a readable PNG: {source}", path.display())]
    Decode {
        /// The file.
        path: PathBuf,
        /// The decoder's error.
        source: png::DecodingError,
    },
    /// The image is too large to be a screenshot.
    #[error("{} is too large", path.display())]
    TooLarge {
        /// The file.
        path: PathBuf,
    },
    /// A reference image of the wrong size.
    #[error("the reference image is {width}×{height}, not 384×216")]
    ReferenceSize {
        /// Its width.
        width: u32,
        /// Its height.
        height: u32,
    },
}

/// Writes a 384×216 RGB565 frame as an RGB PNG.
pub fn write_png(path: &Path, frame: &[u16]) -> Result<(), ImageError> {
    if frame.len() != SCREEN_WIDTH * SCREEN_HEIGHT {
        return Err(ImageError::FrameSize {
            pixels: frame.len(),
        });
    }
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(|source| ImageError::Create {
            path: dir.to_owned(),
            source,
        })?;
    }
    let file = File::create(path).map_err(|source| ImageError::Create {
        path: path.to_owned(),
        source,
    })?;
    let encode = |source| ImageError::Encode {
        path: path.to_owned(),
        source,
    };
    let mut encoder = png::Encoder::new(
        BufWriter::new(file),
        SCREEN_WIDTH as u32,
        SCREEN_HEIGHT as u32,
    );
    encoder.set_color(png::ColorType::Rgb);
    encoder.set_depth(png::BitDepth::Eight);
    let mut writer = encoder.write_header().map_err(encode)?;
    let data: Vec<u8> = frame.iter().flat_map(|c| rgb565_to_rgb888(*c)).collect();
    writer.write_image_data(&data).map_err(encode)?;
    writer.finish().map_err(encode)
}

/// An RGB image read from a PNG.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RgbImage {
    /// Width.
    pub width: u32,
    /// Height.
    pub height: u32,
    /// RGB bytes, row-major.
    pub data: Vec<u8>,
}

/// Reads a PNG as 8-bit RGB (grey, palette and alpha are converted).
pub fn read_png(path: &Path) -> Result<RgbImage, ImageError> {
    let file = File::open(path).map_err(|source| ImageError::Open {
        path: path.to_owned(),
        source,
    })?;
    let decode = |source| ImageError::Decode {
        path: path.to_owned(),
        source,
    };
    let too_large = || ImageError::TooLarge {
        path: path.to_owned(),
    };
    let mut decoder = png::Decoder::new(std::io::BufReader::new(file));
    decoder.set_transformations(png::Transformations::EXPAND | png::Transformations::STRIP_16);
    let mut reader = decoder.read_info().map_err(decode)?;
    let size = reader.output_buffer_size().ok_or_else(too_large)?;
    if size > 64 << 20 {
        return Err(too_large());
    }
    let mut buf = vec![0; size];
    let info = reader.next_frame(&mut buf).map_err(decode)?;
    let channels = info.color_type.samples();
    let pixels = (info.width * info.height) as usize;
    let mut data = Vec::with_capacity(pixels * 3);
    for px in buf[..info.buffer_size()].chunks_exact(channels) {
        match channels {
            1 | 2 => data.extend_from_slice(&[px[0], px[0], px[0]]),
            _ => data.extend_from_slice(&px[..3]),
        }
    }
    Ok(RgbImage {
        width: info.width,
        height: info.height,
        data,
    })
}

/// How a frame differs from a reference image.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Difference {
    /// Pixels that differ.
    pub pixels: usize,
    /// Bounding box of the differences: (x1, y1, x2, y2).
    pub bounds: (usize, usize, usize, usize),
}

impl fmt::Display for Difference {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (x1, y1, x2, y2) = self.bounds;
        write!(
            f,
            "{} pixels differ, within x {x1}..={x2}, y {y1}..={y2}",
            self.pixels
        )
    }
}

/// Compares a frame with an image; `Ok(None)` when identical.
pub fn compare(frame: &[u16], image: &RgbImage) -> Result<Option<Difference>, ImageError> {
    if image.width as usize != SCREEN_WIDTH || image.height as usize != SCREEN_HEIGHT {
        return Err(ImageError::ReferenceSize {
            width: image.width,
            height: image.height,
        });
    }
    let mut pixels = 0;
    let mut bounds = (usize::MAX, usize::MAX, 0, 0);
    for (i, color) in frame.iter().enumerate() {
        let expected = &image.data[3 * i..3 * i + 3];
        if rgb565_to_rgb888(*color) != expected {
            pixels += 1;
            let (x, y) = (i % SCREEN_WIDTH, i / SCREEN_WIDTH);
            bounds = (
                bounds.0.min(x),
                bounds.1.min(y),
                bounds.2.max(x),
                bounds.3.max(y),
            );
        }
    }
    Ok((pixels > 0).then_some(Difference { pixels, bounds }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn colour_conversion() {
        assert_eq!(rgb565_to_rgb888(0xFFFF), [255, 255, 255]);
        assert_eq!(rgb565_to_rgb888(0x0000), [0, 0, 0]);
        assert_eq!(rgb565_to_rgb888(0xF800), [255, 0, 0]);
        assert_eq!(rgb565_to_rgb888(0x07E0), [0, 255, 0]);
    }

    #[test]
    fn png_round_trip_and_compare() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("sub").join("shot.png");
        let mut frame = vec![0xFFFFu16; SCREEN_WIDTH * SCREEN_HEIGHT];
        frame[5] = 0xF800;
        write_png(&path, &frame).unwrap();
        let image = read_png(&path).unwrap();
        assert_eq!(compare(&frame, &image).unwrap(), None);
        frame[SCREEN_WIDTH * 3 + 7] = 0;
        let diff = compare(&frame, &image).unwrap().unwrap();
        assert_eq!(diff.pixels, 1);
        assert_eq!(diff.bounds, (7, 3, 7, 3));
        assert!(matches!(
            write_png(&path, &[0; 3]),
            Err(ImageError::FrameSize { pixels: 3 })
        ));
        std::fs::write(&path, b"not a png").unwrap();
        let error = read_png(&path).unwrap_err();
        assert!(matches!(error, ImageError::Decode { .. }));
        assert!(
            error.to_string().contains("is not a readable PNG"),
            "{error}"
        );
        assert!(matches!(
            read_png(&dir.path().join("missing.png")),
            Err(ImageError::Open { .. })
        ));
        let small = RgbImage {
            width: 2,
            height: 1,
            data: vec![0; 6],
        };
        assert_eq!(
            compare(&frame, &small).unwrap_err().to_string(),
            "the reference image is 2×1, not 384×216"
        );
    }
}
