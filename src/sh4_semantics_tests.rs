//! Tests that guard against miscompilation by the patched GCC backend:
//! they run the same code compiled for SH-4 (under qemu-sh4eb, see
//! `tools/sh4-tests.sh`) as on the host, with `black_box` keeping the
//! compiler from folding the work away. Expected values are what the host
//! computes (the host run of these tests checks them).

use alloc::boxed::Box;
use alloc::collections::{BTreeMap, BinaryHeap, VecDeque};
use alloc::format;
use alloc::rc::Rc;
use alloc::string::{String, ToString};
use alloc::vec;
use alloc::vec::Vec;
use core::hint::black_box as bb;

prizm_test! {
    fn integer_32_bit_arithmetic() {
        assert_eq!(bb(1_000_000_007u32) / bb(97), 10_309_278);
        assert_eq!(bb(1_000_000_007u32) % bb(97), 41);
        assert_eq!(bb(-1_000_000_007i32) / bb(97), -10_309_278);
        assert_eq!(bb(-1_000_000_007i32) % bb(97), -41);
        assert_eq!(bb(-7i32).rem_euclid(bb(3)), 2);
        assert_eq!(bb(i32::MIN).checked_div(bb(-1)), None);
        assert_eq!(bb(i32::MIN).wrapping_div(bb(-1)), i32::MIN);
        assert_eq!(bb(0xdead_beefu32).wrapping_mul(bb(0x1234_5678)), 0x5621ca08);
        assert_eq!(bb(0x8000_0000u32) >> bb(31), 1);
        assert_eq!(bb(-8i32) >> bb(1), -4);
        assert_eq!(bb(1u32) << bb(31), 0x8000_0000);
        assert_eq!(bb(0x1234_5678u32).rotate_left(bb(8)), 0x3456_7812);
        assert_eq!(bb(0x00f0_0000u32).leading_zeros(), 8);
        assert_eq!(bb(0x00f0_0000u32).trailing_zeros(), 20);
        assert_eq!(bb(0xf0f0_f0f0u32).count_ones(), 16);
        assert_eq!(bb(0x1234_5678u32).swap_bytes(), 0x7856_3412);
        assert_eq!(bb(i32::MAX).checked_add(bb(1)), None);
        assert_eq!(bb(i32::MAX).saturating_add(bb(5)), i32::MAX);
        assert_eq!(bb(200u8).wrapping_add(bb(100)), 44);
        assert_eq!(bb(-128i8).wrapping_neg(), -128);
        assert_eq!(bb(40_000u16) as i16, -25_536);
        assert_eq!(bb(-1i16) as u32, 0xffff_ffff);
        assert_eq!(bb(300i32) as u8, 44);
    }
}

prizm_test! {
    fn integer_64_bit_arithmetic() {
        let a = bb(0x0123_4567_89ab_cdefu64);
        let b = bb(0xfedc_ba98u64);
        assert_eq!(a.wrapping_mul(b), 0xacf13578ad05ebe8);
        assert_eq!(a / b, 0x1249249);
        assert_eq!(a % b, 0x24efe897);
        assert_eq!(bb(-9_000_000_000_000i64) / bb(7), -1_285_714_285_714);
        assert_eq!(bb(-9_000_000_000_000i64) % bb(7), -2);
        assert_eq!(bb(u64::MAX) / bb(3), 0x5555_5555_5555_5555);
        assert_eq!(bb(1u64) << bb(63), 0x8000_0000_0000_0000);
        assert_eq!(bb(0x8000_0000_0000_0000u64) >> bb(40), 0x80_0000);
        assert_eq!(bb(-1i64 << 40) >> bb(38), -4);
        assert_eq!(bb(0x0000_0001_0000_0000u64).leading_zeros(), 31);
        assert_eq!(bb(u64::MAX).checked_add(bb(1)), None);
        assert_eq!(bb(12_345_678_901_234u64).to_string(), "12345678901234");
        assert_eq!(bb(4_000_000_000u32) as u64 * bb(3) as u64, 12_000_000_000);
        assert_eq!((bb(-3i32) as i64) * (bb(1_000_000_000i32) as i64), -3_000_000_000);
    }
}

