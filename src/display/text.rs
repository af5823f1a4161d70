//! The OS's text printers, wrapped: `&str` in, no allocation, the quirks
//! (PrintXY's two skipped bytes, NUL termination, the status-bar offset)
//! handled here.
//!
//! Three fonts, all the OS's own:
//!
//! | [`Font`] | printer | cell / line | coordinates |
//! |---|---|---|---|
//! | `Large` | PrintXY (cells), PrintCXY (pixels) | 18 × 24 px, fixed width | cells 1..=21 × 1..=8, or pixels |
//! | `Medium` | PrintMini | proportional, 18 px line | pixels |
//! | `Small` | PrintMiniMini | proportional, 12 px line | pixels |
//!
//! Text goes to the OS in its single-byte character set: printable ASCII
//! passes through, anything else becomes `?` (the OS's multibyte codes are
//! not UTF-8). Long text is sent in pieces, so there is no length limit.
//!
//! ```no_run
//! use prizm::display::{self, text, TextColor};
//! use embedded_graphics::pixelcolor::{Rgb565, RgbColor};
//!
//! display::print_xy(1, 1, "Large, in cells", TextColor::Blue);
//! let width = text::measure_mini("Centred");
//! text::print_mini((384 - width) / 2, 60, "Centred", Rgb565::BLACK, Rgb565::WHITE);
//! display::put_display();
//! ```

use embedded_graphics::pixelcolor::Rgb565;

use super::canvas::to_raw;
use super::TextColor;
use crate::syscall;

/// Rows the OS adds to the `y` of PrintMini, PrintMiniMini and PrintCXY
/// (they draw relative to the area below the 24-px status bar). The
/// functions here take screen coordinates and subtract it. This offset is
/// inferred from how add-ins lay out text (docs/platform.md §4), not
/// documented by the OS.
pub const OS_TEXT_Y_OFFSET: i32 = 24;

/// Width of one character of the large font in pixels.
pub const LARGE_CHAR_WIDTH: i32 = 18;
/// Height of one line of the large font in pixels.
pub const LARGE_LINE_HEIGHT: i32 = 24;
/// Line height used for the medium (PrintMini) font.
pub const MEDIUM_LINE_HEIGHT: i32 = 18;
/// Line height used for the small (PrintMiniMini) font.
pub const SMALL_LINE_HEIGHT: i32 = 12;

/// The OS's fonts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Font {
    /// The 18 × 24 fixed-width home-screen font (PrintXY, PrintCXY).
    Large,
    /// The proportional "mini" font (PrintMini).
    Medium,
    /// The small proportional font (PrintMiniMini).
    Small,
}

impl Font {
    /// The height of one line of text in this font, in pixels.
    pub const fn line_height(self) -> i32 {
        match self {
            Font::Large => LARGE_LINE_HEIGHT,
            Font::Medium => MEDIUM_LINE_HEIGHT,
            Font::Small => SMALL_LINE_HEIGHT,
        }
    }
}

/// How PrintXY and PrintCXY combine text with what is on screen.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[repr(i32)]
pub enum TextMode {
    /// Each character cell is cleared, then drawn.
    Normal = 0x00,
    /// Colours inverted.
    Invert = 0x01,
    /// The background is left as it is.
    Transparent = 0x20,
    /// The text masks the screen (what the OS does for 0x21).
    And = 0x21,
}

/// Option bits of PrintMini (seen in add-ins' use of the OS; inferred).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct MiniFlags(pub i32);

impl MiniFlags {
    /// Draw over the background instead of filling it.
    pub const TRANSPARENT_BACKGROUND: MiniFlags = MiniFlags(0x02);
    /// Inverted colours.
    pub const INVERT: MiniFlags = MiniFlags(0x04);
}

impl core::ops::BitOr for MiniFlags {
    type Output = MiniFlags;
    fn bitor(self, other: MiniFlags) -> MiniFlags {
        MiniFlags(self.0 | other.0)
    }
}

/// The byte the OS gets for `c`: printable ASCII as is, anything else `?`.
pub const fn os_byte(c: char) -> u8 {
    if c >= ' ' && c <= '~' {
        c as u8
    } else {
        b'?'
    }
}

/// Feeds `text` to `print` in NUL-terminated pieces of at most `N - 1 -
/// prefix` characters, each piece preceded by `prefix` bytes of spaces.
/// Stops early when `print` returns false.
fn for_each_piece<const N: usize>(
    text: &str,
    prefix: usize,
    mut print: impl FnMut(&[u8], usize) -> bool,
) {
    let mut buffer = [b' '; N];
    let capacity = N - 1 - prefix;
    let mut chars = text.chars().peekable();
    while chars.peek().is_some() {
        let mut length = 0;
        while length < capacity {
            let Some(c) = chars.next() else { break };
            buffer[prefix + length] = os_byte(c);
            length += 1;
        }
        buffer[prefix + length] = 0;
        if !print(&buffer[..prefix + length + 1], length) {
            return;
        }
    }
}

