//! A scrolling menu: a title, a list of items, one selected.

use super::{draw_screen, draw_scrollbar, text, Frame, Rect, Surface, BODY_FONT, THEME};
use crate::display::Display;
use crate::keyboard::{self, Key};

/// Height of one menu row in pixels.
pub const ROW_HEIGHT: i32 = 24;

/// What a key did to a menu.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MenuEvent {
    /// Nothing changed.
    None,
    /// The selection moved (redraw).
    Moved,
    /// An item was chosen (EXE or its number key).
    Chosen(usize),
    /// EXIT was pressed.
    Cancelled,
}

/// The pure state of a menu: selection and scrolling.
///
/// UP/DOWN move and wrap around, LEFT/RIGHT (or SHIFT UP/DOWN) move a page,
/// EXE chooses, EXIT cancels, 1–9 and 0 choose items 1–10 directly.
///
/// ```
/// use prizm::ui::{MenuEvent, MenuState};
/// use prizm::keyboard::Key;
/// let mut menu = MenuState::new(3, 2);
/// assert_eq!(menu.handle_key(Key::Up), MenuEvent::Moved);
/// assert_eq!(menu.selected(), 2); // wrapped to the last item
/// assert_eq!(menu.first_visible(), 1); // scrolled to show it
/// assert_eq!(menu.handle_key(Key::Digit1), MenuEvent::Chosen(0));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct MenuState {
    len: usize,
    selected: usize,
    first: usize,
    visible: usize,
}

impl MenuState {
    /// A menu of `len` items showing `visible` rows at once.
    pub const fn new(len: usize, visible: usize) -> MenuState {
        MenuState {
            len,
            selected: 0,
            first: 0,
            visible: if visible == 0 { 1 } else { visible },
        }
    }

    /// Number of items.
    pub const fn len(&self) -> usize {
        self.len
    }

    /// True when there are no items.
    pub const fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The selected item (0 when empty).
    pub const fn selected(&self) -> usize {
        self.selected
    }

    /// The first item shown.
    pub const fn first_visible(&self) -> usize {
        self.first
    }

    /// Rows shown at once.
    pub const fn visible_rows(&self) -> usize {
        self.visible
    }

    /// The items shown, as a range of indices.
    pub fn visible_range(&self) -> core::ops::Range<usize> {
        self.first..(self.first + self.visible).min(self.len)
    }

    /// Selects `index` (clamped) and scrolls to it.
    pub fn select(&mut self, index: usize) {
        self.selected = index.min(self.len.saturating_sub(1));
        self.scroll_to_selection();
    }

    /// Changes the number of items, keeping the selection in range.
    pub fn set_len(&mut self, len: usize) {
        self.len = len;
        self.select(self.selected);
    }

    /// Changes the number of rows shown.
    pub fn set_visible_rows(&mut self, visible: usize) {
        self.visible = visible.max(1);
        self.scroll_to_selection();
    }

    fn scroll_to_selection(&mut self) {
        if self.selected < self.first {
            self.first = self.selected;
        } else if self.selected >= self.first + self.visible {
            self.first = self.selected + 1 - self.visible;
        }
        self.first = self.first.min(self.len.saturating_sub(self.visible));
    }

    /// Applies a key.
    pub fn handle_key(&mut self, key: Key) -> MenuEvent {
        if key == Key::Exit {
            return MenuEvent::Cancelled;
        }
        if self.len == 0 {
            return MenuEvent::None;
        }
        let before = self.selected;
        match key {
            Key::Exe => return MenuEvent::Chosen(self.selected),
            Key::Up => {
                self.selected = if self.selected == 0 {
                    self.len - 1
                } else {
                    self.selected - 1
                }
            }
            Key::Down => {
                self.selected = if self.selected + 1 == self.len {
                    0
                } else {
                    self.selected + 1
                }
            }
            Key::Left | Key::PageUp => self.selected = self.selected.saturating_sub(self.visible),
            Key::Right | Key::PageDown => {
                self.selected = (self.selected + self.visible).min(self.len - 1)
            }
            _ => {
                let Some(digit) = key.digit() else {
                    return MenuEvent::None;
                };
                let index = if digit == 0 { 9 } else { digit as usize - 1 };
                if index >= self.len {
                    return MenuEvent::None;
                }
                self.select(index);
                return MenuEvent::Chosen(index);
            }
        }
        self.scroll_to_selection();
        if self.selected == before {
            MenuEvent::None
        } else {
            MenuEvent::Moved
        }
    }
}

