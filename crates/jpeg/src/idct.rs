//! Integer inverse DCTs: the 8-point Arai–Agui–Nakajima factorisation for
//! full size, and direct 4-, 2- and 1-point transforms of the lowest
//! coefficients for 1/2, 1/4 and 1/8 scale (no full transform then averaging).
//!
//! Every size shares one prescale table, folded into dequantisation:
//! `C(u)C(v)/4 · cos(uπ/16)·cos(vπ/16)`. For 8 points that is exactly AAN's
//! input scaling; for fewer points the cosine factors make the reduced
//! transform evaluate the 8-point one averaged over each 2×2, 4×4 or 8×8
//! group, so a scaled decode approximates a box-filtered full decode.

/// Fraction bits of the values entering the transforms.
pub(crate) const FRACTION_BITS: u32 = 5;
/// Prescale factors ×2^13 in natural (row-major) order.
const PRESCALE_BITS: u32 = 13;
/// Largest magnitude of a dequantised coefficient we accept; real 8-bit data
/// stays within ±1024 plus half a quantiser step. Keeps the i32 arithmetic
/// below overflow for any input.
const COEFFICIENT_LIMIT: i32 = 4095;

#[rustfmt::skip]
static PRESCALE: [i32; 64] = [
    1024, 1420, 1338, 1204, 1024,  805,  554,  283,
    1420, 1970, 1856, 1670, 1420, 1116,  769,  392,
    1338, 1856, 1748, 1573, 1338, 1051,  724,  369,
    1204, 1670, 1573, 1416, 1204,  946,  652,  332,
    1024, 1420, 1338, 1204, 1024,  805,  554,  283,
     805, 1116, 1051,  946,  805,  632,  435,  222,
     554,  769,  724,  652,  554,  435,  300,  153,
     283,  392,  369,  332,  283,  222,  153,   78,
];

/// The value a transform input gets for quantised coefficient `value` at
/// natural position `natural` with quantiser `quant`.
#[inline(always)]
pub(crate) fn dequantise(value: i32, quant: u16, natural: usize) -> i32 {
    let v = value.clamp(-32767, 32767) * i32::from(quant.min(32767));
    let v = v.clamp(-COEFFICIENT_LIMIT, COEFFICIENT_LIMIT);
    (v * PRESCALE[natural & 63]) >> (PRESCALE_BITS - FRACTION_BITS)
}

/// [`dequantise`] for an AC value from the entropy decoder, which is
/// within ±32767 already (at most 15 magnitude bits): the same result.
#[inline(always)]
pub(crate) fn dequantise_ac(value: i32, quant: u16, natural: usize) -> i32 {
    let v = (value * i32::from(quant.min(32767))).clamp(-COEFFICIENT_LIMIT, COEFFICIENT_LIMIT);
    (v * PRESCALE[natural & 63]) >> (PRESCALE_BITS - FRACTION_BITS)
}

/// Constants ×256: `cos(π/4)`, `cos(π/8)`, `cos(3π/8)`.
const COS_4: i32 = 181;
const COS_2: i32 = 237;
const COS_6: i32 = 98;
/// `cos(π/4)·cos(π/8)`: the 2-point transform also averages over 4 samples,
/// which scales the first harmonic by a further `cos(π/8)`.
const COS_4_BOX4: i32 = 167;

#[inline(always)]
fn mul(x: i32, k: i32) -> i32 {
    (x * k) >> 8
}

/// The AAN constants ×4096: `√2`, `2cos(π/8)`, `2(cos(π/8)−cos(3π/8))`, `2(cos(π/8)+cos(3π/8))`.
const SQRT2_12: i32 = 5793;
const AAN_Z5_12: i32 = 7568;
const AAN_B_12: i32 = 4433;
const AAN_C_12: i32 = 10703;

/// Multiplies by `k12` (a constant ×4096) using 8 + `EXTRA` fraction bits.
#[inline(always)]
fn mul_precise<const EXTRA: u32>(x: i32, k12: i32) -> i32 {
    let k = if EXTRA >= 4 { k12 } else { (k12 + (1 << (3 - EXTRA))) >> (4 - EXTRA) };
    (x * k) >> (8 + EXTRA)
}

