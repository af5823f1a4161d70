//! Paging through text of any size without loading it: the text is read
//! through a [`Source`] in 4 KiB windows, broken into screen rows by pixel
//! width, and the byte offsets of every [`CHECKPOINT`]th row are kept, so
//! going back or jumping is a short scan from the nearest checkpoint. A
//! 1 MiB file of 60-character rows keeps about 1 100 checkpoints (4 KiB).

use alloc::vec;
use alloc::vec::Vec;

use crate::files::tree::FsError;

/// Rows between two kept offsets.
pub const CHECKPOINT: usize = 16;
/// Bytes read at a time.
pub const WINDOW: usize = 4096;

/// Text that can be read anywhere.
pub trait Source {
    /// Total bytes.
    fn len(&self) -> usize;
    /// No bytes at all.
    fn is_empty(&self) -> bool {
        self.len() == 0
    }
    /// Reads from `offset` into `buffer`; returns how many bytes.
    fn read_at(&mut self, offset: usize, buffer: &mut [u8]) -> Result<usize, FsError>;
}

impl Source for Vec<u8> {
    fn len(&self) -> usize {
        Vec::len(self)
    }
    fn read_at(&mut self, offset: usize, buffer: &mut [u8]) -> Result<usize, FsError> {
        let start = offset.min(Vec::len(self));
        let count = buffer.len().min(Vec::len(self) - start);
        buffer[..count].copy_from_slice(&self[start..start + count]);
        Ok(count)
    }
}

/// How wide each byte is drawn and how wide a row may be.
#[derive(Clone)]
pub struct Layout {
    /// Pixel width of each byte as drawn.
    pub widths: [u8; 256],
    /// Row width in pixels.
    pub row_width: u16,
}

impl Layout {
    /// Every byte `width` wide, rows `columns` bytes long (tests, and
    /// fixed-width fonts).
    pub fn fixed(columns: u16, width: u8) -> Layout {
        Layout {
            widths: [width; 256],
            row_width: columns * u16::from(width),
        }
    }
}

/// A byte window of the source.
struct Cache {
    start: usize,
    data: Vec<u8>,
}

/// A view of a source as screen rows.
pub struct Pager<S: Source> {
    /// The text.
    pub source: S,
    layout: Layout,
    /// Byte offset of rows 0, CHECKPOINT, 2·CHECKPOINT, … as far as known.
    checkpoints: Vec<usize>,
    /// Every row is known (the last checkpoint is the last one).
    rows_total: Option<usize>,
    cache: Cache,
}

impl<S: Source> Pager<S> {
    /// A pager over `source`.
    pub fn new(source: S, layout: Layout) -> Pager<S> {
        Pager {
            source,
            layout,
            checkpoints: vec![0],
            rows_total: None,
            cache: Cache { start: 0, data: Vec::new() },
        }
    }

    /// Forgets what was learnt from `offset` on (after an edit there).
    pub fn changed_from(&mut self, offset: usize) {
        // A row starting at or before `offset` may now end elsewhere;
        // keep only checkpoints strictly before the row holding it.
        while self.checkpoints.len() > 1 && *self.checkpoints.last().unwrap_or(&0) >= offset {
            self.checkpoints.pop();
        }
        self.rows_total = None;
        self.cache.data.clear();
    }

    fn byte(&mut self, offset: usize) -> Result<Option<u8>, FsError> {
        let cached = offset >= self.cache.start && offset < self.cache.start + self.cache.data.len();
        if !cached {
            if offset >= self.source.len() {
                return Ok(None);
            }
            self.cache.data.resize(WINDOW, 0);
            let read = self.source.read_at(offset, &mut self.cache.data)?;
            self.cache.data.truncate(read);
            self.cache.start = offset;
            if read == 0 {
                return Ok(None);
            }
        }
        Ok(Some(self.cache.data[offset - self.cache.start]))
    }

    /// Where the row starting at `start` ends: (end of its text, start of
    /// the next row). `None` at the end of the text.
    pub fn row_at(&mut self, start: usize) -> Result<Option<(usize, usize)>, FsError> {
        if start >= self.source.len() {
            return Ok(None);
        }
        let mut width = 0u32;
        let mut offset = start;
        while let Some(byte) = self.byte(offset)? {
            match byte {
                b'\n' => return Ok(Some((offset, offset + 1))),
                b'\r' => {
                    let next = if self.byte(offset + 1)? == Some(b'\n') { offset + 2 } else { offset + 1 };
                    return Ok(Some((offset, next)));
                }
                _ => {
                    width += u32::from(self.layout.widths[byte as usize]);
                    if width > u32::from(self.layout.row_width) && offset > start {
                        return Ok(Some((offset, offset)));
                    }
                }
            }
            offset += 1;
        }
        Ok(Some((offset, offset)))
    }

