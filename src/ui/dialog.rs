//! Message and confirmation boxes drawn over the current screen.

use super::{text, FKeyBar, Rect, Surface, BAR_HEIGHT, BODY_FONT, THEME};
use crate::display::Display;
use crate::keyboard::{self, Key};

/// Width of a dialog box in pixels.
pub const DIALOG_WIDTH: i32 = 320;
/// Most body lines a dialog shows.
pub const MAX_DIALOG_LINES: usize = 7;
const PADDING: i32 = 8;

/// The box of a dialog with `lines` body lines, centred below the status
/// bar (at most [`MAX_DIALOG_LINES`] lines).
///
/// ```
/// let rect = prizm::ui::dialog_rect(2);
/// assert_eq!((rect.x, rect.width), (32, 320));
/// ```
pub fn dialog_rect(lines: usize) -> Rect {
    let lines = lines.clamp(1, MAX_DIALOG_LINES) as i32;
    let height = BAR_HEIGHT + lines * BODY_FONT.line_height() + 2 * PADDING;
    let screen_width = crate::display::WIDTH as i32;
    let room = crate::display::HEIGHT as i32 - BAR_HEIGHT;
    Rect::new(
        (screen_width - DIALOG_WIDTH) / 2,
        BAR_HEIGHT + (room - height) / 2,
        DIALOG_WIDTH,
        height,
    )
}

/// The area for body text inside a dialog box `rect`.
pub fn dialog_body(rect: Rect) -> Rect {
    Rect::new(
        rect.x + 10,
        rect.y + BAR_HEIGHT + PADDING,
        rect.width - 20,
        rect.height - BAR_HEIGHT - 2 * PADDING,
    )
}

/// Draws an empty dialog box for `lines` body lines titled `title`;
/// returns its rectangle.
pub fn draw_dialog<S: Surface + ?Sized>(surface: &mut S, title: &str, lines: usize) -> Rect {
    let rect = dialog_rect(lines);
    surface.fill_rect(rect, THEME.accent);
    surface.fill_rect(rect.inset(2), THEME.background);
    let bar = Rect::new(rect.x + 2, rect.y + 2, rect.width - 4, BAR_HEIGHT - 2);
    surface.fill_rect(bar, THEME.title_background);
    let y = bar.y + (bar.height - surface.line_height(BODY_FONT)) / 2;
    text::draw_truncated(
        surface,
        bar.x + 6,
        y,
        title,
        bar.width - 12,
        BODY_FONT,
        THEME.title_text,
        None,
    );
    rect
}

/// Draws a dialog titled `title` with `message` wrapped inside and, if
/// given, a dimmer `hint` line last; returns the box.
pub fn draw_message<S: Surface + ?Sized>(
    surface: &mut S,
    title: &str,
    message: &str,
    hint: Option<&str>,
) -> Rect {
    let width = DIALOG_WIDTH - 20;
    let reserved = usize::from(hint.is_some());
    let lines = text::line_count(message, width, |s| surface.text_width(s, BODY_FONT))
        .clamp(1, MAX_DIALOG_LINES - reserved);
    let rect = draw_dialog(surface, title, lines + reserved);
    let body = dialog_body(rect);
    text::draw_wrapped(
        surface, body.x, body.y, message, body.width, lines, BODY_FONT, THEME.text,
    );
    if let Some(hint) = hint {
        let y = body.y + lines as i32 * BODY_FONT.line_height();
        text::draw_truncated(
            surface,
            body.x,
            y,
            hint,
            body.width,
            BODY_FONT,
            THEME.dim_text,
            None,
        );
    }
    rect
}

/// The answer a key gives to a confirmation: F1 or EXE = yes, F6 or EXIT
/// = no, anything else = no answer yet.
///
/// ```
/// use prizm::keyboard::Key;
/// assert_eq!(prizm::ui::confirm_choice(Key::F1), Some(true));
/// assert_eq!(prizm::ui::confirm_choice(Key::Exit), Some(false));
/// assert_eq!(prizm::ui::confirm_choice(Key::Digit5), None);
/// ```
pub const fn confirm_choice(key: Key) -> Option<bool> {
    match key {
        Key::F1 | Key::Exe => Some(true),
        Key::F6 | Key::Exit => Some(false),
        _ => None,
    }
}

