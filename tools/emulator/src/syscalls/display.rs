//! Display syscalls: VRAM and LCD, rectangles, the OS text printers, the
//! status bar, message boxes and the progress bar.
//!
//! Choices where the OS's behaviour is not documented (docs/platform.md §3.2, §4):
//! * `PrintXY(x, y, …)` skips the first two bytes; cell (x, y) is the pixel
//!   `((x−1)·18, y·24)`, so row 1 sits right below the status bar.
//! * `PrintCXY`, `PrintMini` and `PrintMiniMini` take pixel coordinates
//!   relative to the area below the status bar: y is offset by 24, as the
//!   `Bdisp_Rectangle` family does.
//! * `PrintMini` mode flags: 0x02 transparent background, 0x04 inverted
//!   colours; `writeflag` 0 only measures. `PrintMiniMini`: mode1 0x04
//!   inverted; mode2 1 only measures; its colour is a text-colour index.
//! * `PrintXY`/`Print_OS` modes: bit 0x01 inverts, bit 0x20 leaves the
//!   background (so 0x21, "AND", draws like transparent).
//! * `Bdisp_Fill_VRAM(color, mode)`: mode 1 fills rows 24–191 (between the
//!   status and F-key bars), mode 2 rows 24–215, any other mode the whole
//!   screen (Utilities uses 3).
//! * `Bdisp_AreaClr(area, P2, color)`: fills the area (pixel coordinates,
//!   no offset) with `color` when P2 is non-zero, white otherwise.
//! * `EnableStatusArea(3)` hides the status bar; any other value shows it.
//!   `EnableDisplayHeader(_, 0)` stops `GetKey` from drawing it.
//! * `MsgBoxPush(n)` draws a framed box around PrintXY rows 2…n+1 and
//!   saves what it covers; `MsgBoxPop` restores it. `ProgressBar` opens such
//!   a box on its first call; `MsgBoxPop` closes it.

use super::{Action, Ctx, SysErr};
use crate::font::{self, Font};
use crate::graphics::{text_color, Canvas, Rect, BLACK, WHITE};
use crate::memory::{SCREEN_HEIGHT, SCREEN_WIDTH, SECONDARY_VRAM_ADDR, VRAM_ADDR};
use crate::screen_text::TextEntry;

/// Height of the status bar.
pub const STATUS_BAR_HEIGHT: i32 = 24;

/// The status bar's settings.
#[derive(Debug, Clone)]
pub struct StatusArea {
    /// Shown (`EnableStatusArea`).
    pub enabled: bool,
    /// `GetKey` draws it (`EnableDisplayHeader`).
    pub drawn_by_getkey: bool,
    /// `DefineStatusAreaFlags` flags.
    pub flags: u32,
    /// The two colour bytes of `DefineStatusAreaFlags`.
    pub colors: [u8; 2],
    /// `DefineStatusMessage` text.
    pub message: Vec<u8>,
    /// Its colour index.
    pub message_color: u8,
}

impl Default for StatusArea {
    fn default() -> Self {
        StatusArea {
            enabled: true,
            drawn_by_getkey: true,
            flags: 0x0303,
            colors: [0, 0],
            message: Vec::new(),
            message_color: 0,
        }
    }
}

#[derive(Debug, Clone)]
struct SavedScreen {
    vram: Vec<u8>,
    text: Vec<TextEntry>,
}

/// Display state kept by the OS.
#[derive(Debug, Clone)]
pub struct DisplayState {
    /// What the LCD shows (RGB565), updated by `Bdisp_PutDisp_DD` & co.
    pub lcd: Vec<u16>,
    /// How many times VRAM was pushed to the LCD.
    pub lcd_updates: u64,
    /// `Bdisp_EnableColor`.
    pub color_enabled: bool,
    /// `DrawFrame` colour.
    pub frame_color: u16,
    /// The status bar.
    pub status: StatusArea,
    /// `locate_OS` cursor (PrintXY cells).
    pub cursor: (i32, i32),
    saved_text: Vec<TextEntry>,
    boxes: Vec<SavedScreen>,
    progress_open: bool,
}

impl Default for DisplayState {
    fn default() -> Self {
        DisplayState {
            lcd: vec![WHITE; SCREEN_WIDTH * SCREEN_HEIGHT],
            lcd_updates: 0,
            color_enabled: false,
            frame_color: WHITE,
            status: StatusArea::default(),
            cursor: (1, 1),
            saved_text: Vec::new(),
            boxes: Vec::new(),
            progress_open: false,
        }
    }
}

/// Copies rows `y1..=y2` of VRAM to the LCD.
pub fn push_to_lcd(ctx: &mut Ctx, y1: i32, y2: i32) {
    let y1 = y1.clamp(0, SCREEN_HEIGHT as i32 - 1) as usize;
    let y2 = y2.clamp(0, SCREEN_HEIGHT as i32 - 1) as usize;
    if y1 > y2 {
        return;
    }
    let vram = ctx.mem.vram();
    for i in y1 * SCREEN_WIDTH..(y2 + 1) * SCREEN_WIDTH {
        ctx.os.display.lcd[i] = u16::from_be_bytes([vram[2 * i], vram[2 * i + 1]]);
    }
    ctx.os.display.lcd_updates += 1;
}

