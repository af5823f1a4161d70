//! Recurring events: the rule, its compact text form kept in field 8 of a
//! `.pce` event, and the expansion into occurrence dates.
//!
//! The text form is ASCII without separators, at most ~330 bytes, e.g.
//! `RW2;B42;C10;X20240105` = every 2 weeks on Monday, Wednesday and
//! Friday, 10 times, except 5 January 2024:
//!
//! | part | meaning |
//! |---|---|
//! | `R` + `D`/`W`/`M`/`N`/`Y` + number | daily, weekly, monthly on the same date, monthly on the same weekday, yearly; every *number* periods |
//! | `;B` + number | weekly: days as a mask, bit 0 Sunday … bit 6 Saturday (none: the start's weekday) |
//! | `;N` + number | monthly by weekday: 1–5 the n-th, -1 the last |
//! | `;U` + `YYYYMMDD` | ends on that date (included) |
//! | `;C` + number | ends after that many occurrences (exceptions count) |
//! | `;X` + `YYYYMMDD`,… | dates left out |
//!
//! Like iCalendar (RFC 5545), dates that do not exist (31 April, 29
//! February in other years, a fifth Tuesday) are skipped, not moved.

use alloc::vec::Vec;
use core::fmt::Write;

use prizm::time::Date;

/// Most exceptions one rule keeps.
pub const MAX_EXCEPTIONS: usize = 32;
/// Longest interval.
pub const MAX_INTERVAL: u16 = 999;
/// Candidates examined at most per expansion (a bound, never reached by
/// sensible rules: 300 years of daily events).
const MAX_STEPS: u32 = 110_000;

/// How often.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Frequency {
    /// Every `interval` days.
    Daily,
    /// Every `interval` weeks, on the rule's weekdays.
    Weekly,
    /// Every `interval` months on the start's day of the month.
    MonthlyByDate,
    /// Every `interval` months on the n-th (or last) weekday of the start.
    MonthlyByWeekday,
    /// Every `interval` years on the start's month and day.
    Yearly,
}

impl Frequency {
    const fn letter(self) -> u8 {
        match self {
            Frequency::Daily => b'D',
            Frequency::Weekly => b'W',
            Frequency::MonthlyByDate => b'M',
            Frequency::MonthlyByWeekday => b'N',
            Frequency::Yearly => b'Y',
        }
    }

    /// A short English name.
    pub const fn name(self) -> &'static str {
        match self {
            Frequency::Daily => "Daily",
            Frequency::Weekly => "Weekly",
            Frequency::MonthlyByDate => "Monthly (date)",
            Frequency::MonthlyByWeekday => "Monthly (weekday)",
            Frequency::Yearly => "Yearly",
        }
    }
}

/// When the repetition stops.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum End {
    /// Never.
    Never,
    /// After this date (included).
    Until(Date),
    /// After this many occurrences.
    Count(u16),
}

/// A recurrence rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rule {
    /// How often.
    pub frequency: Frequency,
    /// Every how many periods (≥ 1).
    pub interval: u16,
    /// Weekly: bit 0 Sunday … bit 6 Saturday; 0 means the start's weekday.
    pub weekdays: u8,
    /// Monthly by weekday: 1–5 the n-th, -1 the last; 0 means from the start.
    pub nth: i8,
    /// When it stops.
    pub end: End,
    /// Dates left out, sorted.
    pub exceptions: Vec<Date>,
}

impl Rule {
    /// A rule repeating forever every period.
    pub fn new(frequency: Frequency) -> Rule {
        Rule {
            frequency,
            interval: 1,
            weekdays: 0,
            nth: 0,
            end: End::Never,
            exceptions: Vec::new(),
        }
    }

    /// Leaves `date` out; false when the list is full.
    pub fn add_exception(&mut self, date: Date) -> bool {
        if self.exceptions.contains(&date) {
            return true;
        }
        if self.exceptions.len() >= MAX_EXCEPTIONS {
            return false;
        }
        let at = self.exceptions.partition_point(|&d| d < date);
        self.exceptions.insert(at, date);
        true
    }

    /// Appends the text form.
    pub fn encode(&self, out: &mut Vec<u8>) {
        let mut text: heapless::String<400> = heapless::String::new();
        let _ = write!(text, "R{}{}", char::from(self.frequency.letter()), self.interval.max(1));
        if self.frequency == Frequency::Weekly && self.weekdays & 0x7F != 0 {
            let _ = write!(text, ";B{}", self.weekdays & 0x7F);
        }
        if self.frequency == Frequency::MonthlyByWeekday && self.nth != 0 {
            let _ = write!(text, ";N{}", self.nth);
        }
        match self.end {
            End::Never => {}
            End::Until(date) => {
                let _ = write!(text, ";U{:04}{:02}{:02}", date.year, date.month, date.day);
            }
            End::Count(count) => {
                let _ = write!(text, ";C{count}");
            }
        }
        for (i, date) in self.exceptions.iter().take(MAX_EXCEPTIONS).enumerate() {
            let _ = text.push_str(if i == 0 { ";X" } else { "," });
            let _ = write!(text, "{:04}{:02}{:02}", date.year, date.month, date.day);
        }
        out.extend_from_slice(text.as_bytes());
    }

