//! The 20 chronometers as data: each keeps absolute times (seconds since
//! 1970 by the calculator's clock), never a running count, so a
//! chronometer started before the add-in was left, or the calculator
//! switched off, shows the right time when Utilities opens again.
//!
//! Kept in main memory, `@UTILS\ChronoR` (a name the original, which
//! keeps its own layout in `Chrono`, never reads): a version byte, then
//! 16 bytes a slot (big-endian): kind, state, notified flag, 0, the
//! countdown's length, the seconds counted before the last start, the
//! moment of the last start.

use core::fmt::Write;

use prizm::time::DateTime;

/// Number of chronometers.
pub const SLOTS: usize = 20;
/// Bytes of the stored state.
pub const STORED_SIZE: usize = 1 + SLOTS * 16;
const VERSION: u8 = 1;
/// Longest countdown: 99 days.
pub const MAX_SECONDS: u32 = 99 * 86_400;

/// Count direction.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Counts up from zero.
    Up,
    /// Counts down from `total` seconds.
    Down {
        /// Length.
        total: u32,
    },
}

/// What a chronometer is doing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Run {
    /// Not in use.
    Cleared,
    /// Counting since `since` (absolute seconds), with `before` seconds
    /// counted in earlier runs.
    Running {
        /// Moment of the last start.
        since: i64,
        /// Seconds counted before it.
        before: u32,
    },
    /// Paused after counting `elapsed` seconds.
    Paused {
        /// Seconds counted.
        elapsed: u32,
    },
}

/// One chronometer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Chrono {
    /// Direction.
    pub kind: Kind,
    /// State.
    pub run: Run,
    /// Whether the end of the countdown was already announced.
    pub notified: bool,
}

impl Default for Chrono {
    fn default() -> Chrono {
        Chrono {
            kind: Kind::Up,
            run: Run::Cleared,
            notified: false,
        }
    }
}

/// Seconds since 1970-01-01 00:00 for a clock reading.
pub fn absolute_seconds(moment: &DateTime) -> i64 {
    i64::from(moment.date.days_since_epoch()) * 86_400 + i64::from(moment.time.seconds_since_midnight())
}

impl Chrono {
    /// Seconds counted at `now`. A clock set back never makes it negative.
    pub fn elapsed(&self, now: i64) -> u32 {
        match self.run {
            Run::Cleared => 0,
            Run::Paused { elapsed } => elapsed,
            Run::Running { since, before } => {
                let running = (now - since).clamp(0, i64::from(u32::MAX)) as u32;
                before.saturating_add(running)
            }
        }
    }

    /// What the display shows: time counted up, or time left.
    pub fn shown(&self, now: i64) -> u32 {
        match self.kind {
            Kind::Up => self.elapsed(now),
            Kind::Down { total } => total.saturating_sub(self.elapsed(now)),
        }
    }

    /// Whether a countdown has reached zero.
    pub fn is_finished(&self, now: i64) -> bool {
        matches!(self.kind, Kind::Down { total } if self.run != Run::Cleared && self.elapsed(now) >= total)
    }

    /// Whether it is counting.
    pub fn is_running(&self) -> bool {
        matches!(self.run, Run::Running { .. })
    }

    /// Starts counting up from zero.
    pub fn start_up(&mut self, now: i64) {
        *self = Chrono {
            kind: Kind::Up,
            run: Run::Running { since: now, before: 0 },
            notified: false,
        };
    }

    /// Starts a countdown of `seconds`.
    pub fn start_down(&mut self, seconds: u32, now: i64) {
        *self = Chrono {
            kind: Kind::Down { total: seconds.min(MAX_SECONDS) },
            run: Run::Running { since: now, before: 0 },
            notified: false,
        };
    }

    /// Starts a countdown that ends at the absolute moment `end`; `None` if
    /// that moment is not in the future (or too far).
    pub fn start_until(&mut self, end: i64, now: i64) -> Option<()> {
        let seconds = u32::try_from(end - now).ok().filter(|s| *s > 0 && *s <= MAX_SECONDS)?;
        self.start_down(seconds, now);
        Some(())
    }

