//! Screens part 1 shares, built on the crate's UI kit: text, number, date
//! and time entry, a choice list, a list with F-keys, a text page.

use alloc::string::String;
use alloc::vec::Vec;

use prizm::display::text::Font;
use prizm::display::{Display, Rgb565};
use prizm::keyboard::{self, Key};
use prizm::time::{Date, Time};
use prizm::ui::{
    self, draw_screen, row_rect, rows_in, FKeyBar, Frame, Input, InputKind, InputState, Menu,
    MenuEvent, MenuState, Screen, Surface, THEME,
};

use crate::calendar::pce::RawTime;

/// Capacity of the text entry (the longest field, a description).
const TEXT_CAPACITY: usize = 1024;

/// Colours of the eight categories, by number (the original's order:
/// 1 black, 2 blue, 3 green, 4 cyan, 5 red, 6 magenta, 7 yellow, 0 grey).
pub const CATEGORY_COLORS: [Rgb565; 8] = [
    Rgb565::new(22, 44, 22),
    Rgb565::new(0, 0, 0),
    Rgb565::new(0, 0, 31),
    Rgb565::new(6, 50, 6),
    Rgb565::new(0, 50, 28),
    Rgb565::new(31, 0, 0),
    Rgb565::new(28, 0, 28),
    Rgb565::new(30, 56, 0),
];

/// Names of the categories, by number.
pub const CATEGORY_NAMES: [&str; 8] = ["Grey", "Black", "Blue", "Green", "Cyan", "Red", "Magenta", "Yellow"];

/// The colour of a category (any number).
pub fn category_color(category: u32) -> Rgb565 {
    CATEGORY_COLORS[(category % 8) as usize]
}

/// Asks for a line of text of at most `max` bytes; `None` on EXIT.
pub fn ask_text(display: &mut Display, title: &str, prompt: &str, initial: &[u8], max: usize) -> Option<Vec<u8>> {
    let shown = crate::calendar::pce::display_text(initial);
    let state = InputState::<TEXT_CAPACITY>::new(InputKind::Text)
        .max_length(max.min(TEXT_CAPACITY))
        .with_text(&shown);
    let text = Input::new(title, prompt, state).run(display)?;
    Some(text.as_bytes().to_vec())
}

/// Asks for digits (at most `max`); `None` on EXIT.
pub fn ask_digits(display: &mut Display, title: &str, prompt: &str, initial: &str, max: usize) -> Option<String> {
    let state = InputState::<16>::new(InputKind::Digits).max_length(max.min(16)).with_text(initial);
    Input::new(title, prompt, state).run(display).map(|text| String::from(text.as_str()))
}

/// Asks for a number in `range`, again until it is in range.
pub fn ask_number(
    display: &mut Display,
    title: &str,
    prompt: &str,
    initial: u32,
    range: core::ops::RangeInclusive<u32>,
) -> Option<u32> {
    let mut start = alloc::format!("{initial}");
    loop {
        let text = ask_digits(display, title, prompt, &start, 9)?;
        match text.parse::<u32>() {
            Ok(value) if range.contains(&value) => return Some(value),
            _ => {
                let message = alloc::format!("Enter {} to {}.", range.start(), range.end());
                ui::message_box(display, title, &message);
                start = text;
            }
        }
    }
}

/// The digits of `date` in the order of date format `format`.
pub fn date_digits(date: Date, format: u8) -> String {
    match format {
        1 => alloc::format!("{:02}{:02}{:04}", date.month, date.day, date.year),
        2 => alloc::format!("{:04}{:02}{:02}", date.year, date.month, date.day),
        _ => alloc::format!("{:02}{:02}{:04}", date.day, date.month, date.year),
    }
}

/// The date typed as 8 digits in format `format`'s order.
pub fn parse_date_digits(text: &str, format: u8) -> Option<Date> {
    if text.len() != 8 || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let number = |range: core::ops::Range<usize>| text[range].parse::<u16>().ok();
    let (year, month, day) = match format {
        1 => (number(4..8)?, number(0..2)?, number(2..4)?),
        2 => (number(0..4)?, number(4..6)?, number(6..8)?),
        _ => (number(4..8)?, number(2..4)?, number(0..2)?),
    };
    Date::new(year, u8::try_from(month).ok()?, u8::try_from(day).ok()?).ok()
}

