//! SHA-1 and SHA-256 of a file, read in chunks (the file information
//! screen). SHA-1 is RustCrypto's `sha1`; SHA-256 is prizm-lock's, whose
//! compression function is SH-4A assembly on the calculator.

use sha1::{Digest, Sha1};

use super::tree::{FsError, Tree};

/// Bytes hashed per read.
pub const CHUNK: usize = 4096;

/// Both digests of a file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Digests {
    /// SHA-1 (20 bytes).
    pub sha1: [u8; 20],
    /// SHA-256 (32 bytes).
    pub sha256: [u8; 32],
}

/// Hashes file `path`; `stop()` is asked between chunks (None: stopped).
pub fn hash_file(
    tree: &mut dyn Tree,
    path: &str,
    stop: &mut dyn FnMut(usize) -> bool,
) -> Result<Option<Digests>, FsError> {
    let mut buffer = [0u8; CHUNK];
    let mut sha1 = Sha1::new();
    let mut sha256 = prizm_lock::sha256::Sha256::new();
    let mut offset = 0;
    loop {
        let read = tree.read_at(path, offset, &mut buffer)?;
        sha1.update(&buffer[..read]);
        sha256.update(&buffer[..read]);
        offset += read;
        if read < CHUNK {
            break;
        }
        if stop(offset) {
            return Ok(None);
        }
    }
    Ok(Some(Digests {
        sha1: sha1.finalize().into(),
        sha256: sha256.finalize(),
    }))
}

/// Lowercase hexadecimal.
pub fn hex<const N: usize>(bytes: &[u8]) -> heapless::String<N> {
    let mut out = heapless::String::new();
    for byte in bytes {
        let _ = core::fmt::Write::write_fmt(&mut out, format_args!("{byte:02x}"));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::super::tree::memory::MemoryTree;
    use super::*;

    fn digests(data: &[u8]) -> (heapless::String<40>, heapless::String<64>) {
        let mut tree = MemoryTree::new();
        tree.file("\\\\fls0\\f", data);
        let found = hash_file(&mut tree, "\\\\fls0\\f", &mut |_| false).unwrap().unwrap();
        (hex(&found.sha1), hex(&found.sha256))
    }

    #[test]
    fn known_answers() {
        // FIPS 180 examples.
        let (sha1, sha256) = digests(b"abc");
        assert_eq!(sha1, "a9993e364706816aba3e25717850c26c9cd0d89d");
        assert_eq!(sha256, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
        let (sha1, sha256) = digests(b"");
        assert_eq!(sha1, "da39a3ee5e6b4b0d3255bfef95601890afd80709");
        assert_eq!(sha256, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
        // One million 'a's: many chunks, and a length that is not a chunk multiple.
        let (sha1, sha256) = digests(&vec![b'a'; 1_000_000]);
        assert_eq!(sha1, "34aa973cd4c4daa4f61eeb2bdbad27316534016f");
        assert_eq!(sha256, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
    }

    #[test]
    fn exactly_one_chunk() {
        let data = vec![0x5au8; CHUNK];
        let (sha1, _) = digests(&data);
        let mut reference = Sha1::new();
        reference.update(&data);
        assert_eq!(sha1, hex::<40>(&reference.finalize()));
    }

    #[test]
    fn hashing_stops_when_asked() {
        let mut tree = MemoryTree::new();
        tree.file("\\\\fls0\\f", &vec![0u8; CHUNK * 4]);
        let result = hash_file(&mut tree, "\\\\fls0\\f", &mut |done| done >= CHUNK * 2).unwrap();
        assert_eq!(result, None);
    }
}
