//! Calendar: month and week views with busy bars and counts, the events of
//! a day, the event editor, copy, move, delete, search, days between
//! dates, `.ics` and pending imports, and the repair of damaged files.
//!
//! Pure parts: [`pce`] (the original's file format), [`recur`]
//! (repetition), [`grid`] (month layout, marks), [`ics`] (iCalendar);
//! [`store`] reads and writes the files; the rest are screens.

pub mod editor;
pub mod grid;
pub mod ics;
pub mod pce;
pub mod recur;
pub mod store;

use alloc::collections::BTreeMap;
use alloc::string::String;
use alloc::vec::Vec;

use prizm::display::text::Font;
use prizm::keyboard::{self, Key};
use prizm::time::Date;
use prizm::ui::{self, draw_screen, FKeyBar, Frame, Rect, Screen, Surface, THEME};
use prizm::Calculator;

use crate::clock::format::{self, MONTHS, WEEKDAYS_SHORT};
use crate::settings::{self, store as keys, Settings};
use crate::widgets::{self, category_color, ListEvent, ListScreen};
use grid::{MonthGrid, WeekStart};
use pce::{display_text, Event, RawDate};
use store::{Entry, Index};

/// Which view is showing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum View {
    Month,
    Week,
}

/// The calendar's state while it is open.
struct Calendar {
    index: Index,
    cursor: Date,
    view: View,
    settings: Settings,
}

const FKEYS: [Option<&str>; 6] = [Some("Jump"), Some("Search"), Some("View"), Some("Today"), Some("Tools"), Some("Add")];

fn today() -> Date {
    crate::clock::now_or_default().date
}

fn report(calculator: &mut Calculator, message: &str) {
    ui::message_box(&mut calculator.display, "Calendar", message);
}

/// Opens the calendar.
pub fn run(calculator: &mut Calculator) {
    let Some(index) = build_index(calculator) else {
        return;
    };
    let settings = settings::load();
    let view = if settings.get(keys::DEFAULT_CALENDAR_VIEW) == 0 { View::Week } else { View::Month };
    let mut calendar = Calendar { index, cursor: today(), view, settings };
    offer_repair(calculator, &mut calendar);
    loop {
        {
            let mut screen = Screen::new(&mut calculator.display);
            match calendar.view {
                View::Month => draw_month(&mut screen, &calendar),
                View::Week => draw_week(&mut screen, &calendar),
            }
        }
        let key = keyboard::get_key();
        let step = match (calendar.view, key) {
            (View::Month, Key::Left) | (View::Week, Key::Up) => -1,
            (View::Month, Key::Right) | (View::Week, Key::Down) => 1,
            (View::Month, Key::Up) | (View::Week, Key::Left) => -7,
            (View::Month, Key::Down) | (View::Week, Key::Right) => 7,
            _ => 0,
        };
        if step != 0 {
            calendar.cursor = calendar.cursor.add_days(step);
            continue;
        }
        match key {
            Key::Exit => return,
            Key::Exe => day_view(calculator, &mut calendar),
            Key::F1 => {
                let format = calendar.settings.get(keys::DATE_FORMAT);
                if let Some(date) = widgets::ask_date(&mut calculator.display, "Jump to", calendar.cursor, format) {
                    calendar.cursor = date;
                }
            }
            Key::F2 => search(calculator, &mut calendar),
            Key::F3 => calendar.view = if calendar.view == View::Month { View::Week } else { View::Month },
            Key::F4 => calendar.cursor = today(),
            Key::F5 => tools(calculator, &mut calendar),
            Key::F6 => {
                let day = calendar.cursor;
                add(calculator, &mut calendar, day);
            }
            _ => {}
        }
    }
}

fn build_index(calculator: &mut Calculator) -> Option<Index> {
    let display = &mut calculator.display;
    let result = Index::build(|done, total| {
        if total > 20 && done % 10 == 0 {
            ui::show_progress(display, "Reading the calendar", done as u32, total as u32);
        }
    });
    match result {
        Ok(index) => Some(index),
        Err(error) => {
            report(calculator, &alloc::format!("Cannot read the calendar folder: {error:?}"));
            None
        }
    }
}

