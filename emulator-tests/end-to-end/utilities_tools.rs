//! Utilities, part 2 (addins/utilities: files, text, system, tools, lock)
//! end to end in the emulator, each test on its own storage folder.
//!
//! Part 2's modules open from home's F6 menu ("More"): 5 Files,
//! 6 System, 7 Tools, 8 Lock. The screens report
//! themselves on the debug channel (`files: dir=… cursor=… marked=…
//! clipboard=… entries=…`, `text: view top=… offset=… size=…`,
//! `text: edit cursor=… modified=…`, `system: …`, `lock: screen=…`); the
//! tests wait for those lines and check storage and main memory on the
//! host.

use std::path::Path;

use emulator_tests::{addin, assert_screen, builder, run_until_debug_line};
use prizm_emu::{Condition, Emulator, Key, KeyNames};

/// The keys that open each module from home (F6, then its number).
const FILES: [Key; 2] = [Key::F6, Key::Digit5];
const SYSTEM: [Key; 2] = [Key::F6, Key::Digit6];
const TOOLS: [Key; 2] = [Key::F6, Key::Digit7];
const LOCK: [Key; 2] = [Key::F6, Key::Digit8];

/// Starts Utilities on a fresh storage folder filled by `fill` (paths
/// relative to `\\fls0\`), waiting on its home menu.
/// Utilities as an ELF, not the .g3a: run from a .g3a, the emulator puts
/// the add-in file in the storage root as the calculator has it, and its
/// size (which the file manager shows) changes with every build.
fn utilities_elf() -> std::path::PathBuf {
    let _packaged = addin("utilities");
    emulator_tests::repo().join("target/addins/utilities.elf")
}

fn start(test: &str, budget: u64, fill: impl FnOnce(&Path)) -> Emulator {
    let builder = builder(test);
    let storage = emulator_tests::repo().join("target/emulator-tests").join(test).join("fls0");
    fill(&storage);
    let mut emu = builder.budget(budget).open(utilities_elf()).unwrap();
    skip_first_run(&mut emu);
    idle(&mut emu);
    emu
}

/// Writes Utilities' settings item with its defaults when there is none
/// (as if it had run before), so it starts at home, not in its first-run
/// wizard (layout: addins/utilities/docs/data-formats.md).
fn skip_first_run(emu: &mut Emulator) {
    if emu.main_memory_item("@UTILS", "Set").is_none() {
        let mut settings = vec![0u8; 64];
        let defaults = [(0, 15), (5, 1), (6, 250), (8, 1), (9, 1), (10, 1), (12, 1), (17, 1), (18, 1), (20, 1), (21, 1), (22, 1), (23, 1), (24, 51)];
        for (index, value) in defaults {
            settings[index] = value;
        }
        emu.set_main_memory_item("@UTILS", "Set", &settings).unwrap();
    }
}

fn idle(emu: &mut Emulator) {
    emu.run_until(Condition::WaitingForKey).unwrap_or_else(|e| panic!("{e}"));
}

/// Presses `keys`, waits for a new debug line containing `text`, then for
/// the key wait. Returns the line.
fn keys_then(emu: &mut Emulator, keys: &[Key], text: &str) -> String {
    let from = emu.debug_output().len();
    for &key in keys {
        emu.press(key);
    }
    let line = run_until_debug_line(emu, from, text).unwrap_or_else(|e| panic!("{e}"));
    idle(emu);
    line
}

/// Presses `keys` and lets the add-in settle.
fn keys(emu: &mut Emulator, keys: &[Key]) {
    for &key in keys {
        emu.press(key);
        idle(emu);
    }
}

fn typed(text: &str) -> Vec<Key> {
    text.chars().flat_map(|c| Key::for_char(c).unwrap()).collect()
}

fn write(path: &Path, data: &[u8]) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, data).unwrap();
}

/// Deterministic bytes that are not text.
fn noise(length: usize, seed: u32) -> Vec<u8> {
    let mut state = seed;
    (0..length)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 17;
            state ^= state << 5;
            state as u8
        })
        .collect()
}

/// Every file and folder under `root`, relative, with contents (None for
/// folders), sorted.
fn listing(root: &Path) -> Vec<(String, Option<Vec<u8>>)> {
    let mut out = Vec::new();
    let mut pending = vec![root.to_path_buf()];
    while let Some(dir) = pending.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            let relative = path.strip_prefix(root).unwrap().to_string_lossy().replace('\\', "/");
            if path.is_dir() {
                out.push((relative, None));
                pending.push(path);
            } else {
                out.push((relative, Some(std::fs::read(&path).unwrap())));
            }
        }
    }
    out.sort();
    out
}

fn tree(storage: &Path) {
    write(&storage.join("src/notes.txt"), b"Shopping: apples, pears\r\n");
    write(&storage.join("src/deep/data.bin"), &noise(10_000, 7));
    write(&storage.join("src/deep/more/quote.txt"), b"A needle in a haystack.\n");
    std::fs::create_dir_all(storage.join("src/empty")).unwrap();
    std::fs::create_dir_all(storage.join("dst")).unwrap();
}

