//! Month and week grids, and what each day holds: event counts and busy
//! colours computed from an in-memory index of every event, so events that
//! began in an earlier month (or repeat) show in every month they touch.

use alloc::vec::Vec;

use prizm::time::{days_in_month, Date};

use super::pce::Event;
use super::recur::{self, Rule};

/// First day of the week.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WeekStart {
    /// Sunday (the original's setting value 0).
    Sunday,
    /// Monday (value 1).
    Monday,
}

impl WeekStart {
    /// From the original's setting byte.
    pub const fn from_setting(value: u8) -> WeekStart {
        if value == 1 {
            WeekStart::Monday
        } else {
            WeekStart::Sunday
        }
    }

    /// Column (0–6) of `date` in a week.
    pub fn column(self, date: Date) -> usize {
        let sunday_based = usize::from(date.weekday().number_from_sunday());
        match self {
            WeekStart::Sunday => sunday_based,
            WeekStart::Monday => (sunday_based + 6) % 7,
        }
    }

    /// The first day of the week holding `date`.
    pub fn week_of(self, date: Date) -> Date {
        date.add_days(-(self.column(date) as i32))
    }
}

/// A month laid out in weeks: `cells[row][column]` is a day of the month
/// or `None` before the first and after the last.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MonthGrid {
    /// Weeks (4–6) of 7 cells.
    pub cells: Vec<[Option<u8>; 7]>,
}

impl MonthGrid {
    /// The grid of `year`-`month`.
    pub fn new(year: u16, month: u8, start: WeekStart) -> Option<MonthGrid> {
        let first = Date::new(year, month, 1).ok()?;
        let days = days_in_month(i32::from(year), month);
        let mut cells = Vec::new();
        let mut row = [None; 7];
        let mut column = start.column(first);
        for day in 1..=days {
            row[column] = Some(day);
            column += 1;
            if column == 7 {
                cells.push(row);
                row = [None; 7];
                column = 0;
            }
        }
        if column != 0 {
            cells.push(row);
        }
        Some(MonthGrid { cells })
    }
}

/// What the calendar views need of one event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Summary {
    /// First day.
    pub start: Date,
    /// Days after the first it lasts.
    pub extra_days: i32,
    /// Colour category.
    pub category: u8,
    /// Repetition.
    pub rule: Option<Rule>,
}

impl Summary {
    /// The summary of a stored event, if its start is a date.
    pub fn of(event: &Event) -> Option<Summary> {
        Some(Summary {
            start: event.start.date()?,
            extra_days: event.extra_days(),
            category: (event.category % 8) as u8,
            rule: event.rule.clone(),
        })
    }

    /// Whether an occurrence covers `day`.
    pub fn covers(&self, day: Date) -> bool {
        recur::covers(self.start, self.extra_days, self.rule.as_ref(), day)
    }

    /// Whether an occurrence starts on `day`.
    pub fn starts_on(&self, day: Date) -> bool {
        recur::covers(self.start, 0, self.rule.as_ref(), day)
    }
}

/// One day of a month view.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct DayMark {
    /// Events that start (an occurrence) on the day.
    pub starting: u16,
    /// Events covering the day (starting or continuing).
    pub covering: u16,
    /// Category of the first event covering the day, for the busy bar.
    pub busy: Option<u8>,
}

