//! The decoder: header facts, the geometry of a request, the streaming
//! path for single-scan sequential images, and row output.

use alloc::boxed::Box;
use alloc::vec::Vec;

use crate::color::{self, PlaneView};
use crate::error::{Error, ErrorKind, Result};
use crate::exif::Exif;
use crate::header::{self, Coding, ColorModel, Extras, Frame, Scan, Stop, Tables};
use crate::huffman::{HuffmanTable, FAST_AC_NO_VALUE, SKIP_ADVANCE_SHIFT, SKIP_BITS_NARROW, SKIP_BITS_WIDE, SKIP_END, SKIP_NONE};
use crate::idct;
use crate::index::{EntropyState, Index};
use crate::input::{Bits, Fault, Input, Quick, DEFAULT_INPUT_BUFFER_BYTES};
use crate::source::ByteSource;
use crate::{ZIGZAG, ZIGZAG_CONST};

/// Default cap on the working memory of a sequential decode (bytes).
pub const DEFAULT_MEMORY_LIMIT: u32 = 48 * 1024;
/// Default cap on the working memory of a progressive (or multi-scan) decode.
pub const DEFAULT_PROGRESSIVE_MEMORY_LIMIT: u32 = 350 * 1024;

/// Output size relative to the image.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scale {
    /// 1/1: 8×8 pixels per block.
    Full,
    /// 1/2: 4×4 pixels per block.
    Half,
    /// 1/4: 2×2 pixels per block.
    Quarter,
    /// 1/8: one pixel per block (its DC value).
    Eighth,
}

impl Scale {
    /// The divisor: 1, 2, 4 or 8.
    pub fn divisor(self) -> u32 {
        match self {
            Scale::Full => 1,
            Scale::Half => 2,
            Scale::Quarter => 4,
            Scale::Eighth => 8,
        }
    }

    /// The scale for divisor 1, 2, 4 or 8.
    pub fn from_divisor(divisor: u32) -> Option<Scale> {
        match divisor {
            1 => Some(Scale::Full),
            2 => Some(Scale::Half),
            4 => Some(Scale::Quarter),
            8 => Some(Scale::Eighth),
            _ => None,
        }
    }

    /// Output pixels across one block.
    pub(crate) fn block_size(self) -> u32 {
        8 / self.divisor()
    }
}

/// A rectangle in output pixels (after scaling).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Region {
    /// Left column.
    pub x: u32,
    /// Top row.
    pub y: u32,
    /// Columns.
    pub width: u32,
    /// Rows.
    pub height: u32,
}

/// How rows are handed over.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PixelFormat {
    /// 3 bytes per pixel: R, G, B.
    Rgb888,
    /// One `u16` per pixel, 5-6-5 bits (the Prizm's VRAM format).
    Rgb565,
    /// RGB565 with 4×4 ordered dithering from the 8-bit values.
    Rgb565Dithered,
}

/// How chroma stored at half resolution (4:2:0, 4:2:2, …) is brought up to
/// the output's resolution.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Upsampling {
    /// libjpeg's default ("fancy") triangle filter for factor 2: each output
    /// sample is ¾ of the nearest chroma sample and ¼ of the next nearest,
    /// across MCU rows too. Matches libjpeg's decodes; smooth colour edges.
    #[default]
    Smooth,
    /// Each chroma sample is repeated over the 2×1 or 2×2 pixels it covers
    /// (what TJpgDec does, and libjpeg with fancy upsampling off): colour
    /// edges are up to a pixel blockier, and the colour conversion of 4:2:0
    /// and 4:2:2 at 1/1 costs about half of [`Upsampling::Smooth`]'s (the
    /// crate's README has the figures). Luma (the detail) is untouched, so
    /// on a dithered RGB565 screen it hardly shows. Below 1/1 such chroma
    /// stays at half the output's resolution (repeated the same way)
    /// instead of getting a larger transform: less work, less colour detail.
    /// Other factors (4:1:1, …) are replicated by both.
    Fast,
}

/// One output row: the region's pixels from its left edge.
#[derive(Debug)]
pub enum Pixels<'a> {
    /// R, G, B bytes.
    Rgb888(&'a [u8]),
    /// 5-6-5 values.
    Rgb565(&'a [u16]),
}

/// What to decode.
#[derive(Clone, Copy, Debug)]
pub struct Options {
    /// Output scale.
    pub scale: Scale,
    /// Part of the scaled picture to decode; `None` for all of it.
    pub region: Option<Region>,
    /// Row format.
    pub format: PixelFormat,
    /// Chroma upsampling (for subsampled colour pictures).
    pub upsampling: Upsampling,
    /// Working-memory cap for single-scan sequential images (bytes, see the README).
    pub memory_limit: u32,
    /// Working-memory cap for progressive and multi-scan images.
    pub progressive_memory_limit: u32,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            scale: Scale::Full,
            region: None,
            format: PixelFormat::Rgb888,
            upsampling: Upsampling::Smooth,
            memory_limit: DEFAULT_MEMORY_LIMIT,
            progressive_memory_limit: DEFAULT_PROGRESSIVE_MEMORY_LIMIT,
        }
    }
}

/// What a finished decode did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Summary {
    /// The region decoded, clipped to the scaled picture.
    pub region: Region,
    /// Rows handed to the callback.
    pub rows: u32,
    /// Peak working memory of this decode in bytes (decoder state, tables,
    /// buffers), excluding only the caller's own storage.
    pub working_memory: u32,
    /// MCU row the decode started from (above 0 when an index checkpoint
    /// was used; for a multi-scan picture, where its scans' row
    /// checkpoints let the first band start).
    pub start_row: u32,
    /// MCU column of that row the decode started from (multi-scan: of the
    /// first component's column checkpoints, 0 when rows were read whole).
    pub start_column: u32,
    /// MCUs entropy-decoded: with an index, about the region's, not every
    /// MCU above and beside it.
    pub mcus_decoded: u32,
    /// Of `working_memory`, what the decoder keeps between decodes of a
    /// multi-scan picture: where scans' rows and columns start (0 for a
    /// single-scan one, whose index is the caller's).
    pub checkpoint_memory: u32,
}

/// Facts from the headers.
#[derive(Clone, Copy, Debug)]
pub struct ImageInfo {
    /// Pixels across.
    pub width: u32,
    /// Pixels down.
    pub height: u32,
    /// Frame coding.
    pub coding: Coding,
    /// Meaning of the components.
    pub color: ColorModel,
    /// Number of components.
    pub components: u8,
    /// Horizontal and vertical sampling factor of each component.
    pub sampling: [(u8, u8); 4],
    /// MCUs between restart markers (0: none).
    pub restart_interval: u32,
    /// EXIF fields.
    pub exif: Exif,
    /// Adobe APP14 transform flag (0 none, 1 YCbCr, 2 YCCK), if present.
    pub adobe_transform: Option<u8>,
    /// Whether the first scan holds every component (streamed in one pass, random access possible).
    pub single_scan: bool,
}

/// Geometry of one decode request.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Layout {
    pub(crate) mcu_w: u32,
    pub(crate) mcu_h: u32,
    pub(crate) x0: u32,
    pub(crate) y0: u32,
    pub(crate) x1: u32,
    pub(crate) y1: u32,
    /// MCU columns decoded fully: the region's, plus one on each side when
    /// the triangle filter upsamples across (`context_across`).
    pub(crate) col_first: u32,
    pub(crate) col_end: u32,
    /// MCU rows decoded fully; rows from `row_end` on are not read at all.
    /// With `context_down` (the triangle filter upsamples down), one more
    /// on each side: `row_end` is then one past the region's last row, whose
    /// first line the region's last line is blended with, and each MCU
    /// row's last line waits for the next row ([`emit_deferred_line`]).
    pub(crate) row_first: u32,
    pub(crate) row_end: u32,
    pub(crate) context_across: bool,
    pub(crate) context_down: bool,
    /// Output pixels across and down one block of each component. A
    /// subsampled component gets a larger transform instead of upsampling
    /// where it can (4:2:0 at 1/2 scale: chroma blocks to 8×8), which keeps
    /// its detail; what remains is `ratio_x`/`ratio_y`.
    pub(crate) block_w: [u32; 4],
    pub(crate) block_h: [u32; 4],
    pub(crate) ratio_x: [u32; 4],
    pub(crate) ratio_y: [u32; 4],
}

/// Block output size for a component subsampled by `ratio` at `size`
/// pixels per full block. With `Upsampling::Fast` a component at half
/// resolution stays at half the output's (its samples are then repeated,
/// as at 1/1), which spares the larger transform below 1/1.
fn component_block_size(size: u32, ratio: u32, upsampling: Upsampling) -> u32 {
    if upsampling == Upsampling::Fast && ratio == 2 {
        size
    } else if ratio.is_power_of_two() {
        (size * ratio).min(8)
    } else {
        size
    }
}

