//! Where the kit draws: [`Screen`] on the calculator, [`RecordingSurface`]
//! in tests.

use alloc::string::String;
use alloc::vec::Vec;

use embedded_graphics::draw_target::DrawTarget;

use super::Rect;
use crate::display::text::{self, Font};
use crate::display::{Display, Framebuffer, Rgb565, Vram};

/// What the widgets need to draw: filled rectangles and text in the OS's
/// fonts.
pub trait Surface {
    /// Fills `rect` with `color` (clipped to the surface).
    fn fill_rect(&mut self, rect: Rect, color: Rgb565);

    /// Draws `text` in `font` with its top-left at (`x`, `y`), over
    /// `background` or transparent (`None`).
    fn draw_text(
        &mut self,
        x: i32,
        y: i32,
        text: &str,
        font: Font,
        color: Rgb565,
        background: Option<Rgb565>,
    );

    /// The width `text` takes in `font`, in pixels.
    fn text_width(&mut self, text: &str, font: Font) -> i32;
}

/// The calculator's screen: rectangles into VRAM, text through the OS.
/// Shown on the next `GetKey` or [`crate::display::put_display`].
///
/// It borrows the [`Display`], so it is the only writer of VRAM while it
/// lives.
#[derive(Debug)]
pub struct Screen<'a> {
    vram: Vram<'a>,
}

impl<'a> Screen<'a> {
    /// The screen, borrowing `display` (`Screen::new(&mut calculator.display)`).
    pub fn new(display: &'a mut Display) -> Screen<'a> {
        Screen {
            vram: display.vram(),
        }
    }

    /// The VRAM under it, for drawing with `embedded-graphics`.
    pub fn vram(&mut self) -> &mut Vram<'a> {
        &mut self.vram
    }
}

impl Surface for Screen<'_> {
    fn fill_rect(&mut self, rect: Rect, color: Rgb565) {
        let _ = self.vram.fill_solid(&rect.to_rectangle(), color);
    }

    fn draw_text(
        &mut self,
        x: i32,
        y: i32,
        text: &str,
        font: Font,
        color: Rgb565,
        background: Option<Rgb565>,
    ) {
        text::print(font, x, y, text, color, background);
    }

    fn text_width(&mut self, text: &str, font: Font) -> i32 {
        text::measure(font, text)
    }
}

/// One `draw_text` call a [`RecordingSurface`] saw.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TextCall {
    /// Left edge.
    pub x: i32,
    /// Top edge.
    pub y: i32,
    /// The text.
    pub text: String,
    /// The font.
    pub font: Font,
    /// Text colour.
    pub color: Rgb565,
}

/// A surface for tests: rectangles go to a [`Framebuffer`], text is
/// recorded (and its box filled when it has a background), widths come
/// from a fixed-width stand-in font ([`RecordingSurface::char_width`]).
///
/// ```
/// use prizm::ui::{self, Frame, RecordingSurface};
/// let mut surface = RecordingSurface::new();
/// ui::draw_title(&mut surface, &Frame::default(), "Hello");
/// assert_eq!(surface.texts[0].text, "Hello");
/// ```
#[derive(Debug, Clone)]
pub struct RecordingSurface {
    /// The pixels drawn.
    pub framebuffer: Framebuffer,
    /// Every text drawn, in order.
    pub texts: Vec<TextCall>,
}

impl Default for RecordingSurface {
    fn default() -> Self {
        Self::new()
    }
}

impl RecordingSurface {
    /// A screen-sized, black surface.
    pub fn new() -> RecordingSurface {
        RecordingSurface {
            framebuffer: Framebuffer::screen(),
            texts: Vec::new(),
        }
    }

    /// Width of every character of `font` in the stand-in font.
    pub const fn char_width(font: Font) -> i32 {
        match font {
            Font::Large => 18,
            Font::Medium => 10,
            Font::Small => 6,
        }
    }

    /// The texts drawn, concatenated with `|` (handy in assertions).
    pub fn text_log(&self) -> String {
        let mut log = String::new();
        for (i, call) in self.texts.iter().enumerate() {
            if i > 0 {
                log.push('|');
            }
            log.push_str(&call.text);
        }
        log
    }

    /// The first recorded text containing `needle`.
    pub fn find_text(&self, needle: &str) -> Option<&TextCall> {
        self.texts.iter().find(|call| call.text.contains(needle))
    }
}

impl Surface for RecordingSurface {
    fn fill_rect(&mut self, rect: Rect, color: Rgb565) {
        let _ = self.framebuffer.fill_solid(&rect.to_rectangle(), color);
    }

    fn draw_text(
        &mut self,
        x: i32,
        y: i32,
        text: &str,
        font: Font,
        color: Rgb565,
        background: Option<Rgb565>,
    ) {
        if let Some(background) = background {
            let width = self.text_width(text, font);
            self.fill_rect(Rect::new(x, y, width, font.line_height()), background);
        }
        self.texts.push(TextCall {
            x,
            y,
            text: text.into(),
            font,
            color,
        });
    }

    fn text_width(&mut self, text: &str, font: Font) -> i32 {
        text.chars().count() as i32 * Self::char_width(font)
    }
}
