//! A one-line text field: digits only or text, optionally masked for PINs.

use super::{draw_screen, Frame, Rect, Surface, THEME};
use crate::display::text::{Font, LARGE_CHAR_WIDTH};
use crate::display::{Display, Rgb565};
use crate::keyboard::{self, Key};

/// What may be typed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum InputKind {
    /// 0–9 only.
    Digits,
    /// Any character a key types (letters need ALPHA).
    Text,
}

/// What a key did to an input line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum InputEvent {
    /// Nothing changed.
    None,
    /// The text or cursor changed (redraw).
    Changed,
    /// EXE: the text is final.
    Submitted,
    /// EXIT.
    Cancelled,
}

/// Why [`InputState::try_insert`] refused a character.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum InsertError {
    /// The field holds its maximum length already.
    Full,
    /// The field does not take this character (a letter in a digits field).
    NotAllowed,
}

/// The pure state of an input line holding at most `N` characters
/// (printable ASCII; fixed capacity, no allocation).
///
/// Keys: characters insert at the cursor, DEL deletes before it, AC
/// clears, LEFT/RIGHT move, UP/DOWN jump to the start/end, EXE submits,
/// EXIT cancels. A masked field shows `*`, optionally the character just
/// typed in clear until the next key (or [`conceal`](Self::conceal)).
///
/// Made for secrets too: deleted characters and the whole buffer on
/// [`clear`](Self::clear) and on drop are overwritten with zeros, and
/// `Debug` of a masked field shows only its length.
///
/// ```
/// use prizm::ui::{InputKind, InputState};
/// use prizm::keyboard::Key;
/// let mut pin = InputState::<8>::new(InputKind::Digits).masked(true).reveal_last(true);
/// for key in [Key::Digit1, Key::Digit2, Key::Letter(b'A'), Key::Digit3] {
///     pin.handle_key(key);
/// }
/// assert_eq!(pin.text(), "123");
/// assert_eq!(pin.display().as_str(), "**3"); // the last digit shows until the next key
/// pin.handle_key(Key::Left);
/// assert_eq!(pin.display().as_str(), "***");
/// assert_eq!(format!("{pin:?}"), "InputState { length: 3, masked: true }");
/// ```
#[derive(Clone, PartialEq, Eq)]
pub struct InputState<const N: usize> {
    /// The characters, ASCII; bytes past `length` are always zero.
    bytes: [u8; N],
    length: usize,
    cursor: usize,
    max_length: usize,
    kind: InputKind,
    masked: bool,
    reveal_last: bool,
    revealed: Option<usize>,
    scroll: usize,
}

impl<const N: usize> core::fmt::Debug for InputState<N> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        let mut debug = f.debug_struct("InputState");
        if !self.masked {
            debug
                .field("text", &self.text())
                .field("cursor", &self.cursor);
        } else {
            debug.field("length", &self.length);
        }
        debug.field("masked", &self.masked).finish()
    }
}

/// Overwrites `bytes` with zeros by volatile stores, which the optimiser
/// may not remove even when nothing reads the buffer again.
fn wipe(bytes: &mut [u8]) {
    for byte in bytes.iter_mut() {
        // SAFETY: `byte` is a valid, aligned, exclusive reference.
        unsafe { core::ptr::write_volatile(byte, 0) };
    }
    core::sync::atomic::compiler_fence(core::sync::atomic::Ordering::SeqCst);
}

impl<const N: usize> Drop for InputState<N> {
    fn drop(&mut self) {
        wipe(&mut self.bytes);
    }
}

impl<const N: usize> InputState<N> {
    /// An empty field accepting up to `N` characters of `kind`.
    pub fn new(kind: InputKind) -> Self {
        InputState {
            bytes: [0; N],
            length: 0,
            cursor: 0,
            max_length: N,
            kind,
            masked: false,
            reveal_last: false,
            revealed: None,
            scroll: 0,
        }
    }

    /// Shows `*` instead of the characters.
    pub fn masked(mut self, masked: bool) -> Self {
        self.masked = masked;
        self
    }