#[test]
fn copying_a_folder_tree_gives_the_same_bytes() {
    let mut emu = start("utilities-copy-tree", 2_000_000_000, tree);
    // Folders first by name: dst, src.
    keys_then(&mut emu, &FILES, "files: dir=\\\\fls0 cursor=dst");
    assert_screen(&emu, "utilities-files-root");
    keys_then(&mut emu, &[Key::Down, Key::F2], "clipboard=1");
    keys_then(&mut emu, &[Key::Up, Key::Exe], "files: dir=\\\\fls0\\dst cursor= ");
    keys_then(&mut emu, &[Key::F4], "files: dir=\\\\fls0\\dst cursor=src marked=0 clipboard=1 entries=1");
    assert_screen(&emu, "utilities-files-pasted");
    let storage = emu.storage_dir().to_path_buf();
    let source = listing(&storage.join("src"));
    assert_eq!(source.len(), 6);
    assert_eq!(listing(&storage.join("dst/src")), source, "the copy differs from the source");
    // The source stays, and no side file of the atomic copies is left.
    assert_eq!(listing(&storage.join("src")), source);
    assert!(listing(&storage).iter().all(|(name, _)| !name.ends_with(".part") && !name.ends_with(".new")));
}

#[test]
fn move_rename_and_delete() {
    let mut emu = start("utilities-move-rename-delete", 2_000_000_000, tree);
    let storage = emu.storage_dir().to_path_buf();
    let before = listing(&storage.join("src"));
    // Cut src, paste into dst.
    keys_then(&mut emu, &FILES, "cursor=dst");
    keys_then(&mut emu, &[Key::Down, Key::F3], "clipboard=1");
    keys_then(&mut emu, &[Key::Up, Key::Exe], "dir=\\\\fls0\\dst");
    keys_then(&mut emu, &[Key::F4], "files: dir=\\\\fls0\\dst cursor=src marked=0 clipboard=0 entries=1");
    assert!(!storage.join("src").exists(), "moved: the source is gone");
    assert_eq!(listing(&storage.join("dst/src")), before);
    // Rename dst\src to MOVED: F6, Rename (1), clear the name, type.
    keys(&mut emu, &[Key::F6, Key::Digit1, Key::AcOn]);
    let mut rename = typed("MOVED");
    rename.push(Key::Exe);
    keys_then(&mut emu, &rename, "files: dir=\\\\fls0\\dst cursor=MOVED");
    assert!(storage.join("dst/MOVED/deep/data.bin").exists());
    assert!(!storage.join("dst/src").exists());
    assert_screen(&emu, "utilities-files-renamed");
    // Delete it: F5 asks, F1 confirms.
    keys(&mut emu, &[Key::F5]);
    assert_screen(&emu, "utilities-files-delete-question");
    keys_then(&mut emu, &[Key::F1], "files: dir=\\\\fls0\\dst cursor= marked=0 clipboard=0 entries=0");
    assert!(storage.join("dst").exists());
    assert_eq!(listing(&storage.join("dst")), vec![], "everything under it is deleted");
}

#[test]
fn same_name_paste_asks_and_keeps_both() {
    let mut emu = start("utilities-same-name", 2_000_000_000, |storage| {
        write(&storage.join("a.txt"), b"new");
        write(&storage.join("dst/a.txt"), b"old");
    });
    let storage = emu.storage_dir().to_path_buf();
    // Folders first: dst, a.txt.
    keys_then(&mut emu, &FILES, "cursor=dst");
    keys_then(&mut emu, &[Key::Down, Key::F2], "clipboard=1");
    keys_then(&mut emu, &[Key::Up, Key::Exe], "dir=\\\\fls0\\dst");
    keys(&mut emu, &[Key::F4]);
    assert_screen(&emu, "utilities-files-same-name");
    // 3: keep both.
    keys_then(&mut emu, &[Key::Digit3], "entries=2");
    assert_eq!(std::fs::read(storage.join("dst/a.txt")).unwrap(), b"old");
    assert_eq!(std::fs::read(storage.join("dst/a (2).txt")).unwrap(), b"new");
    // Again, replacing this time (the listing looks the same after).
    keys(&mut emu, &[Key::F4, Key::Digit2]);
    assert!(emu.screen_contains_text("Copying: done."), "{:?}", emu.text_on_screen());
    assert_eq!(std::fs::read(storage.join("dst/a.txt")).unwrap(), b"new");
}

#[test]
fn search_by_content_finds_the_file_in_a_subfolder() {
    let mut emu = start("utilities-search", 2_000_000_000, tree);
    keys_then(&mut emu, &FILES, "cursor=dst");
    // F6, Search (4), the text, EXE, then "Start search" (1).
    keys(&mut emu, &[Key::F6, Key::Digit4]);
    let mut text = typed("NEEDLE");
    text.push(Key::Exe);
    keys(&mut emu, &text);
    let line = keys_then(&mut emu, &[Key::Digit1], "files: search hits=");
    assert!(line.contains("hits=1 aborted=false"), "{line}");
    assert!(emu.screen_contains_text("\\src\\deep\\more\\quote.txt"), "{:?}", emu.text_on_screen());
    assert_screen(&emu, "utilities-files-search-results");
    // EXE goes to the file.
    keys_then(&mut emu, &[Key::Exe], "files: dir=\\\\fls0\\src\\deep\\more cursor=quote.txt");
}

