//! Memory, system and power: usage bars for storage and main memory, the
//! OS version and date, model, device ID, battery voltage and power
//! source, CPU clock, Utilities' own stack and heap use; the power settings
//! (auto power-off, backlight duration and level), a lantern and colour
//! lights.
//!
//! Part 2's settings live in main memory through [`store`].

pub mod store;

use alloc::format;
use alloc::string::String;
use core::fmt::Write;

use prizm::display::text::Font;
use prizm::display::{self, Rgb565};
use prizm::keyboard::{self, Key};
use prizm::ui::{self, FKeyBar, Frame, Menu, Rect, Screen, Surface, TitleBar, THEME};
use prizm::Calculator;

use crate::files::browser::format_size;

use prizm_platform::memory::CPU_HZ;

/// Auto power-off choices, in minutes.
pub const POWER_OFF_MINUTES: [i32; 8] = [1, 2, 5, 10, 20, 30, 60, 150];
/// Backlight duration choices, in half-minutes (the OS's unit).
pub const BACKLIGHT_HALF_MINUTES: [i32; 6] = [1, 2, 4, 6, 10, 20];
/// Backlight level choices (0 dark … 249 brightest), ten even steps.
pub const BACKLIGHT_LEVELS: [u8; 10] = [25, 50, 75, 100, 125, 150, 175, 200, 225, 249];

/// What the information screen shows.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Facts {
    /// Bytes in files in storage memory.
    pub storage_used: u64,
    /// Bytes free in storage memory.
    pub storage_free: u64,
    /// Main memory: capacity, used.
    pub main_capacity: u32,
    /// Main memory bytes used.
    pub main_used: u32,
    /// "02.02.0201".
    pub os_version: String,
    /// The OS's build date as stored ("2026.1123.1200").
    pub os_date: String,
    /// What powers the calculator: "batteries", "USB", "emulator", "unknown".
    pub power_source: &'static str,
    /// "fx-CG 20".
    pub model: &'static str,
    /// The 8-byte ID in hexadecimal.
    pub device_id: String,
    /// Main battery, millivolts.
    pub battery_millivolts: u32,
    /// CPU clock in Hz.
    pub cpu_hz: u32,
    /// Utilities' stack in use, bytes.
    pub stack_used: u32,
    /// Utilities' heap arena: capacity and bytes in use.
    pub heap_capacity: u32,
    /// Heap bytes in use.
    pub heap_used: u32,
}

/// The CPU clock from FRQCR's PLL multiplier field (bits 24–29 hold the
/// multiplier less one; ×16 is the normal 58 MHz, 3.625 MHz a step).
pub fn cpu_hz_from_frqcr(frqcr: u32) -> u32 {
    let multiplier = ((frqcr >> 24) & 0x3F) + 1;
    multiplier * (CPU_HZ / 16)
}

fn read_frqcr() -> u32 {
    #[cfg(target_os = "none")]
    {
        // SAFETY: FRQCR is a 32-bit clock-control register, always
        // readable at this fixed address on the SH7305; reading it has no
        // side effect.
        unsafe { core::ptr::read_volatile(prizm_platform::memory::FRQCR as usize as *const u32) }
    }
    #[cfg(not(target_os = "none"))]
    {
        0x0F00_0000
    }
}

/// Gathers the facts (walks storage memory to count the bytes in files).
pub fn gather() -> Facts {
    let mut tree = crate::files::device::Storage;
    let storage_used = crate::files::search::statistics(&mut tree, crate::files::tree::ROOT)
        .map(|stats| stats.bytes)
        .unwrap_or(0);
    let storage_free = prizm::fs::free_space().map(u64::from).unwrap_or(0);
    let (main_capacity, main_used) = prizm::mcs::state()
        .map(|state| (state.capacity, state.used))
        .unwrap_or((0, 0));
    let mut device_id = String::new();
    for byte in prizm::system::device_id() {
        let _ = write!(device_id, "{byte:02X}");
    }
    let heap = prizm::allocator::stats();
    Facts {
        storage_used,
        storage_free,
        main_capacity,
        main_used,
        os_version: prizm::system::os_version().as_str().into(),
        os_date: prizm::system::os_date().as_str().into(),
        power_source: prizm::system::power_source().name(),
        model: prizm::system::model().name(),
        device_id,
        battery_millivolts: prizm::system::battery_millivolts(),
        cpu_hz: cpu_hz_from_frqcr(read_frqcr()),
        stack_used: prizm::system::stack_used() as u32,
        heap_capacity: heap.capacity as u32,
        heap_used: heap.capacity.saturating_sub(heap.free) as u32,
    }
}

