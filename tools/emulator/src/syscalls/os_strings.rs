//! OS library calls with no screen: memory and string helpers, multibyte
//! text, the OS's message table, file-name masks, and a few calls that
//! only touch OS variables (`Alpha_SetData`, `Bdisp_DDRegisterSelect`,
//! `APP_RUNMAT`).
//!
//! Choices where the documentation is silent:
//! * `ByteToHex(value, result)` writes two upper-case digits and no NUL.
//! * `LocalizeMessage1(msgno, result)` copies the English text of the
//!   messages in [`MESSAGES`] (the numbers public add-ins use, with the
//!   texts their sources document) and returns 0; any other number copies
//!   an empty string, returns 0 and leaves a warning naming the number.
//! * `Alpha_SetData(name, value)` keeps the 10- or 24-byte BCD value (the
//!   first 24 bytes) of variable A–Z, r or θ for `Alpha_GetData`.
//! * `APP_RUNMAT` opens the Run-Matrix application: the run ends as
//!   "left to main menu" (the emulator has no Run-Matrix), with a warning.

use super::{Action, Ctx, SysErr};
use crate::font;
use crate::outcome::Outcome;

/// Largest block `sys_memcpy`/`sys_memset` move in one call (the RAM the
/// calculator has; more cannot be valid).
const MAX_BLOCK: u32 = 0x20_0000;

/// The OS messages the emulator knows (number, English text).
pub const MESSAGES: &[(u32, &str)] = &[
    (1, "English"),
    (2, "Press:[EXIT]"),
    (0x13, "Mismatch"),
    (340, " bytes free"),
    (1833, "Folder has over"),
    (1834, "200 files,"),
    (1835, "some will"),
    (1836, "be skipped"),
];

/// The text of OS message `msgno`, if the emulator knows it (the OS's
/// messages above, and the file-type descriptions `SMEM_MapIconToExt`
/// numbers itself).
pub fn message(msgno: u32) -> Option<&'static str> {
    use super::widgets::{FILE_TYPES, UNSUPPORTED_FILE};
    MESSAGES
        .iter()
        .find(|(number, _)| *number == msgno)
        .map(|(_, text)| *text)
        .or_else(|| {
            FILE_TYPES
                .iter()
                .find(|(_, number, ..)| *number == msgno)
                .map(|(_, _, text, _)| *text)
        })
        .or((msgno == UNSUPPORTED_FILE.0).then_some(UNSUPPORTED_FILE.1))
}

/// `void* memcpy(void* dest, const void* src, size_t n)` (0x1DD0): returns dest.
pub fn sys_memcpy(ctx: &mut Ctx) -> Result<Action, SysErr> {
    let (dest, src, n) = (ctx.arg(0)?, ctx.arg(1)?, ctx.arg(2)?);
    if n > MAX_BLOCK {
        return Err(SysErr::Fault(format!("memcpy of {n} bytes")));
    }
    let bytes = ctx.mem.read_bytes(src, n as usize)?;
    ctx.write_bytes(dest, &bytes)?;
    Ok(Action::Return(dest))
}

/// `void* memset(void* dest, int c, size_t n)` (0x1511): returns dest.
pub fn sys_memset(ctx: &mut Ctx) -> Result<Action, SysErr> {
    let (dest, c, n) = (ctx.arg(0)?, ctx.arg(1)?, ctx.arg(2)?);
    if n > MAX_BLOCK {
        return Err(SysErr::Fault(format!("memset of {n} bytes")));
    }
    ctx.write_bytes(dest, &vec![c as u8; n as usize])?;
    Ok(Action::Return(dest))
}

/// `int MB_ElementCount(const char* s)`: characters, a two-byte one counting once.
pub fn mb_element_count(ctx: &mut Ctx) -> Result<Action, SysErr> {
    let s = ctx.arg(0)?;
    let bytes = ctx.cstring(s, 0x1_0000)?;
    Ok(Action::Return(font::decode(&bytes).len() as u32))
}

/// `int MB_IsLead(char c)`: 1 when `c` starts a two-byte character.
pub fn mb_is_lead(ctx: &mut Ctx) -> Result<Action, SysErr> {
    let c = ctx.arg(0)? as u8;
    Ok(Action::Return(u32::from(font::is_lead_byte(c))))
}

