//! The whole machine on hand-assembled programs: start-up, syscalls,
//! keys, text on screen, faults, timers, the test protocol and GDB.

mod common;

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::time::Duration;

use common::{elf, g3a, Asm, BASE};
use prizm_emu::KeyCode;
use prizm_emu::{Condition, Emulator, Key, Outcome, RunErrorKind};
use prizm_platform::syscall as sc;

fn emulator(asm: &Asm) -> Emulator {
    Emulator::builder()
        .budget(50_000_000)
        .load_code(&asm.finish())
        .unwrap()
}

fn crash_headline(emu: &Emulator) -> String {
    match emu.outcome() {
        Some(Outcome::Fault(report)) => format!("{}\n{}", report.headline, report.details),
        other => panic!("expected a crash, got {other:?}"),
    }
}

#[test]
fn starts_like_the_os_and_returns_to_it() {
    // r0 = r4 + 41 (r4 is 1 at start).
    let mut asm = Asm::new();
    asm.mov(0, 4).op(0x7000 | 41).rts();
    let mut emu = emulator(&asm);
    emu.run_until(Condition::Exited).unwrap();
    assert_eq!(emu.outcome(), Some(&Outcome::ReturnedToOs { value: 42 }));
    assert!(emu.instructions() >= 3);
}

#[test]
fn debug_channel_and_exit_code() {
    let mut asm = Asm::new();
    asm.la(4, b"hello\n")
        .mov_imm(5, 6)
        .syscall(sc::Emu_DebugWrite);
    asm.syscall(sc::Emu_Present).mov(4, 0).syscall(sc::Emu_Exit);
    let mut emu = emulator(&asm);
    emu.run_until(Condition::Exited).unwrap();
    assert_eq!(emu.debug_output(), b"hello\n");
    assert_eq!(emu.outcome(), Some(&Outcome::Exited { code: 0x454D_5521 }));
}

#[test]
fn loads_g3a_files() {
    let mut asm = Asm::new();
    asm.mov_imm(4, 7).syscall(sc::Emu_Exit);
    let mut emu = Emulator::from_g3a_bytes(&g3a(&asm.finish())).unwrap();
    emu.run_until(Condition::Exited).unwrap();
    assert_eq!(emu.outcome(), Some(&Outcome::Exited { code: 7 }));
    assert!(Emulator::from_g3a_bytes(&[1, 2, 3]).is_err());
}

#[test]
fn the_cg50_model_moves_vram_ram_and_the_os_version() {
    let mut asm = Asm::new();
    asm.syscall(sc::GetVRAMAddress).mov(8, 0).mov(9, 15);
    asm.mov_imm(4, 16).syscall(sc::sys_malloc).mov(10, 0);
    asm.li(1, 0xE0E0).mov(11, 8).op(0x2B11); // mov.w r1, @r11: a pixel through the address given
    asm.mov_imm(4, 0).syscall(sc::Emu_Exit);
    let code = asm.finish();
    for (model, vram, stack, heap) in [
        (
            prizm_emu::Model::Cg20,
            0xA800_0000,
            0x881E_0000,
            0x881E_0000,
        ),
        (
            prizm_emu::Model::Cg50,
            0xAC00_0000,
            0x8C1E_0000,
            0x8C1E_0000,
        ),
    ] {
        let mut emu = Emulator::builder()
            .model(model)
            .budget(1_000_000)
            .load_code(&code)
            .unwrap();
        emu.run_until(Condition::Exited).unwrap();
        assert_eq!(emu.outcome(), Some(&Outcome::Exited { code: 0 }), "{model}");
        let r = emu.machine().cpu.r;
        assert_eq!((r[8], r[9], r[10]), (vram, stack, heap), "{model}");
        assert_eq!(emu.vram()[0], 0xE0E0, "{model}: the pixel landed in VRAM");
    }
}

