//! Clock: setting the calculator's time and date, and the clock's formats.

pub mod format;

use alloc::string::String;
use alloc::vec::Vec;

use prizm::time::{self, Date, DateTime, Time};
use prizm::ui;
use prizm::Calculator;

use crate::settings::{self, store};
use crate::widgets;

/// The 7-byte BCD record `RTC_SetDateTime` takes: century, year, month,
/// day, hour, minute, second (addins/utilities/docs/data-formats.md says where this comes from).
pub fn rtc_record(moment: &DateTime) -> [u8; 7] {
    let bcd = |value: u16| -> u8 { (((value / 10) % 10) << 4 | (value % 10)) as u8 };
    [
        bcd(moment.date.year / 100),
        bcd(moment.date.year % 100),
        bcd(u16::from(moment.date.month)),
        bcd(u16::from(moment.date.day)),
        bcd(u16::from(moment.time.hour)),
        bcd(u16::from(moment.time.minute)),
        bcd(u16::from(moment.time.second)),
    ]
}

/// Sets the real-time clock.
pub fn set_clock(moment: &DateTime) {
    let mut record = rtc_record(moment);
    // SAFETY: the record is 7 valid BCD bytes alive for the call; the OS
    // reads it and returns.
    unsafe { prizm::syscall::RTC_SetDateTime(record.as_mut_ptr()) };
}

/// Now, or the start of 2026 when the clock was never set.
pub fn now_or_default() -> DateTime {
    time::now().unwrap_or(DateTime {
        date: Date { year: 2026, month: 1, day: 1 },
        time: Time { hour: 0, minute: 0, second: 0 },
    })
}

/// Asks for a new time and sets it.
pub fn set_time(calculator: &mut Calculator) {
    let now = now_or_default();
    let start = crate::calendar::pce::RawTime::hm(u32::from(now.time.hour), u32::from(now.time.minute));
    if let Some(chosen) = widgets::ask_time(&mut calculator.display, "Set time", start) {
        let mut moment = now_or_default();
        moment.time = Time::new(chosen.hour as u8, chosen.minute as u8, chosen.second as u8).unwrap_or(moment.time);
        set_clock(&moment);
    }
}

/// Asks for a new date and sets it.
pub fn set_date(calculator: &mut Calculator) {
    let format = settings::load().get(store::DATE_FORMAT);
    let now = now_or_default();
    if let Some(date) = widgets::ask_date(&mut calculator.display, "Set date", now.date, format) {
        let mut moment = now_or_default();
        moment.date = date;
        set_clock(&moment);
    }
}

/// The clock screen: set time, set date, and the formats.
pub fn run(calculator: &mut Calculator) {
    let mut selected = 0;
    loop {
        let settings = settings::load();
        let now = now_or_default();
        let twelve = settings.get(store::TIME_FORMAT) == 1;
        let mut rows: Vec<String> = Vec::new();
        rows.push(alloc::format!("Set time ({})", format::time(now.time, twelve, false)));
        rows.push(alloc::format!(
            "Set date ({})",
            format::short_date(now.date, settings.get(store::DATE_FORMAT))
        ));
        for item in settings::CLOCK_SECTION.items {
            rows.push(alloc::format!("{}: {}", item.label, settings::value_text(item, settings.get(item.index))));
        }
        let labels: Vec<&str> = rows.iter().map(String::as_str).collect();
        let Some(choice) = widgets::choose(&mut calculator.display, "Clock", &labels, selected) else {
            return;
        };
        selected = choice;
        match choice {
            0 => set_time(calculator),
            1 => set_date(calculator),
            other => {
                let item = &settings::CLOCK_SECTION.items[other - 2];
                let names = settings::value_names(item);
                let names: Vec<&str> = names.iter().map(String::as_str).collect();
                let current = usize::from(settings.get(item.index));
                if let Some(value) = widgets::choose(&mut calculator.display, item.label, &names, current) {
                    let mut settings = settings::load();
                    settings.set(item.index, value as u8);
                    if let Err(error) = settings::save(&settings) {
                        ui::message_box(&mut calculator.display, "Clock", error.message());
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bcd_record() {
        let moment = DateTime {
            date: Date::new(2026, 12, 1).unwrap(),
            time: Time::new(17, 45, 9).unwrap(),
        };
        assert_eq!(rtc_record(&moment), [0x20, 0x26, 0x12, 0x01, 0x17, 0x45, 0x09]);
    }
}
