//! On-target tests of main memory (`prizm::mcs`), run in the emulator by
//! `cargo test --release -p prizm --test device_mcs`.
#![no_std]
#![no_main]
#![feature(custom_test_frameworks)]
#![test_runner(prizm::testing::run_tests)]
#![reexport_test_harness_main = "test_main"]

use prizm::mcs::{self, McsError, Name};

prizm::entry!(run);

fn run(_calculator: prizm::Calculator) {
    test_main();
}

fn name(text: &str) -> Name {
    Name::new(text).expect("a valid test name")
}

#[test_case]
fn store_get_and_replace() {
    let (folder, item) = (name("@DEVTEST"), name("Settings"));
    mcs::store(&folder, &item, &[1, 2, 3, 4, 5]).unwrap();
    assert!(mcs::exists(&folder, &item));
    assert_eq!(mcs::len(&folder, &item).unwrap(), 5);
    let mut buffer = [0u8; 16];
    assert_eq!(mcs::get(&folder, &item, &mut buffer).unwrap(), 5);
    assert_eq!(&buffer[..5], &[1, 2, 3, 4, 5]);
    // store replaces, with a different length.
    mcs::store(&folder, &item, b"longer than before").unwrap();
    let length = mcs::get(&folder, &item, &mut buffer).unwrap_err();
    assert_eq!(length, McsError::BufferTooSmall { needed: 18 });
    let mut big = [0u8; 32];
    assert_eq!(mcs::get(&folder, &item, &mut big).unwrap(), 18);
    assert_eq!(&big[..18], b"longer than before");
    mcs::delete(&folder, &item).unwrap();
}

#[test_case]
fn put_refuses_to_replace_and_overwrite_patches() {
    let (folder, item) = (name("@DEVTEST"), name("Record"));
    mcs::create_folder(&folder).unwrap();
    if mcs::exists(&folder, &item) {
        mcs::delete(&folder, &item).unwrap();
    }
    mcs::put(&folder, &item, &[0u8; 12]).unwrap();
    assert_eq!(mcs::put(&folder, &item, &[1]), Err(McsError::AlreadyExists));
    mcs::overwrite(&folder, &item, &[0xAA, 0xBB], 10).unwrap();
    mcs::overwrite(&folder, &item, &[7], 0).unwrap();
    let mut buffer = [0u8; 12];
    mcs::get(&folder, &item, &mut buffer).unwrap();
    assert_eq!(buffer, [7, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xAA, 0xBB]);
    // Past the end is refused and changes nothing.
    assert_eq!(
        mcs::overwrite(&folder, &item, &[1, 2, 3], 10),
        Err(McsError::TooLarge)
    );
    mcs::get(&folder, &item, &mut buffer).unwrap();
    assert_eq!(&buffer[10..], &[0xAA, 0xBB]);
    mcs::delete(&folder, &item).unwrap();
}

#[test_case]
fn missing_items_and_folders() {
    let (folder, item) = (name("@DEVTEST"), name("Nothing"));
    mcs::create_folder(&folder).unwrap();
    assert!(!mcs::exists(&folder, &item));
    let mut buffer = [0u8; 4];
    assert_eq!(
        mcs::get(&folder, &item, &mut buffer),
        Err(McsError::NotFound)
    );
    assert_eq!(mcs::delete(&folder, &item), Err(McsError::NotFound));
    assert_eq!(
        mcs::overwrite(&folder, &item, &[1], 0),
        Err(McsError::NotFound)
    );
    let nowhere = name("@NOWHERE");
    assert_eq!(
        mcs::get(&nowhere, &item, &mut buffer),
        Err(McsError::NotFound)
    );
    // Creating a folder twice is fine; it reports that it existed.
    assert!(!mcs::create_folder(&folder).unwrap());
    let fresh = name("@DEVNEW");
    assert!(mcs::create_folder(&fresh).unwrap());
    mcs::delete_folder(&fresh).unwrap();
}

#[test_case]
fn names_are_checked_before_the_os() {
    assert_eq!(Name::new(""), Err(McsError::InvalidName));
    assert_eq!(Name::new("NINECHARS"), Err(McsError::InvalidName));
    assert_eq!(Name::new("bad\nname"), Err(McsError::InvalidName));
    assert_eq!(name("12345678").as_str(), "12345678");
}

#[test_case]
fn empty_items_and_state() {
    let (folder, item) = (name("@DEVTEST"), name("Empty"));
    mcs::store(&folder, &item, &[]).unwrap();
    assert_eq!(mcs::len(&folder, &item).unwrap(), 0);
    assert_eq!(mcs::get(&folder, &item, &mut []).unwrap(), 0);
    let before = mcs::state().unwrap();
    assert!(before.capacity > 0);
    assert_eq!(before.used + before.free, before.capacity);
    let big = name("Big");
    let data = [0x5Au8; 4000];
    mcs::store(&folder, &big, &data).unwrap();
    let after = mcs::state().unwrap();
    assert!(after.used >= before.used + 4000, "{before:?} -> {after:?}");
    let mut back = [0u8; 4000];
    assert_eq!(mcs::get(&folder, &big, &mut back).unwrap(), 4000);
    assert!(back.iter().all(|&b| b == 0x5A));
    mcs::delete(&folder, &big).unwrap();
    mcs::delete(&folder, &item).unwrap();
}