impl Layout {
    pub(crate) fn new(frame: &Frame, scale: Scale, region: Option<Region>, upsampling: Upsampling) -> core::result::Result<Layout, &'static str> {
        let div = scale.divisor();
        let size = scale.block_size();
        let out_w = frame.width.div_ceil(div);
        let out_h = frame.height.div_ceil(div);
        let r = region.unwrap_or(Region { x: 0, y: 0, width: out_w, height: out_h });
        let x0 = r.x.min(out_w);
        let y0 = r.y.min(out_h);
        let x1 = r.x.saturating_add(r.width).min(out_w);
        let y1 = r.y.saturating_add(r.height).min(out_h);
        if x1 <= x0 || y1 <= y0 {
            return Err("the region lies outside the picture or is empty");
        }
        let mcu_w = frame.h_max * size;
        let mcu_h = frame.v_max * size;
        let mut layout = Layout {
            mcu_w,
            mcu_h,
            x0,
            y0,
            x1,
            y1,
            col_first: 0,
            col_end: 0,
            row_first: 0,
            row_end: 0,
            context_across: false,
            context_down: false,
            block_w: [size; 4],
            block_h: [size; 4],
            ratio_x: [1; 4],
            ratio_y: [1; 4],
        };
        // Progressive at 1/8: every block becomes one pixel, subsampled ones
        // too (then upsampled), so only DC coefficients are kept and every AC
        // scan is skipped unread. (A larger subsampled block would need the
        // AC scans and their refinement history for the whole image.)
        let dc_pixels = scale == Scale::Eighth && frame.coding == Coding::Progressive;
        for (i, c) in frame.components[..frame.count].iter().enumerate() {
            let (rx, ry) = (frame.h_max / c.h, frame.v_max / c.v);
            if dc_pixels {
                (layout.block_w[i], layout.block_h[i]) = (1, 1);
            } else {
                layout.block_w[i] = component_block_size(size, rx, upsampling);
                layout.block_h[i] = component_block_size(size, ry, upsampling);
            }
            layout.ratio_x[i] = rx * size / layout.block_w[i];
            layout.ratio_y[i] = ry * size / layout.block_h[i];
            // The ratios `upsample_line` filters (the others repeat samples,
            // which needs nothing beyond the MCU's own).
            let filtered = upsampling == Upsampling::Smooth && matches!((layout.ratio_x[i], layout.ratio_y[i]), (2, 1) | (1, 2) | (2, 2));
            layout.context_across |= filtered && layout.ratio_x[i] == 2;
            layout.context_down |= filtered && layout.ratio_y[i] == 2;
        }
        let (across, down) = (u32::from(layout.context_across), u32::from(layout.context_down));
        layout.col_first = (x0 / mcu_w).saturating_sub(across);
        layout.col_end = (x1.div_ceil(mcu_w) + across).min(frame.mcus_x);
        layout.row_first = (y0 / mcu_h).saturating_sub(down);
        layout.row_end = (y1.div_ceil(mcu_h) + down).min(frame.mcus_y);
        Ok(layout)
    }

    pub(crate) fn region(&self) -> Region {
        Region { x: self.x0, y: self.y0, width: self.x1 - self.x0, height: self.y1 - self.y0 }
    }
}

/// Per-component buffers for one MCU row of the region.
pub(crate) struct Planes {
    pub(crate) samples: [Vec<u8>; 4],
    pub(crate) stride: [usize; 4],
    pub(crate) height: [usize; 4],
    /// Last line of the previous MCU row of each component.
    pub(crate) above: [Vec<u8>; 4],
    pub(crate) above_valid: bool,
    /// Upsampled region lines, one per component.
    pub(crate) lines: [Vec<u8>; 4],
    pub(crate) rgb: Vec<u8>,
    pub(crate) rgb565: Vec<u16>,
}

impl Planes {
    /// Bytes the buffers for `layout` need (what [`Planes::new`] allocates).
    pub(crate) fn bytes_needed(frame: &Frame, layout: &Layout, format: PixelFormat) -> u64 {
        let cols = u64::from(layout.col_end - layout.col_first);
        let span = u64::from(layout.x1 - layout.x0);
        let mut total = 0u64;
        for (i, c) in frame.components[..frame.count].iter().enumerate() {
            let stride = cols * u64::from(c.h * layout.block_w[i]);
            // Plane, saved last line, upsampled line.
            total += stride * u64::from(c.v * layout.block_h[i]) + stride + span;
        }
        total + if format == PixelFormat::Rgb888 { span * 3 } else { span * 2 }
    }

    /// The buffers, or `None` if memory ran out.
    pub(crate) fn new(frame: &Frame, layout: &Layout, format: PixelFormat) -> Option<Planes> {
        let cols = (layout.col_end - layout.col_first) as usize;
        let span = (layout.x1 - layout.x0) as usize;
        let mut planes = Planes {
            samples: Default::default(),
            stride: [0; 4],
            height: [0; 4],
            above: Default::default(),
            above_valid: false,
            lines: Default::default(),
            rgb: if format == PixelFormat::Rgb888 { zeroed(span * 3)? } else { Vec::new() },
            rgb565: if format == PixelFormat::Rgb888 { Vec::new() } else { zeroed(span)? },
        };
        for (i, c) in frame.components[..frame.count].iter().enumerate() {
            planes.stride[i] = cols * (c.h * layout.block_w[i]) as usize;
            planes.height[i] = (c.v * layout.block_h[i]) as usize;
            planes.samples[i] = zeroed(planes.stride[i] * planes.height[i])?;
            planes.above[i] = zeroed(planes.stride[i])?;
            planes.lines[i] = zeroed(span)?;
        }
        Some(planes)
    }

    /// Keeps the last image line of each component before the next MCU row
    /// overwrites it: the line above for upsampling, and the samples of the
    /// deferred last output line.
    pub(crate) fn save_context(&mut self, frame: &Frame, layout: &Layout, mcu_row: u32) {
        if !layout.context_down {
            // Nothing blends across MCU rows, and no line is deferred.
            return;
        }
        for (i, c) in frame.components[..frame.count].iter().enumerate() {
            let valid = valid_lines(c.samples_h, c.v, layout.block_h[i], mcu_row, self.height[i]);
            let stride = self.stride[i];
            let start = (valid - 1) * stride;
            if let Some(line) = self.samples[i].get(start..start + stride) {
                self.above[i].copy_from_slice(line);
            }
        }
        self.above_valid = true;
    }
}

/// A zeroed buffer, or `None` if the allocator cannot provide it (the
/// decode then fails with `TooLarge` instead of aborting the program).
pub(crate) fn zeroed<T: Copy + Default>(length: usize) -> Option<Vec<T>> {
    let mut v = Vec::new();
    v.try_reserve_exact(length).ok()?;
    v.resize(length, T::default());
    Some(v)
}

/// Lines of MCU row `mcu_row`'s plane that belong to the image (at least 1).
fn valid_lines(samples_h: u32, v: u32, size: u32, mcu_row: u32, plane_h: usize) -> usize {
    let total = (samples_h * size).div_ceil(8);
    let before = mcu_row * v * size;
    (total.saturating_sub(before) as usize).clamp(1, plane_h.max(1))
}

