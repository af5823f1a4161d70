//! "Text on screen": what the OS text printers have drawn and is still
//! visible.
//!
//! Every text syscall records `(x, y, w, h, text)` with a hash of the
//! pixels it drew. An entry disappears when a full clear happens, when new
//! text is printed over it, or when anything else changes its pixels
//! (rectangles, direct VRAM writes…): entries whose pixels no longer match
//! their hash are dropped whenever the list is read.

use crate::graphics::{Canvas, Rect};

/// A piece of text the add-in printed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TextEntry {
    /// Where it was drawn (clipped to the screen).
    pub rect: Rect,
    /// The text.
    pub text: String,
    hash: u64,
}

/// Entries kept at most (the oldest go first).
const MAX_ENTRIES: usize = 1024;

/// The list of visible text.
#[derive(Debug, Clone, Default)]
pub struct ScreenText {
    entries: Vec<TextEntry>,
}

impl ScreenText {
    /// Records text just drawn into `vram` at `rect`.
    pub fn record(&mut self, vram: &mut [u8], rect: Rect, text: String) {
        let Some(rect) = rect.clipped() else { return };
        if text.trim().is_empty() {
            // Spaces still erase what they cover.
            self.entries.retain(|e| !e.rect.intersects(&rect));
            return;
        }
        self.entries.retain(|e| !e.rect.intersects(&rect));
        let hash = Canvas::new(vram).hash(rect);
        if self.entries.len() >= MAX_ENTRIES {
            self.entries.remove(0);
        }
        self.entries.push(TextEntry { rect, text, hash });
    }

    /// Forgets everything (a full clear).
    pub fn clear(&mut self) {
        self.entries.clear();
    }

    /// Forgets the entries overlapping `rect`.
    pub fn erase(&mut self, rect: Rect) {
        self.entries.retain(|e| !e.rect.intersects(&rect));
    }

    /// Drops entries whose pixels changed; returns the rest, top to bottom,
    /// left to right.
    pub fn visible(&mut self, vram: &mut [u8]) -> Vec<TextEntry> {
        let canvas = Canvas::new(vram);
        self.entries.retain(|e| canvas.hash(e.rect) == e.hash);
        let mut out = self.entries.clone();
        out.sort_by_key(|e| (e.rect.y, e.rect.x));
        out
    }

    /// Whether `needle` is visible: inside one entry, or across entries
    /// printed side by side on the same line.
    pub fn contains(&mut self, vram: &mut [u8], needle: &str) -> bool {
        lines(&self.visible(vram))
            .iter()
            .any(|line| line.contains(needle))
    }

    /// A snapshot (for `SaveVRAM_1` and message boxes).
    pub fn snapshot(&self) -> Vec<TextEntry> {
        self.entries.clone()
    }

    /// Restores a snapshot.
    pub fn restore(&mut self, entries: Vec<TextEntry>) {
        self.entries = entries;
    }
}

/// Each entry's text, plus each screen line joined left to right (entries
/// that touch are joined directly, others with a space).
pub fn lines(entries: &[TextEntry]) -> Vec<String> {
    let mut out: Vec<String> = entries.iter().map(|e| e.text.clone()).collect();
    let mut sorted: Vec<&TextEntry> = entries.iter().collect();
    sorted.sort_by_key(|e| (e.rect.y, e.rect.x));
    let mut i = 0;
    while i < sorted.len() {
        let y = sorted[i].rect.y;
        let mut line = sorted[i].text.clone();
        let mut end = sorted[i].rect.x + sorted[i].rect.w;
        let mut j = i + 1;
        while j < sorted.len() && sorted[j].rect.y == y {
            if sorted[j].rect.x > end {
                line.push(' ');
            }
            line.push_str(&sorted[j].text);
            end = sorted[j].rect.x + sorted[j].rect.w;
            j += 1;
        }
        if j > i + 1 {
            out.push(line);
        }
        i = j;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::memory::{SCREEN_HEIGHT, SCREEN_WIDTH};

    #[test]
    fn entries_vanish_when_their_pixels_change() {
        let mut vram = vec![0xFF; SCREEN_WIDTH * SCREEN_HEIGHT * 2];
        let mut text = ScreenText::default();
        Canvas::new(&mut vram).fill(Rect::new(0, 24, 50, 24), 0);
        text.record(&mut vram, Rect::new(0, 24, 50, 24), "Hello".into());
        text.record(&mut vram, Rect::new(100, 100, 50, 24), "World".into());
        assert!(text.contains(&mut vram, "Hello"));
        assert!(text.contains(&mut vram, "World"));
        Canvas::new(&mut vram).fill(Rect::new(10, 30, 2, 2), 0xF800);
        assert!(!text.contains(&mut vram, "Hello"));
        assert!(text.contains(&mut vram, "World"));
        text.clear();
        assert!(!text.contains(&mut vram, "World"));
    }

    #[test]
    fn overprinting_replaces() {
        let mut vram = vec![0xFF; SCREEN_WIDTH * SCREEN_HEIGHT * 2];
        let mut text = ScreenText::default();
        text.record(&mut vram, Rect::new(0, 24, 90, 24), "Locked".into());
        text.record(&mut vram, Rect::new(0, 24, 90, 24), "Open".into());
        let visible = text.visible(&mut vram);
        assert_eq!(visible.len(), 1);
        assert_eq!(visible[0].text, "Open");
    }

    #[test]
    fn lines_join_pieces() {
        let mut vram = vec![0xFF; SCREEN_WIDTH * SCREEN_HEIGHT * 2];
        let mut text = ScreenText::default();
        text.record(&mut vram, Rect::new(0, 24, 18, 24), "Un".into());
        text.record(&mut vram, Rect::new(18, 24, 36, 24), "locked".into());
        text.record(&mut vram, Rect::new(100, 24, 36, 24), "now".into());
        assert!(text.contains(&mut vram, "Unlocked now"));
        assert!(!text.contains(&mut vram, "Unlocked  now"));
        text.record(&mut vram, Rect::new(400, 0, 10, 10), "offscreen".into());
        assert!(!text.contains(&mut vram, "offscreen"));
    }
}
