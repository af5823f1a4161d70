//! Facts about the calculator: model, OS version and date, battery voltage,
//! power source, device ID; and powering off.
//!
//! ```no_run
//! use prizm::system;
//!
//! prizm::debug_println!(
//!     "{} running OS {}, battery {} mV",
//!     system::model().name(),
//!     system::os_version(),
//!     system::battery_millivolts()
//! );
//! ```

use core::fmt;

use crate::syscall;
use prizm_platform::memory;

/// A calculator model.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Model {
    /// fx-CG 10.
    Cg10,
    /// fx-CG 20.
    Cg20,
    /// fx-CG 50 (and Graph 90+E).
    Cg50,
    /// A Prizm whose model bytes this crate does not know.
    Unknown,
}

impl Model {
    /// VRAM address that identifies the fx-CG 50.
    pub const CG50_VRAM: usize = memory::VRAM_CG50 as usize;

    /// The model from the VRAM address and the two model bytes at
    /// 0x80000303 and 0x80000305 (docs/platform.md §2.7).
    pub const fn identify(vram_address: usize, byte_303: u8, byte_305: u8) -> Model {
        if vram_address == Self::CG50_VRAM {
            return Model::Cg50;
        }
        match (byte_303, byte_305) {
            (0x41, 0x5A) => Model::Cg10,
            (0x44, 0xAA) => Model::Cg20,
            _ => Model::Unknown,
        }
    }

    /// The model's name.
    pub const fn name(self) -> &'static str {
        match self {
            Model::Cg10 => "fx-CG 10",
            Model::Cg20 => "fx-CG 20",
            Model::Cg50 => "fx-CG 50",
            Model::Unknown => "Prizm",
        }
    }
}

/// The calculator this add-in runs on.
pub fn model() -> Model {
    let vram = crate::display::vram_address();
    if vram == Model::CG50_VRAM {
        return Model::Cg50;
    }
    // SAFETY: flash bytes present on every Prizm (docs/platform.md §2.7).
    let (a, b) = unsafe {
        (
            crate::hw::read_u8(memory::MODEL_BYTE_ADDRESSES[0] as usize),
            crate::hw::read_u8(memory::MODEL_BYTE_ADDRESSES[1] as usize),
        )
    };
    Model::identify(vram, a, b)
}

/// The OS version, as the OS stores it (`"MM.mm.pppp"`).
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct OsVersion {
    text: [u8; 10],
}

impl OsVersion {
    /// Address of the version string in flash.
    pub const ADDRESS: usize = memory::OS_VERSION_ADDRESS as usize;

    /// From the 10 stored bytes; non-printable bytes become `?`.
    pub fn from_bytes(bytes: [u8; 10]) -> OsVersion {
        OsVersion { text: printable(bytes) }
    }

    /// The version text, for example `"03.60.0202"`.
    pub fn as_str(&self) -> &str {
        core::str::from_utf8(&self.text).unwrap_or("??.??.????")
    }

    /// (major, minor, patch), if the text has that form.
    pub fn numbers(&self) -> Option<(u8, u8, u16)> {
        let mut parts = self.as_str().split('.');
        let major = parts.next()?.parse().ok()?;
        let minor = parts.next()?.parse().ok()?;
        let patch = parts.next()?.parse().ok()?;
        parts.next().is_none().then_some((major, minor, patch))
    }

    /// True when this version is `major.minor` or newer.
    pub fn at_least(&self, major: u8, minor: u8) -> bool {
        self.numbers()
            .is_some_and(|(a, b, _)| (a, b) >= (major, minor))
    }
}

impl fmt::Display for OsVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl fmt::Debug for OsVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "OsVersion({:?})", self.as_str())
    }
}

/// `bytes` with every non-printable byte replaced by `?`.
fn printable<const N: usize>(mut bytes: [u8; N]) -> [u8; N] {
    for byte in &mut bytes {
        if !(0x20..0x7F).contains(byte) {
            *byte = b'?';
        }
    }
    bytes
}

fn read_flash<const N: usize>(address: usize) -> [u8; N] {
    let mut bytes = [0u8; N];
    for (i, byte) in bytes.iter_mut().enumerate() {
        // SAFETY: callers pass flash addresses present on every Prizm.
        *byte = unsafe { crate::hw::read_u8(address + i) };
    }
    bytes
}

