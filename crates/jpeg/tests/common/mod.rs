//! Helpers shared by the integration tests.
#![allow(dead_code, clippy::needless_range_loop)]

use std::path::PathBuf;

use prizm_jpeg::{Decoder, Error, Options, Pixels, Region, Scale, SliceSource, Summary};

/// The test corpus committed with the crate.
pub fn fixtures() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

/// An RGB picture.
#[derive(Clone, Debug)]
pub struct Picture {
    pub width: usize,
    pub height: usize,
    pub rgb: Vec<u8>,
}

impl Picture {
    pub fn new(width: usize, height: usize) -> Self {
        Picture { width, height, rgb: vec![0; width * height * 3] }
    }
    pub fn at(&self, x: usize, y: usize) -> [u8; 3] {
        let i = (y * self.width + x) * 3;
        [self.rgb[i], self.rgb[i + 1], self.rgb[i + 2]]
    }
}

/// Decodes with `options` into a picture of the region's size; on error
/// returns what was decoded too.
pub fn decode_with(jpeg: &[u8], options: &Options) -> (Picture, Result<Summary, Error>) {
    let mut decoder = match Decoder::new(SliceSource::new(jpeg)) {
        Ok(d) => d,
        Err(e) => return (Picture::new(0, 0), Err(e)),
    };
    let (w, h) = decoder.output_size(options.scale);
    let r = options.region.unwrap_or(Region { x: 0, y: 0, width: w, height: h });
    let width = r.width.min(w.saturating_sub(r.x)) as usize;
    let height = r.height.min(h.saturating_sub(r.y)) as usize;
    let mut picture = Picture::new(width, height);
    let mut next_row = r.y;
    let result = decoder.decode(options, None, |y, row| {
        assert_eq!(y, next_row, "rows come in order");
        next_row += 1;
        let Pixels::Rgb888(rgb) = row else { panic!("asked for RGB888") };
        assert_eq!(rgb.len(), width * 3);
        let start = (y - r.y) as usize * width * 3;
        picture.rgb[start..start + width * 3].copy_from_slice(rgb);
    });
    (picture, result)
}

pub fn decode(jpeg: &[u8], scale: Scale) -> Picture {
    let options = Options { scale, memory_limit: u32::MAX, progressive_memory_limit: u32::MAX, ..Options::default() };
    let (picture, result) = decode_with(jpeg, &options);
    result.unwrap_or_else(|e| panic!("decode failed: {e}"));
    picture
}

/// Reads a PNG as RGB8.
pub fn read_png(path: &std::path::Path) -> Picture {
    let mut decoder = png::Decoder::new(std::fs::File::open(path).unwrap());
    decoder.set_transformations(png::Transformations::EXPAND | png::Transformations::STRIP_16);
    let mut reader = decoder.read_info().unwrap();
    let mut buffer = vec![0; reader.output_buffer_size()];
    let frame = reader.next_frame(&mut buffer).unwrap();
    let (w, h) = (frame.width as usize, frame.height as usize);
    let channels = frame.color_type.samples();
    let mut picture = Picture::new(w, h);
    for i in 0..w * h {
        let px = &buffer[i * channels..(i + 1) * channels];
        let rgb = match channels {
            1 | 2 => [px[0]; 3],
            _ => [px[0], px[1], px[2]],
        };
        picture.rgb[i * 3..i * 3 + 3].copy_from_slice(&rgb);
    }
    picture
}

/// Largest per-channel difference and PSNR (dB) over the first `rows` rows.
pub fn compare(a: &Picture, b: &Picture, rows: usize) -> (u8, f64) {
    assert_eq!((a.width, a.height), (b.width, b.height), "sizes differ");
    let n = rows.min(a.height) * a.width * 3;
    let mut worst = 0u8;
    let mut squares = 0f64;
    for (x, y) in a.rgb[..n].iter().zip(&b.rgb[..n]) {
        let d = x.abs_diff(*y);
        worst = worst.max(d);
        squares += f64::from(d) * f64::from(d);
    }
    let mse = squares / n.max(1) as f64;
    let psnr = if mse == 0.0 { f64::INFINITY } else { 10.0 * (255.0 * 255.0 / mse).log10() };
    (worst, psnr)
}

/// Box-filters `full` by `div` (what a scaled decode approximates).
pub fn box_filter(full: &Picture, div: usize) -> Picture {
    let (w, h) = (full.width.div_ceil(div), full.height.div_ceil(div));
    let mut out = Picture::new(w, h);
    for y in 0..h {
        for x in 0..w {
            let mut sum = [0u32; 3];
            let mut n = 0;
            for yy in y * div..((y + 1) * div).min(full.height) {
                for xx in x * div..((x + 1) * div).min(full.width) {
                    let p = full.at(xx, yy);
                    for c in 0..3 {
                        sum[c] += u32::from(p[c]);
                    }
                    n += 1;
                }
            }
            let i = (y * w + x) * 3;
            for c in 0..3 {
                out.rgb[i + c] = ((sum[c] + n / 2) / n) as u8;
            }
        }
    }
    out
}
