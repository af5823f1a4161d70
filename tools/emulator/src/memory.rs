//! The memory map an add-in sees, implementing the CPU's [`Bus`].
//!
//! | Address | What | Notes |
//! |---|---|---|
//! | `0x00300000` + image length | the add-in image (g3a payload / ELF `PT_LOAD` bytes) | read-only, up to 2 MiB |
//! | `0x08100000`–`0x0817FFFF` | the 512 KiB add-in RAM (virtual) | `.data`, `.bss`, arena |
//! | `0x88160000`–`0x881DFFFF` | the same RAM, physical P1 (P2: `0xA8160000`…) | the stack starts at `0x881E0000` and grows down |
//! | `0x881E0000`–`0x881FFFFF` | the OS heap (128 KiB) | served by `sys_malloc` & co. |
//! | `0xA8000000`–`0xA80287FF` | VRAM, 384×216 RGB565 big-endian (P1 alias `0x88000000`) | |
//! | `0xA8028800`–`0xA8050FFF` | the secondary VRAM of `SaveVRAM_1`/`LoadVRAM_1` | |
//! | `0x80000000`…, `0x8001F000`…, `0x80020000`… | three read-only pages of "flash" with system information (also at `0xA0000000`…) | model bytes, device ID, OS name and version |
//! | `0x00000000`–`0x00000FFF` | the first flash page again, read-only | add-ins read low addresses such as `0x18` harmlessly on the calculator, where area 0 is the flash (inference) |
//! | `0x80B5F000`… | the OS image's system-information page: the OS date (14 characters) at `0x80B5FFE0` | synthetic |
//! | `0x80BE0000`–`0x80BFFFFF` | the user-information area: records of 0x40 bytes while the first byte is `0x0F`; erased (`0xFF`, no owner set) as on a calculator nobody registered | synthetic |
//! | `0x80E00000`… | the emulator's F-key label table: `GetFKeyPtr(id)` points at entry `id` (8 bytes: `"FK"`, id, 0) that `FKey_Display` draws | synthetic, emulator only |
//! | `0xFD800000`–`0xFD801FFF` | RS memory (OS variables: link-cable type at `0xFD8013E0`, F-key label colour at `0xFD8016AC`) | read/write, zero at power-on |
//! | `0xB4000000` | LCD controller data register: reads and writes go to the register `Bdisp_DDRegisterSelect` chose; register `0x5A1` holds the backlight level + 6 | 16/32-bit; other registers read as written (0 at first) |
//! | `0xA44B0000`–`0xA44B001F` | key matrix (KEYSC) data registers | 16-bit words |
//! | `0xA413FEC0`–`0xA413FEDF` | RTC registers, BCD | read-only here: writes are ignored |
//! | `0xA4150000` | FRQCR (reads as PLL ×16, 58 MHz) | writes ignored |
//! | `0xE5007000`, `0xE5017000`, `0xE5200000` | on-chip X/Y RAM (8 KiB each) and IL RAM (4 KiB) | |
//!
//! Everything else is unmapped: an access stops the run with a report.
//! The rest of the 2 MiB of physical RAM (the OS's own variables and stack)
//! is deliberately unmapped so that wild pointers are caught.
//!
//! **Fill pattern.** Add-in RAM, the heap and on-chip RAM start filled with
//! [`FILL_BYTE`] (`0xA5`, so an uninitialised pointer reads `0xA5A5A5A5`,
//! which is unmapped, and an uninitialised counter is conspicuously large).
//! VRAM and the secondary VRAM start white (`0xFFFF`).
//!
//! **Stack overflow.** The stack is addressed through the physical alias
//! (`SP` starts at `0x881E0000`), static data through the virtual one
//! (`0x081xxxxx`). When the end of static data is known (`__bss_end` from an
//! ELF, see [`Memory::set_stack_limit`]), a write through the physical
//! alias below it is refused with [`MemFault::Denied`] and reported as a
//! stack overflow into static data; an ELF with the allocator's arena
//! (`__arena_end`) gets that as its limit instead.

use prizm_platform::memory as platform;

use crate::cpu::{Bus, Decoded, MemFault};
use crate::model::Model;

/// What the stack limit protects, for reports.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StackLimit {
    /// `__bss_end` (or `--stack-limit`): static data lies below.
    StaticData,
    /// `__arena_end`: the crate's allocator arena lies below (the stack's
    /// room is `__stack_reserve`, see link.ld).
    Arena,
}

impl StackLimit {
    /// "static data" or "the allocator's arena".
    pub fn what(self) -> &'static str {
        match self {
            StackLimit::StaticData => "static data",
            StackLimit::Arena => "the allocator's arena",
        }
    }

    /// The symbol that marks the limit.
    pub fn symbol(self) -> &'static str {
        match self {
            StackLimit::StaticData => "__bss_end",
            StackLimit::Arena => "__arena_end",
        }
    }
}

// The platform's memory map, under the names the emulator uses.
pub use prizm_platform::memory::{
    ADDIN_RAM_P1, ADDIN_RAM_SIZE, FRQCR, KEYSC_BASE, RTC_BASE, SCREEN_HEIGHT, SCREEN_WIDTH,
    STACK_TOP, SYSCALL_ENTRY, VRAM_SIZE,
};
/// Where the add-in image is mapped.
pub const ROM_BASE: u32 = platform::ADDIN_ROM_BASE;
/// Largest add-in image (what newer OS versions load).
pub const ROM_MAX: usize = platform::ADDIN_ROM_SIZE as usize;
/// Add-in RAM, virtual address.
pub const ADDIN_RAM_VIRT: u32 = platform::ADDIN_RAM_BASE;
/// The OS heap (P1).
pub const HEAP_BASE: u32 = platform::OS_HEAP_BASE;
/// The OS heap size.
pub const HEAP_SIZE: u32 = platform::OS_HEAP_SIZE;
/// VRAM address returned by `GetVRAMAddress` (the emulated model is an
/// fx-CG 20).
pub const VRAM_ADDR: u32 = platform::VRAM_CG10_20;
/// The buffer of `SaveVRAM_1`/`LoadVRAM_1`, right after VRAM.
pub const SECONDARY_VRAM_ADDR: u32 = VRAM_ADDR + VRAM_SIZE;
/// The address put in PR when the add-in starts: reaching it means `main`
/// returned to the OS.
pub const OS_RETURN: u32 = 0x8002_1000;
/// Return address of calls the emulator makes into the add-in (timer
/// handlers, the quit handler).
pub const NESTED_RETURN: u32 = 0x8002_1010;
/// Value of every byte of RAM nobody has written yet.
pub const FILL_BYTE: u8 = 0xA5;
/// OS version string at `0x80020020` (fx-CG 10/20; see [`Model::os_version`]).
pub const OS_VERSION: &str = "02.02.0201";
/// Unique device ID at `0x8001FFD0`.
pub const DEVICE_ID: [u8; 8] = *b"EMU-0001";

