//! CGlock, the PIN lock (addins/cglock), end to end in the emulator.
//!
//! CGlock draws with embedded-graphics, so the OS text tracker does not see
//! its text; instead it prints every change of screen on the debug channel
//! (`cglock: screen=… failures=N wait=S typed=K[ notice="…"]`). The tests
//! wait for those lines and check the record in main memory (folder
//! `@CGLOCK`, items `Lock` and `LockCopy`, layout in
//! crates/lock/src/record.rs and addins/cglock/README.md).
//!
//! A correct or wrong PIN costs a PBKDF2 check of ~0.5 s of calculator time
//! (~30M instructions), so most tests start from a record made once by a
//! real first-run setup (PIN 1234, see [`seed_record`]) instead of setting
//! up again. `cargo test --release -p emulator-tests --test cglock --
//! --nocapture` also prints the measured unlock time.

use std::sync::OnceLock;
use std::time::Duration;

use emulator_tests::{addin, assert_screen, builder, builder_again, debug_since, run_until_debug_line};
use prizm_emu::{Condition, DateTime, Emulator, Key, KeyNames, Outcome};

const FOLDER: &str = "@CGLOCK";
const ITEM: &str = "Lock";
const COPY_ITEM: &str = "LockCopy";
const RECORD_LENGTH: usize = 136;
const OFFSET_FLAGS: usize = 5;
const OFFSET_SETTINGS: usize = 6;
const OFFSET_ITERATIONS: usize = 8;
const OFFSET_FAILURES: usize = 16;
const OFFSET_LAST_FAILURE: usize = 20;
const OFFSET_SALT: usize = 24;
const OFFSET_DEVICE_ID: usize = 40;
const OFFSET_HASH: usize = 48;
const OFFSET_CHECK: usize = 128;
const FLAG_LOCKED: u8 = 0x02;
const SETTING_LOCK_ON_EXE: u8 = 0x01;
const SETTING_SHOW_LAST: u8 = 0x04;
const SETTING_LOCK_ON_POWER_OFF: u8 = 0x08;
/// The start of CGlock's line for the new-PIN screen of the first run.
const NEW_PIN: &str = "cglock: screen=NewSecret { purpose: Setup, kind: Pin } failures=0 wait=0";
/// The start of CGlock's line for the lock screen with the prompt open.
const PROMPT: &str = "cglock: screen=Locked { prompt_open: true }";
/// Keyboard flag that disables the catalog (SHIFT 4).
const CATALOG_DISABLED: u16 = 0x80;
/// Seconds from 1970-01-01 to 2000-01-01 (CGlock's epoch).
const UNIX_2000: i64 = 946_684_800;

// ---------------------------------------------------------------- helpers

/// A fresh CGlock with its own scratch storage and main memory.
fn start(test: &str, budget: u64) -> Emulator {
    builder(test).budget(budget).open(addin("cglock")).unwrap()
}

/// Panics with the emulator's report unless a new debug line (after byte
/// `from`) contains `text`; returns the line.
fn expect_line(emu: &mut Emulator, from: usize, text: &str) -> String {
    run_until_debug_line(emu, from, text).unwrap_or_else(|e| panic!("{e}"))
}

/// Presses `keys` and waits for a new debug line containing `text`, then
/// lets the add-in settle into its key wait. Returns the line.
fn keys_then(emu: &mut Emulator, keys: &[Key], text: &str) -> String {
    let from = emu.debug_output().len();
    for &key in keys {
        emu.press(key);
    }
    let line = expect_line(emu, from, text);
    idle(emu);
    line
}

/// Prints what a test cost (seen with `--nocapture`).
fn spent(emu: &Emulator, test: &str) {
    println!("{test}: {} instructions, {:.1} s of calculator time", emu.instructions(), emu.elapsed().as_secs_f64());
}

/// Runs until the add-in waits for a key with nothing queued.
fn idle(emu: &mut Emulator) {
    emu.run_until(Condition::WaitingForKey).unwrap_or_else(|e| panic!("{e}"));
}

/// The digit keys for `digits`.
fn digits(digits: &str) -> Vec<Key> {
    digits.chars().flat_map(|c| Key::for_char(c).unwrap()).collect()
}

/// `digits` then EXE.
fn entry(pin: &str) -> Vec<Key> {
    let mut keys = digits(pin);
    keys.push(Key::Exe);
    keys
}

/// The last complete debug line CGlock wrote.
fn last_line(emu: &Emulator) -> String {
    let all = debug_since(emu, 0);
    all.lines().rev().find(|l| l.starts_with("cglock: screen=")).unwrap_or("").to_string()
}

/// The stored lock record (panics if there is none).
fn record(emu: &Emulator) -> Vec<u8> {
    emu.main_memory_item(FOLDER, ITEM).expect("the lock record @CGLOCK/Lock exists")
}

fn u32_at(bytes: &[u8], offset: usize) -> u32 {
    prizm_platform::bytes::read_u32(bytes, offset).expect("the record holds the field")
}

/// The record's check value: the first 8 bytes of SHA-256 of the rest.
fn check_value(bytes: &[u8]) -> [u8; 8] {
    prizm_lock::sha256::digest(&bytes[..OFFSET_CHECK])[..8].try_into().unwrap()
}

