//! High-level emulation of the calculator OS's syscalls.
//!
//! The add-in jumps to `0x80020070` with the syscall number in r0 and the
//! arguments in r4–r7, further ones on the stack at `@(0,r15)`,
//! `@(4,r15)`…; the machine layer stops the CPU there and calls
//! [`dispatch`], which runs the Rust implementation against the [`Os`]
//! state and guest memory and says what to do next ([`Action`]).
//!
//! Handlers live in one module per concern: [`display`], [`keyboard`],
//! [`fs`] (storage memory), [`mcs`] (main memory), [`time`] (clock and
//! timers), [`system`] (system information and the emulator's own debug
//! syscalls) and [`heap`].

pub mod display;
pub mod fs;
pub mod heap;
pub mod keyboard;
pub mod mcs;
pub mod names;
pub mod system;
pub mod time;

use std::fmt;
use std::path::PathBuf;

use crate::clock::{Clock, DateTime};
use crate::cpu::{Bus, MemFault};
use crate::input::KeyInput;
use crate::memory::Memory;
use crate::outcome::Outcome;
use crate::screen_text::ScreenText;

pub use names::{syscall_name, syscall_number};

/// Everything the emulated OS keeps between syscalls.
#[derive(Debug)]
pub struct Os {
    /// LCD, status bar, message boxes.
    pub display: display::DisplayState,
    /// Text the OS printers drew and that is still visible.
    pub text: ScreenText,
    /// The keyboard.
    pub input: KeyInput,
    /// Keyboard-related OS state (MENU flag, modifiers, key flags).
    pub keyboard: keyboard::KeyboardState,
    /// Storage memory (`\\fls0\`).
    pub storage: fs::Storage,
    /// Main memory (MCS).
    pub mcs: mcs::MainMemory,
    /// The OS heap.
    pub heap: heap::Heap,
    /// The real-time clock.
    pub clock: Clock,
    /// User timers.
    pub timers: time::Timers,
    /// System settings and information.
    pub system: system::SystemState,
    /// Bytes the add-in wrote to the emulator's debug channel.
    pub debug: Vec<u8>,
    /// Things worth telling the developer that did not stop the run.
    pub warnings: Vec<String>,
}

/// Settings for a new [`Os`].
#[derive(Debug, Clone, Default)]
pub struct OsOptions {
    /// Host directory serving as `\\fls0\` (a temporary one if `None`).
    pub storage_dir: Option<PathBuf>,
    /// JSON file holding main memory (in memory only if `None`).
    pub main_memory_file: Option<PathBuf>,
    /// Date and time at power-on.
    pub start: DateTime,
    /// The add-in's internal name (`GetAppName`).
    pub addin_name: Option<String>,
}

/// Why the OS could not boot: its storage or main memory.
#[derive(Debug, thiserror::Error)]
pub enum OsError {
    /// Storage memory.
    #[error(transparent)]
    Storage(#[from] fs::StorageError),
    /// Main memory.
    #[error(transparent)]
    MainMemory(#[from] mcs::MainMemoryError),
}

impl Os {
    /// A freshly booted OS.
    pub fn new(options: &OsOptions) -> Result<Os, OsError> {
        Ok(Os {
            display: display::DisplayState::default(),
            text: ScreenText::default(),
            input: KeyInput::default(),
            keyboard: keyboard::KeyboardState::default(),
            storage: fs::Storage::new(options.storage_dir.clone())?,
            mcs: mcs::MainMemory::open(options.main_memory_file.clone())?,
            heap: heap::Heap::default(),
            clock: Clock::new(options.start),
            timers: time::Timers::default(),
            system: system::SystemState::new(options.addin_name.clone()),
            debug: Vec::new(),
            warnings: Vec::new(),
        })
    }

    /// Records a warning (each distinct message once, at most 100).
    pub fn warn(&mut self, message: String) {
        if self.warnings.len() < 100 && !self.warnings.contains(&message) {
            self.warnings.push(message);
        }
    }
}

/// What the machine should do after a syscall.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    /// Put the value in r0 and return to the caller.
    Return(u32),
    /// Let `ns` of virtual time pass (timers run), then return `result`.
    Wait {
        /// How long.
        ns: u64,
        /// The value for r0.
        result: u32,
    },
    /// The syscall cannot finish yet (it waits for a key); call it again
    /// when something changed.
    Block {
        /// Time at which it will be able to finish by itself (a queued key
        /// press in the future): the machine lets time pass until then.
        resume_at: Option<u64>,
        /// Time at which it gives up waiting (a timeout), if whoever drives
        /// the machine lets time pass.
        deadline: Option<u64>,
    },
    /// The run ends.
    Stop(Outcome),
}

/// A syscall the add-in called wrongly.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SysErr {
    /// A pointer argument led to unmapped or read-only memory.
    Memory(MemFault),
    /// Something else (the message says what).
    Fault(String),
}

