//! The tools' screens: the password generator and the authenticator.
//!
//! The authenticator's accounts are sealed under a PIN or passphrase of
//! its own
//! ([`sealed`](super::sealed)): the codes show only after it is typed, a
//! wrong PIN shows nothing, and every save seals again under a fresh salt
//! and nonce. The clock is local time; the zone offset (minutes east of
//! UTC) is kept in main memory, item `TOTPTZ`, and set with F6.
//!
//! Debug channel (emulator tests): `tools: totp accounts=<n>` when the
//! list opens, `tools: wrote <n> passwords to <path>`.

use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;
use core::fmt::Write;

use prizm::display::text::Font;
use prizm::keyboard::{self, MenuKey, PrgmKey, Timeout};
use prizm::ui::{self, FKeyBar, Frame, Input, InputKind, InputState, Menu, Screen, Surface, TitleBar, THEME};
use prizm::Calculator;
use prizm_lock::crypto::EntropyPool;

use super::password::{self, Options};
use super::random::KeyStream;
use super::sealed::{self, OpenError, NONCE_LENGTH, SALT_LENGTH};
use super::totp::{self, Account, Algorithm};

/// Main-memory item holding the sealed accounts.
const VAULT_ITEM: &str = "TOTPKEYS";
/// Largest sealed blob read (about 60 accounts).
const VAULT_CAPACITY: usize = 8192;
/// Seconds from 1970-01-01 to 2000-01-01.
const UNIX_2000: u64 = 946_684_800;

/// A random source for this run: ChaCha20 under a key hashed from the
/// tick counter, the clock, the device ID and key timings.
fn random() -> KeyStream {
    let mut pool = EntropyPool::new();
    pool.mix(&prizm::system::device_id());
    pool.mix_u32(prizm::time::ticks());
    if let Ok(now) = prizm::time::now() {
        pool.mix_u32(prizm_lock::screen::clock::seconds_since_2000(&now));
    }
    let marker = 0u8;
    pool.mix_u32(&raw const marker as usize as u32);
    let mut key = [0u8; 32];
    key[..16].copy_from_slice(&pool.draw());
    pool.mix_u32(prizm::time::ticks());
    key[16..].copy_from_slice(&pool.draw());
    KeyStream::new(&key)
}

/// The tools menu.
pub fn run(calculator: &mut Calculator) {
    let items = ["Password generator", "Authenticator (TOTP)"];
    loop {
        match Menu::new("Tools", &items).run(&mut calculator.display) {
            None => return,
            Some(0) => generator(calculator),
            Some(_) => authenticator(calculator),
        }
    }
}

fn on(flag: bool) -> &'static str {
    if flag {
        "on"
    } else {
        "off"
    }
}

fn ask<const N: usize>(calculator: &mut Calculator, title: &str, prompt: &str, state: InputState<N>) -> Option<heapless::String<N>> {
    Input::new(title, prompt, state).run(&mut calculator.display).filter(|text| !text.is_empty())
}

fn generator(calculator: &mut Calculator) {
    let mut options = Options::default();
    let mut cursor = 0;
    loop {
        let items = [
            format!("Length: {}", options.length),
            format!("Symbols: {}", on(options.symbols)),
            format!("Numbers: {}", on(options.numbers)),
            format!("Uppercase: {}", on(options.uppercase)),
            format!("No look-alikes: {}", on(options.no_confusable)),
            format!("Memorable: {}", on(options.memorable)),
            String::from("Generate one"),
            String::from("Write many to a file"),
        ];
        let labels: Vec<&str> = items.iter().map(String::as_str).collect();
        let mut menu = Menu::new("Password generator", &labels);
        menu.state.select(cursor);
        let Some(choice) = menu.run(&mut calculator.display) else {
            return;
        };
        cursor = choice;
        match choice {
            0 => {
                if let Some(text) = ask::<2>(calculator, "Length", "6 to 30:", InputState::new(InputKind::Digits)) {
                    options.length = text.parse::<usize>().unwrap_or(12).clamp(password::MIN_LENGTH, password::MAX_LENGTH);
                }
            }
            1 => options.symbols = !options.symbols,
            2 => options.numbers = !options.numbers,
            3 => options.uppercase = !options.uppercase,
            4 => options.no_confusable = !options.no_confusable,
            5 => options.memorable = !options.memorable,
            // A new stream each time: the moment of the key press is
            // mixed into its key.
            6 => {
                let generated = password::generate(&options, &mut random());
                ui::message_box(&mut calculator.display, "Password", &generated);
            }
            _ => write_file(calculator, &options, &mut random()),
        }
    }
}

