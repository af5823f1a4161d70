//! The on-target test runner: `cargo test` builds test binaries for the
//! calculator target that run in the emulator (or under qemu-sh4eb) and
//! report over [`crate::debug`] in a line protocol:
//!
//! ```text
//! test <name> ... ok
//! test <name> ... FAILED: <message>
//! image <name> <path of a PNG, relative to the repository root>
//! test result: ok. <passed> passed; <failed> failed
//! ```
//!
//! A panic aborts (there is no unwinding on the calculator), so the first
//! failing test ends the run.

use core::sync::atomic::{AtomicBool, AtomicU32, Ordering};

static IN_TEST_RUN: AtomicBool = AtomicBool::new(false);
static PASSED: AtomicU32 = AtomicU32::new(0);

/// A test the runner can run: any `fn()`.
pub trait Testable {
    /// Runs the test, reporting its name and result.
    fn run(&self);
}

impl<T: Fn()> Testable for T {
    fn run(&self) {
        crate::debug::write_str("test ");
        crate::debug::write_str(core::any::type_name::<T>());
        crate::debug::write_str(" ... ");
        self();
        crate::debug::write_line("ok");
        // No read-modify-write atomics on this CPU; tests run on one thread.
        PASSED.store(PASSED.load(Ordering::Relaxed) + 1, Ordering::Relaxed);
    }
}

/// True while [`run_tests`] is running tests.
pub fn in_test_run() -> bool {
    IN_TEST_RUN.load(Ordering::Relaxed)
}

/// Runs every test and exits with 0, or with 101 at the first failure.
pub fn run_tests(tests: &[&dyn Testable]) {
    IN_TEST_RUN.store(true, Ordering::Relaxed);
    crate::debug_println!("running {} tests", tests.len());
    for test in tests {
        test.run();
    }
    crate::debug_println!(
        "\ntest result: ok. {} passed; 0 failed",
        PASSED.load(Ordering::Relaxed)
    );
    crate::debug::write_line("finished");
    crate::debug::exit(0);
}

/// The [`Calculator`](crate::Calculator) for one test, which drops it when
/// done so the next test can take it.
///
/// Unit tests of the crate run without `entry!`; integration tests drop the
/// token `entry!` gave them before calling the harness (see
/// `tests/device_system.rs`). Either way no token is alive between tests,
/// and one that is means a test is leaking it: that panics.
#[track_caller]
pub fn calculator() -> crate::Calculator {
    crate::Calculator::take()
        .expect("another Calculator is alive: drop the one entry! gave before running the tests")
}

/// Asks the runner to compare VRAM with the committed screenshot `png`
/// (relative to the repository root; written if it does not exist yet).
pub fn compare_screen(name: &str, png: &str) {
    crate::debug_println!("image {name} {png}");
}

/// Called by the panic handler during a test run.
pub fn report_failure_and_exit(message: &str) -> ! {
    crate::debug::write_str("FAILED: ");
    crate::debug::write_line(message);
    crate::debug_println!(
        "\ntest result: FAILED. {} passed; 1 failed",
        PASSED.load(Ordering::Relaxed)
    );
    crate::debug::write_line("finished");
    crate::debug::exit(101)
}