pub(crate) fn vram_canvas<'a>(ctx: &'a mut Ctx) -> Canvas<'a> {
    Canvas::new(ctx.mem.vram_mut())
}

/// `void Bdisp_AllClr_VRAM(void)`.
pub fn all_clr_vram(ctx: &mut Ctx) -> Result<Action, SysErr> {
    ctx.mem.vram_mut().fill(0xFF);
    ctx.os.text.clear();
    Ok(Action::Return(0))
}

/// `void Bdisp_PutDisp_DD(void)`.
pub fn put_disp_dd(ctx: &mut Ctx) -> Result<Action, SysErr> {
    push_to_lcd(ctx, 0, SCREEN_HEIGHT as i32 - 1);
    Ok(Action::Return(0))
}

/// `void Bdisp_PutDisp_DD_stripe(int y1, int y2)`.
pub fn put_disp_dd_stripe(ctx: &mut Ctx) -> Result<Action, SysErr> {
    let (y1, y2) = (ctx.arg_i32(0)?, ctx.arg_i32(1)?);
    push_to_lcd(ctx, y1, y2);
    Ok(Action::Return(0))
}

/// `void Bdisp_EnableColor(int n)`.
pub fn enable_color(ctx: &mut Ctx) -> Result<Action, SysErr> {
    ctx.os.display.color_enabled = ctx.arg(0)? != 0;
    Ok(Action::Return(0))
}

/// `void Bdisp_SetPoint_VRAM(int x, int y, int color)`.
pub fn set_point_vram(ctx: &mut Ctx) -> Result<Action, SysErr> {
    let (x, y, color) = (ctx.arg_i32(0)?, ctx.arg_i32(1)?, ctx.arg(2)? as u16);
    vram_canvas(ctx).set(x, y, color);
    Ok(Action::Return(0))
}

/// `unsigned short Bdisp_GetPoint_VRAM(int x, int y)`.
pub fn get_point_vram(ctx: &mut Ctx) -> Result<Action, SysErr> {
    let (x, y) = (ctx.arg_i32(0)?, ctx.arg_i32(1)?);
    Ok(Action::Return(u32::from(vram_canvas(ctx).get(x, y))))
}

fn lcd_index(x: i32, y: i32) -> Option<usize> {
    (x >= 0 && y >= 0 && (x as usize) < SCREEN_WIDTH && (y as usize) < SCREEN_HEIGHT)
        .then(|| y as usize * SCREEN_WIDTH + x as usize)
}

/// `void Bdisp_SetPoint_DD(int x, int y, int color)`: straight to the LCD.
pub fn set_point_dd(ctx: &mut Ctx) -> Result<Action, SysErr> {
    let (x, y, color) = (ctx.arg_i32(0)?, ctx.arg_i32(1)?, ctx.arg(2)? as u16);
    if let Some(i) = lcd_index(x, y) {
        ctx.os.display.lcd[i] = color;
    }
    Ok(Action::Return(0))
}

/// `unsigned short Bdisp_GetPoint_DD(int x, int y)`.
pub fn get_point_dd(ctx: &mut Ctx) -> Result<Action, SysErr> {
    let (x, y) = (ctx.arg_i32(0)?, ctx.arg_i32(1)?);
    Ok(Action::Return(
        lcd_index(x, y)
            .map(|i| u32::from(ctx.os.display.lcd[i]))
            .unwrap_or(0),
    ))
}

/// `void Bdisp_Fill_VRAM(int color, int mode)`.
pub fn fill_vram(ctx: &mut Ctx) -> Result<Action, SysErr> {
    let (color, mode) = (ctx.arg(0)? as u16, ctx.arg(1)?);
    let rect = match mode {
        1 => Rect::new(0, 24, SCREEN_WIDTH as i32, 168),
        2 => Rect::new(0, 24, SCREEN_WIDTH as i32, 192),
        _ => Rect::new(0, 0, SCREEN_WIDTH as i32, SCREEN_HEIGHT as i32),
    };
    vram_canvas(ctx).fill(rect, color);
    ctx.os.text.erase(rect);
    Ok(Action::Return(0))
}

/// `void Bdisp_AreaClr(struct display_fill* area, unsigned char P2, unsigned short color)`.
pub fn area_clr(ctx: &mut Ctx) -> Result<Action, SysErr> {
    let area = ctx.arg(0)?;
    let p2 = ctx.arg(1)? as u8;
    let color = if p2 != 0 { ctx.arg(2)? as u16 } else { WHITE };
    let x1 = ctx.read_u32(area)? as i32;
    let y1 = ctx.read_u32(area.wrapping_add(4))? as i32;
    let x2 = ctx.read_u32(area.wrapping_add(8))? as i32;
    let y2 = ctx.read_u32(area.wrapping_add(12))? as i32;
    let rect = Rect::from_corners(x1, y1, x2, y2);
    vram_canvas(ctx).fill(rect, color);
    Ok(Action::Return(0))
}

