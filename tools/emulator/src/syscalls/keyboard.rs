//! Keyboard syscalls: `GetKey`, `GetKeyWait_OS`, `PRGM_GetKey_OS`, key
//! injection, key flags, the MENU lock, SHIFT/ALPHA state and `PowerOff`.
//!
//! `GetKey` behaves like the OS's: it copies VRAM to the LCD and draws the
//! status bar (unless disabled), handles SHIFT and ALPHA itself (they
//! change the code of the next key and never reach the add-in), and:
//! * MENU leaves the add-in (outcome "left to main menu") unless
//!   `DisableGetkeyToMainFunctionReturn` was called, in which case it
//!   returns `KEY_CTRL_MENU` (30003);
//! * SHIFT, AC/ON powers the calculator off: the press that follows turns
//!   it back on and is swallowed, and `GetKey` goes on waiting
//!   (hibernation: the add-in resumes where it was);
//! * SHIFT, 4 (CATALOG) is ignored when key flag 0x80 is set.

use super::display::{draw_status_area, push_to_lcd};
use super::{Action, Ctx, SysErr};
use crate::keys::{Key, KeyCode, Modifier};
use crate::memory::SCREEN_HEIGHT;
use crate::outcome::Outcome;
use prizm_platform::keys::MODIFIER_SETUP_INDEX;

/// Keyboard-related OS state.
#[derive(Debug, Clone)]
pub struct KeyboardState {
    /// SHIFT/ALPHA state (setup entry 0x14).
    pub modifier: Modifier,
    /// MENU in `GetKey` may leave the add-in.
    pub menu_returns: bool,
    /// `Bkey_SetAllFlags` flags.
    pub flags: u16,
    /// Setup entries (`GetSetupSetting`); 0x14 is kept in `modifier`.
    pub setup: [u8; 256],
    /// The calculator is off (a key turns it on).
    pub powered_off: bool,
    /// How many times it was powered off.
    pub power_offs: u32,
    /// A `PowerOff` call is in progress.
    power_off_call: bool,
    /// Timeout of a `GetKeyWait_OS` in progress.
    wait_deadline: Option<u64>,
    /// `GetKeyWait_OS` delivered SHIFT last (SHIFT, MENU opens Setup).
    wait_shift: bool,
    /// The Setup stand-in is open over the add-in (what it covers).
    pub setup_screen: Option<super::os_screens::Covered>,
}

impl Default for KeyboardState {
    fn default() -> Self {
        KeyboardState {
            modifier: Modifier::None,
            menu_returns: true,
            flags: 0,
            setup: [0; 256],
            powered_off: false,
            power_offs: 0,
            power_off_call: false,
            wait_deadline: None,
            wait_shift: false,
            setup_screen: None,
        }
    }
}

fn waiting(ctx: &mut Ctx, deadline: Option<u64>) -> Result<Action, SysErr> {
    if ctx.nested {
        return Err(SysErr::Fault(
            "a timer handler waited for a key: the emulator cannot deliver keys to nested calls"
                .into(),
        ));
    }
    let press = ctx.os.input.peek_press().map(|(_, at)| at);
    let resume_at = match (press, deadline) {
        (Some(p), Some(d)) => Some(p.min(d)),
        (p, _) => p,
    };
    Ok(Action::Block {
        resume_at,
        deadline,
    })
}