#[test]
fn polling_the_clock_costs_time() {
    // Busy-wait 4 s (512 ticks) on RTC_GetTicks, then exit.
    let mut asm = Asm::new();
    asm.syscall(sc::RTC_GetTicks)
        .mov(8, 0)
        .li(9, 512)
        .op(0x389C); // add r9, r8
    asm.label("poll").syscall(sc::RTC_GetTicks);
    asm.op(0x3083); // cmp/ge r8, r0
    asm.bf("poll");
    asm.mov_imm(4, 0).syscall(sc::Emu_Exit);
    let mut emu = Emulator::builder()
        .budget(200_000_000)
        .load_code(&asm.finish())
        .unwrap();
    emu.run_until(Condition::Exited).unwrap();
    let calls = emu.machine().syscall_count;
    // Each read costs 300 cycles (5.2 µs) besides the loop's own instructions.
    assert!((600_000..800_000).contains(&calls), "{calls} clock reads");
    let elapsed = emu.elapsed().as_secs_f64();
    assert!((3.99..4.1).contains(&elapsed), "{elapsed} s");
    let os = emu.machine().os_ns() as f64 / 1e9;
    assert!(os / elapsed > 0.8, "the OS's share: {os} of {elapsed} s");
}

#[test]
fn get_key_copies_vram_to_the_lcd_before_it_waits() {
    // The OS's LCD copy is done by the time GetKey waits: its cost counts
    // then, not when the key comes (that time belongs to the add-in's
    // next step).
    let mut emu = emulator(&lock_program());
    emu.run_until(Condition::WaitingForKey).unwrap();
    let frame_ns = 638_000 * 1_000_000_000 / 58_000_000;
    let waiting = emu.machine().os_ns();
    assert!(waiting >= frame_ns, "{waiting} ns of OS time before the first key");
    emu.press(Key::Digit1);
    emu.run_until(Condition::WaitingForKey).unwrap();
    // One more copy for the next GetKey, nothing when the first returned.
    let per_key = emu.machine().os_ns() - waiting;
    assert!((frame_ns..frame_ns + 100_000).contains(&per_key), "{per_key} ns a key");
}

#[test]
fn the_running_g3a_lies_in_storage_memory_under_its_name() {
    let mut asm = Asm::new();
    asm.mov_imm(4, 0).syscall(sc::Emu_Exit);
    let file = g3a(&asm.finish());
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("MyAddin.g3a");
    std::fs::write(&path, &file).unwrap();
    let storage = dir.path().join("fls0");
    let emu = Emulator::builder()
        .storage_dir(&storage)
        .open(&path)
        .unwrap();
    assert_eq!(emu.read_storage_file("MyAddin.g3a").unwrap(), file);
    // A copy already in storage (any case) is the user's and stays.
    drop(emu);
    std::fs::remove_file(storage.join("MyAddin.g3a")).unwrap();
    std::fs::write(storage.join("MYADDIN.G3A"), b"mine").unwrap();
    let emu = Emulator::builder()
        .storage_dir(&storage)
        .open(&path)
        .unwrap();
    assert_eq!(emu.read_storage_file("MYADDIN.G3A").unwrap(), b"mine");
    assert!(!storage.join("MyAddin.g3a").exists());
}

/// Prints "Hello", waits for a key; EXE prints "Unlocked" and waits again.
fn lock_program() -> Asm {
    let mut asm = Asm::new();
    asm.push_pr();
    asm.op(0x7FF0); // add #-16, r15: room for the key code
    asm.mov_imm(4, 1)
        .mov_imm(5, 1)
        .la(6, b"  Hello\0")
        .mov_imm(7, 0);
    asm.mov_imm(1, 0).op(0x2F16); // push colour 0 (5th argument)
    asm.syscall(sc::PrintXY);
    asm.op(0x7F04); // pop
    asm.label("loop");
    asm.mov(4, 15).syscall(sc::GetKey);
    asm.op(0x61F2); // mov.l @r15, r1
    asm.li(3, KeyCode::Exe.code() as u32);
    asm.op(0x3130); // cmp/eq r3, r1
    asm.bf("loop");
    asm.mov_imm(4, 1)
        .mov_imm(5, 2)
        .la(6, b"  Unlocked\0")
        .mov_imm(7, 0);
    asm.mov_imm(1, 0).op(0x2F16);
    asm.syscall(sc::PrintXY);
    asm.op(0x7F04);
    asm.bra("loop");
    asm
}

