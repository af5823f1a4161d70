//! A bounded, deterministic fuzz run: mutated fixtures and random buffers
//! must never make `parse` or `verify` panic, and every successful parse
//! must re-serialise (byte-identically when the input verified as valid).
//!
//! The open-ended version is the cargo-fuzz target in `fuzz/`.

mod common;

use common::{g3a_fixtures, Rng};
use g3a::layout::{
    CHECKSUM32_OFFSET, FILE_SIZE_OFFSET, HEADER_LEN, MIN_FILE_LEN, PAYLOAD_SIZE_OFFSET,
};
use g3a::{checksum, parse, verify, Status};

const ITERATIONS: usize = 20_000;

/// Interesting header offsets: fixed fields, computed fields, text fields.
const FIELD_OFFSETS: [usize; 16] = [
    0x00, 0x08, 0x0E, 0x10, 0x14, 0x15, 0x16, 0x20, 0x24, 0x2E, 0x40, 0x5C, 0x60, 0x12B, 0x130,
    0x13C,
];

/// Checks that describe the file's structure; a re-serialised file always
/// passes them, whatever its text fields hold.
const STRUCTURAL: [&str; 14] = [
    "file length",
    "magic",
    "type byte",
    "fixed sequence",
    "control byte 1",
    "fixed byte",
    "inverted file size",
    "control byte 2",
    "16-bit checksum",
    "32-bit checksum",
    "trailer checksum copy",
    "payload size",
    "file size",
    "payload limit",
];

fn mutate(rng: &mut Rng, bytes: &mut Vec<u8>) {
    for _ in 0..1 + rng.below(4) {
        match rng.below(9) {
            0 | 1 if !bytes.is_empty() => {
                let at = rng.below(bytes.len());
                bytes[at] ^= 1 << rng.below(8);
            }
            2 if !bytes.is_empty() => {
                let at = rng.below(bytes.len().min(0x200));
                bytes[at] = rng.byte();
            }
            3 => {
                let len = bytes.len();
                bytes.truncate(rng.below(len + 1));
            }
            4 => {
                let extra = rng.below(64);
                bytes.extend((0..extra).map(|_| rng.byte()));
            }
            5 | 6 => {
                // Corrupt a whole header field with a random or boundary value.
                let at = FIELD_OFFSETS[rng.below(FIELD_OFFSETS.len())];
                let value: u32 = match rng.below(4) {
                    0 => 0,
                    1 => u32::MAX,
                    2 => bytes.len() as u32,
                    _ => rng.next() as u32,
                };
                if let Some(field) = bytes.get_mut(at..at + 4) {
                    field.copy_from_slice(&value.to_be_bytes());
                }
            }
            7 => {
                // Scribble over a text field with printable or arbitrary bytes.
                let at = FIELD_OFFSETS[10 + rng.below(6)];
                for i in 0..rng.below(30) {
                    if let Some(b) = bytes.get_mut(at + i) {
                        *b = if rng.below(2) == 0 {
                            b' ' + rng.below(95) as u8
                        } else {
                            rng.byte()
                        };
                    }
                }
            }
            _ => {}
        }
    }
    // Often repair the size fields and checksums, so mutations reach the
    // code past the structural checks.
    if rng.below(2) == 0 && bytes.len() >= MIN_FILE_LEN {
        let len = bytes.len() as u32;
        bytes[FILE_SIZE_OFFSET..FILE_SIZE_OFFSET + 4].copy_from_slice(&len.to_be_bytes());
        let payload = len - MIN_FILE_LEN as u32;
        bytes[PAYLOAD_SIZE_OFFSET..PAYLOAD_SIZE_OFFSET + 4].copy_from_slice(&payload.to_be_bytes());
        bytes[0x10..0x14].copy_from_slice(&checksum::inverted_size(len));
        let (c1, c2) = checksum::control_bytes(len);
        bytes[0x0E] = c1;
        bytes[0x14] = c2;
        if rng.below(2) == 0 {
            let c16 = checksum::checksum16(bytes);
            bytes[0x16..0x18].copy_from_slice(&c16.to_be_bytes());
        }
        let sum = checksum::checksum32(bytes).to_be_bytes();
        bytes[CHECKSUM32_OFFSET..CHECKSUM32_OFFSET + 4].copy_from_slice(&sum);
        let at = bytes.len() - 4;
        bytes[at..].copy_from_slice(&sum);
    }
}

fn exercise(bytes: &[u8], stats: &mut [usize; 3]) {
    let report = verify(bytes);
    let _ = report.to_string();
    let Ok(g3a) = parse(bytes) else {
        return;
    };
    stats[0] += 1;
    let rebuilt = g3a
        .to_bytes()
        .unwrap_or_else(|e| panic!("a parsed file failed to re-serialise: {e}"));
    let reparsed = parse(&rebuilt).expect("re-serialised file parses");
    assert_eq!(reparsed, g3a, "parse(to_bytes(x)) differs from x");
    let rebuilt_report = verify(&rebuilt);
    for check in &rebuilt_report.checks {
        if STRUCTURAL.contains(&check.name) {
            assert_ne!(
                check.status,
                Status::Error,
                "re-serialised file fails: {check}"
            );
        }
    }
    if report.is_valid() {
        stats[1] += 1;
        assert!(
            rebuilt == bytes,
            "a valid file did not re-serialise byte-identically"
        );
    }
    if rebuilt_report.is_valid() {
        stats[2] += 1;
    }
}

#[test]
fn mutated_inputs_never_panic_and_reserialize() {
    let fixtures: Vec<Vec<u8>> = g3a_fixtures().into_iter().map(|(_, bytes)| bytes).collect();
    let mut rng = Rng::new(0x6733_615F_F022_2026);
    // [parsed, valid inputs, valid after re-serialising]
    let mut stats = [0usize; 3];
    for iteration in 0..ITERATIONS {
        let mut bytes = match iteration % 8 {
            0 => {
                // A random buffer: tiny, around the minimum size, or header-sized.
                let len = match rng.below(3) {
                    0 => rng.below(64),
                    1 => MIN_FILE_LEN - 2 + rng.below(300),
                    _ => rng.below(HEADER_LEN),
                };
                let mut buffer: Vec<u8> = (0..len).map(|_| rng.byte()).collect();
                if rng.below(2) == 0 && buffer.len() >= 9 {
                    buffer[..8].copy_from_slice(&g3a::layout::MAGIC);
                    buffer[8] = g3a::layout::TYPE_ADDIN;
                }
                buffer
            }
            _ => fixtures[rng.below(fixtures.len())].clone(),
        };
        mutate(&mut rng, &mut bytes);
        exercise(&bytes, &mut stats);
    }
    eprintln!(
        "{ITERATIONS} inputs: {} parsed, {} valid, {} valid after re-serialising",
        stats[0], stats[1], stats[2]
    );
    // The run must actually reach the deep paths, not just bounce off the magic.
    assert!(stats[0] > ITERATIONS / 4, "only {} inputs parsed", stats[0]);
    assert!(
        stats[1] > ITERATIONS / 50,
        "only {} inputs were valid",
        stats[1]
    );
    assert!(stats[2] > stats[1], "{stats:?}");
}
