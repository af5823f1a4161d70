//! SHA-256, HMAC and PBKDF2 test vectors on the calculator target, where
//! the compression function is the SH-4A assembly routine; run in the
//! emulator by `cargo test --release -p prizm-lock --test device_sha256`.
//! (On the host this file is empty: the same vectors run there as unit
//! tests of `src/sha256.rs`.)
#![cfg_attr(target_os = "none", no_std, no_main)]
#![cfg_attr(target_os = "none", feature(custom_test_frameworks))]
#![cfg_attr(target_os = "none", test_runner(prizm::testing::run_tests))]
#![cfg_attr(target_os = "none", reexport_test_harness_main = "test_main")]

#[cfg(target_os = "none")]
mod on_target {
    use prizm_lock::sha256::{
        compress, compress_portable, digest, hmac, pbkdf2_hmac_sha256, Block, State, Sha256,
        INITIAL_STATE,
    };

    prizm::entry!(run);

    fn run(_calculator: prizm::Calculator) {
        crate::test_main();
    }

    /// Parses hex at compile-time-known lengths (the vectors below).
    fn hex<const N: usize>(text: &str) -> [u8; N] {
        let bytes = text.as_bytes();
        core::array::from_fn(|i| {
            let digit = |c: u8| match c {
                b'0'..=b'9' => c - b'0',
                _ => c - b'a' + 10,
            };
            digit(bytes[2 * i]) << 4 | digit(bytes[2 * i + 1])
        })
    }

    #[test_case]
    fn fips_180_4_examples() {
        assert_eq!(
            digest(b"abc"),
            hex("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        );
        assert_eq!(
            digest(b"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
            hex("248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
        );
        assert_eq!(
            digest(b""),
            hex("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        );
    }

    #[test_case]
    fn a_million_a() {
        let mut hasher = Sha256::new();
        let chunk = [b'a'; 1000];
        for _ in 0..1000 {
            hasher.update(&chunk);
        }
        assert_eq!(
            hasher.finalize(),
            hex("cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
        );
    }

    #[test_case]
    fn assembly_matches_the_portable_rust() {
        // 300 pseudo-random states and blocks (xorshift).
        let mut seed = 0x1234_5678u32;
        let mut next = move || {
            seed ^= seed << 13;
            seed ^= seed >> 17;
            seed ^= seed << 5;
            seed
        };
        let mut state: State = INITIAL_STATE;
        for _ in 0..300 {
            let block: Block = core::array::from_fn(|_| next());
            let mut portable = state;
            compress_portable(&mut portable, &block);
            compress(&mut state, &block);
            assert_eq!(state, portable);
            state[0] ^= next();
        }
        // Extremes: all bits clear, all bits set.
        for fill in [0u32, u32::MAX] {
            let mut assembly = [fill; 8];
            let mut portable = assembly;
            compress(&mut assembly, &[fill; 16]);
            compress_portable(&mut portable, &[fill; 16]);
            assert_eq!(assembly, portable);
        }
    }

    #[test_case]
    fn hmac_rfc_4231() {
        assert_eq!(
            hmac(&[0x0b; 20], b"Hi There"),
            hex("b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7")
        );
        assert_eq!(
            hmac(&[0xaa; 131], b"Test Using Larger Than Block-Size Key - Hash Key First"),
            hex("60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54")
        );
    }

    #[test_case]
    fn pbkdf2_known_answers() {
        let mut out = [0u8; 32];
        pbkdf2_hmac_sha256(b"password", b"salt", 1, &mut out);
        assert_eq!(
            out,
            hex("120fb6cffcf8b32c43e7225256c4f837a86548c92ccc35480805987cb70be17b")
        );
        pbkdf2_hmac_sha256(b"password", b"salt", 4096, &mut out);
        assert_eq!(
            out,
            hex("c5e478d59288c841aa530db6845c4c8d962893a001ce4e11a4963873aa98134a")
        );
        let mut long = [0u8; 64];
        pbkdf2_hmac_sha256(b"passwd", b"salt", 1, &mut long);
        assert_eq!(
            long,
            hex(concat!(
                "55ac046e56e3089fec1691c22544b605f94185216dde0465e68b9d57c20dacbc",
                "49ca9cccf179b645991664b39d77ef317c71b845b1e30bd509112041d3a19783"
            ))
        );
    }
}
