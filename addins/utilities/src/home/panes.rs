//! The pane below the home clock: today's events, free memory, or the
//! module shortcuts. LEFT and RIGHT switch panes; the choice is the
//! settings byte `store::HOME_PANE` (0 shows no pane, the clock alone).

use alloc::string::String;
use alloc::vec::Vec;
use core::fmt::Write;

use prizm::time::{Date, Time};

use crate::calendar::pce::{self, Event, RawDate};
use crate::clock::format;

/// What the pane shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pane {
    /// No pane: the clock uses the whole screen.
    None,
    /// Today's events from the calendar.
    Events,
    /// Storage memory and main memory free.
    Memory,
    /// The digit keys that open modules.
    Shortcuts,
}

/// Names of the settings values, in byte order.
pub const PANE_NAMES: [&str; 4] = ["None", "Today's events", "Memory", "Shortcuts"];

/// Rows of text a pane holds below its title.
pub const ROWS: usize = 3;

impl Pane {
    /// The pane a settings byte names; unknown bytes are [`Pane::None`].
    pub fn from_setting(value: u8) -> Pane {
        match value {
            1 => Pane::Events,
            2 => Pane::Memory,
            3 => Pane::Shortcuts,
            _ => Pane::None,
        }
    }

    /// Its settings byte.
    pub fn setting(self) -> u8 {
        self as u8
    }

    /// The next pane (RIGHT), back to none after the last.
    pub fn next(self) -> Pane {
        Pane::from_setting((self.setting() + 1) % PANE_NAMES.len() as u8)
    }

    /// The previous pane (LEFT).
    pub fn previous(self) -> Pane {
        let count = PANE_NAMES.len() as u8;
        Pane::from_setting((self.setting() + count - 1) % count)
    }

    /// Its title line.
    pub fn title(self) -> &'static str {
        match self {
            Pane::None => "",
            Pane::Events => "Today",
            Pane::Memory => "Memory",
            Pane::Shortcuts => "Shortcuts (press the digit)",
        }
    }
}

/// The rows of the events pane for the events stored on one day: all-day
/// events first, then by start time; "+N more" when they do not fit.
pub fn event_rows(events: &[Event], twelve_hour: bool) -> Vec<String> {
    let mut day: Vec<&Event> = events.iter().filter(|event| !event.is_task()).collect();
    if day.is_empty() {
        return alloc::vec![String::from("No events today.")];
    }
    day.sort_by_key(|event| (event.timed, event.start_time.seconds()));
    let shown = if day.len() > ROWS { ROWS - 1 } else { day.len() };
    let mut rows: Vec<String> = day[..shown]
        .iter()
        .map(|event| {
            let mut row = String::new();
            let start = event.start_time;
            match Time::new(start.hour as u8, start.minute as u8, 0) {
                Ok(time) if event.timed && start.is_valid() => {
                    let _ = write!(row, "{}  ", format::time(time, twelve_hour, false));
                }
                _ => row.push_str("All day  "),
            }
            row.push_str(&pce::display_text(&event.title));
            row
        })
        .collect();
    if day.len() > shown {
        rows.push(alloc::format!("+{} more (F3 opens the calendar)", day.len() - shown));
    }
    rows
}

/// The rows of the memory pane.
pub fn memory_rows(storage_free: Option<u64>, main_memory: Option<(u32, u32)>) -> Vec<String> {
    use crate::files::browser::format_size;
    let storage = match storage_free {
        Some(free) => alloc::format!("Storage memory: {} free", format_size(free)),
        None => String::from("Storage memory: unknown"),
    };
    let main = match main_memory {
        Some((capacity, used)) => alloc::format!(
            "Main memory: {} free of {}",
            format_size(u64::from(capacity.saturating_sub(used))),
            format_size(u64::from(capacity))
        ),
        None => String::from("Main memory: unknown"),
    };
    alloc::vec![storage, main]
}

