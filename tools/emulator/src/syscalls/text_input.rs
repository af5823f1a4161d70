//! The OS's one-line text input: `DisplayMBString(2)`, `EditMBStringChar`
//! and `EditMBStringCtrl(2)` (platform facts §3.4, the input-loop idiom:
//! CHAR keys go to `EditMBStringChar`, the others to `EditMBStringCtrl`).
//!
//! The string is Casio multibyte text (two-byte characters start with a
//! lead byte); `start` (first byte shown) and `xpos` (the cursor) are byte
//! offsets on character boundaries. Choices where the documentation is
//! silent:
//! * `posmax` is the longest string in bytes, NUL not counted; a character
//!   that does not fit is not inserted and the cursor stays.
//! * The line runs from PrintXY cell (x, y) to column 21 (or to the cell
//!   before `pos_to_clear` in the `2` variants, when given); the cursor is
//!   drawn as a 2-pixel black bar at the left of its cell (the OS flashes
//!   it; the emulator shows it steadily).
//! * `EditMBStringCtrl`: LEFT/RIGHT move by one character, DEL deletes the
//!   character before the cursor, AC/ON clears the line; other keys change
//!   nothing. Then `start` scrolls so the cursor is on the line, and the
//!   line is redrawn. `*key` is left as it was.
//! * `DisplayMBString2` follows the SDK header's order `(P1, string, start,
//!   xpos, x, y, pos_to_clear, P8, P9)` (the platform notes list a
//!   ten-argument form; add-ins compile against the header).

use super::display::{print, vram_canvas};
use super::{Action, Ctx, SysErr};
use crate::font::{self, Font};
use crate::graphics::{Rect, BLACK, WHITE};
use crate::keys::KeyCode;

/// Longest string read.
const MAX_STRING: usize = 4096;
/// Last PrintXY column.
const LAST_COLUMN: i32 = 21;

/// Byte offsets where characters start, plus the end.
fn boundaries(bytes: &[u8]) -> Vec<usize> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        out.push(i);
        i += if font::is_lead_byte(bytes[i]) { 2 } else { 1 };
    }
    out.push(bytes.len().min(i));
    out
}

/// Snaps `offset` to the character boundary at or before it.
fn snap(bytes: &[u8], offset: usize) -> usize {
    boundaries(bytes)
        .into_iter()
        .take_while(|b| *b <= offset)
        .last()
        .unwrap_or(0)
}

/// Characters between two boundaries.
fn chars_between(bytes: &[u8], from: usize, to: usize) -> usize {
    boundaries(bytes)
        .iter()
        .filter(|b| **b >= from && **b < to)
        .count()
}

/// Draws the line: text from `start`, the rest of the line cleared, the cursor.
fn draw_line(
    ctx: &mut Ctx,
    bytes: &[u8],
    start: usize,
    xpos: usize,
    cell: (i32, i32),
    end_column: i32,
) {
    // Far-off cells draw nothing but must not overflow the arithmetic.
    let (x, y) = (cell.0.clamp(-64, 64), cell.1.clamp(-64, 64));
    let columns = (end_column - x + 1).max(0) as usize;
    let start = snap(bytes, start.min(bytes.len()));
    let shown: Vec<u8> = {
        let bounds = boundaries(&bytes[start..]);
        let end = bounds.get(columns).copied().unwrap_or(bytes.len() - start);
        bytes[start..start + end].to_vec()
    };
    let (px, py) = ((x - 1) * 18, y * 24);
    let line = Rect::new(px, py, columns as i32 * 18, 24);
    vram_canvas(ctx).fill(line, WHITE);
    ctx.os.text.erase(line);
    let width = print(ctx, Font::Large, px, py, &shown, BLACK, Some(WHITE), None);
    let cursor_cell = chars_between(bytes, start, xpos.max(start)) as i32;
    if cursor_cell < columns as i32 || columns == 0 {
        let cx = px + cursor_cell * 18;
        vram_canvas(ctx).fill(Rect::new(cx, py + 2, 2, 20), BLACK);
        // The cursor is part of the line, not something drawn over its text.
        let (mem, os) = (&mut *ctx.mem, &mut *ctx.os);
        os.text.record(
            mem.vram_mut(),
            Rect::new(px, py, width, 24),
            font::to_string(&shown),
        );
    }
    ctx.os.display.cursor = (x + cursor_cell, y);
}

fn read_string(ctx: &mut Ctx, addr: u32) -> Result<Vec<u8>, SysErr> {
    ctx.cstring(addr, MAX_STRING)
}

fn write_string(ctx: &mut Ctx, addr: u32, bytes: &[u8]) -> Result<(), SysErr> {
    let mut with_nul = bytes.to_vec();
    with_nul.push(0);
    ctx.write_bytes(addr, &with_nul)
}

