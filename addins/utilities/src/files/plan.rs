//! Clipboard operations (copy, move) and deletions planned as a list of
//! single file operations before anything is written: the plan is the dry
//! run, and [`execute`] carries it out one step at a time.
//!
//! Every step leaves storage consistent after a power cut: a file copy
//! replaces its target atomically (old or new contents), a move copies a
//! file before deleting its source (a cut between the two leaves both),
//! and a folder is deleted only once it is empty.
//!
//! A same-name target asks the caller: skip it, replace it (for folders:
//! merge into it, asking again inside), or copy under a free name
//! ("name (2).txt"). The original add-in silently did nothing here.

use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;

use super::tree::{file_name, is_within, join, FsError, Tree};

/// What the clipboard holds the entries for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Operation {
    /// Copy: the sources stay.
    Copy,
    /// Cut: the sources go once copied.
    Move,
}

/// One file operation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step {
    /// Create a folder.
    MakeDir(String),
    /// Copy a file, replacing the target atomically.
    CopyFile {
        /// Source file.
        from: String,
        /// Target file.
        to: String,
        /// Bytes copied.
        size: u32,
    },
    /// Delete a file or an (by then) empty folder.
    Delete(String),
    /// Rename an entry in place.
    Rename {
        /// Old path.
        from: String,
        /// New path.
        to: String,
    },
}

/// The answer to a same-name target.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Conflict {
    /// Leave the target; do not copy or move this entry.
    Skip,
    /// Replace the file (a folder: copy into it).
    Replace,
    /// Copy under a free name.
    KeepBoth,
}

/// Why nothing was planned.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PlanError {
    /// A folder cannot be copied or moved into itself.
    IntoItself(String),
    /// Reading storage failed.
    Fs(FsError),
    /// The user cancelled at a conflict question.
    Cancelled,
}

impl From<FsError> for PlanError {
    fn from(error: FsError) -> PlanError {
        PlanError::Fs(error)
    }
}

impl PlanError {
    /// A message for the screen.
    pub fn message(&self) -> &'static str {
        match self {
            PlanError::IntoItself(_) => "A folder cannot go into itself.",
            PlanError::Fs(error) => error.message(),
            PlanError::Cancelled => "Cancelled.",
        }
    }
}

/// A planned operation: its steps and the bytes it writes.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Plan {
    /// The steps, in order.
    pub steps: Vec<Step>,
}

impl Plan {
    /// Bytes the copies write (what must fit in free storage).
    pub fn bytes(&self) -> u64 {
        self.steps
            .iter()
            .map(|step| match step {
                Step::CopyFile { size, .. } => u64::from(*size),
                _ => 0,
            })
            .sum()
    }
}

/// Asked at each same-name target: its path and whether it is a folder;
/// `None` cancels the whole operation.
pub type Ask<'a> = dyn FnMut(&str, bool) -> Option<Conflict> + 'a;

/// Plans copying or moving `sources` (full paths) into folder `target`.
pub fn plan_paste(
    tree: &mut dyn Tree,
    operation: Operation,
    sources: &[String],
    target: &str,
    ask: &mut Ask<'_>,
) -> Result<Plan, PlanError> {
    let mut plan = Plan::default();
    for source in sources {
        let Some(is_dir) = tree.kind(source)? else {
            return Err(PlanError::Fs(FsError::NotFound));
        };
        if is_dir && is_within(target, source) {
            return Err(PlanError::IntoItself(source.clone()));
        }
        let parent_is_target = super::tree::split(source)
            .0
            .is_some_and(|parent| is_within(parent, target) && is_within(target, parent));
        if parent_is_target && operation == Operation::Move {
            // Already there.
            continue;
        }
        paste_one(tree, operation, source, is_dir, target, false, parent_is_target, ask, &mut plan)?;
    }
    Ok(plan)
}