/// Tells about damaged files and offers to repair them.
fn offer_repair(calculator: &mut Calculator, calendar: &mut Calendar) {
    if calendar.index.damaged.is_empty() {
        return;
    }
    let mut message = alloc::format!("{} damaged file(s):\n", calendar.index.damaged.len());
    for damage in calendar.index.damaged.iter().take(3) {
        message.push_str(&damage.file.name);
        message.push_str(": ");
        if let Some(problem) = damage.problems.first() {
            problem.describe(&mut message);
        }
        message.push('\n');
    }
    message.push_str("Repair? (copies kept as .bak)");
    prizm::debug_println!("utilities: {} damaged calendar file(s)", calendar.index.damaged.len());
    if !ui::confirm(&mut calculator.display, "Calendar", &message) {
        return;
    }
    let mut failed = 0;
    for damage in core::mem::take(&mut calendar.index.damaged) {
        if store::repair(&damage).is_err() {
            failed += 1;
        }
    }
    if let Some(index) = build_index(calculator) {
        calendar.index = index;
        calendar.index.damaged.clear();
    }
    let message = if failed == 0 { String::from("Repaired.") } else { alloc::format!("{failed} file(s) could not be repaired.") };
    report(calculator, &message);
}

fn month_title(date: Date) -> String {
    alloc::format!("{} {}", MONTHS[usize::from(date.month - 1)], date.year)
}

fn draw_month(screen: &mut Screen, calendar: &Calendar) {
    let frame = Frame::default();
    let cursor = calendar.cursor;
    draw_screen(screen, &frame, &month_title(cursor));
    let start = WeekStart::from_setting(calendar.settings.get(keys::WEEK_START_DAY));
    let Some(grid) = MonthGrid::new(cursor.year, cursor.month, start) else {
        return;
    };
    let marks = grid::month_marks(&calendar.index.summaries(), cursor.year, cursor.month);
    let content = frame.content();
    let cell_width = content.width / 7;
    for column in 0..7 {
        let weekday = match start {
            WeekStart::Sunday => column,
            WeekStart::Monday => (column + 1) % 7,
        };
        screen.draw_text(column as i32 * cell_width + 14, content.y + 1, WEEKDAYS_SHORT[weekday], Font::Small, THEME.dim_text, None);
    }
    let top = content.y + 14;
    let row_height = (content.bottom() - top) / grid.cells.len() as i32;
    let today = today();
    let busy_bars = calendar.settings.get(keys::SHOW_BUSY_MAP) != 0;
    for (row, week) in grid.cells.iter().enumerate() {
        for (column, cell) in week.iter().enumerate() {
            let Some(day) = cell else { continue };
            let rect = Rect::new(column as i32 * cell_width + 1, top + row as i32 * row_height + 1, cell_width - 2, row_height - 2);
            let mark = marks[usize::from(*day) - 1];
            let selected = *day == cursor.day;
            let (background, ink) = if selected { (THEME.selection_background, THEME.selection_text) } else { (THEME.background, THEME.text) };
            screen.fill_rect(rect, background);
            if today == (Date { year: cursor.year, month: cursor.month, day: *day }) && !selected {
                screen.fill_rect(Rect::new(rect.x, rect.y, rect.width, 2), THEME.accent);
            }
            let label = alloc::format!("{day}");
            screen.draw_text(rect.x + 3, rect.y + 1, &label, Font::Medium, ink, None);
            if mark.starting > 0 {
                let count = alloc::format!("{}", mark.starting);
                let width = screen.text_width(&count, Font::Small);
                screen.draw_text(rect.right() - width - 3, rect.y + 2, &count, Font::Small, ink, None);
            }
            if busy_bars {
                if let Some(category) = mark.busy {
                    screen.fill_rect(Rect::new(rect.x + 2, rect.bottom() - 4, rect.width - 4, 3), category_color(u32::from(category)));
                }
            }
        }
    }
    FKeyBar::from_labels(FKEYS).draw(screen);
}

