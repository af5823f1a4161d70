//! The OS's drawing helpers beyond plain text and rectangles: F-key
//! labels, the scrollbar, the busy indicator, OS messages printed by
//! number, bitmaps (`Bdisp_WriteGraphVRAM`), saving and restoring VRAM
//! rectangles, and the error-message pop-up.
//!
//! Choices where the documentation is silent (the shapes are the
//! emulator's own drawings, not the OS's bitmaps):
//! * **F-keys.** `GetFKeyPtr(id, &ptr)` sets `ptr` to entry `id` of the
//!   emulator's label table (see `memory.rs`); `FKey_Display(n, ptr)` draws
//!   label n (0–5) in the F-key bar (x = 64·n, y = 192, 64×24): a black tab
//!   with the OS's name for the icon in white, or for the "white" icons a
//!   white tab framed in black. Icon names come from [`FKEY_NAMES`] (the ids
//!   public add-ins use, named as their sources name them); another id
//!   shows as its number, with a warning.
//! * **Scrollbar.** `bartop` is relative to the area below the status bar
//!   (+24, as menus in public add-ins place it at `(first row − 1)·24`); a
//!   black frame with a grey indicator of `indicatorheight/indicatormaximum`
//!   of the bar at `indicatorpos`.
//! * **HourGlass** draws a small black-and-white busy square at the right
//!   end of the status bar, straight to the LCD (the OS shows it at once);
//!   each call turns it a quarter.
//! * **PrintXY_2(mode, x, y, msgno, color)** prints OS message `msgno`
//!   ([`super::os_strings::MESSAGES`]) like `PrintXY`, without skipping
//!   bytes.
//! * **MsgBoxMoveWB(buffer, x0, y0, x1, y1, direction)**: direction 1
//!   copies the VRAM rectangle (y offset by 24) into `buffer` as RGB565
//!   rows, 0 copies it back.
//! * **Bdisp_WriteGraphVRAM**: colour modes 2 (RGB565) and 3 (1 bit per
//!   pixel, rows padded to bytes, set bits `color_idx1`, clear bits
//!   `color_idx2` unless that equals `color_idx3`, the transparent index);
//!   mode 1 (4 bits per pixel) maps indices 0–7 to the text colours and the
//!   others to black; write kinds 1 overwrite, 2 OR, 3 AND, 4 XOR;
//!   `writemodify` 2 inverts; transparency and halftone are ignored. Pixel
//!   coordinates, no status-bar offset. The bitmap is `width` pixels wide,
//!   drawn from (`xofs`, `yofs`).
//! * **SetBackGround(n)** records n (the OS's application background
//!   image); the emulator has no such images and draws nothing.
//! * **AUX_DisplayErrorMessage(msgno)** opens a message box with the
//!   message and "Press:[EXIT]", shows it at once and waits until EXIT or
//!   AC/ON closes it (other keys are ignored; so are injected codes other
//!   than EXIT's).

use super::display::{box_rect, open_box, print, push_to_lcd, vram_canvas, STATUS_BAR_HEIGHT};
use super::os_strings::message;
use super::{Action, Ctx, SysErr};
use crate::font::Font;
use crate::graphics::{text_color, Rect, BLACK, WHITE};
use crate::keys::Key;
use crate::memory::{FKEY_IDS, FKEY_TABLE, SCREEN_HEIGHT, SCREEN_WIDTH};

/// OS F-key icon ids and their names; `true` for the "white" variants.
pub const FKEY_NAMES: &[(u16, &str, bool)] = &[
    (0x0010, "SET", false),
    (0x0034, "COPY", true),
    (0x0037, "SELECT", true),
    (0x0038, "", false),
    (0x0069, "CUT", true),
    (0x0103, "CHANGE", true),
    (0x011C, "TOOL", false),
    (0x012A, "TIME", false),
    (0x0149, "CLEAR", false),
    (0x0188, "RENAME", false),
    (0x01FC, "JUMP", false),
    (0x0307, "A<>a", false),
    (0x03B1, "OPEN", false),
    (0x03DF, "VERSION", false),
    (0x040A, ">", false),
    (0x043A, "POWER", false),
    (0x043E, "LIGHT", false),
    (0x046E, "CATALOG", false),
    (0x049F, "VIEW", false),
    (0x04A3, "Next", false),
];