/// Marks for every day of a month (index 0 is day 1).
pub fn month_marks(index: &[Summary], year: u16, month: u8) -> Vec<DayMark> {
    let days = days_in_month(i32::from(year), month);
    let mut marks = alloc::vec![DayMark::default(); usize::from(days)];
    let (Ok(first), Ok(last)) = (Date::new(year, month, 1), Date::new(year, month, days)) else {
        return marks;
    };
    for summary in index {
        if summary.start > last {
            continue;
        }
        let mut visit = |start: Date| {
            for offset in 0..=summary.extra_days {
                let day = start.add_days(offset);
                if day < first {
                    continue;
                }
                if day > last {
                    break;
                }
                let mark = &mut marks[usize::from(day.day) - 1];
                mark.covering = mark.covering.saturating_add(1);
                if offset == 0 {
                    mark.starting = mark.starting.saturating_add(1);
                }
                mark.busy.get_or_insert(summary.category);
            }
        };
        let from = first.add_days(-summary.extra_days.max(0));
        match &summary.rule {
            None => {
                if summary.start >= from {
                    visit(summary.start);
                }
            }
            Some(rule) => rule.starts_between(summary.start, from, last, &mut visit),
        }
    }
    marks
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::calendar::recur::{End, Frequency};

    fn d(y: u16, m: u8, day: u8) -> Date {
        Date::new(y, m, day).unwrap()
    }

    #[test]
    fn leap_years_and_weekdays_1900_to_2099() {
        // Every year: leap rule, and 1 January's weekday moves by 1 or 2.
        let mut weekday = d(1900, 1, 1).weekday().number_from_sunday();
        assert_eq!(weekday, 1, "1 January 1900 was a Monday");
        for year in 1900..2100u16 {
            let leap = year % 4 == 0 && year != 1900;
            assert_eq!(days_in_month(i32::from(year), 2), if leap { 29 } else { 28 }, "{year}");
            assert_eq!(d(year, 1, 1).weekday().number_from_sunday(), weekday, "{year}");
            weekday = (weekday + if leap { 2 } else { 1 }) % 7;
        }
        assert_eq!(d(2099, 12, 31).days_since(d(1900, 1, 1)), 73_048);
        assert_eq!(d(2000, 3, 1).days_since(d(2000, 2, 28)), 2);
        assert_eq!(d(1900, 3, 1).days_since(d(1900, 2, 28)), 1);
    }

    #[test]
    fn month_grids() {
        // February 2026 starts on a Sunday and has exactly 4 weeks.
        let grid = MonthGrid::new(2026, 2, WeekStart::Sunday).unwrap();
        assert_eq!(grid.cells.len(), 4);
        assert_eq!(grid.cells[0][0], Some(1));
        assert_eq!(grid.cells[3][6], Some(28));
        // With Monday first it needs 5.
        let grid = MonthGrid::new(2026, 2, WeekStart::Monday).unwrap();
        assert_eq!(grid.cells.len(), 5);
        assert_eq!(grid.cells[0], [None, None, None, None, None, None, Some(1)]);
        assert_eq!(grid.cells[4][5], Some(28));
        // May 2026 (Friday 1st, 31 days) needs 6 weeks from Sunday.
        let grid = MonthGrid::new(2026, 5, WeekStart::Sunday).unwrap();
        assert_eq!(grid.cells.len(), 6);
        assert_eq!(grid.cells[5][0], Some(31));
        assert!(MonthGrid::new(2026, 13, WeekStart::Sunday).is_none());
    }

    #[test]
    fn weeks() {
        let tuesday = d(2026, 12, 1);
        assert_eq!(WeekStart::Sunday.week_of(tuesday), d(2026, 11, 29));
        assert_eq!(WeekStart::Monday.week_of(tuesday), d(2026, 11, 30));
        assert_eq!(WeekStart::Monday.week_of(d(2026, 11, 30)), d(2026, 11, 30));
        assert_eq!(WeekStart::Monday.column(d(2026, 12, 6)), 6);
    }

    #[test]
    fn marks_cover_events_from_earlier_months_and_repeats() {
        let index = alloc::vec![
            // 28 January to 3 February: shows in February too (the original did not).
            Summary { start: d(2026, 1, 28), extra_days: 6, category: 4, rule: None },
            Summary { start: d(2026, 2, 10), extra_days: 0, category: 2, rule: None },
            Summary { start: d(2026, 2, 10), extra_days: 0, category: 5, rule: None },
            // Every Monday since 2025, never in a month before it starts.
            Summary {
                start: d(2025, 12, 1),
                extra_days: 0,
                category: 6,
                rule: Some(Rule { end: End::Until(d(2026, 2, 16)), ..Rule::new(Frequency::Weekly) }),
            },
            Summary { start: d(2026, 3, 1), extra_days: 0, category: 1, rule: None },
        ];
        let marks = month_marks(&index, 2026, 2);
        assert_eq!(marks.len(), 28);
        for day in 1..=3 {
            assert_eq!(marks[day - 1].busy, Some(4), "day {day}");
        }
        assert_eq!((marks[0].starting, marks[2].starting), (0, 0));
        assert_eq!(marks[9], DayMark { starting: 2, covering: 2, busy: Some(2) });
        assert_eq!(marks[1].covering, 2, "2 Feb: the long event and a Monday");
        assert_eq!(marks[1].starting, 1);
        assert_eq!(marks[15].starting, 1, "16 Feb: the last Monday");
        assert_eq!(marks[22], DayMark::default(), "23 Feb: after the repeat ended");
        assert!(marks.iter().all(|m| m.busy != Some(1)));
        let january = month_marks(&index, 2026, 1);
        assert_eq!(january[27].starting, 1);
        assert_eq!(january[30].busy, Some(4));
        assert_eq!(month_marks(&index, 2025, 11), alloc::vec![DayMark::default(); 30]);
    }
}