/// The AAN transform; `EXTRA` adds fraction bits to the constants where
/// the values are small enough (the column pass) for better rounding.
#[inline(always)]
fn aan8<const EXTRA: u32>(d: [i32; 8]) -> [i32; 8] {
    let mul = mul_precise::<EXTRA>;
    // Even part: a 4-point transform of d0, d2, d4, d6.
    let s04 = d[0] + d[4];
    let d04 = d[0] - d[4];
    let s26 = d[2] + d[6];
    let d26 = mul(d[2] - d[6], SQRT2_12) - s26;
    let e0 = s04 + s26;
    let e3 = s04 - s26;
    let e1 = d04 + d26;
    let e2 = d04 - d26;
    // Odd part.
    let z13 = d[5] + d[3];
    let z10 = d[5] - d[3];
    let z11 = d[1] + d[7];
    let z12 = d[1] - d[7];
    let o7 = z11 + z13;
    let r = mul(z11 - z13, SQRT2_12);
    let z5 = mul(z10 + z12, AAN_Z5_12);
    let p = mul(z12, AAN_B_12) - z5;
    let q = z5 - mul(z10, AAN_C_12);
    let o6 = q - o7;
    let o5 = r - o6;
    let o4 = p + o5;
    [e0 + o7, e1 + o6, e2 + o5, e3 - o4, e3 + o4, e2 - o5, e1 - o6, e0 - o7]
}

#[inline(always)]
fn idct4(d0: i32, d1: i32, d2: i32, d3: i32) -> [i32; 4] {
    let e0 = d0 + mul(d2, COS_4);
    let e1 = d0 - mul(d2, COS_4);
    let o0 = mul(d1, COS_2) + mul(d3, COS_6);
    let o1 = mul(d1, COS_6) - mul(d3, COS_2);
    [e0 + o0, e1 + o1, e1 - o1, e0 - o0]
}

/// The pixel of a block transformed to 1×1 (its DC), as [`inverse_dct`]
/// gives it: the reference `dc_sample`'s test checks the fast DC paths
/// against.
#[cfg(test)]
pub(crate) fn dc_pixel(dc: i32) -> u8 {
    to_pixel(dc)
}

#[inline(always)]
fn to_pixel(v: i32) -> u8 {
    let v = (v + (128 << FRACTION_BITS) + (1 << (FRACTION_BITS - 1))) >> FRACTION_BITS;
    v.clamp(0, 255) as u8
}

/// One-dimensional transform of the first `n` coefficients into `n` values.
#[inline(always)]
fn transform<const EXTRA: u32>(d: [i32; 8], n: usize) -> [i32; 8] {
    match n {
        8 => aan8::<EXTRA>(d),
        4 => {
            let t = idct4(d[0], d[1], d[2], d[3]);
            [t[0], t[1], t[2], t[3], 0, 0, 0, 0]
        }
        2 => [d[0] + mul(d[1], COS_4_BOX4), d[0] - mul(d[1], COS_4_BOX4), 0, 0, 0, 0, 0, 0],
        _ => [d[0], 0, 0, 0, 0, 0, 0, 0],
    }
}

/// Transforms the top-left `height`×`width` coefficients of `block`
/// (natural order, prescaled by [`dequantise`]; `width`, `height` ∈ {1, 2, 4, 8})
/// into `width`×`height` pixels at `out[row * stride + column]`. `dc_only`
/// says every other coefficient is 0. Rows that do not fit in `out` are
/// left out rather than panicking.
pub(crate) fn inverse_dct(block: &mut [i32; 64], width: usize, height: usize, dc_only: bool, out: &mut [u8], stride: usize) {
    let (width, height) = (width.clamp(1, 8), height.clamp(1, 8));
    if dc_only || (width == 1 && height == 1) {
        let p = to_pixel(block[0]);
        for r in 0..height {
            if let Some(row) = out.get_mut(r * stride..r * stride + width) {
                row.fill(p);
            }
        }
        return;
    }
    // Columns: vertical frequencies to `height` rows, for the `width` lowest horizontal frequencies.
    for c in 0..width {
        let mut column = [0i32; 8];
        for (k, v) in column.iter_mut().enumerate().take(height) {
            *v = block[k * 8 + c];
        }
        if column[1..height].iter().all(|&v| v == 0) {
            for r in 0..height {
                block[r * 8 + c] = column[0];
            }
            continue;
        }
        let t = transform::<4>(column, height);
        for (r, &v) in t.iter().enumerate().take(height) {
            block[r * 8 + c] = v;
        }
    }
    for r in 0..height {
        let mut d = [0i32; 8];
        d[..width].copy_from_slice(&block[r * 8..r * 8 + width]);
        let t = transform::<0>(d, width);
        if let Some(row) = out.get_mut(r * stride..r * stride + width) {
            for (o, &v) in row.iter_mut().zip(t.iter()) {
                *o = to_pixel(v);
            }
        }
    }
}

