//! Utilities part 1 (home, clock, chronometers, calendar, tasks; see
//! addins/utilities/docs/data-formats.md) end to end in the emulator: key
//! scripts, golden screens, and the files and main-memory items left
//! behind, read back here from the documented formats.

use std::time::Duration;

use emulator_tests::{addin, assert_screen, builder, builder_again, debug_since};
use prizm_emu::{Condition, DateTime, Emulator, Key};

const FOLDER: &str = "@UTILS";

/// 1 December 2026, a Tuesday, 09:00.
fn start_time() -> DateTime {
    DateTime::new(2026, 12, 1, 9, 0, 0).unwrap()
}

/// A fresh Utilities with its own storage and main memory.
fn start(test: &str) -> Emulator {
    open(builder(test).start_time(start_time()))
}

/// Utilities on a calculator where it has run before: a settings item
/// with the defaults is written first when there is none, so it starts at
/// home, not in the first-run wizard.
fn open(builder: prizm_emu::EmulatorBuilder) -> Emulator {
    let mut emu = builder.budget(4_000_000_000).open(addin("utilities")).unwrap();
    if emu.main_memory_item(FOLDER, "Set").is_none() {
        emu.set_main_memory_item(FOLDER, "Set", &default_settings()).unwrap();
    }
    idle(&mut emu);
    emu
}

/// Utilities run for the first time (no settings item).
fn open_first_run(builder: prizm_emu::EmulatorBuilder) -> Emulator {
    let mut emu = builder.budget(4_000_000_000).open(addin("utilities")).unwrap();
    idle(&mut emu);
    emu
}

/// The settings item with every default (the layout of
/// addins/utilities/docs/data-formats.md: version 15, then the original's
/// defaults that are not zero, our bytes zero).
fn default_settings() -> Vec<u8> {
    let mut bytes = vec![0u8; 64];
    let defaults = [(0, 15), (5, 1), (6, 250), (8, 1), (9, 1), (10, 1), (12, 1), (17, 1), (18, 1), (20, 1), (21, 1), (22, 1), (23, 1), (24, 51)];
    for (index, value) in defaults {
        bytes[index] = value;
    }
    bytes
}

fn idle(emu: &mut Emulator) {
    emu.run_until(Condition::WaitingForKey).unwrap_or_else(|e| panic!("{e}"));
}

/// Presses each key and lets the add-in settle after it.
fn keys(emu: &mut Emulator, keys: &[Key]) {
    for &key in keys {
        emu.press(key);
        idle(emu);
    }
}

/// Types text (letters through ALPHA) and settles.
fn type_text(emu: &mut Emulator, text: &str) {
    emu.type_text(text).unwrap();
    idle(emu);
}

/// An event in the original's file format, built field by field from the
/// documented layout (20 fields; 0x1D after each but the last; 0x1E
/// after the last).
#[allow(clippy::too_many_arguments)]
fn original_event(category: u32, start: (u32, u32, u32), end: (u32, u32, u32), timed: bool, times: (u32, u32, u32, u32), title: &str, location: &str, description: &str) -> Vec<u8> {
    let fields = [
        category.to_string(),
        "0".into(),
        start.2.to_string(),
        start.1.to_string(),
        start.0.to_string(),
        end.2.to_string(),
        end.1.to_string(),
        end.0.to_string(),
        "0".into(),
        "0".into(),
        u32::from(timed).to_string(),
        times.0.to_string(),
        times.1.to_string(),
        "0".into(),
        times.2.to_string(),
        times.3.to_string(),
        "0".into(),
        title.into(),
        location.into(),
    ];
    let mut bytes = Vec::new();
    for field in fields {
        bytes.extend_from_slice(field.as_bytes());
        bytes.push(0x1D);
    }
    bytes.extend_from_slice(description.as_bytes());
    bytes.push(0x1E);
    bytes
}

fn original_file(events: &[Vec<u8>]) -> Vec<u8> {
    let mut bytes = b"PCALEVT".to_vec();
    for event in events {
        bytes.extend_from_slice(event);
    }
    bytes
}

/// The events of a file as lists of fields (the reading side of the
/// documented format).
fn events_in(bytes: &[u8]) -> Vec<Vec<String>> {
    assert!(bytes.starts_with(b"PCALEVT"), "header");
    bytes[7..]
        .split(|&b| b == 0x1E)
        .filter(|event| !event.is_empty())
        .map(|event| event.split(|&b| b == 0x1D).map(|f| String::from_utf8_lossy(f).into_owned()).collect())
        .collect()
}

fn storage(emu: &Emulator, name: &str) -> Option<Vec<u8>> {
    emu.read_storage_file(&format!("@UTILS\\{name}")).ok()
}

fn put_storage(emu: &Emulator, name: &str, bytes: &[u8]) {
    emu.write_storage_file(&format!("@UTILS\\{name}"), bytes).unwrap();
}

// ------------------------------------------------------------------ home

