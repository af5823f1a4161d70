//! A debug channel for tests and development: text lines that the
//! emulator (and `qemu-sh4eb` for the SH-4 semantics tests) collects.
//!
//! In the project's emulator it uses the emulator-only syscalls
//! `Emu_DebugWrite`/`Emu_Exit`; in the qemu test layout, Linux `write`/`exit`
//! (`trapa`). On a real calculator there is no channel:
//! [`channel_available`] is false and writes are dropped.

/// The 8 bytes the project's emulator puts where the OS keeps its name.
pub const EMULATOR_OS_NAME: &[u8; 8] = &prizm_platform::memory::EMULATOR_OS_NAME;

#[cfg(target_os = "none")]
mod imp {
    unsafe extern "C" {
        fn prizm_linux_write(fd: i32, buffer: *const u8, length: usize) -> isize;
        fn prizm_linux_exit(code: i32) -> !;
        static prizm_linux_test_program: u32;
    }

    pub fn is_linux_test_program() -> bool {
        // SAFETY: a word in .rodata defined by crt0.S.
        unsafe { core::ptr::read_volatile(&raw const prizm_linux_test_program) != 0 }
    }

    pub fn is_emulator() -> bool {
        if is_linux_test_program() {
            return false;
        }
        let mut name = [0u8; 8];
        for (i, byte) in name.iter_mut().enumerate() {
            let address = prizm_platform::memory::OS_NAME_ADDRESS as usize + i;
            // SAFETY: the OS name is readable flash on every Prizm model,
            // and the emulator maps it.
            *byte = unsafe { core::ptr::read_volatile(address as *const u8) };
        }
        &name == super::EMULATOR_OS_NAME
    }

    pub fn write(bytes: &[u8]) {
        // SAFETY: only called when a channel exists (checked by the caller);
        // the buffer is valid for its length.
        unsafe {
            if is_linux_test_program() {
                prizm_linux_write(1, bytes.as_ptr(), bytes.len());
            } else {
                crate::syscall::Emu_DebugWrite(bytes.as_ptr(), bytes.len() as i32);
            }
        }
    }

    pub fn exit(code: i32) -> ! {
        // SAFETY: as for `write`.
        unsafe {
            if !is_linux_test_program() {
                crate::syscall::Emu_Exit(code);
            }
            prizm_linux_exit(code)
        }
    }
}

#[cfg(not(target_os = "none"))]
mod imp {
    extern crate std;
    pub fn is_linux_test_program() -> bool {
        false
    }
    pub fn is_emulator() -> bool {
        false
    }
    pub fn write(bytes: &[u8]) {
        use std::io::Write;
        let _ = std::io::stdout().write_all(bytes);
    }
    pub fn exit(code: i32) -> ! {
        std::process::exit(code)
    }
}

/// True when linked in the qemu test layout (the SH-4 semantics tests).
pub fn is_linux_test_program() -> bool {
    imp::is_linux_test_program()
}

/// True when running in the project's emulator.
pub fn is_emulator() -> bool {
    imp::is_emulator()
}

/// True when something is listening on the debug channel.
pub fn channel_available() -> bool {
    cfg!(not(target_os = "none")) || is_linux_test_program() || is_emulator()
}

/// Writes raw text to the debug channel, if there is one.
pub fn write_str(text: &str) {
    if channel_available() {
        imp::write(text.as_bytes());
    }
}

/// Writes one line to the debug channel, if there is one.
pub fn write_line(text: &str) {
    write_str(text);
    write_str("\n");
}

/// Ends a test program with an exit code. On a calculator (no channel) it
/// waits in GetKey forever instead, so MENU still leaves.
pub fn exit(code: i32) -> ! {
    if channel_available() {
        imp::exit(code)
    }
    loop {
        let _ = crate::keyboard::get_key();
    }
}

/// A `core::fmt::Write` sink for the debug channel: `write!(prizm::debug::Writer, ...)`.
pub struct Writer;

impl core::fmt::Write for Writer {
    fn write_str(&mut self, text: &str) -> core::fmt::Result {
        write_str(text);
        Ok(())
    }
}

/// Formats to the debug channel, like `println!`.
#[macro_export]
macro_rules! debug_println {
    ($($arg:tt)*) => {{
        use core::fmt::Write as _;
        let _ = writeln!($crate::debug::Writer, $($arg)*);
    }};
}
