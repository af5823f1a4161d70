//! Errors: what went wrong and where (byte offset, marker segment).

use core::fmt;

/// A failure reported by a [`crate::ByteSource`] (the file API, a slice).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ReadError {
    /// What the source says went wrong.
    pub message: &'static str,
    /// The source's own error code (for example a file-system error number), 0 if none.
    pub code: i32,
}

/// A JPEG feature this decoder does not implement; named in the error message.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Feature {
    /// SOF3: lossless (predictive) coding.
    Lossless,
    /// SOF5–SOF7: hierarchical (differential) frames.
    Hierarchical,
    /// SOF9–SOF15: arithmetic entropy coding.
    Arithmetic,
    /// Sample precision other than 8 bits (12-bit JPEG).
    Precision(u8),
    /// A component count other than 1, 3 or 4.
    ComponentCount(u8),
    /// A sampling factor that does not divide the largest one (e.g. 3 against 2).
    SamplingRatio,
    /// Height 0 in the frame header (given later by a DNL marker).
    HeightFromDnl,
}

impl fmt::Display for Feature {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Feature::Lossless => f.write_str("lossless JPEG (SOF3)"),
            Feature::Hierarchical => f.write_str("hierarchical JPEG (SOF5-SOF7)"),
            Feature::Arithmetic => f.write_str("arithmetic coding (SOF9-SOF15)"),
            Feature::Precision(p) => write!(f, "{p}-bit samples (only 8-bit)"),
            Feature::ComponentCount(n) => write!(f, "{n} colour components (only 1, 3 or 4)"),
            Feature::SamplingRatio => f.write_str("sampling factors that are not integer ratios"),
            Feature::HeightFromDnl => f.write_str("image height given by a DNL marker"),
        }
    }
}

/// What went wrong.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ErrorKind {
    /// The byte source failed.
    Read(ReadError),
    /// The file ended in the middle of something.
    UnexpectedEnd,
    /// The file does not start with the SOI marker.
    NotJpeg,
    /// A valid JPEG using a feature this decoder lacks.
    Unsupported(Feature),
    /// The data breaks the format; the text says which rule.
    Malformed(&'static str),
    /// The entropy-coded data holds a bit pattern that is no code of its table.
    BadHuffmanCode,
    /// A scan refers to a table that was never defined.
    MissingTable(&'static str),
    /// The entropy-coded data of a scan ended before its last block.
    ScanTruncated,
    /// The work would need more memory than the limit allows.
    TooLarge {
        /// Bytes the decode would need.
        needed: u32,
        /// The limit in force.
        limit: u32,
    },
    /// The allocator could not provide the working memory (within the limit).
    OutOfMemory {
        /// Bytes the decode needed.
        needed: u32,
    },
    /// The decoder was asked for something contradictory (e.g. an empty region).
    BadRequest(&'static str),
}

impl fmt::Display for ErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ErrorKind::Read(e) if e.code != 0 => write!(f, "read failed: {} (code {})", e.message, e.code),
            ErrorKind::Read(e) => write!(f, "read failed: {}", e.message),
            ErrorKind::UnexpectedEnd => f.write_str("file ends too early"),
            ErrorKind::NotJpeg => f.write_str("not a JPEG file (no SOI marker)"),
            ErrorKind::Unsupported(what) => write!(f, "unsupported: {what}"),
            ErrorKind::Malformed(what) => write!(f, "malformed: {what}"),
            ErrorKind::BadHuffmanCode => f.write_str("invalid Huffman code in the entropy-coded data"),
            ErrorKind::MissingTable(which) => write!(f, "missing {which} table"),
            ErrorKind::ScanTruncated => f.write_str("entropy-coded data ends before the last block"),
            ErrorKind::TooLarge { needed, limit } => {
                write!(f, "needs {needed} bytes of working memory, limit is {limit}")
            }
            ErrorKind::OutOfMemory { needed } => write!(f, "the allocator could not provide {needed} bytes of working memory"),
            ErrorKind::BadRequest(what) => write!(f, "bad request: {what}"),
        }
    }
}

/// An error with its place in the file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Error {
    /// What went wrong.
    pub kind: ErrorKind,
    /// Byte offset in the file where it was noticed.
    pub offset: u64,
    /// The marker whose segment (or scan) was being read, if any (0xDA for scan data).
    pub marker: Option<u8>,
    /// Image rows already handed to the caller before the error (a partial picture).
    pub rows_output: u32,
}

impl Error {
    pub(crate) fn new(kind: ErrorKind, offset: u64, marker: Option<u8>) -> Self {
        Error { kind, offset, marker, rows_output: 0 }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.kind)?;
        if matches!(self.kind, ErrorKind::TooLarge { .. } | ErrorKind::OutOfMemory { .. } | ErrorKind::BadRequest(_)) {
            return Ok(()); // about the request, not a place in the file
        }
        write!(f, " at byte {}", self.offset)?;
        if let Some(m) = self.marker {
            write!(f, " (in {} segment FF{:02X})", marker_name(m), m)?;
        }
        if self.rows_output > 0 {
            write!(f, "; {} rows were decoded before it", self.rows_output)?;
        }
        Ok(())
    }
}

/// The standard's short name for a marker code.
pub fn marker_name(m: u8) -> &'static str {
    match m {
        0xD8 => "SOI",
        0xD9 => "EOI",
        0xC0 => "SOF0",
        0xC1 => "SOF1",
        0xC2 => "SOF2",
        0xC4 => "DHT",
        0xDB => "DQT",
        0xDD => "DRI",
        0xDA => "SOS",
        0xDC => "DNL",
        0xFE => "COM",
        0xD0..=0xD7 => "RST",
        0xE0..=0xEF => "APP",
        0xC3 | 0xC5..=0xC7 | 0xC9..=0xCB | 0xCD..=0xCF => "SOF",
        _ => "marker",
    }
}

/// Results of this crate.
pub type Result<T> = core::result::Result<T, Error>;
