//! The event (and task) editor, and the page that shows one event.

use alloc::string::String;
use alloc::vec::Vec;

use prizm::time::Date;
use prizm::ui;
use prizm::Calculator;

use super::pce::{self, display_text, Event, RawDate, RawTime};
use super::recur::{End, Frequency, Rule};
use crate::clock::format;
use crate::widgets::{self, CATEGORY_NAMES};

const FREQUENCIES: [Frequency; 5] = [
    Frequency::Daily,
    Frequency::Weekly,
    Frequency::MonthlyByDate,
    Frequency::MonthlyByWeekday,
    Frequency::Yearly,
];

/// One line describing a rule.
pub fn rule_text(rule: Option<&Rule>) -> String {
    let Some(rule) = rule else {
        return String::from("Never");
    };
    let mut text = String::from(rule.frequency.name());
    if rule.interval > 1 {
        text.push_str(&alloc::format!(" x{}", rule.interval));
    }
    match rule.end {
        End::Never => {}
        End::Until(date) => text.push_str(&alloc::format!(" until {date}")),
        End::Count(count) => text.push_str(&alloc::format!(", {count} times")),
    }
    if !rule.exceptions.is_empty() {
        text.push_str(&alloc::format!(", {} skipped", rule.exceptions.len()));
    }
    text
}

fn date_text(date: RawDate, format: u8) -> String {
    match date.date() {
        Some(date) => String::from(format::short_date(date, format).as_str()),
        None => String::from("?"),
    }
}

fn time_text(time: RawTime) -> String {
    alloc::format!("{:02}:{:02}", time.hour, time.minute)
}

/// Asks for a repetition; `Err(())` when cancelled.
fn ask_rule(calculator: &mut Calculator, current: Option<&Rule>, start: Date, date_format: u8) -> Result<Option<Rule>, ()> {
    let display = &mut calculator.display;
    let mut names: Vec<&str> = alloc::vec!["Never"];
    names.extend(FREQUENCIES.iter().map(|f| f.name()));
    let selected = current.map_or(0, |rule| 1 + FREQUENCIES.iter().position(|f| *f == rule.frequency).unwrap_or(0));
    let choice = widgets::choose(display, "Repeat", &names, selected).ok_or(())?;
    if choice == 0 {
        return Ok(None);
    }
    let mut rule = Rule::new(FREQUENCIES[choice - 1]);
    if let Some(old) = current {
        rule.exceptions = old.exceptions.clone();
    }
    rule.interval = widgets::ask_number(display, "Repeat", "Every how many (1 = each):", u32::from(current.map_or(1, |r| r.interval)), 1..=999)
        .ok_or(())? as u16;
    let ends = ["Never", "On a date", "After a number of times"];
    rule.end = match widgets::choose(display, "Repeat ends", &ends, 0).ok_or(())? {
        0 => End::Never,
        1 => End::Until(widgets::ask_date(display, "Repeat until", start, date_format).ok_or(())?),
        _ => End::Count(widgets::ask_number(display, "Repeat", "How many times:", 10, 1..=9999).ok_or(())? as u16),
    };
    Ok(Some(rule))
}

