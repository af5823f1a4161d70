//! CGlock's screens as a state machine driven by key and clock events.
//!
//! Everything that touches the calculator goes through [`Environment`], so
//! the whole flow (first-run setup, locking, unlocking with growing waits,
//! settings) runs in host tests with a fake one.
//!
//! The security-relevant order of an unlock attempt: the attempt is
//! counted and *saved* before the secret is even hashed, so neither the
//! result nor a power cut during the half-second check can avoid the
//! count; input is refused while a wait is running; a failed save means
//! the attempt is not checked at all.
//!
//! Nothing that depends on free main memory happens after the lock is
//! set: a secret is only kept once both copies of the record are in main
//! memory, and locking is refused unless they still are, so every later
//! save overwrites them in place (see `prizm_lock::storage`).

use core::fmt::Write;

use heapless::String;
use prizm::keyboard::{PrgmKey, Typed, Typing};
use prizm::ui::{InputKind, InputState, InsertError};

use crate::backoff::{self, lockout};
use crate::crypto::{self, MAX_ITERATIONS, MIN_ITERATIONS};
use crate::record::{Record, RecordError};
use crate::secret::{validate, validate_confirmation, SecretBuffer, SecretKind};
use crate::settings::{owner_message_from, SettingItem, Settings, OWNER_MESSAGE_MAX};
use crate::storage::{CopyHealth, Opened, StoreError, BYTES_NEEDED};

/// Room in a text field (the owner message is the longest thing typed).
pub const FIELD_CAPACITY: usize = 40;

/// A text field: the crate's input line, which wipes what it held.
pub type Field = InputState<FIELD_CAPACITY>;

/// An open unlock prompt closes after this long without a key, in seconds.
pub const PROMPT_TIMEOUT: u32 = 30;

/// What CGlock needs from the calculator.
pub trait Environment {
    /// Seconds since 2000-01-01 00:00 on the calculator's clock.
    fn now(&mut self) -> u32;
    /// Saves the record (power-loss safe).
    fn save(&mut self, record: &Record) -> Result<(), StoreError>;
    /// Whether both copies of the record are in main memory, so that
    /// every later save overwrites them in place.
    fn record_in_place(&mut self) -> bool;
    /// Free main memory in bytes, if the OS says.
    fn free_main_memory(&mut self) -> Option<u32>;
    /// Deletes the record.
    fn erase(&mut self) -> Result<(), StoreError>;
    /// 16 unpredictable-ish bytes for a new salt.
    fn random_salt(&mut self) -> [u8; crypto::SALT_RANDOM_LENGTH];
    /// The calculator's 8-byte unique ID.
    fn device_id(&mut self) -> [u8; crypto::DEVICE_ID_LENGTH];
    /// Measures the PBKDF2 iteration count that takes about half a second.
    fn calibrate(&mut self) -> u32;
    /// Blocks (true) or allows (false) leaving: MENU and the catalog.
    fn set_leaving_blocked(&mut self, blocked: bool);
    /// The OS's auto power-off delay in seconds (0 = never).
    fn auto_power_off_seconds(&mut self) -> u32;
    /// Shows that a slow step is running ("Checking...").
    fn show_busy(&mut self, message: &str);
}

/// An input to the state machine.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Event {
    /// A key was pressed (the physical key: SHIFT and ALPHA are CGlock's).
    Key(PrgmKey),
    /// A second passed without a key.
    Tick,
}

/// What the add-in does after an event.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flow {
    /// Keep running.
    Continue,
    /// Draw the screen, then turn the calculator off (SHIFT AC/ON, the
    /// auto power-off delay, or "power off after locking"). Drawing first
    /// means the lock screen, not the last unlocked one, is in VRAM when
    /// the calculator comes back on.
    PowerOff,
    /// Return to the OS (only ever while unlocked).
    Quit,
}

/// Why a new secret is being chosen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    /// First run: there is no lock yet.
    Setup,
    /// From the settings, after the current secret was given.
    Change,
}

