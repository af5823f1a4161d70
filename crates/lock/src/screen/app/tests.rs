//! The state machine driven by key sequences, against a fake calculator
//! whose main memory is a real [`MemoryStore`] behind the real protocol.

use super::*;
use crate::storage::{self, memory::MemoryStore, CopyHealth, Opened};
use PrgmKey::*;

/// A calculator: a clock, main memory, and a log of what was done.
struct Fake {
    now: u32,
    store: MemoryStore,
    fail_saves: bool,
    blocked: bool,
    auto_off: u32,
    salt_counter: u8,
    log: Vec<std::string::String>,
}

impl Fake {
    fn new() -> Fake {
        Fake {
            now: 800_000_000,
            store: MemoryStore::default(),
            fail_saves: false,
            blocked: false,
            auto_off: 0,
            salt_counter: 0,
            log: Vec::new(),
        }
    }

    /// What a fresh start of the add-in would find.
    fn load(&mut self) -> Opened {
        storage::open(&mut self.store, b"DEVICEID").unwrap()
    }

    fn stored(&mut self) -> Record {
        match self.load() {
            Opened::Intact(record) => record,
            other => panic!("no record stored: {other:?}"),
        }
    }
}

impl Environment for Fake {
    fn now(&mut self) -> u32 {
        self.now
    }
    fn save(&mut self, record: &Record) -> Result<(), StoreError> {
        self.log.push(format!(
            "save failures={} locked={}",
            record.failures, record.locked
        ));
        if self.fail_saves {
            return Err(StoreError {
                operation: "create",
                code: 0x43,
            });
        }
        storage::save(&mut self.store, record)
    }
    fn record_in_place(&mut self) -> bool {
        storage::in_place(&mut self.store).unwrap_or(false)
    }
    fn free_main_memory(&mut self) -> Option<u32> {
        let capacity = self.store.capacity.unwrap_or(64_048);
        Some(capacity.saturating_sub(self.store.used()) as u32)
    }
    fn erase(&mut self) -> Result<(), StoreError> {
        self.log.push("erase".into());
        storage::erase(&mut self.store)
    }
    fn random_salt(&mut self) -> [u8; 16] {
        self.salt_counter += 1;
        [self.salt_counter; 16]
    }
    fn device_id(&mut self) -> [u8; 8] {
        *b"DEVICEID"
    }
    fn calibrate(&mut self) -> u32 {
        self.log.push("calibrate".into());
        // Below the minimum on purpose: the app must clamp.
        3
    }
    fn set_leaving_blocked(&mut self, blocked: bool) {
        self.log
            .push(if blocked { "block" } else { "unblock" }.into());
        self.blocked = blocked;
    }
    fn auto_power_off_seconds(&mut self) -> u32 {
        self.auto_off
    }
    fn show_busy(&mut self, message: &str) {
        self.log.push(format!("busy {message}"));
    }
}

fn press(app: &mut App, env: &mut Fake, keys: &[PrgmKey]) -> Flow {
    let mut flow = Flow::Continue;
    for &key in keys {
        flow = app.handle(Event::Key(key), env);
    }
    flow
}

fn digits(text: &str) -> Vec<PrgmKey> {
    text.bytes()
        .map(|b| prizm::keyboard::digit_key(b - b'0').expect("a digit"))
        .collect()
}

fn type_then_exe(app: &mut App, env: &mut Fake, text: &str) -> Flow {
    press(app, env, &digits(text));
    press(app, env, &[Exe])
}

fn notice(app: &App) -> &str {
    app.notice().map_or("", |notice| notice.text.as_str())
}

/// A calculator after a first run that set PIN 1234, on the home screen.
fn set_up(pin: &str) -> (App, Fake) {
    let mut env = Fake::new();
    let loaded = env.load();
    let mut app = App::start(loaded, &mut env);
    press(&mut app, &mut env, &[F1]);
    type_then_exe(&mut app, &mut env, pin);
    type_then_exe(&mut app, &mut env, pin);
    assert_eq!(app.screen(), &Screen::Home, "{}", notice(&app));
    (app, env)
}

