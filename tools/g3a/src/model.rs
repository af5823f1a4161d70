//! The g3a file model: parsing and serialising.

use serde::{Deserialize, Serialize};

use crate::checksum;
use crate::icon::Icon;
use crate::layout::{capacity, *};
use crate::text;
use crate::Error;

/// The eight localized-name slots, in file order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Language {
    /// English.
    En,
    /// Spanish.
    Es,
    /// German.
    De,
    /// French.
    Fr,
    /// Portuguese.
    Pt,
    /// Chinese.
    Zh,
    /// Unknown slot 1.
    Un1,
    /// Unknown slot 2.
    Un2,
}

impl Language {
    /// All slots in file order.
    pub const ALL: [Language; 8] = [
        Language::En,
        Language::Es,
        Language::De,
        Language::Fr,
        Language::Pt,
        Language::Zh,
        Language::Un1,
        Language::Un2,
    ];

    /// The slot's short code (`en`, `es`, …, `un2`).
    pub fn code(self) -> &'static str {
        ["en", "es", "de", "fr", "pt", "zh", "un1", "un2"][self.index()]
    }

    /// The slot with the given short code.
    pub fn from_code(code: &str) -> Option<Language> {
        Language::ALL.into_iter().find(|l| l.code() == code)
    }

    /// Position of the slot in the file (0..8).
    pub fn index(self) -> usize {
        self as usize
    }

    /// File offset of the slot.
    pub fn offset(self) -> usize {
        LOCALIZED_NAMES_OFFSET + self.index() * LOCALIZED_NAME_SLOT
    }
}

/// The add-in's names: the basic name at 0x40 and the eight localized names.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Names {
    /// The basic name (at most 15 bytes).
    pub basic: String,
    /// Localized names indexed by [`Language::index`] (each at most 23 bytes).
    pub localized: [String; 8],
}

impl Names {
    /// `name` as the basic name and in every language slot, as both real
    /// tools do when no localized names are given.
    pub fn uniform(name: &str) -> Names {
        Names {
            basic: name.to_owned(),
            localized: std::array::from_fn(|_| name.to_owned()),
        }
    }

    /// The name for one language slot.
    pub fn get(&self, language: Language) -> &str {
        &self.localized[language.index()]
    }

    /// Sets the name for one language slot.
    pub fn set(&mut self, language: Language, name: impl Into<String>) {
        self.localized[language.index()] = name.into();
    }
}

/// What to store in the 16-bit checksum field at 0x16.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Checksum16 {
    /// The inverted word sum of the 16 bytes at 0x7100, as fxgxa writes it.
    #[default]
    Computed,
    /// 0, as mkg3a leaves it ("leave 0 to ignore").
    Zero,
}

/// Raw bytes to place in the header over what the model's fields produce.
///
/// Parsing records every header byte the model does not reproduce (unknown
/// areas, eActivity data, bytes after a name's NUL, non-UTF-8 text…) as
/// patches, so re-serialising a valid file gives it back byte for byte.
/// Patches may not touch the fields the writer computes (magic, type byte,
/// fixed sequences, control bytes, sizes and checksums).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HeaderPatch {
    /// Header offset of the first byte.
    pub offset: usize,
    /// The bytes to store.
    pub bytes: Vec<u8>,
}

/// A g3a add-in: everything needed to write the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct G3a {
    /// Basic and localized names.
    pub names: Names,
    /// Internal name, `@` followed by upper-case letters or digits (at most 10 bytes).
    pub internal_name: String,
    /// Version, `MM.mm.pppp`, or empty (fxgxa leaves it empty).
    pub version: String,
    /// Build date, `yyyy.MMdd.hhmm`.
    pub date: String,
    /// Stored file name (for example `Hello.g3a`), or empty (fxgxa).
    pub filename: String,
    /// Whether the add-in may be used as an eActivity strip (byte 0x12B).
    pub eactivity: bool,
    /// Menu icon when not selected.
    pub icon_unselected: Icon,
    /// Menu icon when selected.
    pub icon_selected: Icon,
    /// The code image mapped at 0x00300000.
    pub payload: Vec<u8>,
    /// How the 16-bit checksum is written.
    pub checksum16: Checksum16,
    /// Raw header bytes applied over the fields above; see [`HeaderPatch`].
    pub header_patches: Vec<HeaderPatch>,
}

