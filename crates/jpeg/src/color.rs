//! Upsampling of subsampled components and conversion to RGB, one output
//! row at a time, in integers.

use crate::decoder::Upsampling;

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
    pub(crate) fn line(&self, y: usize) -> &[u8] {
        let y = y.min(self.valid_h.saturating_sub(1));
        self.samples.get(y * self.stride..(y + 1) * self.stride).unwrap_or(&[])
    }
}

impl<'a> PlaneView<'a> {
    /// For vertical factor 2: the nearest sample line to output line
    /// `line_y` and the next nearest (the line above for an even output
    /// line, below for an odd one; edges repeat).
    pub(crate) fn vertical_pair(&self, line_y: usize) -> (&'a [u8], &'a [u8]) {
        let near_y = (line_y >> 1).min(self.valid_h.saturating_sub(1));
        let line = |y: usize| self.samples.get(y * self.stride..(y + 1) * self.stride).unwrap_or(&[]);
        let near = line(near_y);
        let far = if line_y & 1 == 0 {
            if near_y > 0 {
                line(near_y - 1)
            } else {
                self.above.unwrap_or(near)
            }
        } else if near_y + 1 < self.valid_h {
            line(near_y + 1)
        } else {
            // The bottom of the image repeats its last line.
            self.below.unwrap_or(near)
        };
        (near, far)
    }
}

#[inline(always)]
fn at(line: &[u8], i: usize) -> u32 {
    u32::from(line.get(i).copied().unwrap_or(0))
}

