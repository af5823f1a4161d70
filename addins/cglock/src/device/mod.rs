//! The thin calculator side: the [`Environment`] over the OS (clock, main
//! memory, MENU and catalog, power), the key wait, and the main loop.

mod store;

use prizm::display::{self, Vram};
use prizm::{keyboard, syscall, system, time};

use crate::app::{App, Environment, Event, Flow};
use crate::crypto::{self, EntropyPool, DEVICE_ID_LENGTH, SALT_RANDOM_LENGTH};
use crate::keys::PhysicalKey;
use crate::record::{Record, RecordError};
use crate::storage::{self, Loaded, StoreError};
use crate::view;
use store::MainMemory;

/// `GetKeyWait_OS` wait type: sleep until a key or the timeout.
const KEYWAIT_HALTON_TIMERON: i32 = 2;

/// The calculator as CGlock's [`Environment`].
struct Calculator {
    memory: MainMemory,
    entropy: EntropyPool,
    /// Whether MENU and the catalog are currently blocked.
    blocked: bool,
}

impl Calculator {
    fn new() -> Calculator {
        let mut entropy = EntropyPool::new();
        entropy.mix(&system::device_id());
        entropy.mix_u32(time::ticks());
        Calculator {
            memory: MainMemory,
            entropy,
            blocked: false,
        }
    }

    /// Waits up to a second for a key. While locked, MENU comes back as a
    /// key (the `menu` argument) instead of opening the main menu — on
    /// top of MENU being disabled, in case this OS call ignores that flag.
    fn next_event(&mut self) -> Event {
        let (mut column, mut row) = (0i32, 0i32);
        let mut injected = 0u16;
        let menu_is_a_key = i32::from(self.blocked);
        // SAFETY: the three out-pointers are valid locals for the call; the
        // other arguments are plain integers in the documented ranges.
        let result = unsafe {
            syscall::GetKeyWait_OS(
                &mut column,
                &mut row,
                KEYWAIT_HALTON_TIMERON,
                1,
                menu_is_a_key,
                &mut injected,
            )
        };
        if result != 1 {
            return Event::Tick;
        }
        // When a key came is the salt's best unpredictable input.
        self.entropy
            .mix_u32(time::ticks() ^ ((column as u32) << 24) ^ ((row as u32) << 16));
        match PhysicalKey::from_matrix(column as u8, row as u8) {
            Some(key) => Event::Key(key),
            None => Event::Tick,
        }
    }
}

impl Environment for Calculator {
    fn now(&mut self) -> u32 {
        match time::now() {
            Ok(moment) => crate::clock::seconds_since_2000(&moment),
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
            "cglock: calibrated {} PBKDF2 iterations for 0.5 s",
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
        // SAFETY: no arguments; returns minutes.
        let minutes = unsafe { syscall::GetAutoPowerOffTime() };
        minutes.max(0) as u32 * 60
    }

    fn show_busy(&mut self, message: &str) {
        let mut screen = Vram::new();
        view::draw_busy(&mut screen, message);
        display::put_display();
    }
}

/// The add-in's entry point.
pub fn main() {
    display::enable_color(true);
    let mut calculator = Calculator::new();
    let loaded = match storage::open(&mut calculator.memory, &system::device_id()) {
        Ok(opened) => Loaded::from(opened),
        Err(error) => Loaded::Damaged(RecordError::Unreadable { code: error.code }),
    };
    let mut app = App::start(loaded, &mut calculator);
    let mut screen = Vram::new();
    let mut described: heapless::String<160> = heapless::String::new();
    let mut flow = Flow::Continue;
    loop {
        view::draw(&mut screen, &app);
        display::put_display();
        report_changes(&app, &mut described);
        if flow == Flow::PowerOff {
            // Returns when the calculator is turned on again.
            system::power_off(true);
        }
        flow = app.handle(calculator.next_event(), &mut calculator);
        if flow == Flow::Quit {
            break;
        }
    }
    // Every way out passes here; App already unblocked, this makes sure.
    calculator.set_leaving_blocked(false);
}

/// Writes the screen's description to the debug channel when it changed
/// (only the emulator listens; on a calculator this costs one check).
fn report_changes(app: &App, last: &mut heapless::String<160>) {
    if !prizm::debug::channel_available() {
        return;
    }
    let mut line: heapless::String<160> = heapless::String::new();
    let _ = app.describe(&mut line);
    if line != *last {
        prizm::debug_println!("cglock: {}", line);
        *last = line;
    }
}
