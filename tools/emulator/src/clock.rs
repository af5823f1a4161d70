//! Dates and the calculator's real-time clock on top of the emulator's
//! virtual time (nanoseconds since power-on, advanced by executed
//! instructions at 58 MHz and by explicit waits).

use std::fmt;

use prizm_platform::calendar::{self, rtc};

/// Nanoseconds per second.
pub const NS_PER_SEC: u64 = 1_000_000_000;
/// The calculator's CPU clock.
pub const CPU_HZ: u64 = prizm_platform::memory::CPU_HZ as u64;

/// A calendar date and time of day (no time zone: the calculator has none).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct DateTime {
    /// Year (1970..=9999).
    pub year: u16,
    /// Month 1..=12.
    pub month: u8,
    /// Day 1..=31.
    pub day: u8,
    /// Hour 0..=23.
    pub hour: u8,
    /// Minute 0..=59.
    pub minute: u8,
    /// Second 0..=59.
    pub second: u8,
}

impl Default for DateTime {
    /// 2026-11-23 12:00:00, the emulator's default start time.
    fn default() -> Self {
        DateTime {
            year: 2026,
            month: 11,
            day: 23,
            hour: 12,
            minute: 0,
            second: 0,
        }
    }
}

impl DateTime {
    /// A validated date and time.
    pub fn new(
        year: u16,
        month: u8,
        day: u8,
        hour: u8,
        minute: u8,
        second: u8,
    ) -> Option<DateTime> {
        let valid = (1970..=9999).contains(&year)
            && (1..=12).contains(&month)
            && day >= 1
            && calendar::is_valid_date(i32::from(year), month, day)
            && hour < 24
            && minute < 60
            && second < 60;
        valid.then_some(DateTime {
            year,
            month,
            day,
            hour,
            minute,
            second,
        })
    }

    /// Parses `YYYY-MM-DD HH:MM:SS` (a `T` may separate date and time; the
    /// time or its seconds may be left out).
    pub fn parse(text: &str) -> Option<DateTime> {
        let text = text.trim();
        let (date, time) = match text.find([' ', 'T']) {
            Some(i) => (&text[..i], text[i + 1..].trim()),
            None => (text, ""),
        };
        let mut d = date.split('-');
        let year = d.next()?.parse().ok()?;
        let month = d.next()?.parse().ok()?;
        let day = d.next()?.parse().ok()?;
        if d.next().is_some() {
            return None;
        }
        let (mut hour, mut minute, mut second) = (0, 0, 0);
        if !time.is_empty() {
            let mut t = time.split(':');
            hour = t.next()?.parse().ok()?;
            minute = t.next()?.parse().ok()?;
            if let Some(s) = t.next() {
                second = s.parse().ok()?;
            }
            if t.next().is_some() {
                return None;
            }
        }
        DateTime::new(year, month, day, hour, minute, second)
    }

    /// Seconds since 1970-01-01 00:00:00.
    pub fn to_unix(self) -> i64 {
        i64::from(self.days_since_epoch()) * 86_400
            + i64::from(self.hour) * 3600
            + i64::from(self.minute) * 60
            + i64::from(self.second)
    }

    /// From seconds since 1970 (clamped to the supported years).
    pub fn from_unix(seconds: i64) -> DateTime {
        let seconds = seconds.clamp(0, 253_402_300_799);
        let days = seconds.div_euclid(86_400);
        let rest = seconds.rem_euclid(86_400);
        // The clamp keeps the day inside years 1970–9999.
        let (year, month, day) = calendar::date_from_days(days as i32).unwrap_or((9999, 12, 31));
        DateTime {
            year: year as u16,
            month,
            day,
            hour: (rest / 3600) as u8,
            minute: (rest / 60 % 60) as u8,
            second: (rest % 60) as u8,
        }
    }

    /// Day of the week, 0 = Sunday.
    pub fn weekday(self) -> u8 {
        calendar::weekday(self.days_since_epoch())
    }

    fn days_since_epoch(self) -> i32 {
        calendar::days_since_epoch(i32::from(self.year), self.month, self.day)
    }
}

impl fmt::Display for DateTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{:04}-{:02}-{:02} {:02}:{:02}:{:02}",
            self.year, self.month, self.day, self.hour, self.minute, self.second
        )
    }
}

/// BCD of the last two decimal digits of `value`.
fn bcd(value: u32) -> u8 {
    calendar::binary_to_bcd((value % 100) as u8).unwrap_or(0)
}

/// The wall clock: a start date plus virtual time, adjustable by the add-in.
#[derive(Debug, Clone)]
pub struct Clock {
    /// Wall time (ns since 1970) at virtual time 0.
    origin_ns: i128,
}

impl Clock {
    /// A clock reading `start` at virtual time 0.
    pub fn new(start: DateTime) -> Clock {
        Clock {
            origin_ns: i128::from(start.to_unix()) * i128::from(NS_PER_SEC),
        }
    }

    fn wall_ns(&self, virtual_ns: u64) -> i128 {
        self.origin_ns + i128::from(virtual_ns)
    }

    /// Date and time at `virtual_ns`.
    pub fn now(&self, virtual_ns: u64) -> DateTime {
        DateTime::from_unix((self.wall_ns(virtual_ns) / i128::from(NS_PER_SEC)) as i64)
    }

    /// Nanoseconds since midnight.
    pub fn ns_of_day(&self, virtual_ns: u64) -> u64 {
        self.wall_ns(virtual_ns)
            .rem_euclid(86_400 * i128::from(NS_PER_SEC)) as u64
    }

