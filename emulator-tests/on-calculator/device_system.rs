//! On-target tests of the display, status bar, keyboard, clock and system
//! facts: everything that runs headless. Built for the calculator and run
//! in the emulator by `cargo test --release -p prizm --test device_system`
//! (see `prizm::testing` for the protocol).
#![no_std]
#![no_main]
#![feature(custom_test_frameworks)]
#![test_runner(prizm::testing::run_tests)]
#![reexport_test_harness_main = "test_main"]

use embedded_graphics::pixelcolor::{Rgb565, RgbColor};
use embedded_graphics::prelude::*;
use embedded_graphics::primitives::{Circle, PrimitiveStyle, Rectangle};

use prizm::display::status_bar::{self, StatusFlags};
use prizm::display::{self, from_raw, to_raw, Display, TextColor, HEIGHT, WIDTH};
use prizm::keyboard::{self, Key, MenuKey, Modifier, PrgmKey, Timeout, Typed, Typing};
use prizm::time::{self, Date, Instant, Weekday, TICKS_PER_SECOND};
use prizm::{syscall, system, Calculator};

prizm::entry!(run);

fn run(calculator: Calculator) {
    // Each test takes the calculator for itself (`prizm::testing::calculator`).
    drop(calculator);
    test_main();
}

/// A pixel as the OS reads it back from VRAM.
fn os_pixel(x: i32, y: i32) -> u16 {
    // SAFETY: plain integers; the OS checks the bounds.
    unsafe { syscall::Bdisp_GetPoint_VRAM(x, y) }
}

/// Pixels of `color` in rows `rows` of VRAM.
fn count_in_rows(display: &mut Display, rows: core::ops::Range<usize>, color: u16) -> usize {
    let vram = display.pixels();
    rows.map(|y| {
        vram[y * WIDTH..(y + 1) * WIDTH]
            .iter()
            .filter(|&&p| p == color)
            .count()
    })
    .sum()
}

const TEAL: u16 = 0x0410;

#[test_case]
fn vram_fill_reads_back_through_the_os() {
    let mut calculator = prizm::testing::calculator();
    let display = &mut calculator.display;
    display.vram().clear(Rgb565::RED).unwrap();
    for (x, y) in [(0, 0), (383, 0), (0, 215), (383, 215), (191, 107)] {
        assert_eq!(os_pixel(x, y), 0xF800, "({x}, {y}) after clear");
    }
    let area = Rectangle::new(Point::new(10, 20), Size::new(30, 40));
    display.vram().fill_solid(&area, from_raw(TEAL)).unwrap();
    // Corners inside, and the pixels just outside each edge.
    assert_eq!(os_pixel(10, 20), TEAL);
    assert_eq!(os_pixel(39, 59), TEAL);
    assert_eq!(os_pixel(9, 20), 0xF800);
    assert_eq!(os_pixel(40, 20), 0xF800);
    assert_eq!(os_pixel(10, 19), 0xF800);
    assert_eq!(os_pixel(10, 60), 0xF800);
    assert_eq!(count_in_rows(display, 0..HEIGHT, TEAL), 30 * 40);
}

#[test_case]
fn drawing_outside_the_screen_is_clipped() {
    let mut calculator = prizm::testing::calculator();
    let display = &mut calculator.display;
    let mut screen = display.vram();
    screen.clear(Rgb565::WHITE).unwrap();
    // Half off the bottom-right corner: only the on-screen quarter lands.
    Rectangle::new(Point::new(374, 206), Size::new(20, 20))
        .into_styled(PrimitiveStyle::with_fill(Rgb565::BLUE))
        .draw(&mut screen)
        .unwrap();
    // Pixel by pixel (draw_iter), negative coordinates included.
    Circle::new(Point::new(-10, -10), 21)
        .into_styled(PrimitiveStyle::with_fill(Rgb565::GREEN))
        .draw(&mut screen)
        .unwrap();
    assert_eq!(count_in_rows(display, 0..HEIGHT, 0x001F), 100);
    assert_eq!(os_pixel(383, 215), 0x001F);
    assert_eq!(os_pixel(373, 215), 0xFFFF);
    assert_eq!(os_pixel(0, 0), 0x07E0);
    assert_eq!(os_pixel(12, 0), 0xFFFF);
}

#[test_case]
fn os_pixels_show_in_the_canvas() {
    let mut calculator = prizm::testing::calculator();
    let display = &mut calculator.display;
    display.vram().clear(Rgb565::BLACK).unwrap();
    // SAFETY: plain integers inside the screen.
    unsafe { syscall::Bdisp_SetPoint_VRAM(100, 150, 0x1234) };
    let canvas = display.canvas();
    assert_eq!(canvas.pixel(100, 150).map(to_raw), Some(0x1234));
    assert_eq!(canvas.pixel(101, 150).map(to_raw), Some(0x0000));
    assert_eq!(canvas.pixel(384, 0), None);
    display::clear();
    assert_eq!(
        os_pixel(100, 150),
        0xFFFF,
        "Bdisp_AllClr_VRAM clears to white"
    );
}

