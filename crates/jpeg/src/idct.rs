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

/// The pixel of a block transformed to 1×1 (its DC), as [`inverse_dct`] gives it.
#[inline]
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
    let (b0, b1, b8, b9) = (block[0], block[1], block[8], block[9]);
    block[0] = 0;
    block[1] = 0;
    block[8] = 0;
    block[9] = 0;
    // Columns, then rows, as `transform` does for two points.
    let (top0, bottom0) = (b0 + mul(b8, COS_4_BOX4), b0 - mul(b8, COS_4_BOX4));
    let (top1, bottom1) = (b1 + mul(b9, COS_4_BOX4), b1 - mul(b9, COS_4_BOX4));
    let rows = [(top0, top1), (bottom0, bottom1)];
    for (r, (d0, d1)) in rows.into_iter().enumerate() {
        if let Some(row) = out.get_mut(r * stride..r * stride + 2) {
            row[0] = to_pixel(d0 + mul(d1, COS_4_BOX4));
            row[1] = to_pixel(d0 - mul(d1, COS_4_BOX4));
        }
    }
}

/// [`inverse_dct`] at 4×4 (1/2 scale, subsampled chroma at 1/4), spelt
/// out: the same pixels, and the sixteen coefficients cleared.
pub(crate) fn inverse_dct_4x4(block: &mut [i32; 64], out: &mut [u8], stride: usize) {
    // Columns (vertical frequencies to rows), in place.
    for c in 0..4 {
        let t = idct4(block[c], block[8 + c], block[16 + c], block[24 + c]);
        block[c] = t[0];
        block[8 + c] = t[1];
        block[16 + c] = t[2];
        block[24 + c] = t[3];
    }
    for r in 0..4 {
        let at = r * 8;
        let t = idct4(block[at], block[at + 1], block[at + 2], block[at + 3]);
        block[at] = 0;
        block[at + 1] = 0;
        block[at + 2] = 0;
        block[at + 3] = 0;
        if let Some(row) = out.get_mut(r * stride..r * stride + 4) {
            row[0] = to_pixel(t[0]);
            row[1] = to_pixel(t[1]);
            row[2] = to_pixel(t[2]);
            row[3] = to_pixel(t[3]);
        }
    }
}

/// [`aan8`] as a macro over eight values: the GCC backend does not inline
/// the function, and passing arrays to it goes through memory.
macro_rules! aan8_values {
    ($extra:expr, $d0:expr, $d1:expr, $d2:expr, $d3:expr, $d4:expr, $d5:expr, $d6:expr, $d7:expr) => {{
        let mul = mul_precise::<{ $extra }>;
        let (d0, d1, d2, d3, d4, d5, d6, d7) = ($d0, $d1, $d2, $d3, $d4, $d5, $d6, $d7);
        let s04 = d0 + d4;
        let d04 = d0 - d4;
        let s26 = d2 + d6;
        let d26 = mul(d2 - d6, SQRT2_12) - s26;
        let e0 = s04 + s26;
        let e3 = s04 - s26;
        let e1 = d04 + d26;
        let e2 = d04 - d26;
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
        (e0 + o7, e1 + o6, e2 + o5, e3 - o4, e3 + o4, e2 - o5, e1 - o6, e0 - o7)
    }};
}

/// [`to_pixel`] for a value whose DC already holds the +128 offset and
/// the rounding (see [`inverse_dct_8x8`]), with the clamp out of line: real
/// pictures rarely leave 0..=255.
#[inline(always)]
fn to_pixel_fast(v: i32) -> u8 {
    let x = v >> FRACTION_BITS;
    if (x as u32) <= 255 {
        x as u8
    } else {
        saturate(x)
    }
}

#[cold]
#[inline(never)]
fn saturate(x: i32) -> u8 {
    if x < 0 {
        0
    } else {
        255
    }
}

/// Eight transformed values to pixels (a macro: see [`aan8_values`]).
macro_rules! store_row {
    ($out:expr, $t:expr) => {{
        let t = $t;
        *$out = [
            to_pixel_fast(t.0),
            to_pixel_fast(t.1),
            to_pixel_fast(t.2),
            to_pixel_fast(t.3),
            to_pixel_fast(t.4),
            to_pixel_fast(t.5),
            to_pixel_fast(t.6),
            to_pixel_fast(t.7),
        ];
    }};
}

/// Row `r` (0..8) of `out` as 8 pixels; `out` holds at least `7 * stride + 8`.
#[inline(always)]
fn out_row(out: &mut [u8], r: usize, stride: usize) -> Option<&mut [u8; 8]> {
    out.get_mut(r * stride..r * stride + 8).and_then(|row| row.try_into().ok())
}