/// [`inverse_dct`] at 2×2 (1/4 scale, or subsampled chroma at 1/8),
/// spelt out: the same pixels, and the four coefficients cleared.
pub(crate) fn inverse_dct_2x2(block: &mut [i32; 64], out: &mut [u8], stride: usize) {
    let rows = out.split_at_mut_checked(stride).and_then(|(top, bottom)| Some((top.first_chunk_mut::<2>()?, bottom.first_chunk_mut::<2>()?)));
    let Some((top_row, bottom_row)) = rows else {
        inverse_dct(block, 2, 2, false, out, stride);
        block[..10].fill(0);
        return;
    };
    let (b0, b1, b8, b9) = (block[0] + DC_BIAS, block[1], block[8], block[9]);
    block[0] = 0;
    block[1] = 0;
    block[8] = 0;
    block[9] = 0;
    // Columns, then rows, as `transform` does for two points.
    let (m8, m9) = (mul(b8, COS_4_BOX4), mul(b9, COS_4_BOX4));
    let (top0, bottom0, top1, bottom1) = (b0 + m8, b0 - m8, b1 + m9, b1 - m9);
    let (top, bottom) = (mul(top1, COS_4_BOX4), mul(bottom1, COS_4_BOX4));
    let p = [top0 + top, top0 - top, bottom0 + bottom, bottom0 - bottom];
    if ((p[0] | p[1] | p[2] | p[3]) as u32) < 256 << FRACTION_BITS {
        *top_row = [(p[0] >> FRACTION_BITS) as u8, (p[1] >> FRACTION_BITS) as u8];
        *bottom_row = [(p[2] >> FRACTION_BITS) as u8, (p[3] >> FRACTION_BITS) as u8];
    } else {
        *top_row = [to_pixel_biased(p[0]), to_pixel_biased(p[1])];
        *bottom_row = [to_pixel_biased(p[2]), to_pixel_biased(p[3])];
    }
}

/// [`inverse_dct`] at 4×4 (1/2 scale, subsampled chroma at 1/4), spelt
/// out: the same pixels, and the sixteen coefficients cleared. Works in
/// place like [`inverse_dct_8x8`]; a column or row whose values after the
/// first are zero is flat (the transform would give the same).
pub(crate) fn inverse_dct_4x4(block: &mut [i32; 64], out: &mut [u8], stride: usize) {
    let fits = stride.checked_mul(3).and_then(|n| n.checked_add(4)).is_some_and(|n| n <= out.len());
    if !fits {
        inverse_dct(block, 4, 4, false, out, stride);
        block[..28].fill(0);
        return;
    }
    block[0] += DC_BIAS;
    // Columns (vertical frequencies to rows), in place.
    for c in 0..4 {
        let Some(b) = block.get_mut(c..c + 25) else { return };
        let (d0, d1, d2, d3) = (b[0], b[8], b[16], b[24]);
        if d1 | d2 | d3 == 0 {
            b[8] = d0;
            b[16] = d0;
            b[24] = d0;
            continue;
        }
        let t = idct4(d0, d1, d2, d3);
        b[0] = t[0];
        b[8] = t[1];
        b[16] = t[2];
        b[24] = t[3];
    }
    let mut rest: &mut [u8] = out;
    for r in 0..4 {
        let (d, _) = block.as_chunks_mut::<8>();
        let d = &mut d[r & 7];
        let (d0, d1, d2, d3) = (d[0], d[1], d[2], d[3]);
        d[0] = 0;
        d[1] = 0;
        d[2] = 0;
        d[3] = 0;
        let Some(row) = rest.first_chunk_mut::<4>() else { return };
        if d1 | d2 | d3 == 0 {
            let p = to_pixel_biased(d0);
            *row = [p, p, p, p]; // (not `[p; 4]`: the backend calls `memset` for that)
        } else {
            let t = idct4(d0, d1, d2, d3);
            if ((t[0] | t[1] | t[2] | t[3]) as u32) < 256 << FRACTION_BITS {
                row[0] = (t[0] >> FRACTION_BITS) as u8;
                row[1] = (t[1] >> FRACTION_BITS) as u8;
                row[2] = (t[2] >> FRACTION_BITS) as u8;
                row[3] = (t[3] >> FRACTION_BITS) as u8;
            } else {
                *row = t.map(to_pixel_biased);
            }
        }
        match core::mem::take(&mut rest).get_mut(stride..) {
            Some(tail) => rest = tail,
            None => return,
        }
    }
}