/// `record` with its check value recomputed (a record CGlock accepts).
fn sealed(mut record: Vec<u8>) -> Vec<u8> {
    let check = check_value(&record);
    record[OFFSET_CHECK..].copy_from_slice(&check);
    record
}

/// Checks the fixed parts of a valid version-2 record, and that its
/// second copy is the same.
fn assert_valid_record(record: &[u8]) {
    assert_eq!(record.len(), RECORD_LENGTH, "record length");
    assert_eq!(&record[..4], b"CGLK", "magic");
    assert_eq!(record[4], 2, "version");
    assert_eq!(record[OFFSET_CHECK..], check_value(record), "check value");
}

/// Checks that both copies hold `record`.
fn assert_both_copies(emu: &Emulator, record: &[u8]) {
    assert_eq!(emu.main_memory_item(FOLDER, ITEM).as_deref(), Some(record), "first copy");
    assert_eq!(emu.main_memory_item(FOLDER, COPY_ITEM).as_deref(), Some(record), "second copy");
}

/// CGlock's clock value (seconds since 2000-01-01) for a date.
fn seconds_since_2000(moment: DateTime) -> u32 {
    (moment.to_unix() - UNIX_2000) as u32
}

/// The emulator's MENU / catalog blocking, as CGlock set it.
fn leaving_blocked(emu: &Emulator) -> (bool, bool) {
    let keyboard = &emu.machine().os.keyboard;
    (!keyboard.menu_returns, keyboard.flags & CATALOG_DISABLED != 0)
}

/// First-run setup with PIN 1234 on a fresh CGlock, ending at Home.
fn set_up_pin_1234(emu: &mut Emulator) {
    expect_line(emu, 0, "screen=ChooseKind(Setup)");
    idle(emu);
    let mut keys = vec![Key::F1];
    keys.extend(entry("1234"));
    keys_then(emu, &keys, "screen=ConfirmSecret { purpose: Setup, kind: Pin } failures=0 wait=0 typed=0");
    let from = emu.debug_output().len();
    for key in entry("1234") {
        emu.press(key);
    }
    expect_line(emu, from, "screen=Home failures=0 wait=0 typed=0 notice=\"Your PIN is set.");
    idle(emu);
}

/// A record for PIN 1234, unlocked, default settings, no failures, made
/// once by a real first-run setup and shared by the tests that start from
/// an existing lock.
fn seed_record() -> Vec<u8> {
    static SEED: OnceLock<Vec<u8>> = OnceLock::new();
    SEED.get_or_init(|| {
        let mut emu = start("cglock-seed", 200_000_000);
        set_up_pin_1234(&mut emu);
        let record = record(&emu);
        assert_valid_record(&record);
        assert_eq!(record[OFFSET_FLAGS], 0);
        record
    })
    .clone()
}

/// The seed record, locked.
fn locked_seed() -> Vec<u8> {
    let mut record = seed_record();
    record[OFFSET_FLAGS] |= FLAG_LOCKED;
    sealed(record)
}

/// A CGlock whose main memory holds `record` (both copies) before it
/// starts.
fn start_with(test: &str, budget: u64, record: &[u8]) -> Emulator {
    let mut emu = start(test, budget);
    emu.set_main_memory_item(FOLDER, ITEM, record).unwrap();
    emu.set_main_memory_item(FOLDER, COPY_ITEM, record).unwrap();
    emu
}

// ------------------------------------------------------------------ tests

#[test]
fn first_run_sets_up_a_pin() {
    let mut emu = start("cglock-first-run", 200_000_000);
    assert_eq!(emu.main_memory_item(FOLDER, ITEM), None, "no record before the first run");
    expect_line(&mut emu, 0, "screen=ChooseKind(Setup) failures=0 wait=0 typed=0");
    idle(&mut emu);
    assert_eq!(leaving_blocked(&emu), (false, false), "nothing to protect yet: MENU works");
    assert_screen(&emu, "cglock-first-run");

    keys_then(&mut emu, &[Key::F1], "screen=NewSecret { purpose: Setup, kind: Pin } failures=0 wait=0 typed=0");
    keys_then(&mut emu, &digits("1234"), "screen=NewSecret { purpose: Setup, kind: Pin } failures=0 wait=0 typed=4");
    keys_then(&mut emu, &[Key::Exe], "screen=ConfirmSecret { purpose: Setup, kind: Pin } failures=0 wait=0 typed=0");
    keys_then(&mut emu, &digits("12"), "screen=ConfirmSecret { purpose: Setup, kind: Pin } failures=0 wait=0 typed=2");
    assert_screen(&emu, "cglock-confirm-pin");
    assert_eq!(emu.main_memory_item(FOLDER, ITEM), None, "nothing saved before the confirmation");

    let from = emu.debug_output().len();
    for key in entry("34") {
        emu.press(key);
    }
    let home = expect_line(&mut emu, from, "screen=Home");
    let set = "notice=\"Your PIN is set. [F1] locks the calculator.\"";
    assert_eq!(home, format!("cglock: screen=Home failures=0 wait=0 typed=0 {set}"));
    idle(&mut emu);
    assert_screen(&emu, "cglock-home");

    // The calibration line, and the count it reports is the one stored.
    let new = debug_since(&emu, from);
    let calibrated = new.lines().find(|l| l.starts_with("cglock: calibrated ")).expect("calibration line");
    let iterations: u32 = calibrated
        .strip_prefix("cglock: calibrated ")
        .and_then(|rest| rest.split(' ').next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("iteration count in {calibrated:?}"));
    assert!((500..=200_000).contains(&iterations), "{calibrated}");

    let record = record(&emu);
    assert_valid_record(&record);
    assert_both_copies(&emu, &record);
    assert_eq!(record[OFFSET_FLAGS], 0, "a PIN, not locked");
    assert_eq!(record[OFFSET_SETTINGS], SETTING_LOCK_ON_POWER_OFF, "default settings");
    assert_eq!(u32_at(&record, OFFSET_ITERATIONS), iterations);
    assert_eq!(u32_at(&record, OFFSET_FAILURES), 0);
    assert_ne!(&record[OFFSET_HASH..OFFSET_HASH + 32], &[0u8; 32][..], "a hash is stored");
    // The salt ends with the calculator's device ID; the PIN is nowhere.
    assert_eq!(&record[OFFSET_SALT + 16..OFFSET_SALT + 24], &prizm_emu::memory::DEVICE_ID[..], "device ID in the salt");
    assert!(!record.windows(4).any(|w| w == b"1234"), "the PIN itself is not stored");
    assert_eq!(emu.main_memory_item(FOLDER, "LockNew"), None, "the save finished");
    assert_eq!(leaving_blocked(&emu), (false, false), "unlocked: MENU works");
    assert!(emu.outcome().is_none());
    spent(&emu, "first_run_sets_up_a_pin");
}