/// `int GetKey(int* key)`: returns 1 for character keys, 0 for control keys.
pub fn get_key(ctx: &mut Ctx) -> Result<Action, SysErr> {
    let key_ptr = ctx.arg(0)?;
    if ctx.os.display.status.drawn_by_getkey && !ctx.os.keyboard.powered_off {
        draw_status_area(ctx);
    }
    push_to_lcd(ctx, 0, SCREEN_HEIGHT as i32 - 1);
    loop {
        if let Some(injected) = ctx.os.input.take_injected() {
            ctx.write_u32(key_ptr, u32::from(injected.code))?;
            return Ok(Action::Return(u32::from(injected.code < 30000)));
        }
        let Some(key) = ctx.os.input.take_press(ctx.now_ns) else {
            return waiting(ctx, None);
        };
        let kb = &mut ctx.os.keyboard;
        if kb.powered_off {
            kb.powered_off = false;
            continue;
        }
        let modifier = kb.modifier;
        match key {
            Key::Shift | Key::Alpha => {
                kb.modifier = modifier.after(key);
                continue;
            }
            Key::AcOn if modifier == Modifier::Shift => {
                kb.modifier = modifier.after(key);
                kb.powered_off = true;
                kb.power_offs += 1;
                continue;
            }
            Key::Menu if modifier == Modifier::None && kb.menu_returns => {
                return Ok(Action::Stop(Outcome::LeftToMainMenu));
            }
            _ => {}
        }
        let typed = key.get_key(modifier);
        kb.modifier = modifier.after(key);
        if typed == KeyCode::Catalog && kb.flags & 0x80 != 0 {
            continue;
        }
        let code = typed.code() as u32;
        ctx.write_u32(key_ptr, code)?;
        return Ok(Action::Return(u32::from(code < 30000)));
    }
}

/// `int GetKeyWait_OS(int* column, int* row, int type, int timeout_s, int menu, unsigned short* keycode)`:
/// returns 0 (no event), 1 (key) or 2 (timeout).
///
/// With `menu` 0, MENU leaves the add-in and SHIFT then MENU opens the
/// OS's Setup screen over it; the emulator shows a stand-in for Setup
/// (see [`super::os_screens`]) and the call goes on waiting until EXIT
/// closes it, as the calculator returns to the add-in from Setup.
pub fn get_key_wait_os(ctx: &mut Ctx) -> Result<Action, SysErr> {
    let (column, row, kind, timeout) = (ctx.arg(0)?, ctx.arg(1)?, ctx.arg(2)?, ctx.arg_i32(3)?);
    let (menu, keycode) = (ctx.arg(4)?, ctx.arg(5)?);
    if let Some(injected) = ctx.os.input.take_injected() {
        ctx.os.keyboard.wait_deadline = None;
        ctx.write_u32(column, injected.column as u32)?;
        ctx.write_u32(row, injected.row as u32)?;
        ctx.write_u16(keycode, injected.code)?;
        return Ok(Action::Return(1));
    }
    while let Some(key) = ctx.os.input.take_press(ctx.now_ns) {
        ctx.os.keyboard.wait_deadline = None;
        if ctx.os.keyboard.setup_screen.is_some() {
            if key == Key::Exit {
                super::os_screens::close_setup(ctx);
            }
            continue;
        }
        let shifted = std::mem::take(&mut ctx.os.keyboard.wait_shift);
        if key == Key::Menu && menu == 0 && kind != 1 {
            if shifted {
                super::os_screens::open_setup(ctx);
                continue;
            }
            if ctx.os.keyboard.menu_returns {
                return Ok(Action::Stop(Outcome::LeftToMainMenu));
            }
        }
        if key == Key::Shift {
            ctx.os.keyboard.wait_shift = !shifted;
        }
        let (key_column, key_row) = key.matrix();
        ctx.write_u32(column, key_column as u32)?;
        ctx.write_u32(row, key_row as u32)?;
        ctx.write_u16(keycode, 0)?;
        return Ok(Action::Return(1));
    }
    match kind {
        1 => Ok(Action::Return(0)),
        2 => {
            let now = ctx.now_ns;
            let deadline = *ctx
                .os
                .keyboard
                .wait_deadline
                .get_or_insert(now + timeout.clamp(0, 3600) as u64 * 1_000_000_000);
            if now >= deadline {
                ctx.os.keyboard.wait_deadline = None;
                return Ok(Action::Return(2));
            }
            waiting(ctx, Some(deadline))
        }
        _ => waiting(ctx, None),
    }
}

