//! Key input: scripted key presses on the virtual time line, keys held in
//! a window, and key codes injected by `Keyboard_PutKeycode`.
//!
//! A press puts its key down at a virtual time for the hold time
//! ([`HOLD_NS`] unless changed with [`KeyInput::set_hold`]); presses queued
//! back to back are spaced by [`GAP_NS`]. Two kinds of readers see presses:
//! * event readers (`GetKey`, `GetKeyWait_OS`) take each press once, in
//!   order, waiting (in virtual time) for it if it lies in the future, and
//!   get the OS's auto-repeat while a key they took stays down: a repeat
//!   [`REPEAT_FIRST_NS`] after the press, then every [`REPEAT_NEXT_NS`];
//! * matrix readers (`PRGM_GetKey_OS`, the KEYSC registers) see which keys
//!   are down *now*. A press a matrix reader saw down is not delivered to
//!   an event reader afterwards — except MENU: the OS's keyboard interrupt
//!   queues MENU for the next `GetKey` whatever else read the keys, so a
//!   polling screen followed by `GetKey` leaves with one press.
//!
//! The repeat figures are the OS defaults of `Bkey_Set_RepeatTime`
//! (first 20, next 5, in units of 25 ms: 500 ms and 125 ms), as written in
//! the public C.Basic add-in sources that save and restore them. Which keys
//! repeat is not documented; the emulator repeats every key but the
//! modifiers (SHIFT, ALPHA), MENU and AC/ON.

use std::collections::{BTreeSet, VecDeque};

use crate::keys::Key;

/// How long a scripted press holds its key down.
pub const HOLD_NS: u64 = 100_000_000;
/// Pause between two queued presses.
pub const GAP_NS: u64 = 50_000_000;
/// The OS's auto-repeat: first repeat after a press (20 × 25 ms).
pub const REPEAT_FIRST_NS: u64 = 500_000_000;
/// The OS's auto-repeat: period of later repeats (5 × 25 ms).
pub const REPEAT_NEXT_NS: u64 = 125_000_000;
/// Longest hold time a caller may set (a minute).
pub const MAX_HOLD_NS: u64 = 60_000_000_000;

/// Whether the OS auto-repeats a held key.
fn repeats(key: Key) -> bool {
    !matches!(key, Key::Shift | Key::Alpha | Key::Menu | Key::AcOn)
}

/// One key press.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Press {
    /// The key.
    pub key: Key,
    /// When it goes down (virtual ns).
    pub at_ns: u64,
    /// How long it stays down (0: until released by the window).
    pub hold_ns: u64,
    /// Taken by an event reader or seen by a matrix reader.
    pub taken: bool,
    /// Taken by an event reader (so it auto-repeats while held).
    pub delivered: bool,
    /// Auto-repeats delivered so far.
    pub repeats: u64,
}

impl Press {
    fn new(key: Key, at_ns: u64, hold_ns: u64) -> Press {
        Press {
            key,
            at_ns,
            hold_ns,
            taken: false,
            delivered: false,
            repeats: 0,
        }
    }

    /// Time of auto-repeat number `n` (0-based).
    fn repeat_at(&self, n: u64) -> u64 {
        self.at_ns
            .saturating_add(REPEAT_FIRST_NS)
            .saturating_add(n.saturating_mul(REPEAT_NEXT_NS))
    }

    /// Auto-repeats due by `now_ns` in all.
    fn repeats_due(&self, now_ns: u64) -> u64 {
        let first = self.at_ns.saturating_add(REPEAT_FIRST_NS);
        if now_ns < first {
            0
        } else {
            (now_ns - first) / REPEAT_NEXT_NS + 1
        }
    }
}

/// A key code injected by `Keyboard_PutKeycode`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Injected {
    /// Matrix column argument.
    pub column: i32,
    /// Matrix row argument.
    pub row: i32,
    /// The key code.
    pub code: u16,
}

/// The keyboard.
#[derive(Debug, Clone)]
pub struct KeyInput {
    presses: VecDeque<Press>,
    injected: VecDeque<Injected>,
    live: BTreeSet<Key>,
    next_free_ns: u64,
    hold_ns: u64,
}

impl Default for KeyInput {
    fn default() -> Self {
        KeyInput {
            presses: VecDeque::new(),
            injected: VecDeque::new(),
            live: BTreeSet::new(),
            next_free_ns: 0,
            hold_ns: HOLD_NS,
        }
    }
}

impl KeyInput {
    /// Queues a press of `key` at `now_ns` or after the presses already queued.
    pub fn queue(&mut self, key: Key, now_ns: u64) -> u64 {
        let at = now_ns.max(self.next_free_ns);
        self.presses.push_back(Press::new(key, at, self.hold_ns));
        self.next_free_ns = at + self.hold_ns + GAP_NS;
        at
    }

    /// How long queued presses hold their key down from now on (at least
    /// 1 ms, at most [`MAX_HOLD_NS`]): a hold past [`REPEAT_FIRST_NS`] makes
    /// `GetKey` auto-repeat the key.
    pub fn set_hold(&mut self, hold_ns: u64) {
        self.hold_ns = hold_ns.clamp(1_000_000, MAX_HOLD_NS);
    }

