//! First run: when Utilities has no settings item yet, a short wizard asks
//! the time format, the date format and the time zone, offers to set the
//! clock, and saves the settings. The item then exists, so the wizard
//! never shows again (EXIT on a step keeps that step's default).

use alloc::string::String;
use alloc::vec::Vec;

use prizm::mcs::{self, Name};
use prizm::Calculator;

use crate::settings::{self, store, Settings, CLOCK_SECTION};

/// The settings the wizard asks for, in order (from the Clock section).
const STEPS: [usize; 3] = [store::TIME_FORMAT, store::DATE_FORMAT, store::TIMEZONE];

/// Whether the settings item is missing (the first run on this calculator).
pub fn is_first_run() -> bool {
    match (Name::new(store::FOLDER), Name::new(store::ITEM)) {
        (Ok(folder), Ok(item)) => mcs::len(&folder, &item).is_err(),
        _ => false,
    }
}

/// The title of step `number` (1-based) of the wizard.
pub fn step_title(number: usize, label: &str) -> String {
    alloc::format!("Welcome {}/{}: {}", number, STEPS.len() + 1, label)
}

/// Runs the wizard when this is the first run.
pub fn run_if_first(calculator: &mut Calculator) {
    if is_first_run() {
        run(calculator);
    }
}

/// The wizard itself: one choice per step, then saves, then the clock.
pub fn run(calculator: &mut Calculator) {
    let mut chosen = Settings::default();
    for (number, index) in STEPS.iter().enumerate() {
        let Some(item) = CLOCK_SECTION.items.iter().find(|item| item.index == *index) else {
            continue;
        };
        let names = settings::value_names(item);
        let names: Vec<&str> = names.iter().map(String::as_str).collect();
        let title = step_title(number + 1, item.label);
        let current = usize::from(chosen.get(*index));
        if let Some(value) = crate::widgets::choose(&mut calculator.display, &title, &names, current) {
            chosen.set(*index, value as u8);
        }
    }
    // The original's own first-run marker: it then skips its wizard too.
    chosen.set(store::FIRST_RUN, 0);
    if let Err(error) = settings::save(&chosen) {
        prizm::ui::message_box(&mut calculator.display, "Settings", error.message());
    }
    let title = step_title(STEPS.len() + 1, "Clock");
    let answers = ["Set the time and date now", "Keep the clock as it is"];
    if crate::widgets::choose(&mut calculator.display, &title, &answers, 0) == Some(0) {
        crate::clock::set_time(calculator);
        crate::clock::set_date(calculator);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_step_is_an_item_of_the_clock_section() {
        for index in STEPS {
            assert!(CLOCK_SECTION.items.iter().any(|item| item.index == index), "{index}");
        }
        assert_eq!(step_title(1, "Time format"), "Welcome 1/4: Time format");
    }
}