/// Converts one output line from per-component views and hands it over.
#[allow(clippy::too_many_arguments)]
fn emit_line<F: FnMut(u32, Pixels<'_>)>(
    frame: &Frame,
    color: ColorModel,
    layout: &Layout,
    format: PixelFormat,
    upsampling: Upsampling,
    views: &[(PlaneView<'_>, usize); 4],
    lines: &mut [Vec<u8>; 4],
    rgb: &mut [u8],
    rgb565: &mut [u16],
    y: u32,
    sink: &mut F,
) {
    let span = (layout.x1 - layout.x0) as usize;
    let x_start = (layout.x0 - layout.col_first * layout.mcu_w) as usize;
    if color == ColorModel::YCbCr && frame.count == 3 {
        let fused_format = match format {
            PixelFormat::Rgb888 => color::FORMAT_RGB888,
            PixelFormat::Rgb565 => color::FORMAT_RGB565,
            PixelFormat::Rgb565Dithered => color::FORMAT_DITHERED,
        };
        let dither = core::array::from_fn(|j| i32::from(color::BAYER[((y & 3) * 4 + ((layout.x0 + j as u32) & 3)) as usize]));
        if color::ycbcr_fused_line(&views[..3], x_start, span, rgb, rgb565, fused_format, dither, upsampling) {
            if format == PixelFormat::Rgb888 {
                sink(y, Pixels::Rgb888(rgb.get(..span * 3).unwrap_or(&[])));
            } else {
                sink(y, Pixels::Rgb565(rgb565.get(..span).unwrap_or(&[])));
            }
            return;
        }
    }
    for (i, (view, line_y)) in views[..frame.count].iter().enumerate() {
        color::upsample_line(view, *line_y, x_start, &mut lines[i][..span], upsampling);
    }
    let (l0, l1, l2, l3) = (&lines[0][..span], &lines[1][..], &lines[2][..], &lines[3][..]);
    let rgb = match rgb.get_mut(..span * 3) {
        Some(rgb) => rgb,
        None => &mut [],
    };
    if color == ColorModel::YCbCr {
        // The common case, eight pixels at a time over fixed-size arrays
        // (no index checks, and few calls into the iterator adapters).
        let n = span.min(l1.len()).min(l2.len());
        let (l0, l1, l2) = (&l0[..n], &l1[..n], &l2[..n]);
        let blocks = n / 8 * 8;
        let eights = l0.chunks_exact(8).zip(l1.chunks_exact(8)).zip(l2.chunks_exact(8));
        let ycc = l0[blocks..].iter().zip(&l1[blocks..]).zip(&l2[blocks..]);
        match format {
            PixelFormat::Rgb888 => {
                let n = n.min(rgb.len() / 3);
                let rgb = &mut rgb[..n * 3];
                let (head, tail) = rgb.split_at_mut(blocks.min(n) * 3);
                for (px, ((y8, cb8), cr8)) in head.chunks_exact_mut(24).zip(eights) {
                    let (Ok(px), Ok(y8), Ok(cb8), Ok(cr8)) =
                        (<&mut [u8; 24]>::try_from(px), <&[u8; 8]>::try_from(y8), <&[u8; 8]>::try_from(cb8), <&[u8; 8]>::try_from(cr8))
                    else {
                        continue;
                    };
                    for j in 0..8 {
                        let [r, g, b] = color::ycbcr_to_rgb_wide(y8[j], cb8[j], cr8[j]);
                        px[3 * j] = color::clamp(r);
                        px[3 * j + 1] = color::clamp(g);
                        px[3 * j + 2] = color::clamp(b);
                    }
                }
                for (px, ((&y, &cb), &cr)) in tail.chunks_exact_mut(3).zip(ycc) {
                    let [r, g, b] = color::ycbcr_to_rgb_wide(y, cb, cr);
                    px[0] = color::clamp(r);
                    px[1] = color::clamp(g);
                    px[2] = color::clamp(b);
                }
                sink(y, Pixels::Rgb888(rgb));
            }
            PixelFormat::Rgb565 | PixelFormat::Rgb565Dithered => {
                let dither = format == PixelFormat::Rgb565Dithered;
                let n = n.min(rgb565.len());
                let out = &mut rgb565[..n];
                let (head, tail) = out.split_at_mut(blocks.min(n));
                let x0 = layout.x0;
                // Dither thresholds of this row for the 8 columns of a chunk (chunks start at multiples of 8).
                let dither_row: [i32; 8] =
                    core::array::from_fn(|j| i32::from(color::BAYER[((y & 3) * 4 + ((x0 + j as u32) & 3)) as usize]));
                for (o8, ((y8, cb8), cr8)) in head.chunks_exact_mut(8).zip(eights) {
                    let (Ok(o8), Ok(y8), Ok(cb8), Ok(cr8)) =
                        (<&mut [u16; 8]>::try_from(o8), <&[u8; 8]>::try_from(y8), <&[u8; 8]>::try_from(cb8), <&[u8; 8]>::try_from(cr8))
                    else {
                        continue;
                    };
                    let slot = |v: i32| ((v + color::TABLE_ZERO) as usize) & 1023;
                    if dither {
                        // `to_rgb565` with dither, spelt out, its offsets per column taken from the row's.
                        for j in 0..8 {
                            let [r, g, b] = color::ycbcr_to_rgb_wide(y8[j], cb8[j], cr8[j]);
                            let t = dither_row[j];
                            let (t5, t6) = (t >> 1, t >> 2);
                            o8[j] = color::RED_565[slot(r + t5)] | color::GREEN_565[slot(g + t6)] | color::BLUE_565[slot(b + t5)];
                        }
                    } else {
                        for j in 0..8 {
                            // `to_rgb565` without dither, spelt out: the backend does not inline it.
                            let [r, g, b] = color::ycbcr_to_rgb_wide(y8[j], cb8[j], cr8[j]);
                            o8[j] = color::RED_565[slot(r)] | color::GREEN_565[slot(g)] | color::BLUE_565[slot(b)];
                        }
                    }
                }
                for (k, (o, ((&yy, &cb), &cr))) in tail.iter_mut().zip(ycc).enumerate() {
                    *o = color::to_rgb565(color::ycbcr_to_rgb_wide(yy, cb, cr), x0 + (blocks + k) as u32, y, dither);
                }
                sink(y, Pixels::Rgb565(out));
            }
        }
        return;
    }
    let out = Output { format, rgb, rgb565: &mut rgb565[..], x0: layout.x0, y };
    match color {
        ColorModel::Grayscale => out.write(span, |k| [i32::from(l0[k]); 3], sink),
        ColorModel::YCbCr => out.write(span, |k| color::ycbcr_to_rgb_wide(l0[k], l1[k], l2[k]), sink),
        ColorModel::Rgb => out.write(span, |k| [i32::from(l0[k]), i32::from(l1[k]), i32::from(l2[k])], sink),
        ColorModel::Cmyk => out.write(
            span,
            |k| {
                let black = l3[k];
                [l0[k], l1[k], l2[k]].map(|c| i32::from(color::scale_by(c, black)))
            },
            sink,
        ),
        ColorModel::Ycck => out.write(
            span,
            |k| {
                // YCCK holds the stored (inverted) C, M, Y as 255 − R, G, B of its YCbCr.
                let black = l3[k];
                color::ycbcr_to_rgb(l0[k], l1[k], l2[k]).map(|c| i32::from(color::scale_by(255 - c, black)))
            },
            sink,
        ),
    }
}

/// Where one output row is assembled.
struct Output<'a> {
    format: PixelFormat,
    rgb: &'a mut [u8],
    rgb565: &'a mut [u16],
    x0: u32,
    y: u32,
}

impl Output<'_> {
    /// Converts pixels `0..span` with `pixel` (unclamped R, G, B) straight
    /// into the requested format (one loop per colour model and format after
    /// inlining) and hands the row over.
    #[inline(always)]
    fn write<F: FnMut(u32, Pixels<'_>)>(self, span: usize, pixel: impl Fn(usize) -> [i32; 3], sink: &mut F) {
        match self.format {
            PixelFormat::Rgb888 => {
                for (k, px) in self.rgb.chunks_exact_mut(3).enumerate().take(span) {
                    let [r, g, b] = pixel(k);
                    px[0] = color::clamp(r);
                    px[1] = color::clamp(g);
                    px[2] = color::clamp(b);
                }
                sink(self.y, Pixels::Rgb888(self.rgb));
            }
            PixelFormat::Rgb565 | PixelFormat::Rgb565Dithered => {
                let dither = self.format == PixelFormat::Rgb565Dithered;
                let n = span.min(self.rgb565.len());
                let out = &mut self.rgb565[..n];
                for (k, o) in out.iter_mut().enumerate() {
                    *o = color::to_rgb565(pixel(k), self.x0 + k as u32, self.y, dither);
                }
                sink(self.y, Pixels::Rgb565(out));
            }
        }
    }
}

/// Converts and hands over the region's lines of MCU row `mcu_row`. The
/// last line waits for the next MCU row when one follows (vertical
/// upsampling blends in that row's first line): see [`emit_deferred_line`].
pub(crate) fn emit_rows<F: FnMut(u32, Pixels<'_>)>(
    frame: &Frame,
    color: ColorModel,
    layout: &Layout,
    options: &Options,
    planes: &mut Planes,
    mcu_row: u32,
    sink: &mut F,
) -> u32 {
    let defer_last = layout.context_down && mcu_row + 1 < frame.mcus_y;
    let lines_here = if defer_last { layout.mcu_h - 1 } else { layout.mcu_h };
    let mut rows = 0;
    // The views are the same for every line of the MCU row (made once: the
    // backend copies them through memory).
    let Planes { samples, stride, height, above, above_valid, lines, rgb, rgb565 } = &mut *planes;
    let mut views: [(PlaneView<'_>, usize); 4] = core::array::from_fn(|i| {
        let view = plane_view(frame, layout, i, &samples[i], stride[i], height[i], mcu_row);
        let above = if *above_valid && !above[i].is_empty() { Some(&above[i][..]) } else { None };
        (PlaneView { above, ..view }, 0)
    });
    for line_y in 0..lines_here {
        let y = mcu_row * layout.mcu_h + line_y;
        if y < layout.y0 || y >= layout.y1 {
            continue;
        }
        for view in views.iter_mut() {
            view.1 = line_y as usize;
        }
        emit_line(frame, color, layout, options.format, options.upsampling, &views, lines, rgb, rgb565, y, sink);
        rows += 1;
    }
    rows
}

/// Hands over the last line of MCU row `mcu_row - 1` once row `mcu_row`
/// is decoded: its own samples were saved in `above` by
/// [`Planes::save_context`], the row below is in the planes.
pub(crate) fn emit_deferred_line<F: FnMut(u32, Pixels<'_>)>(
    frame: &Frame,
    color: ColorModel,
    layout: &Layout,
    options: &Options,
    planes: &mut Planes,
    mcu_row: u32,
    sink: &mut F,
) -> u32 {
    let Some(y) = (mcu_row * layout.mcu_h).checked_sub(1) else { return 0 };
    if y < layout.y0 || y >= layout.y1 || !planes.above_valid {
        return 0;
    }
    let Planes { samples, stride, above, lines, rgb, rgb565, .. } = &mut *planes;
    let views: [(PlaneView<'_>, usize); 4] = core::array::from_fn(|i| {
        let ratio_y = layout.ratio_y[i] as usize;
        let below = samples[i].get(..stride[i]);
        let view = PlaneView {
            samples: &above[i],
            stride: stride[i],
            valid_w: plane_view(frame, layout, i, &[], stride[i], 1, mcu_row).valid_w,
            valid_h: 1,
            above: None,
            below,
            ratio_x: layout.ratio_x[i] as usize,
            ratio_y,
        };
        // The saved line is line 0 of a one-line plane; the output line is the odd (lower) one of its pair.
        (view, if ratio_y == 2 { 1 } else { 0 })
    });
    emit_line(frame, color, layout, options.format, options.upsampling, &views, lines, rgb, rgb565, y, sink);
    1
}