/// Parses a g3a file; never panics. See [`G3a::parse`].
pub fn parse(bytes: &[u8]) -> Result<G3a, Error> {
    G3a::parse(bytes)
}

/// The fields of text stored in the header: name for messages, offset, capacity.
fn text_fields(g3a: &G3a) -> Vec<(String, usize, usize, &str)> {
    let mut fields = vec![
        (
            "name".to_owned(),
            NAME_OFFSET,
            capacity::NAME,
            g3a.names.basic.as_str(),
        ),
        (
            "internal name".to_owned(),
            INTERNAL_NAME_OFFSET,
            capacity::INTERNAL_NAME,
            g3a.internal_name.as_str(),
        ),
        (
            "version".to_owned(),
            VERSION_OFFSET,
            capacity::VERSION,
            g3a.version.as_str(),
        ),
        (
            "date".to_owned(),
            DATE_OFFSET,
            capacity::DATE,
            g3a.date.as_str(),
        ),
        (
            "filename".to_owned(),
            FILENAME_OFFSET,
            capacity::FILENAME,
            g3a.filename.as_str(),
        ),
    ];
    for language in Language::ALL {
        fields.push((
            format!("name ({})", language.code()),
            language.offset(),
            capacity::LOCALIZED_NAME,
            g3a.names.get(language),
        ));
    }
    fields
}

fn in_computed_range(offset: usize) -> bool {
    COMPUTED_RANGES.iter().any(|range| range.contains(&offset))
}

impl G3a {
    /// A new add-in called `name` (in every language slot) with the given
    /// payload and defaults elsewhere: internal name derived from the name,
    /// version `01.00.0000`, no date or file name, the default icons and a
    /// computed 16-bit checksum.
    pub fn new(name: &str, payload: Vec<u8>) -> G3a {
        let (icon_unselected, icon_selected) = crate::default_icon::default_icons(name);
        G3a {
            names: Names::uniform(name),
            internal_name: text::default_internal_name(name),
            version: "01.00.0000".into(),
            date: String::new(),
            filename: String::new(),
            eactivity: false,
            icon_unselected,
            icon_selected,
            payload,
            checksum16: Checksum16::Computed,
            header_patches: Vec::new(),
        }
    }

    /// Parses a g3a file.
    ///
    /// Requires a complete file of the add-in type whose recorded size (0x5C)
    /// matches its length and whose payload fits 2 MiB. Checksums are not
    /// checked here (use [`crate::verify`]), so damaged files can still be
    /// read and repaired. Never panics, whatever the input.
    pub fn parse(bytes: &[u8]) -> Result<G3a, Error> {
        if bytes.len() < MIN_FILE_LEN {
            return Err(Error::Truncated { len: bytes.len() });
        }
        if bytes[..MAGIC.len()] != MAGIC {
            return Err(Error::BadMagic {
                found: bytes[..MAGIC.len()].to_vec(),
            });
        }
        if bytes[TYPE_OFFSET] != TYPE_ADDIN {
            return Err(Error::NotAnAddin {
                found: bytes[TYPE_OFFSET],
            });
        }
        let recorded = read_u32(bytes, FILE_SIZE_OFFSET);
        if recorded as usize != bytes.len() {
            return Err(Error::SizeMismatch {
                recorded,
                actual: bytes.len(),
            });
        }
        let payload_len = bytes.len() - MIN_FILE_LEN;
        if payload_len > MAX_PAYLOAD_LEN {
            return Err(Error::PayloadTooLarge {
                len: payload_len,
                max: MAX_PAYLOAD_LEN,
            });
        }

        let field = |offset: usize, cap: usize| text::read_field(&bytes[offset..], cap);
        let mut names = Names {
            basic: field(NAME_OFFSET, capacity::NAME),
            ..Names::default()
        };
        for language in Language::ALL {
            names.set(language, field(language.offset(), capacity::LOCALIZED_NAME));
        }
        let icon = |offset: usize| Icon::from_be_bytes(&bytes[offset..offset + ICON_LEN]);
        let (Some(icon_unselected), Some(icon_selected)) =
            (icon(ICON_UNSELECTED_OFFSET), icon(ICON_SELECTED_OFFSET))
        else {
            return Err(Error::Truncated { len: bytes.len() });
        };
        let stored16 = u16::from_be_bytes([bytes[CHECKSUM16_OFFSET], bytes[CHECKSUM16_OFFSET + 1]]);
        let checksum16 = if stored16 == 0 && checksum::checksum16(bytes) != 0 {
            Checksum16::Zero
        } else {
            Checksum16::Computed
        };

        let mut g3a = G3a {
            names,
            internal_name: field(INTERNAL_NAME_OFFSET, capacity::INTERNAL_NAME),
            version: field(VERSION_OFFSET, capacity::VERSION),
            date: field(DATE_OFFSET, capacity::DATE),
            filename: field(FILENAME_OFFSET, capacity::FILENAME),
            eactivity: bytes[EACTIVITY_OFFSET] != 0,
            icon_unselected,
            icon_selected,
            payload: bytes[HEADER_LEN..bytes.len() - TRAILER_LEN].to_vec(),
            checksum16,
            header_patches: Vec::new(),
        };
        let mut canonical = vec![0u8; HEADER_LEN];
        g3a.write_fields(&mut canonical)?;
        g3a.header_patches = diff_header(&canonical, &bytes[..HEADER_LEN]);
        Ok(g3a)
    }