fn locked(pin: &str) -> (App, Fake) {
    let (mut app, mut env) = set_up(pin);
    press(&mut app, &mut env, &[F1]);
    assert!(app.is_locked());
    (app, env)
}

fn verifies(record: &Record, secret: &[u8]) -> bool {
    crypto::verify(secret, &record.salt, record.iterations, &record.hash)
}

#[test]
fn first_run_sets_a_pin() {
    let mut env = Fake::new();
    let loaded = env.load();
    assert_eq!(loaded, Opened::Fresh);
    let mut app = App::start(loaded, &mut env);
    assert_eq!(app.screen(), &Screen::ChooseKind(Purpose::Setup));
    assert!(!env.blocked);

    press(&mut app, &mut env, &[F1]);
    assert_eq!(
        app.screen(),
        &Screen::NewSecret {
            purpose: Purpose::Setup,
            kind: SecretKind::Pin
        }
    );
    type_then_exe(&mut app, &mut env, "2468");
    assert_eq!(
        app.screen(),
        &Screen::ConfirmSecret {
            purpose: Purpose::Setup,
            kind: SecretKind::Pin
        }
    );
    assert!(app.field().is_empty(), "the confirmation starts empty");
    type_then_exe(&mut app, &mut env, "2468");
    assert_eq!(app.screen(), &Screen::Home);
    assert!(notice(&app).contains("PIN is set"), "{}", notice(&app));

    let record = env.stored();
    assert_eq!(record.kind, SecretKind::Pin);
    assert!(!record.locked);
    assert_eq!(record.failures, 0);
    assert_eq!(
        record.iterations, MIN_ITERATIONS,
        "the calibrated count is clamped"
    );
    assert_eq!(
        &record.salt[16..],
        b"DEVICEID",
        "the salt ends with the device ID"
    );
    assert!(verifies(&record, b"2468"));
    assert!(!verifies(&record, b"2469"));
    assert!(env.log.contains(&"calibrate".to_string()));
}

#[test]
fn first_run_refuses_empty_short_long_and_mismatched_entries() {
    let mut env = Fake::new();
    let mut app = App::start(Opened::Fresh, &mut env);
    press(&mut app, &mut env, &[F1]);

    press(&mut app, &mut env, &[Exe]);
    assert_eq!(notice(&app), "The PIN can't be empty.");
    type_then_exe(&mut app, &mut env, "123");
    assert_eq!(notice(&app), "A PIN needs at least 4 digits.");
    assert_eq!(
        app.screen(),
        &Screen::NewSecret {
            purpose: Purpose::Setup,
            kind: SecretKind::Pin
        }
    );
    press(&mut app, &mut env, &digits("12345678901234567"));
    assert_eq!(notice(&app), "A PIN has at most 16 digits.");
    assert_eq!(app.field().len(), 16);
    press(&mut app, &mut env, &[AcOn]);
    assert!(app.field().is_empty());

    type_then_exe(&mut app, &mut env, "1111");
    type_then_exe(&mut app, &mut env, "1112");
    assert_eq!(notice(&app), "The two entries differ. Start again.");
    assert_eq!(
        app.screen(),
        &Screen::NewSecret {
            purpose: Purpose::Setup,
            kind: SecretKind::Pin
        }
    );
    assert!(
        env.log.iter().all(|line| !line.starts_with("save")),
        "nothing is saved: {:?}",
        env.log
    );
    assert_eq!(env.load(), Opened::Fresh);

    // EXIT backs out step by step, then leaves.
    press(&mut app, &mut env, &[Exit]);
    assert_eq!(app.screen(), &Screen::ChooseKind(Purpose::Setup));
    assert_eq!(press(&mut app, &mut env, &[Exit]), Flow::Quit);
}

#[test]
fn first_run_sets_a_passphrase_typed_with_alpha() {
    let mut env = Fake::new();
    let mut app = App::start(Opened::Fresh, &mut env);
    press(&mut app, &mut env, &[F2]);
    // ALPHA: capitals; X,θ,T = A, log = B; ALPHA ALPHA: back to digits.
    let keys = [Alpha, XThetaT, Log, Alpha, Sin, Alpha, Digit4, Digit2, Exe];
    press(&mut app, &mut env, &keys);
    assert_eq!(
        app.screen(),
        &Screen::ConfirmSecret {
            purpose: Purpose::Setup,
            kind: SecretKind::Passphrase
        }
    );
    press(&mut app, &mut env, &keys);
    assert_eq!(app.screen(), &Screen::Home, "{}", notice(&app));
    let record = env.stored();
    assert_eq!(record.kind, SecretKind::Passphrase);
    assert!(verifies(&record, b"ABd42"));
}

