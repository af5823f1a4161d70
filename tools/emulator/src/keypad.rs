//! The calculator's keypad as the window draws it beside the LCD: the keys
//! in the rows of the key matrix (F1–F6 at the top, 0 … EXE at the
//! bottom), each a labelled button the mouse can press, lit while down.
//! Kept apart from the window library so that the layout can be tested.

use crate::font::{self, Font};
use crate::graphics::{Canvas, Rect, BLACK, WHITE};
use crate::keys::Key;
use crate::memory::{SCREEN_HEIGHT, SCREEN_WIDTH};

/// Width of the keypad panel (pixels, before the window's ×2 scale).
pub const PANEL_WIDTH: usize = 240;

/// The keys, row by row, with their labels (ASCII: the emulator's font).
const ROWS: [&[(Key, &str)]; 9] = [
    &[
        (Key::F1, "F1"),
        (Key::F2, "F2"),
        (Key::F3, "F3"),
        (Key::F4, "F4"),
        (Key::F5, "F5"),
        (Key::F6, "F6"),
    ],
    &[
        (Key::Shift, "SHIFT"),
        (Key::Optn, "OPTN"),
        (Key::Vars, "VARS"),
        (Key::Menu, "MENU"),
        (Key::Left, "<"),
        (Key::Up, "Up"),
    ],
    &[
        (Key::Alpha, "ALPHA"),
        (Key::Square, "x2"),
        (Key::Power, "^"),
        (Key::Exit, "EXIT"),
        (Key::Down, "Dn"),
        (Key::Right, ">"),
    ],
    &[
        (Key::XThetaT, "XTT"),
        (Key::Log, "log"),
        (Key::Ln, "ln"),
        (Key::Sin, "sin"),
        (Key::Cos, "cos"),
        (Key::Tan, "tan"),
    ],
    &[
        (Key::Fraction, "ab/c"),
        (Key::FD, "F-D"),
        (Key::LeftParen, "("),
        (Key::RightParen, ")"),
        (Key::Comma, ","),
        (Key::Store, "->"),
    ],
    &[
        (Key::Digit7, "7"),
        (Key::Digit8, "8"),
        (Key::Digit9, "9"),
        (Key::Del, "DEL"),
        (Key::AcOn, "AC"),
    ],
    &[
        (Key::Digit4, "4"),
        (Key::Digit5, "5"),
        (Key::Digit6, "6"),
        (Key::Multiply, "x"),
        (Key::Divide, "/"),
    ],
    &[
        (Key::Digit1, "1"),
        (Key::Digit2, "2"),
        (Key::Digit3, "3"),
        (Key::Plus, "+"),
        (Key::Minus, "-"),
    ],
    &[
        (Key::Digit0, "0"),
        (Key::Dot, "."),
        (Key::Exp, "EXP"),
        (Key::Negate, "(-)"),
        (Key::Exe, "EXE"),
    ],
];

/// Each key's button in panel coordinates, and its label.
pub fn layout() -> Vec<(Key, Rect, &'static str)> {
    let row_height = SCREEN_HEIGHT as i32 / ROWS.len() as i32;
    let mut out = Vec::new();
    for (row, keys) in ROWS.iter().enumerate() {
        let width = PANEL_WIDTH as i32 / keys.len() as i32;
        for (column, (key, label)) in keys.iter().enumerate() {
            let rect = Rect::new(
                column as i32 * width + 2,
                row as i32 * row_height + 2,
                width - 4,
                row_height - 4,
            );
            out.push((*key, rect, *label));
        }
    }
    out
}

/// The key under panel pixel (x, y), if any.
pub fn hit(x: i32, y: i32) -> Option<Key> {
    layout()
        .into_iter()
        .find(|(_, r, _)| x >= r.x && x < r.x + r.w && y >= r.y && y < r.y + r.h)
        .map(|(key, ..)| key)
}

/// Draws the panel, the keys in `lit` inverted, as RGB565 in a
/// screen-sized buffer (the panel occupies its left `PANEL_WIDTH` columns).
pub fn draw(lit: &dyn Fn(Key) -> bool) -> Vec<u16> {
    let mut bytes = vec![0u8; 2 * SCREEN_WIDTH * SCREEN_HEIGHT];
    let mut canvas = Canvas::new(&mut bytes);
    canvas.fill(
        Rect::new(0, 0, PANEL_WIDTH as i32, SCREEN_HEIGHT as i32),
        0x4208,
    );
    for (key, rect, label) in layout() {
        let (fg, bg) = if lit(key) {
            (BLACK, 0xFFE0)
        } else {
            (WHITE, 0x2104)
        };
        canvas.fill(rect, bg);
        canvas.outline(rect, 0x8410);
        let glyphs = font::decode(label.as_bytes());
        let width = Font::MiniMini.text_width(&glyphs);
        let x = rect.x + (rect.w - width).max(0) / 2;
        let y = rect.y + (rect.h - Font::MiniMini.line_height()).max(0) / 2;
        Font::MiniMini.draw(&mut canvas, x, y, &glyphs, fg, Some(bg));
    }
    bytes
        .chunks_exact(2)
        .map(|p| u16::from_be_bytes([p[0], p[1]]))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_key_has_one_button_inside_the_panel() {
        let buttons = layout();
        assert_eq!(buttons.len(), 50, "the fx-CG keypad's 50 keys");
        for (i, (key, rect, _)) in buttons.iter().enumerate() {
            assert!(rect.x >= 0 && rect.x + rect.w <= PANEL_WIDTH as i32);
            assert!(rect.y >= 0 && rect.y + rect.h <= SCREEN_HEIGHT as i32);
            assert!(buttons[i + 1..].iter().all(|(other, ..)| other != key));
            let centre = (rect.x + rect.w / 2, rect.y + rect.h / 2);
            assert_eq!(hit(centre.0, centre.1), Some(*key));
        }
        assert_eq!(hit(0, 0), None, "the gap between buttons");
        assert_eq!(hit(-5, 10), None);
    }

    #[test]
    fn lit_keys_are_drawn_differently() {
        let (_, exe, _) = *layout().iter().find(|(k, ..)| *k == Key::Exe).unwrap();
        let at = (exe.y as usize + 1) * SCREEN_WIDTH + exe.x as usize + 1;
        let dark = draw(&|_| false);
        let lit = draw(&|key| key == Key::Exe);
        assert_ne!(dark[at], lit[at]);
        assert_eq!(lit[at], 0xFFE0);
    }
}
