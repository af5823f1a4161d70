//! The `.pce` event files of the original Utilities, read and written
//! byte-compatibly (format facts and their sources: docs/data-formats.md in
//! this add-in).
//!
//! A file is `PCALEVT` followed by events; an event is 20 fields, each
//! ended by 0x1D except the last (the description), which is ended by
//! 0x1E. Numbers are decimal text. Field 8 ("day of week") was never read
//! by the original, which writes `0` there: we keep a recurrence rule in it
//! (see [`super::recur`]), which the original ignores when reading.

use alloc::string::String;
use alloc::vec::Vec;
use core::fmt::Write;

use prizm::time::Date;

use super::recur::Rule;

/// The first bytes of every file.
pub const HEADER: &[u8] = b"PCALEVT";
/// Ends every field but the last of an event.
pub const FIELD_SEPARATOR: u8 = 0x1D;
/// Ends every event.
pub const EVENT_SEPARATOR: u8 = 0x1E;
/// Fields in one event.
pub const FIELDS: usize = 20;
/// Longest title, in bytes.
pub const MAX_TITLE: usize = 21;
/// Longest location, in bytes.
pub const MAX_LOCATION: usize = 128;
/// Longest description, in bytes.
pub const MAX_DESCRIPTION: usize = 1024;
/// Most events the original reads from one file (one day).
pub const MAX_DAY_EVENTS: usize = 100;
/// Largest file the original reads.
pub const MAX_FILE_SIZE: usize = 50_000;
/// Colour categories 0–7.
pub const CATEGORIES: u8 = 8;

/// A date as stored: numbers that need not form a valid date (tasks have
/// 0/0/0, damaged files anything).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, PartialOrd, Ord)]
pub struct RawDate {
    /// Year as written (no fixed width).
    pub year: u32,
    /// Month.
    pub month: u32,
    /// Day.
    pub day: u32,
}

impl RawDate {
    /// The stored form of `date`.
    pub fn from_date(date: Date) -> RawDate {
        RawDate {
            year: u32::from(date.year),
            month: u32::from(date.month),
            day: u32::from(date.day),
        }
    }

    /// The date, if these numbers form one.
    pub fn date(&self) -> Option<Date> {
        let year = u16::try_from(self.year).ok()?;
        let month = u8::try_from(self.month).ok()?;
        let day = u8::try_from(self.day).ok()?;
        Date::new(year, month, day).ok()
    }
}

/// A time of day as stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, PartialOrd, Ord)]
pub struct RawTime {
    /// Hour.
    pub hour: u32,
    /// Minute.
    pub minute: u32,
    /// Second.
    pub second: u32,
}

impl RawTime {
    /// A time from its parts.
    pub const fn hm(hour: u32, minute: u32) -> RawTime {
        RawTime {
            hour,
            minute,
            second: 0,
        }
    }

    /// Whether it is a time of day.
    pub fn is_valid(&self) -> bool {
        self.hour < 24 && self.minute < 60 && self.second < 60
    }

    /// Seconds since midnight (for valid times).
    pub fn seconds(&self) -> u32 {
        self.hour * 3600 + self.minute * 60 + self.second
    }
}

/// One event or task.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Event {
    /// Colour category 0–7.
    pub category: u32,
    /// First day (the file it lives in); 0/0/0 for tasks.
    pub start: RawDate,
    /// Last day.
    pub end: RawDate,
    /// For tasks: 1 when done (the original keeps the check mark here).
    pub repeat: u32,
    /// Whether the times mean anything (false: all day).
    pub timed: bool,
    /// Start time.
    pub start_time: RawTime,
    /// End time.
    pub end_time: RawTime,
    /// Title, at most 21 bytes.
    pub title: Vec<u8>,
    /// Location, at most 128 bytes.
    pub location: Vec<u8>,
    /// Description, at most 1024 bytes.
    pub description: Vec<u8>,
    /// Our recurrence (field 8); `None` for one-off events.
    pub rule: Option<Rule>,
}

