//! The thin calculator side: the [`Environment`] over the OS (clock, main
//! memory, MENU and catalog, power), the key wait, and the main loops:
//! [`run_cglock`] (CGlock's whole add-in) and [`lock_now`] (another
//! add-in's "lock" command on the same record).

use prizm::display;
use prizm::keyboard::{self, MenuKey, Timeout};
use prizm::{system, time};

use crate::screen::app::{App, Environment, Event, Flow};
use crate::crypto::{self, EntropyPool, DEVICE_ID_LENGTH, SALT_RANDOM_LENGTH};
use crate::record::{Record, RecordError};
use crate::storage::{self, CopyHealth, Opened, StoreError};
use crate::screen::view;
use crate::screen::store::MainMemory;
use crate::screen::app::Screen;
use prizm::keyboard::PrgmKey;

/// The calculator as CGlock's [`Environment`].
struct Device<'a> {
    /// The one owner of VRAM, lent by the add-in.
    calculator: &'a mut prizm::Calculator,
    memory: MainMemory,
    entropy: EntropyPool,
    /// Whether MENU and the catalog are currently blocked.
    blocked: bool,
    /// What starts this add-in's debug-channel lines.
    tag: &'static str,
}

impl<'a> Device<'a> {
    fn new(calculator: &'a mut prizm::Calculator, tag: &'static str) -> Device<'a> {
        let mut entropy = EntropyPool::new();
        entropy.mix(&system::device_id());
        entropy.mix_u32(time::ticks());
        Device {
            calculator,
            memory: MainMemory,
            entropy,
            blocked: false,
            tag,
        }
    }

    /// Waits up to a second for a key. While locked, MENU comes back as a
    /// key instead of opening the main menu — on top of MENU being
    /// disabled, in case the key wait ignores that flag.
    fn next_event(&mut self) -> Event {
        let menu = if self.blocked {
            MenuKey::IsAKey
        } else {
            MenuKey::OpensMainMenu
        };
        let Some(key) = keyboard::wait_key_for(Timeout::Seconds(1), menu) else {
            return Event::Tick;
        };
        // When a key came is the salt's best unpredictable input.
        self.entropy
            .mix_u32(time::ticks() ^ (u32::from(key.code()) << 16));
        Event::Key(key)
    }
}

impl Environment for Device<'_> {
    fn now(&mut self) -> u32 {
        match time::now() {
            Ok(moment) => crate::screen::clock::seconds_since_2000(&moment),
            // The clock was never set (batteries out): the tick counter
            // still runs, so waits still end.
            Err(_) => time::ticks() / time::TICKS_PER_SECOND,
        }
    }

    fn save(&mut self, record: &Record) -> Result<(), StoreError> {
        storage::save(&mut self.memory, record)
    }

    fn erase(&mut self) -> Result<(), StoreError> {
        storage::erase(&mut self.memory)
    }

    fn record_in_place(&mut self) -> bool {
        storage::in_place(&mut self.memory).unwrap_or(false)
    }

    fn free_main_memory(&mut self) -> Option<u32> {
        prizm::mcs::state().ok().map(|state| state.free)
    }

    fn random_salt(&mut self) -> [u8; SALT_RANDOM_LENGTH] {
        self.entropy.mix_u32(time::ticks());
        let now = self.now();
        self.entropy.mix_u32(now);
        let marker = 0u8;
        self.entropy.mix_u32(&raw const marker as usize as u32);
        self.entropy.draw()
    }

    fn device_id(&mut self) -> [u8; DEVICE_ID_LENGTH] {
        system::device_id()
    }

    fn calibrate(&mut self) -> u32 {
        let iterations = crypto::calibrate(|trial| {
            let start = time::ticks();
            crypto::calibration_workload(trial);
            time::ticks_between(start, time::ticks())
        });
        prizm::debug_println!(
            "{}: calibrated {} PBKDF2 iterations for 0.5 s",
            self.tag,
            iterations
        );
        iterations
    }

    fn set_leaving_blocked(&mut self, blocked: bool) {
        if blocked {
            keyboard::disable_menu();
            keyboard::disable_catalog();
        } else {
            keyboard::enable_menu();
            keyboard::enable_catalog();
        }
        self.blocked = blocked;
    }

    fn auto_power_off_seconds(&mut self) -> u32 {
        system::auto_power_off_seconds()
    }

    fn show_busy(&mut self, message: &str) {
        view::draw_busy(&mut self.calculator.display.vram(), message);
        display::put_display();
    }
}

