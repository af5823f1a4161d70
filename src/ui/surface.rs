//! Where the kit draws: [`Screen`] (VRAM, the OS's fonts) on the
//! calculator, [`BitmapSurface`] (any `embedded-graphics` target, bitmap
//! fonts: the same picture on the calculator, in the emulator and in host
//! tests), [`RecordingSurface`] in tests that check what text was drawn.

use alloc::string::String;
use alloc::vec::Vec;

use embedded_graphics::draw_target::DrawTarget;
use embedded_graphics::mono_font::ascii::{FONT_10X20, FONT_6X10, FONT_9X15};
use embedded_graphics::mono_font::{MonoFont, MonoTextStyle};
use embedded_graphics::prelude::Point;
use embedded_graphics::text::{Baseline, Text};
use embedded_graphics::Drawable;

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

    /// The height of a line of `font`, in pixels (widgets centre text
    /// with it).
    fn line_height(&mut self, font: Font) -> i32 {
        font.line_height()
    }
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

/// The bitmap fonts a [`BitmapSurface`] draws in place of the OS's three
/// fonts (`embedded-graphics`' fixed-width ASCII fonts).
#[derive(Clone, Copy)]
pub struct BitmapFonts {
    /// Stands for [`Font::Large`].
    pub large: &'static MonoFont<'static>,
    /// Stands for [`Font::Medium`].
    pub medium: &'static MonoFont<'static>,
    /// Stands for [`Font::Small`].
    pub small: &'static MonoFont<'static>,
}

impl BitmapFonts {
    /// 10×20, 9×15 and 6×10: close to the OS's fonts in size.
    pub const DEFAULT: BitmapFonts = BitmapFonts {
        large: &FONT_10X20,
        medium: &FONT_9X15,
        small: &FONT_6X10,
    };

    /// The bitmap font standing for `font`.
    pub const fn get(&self, font: Font) -> &'static MonoFont<'static> {
        match font {
            Font::Large => self.large,
            Font::Medium => self.medium,
            Font::Small => self.small,
        }
    }
}

impl Default for BitmapFonts {
    fn default() -> Self {
        BitmapFonts::DEFAULT
    }
}

impl core::fmt::Debug for BitmapFonts {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        let size = |font: &MonoFont| (font.character_size.width, font.character_size.height);
        f.debug_struct("BitmapFonts")
            .field("large", &size(self.large))
            .field("medium", &size(self.medium))
            .field("small", &size(self.small))
            .finish()
    }
}

/// The kit on any `embedded-graphics` target: rectangles are fills, text
/// is drawn in [`BitmapFonts`]. Borrow the VRAM (`calculator.display.vram()`)
/// to show it, a [`Framebuffer`] to test it on the host pixel by pixel.
///
/// ```
/// use prizm::display::Framebuffer;
/// use prizm::ui::{BitmapSurface, FKeyBar, THEME};
/// let mut frame = Framebuffer::screen();
/// FKeyBar::new().with(0, "Lock").draw(&mut BitmapSurface::new(&mut frame));
/// assert_eq!(frame.pixel(2, 194), Some(THEME.fkey_background));
/// assert!((0..64).any(|x| (196..206).any(|y| frame.pixel(x, y) == Some(THEME.fkey_text))));
/// ```
#[derive(Debug)]
pub struct BitmapSurface<'a, D> {
    target: &'a mut D,
    fonts: BitmapFonts,
}

impl<'a, D: DrawTarget<Color = Rgb565>> BitmapSurface<'a, D> {
    /// Draws on `target` with the [default fonts](BitmapFonts::DEFAULT).
    pub fn new(target: &'a mut D) -> Self {
        BitmapSurface {
            target,
            fonts: BitmapFonts::DEFAULT,
        }
    }

    /// The same surface drawing text in `fonts`.
    pub fn with_fonts(mut self, fonts: BitmapFonts) -> Self {
        self.fonts = fonts;
        self
    }

    /// The target, for drawing with `embedded-graphics` directly.
    pub fn target(&mut self) -> &mut D {
        self.target
    }
}

impl<D: DrawTarget<Color = Rgb565>> Surface for BitmapSurface<'_, D> {
    fn fill_rect(&mut self, rect: Rect, color: Rgb565) {
        let _ = self.target.fill_solid(&rect.to_rectangle(), color);
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
        let mono = self.fonts.get(font);
        let mut style = MonoTextStyle::new(mono, color);
        style.background_color = background;
        let _ = Text::with_baseline(text, Point::new(x, y), style, Baseline::Top).draw(self.target);
    }

    fn text_width(&mut self, text: &str, font: Font) -> i32 {
        let mono = self.fonts.get(font);
        let advance = (mono.character_size.width + mono.character_spacing) as i32;
        text.chars().count() as i32 * advance
    }

    fn line_height(&mut self, font: Font) -> i32 {
        self.fonts.get(font).character_size.height as i32
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ui::{row_rect, Frame, Input, InputKind, InputState, Menu, THEME};

    fn count(frame: &Framebuffer, rect: Rect, color: Rgb565) -> usize {
        (rect.y..rect.bottom())
            .flat_map(|y| (rect.x..rect.right()).map(move |x| (x, y)))
            .filter(|&(x, y)| frame.pixel(x, y) == Some(color))
            .count()
    }

    prizm_test! {
        fn widgets_draw_real_pixels_on_a_framebuffer() {
            let mut frame = Framebuffer::screen();
            let items = ["Clock", "Calendar", "Files"];
            let mut menu = Menu::new("Utilities", &items);
            menu.state.select(1);
            menu.draw(&mut BitmapSurface::new(&mut frame));
            let content = Frame::default().content();
            let list = Rect::new(content.x, content.y, content.width - 6, content.height);
            let selected = row_rect(list, 1);
            // The highlight, with the item's text drawn over it.
            let highlight = count(&frame, selected, THEME.selection_background);
            let text = count(&frame, selected, THEME.selection_text);
            assert!(highlight > selected.width as usize * 10, "{highlight}");
            assert!(text > 20, "{text} text pixels");
            assert_eq!(count(&frame, row_rect(list, 0), THEME.selection_background), 0);
            assert_eq!(frame.pixel(1, Frame::default().title().y + 1), Some(THEME.title_background));
        }
    }

    prizm_test! {
        fn an_input_line_keeps_its_cursor_in_the_bitmap_font() {
            let mut frame = Framebuffer::screen();
            let state = InputState::<40>::new(InputKind::Text).with_text("0123456789012345678901234567890123456789");
            let mut input = Input::new("Note", "Text:", state);
            input.draw(&mut BitmapSurface::new(&mut frame));
            let field = input.field_rect().inset(2);
            // 10-px cells: the cursor (2 px of accent) sits right after the
            // last visible cell, inside the field.
            let cursor_columns: heapless::Vec<i32, 8> = (field.x..field.right())
                .filter(|&x| frame.pixel(x, field.y + field.height / 2) == Some(THEME.accent))
                .collect();
            assert_eq!(cursor_columns.len(), 2, "{cursor_columns:?}");
            assert_eq!((cursor_columns[0] - field.x) % 10, 0);
        }
    }
}