impl Event {
    /// Whether this is a task (the original's marker: start date 0/0/0).
    pub fn is_task(&self) -> bool {
        self.start == RawDate::default()
    }

    /// Whether a task is checked.
    pub fn is_done(&self) -> bool {
        self.repeat != 0
    }

    /// Number of days the event covers after its first (0: one day).
    pub fn extra_days(&self) -> i32 {
        match (self.start.date(), self.end.date()) {
            (Some(start), Some(end)) => end.days_since(start).max(0),
            _ => 0,
        }
    }
}

/// Which text field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextField {
    /// Field 17.
    Title,
    /// Field 18.
    Location,
    /// Field 19.
    Description,
}

impl TextField {
    /// The field's limit.
    pub const fn limit(self) -> usize {
        match self {
            TextField::Title => MAX_TITLE,
            TextField::Location => MAX_LOCATION,
            TextField::Description => MAX_DESCRIPTION,
        }
    }
}

/// Something wrong in a file; reading goes on past every problem.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    /// The file does not start with `PCALEVT` (its events are still read).
    BadHeader,
    /// The file is larger than the original reads.
    TooLarge(usize),
    /// The file does not end with an event separator (a cut write).
    Unterminated,
    /// Event `index` has fewer than 20 fields: dropped.
    MissingFields {
        /// Position in the file (0-based, counting dropped events).
        index: usize,
        /// Fields found.
        found: usize,
    },
    /// A number field of event `index` holds something else (read as the
    /// original's `atoi` reads it).
    BadNumber {
        /// Event position.
        index: usize,
        /// Field number 0–16.
        field: usize,
    },
    /// A text field of event `index` was longer than its limit: cut.
    TooLong {
        /// Event position.
        index: usize,
        /// Which field.
        field: TextField,
    },
    /// Event `index` has dates or times out of range, or ends before it starts.
    BadDates {
        /// Event position.
        index: usize,
    },
    /// Event `index` has a category above 7.
    BadCategory {
        /// Event position.
        index: usize,
    },
    /// Field 8 of event `index` is neither `0` nor a rule we write.
    BadRule {
        /// Event position.
        index: usize,
    },
    /// More than 100 events (the original shows only the first 100).
    TooManyEvents(usize),
}

impl Problem {
    /// One line for the user.
    pub fn describe(&self, out: &mut String) {
        let _ = match self {
            Problem::BadHeader => write!(out, "no PCALEVT header"),
            Problem::TooLarge(size) => write!(out, "file too large ({size} bytes)"),
            Problem::Unterminated => write!(out, "file cut short"),
            Problem::MissingFields { index, found } => {
                write!(out, "event {}: {found} of 20 fields", index + 1)
            }
            Problem::BadNumber { index, field } => {
                write!(out, "event {}: field {field} not a number", index + 1)
            }
            Problem::TooLong { index, field } => {
                write!(out, "event {}: {:?} too long", index + 1, field)
            }
            Problem::BadDates { index } => write!(out, "event {}: bad dates", index + 1),
            Problem::BadCategory { index } => write!(out, "event {}: bad colour", index + 1),
            Problem::BadRule { index } => write!(out, "event {}: bad repeat rule", index + 1),
            Problem::TooManyEvents(count) => write!(out, "{count} events (limit 100)"),
        };
    }
}

/// A file's events and what was wrong with it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Parsed {
    /// The events that could be read, in file order.
    pub events: Vec<Event>,
    /// Problems found; empty for a healthy file.
    pub problems: Vec<Problem>,
}

/// The original's `atoi`: optional spaces and sign, then digits up to the
/// first other byte; 0 when there are none. Also says whether the field
/// was a clean number.
fn atoi(field: &[u8]) -> (u32, bool) {
    let mut value: u32 = 0;
    let mut digits = 0;
    let mut clean = true;
    let mut rest = field;
    while let [b' ', tail @ ..] = rest {
        rest = tail;
        clean = false;
    }
    let negative = matches!(rest.first(), Some(b'-'));
    if matches!(rest.first(), Some(b'-' | b'+')) {
        rest = &rest[1..];
        clean = false;
    }
    for &byte in rest {
        if !byte.is_ascii_digit() {
            clean = false;
            break;
        }
        digits += 1;
        value = value.saturating_mul(10).saturating_add(u32::from(byte - b'0'));
    }
    if digits == 0 {
        clean = false;
    }
    if negative {
        value = 0;
    }
    (value, clean)
}

