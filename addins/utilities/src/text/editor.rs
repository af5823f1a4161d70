//! Editing text held in memory: a byte cursor over a [`Pager`] of the
//! buffer, so the rows on screen and the cursor's row come from the same
//! row breaking as the viewer's.

use alloc::vec::Vec;

use super::pager::{Layout, Pager};
use crate::files::tree::FsError;

/// A text being edited.
pub struct Editor {
    /// The text and its rows.
    pub pager: Pager<Vec<u8>>,
    /// Byte offset of the cursor (0..=len).
    pub cursor: usize,
    /// Changed since loaded or saved.
    pub modified: bool,
}

/// Why an edit was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EditError {
    /// No memory for a larger text.
    OutOfMemory,
}

impl Editor {
    /// Edits `text`.
    pub fn new(text: Vec<u8>, layout: Layout) -> Editor {
        Editor {
            pager: Pager::new(text, layout),
            cursor: 0,
            modified: false,
        }
    }

    /// The text.
    pub fn text(&self) -> &[u8] {
        &self.pager.source
    }

    /// Inserts `bytes` at the cursor and moves past them.
    pub fn insert(&mut self, bytes: &[u8]) -> Result<(), EditError> {
        let text = &mut self.pager.source;
        text.try_reserve(bytes.len()).map_err(|_| EditError::OutOfMemory)?;
        let at = self.cursor;
        text.splice(at..at, bytes.iter().copied());
        self.cursor += bytes.len();
        self.modified = true;
        self.pager.changed_from(at);
        Ok(())
    }

    /// Deletes the character before the cursor (a CR LF pair as one).
    pub fn delete_back(&mut self) {
        if self.cursor == 0 {
            return;
        }
        let text = &mut self.pager.source;
        let mut start = self.cursor - 1;
        if start > 0 && text[start] == b'\n' && text[start - 1] == b'\r' {
            start -= 1;
        }
        text.drain(start..self.cursor);
        self.cursor = start;
        self.modified = true;
        self.pager.changed_from(start);
    }

    /// One character left or right (a CR LF pair counts as one).
    pub fn step(&mut self, forward: bool) {
        let text = &self.pager.source;
        if forward && self.cursor < text.len() {
            let pair = text[self.cursor] == b'\r' && text.get(self.cursor + 1) == Some(&b'\n');
            self.cursor += if pair { 2 } else { 1 };
        } else if !forward && self.cursor > 0 {
            let pair = self.cursor >= 2 && text[self.cursor - 1] == b'\n' && text[self.cursor - 2] == b'\r';
            self.cursor -= if pair { 2 } else { 1 };
        }
    }

    /// The cursor's row and its byte column in it. A cursor after a
    /// final line break is on the empty row after the last.
    pub fn position(&mut self) -> Result<(usize, usize), FsError> {
        let text_len = self.pager.source.len();
        let ends_with_break = self.pager.source.last().is_some_and(|&b| b == b'\n' || b == b'\r');
        if self.cursor == text_len && ends_with_break {
            let rows = self.pager.rows()?;
            return Ok((rows, 0));
        }
        let row = self.pager.row_of(self.cursor)?;
        let start = self.pager.row_start(row)?.unwrap_or(0);
        Ok((row, self.cursor - start))
    }

    /// One row up or down, keeping the byte column where the row allows.
    pub fn vertical(&mut self, down: bool) -> Result<(), FsError> {
        let (row, column) = self.position()?;
        let target = if down {
            row + 1
        } else if row == 0 {
            self.cursor = 0;
            return Ok(());
        } else {
            row - 1
        };
        let Some(start) = self.pager.row_start(target)? else {
            // Past the last row: the end of the text.
            if down {
                self.cursor = self.pager.source.len();
            }
            return Ok(());
        };
        let end = self.pager.row_at(start)?.map_or(start, |(end, _)| end);
        self.cursor = (start + column).min(end);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn editor(text: &str) -> Editor {
        Editor::new(text.as_bytes().to_vec(), Layout::fixed(4, 1))
    }

    #[test]
    fn typing_and_deleting() {
        let mut e = editor("ac");
        e.step(true);
        e.insert(b"b").unwrap();
        assert_eq!(e.text(), b"abc");
        assert!(e.modified);
        e.insert(b"\r\n").unwrap();
        assert_eq!(e.text(), b"ab\r\nc");
        e.delete_back();
        assert_eq!(e.text(), b"abc", "CR LF goes as one");
        e.cursor = 0;
        e.delete_back();
        assert_eq!(e.text(), b"abc");
    }

    #[test]
    fn moving_by_rows() {
        // Rows: "abcd" "ef" "ghij" "k"
        let mut e = editor("abcdef\r\nghijk");
        e.cursor = 1;
        assert_eq!(e.position().unwrap(), (0, 1));
        e.vertical(true).unwrap();
        assert_eq!((e.cursor, e.position().unwrap()), (5, (1, 1)));
        e.step(true);
        e.step(true);
        assert_eq!(e.cursor, 8, "CR LF stepped over at once");
        e.vertical(true).unwrap();
        assert_eq!(e.position().unwrap(), (3, 0));
        e.vertical(true).unwrap();
        assert_eq!(e.cursor, 13, "past the last row: the end");
        e.vertical(false).unwrap();
        e.vertical(false).unwrap();
        assert_eq!(e.position().unwrap().0, 1);
        e.cursor = 2;
        e.vertical(false).unwrap();
        assert_eq!(e.cursor, 0);
    }

    #[test]
    fn cursor_after_a_final_break() {
        let mut e = editor("ab\n");
        e.cursor = 3;
        assert_eq!(e.position().unwrap(), (1, 0));
        e.insert(b"c").unwrap();
        assert_eq!(e.position().unwrap(), (1, 1));
    }

    #[test]
    fn edits_in_a_large_text_keep_rows_right() {
        let text: String = (0..2000).map(|n| format!("{n}\n")).collect();
        let mut e = Editor::new(text.into_bytes(), Layout::fixed(40, 1));
        e.cursor = e.pager.line_start(1500).unwrap().unwrap();
        assert_eq!(e.position().unwrap(), (1499, 0));
        e.insert(b"x\n").unwrap();
        assert_eq!(e.position().unwrap(), (1500, 0));
        let mut out = Vec::new();
        e.pager.row_text(1499, &mut out).unwrap();
        assert_eq!(out, b"x");
    }
}