fn entry_label(entry: &Entry) -> String {
    let time = if entry.timed {
        alloc::format!("{:02}:{:02} ", entry.start_time.hour, entry.start_time.minute)
    } else {
        String::new()
    };
    alloc::format!("{time}{}", display_text(&entry.title))
}

fn draw_week(screen: &mut Screen, calendar: &Calendar) {
    let frame = Frame::default();
    let start = WeekStart::from_setting(calendar.settings.get(keys::WEEK_START_DAY));
    let first = start.week_of(calendar.cursor);
    let date_format = calendar.settings.get(keys::DATE_FORMAT);
    let title = alloc::format!("Week of {}", format::short_date(first, date_format));
    draw_screen(screen, &frame, &title);
    let content = frame.content();
    let row_height = content.height / 7;
    for offset in 0..7 {
        let day = first.add_days(offset);
        let rect = Rect::new(0, content.y + offset * row_height, content.width, row_height);
        let selected = day == calendar.cursor;
        let (background, ink) = if selected { (THEME.selection_background, THEME.selection_text) } else { (THEME.background, THEME.text) };
        screen.fill_rect(rect, background);
        let label = alloc::format!("{} {:>2}", WEEKDAYS_SHORT[usize::from(day.weekday().number_from_sunday())], day.day);
        screen.draw_text(4, rect.y + 2, &label, Font::Small, ink, None);
        let entries = calendar.index.on_day(day);
        let mut x = 60;
        for entry in entries.iter().take(4) {
            let text = entry_label(entry);
            screen.fill_rect(Rect::new(x, rect.y + 3, 6, rect.height - 6), category_color(u32::from(entry.summary.category)));
            let width = ui::text::draw_truncated(screen, x + 9, rect.y + 2, &text, 70, Font::Small, ink, None);
            x += width.max(20) + 18;
        }
        if entries.len() > 4 {
            let more = alloc::format!("+{}", entries.len() - 4);
            screen.draw_text(content.width - 30, rect.y + 2, &more, Font::Small, ink, None);
        }
        screen.fill_rect(Rect::new(0, rect.bottom() - 1, content.width, 1), THEME.dim_text);
    }
    FKeyBar::from_labels(FKEYS).draw(screen);
}

/// The stored event an index entry stands for, and its file's events.
fn load_entry(calculator: &mut Calculator, entry: &Entry) -> Option<(Vec<Event>, usize)> {
    match store::read_day(entry.file) {
        Ok(parsed) if entry.position < parsed.events.len() && parsed.events[entry.position].title == entry.title => {
            Some((parsed.events, entry.position))
        }
        Ok(_) => {
            report(calculator, "The event changed on storage; reopen the calendar.");
            None
        }
        Err(error) => {
            report(calculator, &alloc::format!("Cannot read the event: {error:?}"));
            None
        }
    }
}

/// Saves a day's events and refreshes the index; false (after telling the
/// user) when it failed.
fn save_day(calculator: &mut Calculator, calendar: &mut Calendar, date: RawDate, events: &[Event]) -> bool {
    match store::write_day(date, events) {
        Ok(()) => {
            calendar.index.add_file(date, events);
            true
        }
        Err(error) => {
            report(calculator, &error.message());
            false
        }
    }
}

/// Adds an event to its start day's file (with the 100-event limit).
fn add_to_day(calculator: &mut Calculator, calendar: &mut Calendar, event: Event) -> bool {
    let date = event.start;
    let mut events = match store::read_day(date) {
        Ok(parsed) => parsed.events,
        Err(error) => {
            report(calculator, &alloc::format!("Cannot read the day: {error:?}"));
            return false;
        }
    };
    if events.len() >= pce::MAX_DAY_EVENTS {
        report(calculator, &store::SaveError::TooManyEvents.message());
        return false;
    }
    events.push(event);
    save_day(calculator, calendar, date, &events)
}