#[test]
fn text_on_screen_and_keys() {
    let mut emu = emulator(&lock_program());
    emu.run_until(Condition::TextOnScreen("Hello")).unwrap();
    emu.run_until(Condition::WaitingForKey).unwrap();
    assert!(!emu.screen_contains_text("Unlocked"));
    // Not waiting on anything but a key: a text condition fails clearly.
    let err = emu
        .run_until(Condition::TextOnScreen("Unlocked"))
        .unwrap_err();
    assert_eq!(err.kind, RunErrorKind::WaitingForKey);
    assert!(err.to_string().contains("\"Hello\""), "{err}");
    emu.press(Key::Digit1);
    emu.press(Key::Exe);
    emu.run_until(Condition::TextOnScreen("Unlocked")).unwrap();
    let texts: Vec<String> = emu.text_on_screen().into_iter().map(|e| e.text).collect();
    assert_eq!(texts, vec!["Hello", "Unlocked"]);
    // GetKey showed VRAM on the LCD; the status bar was drawn.
    emu.run_until(Condition::WaitingForKey).unwrap();
    assert!(emu.screen().contains(&0));
    // Queued presses are spaced in virtual time.
    assert!(emu.elapsed() >= Duration::from_millis(150));
}

#[test]
fn a_computing_frame_ends_at_a_key_wait() {
    let mut emu = emulator(&lock_program());
    // The window's maximum speed: the frame ends where the add-in starts
    // waiting for a key, without passing the frame's time.
    let host_limit = Duration::from_secs(30);
    assert!(!emu.run_frame_computing(Duration::from_secs(10), host_limit));
    assert!(emu.is_waiting_for_key());
    let at_wait = emu.elapsed();
    assert!(at_wait < Duration::from_millis(100), "{at_wait:?}");
    assert!(!emu.run_frame_computing(Duration::from_secs(10), host_limit));
    assert_eq!(emu.elapsed(), at_wait);
    // A plain frame lets the wait use the frame's time.
    assert!(!emu.run_frame(Duration::from_secs(2), host_limit));
    assert!(emu.elapsed() >= at_wait + Duration::from_secs(2));
    // A key pressed and held live (the window): the computing frame takes
    // the press and runs the add-in to its next wait...
    let now = emu.machine().now_ns();
    emu.machine_mut().os.input.live_press(Key::Exe, now);
    emu.machine_mut().os.input.set_live([Key::Exe].into());
    assert!(!emu.run_frame_computing(Duration::from_secs(10), host_limit));
    assert!(emu.screen_contains_text("Unlocked"));
    assert!(emu.is_in_key_wait());
    // ...but leaves the auto-repeat, due 500 ms later, to a plain frame.
    let calls = emu.machine().syscall_count;
    let at_wait = emu.elapsed();
    assert!(!emu.run_frame_computing(Duration::from_secs(10), host_limit));
    assert_eq!(emu.machine().syscall_count, calls);
    assert_eq!(emu.elapsed(), at_wait);
    assert!(!emu.run_frame(Duration::from_secs(1), host_limit));
    assert!(emu.machine().syscall_count > calls, "the held key repeated");
}

#[test]
fn menu_leaves_the_addin() {
    let mut emu = emulator(&lock_program());
    emu.run_until(Condition::WaitingForKey).unwrap();
    emu.press(Key::Menu);
    emu.run_until(Condition::Exited).unwrap();
    assert_eq!(emu.outcome(), Some(&Outcome::LeftToMainMenu));
}

#[test]
fn menu_is_a_key_when_disabled() {
    let mut asm = Asm::new();
    asm.syscall(sc::DisableGetkeyToMainFunctionReturn);
    asm.op(0x7FF0)
        .mov(4, 15)
        .syscall(sc::GetKey)
        .op(0x64F2)
        .syscall(sc::Emu_Exit);
    let mut emu = emulator(&asm);
    emu.press(Key::Menu);
    emu.run_until(Condition::Exited).unwrap();
    assert_eq!(
        emu.outcome(),
        Some(&Outcome::Exited {
            code: KeyCode::Menu.code()
        })
    );
}

#[test]
fn key_scripts_drive_the_addin() {
    let mut emu = emulator(&lock_program());
    let script = prizm_emu::keyscript::parse(
        "until-text \"Hello\"\ntype \"12\"; EXE\nuntil-text \"Unlocked\" timeout 1s\nexpect-text \"Unlocked\"",
    )
    .unwrap();
    prizm_emu::keyscript::run(&mut emu, &script, &mut |_| {}).unwrap();
    let bad = prizm_emu::keyscript::parse("until-text \"Never\" timeout 2s").unwrap();
    let err = prizm_emu::keyscript::run(&mut emu, &bad, &mut |_| {}).unwrap_err();
    assert!(err.to_string().contains("line 1"), "{err}");
    assert!(err.to_string().contains("timeout"), "{err}");
    let menu = prizm_emu::keyscript::parse("MENU\nEXE").unwrap();
    let err = prizm_emu::keyscript::run(&mut emu, &menu, &mut |_| {}).unwrap_err();
    assert!(
        err.to_string()
            .contains("no longer running (left to main menu)"),
        "{err}"
    );
}