/// Reads a whole file. Never fails: anything unreadable becomes a
/// [`Problem`] and the rest is kept.
pub fn parse(bytes: &[u8]) -> Parsed {
    let mut parsed = Parsed::default();
    let body = if let Some(rest) = bytes.strip_prefix(HEADER) {
        rest
    } else {
        parsed.problems.push(Problem::BadHeader);
        bytes
    };
    if bytes.len() > MAX_FILE_SIZE {
        parsed.problems.push(Problem::TooLarge(bytes.len()));
    }
    // Files are NUL-free; a NUL ends the text like the original's strlen.
    let body = match body.iter().position(|&b| b == 0) {
        Some(end) => &body[..end],
        None => body,
    };
    let trimmed = trim_ascii_whitespace(body);
    if !trimmed.is_empty() && trimmed.last() != Some(&EVENT_SEPARATOR) {
        parsed.problems.push(Problem::Unterminated);
    }
    for (index, chunk) in trimmed
        .split(|&b| b == EVENT_SEPARATOR)
        .filter(|chunk| !trim_ascii_whitespace(chunk).is_empty())
        .enumerate()
    {
        parse_event(chunk, index, &mut parsed);
    }
    if parsed.events.len() > MAX_DAY_EVENTS {
        parsed.problems.push(Problem::TooManyEvents(parsed.events.len()));
    }
    parsed
}

fn trim_ascii_whitespace(bytes: &[u8]) -> &[u8] {
    let start = bytes.iter().position(|b| !b.is_ascii_whitespace()).unwrap_or(bytes.len());
    let end = bytes.iter().rposition(|b| !b.is_ascii_whitespace()).map_or(start, |e| e + 1);
    &bytes[start..end]
}

fn parse_event(chunk: &[u8], index: usize, parsed: &mut Parsed) {
    let fields: Vec<&[u8]> = chunk.splitn(FIELDS, |&b| b == FIELD_SEPARATOR).collect();
    if fields.len() < FIELDS {
        parsed.problems.push(Problem::MissingFields {
            index,
            found: fields.len(),
        });
        return;
    }
    let mut numbers = [0u32; 17];
    for (field, value) in numbers.iter_mut().enumerate() {
        if field == 8 {
            continue;
        }
        let (number, clean) = atoi(fields[field]);
        *value = number;
        if !clean {
            parsed.problems.push(Problem::BadNumber { index, field });
        }
    }
    let rule = if fields[8] == b"0" || fields[8].is_empty() {
        None
    } else {
        match Rule::decode(fields[8]) {
            Some(rule) => Some(rule),
            None => {
                parsed.problems.push(Problem::BadRule { index });
                None
            }
        }
    };
    let mut text = |field: usize, which: TextField| -> Vec<u8> {
        // The last field may carry more 0x1D-separated fields a later
        // version might add: the description ends at the first one.
        let raw = fields[field];
        let raw = if field == 19 {
            raw.split(|&b| b == FIELD_SEPARATOR).next().unwrap_or(&[])
        } else {
            raw
        };
        let mut value: Vec<u8> = raw.iter().map(|&b| if b == b'\r' { b'\n' } else { b }).collect();
        if value.len() > which.limit() {
            value.truncate(which.limit());
            parsed.problems.push(Problem::TooLong { index, field: which });
        }
        value
    };
    let title = text(17, TextField::Title);
    let location = text(18, TextField::Location);
    let description = text(19, TextField::Description);
    let event = Event {
        category: numbers[0],
        start: RawDate {
            day: numbers[2],
            month: numbers[3],
            year: numbers[4],
        },
        end: RawDate {
            day: numbers[5],
            month: numbers[6],
            year: numbers[7],
        },
        repeat: numbers[9],
        timed: numbers[10] != 0,
        start_time: RawTime {
            hour: numbers[11],
            minute: numbers[12],
            second: numbers[13],
        },
        end_time: RawTime {
            hour: numbers[14],
            minute: numbers[15],
            second: numbers[16],
        },
        title,
        location,
        description,
        rule,
    };
    if event.category >= u32::from(CATEGORIES) {
        parsed.problems.push(Problem::BadCategory { index });
    }
    if !event.is_task() && !dates_are_sound(&event) {
        parsed.problems.push(Problem::BadDates { index });
    }
    parsed.events.push(event);
}