#[test]
fn home_styles() {
    let mut emu = start("utilities_home_styles");
    assert_screen(&emu, "utilities-home-digital");
    // Setup (F5) → Home (2) → Clock style (1) → "Analog, time, long
    // date" (8); Theme (3) → Dark (2).
    keys(&mut emu, &[Key::F5]);
    assert_screen(&emu, "utilities-settings");
    keys(&mut emu, &[Key::Digit2]);
    assert_screen(&emu, "utilities-settings-home");
    keys(&mut emu, &[Key::Digit1, Key::Digit8, Key::Digit3, Key::Digit2, Key::Exit, Key::Exit]);
    emu.advance_time(Duration::from_secs(1)).unwrap();
    assert_screen(&emu, "utilities-home-analog-dark");
    let settings = emu.main_memory_item(FOLDER, "Set").expect("settings stored");
    assert_eq!(settings[0], 15, "the original's layout version");
    assert_eq!((settings[16], settings[4]), (7, 1), "clock style 7, dark theme");
    // Long date only (4), light, no seconds (2 → Off).
    keys(&mut emu, &[Key::F5, Key::Digit2, Key::Digit1, Key::Digit4, Key::Digit3, Key::Digit1, Key::Digit2, Key::Digit1, Key::Exit, Key::Exit]);
    emu.advance_time(Duration::from_secs(1)).unwrap();
    assert_screen(&emu, "utilities-home-long-date");
    let settings = emu.main_memory_item(FOLDER, "Set").unwrap();
    assert_eq!((settings[16], settings[4], settings[17]), (3, 0, 0));
}

#[test]
fn settings_written_by_the_original_are_read() {
    let test = "utilities_original_settings";
    let mut emu = start(test);
    // The original's 30-byte item: 12-hour clock, MM/DD/YYYY, style 2
    // (time and short date), no seconds.
    let mut original = vec![0u8; 30];
    original[0] = 15;
    original[1] = 1;
    original[3] = 1;
    original[8] = 1;
    original[16] = 2;
    original[24] = 51;
    emu.set_main_memory_item(FOLDER, "Set", &original).unwrap();
    drop(emu);
    let emu = open(builder_again(test).start_time(DateTime::new(2026, 12, 1, 21, 5, 0).unwrap()));
    assert_screen(&emu, "utilities-home-12-hour");
}

#[test]
fn home_panes_switch_with_left_and_right_and_digits_open_modules() {
    let mut emu = start("utilities_home_panes");
    // Today (1 December 2026): a timed event, an all-day one; tomorrow's
    // is not shown.
    let today = [
        original_event(2, (2026, 12, 1), (2026, 12, 1), true, (14, 30, 15, 0), "Dentist", "", ""),
        original_event(4, (2026, 12, 1), (2026, 12, 1), false, (0, 0, 0, 0), "Ana's birthday", "", ""),
    ];
    put_storage(&emu, "20261201.pce", &original_file(&today));
    let tomorrow = original_event(1, (2026, 12, 2), (2026, 12, 2), true, (9, 0, 10, 0), "Tomorrow", "", "");
    put_storage(&emu, "20261202.pce", &original_file(&[tomorrow]));
    // RIGHT: today's events (the choice is stored in byte 30).
    keys(&mut emu, &[Key::Right]);
    assert_screen(&emu, "utilities-home-pane-events");
    assert_eq!(emu.main_memory_item(FOLDER, "Set").unwrap()[30], 1);
    assert!(emu.screen_contains_text("All day  Ana's birthday"));
    assert!(emu.screen_contains_text("14:30  Dentist"));
    assert!(!emu.screen_contains_text("Tomorrow"));
    // RIGHT: memory.
    keys(&mut emu, &[Key::Right]);
    assert!(emu.screen_contains_text("Storage memory: "), "memory pane");
    assert!(emu.screen_contains_text(" MB free"));
    assert!(emu.screen_contains_text("Main memory: "));
    assert_eq!(emu.main_memory_item(FOLDER, "Set").unwrap()[30], 2);
    // RIGHT: shortcuts.
    keys(&mut emu, &[Key::Right]);
    assert_screen(&emu, "utilities-home-pane-shortcuts");
    // RIGHT after the last: no pane (the screen of before); LEFT wraps.
    keys(&mut emu, &[Key::Right]);
    assert_screen(&emu, "utilities-home-digital");
    keys(&mut emu, &[Key::Left]);
    assert_eq!(emu.main_memory_item(FOLDER, "Set").unwrap()[30], 3);
    // Digit 4 opens Tasks; EXIT comes back to the pane.
    keys(&mut emu, &[Key::Digit4]);
    assert!(!emu.screen_contains_text("Shortcuts"), "Tasks opened");
    assert!(emu.screen_contains_text("Tasks"));
    keys(&mut emu, &[Key::Exit]);
    assert!(emu.screen_contains_text("Shortcuts"));
    // The pane is a setting: Setup (F5) → Home (2) → Pane (5) → Today's
    // events (2).
    keys(&mut emu, &[Key::F5, Key::Digit2, Key::Digit5, Key::Digit2, Key::Exit, Key::Exit]);
    assert_eq!(emu.main_memory_item(FOLDER, "Set").unwrap()[30], 1);
    assert!(emu.screen_contains_text("14:30  Dentist"));
}