/// The screen being shown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Screen {
    /// The stored record cannot be used (damaged, or another
    /// calculator's): says why and how to recover; EXIT quits. No new
    /// secret is offered, since none can be checked.
    Unusable(RecordError),
    /// F1 PIN, F2 passphrase.
    ChooseKind(Purpose),
    /// Typing a new secret.
    NewSecret {
        /// Setup or change.
        purpose: Purpose,
        /// PIN or passphrase.
        kind: SecretKind,
    },
    /// Typing the new secret again.
    ConfirmSecret {
        /// Setup or change.
        purpose: Purpose,
        /// PIN or passphrase.
        kind: SecretKind,
    },
    /// Unlocked: F1 locks, F6 settings, EXIT quits.
    Home,
    /// Locked: the clock, the owner message and, once a key is pressed,
    /// the unlock prompt.
    Locked {
        /// The prompt is showing.
        prompt_open: bool,
    },
    /// The current secret is needed to open the settings.
    VerifyForSettings,
    /// The settings list.
    Settings {
        /// Highlighted item (index into [`SettingItem::ALL`]).
        cursor: usize,
    },
    /// The current secret is needed to change it.
    VerifyCurrentSecret,
    /// Editing the owner message.
    EditOwner,
}

/// How a notice is shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tone {
    /// Information.
    Info,
    /// Something was refused or failed.
    Error,
}

/// A one-line message under the current screen, until the next key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notice {
    /// The text (up to two lines of the screen).
    pub text: String<80>,
    /// Colour.
    pub tone: Tone,
}

/// How an unlock attempt ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Attempt {
    /// Not checked: a wait is running, nothing typed, or saving failed.
    Refused,
    /// Checked and wrong (already counted and saved).
    Wrong,
    /// Checked and right; the failure count is back at 0 in memory.
    Correct,
}

/// The whole add-in state.
pub struct App {
    screen: Screen,
    record: Option<Record>,
    field: Field,
    /// The first entry of a new secret while it is confirmed.
    first_entry: SecretBuffer,
    typing: Typing,
    notice: Option<Notice>,
    /// The secret was given in this run (setup or unlock): the settings
    /// open without asking again.
    session_verified: bool,
    now: u32,
    idle_seconds: u32,
}

impl App {
    /// Starts from what was found in main memory.
    pub fn start(opened: Opened, env: &mut dyn Environment) -> App {
        let mut app = App {
            screen: Screen::Home,
            record: None,
            field: Field::new(InputKind::Digits).masked(true).max_length(0),
            first_entry: SecretBuffer::new(),
            typing: Typing::default(),
            notice: None,
            session_verified: false,
            now: env.now(),
            idle_seconds: 0,
        };
        let (record, problem) = match opened {
            Opened::Fresh => {
                env.set_leaving_blocked(false);
                app.screen = Screen::ChooseKind(Purpose::Setup);
                return app;
            }
            Opened::Intact(record) | Opened::Upgraded(record) => (record, None),
            // Always locked: the secret, checked against the good copy,
            // is needed to go on, and the next save repairs both.
            Opened::Degraded { record, problem } => (record, Some(problem)),
            Opened::OtherDevice { device_id } => {
                env.set_leaving_blocked(false);
                app.screen = Screen::Unusable(RecordError::OtherDevice { device_id });
                return app;
            }
            Opened::Unusable { first, second } => {
                env.set_leaving_blocked(false);
                let error = [first, second]
                    .into_iter()
                    .find_map(|health| match health {
                        CopyHealth::Damaged(error) => Some(error),
                        _ => None,
                    })
                    .unwrap_or(RecordError::BadChecksum);
                app.screen = Screen::Unusable(error);
                return app;
            }
        };
        if record.locked {
            // Locked when the add-in last stopped: stay locked.
            env.set_leaving_blocked(true);
            app.field = App::secret_field(record.kind, &record.settings);
            app.screen = Screen::Locked { prompt_open: false };
        } else {
            env.set_leaving_blocked(false);
        }
        if let Some(problem) = problem {
            let mut text = String::<80>::new();
            let _ = write!(
                text,
                "Lock record copy {}: unlock to repair it.",
                problem.summary()
            );
            app.say(Tone::Error, &text);
        }
        app.record = Some(record);
        app
    }

    /// The screen to draw.
    pub fn screen(&self) -> &Screen {
        &self.screen
    }

    /// The lock record, once there is one.
    pub fn record(&self) -> Option<&Record> {
        self.record.as_ref()
    }

    /// The field being typed into (empty when the screen has none).
    pub fn field(&self) -> &Field {
        &self.field
    }

    /// SHIFT and ALPHA state, for the mode indicator.
    pub fn typing(&self) -> Typing {
        self.typing
    }

    /// The message under the screen, if any.
    pub fn notice(&self) -> Option<&Notice> {
        self.notice.as_ref()
    }

