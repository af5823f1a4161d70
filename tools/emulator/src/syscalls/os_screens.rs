//! Stand-ins for OS screens that open over an add-in.
//!
//! The emulator has no OS of its own to run, so where the calculator opens
//! one of its own applications over the add-in and comes back to it, the
//! emulator draws a plain stand-in (so a screenshot shows that the OS took
//! over) and gives the add-in its screen back afterwards:
//!
//! * **Setup** (SHIFT then MENU in `GetKeyWait_OS`): a white screen titled
//!   "Setup" with the line "OS Setup screen (emulated: EXIT returns)".
//!   Every key but EXIT is swallowed; EXIT closes it and restores VRAM, the
//!   LCD and the text on screen. Setup's settings are not emulated.

use super::display::{print, push_to_lcd, vram_canvas, STATUS_BAR_HEIGHT};
use super::Ctx;
use crate::font::Font;
use crate::graphics::{Rect, BLACK, WHITE};
use crate::memory::{SCREEN_HEIGHT, SCREEN_WIDTH};
use crate::screen_text::TextEntry;

/// What an OS screen covers: VRAM and the text on screen.
#[derive(Debug, Clone)]
pub struct Covered {
    vram: Vec<u8>,
    text: Vec<TextEntry>,
}

fn cover(ctx: &mut Ctx) -> Covered {
    Covered {
        vram: ctx.mem.vram().to_vec(),
        text: ctx.os.text.snapshot(),
    }
}

fn uncover(ctx: &mut Ctx, covered: Covered) {
    ctx.mem.vram_mut().copy_from_slice(&covered.vram);
    ctx.os.text.restore(covered.text);
    push_to_lcd(ctx, 0, SCREEN_HEIGHT as i32 - 1);
}

/// Opens the Setup stand-in (nothing if it is open).
pub fn open_setup(ctx: &mut Ctx) {
    if ctx.os.keyboard.setup_screen.is_some() {
        return;
    }
    let covered = cover(ctx);
    ctx.os.keyboard.setup_screen = Some(covered);
    let whole = Rect::new(0, 0, SCREEN_WIDTH as i32, SCREEN_HEIGHT as i32);
    vram_canvas(ctx).fill(whole, WHITE);
    ctx.os.text.erase(whole);
    print(
        ctx,
        Font::Large,
        0,
        STATUS_BAR_HEIGHT,
        b"Setup",
        BLACK,
        Some(WHITE),
        None,
    );
    print(
        ctx,
        Font::Mini,
        6,
        STATUS_BAR_HEIGHT + 36,
        b"OS Setup screen (emulated: EXIT returns)",
        BLACK,
        Some(WHITE),
        None,
    );
    push_to_lcd(ctx, 0, SCREEN_HEIGHT as i32 - 1);
}

/// Closes the Setup stand-in, giving the add-in its screen back.
pub fn close_setup(ctx: &mut Ctx) {
    if let Some(covered) = ctx.os.keyboard.setup_screen.take() {
        uncover(ctx, covered);
    }
}