#[test]
fn locking_blocks_leaving_and_exit_does_nothing() {
    let (mut app, mut env) = set_up("1234");
    assert!(!env.blocked);
    press(&mut app, &mut env, &[F1]);
    assert_eq!(app.screen(), &Screen::Locked { prompt_open: false });
    assert!(env.blocked);
    assert!(env.stored().locked, "the locked state is stored");

    for key in [Exit, Menu, Exit] {
        assert_eq!(press(&mut app, &mut env, &[key]), Flow::Continue);
        assert!(app.is_locked());
    }
    // EXIT in the open prompt only closes the prompt.
    press(&mut app, &mut env, &digits("12"));
    assert_eq!(app.screen(), &Screen::Locked { prompt_open: true });
    assert_eq!(press(&mut app, &mut env, &[Exit]), Flow::Continue);
    assert_eq!(app.screen(), &Screen::Locked { prompt_open: false });
    assert!(app.field().is_empty());
    assert!(env.blocked);
}

#[test]
fn the_right_pin_unlocks_and_allows_leaving_again() {
    let (mut app, mut env) = locked("1234");
    // The first digit opens the prompt and is typed.
    press(&mut app, &mut env, &digits("1234"));
    assert_eq!(app.field().as_bytes(), b"1234");
    press(&mut app, &mut env, &[Exe]);
    assert_eq!(app.screen(), &Screen::Home);
    assert!(!env.blocked);
    let record = env.stored();
    assert!(!record.locked);
    assert_eq!(record.failures, 0);
    assert!(app.field().is_empty(), "the typed PIN is wiped");
    assert_eq!(press(&mut app, &mut env, &[Exit]), Flow::Quit);
}

#[test]
fn a_wrong_pin_is_counted_and_saved_before_it_is_checked() {
    let (mut app, mut env) = locked("1234");
    env.log.clear();
    type_then_exe(&mut app, &mut env, "9999");
    assert_eq!(env.log, ["save failures=1 locked=true", "busy Checking..."]);
    assert!(app.is_locked());
    assert!(env.blocked);
    assert_eq!(notice(&app), "Wrong PIN. Failed attempts: 1.");
    assert_eq!(app.failures(), 1);

    // A restart (power cut, RESET of the add-in) finds the count.
    let record = env.stored();
    assert_eq!(record.failures, 1);
    assert_eq!(record.last_failure, env.now);
    let loaded = env.load();
    let restarted = App::start(loaded, &mut env);
    assert!(restarted.is_locked(), "a locked calculator starts locked");
    assert_eq!(restarted.failures(), 1);
}

#[test]
fn even_a_right_pin_is_counted_before_the_check() {
    let (mut app, mut env) = locked("1234");
    env.log.clear();
    type_then_exe(&mut app, &mut env, "1234");
    assert_eq!(
        env.log,
        [
            "save failures=1 locked=true",
            "busy Checking...",
            "save failures=0 locked=false",
            "unblock"
        ]
    );
}

#[test]
fn an_attempt_that_cannot_be_saved_is_not_checked() {
    let (mut app, mut env) = locked("1234");
    env.fail_saves = true;
    env.log.clear();
    type_then_exe(&mut app, &mut env, "1234");
    assert!(
        app.is_locked(),
        "not even the right PIN unlocks without the count saved"
    );
    assert!(env.blocked);
    assert!(
        !env.log.iter().any(|line| line.starts_with("busy")),
        "{:?}",
        env.log
    );
    assert!(
        notice(&app).starts_with("Attempt not checked"),
        "{}",
        notice(&app)
    );
    env.fail_saves = false;
    type_then_exe(&mut app, &mut env, "1234");
    assert_eq!(app.screen(), &Screen::Home);
}

