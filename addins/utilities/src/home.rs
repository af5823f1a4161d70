//! Home: the clock in the chosen style (digital, analog, long and short
//! dates, with or without seconds, light or dark), F-keys to the modules,
//! a pane below the clock ([`panes`]; LEFT/RIGHT switch it, digits 1–9
//! open the modules), notes (a countdown finished, a daylight-saving day:
//! [`dst`]), and the first-run [`wizard`].

pub mod dst;
pub mod panes;
pub mod wizard;

use alloc::string::String;
use alloc::vec::Vec;

use embedded_graphics::pixelcolor::Rgb565;
use embedded_graphics::prelude::*;
use embedded_graphics::primitives::{Circle, Line, PrimitiveStyle, Rectangle};

use prizm::display::text::Font;
use prizm::keyboard::{self, MenuKey, PrgmKey, Timeout};
use prizm::time::{self, Time};
use prizm::ui::{FKeyBar, Frame, Menu, Rect, Screen, Surface};
use prizm::Calculator;

use crate::clock::format::{self, ClockStyle};
use crate::module::{self, Module};
use crate::settings::{self, store, Settings};

use panes::Pane;

/// Height of the pane below the clock (title and [`panes::ROWS`] rows).
const PANE_HEIGHT: i32 = 62;

/// Every module, for the "More" menu (part 2's as well).
const MODULES: [(&str, Module); 9] = [
    ("Clock", Module::Clock),
    ("Chronometers", Module::Chrono),
    ("Calendar", Module::Calendar),
    ("Tasks", Module::Tasks),
    ("Files", Module::Files),
    ("System", Module::System),
    ("Tools", Module::Tools),
    ("Lock", Module::Lock),
    ("Settings", Module::Settings),
];

/// Digit keys 1–9: each opens the module of the same number in [`MODULES`].
const DIGITS: [PrgmKey; 9] = [
    PrgmKey::Digit1,
    PrgmKey::Digit2,
    PrgmKey::Digit3,
    PrgmKey::Digit4,
    PrgmKey::Digit5,
    PrgmKey::Digit6,
    PrgmKey::Digit7,
    PrgmKey::Digit8,
    PrgmKey::Digit9,
];

/// Colours of a theme: background, text, secondary text, accent.
fn palette(dark: bool) -> (Rgb565, Rgb565, Rgb565, Rgb565) {
    if dark {
        (Rgb565::new(1, 2, 3), Rgb565::new(31, 63, 31), Rgb565::new(20, 40, 22), Rgb565::new(6, 44, 28))
    } else {
        (Rgb565::new(31, 63, 31), Rgb565::new(0, 0, 0), Rgb565::new(12, 24, 12), Rgb565::new(2, 20, 14))
    }
}

/// sin(k · 6°) × 1000 for k = 0…15.
const SIN_6: [i32; 16] = [0, 105, 208, 309, 407, 500, 588, 669, 743, 809, 866, 914, 951, 978, 995, 1000];

/// (sin, cos) × 1000 of `step` · 6° (60 steps a turn).
fn sin_cos(step: i32) -> (i32, i32) {
    let sin = |s: i32| {
        let s = s.rem_euclid(60);
        match s {
            0..=15 => SIN_6[s as usize],
            16..=30 => SIN_6[(30 - s) as usize],
            31..=45 => -SIN_6[(s - 30) as usize],
            _ => -SIN_6[(60 - s) as usize],
        }
    };
    (sin(step), sin(step + 15))
}

/// The end of a hand of `length` at `step` · 6° clockwise from 12.
pub fn hand_end(center: Point, step: i32, length: i32) -> Point {
    let (sin, cos) = sin_cos(step);
    Point::new(center.x + sin * length / 1000, center.y - cos * length / 1000)
}