/// Valid dates and times, and an end not before the start.
pub fn dates_are_sound(event: &Event) -> bool {
    let (Some(start), Some(end)) = (event.start.date(), event.end.date()) else {
        return false;
    };
    if !event.start_time.is_valid() || !event.end_time.is_valid() {
        return false;
    }
    let days = end.days_since(start);
    days > 0 || (days == 0 && (!event.timed || event.end_time.seconds() >= event.start_time.seconds()))
}

/// Fixes what [`dates_are_sound`] and the category check find, the way the
/// original's repair does: the start date becomes the file's date, a bad
/// end date or an end before the start becomes the start, bad times
/// midnight, a bad category 1.
pub fn repair_event(event: &mut Event, file_date: Option<Date>) {
    if event.category >= u32::from(CATEGORIES) {
        event.category = 1;
    }
    if event.is_task() {
        return;
    }
    if let Some(date) = file_date {
        if event.start.date() != Some(date) {
            event.start = RawDate::from_date(date);
        }
    }
    if event.end.date().is_none() {
        event.end = event.start;
    }
    if !event.start_time.is_valid() {
        event.start_time = RawTime::default();
    }
    if !event.end_time.is_valid() {
        event.end_time = RawTime::default();
    }
    if !dates_are_sound(event) {
        event.end = event.start;
        event.end_time = event.start_time;
    }
}

/// Writes `value` as the original does: decimal, at most `width` digits.
fn number(out: &mut Vec<u8>, value: u32, width: usize) {
    let mut digits: heapless::String<10> = heapless::String::new();
    let _ = write!(digits, "{value}");
    let bytes = digits.as_bytes();
    out.extend_from_slice(&bytes[..bytes.len().min(width)]);
    out.push(FIELD_SEPARATOR);
}

/// Text with the separators (and NUL) made spaces, cut to `limit` bytes.
fn text(out: &mut Vec<u8>, value: &[u8], limit: usize) {
    out.extend(value.iter().take(limit).map(|&b| match b {
        0 | FIELD_SEPARATOR | EVENT_SEPARATOR => b' ',
        other => other,
    }));
}

/// Appends one event in the file format.
pub fn write_event(out: &mut Vec<u8>, event: &Event) {
    number(out, event.category, 2);
    number(out, 0, 2); // "date range": never used
    number(out, event.start.day, 3);
    number(out, event.start.month, 3);
    number(out, event.start.year, 5);
    number(out, event.end.day, 3);
    number(out, event.end.month, 3);
    number(out, event.end.year, 5);
    match &event.rule {
        Some(rule) => {
            rule.encode(out);
            out.push(FIELD_SEPARATOR);
        }
        None => number(out, 0, 2),
    }
    number(out, event.repeat, 2);
    number(out, u32::from(event.timed), 2);
    number(out, event.start_time.hour, 3);
    number(out, event.start_time.minute, 3);
    number(out, event.start_time.second, 3);
    number(out, event.end_time.hour, 3);
    number(out, event.end_time.minute, 3);
    number(out, event.end_time.second, 3);
    text(out, &event.title, MAX_TITLE);
    out.push(FIELD_SEPARATOR);
    text(out, &event.location, MAX_LOCATION);
    out.push(FIELD_SEPARATOR);
    text(out, &event.description, MAX_DESCRIPTION);
    out.push(EVENT_SEPARATOR);
}