prizm_test! {
    fn integer_128_bit_arithmetic() {
        let a = bb(0x0123_4567_89ab_cdef_0011_2233u128);
        let b = bb(0x1_0000_0001u128);
        let product = a.wrapping_mul(b);
        assert_eq!(product / b, a);
        assert_eq!(bb(u128::MAX) / bb(10), 34_028_236_692_093_846_346_337_460_743_176_821_145);
        assert_eq!(bb(u128::MAX) % bb(10), 5);
        assert_eq!(bb(-170_141_183_460_469_231_731_687_303_715_884_105_728i128) / bb(3), -56_713_727_820_156_410_577_229_101_238_628_035_242);
        assert_eq!(bb(1u128) << bb(100), 1_267_650_600_228_229_401_496_703_205_376);
        assert_eq!(format!("{}", bb(u128::MAX)), "340282366920938463463374607431768211455");
        assert_eq!(format!("{:x}", bb(a)), "123456789abcdef00112233");
        assert_eq!(bb(3u128).pow(bb(80)), 147_808_829_414_345_923_316_083_210_206_383_297_601);
    }
}

prizm_test! {
    fn soft_float() {
        let x = bb(1.5f32);
        let y = bb(2.25f32);
        assert_eq!(x * y, 3.375);
        assert_eq!(x / y, 0.6666667);
        assert_eq!(x - y, -0.75);
        assert_eq!(bb(0.1f64) + bb(0.2), 0.30000000000000004);
        assert_eq!(bb(1e308f64) * bb(10.0), f64::INFINITY);
        assert!((bb(0.0f64) / bb(0.0)).is_nan());
        assert_eq!(bb(-7.9f64) as i32, -7);
        assert_eq!(bb(3e9f64) as i32, i32::MAX);
        assert_eq!(bb(u64::MAX) as f64, 18446744073709551615.0);
        assert_eq!(bb(16_777_217i32) as f32, 16_777_216.0);
        assert_eq!(libm::pow(bb(2.0f64), bb(10.0)), 1024.0);
        assert_eq!(libm::sqrt(bb(2.0)), core::f64::consts::SQRT_2);
        assert!((libm::sin(bb(core::f64::consts::FRAC_PI_6)) - 0.5).abs() < 1e-15);
        assert_eq!(bb(2.5f64).total_cmp(&bb(-0.0)), core::cmp::Ordering::Greater);
        assert_eq!("1.23456".parse::<f64>(), Ok(1.23456));
        assert_eq!("-1e-3".parse::<f32>(), Ok(-0.001));
    }
}

prizm_test! {
    fn formatting() {
        assert_eq!(format!("{:08x}", bb(0xbeefu32)), "0000beef");
        assert_eq!(format!("{:>6}|{:<6}|{:^6}", "a", "b", "c"), "     a|b     |  c   ");
        assert_eq!(format!("{:+}", bb(42i32)), "+42");
        assert_eq!(format!("{}", bb(i64::MIN)), "-9223372036854775808");
        assert_eq!(format!("{:.3}", bb(1.23456f64)), "1.235");
        assert_eq!(format!("{}", bb(0.1f32)), "0.1");
        assert_eq!(format!("{:e}", bb(1234.5f64)), "1.2345e3");
        assert_eq!(format!("{}", bb(1.0e-7f64)), "0.0000001");
        assert_eq!(format!("{:?}", bb(f64::NAN)), "NaN");
        assert_eq!(format!("{:?}", (1u8, "two", [3.0f32])), "(1, \"two\", [3.0])");
        assert_eq!(format!("{:#b}", bb(5u8)), "0b101");
        #[derive(Debug)]
        #[allow(dead_code)]
        struct Point { x: i16, y: i16 }
        assert_eq!(format!("{:?}", Point { x: -1, y: 2 }), "Point { x: -1, y: 2 }");
        assert_eq!("é€😀".chars().count(), 3);
        assert_eq!("Prizm".to_uppercase(), "PRIZM");
        assert!(core::str::from_utf8(bb(&[0xff, 0xfe])).is_err());
    }
}