    /// The time of the last event (seconds since 2000-01-01).
    pub fn now(&self) -> u32 {
        self.now
    }

    /// True while the calculator is locked.
    pub fn is_locked(&self) -> bool {
        matches!(self.screen, Screen::Locked { .. })
    }

    /// The field shows its last typed character in clear (until the next
    /// event).
    pub fn reveal_last(&self) -> bool {
        self.field.is_revealing()
    }

    /// Failed attempts so far.
    pub fn failures(&self) -> u32 {
        self.record.as_ref().map_or(0, |record| record.failures)
    }

    /// Seconds until input is taken again (0 when it is).
    pub fn wait_remaining(&self) -> u32 {
        self.record.as_ref().map_or(0, |record| {
            lockout(record.failures, record.last_failure, self.now).remaining
        })
    }

    /// The settings in force (defaults before the first setup).
    pub fn settings(&self) -> Settings {
        self.record
            .as_ref()
            .map(|record| record.settings.clone())
            .unwrap_or_default()
    }

    /// The kind of secret the current field takes, if it is a secret.
    pub fn field_kind(&self) -> Option<SecretKind> {
        match self.screen {
            Screen::NewSecret { kind, .. } | Screen::ConfirmSecret { kind, .. } => Some(kind),
            Screen::Locked { .. } | Screen::VerifyForSettings | Screen::VerifyCurrentSecret => {
                self.record.as_ref().map(|record| record.kind)
            }
            _ => None,
        }
    }

    /// A one-line description of what is on screen, for the debug channel
    /// (the emulator tests read it; the calculator has no channel):
    /// `screen=Locked { prompt_open: true } failures=1 wait=0 typed=2 notice="…"`.
    /// It never contains what was typed, only how many characters.
    pub fn describe(&self, out: &mut impl Write) -> core::fmt::Result {
        write!(
            out,
            "screen={:?} failures={} wait={} typed={}",
            self.screen,
            self.failures(),
            self.wait_remaining(),
            self.field.len()
        )?;
        if let Some(notice) = &self.notice {
            write!(out, " notice=\"{}\"", notice.text)?;
        }
        Ok(())
    }

    /// Feeds one event.
    pub fn handle(&mut self, event: Event, env: &mut dyn Environment) -> Flow {
        let was_waiting = self.wait_remaining() > 0;
        self.now = env.now();
        self.field.conceal();
        self.restart_wait_if_clock_went_back(env);
        match event {
            Event::Tick => {
                if was_waiting && self.wait_remaining() == 0 {
                    // The message about the wait is out of date.
                    self.notice = None;
                }
                self.tick(env)
            }
            Event::Key(key) => {
                self.idle_seconds = 0;
                let letters = self.letters_allowed();
                let input = self.typing.translate(key, letters);
                if input == Typed::PowerOff {
                    return self.power_off(env);
                }
                if input != Typed::ModifierChanged {
                    self.notice = None;
                }
                self.key(input, env)
            }
        }
    }

    fn tick(&mut self, env: &mut dyn Environment) -> Flow {
        self.idle_seconds = self.idle_seconds.saturating_add(1);
        if self.screen == (Screen::Locked { prompt_open: true })
            && self.idle_seconds >= PROMPT_TIMEOUT
        {
            self.field.clear();
            self.notice = None;
            self.screen = Screen::Locked { prompt_open: false };
        }
        if self.unlocked_with_record() {
            let idle_limit = self.settings().idle_lock_seconds();
            if idle_limit.is_some_and(|limit| self.idle_seconds >= limit) {
                let flow = self.lock(env);
                if self.is_locked() {
                    self.say(Tone::Info, "Locked: no key for a while.");
                }
                return flow;
            }
        }
        let auto_off = env.auto_power_off_seconds();
        if auto_off > 0 && self.idle_seconds >= auto_off {
            // GetKey would do this; CGlock waits for keys without it.
            self.idle_seconds = 0;
            return self.power_off(env);
        }
        Flow::Continue
    }

    /// A secret is set and the calculator is not locked.
    fn unlocked_with_record(&self) -> bool {
        self.record.is_some() && !self.is_locked() && !matches!(self.screen, Screen::Unusable(_))
    }

    /// Turning off (SHIFT AC/ON or the auto power-off delay) from an
    /// unlocked screen locks first when the setting is on.
    fn power_off(&mut self, env: &mut dyn Environment) -> Flow {
        if self.unlocked_with_record() && self.settings().lock_on_power_off {
            let _ = self.lock(env);
        }
        Flow::PowerOff
    }

