//! High-level emulation of the calculator OS's syscalls.
//!
//! The add-in jumps to `0x80020070` with the syscall number in r0 and the
//! arguments in r4–r7, further ones on the stack at `@(0,r15)`,
//! `@(4,r15)`…; the machine layer stops the CPU there and calls
//! [`dispatch`], which runs the Rust implementation against the [`Os`]
//! state and guest memory and says what to do next ([`Action`]).
//!
//! Numbers and names come from the one syscall table,
//! [`prizm_platform::syscall`]. Handlers live in one module per concern: [`display`], [`keyboard`],
//! [`fs`] (storage memory), [`mcs`] (main memory), [`time`] (clock and
//! timers), [`system`] (system information and the emulator's own debug
//! syscalls) and [`heap`].

pub mod cost;
pub mod dialogs;
pub mod display;
pub mod fs;
pub mod heap;
pub mod keyboard;
pub mod mcs;
pub mod os_screens;
pub mod os_strings;
pub mod system;
pub mod text_input;
pub mod time;
pub mod widgets;

use std::fmt;
use std::path::PathBuf;

use crate::clock::{Clock, DateTime};
use crate::cpu::{Bus, MemFault};
use crate::input::KeyInput;
use crate::memory::Memory;
use crate::outcome::Outcome;
use crate::screen_text::ScreenText;

/// The syscall table's name of `number` (r0 holds 32 bits).
pub fn syscall_name(number: u32) -> Option<&'static str> {
    u16::try_from(number)
        .ok()
        .and_then(prizm_platform::syscall::name_of)
}

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
    /// OS variables of the string/system helpers (alpha variables).
    pub system_vars: os_strings::SystemVars,
    /// F-key labels, busy indicator, error box.
    pub widgets: widgets::WidgetState,
    /// Bytes the add-in wrote to the emulator's debug channel.
    pub debug: Vec<u8>,
    /// Things worth telling the developer that did not stop the run.
    pub warnings: Vec<String>,
    /// Storage-changing calls so far and where the power is cut.
    pub power: PowerCut,
}

/// Counts the calls that change storage or main memory, and cuts the power
/// before a chosen one ([`OsOptions::cut_power_before_write`]).
#[derive(Debug, Clone, Default)]
pub struct PowerCut {
    /// Storage-changing calls made so far (including a cut one).
    pub writes: u64,
    /// The call to cut before, if any.
    pub before: Option<u64>,
}