    /// The start of row `row`, or `None` past the last row.
    pub fn row_start(&mut self, row: usize) -> Result<Option<usize>, FsError> {
        let known = self.checkpoints.len() - 1;
        let from = (row / CHECKPOINT).min(known);
        let mut offset = self.checkpoints[from];
        let mut current = from * CHECKPOINT;
        while current < row {
            let Some((_, next)) = self.row_at(offset)? else {
                self.rows_total = Some(current);
                return Ok(None);
            };
            offset = next;
            current += 1;
            if current.is_multiple_of(CHECKPOINT) && current / CHECKPOINT == self.checkpoints.len() {
                if offset >= self.source.len() {
                    break;
                }
                self.checkpoints.push(offset);
            }
        }
        if offset >= self.source.len() && !(row == 0 && offset == 0) {
            self.rows_total = Some(current);
            return Ok(None);
        }
        Ok(Some(offset))
    }

    /// Number of rows (scans to the end once, keeping checkpoints). An
    /// empty text has one, empty, row.
    pub fn rows(&mut self) -> Result<usize, FsError> {
        if let Some(total) = self.rows_total {
            return Ok(total.max(1));
        }
        let mut row = (self.checkpoints.len() - 1) * CHECKPOINT;
        let mut offset = self.checkpoints[self.checkpoints.len() - 1];
        while let Some((_, next)) = self.row_at(offset)? {
            offset = next;
            row += 1;
            if row.is_multiple_of(CHECKPOINT) && offset < self.source.len() && row / CHECKPOINT == self.checkpoints.len() {
                self.checkpoints.push(offset);
            }
        }
        self.rows_total = Some(row);
        Ok(row.max(1))
    }

    /// The row holding byte `target` (the last row for the end).
    pub fn row_of(&mut self, target: usize) -> Result<usize, FsError> {
        // Learn checkpoints up to the target only (not to the end: this
        // runs on every key in the editor).
        while self.rows_total.is_none() && self.checkpoints[self.checkpoints.len() - 1] <= target {
            let next = self.checkpoints.len() * CHECKPOINT;
            if self.row_start(next)?.is_none() {
                break;
            }
        }
        let index = match self.checkpoints.binary_search(&target) {
            Ok(index) => index,
            Err(index) => index.saturating_sub(1),
        };
        let mut row = index * CHECKPOINT;
        let mut offset = self.checkpoints[index];
        while let Some((_, next)) = self.row_at(offset)? {
            if target < next || next >= self.source.len() {
                return Ok(row);
            }
            offset = next;
            row += 1;
        }
        Ok(row.saturating_sub(1))
    }

    /// The bytes of row `row` (without its line break), into `out`;
    /// returns the row's (start, end of text), or `None` past the end.
    pub fn row_text(&mut self, row: usize, out: &mut Vec<u8>) -> Result<Option<(usize, usize)>, FsError> {
        out.clear();
        let Some(start) = self.row_start(row)? else {
            return Ok(if row == 0 { Some((0, 0)) } else { None });
        };
        let Some((end, _)) = self.row_at(start)? else {
            return Ok(Some((start, start)));
        };
        for offset in start..end {
            if let Some(byte) = self.byte(offset)? {
                out.push(byte);
            }
        }
        Ok(Some((start, end)))
    }

    /// The first match of `needle` at or after byte `from` (case ignored
    /// unless `match_case`), reading window by window.
    pub fn find(&mut self, needle: &[u8], from: usize, match_case: bool) -> Result<Option<usize>, FsError> {
        if needle.is_empty() {
            return Ok(None);
        }
        let mut buffer = vec![0u8; WINDOW + needle.len()];
        let mut offset = from;
        while offset < self.source.len() {
            let read = self.source.read_at(offset, &mut buffer)?;
            if let Some(found) = crate::files::search::find(&buffer[..read], needle, match_case) {
                return Ok(Some(offset + found));
            }
            if read < needle.len() {
                break;
            }
            offset += read + 1 - needle.len();
        }
        Ok(None)
    }