/// The rows of the shortcuts pane: digit `n` opens `modules[n - 1]`;
/// a tab separates the three columns.
pub fn shortcut_rows(modules: &[&str]) -> Vec<String> {
    let mut rows = Vec::new();
    for chunk in modules.chunks(3).take(ROWS) {
        let cells: Vec<String> = chunk
            .iter()
            .zip(rows.len() * 3 + 1..)
            .map(|(name, number)| alloc::format!("{number} {name}"))
            .collect();
        rows.push(cells.join("\t"));
    }
    rows
}

/// Reads what `pane` shows now (the calculator's storage and memory).
pub fn gather(pane: Pane, today: Option<Date>, twelve_hour: bool, modules: &[&str]) -> Vec<String> {
    match pane {
        Pane::None => Vec::new(),
        Pane::Events => match today {
            None => alloc::vec![String::from("The clock is not set.")],
            Some(date) => match crate::calendar::store::read_day(RawDate::from_date(date)) {
                Ok(parsed) => event_rows(&parsed.events, twelve_hour),
                Err(error) => alloc::vec![alloc::format!("Calendar unreadable: {}", error.message())],
            },
        },
        Pane::Memory => memory_rows(
            prizm::fs::free_space().ok().map(u64::from),
            prizm::mcs::state().ok().map(|state| (state.capacity, state.used)),
        ),
        Pane::Shortcuts => shortcut_rows(modules),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::calendar::pce::RawTime;

    fn event(title: &str, timed: bool, hour: u32, minute: u32) -> Event {
        Event {
            start: RawDate { year: 2026, month: 12, day: 1 },
            end: RawDate { year: 2026, month: 12, day: 1 },
            timed,
            start_time: RawTime::hm(hour, minute),
            title: title.as_bytes().to_vec(),
            ..Event::default()
        }
    }

    #[test]
    fn panes_cycle_both_ways_through_every_value() {
        let mut pane = Pane::None;
        let mut seen = Vec::new();
        for _ in 0..PANE_NAMES.len() {
            seen.push(pane.setting());
            pane = pane.next();
        }
        assert_eq!(pane, Pane::None);
        assert_eq!(seen, [0, 1, 2, 3]);
        assert_eq!(Pane::None.previous(), Pane::Shortcuts);
        assert_eq!(Pane::Shortcuts.previous(), Pane::Memory);
        assert_eq!(Pane::from_setting(200), Pane::None);
    }

    #[test]
    fn events_sorted_all_day_first_with_times_in_the_chosen_format() {
        let events = [event("Lunch", true, 13, 5), event("Holiday", false, 0, 0), event("Call", true, 9, 30)];
        assert_eq!(event_rows(&events, false), ["All day  Holiday", "09:30  Call", "13:05  Lunch"]);
        assert_eq!(event_rows(&events, true)[2], "1:05 PM  Lunch");
    }

    #[test]
    fn too_many_events_end_with_a_count_and_tasks_do_not_count() {
        let mut events: Vec<Event> = (0..5).map(|i| event("E", true, 8 + i, 0)).collect();
        events.push(Event { title: b"task".to_vec(), ..Event::default() });
        let rows = event_rows(&events, false);
        assert_eq!(rows.len(), ROWS);
        assert_eq!(rows[0], "08:00  E");
        assert_eq!(rows[2], "+3 more (F3 opens the calendar)");
        assert_eq!(event_rows(&events[5..], false), ["No events today."]);
        assert_eq!(event_rows(&[], false), ["No events today."]);
    }

    #[test]
    fn memory_and_shortcut_rows() {
        let rows = memory_rows(Some(3 * 1024 * 1024), Some((61_440, 1_024)));
        assert_eq!(rows, ["Storage memory: 3.0 MB free", "Main memory: 59 KB free of 60 KB"]);
        assert_eq!(memory_rows(None, None)[1], "Main memory: unknown");
        let rows = shortcut_rows(&["Clock", "Chronometers", "Calendar", "Tasks"]);
        assert_eq!(rows, ["1 Clock\t2 Chronometers\t3 Calendar", "4 Tasks"]);
    }
}