/// Home on `day` at 09:00 with the daylight-saving rule `rule` (byte 31).
fn home_on(test: &str, day: (u16, u8, u8), rule: u8) -> Emulator {
    let mut emu = start(test);
    let mut settings = default_settings();
    settings[31] = rule;
    emu.set_main_memory_item(FOLDER, "Set", &settings).unwrap();
    drop(emu);
    open(builder_again(test).start_time(DateTime::new(day.0, day.1, day.2, 9, 0, 0).unwrap()))
}

#[test]
fn daylight_saving_reminders_on_the_change_days_only() {
    // EU rule: last Sundays of March and October 2026.
    let emu = &mut home_on("utilities_dst_eu_start", (2026, 3, 29), 1);
    assert_screen(emu, "utilities-home-dst");
    assert!(emu.screen_contains_text("Clocks go forward 1 h today."));
    assert!(home_on("utilities_dst_eu_end", (2026, 10, 25), 1).screen_contains_text("Clocks go back 1 h today."));
    assert!(!home_on("utilities_dst_eu_other", (2026, 3, 8), 1).screen_contains_text("Clocks go"));
    // US rule: second Sunday of March, first of November.
    assert!(home_on("utilities_dst_us_start", (2026, 3, 8), 2).screen_contains_text("Clocks go forward 1 h today."));
    assert!(home_on("utilities_dst_us_end", (2026, 11, 1), 2).screen_contains_text("Clocks go back 1 h today."));
    // Off: nothing, even on a change day.
    assert!(!home_on("utilities_dst_off", (2026, 3, 29), 0).screen_contains_text("Clocks go"));
}

#[test]
fn first_run_wizard_asks_formats_and_zone_sets_the_clock_and_never_returns() {
    let test = "utilities_wizard";
    let mut emu = open_first_run(builder(test).start_time(start_time()));
    assert_screen(&emu, "utilities-wizard-time-format");
    assert!(emu.main_memory_item(FOLDER, "Set").is_none(), "nothing saved before the end");
    // 12-hour (2), YYYY/MM/DD (3), time zone: four steps down from UTC.
    keys(&mut emu, &[Key::Digit2, Key::Digit3]);
    assert_screen(&emu, "utilities-wizard-time-zone");
    keys(&mut emu, &[Key::Down, Key::Down, Key::Down, Key::Down, Key::Exe]);
    let settings = emu.main_memory_item(FOLDER, "Set").expect("settings saved");
    assert_eq!(settings.len(), 64);
    assert_eq!((settings[0], settings[1], settings[3], settings[24]), (15, 1, 2, 55), "12-hour, YYYY/MM/DD, UTC+01:00");
    assert_eq!(settings[10], 0, "the original's first-run marker cleared");
    assert_eq!(&settings[4..10], &default_settings()[4..10], "the rest at defaults");
    assert_eq!(&settings[11..24], &default_settings()[11..24], "the rest at defaults");
    assert_screen(&emu, "utilities-wizard-clock");
    // Set the clock: 17:30, then 24 December 2026 typed as YYYYMMDD.
    keys(&mut emu, &[Key::Digit1]);
    keys(&mut emu, &[Key::Del; 6]);
    type_text(&mut emu, "1730");
    keys(&mut emu, &[Key::Exe]);
    keys(&mut emu, &[Key::Del; 8]);
    type_text(&mut emu, "20261224");
    keys(&mut emu, &[Key::Exe]);
    let now = emu.now();
    assert_eq!((now.year, now.month, now.day, now.hour, now.minute), (2026, 12, 24, 17, 30), "{now:?}");
    assert!(!emu.screen_contains_text("Welcome"), "home after the wizard");
    drop(emu);
    // The next run goes straight home.
    let emu = &mut open_first_run(builder_again(test).start_time(start_time()));
    assert!(!emu.screen_contains_text("Welcome"));
    assert_screen(emu, "utilities-home-12-hour-morning");
}

#[test]
fn exit_in_the_wizard_keeps_the_defaults_and_the_clock() {
    let mut emu = open_first_run(builder("utilities_wizard_exit").start_time(start_time()));
    // EXIT on the three questions, then "Keep the clock as it is" (2).
    keys(&mut emu, &[Key::Exit, Key::Exit, Key::Exit, Key::Digit2]);
    let mut expected = default_settings();
    expected[10] = 0;
    assert_eq!(emu.main_memory_item(FOLDER, "Set"), Some(expected));
    let now = emu.now();
    assert_eq!((now.year, now.month, now.day, now.hour), (2026, 12, 1, 9), "clock untouched");
    assert!(!emu.screen_contains_text("Welcome"));
    assert!(emu.screen_contains_text("Tuesday, December 1"), "home");
}

// ------------------------------------------------------------------ clock

