//! On-target tests of files in storage memory (`prizm::fs`), run in the
//! emulator by `cargo test --release -p prizm --test device_fs` (the
//! emulator serves a fresh temporary folder as `\\fls0\`).
#![no_std]
#![no_main]
#![feature(custom_test_frameworks)]
#![test_runner(prizm::testing::run_tests)]
#![reexport_test_harness_main = "test_main"]

use prizm::fs::{self, File, FsError, OpenMode, Path, MAX_NAME, MAX_OPEN, MAX_PATH};

prizm::entry!(run);

fn run(_calculator: prizm::Calculator) {
    test_main();
}

fn path(text: &str) -> Path {
    Path::new(text).expect("a valid test path")
}

/// Deletes `path` if it is there, so each test starts clean.
fn remove(path: &Path) {
    match fs::delete(path) {
        Ok(()) | Err(FsError::NotFound) => {}
        Err(error) => panic!("cannot clean up {path}: {error}"),
    }
}

#[test_case]
fn write_then_read_back() {
    let file = path("\\\\fls0\\dev-rw.txt");
    remove(&file);
    fs::write(&file, b"Hello, storage memory!").unwrap();
    let mut buffer = [0u8; 64];
    let length = fs::read(&file, &mut buffer).unwrap();
    assert_eq!(&buffer[..length], b"Hello, storage memory!");
    // Replacing a file with shorter contents leaves no old tail behind.
    fs::write(&file, b"Short").unwrap();
    let length = fs::read(&file, &mut buffer).unwrap();
    assert_eq!(&buffer[..length], b"Short");
    assert!(fs::exists(&file).unwrap());
    fs::delete(&file).unwrap();
    assert!(!fs::exists(&file).unwrap());
    assert_eq!(fs::open_handles(), 0, "every handle was closed");
}

#[test_case]
fn seek_tell_and_read_at() {
    let file = path("\\\\fls0\\dev-seek.bin");
    remove(&file);
    let data: [u8; 200] = core::array::from_fn(|i| i as u8);
    {
        let mut handle = File::create(&file, data.len()).unwrap();
        handle.write(&data).unwrap();
        assert_eq!(handle.size().unwrap(), 200);
        assert_eq!(handle.tell().unwrap(), 200);
        handle.seek(50).unwrap();
        assert_eq!(handle.tell().unwrap(), 50);
        let mut four = [0u8; 4];
        assert_eq!(handle.read(&mut four).unwrap(), 4);
        assert_eq!(four, [50, 51, 52, 53]);
        assert_eq!(handle.read_at(&mut four, 196).unwrap(), 4);
        assert_eq!(four, [196, 197, 198, 199]);
        // At the end a read returns nothing rather than an error.
        assert_eq!(handle.read(&mut four).unwrap(), 0);
        assert_eq!(handle.seek(10_000), Err(FsError::InvalidSeek));
        assert_eq!(fs::open_handles(), 1);
    }
    assert_eq!(fs::open_handles(), 0, "the handle closed on drop");
    // Reading through a short buffer, then the rest with read_full.
    let mut handle = File::open(&file, OpenMode::Read).unwrap();
    let mut all = [0u8; 256];
    assert_eq!(handle.read_full(&mut all).unwrap(), 200);
    assert_eq!(&all[..200], &data[..]);
    // A read-only handle refuses writes.
    assert_eq!(handle.write(b"x"), Err(FsError::AccessDenied));
    handle.close().unwrap();
    fs::delete(&file).unwrap();
}

