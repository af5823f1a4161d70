//! Settings: the store in main memory ([`store`]) and the settings screen.
//!
//! The screen is data: a list of [`Section`]s, each a list of [`Item`]s
//! naming a settings byte and its values. Adding a section is adding one
//! `const` [`Section`] to [`SECTIONS`] (part 2 adds its own there).

pub mod store;

use alloc::string::String;
use alloc::vec::Vec;

use prizm::mcs::{self, McsError, Name};
use prizm::Calculator;

pub use store::Settings;

use crate::clock::format::{timezone_label, CLOCK_STYLE_NAMES, TIMEZONE_MAX};
use crate::home::dst::RULE_NAMES;
use crate::home::panes::PANE_NAMES;

/// Reads the settings (defaults when there are none).
pub fn load() -> Settings {
    let mut buffer = [0u8; store::SIZE + 16];
    let stored = match (Name::new(store::FOLDER), Name::new(store::ITEM)) {
        (Ok(folder), Ok(item)) => mcs::get(&folder, &item, &mut buffer).ok(),
        _ => None,
    };
    Settings::from_stored(stored.map(|length| &buffer[..length])).0
}

/// Keeps `settings` in main memory: overwritten in place when the item
/// has our size (nothing is ever missing), written anew otherwise.
pub fn save(settings: &Settings) -> Result<(), McsError> {
    put_item(store::ITEM, &settings.to_stored())
}

/// Stores one item of `@UTILS`, in place when the size matches.
pub fn put_item(item: &str, data: &[u8]) -> Result<(), McsError> {
    let folder = Name::new(store::FOLDER)?;
    let item = Name::new(item)?;
    if mcs::len(&folder, &item) == Ok(data.len()) {
        return mcs::overwrite(&folder, &item, data, 0);
    }
    mcs::store(&folder, &item, data)
}

/// The values a setting takes.
#[derive(Debug, Clone, Copy)]
pub enum Values {
    /// Byte 0, 1, 2… named in order.
    Named(&'static [&'static str]),
    /// A time zone (see `store::TIMEZONE`).
    TimeZone,
}

/// One setting on the screen.
#[derive(Debug, Clone, Copy)]
pub struct Item {
    /// Its label.
    pub label: &'static str,
    /// Its byte in [`Settings`].
    pub index: usize,
    /// Its values.
    pub values: Values,
}

/// A group of settings.
#[derive(Debug, Clone, Copy)]
pub struct Section {
    /// Its name.
    pub title: &'static str,
    /// Its settings.
    pub items: &'static [Item],
}

const OFF_ON: &[&str] = &["Off", "On"];

/// Date and time formats.
pub const CLOCK_SECTION: Section = Section {
    title: "Clock",
    items: &[
        Item { label: "Time format", index: store::TIME_FORMAT, values: Values::Named(&["24-hour", "12-hour"]) },
        Item {
            label: "Date format",
            index: store::DATE_FORMAT,
            values: Values::Named(&["DD/MM/YYYY", "MM/DD/YYYY", "YYYY/MM/DD"]),
        },
        Item {
            label: "Long date",
            index: store::LONG_DATE_FORMAT,
            values: Values::Named(&[
                "Weekday, Month 1 +year",
                "Weekday, 1st Month +year",
                "Weekday, 1st Month 2026",
                "Weekday, 1st Month",
                "Month 1 +year",
                "Month 1, 2026",
                "Month 1",
                "1st Month +year",
                "1st Month 2026",
                "1st Month",
            ]),
        },
        Item { label: "Time zone", index: store::TIMEZONE, values: Values::TimeZone },
        Item { label: "Summer time note", index: store::DST_RULE, values: Values::Named(&RULE_NAMES) },
    ],
};

/// The home screen.
pub const HOME_SECTION: Section = Section {
    title: "Home",
    items: &[
        Item { label: "Clock style", index: store::CLOCK_TYPE, values: Values::Named(&CLOCK_STYLE_NAMES) },
        Item { label: "Seconds", index: store::CLOCK_SECONDS, values: Values::Named(OFF_ON) },
        Item { label: "Theme", index: store::THEME, values: Values::Named(&["Light", "Dark"]) },
        Item { label: "F-key labels", index: store::DISPLAY_FKEYS, values: Values::Named(OFF_ON) },
        Item { label: "Pane", index: store::HOME_PANE, values: Values::Named(&PANE_NAMES) },
    ],
};