#[test]
fn file_information_shows_sha1_and_sha256() {
    let mut emu = start("utilities-hash", 2_000_000_000, |storage| {
        write(&storage.join("abc.txt"), b"abc");
        // Not empty: the OS lists a 0-byte file like a folder (size 0).
        write(&storage.join("one.txt"), b"1");
        std::fs::create_dir_all(storage.join("folder")).unwrap();
    });
    // folder, abc.txt, one.txt: the information steps over files only.
    keys_then(&mut emu, &[Key::F6, Key::Digit5, Key::Down], "cursor=abc.txt");
    keys(&mut emu, &[Key::Optn, Key::Right]);
    assert!(emu.screen_contains_text("one.txt"), "next: {:?}", emu.text_on_screen());
    let line = keys_then(&mut emu, &[Key::F1], "files: hash one.txt");
    assert!(line.contains("sha1=356a192b7913b04c54574d18c28d46e6395428ab"), "{line}");
    keys(&mut emu, &[Key::Right]);
    assert!(emu.screen_contains_text("one.txt"), "no file after the last: {:?}", emu.text_on_screen());
    keys(&mut emu, &[Key::Left, Key::Left]);
    assert!(emu.screen_contains_text("abc.txt"), "previous, not the folder: {:?}", emu.text_on_screen());
    keys(&mut emu, &[Key::Exit]);
    keys(&mut emu, &[Key::Optn]);
    let line = keys_then(&mut emu, &[Key::F1], "files: hash abc.txt");
    assert!(line.contains("sha1=a9993e364706816aba3e25717850c26c9cd0d89d"), "{line}");
    assert!(line.contains("sha256=ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"), "{line}");
    assert_screen(&emu, "utilities-files-information");
}

/// One mebibyte of numbered lines.
fn big_text() -> Vec<u8> {
    let mut text = Vec::new();
    let mut line = 1;
    while text.len() < 1 << 20 {
        text.extend_from_slice(format!("Line {line:06}: the quick brown fox jumps over the lazy dog\r\n").as_bytes());
        line += 1;
    }
    text.truncate(1 << 20);
    text
}

#[test]
fn a_one_mebibyte_text_pages_to_its_end() {
    let text = big_text();
    let mut emu = start("utilities-big-text", 4_000_000_000, |storage| write(&storage.join("BIG.txt"), &text));
    keys_then(&mut emu, &FILES, "cursor=BIG.txt");
    keys_then(&mut emu, &[Key::Exe], "text: view top=0 offset=0 size=1048576");
    keys_then(&mut emu, &[Key::Right], "text: view top=11 ");
    // F4: the end.
    let line = keys_then(&mut emu, &[Key::F4], "text: view top=");
    let offset: usize = line.split("offset=").nth(1).unwrap().split(' ').next().unwrap().parse().unwrap();
    assert!(offset > (1 << 20) - 2000, "{line}");
    let last_line_start = text[..text.len() - 1].iter().rposition(|&b| b == b'\n').unwrap() + 1;
    let last = String::from_utf8_lossy(&text[last_line_start..last_line_start + 12]).into_owned();
    assert!(emu.screen_contains_text(&last), "{last:?} not in {:?}", emu.text_on_screen());
    assert_screen(&emu, "utilities-text-end");
    // Going back a page shows earlier rows.
    keys_then(&mut emu, &[Key::Left], "text: view top=");
    println!("1 MiB to its end: {} instructions", emu.instructions());
    // Editing needs the whole file in memory: refused with the sizes.
    keys(&mut emu, &[Key::F5]);
    // (No golden: the free memory it gives follows the add-in's size.)
    assert!(emu.screen_contains_text("Too large to edit"), "{:?}", emu.text_on_screen());
    assert!(emu.screen_contains_text("BIG.txt needs 1.0 MB,"), "{:?}", emu.text_on_screen());
    // Back in the viewer where it was.
    keys(&mut emu, &[Key::Exit]);
    assert!(emu.screen_contains_text("99%"), "{:?}", emu.text_on_screen());
}

#[test]
fn editing_and_saving_replaces_the_file() {
    let mut emu = start("utilities-edit", 2_000_000_000, |storage| {
        write(&storage.join("NOTE.txt"), b"first line\nsecond line\n");
    });
    let storage = emu.storage_dir().to_path_buf();
    keys_then(&mut emu, &FILES, "cursor=NOTE.txt");
    keys_then(&mut emu, &[Key::Exe], "text: view");
    keys_then(&mut emu, &[Key::F5], "text: edit cursor=0 row=0 modified=false");
    // Down to the second line, type, see the marker.
    let mut edit = vec![Key::Down];
    edit.extend(typed("NEW "));
    keys_then(&mut emu, &edit, "text: edit cursor=15 row=1 modified=true");
    assert_screen(&emu, "utilities-text-edit");
    // EXIT asks to save; F1 says yes.
    keys(&mut emu, &[Key::Exit]);
    assert!(emu.screen_contains_text("Save changes?"), "{:?}", emu.text_on_screen());
    keys_then(&mut emu, &[Key::F1], "text: view");
    assert_eq!(std::fs::read(storage.join("NOTE.txt")).unwrap(), b"first line\nNEW second line\n");
    assert!(!storage.join("NOTE.txt.new").exists() && !storage.join("NOTE.txt.part").exists());
}

