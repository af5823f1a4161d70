//! Paths in storage memory, `\\fls0\folder\file.txt`, and their 16-bit
//! form for the OS.

use core::fmt;

use super::FsError;

/// Longest path accepted, in characters (what Casio's own add-ins use).
pub const MAX_PATH: usize = prizm_platform::error::bfile::MAX_PATH;

/// Longest single name (file or folder) in characters: the FAT limit.
pub const MAX_NAME: usize = 255;

/// The storage memory's root folder, `\\fls0\`.
pub const ROOT: &str = "\\\\fls0\\";

/// A validated absolute path in storage memory: starts with `\\fls0\`,
/// printable ASCII only, no empty, `.` or `..` components, no characters
/// the OS forbids, names of at most [`MAX_NAME`] and paths of at most
/// [`MAX_PATH`] characters. Fixed capacity, no
/// allocation.
///
/// ```
/// use prizm::fs::Path;
/// let folder = Path::new("\\\\fls0\\Notes").unwrap();
/// let file = folder.join("todo.txt").unwrap();
/// assert_eq!(file.as_str(), "\\\\fls0\\Notes\\todo.txt");
/// assert_eq!(file.file_name(), "todo.txt");
/// assert_eq!(file.parent().unwrap(), folder);
/// assert!(Path::new("C:\\x").is_err());
/// ```
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct Path {
    text: heapless::String<MAX_PATH>,
}

/// Checks one path component.
pub fn validate_name(name: &str) -> Result<(), FsError> {
    if name.is_empty() || name == "." || name == ".." {
        return Err(FsError::InvalidName);
    }
    let forbidden = |c: char| !(' '..='~').contains(&c) || "\\/:*?\"<>|".contains(c);
    if name.chars().any(forbidden) {
        return Err(FsError::InvalidName);
    }
    if name.len() > MAX_NAME {
        return Err(FsError::PathTooLong);
    }
    Ok(())
}

impl Path {
    /// Validates `text` as a path.
    pub fn new(text: &str) -> Result<Path, FsError> {
        if text.len() > MAX_PATH {
            return Err(FsError::PathTooLong);
        }
        let rest = strip_root(text).ok_or(FsError::InvalidPath)?;
        let mut path = Path::root();
        if rest.is_empty() {
            return Ok(path);
        }
        for component in rest.split('\\') {
            path = path.join(component)?;
        }
        Ok(path)
    }

    /// The root folder, `\\fls0\`.
    pub fn root() -> Path {
        let mut text = heapless::String::new();
        let _ = text.push_str(ROOT);
        Path { text }
    }

    /// `name` in the root folder.
    pub fn in_root(name: &str) -> Result<Path, FsError> {
        Path::root().join(name)
    }

    /// This path with `name` (one component) appended.
    pub fn join(&self, name: &str) -> Result<Path, FsError> {
        validate_name(name)?;
        let mut text = self.text.clone();
        if !text.ends_with('\\') {
            text.push('\\').map_err(|_| FsError::PathTooLong)?;
        }
        text.push_str(name).map_err(|_| FsError::PathTooLong)?;
        Ok(Path { text })
    }

    /// The path as text.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// True for the root folder.
    pub fn is_root(&self) -> bool {
        self.text.len() == ROOT.len()
    }

    /// The last component (empty for the root).
    pub fn file_name(&self) -> &str {
        if self.is_root() {
            return "";
        }
        self.text.rsplit('\\').next().unwrap_or("")
    }

    /// The folder holding this path (`None` for the root).
    pub fn parent(&self) -> Option<Path> {
        if self.is_root() {
            return None;
        }
        let cut = self.text.rfind('\\')?;
        let keep = cut.max(ROOT.len() - 1);
        let mut text = self.text.clone();
        text.truncate(if keep == ROOT.len() - 1 {
            ROOT.len()
        } else {
            keep
        });
        Some(Path { text })
    }

    /// The extension after the last `.` of the file name, if any.
    pub fn extension(&self) -> Option<&str> {
        let name = self.file_name();
        let dot = name.rfind('.')?;
        (dot > 0).then(|| &name[dot + 1..])
    }

    /// The path in the OS's 16-bit form, on the stack.
    pub fn to_os_name(&self) -> OsName {
        OsName::from_ascii(&self.text)
    }

    /// A listing pattern: `self\pattern` (the pattern may hold `*`).
    pub(crate) fn pattern(&self, pattern: &str) -> Result<OsName, FsError> {
        let mut text: heapless::String<MAX_PATH> = self.text.clone();
        if !text.ends_with('\\') {
            text.push('\\').map_err(|_| FsError::PathTooLong)?;
        }
        text.push_str(pattern).map_err(|_| FsError::PathTooLong)?;
        Ok(OsName::from_ascii(&text))
    }
}

fn strip_root(text: &str) -> Option<&str> {
    if text.eq_ignore_ascii_case(&ROOT[..ROOT.len() - 1]) {
        return Some("");
    }
    let head = text.get(..ROOT.len())?;
    head.eq_ignore_ascii_case(ROOT).then(|| &text[ROOT.len()..])
}

impl fmt::Debug for Path {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.as_str(), f)
    }
}

