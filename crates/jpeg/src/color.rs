//! Upsampling of subsampled components and conversion to RGB, one output
//! row at a time, in integers.

/// One component's decoded samples for the current MCU row.
pub(crate) struct PlaneView<'a> {
    pub(crate) samples: &'a [u8],
    pub(crate) stride: usize,
    /// Samples across that belong to the image (the rest is block padding).
    pub(crate) valid_w: usize,
    /// Lines that belong to the image in this MCU row.
    pub(crate) valid_h: usize,
    /// The last line of the MCU row above, if it was decoded.
    pub(crate) above: Option<&'a [u8]>,
    /// The first line of the MCU row below, if it is decoded.
    pub(crate) below: Option<&'a [u8]>,
    /// Output pixels per sample across and down (h_max/h, v_max/v).
    pub(crate) ratio_x: usize,
    pub(crate) ratio_y: usize,
}

impl PlaneView<'_> {
    fn line(&self, y: usize) -> &[u8] {
        let y = y.min(self.valid_h.saturating_sub(1));
        self.samples.get(y * self.stride..(y + 1) * self.stride).unwrap_or(&[])
    }
}

#[inline(always)]
fn at(line: &[u8], i: usize) -> u32 {
    u32::from(line.get(i).copied().unwrap_or(0))
}

/// Fills `out` with the component's values for output line `line_y` (local
/// to the MCU row) at plane-local output columns `x_start..x_start + out.len()`.
///
/// Factor-2 upsampling uses the triangle filter (each output sample is ¾ of
/// the nearest sample and ¼ of the next nearest), as libjpeg's default does,
/// so results match the reference decodes; other factors replicate.
pub(crate) fn upsample_line(plane: &PlaneView<'_>, line_y: usize, x_start: usize, out: &mut [u8]) {
    let last_x = plane.valid_w.saturating_sub(1);
    match (plane.ratio_x, plane.ratio_y) {
        (1, 1) => {
            let line = plane.line(line_y);
            if let Some(src) = line.get(x_start..x_start + out.len()) {
                out.copy_from_slice(src);
            } else {
                for (k, o) in out.iter_mut().enumerate() {
                    *o = at(line, (x_start + k).min(last_x)) as u8;
                }
            }
        }
        (2, 1) => {
            let line = plane.line(line_y);
            if !triangle_pairs::<false>(out, x_start, last_x, line, line) {
                let sample = |i: usize| at(line, i);
                filter_pairs(out, x_start, last_x, sample, 2, 1, 2);
            }
        }
        (1, 2) | (2, 2) => {
            let near_y = (line_y >> 1).min(plane.valid_h.saturating_sub(1));
            let near = plane.line(near_y);
            let far = if line_y & 1 == 0 {
                if near_y > 0 {
                    plane.line(near_y - 1)
                } else {
                    plane.above.unwrap_or(near)
                }
            } else if near_y + 1 < plane.valid_h {
                plane.line(near_y + 1)
            } else {
                // The bottom of the image repeats its last line.
                plane.below.unwrap_or(near)
            };
            let column = |i: usize| at(near, i) * 3 + at(far, i);
            if plane.ratio_x == 1 {
                let bias = 1 + (line_y as u32 & 1);
                for (k, o) in out.iter_mut().enumerate() {
                    *o = ((column((x_start + k).min(last_x)) + bias) >> 2) as u8;
                }
            } else if !triangle_pairs::<true>(out, x_start, last_x, near, far) {
                filter_pairs(out, x_start, last_x, column, 4, 8, 7);
            }
        }
        (rx, ry) => {
            let line = plane.line(line_y / ry);
            for (k, o) in out.iter_mut().enumerate() {
                *o = at(line, ((x_start + k) / rx).min(last_x)) as u8;
            }
        }
    }
}

