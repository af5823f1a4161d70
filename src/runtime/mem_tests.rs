//! `mem.S` against byte-by-byte references, for every alignment of both
//! ends and lengths across each of its paths (short, aligned words,
//! 32-byte blocks, halfword pairs, bytes, backward moves). Calculator
//! target only: in the emulator and on real SH-4 semantics under
//! qemu-sh4eb (`tools/sh4-tests/run.sh`).

use core::ffi::c_void;
use core::hint::black_box as bb;

unsafe extern "C" {
    fn memcpy(dst: *mut c_void, src: *const c_void, n: usize) -> *mut c_void;
    fn memmove(dst: *mut c_void, src: *const c_void, n: usize) -> *mut c_void;
    fn memset(dst: *mut c_void, c: i32, n: usize) -> *mut c_void;
}

const SIZE: usize = 200;
const LENGTHS: [usize; 24] = [0, 1, 2, 3, 4, 5, 7, 8, 12, 15, 16, 17, 19, 31, 32, 33, 35, 36, 63, 64, 67, 96, 129, 150];

/// A pattern with no repeats within a buffer, so a byte from the wrong
/// place shows.
fn pattern(seed: u8) -> [u8; SIZE] {
    core::array::from_fn(|i| (i as u8).wrapping_mul(7).wrapping_add(seed) ^ (i >> 8) as u8)
}

prizm_test! {
    fn memcpy_copies_exactly_the_bytes_at_every_alignment() {
        for dst_at in 0..4 {
            for src_at in 0..4 {
                for &n in &LENGTHS {
                    let src = pattern(1);
                    let mut dst = pattern(100);
                    let before = dst;
                    // SAFETY: both ranges lie inside their arrays
                    // (offset ≤ 3, n ≤ 150 < SIZE - 3) and do not overlap.
                    let back = unsafe {
                        memcpy(bb(dst.as_mut_ptr().add(dst_at)).cast(), bb(src.as_ptr().add(src_at)).cast(), bb(n))
                    };
                    assert_eq!(back, dst.as_mut_ptr().wrapping_add(dst_at).cast(), "returns dst");
                    for i in 0..SIZE {
                        let expected = if (dst_at..dst_at + n).contains(&i) { src[i - dst_at + src_at] } else { before[i] };
                        assert_eq!(dst[i], expected, "dst+{dst_at} src+{src_at} n {n} at {i}");
                    }
                }
            }
        }
    }
}

prizm_test! {
    fn memmove_handles_overlap_both_ways_at_every_alignment() {
        for dst_at in 0..12 {
            for src_at in 0..12 {
                for &n in &LENGTHS {
                    let original = pattern(3);
                    let mut buffer = original;
                    let base = buffer.as_mut_ptr();
                    // SAFETY: both ranges lie inside `buffer` (offset < 12,
                    // n ≤ 150 < SIZE - 12); memmove allows overlap.
                    let back = unsafe { memmove(bb(base.add(dst_at)).cast(), bb(base.add(src_at)).cast(), bb(n)) };
                    assert_eq!(back, base.wrapping_add(dst_at).cast(), "returns dst");
                    for i in 0..SIZE {
                        let expected = if (dst_at..dst_at + n).contains(&i) { original[i - dst_at + src_at] } else { original[i] };
                        assert_eq!(buffer[i], expected, "dst+{dst_at} src+{src_at} n {n} at {i}");
                    }
                }
            }
        }
    }
}

prizm_test! {
    fn memset_fills_exactly_the_bytes_at_every_alignment() {
        for dst_at in 0..4 {
            for &n in &LENGTHS {
                // A value above 255: only its low byte is stored.
                for value in [0, 0x5A, 0x1FF] {
                    let mut dst = pattern(9);
                    let before = dst;
                    // SAFETY: the range lies inside `dst` (offset ≤ 3, n ≤ 150).
                    let back = unsafe { memset(bb(dst.as_mut_ptr().add(dst_at)).cast(), bb(value), bb(n)) };
                    assert_eq!(back, dst.as_mut_ptr().wrapping_add(dst_at).cast(), "returns dst");
                    for i in 0..SIZE {
                        let expected = if (dst_at..dst_at + n).contains(&i) { value as u8 } else { before[i] };
                        assert_eq!(dst[i], expected, "dst+{dst_at} value {value:#x} n {n} at {i}");
                    }
                }
            }
        }
    }
}
