//! Labels for the six function keys in the bottom 24 pixels.

use super::{text, Rect, Surface, THEME};
use crate::display::text::Font;
use crate::display::Rgb565;

/// Font of the F-key labels.
pub const LABEL_FONT: Font = Font::Small;

/// Number of function keys.
pub const FKEY_SLOTS: usize = 6;
/// Width of one label slot in pixels.
pub const FKEY_SLOT_WIDTH: i32 = 64;
/// Height of the F-key bar in pixels.
pub const FKEY_BAR_HEIGHT: i32 = 24;
/// Top of the F-key bar.
pub const FKEY_BAR_Y: i32 = crate::display::HEIGHT as i32 - FKEY_BAR_HEIGHT;

/// The rectangle of F-key `index` (0 = F1 … 5 = F6); `None` past F6.
///
/// ```
/// use prizm::ui::{slot_rect, Rect};
/// assert_eq!(slot_rect(0), Some(Rect::new(0, 192, 64, 24)));
/// assert_eq!(slot_rect(5), Some(Rect::new(320, 192, 64, 24)));
/// assert_eq!(slot_rect(6), None);
/// ```
pub const fn slot_rect(index: usize) -> Option<Rect> {
    if index >= FKEY_SLOTS {
        return None;
    }
    Some(Rect::new(
        index as i32 * FKEY_SLOT_WIDTH,
        FKEY_BAR_Y,
        FKEY_SLOT_WIDTH,
        FKEY_BAR_HEIGHT,
    ))
}

/// Labels for F1–F6 (`None` leaves a slot blank).
///
/// ```
/// use prizm::ui::FKeyBar;
/// let bar = FKeyBar::new().with(0, "Yes").with(5, "No");
/// assert_eq!(bar.label(0), Some("Yes"));
/// assert_eq!(bar.label(1), None);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct FKeyBar<'a> {
    labels: [Option<&'a str>; FKEY_SLOTS],
    tab: Rgb565,
    text: Rgb565,
}

impl Default for FKeyBar<'_> {
    fn default() -> Self {
        FKeyBar::new()
    }
}

impl<'a> FKeyBar<'a> {
    /// No labels.
    pub const fn new() -> Self {
        FKeyBar::from_labels([None; FKEY_SLOTS])
    }

    /// All six labels at once.
    pub const fn from_labels(labels: [Option<&'a str>; FKEY_SLOTS]) -> Self {
        FKeyBar {
            labels,
            tab: THEME.fkey_background,
            text: THEME.fkey_text,
        }
    }

    /// This bar with tabs of colour `tab` and labels in `text` (the
    /// theme's by default).
    pub const fn with_colors(mut self, tab: Rgb565, text: Rgb565) -> Self {
        self.tab = tab;
        self.text = text;
        self
    }

    /// This bar with slot `index` labelled (ignored past F6).
    pub const fn with(mut self, index: usize, label: &'a str) -> Self {
        if index < FKEY_SLOTS {
            self.labels[index] = Some(label);
        }
        self
    }

    /// The label of slot `index`.
    pub fn label(&self, index: usize) -> Option<&'a str> {
        self.labels.get(index).copied().flatten()
    }

    /// Draws the bar: a tab per labelled slot, text centred (cut to fit).
    /// Labels use the small font, like the OS's own F-key tabs, so that
    /// words of eight or so letters fit a 64-px slot.
    pub fn draw<S: Surface + ?Sized>(&self, surface: &mut S) {
        surface.fill_rect(
            Rect::new(0, FKEY_BAR_Y, crate::display::WIDTH as i32, FKEY_BAR_HEIGHT),
            THEME.background,
        );
        for (index, label) in self.labels.iter().enumerate() {
            let (Some(label), Some(slot)) = (label, slot_rect(index)) else {
                continue;
            };
            let tab = Rect::new(slot.x + 1, slot.y + 1, slot.width - 2, slot.height - 1);
            surface.fill_rect(tab, self.tab);
            let room = tab.width - 4;
            let width = surface.text_width(label, LABEL_FONT).min(room);
            let x = tab.x + (tab.width - width) / 2;
            let y = tab.y + (tab.height - surface.line_height(LABEL_FONT)) / 2;
            text::draw_truncated(surface, x, y, label, room, LABEL_FONT, self.text, None);
        }
    }
}

/// Draws `hint` ("[EXE] OK  [EXIT] back") centred in the F-key bar's place,
/// on `background`, for screens whose keys are not F-keys.
///
/// ```
/// use prizm::ui::{draw_hint_bar, RecordingSurface, THEME};
/// let mut surface = RecordingSurface::new();
/// draw_hint_bar(&mut surface, "[EXE] OK", THEME.field_background, THEME.text);
/// assert_eq!(surface.texts[0].x, (384 - 8 * 6) / 2);
/// assert_eq!(surface.framebuffer.pixel(0, 200), Some(THEME.field_background));
/// ```
pub fn draw_hint_bar<S: Surface + ?Sized>(
    surface: &mut S,
    hint: &str,
    background: Rgb565,
    color: Rgb565,
) {
    let bar = Rect::new(0, FKEY_BAR_Y, crate::display::WIDTH as i32, FKEY_BAR_HEIGHT);
    surface.fill_rect(bar, background);
    let room = bar.width - 8;
    let width = surface.text_width(hint, LABEL_FONT).min(room);
    let x = bar.x + (bar.width - width) / 2;
    let y = bar.y + (bar.height - surface.line_height(LABEL_FONT)) / 2;
    text::draw_truncated(surface, x, y, hint, room, LABEL_FONT, color, None);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ui::RecordingSurface;

    prizm_test! {
        fn slots_tile_the_bottom_bar() {
            let mut x = 0;
            for index in 0..FKEY_SLOTS {
                let rect = slot_rect(index).unwrap();
                assert_eq!((rect.x, rect.y, rect.bottom()), (x, 192, 216));
                x = rect.right();
            }
            assert_eq!(x, 384);
        }
    }

    prizm_test! {
        fn labels_are_centred_and_cut() {
            let bar = FKeyBar::new().with(0, "Yes").with(2, "Very long label").with(9, "ignored");
            let mut surface = RecordingSurface::new();
            bar.draw(&mut surface);
            let yes = surface.find_text("Yes").unwrap();
            assert_eq!(yes.x, 1 + (62 - 18) / 2);
            // 58 px of room at 6 px per character, 18 of them for "...".
            assert_eq!(surface.text_log(), "Yes|Very l|...");
            assert_eq!(surface.framebuffer.pixel(64 + 10, 200), Some(THEME.background));
            assert_eq!(surface.framebuffer.pixel(128 + 10, 200), Some(THEME.fkey_background));
        }
    }
}
