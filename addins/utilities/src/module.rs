//! The screens home can open, and the one place that opens them.

use prizm::Calculator;

/// A screen of Utilities reachable from home (and from other screens).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Module {
    /// Setting the time, date and their formats.
    Clock,
    /// The 20 chronometers.
    Chrono,
    /// Month and week views, events.
    Calendar,
    /// The task list.
    Tasks,
    /// Storage memory browser.
    Files,
    /// Memory, system and power information and settings.
    System,
    /// Password generator, authenticator, lantern.
    Tools,
    /// Locks the calculator with the CGlock lock.
    Lock,
    /// Settings of every part.
    Settings,
}

/// Runs `module`'s screen until the user leaves it.
pub fn open(module: Module, calculator: &mut Calculator) {
    match module {
        Module::Clock => crate::clock::run(calculator),
        Module::Chrono => crate::chrono::run(calculator),
        Module::Calendar => crate::calendar::run(calculator),
        Module::Tasks => crate::tasks::run(calculator),
        Module::Files => crate::files::run(calculator),
        Module::System => crate::system::run(calculator),
        Module::Tools => crate::tools::run(calculator),
        Module::Lock => crate::lock::run(calculator),
        Module::Settings => crate::settings::run(calculator),
    }
}