/// The view of component `i`'s plane for MCU row `mcu_row`.
fn plane_view<'a>(frame: &Frame, layout: &Layout, i: usize, samples: &'a [u8], stride: usize, height: usize, mcu_row: u32) -> PlaneView<'a> {
    let c = &frame.components[i.min(frame.count.saturating_sub(1))];
    let (block_w, block_h) = (layout.block_w[i], layout.block_h[i]);
    let samples_across = (c.samples_w * block_w).div_ceil(8);
    let skipped = layout.col_first * c.h * block_w;
    PlaneView {
        samples,
        stride,
        valid_w: (samples_across.saturating_sub(skipped) as usize).clamp(1, stride.max(1)),
        valid_h: valid_lines(c.samples_h, c.v, block_h, mcu_row, height),
        above: None,
        below: None,
        ratio_x: layout.ratio_x[i] as usize,
        ratio_y: layout.ratio_y[i] as usize,
    }
}

/// The entropy-coded bytes the inline refill may take from the input
/// buffer: the buffered data, none once a marker has ended it. Kept in a
/// local with the read position (`$pos`) so the backend keeps both in
/// registers (through `input` it reloads them after every byte read).
macro_rules! plain_view {
    ($input:expr, $bits:expr) => {
        if $bits.marker.is_none() {
            $input.buffer.get(..$input.end).unwrap_or(&[])
        } else {
            &[]
        }
    };
}

/// Writes the local bit buffer (and, with a cursor `[pos, data]`, the read
/// position) back before a call of the general path or a return.
macro_rules! spill {
    ($input:expr, $bits:expr, $buffer:ident, $count:ident, [$pos:ident, $data:ident]) => {
        $bits.buffer = $buffer;
        $bits.count = $count;
        $input.position = $pos;
    };
    ($input:expr, $bits:expr, $buffer:ident, $count:ident, []) => {
        $bits.buffer = $buffer;
        $bits.count = $count;
    };
}

/// Takes the bit buffer (and the cursor) back after a call.
macro_rules! reload {
    ($input:expr, $bits:expr, $buffer:ident, $count:ident, [$pos:ident, $data:ident]) => {
        ($buffer, $count) = ($bits.buffer, $bits.count);
        $pos = $input.position;
        $data = plain_view!($input, $bits);
    };
    ($input:expr, $bits:expr, $buffer:ident, $count:ident, []) => {
        ($buffer, $count) = ($bits.buffer, $bits.count);
    };
}

/// Writes the cursor's read position back before an error return.
macro_rules! sync_position {
    ($input:expr, [$pos:ident, $data:ident]) => {
        $input.position = $pos;
    };
    ($input:expr, []) => {};
}

/// Makes sure the local bit buffer (`$buffer`, `$count`) holds at least 16
/// bits: two plain bytes straight from the input buffer (the common case,
/// inline), else through [`Bits::fill_slow`] (stuffing, markers, the end of the
/// input buffer). A macro: the backend does not reliably inline (it kept
/// a two-byte helper function a call). With a cursor `[pos, data]` (locals
/// from [`plain_view`]) the bytes come from `data` at `pos`: cheaper in the
/// loops of [`dc_only_blocks`] and [`transform_blocks`] (set up once per
/// call of several blocks), dearer in [`decode_block`] (its set-up per
/// block, and registers), which reads through `input`.
macro_rules! top_up {
    ($input:expr, $bits:expr, $buffer:ident, $count:ident, [$pos:ident, $data:ident]) => {
        if $count < 16 {
            match $data.get($pos..$pos + 2) {
                Some(&[a, b]) if a != 0xFF && b != 0xFF => {
                    $pos += 2;
                    $buffer |= (u32::from(a) << 8 | u32::from(b)) << (16 - $count);
                    $count += 16;
                }
                _ => {
                    spill!($input, $bits, $buffer, $count, [$pos, $data]);
                    $bits.fill_slow($input)?;
                    reload!($input, $bits, $buffer, $count, [$pos, $data]);
                }
            }
        }
    };
    ($input:expr, $bits:expr, $buffer:ident, $count:ident, []) => {
        if $count < 16 {
            let p = $input.position;
            let plain = match $input.buffer.get(p..p + 2) {
                Some(&[a, b]) if p + 2 <= $input.end && a != 0xFF && b != 0xFF && $bits.marker.is_none() => {
                    Some(u32::from(a) << 8 | u32::from(b))
                }
                _ => None,
            };
            if let Some(two) = plain {
                $input.position = p + 2;
                $buffer |= two << (16 - $count);
                $count += 16;
            } else {
                $bits.buffer = $buffer;
                $bits.count = $count;
                $bits.fill_slow($input)?;
                ($buffer, $count) = ($bits.buffer, $bits.count);
            }
        }
    };
}

/// The next AC symbol of a block over the local bit buffer, one lookup of
/// the combined table for a short code with its magnitude, else the
/// general path: evaluates to `(run, value)` for a coefficient; a run of
/// 16 zeros adds 16 to `$k` and continues the caller's loop; the end of
/// block runs `$end` (which must leave the loop).
macro_rules! next_ac {
    ($input:expr, $bits:expr, $ac:expr, $ac_fast:expr, $buffer:ident, $count:ident, $cursor:tt, $k:ident, $end:expr) => {{
        top_up!($input, $bits, $buffer, $count, $cursor);
        let entry = $ac_fast[($buffer >> (32 - crate::huffman::LOOKUP_BITS)) as usize];
        let fast_value = (entry as i32) >> 16;
        if fast_value != 0 {
            let length = entry & 0xFF;
            $buffer <<= length;
            $count -= length;
            (((entry >> 8) & 0x7F) as usize - 1, fast_value)
        } else if entry & FAST_AC_NO_VALUE != 0 {
            let length = entry & 0xFF;
            $buffer <<= length;
            $count -= length;
            if (entry >> 8) & 0x7F == 16 {
                $k += 16;
                continue;
            }
            $end
        } else {
            spill!($input, $bits, $buffer, $count, $cursor);
            let rs = $bits.symbol($input, $ac)?;
            let (run, size) = (usize::from(rs >> 4), u32::from(rs & 15));
            let value = if size == 0 { 0 } else { $bits.extended($input, size)? };
            reload!($input, $bits, $buffer, $count, $cursor);
            if size == 0 {
                if run == 15 {
                    $k += 16;
                    continue;
                }
                $end
            }
            (run, value)
        }
    }};
}

/// Reads past a block's AC coefficients from zigzag index `$k` (a block
/// outside the region, one whose DC alone is used, or the coefficients a
/// reduced transform does not use) over the local bit buffer: nothing is
/// dequantised or stored; one lookup for one or more symbols (`$pairs`, a
/// skip table of either width, `&[u16; N]`) for all but codes longer than
/// the lookup.
macro_rules! skip_ac_body {
    ($input:expr, $bits:expr, $ac:expr, $ac_fast:expr, $pairs:expr, $buffer:ident, $count:ident, $cursor:tt, $k:expr) => {
        let mut k: usize = $k;
        while k < 64 {
            top_up!($input, $bits, $buffer, $count, $cursor);
            // The table's length is a constant power of two: the index
            // is below it, with no bounds check.
            let index = ($buffer >> (32 - $pairs.len().trailing_zeros())) as usize;
            // Symbols from the skip table (never longer than the buffered
            // bits) where the block goes on after them or ends there;
            // anything else (SKIP_NONE included) takes the paths below.
            let skip = u32::from($pairs[index]);
            let advance = (skip >> SKIP_ADVANCE_SHIFT) as usize;
            if k + advance < 64 {
                let length = skip & 31;
                $buffer <<= length;
                $count -= length;
                if skip & u32::from(SKIP_END) != 0 {
                    break;
                }
                k += advance;
                continue;
            }
            let entry = $ac_fast[($buffer >> (32 - crate::huffman::LOOKUP_BITS)) as usize];
            let length = entry & 0xFF;
            // Entry 0 (a longer code) has length 0: one comparison sends it
            // and magnitudes longer than the buffered bits to the general path.
            if length.wrapping_sub(1) < $count {
                $buffer <<= length;
                $count -= length;
                k += ((entry >> 8) & 0x7F) as usize;
                if k >= 64 {
                    // A coefficient past the last position is an error; end
                    // of block and 16 zeros may pass it.
                    if k > 64 && entry & FAST_AC_NO_VALUE == 0 {
                        sync_position!($input, $cursor);
                        return Err(Fault::RunPastEnd);
                    }
                    break;
                }
                continue;
            }
            spill!($input, $bits, $buffer, $count, $cursor);
            let rs = $bits.symbol($input, $ac)?;
            let (run, size) = (usize::from(rs >> 4), u32::from(rs & 15));
            $bits.raw($input, size)?;
            reload!($input, $bits, $buffer, $count, $cursor);
            if size == 0 {
                if run == 15 {
                    k += 16;
                    continue;
                }
                break;
            }
            k += run + 1;
            if k > 64 {
                sync_position!($input, $cursor);
                return Err(Fault::RunPastEnd);
            }
        }
    };
}

/// [`skip_ac_body`] with a skip table of either width (`$skips`, a
/// [`SkipTable`]): one loop per width, chosen once per call.
macro_rules! skip_ac {
    ($input:expr, $bits:expr, $ac:expr, $ac_fast:expr, $skips:expr, $buffer:ident, $count:ident, $cursor:tt, $k:expr) => {
        match $skips {
            SkipTable::Narrow(pairs) => {
                skip_ac_body!($input, $bits, $ac, $ac_fast, pairs, $buffer, $count, $cursor, $k);
            }
            SkipTable::Wide(pairs) => {
                skip_ac_body!($input, $bits, $ac, $ac_fast, pairs, $buffer, $count, $cursor, $k);
            }
        }
    };
}