#[test]
fn setting_the_clock() {
    let mut emu = start("utilities_clock");
    keys(&mut emu, &[Key::F1]);
    assert_screen(&emu, "utilities-clock");
    // The field starts with the current time.
    keys(&mut emu, &[Key::Digit1]);
    keys(&mut emu, &[Key::Del; 6]);
    type_text(&mut emu, "1730");
    keys(&mut emu, &[Key::Exe]);
    let now = emu.now();
    assert_eq!((now.hour, now.minute), (17, 30), "time set: {now:?}");
    assert_eq!((now.year, now.month, now.day), (2026, 12, 1), "date kept");
    keys(&mut emu, &[Key::Digit2]);
    keys(&mut emu, &[Key::Del; 8]);
    type_text(&mut emu, "24122026");
    keys(&mut emu, &[Key::Exe]);
    let now = emu.now();
    assert_eq!((now.year, now.month, now.day, now.hour), (2026, 12, 24, 17));
    // An impossible date is refused with a message, the clock untouched.
    keys(&mut emu, &[Key::Digit2]);
    keys(&mut emu, &[Key::Del; 8]);
    type_text(&mut emu, "30022027");
    keys(&mut emu, &[Key::Exe]);
    assert!(emu.screen_contains_text("Not a valid date."));
    keys(&mut emu, &[Key::Exit, Key::Exit, Key::Exit]);
    assert_eq!(emu.now().month, 12);
}

// ----------------------------------------------------------- chronometers

#[test]
fn countdown_start_pause_finish_and_notification() {
    let mut emu = start("utilities_countdown");
    // Chrono (F2) → Start (F1) → Countdown: duration (2) → 10 s.
    keys(&mut emu, &[Key::F2, Key::F1, Key::Digit2]);
    type_text(&mut emu, "10");
    keys(&mut emu, &[Key::Exe]);
    let stored = emu.main_memory_item(FOLDER, "ChronoR").expect("chronometers stored");
    assert_eq!(stored.len(), 321);
    assert_eq!(&stored[1..4], &[1, 1, 0], "slot 1: countdown, running, not announced");
    assert_eq!(u32::from_be_bytes(stored[5..9].try_into().unwrap()), 10);
    emu.advance_time(Duration::from_secs(4)).unwrap();
    assert_screen(&emu, "utilities-chrono-running");
    // Paused for a minute: nothing counts.
    keys(&mut emu, &[Key::F2]);
    emu.advance_time(Duration::from_secs(60)).unwrap();
    let stored = emu.main_memory_item(FOLDER, "ChronoR").unwrap();
    assert_eq!(stored[2], 2, "paused");
    // The big view (F5) of the paused countdown.
    keys(&mut emu, &[Key::F5]);
    assert_screen(&emu, "utilities-chrono-big");
    keys(&mut emu, &[Key::Exit]);
    let from = emu.debug_output().len();
    keys(&mut emu, &[Key::F2]);
    // The screen waits a second at a time for a key: let seconds pass.
    for _ in 0..30 {
        if debug_since(&emu, from).contains("chronometer 1 finished") {
            break;
        }
        emu.advance_time(Duration::from_secs(1)).unwrap();
    }
    assert!(debug_since(&emu, from).contains("chronometer 1 finished"));
    idle(&mut emu);
    assert_screen(&emu, "utilities-chrono-finished");
    let finished_at = emu.now();
    // Started 09:00:00 (+ key time), paused 60 s: ends about 09:01:10.
    assert_eq!((finished_at.hour, finished_at.minute), (9, 1), "{finished_at:?}");
    keys(&mut emu, &[Key::Exit]);
    let stored = emu.main_memory_item(FOLDER, "ChronoR").unwrap();
    assert_eq!(stored[3], 1, "announced once");
}

#[test]
fn chronometers_keep_absolute_time_across_runs() {
    let test = "utilities_chrono_reopen";
    // 30 November, 23:30: count up in slot 1, a one-hour preset countdown
    // (8) in slot 2, then the calculator is off.
    let mut emu = open(builder(test).start_time(DateTime::new(2026, 11, 30, 23, 30, 0).unwrap()));
    keys(&mut emu, &[Key::F2, Key::F1, Key::Digit1, Key::Down, Key::F1, Key::Digit3, Key::Digit8]);
    drop(emu);
    // Switched on again after midnight, in the next month: 1 h 20 min later.
    let later = DateTime::new(2026, 12, 1, 0, 50, 0).unwrap();
    let mut emu = open(builder_again(test).start_time(later));
    // The countdown ended while the calculator was off: told within the
    // home screen's first second.
    emu.advance_time(Duration::from_millis(1500)).unwrap();
    idle(&mut emu);
    assert!(debug_since(&emu, 0).contains("chronometer 2 finished"), "the hour ended while off");
    assert_screen(&emu, "utilities-chrono-reopened-notice");
    keys(&mut emu, &[Key::Exit, Key::F2]);
    assert_screen(&emu, "utilities-chrono-reopened");
    let stored = emu.main_memory_item(FOLDER, "ChronoR").unwrap();
    assert_eq!(&stored[1 + 16..1 + 16 + 4], &[1, 1, 1, 0], "slot 2: countdown, running, announced");
}

// --------------------------------------------------------------- calendar