    /// In a masked field, shows the character just typed until the next key.
    pub fn reveal_last(mut self, reveal: bool) -> Self {
        self.reveal_last = reveal;
        self
    }

    /// Accepts at most `max_length` characters (capped at `N`).
    pub fn max_length(mut self, max_length: usize) -> Self {
        self.max_length = max_length.min(N);
        self
    }

    /// Starts with `text` (characters that may not be typed are dropped),
    /// cursor at the end.
    pub fn with_text(mut self, text: &str) -> Self {
        self.clear();
        for c in text.chars() {
            self.insert(c);
        }
        self.revealed = None;
        self
    }

    /// The text typed so far.
    pub fn text(&self) -> &str {
        // Only ASCII is ever stored, so this never fails.
        core::str::from_utf8(self.as_bytes()).unwrap_or("")
    }

    /// The text typed so far, as bytes.
    pub fn as_bytes(&self) -> &[u8] {
        &self.bytes[..self.length]
    }

    /// The cursor position in characters (0 = before the first).
    pub fn cursor(&self) -> usize {
        self.cursor
    }

    /// Number of characters.
    pub fn len(&self) -> usize {
        self.length
    }

    /// True when nothing is typed.
    pub fn is_empty(&self) -> bool {
        self.length == 0
    }

    /// The most characters this field takes.
    pub fn limit(&self) -> usize {
        self.max_length
    }

    /// What may be typed.
    pub fn kind(&self) -> InputKind {
        self.kind
    }

    /// True when characters are shown as `*`.
    pub fn is_masked(&self) -> bool {
        self.masked
    }

    /// True while the character just typed is shown in clear.
    pub fn is_revealing(&self) -> bool {
        self.revealed.is_some()
    }

    /// Hides a revealed character again (for example when a second passed
    /// without a key).
    pub fn conceal(&mut self) {
        self.revealed = None;
    }

    /// Empties the field, overwriting what was typed.
    pub fn clear(&mut self) {
        wipe(&mut self.bytes);
        self.length = 0;
        self.cursor = 0;
        self.scroll = 0;
        self.revealed = None;
    }

    fn accepts(&self, c: char) -> bool {
        match self.kind {
            InputKind::Digits => c.is_ascii_digit(),
            InputKind::Text => (' '..='~').contains(&c),
        }
    }

    /// Inserts `c` at the cursor, or says why not.
    pub fn try_insert(&mut self, c: char) -> Result<(), InsertError> {
        if !self.accepts(c) {
            return Err(InsertError::NotAllowed);
        }
        if self.length >= self.max_length {
            return Err(InsertError::Full);
        }
        // In place, so no copy of the text is left behind.
        self.bytes
            .copy_within(self.cursor..self.length, self.cursor + 1);
        self.bytes[self.cursor] = c as u8;
        self.length += 1;
        self.revealed = (self.masked && self.reveal_last).then_some(self.cursor);
        self.cursor += 1;
        Ok(())
    }

    /// Inserts `c` at the cursor if allowed and there is room.
    pub fn insert(&mut self, c: char) -> bool {
        self.try_insert(c).is_ok()
    }

    /// Deletes the character before the cursor.
    pub fn delete_back(&mut self) -> bool {
        if self.cursor == 0 {
            return false;
        }
        self.cursor -= 1;
        self.bytes
            .copy_within(self.cursor + 1..self.length, self.cursor);
        self.length -= 1;
        wipe(&mut self.bytes[self.length..self.length + 1]);
        true
    }

    /// Applies a key.
    pub fn handle_key(&mut self, key: Key) -> InputEvent {
        let was_revealed = self.revealed.take().is_some();
        let changed = match key {
            Key::Exe => return InputEvent::Submitted,
            Key::Exit => return InputEvent::Cancelled,
            Key::Left if self.cursor > 0 => {
                self.cursor -= 1;
                true
            }
            Key::Right if self.cursor < self.length => {
                self.cursor += 1;
                true
            }
            Key::Up if self.cursor > 0 => {
                self.cursor = 0;
                true
            }
            Key::Down if self.cursor < self.length => {
                self.cursor = self.length;
                true
            }
            Key::Del => self.delete_back(),
            Key::Ac if self.length > 0 => {
                self.clear();
                true
            }
            _ => key.as_char().is_some_and(|c| self.insert(c)),
        };
        if changed || was_revealed {
            InputEvent::Changed
        } else {
            InputEvent::None
        }
    }