#[test_case]
fn folders_listing_and_rename() {
    let folder = path("\\\\fls0\\DevDir");
    let (a, b) = (folder.join("a.txt").unwrap(), folder.join("b.dat").unwrap());
    for entry in [&a, &b, &folder.join("c.txt").unwrap(), &folder] {
        remove(entry);
    }
    fs::create_dir(&folder).unwrap();
    assert_eq!(fs::create_dir(&folder), Err(FsError::AlreadyExists));
    fs::write(&a, b"aaa").unwrap();
    fs::write(&b, b"bbbbbb").unwrap();

    let mut names: heapless::Vec<(heapless::String<16>, u32, bool), 8> = heapless::Vec::new();
    for entry in fs::read_dir(&folder).unwrap() {
        let entry = entry.unwrap();
        let name = heapless::String::try_from(entry.name()).unwrap();
        names.push((name, entry.size(), entry.is_dir())).unwrap();
    }
    assert_eq!(names.len(), 2, "no . or .. entries: {names:?}");
    assert_eq!(
        (names[0].0.as_str(), names[0].1, names[0].2),
        ("a.txt", 3, false)
    );
    assert_eq!((names[1].0.as_str(), names[1].1), ("b.dat", 6));
    let root_has_folder = fs::read_dir(&Path::root()).unwrap().any(|entry| {
        entry
            .map(|e| e.name() == "DevDir" && e.is_dir())
            .unwrap_or(false)
    });
    assert!(root_has_folder);

    // Wildcards.
    let matching = fs::read_dir_matching(&folder, "*.txt").unwrap().count();
    assert_eq!(matching, 1);
    assert_eq!(fs::read_dir_matching(&folder, "*.none").unwrap().count(), 0);

    // Rename refuses an existing target, then moves.
    assert_eq!(fs::rename(&a, &b), Err(FsError::AlreadyExists));
    let c = folder.join("c.txt").unwrap();
    fs::rename(&a, &c).unwrap();
    assert!(!fs::exists(&a).unwrap());
    let mut buffer = [0u8; 8];
    assert_eq!(fs::read(&c, &mut buffer).unwrap(), 3);

    // A folder with files cannot be deleted; empty, it can.
    assert_eq!(fs::delete(&folder), Err(FsError::NotEmpty));
    fs::delete(&b).unwrap();
    fs::delete(&c).unwrap();
    fs::delete(&folder).unwrap();
    assert_eq!(fs::open_handles(), 0);
}

#[test_case]
fn a_file_that_vanishes() {
    // A file listed a moment ago is deleted before it is opened (another
    // part of the add-in, or a file manager, got there first).
    let folder = path("\\\\fls0\\Vanish");
    let file = folder.join("gone.txt").unwrap();
    remove(&file);
    remove(&folder);
    fs::create_dir(&folder).unwrap();
    fs::write(&file, b"soon gone").unwrap();
    let mut listing = fs::read_dir(&folder).unwrap();
    let listed = listing.next().unwrap().unwrap();
    assert_eq!(listed.name(), "gone.txt");
    // While it is open it cannot be deleted or renamed...
    let open = File::open(&file, OpenMode::Read).unwrap();
    assert_eq!(fs::delete(&file), Err(FsError::InUse));
    assert_eq!(
        fs::rename(&file, &folder.join("moved.txt").unwrap()),
        Err(FsError::InUse)
    );
    drop(open);
    // ...once closed it can, and then it is gone for every call.
    fs::delete(&file).unwrap();
    let again = folder.join(listed.name()).unwrap();
    assert_eq!(
        File::open(&again, OpenMode::Read).err(),
        Some(FsError::NotFound)
    );
    let mut buffer = [0u8; 4];
    assert_eq!(fs::read(&again, &mut buffer), Err(FsError::NotFound));
    assert_eq!(fs::delete(&again), Err(FsError::NotFound));
    assert!(!fs::exists(&again).unwrap());
    assert!(listing.next().is_none());
    drop(listing);
    assert_eq!(fs::read_dir(&folder).unwrap().count(), 0);
    fs::delete(&folder).unwrap();
    assert_eq!(fs::open_handles(), 0);
}

