//! The browser's pure parts, tested on the host: which names are JPEG
//! files, the sort orders, sizes as text, and the resume record kept in
//! main memory.

extern crate alloc;

use alloc::string::String;
use alloc::vec::Vec;
use core::cmp::Ordering;

use prizm_image_view::screen::ViewState;
use prizm_image_view::Zoom;

/// One line of the browser.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entry {
    /// Name in its folder.
    pub name: String,
    /// Size in bytes (0 for folders).
    pub size: u32,
    /// A folder.
    pub is_dir: bool,
    /// EXIF date (`YYYY:MM:DD HH:MM:SS`), read only for the date order.
    pub date: Option<heapless::String<20>>,
}

/// The browser's orders; folders always come first, by name.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Order {
    /// By name, ignoring case, numbers in names by value ("img2" before "img10").
    Name,
    /// By EXIF date, oldest first; pictures without one last, by name.
    Date,
    /// Smallest first, then by name.
    Size,
}

impl Order {
    /// Code kept in the settings record.
    pub fn code(self) -> u8 {
        match self {
            Order::Name => 0,
            Order::Date => 1,
            Order::Size => 2,
        }
    }

    /// The order of a code (unknown: by name).
    pub fn from_code(code: u8) -> Order {
        match code {
            1 => Order::Date,
            2 => Order::Size,
            _ => Order::Name,
        }
    }

    /// Shown in the title.
    #[cfg_attr(test, allow(dead_code))]
    pub fn label(self) -> &'static str {
        match self {
            Order::Name => "name",
            Order::Date => "date",
            Order::Size => "size",
        }
    }
}

/// True for names ending in `.jpg` or `.jpeg`, any case.
pub fn is_jpeg(name: &str) -> bool {
    let bytes = name.as_bytes();
    let ends = |ext: &[u8]| {
        bytes.len() > ext.len() && bytes[bytes.len() - ext.len()..].eq_ignore_ascii_case(ext)
    };
    ends(b".jpg") || ends(b".jpeg")
}

/// Compares names the way people read them: case ignored, runs of digits by value.
pub fn natural_cmp(a: &str, b: &str) -> Ordering {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    let (mut i, mut j) = (0, 0);
    while i < a.len() && j < b.len() {
        if a[i].is_ascii_digit() && b[j].is_ascii_digit() {
            let (si, sj) = (i, j);
            while i < a.len() && a[i].is_ascii_digit() {
                i += 1;
            }
            while j < b.len() && b[j].is_ascii_digit() {
                j += 1;
            }
            let (na, nb) = (trim_zeros(&a[si..i]), trim_zeros(&b[sj..j]));
            let by_value = na.len().cmp(&nb.len()).then_with(|| na.cmp(nb));
            if by_value != Ordering::Equal {
                return by_value;
            }
        } else {
            let by_char = a[i].to_ascii_lowercase().cmp(&b[j].to_ascii_lowercase());
            if by_char != Ordering::Equal {
                return by_char;
            }
            i += 1;
            j += 1;
        }
    }
    (a.len() - i).cmp(&(b.len() - j)).then_with(|| a.cmp(b))
}

fn trim_zeros(digits: &[u8]) -> &[u8] {
    let first = digits
        .iter()
        .position(|&d| d != b'0')
        .unwrap_or(digits.len());
    &digits[first..]
}

/// Sorts a listing: folders first by name, then the pictures in `order`.
pub fn sort(entries: &mut [Entry], order: Order) {
    entries.sort_by(|a, b| {
        b.is_dir.cmp(&a.is_dir).then_with(|| {
            if a.is_dir {
                return natural_cmp(&a.name, &b.name);
            }
            let primary = match order {
                Order::Name => Ordering::Equal,
                Order::Size => a.size.cmp(&b.size),
                Order::Date => match (&a.date, &b.date) {
                    (Some(x), Some(y)) => x.cmp(y),
                    (Some(_), None) => Ordering::Less,
                    (None, Some(_)) => Ordering::Greater,
                    (None, None) => Ordering::Equal,
                },
            };
            primary.then_with(|| natural_cmp(&a.name, &b.name))
        })
    });
}