/// Widget state the OS keeps.
#[derive(Debug, Clone, Default)]
pub struct WidgetState {
    /// `SetBackGround`'s last argument.
    pub background: Option<u32>,
    /// Quarter turns of the busy indicator.
    pub hourglass_phase: u32,
    /// An error-message box is open (`AUX_DisplayErrorMessage` waits).
    pub error_box_open: bool,
    /// An OS picker is open (see [`super::dialogs`]).
    pub picker: Option<super::dialogs::Picker>,
}

/// `void GetFKeyPtr(int id, void* result)`.
pub fn get_fkey_ptr(ctx: &mut Ctx) -> Result<Action, SysErr> {
    let (id, result) = (ctx.arg(0)?, ctx.arg(1)?);
    let pointer = if id < FKEY_IDS {
        FKEY_TABLE + id * 8
    } else {
        ctx.os.warn(format!(
            "GetFKeyPtr: icon id 0x{id:X} is past the OS's table"
        ));
        0
    };
    ctx.write_u32(result, pointer)?;
    Ok(Action::Return(0))
}

/// `void FKey_Display(int n, void* label)`.
pub fn fkey_display(ctx: &mut Ctx) -> Result<Action, SysErr> {
    let (slot, pointer) = (ctx.arg(0)?, ctx.arg(1)?);
    if slot > 5 {
        return Ok(Action::Return(0));
    }
    let in_table = (FKEY_TABLE..FKEY_TABLE + FKEY_IDS * 8).contains(&pointer);
    if !in_table || (pointer - FKEY_TABLE) % 8 != 0 {
        ctx.os.warn(format!(
            "FKey_Display: 0x{pointer:08X} is not a label GetFKeyPtr returned; nothing drawn"
        ));
        return Ok(Action::Return(0));
    }
    let id = ((pointer - FKEY_TABLE) / 8) as u16;
    let (name, white) = match FKEY_NAMES.iter().find(|(known, _, _)| *known == id) {
        Some((_, name, white)) => (name.to_string(), *white),
        None => {
            ctx.os.warn(format!(
                "FKey_Display: icon 0x{id:04X} has no name in the emulator's table"
            ));
            (format!("#{id:03X}"), false)
        }
    };
    let x = slot as i32 * 64;
    let tab = Rect::new(x + 1, 193, 62, 22);
    let (fg, bg) = if white {
        (BLACK, WHITE)
    } else {
        (WHITE, BLACK)
    };
    {
        let mut canvas = vram_canvas(ctx);
        canvas.fill(Rect::new(x, 192, 64, 24), WHITE);
        canvas.fill(tab, bg);
        canvas.outline(tab, BLACK);
    }
    let width = Font::MiniMini.text_width(&crate::font::decode(name.as_bytes()));
    let text_x = x + (64 - width).max(0) / 2;
    print(
        ctx,
        Font::MiniMini,
        text_x,
        199,
        name.as_bytes(),
        fg,
        Some(bg),
        Some(x + 62),
    );
    Ok(Action::Return(0))
}

/// `void Scrollbar(struct scrollbar*)`.
pub fn scrollbar(ctx: &mut Ctx) -> Result<Action, SysErr> {
    let s = ctx.arg(0)?;
    let raw = ctx.mem.read_bytes(s, 28)?;
    let word = |at: usize| u32::from_be_bytes([raw[at], raw[at + 1], raw[at + 2], raw[at + 3]]);
    let half = |at: usize| i32::from(u16::from_be_bytes([raw[at], raw[at + 1]]));
    let (maximum, height, position) = (word(4), word(8), word(12));
    let (left, top, bar_height, bar_width) = (half(20), half(22), half(24), half(26));
    let bar = Rect::new(left, top + STATUS_BAR_HEIGHT, bar_width, bar_height);
    let mut canvas = vram_canvas(ctx);
    canvas.fill(bar, WHITE);
    canvas.outline(bar, BLACK);
    if maximum > 0 && bar_height > 2 {
        let inner = i64::from(bar_height - 2);
        let span = i64::from(height.min(maximum).max(1)) * inner / i64::from(maximum);
        let start = i64::from(position.min(maximum)) * inner / i64::from(maximum);
        let span = span.max(2).min(inner - start.min(inner));
        canvas.fill(
            Rect::new(
                bar.x + 1,
                bar.y + 1 + start as i32,
                bar_width - 2,
                span as i32,
            ),
            0x8410,
        );
    }
    Ok(Action::Return(0))
}

