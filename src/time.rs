//! Time: the OS's 1/128-second tick counter, elapsed-time measurement
//! that survives midnight, sleeping, the real-time clock's date and time,
//! and date arithmetic (pure, host-tested).
//!
//! ```no_run
//! use prizm::time::{self, Instant};
//!
//! let start = Instant::now();
//! time::sleep_ms(250);
//! prizm::debug_println!("slept {} ms", start.elapsed_ms());
//! if let Ok(now) = time::now() {
//!     prizm::debug_println!("{} is a {:?}", now.date, now.date.weekday());
//! }
//! ```

use core::fmt;
use core::time::Duration;

use crate::syscall;

use prizm_platform::calendar::{self, rtc};

pub use prizm_platform::calendar::{
    bcd16_to_binary, bcd_to_binary, days_in_month, is_leap_year, TICKS_PER_DAY, TICKS_PER_SECOND,
};

/// Ticks of 1/128 s since midnight (`RTC_GetTicks`).
pub fn ticks() -> u32 {
    // SAFETY: no arguments.
    (unsafe { syscall::RTC_GetTicks() }).rem_euclid(TICKS_PER_DAY as i32) as u32
}

/// Ticks from `earlier` to `later`, both tick-counter values, assuming
/// less than a day passed (so one midnight wrap is handled).
pub const fn ticks_between(earlier: u32, later: u32) -> u32 {
    (later % TICKS_PER_DAY + TICKS_PER_DAY - earlier % TICKS_PER_DAY) % TICKS_PER_DAY
}

/// Converts ticks to milliseconds.
pub const fn ticks_to_ms(ticks: u32) -> u32 {
    ((ticks as u64 * 1000) / TICKS_PER_SECOND as u64) as u32
}

/// A moment measured with the tick counter, for timing things shorter
/// than a day (midnight in between is fine).
///
/// ```
/// use prizm::time::{Instant, TICKS_PER_DAY};
/// let before_midnight = Instant::from_ticks(TICKS_PER_DAY - 64);
/// let after_midnight = Instant::from_ticks(64);
/// assert_eq!(after_midnight.ticks_since(before_midnight), 128);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Instant {
    ticks: u32,
}

impl Instant {
    /// Now.
    pub fn now() -> Instant {
        Instant { ticks: ticks() }
    }

    /// The instant at a tick-counter value.
    pub const fn from_ticks(ticks: u32) -> Instant {
        Instant {
            ticks: ticks % TICKS_PER_DAY,
        }
    }

    /// The tick-counter value.
    pub const fn ticks(self) -> u32 {
        self.ticks
    }

    /// Ticks from `earlier` to `self`.
    pub const fn ticks_since(self, earlier: Instant) -> u32 {
        ticks_between(earlier.ticks, self.ticks)
    }

    /// Time from `earlier` to `self`.
    pub fn duration_since(self, earlier: Instant) -> Duration {
        Duration::from_millis(u64::from(ticks_to_ms(self.ticks_since(earlier))))
    }

    /// Ticks since this instant.
    pub fn elapsed_ticks(self) -> u32 {
        Instant::now().ticks_since(self)
    }

    /// Milliseconds since this instant (resolution 1/128 s).
    pub fn elapsed_ms(self) -> u32 {
        ticks_to_ms(self.elapsed_ticks())
    }

    /// Time since this instant.
    pub fn elapsed(self) -> Duration {
        Instant::now().duration_since(self)
    }
}

/// Waits `ms` milliseconds (`OS_InnerWait_ms`).
pub fn sleep_ms(ms: u32) {
    // SAFETY: plain integer argument.
    unsafe { syscall::OS_InnerWait_ms(ms.min(i32::MAX as u32) as i32) }
}

/// Waits for `duration` (millisecond resolution).
pub fn sleep(duration: Duration) {
    sleep_ms(duration.as_millis().min(u128::from(u32::MAX)) as u32)
}