impl From<MemFault> for SysErr {
    fn from(fault: MemFault) -> SysErr {
        SysErr::Memory(fault)
    }
}

impl fmt::Display for SysErr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SysErr::Memory(fault) => write!(f, "bad pointer argument: {fault}"),
            SysErr::Fault(message) => f.write_str(message),
        }
    }
}

/// A syscall in progress: its arguments, guest memory and the OS.
pub struct Ctx<'a> {
    /// Guest memory.
    pub mem: &'a mut Memory,
    /// The OS.
    pub os: &'a mut Os,
    /// The CPU's r0–r15 at the call.
    pub regs: [u32; 16],
    /// Virtual time now.
    pub now_ns: u64,
    /// Whether this call comes from a handler the emulator called (a timer).
    pub nested: bool,
}

impl Ctx<'_> {
    /// Argument `i` (0-based): r4–r7, then the stack.
    pub fn arg(&mut self, i: usize) -> Result<u32, SysErr> {
        if i < 4 {
            Ok(self.regs[4 + i])
        } else {
            let addr = self.regs[15].wrapping_add(4 * (i as u32 - 4));
            Ok(self.mem.read32(addr)?)
        }
    }

    /// Argument `i` as a signed integer.
    pub fn arg_i32(&mut self, i: usize) -> Result<i32, SysErr> {
        self.arg(i).map(|v| v as i32)
    }

    /// Reads a NUL-terminated string (at most `max` bytes).
    pub fn cstring(&mut self, addr: u32, max: usize) -> Result<Vec<u8>, SysErr> {
        Ok(self.mem.read_cstring(addr, max)?)
    }

    /// Reads a 32-bit word.
    pub fn read_u32(&mut self, addr: u32) -> Result<u32, SysErr> {
        Ok(self.mem.read32(addr)?)
    }

    /// Writes a 32-bit word (nothing for a NULL pointer).
    pub fn write_u32(&mut self, addr: u32, value: u32) -> Result<(), SysErr> {
        if addr != 0 {
            self.mem.write_bytes(addr, &value.to_be_bytes())?;
        }
        Ok(())
    }

    /// Writes a 16-bit word (nothing for a NULL pointer).
    pub fn write_u16(&mut self, addr: u32, value: u16) -> Result<(), SysErr> {
        if addr != 0 {
            self.mem.write_bytes(addr, &value.to_be_bytes())?;
        }
        Ok(())
    }

    /// Writes a byte (nothing for a NULL pointer).
    pub fn write_u8(&mut self, addr: u32, value: u8) -> Result<(), SysErr> {
        if addr != 0 {
            self.mem.write8(addr, value)?;
        }
        Ok(())
    }

    /// Writes bytes.
    pub fn write_bytes(&mut self, addr: u32, data: &[u8]) -> Result<(), SysErr> {
        Ok(self.mem.write_bytes(addr, data)?)
    }
}

type Handler = fn(&mut Ctx) -> Result<Action, SysErr>;

