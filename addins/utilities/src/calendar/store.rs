//! The event files in storage memory (`\\fls0\@UTILS\*.pce`): reading,
//! saving through `prizm::fs::write_atomic` (a power cut at any step
//! leaves the old file or the new one), and the in-memory index the views
//! use.

use alloc::string::String;
use alloc::vec::Vec;

use prizm::fs::{self, FsError, OpenMode, Path};
use prizm::time::Date;

use super::grid::Summary;
use super::pce::{self, Event, Parsed, Problem, RawDate, RawTime};

/// Folder of the event files (the original's).
pub const FOLDER: &str = "\\\\fls0\\@UTILS";

/// Why a save did not happen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SaveError {
    /// A day holds at most 100 events.
    TooManyEvents,
    /// A file may hold at most 50 000 bytes.
    FileTooLarge,
    /// The file system refused.
    Fs(FsError),
}

impl SaveError {
    /// A message for the user.
    pub fn message(&self) -> String {
        match self {
            SaveError::TooManyEvents => String::from("A day holds at most 100 events."),
            SaveError::FileTooLarge => String::from("The day's file would pass 50000 bytes."),
            SaveError::Fs(error) => alloc::format!("Storage error: {error:?}"),
        }
    }
}

impl From<FsError> for SaveError {
    fn from(error: FsError) -> SaveError {
        SaveError::Fs(error)
    }
}

fn folder() -> Result<Path, FsError> {
    Path::new(FOLDER)
}

/// The path of the file for `date`.
pub fn path_of(date: RawDate) -> Result<Path, FsError> {
    folder()?.join(&pce::file_name(date))
}

/// Creates the folder if it is missing.
pub fn ensure_folder() -> Result<(), FsError> {
    match fs::create_dir(&folder()?) {
        Ok(()) | Err(FsError::AlreadyExists) => Ok(()),
        Err(error) => {
            if fs::is_dir(&folder()?)? {
                Ok(())
            } else {
                Err(error)
            }
        }
    }
}

/// Most bytes of an event file that are read (the original reads none
/// past 50 000; a damaged file may claim any size, and memory must not
/// run out over it).
pub const MAX_READ: usize = 64 * 1024;

/// A file's size; `None` if it does not exist.
pub fn file_size(path: &Path) -> Result<Option<usize>, FsError> {
    match fs::File::open(path, OpenMode::Read) {
        Ok(file) => Ok(Some(file.size()?)),
        Err(FsError::NotFound) => Ok(None),
        Err(error) => Err(error),
    }
}

/// At most the first `max` bytes of a file; `None` if it does not exist.
/// Memory that cannot be had is an error ([`FsError::DeviceFull`]), not
/// a crash.
pub fn read_up_to(path: &Path, max: usize) -> Result<Option<Vec<u8>>, FsError> {
    let mut file = match fs::File::open(path, OpenMode::Read) {
        Ok(file) => file,
        Err(FsError::NotFound) => return Ok(None),
        Err(error) => return Err(error),
    };
    let size = file.size()?.min(max);
    let mut bytes = Vec::new();
    bytes.try_reserve_exact(size).map_err(|_| FsError::DeviceFull)?;
    bytes.resize(size, 0);
    let read = file.read_full(&mut bytes)?;
    bytes.truncate(read);
    Ok(Some(bytes))
}

/// The first [`MAX_READ`] bytes of an event file.
pub fn read_bytes(path: &Path) -> Result<Option<Vec<u8>>, FsError> {
    read_up_to(path, MAX_READ)
}

/// The events of a day (or of the tasks file); empty if it has none.
pub fn read_day(date: RawDate) -> Result<Parsed, FsError> {
    Ok(read_bytes(&path_of(date)?)?.map_or_else(Parsed::default, |bytes| pce::parse(&bytes)))
}

/// Replaces a day's file with `events` (deletes it when empty).
pub fn write_day(date: RawDate, events: &[Event]) -> Result<(), SaveError> {
    let path = path_of(date)?;
    if events.is_empty() {
        fs::recover(&path)?;
        return match fs::delete(&path) {
            Ok(()) | Err(FsError::NotFound) => Ok(()),
            Err(error) => Err(error.into()),
        };
    }
    if events.len() > pce::MAX_DAY_EVENTS {
        return Err(SaveError::TooManyEvents);
    }
    let bytes = pce::write_file(events);
    if bytes.len() > pce::MAX_FILE_SIZE {
        return Err(SaveError::FileTooLarge);
    }
    ensure_folder()?;
    fs::write_atomic(&path, &bytes)?;
    Ok(())
}

/// Adds `event` to the file of its start date.
pub fn add_event(event: Event) -> Result<(), SaveError> {
    let date = event.start;
    let mut events = read_day(date)?.events;
    if events.len() >= pce::MAX_DAY_EVENTS {
        return Err(SaveError::TooManyEvents);
    }
    events.push(event);
    write_day(date, &events)
}

/// One entry of the folder: a `.pce` name and the date it stands for.
#[derive(Debug, Clone)]
pub struct FileEntry {
    /// File name.
    pub name: String,
    /// Its date (tasks and pending imports have year 0).
    pub date: RawDate,
}