#[test]
fn events_create_edit_move_search_delete() {
    let mut emu = start("utilities_events");
    // Calendar (F3) → Add (F6) → Title → "DENTIST" → Save (9).
    keys(&mut emu, &[Key::F3, Key::F6, Key::Digit1]);
    type_text(&mut emu, "DENTIST");
    keys(&mut emu, &[Key::Exe]);
    assert_screen(&emu, "utilities-event-editor");
    keys(&mut emu, &[Key::Digit9]);
    let file = storage(&emu, "20261201.pce").expect("the day's file");
    let events = events_in(&file);
    assert_eq!(events.len(), 1);
    assert_eq!(events[0].len(), 20);
    assert_eq!(&events[0][2..5], ["1", "12", "2026"]);
    assert_eq!(events[0][17], "DENTIST");
    assert_eq!(events[0][10], "0", "all day");
    assert_screen(&emu, "utilities-calendar-month");
    // Open the day, edit: timed (7), start time (8) 09:30, save (last row).
    keys(&mut emu, &[Key::Exe, Key::F2, Key::Digit7, Key::Digit8]);
    keys(&mut emu, &[Key::Del; 6]);
    type_text(&mut emu, "0930");
    keys(&mut emu, &[Key::Exe, Key::Down, Key::Down, Key::Down, Key::Exe]);
    let events = events_in(&storage(&emu, "20261201.pce").unwrap());
    assert_eq!((events[0][10].as_str(), events[0][11].as_str(), events[0][12].as_str()), ("1", "9", "30"));
    assert_screen(&emu, "utilities-calendar-day");
    // Remind (F6): chronometer 1 counts down to 09:30.
    keys(&mut emu, &[Key::F6]);
    assert!(emu.screen_contains_text("Chronometer 1 counts"), "{:?}", emu.text_on_screen());
    keys(&mut emu, &[Key::Exit]);
    let chrono = emu.main_memory_item(FOLDER, "ChronoR").expect("chronometers stored");
    let total = u32::from_be_bytes(chrono[5..9].try_into().unwrap());
    assert!((1790..=1800).contains(&total), "about 30 minutes: {total} s");
    // Copy to 3 December, move the original to 5 December.
    keys(&mut emu, &[Key::F3]);
    keys(&mut emu, &[Key::Del; 8]);
    type_text(&mut emu, "03122026");
    keys(&mut emu, &[Key::Exe, Key::F4]);
    keys(&mut emu, &[Key::Del; 8]);
    type_text(&mut emu, "05122026");
    keys(&mut emu, &[Key::Exe, Key::Exit]);
    assert_eq!(storage(&emu, "20261201.pce"), None, "moved away: the empty day's file is gone");
    assert_eq!(events_in(&storage(&emu, "20261203.pce").unwrap())[0][17], "DENTIST");
    let moved = events_in(&storage(&emu, "20261205.pce").unwrap());
    assert_eq!(&moved[0][2..8], ["5", "12", "2026", "5", "12", "2026"]);
    // Search everywhere (4) for "ENTI": two hits.
    keys(&mut emu, &[Key::F2]);
    type_text(&mut emu, "ENTI");
    keys(&mut emu, &[Key::Exe, Key::Digit4]);
    assert_screen(&emu, "utilities-calendar-search");
    // Open the second hit (5 December) and delete it.
    keys(&mut emu, &[Key::Down, Key::Exe, Key::F5, Key::F1]);
    assert_eq!(storage(&emu, "20261205.pce"), None, "deleted");
    assert!(storage(&emu, "20261203.pce").is_some(), "the copy stays");
}

/// Google Calendar's style: UTC times, a weekly series with an exception,
/// an all-day event over three days, folded lines.
const ICS: &str = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Google Inc//Google Calendar 70.9054//EN\r\n\
BEGIN:VEVENT\r\nDTSTART:20261202T080000Z\r\nDTEND:20261202T090000Z\r\nRRULE:FREQ=WEEKLY;BYDAY=WE;COUNT=4\r\n\
EXDATE:20261216T080000Z\r\nUID:w1@google.com\r\nSUMMARY:Piano lesson\r\nDESCRIPTION:Bring the Chopin book a\r\n nd the metronome\r\nEND:VEVENT\r\n\
BEGIN:VEVENT\r\nDTSTART;VALUE=DATE:20261218\r\nDTEND;VALUE=DATE:20261221\r\nUID:h1@google.com\r\nSUMMARY:Ski weekend\r\nEND:VEVENT\r\n\
END:VCALENDAR\r\n";

