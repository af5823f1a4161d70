//! The header's text fields: reading and writing NUL-padded strings, and the
//! formats of the internal name, version and date.

use std::fmt;

/// Why a text value does not have the expected format.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FormatError(pub String);

impl fmt::Display for FormatError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for FormatError {}

/// Reads a NUL-terminated string of at most `capacity` bytes from `field`.
///
/// Bytes that are not UTF-8 are decoded lossily and the result is cut to
/// `capacity` bytes on a character boundary, so it can always be written back;
/// the exact original bytes are kept by the caller as header patches.
pub(crate) fn read_field(field: &[u8], capacity: usize) -> String {
    let window = &field[..field.len().min(capacity)];
    let end = window.iter().position(|&b| b == 0).unwrap_or(window.len());
    let mut text = String::from_utf8_lossy(&window[..end]).into_owned();
    if text.len() > capacity {
        let mut cut = capacity;
        while !text.is_char_boundary(cut) {
            cut -= 1;
        }
        text.truncate(cut);
    }
    text
}

/// Checks that `text` can be stored in a field holding `capacity` bytes.
pub fn check_fits(text: &str, capacity: usize) -> Result<(), FormatError> {
    if text.len() > capacity {
        return Err(FormatError(format!(
            "{:?} is {} bytes long; the field holds at most {capacity}",
            text,
            text.len()
        )));
    }
    if text.contains('\0') {
        return Err(FormatError(format!("{text:?} contains a NUL character")));
    }
    Ok(())
}

fn digits(text: &[u8]) -> Option<u32> {
    if text.is_empty() || !text.iter().all(u8::is_ascii_digit) {
        return None;
    }
    Some(
        text.iter()
            .fold(0, |acc, &d| acc * 10 + u32::from(d - b'0')),
    )
}

/// Checks the `MM.mm.pppp` version format (for example `01.00.0000`).
pub fn check_version(version: &str) -> Result<(), FormatError> {
    let bytes = version.as_bytes();
    let ok = bytes.len() == 10
        && bytes[2] == b'.'
        && bytes[5] == b'.'
        && digits(&bytes[0..2]).is_some()
        && digits(&bytes[3..5]).is_some()
        && digits(&bytes[6..10]).is_some();
    if ok {
        Ok(())
    } else {
        Err(FormatError(format!(
            "version {version:?} is not in the form MM.mm.pppp (for example 01.00.0000)"
        )))
    }
}

/// Checks the `yyyy.MMdd.hhmm` date format, including that the date exists.
pub fn check_date(date: &str) -> Result<(), FormatError> {
    let bad = |why: &str| {
        Err(FormatError(format!(
            "date {date:?} is not a valid yyyy.MMdd.hhmm date (for example 2026.1123.1200): {why}"
        )))
    };
    let bytes = date.as_bytes();
    if bytes.len() != 14 || bytes[4] != b'.' || bytes[9] != b'.' {
        return bad("wrong shape");
    }
    let fields = [
        &bytes[0..4],
        &bytes[5..7],
        &bytes[7..9],
        &bytes[10..12],
        &bytes[12..14],
    ];
    let mut values = [0u32; 5];
    for (value, field) in values.iter_mut().zip(fields) {
        match digits(field) {
            Some(v) => *value = v,
            None => return bad("expected digits"),
        }
    }
    let [year, month, day, hour, minute] = values;
    if !(1..=12).contains(&month) {
        return bad("month out of range");
    }
    if day == 0 || day > days_in_month(year, month) {
        return bad("day out of range");
    }
    if hour > 23 || minute > 59 {
        return bad("time out of range");
    }
    Ok(())
}

fn is_leap(year: u32) -> bool {
    year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
}

fn days_in_month(year: u32, month: u32) -> u32 {
    match month {
        2 if is_leap(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// How well an internal name matches the `@NAME` convention.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum InternalNameCheck {
    /// `@` followed by 1–9 characters from `A-Z`, `0-9` and `_`.
    Conventional,
    /// Usable but unusual (for example mkg3a's default may contain spaces).
    Unusual(String),
    /// Not an internal name the OS can use.
    Invalid(String),
}

/// Classifies an internal name (field at 0x60, 11 bytes including the NUL).
pub fn check_internal_name(name: &str) -> InternalNameCheck {
    let Some(rest) = name.strip_prefix('@') else {
        return InternalNameCheck::Invalid(format!(
            "internal name {name:?} does not start with '@'"
        ));
    };
    if rest.is_empty() {
        return InternalNameCheck::Invalid("internal name is just '@'".into());
    }
    if name.len() > crate::layout::capacity::INTERNAL_NAME {
        return InternalNameCheck::Invalid(format!(
            "internal name {name:?} is longer than 10 bytes (11 with the NUL)"
        ));
    }
    if !rest.bytes().all(|b| b.is_ascii_graphic() || b == b' ') {
        return InternalNameCheck::Invalid(format!(
            "internal name {name:?} contains control or non-ASCII characters"
        ));
    }
    if rest
        .bytes()
        .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'_')
    {
        InternalNameCheck::Conventional
    } else {
        InternalNameCheck::Unusual(format!(
            "internal name {name:?} has characters other than A-Z, 0-9 and _"
        ))
    }
}

/// The internal name derived from a basic name: `@` and its letters and
/// digits upper-cased, at most 9 of them (`@ADDIN` when none are usable).
pub fn default_internal_name(basic_name: &str) -> String {
    let body: String = basic_name
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_uppercase())
        .take(9)
        .collect();
    if body.is_empty() {
        "@ADDIN".into()
    } else {
        format!("@{body}")
    }
}