/// `void PRGM_GetKey_OS(unsigned char* buffer)`: the key held now, BCD-coded
/// in bytes 1 and 2 (0 if none); never waits.
pub fn prgm_get_key_os(ctx: &mut Ctx) -> Result<Action, SysErr> {
    let buffer = ctx.arg(0)?;
    let now = ctx.now_ns;
    let held = ctx.os.input.held(now);
    ctx.os.input.mark_seen(now);
    let record = held.iter().next().map_or([0; 12], |key| key.record());
    ctx.write_bytes(buffer, &record)?;
    Ok(Action::Return(0))
}

/// `int Keyboard_PutKeycode(int x, int y, int keycode)`.
pub fn keyboard_put_keycode(ctx: &mut Ctx) -> Result<Action, SysErr> {
    let (column, row, code) = (ctx.arg_i32(0)?, ctx.arg_i32(1)?, ctx.arg(2)? as u16);
    ctx.os
        .input
        .inject(crate::input::Injected { column, row, code });
    Ok(Action::Return(0))
}

/// `int Keyboard_SpyMatrixCode(char* column, char* row)`: 1 and the held
/// key's matrix position, or 0.
pub fn keyboard_spy_matrix_code(ctx: &mut Ctx) -> Result<Action, SysErr> {
    let (column, row) = (ctx.arg(0)?, ctx.arg(1)?);
    let held = ctx.os.input.held(ctx.now_ns);
    match held.iter().next() {
        Some(key) => {
            let (key_column, key_row) = key.matrix();
            ctx.write_u8(column, key_column as u8)?;
            ctx.write_u8(row, key_row as u8)?;
            Ok(Action::Return(1))
        }
        None => Ok(Action::Return(0)),
    }
}

/// `void Bkey_SetAllFlags(short flags)`.
pub fn bkey_set_all_flags(ctx: &mut Ctx) -> Result<Action, SysErr> {
    ctx.os.keyboard.flags = ctx.arg(0)? as u16;
    Ok(Action::Return(0))
}

/// `short Bkey_GetAllFlags(void)`.
pub fn bkey_get_all_flags(ctx: &mut Ctx) -> Result<Action, SysErr> {
    Ok(Action::Return(u32::from(ctx.os.keyboard.flags)))
}

/// `void Bkey_ClrAllFlags(void)`.
pub fn bkey_clr_all_flags(ctx: &mut Ctx) -> Result<Action, SysErr> {
    ctx.os.keyboard.flags = 0;
    Ok(Action::Return(0))
}

/// `void Bkey_SetFlag(short flag)`: ORs a flag in.
pub fn bkey_set_flag(ctx: &mut Ctx) -> Result<Action, SysErr> {
    ctx.os.keyboard.flags |= ctx.arg(0)? as u16;
    Ok(Action::Return(0))
}

/// `void EnableGetkeyToMainFunctionReturn(void)`.
pub fn enable_getkey_to_main_function_return(ctx: &mut Ctx) -> Result<Action, SysErr> {
    ctx.os.keyboard.menu_returns = true;
    Ok(Action::Return(0))
}

/// `void DisableGetkeyToMainFunctionReturn(void)`.
pub fn disable_getkey_to_main_function_return(ctx: &mut Ctx) -> Result<Action, SysErr> {
    ctx.os.keyboard.menu_returns = false;
    Ok(Action::Return(0))
}

/// `int GetGetkeyToMainFunctionReturnFlag(void)`: 1 = MENU leaves, 0 = locked.
pub fn get_getkey_to_main_function_return_flag(ctx: &mut Ctx) -> Result<Action, SysErr> {
    Ok(Action::Return(u32::from(ctx.os.keyboard.menu_returns)))
}

