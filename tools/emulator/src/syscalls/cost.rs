//! What each syscall costs in CPU cycles at 58 MHz: the OS's time, which
//! the emulator adds to virtual time when a syscall finishes (timers run
//! meanwhile) and reports apart from the add-in's own cycles.
//!
//! The emulator runs the OS in host code, so these are models, not
//! measurements. Where a public figure exists the cost derives from it;
//! the rest are estimates, written as such:
//!
//! | Syscalls | Cost | Basis |
//! |---|---|---|
//! | any other call | [`BASE`] = 150 cycles (2.6 µs) | estimate: the syscall dispatcher and a short OS function |
//! | `RTC_GetTicks`, `RTC_Elapsed_ms`, `RTC_GetTime` | [`CLOCK_READ`] = 300 cycles (5.2 µs) | estimate: RTC register reads through the peripheral bus and BCD conversion; it makes a busy wait on the clock cost time, as on the calculator |
//! | `Bdisp_PutDisp_DD`, `GetKey` (it pushes VRAM) | [`LCD_FRAME`] = 638,000 cycles (11 ms) per 216 rows, pro rata for `Bdisp_PutDisp_DD_stripe` | estimate: 82,944 16-bit writes to the LCD controller at an effective 7.5 MHz (no measured figure is published in the sources the project uses) |
//! | `Bdisp_AllClr_VRAM`, `Bdisp_Fill_VRAM`, `SaveVRAM_1`, `LoadVRAM_1` | [`VRAM_PASS`] = 83,000 cycles (1.4 ms) | estimate: 165,888 bytes at 2 bytes per cycle |
//! | text printers, message boxes, F-keys, progress bar, the text-input calls | [`TEXT`] = 10,000 cycles (0.17 ms) | estimate: about 20 glyphs of 18×24 pixels |
//! | `Bfile_ReadFile_OS` | [`FILE_CALL`] + [`FLASH_READ_PER_BYTE`] × bytes read | flash access 100 ns per 16-bit word (WikiPrizm, "Flash": S29GL256N/MX29GL256F, 90–100 ns): 3 cycles per byte |
//! | `Bfile_WriteFile_OS` | [`FILE_CALL`] + [`FLASH_WRITE_PER_BYTE`] × bytes | NOR flash buffered programming, about 240 µs per 64-byte buffer (typical figure of this flash family; estimate): 218 cycles per byte |
//! | `Bfile_CreateEntry_OS` | [`FILE_CREATE`] = 1,740,000 cycles (30 ms) | estimate: directory and allocation-table updates in flash (several programmed blocks) |
//! | `Bfile_DeleteEntry`, `Bfile_RenameEntry` | [`FILE_UPDATE`] = 580,000 cycles (10 ms) | estimate: directory updates in flash |
//! | other `Bfile_*` (open, close, seek, find…) | [`FILE_CALL`] = 58,000 cycles (1 ms) | estimate: a walk of the file system's tables in flash |
//! | main memory (`MCS*`) | [`MCS_CALL`] = 2,900 cycles (50 µs) | estimate: RAM, a table search |
//!
//! Waits (`OS_InnerWait_ms`, key waits) are time passing, not cost.
//!
//! The cost is counted when the call returns, except where the OS does its
//! work before waiting ([`paid_on_entry`]): `GetKey` copies VRAM to the LCD
//! when it is called, then waits for the key.

use prizm_platform::syscall as sc;

/// Any syscall without a row of its own.
pub const BASE: u64 = 150;
/// Reading the clock.
pub const CLOCK_READ: u64 = 300;
/// A full VRAM-to-LCD transfer (216 rows).
pub const LCD_FRAME: u64 = 638_000;
/// One pass over VRAM in RAM.
pub const VRAM_PASS: u64 = 83_000;
/// A line of text or a small widget.
pub const TEXT: u64 = 10_000;
/// A file-system call's fixed part.
pub const FILE_CALL: u64 = 58_000;
/// Reading one byte of a file from flash.
pub const FLASH_READ_PER_BYTE: u64 = 3;
/// Writing one byte of a file to flash.
pub const FLASH_WRITE_PER_BYTE: u64 = 218;
/// Creating a file or folder.
pub const FILE_CREATE: u64 = 1_740_000;
/// Deleting or renaming an entry.
pub const FILE_UPDATE: u64 = 580_000;
/// A main-memory call.
pub const MCS_CALL: u64 = 2_900;

/// Rows of the screen.
const ROWS: u64 = 216;

/// Whether syscall `number` does its costed work when called, before it
/// may wait (its cost then counts at the call, not at the return).
pub fn paid_on_entry(number: u32) -> bool {
    number == u32::from(sc::GetKey)
}

