//! iCalendar (`.ics`, RFC 5545) import: the events of a file exported by
//! Google Calendar, Outlook, Apple Calendar and the like, turned into
//! `.pce` events.
//!
//! What is understood: folded lines, `VEVENT` with `SUMMARY`, `LOCATION`,
//! `DESCRIPTION` (escapes undone), `DTSTART`/`DTEND`/`DURATION` as dates
//! (all-day, `DTEND` exclusive) or date-times, `RRULE` (`FREQ` daily to
//! yearly, `INTERVAL`, `COUNT`, `UNTIL`, `BYDAY`), `EXDATE`, moved
//! occurrences (`RECURRENCE-ID`) and cancelled events. Times in UTC (`Z`)
//! are moved to the calculator's time zone setting; times with a `TZID`
//! are taken as local wall-clock time (the calculator has no time-zone
//! database). Rules we cannot express keep their first occurrence and are
//! counted as simplified. Text becomes ASCII (accents dropped, anything
//! else `?`) and is cut to the `.pce` limits.

use alloc::string::String;
use alloc::vec::Vec;

use prizm::time::Date;

use super::pce::{Event, RawDate, RawTime, MAX_DESCRIPTION, MAX_LOCATION, MAX_TITLE};
use super::recur::{End, Frequency, Rule};

/// The result of reading one file.
#[derive(Debug, Default)]
pub struct Import {
    /// Events ready to store, in file order.
    pub events: Vec<Event>,
    /// Events left out (cancelled, or without a usable start).
    pub skipped: usize,
    /// Events whose repetition could not be expressed: first occurrence only.
    pub simplified: usize,
}

/// A moment read from a property.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Moment {
    date: Date,
    /// `None` for a date (all day).
    time: Option<RawTime>,
}

/// One VEVENT while it is read.
#[derive(Default)]
struct Pending {
    uid: String,
    summary: String,
    location: String,
    description: String,
    start: Option<Moment>,
    end: Option<Moment>,
    duration_seconds: Option<i64>,
    rrule: Option<String>,
    exdates: Vec<Date>,
    recurrence_id: Option<Date>,
    cancelled: bool,
}

/// Reads `text`; `utc_offset_minutes` is the calculator's time zone.
pub fn parse(text: &str, utc_offset_minutes: i32) -> Import {
    let mut import = Import::default();
    let mut current: Option<Pending> = None;
    let mut nested = 0u32; // VALARM and the like inside a VEVENT
    let mut masters: Vec<(String, usize)> = Vec::new();
    let mut moved: Vec<(String, Date)> = Vec::new();
    for line in unfold(text) {
        let Some((name, params, value)) = split_line(&line) else {
            continue;
        };
        match (name.as_str(), value) {
            ("BEGIN", v) if v.eq_ignore_ascii_case("VEVENT") => {
                current = Some(Pending::default());
                nested = 0;
                continue;
            }
            ("BEGIN", _) if current.is_some() => {
                nested += 1;
                continue;
            }
            ("END", v) if v.eq_ignore_ascii_case("VEVENT") => {
                if let Some(pending) = current.take() {
                    finish(pending, utc_offset_minutes, &mut import, &mut masters, &mut moved);
                }
                continue;
            }
            ("END", _) if nested > 0 => {
                nested -= 1;
                continue;
            }
            _ => {}
        }
        let Some(pending) = current.as_mut() else {
            continue;
        };
        if nested > 0 {
            continue;
        }
        match name.as_str() {
            "UID" => pending.uid = String::from(value),
            "SUMMARY" => pending.summary = unescape(value),
            "LOCATION" => pending.location = unescape(value),
            "DESCRIPTION" => pending.description = unescape(value),
            "DTSTART" => pending.start = moment(value, &params, utc_offset_minutes),
            "DTEND" => pending.end = moment(value, &params, utc_offset_minutes),
            "DURATION" => pending.duration_seconds = duration(value),
            "RRULE" => pending.rrule = Some(String::from(value)),
            "EXDATE" => {
                for part in value.split(',') {
                    if let Some(m) = moment(part, &params, utc_offset_minutes) {
                        pending.exdates.push(m.date);
                    }
                }
            }
            "RECURRENCE-ID" => {
                pending.recurrence_id = moment(value, &params, utc_offset_minutes).map(|m| m.date)
            }
            "STATUS" => pending.cancelled = value.eq_ignore_ascii_case("CANCELLED"),
            _ => {}
        }
    }
    // A moved occurrence replaces its date in the series.
    for (uid, date) in moved {
        if let Some(&(_, at)) = masters.iter().find(|(u, _)| *u == uid) {
            if let Some(rule) = import.events[at].rule.as_mut() {
                rule.add_exception(date);
            }
        }
    }
    import
}