    /// The text as shown: `*` for masked characters, except a revealed one.
    pub fn display(&self) -> heapless::String<N> {
        let mut shown = heapless::String::new();
        for (i, &byte) in self.as_bytes().iter().enumerate() {
            let visible = !self.masked || Some(i) == self.revealed;
            // At most N characters: always fits.
            let _ = shown.push(if visible { byte as char } else { '*' });
        }
        shown
    }

    /// Scrolls so the cursor is visible in a field `columns` characters
    /// wide (one column is kept for the cursor at the end); returns the
    /// first character shown.
    pub fn scroll_to_cursor(&mut self, columns: usize) -> usize {
        let columns = columns.max(1);
        if self.cursor < self.scroll {
            self.scroll = self.cursor;
        } else if self.cursor >= self.scroll + columns {
            self.scroll = self.cursor + 1 - columns;
        }
        // Do not leave empty room on the right when text was deleted.
        let last_start = (self.length + 1).saturating_sub(columns);
        self.scroll = self.scroll.min(last_start);
        self.scroll
    }
}

/// A one-line text box for an [`InputState`] that an add-in places
/// itself (the [`Input`] screen draws its own): a filled box, the text in
/// the large fixed-width font with `_` at the cursor, and an optional
/// indicator at the right (a typing mode such as `A`, `S 1`).
///
/// When the text does not fit, the part up to the cursor stays in view.
///
/// ```
/// use prizm::ui::{FieldBox, InputKind, InputState, RecordingSurface, Rect, THEME};
/// let pin = InputState::<16>::new(InputKind::Digits).masked(true).with_text("2580");
/// let mut surface = RecordingSurface::new();
/// FieldBox::new().with_indicator("1").draw(&mut surface, Rect::new(12, 80, 360, 26), &pin);
/// assert_eq!(surface.text_log(), "****|_|1");
/// assert_eq!(surface.framebuffer.pixel(13, 81), Some(THEME.field_background));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct FieldBox<'a> {
    /// Shown at the right edge.
    pub indicator: Option<&'a str>,
    /// The box.
    pub background: Rgb565,
    /// The text and cursor.
    pub text: Rgb565,
    /// The indicator.
    pub indicator_color: Rgb565,
}

impl Default for FieldBox<'_> {
    fn default() -> Self {
        FieldBox::new()
    }
}

impl<'a> FieldBox<'a> {
    /// Space between the box's edges and its texts, in pixels.
    pub const PADDING: i32 = 6;
    /// Character cells kept free for the indicator at the right.
    pub const INDICATOR_CELLS: i32 = 4;

    /// A box in the theme's colours, without indicator.
    pub const fn new() -> Self {
        FieldBox {
            indicator: None,
            background: THEME.field_background,
            text: THEME.text,
            indicator_color: THEME.accent,
        }
    }

    /// This box with `indicator` at the right.
    pub const fn with_indicator(mut self, indicator: &'a str) -> Self {
        self.indicator = Some(indicator);
        self
    }

    /// This box in other colours.
    pub const fn with_colors(
        mut self,
        background: Rgb565,
        text: Rgb565,
        indicator: Rgb565,
    ) -> Self {
        self.background = background;
        self.text = text;
        self.indicator_color = indicator;
        self
    }

    /// How many characters fit in a box `width` pixels wide with cells of
    /// `cell` pixels (the cursor may use the indicator's room).
    pub const fn columns(width: i32, cell: i32) -> usize {
        let cell = if cell < 1 { 1 } else { cell };
        let columns = (width - 2 * Self::PADDING - Self::INDICATOR_CELLS * cell) / cell;
        if columns < 1 {
            1
        } else {
            columns as usize
        }
    }