fn draw_analog<D: DrawTarget<Color = Rgb565>>(target: &mut D, center: Point, radius: i32, time: Time, seconds: bool, ink: Rgb565, accent: Rgb565) {
    let _ = Circle::with_center(center, (radius * 2) as u32)
        .into_styled(PrimitiveStyle::with_stroke(ink, 3))
        .draw(target);
    for mark in 0..60 {
        let inner = if mark % 5 == 0 { radius - 10 } else { radius - 5 };
        let width = if mark % 5 == 0 { 3 } else { 1 };
        let _ = Line::new(hand_end(center, mark, inner), hand_end(center, mark, radius - 3))
            .into_styled(PrimitiveStyle::with_stroke(ink, width))
            .draw(target);
    }
    let (hour, minute, second) = format::hand_angles(time);
    // Tenths of a degree to 6° steps, rounded.
    let step = |tenths: i32| (tenths + 30) / 60;
    let hands = [(step(hour), radius * 5 / 10, 5, ink), (step(minute), radius * 8 / 10, 3, ink)];
    for (angle, length, width, color) in hands {
        let _ = Line::new(center, hand_end(center, angle, length))
            .into_styled(PrimitiveStyle::with_stroke(color, width))
            .draw(target);
    }
    if seconds {
        let _ = Line::new(center, hand_end(center, step(second), radius * 9 / 10))
            .into_styled(PrimitiveStyle::with_stroke(accent, 1))
            .draw(target);
    }
    let _ = Circle::with_center(center, 7).into_styled(PrimitiveStyle::with_fill(ink)).draw(target);
}

/// Segments a–g of each digit (bit 0 = a … bit 6 = g).
const SEGMENTS: [u8; 10] = [0x3F, 0x06, 0x5B, 0x4F, 0x66, 0x6D, 0x7D, 0x07, 0x7F, 0x6F];

/// Draws `text` (digits, ':', ' ', 'A', 'P', 'M') in seven-segment digits
/// of `height` pixels from (`x`, `y`); returns the width used.
pub fn draw_segments<D: DrawTarget<Color = Rgb565>>(target: &mut D, x: i32, y: i32, height: i32, text: &str, color: Rgb565, measure_only: bool) -> i32 {
    let width = height / 2;
    let thick = (height / 10).max(2);
    let half = height / 2;
    let mut cursor = x;
    let fill = |target: &mut D, x: i32, y: i32, w: i32, h: i32| {
        if !measure_only {
            let _ = target.fill_solid(&Rectangle::new(Point::new(x, y), Size::new(w as u32, h as u32)), color);
        }
    };
    for c in text.chars() {
        match c {
            '0'..='9' => {
                let bits = SEGMENTS[(c as u8 - b'0') as usize];
                let segs = [
                    (cursor, y, width, thick),
                    (cursor + width - thick, y, thick, half),
                    (cursor + width - thick, y + half, thick, half),
                    (cursor, y + height - thick, width, thick),
                    (cursor, y + half, thick, half),
                    (cursor, y, thick, half),
                    (cursor, y + half - thick / 2, width, thick),
                ];
                for (bit, (sx, sy, sw, sh)) in segs.into_iter().enumerate() {
                    if bits & (1 << bit) != 0 {
                        fill(target, sx, sy, sw, sh);
                    }
                }
                cursor += width + thick * 2;
            }
            ':' => {
                fill(target, cursor, y + height / 4, thick, thick);
                fill(target, cursor, y + height * 3 / 4 - thick, thick, thick);
                cursor += thick * 3;
            }
            _ => cursor += width / 2,
        }
    }
    cursor - x
}

