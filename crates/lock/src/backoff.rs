//! Growing waits after wrong secrets, so that trying PINs on the keypad
//! takes longer than anyone will sit there.
//!
//! No wait for the first [`FREE_FAILURES`] failures, [`FIRST_WAIT`]
//! seconds after the next one, doubling after each further failure up to
//! [`MAX_WAIT`]. Trying all 10 000 four-digit PINs then takes more than a
//! year of waiting.

/// Failures allowed without any wait.
pub const FREE_FAILURES: u32 = 4;
/// The wait after failure number `FREE_FAILURES + 1`, in seconds.
pub const FIRST_WAIT: u32 = 30;
/// The longest wait, in seconds (one hour).
pub const MAX_WAIT: u32 = 3600;

/// Seconds to wait after the `failures`-th consecutive failure.
pub fn wait_after(failures: u32) -> u32 {
    if failures <= FREE_FAILURES {
        return 0;
    }
    let doublings = failures - FREE_FAILURES - 1;
    if doublings >= 8 {
        // 30 × 2^7 already exceeds an hour.
        return MAX_WAIT;
    }
    (FIRST_WAIT << doublings).min(MAX_WAIT)
}

/// How long input stays refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Lockout {
    /// Seconds left; 0 when input is allowed.
    pub remaining: u32,
    /// The clock is now before the last failure (it was reset or set
    /// back): the caller should restart the wait from now by storing `now`
    /// as the last failure, or the wait could last until the old date.
    pub clock_went_back: bool,
}

/// The lockout at time `now` after `failures` failures, the last at
/// `last_failure` (both in seconds on the same clock).
pub fn lockout(failures: u32, last_failure: u32, now: u32) -> Lockout {
    let wait = wait_after(failures);
    if now < last_failure {
        return Lockout {
            remaining: wait,
            clock_went_back: wait > 0,
        };
    }
    let elapsed = now - last_failure;
    Lockout {
        remaining: wait.saturating_sub(elapsed),
        clock_went_back: false,
    }
}

/// Formats a wait as `m:ss` (or `h:mm:ss` from an hour on) into `out`.
pub fn format_wait(seconds: u32, out: &mut heapless::String<16>) {
    use core::fmt::Write;
    out.clear();
    let (hours, minutes, secs) = (seconds / 3600, seconds / 60 % 60, seconds % 60);
    let _ = if hours > 0 {
        write!(out, "{hours}:{minutes:02}:{secs:02}")
    } else {
        write!(out, "{minutes}:{secs:02}")
    };
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_schedule() {
        let waits: Vec<u32> = (0..=14).map(wait_after).collect();
        assert_eq!(
            waits,
            [0, 0, 0, 0, 0, 30, 60, 120, 240, 480, 960, 1920, 3600, 3600, 3600]
        );
        assert_eq!(wait_after(u32::MAX), MAX_WAIT);
    }

    #[test]
    fn brute_forcing_four_digits_takes_over_a_year() {
        let total: u64 = (1..=10_000).map(|n| wait_after(n) as u64).sum();
        assert!(total > 365 * 24 * 3600, "{total}");
    }

    #[test]
    fn lockout_counts_down() {
        assert_eq!(
            lockout(4, 1000, 1000),
            Lockout {
                remaining: 0,
                clock_went_back: false
            }
        );
        assert_eq!(lockout(5, 1000, 1000).remaining, 30);
        assert_eq!(lockout(5, 1000, 1029).remaining, 1);
        assert_eq!(lockout(5, 1000, 1030).remaining, 0);
        assert_eq!(lockout(6, 1000, 5000).remaining, 0);
        assert_eq!(lockout(20, 1000, 1000 + 3599).remaining, 1);
    }

    #[test]
    fn a_clock_set_back_restarts_the_wait_instead_of_lifting_or_freezing_it() {
        let result = lockout(7, 10_000, 50);
        assert_eq!(
            result,
            Lockout {
                remaining: 120,
                clock_went_back: true
            }
        );
        // Without failures there is nothing to restart.
        assert_eq!(
            lockout(2, 10_000, 50),
            Lockout {
                remaining: 0,
                clock_went_back: false
            }
        );
    }

    #[test]
    fn waits_format() {
        let mut text = heapless::String::new();
        format_wait(5, &mut text);
        assert_eq!(text.as_str(), "0:05");
        format_wait(125, &mut text);
        assert_eq!(text.as_str(), "2:05");
        format_wait(3600, &mut text);
        assert_eq!(text.as_str(), "1:00:00");
    }
}