/// Physical RAM: 2 MiB at physical `0x08000000`.
const RAM_SIZE: usize = 0x20_0000;
/// Offsets into physical RAM.
const VRAM_OFFSET: usize = 0;
const SECONDARY_VRAM_OFFSET: usize = VRAM_SIZE as usize;
const VIDEO_END: usize = SECONDARY_VRAM_OFFSET + VRAM_SIZE as usize;
const ADDIN_RAM_OFFSET: usize = 0x16_0000;
const HEAP_OFFSET: usize = 0x1E_0000;

const ONCHIP_X: u32 = platform::ONCHIP_X_RAM;
const ONCHIP_Y: u32 = platform::ONCHIP_Y_RAM;
const ONCHIP_IL: u32 = platform::ONCHIP_IL_RAM;
const ONCHIP_XY_SIZE: usize = platform::ONCHIP_XY_SIZE as usize;
const ONCHIP_IL_SIZE: usize = platform::ONCHIP_IL_SIZE as usize;

/// Where an address lands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Loc {
    Rom(usize),
    Ram(usize),
    Flash(u32),
    Io(u32),
    OnChipX(usize),
    OnChipY(usize),
    OnChipIl(usize),
    RsMem(usize),
    Lcd,
}

/// Why the last [`MemFault::Denied`] was raised.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DenyReason {
    /// A stack write (through the physical RAM alias) below the end of static data.
    StackOverflow {
        /// The address written.
        addr: u32,
        /// The lowest address the stack may use (P1 form of `__bss_end`).
        limit: u32,
    },
}

/// Devices the machine layer refreshes between CPU slices.
#[derive(Debug, Clone, Default)]
pub struct Io {
    /// Key matrix words as the KEYSC registers show them.
    pub key_words: [u16; 16],
    /// Set when the add-in reads the key matrix (cleared by the machine).
    pub key_matrix_read: bool,
    /// The RTC register block (32 bytes from `0xA413FEC0`).
    pub rtc: [u8; 32],
    /// The first read below 0x1000 (a NULL pointer?), for a warning.
    pub low_read: Option<u32>,
    /// The LCD controller register `Bdisp_DDRegisterSelect` chose.
    pub lcd_selected: u16,
    /// LCD controller registers written so far (the backlight: [`LCD_BACKLIGHT_REGISTER`]).
    pub lcd_registers: std::collections::BTreeMap<u16, u32>,
}

pub use platform::{LCD_BACKLIGHT_REGISTER, LCD_DATA, RS_MEMORY};
/// Size of the emulated RS memory.
pub const RS_MEMORY_SIZE: usize = 0x2000;
/// The emulator's table of F-key labels (`GetFKeyPtr`).
pub const FKEY_TABLE: u32 = 0x80E0_0000;
/// Entries in the F-key table (ids 0..FKEY_IDS).
pub const FKEY_IDS: u32 = 0x600;
/// OS date at `0x80B5FFE0` (14 characters).
pub const OS_DATE: &[u8; 14] = b"2026.1123.1200";

/// Flash offsets from a P1/P2 address (the flash is 16 MiB at physical 0).
const FLASH_OFFSET_MASK: u32 = 0x00FF_FFFF;

/// The flash offset of the 4 KiB page holding `address`.
const fn flash_page(address: u32) -> u32 {
    address & FLASH_OFFSET_MASK & !0xFFF
}

/// Where `address` lies within its 4 KiB page.
const fn page_offset(address: u32) -> usize {
    (address & 0xFFF) as usize
}

impl Io {
    /// An LCD controller register: what was written, else its power-on
    /// value (the backlight at its brightest, level 249; the others 0).
    pub fn lcd_register(&self, register: u16) -> u32 {
        let power_on = if register == LCD_BACKLIGHT_REGISTER {
            249 + 6
        } else {
            0
        };
        self.lcd_registers
            .get(&register)
            .copied()
            .unwrap_or(power_on)
    }

    /// The backlight level the LCD controller holds (0..=249).
    pub fn backlight_level(&self) -> u32 {
        (self.lcd_register(LCD_BACKLIGHT_REGISTER) & 0xFF).saturating_sub(6)
    }
}

/// The add-in's memory.
pub struct Memory {
    rom: Vec<u8>,
    /// Every halfword of `rom` decoded once at load: instruction fetches
    /// from the add-in image (where nearly all code runs) skip the decode
    /// table and find neighbouring instructions in neighbouring entries.
    rom_code: Vec<Decoded>,
    ram: Vec<u8>,
    onchip_x: Vec<u8>,
    onchip_y: Vec<u8>,
    onchip_il: Vec<u8>,
    rs_memory: Vec<u8>,
    /// Read-only flash pages: (offset from 0x80000000, bytes).
    flash: Vec<(u32, Vec<u8>)>,
    /// Devices.
    pub io: Io,
    /// Stack writes below this P1 address are refused.
    stack_limit: Option<u32>,
    /// What lies below the stack limit and the symbol that marks it.
    stack_limit_label: StackLimit,
    /// Lowest P1 address written through the physical add-in RAM alias.
    stack_low_water: u32,
    /// Why the last access was denied.
    pub last_denied: Option<DenyReason>,
    /// The calculator model.
    model: Model,
    /// RAM's P1 top byte for this model (0x88, or 0x8C on the fx-CG 50).
    ram_top: u32,
}

impl std::fmt::Debug for Memory {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Memory")
            .field("rom_len", &self.rom.len())
            .field("stack_limit", &self.stack_limit)
            .finish_non_exhaustive()
    }
}

impl Memory {
    /// A memory map with `image` at [`ROM_BASE`] (truncated to [`ROM_MAX`]),
    /// of an fx-CG 20.
    pub fn new(image: &[u8]) -> Memory {
        Memory::with_model(image, Model::Cg20)
    }