    /// Length of the file [`G3a::to_bytes`] produces.
    pub fn file_len(&self) -> usize {
        HEADER_LEN + self.payload.len() + TRAILER_LEN
    }

    /// Serialises the add-in, computing every derived field: the fixed
    /// sequences, control bytes (0x0E, 0x14), inverted size (0x10), sizes
    /// (0x2E, 0x5C), the 16-bit checksum (0x16) and the 32-bit checksum
    /// (0x20 and the last 4 bytes). Bytes 0x15 and 0x18–0x1F are written as
    /// 00, like both real tools.
    ///
    /// Fails if a text field does not fit, the payload exceeds 2 MiB or a
    /// header patch is out of place.
    pub fn to_bytes(&self) -> Result<Vec<u8>, Error> {
        if self.payload.len() > MAX_PAYLOAD_LEN {
            return Err(Error::PayloadTooLarge {
                len: self.payload.len(),
                max: MAX_PAYLOAD_LEN,
            });
        }
        let file_len = self.file_len();
        let size = file_len as u32; // ≤ 2 MiB + 0x7004, fits.
        let mut file = vec![0u8; file_len];
        self.write_fields(&mut file[..HEADER_LEN])?;
        for patch in &self.header_patches {
            let end = patch.offset.checked_add(patch.bytes.len());
            let reason = match end {
                Some(end) if end <= HEADER_LEN => (patch.offset..end)
                    .any(in_computed_range)
                    .then_some("overlaps a computed field"),
                _ => Some("extends past the 0x7000-byte header"),
            };
            if let Some(reason) = reason {
                return Err(Error::HeaderPatch {
                    offset: patch.offset,
                    len: patch.bytes.len(),
                    reason,
                });
            }
            file[patch.offset..patch.offset + patch.bytes.len()].copy_from_slice(&patch.bytes);
        }
        file[HEADER_LEN..file_len - TRAILER_LEN].copy_from_slice(&self.payload);

        file[..MAGIC.len()].copy_from_slice(&MAGIC);
        file[TYPE_OFFSET] = TYPE_ADDIN;
        file[SEQ1_OFFSET..SEQ1_OFFSET + SEQ1.len()].copy_from_slice(&SEQ1);
        let (control1, control2) = checksum::control_bytes(size);
        file[CONTROL1_OFFSET] = control1;
        file[SEQ2_OFFSET] = SEQ2;
        file[INVERTED_SIZE_OFFSET..INVERTED_SIZE_OFFSET + 4]
            .copy_from_slice(&checksum::inverted_size(size));
        file[CONTROL2_OFFSET] = control2;
        let payload_size = size - MIN_FILE_LEN as u32;
        file[PAYLOAD_SIZE_OFFSET..PAYLOAD_SIZE_OFFSET + 4]
            .copy_from_slice(&payload_size.to_be_bytes());
        file[FILE_SIZE_OFFSET..FILE_SIZE_OFFSET + 4].copy_from_slice(&size.to_be_bytes());
        let checksum16 = match self.checksum16 {
            Checksum16::Computed => checksum::checksum16(&file),
            Checksum16::Zero => 0,
        };
        file[CHECKSUM16_OFFSET..CHECKSUM16_OFFSET + 2].copy_from_slice(&checksum16.to_be_bytes());
        let checksum32 = checksum::checksum32(&file).to_be_bytes();
        file[CHECKSUM32_OFFSET..CHECKSUM32_OFFSET + 4].copy_from_slice(&checksum32);
        file[file_len - TRAILER_LEN..].copy_from_slice(&checksum32);
        Ok(file)
    }