/// The full-size transform with shortcuts for sparse blocks (most blocks
/// of a photo): `rows`/`columns` have bit `r`/`c` set when a coefficient
/// other than DC is non-zero in that row/column. Gives exactly the pixels
/// of [`inverse_dct`] at 8×8. Leaves `block` all zero (cheaper than
/// clearing 64 values every block).
pub(crate) fn inverse_dct_8x8(block: &mut [i32; 64], work: &mut [i32; 64], rows: u32, columns: u32, out: &mut [u8], stride: usize) {
    if out.len() < 7 * stride + 8 {
        inverse_dct(block, 8, 8, rows | columns == 0, out, stride);
        block.fill(0);
        return;
    }
    if rows | columns == 0 {
        let p = to_pixel(block[0]);
        block[0] = 0;
        for r in 0..8 {
            if let Some(row) = out_row(out, r, stride) {
                *row = [p; 8];
            }
        }
        return;
    }
    // The output offset (+128) and the rounding of the final shift, added
    // once to DC: it reaches every pixel with weight 1 through both passes.
    block[0] += (128 << FRACTION_BITS) + (1 << (FRACTION_BITS - 1));
    if rows == 1 {
        // Horizontal frequencies only: every row of the picture is the same.
        let b = block;
        let t = aan8_values!(0, b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7]);
        let mut pixels = [0u8; 8];
        store_row!(&mut pixels, t);
        b[..8].fill(0);
        for r in 0..8 {
            if let Some(row) = out_row(out, r, stride) {
                *row = pixels;
            }
        }
        return;
    }
    // Columns into `work` (any contents: every value is written before it
    // is read; the caller keeps it, so it is not zeroed each block); the
    // coefficients read are cleared as they go (only where they can be
    // non-zero), so the row pass needs no clearing and `block` ends all zero.
    for c in 0..8 {
        let b = &mut *block;
        let c = c & 7;
        if columns & (1 << c) == 0 {
            // At most the top value: the column is flat.
            let v = b[c];
            b[c] = 0;
            work[c] = v;
            work[8 + c] = v;
            work[16 + c] = v;
            work[24 + c] = v;
            work[32 + c] = v;
            work[40 + c] = v;
            work[48 + c] = v;
            work[56 + c] = v;
            continue;
        }
        // Rows 4..8 all zero (common): the same transform with those terms folded away.
        let t = if rows < 16 {
            let (d0, d1, d2, d3) = (b[c], b[8 + c], b[16 + c], b[24 + c]);
            b[c] = 0;
            b[8 + c] = 0;
            b[16 + c] = 0;
            b[24 + c] = 0;
            aan8_values!(4, d0, d1, d2, d3, 0, 0, 0, 0)
        } else {
            let (d0, d1, d2, d3) = (b[c], b[8 + c], b[16 + c], b[24 + c]);
            let (d4, d5, d6, d7) = (b[32 + c], b[40 + c], b[48 + c], b[56 + c]);
            b[c] = 0;
            b[8 + c] = 0;
            b[16 + c] = 0;
            b[24 + c] = 0;
            b[32 + c] = 0;
            b[40 + c] = 0;
            b[48 + c] = 0;
            b[56 + c] = 0;
            aan8_values!(4, d0, d1, d2, d3, d4, d5, d6, d7)
        };
        work[c] = t.0;
        work[8 + c] = t.1;
        work[16 + c] = t.2;
        work[24 + c] = t.3;
        work[32 + c] = t.4;
        work[40 + c] = t.5;
        work[48 + c] = t.6;
        work[56 + c] = t.7;
    }
    // Rows, straight to pixels.
    for (r, d) in work.chunks_exact(8).enumerate() {
        let Ok(d) = <&[i32; 8]>::try_from(d) else { continue };
        let t = if columns == 1 {
            // Only the first column varies: each row is flat.
            (d[0], d[0], d[0], d[0], d[0], d[0], d[0], d[0])
        } else if columns < 16 {
            aan8_values!(0, d[0], d[1], d[2], d[3], 0, 0, 0, 0)
        } else {
            aan8_values!(0, d[0], d[1], d[2], d[3], d[4], d[5], d[6], d[7])
        };
        if let Some(o) = out_row(out, r, stride) {
            store_row!(o, t);
        }
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
            inverse_dct_8x8(&mut block, &mut [7; 64], rows, columns, &mut got, 10);
            assert_eq!(got, expected, "case {case}");
            assert_eq!(block, [0; 64], "case {case}: the block is cleared");
        }
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
                    if n == 0 || pseudo_random(&mut seed).is_multiple_of(2) {
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