fn add(calculator: &mut Calculator, calendar: &mut Calendar, day: Date) {
    let new = Event {
        category: 2,
        start: RawDate::from_date(day),
        end: RawDate::from_date(day),
        ..Event::default()
    };
    if let Some(event) = editor::edit(calculator, &new, false, "New event") {
        add_to_day(calculator, calendar, event);
    }
}

/// Moves or copies event `position` of file `file` to start on `to`.
/// Moving writes the new day first, then the old, so a power cut between
/// can leave a copy but never lose the event.
fn relocate(calculator: &mut Calculator, calendar: &mut Calendar, mut events: Vec<Event>, position: usize, to: Date, keep: bool) {
    let mut moved = events[position].clone();
    let length = moved.extra_days();
    let from = moved.start;
    moved.start = RawDate::from_date(to);
    moved.end = RawDate::from_date(to.add_days(length));
    if moved.start == from {
        if keep {
            events.push(moved);
            if events.len() > pce::MAX_DAY_EVENTS {
                report(calculator, &store::SaveError::TooManyEvents.message());
                return;
            }
            save_day(calculator, calendar, from, &events);
        }
        return;
    }
    if !add_to_day(calculator, calendar, moved) || keep {
        return;
    }
    events.remove(position);
    save_day(calculator, calendar, from, &events);
}

fn day_view(calculator: &mut Calculator, calendar: &mut Calendar) {
    let day = calendar.cursor;
    let date_format = calendar.settings.get(keys::DATE_FORMAT);
    let title = alloc::format!("{}", format::long_date(day, 2).0);
    let mut list = ListScreen::new(&title, Vec::new(), [Some("Add"), Some("Edit"), Some("Copy"), Some("Move"), Some("Delete"), Some("Remind")]);
    list.empty = "No events: F1 adds one";
    loop {
        let entries: Vec<Entry> = calendar.index.on_day(day).into_iter().cloned().collect();
        list.subtitle = alloc::format!("{} event(s)", entries.len());
        list.set_rows(
            entries
                .iter()
                .map(|entry| (entry_label(entry), Some(category_color(u32::from(entry.summary.category)))))
                .collect(),
        );
        let (key, at) = match list.next(&mut calculator.display) {
            ListEvent::Back => return,
            ListEvent::Open(at) => {
                if let Some((events, position)) = load_entry(calculator, &entries[at]) {
                    editor::view(calculator, &events[position]);
                }
                continue;
            }
            ListEvent::Key(key, at) => (key, at),
        };
        let Some(fkey) = widgets::fkey(key) else { continue };
        if fkey == 0 {
            add(calculator, calendar, day);
            continue;
        }
        let Some(entry) = entries.get(at) else { continue };
        let Some((mut events, position)) = load_entry(calculator, entry) else { continue };
        match fkey {
            1 => {
                if let Some(edited) = editor::edit(calculator, &events[position], false, "Edit event") {
                    if edited.start == events[position].start {
                        events[position] = edited;
                        save_day(calculator, calendar, entry.file, &events);
                    } else if add_to_day(calculator, calendar, edited) {
                        events.remove(position);
                        save_day(calculator, calendar, entry.file, &events);
                    }
                }
            }
            2 | 3 => {
                let prompt = if fkey == 2 { "Copy to" } else { "Move to" };
                if let Some(to) = widgets::ask_date(&mut calculator.display, prompt, day, date_format) {
                    relocate(calculator, calendar, events, position, to, fkey == 2);
                }
            }
            4 => {
                let repeating = events[position].rule.is_some();
                let choice = if repeating {
                    widgets::choose(&mut calculator.display, "Delete", &["This date only", "Every date"], 0)
                } else if ui::confirm(&mut calculator.display, "Calendar", "Delete the selected event?") {
                    Some(1)
                } else {
                    None
                };
                match choice {
                    Some(0) => {
                        let added = events[position].rule.as_mut().is_some_and(|rule| rule.add_exception(day));
                        if added {
                            save_day(calculator, calendar, entry.file, &events);
                        } else {
                            report(calculator, "Too many dates left out of this event.");
                        }
                    }
                    Some(_) => {
                        events.remove(position);
                        save_day(calculator, calendar, entry.file, &events);
                    }
                    None => {}
                }
            }
            5 => remind(calculator, &events[position], day),
            _ => {}
        }
    }
}

