//! Volatile stores of every width on the calculator target, and `zeroize`
//! (which is built on them). Run in the emulator by
//! `cargo test --release -p prizm --test device_volatile`.
//!
//! Until backend patch 0003 (tools/toolchain/backend-patches/) any
//! `ptr::write_volatile` made libgccjit 12 reject the whole codegen unit, so
//! this file did not even build. The tests check what was stored, that a
//! narrow store leaves its neighbours alone, and, by reading back their own
//! machine code, that each store is one SH-4A `mov` of the right width and
//! that a volatile wipe of a local about to die is kept (patch 0004).
#![no_std]
#![no_main]
#![feature(custom_test_frameworks)]
#![test_runner(prizm::testing::run_tests)]
#![reexport_test_harness_main = "test_main"]

use core::hint::black_box;
use core::mem::MaybeUninit;
use core::ptr;

use zeroize::{Zeroize, Zeroizing};

prizm::entry!(run);

fn run(calculator: prizm::Calculator) {
    // No test here needs the calculator.
    drop(calculator);
    test_main();
}

// The stores under test: never inlined, so each exists once as machine
// code that `body` can read back.

#[inline(never)]
fn store_u8(destination: &mut u8, value: u8) {
    // SAFETY: a `&mut` is valid, aligned and exclusive.
    unsafe { ptr::write_volatile(destination, value) }
}

#[inline(never)]
fn store_i8(destination: &mut i8, value: i8) {
    // SAFETY: a `&mut` is valid, aligned and exclusive.
    unsafe { ptr::write_volatile(destination, value) }
}

#[inline(never)]
fn store_u16(destination: &mut u16, value: u16) {
    // SAFETY: a `&mut` is valid, aligned and exclusive.
    unsafe { ptr::write_volatile(destination, value) }
}

#[inline(never)]
fn store_u32(destination: &mut u32, value: u32) {
    // SAFETY: a `&mut` is valid, aligned and exclusive.
    unsafe { ptr::write_volatile(destination, value) }
}

/// Eight bytes on a word boundary, so byte offsets 0..8 cover every lane
/// of two 32-bit words.
#[repr(C, align(4))]
struct Words([u8; 8]);

impl Words {
    /// Byte `index` as an `i8`.
    fn signed(&mut self, index: usize) -> &mut i8 {
        let byte = &mut self.0[index];
        // SAFETY: i8 and u8 share size and alignment, every bit pattern is
        // valid for both, and the borrow of `self` covers the result.
        unsafe { &mut *ptr::from_mut(byte).cast::<i8>() }
    }

    /// The `index`th (0..4) big-endian u16.
    fn half(&mut self, index: usize) -> &mut u16 {
        assert!(index < 4);
        // SAFETY: in bounds (checked), 2-aligned (the buffer is 4-aligned),
        // every bit pattern is a valid u16, and the borrow of `self` covers
        // the result.
        unsafe { &mut *self.0.as_mut_ptr().cast::<u16>().add(index) }
    }

    /// The `index`th (0..2) big-endian u32.
    fn word(&mut self, index: usize) -> &mut u32 {
        assert!(index < 2);
        // SAFETY: as for `half`, with 4-byte alignment.
        unsafe { &mut *self.0.as_mut_ptr().cast::<u32>().add(index) }
    }
}

const FILL: [u8; 8] = [0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88];

/// The buffer's bytes as memory holds them (volatile reads, so the
/// compiler cannot answer from what it believes it stored).
fn read_back(words: &Words) -> [u8; 8] {
    // SAFETY: every index is inside the borrowed array.
    core::array::from_fn(|i| unsafe { ptr::read_volatile(&words.0[i]) })
}

#[test_case]
fn volatile_u8_stores_change_only_their_byte() {
    for offset in 0..8 {
        let mut words = Words(FILL);
        let value = 0xA0 | offset as u8;
        store_u8(black_box(&mut words.0[offset]), black_box(value));
        let mut expected = FILL;
        expected[offset] = value;
        assert_eq!(read_back(&words), expected, "u8 store at offset {offset}");
    }
}

#[test_case]
fn volatile_i8_stores_keep_sign_and_neighbours() {
    for (offset, value) in [(0usize, -1i8), (1, i8::MIN), (2, i8::MAX), (3, -2), (5, 0)] {
        let mut words = Words(FILL);
        store_i8(black_box(words.signed(offset)), black_box(value));
        let mut expected = FILL;
        expected[offset] = value as u8;
        assert_eq!(
            read_back(&words),
            expected,
            "i8 store of {value} at offset {offset}"
        );
        // SAFETY: a reference is valid for reads.
        assert_eq!(unsafe { ptr::read_volatile(words.signed(offset)) }, value);
    }
}