fn finish(
    pending: Pending,
    offset: i32,
    import: &mut Import,
    masters: &mut Vec<(String, usize)>,
    moved: &mut Vec<(String, Date)>,
) {
    let Some(start) = pending.start else {
        import.skipped += 1;
        return;
    };
    if pending.cancelled {
        if let Some(date) = pending.recurrence_id {
            moved.push((pending.uid, date));
        }
        import.skipped += 1;
        return;
    }
    let mut end = match (pending.end, pending.duration_seconds) {
        (Some(end), _) => end,
        (None, Some(seconds)) => add_seconds(start, seconds),
        (None, None) => start,
    };
    let (end_date, end_time) = match (start.time, end.time) {
        (None, _) => {
            // All day: DTEND is the day after the last.
            let last = if end.date > start.date { end.date.add_days(-1) } else { start.date };
            (last, RawTime::default())
        }
        (Some(start_time), end_time) => {
            let mut end_time = end_time.unwrap_or(start_time);
            if end.date > start.date && end_time == RawTime::default() {
                // Ends at midnight: shown as ending the day before.
                end.date = end.date.add_days(-1);
                end_time = RawTime { hour: 23, minute: 59, second: 0 };
            }
            (end.date, end_time)
        }
    };
    let mut event = Event {
        category: 2,
        start: RawDate::from_date(start.date),
        end: RawDate::from_date(end_date.max(start.date)),
        repeat: 0,
        timed: start.time.is_some(),
        start_time: start.time.unwrap_or_default(),
        end_time,
        title: to_calculator_text(&pending.summary, MAX_TITLE),
        location: to_calculator_text(&pending.location, MAX_LOCATION),
        description: to_calculator_text(&pending.description, MAX_DESCRIPTION),
        rule: None,
    };
    if event.end == event.start && event.timed && event.end_time.seconds() < event.start_time.seconds() {
        event.end_time = event.start_time;
    }
    if let Some(date) = pending.recurrence_id {
        moved.push((pending.uid.clone(), date));
    }
    if let Some(text) = &pending.rrule {
        match rule(text, start.date, offset) {
            Some(mut rule) => {
                for date in pending.exdates {
                    rule.add_exception(date);
                }
                event.rule = Some(rule);
                masters.push((pending.uid, import.events.len()));
            }
            None => import.simplified += 1,
        }
    }
    import.events.push(event);
}

/// Lines with folding undone (a line starting with a space or tab goes on
/// the previous one).
fn unfold(text: &str) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    for raw in text.split('\n') {
        let raw = raw.strip_suffix('\r').unwrap_or(raw);
        if let Some(rest) = raw.strip_prefix([' ', '\t']) {
            if let Some(last) = lines.last_mut() {
                last.push_str(rest);
                continue;
            }
        }
        if !raw.is_empty() {
            lines.push(String::from(raw));
        }
    }
    lines
}

/// A property's parameters, `(NAME, value)`.
type Params = Vec<(String, String)>;