    /// A memory map of `model` with `image` at [`ROM_BASE`].
    pub fn with_model(image: &[u8], model: Model) -> Memory {
        let mut rom = image.to_vec();
        rom.truncate(ROM_MAX);
        let mut ram = vec![FILL_BYTE; RAM_SIZE];
        ram[..VIDEO_END].fill(0xFF);
        let rom_code = rom
            .chunks_exact(2)
            .map(|pair| Decoded::new(u16::from_be_bytes([pair[0], pair[1]])))
            .collect();
        let mut memory = Memory {
            rom,
            rom_code,
            ram,
            onchip_x: vec![FILL_BYTE; ONCHIP_XY_SIZE],
            onchip_y: vec![FILL_BYTE; ONCHIP_XY_SIZE],
            onchip_il: vec![FILL_BYTE; ONCHIP_IL_SIZE],
            rs_memory: vec![0; RS_MEMORY_SIZE],
            flash: Vec::new(),
            io: Io::default(),
            stack_limit: None,
            stack_limit_label: StackLimit::StaticData,
            stack_low_water: STACK_TOP,
            last_denied: None,
            model,
            ram_top: 0x80 | model.ram_nibble(),
        };
        memory.build_flash();
        memory
    }

    /// The system-information pages of flash.
    fn build_flash(&mut self) {
        // Page 0x80000000: model information ("755D" = fx-CG 20, then 0xAA
        // at 0x80000305) and the bootloader name at 0x80000338.
        let mut page0 = vec![0xFF; 0x1000];
        page0[0x300..0x306].copy_from_slice(&self.model.board_bytes());
        page0[0x338..0x340].copy_from_slice(b"EMU-BOOT");
        // Page 0x8001F000: bootloader date and the device ID.
        let mut page1 = vec![0xFF; 0x1000];
        page1[0xFB0..0xFBE].copy_from_slice(b"2026.1123.1200");
        let id_at = page_offset(platform::DEVICE_ID_ADDRESS);
        page1[id_at..id_at + DEVICE_ID.len()].copy_from_slice(&DEVICE_ID);
        // Page 0x80020000: OS name and version; the syscall entry and the
        // emulator's return addresses live here too (as stops).
        let mut page2 = vec![0xFF; 0x1100];
        let name_at = page_offset(platform::OS_NAME_ADDRESS);
        page2[name_at..name_at + 8].copy_from_slice(&platform::EMULATOR_OS_NAME);
        let version = self.model.os_version();
        let version_at = page_offset(platform::OS_VERSION_ADDRESS);
        page2[version_at..version_at + version.len()].copy_from_slice(version.as_bytes());
        // The OS image's system-information page (OS date at 0x80B5FFE0)
        // and the erased user-information area.
        let mut os_info = vec![0xFF; 0x1000];
        let date_at = page_offset(platform::OS_DATE_ADDRESS);
        os_info[date_at..date_at + OS_DATE.len()].copy_from_slice(OS_DATE);
        let user_info = vec![0xFF; 0x2_0000];
        // The F-key label table: entry `id` is "FK", id, 0, 0, 0, 0.
        let mut fkeys = vec![0; (FKEY_IDS * 8) as usize];
        for id in 0..FKEY_IDS {
            let at = (id * 8) as usize;
            fkeys[at..at + 2].copy_from_slice(b"FK");
            fkeys[at + 2..at + 4].copy_from_slice(&(id as u16).to_be_bytes());
        }
        self.flash = vec![
            (0x0000_0000, page0),
            (flash_page(platform::DEVICE_ID_ADDRESS), page1),
            (flash_page(platform::OS_NAME_ADDRESS), page2),
            (flash_page(platform::OS_DATE_ADDRESS), os_info),
            (platform::USER_INFO_ADDRESS & FLASH_OFFSET_MASK, user_info),
            (FKEY_TABLE & FLASH_OFFSET_MASK, fkeys),
        ];
    }

    /// The calculator model.
    pub fn model(&self) -> Model {
        self.model
    }

    /// Stack writes (through the physical alias) below `limit` are refused.
    /// `limit` may be given in either the virtual (`0x081xxxxx`) or the
    /// physical form; `None` turns the check off.
    pub fn set_stack_limit(&mut self, limit: Option<u32>) {
        self.stack_limit = limit.map(to_physical_addin_address);
    }

    /// The stack limit in P1 form, if any.
    pub fn stack_limit(&self) -> Option<u32> {
        self.stack_limit
    }

    /// Says what lies below the stack limit (for reports).
    pub fn set_stack_limit_label(&mut self, label: StackLimit) {
        self.stack_limit_label = label;
    }

    /// What lies below the stack limit.
    pub fn stack_limit_label(&self) -> StackLimit {
        self.stack_limit_label
    }

    /// Lowest address written through the physical add-in RAM alias (the
    /// deepest the stack went, if the add-in keeps its data in the virtual
    /// window as linked).
    pub fn stack_low_water(&self) -> u32 {
        self.stack_low_water
    }

    /// Bytes of the add-in image.
    pub fn rom(&self) -> &[u8] {
        &self.rom
    }

    /// VRAM bytes (big-endian RGB565).
    pub fn vram(&self) -> &[u8] {
        &self.ram[VRAM_OFFSET..VRAM_OFFSET + VRAM_SIZE as usize]
    }

    /// VRAM bytes, writable.
    pub fn vram_mut(&mut self) -> &mut [u8] {
        &mut self.ram[VRAM_OFFSET..VRAM_OFFSET + VRAM_SIZE as usize]
    }

    /// VRAM and the secondary VRAM at once.
    pub fn vram_and_secondary_mut(&mut self) -> (&mut [u8], &mut [u8]) {
        let (vram, rest) = self.ram[VRAM_OFFSET..VIDEO_END].split_at_mut(VRAM_SIZE as usize);
        (vram, rest)
    }

    #[inline]
    fn resolve(&self, addr: u32, size: u32) -> Option<Loc> {
        let size = size as usize;
        match addr >> 24 {
            0x00 => {
                let offset = addr.wrapping_sub(ROM_BASE) as usize;
                if addr >= ROM_BASE {
                    (offset + size <= self.rom.len()).then_some(Loc::Rom(offset))
                } else {
                    (addr as usize + size <= 0x1000).then_some(Loc::Flash(addr))
                }
            }
            0x08 | 0x88 | 0xA8 | 0x8C | 0xAC => self.ram_offset(addr, size).map(Loc::Ram),
            0x80 | 0xA0 => {
                let offset = addr & FLASH_OFFSET_MASK;
                self.flash
                    .iter()
                    .any(|(start, bytes)| {
                        offset >= *start && (offset - start) as usize + size <= bytes.len()
                    })
                    .then_some(Loc::Flash(offset))
            }
            0xA4 => {
                let keysc =
                    addr >= KEYSC_BASE && addr as usize + size <= KEYSC_BASE as usize + 0x20;
                let rtc = addr >= RTC_BASE && addr as usize + size <= RTC_BASE as usize + 0x20;
                let frqcr = addr == FRQCR && size == 4;
                let port = addr == platform::POWER_SOURCE_PORT && size == 1;
                (keysc || rtc || frqcr || port).then_some(Loc::Io(addr))
            }
            0xB4 => (addr == LCD_DATA && (size == 2 || size == 4)).then_some(Loc::Lcd),
            0xFD => {
                let offset = addr.wrapping_sub(RS_MEMORY) as usize;
                (addr >= RS_MEMORY && offset + size <= RS_MEMORY_SIZE).then_some(Loc::RsMem(offset))
            }
            0xE5 => {
                let within =
                    |base: u32, len: usize| addr >= base && (addr - base) as usize + size <= len;
                if within(ONCHIP_X, ONCHIP_XY_SIZE) {
                    Some(Loc::OnChipX((addr - ONCHIP_X) as usize))
                } else if within(ONCHIP_Y, ONCHIP_XY_SIZE) {
                    Some(Loc::OnChipY((addr - ONCHIP_Y) as usize))
                } else if within(ONCHIP_IL, ONCHIP_IL_SIZE) {
                    Some(Loc::OnChipIl((addr - ONCHIP_IL) as usize))
                } else {
                    None
                }
            }
            _ => None,
        }
    }