#[test_case]
fn os_text_lands_where_it_is_asked() {
    let mut calculator = prizm::testing::calculator();
    let display = &mut calculator.display;
    display::clear();
    // Cell (1, 1) of PrintXY is the first 18x24 cell below the status bar.
    display::print_xy(1, 1, "HH", TextColor::Blue);
    assert_eq!(
        count_in_rows(display, 0..24, 0x001F),
        0,
        "nothing in the status bar rows"
    );
    let drawn = count_in_rows(display, 24..48, 0x001F);
    assert!(drawn > 20, "{drawn} blue pixels in row 1");
    assert_eq!(count_in_rows(display, 48..HEIGHT, 0x001F), 0);
    let vram = display.pixels();
    let right_of_text = (24..48).all(|y| {
        vram[y * WIDTH + 2 * 18..y * WIDTH + WIDTH]
            .iter()
            .all(|&p| p != 0x001F)
    });
    assert!(right_of_text, "two characters take two 18-px cells");
    // Pixel text in screen coordinates (the OS's 24-px offset handled).
    display::clear();
    display::text::print(display::Font::Medium, 50, 100, "Mid", Rgb565::RED, None);
    let red_rows: heapless::Vec<usize, 216> = (0..HEIGHT)
        .filter(|&y| count_in_rows(display, y..y + 1, 0xF800) > 0)
        .collect();
    let (first, last) = (red_rows[0], *red_rows.last().unwrap());
    assert!(
        first >= 100 && last < 100 + 18,
        "medium text in rows {first}..={last}"
    );
}

#[test_case]
fn status_bar_draws_its_message_and_only_its_rows() {
    let mut calculator = prizm::testing::calculator();
    let display = &mut calculator.display;
    display.vram().clear(Rgb565::RED).unwrap();
    status_bar::show();
    status_bar::set_flags(StatusFlags::BATTERY | StatusFlags::TEXT);
    status_bar::set_message("On-target tests", TextColor::Blue);
    status_bar::draw();
    assert!(
        count_in_rows(display, 0..24, 0x001F) > 30,
        "the message in blue"
    );
    assert_eq!(
        count_in_rows(display, 0..24, 0xF800),
        0,
        "the bar covers rows 0-23"
    );
    assert_eq!(
        count_in_rows(display, 24..HEIGHT, 0xF800),
        (HEIGHT - 24) * WIDTH,
        "and nothing below"
    );
    display::put_display();
    prizm::testing::compare_screen(
        "status-bar",
        "emulator-tests/screenshots/device-status-bar.png",
    );

    // Without the TEXT flag the message is not drawn.
    display.vram().clear(Rgb565::RED).unwrap();
    status_bar::set_flags(StatusFlags::BATTERY);
    status_bar::draw();
    assert_eq!(count_in_rows(display, 0..24, 0x001F), 0);
    assert_eq!(count_in_rows(display, 0..24, 0xF800), 0);

    // Hidden, drawing it changes nothing.
    display.vram().clear(Rgb565::RED).unwrap();
    status_bar::hide();
    status_bar::draw();
    assert_eq!(count_in_rows(display, 0..HEIGHT, 0xF800), HEIGHT * WIDTH);
    status_bar::show();
    status_bar::clear_message();
    status_bar::reset_flags();
}

#[test_case]
fn clock_starts_where_the_emulator_says() {
    let now = time::now().expect("the clock is set");
    if prizm::debug::is_emulator() {
        // prizm-emu's default power-on time: 2026-11-23 12:00:00.
        assert_eq!(now.date, Date::new(2026, 11, 23).unwrap(), "{now}");
        assert_eq!(now.date.weekday(), Weekday::Monday);
        assert_eq!(now.time.hour, 12, "{now}");
        assert!(now.time.minute < 5, "{now}");
    } else {
        assert!(now.date.year >= 2024, "{now}");
    }
    let (time_of_day, millis) = time::time_of_day().unwrap();
    assert!(millis < 1000);
    let difference =
        time_of_day.seconds_since_midnight() as i64 - now.time.seconds_since_midnight() as i64;
    assert!(
        (0..=2).contains(&difference),
        "RTC_GetTime {time_of_day} vs registers {}",
        now.time
    );
    // The tick counter counts from midnight, in step with the clock.
    let tick_seconds = (time::ticks() / TICKS_PER_SECOND) as i64;
    let clock_seconds = now.time.seconds_since_midnight() as i64;
    assert!(
        (tick_seconds - clock_seconds).abs() <= 2,
        "ticks say {tick_seconds} s, clock {clock_seconds} s"
    );
}

