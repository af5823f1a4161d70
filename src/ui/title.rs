//! The title bar: a coloured band with the title at the left and, if
//! given, a short status at the right ("LOCKED", a clock, a page number).

use super::{text, Rect, Surface, BODY_FONT, THEME};
use crate::display::Rgb565;

/// Space between the bar's edges and its texts, in pixels.
const PADDING: i32 = 6;

/// A title bar, drawn into any rectangle (usually [`Frame::title`](super::Frame::title)).
///
/// ```
/// use prizm::ui::{Frame, RecordingSurface, TitleBar, THEME};
/// let mut surface = RecordingSurface::new();
/// let bar = Frame::new(false, true).title();
/// TitleBar::new("CGlock").with_status("LOCKED").draw(&mut surface, bar);
/// assert_eq!(surface.text_log(), "LOCKED|CGlock"); // the status first: the title gets what is left
/// // The status ends PADDING (6) px before the right edge.
/// let status = surface.find_text("LOCKED").unwrap();
/// assert_eq!(status.x + 6 * 10, 384 - 6);
/// assert_eq!(surface.framebuffer.pixel(200, 1), Some(THEME.title_background));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct TitleBar<'a> {
    /// At the left, cut with "..." to fit.
    pub title: &'a str,
    /// At the right, whole.
    pub status: Option<&'a str>,
    /// The band.
    pub background: Rgb565,
    /// Both texts.
    pub text: Rgb565,
}

impl<'a> TitleBar<'a> {
    /// A bar in the theme's colours.
    pub const fn new(title: &'a str) -> Self {
        TitleBar {
            title,
            status: None,
            background: THEME.title_background,
            text: THEME.title_text,
        }
    }

    /// This bar with `status` at the right.
    pub const fn with_status(mut self, status: &'a str) -> Self {
        self.status = Some(status);
        self
    }

    /// This bar in other colours (an alarm colour for a locked state, …).
    pub const fn with_colors(mut self, background: Rgb565, text: Rgb565) -> Self {
        self.background = background;
        self.text = text;
        self
    }

    /// Draws the bar into `rect`; texts are centred vertically in it.
    pub fn draw<S: Surface + ?Sized>(&self, surface: &mut S, rect: Rect) {
        surface.fill_rect(rect, self.background);
        let y = rect.y + (rect.height - surface.line_height(BODY_FONT)) / 2;
        let mut room = rect.width - 2 * PADDING;
        if let Some(status) = self.status {
            let width = surface.text_width(status, BODY_FONT);
            let x = rect.right() - PADDING - width;
            surface.draw_text(x, y, status, BODY_FONT, self.text, None);
            room -= width + PADDING;
        }
        text::draw_truncated(
            surface,
            rect.x + PADDING,
            y,
            self.title,
            room,
            BODY_FONT,
            self.text,
            None,
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ui::RecordingSurface;

    prizm_test! {
        fn a_long_title_leaves_room_for_the_status() {
            let mut surface = RecordingSurface::new();
            let rect = Rect::new(0, 0, 200, 24);
            let red = Rgb565::new(31, 0, 0);
            TitleBar::new("A title far too long for the bar")
                .with_status("12:00")
                .with_colors(red, THEME.title_text)
                .draw(&mut surface, rect);
            // 10 px per character: 50 for the status, 200 - 12 - 56 = 132 for the title.
            let title_width: i32 = surface.texts[1..]
                .iter()
                .map(|call| call.text.len() as i32 * 10)
                .sum();
            assert!(title_width <= 132, "{}", surface.text_log());
            assert!(surface.text_log().ends_with("..."), "{}", surface.text_log());
            assert_eq!(surface.framebuffer.pixel(199, 23), Some(red));
            assert_eq!(surface.framebuffer.pixel(200, 0), Some(Rgb565::new(0, 0, 0)));
        }
    }
}