/// A day of the week.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[allow(missing_docs)]
pub enum Weekday {
    Sunday,
    Monday,
    Tuesday,
    Wednesday,
    Thursday,
    Friday,
    Saturday,
}

impl Weekday {
    /// Days in order from Sunday.
    pub const ALL: [Weekday; 7] = [
        Weekday::Sunday,
        Weekday::Monday,
        Weekday::Tuesday,
        Weekday::Wednesday,
        Weekday::Thursday,
        Weekday::Friday,
        Weekday::Saturday,
    ];

    /// 0 for Sunday … 6 for Saturday.
    pub const fn number_from_sunday(self) -> u8 {
        self as u8
    }

    /// The English name.
    pub const fn name(self) -> &'static str {
        match self {
            Weekday::Sunday => "Sunday",
            Weekday::Monday => "Monday",
            Weekday::Tuesday => "Tuesday",
            Weekday::Wednesday => "Wednesday",
            Weekday::Thursday => "Thursday",
            Weekday::Friday => "Friday",
            Weekday::Saturday => "Saturday",
        }
    }
}

/// Why a date, a time or the clock is invalid.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ClockError {
    /// A field is out of range (month 13, 30 February, hour 24, …).
    OutOfRange,
    /// The clock's registers do not hold valid BCD (the clock was never
    /// set, for example after the batteries were removed).
    NotSet,
}

impl fmt::Display for ClockError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            ClockError::OutOfRange => "Date or time out of range",
            ClockError::NotSet => "Clock not set",
        })
    }
}

/// A calendar date (proleptic Gregorian, years 1–9999).
///
/// ```
/// use prizm::time::{Date, Weekday};
/// let date = Date::new(2024, 2, 28).unwrap();
/// assert_eq!(date.add_days(1), Date::new(2024, 2, 29).unwrap());
/// assert_eq!(date.weekday(), Weekday::Wednesday);
/// assert_eq!(Date::new(2025, 1, 1).unwrap().days_since(date), 308);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Date {
    /// Year, 1–9999.
    pub year: u16,
    /// Month, 1–12.
    pub month: u8,
    /// Day of the month, from 1.
    pub day: u8,
}

impl Date {
    /// A validated date.
    pub const fn new(year: u16, month: u8, day: u8) -> Result<Date, ClockError> {
        if !calendar::is_valid_date(year as i32, month, day) {
            return Err(ClockError::OutOfRange);
        }
        Ok(Date { year, month, day })
    }

    /// Days since 1970-01-01 (negative before).
    pub const fn days_since_epoch(self) -> i32 {
        calendar::days_since_epoch(self.year as i32, self.month, self.day)
    }

    /// The date `days` after 1970-01-01, if within years 1–9999.
    pub const fn from_days_since_epoch(days: i32) -> Option<Date> {
        match calendar::date_from_days(days) {
            Some((year, month, day)) => Some(Date {
                year: year as u16,
                month,
                day,
            }),
            None => None,
        }
    }

    /// The day of the week.
    pub const fn weekday(self) -> Weekday {
        Weekday::ALL[calendar::weekday(self.days_since_epoch()) as usize]
    }

    /// The date `days` later (earlier if negative), clamped to years 1–9999.
    pub const fn add_days(self, days: i32) -> Date {
        let target = self.days_since_epoch().saturating_add(days);
        match Date::from_days_since_epoch(target) {
            Some(date) => date,
            None if days < 0 => Date {
                year: 1,
                month: 1,
                day: 1,
            },
            None => Date {
                year: 9999,
                month: 12,
                day: 31,
            },
        }
    }

    /// Days from `earlier` to `self` (negative if `earlier` is later).
    pub const fn days_since(self, earlier: Date) -> i32 {
        self.days_since_epoch() - earlier.days_since_epoch()
    }

