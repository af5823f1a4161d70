//! Replacing a file so that a power cut at any step leaves either the old
//! contents or the new, never a half-written file.
//!
//! The OS can neither truncate a file nor rename over an existing one, so a
//! replacement goes through two side names in the same folder:
//!
//! 1. `NAME.part` is created and written (a cut here leaves `.part`, which
//!    [`recover`] deletes: the old file is untouched);
//! 2. closed and renamed to `NAME.new` (from here the new contents are
//!    complete and win);
//! 3. the old `NAME` is deleted and `NAME.new` renamed to `NAME` (a cut
//!    between the two leaves only `.new`, which [`recover`] finishes).
//!
//! Call [`recover`] for a file before reading it after a start-up.

use super::{delete, rename, File, FsError, Path};

const PART: &str = ".part";
const NEW: &str = ".new";

/// `path` with `suffix` appended to its last component.
fn side_name(path: &Path, suffix: &str) -> Result<Path, FsError> {
    let mut text: heapless::String<{ super::MAX_PATH }> = heapless::String::new();
    text.push_str(path.as_str())
        .and_then(|()| text.push_str(suffix))
        .map_err(|()| FsError::PathTooLong)?;
    Path::new(&text)
}

fn delete_if_present(path: &Path) -> Result<(), FsError> {
    match delete(path) {
        Ok(()) | Err(FsError::NotFound) => Ok(()),
        Err(error) => Err(error),
    }
}

/// Finishes or undoes a replacement of `path` that a power cut interrupted:
/// a complete `.new` replaces `path`, a partial `.part` is deleted. Returns
/// true if something was repaired.
pub fn recover(path: &Path) -> Result<bool, FsError> {
    let part = side_name(path, PART)?;
    let new = side_name(path, NEW)?;
    let mut repaired = false;
    match delete(&part) {
        Ok(()) => repaired = true,
        Err(FsError::NotFound) => {}
        Err(error) => return Err(error),
    }
    if super::exists(&new)? {
        delete_if_present(path)?;
        rename(&new, path)?;
        repaired = true;
    }
    Ok(repaired)
}

/// A replacement of one file in progress: write exactly the announced
/// size, then [`commit`](Replacement::commit). Dropped without a commit, the
/// partial side file is deleted and the old file stays.
#[derive(Debug)]
pub struct Replacement {
    file: Option<File>,
    target: Path,
    part: Path,
    written: usize,
    size: usize,
}

impl Replacement {
    /// Starts replacing `path` with `size` bytes (the OS fixes a file's size
    /// when it is created). Any leftover of an earlier interrupted
    /// replacement is recovered first.
    pub fn begin(path: &Path, size: usize) -> Result<Replacement, FsError> {
        recover(path)?;
        let part = side_name(path, PART)?;
        let file = File::create(&part, size)?;
        Ok(Replacement {
            file: Some(file),
            target: path.clone(),
            part,
            written: 0,
            size,
        })
    }

    /// Appends `data`; fails with [`FsError::InvalidParameter`] past the
    /// announced size.
    pub fn write(&mut self, data: &[u8]) -> Result<(), FsError> {
        if self.written + data.len() > self.size {
            return Err(FsError::InvalidParameter);
        }
        let file = self.file.as_mut().ok_or(FsError::InvalidParameter)?;
        file.write(data)?;
        self.written += data.len();
        Ok(())
    }

    /// Bytes written so far.
    pub fn written(&self) -> usize {
        self.written
    }

    /// Makes the new contents the file's. Fails with
    /// [`FsError::InvalidParameter`] (keeping the old file) if fewer bytes
    /// than announced were written.
    pub fn commit(mut self) -> Result<(), FsError> {
        if self.written != self.size {
            return Err(FsError::InvalidParameter);
        }
        if let Some(file) = self.file.take() {
            file.close()?;
        }
        let new = side_name(&self.target, NEW)?;
        delete_if_present(&new)?;
        rename(&self.part, &new)?;
        // From here `.new` is complete: finishing is what `recover` does.
        delete_if_present(&self.target)?;
        rename(&new, &self.target)
    }
}

impl Drop for Replacement {
    fn drop(&mut self) {
        if let Some(file) = self.file.take() {
            drop(file);
            // Abandoned: the old file stays; errors here cannot be reported.
            let _ = delete(&self.part);
        }
    }
}

/// Replaces the file at `path` with `data` through [`Replacement`].
pub fn write_atomic(path: &Path, data: &[u8]) -> Result<(), FsError> {
    let mut replacement = Replacement::begin(path, data.len())?;
    replacement.write(data)?;
    replacement.commit()
}
