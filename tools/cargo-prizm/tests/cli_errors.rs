//! Failures that need no toolchain: each one a clear message and a failing
//! exit status.

use std::path::Path;
use std::process::{Command, Output};

fn cargo_prizm(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_cargo-prizm"))
        .arg("prizm")
        .args(args)
        .current_dir(dir)
        .env("CARGO_PRIZM_MOUNT_PATTERNS", dir.join("media/*/*"))
        .output()
        .expect("run cargo-prizm")
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

#[test]
fn a_misspelt_flag_is_refused_with_a_suggestion() {
    let dir = tempfile::tempdir().unwrap();
    let output = cargo_prizm(dir.path(), &["build", "--relase"]);
    assert_eq!(output.status.code(), Some(2));
    let message = stderr(&output);
    assert!(message.contains("--relase"), "{message}");
    assert!(message.contains("--release"), "{message}");
    let output = cargo_prizm(dir.path(), &["flash"]);
    assert_eq!(output.status.code(), Some(2));
}

#[test]
fn a_crate_that_is_not_an_addin_is_named() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("Cargo.toml"),
        "[package]\nname = \"plain\"\nversion = \"0.1.0\"\nedition = \"2021\"\n",
    )
    .unwrap();
    for command in [
        &["build"][..],
        &["run", "--headless"],
        &["test"],
        &["debug"],
    ] {
        let output = cargo_prizm(dir.path(), command);
        assert_eq!(output.status.code(), Some(1), "{command:?}");
        let message = stderr(&output);
        assert!(
            message.contains("is not a prizm add-in crate"),
            "{command:?}: {message}"
        );
        assert!(message.contains("[package.metadata.prizm]"), "{message}");
    }
}

#[test]
fn install_without_a_calculator_or_with_a_missing_folder_refuses() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("media/user/USBSTICK")).unwrap();
    let output = cargo_prizm(dir.path(), &["install"]);
    assert_eq!(output.status.code(), Some(1));
    let message = stderr(&output);
    assert!(message.contains("no calculator found"), "{message}");
    assert!(
        message.contains("USB Flash") && message.contains("--to DIR"),
        "{message}"
    );

    let missing = dir.path().join("not-mounted");
    let output = cargo_prizm(dir.path(), &["install", "--to", &missing.to_string_lossy()]);
    assert_eq!(output.status.code(), Some(1));
    let message = stderr(&output);
    assert!(message.contains("not-mounted does not exist"), "{message}");

    std::fs::create_dir_all(dir.path().join("media/user/CASIO/@MainMem")).unwrap();
    std::fs::create_dir_all(dir.path().join("media/other/FX")).unwrap();
    std::fs::write(dir.path().join("media/other/FX/Physium.g3a"), b"x").unwrap();
    let output = cargo_prizm(dir.path(), &["install"]);
    let message = stderr(&output);
    assert!(
        message.contains("several drives look like a calculator"),
        "{message}"
    );
}
