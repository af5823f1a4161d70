//! The stored verifier: PBKDF2-HMAC-SHA256 over the secret with a salt
//! unique to this lock and this calculator, an iteration count calibrated
//! on the device, the salt's random half, and the calibration itself.

use crate::sha256::{self, Sha256};

/// The calculator's tick rate (RTC_GetTicks: 128 per second).
pub const TICKS_PER_SECOND: u32 = 128;
/// Ticks in a day, after which the tick counter wraps.
pub const TICKS_PER_DAY: u32 = TICKS_PER_SECOND * 86_400;

/// Bytes of fresh randomness in a salt.
pub const SALT_RANDOM_LENGTH: usize = 16;
/// Bytes of the calculator's unique ID (read at 0x8001FFD0).
pub const DEVICE_ID_LENGTH: usize = 8;
/// Bytes of a whole salt: the random part, then the device ID.
pub const SALT_LENGTH: usize = SALT_RANDOM_LENGTH + DEVICE_ID_LENGTH;
/// Bytes of the derived key that is stored.
pub const HASH_LENGTH: usize = 32;

/// Fewest iterations ever used, however slow the device measured.
pub const MIN_ITERATIONS: u32 = 500;
/// Most iterations ever used, however fast the device measured.
pub const MAX_ITERATIONS: u32 = 200_000;
/// Used when calibration could not measure anything sensible: about what
/// the emulator calibrates (58 MHz, SHA-256 in SH-4A assembly).
pub const FALLBACK_ITERATIONS: u32 = 3_000;

/// What one verification should cost: half a second.
pub const TARGET_TICKS: u32 = TICKS_PER_SECOND / 2;
/// Calibration stops doubling once a trial has run this long (1/8 s), long
/// enough that the tick's granularity costs at most 1/16 of the result.
pub const MIN_MEASURED_TICKS: u32 = 16;
/// The first trial's iteration count.
const FIRST_TRIAL: u32 = 64;

/// A whole salt.
pub type Salt = [u8; SALT_LENGTH];
/// A derived key.
pub type Hash = [u8; HASH_LENGTH];

/// Joins the random part and the device ID into a salt. The device ID
/// makes a record copied to another calculator useless for a precomputed
/// attack on this one; the random part makes two locks on one calculator
/// (or one lock after a PIN change) hash the same PIN differently.
pub fn make_salt(random: &[u8; SALT_RANDOM_LENGTH], device_id: &[u8; DEVICE_ID_LENGTH]) -> Salt {
    let mut salt = [0u8; SALT_LENGTH];
    salt[..SALT_RANDOM_LENGTH].copy_from_slice(random);
    salt[SALT_RANDOM_LENGTH..].copy_from_slice(device_id);
    salt
}

/// PBKDF2-HMAC-SHA256(secret, salt, iterations), 32 bytes.
pub fn derive(secret: &[u8], salt: &Salt, iterations: u32) -> Hash {
    let mut hash = [0u8; HASH_LENGTH];
    sha256::pbkdf2_hmac_sha256(secret, salt, iterations, &mut hash);
    hash
}

/// Whether `secret` derives to `expected` with this salt and count.
pub fn verify(secret: &[u8], salt: &Salt, iterations: u32, expected: &Hash) -> bool {
    let mut candidate = derive(secret, salt, iterations);
    let equal = constant_time_eq(&candidate, expected);
    crate::secret::wipe(&mut candidate);
    equal
}

/// Compares two byte strings without an early exit on the first
/// difference (the length is not secret).
pub fn constant_time_eq(left: &[u8], right: &[u8]) -> bool {
    if left.len() != right.len() {
        return false;
    }
    let difference = left
        .iter()
        .zip(right)
        .fold(0u8, |acc, (a, b)| acc | (a ^ b));
    // Keep the optimiser from turning the fold back into an early exit.
    core::hint::black_box(difference) == 0
}

