//! On-target tests of the UI kit (`prizm::ui`) drawn by the OS's text
//! printers into real VRAM, run in the emulator by
//! `cargo test --release -p prizm --test device_ui`. Each screen is
//! compared with a PNG under `emulator-tests/screenshots/` (written on the
//! first run, `PRIZM_BLESS=1` to rewrite); keys are queued with
//! `keyboard::queue_key` so the blocking widgets run to completion.
#![no_std]
#![no_main]
#![feature(custom_test_frameworks)]
#![test_runner(prizm::testing::run_tests)]
#![reexport_test_harness_main = "test_main"]

use core::fmt::Write as _;
use prizm::display::{self, to_raw, Display, WIDTH};

use prizm::keyboard::{self, Key};
use prizm::ui::{
    self, row_rect, FKeyBar, Frame, Input, InputKind, InputState, Menu, ProgressBar, Rect, Screen,
    THEME,
};

prizm::entry!(run);

fn run(calculator: prizm::Calculator) {
    // Each test takes the calculator for itself (`prizm::testing::calculator`).
    drop(calculator);
    test_main();
}

/// Queues keys for the next `GetKey` calls.
fn press(keys: &[Key]) {
    keys.iter().copied().for_each(keyboard::queue_key);
}

/// Asks the test runner to compare VRAM with a committed screenshot.
fn screenshot(name: &str) {
    let mut png = heapless::String::<96>::new();
    let _ = write!(png, "emulator-tests/screenshots/device-{name}.png");
    prizm::testing::compare_screen(name, &png);
}

fn vram_pixel(display: &mut Display, x: i32, y: i32) -> u16 {
    display.pixels()[y as usize * WIDTH + x as usize]
}

/// Pixels of `color` inside `rect`.
fn count(display: &mut Display, rect: Rect, color: u16) -> usize {
    let vram = display.pixels();
    (rect.y..rect.bottom())
        .flat_map(|y| (rect.x..rect.right()).map(move |x| (x, y)))
        .filter(|&(x, y)| vram[y as usize * WIDTH + x as usize] == color)
        .count()
}

const ITEMS: [&str; 9] = [
    "Clock", "Timers", "Calendar", "Tasks", "Files", "System", "About", "Eight", "Nine",
];

#[test_case]
fn menu_draws_highlight_where_the_layout_says() {
    let mut calculator = prizm::testing::calculator();
    let display = &mut calculator.display;
    let mut menu = Menu::new("Utilities", &ITEMS);
    menu.state.select(2);
    FKeyBar::new()
        .with(0, "Open")
        .with(5, "Help")
        .draw(&mut Screen::new(display));
    menu.draw(&mut Screen::new(display));
    FKeyBar::new()
        .with(0, "Open")
        .with(5, "Help")
        .draw(&mut Screen::new(display));
    let content = Frame::default().content();
    let list = Rect::new(content.x, content.y, content.width - 6, content.height);
    let selected_row = row_rect(list, 2);
    let highlight = to_raw(THEME.selection_background);
    // The selected row is mostly highlight (the rest is its text); the
    // others have none.
    assert!(count(display, selected_row, highlight) > selected_row.width as usize * 12);
    assert_eq!(count(display, row_rect(list, 1), highlight), 0);
    assert_eq!(count(display, row_rect(list, 3), highlight), 0);
    // The title bar below the status bar, in the title colour.
    let title = Frame::default().title();
    assert_eq!(
        vram_pixel(display, 1, title.y + 1),
        to_raw(THEME.title_background)
    );
    // More items than rows: a scroll bar in the accent colour.
    assert!(
        count(
            display,
            Rect::new(content.right() - 4, content.y, 4, content.height),
            to_raw(THEME.accent)
        ) > 20
    );
    screenshot("ui-menu");
}

#[test_case]
fn menu_runs_on_keys() {
    let mut calculator = prizm::testing::calculator();
    let display = &mut calculator.display;
    let mut menu = Menu::new("Utilities", &ITEMS);
    press(&[Key::Down, Key::Down, Key::Up, Key::Exe]);
    assert_eq!(menu.run(display), Some(1));
    press(&[Key::Digit6]);
    assert_eq!(menu.run(display), Some(5), "number shortcut");
    press(&[
        Key::Up,
        Key::Up,
        Key::Up,
        Key::Up,
        Key::Up,
        Key::Up,
        Key::Exe,
    ]);
    assert_eq!(
        menu.run(display),
        Some(8),
        "wraps from the top to the last item"
    );
    // Scrolled to the end, the last rows are shown.
    assert_eq!(menu.state.visible_range().end, ITEMS.len());
    screenshot("ui-menu-scrolled");
    press(&[Key::Exit]);
    assert_eq!(menu.run(display), None);
}