    fn flash_bytes(&self, offset: u32, size: usize) -> &[u8] {
        for (start, bytes) in &self.flash {
            if offset >= *start && (offset - start) as usize + size <= bytes.len() {
                let at = (offset - start) as usize;
                return &bytes[at..at + size];
            }
        }
        &[]
    }

    fn io_read(&mut self, addr: u32, size: usize) -> u32 {
        let mut bytes = [0u8; 4];
        if (KEYSC_BASE..KEYSC_BASE + 0x20).contains(&addr) {
            self.io.key_matrix_read = true;
            let mut all = [0u8; 32];
            for (i, word) in self.io.key_words.iter().enumerate() {
                all[2 * i..2 * i + 2].copy_from_slice(&word.to_be_bytes());
            }
            let at = (addr - KEYSC_BASE) as usize;
            bytes[..size].copy_from_slice(&all[at..at + size]);
        } else if (RTC_BASE..RTC_BASE + 0x20).contains(&addr) {
            let at = (addr - RTC_BASE) as usize;
            bytes[..size].copy_from_slice(&self.io.rtc[at..at + size]);
        } else if addr == FRQCR {
            // PLL multiplier field (bits 24..29) = 16 - 1: 58 MHz.
            return 0x0F10_2203;
        }
        be(&bytes[..size])
    }

    /// Reads `size` (1, 2 or 4) bytes.
    #[inline]
    fn read(&mut self, addr: u32, size: u32) -> Result<u32, MemFault> {
        let s = size as usize;
        let value = match self.resolve(addr, size) {
            Some(Loc::Rom(o)) => be(&self.rom[o..o + s]),
            Some(Loc::Ram(o)) => be(&self.ram[o..o + s]),
            Some(Loc::OnChipX(o)) => be(&self.onchip_x[o..o + s]),
            Some(Loc::OnChipY(o)) => be(&self.onchip_y[o..o + s]),
            Some(Loc::OnChipIl(o)) => be(&self.onchip_il[o..o + s]),
            Some(Loc::Flash(o)) => {
                if addr < 0x1000 && self.io.low_read.is_none() {
                    self.io.low_read = Some(addr);
                }
                be(self.flash_bytes(o, s))
            }
            Some(Loc::Io(a)) => self.io_read(a, s),
            Some(Loc::RsMem(o)) => be(&self.rs_memory[o..o + s]),
            Some(Loc::Lcd) => {
                let value = self.io.lcd_register(self.io.lcd_selected);
                if s == 2 {
                    value & 0xFFFF
                } else {
                    value
                }
            }
            None => {
                return Err(MemFault::Unmapped {
                    addr,
                    write: false,
                    size: size as u8,
                });
            }
        };
        Ok(value)
    }

    /// Writes the low `size` bytes of `value`.
    #[inline]
    fn write(&mut self, addr: u32, size: u32, value: u32) -> Result<(), MemFault> {
        let s = size as usize;
        match self.resolve(addr, size) {
            Some(Loc::Ram(o)) => return self.write_ram(addr, o, s, value),
            Some(Loc::OnChipX(o)) => put_be(&mut self.onchip_x[o..o + s], value),
            Some(Loc::OnChipY(o)) => put_be(&mut self.onchip_y[o..o + s], value),
            Some(Loc::OnChipIl(o)) => put_be(&mut self.onchip_il[o..o + s], value),
            Some(Loc::RsMem(o)) => put_be(&mut self.rs_memory[o..o + s], value),
            Some(Loc::Lcd) => {
                let selected = self.io.lcd_selected;
                self.io.lcd_registers.insert(selected, value);
            }
            Some(Loc::Rom(_)) | Some(Loc::Flash(_)) => {
                return Err(MemFault::ReadOnly {
                    addr,
                    size: size as u8,
                });
            }
            // Device registers: writes are accepted and ignored.
            Some(Loc::Io(_)) => {}
            None => {
                return Err(MemFault::Unmapped {
                    addr,
                    write: true,
                    size: size as u8,
                })
            }
        }
        Ok(())
    }

    /// Reads `len` bytes for the OS (syscall arguments).
    pub fn read_bytes(&mut self, addr: u32, len: usize) -> Result<Vec<u8>, MemFault> {
        let mut out = Vec::with_capacity(len.min(1 << 20));
        if let Some(slice) = self.contiguous(addr, len) {
            out.extend_from_slice(slice);
            return Ok(out);
        }
        for i in 0..len {
            out.push(self.read8(addr.wrapping_add(i as u32))?);
        }
        Ok(out)
    }

    /// Writes bytes for the OS (syscall results), with the same checks as
    /// the CPU's writes.
    pub fn write_bytes(&mut self, addr: u32, data: &[u8]) -> Result<(), MemFault> {
        // Fast path: plain RAM through the virtual window or the heap/VRAM.
        if let Some(Loc::Ram(o)) = self.resolve(addr, data.len().max(1) as u32) {
            let stack_alias =
                addr >> 24 != 0x08 && o < HEAP_OFFSET && o + data.len() > ADDIN_RAM_OFFSET;
            let p1 = 0x8800_0000 | o.max(ADDIN_RAM_OFFSET) as u32;
            let allowed = !stack_alias || self.stack_limit.is_none_or(|limit| p1 >= limit);
            if allowed && o + data.len() <= RAM_SIZE {
                if stack_alias {
                    self.stack_low_water = self.stack_low_water.min(p1);
                }
                self.ram[o..o + data.len()].copy_from_slice(data);
                return Ok(());
            }
        }
        for (i, byte) in data.iter().enumerate() {
            self.write8(addr.wrapping_add(i as u32), *byte)?;
        }
        Ok(())
    }

