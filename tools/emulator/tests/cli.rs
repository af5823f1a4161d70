//! The `prizm-emu` command line: run, test (as cargo's runner), errors.

mod common;

use std::path::Path;
use std::process::Command;

use common::{elf, g3a, Asm};
use prizm_platform::syscall as sc;

fn prizm_emu(args: &[&str], cwd: &Path) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_prizm-emu"))
        .args(args)
        .current_dir(cwd)
        .env_remove("PRIZM_BLESS")
        .env("PRIZM_REPO_ROOT", cwd)
        .output()
        .expect("prizm-emu runs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// Prints "  Ready" with PrintXY, then waits for keys; EXE exits with 5.
fn ready_program() -> Vec<u8> {
    g3a(&ready_code())
}

/// The code of [`ready_program`].
fn ready_code() -> Vec<u8> {
    let mut asm = Asm::new();
    asm.op(0x7FF0);
    asm.mov_imm(4, 1)
        .mov_imm(5, 1)
        .la(6, b"  Ready\0")
        .mov_imm(7, 0);
    asm.mov_imm(1, 0).op(0x2F16).syscall(sc::PrintXY).op(0x7F04);
    asm.label("loop");
    asm.mov(4, 15).syscall(sc::GetKey);
    asm.op(0x61F2).li(3, 30004).op(0x3130).bf("loop");
    asm.mov_imm(4, 5).syscall(sc::Emu_Exit);
    asm.finish()
}

#[test]
fn run_with_keys_and_screenshot() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("ready.g3a"), ready_program()).unwrap();
    let (code, out, err) = prizm_emu(
        &[
            "run",
            "ready.g3a",
            "--keys",
            "until-text \"Ready\"; screenshot shot.png; EXE",
            "--budget",
            "10000000",
        ],
        dir.path(),
    );
    assert_eq!(code, 1, "exit code 5 is a failure\n{out}\n{err}");
    assert!(out.contains("outcome:      exited with code 5"), "{out}");
    assert!(out.contains("MIPS"), "{out}");
    assert!(out.contains("58 MHz"), "{out}");
    assert!(dir.path().join("shot.png").exists());

    let (code, out, _) = prizm_emu(
        &["run", "ready.g3a", "--quiet", "--screenshot", "end.png"],
        dir.path(),
    );
    assert_eq!(code, 0, "waiting for a key is a fine end");
    assert!(out.contains("outcome: waiting for a key"), "{out}");
    let image = prizm_emu::screenshot::read_png(&dir.path().join("end.png")).unwrap();
    assert_eq!((image.width, image.height), (384, 216));
}

#[test]
fn a_closed_stdout_pipe_ends_quietly() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("ready.g3a"), ready_program()).unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_prizm-emu"))
        .args(["run", "ready.g3a", "--keys", "EXE"])
        .current_dir(dir.path())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("prizm-emu runs");
    // Nobody reads the summary, as with `| head -0`.
    drop(child.stdout.take());
    let pid = child.id();
    let out = child.wait_with_output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!err.contains("panicked"), "{err}");
    // Its temporary storage folder is gone all the same.
    let left: Vec<_> = std::fs::read_dir(std::env::temp_dir())
        .unwrap()
        .filter_map(|entry| entry.ok())
        .filter(|entry| entry.file_name().to_string_lossy().starts_with(&format!("prizm-emu-fls0-{pid}-")))
        .collect();
    assert!(left.is_empty(), "left behind: {left:?}");
}

#[test]
fn power_cut_option_ends_the_run_before_that_write() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("ready.g3a"), ready_program()).unwrap();
    // The program writes nothing, so a cut at write 1 never happens.
    let (code, out, err) = prizm_emu(
        &[
            "run",
            "ready.g3a",
            "--keys",
            "EXE",
            "--cut-power-after",
            "1",
        ],
        dir.path(),
    );
    assert_eq!(code, 1, "{out}{err}");
    assert!(out.contains("exited with code 5"), "{out}");
    let (code, _, err) = prizm_emu(&["run", "ready.g3a", "--cut-power-after", "0"], dir.path());
    assert_eq!(code, 2, "0 is refused by the parser");
    assert!(err.contains("--cut-power-after"), "{err}");
}

