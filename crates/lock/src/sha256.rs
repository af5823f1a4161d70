//! SHA-256 (FIPS 180-4), HMAC-SHA256 (RFC 2104) and PBKDF2-HMAC-SHA256
//! (RFC 8018), written for the lock's one hot loop: PBKDF2 iterations.
//!
//! Everything works on 32-bit words: the SH-4A is big-endian, so a word
//! loaded from memory is already the big-endian word SHA-256 wants, and
//! a PBKDF2 iteration never converts between bytes and words. On the
//! calculator, [`compress`] is an SH-4A assembly routine
//! (`src/sha256_sh4a.S`, fully unrolled, rotations built from `swap.w` and
//! one-bit rotates); elsewhere it is [`compress_portable`]. The same test
//! vectors run against both (`tests/device_sha256.rs` in the emulator).

/// The hash state: eight 32-bit words.
pub type State = [u32; 8];
/// One 64-byte message block as sixteen big-endian words.
pub type Block = [u32; 16];
/// Bytes of a digest.
pub const DIGEST_LENGTH: usize = 32;
/// Bytes of a message block.
pub const BLOCK_LENGTH: usize = 64;

/// The initial hash value (FIPS 180-4 §5.3.3).
pub const INITIAL_STATE: State = [
    0x6a09_e667,
    0xbb67_ae85,
    0x3c6e_f372,
    0xa54f_f53a,
    0x510e_527f,
    0x9b05_688c,
    0x1f83_d9ab,
    0x5be0_cd19,
];

/// The round constants (FIPS 180-4 §4.2.2). The assembly routine has its
/// own copy; the shared test vectors keep the two equal.
pub const ROUND_CONSTANTS: [u32; 64] = [
    0x428a_2f98, 0x7137_4491, 0xb5c0_fbcf, 0xe9b5_dba5, 0x3956_c25b, 0x59f1_11f1, 0x923f_82a4,
    0xab1c_5ed5, 0xd807_aa98, 0x1283_5b01, 0x2431_85be, 0x550c_7dc3, 0x72be_5d74, 0x80de_b1fe,
    0x9bdc_06a7, 0xc19b_f174, 0xe49b_69c1, 0xefbe_4786, 0x0fc1_9dc6, 0x240c_a1cc, 0x2de9_2c6f,
    0x4a74_84aa, 0x5cb0_a9dc, 0x76f9_88da, 0x983e_5152, 0xa831_c66d, 0xb003_27c8, 0xbf59_7fc7,
    0xc6e0_0bf3, 0xd5a7_9147, 0x06ca_6351, 0x1429_2967, 0x27b7_0a85, 0x2e1b_2138, 0x4d2c_6dfc,
    0x5338_0d13, 0x650a_7354, 0x766a_0abb, 0x81c2_c92e, 0x9272_2c85, 0xa2bf_e8a1, 0xa81a_664b,
    0xc24b_8b70, 0xc76c_51a3, 0xd192_e819, 0xd699_0624, 0xf40e_3585, 0x106a_a070, 0x19a4_c116,
    0x1e37_6c08, 0x2748_774c, 0x34b0_bcb5, 0x391c_0cb3, 0x4ed8_aa4a, 0x5b9c_ca4f, 0x682e_6ff3,
    0x748f_82ee, 0x78a5_636f, 0x84c8_7814, 0x8cc7_0208, 0x90be_fffa, 0xa450_6ceb, 0xbef9_a3f7,
    0xc671_78f2,
];

#[cfg(target_os = "none")]
unsafe extern "C" {
    /// `src/sha256_sh4a.S`: one SHA-256 compression, in place.
    fn prizm_lock_sha256_compress(state: *mut u32, block: *const u32);
}

/// Runs the compression function on one block: SH-4A assembly on the
/// calculator, [`compress_portable`] elsewhere.
#[inline]
pub fn compress(state: &mut State, block: &Block) {
    #[cfg(target_os = "none")]
    // SAFETY: the routine reads 16 words from `block` and reads then writes
    // 8 words of `state`, both valid and 4-byte aligned by their types; it
    // follows the SH calling convention (saves r8–r14 and PR it uses).
    unsafe {
        prizm_lock_sha256_compress(state.as_mut_ptr(), block.as_ptr())
    }
    #[cfg(not(target_os = "none"))]
    compress_portable(state, block)
}