/// `void HourGlass(void)`.
pub fn hourglass(ctx: &mut Ctx) -> Result<Action, SysErr> {
    let phase = ctx.os.widgets.hourglass_phase;
    ctx.os.widgets.hourglass_phase = (phase + 1) % 4;
    let (x, y) = (SCREEN_WIDTH as i32 - 22, 3);
    {
        let mut canvas = vram_canvas(ctx);
        canvas.fill(Rect::new(x, y, 18, 18), WHITE);
        canvas.outline(Rect::new(x, y, 18, 18), BLACK);
        // One filled quarter, turning with each call.
        let (qx, qy) = [(0, 0), (9, 0), (9, 9), (0, 9)][phase as usize];
        canvas.fill(Rect::new(x + qx, y + qy, 9, 9), BLACK);
    }
    push_to_lcd(ctx, y, y + 17);
    Ok(Action::Return(0))
}

/// `void PrintXY_2(int mode, int x, int y, int msgno, int color)`.
pub fn print_xy_2(ctx: &mut Ctx) -> Result<Action, SysErr> {
    let (mode, x, y) = (ctx.arg(0)?, ctx.arg_i32(1)?, ctx.arg_i32(2)?);
    let (msgno, color) = (ctx.arg(3)?, ctx.arg(4)?);
    let text = message(msgno).unwrap_or_else(|| {
        ctx.os.warn(format!(
            "PrintXY_2: OS message {msgno} is not in the emulator's table"
        ));
        ""
    });
    let (fg, bg) = super::display::mode_colors(mode, text_color(color));
    let px = x.saturating_sub(1).saturating_mul(18);
    let py = y.saturating_mul(24);
    print(ctx, Font::Large, px, py, text.as_bytes(), fg, bg, None);
    Ok(Action::Return(0))
}

/// `void MsgBoxMoveWB(void* buffer, int x0, int y0, int x1, int y1, int direction)`.
pub fn msg_box_move_wb(ctx: &mut Ctx) -> Result<Action, SysErr> {
    let buffer = ctx.arg(0)?;
    let (x0, y0, x1, y1) = (
        ctx.arg_i32(1)?,
        ctx.arg_i32(2)?,
        ctx.arg_i32(3)?,
        ctx.arg_i32(4)?,
    );
    let save = ctx.arg(5)? == 1;
    let below = |y: i32| y.saturating_add(STATUS_BAR_HEIGHT);
    let Some(rect) = Rect::from_corners(x0, below(y0), x1, below(y1)).clipped() else {
        return Ok(Action::Return(0));
    };
    let row_bytes = rect.w as usize * 2;
    for row in 0..rect.h {
        let y = (rect.y + row) as usize;
        let start = 2 * (y * SCREEN_WIDTH + rect.x as usize);
        let at = buffer.wrapping_add((row as usize * row_bytes) as u32);
        if save {
            let bytes = ctx.mem.vram()[start..start + row_bytes].to_vec();
            ctx.write_bytes(at, &bytes)?;
        } else {
            let bytes = ctx.mem.read_bytes(at, row_bytes)?;
            ctx.mem.vram_mut()[start..start + row_bytes].copy_from_slice(&bytes);
        }
    }
    if !save {
        ctx.os.text.erase(rect);
    }
    Ok(Action::Return(0))
}

/// `void SetBackGround(int image)`.
pub fn set_background(ctx: &mut Ctx) -> Result<Action, SysErr> {
    ctx.os.widgets.background = Some(ctx.arg(0)?);
    Ok(Action::Return(0))
}