/// Whether syscall `number` changes storage or main memory (closing a file
/// counts: the OS may finish writing it then).
pub fn changes_storage(number: u32) -> bool {
    use prizm_platform::syscall as sc;
    let Ok(number) = u16::try_from(number) else {
        return false;
    };
    matches!(
        number,
        sc::Bfile_CreateEntry_OS
            | sc::Bfile_WriteFile_OS
            | sc::Bfile_CloseFile_OS
            | sc::Bfile_DeleteEntry
            | sc::Bfile_RenameEntry
            | sc::MCS_CreateDirectory
            | sc::MCS_DeleteDirectory
            | sc::MCSPutVar2
            | sc::MCSOvwDat2
            | sc::MCSDelVar2
            | sc::MCS_WriteItem
    )
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
    /// Cut the power just before this storage-changing call (1 = the
    /// first): a test hook for "a power cut at every write step".
    pub cut_power_before_write: Option<u64>,
    /// The running add-in's own file (name, bytes): it lies in storage
    /// memory's root, as on the calculator, where add-ins look for it.
    pub addin_file: Option<(String, Vec<u8>)>,
    /// How long scripted presses hold their key (default `input::HOLD_NS`).
    pub key_hold_ns: Option<u64>,
    /// The calculator model.
    pub model: crate::model::Model,
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
            input: {
                let mut input = KeyInput::default();
                if let Some(hold) = options.key_hold_ns {
                    input.set_hold(hold);
                }
                input
            },
            keyboard: keyboard::KeyboardState::default(),
            storage: {
                let storage = fs::Storage::new(options.storage_dir.clone())?;
                if let Some((name, bytes)) = &options.addin_file {
                    storage.install_addin(name, bytes)?;
                }
                storage
            },
            mcs: mcs::MainMemory::open(options.main_memory_file.clone())?,
            heap: heap::Heap::default(),
            clock: Clock::new(options.start),
            timers: time::Timers::default(),
            system: system::SystemState::new(options.addin_name.clone()),
            system_vars: os_strings::SystemVars::default(),
            widgets: widgets::WidgetState::default(),
            debug: Vec::new(),
            warnings: Vec::new(),
            power: PowerCut {
                writes: 0,
                before: options.cut_power_before_write,
            },
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
    use prizm_platform::syscall as sc;
    use system as s;
    use time as t;
    let number = u16::try_from(number).ok()?;
    let h: Handler = match number {
        // Display.
        sc::Bdisp_AllClr_VRAM => d::all_clr_vram,
        sc::Bdisp_PutDisp_DD => d::put_disp_dd,
        sc::Bdisp_PutDisp_DD_stripe => d::put_disp_dd_stripe,
        sc::Bdisp_EnableColor => d::enable_color,
        sc::Bdisp_SetPoint_VRAM | sc::Bdisp_SetPointWB_VRAM => d::set_point_vram,
        sc::Bdisp_GetPoint_VRAM => d::get_point_vram,
        sc::Bdisp_SetPoint_DD => d::set_point_dd,
        sc::Bdisp_GetPoint_DD | sc::Bdisp_GetPoint_DD_Workbench => d::get_point_dd,
        sc::Bdisp_Fill_VRAM => d::fill_vram,
        sc::Bdisp_AreaClr => d::area_clr,
        sc::Bdisp_Rectangle => d::rectangle,
        sc::Bdisp_FilledRectangle => d::filled_rectangle,
        sc::Bdisp_Rectangle_FullColor_Filled => d::filled_rectangle_full_color,
        sc::DirectDrawRectangle => d::direct_draw_rectangle,
        sc::GetVRAMAddress => d::get_vram_address,
        sc::GetSecondaryVRAMAddress => d::get_secondary_vram_address,
        sc::SaveVRAM_1 => d::save_vram_1,
        sc::LoadVRAM_1 => d::load_vram_1,
        sc::DrawFrame => d::draw_frame,
        sc::FrameColor => d::frame_color,
        sc::DrawFrameWorkbench | sc::DrawHeaderLine => s::no_op,
        sc::PrintXY => d::print_xy,
        sc::PrintCXY => d::print_cxy,
        sc::PrintMini => d::print_mini,
        sc::PrintMiniMini => d::print_mini_mini,
        sc::locate_OS => d::locate_os,
        sc::Print_OS => d::print_os,
        sc::MsgBoxPush => d::msg_box_push,
        sc::MsgBoxPop => d::msg_box_pop,
        sc::ProgressBar => d::progress_bar,
        sc::ProgressBar2 => d::progress_bar2,
        sc::DisplayStatusArea => d::display_status_area,
        sc::DefineStatusAreaFlags => d::define_status_area_flags,
        sc::EnableStatusArea => d::enable_status_area,
        sc::DefineStatusMessage => d::define_status_message,
        sc::EnableDisplayHeader => d::enable_display_header,
        sc::Cursor_SetFlashOn | sc::Cursor_SetFlashOff => s::no_op,
        // Keyboard.
        sc::GetKey => k::get_key,
        sc::GetKeyWait_OS => k::get_key_wait_os,
        sc::PRGM_GetKey_OS => k::prgm_get_key_os,
        sc::Keyboard_PutKeycode => k::keyboard_put_keycode,
        sc::Keyboard_SpyMatrixCode => k::keyboard_spy_matrix_code,
        sc::Bkey_SetAllFlags => k::bkey_set_all_flags,
        sc::Bkey_GetAllFlags => k::bkey_get_all_flags,
        sc::Bkey_ClrAllFlags => k::bkey_clr_all_flags,
        sc::Bkey_SetFlag => k::bkey_set_flag,
        sc::EnableGetkeyToMainFunctionReturn => k::enable_getkey_to_main_function_return,
        sc::DisableGetkeyToMainFunctionReturn => k::disable_getkey_to_main_function_return,
        sc::GetGetkeyToMainFunctionReturnFlag => k::get_getkey_to_main_function_return_flag,
        sc::GetSetupSetting => k::get_setup_setting,
        sc::SetSetupSetting => k::set_setup_setting,
        sc::Set_FKeys1 | sc::Set_FKeys2 => s::no_op,
        sc::PowerOff => k::power_off,
        // Clock and timers.
        sc::RTC_GetTicks => t::rtc_get_ticks,
        sc::RTC_Elapsed_ms => t::rtc_elapsed_ms,
        sc::RTC_GetTime => t::rtc_get_time,
        sc::RTC_Reset => t::rtc_reset,
        sc::RTC_SetDateTime => t::rtc_set_date_time,
        sc::OS_InnerWait_ms => t::os_inner_wait_ms,
        sc::CMT_Delay_micros => t::cmt_delay_micros,
        sc::CMT_Delay_100micros => t::cmt_delay_100micros,
        sc::Timer_Install => t::timer_install,
        sc::Timer_Start => t::timer_start,
        sc::Timer_Stop => t::timer_stop,
        sc::Timer_Deinstall => t::timer_deinstall,
        // Heap.
        sc::sys_malloc => heap::sys_malloc,
        sc::sys_free => heap::sys_free,
        sc::sys_realloc => heap::sys_realloc,
        // Storage memory.
        sc::Bfile_OpenFile_OS => fs::open_file,
        sc::Bfile_CloseFile_OS => fs::close_file,
        sc::Bfile_ReadFile_OS => fs::read_file,
        sc::Bfile_WriteFile_OS => fs::write_file,
        sc::Bfile_SeekFile_OS => fs::seek_file,
        sc::Bfile_TellFile_OS => fs::tell_file,
        sc::Bfile_GetFileSize_OS => fs::get_file_size,
        sc::Bfile_CreateEntry_OS => fs::create_entry,
        sc::Bfile_DeleteEntry => fs::delete_entry,
        sc::Bfile_RenameEntry => fs::rename_entry,
        sc::Bfile_FindFirst_NON_SMEM | sc::Bfile_FindFirst => fs::find_first,
        sc::Bfile_FindNext_NON_SMEM | sc::Bfile_FindNext => fs::find_next,
        sc::Bfile_FindClose => fs::find_close,
        sc::Bfile_GetMediaFree_OS => fs::get_media_free,
        sc::Bfile_StrToName_ncpy => fs::str_to_name_ncpy,
        sc::Bfile_NameToStr_ncpy => fs::name_to_str_ncpy,
        // Main memory.
        sc::MCS_CreateDirectory => mcs::create_directory,
        sc::MCS_DeleteDirectory => mcs::delete_directory,
        sc::MCSPutVar2 => mcs::put_var2,
        sc::MCSOvwDat2 => mcs::ovw_dat2,
        sc::MCSDelVar2 => mcs::del_var2,
        sc::MCSGetDlen2 => mcs::get_dlen2,
        sc::MCSGetData1 => mcs::get_data1,
        sc::MCS_WriteItem => mcs::write_item,
        sc::MCS_GetState => mcs::get_state,
        // System.
        sc::GlibAddinAplExecutionCheck => s::no_op,
        sc::GetMainBatteryVoltage => s::get_main_battery_voltage,
        sc::GlibGetOSVersionInfo => s::glib_get_os_version_info,
        sc::GetStackPtr => s::get_stack_ptr,
        sc::GetAutoPowerOffTime => s::get_auto_power_off_time,
        sc::SetAutoPowerOffTime => s::set_auto_power_off_time,
        sc::GetBacklightDuration => s::get_backlight_duration,
        sc::SetBacklightDuration => s::set_backlight_duration,
        sc::GetBatteryType => s::get_battery_type,
        sc::SetBatteryType => s::set_battery_type,
        sc::SetQuitHandler => s::set_quit_handler,
        sc::GetAppName => s::get_app_name,
        sc::TakeScreenshot | sc::TakeScreenshot2 => s::no_op,
        sc::itoa => s::itoa,
        sc::strlen => s::strlen,
        // Emulator-only debug channel.
        sc::Emu_DebugWrite => s::emu_debug_write,
        sc::Emu_Exit => s::emu_exit,
        sc::Emu_Present => s::emu_present,
        _ => return os_handler(number),
    };
    Some(h)
}

