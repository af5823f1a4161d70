//! Menu icons: 92×64 pixels, RGB565, stored big-endian, row-major, top row first.

use std::fmt;
use std::io::Cursor;

use crate::layout::{ICON_HEIGHT, ICON_LEN, ICON_WIDTH};
use crate::Error;

/// Largest PNG (in pixels) accepted for `--resize`, to bound memory use.
const MAX_SOURCE_PIXELS: u64 = 16 * 1024 * 1024;

/// One 92×64 RGB565 menu icon.
#[derive(Clone, PartialEq, Eq)]
pub struct Icon {
    pixels: Box<[u16]>,
}

impl fmt::Debug for Icon {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // 5888 pixels are noise in a debug dump; a fingerprint identifies the icon.
        let fingerprint = self.pixels.iter().fold(0xcbf2_9ce4_8422_2325u64, |h, &p| {
            (h ^ u64::from(p)).wrapping_mul(0x0100_0000_01b3)
        });
        write!(
            f,
            "Icon {{ {ICON_WIDTH}x{ICON_HEIGHT}, fingerprint: {fingerprint:016x} }}"
        )
    }
}

impl Icon {
    /// Icon width in pixels.
    pub const WIDTH: usize = ICON_WIDTH;
    /// Icon height in pixels.
    pub const HEIGHT: usize = ICON_HEIGHT;

    /// An icon of one colour.
    pub fn filled(color: u16) -> Icon {
        Icon {
            pixels: vec![color; ICON_WIDTH * ICON_HEIGHT].into_boxed_slice(),
        }
    }

    /// Reads an icon from its on-disk form: 11776 bytes of big-endian RGB565.
    /// Returns `None` when `bytes` has another length.
    pub fn from_be_bytes(bytes: &[u8]) -> Option<Icon> {
        (bytes.len() == ICON_LEN).then(|| Icon {
            pixels: bytes
                .chunks_exact(2)
                .map(|p| u16::from_be_bytes([p[0], p[1]]))
                .collect(),
        })
    }

    /// Writes the on-disk form into `out`, which must be [`crate::layout::ICON_LEN`] bytes.
    pub fn write_be_bytes(&self, out: &mut [u8]) {
        for (chunk, pixel) in out.chunks_exact_mut(2).zip(self.pixels.iter()) {
            chunk.copy_from_slice(&pixel.to_be_bytes());
        }
    }

    /// The on-disk form: 11776 bytes of big-endian RGB565.
    pub fn to_be_bytes(&self) -> Vec<u8> {
        let mut out = vec![0; ICON_LEN];
        self.write_be_bytes(&mut out);
        out
    }

    /// All pixels, row-major, as RGB565 values.
    pub fn pixels(&self) -> &[u16] {
        &self.pixels
    }

    /// The RGB565 pixel at `(x, y)`, or `None` outside the icon.
    pub fn pixel(&self, x: usize, y: usize) -> Option<u16> {
        (x < ICON_WIDTH && y < ICON_HEIGHT).then(|| self.pixels[y * ICON_WIDTH + x])
    }

    /// Sets the pixel at `(x, y)`; coordinates outside the icon are ignored.
    pub fn set_pixel(&mut self, x: usize, y: usize, color: u16) {
        if x < ICON_WIDTH && y < ICON_HEIGHT {
            self.pixels[y * ICON_WIDTH + x] = color;
        }
    }

    /// Builds an icon from 92×64 pixels of 8-bit RGB, row-major.
    /// Returns `None` when `rgb` has another length.
    pub fn from_rgb8(rgb: &[u8]) -> Option<Icon> {
        (rgb.len() == ICON_WIDTH * ICON_HEIGHT * 3).then(|| Icon {
            pixels: rgb
                .chunks_exact(3)
                .map(|p| rgb565(p[0], p[1], p[2]))
                .collect(),
        })
    }

    /// The icon as 8-bit RGB, row-major (92 × 64 × 3 bytes).
    pub fn to_rgb8(&self) -> Vec<u8> {
        self.pixels.iter().flat_map(|&p| rgb888(p)).collect()
    }

    /// Decodes a PNG (any colour type and depth; transparency is composited
    /// over white). Without `resize` the image must be exactly 92×64; with it,
    /// other sizes are scaled to fit, keeping their aspect ratio, and centred.
    pub fn from_png(png_bytes: &[u8], resize: bool) -> Result<Icon, Error> {
        let png_error = |e: png::DecodingError| Error::Png(e.to_string());
        let mut decoder = png::Decoder::new(Cursor::new(png_bytes));
        decoder.set_transformations(png::Transformations::EXPAND | png::Transformations::STRIP_16);
        let mut reader = decoder.read_info().map_err(png_error)?;
        let (width, height) = reader.info().size();
        if (width as usize, height as usize) != (ICON_WIDTH, ICON_HEIGHT) {
            if !resize {
                return Err(Error::IconSize { width, height });
            }
            if u64::from(width) * u64::from(height) > MAX_SOURCE_PIXELS {
                return Err(Error::Png(format!(
                    "{width}x{height} is too large to resize (at most 16 megapixels)"
                )));
            }
        }
        let size = reader
            .output_buffer_size()
            .ok_or_else(|| Error::Png("image too large".into()))?;
        let mut buffer = vec![0; size];
        let frame = reader.next_frame(&mut buffer).map_err(png_error)?;
        buffer.truncate(frame.buffer_size());
        let rgba = to_rgba8(&buffer, frame.color_type)?;
        let width = frame.width as usize;
        let height = frame.height as usize;
        let rgba = if (width, height) == (ICON_WIDTH, ICON_HEIGHT) {
            rgba
        } else {
            fit_into_icon(&rgba, width, height)
        };
        let rgb: Vec<u8> = rgba.chunks_exact(4).flat_map(over_white).collect();
        Icon::from_rgb8(&rgb).ok_or_else(|| Error::Png("internal: unexpected pixel count".into()))
    }