/// The compression function in plain Rust (FIPS 180-4 §6.2.2), with the
/// message schedule kept in a rolling 16-word window.
pub fn compress_portable(state: &mut State, block: &Block) {
    let mut window = *block;
    let [mut a, mut b, mut c, mut d, mut e, mut f, mut g, mut h] = *state;
    for (round, &constant) in ROUND_CONSTANTS.iter().enumerate() {
        let slot = round % 16;
        if round >= 16 {
            let w15 = window[(round + 1) % 16];
            let w2 = window[(round + 14) % 16];
            let sigma0 = w15.rotate_right(7) ^ w15.rotate_right(18) ^ (w15 >> 3);
            let sigma1 = w2.rotate_right(17) ^ w2.rotate_right(19) ^ (w2 >> 10);
            window[slot] = window[slot]
                .wrapping_add(sigma0)
                .wrapping_add(window[(round + 9) % 16])
                .wrapping_add(sigma1);
        }
        let big_sigma1 = e.rotate_right(6) ^ e.rotate_right(11) ^ e.rotate_right(25);
        let choose = g ^ (e & (f ^ g));
        let t1 = h
            .wrapping_add(big_sigma1)
            .wrapping_add(choose)
            .wrapping_add(constant)
            .wrapping_add(window[slot]);
        let big_sigma0 = a.rotate_right(2) ^ a.rotate_right(13) ^ a.rotate_right(22);
        let majority = (a & b) | (c & (a | b));
        let t2 = big_sigma0.wrapping_add(majority);
        h = g;
        g = f;
        f = e;
        e = d.wrapping_add(t1);
        d = c;
        c = b;
        b = a;
        a = t1.wrapping_add(t2);
    }
    for (word, value) in state.iter_mut().zip([a, b, c, d, e, f, g, h]) {
        *word = word.wrapping_add(value);
    }
}

/// Reads 64 bytes as a block of big-endian words.
fn block_from_bytes(bytes: &[u8; BLOCK_LENGTH]) -> Block {
    core::array::from_fn(|i| {
        u32::from_be_bytes([
            bytes[4 * i],
            bytes[4 * i + 1],
            bytes[4 * i + 2],
            bytes[4 * i + 3],
        ])
    })
}

/// Writes the state as the 32-byte digest.
pub fn state_to_bytes(state: &State) -> [u8; DIGEST_LENGTH] {
    let mut out = [0u8; DIGEST_LENGTH];
    for (chunk, word) in out.chunks_exact_mut(4).zip(state) {
        chunk.copy_from_slice(&word.to_be_bytes());
    }
    out
}

/// An incremental SHA-256 computation.
#[derive(Clone)]
pub struct Sha256 {
    state: State,
    buffer: [u8; BLOCK_LENGTH],
    buffered: usize,
    /// Bytes hashed so far (the padding records it in bits).
    length: u64,
}

impl Default for Sha256 {
    fn default() -> Self {
        Sha256::new()
    }
}

impl Sha256 {
    /// A computation over no bytes yet.
    pub const fn new() -> Self {
        Sha256 {
            state: INITIAL_STATE,
            buffer: [0; BLOCK_LENGTH],
            buffered: 0,
            length: 0,
        }
    }

    /// Starts from a state after `blocks` whole blocks (an HMAC midstate).
    const fn resume(state: State, blocks: u64) -> Self {
        Sha256 {
            state,
            buffer: [0; BLOCK_LENGTH],
            buffered: 0,
            length: blocks * BLOCK_LENGTH as u64,
        }
    }

    /// Hashes more bytes.
    pub fn update(&mut self, mut data: &[u8]) {
        self.length = self.length.wrapping_add(data.len() as u64);
        if self.buffered > 0 {
            let take = (BLOCK_LENGTH - self.buffered).min(data.len());
            self.buffer[self.buffered..self.buffered + take].copy_from_slice(&data[..take]);
            self.buffered += take;
            data = &data[take..];
            if self.buffered < BLOCK_LENGTH {
                return;
            }
            compress(&mut self.state, &block_from_bytes(&self.buffer));
            self.buffered = 0;
        }
        let mut blocks = data.chunks_exact(BLOCK_LENGTH);
        for chunk in &mut blocks {
            let mut bytes = [0u8; BLOCK_LENGTH];
            bytes.copy_from_slice(chunk);
            compress(&mut self.state, &block_from_bytes(&bytes));
        }
        let rest = blocks.remainder();
        self.buffer[..rest.len()].copy_from_slice(rest);
        self.buffered = rest.len();
    }

    /// Pads and returns the final state (as words).
    fn finish(mut self) -> State {
        let bits = self.length.wrapping_mul(8);
        let mut padding = [0u8; BLOCK_LENGTH + 8];
        padding[0] = 0x80;
        // Pad to 56 bytes modulo 64, then the 8-byte bit length.
        let zeros = (BLOCK_LENGTH + 55 - self.buffered) % BLOCK_LENGTH;
        self.update(&padding[..1 + zeros]);
        padding[..8].copy_from_slice(&bits.to_be_bytes());
        self.update(&padding[..8]);
        self.state
    }