#[test]
fn importing_an_ics_file() {
    let mut emu = start("utilities_ics");
    emu.write_storage_file("family.ics", ICS.as_bytes()).unwrap();
    // Calendar → Tools (F5) → Import .ics (2) → the first file.
    keys(&mut emu, &[Key::F3, Key::F5, Key::Digit2, Key::Exe]);
    assert!(debug_since(&emu, 0).contains("imported 2 events"), "{}", debug_since(&emu, 0));
    keys(&mut emu, &[Key::Exit]);
    let piano = events_in(&storage(&emu, "20261202.pce").expect("the series' file"));
    assert_eq!(piano[0][17], "Piano lesson");
    assert_eq!(piano[0][8], "RW1;B8;C4;X20261216", "the rule in field 8");
    assert_eq!(piano[0][19], "Bring the Chopin book and the metronome");
    let ski = events_in(&storage(&emu, "20261218.pce").unwrap());
    assert_eq!(&ski[0][5..8], ["20", "12", "2026"]);
    assert_screen(&emu, "utilities-calendar-imported");
    // The series shows on 9 and 23 December, not on the 16th.
    keys(&mut emu, &[Key::Down, Key::Down, Key::Down, Key::Right, Key::Exe]);
    assert_screen(&emu, "utilities-calendar-series-day");
}

#[test]
fn reopening_with_original_data() {
    let test = "utilities_original_data";
    let emu = start(test);
    // A day with the original's maximum of 100 events, one with every
    // field at its maximum length, an event across months, tasks, and a
    // damaged file.
    let hundred: Vec<Vec<u8>> = (0..100)
        .map(|i| original_event(i % 8, (2026, 12, 8), (2026, 12, 8), true, (8, i % 60, 9, 0), &format!("Talk {i}"), "", ""))
        .collect();
    put_storage(&emu, "20261208.pce", &original_file(&hundred));
    let long = original_event(7, (2026, 12, 10), (2026, 12, 10), false, (0, 0, 0, 0), &"T".repeat(21), &"L".repeat(128), &"D".repeat(1024));
    put_storage(&emu, "20261210.pce", &original_file(std::slice::from_ref(&long)));
    let across = original_event(5, (2026, 11, 27), (2026, 12, 4), false, (0, 0, 0, 0), "Exams", "", "");
    put_storage(&emu, "20261127.pce", &original_file(&[across]));
    let tasks = [
        original_event(1, (0, 0, 0), (0, 0, 0), false, (0, 0, 0, 0), "Buy milk", "", ""),
        original_event(5, (0, 0, 0), (0, 0, 0), false, (0, 0, 0, 0), "Call Ana", "", "about Friday"),
    ];
    let mut done = tasks[1].clone();
    // Field 9 ("repeat") is the check mark: the 10th field.
    let separators: Vec<usize> = done.iter().enumerate().filter(|(_, &b)| b == 0x1D).map(|(i, _)| i).collect();
    done[separators[8] + 1] = b'1';
    put_storage(&emu, "00000.pce", &original_file(&[tasks[0].clone(), done]));
    let mut damaged = original_file(&[original_event(2, (2026, 12, 15), (2026, 12, 15), false, (0, 0, 0, 0), "Kept", "", "")]);
    damaged.extend_from_slice(b"3\x1D0\x1D15\x1D12");
    put_storage(&emu, "20261215.pce", &damaged);
    drop(emu);
    let mut emu = open(builder_again(test).start_time(start_time()));
    keys(&mut emu, &[Key::F3]);
    assert!(debug_since(&emu, 0).contains("1 damaged calendar file"));
    assert_screen(&emu, "utilities-calendar-repair");
    // Repair: the good event stays, the cut one goes, a backup is kept.
    keys(&mut emu, &[Key::F1, Key::Exit]);
    let repaired = events_in(&storage(&emu, "20261215.pce").unwrap());
    assert_eq!(repaired.len(), 1);
    assert_eq!(repaired[0][17], "Kept");
    assert_eq!(storage(&emu, "20261215.pce.bak").unwrap(), damaged);
    // Untouched files are byte for byte the same.
    assert_eq!(storage(&emu, "20261210.pce").unwrap(), original_file(&[long]));
    assert_eq!(events_in(&storage(&emu, "20261208.pce").unwrap()).len(), 100);
    assert_screen(&emu, "utilities-calendar-original");
    // A 101st event on the full day is refused with a message.
    keys(&mut emu, &[Key::Down, Key::F6, Key::Digit1]);
    type_text(&mut emu, "ONE MORE");
    keys(&mut emu, &[Key::Exe, Key::Digit9]);
    assert!(emu.screen_contains_text("A day holds at most 100"), "{:?}", emu.text_on_screen());
    keys(&mut emu, &[Key::Exit, Key::Exit, Key::Exit]);
    assert_eq!(events_in(&storage(&emu, "20261208.pce").unwrap()).len(), 100);
    // The tasks.
    keys(&mut emu, &[Key::F4]);
    assert_screen(&emu, "utilities-tasks-original");
}