#[test]
fn waits_grow_and_refuse_input_until_they_end() {
    let (mut app, mut env) = locked("1234");
    for attempt in 1..=4 {
        type_then_exe(&mut app, &mut env, "0000");
        assert_eq!(app.wait_remaining(), 0, "attempt {attempt} is free");
    }
    type_then_exe(&mut app, &mut env, "0000");
    assert_eq!(notice(&app), "Wrong PIN. Failed attempts: 5. Wait 0:30.");
    assert_eq!(app.wait_remaining(), 30);

    // Digits and EXE are refused, nothing is saved, even the right PIN.
    env.log.clear();
    press(&mut app, &mut env, &digits("1234"));
    assert!(app.field().is_empty());
    assert_eq!(notice(&app), "Too many wrong attempts. Please wait.");
    press(&mut app, &mut env, &[Exe]);
    assert!(app.is_locked());
    assert!(env.log.is_empty(), "{:?}", env.log);

    // The countdown follows the clock.
    env.now += 12;
    app.handle(Event::Tick, &mut env);
    assert_eq!(app.wait_remaining(), 18);

    // It survives a restart.
    let loaded = env.load();
    let restarted = App::start(loaded, &mut env);
    assert_eq!(restarted.wait_remaining(), 18);

    env.now += 18;
    app.handle(Event::Tick, &mut env);
    assert_eq!(app.wait_remaining(), 0);
    assert_eq!(
        notice(&app),
        "",
        "the message about the wait goes when the wait ends"
    );
    type_then_exe(&mut app, &mut env, "0000");
    assert_eq!(
        app.wait_remaining(),
        60,
        "the sixth failure doubles the wait"
    );
    env.now += 60;
    type_then_exe(&mut app, &mut env, "1234");
    assert_eq!(app.screen(), &Screen::Home);
    assert_eq!(env.stored().failures, 0);
    assert_eq!(app.wait_remaining(), 0);
}

#[test]
fn a_clock_set_back_restarts_the_wait() {
    let (mut app, mut env) = locked("1234");
    for _ in 0..6 {
        env.now += 3600;
        type_then_exe(&mut app, &mut env, "0000");
    }
    assert_eq!(app.wait_remaining(), 60);
    // The RTC was reset (battery change): the wait starts again from now
    // rather than lasting until the old date comes round.
    env.now = 1000;
    app.handle(Event::Tick, &mut env);
    assert_eq!(app.wait_remaining(), 60);
    assert_eq!(env.stored().last_failure, 1000);
    env.now += 60;
    app.handle(Event::Tick, &mut env);
    assert_eq!(app.wait_remaining(), 0);
}

#[test]
fn changing_the_pin_needs_the_current_one() {
    let (mut app, mut env) = set_up("1234");
    // Verified by the setup in this run: the settings open directly.
    press(&mut app, &mut env, &[F6]);
    assert_eq!(app.screen(), &Screen::Settings { cursor: 0 });
    press(&mut app, &mut env, &[Exe]);
    assert_eq!(app.screen(), &Screen::VerifyCurrentSecret);

    type_then_exe(&mut app, &mut env, "4321");
    assert_eq!(app.screen(), &Screen::VerifyCurrentSecret);
    assert_eq!(
        env.stored().failures,
        1,
        "a wrong current PIN counts like any other"
    );

    type_then_exe(&mut app, &mut env, "1234");
    assert_eq!(app.screen(), &Screen::ChooseKind(Purpose::Change));
    press(&mut app, &mut env, &[F1]);
    type_then_exe(&mut app, &mut env, "555555");
    type_then_exe(&mut app, &mut env, "555555");
    assert_eq!(app.screen(), &Screen::Settings { cursor: 0 });
    assert_eq!(notice(&app), "Your new PIN is in force.");
    let record = env.stored();
    assert!(verifies(&record, b"555555"));
    assert!(!verifies(&record, b"1234"));
    assert_eq!(record.failures, 0);

    // The old PIN no longer unlocks; the new one does.
    press(&mut app, &mut env, &[Exit, F1]);
    type_then_exe(&mut app, &mut env, "1234");
    assert!(app.is_locked());
    type_then_exe(&mut app, &mut env, "555555");
    assert_eq!(app.screen(), &Screen::Home);
}

