//! Checking a g3a file against every rule of the format (docs/platform.md §1.6).

use std::fmt;

use prizm_platform::bytes::{read_u16, read_u32};
use serde::Serialize;

use crate::checksum;
use crate::error::hex;
use crate::layout::*;
use crate::text::{self, InternalNameCheck};

/// Outcome of one check.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// The file follows the rule.
    Ok,
    /// Not what this toolkit writes, but accepted (for example mkg3a's
    /// 16-bit checksum left 0, or fxgxa's empty version).
    Note,
    /// The file breaks the rule.
    Error,
}

/// One check: what was expected where, and what was found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Check {
    /// Short name of the rule.
    pub name: &'static str,
    /// File offset of the checked bytes, when the rule is about a field.
    pub offset: Option<usize>,
    /// The outcome.
    pub status: Status,
    /// The expected value.
    pub expected: String,
    /// The value found.
    pub found: String,
    /// Explanation for notes and errors.
    pub detail: Option<String>,
}

/// The result of [`verify`]: every check, in file order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Report {
    /// All checks that were made.
    pub checks: Vec<Check>,
}

impl Report {
    /// True when no check is an error (notes are allowed).
    pub fn is_valid(&self) -> bool {
        self.errors().next().is_none()
    }

    /// The failing checks.
    pub fn errors(&self) -> impl Iterator<Item = &Check> {
        self.checks.iter().filter(|c| c.status == Status::Error)
    }

    /// The checks that passed with a note.
    pub fn notes(&self) -> impl Iterator<Item = &Check> {
        self.checks.iter().filter(|c| c.status == Status::Note)
    }

    /// One line: `valid (24 checks, 1 note)` or `INVALID (3 of 24 checks failed, 0 notes)`.
    pub fn summary(&self) -> String {
        let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
        let errors = self.errors().count();
        let notes = plural(self.notes().count(), "note");
        if errors == 0 {
            format!("valid ({}, {notes})", plural(self.checks.len(), "check"))
        } else {
            format!(
                "INVALID ({errors} of {} failed, {notes})",
                plural(self.checks.len(), "check")
            )
        }
    }
}

impl fmt::Display for Check {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let status = match self.status {
            Status::Ok => "ok   ",
            Status::Note => "note ",
            Status::Error => "ERROR",
        };
        let offset = self
            .offset
            .map(|o| format!("{o:#06X}"))
            .unwrap_or_else(|| "      ".into());
        write!(
            f,
            "{status} {offset} {}: expected {}, found {}",
            self.name, self.expected, self.found
        )?;
        if let Some(detail) = &self.detail {
            write!(f, " ({detail})")?;
        }
        Ok(())
    }
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for check in &self.checks {
            writeln!(f, "{check}")?;
        }
        f.write_str(&self.summary())
    }
}

/// Field widths as mkg3a writes them (the widest convention), for reading
/// text to check.
const NAME_FIELD: usize = 0x1C;
const VERSION_FIELD: usize = 12;
const DATE_FIELD: usize = 15;
const INTERNAL_FIELD: usize = 11;
const FILENAME_FIELD: usize = 0x144;

struct Checker<'a> {
    bytes: &'a [u8],
    checks: Vec<Check>,
}

impl Checker<'_> {
    fn push(
        &mut self,
        name: &'static str,
        offset: Option<usize>,
        status: Status,
        expected: String,
        found: String,
        detail: Option<String>,
    ) {
        self.checks.push(Check {
            name,
            offset,
            status,
            expected,
            found,
            detail,
        });
    }

    fn get(&self, offset: usize, len: usize) -> Option<&[u8]> {
        self.bytes.get(offset..offset.checked_add(len)?)
    }

    fn missing(&self) -> String {
        format!("nothing (file ends at {:#X})", self.bytes.len())
    }

    /// Compares raw bytes at `offset` with `expected`.
    fn bytes_equal(
        &mut self,
        name: &'static str,
        offset: usize,
        expected: &[u8],
        failure: Status,
        detail: Option<&str>,
    ) {
        let (status, found) = match self.get(offset, expected.len()) {
            Some(found) if found == expected => (Status::Ok, hex(found)),
            Some(found) => (failure, hex(found)),
            None => (Status::Error, self.missing()),
        };
        let detail = (status != Status::Ok)
            .then(|| detail.map(str::to_owned))
            .flatten();
        self.push(name, Some(offset), status, hex(expected), found, detail);
    }

    fn u32_at(&self, offset: usize) -> Option<u32> {
        self.get(offset, 4).and_then(|b| read_u32(b, 0))
    }

    fn u32_equal(&mut self, name: &'static str, offset: usize, expected: u32, detail: &str) {
        let (status, found) = match self.u32_at(offset) {
            Some(found) if found == expected => (Status::Ok, format!("{found:#010X}")),
            Some(found) => (Status::Error, format!("{found:#010X}")),
            None => (Status::Error, self.missing()),
        };
        let detail = (status != Status::Ok).then(|| detail.to_owned());
        self.push(
            name,
            Some(offset),
            status,
            format!("{expected:#010X}"),
            found,
            detail,
        );
    }

    /// Text at `offset` up to the first NUL within `width` bytes; `None`
    /// when the field lies past the end of the file.
    fn text(&self, offset: usize, width: usize) -> Option<(String, bool)> {
        let field = self.get(offset, width)?;
        let end = field.iter().position(|&b| b == 0);
        let text = String::from_utf8_lossy(&field[..end.unwrap_or(width)]).into_owned();
        Some((text, end.is_some()))
    }
}

