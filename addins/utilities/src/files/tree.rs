//! What the file manager's logic needs of storage memory, as a trait:
//! [`Tree`]. The calculator's is `device::Storage` over `prizm::fs`; the
//! host tests use [`memory::MemoryTree`].
//!
//! Paths are full OS paths, `\\fls0\folder\name`, joined with [`join`].

use alloc::string::String;
use alloc::vec::Vec;

pub use prizm::fs::FsError;

/// One entry of a folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// Name without the folder.
    pub name: String,
    /// A folder (files have a size instead).
    pub is_dir: bool,
    /// Bytes (0 for folders).
    pub size: u32,
}

/// Storage memory as the file manager uses it.
pub trait Tree {
    /// The entries of folder `dir`, in the OS's order.
    fn list(&mut self, dir: &str) -> Result<Vec<Entry>, FsError>;
    /// Reads up to `buffer.len()` bytes of file `path` from `offset`;
    /// returns how many (0 at the end).
    fn read_at(&mut self, path: &str, offset: usize, buffer: &mut [u8]) -> Result<usize, FsError>;
    /// Creates folder `path` (its parent exists).
    fn make_dir(&mut self, path: &str) -> Result<(), FsError>;
    /// Copies file `from` to `to`, replacing `to` if it exists, so that a
    /// power cut leaves `to` old or new, never half-written.
    fn copy_file(&mut self, from: &str, to: &str) -> Result<(), FsError>;
    /// Deletes a file or an empty folder.
    fn delete(&mut self, path: &str) -> Result<(), FsError>;
    /// Renames (the OS refuses an existing target).
    fn rename(&mut self, from: &str, to: &str) -> Result<(), FsError>;

    /// What is at `path`: `Some(true)` a folder, `Some(false)` a file,
    /// `None` nothing. Names compare without case, as the OS does.
    fn kind(&mut self, path: &str) -> Result<Option<bool>, FsError> {
        let (Some(parent), name) = split(path) else {
            return Ok(Some(true));
        };
        Ok(self
            .list(parent)?
            .into_iter()
            .find(|entry| entry.name.eq_ignore_ascii_case(name))
            .map(|entry| entry.is_dir))
    }
}

/// The storage root.
pub const ROOT: &str = "\\\\fls0";

/// `dir` + `\` + `name`.
pub fn join(dir: &str, name: &str) -> String {
    let mut path = String::with_capacity(dir.len() + 1 + name.len());
    path.push_str(dir.trim_end_matches('\\'));
    path.push('\\');
    path.push_str(name);
    path
}

/// The parent folder and the last name; the root has no parent.
pub fn split(path: &str) -> (Option<&str>, &str) {
    let path = path.trim_end_matches('\\');
    if path.len() <= ROOT.len() {
        return (None, path);
    }
    match path.rfind('\\') {
        Some(cut) if cut >= ROOT.len() => (Some(&path[..cut]), &path[cut + 1..]),
        _ => (None, path),
    }
}

/// The last name of `path`.
pub fn file_name(path: &str) -> &str {
    split(path).1
}

/// True if `inner` is `outer` or lies inside it (without case).
pub fn is_within(inner: &str, outer: &str) -> bool {
    let outer = outer.trim_end_matches('\\');
    let inner = inner.trim_end_matches('\\');
    inner.len() >= outer.len()
        && inner[..outer.len()].eq_ignore_ascii_case(outer)
        && (inner.len() == outer.len() || inner.as_bytes()[outer.len()] == b'\\')
}

/// Where a path is shown: without the `\\fls0` prefix, `\` for the root.
pub fn display(path: &str) -> &str {
    let rest = path.strip_prefix(ROOT).unwrap_or(path);
    if rest.is_empty() {
        "\\"
    } else {
        rest
    }
}

#[cfg(test)]
pub mod memory {
    //! Storage memory in a map, with a power cut after N writes.
    use super::*;
    use std::collections::BTreeMap;

    /// A file system in memory. Keys are lowercase paths; values keep
    /// the spelling and the contents (`None` for folders).
    #[derive(Default, Clone, PartialEq, Eq, Debug)]
    pub struct MemoryTree {
        pub nodes: BTreeMap<String, (String, Option<Vec<u8>>)>,
        /// Storage-changing calls left before the "power cut": the next
        /// one fails and changes nothing (None: no cut).
        pub writes_left: Option<usize>,
        pub writes: usize,
    }

    fn key(path: &str) -> String {
        path.trim_end_matches('\\').to_ascii_lowercase()
    }

    impl MemoryTree {
        pub fn new() -> MemoryTree {
            MemoryTree::default()
        }
        pub fn dir(&mut self, path: &str) -> &mut Self {
            self.nodes.insert(key(path), (path.into(), None));
            self
        }
        pub fn file(&mut self, path: &str, data: &[u8]) -> &mut Self {
            self.nodes.insert(key(path), (path.into(), Some(data.to_vec())));
            self
        }
        pub fn contents(&self, path: &str) -> Option<&[u8]> {
            self.nodes.get(&key(path)).and_then(|(_, data)| data.as_deref())
        }
        pub fn exists(&self, path: &str) -> bool {
            self.nodes.contains_key(&key(path))
        }
        fn write(&mut self) -> Result<(), FsError> {
            if let Some(left) = self.writes_left.as_mut() {
                if *left == 0 {
                    return Err(FsError::DeviceError);
                }
                *left -= 1;
            }
            self.writes += 1;
            Ok(())
        }
        fn parent_is_dir(&self, path: &str) -> bool {
            match split(path).0 {
                None => true,
                Some(parent) if key(parent) == key(ROOT) => true,
                Some(parent) => matches!(self.nodes.get(&key(parent)), Some((_, None))),
            }
        }
    }