fn rect_below_status(ctx: &mut Ctx) -> Result<Rect, SysErr> {
    let (x1, y1, x2, y2) = (
        ctx.arg_i32(0)?,
        ctx.arg_i32(1)?,
        ctx.arg_i32(2)?,
        ctx.arg_i32(3)?,
    );
    Ok(Rect::from_corners(
        x1,
        y1.saturating_add(24),
        x2,
        y2.saturating_add(24),
    ))
}

/// `void Bdisp_Rectangle(int x1, int y1, int x2, int y2, char color_index)`: outline, y + 24.
pub fn rectangle(ctx: &mut Ctx) -> Result<Action, SysErr> {
    let rect = rect_below_status(ctx)?;
    let color = text_color(ctx.arg(4)? & 0xFF);
    vram_canvas(ctx).outline(rect, color);
    Ok(Action::Return(0))
}

/// `void Bdisp_FilledRectangle(int x1, int y1, int x2, int y2, char color_index)`: y + 24.
pub fn filled_rectangle(ctx: &mut Ctx) -> Result<Action, SysErr> {
    let rect = rect_below_status(ctx)?;
    let color = text_color(ctx.arg(4)? & 0xFF);
    vram_canvas(ctx).fill(rect, color);
    Ok(Action::Return(0))
}

/// `void Bdisp_FilledRectangleFullColor(int x1, int y1, int x2, int y2, unsigned short color)`: y + 24.
pub fn filled_rectangle_full_color(ctx: &mut Ctx) -> Result<Action, SysErr> {
    let rect = rect_below_status(ctx)?;
    let color = ctx.arg(4)? as u16;
    vram_canvas(ctx).fill(rect, color);
    Ok(Action::Return(0))
}

/// `void DirectDrawRectangle(int x1, int y1, int x2, int y2, unsigned short color)`: on the LCD.
pub fn direct_draw_rectangle(ctx: &mut Ctx) -> Result<Action, SysErr> {
    let (x1, y1, x2, y2) = (
        ctx.arg_i32(0)?,
        ctx.arg_i32(1)?,
        ctx.arg_i32(2)?,
        ctx.arg_i32(3)?,
    );
    let color = ctx.arg(4)? as u16;
    if let Some(r) = Rect::from_corners(x1, y1, x2, y2).clipped() {
        for y in r.y..r.y + r.h {
            for x in r.x..r.x + r.w {
                if let Some(i) = lcd_index(x, y) {
                    ctx.os.display.lcd[i] = color;
                }
            }
        }
    }
    Ok(Action::Return(0))
}

/// `void* GetVRAMAddress(void)`.
pub fn get_vram_address(ctx: &mut Ctx) -> Result<Action, SysErr> {
    Ok(Action::Return(ctx.mem.model().shown(VRAM_ADDR)))
}

/// `void* GetSecondaryVRAMAddress(void)`.
pub fn get_secondary_vram_address(ctx: &mut Ctx) -> Result<Action, SysErr> {
    Ok(Action::Return(ctx.mem.model().shown(SECONDARY_VRAM_ADDR)))
}

/// `void SaveVRAM_1(void)`.
pub fn save_vram_1(ctx: &mut Ctx) -> Result<Action, SysErr> {
    let (vram, secondary) = ctx.mem.vram_and_secondary_mut();
    secondary.copy_from_slice(vram);
    ctx.os.display.saved_text = ctx.os.text.snapshot();
    Ok(Action::Return(0))
}

/// `void LoadVRAM_1(void)`.
pub fn load_vram_1(ctx: &mut Ctx) -> Result<Action, SysErr> {
    let (vram, secondary) = ctx.mem.vram_and_secondary_mut();
    vram.copy_from_slice(secondary);
    let saved = ctx.os.display.saved_text.clone();
    ctx.os.text.restore(saved);
    Ok(Action::Return(0))
}

/// `void DrawFrame(int color)`.
pub fn draw_frame(ctx: &mut Ctx) -> Result<Action, SysErr> {
    ctx.os.display.frame_color = ctx.arg(0)? as u16;
    Ok(Action::Return(0))
}

/// `unsigned short FrameColor(int mode, unsigned short color)`: mode 1
/// sets the colour; returns the current one.
pub fn frame_color(ctx: &mut Ctx) -> Result<Action, SysErr> {
    if ctx.arg(0)? == 1 {
        ctx.os.display.frame_color = ctx.arg(1)? as u16;
    }
    Ok(Action::Return(u32::from(ctx.os.display.frame_color)))
}