/// The Rust implementation of syscall `number`, if the emulator has one.
pub fn handler(number: u32) -> Option<Handler> {
    use display as d;
    use keyboard as k;
    use system as s;
    use time as t;
    let h: Handler = match number {
        // Display.
        0x0272 => d::all_clr_vram,
        0x025F => d::put_disp_dd,
        0x0260 => d::put_disp_dd_stripe,
        0x0921 => d::enable_color,
        0x0263 | 0x0262 => d::set_point_vram,
        0x0267 => d::get_point_vram,
        0x026B => d::set_point_dd,
        0x026F | 0x026E => d::get_point_dd,
        0x0275 => d::fill_vram,
        0x02B2 => d::area_clr,
        0x0924 => d::rectangle,
        0x0925 => d::filled_rectangle,
        0x0926 => d::filled_rectangle_full_color,
        0x02AA => d::direct_draw_rectangle,
        0x01E6 => d::get_vram_address,
        0x1E50 => d::get_secondary_vram_address,
        0x1E62 => d::save_vram_1,
        0x1E63 => d::load_vram_1,
        0x02A8 => d::draw_frame,
        0x02A3 => d::frame_color,
        0x0923 | 0x02BB | 0x02C7 => s::no_op,
        0x18F9 => d::print_xy,
        0x0239 => d::print_cxy,
        0x023C => d::print_mini,
        0x021B => d::print_mini_mini,
        0x1863 => d::locate_os,
        0x01F9 => d::print_os,
        0x17F7 => d::msg_box_push,
        0x17F9 => d::msg_box_pop,
        0x180E => d::progress_bar,
        0x1809 => d::progress_bar2,
        0x1D81 => d::display_status_area,
        0x02B8 => d::define_status_area_flags,
        0x02B7 => d::enable_status_area,
        0x1D77 => d::define_status_message,
        0x1D7F => d::enable_display_header,
        0x08C7 | 0x08C8 => s::no_op,
        // Keyboard.
        0x0EAB => k::get_key,
        0x12BF => k::get_key_wait_os,
        0x0D39 => k::prgm_get_key_os,
        0x12C6 => k::keyboard_put_keycode,
        0x12C9 => k::keyboard_spy_matrix_code,
        0x0EA1 => k::bkey_set_all_flags,
        0x0EA0 => k::bkey_get_all_flags,
        0x0111 => k::bkey_clr_all_flags,
        0x0112 => k::bkey_set_flag,
        0x1EA6 => k::enable_getkey_to_main_function_return,
        0x1EA7 => k::disable_getkey_to_main_function_return,
        0x1E99 => k::get_getkey_to_main_function_return_flag,
        0x0031 => k::get_setup_setting,
        0x0032 => k::set_setup_setting,
        0x012B | 0x0129 => s::no_op,
        0x1839 => k::power_off,
        // Clock and timers.
        0x02C1 => t::rtc_get_ticks,
        0x02C2 => t::rtc_elapsed_ms,
        0x02C0 => t::rtc_get_time,
        0x02BF => t::rtc_reset,
        0x11DE => t::rtc_set_date_time,
        0x1BB4 => t::os_inner_wait_ms,
        0x11D6 => t::cmt_delay_micros,
        0x11D7 => t::cmt_delay_100micros,
        0x08D9 => t::timer_install,
        0x08DB => t::timer_start,
        0x08DC => t::timer_stop,
        0x08DA => t::timer_deinstall,
        // Heap.
        0x1F44 => heap::sys_malloc,
        0x1F42 => heap::sys_free,
        0x1F46 => heap::sys_realloc,
        // Storage memory.
        0x1DA3 => fs::open_file,
        0x1DA4 => fs::close_file,
        0x1DAC => fs::read_file,
        0x1DAF => fs::write_file,
        0x1DA9 => fs::seek_file,
        0x1DAB => fs::tell_file,
        0x1DA6 => fs::get_file_size,
        0x1DAE => fs::create_entry,
        0x1DB4 => fs::delete_entry,
        0x1DB3 => fs::rename_entry,
        0x1DB6 | 0x1DB7 => fs::find_first,
        0x1DB8 | 0x1DB9 => fs::find_next,
        0x1DBA => fs::find_close,
        0x1DA5 => fs::get_media_free,
        0x1DDC => fs::str_to_name_ncpy,
        0x1DDB => fs::name_to_str_ncpy,
        // Main memory.
        0x154B => mcs::create_directory,
        0x1516 => mcs::delete_directory,
        0x154D => mcs::put_var2,
        0x1552 => mcs::ovw_dat2,
        0x1558 => mcs::del_var2,
        0x1562 => mcs::get_dlen2,
        0x1563 => mcs::get_data1,
        0x151A => mcs::write_item,
        0x1529 => mcs::get_state,
        // System.
        0x0029 => s::no_op,
        0x1186 => s::get_main_battery_voltage,
        0x002B => s::glib_get_os_version_info,
        0x1A2C => s::get_stack_ptr,
        0x1E91 => s::get_auto_power_off_time,
        0x1E90 => s::set_auto_power_off_time,
        0x12D9 => s::get_backlight_duration,
        0x12D8 => s::set_backlight_duration,
        0x12D5 => s::get_battery_type,
        0x12D4 => s::set_battery_type,
        0x1E6E => s::set_quit_handler,
        0x1E9F => s::get_app_name,
        0x17E6 | 0x17E7 => s::no_op,
        0x1170 => s::itoa,
        0x1349 => s::strlen,
        // Emulator-only debug channel.
        0x7F00 => s::emu_debug_write,
        0x7F01 => s::emu_exit,
        0x7F02 => s::emu_present,
        _ => return None,
    };
    Some(h)
}

/// Runs syscall `number`; `None` if the emulator does not implement it.
pub fn dispatch(ctx: &mut Ctx, number: u32) -> Option<Result<Action, SysErr>> {
    handler(number).map(|h| h(ctx))
}

#[cfg(test)]
pub(crate) mod test_support {
    //! A guest to call syscalls on without a CPU.