fn write_file(calculator: &mut Calculator, options: &Options, source: &mut KeyStream) {
    let Some(count) = ask::<4>(calculator, "Passwords", "How many (1-1000):", InputState::new(InputKind::Digits)) else {
        return;
    };
    let count = count.parse::<usize>().unwrap_or(0).clamp(1, 1000);
    let state = InputState::<32>::new(InputKind::Text).with_text("PASSWORDS.txt");
    let Some(name) = ask(calculator, "Passwords", "File name:", state) else {
        return;
    };
    let text = password::text_file(options, count, source);
    let written = prizm::fs::Path::in_root(&name).and_then(|path| prizm::fs::write_atomic(&path, text.as_bytes()));
    match written {
        Ok(()) => {
            prizm::debug_println!("tools: wrote {} passwords to \\\\fls0\\{}", count, name);
            let message = format!("{count} passwords written to {name}.");
            ui::message_box(&mut calculator.display, "Passwords", &message);
        }
        Err(error) => ui::message_box(&mut calculator.display, "Not written", error.message()),
    }
}

fn read_vault() -> Option<Vec<u8>> {
    let mut buffer = alloc::vec![0u8; VAULT_CAPACITY];
    let length = crate::system::store::read(VAULT_ITEM, &mut buffer)?;
    buffer.truncate(length);
    Some(buffer)
}

/// The clock's time zone (Settings, Clock), shared with the rest of Utilities.
fn zone_minutes() -> i32 {
    crate::settings::load().utc_offset_minutes()
}

/// UTC seconds since 1970 from the calculator's local clock.
fn unix_now() -> Option<u64> {
    let now = prizm::time::now().ok()?;
    let local = u64::from(prizm_lock::screen::clock::seconds_since_2000(&now)) + UNIX_2000;
    Some((local as i64 - i64::from(zone_minutes()) * 60).max(0) as u64)
}

fn calibrated_iterations() -> u32 {
    prizm_lock::crypto::calibrate(|trial| {
        let start = prizm::time::ticks();
        prizm_lock::crypto::calibration_workload(trial);
        prizm::time::ticks_between(start, prizm::time::ticks())
    })
    .clamp(sealed::MIN_ITERATIONS, sealed::MAX_ITERATIONS)
}

/// Seals and stores `accounts` under `pin`.
fn save(accounts: &[Account], pin: &[u8], iterations: u32, source: &mut KeyStream) -> Result<(), &'static str> {
    use super::random::Random;
    let mut salt = [0u8; SALT_LENGTH];
    let mut nonce = [0u8; NONCE_LENGTH];
    source.fill(&mut salt);
    source.fill(&mut nonce);
    let blob = sealed::seal(accounts, pin, iterations, &salt, &nonce);
    crate::system::store::write(VAULT_ITEM, &blob).map_err(|_| "Main memory is full: not saved.")
}

fn busy(calculator: &mut Calculator, message: &str) {
    ui::draw_message(&mut Screen::new(&mut calculator.display), "Authenticator", message, None);
    prizm::display::put_display();
}

/// A PIN (digits) or a passphrase (ALPHA for letters), masked.
fn pin_state() -> InputState<32> {
    InputState::<32>::new(InputKind::Text).masked(true)
}

fn authenticator(calculator: &mut Calculator) {
    let mut source = random();
    let (accounts, pin, iterations) = match read_vault() {
        None => {
            // First use: choose the PIN.
            let Some(first) = ask(calculator, "Authenticator", "New PIN or passphrase (4-32):", pin_state()) else {
                return;
            };
            if first.len() < 4 {
                ui::message_box(&mut calculator.display, "Authenticator", "At least 4 characters.");
                return;
            }
            let Some(second) = ask(calculator, "Authenticator", "The same again:", pin_state()) else {
                return;
            };
            if first != second {
                ui::message_box(&mut calculator.display, "Authenticator", "They differ. Nothing saved.");
                return;
            }
            busy(calculator, "Measuring this calculator's speed...");
            let iterations = calibrated_iterations();
            busy(calculator, "Saving...");
            if let Err(message) = save(&[], first.as_bytes(), iterations, &mut source) {
                ui::message_box(&mut calculator.display, "Authenticator", message);
                return;
            }
            (Vec::new(), first, iterations)
        }
        Some(blob) => {
            let Some(pin) = ask(calculator, "Authenticator", "PIN:", pin_state()) else {
                return;
            };
            busy(calculator, "Checking...");
            match sealed::open(&blob, pin.as_bytes()) {
                Ok(accounts) => {
                    let iterations = u32::from_be_bytes([blob[4], blob[5], blob[6], blob[7]]);
                    (accounts, pin, iterations)
                }
                Err(error) => {
                    prizm::debug_println!("tools: totp refused ({:?})", error);
                    let message = if error == OpenError::WrongSecretOrDamaged { "Wrong PIN." } else { error.message() };
                    ui::message_box(&mut calculator.display, "Authenticator", message);
                    return;
                }
            }
        }
    };
    codes(calculator, accounts, pin.as_bytes(), iterations, &mut source);
}

