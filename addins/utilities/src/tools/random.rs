//! Random numbers for the password generator and for salts and nonces.
//!
//! [`KeyStream`] is ChaCha20's keystream under a key hashed from an
//! entropy pool (on the calculator: key-press timings, the tick counter,
//! the clock and the device ID, through prizm-lock's pool). [`below`]
//! draws without modulo bias by rejection, so every value of a range is
//! exactly as likely as the source's own output allows.

use chacha20::cipher::{KeyIvInit, StreamCipher};
use chacha20::ChaCha20;

/// A source of uniformly distributed 32-bit words.
pub trait Random {
    /// The next word.
    fn next_u32(&mut self) -> u32;

    /// Fills `out` with random bytes.
    fn fill(&mut self, out: &mut [u8]) {
        for chunk in out.chunks_mut(4) {
            let word = self.next_u32().to_be_bytes();
            chunk.copy_from_slice(&word[..chunk.len()]);
        }
    }
}

/// ChaCha20's keystream as a [`Random`].
pub struct KeyStream {
    cipher: ChaCha20,
}

impl KeyStream {
    /// A stream under `key` (a 256-bit secret; the nonce is fixed since
    /// each key is used once).
    pub fn new(key: &[u8; 32]) -> KeyStream {
        KeyStream {
            cipher: ChaCha20::new(key.into(), &[0u8; 12].into()),
        }
    }
}

impl Random for KeyStream {
    fn next_u32(&mut self) -> u32 {
        let mut word = [0u8; 4];
        self.cipher.apply_keystream(&mut word);
        u32::from_be_bytes(word)
    }
}

/// A uniform value in `0..bound` (0 when `bound` is 0). Words from the
/// top, incomplete stretch of the 32-bit range are thrown away and drawn
/// again, so there is no modulo bias; at most one draw in two is thrown
/// away, and for the small bounds used here about one in 2^26.
pub fn below(random: &mut impl Random, bound: u32) -> u32 {
    if bound == 0 {
        return 0;
    }
    // Accept words below the largest multiple of `bound` up to 2^32.
    let range = 1u64 << 32;
    let limit = range - range % u64::from(bound);
    loop {
        let word = random.next_u32();
        if u64::from(word) < limit {
            return word % bound;
        }
    }
}

#[cfg(test)]
pub mod testing {
    //! A deterministic source for tests.
    use super::Random;

    /// xorshift32: fast and well spread, only for tests.
    pub struct XorShift(pub u32);

    impl Random for XorShift {
        fn next_u32(&mut self) -> u32 {
            let mut x = self.0;
            x ^= x << 13;
            x ^= x >> 17;
            x ^= x << 5;
            self.0 = x;
            x
        }
    }

    /// Replays fixed words, for checking rejection.
    pub struct Script(pub std::vec::Vec<u32>);

    impl Random for Script {
        fn next_u32(&mut self) -> u32 {
            self.0.remove(0)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::testing::{Script, XorShift};
    use super::*;

    #[test]
    fn below_rejects_the_incomplete_top_stretch() {
        // bound 3: 2^32 = 3 * 1431655765 + 1, so only u32::MAX is thrown away.
        let mut script = Script(vec![u32::MAX, 7]);
        assert_eq!(below(&mut script, 3), 1);
        // bound 2^31 + 1: values from 2^31 + 1 upward are thrown away.
        let mut script = Script(vec![0x8000_0001, 0x8000_0000]);
        assert_eq!(below(&mut script, 0x8000_0001), 0x8000_0000);
        let mut script = Script(vec![u32::MAX]);
        assert_eq!(below(&mut script, 1), 0);
        assert_eq!(below(&mut Script(vec![]), 0), 0);
    }

    #[test]
    fn below_is_uniform_over_a_small_range() {
        let mut random = XorShift(0x1234_5678);
        let mut counts = [0u32; 7];
        for _ in 0..70_000 {
            counts[below(&mut random, 7) as usize] += 1;
        }
        for count in counts {
            assert!((9_500..10_500).contains(&count), "{counts:?}");
        }
    }

    #[test]
    fn key_stream_is_chacha20() {
        // RFC 8439 section 2.4.2's key, nonce 0, block 0: keystream of
        // the all-zero key is the well-known 76 b8 e0 ad ...
        let mut stream = KeyStream::new(&[0; 32]);
        assert_eq!(stream.next_u32(), 0x76b8_e0ad);
        let mut bytes = [0u8; 6];
        stream.fill(&mut bytes);
        assert_eq!(bytes, [0xa0, 0xf1, 0x3d, 0x90, 0x40, 0x5d]);
    }
}
