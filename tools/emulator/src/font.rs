//! The emulator's own fonts for the OS text printers.
//!
//! No OS font is used: the glyphs are the public-domain 8×8 "font8x8"
//! basic-Latin set (through the `font8x8` crate, MIT licensed), scaled:
//!
//! | Font | Used by | Cell | Glyph |
//! |---|---|---|---|
//! | [`Font::Large`] | `PrintXY`, `PrintCXY`, `Print_OS` | fixed 18×24 | 8×8 ×2 at (1, 4) |
//! | [`Font::Mini`] | `PrintMini`, message boxes | proportional, 18 high | 8×8 ×2 at y + 1 |
//! | [`Font::MiniMini`] | `PrintMiniMini`, status bar | proportional, 10 high | 8×8 ×1 at y + 1 |
//!
//! OS strings are bytes in Casio's multibyte encoding: ASCII prints as
//! itself; the operator bytes 0x87 (−), 0x89 (+), 0x99 (−), 0xA9 (×) and
//! 0xB9 (÷) print as ASCII look-alikes; the two-byte sequences (lead byte
//! 0x7F, 0xE5, 0xE6, 0xE7, 0xF7 or 0xF9) and all other bytes print as an
//! outlined box.

use crate::graphics::Canvas;

/// Which OS font.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Font {
    /// 18×24 fixed cells.
    Large,
    /// Proportional, 18 pixels high.
    Mini,
    /// Proportional, 10 pixels high.
    MiniMini,
}

/// One character of OS text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Glyph {
    /// An ASCII character (0x20..0x7E).
    Ascii(u8),
    /// Anything the fonts do not have.
    Unknown,
}

/// The "unknown character" box: an outline 6×7.
const BOX: [u8; 8] = [0x00, 0x7E, 0x42, 0x42, 0x42, 0x42, 0x7E, 0x00];

/// Whether `byte` starts a two-byte character.
pub fn is_lead_byte(byte: u8) -> bool {
    matches!(byte, 0x7F | 0xE5 | 0xE6 | 0xE7 | 0xF7 | 0xF9)
}

/// Splits OS text into characters.
pub fn decode(bytes: &[u8]) -> Vec<Glyph> {
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        i += 1;
        if is_lead_byte(b) {
            i += 1;
            out.push(Glyph::Unknown);
            continue;
        }
        out.push(match b {
            0x20..=0x7E => Glyph::Ascii(b),
            0x87 | 0x99 => Glyph::Ascii(b'-'),
            0x89 => Glyph::Ascii(b'+'),
            0xA9 => Glyph::Ascii(b'x'),
            0xB9 => Glyph::Ascii(b'/'),
            _ => Glyph::Unknown,
        });
    }
    out
}

/// OS text as a Rust string (for "text on screen"): ASCII as itself, the
/// operators as Unicode, everything else as U+FFFD.
pub fn to_string(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        i += 1;
        if is_lead_byte(b) {
            i += 1;
            out.push('\u{FFFD}');
            continue;
        }
        out.push(match b {
            0x20..=0x7E => b as char,
            0x87 | 0x99 => '−',
            0x89 => '+',
            0xA9 => '×',
            0xB9 => '÷',
            _ => '\u{FFFD}',
        });
    }
    out
}

fn bitmap(glyph: Glyph) -> [u8; 8] {
    match glyph {
        Glyph::Ascii(c) => font8x8::legacy::BASIC_LEGACY[usize::from(c & 0x7F)],
        Glyph::Unknown => BOX,
    }
}

/// First and last inked columns of a bitmap (`None` for a blank glyph).
fn ink(bitmap: &[u8; 8]) -> Option<(u32, u32)> {
    let all = bitmap.iter().fold(0u8, |acc, row| acc | row);
    (all != 0).then(|| (all.trailing_zeros(), 7 - all.leading_zeros()))
}

impl Font {
    /// Scale factor of the 8×8 glyphs.
    fn scale(self) -> i32 {
        match self {
            Font::Large | Font::Mini => 2,
            Font::MiniMini => 1,
        }
    }

    /// Height of a line of text (the background box drawn behind it).
    pub fn line_height(self) -> i32 {
        match self {
            Font::Large => 24,
            Font::Mini => 18,
            Font::MiniMini => 10,
        }
    }

    /// Where the 8×8 glyph's first column starts, how wide the cell is.
    fn layout(self, glyph: Glyph) -> (i32, i32) {
        let s = self.scale();
        match self {
            Font::Large => (1, 18),
            Font::Mini | Font::MiniMini => match ink(&bitmap(glyph)) {
                // Proportional: inked columns plus one blank column.
                Some((first, last)) => (-(first as i32) * s, (last - first + 1) as i32 * s + s),
                None => (0, 4 * s), // space
            },
        }
    }