    /// `RTC_GetTicks`: 1/128 s since midnight.
    pub fn ticks(&self, virtual_ns: u64) -> u32 {
        (self.ns_of_day(virtual_ns) * u64::from(calendar::TICKS_PER_SECOND) / NS_PER_SEC) as u32
    }

    /// Sets the date and time (`RTC_SetDateTime`).
    pub fn set(&mut self, now: DateTime, virtual_ns: u64) {
        self.origin_ns =
            i128::from(now.to_unix()) * i128::from(NS_PER_SEC) - i128::from(virtual_ns);
    }

    /// Sets the clock from the 7-byte BCD record of `RTC_SetDateTime`:
    /// century, year, month, day, hour, minute, second. Returns `false`
    /// (changing nothing) for an invalid record.
    pub fn set_from_bcd(&mut self, record: &[u8], virtual_ns: u64) -> bool {
        let digits: Option<Vec<u8>> = record
            .iter()
            .take(rtc::SET_RECORD_LEN)
            .map(|b| calendar::bcd_to_binary(*b))
            .collect();
        let Some(d) = digits.filter(|d| d.len() == rtc::SET_RECORD_LEN) else {
            return false;
        };
        let year = u16::from(d[0]) * 100 + u16::from(d[1]);
        match DateTime::new(year, d[2], d[3], d[4], d[5], d[6]) {
            Some(now) => {
                self.set(now, virtual_ns);
                true
            }
            None => false,
        }
    }

    /// The RTC register block (BCD).
    pub fn registers(&self, virtual_ns: u64) -> [u8; rtc::BLOCK_LEN] {
        let now = self.now(virtual_ns);
        let sub = self.ns_of_day(virtual_ns) % NS_PER_SEC;
        let mut r = [0u8; rtc::BLOCK_LEN];
        r[rtc::R64CNT] = (sub * u64::from(calendar::TICKS_PER_SECOND) / NS_PER_SEC) as u8;
        r[rtc::RSECCNT] = bcd(u32::from(now.second));
        r[rtc::RMINCNT] = bcd(u32::from(now.minute));
        r[rtc::RHRCNT] = bcd(u32::from(now.hour));
        r[rtc::RWKCNT] = now.weekday();
        r[rtc::RDAYCNT] = bcd(u32::from(now.day));
        r[rtc::RMONCNT] = bcd(u32::from(now.month));
        let year = calendar::binary_to_bcd16(now.year).unwrap_or(0);
        r[rtc::RYRCNT..rtc::RYRCNT + 2].copy_from_slice(&year.to_be_bytes());
        r[rtc::RCR2] = 0x01; // running
        r
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn date_arithmetic_round_trips() {
        for seconds in (0..2_000_000_000i64).step_by(86_400 * 37 + 4001) {
            assert_eq!(DateTime::from_unix(seconds).to_unix(), seconds);
        }
        assert_eq!(DateTime::new(1970, 1, 1, 0, 0, 0).unwrap().to_unix(), 0);
        assert_eq!(
            DateTime::new(2000, 3, 1, 0, 0, 0).unwrap().to_unix(),
            951_868_800
        );
        let t = DateTime::default();
        assert_eq!(DateTime::from_unix(t.to_unix()), t);
        assert_eq!(t.weekday(), 1); // 2026-11-23 is a Monday
    }

    #[test]
    fn parsing() {
        assert_eq!(
            DateTime::parse("2026-11-23 12:00:00"),
            Some(DateTime::default())
        );
        assert_eq!(
            DateTime::parse("2026-11-23T12:00"),
            Some(DateTime::default())
        );
        assert_eq!(DateTime::parse("2024-02-29").map(|d| d.day), Some(29));
        assert_eq!(DateTime::parse("2023-02-29"), None);
        assert_eq!(DateTime::parse("2026-13-01"), None);
        assert_eq!(DateTime::parse("yesterday"), None);
        assert_eq!(DateTime::parse("2026-11-23 25:00"), None);
        assert_eq!(DateTime::parse(""), None);
    }

    #[test]
    fn ticks_restart_at_midnight() {
        let clock = Clock::new(DateTime::new(2026, 1, 1, 23, 59, 59).unwrap());
        assert_eq!(clock.ticks(0), (86_399 * 128) as u32);
        assert_eq!(clock.ticks(NS_PER_SEC), 0);
        assert_eq!(clock.now(NS_PER_SEC).day, 2);
    }

    #[test]
    fn registers_are_bcd() {
        let clock = Clock::new(DateTime::new(2026, 11, 23, 12, 34, 56).unwrap());
        let r = clock.registers(NS_PER_SEC / 2);
        assert_eq!(r[2], 0x56);
        assert_eq!(r[4], 0x34);
        assert_eq!(r[6], 0x12);
        assert_eq!(r[0x0A], 0x23);
        assert_eq!(r[0x0C], 0x11);
        assert_eq!(&r[0x0E..0x10], &[0x20, 0x26]);
        assert_eq!(r[0], 64);
    }

    #[test]
    fn setting_the_clock() {
        let mut clock = Clock::new(DateTime::default());
        assert!(clock.set_from_bcd(&[0x20, 0x30, 0x01, 0x02, 0x03, 0x04, 0x05], 5 * NS_PER_SEC));
        assert_eq!(
            clock.now(5 * NS_PER_SEC),
            DateTime::new(2030, 1, 2, 3, 4, 5).unwrap()
        );
        assert_eq!(clock.now(6 * NS_PER_SEC).second, 6);
        assert!(!clock.set_from_bcd(&[0x20, 0x30, 0x13, 0x02, 0x03, 0x04, 0x05], 0));
        assert!(!clock.set_from_bcd(&[0x2A], 0));
    }
}