/// Checks every rule of the format and reports each one with the expected
/// and found values. Never panics, whatever the input.
///
/// Errors: wrong magic, type byte or fixed sequences, wrong control bytes,
/// sizes or checksums, a trailer that is not a copy of the 32-bit checksum,
/// a payload over 2 MiB, a malformed internal name, version or date. Notes
/// (accepted): a 16-bit checksum left 0 (mkg3a), empty version, date or
/// stored file name (fxgxa), non-zero unknown bytes, unusual names.
pub fn verify(bytes: &[u8]) -> Report {
    let mut c = Checker {
        bytes,
        checks: Vec::new(),
    };
    let len = bytes.len();

    let length_ok = len >= MIN_FILE_LEN;
    c.push(
        "file length",
        None,
        if length_ok { Status::Ok } else { Status::Error },
        format!("at least {MIN_FILE_LEN} bytes (header + trailer)"),
        format!("{len} bytes"),
        (!length_ok).then(|| "file is truncated".into()),
    );
    c.bytes_equal("magic", 0, &MAGIC, Status::Error, Some("not a g3a file"));
    c.bytes_equal(
        "type byte",
        TYPE_OFFSET,
        &[TYPE_ADDIN],
        Status::Error,
        Some("not an add-in; 0xF3 is a g1a"),
    );
    c.bytes_equal("fixed sequence", SEQ1_OFFSET, &SEQ1, Status::Error, None);

    // Derived fields follow the actual length, so truncation shows up here.
    let size = u32::try_from(len).unwrap_or(u32::MAX);
    let (control1, control2) = checksum::control_bytes(size);
    c.bytes_equal(
        "control byte 1",
        CONTROL1_OFFSET,
        &[control1],
        Status::Error,
        Some("(size + 0x41) inverted"),
    );
    c.bytes_equal("fixed byte", SEQ2_OFFSET, &[SEQ2], Status::Error, None);
    c.bytes_equal(
        "inverted file size",
        INVERTED_SIZE_OFFSET,
        &checksum::inverted_size(size),
        Status::Error,
        Some("does not match the file length"),
    );
    c.bytes_equal(
        "control byte 2",
        CONTROL2_OFFSET,
        &[control2],
        Status::Error,
        Some("(size + 0xB8) inverted"),
    );
    c.bytes_equal(
        "unknown byte",
        UNKNOWN_15_OFFSET,
        &[0],
        Status::Note,
        Some("both real tools write 00"),
    );

    let expected16 = checksum::checksum16(bytes);
    match c.get(CHECKSUM16_OFFSET, 2).and_then(|b| read_u16(b, 0)) {
        Some(found) => {
            let (status, detail) = if found == expected16 {
                (Status::Ok, None)
            } else if found == 0 {
                (
                    Status::Note,
                    Some("left 0, as mkg3a does; the OS does not check it".to_owned()),
                )
            } else {
                (
                    Status::Error,
                    Some("inverted word sum of the 16 bytes at 0x7100".to_owned()),
                )
            };
            c.push(
                "16-bit checksum",
                Some(CHECKSUM16_OFFSET),
                status,
                format!("{expected16:#06X}"),
                format!("{found:#06X}"),
                detail,
            );
        }
        None => {
            let found = c.missing();
            c.push(
                "16-bit checksum",
                Some(CHECKSUM16_OFFSET),
                Status::Error,
                format!("{expected16:#06X}"),
                found,
                None,
            );
        }
    }
    c.bytes_equal(
        "unknown bytes",
        UNKNOWN_18_RANGE.start,
        &[0; 8],
        Status::Note,
        Some("both real tools write 00"),
    );

    let expected32 = checksum::checksum32(bytes);
    c.u32_equal(
        "32-bit checksum",
        CHECKSUM32_OFFSET,
        expected32,
        "byte sum of the file outside both checksum fields",
    );
    let trailer_offset = len.saturating_sub(TRAILER_LEN).max(HEADER_LEN);
    c.u32_equal(
        "trailer checksum copy",
        trailer_offset,
        expected32,
        "the last 4 bytes must repeat the 32-bit checksum",
    );
    c.bytes_equal(
        "fixed 01 01",
        SEQ3_OFFSET,
        &SEQ3,
        Status::Error,
        Some("02 02 marks an add-in hidden by the Utilities add-in manager"),
    );
    let payload_len = len.saturating_sub(MIN_FILE_LEN);
    c.u32_equal(
        "payload size",
        PAYLOAD_SIZE_OFFSET,
        payload_len as u32,
        "file length - 0x7004",
    );
    c.u32_equal(
        "file size",
        FILE_SIZE_OFFSET,
        size,
        "does not match the file length",
    );

    let (status, detail) = if payload_len > MAX_PAYLOAD_LEN {
        (
            Status::Error,
            Some("larger than the 2 MiB add-in ROM window".to_owned()),
        )
    } else if payload_len > 1024 * 1024 {
        (
            Status::Note,
            Some("OS 1.01/1.02 load at most 1 MiB".to_owned()),
        )
    } else {
        (Status::Ok, None)
    };
    c.push(
        "payload limit",
        None,
        status,
        format!("at most {MAX_PAYLOAD_LEN} bytes"),
        format!("{payload_len} bytes"),
        detail,
    );

    check_texts(&mut c);
    Report { checks: c.checks }
}