    fn letters_allowed(&self) -> bool {
        match self.screen {
            Screen::EditOwner => true,
            _ => self.field_kind() == Some(SecretKind::Passphrase),
        }
    }

    fn key(&mut self, input: Typed, env: &mut dyn Environment) -> Flow {
        match self.screen.clone() {
            Screen::Unusable(_) => {
                if input == Typed::Control(PrgmKey::Exit) {
                    return quit(env);
                }
            }
            Screen::ChooseKind(purpose) => match input {
                Typed::Control(PrgmKey::F1) | Typed::Character('1') => {
                    self.begin_new_secret(purpose, SecretKind::Pin)
                }
                Typed::Control(PrgmKey::F2) | Typed::Character('2') => {
                    self.begin_new_secret(purpose, SecretKind::Passphrase)
                }
                Typed::Control(PrgmKey::Exit) => match purpose {
                    Purpose::Setup => return quit(env),
                    Purpose::Change => self.open_settings(0),
                },
                _ => {}
            },
            Screen::NewSecret { purpose, kind } => match self.edit(input, kind) {
                Some(PrgmKey::Exe) => match validate(kind, self.field.as_bytes()) {
                    Ok(()) => {
                        self.first_entry = SecretBuffer::from_bytes(self.field.as_bytes());
                        self.start_field(App::secret_field(kind, &self.settings()));
                        self.screen = Screen::ConfirmSecret { purpose, kind };
                    }
                    Err(error) => {
                        self.field.clear();
                        self.say(Tone::Error, error.message(kind));
                    }
                },
                Some(PrgmKey::Exit) => {
                    self.field.clear();
                    self.screen = Screen::ChooseKind(purpose);
                }
                _ => {}
            },
            Screen::ConfirmSecret { purpose, kind } => match self.edit(input, kind) {
                Some(PrgmKey::Exe) => {
                    match validate_confirmation(
                        kind,
                        self.first_entry.as_bytes(),
                        self.field.as_bytes(),
                    ) {
                        Ok(()) => self.commit_new_secret(purpose, kind, env),
                        Err(error) => {
                            self.first_entry.clear();
                            self.begin_new_secret(purpose, kind);
                            self.say(Tone::Error, error.message(kind));
                        }
                    }
                }
                Some(PrgmKey::Exit) => {
                    self.first_entry.clear();
                    self.begin_new_secret(purpose, kind);
                }
                _ => {}
            },
            Screen::Home => match input {
                Typed::Control(PrgmKey::F1) => return self.lock(env),
                Typed::Control(PrgmKey::Exe) if self.settings().lock_on_exe => {
                    return self.lock(env)
                }
                Typed::Control(PrgmKey::F6) => {
                    if self.session_verified {
                        self.open_settings(0);
                    } else {
                        self.begin_verify(Screen::VerifyForSettings);
                    }
                }
                Typed::Control(PrgmKey::Exit) => return quit(env),
                _ => {}
            },
            Screen::Locked { prompt_open } => self.locked_key(input, prompt_open, env),
            Screen::VerifyForSettings => match self.verify_key(input, env) {
                Some(Attempt::Correct) => {
                    self.persist(env);
                    self.session_verified = true;
                    self.open_settings(0);
                }
                None => {
                    self.field.clear();
                    self.screen = Screen::Home;
                }
                _ => {}
            },
            Screen::VerifyCurrentSecret => match self.verify_key(input, env) {
                Some(Attempt::Correct) => {
                    self.persist(env);
                    self.session_verified = true;
                    self.screen = Screen::ChooseKind(Purpose::Change);
                }
                None => {
                    self.field.clear();
                    self.open_settings(0);
                }
                _ => {}
            },
            Screen::Settings { cursor } => self.settings_key(input, cursor, env),
            Screen::EditOwner => match self.edit_text(input) {
                Some(PrgmKey::Exe) => match owner_message_from(self.field.as_bytes()) {
                    Ok(message) => {
                        if let Some(record) = self.record.as_mut() {
                            record.settings.owner_message = message;
                        }
                        self.field.clear();
                        self.open_settings(3);
                        if self.persist(env) {
                            self.say(Tone::Info, "Owner message saved.");
                        }
                    }
                    Err(error) => self.say(Tone::Error, error.message()),
                },
                Some(PrgmKey::Exit) => {
                    self.field.clear();
                    self.open_settings(3);
                }
                _ => {}
            },
        }
        Flow::Continue
    }