/// Fills `out` with the component's values for output line `line_y` (local
/// to the MCU row) at plane-local output columns `x_start..x_start + out.len()`.
///
/// With [`Upsampling::Smooth`], factor-2 upsampling uses the triangle filter
/// (each output sample is ¾ of the nearest sample and ¼ of the next
/// nearest), as libjpeg's default does, so results match the reference
/// decodes; other factors, and every factor with [`Upsampling::Fast`], replicate.
pub(crate) fn upsample_line(
    plane: &PlaneView<'_>,
    line_y: usize,
    x_start: usize,
    out: &mut [u8],
    upsampling: Upsampling,
) {
    let last_x = plane.valid_w.saturating_sub(1);
    let ratios = match upsampling {
        Upsampling::Smooth => (plane.ratio_x, plane.ratio_y),
        // Any pair the triangle filter does not take: the replicating branch.
        Upsampling::Fast if (plane.ratio_x, plane.ratio_y) != (1, 1) => (0, 0),
        Upsampling::Fast => (1, 1),
    };
    match ratios {
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
            let (near, far) = plane.vertical_pair(line_y);
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
        _ => {
            let (rx, ry) = (plane.ratio_x.max(1), plane.ratio_y.max(1));
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

/// The Cb and Cr sample lines a factor-2 (across) chroma row is filtered
/// from: the nearest and next nearest line of each (the same line twice
/// when the chroma is not subsampled down), valid up to index `last`.
pub(crate) struct ChromaLines<'a> {
    pub(crate) cb_near: &'a [u8],
    pub(crate) cb_far: &'a [u8],
    pub(crate) cr_near: &'a [u8],
    pub(crate) cr_far: &'a [u8],
    pub(crate) last: usize,
}

/// Cb and Cr of one chroma column, both in one word (Cb in the upper half):
/// `3·near + far` when filtering down (`V`), else the sample. The triangle
/// filter across then works on both channels with one addition (neither
/// half exceeds 4088, so no carry crosses).
#[inline(always)]
fn packed_column<const V: bool>(cb_near: u8, cb_far: u8, cr_near: u8, cr_far: u8) -> u32 {
    if V {
        ((u32::from(cb_near) * 3 + u32::from(cb_far)) << 16) | (u32::from(cr_near) * 3 + u32::from(cr_far))
    } else {
        (u32::from(cb_near) << 16) | u32::from(cr_near)
    }
}

impl ChromaLines<'_> {
    /// [`packed_column`] of column `i`, clamped to the valid samples.
    fn column<const V: bool>(&self, i: usize) -> u32 {
        let i = i.min(self.last);
        let at = |line: &[u8]| line.get(i).copied().unwrap_or(0);
        packed_column::<V>(at(self.cb_near), at(self.cb_far), at(self.cr_near), at(self.cr_far))
    }

    /// Filtered (Cb, Cr) of plane-local output column `x` (any position, edges repeat).
    fn chroma_at<const V: bool>(&self, x: usize) -> (usize, usize) {
        let i = x >> 1;
        let current = self.column::<V>(i);
        let sum = if x & 1 == 0 {
            current * 3 + self.column::<V>(i.saturating_sub(1)) + even_bias::<V>()
        } else {
            current * 3 + self.column::<V>(i + 1) + odd_bias::<V>()
        };
        unpack::<V>(sum)
    }
}

/// libjpeg's rounding of the triangle filter, for both halves of a packed sum:
/// `(3·s[i] + s[i−1] + 8) / 16` for even outputs, `(… s[i+1] + 7) / 16` for odd
/// ones when filtering both ways; `+1`, `+2` and `/4` across only.
#[inline(always)]
const fn even_bias<const V: bool>() -> u32 {
    if V {
        8 * 0x10001
    } else {
        0x10001
    }
}

#[inline(always)]
const fn odd_bias<const V: bool>() -> u32 {
    if V {
        7 * 0x10001
    } else {
        2 * 0x10001
    }
}

/// (Cb, Cr) from a packed filter sum.
#[inline(always)]
fn unpack<const V: bool>(sum: u32) -> (usize, usize) {
    let shift = if V { 4 } else { 2 };
    (((sum >> (16 + shift)) & 0xFF) as usize, (((sum & 0xFFFF) >> shift) & 0xFF) as usize)
}

/// Output formats of [`ycbcr_h2_line`].
pub(crate) const FORMAT_RGB888: u8 = 0;
pub(crate) const FORMAT_RGB565: u8 = 1;
pub(crate) const FORMAT_DITHERED: u8 = 2;

/// The [`SATURATE_PARTS`] entry of an index sum. The mask keeps the index
/// in bounds without a check (real values never wrap), and makes the upper
/// halves of the `FAST_*_TERMS` words drop out of the red and blue sums.
macro_rules! part_8 {
    ($v:expr) => {
        SATURATE_PARTS[(($v) & 4095) as usize]
    };
}

/// The [`RGB565_PARTS`] entry of an index sum (see [`part_8`]).
macro_rules! part_565 {
    ($v:expr) => {
        RGB565_PARTS[(($v) & 4095) as usize]
    };
}

/// One pixel of [`ycbcr_h2_fast_line`] from luma plus dither
/// offsets and the chroma pair's [`fast_terms`], to RGB565 (a macro: the
/// backend does not always inline).
macro_rules! fast_565 {
    ($y_rb:expr, $y_g:expr, $r:expr, $g:expr, $b:expr) => {
        part_565!(($y_rb).wrapping_add($r)) | part_565!(($y_g).wrapping_add($g)) | part_565!(($y_rb).wrapping_add($b))
    };
}

/// One pixel from Y and chroma table indices into `rgb` (3 bytes at `3k`)
/// or `rgb565[k]`, per `$format` (a macro: the backend does not always inline).
macro_rules! put_pixel {
    ($format:expr, $rgb:expr, $rgb565:expr, $k:expr, $dither:expr, $y:expr, $cb:expr, $cr:expr) => {{
        // The fast path's terms and tables: one base address for all three
        // lookups, no sign extensions (the same values, see `fast_terms`).
        let (a, b) = (FAST_CR_TERMS[$cr], FAST_CB_TERMS[$cb]);
        let (r, g, b) = (a & 0xFFFF, a.wrapping_add(b) >> 23, b & 0xFFFF);
        let y = u32::from($y);
        if $format == FORMAT_RGB888 {
            $rgb[3 * $k] = part_8!(y.wrapping_add(r));
            $rgb[3 * $k + 1] = part_8!(y.wrapping_add(g));
            $rgb[3 * $k + 2] = part_8!(y.wrapping_add(b));
        } else if $format == FORMAT_RGB565 {
            $rgb565[$k] = fast_565!(y, y, r, g, b);
        } else {
            let t = $dither as u32;
            $rgb565[$k] = fast_565!(y + (t >> 1), y + (t >> 2), r, g, b);
        }
    }};
}

/// YCbCr conversion of lines of equal resolution into `rgb` or `rgb565`
/// per `FORMAT` (`dither[k & 3]` is the threshold of output pixel `k`):
/// the pixels of [`ycbcr_to_rgb`] / [`to_rgb565`], eight at a time over
/// fixed-size arrays (no index checks).
fn ycbcr_h1_line<const FORMAT: u8>(y_line: &[u8], cb_line: &[u8], cr_line: &[u8], rgb: &mut [u8], rgb565: &mut [u16], dither: [i32; 4]) {
    let n = y_line.len().min(cb_line.len()).min(cr_line.len());
    let n = if FORMAT == FORMAT_RGB888 { n.min(rgb.len() / 3) } else { n.min(rgb565.len()) };
    let eights = n / 8 * 8;
    let mut k = 0;
    while k < eights {
        let (Some(yv), Some(cbv), Some(crv)) = (y_line.get(k..k + 8), cb_line.get(k..k + 8), cr_line.get(k..k + 8)) else { break };
        let (Ok(yv), Ok(cbv), Ok(crv)) = (<&[u8; 8]>::try_from(yv), <&[u8; 8]>::try_from(cbv), <&[u8; 8]>::try_from(crv)) else { break };
        let mut no_565 = [0u16; 0];
        if FORMAT == FORMAT_RGB888 {
            let Some(Ok(o)) = rgb.get_mut(3 * k..3 * k + 24).map(<&mut [u8; 24]>::try_from) else { break };
            for j in 0..8 {
                put_pixel!(FORMAT, o, no_565, j, 0, yv[j], usize::from(cbv[j]), usize::from(crv[j]));
            }
        } else {
            let Some(Ok(o)) = rgb565.get_mut(k..k + 8).map(<&mut [u16; 8]>::try_from) else { break };
            let [d0, d1, d2, d3] = dither;
            // Spelt out, each threshold a scalar (see `ycbcr_h2_line`).
            macro_rules! px {
                ($j:literal, $t:expr) => {
                    put_pixel!(FORMAT, rgb, o, $j, $t, yv[$j], usize::from(cbv[$j]), usize::from(crv[$j]))
                };
            }
            px!(0, d0);
            px!(1, d1);
            px!(2, d2);
            px!(3, d3);
            px!(4, d0);
            px!(5, d1);
            px!(6, d2);
            px!(7, d3);
        }
        k += 8;
    }
    while k < n {
        let (yv, cb, cr) = (y_line[k], usize::from(cb_line[k]), usize::from(cr_line[k]));
        if FORMAT == FORMAT_RGB888 {
            if 3 * k + 2 < rgb.len() {
                put_pixel!(FORMAT, rgb, rgb565, k, 0, yv, cb, cr);
            }
        } else if k < rgb565.len() {
            put_pixel!(FORMAT, rgb, rgb565, k, dither[k & 3], yv, cb, cr);
        }
        k += 1;
    }
}

/// Upsampling by 2 across (and by 2 down with `V`) fused with YCbCr
/// conversion: `n` pixels from plane-local column `x_start`, Y from
/// `y_line`, written to `rgb` or `rgb565` per `FORMAT` (`dither[k & 3]`
/// is the threshold of output pixel `k`). Gives exactly the pixels of
/// [`upsample_line`] followed by [`ycbcr_to_rgb`] / [`to_rgb565`], without
/// the intermediate lines; the interior runs eight pixels at a time over
/// fixed-size arrays (no index checks).
#[allow(clippy::too_many_arguments)]
pub(crate) fn ycbcr_h2_line<const V: bool, const FORMAT: u8>(
    y_line: &[u8],
    chroma: &ChromaLines<'_>,
    x_start: usize,
    n: usize,
    rgb: &mut [u8],
    rgb565: &mut [u16],
    dither: [i32; 4],
) {
    let n = if FORMAT == FORMAT_RGB888 { n.min(rgb.len() / 3) } else { n.min(rgb565.len()) };
    let Some(y_line) = y_line.get(x_start..x_start + n) else { return };
    let last = chroma.last;
    let (Some(cb_near), Some(cb_far), Some(cr_near), Some(cr_far)) =
        (chroma.cb_near.get(..=last), chroma.cb_far.get(..=last), chroma.cr_near.get(..=last), chroma.cr_far.get(..=last))
    else {
        return;
    };
    let slow = |k: usize, rgb: &mut [u8], rgb565: &mut [u16]| {
        let (cb, cr) = chroma.chroma_at::<V>(x_start + k);
        let yv = y_line.get(k).copied().unwrap_or(0);
        if FORMAT == FORMAT_RGB888 {
            if 3 * k + 2 < rgb.len() {
                put_pixel!(FORMAT, rgb, rgb565, k, 0, yv, cb, cr);
            }
        } else if k < rgb565.len() {
            put_pixel!(FORMAT, rgb, rgb565, k, dither[k & 3], yv, cb, cr);
        }
    };
    // Pixels `k` and `k + 1` at an even plane column: `slow` for both, its
    // three chroma columns fetched once.
    let slow_pair = |k: usize, rgb: &mut [u8], rgb565: &mut [u16]| {
        let i = (x_start + k) >> 1;
        let current = chroma.column::<V>(i) * 3;
        let (cb0, cr0) = unpack::<V>(current + chroma.column::<V>(i.saturating_sub(1)) + even_bias::<V>());
        let (cb1, cr1) = unpack::<V>(current + chroma.column::<V>(i + 1) + odd_bias::<V>());
        let (y0, y1) = (y_line.get(k).copied().unwrap_or(0), y_line.get(k + 1).copied().unwrap_or(0));
        if FORMAT == FORMAT_RGB888 {
            if 3 * k + 5 < rgb.len() {
                put_pixel!(FORMAT, rgb, rgb565, k, 0, y0, cb0, cr0);
                put_pixel!(FORMAT, rgb, rgb565, k + 1, 0, y1, cb1, cr1);
            }
        } else if k + 1 < rgb565.len() {
            put_pixel!(FORMAT, rgb, rgb565, k, dither[k & 3], y0, cb0, cr0);
            put_pixel!(FORMAT, rgb, rgb565, k + 1, dither[(k + 1) & 3], y1, cb1, cr1);
        }
    };
    let mut k = 0;
    // Up to the first even column with a column on its left.
    while k < n && ((x_start + k) & 1 == 1 || (x_start + k) < 2) {
        if (x_start + k) & 1 == 0 && k + 1 < n {
            slow_pair(k, rgb, rgb565);
            k += 2;
        } else {
            slow(k, rgb, rgb565);
            k += 1;
        }
    }
    // Pairs (2i, 2i+1) with columns i−1 and i+1 present: 2i + 2 ≤ 2·last.
    let fast_end = k + ((n - k).min((2 * last).saturating_sub(x_start + k)) & !1);
    if k < fast_end {
        let mut i = (x_start + k) >> 1;
        let mut previous = packed_column::<V>(cb_near[i - 1], cb_far[i - 1], cr_near[i - 1], cr_far[i - 1]);
        let mut current = packed_column::<V>(cb_near[i], cb_far[i], cr_near[i], cr_far[i]);
        // `k` moves by 32 or 8, so the thresholds of a group's pixels stay the same.
        let k0 = k;
        let dither: [i32; 4] = core::array::from_fn(|j| dither[(k + j) & 3]);
        let [d0, d1, d2, d3] = dither;
        // Groups of `$pixels` pixels (`$columns` chroma columns), written out
        // once here and expanded for each group size below.
        macro_rules! fused_groups {
            ($pixels:literal, $columns:literal) => {
                while k + $pixels <= fast_end {
                    let (Some(yv), Some(cbn), Some(cbf), Some(crn), Some(crf)) = (
                        y_line.get(k..k + $pixels),
                        cb_near.get(i + 1..i + 1 + $columns),
                        cb_far.get(i + 1..i + 1 + $columns),
                        cr_near.get(i + 1..i + 1 + $columns),
                        cr_far.get(i + 1..i + 1 + $columns),
                    ) else {
                        break;
                    };
                    let (Ok(yv), Ok(cbn), Ok(cbf), Ok(crn), Ok(crf)) = (
                        <&[u8; $pixels]>::try_from(yv),
                        <&[u8; $columns]>::try_from(cbn),
                        <&[u8; $columns]>::try_from(cbf),
                        <&[u8; $columns]>::try_from(crn),
                        <&[u8; $columns]>::try_from(crf),
                    ) else {
                        break;
                    };
                    let mut no_rgb = [0u8; 0];
                    let mut no_565 = [0u16; 0];
                    let (o888, o565): (&mut [u8], &mut [u16]) = if FORMAT == FORMAT_RGB888 {
                        match rgb.get_mut(3 * k..3 * k + 3 * $pixels) {
                            Some(o) => (o, &mut no_565),
                            None => break,
                        }
                    } else {
                        match rgb565.get_mut(k..k + $pixels) {
                            Some(o) => (&mut no_rgb, o),
                            None => break,
                        }
                    };
                    if FORMAT == FORMAT_RGB888 {
                        let Ok(o) = <&mut [u8; 3 * $pixels]>::try_from(o888) else { break };
                        for j in 0..$columns {
                            let next = packed_column::<V>(cbn[j], cbf[j], crn[j], crf[j]);
                            let three = current * 3;
                            let (cb, cr) = unpack::<V>(three + previous + even_bias::<V>());
                            put_pixel!(FORMAT, o, o565, 2 * j, 0, yv[2 * j], cb, cr);
                            let (cb, cr) = unpack::<V>(three + next + odd_bias::<V>());
                            put_pixel!(FORMAT, o, o565, 2 * j + 1, 0, yv[2 * j + 1], cb, cr);
                            previous = current;
                            current = next;
                        }
                    } else {
                        let Ok(o) = <&mut [u16; $pixels]>::try_from(o565) else { break };
                        // Column `j`'s two pixels with thresholds `$ta`, `$tb`.
                        macro_rules! column_565 {
                            ($j:expr, $ta:expr, $tb:expr) => {
                                let j = $j;
                                let next = packed_column::<V>(cbn[j], cbf[j], crn[j], crf[j]);
                                let three = current * 3;
                                let (cb, cr) = unpack::<V>(three + previous + even_bias::<V>());
                                put_pixel!(FORMAT, o888, o, 2 * j, $ta, yv[2 * j], cb, cr);
                                let (cb, cr) = unpack::<V>(three + next + odd_bias::<V>());
                                put_pixel!(FORMAT, o888, o, 2 * j + 1, $tb, yv[2 * j + 1], cb, cr);
                                previous = current;
                                current = next;
                            };
                        }
                        // Two columns a step, so each pixel's threshold is a
                        // scalar (an index computed from `j` costs several
                        // instructions: the backend keeps `j` as a counter).
                        for pair in 0..$columns / 2 {
                            column_565!(2 * pair, d0, d1);
                            column_565!(2 * pair + 1, d2, d3);
                        }
                    }
                    k += $pixels;
                    i += $columns;
                }
            };
        }
        // 32 pixels (16 chroma columns) at a time: the backend's code for
        // this loop gets better the more it unrolls (8: 82 instructions a
        // pixel, 32: about 69).
        fused_groups!(32, 16);
        // Then eight at a time.
        fused_groups!(8, 4);
        // Then pair by pair (the general path below costs several times more a pixel).
        while k + 2 <= fast_end {
            let (Some(&y0), Some(&y1), Some(&cbn), Some(&cbf), Some(&crn), Some(&crf)) =
                (y_line.get(k), y_line.get(k + 1), cb_near.get(i + 1), cb_far.get(i + 1), cr_near.get(i + 1), cr_far.get(i + 1))
            else {
                break;
            };
            let next = packed_column::<V>(cbn, cbf, crn, crf);
            let three = current * 3;
            let (cb0, cr0) = unpack::<V>(three + previous + even_bias::<V>());
            let (cb1, cr1) = unpack::<V>(three + next + odd_bias::<V>());
            if FORMAT == FORMAT_RGB888 {
                if 3 * k + 5 >= rgb.len() {
                    break;
                }
                put_pixel!(FORMAT, rgb, rgb565, k, 0, y0, cb0, cr0);
                put_pixel!(FORMAT, rgb, rgb565, k + 1, 0, y1, cb1, cr1);
            } else {
                if k + 1 >= rgb565.len() {
                    break;
                }
                put_pixel!(FORMAT, rgb, rgb565, k, dither[(k - k0) & 3], y0, cb0, cr0);
                put_pixel!(FORMAT, rgb, rgb565, k + 1, dither[(k + 1 - k0) & 3], y1, cb1, cr1);
            }
            previous = current;
            current = next;
            k += 2;
            i += 1;
        }
    }
    // The rest (edges and short tails).
    while k < n {
        if (x_start + k) & 1 == 0 && k + 1 < n {
            slow_pair(k, rgb, rgb565);
            k += 2;
        } else {
            slow(k, rgb, rgb565);
            k += 1;
        }
    }
}

/// Where value 0 of each channel sits in [`SATURATE_PARTS`] and
/// [`RGB565_PARTS`]: green in the first 1024 entries, red in the second,
/// blue in the third. Green's zero is lower so that its offset fits the
/// 16 bits it has in [`FAST_CR_TERMS`] (green spans −135..391 with dither,
/// red and blue −227..489).
const GREEN_ZERO: u32 = 256;
const RED_ZERO: u32 = 1024 + TABLE_ZERO as u32;
const BLUE_ZERO: u32 = 2048 + TABLE_ZERO as u32;

/// The colour terms of one chroma pair as offsets into the `*_PARTS` tables:
/// pixel `y`'s red is [`part_565`]`!(y + r)` (or [`part_8`]), green
/// `… (y + g)`, blue `… (y + b)`. See [`FAST_CR_TERMS`] for the packing.
#[inline(always)]
fn fast_terms(cb: u8, cr: u8) -> (u32, u32, u32) {
    let (a, b) = (FAST_CR_TERMS[usize::from(cr)], FAST_CB_TERMS[usize::from(cb)]);
    (a & 0xFFFF, a.wrapping_add(b) >> 23, b & 0xFFFF)
}

/// Chroma replicated by 2 across ([`Upsampling::Fast`]; the line already
/// chosen for vertical factor 2) fused with YCbCr conversion: `n` pixels
/// from plane-local column `x_start`, Y from `y_line`, chroma columns
/// `cb_line`, `cr_line` (the valid ones: the last repeats), into `rgb` or
/// `rgb565` per `FORMAT` (`dither[k & 3]` is the threshold of output pixel
/// `k`). Gives the pixels of [`ycbcr_to_rgb`] / [`to_rgb565`] of each
/// pixel's luma and its chroma sample. Each chroma pair's terms are looked
/// up once and serve both pixels of its column.
#[allow(clippy::too_many_arguments)]
pub(crate) fn ycbcr_h2_fast_line<const FORMAT: u8>(
    y_line: &[u8],
    cb_line: &[u8],
    cr_line: &[u8],
    x_start: usize,
    n: usize,
    rgb: &mut [u8],
    rgb565: &mut [u16],
    dither: [i32; 4],
) {
    let n = if FORMAT == FORMAT_RGB888 {
        n.min(rgb.len() / 3)
    } else {
        n.min(rgb565.len())
    };
    let Some(y_line) = y_line.get(x_start..x_start + n) else {
        return;
    };
    let columns = cb_line.len().min(cr_line.len());
    if columns == 0 {
        return;
    }
    let last = columns - 1;
    // One pixel anywhere (edges): its column clamped to the valid ones.
    let single = |k: usize, rgb: &mut [u8], rgb565: &mut [u16]| {
        let i = ((x_start + k) >> 1).min(last);
        let (r, g, b) = fast_terms(cb_line[i], cr_line[i]);
        let y = u32::from(y_line.get(k).copied().unwrap_or(0));
        if FORMAT == FORMAT_RGB888 {
            if let Some(px) = rgb.get_mut(3 * k..3 * k + 3) {
                px[0] = part_8!(y.wrapping_add(r));
                px[1] = part_8!(y.wrapping_add(g));
                px[2] = part_8!(y.wrapping_add(b));
            }
        } else if let Some(o) = rgb565.get_mut(k) {
            let t = if FORMAT == FORMAT_DITHERED {
                dither[k & 3] as u32
            } else {
                0
            };
            *o = fast_565!(y + (t >> 1), y + (t >> 2), r, g, b);
        }
    };
    let mut k = 0;
    if x_start & 1 == 1 && n > 0 {
        single(0, rgb, rgb565);
        k = 1;
    }
    // Whole pairs (2i, 2i + 1) with column i valid.
    let mut i = (x_start + k) >> 1;
    let pairs = ((n - k) / 2).min(columns.saturating_sub(i));
    let fast_end = k + 2 * pairs;
    // Dither offsets of pixels `k + j` for the lanes j = 0..4 (red and blue,
    // green) as scalars: groups move by 8 or 4 pixels, so lanes stay put.
    let t = |j: usize| {
        if FORMAT == FORMAT_DITHERED {
            dither[(k + j) & 3] as u32
        } else {
            0
        }
    };
    let (t5, t6) = (|j: usize| t(j) >> 1, |j: usize| t(j) >> 2);
    let (t5_0, t6_0, t5_1, t6_1) = (t5(0), t6(0), t5(1), t6(1));
    let (t5_2, t6_2, t5_3, t6_3) = (t5(2), t6(2), t5(3), t6(3));
    // Chroma column `$j` of a group: its terms once, then its two pixels
    // (lanes `$t5a`/`$t6a` and `$t5b`/`$t6b`). Literal indices only: the
    // backend does not unroll loops over arrays, and a computed index costs
    // several instructions.
    macro_rules! column_888 {
        ($yv:ident, $cbv:ident, $crv:ident, $o:ident, $j:literal, $t5a:ident, $t6a:ident, $t5b:ident, $t6b:ident) => {{
            let (r, g, b) = fast_terms($cbv[$j], $crv[$j]);
            let (y0, y1) = (u32::from($yv[2 * $j]), u32::from($yv[2 * $j + 1]));
            $o[6 * $j] = part_8!(y0.wrapping_add(r));
            $o[6 * $j + 1] = part_8!(y0.wrapping_add(g));
            $o[6 * $j + 2] = part_8!(y0.wrapping_add(b));
            $o[6 * $j + 3] = part_8!(y1.wrapping_add(r));
            $o[6 * $j + 4] = part_8!(y1.wrapping_add(g));
            $o[6 * $j + 5] = part_8!(y1.wrapping_add(b));
        }};
    }
    macro_rules! column_565 {
        ($yv:ident, $cbv:ident, $crv:ident, $o:ident, $j:literal, $t5a:ident, $t6a:ident, $t5b:ident, $t6b:ident) => {{
            let (r, g, b) = fast_terms($cbv[$j], $crv[$j]);
            let (y0, y1) = (u32::from($yv[2 * $j]), u32::from($yv[2 * $j + 1]));
            $o[2 * $j] = fast_565!(y0 + $t5a, y0 + $t6a, r, g, b);
            $o[2 * $j + 1] = fast_565!(y1 + $t5b, y1 + $t6b, r, g, b);
        }};
    }
    // Groups of `$pixels` pixels: the slices as fixed-size arrays (no index
    // checks), then the columns `$index` (chroma samples) of each.
    macro_rules! groups {
        ($pixels:literal; $($index:literal)*) => {
            while k + $pixels <= fast_end {
                let (Some(yv), Some(cbv), Some(crv)) = (
                    y_line.get(k..k + $pixels),
                    cb_line.get(i..i + $pixels / 2),
                    cr_line.get(i..i + $pixels / 2),
                ) else {
                    break;
                };
                let (Ok(yv), Ok(cbv), Ok(crv)) = (
                    <&[u8; $pixels]>::try_from(yv),
                    <&[u8; $pixels / 2]>::try_from(cbv),
                    <&[u8; $pixels / 2]>::try_from(crv),
                ) else {
                    break;
                };
                if FORMAT == FORMAT_RGB888 {
                    let Some(Ok(o)) = rgb
                        .get_mut(3 * k..3 * k + 3 * $pixels)
                        .map(<&mut [u8; 3 * $pixels]>::try_from)
                    else {
                        break;
                    };
                    columns!(column_888, yv, cbv, crv, o; $($index)*);
                } else {
                    let Some(Ok(o)) = rgb565
                        .get_mut(k..k + $pixels)
                        .map(<&mut [u16; $pixels]>::try_from)
                    else {
                        break;
                    };
                    columns!(column_565, yv, cbv, crv, o; $($index)*);
                }
                k += $pixels;
                i += $pixels / 2;
            }
        };
    }
    // A group's columns, by pairs of chroma samples: the even one with the
    // first lanes' thresholds, the odd one with the second's.
    macro_rules! columns {
        ($column:ident, $yv:ident, $cbv:ident, $crv:ident, $o:ident; $($even:literal $odd:literal)*) => {
            $(
                $column!($yv, $cbv, $crv, $o, $even, t5_0, t6_0, t5_1, t6_1);
                $column!($yv, $cbv, $crv, $o, $odd, t5_2, t6_2, t5_3, t6_3);
            )*
        };
    }
    // 32 pixels a group, then 16 and 8 (measured a pixel, dithered: groups
    // of 8 38.0 instructions, 16 36.2, 32 34.6: the group's checks spread
    // over more pixels; registers spill about the same).
    groups!(32; 0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15);
    groups!(16; 0 1 2 3 4 5 6 7);
    groups!(8; 0 1 2 3);
    // At most one group of four is left (lanes still in place).
    groups!(4; 0 1);
    // Pixel by pixel: at most one pair, the edges and odd ends.
    while k < n {
        single(k, rgb, rgb565);
        k += 1;
    }
}

/// Converts one line straight from the planes when the picture is YCbCr
/// with full-resolution Y and chroma halved across (4:2:0, 4:2:2): see
/// [`ycbcr_h2_line`]. False (nothing written) for other layouts.
#[allow(clippy::too_many_arguments)]
pub(crate) fn ycbcr_fused_line(
    views: &[(PlaneView<'_>, usize)],
    x_start: usize,
    n: usize,
    rgb: &mut [u8],
    rgb565: &mut [u16],
    format: u8,
    dither: [i32; 4],
    upsampling: Upsampling,
) -> bool {
    let [(luma, luma_y), (cb, cb_y), (cr, cr_y), ..] = views else { return false };
    if [(luma.ratio_x, luma.ratio_y), (cb.ratio_x, cb.ratio_y), (cr.ratio_x, cr.ratio_y)] == [(1, 1); 3] {
        // No upsampling (4:4:4, or 4:2:0 at 1/2 and 1/4 where chroma gets
        // the larger transform): the lines as `upsample_line` copies them.
        let range = x_start..x_start + n;
        let (Some(y_line), Some(cb_line), Some(cr_line)) =
            (luma.line(*luma_y).get(range.clone()), cb.line(*cb_y).get(range.clone()), cr.line(*cr_y).get(range))
        else {
            return false;
        };
        match format {
            FORMAT_RGB888 => ycbcr_h1_line::<FORMAT_RGB888>(y_line, cb_line, cr_line, rgb, rgb565, dither),
            FORMAT_RGB565 => ycbcr_h1_line::<FORMAT_RGB565>(y_line, cb_line, cr_line, rgb, rgb565, dither),
            _ => ycbcr_h1_line::<FORMAT_DITHERED>(y_line, cb_line, cr_line, rgb, rgb565, dither),
        }
        return true;
    }
    if (luma.ratio_x, luma.ratio_y) != (1, 1)
        || cb.ratio_x != 2
        || (cb.ratio_x, cb.ratio_y, cb.valid_w, cb_y) != (cr.ratio_x, cr.ratio_y, cr.valid_w, cr_y)
        || cb.ratio_y > 2
        || x_start + n > luma.valid_w
    {
        return false;
    }
    let y_line = luma.line(*luma_y);
    let last = cb.valid_w.saturating_sub(1);
    if upsampling == Upsampling::Fast {
        // The chroma line covering this output line, as far as it is valid.
        let (Some(cb_line), Some(cr_line)) = (
            cb.line(*cb_y / cb.ratio_y).get(..=last),
            cr.line(*cr_y / cr.ratio_y).get(..=last),
        ) else {
            return false;
        };
        match format {
            FORMAT_RGB888 => ycbcr_h2_fast_line::<FORMAT_RGB888>(
                y_line, cb_line, cr_line, x_start, n, rgb, rgb565, dither,
            ),
            FORMAT_RGB565 => ycbcr_h2_fast_line::<FORMAT_RGB565>(
                y_line, cb_line, cr_line, x_start, n, rgb, rgb565, dither,
            ),
            _ => ycbcr_h2_fast_line::<FORMAT_DITHERED>(
                y_line, cb_line, cr_line, x_start, n, rgb, rgb565, dither,
            ),
        }
        return true;
    }
    if cb.ratio_y == 2 {
        let ((cb_near, cb_far), (cr_near, cr_far)) = (cb.vertical_pair(*cb_y), cr.vertical_pair(*cr_y));
        let chroma = ChromaLines { cb_near, cb_far, cr_near, cr_far, last };
        match format {
            FORMAT_RGB888 => ycbcr_h2_line::<true, FORMAT_RGB888>(y_line, &chroma, x_start, n, rgb, rgb565, dither),
            FORMAT_RGB565 => ycbcr_h2_line::<true, FORMAT_RGB565>(y_line, &chroma, x_start, n, rgb, rgb565, dither),
            _ => ycbcr_h2_line::<true, FORMAT_DITHERED>(y_line, &chroma, x_start, n, rgb, rgb565, dither),
        }
    } else {
        let (cb_line, cr_line) = (cb.line(*cb_y), cr.line(*cr_y));
        let chroma = ChromaLines { cb_near: cb_line, cb_far: cb_line, cr_near: cr_line, cr_far: cr_line, last };
        match format {
            FORMAT_RGB888 => ycbcr_h2_line::<false, FORMAT_RGB888>(y_line, &chroma, x_start, n, rgb, rgb565, dither),
            FORMAT_RGB565 => ycbcr_h2_line::<false, FORMAT_RGB565>(y_line, &chroma, x_start, n, rgb, rgb565, dither),
            _ => ycbcr_h2_line::<false, FORMAT_DITHERED>(y_line, &chroma, x_start, n, rgb, rgb565, dither),
        }
    }
    true
}

/// Colour-conversion terms of one chroma value `c`, two to a word so one
/// lookup per chroma channel serves all three colours: the upper half holds
/// `round(k_hi·(c−128))` (red from Cr, blue from Cb), the lower half
/// `k_lo·(c−128)` with 7 fraction bits for green (both channels' lower
/// halves add up within 16 bits, signed). Built at compile time, `static`
/// so lookups read ROM (see [`crate::ZIGZAG`] on `const` arrays).
const fn chroma_terms(k_hi: i32, k_lo: i32, rounding_lo: i32) -> [i32; 256] {
    let mut table = [0; 256];
    let mut i = 0;
    while i < 256 {
        let c = i as i32 - 128;
        let hi = (k_hi * c + 32768) >> 16;
        // k_lo has 16 fraction bits: 7 are kept, rounded to nearest.
        let lo = ((k_lo * c + 256) >> 9) + rounding_lo;
        table[i] = (hi << 16) | (lo & 0xFFFF);
        i += 1;
    }
    table
}

/// Cr's terms for [`fast_terms`]: the red offset into [`RGB565_PARTS`]
/// below (never negative), the green term (7 fraction bits, with the sum's
/// rounding and `GREEN_ZERO · 128`) above; [`FAST_CB_TERMS`] holds the
/// blue offset below and its green term above (signed), so the sum of both
/// words holds green's offset in bits 23 and up (the lower halves never
/// carry), rounded exactly as [`CR_TERMS`] + [`CB_TERMS`] round it.
static FAST_CR_TERMS: [u32; 256] = fast_chroma_terms(&CR_TERMS_CONST, RED_ZERO, GREEN_ZERO << 7);
/// Cb's terms for [`fast_terms`] (see [`FAST_CR_TERMS`]).
static FAST_CB_TERMS: [u32; 256] = fast_chroma_terms(&CB_TERMS_CONST, BLUE_ZERO, 0);

const fn fast_chroma_terms(terms: &[i32; 256], zero: u32, green_offset: u32) -> [u32; 256] {
    let mut table = [0; 256];
    let mut i = 0;
    while i < 256 {
        let low = ((terms[i] >> 16) + zero as i32) as u32;
        let green = ((terms[i] as i16) as i32 + green_offset as i32) as u32;
        table[i] = (green << 16) | low;
        i += 1;
    }
    table
}

const CR_TERMS_CONST: [i32; 256] = chroma_terms(91881, -46802, 64);
const CB_TERMS_CONST: [i32; 256] = chroma_terms(116130, -22554, 0);

/// Cr: red term above, green term (with the rounding of the sum) below.
static CR_TERMS: [i32; 256] = CR_TERMS_CONST;
/// Cb: blue term above, green term below.
static CB_TERMS: [i32; 256] = CB_TERMS_CONST;

/// Y, Cb, Cr (JFIF, full range) to unclamped R, G, B:
/// `y + 1.402(cr−128)`, `y − 0.344(cb−128) − 0.714(cr−128)`, `y + 1.772(cb−128)`,
/// from the two term tables (7 fraction bits for green).
#[inline(always)]
pub(crate) fn ycbcr_to_rgb_wide(y: u8, cb: u8, cr: u8) -> [i32; 3] {
    let (y, a, b) = (i32::from(y), CR_TERMS[usize::from(cr)], CB_TERMS[usize::from(cb)]);
    [y + (a >> 16), y + (i32::from(a.wrapping_add(b) as i16) >> 7), y + (b >> 16)]
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
/// Green, red and blue parts (zeros at `GREEN_ZERO`, `RED_ZERO` and
/// `BLUE_ZERO`) of a saturating table, laid out for [`fast_terms`]: one base
/// address and one mask for all three lookups. The last quarter is unused
/// (it makes the mask a power of two). Each entry is the clamped 0..=255
/// value `>> shift[c] << position[c]` for channel c (red, green, blue).
const fn parts_table(shift: [u32; 3], position: [u32; 3]) -> [u16; 4096] {
    let mut table = [0; 4096];
    let mut i = 0;
    while i < 1024 {
        let (g, r, b) = (
            clamped(i as i32 - GREEN_ZERO as i32),
            clamped((1024 + i) as i32 - RED_ZERO as i32),
            clamped((2048 + i) as i32 - BLUE_ZERO as i32),
        );
        table[i] = (g >> shift[1]) << position[1];
        table[1024 + i] = (r >> shift[0]) << position[0];
        table[2048 + i] = (b >> shift[2]) << position[2];
        i += 1;
    }
    table
}

const fn clamped(v: i32) -> u16 {
    if v < 0 {
        0
    } else if v > 255 {
        255
    } else {
        v as u16
    }
}

/// Clamped bytes in [`parts_table`]'s layout.
static SATURATE_PARTS: [u8; 4096] = {
    let wide = parts_table([0; 3], [0; 3]);
    let mut table = [0; 4096];
    let mut i = 0;
    while i < 4096 {
        table[i] = wide[i] as u8;
        i += 1;
    }
    table
};
/// Clamped RGB565 fields in [`parts_table`]'s layout.
static RGB565_PARTS: [u16; 4096] = parts_table([3, 2, 3], [11, 5, 0]);
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
    extern crate std;
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

    /// The fused path gives exactly the pixels of upsampling then converting,
    /// for every start column, length, edge and format.
    #[test]
    fn fused_upsampling_and_conversion_match_the_two_steps() {
        let mut seed = 0x1234_5678u32;
        let mut random = || {
            seed ^= seed << 13;
            seed ^= seed >> 17;
            seed ^= seed << 5;
            seed
        };
        for round in 0..300 {
            let chroma_w = 1 + (random() % 40) as usize;
            let valid_w = if round % 3 == 0 { chroma_w } else { 1 + (random() as usize % chroma_w) };
            let luma_w = 2 * chroma_w;
            let lines: [[u8; 80]; 6] = core::array::from_fn(|_| core::array::from_fn(|_| random() as u8));
            let x_start = random() as usize % luma_w;
            let n = 1 + random() as usize % (luma_w - x_start);
            let dither: [i32; 4] = core::array::from_fn(|_| (random() % 16) as i32);
            for ratio_y in [1usize, 2] {
                // Chroma plane of two lines (line 1 is the far line of output line 1... via `below`).
                let mut cb_plane = [0u8; 160];
                let mut cr_plane = [0u8; 160];
                cb_plane[..80].copy_from_slice(&lines[1]);
                cb_plane[80..].copy_from_slice(&lines[2]);
                cr_plane[..80].copy_from_slice(&lines[3]);
                cr_plane[80..].copy_from_slice(&lines[4]);
                let view = |samples: &'static [u8], above: &'static [u8], rx: usize, ry: usize, w: usize| PlaneView {
                    samples,
                    stride: 80,
                    valid_w: w,
                    valid_h: 2,
                    above: Some(above),
                    below: None,
                    ratio_x: rx,
                    ratio_y: ry,
                };
                let leak = |v: &[u8]| -> &'static [u8] { std::boxed::Box::leak(v.to_vec().into_boxed_slice()) };
                let (cb_plane, cr_plane, luma, above) = (leak(&cb_plane), leak(&cr_plane), leak(&lines[0]), leak(&lines[5]));
                for line_y in 0..2 * ratio_y {
                    let chroma_y = line_y;
                    let views = [
                        (view(luma, above, 1, 1, luma_w), 0),
                        (view(cb_plane, above, 2, ratio_y, valid_w), chroma_y % (2 * ratio_y)),
                        (view(cr_plane, above, 2, ratio_y, valid_w), chroma_y % (2 * ratio_y)),
                    ];
                    let (mut cb, mut cr) = ([0u8; 80], [0u8; 80]);
                    upsample_line(
                        &views[1].0,
                        views[1].1,
                        x_start,
                        &mut cb[..n],
                        Upsampling::Smooth,
                    );
                    upsample_line(
                        &views[2].0,
                        views[2].1,
                        x_start,
                        &mut cr[..n],
                        Upsampling::Smooth,
                    );
                    for format in [FORMAT_RGB888, FORMAT_RGB565, FORMAT_DITHERED] {
                        let (mut rgb, mut rgb565) = ([0u8; 240], [0u16; 80]);
                        assert!(ycbcr_fused_line(
                            &views,
                            x_start,
                            n,
                            &mut rgb,
                            &mut rgb565,
                            format,
                            dither,
                            Upsampling::Smooth
                        ));
                        for k in 0..n {
                            let y = lines[0][x_start + k];
                            if format == FORMAT_RGB888 {
                                assert_eq!(rgb[3 * k..3 * k + 3], ycbcr_to_rgb(y, cb[k], cr[k]), "round {round} k {k}");
                            } else {
                                let t = if format == FORMAT_DITHERED { dither[k & 3] } else { 0 };
                                let [r, g, b] = ycbcr_to_rgb_wide(y, cb[k], cr[k]);
                                let (t5, t6) = (t >> 1, t >> 2);
                                let expected = RED_565[slot(r + t5)] | GREEN_565[slot(g + t6)] | BLUE_565[slot(b + t5)];
                                assert_eq!(rgb565[k], expected, "round {round} k {k} format {format}");
                            }
                        }
                    }
                }
            }
        }
    }

    /// A 565 pixel of `ycbcr_to_rgb_wide` with dither threshold `t`, spelt
    /// out as `to_rgb565` does it.
    fn reference_565(y: u8, cb: u8, cr: u8, t: i32) -> u16 {
        let [r, g, b] = ycbcr_to_rgb_wide(y, cb, cr);
        let (t5, t6) = (t >> 1, t >> 2);
        RED_565[slot(r + t5)] | GREEN_565[slot(g + t6)] | BLUE_565[slot(b + t5)]
    }

    /// Fast upsampling, fused or not, gives each pixel its luma and the
    /// chroma sample covering it (the nearest line down, the last valid
    /// column repeating), converted per pixel, for every start column,
    /// length, valid width and format.
    #[test]
    fn fast_upsampling_replicates_chroma() {
        let mut seed = 0x9E37_79B9u32;
        let mut random = || {
            seed ^= seed << 13;
            seed ^= seed >> 17;
            seed ^= seed << 5;
            seed
        };
        let leak =
            |v: &[u8]| -> &'static [u8] { std::boxed::Box::leak(v.to_vec().into_boxed_slice()) };
        for round in 0..400 {
            let chroma_w = 1 + (random() % 40) as usize;
            let valid_w = if round % 3 == 0 {
                chroma_w
            } else {
                1 + (random() as usize % chroma_w)
            };
            // Luma as wide as the chroma covers, or one less (odd picture widths).
            let luma_w = 2 * valid_w - (random() as usize & 1);
            let luma_w = luma_w.max(1);
            let x_start = random() as usize % luma_w;
            let n = 1 + random() as usize % (luma_w - x_start);
            let dither: [i32; 4] = core::array::from_fn(|_| (random() % 16) as i32);
            let luma: [u8; 80] = core::array::from_fn(|_| random() as u8);
            let cb_plane: [u8; 160] = core::array::from_fn(|_| random() as u8);
            let cr_plane: [u8; 160] = core::array::from_fn(|_| random() as u8);
            let (luma, cb_plane, cr_plane) = (leak(&luma), leak(&cb_plane), leak(&cr_plane));
            let view =
                |samples: &'static [u8], rx: usize, ry: usize, w: usize, h: usize| PlaneView {
                    samples,
                    stride: 80,
                    valid_w: w,
                    valid_h: h,
                    above: Some(&samples[80..]),
                    below: Some(samples),
                    ratio_x: rx,
                    ratio_y: ry,
                };
            for ratio_y in [1usize, 2] {
                for line_y in 0..2 * ratio_y {
                    // The chroma line this output line takes (one valid line repeats).
                    let valid_h = 1 + (round & 1);
                    let chroma_line = (line_y / ratio_y).min(valid_h - 1);
                    let cb_of = |k: usize| {
                        cb_plane[chroma_line * 80 + ((x_start + k) / 2).min(valid_w - 1)]
                    };
                    let cr_of = |k: usize| {
                        cr_plane[chroma_line * 80 + ((x_start + k) / 2).min(valid_w - 1)]
                    };
                    let views = [
                        (view(luma, 1, 1, luma_w, 1), 0),
                        (view(cb_plane, 2, ratio_y, valid_w, valid_h), line_y),
                        (view(cr_plane, 2, ratio_y, valid_w, valid_h), line_y),
                    ];
                    let mut cb = [0u8; 80];
                    upsample_line(&views[1].0, line_y, x_start, &mut cb[..n], Upsampling::Fast);
                    for (k, &c) in cb[..n].iter().enumerate() {
                        assert_eq!(c, cb_of(k), "round {round} upsampled k {k}");
                    }
                    for format in [FORMAT_RGB888, FORMAT_RGB565, FORMAT_DITHERED] {
                        let (mut rgb, mut rgb565) = ([0u8; 240], [0u16; 80]);
                        assert!(ycbcr_fused_line(
                            &views,
                            x_start,
                            n,
                            &mut rgb,
                            &mut rgb565,
                            format,
                            dither,
                            Upsampling::Fast
                        ));
                        for k in 0..n {
                            let (y, cb, cr) = (luma[x_start + k], cb_of(k), cr_of(k));
                            let at = || {
                                std::format!("round {round} ratio_y {ratio_y} line {line_y} x {x_start} n {n} k {k} format {format}")
                            };
                            if format == FORMAT_RGB888 {
                                assert_eq!(
                                    rgb[3 * k..3 * k + 3],
                                    ycbcr_to_rgb(y, cb, cr),
                                    "{}",
                                    at()
                                );
                            } else {
                                let t = if format == FORMAT_DITHERED {
                                    dither[k & 3]
                                } else {
                                    0
                                };
                                assert_eq!(rgb565[k], reference_565(y, cb, cr, t), "{}", at());
                            }
                        }
                        // Nothing written past the line.
                        assert!(
                            rgb[3 * n..].iter().all(|&v| v == 0)
                                && rgb565[n..].iter().all(|&v| v == 0),
                            "round {round}"
                        );
                    }
                }
            }
        }
    }

    /// Lines of equal resolution (4:4:4, and 4:2:0 at 1/2 and smaller):
    /// each pixel converted on its own, every start, length and format.
    #[test]
    fn full_resolution_lines_match_per_pixel_conversion() {
        let mut seed = 0x2545_F491u32;
        let mut random = || {
            seed ^= seed << 13;
            seed ^= seed >> 17;
            seed ^= seed << 5;
            seed
        };
        let leak = |v: &[u8]| -> &'static [u8] { std::boxed::Box::leak(v.to_vec().into_boxed_slice()) };
        for round in 0..300 {
            let planes: [&'static [u8]; 3] = core::array::from_fn(|_| leak(&core::array::from_fn::<u8, 80, _>(|_| random() as u8)));
            let w = 1 + random() as usize % 80;
            let x_start = random() as usize % w;
            let n = 1 + random() as usize % (w - x_start);
            let dither: [i32; 4] = core::array::from_fn(|_| (random() % 16) as i32);
            let view = |samples| PlaneView { samples, stride: 80, valid_w: w, valid_h: 1, above: None, below: None, ratio_x: 1, ratio_y: 1 };
            let views = [(view(planes[0]), 0), (view(planes[1]), 0), (view(planes[2]), 0)];
            for upsampling in [Upsampling::Smooth, Upsampling::Fast] {
                for format in [FORMAT_RGB888, FORMAT_RGB565, FORMAT_DITHERED] {
                    let (mut rgb, mut rgb565) = ([0u8; 240], [0u16; 80]);
                    assert!(ycbcr_fused_line(&views, x_start, n, &mut rgb, &mut rgb565, format, dither, upsampling));
                    for k in 0..n {
                        let (y, cb, cr) = (planes[0][x_start + k], planes[1][x_start + k], planes[2][x_start + k]);
                        if format == FORMAT_RGB888 {
                            assert_eq!(rgb[3 * k..3 * k + 3], ycbcr_to_rgb(y, cb, cr), "round {round} k {k}");
                        } else {
                            let t = if format == FORMAT_DITHERED { dither[k & 3] } else { 0 };
                            assert_eq!(rgb565[k], reference_565(y, cb, cr, t), "round {round} k {k} format {format}");
                        }
                    }
                }
            }
        }
    }

    /// Fast upsampling of the layouts the fused path leaves to
    /// `upsample_line` (4:1:1 across, 4:4:0 down, 4:1:0) replicates too.
    #[test]
    fn fast_upsampling_of_other_ratios_replicates() {
        let samples: &'static [u8] =
            std::boxed::Box::leak((0..=255u8).collect::<std::vec::Vec<_>>().into_boxed_slice());
        for (rx, ry) in [(4usize, 1usize), (1, 2), (4, 2), (2, 2), (2, 1)] {
            let plane = PlaneView {
                samples,
                stride: 64,
                valid_w: 10,
                valid_h: 3,
                above: None,
                below: None,
                ratio_x: rx,
                ratio_y: ry,
            };
            for line_y in 0..3 * ry {
                for x_start in 0..5 {
                    let mut out = [0u8; 50];
                    upsample_line(&plane, line_y, x_start, &mut out, Upsampling::Fast);
                    for (k, &o) in out.iter().enumerate() {
                        let expected =
                            ((line_y / ry).min(2) * 64 + ((x_start + k) / rx).min(9)) as u8;
                        assert_eq!(
                            o, expected,
                            "ratio {rx}x{ry} line {line_y} x {x_start} k {k}"
                        );
                    }
                }
            }
        }
    }

    /// The fast path's packed terms and part tables give exactly the
    /// clamped (and dithered 565) values of `ycbcr_to_rgb_wide`.
    #[test]
    fn fast_terms_match_the_conversion() {
        for cb in 0..=255u8 {
            for cr in 0..=255u8 {
                let (r, g, b) = fast_terms(cb, cr);
                for y in [0u8, 1, 60, 128, 200, 254, 255] {
                    let wide = ycbcr_to_rgb_wide(y, cb, cr);
                    let y32 = u32::from(y);
                    let part = |v: u32| part_8!(v);
                    assert_eq!(
                        [part(y32 + r), part(y32 + g), part(y32 + b)],
                        ycbcr_to_rgb(y, cb, cr),
                        "{y} {cb} {cr}"
                    );
                    for t in [0u32, 7, 15] {
                        let (t5, t6) = (t >> 1, t >> 2);
                        let [wr, wg, wb] = wide;
                        let expected = RED_565[slot(wr + t5 as i32)]
                            | GREEN_565[slot(wg + t6 as i32)]
                            | BLUE_565[slot(wb + t5 as i32)];
                        assert_eq!(
                            fast_565!(y32 + t5, y32 + t6, r, g, b),
                            expected,
                            "{y} {cb} {cr} {t}"
                        );
                    }
                }
            }
        }
    }

    #[test]
    fn tables_match_the_arithmetic() {
        for y in [0u8, 16, 128, 235, 255] {
            for cb in 0..=255u8 {
                for cr in [0u8, 60, 128, 200, 255] {
                    let (yy, cbb, crr) = ((i32::from(y) << 16) + 32768, i32::from(cb) - 128, i32::from(cr) - 128);
                    let r = ((yy + 91881 * crr) >> 16).clamp(0, 255) as u8;
                    let b = ((yy + 116130 * cbb) >> 16).clamp(0, 255) as u8;
                    // Green: each term rounded to 7 fraction bits, then the sum.
                    let g7 = ((-22554 * cbb + 256) >> 9) + ((-46802 * crr + 256) >> 9) + 64;
                    let g = (i32::from(y) + (g7 >> 7)).clamp(0, 255) as u8;
                    assert_eq!(ycbcr_to_rgb(y, cb, cr), [r, g, b]);
                    // Within half a step of the exact value.
                    let exact = f64::from(y) - 0.344136 * f64::from(cbb) - 0.714136 * f64::from(crr);
                    assert!((f64::from(g) - exact.clamp(0.0, 255.0)).abs() <= 0.52, "{y} {cb} {cr}: {g} {exact}");
                }
            }
        }
    }
}