/// Draws text and records it as on screen. Returns the width.
#[allow(clippy::too_many_arguments)]
pub(crate) fn print(
    ctx: &mut Ctx,
    font: Font,
    x: i32,
    y: i32,
    bytes: &[u8],
    fg: u16,
    bg: Option<u16>,
    limit: Option<i32>,
) -> i32 {
    let mut glyphs = font::decode(bytes);
    if let Some(limit) = limit {
        let mut width = 0;
        let keep = glyphs
            .iter()
            .take_while(|g| {
                width += font.char_width(**g);
                x.saturating_add(width) <= limit
            })
            .count();
        glyphs.truncate(keep);
    }
    let width = font.draw(&mut vram_canvas(ctx), x, y, &glyphs, fg, bg);
    let shown: Vec<u8> = bytes.to_vec();
    let text = font::to_string(&shown);
    let text: String = text.chars().take(glyphs.len()).collect();
    let rect = Rect::new(x, y, width, font.line_height());
    let (mem, os) = (&mut *ctx.mem, &mut *ctx.os);
    os.text.record(mem.vram_mut(), rect, text);
    width
}

/// Colours for the PrintXY-style modes.
pub(crate) fn mode_colors(mode: u32, color: u16) -> (u16, Option<u16>) {
    let (mut fg, mut bg) = (color, WHITE);
    if mode & 0x01 != 0 {
        std::mem::swap(&mut fg, &mut bg);
    }
    let bg = if mode & 0x20 != 0 { None } else { Some(bg) };
    (fg, bg)
}

/// Longest OS string read.
const MAX_TEXT: usize = 1024;

/// `void PrintXY(int x, int y, const char* s, int mode, int color)`.
pub fn print_xy(ctx: &mut Ctx) -> Result<Action, SysErr> {
    let (x, y, s, mode, color) = (
        ctx.arg_i32(0)?,
        ctx.arg_i32(1)?,
        ctx.arg(2)?,
        ctx.arg(3)?,
        ctx.arg(4)?,
    );
    let bytes = ctx.cstring(s, MAX_TEXT)?;
    let bytes = bytes.get(2..).unwrap_or(&[]);
    let (fg, bg) = mode_colors(mode, text_color(color));
    let px = x.saturating_sub(1).saturating_mul(18);
    let py = y.saturating_mul(24);
    print(ctx, Font::Large, px, py, bytes, fg, bg, None);
    Ok(Action::Return(0))
}

/// `void PrintCXY(int x, int y, const char* s, int mode, int P5, int fg, int bg, int P8, int P9)`.
pub fn print_cxy(ctx: &mut Ctx) -> Result<Action, SysErr> {
    let (x, y, s, mode) = (ctx.arg_i32(0)?, ctx.arg_i32(1)?, ctx.arg(2)?, ctx.arg(3)?);
    let (fg, bg) = (ctx.arg(5)? as u16, ctx.arg(6)? as u16);
    let bytes = ctx.cstring(s, MAX_TEXT)?;
    let (mut fg, mut bg) = (fg, Some(bg));
    if mode & 0x01 != 0 {
        let old_bg = bg.unwrap_or(WHITE);
        bg = Some(fg);
        fg = old_bg;
    }
    if mode & 0x20 != 0 {
        bg = None;
    }
    print(
        ctx,
        Font::Large,
        x,
        y.saturating_add(24),
        &bytes,
        fg,
        bg,
        None,
    );
    Ok(Action::Return(0))
}

/// `void PrintMini(int* x, int* y, const char* s, int mode, unsigned xlimit,
/// int P6, int P7, int color, int back_color, int writeflag, int P11)`.
pub fn print_mini(ctx: &mut Ctx) -> Result<Action, SysErr> {
    let (px, py, s, mode) = (ctx.arg(0)?, ctx.arg(1)?, ctx.arg(2)?, ctx.arg(3)?);
    let xlimit = ctx.arg(4)?;
    let (color, back) = (ctx.arg(7)? as u16, ctx.arg(8)? as u16);
    let write = ctx.arg(9)? != 0;
    let x = ctx.read_u32(px)? as i32;
    let y = ctx.read_u32(py)? as i32;
    let bytes = ctx.cstring(s, MAX_TEXT)?;
    let limit = (xlimit < 0x7FFF_FFFF).then_some(xlimit as i32);
    let width = if write {
        let (mut fg, mut bg) = (color, Some(back));
        if mode & 0x04 != 0 {
            fg = back;
            bg = Some(color);
        }
        if mode & 0x02 != 0 {
            bg = None;
        }
        print(
            ctx,
            Font::Mini,
            x,
            y.saturating_add(24),
            &bytes,
            fg,
            bg,
            limit,
        )
    } else {
        Font::Mini.text_width(&font::decode(&bytes))
    };
    ctx.write_u32(px, x.saturating_add(width) as u32)?;
    Ok(Action::Return(0))
}