#[test_case]
fn ticks_advance_across_sleep() {
    let start = Instant::now();
    let before = time::ticks();
    time::sleep_ms(500);
    let slept = time::ticks_between(before, time::ticks());
    // 500 ms is 64 ticks; allow one tick of rounding and some overhead.
    assert!((63..=80).contains(&slept), "slept {slept} ticks");
    let elapsed = start.elapsed_ms();
    assert!((490..=640).contains(&elapsed), "elapsed {elapsed} ms");
    let before = time::ticks();
    time::sleep(core::time::Duration::from_millis(250));
    let slept = time::ticks_between(before, time::ticks());
    assert!((31..=45).contains(&slept), "slept {slept} ticks");
    // RTC_Elapsed_ms agrees.
    // SAFETY: plain integers.
    assert_eq!(unsafe { syscall::RTC_Elapsed_ms(before as i32, 100) }, 1);
    // SAFETY: plain integers.
    let minute_passed = unsafe { syscall::RTC_Elapsed_ms(time::ticks() as i32, 60_000) };
    assert_eq!(minute_passed, 0);
}

#[test_case]
fn system_facts() {
    let model = system::model();
    let id = system::device_id();
    let version = system::os_version();
    if prizm::debug::is_emulator() {
        // prizm-emu presents the model `--model` or PRIZM_EMU_MODEL names
        // (tools/test.sh runs these tests on each): an fx-CG 10 or 20
        // (the default) with OS 02.02.0201, or an fx-CG 50 with OS 03.60.0202.
        let (vram, expected) = match model {
            system::Model::Cg10 | system::Model::Cg20 => {
                (prizm_platform::memory::VRAM_CG10_20, "02.02.0201")
            }
            system::Model::Cg50 => (prizm_platform::memory::VRAM_CG50, "03.60.0202"),
            system::Model::Unknown => panic!("the emulator presents no known model"),
        };
        assert_eq!(display::vram_address(), vram as usize);
        assert_eq!(&id, b"EMU-0001");
        assert_eq!(version.as_str(), expected);
        assert_eq!(system::battery_millivolts(), 5200);
        // The OS's default auto power-off delay: 10 minutes.
        assert_eq!(system::auto_power_off_seconds(), 600);
    }
    assert_ne!(model, system::Model::Unknown);
    assert_ne!(id, [0xFF; 8], "an erased device ID");
    assert!(version.at_least(1, 0), "{version}");
    let volts = system::battery_millivolts();
    assert!((3000..=7000).contains(&volts), "{volts} mV");
    let stack = system::stack_used();
    assert!(stack > 0 && stack < 128 * 1024, "{stack} bytes of stack");
}

#[test_case]
fn backlight_level_reads_back_what_was_set() {
    let before = display::backlight_level();
    assert!(before <= display::MAX_BACKLIGHT_LEVEL, "{before}");
    if prizm::debug::is_emulator() {
        // prizm-emu's LCD controller starts at the brightest level.
        assert_eq!(before, display::MAX_BACKLIGHT_LEVEL);
    }
    for level in [0, 100, 200, display::MAX_BACKLIGHT_LEVEL] {
        display::set_backlight_level(level);
        assert_eq!(display::backlight_level(), level);
    }
    // Past the top is the brightest, never a wrapped dark value.
    display::set_backlight_level(255);
    assert_eq!(display::backlight_level(), display::MAX_BACKLIGHT_LEVEL);
    display::set_backlight_level(before);
    assert_eq!(display::backlight_level(), before);
}

#[test_case]
fn os_date_and_power_source() {
    let date = system::os_date();
    if prizm::debug::is_emulator() {
        assert_eq!(date.as_str(), "2026.1123.1200");
        // prizm-emu reads port P11 as Casio's emulator does.
        assert_eq!(system::power_source(), system::PowerSource::Emulated);
    }
    assert!(date.as_str().bytes().all(|b| (0x20..0x7F).contains(&b)), "{date:?}");
}

#[test_case]
fn keyboard_state_without_keys() {
    // Nothing pressed: polling returns at once with nothing.
    assert_eq!(keyboard::poll_key(), None);
    assert_eq!(keyboard::held_key(), None);
    // SHIFT/ALPHA state round-trips through the setup byte.
    assert_eq!(keyboard::modifier(), Modifier::None);
    keyboard::set_modifier(Modifier::AlphaLock);
    assert_eq!(keyboard::modifier(), Modifier::AlphaLock);
    keyboard::set_modifier(Modifier::None);
    // The MENU lock.
    assert!(keyboard::menu_enabled());
    keyboard::disable_menu();
    assert!(!keyboard::menu_enabled());
    keyboard::enable_menu();
    assert!(keyboard::menu_enabled());
}