    /// Draws `state` into `rect` (as [`InputState::display`] shows it:
    /// masked fields as `*`).
    pub fn draw<S: Surface + ?Sized, const N: usize>(
        &self,
        surface: &mut S,
        rect: Rect,
        state: &InputState<N>,
    ) {
        surface.fill_rect(rect, self.background);
        let cell = surface.text_width("0", Font::Large).max(1);
        let columns = Self::columns(rect.width, cell);
        let cursor = state.cursor();
        let first = cursor.saturating_sub(columns);
        let shown = state.display();
        let end = (first + columns).min(shown.len());
        let x = rect.x + Self::PADDING;
        let y = rect.y + (rect.height - surface.line_height(Font::Large)) / 2;
        if end > first {
            surface.draw_text(x, y, &shown[first..end], Font::Large, self.text, None);
        }
        let cursor_x = x + (cursor - first) as i32 * cell;
        surface.draw_text(cursor_x, y, "_", Font::Large, self.text, None);
        if let Some(indicator) = self.indicator {
            let width = surface.text_width(indicator, Font::Large);
            let indicator_x = rect.right() - Self::PADDING - width;
            surface.draw_text(
                indicator_x,
                y,
                indicator,
                Font::Large,
                self.indicator_color,
                None,
            );
        }
    }
}

/// Width of one character cell of the field (the large fixed-width font).
pub const CELL_WIDTH: i32 = LARGE_CHAR_WIDTH;

/// An input screen: title, prompt, the field with a cursor.
///
/// ```no_run
/// use prizm::ui::{Input, InputKind, InputState};
/// # fn ask(calculator: &mut prizm::Calculator) {
/// let mut input = Input::new("Lock", "Enter PIN:", InputState::<8>::new(InputKind::Digits).masked(true));
/// if let Some(pin) = input.run(&mut calculator.display) {
///     prizm::debug_println!("PIN has {} digits", pin.len());
/// }
/// # }
/// ```
pub struct Input<'a, const N: usize> {
    /// Shown in the title bar.
    pub title: &'a str,
    /// Shown above the field.
    pub prompt: &'a str,
    /// The text and cursor.
    pub state: InputState<N>,
    /// Where the screen goes.
    pub frame: Frame,
}

impl<'a, const N: usize> Input<'a, N> {
    /// An input screen in the default frame.
    pub fn new(title: &'a str, prompt: &'a str, state: InputState<N>) -> Self {
        Input {
            title,
            prompt,
            state,
            frame: Frame::default(),
        }
    }

    /// The field's rectangle.
    pub fn field_rect(&self) -> Rect {
        let content = self.frame.content();
        Rect::new(content.x + 6, content.y + 30, content.width - 12, 28)
    }

    /// Draws the screen.
    pub fn draw<S: Surface + ?Sized>(&mut self, surface: &mut S) {
        draw_screen(surface, &self.frame, self.title);
        let content = self.frame.content();
        super::text::draw_truncated(
            surface,
            content.x + 6,
            content.y + 6,
            self.prompt,
            content.width - 12,
            Font::Medium,
            THEME.text,
            None,
        );
        let field = self.field_rect();
        self.draw_field(surface, field);
    }

    /// Draws only the field into `field` (a border, the visible text, the
    /// cursor).
    pub fn draw_field<S: Surface + ?Sized>(&mut self, surface: &mut S, field: Rect) {
        surface.fill_rect(field, THEME.accent);
        let inner = field.inset(2);
        surface.fill_rect(inner, THEME.field_background);
        // The large font is fixed-width: one cell per character
        // (CELL_WIDTH on the calculator, the bitmap font's on other surfaces).
        let cell = surface.text_width("0", Font::Large).max(1);
        let columns = (inner.width / cell).max(1) as usize;
        let first = self.state.scroll_to_cursor(columns);
        let shown = self.state.display();
        let end = (first + columns).min(shown.len());
        let y = inner.y + (inner.height - surface.line_height(Font::Large)) / 2;
        surface.draw_text(
            inner.x,
            y,
            &shown[first..end],
            Font::Large,
            THEME.text,
            None,
        );
        let cursor_x = inner.x + (self.state.cursor() - first) as i32 * cell;
        surface.fill_rect(
            Rect::new(cursor_x, inner.y + 2, 2, inner.height - 4),
            THEME.accent,
        );
    }

