//! Turning dates and times into text the way the settings ask, and the
//! home screen's clock styles (the original's 12, same numbers).

use core::fmt::Write;

use prizm::time::{Date, Time};

/// Text of a formatted date or time.
pub type Text = heapless::String<40>;

/// English month names.
pub const MONTHS: [&str; 12] = [
    "January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
    "November", "December",
];

/// Short weekday names from Sunday.
pub const WEEKDAYS_SHORT: [&str; 7] = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];

/// A time as `14:05` / `2:05 PM`, with `:SS` when `seconds`.
pub fn time(time: Time, twelve_hour: bool, seconds: bool) -> Text {
    let mut out = Text::new();
    let hour = if twelve_hour {
        match time.hour % 12 {
            0 => 12,
            h => h,
        }
    } else {
        time.hour
    };
    if twelve_hour {
        let _ = write!(out, "{hour}:{:02}", time.minute);
    } else {
        let _ = write!(out, "{hour:02}:{:02}", time.minute);
    }
    if seconds {
        let _ = write!(out, ":{:02}", time.second);
    }
    if twelve_hour {
        let _ = out.push_str(if time.hour < 12 { " AM" } else { " PM" });
    }
    out
}

/// A date in format 0 (DD/MM/YYYY), 1 (MM/DD/YYYY) or 2 (YYYY/MM/DD).
pub fn short_date(date: Date, format: u8) -> Text {
    let mut out = Text::new();
    let _ = match format {
        1 => write!(out, "{:02}/{:02}/{:04}", date.month, date.day, date.year),
        2 => write!(out, "{:04}/{:02}/{:02}", date.year, date.month, date.day),
        _ => write!(out, "{:02}/{:02}/{:04}", date.day, date.month, date.year),
    };
    out
}

/// `1st`, `2nd`, `3rd`, `4th`, `11th`, `21st`…
fn ordinal(day: u8, out: &mut Text) {
    let suffix = match (day % 10, day % 100) {
        (_, 11..=13) => "th",
        (1, _) => "st",
        (2, _) => "nd",
        (3, _) => "rd",
        _ => "th",
    };
    let _ = write!(out, "{day}{suffix}");
}

/// A long date in format 0–9 (the original's ten): the main line and,
/// for formats 0, 1, 4 and 7, the year on a small line of its own.
pub fn long_date(date: Date, format: u8) -> (Text, Option<Text>) {
    let mut out = Text::new();
    let weekday = date.weekday().name();
    let month = MONTHS[usize::from(date.month - 1) % 12];
    let mut year = Text::new();
    let _ = write!(year, "{}", date.year);
    let mut day = Text::new();
    ordinal(date.day, &mut day);
    let (small_year, _) = match format {
        0 => (true, write!(out, "{weekday}, {month} {}", date.day)),
        1 => (true, write!(out, "{weekday}, {day} {month}")),
        2 => (false, write!(out, "{weekday}, {day} {month} {year}")),
        3 => (false, write!(out, "{weekday}, {day} {month}")),
        4 => (true, write!(out, "{month} {}", date.day)),
        5 => (false, write!(out, "{month} {}, {year}", date.day)),
        6 => (false, write!(out, "{month} {}", date.day)),
        7 => (true, write!(out, "{day} {month}")),
        8 => (false, write!(out, "{day} {month} {year}")),
        _ => (false, write!(out, "{day} {month}")),
    };
    (out, small_year.then_some(year))
}

/// What a home clock style shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClockStyle {
    /// An analog dial.
    pub analog: bool,
    /// The time in digits.
    pub digital: bool,
    /// The long date.
    pub long_date: bool,
    /// The short date.
    pub short_date: bool,
}

/// Number of styles.
pub const CLOCK_STYLES: u8 = 12;

/// Names of the styles, by number.
pub const CLOCK_STYLE_NAMES: [&str; 12] = [
    "Time, long date",
    "Time",
    "Time, short date",
    "Long date",
    "Short date",
    "Analog",
    "Analog, time",
    "Analog, time, long date",
    "Analog, time, short date",
    "Analog, long date",
    "Analog, short date",
    "Nothing",
];