#[test_case]
fn volatile_u16_stores_are_big_endian_and_change_only_their_half() {
    for index in 0..4 {
        let mut words = Words(FILL);
        store_u16(black_box(words.half(index)), black_box(0xBEEF));
        let mut expected = FILL;
        expected[2 * index] = 0xBE;
        expected[2 * index + 1] = 0xEF;
        assert_eq!(read_back(&words), expected, "u16 store at index {index}");
    }
}

#[test_case]
fn volatile_u32_stores_are_big_endian() {
    let mut words = Words(FILL);
    store_u32(black_box(words.word(1)), black_box(0x0102_0304));
    assert_eq!(
        read_back(&words),
        [0x11, 0x22, 0x33, 0x44, 0x01, 0x02, 0x03, 0x04]
    );
}

#[test_case]
fn volatile_stores_to_a_static_reach_memory() {
    static mut FLAG: u8 = 0;
    for value in [1u8, 0xFF, 0] {
        // SAFETY: tests run one at a time; nothing else touches FLAG.
        unsafe {
            ptr::write_volatile(&raw mut FLAG, black_box(value));
            assert_eq!(ptr::read_volatile(&raw const FLAG), value);
        }
    }
}

/// Width in bytes of the memory store SH-4A instruction `op` performs, or
/// `None` if it stores nothing (encodings from the SH-4A software manual).
fn store_width(op: u16) -> Option<u8> {
    let (top, low) = (op >> 12, op & 0xF);
    let second = (op >> 8) & 0xF;
    match top {
        // mov.{b,w,l} Rm,@Rn / Rm,@-Rn
        0x2 => match low {
            0x0 | 0x4 => Some(1),
            0x1 | 0x5 => Some(2),
            0x2 | 0x6 => Some(4),
            _ => None,
        },
        // mov.{b,w,l} Rm,@(R0,Rn); movco.l and movca.l R0,@Rn
        0x0 => match (op & 0xFF, low) {
            (_, 0x4) => Some(1),
            (_, 0x5) => Some(2),
            (_, 0x6) | (0x73, _) | (0xC3, _) => Some(4),
            _ => None,
        },
        // mov.l Rm,@(disp,Rn)
        0x1 => Some(4),
        // mov.{b,w} R0,@(disp,Rn)
        0x8 => match second {
            0x0 => Some(1),
            0x1 => Some(2),
            _ => None,
        },
        // mov.{b,w,l} R0,@(disp,GBR)
        0xC => match second {
            0x0 => Some(1),
            0x1 => Some(2),
            0x2 => Some(4),
            _ => None,
        },
        // sts.l / stc.l <system or control register>,@-Rn
        0x4 if low == 0x2 || low == 0x3 => Some(4),
        _ => None,
    }
}

/// The instructions of the function at `code`, from its first to the delay
/// slot of its first `rts`.
fn body(code: usize) -> impl Iterator<Item = u16> {
    const RTS: u16 = 0x000B;
    const LIMIT: usize = 256;
    let mut index = 0;
    let mut returning = false;
    let mut done = false;
    core::iter::from_fn(move || {
        if done {
            return None;
        }
        assert!(
            index < LIMIT,
            "no rts within {LIMIT} instructions of {code:#x}"
        );
        // SAFETY: the add-in's code is mapped readable at 0x00300000, and
        // the functions read here are short and end with `rts`; reading
        // stops at its delay slot.
        let op = unsafe { ptr::read_volatile((code as *const u16).add(index)) };
        index += 1;
        done = returning;
        returning = op == RTS;
        Some(op)
    })
}

/// True for the SH-4A subroutine calls `jsr @Rn`, `bsrf Rn` and `bsr`.
fn is_call(op: u16) -> bool {
    op & 0xF0FF == 0x400B || op & 0xF0FF == 0x0003 || op >> 12 == 0xB
}