/// `NAME;PARAM=V;…:value` → upper-case name, the parameters, the value.
fn split_line(line: &str) -> Option<(String, Params, &str)> {
    let mut in_quotes = false;
    let colon = line.char_indices().find_map(|(i, c)| {
        if c == '"' {
            in_quotes = !in_quotes;
        }
        (c == ':' && !in_quotes).then_some(i)
    })?;
    let (head, value) = (&line[..colon], &line[colon + 1..]);
    let mut parts = head.split(';');
    let name = parts.next()?.to_ascii_uppercase();
    let params = parts
        .filter_map(|p| p.split_once('='))
        .map(|(k, v)| (k.to_ascii_uppercase(), String::from(v.trim_matches('"'))))
        .collect();
    Some((name, params, value))
}

fn unescape(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    let mut chars = value.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            match chars.next() {
                Some('n' | 'N') => out.push('\n'),
                Some(other) => out.push(other),
                None => {}
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// `YYYYMMDD`, `YYYYMMDDTHHMMSS` or the same with `Z`.
fn moment(value: &str, params: &[(String, String)], offset: i32) -> Option<Moment> {
    let value = value.trim();
    let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    let date_part = value.get(..8).filter(|s| digits(s))?;
    let date = Date::new(
        date_part[..4].parse().ok()?,
        date_part[4..6].parse().ok()?,
        date_part[6..].parse().ok()?,
    )
    .ok()?;
    let is_date = params.iter().any(|(k, v)| k == "VALUE" && v.eq_ignore_ascii_case("DATE"));
    let rest = &value[8..];
    if is_date || rest.is_empty() {
        return Some(Moment { date, time: None });
    }
    let time_part = rest.strip_prefix('T')?;
    let (clock, utc) = match time_part.strip_suffix('Z') {
        Some(clock) => (clock, true),
        None => (time_part, false),
    };
    if !clock.get(..6).is_some_and(digits) {
        return None;
    }
    let time = RawTime {
        hour: clock[..2].parse().ok()?,
        minute: clock[2..4].parse().ok()?,
        second: clock[4..6].parse().ok()?,
    };
    if !time.is_valid() {
        return None;
    }
    let moment = Moment { date, time: Some(time) };
    Some(if utc { add_seconds(moment, i64::from(offset) * 60) } else { moment })
}

fn add_seconds(moment: Moment, seconds: i64) -> Moment {
    let base = i64::from(moment.date.days_since_epoch()) * 86_400
        + i64::from(moment.time.map_or(0, |t| t.seconds()));
    let total = base + seconds;
    let days = total.div_euclid(86_400);
    let of_day = total.rem_euclid(86_400) as u32;
    let date = Date::from_days_since_epoch(days as i32).unwrap_or(moment.date);
    Moment {
        date,
        time: moment.time.map(|_| RawTime {
            hour: of_day / 3600,
            minute: of_day / 60 % 60,
            second: of_day % 60,
        }),
    }
}

/// `P1D`, `PT1H30M`, `P2W`… in seconds.
fn duration(value: &str) -> Option<i64> {
    let (negative, rest) = match value.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, value.strip_prefix('+').unwrap_or(value)),
    };
    let rest = rest.strip_prefix('P')?;
    let mut total = 0i64;
    let mut number = 0i64;
    let mut in_time = false;
    for c in rest.chars() {
        match c {
            '0'..='9' => number = number * 10 + i64::from(c as u8 - b'0'),
            'T' => in_time = true,
            'W' => (total, number) = (total + number * 604_800, 0),
            'D' => (total, number) = (total + number * 86_400, 0),
            'H' if in_time => (total, number) = (total + number * 3600, 0),
            'M' if in_time => (total, number) = (total + number * 60, 0),
            'S' if in_time => (total, number) = (total + number, 0),
            _ => return None,
        }
    }
    Some(if negative { -total } else { total })
}

