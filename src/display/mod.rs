//! The screen: 384 × 216 pixels of RGB565 in VRAM, copied to the LCD by
//! [`put_display`] (or by `GetKey`).
//!
//! VRAM belongs to the [`Display`] inside the add-in's one
//! [`Calculator`](crate::Calculator): borrow it as a [`Vram`] to draw with
//! [`embedded-graphics`](embedded_graphics) (whose
//! `fill_solid`/`fill_contiguous`/`clear` write whole rows), or as a pixel
//! slice; draw the same way on a [`Framebuffer`] in host tests. Text uses
//! the OS's fonts through [`text`]; the status bar is controlled by
//! [`status_bar`]. Those, like [`clear`] and [`put_display`], are syscalls
//! that hand out no reference, so they stay free functions.
//!
//! ```no_run
//! use embedded_graphics::{pixelcolor::Rgb565, prelude::*, primitives::{Circle, PrimitiveStyle}};
//! use prizm::display::{self, TextColor};
//!
//! fn draw(calculator: &mut prizm::Calculator) {
//!     let mut screen = calculator.display.vram();
//!     screen.clear(Rgb565::WHITE).unwrap();
//!     Circle::new(Point::new(150, 80), 80)
//!         .into_styled(PrimitiveStyle::with_fill(Rgb565::BLUE))
//!         .draw(&mut screen)
//!         .unwrap();
//!     display::print_xy(1, 1, "Hello, Prizm!", TextColor::Black);
//!     display::put_display();
//! }
//! ```

mod backlight;
mod canvas;
pub mod status_bar;
pub mod text;

use core::sync::atomic::{AtomicUsize, Ordering};

use embedded_graphics::geometry::{OriginDimensions, Size};

pub use backlight::{
    backlight_level, level_from_register, register_from_level, set_backlight_level,
    MAX_BACKLIGHT_LEVEL,
};
pub use canvas::{from_raw, to_raw, Canvas, Framebuffer};
pub use embedded_graphics::pixelcolor::Rgb565;
pub use text::{print_xy_mode, Font, TextMode};

use crate::syscall;

/// Screen width in pixels.
pub const WIDTH: usize = prizm_platform::memory::SCREEN_WIDTH;
/// Screen height in pixels.
pub const HEIGHT: usize = prizm_platform::memory::SCREEN_HEIGHT;

/// The OS's eight text colours.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(i32)]
#[allow(missing_docs)]
pub enum TextColor {
    Black = 0,
    Blue = 1,
    Green = 2,
    Cyan = 3,
    Red = 4,
    Purple = 5,
    Yellow = 6,
    White = 7,
}

impl TextColor {
    /// All eight, in the OS's order.
    pub const ALL: [TextColor; 8] = [
        TextColor::Black,
        TextColor::Blue,
        TextColor::Green,
        TextColor::Cyan,
        TextColor::Red,
        TextColor::Purple,
        TextColor::Yellow,
        TextColor::White,
    ];

    /// The full colour this text colour stands for.
    pub const fn to_rgb565(self) -> Rgb565 {
        match self {
            TextColor::Black => Rgb565::new(0, 0, 0),
            TextColor::Blue => Rgb565::new(0, 0, 31),
            TextColor::Green => Rgb565::new(0, 63, 0),
            TextColor::Cyan => Rgb565::new(0, 63, 31),
            TextColor::Red => Rgb565::new(31, 0, 0),
            TextColor::Purple => Rgb565::new(31, 0, 31),
            TextColor::Yellow => Rgb565::new(31, 63, 0),
            TextColor::White => Rgb565::new(31, 63, 31),
        }
    }

    /// The text colour closest to `color` (each channel thresholded at half).
    pub fn nearest(color: Rgb565) -> TextColor {
        use embedded_graphics::pixelcolor::RgbColor;
        let red = color.r() >= 16;
        let green = color.g() >= 32;
        let blue = color.b() >= 16;
        match (red, green, blue) {
            (false, false, false) => TextColor::Black,
            (false, false, true) => TextColor::Blue,
            (false, true, false) => TextColor::Green,
            (false, true, true) => TextColor::Cyan,
            (true, false, false) => TextColor::Red,
            (true, false, true) => TextColor::Purple,
            (true, true, false) => TextColor::Yellow,
            (true, true, true) => TextColor::White,
        }
    }
}

/// Packs 8-bit red, green and blue into an RGB565 pixel.
///
/// ```
/// assert_eq!(prizm::display::rgb(255, 255, 255), 0xFFFF);
/// assert_eq!(prizm::display::rgb(255, 0, 0), 0xF800);
/// ```
pub const fn rgb(red: u8, green: u8, blue: u8) -> u16 {
    ((red as u16 >> 3) << 11) | ((green as u16 >> 2) << 5) | (blue as u16 >> 3)
}

/// Fills `pixels` with `color`, two pixels a 32-bit store where they are
/// aligned: `[u16]::fill` stores one at a time, and clearing the screen
/// that way takes about 10 ms.
pub fn fill_pixels(pixels: &mut [u16], color: u16) {
    // SAFETY: u16 and u32 are plain integers (every bit pattern is valid
    // for both); `align_to_mut` hands out only the correctly aligned middle
    // as u32s, and the slices cover `pixels` once between them.
    let (head, middle, tail) = unsafe { pixels.align_to_mut::<u32>() };
    head.fill(color);
    tail.fill(color);
    // The same colour in both halves: the byte order does not matter.
    middle.fill((u32::from(color) << 16) | u32::from(color));
}

