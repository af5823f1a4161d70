//! Chronometers: 20 slots counting up or down, kept as absolute times in
//! main memory ([`state`]), and the screen that runs them.

pub mod state;

use alloc::string::String;
use alloc::vec::Vec;

use prizm::keyboard::{self, MenuKey, PrgmKey, Timeout};
use prizm::mcs::{self, Name};
use prizm::ui::{self, Screen};
use prizm::Calculator;

use crate::settings::{self, store};
use crate::widgets::{self, ListScreen};
use state::{Chrono, Kind, Run, SLOTS};

/// Item holding the chronometers in `@UTILS`.
pub const ITEM: &str = "ChronoR";

/// Reads the chronometers (all cleared when there are none).
pub fn load() -> [Chrono; SLOTS] {
    let mut buffer = [0u8; state::STORED_SIZE];
    let length = match (Name::new(store::FOLDER), Name::new(ITEM)) {
        (Ok(folder), Ok(item)) => mcs::get(&folder, &item, &mut buffer).unwrap_or(0),
        _ => 0,
    };
    state::decode_all(&buffer[..length])
}

/// Keeps the chronometers in main memory.
pub fn save(calculator: &mut Calculator, chronos: &[Chrono; SLOTS]) {
    if let Err(error) = settings::put_item(ITEM, &state::encode_all(chronos)) {
        ui::message_box(&mut calculator.display, "Chronometers", error.message());
    }
}

/// Seconds since 1970 by the calculator's clock.
pub fn now_seconds() -> i64 {
    state::absolute_seconds(&crate::clock::now_or_default())
}

/// Announces countdowns that reached zero since the last check (once
/// each), as the notification setting says. Returns how many finished.
pub fn check_finished(calculator: &mut Calculator) -> usize {
    let mut chronos = load();
    let now = now_seconds();
    let finished: Vec<usize> = (0..SLOTS)
        .filter(|&i| chronos[i].is_finished(now) && !chronos[i].notified)
        .collect();
    if finished.is_empty() {
        return 0;
    }
    for &i in &finished {
        chronos[i].notified = true;
    }
    save(calculator, &chronos);
    let style = settings::load().get(store::CHRONO_NOTIFICATION);
    prizm::debug_println!("utilities: chronometer {} finished", finished[0] + 1);
    if style == 1 || style == 2 {
        let mut message = String::new();
        for &i in &finished {
            message.push_str(&alloc::format!("Chronometer {} finished.\n", i + 1));
        }
        if style == 1 {
            flash(calculator);
        }
        ui::message_box(&mut calculator.display, "Chronometer", message.trim_end());
    }
    finished.len()
}

/// Inverts the screen three times (the flashing pop-up).
fn flash(calculator: &mut Calculator) {
    for _ in 0..6 {
        for pixel in calculator.display.pixels().iter_mut() {
            *pixel = !*pixel;
        }
        prizm::display::put_display();
        prizm::time::sleep_ms(150);
    }
}

/// Whether any countdown finished and was announced but not looked at
/// (for the note on home).
pub fn any_finished() -> bool {
    let now = now_seconds();
    load().iter().any(|chrono| chrono.is_finished(now))
}

fn row_text(index: usize, chrono: &Chrono, now: i64, selected: bool) -> String {
    let mut time = heapless::String::<24>::new();
    state::format_seconds(chrono.shown(now), &mut time);
    let mark = if selected { "*" } else { " " };
    let (kind, status) = match (chrono.kind, chrono.run) {
        (_, Run::Cleared) => ("", "cleared"),
        (Kind::Up, Run::Running { .. }) => ("Up", "running"),
        (Kind::Up, Run::Paused { .. }) => ("Up", "paused"),
        (Kind::Down { .. }, _) if chrono.is_finished(now) => ("Down", "done"),
        (Kind::Down { .. }, Run::Running { .. }) => ("Down", "running"),
        (Kind::Down { .. }, Run::Paused { .. }) => ("Down", "paused"),
    };
    if chrono.run == Run::Cleared {
        alloc::format!("{mark}{:>2}  --:--:--  {status}", index + 1)
    } else {
        alloc::format!("{mark}{:>2}  {time}  {kind} {status}", index + 1)
    }
}

/// Asks how to start and starts the chronometers `targets`.
fn start(calculator: &mut Calculator, chronos: &mut [Chrono; SLOTS], targets: &[usize]) {
    let options = ["Count up", "Countdown: duration", "Countdown: preset", "Countdown: until a time"];
    let Some(choice) = widgets::choose(&mut calculator.display, "Start", &options, 0) else {
        return;
    };
    let display = &mut calculator.display;
    let seconds = match choice {
        0 => None,
        1 => {
            let Some(text) = widgets::ask_digits(display, "Countdown", "Duration (HHMMSS, 500 = 5 min):", "", 6) else {
                return;
            };
            let padded = alloc::format!("{text:0>6}");
            let part = |at: usize| padded[at..at + 2].parse::<u32>().unwrap_or(0);
            let total = part(0) * 3600 + part(2) * 60 + part(4);
            if total == 0 {
                ui::message_box(display, "Countdown", "The duration is zero.");
                return;
            }
            Some(total)
        }
        2 => {
            let names: Vec<&str> = state::PRESETS.iter().map(|(name, _)| *name).collect();
            let Some(preset) = widgets::choose(display, "Preset", &names, 0) else {
                return;
            };
            Some(state::PRESETS[preset].1)
        }
        _ => {
            let format = settings::load().get(store::DATE_FORMAT);
            let now = crate::clock::now_or_default();
            let Some(date) = widgets::ask_date(display, "Countdown until", now.date, format) else {
                return;
            };
            let start = crate::calendar::pce::RawTime::hm(u32::from(now.time.hour), u32::from(now.time.minute));
            let Some(time) = widgets::ask_time(display, "Countdown until", start) else {
                return;
            };
            let end = i64::from(date.days_since_epoch()) * 86_400 + i64::from(time.seconds());
            let total = end - now_seconds();
            if total <= 0 || total > i64::from(state::MAX_SECONDS) {
                ui::message_box(display, "Countdown", "Choose a moment in the next 99 days.");
                return;
            }
            Some(total as u32)
        }
    };
    let now = now_seconds();
    for &i in targets {
        match seconds {
            None => chronos[i].start_up(now),
            Some(total) => chronos[i].start_down(total, now),
        }
    }
}