/// [`aan8`] as a macro over eight values, giving the even and odd halves
/// `(e0, e1, e2, e3, o7, o6, o5, o4)` whose sums and differences are the
/// outputs (`e0 + o7`, `e1 + o6`, `e2 + o5`, `e3 - o4`, `e3 + o4`,
/// `e2 - o5`, `e1 - o6`, `e0 - o7`): the caller forms and stores them in
/// pairs, so fewer values are live at once. A macro: the GCC backend does
/// not inline the function, and passing arrays to it goes through memory.
/// The odd half comes first: that order measured fewer spills (the backend
/// keeps the source order).
macro_rules! aan8_halves {
    ($extra:expr, $d0:expr, $d1:expr, $d2:expr, $d3:expr, $d4:expr, $d5:expr, $d6:expr, $d7:expr) => {{
        let mul = mul_precise::<{ $extra }>;
        let (d1, d3, d5, d7) = ($d1, $d3, $d5, $d7);
        let z13 = d5 + d3;
        let z10 = d5 - d3;
        let z11 = d1 + d7;
        let z12 = d1 - d7;
        let o7 = z11 + z13;
        let r = mul(z11 - z13, SQRT2_12);
        let z5 = mul(z10 + z12, AAN_Z5_12);
        let p = mul(z12, AAN_B_12) - z5;
        let q = z5 - mul(z10, AAN_C_12);
        let o6 = q - o7;
        let o5 = r - o6;
        let o4 = p + o5;
        let (d0, d2, d4, d6) = ($d0, $d2, $d4, $d6);
        let s04 = d0 + d4;
        let d04 = d0 - d4;
        let s26 = d2 + d6;
        let d26 = mul(d2 - d6, SQRT2_12) - s26;
        (s04 + s26, d04 + d26, d04 - d26, s04 - s26, o7, o6, o5, o4)
    }};
}

/// The output offset (+128) and the rounding of the final shift, added
/// once to DC by [`inverse_dct_8x8`]: it reaches every pixel with weight 1
/// through both passes.
const DC_BIAS: i32 = (128 << FRACTION_BITS) + (1 << (FRACTION_BITS - 1));

/// [`to_pixel`] for a value that already holds [`DC_BIAS`].
#[inline(always)]
fn to_pixel_biased(v: i32) -> u8 {
    (v >> FRACTION_BITS).clamp(0, 255) as u8
}

/// Transforms the 8 values of `d` (a row after the column pass, holding
/// [`DC_BIAS`]) into the 8 pixels of `row`, clamped: the rare rows that
/// leave 0..=255, out of line.
#[cold]
#[inline(never)]
fn clamped_row(d: &[i32; 8], row: &mut [u8; 8]) {
    for (o, v) in row.iter_mut().zip(aan8::<0>(*d)) {
        *o = to_pixel_biased(v);
    }
}

/// The row pass of [`inverse_dct_8x8`] for row `d` of the block (read,
/// then cleared) into `row`; with `4`, values 4..8 of `d` are known to be
/// zero (and left so). Every pixel is stored unclamped while their OR shows
/// whether one left 0..=255 (a negative value or one of 256 << 5 or more
/// sets a bit from 13 up); then the row is done again with clamps.
macro_rules! row_to_pixels {
    ($d:expr, $row:expr, 8) => {{
        let d: &mut [i32; 8] = $d;
        row_to_pixels!(@ d, $row, 8, aan8_halves!(0, d[0], d[1], d[2], d[3], d[4], d[5], d[6], d[7]))
    }};
    ($d:expr, $row:expr, 4) => {{
        let d: &mut [i32; 8] = $d;
        row_to_pixels!(@ d, $row, 4, aan8_halves!(0, d[0], d[1], d[2], d[3], 0, 0, 0, 0))
    }};
    (@ $d:ident, $row:expr, $width:expr, $halves:expr) => {{
        let row: &mut [u8; 8] = $row;
        let (e0, e1, e2, e3, o7, o6, o5, o4) = $halves;
        let mut any = 0;
        let mut put = |k: usize, v: i32| {
            any |= v;
            row[k] = (v >> FRACTION_BITS) as u8;
        };
        put(0, e0 + o7);
        put(7, e0 - o7);
        put(1, e1 + o6);
        put(6, e1 - o6);
        put(2, e2 + o5);
        put(5, e2 - o5);
        put(3, e3 - o4);
        put(4, e3 + o4);
        if any as u32 >= 256 << FRACTION_BITS {
            clamped_row($d, row);
        }
        // One store each (the backend makes a loop of `*d = [0; 8]`).
        $d[0] = 0;
        $d[1] = 0;
        $d[2] = 0;
        $d[3] = 0;
        if $width == 8 {
            $d[4] = 0;
            $d[5] = 0;
            $d[6] = 0;
            $d[7] = 0;
        }
    }};
}