/// `void Bdisp_WriteGraphVRAM(struct display_graph*)`.
pub fn write_graph_vram(ctx: &mut Ctx) -> Result<Action, SysErr> {
    let g = ctx.arg(0)?;
    let raw = ctx.mem.read_bytes(g, 44)?;
    let int = |at: usize| i32::from_be_bytes([raw[at], raw[at + 1], raw[at + 2], raw[at + 3]]);
    // Far-off positions draw nothing but must not overflow the arithmetic.
    let (x, y) = (int(0).clamp(-8192, 8192), int(4).clamp(-8192, 8192));
    let (xofs, yofs) = (int(8).clamp(0, 8192), int(12).clamp(0, 8192));
    let (width, height) = (int(16), int(20));
    let colormode = raw[24];
    let bitmap = int(28) as u32;
    let (set_index, clear_index, transparent_index) = (raw[32], raw[33], raw[34]);
    let (modify, kind) = (raw[36], raw[37]);
    if !(0..=4096).contains(&width) || !(0..=4096).contains(&height) {
        return Err(SysErr::Fault(format!(
            "Bdisp_WriteGraphVRAM: a {width}×{height} bitmap"
        )));
    }
    let (width, height) = (width as usize, height as usize);
    let stride = match colormode {
        1 => width.div_ceil(2),
        2 => width * 2,
        3 => width.div_ceil(8),
        other => {
            ctx.os.warn(format!(
                "Bdisp_WriteGraphVRAM: colour mode {other} is not emulated"
            ));
            return Ok(Action::Return(0));
        }
    };
    let pixels = ctx.mem.read_bytes(bitmap, stride * height)?;
    let mut canvas = vram_canvas(ctx);
    for by in yofs.max(0) as usize..height {
        for bx in xofs.max(0) as usize..width {
            let row = &pixels[by * stride..(by + 1) * stride];
            let color = match colormode {
                1 => {
                    let byte = row[bx / 2];
                    let index = if bx % 2 == 0 { byte >> 4 } else { byte & 0x0F };
                    Some(text_color(u32::from(index)))
                }
                2 => Some(u16::from_be_bytes([row[2 * bx], row[2 * bx + 1]])),
                _ => {
                    let set = row[bx / 8] & (0x80 >> (bx % 8)) != 0;
                    let index = if set { set_index } else { clear_index };
                    (set || clear_index != transparent_index).then(|| text_color(u32::from(index)))
                }
            };
            let Some(mut color) = color else { continue };
            if modify == 2 {
                color = !color;
            }
            let (px, py) = (x + (bx as i32 - xofs), y + (by as i32 - yofs));
            let old = canvas.get(px, py);
            let new = match kind {
                2 => old | color,
                3 => old & color,
                4 => old ^ color,
                _ => color,
            };
            canvas.set(px, py, new);
        }
    }
    let rect = Rect::new(x, y, width as i32 - xofs, height as i32 - yofs);
    ctx.os.text.erase(rect);
    Ok(Action::Return(0))
}

/// `void AUX_DisplayErrorMessage(int msgno)`: blocks until EXIT or AC/ON.
pub fn aux_display_error_message(ctx: &mut Ctx) -> Result<Action, SysErr> {
    if !ctx.os.widgets.error_box_open {
        let msgno = ctx.arg(0)?;
        let text = message(msgno).map_or_else(|| format!("Error {msgno}"), str::to_string);
        let rect = box_rect(4);
        open_box(ctx, rect);
        let width = Font::Large.text_width(&crate::font::decode(text.as_bytes()));
        let x = ((SCREEN_WIDTH as i32 - width) / 2).max(rect.x + 6);
        print(
            ctx,
            Font::Large,
            x,
            2 * 24 + 12,
            text.as_bytes(),
            BLACK,
            Some(WHITE),
            None,
        );
        print(
            ctx,
            Font::Large,
            4 * 18,
            4 * 24 + 12,
            b"Press:[EXIT]",
            BLACK,
            Some(WHITE),
            None,
        );
        push_to_lcd(ctx, 0, SCREEN_HEIGHT as i32 - 1);
        ctx.os.widgets.error_box_open = true;
    }
    let mut closed = false;
    // Codes injected with Keyboard_PutKeycode count too (as EXIT's code or its matrix position).
    while let Some(injected) = ctx.os.input.take_injected() {
        let exit = i32::from(injected.code) == crate::keys::KeyCode::Exit.code()
            || (injected.column, injected.row) == Key::Exit.matrix();
        closed |= exit;
    }
    if closed {
        ctx.os.widgets.error_box_open = false;
        super::display::msg_box_pop(ctx)?;
        return Ok(Action::Return(0));
    }
    while let Some(key) = ctx.os.input.take_press(ctx.now_ns) {
        if matches!(key, Key::Exit | Key::AcOn) {
            ctx.os.widgets.error_box_open = false;
            super::display::msg_box_pop(ctx)?;
            return Ok(Action::Return(0));
        }
    }
    let resume_at = ctx.os.input.peek_press().map(|(_, at)| at);
    Ok(Action::Block {
        resume_at,
        deadline: None,
    })
}

