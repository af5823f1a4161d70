//! On-target tests of the OS services existing C add-ins rely on: library
//! calls (memcpy, memset, multibyte text, hex, messages, name masks), the
//! text-input calls, F-key labels, the scrollbar, bitmaps, pop-ups, BASIC
//! variables, and the memory the OS image and the hardware answer reads
//! from. Built for the calculator and run in the emulator by
//! `cargo test --release -p prizm --test device_os`.
#![no_std]
#![no_main]
#![feature(custom_test_frameworks)]
#![test_runner(prizm::testing::run_tests)]
#![reexport_test_harness_main = "test_main"]

use prizm::display::{self, Display, WIDTH};
use prizm::keyboard::{self, Key};
use prizm::syscall;

prizm::entry!(run);

fn run(calculator: prizm::Calculator) {
    // Each test takes the calculator for itself (`prizm::testing::calculator`).
    drop(calculator);
    test_main();
}

/// A NUL-terminated 16-bit name.
fn name16<const N: usize>(text: &str) -> [u16; N] {
    let mut out = [0u16; N];
    for (slot, unit) in out.iter_mut().zip(text.encode_utf16()) {
        *slot = unit;
    }
    out
}

/// Reads a byte the OS image or the hardware answers.
fn peek(address: usize) -> u8 {
    // SAFETY: the address is one the memory map answers reads from (the
    // test names each); a volatile read, as of a device register.
    unsafe { core::ptr::read_volatile(address as *const u8) }
}

fn vram_pixel(display: &mut Display, x: usize, y: usize) -> u16 {
    display.pixels()[y * WIDTH + x]
}

#[test_case]
fn memcpy_and_memset_of_older_sdks() {
    let source = *b"calculator";
    let mut buffer = [0u8; 12];
    // SAFETY: both buffers are valid for the lengths given.
    let returned = unsafe { syscall::sys_memcpy(buffer.as_mut_ptr(), source.as_ptr(), 10) };
    assert_eq!(returned, buffer.as_mut_ptr());
    assert_eq!(&buffer, b"calculator\0\0");
    // SAFETY: 4 bytes from index 2 lie inside the buffer.
    unsafe { syscall::sys_memset(buffer.as_mut_ptr().add(2), i32::from(b'-'), 4) };
    assert_eq!(&buffer, b"ca----ator\0\0");
}

#[test_case]
fn multibyte_text_hex_messages_and_masks() {
    // "x", the imaginary unit (0x7F50), "y": three characters in four bytes.
    let text = *b"x\x7F\x50y\0";
    // SAFETY: a NUL-terminated string.
    assert_eq!(unsafe { syscall::MB_ElementCount(text.as_ptr()) }, 3);
    // SAFETY: plain integers.
    assert_eq!(unsafe { syscall::MB_IsLead(0x7F) }, 1);
    // SAFETY: plain integers.
    assert_eq!(unsafe { syscall::MB_IsLead(i32::from(b'x')) }, 0);
    let mut hex = *b"..!";
    // SAFETY: two bytes are written.
    unsafe { syscall::ByteToHex(0xC5, hex.as_mut_ptr()) };
    assert_eq!(&hex, b"C5!");
    let mut message = [0xEEu8; 32];
    // SAFETY: the buffer holds the longest message text.
    unsafe { syscall::LocalizeMessage1(2, message.as_mut_ptr()) };
    assert_eq!(&message[..13], b"Press:[EXIT]\0");
    let mask: [u16; 8] = name16("*.g3a");
    let addin: [u16; 16] = name16("Utilities.G3A");
    let other: [u16; 16] = name16("notes.txt");
    // SAFETY: NUL-terminated 16-bit names.
    assert_eq!(
        unsafe { syscall::Bfile_Name_MatchMask(mask.as_ptr(), addin.as_ptr()) },
        1
    );
    // SAFETY: as above.
    assert_eq!(
        unsafe { syscall::Bfile_Name_MatchMask(mask.as_ptr(), other.as_ptr()) },
        0
    );
}

#[test_case]
fn mcs_get_dlen2_writes_zero_for_a_missing_item() {
    let mut length: i32 = 1234;
    // SAFETY: NUL-terminated names and a valid length pointer.
    let code =
        unsafe { syscall::MCSGetDlen2(b"@NOFOLD\0".as_ptr(), b"Nothing\0".as_ptr(), &mut length) };
    assert_ne!(code, 0);
    assert_eq!(length, 0);
}

#[test_case]
fn text_input_inserts_moves_and_deletes() {
    let mut text = [0u8; 32];
    let mut cursor = 0;
    for &c in b"PRIZM" {
        // SAFETY: the buffer holds posmax (20) bytes and a NUL.
        cursor = unsafe { syscall::EditMBStringChar(text.as_mut_ptr(), 20, cursor, i32::from(c)) };
    }
    assert_eq!(cursor, 5);
    let (mut start, mut xpos) = (0i32, cursor);
    for key in [Key::Left, Key::Left, Key::Del] {
        let mut code = key.code();
        // SAFETY: valid buffer and pointers; (1, 3) is a PrintXY cell.
        unsafe {
            syscall::EditMBStringCtrl(
                text.as_mut_ptr(),
                20,
                &mut start,
                &mut xpos,
                &mut code,
                1,
                3,
            )
        };
    }
    assert_eq!(&text[..5], b"PRZM\0");
    assert_eq!((start, xpos), (0, 2));
    // SAFETY: a NUL-terminated string.
    unsafe { syscall::DisplayMBString(text.as_ptr(), 0, xpos, 1, 3) };
    let mut calculator = prizm::testing::calculator();
    let display = &mut calculator.display;
    // The line's text is black in row 3 (y 72..96); the cursor bar at column 3.
    assert_eq!(vram_pixel(display, 2 * 18 + 1, 3 * 24 + 10), 0x0000);
}

