//! Searching storage memory by name and/or contents, optionally in
//! subfolders and with case, abortable between reads (AC/ON).

use alloc::string::String;
use alloc::vec;
use alloc::vec::Vec;

use super::tree::{join, FsError, Tree};

/// What to look for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Query {
    /// The text (bytes compared as ASCII).
    pub text: String,
    /// Look in names.
    pub names: bool,
    /// Look in file contents.
    pub contents: bool,
    /// Upper and lower case differ.
    pub match_case: bool,
    /// Look in subfolders too.
    pub recursive: bool,
}

/// How a search ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Everything was looked at.
    Finished,
    /// Stopped by the user.
    Aborted,
}

/// Bytes read at a time when looking into files.
pub const CHUNK: usize = 4096;

fn equal(left: u8, right: u8, match_case: bool) -> bool {
    if match_case {
        left == right
    } else {
        left.eq_ignore_ascii_case(&right)
    }
}

/// Where `needle` starts in `haystack`, if it does.
pub fn find(haystack: &[u8], needle: &[u8], match_case: bool) -> Option<usize> {
    if needle.is_empty() {
        return Some(0);
    }
    haystack
        .windows(needle.len())
        .position(|window| window.iter().zip(needle).all(|(&a, &b)| equal(a, b, match_case)))
}

/// Searches folder `dir`. `stop()` is asked between reads; `found(path)`
/// gets every match (a folder matches by name only).
pub fn search(
    tree: &mut dyn Tree,
    dir: &str,
    query: &Query,
    stop: &mut dyn FnMut() -> bool,
    found: &mut dyn FnMut(&str),
) -> Result<Outcome, FsError> {
    let mut buffer = vec![0u8; CHUNK + query.text.len()];
    let mut pending: Vec<String> = vec![dir.into()];
    while let Some(folder) = pending.pop() {
        for entry in tree.list(&folder)? {
            if stop() {
                return Ok(Outcome::Aborted);
            }
            let path = join(&folder, &entry.name);
            let by_name = query.names && find(entry.name.as_bytes(), query.text.as_bytes(), query.match_case).is_some();
            if entry.is_dir {
                if by_name {
                    found(&path);
                }
                if query.recursive {
                    pending.push(path);
                }
                continue;
            }
            if by_name {
                found(&path);
                continue;
            }
            if query.contents {
                match contains(tree, &path, query, &mut buffer, stop)? {
                    Some(true) => found(&path),
                    Some(false) => {}
                    None => return Ok(Outcome::Aborted),
                }
            }
        }
    }
    Ok(Outcome::Finished)
}

/// Whether file `path` contains the query (None: stopped). Chunks overlap
/// by the query's length less one, so a match across a boundary counts.
fn contains(
    tree: &mut dyn Tree,
    path: &str,
    query: &Query,
    buffer: &mut [u8],
    stop: &mut dyn FnMut() -> bool,
) -> Result<Option<bool>, FsError> {
    let needle = query.text.as_bytes();
    let overlap = needle.len().saturating_sub(1);
    let mut offset = 0usize;
    loop {
        let read = tree.read_at(path, offset, buffer)?;
        if find(&buffer[..read], needle, query.match_case).is_some() {
            return Ok(Some(true));
        }
        if read < buffer.len() {
            return Ok(Some(false));
        }
        if stop() {
            return Ok(None);
        }
        offset += read - overlap;
    }
}

/// What a folder holds, counted through its subfolders.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Statistics {
    /// Files.
    pub files: u32,
    /// Subfolders.
    pub folders: u32,
    /// Bytes in the files.
    pub bytes: u64,
    /// The largest file's size.
    pub largest: u32,
}

/// Counts what folder `dir` holds.
pub fn statistics(tree: &mut dyn Tree, dir: &str) -> Result<Statistics, FsError> {
    let mut totals = Statistics::default();
    let mut pending: Vec<String> = vec![dir.into()];
    while let Some(folder) = pending.pop() {
        for entry in tree.list(&folder)? {
            if entry.is_dir {
                totals.folders += 1;
                pending.push(join(&folder, &entry.name));
            } else {
                totals.files += 1;
                totals.bytes += u64::from(entry.size);
                totals.largest = totals.largest.max(entry.size);
            }
        }
    }
    Ok(totals)
}

#[cfg(test)]
mod tests {
    use super::super::tree::memory::MemoryTree;
    use super::*;

    fn p(rest: &str) -> String {
        format!("\\\\fls0\\{rest}")
    }

    fn sample() -> MemoryTree {
        let mut big = vec![b'.'; CHUNK * 3];
        // Across the first chunk boundary.
        big[CHUNK - 3..CHUNK + 3].copy_from_slice(b"NEEDLE");
        let mut tree = MemoryTree::new();
        tree.file(&p("notes.txt"), b"a needle in a haystack")
            .file(&p("Needle.txt"), b"nothing")
            .dir(&p("deep"))
            .file(&p("deep\\big.bin"), &big)
            .dir(&p("deep\\needles"))
            .file(&p("deep\\needles\\x"), b"none");
        tree
    }

    fn run(query: Query) -> Vec<String> {
        let mut tree = sample();
        let mut hits = Vec::new();
        let outcome = search(&mut tree, "\\\\fls0", &query, &mut || false, &mut |path| hits.push(path.to_string())).unwrap();
        assert_eq!(outcome, Outcome::Finished);
        hits.sort();
        hits
    }

    fn query(names: bool, contents: bool, match_case: bool, recursive: bool) -> Query {
        Query { text: "needle".into(), names, contents, match_case, recursive }
    }

    #[test]
    fn names_contents_case_and_depth() {
        assert_eq!(run(query(true, false, false, false)), vec![p("Needle.txt")]);
        assert_eq!(run(query(true, false, true, false)), Vec::<String>::new());
        assert_eq!(run(query(false, true, false, false)), vec![p("notes.txt")]);
        assert_eq!(
            run(query(true, true, false, true)),
            vec![p("Needle.txt"), p("deep\\big.bin"), p("deep\\needles"), p("notes.txt")]
        );
        assert_eq!(run(query(false, true, true, true)), vec![p("notes.txt")]);
    }

    #[test]
    fn a_search_can_be_aborted() {
        let mut tree = sample();
        let mut asked = 0;
        let mut hits = 0;
        let outcome = search(
            &mut tree,
            "\\\\fls0",
            &query(true, true, false, true),
            &mut || {
                asked += 1;
                asked > 2
            },
            &mut |_| hits += 1,
        )
        .unwrap();
        assert_eq!(outcome, Outcome::Aborted);
        assert!(hits <= 2);
    }

    #[test]
    fn find_works_on_bytes() {
        assert_eq!(find(b"abcABC", b"Bc", false), Some(1));
        assert_eq!(find(b"abcABC", b"BC", true), Some(4));
        assert_eq!(find(b"ab", b"abc", false), None);
    }

    #[test]
    fn folder_statistics() {
        let mut tree = sample();
        let totals = statistics(&mut tree, "\\\\fls0").unwrap();
        assert_eq!(totals, Statistics { files: 4, folders: 2, bytes: 22 + 7 + CHUNK as u64 * 3 + 4, largest: CHUNK as u32 * 3 });
    }
}