#[allow(clippy::too_many_arguments)]
fn paste_one(
    tree: &mut dyn Tree,
    operation: Operation,
    source: &str,
    is_dir: bool,
    target_dir: &str,
    target_is_new: bool,
    same_folder: bool,
    ask: &mut Ask<'_>,
    plan: &mut Plan,
) -> Result<bool, PlanError> {
    let name = file_name(source);
    let mut target = join(target_dir, name);
    // A folder made by this plan is still empty: nothing to ask about.
    let existing = if target_is_new { None } else { tree.kind(&target)? };
    let mut merge = false;
    if let Some(target_is_dir) = existing {
        // A copy onto itself can only keep both.
        let answer = if same_folder {
            Conflict::KeepBoth
        } else {
            ask(&target, target_is_dir).ok_or(PlanError::Cancelled)?
        };
        match answer {
            Conflict::Skip => return Ok(false),
            // Only like replaces like; a file and a folder keep both.
            Conflict::Replace if target_is_dir == is_dir => merge = is_dir,
            Conflict::Replace | Conflict::KeepBoth => {
                target = free_name(tree, target_dir, name, plan)?;
            }
        }
    }
    if !is_dir {
        let size = tree
            .list(super::tree::split(source).0.unwrap_or(super::tree::ROOT))?
            .into_iter()
            .find(|entry| entry.name.eq_ignore_ascii_case(name))
            .map_or(0, |entry| entry.size);
        plan.steps.push(Step::CopyFile {
            from: source.into(),
            to: target,
            size,
        });
        if operation == Operation::Move {
            plan.steps.push(Step::Delete(source.into()));
        }
        return Ok(true);
    }
    if !merge {
        plan.steps.push(Step::MakeDir(target.clone()));
    }
    let mut everything_moved = true;
    for entry in tree.list(source)? {
        let inner = join(source, &entry.name);
        let moved = paste_one(tree, operation, &inner, entry.is_dir, &target, !merge, false, ask, plan)?;
        everything_moved &= moved;
    }
    if operation == Operation::Move && everything_moved {
        plan.steps.push(Step::Delete(source.into()));
    }
    Ok(everything_moved)
}

/// "name (2).ext", "name (3).ext", … : the first name free in `dir`
/// (and not taken by an earlier step of `plan`).
pub fn free_name(tree: &mut dyn Tree, dir: &str, name: &str, plan: &Plan) -> Result<String, PlanError> {
    let taken = tree.list(dir)?;
    let (stem, extension) = match name.rfind('.') {
        Some(dot) if dot > 0 => (&name[..dot], &name[dot..]),
        _ => (name, ""),
    };
    for number in 2u32.. {
        let candidate = format!("{stem} ({number}){extension}");
        let path = join(dir, &candidate);
        let in_use = taken.iter().any(|entry| entry.name.eq_ignore_ascii_case(&candidate))
            || plan.steps.iter().any(|step| match step {
                Step::MakeDir(made) | Step::CopyFile { to: made, .. } => made.eq_ignore_ascii_case(&path),
                _ => false,
            });
        if !in_use {
            return Ok(path);
        }
    }
    Err(PlanError::Fs(FsError::AlreadyExists))
}

/// Plans deleting `paths`: a folder's contents first, then the folder.
pub fn plan_delete(tree: &mut dyn Tree, paths: &[String]) -> Result<Plan, PlanError> {
    let mut plan = Plan::default();
    for path in paths {
        match tree.kind(path)? {
            None => return Err(PlanError::Fs(FsError::NotFound)),
            Some(is_dir) => delete_one(tree, path, is_dir, &mut plan)?,
        }
    }
    Ok(plan)
}

fn delete_one(tree: &mut dyn Tree, path: &str, is_dir: bool, plan: &mut Plan) -> Result<(), PlanError> {
    if is_dir {
        for entry in tree.list(path)? {
            delete_one(tree, &join(path, &entry.name), entry.is_dir, plan)?;
        }
    }
    plan.steps.push(Step::Delete(path.into()));
    Ok(())
}

/// Runs `plan`'s steps in order. `progress(done, total)` is called before
/// each step; returning false stops before it. Returns the steps done.
pub fn execute(
    tree: &mut dyn Tree,
    plan: &Plan,
    progress: &mut dyn FnMut(usize, usize) -> bool,
) -> Result<usize, (usize, FsError)> {
    let total = plan.steps.len();
    for (done, step) in plan.steps.iter().enumerate() {
        if !progress(done, total) {
            return Ok(done);
        }
        let result = match step {
            Step::MakeDir(path) => tree.make_dir(path),
            Step::CopyFile { from, to, .. } => tree.copy_file(from, to),
            Step::Delete(path) => tree.delete(path),
            Step::Rename { from, to } => tree.rename(from, to),
        };
        result.map_err(|error| (done, error))?;
    }
    Ok(total)
}

#[cfg(test)]
mod tests {
    use super::super::tree::memory::MemoryTree;
    use super::*;

    const R: &str = "\\\\fls0";

    fn p(rest: &str) -> String {
        format!("{R}\\{rest}")
    }

    fn sample() -> MemoryTree {
        let mut tree = MemoryTree::new();
        tree.dir(&p("src"))
            .file(&p("src\\a.txt"), b"alpha")
            .dir(&p("src\\sub"))
            .file(&p("src\\sub\\b.bin"), &[0, 1, 2, 255])
            .dir(&p("src\\sub\\empty"))
            .dir(&p("dst"))
            .file(&p("top.txt"), b"top");
        tree
    }