/// File types `SMEM_MapIconToExt` tells apart: extension (empty for a
/// folder), the emulator's message number for its description, the
/// description, and the icon's band colour.
pub const FILE_TYPES: &[(&str, u32, &str, u16)] = &[
    ("", 0x7E00, "Folder", 0xFD20),
    ("g3a", 0x7E01, "Add-In", 0x001F),
    ("g3m", 0x7E02, "Main Memory Data", 0x07E0),
    ("g3e", 0x7E03, "eActivity", 0xF81F),
    ("g3p", 0x7E04, "Picture", 0xF800),
    ("g3b", 0x7E05, "Capture Image", 0xFFE0),
    ("bmp", 0x7E06, "Bitmap Image", 0x07FF),
    ("txt", 0x7E07, "Text File", 0x8410),
    ("csv", 0x7E08, "CSV File", 0x0410),
];
/// Message number of the types not in [`FILE_TYPES`].
pub const UNSUPPORTED_FILE: (u32, &str) = (0x7E0F, "Unsupported File");
/// Icon size (`unsigned short iconbuffer[0x12*0x18]`).
const ICON_W: usize = 0x12;
const ICON_H: usize = 0x18;

/// `int SMEM_MapIconToExt(unsigned char* name, unsigned short* folder,
/// unsigned int* msgno, unsigned short* icon)`: the file type of `name` (a
/// name without extension is a folder): a message number for
/// `LocalizeMessage1` and an 18×24 RGB565 icon. The OS's numbers and
/// icons are not documented: the emulator's message numbers are its own
/// (0x7E00–0x7E0F, in [`FILE_TYPES`]) and its icon is a page with a band in
/// the type's colour. Returns 0.
pub fn smem_map_icon_to_ext(ctx: &mut Ctx) -> Result<Action, SysErr> {
    let (name, msgno, icon) = (ctx.arg(0)?, ctx.arg(2)?, ctx.arg(3)?);
    let name = ctx.cstring(name, 512)?;
    let name = String::from_utf8_lossy(&name).to_ascii_lowercase();
    let extension = match name.rsplit_once('.') {
        Some((_, extension)) => extension.to_string(),
        None => String::new(),
    };
    let (number, color) = FILE_TYPES
        .iter()
        .find(|(known, ..)| *known == extension)
        .map_or((UNSUPPORTED_FILE.0, 0x0000), |(_, number, _, color)| {
            (*number, *color)
        });
    ctx.write_u32(msgno, number)?;
    if icon != 0 {
        let mut pixels = Vec::with_capacity(ICON_W * ICON_H * 2);
        for y in 0..ICON_H {
            for x in 0..ICON_W {
                let border = x == 1 || x == ICON_W - 2 || y == 1 || y == ICON_H - 2;
                let inside = (1..ICON_W - 1).contains(&x) && (1..ICON_H - 1).contains(&y);
                let pixel = if !inside {
                    WHITE
                } else if border {
                    BLACK
                } else if (14..20).contains(&y) {
                    color
                } else {
                    WHITE
                };
                pixels.extend_from_slice(&pixel.to_be_bytes());
            }
        }
        ctx.write_bytes(icon, &pixels)?;
    }
    Ok(Action::Return(0))
}