    /// Reads the text form; `None` for anything else.
    pub fn decode(bytes: &[u8]) -> Option<Rule> {
        let text = core::str::from_utf8(bytes).ok()?;
        let mut parts = text.split(';');
        let head = parts.next()?.strip_prefix('R')?;
        let frequency = match head.as_bytes().first()? {
            b'D' => Frequency::Daily,
            b'W' => Frequency::Weekly,
            b'M' => Frequency::MonthlyByDate,
            b'N' => Frequency::MonthlyByWeekday,
            b'Y' => Frequency::Yearly,
            _ => return None,
        };
        let interval: u16 = head[1..].parse().ok()?;
        if interval == 0 || interval > MAX_INTERVAL {
            return None;
        }
        let mut rule = Rule {
            interval,
            ..Rule::new(frequency)
        };
        for part in parts {
            let (key, value) = part.split_at_checked(part.len().min(1))?;
            match key {
                "B" => rule.weekdays = value.parse::<u8>().ok().filter(|m| *m < 0x80)?,
                "N" => rule.nth = value.parse::<i8>().ok().filter(|n| (-1..=5).contains(n))?,
                "U" => rule.end = End::Until(parse_ymd(value)?),
                "C" => rule.end = End::Count(value.parse().ok().filter(|c| *c > 0)?),
                "X" => {
                    for date in value.split(',') {
                        if !rule.add_exception(parse_ymd(date)?) {
                            return None;
                        }
                    }
                }
                _ => return None,
            }
        }
        Some(rule)
    }

    /// Calls `visit` with each occurrence's start date from `first` (the
    /// event's start) that falls in `from..=to`, in order.
    pub fn starts_between(&self, first: Date, from: Date, to: Date, mut visit: impl FnMut(Date)) {
        let mut emitted: u32 = 0;
        let limit = match self.end {
            End::Count(count) => u32::from(count),
            _ => u32::MAX,
        };
        let last = match self.end {
            End::Until(date) => date.min(to),
            _ => to,
        };
        let mut steps = 0;
        let mut candidate = |date: Date| -> bool {
            // true: go on.
            steps += 1;
            if date < first {
                return steps < MAX_STEPS;
            }
            if date > last || emitted >= limit {
                return false;
            }
            emitted += 1;
            if date >= from && self.exceptions.binary_search(&date).is_err() {
                visit(date);
            }
            emitted < limit && steps < MAX_STEPS
        };
        let interval = i32::from(self.interval.max(1));
        match self.frequency {
            Frequency::Daily => {
                // Skip whole periods before `from` when nothing is counted.
                let mut k = 0;
                if limit == u32::MAX && from > first {
                    k = from.days_since(first) / interval;
                }
                loop {
                    let date = first.add_days(k * interval);
                    if date.days_since(first) != k * interval || !candidate(date) {
                        break;
                    }
                    k += 1;
                }
            }
            Frequency::Weekly => {
                let mask = if self.weekdays & 0x7F == 0 {
                    1 << first.weekday().number_from_sunday()
                } else {
                    self.weekdays & 0x7F
                };
                // Weeks start on Monday (iCalendar's default).
                let monday = first.add_days(-((i32::from(first.weekday().number_from_sunday()) + 6) % 7));
                let mut week = 0;
                if limit == u32::MAX && from > monday {
                    week = from.days_since(monday) / 7 / interval;
                }
                'weeks: loop {
                    let start = monday.add_days(week * 7 * interval);
                    if start.days_since(monday) != week * 7 * interval {
                        break;
                    }
                    for offset in 0..7 {
                        let date = start.add_days(offset);
                        let bit = 1 << date.weekday().number_from_sunday();
                        if mask & bit != 0 && !candidate(date) {
                            break 'weeks;
                        }
                    }
                    week += 1;
                }
            }
            Frequency::MonthlyByDate | Frequency::MonthlyByWeekday | Frequency::Yearly => {
                let step_months = if self.frequency == Frequency::Yearly {
                    12 * interval
                } else {
                    interval
                };
                let nth = if self.nth != 0 {
                    i32::from(self.nth)
                } else {
                    (i32::from(first.day) - 1) / 7 + 1
                };
                let base = i32::from(first.year) * 12 + i32::from(first.month) - 1;
                let mut k = 0;
                if limit == u32::MAX && from > first {
                    let months = (i32::from(from.year) * 12 + i32::from(from.month) - 1) - base;
                    k = (months / step_months - 1).max(0);
                }
                loop {
                    let index = base + k * step_months;
                    let (year, month) = (index / 12, (index % 12) as u8 + 1);
                    if year > 9999 {
                        break;
                    }
                    let date = match self.frequency {
                        Frequency::MonthlyByWeekday => nth_weekday(year as u16, month, first, nth),
                        _ => Date::new(year as u16, month, first.day).ok(),
                    };
                    match date {
                        Some(date) => {
                            if !candidate(date) {
                                break;
                            }
                        }
                        None => {
                            // A month without that date still costs a step.
                            if Date::new(year as u16, month, 1).map_or(true, |d| d > last) {
                                break;
                            }
                        }
                    }
                    k += 1;
                    if k > 12 * 400 {
                        break;
                    }
                }
            }
        }
    }
}