/// Runs `$body` for rows `$r` = 0..8 of `$out` (`$stride` apart), each
/// as `$row: &mut [u8; 8]`, while they fit. It walks a slice from row to
/// row: fewer checks and live values than slicing `$out` at `r * stride`.
macro_rules! each_output_row {
    ($out:expr, $stride:expr, |$r:ident, $row:ident| $body:block) => {{
        let mut rest: &mut [u8] = $out;
        for $r in 0..8usize {
            let Some($row) = rest.first_chunk_mut::<8>() else { break };
            $body
            match core::mem::take(&mut rest).get_mut($stride..) {
                Some(tail) => rest = tail,
                None => break,
            }
        }
    }};
}

/// Row `r` of `block`.
#[inline(always)]
fn block_row(block: &mut [i32; 64], r: usize) -> &mut [i32; 8] {
    let r = r & 7;
    let (rows, _) = block.as_chunks_mut::<8>();
    &mut rows[r]
}

/// The full-size transform with shortcuts for sparse blocks (most blocks
/// of a photo): `rows`/`columns` have bit `r`/`c` set when a coefficient
/// other than DC is non-zero in that row/column. Gives exactly the pixels
/// of [`inverse_dct`] at 8×8. Works in place: the column pass replaces
/// the columns that have a bit by their transforms (the others are zero,
/// or flat in column 0), the row pass reads each row and clears it, so
/// `block` ends all zero (cheaper than clearing 64 values every block).
pub(crate) fn inverse_dct_8x8(block: &mut [i32; 64], rows: u32, columns: u32, out: &mut [u8], stride: usize) {
    let fits = stride.checked_mul(7).and_then(|n| n.checked_add(8)).is_some_and(|n| n <= out.len());
    if !fits {
        inverse_dct(block, 8, 8, rows | columns == 0, out, stride);
        block.fill(0);
        return;
    }
    if rows | columns == 0 {
        let p = to_pixel(block[0]);
        block[0] = 0;
        each_output_row!(out, stride, |_r, row| {
            *row = [p, p, p, p, p, p, p, p];
        });
        return;
    }
    block[0] += DC_BIAS;
    if rows == 1 {
        // Horizontal frequencies only: every row of the picture is the same.
        let mut pixels = [0u8; 8];
        let d = block_row(block, 0);
        row_to_pixels!(d, &mut pixels, 8);
        each_output_row!(out, stride, |_r, row| {
            *row = pixels;
        });
        return;
    }
    // Columns, in place. A column whose bit is clear holds at most its top
    // value, which is 0 but in column 0 (DC): there it fills the column,
    // elsewhere there is nothing to do.
    if columns & 1 == 0 {
        let v = block[0];
        for r in 1..8 {
            block[r * 8] = v;
        }
    }
    if rows < 16 {
        // Rows 4..8 all zero (common): the same transform with those terms folded away.
        columns_in_place::<false>(block, columns);
    } else {
        columns_in_place::<true>(block, columns);
    }
    // Rows, straight to pixels, clearing the block as they read it.
    if columns == 1 {
        // Only the first column varies: each row is flat.
        each_output_row!(out, stride, |r, row| {
            let d = block_row(block, r);
            let p = to_pixel_biased(d[0]);
            *row = [p, p, p, p, p, p, p, p];
            d[0] = 0;
        });
    } else if columns < 16 {
        // Columns 4..8 are zero (and stay so).
        each_output_row!(out, stride, |r, row| {
            row_to_pixels!(block_row(block, r), row, 4);
        });
    } else {
        each_output_row!(out, stride, |r, row| {
            row_to_pixels!(block_row(block, r), row, 8);
        });
    }
}

/// The column pass of [`inverse_dct_8x8`] over the columns whose bit is
/// set in `columns`, in place; `FULL` false: rows 4..8 are zero.
#[inline(always)]
fn columns_in_place<const FULL: bool>(block: &mut [i32; 64], columns: u32) {
    let mut mask = columns;
    let count = if columns < 16 { 4 } else { 8 };
    for c in 0..count {
        if mask & 1 != 0 {
            // One base for the whole column: the backend then addresses
            // it with constant offsets rather than a pointer per row.
            let Some(b) = block.get_mut(c..c + 57) else { return };
            // Even in a block with rows 4..8, most columns have zeros there.
            let (e0, e1, e2, e3, o7, o6, o5, o4) = if FULL && b[32] | b[40] | b[48] | b[56] != 0 {
                aan8_halves!(4, b[0], b[8], b[16], b[24], b[32], b[40], b[48], b[56])
            } else {
                aan8_halves!(4, b[0], b[8], b[16], b[24], 0, 0, 0, 0)
            };
            b[0] = e0 + o7;
            b[56] = e0 - o7;
            b[8] = e1 + o6;
            b[48] = e1 - o6;
            b[16] = e2 + o5;
            b[40] = e2 - o5;
            b[24] = e3 - o4;
            b[32] = e3 + o4;
        }
        mask >>= 1;
    }
}