#[test]
fn tasks_add_check_delete_and_none() {
    let mut emu = start("utilities_tasks");
    keys(&mut emu, &[Key::F4]);
    assert_screen(&emu, "utilities-tasks-empty");
    keys(&mut emu, &[Key::F1, Key::Digit1]);
    type_text(&mut emu, "MILK");
    keys(&mut emu, &[Key::Exe, Key::Up, Key::Exe]);
    let tasks = events_in(&storage(&emu, "00000.pce").expect("the tasks file"));
    assert_eq!(&tasks[0][2..10], ["0", "0", "0", "0", "0", "0", "0", "0"]);
    assert_eq!(tasks[0][17], "MILK");
    // Edit (F2) the title, then the colour (F5): Red is the 6th.
    keys(&mut emu, &[Key::F2, Key::Digit1]);
    keys(&mut emu, &[Key::Del; 4]);
    type_text(&mut emu, "BREAD");
    keys(&mut emu, &[Key::Exe, Key::Up, Key::Exe, Key::F5, Key::Digit6]);
    let tasks = events_in(&storage(&emu, "00000.pce").unwrap());
    assert_eq!((tasks.len(), tasks[0][17].as_str(), tasks[0][0].as_str()), (1, "BREAD", "5"));
    keys(&mut emu, &[Key::F3]);
    assert_eq!(events_in(&storage(&emu, "00000.pce").unwrap())[0][9], "1", "checked");
    assert_screen(&emu, "utilities-tasks");
    keys(&mut emu, &[Key::F4, Key::F1]);
    assert_eq!(storage(&emu, "00000.pce"), None, "no tasks, no file");
    assert!(emu.is_running());
}

// -------------------------------------------------------------- power cuts

/// The day files of the power-cut test: two events on 1 December, one on
/// 2 December.
fn power_cut_setup(emu: &Emulator) -> (Vec<u8>, Vec<u8>) {
    let first = original_file(&[
        original_event(2, (2026, 12, 1), (2026, 12, 1), false, (0, 0, 0, 0), "MOVE ME", "", "moves to the 5th"),
        original_event(4, (2026, 12, 1), (2026, 12, 1), true, (10, 0, 11, 0), "STAYS", "", ""),
    ]);
    let second = original_file(&[original_event(6, (2026, 12, 2), (2026, 12, 2), false, (0, 0, 0, 0), "OTHER DAY", "", "")]);
    put_storage(emu, "20261201.pce", &first);
    put_storage(emu, "20261202.pce", &second);
    (first, second)
}

/// Calendar → the 1st → "MOVE ME" (all day, listed first) → Move → the
/// 5th; the last key (EXE) is left to the caller: it starts the save.
fn power_cut_keys(emu: &mut Emulator) {
    keys(emu, &[Key::F3, Key::Exe, Key::F4]);
    keys(emu, &[Key::Del; 8]);
    type_text(emu, "05122026");
}

/// Titles of the events in a storage file (none when it is missing).
fn titles(emu: &Emulator, name: &str) -> Vec<String> {
    storage(emu, name).map_or_else(Vec::new, |bytes| events_in(&bytes).into_iter().map(|e| e[17].clone()).collect())
}

#[test]
fn a_power_cut_at_every_write_of_a_move_loses_no_event() {
    // A run without cuts counts the storage-changing calls of the move.
    let test = "utilities_power_cut";
    let emu = start(test);
    let (_, second) = power_cut_setup(&emu);
    drop(emu);
    let mut emu = open(builder_again(test).start_time(start_time()));
    power_cut_keys(&mut emu);
    let before = emu.storage_writes();
    keys(&mut emu, &[Key::Exe]);
    let steps = emu.storage_writes() - before;
    assert!(steps >= 8, "two atomic replacements take several steps, counted {steps}");
    println!("the move makes {steps} storage-changing calls");
    assert_eq!(titles(&emu, "20261201.pce"), ["STAYS"]);
    assert_eq!(titles(&emu, "20261205.pce"), ["MOVE ME"]);
    // Now the power goes before each of those calls in turn.
    for step in 1..=steps {
        let test = format!("utilities_power_cut_{step}");
        let emu = start(&test);
        power_cut_setup(&emu);
        drop(emu);
        let mut emu = open(builder_again(&test).start_time(start_time()).cut_power_before_write(before + step));
        power_cut_keys(&mut emu);
        emu.press(Key::Exe);
        let error = emu.run_until(Condition::WaitingForKey).expect_err("the power is cut");
        assert!(
            matches!(error.kind, prizm_emu::RunErrorKind::Ended(prizm_emu::Outcome::PowerCut { .. })),
            "step {step}: {error}"
        );
        // Switched on again: opening the calendar finishes or undoes the
        // interrupted replacement.
        let mut emu = open(builder_again(&test).start_time(start_time()));
        keys(&mut emu, &[Key::F3, Key::Exit]);
        let first = titles(&emu, "20261201.pce");
        let fifth = titles(&emu, "20261205.pce");
        assert!(first.contains(&"STAYS".to_string()), "step {step}: {first:?}");
        let copies = first.iter().chain(&fifth).filter(|t| *t == "MOVE ME").count();
        assert!(copies >= 1, "step {step}: the moved event is lost ({first:?}, {fifth:?})");
        assert!(first.len() <= 2 && fifth.len() <= 1, "step {step}: {first:?} {fifth:?}");
        assert_eq!(storage(&emu, "20261202.pce").unwrap(), second, "step {step}: another day changed");
        for leftover in ["20261201.pce.new", "20261201.pce.part", "20261205.pce.new", "20261205.pce.part"] {
            assert_eq!(storage(&emu, leftover), None, "step {step}: {leftover} left behind");
        }
    }
}