/// `void ByteToHex(unsigned char value, unsigned char* result)`.
pub fn byte_to_hex(ctx: &mut Ctx) -> Result<Action, SysErr> {
    let (value, result) = (ctx.arg(0)? as u8, ctx.arg(1)?);
    let digits = format!("{value:02X}");
    ctx.write_bytes(result, digits.as_bytes())?;
    Ok(Action::Return(0))
}

/// `int Bfile_Name_MatchMask(const short* mask, const short* name)`: 1 when
/// the 16-bit file name matches the mask (`*`, `?`, case-insensitive, as
/// `Bfile_FindFirst` matches), else 0.
pub fn bfile_name_match_mask(ctx: &mut Ctx) -> Result<Action, SysErr> {
    let (mask, name) = (ctx.arg(0)?, ctx.arg(1)?);
    let mask = ctx.mem.read_u16_string(mask, 512)?;
    let name = ctx.mem.read_u16_string(name, 512)?;
    let matched = super::fs::wildcard_match(
        &String::from_utf16_lossy(&mask),
        &String::from_utf16_lossy(&name),
    );
    Ok(Action::Return(u32::from(matched)))
}

/// `int LocalizeMessage1(int msgno, char* result)`.
pub fn localize_message1(ctx: &mut Ctx) -> Result<Action, SysErr> {
    let (msgno, result) = (ctx.arg(0)?, ctx.arg(1)?);
    let text = message(msgno).unwrap_or_else(|| {
        ctx.os.warn(format!(
            "LocalizeMessage1: OS message {msgno} is not in the emulator's table"
        ));
        ""
    });
    let mut bytes = text.as_bytes().to_vec();
    bytes.push(0);
    ctx.write_bytes(result, &bytes)?;
    Ok(Action::Return(0))
}

/// The alpha-variable slot of a variable name byte (A–Z, r, θ).
fn alpha_slot(name: u8) -> Option<usize> {
    match name {
        b'A'..=b'Z' => Some(usize::from(name - b'A')),
        b'r' | 0xCD => Some(26),
        0xCE => Some(27),
        _ => None,
    }
}

/// `void Alpha_SetData(char name, void* value)`: stores a BCD value.
pub fn alpha_set_data(ctx: &mut Ctx) -> Result<Action, SysErr> {
    let (name, value) = (ctx.arg(0)? as u8, ctx.arg(1)?);
    let Some(slot) = alpha_slot(name) else {
        return Ok(Action::Return(0));
    };
    let bytes = ctx.mem.read_bytes(value, ALPHA_VALUE_LEN)?;
    ctx.os.system_vars.alpha[slot].copy_from_slice(&bytes);
    Ok(Action::Return(0))
}

/// `void Alpha_GetData(char name, void* value)`: reads a BCD value (zero
/// for a variable never set).
pub fn alpha_get_data(ctx: &mut Ctx) -> Result<Action, SysErr> {
    let (name, value) = (ctx.arg(0)? as u8, ctx.arg(1)?);
    let Some(slot) = alpha_slot(name) else {
        return Ok(Action::Return(0));
    };
    let bytes = ctx.os.system_vars.alpha[slot];
    ctx.write_bytes(value, &bytes)?;
    Ok(Action::Return(0))
}

/// Bytes kept per alpha variable (a complex BCD value).
pub const ALPHA_VALUE_LEN: usize = 24;

/// OS variables these calls keep.
#[derive(Debug, Clone)]
pub struct SystemVars {
    /// Alpha variables A–Z, r, θ (BCD).
    pub alpha: [[u8; ALPHA_VALUE_LEN]; 28],
}

impl Default for SystemVars {
    fn default() -> Self {
        SystemVars {
            alpha: [[0; ALPHA_VALUE_LEN]; 28],
        }
    }
}

/// `void Bdisp_DDRegisterSelect(int registerno)`: chooses the LCD
/// controller register that `0xB4000000` reads and writes.
pub fn bdisp_dd_register_select(ctx: &mut Ctx) -> Result<Action, SysErr> {
    ctx.mem.io.lcd_selected = ctx.arg(0)? as u16;
    Ok(Action::Return(0))
}