/// The `nth` (1–5, or -1 for the last) weekday of `like` in a month.
fn nth_weekday(year: u16, month: u8, like: Date, nth: i32) -> Option<Date> {
    let weekday = i32::from(like.weekday().number_from_sunday());
    if nth < 0 {
        let days = prizm::time::days_in_month(i32::from(year), month);
        let last = Date::new(year, month, days).ok()?;
        let back = (i32::from(last.weekday().number_from_sunday()) - weekday + 7) % 7;
        return Some(last.add_days(-back));
    }
    let first = Date::new(year, month, 1).ok()?;
    let ahead = (weekday - i32::from(first.weekday().number_from_sunday()) + 7) % 7;
    let day = 1 + ahead + (nth - 1) * 7;
    Date::new(year, month, u8::try_from(day).ok()?).ok()
}

fn parse_ymd(text: &str) -> Option<Date> {
    if text.len() != 8 || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    Date::new(text[..4].parse().ok()?, text[4..6].parse().ok()?, text[6..].parse().ok()?).ok()
}

/// Start dates of the occurrences of an event (`rule` `None`: one-off)
/// that cover `day`, given that each lasts `extra_days` more days.
pub fn covers(first: Date, extra_days: i32, rule: Option<&Rule>, day: Date) -> bool {
    let earliest = day.add_days(-extra_days.max(0));
    match rule {
        None => first <= day && first >= earliest,
        Some(rule) => {
            let mut found = false;
            rule.starts_between(first, earliest, day, |_| found = true);
            found
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::vec;

    fn d(y: u16, m: u8, day: u8) -> Date {
        Date::new(y, m, day).unwrap()
    }

    fn expand(rule: &Rule, first: Date, from: Date, to: Date) -> Vec<Date> {
        let mut out = Vec::new();
        rule.starts_between(first, from, to, |date| out.push(date));
        out
    }

    #[test]
    fn daily_with_interval_count_and_exception() {
        let mut rule = Rule {
            interval: 2,
            end: End::Count(5),
            ..Rule::new(Frequency::Daily)
        };
        rule.add_exception(d(2024, 3, 3));
        // 28 Feb, 1 Mar (leap year), 3 Mar (left out but counted), 5, 7.
        assert_eq!(
            expand(&rule, d(2024, 2, 28), d(2024, 1, 1), d(2024, 12, 31)),
            vec![d(2024, 2, 28), d(2024, 3, 1), d(2024, 3, 5), d(2024, 3, 7)]
        );
        rule.exceptions.clear();
        assert_eq!(expand(&rule, d(2024, 2, 28), d(2024, 3, 2), d(2024, 3, 6)), vec![d(2024, 3, 3), d(2024, 3, 5)]);
    }

    #[test]
    fn weekly_on_several_days_until_a_date() {
        // Every 2 weeks on Mon, Wed, Fri from Wednesday 3 January 2024 until 31 January.
        let rule = Rule {
            interval: 2,
            weekdays: 0b0010_1010,
            end: End::Until(d(2024, 1, 31)),
            ..Rule::new(Frequency::Weekly)
        };
        assert_eq!(
            expand(&rule, d(2024, 1, 3), d(2023, 1, 1), d(2025, 1, 1)),
            vec![
                d(2024, 1, 3),
                d(2024, 1, 5),
                d(2024, 1, 15),
                d(2024, 1, 17),
                d(2024, 1, 19),
                d(2024, 1, 29),
                d(2024, 1, 31)
            ]
        );
        // No weekdays given: the start's weekday.
        let plain = Rule::new(Frequency::Weekly);
        assert_eq!(
            expand(&plain, d(2023, 12, 29), d(2024, 1, 1), d(2024, 1, 31)),
            vec![d(2024, 1, 5), d(2024, 1, 12), d(2024, 1, 19), d(2024, 1, 26)]
        );
    }

    #[test]
    fn monthly_by_date_skips_short_months() {
        let rule = Rule {
            end: End::Count(6),
            ..Rule::new(Frequency::MonthlyByDate)
        };
        assert_eq!(
            expand(&rule, d(2024, 1, 31), d(2024, 1, 1), d(2025, 12, 31)),
            vec![d(2024, 1, 31), d(2024, 3, 31), d(2024, 5, 31), d(2024, 7, 31), d(2024, 8, 31), d(2024, 10, 31)]
        );
    }

    #[test]
    fn monthly_by_weekday_nth_and_last() {
        // 2nd Tuesday: 13 Feb 2024 is one.
        let second = Rule {
            end: End::Count(3),
            ..Rule::new(Frequency::MonthlyByWeekday)
        };
        assert_eq!(
            expand(&second, d(2024, 2, 13), d(2024, 1, 1), d(2024, 12, 31)),
            vec![d(2024, 2, 13), d(2024, 3, 12), d(2024, 4, 9)]
        );
        // Last Friday: 26 Jan 2024.
        let last = Rule {
            nth: -1,
            ..Rule::new(Frequency::MonthlyByWeekday)
        };
        assert_eq!(
            expand(&last, d(2024, 1, 26), d(2024, 2, 1), d(2024, 5, 31)),
            vec![d(2024, 2, 23), d(2024, 3, 29), d(2024, 4, 26), d(2024, 5, 31)]
        );
        // 5th Thursday exists only in some months.
        let fifth = Rule::new(Frequency::MonthlyByWeekday);
        assert_eq!(
            expand(&fifth, d(2024, 2, 29), d(2024, 1, 1), d(2024, 8, 31)),
            vec![d(2024, 2, 29), d(2024, 5, 30), d(2024, 8, 29)]
        );
    }

    #[test]
    fn yearly_on_29_february() {
        let rule = Rule::new(Frequency::Yearly);
        assert_eq!(
            expand(&rule, d(1996, 2, 29), d(1997, 1, 1), d(2012, 12, 31)),
            vec![d(2000, 2, 29), d(2004, 2, 29), d(2008, 2, 29), d(2012, 2, 29)]
        );
        let birthday = Rule::new(Frequency::Yearly);
        assert_eq!(expand(&birthday, d(1900, 12, 31), d(2099, 1, 1), d(2099, 12, 31)), vec![d(2099, 12, 31)]);
    }

    #[test]
    fn text_form_round_trips_and_rejects_junk() {
        let mut rule = Rule {
            interval: 2,
            weekdays: 42,
            end: End::Count(10),
            ..Rule::new(Frequency::Weekly)
        };
        rule.add_exception(d(2024, 1, 12));
        rule.add_exception(d(2024, 1, 5));
        let mut text = Vec::new();
        rule.encode(&mut text);
        assert_eq!(text, b"RW2;B42;C10;X20240105,20240112");
        assert_eq!(Rule::decode(&text), Some(rule));
        let until = Rule {
            nth: -1,
            end: End::Until(d(2030, 6, 1)),
            ..Rule::new(Frequency::MonthlyByWeekday)
        };
        let mut text = Vec::new();
        until.encode(&mut text);
        assert_eq!(text, b"RN1;N-1;U20300601");
        assert_eq!(Rule::decode(&text), Some(until));
        for junk in [&b"0"[..], b"", b"R", b"RQ1", b"RD0", b"RD1;Z", b"RD1;U2024", b"RD1;X20240230", b"RW1;B200", b"\xff", "RD1;\u{e9}1".as_bytes()] {
            assert_eq!(Rule::decode(junk), None, "{junk:?}");
        }
        // The longest form still fits far below the original's 1024-byte token.
        let mut full = Rule::new(Frequency::Daily);
        for i in 0..40 {
            full.add_exception(d(2024, 1, 1).add_days(i));
        }
        assert_eq!(full.exceptions.len(), MAX_EXCEPTIONS);
        let mut text = Vec::new();
        full.encode(&mut text);
        assert!(text.len() < 400 && !text.contains(&0x1D) && !text.contains(&0x1E));
    }

    #[test]
    fn covering_a_day_with_multi_day_occurrences() {
        let rule = Rule::new(Frequency::Weekly);
        // A 3-day event every week from Friday 5 January 2024.
        let first = d(2024, 1, 5);
        assert!(covers(first, 2, Some(&rule), d(2024, 1, 14)));
        assert!(!covers(first, 2, Some(&rule), d(2024, 1, 15)));
        assert!(!covers(first, 2, Some(&rule), d(2024, 1, 4)));
        assert!(covers(first, 2, None, d(2024, 1, 7)));
        assert!(!covers(first, 2, None, d(2024, 1, 12)));
    }
}