/// Collects whatever unpredictability the calculator offers (tick counts
/// at key presses, the time, the device ID, addresses) and turns it into
/// salt bytes through SHA-256. There is no hardware random source, so the
/// salt is "random-ish": unique in practice, which is all a salt needs.
#[derive(Clone)]
pub struct EntropyPool {
    state: [u8; 32],
    draws: u32,
}

impl Default for EntropyPool {
    fn default() -> Self {
        EntropyPool::new()
    }
}

impl EntropyPool {
    /// An empty pool.
    pub fn new() -> Self {
        EntropyPool {
            state: [0; 32],
            draws: 0,
        }
    }

    /// Stirs `material` into the pool.
    pub fn mix(&mut self, material: &[u8]) {
        let mut hasher = Sha256::new();
        hasher.update(b"CGlock pool");
        hasher.update(&self.state);
        hasher.update(material);
        self.state = hasher.finalize();
    }

    /// Stirs a 32-bit value (a tick count, …) into the pool.
    pub fn mix_u32(&mut self, value: u32) {
        self.mix(&value.to_be_bytes());
    }

    /// Draws salt bytes. Successive draws differ even without new material.
    pub fn draw(&mut self) -> [u8; SALT_RANDOM_LENGTH] {
        self.draws = self.draws.wrapping_add(1);
        let mut hasher = Sha256::new();
        hasher.update(b"CGlock draw");
        hasher.update(&self.state);
        hasher.update(&self.draws.to_be_bytes());
        let digest: [u8; 32] = hasher.finalize();
        // Move the pool on so an earlier draw cannot be recomputed from it.
        self.mix(&digest);
        let mut out = [0u8; SALT_RANDOM_LENGTH];
        out.copy_from_slice(&digest[..SALT_RANDOM_LENGTH]);
        out
    }
}

/// The iteration count that costs [`TARGET_TICKS`], given that `trial`
/// iterations took `elapsed` ticks, kept within the sane range.
pub fn iterations_for_target(trial: u32, elapsed: u32) -> u32 {
    if elapsed == 0 {
        // Faster than the clock can tell: as many as allowed.
        return MAX_ITERATIONS;
    }
    let scaled = trial as u64 * TARGET_TICKS as u64 / elapsed as u64;
    scaled.clamp(MIN_ITERATIONS as u64, MAX_ITERATIONS as u64) as u32
}

/// Measures how many iterations fit in [`TARGET_TICKS`]: runs trials of
/// 64, 128, 256, … iterations through `run_trial` (which returns the ticks
/// a trial took) until one lasts at least [`MIN_MEASURED_TICKS`] or the
/// trial reaches [`MAX_ITERATIONS`], then scales.
pub fn calibrate(mut run_trial: impl FnMut(u32) -> u32) -> u32 {
    let mut trial = FIRST_TRIAL;
    loop {
        let elapsed = run_trial(trial);
        if elapsed > TICKS_PER_DAY / 2 {
            // A clock jump (the user cannot set the clock here, but the
            // RTC can be reset): do not trust this measurement.
            return FALLBACK_ITERATIONS;
        }
        if elapsed >= MIN_MEASURED_TICKS || trial >= MAX_ITERATIONS {
            return iterations_for_target(trial, elapsed);
        }
        trial = trial.saturating_mul(2).min(MAX_ITERATIONS);
    }
}

