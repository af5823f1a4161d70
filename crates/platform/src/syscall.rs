//! The calculator OS's syscalls: ONE table of number, name, Rust signature
//! and doc line.
//!
//! - The `prizm` crate's build script reads [`SYSCALLS`] and turns every
//!   [`Binding::Bound`] entry into an `extern "C"` declaration and an SH
//!   assembly stub (number in r0, jump to [`crate::memory::SYSCALL_ENTRY`]).
//! - The emulator dispatches on the constants below (`match number {
//!   syscall::GetKey => …}`) and names syscalls in its reports with
//!   [`name_of`].
//!
//! Adding a syscall: one line here (sorted by number), plus its emulator
//! implementation. Only scalars and pointers may cross the boundary: the
//! calculator target's stand-in architecture does not pass aggregates the
//! way SH does.
//!
//! Every name is also a `u16` constant holding the number, spelled as the OS
//! documentation spells it (hence `non_upper_case_globals`).
#![allow(non_upper_case_globals)]

/// Who provides a Rust declaration for a syscall.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Binding {
    /// The `prizm` crate declares it (`prizm::syscall::NAME`); it has a
    /// signature and a doc line.
    Bound,
    /// Known by number and name only (reports, the emulator's dispatch);
    /// nothing on the calculator side calls it.
    Known,
}

/// One row of the table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Syscall {
    /// The number the stub puts in r0.
    pub number: u16,
    /// The name, as a Rust identifier.
    pub name: &'static str,
    /// Parameters and return type in Rust syntax, e.g. `(key: *mut i32) -> i32`;
    /// `None` when only the name is known.
    pub signature: Option<&'static str>,
    /// One line of documentation (empty when only the name is known).
    pub doc: &'static str,
    /// Whether the `prizm` crate binds it.
    pub binding: Binding,
}

macro_rules! binding {
    (bind) => {
        Binding::Bound
    };
    (known) => {
        Binding::Known
    };
}

macro_rules! signature {
    () => {
        None
    };
    (( $($param:tt)* ) $(-> $ret:ty)?) => {
        Some(concat!("(", stringify!($($param)*), ")" $(, " -> ", stringify!($ret))?))
    };
}

macro_rules! syscalls {
    ($(
        $(#[doc = $doc:literal])*
        $kind:ident $number:literal $name:ident $( ( $($param:tt)* ) $(-> $ret:ty)? )? ;
    )*) => {
        $(
            $(#[doc = $doc])*
            #[doc = concat!("\n\nSyscall number `", stringify!($number), "`.")]
            pub const $name: u16 = $number;
        )*

        /// Every syscall, sorted by number.
        pub static SYSCALLS: &[Syscall] = &[$(
            Syscall {
                number: $number,
                name: stringify!($name),
                signature: signature!($( ( $($param)* ) $(-> $ret)? )?),
                doc: concat!($($doc,)* ""),
                binding: binding!($kind),
            },
        )*];
    };
}

/// The table entry of a syscall number.
pub fn lookup(number: u16) -> Option<&'static Syscall> {
    SYSCALLS
        .binary_search_by_key(&number, |call| call.number)
        .ok()
        .map(|index| &SYSCALLS[index])
}

/// The name of a syscall number, if the table has it.
pub fn name_of(number: u16) -> Option<&'static str> {
    lookup(number).map(|call| call.name)
}

/// The number of a syscall by name.
pub fn number_of(name: &str) -> Option<u16> {
    SYSCALLS
        .iter()
        .find(|call| call.name == name)
        .map(|call| call.number)
}