/// Decodes a DC difference from the local bit buffer (one lookup for a
/// short code whose magnitude is buffered too), else through
/// [`Bits::dc_difference`]; evaluates to the difference.
macro_rules! dc_difference {
    ($input:expr, $bits:expr, $dc:expr, $buffer:ident, $count:ident, $cursor:tt) => {{
        top_up!($input, $bits, $buffer, $count, $cursor);
        let entry = $dc.lookup[($buffer >> (32 - crate::huffman::LOOKUP_BITS)) as usize];
        let (length, size) = (u32::from(entry >> 8), u32::from(entry & 0xFF));
        if entry != 0 && size <= 15 && length + size <= $count {
            $buffer <<= length;
            $count -= length + size;
            if size == 0 {
                0
            } else {
                let value = ($buffer >> (32 - size)) as i32;
                // A leading 1 bit: the value as it is; a leading 0: negative.
                let positive = ($buffer as i32) < 0;
                $buffer <<= size;
                if positive {
                    value
                } else {
                    value - (1 << size) + 1
                }
            }
        } else {
            spill!($input, $bits, $buffer, $count, $cursor);
            let diff = $bits.dc_difference($input, $dc)?;
            reload!($input, $bits, $buffer, $count, $cursor);
            diff
        }
    }};
}

// The first DC scans of progressive pictures decode over a local bit
// buffer the same way (`progressive::first_dc_blocks`).
pub(crate) use {dc_difference, reload, spill, top_up};

/// The last zigzag index a `w`×`h` reduced transform uses (0 for none).
const fn last_kept(w: usize, h: usize) -> u8 {
    let mut last = 0;
    let mut k = 0;
    while k < 64 {
        let natural = ZIGZAG_CONST[k] as usize;
        if natural % 8 < w && natural / 8 < h {
            last = k as u8;
        }
        k += 1;
    }
    last
}

/// [`last_kept`] for every size (index `[h][w]`, sizes 0 to 8):
/// coefficients after it are skipped, not decoded.
static LAST_KEPT: [[u8; 9]; 9] = {
    let mut table = [[0u8; 9]; 9];
    let mut h = 0;
    while h <= 8 {
        let mut w = 0;
        while w <= 8 {
            table[h][w] = last_kept(w, h);
            w += 1;
        }
        h += 1;
    }
    table
};

/// Where a coefficient at each natural position lies, as [`decode_block`]
/// reports it: bit `8 + row` and bit `column`.
pub(crate) static SHAPE_BITS: [u16; 64] = {
    let mut table = [0u16; 64];
    let mut n = 0;
    while n < 64 {
        table[n] = (0x100 << (n >> 3)) | (1 << (n & 7));
        n += 1;
    }
    table
};

/// Decodes one block of a sequential scan. With `keep_w` 0 nothing is stored
/// (the block lies outside the region); otherwise the coefficients a
/// `keep_w`×`keep_h` transform uses are dequantised into `block`. Returns
/// where the stored non-zero coefficients other than DC lie: bit `8 + r`
/// for row `r`, bit `c` for column `c` (0: only DC). Square blocks inside
/// the region go through [`transform_blocks`] instead.
#[inline]
#[allow(clippy::too_many_arguments)]
pub(crate) fn decode_block<S: ByteSource>(
    input: &mut Input<S>,
    bits: &mut Bits,
    dc: &HuffmanTable,
    ac: &HuffmanTable,
    ac_fast: &[u32; 1 << crate::huffman::LOOKUP_BITS],
    ac_pairs: SkipTable<'_>,
    predictor: &mut i32,
    quant: &[u16; 64],
    keep_w: usize,
    keep_h: usize,
    block: &mut [i32; 64],
) -> Quick<u32> {
    // The bit buffer in locals on the common path (one lookup decodes code
    // and value); written back around the calls of the general path.
    let (mut buffer, mut count) = (bits.buffer, bits.count);
    let diff = dc_difference!(input, bits, dc, buffer, count, []);
    *predictor = (*predictor + diff).clamp(-32768, 32767);
    let mut shape = 0u32;
    let keep = keep_w > 0;
    if keep {
        block[0] = dc_coefficient(*predictor, quant[0]);
    }
    if keep_w <= 1 && keep_h <= 1 {
        skip_ac!(input, bits, ac, ac_fast, ac_pairs, buffer, count, [], 1);
        spill!(input, bits, buffer, count, []);
        return Ok(0);
    }
    // Coefficients after this index are not used: skipped, not decoded.
    let last = usize::from(LAST_KEPT[keep_h.min(8)][keep_w.min(8)]);
    let mut k = 1usize;
    while k <= last {
        let (run, value) = next_ac!(input, bits, ac, ac_fast, buffer, count, [], k, {
            spill!(input, bits, buffer, count, []);
            return Ok(shape);
        });
        k += run;
        if k > 63 {
            return Err(Fault::RunPastEnd);
        }
        let natural = usize::from(ZIGZAG[k]) & 63;
        if (natural & 7) < keep_w && (natural >> 3) < keep_h {
            block[natural] = idct::dequantise_ac(value, quant[k], natural);
            shape |= u32::from(SHAPE_BITS[natural]);
        }
        k += 1;
    }
    if k < 64 && k > last {
        skip_ac!(input, bits, ac, ac_fast, ac_pairs, buffer, count, [], k);
    }
    spill!(input, bits, buffer, count, []);
    Ok(shape)
}

/// Decodes the `h`×`v` blocks of one component in an MCU of which only
/// the DC value is used (1/8 scale) or none (outside the region): each
/// block's DC difference, then past its AC coefficients, with the bit
/// buffer in locals throughout. With `PIXELS` each block's DC value becomes
/// its pixel in `samples` (the plane from the MCU's first block) as it is
/// read. One call per component and MCU, not per block: the calls' setup
/// cost more than a tenth of the time at 1/8. `_block` is unused: the
/// signature is [`Blocks`]'.
/// Not inlined: inside the MCU loop the backend spills its locals.
#[inline(never)]
fn dc_only_blocks<S: ByteSource, const PIXELS: bool>(
    input: &mut Input<S>,
    bits: &mut Bits,
    part: &Part<'_>,
    predictor: &mut i32,
    _block: &mut [i32; 64],
    samples: &mut [u8],
    stride: usize,
) -> Quick<()> {
    match part.ac_pairs {
        SkipTable::Narrow(pairs) => dc_only_blocks_with::<S, PIXELS, NARROW_SKIP>(input, bits, part, pairs, predictor, samples, stride),
        SkipTable::Wide(pairs) => dc_only_blocks_with::<S, PIXELS, WIDE_SKIP>(input, bits, part, pairs, predictor, samples, stride),
    }
}

/// [`dc_only_blocks`] with a skip table of `N` entries.
#[inline(always)]
fn dc_only_blocks_with<S: ByteSource, const PIXELS: bool, const N: usize>(
    input: &mut Input<S>,
    bits: &mut Bits,
    part: &Part<'_>,
    ac_pairs: &[u16; N],
    predictor: &mut i32,
    samples: &mut [u8],
    stride: usize,
) -> Quick<()> {
    let &Part { h, v, dc, ac, ac_fast, quant, .. } = part;
    let q = i32::from(quant[0]);
    let (mut buffer, mut count, mut pos) = (bits.buffer, bits.count, input.position);
    let mut data: &[u8] = plain_view!(input, bits);
    for by in 0..v {
        for bx in 0..h {
            let diff = dc_difference!(input, bits, dc, buffer, count, [pos, data]);
            *predictor = (*predictor + diff).clamp(-32768, 32767);
            if PIXELS {
                if let Some(o) = samples.get_mut(by * stride + bx) {
                    *o = dc_sample(*predictor, q);
                }
            }
            skip_ac_body!(input, bits, ac, ac_fast, ac_pairs, buffer, count, [pos, data], 1);
        }
    }
    spill!(input, bits, buffer, count, [pos, data]);
    Ok(())
}

/// The pixel of a block whose only coefficient is DC value `dc` (a
/// predictor, within ±32768) with quantiser `quant`: what
/// `idct::dc_pixel(idct::dequantise(dc, quant, 0))` gives (a unit test
/// compares them), with one clamp instead of three. The product cannot
/// overflow (|dc·quant| < 2^31), and the clamps `dequantise` applies
/// before the pixel's own change nothing once that saturates.
#[inline(always)]
pub(crate) fn dc_sample(dc: i32, quant: i32) -> u8 {
    ((dc * quant + DC_SAMPLE_BIAS) >> DC_SAMPLE_SHIFT).clamp(0, 255) as u8
}

/// The dequantised DC coefficient of a block from its DC value `dc` (a
/// predictor, within ±32768): what `idct::dequantise(dc, quant, 0)` gives
/// (a unit test compares them) with one clamp instead of three, as in
/// [`dc_sample`].
#[inline(always)]
fn dc_coefficient(dc: i32, quant: u16) -> i32 {
    (dc * i32::from(quant)).clamp(-DC_LIMIT, DC_LIMIT) * DC_SCALE
}

/// `dequantise`'s limit on a dequantised value and its DC prescale
/// (1024/2^(13-5)).
const DC_LIMIT: i32 = 4095;
const DC_SCALE: i32 = 4;

/// `dequantise` scales DC by 1024/2^(13-5) = 4 and `dc_pixel` adds
/// 128.5·32 then divides by 32: together (4v + 4112) >> 5 = (v + 1028) >> 3.
const DC_SAMPLE_BIAS: i32 = 1028;
const DC_SAMPLE_SHIFT: u32 = 3;