/// `void PrintMiniMini(int* x, int* y, const char* s, int mode1, char color, int mode2)`.
pub fn print_mini_mini(ctx: &mut Ctx) -> Result<Action, SysErr> {
    let (px, py, s, mode1) = (ctx.arg(0)?, ctx.arg(1)?, ctx.arg(2)?, ctx.arg(3)?);
    let color = text_color(ctx.arg(4)? & 0xFF);
    let measure_only = ctx.arg(5)? == 1;
    let x = ctx.read_u32(px)? as i32;
    let y = ctx.read_u32(py)? as i32;
    let bytes = ctx.cstring(s, MAX_TEXT)?;
    let width = if measure_only {
        Font::MiniMini.text_width(&font::decode(&bytes))
    } else {
        let (fg, bg) = if mode1 & 0x04 != 0 {
            (WHITE, color)
        } else {
            (color, WHITE)
        };
        print(
            ctx,
            Font::MiniMini,
            x,
            y.saturating_add(24),
            &bytes,
            fg,
            Some(bg),
            None,
        )
    };
    ctx.write_u32(px, x.saturating_add(width) as u32)?;
    Ok(Action::Return(0))
}

/// `void locate_OS(int x, int y)`.
pub fn locate_os(ctx: &mut Ctx) -> Result<Action, SysErr> {
    ctx.os.display.cursor = (ctx.arg_i32(0)?, ctx.arg_i32(1)?);
    Ok(Action::Return(0))
}

/// `void Print_OS(const char* s, int mode, int zero)`: at the `locate_OS`
/// cursor (PrintXY cells, no bytes skipped); the cursor advances.
pub fn print_os(ctx: &mut Ctx) -> Result<Action, SysErr> {
    let (s, mode) = (ctx.arg(0)?, ctx.arg(1)?);
    let bytes = ctx.cstring(s, MAX_TEXT)?;
    let (x, y) = ctx.os.display.cursor;
    let (fg, bg) = mode_colors(mode, BLACK);
    print(
        ctx,
        Font::Large,
        x.saturating_sub(1).saturating_mul(18),
        y.saturating_mul(24),
        &bytes,
        fg,
        bg,
        None,
    );
    ctx.os.display.cursor.0 = x.saturating_add(font::decode(&bytes).len() as i32);
    Ok(Action::Return(0))
}

/// Box of a message box with `lines` PrintXY rows starting at row 2.
pub(crate) fn box_rect(lines: i32) -> Rect {
    let lines = lines.clamp(1, 6);
    Rect::new(12, 48 - 8, SCREEN_WIDTH as i32 - 24, 24 * lines + 16)
}

pub(crate) fn open_box(ctx: &mut Ctx, rect: Rect) {
    if ctx.os.display.boxes.len() < 16 {
        let saved = SavedScreen {
            vram: ctx.mem.vram().to_vec(),
            text: ctx.os.text.snapshot(),
        };
        ctx.os.display.boxes.push(saved);
    }
    let mut canvas = vram_canvas(ctx);
    canvas.fill(rect, WHITE);
    canvas.outline(rect, BLACK);
    canvas.outline(
        Rect::new(rect.x + 2, rect.y + 2, rect.w - 4, rect.h - 4),
        BLACK,
    );
    ctx.os.text.erase(rect);
}

/// `void MsgBoxPush(int lines)`.
pub fn msg_box_push(ctx: &mut Ctx) -> Result<Action, SysErr> {
    let lines = ctx.arg_i32(0)?;
    open_box(ctx, box_rect(lines));
    Ok(Action::Return(0))
}

/// `void MsgBoxPop(void)`.
pub fn msg_box_pop(ctx: &mut Ctx) -> Result<Action, SysErr> {
    if let Some(saved) = ctx.os.display.boxes.pop() {
        ctx.mem.vram_mut().copy_from_slice(&saved.vram);
        ctx.os.text.restore(saved.text);
    }
    ctx.os.display.progress_open = false;
    Ok(Action::Return(0))
}

fn draw_progress(ctx: &mut Ctx, heading: Option<Vec<u8>>, current: i32, max: i32) {
    let rect = box_rect(3);
    if !ctx.os.display.progress_open {
        open_box(ctx, rect);
        ctx.os.display.progress_open = true;
    }
    if let Some(heading) = heading {
        print(
            ctx,
            Font::Mini,
            rect.x + 12,
            rect.y + 10,
            &heading,
            BLACK,
            Some(WHITE),
            None,
        );
    }
    let bar = Rect::new(rect.x + 20, rect.y + 40, rect.w - 40, 16);
    let filled = if max > 0 {
        (i64::from(bar.w - 2) * i64::from(current.clamp(0, max)) / i64::from(max)) as i32
    } else {
        0
    };
    let mut canvas = vram_canvas(ctx);
    canvas.fill(bar, WHITE);
    canvas.outline(bar, BLACK);
    canvas.fill(Rect::new(bar.x + 1, bar.y + 1, filled, bar.h - 2), 0x001F);
    // The OS shows the pop-up at once (no Bdisp_PutDisp_DD needed): an
    // add-in busy with a long job never reaches GetKey until it is done.
    push_to_lcd(ctx, rect.y, rect.y + rect.h - 1);
}

/// `void ProgressBar(int current, int max)`.
pub fn progress_bar(ctx: &mut Ctx) -> Result<Action, SysErr> {
    let (current, max) = (ctx.arg_i32(0)?, ctx.arg_i32(1)?);
    draw_progress(ctx, None, current, max);
    Ok(Action::Return(0))
}