/// Starts a countdown in the first free chronometer that ends when the
/// event's occurrence on `day` starts (midnight for all-day events).
fn remind(calculator: &mut Calculator, event: &Event, day: Date) {
    let start = if event.timed { event.start_time.seconds() } else { 0 };
    let at = i64::from(day.days_since_epoch()) * 86_400 + i64::from(start);
    let mut chronos = crate::chrono::load();
    let Some(slot) = chronos.iter().position(|chrono| chrono.run == crate::chrono::state::Run::Cleared) else {
        report(calculator, "All 20 chronometers are in use.");
        return;
    };
    if chronos[slot].start_until(at, crate::chrono::now_seconds()).is_none() {
        report(calculator, "The event starts in the past or more than 99 days away.");
        return;
    }
    crate::chrono::save(calculator, &chronos);
    report(calculator, &alloc::format!("Chronometer {} counts down to it.", slot + 1));
}

/// A search hit.
struct Hit {
    date: Date,
    title: Vec<u8>,
    category: u32,
}

fn search(calculator: &mut Calculator, calendar: &mut Calendar) {
    let Some(needle) = widgets::ask_text(&mut calculator.display, "Search", "Find in events:", b"", 30) else {
        return;
    };
    let needle = String::from_utf8_lossy(&needle).into_owned();
    let scopes = ["This day", "This month", "This year", "Everywhere", "Between two dates"];
    let Some(scope) = widgets::choose(&mut calculator.display, "Search in", &scopes, 1) else {
        return;
    };
    let cursor = calendar.cursor;
    let (mut from, mut to) = (cursor, cursor);
    if scope == 4 {
        let format = calendar.settings.get(keys::DATE_FORMAT);
        let Some(first) = widgets::ask_date(&mut calculator.display, "Search from", cursor, format) else { return };
        let Some(last) = widgets::ask_date(&mut calculator.display, "Search to", first, format) else { return };
        (from, to) = (first.min(last), first.max(last));
    }
    let files = match store::list_files() {
        Ok(files) => files,
        Err(error) => {
            report(calculator, &alloc::format!("Cannot list the calendar: {error:?}"));
            return;
        }
    };
    let mut hits: Vec<Hit> = Vec::new();
    for file in files {
        let Some(date) = file.date.date() else { continue };
        let wanted = match scope {
            0 => date == cursor,
            1 => date.year == cursor.year && date.month == cursor.month,
            2 => date.year == cursor.year,
            3 => true,
            _ => date >= from && date <= to,
        };
        if !wanted {
            continue;
        }
        let Ok(parsed) = store::read_day(file.date) else { continue };
        for event in parsed.events.iter().filter(|event| pce::matches(event, &needle)) {
            if hits.len() < 200 {
                hits.push(Hit { date, title: event.title.clone(), category: event.category });
            }
        }
    }
    let date_format = calendar.settings.get(keys::DATE_FORMAT);
    let title = alloc::format!("Search: {needle}");
    let rows = hits
        .iter()
        .map(|hit| (alloc::format!("{} {}", format::short_date(hit.date, date_format), display_text(&hit.title)), Some(category_color(hit.category))))
        .collect();
    let mut list = ListScreen::new(&title, rows, [None; 6]);
    list.subtitle = alloc::format!("{} found", hits.len());
    list.empty = "Nothing found";
    loop {
        match list.next(&mut calculator.display) {
            ListEvent::Open(at) => {
                calendar.cursor = hits[at].date;
                day_view(calculator, calendar);
            }
            ListEvent::Back => return,
            ListEvent::Key(..) => {}
        }
    }
}