/// What a main loop is for.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Mode {
    /// CGlock: the whole add-in, until the user quits it.
    Whole,
    /// Another add-in's lock command: lock (after setting a secret on the
    /// first run), then return once unlocked.
    LockAndReturn,
    /// Another add-in's settings entry: CGlock's settings (after the
    /// secret, or the first-run setup), then return.
    SettingsAndReturn,
}

/// CGlock's entry: its home, lock screen and settings until EXIT. The
/// debug channel gets `cglock: <screen>` lines (see [`App::describe`]).
pub fn run_cglock(calculator: &mut prizm::Calculator) {
    run(calculator, Mode::Whole, "cglock");
}

/// Locks the calculator with CGlock's lock now, on CGlock's record (same
/// secret, same waits), and returns once it is unlocked. Without a
/// secret yet, CGlock's first-run setup comes first (EXIT there returns
/// without locking); with an unusable record, the screen saying why. The
/// debug channel gets `<tag>: <screen>` lines.
pub fn lock_now(calculator: &mut prizm::Calculator, tag: &'static str) {
    run(calculator, Mode::LockAndReturn, tag);
}

/// Opens CGlock's settings (change the secret, owner message, lock
/// options) on CGlock's record, after asking for the secret, and returns
/// when they are left. Without a secret yet, the first-run setup instead.
pub fn settings_now(calculator: &mut prizm::Calculator, tag: &'static str) {
    run(calculator, Mode::SettingsAndReturn, tag);
}

fn run(calculator: &mut prizm::Calculator, mode: Mode, tag: &'static str) {
    display::enable_color(true);
    let mut device = Device::new(calculator, tag);
    let opened = match storage::open(&mut device.memory, &system::device_id()) {
        Ok(opened) => opened,
        Err(error) => {
            let unreadable = CopyHealth::Damaged(RecordError::Unreadable { code: error.code });
            Opened::Unusable {
                first: unreadable,
                second: unreadable,
            }
        }
    };
    let mut app = App::start(opened, &mut device);
    let mut described: heapless::String<160> = heapless::String::new();
    let mut flow = Flow::Continue;
    let mut was_locked = app.is_locked();
    // Settings: F6 on home asks for the secret, then opens them; coming
    // back to home means they were left.
    let mut settings_opened = false;
    loop {
        if mode == Mode::SettingsAndReturn && *app.screen() == Screen::Home {
            if settings_opened || app.record().is_none() {
                report_changes(&app, &mut described, tag);
                break;
            }
            settings_opened = true;
            flow = app.handle(Event::Key(PrgmKey::F6), &mut device);
        }
        if mode == Mode::LockAndReturn && *app.screen() == Screen::Home {
            if was_locked {
                // Unlocked: back to the add-in.
                report_changes(&app, &mut described, tag);
                break;
            }
            // Home with a secret (set just now, or before): lock. F1 is
            // home's own lock key, so this is exactly CGlock's lock.
            flow = app.handle(Event::Key(PrgmKey::F1), &mut device);
            was_locked = app.is_locked();
            if !was_locked {
                // Refused (main memory full, save failed): show why, then
                // return on the next key.
                view::draw(&mut device.calculator.display.vram(), &app);
                display::put_display();
                report_changes(&app, &mut described, tag);
                while device.next_event() == Event::Tick {}
                break;
            }
        }
        view::draw(&mut device.calculator.display.vram(), &app);
        display::put_display();
        report_changes(&app, &mut described, tag);
        if flow == Flow::PowerOff {
            // Returns when the calculator is turned on again.
            system::power_off(true);
        }
        flow = app.handle(device.next_event(), &mut device);
        was_locked |= app.is_locked();
        if flow == Flow::Quit {
            break;
        }
    }
    // Every way out passes here; App already unblocked, this makes sure.
    device.set_leaving_blocked(false);
}

/// Writes the screen's description to the debug channel when it changed
/// (only the emulator listens; on a calculator this costs one check).
fn report_changes(app: &App, last: &mut heapless::String<160>, tag: &str) {
    if !prizm::debug::channel_available() {
        return;
    }
    let mut line: heapless::String<160> = heapless::String::new();
    let _ = app.describe(&mut line);
    if line != *last {
        prizm::debug_println!("{}: {}", tag, line);
        *last = line;
    }
}