fn check_texts(c: &mut Checker<'_>) {
    let expected_name = "1 to 15 bytes, NUL-terminated in 16".to_owned();
    match c.text(NAME_OFFSET, NAME_FIELD) {
        Some((name, _)) => {
            let (status, detail) = match name.len() {
                0 => (Status::Note, Some("empty name".to_owned())),
                1..=15 => (Status::Ok, None),
                _ => (
                    Status::Note,
                    Some(
                        "longer than fxgxa's 16-byte field; only mkg3a's 28-byte field holds it"
                            .into(),
                    ),
                ),
            };
            c.push(
                "name",
                Some(NAME_OFFSET),
                status,
                expected_name,
                format!("{name:?}"),
                detail,
            );
        }
        None => {
            let found = c.missing();
            c.push(
                "name",
                Some(NAME_OFFSET),
                Status::Error,
                expected_name,
                found,
                None,
            );
        }
    }

    let expected = "@ and up to 9 of A-Z 0-9 _, NUL-terminated".to_owned();
    match c.text(INTERNAL_NAME_OFFSET, INTERNAL_FIELD) {
        Some((name, terminated)) => {
            let (status, detail) = match text::check_internal_name(&name) {
                _ if !terminated => (
                    Status::Error,
                    Some("no NUL within the 11-byte field".to_owned()),
                ),
                InternalNameCheck::Conventional => (Status::Ok, None),
                InternalNameCheck::Unusual(why) => (Status::Note, Some(why)),
                InternalNameCheck::Invalid(why) => (Status::Error, Some(why)),
            };
            c.push(
                "internal name",
                Some(INTERNAL_NAME_OFFSET),
                status,
                expected,
                format!("{name:?}"),
                detail,
            );
        }
        None => {
            let found = c.missing();
            c.push(
                "internal name",
                Some(INTERNAL_NAME_OFFSET),
                Status::Error,
                expected,
                found,
                None,
            );
        }
    }

    if let Some(flag) = c.get(EACTIVITY_OFFSET, 1).map(|b| b[0]) {
        let (status, detail) = if flag <= 1 {
            (Status::Ok, None)
        } else {
            (Status::Note, Some("unusual value; read as set".to_owned()))
        };
        c.push(
            "eActivity flag",
            Some(EACTIVITY_OFFSET),
            status,
            "00 or 01".into(),
            format!("{flag:02X}"),
            detail,
        );
    }

    type FormatCheck = fn(&str) -> Result<(), text::FormatError>;
    let formats: [(&'static str, usize, usize, &str, FormatCheck, &str); 2] = [
        (
            "version",
            VERSION_OFFSET,
            VERSION_FIELD,
            "MM.mm.pppp",
            text::check_version,
            "empty, as fxgxa writes it",
        ),
        (
            "date",
            DATE_OFFSET,
            DATE_FIELD,
            "yyyy.MMdd.hhmm",
            text::check_date,
            "empty date",
        ),
    ];
    for (name, offset, width, form, check, empty_note) in formats {
        let (status, found, detail) = match c.text(offset, width) {
            Some((value, _)) if value.is_empty() => {
                (Status::Note, "\"\"".to_owned(), Some(empty_note.to_owned()))
            }
            Some((value, _)) => match check(&value) {
                Ok(()) => (Status::Ok, format!("{value:?}"), None),
                Err(e) => (Status::Error, format!("{value:?}"), Some(e.0)),
            },
            None => (Status::Error, c.missing(), None),
        };
        c.push(
            name,
            Some(offset),
            status,
            format!("{form} or empty"),
            found,
            detail,
        );
    }

    let (status, found, detail) = match c.text(FILENAME_OFFSET, FILENAME_FIELD) {
        Some((value, _)) if value.is_empty() => (
            Status::Note,
            "\"\"".to_owned(),
            Some("empty, as fxgxa writes it".to_owned()),
        ),
        Some((value, true)) => (Status::Ok, format!("{value:?}"), None),
        Some((value, false)) => (
            Status::Error,
            format!("{value:?}"),
            Some("no NUL within the field".to_owned()),
        ),
        None => (Status::Error, c.missing(), None),
    };
    c.push(
        "stored filename",
        Some(FILENAME_OFFSET),
        status,
        "a file name or empty".into(),
        found,
        detail,
    );
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::G3a;

    fn sample() -> Vec<u8> {
        let mut g3a = G3a::new("Sample", vec![0x5A; 5000]);
        g3a.date = "2026.1123.1200".into();
        g3a.filename = "Sample.g3a".into();
        g3a.to_bytes().unwrap()
    }

    fn status_of(report: &Report, name: &str) -> Status {
        report
            .checks
            .iter()
            .find(|c| c.name == name)
            .unwrap()
            .status
    }

    #[test]
    fn packed_file_is_valid_without_notes() {
        let report = verify(&sample());
        assert!(report.is_valid(), "{report}");
        assert_eq!(report.notes().count(), 0, "{report}");
    }

    #[test]
    fn zero_checksum16_is_a_note() {
        let mut bytes = sample();
        bytes[0x16] = 0;
        bytes[0x17] = 0;
        // Fix the 32-bit checksum so only the 16-bit one differs.
        let sum = checksum::checksum32(&bytes).to_be_bytes();
        bytes[0x20..0x24].copy_from_slice(&sum);
        let n = bytes.len();
        bytes[n - 4..].copy_from_slice(&sum);
        let report = verify(&bytes);
        assert!(report.is_valid(), "{report}");
        assert_eq!(status_of(&report, "16-bit checksum"), Status::Note);
    }

    #[test]
    fn corruption_is_reported_with_values() {
        let mut bytes = sample();
        bytes[0x16] ^= 0x10;
        bytes[0x24] = 2;
        let report = verify(&bytes);
        assert!(!report.is_valid());
        let failing: Vec<&str> = report.errors().map(|c| c.name).collect();
        assert_eq!(
            failing,
            [
                "16-bit checksum",
                "32-bit checksum",
                "trailer checksum copy",
                "fixed 01 01"
            ]
        );
        let text = report.to_string();
        assert!(
            text.contains("ERROR 0x0024 fixed 01 01: expected 01 01, found 02 01"),
            "{text}"
        );
    }

    #[test]
    fn truncation_and_tiny_inputs() {
        let bytes = sample();
        let report = verify(&bytes[..bytes.len() - 10]);
        assert!(!report.is_valid());
        assert_eq!(status_of(&report, "file size"), Status::Error);
        for len in [0, 1, 8, 0x20, 0x60, 0x200, 0x7003] {
            let report = verify(&bytes[..len]);
            assert!(!report.is_valid());
            assert_eq!(status_of(&report, "file length"), Status::Error);
        }
    }
}