/// `unsigned char GetSetupSetting(unsigned int index)`.
pub fn get_setup_setting(ctx: &mut Ctx) -> Result<Action, SysErr> {
    let index = ctx.arg(0)? as usize & 0xFF;
    let value = if index == MODIFIER_SETUP_INDEX as usize {
        ctx.os.keyboard.modifier.setting()
    } else {
        ctx.os.keyboard.setup[index]
    };
    Ok(Action::Return(u32::from(value)))
}

/// `void SetSetupSetting(unsigned int index, unsigned char value)`.
pub fn set_setup_setting(ctx: &mut Ctx) -> Result<Action, SysErr> {
    let index = ctx.arg(0)? as usize & 0xFF;
    let value = ctx.arg(1)? as u8;
    if index == MODIFIER_SETUP_INDEX as usize {
        ctx.os.keyboard.modifier = Modifier::from_setting(value);
    } else {
        ctx.os.keyboard.setup[index] = value;
    }
    Ok(Action::Return(0))
}

/// `void PowerOff(int show_logo)`: returns when a key turns the calculator
/// back on (that key press is swallowed).
pub fn power_off(ctx: &mut Ctx) -> Result<Action, SysErr> {
    let kb = &mut ctx.os.keyboard;
    if !kb.power_off_call {
        kb.power_off_call = true;
        kb.powered_off = true;
        kb.power_offs += 1;
    }
    if ctx.os.input.take_press(ctx.now_ns).is_some() {
        ctx.os.keyboard.powered_off = false;
        ctx.os.keyboard.power_off_call = false;
        return Ok(Action::Return(0));
    }
    waiting(ctx, None)
}

#[cfg(test)]
mod tests {
    use super::super::test_support::Guest;
    use super::*;
    use prizm_platform::syscall as sc;

    #[test]
    fn get_key_returns_codes_and_blocks() {
        let mut g = Guest::new();
        let key = g.zeroed(4);
        assert!(matches!(
            g.call(sc::GetKey, &[key]),
            Ok(Action::Block {
                resume_at: None,
                deadline: None
            })
        ));
        g.press(&[Key::Exe]);
        assert_eq!(g.ret(sc::GetKey, &[key]), 0);
        assert_eq!(g.read_u32(key), KeyCode::Exe.code() as u32);
        g.press(&[Key::Digit7]);
        assert_eq!(g.ret(sc::GetKey, &[key]), 1);
        assert_eq!(g.read_u32(key), 0x37);
    }

    #[test]
    fn future_presses_resume_by_themselves() {
        let mut g = Guest::new();
        let key = g.zeroed(4);
        g.os.input.queue(Key::F1, 5_000);
        assert_eq!(
            g.call(sc::GetKey, &[key]),
            Ok(Action::Block {
                resume_at: Some(5_000),
                deadline: None
            })
        );
    }

    #[test]
    fn modifiers() {
        let mut g = Guest::new();
        let key = g.zeroed(4);
        g.press(&[Key::Shift, Key::Exit]);
        assert_eq!(g.ret(sc::GetKey, &[key]), 0);
        assert_eq!(g.read_u32(key), KeyCode::Quit.code() as u32);
        g.press(&[Key::Alpha, Key::XThetaT, Key::XThetaT]);
        assert_eq!(g.ret(sc::GetKey, &[key]), 1);
        assert_eq!(g.read_u32(key), u32::from(b'A'));
        assert_eq!(g.ret(sc::GetKey, &[key]), 0, "alpha applies to one key");
        assert_eq!(g.read_u32(key), KeyCode::XThetaT.code() as u32);
        g.press(&[Key::Shift]);
        assert!(matches!(
            g.call(sc::GetKey, &[key]),
            Ok(Action::Block { .. })
        ));
        assert_eq!(g.ret(sc::GetSetupSetting, &[0x14]), 1);
        g.ret(sc::SetSetupSetting, &[0x14, 0]);
        assert_eq!(g.os.keyboard.modifier, Modifier::None);
    }