/// The VRAM address, asked of the OS once.
static VRAM_ADDRESS: AtomicUsize = AtomicUsize::new(0);

/// The VRAM's address: 0xA8000000 on the fx-CG 10/20, 0xAC000000 on the
/// fx-CG 50 (never hard-coded).
pub fn vram_address() -> usize {
    let cached = VRAM_ADDRESS.load(Ordering::Relaxed);
    if cached != 0 {
        return cached;
    }
    // SAFETY: no arguments; returns the VRAM address.
    let address = unsafe { syscall::GetVRAMAddress() } as usize;
    VRAM_ADDRESS.store(address, Ordering::Relaxed);
    address
}

/// Clears VRAM to white.
pub fn clear() {
    // SAFETY: no arguments.
    unsafe { syscall::Bdisp_AllClr_VRAM() }
}

/// Copies VRAM to the screen.
pub fn put_display() {
    // SAFETY: no arguments.
    unsafe { syscall::Bdisp_PutDisp_DD() }
}

/// Copies VRAM rows `first..=last` to the screen (faster than the whole
/// screen when little changed). Rows are clamped to the screen.
pub fn put_display_rows(first: usize, last: usize) {
    let last = last.min(HEIGHT - 1);
    if first > last {
        return;
    }
    // SAFETY: plain integers within the screen.
    unsafe { syscall::Bdisp_PutDisp_DD_stripe(first as i32, last as i32) }
}

/// Switches full-colour drawing on (the OS's 8-colour mode when off).
pub fn enable_color(enabled: bool) {
    // SAFETY: plain integer argument.
    unsafe { syscall::Bdisp_EnableColor(i32::from(enabled)) }
}

/// Prints `text` in the large 18×24 font at character cell (`column`,
/// `row`), columns 1..=21, rows 1..=8 below the status bar. Longer text is
/// cut at column 21; the OS's two skipped bytes are handled here.
pub fn print_xy(column: i32, row: i32, text: &str, color: TextColor) {
    text::print_xy_mode(column, row, text, TextMode::Normal, color)
}

/// The screen's memory (VRAM), owned by the [`Calculator`](crate::Calculator).
///
/// Every Rust reference to VRAM is borrowed from here, so there is never
/// more than one that can write it.
#[derive(Debug)]
pub struct Display {
    _private: (),
}

impl Display {
    /// The display.
    ///
    /// # Safety
    /// No other `Display` may be used while this one lives (only
    /// [`Calculator::steal`](crate::Calculator::steal) calls this).
    pub(crate) unsafe fn new_unchecked() -> Display {
        Display { _private: () }
    }

    /// VRAM as an `embedded-graphics` draw target, for as long as this
    /// borrow lasts.
    pub fn vram(&mut self) -> Vram<'_> {
        Vram {
            pixels: self.pixels(),
        }
    }

    /// VRAM as `WIDTH * HEIGHT` raw RGB565 pixels, row-major.
    pub fn pixels(&mut self) -> &mut [u16] {
        // SAFETY: the OS's VRAM is WIDTH*HEIGHT RGB565 pixels, valid and
        // 2-aligned for the add-in's lifetime; only this one `Display`
        // exists, and the slice borrows it mutably, so no other Rust
        // reference to VRAM can be live. The add-in is single-threaded.
        unsafe { core::slice::from_raw_parts_mut(vram_address() as *mut u16, WIDTH * HEIGHT) }
    }

    /// VRAM as a [`Canvas`] for pixel access.
    pub fn canvas(&mut self) -> Canvas<'_> {
        self.vram().into_canvas()
    }
}

/// VRAM as an `embedded-graphics` draw target, borrowed from the
/// [`Display`] (`calculator.display.vram()`).
///
/// Draws go to VRAM; call [`flush`](Vram::flush) or [`put_display`] (or wait
/// in `GetKey`) to show them. See the [module documentation](self) for an
/// example.
pub struct Vram<'a> {
    pixels: &'a mut [u16],
}

impl core::fmt::Debug for Vram<'_> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        // Not the 82 944 pixels.
        f.debug_struct("Vram")
            .field("width", &WIDTH)
            .field("height", &HEIGHT)
            .finish_non_exhaustive()
    }
}

impl<'a> Vram<'a> {
    /// The VRAM as a [`Canvas`] for pixel access.
    pub fn canvas(&mut self) -> Canvas<'_> {
        Canvas::new(self.pixels, WIDTH, HEIGHT).expect("VRAM holds WIDTH*HEIGHT pixels")
    }

    /// This borrow of VRAM as a [`Canvas`].
    pub fn into_canvas(self) -> Canvas<'a> {
        Canvas::new(self.pixels, WIDTH, HEIGHT).expect("VRAM holds WIDTH*HEIGHT pixels")
    }

    /// The raw pixels, row-major.
    pub fn pixels(&mut self) -> &mut [u16] {
        self.pixels
    }

    /// Copies VRAM to the screen ([`put_display`]).
    pub fn flush(&mut self) {
        put_display()
    }
}

impl OriginDimensions for Vram<'_> {
    fn size(&self) -> Size {
        Size::new(WIDTH as u32, HEIGHT as u32)
    }
}

canvas::draw_through_canvas!(Vram<'_>);

#[cfg(test)]
mod tests {
    use super::*;

    prizm_test! {
        fn text_colors_round_trip_through_nearest() {
            for color in TextColor::ALL {
                assert_eq!(TextColor::nearest(color.to_rgb565()), color);
            }
            assert_eq!(TextColor::nearest(from_raw(rgb(200, 30, 20))), TextColor::Red);
        }
    }
}