#[test]
fn system_information_and_power_settings() {
    let mut emu = start("utilities-system", 2_000_000_000, |storage| write(&storage.join("x.bin"), &noise(4096, 3)));
    let line = keys_then(&mut emu, &SYSTEM, "system: os=");
    assert!(line.contains("battery_mv="), "{line}");
    assert!(line.contains("cpu_hz=58000000"), "{line}");
    assert!(!line.contains("main_capacity=0"), "{line}");
    // No golden of this screen: it shows Utilities' own stack and heap
    // use, which change with any change to the add-in's code.
    assert!(line.contains("os_date=2026.1123.1200"), "{line}");
    assert!(line.contains("power_source=emulator"), "{line}");
    for text in ["Storage memory", "Main memory", "02.02.0201", "58.00 MHz", "Utilities", "2026.1123.1200", "power source: emulator"] {
        assert!(emu.screen_contains_text(text), "{text}: {:?}", emu.text_on_screen());
    }
    // Power: auto power-off (1), choose 30 min (6).
    keys_then(&mut emu, &[Key::F1], "system: power_off_minutes=");
    let line = keys_then(&mut emu, &[Key::Digit1, Key::Digit6], "system: power_off_minutes=30");
    assert!(line.contains("backlight_half_minutes="), "{line}");
    assert_screen(&emu, "utilities-system-power");
    // Backlight (2): 3 minutes (4th choice, 6 half-minutes).
    keys_then(&mut emu, &[Key::Digit2, Key::Digit4], "backlight_half_minutes=6");
    // Backlight level (3): the LCD controller starts at the brightest, 249;
    // the chooser opens on it; the 4th choice is 100.
    assert_eq!(emu.machine().mem.io.backlight_level(), 249);
    keys(&mut emu, &[Key::Digit3]);
    assert_screen(&emu, "utilities-system-backlight-level");
    let line = keys_then(&mut emu, &[Key::Digit4], "system: power_off_minutes=");
    assert!(line.contains("backlight_level=100"), "{line}");
    assert_eq!(emu.machine().mem.io.backlight_level(), 100, "the LCD controller's register");
    // Leaving and reopening the screen reads the level back from the controller.
    keys_then(&mut emu, &[Key::Exit], "system: os=");
    let line = keys_then(&mut emu, &[Key::F1], "system: power_off_minutes=");
    assert!(line.contains("backlight_level=100"), "{line}");
    assert!(emu.screen_contains_text("Backlight level: 100 of 249"), "{:?}", emu.text_on_screen());
    // EXIT in the chooser keeps the level.
    keys(&mut emu, &[Key::Digit3, Key::Exit]);
    assert_eq!(emu.machine().mem.io.backlight_level(), 100);
}

#[test]
fn password_file_honours_the_options() {
    let mut emu = start("utilities-passwords", 2_000_000_000, |_| {});
    let storage = emu.storage_dir().to_path_buf();
    keys(&mut emu, &TOOLS);
    keys(&mut emu, &[Key::Digit1]);
    // Length 20; symbols off (2); then write many (8): 25, default name.
    let mut script = vec![Key::Digit1];
    script.extend(typed("20"));
    script.extend([Key::Exe, Key::Digit2, Key::Digit8]);
    script.extend(typed("25"));
    script.extend([Key::Exe, Key::Exe]);
    keys_then(&mut emu, &script, "tools: wrote 25 passwords to \\\\fls0\\PASSWORDS.txt");
    let text = String::from_utf8(std::fs::read(storage.join("PASSWORDS.txt")).unwrap()).unwrap();
    let lines: Vec<&str> = text.split("\r\n").filter(|line| !line.is_empty()).collect();
    assert_eq!(lines.len(), 25);
    for line in &lines {
        assert_eq!(line.len(), 20, "{line}");
        assert!(line.chars().all(|c| c.is_ascii_alphanumeric()), "no symbols: {line}");
        assert!(line.chars().any(|c| c.is_ascii_digit()) && line.chars().any(|c| c.is_ascii_uppercase()), "{line}");
    }
    let distinct: std::collections::HashSet<&&str> = lines.iter().collect();
    assert_eq!(distinct.len(), 25);
}