    impl Tree for MemoryTree {
        fn list(&mut self, dir: &str) -> Result<Vec<Entry>, FsError> {
            let dir_key = key(dir);
            if dir_key != key(ROOT) && !matches!(self.nodes.get(&dir_key), Some((_, None))) {
                return Err(FsError::NotFound);
            }
            Ok(self
                .nodes
                .iter()
                .filter(|(k, _)| split(k).0.map(key).as_deref() == Some(dir_key.as_str()))
                .map(|(_, (spelling, data))| Entry {
                    name: file_name(spelling).into(),
                    is_dir: data.is_none(),
                    size: data.as_ref().map_or(0, |d| d.len() as u32),
                })
                .collect())
        }
        fn read_at(&mut self, path: &str, offset: usize, buffer: &mut [u8]) -> Result<usize, FsError> {
            let data = self.contents(path).ok_or(FsError::NotFound)?;
            let start = offset.min(data.len());
            let count = buffer.len().min(data.len() - start);
            buffer[..count].copy_from_slice(&data[start..start + count]);
            Ok(count)
        }
        fn make_dir(&mut self, path: &str) -> Result<(), FsError> {
            if self.exists(path) {
                return Err(FsError::AlreadyExists);
            }
            if !self.parent_is_dir(path) {
                return Err(FsError::NotFound);
            }
            self.write()?;
            self.dir(path);
            Ok(())
        }
        fn copy_file(&mut self, from: &str, to: &str) -> Result<(), FsError> {
            let data = self.contents(from).ok_or(FsError::NotFound)?.to_vec();
            if matches!(self.nodes.get(&key(to)), Some((_, None))) || !self.parent_is_dir(to) {
                return Err(FsError::AccessDenied);
            }
            // Atomic: the new contents appear in one step.
            self.write()?;
            let spelling = self.nodes.get(&key(to)).map_or(to.into(), |(s, _)| s.clone());
            self.nodes.insert(key(to), (spelling, Some(data)));
            Ok(())
        }
        fn delete(&mut self, path: &str) -> Result<(), FsError> {
            let k = key(path);
            if !self.nodes.contains_key(&k) {
                return Err(FsError::NotFound);
            }
            if self.nodes.keys().any(|other| split(other).0.map(key).as_deref() == Some(k.as_str())) {
                return Err(FsError::NotEmpty);
            }
            self.write()?;
            self.nodes.remove(&k);
            Ok(())
        }
        fn rename(&mut self, from: &str, to: &str) -> Result<(), FsError> {
            let (from_key, to_key) = (key(from), key(to));
            if !self.nodes.contains_key(&from_key) {
                return Err(FsError::NotFound);
            }
            if from_key != to_key && self.nodes.contains_key(&to_key) {
                return Err(FsError::AlreadyExists);
            }
            self.write()?;
            let moved: Vec<String> = self
                .nodes
                .keys()
                .filter(|k| is_within(k, &from_key))
                .cloned()
                .collect();
            for old in moved {
                let (spelling, data) = self.nodes.remove(&old).unwrap();
                let new_spelling = format!("{}{}", to, &spelling[from.len()..]);
                self.nodes.insert(key(&new_spelling), (new_spelling, data));
            }
            Ok(())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn joining_and_splitting() {
        assert_eq!(join(ROOT, "a.txt"), "\\\\fls0\\a.txt");
        assert_eq!(join("\\\\fls0\\dir\\", "b"), "\\\\fls0\\dir\\b");
        assert_eq!(split("\\\\fls0\\dir\\b"), (Some("\\\\fls0\\dir"), "b"));
        assert_eq!(split("\\\\fls0\\a.txt"), (Some(ROOT), "a.txt"));
        assert_eq!(split(ROOT), (None, ROOT));
        assert_eq!(split("\\\\fls0\\"), (None, ROOT));
        assert_eq!(file_name("\\\\fls0\\dir\\long name.txt"), "long name.txt");
    }

    #[test]
    fn within() {
        assert!(is_within("\\\\fls0\\A\\b", "\\\\fls0\\a"));
        assert!(is_within("\\\\fls0\\a", "\\\\fls0\\a\\"));
        assert!(!is_within("\\\\fls0\\ab", "\\\\fls0\\a"));
        assert!(!is_within("\\\\fls0", "\\\\fls0\\a"));
        assert!(is_within("\\\\fls0\\x", ROOT));
    }

    #[test]
    fn displayed_paths() {
        assert_eq!(display(ROOT), "\\");
        assert_eq!(display("\\\\fls0\\dir\\x.txt"), "\\dir\\x.txt");
    }

    #[test]
    fn kind_compares_without_case() {
        let mut tree = memory::MemoryTree::new();
        tree.dir("\\\\fls0\\Dir").file("\\\\fls0\\Dir\\A.txt", b"x");
        assert_eq!(tree.kind("\\\\fls0\\dir").unwrap(), Some(true));
        assert_eq!(tree.kind("\\\\fls0\\DIR\\a.TXT").unwrap(), Some(false));
        assert_eq!(tree.kind("\\\\fls0\\nothing").unwrap(), None);
        assert_eq!(tree.kind(ROOT).unwrap(), Some(true));
    }
}