#[test_case]
fn fkey_labels_scrollbar_and_bitmaps() {
    let mut calculator = prizm::testing::calculator();
    let display = &mut calculator.display;
    display::clear();
    let mut label: *const u8 = core::ptr::null();
    // SAFETY: the OS writes one pointer.
    unsafe { syscall::GetFKeyPtr(0x043A, &mut label) };
    assert!(!label.is_null());
    // SAFETY: a label GetFKeyPtr returned.
    unsafe { syscall::FKey_Display(0, label) };
    assert_eq!(vram_pixel(display, 3, 196), 0x0000, "a black tab in F1");
    // Scrollbar: 10 units, 5 shown from unit 5, at x 370, below the status bar.
    let mut bar = [0u8; 28];
    for (i, word) in [0u32, 10, 5, 5, 0].iter().enumerate() {
        bar[4 * i..4 * i + 4].copy_from_slice(&word.to_be_bytes());
    }
    for (i, half) in [370u16, 0, 100, 6].iter().enumerate() {
        bar[20 + 2 * i..22 + 2 * i].copy_from_slice(&half.to_be_bytes());
    }
    // SAFETY: a 28-byte scrollbar record.
    unsafe { syscall::Scrollbar(bar.as_ptr()) };
    assert_eq!(vram_pixel(display, 370, 24), 0x0000, "frame");
    assert_eq!(
        vram_pixel(display, 372, 24 + 80),
        0x8410,
        "indicator in the lower half"
    );
    // A 2×1 RGB565 bitmap at (100, 50).
    let pixels: [u16; 2] = [0xF800, 0x07E0];
    let mut graph = [0u8; 44];
    for (i, value) in [100i32, 50, 0, 0, 2, 1].iter().enumerate() {
        graph[4 * i..4 * i + 4].copy_from_slice(&value.to_be_bytes());
    }
    graph[24..28].copy_from_slice(&[2, 0, 0x20, 0x20]);
    graph[28..32].copy_from_slice(&(pixels.as_ptr() as u32).to_be_bytes());
    graph[32..40].copy_from_slice(&[0, 0, 0, 1, 1, 1, 0, 0]);
    // SAFETY: a display_graph record pointing at the bitmap.
    unsafe { syscall::Bdisp_WriteGraphVRAM(graph.as_ptr()) };
    assert_eq!(vram_pixel(display, 100, 50), 0xF800);
    assert_eq!(vram_pixel(display, 101, 50), 0x07E0);
    // MsgBoxMoveWB saves a rectangle below the status bar and puts it back.
    let mut saved = [0u8; 2 * 4 * 2];
    // SAFETY: the buffer holds 4×2 pixels.
    unsafe { syscall::MsgBoxMoveWB(saved.as_mut_ptr(), 100, 26, 103, 27, 1) };
    display::clear();
    // SAFETY: as above.
    unsafe { syscall::MsgBoxMoveWB(saved.as_mut_ptr(), 100, 26, 103, 27, 0) };
    assert_eq!(vram_pixel(display, 101, 50), 0x07E0);
}

#[test_case]
fn error_message_closes_on_exit() {
    keyboard::queue_key(Key::Exit);
    // SAFETY: plain integers; the pop-up waits for the queued EXIT.
    unsafe { syscall::AUX_DisplayErrorMessage(0x13) };
    keyboard::queue_key(Key::Exe);
    assert_eq!(keyboard::get_key(), Key::Exe, "EXIT was the pop-up's");
}

#[test_case]
fn basic_variables_keep_their_values() {
    let value: [u8; 24] = [
        0x10, 0x01, 0x50, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    ];
    // SAFETY: a 24-byte BCD value.
    unsafe { syscall::Alpha_SetData(i32::from(b'T'), value.as_ptr()) };
    let mut back = [0xFFu8; 24];
    // SAFETY: as above.
    unsafe { syscall::Alpha_GetData(i32::from(b'T'), back.as_mut_ptr()) };
    assert_eq!(back, value);
}

#[test_case]
fn os_image_and_hardware_answer_reads() {
    // OS date (14 characters) at 0x80B5FFE0: digits and dots.
    let date: [u8; 14] = core::array::from_fn(|i| peek(0x80B5_FFE0 + i));
    assert!(date.iter().all(|b| b.is_ascii_digit() || *b == b'.'));
    // Device ID, 8 bytes at 0x8001FFD0.
    assert_ne!(peek(0x8001_FFD0), 0xFF);
    // The user-information area: no owner registered.
    assert_eq!(peek(0x80BE_0000), 0xFF);
    // A low address reads without harm, as on the calculator.
    let _ = peek(0x18);
    // RS memory holds OS variables (read/write).
    // SAFETY: RS memory is RAM the emulator maps; the byte is restored.
    unsafe {
        let address = 0xFD80_16AC as *mut u8;
        let old = core::ptr::read_volatile(address);
        core::ptr::write_volatile(address, 0x5A);
        assert_eq!(core::ptr::read_volatile(address), 0x5A);
        core::ptr::write_volatile(address, old);
    }
    // The backlight: LCD controller register 0x5A1 holds level + 6.
    // SAFETY: register select then a 32-bit access of the data register.
    unsafe {
        syscall::Bdisp_DDRegisterSelect(0x5A1);
        let data = 0xB400_0000 as *mut u32;
        let old = core::ptr::read_volatile(data);
        assert!((6..=255).contains(&(old & 0xFF)));
        core::ptr::write_volatile(data, 100 + 6);
        assert_eq!(core::ptr::read_volatile(data) & 0xFF, 106);
        core::ptr::write_volatile(data, old);
    }
}