    #[test]
    fn menu_leaves_unless_disabled() {
        let mut g = Guest::new();
        let key = g.zeroed(4);
        g.press(&[Key::Menu]);
        assert_eq!(
            g.call(sc::GetKey, &[key]),
            Ok(Action::Stop(Outcome::LeftToMainMenu))
        );
        assert_eq!(g.ret(sc::GetGetkeyToMainFunctionReturnFlag, &[]), 1);
        g.ret(sc::DisableGetkeyToMainFunctionReturn, &[]);
        assert_eq!(g.ret(sc::GetGetkeyToMainFunctionReturnFlag, &[]), 0);
        g.press(&[Key::Menu]);
        assert_eq!(g.ret(sc::GetKey, &[key]), 0);
        assert_eq!(g.read_u32(key), KeyCode::Menu.code() as u32);
        g.ret(sc::EnableGetkeyToMainFunctionReturn, &[]);
        assert_eq!(g.ret(sc::GetGetkeyToMainFunctionReturnFlag, &[]), 1);
    }

    #[test]
    fn shift_ac_powers_off_and_the_next_key_resumes() {
        let mut g = Guest::new();
        let key = g.zeroed(4);
        g.press(&[Key::Shift, Key::AcOn]);
        assert!(matches!(
            g.call(sc::GetKey, &[key]),
            Ok(Action::Block { .. })
        ));
        assert!(g.os.keyboard.powered_off);
        assert_eq!(g.os.keyboard.power_offs, 1);
        g.press(&[Key::AcOn, Key::Digit1]);
        assert_eq!(g.ret(sc::GetKey, &[key]), 1);
        assert_eq!(g.read_u32(key), 0x31);
        assert!(!g.os.keyboard.powered_off);
        // The PowerOff syscall.
        assert!(matches!(
            g.call(sc::PowerOff, &[1]),
            Ok(Action::Block { .. })
        ));
        assert_eq!(g.os.keyboard.power_offs, 2);
        g.press(&[Key::Exe]);
        assert_eq!(g.ret(sc::PowerOff, &[1]), 0);
        assert!(!g.os.keyboard.powered_off);
    }

    #[test]
    fn get_key_wait_os_kinds() {
        let mut g = Guest::new();
        let (col, row, kc) = (g.zeroed(4), g.zeroed(4), g.zeroed(4));
        assert_eq!(g.ret(sc::GetKeyWait_OS, &[col, row, 1, 0, 0, kc]), 0);
        let Ok(Action::Block {
            deadline: Some(d), ..
        }) = g.call(sc::GetKeyWait_OS, &[col, row, 2, 3, 0, kc])
        else {
            panic!("expected a timed wait")
        };
        assert_eq!(d, 3_000_000_000);
        g.now_ns = d;
        assert_eq!(g.ret(sc::GetKeyWait_OS, &[col, row, 2, 3, 0, kc]), 2);
        g.press(&[Key::Exe]);
        assert_eq!(g.ret(sc::GetKeyWait_OS, &[col, row, 0, 0, 0, kc]), 1);
        assert_eq!((g.read_u32(col), g.read_u32(row)), (3, 2));
        g.press(&[Key::Menu]);
        assert_eq!(
            g.ret(sc::GetKeyWait_OS, &[col, row, 0, 0, 1, kc]),
            1,
            "menu != 0: MENU is a key"
        );
        g.ret(
            sc::Keyboard_PutKeycode,
            &[-1i32 as u32, -1i32 as u32, KeyCode::Exit.code() as u32],
        );
        assert_eq!(g.ret(sc::GetKeyWait_OS, &[col, row, 0, 0, 0, kc]), 1);
        assert_eq!(g.read(kc, 2), (KeyCode::Exit.code() as u16).to_be_bytes());
    }