    /// Encodes the icon as an 8-bit RGB PNG. Decoding it with
    /// [`Icon::from_png`] gives back exactly this icon.
    pub fn to_png(&self) -> Vec<u8> {
        let mut out = Vec::new();
        let mut encoder = png::Encoder::new(&mut out, ICON_WIDTH as u32, ICON_HEIGHT as u32);
        encoder.set_color(png::ColorType::Rgb);
        encoder.set_depth(png::BitDepth::Eight);
        // Writing to a Vec with a valid header and exact-size data cannot fail.
        let result = encoder.write_header().and_then(|mut writer| {
            writer
                .write_image_data(&self.to_rgb8())
                .and_then(|()| writer.finish())
        });
        debug_assert!(result.is_ok(), "{result:?}");
        out
    }
}

/// Packs 8-bit channels into RGB565, rounding to the nearest level.
///
/// Rounding makes this the exact inverse of [`rgb888`].
pub fn rgb565(r: u8, g: u8, b: u8) -> u16 {
    let scale = |v: u8, max: u32| (u32::from(v) * max + 127) / 255;
    ((scale(r, 31) << 11) | (scale(g, 63) << 5) | scale(b, 31)) as u16
}

/// Expands RGB565 to 8-bit channels by bit replication.
pub fn rgb888(pixel: u16) -> [u8; 3] {
    let r = (pixel >> 11) as u8 & 0x1F;
    let g = (pixel >> 5) as u8 & 0x3F;
    let b = pixel as u8 & 0x1F;
    [
        (r << 3) | (r >> 2),
        (g << 2) | (g >> 4),
        (b << 3) | (b >> 2),
    ]
}

fn to_rgba8(data: &[u8], color: png::ColorType) -> Result<Vec<u8>, Error> {
    use png::ColorType::*;
    Ok(match color {
        Rgba => data.to_vec(),
        Rgb => data
            .chunks_exact(3)
            .flat_map(|p| [p[0], p[1], p[2], 255])
            .collect(),
        GrayscaleAlpha => data
            .chunks_exact(2)
            .flat_map(|p| [p[0], p[0], p[0], p[1]])
            .collect(),
        Grayscale => data.iter().flat_map(|&v| [v, v, v, 255]).collect(),
        Indexed => return Err(Error::Png("palette was not expanded".into())),
    })
}

fn over_white(rgba: &[u8]) -> [u8; 3] {
    let alpha = u32::from(rgba[3]);
    let blend = |c: u8| ((u32::from(c) * alpha + 255 * (255 - alpha) + 127) / 255) as u8;
    [blend(rgba[0]), blend(rgba[1]), blend(rgba[2])]
}

/// Scales an RGBA image to fit 92×64 (aspect ratio kept, centred on a
/// transparent background) with an area-averaging filter.
fn fit_into_icon(rgba: &[u8], width: usize, height: usize) -> Vec<u8> {
    let scale = f64::min(
        ICON_WIDTH as f64 / width as f64,
        ICON_HEIGHT as f64 / height as f64,
    );
    let target_w = ((width as f64 * scale).round() as usize).clamp(1, ICON_WIDTH);
    let target_h = ((height as f64 * scale).round() as usize).clamp(1, ICON_HEIGHT);
    // Premultiplied alpha, so transparent pixels do not bleed their colour.
    let premultiplied: Vec<[f32; 4]> = rgba
        .chunks_exact(4)
        .map(|p| {
            let a = f32::from(p[3]) / 255.0;
            [
                f32::from(p[0]) * a,
                f32::from(p[1]) * a,
                f32::from(p[2]) * a,
                f32::from(p[3]),
            ]
        })
        .collect();
    let columns = area_weights(width, target_w);
    let rows = area_weights(height, target_h);
    // Horizontal pass: height × target_w.
    let mut horizontal = vec![[0f32; 4]; height * target_w];
    for y in 0..height {
        for (x, (start, weights)) in columns.iter().enumerate() {
            let mut acc = [0f32; 4];
            for (i, w) in weights.iter().enumerate() {
                let p = premultiplied[y * width + start + i];
                for c in 0..4 {
                    acc[c] += p[c] * w;
                }
            }
            horizontal[y * target_w + x] = acc;
        }
    }
    let mut out = vec![0u8; ICON_WIDTH * ICON_HEIGHT * 4];
    let left = (ICON_WIDTH - target_w) / 2;
    let top = (ICON_HEIGHT - target_h) / 2;
    for (y, (start, weights)) in rows.iter().enumerate() {
        for x in 0..target_w {
            let mut acc = [0f32; 4];
            for (i, w) in weights.iter().enumerate() {
                let p = horizontal[(start + i) * target_w + x];
                for c in 0..4 {
                    acc[c] += p[c] * w;
                }
            }
            let alpha = acc[3];
            let unpremultiply = |v: f32| {
                if alpha > 0.0 {
                    (v * 255.0 / alpha).round().clamp(0.0, 255.0) as u8
                } else {
                    0
                }
            };
            let at = ((top + y) * ICON_WIDTH + left + x) * 4;
            out[at..at + 4].copy_from_slice(&[
                unpremultiply(acc[0]),
                unpremultiply(acc[1]),
                unpremultiply(acc[2]),
                alpha.round().clamp(0.0, 255.0) as u8,
            ]);
        }
    }
    out
}