    /// A slice of RAM/ROM covering `[addr, addr+len)` if it lies in one region.
    fn contiguous(&self, addr: u32, len: usize) -> Option<&[u8]> {
        if len == 0 || len > u32::MAX as usize {
            return None;
        }
        match self.resolve(addr, len as u32)? {
            Loc::Rom(o) => self.rom.get(o..o + len),
            Loc::Ram(o) => self.ram.get(o..o + len),
            _ => None,
        }
    }

    /// Reads a NUL-terminated byte string of at most `max` bytes (without the NUL).
    pub fn read_cstring(&mut self, addr: u32, max: usize) -> Result<Vec<u8>, MemFault> {
        let mut out = Vec::new();
        for i in 0..max {
            let byte = self.read8(addr.wrapping_add(i as u32))?;
            if byte == 0 {
                break;
            }
            out.push(byte);
        }
        Ok(out)
    }

    /// Reads a NUL-terminated string of 16-bit units (at most `max` units).
    pub fn read_u16_string(&mut self, addr: u32, max: usize) -> Result<Vec<u16>, MemFault> {
        let mut out = Vec::new();
        for i in 0..max {
            let unit = self.read16(addr.wrapping_add(2 * i as u32))?;
            if unit == 0 {
                break;
            }
            out.push(unit);
        }
        Ok(out)
    }

    /// Debugger read: no side effects, `None` when unmapped.
    pub fn peek(&self, addr: u32) -> Option<u8> {
        Some(match self.resolve(addr, 1)? {
            Loc::Rom(o) => self.rom[o],
            Loc::Ram(o) => self.ram[o],
            Loc::OnChipX(o) => self.onchip_x[o],
            Loc::OnChipY(o) => self.onchip_y[o],
            Loc::OnChipIl(o) => self.onchip_il[o],
            Loc::Flash(o) => self.flash_bytes(o, 1).first().copied().unwrap_or(0xFF),
            Loc::RsMem(o) => self.rs_memory[o],
            Loc::Io(_) | Loc::Lcd => 0,
        })
    }

    /// Debugger write: may patch the add-in image; `false` when unmapped.
    pub fn poke(&mut self, addr: u32, value: u8) -> bool {
        match self.resolve(addr, 1) {
            Some(Loc::Rom(o)) => {
                self.rom[o] = value;
                let even = o & !1;
                if let (Some(pair), Some(code)) = (
                    self.rom.get(even..even + 2),
                    self.rom_code.get_mut(even / 2),
                ) {
                    *code = Decoded::new(u16::from_be_bytes([pair[0], pair[1]]));
                }
            }
            Some(Loc::Ram(o)) => self.ram[o] = value,
            Some(Loc::OnChipX(o)) => self.onchip_x[o] = value,
            Some(Loc::OnChipY(o)) => self.onchip_y[o] = value,
            Some(Loc::OnChipIl(o)) => self.onchip_il[o] = value,
            Some(Loc::RsMem(o)) => self.rs_memory[o] = value,
            _ => return false,
        }
        true
    }

    /// Fills a heap range with the fill pattern (freed blocks).
    pub fn fill_heap(&mut self, addr: u32, len: usize) {
        let start = (addr.wrapping_sub(HEAP_BASE)) as usize;
        if start < HEAP_SIZE as usize {
            let end = (start + len).min(HEAP_SIZE as usize);
            self.ram[HEAP_OFFSET + start..HEAP_OFFSET + end].fill(FILL_BYTE);
        }
    }

    /// Copies within the heap (used by `sys_realloc`).
    pub fn copy_heap(&mut self, from: u32, to: u32, len: usize) {
        let from = from.wrapping_sub(HEAP_BASE) as usize;
        let to = to.wrapping_sub(HEAP_BASE) as usize;
        let heap = HEAP_SIZE as usize;
        if from < heap && to < heap {
            let len = len.min(heap - from).min(heap - to);
            self.ram.copy_within(
                HEAP_OFFSET + from..HEAP_OFFSET + from + len,
                HEAP_OFFSET + to,
            );
        }
    }
}

/// Converts a virtual add-in RAM address (`0x081xxxxx`) to its P1 form;
/// other addresses pass through with P2 folded onto P1 (and the fx-CG 50's
/// `0x8C`/`0xAC` window onto the internal `0x88` one).
pub fn to_physical_addin_address(addr: u32) -> u32 {
    if (ADDIN_RAM_VIRT..ADDIN_RAM_VIRT + ADDIN_RAM_SIZE).contains(&addr) {
        ADDIN_RAM_P1 + (addr - ADDIN_RAM_VIRT)
    } else if matches!(addr >> 24, 0xA8 | 0xAC | 0x8C) {
        // P2 to P1; the fx-CG 50's window to the internal (fx-CG 10/20) one.
        (addr & !0x2000_0000) & !0x0400_0000
    } else {
        addr
    }
}

#[inline]
fn be(bytes: &[u8]) -> u32 {
    match *bytes {
        [a] => u32::from(a),
        [a, b] => u32::from(u16::from_be_bytes([a, b])),
        [a, b, c, d] => u32::from_be_bytes([a, b, c, d]),
        _ => bytes.iter().fold(0u32, |acc, b| (acc << 8) | u32::from(*b)),
    }
}

/// Stores the low `dest.len()` (1, 2 or 4) bytes of `value` big-endian.
#[inline]
fn put_be(dest: &mut [u8], value: u32) {
    match dest.len() {
        1 => dest[0] = value as u8,
        2 => dest.copy_from_slice(&(value as u16).to_be_bytes()),
        4 => dest.copy_from_slice(&value.to_be_bytes()),
        n => {
            for (i, byte) in dest.iter_mut().enumerate() {
                *byte = (value >> (8 * (n - 1 - i))) as u8;
            }
        }
    }
}

impl Memory {
    /// Offset into `ram` of an access that lies wholly in RAM: the virtual
    /// add-in RAM window (0x08100000..0x08180000) and, through the P1/P2
    /// aliases, VRAM, the add-in RAM with the stack, and the OS heap. The
    /// CPU's accesses try this first; everything else takes `resolve`.
    #[inline(always)]
    fn ram_offset(&self, addr: u32, size: usize) -> Option<usize> {
        match addr >> 24 {
            0x08 => {
                let offset = addr.wrapping_sub(ADDIN_RAM_VIRT) as usize;
                (offset + size <= ADDIN_RAM_SIZE as usize).then_some(ADDIN_RAM_OFFSET + offset)
            }
            // P1 or P2 of this model's RAM (0x88/0xA8, or 0x8C/0xAC on the fx-CG 50).
            top if top & 0xDF == self.ram_top => {
                let offset = (addr & 0x00FF_FFFF) as usize;
                let addin = offset >= ADDIN_RAM_OFFSET && offset + size <= RAM_SIZE;
                (addin || offset + size <= VIDEO_END).then_some(offset)
            }
            _ => None,
        }
    }