/// Decodes and transforms the `h`×`v` blocks of one component in an MCU
/// whose blocks become `W`×`W` pixels (`W` 8, 4 or 2: 1/1, 1/2 and 1/4
/// scales, inside the region): the coefficients the transform uses are
/// decoded, the rest skipped, with the bit buffer and the read position in
/// locals throughout, and each block goes through its transform into
/// `samples` (the plane from the MCU's first block) before the next. One
/// call per component and MCU, as [`dc_only_blocks`]: per block, a call of
/// [`decode_block`] cost as much as the symbols of a 2×2 block. The same
/// pixels and errors as [`decode_block`] and the transform block by block.
#[inline(never)]
#[allow(clippy::too_many_arguments)]
fn transform_blocks<S: ByteSource, const W: usize>(
    input: &mut Input<S>,
    bits: &mut Bits,
    part: &Part<'_>,
    predictor: &mut i32,
    block: &mut [i32; 64],
    samples: &mut [u8],
    stride: usize,
) -> Quick<()> {
    let &Part { h, v, dc, ac, ac_fast, ac_pairs, quant, .. } = part;
    // Coefficients after this zigzag index are skipped.
    let last = match W {
        2 => LAST_KEPT_2,
        4 => LAST_KEPT_4,
        _ => 63,
    };
    let (mut buffer, mut count, mut pos) = (bits.buffer, bits.count, input.position);
    let mut data: &[u8] = plain_view!(input, bits);
    for by in 0..v {
        for bx in 0..h {
            let diff = dc_difference!(input, bits, dc, buffer, count, [pos, data]);
            *predictor = (*predictor + diff).clamp(-32768, 32767);
            block[0] = dc_coefficient(*predictor, quant[0]);
            // Where the non-zero coefficients other than DC lie (8×8 only).
            let mut shape = 0u32;
            let mut k = 1usize;
            // Whether the block's end of block was read in the decoded part.
            let mut ended = false;
            while k <= last {
                let (run, value) = next_ac!(input, bits, ac, ac_fast, buffer, count, [pos, data], k, {
                    ended = true;
                    break;
                });
                // A run is at most 15: below 8×8, where `k` is at most 24
                // here, no coefficient of the decoded part can pass the
                // block's end.
                k += run & 15;
                if W == 8 && k > 63 {
                    sync_position!(input, [pos, data]);
                    return Err(Fault::RunPastEnd);
                }
                let natural = usize::from(ZIGZAG[k & 63]) & 63;
                if W == 8 || ((natural & 7) < W && natural < 8 * W) {
                    block[natural] = idct::dequantise_ac(value, quant[k & 63], natural);
                    if W == 8 {
                        shape |= u32::from(SHAPE_BITS[natural]);
                    }
                }
                k += 1;
            }
            if W < 8 && !ended && k < 64 {
                skip_ac!(input, bits, ac, ac_fast, ac_pairs, buffer, count, [pos, data], k);
            }
            let out = samples.get_mut(by * W * stride + bx * W..).unwrap_or(&mut []);
            match W {
                2 => idct::inverse_dct_2x2(block, out, stride),
                4 => idct::inverse_dct_4x4(block, out, stride),
                _ => idct::inverse_dct_8x8(block, shape >> 8, shape & 0xFF, out, stride),
            }
        }
    }
    spill!(input, bits, buffer, count, [pos, data]);
    Ok(())
}

/// The last zigzag index a 2×2 transform uses (4) and a 4×4 one (24).
const LAST_KEPT_2: usize = last_kept(2, 2) as usize;
const LAST_KEPT_4: usize = last_kept(4, 4) as usize;

/// Entries of a narrow skip table (symbols a lookup, see [`crate::huffman::build_skip_table`]).
const NARROW_SKIP: usize = 1 << SKIP_BITS_NARROW;
/// Entries of a wide skip table, used where the memory limit allows.
const WIDE_SKIP: usize = 1 << SKIP_BITS_WIDE;
/// The skip table of an AC table without one: every skip takes the general paths.
static NO_PAIRS: [u16; NARROW_SKIP] = [SKIP_NONE; NARROW_SKIP];

/// Zeroed room for `count` skip tables of `entries` each, and the entries
/// of each: narrow ones if wide ones are asked for and the allocator
/// refuses them (the decode goes on as under a memory limit without room
/// for them).
fn skip_tables(count: usize, entries: usize) -> Option<(Vec<u16>, usize)> {
    match zeroed::<u16>(count * entries) {
        Some(tables) => Some((tables, entries)),
        None if entries == WIDE_SKIP => Some((zeroed::<u16>(count * NARROW_SKIP)?, NARROW_SKIP)),
        None => None,
    }
}