/// Encodes `text` for the OS into `out` (NUL-terminated, cut to fit) and
/// returns the number of characters written before the NUL.
///
/// ```
/// let mut buffer = [0u8; 8];
/// assert_eq!(prizm::display::text::encode(&mut buffer, "héllo, world"), 7);
/// assert_eq!(&buffer, b"h?llo, \0");
/// ```
pub fn encode(out: &mut [u8], text: &str) -> usize {
    let Some(capacity) = out.len().checked_sub(1) else {
        return 0;
    };
    let mut length = 0;
    for c in text.chars().take(capacity) {
        out[length] = os_byte(c);
        length += 1;
    }
    out[length] = 0;
    length
}

/// Prints `text` in the large font at character cell (`column`, `row`):
/// columns 1..=21, rows 1..=8 below the status bar (row 0 is the status
/// bar). Text that would run past column 21 is cut.
pub fn print_xy_mode(column: i32, row: i32, text: &str, mode: TextMode, color: TextColor) {
    let room = (22 - column).clamp(0, 21) as usize;
    let mut printed = 0;
    for_each_piece::<32>(text, 2, |piece, length| {
        let take = length.min(room - printed);
        if take == 0 {
            return false;
        }
        let mut buffer = [0u8; 32];
        buffer[..2 + take].copy_from_slice(&piece[..2 + take]);
        // SAFETY: NUL-terminated (buffer[2 + take] is 0, take ≤ 29), two
        // leading bytes for the OS to skip; read only during the call.
        unsafe {
            syscall::PrintXY(
                column + printed as i32,
                row,
                buffer.as_ptr(),
                mode as i32,
                color as i32,
            )
        };
        printed += take;
        printed < room
    });
}

/// Prints `text` in the large font at pixel (`x`, `y`) (screen
/// coordinates, top-left of the first character) in any colours.
pub fn print_cxy(x: i32, y: i32, text: &str, foreground: Rgb565, background: Rgb565) {
    print_cxy_mode(x, y, text, TextMode::Normal, foreground, background)
}

/// [`print_cxy`] with a [`TextMode`] (for example transparent).
pub fn print_cxy_mode(
    x: i32,
    y: i32,
    text: &str,
    mode: TextMode,
    foreground: Rgb565,
    background: Rgb565,
) {
    let mut left = x;
    for_each_piece::<64>(text, 0, |piece, length| {
        // SAFETY: `piece` is NUL-terminated and read only during the call.
        unsafe {
            syscall::PrintCXY(
                left,
                y - OS_TEXT_Y_OFFSET,
                piece.as_ptr(),
                mode as i32,
                -1,
                i32::from(to_raw(foreground)),
                i32::from(to_raw(background)),
                1,
                0,
            )
        };
        left += length as i32 * LARGE_CHAR_WIDTH;
        left < super::WIDTH as i32
    });
}

/// Width of `text` in the large font: 18 px per character.
pub fn measure_large(text: &str) -> i32 {
    text.chars().count() as i32 * LARGE_CHAR_WIDTH
}

fn mini(
    x: i32,
    y: i32,
    text: &str,
    flags: MiniFlags,
    foreground: Rgb565,
    background: Rgb565,
    draw: bool,
) -> i32 {
    let mut x = x;
    let mut os_y = y - OS_TEXT_Y_OFFSET;
    for_each_piece::<64>(text, 0, |piece, _| {
        // SAFETY: x and y are valid i32s the OS advances; `piece` is
        // NUL-terminated and read only during the call.
        unsafe {
            syscall::PrintMini(
                &mut x,
                &mut os_y,
                piece.as_ptr(),
                flags.0,
                u32::MAX,
                0,
                0,
                i32::from(to_raw(foreground)),
                i32::from(to_raw(background)),
                i32::from(draw),
                0,
            )
        };
        true
    });
    x
}

/// Prints `text` in the medium proportional font with its top-left at
/// screen pixel (`x`, `y`); returns the x just after the text.
pub fn print_mini(x: i32, y: i32, text: &str, foreground: Rgb565, background: Rgb565) -> i32 {
    mini(
        x,
        y,
        text,
        MiniFlags::default(),
        foreground,
        background,
        true,
    )
}

/// [`print_mini`] with option bits (transparent background, inverted).
pub fn print_mini_flags(
    x: i32,
    y: i32,
    text: &str,
    flags: MiniFlags,
    foreground: Rgb565,
    background: Rgb565,
) -> i32 {
    mini(x, y, text, flags, foreground, background, true)
}