#[test]
fn setup_refuses_empty_short_and_mismatched_pins() {
    let mut emu = start("cglock-setup-refusals", 120_000_000);
    expect_line(&mut emu, 0, "screen=ChooseKind(Setup)");
    idle(&mut emu);
    keys_then(&mut emu, &[Key::F1], "screen=NewSecret");

    let line = keys_then(&mut emu, &[Key::Exe], "notice=");
    assert_eq!(line, format!("{NEW_PIN} typed=0 notice=\"The PIN can't be empty.\""));

    let line = keys_then(&mut emu, &entry("123"), "notice=");
    assert_eq!(line, format!("{NEW_PIN} typed=0 notice=\"A PIN needs at least 4 digits.\""));
    assert_screen(&emu, "cglock-setup-too-short");

    // A refused entry is cleared; AC clears the notice; 17 digits are one
    // too many.
    keys_then(&mut emu, &[Key::AcOn], "typed=0");
    let line = keys_then(&mut emu, &digits("12345678901234567"), "notice=");
    assert_eq!(line, format!("{NEW_PIN} typed=16 notice=\"A PIN has at most 16 digits.\""));
    keys_then(&mut emu, &[Key::AcOn], "typed=0");

    keys_then(&mut emu, &entry("1111"), "screen=ConfirmSecret { purpose: Setup, kind: Pin } failures=0 wait=0 typed=0");
    let line = keys_then(&mut emu, &entry("1112"), "notice=");
    assert_eq!(line, format!("{NEW_PIN} typed=0 notice=\"The two entries differ. Start again.\""));

    // Nothing was saved, nothing was hashed.
    assert_eq!(emu.main_memory_item(FOLDER, ITEM), None);
    assert_eq!(emu.main_memory_item(FOLDER, "LockNew"), None);
    assert!(!debug_since(&emu, 0).contains("calibrated"), "no PBKDF2 for a refused PIN");

    // EXIT goes back to the choice, and EXIT there quits without a lock.
    keys_then(&mut emu, &[Key::Exit], "screen=ChooseKind(Setup)");
    emu.press(Key::Exit);
    emu.run_until(Condition::Exited).unwrap();
    assert!(matches!(emu.outcome(), Some(Outcome::ReturnedToOs { .. })), "{:?}", emu.outcome());
    spent(&emu, "setup_refuses_empty_short_and_mismatched_pins");
}