    /// Day of the year, 1–366.
    pub const fn ordinal(self) -> u16 {
        let start = Date {
            year: self.year,
            month: 1,
            day: 1,
        };
        (self.days_since(start) + 1) as u16
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

/// A time of day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Time {
    /// Hour, 0–23.
    pub hour: u8,
    /// Minute, 0–59.
    pub minute: u8,
    /// Second, 0–59.
    pub second: u8,
}

impl Time {
    /// A validated time.
    pub const fn new(hour: u8, minute: u8, second: u8) -> Result<Time, ClockError> {
        if hour > 23 || minute > 59 || second > 59 {
            return Err(ClockError::OutOfRange);
        }
        Ok(Time {
            hour,
            minute,
            second,
        })
    }

    /// The time a tick-counter value stands for.
    pub const fn from_ticks(ticks: u32) -> Time {
        let seconds = (ticks % TICKS_PER_DAY) / TICKS_PER_SECOND;
        Time {
            hour: (seconds / 3600) as u8,
            minute: (seconds / 60 % 60) as u8,
            second: (seconds % 60) as u8,
        }
    }

    /// Seconds since midnight.
    pub const fn seconds_since_midnight(self) -> u32 {
        self.hour as u32 * 3600 + self.minute as u32 * 60 + self.second as u32
    }
}

impl fmt::Display for Time {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:02}:{:02}:{:02}", self.hour, self.minute, self.second)
    }
}

/// A date and a time of day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct DateTime {
    /// The date.
    pub date: Date,
    /// The time of day.
    pub time: Time,
}

impl fmt::Display for DateTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.date, self.time)
    }
}

/// The RTC's registers as read: BCD values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct RtcRegisters {
    /// RYRCNT, 4 BCD digits.
    pub year: u16,
    /// RMONCNT.
    pub month: u8,
    /// RDAYCNT.
    pub day: u8,
    /// RHRCNT.
    pub hour: u8,
    /// RMINCNT.
    pub minute: u8,
    /// RSECCNT.
    pub second: u8,
}

impl RtcRegisters {
    /// Decodes and validates the registers. Anything but a valid date and
    /// time means the clock was never set: [`ClockError::NotSet`].
    pub const fn decode(self) -> Result<DateTime, ClockError> {
        let (Some(year), Some(month), Some(day), Some(hour), Some(minute), Some(second)) = (
            bcd16_to_binary(self.year),
            bcd_to_binary(self.month),
            bcd_to_binary(self.day),
            bcd_to_binary(self.hour),
            bcd_to_binary(self.minute),
            bcd_to_binary(self.second),
        ) else {
            return Err(ClockError::NotSet);
        };
        match (Date::new(year, month, day), Time::new(hour, minute, second)) {
            (Ok(date), Ok(time)) => Ok(DateTime { date, time }),
            _ => Err(ClockError::NotSet),
        }
    }
}

/// Base address of the real-time clock's registers.
pub const RTC_BASE: usize = prizm_platform::memory::RTC_BASE as usize;

/// Reads the RTC's registers once (volatile reads).
pub fn read_rtc_registers() -> RtcRegisters {
    // SAFETY: the RTC's counters at 0xA413FEC0 + 2..0xE are readable
    // registers (docs/platform.md §3.8.2); RYRCNT is a 2-aligned 16-bit word.
    unsafe {
        RtcRegisters {
            second: crate::hw::read_u8(RTC_BASE + rtc::RSECCNT),
            minute: crate::hw::read_u8(RTC_BASE + rtc::RMINCNT),
            hour: crate::hw::read_u8(RTC_BASE + rtc::RHRCNT),
            day: crate::hw::read_u8(RTC_BASE + rtc::RDAYCNT),
            month: crate::hw::read_u8(RTC_BASE + rtc::RMONCNT),
            year: crate::hw::read_u16(RTC_BASE + rtc::RYRCNT),
        }
    }
}

/// The current date and time from the real-time clock.
pub fn now() -> Result<DateTime, ClockError> {
    // Read until two reads agree, so a carry (23:59:59 → 00:00:00) in the
    // middle of a read cannot mix two moments.
    let mut previous = read_rtc_registers();
    for _ in 0..4 {
        let current = read_rtc_registers();
        if current == previous {
            break;
        }
        previous = current;
    }
    previous.decode()
}

