//! The memory map an add-in sees (platform facts §2): where its image and
//! RAM are, the stack, VRAM, the syscall entry and the hardware registers
//! the toolkit touches. Addresses are `u32`: the calculator's pointers.

/// Where the OS maps the add-in's code image (the g3a payload); the first
/// byte is the entry point.
pub const ADDIN_ROM_BASE: u32 = 0x0030_0000;
/// Largest add-in image: the 2 MiB ROM window.
pub const ADDIN_ROM_SIZE: u32 = 2 * 1024 * 1024;

/// The add-in's RAM (`.data`, `.bss`), virtual address.
pub const ADDIN_RAM_BASE: u32 = 0x0810_0000;
/// Size of the add-in's RAM (512 KiB).
pub const ADDIN_RAM_SIZE: u32 = 0x0008_0000;
/// The same RAM through its physical P1 alias.
pub const ADDIN_RAM_P1: u32 = 0x8816_0000;
/// Initial stack pointer of an add-in: the top of its RAM, P1 alias (the
/// stack grows down towards the static data).
pub const STACK_TOP: u32 = ADDIN_RAM_P1 + ADDIN_RAM_SIZE;

/// The OS heap of `sys_malloc` & co. (P1).
pub const OS_HEAP_BASE: u32 = 0x881E_0000;
/// Size of the OS heap (128 KiB).
pub const OS_HEAP_SIZE: u32 = 0x0002_0000;

/// The OS's syscall dispatcher: jump here with the number in r0.
pub const SYSCALL_ENTRY: u32 = 0x8002_0070;

/// Screen width in pixels.
pub const SCREEN_WIDTH: usize = 384;
/// Screen height in pixels.
pub const SCREEN_HEIGHT: usize = 216;
/// Bytes of VRAM: one RGB565 word per pixel.
pub const VRAM_SIZE: u32 = (SCREEN_WIDTH * SCREEN_HEIGHT * 2) as u32;
/// VRAM on the fx-CG 10 and 20 (what `GetVRAMAddress` returns there).
pub const VRAM_CG10_20: u32 = 0xA800_0000;
/// VRAM on the fx-CG 50.
pub const VRAM_CG50: u32 = 0xAC00_0000;

/// The model bytes that tell the fx-CG 10 from the fx-CG 20 (platform
/// facts §2.6).
pub const MODEL_BYTE_ADDRESSES: [u32; 2] = [0x8000_0303, 0x8000_0305];
/// The OS name (8 bytes).
pub const OS_NAME_ADDRESS: u32 = 0x8002_0000;
/// The OS name the project's emulator stores at [`OS_NAME_ADDRESS`]: how
/// an add-in knows the emulator's debug syscalls (0x7Fxx) exist.
pub const EMULATOR_OS_NAME: [u8; 8] = *b"PRIZMEMU";
/// The OS version string (`MM.mm.pppp`).
pub const OS_VERSION_ADDRESS: u32 = 0x8002_0020;
/// The 8-byte unique device ID.
pub const DEVICE_ID_ADDRESS: u32 = 0x8001_FFD0;
/// The OS's build date in the OS image: 14 characters (platform facts
/// §2.7).
pub const OS_DATE_ADDRESS: u32 = 0x80B5_FFE0;
/// The user-information area of the OS image (owner record; erased flash
/// reads 0xFF).
pub const USER_INFO_ADDRESS: u32 = 0x80BE_0000;

/// The LCD controller's data register: 16-bit reads and writes reach the
/// register `Bdisp_DDRegisterSelect` chose.
pub const LCD_DATA: u32 = 0xB400_0000;
/// The LCD controller register holding the backlight level + 6.
pub const LCD_BACKLIGHT_REGISTER: u16 = 0x5A1;
/// Port P11's data register: a byte telling batteries from USB power
/// (platform facts §3.9).
pub const POWER_SOURCE_PORT: u32 = 0xA405_0162;
/// RS memory: on-chip RAM where the OS keeps variables.
pub const RS_MEMORY: u32 = 0xFD80_0000;

/// The keyboard scanner's (KEYSC) key-state words: six 16-bit words.
pub const KEYSC_BASE: u32 = 0xA44B_0000;
/// The real-time clock's registers (see [`crate::calendar::rtc`]).
pub const RTC_BASE: u32 = 0xA413_FEC0;
/// FRQCR, the clock-pulse generator's frequency control register.
pub const FRQCR: u32 = 0xA415_0000;
/// The CPU clock at the default PLL setting (×16).
pub const CPU_HZ: u32 = 58_000_000;

/// On-chip X RAM (8 KiB).
pub const ONCHIP_X_RAM: u32 = 0xE500_7000;
/// On-chip Y RAM (8 KiB; cleared at power-off).
pub const ONCHIP_Y_RAM: u32 = 0xE501_7000;
/// Size of the X and Y RAMs each.
pub const ONCHIP_XY_SIZE: u32 = 8 * 1024;
/// On-chip IL RAM (4 KiB).
pub const ONCHIP_IL_RAM: u32 = 0xE520_0000;
/// Size of the IL RAM.
pub const ONCHIP_IL_SIZE: u32 = 4 * 1024;

// The regions do not overlap, and the stack starts where the OS heap ends
// (checked at compile time).
const _: () = {
    assert!(STACK_TOP == 0x881E_0000);
    assert!(STACK_TOP == OS_HEAP_BASE);
    assert!(VRAM_SIZE == 0x2_8800);
    assert!(ADDIN_ROM_BASE + ADDIN_ROM_SIZE <= ADDIN_RAM_BASE);
    assert!(ONCHIP_X_RAM + ONCHIP_XY_SIZE <= ONCHIP_Y_RAM);
};