#[cfg(test)]
mod tests {
    extern crate std;
    use super::*;
    use std::vec::Vec;

    /// The transform from T.81 A.3.3 in floating point.
    fn reference(coefficients: &[i32; 64]) -> [f64; 64] {
        let mut out = [0.0; 64];
        for y in 0..8 {
            for x in 0..8 {
                let mut sum = 0.0;
                for v in 0..8 {
                    for u in 0..8 {
                        let cu = if u == 0 { 1.0 / 2f64.sqrt() } else { 1.0 };
                        let cv = if v == 0 { 1.0 / 2f64.sqrt() } else { 1.0 };
                        sum += cu * cv * coefficients[v * 8 + u] as f64
                            * ((2 * x + 1) as f64 * u as f64 * std::f64::consts::PI / 16.0).cos()
                            * ((2 * y + 1) as f64 * v as f64 * std::f64::consts::PI / 16.0).cos();
                    }
                }
                out[y * 8 + x] = (sum / 4.0 + 128.0).clamp(0.0, 255.0);
            }
        }
        out
    }

    fn pseudo_random(seed: &mut u32) -> u32 {
        *seed ^= *seed << 13;
        *seed ^= *seed >> 17;
        *seed ^= *seed << 5;
        *seed
    }

    fn decode(coefficients: &[i32; 64], size: usize) -> Vec<u8> {
        let mut block = [0i32; 64];
        for (n, &c) in coefficients.iter().enumerate() {
            block[n] = dequantise(c, 1, n);
        }
        let mut out = std::vec![0u8; size * size];
        inverse_dct(&mut block, size, size, false, &mut out, size);
        out
    }

    #[test]
    fn full_size_matches_the_definition() {
        let mut seed = 12345;
        let mut worst = 0.0f64;
        for _ in 0..300 {
            let mut c = [0i32; 64];
            for (n, v) in c.iter_mut().enumerate() {
                let range = if n == 0 { 1024 } else { 200 / (1 + n as u32 / 4) };
                *v = (pseudo_random(&mut seed) % (2 * range + 1)) as i32 - range as i32;
            }
            let expected = reference(&c);
            let got = decode(&c, 8);
            for (g, e) in got.iter().zip(expected) {
                worst = worst.max((*g as f64 - e).abs());
            }
        }
        assert!(worst <= 2.0, "largest error {worst}");
    }

    #[test]
    fn reduced_sizes_approximate_box_averages() {
        let mut seed = 999;
        for size in [4usize, 2, 1] {
            let group = 8 / size;
            let mut worst = 0.0f64;
            for _ in 0..200 {
                let mut c = [0i32; 64];
                for (n, v) in c.iter_mut().enumerate() {
                    // Smooth content: energy in the lowest frequencies only.
                    let (u, w) = (n % 8, n / 8);
                    if u < size && w < size {
                        *v = (pseudo_random(&mut seed) % 81) as i32 - 40;
                    }
                }
                c[0] = (pseudo_random(&mut seed) % 801) as i32 - 400;
                let full = reference(&c);
                let got = decode(&c, size);
                for y in 0..size {
                    for x in 0..size {
                        let mut sum = 0.0;
                        for dy in 0..group {
                            for dx in 0..group {
                                sum += full[(y * group + dy) * 8 + x * group + dx];
                            }
                        }
                        let average = sum / (group * group) as f64;
                        worst = worst.max((got[y * size + x] as f64 - average).abs());
                    }
                }
            }
            assert!(worst <= 3.0, "size {size}: largest error {worst}");
        }
    }