#[test_case]
fn a_full_name_and_one_too_long() {
    // A folder with a 200-character name holding a file whose name fills
    // the path to MAX_PATH characters, and a file with the longest name.
    let folder_name = letters::<200>(200);
    let folder = Path::in_root(&folder_name).unwrap();
    let file_name = letters::<MAX_PATH>(MAX_PATH - folder.as_str().len() - 1);
    let full = folder.join(&file_name).unwrap();
    assert_eq!(full.as_str().len(), MAX_PATH);
    remove(&full);
    remove(&folder);
    fs::create_dir(&folder).unwrap();
    fs::write(&full, b"full path").unwrap();
    let mut buffer = [0u8; 16];
    assert_eq!(fs::read(&full, &mut buffer).unwrap(), 9);
    // The listings give the whole names back.
    let listed = fs::read_dir(&folder).unwrap().next().unwrap().unwrap();
    assert_eq!(listed.name(), file_name.as_str());
    let found = fs::read_dir_matching(&Path::root(), "abc*")
        .unwrap()
        .filter_map(Result::ok)
        .any(|entry| entry.name() == folder_name.as_str() && entry.is_dir());
    assert!(found, "the long folder name is listed in full");
    fs::delete(&full).unwrap();
    fs::delete(&folder).unwrap();

    let longest = Path::in_root(&letters::<MAX_NAME>(MAX_NAME)).unwrap();
    remove(&longest);
    fs::write(&longest, b"longest name").unwrap();
    assert_eq!(fs::read(&longest, &mut buffer).unwrap(), 12);
    fs::delete(&longest).unwrap();

    // One more character is refused before the OS sees it.
    assert_eq!(
        folder.join(&letters::<MAX_PATH>(file_name.len() + 1)).err(),
        Some(FsError::PathTooLong)
    );
    assert_eq!(
        Path::in_root(&letters::<MAX_PATH>(MAX_NAME + 1)).err(),
        Some(FsError::PathTooLong)
    );
}

/// `length` letters abc…zabc…
fn letters<const N: usize>(length: usize) -> heapless::String<N> {
    (0..length)
        .map(|i| char::from(b'a' + (i % 26) as u8))
        .collect()
}

#[test_case]
fn bad_paths_get_typed_errors() {
    assert_eq!(Path::new("C:\\file.txt").err(), Some(FsError::InvalidPath));
    assert_eq!(
        Path::new("\\\\fls0\\a\\\\b").err(),
        Some(FsError::InvalidName)
    );
    assert_eq!(
        Path::new("\\\\fls0\\bad*name").err(),
        Some(FsError::InvalidName)
    );
    assert_eq!(
        Path::new("\\\\fls0\\..\\up").err(),
        Some(FsError::InvalidName)
    );
    // A well-formed path into a folder that does not exist.
    let orphan = path("\\\\fls0\\NoSuchDir\\file.txt");
    assert_eq!(fs::create_file(&orphan, 10), Err(FsError::InvalidPath));
    assert_eq!(
        File::open(&orphan, OpenMode::Read).err(),
        Some(FsError::NotFound)
    );
    assert!(fs::read_dir(&path("\\\\fls0\\NoSuchDir")).is_err());
    // A folder is not a file.
    let folder = path("\\\\fls0\\NotAFile");
    remove(&folder);
    fs::create_dir(&folder).unwrap();
    assert!(File::open(&folder, OpenMode::Read).is_err());
    fs::delete(&folder).unwrap();
    assert_eq!(fs::open_handles(), 0, "failed opens give their slots back");
    // Messages are there for the user.
    assert_eq!(FsError::InvalidPath.message(), "Invalid path");
}

#[test_case]
fn sixteen_handles_at_most() {
    let file = path("\\\\fls0\\dev-many.txt");
    remove(&file);
    fs::write(&file, b"shared").unwrap();
    let mut open: heapless::Vec<File, 16> = heapless::Vec::new();
    for _ in 0..MAX_OPEN {
        open.push(File::open(&file, OpenMode::ReadShare).unwrap())
            .unwrap();
    }
    assert_eq!(
        File::open(&file, OpenMode::ReadShare).err(),
        Some(FsError::TooManyOpen)
    );
    assert_eq!(
        fs::read_dir(&Path::root()).err(),
        Some(FsError::TooManyOpen)
    );
    open.pop();
    let mut last = File::open(&file, OpenMode::ReadShare).unwrap();
    let mut buffer = [0u8; 8];
    assert_eq!(last.read(&mut buffer).unwrap(), 6);
    drop(last);
    open.clear();
    assert_eq!(fs::open_handles(), 0);
    fs::delete(&file).unwrap();
}