    use super::*;
    use crate::memory::STACK_TOP;

    /// Guest memory plus an OS, with a scratch area for arguments.
    pub struct Guest {
        pub mem: Memory,
        pub os: Os,
        pub now_ns: u64,
        pub _storage: Option<tempfile::TempDir>,
        next: u32,
    }

    /// Where `Guest::alloc` hands out scratch memory (add-in RAM).
    pub const SCRATCH: u32 = 0x0810_0000;

    impl Guest {
        pub fn new() -> Guest {
            let dir = tempfile::tempdir().unwrap();
            let options = OsOptions {
                storage_dir: Some(dir.path().to_path_buf()),
                ..OsOptions::default()
            };
            Guest {
                mem: Memory::new(&[0, 9]),
                os: Os::new(&options).unwrap(),
                now_ns: 0,
                _storage: Some(dir),
                next: SCRATCH,
            }
        }

        /// Copies bytes into guest RAM and returns their address.
        pub fn put(&mut self, data: &[u8]) -> u32 {
            let addr = self.next;
            self.mem.write_bytes(addr, data).unwrap();
            self.next = (addr + data.len() as u32 + 3) & !3;
            addr
        }

        /// A NUL-terminated string in guest RAM.
        pub fn cstr(&mut self, s: &str) -> u32 {
            let mut bytes = s.as_bytes().to_vec();
            bytes.push(0);
            self.put(&bytes)
        }

        /// A NUL-terminated 16-bit string in guest RAM.
        pub fn u16str(&mut self, s: &str) -> u32 {
            let mut bytes = Vec::new();
            for c in s.encode_utf16().chain(std::iter::once(0)) {
                bytes.extend_from_slice(&c.to_be_bytes());
            }
            self.put(&bytes)
        }

        /// `n` zeroed bytes.
        pub fn zeroed(&mut self, n: usize) -> u32 {
            self.put(&vec![0; n])
        }

        pub fn read_u32(&mut self, addr: u32) -> u32 {
            self.mem.read32(addr).unwrap()
        }

        pub fn read(&mut self, addr: u32, len: usize) -> Vec<u8> {
            self.mem.read_bytes(addr, len).unwrap()
        }

        /// Calls a syscall; arguments past the fourth go on the stack.
        pub fn call(&mut self, number: u32, args: &[u32]) -> Result<Action, SysErr> {
            let mut regs = [0u32; 16];
            regs[0] = number;
            regs[15] = STACK_TOP - 64;
            for (i, a) in args.iter().enumerate() {
                if i < 4 {
                    regs[4 + i] = *a;
                } else {
                    self.mem.write32(regs[15] + 4 * (i as u32 - 4), *a).unwrap();
                }
            }
            let mut ctx = Ctx {
                mem: &mut self.mem,
                os: &mut self.os,
                regs,
                now_ns: self.now_ns,
                nested: false,
            };
            dispatch(&mut ctx, number).expect("syscall implemented")
        }

        /// Calls a syscall that must return a value.
        pub fn ret(&mut self, number: u32, args: &[u32]) -> i32 {
            match self.call(number, args) {
                Ok(Action::Return(v)) => v as i32,
                other => panic!("syscall 0x{number:04X} gave {other:?}"),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::test_support::Guest;
    use super::*;

    #[test]
    fn stack_arguments() {
        let mut g = Guest::new();
        // Emu_DebugWrite has 2 args; check Ctx::arg on a 6-argument call.
        let mut regs = [0u32; 16];
        regs[15] = 0x881D_F000;
        g.mem.write32(0x881D_F000, 55).unwrap();
        g.mem.write32(0x881D_F004, 66).unwrap();
        let mut ctx = Ctx {
            mem: &mut g.mem,
            os: &mut g.os,
            regs,
            now_ns: 0,
            nested: false,
        };
        assert_eq!(ctx.arg(4).unwrap(), 55);
        assert_eq!(ctx.arg(5).unwrap(), 66);
        ctx.regs[15] = 0x1000;
        assert!(ctx.arg(4).is_err());
    }

    #[test]
    fn every_implemented_syscall_has_a_name() {
        for number in 0..0x8000 {
            if handler(number).is_some() {
                assert!(syscall_name(number).is_some(), "0x{number:04X}");
            }
        }
    }

    #[test]
    fn unknown_syscalls_are_not_implemented() {
        let mut g = Guest::new();
        let mut ctx = Ctx {
            mem: &mut g.mem,
            os: &mut g.os,
            regs: [0; 16],
            now_ns: 0,
            nested: false,
        };
        assert!(dispatch(&mut ctx, 0x1234).is_none());
    }
}