/// `void DisplayMBString(unsigned char* s, int start, int xpos, int x, int y)`.
pub fn display_mb_string(ctx: &mut Ctx) -> Result<Action, SysErr> {
    let s = ctx.arg(0)?;
    let (start, xpos) = (ctx.arg(1)? as usize, ctx.arg(2)? as usize);
    let (x, y) = (ctx.arg_i32(3)?, ctx.arg_i32(4)?);
    let bytes = read_string(ctx, s)?;
    draw_line(
        ctx,
        &bytes,
        start,
        snap(&bytes, xpos.min(bytes.len())),
        (x, y),
        LAST_COLUMN,
    );
    Ok(Action::Return(0))
}

/// `void DisplayMBString2(int P1, unsigned char* s, int start, int xpos, int x, int y, int pos_to_clear, int P8, int P9)`.
pub fn display_mb_string2(ctx: &mut Ctx) -> Result<Action, SysErr> {
    let s = ctx.arg(1)?;
    let (start, xpos) = (ctx.arg(2)? as usize, ctx.arg(3)? as usize);
    let (x, y) = (ctx.arg_i32(4)?.clamp(-64, 64), ctx.arg_i32(5)?);
    let clear = ctx.arg_i32(6)?.clamp(-64, 64);
    let end = if clear > x {
        (clear - 1).min(LAST_COLUMN)
    } else {
        LAST_COLUMN
    };
    let bytes = read_string(ctx, s)?;
    draw_line(
        ctx,
        &bytes,
        start,
        snap(&bytes, xpos.min(bytes.len())),
        (x, y),
        end,
    );
    Ok(Action::Return(0))
}

/// `int EditMBStringChar(unsigned char* s, int posmax, int xpos, int c)`: the new cursor.
pub fn edit_mb_string_char(ctx: &mut Ctx) -> Result<Action, SysErr> {
    let (s, posmax) = (ctx.arg(0)?, ctx.arg_i32(1)?.max(0) as usize);
    let (xpos, c) = (ctx.arg(2)? as usize, ctx.arg(3)?);
    let mut bytes = read_string(ctx, s)?;
    let xpos = snap(&bytes, xpos.min(bytes.len()));
    let insert: Vec<u8> = if c > 0xFF {
        vec![(c >> 8) as u8, c as u8]
    } else {
        vec![c as u8]
    };
    if c == 0 || bytes.len() + insert.len() > posmax.min(MAX_STRING - 2) {
        return Ok(Action::Return(xpos as u32));
    }
    bytes.splice(xpos..xpos, insert.iter().copied());
    write_string(ctx, s, &bytes)?;
    Ok(Action::Return((xpos + insert.len()) as u32))
}

/// Applies a control key; returns the new string and cursor.
fn control(bytes: &[u8], xpos: usize, key: u32) -> (Vec<u8>, usize) {
    let bounds = boundaries(bytes);
    let index = bounds.iter().position(|b| *b == xpos).unwrap_or(0);
    let mut bytes = bytes.to_vec();
    let code = key as i32;
    let xpos = if code == KeyCode::Left.code() {
        bounds[index.saturating_sub(1)]
    } else if code == KeyCode::Right.code() {
        bounds[(index + 1).min(bounds.len() - 1)]
    } else if code == KeyCode::Del.code() && index > 0 {
        let from = bounds[index - 1];
        bytes.drain(from..xpos);
        from
    } else if code == KeyCode::Ac.code() {
        bytes.clear();
        0
    } else {
        xpos
    };
    (bytes, xpos)
}

fn edit_ctrl(ctx: &mut Ctx, end_column: i32) -> Result<Action, SysErr> {
    let s = ctx.arg(0)?;
    let (start_ptr, xpos_ptr, key_ptr) = (ctx.arg(2)?, ctx.arg(3)?, ctx.arg(4)?);
    let (x, y) = (ctx.arg_i32(5)?.clamp(-64, 64), ctx.arg_i32(6)?);
    let bytes = read_string(ctx, s)?;
    let start = ctx.read_u32(start_ptr)? as usize;
    let xpos = snap(&bytes, (ctx.read_u32(xpos_ptr)? as usize).min(bytes.len()));
    let key = ctx.read_u32(key_ptr)?;
    let (bytes, xpos) = control(&bytes, xpos, key);
    write_string(ctx, s, &bytes)?;
    // Scroll so the cursor is on the line (its cell included).
    let columns = (end_column - x + 1).max(1) as usize;
    let mut start = snap(&bytes, start.min(bytes.len())).min(xpos);
    while chars_between(&bytes, start, xpos) >= columns {
        start = boundaries(&bytes)
            .into_iter()
            .find(|b| *b > start)
            .unwrap_or(xpos);
    }
    ctx.write_u32(start_ptr, start as u32)?;
    ctx.write_u32(xpos_ptr, xpos as u32)?;
    draw_line(ctx, &bytes, start, xpos, (x, y), end_column);
    Ok(Action::Return(0))
}

/// `void EditMBStringCtrl(unsigned char* s, int posmax, int* start, int* xpos, int* key, int x, int y)`.
pub fn edit_mb_string_ctrl(ctx: &mut Ctx) -> Result<Action, SysErr> {
    edit_ctrl(ctx, LAST_COLUMN)
}

