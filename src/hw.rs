//! Volatile reads of fixed addresses: hardware registers (RTC, key
//! matrix) and facts the OS keeps in flash (model bytes, OS version, device
//! ID). Only the calculator has them; a host build panics instead of
//! reading a wild address.

/// Reads one byte at `address` with a volatile load.
///
/// # Safety
/// `address` must be readable on the calculator (a register or flash
/// location listed in docs/platform.md §2.2, §2.7, §3.5.5 or §3.8.2).
#[inline]
pub(crate) unsafe fn read_u8(address: usize) -> u8 {
    #[cfg(target_os = "none")]
    {
        // SAFETY: the caller guarantees the address is readable.
        unsafe { core::ptr::read_volatile(address as *const u8) }
    }
    #[cfg(not(target_os = "none"))]
    unavailable(address)
}

/// Reads one 16-bit word at `address` (2-aligned) with a volatile load.
///
/// # Safety
/// As for [`read_u8`], and `address` must be 2-aligned.
#[inline]
pub(crate) unsafe fn read_u16(address: usize) -> u16 {
    #[cfg(target_os = "none")]
    {
        // SAFETY: the caller guarantees the address is readable and aligned.
        unsafe { core::ptr::read_volatile(address as *const u16) }
    }
    #[cfg(not(target_os = "none"))]
    unavailable(address)
}

#[cfg(not(target_os = "none"))]
#[cold]
#[track_caller]
fn unavailable(address: usize) -> ! {
    panic!(
        "address {address:#010x} exists only on the calculator; it cannot be read in a host build"
    )
}