    /// Shows the screen until EXE (`Some(text)`) or EXIT (`None`).
    pub fn run(&mut self, display: &mut Display) -> Option<heapless::String<N>> {
        let mut screen = super::Screen::new(display);
        loop {
            self.draw(&mut screen);
            match self.state.handle_key(keyboard::get_key()) {
                InputEvent::Submitted => {
                    let mut text = heapless::String::new();
                    // The state holds at most N characters.
                    let _ = text.push_str(self.state.text());
                    return Some(text);
                }
                InputEvent::Cancelled => return None,
                InputEvent::Changed | InputEvent::None => {}
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ui::RecordingSurface;

    fn typed<const N: usize>(state: &mut InputState<N>, keys: &[Key]) {
        for &key in keys {
            state.handle_key(key);
        }
    }

    prizm_test! {
        fn editing() {
            let mut input = InputState::<16>::new(InputKind::Text);
            typed(&mut input, &[Key::Letter(b'H'), Key::Letter(b'i'), Key::Space, Key::Digit2]);
            assert_eq!((input.text(), input.cursor()), ("Hi 2", 4));
            typed(&mut input, &[Key::Left, Key::Left, Key::Del]);
            assert_eq!((input.text(), input.cursor()), ("H 2", 1));
            typed(&mut input, &[Key::Letter(b'o')]);
            assert_eq!((input.text(), input.cursor()), ("Ho 2", 2));
            typed(&mut input, &[Key::Up, Key::Del]);
            assert_eq!(input.text(), "Ho 2");
            typed(&mut input, &[Key::Down, Key::Right, Key::Del, Key::Sin]);
            assert_eq!((input.text(), input.cursor()), ("Ho ", 3));
            assert_eq!(input.handle_key(Key::Ac), InputEvent::Changed);
            assert!(input.is_empty());
            assert_eq!(input.handle_key(Key::Ac), InputEvent::None);
            assert_eq!(input.handle_key(Key::Exe), InputEvent::Submitted);
            assert_eq!(input.handle_key(Key::Exit), InputEvent::Cancelled);
        }
    }

    prizm_test! {
        fn digits_only_and_max_length() {
            let mut input = InputState::<10>::new(InputKind::Digits).max_length(4);
            typed(&mut input, &[Key::Digit1, Key::Letter(b'x'), Key::Dot, Key::Minus, Key::Digit2]);
            assert_eq!(input.text(), "12");
            typed(&mut input, &[Key::Digit3, Key::Digit4, Key::Digit5]);
            assert_eq!(input.text(), "1234");
            assert_eq!(input.handle_key(Key::Digit9), InputEvent::None);
            let prefilled = InputState::<4>::new(InputKind::Digits).with_text("12a345");
            let mut full = InputState::<4>::new(InputKind::Digits).max_length(2).with_text("12");
            assert_eq!(full.try_insert('3'), Err(InsertError::Full));
            assert_eq!(full.try_insert('x'), Err(InsertError::NotAllowed));
            assert_eq!((prefilled.text(), prefilled.cursor()), ("1234", 4));
            assert_eq!(InputState::<3>::new(InputKind::Text).max_length(50).max_length, 3);
        }
    }

    prizm_test! {
        fn masking_and_revealing_the_last_character() {
            let mut pin = InputState::<8>::new(InputKind::Digits).masked(true).reveal_last(true);
            typed(&mut pin, &[Key::Digit4, Key::Digit7]);
            assert_eq!(pin.display().as_str(), "*7");
            // Any next key hides it again and reports a change.
            assert_eq!(pin.handle_key(Key::F1), InputEvent::Changed);
            assert_eq!(pin.display().as_str(), "**");
            assert_eq!(pin.handle_key(Key::F1), InputEvent::None);
            typed(&mut pin, &[Key::Left, Key::Digit1]);
            assert_eq!(pin.text(), "417");
            assert_eq!(pin.display().as_str(), "*1*");
            let hidden = InputState::<8>::new(InputKind::Digits).masked(true).with_text("99");
            assert_eq!(hidden.display().as_str(), "**");
            let plain = InputState::<8>::new(InputKind::Text).with_text("ab");
            assert_eq!(plain.display().as_str(), "ab");
        }
    }

    prizm_test! {
        fn a_field_box_keeps_the_cursor_end_in_view() {
            // What the box drew: its texts and the cursor's x. One screen-
            // sized surface at a time (the calculator has ~500 KiB).
            fn drawn<const N: usize>(field: FieldBox, width: i32, state: &InputState<N>) -> (alloc::string::String, i32) {
                let mut surface = RecordingSurface::new();
                field.draw(&mut surface, Rect::new(0, 0, width, 26), state);
                let cursor = surface.find_text("_").map_or(-1, |call| call.x);
                (surface.text_log(), cursor)
            }
            let long = InputState::<40>::new(InputKind::Text).with_text("abcdefghijklmnopqrstuvwxyz");
            // 18-px cells, 12 px of padding, 4 cells for the indicator:
            // (200 - 12 - 72) / 18 = 6 columns.
            assert_eq!(FieldBox::columns(200, 18), 6);
            let (log, cursor) = drawn(FieldBox::new(), 200, &long);
            assert_eq!(log, "uvwxyz|_");
            assert_eq!(cursor, 6 + 6 * 18, "the cursor after the last shown cell");
            let mut start = long.clone();
            start.handle_key(Key::Up);
            let (log, cursor) = drawn(FieldBox::new(), 200, &start);
            assert_eq!(log, "abcdef|_");
            assert_eq!(cursor, 6, "the cursor on the first cell");
            let empty = InputState::<4>::new(InputKind::Digits);
            assert_eq!(drawn(FieldBox::new().with_indicator("1"), 10, &empty).0, "_|1");
        }
    }

    prizm_test! {
        fn deleted_characters_are_overwritten() {
            let mut field = InputState::<8>::new(InputKind::Text).masked(true).with_text("abcd");
            field.handle_key(Key::Left);
            field.handle_key(Key::Del);
            assert_eq!(field.text(), "abd");
            assert_eq!(field.bytes, *b"abd\0\0\0\0\0", "nothing left past the text");
            field.clear();
            assert!(field.bytes.iter().all(|&b| b == 0));
            assert!(field.is_empty());
            field.insert('z');
            assert_eq!(alloc::format!("{field:?}"), "InputState { length: 1, masked: true }");
        }
    }

    prizm_test! {
        fn scrolling_keeps_the_cursor_visible() {
            let mut input = InputState::<32>::new(InputKind::Digits).with_text("0123456789");
            assert_eq!(input.scroll_to_cursor(4), 7);
            typed(&mut input, &[Key::Left, Key::Left, Key::Left]);
            assert_eq!(input.scroll_to_cursor(4), 7);
            typed(&mut input, &[Key::Left]);
            assert_eq!(input.scroll_to_cursor(4), 6);
            typed(&mut input, &[Key::Up]);
            assert_eq!(input.scroll_to_cursor(4), 0);
            typed(&mut input, &[Key::Down, Key::Del, Key::Del, Key::Del, Key::Del, Key::Del, Key::Del, Key::Del]);
            assert_eq!(input.text(), "012");
            assert_eq!(input.scroll_to_cursor(4), 0);
            assert_eq!(input.scroll_to_cursor(0), 3);
        }
    }

    prizm_test! {
        fn draws_masked_text_and_cursor() {
            let state = InputState::<30>::new(InputKind::Digits).masked(true).with_text("123456789012345678901234");
            let mut input = Input::new("Lock", "PIN:", state);
            let mut surface = RecordingSurface::new();
            input.draw(&mut surface);
            let field = surface.find_text("*").unwrap();
            let columns = ((input.field_rect().width - 4) / CELL_WIDTH) as usize;
            assert_eq!(field.text.len(), columns - 1);
            assert!(field.text.chars().all(|c| c == '*'));
            assert!(surface.text_log().starts_with("Lock|PIN:|"));
        }
    }
}