/// Restores the screen under a dialog when dropped.
struct SavedScreen;

impl SavedScreen {
    fn save() -> SavedScreen {
        // SAFETY: no arguments; copies VRAM to the OS's secondary buffer.
        unsafe { crate::syscall::SaveVRAM_1() };
        SavedScreen
    }
}

impl Drop for SavedScreen {
    fn drop(&mut self) {
        // SAFETY: no arguments; copies the secondary buffer back.
        unsafe { crate::syscall::LoadVRAM_1() };
    }
}

/// Shows `message` in a box until EXIT or EXE is pressed, then restores
/// the screen.
pub fn message_box(display: &mut Display, title: &str, message: &str) {
    let _saved = SavedScreen::save();
    let mut screen = super::Screen::new(display);
    draw_message(&mut screen, title, message, Some("Press [EXIT]"));
    keyboard::wait_for_exit();
}

/// Asks `question`; true for Yes (F1 or EXE), false for No (F6 or
/// EXIT). Restores the screen afterwards.
pub fn confirm(display: &mut Display, title: &str, question: &str) -> bool {
    let _saved = SavedScreen::save();
    let mut screen = super::Screen::new(display);
    draw_confirm(&mut screen, title, question);
    loop {
        if let Some(answer) = confirm_choice(keyboard::get_key()) {
            return answer;
        }
    }
}

/// Draws what [`confirm`] shows: the question and Yes/No F-key labels.
pub fn draw_confirm<S: Surface + ?Sized>(surface: &mut S, title: &str, question: &str) -> Rect {
    let rect = draw_message(surface, title, question, Some("Yes:[F1]  No:[F6]"));
    FKeyBar::new().with(0, "Yes").with(5, "No").draw(surface);
    rect
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ui::RecordingSurface;

    prizm_test! {
        fn boxes_are_centred_and_bounded() {
            for lines in 0..12 {
                let rect = dialog_rect(lines);
                assert!(rect.y >= BAR_HEIGHT && rect.bottom() <= 216, "{lines} lines: {rect:?}");
                assert_eq!(rect.x + rect.width / 2, 192);
                let body = dialog_body(rect);
                let shown = lines.clamp(1, MAX_DIALOG_LINES) as i32;
                assert_eq!(body.height, shown * BODY_FONT.line_height());
            }
            assert_eq!(dialog_rect(100), dialog_rect(MAX_DIALOG_LINES));
        }
    }

    prizm_test! {
        fn message_text_is_wrapped_inside_the_box() {
            let mut surface = RecordingSurface::new();
            let message = "The file could not be saved because storage memory is full.";
            let rect = draw_message(&mut surface, "Error", message, Some("Press [EXIT]"));
            let body = dialog_body(rect);
            assert_eq!(surface.texts[0].text, "Error");
            let lines: alloc::vec::Vec<_> = surface.texts[1..surface.texts.len() - 1].iter().collect();
            assert!(lines.len() >= 2);
            for line in &lines {
                assert!(line.x >= body.x && line.x + RecordingSurface::char_width(BODY_FONT) * line.text.len() as i32 <= body.right());
                assert!(line.y >= body.y && line.y + BODY_FONT.line_height() <= body.bottom());
            }
            assert_eq!(surface.texts.last().unwrap().text, "Press [EXIT]");
            assert_eq!(surface.texts.last().unwrap().color, THEME.dim_text);
        }
    }

    prizm_test! {
        fn confirm_shows_yes_and_no() {
            let mut surface = RecordingSurface::new();
            draw_confirm(&mut surface, "Delete", "Delete this file?");
            let log = surface.text_log();
            assert!(log.contains("Delete this file?") && log.ends_with("Yes|No"), "{log}");
            assert_eq!(confirm_choice(Key::Exe), Some(true));
            assert_eq!(confirm_choice(Key::F6), Some(false));
            assert_eq!(confirm_choice(Key::F2), None);
        }
    }
}