    #[test]
    fn sparse_shortcuts_give_the_general_transform_exactly() {
        let mut seed = 4242;
        for case in 0..3000 {
            // Sparse blocks of several shapes: only row 0, only column 0, a few anywhere, dense.
            let mut block = [0i32; 64];
            let count = [0, 2, 5, 64][case % 4];
            for _ in 0..count {
                let n = match case % 3 {
                    0 => pseudo_random(&mut seed) as usize % 8,
                    1 => (pseudo_random(&mut seed) as usize % 8) * 8,
                    _ => pseudo_random(&mut seed) as usize % 64,
                };
                let range = if case % 50 == 0 { 32767 } else { 300 };
                block[n] = dequantise((pseudo_random(&mut seed) % (2 * range + 1)) as i32 - range as i32, 1 + case as u16 % 40, n);
            }
            block[0] = dequantise((pseudo_random(&mut seed) % 2049) as i32 - 1024, 1, 0);
            let (mut rows, mut columns) = (0, 0);
            for (n, &coefficient) in block.iter().enumerate().skip(1) {
                if coefficient != 0 {
                    rows |= 1 << (n / 8);
                    columns |= 1 << (n % 8);
                }
            }
            let mut expected = [0u8; 80];
            inverse_dct(&mut block.clone(), 8, 8, rows | columns == 0, &mut expected, 10);
            let mut got = [0u8; 80];
            inverse_dct_8x8(&mut block, rows, columns, &mut got, 10);
            assert_eq!(got, expected, "case {case}");
            assert_eq!(block, [0; 64], "case {case}: the block is cleared");
        }
    }

    /// Non-DC positions of `block` as `inverse_dct_8x8` takes them: (rows, columns).
    fn shape_of(block: &[i32; 64]) -> (u32, u32) {
        let (mut rows, mut columns) = (0, 0);
        for (n, &coefficient) in block.iter().enumerate().skip(1) {
            if coefficient != 0 {
                rows |= 1 << (n / 8);
                columns |= 1 << (n % 8);
            }
        }
        (rows, columns)
    }

    #[test]
    fn every_row_and_column_pattern_gives_the_general_transform_exactly() {
        let mut seed = 31337;
        let mut patterns = std::collections::BTreeSet::new();
        for wanted_rows in 0..256u32 {
            for wanted_columns in 0..256u32 {
                if (wanted_rows == 0) != (wanted_columns == 0) {
                    continue;
                }
                // One coefficient in each wanted row and in each wanted
                // column, at a wanted column and row respectively.
                let pick = |mask: u32, seed: &mut u32| {
                    let set: Vec<usize> = (0..8).filter(|&i| mask & (1 << i) != 0).collect();
                    set[pseudo_random(seed) as usize % set.len()]
                };
                let mut block = [0i32; 64];
                let large = pseudo_random(&mut seed).is_multiple_of(8);
                let value = |n: usize, seed: &mut u32| {
                    let range = if large { 2000 } else { 60 };
                    let v = (pseudo_random(seed) % (2 * range + 1)) as i32 - range as i32;
                    dequantise(if v == 0 { 1 } else { v }, 1 + (pseudo_random(seed) % 16) as u16, n)
                };
                for r in (0..8).filter(|&r| wanted_rows & (1 << r) != 0) {
                    let n = r * 8 + pick(wanted_columns, &mut seed);
                    block[n] = value(n, &mut seed);
                }
                for c in (0..8).filter(|&c| wanted_columns & (1 << c) != 0) {
                    let n = pick(wanted_rows, &mut seed) * 8 + c;
                    block[n] = value(n, &mut seed);
                }
                block[0] = dequantise((pseudo_random(&mut seed) % 2049) as i32 - 1024, 1, 0);
                let (rows, columns) = shape_of(&block);
                if rows != wanted_rows || columns != wanted_columns {
                    // A coefficient landed on DC: not this pattern.
                    continue;
                }
                patterns.insert((rows, columns));
                let mut expected = [0u8; 8 * 11];
                inverse_dct(&mut block.clone(), 8, 8, rows | columns == 0, &mut expected, 11);
                let mut got = [0u8; 8 * 11];
                inverse_dct_8x8(&mut block, rows, columns, &mut got, 11);
                assert_eq!(got, expected, "rows {rows:08b} columns {columns:08b}");
                assert_eq!(block, [0; 64], "rows {rows:08b} columns {columns:08b}: the block is cleared");
            }
        }
        // Most of the 255 × 255 + 1 patterns are reachable in one draw.
        assert!(patterns.len() > 60000, "{} patterns tried", patterns.len());
    }