#[cfg(test)]
mod tests {
    use super::super::test_support::Guest;
    use super::*;
    use prizm_platform::syscall as sc;

    fn pixel(g: &Guest, x: usize, y: usize) -> u16 {
        let vram = g.mem.vram();
        u16::from_be_bytes([
            vram[2 * (y * SCREEN_WIDTH + x)],
            vram[2 * (y * SCREEN_WIDTH + x) + 1],
        ])
    }

    #[test]
    fn fkey_labels_come_from_the_table() {
        let mut g = Guest::new();
        let ptr = g.zeroed(4);
        g.ret(sc::GetFKeyPtr, &[0x043A, ptr]);
        let label = g.read_u32(ptr);
        assert_eq!(label, FKEY_TABLE + 0x043A * 8);
        g.ret(sc::FKey_Display, &[2, label]);
        assert_eq!(pixel(&g, 2 * 64 + 2, 194), BLACK, "a black tab in slot 2");
        assert!(g.os.text.contains(g.mem.vram_mut(), "POWER"));
        g.ret(sc::GetFKeyPtr, &[0x0037, ptr]);
        let select = g.read_u32(ptr);
        g.ret(sc::FKey_Display, &[0, select]);
        assert_eq!(pixel(&g, 3, 196), WHITE, "SELECT is a white tab");
        assert!(g.os.text.contains(g.mem.vram_mut(), "SELECT"));
        g.ret(sc::GetFKeyPtr, &[0x0123, ptr]);
        let unknown = g.read_u32(ptr);
        g.ret(sc::FKey_Display, &[5, unknown]);
        assert!(g.os.text.contains(g.mem.vram_mut(), "#123"));
        g.ret(sc::FKey_Display, &[1, 0x0810_0000]);
        assert!(g.os.warnings.iter().any(|w| w.contains("not a label")));
    }

    #[test]
    fn scrollbar_draws_frame_and_indicator() {
        let mut g = Guest::new();
        let mut s = Vec::new();
        for word in [0u32, 10, 5, 5, 0] {
            s.extend_from_slice(&word.to_be_bytes());
        }
        for half in [378u16, 0, 100, 6] {
            s.extend_from_slice(&half.to_be_bytes());
        }
        let sb = g.put(&s);
        g.ret(sc::Scrollbar, &[sb]);
        assert_eq!(pixel(&g, 378, 24), BLACK, "frame top-left at bartop + 24");
        assert_eq!(pixel(&g, 380, 30), WHITE, "upper half empty");
        assert_eq!(
            pixel(&g, 380, 24 + 1 + 49 + 10),
            0x8410,
            "indicator in the lower half"
        );
    }

    #[test]
    fn hourglass_reaches_the_lcd_at_once() {
        let mut g = Guest::new();
        let before = g.os.display.lcd_updates;
        g.ret(sc::HourGlass, &[]);
        assert!(g.os.display.lcd_updates > before);
        let at = 4 * SCREEN_WIDTH + SCREEN_WIDTH - 20;
        assert_eq!(g.os.display.lcd[at], BLACK);
        g.ret(sc::HourGlass, &[]);
        assert_eq!(g.os.display.lcd[at], WHITE, "turned a quarter");
    }

    #[test]
    fn print_xy_2_prints_os_messages() {
        let mut g = Guest::new();
        g.ret(sc::PrintXY_2, &[0, 1, 5, 2, 0]);
        assert!(g.os.text.contains(g.mem.vram_mut(), "Press:[EXIT]"));
    }

    #[test]
    fn msg_box_move_wb_saves_and_restores() {
        let mut g = Guest::new();
        let buffer = g.zeroed(10 * 10 * 2);
        g.ret(sc::Bdisp_SetPoint_VRAM, &[5, 24 + 5, 0x1234]);
        g.ret(sc::MsgBoxMoveWB, &[buffer, 0, 0, 9, 9, 1]);
        assert_eq!(g.read(buffer + 2 * (5 * 10 + 5), 2), [0x12, 0x34]);
        g.ret(sc::Bdisp_AllClr_VRAM, &[]);
        g.ret(sc::MsgBoxMoveWB, &[buffer, 0, 0, 9, 9, 0]);
        assert_eq!(pixel(&g, 5, 29), 0x1234);
    }

