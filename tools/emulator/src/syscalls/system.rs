//! System information and settings, small OS helpers, and the
//! emulator-only debug syscalls the project's test harness uses:
//!
//! | No. | Call | Effect |
//! |---|---|---|
//! | 0x7F00 | `int Emu_DebugWrite(const char* buf, int len)` | appends `len` bytes to the debug channel, returns `len` |
//! | 0x7F01 | `void Emu_Exit(int code)` | ends the run with that exit code |
//! | 0x7F02 | `int Emu_Present(void)` | returns 0x454D5521 ("EMU!") |
//!
//! On a real calculator these numbers are not valid syscalls, so code must
//! call `Emu_Present` only where it knows it runs in the emulator (the test
//! harness) — or accept the consequences.

use super::{Action, Ctx, SysErr};
use crate::outcome::Outcome;

/// What `Emu_Present` returns.
pub const EMU_MAGIC: u32 = 0x454D_5521;
/// `GetMainBatteryVoltage`: 5.20 V in units of 10 mV.
pub const BATTERY_CENTIVOLTS: u32 = 520;

/// System settings.
#[derive(Debug, Clone)]
pub struct SystemState {
    /// Auto power-off delay in minutes.
    pub auto_power_off_minutes: u32,
    /// Backlight timeout in half-minutes.
    pub backlight_half_minutes: u32,
    /// Battery type setting.
    pub battery_type: u32,
    /// `SetQuitHandler`'s function.
    pub quit_handler: Option<u32>,
    /// The add-in's name for `GetAppName`.
    pub app_name: String,
}

impl SystemState {
    /// Defaults (10-minute auto power-off, 30-second backlight).
    pub fn new(app_name: Option<String>) -> SystemState {
        SystemState {
            auto_power_off_minutes: 10,
            backlight_half_minutes: 1,
            battery_type: 1,
            quit_handler: None,
            app_name: app_name.unwrap_or_else(|| "@ADDIN".to_string()),
        }
    }
}

/// For calls with nothing to do (`GlibAddinAplExecutionCheck`,
/// `TakeScreenshot`, `HourGlass`, cursor flashing…).
pub fn no_op(_: &mut Ctx) -> Result<Action, SysErr> {
    Ok(Action::Return(0))
}

/// `int GetMainBatteryVoltage(int one)`.
pub fn get_main_battery_voltage(_: &mut Ctx) -> Result<Action, SysErr> {
    Ok(Action::Return(BATTERY_CENTIVOLTS))
}

/// `int GlibGetOSVersionInfo(char* major, char* minor, short* c, short* d)`:
/// OS 02.02.0201 → 2, 2, 2, 1 (03.60.0202 → 3, 60, 2, 2 on the fx-CG 50).
pub fn glib_get_os_version_info(ctx: &mut Ctx) -> Result<Action, SysErr> {
    let (major, minor, c, d) = (ctx.arg(0)?, ctx.arg(1)?, ctx.arg(2)?, ctx.arg(3)?);
    let (v_major, v_minor, v_c, v_d) = ctx.mem.model().os_version_numbers();
    ctx.write_u8(major, v_major)?;
    ctx.write_u8(minor, v_minor)?;
    ctx.write_u16(c, v_c)?;
    ctx.write_u16(d, v_d)?;
    Ok(Action::Return(0))
}

/// `void* GetStackPtr(void)`.
pub fn get_stack_ptr(ctx: &mut Ctx) -> Result<Action, SysErr> {
    Ok(Action::Return(ctx.regs[15]))
}

/// `int GetAutoPowerOffTime(void)`.
pub fn get_auto_power_off_time(ctx: &mut Ctx) -> Result<Action, SysErr> {
    Ok(Action::Return(ctx.os.system.auto_power_off_minutes))
}

/// `void SetAutoPowerOffTime(int minutes)`.
pub fn set_auto_power_off_time(ctx: &mut Ctx) -> Result<Action, SysErr> {
    ctx.os.system.auto_power_off_minutes = ctx.arg(0)?;
    Ok(Action::Return(0))
}

/// `int GetBacklightDuration(void)`.
pub fn get_backlight_duration(ctx: &mut Ctx) -> Result<Action, SysErr> {
    Ok(Action::Return(ctx.os.system.backlight_half_minutes))
}

/// `void SetBacklightDuration(int half_minutes)`.
pub fn set_backlight_duration(ctx: &mut Ctx) -> Result<Action, SysErr> {
    ctx.os.system.backlight_half_minutes = ctx.arg(0)?;
    Ok(Action::Return(0))
}

/// `int GetBatteryType(void)`.
pub fn get_battery_type(ctx: &mut Ctx) -> Result<Action, SysErr> {
    Ok(Action::Return(ctx.os.system.battery_type))
}

/// `void SetBatteryType(int)`.
pub fn set_battery_type(ctx: &mut Ctx) -> Result<Action, SysErr> {
    ctx.os.system.battery_type = ctx.arg(0)?;
    Ok(Action::Return(0))
}