    #[test]
    fn the_4x4_transform_matches_the_general_one() {
        let mut seed = 777;
        for case in 0..2000 {
            let mut block = [0i32; 64];
            for r in 0..4 {
                for c in 0..4 {
                    let n = r * 8 + c;
                    let range = if case % 40 == 0 { 32767 } else { 300 };
                    // Dense to sparse: flat columns and rows take shortcuts.
                    if n == 0 || pseudo_random(&mut seed).is_multiple_of(1 << (case % 4 + 1)) {
                        block[n] = dequantise((pseudo_random(&mut seed) % (2 * range + 1)) as i32 - range as i32, 1 + case as u16 % 30, n);
                    }
                }
            }
            let only_dc = block.iter().skip(1).all(|&v| v == 0);
            let mut expected = [0u8; 24];
            inverse_dct(&mut block.clone(), 4, 4, only_dc, &mut expected, 6);
            let mut got = [0u8; 24];
            inverse_dct_4x4(&mut block, &mut got, 6);
            assert_eq!(got, expected, "case {case}");
            assert_eq!(block, [0; 64], "case {case}: the block is cleared");
        }
    }

    #[test]
    fn the_2x2_transform_matches_the_general_one() {
        let mut seed = 4242;
        for case in 0..2000 {
            let mut block = [0i32; 64];
            for n in [0usize, 1, 8, 9] {
                let range = if case % 40 == 0 { 32767 } else { 400 };
                if !pseudo_random(&mut seed).is_multiple_of(3) || n == 0 {
                    block[n] = dequantise((pseudo_random(&mut seed) % (2 * range + 1)) as i32 - range as i32, 1 + case as u16 % 30, n);
                }
            }
            let only_dc = block[1] == 0 && block[8] == 0 && block[9] == 0;
            let mut expected = [0u8; 8];
            inverse_dct(&mut block.clone(), 2, 2, only_dc, &mut expected, 4);
            let mut got = [0u8; 8];
            inverse_dct_2x2(&mut block, &mut got, 4);
            assert_eq!(got, expected, "case {case}");
            assert_eq!(block, [0; 64], "case {case}: the block is cleared");
        }
    }

    #[test]
    fn outputs_too_short_for_a_block_get_the_rows_that_fit() {
        let mut seed = 99;
        for case in 0..600 {
            let size = [2usize, 4, 8][case % 3];
            let mut block = [0i32; 64];
            for r in 0..size {
                for c in 0..size {
                    if pseudo_random(&mut seed).is_multiple_of(2) {
                        block[r * 8 + c] = dequantise((pseudo_random(&mut seed) % 201) as i32 - 100, 1 + case as u16 % 20, r * 8 + c);
                    }
                }
            }
            let (rows, columns) = shape_of(&block);
            // Too short by 1 to `size` bytes; strides from 0 up.
            let stride = case / 3 % 12;
            let full = (size - 1) * stride + size;
            let len = full.saturating_sub(1 + case % size);
            let mut expected = std::vec![0u8; len];
            inverse_dct(&mut block.clone(), size, size, rows | columns == 0, &mut expected, stride);
            let mut got = std::vec![0u8; len];
            match size {
                2 => inverse_dct_2x2(&mut block, &mut got, stride),
                4 => inverse_dct_4x4(&mut block, &mut got, stride),
                _ => inverse_dct_8x8(&mut block, rows, columns, &mut got, stride),
            }
            assert_eq!(got, expected, "case {case}: size {size}, stride {stride}, {len} bytes");
            assert_eq!(block, [0; 64], "case {case}: the block is cleared");
        }
    }

    #[test]
    fn extreme_coefficients_do_not_overflow() {
        // Debug builds check arithmetic: every sign pattern at the limit.
        let mut seed = 7;
        for _ in 0..2000 {
            let mut block = [0i32; 64];
            for (n, b) in block.iter_mut().enumerate() {
                let sign = if pseudo_random(&mut seed) & 1 == 0 { 1 } else { -1 };
                *b = dequantise(sign * 32767, 65535, n);
            }
            let mut out = [0u8; 64];
            inverse_dct(&mut block, 8, 8, false, &mut out, 8);
        }
    }
}

#[cfg(test)]
mod rectangular_tests {
    extern crate std;
    use super::*;

    #[test]
    fn four_by_one_is_the_column_average_of_pairs() {
        // Horizontal frequency 1 only.
        let mut c = [0i32; 64];
        c[0] = 100;
        c[1] = 80;
        let mut block = [0i32; 64];
        for n in 0..64 {
            block[n] = dequantise(c[n], 1, n);
        }
        let mut wide = [0u8; 4];
        inverse_dct(&mut block.clone(), 4, 1, false, &mut wide, 4);
        let mut square = [0u8; 16];
        inverse_dct(&mut block, 4, 4, false, &mut square, 4);
        std::println!("{wide:?} {square:?}");
        assert_eq!(&wide[..], &square[..4]);
    }
}
