//! Placeholder until this module is built (see the module map in main.rs).

use prizm::Calculator;

/// Shows that the screen is not built yet.
pub fn run(calculator: &mut Calculator) {
    prizm::ui::message_box(&mut calculator.display, "Utilities", "Not built yet.");
}