/// The OS version.
pub fn os_version() -> OsVersion {
    OsVersion::from_bytes(read_flash(OsVersion::ADDRESS))
}

/// The OS's build date, as the OS image stores it: 14 characters at
/// 0x80B5FFE0 (docs/platform.md §2.7); prizm-emu stores `"2026.1123.1200"`.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct OsDate {
    text: [u8; 14],
}

impl OsDate {
    /// Address of the date in the OS image.
    pub const ADDRESS: usize = memory::OS_DATE_ADDRESS as usize;

    /// From the 14 stored bytes; non-printable bytes become `?`.
    pub fn from_bytes(bytes: [u8; 14]) -> OsDate {
        OsDate { text: printable(bytes) }
    }

    /// The date text as stored.
    pub fn as_str(&self) -> &str {
        core::str::from_utf8(&self.text).unwrap_or("??????????????")
    }
}

impl fmt::Display for OsDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl fmt::Debug for OsDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "OsDate({:?})", self.as_str())
    }
}

/// The OS's build date.
pub fn os_date() -> OsDate {
    OsDate::from_bytes(read_flash(OsDate::ADDRESS))
}

/// What powers the calculator, as port P11's data register tells
/// (docs/platform.md §3.9: Utilities' reading of the byte at 0xA4050162).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PowerSource {
    /// The batteries (the port reads 0x08).
    Batteries,
    /// The USB cable (0x0A).
    Usb,
    /// No port value (0): Casio's emulator, and prizm-emu, which reads the
    /// port the same way.
    Emulated,
    /// A value no source explains.
    Unknown(u8),
}

impl PowerSource {
    /// Address of port P11's data register.
    pub const PORT_ADDRESS: usize = memory::POWER_SOURCE_PORT as usize;

    /// The source a P11 data-register value stands for.
    pub const fn from_port(value: u8) -> PowerSource {
        match value {
            0x08 => PowerSource::Batteries,
            0x0A => PowerSource::Usb,
            0x00 => PowerSource::Emulated,
            other => PowerSource::Unknown(other),
        }
    }

    /// "batteries", "USB", "emulator" or "unknown".
    pub const fn name(self) -> &'static str {
        match self {
            PowerSource::Batteries => "batteries",
            PowerSource::Usb => "USB",
            PowerSource::Emulated => "emulator",
            PowerSource::Unknown(_) => "unknown",
        }
    }
}

/// What powers the calculator now.
pub fn power_source() -> PowerSource {
    // SAFETY: port P11's data register, readable on every Prizm
    // (docs/platform.md §3.9); reading it has no side effect.
    PowerSource::from_port(unsafe { crate::hw::read_u8(PowerSource::PORT_ADDRESS) })
}

/// The battery voltage in millivolts (the OS reports units of 10 mV).
pub fn battery_millivolts() -> u32 {
    // SAFETY: plain integer argument (1, as the OS expects).
    let raw = unsafe { syscall::GetMainBatteryVoltage(1) };
    raw.max(0) as u32 * 10
}

/// The calculator's unique 8-byte ID.
pub fn device_id() -> [u8; 8] {
    read_flash(memory::DEVICE_ID_ADDRESS as usize)
}

/// Turns the calculator off; the add-in resumes here when it is turned on
/// again (RAM is kept).
pub fn power_off(show_logo: bool) {
    // SAFETY: plain integer argument.
    unsafe { syscall::PowerOff(i32::from(show_logo)) }
}

/// The OS's auto power-off delay, in seconds (0 when it never powers
/// off). `GetKey` applies it; an add-in that waits with
/// [`wait_key_for`](crate::keyboard::wait_key_for) applies it itself.
pub fn auto_power_off_seconds() -> u32 {
    // SAFETY: no arguments; returns minutes.
    let minutes = unsafe { syscall::GetAutoPowerOffTime() };
    minutes.max(0) as u32 * 60
}