impl ClockStyle {
    /// The original's style number 0–11.
    pub const fn from_setting(value: u8) -> ClockStyle {
        let (analog, digital, long_date, short_date) = match value {
            0 => (false, true, true, false),
            1 => (false, true, false, false),
            2 => (false, true, false, true),
            3 => (false, false, true, false),
            4 => (false, false, false, true),
            5 => (true, false, false, false),
            6 => (true, true, false, false),
            7 => (true, true, true, false),
            8 => (true, true, false, true),
            9 => (true, false, true, false),
            10 => (true, false, false, true),
            _ => (false, false, false, false),
        };
        ClockStyle { analog, digital, long_date, short_date }
    }
}

/// The angle of a clock hand in tenths of a degree clockwise from 12:
/// hour, minute, second hands.
pub fn hand_angles(time: Time) -> (i32, i32, i32) {
    let seconds = i32::from(time.second);
    let minutes = i32::from(time.minute) * 60 + seconds;
    let hours = i32::from(time.hour % 12) * 3600 + minutes;
    (hours * 3600 / 43_200, minutes * 3600 / 3600, seconds * 60)
}

/// `UTC+05:45`-style label for a time-zone setting value.
pub fn timezone_label(value: u8) -> Text {
    let minutes = (i32::from(value) - 51) * 15;
    let mut out = Text::new();
    let sign = if minutes < 0 { '-' } else { '+' };
    let _ = write!(out, "UTC{sign}{:02}:{:02}", minutes.abs() / 60, minutes.abs() % 60);
    out
}

/// Largest time-zone setting value (UTC+14:00).
pub const TIMEZONE_MAX: u8 = 51 + 56;

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: u16, m: u8, day: u8) -> Date {
        Date::new(y, m, day).unwrap()
    }

    #[test]
    fn times() {
        let t = Time::new(14, 5, 9).unwrap();
        assert_eq!(time(t, false, true), "14:05:09");
        assert_eq!(time(t, true, false), "2:05 PM");
        assert_eq!(time(Time::new(0, 30, 0).unwrap(), true, true), "12:30:00 AM");
        assert_eq!(time(Time::new(12, 0, 0).unwrap(), true, false), "12:00 PM");
        assert_eq!(time(Time::new(7, 0, 0).unwrap(), false, false), "07:00");
    }

    #[test]
    fn dates() {
        let date = d(2026, 12, 1);
        assert_eq!(short_date(date, 0), "01/12/2026");
        assert_eq!(short_date(date, 1), "12/01/2026");
        assert_eq!(short_date(date, 2), "2026/12/01");
        assert_eq!(long_date(date, 0), (Text::try_from("Tuesday, December 1").unwrap(), Some(Text::try_from("2026").unwrap())));
        assert_eq!(long_date(date, 2).0, "Tuesday, 1st December 2026");
        assert_eq!(long_date(d(2026, 12, 22), 8).0, "22nd December 2026");
        assert_eq!(long_date(d(2026, 12, 13), 9).0, "13th December");
        assert_eq!(long_date(d(2026, 12, 23), 5).0, "December 23, 2026");
        assert_eq!(long_date(d(2026, 12, 11), 3).1, None);
        // Every format fits the 40-byte text for the longest names.
        for format in 0..10 {
            assert!(!long_date(d(2026, 9, 23), format).0.is_empty());
        }
    }

    #[test]
    fn styles_and_hands() {
        assert_eq!(ClockStyle::from_setting(7), ClockStyle { analog: true, digital: true, long_date: true, short_date: false });
        assert_eq!(ClockStyle::from_setting(99), ClockStyle::from_setting(11));
        assert_eq!(hand_angles(Time::new(3, 0, 0).unwrap()), (900, 0, 0));
        assert_eq!(hand_angles(Time::new(18, 30, 15).unwrap()), (1951, 1815, 900));
        assert_eq!(timezone_label(51), "UTC+00:00");
        assert_eq!(timezone_label(0), "UTC-12:45");
        assert_eq!(timezone_label(74), "UTC+05:45");
        assert_eq!(timezone_label(TIMEZONE_MAX), "UTC+14:00");
    }
}