    fn never(_: &str, _: bool) -> Option<Conflict> {
        panic!("no conflict expected")
    }

    #[test]
    fn copying_a_folder_tree_is_a_dry_run_first() {
        let mut tree = sample();
        let before = tree.clone();
        let plan = plan_paste(&mut tree, Operation::Copy, &[p("src")], &p("dst"), &mut never).unwrap();
        assert_eq!(tree, before, "planning writes nothing");
        assert_eq!(
            plan.steps,
            vec![
                Step::MakeDir(p("dst\\src")),
                Step::CopyFile { from: p("src\\a.txt"), to: p("dst\\src\\a.txt"), size: 5 },
                Step::MakeDir(p("dst\\src\\sub")),
                Step::CopyFile { from: p("src\\sub\\b.bin"), to: p("dst\\src\\sub\\b.bin"), size: 4 },
                Step::MakeDir(p("dst\\src\\sub\\empty")),
            ]
        );
        assert_eq!(plan.bytes(), 9);
        assert_eq!(execute(&mut tree, &plan, &mut |_, _| true), Ok(5));
        assert_eq!(tree.contents(&p("dst\\src\\sub\\b.bin")), Some(&[0, 1, 2, 255][..]));
        assert_eq!(tree.contents(&p("src\\a.txt")), Some(&b"alpha"[..]));
        assert!(tree.exists(&p("dst\\src\\sub\\empty")));
    }

    #[test]
    fn moving_deletes_sources_after_copying() {
        let mut tree = sample();
        let plan = plan_paste(&mut tree, Operation::Move, &[p("src"), p("top.txt")], &p("dst"), &mut never).unwrap();
        execute(&mut tree, &plan, &mut |_, _| true).unwrap();
        assert!(!tree.exists(&p("src")));
        assert!(!tree.exists(&p("top.txt")));
        assert_eq!(tree.contents(&p("dst\\top.txt")), Some(&b"top"[..]));
        assert_eq!(tree.contents(&p("dst\\src\\a.txt")), Some(&b"alpha"[..]));
        // Each delete comes after the copy of what it deletes.
        let copy = plan.steps.iter().position(|s| matches!(s, Step::CopyFile { from, .. } if *from == p("top.txt")));
        let delete = plan.steps.iter().position(|s| *s == Step::Delete(p("top.txt")));
        assert!(copy < delete);
    }

    #[test]
    fn same_name_asks_and_each_answer_is_honoured() {
        for (answer, expected_target, expected_contents) in [
            (Conflict::Skip, p("dst\\a.txt"), &b"old"[..]),
            (Conflict::Replace, p("dst\\a.txt"), &b"alpha"[..]),
            (Conflict::KeepBoth, p("dst\\a (2).txt"), &b"alpha"[..]),
        ] {
            let mut tree = sample();
            tree.file(&p("dst\\a.txt"), b"old");
            let mut asked = Vec::new();
            let plan = plan_paste(&mut tree, Operation::Copy, &[p("src\\a.txt")], &p("dst"), &mut |path, is_dir| {
                asked.push((path.to_string(), is_dir));
                Some(answer)
            })
            .unwrap();
            assert_eq!(asked, vec![(p("dst\\a.txt"), false)]);
            execute(&mut tree, &plan, &mut |_, _| true).unwrap();
            assert_eq!(tree.contents(&expected_target), Some(expected_contents), "{answer:?}");
            if answer == Conflict::KeepBoth {
                assert_eq!(tree.contents(&p("dst\\a.txt")), Some(&b"old"[..]));
            }
        }
    }

    #[test]
    fn replacing_a_folder_merges_and_asks_inside() {
        let mut tree = sample();
        tree.dir(&p("dst\\src")).file(&p("dst\\src\\a.txt"), b"old").file(&p("dst\\src\\keep"), b"k");
        let mut asked = Vec::new();
        let plan = plan_paste(&mut tree, Operation::Copy, &[p("src")], &p("dst"), &mut |path, _| {
            asked.push(path.to_string());
            Some(if path.ends_with("a.txt") { Conflict::Skip } else { Conflict::Replace })
        })
        .unwrap();
        assert_eq!(asked, vec![p("dst\\src"), p("dst\\src\\a.txt")]);
        execute(&mut tree, &plan, &mut |_, _| true).unwrap();
        assert_eq!(tree.contents(&p("dst\\src\\a.txt")), Some(&b"old"[..]));
        assert_eq!(tree.contents(&p("dst\\src\\keep")), Some(&b"k"[..]));
        assert!(tree.exists(&p("dst\\src\\sub\\b.bin")));
    }