#[test]
fn locked_calculator_cannot_be_left() {
    let mut emu = start_with("cglock-lock", 100_000_000, &seed_record());
    expect_line(&mut emu, 0, "screen=Home failures=0 wait=0 typed=0");
    idle(&mut emu);
    assert_eq!(leaving_blocked(&emu), (false, false));

    let line = keys_then(&mut emu, &[Key::F1], "screen=Locked");
    assert_eq!(line, "cglock: screen=Locked { prompt_open: false } failures=0 wait=0 typed=0");
    let locked = record(&emu);
    assert_valid_record(&locked);
    assert_eq!(locked[OFFSET_FLAGS], FLAG_LOCKED, "the locked flag is saved at once");
    assert_eq!(leaving_blocked(&emu), (true, true), "MENU and the catalog are disabled");
    assert_screen(&emu, "cglock-locked");

    // MENU and EXIT do nothing: the screen does not even change.
    let from = emu.debug_output().len();
    for keys in [&[Key::Menu][..], &[Key::Exit], &[Key::Menu, Key::Menu, Key::Exit]] {
        for &key in keys {
            emu.press(key);
        }
        idle(&mut emu);
        assert!(emu.outcome().is_none(), "{keys:?} left the add-in: {:?}", emu.outcome());
    }
    assert_eq!(debug_since(&emu, from), "", "MENU/EXIT changed nothing");
    assert_eq!(last_line(&emu), "cglock: screen=Locked { prompt_open: false } failures=0 wait=0 typed=0");

    // SHIFT MENU (SET UP) does not leave either (SHIFT opens the prompt).
    emu.press(Key::Shift);
    emu.press(Key::Menu);
    idle(&mut emu);
    assert!(emu.outcome().is_none(), "SHIFT MENU left the add-in: {:?}", emu.outcome());
    assert!(last_line(&emu).starts_with("cglock: screen=Locked"), "{}", last_line(&emu));

    // SHIFT 4 (the catalog) only types a 4 into the prompt.
    let line = keys_then(&mut emu, &[Key::Shift, Key::Digit4], "typed=1");
    assert_eq!(line, "cglock: screen=Locked { prompt_open: true } failures=0 wait=0 typed=1");
    assert_screen(&emu, "cglock-locked-prompt");
    // MENU with the prompt open does not leave either; EXIT closes the prompt.
    emu.press(Key::Menu);
    idle(&mut emu);
    assert!(emu.outcome().is_none());
    keys_then(&mut emu, &[Key::Exit], "screen=Locked { prompt_open: false } failures=0 wait=0 typed=0");

    // SHIFT AC/ON turns the calculator off; the key that turns it on again
    // finds it still locked.
    emu.press(Key::Shift);
    emu.press(Key::AcOn);
    idle(&mut emu);
    assert!(emu.machine().os.keyboard.powered_off, "SHIFT AC/ON powers off");
    emu.press(Key::Exe);
    idle(&mut emu);
    assert!(!emu.machine().os.keyboard.powered_off);
    assert!(emu.outcome().is_none());
    assert!(last_line(&emu).starts_with("cglock: screen=Locked"), "{}", last_line(&emu));
    emu.press(Key::Menu);
    idle(&mut emu);
    assert!(emu.outcome().is_none(), "MENU after power-on: {:?}", emu.outcome());
    assert_eq!(record(&emu)[OFFSET_FLAGS], FLAG_LOCKED);
    assert_eq!(u32_at(&record(&emu), OFFSET_FAILURES), 0, "no attempt was made");
    spent(&emu, "locked_calculator_cannot_be_left");
}

#[test]
fn a_locked_record_starts_locked() {
    // As after a power cut or a RESET while locked: the next start is locked.
    let mut emu = start_with("cglock-starts-locked", 50_000_000, &locked_seed());
    let line = expect_line(&mut emu, 0, "screen=");
    assert_eq!(line, "cglock: screen=Locked { prompt_open: false } failures=0 wait=0 typed=0");
    idle(&mut emu);
    assert_eq!(leaving_blocked(&emu), (true, true));
    emu.press(Key::Menu);
    emu.press(Key::Exit);
    idle(&mut emu);
    assert!(emu.outcome().is_none(), "{:?}", emu.outcome());
    spent(&emu, "a_locked_record_starts_locked");
}

/// Unlocks a locked CGlock with PIN `pin`; returns (instructions, virtual
/// time) from pressing EXE to the `Unlocked.` notice.
fn unlock(emu: &mut Emulator, pin: &str) -> (u64, Duration) {
    keys_then(emu, &digits(pin), "screen=Locked { prompt_open: true }");
    // Queued presses are 150 ms apart: let the last one pass, so that EXE
    // goes down at once and the time measured is CGlock's own.
    emu.advance_time(Duration::from_millis(200)).unwrap();
    let (instructions, elapsed) = (emu.instructions(), emu.elapsed());
    let from = emu.debug_output().len();
    emu.press(Key::Exe);
    let line = expect_line(emu, from, "notice=\"Unlocked.\"");
    let cost = (emu.instructions() - instructions, emu.elapsed() - elapsed);
    assert_eq!(line, "cglock: screen=Home failures=0 wait=0 typed=0 notice=\"Unlocked.\"");
    idle(emu);
    cost
}

#[test]
fn correct_pin_unlocks_then_menu_leaves() {
    let mut emu = start_with("cglock-unlock-menu", 150_000_000, &seed_record());
    expect_line(&mut emu, 0, "screen=Home");
    idle(&mut emu);
    keys_then(&mut emu, &[Key::F1], "screen=Locked");
    assert_eq!(record(&emu)[OFFSET_FLAGS], FLAG_LOCKED);

    let (instructions, time) = unlock(&mut emu, "1234");
    println!(
        "CGlock unlock: {instructions} instructions, ~{:.0} ms at 58 MHz (virtual time {:.0} ms)",
        instructions as f64 / 58_000.0,
        time.as_secs_f64() * 1000.0
    );
    // PBKDF2 is calibrated to about half a second of calculator time.
    assert!((15_000_000..=60_000_000).contains(&instructions), "unlock took {instructions} instructions");
    assert!((250..=1000).contains(&time.as_millis()), "unlock took {time:?} of calculator time");
    let record = record(&emu);
    assert_valid_record(&record);
    assert_eq!(record[OFFSET_FLAGS], 0, "unlocked in the record");
    assert_eq!(u32_at(&record, OFFSET_FAILURES), 0);
    assert_eq!(leaving_blocked(&emu), (false, false), "MENU works again");
    assert_screen(&emu, "cglock-unlocked");

    emu.press(Key::Menu);
    emu.run_until(Condition::Exited).unwrap();
    assert_eq!(emu.outcome(), Some(&Outcome::LeftToMainMenu));
    spent(&emu, "correct_pin_unlocks_then_menu_leaves");
}