/// [`filter_pairs`] for samples `near[i]` (`VERTICAL` false: by 2
/// across) or `3·near[i] + far[i]` (`VERTICAL`: by 2 both ways), written
/// for speed: the interior runs over slices without index checks. Same
/// results; false (nothing written) when a line is shorter than `last + 1`.
#[inline(always)]
fn triangle_pairs<const VERTICAL: bool>(out: &mut [u8], x_start: usize, last: usize, near: &[u8], far: &[u8]) -> bool {
    let (Some(near), Some(far)) = (near.get(..=last), far.get(..=last)) else { return false };
    if out.is_empty() {
        return true;
    }
    let column = |i: usize| {
        let n = u32::from(near[i.min(last)]);
        if VERTICAL {
            n * 3 + u32::from(far[i.min(last)])
        } else {
            n
        }
    };
    let (shift, even_bias, odd_bias) = if VERTICAL { (4, 8, 7) } else { (2, 1, 2) };
    let mut i = x_start >> 1;
    let mut previous = column(i.saturating_sub(1));
    let mut current = column(i);
    let mut out = out;
    if x_start & 1 == 1 {
        let next = column(i + 1);
        out[0] = ((current * 3 + next + odd_bias) >> shift) as u8;
        out = &mut out[1..];
        previous = current;
        current = next;
        i += 1;
    }
    let pairs = out.len() / 2;
    let (paired, rest) = out.split_at_mut(pairs * 2);
    // Interior: the next sample exists.
    let inner = pairs.min(last.saturating_sub(i));
    let (inner_out, edge_out) = paired.split_at_mut(inner * 2);
    let start = (i + 1).min(near.len());
    let (near_next, far_next) = (&near[start..], &far[start..]);
    // Four pairs at a time over fixed-size arrays (no index checks, few
    // calls into the iterator adapters), then the rest one pair at a time.
    let fours = inner / 4;
    let (four_out, one_out) = inner_out.split_at_mut(fours * 8);
    for ((o, n), f) in four_out.chunks_exact_mut(8).zip(near_next.chunks_exact(4)).zip(far_next.chunks_exact(4)) {
        let (Ok(o), Ok(n), Ok(f)) = (<&mut [u8; 8]>::try_from(o), <&[u8; 4]>::try_from(n), <&[u8; 4]>::try_from(f)) else {
            continue;
        };
        for j in 0..4 {
            let next = if VERTICAL { u32::from(n[j]) * 3 + u32::from(f[j]) } else { u32::from(n[j]) };
            o[2 * j] = ((current * 3 + previous + even_bias) >> shift) as u8;
            o[2 * j + 1] = ((current * 3 + next + odd_bias) >> shift) as u8;
            previous = current;
            current = next;
        }
    }
    let rest_start = (fours * 4).min(near_next.len());
    for ((pair, &n), &f) in one_out.chunks_exact_mut(2).zip(&near_next[rest_start..]).zip(&far_next[rest_start..]) {
        let next = if VERTICAL { u32::from(n) * 3 + u32::from(f) } else { u32::from(n) };
        pair[0] = ((current * 3 + previous + even_bias) >> shift) as u8;
        pair[1] = ((current * 3 + next + odd_bias) >> shift) as u8;
        previous = current;
        current = next;
    }
    i += inner;
    // Past the last sample: it repeats.
    for pair in edge_out.chunks_exact_mut(2) {
        let next = column(i + 1);
        pair[0] = ((current * 3 + previous + even_bias) >> shift) as u8;
        pair[1] = ((current * 3 + next + odd_bias) >> shift) as u8;
        previous = current;
        current = next;
        i += 1;
    }
    if let Some(o) = rest.first_mut() {
        *o = ((current * 3 + previous + even_bias) >> shift) as u8;
    }
    true
}

/// Horizontal triangle filter by 2 over `sample(0..=last)` (samples
/// already scaled by `scale`/4 vertically): output `2i` is
/// `(3·s[i] + s[i−1] + even_bias) / (4·scale)`, output `2i+1` uses `s[i+1]`
/// and `odd_bias`; edges repeat. Each sample is read once per pair.
#[inline(always)]
fn filter_pairs(out: &mut [u8], x_start: usize, last: usize, sample: impl Fn(usize) -> u32, scale: u32, even_bias: u32, odd_bias: u32) {
    if out.is_empty() {
        return;
    }
    let shift = if scale == 4 { 4 } else { 2 };
    let first = x_start >> 1;
    let end = (x_start + out.len() - 1) >> 1;
    let mut previous = sample(first.saturating_sub(1).min(last));
    let mut current = sample(first.min(last));
    for i in first..=end {
        let next = sample((i + 1).min(last));
        let even = ((current * 3 + previous + even_bias) >> shift) as u8;
        let odd = ((current * 3 + next + odd_bias) >> shift) as u8;
        let x = 2 * i;
        if x >= x_start {
            if let Some(o) = out.get_mut(x - x_start) {
                *o = even;
            }
        }
        if let Some(o) = out.get_mut(x + 1 - x_start) {
            *o = odd;
        }
        previous = current;
        current = next;
    }
}

/// Colour-conversion terms of one chroma value, `round(k·(c−128))` with 16
/// fraction bits folded: built at compile time, `static` so lookups read
/// ROM (see [`crate::ZIGZAG`] on `const` arrays).
const fn chroma_table(k: i32, rounding: i32) -> [i32; 256] {
    let mut table = [0; 256];
    let mut i = 0;
    while i < 256 {
        table[i] = k * (i as i32 - 128) + rounding;
        i += 1;
    }
    table
}

static CR_TO_R: [i32; 256] = chroma_table(91881, 32768);
static CB_TO_B: [i32; 256] = chroma_table(116130, 32768);
static CB_TO_G: [i32; 256] = chroma_table(-22554, 0);
static CR_TO_G: [i32; 256] = chroma_table(-46802, 32768);

/// Y, Cb, Cr (JFIF, full range) to unclamped R, G, B (16 fraction bits,
/// rounded): `y + 1.402(cr−128)`, `y − 0.344(cb−128) − 0.714(cr−128)`, `y + 1.772(cb−128)`.
#[inline(always)]
pub(crate) fn ycbcr_to_rgb_wide(y: u8, cb: u8, cr: u8) -> [i32; 3] {
    let (y, cb, cr) = (i32::from(y), usize::from(cb), usize::from(cr));
    [
        y + (CR_TO_R[cr] >> 16),
        y + ((CB_TO_G[cb] + CR_TO_G[cr]) >> 16),
        y + (CB_TO_B[cb] >> 16),
    ]
}