#[test]
fn polling_the_key_matrix() {
    // Spin until the KEYSC word 4 is non-zero (F1), exit with it.
    let mut asm = Asm::new();
    asm.li(1, 0xA44B_0008);
    asm.label("poll");
    asm.op(0x6211); // mov.w @r1, r2
    asm.op(0x2228); // tst r2, r2
    asm.bt("poll");
    asm.op(0x642D); // extu.w r2, r4
    asm.syscall(sc::Emu_Exit);
    let mut emu = emulator(&asm);
    emu.run_until(Condition::Instructions(10_000)).unwrap();
    emu.press(Key::F1);
    emu.run_until(Condition::Exited).unwrap();
    assert_eq!(emu.outcome(), Some(&Outcome::Exited { code: 0x4000 }));
}

#[test]
fn unmapped_access_is_reported() {
    let mut asm = Asm::new();
    asm.li(1, 0x1234_5678).op(0x6012); // mov.l @r1, r0
    let mut emu = emulator(&asm);
    let err = emu.run_until(Condition::Exited).err();
    assert!(err.is_none());
    let report = crash_headline(&emu);
    assert!(report.contains("unmapped address 0x12345678"), "{report}");
    assert!(report.contains("=> 00300002"), "{report}");
    assert!(report.contains("r1=12345678"), "{report}");
}

#[test]
fn writing_the_image_is_reported() {
    let mut asm = Asm::new();
    asm.li(1, BASE).op(0x2112); // mov.l r1, @r1
    let mut emu = emulator(&asm);
    emu.run_until(Condition::Exited).unwrap();
    assert!(crash_headline(&emu).contains("read-only"));
}

#[test]
fn unimplemented_syscalls_are_named() {
    let mut asm = Asm::new();
    asm.syscall(sc::DisplayMainMenu);
    let mut emu = emulator(&asm);
    emu.run_until(Condition::Exited).unwrap();
    let report = crash_headline(&emu);
    assert!(
        report.contains("unimplemented syscall 0x1E6A (DisplayMainMenu)"),
        "{report}"
    );
    let mut asm = Asm::new();
    asm.syscall(0x4321u32);
    let mut emu = emulator(&asm);
    emu.run_until(Condition::Exited).unwrap();
    assert!(crash_headline(&emu).contains("0x4321 (not in the syscall table)"));
}

/// Runs an ELF with `symbols` that pushes onto the stack forever; returns
/// the emulator and its crash report.
fn run_endless_push(symbols: &[(&str, u32)]) -> (Emulator, String) {
    let mut asm = Asm::new();
    asm.label("push").op(0x2F06).bra("push"); // mov.l r0,@-r15 forever
    let file = elf(&asm.finish(), symbols);
    let mut emu = Emulator::builder()
        .budget(10_000_000)
        .load_bytes(&file)
        .unwrap();
    emu.run_until(Condition::Exited).unwrap();
    let report = crash_headline(&emu);
    (emu, report)
}

#[test]
fn a_stack_below_its_reserve_is_caught_before_the_allocator_arena() {
    let (emu, report) = run_endless_push(&[
        ("__bss_end", 0x0810_4000),
        ("__arena_end", 0x0817_0000),
        ("_start", BASE),
    ]);
    assert!(
        report.contains("stack overflow into the allocator's arena"),
        "{report}"
    );
    assert!(report.contains("__arena_end (0x881D0000)"), "{report}");
    // 64 KiB of stack were used before the arena.
    assert!(emu.machine().stack_used() >= 0x1_0000, "{report}");
}

#[test]
fn stack_overflow_into_static_data_is_caught() {
    let (_, report) = run_endless_push(&[("__bss_end", 0x0810_4000), ("_start", BASE)]);
    assert!(
        report.contains("stack overflow into static data"),
        "{report}"
    );
    assert!(report.contains("0x88164000"), "{report}");
    assert!(report.contains("<_start"), "{report}");
}