#[test]
fn repeating_event_week_view_exception_and_days_between() {
    let mut emu = start("utilities_repeat");
    let old = original_file(&[original_event(1, (2026, 11, 20), (2026, 11, 20), false, (0, 0, 0, 0), "OLD", "", "")]);
    put_storage(&emu, "20261120.pce", &old);
    // New event "CHOIR", Repeat (8): Weekly (3), every 1, after (3) 5 times.
    keys(&mut emu, &[Key::F3, Key::F6, Key::Digit1]);
    type_text(&mut emu, "CHOIR");
    keys(&mut emu, &[Key::Exe, Key::Digit8, Key::Digit3, Key::Exe, Key::Digit3]);
    keys(&mut emu, &[Key::Del; 2]);
    type_text(&mut emu, "5");
    keys(&mut emu, &[Key::Exe, Key::Digit9]);
    let events = events_in(&storage(&emu, "20261201.pce").expect("the series' file"));
    assert_eq!(events[0][8], "RW1;C5", "weekly, 5 times, in field 8");
    // Week view (F3): the 1st has it; next week (RIGHT) the 8th too.
    keys(&mut emu, &[Key::F3]);
    assert_screen(&emu, "utilities-calendar-week");
    keys(&mut emu, &[Key::Right, Key::Exe]);
    assert!(emu.screen_contains_text("CHOIR"), "{:?}", emu.text_on_screen());
    // Delete this date only (1): an exception, the series stays.
    keys(&mut emu, &[Key::F5, Key::Digit1]);
    let events = events_in(&storage(&emu, "20261201.pce").unwrap());
    assert_eq!(events[0][8], "RW1;C5;X20261208");
    assert!(emu.screen_contains_text("0 event(s)"), "{:?}", emu.text_on_screen());
    keys(&mut emu, &[Key::Exit]);
    assert_screen(&emu, "utilities-calendar-week-exception");
    // Days between the 8th and Christmas.
    keys(&mut emu, &[Key::F5, Key::Digit1, Key::Exe]);
    keys(&mut emu, &[Key::Del; 8]);
    type_text(&mut emu, "25122026");
    keys(&mut emu, &[Key::Exe]);
    assert!(emu.screen_contains_text("17 days"), "{:?}", emu.text_on_screen());
    // Delete events before the 8th (5): the old one goes, the series
    // (which still repeats after the 8th) stays.
    keys(&mut emu, &[Key::Exit, Key::F5, Key::Digit5, Key::Exe, Key::F1]);
    assert!(emu.screen_contains_text("1 event(s) deleted."), "{:?}", emu.text_on_screen());
    assert_eq!(storage(&emu, "20261120.pce"), None);
    assert_eq!(titles(&emu, "20261201.pce"), ["CHOIR"]);
}

#[test]
fn an_oversized_damaged_file_is_kept_as_a_backup() {
    let test = "utilities_oversized";
    let emu = start(test);
    // 300 000 bytes of noise under an event file's name: six times what
    // the original reads, more than Utilities reads whole.
    let noise: Vec<u8> = (0..300_000u32).map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8).collect();
    put_storage(&emu, "20261220.pce", &noise);
    let good = original_file(&[original_event(3, (2026, 12, 21), (2026, 12, 21), false, (0, 0, 0, 0), "NEXT DAY", "", "")]);
    put_storage(&emu, "20261221.pce", &good);
    drop(emu);
    let mut emu = open(builder_again(test).start_time(start_time()));
    keys(&mut emu, &[Key::F3]);
    assert!(debug_since(&emu, 0).contains("1 damaged calendar file"));
    keys(&mut emu, &[Key::F1]);
    assert!(emu.screen_contains_text("Repaired."), "{:?}", emu.text_on_screen());
    keys(&mut emu, &[Key::Exit]);
    let backup = storage(&emu, "20261220.pce.bak").expect("the backup");
    assert!(backup == noise, "the bytes are kept ({} of {})", backup.len(), noise.len());
    assert_eq!(storage(&emu, "20261220.pce"), None, "nothing readable was in it");
    assert_eq!(storage(&emu, "20261221.pce").unwrap(), good, "the next day is untouched");
    assert!(emu.is_running());
}

#[test]
fn countdown_note_on_home() {
    let mut emu = start("utilities_note_on_home");
    // Settings → Notifications (4) → Countdown end (1) → Note on home (4).
    keys(&mut emu, &[Key::F5, Key::Digit4, Key::Digit1, Key::Digit4, Key::Exit, Key::Exit]);
    assert_eq!(emu.main_memory_item(FOLDER, "Set").unwrap()[21], 3);
    // A 5-second countdown, then back home.
    keys(&mut emu, &[Key::F2, Key::F1, Key::Digit2]);
    type_text(&mut emu, "5");
    keys(&mut emu, &[Key::Exe, Key::Exit]);
    emu.advance_time(Duration::from_secs(7)).unwrap();
    idle(&mut emu);
    assert!(debug_since(&emu, 0).contains("chronometer 1 finished"));
    assert_screen(&emu, "utilities-home-note");
}
