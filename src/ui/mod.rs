//! The UI kit every add-in shares: one look (title bar, colours, the OS's
//! fonts), and the usual widgets: a [`TitleBar`], a scrolling [`Menu`], a
//! text [`Input`] line over an [`InputState`] (digits, text, masked PINs
//! that are wiped from memory) or a [`FieldBox`] placed anywhere, [`message_box`] and [`confirm`] dialogs, a
//! [`ProgressBar`], [`FKeyBar`] labels and a hint line
//! ([`draw_hint_bar`]).
//!
//! Each widget is split in two: its *state* and *layout* (pure: keys in,
//! events out; rectangles computed) are tested on the host, and its
//! drawing goes through the [`Surface`] trait:
//!
//! | surface | draws on | text in |
//! |---|---|---|
//! | [`Screen`] | VRAM, borrowed from the [`Display`](crate::display::Display) | the OS's fonts |
//! | [`BitmapSurface`] | any `embedded-graphics` target (VRAM, a [`Framebuffer`](crate::display::Framebuffer)) | bitmap fonts: the same pixels on the calculator, in the emulator and in host tests |
//! | [`RecordingSurface`] | a framebuffer, recording each text | a fixed-width stand-in, for assertions on text |
//!
//! The blocking `run` functions wait in `GetKey` and borrow the display
//! for as long as they run.
//!
//! ```no_run
//! use prizm::ui::{self, Menu};
//!
//! fn main_menu(calculator: &mut prizm::Calculator) {
//!     let display = &mut calculator.display;
//!     let items = ["New game", "Load game", "Settings"];
//!     let mut menu = Menu::new("Hello", &items);
//!     match menu.run(display) {
//!         Some(0) => ui::message_box(display, "New game", "Let's go!"),
//!         Some(_) => {}
//!         None => return, // EXIT
//!     }
//!     if ui::confirm(display, "Quit", "Leave the add-in?") {
//!         return;
//!     }
//! }
//! ```

mod dialog;
mod fkeys;
mod input;
mod menu;
mod progress;
mod surface;
pub mod text;
mod title;

pub use dialog::{
    confirm, confirm_choice, dialog_body, dialog_rect, draw_confirm, draw_dialog, draw_message,
    message_box, DIALOG_WIDTH, MAX_DIALOG_LINES,
};
pub use fkeys::{
    draw_hint_bar, slot_rect, FKeyBar, FKEY_BAR_HEIGHT, FKEY_BAR_Y, FKEY_SLOTS, FKEY_SLOT_WIDTH,
    LABEL_FONT,
};
pub use input::{FieldBox, Input, InputEvent, InputKind, InputState, InsertError, CELL_WIDTH};
pub use menu::{row_rect, rows_in, Menu, MenuEvent, MenuState, ROW_HEIGHT};
pub use progress::{draw_progress, filled_width, percent, show_progress, ProgressBar};
pub use surface::{BitmapFonts, BitmapSurface, RecordingSurface, Screen, Surface, TextCall};
pub use title::TitleBar;

use crate::display::text::Font;
use crate::display::Rgb565;

/// A rectangle in screen pixels.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Rect {
    /// Left edge.
    pub x: i32,
    /// Top edge.
    pub y: i32,
    /// Width (≥ 0).
    pub width: i32,
    /// Height (≥ 0).
    pub height: i32,
}

impl Rect {
    /// A rectangle; negative sizes become 0.
    pub const fn new(x: i32, y: i32, width: i32, height: i32) -> Rect {
        Rect {
            x,
            y,
            width: if width < 0 { 0 } else { width },
            height: if height < 0 { 0 } else { height },
        }
    }

    /// The x just past the right edge.
    pub const fn right(&self) -> i32 {
        self.x + self.width
    }

    /// The y just past the bottom edge.
    pub const fn bottom(&self) -> i32 {
        self.y + self.height
    }