    /// Width in pixels of one character.
    pub fn char_width(self, glyph: Glyph) -> i32 {
        self.layout(glyph).1
    }

    /// Width in pixels of a string.
    pub fn text_width(self, glyphs: &[Glyph]) -> i32 {
        glyphs.iter().map(|g| self.char_width(*g)).sum()
    }

    /// Draws one character with its top-left cell corner at (x, y);
    /// `bg = None` leaves the background. Returns the advance.
    pub fn draw_char(
        self,
        canvas: &mut Canvas,
        x: i32,
        y: i32,
        glyph: Glyph,
        fg: u16,
        bg: Option<u16>,
    ) -> i32 {
        let (offset, width) = self.layout(glyph);
        if let Some(bg) = bg {
            canvas.fill(
                crate::graphics::Rect::new(x, y, width, self.line_height()),
                bg,
            );
        }
        let s = self.scale();
        let top = match self {
            Font::Large => 4,
            Font::Mini | Font::MiniMini => 1,
        };
        let rows = bitmap(glyph);
        for (row, bits) in rows.iter().enumerate() {
            for col in 0..8 {
                if bits & (1 << col) != 0 {
                    let px = x.saturating_add(offset + col * s);
                    let py = y.saturating_add(top + row as i32 * s);
                    for dy in 0..s {
                        for dx in 0..s {
                            canvas.set(px.saturating_add(dx), py.saturating_add(dy), fg);
                        }
                    }
                }
            }
        }
        width
    }

    /// Draws a string; returns its width.
    pub fn draw(
        self,
        canvas: &mut Canvas,
        x: i32,
        y: i32,
        glyphs: &[Glyph],
        fg: u16,
        bg: Option<u16>,
    ) -> i32 {
        let mut cx = x;
        for g in glyphs {
            cx = cx.saturating_add(self.draw_char(canvas, cx, y, *g, fg, bg));
        }
        cx.saturating_sub(x)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::memory::{SCREEN_HEIGHT, SCREEN_WIDTH};

    fn buffer() -> Vec<u8> {
        vec![0xFF; SCREEN_WIDTH * SCREEN_HEIGHT * 2]
    }

    #[test]
    fn decoding() {
        assert_eq!(decode(b"A1"), vec![Glyph::Ascii(b'A'), Glyph::Ascii(b'1')]);
        assert_eq!(
            decode(&[0x7F, 0x50, b'x']),
            vec![Glyph::Unknown, Glyph::Ascii(b'x')]
        );
        assert_eq!(decode(&[0xE6]), vec![Glyph::Unknown]);
        assert_eq!(to_string(&[b'2', 0xA9, b'3', 0x01]), "2×3\u{FFFD}");
    }

    #[test]
    fn large_font_is_fixed_width() {
        let text = decode(b"Wi .");
        assert_eq!(Font::Large.text_width(&text), 4 * 18);
    }

    #[test]
    fn mini_fonts_are_proportional() {
        let w = Font::Mini.char_width(Glyph::Ascii(b'W'));
        let i = Font::Mini.char_width(Glyph::Ascii(b'i'));
        assert!(w > i, "W {w} i {i}");
        assert_eq!(Font::Mini.char_width(Glyph::Ascii(b' ')), 8);
        assert!(Font::MiniMini.char_width(Glyph::Ascii(b'W')) < w);
    }

    #[test]
    fn rendering_draws_ink_inside_the_cell() {
        let mut buf = buffer();
        let mut canvas = Canvas::new(&mut buf);
        let advance = Font::Large.draw(&mut canvas, 18, 24, &decode(b"H"), 0x0000, Some(0xFFFF));
        assert_eq!(advance, 18);
        let mut ink = 0;
        for y in 0..SCREEN_HEIGHT as i32 {
            for x in 0..SCREEN_WIDTH as i32 {
                if canvas.get(x, y) == 0 {
                    ink += 1;
                    assert!(
                        (18..36).contains(&x) && (24..48).contains(&y),
                        "ink at {x},{y}"
                    );
                }
            }
        }
        // 'H' in 8×8 has 2 columns × 7 rows + a bar: plenty of 2×2 pixels.
        assert!(ink > 40, "{ink}");
    }

    #[test]
    fn transparent_background_and_clipping() {
        let mut buf = vec![0x12; SCREEN_WIDTH * SCREEN_HEIGHT * 2];
        let mut canvas = Canvas::new(&mut buf);
        Font::MiniMini.draw(&mut canvas, 380, 210, &decode(b"MMMM"), 0xF800, None);
        Font::Large.draw(
            &mut canvas,
            i32::MAX - 3,
            i32::MIN,
            &decode(b"MM"),
            0xF800,
            Some(0),
        );
        Font::Mini.draw(&mut canvas, -5, -5, &decode(b"Q"), 0xF800, None);
        assert_eq!(canvas.get(0, 100), 0x1212);
    }
}
