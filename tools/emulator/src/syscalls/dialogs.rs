//! The OS's pickers: `CharacterSelectDialog` (the CHAR key's symbol
//! picker) and `ColorIndexDialog1` (a colour picker). Both are modal: they
//! draw at once, take keys (scripted presses or codes injected with
//! `Keyboard_PutKeycode`) until a choice, and give the screen back.
//!
//! The OS draws them with its own bitmaps; the emulator draws plain
//! stand-ins (what it shows is written here, and what they return is what
//! the OS's return):
//! * **CharacterSelectDialog** `short (void)`: a framed grid of the
//!   printable ASCII characters (0x21–0x7E), 16 per row, the chosen one
//!   inverted; the arrows move, EXE returns its character code, EXIT returns
//!   0. The OS's picker offers Casio's symbols too (two-byte codes); the
//!   stand-in offers only these.
//! * **ColorIndexDialog1** `unsigned char (unsigned char initial, unsigned
//!   short disable_mask)`: a list of the eight text colours (black, blue,
//!   green, cyan, red, magenta, yellow, white; indices 0–7 as `PrintXY`
//!   numbers them) with swatches, starting at `initial`; bit i of
//!   `disable_mask` skips colour i; UP/DOWN move, EXE returns the index,
//!   EXIT returns 0xFF (platform facts §3.3).

use super::display::{box_rect, msg_box_pop, open_box, print, push_to_lcd, vram_canvas};
use super::{Action, Ctx, SysErr};
use crate::font::Font;
use crate::graphics::{text_color, Rect, BLACK, WHITE};
use crate::keys::{KeyCode, Modifier};
use crate::memory::SCREEN_HEIGHT;

/// First and last characters of the character grid.
const FIRST_CHAR: u8 = 0x21;
const LAST_CHAR: u8 = 0x7E;
/// Characters per grid row.
const PER_ROW: i32 = 16;
/// Colour names, by text-colour index.
const COLOR_NAMES: [&str; 8] = [
    "Black", "Blue", "Green", "Cyan", "Red", "Magenta", "Yellow", "White",
];

/// A picker in progress.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Picker {
    /// `CharacterSelectDialog`, at this character.
    Character(u8),
    /// `ColorIndexDialog1`, at this index, with these disabled.
    Color {
        /// The highlighted colour.
        index: u8,
        /// Bit i set: colour i is not offered.
        disabled: u16,
    },
}

/// The next key code for a picker: an injected code, or a press read as
/// `GetKey` would read it without modifiers.
fn next_code(ctx: &mut Ctx) -> Option<i32> {
    if let Some(injected) = ctx.os.input.take_injected() {
        return Some(i32::from(injected.code));
    }
    let key = ctx.os.input.take_press(ctx.now_ns)?;
    Some(key.get_key(Modifier::None).code())
}

fn wait(ctx: &mut Ctx) -> Result<Action, SysErr> {
    if ctx.nested {
        return Err(SysErr::Fault("a timer handler opened an OS picker".into()));
    }
    let resume_at = ctx.os.input.peek_press().map(|(_, at)| at);
    Ok(Action::Block {
        resume_at,
        deadline: None,
    })
}

fn close(ctx: &mut Ctx, result: u32) -> Result<Action, SysErr> {
    ctx.os.widgets.picker = None;
    msg_box_pop(ctx)?;
    push_to_lcd(ctx, 0, SCREEN_HEIGHT as i32 - 1);
    Ok(Action::Return(result))
}

fn draw(ctx: &mut Ctx, picker: Picker) {
    let rect = box_rect(6);
    let inner = Rect::new(rect.x + 3, rect.y + 3, rect.w - 6, rect.h - 6);
    vram_canvas(ctx).fill(inner, WHITE);
    ctx.os.text.erase(inner);
    match picker {
        Picker::Character(chosen) => {
            print(
                ctx,
                Font::Mini,
                rect.x + 8,
                rect.y + 4,
                b"CHAR",
                BLACK,
                Some(WHITE),
                None,
            );
            for c in FIRST_CHAR..=LAST_CHAR {
                let i = i32::from(c - FIRST_CHAR);
                let (x, y) = (
                    rect.x + 16 + (i % PER_ROW) * 21,
                    rect.y + 26 + (i / PER_ROW) * 18,
                );
                let (fg, bg) = if c == chosen {
                    (WHITE, BLACK)
                } else {
                    (BLACK, WHITE)
                };
                print(ctx, Font::Mini, x, y, &[c], fg, Some(bg), None);
            }
        }
        Picker::Color { index, disabled } => {
            for (i, name) in COLOR_NAMES.iter().enumerate() {
                let y = rect.y + 6 + i as i32 * 18;
                let shown = disabled & (1 << i) == 0;
                let swatch = Rect::new(rect.x + 12, y + 2, 24, 14);
                let mut canvas = vram_canvas(ctx);
                canvas.fill(swatch, text_color(i as u32));
                canvas.outline(swatch, BLACK);
                let (fg, bg) = if i == usize::from(index) {
                    (WHITE, BLACK)
                } else {
                    (BLACK, WHITE)
                };
                let label = if shown { *name } else { "-" };
                print(
                    ctx,
                    Font::Mini,
                    rect.x + 44,
                    y,
                    label.as_bytes(),
                    fg,
                    Some(bg),
                    None,
                );
            }
        }
    }
    push_to_lcd(ctx, 0, SCREEN_HEIGHT as i32 - 1);
}