/// Y, Cb, Cr to R, G, B.
#[inline(always)]
pub(crate) fn ycbcr_to_rgb(y: u8, cb: u8, cr: u8) -> [u8; 3] {
    let [r, g, b] = ycbcr_to_rgb_wide(y, cb, cr);
    [clamp(r), clamp(g), clamp(b)]
}

/// Offset of value 0 in the saturating tables, which cover −384..640
/// (colour conversion stays within −227..482, plus dither).
pub(crate) const TABLE_ZERO: i32 = 384;

const fn saturating_table(shift: u32, position: u32) -> [u16; 1024] {
    let mut table = [0; 1024];
    let mut i = 0;
    while i < 1024 {
        let v = i as i32 - TABLE_ZERO;
        let v = if v < 0 { 0 } else if v > 255 { 255 } else { v };
        table[i] = ((v as u16) >> shift) << position;
        i += 1;
    }
    table
}

/// Bytes, not `u16`: an SH-4 byte load needs no scaled index.
static SATURATE: [u8; 1024] = {
    let wide = saturating_table(0, 0);
    let mut table = [0u8; 1024];
    let mut i = 0;
    while i < 1024 {
        table[i] = wide[i] as u8;
        i += 1;
    }
    table
};
pub(crate) static RED_565: [u16; 1024] = saturating_table(3, 11);
pub(crate) static GREEN_565: [u16; 1024] = saturating_table(2, 5);
pub(crate) static BLUE_565: [u16; 1024] = saturating_table(3, 0);

#[inline(always)]
fn slot(v: i32) -> usize {
    // The mask keeps any value inside the table; real values never wrap.
    ((v + TABLE_ZERO) as usize) & 1023
}

/// `v` clamped to 0..=255 by table (no branches).
#[inline(always)]
pub(crate) fn clamp(v: i32) -> u8 {
    SATURATE[slot(v)]
}

/// `a·b/255` rounded, for inverted (Adobe) CMYK: ink amount times black.
#[inline(always)]
pub(crate) fn scale_by(a: u8, b: u8) -> u8 {
    let x = u32::from(a) * u32::from(b) + 128;
    ((x + (x >> 8)) >> 8) as u8
}

/// 4×4 ordered-dither thresholds (Bayer), 0..15.
pub(crate) static BAYER: [u8; 16] = [0, 8, 2, 10, 12, 4, 14, 6, 3, 11, 1, 9, 15, 7, 13, 5];

/// Packs unclamped R, G, B into RGB565, optionally adding an ordered-dither
/// offset below one output step so flat gradients do not band. Clamping and
/// packing are table lookups.
#[inline(always)]
pub(crate) fn to_rgb565(rgb: [i32; 3], x: u32, y: u32, dither: bool) -> u16 {
    let [r, g, b] = rgb;
    let (t5, t6) = if dither {
        let t = i32::from(BAYER[((y & 3) * 4 + (x & 3)) as usize]);
        (t >> 1, t >> 2)
    } else {
        (0, 0)
    };
    // The offset is below one output step, so adding it before clamping
    // changes nothing outside 0..255: one lookup per channel clamps and packs.
    RED_565[slot(r + t5)] | GREEN_565[slot(g + t6)] | BLUE_565[slot(b + t5)]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grey_stays_grey_and_primaries_saturate() {
        assert_eq!(ycbcr_to_rgb(128, 128, 128), [128, 128, 128]);
        assert_eq!(ycbcr_to_rgb(76, 85, 255), [254, 0, 0]);
        assert_eq!(scale_by(255, 255), 255);
        assert_eq!(scale_by(255, 0), 0);
        assert_eq!(scale_by(128, 255), 128);
    }

    #[test]
    fn rgb565_packing_and_dither_bounds() {
        assert_eq!(to_rgb565([255, 255, 255], 0, 0, false), 0xFFFF);
        assert_eq!(to_rgb565([300, 255, 400], 3, 2, true), 0xFFFF);
        assert_eq!(to_rgb565([0, -50, 0], 0, 0, true), 0);
        assert_eq!(to_rgb565([0x12, 0x34, 0x56], 0, 0, false), (0x12 >> 3) << 11 | (0x34 >> 2) << 5 | (0x56 >> 3));
    }

    #[test]
    fn tables_match_the_arithmetic() {
        for y in [0u8, 16, 128, 235, 255] {
            for cb in 0..=255u8 {
                for cr in [0u8, 60, 128, 200, 255] {
                    let (yy, cbb, crr) = ((i32::from(y) << 16) + 32768, i32::from(cb) - 128, i32::from(cr) - 128);
                    let r = ((yy + 91881 * crr) >> 16).clamp(0, 255) as u8;
                    let g = ((yy - 22554 * cbb - 46802 * crr) >> 16).clamp(0, 255) as u8;
                    let b = ((yy + 116130 * cbb) >> 16).clamp(0, 255) as u8;
                    assert_eq!(ycbcr_to_rgb(y, cb, cr), [r, g, b]);
                }
            }
        }
    }
}