#[test_case]
fn each_volatile_store_is_one_mov_of_its_width() {
    let cases: [(&str, usize, u8); 4] = [
        ("u8", store_u8 as fn(&mut u8, u8) as usize, 1),
        ("i8", store_i8 as fn(&mut i8, i8) as usize, 1),
        ("u16", store_u16 as fn(&mut u16, u16) as usize, 2),
        ("u32", store_u32 as fn(&mut u32, u32) as usize, 4),
    ];
    for (name, code, width) in cases {
        let mut stores = body(code).filter_map(store_width);
        assert_eq!(
            stores.next(),
            Some(width),
            "first store of the {name} store at {code:#x}"
        );
        assert_eq!(
            stores.next(),
            None,
            "a second store in the {name} store at {code:#x}"
        );
    }
}

/// Fills a local, shows it to the optimiser, then wipes it with one
/// volatile store of the whole array: what `zeroize` does to a secret
/// about to go out of scope. Nothing reads the local after the wipe, so
/// the wipe survives only if the compiler honours `volatile`.
#[inline(never)]
fn wipe_local(value: u32) {
    let mut words = [value; 8];
    black_box(&mut words);
    // SAFETY: `words` is a live, aligned local.
    unsafe { ptr::write_volatile(&mut words, [0; 8]) };
}

#[test_case]
fn a_volatile_wipe_of_a_dying_local_is_kept() {
    let code = wipe_local as fn(u32) as usize;
    let stores = body(code).filter_map(store_width).count();
    let calls = body(code).filter(|&op| is_call(op)).count();
    // Without the wipe the body only fills (a loop, or at most 8 word
    // stores) and spills a pointer, as it did before backend patch 0004.
    // With it, 32 more bytes are written: 16 word stores (a zeroed
    // temporary and its copy) in today's code, or a call to memcpy.
    assert!(
        stores >= 16 || calls > 0,
        "{stores} stores and {calls} calls in wipe_local at {code:#x}: the wipe is gone"
    );
    wipe_local(black_box(7));
}

#[test_case]
fn store_width_decodes_known_encodings() {
    // From GCC's output for this target: mov.b r5,@r4; mov.w r5,@r4;
    // mov.l r5,@r4; mov.b r0,@(1,r4); mov.l r6,@(4,r4); sts.l pr,@-r15.
    let stores = [
        (0x2450, 1),
        (0x2451, 2),
        (0x2452, 4),
        (0x8041, 1),
        (0x1461, 4),
        (0x4F22, 4),
    ];
    for (op, width) in stores {
        assert_eq!(store_width(op), Some(width), "{op:#06x}");
    }
    // rts, nop, mov.b @r4,r1 (a load), mov #90,r1, add #1,r4, shlr16 r1.
    for op in [0x000B, 0x0009, 0x6140, 0xE15A, 0x7401, 0x4129] {
        assert_eq!(store_width(op), None, "{op:#06x}");
    }
    // jsr @r0, bsrf r1, bsr; rts, jmp @r0 and mov.l r2,@r4 are not calls.
    for (op, call) in [
        (0x400B, true),
        (0x0103, true),
        (0xB123, true),
        (0x000B, false),
        (0x402B, false),
        (0x2422, false),
    ] {
        assert_eq!(is_call(op), call, "{op:#06x}");
    }
}

#[test_case]
fn zeroize_clears_byte_and_wider_buffers() {
    // 37 bytes: two 16-byte chunks and a 5-byte tail in zeroize's loop.
    let mut bytes = [0xA5u8; 37];
    bytes.zeroize();
    assert_eq!(black_box(bytes), [0; 37]);

    let mut halves = [0xBEEFu16; 9];
    halves.zeroize();
    assert_eq!(black_box(halves), [0; 9]);

    let mut word = 0xDEAD_BEEFu32;
    word.zeroize();
    assert_eq!(black_box(word), 0);

    let mut signed = [-5i8; 3];
    signed.zeroize();
    assert_eq!(black_box(signed), [0; 3]);
}

#[test_case]
fn zeroizing_clears_its_contents_on_drop() {
    let mut slot = MaybeUninit::new(Zeroizing::new([0x5Au8; 19]));
    // SAFETY: `slot` was initialised just above and is dropped only here.
    unsafe { slot.assume_init_drop() };
    let bytes = slot.as_ptr().cast::<u8>();
    for i in 0..19 {
        // SAFETY: `Zeroizing<[u8; 19]>` is 19 bytes, written by its drop;
        // `slot` is still alive, so reading them is in bounds.
        assert_eq!(unsafe { ptr::read_volatile(bytes.add(i)) }, 0, "byte {i}");
    }
}