impl fmt::Display for Path {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl TryFrom<&str> for Path {
    type Error = FsError;
    fn try_from(text: &str) -> Result<Path, FsError> {
        Path::new(text)
    }
}

/// A NUL-terminated 16-bit file name as the Bfile syscalls take it.
pub struct OsName {
    units: [u16; MAX_PATH + 1],
}

impl OsName {
    /// Widens ASCII text (cut at [`MAX_PATH`]); other characters become `?`.
    pub fn from_ascii(text: &str) -> OsName {
        let mut units = [0u16; MAX_PATH + 1];
        for (unit, c) in units.iter_mut().zip(text.chars().take(MAX_PATH)) {
            *unit = if c.is_ascii() {
                c as u16
            } else {
                u16::from(b'?')
            };
        }
        OsName { units }
    }

    /// The units up to (not including) the NUL.
    pub fn units(&self) -> &[u16] {
        let length = self
            .units
            .iter()
            .position(|&unit| unit == 0)
            .unwrap_or(MAX_PATH);
        &self.units[..length]
    }

    /// Pointer for the OS; NUL-terminated.
    pub fn as_ptr(&self) -> *const u16 {
        self.units.as_ptr()
    }
}

/// Narrows an OS 16-bit name (up to its NUL) into `out`; non-ASCII units
/// become `?`. Characters that do not fit are dropped.
pub fn narrow<const N: usize>(units: &[u16], out: &mut heapless::String<N>) {
    out.clear();
    for &unit in units.iter().take_while(|&&unit| unit != 0) {
        let c = if (0x20..0x7F).contains(&unit) {
            unit as u8 as char
        } else {
            '?'
        };
        if out.push(c).is_err() {
            break;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    prizm_test! {
        fn valid_paths() {
            assert_eq!(Path::new("\\\\fls0\\").unwrap().as_str(), ROOT);
            assert_eq!(Path::new("\\\\fls0").unwrap(), Path::root());
            assert_eq!(Path::new("\\\\FLS0\\a.txt").unwrap().as_str(), "\\\\fls0\\a.txt");
            let nested = Path::new("\\\\fls0\\@UTILS\\Hash.plp").unwrap();
            assert_eq!(nested.file_name(), "Hash.plp");
            assert_eq!(nested.extension(), Some("plp"));
            assert_eq!(nested.parent().unwrap().as_str(), "\\\\fls0\\@UTILS");
            assert_eq!(nested.parent().unwrap().parent().unwrap(), Path::root());
            assert_eq!(Path::root().parent(), None);
            assert_eq!(Path::root().file_name(), "");
            assert_eq!(Path::in_root(".profile").unwrap().extension(), None);
        }
    }

    prizm_test! {
        fn invalid_paths() {
            assert_eq!(Path::new("fls0\\a"), Err(FsError::InvalidPath));
            assert_eq!(Path::new(""), Err(FsError::InvalidPath));
            assert_eq!(Path::new("\\\\fls0\\a\\\\b"), Err(FsError::InvalidName));
            assert_eq!(Path::new("\\\\fls0\\a\\..\\b"), Err(FsError::InvalidName));
            assert_eq!(Path::new("\\\\fls0\\a\\"), Err(FsError::InvalidName));
            assert_eq!(Path::new("\\\\fls0\\wh?t"), Err(FsError::InvalidName));
            assert_eq!(Path::new("\\\\fls0\\caf\u{e9}"), Err(FsError::InvalidName));
            let long = "x".repeat(MAX_PATH);
            assert_eq!(Path::in_root(&long), Err(FsError::PathTooLong));
            assert_eq!(Path::new(&alloc::format!("{ROOT}{long}")), Err(FsError::PathTooLong));
            let longest_name = "n".repeat(MAX_NAME);
            assert!(Path::in_root(&longest_name).is_ok());
            assert_eq!(Path::in_root(&alloc::format!("{longest_name}n")), Err(FsError::PathTooLong));
            // A folder and a file filling MAX_PATH exactly.
            let folder = Path::in_root(&"d".repeat(200)).unwrap();
            let file = "f".repeat(MAX_PATH - ROOT.len() - 201);
            assert_eq!(folder.join(&file).unwrap().as_str().len(), MAX_PATH);
            assert_eq!(folder.join(&alloc::format!("{file}z")), Err(FsError::PathTooLong));
        }
    }

    prizm_test! {
        fn os_names() {
            let path = Path::new("\\\\fls0\\Ab.c").unwrap();
            let name = path.to_os_name();
            let expected: alloc::vec::Vec<u16> = "\\\\fls0\\Ab.c".bytes().map(u16::from).collect();
            assert_eq!(name.units(), &expected[..]);
            let mut back = heapless::String::<16>::new();
            narrow(&[0x41, 0x3042, 0x42, 0, 0x43], &mut back);
            assert_eq!(back.as_str(), "A?B");
            let mut short = heapless::String::<2>::new();
            narrow(&[0x41, 0x42, 0x43], &mut short);
            assert_eq!(short.as_str(), "AB");
            let pattern = Path::root().pattern("*").unwrap();
            assert_eq!(pattern.units().len(), ROOT.len() + 1);
        }
    }
}
