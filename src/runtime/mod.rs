//! The add-in runtime: what runs before `main`, the panic screen and
//! `abort`. The assembly half is `crt0.S` beside this file, with `mem.S`
//! (the SH-4A `memcpy`, `memmove` and `memset` every add-in links).

use core::fmt::Write;
use core::panic::PanicInfo;

use crate::display::{self, TextColor};

/// Declares the add-in's entry point: `prizm::entry!(main);` with
/// `fn main(calculator: prizm::Calculator)`. The signature is checked at
/// compile time; `main` receives the one [`Calculator`](crate::Calculator).
///
/// Returning from `main` returns to the OS's main menu.
#[macro_export]
macro_rules! entry {
    ($main:path) => {
        // On the calculator this function's symbol is `main`, so GDB's
        // `break main` stops here, at the call of the add-in's own `main`
        // (usually inlined into it); one `step` is on its first line.
        #[doc(hidden)]
        #[cfg_attr(target_os = "none", unsafe(export_name = "main"))]
        #[cfg_attr(not(target_os = "none"), unsafe(no_mangle))]
        pub fn __prizm_main(calculator: $crate::Calculator) {
            let main: fn($crate::Calculator) = $main;
            main(calculator)
        }

        // Makes the add-in reference the runtime, so the linker takes the
        // runtime's object out of the prizm rlib even though the only
        // other references come from crt0, which is linked after it.
        #[doc(hidden)]
        #[used]
        static __PRIZM_RUNTIME: &$crate::runtime::RuntimeEntryPoints =
            &$crate::runtime::RUNTIME_ENTRY_POINTS;
    };
}

/// The functions `crt0.S` calls, kept reachable by [`entry!`].
#[doc(hidden)]
pub struct RuntimeEntryPoints {
    start: extern "C" fn(i32, i32) -> i32,
    abort: extern "C" fn() -> !,
}

impl RuntimeEntryPoints {
    /// The start function's address (for diagnostics).
    pub fn start_address(&self) -> usize {
        self.start as usize
    }

    /// The abort handler's address (for diagnostics).
    pub fn abort_address(&self) -> usize {
        self.abort as usize
    }
}

/// See [`RuntimeEntryPoints`].
#[doc(hidden)]
pub static RUNTIME_ENTRY_POINTS: RuntimeEntryPoints = RuntimeEntryPoints {
    start: prizm_start,
    abort: prizm_abort,
};

/// Called by `crt0.S` once `.data` and `.bss` are set up.
#[unsafe(no_mangle)]
extern "C" fn prizm_start(_argument0: i32, _argument1: i32) -> i32 {
    crate::allocator::init();
    #[cfg(test)]
    {
        crate::test_main();
        crate::debug::exit(0);
    }
    #[cfg(not(test))]
    {
        unsafe extern "Rust" {
            // The symbol `entry!` gives it on the calculator.
            #[cfg_attr(target_os = "none", link_name = "main")]
            fn __prizm_main(calculator: crate::Calculator);
        }
        let calculator =
            crate::Calculator::take().expect("nothing runs before main to take the calculator");
        // SAFETY: `__prizm_main` is defined by the add-in's `entry!`, which
        // checks it is a `fn(Calculator)`.
        unsafe { __prizm_main(calculator) };
        0
    }
}

/// Reached from `_abort` in `crt0.S` (the backend's trap instruction).
#[unsafe(no_mangle)]
extern "C" fn prizm_abort() -> ! {
    fatal_screen("Aborted", "The add-in hit a trap (abort).", None)
}

#[panic_handler]
fn panic(info: &PanicInfo) -> ! {
    let mut message = Truncating::<256>::default();
    let _ = write!(message, "{}", info.message());
    let mut location = Truncating::<96>::default();
    if let Some(place) = info.location() {
        let _ = write!(location, "{}:{}", place.file(), place.line());
    }
    fatal_screen("Panic", &message.text, Some(&location.text))
}

/// A fixed-capacity string that keeps what fits, ending in "..." when cut,
/// instead of failing the whole `write!` (a long path in a panic message
/// must not lose the rest of the report).
#[derive(Default)]
struct Truncating<const N: usize> {
    text: heapless::String<N>,
    cut: bool,
}

impl<const N: usize> Write for Truncating<N> {
    fn write_str(&mut self, piece: &str) -> core::fmt::Result {
        if self.cut {
            return Ok(());
        }
        for c in piece.chars() {
            if self.text.len() + c.len_utf8() > N - 3 {
                self.cut = true;
                let _ = self.text.push_str("...");
                return Ok(());
            }
            let _ = self.text.push(c);
        }
        Ok(())
    }
}

/// Reports a fatal error: over the debug channel when one exists (tests,
/// the emulator), and on screen, then waits for MENU forever.
pub fn fatal_screen(title: &str, message: &str, location: Option<&str>) -> ! {
    if crate::debug::channel_available() {
        let mut line = Truncating::<420>::default();
        let _ = write!(line, "{title}: {message}");
        if let Some(place) = location {
            let _ = write!(line, " at {place}");
        }
        if crate::testing::in_test_run() {
            crate::testing::report_failure_and_exit(&line.text);
        }
        crate::debug::write_line(&line.text);
        if crate::debug::is_linux_test_program() {
            crate::debug::exit(101);
        }
    }
    display::clear();
    display::print_xy(1, 1, title, TextColor::Red);
    let mut row = 2;
    for chunk in wrap(message, 21).take(5) {
        display::print_xy(1, row, chunk, TextColor::Black);
        row += 1;
    }
    if let Some(place) = location {
        for chunk in wrap(place, 21).take(7 - row as usize) {
            display::print_xy(1, row, chunk, TextColor::Blue);
            row += 1;
        }
    }
    display::print_xy(1, 8, "Press [MENU]", TextColor::Black);
    loop {
        // MENU leaves through the OS; every other key is ignored.
        let _ = crate::keyboard::get_key();
    }
}

/// Splits text into pieces of at most `width` characters (on char
/// boundaries).
fn wrap(text: &str, width: usize) -> impl Iterator<Item = &str> {
    let mut rest = text;
    core::iter::from_fn(move || {
        if rest.is_empty() {
            return None;
        }
        let end = rest
            .char_indices()
            .nth(width)
            .map_or(rest.len(), |(i, _)| i);
        let (piece, tail) = rest.split_at(end);
        rest = tail;
        Some(piece)
    })
}

#[cfg(test)]
mod mem_tests;