    /// The digest of everything hashed.
    pub fn finalize(self) -> [u8; DIGEST_LENGTH] {
        state_to_bytes(&self.finish())
    }
}

/// SHA-256 of `data`.
pub fn digest(data: &[u8]) -> [u8; DIGEST_LENGTH] {
    let mut hasher = Sha256::new();
    hasher.update(data);
    hasher.finalize()
}

/// An HMAC-SHA256 key, kept as the two states after hashing the padded
/// key (the "midstates"), so each MAC costs two fewer compressions.
#[derive(Clone)]
pub struct HmacKey {
    inner: State,
    outer: State,
}

impl HmacKey {
    /// Prepares `key` (hashed first when longer than a block).
    pub fn new(key: &[u8]) -> Self {
        let mut padded = [0u8; BLOCK_LENGTH];
        if key.len() > BLOCK_LENGTH {
            padded[..DIGEST_LENGTH].copy_from_slice(&digest(key));
        } else {
            padded[..key.len()].copy_from_slice(key);
        }
        let mut inner = INITIAL_STATE;
        let mut outer = INITIAL_STATE;
        let mut pad = padded.map(|byte| byte ^ 0x36);
        compress(&mut inner, &block_from_bytes(&pad));
        pad = padded.map(|byte| byte ^ 0x5c);
        compress(&mut outer, &block_from_bytes(&pad));
        crate::secret::wipe(&mut padded);
        crate::secret::wipe(&mut pad);
        HmacKey { inner, outer }
    }

    /// HMAC-SHA256 of `message`.
    pub fn mac(&self, message: &[u8]) -> [u8; DIGEST_LENGTH] {
        let mut inner = Sha256::resume(self.inner, 1);
        inner.update(message);
        let inner_digest = inner.finalize();
        let mut outer = Sha256::resume(self.outer, 1);
        outer.update(&inner_digest);
        outer.finalize()
    }

    /// HMAC-SHA256 of a 32-byte message given as words, as words: the
    /// PBKDF2 iteration, two compressions and no byte handling.
    #[inline]
    pub fn mac_digest_words(&self, message: &State) -> State {
        // A 32-byte message after the 64-byte key block: one block holds
        // it, the 0x80 marker and the length, 96 bytes = 768 bits.
        let mut block: Block = [0; 16];
        block[..8].copy_from_slice(message);
        block[8] = 0x8000_0000;
        block[15] = 768;
        let mut inner = self.inner;
        compress(&mut inner, &block);
        block[..8].copy_from_slice(&inner);
        let mut outer = self.outer;
        compress(&mut outer, &block);
        outer
    }
}

/// HMAC-SHA256(`key`, `message`).
pub fn hmac(key: &[u8], message: &[u8]) -> [u8; DIGEST_LENGTH] {
    HmacKey::new(key).mac(message)
}