/// Handlers of the OS helpers that run existing C add-ins (issue 17):
/// kept apart from the table above so parallel work on it merges cleanly.
fn os_handler(number: u16) -> Option<Handler> {
    use os_strings as st;
    use prizm_platform::syscall as sc;
    use text_input as ti;
    use widgets as w;
    let h: Handler = match number {
        sc::sys_memcpy => st::sys_memcpy,
        sc::sys_memset => st::sys_memset,
        sc::MB_ElementCount => st::mb_element_count,
        sc::MB_IsLead => st::mb_is_lead,
        sc::ByteToHex => st::byte_to_hex,
        sc::Bfile_Name_MatchMask => st::bfile_name_match_mask,
        sc::LocalizeMessage1 => st::localize_message1,
        sc::Alpha_SetData => st::alpha_set_data,
        sc::Alpha_GetData => st::alpha_get_data,
        sc::Bdisp_DDRegisterSelect => st::bdisp_dd_register_select,
        sc::APP_RUNMAT => st::app_runmat,
        sc::HourGlass => w::hourglass,
        sc::GetFKeyPtr => w::get_fkey_ptr,
        sc::FKey_Display => w::fkey_display,
        sc::Scrollbar => w::scrollbar,
        sc::PrintXY_2 => w::print_xy_2,
        sc::MsgBoxMoveWB => w::msg_box_move_wb,
        sc::SetBackGround => w::set_background,
        sc::Bdisp_WriteGraphVRAM => w::write_graph_vram,
        sc::AUX_DisplayErrorMessage => w::aux_display_error_message,
        sc::DisplayMBString => ti::display_mb_string,
        sc::DisplayMBString2 => ti::display_mb_string2,
        sc::EditMBStringChar => ti::edit_mb_string_char,
        sc::EditMBStringCtrl => ti::edit_mb_string_ctrl,
        sc::EditMBStringCtrl2 => ti::edit_mb_string_ctrl2,
        sc::SMEM_MapIconToExt => w::smem_map_icon_to_ext,
        sc::CharacterSelectDialog => dialogs::character_select_dialog,
        sc::ColorIndexDialog1 => dialogs::color_index_dialog1,
        _ => return None,
    };
    Some(h)
}

