//! The window front end (`prizm-emu window`), with `minifb` (X11).
//!
//! The screen is shown at twice its size with the keypad beside it
//! ([`crate::keypad`]): keys can be clicked and light up while down. Virtual
//! time follows the wall clock: each frame lets the add-in run for the real
//! time that passed (at most 58 million instructions a second), or, at
//! maximum speed, as much as the host manages while the add-in computes
//! (waiting for a key, time still follows the wall clock). PC keys map to calculator
//! keys as [`map_key`] says (and the README lists); F9 pauses and resumes,
//! F10 switches between 1× and maximum speed, F12 saves a screenshot.

use std::collections::BTreeSet;
use std::time::{Duration, Instant};

use minifb::{Key as PcKey, KeyRepeat, MouseButton, MouseMode, Scale, Window, WindowOptions};

use crate::emulator::Emulator;
use crate::headless::{summary, RunOptions};
use crate::keypad::{self, PANEL_WIDTH};
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

/// The window's own controls.
#[derive(Debug, Default)]
struct Controls {
    paused: bool,
    max_speed: bool,
    screenshots: u32,
}

fn title(emu: &Emulator, name: &str, halted: bool, controls: &Controls) -> String {
    let state = if controls.paused {
        "paused (F9 resumes)".to_string()
    } else if halted {
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
    let speed = if controls.max_speed {
        ", maximum speed"
    } else {
        ""
    };
    format!("prizm-emu — {name} — {state}{speed}")
}

/// The LCD with the keypad to its right, as the window's RGB buffer.
fn frame(emu: &Emulator, lit: &BTreeSet<Key>) -> Vec<u32> {
    let lcd = emu.screen_rgb();
    let panel = keypad::draw(&|key| lit.contains(&key));
    let width = SCREEN_WIDTH + PANEL_WIDTH;
    let mut out = Vec::with_capacity(width * SCREEN_HEIGHT);
    for y in 0..SCREEN_HEIGHT {
        out.extend_from_slice(&lcd[y * SCREEN_WIDTH..(y + 1) * SCREEN_WIDTH]);
        out.extend(
            panel[y * SCREEN_WIDTH..y * SCREEN_WIDTH + PANEL_WIDTH]
                .iter()
                .map(|c| {
                    let [r, g, b] = crate::screenshot::rgb565_to_rgb888(*c);
                    (u32::from(r) << 16) | (u32::from(g) << 8) | u32::from(b)
                }),
        );
    }
    out
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
    let mut controls = Controls::default();
    let mut window = match Window::new(
        &title(&emu, &name, false, &controls),
        SCREEN_WIDTH + PANEL_WIDTH,
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
    let mut clicked: Option<Key> = None;
    let mut held_before: BTreeSet<Key> = BTreeSet::new();
    while window.is_open() {
        let now = emu.machine().now_ns();
        for pc_key in window.get_keys_pressed(KeyRepeat::No) {
            match pc_key {
                PcKey::F9 => controls.paused = !controls.paused,
                PcKey::F10 => controls.max_speed = !controls.max_speed,
                PcKey::F12 => {
                    controls.screenshots += 1;
                    let path = format!("prizm-emu-screenshot-{}.png", controls.screenshots);
                    match emu.screenshot_png(&path) {
                        Ok(()) => eprintln!("prizm-emu: screenshot saved as {path}"),
                        Err(e) => eprintln!("prizm-emu: {e}"),
                    }
                }
                _ => {}
            }
        }
        // A click on the keypad presses its key until the button is released.
        if window.get_mouse_down(MouseButton::Left) {
            if clicked.is_none() {
                let position = window.get_mouse_pos(MouseMode::Discard);
                clicked = position
                    .and_then(|(x, y)| keypad::hit(x as i32 - SCREEN_WIDTH as i32, y as i32));
            }
        } else {
            clicked = None;
        }
        let mut held: BTreeSet<Key> = window.get_keys().into_iter().filter_map(map_key).collect();
        held.extend(clicked);
        // Presses are the keys that went down since the last frame, taken
        // from the same key states as `held`: minifb's X11 backend shows a
        // new key in `get_keys` one frame before `get_keys_pressed` reports
        // it, and a press queued that late reached the add-in as a second
        // press of the key it already saw held.
        for &key in held.difference(&held_before) {
            emu.machine_mut().os.input.live_press(key, now);
        }
        held_before.clone_from(&held);
        emu.machine_mut().os.input.set_live(held);
        let elapsed = last.elapsed().min(Duration::from_millis(100));
        last = Instant::now();
        let halted = if controls.paused {
            false
        } else if controls.max_speed {
            // As much virtual time as the host runs in the frame's slot,
            // up to a key wait; the wait then follows the wall clock as at
            // 1× (else a held key would auto-repeat hundreds of times a
            // second and the calculator's clock would race).
            let halted =
                emu.run_frame_computing(Duration::from_secs(10), Duration::from_millis(30));
            if !halted && emu.is_in_key_wait() {
                emu.run_frame(elapsed, Duration::from_millis(30))
            } else {
                halted
            }
        } else {
            emu.run_frame(elapsed, Duration::from_millis(30))
        };
        let t = title(&emu, &name, halted, &controls);
        if t != last_title {
            window.set_title(&t);
            last_title = t;
        }
        let lit = emu.machine().os.input.held(emu.machine().now_ns());
        if window
            .update_with_buffer(
                &frame(&emu, &lit),
                SCREEN_WIDTH + PANEL_WIDTH,
                SCREEN_HEIGHT,
            )
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