/// The current time of day and milliseconds (`RTC_GetTime`).
pub fn time_of_day() -> Result<(Time, u16), ClockError> {
    let (mut hour, mut minute, mut second, mut millisecond) = (0u32, 0u32, 0u32, 0u32);
    // SAFETY: four valid out-pointers.
    unsafe { syscall::RTC_GetTime(&mut hour, &mut minute, &mut second, &mut millisecond) };
    let narrow = |value: u32| u8::try_from(value).map_err(|_| ClockError::OutOfRange);
    let time = Time::new(narrow(hour)?, narrow(minute)?, narrow(second)?)?;
    Ok((time, millisecond.min(999) as u16))
}

#[cfg(test)]
mod tests {
    use super::*;

    prizm_test! {
        fn leap_years_and_month_lengths() {
            assert!(is_leap_year(2000) && is_leap_year(2024) && is_leap_year(1600));
            assert!(!is_leap_year(1900) && !is_leap_year(2023) && !is_leap_year(2100));
            assert_eq!(days_in_month(2024, 2), 29);
            assert_eq!(days_in_month(2023, 2), 28);
            assert_eq!(days_in_month(2023, 4), 30);
            assert_eq!(days_in_month(2023, 12), 31);
            assert_eq!(days_in_month(2023, 13), 0);
            assert_eq!(days_in_month(2023, 0), 0);
        }
    }

    prizm_test! {
        fn known_dates() {
            let epoch = Date::new(1970, 1, 1).unwrap();
            assert_eq!(epoch.days_since_epoch(), 0);
            assert_eq!(epoch.weekday(), Weekday::Thursday);
            assert_eq!(Date::new(2000, 3, 1).unwrap().days_since_epoch(), 11_017);
            assert_eq!(Date::new(1969, 12, 31).unwrap().days_since_epoch(), -1);
            assert_eq!(Date::new(2000, 1, 1).unwrap().weekday(), Weekday::Saturday);
            assert_eq!(Date::new(2026, 5, 19).unwrap().weekday(), Weekday::Tuesday);
            assert_eq!(Date::new(1, 1, 1).unwrap().weekday(), Weekday::Monday);
            assert_eq!(Date::new(2024, 12, 31).unwrap().ordinal(), 366);
            assert_eq!(Date::new(2023, 3, 1).unwrap().ordinal(), 60);
        }
    }

    /// Checks that `date` is followed by `next`, one calendar day later.
    fn assert_next_day(date: Date, next: Date) {
        let expected = if date.day == days_in_month(date.year as i32, date.month) {
            if date.month == 12 {
                (date.year + 1, 1, 1)
            } else {
                (date.year, date.month + 1, 1)
            }
        } else {
            (date.year, date.month, date.day + 1)
        };
        assert_eq!((next.year, next.month, next.day), expected, "after {date}");
    }

    prizm_test! {
        fn days_round_trip_and_count_one_by_one() {
            // Every day from 1890 to 2110 (three century boundaries, 2000
            // included), then samples across the whole range.
            let mut date = Date::new(1890, 1, 1).unwrap();
            let mut days = date.days_since_epoch();
            while date.year < 2110 {
                let next = date.add_days(1);
                assert_eq!(next.days_since_epoch(), days + 1, "{date}");
                assert_eq!(Date::from_days_since_epoch(days + 1), Some(next));
                assert_next_day(date, next);
                date = next;
                days += 1;
            }
            let first = Date::new(1, 1, 1).unwrap().days_since_epoch();
            let last = Date::new(9999, 12, 31).unwrap().days_since_epoch();
            assert_eq!(Date::from_days_since_epoch(first - 1), None);
            assert_eq!(Date::from_days_since_epoch(last + 1), None);
            let mut day = first;
            while day < last {
                let date = Date::from_days_since_epoch(day).unwrap();
                assert_eq!(date.days_since_epoch(), day);
                assert_next_day(date, Date::from_days_since_epoch(day + 1).unwrap());
                day += 97;
            }
        }
    }