    /// True if (`x`, `y`) is inside.
    pub const fn contains(&self, x: i32, y: i32) -> bool {
        x >= self.x && x < self.right() && y >= self.y && y < self.bottom()
    }

    /// Shrunk by `by` pixels on every side.
    pub const fn inset(&self, by: i32) -> Rect {
        Rect::new(
            self.x + by,
            self.y + by,
            self.width - 2 * by,
            self.height - 2 * by,
        )
    }

    /// True when it covers no pixel.
    pub const fn is_empty(&self) -> bool {
        self.width == 0 || self.height == 0
    }

    /// The `embedded-graphics` rectangle.
    pub fn to_rectangle(&self) -> embedded_graphics::primitives::Rectangle {
        use embedded_graphics::geometry::{Point, Size};
        embedded_graphics::primitives::Rectangle::new(
            Point::new(self.x, self.y),
            Size::new(self.width as u32, self.height as u32),
        )
    }
}

/// The kit's colours.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Theme {
    /// Screen background.
    pub background: Rgb565,
    /// Normal text.
    pub text: Rgb565,
    /// Secondary text (hints, shortcuts).
    pub dim_text: Rgb565,
    /// Title bar background.
    pub title_background: Rgb565,
    /// Title bar text.
    pub title_text: Rgb565,
    /// Selected row background.
    pub selection_background: Rgb565,
    /// Selected row text.
    pub selection_text: Rgb565,
    /// F-key label background.
    pub fkey_background: Rgb565,
    /// F-key label text.
    pub fkey_text: Rgb565,
    /// Borders, progress fill, scroll bars.
    pub accent: Rgb565,
    /// Input field background.
    pub field_background: Rgb565,
}

/// The one look of every add-in.
pub const THEME: Theme = Theme {
    background: Rgb565::new(31, 63, 31),
    text: Rgb565::new(0, 0, 0),
    dim_text: Rgb565::new(12, 24, 12),
    title_background: Rgb565::new(2, 20, 14),
    title_text: Rgb565::new(31, 63, 31),
    selection_background: Rgb565::new(4, 34, 24),
    selection_text: Rgb565::new(31, 63, 31),
    fkey_background: Rgb565::new(4, 8, 6),
    fkey_text: Rgb565::new(31, 63, 31),
    accent: Rgb565::new(2, 20, 14),
    field_background: Rgb565::new(28, 58, 29),
};

/// Height of the OS status bar and of the kit's title bar.
pub const BAR_HEIGHT: i32 = 24;

/// Where a screen's parts go.
///
/// ```
/// use prizm::ui::Frame;
/// let frame = Frame::new(true, true);
/// assert_eq!(frame.title().y, 24);
/// assert_eq!(frame.content().y, 48);
/// assert_eq!(frame.content().bottom(), 192);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Frame {
    /// The OS status bar is shown (the kit starts below it).
    pub status_bar: bool,
    /// The bottom 24 px are kept for F-key labels.
    pub fkey_bar: bool,
}

impl Default for Frame {
    /// Status bar and F-key bar both shown.
    fn default() -> Self {
        Frame::new(true, true)
    }
}

impl Frame {
    /// A frame.
    pub const fn new(status_bar: bool, fkey_bar: bool) -> Frame {
        Frame {
            status_bar,
            fkey_bar,
        }
    }

    /// The title bar.
    pub const fn title(&self) -> Rect {
        Rect::new(
            0,
            if self.status_bar { BAR_HEIGHT } else { 0 },
            crate::display::WIDTH as i32,
            BAR_HEIGHT,
        )
    }

    /// What lies between the title bar and the F-key bar.
    pub const fn content(&self) -> Rect {
        let top = self.title().bottom();
        let bottom = if self.fkey_bar {
            fkeys::FKEY_BAR_Y
        } else {
            crate::display::HEIGHT as i32
        };
        Rect::new(0, top, crate::display::WIDTH as i32, bottom - top)
    }