/// One chronometer in large digits, with an analog dial of its seconds,
/// until EXIT (F2 pauses or resumes it).
fn big_view(calculator: &mut Calculator, slot: usize) {
    use embedded_graphics::pixelcolor::Rgb565;
    use embedded_graphics::prelude::*;
    use embedded_graphics::primitives::{Circle, Line, PrimitiveStyle};
    use prizm::ui::{draw_screen, Frame, Surface, THEME};
    let title = alloc::format!("Chronometer {}", slot + 1);
    loop {
        let mut chronos = load();
        let now = now_seconds();
        let chrono = chronos[slot];
        {
            let mut screen = Screen::new(&mut calculator.display);
            let frame = Frame::default();
            draw_screen(&mut screen, &frame, &title);
            let content = frame.content();
            let mut text = heapless::String::<24>::new();
            state::format_seconds(chrono.shown(now), &mut text);
            let digits = text.rsplit(' ').next().unwrap_or("");
            let ink = Rgb565::new(0, 0, 0);
            let center = Point::new(70, content.y + content.height / 2);
            let _ = Circle::with_center(center, 120)
                .into_styled(PrimitiveStyle::with_stroke(ink, 3))
                .draw(screen.vram());
            // The seconds hand: one turn a minute.
            let second = (chrono.shown(now) % 60) as i32;
            let end = crate::home::hand_end(center, second, 52);
            let _ = Line::new(center, end).into_styled(PrimitiveStyle::with_stroke(THEME.accent, 3)).draw(screen.vram());
            let width = crate::home::draw_segments(screen.vram(), 0, 0, 48, digits, ink, true);
            let x = 140 + (384 - 140 - width).max(0) / 2;
            crate::home::draw_segments(screen.vram(), x, content.y + 30, 48, digits, ink, false);
            if text.contains('d') {
                let days = text.split(' ').next().unwrap_or("");
                screen.draw_text(x, content.y + 90, days, prizm::display::text::Font::Medium, ink, None);
            }
            let status = row_text(slot, &chrono, now, false);
            let status = status.rsplit("  ").next().unwrap_or("");
            screen.draw_text(140, content.bottom() - 24, status, prizm::display::text::Font::Medium, THEME.dim_text, None);
            prizm::ui::FKeyBar::new().with(1, "Pause").draw(&mut screen);
        }
        prizm::display::put_display();
        match keyboard::wait_key_for(Timeout::Seconds(1), MenuKey::OpensMainMenu) {
            None => {
                check_finished(calculator);
            }
            Some(PrgmKey::Exit) => return,
            Some(PrgmKey::F2) => {
                chronos[slot].toggle_pause(now);
                save(calculator, &chronos);
            }
            Some(_) => {}
        }
    }
}

/// The chronometer screen.
pub fn run(calculator: &mut Calculator) {
    let mut chronos = load();
    let mut marked = [false; SLOTS];
    let mut list = ListScreen::new(
        "Chronometers",
        Vec::new(),
        [Some("Start"), Some("Pause"), Some("Clear"), Some("Select"), Some("Big"), Some("All")],
    );
    list.subtitle = String::from("F4 marks several for F1-F3");
    loop {
        let now = now_seconds();
        let rows = (0..SLOTS).map(|i| (row_text(i, &chronos[i], now, marked[i]), None)).collect();
        list.set_rows(rows);
        {
            let mut screen = Screen::new(&mut calculator.display);
            list.draw(&mut screen);
        }
        prizm::display::put_display();
        // A key, or a second passing (the times move on).
        let Some(key) = keyboard::wait_key_for(Timeout::Seconds(1), MenuKey::OpensMainMenu) else {
            if check_finished(calculator) > 0 {
                chronos = load();
            }
            continue;
        };
        let selected = list.state.selected();
        let targets: Vec<usize> = if marked.iter().any(|&m| m) {
            (0..SLOTS).filter(|&i| marked[i]).collect()
        } else {
            alloc::vec![selected]
        };
        let now = now_seconds();
        match key {
            PrgmKey::Exit => return,
            PrgmKey::Up => {
                list.state.handle_key(prizm::keyboard::Key::Up);
            }
            PrgmKey::Down => {
                list.state.handle_key(prizm::keyboard::Key::Down);
            }
            PrgmKey::F1 | PrgmKey::Exe => {
                start(calculator, &mut chronos, &targets);
                marked = [false; SLOTS];
                save(calculator, &chronos);
            }
            PrgmKey::F2 => {
                for &i in &targets {
                    chronos[i].toggle_pause(now);
                }
                save(calculator, &chronos);
            }
            PrgmKey::F3 => {
                for &i in &targets {
                    chronos[i].clear();
                }
                marked = [false; SLOTS];
                save(calculator, &chronos);
            }
            PrgmKey::F4 => marked[selected] = !marked[selected],
            PrgmKey::F5 => big_view(calculator, selected),
            PrgmKey::F6 => {
                let all = !marked.iter().all(|&m| m);
                marked = [all; SLOTS];
            }
            _ => {}
        }
    }
}