#[test]
fn correct_pin_unlocks_then_exit_quits() {
    let mut emu = start_with("cglock-unlock-exit", 150_000_000, &locked_seed());
    expect_line(&mut emu, 0, "screen=Locked { prompt_open: false }");
    idle(&mut emu);
    unlock(&mut emu, "1234");
    assert_eq!(record(&emu)[OFFSET_FLAGS], 0);
    emu.press(Key::Exit);
    emu.run_until(Condition::Exited).unwrap();
    assert!(matches!(emu.outcome(), Some(Outcome::ReturnedToOs { .. })), "{:?}", emu.outcome());
    assert_eq!(leaving_blocked(&emu), (false, false), "leaving re-enables MENU and the catalog");
    spent(&emu, "correct_pin_unlocks_then_exit_quits");
}

#[test]
fn five_wrong_pins_impose_a_wait() {
    let mut emu = start_with("cglock-wrong-pins", 400_000_000, &locked_seed());
    expect_line(&mut emu, 0, "screen=Locked { prompt_open: false } failures=0");
    idle(&mut emu);

    for attempt in 1..=5u32 {
        let line = keys_then(&mut emu, &entry("9999"), "notice=\"Wrong PIN.");
        let wait = if attempt == 5 { " Wait 0:30." } else { "" };
        let expected_wait = if attempt == 5 { 30 } else { 0 };
        assert_eq!(
            line,
            format!(
                "{PROMPT} failures={attempt} wait={expected_wait} typed=0 \
                 notice=\"Wrong PIN. Failed attempts: {attempt}.{wait}\""
            )
        );
        let record = record(&emu);
        assert_valid_record(&record);
        assert_eq!(u32_at(&record, OFFSET_FAILURES), attempt, "failures stored after attempt {attempt}");
        assert_eq!(record[OFFSET_FLAGS], FLAG_LOCKED);
    }
    let record5 = record(&emu);
    assert_eq!(&record5[OFFSET_FAILURES..OFFSET_FAILURES + 4], &[0, 0, 0, 5]);
    // The time of the last attempt is the calculator's clock.
    let now = seconds_since_2000(emu.now());
    let last = u32_at(&record5, OFFSET_LAST_FAILURE);
    assert!(now.abs_diff(last) <= 1, "last failure at {last}, clock at {now}");
    assert_screen(&emu, "cglock-wrong-pin-wait");

    // During the wait, digits are refused and not counted.
    let line = keys_then(&mut emu, &[Key::Digit1], "notice=");
    assert!(line.contains("notice=\"Too many wrong attempts. Please wait.\""), "{line}");
    assert!(line.contains("failures=5") && line.contains("typed=0"), "{line}");
    assert_eq!(u32_at(&record(&emu), OFFSET_FAILURES), 5);
    // The countdown runs: 10 s later about 20 s are left (the clock has
    // whole seconds and CGlock redraws once a second).
    emu.advance_time(Duration::from_secs(10)).unwrap();
    let line = last_line(&emu);
    assert!(["wait=19 ", "wait=20 ", "wait=21 "].iter().any(|w| line.contains(w)), "{line}");
    assert_screen(&emu, "cglock-wait-countdown");

    // After the wait, EXIT and the right PIN unlock.
    emu.advance_time(Duration::from_secs(21)).unwrap();
    assert!(last_line(&emu).contains("failures=5 wait=0"), "{}", last_line(&emu));
    emu.press(Key::Exit);
    idle(&mut emu);
    assert!(emu.outcome().is_none());
    unlock(&mut emu, "1234");
    let record = record(&emu);
    assert_eq!(u32_at(&record, OFFSET_FAILURES), 0, "a correct PIN resets the count");
    assert_eq!(record[OFFSET_FLAGS], 0);
    spent(&emu, "five_wrong_pins_impose_a_wait");
}