#[test]
fn clear_errors() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("ready.g3a"), ready_program()).unwrap();
    std::fs::write(dir.path().join("bad.g3a"), b"not an add-in").unwrap();
    let (code, _, err) = prizm_emu(&["run", "bad.g3a"], dir.path());
    assert_eq!(code, 2);
    assert!(err.contains("not an add-in"), "{err}");
    let (code, _, err) = prizm_emu(&["run", "ready.g3a", "--keys", "EXEE"], dir.path());
    assert_eq!(code, 2);
    assert!(
        err.contains("line 1: unknown key or command `EXEE` (did you mean EXE?)"),
        "{err}"
    );
    let (code, _, err) = prizm_emu(&["run", "missing.g3a"], dir.path());
    assert_eq!(code, 2);
    assert!(err.contains("missing.g3a"), "{err}");
    let (code, _, err) = prizm_emu(
        &["run", "ready.g3a", "--start-time", "tomorrow"],
        dir.path(),
    );
    assert_eq!(code, 2);
    assert!(err.contains("not a date and time"), "{err}");
    let mut edited = ready_program();
    edited[0x2E..0x32].copy_from_slice(&4u32.to_be_bytes());
    std::fs::write(dir.path().join("edited.g3a"), edited).unwrap();
    let (code, _, err) = prizm_emu(&["run", "edited.g3a"], dir.path());
    assert_eq!(code, 2);
    assert!(
        err.starts_with("prizm-emu: invalid g3a file (the calculator would not run it): ")
            && err.contains("payload size at 0x002E"),
        "{err}"
    );
}

#[test]
fn crash_report() {
    let dir = tempfile::tempdir().unwrap();
    let mut asm = Asm::new();
    asm.li(1, 0xA5A5_A5A4).op(0x6012);
    std::fs::write(
        dir.path().join("crash.elf"),
        elf(&asm.finish(), &[("main", 0x0030_0000)]),
    )
    .unwrap();
    let (code, out, err) = prizm_emu(&["run", "crash.elf"], dir.path());
    assert_eq!(code, 1);
    assert!(out.contains("crashed"), "{out}");
    assert!(err.contains("uninitialised memory"), "{err}");
    assert!(err.contains("<main"), "{err}");
}

#[test]
fn test_runner_like_cargo() {
    let dir = tempfile::tempdir().unwrap();
    let protocol = "test math::adds ... ok\ntest math::subtracts ... ok\nfinished\n";
    let mut asm = Asm::new();
    asm.la(4, protocol.as_bytes())
        .li(5, protocol.len() as u32)
        .syscall(sc::Emu_DebugWrite);
    asm.mov_imm(4, 0).syscall(sc::Emu_Exit);
    std::fs::write(dir.path().join("tests.elf"), elf(&asm.finish(), &[])).unwrap();
    // cargo appends its own arguments after the ELF.
    let (code, out, _) = prizm_emu(&["test", "tests.elf", "--nocapture", "adds"], dir.path());
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("test math::adds ... ok"), "{out}");
    assert_eq!(
        out.lines().last(),
        Some("test result: ok. 2 passed; 0 failed"),
        "{out}"
    );

    let protocol = "test a ... ok\ntest b ... FAILED: 1 != 2\n";
    let mut asm = Asm::new();
    asm.la(4, protocol.as_bytes())
        .li(5, protocol.len() as u32)
        .syscall(sc::Emu_DebugWrite);
    asm.label("spin").bra("spin");
    std::fs::write(dir.path().join("fails.elf"), elf(&asm.finish(), &[])).unwrap();
    let (code, out, _) = prizm_emu(&["test", "fails.elf", "--budget", "2000000"], dir.path());
    assert_ne!(code, 0);
    assert!(out.contains("b: 1 != 2"), "{out}");
    assert!(out.contains("budget"), "{out}");
    assert_eq!(
        out.lines().last(),
        Some("test result: FAILED. 1 passed; 2 failed"),
        "{out}"
    );
}

#[test]
fn profile_counts_per_function_from_the_scripts_profile_start() {
    let dir = tempfile::tempdir().unwrap();
    let code = elf(&ready_code(), &[("ready_main", 0x0030_0000)]);
    std::fs::write(dir.path().join("ready.elf"), code).unwrap();
    let profile = |keys: &str| {
        let (status, out, err) = prizm_emu(
            &[
                "run",
                "ready.elf",
                "--keys",
                keys,
                "--profile",
                "prof.txt",
                "--budget",
                "10000000",
            ],
            dir.path(),
        );
        assert_eq!(status, 1, "exit code 5\n{out}\n{err}");
        let report = std::fs::read_to_string(dir.path().join("prof.txt")).unwrap();
        let total: u64 = report.split(' ').next().unwrap().parse().unwrap();
        (total, report)
    };
    let (whole, report) = profile("until-text \"Ready\"; EXE");
    assert!(
        report.contains("% ") && report.contains("ready_main"),
        "{report}"
    );
    assert!(report.contains("OS time in syscalls"), "{report}");
    // From the step on: only the key loop's last round and the exit call.
    let (tail, report) = profile("until-text \"Ready\"; profile-start; EXE");
    assert!(
        tail > 0 && tail < 20 && tail < whole,
        "{tail} of {whole}\n{report}"
    );

    let (status, _, err) = prizm_emu(&["run", "ready.elf", "--keys", "profile-start"], dir.path());
    assert_eq!(status, 2);
    assert!(err.contains("profile-start needs --profile FILE"), "{err}");
}