fn draw_codes(surface: &mut Screen<'_>, accounts: &[Account], cursor: usize, unix: Option<u64>) {
    let frame = Frame::default();
    ui::draw_screen(surface, &frame, "");
    let mut status: heapless::String<12> = heapless::String::new();
    if let Some(now) = unix {
        let _ = write!(status, "{} s", totp::seconds_left(now));
    }
    TitleBar::new("Authenticator").with_status(&status).draw(surface, frame.title());
    let content = frame.content();
    if accounts.is_empty() {
        surface.draw_text(10, content.y + 10, "No accounts: [F1] adds one.", Font::Medium, THEME.dim_text, None);
    }
    let first = cursor.saturating_sub(5);
    for (row, account) in accounts.iter().enumerate().skip(first).take(6) {
        let y = content.y + (row - first) as i32 * 24;
        let selected = row == cursor;
        let (foreground, background) = if selected {
            (THEME.selection_text, THEME.selection_background)
        } else {
            (THEME.text, THEME.background)
        };
        surface.fill_rect(ui::Rect::new(0, y, content.width, 24), background);
        surface.draw_text(8, y + 3, &account.name, Font::Medium, foreground, None);
        let code = match unix {
            Some(now) => {
                let value = totp::totp(&account.secret, now, account.algorithm, account.digits);
                let mut text: heapless::String<12> = heapless::String::new();
                let _ = write!(text, "{:0width$}", value, width = account.digits as usize);
                text
            }
            None => heapless::String::try_from("clock?").unwrap_or_default(),
        };
        let width = surface.text_width(&code, Font::Medium);
        surface.draw_text(content.width - 10 - width, y + 3, &code, Font::Medium, foreground, None);
    }
    FKeyBar::new().with(0, "Add").with(4, "Delete").with(5, "Zone").draw(surface);
}

fn codes(calculator: &mut Calculator, mut accounts: Vec<Account>, pin: &[u8], iterations: u32, source: &mut KeyStream) {
    prizm::debug_println!("tools: totp accounts={}", accounts.len());
    let mut cursor = 0usize;
    loop {
        draw_codes(&mut Screen::new(&mut calculator.display), &accounts, cursor, unix_now());
        prizm::display::put_display();
        // Wake every second so the codes and the countdown stay current.
        let Some(key) = keyboard::wait_key_for(Timeout::Seconds(1), MenuKey::OpensMainMenu) else {
            continue;
        };
        let changed = match key {
            PrgmKey::Exit => return,
            PrgmKey::Up => {
                cursor = cursor.saturating_sub(1);
                false
            }
            PrgmKey::Down => {
                cursor = (cursor + 1).min(accounts.len().saturating_sub(1));
                false
            }
            PrgmKey::F1 => match new_account(calculator) {
                Some(account) => {
                    accounts.push(account);
                    cursor = accounts.len() - 1;
                    true
                }
                None => false,
            },
            PrgmKey::F5 if !accounts.is_empty() => {
                let question = format!("Delete {}?", accounts[cursor].name);
                if ui::confirm(&mut calculator.display, "Authenticator", &question) {
                    accounts.remove(cursor);
                    cursor = cursor.min(accounts.len().saturating_sub(1));
                    true
                } else {
                    false
                }
            }
            PrgmKey::F6 => {
                set_zone(calculator);
                false
            }
            _ => false,
        };
        if changed {
            busy(calculator, "Saving...");
            if let Err(message) = save(&accounts, pin, iterations, source) {
                ui::message_box(&mut calculator.display, "Authenticator", message);
            }
            prizm::debug_println!("tools: totp accounts={}", accounts.len());
        }
    }
}

fn new_account(calculator: &mut Calculator) -> Option<Account> {
    let name = ask::<24>(calculator, "New account", "Name:", InputState::new(InputKind::Text))?;
    let secret_text = ask::<110>(calculator, "New account", "Secret (Base32):", InputState::new(InputKind::Text))?;
    let secret = match totp::decode_base32(&secret_text) {
        Ok(secret) => secret,
        Err(error) => {
            ui::message_box(&mut calculator.display, "New account", error.message());
            return None;
        }
    };
    let kinds = ["SHA-1, 6 digits", "SHA-1, 8 digits", "SHA-256, 6 digits", "SHA-256, 8 digits"];
    let choice = Menu::new("Code type", &kinds).run(&mut calculator.display)?;
    let mut stored = heapless::String::new();
    let _ = stored.push_str(&name);
    Some(Account {
        name: stored,
        secret,
        algorithm: if choice >= 2 { Algorithm::Sha256 } else { Algorithm::Sha1 },
        digits: if choice % 2 == 1 { 8 } else { 6 },
    })
}

/// Sets the time zone codes are computed in: the clock's own setting.
pub fn set_zone(calculator: &mut Calculator) {
    crate::settings::edit_section(calculator, &crate::settings::CLOCK_SECTION);
}