fn tools(calculator: &mut Calculator, calendar: &mut Calendar) {
    let items = [
        "Days between dates",
        "Import .ics file",
        "Import pending (00001-00099.pce)",
        "Check and repair",
        "Delete events before a date",
    ];
    let Some(choice) = widgets::choose(&mut calculator.display, "Calendar tools", &items, 0) else {
        return;
    };
    match choice {
        0 => days_between(calculator, calendar),
        1 => import_ics(calculator, calendar),
        2 => import_pending(calculator, calendar),
        4 => trim(calculator, calendar),
        _ => {
            if let Some(index) = build_index(calculator) {
                calendar.index = index;
                if calendar.index.damaged.is_empty() {
                    report(calculator, "No damaged files.");
                } else {
                    offer_repair(calculator, calendar);
                }
            }
        }
    }
}

/// Deletes the events that start before a chosen date; repeating events
/// that still occur from that date on are kept.
fn trim(calculator: &mut Calculator, calendar: &mut Calendar) {
    let format = calendar.settings.get(keys::DATE_FORMAT);
    let Some(cutoff) = widgets::ask_date(&mut calculator.display, "Delete before", calendar.cursor, format) else {
        return;
    };
    let question = alloc::format!("Delete every event before {}?", format::short_date(cutoff, format));
    if !ui::confirm(&mut calculator.display, "Calendar", &question) {
        return;
    }
    let files = store::list_files().unwrap_or_default();
    let (mut deleted, mut failed) = (0usize, 0usize);
    for file in files {
        let Some(date) = file.date.date() else { continue };
        if date >= cutoff {
            continue;
        }
        let Ok(parsed) = store::read_day(file.date) else {
            failed += 1;
            continue;
        };
        let before = parsed.events.len();
        let kept: Vec<Event> = parsed
            .events
            .into_iter()
            .filter(|event| {
                let mut later = false;
                if let (Some(rule), Some(start)) = (&event.rule, event.start.date()) {
                    // About eight years ahead is enough to see any sensible rule again.
                    rule.starts_between(start, cutoff, cutoff.add_days(3000), |_| later = true);
                }
                later
            })
            .collect();
        if kept.len() == before {
            continue;
        }
        match store::write_day(file.date, &kept) {
            Ok(()) => {
                deleted += before - kept.len();
                calendar.index.add_file(file.date, &kept);
            }
            Err(_) => failed += 1,
        }
    }
    let mut message = alloc::format!("{deleted} event(s) deleted.");
    if failed > 0 {
        message.push_str(&alloc::format!("\n{failed} file(s) could not be changed."));
    }
    report(calculator, &message);
}

fn days_between(calculator: &mut Calculator, calendar: &Calendar) {
    let format = calendar.settings.get(keys::DATE_FORMAT);
    let display = &mut calculator.display;
    let Some(first) = widgets::ask_date(display, "From", calendar.cursor, format) else { return };
    let Some(second) = widgets::ask_date(display, "To", today(), format) else { return };
    let days = second.days_since(first);
    let message = alloc::format!("{days} days\n({} weeks and {} days)", days.abs() / 7, days.abs() % 7);
    ui::message_box(display, "Days between", &message);
}

/// Adds imported events day by day; returns (added, refused because a day is full).
fn add_many(calculator: &mut Calculator, calendar: &mut Calendar, events: Vec<Event>) -> (usize, usize) {
    let mut by_day: BTreeMap<RawDate, Vec<Event>> = BTreeMap::new();
    for event in events {
        by_day.entry(event.start).or_default().push(event);
    }
    let (mut added, mut refused) = (0, 0);
    let total = by_day.len();
    for (number, (date, new)) in by_day.into_iter().enumerate() {
        ui::show_progress(&mut calculator.display, "Importing", number as u32, total as u32);
        let mut events = store::read_day(date).map(|parsed| parsed.events).unwrap_or_default();
        let room = pce::MAX_DAY_EVENTS.saturating_sub(events.len());
        let count = new.len();
        events.extend(new.into_iter().take(room));
        let taken = count.min(room);
        if taken > 0 && store::write_day(date, &events).is_ok() {
            calendar.index.add_file(date, &events);
            added += taken;
            refused += count - taken;
        } else {
            refused += count;
        }
    }
    (added, refused)
}