/// Asks for a date (8 digits in the order of the date format), again
/// until it is valid.
pub fn ask_date(display: &mut Display, title: &str, initial: Date, format: u8) -> Option<Date> {
    let prompt = match format {
        1 => "Date (MMDDYYYY):",
        2 => "Date (YYYYMMDD):",
        _ => "Date (DDMMYYYY):",
    };
    let mut start = date_digits(initial, format);
    loop {
        let text = ask_digits(display, title, prompt, &start, 8)?;
        match parse_date_digits(&text, format) {
            Some(date) => return Some(date),
            None => {
                ui::message_box(display, title, "Not a valid date.");
                start = text;
            }
        }
    }
}

/// The time typed as `HHMM` or `HHMMSS`.
pub fn parse_time_digits(text: &str) -> Option<Time> {
    if !(text.len() == 4 || text.len() == 6) || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let part = |at: usize| text.get(at..at + 2).map_or(Some(0), |s| s.parse::<u8>().ok());
    Time::new(part(0)?, part(2)?, part(4)?).ok()
}

/// Asks for a time (`HHMM` or `HHMMSS`), again until it is valid.
pub fn ask_time(display: &mut Display, title: &str, initial: RawTime) -> Option<RawTime> {
    let mut start = alloc::format!("{:02}{:02}", initial.hour.min(23), initial.minute.min(59));
    loop {
        let text = ask_digits(display, title, "Time (HHMM or HHMMSS):", &start, 6)?;
        match parse_time_digits(&text) {
            Some(time) => {
                return Some(RawTime {
                    hour: u32::from(time.hour),
                    minute: u32::from(time.minute),
                    second: u32::from(time.second),
                })
            }
            None => {
                ui::message_box(display, title, "Not a valid time.");
                start = text;
            }
        }
    }
}

/// A choice among `items`, starting on `selected`; `None` on EXIT.
pub fn choose(display: &mut Display, title: &str, items: &[&str], selected: usize) -> Option<usize> {
    let mut menu = Menu::new(title, items).with_frame(Frame::new(true, false));
    menu.state.select(selected);
    menu.run(display)
}

/// What a key did in a [`ListScreen`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ListEvent {
    /// EXE on a row.
    Open(usize),
    /// An F-key (0–5) or another key, with the selected row.
    Key(Key, usize),
    /// EXIT.
    Back,
}

/// A scrolling list with a subtitle line and F-key labels.
pub struct ListScreen<'a> {
    /// Title bar text.
    pub title: &'a str,
    /// One line above the rows (counts, hints), or empty.
    pub subtitle: String,
    /// Rows, each with an optional colour mark.
    pub rows: Vec<(String, Option<Rgb565>)>,
    /// F-key labels.
    pub fkeys: [Option<&'a str>; 6],
    /// Shown when there are no rows.
    pub empty: &'a str,
    /// Selection and scrolling.
    pub state: MenuState,
}

