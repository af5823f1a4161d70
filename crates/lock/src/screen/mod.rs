//! CGlock's screens (feature `prizm`): the lock's state machine
//! ([`app`]), its drawing ([`view`]), its time formats ([`clock`]) and the
//! calculator side ([`device`], main memory in [`store`]). CGlock runs
//! them as its whole add-in ([`device::run_cglock`]); another add-in
//! locks the calculator with the same record, secret and waits through
//! [`device::lock_now`].

pub mod app;
pub mod clock;
pub mod device;
pub mod store;
pub mod view;

pub use device::{lock_now, run_cglock, settings_now};