/// The next colour index from `index` in `step` (±1) that is not disabled.
fn step_color(index: u8, disabled: u16, step: i32) -> u8 {
    let mut i = i32::from(index);
    for _ in 0..8 {
        i = (i + step).rem_euclid(8);
        if disabled & (1 << i) == 0 {
            return i as u8;
        }
    }
    index
}

/// `short CharacterSelectDialog(void)`.
pub fn character_select_dialog(ctx: &mut Ctx) -> Result<Action, SysErr> {
    let mut chosen = match ctx.os.widgets.picker {
        Some(Picker::Character(c)) => c,
        _ => {
            open_box(ctx, box_rect(6));
            b'A'
        }
    };
    while let Some(code) = next_code(ctx) {
        let step = match code {
            c if c == KeyCode::Exe.code() => return close(ctx, u32::from(chosen)),
            c if c == KeyCode::Exit.code() => return close(ctx, 0),
            c if c == KeyCode::Left.code() => -1,
            c if c == KeyCode::Right.code() => 1,
            c if c == KeyCode::Up.code() => -PER_ROW,
            c if c == KeyCode::Down.code() => PER_ROW,
            _ => 0,
        };
        let moved = i32::from(chosen) + step;
        if (i32::from(FIRST_CHAR)..=i32::from(LAST_CHAR)).contains(&moved) {
            chosen = moved as u8;
        }
    }
    ctx.os.widgets.picker = Some(Picker::Character(chosen));
    draw(ctx, Picker::Character(chosen));
    wait(ctx)
}

/// `unsigned char ColorIndexDialog1(unsigned char initial, unsigned short disable_mask)`.
pub fn color_index_dialog1(ctx: &mut Ctx) -> Result<Action, SysErr> {
    let (mut index, disabled) = match ctx.os.widgets.picker {
        Some(Picker::Color { index, disabled }) => (index, disabled),
        _ => {
            let (initial, mask) = (ctx.arg(0)? as u8 & 7, ctx.arg(1)? as u16 & 0xFF);
            open_box(ctx, box_rect(6));
            let start = if mask & (1 << initial) == 0 {
                initial
            } else {
                step_color(initial, mask, 1)
            };
            (start, mask)
        }
    };
    while let Some(code) = next_code(ctx) {
        if code == KeyCode::Exe.code() && disabled & (1 << index) == 0 {
            return close(ctx, u32::from(index));
        } else if code == KeyCode::Exit.code() {
            return close(ctx, 0xFF);
        } else if code == KeyCode::Up.code() {
            index = step_color(index, disabled, -1);
        } else if code == KeyCode::Down.code() {
            index = step_color(index, disabled, 1);
        }
    }
    let picker = Picker::Color { index, disabled };
    ctx.os.widgets.picker = Some(picker);
    draw(ctx, picker);
    wait(ctx)
}

#[cfg(test)]
mod tests {
    use super::super::test_support::Guest;
    use super::*;
    use crate::keys::Key;
    use prizm_platform::syscall as sc;

    #[test]
    fn character_picker_moves_and_returns_the_code() {
        let mut g = Guest::new();
        assert!(matches!(
            g.call(sc::CharacterSelectDialog, &[]),
            Ok(Action::Block { .. })
        ));
        assert!(g.os.text.contains(g.mem.vram_mut(), "CHAR"));
        assert!(g.os.display.lcd_updates > 0, "shown at once");
        // From 'A': right twice, down once = 'A' + 2 + 16 = 'S'.
        g.press(&[Key::Right, Key::Right, Key::Down, Key::Exe]);
        assert_eq!(g.ret(sc::CharacterSelectDialog, &[]), i32::from(b'S'));
        assert!(
            !g.os.text.contains(g.mem.vram_mut(), "CHAR"),
            "screen given back"
        );
        // EXIT returns 0; an injected EXE code works like a press.
        g.press(&[Key::Exit]);
        assert!(matches!(
            g.call(sc::CharacterSelectDialog, &[]),
            Ok(Action::Return(0))
        ));
        g.ret(
            sc::Keyboard_PutKeycode,
            &[-1i32 as u32, -1i32 as u32, KeyCode::Exe.code() as u32],
        );
        assert_eq!(g.ret(sc::CharacterSelectDialog, &[]), i32::from(b'A'));
    }

    #[test]
    fn color_picker_skips_disabled_colours() {
        let mut g = Guest::new();
        // Start at red (4) with magenta (5) disabled: DOWN goes to yellow.
        assert!(matches!(
            g.call(sc::ColorIndexDialog1, &[4, 1 << 5]),
            Ok(Action::Block { .. })
        ));
        assert!(g.os.text.contains(g.mem.vram_mut(), "Red"));
        g.press(&[Key::Down, Key::Exe]);
        assert_eq!(g.ret(sc::ColorIndexDialog1, &[4, 1 << 5]), 6);
        g.press(&[Key::Exit]);
        assert_eq!(g.ret(sc::ColorIndexDialog1, &[0, 0]), 0xFF);
        // A disabled initial colour moves to the next one offered.
        g.press(&[Key::Exe]);
        assert_eq!(g.ret(sc::ColorIndexDialog1, &[0, 0b11]), 2);
        assert_eq!(step_color(7, 0, 1), 0);
        assert_eq!(step_color(0, 0xFF, 1), 0, "nothing offered: stays");
    }
}