    /// The hold time of queued presses.
    pub fn hold(&self) -> u64 {
        self.hold_ns
    }

    /// A press from a live keyboard (the window): delivered at `now_ns`,
    /// held as long as [`KeyInput::set_live`] says.
    pub fn live_press(&mut self, key: Key, now_ns: u64) {
        self.presses.push_back(Press::new(key, now_ns, 0));
    }

    /// The keys a live keyboard holds down.
    pub fn set_live(&mut self, keys: BTreeSet<Key>) {
        self.live = keys;
    }

    /// Injects a key code for the next event reader.
    pub fn inject(&mut self, injected: Injected) {
        if self.injected.len() < 64 {
            self.injected.push_back(injected);
        }
    }

    /// Takes the oldest injected code.
    pub fn take_injected(&mut self) -> Option<Injected> {
        self.injected.pop_front()
    }

    /// The next press an event reader would get: `(key, at_ns)`, an
    /// auto-repeat of a held key included.
    pub fn peek_press(&self) -> Option<(Key, u64)> {
        if let Some(press) = self.presses.iter().find(|p| !p.taken) {
            return Some((press.key, press.at_ns));
        }
        let press = self.repeating()?;
        let at = press.repeat_at(press.repeats);
        let released = if press.hold_ns == 0 {
            !self.live.contains(&press.key)
        } else {
            at >= press.at_ns + press.hold_ns
        };
        (!released).then_some((press.key, at))
    }

    /// The last press an event reader took, if it auto-repeats.
    fn repeating(&self) -> Option<&Press> {
        let press = self.presses.iter().rev().find(|p| p.delivered)?;
        let newer_untaken = self.presses.iter().any(|p| !p.taken);
        (repeats(press.key) && !newer_untaken).then_some(press)
    }

    /// Takes the next press if it has happened by `now_ns`, or an
    /// auto-repeat of the key taken last if it is still down and a repeat
    /// is due (repeats the reader was too slow for are dropped, as a held
    /// key is a state, not a queue).
    pub fn take_press(&mut self, now_ns: u64) -> Option<Key> {
        if let Some(press) = self.presses.iter_mut().find(|p| !p.taken) {
            if press.at_ns > now_ns {
                return None;
            }
            press.taken = true;
            press.delivered = true;
            let key = press.key;
            self.prune(now_ns);
            return Some(key);
        }
        let live = self.live.clone();
        let press = self.presses.iter_mut().rev().find(|p| p.delivered)?;
        let held = now_ns < press.at_ns + press.hold_ns
            || (press.hold_ns == 0 && live.contains(&press.key));
        let due = press.repeats_due(now_ns);
        if !repeats(press.key) || !held || due <= press.repeats {
            return None;
        }
        press.repeats = due;
        Some(press.key)
    }

    /// Whether any press is still waiting for a reader (or an injected
    /// code), auto-repeats of a queued press held past the first repeat
    /// included.
    pub fn has_pending(&self) -> bool {
        if !self.injected.is_empty() || self.presses.iter().any(|p| !p.taken) {
            return true;
        }
        self.repeating()
            .is_some_and(|p| p.hold_ns != 0 && p.repeat_at(p.repeats) < p.at_ns + p.hold_ns)
    }

    /// When the last queued press is released.
    pub fn last_release_ns(&self) -> u64 {
        self.presses
            .iter()
            .map(|p| p.at_ns + p.hold_ns)
            .max()
            .unwrap_or(0)
    }

    fn is_down(&self, press: &Press, now_ns: u64) -> bool {
        press.at_ns <= now_ns
            && (now_ns < press.at_ns + press.hold_ns
                || (press.hold_ns == 0 && self.live.contains(&press.key)))
    }

    /// Keys down at `now_ns`.
    pub fn held(&self, now_ns: u64) -> BTreeSet<Key> {
        let mut keys = self.live.clone();
        keys.extend(
            self.presses
                .iter()
                .filter(|p| self.is_down(p, now_ns))
                .map(|p| p.key),
        );
        keys
    }

    /// A matrix reader looked at the keys: presses down now count as
    /// taken, MENU excepted (see the module documentation).
    pub fn mark_seen(&mut self, now_ns: u64) {
        let live = self.live.clone();
        for press in self.presses.iter_mut() {
            let down = press.key != Key::Menu
                && press.at_ns <= now_ns
                && (now_ns < press.at_ns + press.hold_ns
                    || (press.hold_ns == 0 && live.contains(&press.key)));
            if down {
                press.taken = true;
            }
        }
        self.prune(now_ns);
    }

    /// Forgets presses that are taken and released.
    pub fn prune(&mut self, now_ns: u64) {
        while let Some(front) = self.presses.front() {
            if front.taken
                && front.at_ns + front.hold_ns <= now_ns
                && !(front.hold_ns == 0 && self.live.contains(&front.key))
            {
                self.presses.pop_front();
            } else {
                break;
            }
        }
        // A runaway producer cannot grow the queue without bound.
        while self.presses.len() > 4096 {
            self.presses.pop_front();
        }
    }