/// "3.95 V".
pub fn format_volts(millivolts: u32) -> heapless::String<12> {
    let mut out = heapless::String::new();
    let _ = write!(out, "{}.{:02} V", millivolts / 1000, millivolts % 1000 / 10);
    out
}

/// "58.00 MHz".
pub fn format_mhz(hz: u32) -> heapless::String<16> {
    let mut out = heapless::String::new();
    let _ = write!(out, "{}.{:02} MHz", hz / 1_000_000, hz % 1_000_000 / 10_000);
    out
}

fn bar(surface: &mut Screen<'_>, y: i32, label: &str, used: u64, total: u64) {
    surface.draw_text(6, y, label, Font::Small, THEME.text, None);
    let track = Rect::new(6, y + 13, 372, 8);
    surface.fill_rect(track, THEME.field_background);
    // In KiB so that 32 bits hold any storage size.
    let filled = ui::filled_width((used / 1024) as u32, (total / 1024).max(1) as u32, track.width);
    surface.fill_rect(Rect::new(track.x, track.y, filled, track.height), THEME.accent);
    let text = format!("{} of {} used, {} free", format_size(used), format_size(total), format_size(total.saturating_sub(used)));
    let width = surface.text_width(&text, Font::Small);
    surface.draw_text(378 - width, y, &text, Font::Small, THEME.dim_text, None);
}

fn draw(surface: &mut Screen<'_>, facts: &Facts) {
    let frame = Frame::default();
    ui::draw_screen(surface, &frame, "");
    TitleBar::new("System").with_status(facts.model).draw(surface, frame.title());
    let top = frame.content().y + 2;
    bar(surface, top, "Storage memory", facts.storage_used, facts.storage_used + facts.storage_free);
    bar(surface, top + 24, "Main memory", u64::from(facts.main_used), u64::from(facts.main_capacity));
    let lines = [
        ("OS", format!("{}   built {}", facts.os_version, facts.os_date)),
        ("Device", format!("ID {}   CPU {}", facts.device_id, format_mhz(facts.cpu_hz))),
        (
            "Battery",
            format!("{}   power source: {}", format_volts(facts.battery_millivolts), facts.power_source),
        ),
        (
            "Utilities",
            format!(
                "stack {}, heap {} of {}",
                format_size(u64::from(facts.stack_used)),
                format_size(u64::from(facts.heap_used)),
                format_size(u64::from(facts.heap_capacity))
            ),
        ),
    ];
    for (index, (label, value)) in lines.iter().enumerate() {
        let y = top + 50 + index as i32 * 14;
        surface.draw_text(6, y, label, Font::Small, THEME.dim_text, None);
        surface.draw_text(70, y, value, Font::Small, THEME.text, None);
    }
    FKeyBar::new()
        .with(0, "Power")
        .with(1, "Lantern")
        .with(2, "Lights")
        .with(5, "Settings")
        .draw(surface);
}

/// The information screen; F1 power settings, F2 lantern, F3 colour
/// lights, F6 the settings screen of every part.
pub fn run(calculator: &mut Calculator) {
    loop {
        let facts = gather();
        prizm::debug_println!(
            "system: os={} os_date={} model={} battery_mv={} power_source={} cpu_hz={} storage_free={} main_used={} main_capacity={}",
            facts.os_version,
            facts.os_date,
            facts.model,
            facts.battery_millivolts,
            facts.power_source,
            facts.cpu_hz,
            facts.storage_free,
            facts.main_used,
            facts.main_capacity
        );
        draw(&mut Screen::new(&mut calculator.display), &facts);
        match keyboard::get_key() {
            Key::Exit => return,
            Key::F1 => power(calculator),
            Key::F2 => lights(calculator, &[Rgb565::new(31, 63, 31)]),
            Key::F3 => lights(calculator, &LIGHT_COLOURS),
            Key::F6 => crate::settings::run(calculator),
            _ => {}
        }
    }
}

