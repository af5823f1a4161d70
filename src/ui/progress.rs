//! A progress bar.

use core::fmt::Write as _;

use super::{draw_dialog, Rect, Surface, BODY_FONT, THEME};
use crate::display::text::Font;
use crate::display::Display;

/// Pixels of a bar `width` wide to fill for `current` of `max` (clamped;
/// an empty `max` counts as done).
///
/// ```
/// assert_eq!(prizm::ui::filled_width(1, 4, 100), 25);
/// assert_eq!(prizm::ui::filled_width(9, 4, 100), 100);
/// ```
pub const fn filled_width(current: u32, max: u32, width: i32) -> i32 {
    if width <= 0 {
        return 0;
    }
    if max == 0 || current >= max {
        return width;
    }
    (current as u64 * width as u64 / max as u64) as i32
}

/// Whole percent done, 0–100.
pub const fn percent(current: u32, max: u32) -> u8 {
    if max == 0 || current >= max {
        100
    } else {
        (current as u64 * 100 / max as u64) as u8
    }
}

/// A progress bar in a rectangle.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ProgressBar {
    /// Where the bar goes (border included).
    pub rect: Rect,
    /// Show "NN%" centred on the bar.
    pub show_percent: bool,
}

impl ProgressBar {
    /// A bar in `rect` showing its percentage.
    pub const fn new(rect: Rect) -> Self {
        ProgressBar {
            rect,
            show_percent: true,
        }
    }

    /// Draws the bar at `current` of `max`.
    pub fn draw<S: Surface + ?Sized>(&self, surface: &mut S, current: u32, max: u32) {
        surface.fill_rect(self.rect, THEME.accent);
        let inner = self.rect.inset(2);
        surface.fill_rect(inner, THEME.field_background);
        let filled = filled_width(current, max, inner.width);
        surface.fill_rect(
            Rect::new(inner.x, inner.y, filled, inner.height),
            THEME.selection_background,
        );
        if self.show_percent && inner.height >= Font::Small.line_height() {
            let mut label = heapless::String::<8>::new();
            let _ = write!(label, "{}%", percent(current, max));
            let width = surface.text_width(&label, Font::Small);
            let x = inner.x + (inner.width - width) / 2;
            let y = inner.y + (inner.height - surface.line_height(Font::Small)) / 2;
            surface.draw_text(
                x,
                y,
                &label,
                Font::Small,
                THEME.text,
                Some(THEME.field_background),
            );
        }
    }
}

/// Draws a centred box titled `title` with a progress bar at `current` of
/// `max` and shows the rows it covers right away (for long jobs that do
/// not wait in `GetKey`).
pub fn show_progress(display: &mut Display, title: &str, current: u32, max: u32) {
    let mut screen = super::Screen::new(display);
    let rect = draw_progress(&mut screen, title, current, max);
    crate::display::put_display_rows(rect.y.max(0) as usize, rect.bottom().max(0) as usize);
}

/// Draws what [`show_progress`] shows; returns the box.
pub fn draw_progress<S: Surface + ?Sized>(
    surface: &mut S,
    title: &str,
    current: u32,
    max: u32,
) -> Rect {
    let rect = draw_dialog(surface, title, 2);
    let bar = Rect::new(
        rect.x + 10,
        rect.bottom() - 10 - 2 * BODY_FONT.line_height() + 8,
        rect.width - 20,
        20,
    );
    ProgressBar::new(bar).draw(surface, current, max);
    rect
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ui::RecordingSurface;

    prizm_test! {
        fn fill_and_percent() {
            assert_eq!(filled_width(0, 10, 200), 0);
            assert_eq!(filled_width(5, 10, 200), 100);
            assert_eq!(filled_width(10, 10, 200), 200);
            assert_eq!(filled_width(3, 0, 200), 200);
            assert_eq!(filled_width(u32::MAX - 1, u32::MAX, 300), 299);
            assert_eq!(filled_width(1, 2, -5), 0);
            assert_eq!(percent(1, 3), 33);
            assert_eq!(percent(0, 0), 100);
            assert_eq!(percent(7, 5), 100);
        }
    }

    prizm_test! {
        fn draws_fill_and_label() {
            let mut surface = RecordingSurface::new();
            let bar = ProgressBar::new(Rect::new(10, 100, 104, 24));
            bar.draw(&mut surface, 1, 4);
            assert_eq!(surface.framebuffer.pixel(12, 110), Some(THEME.selection_background));
            assert_eq!(surface.framebuffer.pixel(12 + 24, 104), Some(THEME.selection_background));
            assert_eq!(surface.framebuffer.pixel(12 + 26, 104), Some(THEME.field_background));
            assert_eq!(surface.text_log(), "25%");
            let mut surface = RecordingSurface::new();
            let rect = draw_progress(&mut surface, "Copying", 2, 2);
            assert!(surface.text_log().starts_with("Copying|100%"));
            assert!(rect.contains(192, 108));
        }
    }
}