    /// Typing into a secret field of `kind`: characters, DEL, AC. Returns
    /// the other control keys for the screen to act on.
    fn edit(&mut self, input: Typed, kind: SecretKind) -> Option<PrgmKey> {
        match input {
            Typed::Character(character) => {
                // The field reveals the character itself when the setting is on.
                if self.field.try_insert(character) == Err(InsertError::Full) {
                    let message = crate::secret::SecretError::TooLong.message(kind);
                    self.say(Tone::Error, message);
                }
                None
            }
            other => self.edit_control(other),
        }
    }

    /// Typing into the owner message.
    fn edit_text(&mut self, input: Typed) -> Option<PrgmKey> {
        match input {
            Typed::Character(character) => {
                if self.field.try_insert(character) == Err(InsertError::Full) {
                    self.say(Tone::Error, "At most 40 characters.");
                }
                None
            }
            other => self.edit_control(other),
        }
    }

    fn edit_control(&mut self, input: Typed) -> Option<PrgmKey> {
        match input {
            Typed::Control(PrgmKey::Del) => {
                // The cursor is always at the end: DEL removes the last character.
                self.field.delete_back();
                None
            }
            Typed::Control(PrgmKey::AcOn) => {
                self.field.clear();
                None
            }
            Typed::Control(key) => Some(key),
            _ => None,
        }
    }

    fn secret_field(kind: SecretKind, settings: &Settings) -> Field {
        let characters = match kind {
            SecretKind::Pin => InputKind::Digits,
            SecretKind::Passphrase => InputKind::Text,
        };
        Field::new(characters)
            .masked(true)
            .reveal_last(settings.show_last_character)
            .max_length(kind.max_length())
    }

    /// Puts a new field on screen; typing starts again in digit mode.
    fn start_field(&mut self, field: Field) {
        self.field = field;
        self.typing = Typing::default();
    }

    fn begin_new_secret(&mut self, purpose: Purpose, kind: SecretKind) {
        self.start_field(App::secret_field(kind, &self.settings()));
        self.screen = Screen::NewSecret { purpose, kind };
    }

    fn begin_verify(&mut self, screen: Screen) {
        let kind = self
            .record
            .as_ref()
            .map_or(SecretKind::Pin, |record| record.kind);
        self.start_field(App::secret_field(kind, &self.settings()));
        self.screen = screen;
    }

    fn open_settings(&mut self, cursor: usize) {
        self.screen = Screen::Settings { cursor };
    }

    fn commit_new_secret(&mut self, purpose: Purpose, kind: SecretKind, env: &mut dyn Environment) {
        env.show_busy("Measuring this calculator's speed...");
        let iterations = env.calibrate().clamp(MIN_ITERATIONS, MAX_ITERATIONS);
        let salt = crypto::make_salt(&env.random_salt(), &env.device_id());
        env.show_busy("Saving...");
        let hash = crypto::derive(self.field.as_bytes(), &salt, iterations);
        self.field.clear();
        self.first_entry.clear();
        let record = Record::new(kind, self.settings(), iterations, salt, hash);
        let saved = env.save(&record);
        if purpose == Purpose::Setup && (saved.is_err() || !env.record_in_place()) {
            // Keep no half-made lock: a later attempt could need room
            // that is not there.
            let _ = env.erase();
            self.screen = Screen::ChooseKind(Purpose::Setup);
            match saved {
                Err(error) if !self.main_memory_is_full(env) => {
                    self.say_store_error("Not saved, nothing changed", error)
                }
                _ => self.say_full("Not saved"),
            }
            return;
        }
        match saved {
            Ok(()) => {
                self.record = Some(record);
                self.session_verified = true;
                match purpose {
                    Purpose::Setup => {
                        self.screen = Screen::Home;
                        let mut text = String::<80>::new();
                        let _ = write!(
                            text,
                            "Your {} is set. [F1] locks the calculator.",
                            kind.noun()
                        );
                        self.say(Tone::Info, &text);
                    }
                    Purpose::Change => {
                        self.open_settings(0);
                        let mut text = String::<80>::new();
                        let _ = write!(text, "Your new {} is in force.", kind.noun());
                        self.say(Tone::Info, &text);
                    }
                }
            }
            Err(error) => {
                match purpose {
                    Purpose::Setup => self.screen = Screen::ChooseKind(Purpose::Setup),
                    Purpose::Change => self.open_settings(0),
                }
                self.say_store_error("Not saved, nothing changed", error);
            }
        }
    }