#[test]
fn budget_stops_runaway_code() {
    let mut asm = Asm::new();
    asm.label("spin").bra("spin");
    let mut emu = Emulator::builder()
        .budget(1_000_000)
        .load_code(&asm.finish())
        .unwrap();
    let err = emu.run_until(Condition::Exited).unwrap_err();
    assert_eq!(err.kind, RunErrorKind::BudgetExhausted);
    assert!(emu.instructions() >= 1_000_000);
    assert!(emu.is_running());
}

#[test]
fn timers_run_during_waits() {
    let mut asm = Asm::new();
    asm.push_pr();
    asm.li(1, 0x0810_0000).mov_imm(2, 0).op(0x2122); // counter = 0
    asm.mov_imm(4, 0).li_label(5, "handler").mov_imm(6, 100); // Timer_Install(0, handler, 100 ms)
    asm.syscall(sc::Timer_Install);
    asm.mov(4, 0).syscall(sc::Timer_Start); // Timer_Start(id)
    asm.li(4, 1000).syscall(sc::OS_InnerWait_ms); // OS_InnerWait_ms(1000)
    asm.li(1, 0x0810_0000).op(0x6412).syscall(sc::Emu_Exit); // Emu_Exit(counter)
    asm.label("handler");
    asm.li(1, 0x0810_0000)
        .op(0x6012)
        .op(0x7001)
        .op(0x2102)
        .rts(); // counter += 1
    let mut emu = emulator(&asm);
    emu.run_until(Condition::Exited).unwrap();
    assert_eq!(emu.outcome(), Some(&Outcome::Exited { code: 10 }));
    assert!(emu.elapsed() >= Duration::from_secs(1));
}

#[test]
fn clock_follows_instructions_and_waits() {
    let mut asm = Asm::new();
    asm.syscall(sc::RTC_GetTicks).mov(8, 0); // r8 = ticks
    asm.li(4, 500).syscall(sc::OS_InnerWait_ms); // wait 500 ms
    asm.syscall(sc::RTC_GetTicks).op(0x3088); // r0 -= r8
    asm.mov(4, 0).syscall(sc::Emu_Exit);
    let start = prizm_emu::DateTime::parse("2026-01-01 08:00:00").unwrap();
    let mut emu = Emulator::builder()
        .start_time(start)
        .load_code(&asm.finish())
        .unwrap();
    emu.run_until(Condition::Exited).unwrap();
    assert_eq!(emu.outcome(), Some(&Outcome::Exited { code: 64 }));
    assert_eq!(emu.now().hour, 8);
}

#[test]
fn storage_and_main_memory_api() {
    let dir = tempfile::tempdir().unwrap();
    let mcs = dir.path().join("mcs.json");
    let mut asm = Asm::new();
    asm.rts();
    let mut emu = Emulator::builder()
        .storage_dir(dir.path().join("fls0"))
        .main_memory_file(&mcs)
        .load_code(&asm.finish())
        .unwrap();
    emu.write_storage_file("@UTILS/Hash.plp", b"abc").unwrap();
    assert_eq!(emu.read_storage_file("@UTILS\\Hash.plp").unwrap(), b"abc");
    assert!(emu.read_storage_file("../escape").is_err());
    emu.set_main_memory_item("@LOCK", "Tries", &[3]).unwrap();
    assert_eq!(emu.main_memory_item("@LOCK", "Tries"), Some(vec![3]));
    assert!(std::fs::read_to_string(&mcs).unwrap().contains("@LOCK"));
}