#[test]
fn leaving_the_change_flow_keeps_the_old_pin() {
    let (mut app, mut env) = set_up("1234");
    press(&mut app, &mut env, &[F6, Exe]);
    press(&mut app, &mut env, &[Exit]);
    assert_eq!(app.screen(), &Screen::Settings { cursor: 0 });
    press(&mut app, &mut env, &[Exe]);
    type_then_exe(&mut app, &mut env, "1234");
    press(&mut app, &mut env, &[F1]);
    type_then_exe(&mut app, &mut env, "8888");
    press(&mut app, &mut env, &[Exit, Exit, Exit]);
    assert_eq!(app.screen(), &Screen::Settings { cursor: 0 });
    assert!(verifies(&env.stored(), b"1234"));
}

#[test]
fn settings_need_the_pin_in_a_new_run() {
    let (_, mut env) = set_up("1234");
    let loaded = env.load();
    let mut app = App::start(loaded, &mut env);
    assert_eq!(app.screen(), &Screen::Home);
    press(&mut app, &mut env, &[F6]);
    assert_eq!(app.screen(), &Screen::VerifyForSettings);
    press(&mut app, &mut env, &[Exit]);
    assert_eq!(app.screen(), &Screen::Home);
    press(&mut app, &mut env, &[F6]);
    type_then_exe(&mut app, &mut env, "1234");
    assert_eq!(app.screen(), &Screen::Settings { cursor: 0 });
}

#[test]
fn settings_toggle_and_persist() {
    let (mut app, mut env) = set_up("1234");
    press(&mut app, &mut env, &[F6, Down, Exe]);
    assert!(env.stored().settings.lock_on_exe);
    assert_eq!(notice(&app), "Saved.");
    press(&mut app, &mut env, &[Digit5]);
    assert_eq!(app.screen(), &Screen::Settings { cursor: 4 });
    assert!(env.stored().settings.show_last_character);
    press(&mut app, &mut env, &[Up, Up, Up, Up, Up, Up, Up]);
    assert_eq!(
        app.screen(),
        &Screen::Settings { cursor: 4 },
        "the cursor wraps"
    );

    // Lock on EXE: EXE on the home screen locks.
    press(&mut app, &mut env, &[Exit, Exe]);
    assert!(app.is_locked());

    // Show last character.
    press(&mut app, &mut env, &digits("12"));
    assert!(app.reveal_last());
    assert_eq!(app.field().display().as_str(), "*2");
    app.handle(Event::Tick, &mut env);
    assert!(!app.reveal_last(), "hidden again a second later");
}

#[test]
fn exe_does_not_lock_unless_chosen() {
    let (mut app, mut env) = set_up("1234");
    press(&mut app, &mut env, &[Exe]);
    assert_eq!(app.screen(), &Screen::Home);
}

#[test]
fn power_off_after_locking() {
    let (mut app, mut env) = set_up("1234");
    press(&mut app, &mut env, &[F6, Digit3, Exit]);
    assert!(env.stored().settings.power_off_after_lock);
    env.log.clear();
    assert_eq!(press(&mut app, &mut env, &[F1]), Flow::PowerOff);
    assert_eq!(
        env.log,
        ["block", "save failures=0 locked=true"],
        "locked and saved before the power goes"
    );
    assert!(
        app.is_locked(),
        "the lock screen is drawn before, and shown after, power-off"
    );
    // Without the setting, locking does not power off.
    let (mut app, mut env) = set_up("1234");
    assert_eq!(press(&mut app, &mut env, &[F1]), Flow::Continue);
}

#[test]
fn owner_message_is_edited_and_saved() {
    let (mut app, mut env) = set_up("1234");
    press(&mut app, &mut env, &[F6, Digit4]);
    assert_eq!(app.screen(), &Screen::EditOwner);
    // "HI 7": ALPHA, F↔D = H, ( = I, . = space, ALPHA ALPHA, 7.
    press(
        &mut app,
        &mut env,
        &[Alpha, FD, LeftParen, Dot, Alpha, Alpha, Digit7, Exe],
    );
    assert_eq!(app.screen(), &Screen::Settings { cursor: 3 });
    assert_eq!(env.stored().settings.owner_message.as_str(), "HI 7");
    // Editing starts from the current text; EXIT discards.
    press(&mut app, &mut env, &[Exe, Del, Del, Exit]);
    assert_eq!(env.stored().settings.owner_message.as_str(), "HI 7");
}