    #[test]
    fn write_graph_vram_modes() {
        let mut g = Guest::new();
        let rgb = g.put(&[0xF8, 0x00, 0x07, 0xE0, 0x00, 0x1F, 0xFF, 0xFF]);
        let mut d = Vec::new();
        for v in [10i32, 20, 1, 0, 4, 1] {
            d.extend_from_slice(&v.to_be_bytes());
        }
        d.extend_from_slice(&[2, 0, 0x20, 0x20]);
        d.extend_from_slice(&rgb.to_be_bytes());
        d.extend_from_slice(&[0, 0, 0, 1, 1, 1, 0, 0]);
        d.extend_from_slice(&0i32.to_be_bytes());
        let gd = g.put(&d);
        g.ret(sc::Bdisp_WriteGraphVRAM, &[gd]);
        assert_eq!(pixel(&g, 10, 20), 0x07E0, "xofs 1 skips the first pixel");
        assert_eq!(pixel(&g, 11, 20), 0x001F);
        assert_eq!(pixel(&g, 13, 20), WHITE, "nothing past the bitmap");
        // 1 bpp, XOR: set bits in colour 4 (red) XORed onto white.
        let bits = g.put(&[0b1000_0000]);
        d[24] = 3;
        d[28..32].copy_from_slice(&bits.to_be_bytes());
        d[8..12].copy_from_slice(&0i32.to_be_bytes());
        d[32..35].copy_from_slice(&[4, 7, 7]);
        d[37] = 4;
        let gd = g.put(&d);
        g.ret(sc::Bdisp_WriteGraphVRAM, &[gd]);
        assert_eq!(pixel(&g, 10, 20), 0x07E0 ^ text_color(4));
        assert_eq!(pixel(&g, 11, 20), 0x001F, "clear bits transparent");
    }

    #[test]
    fn file_types_map_to_messages_and_icons() {
        let mut g = Guest::new();
        let (msgno, icon) = (g.zeroed(4), g.zeroed(ICON_W * ICON_H * 2));
        let folder = g.zeroed(16);
        let name = g.cstr("Utilities.G3A");
        assert_eq!(
            g.ret(sc::SMEM_MapIconToExt, &[name, folder, msgno, icon]),
            0
        );
        assert_eq!(g.read_u32(msgno), 0x7E01);
        let text = g.zeroed(32);
        g.ret(sc::LocalizeMessage1, &[0x7E01, text]);
        assert_eq!(g.read(text, 7), b"Add-In\0");
        let band = 2 * (16 * ICON_W + 9) as u32;
        assert_eq!(g.read(icon + band, 2), 0x001Fu16.to_be_bytes());
        let name = g.cstr("notes");
        g.ret(sc::SMEM_MapIconToExt, &[name, folder, msgno, 0]);
        assert_eq!(g.read_u32(msgno), 0x7E00, "no extension: a folder");
        let name = g.cstr("data.xyz");
        g.ret(sc::SMEM_MapIconToExt, &[name, folder, msgno, 0]);
        assert_eq!(g.read_u32(msgno), UNSUPPORTED_FILE.0);
    }

    #[test]
    fn error_message_waits_for_exit() {
        let mut g = Guest::new();
        assert!(matches!(
            g.call(sc::AUX_DisplayErrorMessage, &[0x13]),
            Ok(Action::Block { .. })
        ));
        assert!(g.os.text.contains(g.mem.vram_mut(), "Mismatch"));
        assert!(g.os.display.lcd_updates > 0, "shown at once");
        let now = g.now_ns;
        g.os.input.queue(Key::Exe, now);
        g.os.input.queue(Key::Exit, now);
        g.now_ns = g.os.input.last_release_ns();
        assert_eq!(g.ret(sc::AUX_DisplayErrorMessage, &[0x13]), 0);
        assert!(!g.os.text.contains(g.mem.vram_mut(), "Mismatch"));
    }
}