#[test]
fn test_protocol() {
    let mut asm = Asm::new();
    let lines =
        "test a ... ok\nnoise\ntest b ... FAILED: nope\nimage shot images/shot.png\nfinished\n";
    asm.la(4, lines.as_bytes())
        .li(5, lines.len() as u32)
        .syscall(sc::Emu_DebugWrite);
    asm.mov_imm(4, 0).syscall(sc::Emu_Exit);
    let root = tempfile::tempdir().unwrap();
    let mut emu = emulator(&asm);
    let mut printed = Vec::new();
    let report = prizm_emu::testrunner::run_tests(&mut emu, root.path(), &mut |l| {
        printed.push(l.to_string())
    });
    assert_eq!((report.passed, report.images), (1, 0), "{printed:?}");
    // A missing golden fails (and is not written) unless blessed.
    assert_eq!(report.failures.len(), 2, "{:?}", report.failures);
    assert_eq!(report.failures[0], ("b".to_string(), "nope".to_string()));
    assert_eq!(report.failures[1].0, "image shot");
    assert!(
        report.failures[1].1.starts_with("no golden image"),
        "{:?}",
        report.failures
    );
    assert!(report.finished);
    assert!(!root.path().join("images/shot.png").exists());
    assert!(printed.iter().any(|l| l == "noise"));
    assert_eq!(report.summary(), "test result: FAILED. 1 passed; 2 failed");

    // With the golden in place: compared, and it matches.
    prizm_emu::screenshot::write_png(&root.path().join("images/shot.png"), &emu.vram()).unwrap();
    let mut emu = emulator(&asm);
    let report = prizm_emu::testrunner::run_tests(&mut emu, root.path(), &mut |_| {});
    assert_eq!((report.passed, report.images), (1, 1));
    assert_eq!(
        report.summary(),
        "test result: FAILED. 1 passed; 1 failed; 1 images matched"
    );

    // A crash in the middle of a test blames that test.
    let mut asm = Asm::new();
    let line = "test crashy ... ";
    asm.la(4, line.as_bytes())
        .li(5, line.len() as u32)
        .syscall(sc::Emu_DebugWrite);
    asm.li(1, 0).op(0x2102); // mov.l r0, @r1: a write through NULL
    let mut emu = emulator(&asm);
    let report = prizm_emu::testrunner::run_tests(&mut emu, root.path(), &mut |_| {});
    assert_eq!(report.failures.len(), 1);
    assert_eq!(report.failures[0].0, "crashy");
    assert!(
        report.failures[0].1.contains("null pointer"),
        "{:?}",
        report.failures
    );
}

fn gdb_send(stream: &mut TcpStream, payload: &str) -> String {
    stream
        .write_all(&prizm_emu::gdb::encode_packet(payload.as_bytes()))
        .unwrap();
    gdb_reply(stream)
}

fn gdb_reply(stream: &mut TcpStream) -> String {
    let mut reply = Vec::new();
    let mut byte = [0u8];
    loop {
        stream.read_exact(&mut byte).unwrap();
        match byte[0] {
            b'+' if reply.is_empty() => continue,
            b'$' if reply.is_empty() => reply.push(b'$'),
            b'#' => {
                let mut sum = [0u8; 2];
                stream.read_exact(&mut sum).unwrap();
                stream.write_all(b"+").unwrap();
                return String::from_utf8_lossy(&reply[1..]).into_owned();
            }
            b => reply.push(b),
        }
    }
}

#[test]
fn gdb_stub_breakpoints_registers_memory() {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let client = std::thread::spawn(move || {
        let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
        s.set_read_timeout(Some(Duration::from_secs(20))).unwrap();
        assert!(gdb_send(&mut s, "qSupported:multiprocess+").contains("PacketSize"));
        assert_eq!(gdb_send(&mut s, "?"), "S05");
        let regs = gdb_send(&mut s, "g");
        assert_eq!(regs.len(), 59 * 8);
        assert_eq!(&regs[16 * 8..17 * 8], "00300000", "pc");
        assert_eq!(&regs[15 * 8..16 * 8], "881e0000", "r15");
        assert_eq!(gdb_send(&mut s, "m300000,2"), "e42a");
        assert_eq!(gdb_send(&mut s, "m1000,4"), "E14");
        assert_eq!(gdb_send(&mut s, "Z0,300004,2"), "OK");
        assert_eq!(gdb_send(&mut s, "c"), "S05");
        assert_eq!(gdb_send(&mut s, "p10"), "00300004");
        assert_eq!(gdb_send(&mut s, "p4"), "0000002a");
        assert_eq!(gdb_send(&mut s, "P4=00000007"), "OK");
        assert_eq!(gdb_send(&mut s, "z0,300004,2"), "OK");
        assert_eq!(gdb_send(&mut s, "s"), "S05");
        assert_eq!(gdb_send(&mut s, "c"), "W07");
    });
    let (stream, _) = listener.accept().unwrap();
    let mut asm = Asm::new();
    asm.mov_imm(4, 42).nop().nop().syscall(sc::Emu_Exit);
    let mut emu = emulator(&asm);
    emu.attach_debugger(prizm_emu::gdb::GdbStub::from_stream(stream));
    emu.run_until(Condition::Exited).unwrap();
    emu.detach_debugger();
    client.join().unwrap();
    assert_eq!(emu.outcome(), Some(&Outcome::Exited { code: 7 }));
}