/// A size as people read it: "999 B", "12.3 KB", "4.5 MB".
pub fn size_text(bytes: u32) -> heapless::String<12> {
    use core::fmt::Write as _;
    let mut s = heapless::String::new();
    let _ = if bytes < 1000 {
        write!(s, "{bytes} B")
    } else if bytes < 1_000_000 {
        write!(s, "{}.{} KB", bytes / 1000, bytes % 1000 / 100)
    } else {
        write!(
            s,
            "{}.{} MB",
            bytes / 1_000_000,
            bytes % 1_000_000 / 100_000
        )
    };
    s
}

/// The next or previous picture (not folder) after `current` in a sorted listing.
pub fn neighbour<'a>(entries: &'a [Entry], current: &str, forward: bool) -> Option<&'a Entry> {
    let pictures: Vec<&Entry> = entries.iter().filter(|e| !e.is_dir).collect();
    let at = pictures.iter().position(|e| e.name == current)?;
    if forward {
        pictures.get(at + 1).copied()
    } else {
        at.checked_sub(1).and_then(|i| pictures.get(i).copied())
    }
}

/// What the viewer keeps between runs: the folder, the order, and the
/// last picture with its view.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Memory {
    /// Last folder shown.
    pub folder: String,
    /// Browser order.
    pub order: Order,
    /// Last picture (full path) and its view.
    pub picture: Option<(String, ViewState)>,
}

/// Record layout version.
const VERSION: u8 = 1;

impl Memory {
    /// The record: version, order, zoom, turns, centre x and y (u32,
    /// big-endian), folder length and text, picture length (0: none) and text.
    pub fn encode(&self) -> Vec<u8> {
        let mut out = Vec::new();
        let state = self.picture.as_ref().map(|(_, s)| *s).unwrap_or_default();
        out.push(VERSION);
        out.push(self.order.code());
        out.push(state.zoom.code());
        out.push(state.turns);
        out.extend_from_slice(&state.centre.0.to_be_bytes());
        out.extend_from_slice(&state.centre.1.to_be_bytes());
        let folder = &self.folder.as_bytes()[..self.folder.len().min(255)];
        out.push(folder.len() as u8);
        out.extend_from_slice(folder);
        let picture = self
            .picture
            .as_ref()
            .map_or(&[][..], |(p, _)| &p.as_bytes()[..p.len().min(255)]);
        out.push(picture.len() as u8);
        out.extend_from_slice(picture);
        out
    }