    #[test]
    fn a_skipped_file_keeps_its_folder_on_move() {
        let mut tree = sample();
        tree.dir(&p("dst\\src")).file(&p("dst\\src\\a.txt"), b"old");
        let plan = plan_paste(&mut tree, Operation::Move, &[p("src")], &p("dst"), &mut |path, _| {
            Some(if path.ends_with("a.txt") { Conflict::Skip } else { Conflict::Replace })
        })
        .unwrap();
        execute(&mut tree, &plan, &mut |_, _| true).unwrap();
        assert_eq!(tree.contents(&p("src\\a.txt")), Some(&b"alpha"[..]), "skipped: stays");
        assert!(!tree.exists(&p("src\\sub")), "moved: gone");
    }

    #[test]
    fn copy_into_its_own_folder_keeps_both_and_move_does_nothing() {
        let mut tree = sample();
        let plan = plan_paste(&mut tree, Operation::Copy, &[p("top.txt")], R, &mut never).unwrap();
        execute(&mut tree, &plan, &mut |_, _| true).unwrap();
        assert_eq!(tree.contents(&p("top (2).txt")), Some(&b"top"[..]));
        let plan = plan_paste(&mut tree, Operation::Copy, &[p("top.txt")], R, &mut never).unwrap();
        assert_eq!(plan.steps, vec![Step::CopyFile { from: p("top.txt"), to: p("top (3).txt"), size: 3 }]);
        let plan = plan_paste(&mut tree, Operation::Move, &[p("top.txt")], R, &mut never).unwrap();
        assert!(plan.steps.is_empty());
    }

    #[test]
    fn a_folder_cannot_go_into_itself() {
        let mut tree = sample();
        for target in [p("src"), p("src\\sub")] {
            let error = plan_paste(&mut tree, Operation::Copy, &[p("src")], &target, &mut never);
            assert_eq!(error, Err(PlanError::IntoItself(p("src"))));
        }
    }

    #[test]
    fn cancel_and_missing_sources() {
        let mut tree = sample();
        tree.file(&p("dst\\a.txt"), b"old");
        let cancelled = plan_paste(&mut tree, Operation::Copy, &[p("src\\a.txt")], &p("dst"), &mut |_, _| None);
        assert_eq!(cancelled, Err(PlanError::Cancelled));
        let missing = plan_paste(&mut tree, Operation::Copy, &[p("nope")], &p("dst"), &mut never);
        assert_eq!(missing, Err(PlanError::Fs(FsError::NotFound)));
    }

    #[test]
    fn delete_goes_depth_first() {
        let mut tree = sample();
        let plan = plan_delete(&mut tree, &[p("src")]).unwrap();
        assert_eq!(plan.steps.last(), Some(&Step::Delete(p("src"))));
        execute(&mut tree, &plan, &mut |_, _| true).unwrap();
        assert!(!tree.exists(&p("src")));
        assert!(!tree.exists(&p("src\\sub\\b.bin")));
        assert!(tree.exists(&p("dst")));
    }

    #[test]
    fn progress_can_stop_between_steps() {
        let mut tree = sample();
        let plan = plan_paste(&mut tree, Operation::Copy, &[p("src")], &p("dst"), &mut never).unwrap();
        let done = execute(&mut tree, &plan, &mut |done, _| done < 2).unwrap();
        assert_eq!(done, 2);
        assert!(tree.exists(&p("dst\\src\\a.txt")));
        assert!(!tree.exists(&p("dst\\src\\sub")));
    }

    /// A power cut at every write step of a move leaves every file with
    /// its old or its new contents, and none lost: each file is at its
    /// source, its target, or both.
    #[test]
    fn a_power_cut_at_any_step_loses_nothing() {
        let original = sample();
        let files = [("src\\a.txt", &b"alpha"[..]), ("src\\sub\\b.bin", &[0, 1, 2, 255][..]), ("top.txt", &b"top"[..])];
        let mut planning = original.clone();
        let plan = plan_paste(&mut planning, Operation::Move, &[p("src"), p("top.txt")], &p("dst"), &mut never).unwrap();
        for cut in 0..=plan.steps.len() {
            let mut tree = original.clone();
            tree.writes_left = Some(cut);
            let result = execute(&mut tree, &plan, &mut |_, _| true);
            assert_eq!(result.is_ok(), cut == plan.steps.len(), "cut {cut}");
            for (path, contents) in files {
                let at_source = tree.contents(&p(path));
                let at_target = tree.contents(&p(&format!("dst\\{path}")));
                assert!(at_source.is_some() || at_target.is_some(), "cut {cut}: {path} lost");
                for found in [at_source, at_target].into_iter().flatten() {
                    assert_eq!(found, contents, "cut {cut}: {path} changed");
                }
            }
        }
    }
}