/// Draws the home screen for `now`: the clock, the `pane` with its
/// `rows` (none for [`Pane::None`]), and `notes` (bottom line first).
pub fn draw(screen: &mut Screen, settings: &Settings, now: Option<prizm::time::DateTime>, pane: Pane, rows: &[String], notes: &[&str]) {
    let dark = settings.get(store::THEME) == 1;
    let (paper, ink, muted, accent) = palette(dark);
    let frame = Frame::default();
    let area = frame.below_status_bar();
    screen.fill_rect(area, paper);
    let full = Rect::new(0, area.y, area.width, frame.content().bottom() - area.y);
    // The pane takes the bottom of the screen; the clock the rest.
    let pane_height = if pane == Pane::None { 0 } else { PANE_HEIGHT };
    let content = Rect::new(0, full.y, full.width, full.height - pane_height);
    if pane != Pane::None {
        draw_pane(screen, Rect::new(0, content.bottom(), full.width, pane_height), pane, rows, dark);
    }
    let Some(now) = now else {
        screen.draw_text(20, content.y + 50, "The clock is not set.", Font::Large, ink, None);
        screen.draw_text(20, content.y + 90, "Press F1 (Clock) to set it.", Font::Medium, muted, None);
        draw_fkeys(screen, settings);
        return;
    };
    let style = ClockStyle::from_setting(settings.get(store::CLOCK_TYPE));
    let seconds = settings.get(store::CLOCK_SECONDS) != 0;
    let twelve = settings.get(store::TIME_FORMAT) == 1;
    let (long, year) = format::long_date(now.date, settings.get(store::LONG_DATE_FORMAT));
    let short = format::short_date(now.date, settings.get(store::DATE_FORMAT));
    let digital = format::time(now.time, twelve, seconds);
    let (digits, suffix) = match digital.split_once(' ') {
        Some((digits, suffix)) => (digits, suffix),
        None => (digital.as_str(), ""),
    };
    // Left column for the dial, the rest for text.
    let (text_x, text_width) = if style.analog {
        let radius = (content.height / 2 - 8).min(78);
        draw_analog(screen.vram(), Point::new(12 + radius, content.y + content.height / 2), radius, now.time, seconds, ink, accent);
        (radius * 2 + 28, area.width - radius * 2 - 34)
    } else {
        (12, area.width - 24)
    };
    let mut lines: heapless::Vec<(&str, Font, bool), 4> = heapless::Vec::new();
    if style.digital {
        let _ = lines.push((digits, Font::Large, true));
    }
    if style.long_date {
        let _ = lines.push((long.as_str(), Font::Medium, false));
        if let Some(year) = &year {
            let _ = lines.push((year.as_str(), Font::Small, false));
        }
    }
    if style.short_date {
        let _ = lines.push((short.as_str(), Font::Medium, false));
    }
    let digit_height = if style.analog || pane != Pane::None { 40 } else { 64 };
    let total: i32 = lines
        .iter()
        .map(|(_, font, big)| if *big { digit_height + 14 } else { font.line_height() + 6 })
        .sum();
    let mut y = content.y + (content.height - total) / 2;
    for (text, font, big) in lines {
        if big {
            let width = draw_segments(screen.vram(), 0, 0, digit_height, text, ink, true);
            let suffix_width = if suffix.is_empty() { 0 } else { screen.text_width(suffix, Font::Medium) + 6 };
            let x = text_x + (text_width - width - suffix_width).max(0) / 2;
            draw_segments(screen.vram(), x, y, digit_height, text, ink, false);
            if !suffix.is_empty() {
                screen.draw_text(x + width + 6, y + digit_height - 18, suffix, Font::Medium, muted, None);
            }
            y += digit_height + 14;
        } else {
            // Too wide for the column: the smaller font, cut if need be.
            let font = if screen.text_width(text, font) > text_width { Font::Small } else { font };
            let width = screen.text_width(text, font).min(text_width);
            let x = text_x + (text_width - width).max(0) / 2;
            let color = if font == Font::Small { muted } else { ink };
            prizm::ui::text::draw_truncated(screen, x, y, text, text_width, font, color, None);
            y += font.line_height() + 6;
        }
    }
    for (line, note) in (1..).zip(notes) {
        let y = content.bottom() - 20 * line;
        let font = if screen.text_width(note, Font::Medium) > area.width - 16 { Font::Small } else { Font::Medium };
        prizm::ui::text::draw_truncated(screen, 8, y, note, area.width - 16, font, Rgb565::new(28, 0, 0), None);
    }
    draw_fkeys(screen, settings);
}

/// The pane in `area`: a rule, its title, its rows (tabs mark columns).
fn draw_pane(screen: &mut Screen, area: Rect, pane: Pane, rows: &[String], dark: bool) {
    let (_, ink, muted, accent) = palette(dark);
    screen.fill_rect(Rect::new(8, area.y, area.width - 16, 1), accent);
    screen.draw_text(10, area.y + 3, pane.title(), Font::Small, accent, None);
    let mut y = area.y + 3 + Font::Small.line_height() + 2;
    for row in rows.iter().take(panes::ROWS) {
        let cells: Vec<&str> = row.split('\t').collect();
        let column_width = (area.width - 20) / cells.len() as i32;
        for (cell, column) in cells.iter().zip(0..) {
            let x = 10 + column * column_width;
            prizm::ui::text::draw_truncated(screen, x, y, cell, column_width - 4, Font::Small, if column == 0 { ink } else { muted }, None);
        }
        y += Font::Small.line_height() + 3;
    }
}