/// Finishes interrupted saves, then lists the `.pce` files.
pub fn list_files() -> Result<Vec<FileEntry>, FsError> {
    let folder = folder()?;
    let mut names: Vec<String> = Vec::new();
    let listing = match fs::read_dir(&folder) {
        Ok(listing) => listing,
        Err(FsError::NotFound) => return Ok(Vec::new()),
        Err(error) => return Err(error),
    };
    for entry in listing {
        let entry = entry?;
        if !entry.is_dir() {
            names.push(String::from(entry.name()));
        }
    }
    // Side files of an interrupted replacement: finish or undo it.
    let mut repaired = false;
    for name in &names {
        let stem = name.strip_suffix(".new").or_else(|| name.strip_suffix(".part"));
        if let Some(stem) = stem.filter(|s| pce::date_of_file_name(s).is_some()) {
            fs::recover(&folder.join(stem)?)?;
            repaired = true;
        }
    }
    if repaired {
        return list_files();
    }
    let mut files: Vec<FileEntry> = names
        .into_iter()
        .filter_map(|name| pce::date_of_file_name(&name).map(|date| FileEntry { name, date }))
        .collect();
    files.sort_by_key(|entry| entry.date);
    Ok(files)
}

/// What the views keep of each event.
#[derive(Debug, Clone)]
pub struct Entry {
    /// The file (start date) it lives in.
    pub file: RawDate,
    /// Its position in that file.
    pub position: usize,
    /// Dates, colour, repetition.
    pub summary: Summary,
    /// Title for lists.
    pub title: Vec<u8>,
    /// Whether it has times.
    pub timed: bool,
    /// Start time.
    pub start_time: RawTime,
}

/// A damaged file found while indexing.
#[derive(Debug, Clone)]
pub struct Damage {
    /// The file.
    pub file: FileEntry,
    /// What is wrong.
    pub problems: Vec<Problem>,
}

/// Every dated event, and the damaged files.
#[derive(Debug, Default)]
pub struct Index {
    /// Events of all dated files.
    pub entries: Vec<Entry>,
    /// Files with problems.
    pub damaged: Vec<Damage>,
    /// Pending imports (`00001`–`00099.pce`).
    pub pending: Vec<FileEntry>,
}

impl Index {
    /// Reads every file once.
    pub fn build(mut progress: impl FnMut(usize, usize)) -> Result<Index, FsError> {
        let files = list_files()?;
        let mut index = Index::default();
        let total = files.len();
        for (number, file) in files.into_iter().enumerate() {
            progress(number, total);
            if pce::is_pending_import(file.date) {
                index.pending.push(file);
                continue;
            }
            if file.date == pce::TASKS {
                continue;
            }
            let path = folder()?.join(&file.name)?;
            let size = file_size(&path)?.unwrap_or(0);
            let bytes = read_bytes(&path)?.unwrap_or_default();
            let parsed = pce::parse(&bytes);
            let file_date = file.date.date();
            let mut problems = parsed.problems.clone();
            if size > bytes.len() && !problems.contains(&Problem::TooLarge(size)) {
                problems.insert(0, Problem::TooLarge(size));
            }
            index.add_file(file.date, &parsed.events);
            if file_date.is_none() || !problems.is_empty() {
                if file_date.is_none() {
                    problems.insert(0, Problem::BadDates { index: 0 });
                }
                index.damaged.push(Damage { file, problems });
            }
        }
        Ok(index)
    }

    /// Replaces what the index holds of one file.
    pub fn add_file(&mut self, file: RawDate, events: &[Event]) {
        self.entries.retain(|entry| entry.file != file);
        for (position, event) in events.iter().enumerate() {
            if let Some(summary) = Summary::of(event) {
                self.entries.push(Entry {
                    file,
                    position,
                    summary,
                    title: event.title.clone(),
                    timed: event.timed,
                    start_time: event.start_time,
                });
            }
        }
    }

    /// The summaries, for the month view.
    pub fn summaries(&self) -> Vec<Summary> {
        self.entries.iter().map(|entry| entry.summary.clone()).collect()
    }

    /// Entries covering `day`, sorted: all-day first, then by start time.
    pub fn on_day(&self, day: Date) -> Vec<&Entry> {
        let mut found: Vec<&Entry> = self.entries.iter().filter(|e| e.summary.covers(day)).collect();
        found.sort_by_key(|e| (e.timed, e.start_time, e.file, e.position));
        found
    }
}

/// The bytes of a damaged file are kept next to it as `<name>.bak` before
/// it is repaired, so nothing unreadable is thrown away.
pub fn repair(damage: &Damage) -> Result<(), SaveError> {
    let folder = folder()?;
    let path = folder.join(&damage.file.name)?;
    let mut backup_name = String::from(&damage.file.name);
    backup_name.push_str(".bak");
    let backup = folder.join(&backup_name)?;
    let bytes = read_bytes(&path)?.unwrap_or_default();
    if file_size(&path)?.unwrap_or(0) > bytes.len() {
        // Too large to copy: the file itself becomes the backup, and its
        // readable start is written back.
        match fs::delete(&backup) {
            Ok(()) | Err(FsError::NotFound) => {}
            Err(error) => return Err(error.into()),
        }
        fs::rename(&path, &backup)?;
    } else {
        fs::write_atomic(&backup, &bytes)?;
    }
    let parsed = pce::parse(&bytes);
    let file_date = damage.file.date.date();
    let mut events = parsed.events;
    for event in &mut events {
        pce::repair_event(event, file_date);
    }
    match file_date {
        // A name that is no date: its events go to their own start dates.
        None => {
            for event in events {
                if event.start.date().is_some() {
                    add_event(event)?;
                }
            }
            match fs::delete(&path) {
                Ok(()) | Err(FsError::NotFound) => Ok(()),
                Err(error) => Err(error.into()),
            }
        }
        Some(_) => {
            // More than a day holds: the rest stays readable in the .bak.
            events.truncate(pce::MAX_DAY_EVENTS);
            while pce::write_file(&events).len() > pce::MAX_FILE_SIZE {
                events.pop();
            }
            write_day(damage.file.date, &events)
        }
    }
}