/// `void APP_RUNMAT(int, int)`: the OS's Run-Matrix takes over.
pub fn app_runmat(ctx: &mut Ctx) -> Result<Action, SysErr> {
    ctx.os
        .warn("APP_RUNMAT: the emulator has no Run-Matrix; the run ends there".into());
    Ok(Action::Stop(Outcome::LeftToMainMenu))
}

#[cfg(test)]
mod tests {
    use super::super::test_support::Guest;
    use super::*;
    use prizm_platform::syscall as sc;

    #[test]
    fn memcpy_and_memset() {
        let mut g = Guest::new();
        let src = g.put(b"abcdef");
        let dest = g.zeroed(8);
        assert_eq!(g.ret(sc::sys_memcpy, &[dest, src, 4]) as u32, dest);
        assert_eq!(g.read(dest, 6), b"abcd\0\0");
        assert_eq!(
            g.ret(sc::sys_memset, &[dest + 1, 0x1FF, 2]) as u32,
            dest + 1
        );
        assert_eq!(g.read(dest, 4), [b'a', 0xFF, 0xFF, b'd']);
        assert!(g.call(sc::sys_memcpy, &[dest, 0x1000_0000, 4]).is_err());
        assert!(g.call(sc::sys_memset, &[dest, 0, MAX_BLOCK + 1]).is_err());
    }

    #[test]
    fn multibyte_counts() {
        let mut g = Guest::new();
        let s = g.put(b"a\x7F\x50b\xE6\x91\0");
        assert_eq!(g.ret(sc::MB_ElementCount, &[s]), 4);
        assert_eq!(g.ret(sc::MB_IsLead, &[0x7F]), 1);
        assert_eq!(g.ret(sc::MB_IsLead, &[0xE6]), 1);
        assert_eq!(g.ret(sc::MB_IsLead, &[b'a'.into()]), 0);
    }

    #[test]
    fn hex_masks_and_messages() {
        let mut g = Guest::new();
        let out = g.put(b"....");
        g.ret(sc::ByteToHex, &[0x3A, out]);
        assert_eq!(g.read(out, 4), b"3A..");
        let (mask, name) = (g.u16str("*.g3a"), g.u16str("UTILS.G3A"));
        assert_eq!(g.ret(sc::Bfile_Name_MatchMask, &[mask, name]), 1);
        let other = g.u16str("notes.txt");
        assert_eq!(g.ret(sc::Bfile_Name_MatchMask, &[mask, other]), 0);
        let buffer = g.zeroed(32);
        assert_eq!(g.ret(sc::LocalizeMessage1, &[340, buffer]), 0);
        assert_eq!(g.read(buffer, 12), b" bytes free\0");
        g.ret(sc::LocalizeMessage1, &[9999, buffer]);
        assert_eq!(g.read(buffer, 1), [0]);
        assert!(g.os.warnings.iter().any(|w| w.contains("9999")));
    }

    #[test]
    fn alpha_variables_and_lcd_registers() {
        let mut g = Guest::new();
        let mut value = [0u8; ALPHA_VALUE_LEN];
        value[..3].copy_from_slice(&[0x10, 0x01, 0x50]);
        let v = g.put(&value);
        g.ret(sc::Alpha_SetData, &[u32::from(b'T'), v]);
        let back = g.zeroed(ALPHA_VALUE_LEN);
        g.ret(sc::Alpha_GetData, &[u32::from(b'T'), back]);
        assert_eq!(g.read(back, ALPHA_VALUE_LEN), value);
        g.ret(sc::Alpha_GetData, &[u32::from(b'A'), back]);
        assert_eq!(g.read(back, 3), [0, 0, 0]);
        g.ret(sc::Bdisp_DDRegisterSelect, &[0x5A1]);
        assert_eq!(g.mem.io.lcd_selected, 0x5A1);
        assert_eq!(
            g.call(sc::APP_RUNMAT, &[0, 0]),
            Ok(Action::Stop(Outcome::LeftToMainMenu))
        );
    }
}