/// Runs `iterations` of the real derivation on a dummy secret, for
/// calibration; the result is discarded.
pub fn calibration_workload(iterations: u32) {
    let salt = [0x5Au8; SALT_LENGTH];
    let hash = derive(b"calibration", &salt, iterations);
    core::hint::black_box(hash);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn derive_any(password: &[u8], salt: &[u8], iterations: u32) -> [u8; 32] {
        let mut out = [0u8; 32];
        sha256::pbkdf2_hmac_sha256(password, salt, iterations, &mut out);
        out
    }

    #[test]
    fn derive_is_pbkdf2_hmac_sha256() {
        // The published vector for "password", "salt", 2 iterations.
        let salt: Salt = *b"salt\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0";
        assert_eq!(derive(b"pw", &salt, 7), derive_any(b"pw", &salt, 7));
        assert_eq!(
            derive_any(b"password", b"salt", 2)[..4],
            [0xae, 0x4d, 0x0c, 0x95]
        );
    }

    #[test]
    fn derive_uses_the_whole_salt() {
        let device = [1, 2, 3, 4, 5, 6, 7, 8];
        let salt = make_salt(&[9; 16], &device);
        assert_eq!(&salt[16..], &device);
        let hash = derive(b"1234", &salt, 3);
        assert_eq!(hash, derive_any(b"1234", &salt, 3));
        let other_device = make_salt(&[9; 16], &[1, 2, 3, 4, 5, 6, 7, 9]);
        assert_ne!(hash, derive(b"1234", &other_device, 3));
        let other_random = make_salt(&[8; 16], &device);
        assert_ne!(hash, derive(b"1234", &other_random, 3));
        assert_ne!(hash, derive(b"1234", &salt, 4));
    }

    #[test]
    fn verify_accepts_only_the_secret() {
        let salt = make_salt(&[7; 16], &[0; 8]);
        let stored = derive(b"0042", &salt, 5);
        assert!(verify(b"0042", &salt, 5, &stored));
        assert!(!verify(b"0043", &salt, 5, &stored));
        assert!(!verify(b"042", &salt, 5, &stored));
        assert!(!verify(b"", &salt, 5, &stored));
    }

    #[test]
    fn constant_time_eq_compares() {
        assert!(constant_time_eq(b"abc", b"abc"));
        assert!(!constant_time_eq(b"abc", b"abd"));
        assert!(!constant_time_eq(b"abc", b"ab"));
        assert!(constant_time_eq(b"", b""));
    }

    #[test]
    fn entropy_pool_draws_differ() {
        let mut pool = EntropyPool::new();
        let first = pool.draw();
        let second = pool.draw();
        assert_ne!(first, second);
        let mut other = EntropyPool::new();
        other.mix_u32(12345);
        assert_ne!(other.draw(), first);
        // Same material in, same salt out: the pool is deterministic.
        let mut a = EntropyPool::new();
        let mut b = EntropyPool::new();
        a.mix(b"ticks");
        b.mix(b"ticks");
        assert_eq!(a.draw(), b.draw());
    }

    #[test]
    fn iterations_scale_and_clamp() {
        assert_eq!(iterations_for_target(1024, 16), 4096);
        assert_eq!(iterations_for_target(1000, 64), 1000);
        assert_eq!(iterations_for_target(64, 100), MIN_ITERATIONS);
        assert_eq!(iterations_for_target(200_000, 1), MAX_ITERATIONS);
        assert_eq!(iterations_for_target(200_000, 0), MAX_ITERATIONS);
    }

    #[test]
    fn calibrate_doubles_until_measurable() {
        // A device doing 2000 iterations per second: 15.625 per tick.
        let mut trials = Vec::new();
        let result = calibrate(|n| {
            trials.push(n);
            (n as u64 * 128 / 2000) as u32
        });
        assert_eq!(trials, vec![64, 128, 256]);
        // 256 iterations took 16 ticks: 1024 fit in 64 ticks (0.5 s).
        assert_eq!(result, 1024);
    }

    #[test]
    fn calibrate_stops_at_the_maximum_on_a_fast_device() {
        let mut trials = 0;
        let result = calibrate(|_| {
            trials += 1;
            0
        });
        assert_eq!(result, MAX_ITERATIONS);
        assert!(trials < 20);
    }

    #[test]
    fn calibrate_distrusts_a_clock_jump() {
        assert_eq!(calibrate(|_| TICKS_PER_DAY - 1), FALLBACK_ITERATIONS);
    }

    #[test]
    fn calibrate_keeps_the_minimum_on_a_slow_device() {
        assert_eq!(calibrate(|n| n), MIN_ITERATIONS);
    }
}
