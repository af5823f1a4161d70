//! The window front end (`prizm-emu window`), with `minifb` (X11).
//!
//! The screen is shown at twice its size. Virtual time follows the wall
//! clock: each frame lets the add-in run for the real time that passed
//! (at most 58 million instructions a second). PC keys map to calculator
//! keys as [`map_key`] says (and the README lists).

use std::collections::BTreeSet;
use std::time::{Duration, Instant};

use minifb::{Key as PcKey, KeyRepeat, Scale, Window, WindowOptions};

use crate::emulator::Emulator;
use crate::headless::{summary, RunOptions};
use crate::keys::Key;
use crate::memory::{SCREEN_HEIGHT, SCREEN_WIDTH};

/// The calculator key for a PC key.
pub fn map_key(key: PcKey) -> Option<Key> {
    use PcKey::*;
    Some(match key {
        F1 => Key::F1,
        F2 => Key::F2,
        F3 => Key::F3,
        F4 => Key::F4,
        F5 => Key::F5,
        F6 => Key::F6,
        Up => Key::Up,
        Down => Key::Down,
        Left => Key::Left,
        Right => Key::Right,
        Enter | NumPadEnter => Key::Exe,
        Escape => Key::Exit,
        Backspace => Key::Del,
        Delete | End => Key::AcOn,
        Home | Menu => Key::Menu,
        LeftShift | RightShift => Key::Shift,
        LeftCtrl | RightCtrl => Key::Alpha,
        Tab | O => Key::Optn,
        Insert | V => Key::Vars,
        Key0 | NumPad0 => Key::Digit0,
        Key1 | NumPad1 => Key::Digit1,
        Key2 | NumPad2 => Key::Digit2,
        Key3 | NumPad3 => Key::Digit3,
        Key4 | NumPad4 => Key::Digit4,
        Key5 | NumPad5 => Key::Digit5,
        Key6 | NumPad6 => Key::Digit6,
        Key7 | NumPad7 => Key::Digit7,
        Key8 | NumPad8 => Key::Digit8,
        Key9 | NumPad9 => Key::Digit9,
        Period | NumPadDot => Key::Dot,
        Comma => Key::Comma,
        Minus | NumPadMinus => Key::Minus,
        Equal | NumPadPlus => Key::Plus,
        Semicolon | NumPadAsterisk => Key::Multiply,
        Slash | NumPadSlash => Key::Divide,
        LeftBracket => Key::LeftParen,
        RightBracket => Key::RightParen,
        E => Key::Exp,
        N => Key::Negate,
        X => Key::XThetaT,
        L => Key::Log,
        K => Key::Ln,
        S => Key::Sin,
        C => Key::Cos,
        T => Key::Tan,
        Q => Key::Square,
        P => Key::Power,
        F => Key::Fraction,
        D => Key::FD,
        R => Key::Store,
        _ => return None,
    })
}

fn title(emu: &Emulator, name: &str, halted: bool) -> String {
    let state = if halted {
        "stopped by GDB".to_string()
    } else if emu.machine().os.keyboard.powered_off {
        "off (press a key)".to_string()
    } else if let Some(outcome) = emu.outcome() {
        outcome.short()
    } else if emu.is_waiting_for_key() {
        "waiting for a key".to_string()
    } else {
        "running".to_string()
    };
    format!("prizm-emu — {name} — {state}")
}

/// Opens the window and runs until it is closed. Returns the exit code.
pub fn run(options: &RunOptions) -> i32 {
    let script = match options.script() {
        Ok(s) => s,
        Err(e) => {
            eprintln!("prizm-emu: {e}");
            return 2;
        }
    };
    let mut emu = match crate::headless::start(options, u64::MAX) {
        Ok(emu) => emu,
        Err(e) => {
            eprintln!("prizm-emu: {e}");
            return 2;
        }
    };
    let name = options
        .file
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let mut window = match Window::new(
        &title(&emu, &name, false),
        SCREEN_WIDTH,
        SCREEN_HEIGHT,
        WindowOptions {
            scale: Scale::X2,
            ..WindowOptions::default()
        },
    ) {
        Ok(w) => w,
        Err(e) => {
            eprintln!("prizm-emu: cannot open a window ({e}); is DISPLAY set? `prizm-emu run` works without one");
            return 2;
        }
    };
    window.set_target_fps(60);
    if !script.steps.is_empty() {
        if let Err(e) = crate::keyscript::run(&mut emu, &script, &mut |_| {}) {
            eprintln!("prizm-emu: {e}");
        }
    }
    let started = Instant::now();
    let mut last = Instant::now();
    let mut last_title = String::new();
    while window.is_open() {
        let now = emu.machine().now_ns();
        for key in window.get_keys_pressed(KeyRepeat::No) {
            if let Some(key) = map_key(key) {
                emu.machine_mut().os.input.live_press(key, now);
            }
        }
        let held: BTreeSet<Key> = window.get_keys().into_iter().filter_map(map_key).collect();
        emu.machine_mut().os.input.set_live(held);
        let elapsed = last.elapsed().min(Duration::from_millis(100));
        last = Instant::now();
        let halted = emu.run_frame(elapsed, Duration::from_millis(30));
        let t = title(&emu, &name, halted);
        if t != last_title {
            window.set_title(&t);
            last_title = t;
        }
        if window
            .update_with_buffer(&emu.screen_rgb(), SCREEN_WIDTH, SCREEN_HEIGHT)
            .is_err()
        {
            break;
        }
    }
    emu.machine_mut().flush_trace();
    if let Some(path) = &options.screenshot {
        if let Err(e) = emu.screenshot_png(path) {
            eprintln!("prizm-emu: {e}");
        }
    }
    emu.detach_debugger();
    println!("{}", summary(&emu, started.elapsed()));
    match emu.outcome() {
        Some(outcome) if !outcome.is_success() => 1,
        _ => 0,
    }
}