prizm_test! {
    fn slices_and_sorting() {
        let mut numbers: Vec<i32> = (0..200).map(|i| bb((i * 7919) % 211 - 100)).collect();
        let mut reference = numbers.clone();
        numbers.sort();
        assert!(numbers.windows(2).all(|w| w[0] <= w[1]));
        reference.sort_unstable_by(|a, b| b.cmp(a));
        reference.reverse();
        assert_eq!(numbers, reference);
        assert_eq!(numbers.binary_search(&numbers[57]).map(|i| numbers[i]), Ok(numbers[57]));
        let mut words = vec!["pear", "apple", "fig", "banana", "apple"];
        words.sort_by_key(|w| (w.len(), *w));
        assert_eq!(words, ["fig", "pear", "apple", "apple", "banana"]);
        words.dedup();
        assert_eq!(words.len(), 4);
        let mut array = [1, 2, 3, 4, 5, 6];
        array.rotate_left(bb(2));
        assert_eq!(array, [3, 4, 5, 6, 1, 2]);
        assert_eq!(array.chunks(4).map(|c| c.iter().sum::<i32>()).collect::<Vec<_>>(), [18, 3]);
        assert_eq!(array.iter().copied().max(), Some(6));
        let bytes = bb([0x12u8, 0x34, 0x56, 0x78]);
        assert_eq!(u32::from_be_bytes(bytes), 0x1234_5678);
        assert_eq!(u32::from_le_bytes(bytes), 0x7856_3412);
        let mut big = vec![0u64; 1000];
        for (i, v) in big.iter_mut().enumerate() { *v = (i as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15); }
        big.sort_unstable();
        assert!(big.windows(2).all(|w| w[0] <= w[1]));
    }
}

prizm_test! {
    fn alloc_collections() {
        let mut map = BTreeMap::new();
        for i in 0..500u32 { map.insert(bb(i * 37 % 500), i); }
        assert_eq!(map.len(), 500);
        assert_eq!(map.range(10..15).count(), 5);
        let mut deque: VecDeque<u16> = VecDeque::with_capacity(4);
        for i in 0..100 { if i % 2 == 0 { deque.push_back(i) } else { deque.push_front(i) } }
        assert_eq!(deque.front(), Some(&99));
        assert_eq!(deque.back(), Some(&98));
        let mut heap: BinaryHeap<i64> = (0..300).map(|i| bb(i * 31 % 301)).collect();
        assert_eq!(heap.pop(), Some(300));
        let shared = Rc::new(String::from("shared"));
        let other = Rc::clone(&shared);
        assert_eq!(Rc::strong_count(&other), 2);
        let shapes: Vec<Box<dyn Fn(u32) -> u32>> = vec![Box::new(|x| x + 1), Box::new(|x| x * x)];
        assert_eq!(shapes.iter().map(|f| f(bb(7))).sum::<u32>(), 57);
        let mut text = String::new();
        for i in 0..2000 { text.push(char::from(b'a' + (i % 26) as u8)); }
        assert_eq!(text.len(), 2000);
        assert_eq!(&text[26..29], "abc");
        let mut grow: Vec<u8> = Vec::new();
        for i in 0..100_000u32 { grow.push(i as u8); }
        assert_eq!(grow.iter().map(|&b| b as u32).sum::<u32>(), 12742320);
        grow.truncate(10);
        grow.shrink_to_fit();
        assert_eq!(grow.capacity(), 10);
    }
}

prizm_test! {
    fn constants_keep_their_alignment() {
        // Regression: the backend once placed such literals at odd
        // addresses (a misaligned `mov.w` on the calculator).
        let halves: &[u16] = bb(&[0x41, 0x3042, 0x42, 0, 0x43]);
        let words: &[u32] = bb(&[1, 2, 3]);
        let doubles: &[u64] = bb(&[u64::MAX, 7]);
        assert_eq!(halves.as_ptr() as usize % core::mem::align_of::<u16>(), 0);
        assert_eq!(words.as_ptr() as usize % core::mem::align_of::<u32>(), 0);
        assert_eq!(doubles.as_ptr() as usize % core::mem::align_of::<u64>(), 0);
        assert_eq!(halves.iter().map(|&h| h as u32).sum::<u32>(), 0x3042 + 0x41 + 0x42 + 0x43);
        assert_eq!(words.iter().sum::<u32>() as u64 + doubles[1], 13);
    }
}