/// Edits `event` (a task when `is_task`); `Some` with the result on Save,
/// `None` when abandoned.
pub fn edit(calculator: &mut Calculator, original: &Event, is_task: bool, title: &str) -> Option<Event> {
    let settings = crate::settings::load();
    let date_format = settings.get(crate::settings::store::DATE_FORMAT);
    let mut event = original.clone();
    let mut selected = 0;
    loop {
        let mut rows: Vec<String> = alloc::vec![
            alloc::format!("Title: {}", display_text(&event.title)),
            alloc::format!("Location: {}", display_text(&event.location)),
            alloc::format!("Description: {}", display_text(&event.description)),
            alloc::format!("Colour: {}", CATEGORY_NAMES[(event.category % 8) as usize]),
        ];
        if !is_task {
            rows.push(alloc::format!("Start: {}", date_text(event.start, date_format)));
            rows.push(alloc::format!("End: {}", date_text(event.end, date_format)));
            rows.push(alloc::format!("All day: {}", if event.timed { "No" } else { "Yes" }));
            if event.timed {
                rows.push(alloc::format!("Start time: {}", time_text(event.start_time)));
                rows.push(alloc::format!("End time: {}", time_text(event.end_time)));
            }
            rows.push(alloc::format!("Repeat: {}", rule_text(event.rule.as_ref())));
        }
        rows.push(String::from("Save"));
        let labels: Vec<&str> = rows.iter().map(String::as_str).collect();
        let Some(choice) = widgets::choose(&mut calculator.display, title, &labels, selected) else {
            if event == *original || ui::confirm(&mut calculator.display, title, "Discard the changes?") {
                return None;
            }
            continue;
        };
        selected = choice;
        let label = labels[choice].split(':').next().unwrap_or("");
        let display = &mut calculator.display;
        match label {
            "Title" => {
                if let Some(text) = widgets::ask_text(display, title, "Title (21 characters):", &event.title, pce::MAX_TITLE) {
                    event.title = text;
                }
            }
            "Location" => {
                if let Some(text) = widgets::ask_text(display, title, "Location:", &event.location, pce::MAX_LOCATION) {
                    event.location = text;
                }
            }
            "Description" => {
                if let Some(text) = widgets::ask_text(display, title, "Description:", &event.description, pce::MAX_DESCRIPTION) {
                    event.description = text;
                }
            }
            "Colour" => {
                if let Some(category) = widgets::choose(display, "Colour", &CATEGORY_NAMES, (event.category % 8) as usize) {
                    event.category = category as u32;
                }
            }
            "Start" => {
                let current = event.start.date().unwrap_or(crate::clock::now_or_default().date);
                if let Some(date) = widgets::ask_date(display, "Start date", current, date_format) {
                    // Keep the length when the start moves.
                    let length = event.extra_days();
                    event.start = RawDate::from_date(date);
                    event.end = RawDate::from_date(date.add_days(length));
                }
            }
            "End" => {
                let current = event.end.date().or(event.start.date()).unwrap_or(crate::clock::now_or_default().date);
                if let Some(date) = widgets::ask_date(display, "End date", current, date_format) {
                    if event.start.date().is_some_and(|start| date < start) {
                        ui::message_box(display, title, "The end is before the start.");
                    } else {
                        event.end = RawDate::from_date(date);
                    }
                }
            }
            "All day" => {
                event.timed = !event.timed;
                if event.timed && event.end_time == RawTime::default() {
                    event.start_time = RawTime::hm(9, 0);
                    event.end_time = RawTime::hm(10, 0);
                }
            }
            "Start time" => {
                if let Some(time) = widgets::ask_time(display, "Start time", event.start_time) {
                    event.start_time = time;
                    if event.start == event.end && event.end_time.seconds() < time.seconds() {
                        event.end_time = time;
                    }
                }
            }
            "End time" => {
                if let Some(time) = widgets::ask_time(display, "End time", event.end_time) {
                    if event.start == event.end && time.seconds() < event.start_time.seconds() {
                        ui::message_box(display, title, "The end is before the start.");
                    } else {
                        event.end_time = time;
                    }
                }
            }
            "Repeat" => {
                let start = event.start.date().unwrap_or(crate::clock::now_or_default().date);
                if let Ok(rule) = ask_rule(calculator, event.rule.as_ref(), start, date_format) {
                    event.rule = rule;
                }
            }
            _ => {
                if event.title.is_empty() {
                    ui::message_box(display, title, "Give it a title first.");
                } else {
                    return Some(event);
                }
            }
        }
    }
}

/// Shows every field of `event`.
pub fn view(calculator: &mut Calculator, event: &Event) {
    let date_format = crate::settings::load().get(crate::settings::store::DATE_FORMAT);
    let mut text = display_text(&event.title);
    text.push('\n');
    if event.is_task() {
        text.push_str(if event.is_done() { "Done\n" } else { "Not done\n" });
    } else {
        text.push_str(&alloc::format!("From {}", date_text(event.start, date_format)));
        if event.timed {
            text.push_str(&alloc::format!(" {}", time_text(event.start_time)));
        }
        text.push_str(&alloc::format!("\nTo {}", date_text(event.end, date_format)));
        if event.timed {
            text.push_str(&alloc::format!(" {}", time_text(event.end_time)));
        }
        text.push_str(&alloc::format!("\nRepeats: {}\n", rule_text(event.rule.as_ref())));
    }
    if !event.location.is_empty() {
        text.push_str(&alloc::format!("At: {}\n", display_text(&event.location)));
    }
    text.push_str(&alloc::format!("Colour: {}\n", CATEGORY_NAMES[(event.category % 8) as usize]));
    for line in event.description.split(|&b| b == b'\n') {
        text.push_str(&display_text(line));
        text.push('\n');
    }
    widgets::show_text(&mut calculator.display, if event.is_task() { "Task" } else { "Event" }, &text);
}