/// Runs syscall `number`; `None` if the emulator does not implement it.
pub fn dispatch(ctx: &mut Ctx, number: u32) -> Option<Result<Action, SysErr>> {
    let handler = handler(number)?;
    if changes_storage(number) {
        let power = &mut ctx.os.power;
        power.writes += 1;
        if power.before == Some(power.writes) {
            return Some(Ok(Action::Stop(Outcome::PowerCut {
                write: power.writes,
            })));
        }
    }
    Some(handler(ctx))
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
    pub const SCRATCH: u32 = prizm_platform::memory::ADDIN_RAM_BASE;

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

        /// Queues `keys` as presses and moves time past the last release.
        pub fn press(&mut self, keys: &[crate::keys::Key]) {
            for &key in keys {
                self.os.input.queue(key, self.now_ns);
            }
            self.now_ns = self.os.input.last_release_ns();
        }

        /// Calls a syscall; arguments past the fourth go on the stack.
        pub fn call(&mut self, number: u16, args: &[u32]) -> Result<Action, SysErr> {
            let mut regs = [0u32; 16];
            regs[0] = u32::from(number);
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
            dispatch(&mut ctx, u32::from(number)).expect("syscall implemented")
        }

        /// Calls a syscall that must return a value.
        pub fn ret(&mut self, number: u16, args: &[u32]) -> i32 {
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
    use crate::memory::STACK_TOP;

    #[test]
    fn stack_arguments() {
        let mut g = Guest::new();
        // Emu_DebugWrite has 2 args; check Ctx::arg on a 6-argument call.
        let mut regs = [0u32; 16];
        let sp = STACK_TOP - 0x1000;
        regs[15] = sp;
        g.mem.write32(sp, 55).unwrap();
        g.mem.write32(sp + 4, 66).unwrap();
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
        for number in 0..=u32::from(u16::MAX) {
            if handler(number).is_some() {
                assert!(syscall_name(number).is_some(), "0x{number:04X}");
            }
        }
    }

    #[test]
    fn every_syscall_the_crate_binds_is_implemented() {
        use prizm_platform::syscall::{Binding, SYSCALLS};
        for call in SYSCALLS.iter().filter(|c| c.binding == Binding::Bound) {
            assert!(handler(u32::from(call.number)).is_some(), "{}", call.name);
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

    #[test]
    fn power_cut_stops_before_the_chosen_storage_write_only() {
        use prizm_platform::syscall as sc;
        let mut g = test_support::Guest::new();
        g.os.power.before = Some(3);
        let name = g.u16str("\\\\fls0\\cut.txt");
        let size = g.put(&4u32.to_be_bytes());
        // Reads and other calls do not count.
        let free = g.zeroed(4);
        let media = g.u16str("\\\\fls0");
        assert_eq!(g.ret(sc::Bfile_GetMediaFree_OS, &[media, free]), 0);
        assert_eq!(g.ret(sc::Bfile_CreateEntry_OS, &[name, 1, size]), 0);
        let handle = g.ret(sc::Bfile_OpenFile_OS, &[name, 3, 0]);
        assert!(handle >= 0);
        let data = g.put(b"abcd");
        assert_eq!(g.ret(sc::Bfile_WriteFile_OS, &[handle as u32, data, 4]), 4);
        assert_eq!(g.os.power.writes, 2);
        // The third storage-changing call (close) is cut and not performed.
        assert_eq!(
            g.call(sc::Bfile_CloseFile_OS, &[handle as u32]),
            Ok(Action::Stop(Outcome::PowerCut { write: 3 }))
        );
        assert_eq!(g.os.power.writes, 3);
        assert!(!changes_storage(u32::from(sc::Bfile_ReadFile_OS)));
        assert!(changes_storage(u32::from(sc::MCSPutVar2)));
    }
}