/// `void ProgressBar2(unsigned char* heading, int current, int max)`.
pub fn progress_bar2(ctx: &mut Ctx) -> Result<Action, SysErr> {
    let heading = ctx.arg(0)?;
    let (current, max) = (ctx.arg_i32(1)?, ctx.arg_i32(2)?);
    let heading = if heading != 0 {
        Some(ctx.cstring(heading, 64)?)
    } else {
        None
    };
    draw_progress(ctx, heading, current, max);
    Ok(Action::Return(0))
}

/// Draws the status bar into VRAM (if enabled).
pub fn draw_status_area(ctx: &mut Ctx) {
    if !ctx.os.display.status.enabled {
        return;
    }
    let status = ctx.os.display.status.clone();
    let modifier = ctx.os.keyboard.modifier;
    {
        let mut canvas = vram_canvas(ctx);
        canvas.fill(
            Rect::new(0, 0, SCREEN_WIDTH as i32, STATUS_BAR_HEIGHT),
            WHITE,
        );
        canvas.fill(
            Rect::new(0, STATUS_BAR_HEIGHT - 1, SCREEN_WIDTH as i32, 1),
            0xC618,
        );
        if status.flags & 0x0001 != 0 {
            // Battery: an outlined cell with three green bars.
            canvas.outline(Rect::new(4, 6, 20, 11), BLACK);
            canvas.fill(Rect::new(24, 9, 2, 5), BLACK);
            for i in 0..3 {
                canvas.fill(Rect::new(6 + 6 * i, 8, 4, 7), 0x07E0);
            }
        }
    }
    let mut x = 32;
    if status.flags & 0x0002 != 0 {
        use crate::keys::Modifier;
        let label: &[u8] = match modifier {
            Modifier::Shift => b"SHIFT",
            Modifier::Alpha | Modifier::AlphaLock => b"ALPHA",
            Modifier::LowerAlpha | Modifier::LowerAlphaLock => b"alpha",
            Modifier::None | Modifier::Other(_) => b"",
        };
        if !label.is_empty() {
            x += print(ctx, Font::MiniMini, x, 7, label, 0xFFFF, Some(0x0000), None) + 6;
        }
    }
    if status.flags & 0x0100 != 0 && !status.message.is_empty() {
        let color = text_color(u32::from(status.message_color));
        print(
            ctx,
            Font::MiniMini,
            x.max(60),
            7,
            &status.message,
            color,
            Some(WHITE),
            None,
        );
    }
}

/// `void DisplayStatusArea(void)`.
pub fn display_status_area(ctx: &mut Ctx) -> Result<Action, SysErr> {
    draw_status_area(ctx);
    Ok(Action::Return(0))
}

/// `int DefineStatusAreaFlags(int mode, int flags, char* color1, char* color2)`.
pub fn define_status_area_flags(ctx: &mut Ctx) -> Result<Action, SysErr> {
    let (mode, flags, c1, c2) = (ctx.arg(0)?, ctx.arg(1)?, ctx.arg(2)?, ctx.arg(3)?);
    match mode {
        0 => ctx.os.display.status.flags = 0,
        1 => ctx.os.display.status.flags = 0x0303,
        2 => {
            let colors = ctx.os.display.status.colors;
            ctx.write_u8(c1, colors[0])?;
            ctx.write_u8(c2, colors[1])?;
        }
        3 => {
            ctx.os.display.status.flags = flags;
            if c1 != 0 {
                ctx.os.display.status.colors[0] =
                    ctx.mem.read_cstring(c1, 1)?.first().copied().unwrap_or(0);
            }
            if c2 != 0 {
                ctx.os.display.status.colors[1] =
                    ctx.mem.read_cstring(c2, 1)?.first().copied().unwrap_or(0);
            }
        }
        4 => ctx.os.display.status.flags |= flags,
        5 => ctx.os.display.status.flags &= !flags,
        _ => {}
    }
    Ok(Action::Return(ctx.os.display.status.flags))
}

/// `void EnableStatusArea(int mode)`: 3 hides the status bar.
pub fn enable_status_area(ctx: &mut Ctx) -> Result<Action, SysErr> {
    ctx.os.display.status.enabled = ctx.arg(0)? != 3;
    Ok(Action::Return(0))
}

/// `void DefineStatusMessage(char* msg, short P2, char color, char P4)`.
pub fn define_status_message(ctx: &mut Ctx) -> Result<Action, SysErr> {
    let (msg, color) = (ctx.arg(0)?, ctx.arg(2)? as u8);
    ctx.os.display.status.message = if msg == 0 {
        Vec::new()
    } else {
        ctx.cstring(msg, 64)?
    };
    ctx.os.display.status.message_color = color;
    Ok(Action::Return(0))
}

/// `void EnableDisplayHeader(int, int)`: a second argument of 0 stops
/// `GetKey` from drawing the status bar.
pub fn enable_display_header(ctx: &mut Ctx) -> Result<Action, SysErr> {
    ctx.os.display.status.drawn_by_getkey = ctx.arg(1)? != 0;
    Ok(Action::Return(0))
}