/// Converts a Cargo package version (`1.2.3`, pre-release and build suffixes
/// ignored) to the `MM.mm.pppp` form (`01.02.0003`).
pub fn version_from_semver(version: &str) -> Result<String, FormatError> {
    let core = version.split(['-', '+']).next().unwrap_or_default();
    let parts: Vec<&str> = core.split('.').collect();
    let bad = || {
        FormatError(format!(
            "package version {version:?} does not fit MM.mm.pppp (major and minor at most 99, patch at most 9999)"
        ))
    };
    let [major, minor, patch] = parts[..] else {
        return Err(bad());
    };
    let (Some(major), Some(minor), Some(patch)) = (
        digits(major.as_bytes()),
        digits(minor.as_bytes()),
        digits(patch.as_bytes()),
    ) else {
        return Err(bad());
    };
    if major > 99 || minor > 99 || patch > 9999 {
        return Err(bad());
    }
    Ok(format!("{major:02}.{minor:02}.{patch:04}"))
}

/// Formats a Unix time (seconds, UTC) as `yyyy.MMdd.hhmm`.
///
/// Years outside 0..=9999 are clamped to that range so the result always has
/// the field's width.
pub fn format_date_utc(unix_seconds: i64) -> String {
    const MIN: i64 = -62_167_219_200; // 0000-01-01T00:00:00Z
    const MAX: i64 = 253_402_300_799; // 9999-12-31T23:59:59Z
    let seconds = unix_seconds.clamp(MIN, MAX);
    let days = seconds.div_euclid(86_400);
    let second_of_day = seconds.rem_euclid(86_400);
    let (year, month, day) = civil_from_days(days);
    format!(
        "{year:04}.{month:02}{day:02}.{:02}{:02}",
        second_of_day / 3600,
        second_of_day % 3600 / 60
    )
}

/// Proleptic Gregorian date of a day count relative to 1970-01-01.
fn civil_from_days(days: i64) -> (i64, i64, i64) {
    // Shift to an era-based count starting on 0000-03-01, so leap days fall
    // at the end of each year.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let day_of_era = z.rem_euclid(146_097);
    let year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let month_index = (5 * day_of_year + 2) / 153; // 0 = March
    let day = day_of_year - (153 * month_index + 2) / 5 + 1;
    let month = if month_index < 10 {
        month_index + 3
    } else {
        month_index - 9
    };
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_fields() {
        assert_eq!(read_field(b"Sample\0\0\0", 15), "Sample");
        assert_eq!(read_field(b"ABCDEFGHIJKLMNOPQRST", 15), "ABCDEFGHIJKLMNO");
        assert_eq!(read_field(b"", 15), "");
        // Invalid UTF-8 is decoded lossily and still fits.
        let lossy = read_field(&[0xFF; 20], 15);
        assert!(lossy.len() <= 15);
        assert!(lossy.starts_with('\u{FFFD}'));
    }

    #[test]
    fn versions() {
        assert!(check_version("01.00.0000").is_ok());
        assert!(check_version("02.01.0003").is_ok());
        for bad in [
            "",
            "1.0.0",
            "01.00.000",
            "01-00-0000",
            "0a.00.0000",
            "01.00.00000",
        ] {
            assert!(check_version(bad).is_err(), "{bad}");
        }
        assert_eq!(version_from_semver("1.2.3").unwrap(), "01.02.0003");
        assert_eq!(
            version_from_semver("0.10.12-beta.1+x").unwrap(),
            "00.10.0012"
        );
        assert!(version_from_semver("100.0.0").is_err());
        assert!(version_from_semver("1.2").is_err());
        assert!(version_from_semver("1.2.x").is_err());
    }

    #[test]
    fn dates() {
        assert!(check_date("2026.1123.1200").is_ok());
        assert!(check_date("2024.0229.2359").is_ok());
        for bad in [
            "",
            "2023.0229.1200",
            "2026.1323.1200",
            "2026.1100.1200",
            "2026.1123.2400",
            "2026.1123.1260",
            "2026-1123-1200",
            "2026.1123.120",
        ] {
            assert!(check_date(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn formats_unix_times() {
        assert_eq!(format_date_utc(0), "1970.0101.0000");
        assert_eq!(format_date_utc(1_795_435_200), "2026.1123.1200");
        assert_eq!(format_date_utc(951_782_400), "2000.0229.0000");
        assert_eq!(format_date_utc(-1), "1969.1231.2359");
        assert_eq!(format_date_utc(i64::MAX), "9999.1231.2359");
        assert_eq!(format_date_utc(i64::MIN), "0000.0101.0000");
        // Every formatted date is valid.
        for t in (0..4_000_000_000i64).step_by(86_399 * 37) {
            assert!(check_date(&format_date_utc(t)).is_ok(), "{t}");
        }
    }

    #[test]
    fn internal_names() {
        assert_eq!(
            check_internal_name("@SAMPLE"),
            InternalNameCheck::Conventional
        );
        assert_eq!(check_internal_name("@A_1"), InternalNameCheck::Conventional);
        assert!(matches!(
            check_internal_name("@MY APP"),
            InternalNameCheck::Unusual(_)
        ));
        assert!(matches!(
            check_internal_name("@lower"),
            InternalNameCheck::Unusual(_)
        ));
        for bad in ["", "@", "SAMPLE", "@ABCDEFGHIJ", "@A\u{1}"] {
            assert!(
                matches!(check_internal_name(bad), InternalNameCheck::Invalid(_)),
                "{bad}"
            );
        }
        assert_eq!(default_internal_name("Sample"), "@SAMPLE");
        assert_eq!(default_internal_name("my cool app 2000"), "@MYCOOLAPP");
        assert_eq!(default_internal_name("!!"), "@ADDIN");
    }
}