#[test_case]
fn injected_keys_reach_get_key() {
    for key in [Key::F1, Key::Digit7, Key::Letter(b'Q'), Key::Exe] {
        keyboard::queue_key(key);
    }
    assert_eq!(keyboard::get_key(), Key::F1);
    assert_eq!(keyboard::get_key(), Key::Digit7);
    assert_eq!(keyboard::get_key(), Key::Letter(b'Q'));
    keyboard::wait_for_exit(); // returns on the injected EXE
    assert_eq!(keyboard::poll_key(), None, "the queue is empty again");
}

#[test_case]
fn key_wait_times_out_without_a_key() {
    let before = time::ticks();
    assert_eq!(
        keyboard::wait_key_for(Timeout::Seconds(1), MenuKey::IsAKey),
        None
    );
    let waited = time::ticks_between(before, time::ticks());
    // One second is 128 ticks; allow a little overhead, but the wait must
    // neither end early nor last much longer.
    assert!((127..=150).contains(&waited), "waited {waited} ticks");
    let before = time::ticks();
    assert_eq!(
        keyboard::wait_key_for(Timeout::NoWait, MenuKey::IsAKey),
        None
    );
    assert!(
        time::ticks_between(before, time::ticks()) <= 2,
        "no wait means no wait"
    );
}

#[test_case]
fn key_wait_returns_physical_keys_and_menu_as_a_key() {
    assert!(
        keyboard::menu_enabled(),
        "MENU is not locked: the argument alone makes it a key"
    );
    for key in [PrgmKey::Menu, PrgmKey::F1, PrgmKey::AcOn, PrgmKey::Exe] {
        keyboard::queue_physical_key(key);
    }
    let before = time::ticks();
    let mut got: heapless::Vec<PrgmKey, 4> = heapless::Vec::new();
    for _ in 0..4 {
        let key = keyboard::wait_key_for(Timeout::Seconds(5), MenuKey::IsAKey);
        got.push(key.expect("a queued key, not the timeout"))
            .unwrap();
    }
    assert_eq!(
        got.as_slice(),
        [PrgmKey::Menu, PrgmKey::F1, PrgmKey::AcOn, PrgmKey::Exe]
    );
    assert!(
        time::ticks_between(before, time::ticks()) < 64,
        "queued keys come at once"
    );
    assert!(
        keyboard::menu_enabled(),
        "the wait leaves the MENU lock as it was"
    );
    assert_eq!(keyboard::poll_key(), None);
}

#[test_case]
fn a_press_given_back_reaches_get_key_as_getkey_would_take_it() {
    // Taken by polling (as a read-ahead does), then handed back: SHIFT
    // changes the modifier, the next key comes shifted, the modifier ends.
    for key in [PrgmKey::Down, PrgmKey::Shift, PrgmKey::Left, PrgmKey::Digit3] {
        keyboard::queue_physical_key(key);
    }
    let mut taken: heapless::Vec<PrgmKey, 4> = heapless::Vec::new();
    while let Some(key) = keyboard::poll_key() {
        taken.push(key).unwrap();
    }
    assert_eq!(taken.len(), 4);
    for key in taken {
        keyboard::give_back(key);
    }
    assert_eq!(keyboard::get_key(), Key::Down);
    assert_eq!(keyboard::get_key(), Key::ShiftLeft);
    assert_eq!(keyboard::modifier(), Modifier::None);
    assert_eq!(keyboard::get_key(), Key::Digit3);
    assert_eq!(keyboard::poll_key(), None);
}

#[test_case]
fn typing_tracks_shift_and_alpha_on_physical_keys() {
    use PrgmKey::*;
    let keys = [
        Digit4, Alpha, Log, Dot, Alpha, Digit0, Alpha, Digit7, Shift, Shift, Shift, AcOn, Exe,
    ];
    keys.iter().copied().for_each(keyboard::queue_physical_key);
    let mut typing = Typing::default();
    let mut typed: heapless::Vec<Typed, 16> = heapless::Vec::new();
    while let Some(key) = keyboard::wait_key_for(Timeout::NoWait, MenuKey::IsAKey) {
        typed.push(typing.translate(key, true)).unwrap();
    }
    use Typed::{Character, Control, ModifierChanged, PowerOff};
    assert_eq!(
        typed.as_slice(),
        [
            Character('4'),
            ModifierChanged,
            Character('B'),
            Character(' '),
            ModifierChanged,
            Character('z'),
            ModifierChanged,
            Character('7'),
            ModifierChanged,
            ModifierChanged,
            ModifierChanged,
            PowerOff,
            Control(Exe),
        ]
    );
    assert!(!typing.shift, "SHIFT applied to AC/ON only");
}