/// Largest `.ics` file imported.
const MAX_ICS: usize = 256 * 1024;

fn import_ics(calculator: &mut Calculator, calendar: &mut Calendar) {
    let mut found: Vec<String> = Vec::new();
    for folder in ["\\\\fls0", store::FOLDER] {
        let Ok(path) = prizm::fs::Path::new(folder) else { continue };
        if let Ok(listing) = prizm::fs::read_dir_matching(&path, "*.ics") {
            for entry in listing.flatten() {
                if !entry.is_dir() {
                    let mut full = String::from(folder);
                    full.push('\\');
                    full.push_str(entry.name());
                    found.push(full);
                }
            }
        }
    }
    if found.is_empty() {
        report(calculator, "No .ics file in storage memory (root or @UTILS folder).");
        return;
    }
    let names: Vec<&str> = found.iter().map(|name| name.rsplit('\\').next().unwrap_or(name)).collect();
    let Some(choice) = widgets::choose(&mut calculator.display, "Import .ics", &names, 0) else {
        return;
    };
    let Ok(path) = prizm::fs::Path::new(&found[choice]) else {
        report(calculator, "Cannot read the file.");
        return;
    };
    if store::file_size(&path).ok().flatten().unwrap_or(0) > MAX_ICS {
        report(calculator, "The file is larger than 256 KiB.");
        return;
    }
    let bytes = match store::read_up_to(&path, MAX_ICS) {
        Ok(Some(bytes)) => bytes,
        Err(prizm::fs::FsError::DeviceFull) => {
            report(calculator, "Not enough memory to read the file.");
            return;
        }
        _ => {
            report(calculator, "Cannot read the file.");
            return;
        }
    };
    let text = String::from_utf8_lossy(&bytes);
    let offset = calendar.settings.utc_offset_minutes();
    let import = ics::parse(&text, offset);
    let skipped = import.skipped;
    let simplified = import.simplified;
    let (added, refused) = add_many(calculator, calendar, import.events);
    let mut message = alloc::format!("{added} event(s) imported.");
    if skipped > 0 {
        message.push_str(&alloc::format!("\n{skipped} left out (cancelled or no date)."));
    }
    if simplified > 0 {
        message.push_str(&alloc::format!("\n{simplified} repeat(s) too complex: first date only."));
    }
    if refused > 0 {
        message.push_str(&alloc::format!("\n{refused} not added: day full."));
    }
    prizm::debug_println!("utilities: imported {} events", added);
    report(calculator, &message);
}

fn import_pending(calculator: &mut Calculator, calendar: &mut Calendar) {
    let pending = core::mem::take(&mut calendar.index.pending);
    if pending.is_empty() {
        report(calculator, "No pending imports (00001-00099.pce).");
        return;
    }
    let mut total_added = 0;
    let mut total_refused = 0;
    for file in pending {
        let Ok(parsed) = store::read_day(file.date) else { continue };
        let events: Vec<Event> = parsed.events.into_iter().filter(|event| event.start.date().is_some()).collect();
        let (added, refused) = add_many(calculator, calendar, events);
        total_added += added;
        total_refused += refused;
        // Only once every event is in its day does the pending file go.
        if refused == 0 {
            if let Ok(path) = store::path_of(file.date) {
                let _ = prizm::fs::delete(&path);
            }
        }
    }
    let mut message = alloc::format!("{total_added} event(s) imported.");
    if total_refused > 0 {
        message.push_str(&alloc::format!("\n{total_refused} not added: day full."));
    }
    report(calculator, &message);
}
