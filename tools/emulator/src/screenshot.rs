//! Screenshots: RGB565 frames to and from PNG files, and comparison.

use std::fmt;
use std::fs::File;
use std::io::BufWriter;
use std::path::Path;

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

/// Writes a 384×216 RGB565 frame as an RGB PNG.
pub fn write_png(path: &Path, frame: &[u16]) -> Result<(), String> {
    if frame.len() != SCREEN_WIDTH * SCREEN_HEIGHT {
        return Err(format!("a frame has {} pixels, not 384×216", frame.len()));
    }
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)
            .map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    }
    let file = File::create(path).map_err(|e| format!("cannot create {}: {e}", path.display()))?;
    let mut encoder = png::Encoder::new(
        BufWriter::new(file),
        SCREEN_WIDTH as u32,
        SCREEN_HEIGHT as u32,
    );
    encoder.set_color(png::ColorType::Rgb);
    encoder.set_depth(png::BitDepth::Eight);
    let mut writer = encoder
        .write_header()
        .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    let data: Vec<u8> = frame.iter().flat_map(|c| rgb565_to_rgb888(*c)).collect();
    writer
        .write_image_data(&data)
        .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    writer
        .finish()
        .map_err(|e| format!("cannot write {}: {e}", path.display()))
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
pub fn read_png(path: &Path) -> Result<RgbImage, String> {
    let file = File::open(path).map_err(|e| format!("cannot open {}: {e}", path.display()))?;
    let mut decoder = png::Decoder::new(std::io::BufReader::new(file));
    decoder.set_transformations(png::Transformations::EXPAND | png::Transformations::STRIP_16);
    let mut reader = decoder
        .read_info()
        .map_err(|e| format!("{} is not a readable PNG: {e}", path.display()))?;
    let size = reader
        .output_buffer_size()
        .ok_or_else(|| format!("{} is too large", path.display()))?;
    if size > 64 << 20 {
        return Err(format!("{} is too large", path.display()));
    }
    let mut buf = vec![0; size];
    let info = reader
        .next_frame(&mut buf)
        .map_err(|e| format!("{} is not a readable PNG: {e}", path.display()))?;
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
pub fn compare(frame: &[u16], image: &RgbImage) -> Result<Option<Difference>, String> {
    if image.width as usize != SCREEN_WIDTH || image.height as usize != SCREEN_HEIGHT {
        return Err(format!(
            "the reference image is {}×{}, not 384×216",
            image.width, image.height
        ));
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
        assert!(write_png(&path, &[0; 3]).is_err());
        std::fs::write(&path, b"not a png").unwrap();
        assert!(read_png(&path).is_err());
        assert!(read_png(&dir.path().join("missing.png")).is_err());
    }
}