/// PBKDF2-HMAC-SHA256(`password`, `salt`, `iterations`) filling `out`
/// (RFC 8018 §5.2). `iterations` of 0 counts as 1; `salt` must be at
/// most 60 bytes (the lock's salts are 24), longer salts are cut there.
pub fn pbkdf2_hmac_sha256(password: &[u8], salt: &[u8], iterations: u32, out: &mut [u8]) {
    const MAX_SALT: usize = 60;
    let key = HmacKey::new(password);
    let salt = &salt[..salt.len().min(MAX_SALT)];
    let mut first_message = [0u8; MAX_SALT + 4];
    for (index, chunk) in out.chunks_mut(DIGEST_LENGTH).enumerate() {
        let block_number = (index as u32).wrapping_add(1);
        first_message[..salt.len()].copy_from_slice(salt);
        first_message[salt.len()..salt.len() + 4].copy_from_slice(&block_number.to_be_bytes());
        let first = key.mac(&first_message[..salt.len() + 4]);
        let mut u: State = core::array::from_fn(|i| {
            u32::from_be_bytes([
                first[4 * i],
                first[4 * i + 1],
                first[4 * i + 2],
                first[4 * i + 3],
            ])
        });
        let mut total = u;
        for _ in 1..iterations {
            u = key.mac_digest_words(&u);
            for (sum, word) in total.iter_mut().zip(&u) {
                *sum ^= word;
            }
        }
        let bytes = state_to_bytes(&total);
        chunk.copy_from_slice(&bytes[..chunk.len()]);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::vec::Vec;

    fn hex(text: &str) -> Vec<u8> {
        (0..text.len())
            .step_by(2)
            .map(|i| u8::from_str_radix(&text[i..i + 2], 16).unwrap())
            .collect()
    }

    #[test]
    fn fips_180_4_examples() {
        assert_eq!(
            digest(b"abc").to_vec(),
            hex("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        );
        assert_eq!(
            digest(b"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq").to_vec(),
            hex("248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
        );
        assert_eq!(
            digest(b"").to_vec(),
            hex("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        );
    }

    #[test]
    fn a_million_a_in_uneven_pieces() {
        let mut hasher = Sha256::new();
        let chunk = [b'a'; 997];
        let mut left = 1_000_000usize;
        while left > 0 {
            let take = left.min(chunk.len());
            hasher.update(&chunk[..take]);
            left -= take;
        }
        assert_eq!(
            hasher.finalize().to_vec(),
            hex("cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
        );
    }

    #[test]
    fn every_padding_length() {
        // Lengths around the block and padding boundaries hashed whole and
        // byte by byte agree.
        let data: Vec<u8> = (0..200u32).map(|i| (i * 7 + 3) as u8).collect();
        for length in 0..data.len() {
            let mut bytewise = Sha256::new();
            for byte in &data[..length] {
                bytewise.update(core::slice::from_ref(byte));
            }
            assert_eq!(bytewise.finalize(), digest(&data[..length]), "{length}");
        }
        // 55 and 56 bytes: the last length that fits one block, the first
        // that needs two (published values).
        assert_eq!(
            digest(&[b'a'; 55]).to_vec(),
            hex("9f4390f8d30c2dd92ec9f095b65e2b9ae9b0a925a5258e241c9f1e910f734318")
        );
        assert_eq!(
            digest(&[b'a'; 56]).to_vec(),
            hex("b35439a4ac6f0948b6d6f9e3c6af0f5f590ce20f1bde7090ef7970686ec6738a")
        );
    }

    #[test]
    fn hmac_rfc_4231() {
        // Test cases 1, 2 and 6 (a key longer than a block).
        assert_eq!(
            hmac(&[0x0b; 20], b"Hi There").to_vec(),
            hex("b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7")
        );
        assert_eq!(
            hmac(b"Jefe", b"what do ya want for nothing?").to_vec(),
            hex("5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843")
        );
        assert_eq!(
            hmac(
                &[0xaa; 131],
                b"Test Using Larger Than Block-Size Key - Hash Key First"
            )
            .to_vec(),
            hex("60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54")
        );
    }

    fn pbkdf2(password: &[u8], salt: &[u8], iterations: u32, length: usize) -> Vec<u8> {
        let mut out = alloc::vec![0u8; length];
        pbkdf2_hmac_sha256(password, salt, iterations, &mut out);
        out
    }

    #[test]
    fn pbkdf2_known_answers() {
        // The widely published PBKDF2-HMAC-SHA256 vectors for "password"
        // and "salt" (the RFC 6070 inputs with SHA-256).
        assert_eq!(
            pbkdf2(b"password", b"salt", 1, 32),
            hex("120fb6cffcf8b32c43e7225256c4f837a86548c92ccc35480805987cb70be17b")
        );
        assert_eq!(
            pbkdf2(b"password", b"salt", 2, 32),
            hex("ae4d0c95af6b46d32d0adff928f06dd02a303f8ef3c251dfd6e2d85a95474c43")
        );
        assert_eq!(
            pbkdf2(b"password", b"salt", 4096, 32),
            hex("c5e478d59288c841aa530db6845c4c8d962893a001ce4e11a4963873aa98134a")
        );
        assert_eq!(
            pbkdf2(
                b"passwordPASSWORDpassword",
                b"saltSALTsaltSALTsaltSALTsaltSALTsalt",
                4096,
                40
            ),
            hex("348c89dbcbd32b2f32d814b8116e84cf2b17347ebc1800181c4e2a1fb8dd53e1c635518c7dac47e9")
        );
        // RFC 7914 §11: "passwd", "salt", c = 1, 64 bytes (two blocks).
        assert_eq!(
            pbkdf2(b"passwd", b"salt", 1, 64),
            hex(concat!(
                "55ac046e56e3089fec1691c22544b605f94185216dde0465e68b9d57c20dacbc",
                "49ca9cccf179b645991664b39d77ef317c71b845b1e30bd509112041d3a19783"
            ))
        );
    }

    #[test]
    fn the_word_iteration_is_an_hmac() {
        let key = HmacKey::new(b"1234");
        let message: State = core::array::from_fn(|i| 0x0102_0304u32.wrapping_mul(i as u32 + 1));
        let words = key.mac_digest_words(&message);
        assert_eq!(state_to_bytes(&words), key.mac(&state_to_bytes(&message)));
    }
}