fn draw_fkeys(screen: &mut Screen, settings: &Settings) {
    if settings.get(store::DISPLAY_FKEYS) != 0 {
        FKeyBar::from_labels([Some("Clock"), Some("Chrono"), Some("Agenda"), Some("Tasks"), Some("Setup"), Some("More")])
            .draw(screen);
    }
}

/// The add-in's entry: home until the OS's MENU key leaves.
pub fn main(mut calculator: Calculator) {
    prizm::display::enable_color(true);
    wizard::run_if_first(&mut calculator);
    let names = MODULES.map(|(name, _)| name);
    // The pane's rows, read again when the pane or the day changes or a
    // module was open (it may have changed events or memory).
    let mut cached: Option<(Pane, Option<prizm::time::Date>, Vec<String>)> = None;
    loop {
        let settings = settings::load();
        let now = time::now().ok();
        let today = now.map(|now| now.date);
        let pane = Pane::from_setting(settings.get(store::HOME_PANE));
        let twelve = settings.get(store::TIME_FORMAT) == 1;
        let rows = match cached.take() {
            Some((for_pane, for_day, rows)) if for_pane == pane && for_day == today => rows,
            _ => panes::gather(pane, today, twelve, &names),
        };
        let mut notes: heapless::Vec<&str, 2> = heapless::Vec::new();
        if settings.get(store::CHRONO_NOTIFICATION) == 3 && crate::chrono::any_finished() {
            let _ = notes.push("A countdown has finished.");
        }
        let rule = dst::Rule::from_setting(settings.get(store::DST_RULE));
        if let Some(change) = today.and_then(|today| dst::change_on(rule, today)) {
            let _ = notes.push(change.reminder());
        }
        {
            let mut screen = Screen::new(&mut calculator.display);
            draw(&mut screen, &settings, now, pane, &rows, &notes);
        }
        cached = Some((pane, today, rows));
        prizm::display::put_display();
        let key = keyboard::wait_key_for(Timeout::Seconds(1), MenuKey::OpensMainMenu);
        crate::chrono::check_finished(&mut calculator);
        let digit = key.and_then(|key| DIGITS.iter().position(|&digit| digit == key));
        let module = match key {
            Some(PrgmKey::Left) | Some(PrgmKey::Right) => {
                let next = if key == Some(PrgmKey::Left) { pane.previous() } else { pane.next() };
                let mut settings = settings;
                settings.set(store::HOME_PANE, next.setting());
                if let Err(error) = settings::save(&settings) {
                    prizm::ui::message_box(&mut calculator.display, "Settings", error.message());
                }
                continue;
            }
            _ if digit.is_some() => match digit.and_then(|digit| MODULES.get(digit)) {
                Some((_, module)) => *module,
                None => continue,
            },
            Some(PrgmKey::F1) => Module::Clock,
            Some(PrgmKey::F2) => Module::Chrono,
            Some(PrgmKey::F3) => Module::Calendar,
            Some(PrgmKey::F4) => Module::Tasks,
            Some(PrgmKey::F5) => Module::Settings,
            Some(PrgmKey::F6) => {
                match Menu::new("Utilities", &names).run(&mut calculator.display) {
                    Some(choice) => MODULES[choice].1,
                    None => continue,
                }
            }
            _ => continue,
        };
        module::open(module, &mut calculator);
        cached = None;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hand_geometry() {
        let center = Point::new(100, 100);
        assert_eq!(hand_end(center, 0, 50), Point::new(100, 50));
        assert_eq!(hand_end(center, 15, 50), Point::new(150, 100));
        assert_eq!(hand_end(center, 30, 50), Point::new(100, 150));
        assert_eq!(hand_end(center, 45, 50), Point::new(50, 100));
        let (sin, cos) = sin_cos(5);
        assert_eq!((sin, cos), (500, 866));
        let (sin, cos) = sin_cos(40);
        assert_eq!((sin, cos), (-866, -500));
    }
}
