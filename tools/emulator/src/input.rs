//! Key input: scripted key presses on the virtual time line, keys held in
//! a window, and key codes injected by `Keyboard_PutKeycode`.
//!
//! A press puts its key down at a virtual time for [`HOLD_NS`]; presses
//! queued back to back are spaced by [`GAP_NS`]. Two kinds of readers see
//! presses:
//! * event readers (`GetKey`, `GetKeyWait_OS`) take each press once, in
//!   order, waiting (in virtual time) for it if it lies in the future;
//! * matrix readers (`PRGM_GetKey_OS`, the KEYSC registers) see which keys
//!   are down *now*. A press a matrix reader saw down is not delivered to
//!   an event reader afterwards.

use std::collections::{BTreeSet, VecDeque};

use crate::keys::Key;

/// How long a scripted press holds its key down.
pub const HOLD_NS: u64 = 100_000_000;
/// Pause between two queued presses.
pub const GAP_NS: u64 = 50_000_000;

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
#[derive(Debug, Clone, Default)]
pub struct KeyInput {
    presses: VecDeque<Press>,
    injected: VecDeque<Injected>,
    live: BTreeSet<Key>,
    next_free_ns: u64,
}

impl KeyInput {
    /// Queues a press of `key` at `now_ns` or after the presses already queued.
    pub fn queue(&mut self, key: Key, now_ns: u64) -> u64 {
        let at = now_ns.max(self.next_free_ns);
        self.presses.push_back(Press {
            key,
            at_ns: at,
            hold_ns: HOLD_NS,
            taken: false,
        });
        self.next_free_ns = at + HOLD_NS + GAP_NS;
        at
    }

    /// A press from a live keyboard (the window): delivered at `now_ns`,
    /// held as long as [`KeyInput::set_live`] says.
    pub fn live_press(&mut self, key: Key, now_ns: u64) {
        self.presses.push_back(Press {
            key,
            at_ns: now_ns,
            hold_ns: 0,
            taken: false,
        });
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

    /// The next press an event reader would get: `(key, at_ns)`.
    pub fn peek_press(&self) -> Option<(Key, u64)> {
        self.presses
            .iter()
            .find(|p| !p.taken)
            .map(|p| (p.key, p.at_ns))
    }

    /// Takes the next press if it has happened by `now_ns`.
    pub fn take_press(&mut self, now_ns: u64) -> Option<Key> {
        let press = self.presses.iter_mut().find(|p| !p.taken)?;
        if press.at_ns > now_ns {
            return None;
        }
        press.taken = true;
        let key = press.key;
        self.prune(now_ns);
        Some(key)
    }

    /// Whether any press is still waiting for a reader (or an injected code).
    pub fn has_pending(&self) -> bool {
        !self.injected.is_empty() || self.presses.iter().any(|p| !p.taken)
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

    /// A matrix reader looked at the keys: presses down now count as taken.
    pub fn mark_seen(&mut self, now_ns: u64) {
        let live = self.live.clone();
        for press in self.presses.iter_mut() {
            let down = press.at_ns <= now_ns
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
    fn live_keys() {
        let mut input = KeyInput::default();
        input.set_live([Key::Up].into_iter().collect());
        input.live_press(Key::Up, 5);
        assert!(input.held(1000).contains(&Key::Up));
        assert_eq!(input.take_press(5), Some(Key::Up));
        input.set_live(BTreeSet::new());
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