#[test]
fn failures_survive_a_restart_and_waits_double() {
    // Four failures already, locked: the fifth is the first with a wait.
    let mut four = locked_seed();
    four[OFFSET_FAILURES..OFFSET_FAILURES + 4].copy_from_slice(&4u32.to_be_bytes());
    let start_time = DateTime::default();
    let earlier = seconds_since_2000(start_time) - 600;
    four[OFFSET_LAST_FAILURE..OFFSET_LAST_FAILURE + 4].copy_from_slice(&earlier.to_be_bytes());
    let mut emu = start_with("cglock-restart", 150_000_000, &sealed(four));
    expect_line(&mut emu, 0, "screen=Locked { prompt_open: false } failures=4 wait=0");
    idle(&mut emu);
    let line = keys_then(&mut emu, &entry("9999"), "notice=");
    assert!(line.contains("failures=5 wait=30") && line.contains("Failed attempts: 5. Wait 0:30."), "{line}");
    assert_eq!(u32_at(&record(&emu), OFFSET_FAILURES), 5);

    // Power off for 10 s; the add-in starts again on the same main memory.
    let off_at = emu.now();
    spent(&emu, "failures_survive_a_restart_and_waits_double (first run)");
    drop(emu);
    let restart = DateTime::from_unix(off_at.to_unix() + 10);
    let again = builder_again("cglock-restart").budget(150_000_000).start_time(restart);
    let mut emu = again.open(addin("cglock")).unwrap();
    let line = expect_line(&mut emu, 0, "screen=");
    assert!(line.starts_with("cglock: screen=Locked { prompt_open: false } failures=5 wait="), "{line}");
    let wait: u32 = line.split("wait=").nth(1).unwrap().split(' ').next().unwrap().parse().unwrap();
    assert!((18..=20).contains(&wait), "the wait went on while the calculator was off: {line}");
    idle(&mut emu);
    assert_eq!(leaving_blocked(&emu), (true, true));
    emu.press(Key::Menu);
    idle(&mut emu);
    assert!(emu.outcome().is_none());

    // Still refused during the rest of the wait, even the right PIN.
    let line = keys_then(&mut emu, &entry("1234"), "notice=");
    assert!(line.contains("failures=5") && line.contains("notice=\"Too many wrong attempts. Please wait.\""), "{line}");
    assert_eq!(u32_at(&record(&emu), OFFSET_FAILURES), 5, "refused attempts are not counted");
    assert_eq!(record(&emu)[OFFSET_FLAGS], FLAG_LOCKED);

    // After the wait, a sixth failure doubles it.
    emu.advance_time(Duration::from_secs(u64::from(wait) + 1)).unwrap();
    emu.press(Key::Exit);
    idle(&mut emu);
    let line = keys_then(&mut emu, &entry("9999"), "notice=\"Wrong PIN.");
    assert_eq!(
        line,
        format!("{PROMPT} failures=6 wait=60 typed=0 notice=\"Wrong PIN. Failed attempts: 6. Wait 1:00.\"")
    );
    assert_eq!(u32_at(&record(&emu), OFFSET_FAILURES), 6);
    spent(&emu, "failures_survive_a_restart_and_waits_double");
}

#[test]
fn settings_are_saved_and_a_changed_pin_persists() {
    let mut emu = start_with("cglock-settings", 300_000_000, &seed_record());
    expect_line(&mut emu, 0, "screen=Home");
    idle(&mut emu);
    // A new run asks for the PIN before the settings.
    keys_then(&mut emu, &[Key::F6], "screen=VerifyForSettings failures=0 wait=0 typed=0");
    let line = keys_then(&mut emu, &entry("1234"), "screen=Settings");
    assert_eq!(line, "cglock: screen=Settings { cursor: 0 } failures=0 wait=0 typed=0");

    let line = keys_then(&mut emu, &[Key::Digit2], "notice=");
    assert_eq!(line, "cglock: screen=Settings { cursor: 1 } failures=0 wait=0 typed=0 notice=\"Saved.\"");
    assert_eq!(record(&emu)[OFFSET_SETTINGS], SETTING_LOCK_ON_POWER_OFF | SETTING_LOCK_ON_EXE);
    let line = keys_then(&mut emu, &[Key::Digit5], "notice=");
    assert_eq!(line, "cglock: screen=Settings { cursor: 4 } failures=0 wait=0 typed=0 notice=\"Saved.\"");
    assert_eq!(record(&emu)[OFFSET_SETTINGS], SETTING_LOCK_ON_POWER_OFF | SETTING_LOCK_ON_EXE | SETTING_SHOW_LAST);
    assert_valid_record(&record(&emu));
    assert_screen(&emu, "cglock-settings");

    // Change the PIN to 5555.
    let old = record(&emu);
    keys_then(&mut emu, &[Key::Digit1], "screen=VerifyCurrentSecret failures=0 wait=0 typed=0");
    keys_then(&mut emu, &entry("1234"), "screen=ChooseKind(Change)");
    keys_then(&mut emu, &[Key::F1], "screen=NewSecret { purpose: Change, kind: Pin }");
    keys_then(&mut emu, &entry("5555"), "screen=ConfirmSecret { purpose: Change, kind: Pin } failures=0");
    let line = keys_then(&mut emu, &entry("5555"), "notice=");
    let in_force = "notice=\"Your new PIN is in force.\"";
    assert_eq!(line, format!("cglock: screen=Settings {{ cursor: 0 }} failures=0 wait=0 typed=0 {in_force}"));
    let new = record(&emu);
    assert_valid_record(&new);
    assert_ne!(new[OFFSET_HASH..OFFSET_HASH + 32], old[OFFSET_HASH..OFFSET_HASH + 32], "new hash");
    assert_ne!(new[OFFSET_SALT..OFFSET_SALT + 16], old[OFFSET_SALT..OFFSET_SALT + 16], "new salt");
    assert_eq!(new[OFFSET_SETTINGS], SETTING_LOCK_ON_POWER_OFF | SETTING_LOCK_ON_EXE | SETTING_SHOW_LAST, "settings kept");
    keys_then(&mut emu, &[Key::Exit], "screen=Home");
    emu.press(Key::Exit);
    emu.run_until(Condition::Exited).unwrap();
    assert!(matches!(emu.outcome(), Some(Outcome::ReturnedToOs { .. })), "{:?}", emu.outcome());
    spent(&emu, "settings_are_saved_and_a_changed_pin_persists (first run)");
    drop(emu);

    // The next run: EXE locks (setting 2), 1234 is wrong, 5555 unlocks.
    let mut emu = builder_again("cglock-settings").budget(150_000_000).open(addin("cglock")).unwrap();
    expect_line(&mut emu, 0, "screen=Home failures=0");
    idle(&mut emu);
    assert_eq!(record(&emu)[OFFSET_SETTINGS], SETTING_LOCK_ON_POWER_OFF | SETTING_LOCK_ON_EXE | SETTING_SHOW_LAST);
    keys_then(&mut emu, &[Key::Exe], "screen=Locked { prompt_open: false }");
    assert_eq!(record(&emu)[OFFSET_FLAGS], FLAG_LOCKED);
    let line = keys_then(&mut emu, &entry("1234"), "notice=");
    assert!(line.contains("notice=\"Wrong PIN. Failed attempts: 1.\""), "the old PIN no longer works: {line}");
    // "Show last character": the prompt shows the last digit typed.
    keys_then(&mut emu, &digits("5555"), "typed=4");
    assert_screen(&emu, "cglock-prompt-show-last");
    let from = emu.debug_output().len();
    emu.press(Key::Exe);
    let line = expect_line(&mut emu, from, "notice=");
    assert_eq!(line, "cglock: screen=Home failures=0 wait=0 typed=0 notice=\"Unlocked.\"");
    assert_eq!(u32_at(&record(&emu), OFFSET_FAILURES), 0);
    spent(&emu, "settings_are_saved_and_a_changed_pin_persists");
}