/// The cost of syscall `number` called with `regs` (r4–r7 the first
/// arguments) that returned `result`.
pub fn cycles(number: u32, regs: &[u32; 16], result: u32) -> u64 {
    let Ok(number) = u16::try_from(number) else {
        return BASE;
    };
    match number {
        sc::RTC_GetTicks | sc::RTC_Elapsed_ms | sc::RTC_GetTime => CLOCK_READ,
        sc::Bdisp_PutDisp_DD | sc::GetKey => LCD_FRAME,
        sc::Bdisp_PutDisp_DD_stripe => {
            let (y1, y2) = (regs[4] as i32, regs[5] as i32);
            let rows = (y2.clamp(0, 215) - y1.clamp(0, 215) + 1).max(0) as u64;
            LCD_FRAME * rows / ROWS
        }
        sc::Bdisp_AllClr_VRAM | sc::Bdisp_Fill_VRAM | sc::SaveVRAM_1 | sc::LoadVRAM_1 => VRAM_PASS,
        sc::PrintXY
        | sc::PrintXY_2
        | sc::PrintCXY
        | sc::PrintMini
        | sc::PrintMiniMini
        | sc::Print_OS
        | sc::MsgBoxPush
        | sc::MsgBoxPop
        | sc::ProgressBar
        | sc::ProgressBar2
        | sc::DisplayStatusArea
        | sc::FKey_Display
        | sc::Scrollbar
        | sc::DisplayMBString
        | sc::DisplayMBString2
        | sc::EditMBStringCtrl
        | sc::EditMBStringCtrl2 => TEXT,
        sc::Bfile_ReadFile_OS => {
            let bytes = u64::from(if (result as i32) > 0 { result } else { 0 });
            FILE_CALL + FLASH_READ_PER_BYTE * bytes
        }
        sc::Bfile_WriteFile_OS => {
            let bytes = u64::from(regs[6].min(16 << 20));
            FILE_CALL + FLASH_WRITE_PER_BYTE * bytes
        }
        sc::Bfile_CreateEntry_OS => FILE_CREATE,
        sc::Bfile_DeleteEntry | sc::Bfile_RenameEntry => FILE_UPDATE,
        sc::Bfile_OpenFile_OS
        | sc::Bfile_CloseFile_OS
        | sc::Bfile_SeekFile_OS
        | sc::Bfile_TellFile_OS
        | sc::Bfile_GetFileSize_OS
        | sc::Bfile_GetMediaFree_OS
        | sc::Bfile_FindFirst
        | sc::Bfile_FindFirst_NON_SMEM
        | sc::Bfile_FindNext
        | sc::Bfile_FindNext_NON_SMEM
        | sc::Bfile_FindClose => FILE_CALL,
        sc::MCS_CreateDirectory
        | sc::MCS_DeleteDirectory
        | sc::MCSPutVar2
        | sc::MCSOvwDat2
        | sc::MCSDelVar2
        | sc::MCSGetDlen2
        | sc::MCSGetData1
        | sc::MCS_WriteItem
        | sc::MCS_GetState => MCS_CALL,
        // The emulator's own channel is not the calculator's: free.
        sc::Emu_DebugWrite | sc::Emu_Exit | sc::Emu_Present => 0,
        _ => BASE,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn costs_follow_the_table() {
        let mut regs = [0u32; 16];
        assert_eq!(cycles(u32::from(sc::GetSetupSetting), &regs, 0), BASE);
        assert_eq!(cycles(u32::from(sc::RTC_GetTicks), &regs, 0), CLOCK_READ);
        assert_eq!(cycles(u32::from(sc::Bdisp_PutDisp_DD), &regs, 0), LCD_FRAME);
        regs[4] = 24;
        regs[5] = 24 + 107;
        assert_eq!(
            cycles(u32::from(sc::Bdisp_PutDisp_DD_stripe), &regs, 0),
            LCD_FRAME / 2
        );
        regs[5] = 0;
        assert_eq!(cycles(u32::from(sc::Bdisp_PutDisp_DD_stripe), &regs, 0), 0);
        // Reads cost by bytes read; a failed read only the call.
        assert_eq!(
            cycles(u32::from(sc::Bfile_ReadFile_OS), &regs, 1000),
            FILE_CALL + 3000
        );
        assert_eq!(
            cycles(u32::from(sc::Bfile_ReadFile_OS), &regs, -1i32 as u32),
            FILE_CALL
        );
        regs[6] = 64;
        assert_eq!(
            cycles(u32::from(sc::Bfile_WriteFile_OS), &regs, 64),
            FILE_CALL + 64 * FLASH_WRITE_PER_BYTE
        );
        assert_eq!(cycles(u32::from(sc::Emu_DebugWrite), &regs, 0), 0);
        assert_eq!(cycles(0x1_0000, &regs, 0), BASE);
        // A full frame takes about 11 ms at 58 MHz.
        assert_eq!(LCD_FRAME / 58_000, 11);
    }
}