    prizm_test! {
        fn adding_and_subtracting_days() {
            let date = Date::new(2023, 12, 31).unwrap();
            assert_eq!(date.add_days(1), Date::new(2024, 1, 1).unwrap());
            assert_eq!(date.add_days(-365), Date::new(2022, 12, 31).unwrap());
            assert_eq!(date.add_days(60), Date::new(2024, 2, 29).unwrap());
            assert_eq!(date.add_days(i32::MAX), Date::new(9999, 12, 31).unwrap());
            assert_eq!(date.add_days(i32::MIN), Date::new(1, 1, 1).unwrap());
            assert_eq!(Date::new(2024, 3, 1).unwrap().days_since(Date::new(2024, 2, 1).unwrap()), 29);
            assert_eq!(Date::new(2023, 2, 1).unwrap().days_since(Date::new(2023, 3, 1).unwrap()), -28);
        }
    }

    prizm_test! {
        fn invalid_dates_and_times() {
            assert_eq!(Date::new(2023, 2, 29), Err(ClockError::OutOfRange));
            assert_eq!(Date::new(0, 1, 1), Err(ClockError::OutOfRange));
            assert_eq!(Date::new(2023, 13, 1), Err(ClockError::OutOfRange));
            assert_eq!(Date::new(2023, 1, 0), Err(ClockError::OutOfRange));
            assert_eq!(Time::new(24, 0, 0), Err(ClockError::OutOfRange));
            assert_eq!(Time::new(23, 60, 0), Err(ClockError::OutOfRange));
            assert!(Time::new(23, 59, 59).is_ok());
        }
    }

    prizm_test! {
        fn bcd_and_registers() {
            assert_eq!(bcd_to_binary(0x59), Some(59));
            assert_eq!(bcd_to_binary(0x5A), None);
            assert_eq!(bcd_to_binary(0xA0), None);
            assert_eq!(bcd16_to_binary(0x2024), Some(2024));
            assert_eq!(bcd16_to_binary(0x20F4), None);
            let registers = RtcRegisters { year: 0x2024, month: 0x02, day: 0x29, hour: 0x23, minute: 0x59, second: 0x58 };
            let decoded = registers.decode().unwrap();
            assert_eq!(alloc::format!("{decoded}"), "2024-02-29 23:59:58");
            assert_eq!(RtcRegisters { year: 0x2023, ..registers }.decode(), Err(ClockError::NotSet));
            assert_eq!(RtcRegisters { hour: 0xFF, ..registers }.decode(), Err(ClockError::NotSet));
            assert_eq!(RtcRegisters::default().decode(), Err(ClockError::NotSet));
        }
    }

    prizm_test! {
        fn ticks_survive_midnight() {
            assert_eq!(ticks_between(100, 228), 128);
            assert_eq!(ticks_between(TICKS_PER_DAY - 1, 0), 1);
            assert_eq!(ticks_between(TICKS_PER_DAY - 128, 128), 256);
            assert_eq!(ticks_between(5, 5), 0);
            assert_eq!(ticks_to_ms(128), 1000);
            assert_eq!(ticks_to_ms(1), 7);
            let a = Instant::from_ticks(TICKS_PER_DAY - 10);
            let b = Instant::from_ticks(TICKS_PER_DAY + 22);
            assert_eq!(b.ticks(), 22);
            assert_eq!(b.duration_since(a), Duration::from_millis(250));
            assert_eq!(Time::from_ticks(128 * 3661), Time::new(1, 1, 1).unwrap());
            assert_eq!(Time::from_ticks(TICKS_PER_DAY - 1), Time::new(23, 59, 59).unwrap());
            assert_eq!(Time::new(1, 1, 1).unwrap().seconds_since_midnight(), 3661);
        }
    }
}