#[cfg(test)]
mod tests {
    use super::super::test_support::Guest;
    use super::*;
    use prizm_platform::syscall as sc;

    fn pixel(g: &Guest, x: usize, y: usize) -> u16 {
        let at = 2 * (y * SCREEN_WIDTH + x);
        let v = g.mem.vram();
        u16::from_be_bytes([v[at], v[at + 1]])
    }

    #[test]
    fn points_and_fills() {
        let mut g = Guest::new();
        g.ret(sc::Bdisp_SetPoint_VRAM, &[5, 6, 0xF800]);
        assert_eq!(g.ret(sc::Bdisp_GetPoint_VRAM, &[5, 6]), 0xF800);
        assert_eq!(g.ret(sc::Bdisp_GetPoint_VRAM, &[-1i32 as u32, 6]), 0);
        g.ret(sc::Bdisp_SetPoint_VRAM, &[1000, 1000, 0]); // off screen: ignored
        g.ret(sc::Bdisp_Fill_VRAM, &[0x001F, 3]);
        assert_eq!(pixel(&g, 383, 215), 0x001F);
        g.ret(sc::Bdisp_AllClr_VRAM, &[]);
        assert_eq!(pixel(&g, 0, 0), 0xFFFF);
        // Full-colour rectangle, y offset by 24 (5th argument on the stack).
        g.ret(
            sc::Bdisp_Rectangle_FullColor_Filled,
            &[10, 0, 20, 5, 0x07E0],
        );
        assert_eq!(pixel(&g, 10, 24), 0x07E0);
        assert_eq!(pixel(&g, 20, 29), 0x07E0);
        assert_eq!(pixel(&g, 10, 23), 0xFFFF);
        g.ret(sc::Bdisp_Rectangle, &[100, 0, 110, 10, 4]);
        assert_eq!(pixel(&g, 100, 24), 0xF800);
        assert_eq!(pixel(&g, 105, 29), 0xFFFF);
    }

    #[test]
    fn lcd_follows_putdisp() {
        let mut g = Guest::new();
        g.ret(sc::Bdisp_Fill_VRAM, &[0, 3]);
        assert_eq!(g.os.display.lcd[0], 0xFFFF);
        g.ret(sc::Bdisp_PutDisp_DD_stripe, &[0, 0]);
        assert_eq!(g.os.display.lcd[0], 0);
        assert_eq!(g.os.display.lcd[SCREEN_WIDTH], 0xFFFF);
        g.ret(sc::Bdisp_PutDisp_DD, &[]);
        assert_eq!(g.os.display.lcd[SCREEN_WIDTH * 215 + 383], 0);
        g.ret(sc::Bdisp_SetPoint_DD, &[1, 1, 0x1234]);
        assert_eq!(g.ret(sc::Bdisp_GetPoint_DD, &[1, 1]), 0x1234);
    }

    #[test]
    fn progress_bars_reach_the_lcd_at_once() {
        let mut g = Guest::new();
        let rect = box_rect(3);
        let centre = ((rect.y + rect.h / 2) as usize) * SCREEN_WIDTH + (rect.x + 2) as usize;
        assert_eq!(g.os.display.lcd[centre], WHITE);
        g.ret(sc::ProgressBar, &[1, 2]);
        // The box's frame shows on the LCD without Bdisp_PutDisp_DD.
        assert_eq!(g.os.display.lcd[centre], BLACK);
        g.ret(sc::MsgBoxPop, &[]);
        let heading = g.cstr("Saving");
        g.ret(sc::Bdisp_PutDisp_DD, &[]);
        assert_eq!(g.os.display.lcd[centre], WHITE);
        g.ret(sc::ProgressBar2, &[heading, 1, 2]);
        assert_eq!(g.os.display.lcd[centre], BLACK);
    }

    #[test]
    fn print_xy_skips_two_bytes_and_tracks_text() {
        let mut g = Guest::new();
        let s = g.cstr("  Hello");
        g.ret(sc::PrintXY, &[1, 1, s, 0, 0]);
        let mut vram = g.mem.vram().to_vec();
        let text = g.os.text.visible(&mut vram);
        assert_eq!(text.len(), 1);
        assert_eq!(text[0].text, "Hello");
        assert_eq!(text[0].rect, Rect::new(0, 24, 5 * 18, 24));
        // Ink landed in the first cell.
        assert!((0..18).any(|x| (24..48).any(|y| pixel(&g, x, y) == 0)));
        // A rectangle over it removes it.
        g.ret(sc::Bdisp_Rectangle_FullColor_Filled, &[0, 0, 383, 30, 0]);
        assert!(!g.os.text.contains(&mut g.mem.vram().to_vec(), "Hello"));
    }