/// A whole file for `events`.
pub fn write_file(events: &[Event]) -> Vec<u8> {
    let mut out = Vec::with_capacity(HEADER.len() + events.len() * 80);
    out.extend_from_slice(HEADER);
    for event in events {
        write_event(&mut out, event);
    }
    out
}

/// The file name (without folder) for events starting on `date`: the year
/// without padding, then two-digit month and day, then `.pce`
/// (`20240229.pce`; tasks `00000.pce`; pending imports `00001.pce`…).
pub fn file_name(date: RawDate) -> heapless::String<16> {
    let mut name = heapless::String::new();
    let _ = write!(name, "{}{:02}{:02}.pce", date.year, date.month, date.day);
    name
}

/// The date a file name stands for: digits only, at least 5 of them, then
/// `.pce` (any case).
pub fn date_of_file_name(name: &str) -> Option<RawDate> {
    let stem = name.len().checked_sub(4).and_then(|cut| {
        name.get(cut..)
            .filter(|ext| ext.eq_ignore_ascii_case(".pce"))
            .map(|_| &name[..cut])
    })?;
    if stem.len() < 5 || stem.len() > 8 || !stem.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let split = stem.len() - 4;
    let year = stem[..split].parse().ok()?;
    let month = stem[split..split + 2].parse().ok()?;
    let day = stem[split + 2..].parse().ok()?;
    Some(RawDate { year, month, day })
}

/// The tasks file's date.
pub const TASKS: RawDate = RawDate {
    year: 0,
    month: 0,
    day: 0,
};

/// Whether a file name is one of the pending imports `00001`–`00099.pce`.
pub fn is_pending_import(date: RawDate) -> bool {
    date.year == 0 && date.month == 0 && (1..=99).contains(&date.day)
}

/// A byte string as text for the screen: ASCII kept, anything else `?`.
pub fn display_text(bytes: &[u8]) -> String {
    bytes
        .iter()
        .map(|&b| match b {
            b'\n' => ' ',
            0x20..=0x7E => char::from(b),
            _ => '?',
        })
        .collect()
}