#[test]
fn shift_ac_powers_off_anywhere() {
    let (mut app, mut env) = locked("1234");
    assert_eq!(press(&mut app, &mut env, &[Shift, AcOn]), Flow::PowerOff);
    assert!(app.is_locked());
    assert_eq!(
        press(&mut app, &mut env, &[AcOn]),
        Flow::Continue,
        "AC/ON alone does not"
    );
}

#[test]
fn idle_prompt_closes_and_auto_power_off_applies() {
    let (mut app, mut env) = locked("1234");
    env.auto_off = 60;
    press(&mut app, &mut env, &digits("12"));
    let mut power_offs = 0;
    for _ in 0..PROMPT_TIMEOUT {
        if app.handle(Event::Tick, &mut env) == Flow::PowerOff {
            power_offs += 1;
        }
    }
    assert_eq!(app.screen(), &Screen::Locked { prompt_open: false });
    assert!(
        app.field().is_empty(),
        "a half-typed PIN does not stay on screen"
    );
    assert_eq!(power_offs, 0);
    for _ in PROMPT_TIMEOUT..60 {
        if app.handle(Event::Tick, &mut env) == Flow::PowerOff {
            power_offs += 1;
        }
    }
    assert_eq!(power_offs, 1);
    assert!(app.is_locked());
}

#[test]
fn a_record_with_no_valid_copy_is_not_replaced_and_exit_quits() {
    let mut env = Fake::new();
    env.store
        .items
        .insert(storage::ITEM.into(), b"CGLK\x02 truncated".to_vec());
    let loaded = env.load();
    assert_eq!(
        loaded,
        Opened::Unusable {
            first: CopyHealth::Damaged(RecordError::Truncated { length: 15 }),
            second: CopyHealth::Missing
        }
    );
    let mut app = App::start(loaded, &mut env);
    assert_eq!(
        app.screen(),
        &Screen::Unusable(RecordError::Truncated { length: 15 })
    );
    // No new secret is offered: neither F1, F2 nor any other key.
    press(&mut app, &mut env, &[F1, F2, F6, Exe, Digit1]);
    assert!(matches!(app.screen(), Screen::Unusable(_)));
    assert!(!env.log.iter().any(|line| line == "erase" || line.starts_with("save")));
    assert_eq!(press(&mut app, &mut env, &[Exit]), Flow::Quit);
    assert!(
        env.store.items.contains_key(storage::ITEM),
        "quitting leaves the record for inspection"
    );
}

#[test]
fn another_calculators_record_is_refused() {
    let (_, mut env) = set_up("1234");
    let mut foreign = env.stored();
    foreign.salt[16..].copy_from_slice(b"ELSEWHER");
    storage::erase(&mut env.store).unwrap();
    storage::save(&mut env.store, &foreign).unwrap();
    let loaded = env.load();
    assert_eq!(
        loaded,
        Opened::OtherDevice {
            device_id: *b"ELSEWHER"
        }
    );
    let mut app = App::start(loaded, &mut env);
    assert_eq!(
        app.screen(),
        &Screen::Unusable(RecordError::OtherDevice {
            device_id: *b"ELSEWHER"
        })
    );
    press(&mut app, &mut env, &[F1, Digit1, Digit2, Digit3, Digit4, Exe]);
    assert!(matches!(app.screen(), Screen::Unusable(_)), "its PIN is not even asked");
}

#[test]
fn a_damaged_copy_starts_locked_even_if_the_record_was_unlocked() {
    let (_, mut env) = set_up("1234");
    env.store.items.get_mut(storage::COPY_ITEM).unwrap()[50] ^= 0x10;
    let loaded = env.load();
    assert!(matches!(loaded, Opened::Degraded { .. }), "{loaded:?}");
    let mut app = App::start(loaded, &mut env);
    assert!(app.is_locked());
    assert!(env.blocked);
    assert_eq!(
        notice(&app),
        "Lock record copy damaged: unlock to repair it."
    );
    type_then_exe(&mut app, &mut env, "1234");
    assert_eq!(app.screen(), &Screen::Home);
    assert!(matches!(env.load(), Opened::Intact(_)), "both copies repaired");
}