    fn lock(&mut self, env: &mut dyn Environment) -> Flow {
        let Some(mut locked) = self.record.clone() else {
            return Flow::Continue;
        };
        // Everything a later attempt needs must be in place now: both
        // copies, so attempts overwrite them and never need free memory.
        if !env.record_in_place() {
            // A copy was lost: saving recreates it if there is room.
            let _ = env.save(&locked);
            if !env.record_in_place() {
                self.say_full("Not locked");
                return Flow::Continue;
            }
        }
        // Block leaving first: from here on, MENU must not work.
        env.set_leaving_blocked(true);
        locked.locked = true;
        if let Err(error) = env.save(&locked) {
            env.set_leaving_blocked(false);
            self.say_store_error("Not locked: could not save", error);
            return Flow::Continue;
        }
        let power_off = locked.settings.power_off_after_lock;
        let kind = locked.kind;
        self.record = Some(locked);
        self.first_entry.clear();
        self.start_field(App::secret_field(kind, &self.settings()));
        self.screen = Screen::Locked { prompt_open: false };
        self.session_verified = false;
        if power_off {
            Flow::PowerOff
        } else {
            Flow::Continue
        }
    }

    fn locked_key(&mut self, input: Typed, prompt_open: bool, env: &mut dyn Environment) {
        if !prompt_open {
            if matches!(input, Typed::Control(PrgmKey::Exit | PrgmKey::Menu)) {
                // Neither leaves: that is the point.
                return;
            }
            self.field.clear();
            self.screen = Screen::Locked { prompt_open: true };
            if !matches!(input, Typed::Character(_)) {
                return;
            }
            // A character that opened the prompt is also the first one typed.
        }
        match self.verify_key(input, env) {
            Some(Attempt::Correct) => self.unlock(env),
            None => {
                self.field.clear();
                self.screen = Screen::Locked { prompt_open: false };
            }
            _ => {}
        }
    }

    /// Keys on a screen asking for the current secret. `None` means EXIT.
    fn verify_key(&mut self, input: Typed, env: &mut dyn Environment) -> Option<Attempt> {
        let waiting = self.wait_remaining() > 0;
        match input {
            Typed::Character(_) if waiting => {
                self.field.clear();
                self.say_wait();
                Some(Attempt::Refused)
            }
            Typed::Character(_) | Typed::Control(PrgmKey::Del) | Typed::Control(PrgmKey::AcOn) => {
                let kind = self.field_kind().unwrap_or(SecretKind::Pin);
                let _ = self.edit(input, kind);
                Some(Attempt::Refused)
            }
            Typed::Control(PrgmKey::Exe) => Some(self.attempt(env)),
            Typed::Control(PrgmKey::Exit) => None,
            _ => Some(Attempt::Refused),
        }
    }

    /// Checks the typed secret against the record.
    fn attempt(&mut self, env: &mut dyn Environment) -> Attempt {
        if self.wait_remaining() > 0 {
            self.field.clear();
            self.say_wait();
            return Attempt::Refused;
        }
        let Some(current) = self.record.clone() else {
            return Attempt::Refused;
        };
        if self.field.is_empty() {
            let mut text = String::<80>::new();
            let _ = write!(text, "Type your {} first.", current.kind.noun());
            self.say(Tone::Error, &text);
            return Attempt::Refused;
        }
        // Count the attempt as failed and save that before checking: a
        // power cut during the check, or after it, cannot undo the count.
        let mut counted = current;
        counted.failures = counted.failures.saturating_add(1);
        counted.last_failure = self.now;
        if let Err(error) = env.save(&counted) {
            self.field.clear();
            self.say_store_error("Attempt not checked: could not save", error);
            return Attempt::Refused;
        }
        env.show_busy("Checking...");
        let correct = crypto::verify(
            self.field.as_bytes(),
            &counted.salt,
            counted.iterations,
            &counted.hash,
        );
        self.field.clear();
        let kind = counted.kind;
        let failures = counted.failures;
        self.record = Some(counted);
        if correct {
            if let Some(record) = self.record.as_mut() {
                record.failures = 0;
            }
            return Attempt::Correct;
        }
        let mut text = String::<80>::new();
        let _ = write!(
            text,
            "Wrong {}. Failed attempts: {}.",
            kind.noun(),
            failures
        );
        let wait = backoff::wait_after(failures);
        if wait > 0 {
            let mut shown = String::<16>::new();
            backoff::format_wait(wait, &mut shown);
            let _ = write!(text, " Wait {shown}.");
        }
        self.say(Tone::Error, &text);
        Attempt::Wrong
    }