#[test_case]
fn free_space_shrinks_as_files_grow() {
    let before = fs::free_space().unwrap();
    assert!(before > 1_000_000, "{before} bytes free");
    let file = path("\\\\fls0\\dev-big.bin");
    remove(&file);
    fs::create_file(&file, 100_000).unwrap();
    let after = fs::free_space().unwrap();
    assert!(before - after >= 100_000, "{before} -> {after}");
    fs::delete(&file).unwrap();
}

#[test_case]
fn atomic_write_replaces_and_cleans_up() {
    let file = path("\\\\fls0\\dev-atomic.txt");
    remove(&file);
    fs::write_atomic(&file, b"first version").unwrap();
    fs::write_atomic(&file, b"second").unwrap();
    let mut buffer = [0u8; 64];
    let length = fs::read(&file, &mut buffer).unwrap();
    assert_eq!(&buffer[..length], b"second");
    assert!(!fs::exists(&path("\\\\fls0\\dev-atomic.txt.part")).unwrap());
    assert!(!fs::exists(&path("\\\\fls0\\dev-atomic.txt.new")).unwrap());
    fs::delete(&file).unwrap();
    assert_eq!(fs::open_handles(), 0);
}

#[test_case]
fn atomic_replacement_dropped_or_short_keeps_the_old_file() {
    let file = path("\\\\fls0\\dev-atomic2.txt");
    remove(&file);
    fs::write_atomic(&file, b"old").unwrap();
    {
        let mut replacement = fs::Replacement::begin(&file, 10).unwrap();
        replacement.write(b"new").unwrap();
        assert_eq!(replacement.write(b"too long!!"), Err(FsError::InvalidParameter));
    }
    let short = {
        let mut replacement = fs::Replacement::begin(&file, 10).unwrap();
        replacement.write(b"12345").unwrap();
        replacement.commit()
    };
    assert_eq!(short, Err(FsError::InvalidParameter));
    let mut buffer = [0u8; 16];
    let length = fs::read(&file, &mut buffer).unwrap();
    assert_eq!(&buffer[..length], b"old");
    assert!(!fs::exists(&path("\\\\fls0\\dev-atomic2.txt.part")).unwrap());
    fs::delete(&file).unwrap();
}

#[test_case]
fn recover_finishes_or_undoes_an_interrupted_replacement() {
    let file = path("\\\\fls0\\dev-recover.txt");
    let part = path("\\\\fls0\\dev-recover.txt.part");
    let new = path("\\\\fls0\\dev-recover.txt.new");
    for leftover in [&file, &part, &new] {
        remove(leftover);
    }
    let mut buffer = [0u8; 16];
    // Cut while writing: the partial side file goes, the old file stays.
    fs::write(&file, b"old").unwrap();
    fs::write(&part, b"ne").unwrap();
    assert!(fs::recover(&file).unwrap());
    assert!(!fs::exists(&part).unwrap());
    let length = fs::read(&file, &mut buffer).unwrap();
    assert_eq!(&buffer[..length], b"old");
    // Cut after the old file was deleted: the complete `.new` wins.
    fs::delete(&file).unwrap();
    fs::write(&new, b"new").unwrap();
    assert!(fs::recover(&file).unwrap());
    assert!(!fs::exists(&new).unwrap());
    let length = fs::read(&file, &mut buffer).unwrap();
    assert_eq!(&buffer[..length], b"new");
    // Cut before the old file was deleted: `.new` still wins.
    fs::write(&new, b"newer").unwrap();
    assert!(fs::recover(&file).unwrap());
    let length = fs::read(&file, &mut buffer).unwrap();
    assert_eq!(&buffer[..length], b"newer");
    // Nothing to do.
    assert!(!fs::recover(&file).unwrap());
    fs::delete(&file).unwrap();
}