#[test]
fn lock_and_unlock_with_the_cglock_pin() {
    let mut emu = start("utilities-lock", 3_000_000_000, |_| {});
    // No lock yet: CGlock's first-run setup, PIN 1234 twice, then locked.
    keys_then(&mut emu, &LOCK, "lock: screen=ChooseKind(Setup)");
    let mut setup = vec![Key::F1];
    setup.extend(typed("1234"));
    setup.push(Key::Exe);
    setup.extend(typed("1234"));
    setup.push(Key::Exe);
    keys_then(&mut emu, &setup, "lock: screen=Locked { prompt_open: false }");
    let record = emu.main_memory_item("@CGLOCK", "Lock").expect("CGlock's record");
    assert_eq!(record[5] & 0x02, 0x02, "the record says locked");
    assert_screen(&emu, "utilities-lock-locked");
    // EXIT does not leave; a wrong PIN counts; the right one unlocks.
    keys(&mut emu, &[Key::Exit]);
    let mut wrong = typed("9999");
    wrong.push(Key::Exe);
    keys_then(&mut emu, &wrong, "failures=1");
    let mut right = typed("1234");
    right.push(Key::Exe);
    keys_then(&mut emu, &right, "lock: screen=Home failures=0");
    let record = emu.main_memory_item("@CGLOCK", "Lock").unwrap();
    assert_eq!(record[5] & 0x02, 0, "unlocked in the record");
    // Back on Utilities' home; Lock again locks at once with the same PIN.
    keys_then(&mut emu, &LOCK, "lock: screen=Locked { prompt_open: false }");
    keys_then(&mut emu, &right, "lock: screen=Home failures=0");
}

// ------------------------------------------------------------ power cuts

/// Runs Utilities on `test`'s storage with `script` queued at once and
/// the power cut before storage write `cut` (None: no cut). Returns the
/// storage writes made and whether the power was cut.
fn run_cut(test: &str, fresh: bool, fill: &dyn Fn(&Path), script: &[Key], cut: Option<u64>) -> (u64, bool) {
    let mut builder = if fresh {
        let builder = builder(test);
        fill(&emulator_tests::repo().join("target/emulator-tests").join(test).join("fls0"));
        builder
    } else {
        emulator_tests::builder_again(test)
    };
    if let Some(write) = cut {
        builder = builder.cut_power_before_write(write);
    }
    let mut emu = builder.budget(2_000_000_000).open(utilities_elf()).unwrap();
    skip_first_run(&mut emu);
    for &key in script {
        emu.press(key);
    }
    let _ = emu.run_until(Condition::WaitingForKey);
    let cut_happened = matches!(emu.outcome(), Some(prizm_emu::Outcome::PowerCut { .. }));
    assert!(cut_happened || emu.is_waiting_for_key(), "{:?}", emu.outcome());
    (emu.storage_writes(), cut_happened)
}

/// Cuts the power before every storage write `script` makes, then starts
/// Utilities again with `reopen` (which visits what was being written, so
/// an interrupted replacement is finished or undone) and calls `check` on
/// the storage folder.
fn cut_at_every_write(test: &str, fill: &dyn Fn(&Path), script: &[Key], reopen: &[Key], check: &dyn Fn(&Path, u64)) {
    let (writes, cut) = run_cut(test, true, fill, script, None);
    assert!(!cut && writes > 0, "{writes} writes");
    let storage = emulator_tests::repo().join("target/emulator-tests").join(test).join("fls0");
    check(&storage, 0);
    for write in 1..=writes {
        let (_, cut) = run_cut(test, true, fill, script, Some(write));
        assert!(cut, "write {write} of {writes} was not reached");
        run_cut(test, false, fill, reopen, None);
        check(&storage, write);
    }
    println!("{test}: cut before each of {writes} storage writes");
}

/// No `.part` or `.new` file anywhere.
fn assert_no_side_files(storage: &Path, write: u64) {
    for (name, _) in listing(storage) {
        assert!(!name.ends_with(".part") && !name.ends_with(".new"), "cut {write}: {name} left");
    }
}