    /// Pauses a running chronometer, resumes a paused one.
    pub fn toggle_pause(&mut self, now: i64) {
        self.run = match self.run {
            Run::Running { .. } => Run::Paused { elapsed: self.elapsed(now) },
            Run::Paused { elapsed } => Run::Running { since: now, before: elapsed },
            Run::Cleared => Run::Cleared,
        };
    }

    /// Back to unused.
    pub fn clear(&mut self) {
        *self = Chrono::default();
    }

    fn encode(&self, out: &mut [u8]) {
        let (kind, total) = match self.kind {
            Kind::Up => (0, 0),
            Kind::Down { total } => (1, total),
        };
        let (state, before, since) = match self.run {
            Run::Cleared => (0, 0, 0),
            Run::Running { since, before } => (1, before, since),
            Run::Paused { elapsed } => (2, elapsed, 0),
        };
        out[0] = kind;
        out[1] = state;
        out[2] = u8::from(self.notified);
        out[3] = 0;
        out[4..8].copy_from_slice(&total.to_be_bytes());
        out[8..12].copy_from_slice(&before.to_be_bytes());
        out[12..16].copy_from_slice(&(since.clamp(0, i64::from(u32::MAX)) as u32).to_be_bytes());
    }

    fn decode(bytes: &[u8]) -> Option<Chrono> {
        let word = |at: usize| u32::from_be_bytes([bytes[at], bytes[at + 1], bytes[at + 2], bytes[at + 3]]);
        let kind = match bytes[0] {
            0 => Kind::Up,
            1 => Kind::Down { total: word(4) },
            _ => return None,
        };
        let run = match bytes[1] {
            0 => Run::Cleared,
            1 => Run::Running { since: i64::from(word(12)), before: word(8) },
            2 => Run::Paused { elapsed: word(8) },
            _ => return None,
        };
        Some(Chrono { kind, run, notified: bytes[2] != 0 })
    }
}

/// Every slot's state as stored.
pub fn encode_all(chronos: &[Chrono; SLOTS]) -> [u8; STORED_SIZE] {
    let mut out = [0u8; STORED_SIZE];
    out[0] = VERSION;
    for (chrono, slot) in chronos.iter().zip(out[1..].chunks_exact_mut(16)) {
        chrono.encode(slot);
    }
    out
}

/// The stored state; a damaged slot (or file) reads as cleared.
pub fn decode_all(bytes: &[u8]) -> [Chrono; SLOTS] {
    let mut chronos = [Chrono::default(); SLOTS];
    if bytes.len() != STORED_SIZE || bytes[0] != VERSION {
        return chronos;
    }
    for (chrono, slot) in chronos.iter_mut().zip(bytes[1..].chunks_exact(16)) {
        *chrono = Chrono::decode(slot).unwrap_or_default();
    }
    chronos
}

/// `H:MM:SS`, with days in front when there are any (`2d 03:04:05`).
pub fn format_seconds(seconds: u32, out: &mut heapless::String<24>) {
    let (days, rest) = (seconds / 86_400, seconds % 86_400);
    if days > 0 {
        let _ = write!(out, "{days}d ");
    }
    let _ = write!(out, "{:02}:{:02}:{:02}", rest / 3600, rest / 60 % 60, rest % 60);
}

/// The presets offered for a countdown, in seconds.
pub const PRESETS: [(&str, u32); 10] = [
    ("1 minute", 60),
    ("3 minutes", 180),
    ("5 minutes", 300),
    ("10 minutes", 600),
    ("15 minutes", 900),
    ("30 minutes", 1800),
    ("45 minutes", 2700),
    ("1 hour", 3600),
    ("2 hours", 7200),
    ("1 day", 86_400),
];

#[cfg(test)]
mod tests {
    use super::*;
    use prizm::time::{Date, Time};

