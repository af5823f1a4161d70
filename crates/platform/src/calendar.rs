//! The calendar and the real-time clock's BCD encoding: leap years, month
//! lengths, days since 1970, weekdays, and the RTC's registers and records
//! (platform facts §3.7). Proleptic Gregorian, years 1–9999; integer only.

/// Ticks of `RTC_GetTicks` per second (the counter restarts at midnight).
pub const TICKS_PER_SECOND: u32 = 128;
/// Ticks of `RTC_GetTicks` per day.
pub const TICKS_PER_DAY: u32 = TICKS_PER_SECOND * 86_400;

/// True for leap years of the Gregorian calendar.
pub const fn is_leap_year(year: i32) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

/// Days in `month` (1–12) of `year`; 0 for an invalid month.
pub const fn days_in_month(year: i32, month: u8) -> u8 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if is_leap_year(year) => 29,
        2 => 28,
        _ => 0,
    }
}

/// True if `year`-`month`-`day` is a real date within years 1–9999.
pub const fn is_valid_date(year: i32, month: u8, day: u8) -> bool {
    year >= 1 && year <= 9999 && day >= 1 && day <= days_in_month(year, month)
}

/// Days since 1970-01-01 (negative before) of a date within years 1–9999.
pub const fn days_since_epoch(year: i32, month: u8, day: u8) -> i32 {
    // Count years from 1 March so that the leap day ends the year, in
    // 400-year eras of 146 097 days.
    let (month, day) = (month as i32, day as i32);
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let year_of_era = year - era * 400;
    let month_from_march = (month + 9) % 12;
    let day_of_year = (153 * month_from_march + 2) / 5 + day - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

/// Days since 1970-01-01 of 0001-01-01 and of 9999-12-31.
pub const EPOCH_DAY_RANGE: (i32, i32) = (-719_162, 2_932_896);

/// The date (year, month, day) `days` after 1970-01-01, if within years
/// 1–9999.
pub const fn date_from_days(days: i32) -> Option<(i32, u8, u8)> {
    if days < EPOCH_DAY_RANGE.0 || days > EPOCH_DAY_RANGE.1 {
        return None;
    }
    let days = days + 719_468;
    let era = days.div_euclid(146_097);
    let day_of_era = days - era * 146_097;
    let year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let month_from_march = (5 * day_of_year + 2) / 153;
    let day = day_of_year - (153 * month_from_march + 2) / 5 + 1;
    let month = if month_from_march < 10 {
        month_from_march + 3
    } else {
        month_from_march - 9
    };
    let year = year_of_era + era * 400 + if month <= 2 { 1 } else { 0 };
    Some((year, month as u8, day as u8))
}

/// Day of the week of a day counted from 1970-01-01: 0 = Sunday … 6 =
/// Saturday (the RTC's RWKCNT numbering).
pub const fn weekday(days_since_epoch: i32) -> u8 {
    // 1970-01-01 was a Thursday.
    (days_since_epoch + 4).rem_euclid(7) as u8
}

/// Decodes one BCD byte (`0x59` → 59); `None` if a nibble is above 9.
pub const fn bcd_to_binary(bcd: u8) -> Option<u8> {
    let (high, low) = (bcd >> 4, bcd & 0x0F);
    if high > 9 || low > 9 {
        None
    } else {
        Some(high * 10 + low)
    }
}

/// Decodes a 16-bit BCD value (`0x2024` → 2024).
pub const fn bcd16_to_binary(bcd: u16) -> Option<u16> {
    match (bcd_to_binary((bcd >> 8) as u8), bcd_to_binary(bcd as u8)) {
        (Some(high), Some(low)) => Some(high as u16 * 100 + low as u16),
        _ => None,
    }
}

/// Encodes 0–99 as one BCD byte (59 → `0x59`); `None` above 99.
pub const fn binary_to_bcd(value: u8) -> Option<u8> {
    if value > 99 {
        None
    } else {
        Some(((value / 10) << 4) | (value % 10))
    }
}

/// Encodes 0–9999 as four BCD digits (2024 → `0x2024`); `None` above 9999.
pub const fn binary_to_bcd16(value: u16) -> Option<u16> {
    if value > 9999 {
        return None;
    }
    match (
        binary_to_bcd((value / 100) as u8),
        binary_to_bcd((value % 100) as u8),
    ) {
        (Some(high), Some(low)) => Some(((high as u16) << 8) | low as u16),
        _ => None,
    }
}

/// Offsets of the RTC's registers from [`crate::memory::RTC_BASE`]; all
/// counters are BCD except R64CNT and RWKCNT.
pub mod rtc {
    /// R64CNT: the 128 Hz prescaler count (binary).
    pub const R64CNT: usize = 0x00;
    /// RSECCNT: seconds.
    pub const RSECCNT: usize = 0x02;
    /// RMINCNT: minutes.
    pub const RMINCNT: usize = 0x04;
    /// RHRCNT: hours.
    pub const RHRCNT: usize = 0x06;
    /// RWKCNT: day of the week, 0 = Sunday.
    pub const RWKCNT: usize = 0x08;
    /// RDAYCNT: day of the month.
    pub const RDAYCNT: usize = 0x0A;
    /// RMONCNT: month.
    pub const RMONCNT: usize = 0x0C;
    /// RYRCNT: the year, a 16-bit word of four BCD digits.
    pub const RYRCNT: usize = 0x0E;
    /// RCR2: control; bit 0 set while the clock runs.
    pub const RCR2: usize = 0x1E;
    /// Bytes in the register block.
    pub const BLOCK_LEN: usize = 0x20;
    /// Bytes in the BCD record of `RTC_SetDateTime`: century, year, month,
    /// day, hour, minute, second.
    pub const SET_RECORD_LEN: usize = 7;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn leap_years_and_month_lengths() {
        assert!(is_leap_year(2024) && is_leap_year(2000) && is_leap_year(1600));
        assert!(!is_leap_year(1900) && !is_leap_year(2023) && !is_leap_year(2100));
        assert_eq!(days_in_month(2024, 2), 29);
        assert_eq!(days_in_month(2023, 2), 28);
        assert_eq!(days_in_month(2023, 4), 30);
        assert_eq!(days_in_month(2023, 12), 31);
        assert_eq!(days_in_month(2023, 0), 0);
        assert_eq!(days_in_month(2023, 13), 0);
        assert!(is_valid_date(2024, 2, 29) && !is_valid_date(2023, 2, 29));
        assert!(!is_valid_date(0, 1, 1) && !is_valid_date(10_000, 1, 1));
    }

    #[test]
    fn known_dates() {
        assert_eq!(days_since_epoch(1970, 1, 1), 0);
        assert_eq!(days_since_epoch(2000, 3, 1), 11_017);
        assert_eq!(days_since_epoch(1969, 12, 31), -1);
        assert_eq!(days_since_epoch(1, 1, 1), EPOCH_DAY_RANGE.0);
        assert_eq!(days_since_epoch(9999, 12, 31), EPOCH_DAY_RANGE.1);
        // 1970-01-01 Thursday, 2000-01-01 Saturday, 2026-11-23 Monday.
        assert_eq!(weekday(0), 4);
        assert_eq!(weekday(days_since_epoch(2000, 1, 1)), 6);
        assert_eq!(weekday(days_since_epoch(2026, 11, 23)), 1);
        assert_eq!(weekday(-1), 3);
        assert_eq!(date_from_days(19_782), Some((2024, 2, 29)));
    }

    #[test]
    fn days_round_trip_and_count_one_by_one() {
        let mut expected = EPOCH_DAY_RANGE.0;
        for year in [
            1, 2, 3, 4, 99, 100, 1582, 1899, 1900, 1969, 1970, 2000, 2024, 2100, 9998, 9999,
        ] {
            expected = days_since_epoch(year, 1, 1);
            for month in 1..=12 {
                for day in 1..=days_in_month(year, month) {
                    assert_eq!(
                        days_since_epoch(year, month, day),
                        expected,
                        "{year}-{month}-{day}"
                    );
                    assert_eq!(date_from_days(expected), Some((year, month, day)));
                    expected += 1;
                }
            }
        }
        assert_eq!(expected, EPOCH_DAY_RANGE.1 + 1);
        assert_eq!(date_from_days(EPOCH_DAY_RANGE.0 - 1), None);
        assert_eq!(date_from_days(EPOCH_DAY_RANGE.1 + 1), None);
        assert_eq!(date_from_days(i32::MIN), None);
        assert_eq!(date_from_days(i32::MAX), None);
    }

    #[test]
    fn bcd_round_trips() {
        for value in 0..=99u8 {
            let bcd = binary_to_bcd(value).unwrap();
            assert_eq!(bcd_to_binary(bcd), Some(value));
        }
        for value in (0..=9999u16).step_by(7).chain([9999]) {
            let bcd = binary_to_bcd16(value).unwrap();
            assert_eq!(bcd16_to_binary(bcd), Some(value));
        }
        assert_eq!(binary_to_bcd(59), Some(0x59));
        assert_eq!(binary_to_bcd16(2024), Some(0x2024));
        assert_eq!(binary_to_bcd(100), None);
        assert_eq!(binary_to_bcd16(10_000), None);
        assert_eq!(bcd_to_binary(0x5A), None);
        assert_eq!(bcd_to_binary(0xA0), None);
        assert_eq!(bcd16_to_binary(0x20F4), None);
    }

    #[test]
    fn rtc_register_offsets_match_the_documented_addresses() {
        // RSECCNT 0xA413FEC2 … RYRCNT 0xA413FECE, RCR2 0xA413FEDE.
        let base = crate::memory::RTC_BASE;
        assert_eq!(base + rtc::RSECCNT as u32, 0xA413_FEC2);
        assert_eq!(base + rtc::RYRCNT as u32, 0xA413_FECE);
        assert_eq!(base + rtc::RCR2 as u32, 0xA413_FEDE);
        const _: () = assert!(rtc::RCR2 < rtc::BLOCK_LEN);
    }
}