    /// Writes the model's own fields (text, flags, fixed `01 01`, icons) into
    /// a zeroed header; computed fields are left for [`G3a::to_bytes`].
    fn write_fields(&self, header: &mut [u8]) -> Result<(), Error> {
        for (name, offset, cap, value) in text_fields(self) {
            text::check_fits(value, cap).map_err(|e| Error::Field {
                field: name,
                reason: e.0,
            })?;
            header[offset..offset + value.len()].copy_from_slice(value.as_bytes());
        }
        header[EACTIVITY_OFFSET] = u8::from(self.eactivity);
        header[SEQ3_OFFSET..SEQ3_OFFSET + 2].copy_from_slice(&SEQ3);
        self.icon_unselected
            .write_be_bytes(&mut header[ICON_UNSELECTED_OFFSET..ICON_UNSELECTED_OFFSET + ICON_LEN]);
        self.icon_selected
            .write_be_bytes(&mut header[ICON_SELECTED_OFFSET..ICON_SELECTED_OFFSET + ICON_LEN]);
        Ok(())
    }
}

/// The big-endian field at `offset`; callers check the length first, so a
/// short buffer (0) cannot pass for a real value.
fn read_u32(bytes: &[u8], offset: usize) -> u32 {
    prizm_platform::bytes::read_u32(bytes, offset).unwrap_or(0)
}