#[test]
fn a_record_with_no_valid_copy_is_not_replaced() {
    let mut damaged = seed_record();
    damaged[OFFSET_HASH + 3] ^= 0x40;
    let mut emu = start_with("cglock-damaged", 50_000_000, &damaged);
    let line = expect_line(&mut emu, 0, "screen=");
    assert_eq!(line, "cglock: screen=Unusable(BadChecksum) failures=0 wait=0 typed=0");
    idle(&mut emu);
    assert_screen(&emu, "cglock-damaged");
    // No key offers a new PIN or erases the record.
    for key in [Key::F1, Key::F2, Key::Exe, Key::Digit1] {
        emu.press(key);
    }
    idle(&mut emu);
    assert_eq!(last_line(&emu), line);
    assert_both_copies(&emu, &damaged);
    emu.press(Key::Exit);
    emu.run_until(Condition::Exited).unwrap();
    assert!(matches!(emu.outcome(), Some(Outcome::ReturnedToOs { .. })), "{:?}", emu.outcome());
    spent(&emu, "a_record_with_no_valid_copy_is_not_replaced");
}

#[test]
fn a_truncated_record_is_not_used() {
    let seed = seed_record();
    let mut emu = start_with("cglock-truncated", 50_000_000, &seed[..60]);
    let line = expect_line(&mut emu, 0, "screen=");
    assert_eq!(line, "cglock: screen=Unusable(Truncated { length: 60 }) failures=0 wait=0 typed=0");
    idle(&mut emu);
    assert_screen(&emu, "cglock-truncated");
    // EXIT quits and leaves the record as it was.
    emu.press(Key::Exit);
    emu.run_until(Condition::Exited).unwrap();
    assert!(matches!(emu.outcome(), Some(Outcome::ReturnedToOs { .. })), "{:?}", emu.outcome());
    assert_eq!(emu.main_memory_item(FOLDER, ITEM).as_deref(), Some(&seed[..60]));
    spent(&emu, "a_truncated_record_is_not_used");
}

#[test]
fn one_damaged_copy_starts_locked_and_the_pin_repairs_it() {
    // The record says unlocked; its second copy has a flipped bit.
    let seed = seed_record();
    let mut emu = start_with("cglock-one-copy-damaged", 150_000_000, &seed);
    let mut damaged = seed.clone();
    damaged[OFFSET_FAILURES] ^= 0x01;
    emu.set_main_memory_item(FOLDER, COPY_ITEM, &damaged).unwrap();
    let line = expect_line(&mut emu, 0, "screen=");
    assert_eq!(
        line,
        "cglock: screen=Locked { prompt_open: false } failures=0 wait=0 typed=0 \
         notice=\"Lock record copy damaged: unlock to repair it.\""
    );
    idle(&mut emu);
    assert_eq!(leaving_blocked(&emu), (true, true), "damage never unlocks");
    assert_screen(&emu, "cglock-one-copy-damaged");
    emu.press(Key::Menu);
    idle(&mut emu);
    assert!(emu.outcome().is_none());
    unlock(&mut emu, "1234");
    let record = record(&emu);
    assert_valid_record(&record);
    assert_both_copies(&emu, &record);
    spent(&emu, "one_damaged_copy_starts_locked_and_the_pin_repairs_it");
}

#[test]
fn another_calculators_record_is_refused() {
    // A record made elsewhere, whose PIN (1234) the copier knows.
    let mut foreign = seed_record();
    foreign[OFFSET_DEVICE_ID..OFFSET_DEVICE_ID + 8].copy_from_slice(b"ELSEWHER");
    let foreign = sealed(foreign);
    let mut emu = start_with("cglock-other-device", 50_000_000, &foreign);
    let line = expect_line(&mut emu, 0, "screen=");
    assert!(line.starts_with("cglock: screen=Unusable(OtherDevice { device_id: [69, 76, 83, 69, 87, 72, 69, 82] })"), "{line}");
    idle(&mut emu);
    assert_screen(&emu, "cglock-other-device");
    let mut keys = vec![Key::F1];
    keys.extend(entry("1234"));
    for key in keys {
        emu.press(key);
    }
    idle(&mut emu);
    assert!(last_line(&emu).starts_with("cglock: screen=Unusable(OtherDevice"), "{}", last_line(&emu));
    assert!(!debug_since(&emu, 0).contains("Unlocked"), "its PIN is not accepted");
    spent(&emu, "another_calculators_record_is_refused");
}