    fn unlock(&mut self, env: &mut dyn Environment) {
        if let Some(record) = self.record.as_mut() {
            record.locked = false;
        }
        let saved = self.persist(env);
        env.set_leaving_blocked(false);
        self.session_verified = true;
        self.screen = Screen::Home;
        if saved {
            self.say(Tone::Info, "Unlocked.");
        }
    }

    fn settings_key(&mut self, input: Typed, cursor: usize, env: &mut dyn Environment) {
        let count = SettingItem::ALL.len();
        match input {
            Typed::Control(PrgmKey::Up) => self.open_settings((cursor + count - 1) % count),
            Typed::Control(PrgmKey::Down) => self.open_settings((cursor + 1) % count),
            Typed::Control(PrgmKey::Exe) | Typed::Control(PrgmKey::F1) => {
                self.activate(cursor, env)
            }
            Typed::Character(digit @ '1'..='7') => {
                let index = digit as usize - '1' as usize;
                self.open_settings(index);
                self.activate(index, env);
            }
            Typed::Control(PrgmKey::Exit) => self.screen = Screen::Home,
            _ => {}
        }
    }

    fn activate(&mut self, index: usize, env: &mut dyn Environment) {
        let item = SettingItem::ALL[index];
        match item {
            SettingItem::ChangeSecret => self.begin_verify(Screen::VerifyCurrentSecret),
            SettingItem::OwnerMessage => {
                let current = self.settings().owner_message;
                self.start_field(
                    Field::new(InputKind::Text)
                        .max_length(OWNER_MESSAGE_MAX)
                        .with_text(current.as_str()),
                );
                self.screen = Screen::EditOwner;
            }
            _ => {
                if let Some(record) = self.record.as_mut() {
                    item.toggle(&mut record.settings);
                    if self.persist(env) {
                        self.say(Tone::Info, "Saved.");
                    }
                }
            }
        }
    }

    /// Saves the in-memory record; on failure shows why and returns false.
    fn persist(&mut self, env: &mut dyn Environment) -> bool {
        let Some(record) = self.record.as_ref() else {
            return true;
        };
        match env.save(record) {
            Ok(()) => true,
            Err(error) => {
                self.say_store_error("Could not save", error);
                false
            }
        }
    }

    fn restart_wait_if_clock_went_back(&mut self, env: &mut dyn Environment) {
        let now = self.now;
        let Some(record) = self.record.as_mut() else {
            return;
        };
        if lockout(record.failures, record.last_failure, now).clock_went_back {
            record.last_failure = now;
            self.persist(env);
        }
    }

    fn say(&mut self, tone: Tone, text: &str) {
        let mut notice = Notice {
            text: String::new(),
            tone,
        };
        for character in text.chars() {
            if notice.text.push(character).is_err() {
                break;
            }
        }
        self.notice = Some(notice);
    }

    /// The countdown itself is drawn live; the notice only explains it.
    fn say_wait(&mut self) {
        self.say(Tone::Error, "Too many wrong attempts. Please wait.");
    }

    fn main_memory_is_full(&mut self, env: &mut dyn Environment) -> bool {
        env.free_main_memory()
            .is_some_and(|free| (free as usize) < BYTES_NEEDED)
    }

    /// "<what>: main memory is full. Free 336 bytes (MEMORY app)."
    fn say_full(&mut self, what: &str) {
        let mut text = String::<80>::new();
        let _ = write!(
            text,
            "{what}: main memory is full. Free {BYTES_NEEDED} bytes (MEMORY app)."
        );
        self.say(Tone::Error, &text);
    }

    fn say_store_error(&mut self, what: &str, error: StoreError) {
        let mut text = String::<80>::new();
        let _ = write!(text, "{what} ({} error {}).", error.operation, error.code);
        self.say(Tone::Error, &text);
    }
}

fn quit(env: &mut dyn Environment) -> Flow {
    env.set_leaving_blocked(false);
    Flow::Quit
}

#[cfg(test)]
mod tests;