    #[test]
    fn shift_menu_in_get_key_wait_opens_setup_until_exit() {
        let mut g = Guest::new();
        let (col, row, kc) = (g.zeroed(4), g.zeroed(4), g.zeroed(4));
        let text = g.cstr("xxAdd-in");
        g.ret(sc::PrintXY, &[1, 1, text, 0, 0]);
        g.press(&[Key::Shift]);
        assert_eq!(g.ret(sc::GetKeyWait_OS, &[col, row, 0, 0, 0, kc]), 1);
        assert_eq!((g.read_u32(col), g.read_u32(row)), (7, 9), "SHIFT is a key");
        g.press(&[Key::Menu, Key::Digit1]);
        assert!(
            matches!(
                g.call(sc::GetKeyWait_OS, &[col, row, 0, 0, 0, kc]),
                Ok(Action::Block { .. })
            ),
            "Setup is open: keys are Setup's, the add-in still waits"
        );
        assert!(g.os.keyboard.setup_screen.is_some());
        assert!(g.os.text.contains(g.mem.vram_mut(), "Setup"));
        assert!(!g.os.text.contains(g.mem.vram_mut(), "Add-in"));
        g.press(&[Key::Exit, Key::Exe]);
        assert_eq!(g.ret(sc::GetKeyWait_OS, &[col, row, 0, 0, 0, kc]), 1);
        assert_eq!(
            (g.read_u32(col), g.read_u32(row)),
            (3, 2),
            "EXE after Setup"
        );
        assert!(g.os.keyboard.setup_screen.is_none());
        assert!(
            g.os.text.contains(g.mem.vram_mut(), "Add-in"),
            "screen restored"
        );
        // SHIFT, SHIFT cancels: MENU then leaves.
        g.press(&[Key::Shift, Key::Shift, Key::Menu]);
        assert_eq!(g.ret(sc::GetKeyWait_OS, &[col, row, 0, 0, 0, kc]), 1);
        assert_eq!(g.ret(sc::GetKeyWait_OS, &[col, row, 0, 0, 0, kc]), 1);
        assert_eq!(
            g.call(sc::GetKeyWait_OS, &[col, row, 0, 0, 0, kc]),
            Ok(Action::Stop(Outcome::LeftToMainMenu))
        );
    }

    #[test]
    fn prgm_get_key_reads_the_matrix() {
        let mut g = Guest::new();
        let buf = g.zeroed(12);
        g.ret(sc::PRGM_GetKey_OS, &[buf]);
        assert_eq!(g.read(buf, 3), [0, 0, 0]);
        g.os.input.queue(Key::F1, 0);
        g.now_ns = 10;
        g.ret(sc::PRGM_GetKey_OS, &[buf]);
        let b = g.read(buf, 3);
        assert_eq!(u32::from(b[1] & 0x0F) * 10 + u32::from(b[2] >> 4), 79);
        assert!(
            !g.os.input.has_pending(),
            "seen by the matrix: not for GetKey"
        );
        let (c, r) = (g.zeroed(4), g.zeroed(4));
        assert_eq!(g.ret(sc::Keyboard_SpyMatrixCode, &[c, r]), 1);
        assert_eq!(g.read(c, 1), [7]);
    }

    #[test]
    fn key_flags_and_catalog() {
        let mut g = Guest::new();
        let key = g.zeroed(4);
        g.ret(sc::Bkey_SetAllFlags, &[0x80]);
        assert_eq!(g.ret(sc::Bkey_GetAllFlags, &[]), 0x80);
        g.press(&[Key::Shift, Key::Digit4, Key::Digit4]);
        assert_eq!(g.ret(sc::GetKey, &[key]), 1);
        assert_eq!(g.read_u32(key), 0x34, "catalog swallowed");
        g.ret(sc::Bkey_ClrAllFlags, &[]);
        assert_eq!(g.ret(sc::Bkey_GetAllFlags, &[]), 0);
    }
}
