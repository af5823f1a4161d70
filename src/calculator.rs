//! The calculator's hardware as values with one owner each.
//!
//! VRAM is plain memory the add-in can write through a Rust reference; two
//! live `&mut` references to it would be undefined behaviour. So the only
//! way to such a reference is through [`Display`], which exists once, inside
//! the one [`Calculator`] that [`entry!`](crate::entry) hands to `main`.
//! Borrowing rules then do the rest: while a [`Vram`](crate::display::Vram)
//! or a pixel slice borrowed from the display lives, no second one can be
//! made.
//!
//! ```no_run
//! # mod addin {
//! use embedded_graphics::{pixelcolor::Rgb565, prelude::*};
//! use prizm::display::Display;
//!
//! prizm::entry!(main);
//!
//! fn main(mut calculator: prizm::Calculator) {
//!     paint(&mut calculator.display, Rgb565::BLUE);
//!     // The borrow ended with `paint`: VRAM can be borrowed again.
//!     let mut screen = calculator.display.vram();
//!     screen.fill_solid(&Rectangle::new(Point::new(10, 10), Size::new(20, 20)), Rgb565::RED).unwrap();
//!     screen.flush();
//!     prizm::keyboard::wait_for_exit();
//! }
//!
//! fn paint(display: &mut Display, color: Rgb565) {
//!     display.vram().clear(color).unwrap();
//! }
//! # use embedded_graphics::primitives::Rectangle;
//! # }
//! # fn main() {}
//! ```
//!
//! Two live borrows of VRAM do not compile:
//!
//! ```compile_fail,E0499
//! fn draw(calculator: &mut prizm::Calculator) {
//!     let first = calculator.display.pixels();
//!     let second = calculator.display.pixels(); // error: second mutable borrow
//!     first[0] = second[0];
//! }
//! ```
//!
//! Syscalls that only draw through the OS (`print_xy`, `clear`, the
//! status bar) stay free functions: they hand out no reference.

use core::sync::atomic::{AtomicBool, Ordering};

use crate::display::Display;

/// True while a [`Calculator`] exists.
static TAKEN: AtomicBool = AtomicBool::new(false);

/// The calculator's hardware that Rust code can hold references into.
///
/// There is at most one at a time: [`entry!`](crate::entry) makes it and
/// passes it to `main`; [`Calculator::take`] gives one to code that runs
/// without `entry!` (the on-target tests) and only when no other exists.
/// Its parts are borrowed, never moved out, so they live exactly as long
/// as the token.
#[derive(Debug)]
#[non_exhaustive]
pub struct Calculator {
    /// The screen: VRAM and its draw targets.
    pub display: Display,
}

impl Calculator {
    /// The calculator, or `None` while another [`Calculator`] exists
    /// (dropping it makes the next `take` succeed).
    pub fn take() -> Option<Calculator> {
        // One thread and no interrupt handlers in Rust: a plain load then
        // store cannot race (the CPU has no compare-and-swap).
        if TAKEN.load(Ordering::Acquire) {
            return None;
        }
        TAKEN.store(true, Ordering::Release);
        // SAFETY: TAKEN was false, so no other token exists; it is true now
        // until this one is dropped.
        Some(unsafe { Calculator::steal() })
    }

    /// The calculator, whether or not another token exists.
    ///
    /// # Safety
    /// No other [`Calculator`] (or [`Display`]) may be used while this one
    /// lives, or VRAM could be borrowed mutably twice.
    pub unsafe fn steal() -> Calculator {
        TAKEN.store(true, Ordering::Release);
        Calculator {
            // SAFETY: the caller guarantees this token is the only one in use.
            display: unsafe { Display::new_unchecked() },
        }
    }
}

impl Drop for Calculator {
    fn drop(&mut self) {
        TAKEN.store(false, Ordering::Release);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    prizm_test! {
        fn only_one_calculator_at_a_time() {
            let first = Calculator::take();
            // The on-target harness may hold none; either way a second
            // take fails while `first` lives and succeeds after.
            if let Some(first) = first {
                assert!(Calculator::take().is_none());
                drop(first);
                let again = Calculator::take();
                assert!(again.is_some());
            }
        }
    }
}