    /// The byte where line `line` (1-based, by line breaks) starts, or
    /// `None` if the text has fewer lines.
    pub fn line_start(&mut self, line: usize) -> Result<Option<usize>, FsError> {
        if line <= 1 {
            return Ok(Some(0));
        }
        let mut buffer = vec![0u8; WINDOW];
        let mut seen = 1;
        let mut offset = 0;
        loop {
            let read = self.source.read_at(offset, &mut buffer)?;
            if read == 0 {
                return Ok(None);
            }
            for (index, &byte) in buffer[..read].iter().enumerate() {
                if byte == b'\n' {
                    seen += 1;
                    if seen == line {
                        let start = offset + index + 1;
                        return Ok((start <= self.source.len()).then_some(start));
                    }
                }
            }
            offset += read;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pager(text: &str, columns: u16) -> Pager<Vec<u8>> {
        Pager::new(text.as_bytes().to_vec(), Layout::fixed(columns, 1))
    }

    fn all_rows(pager: &mut Pager<Vec<u8>>) -> Vec<String> {
        let mut rows = Vec::new();
        let mut out = Vec::new();
        let mut row = 0;
        while pager.row_text(row, &mut out).unwrap().is_some() {
            rows.push(String::from_utf8(out.clone()).unwrap());
            row += 1;
            if row > 10_000 {
                panic!("no end");
            }
        }
        rows
    }

    #[test]
    fn rows_break_at_line_ends_and_width() {
        let mut p = pager("abcdefgh\nij\r\nk\rl\n\nmnop", 4);
        assert_eq!(all_rows(&mut p), ["abcd", "efgh", "ij", "k", "l", "", "mnop"]);
        assert_eq!(p.rows().unwrap(), 7);
    }

    #[test]
    fn empty_and_trailing_newline() {
        let mut p = pager("", 4);
        assert_eq!(p.rows().unwrap(), 1);
        assert_eq!(all_rows(&mut p), [""]);
        let mut p = pager("ab\n", 4);
        assert_eq!(all_rows(&mut p), ["ab"]);
    }

    #[test]
    fn proportional_widths() {
        let mut layout = Layout::fixed(10, 1);
        layout.widths[b'W' as usize] = 4;
        let mut p = Pager::new(b"WWWaaa".to_vec(), layout);
        assert_eq!(all_rows(&mut p), ["WW", "Waaa"]);
    }

    fn big_text() -> String {
        (1..=5000).map(|n| format!("line {n} {}\n", "x".repeat(n % 70))).collect()
    }

    #[test]
    fn random_access_matches_a_full_scan() {
        let text = big_text();
        let mut reference = pager(&text, 40);
        let rows = all_rows(&mut reference);
        let mut p = pager(&text, 40);
        assert_eq!(p.rows().unwrap(), rows.len());
        let mut out = Vec::new();
        // Backwards, forwards and jumps, as the keys would do.
        for row in [rows.len() - 1, 0, 17, 16, 15, 3000, 2999, 100, rows.len() - 8] {
            p.row_text(row, &mut out).unwrap().unwrap();
            assert_eq!(String::from_utf8(out.clone()).unwrap(), rows[row], "row {row}");
        }
        assert!(p.row_text(rows.len(), &mut out).unwrap().is_none());
        assert!(p.checkpoints.len() <= rows.len() / CHECKPOINT + 1);
    }

    #[test]
    fn row_of_an_offset() {
        let mut p = pager("abcdefgh\nij\nklm", 4);
        assert_eq!(p.row_of(0).unwrap(), 0);
        assert_eq!(p.row_of(5).unwrap(), 1);
        assert_eq!(p.row_of(9).unwrap(), 2);
        assert_eq!(p.row_of(13).unwrap(), 3);
        assert_eq!(p.row_of(15).unwrap(), 3);
        let text = big_text();
        let mut p = pager(&text, 40);
        let offset = text.find("line 4321 ").unwrap();
        let row = p.row_of(offset).unwrap();
        let mut out = Vec::new();
        p.row_text(row, &mut out).unwrap();
        assert!(out.starts_with(b"line 4321 "));
    }

    #[test]
    fn find_and_go_to_line() {
        let text = big_text();
        let mut p = pager(&text, 40);
        let at = p.find(b"LINE 2500 ", 0, false).unwrap().unwrap();
        assert_eq!(&text[at..at + 10], "line 2500 ");
        assert_eq!(p.find(b"LINE 2500 ", 0, true).unwrap(), None);
        assert_eq!(p.find(b"line 2500 ", at + 1, false).unwrap(), None);
        let start = p.line_start(4321).unwrap().unwrap();
        assert!(text[start..].starts_with("line 4321 "));
        assert_eq!(p.line_start(1).unwrap(), Some(0));
        assert_eq!(p.line_start(6000).unwrap(), None);
    }

    #[test]
    fn find_across_windows() {
        let mut text = "a".repeat(WINDOW - 2);
        text.push_str("needle");
        let mut p = pager(&text, 40);
        assert_eq!(p.find(b"needle", 0, false).unwrap(), Some(WINDOW - 2));
    }

    #[test]
    fn edits_forget_later_rows() {
        let text = big_text();
        let mut p = pager(&text, 40);
        let total = p.rows().unwrap();
        let mut edited = text.clone();
        edited.insert_str(100, "\n\n\n");
        p.source = edited.as_bytes().to_vec();
        p.changed_from(100);
        assert_eq!(p.rows().unwrap(), total + 3);
    }
}