    /// Writes `size` bytes at `ram[o..]` for an access to `addr`. Writes
    /// through the physical alias of the add-in RAM are the stack's: they
    /// move its low-water mark, and below the stack limit they are refused.
    #[inline(always)]
    fn write_ram(&mut self, addr: u32, o: usize, size: usize, value: u32) -> Result<(), MemFault> {
        if addr >> 24 != 0x08 && (ADDIN_RAM_OFFSET..HEAP_OFFSET).contains(&o) {
            let p1 = 0x8800_0000 | o as u32;
            if let Some(limit) = self.stack_limit.filter(|&limit| p1 < limit) {
                self.last_denied = Some(DenyReason::StackOverflow { addr, limit });
                return Err(MemFault::Denied {
                    addr,
                    write: true,
                    size: size as u8,
                });
            }
            self.stack_low_water = self.stack_low_water.min(p1);
        }
        put_be(&mut self.ram[o..o + size], value);
        Ok(())
    }

    /// A CPU write: RAM directly, anything else through `write`.
    #[inline(always)]
    fn write_fast(&mut self, addr: u32, size: usize, value: u32) -> Result<(), MemFault> {
        match self.ram_offset(addr, size) {
            Some(o) => self.write_ram(addr, o, size, value),
            None => self.write(addr, size as u32, value),
        }
    }
}