// Sources: platform facts §3 and its Appendix A (the libfxcg stubs); the
// 0x7Fxx numbers are the project's emulator-only debug channel, which a
// real calculator does not have.
syscalls! {
    /// Tells the OS the add-in has started (crt0 calls it with 0, 1, 1).
    bind 0x0029 GlibAddinAplExecutionCheck(zero: i32, one: i32, one2: i32);
    /// OS version numbers.
    bind 0x002B GlibGetOSVersionInfo(major: *mut u8, minor: *mut u8, patch: *mut i16, build: *mut i16) -> i32;
    /// Reads a setup byte (0x14 = shift/alpha state).
    bind 0x0031 GetSetupSetting(index: u32) -> u8;
    /// Writes a setup byte.
    bind 0x0032 SetSetupSetting(index: u32, value: u8);
    /// Reads BASIC variable `name` (A–Z, r, θ) as a BCD value.
    bind 0x0034 Alpha_GetData(name: i32, value: *mut u8);
    /// Stores a BCD value into BASIC variable `name`.
    bind 0x0035 Alpha_SetData(name: i32, value: *const u8);
    known 0x0111 Bkey_ClrAllFlags;
    known 0x0112 Bkey_SetFlag;
    known 0x0129 Set_FKeys2;
    known 0x012B Set_FKeys1;
    /// Draws an F-key label (from GetFKeyPtr) in slot 0–5 of the F-key bar.
    bind 0x0131 FKey_Display(slot: i32, label: *const u8);
    known 0x0160 BCDtoInternal;
    /// Chooses the LCD controller register that 0xB4000000 reads and writes.
    bind 0x01A2 Bdisp_DDRegisterSelect(number: i32);
    known 0x01A3 Bdisp_DefineDMARange;
    known 0x01A6 Bdisp_WriteDDRegister3_bit7;
    known 0x01A8 Test01A8;
    known 0x01B6 Bdisp_AreaClr_DD_x3;
    known 0x01BE Bdisp_ShapeBase3XVRAM;
    known 0x01C0 Bdisp_ShapeToDD;
    known 0x01C4 Bdisp_ShapeToVRAM16C;
    known 0x01C7 Bdisp_ShapeBase;
    known 0x01DF DisableGB18030;
    known 0x01E0 EnableGB18030;
    /// Returns the VRAM address (0xA8000000 on fx-CG 10/20, 0xAC000000 on fx-CG 50).
    bind 0x01E6 GetVRAMAddress() -> *mut u16;
    known 0x01E9 GetMiniGlyphPtr;
    known 0x01F9 Print_OS;
    /// Prints in the small proportional font; mode2 1 only measures.
    bind 0x021B PrintMiniMini(x: *mut i32, y: *mut i32, text: *const u8, mode1: i32, color: u8, mode2: i32);
    known 0x0238 PrintGlyph;
    /// Prints in the 18x24 font at pixel (x, y).
    bind 0x0239 PrintCXY(x: i32, y: i32, text: *const u8, mode: i32, p5: i32, fg: i32, bg: i32, p8: i32, p9: i32);
    known 0x023B PrintMiniGlyph;
    /// Prints in the proportional font and advances x; writeflag 0 only measures.
    bind 0x023C PrintMini(x: *mut i32, y: *mut i32, text: *const u8, mode: i32, xlimit: u32, p6: i32, p7: i32, color: i32, back_color: i32, writeflag: i32, p11: i32);
    known 0x0259 DispInt;
    /// Copies VRAM to the LCD.
    bind 0x025F Bdisp_PutDisp_DD();
    /// Copies VRAM rows y1..=y2 to the LCD.
    bind 0x0260 Bdisp_PutDisp_DD_stripe(y1: i32, y2: i32);
    known 0x0262 Bdisp_SetPointWB_VRAM;
    /// Sets one VRAM pixel.
    bind 0x0263 Bdisp_SetPoint_VRAM(x: i32, y: i32, color: i32);
    /// Reads one VRAM pixel.
    bind 0x0267 Bdisp_GetPoint_VRAM(x: i32, y: i32) -> u16;
    known 0x026B Bdisp_SetPoint_DD;
    known 0x026E Bdisp_GetPoint_DD_Workbench;
    known 0x026F Bdisp_GetPoint_DD;
    /// Clears the whole VRAM to white.
    bind 0x0272 Bdisp_AllClr_VRAM();
    /// Fills VRAM with a colour (mode 3 = whole screen).
    bind 0x0275 Bdisp_Fill_VRAM(color: i32, mode: i32);
    known 0x028F Bdisp_WriteGraphVRAM_WB;
    /// Draws a bitmap described by a display_graph record into VRAM.
    bind 0x0290 Bdisp_WriteGraphVRAM(graph: *const u8);
    known 0x0291 Bdisp_WriteGraphDD_WB;
    known 0x02A3 FrameColor;
    known 0x02A4 Syscall02A4;
    known 0x02A7 Syscall02A7;
    /// Sets the colour of the border around the screen.
    bind 0x02A8 DrawFrame(color: i32);
    known 0x02A9 Syscall02A9;
    known 0x02AA DirectDrawRectangle;
    known 0x02B2 Bdisp_AreaClr;
    /// 0 shows the status bar, 3 hides it.
    bind 0x02B7 EnableStatusArea(mode: i32);
    /// Chooses what the status bar shows.
    bind 0x02B8 DefineStatusAreaFlags(mode: i32, flags: i32, color1: *mut u8, color2: *mut u8) -> i32;
    known 0x02BB DrawHeaderLine;
    known 0x02BF RTC_Reset;
    /// Reads the time of day.
    bind 0x02C0 RTC_GetTime(hour: *mut u32, minute: *mut u32, second: *mut u32, millisecond: *mut u32);
    /// Ticks of 1/128 s since midnight.
    bind 0x02C1 RTC_GetTicks() -> i32;
    /// 1 once duration_ms has passed since the tick value start.
    bind 0x02C2 RTC_Elapsed_ms(start: i32, duration_ms: i32) -> i32;
    /// Draws the OS busy indicator.
    bind 0x02C7 HourGlass();
    /// The OS symbol picker; returns the chosen character, 0 on EXIT.
    bind 0x07A2 CharacterSelectDialog() -> i16;
    known 0x07E5 CLIP_Store;
    known 0x08C7 Cursor_SetFlashOn;
    known 0x08C8 Cursor_SetFlashOff;
    known 0x08CA Keyboard_CursorFlash;
    known 0x08D2 SetCursorFlashToggle;
    /// Installs a periodic timer; returns its id or a negative error.
    bind 0x08D9 Timer_Install(id: i32, handler: extern "C" fn(), elapse_ms: i32) -> i32;
    /// Removes a timer.
    bind 0x08DA Timer_Deinstall(id: i32) -> i32;
    /// Starts a timer.
    bind 0x08DB Timer_Start(id: i32) -> i32;
    /// Stops a timer.
    bind 0x08DC Timer_Stop(id: i32) -> i32;
    /// Enables full-colour drawing (1) or the 8-colour mode (0).
    bind 0x0921 Bdisp_EnableColor(enable: i32);
    known 0x0923 DrawFrameWorkbench;
    known 0x0924 Bdisp_Rectangle;
    known 0x0925 Bdisp_FilledRectangle;
    /// Fills a rectangle below the status bar (y offset by 24).
    bind 0x0926 Bdisp_Rectangle_FullColor_Filled(x1: i32, y1: i32, x2: i32, y2: i32, color: u16);
    known 0x092B Box;
    /// Saves (direction 1) or restores (0) a VRAM rectangle below the status bar.
    bind 0x0938 MsgBoxMoveWB(buffer: *mut u8, x0: i32, y0: i32, x1: i32, y1: i32, direction: i32);
    known 0x0A87 APP_EACT_StatusIcon;
    known 0x0A8B SetupMode_StatusIcon;
    /// Shows OS error message `msgno` in a pop-up until EXIT.
    bind 0x0C01 AUX_DisplayErrorMessage(msgno: i32);
    /// A file name's type: a message number for LocalizeMessage1 and an 18x24 icon.
    bind 0x0C2C SMEM_MapIconToExt(name: *const u8, folder: *const u16, msgno: *mut u32, icon: *mut u16) -> i32;
    known 0x0C5A StandardScrollbar;
    known 0x0C66 SaveFileDialog;
    known 0x0C6B APP_FINANCE;
    known 0x0D08 Bdisp_MMPrintRef;
    known 0x0D09 Bdisp_MMPrint;
    /// Non-blocking read of the key held down, as a 12-byte BCD record.
    bind 0x0D39 PRGM_GetKey_OS(buffer: *mut u8);
    known 0x0D79 App_InitDlgDescriptor;
    known 0x0D91 OverwriteConfirmation;
    known 0x0DAC SMEM_FindFirst;
    known 0x0DDF SMEM_maint;
    /// Reads the keyboard flags.
    bind 0x0EA0 Bkey_GetAllFlags() -> i16;
    /// Sets keyboard flags (0x80 disables the catalog).
    bind 0x0EA1 Bkey_SetAllFlags(flags: i16);
    known 0x0EA7 TestMode;
    /// Waits for a key; handles MENU, SHIFT/ALPHA, power-off; returns 1 for character keys.
    bind 0x0EAB GetKey(key: *mut i32) -> i32;
    known 0x115E memcmp3;
    /// 1 when the byte starts a two-byte character.
    bind 0x1161 MB_IsLead(byte: i32) -> i32;
    /// Characters in a multibyte string (a two-byte one counts once).
    bind 0x1163 MB_ElementCount(text: *const u8) -> i32;
    known 0x1170 itoa;
    /// Battery voltage in units of 10 mV (pass 1).
    bind 0x1186 GetMainBatteryVoltage(one: i32) -> i32;
    known 0x1187 Restart;
    known 0x11D6 CMT_Delay_micros;
    known 0x11D7 CMT_Delay_100micros;
    /// Sets the clock from a BCD record.
    bind 0x11DE RTC_SetDateTime(bcd: *mut u8);
    /// EditMBStringCtrl with the line ending before column pos_to_clear.
    bind 0x120A EditMBStringCtrl2(text: *mut u8, posmax: i32, start: *mut i32, xpos: *mut i32, key: *mut i32, x: i32, y: i32, enable_clear: i32, pos_to_clear: i32);
    known 0x120B EditMBStringCtrl3;
    known 0x120C EditMBStringCtrl4;
    /// Applies a control key (arrows, DEL, AC) to a text line and redraws it.
    bind 0x120E EditMBStringCtrl(text: *mut u8, posmax: i32, start: *mut i32, xpos: *mut i32, key: *mut i32, x: i32, y: i32);
    /// DisplayMBString with the line ending before column pos_to_clear.
    bind 0x1218 DisplayMBString2(p1: i32, text: *const u8, start: i32, xpos: i32, x: i32, y: i32, pos_to_clear: i32, p8: i32, p9: i32);
    /// Draws a text line from byte start with the cursor at xpos (PrintXY cells).
    bind 0x121D DisplayMBString(text: *const u8, start: i32, xpos: i32, x: i32, y: i32);
    /// Inserts a character at the cursor; returns the new cursor.
    bind 0x1224 EditMBStringChar(text: *mut u8, posmax: i32, xpos: i32, character: i32) -> i32;
    known 0x127E Test127E;
    /// Low-level key wait; returns 0 no event, 1 key, 2 timeout.
    bind 0x12BF GetKeyWait_OS(column: *mut i32, row: *mut i32, wait_type: i32, timeout_s: i32, menu: i32, keycode: *mut u16) -> i32;
    /// Injects a key event.
    bind 0x12C6 Keyboard_PutKeycode(x: i32, y: i32, keycode: i32) -> i32;
    known 0x12C9 Keyboard_SpyMatrixCode;
    known 0x12D4 SetBatteryType;
    known 0x12D5 GetBatteryType;
    /// Sets the backlight timeout in half-minutes.
    bind 0x12D8 SetBacklightDuration(half_minutes: i32);
    /// Backlight timeout in half-minutes.
    bind 0x12D9 GetBacklightDuration() -> i32;
    /// Finds the OS F-key label `id` for FKey_Display.
    bind 0x12F3 GetFKeyPtr(id: i32, label: *mut *const u8);
    /// Copies the text of OS message `msgno`.
    bind 0x12FC LocalizeMessage1(msgno: i32, result: *mut u8) -> i32;
    known 0x1300 ProcessPrintChars;
    known 0x1343 HexToNibble;
    known 0x1344 HexToByte;
    known 0x1345 HexToWord;
    known 0x1346 NibbleToHex;
    /// Writes a byte as two upper-case hex digits (no NUL).
    bind 0x1347 ByteToHex(value: i32, result: *mut u8);
    known 0x1348 WordToHex;
    known 0x1349 strlen;
    known 0x134E USB_Open;
    known 0x1350 USB_Close;
    known 0x1353 Comm_Open;
    known 0x1354 Comm_Close;
    known 0x1384 APP_LINK_transmit_select_dialog;
    known 0x1396 Comm_TryCheckPacket;
    known 0x1397 App_LINK_SetRemoteBaud;
    known 0x1398 App_LINK_Send_ST9_Packet;
    known 0x1399 App_LINK_GetDeviceInfo;
    known 0x13A6 App_LINK_TransmitInit;
    known 0x13A7 App_LINK_Transmit;
    known 0x13F1 Comm_Terminate;
    known 0x1409 App_LINK_SetReceiveTimeout_ms;
    known 0x140A App_LINK_GetReceiveTimeout_ms;
    /// Fills memory with a byte; returns dest (older SDKs' memset).
    bind 0x1511 sys_memset(dest: *mut u8, byte: i32, length: u32) -> *mut u8;
    /// Deletes a main-memory folder.
    bind 0x1516 MCS_DeleteDirectory(dir: *const u8) -> i32;
    known 0x151A MCS_WriteItem;
    /// Main-memory capacity and use.
    bind 0x1529 MCS_GetState(max: *mut i32, used: *mut i32, free: *mut i32) -> i32;
    known 0x1532 MCS_GetCapa;
    known 0x1543 MCS_GetMainMemoryStart;
    /// Creates a main-memory folder; non-zero if it exists.
    bind 0x154B MCS_CreateDirectory(dir: *const u8) -> i32;
    /// Creates an item; fails if it exists.
    bind 0x154D MCSPutVar2(dir: *const u8, item: *const u8, length: i32, data: *const u8) -> i32;
    /// Overwrites an existing item.
    bind 0x1552 MCSOvwDat2(dir: *const u8, item: *const u8, length: i32, data: *const u8, offset: i32) -> i32;
    /// Deletes an item.
    bind 0x1558 MCSDelVar2(dir: *const u8, item: *const u8) -> i32;
    known 0x1560 MCSGetOpenItem;
    /// Gets an item's length and selects it for MCSGetData1.
    bind 0x1562 MCSGetDlen2(dir: *const u8, item: *const u8, length: *mut i32) -> i32;
    /// Reads from the item selected by MCSGetDlen2.
    bind 0x1563 MCSGetData1(offset: i32, length: i32, buffer: *mut u8) -> i32;
    known 0x1630 App_Optimize;
    known 0x1632 APP_MEMORY;
    known 0x1633 ItoA_10digit;
    known 0x1635 strcmp_ignore_case;
    known 0x17BC Test17BC;
    known 0x17E6 TakeScreenshot;
    known 0x17E7 TakeScreenshot2;
    known 0x17E9 OpenFileDialog;
    /// Opens a centred pop-up of `lines` text rows, saving the background.
    bind 0x17F7 MsgBoxPush(lines: i32);
    /// Closes the last pop-up, restoring the background.
    bind 0x17F9 MsgBoxPop();
    known 0x17FB BoxYLimits;
    known 0x17FC Box2;
    known 0x17FD BoxInnerClear;
    known 0x1802 ConfirmFileOverwriteDialog;
    known 0x1809 ProgressBar2;
    known 0x180B ProgressBar0;
    /// Shows the OS progress pop-up.
    bind 0x180E ProgressBar(current: i32, max: i32);
    /// The OS colour picker; returns the colour index, 0xFF on EXIT.
    bind 0x1815 ColorIndexDialog1(initial: u8, disable_mask: u16) -> u8;
    known 0x1816 Syscall1816;
    /// Powers the calculator off; execution resumes here on power-on.
    bind 0x1839 PowerOff(show_logo: i32);
    known 0x1841 LongToAscHex;
    known 0x1863 locate_OS;
    known 0x1865 PrintLine2;
    known 0x1883 PrintLine;
    /// Prints OS message `msgno` at PrintXY cell (x, y).
    bind 0x18EC PrintXY_2(mode: i32, x: i32, y: i32, msgno: i32, color: i32);
    /// Prints in the 18x24 font at cell (x, y); the first two bytes of text are skipped.
    bind 0x18F9 PrintXY(x: i32, y: i32, text: *const u8, mode: i32, color: i32);
    known 0x1906 Bdisp_WriteSystemMessage;
    known 0x1945 APP_Program;
    /// Opens the Run-Matrix application.
    bind 0x1A03 APP_RUNMAT(p1: i32, p2: i32);
    /// Draws a scrollbar described by a scrollbar record.
    bind 0x1A0A Scrollbar(scrollbar: *const u8);
    /// Current stack pointer.
    bind 0x1A2C GetStackPtr() -> *mut u8;
    known 0x1B0E Test1B0E;
    /// Waits ms milliseconds.
    bind 0x1BB4 OS_InnerWait_ms(ms: i32);
    known 0x1BB7 Serial_Open;
    known 0x1BB8 Serial_Close;
    known 0x1BB9 Serial_ReadSingle;
    known 0x1BBA Serial_Read;
    known 0x1BBB Serial_Peek;
    known 0x1BBC Serial_WriteSingle;
    known 0x1BBD Serial_WriteUnbuffered;
    known 0x1BBE Serial_Write;
    known 0x1BBF Serial_PollRX;
    known 0x1BC0 Serial_PollTX;
    known 0x1BC1 Serial_ClearRX;
    known 0x1BC2 Serial_ClearTX;
    known 0x1BC6 Serial_IsOpen;
    /// Sets the status bar's text.
    bind 0x1D77 DefineStatusMessage(message: *const u8, p2: i16, color: u8, p4: u8);
    known 0x1D7B DefineStatusGlyph;
    known 0x1D7F EnableDisplayHeader;
    /// Draws the 24-pixel status bar.
    bind 0x1D81 DisplayStatusArea();
    known 0x1D82 Bdisp_HeaderText;
    known 0x1D85 Bdisp_HeaderText2;
    known 0x1D86 Bdisp_HeaderFill;
    known 0x1D87 Bdisp_HeaderFill2;
    known 0x1D89 BatteryIcon;
    known 0x1D8A KeyboardIcon;
    known 0x1D8B RadIcon;
    known 0x1D8C RealIcon;
    known 0x1D8D NormIcon;
    known 0x1D8E d_c_Icon;
    known 0x1D8F LineIcon;
    /// Opens a file; returns a handle or a negative error.
    bind 0x1DA3 Bfile_OpenFile_OS(name: *const u16, mode: i32, zero: i32) -> i32;
    /// Closes a file handle.
    bind 0x1DA4 Bfile_CloseFile_OS(handle: i32) -> i32;
    /// Free bytes in storage memory.
    bind 0x1DA5 Bfile_GetMediaFree_OS(media: *const u16, free: *mut i32) -> i32;
    /// Returns the size of an open file.
    bind 0x1DA6 Bfile_GetFileSize_OS(handle: i32) -> i32;
    /// Moves to an absolute position.
    bind 0x1DA9 Bfile_SeekFile_OS(handle: i32, position: i32) -> i32;
    known 0x1DAA Bfile_GetBlockAddress;
    /// Returns the current position.
    bind 0x1DAB Bfile_TellFile_OS(handle: i32) -> i32;
    /// Reads; position -1 reads at the current position.
    bind 0x1DAC Bfile_ReadFile_OS(handle: i32, buffer: *mut u8, size: i32, position: i32) -> i32;
    /// Creates a file (mode 1, given size) or folder (mode 5).
    bind 0x1DAE Bfile_CreateEntry_OS(name: *const u16, mode: i32, size: *mut u32) -> i32;
    /// Writes at the current position.
    bind 0x1DAF Bfile_WriteFile_OS(handle: i32, buffer: *const u8, size: i32) -> i32;
    /// Renames an entry; fails if the target exists.
    bind 0x1DB3 Bfile_RenameEntry(old: *const u16, new: *const u16) -> i32;
    /// Deletes a file or empty folder.
    bind 0x1DB4 Bfile_DeleteEntry(name: *const u16) -> i32;
    /// Starts a directory listing.
    bind 0x1DB6 Bfile_FindFirst_NON_SMEM(pattern: *const u16, handle: *mut i32, found: *mut u16, info: *mut u8) -> i32;
    known 0x1DB7 Bfile_FindFirst;
    /// Next directory entry; 0 while entries remain.
    bind 0x1DB8 Bfile_FindNext_NON_SMEM(handle: i32, found: *mut u16, info: *mut u8) -> i32;
    known 0x1DB9 Bfile_FindNext;
    /// Ends a directory listing.
    bind 0x1DBA Bfile_FindClose(handle: i32) -> i32;
    /// Copies memory; returns dest (older SDKs' memcpy).
    bind 0x1DD0 sys_memcpy(dest: *mut u8, src: *const u8, length: u32) -> *mut u8;
    known 0x1DD1 sys_memcmp;
    /// 1 when a 16-bit file name matches a mask with * and ?.
    bind 0x1DDA Bfile_Name_MatchMask(mask: *const u16, name: *const u16) -> i32;
    known 0x1DDB Bfile_NameToStr_ncpy;
    known 0x1DDC Bfile_StrToName_ncpy;
    known 0x1E05 APP_SYSTEM_POWER;
    known 0x1E07 APP_SYSTEM_BATTERY;
    known 0x1E0A APP_SYSTEM_DISPLAY;
    known 0x1E0D APP_SYSTEM_LANGUAGE;
    known 0x1E13 APP_SYSTEM;
    known 0x1E17 APP_SYSTEM_RESET;
    known 0x1E23 ResetAllDialog;
    known 0x1E34 APP_SYSTEM_VERSION;
    known 0x1E44 Test1E44;
    known 0x1E4B DisplayMessageBox;
    /// Returns the buffer used by SaveVRAM_1/LoadVRAM_1.
    bind 0x1E50 GetSecondaryVRAMAddress() -> *mut u16;
    known 0x1E60 SpecialMatrixcodeProcessing;
    /// Saves VRAM to the secondary buffer.
    bind 0x1E62 SaveVRAM_1();
    /// Restores VRAM from the secondary buffer.
    bind 0x1E63 LoadVRAM_1();
    known 0x1E6A DisplayMainMenu;
    /// Called when the user leaves through the main menu.
    bind 0x1E6E SetQuitHandler(handler: extern "C" fn());
    /// Sets the auto power-off delay in minutes.
    bind 0x1E90 SetAutoPowerOffTime(minutes: i32);
    /// Auto power-off delay in minutes.
    bind 0x1E91 GetAutoPowerOffTime() -> i32;
    /// 1 when MENU may leave the add-in, 0 when locked.
    bind 0x1E99 GetGetkeyToMainFunctionReturnFlag() -> i32;
    known 0x1E9F GetAppName;
    /// Lets MENU in GetKey open the main menu again.
    bind 0x1EA6 EnableGetkeyToMainFunctionReturn();
    /// Stops MENU in GetKey from leaving the add-in.
    bind 0x1EA7 DisableGetkeyToMainFunctionReturn();
    known 0x1ED9 USB_IsOpen;
    known 0x1EDA USB_WriteSingle;
    known 0x1EDB USB_Write;
    known 0x1EDD USB_ReadSingle;
    known 0x1EDE USB_Read;
    known 0x1EDF USB_Peek;
    known 0x1EE0 USB_PollRX;
    known 0x1EE1 USB_PollTX;
    known 0x1EE2 USB_ClearRX;
    known 0x1EE3 USB_ClearTX;
    known 0x1EF7 WriteBackground;
    /// Chooses the OS application background image.
    bind 0x1EF8 SetBackGround(image: i32);
    /// Frees OS-heap memory.
    bind 0x1F42 sys_free(pointer: *mut u8);
    /// Allocates from the OS heap (about 128 KiB), or returns null.
    bind 0x1F44 sys_malloc(size: i32) -> *mut u8;
    /// Resizes OS-heap memory (does not always keep the contents).
    bind 0x1F46 sys_realloc(pointer: *mut u8, size: i32) -> *mut u8;
    /// Emulator only: appends bytes to the debug channel.
    bind 0x7F00 Emu_DebugWrite(buffer: *const u8, length: i32) -> i32;
    /// Emulator only: ends the run with an exit code.
    bind 0x7F01 Emu_Exit(code: i32);
    /// Emulator only: returns 1 (a calculator has no such syscall).
    known 0x7F02 Emu_Present() -> i32;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_sorted_and_unique() {
        for pair in SYSCALLS.windows(2) {
            assert!(
                pair[0].number < pair[1].number,
                "{} / {}",
                pair[0].name,
                pair[1].name
            );
        }
    }

    #[test]
    fn names_are_unique_identifiers() {
        for (index, call) in SYSCALLS.iter().enumerate() {
            assert!(!call.name.is_empty());
            assert!(call
                .name
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'_'));
            assert!(!call.name.as_bytes()[0].is_ascii_digit());
            for other in &SYSCALLS[index + 1..] {
                assert_ne!(call.name, other.name);
            }
        }
    }

    #[test]
    fn bound_syscalls_have_a_signature_and_a_doc_line() {
        let bound = SYSCALLS
            .iter()
            .filter(|call| call.binding == Binding::Bound);
        for call in bound {
            let signature = call.signature.unwrap_or_else(|| panic!("{}", call.name));
            assert!(signature.starts_with('('), "{signature}");
            assert!(!call.doc.trim().is_empty(), "{}", call.name);
            assert!(!call.doc.contains('\n'), "{}", call.name);
        }
    }

    #[test]
    fn constants_lookups_and_signatures_agree() {
        assert_eq!(GetKey, 0x0EAB);
        assert_eq!(name_of(GetKey), Some("GetKey"));
        assert_eq!(number_of("PrintXY"), Some(0x18F9));
        assert_eq!(name_of(0x4321), None);
        assert_eq!(number_of("NoSuchCall"), None);
        let get_key = lookup(GetKey).unwrap();
        assert_eq!(get_key.binding, Binding::Bound);
        assert_eq!(get_key.signature, Some("(key: *mut i32) -> i32"));
        assert_eq!(lookup(Emu_Present).unwrap().binding, Binding::Known);
        assert_eq!(
            lookup(Alpha_GetData).unwrap().signature,
            Some("(name: i32, value: *mut u8)")
        );
        assert_eq!(lookup(Test01A8).unwrap().signature, None);
        assert_eq!(lookup(Bdisp_AllClr_VRAM).unwrap().signature, Some("()"));
        // 278 libfxcg stubs (less 5 second names of one number), 0x0029 and
        // three emulator-only syscalls.
        // Plus memcpy and memset, which add-ins built with older SDKs call.
        assert_eq!(SYSCALLS.len(), 278 - 5 + 1 + 3 + 2);
    }
}