    /// Everything below the status bar (for full-screen drawing).
    pub const fn below_status_bar(&self) -> Rect {
        let top = if self.status_bar { BAR_HEIGHT } else { 0 };
        Rect::new(
            0,
            top,
            crate::display::WIDTH as i32,
            crate::display::HEIGHT as i32 - top,
        )
    }
}

/// Font of titles, menu items and dialogs.
pub const BODY_FONT: Font = Font::Medium;

/// Draws the title bar of `frame` with `title` (cut with "..." to fit);
/// see [`TitleBar`] for a status text or other colours.
pub fn draw_title<S: Surface + ?Sized>(surface: &mut S, frame: &Frame, title: &str) {
    TitleBar::new(title).draw(surface, frame.title());
}

/// Clears `frame`'s content area (and the title bar, drawn with `title`).
pub fn draw_screen<S: Surface + ?Sized>(surface: &mut S, frame: &Frame, title: &str) {
    surface.fill_rect(frame.below_status_bar(), THEME.background);
    draw_title(surface, frame, title);
}

/// Draws a vertical scroll bar in `track` for `visible` of `total` rows
/// starting at `first`; nothing when everything is visible.
pub fn draw_scrollbar<S: Surface + ?Sized>(
    surface: &mut S,
    track: Rect,
    first: usize,
    visible: usize,
    total: usize,
) {
    if total <= visible || track.is_empty() {
        return;
    }
    surface.fill_rect(track, THEME.field_background);
    let (top, height) = scrollbar_thumb(track.height, first, visible, total);
    surface.fill_rect(
        Rect::new(track.x, track.y + top, track.width, height),
        THEME.accent,
    );
}

/// The scroll bar thumb's (offset, height) in a track `track_height`
/// tall: proportional, at least 6 px, inside the track.
pub fn scrollbar_thumb(
    track_height: i32,
    first: usize,
    visible: usize,
    total: usize,
) -> (i32, i32) {
    if total == 0 || total <= visible {
        return (0, track_height);
    }
    let height = ((track_height as i64 * visible as i64) / total as i64)
        .max(6)
        .min(track_height as i64) as i32;
    let last_first = (total - visible) as i64;
    let offset =
        ((track_height - height) as i64 * (first as i64).min(last_first) / last_first) as i32;
    (offset, height)
}

#[cfg(test)]
mod tests {
    use super::*;

    prizm_test! {
        fn frames() {
            let full = Frame::new(false, false);
            assert_eq!(full.title(), Rect::new(0, 0, 384, 24));
            assert_eq!(full.content(), Rect::new(0, 24, 384, 192));
            let default = Frame::default();
            assert_eq!(default.content(), Rect::new(0, 48, 384, 144));
            assert_eq!(default.below_status_bar(), Rect::new(0, 24, 384, 192));
        }
    }

    prizm_test! {
        fn rects() {
            let rect = Rect::new(10, 20, 30, 40);
            assert_eq!((rect.right(), rect.bottom()), (40, 60));
            assert!(rect.contains(10, 20) && rect.contains(39, 59) && !rect.contains(40, 20));
            assert_eq!(rect.inset(5), Rect::new(15, 25, 20, 30));
            assert!(rect.inset(20).is_empty());
            assert_eq!(Rect::new(0, 0, -3, 4).width, 0);
        }
    }

    prizm_test! {
        fn scrollbar_thumbs() {
            assert_eq!(scrollbar_thumb(100, 0, 10, 10), (0, 100));
            assert_eq!(scrollbar_thumb(100, 0, 5, 10), (0, 50));
            assert_eq!(scrollbar_thumb(100, 5, 5, 10), (50, 50));
            assert_eq!(scrollbar_thumb(100, 99, 5, 10), (50, 50));
            let (offset, height) = scrollbar_thumb(100, 500, 1, 1000);
            assert_eq!(height, 6);
            assert!(offset + height <= 100);
        }
    }
}