/// The colour lights, in order (LEFT/RIGHT change).
const LIGHT_COLOURS: [Rgb565; 7] = [
    Rgb565::new(31, 0, 0),
    Rgb565::new(31, 40, 0),
    Rgb565::new(31, 63, 0),
    Rgb565::new(0, 63, 0),
    Rgb565::new(0, 63, 31),
    Rgb565::new(0, 0, 31),
    Rgb565::new(31, 0, 31),
];

/// Fills the whole screen (status bar included) with a colour until
/// EXIT; LEFT/RIGHT step through `colours`.
fn lights(calculator: &mut Calculator, colours: &[Rgb565]) {
    let mut index = 0;
    loop {
        {
            let mut surface = Screen::new(&mut calculator.display);
            surface.fill_rect(Rect::new(0, 0, 384, 216), colours[index]);
        }
        // Not GetKey: it would draw the status bar over the light.
        prizm::display::put_display();
        match keyboard::wait_key_for(keyboard::Timeout::Never, keyboard::MenuKey::OpensMainMenu) {
            Some(keyboard::PrgmKey::Exit) | Some(keyboard::PrgmKey::AcOn) => return,
            Some(keyboard::PrgmKey::Right) | Some(keyboard::PrgmKey::Down) => index = (index + 1) % colours.len(),
            Some(keyboard::PrgmKey::Left) | Some(keyboard::PrgmKey::Up) => {
                index = (index + colours.len() - 1) % colours.len()
            }
            _ => {}
        }
    }
}

/// The power settings: auto power-off, backlight duration and level.
pub fn power(calculator: &mut Calculator) {
    loop {
        // SAFETY: no arguments; both return the OS's current settings.
        let (minutes, half_minutes) = unsafe { (prizm::syscall::GetAutoPowerOffTime(), prizm::syscall::GetBacklightDuration()) };
        let level = display::backlight_level();
        prizm::debug_println!(
            "system: power_off_minutes={} backlight_half_minutes={} backlight_level={}",
            minutes,
            half_minutes,
            level
        );
        let items = [
            format!("Auto power-off: {minutes} min"),
            format!("Backlight: {}", describe_half_minutes(half_minutes)),
            format!("Backlight level: {level} of {}", display::MAX_BACKLIGHT_LEVEL),
        ];
        let labels = [items[0].as_str(), items[1].as_str(), items[2].as_str()];
        match Menu::new("Power", &labels).run(&mut calculator.display) {
            None => return,
            Some(0) => {
                let texts: [String; 8] = POWER_OFF_MINUTES.map(|m| format!("{m} min"));
                let labels: [&str; 8] = core::array::from_fn(|i| texts[i].as_str());
                let mut menu = Menu::new("Auto power-off", &labels);
                menu.state.select(POWER_OFF_MINUTES.iter().position(|&m| m == minutes).unwrap_or(3));
                if let Some(choice) = menu.run(&mut calculator.display) {
                    // SAFETY: plain integer argument, one of the offered delays.
                    unsafe { prizm::syscall::SetAutoPowerOffTime(POWER_OFF_MINUTES[choice]) };
                }
            }
            Some(2) => choose_backlight_level(calculator, level),
            Some(_) => {
                let texts: [String; 6] = BACKLIGHT_HALF_MINUTES.map(describe_half_minutes);
                let labels: [&str; 6] = core::array::from_fn(|i| texts[i].as_str());
                let mut menu = Menu::new("Backlight duration", &labels);
                menu.state.select(BACKLIGHT_HALF_MINUTES.iter().position(|&h| h == half_minutes).unwrap_or(1));
                if let Some(choice) = menu.run(&mut calculator.display) {
                    // SAFETY: plain integer argument, one of the offered durations.
                    unsafe { prizm::syscall::SetBacklightDuration(BACKLIGHT_HALF_MINUTES[choice]) };
                }
            }
        }
    }
}