/// `void SetQuitHandler(void (*handler)(void))`: the emulator calls it when
/// the add-in leaves through the main menu.
pub fn set_quit_handler(ctx: &mut Ctx) -> Result<Action, SysErr> {
    let handler = ctx.arg(0)?;
    ctx.os.system.quit_handler = (handler != 0).then_some(handler);
    Ok(Action::Return(0))
}

/// `unsigned char* GetAppName(unsigned char* name)`: the internal name.
pub fn get_app_name(ctx: &mut Ctx) -> Result<Action, SysErr> {
    let dest = ctx.arg(0)?;
    let mut name = ctx.os.system.app_name.as_bytes().to_vec();
    name.truncate(9);
    name.push(0);
    ctx.write_bytes(dest, &name)?;
    Ok(Action::Return(dest))
}

/// `void itoa(int value, unsigned char* result)`.
pub fn itoa(ctx: &mut Ctx) -> Result<Action, SysErr> {
    let (value, dest) = (ctx.arg_i32(0)?, ctx.arg(1)?);
    let mut text = value.to_string().into_bytes();
    text.push(0);
    ctx.write_bytes(dest, &text)?;
    Ok(Action::Return(0))
}

/// `int strlen(const char*)`.
pub fn strlen(ctx: &mut Ctx) -> Result<Action, SysErr> {
    let s = ctx.arg(0)?;
    Ok(Action::Return(ctx.cstring(s, 1 << 20)?.len() as u32))
}

/// Longest single debug write accepted.
const MAX_DEBUG_WRITE: usize = 1 << 20;
/// The debug channel keeps at most this much.
const MAX_DEBUG_TOTAL: usize = 64 << 20;

/// `int Emu_DebugWrite(const char* buf, int len)`.
pub fn emu_debug_write(ctx: &mut Ctx) -> Result<Action, SysErr> {
    let (buf, len) = (ctx.arg(0)?, ctx.arg_i32(1)?);
    let len = (len.max(0) as usize).min(MAX_DEBUG_WRITE);
    let bytes = ctx.mem.read_bytes(buf, len)?;
    if ctx.os.debug.len() + bytes.len() <= MAX_DEBUG_TOTAL {
        ctx.os.debug.extend_from_slice(&bytes);
    }
    Ok(Action::Return(len as u32))
}

/// `void Emu_Exit(int code)`.
pub fn emu_exit(ctx: &mut Ctx) -> Result<Action, SysErr> {
    let code = ctx.arg_i32(0)?;
    Ok(Action::Stop(Outcome::Exited { code }))
}

/// `int Emu_Present(void)`.
pub fn emu_present(_: &mut Ctx) -> Result<Action, SysErr> {
    Ok(Action::Return(EMU_MAGIC))
}

#[cfg(test)]
mod tests {
    use super::super::test_support::Guest;
    use super::*;
    use prizm_platform::syscall as sc;

    #[test]
    fn debug_channel() {
        let mut g = Guest::new();
        let s = g.cstr("test a ... ok\n");
        assert_eq!(g.ret(sc::Emu_DebugWrite, &[s, 14]), 14);
        assert_eq!(g.os.debug, b"test a ... ok\n");
        assert_eq!(g.ret(sc::Emu_DebugWrite, &[s, -3i32 as u32]), 0);
        assert!(g.call(sc::Emu_DebugWrite, &[0xA5A5_A5A5, 10]).is_err());
        assert_eq!(g.ret(sc::Emu_Present, &[]) as u32, EMU_MAGIC);
        assert_eq!(
            g.call(sc::Emu_Exit, &[3]),
            Ok(Action::Stop(Outcome::Exited { code: 3 }))
        );
    }

    #[test]
    fn information_and_settings() {
        let mut g = Guest::new();
        assert_eq!(g.ret(sc::GetMainBatteryVoltage, &[1]), 520);
        let p = g.zeroed(8);
        assert_eq!(
            g.ret(sc::GlibGetOSVersionInfo, &[p, p + 1, p + 2, p + 4]),
            0
        );
        assert_eq!(g.read(p, 6), [2, 2, 0, 2, 0, 1]);
        g.ret(sc::SetAutoPowerOffTime, &[5]);
        assert_eq!(g.ret(sc::GetAutoPowerOffTime, &[]), 5);
        g.ret(sc::SetBacklightDuration, &[4]);
        assert_eq!(g.ret(sc::GetBacklightDuration, &[]), 4);
        let name = g.zeroed(12);
        assert_eq!(g.ret(sc::GetAppName, &[name]) as u32, name);
        assert_eq!(g.read(name, 7), b"@ADDIN\0");
        let buf = g.zeroed(16);
        g.ret(sc::itoa, &[-42i32 as u32, buf]);
        assert_eq!(g.read(buf, 4), b"-42\0");
        assert_eq!(g.ret(sc::strlen, &[buf]), 3);
        g.ret(sc::SetQuitHandler, &[0x0030_0100]);
        assert_eq!(g.os.system.quit_handler, Some(0x0030_0100));
    }
}