/// For each of `target` output samples, the first source sample it covers
/// and the normalised coverage weights of the source samples.
fn area_weights(source: usize, target: usize) -> Vec<(usize, Vec<f32>)> {
    let step = source as f64 / target as f64;
    (0..target)
        .map(|i| {
            let from = i as f64 * step;
            let to = ((i + 1) as f64 * step).min(source as f64);
            let first = (from.floor() as usize).min(source - 1);
            let last = ((to.ceil() as usize).max(first + 1)).min(source);
            let weights: Vec<f32> = (first..last)
                .map(|s| ((to.min(s as f64 + 1.0) - from.max(s as f64)).max(0.0) / step) as f32)
                .collect();
            let total: f32 = weights.iter().sum();
            let weights = if total > 0.0 {
                weights.iter().map(|w| w / total).collect()
            } else {
                vec![1.0; 1]
            };
            (first, weights)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rgb565_round_trips_through_rgb888() {
        for pixel in 0..=u16::MAX {
            let [r, g, b] = rgb888(pixel);
            assert_eq!(rgb565(r, g, b), pixel);
        }
        assert_eq!(rgb565(255, 255, 255), 0xFFFF);
        assert_eq!(rgb565(255, 0, 0), 0xF800);
        assert_eq!(rgb888(0x07E0), [0, 255, 0]);
    }

    #[test]
    fn png_round_trip_is_exact() {
        let mut icon = Icon::filled(0x1234);
        for (i, p) in icon.pixels.iter_mut().enumerate() {
            *p = (i as u16).wrapping_mul(2654);
        }
        let png = icon.to_png();
        assert_eq!(Icon::from_png(&png, false).unwrap(), icon);
        assert_eq!(Icon::from_png(&png, true).unwrap(), icon);
        assert_eq!(Icon::from_be_bytes(&icon.to_be_bytes()).unwrap(), icon);
    }

    fn encode(width: u32, height: u32, color: png::ColorType, data: &[u8]) -> Vec<u8> {
        let mut out = Vec::new();
        let mut encoder = png::Encoder::new(&mut out, width, height);
        encoder.set_color(color);
        encoder.set_depth(png::BitDepth::Eight);
        let mut writer = encoder.write_header().unwrap();
        writer.write_image_data(data).unwrap();
        writer.finish().unwrap();
        out
    }

    #[test]
    fn wrong_size_needs_resize() {
        let png = encode(10, 10, png::ColorType::Rgb, &[200; 300]);
        assert_eq!(
            Icon::from_png(&png, false),
            Err(Error::IconSize {
                width: 10,
                height: 10
            })
        );
        let icon = Icon::from_png(&png, true).unwrap();
        // Square image: 64×64 in the middle, white bars at the sides.
        assert_eq!(icon.pixel(0, 0), Some(0xFFFF));
        assert_eq!(icon.pixel(46, 32), Some(rgb565(200, 200, 200)));
        assert_eq!(icon.pixel(91, 63), Some(0xFFFF));
    }

    #[test]
    fn grayscale_alpha_and_large_images() {
        let png = encode(
            92,
            64,
            png::ColorType::GrayscaleAlpha,
            &[0u8, 0].repeat(92 * 64),
        );
        assert_eq!(Icon::from_png(&png, false).unwrap(), Icon::filled(0xFFFF));
        let png = encode(300, 100, png::ColorType::Grayscale, &vec![0; 300 * 100]);
        let icon = Icon::from_png(&png, true).unwrap();
        // 300×100 → 92×31, centred vertically.
        assert_eq!(icon.pixel(0, 0), Some(0xFFFF));
        assert_eq!(icon.pixel(0, 32), Some(0));
    }

    #[test]
    fn garbage_is_an_error() {
        assert!(matches!(
            Icon::from_png(b"not a png", false),
            Err(Error::Png(_))
        ));
        let mut png = Icon::filled(0).to_png();
        png.truncate(png.len() / 2);
        assert!(matches!(Icon::from_png(&png, false), Err(Error::Png(_))));
        assert!(Icon::from_be_bytes(&[0; 10]).is_none());
    }
}