impl<'a> ListScreen<'a> {
    /// A list.
    pub fn new(title: &'a str, rows: Vec<(String, Option<Rgb565>)>, fkeys: [Option<&'a str>; 6]) -> Self {
        let area = Self::area("x");
        let state = MenuState::new(rows.len(), rows_in(area));
        ListScreen { title, subtitle: String::new(), rows, fkeys, empty: "", state }
    }

    fn area(subtitle: &str) -> ui::Rect {
        let content = Frame::default().content();
        if subtitle.is_empty() {
            content
        } else {
            ui::Rect::new(content.x, content.y + 20, content.width, content.height - 20)
        }
    }

    /// Replaces the rows, keeping the selection where possible.
    pub fn set_rows(&mut self, rows: Vec<(String, Option<Rgb565>)>) {
        self.state.set_len(rows.len());
        self.rows = rows;
    }

    /// Draws the list.
    pub fn draw<S: Surface + ?Sized>(&mut self, surface: &mut S) {
        let frame = Frame::default();
        draw_screen(surface, &frame, self.title);
        let content = frame.content();
        if !self.subtitle.is_empty() {
            surface.draw_text(6, content.y + 2, &self.subtitle, Font::Medium, THEME.dim_text, None);
        }
        let area = Self::area(&self.subtitle);
        self.state.set_visible_rows(rows_in(area));
        if self.rows.is_empty() {
            surface.draw_text(12, area.y + 8, self.empty, Font::Medium, THEME.dim_text, None);
        }
        for (row, index) in self.state.visible_range().enumerate() {
            let rect = row_rect(area, row);
            let selected = index == self.state.selected();
            let (background, foreground) = if selected {
                (THEME.selection_background, THEME.selection_text)
            } else {
                (THEME.background, THEME.text)
            };
            surface.fill_rect(rect, background);
            let (text, mark) = &self.rows[index];
            let mut x = rect.x + 6;
            if let Some(color) = mark {
                surface.fill_rect(ui::Rect::new(x, rect.y + 4, 8, rect.height - 8), *color);
                x += 14;
            }
            ui::text::draw_truncated(surface, x, rect.y + 3, text, rect.right() - x - 6, Font::Medium, foreground, None);
        }
        FKeyBar::from_labels(self.fkeys).draw(surface);
    }

    /// Draws, waits for a key, reports it.
    pub fn next(&mut self, display: &mut Display) -> ListEvent {
        loop {
            {
                let mut screen = Screen::new(display);
                self.draw(&mut screen);
            }
            let key = keyboard::get_key();
            match key {
                Key::Exit => return ListEvent::Back,
                Key::Exe if !self.rows.is_empty() => return ListEvent::Open(self.state.selected()),
                Key::Up | Key::Down | Key::Left | Key::Right => {
                    if self.state.handle_key(key) == MenuEvent::Cancelled {
                        return ListEvent::Back;
                    }
                }
                Key::Exe => {}
                other => return ListEvent::Key(other, self.state.selected()),
            }
        }
    }
}

/// The F-key index of `key`, if it is one.
pub fn fkey(key: Key) -> Option<usize> {
    match key {
        Key::F1 => Some(0),
        Key::F2 => Some(1),
        Key::F3 => Some(2),
        Key::F4 => Some(3),
        Key::F5 => Some(4),
        Key::F6 => Some(5),
        _ => None,
    }
}

/// Shows wrapped text under a title until EXIT or EXE.
pub fn show_text(display: &mut Display, title: &str, text: &str) {
    let mut first_line = 0usize;
    loop {
        {
            let mut screen = Screen::new(display);
            let frame = Frame::new(true, false);
            draw_screen(&mut screen, &frame, title);
            let content = frame.content();
            let lines: Vec<&str> = text.split('\n').collect();
            let mut y = content.y + 4;
            for line in lines.iter().skip(first_line) {
                let used = ui::text::draw_wrapped(&mut screen, 6, y, line, content.width - 12, 8, Font::Medium, THEME.text);
                y += 18 * used.max(1) as i32;
                if y > content.bottom() - 18 {
                    break;
                }
            }
        }
        match keyboard::get_key() {
            Key::Exit | Key::Exe => return,
            Key::Down => first_line = (first_line + 1).min(text.split('\n').count().saturating_sub(1)),
            Key::Up => first_line = first_line.saturating_sub(1),
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn date_and_time_digits() {
        let date = Date::new(2026, 12, 1).unwrap();
        for format in 0..3 {
            assert_eq!(parse_date_digits(&date_digits(date, format), format), Some(date));
        }
        assert_eq!(date_digits(date, 0), "01122026");
        assert_eq!(parse_date_digits("30022024", 0), None);
        assert_eq!(parse_date_digits("29022024", 0), Date::new(2024, 2, 29).ok());
        assert_eq!(parse_date_digits("2024", 2), None);
        assert_eq!(parse_time_digits("0930"), Time::new(9, 30, 0).ok());
        assert_eq!(parse_time_digits("235959"), Time::new(23, 59, 59).ok());
        assert_eq!(parse_time_digits("2400"), None);
        assert_eq!(parse_time_digits("930"), None);
    }
}