/// An AC table's skip table, of either width. The skip loops are
/// instantiated for each width (the index is then a constant shift with
/// no bounds check) and one is chosen per call.
#[derive(Clone, Copy)]
pub(crate) enum SkipTable<'t> {
    Narrow(&'t [u16; NARROW_SKIP]),
    Wide(&'t [u16; WIDE_SKIP]),
}

impl<'t> SkipTable<'t> {
    /// Table `at` of `tables` (all of one width, told by its length), or
    /// [`NO_PAIRS`].
    fn of(tables: &'t [u16], count: usize, at: Option<usize>) -> SkipTable<'t> {
        let entries = tables.len() / count.max(1);
        let table = at.and_then(|at| tables.get(at * entries..(at + 1) * entries));
        if let Some(Ok(wide)) = table.map(<&[u16; WIDE_SKIP]>::try_from) {
            return SkipTable::Wide(wide);
        }
        match table.map(<&[u16; NARROW_SKIP]>::try_from) {
            Some(Ok(narrow)) => SkipTable::Narrow(narrow),
            _ => SkipTable::Narrow(&NO_PAIRS),
        }
    }
}

/// One scan component's tables and block geometry, for the MCU loop.
struct Part<'t> {
    /// Frame component index.
    ci: usize,
    h: usize,
    v: usize,
    dc: &'t HuffmanTable,
    ac: &'t HuffmanTable,
    ac_fast: &'t [u32; 1 << crate::huffman::LOOKUP_BITS],
    ac_pairs: SkipTable<'t>,
    quant: &'t [u16; 64],
    block_w: usize,
    block_h: usize,
}

/// A function decoding one scan component's blocks of an MCU inside the
/// region into its plane ([`dc_only_blocks`], [`transform_blocks`],
/// [`other_blocks`]): chosen once, called through the pointer (cheaper
/// than a `match` per component and MCU).
type Blocks<S> = fn(&mut Input<S>, &mut Bits, &Part<'_>, &mut i32, &mut [i32; 64], &mut [u8], usize) -> Quick<()>;

/// One scan component's way of decoding inside the region and the place
/// of its blocks in its plane.
struct Place<S: ByteSource> {
    blocks: Blocks<S>,
    /// Plane columns of one MCU.
    step: usize,
    /// Plane bytes from one line to the next.
    stride: usize,
}

/// Decodes `mcus` MCUs inside the region into the planes, the first at
/// MCU column `x_first` of the planes. Returns false (at once) if an MCU
/// used bits past the end of the data. Not inlined: in the caller the
/// backend keeps the loop's values on the stack.
#[inline(never)]
#[allow(clippy::too_many_arguments)]
fn decode_inside<S: ByteSource>(
    input: &mut Input<S>,
    state: &mut EntropyState,
    parts: &[Part<'_>],
    places: &[Place<S>; 4],
    planes: &mut [Vec<u8>; 4],
    block: &mut [i32; 64],
    x_first: usize,
    mcus: u32,
) -> Quick<bool> {
    for x_mcu in x_first..x_first + mcus as usize {
        for (i, (part, place)) in parts.iter().zip(places).enumerate() {
            let samples = planes[part.ci & 3].get_mut(x_mcu * place.step..).unwrap_or(&mut []);
            (place.blocks)(input, &mut state.bits, part, &mut state.predictors[i & 3], block, samples, place.stride)?;
        }
        if state.bits.overrun() {
            return Ok(false);
        }
    }
    Ok(true)
}

/// Decodes and transforms the `h`×`v` blocks of one component in an MCU
/// whose blocks are not square (a component subsampled one way only) into
/// `samples` (the plane from the MCU's first block): block by block
/// through [`decode_block`] and the general transform.
#[inline(never)]
fn other_blocks<S: ByteSource>(
    input: &mut Input<S>,
    bits: &mut Bits,
    part: &Part<'_>,
    predictor: &mut i32,
    block: &mut [i32; 64],
    samples: &mut [u8],
    stride: usize,
) -> Quick<()> {
    let &Part { h, v, dc, ac, ac_fast, ac_pairs, quant, block_w: bw, block_h: bh, .. } = part;
    for by in 0..v {
        for bx in 0..h {
            let shape = decode_block(input, bits, dc, ac, ac_fast, ac_pairs, predictor, quant, bw, bh, block)?;
            let dc_only = shape == 0;
            if let Some(out) = samples.get_mut(by * bh * stride + bx * bw..) {
                idct::inverse_dct(block, bw, bh, dc_only, out, stride);
            }
            if dc_only {
                block[0] = 0;
            } else {
                block[..bh * 8].fill(0);
            }
        }
    }
    Ok(())
}

/// Reads the restart marker expected between intervals and resets the state.
pub(crate) fn restart<S: ByteSource>(input: &mut Input<S>, state: &mut EntropyState, interval: u32) -> Result<()> {
    let marker = match state.bits.marker {
        Some(m) => Some(m),
        None => header::next_marker(input)?,
    };
    match marker {
        Some(0xD0..=0xD7) => {}
        _ => return Err(input.error(ErrorKind::ScanTruncated)),
    }
    state.bits.reset();
    state.predictors = [0; 4];
    state.restart_left = interval;
    Ok(())
}

/// Reads a JPEG's headers and decodes it (or parts of it) on request.
pub struct Decoder<S: ByteSource> {
    pub(crate) input: Input<S>,
    pub(crate) tables: Box<Tables>,
    pub(crate) frame: Frame,
    pub(crate) scan: Scan,
    pub(crate) extras: Extras,
    /// File offset where the first scan's entropy-coded data starts.
    pub(crate) scan_data: u64,
    /// Tables were changed by reading later scans; re-read from the top before the next decode.
    pub(crate) tables_dirty: bool,
    /// Where the scans of a multi-scan image end, learnt while skipping
    /// them: later passes (bands, other regions) seek there instead of
    /// reading the data again.
    pub(crate) scan_ends: crate::progressive::ScanEnds,
    /// Where MCU rows start inside the scans of a multi-scan image.
    pub(crate) scan_rows: crate::progressive::ScanRows,
}

impl<S: ByteSource> Decoder<S> {
    /// Reads the headers up to the first scan, reading the source
    /// [`DEFAULT_INPUT_BUFFER_BYTES`] at a time.
    pub fn new(source: S) -> Result<Self> {
        Self::with_input_buffer(source, DEFAULT_INPUT_BUFFER_BYTES)
    }

    /// Like [`Decoder::new`], reading the source `buffer_bytes` at a time
    /// (at least 64). The buffer counts in the working memory of every
    /// decode: larger chunks mean fewer reads (each costs about 1 ms on the
    /// calculator) but leave less of the memory limit for the region.
    pub fn with_input_buffer(source: S, buffer_bytes: usize) -> Result<Self> {
        let Some(mut input) = Input::new(source, buffer_bytes) else {
            return Err(Error::new(ErrorKind::OutOfMemory { needed: buffer_bytes.min(u32::MAX as usize) as u32 }, 0, None));
        };
        if input.next_byte()? != Some(0xFF) || input.next_byte()? != Some(0xD8) {
            return Err(Error::new(ErrorKind::NotJpeg, 0, None));
        }
        let Some(mut tables) = Tables::new() else {
            return Err(Error::new(ErrorKind::OutOfMemory { needed: Tables::BYTES as u32 }, 0, None));
        };
        let mut frame = None;
        let mut extras = Extras::default();
        let stop = header::read_segments(&mut input, &mut tables, &mut frame, &mut extras, None, true)?;
        let Some(frame) = frame else {
            return Err(input.error(ErrorKind::Malformed("no frame header (SOF) before the end")));
        };
        let Stop::Scan(scan) = stop else {
            return Err(input.error(ErrorKind::Malformed("no scan (SOS) before the end")));
        };
        let scan_data = input.offset();
        Ok(Decoder { input, tables, frame, scan, extras, scan_data, tables_dirty: false, scan_ends: Default::default(), scan_rows: Default::default() })
    }

    /// Reads the source `buffer_bytes` at a time from now on (at least 64),
    /// for a caller that chooses after seeing [`info`](Self::info): e.g. large
    /// reads for a sequential picture, whose decodes need little memory
    /// besides, and the default for a progressive one, whose coefficients
    /// need the memory. The buffer counts in every decode's working memory.
    /// After a jump (a pan, a checkpoint) reads start at 4 KiB and double
    /// while they go on front to back, so a large buffer costs little there.
    pub fn set_input_buffer(&mut self, buffer_bytes: usize) -> Result<()> {
        self.input
            .resize(buffer_bytes)
            .ok_or(Error::new(ErrorKind::OutOfMemory { needed: buffer_bytes.min(u32::MAX as usize) as u32 }, 0, None))
    }

    /// Facts from the headers.
    pub fn info(&self) -> ImageInfo {
        let f = &self.frame;
        let mut sampling = [(0, 0); 4];
        for (s, c) in sampling.iter_mut().zip(&f.components[..f.count]) {
            *s = (c.h as u8, c.v as u8);
        }
        ImageInfo {
            width: f.width,
            height: f.height,
            coding: f.coding,
            color: self.color_model(),
            components: f.count as u8,
            sampling,
            restart_interval: self.tables.restart_interval,
            exif: self.extras.exif,
            adobe_transform: self.extras.adobe_transform,
            single_scan: self.single_scan(),
        }
    }

    /// Size of the whole picture at `scale`.
    pub fn output_size(&self, scale: Scale) -> (u32, u32) {
        (self.frame.width.div_ceil(scale.divisor()), self.frame.height.div_ceil(scale.divisor()))
    }

    pub(crate) fn single_scan(&self) -> bool {
        self.frame.coding != Coding::Progressive && self.scan.count == self.frame.count
    }

    pub(crate) fn color_model(&self) -> ColorModel {
        let f = &self.frame;
        match f.count {
            1 => ColorModel::Grayscale,
            3 => match self.extras.adobe_transform {
                Some(0) => ColorModel::Rgb,
                Some(_) => ColorModel::YCbCr,
                None if !self.extras.jfif && f.components[..3].iter().map(|c| c.id).eq(*b"RGB") => ColorModel::Rgb,
                None => ColorModel::YCbCr,
            },
            _ => match self.extras.adobe_transform {
                Some(2) => ColorModel::Ycck,
                _ => ColorModel::Cmyk,
            },
        }
    }

    /// Bytes of decoder state outside the per-request buffers: the tables
    /// (boxed), the decoder itself with its input buffer and scan row
    /// checkpoints, and one block of coefficients on the stack (the
    /// transforms work in it).
    pub(crate) fn fixed_memory(&self) -> u32 {
        (Tables::BYTES
            + core::mem::size_of::<Self>()
            + self.input.buffer_bytes()
            + self.scan_rows.memory()
            + core::mem::size_of::<[i32; 64]>()) as u32
    }

    /// Decodes `options.region` (all of the picture if `None`) at
    /// `options.scale`, calling `sink(y, row)` for each output row in order
    /// (`y` counts from the top of the scaled picture). Single-scan sequential
    /// images stream in bounded memory and use `index` (if given) to start
    /// near the region and record rows they pass; progressive ones read
    /// every scan into coefficient buffers for the region first.
    ///
    /// On an error the rows already handed over stay valid: the error's
    /// `rows_output` says how many there were.
    pub fn decode<F: FnMut(u32, Pixels<'_>)>(&mut self, options: &Options, index: Option<&mut Index>, mut sink: F) -> Result<Summary> {
        let layout = Layout::new(&self.frame, options.scale, options.region, options.upsampling)
            .map_err(|what| Error::new(ErrorKind::BadRequest(what), 0, None))?;
        if self.single_scan() {
            self.decode_sequential(options, &layout, index, &mut sink, false)
        } else {
            self.decode_multi_scan(options, &layout, &mut sink)
        }
    }

    /// Entropy-decodes every MCU row of a single-scan image (no pixels) to
    /// fill `index` for later region decodes.
    pub fn build_index(&mut self, index: &mut Index) -> Result<()> {
        if !self.single_scan() {
            return Err(Error::new(ErrorKind::BadRequest("only single-scan sequential images can be indexed"), 0, None));
        }
        let layout = Layout::new(&self.frame, Scale::Eighth, None, Upsampling::Smooth)
            .map_err(|what| Error::new(ErrorKind::BadRequest(what), 0, None))?;
        let mut full = layout;
        full.row_end = self.frame.mcus_y;
        full.row_first = u32::MAX;
        let options = Options { scale: Scale::Eighth, ..Options::default() };
        self.decode_sequential(&options, &full, Some(index), &mut |_, _| {}, true).map(|_| ())
    }

    fn decode_sequential<F: FnMut(u32, Pixels<'_>)>(
        &mut self,
        options: &Options,
        layout: &Layout,
        mut index: Option<&mut Index>,
        sink: &mut F,
        index_only: bool,
    ) -> Result<Summary> {
        let frame = self.frame;
        let scan = self.scan;
        let color = self.color_model();
        // Skip tables for the scan's AC tables, when some coefficients are
        // skipped (reduced scales, regions, indexing): wide ones if they fit
        // the memory limit with everything else, else narrow ones.
        let skipping = index_only || options.scale != Scale::Full || options.region.is_some();
        // Where each AC table's pair table lies in `pair_tables`.
        let mut pair_position: [Option<usize>; 4] = [None; 4];
        let mut pair_count = 0;
        if skipping {
            for &slot in &scan.ac_table[..scan.count.min(4)] {
                if pair_position[slot & 3].is_none() {
                    pair_position[slot & 3] = Some(pair_count);
                    pair_count += 1;
                }
            }
        }
        let others = self.fixed_memory() as u64 + if index_only { 0 } else { Planes::bytes_needed(&frame, layout, options.format) };
        let wide_bytes = (pair_count * core::mem::size_of::<[u16; WIDE_SKIP]>()) as u64;
        let skip_entries = if others + wide_bytes <= u64::from(options.memory_limit) { WIDE_SKIP } else { NARROW_SKIP };
        let pair_bytes = pair_count * skip_entries * core::mem::size_of::<u16>();
        let needed = others + pair_bytes as u64;
        if needed > u64::from(options.memory_limit) {
            return Err(Error::new(
                ErrorKind::TooLarge { needed: needed.min(u64::from(u32::MAX)) as u32, limit: options.memory_limit },
                0,
                None,
            ));
        }
        let mut planes = if index_only {
            None
        } else {
            let out_of_memory = ErrorKind::OutOfMemory { needed: needed.min(u64::from(u32::MAX)) as u32 };
            Some(Planes::new(&frame, layout, options.format).ok_or(Error::new(out_of_memory, 0, None))?)
        };
        let (mut pair_tables, skip_entries) = if pair_bytes > 0 {
            let out_of_memory = ErrorKind::OutOfMemory { needed: needed.min(u64::from(u32::MAX)) as u32 };
            skip_tables(pair_count, skip_entries).ok_or(Error::new(out_of_memory, 0, None))?
        } else {
            (Vec::new(), skip_entries)
        };
        // Narrow tables where the allocator refused wide ones.
        let needed = others + (pair_tables.len() * core::mem::size_of::<u16>()) as u64;
        for (slot, at) in pair_position.iter().enumerate() {
            if let Some(table) = at.and_then(|at| pair_tables.get_mut(at * skip_entries..(at + 1) * skip_entries)) {
                crate::huffman::build_skip_table(&self.tables.ac[slot], table);
            }
        }
        let interval = self.tables.restart_interval;
        let mut state = EntropyState { restart_left: interval, ..EntropyState::default() };
        let mut start_row = 0;
        let mut start_column = 0;
        let mut start_offset = self.scan_data;
        if let Some(ix) = index.as_deref_mut() {
            ix.bind((self.scan_data, frame.width, frame.height), frame.mcus_x, frame.mcus_y);
            if let Some(checkpoint) = ix.before(layout.row_first.min(layout.row_end), layout.col_first) {
                start_row = checkpoint.row;
                start_column = checkpoint.column;
                start_offset = checkpoint.offset;
                state = checkpoint.state;
            }
        }
        self.input.seek(start_offset)?;
        self.input.context = Some(0xDA);
        let mut block = [0i32; 64];
        let mut rows_output = 0u32;
        let fail = |mut e: Error, rows: u32| {
            e.rows_output = rows;
            e
        };
        let mut mcus_decoded = 0u32;
        let mut first_column = start_column;
        // What each scan component needs per block, looked up once (the
        // backend repeats every index check of it in the MCU loop otherwise).
        let tables = &*self.tables;
        let parts: [Part<'_>; 4] = core::array::from_fn(|i| {
            let ci = scan.component[i & 3] & 3;
            let comp = &frame.components[ci];
            Part {
                ci,
                h: comp.h as usize,
                v: comp.v as usize,
                dc: &tables.dc[scan.dc_table[i & 3] & 3],
                ac: &tables.ac[scan.ac_table[i & 3] & 3],
                ac_fast: &tables.ac_fast[scan.ac_table[i & 3] & 3],
                ac_pairs: SkipTable::of(&pair_tables, pair_count, pair_position[scan.ac_table[i & 3] & 3]),
                quant: &tables.quant[comp.quant & 3],
                block_w: layout.block_w[ci] as usize,
                block_h: layout.block_h[ci] as usize,
            }
        });
        // How each scan component's blocks inside the region are decoded
        // and where they go, worked out once, not per MCU.
        let places: [Place<S>; 4] = core::array::from_fn(|i| {
            let part = &parts[i];
            let (bw, bh) = (part.block_w, part.block_h);
            let blocks: Blocks<S> = match (bw, bh) {
                (1, 1) => dc_only_blocks::<S, true>,
                (2, 2) => transform_blocks::<S, 2>,
                (4, 4) => transform_blocks::<S, 4>,
                (8, 8) => transform_blocks::<S, 8>,
                _ => other_blocks::<S>,
            };
            let stride = planes.as_ref().map_or(0, |p| p.stride[part.ci & 3]);
            Place { blocks, step: part.h * bw, stride }
        });
        let parts = &parts[..scan.count.min(4)];
        for mcu_row in start_row..layout.row_end {
            self.input.proceed().map_err(|e| fail(e, rows_output))?;
            let full = mcu_row >= layout.row_first;
            if let Some(p) = planes.as_mut() {
                if full && mcu_row > layout.row_first {
                    p.save_context(&frame, layout, mcu_row - 1);
                }
            }
            // Past this column the row holds nothing the decode needs.
            let needed_end = if full { layout.col_end } else { 0 };
            let mut mcu_col = core::mem::take(&mut first_column);
            while mcu_col < frame.mcus_x {
                if interval > 0 && state.restart_left == 0 {
                    restart(&mut self.input, &mut state, interval).map_err(|e| fail(e, rows_output))?;
                }
                // Saved after any restart marker: the bit buffer is then clean.
                if let Some(ix) = index.as_deref_mut() {
                    ix.record(mcu_row, mcu_col, self.input.offset(), &state);
                    if mcu_col >= needed_end && !index_only && mcu_row + 1 < layout.row_end {
                        if let Some(next) = ix.in_row(mcu_row + 1, layout.col_first) {
                            self.input.seek(next.offset).map_err(|e| fail(e, rows_output))?;
                            state = next.state;
                            first_column = next.column;
                            break;
                        }
                    }
                }
                // The MCUs from here to `run_end` are decoded alike: on one
                // side of the region's edges, before the next restart marker
                // and the next checkpoint the index would record.
                let inside = full && mcu_col >= layout.col_first && mcu_col < layout.col_end;
                let mut run_end = if inside {
                    layout.col_end
                } else if full && mcu_col < layout.col_first {
                    layout.col_first
                } else {
                    frame.mcus_x
                };
                if let Some(ix) = index.as_deref() {
                    // Up to the next column the index keeps a checkpoint of
                    // (every `column_stride`-th of every `stride`-th row;
                    // both powers of two).
                    if mcu_row & (ix.stride() - 1) == 0 {
                        run_end = run_end.min((mcu_col | (ix.column_stride() - 1)).saturating_add(1));
                    }
                }
                if interval > 0 {
                    run_end = run_end.min(mcu_col + state.restart_left);
                    state.restart_left -= run_end - mcu_col;
                }
                mcus_decoded += run_end - mcu_col;
                let Some(p) = planes.as_mut().filter(|_| inside) else {
                    // Outside the region (or indexing): nothing is kept.
                    while mcu_col < run_end {
                        for (i, part) in parts.iter().enumerate() {
                            dc_only_blocks::<S, false>(&mut self.input, &mut state.bits, part, &mut state.predictors[i & 3], &mut block, &mut [], 0)
                                .map_err(|f| fail(self.input.fault(f), rows_output))?;
                        }
                        if state.bits.overrun() {
                            return Err(fail(self.input.error(ErrorKind::ScanTruncated), rows_output));
                        }
                        mcu_col += 1;
                    }
                    continue;
                };
                let x_first = (mcu_col - layout.col_first) as usize;
                let whole = decode_inside(&mut self.input, &mut state, parts, &places, &mut p.samples, &mut block, x_first, run_end - mcu_col)
                    .map_err(|f| fail(self.input.fault(f), rows_output))?;
                if !whole {
                    return Err(fail(self.input.error(ErrorKind::ScanTruncated), rows_output));
                }
                mcu_col = run_end;
            }
            if let (true, Some(p)) = (full, planes.as_mut()) {
                if mcu_row > layout.row_first {
                    rows_output += emit_deferred_line(&frame, color, layout, options, p, mcu_row, sink);
                }
                rows_output += emit_rows(&frame, color, layout, options, p, mcu_row, sink);
            }
        }
        let working_memory = needed as u32;
        Ok(Summary { region: layout.region(), rows: rows_output, working_memory, start_row, start_column, mcus_decoded, checkpoint_memory: 0 })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `dc_sample` is the general path's dequantise-then-pixel, for every
    /// predictor with a spread of quantisers and every quantiser with a
    /// spread of predictors (the extremes included).
    #[test]
    fn dc_sample_matches_dequantise_and_dc_pixel() {
        let general = |dc: i32, quant: u16| idct::dc_pixel(idct::dequantise(dc, quant, 0));
        for quant in [0u16, 1, 2, 3, 5, 7, 8, 16, 50, 99, 255, 256, 1000, 4095, 4096, 32766, 32767, 32768, 65535] {
            for dc in -32768..=32767 {
                assert_eq!(dc_sample(dc, i32::from(quant)), general(dc, quant), "dc {dc} quant {quant}");
            }
        }
        for dc in [-32768, -32767, -1030, -1029, -1028, -1027, -129, -1, 0, 1, 127, 128, 1019, 1020, 1021, 32767] {
            for quant in 0..=u16::MAX {
                assert_eq!(dc_sample(dc, i32::from(quant)), general(dc, quant), "dc {dc} quant {quant}");
            }
        }
    }

    /// `dc_coefficient` is `dequantise` at position 0, over the same values.
    #[test]
    fn dc_coefficient_matches_dequantise() {
        for quant in [0u16, 1, 2, 3, 5, 7, 8, 16, 50, 99, 255, 256, 1000, 4095, 4096, 32766, 32767, 32768, 65535] {
            for dc in -32768..=32767 {
                assert_eq!(dc_coefficient(dc, quant), idct::dequantise(dc, quant, 0), "dc {dc} quant {quant}");
            }
        }
        for dc in [-32768, -32767, -4096, -4095, -4094, -2048, -1, 0, 1, 2047, 4094, 4095, 4096, 32767] {
            for quant in 0..=u16::MAX {
                assert_eq!(dc_coefficient(dc, quant), idct::dequantise(dc, quant, 0), "dc {dc} quant {quant}");
            }
        }
    }
}