/// The row rectangle of visible row `row` (0 = top) in `area`.
pub fn row_rect(area: Rect, row: usize) -> Rect {
    Rect::new(
        area.x,
        area.y + row as i32 * ROW_HEIGHT,
        area.width,
        ROW_HEIGHT,
    )
}

/// Rows of [`ROW_HEIGHT`] that fit in `area`.
pub fn rows_in(area: Rect) -> usize {
    (area.height / ROW_HEIGHT).max(1) as usize
}

/// A menu screen: title bar, items with number shortcuts, scroll bar.
///
/// See the [module documentation](super) for an example.
pub struct Menu<'a> {
    /// Shown in the title bar.
    pub title: &'a str,
    /// The items.
    pub items: &'a [&'a str],
    /// Selection and scrolling.
    pub state: MenuState,
    /// Where the menu goes on screen.
    pub frame: Frame,
    /// Show "1:" … "0:" before the first ten items.
    pub shortcuts: bool,
}

impl<'a> Menu<'a> {
    /// A menu in the default frame (status bar and F-key bar shown).
    pub fn new(title: &'a str, items: &'a [&'a str]) -> Menu<'a> {
        let frame = Frame::default();
        Menu {
            title,
            items,
            state: MenuState::new(items.len(), rows_in(frame.content())),
            frame,
            shortcuts: true,
        }
    }

    /// The same menu in another frame.
    pub fn with_frame(mut self, frame: Frame) -> Menu<'a> {
        self.frame = frame;
        self.state.set_visible_rows(rows_in(frame.content()));
        self
    }

    /// Draws the whole menu.
    pub fn draw<S: Surface + ?Sized>(&self, surface: &mut S) {
        draw_screen(surface, &self.frame, self.title);
        let content = self.frame.content();
        let has_scrollbar = self.state.len() > self.state.visible_rows();
        let list = Rect::new(
            content.x,
            content.y,
            content.width - if has_scrollbar { 6 } else { 0 },
            content.height,
        );
        for (row, index) in self.state.visible_range().enumerate() {
            self.draw_row(surface, row_rect(list, row), index);
        }
        let track = Rect::new(content.right() - 4, content.y + 2, 3, content.height - 4);
        draw_scrollbar(
            surface,
            track,
            self.state.first_visible(),
            self.state.visible_rows(),
            self.state.len(),
        );
    }

    fn draw_row<S: Surface + ?Sized>(&self, surface: &mut S, rect: Rect, index: usize) {
        let selected = index == self.state.selected();
        let (foreground, background) = if selected {
            (THEME.selection_text, THEME.selection_background)
        } else {
            (THEME.text, THEME.background)
        };
        surface.fill_rect(rect, background);
        let y = rect.y + (rect.height - surface.line_height(BODY_FONT)) / 2;
        let mut x = rect.x + 6;
        if self.shortcuts && index < 10 {
            let label = ["1:", "2:", "3:", "4:", "5:", "6:", "7:", "8:", "9:", "0:"][index];
            let color = if selected { foreground } else { THEME.dim_text };
            surface.draw_text(x, y, label, BODY_FONT, color, None);
            x += 24;
        }
        let item = self.items.get(index).copied().unwrap_or("");
        text::draw_truncated(
            surface,
            x,
            y,
            item,
            rect.right() - x - 4,
            BODY_FONT,
            foreground,
            None,
        );
    }

    /// Shows the menu until an item is chosen (`Some(index)`) or EXIT is
    /// pressed (`None`). Waits in `GetKey`, so MENU still leaves.
    pub fn run(&mut self, display: &mut Display) -> Option<usize> {
        let mut screen = super::Screen::new(display);
        loop {
            self.draw(&mut screen);
            match self.state.handle_key(keyboard::get_key()) {
                MenuEvent::Chosen(index) => return Some(index),
                MenuEvent::Cancelled => return None,
                MenuEvent::Moved | MenuEvent::None => {}
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ui::RecordingSurface;

    prizm_test! {
        fn moving_wraps_and_scrolls() {
            let mut menu = MenuState::new(10, 4);
            assert_eq!(menu.visible_range(), 0..4);
            for _ in 0..4 {
                assert_eq!(menu.handle_key(Key::Down), MenuEvent::Moved);
            }
            assert_eq!((menu.selected(), menu.first_visible()), (4, 1));
            assert_eq!(menu.handle_key(Key::Right), MenuEvent::Moved);
            assert_eq!((menu.selected(), menu.first_visible()), (8, 5));
            assert_eq!(menu.handle_key(Key::Right), MenuEvent::Moved);
            assert_eq!(menu.selected(), 9);
            assert_eq!(menu.handle_key(Key::Right), MenuEvent::None);
            assert_eq!(menu.handle_key(Key::Down), MenuEvent::Moved);
            assert_eq!((menu.selected(), menu.first_visible()), (0, 0));
            assert_eq!(menu.handle_key(Key::Up), MenuEvent::Moved);
            assert_eq!((menu.selected(), menu.first_visible()), (9, 6));
            assert_eq!(menu.handle_key(Key::Left), MenuEvent::Moved);
            assert_eq!((menu.selected(), menu.first_visible()), (5, 5));
            assert_eq!(menu.visible_range(), 5..9);
        }
    }

    prizm_test! {
        fn choosing_and_cancelling() {
            let mut menu = MenuState::new(12, 5);
            assert_eq!(menu.handle_key(Key::Exe), MenuEvent::Chosen(0));
            assert_eq!(menu.handle_key(Key::Digit3), MenuEvent::Chosen(2));
            assert_eq!(menu.selected(), 2);
            assert_eq!(menu.handle_key(Key::Digit0), MenuEvent::Chosen(9));
            assert_eq!(menu.first_visible(), 5);
            assert_eq!(menu.handle_key(Key::Exit), MenuEvent::Cancelled);
            assert_eq!(menu.handle_key(Key::F1), MenuEvent::None);
            let mut short = MenuState::new(2, 5);
            assert_eq!(short.handle_key(Key::Digit5), MenuEvent::None);
            assert_eq!(short.handle_key(Key::Digit0), MenuEvent::None);
        }
    }

    prizm_test! {
        fn empty_and_resized_menus() {
            let mut menu = MenuState::new(0, 0);
            assert_eq!(menu.visible_rows(), 1);
            assert_eq!(menu.handle_key(Key::Down), MenuEvent::None);
            assert_eq!(menu.handle_key(Key::Exe), MenuEvent::None);
            assert_eq!(menu.handle_key(Key::Exit), MenuEvent::Cancelled);
            assert_eq!(menu.visible_range(), 0..0);
            let mut menu = MenuState::new(20, 5);
            menu.select(19);
            assert_eq!(menu.first_visible(), 15);
            menu.set_len(8);
            assert_eq!((menu.selected(), menu.first_visible()), (7, 3));
            menu.set_visible_rows(10);
            assert_eq!(menu.first_visible(), 0);
            let mut single = MenuState::new(1, 3);
            assert_eq!(single.handle_key(Key::Down), MenuEvent::None);
        }
    }

    prizm_test! {
        fn draws_visible_items_with_shortcuts() {
            let items = ["Alpha", "Beta", "Gamma", "Delta", "Epsilon", "Zeta", "Eta", "Theta"];
            let mut menu = Menu::new("Greek", &items);
            assert_eq!(menu.state.visible_rows(), 6);
            menu.state.handle_key(Key::Up);
            let mut surface = RecordingSurface::new();
            menu.draw(&mut surface);
            let log = surface.text_log();
            assert!(log.starts_with("Greek|3:|Gamma"), "{log}");
            assert!(log.ends_with("8:|Theta"), "{log}");
            let theta = surface.find_text("Theta").unwrap();
            assert_eq!(theta.color, THEME.selection_text);
            // The selected row is highlighted, the scroll bar drawn.
            let row = row_rect(menu.frame.content(), 5);
            assert_eq!(surface.framebuffer.pixel(100, row.y + 1), Some(THEME.selection_background));
            assert_eq!(surface.framebuffer.pixel(381, menu.frame.content().bottom() - 4), Some(THEME.accent));
        }
    }
}