const WEEKDAYS: [&str; 7] = ["SU", "MO", "TU", "WE", "TH", "FR", "SA"];

/// An RRULE we can express, or `None`.
fn rule(text: &str, start: Date, offset: i32) -> Option<Rule> {
    let mut frequency = None;
    let mut rule = Rule::new(Frequency::Daily);
    let mut by_day: Vec<(i8, u8)> = Vec::new();
    for part in text.split(';') {
        let (key, value) = part.split_once('=')?;
        match key.to_ascii_uppercase().as_str() {
            "FREQ" => {
                frequency = Some(match value.to_ascii_uppercase().as_str() {
                    "DAILY" => Frequency::Daily,
                    "WEEKLY" => Frequency::Weekly,
                    "MONTHLY" => Frequency::MonthlyByDate,
                    "YEARLY" => Frequency::Yearly,
                    _ => return None,
                })
            }
            "INTERVAL" => rule.interval = value.parse().ok().filter(|i| (1..=999).contains(i))?,
            "COUNT" => rule.end = End::Count(value.parse().ok().filter(|c| *c > 0)?),
            "UNTIL" => rule.end = End::Until(moment(value, &[], offset)?.date),
            "BYDAY" => {
                for day in value.split(',') {
                    let name = day.get(day.len().checked_sub(2)?..)?.to_ascii_uppercase();
                    let weekday = WEEKDAYS.iter().position(|w| *w == name)? as u8;
                    let nth_text = &day[..day.len() - 2];
                    let nth = if nth_text.is_empty() { 0 } else { nth_text.parse().ok()? };
                    by_day.push((nth, weekday));
                }
            }
            "BYMONTHDAY" => {
                if value.parse::<u8>().ok()? != start.day {
                    return None;
                }
            }
            "BYMONTH" => {
                if value.parse::<u8>().ok()? != start.month {
                    return None;
                }
            }
            "WKST" => {}
            _ => return None,
        }
    }
    rule.frequency = frequency?;
    match rule.frequency {
        Frequency::Weekly => {
            for (nth, weekday) in by_day {
                if nth != 0 {
                    return None;
                }
                rule.weekdays |= 1 << weekday;
            }
        }
        Frequency::MonthlyByDate => match by_day.as_slice() {
            [] => {}
            [(nth, weekday)] if *weekday == start.weekday().number_from_sunday() && (*nth == -1 || (1..=5).contains(nth)) => {
                rule.frequency = Frequency::MonthlyByWeekday;
                rule.nth = *nth;
            }
            _ => return None,
        },
        Frequency::Daily | Frequency::Yearly => {
            if !by_day.is_empty() {
                return None;
            }
        }
        Frequency::MonthlyByWeekday => {}
    }
    Some(rule)
}