#[test]
fn a_lost_copy_is_announced_and_locks() {
    let (_, mut env) = locked("1234");
    env.store.items.remove(storage::ITEM);
    let loaded = env.load();
    assert!(matches!(loaded, Opened::Degraded { problem: CopyHealth::Missing, .. }));
    let app = App::start(loaded, &mut env);
    assert!(app.is_locked());
    assert!(env.blocked);
    assert!(notice(&app).contains("copy missing"), "{}", notice(&app));
}

#[test]
fn setting_a_pin_on_a_full_main_memory_is_refused_and_keeps_nothing() {
    let mut env = Fake::new();
    env.store.capacity = Some(16 + 160 + 10);
    let mut app = App::start(Opened::Fresh, &mut env);
    press(&mut app, &mut env, &[F1]);
    type_then_exe(&mut app, &mut env, "1234");
    type_then_exe(&mut app, &mut env, "1234");
    assert_eq!(app.screen(), &Screen::ChooseKind(Purpose::Setup));
    assert_eq!(
        notice(&app),
        "Not saved: main memory is full. Free 336 bytes (MEMORY app)."
    );
    assert!(env.store.items.is_empty(), "no half-made lock is kept");
    assert_eq!(env.load(), Opened::Fresh);
}

#[test]
fn a_full_main_memory_never_stops_lock_attempts_or_unlock() {
    let (mut app, mut env) = set_up("1234");
    env.store.fill();
    press(&mut app, &mut env, &[F1]);
    assert!(app.is_locked());
    assert!(env.stored().locked);
    type_then_exe(&mut app, &mut env, "9999");
    assert_eq!(app.failures(), 1);
    assert_eq!(env.stored().failures, 1);
    type_then_exe(&mut app, &mut env, "1234");
    assert_eq!(app.screen(), &Screen::Home);
    assert!(!env.stored().locked);
    assert_eq!(env.store.used(), env.store.capacity.unwrap());
}

#[test]
fn locking_is_refused_unless_both_copies_are_in_place() {
    let (mut app, mut env) = set_up("1234");
    env.store.items.remove(storage::COPY_ITEM);
    env.store.fill();
    press(&mut app, &mut env, &[F1]);
    assert_eq!(app.screen(), &Screen::Home);
    assert!(!env.blocked);
    assert_eq!(
        notice(&app),
        "Not locked: main memory is full. Free 336 bytes (MEMORY app)."
    );
    // With room, locking recreates the lost copy first.
    env.store.capacity = None;
    press(&mut app, &mut env, &[F1]);
    assert!(app.is_locked());
    assert_eq!(env.load(), Opened::Intact(env.stored()));
}

#[test]
fn turning_off_from_the_unlocked_screen_locks_first() {
    let (mut app, mut env) = set_up("1234");
    assert_eq!(press(&mut app, &mut env, &[Shift, AcOn]), Flow::PowerOff);
    assert!(app.is_locked());
    assert!(env.stored().locked);
    // Also from the settings, and by the auto power-off delay.
    let (mut app, mut env) = set_up("1234");
    press(&mut app, &mut env, &[F6]);
    env.auto_off = 60;
    let flows: Vec<Flow> = (0..60).map(|_| app.handle(Event::Tick, &mut env)).collect();
    assert_eq!(flows.last(), Some(&Flow::PowerOff));
    assert!(app.is_locked());
    // With the setting off, it only turns off.
    let (mut app, mut env) = set_up("1234");
    press(&mut app, &mut env, &[F6, Digit6, Exit]);
    assert!(!env.stored().settings.lock_on_power_off);
    assert_eq!(press(&mut app, &mut env, &[Shift, AcOn]), Flow::PowerOff);
    assert_eq!(app.screen(), &Screen::Home);
}