/// The backlight level menu; the OS sets its own level again at
/// power-off, at the backlight timeout and from its System menu, so the
/// title says the choice lasts until then.
fn choose_backlight_level(calculator: &mut Calculator, level: u8) {
    let texts: [String; 10] = BACKLIGHT_LEVELS.map(|choice| format!("{choice} ({}%)", level_percent(choice)));
    let labels: [&str; 10] = core::array::from_fn(|i| texts[i].as_str());
    let mut menu = Menu::new("Backlight level (until off)", &labels);
    menu.state.select(nearest_level_choice(level));
    if let Some(choice) = menu.run(&mut calculator.display) {
        display::set_backlight_level(BACKLIGHT_LEVELS[choice]);
    }
}

/// A backlight level as a percentage of the brightest, rounded.
pub fn level_percent(level: u8) -> u32 {
    (u32::from(level) * 100 + u32::from(display::MAX_BACKLIGHT_LEVEL) / 2) / u32::from(display::MAX_BACKLIGHT_LEVEL)
}

/// The index of the [`BACKLIGHT_LEVELS`] choice nearest to `level`.
pub fn nearest_level_choice(level: u8) -> usize {
    (0..BACKLIGHT_LEVELS.len())
        .min_by_key(|&i| BACKLIGHT_LEVELS[i].abs_diff(level))
        .unwrap_or(0)
}

/// A section of part 2's settings, for the settings screen to list.
#[derive(Clone, Copy)]
pub struct SettingsSection {
    /// The menu label.
    pub title: &'static str,
    /// Opens the section's screen; returns when it is left.
    pub open: fn(&mut Calculator),
}

/// Part 2's settings sections, each kept in its own main-memory item of
/// `@UTILS` (or, for the lock, CGlock's record; for power, the OS).
pub fn settings_sections() -> [SettingsSection; 3] {
    [
        SettingsSection { title: "Lock (CGlock)", open: crate::lock::settings },
        SettingsSection { title: "Power", open: power },
        SettingsSection { title: "File manager sort order", open: crate::files::screen::choose_sort },
    ]
}

/// "30 s", "1 min", "2 min 30 s".
pub fn describe_half_minutes(half_minutes: i32) -> String {
    let minutes = half_minutes / 2;
    match (minutes, half_minutes % 2) {
        (0, _) => String::from("30 s"),
        (m, 0) => format!("{m} min"),
        (m, _) => format!("{m} min 30 s"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cpu_clock_from_the_pll_field() {
        assert_eq!(cpu_hz_from_frqcr(0x0F10_2203), 58_000_000);
        assert_eq!(cpu_hz_from_frqcr(0x0000_0000), 3_625_000);
        assert_eq!(cpu_hz_from_frqcr(0x1B00_0000), 101_500_000);
    }

    #[test]
    fn formats() {
        assert_eq!(format_volts(3950).as_str(), "3.95 V");
        assert_eq!(format_volts(5000).as_str(), "5.00 V");
        assert_eq!(format_mhz(58_000_000).as_str(), "58.00 MHz");
        assert_eq!(format_mhz(3_625_000).as_str(), "3.62 MHz");
        assert_eq!(describe_half_minutes(1), "30 s");
        assert_eq!(describe_half_minutes(2), "1 min");
        assert_eq!(describe_half_minutes(5), "2 min 30 s");
    }

    #[test]
    fn backlight_level_choices() {
        assert_eq!(level_percent(249), 100);
        assert_eq!(level_percent(0), 0);
        assert_eq!(level_percent(125), 50);
        assert_eq!(level_percent(25), 10);
        // The emulator starts at the brightest.
        assert_eq!(nearest_level_choice(249), 9);
        assert_eq!(nearest_level_choice(0), 0);
        assert_eq!(nearest_level_choice(110), 3);
        assert_eq!(nearest_level_choice(113), 4);
        assert_eq!(BACKLIGHT_LEVELS[nearest_level_choice(100)], 100);
    }
}
