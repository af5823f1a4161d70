//! Hello-sized uses of every module, compiled in every test build (host
//! and calculator) so the documented usage cannot rot. They need the
//! calculator's OS: on the host the tests only check they exist; in the
//! emulator they run (keys queued for the ones that wait for input).

use core::fmt::Write as _;

use embedded_graphics::pixelcolor::{Rgb565, RgbColor};
use embedded_graphics::prelude::*;
use embedded_graphics::primitives::{Circle, PrimitiveStyle, Rectangle};

use crate::display::{self, status_bar, text, TextColor};
use crate::fs::{self, FsError, Path};
use crate::keyboard::{self, Key, PrgmKey};
use crate::mcs::{self, McsError, Name};
use crate::time::{self, Instant};
use crate::ui::{self, Input, InputKind, InputState, Menu};
use crate::{allocator, system, Calculator};

/// display: shapes on VRAM (borrowed from the one `Calculator`), OS
/// text, the status bar.
pub fn display_hello(calculator: &mut Calculator) {
    let mut screen = calculator.display.vram();
    let _ = screen.clear(Rgb565::WHITE);
    let _ = Rectangle::new(Point::new(0, 24), Size::new(384, 24))
        .into_styled(PrimitiveStyle::with_fill(Rgb565::BLUE))
        .draw(&mut screen);
    let _ = Circle::new(Point::new(160, 90), 64)
        .into_styled(PrimitiveStyle::with_fill(Rgb565::RED))
        .draw(&mut screen);
    display::print_xy(1, 1, "Hello, Prizm!", TextColor::White);
    let width = text::measure_mini("centred");
    text::print_mini(
        (display::WIDTH as i32 - width) / 2,
        170,
        "centred",
        Rgb565::BLACK,
        Rgb565::WHITE,
    );
    status_bar::set_message("Hello", TextColor::Blue);
    display::put_display();
}

/// keyboard: GetKey, polling, the matrix, MENU lock.
pub fn keyboard_hello() {
    keyboard::disable_menu();
    loop {
        match keyboard::get_key() {
            Key::Exit | Key::Menu => break,
            key => {
                if let Some(c) = key.as_char() {
                    crate::debug_println!("typed {c}");
                }
            }
        }
    }
    keyboard::enable_menu();
    if keyboard::poll_key() == Some(PrgmKey::Exe) || keyboard::is_down(PrgmKey::Shift) {
        crate::debug_println!("EXE or SHIFT");
    }
}

/// fs: write, read back, list the root.
pub fn fs_hello() -> Result<(), FsError> {
    let path = Path::in_root("hello.txt")?;
    fs::write(&path, b"Hello, Prizm!")?;
    let mut buffer = [0u8; 32];
    let length = fs::read(&path, &mut buffer)?;
    crate::debug_println!("read {length} bytes, {} free", fs::free_space()?);
    for entry in fs::read_dir(&Path::root())? {
        let entry = entry?;
        crate::debug_println!("{}{}", entry.name(), if entry.is_dir() { "\\" } else { "" });
    }
    fs::delete(&path)
}

/// mcs: keep a setting across runs.
pub fn mcs_hello() -> Result<u8, McsError> {
    let (folder, item) = (Name::new("@HELLO")?, Name::new("Runs")?);
    let mut runs = [0u8; 1];
    let _ = mcs::get(&folder, &item, &mut runs);
    runs[0] = runs[0].wrapping_add(1);
    mcs::store(&folder, &item, &runs)?;
    Ok(runs[0])
}

/// time: the clock, elapsed time, sleeping.
pub fn time_hello() {
    let start = Instant::now();
    time::sleep_ms(100);
    let mut line = heapless::String::<64>::new();
    match time::now() {
        Ok(now) => {
            let _ = write!(line, "{now} ({})", now.date.weekday().name());
        }
        Err(error) => {
            let _ = write!(line, "{error}");
        }
    }
    crate::debug_println!("{line}, slept {} ms", start.elapsed_ms());
}

/// system: what the calculator is.
pub fn system_hello() {
    crate::debug_println!(
        "{} OS {} battery {} mV, stack {} bytes",
        system::model().name(),
        system::os_version(),
        system::battery_millivolts(),
        system::stack_used()
    );
}

/// allocator: how the arena is doing.
pub fn allocator_hello() {
    let stats = allocator::stats();
    crate::debug_println!(
        "{} of {} bytes free in {} blocks",
        stats.free,
        stats.capacity,
        stats.free_blocks
    );
}

/// ui: a menu, a PIN prompt, dialogs, progress.
pub fn ui_hello(calculator: &mut Calculator) {
    let display = &mut calculator.display;
    let items = ["Enter PIN", "About", "Quit"];
    let mut menu = Menu::new("Hello", &items);
    loop {
        match menu.run(display) {
            Some(0) => {
                let state = InputState::<8>::new(InputKind::Digits)
                    .masked(true)
                    .reveal_last(true);
                if let Some(pin) = Input::new("PIN", "Enter your PIN:", state).run(display) {
                    ui::message_box(
                        display,
                        "PIN",
                        if pin.len() >= 4 {
                            "Accepted."
                        } else {
                            "Too short."
                        },
                    );
                }
            }
            Some(1) => {
                for step in 0..=10 {
                    ui::show_progress(display, "Working", step, 10);
                    time::sleep_ms(50);
                }
                ui::message_box(display, "About", "Written in Rust.");
            }
            _ if ui::confirm(display, "Quit", "Leave the add-in?") => return,
            _ => {}
        }
    }
}

prizm_test! {
    fn examples_compile() {
        let examples: [fn(); 4] = [keyboard_hello, time_hello, system_hello, allocator_hello];
        let drawing: [fn(&mut Calculator); 2] = [display_hello, ui_hello];
        let files: fn() -> Result<(), FsError> = fs_hello;
        let main_memory: fn() -> Result<u8, McsError> = mcs_hello;
        assert_eq!(examples.len() + drawing.len(), 6);
        let _ = (files, main_memory);
    }
}

/// Queues keys for the next `GetKey` calls.
#[cfg(target_os = "none")]
fn queue_keys(keys: &[Key]) {
    keys.iter().copied().for_each(keyboard::queue_key);
}

#[cfg(target_os = "none")]
#[test_case]
fn examples_run_in_the_emulator() {
    // Under qemu-sh4eb there is no OS to call.
    if !crate::debug::is_emulator() {
        return;
    }
    let mut calculator = crate::testing::calculator();
    display_hello(&mut calculator);
    fs_hello().expect("fs example");
    let runs = mcs_hello().expect("mcs example");
    assert_eq!(mcs_hello().expect("mcs example"), runs.wrapping_add(1));
    time_hello();
    system_hello();
    allocator_hello();
    queue_keys(&[Key::Digit7, Key::Exit]);
    keyboard_hello();
    assert!(keyboard::menu_enabled(), "keyboard example re-enables MENU");
    // Menu: About (progress, then a message box), then EXIT and Yes.
    queue_keys(&[Key::Digit2, Key::Exit, Key::Exit, Key::F1]);
    ui_hello(&mut calculator);
    assert_eq!(keyboard::poll_key(), None, "every queued key was used");
}