/// Runs of header bytes where `actual` differs from `canonical`, outside the
/// computed fields. Runs separated by fewer than 8 equal bytes are merged to
/// keep the list short.
fn diff_header(canonical: &[u8], actual: &[u8]) -> Vec<HeaderPatch> {
    const MERGE_GAP: usize = 8;
    let mut patches: Vec<HeaderPatch> = Vec::new();
    let mut last_end: Option<usize> = None;
    for offset in 0..canonical.len().min(actual.len()) {
        if in_computed_range(offset) {
            last_end = None; // never merge across a computed field
            continue;
        }
        if canonical[offset] == actual[offset] {
            continue;
        }
        match (last_end, patches.last_mut()) {
            (Some(end), Some(patch)) if offset - end < MERGE_GAP => {
                patch.bytes.extend_from_slice(&actual[end..=offset]);
            }
            _ => patches.push(HeaderPatch {
                offset,
                bytes: vec![actual[offset]],
            }),
        }
        last_end = Some(offset + 1);
    }
    patches
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> G3a {
        let mut g3a = G3a::new("Sample", (0..5000u32).map(|i| (i * 7 + 3) as u8).collect());
        g3a.date = "2026.1123.1200".into();
        g3a.filename = "Sample.g3a".into();
        g3a
    }

    #[test]
    fn computed_fields() {
        let bytes = sample().to_bytes().unwrap();
        assert_eq!(bytes.len(), 0x7000 + 5000 + 4);
        let size = bytes.len() as u32;
        assert_eq!(&bytes[0..8], &MAGIC);
        assert_eq!(bytes[8], 0xD3);
        assert_eq!(&bytes[9..14], &SEQ1);
        assert_eq!((bytes[0x0E], bytes[0x14]), checksum::control_bytes(size));
        assert_eq!(bytes[0x0F], 0xFE);
        assert_eq!(&bytes[0x10..0x14], &(!size).to_be_bytes());
        assert_eq!(bytes[0x15], 0);
        assert_eq!(&bytes[0x18..0x20], &[0; 8]);
        assert_eq!(read_u32(&bytes, 0x2E), 5000);
        assert_eq!(read_u32(&bytes, 0x5C), size);
        assert_eq!(&bytes[0x24..0x26], &[1, 1]);
        let stored16 = u16::from_be_bytes([bytes[0x16], bytes[0x17]]);
        assert_eq!(stored16, checksum::checksum16(&bytes));
        let stored32 = read_u32(&bytes, 0x20);
        assert_eq!(stored32, checksum::checksum32(&bytes));
        assert_eq!(read_u32(&bytes, bytes.len() - 4), stored32);
        assert_eq!(&bytes[0x40..0x47], b"Sample\0");
        assert_eq!(&bytes[0x60..0x68], b"@SAMPLE\0");
    }

    #[test]
    fn worked_example_size_gives_documented_control_bytes() {
        let g3a = G3a::new("X", vec![0; 0x000B_8AA8 - 0x7004]);
        let bytes = g3a.to_bytes().unwrap();
        assert_eq!(bytes[0x0E], 0x16);
        assert_eq!(bytes[0x14], 0x9F);
        assert_eq!(&bytes[0x10..0x14], &[0xFF, 0xF4, 0x75, 0x57]);
        // As in the documented dump of a real file: … FF 16 FE at 0x0D, 9F 00 at 0x14.
        assert_eq!(&bytes[0x0D..0x10], &[0xFF, 0x16, 0xFE]);
        assert_eq!(&bytes[0x14..0x16], &[0x9F, 0x00]);
    }

    #[test]
    fn parse_round_trip() {
        let g3a = sample();
        let bytes = g3a.to_bytes().unwrap();
        let parsed = parse(&bytes).unwrap();
        assert_eq!(parsed, g3a);
        assert!(parsed.header_patches.is_empty());

        let mut zero = g3a.clone();
        zero.checksum16 = Checksum16::Zero;
        let bytes = zero.to_bytes().unwrap();
        assert_eq!(&bytes[0x16..0x18], &[0, 0]);
        assert_eq!(parse(&bytes).unwrap(), zero);
    }

    #[test]
    fn unknown_bytes_survive_as_patches() {
        let mut bytes = sample().to_bytes().unwrap();
        bytes[0x15] = 0xFF; // fxgxa-source style
        bytes[0x300] = 0x42; // eActivity mono icon
        bytes[0x47] = b'!'; // garbage after the name's NUL
        bytes[0x12B] = 7; // odd eActivity flag value
        bytes[0x130] = 0xFF; // non-UTF-8 version
        bytes[0x0F] = 0; // computed: not preserved
        let parsed = parse(&bytes).unwrap();
        assert!(parsed.eactivity);
        let rebuilt = parsed.to_bytes().unwrap();
        assert_eq!(rebuilt[0x15], 0xFF);
        assert_eq!(rebuilt[0x300], 0x42);
        assert_eq!(rebuilt[0x47], b'!');
        assert_eq!(rebuilt[0x12B], 7);
        assert_eq!(rebuilt[0x130], 0xFF);
        assert_eq!(rebuilt[0x0F], SEQ2);
        assert_eq!(parse(&rebuilt).unwrap(), parsed);
    }

    #[test]
    fn bad_input_is_an_error() {
        let good = sample().to_bytes().unwrap();
        assert_eq!(parse(&good[..100]), Err(Error::Truncated { len: 100 }));
        let mut bad = good.clone();
        bad[0] = 0;
        assert!(matches!(parse(&bad), Err(Error::BadMagic { .. })));
        let mut bad = good.clone();
        bad[8] = 0xF3;
        assert_eq!(parse(&bad), Err(Error::NotAnAddin { found: 0xF3 }));
        assert!(matches!(
            parse(&good[..good.len() - 1]),
            Err(Error::SizeMismatch { .. })
        ));
    }

    #[test]
    fn to_bytes_validates() {
        let mut g3a = sample();
        g3a.names.basic = "A name that is far too long".into();
        assert!(matches!(g3a.to_bytes(), Err(Error::Field { .. })));
        let mut g3a = sample();
        g3a.names.set(Language::Zh, "nul\0inside");
        assert!(matches!(g3a.to_bytes(), Err(Error::Field { .. })));
        let mut g3a = sample();
        g3a.payload = vec![0; MAX_PAYLOAD_LEN + 1];
        assert!(matches!(g3a.to_bytes(), Err(Error::PayloadTooLarge { .. })));
        let mut g3a = sample();
        g3a.header_patches.push(HeaderPatch {
            offset: 0x5E,
            bytes: vec![1, 2, 3],
        });
        assert!(matches!(g3a.to_bytes(), Err(Error::HeaderPatch { .. })));
        let mut g3a = sample();
        g3a.header_patches.push(HeaderPatch {
            offset: usize::MAX,
            bytes: vec![1],
        });
        assert!(matches!(g3a.to_bytes(), Err(Error::HeaderPatch { .. })));
    }

    #[test]
    fn languages() {
        assert_eq!(Language::Un2.offset(), 0x113);
        assert_eq!(Language::from_code("pt"), Some(Language::Pt));
        assert_eq!(Language::from_code("xx"), None);
    }
}