    /// The KEYSC register words at `now_ns`.
    pub fn matrix_words(&self, now_ns: u64) -> [u16; 16] {
        let mut words = [0u16; 16];
        for key in self.held(now_ns) {
            let (word, bit) = key.scan_position();
            words[word] |= 1 << bit;
        }
        words
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn queued_presses_are_spaced() {
        let mut input = KeyInput::default();
        assert_eq!(input.queue(Key::Digit1, 1000), 1000);
        assert_eq!(input.queue(Key::Digit2, 1000), 1000 + HOLD_NS + GAP_NS);
        assert_eq!(input.peek_press(), Some((Key::Digit1, 1000)));
        assert_eq!(input.take_press(999), None);
        assert_eq!(input.take_press(1000), Some(Key::Digit1));
        assert_eq!(input.take_press(1000), None);
        assert!(input.has_pending());
        assert_eq!(input.take_press(u64::MAX), Some(Key::Digit2));
        assert!(!input.has_pending());
    }

    #[test]
    fn matrix_shows_held_keys_and_consumes_them() {
        let mut input = KeyInput::default();
        input.queue(Key::F1, 0);
        assert_eq!(input.matrix_words(0)[4], 1 << 14);
        assert_eq!(input.matrix_words(HOLD_NS)[4], 0);
        input.mark_seen(10);
        assert!(!input.has_pending());
        assert_eq!(input.matrix_words(20)[4], 1 << 14, "still physically down");
    }

    #[test]
    fn menu_seen_through_the_matrix_still_reaches_get_key() {
        let mut input = KeyInput::default();
        input.queue(Key::Menu, 0);
        input.queue(Key::Exe, 0);
        input.mark_seen(10);
        assert!(input.has_pending());
        assert_eq!(input.take_press(10), Some(Key::Menu));
        input.mark_seen(HOLD_NS + GAP_NS + 10);
        assert_eq!(input.take_press(u64::MAX / 2), None, "EXE was seen");
    }

    #[test]
    fn held_keys_auto_repeat_for_event_readers() {
        let mut input = KeyInput::default();
        input.set_hold(1_000_000_000);
        assert_eq!(input.hold(), 1_000_000_000);
        input.queue(Key::Down, 0);
        assert_eq!(input.take_press(0), Some(Key::Down));
        assert!(input.has_pending(), "repeats to come");
        assert_eq!(input.peek_press(), Some((Key::Down, REPEAT_FIRST_NS)));
        assert_eq!(input.take_press(REPEAT_FIRST_NS - 1), None);
        let mut repeats = Vec::new();
        let mut now = 0;
        while let Some((_, at)) = input.peek_press() {
            now = at;
            assert_eq!(input.take_press(now), Some(Key::Down));
            repeats.push(now / 1_000_000);
        }
        // 500 ms, then every 125 ms while the key is down (released at 1 s).
        assert_eq!(repeats, [500, 625, 750, 875]);
        assert!(!input.has_pending());
        assert_eq!(input.take_press(now + REPEAT_NEXT_NS), None);
        // A short press never repeats; modifiers never repeat.
        let mut input = KeyInput::default();
        input.queue(Key::Up, 0);
        assert_eq!(input.take_press(0), Some(Key::Up));
        assert_eq!(input.peek_press(), None);
        input.set_hold(2_000_000_000);
        input.queue(Key::Shift, 0);
        let at = input.peek_press().unwrap().1;
        assert_eq!(input.take_press(at), Some(Key::Shift));
        assert_eq!(input.take_press(at + REPEAT_FIRST_NS), None);
    }

    #[test]
    fn a_slow_reader_gets_one_repeat_not_a_backlog() {
        let mut input = KeyInput::default();
        input.set_hold(5_000_000_000);
        input.queue(Key::Right, 0);
        assert_eq!(input.take_press(0), Some(Key::Right));
        assert_eq!(input.take_press(2_000_000_000), Some(Key::Right));
        assert_eq!(input.take_press(2_000_000_001), None);
    }

    #[test]
    fn live_keys() {
        let mut input = KeyInput::default();
        input.set_live([Key::Up].into_iter().collect());
        input.live_press(Key::Up, 5);
        assert!(input.held(1000).contains(&Key::Up));
        assert_eq!(input.take_press(5), Some(Key::Up));
        assert_eq!(input.peek_press(), Some((Key::Up, 5 + REPEAT_FIRST_NS)));
        assert_eq!(input.take_press(5 + REPEAT_FIRST_NS), Some(Key::Up));
        input.set_live(BTreeSet::new());
        assert_eq!(input.peek_press(), None, "released: no more repeats");
        input.prune(6);
        assert!(input.held(7).is_empty());
    }

    #[test]
    fn injected_codes() {
        let mut input = KeyInput::default();
        input.inject(Injected {
            column: -1,
            row: -1,
            code: crate::keys::KeyCode::Exit.code() as u16,
        });
        assert!(input.has_pending());
        let code = input.take_injected().map(|i| i32::from(i.code));
        assert_eq!(code, Some(crate::keys::KeyCode::Exit.code()));
    }
}
