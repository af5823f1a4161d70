//! What the user reads when a picture cannot be shown: the reason in a
//! few words, with the byte where it was found when that helps.

use core::fmt::Write as _;

use prizm_jpeg::{Coding, ColorModel, Error, ErrorKind, Feature, ImageInfo};

/// The [`prizm_jpeg::ReadError::code`] a decode cancelled with AC/ON reports.
pub const CANCELLED_CODE: i32 = -1000;

/// Room for one message.
pub type Message = heapless::String<160>;

/// True when the decode stopped because the user pressed AC/ON.
pub fn is_cancel(error: &Error) -> bool {
    matches!(error.kind, ErrorKind::Read(e) if e.code == CANCELLED_CODE)
}

/// The reason a picture (coded as `coding`, if the headers were read)
/// cannot be shown, for a message box.
pub fn describe(error: &Error, coding: Option<Coding>) -> Message {
    let mut text = Message::new();
    let at = error.offset;
    let _ = match error.kind {
        ErrorKind::Unsupported(feature) => match feature {
            Feature::Arithmetic => write!(text, "arithmetic coding not supported"),
            Feature::Lossless => write!(text, "lossless JPEG not supported"),
            Feature::Hierarchical => write!(text, "hierarchical JPEG not supported"),
            Feature::Precision(bits) => write!(text, "{bits}-bit JPEG not supported (only 8-bit)"),
            Feature::ComponentCount(n) => write!(text, "{n} colour channels not supported"),
            Feature::SamplingRatio => write!(text, "unusual colour sampling not supported"),
            Feature::HeightFromDnl => write!(text, "height given at the end (DNL) not supported"),
        },
        ErrorKind::UnexpectedEnd => write!(text, "file ends early at byte {at}"),
        ErrorKind::ScanTruncated => write!(text, "picture data ends early at byte {at}"),
        ErrorKind::NotJpeg => write!(text, "not a JPEG file"),
        ErrorKind::Malformed(what) => write!(text, "damaged file at byte {at}: {what}"),
        ErrorKind::BadHuffmanCode => write!(text, "damaged picture data at byte {at}"),
        ErrorKind::MissingTable(which) => write!(text, "damaged file: {which} table missing"),
        ErrorKind::TooLarge { .. } | ErrorKind::OutOfMemory { .. } => match coding {
            Some(Coding::Progressive) => write!(text, "progressive JPEG too large for memory"),
            _ => write!(text, "picture too large for memory"),
        },
        ErrorKind::Read(e) if e.code == CANCELLED_CODE => write!(text, "cancelled"),
        ErrorKind::Read(e) => write!(text, "cannot read the file: {}", e.message),
        ErrorKind::BadRequest(what) => write!(text, "cannot show this picture: {what}"),
    };
    text
}

/// Whether an error still left a picture worth showing (rows arrived before it).
pub fn is_partial(error: &Error) -> bool {
    error.rows_output > 0 && !is_cancel(error)
}

/// The colour model and chroma sampling in the usual notation
/// ("YCbCr 4:2:0", "greyscale", "CMYK").
pub fn colour_name(info: &ImageInfo) -> heapless::String<32> {
    let mut text = heapless::String::new();
    let model = match info.color {
        ColorModel::Grayscale => "greyscale",
        ColorModel::YCbCr => "YCbCr",
        ColorModel::Rgb => "RGB",
        ColorModel::Cmyk => "CMYK",
        ColorModel::Ycck => "YCCK",
    };
    let _ = text.push_str(model);
    if info.components >= 3 {
        let _ = text.push(' ');
        let _ = text.push_str(sampling_name(info.sampling[0], info.sampling[1]));
    }
    text
}

/// The J:a:b name of a luma sampling against a chroma sampling.
pub fn sampling_name(luma: (u8, u8), chroma: (u8, u8)) -> &'static str {
    let (h, v) = (
        luma.0.max(1) / chroma.0.max(1),
        luma.1.max(1) / chroma.1.max(1),
    );
    match (h, v) {
        (1, 1) => "4:4:4",
        (2, 1) => "4:2:2",
        (1, 2) => "4:4:0",
        (2, 2) => "4:2:0",
        (4, 1) => "4:1:1",
        (4, 2) => "4:1:0",
        _ => "other sampling",
    }
}

#[cfg(test)]
mod tests {
    extern crate std;
    use super::*;
    use prizm_jpeg::{Decoder, ReadError, SliceSource};
    use std::vec::Vec;

    fn error(kind: ErrorKind, offset: u64) -> Error {
        Error {
            kind,
            offset,
            marker: None,
            rows_output: 0,
        }
    }

    #[test]
    fn each_reason_has_its_own_words() {
        assert_eq!(
            describe(
                &error(ErrorKind::Unsupported(Feature::Arithmetic), 20),
                None
            ),
            "arithmetic coding not supported"
        );
        assert_eq!(
            describe(&error(ErrorKind::UnexpectedEnd, 1234), None),
            "file ends early at byte 1234"
        );
        assert_eq!(
            describe(
                &error(
                    ErrorKind::TooLarge {
                        needed: 1,
                        limit: 0
                    },
                    0
                ),
                Some(Coding::Progressive)
            ),
            "progressive JPEG too large for memory"
        );
        assert_eq!(
            describe(
                &error(ErrorKind::OutOfMemory { needed: 1 }, 0),
                Some(Coding::Baseline)
            ),
            "picture too large for memory"
        );
        assert_eq!(
            describe(&error(ErrorKind::NotJpeg, 0), None),
            "not a JPEG file"
        );
        let cancelled = error(
            ErrorKind::Read(ReadError {
                message: "cancelled",
                code: CANCELLED_CODE,
            }),
            0,
        );
        assert!(is_cancel(&cancelled));
        assert_eq!(describe(&cancelled, None), "cancelled");
        let failed = error(
            ErrorKind::Read(ReadError {
                message: "device error",
                code: -5,
            }),
            0,
        );
        assert!(!is_cancel(&failed));
        assert_eq!(
            describe(&failed, None),
            "cannot read the file: device error"
        );
    }

    #[test]
    fn a_cut_file_says_where_it_ends() {
        // A real decode of a file cut in its headers.
        let mut bytes = Vec::from(&b"\xFF\xD8\xFF\xDB\x00\x43\x00"[..]);
        bytes.extend_from_slice(&[1; 20]);
        let Err(e) = Decoder::new(SliceSource::new(&bytes)) else {
            panic!("decoded a cut file")
        };
        let text = describe(&e, None);
        assert!(text.starts_with("file ends early at byte "), "{text}");
    }

    #[test]
    fn sampling_names() {
        assert_eq!(sampling_name((2, 2), (1, 1)), "4:2:0");
        assert_eq!(sampling_name((2, 1), (1, 1)), "4:2:2");
        assert_eq!(sampling_name((1, 2), (1, 1)), "4:4:0");
        assert_eq!(sampling_name((1, 1), (1, 1)), "4:4:4");
        assert_eq!(sampling_name((4, 1), (1, 1)), "4:1:1");
        assert_eq!(sampling_name((3, 1), (1, 1)), "other sampling");
    }

    #[test]
    fn messages_fit_their_buffer() {
        let long = error(
            ErrorKind::Malformed(
                "a very long description of what is wrong with this file, longer than most",
            ),
            u64::MAX,
        );
        assert!(!describe(&long, None).is_empty());
    }
}