#[test]
fn a_power_cut_during_paste_leaves_every_file_old_or_new() {
    let fill = |storage: &Path| {
        tree(storage);
        // An older copy already there, replaced by the paste.
        write(&storage.join("dst/src/notes.txt"), b"old notes");
    };
    // Files, src, copy, dst, paste, merge into the folder, replace the file.
    let script = [Key::F6, Key::Digit5, Key::Down, Key::F2, Key::Up, Key::Exe, Key::F4, Key::Digit2, Key::Digit2];
    let reopen = [Key::F6, Key::Digit5, Key::Exe, Key::Exe];
    let sources = {
        // The tree as `fill` makes it, listed from a scratch folder of
        // this process that is removed again.
        let dir = std::env::temp_dir().join(format!("utilities-paste-source-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        tree(&dir);
        let sources = listing(&dir.join("src"));
        let _ = std::fs::remove_dir_all(&dir);
        sources
    };
    cut_at_every_write("utilities-cut-paste", &fill, &script, &reopen, &|storage, write| {
        assert_no_side_files(storage, write);
        for (name, found) in listing(&storage.join("dst/src")) {
            let (_, expected) = sources
                .iter()
                .find(|(source, _)| *source == name)
                .unwrap_or_else(|| panic!("cut {write}: unexpected {name}"));
            let old = name == "notes.txt" && found.as_deref() == Some(&b"old notes"[..]);
            assert!(found == *expected || old, "cut {write}: {name} is neither old nor new");
        }
        // The replaced file is never lost.
        assert!(storage.join("dst/src/notes.txt").exists(), "cut {write}: notes.txt lost");
        // The source is untouched by a copy.
        assert_eq!(listing(&storage.join("src")), sources, "cut {write}: source changed");
    });
}

#[test]
fn a_power_cut_during_rename_leaves_the_old_or_the_new_name() {
    let fill = |storage: &Path| write(&storage.join("OLD.txt"), b"contents");
    let mut script = vec![Key::F6, Key::Digit5, Key::F6, Key::Digit1, Key::AcOn];
    script.extend(typed("NEW.TXT"));
    script.push(Key::Exe);
    cut_at_every_write("utilities-cut-rename", &fill, &script, &FILES, &|storage, write| {
        let names: Vec<String> = listing(storage).into_iter().map(|(name, _)| name).collect();
        assert!(names == ["OLD.txt"] || names == ["NEW.TXT"], "cut {write}: {names:?}");
        let name = &names[0];
        assert_eq!(std::fs::read(storage.join(name)).unwrap(), b"contents");
    });
}

#[test]
fn a_power_cut_during_save_leaves_the_old_or_the_new_text() {
    let fill = |storage: &Path| write(&storage.join("NOTE.txt"), b"first line\nsecond line\n");
    let mut script = vec![Key::F6, Key::Digit5, Key::Exe, Key::F5, Key::Down];
    script.extend(typed("NEW "));
    script.push(Key::F6);
    // Opening the file again finishes an interrupted save.
    let reopen = [Key::F6, Key::Digit5, Key::Exe];
    cut_at_every_write("utilities-cut-save", &fill, &script, &reopen, &|storage, write| {
        assert_no_side_files(storage, write);
        let text = std::fs::read(storage.join("NOTE.txt")).unwrap_or_else(|_| panic!("cut {write}: NOTE.txt lost"));
        assert!(
            text == b"first line\nsecond line\n" || text == b"first line\nNEW second line\n",
            "cut {write}: {:?}",
            String::from_utf8_lossy(&text)
        );
    });
}

// ------------------------------------------------------------ authenticator

/// RFC 6238 TOTP (SHA-1, 6 digits) computed on the host with RustCrypto.
fn host_totp(secret: &[u8], unix: u64) -> String {
    use hmac::{Hmac, Mac};
    let mut mac = Hmac::<sha1::Sha1>::new_from_slice(secret).unwrap();
    mac.update(&(unix / 30).to_be_bytes());
    let digest = mac.finalize().into_bytes();
    let offset = (digest[19] & 0x0F) as usize;
    let value = u32::from_be_bytes(digest[offset..offset + 4].try_into().unwrap()) & 0x7FFF_FFFF;
    format!("{:06}", value % 1_000_000)
}

#[test]
fn authenticator_codes_behind_a_pin() {
    use chacha20poly1305::aead::{Aead, KeyInit, Payload};
    const SECRET: &[u8] = b"12345678901234567890";
    let mut emu = start("utilities-totp", 3_000_000_000, |_| {});
    keys(&mut emu, &TOOLS);
    keys(&mut emu, &[Key::Digit2]);
    // First use: choose the PIN 2468, twice.
    let mut setup = typed("2468");
    setup.push(Key::Exe);
    setup.extend(typed("2468"));
    setup.push(Key::Exe);
    keys_then(&mut emu, &setup, "tools: totp accounts=0");
    // Add an account: name, Base32 secret, SHA-1 with 6 digits (1).
    let mut add = vec![Key::F1];
    add.extend(typed("BANK"));
    add.push(Key::Exe);
    add.extend(typed("GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"));
    add.extend([Key::Exe, Key::Digit1]);
    keys_then(&mut emu, &add, "tools: totp accounts=1");
    let now = emu.now().to_unix() as u64;
    let codes = [host_totp(SECRET, now), host_totp(SECRET, now - 30)];
    assert!(
        codes.iter().any(|code| emu.screen_contains_text(code)),
        "{codes:?} not in {:?}",
        emu.text_on_screen()
    );
    // The account is sealed: open it on the host with the PIN.
    let blob = emu.main_memory_item("@UTILS", "TOTPKEYS").expect("sealed accounts");
    assert_eq!(&blob[..4], b"UTK1");
    let iterations = u32::from_be_bytes(blob[4..8].try_into().unwrap());
    let mut key = [0u8; 32];
    prizm_lock::sha256::pbkdf2_hmac_sha256(b"2468", &blob[8..24], iterations, &mut key);
    let cipher = chacha20poly1305::ChaCha20Poly1305::new(&key.into());
    let plaintext = cipher
        .decrypt(blob[24..36].into(), Payload { msg: &blob[36..], aad: &blob[..36] })
        .expect("opens with the PIN");
    assert!(plaintext.windows(4).any(|w| w == b"BANK"));
    assert!(plaintext.windows(SECRET.len()).any(|w| w == SECRET));
    assert!(!blob.windows(SECRET.len()).any(|w| w == SECRET), "the secret is not stored in clear");
    let mut wrong = [0u8; 32];
    prizm_lock::sha256::pbkdf2_hmac_sha256(b"2469", &blob[8..24], iterations, &mut wrong);
    assert!(chacha20poly1305::ChaCha20Poly1305::new(&wrong.into())
        .decrypt(blob[24..36].into(), Payload { msg: &blob[36..], aad: &blob[..36] })
        .is_err());
    assert_screen_codes_hidden_after_wrong_pin(&mut emu);
}

/// Leaving and coming back asks for the PIN again; a wrong one shows no
/// code, the right one shows the account.
fn assert_screen_codes_hidden_after_wrong_pin(emu: &mut Emulator) {
    keys(emu, &[Key::Exit, Key::Digit2]);
    let mut wrong = typed("1111");
    wrong.push(Key::Exe);
    keys_then(emu, &wrong, "tools: totp refused (WrongSecretOrDamaged)");
    assert!(emu.screen_contains_text("Wrong PIN."), "{:?}", emu.text_on_screen());
    assert!(!emu.screen_contains_text("BANK"));
    keys(emu, &[Key::Exit, Key::Digit2]);
    let mut right = typed("2468");
    // The prompt (the list itself shows live codes: no golden of it).
    keys(emu, &right[..2]);
    assert_screen(emu, "utilities-tools-pin");
    right.drain(..2);
    right.push(Key::Exe);
    keys_then(emu, &right, "tools: totp accounts=1");
    assert!(emu.screen_contains_text("BANK"), "{:?}", emu.text_on_screen());
}

#[test]
fn lantern_and_colour_lights_fill_the_screen() {
    use emulator_tests::pixel;
    let mut emu = start("utilities-lights", 1_000_000_000, |_| {});
    keys_then(&mut emu, &SYSTEM, "system: os=");
    keys(&mut emu, &[Key::F2]);
    for (x, y) in [(0, 0), (383, 0), (192, 108), (0, 215), (383, 215)] {
        assert_eq!(pixel(&emu, x, y), (255, 255, 255), "lantern at ({x}, {y})");
    }
    keys_then(&mut emu, &[Key::Exit], "system: os=");
    keys(&mut emu, &[Key::F3]);
    assert_eq!(pixel(&emu, 192, 108), (255, 0, 0), "the first light is red");
    keys(&mut emu, &[Key::Right, Key::Right, Key::Right]);
    assert_eq!(pixel(&emu, 10, 200), (0, 255, 0), "the fourth is green");
    keys(&mut emu, &[Key::Left]);
    assert_eq!(pixel(&emu, 10, 200), (255, 255, 0), "back to yellow");
    keys_then(&mut emu, &[Key::Exit], "system: os=");
}

#[test]
fn marking_inverting_and_statistics() {
    let mut emu = start("utilities-marking", 2_000_000_000, |storage| {
        for name in ["a.txt", "b.txt", "c.txt"] {
            write(&storage.join(name), name.as_bytes());
        }
        std::fs::create_dir_all(storage.join("dst")).unwrap();
    });
    let storage = emu.storage_dir().to_path_buf();
    // dst, a.txt, b.txt, c.txt: mark a and c (F1 marks and moves down).
    keys_then(&mut emu, &FILES, "cursor=dst");
    keys_then(&mut emu, &[Key::Down, Key::F1, Key::Down, Key::F1], "cursor=dst marked=2");
    assert_screen(&emu, "utilities-files-marked");
    // Invert twice: dst and b, then a and c again.
    keys(&mut emu, &[Key::F6, Key::Digit5]);
    keys(&mut emu, &[Key::F6, Key::Digit5]);
    keys_then(&mut emu, &[Key::F2], "marked=0 clipboard=2");
    keys_then(&mut emu, &[Key::Exe], "dir=\\\\fls0\\dst");
    keys_then(&mut emu, &[Key::F4], "entries=2");
    let names: Vec<String> = listing(&storage.join("dst")).into_iter().map(|(name, _)| name).collect();
    assert_eq!(names, ["a.txt", "c.txt"]);
    // Statistics of the root, from inside dst's parent.
    keys_then(&mut emu, &[Key::Exit], "dir=\\\\fls0 cursor=dst");
    keys(&mut emu, &[Key::F6, Key::Digit6]);
    assert!(emu.screen_contains_text("5 files, 1 folder"), "{:?}", emu.text_on_screen());
}

#[test]
fn ac_on_stops_a_search() {
    let mut emu = start("utilities-search-stop", 2_000_000_000, |storage| {
        for n in 0..40 {
            write(&storage.join(format!("d{n:02}/f.txt")), &noise(20_000, n));
        }
    });
    keys_then(&mut emu, &FILES, "cursor=d00");
    keys(&mut emu, &[Key::F6, Key::Digit4]);
    let mut text = typed("ZZZZZZ");
    text.push(Key::Exe);
    keys(&mut emu, &text);
    // AC/ON right after "Start search": read between files, it stops.
    let line = keys_then(&mut emu, &[Key::Digit1, Key::AcOn], "files: search hits=");
    assert!(line.contains("aborted=true"), "{line}");
    assert!(emu.screen_contains_text("Search stopped."), "{:?}", emu.text_on_screen());
}

#[test]
fn long_names_icons_and_a_damaged_picture() {
    let mut emu = start("utilities-long-names", 1_000_000_000, |storage| {
        write(&storage.join("A very long file name that goes on well past the edge of the screen.txt"), b"long");
        write(&storage.join("photo.jpg"), &[0xFF, 0xD8, 0xFF, 0xD9]);
        write(&storage.join("Game.g3a"), &noise(70_000, 1));
        write(&storage.join("prog.g3m"), b"prog");
        write(&storage.join("data.bin"), &noise(1_500_000, 2));
        std::fs::create_dir_all(storage.join("Pictures")).unwrap();
    });
    keys_then(&mut emu, &FILES, "cursor=Pictures");
    assert_screen(&emu, "utilities-files-kinds");
    // Type order (F6, 3, then Type A-Z: 4): bin, g3a, g3m, jpg, txt.
    keys(&mut emu, &[Key::F6, Key::Digit3, Key::Digit4]);
    keys_then(&mut emu, &[Key::Down, Key::Down, Key::Down, Key::Down], "cursor=photo.jpg");
    // A JPEG opens in the picture screen, which says why this one cannot
    // be shown.
    keys_then(&mut emu, &[Key::Exe], "image-view: cannot show photo.jpg");
    keys(&mut emu, &[Key::Exit]);
    assert!(emu.screen_contains_text("Mark"), "back in the list: {:?}", emu.text_on_screen());
    // The order is kept in main memory for the next start.
    assert_eq!(emu.main_memory_item("@UTILS", "FMSORT"), Some(vec![3]));
}

#[test]
fn lock_settings_from_utilities_use_the_cglock_record() {
    let mut emu = start("utilities-lock-settings", 3_000_000_000, |_| {});
    keys_then(&mut emu, &SYSTEM, "system: os=");
    // F6 settings, 5 lock (after part 1's four sections): no secret yet,
    // so CGlock's setup first.
    keys_then(&mut emu, &[Key::F6, Key::Digit5], "lock: screen=ChooseKind(Setup)");
    let mut setup = vec![Key::F1];
    setup.extend(typed("1234"));
    setup.push(Key::Exe);
    setup.extend(typed("1234"));
    setup.push(Key::Exe);
    keys_then(&mut emu, &setup, "lock: screen=Settings { cursor: 0 }");
    assert!(emu.main_memory_item("@CGLOCK", "Lock").is_some());
    // EXIT leaves the lock's settings, then the settings screen.
    keys_then(&mut emu, &[Key::Exit, Key::Exit], "system: os=");
    // Again: the secret is asked for before the settings open.
    keys_then(&mut emu, &[Key::F6, Key::Digit5], "lock: screen=VerifyForSettings");
    let mut pin = typed("1234");
    pin.push(Key::Exe);
    keys_then(&mut emu, &pin, "lock: screen=Settings { cursor: 0 }");
    keys_then(&mut emu, &[Key::Exit, Key::Exit], "system: os=");
}

/// A small JPEG made on the host (RGB gradient, 4:2:0).
fn small_jpeg(width: u16, height: u16, shade: u8) -> Vec<u8> {
    let mut rgb = Vec::new();
    for y in 0..height as usize {
        for x in 0..width as usize {
            rgb.extend_from_slice(&[(x * 255 / width as usize) as u8, (y * 255 / height as usize) as u8, shade]);
        }
    }
    let mut out = Vec::new();
    let encoder = jpeg_encoder::Encoder::new(&mut out, 90);
    encoder.encode(&rgb, width, height, jpeg_encoder::ColorType::Rgb).unwrap();
    out
}

#[test]
fn a_jpeg_opens_in_the_picture_screen_with_its_neighbours() {
    let mut emu = start("utilities-picture", 2_000_000_000, |storage| {
        write(&storage.join("A.jpg"), &small_jpeg(160, 120, 40));
        write(&storage.join("B.jpg"), &small_jpeg(96, 64, 220));
        write(&storage.join("notes.txt"), b"not a picture");
    });
    keys_then(&mut emu, &FILES, "cursor=A.jpg");
    let line = keys_then(&mut emu, &[Key::Exe], "image-view: decoded");
    assert!(line.contains("160x120"), "{line}");
    assert_screen(&emu, "utilities-files-picture");
    // F6: the next picture of the folder (not the text file).
    let line = keys_then(&mut emu, &[Key::F6], "image-view: decoded");
    assert!(line.contains("96x64"), "{line}");
    keys(&mut emu, &[Key::Exit]);
    assert!(emu.screen_contains_text("Mark"), "back in the list: {:?}", emu.text_on_screen());
}