#[test_case]
fn masked_pin_input() {
    let mut calculator = prizm::testing::calculator();
    let display = &mut calculator.display;
    let state: InputState<16> = InputState::new(InputKind::Digits)
        .masked(true)
        .max_length(8);
    let mut input = Input::new("Unlock", "Enter PIN:", state);
    // Letters are ignored in a digits field; DEL removes the last digit.
    press(&[
        Key::Digit1,
        Key::Digit2,
        Key::Letter(b'A'),
        Key::Digit3,
        Key::Del,
        Key::Digit4,
        Key::Exe,
    ]);
    let pin = input.run(display).expect("EXE submits");
    assert_eq!(pin.as_str(), "124");
    // Drawn masked: the field shows no digit glyphs, only the mask.
    assert_eq!(input.state.display().as_str(), "***");
    screenshot("ui-pin-masked");
    press(&[Key::Exit]);
    assert_eq!(input.run(display), None, "EXIT cancels");
}

#[test_case]
fn text_input_scrolls_long_text() {
    let mut calculator = prizm::testing::calculator();
    let display = &mut calculator.display;
    let state: InputState<64> =
        InputState::new(InputKind::Text).with_text("A long owner message here");
    let mut input = Input::new("Settings", "Owner message:", state);
    press(&[Key::Exe]);
    assert_eq!(
        input.run(display).unwrap().as_str(),
        "A long owner message here"
    );
    screenshot("ui-text-input");
}

#[test_case]
fn message_box_restores_the_screen() {
    let mut calculator = prizm::testing::calculator();
    let display = &mut calculator.display;
    let menu = Menu::new("Before", &ITEMS[..3]);
    menu.draw(&mut Screen::new(display));
    let before: heapless::Vec<u16, 64> =
        (0..64).map(|i| vram_pixel(display, 100 + i, 110)).collect();
    press(&[Key::Exit]);
    ui::message_box(display, "Saved", "Your settings were saved to main memory.");
    let after: heapless::Vec<u16, 64> =
        (0..64).map(|i| vram_pixel(display, 100 + i, 110)).collect();
    assert_eq!(before, after, "the screen under the box is back");
    // What the box looks like, drawn without waiting.
    ui::draw_message(
        &mut Screen::new(display),
        "Saved",
        "Your settings were saved to main memory.",
        Some("Press [EXIT]"),
    );
    screenshot("ui-message");
}

#[test_case]
fn confirm_answers() {
    let mut calculator = prizm::testing::calculator();
    let display = &mut calculator.display;
    Menu::new("Files", &ITEMS[..4]).draw(&mut Screen::new(display));
    press(&[Key::Digit5, Key::F1]);
    assert!(
        ui::confirm(display, "Delete", "Delete 3 files?"),
        "F1 is Yes; other keys are ignored"
    );
    press(&[Key::Exit]);
    assert!(
        !ui::confirm(display, "Delete", "Delete 3 files?"),
        "EXIT is No"
    );
    press(&[Key::F6]);
    assert!(
        !ui::confirm(display, "Delete", "Delete 3 files?"),
        "F6 is No"
    );
    ui::draw_confirm(&mut Screen::new(display), "Delete", "Delete 3 files?");
    screenshot("ui-confirm");
}

#[test_case]
fn progress_bar_fills_in_proportion() {
    let mut calculator = prizm::testing::calculator();
    let display = &mut calculator.display;
    display::clear();
    let bar = ProgressBar {
        rect: Rect::new(40, 100, 304, 24),
        show_percent: true,
    };
    bar.draw(&mut Screen::new(display), 1, 4);
    let inner = bar.rect.inset(2);
    let filled = count(display, inner, to_raw(THEME.selection_background));
    let expected = (inner.width / 4 * inner.height) as usize;
    assert!(
        filled.abs_diff(expected) <= inner.height as usize * 2,
        "{filled} vs {expected}"
    );
    bar.draw(&mut Screen::new(display), 4, 4);
    let text_pixels = count(display, inner, to_raw(THEME.text));
    assert!(text_pixels > 10, "the 100% label is drawn");
    display::clear();
    ui::draw_progress(&mut Screen::new(display), "Copying", 3, 10);
    screenshot("ui-progress");
}