    fn at(y: u16, mo: u8, d: u8, h: u8, mi: u8, s: u8) -> i64 {
        absolute_seconds(&DateTime {
            date: Date::new(y, mo, d).unwrap(),
            time: Time::new(h, mi, s).unwrap(),
        })
    }

    #[test]
    fn absolute_time_across_midnight_and_month_ends() {
        assert_eq!(at(1970, 1, 1, 0, 0, 0), 0);
        assert_eq!(at(2026, 1, 31, 23, 59, 59) + 1, at(2026, 2, 1, 0, 0, 0));
        assert_eq!(at(2024, 2, 29, 12, 0, 0) - at(2024, 2, 28, 12, 0, 0), 86_400);
        assert_eq!(at(2026, 12, 31, 23, 0, 0) + 7200, at(2027, 1, 1, 1, 0, 0));
        let mut up = Chrono::default();
        up.start_up(at(2026, 1, 31, 23, 59, 30));
        assert_eq!(up.elapsed(at(2026, 2, 1, 0, 0, 45)), 75);
        // Started on the last day of February, read a month later.
        let mut down = Chrono::default();
        down.start_down(3 * 86_400, at(2026, 2, 28, 22, 0, 0));
        assert_eq!(down.shown(at(2026, 3, 1, 22, 0, 0)), 2 * 86_400);
        assert!(!down.is_finished(at(2026, 3, 3, 21, 59, 59)));
        assert!(down.is_finished(at(2026, 3, 3, 22, 0, 0)));
        assert_eq!(down.shown(at(2026, 4, 1, 0, 0, 0)), 0);
    }

    #[test]
    fn pause_resume_and_a_clock_set_back() {
        let mut chrono = Chrono::default();
        chrono.start_down(600, 1000);
        chrono.toggle_pause(1100);
        assert_eq!(chrono.run, Run::Paused { elapsed: 100 });
        assert_eq!(chrono.shown(5000), 500, "paused: time does not count");
        chrono.toggle_pause(5000);
        assert_eq!(chrono.shown(5100), 400);
        assert_eq!(chrono.shown(4000), 500, "a clock set back counts nothing, never negative");
        assert!(chrono.is_finished(5500));
        chrono.clear();
        assert_eq!(chrono, Chrono::default());
        assert!(!chrono.is_finished(1 << 40));
    }

    #[test]
    fn countdown_to_a_moment() {
        let mut chrono = Chrono::default();
        let now = at(2026, 12, 31, 23, 50, 0);
        assert_eq!(chrono.start_until(at(2027, 1, 1, 0, 0, 0), now), Some(()));
        assert_eq!(chrono.kind, Kind::Down { total: 600 });
        assert_eq!(chrono.start_until(now, now), None);
        assert_eq!(chrono.start_until(now + i64::from(MAX_SECONDS) + 1, now), None);
    }

    #[test]
    fn stored_form_round_trips() {
        let mut chronos = [Chrono::default(); SLOTS];
        chronos[0].start_up(at(2026, 5, 1, 8, 0, 0));
        chronos[7].start_down(90, at(2026, 5, 1, 8, 0, 0));
        chronos[7].toggle_pause(at(2026, 5, 1, 8, 0, 30));
        chronos[19].start_down(5, 100);
        chronos[19].notified = true;
        let bytes = encode_all(&chronos);
        assert_eq!(bytes.len(), 321);
        assert_eq!(decode_all(&bytes), chronos);
        assert_eq!(decode_all(&bytes[..100]), [Chrono::default(); SLOTS]);
        let mut damaged = bytes;
        damaged[1 + 16 * 7 + 1] = 9;
        let decoded = decode_all(&damaged);
        assert_eq!(decoded[7], Chrono::default());
        assert_eq!(decoded[0], chronos[0]);
    }

    #[test]
    fn formatting() {
        let mut text = heapless::String::new();
        format_seconds(3 * 86_400 + 4 * 3600 + 5 * 60 + 6, &mut text);
        assert_eq!(text, "3d 04:05:06");
        let mut text = heapless::String::new();
        format_seconds(59, &mut text);
        assert_eq!(text, "00:00:59");
    }
}
