//! The few EXIF fields a viewer shows or needs: orientation, date, camera.

/// Text from an EXIF ASCII field, cut at 31 bytes.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ShortText {
    bytes: [u8; 31],
    length: u8,
}

impl ShortText {
    fn from_bytes(raw: &[u8]) -> Self {
        let end = raw.iter().position(|&b| b == 0).unwrap_or(raw.len());
        let raw = &raw[..end];
        let mut text = ShortText::default();
        for &b in raw.iter().take(31) {
            // Non-ASCII bytes would not be valid UTF-8 on their own.
            text.bytes[text.length as usize] = if b.is_ascii() && !b.is_ascii_control() { b } else { b'?' };
            text.length += 1;
        }
        while text.length > 0 && text.bytes[text.length as usize - 1] == b' ' {
            text.length -= 1;
        }
        text
    }

    /// The text.
    pub fn as_str(&self) -> &str {
        core::str::from_utf8(&self.bytes[..self.length as usize]).unwrap_or("")
    }
}

/// Fields from the EXIF block (APP1).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Exif {
    /// 1–8 as in EXIF: 1 upright, 3 rotated 180°, 6 needs 90° clockwise, 8 needs 90° anticlockwise, 2/4/5/7 mirrored.
    pub orientation: Option<u8>,
    /// When the photo was taken ("YYYY:MM:DD HH:MM:SS"): DateTimeOriginal, else DateTime.
    pub date_time: Option<ShortText>,
    /// Camera maker.
    pub make: Option<ShortText>,
    /// Camera model.
    pub model: Option<ShortText>,
}

struct Tiff<'a> {
    data: &'a [u8],
    big_endian: bool,
}

impl Tiff<'_> {
    fn u16(&self, at: usize) -> Option<u16> {
        let b = self.data.get(at..at.checked_add(2)?)?;
        Some(if self.big_endian { u16::from_be_bytes([b[0], b[1]]) } else { u16::from_le_bytes([b[0], b[1]]) })
    }
    fn u32(&self, at: usize) -> Option<u32> {
        let b = self.data.get(at..at.checked_add(4)?)?;
        let b = [b[0], b[1], b[2], b[3]];
        Some(if self.big_endian { u32::from_be_bytes(b) } else { u32::from_le_bytes(b) })
    }

    /// Calls `visit(tag, entry offset)` for each entry of the IFD at `at`.
    fn entries(&self, at: usize, mut visit: impl FnMut(u16, usize)) {
        let Some(count) = self.u16(at) else { return };
        for i in 0..usize::from(count) {
            let entry = at + 2 + i * 12;
            match self.u16(entry) {
                Some(tag) => visit(tag, entry),
                None => return,
            }
        }
    }

    fn text(&self, entry: usize) -> Option<ShortText> {
        let count = self.u32(entry + 4)? as usize;
        let at = if count <= 4 { entry + 8 } else { self.u32(entry + 8)? as usize };
        let raw = self.data.get(at..at.checked_add(count)?)?;
        Some(ShortText::from_bytes(raw))
    }
}

/// Parses the APP1 payload (starting with "Exif\0\0"); fields it cannot
/// read stay `None`.
pub(crate) fn parse(payload: &[u8]) -> Exif {
    let mut exif = Exif::default();
    let Some(data) = payload.strip_prefix(b"Exif\0\0") else { return exif };
    let big_endian = match data.get(..4) {
        Some(b"MM\0*") => true,
        Some(b"II*\0") => false,
        _ => return exif,
    };
    let tiff = Tiff { data, big_endian };
    let Some(ifd0) = tiff.u32(4) else { return exif };
    let mut sub_ifd = None;
    let mut date_time = None;
    tiff.entries(ifd0 as usize, |tag, entry| match tag {
        0x010F => exif.make = tiff.text(entry),
        0x0110 => exif.model = tiff.text(entry),
        0x0112 => exif.orientation = tiff.u16(entry + 8).and_then(|o| u8::try_from(o).ok()).filter(|o| (1..=8).contains(o)),
        0x0132 => date_time = tiff.text(entry),
        0x8769 => sub_ifd = tiff.u32(entry + 8),
        _ => {}
    });
    if let Some(sub) = sub_ifd {
        tiff.entries(sub as usize, |tag, entry| {
            if tag == 0x9003 {
                exif.date_time = tiff.text(entry);
            }
        });
    }
    if exif.date_time.is_none() {
        exif.date_time = date_time;
    }
    exif
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn big_endian_block_with_orientation_camera_and_date() {
        let mut d = std::vec::Vec::new();
        extern crate std;
        d.extend_from_slice(b"Exif\0\0MM\0*\0\0\0\x08");
        // IFD0 at 8: 3 entries.
        d.extend_from_slice(&[0, 3]);
        d.extend_from_slice(&[0x01, 0x0F, 0, 2, 0, 0, 0, 4]);
        d.extend_from_slice(b"ACME");
        d.extend_from_slice(&[0x01, 0x12, 0, 3, 0, 0, 0, 1, 0, 6, 0, 0]);
        d.extend_from_slice(&[0x01, 0x32, 0, 2, 0, 0, 0, 20, 0, 0, 0, 50]);
        d.extend_from_slice(&[0, 0, 0, 0]);
        while d.len() < 6 + 50 {
            d.push(0);
        }
        d.extend_from_slice(b"2024:05:06 07:08:09\0");
        let exif = parse(&d);
        assert_eq!(exif.orientation, Some(6));
        assert_eq!(exif.make.unwrap().as_str(), "ACME");
        assert_eq!(exif.date_time.unwrap().as_str(), "2024:05:06 07:08:09");
        assert_eq!(exif.model, None);
    }

    #[test]
    fn garbage_is_ignored() {
        assert_eq!(parse(b"Exif\0\0II*\0\xff\xff\xff\xff"), Exif::default());
        assert_eq!(parse(b"nonsense"), Exif::default());
    }
}