    /// Reads a record; anything malformed gives `None` (start afresh).
    pub fn decode(bytes: &[u8]) -> Option<Memory> {
        if bytes.first() != Some(&VERSION) || bytes.len() < 14 {
            return None;
        }
        let order = Order::from_code(bytes[1]);
        let zoom = Zoom::from_code(bytes[2])?;
        let turns = bytes[3] % 4;
        let centre = (
            u32::from_be_bytes(bytes[4..8].try_into().ok()?).min(65536),
            u32::from_be_bytes(bytes[8..12].try_into().ok()?).min(65536),
        );
        let text = |at: usize| -> Option<(String, usize)> {
            let len = usize::from(*bytes.get(at)?);
            let raw = bytes.get(at + 1..at + 1 + len)?;
            Some((String::from(core::str::from_utf8(raw).ok()?), at + 1 + len))
        };
        let (folder, next) = text(12)?;
        let (picture, _) = text(next)?;
        let picture = (!picture.is_empty()).then_some((
            picture,
            ViewState {
                zoom,
                turns,
                centre,
            },
        ));
        Some(Memory {
            folder,
            order,
            picture,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::vec;

    fn file(name: &str, size: u32, date: Option<&str>) -> Entry {
        Entry {
            name: name.into(),
            size,
            is_dir: false,
            date: date.map(|d| d.try_into().unwrap()),
        }
    }

    fn dir(name: &str) -> Entry {
        Entry {
            name: name.into(),
            size: 0,
            is_dir: true,
            date: None,
        }
    }

    fn names(entries: &[Entry]) -> Vec<&str> {
        entries.iter().map(|e| e.name.as_str()).collect()
    }

    #[test]
    fn jpeg_names_in_any_case() {
        for name in [
            "a.jpg",
            "B.JPG",
            "photo.Jpeg",
            "x.y.jpeg",
            "long name with spaces.JpG",
        ] {
            assert!(is_jpeg(name), "{name}");
        }
        for name in ["a.png", "jpg", ".jpg", "a.jpgx", "ajpg", "a.jpe", "é.jp"] {
            assert!(!is_jpeg(name), "{name}");
        }
    }

    #[test]
    fn natural_order_reads_numbers_by_value() {
        let mut v = vec![
            "img10.jpg",
            "IMG2.jpg",
            "img1.jpg",
            "img02.jpg",
            "apple.jpg",
            "Zebra.jpg",
        ];
        v.sort_by(|a, b| natural_cmp(a, b));
        // Equal by value and letters ("IMG2", "img02"): the raw bytes decide, so the order is total.
        assert_eq!(
            v,
            [
                "apple.jpg",
                "img1.jpg",
                "IMG2.jpg",
                "img02.jpg",
                "img10.jpg",
                "Zebra.jpg"
            ]
        );
    }

    #[test]
    fn folders_first_then_the_order_asked_for() {
        let mut entries = vec![
            file("b.jpg", 300, Some("2021:01:01 10:00:00")),
            dir("Zoo"),
            file("a.jpg", 500, None),
            file("c.jpg", 100, Some("2019:05:05 08:00:00")),
            dir("albums"),
        ];
        sort(&mut entries, Order::Name);
        assert_eq!(
            names(&entries),
            ["albums", "Zoo", "a.jpg", "b.jpg", "c.jpg"]
        );
        sort(&mut entries, Order::Size);
        assert_eq!(
            names(&entries),
            ["albums", "Zoo", "c.jpg", "b.jpg", "a.jpg"]
        );
        sort(&mut entries, Order::Date);
        assert_eq!(
            names(&entries),
            ["albums", "Zoo", "c.jpg", "b.jpg", "a.jpg"]
        );
        entries[4].date = Some("2018:01:01 00:00:00".try_into().unwrap());
        sort(&mut entries, Order::Date);
        assert_eq!(
            names(&entries),
            ["albums", "Zoo", "a.jpg", "c.jpg", "b.jpg"]
        );
    }

    #[test]
    fn sizes_as_text() {
        assert_eq!(size_text(999), "999 B");
        assert_eq!(size_text(12_345), "12.3 KB");
        assert_eq!(size_text(4_567_890), "4.5 MB");
    }

    #[test]
    fn neighbours_skip_folders_and_stop_at_the_ends() {
        let entries = vec![dir("d"), file("a.jpg", 1, None), file("b.jpg", 1, None)];
        assert_eq!(
            neighbour(&entries, "a.jpg", true).map(|e| e.name.as_str()),
            Some("b.jpg")
        );
        assert_eq!(neighbour(&entries, "b.jpg", true), None);
        assert_eq!(neighbour(&entries, "a.jpg", false), None);
        assert_eq!(
            neighbour(&entries, "b.jpg", false).map(|e| e.name.as_str()),
            Some("a.jpg")
        );
        assert_eq!(neighbour(&entries, "zzz.jpg", true), None);
    }

    #[test]
    fn memory_round_trips_and_rejects_garbage() {
        let m = Memory {
            folder: "\\\\fls0\\Photos".into(),
            order: Order::Size,
            picture: Some((
                "\\\\fls0\\Photos\\a.jpg".into(),
                ViewState {
                    zoom: Zoom::Double,
                    turns: 3,
                    centre: (100, 65000),
                },
            )),
        };
        assert_eq!(Memory::decode(&m.encode()), Some(m.clone()));
        let none = Memory {
            picture: None,
            ..m.clone()
        };
        assert_eq!(Memory::decode(&none.encode()), Some(none));
        let bytes = m.encode();
        for cut in 0..bytes.len() {
            assert_eq!(Memory::decode(&bytes[..cut]), None, "cut at {cut}");
        }
        let mut bad = bytes.clone();
        bad[0] = 9;
        assert_eq!(Memory::decode(&bad), None);
        let mut bad_zoom = bytes;
        bad_zoom[2] = 200;
        assert_eq!(Memory::decode(&bad_zoom), None);
    }
}