impl Bus for Memory {
    #[inline]
    fn read8(&mut self, addr: u32) -> Result<u8, MemFault> {
        match self.ram_offset(addr, 1) {
            Some(o) => Ok(self.ram[o]),
            None => self.read(addr, 1).map(|v| v as u8),
        }
    }
    #[inline]
    fn read16(&mut self, addr: u32) -> Result<u16, MemFault> {
        match self.ram_offset(addr, 2) {
            Some(o) => Ok(u16::from_be_bytes([self.ram[o], self.ram[o + 1]])),
            None => self.read(addr, 2).map(|v| v as u16),
        }
    }
    #[inline]
    fn read32(&mut self, addr: u32) -> Result<u32, MemFault> {
        if let Some(o) = self.ram_offset(addr, 4) {
            let bytes = &self.ram[o..o + 4];
            return Ok(u32::from_be_bytes([bytes[0], bytes[1], bytes[2], bytes[3]]));
        }
        // Constants next to the code (mov.l @(disp,pc)).
        let offset = addr.wrapping_sub(ROM_BASE) as usize;
        if let Some(bytes) = self.rom.get(offset..offset.wrapping_add(4)) {
            return Ok(u32::from_be_bytes([bytes[0], bytes[1], bytes[2], bytes[3]]));
        }
        self.read(addr, 4)
    }
    #[inline]
    fn write8(&mut self, addr: u32, value: u8) -> Result<(), MemFault> {
        self.write_fast(addr, 1, u32::from(value))
    }
    #[inline]
    fn write16(&mut self, addr: u32, value: u16) -> Result<(), MemFault> {
        self.write_fast(addr, 2, u32::from(value))
    }
    #[inline]
    fn write32(&mut self, addr: u32, value: u32) -> Result<(), MemFault> {
        self.write_fast(addr, 4, value)
    }
    #[inline(always)]
    fn fetch_decoded(&mut self, addr: u32) -> Option<Decoded> {
        // An odd PC falls through to `fetch16`, which reports it.
        if addr & 1 != 0 {
            return None;
        }
        self.rom_code
            .get((addr.wrapping_sub(ROM_BASE) >> 1) as usize)
            .copied()
    }
    #[inline]
    fn fetch16(&mut self, addr: u32) -> Result<u16, MemFault> {
        let offset = addr.wrapping_sub(ROM_BASE) as usize;
        if offset + 1 < self.rom.len() {
            return Ok(u16::from_be_bytes([self.rom[offset], self.rom[offset + 1]]));
        }
        self.read16(addr)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn memory() -> Memory {
        Memory::new(&[0x12, 0x34, 0x56, 0x78, 0x9A, 0xBC])
    }

    #[test]
    fn rom_is_mapped_and_read_only() {
        let mut m = memory();
        assert_eq!(m.read32(ROM_BASE).unwrap(), 0x1234_5678);
        assert_eq!(m.fetch16(ROM_BASE + 4).unwrap(), 0x9ABC);
        assert_eq!(m.read8(ROM_BASE + 5).unwrap(), 0xBC);
        assert_eq!(
            m.write8(ROM_BASE, 0),
            Err(MemFault::ReadOnly {
                addr: ROM_BASE,
                size: 1
            })
        );
        // Past the image: unmapped, also for a word straddling the end.
        assert!(matches!(
            m.read8(ROM_BASE + 6),
            Err(MemFault::Unmapped { .. })
        ));
        assert!(matches!(
            m.read32(ROM_BASE + 4),
            Err(MemFault::Unmapped { .. })
        ));
        assert!(matches!(
            m.fetch16(ROM_BASE + 6),
            Err(MemFault::Unmapped { .. })
        ));
        assert!(matches!(
            m.read8(ROM_BASE - 1),
            Err(MemFault::Unmapped { .. })
        ));
    }

    #[test]
    fn os_image_regions_answer_reads_and_refuse_writes() {
        let mut m = memory();
        // Low addresses read the first flash page; writing them is refused.
        assert_eq!(m.read32(0x0000_0018).unwrap(), 0xFFFF_FFFF);
        assert_eq!(m.read8(0x0000_0303).unwrap(), b'D', "model bytes at 0x300");
        assert!(matches!(m.write8(0x18, 0), Err(MemFault::ReadOnly { .. })));
        assert!(matches!(m.read8(0x1000), Err(MemFault::Unmapped { .. })));
        // The OS date, the erased user-information area, the device ID.
        assert_eq!(
            m.read_bytes(platform::OS_DATE_ADDRESS, 14).unwrap(),
            OS_DATE
        );
        assert_eq!(m.read8(0x80BE_0000).unwrap(), 0xFF, "no owner record");
        assert_eq!(m.read8(0x80BF_FFFF).unwrap(), 0xFF);
        assert!(matches!(
            m.read8(0x80C0_0000),
            Err(MemFault::Unmapped { .. })
        ));
        assert_eq!(m.read_bytes(0x8001_FFD0, 8).unwrap(), DEVICE_ID);
        assert!(matches!(
            m.write8(0x80BE_0000, 0x0F),
            Err(MemFault::ReadOnly { .. })
        ));
        // F-key table entries.
        assert_eq!(m.read32(FKEY_TABLE + 0x43A * 8).unwrap(), 0x464B_043A);
    }

    #[test]
    fn the_cg50_has_its_ram_window_and_os_version() {
        let mut m = Memory::with_model(&[0, 9], Model::Cg50);
        m.write16(0xAC00_0000, 0x1234).unwrap();
        assert_eq!(m.vram()[..2], [0x12, 0x34], "VRAM at 0xAC000000");
        m.write32(0x8C1D_FFFC, 7).unwrap();
        assert_eq!(
            m.read32(0x0817_FFFC).unwrap(),
            7,
            "stack alias of add-in RAM"
        );
        assert!(matches!(
            m.read32(0xA800_0000),
            Err(MemFault::Unmapped { .. })
        ));
        assert!(matches!(
            m.write32(0x881D_FFFC, 1),
            Err(MemFault::Unmapped { .. })
        ));
        assert_eq!(
            m.read_bytes(platform::OS_VERSION_ADDRESS, 10).unwrap(),
            b"03.60.0202"
        );
        // The fx-CG 10/20 do not answer the fx-CG 50's window.
        let mut m = Memory::with_model(&[0, 9], Model::Cg10);
        assert!(matches!(
            m.read32(0xAC00_0000),
            Err(MemFault::Unmapped { .. })
        ));
        assert_eq!(m.read_bytes(0x8000_0300, 6).unwrap(), b"755A\0\x5A");
    }

    #[test]
    fn rs_memory_and_the_lcd_controller() {
        let mut m = memory();
        assert_eq!(m.read8(0xFD80_13E0).unwrap(), 0);
        m.write8(0xFD80_16AC, 7).unwrap();
        assert_eq!(m.read8(0xFD80_16AC).unwrap(), 7);
        assert!(matches!(
            m.read8(0xFD80_2000),
            Err(MemFault::Unmapped { .. })
        ));
        // Backlight: register 0x5A1 holds level + 6, brightest at power-on.
        m.io.lcd_selected = LCD_BACKLIGHT_REGISTER;
        assert_eq!(m.read32(LCD_DATA).unwrap(), 255);
        m.write32(LCD_DATA, 100 + 6).unwrap();
        assert_eq!(m.io.backlight_level(), 100);
        assert_eq!(m.read16(LCD_DATA).unwrap(), 106);
        m.io.lcd_selected = 0x10;
        assert_eq!(m.read32(LCD_DATA).unwrap(), 0);
        assert!(matches!(m.read8(LCD_DATA), Err(MemFault::Unmapped { .. })));
        assert!(matches!(
            m.read32(LCD_DATA + 4),
            Err(MemFault::Unmapped { .. })
        ));
    }

    #[test]
    fn addin_ram_aliases() {
        let mut m = memory();
        m.write32(0x0810_0010, 0xCAFE_BABE).unwrap();
        assert_eq!(m.read32(0x8816_0010).unwrap(), 0xCAFE_BABE);
        assert_eq!(m.read32(0xA816_0010).unwrap(), 0xCAFE_BABE);
        m.write16(0x881D_FFFE, 0x1234).unwrap();
        assert_eq!(m.read16(0x0817_FFFE).unwrap(), 0x1234);
        // Virtual window ends at 0x08180000.
        assert!(matches!(
            m.read8(0x0818_0000),
            Err(MemFault::Unmapped { .. })
        ));
        assert!(matches!(
            m.read8(0x080F_FFFF),
            Err(MemFault::Unmapped { .. })
        ));
    }

    #[test]
    fn fill_pattern_and_white_vram() {
        let mut m = memory();
        assert_eq!(m.read32(0x0810_0000).unwrap(), 0xA5A5_A5A5);
        assert_eq!(m.read32(HEAP_BASE).unwrap(), 0xA5A5_A5A5);
        assert_eq!(m.read32(0xE520_0000).unwrap(), 0xA5A5_A5A5);
        assert_eq!(m.read16(VRAM_ADDR).unwrap(), 0xFFFF);
        assert_eq!(m.read16(SECONDARY_VRAM_ADDR).unwrap(), 0xFFFF);
    }

    #[test]
    fn vram_aliases() {
        let mut m = memory();
        m.write16(VRAM_ADDR + 2, 0xF800).unwrap();
        assert_eq!(m.read16(0x8800_0002).unwrap(), 0xF800);
        assert_eq!(&m.vram()[2..4], &[0xF8, 0x00]);
        let last = VRAM_ADDR + VRAM_SIZE - 2;
        m.write16(last, 1).unwrap();
    }

    #[test]
    fn unmapped_os_ram_and_io() {
        let mut m = memory();
        // OS system stack and variables.
        assert!(matches!(
            m.read32(0x8810_0000),
            Err(MemFault::Unmapped { .. })
        ));
        assert!(matches!(
            m.write32(0x8815_FFFC, 1),
            Err(MemFault::Unmapped { .. })
        ));
        assert!(matches!(
            m.read32(0x8820_0000),
            Err(MemFault::Unmapped { .. })
        ));
        // NULL reads the first flash page (as on the calculator) and is noted.
        assert_eq!(m.read32(0).unwrap(), 0xFFFF_FFFF);
        assert_eq!(m.io.low_read, Some(0));
        assert!(matches!(m.write32(0, 1), Err(MemFault::ReadOnly { .. })));
        assert!(matches!(
            m.read32(0xA5A5_A5A5),
            Err(MemFault::Unmapped { .. })
        ));
        assert!(matches!(
            m.read32(0xFFFF_FFFC),
            Err(MemFault::Unmapped { .. })
        ));
        assert_eq!(
            m.write8(0x1234_5678, 0),
            Err(MemFault::Unmapped {
                addr: 0x1234_5678,
                write: true,
                size: 1
            })
        );
    }

    #[test]
    fn system_information() {
        let mut m = memory();
        let version = m.read_bytes(platform::OS_VERSION_ADDRESS, 10).unwrap();
        assert_eq!(version, OS_VERSION.as_bytes());
        assert_eq!(
            m.read_bytes(platform::DEVICE_ID_ADDRESS, 8).unwrap(),
            DEVICE_ID
        );
        let [model_a, model_b] = platform::MODEL_BYTE_ADDRESSES;
        assert_eq!(m.read8(model_a).unwrap(), 0x44);
        assert_eq!(m.read8(model_b).unwrap(), 0xAA);
        assert_eq!(m.read_bytes(0xA000_0300, 4).unwrap(), b"755D");
        assert!(matches!(
            m.write8(platform::OS_VERSION_ADDRESS, 0),
            Err(MemFault::ReadOnly { .. })
        ));
        assert!(matches!(
            m.read8(0x8040_0000),
            Err(MemFault::Unmapped { .. })
        ));
    }

    #[test]
    fn key_matrix_words() {
        let mut m = memory();
        m.io.key_words[4] = 0x4000; // F1: row 9 → word 4, bit 14
        assert_eq!(m.read16(KEYSC_BASE + 8).unwrap(), 0x4000);
        assert_eq!(m.read8(KEYSC_BASE + 8).unwrap(), 0x40);
        assert_eq!(m.read32(KEYSC_BASE + 8).unwrap(), 0x4000_0000);
        assert!(m.io.key_matrix_read);
        m.write16(KEYSC_BASE, 0xFFFF).unwrap(); // ignored
        assert_eq!(m.read16(KEYSC_BASE).unwrap(), 0);
        assert!(matches!(
            m.read16(KEYSC_BASE + 0x20),
            Err(MemFault::Unmapped { .. })
        ));
    }

    #[test]
    fn rtc_registers() {
        let mut m = memory();
        m.io.rtc[2] = 0x59;
        m.io.rtc[0x0E] = 0x20;
        m.io.rtc[0x0F] = 0x26;
        assert_eq!(m.read8(RTC_BASE + 2).unwrap(), 0x59);
        assert_eq!(m.read16(RTC_BASE + 0x0E).unwrap(), 0x2026);
    }

    #[test]
    fn stack_overflow_into_static_data_is_denied() {
        let mut m = memory();
        m.set_stack_limit(Some(0x0810_2000));
        assert_eq!(m.stack_limit(), Some(0x8816_2000));
        m.write32(0x8816_2000, 1).unwrap();
        assert_eq!(m.stack_low_water(), 0x8816_2000);
        let err = m.write32(0x8816_1FFC, 1).unwrap_err();
        assert_eq!(
            err,
            MemFault::Denied {
                addr: 0x8816_1FFC,
                write: true,
                size: 4
            }
        );
        assert_eq!(
            m.last_denied,
            Some(DenyReason::StackOverflow {
                addr: 0x8816_1FFC,
                limit: 0x8816_2000
            })
        );
        // Static data itself is written through the virtual window: fine.
        m.write32(0x0810_0000, 1).unwrap();
        // The write helpers respect the limit too.
        assert!(m.write_bytes(0x8816_1FF0, &[0; 32]).is_err());
        assert!(m.write_bytes(0x0810_1FF0, &[0; 32]).is_ok());
    }

    #[test]
    fn code_is_predecoded_and_patches_are_seen() {
        // memory() holds 0x1234 0x5678 0x9ABC at 0x00300000.
        let mut m = memory();
        let first = m.fetch_decoded(ROM_BASE).unwrap();
        assert_eq!(first, Decoded::new(0x1234));
        assert_eq!(m.fetch_decoded(ROM_BASE + 4).unwrap().opcode, 0x9ABC);
        assert_eq!(
            m.fetch_decoded(ROM_BASE + 1),
            None,
            "odd PC: fetch16 reports it"
        );
        assert_eq!(m.fetch_decoded(ROM_BASE + 6), None, "past the image");
        assert_eq!(
            m.fetch_decoded(0x0810_0000),
            None,
            "RAM is fetched and decoded each time"
        );
        // A debugger patch (GDB's M packet) takes effect at once.
        assert!(m.poke(ROM_BASE + 3, 0x09));
        assert_eq!(m.fetch_decoded(ROM_BASE + 2).unwrap(), Decoded::new(0x5609));
        assert_eq!(m.fetch16(ROM_BASE + 2).unwrap(), 0x5609);
    }

    #[test]
    fn fast_paths_agree_with_the_full_decode() {
        let mut m = memory();
        for addr in [
            0x0810_0000u32,
            0x0817_FFFC,
            0x8816_0000,
            0x881D_FFFC,
            0x881E_0000,
            0x881F_FFFC,
            0xA800_0000,
            0xA816_0010,
        ] {
            m.write32(addr, addr ^ 0x5A5A_5A5A).unwrap();
            assert_eq!(m.read(addr, 4).unwrap(), addr ^ 0x5A5A_5A5A, "{addr:08X}");
            assert_eq!(m.read32(addr).unwrap(), addr ^ 0x5A5A_5A5A);
            assert_eq!(
                u32::from(m.read16(addr + 2).unwrap()),
                (addr ^ 0x5A5A_5A5A) & 0xFFFF
            );
        }
        // The virtual window and its physical alias are the same bytes.
        m.write16(0x0810_0010, 0xBEEF).unwrap();
        assert_eq!(m.read16(0x8816_0010).unwrap(), 0xBEEF);
        assert_eq!(m.read8(0xA816_0011).unwrap(), 0xEF);
        // Past the window's end, and unmapped holes, still fault.
        assert!(m.read32(0x0818_0000).is_err());
        assert!(m.write8(0x0818_0000, 1).is_err());
        assert!(m.read32(0x8820_0000).is_err());
        assert!(
            m.write32(0x8810_0000, 1).is_err(),
            "OS RAM between VRAM and the add-in"
        );
    }

    #[test]
    fn strings_and_bulk_access() {
        let mut m = memory();
        m.write_bytes(0x0810_0100, b"hello\0world").unwrap();
        assert_eq!(m.read_cstring(0x0810_0100, 100).unwrap(), b"hello");
        assert_eq!(m.read_cstring(0x0810_0100, 3).unwrap(), b"hel");
        m.write_bytes(0x0810_0200, &[0, b'A', 0, b'B', 0, 0])
            .unwrap();
        assert_eq!(
            m.read_u16_string(0x0810_0200, 10).unwrap(),
            vec![0x41, 0x42]
        );
        // Running off the end of RAM is a fault, not a panic.
        assert!(m.read_cstring(0x0817_FFFE, 100).is_err());
        assert!(m.read_bytes(0x0817_FFF0, 0x100).is_err());
        assert!(m.write_bytes(0xFFFF_FFF0, &[1; 64]).is_err());
    }

    #[test]
    fn debugger_access() {
        let mut m = memory();
        assert!(m.poke(ROM_BASE, 0xEE));
        assert_eq!(m.peek(ROM_BASE), Some(0xEE));
        assert_eq!(m.peek(0x1000_0000), None);
        assert!(!m.poke(platform::OS_VERSION_ADDRESS, 0));
    }
}