/// Text for the calculator: ASCII kept, Latin letters without their
/// accents, anything else `?`; at most `limit` bytes.
pub fn to_calculator_text(text: &str, limit: usize) -> Vec<u8> {
    let mut out = Vec::with_capacity(text.len().min(limit));
    for c in text.chars() {
        if out.len() >= limit {
            break;
        }
        let byte = match c {
            '\n' => b'\n',
            '\r' => continue,
            '\t' => b' ',
            ' '..='~' => c as u8,
            'À'..='Å' | 'à'..='å' | 'ā' | 'ă' | 'ą' => if c.is_uppercase() { b'A' } else { b'a' },
            'Ç' | 'ç' | 'ć' | 'č' => if c.is_uppercase() { b'C' } else { b'c' },
            'È'..='Ë' | 'è'..='ë' | 'ē' | 'ę' | 'ě' => if c.is_uppercase() { b'E' } else { b'e' },
            'Ì'..='Ï' | 'ì'..='ï' => if c.is_uppercase() { b'I' } else { b'i' },
            'Ñ' | 'ñ' | 'ń' => if c.is_uppercase() { b'N' } else { b'n' },
            'Ò'..='Ö' | 'Ø' | 'ò'..='ö' | 'ø' | 'ő' => if c.is_uppercase() { b'O' } else { b'o' },
            'Ù'..='Ü' | 'ù'..='ü' | 'ű' | 'ů' => if c.is_uppercase() { b'U' } else { b'u' },
            'Ý' | 'ý' | 'ÿ' => if c.is_uppercase() { b'Y' } else { b'y' },
            'ß' => b's',
            '\u{2018}' | '\u{2019}' => b'\'',
            '\u{201C}' | '\u{201D}' => b'"',
            '\u{2013}' | '\u{2014}' => b'-',
            _ => b'?',
        };
        out.push(byte);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::vec;

    fn d(y: u16, m: u8, day: u8) -> Date {
        Date::new(y, m, day).unwrap()
    }

    fn rd(y: u16, m: u8, day: u8) -> RawDate {
        RawDate::from_date(d(y, m, day))
    }

    /// A Google Calendar export: UTC times, a folded description with
    /// escapes, an all-day multi-day event, a weekly series with EXDATE
    /// and one moved occurrence, a cancelled event, an alarm.
    const GOOGLE: &str = "BEGIN:VCALENDAR\r\n\
PRODID:-//Google Inc//Google Calendar 70.9054//EN\r\n\
VERSION:2.0\r\n\
CALSCALE:GREGORIAN\r\n\
X-WR-TIMEZONE:Europe/Lisbon\r\n\
BEGIN:VEVENT\r\n\
DTSTART:20261130T230000Z\r\n\
DTEND:20261201T003000Z\r\n\
UID:abc1@google.com\r\n\
SUMMARY:Late call\\, with Ana\r\n\
DESCRIPTION:Line one\\nLine two with a long text that Google folds after seve\r\n\
\x20nty-five octets\\; keep it\r\n\
LOCATION:Caf\u{e9} Central\r\n\
BEGIN:VALARM\r\n\
ACTION:DISPLAY\r\n\
DESCRIPTION:This is an event reminder\r\n\
TRIGGER:-P0DT0H10M0S\r\n\
END:VALARM\r\n\
END:VEVENT\r\n\
BEGIN:VEVENT\r\n\
DTSTART;VALUE=DATE:20261228\r\n\
DTEND;VALUE=DATE:20270102\r\n\
UID:abc2@google.com\r\n\
SUMMARY:Holidays\r\n\
END:VEVENT\r\n\
BEGIN:VEVENT\r\n\
DTSTART:20260105T090000Z\r\n\
DTEND:20260105T100000Z\r\n\
RRULE:FREQ=WEEKLY;WKST=MO;COUNT=10;BYDAY=MO,TH\r\n\
EXDATE:20260108T090000Z\r\n\
UID:series@google.com\r\n\
SUMMARY:Gym\r\n\
END:VEVENT\r\n\
BEGIN:VEVENT\r\n\
DTSTART:20260113T180000Z\r\n\
DTEND:20260113T190000Z\r\n\
RECURRENCE-ID:20260112T090000Z\r\n\
UID:series@google.com\r\n\
SUMMARY:Gym (moved)\r\n\
END:VEVENT\r\n\
BEGIN:VEVENT\r\n\
DTSTART:20260301T090000Z\r\n\
UID:gone@google.com\r\n\
STATUS:CANCELLED\r\n\
SUMMARY:Cancelled\r\n\
END:VEVENT\r\n\
END:VCALENDAR\r\n";

    #[test]
    fn google_export() {
        let import = parse(GOOGLE, 60); // UTC+1
        assert_eq!(import.skipped, 1);
        assert_eq!(import.simplified, 0);
        assert_eq!(import.events.len(), 4);
        let call = &import.events[0];
        // 23:00Z on 30 Nov is 00:00 on 1 Dec at UTC+1.
        assert_eq!(call.start, rd(2026, 12, 1));
        assert_eq!(call.start_time, RawTime::hm(0, 0));
        assert_eq!(call.end_time, RawTime::hm(1, 30));
        assert!(call.timed);
        assert_eq!(call.title, b"Late call, with Ana");
        assert_eq!(call.location, b"Cafe Central");
        assert_eq!(
            call.description,
            b"Line one\nLine two with a long text that Google folds after seventy-five octets; keep it"
        );
        let holidays = &import.events[1];
        assert!(!holidays.timed);
        assert_eq!((holidays.start, holidays.end), (rd(2026, 12, 28), rd(2027, 1, 1)));
        let gym = &import.events[2];
        let rule = gym.rule.as_ref().unwrap();
        assert_eq!(rule.frequency, Frequency::Weekly);
        assert_eq!(rule.weekdays, 0b0001_0010);
        assert_eq!(rule.end, End::Count(10));
        assert_eq!(rule.exceptions, vec![d(2026, 1, 8), d(2026, 1, 12)]);
        assert_eq!(gym.start_time, RawTime::hm(10, 0));
        let moved = &import.events[3];
        assert_eq!((moved.start, moved.rule.is_none()), (rd(2026, 1, 13), true));
        // The series itself: 10 counted dates, two left out.
        let mut dates = Vec::new();
        rule.starts_between(d(2026, 1, 5), d(2026, 1, 1), d(2026, 12, 31), |x| dates.push(x));
        assert_eq!(dates.len(), 8);
        assert_eq!(dates[0], d(2026, 1, 5));
        assert_eq!(*dates.last().unwrap(), d(2026, 2, 5));
    }

    /// Outlook: TZID-qualified local times with a VTIMEZONE block, LF line
    /// ends, a monthly "second Tuesday" rule with UNTIL, DURATION instead
    /// of DTEND, and a rule we cannot express.
    const OUTLOOK: &str = "BEGIN:VCALENDAR\n\
PRODID:-//Microsoft Corporation//Outlook 16.0 MIMEDIR//EN\n\
VERSION:2.0\n\
BEGIN:VTIMEZONE\n\
TZID:W. Europe Standard Time\n\
BEGIN:STANDARD\n\
DTSTART:16011028T030000\n\
RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=10\n\
TZOFFSETFROM:+0200\n\
TZOFFSETTO:+0100\n\
END:STANDARD\n\
END:VTIMEZONE\n\
BEGIN:VEVENT\n\
CLASS:PUBLIC\n\
DTSTART;TZID=\"W. Europe Standard Time\":20260113T140000\n\
DURATION:PT1H30M\n\
RRULE:FREQ=MONTHLY;UNTIL=20261231T130000Z;INTERVAL=1;BYDAY=2TU\n\
LOCATION:Room 4.12\n\
SUMMARY;LANGUAGE=en-us:Team review meeting with a long title\n\
UID:040000008200E00074C5B7101A82E008\n\
END:VEVENT\n\
BEGIN:VEVENT\n\
DTSTART;TZID=\"W. Europe Standard Time\":20260201T080000\n\
DTEND;TZID=\"W. Europe Standard Time\":20260201T083000\n\
RRULE:FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1\n\
SUMMARY:Last workday report\n\
UID:0400000082\n\
END:VEVENT\n\
END:VCALENDAR\n";

    #[test]
    fn outlook_export() {
        let import = parse(OUTLOOK, 60);
        assert_eq!(import.events.len(), 2);
        assert_eq!(import.simplified, 1);
        let review = &import.events[0];
        assert_eq!(review.title, b"Team review meeting w");
        assert_eq!(review.start, rd(2026, 1, 13));
        assert_eq!((review.start_time, review.end_time), (RawTime::hm(14, 0), RawTime::hm(15, 30)));
        let rule = review.rule.as_ref().unwrap();
        assert_eq!(rule.frequency, Frequency::MonthlyByWeekday);
        assert_eq!(rule.nth, 2);
        assert_eq!(rule.end, End::Until(d(2026, 12, 31)));
        assert_eq!(import.events[1].rule, None);
        assert_eq!(import.events[1].start, rd(2026, 2, 1));
    }

    /// Apple Calendar: floating all-day birthday repeating yearly, an event
    /// across midnight, a timed multi-day event, UTF-8 text.
    const APPLE: &str = "BEGIN:VCALENDAR\r\n\
VERSION:2.0\r\n\
PRODID:-//Apple Inc.//macOS 14.0//EN\r\n\
BEGIN:VEVENT\r\n\
DTSTART;VALUE=DATE:20000229\r\n\
DTEND;VALUE=DATE:20000301\r\n\
RRULE:FREQ=YEARLY\r\n\
SUMMARY:J\u{fc}rgen\u{2019}s birthday \u{1F382}\r\n\
UID:B1\r\n\
END:VEVENT\r\n\
BEGIN:VEVENT\r\n\
DTSTART;TZID=Europe/Lisbon:20261231T220000\r\n\
DTEND;TZID=Europe/Lisbon:20270101T000000\r\n\
SUMMARY:New Year\r\n\
UID:B2\r\n\
END:VEVENT\r\n\
BEGIN:VEVENT\r\n\
DTSTART;TZID=Europe/Lisbon:20260310T090000\r\n\
DTEND;TZID=Europe/Lisbon:20260312T170000\r\n\
SUMMARY:Conference\r\n\
UID:B3\r\n\
END:VEVENT\r\n\
BEGIN:VEVENT\r\n\
SUMMARY:No start\r\n\
END:VEVENT\r\n\
END:VCALENDAR\r\n";

    #[test]
    fn apple_export() {
        let import = parse(APPLE, 0);
        assert_eq!(import.skipped, 1);
        assert_eq!(import.events.len(), 3);
        let birthday = &import.events[0];
        assert_eq!(birthday.title, b"Jurgen's birthday ?");
        assert_eq!((birthday.start, birthday.end, birthday.timed), (rd(2000, 2, 29), rd(2000, 2, 29), false));
        assert_eq!(birthday.rule.as_ref().unwrap().frequency, Frequency::Yearly);
        let new_year = &import.events[1];
        assert_eq!((new_year.start, new_year.end), (rd(2026, 12, 31), rd(2026, 12, 31)));
        assert_eq!(new_year.end_time, RawTime::hm(23, 59));
        let conference = &import.events[2];
        assert_eq!((conference.start, conference.end), (rd(2026, 3, 10), rd(2026, 3, 12)));
        assert_eq!(conference.extra_days(), 2);
    }

    #[test]
    fn odd_input_never_panics() {
        for text in ["", "BEGIN:VEVENT", "BEGIN:VEVENT\nDTSTART:20261201T12345\u{e9}\nEND:VEVENT", "END:VEVENT", "BEGIN:VEVENT\nDTSTART:2026\nEND:VEVENT", "\u{0}\u{ff}::;;==", "BEGIN:VEVENT\nDTSTART:20261301\nRRULE:FREQ=WEEKLY;BYDAY=X\nEND:VEVENT"] {
            let import = parse(text, 0);
            assert!(import.events.is_empty(), "{text:?}");
        }
        // A rule with a byte it cannot read: the first date only.
        let import = parse("BEGIN:VEVENT\nDTSTART:20261201\nRRULE:FREQ=WEEKLY;BYDAY=\u{e9}\nEND:VEVENT\nX", 0);
        assert_eq!((import.events.len(), import.simplified), (1, 1));
        assert_eq!(duration("PT1H30M"), Some(5400));
        assert_eq!(duration("P1W"), Some(604_800));
        assert_eq!(duration("-P1D"), Some(-86_400));
        assert_eq!(duration("1H"), None);
    }
}
