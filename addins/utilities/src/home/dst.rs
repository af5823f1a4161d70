//! Daylight-saving reminders: on the days the chosen rule moves clocks,
//! home asks the user to adjust the calculator's clock (the calculator
//! never changes it by itself).

use prizm::time::Date;

/// Which rule the reminders follow (the settings byte `store::DST_RULE`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rule {
    /// No reminders.
    Off,
    /// European Union: last Sunday of March to last Sunday of October.
    Eu,
    /// United States: second Sunday of March to first Sunday of November.
    Us,
}

/// Names of the settings values, in byte order.
pub const RULE_NAMES: [&str; 3] = ["Off", "EU (March/October)", "US (March/November)"];

impl Rule {
    /// The rule a settings byte names; unknown bytes are [`Rule::Off`].
    pub fn from_setting(value: u8) -> Rule {
        match value {
            1 => Rule::Eu,
            2 => Rule::Us,
            _ => Rule::Off,
        }
    }

    /// The days summer time starts and ends in `year`; `None` when off.
    pub fn changes(self, year: u16) -> Option<(Date, Date)> {
        match self {
            Rule::Off => None,
            Rule::Eu => Some((last_sunday(year, 3)?, last_sunday(year, 10)?)),
            Rule::Us => Some((nth_sunday(year, 3, 2)?, nth_sunday(year, 11, 1)?)),
        }
    }
}

/// A change of the clocks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Change {
    /// Summer time starts: clocks go forward one hour.
    Forward,
    /// Summer time ends: clocks go back one hour.
    Back,
}

impl Change {
    /// The note home shows.
    pub fn reminder(self) -> &'static str {
        match self {
            Change::Forward => "Clocks go forward 1 h today.",
            Change::Back => "Clocks go back 1 h today.",
        }
    }
}

/// The change `rule` makes on `date`, if any.
pub fn change_on(rule: Rule, date: Date) -> Option<Change> {
    let (start, end) = rule.changes(date.year)?;
    if date == start {
        Some(Change::Forward)
    } else if date == end {
        Some(Change::Back)
    } else {
        None
    }
}

/// The `n`th (1-based) Sunday of a month.
fn nth_sunday(year: u16, month: u8, n: u8) -> Option<Date> {
    let first = Date::new(year, month, 1).ok()?;
    let to_sunday = (7 - i32::from(first.weekday().number_from_sunday())) % 7;
    Some(first.add_days(to_sunday + 7 * (i32::from(n) - 1)))
}

/// The last Sunday of a month (months with 31 days only: March, October).
fn last_sunday(year: u16, month: u8) -> Option<Date> {
    let last = Date::new(year, month, 31).ok()?;
    let back = i32::from(last.weekday().number_from_sunday());
    Some(last.add_days(-back))
}

#[cfg(test)]
mod tests {
    use super::*;
    use prizm::time::Weekday;

    fn is_sunday(date: Date) -> bool {
        date.weekday() == Weekday::Sunday
    }

    fn date(year: u16, month: u8, day: u8) -> Date {
        Date::new(year, month, day).unwrap()
    }

    #[test]
    fn eu_rule_matches_published_dates() {
        // Published EU changeover days.
        assert_eq!(Rule::Eu.changes(2024), Some((date(2024, 3, 31), date(2024, 10, 27))));
        assert_eq!(Rule::Eu.changes(2025), Some((date(2025, 3, 30), date(2025, 10, 26))));
        assert_eq!(Rule::Eu.changes(2026), Some((date(2026, 3, 29), date(2026, 10, 25))));
        assert_eq!(Rule::Eu.changes(2027), Some((date(2027, 3, 28), date(2027, 10, 31))));
    }

    #[test]
    fn us_rule_matches_published_dates() {
        assert_eq!(Rule::Us.changes(2024), Some((date(2024, 3, 10), date(2024, 11, 3))));
        assert_eq!(Rule::Us.changes(2025), Some((date(2025, 3, 9), date(2025, 11, 2))));
        assert_eq!(Rule::Us.changes(2026), Some((date(2026, 3, 8), date(2026, 11, 1))));
        // March starting on a Sunday: the second Sunday is the 8th.
        assert_eq!(Rule::Us.changes(2020), Some((date(2020, 3, 8), date(2020, 11, 1))));
    }

    #[test]
    fn every_year_gives_sundays_in_the_right_weeks() {
        for year in 2000..2100 {
            let (start, end) = Rule::Eu.changes(year).unwrap();
            assert!(is_sunday(start) && is_sunday(end), "{year}");
            assert!(start.month == 3 && start.day >= 25, "{year}: {start:?}");
            assert!(end.month == 10 && end.day >= 25, "{year}: {end:?}");
            let (start, end) = Rule::Us.changes(year).unwrap();
            assert!(is_sunday(start) && is_sunday(end), "{year}");
            assert!(start.month == 3 && (8..=14).contains(&start.day), "{year}: {start:?}");
            assert!(end.month == 11 && (1..=7).contains(&end.day), "{year}: {end:?}");
        }
    }

    #[test]
    fn reminders_only_on_the_change_days() {
        assert_eq!(change_on(Rule::Eu, date(2026, 3, 29)), Some(Change::Forward));
        assert_eq!(change_on(Rule::Eu, date(2026, 10, 25)), Some(Change::Back));
        assert_eq!(change_on(Rule::Eu, date(2026, 3, 8)), None);
        assert_eq!(change_on(Rule::Us, date(2026, 3, 8)), Some(Change::Forward));
        assert_eq!(change_on(Rule::Us, date(2026, 11, 1)), Some(Change::Back));
        assert_eq!(change_on(Rule::Us, date(2026, 3, 29)), None);
        assert_eq!(change_on(Rule::Off, date(2026, 3, 29)), None);
        assert_eq!(Rule::from_setting(1), Rule::Eu);
        assert_eq!(Rule::from_setting(2), Rule::Us);
        assert_eq!(Rule::from_setting(9), Rule::Off);
    }
}