/// Case-insensitive ASCII search in the three text fields (never reads
/// past a field: malformed entries cannot overflow anything).
pub fn matches(event: &Event, needle: &str) -> bool {
    let needle = needle.as_bytes();
    if needle.is_empty() {
        return true;
    }
    [&event.title, &event.location, &event.description]
        .iter()
        .any(|field| field.windows(needle.len()).any(|w| w.eq_ignore_ascii_case(needle)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::vec;

    fn date(y: u16, m: u8, d: u8) -> RawDate {
        RawDate::from_date(Date::new(y, m, d).unwrap())
    }

    fn sample() -> Event {
        Event {
            category: 3,
            start: date(2024, 2, 29),
            end: date(2024, 3, 1),
            repeat: 0,
            timed: true,
            start_time: RawTime::hm(9, 30),
            end_time: RawTime::hm(17, 0),
            title: b"Dentist".to_vec(),
            location: b"Main St 5".to_vec(),
            description: b"Bring the card\nand the form".to_vec(),
            rule: None,
        }
    }

    /// An event exactly as the original writes it, built by hand from the
    /// documented field order.
    fn original_bytes() -> Vec<u8> {
        let mut bytes = b"PCALEVT".to_vec();
        for field in [
            "3", "0", "29", "2", "2024", "1", "3", "2024", "0", "0", "1", "9", "30", "0", "17", "0",
            "0", "Dentist", "Main St 5",
        ] {
            bytes.extend_from_slice(field.as_bytes());
            bytes.push(0x1D);
        }
        bytes.extend_from_slice(b"Bring the card\nand the form");
        bytes.push(0x1E);
        bytes
    }

    #[test]
    fn writes_the_original_layout_byte_for_byte() {
        assert_eq!(write_file(&[sample()]), original_bytes());
    }

    #[test]
    fn reads_the_original_layout() {
        let parsed = parse(&original_bytes());
        assert_eq!(parsed.problems, vec![]);
        assert_eq!(parsed.events, vec![sample()]);
    }

    #[test]
    fn round_trips_empty_and_maximal_fields() {
        let empty = Event {
            title: vec![],
            location: vec![],
            description: vec![],
            timed: false,
            ..sample()
        };
        let full = Event {
            title: vec![b'T'; MAX_TITLE],
            location: vec![b'L'; MAX_LOCATION],
            description: vec![b'D'; MAX_DESCRIPTION],
            category: 7,
            ..sample()
        };
        let events = vec![empty, full];
        let bytes = write_file(&events);
        let parsed = parse(&bytes);
        assert_eq!(parsed.problems, vec![]);
        assert_eq!(parsed.events, events);
    }

    #[test]
    fn cuts_overlong_fields_when_writing_and_reports_them_when_reading() {
        let long = Event {
            title: vec![b'T'; MAX_TITLE + 5],
            ..sample()
        };
        let parsed = parse(&write_file(&[long]));
        assert_eq!(parsed.events[0].title.len(), MAX_TITLE);
        // A file from elsewhere with a 30-byte title and a 2000-byte description.
        let mut bytes = original_bytes();
        let title_at = bytes.windows(7).position(|w| w == b"Dentist").unwrap();
        bytes.splice(title_at..title_at + 7, vec![b'x'; 30]);
        let end = bytes.len() - 1;
        bytes.splice(end..end, vec![b'y'; 2000]);
        let parsed = parse(&bytes);
        assert_eq!(parsed.events[0].title, vec![b'x'; 21]);
        assert_eq!(parsed.events[0].description.len(), MAX_DESCRIPTION);
        assert_eq!(
            parsed.problems,
            vec![
                Problem::TooLong { index: 0, field: TextField::Title },
                Problem::TooLong { index: 0, field: TextField::Description }
            ]
        );
    }

    #[test]
    fn separators_inside_text_cannot_break_the_file() {
        let event = Event {
            title: vec![b'a', FIELD_SEPARATOR, b'b', EVENT_SEPARATOR, 0],
            ..sample()
        };
        let parsed = parse(&write_file(&[event]));
        assert_eq!(parsed.problems, vec![]);
        assert_eq!(parsed.events[0].title, b"a b  ");
    }

    #[test]
    fn a_hundred_events_in_a_day_and_more() {
        let events: Vec<Event> = (0..100)
            .map(|i| Event {
                title: alloc::format!("Event {i}").into_bytes(),
                ..sample()
            })
            .collect();
        let bytes = write_file(&events);
        assert!(bytes.len() < MAX_FILE_SIZE);
        let parsed = parse(&bytes);
        assert_eq!(parsed.problems, vec![]);
        assert_eq!(parsed.events.len(), 100);
        assert_eq!(parsed.events[99].title, b"Event 99");
        let mut more = events.clone();
        more.push(sample());
        let parsed = parse(&write_file(&more));
        assert_eq!(parsed.events.len(), 101, "nothing is dropped");
        assert_eq!(parsed.problems, vec![Problem::TooManyEvents(101)]);
    }

    #[test]
    fn malformed_entries_are_reported_and_the_rest_kept() {
        let mut bytes = original_bytes();
        // A truncated event, an event with letters in numbers, then a cut
        // write in the middle of a fourth.
        bytes.extend_from_slice(b"1\x1D0\x1D5\x1E");
        let mut letters = original_bytes()[7..].to_vec();
        letters[0] = b'x';
        bytes.extend_from_slice(&letters);
        bytes.extend_from_slice(&original_bytes()[7..40]);
        let parsed = parse(&bytes);
        assert_eq!(parsed.events.len(), 2);
        assert_eq!(parsed.events[0], sample());
        assert_eq!(parsed.events[1].category, 0, "atoi of garbage is 0");
        assert_eq!(
            parsed.problems,
            vec![
                Problem::Unterminated,
                Problem::MissingFields { index: 1, found: 3 },
                Problem::BadNumber { index: 2, field: 0 },
                Problem::MissingFields { index: 3, found: 13 },
            ]
        );
        // Garbage of every kind never panics.
        for seed in 0..500u32 {
            let noise: Vec<u8> = (0..(seed % 97) as usize)
                .map(|i| [0x1D, 0x1E, b'1', b'a', 0, 0xFF, b'-'][(i * 7 + seed as usize) % 7])
                .collect();
            let mut file = b"PCALEVT".to_vec();
            file.extend_from_slice(&noise);
            let _ = parse(&file);
            let _ = parse(&noise);
        }
    }

    #[test]
    fn bad_header_dates_and_categories_are_reported_and_repairable() {
        let mut bytes = original_bytes();
        bytes[0] = b'X';
        let parsed = parse(&bytes);
        assert_eq!(parsed.problems[0], Problem::BadHeader);
        let mut event = Event {
            category: 9,
            end: RawDate { year: 2024, month: 2, day: 30 },
            ..sample()
        };
        let parsed = parse(&write_file(&[event.clone()]));
        assert_eq!(
            parsed.problems,
            vec![Problem::BadCategory { index: 0 }, Problem::BadDates { index: 0 }]
        );
        repair_event(&mut event, Date::new(2024, 2, 29).ok());
        assert_eq!(event.category, 1);
        assert_eq!(event.end, event.start);
        assert_eq!(event.end_time, RawTime::hm(17, 0), "still after the start");
        assert!(dates_are_sound(&event));
    }

    #[test]
    fn tasks_use_date_zero_and_repeat_as_done() {
        let task = Event {
            start: TASKS,
            end: TASKS,
            repeat: 1,
            timed: false,
            start_time: RawTime::default(),
            end_time: RawTime::default(),
            ..sample()
        };
        assert!(task.is_task() && task.is_done());
        let parsed = parse(&write_file(core::slice::from_ref(&task)));
        assert_eq!(parsed.problems, vec![]);
        assert_eq!(parsed.events, vec![task]);
        assert_eq!(file_name(TASKS), "00000.pce");
    }

    #[test]
    fn file_names_as_the_original_builds_them() {
        assert_eq!(file_name(date(2024, 2, 9)), "20240209.pce");
        assert_eq!(file_name(RawDate { year: 5, month: 1, day: 31 }), "50131.pce");
        assert_eq!(date_of_file_name("20240209.pce"), Some(date(2024, 2, 9)));
        assert_eq!(date_of_file_name("20240209.PCE"), Some(date(2024, 2, 9)));
        assert_eq!(date_of_file_name("00000.pce"), Some(TASKS));
        assert_eq!(date_of_file_name("00042.pce"), Some(RawDate { year: 0, month: 0, day: 42 }));
        assert!(is_pending_import(date_of_file_name("00042.pce").unwrap()));
        assert!(!is_pending_import(TASKS));
        assert_eq!(date_of_file_name("2024020.pce").map(|d| d.date()), Some(None));
        assert_eq!(date_of_file_name("notes.pce"), None);
        assert_eq!(date_of_file_name("1234.pce"), None);
        assert_eq!(date_of_file_name("20240209.txt"), None);
        assert_eq!(date_of_file_name(".pce"), None);
    }

    #[test]
    fn carriage_returns_become_newlines_and_search_is_bounded() {
        let mut bytes = original_bytes();
        let at = bytes.iter().position(|&b| b == b'\n').unwrap();
        bytes[at] = b'\r';
        let parsed = parse(&bytes);
        assert_eq!(parsed.events[0].description, sample().description);
        assert!(matches(&parsed.events[0], "CARD"));
        assert!(matches(&parsed.events[0], "main st"));
        assert!(!matches(&parsed.events[0], "dentistry"));
        assert_eq!(display_text(b"a\xE6b\nc"), "a?b c");
    }
}