#[test]
fn idle_minutes_lock_the_unlocked_screen() {
    let (mut app, mut env) = set_up("1234");
    assert_eq!(app.settings().idle_lock_minutes, 5);
    for _ in 0..299 {
        app.handle(Event::Tick, &mut env);
    }
    assert_eq!(app.screen(), &Screen::Home);
    app.handle(Event::Tick, &mut env);
    assert!(app.is_locked());
    assert_eq!(notice(&app), "Locked: no key for a while.");
    assert!(env.stored().locked);
    // A key restarts the count; setting 7 steps the minutes (5 -> 10).
    let (mut app, mut env) = set_up("1234");
    press(&mut app, &mut env, &[F6, Digit7, Exit]);
    assert_eq!(env.stored().settings.idle_lock_minutes, 10);
    for _ in 0..590 {
        app.handle(Event::Tick, &mut env);
    }
    press(&mut app, &mut env, &[Up]);
    for _ in 0..590 {
        app.handle(Event::Tick, &mut env);
    }
    assert_eq!(app.screen(), &Screen::Home);
}

#[test]
fn quitting_always_allows_leaving() {
    let (mut app, mut env) = set_up("1234");
    env.blocked = true;
    assert_eq!(press(&mut app, &mut env, &[Exit]), Flow::Quit);
    assert!(!env.blocked);
}

#[test]
fn passphrase_unlock_uses_the_same_typing() {
    let mut env = Fake::new();
    let mut app = App::start(Opened::Fresh, &mut env);
    press(&mut app, &mut env, &[F2]);
    let secret = [Alpha, Alpha, Sin, Cos, Tan, XThetaT, Exe]; // "defa"
    press(&mut app, &mut env, &secret);
    press(&mut app, &mut env, &secret);
    press(&mut app, &mut env, &[F1]);
    // ALPHA opens the prompt and switches to capitals; once more: small.
    press(&mut app, &mut env, &[Alpha]);
    assert_eq!(app.screen(), &Screen::Locked { prompt_open: true });
    press(&mut app, &mut env, &[Alpha, Sin, Cos, Tan, XThetaT, Exe]);
    assert_eq!(app.screen(), &Screen::Home, "{}", notice(&app));
}

#[test]
fn typing_into_an_empty_prompt_is_asked_for() {
    let (mut app, mut env) = locked("1234");
    press(&mut app, &mut env, &[Exe, Exe]);
    assert_eq!(notice(&app), "Type your PIN first.");
    assert_eq!(app.failures(), 0);
}

#[test]
fn the_description_for_the_emulator_tests() {
    let (mut app, mut env) = locked("1234");
    type_then_exe(&mut app, &mut env, "9999");
    press(&mut app, &mut env, &digits("12"));
    let mut line = std::string::String::new();
    app.describe(&mut line).unwrap();
    assert_eq!(
        line,
        "screen=Locked { prompt_open: true } failures=1 wait=0 typed=2"
    );
    press(&mut app, &mut env, &[Exe]);
    line.clear();
    app.describe(&mut line).unwrap();
    assert_eq!(
        line,
        "screen=Locked { prompt_open: true } failures=2 wait=0 typed=0 notice=\"Wrong PIN. Failed attempts: 2.\""
    );
    assert!(!line.contains("12"), "never the typed digits");
}

#[test]
fn a_restarted_lock_takes_its_passphrase() {
    let mut env = Fake::new();
    let mut app = App::start(Opened::Fresh, &mut env);
    let secret = [F2, Alpha, XThetaT, Log, Alpha, Sin, Cos, Exe]; // "ABde"
    press(&mut app, &mut env, &secret);
    press(&mut app, &mut env, &secret[1..]);
    press(&mut app, &mut env, &[F1]);
    // The add-in starts again (RESET of the add-in, a crash, a new run).
    let loaded = env.load();
    let mut app = App::start(loaded, &mut env);
    assert!(app.is_locked());
    press(&mut app, &mut env, &secret[1..]);
    assert_eq!(app.screen(), &Screen::Home, "{}", notice(&app));

    let (_, mut env) = locked("97531");
    let loaded = env.load();
    let mut restarted = App::start(loaded, &mut env);
    type_then_exe(&mut restarted, &mut env, "97531");
    assert_eq!(restarted.screen(), &Screen::Home, "{}", notice(&restarted));
}