/// `void EditMBStringCtrl2(unsigned char* s, int xposmax, int* start, int* xpos, int* key, int x, int y, int enable_pos_to_clear, int pos_to_clear)`.
pub fn edit_mb_string_ctrl2(ctx: &mut Ctx) -> Result<Action, SysErr> {
    let (enable, clear) = (ctx.arg(7)?, ctx.arg_i32(8)?.clamp(-64, 64));
    let x = ctx.arg_i32(5)?.clamp(-64, 64);
    let end = if enable != 0 && clear > x {
        (clear - 1).min(LAST_COLUMN)
    } else {
        LAST_COLUMN
    };
    edit_ctrl(ctx, end)
}

#[cfg(test)]
mod tests {
    use super::super::test_support::Guest;
    use super::*;
    use crate::cpu::Bus;
    use prizm_platform::syscall as sc;

    fn text(g: &mut Guest, s: u32) -> Vec<u8> {
        g.mem.read_cstring(s, 100).unwrap()
    }

    #[test]
    fn typing_moving_deleting_and_scrolling() {
        let mut g = Guest::new();
        let s = g.zeroed(64);
        let (start, xpos, key) = (g.zeroed(4), g.zeroed(4), g.zeroed(4));
        let mut cursor = 0;
        for c in b"HELLO" {
            cursor = g.ret(sc::EditMBStringChar, &[s, 30, cursor, u32::from(*c)]) as u32;
        }
        assert_eq!(cursor, 5);
        // A two-byte character counts as one.
        cursor = g.ret(sc::EditMBStringChar, &[s, 30, cursor, 0x7F50]) as u32;
        assert_eq!(cursor, 7);
        assert_eq!(text(&mut g, s), b"HELLO\x7F\x50");
        // Full: nothing inserted.
        assert_eq!(
            g.ret(sc::EditMBStringChar, &[s, 7, cursor, u32::from(b'!')]),
            7
        );
        g.mem.write32(xpos, cursor).unwrap();
        g.mem.write32(key, KeyCode::Left.code() as u32).unwrap();
        g.ret(sc::EditMBStringCtrl, &[s, 30, start, xpos, key, 1, 2]);
        assert_eq!(
            g.read_u32(xpos),
            5,
            "left skips the whole two-byte character"
        );
        g.mem.write32(key, KeyCode::Del.code() as u32).unwrap();
        g.ret(sc::EditMBStringCtrl, &[s, 30, start, xpos, key, 1, 2]);
        assert_eq!(text(&mut g, s), b"HELL\x7F\x50");
        assert_eq!(g.read_u32(xpos), 4);
        assert!(g.os.text.contains(g.mem.vram_mut(), "HELL"));
        assert_eq!(g.os.display.cursor, (5, 2));
        // Scrolling: 25 characters on a line starting at column 10 (12 cells).
        g.mem
            .write_bytes(s, b"ABCDEFGHIJKLMNOPQRSTUVWXY\0")
            .unwrap();
        g.mem.write32(xpos, 24).unwrap();
        g.mem.write32(start, 0).unwrap();
        g.mem.write32(key, KeyCode::Right.code() as u32).unwrap();
        g.ret(sc::EditMBStringCtrl, &[s, 30, start, xpos, key, 10, 3]);
        assert_eq!(g.read_u32(xpos), 25);
        assert_eq!(g.read_u32(start), 14, "cursor cell at the line's end");
        assert!(g.os.text.contains(g.mem.vram_mut(), "OPQRSTUVWXY"));
        assert!(!g.os.text.contains(g.mem.vram_mut(), "NOP"));
        // AC clears.
        g.mem.write32(key, KeyCode::Ac.code() as u32).unwrap();
        g.ret(sc::EditMBStringCtrl, &[s, 30, start, xpos, key, 10, 3]);
        assert_eq!(text(&mut g, s), b"");
        assert_eq!((g.read_u32(xpos), g.read_u32(start)), (0, 0));
    }

    #[test]
    fn display_variants_limit_the_line() {
        let mut g = Guest::new();
        let s = g.cstr("0123456789");
        g.ret(sc::DisplayMBString, &[s, 2, 4, 1, 1]);
        assert!(g.os.text.contains(g.mem.vram_mut(), "23456789"));
        assert_eq!(g.os.display.cursor, (3, 1));
        g.ret(sc::DisplayMBString2, &[0, s, 0, 0, 1, 4, 6, 0, 0]);
        assert!(g.os.text.contains(g.mem.vram_mut(), "01234"));
        assert!(!g.os.text.contains(g.mem.vram_mut(), "012345"));
        let (start, xpos, key) = (g.zeroed(4), g.zeroed(4), g.zeroed(4));
        g.mem.write32(xpos, 10).unwrap();
        g.ret(
            sc::EditMBStringCtrl2,
            &[s, 20, start, xpos, key, 1, 5, 1, 6],
        );
        assert_eq!(
            g.read_u32(start),
            6,
            "five cells: the cursor after 4 characters"
        );
    }
}