/// Bytes of add-in stack in use, measured from the stack's top.
pub fn stack_used() -> usize {
    #[cfg(target_os = "none")]
    {
        unsafe extern "C" {
            static __addin_ram_end: u8;
        }
        // SAFETY: GetStackPtr takes no arguments; __addin_ram_end is a
        // linker symbol whose address (never its contents) is the top of
        // add-in RAM, where the stack starts.
        let (top, pointer) = unsafe {
            (
                &raw const __addin_ram_end as usize as u32,
                syscall::GetStackPtr() as usize as u32,
            )
        };
        stack_used_from(pointer, top) as usize
    }
    #[cfg(not(target_os = "none"))]
    panic!("stack_used measures the calculator's add-in stack; it cannot run in a host build")
}

/// Stack bytes in use for a stack pointer, given the top of add-in RAM at
/// its virtual address (`ram_end`, 0x08180000). The OS starts the stack at
/// the *physical* top, 0x881E0000 (0x8C1E0000 on the fx-CG 50), the same
/// memory as the virtual top; a pointer may come in either form.
pub const fn stack_used_from(pointer: u32, ram_end: u32) -> u32 {
    if pointer >= 0x8000_0000 {
        // P1/P2 (cached/uncached) physical alias: RAM base + 0x1E0000.
        let physical = pointer & 0x1FFF_FFFF;
        let top = (physical & 0xFF00_0000) + 0x1E_0000;
        top.saturating_sub(physical)
    } else {
        ram_end.saturating_sub(pointer)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    prizm_test! {
        fn stack_use_from_either_address_form() {
            assert_eq!(stack_used_from(0x881E_0000, 0x0818_0000), 0);
            assert_eq!(stack_used_from(0x881D_FF00, 0x0818_0000), 0x100);
            assert_eq!(stack_used_from(0xA81D_F000, 0x0818_0000), 0x1000);
            assert_eq!(stack_used_from(0x8C1D_FFF0, 0x0818_0000), 0x10, "fx-CG 50");
            assert_eq!(stack_used_from(0x0817_FF00, 0x0818_0000), 0x100, "virtual");
            assert_eq!(stack_used_from(0x881F_0000, 0x0818_0000), 0, "above the top");
        }
    }

    prizm_test! {
        fn models() {
            let (cg50, cg10_20) = (memory::VRAM_CG50 as usize, memory::VRAM_CG10_20 as usize);
            assert_eq!(Model::identify(cg50, 0, 0), Model::Cg50);
            assert_eq!(Model::identify(cg10_20, 0x41, 0x5A), Model::Cg10);
            assert_eq!(Model::identify(cg10_20, 0x44, 0xAA), Model::Cg20);
            assert_eq!(Model::identify(cg10_20, 0xFF, 0xFF), Model::Unknown);
            assert_eq!(Model::Cg50.name(), "fx-CG 50");
        }
    }

    prizm_test! {
        fn os_versions() {
            let version = OsVersion::from_bytes(*b"03.60.0202");
            assert_eq!(version.as_str(), "03.60.0202");
            assert_eq!(version.numbers(), Some((3, 60, 202)));
            assert!(version.at_least(2, 2));
            assert!(version.at_least(3, 60));
            assert!(!version.at_least(3, 61));
            let broken = OsVersion::from_bytes([0xFF; 10]);
            assert_eq!(broken.as_str(), "??????????");
            assert_eq!(broken.numbers(), None);
            assert_eq!(OsVersion::from_bytes(*b"1.2.3.4.56").numbers(), None);
        }
    }

    prizm_test! {
        fn os_dates() {
            assert_eq!(OsDate::from_bytes(*b"2013.0516.1658").as_str(), "2013.0516.1658");
            let mut bytes = *b"2013.0516.1658";
            bytes[4] = 0;
            bytes[13] = 0xFF;
            assert_eq!(OsDate::from_bytes(bytes).as_str(), "2013?0516.165?");
        }
    }

    prizm_test! {
        fn power_sources_from_the_port() {
            assert_eq!(PowerSource::from_port(0x08), PowerSource::Batteries);
            assert_eq!(PowerSource::from_port(0x0A), PowerSource::Usb);
            assert_eq!(PowerSource::from_port(0x00), PowerSource::Emulated);
            assert_eq!(PowerSource::from_port(0x09), PowerSource::Unknown(0x09));
            assert_eq!(PowerSource::from_port(0xFF).name(), "unknown");
            assert_eq!(PowerSource::Usb.name(), "USB");
        }
    }
}