/// Calendar and chronometers.
pub const CALENDAR_SECTION: Section = Section {
    title: "Calendar",
    items: &[
        Item { label: "Week starts", index: store::WEEK_START_DAY, values: Values::Named(&["Sunday", "Monday"]) },
        Item { label: "Opens in", index: store::DEFAULT_CALENDAR_VIEW, values: Values::Named(&["Week view", "Month view"]) },
        Item { label: "Busy bars", index: store::SHOW_BUSY_MAP, values: Values::Named(OFF_ON) },
    ],
};

/// Notifications.
pub const NOTIFICATIONS_SECTION: Section = Section {
    title: "Notifications",
    items: &[Item {
        label: "Countdown end",
        index: store::CHRONO_NOTIFICATION,
        values: Values::Named(&["None", "Flashing pop-up", "Pop-up", "Note on home"]),
    }],
};

/// Every section, in screen order.
pub const SECTIONS: &[Section] = &[CLOCK_SECTION, HOME_SECTION, CALENDAR_SECTION, NOTIFICATIONS_SECTION];

/// The text of a setting's value.
pub fn value_text(item: &Item, value: u8) -> String {
    match item.values {
        Values::Named(names) => String::from(names.get(usize::from(value)).copied().unwrap_or("?")),
        Values::TimeZone => String::from(timezone_label(value).as_str()),
    }
}

/// The names of all values of an item.
pub fn value_names(item: &Item) -> Vec<String> {
    match item.values {
        Values::Named(names) => names.iter().map(|name| String::from(*name)).collect(),
        Values::TimeZone => (0..=TIMEZONE_MAX).map(|value| String::from(timezone_label(value).as_str())).collect(),
    }
}

/// Lets the user change the items of `section`; saves each change.
pub fn edit_section(calculator: &mut Calculator, section: &Section) {
    let mut selected = 0;
    loop {
        let settings = load();
        let labels: Vec<String> = section
            .items
            .iter()
            .map(|item| alloc::format!("{}: {}", item.label, value_text(item, settings.get(item.index))))
            .collect();
        let rows: Vec<&str> = labels.iter().map(String::as_str).collect();
        let Some(choice) = crate::widgets::choose(&mut calculator.display, section.title, &rows, selected) else {
            return;
        };
        selected = choice;
        let item = &section.items[choice];
        let names = value_names(item);
        let names: Vec<&str> = names.iter().map(String::as_str).collect();
        let current = usize::from(settings.get(item.index));
        if let Some(value) = crate::widgets::choose(&mut calculator.display, item.label, &names, current) {
            let mut settings = load();
            settings.set(item.index, value as u8);
            if let Err(error) = save(&settings) {
                prizm::ui::message_box(&mut calculator.display, "Settings", error.message());
            }
        }
    }
}

/// The settings screen: part 1's sections, then part 2's (lock, power,
/// file manager), each opening its own screen.
pub fn run(calculator: &mut Calculator) {
    let others = crate::system::settings_sections();
    let titles: Vec<&str> = SECTIONS
        .iter()
        .map(|section| section.title)
        .chain(others.iter().map(|section| section.title))
        .collect();
    let mut selected = 0;
    while let Some(choice) = crate::widgets::choose(&mut calculator.display, "Settings", &titles, selected) {
        selected = choice;
        match SECTIONS.get(choice) {
            Some(section) => edit_section(calculator, section),
            None => (others[choice - SECTIONS.len()].open)(calculator),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_item_names_each_value_it_can_hold() {
        for section in SECTIONS {
            for item in section.items {
                assert!(item.index > 0 && item.index < store::SIZE, "{}", item.label);
                let names = value_names(item);
                assert!(names.len() >= 2, "{}", item.label);
                assert_eq!(value_text(item, (names.len() - 1) as u8), names[names.len() - 1]);
            }
        }
        assert_eq!(value_text(&CLOCK_SECTION.items[3], 51), "UTC+00:00");
        assert_eq!(value_names(&HOME_SECTION.items[0]).len(), 12);
    }
}