/// Width of `text` in the medium font, measured by the OS without drawing.
pub fn measure_mini(text: &str) -> i32 {
    mini(
        0,
        OS_TEXT_Y_OFFSET,
        text,
        MiniFlags::default(),
        Rgb565::new(0, 0, 0),
        Rgb565::new(0, 0, 0),
        false,
    )
}

fn mini_mini(x: i32, y: i32, text: &str, color: TextColor, inverted: bool, draw: bool) -> i32 {
    let mut x = x;
    let mut os_y = y - OS_TEXT_Y_OFFSET;
    for_each_piece::<64>(text, 0, |piece, _| {
        // SAFETY: as in `mini`.
        unsafe {
            syscall::PrintMiniMini(
                &mut x,
                &mut os_y,
                piece.as_ptr(),
                if inverted { MINI_MINI_INVERTED } else { 0 },
                color as u8,
                i32::from(!draw),
            )
        };
        true
    });
    x
}

/// Prints `text` in the small proportional font with its top-left at
/// screen pixel (`x`, `y`); returns the x just after the text.
pub fn print_small(x: i32, y: i32, text: &str, color: TextColor) -> i32 {
    mini_mini(x, y, text, color, false, true)
}

/// `PrintMiniMini`'s mode1 flag for white text on a coloured box.
const MINI_MINI_INVERTED: i32 = 0x04;

/// Prints `text` in the small font as white on a `background` box (the
/// OS's inverted mode: the small font cannot draw white on its own white
/// box); returns the x just after the text.
pub fn print_small_inverted(x: i32, y: i32, text: &str, background: TextColor) -> i32 {
    mini_mini(x, y, text, background, true, true)
}

/// Width of `text` in the small font, measured by the OS without drawing.
pub fn measure_small(text: &str) -> i32 {
    mini_mini(0, OS_TEXT_Y_OFFSET, text, TextColor::Black, false, false)
}

/// Width of `text` in `font` (the OS measures the proportional fonts).
pub fn measure(font: Font, text: &str) -> i32 {
    match font {
        Font::Large => measure_large(text),
        Font::Medium => measure_mini(text),
        Font::Small => measure_small(text),
    }
}

/// Prints `text` in `font` at screen pixel (`x`, `y`) in `foreground` on
/// `background` (`None`: transparent); returns the x after the text. The
/// small font only has the OS's eight text colours (the nearest is used)
/// and always draws a box behind the text: white, or for white text the
/// nearest colour to `background` (black when there is none).
pub fn print(
    font: Font,
    x: i32,
    y: i32,
    text: &str,
    foreground: Rgb565,
    background: Option<Rgb565>,
) -> i32 {
    match font {
        Font::Large => {
            let mode = if background.is_some() {
                TextMode::Normal
            } else {
                TextMode::Transparent
            };
            print_cxy_mode(
                x,
                y,
                text,
                mode,
                foreground,
                background.unwrap_or(Rgb565::new(31, 63, 31)),
            );
            x + measure_large(text)
        }
        Font::Medium => {
            let flags = if background.is_some() {
                MiniFlags::default()
            } else {
                MiniFlags::TRANSPARENT_BACKGROUND
            };
            print_mini_flags(
                x,
                y,
                text,
                flags,
                foreground,
                background.unwrap_or(Rgb565::new(31, 63, 31)),
            )
        }
        Font::Small => match TextColor::nearest(foreground) {
            // White text needs the inverted mode, on the nearest dark box.
            TextColor::White => print_small_inverted(
                x,
                y,
                text,
                match background.map(TextColor::nearest) {
                    Some(TextColor::White) | None => TextColor::Black,
                    Some(color) => color,
                },
            ),
            color => print_small(x, y, text, color),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::vec::Vec;

    prizm_test! {
        fn pieces_carry_prefix_and_nul() {
            let mut pieces: Vec<Vec<u8>> = Vec::new();
            for_each_piece::<8>("abcdefghijk", 2, |piece, length| {
                assert_eq!(piece.len(), length + 3);
                pieces.push(piece.to_vec());
                true
            });
            assert_eq!(pieces, [b"  abcde\0".to_vec(), b"  fghij\0".to_vec(), b"  k\0".to_vec()]);
        }
    }

    prizm_test! {
        fn pieces_stop_when_asked_and_skip_empty_text() {
            let mut calls = 0;
            for_each_piece::<4>("abcdefgh", 0, |_, _| {
                calls += 1;
                false
            });
            assert_eq!(calls, 1);
            for_each_piece::<4>("", 0, |_, _| panic!("no piece for empty text"));
        }
    }

    prizm_test! {
        fn non_ascii_becomes_question_marks() {
            let mut buffer = [0xAAu8; 6];
            assert_eq!(encode(&mut buffer, "π≈3\n"), 4);
            assert_eq!(&buffer[..5], b"??3?\0");
            assert_eq!(encode(&mut [], "x"), 0);
            assert_eq!(measure_large("añb"), 54);
        }
    }
}
