//! Time as CGlock keeps it: seconds since 2000-01-01 00:00 on the
//! calculator's clock (a `u32` that lasts past 2100 and survives
//! power-off, unlike the tick counter), and the lock screen's formats.
//! The calendar itself is `prizm::time`'s.

use core::fmt::Write;

use prizm::time::{Date, DateTime, Time};

/// Days from 1970-01-01 to 2000-01-01.
const DAYS_1970_TO_2000: i32 = 10_957;

const MONTH_NAMES: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// Seconds since 2000-01-01 00:00:00 (0 for anything earlier, the
/// maximum for anything after 2136).
pub fn seconds_since_2000(moment: &DateTime) -> u32 {
    let days = moment.date.days_since_epoch() - DAYS_1970_TO_2000;
    if days < 0 {
        return 0;
    }
    let seconds = days as u64 * 86_400 + moment.time.seconds_since_midnight() as u64;
    seconds.min(u32::MAX as u64) as u32
}

/// The moment `seconds` after 2000-01-01 00:00:00.
pub fn from_seconds_since_2000(seconds: u32) -> DateTime {
    let days = (seconds / 86_400) as i32 + DAYS_1970_TO_2000;
    let in_day = seconds % 86_400;
    // Always in range: u32 seconds end in 2136.
    let date = Date::from_days_since_epoch(days).unwrap_or(Date {
        year: 2000,
        month: 1,
        day: 1,
    });
    let time = Time {
        hour: (in_day / 3600) as u8,
        minute: (in_day / 60 % 60) as u8,
        second: (in_day % 60) as u8,
    };
    DateTime { date, time }
}

/// "14:05" (24-hour).
pub fn format_time(moment: &DateTime, out: &mut heapless::String<8>) {
    out.clear();
    let _ = write!(out, "{:02}:{:02}", moment.time.hour, moment.time.minute);
}

/// "Monday 23 Nov 2026".
pub fn format_date(moment: &DateTime, out: &mut heapless::String<32>) {
    out.clear();
    let date = moment.date;
    let month = MONTH_NAMES[(date.month.clamp(1, 12) - 1) as usize];
    let _ = write!(
        out,
        "{} {} {} {}",
        date.weekday().name(),
        date.day,
        month,
        date.year
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(year: u16, month: u8, day: u8, hour: u8, minute: u8, second: u8) -> DateTime {
        DateTime {
            date: Date::new(year, month, day).unwrap(),
            time: Time::new(hour, minute, second).unwrap(),
        }
    }

    #[test]
    fn seconds_since_2000_known_values() {
        assert_eq!(seconds_since_2000(&at(2000, 1, 1, 0, 0, 0)), 0);
        assert_eq!(seconds_since_2000(&at(2000, 1, 2, 0, 0, 1)), 86_401);
        assert_eq!(
            seconds_since_2000(&at(2000, 3, 1, 0, 0, 0)),
            60 * 86_400,
            "2000 was a leap year"
        );
        // Unix time 1 700 000 000 is 2023-11-14 22:13:20; 2000 began at 946 684 800.
        assert_eq!(
            seconds_since_2000(&at(2023, 11, 14, 22, 13, 20)),
            1_700_000_000 - 946_684_800
        );
        assert_eq!(seconds_since_2000(&at(1999, 12, 31, 23, 59, 59)), 0);
        assert_eq!(seconds_since_2000(&at(2200, 1, 1, 0, 0, 0)), u32::MAX);
    }

    #[test]
    fn round_trip() {
        for seconds in [
            0u32,
            59,
            86_399,
            86_400,
            5_097_599,
            123_456_789,
            753_000_000,
            3_155_759_999,
            u32::MAX,
        ] {
            let moment = from_seconds_since_2000(seconds);
            assert_eq!(seconds_since_2000(&moment), seconds, "{moment:?}");
        }
        assert_eq!(
            from_seconds_since_2000(3_155_759_999),
            at(2099, 12, 31, 23, 59, 59)
        );
    }

    #[test]
    fn formats() {
        let moment = at(2026, 11, 23, 9, 5, 0);
        let mut time = heapless::String::new();
        format_time(&moment, &mut time);
        assert_eq!(time.as_str(), "09:05");
        let mut date = heapless::String::new();
        format_date(&moment, &mut date);
        assert_eq!(date.as_str(), "Monday 23 Nov 2026");
        format_date(&at(2024, 9, 25, 0, 0, 0), &mut date);
        assert_eq!(
            date.as_str(),
            "Wednesday 25 Sep 2024",
            "the longest weekday fits"
        );
    }
}
