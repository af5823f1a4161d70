//! Storage memory through `prizm::fs`, as the file manager's [`Tree`].

use alloc::vec::Vec;

use prizm::fs::{self, File, OpenMode, Path, Replacement};

use super::tree::{Entry, FsError, Tree};

/// Bytes copied at a time.
const COPY_CHUNK: usize = 4096;

/// The calculator's storage memory.
pub struct Storage;

fn path(text: &str) -> Result<Path, FsError> {
    Path::new(text)
}

impl Tree for Storage {
    fn list(&mut self, dir: &str) -> Result<Vec<Entry>, FsError> {
        list_once(dir)
    }

    fn read_at(&mut self, file: &str, offset: usize, buffer: &mut [u8]) -> Result<usize, FsError> {
        let mut file = File::open(&path(file)?, OpenMode::Read)?;
        let mut filled = 0;
        while filled < buffer.len() {
            let read = file.read_at(&mut buffer[filled..], offset + filled)?;
            if read == 0 {
                break;
            }
            filled += read;
        }
        Ok(filled)
    }

    fn make_dir(&mut self, dir: &str) -> Result<(), FsError> {
        fs::create_dir(&path(dir)?)
    }

    fn copy_file(&mut self, from: &str, to: &str) -> Result<(), FsError> {
        let mut source = File::open(&path(from)?, OpenMode::Read)?;
        let size = source.size()?;
        super::journal::begin(to);
        let mut replacement = Replacement::begin(&path(to)?, size)?;
        let mut buffer = alloc::vec![0u8; COPY_CHUNK.min(size.max(1))];
        let mut done = 0;
        while done < size {
            let read = source.read_at(&mut buffer, done)?;
            if read == 0 {
                // The file is shorter than it said: keep the old target.
                return Err(FsError::EndOfFile);
            }
            replacement.write(&buffer[..read])?;
            done += read;
        }
        drop(source);
        replacement.commit()?;
        super::journal::end();
        Ok(())
    }

    fn delete(&mut self, entry: &str) -> Result<(), FsError> {
        fs::delete(&path(entry)?)
    }

    fn rename(&mut self, from: &str, to: &str) -> Result<(), FsError> {
        fs::rename(&path(from)?, &path(to)?)
    }
}

fn list_once(dir: &str) -> Result<Vec<Entry>, FsError> {
    let mut entries = Vec::new();
    for entry in fs::read_dir(&path(dir)?)? {
        let entry = entry?;
        entries.push(Entry {
            name: entry.name().into(),
            is_dir: entry.is_dir(),
            size: entry.size(),
        });
    }
    Ok(entries)
}

/// An open file as the text pager's source.
pub struct FileSource {
    file: File,
    size: usize,
}

impl FileSource {
    /// Opens `file` for reading.
    pub fn open(file: &str) -> Result<FileSource, FsError> {
        // Finish a save a power cut interrupted before reading.
        super::journal::recover_pending();
        let file = File::open(&path(file)?, OpenMode::Read)?;
        let size = file.size()?;
        Ok(FileSource { file, size })
    }
}

impl crate::text::pager::Source for FileSource {
    fn len(&self) -> usize {
        self.size
    }

    fn read_at(&mut self, offset: usize, buffer: &mut [u8]) -> Result<usize, FsError> {
        if offset >= self.size {
            return Ok(0);
        }
        let mut filled = 0;
        while filled < buffer.len() && offset + filled < self.size {
            let read = self.file.read_at(&mut buffer[filled..], offset + filled)?;
            if read == 0 {
                break;
            }
            filled += read;
        }
        Ok(filled)
    }
}
