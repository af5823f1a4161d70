//! Home: placeholder menu of the modules until the home screen is built.

use prizm::ui::Menu;
use prizm::Calculator;

use crate::module::{self, Module};

const MODULES: [(&str, Module); 9] = [
    ("Clock", Module::Clock),
    ("Chronometers", Module::Chrono),
    ("Calendar", Module::Calendar),
    ("Tasks", Module::Tasks),
    ("Files", Module::Files),
    ("System", Module::System),
    ("Tools", Module::Tools),
    ("Lock", Module::Lock),
    ("Settings", Module::Settings),
];

/// The add-in's entry: home until EXIT.
pub fn main(mut calculator: Calculator) {
    let names = MODULES.map(|(name, _)| name);
    loop {
        let Some(choice) = Menu::new("Utilities", &names).run(&mut calculator.display) else {
            return;
        };
        module::open(MODULES[choice].1, &mut calculator);
    }
}
