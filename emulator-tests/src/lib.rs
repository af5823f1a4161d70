//! Shared helpers of the end-to-end tests: where the built add-ins are,
//! fresh storage and main memory per test, and screens checked against
//! committed goldens.

use std::path::{Path, PathBuf};

use prizm_emu::{golden, Condition, Emulator, EmulatorBuilder, RunError};

/// The repository root.
pub fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap().to_path_buf()
}

/// The packaged add-in `name` (built by `tools/build.sh`).
pub fn addin(name: &str) -> PathBuf {
    let path = repo().join("target/addins").join(format!("{name}.g3a"));
    assert!(path.exists(), "{} is missing: run tools/build.sh first", path.display());
    path
}

/// A fresh, empty scratch folder for one test.
pub fn scratch(test: &str) -> PathBuf {
    let dir = repo().join("target/emulator-tests").join(test);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("fls0")).unwrap();
    dir
}

/// An emulator builder with this test's own storage and main memory.
pub fn builder(test: &str) -> EmulatorBuilder {
    let dir = scratch(test);
    Emulator::builder().storage_dir(dir.join("fls0")).main_memory_file(dir.join("main-memory.json"))
}

/// Checks what the LCD shows against the committed golden
/// `emulator-tests/screenshots/<name>.png` with the check the device tests
/// use ([`prizm_emu::golden::check`]); panics, failing the test, when the
/// screen differs or the golden is missing (the screen is then saved under
/// `target/prizm-emu-images/`). `PRIZM_BLESS=1` writes the golden instead.
#[track_caller]
pub fn assert_screen(emulator: &Emulator, name: &str) {
    let golden = format!("emulator-tests/screenshots/{name}.png");
    let root = repo();
    let actual = golden::actual_image_path(&root, &golden);
    if let Err(error) = golden::check(emulator.screen(), &root.join(&golden), &actual, golden::bless_requested()) {
        panic!("screen {name:?}: {error}");
    }
}

/// The screen pixel at (x, y) as 8-bit (r, g, b).
pub fn pixel(emulator: &Emulator, x: usize, y: usize) -> (u8, u8, u8) {
    let value = emulator.screen()[y * 384 + x];
    let r = ((value >> 11) & 0x1f) as u8;
    let g = ((value >> 5) & 0x3f) as u8;
    let b = (value & 0x1f) as u8;
    (r << 3 | r >> 2, g << 2 | g >> 4, b << 3 | b >> 2)
}

/// An emulator builder over the storage and main memory that
/// [`builder`]`(test)` created, without emptying them: "the next run" of
/// an add-in on the same calculator. (Main memory is saved to its file
/// after every change, so the file is current at any moment.)
pub fn builder_again(test: &str) -> EmulatorBuilder {
    let dir = repo().join("target/emulator-tests").join(test);
    assert!(dir.exists(), "{} is missing: call builder({test:?}) first", dir.display());
    Emulator::builder().storage_dir(dir.join("fls0")).main_memory_file(dir.join("main-memory.json"))
}

/// The debug output written after byte `offset` (from an earlier
/// `emulator.debug_output().len()`), as text.
pub fn debug_since(emulator: &Emulator, offset: usize) -> String {
    let output = emulator.debug_output();
    String::from_utf8_lossy(&output[offset.min(output.len())..]).into_owned()
}

/// Runs until a complete line (ending in a newline) written to the debug
/// channel after byte `offset` contains `text`, and returns that line.
/// Unlike `Condition::DebugOutput`, lines written before `offset` do not
/// count, so a test can wait for the *next* occurrence of a message.
pub fn run_until_debug_line(emulator: &mut Emulator, offset: usize, text: &str) -> Result<String, RunError> {
    loop {
        let new = debug_since(emulator, offset);
        // Only complete lines: a line may arrive in several writes.
        let complete = match new.rfind('\n') {
            Some(end) => &new[..end],
            None => "",
        };
        if let Some(line) = complete.lines().find(|line| line.contains(text)) {
            return Ok(line.to_string());
        }
        let len = emulator.debug_output().len();
        emulator.run_until(Condition::DebugBytes(len)).map_err(|mut e| {
            e.wanted = format!("a new debug line containing {text:?}");
            e
        })?;
    }
}