    #[test]
    fn print_mini_measures_and_advances() {
        let mut g = Guest::new();
        let px = g.put(&10u32.to_be_bytes());
        let py = g.put(&0u32.to_be_bytes());
        let s = g.cstr("Unlocked");
        g.ret(
            sc::PrintMini,
            &[px, py, s, 0, 0xFFFF_FFFF, 0, 0, 0, 0xFFFF, 0, 0],
        );
        let measured = g.read_u32(px) as i32 - 10;
        assert!(measured > 40);
        assert!(!g.os.text.contains(&mut g.mem.vram().to_vec(), "Unlocked"));
        g.mem.write_bytes(px, &10u32.to_be_bytes()).unwrap();
        g.ret(
            sc::PrintMini,
            &[px, py, s, 0, 0xFFFF_FFFF, 0, 0, 0, 0xFFFF, 1, 0],
        );
        assert_eq!(g.read_u32(px) as i32 - 10, measured);
        assert!(g.os.text.contains(&mut g.mem.vram().to_vec(), "Unlocked"));
        // xlimit cuts the text.
        g.mem.write_bytes(px, &0u32.to_be_bytes()).unwrap();
        g.ret(sc::PrintMini, &[px, py, s, 0, 20, 0, 0, 0, 0xFFFF, 1, 0]);
        assert!(g.read_u32(px) <= 20);
        // PrintMiniMini measure-only.
        g.mem.write_bytes(px, &0u32.to_be_bytes()).unwrap();
        g.ret(sc::PrintMiniMini, &[px, py, s, 0, 0, 1]);
        assert!(g.read_u32(px) > 0);
    }

    #[test]
    fn message_boxes_restore_the_background() {
        let mut g = Guest::new();
        g.ret(sc::Bdisp_Fill_VRAM, &[0xF800, 3]);
        let s = g.cstr("  Behind");
        g.ret(sc::PrintXY, &[1, 3, s, 0, 0]);
        g.ret(sc::MsgBoxPush, &[4]);
        assert_eq!(pixel(&g, 100, 80), 0xFFFF);
        assert!(!g.os.text.contains(&mut g.mem.vram().to_vec(), "Behind"));
        let s = g.cstr("  In box");
        g.ret(sc::PrintXY, &[3, 2, s, 0, 0]);
        assert!(g.os.text.contains(&mut g.mem.vram().to_vec(), "In box"));
        g.ret(sc::MsgBoxPop, &[]);
        assert_eq!(pixel(&g, 100, 100), 0xF800);
        assert!(g.os.text.contains(&mut g.mem.vram().to_vec(), "Behind"));
        assert!(!g.os.text.contains(&mut g.mem.vram().to_vec(), "In box"));
        g.ret(sc::MsgBoxPop, &[]); // nothing to pop: harmless
        g.ret(sc::ProgressBar, &[5, 10]);
        g.ret(sc::ProgressBar, &[10, 10]);
        g.ret(sc::MsgBoxPop, &[]);
        assert_eq!(pixel(&g, 100, 100), 0xF800);
    }

    #[test]
    fn save_and_load_vram() {
        let mut g = Guest::new();
        assert_eq!(
            g.ret(sc::GetSecondaryVRAMAddress, &[]) as u32,
            SECONDARY_VRAM_ADDR
        );
        g.ret(sc::Bdisp_SetPoint_VRAM, &[0, 0, 0x1111]);
        g.ret(sc::SaveVRAM_1, &[]);
        g.ret(sc::Bdisp_AllClr_VRAM, &[]);
        g.ret(sc::LoadVRAM_1, &[]);
        assert_eq!(pixel(&g, 0, 0), 0x1111);
    }

    #[test]
    fn status_area() {
        let mut g = Guest::new();
        let msg = g.cstr("Locked");
        g.ret(sc::DefineStatusAreaFlags, &[3, 0x0101, 0, 0]);
        g.ret(sc::DefineStatusMessage, &[msg, 1, 4, 0]);
        g.ret(sc::DisplayStatusArea, &[]);
        assert!(g.os.text.contains(&mut g.mem.vram().to_vec(), "Locked"));
        let c1 = g.zeroed(4);
        g.ret(sc::DefineStatusAreaFlags, &[2, 0, c1, c1 + 1]);
        g.ret(sc::EnableStatusArea, &[3]);
        g.ret(sc::Bdisp_AllClr_VRAM, &[]);
        g.ret(sc::DisplayStatusArea, &[]);
        assert!(!g.os.text.contains(&mut g.mem.vram().to_vec(), "Locked"));
    }

    #[test]
    fn bad_pointers_are_errors_not_panics() {
        let mut g = Guest::new();
        assert!(matches!(
            g.call(sc::PrintXY, &[1, 1, 0xDEAD_0000, 0, 0]),
            Err(SysErr::Memory(_))
        ));
        assert!(g
            .call(
                sc::PrintMini,
                &[0xA5A5_A5A5, 0xA5A5_A5A5, 0, 0, 0, 0, 0, 0, 0, 1, 0]
            )
            .is_err());
        assert!(g
            .call(sc::Bdisp_AreaClr, &[0x0030_0000 + 1000, 1, 0])
            .is_err());
    }
}