#[test]
fn switching_off_or_idling_on_the_unlocked_screen_locks() {
    let mut emu = start_with("cglock-auto-lock", 1_500_000_000, &seed_record());
    expect_line(&mut emu, 0, "screen=Home failures=0");
    idle(&mut emu);
    emu.press(Key::Shift);
    emu.press(Key::AcOn);
    idle(&mut emu);
    assert!(emu.machine().os.keyboard.powered_off, "SHIFT AC/ON powers off");
    assert_eq!(record(&emu)[OFFSET_FLAGS], FLAG_LOCKED, "locked before the power went");
    emu.press(Key::Exe);
    idle(&mut emu);
    assert!(last_line(&emu).starts_with("cglock: screen=Locked"), "{}", last_line(&emu));
    assert_eq!(leaving_blocked(&emu), (true, true));
    unlock(&mut emu, "1234");

    // Five minutes without a key (the default) lock too: CGlock counts
    // one-second key waits, each a little longer than a second with the
    // redraw. (The budget covers five minutes of redraws.)
    emu.advance_time(Duration::from_secs(295)).unwrap();
    assert!(last_line(&emu).starts_with("cglock: screen=Home"), "{}", last_line(&emu));
    emu.advance_time(Duration::from_secs(20)).unwrap();
    assert!(last_line(&emu).starts_with("cglock: screen=Locked { prompt_open: false }"), "{}", last_line(&emu));
    assert_eq!(record(&emu)[OFFSET_FLAGS], FLAG_LOCKED);
    assert_eq!(leaving_blocked(&emu), (true, true));
    spent(&emu, "switching_off_or_idling_on_the_unlocked_screen_locks");
}

/// Fills main memory to the last byte with one item in a folder of its
/// own (a folder costs 16 bytes, an item its length rounded up to 4 plus
/// 24), so that no item can be created.
fn fill_main_memory(emu: &mut Emulator) {
    let capacity = prizm_emu::syscalls::mcs::CAPACITY;
    let _ = emu.machine_mut().os.mcs.set_item(b"@FILL", b"Filler", &[]);
    let used = emu.machine().os.mcs.used();
    let length = capacity - used;
    emu.set_main_memory_item("@FILL", "Filler", &vec![0xA5; length as usize]).unwrap();
    assert_full(emu);
}

fn assert_full(emu: &Emulator) {
    assert_eq!(emu.machine().os.mcs.used(), prizm_emu::syscalls::mcs::CAPACITY, "main memory full to the last byte");
}

#[test]
fn a_full_main_memory_never_locks_the_owner_out() {
    let mut emu = start("cglock-full-memory", 600_000_000);
    expect_line(&mut emu, 0, "screen=ChooseKind(Setup)");
    idle(&mut emu);
    // Setting a PIN with no room for the record is refused, and says so.
    fill_main_memory(&mut emu);
    let mut keys = vec![Key::F1];
    keys.extend(entry("1234"));
    keys_then(&mut emu, &keys, "screen=ConfirmSecret");
    let line = keys_then(&mut emu, &entry("1234"), "notice=");
    assert_eq!(
        line,
        "cglock: screen=ChooseKind(Setup) failures=0 wait=0 typed=0 \
         notice=\"Not saved: main memory is full. Free 336 bytes (MEMORY app).\""
    );
    assert_eq!(emu.main_memory_item(FOLDER, ITEM), None);
    assert_full(&emu);

    // With room, the PIN is set; then main memory is filled again.
    emu.set_main_memory_item("@FILL", "Filler", &[]).unwrap();
    keys_then(&mut emu, &keys, "screen=ConfirmSecret");
    keys_then(&mut emu, &entry("1234"), "screen=Home failures=0 wait=0 typed=0 notice=\"Your PIN is set.");
    fill_main_memory(&mut emu);

    // Lock, a wrong PIN, the right PIN: each saves in place.
    keys_then(&mut emu, &[Key::F1], "screen=Locked { prompt_open: false } failures=0 wait=0 typed=0");
    assert_eq!(record(&emu)[OFFSET_FLAGS], FLAG_LOCKED, "the lock was saved");
    assert_full(&emu);
    let line = keys_then(&mut emu, &entry("9999"), "notice=");
    assert_eq!(line, format!("{PROMPT} failures=1 wait=0 typed=0 notice=\"Wrong PIN. Failed attempts: 1.\""));
    assert_eq!(u32_at(&record(&emu), OFFSET_FAILURES), 1, "the attempt was counted");
    assert_full(&emu);
    unlock(&mut emu, "1234");
    let record = record(&emu);
    assert_valid_record(&record);
    assert_both_copies(&emu, &record);
    assert_eq!((record[OFFSET_FLAGS], u32_at(&record, OFFSET_FAILURES)), (0, 0));
    assert_full(&emu);
    spent(&emu, "a_full_main_memory_never_locks_the_owner_out");
}
