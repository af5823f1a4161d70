//! The command implementations behind `main`'s argument parsing.

pub mod files;
pub mod inspect;
pub mod pack;

/// Writes a line to standard output; a closed pipe (`g3a info x | head`)
/// ends the output quietly instead of panicking like `println!`.
macro_rules! out {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stdout().lock(), $($arg)*);
    }};
}
pub(crate) use out;

/// Writes a warning line to standard error.
macro_rules! warning {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stderr().lock(), "warning: {}", format_args!($($arg)*));
    }};
}
pub(crate) use warning;
