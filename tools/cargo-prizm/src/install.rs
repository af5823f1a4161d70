//! `cargo prizm install`: copying an add-in to a calculator connected as a
//! USB drive.
//!
//! Connected with its USB cable, an fx-CG asks for a connection mode; in
//! "USB Flash" mode its storage memory appears on the PC as a drive. A
//! mounted folder is taken for a calculator when its root holds a
//! `@MainMem` folder (main memory as the calculator shows it over USB) or
//! at least one `.g3a` file (add-ins live at the root of storage memory).
//! Mount points are looked for in `/media/*/*` and `/media/*` (udisks on
//! Debian and Ubuntu), `/run/media/*/*` (udisks on Fedora and Arch),
//! `/mnt/*` and `/Volumes/*` (macOS); `CARGO_PRIZM_MOUNT_PATTERNS`
//! (colon-separated, `*` for one whole path component) replaces that list.

use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use anyhow::{anyhow, bail, Context, Result};

/// Where mounted drives are looked for, unless the environment says otherwise.
pub const DEFAULT_MOUNT_PATTERNS: &[&str] = &[
    "/media/*/*",
    "/media/*",
    "/run/media/*/*",
    "/mnt/*",
    "/Volumes/*",
];

/// Asks a file system how many bytes it has free (for an unprivileged user).
pub trait FreeSpace {
    /// Free bytes on the file system holding `dir`.
    fn available_bytes(&self, dir: &Path) -> io::Result<u64>;
}

/// The real answer, from `statvfs`.
pub struct Statvfs;

impl FreeSpace for Statvfs {
    fn available_bytes(&self, dir: &Path) -> io::Result<u64> {
        let stats = rustix::fs::statvfs(dir)?;
        Ok(stats.f_bavail.saturating_mul(stats.f_frsize))
    }
}

/// Why a folder looks like a calculator's storage memory, if it does.
pub fn calculator_evidence(dir: &Path) -> Option<String> {
    let entries = fs::read_dir(dir).ok()?;
    let mut addins = 0;
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let is_dir = entry.file_type().map(|t| t.is_dir()).unwrap_or(false);
        if is_dir && name.eq_ignore_ascii_case("@MainMem") {
            return Some(format!("it has a {name} folder"));
        }
        if !is_dir && name.to_ascii_lowercase().ends_with(".g3a") {
            addins += 1;
        }
    }
    (addins > 0).then(|| format!("it holds {addins} .g3a add-in(s)"))
}

/// Expands patterns whose `*` stands for one whole path component.
pub fn expand_pattern(pattern: &str) -> Vec<PathBuf> {
    let mut paths = vec![PathBuf::from("/")];
    for component in Path::new(pattern).components().skip(1) {
        let part = component.as_os_str();
        let mut next = Vec::new();
        for base in &paths {
            if part == "*" {
                if let Ok(entries) = fs::read_dir(base) {
                    let mut children: Vec<PathBuf> = entries
                        .flatten()
                        .filter(|e| e.file_type().map(|t| t.is_dir()).unwrap_or(false))
                        .map(|e| e.path())
                        .collect();
                    children.sort();
                    next.extend(children);
                }
            } else {
                let child = base.join(part);
                if child.is_dir() {
                    next.push(child);
                }
            }
        }
        paths = next;
    }
    paths
}

/// The mount patterns in effect.
pub fn mount_patterns() -> Vec<String> {
    match std::env::var("CARGO_PRIZM_MOUNT_PATTERNS") {
        Ok(list) => list
            .split(':')
            .filter(|p| !p.is_empty())
            .map(String::from)
            .collect(),
        Err(_) => DEFAULT_MOUNT_PATTERNS
            .iter()
            .map(|p| p.to_string())
            .collect(),
    }
}

/// Every mounted folder that looks like a calculator, with the reason.
pub fn find_calculators(patterns: &[String]) -> Vec<(PathBuf, String)> {
    let mut found: Vec<(PathBuf, String)> = Vec::new();
    for pattern in patterns {
        for dir in expand_pattern(pattern) {
            let Some(why) = calculator_evidence(&dir) else {
                continue;
            };
            let canonical = dir.canonicalize().unwrap_or(dir);
            if !found.iter().any(|(d, _)| *d == canonical) {
                found.push((canonical, why));
            }
        }
    }
    found
}

/// The folder to copy to: `--to`, else the one calculator found.
pub fn choose_destination(to: Option<&Path>, patterns: &[String]) -> Result<PathBuf> {
    if let Some(dir) = to {
        if !dir.exists() {
            bail!(
                "{} does not exist: is the calculator connected, in \"USB Flash\" mode, and mounted there?",
                dir.display()
            );
        }
        if !dir.is_dir() {
            bail!(
                "{} is not a folder: --to takes the calculator's mount point",
                dir.display()
            );
        }
        if calculator_evidence(dir).is_none() {
            eprintln!(
                "note: {} does not look like a calculator's storage memory (no @MainMem folder, no .g3a file); copying anyway, as asked",
                dir.display()
            );
        }
        return Ok(dir.to_path_buf());
    }
    let found = find_calculators(patterns);
    match found.len() {
        0 => bail!(
            "no calculator found: no mounted drive in {} holds a @MainMem folder or a .g3a file.\n\
             Connect the calculator with its USB cable, choose \"USB Flash\" on its \"Select Connection Mode\" \
             screen (F1), wait for the drive to be mounted, and try again; or give the mount point with --to DIR.",
            patterns.join(", ")
        ),
        1 => {
            let (dir, why) = &found[0];
            eprintln!("cargo-prizm: calculator found at {} ({why})", dir.display());
            Ok(dir.clone())
        }
        _ => bail!(
            "several drives look like a calculator:\n{}\nchoose one with --to DIR",
            found
                .iter()
                .map(|(dir, why)| format!("  {} ({why})", dir.display()))
                .collect::<Vec<_>>()
                .join("\n")
        ),
    }
}

/// Copies `g3a` into `dir` as `file_name`, checking the free space first,
/// then reads the copy back and compares. Returns the copy's path.
pub fn copy_verified(
    g3a: &[u8],
    dir: &Path,
    file_name: &str,
    space: &dyn FreeSpace,
) -> Result<PathBuf> {
    let target = dir.join(file_name);
    // A file being replaced frees its own space.
    let replaced = fs::metadata(&target).map(|m| m.len()).unwrap_or(0);
    let available = space
        .available_bytes(dir)
        .with_context(|| format!("cannot ask {} how much space it has free", dir.display()))?;
    let needed = g3a.len() as u64;
    if available.saturating_add(replaced) < needed {
        bail!(
            "not enough space on {}: the add-in needs {} KiB, {} KiB are free{}.\n\
             Delete files you do not need on the calculator (MEMORY app, or on the drive) and try again.",
            dir.display(),
            needed.div_ceil(1024),
            available / 1024,
            if replaced > 0 {
                format!(" (plus {} KiB of the copy it replaces)", replaced.div_ceil(1024))
            } else {
                String::new()
            }
        );
    }
    let result = write_and_sync(&target, g3a);
    if let Err(error) = result {
        let _ = fs::remove_file(&target);
        return Err(error).with_context(|| format!("copying to {} failed", target.display()));
    }
    let back =
        fs::read(&target).with_context(|| format!("cannot read back {}", target.display()))?;
    if back != g3a {
        let at = back
            .iter()
            .zip(g3a)
            .position(|(a, b)| a != b)
            .unwrap_or_else(|| back.len().min(g3a.len()));
        return Err(anyhow!(
            "the copy at {} differs from the add-in from byte {at} on ({} bytes read back, {} written): \
             the drive may have been disconnected; copy again",
            target.display(),
            back.len(),
            g3a.len()
        ));
    }
    Ok(target)
}

fn write_and_sync(path: &Path, bytes: &[u8]) -> Result<()> {
    let mut file = fs::File::create(path)?;
    file.write_all(bytes)?;
    // Flushed to the device before we read back and say it is done.
    file.sync_all()?;
    Ok(())
}

/// The block device mounted at `dir`, from /proc/mounts (Linux).
pub fn device_of_mount(dir: &Path) -> Option<String> {
    let mounts = fs::read_to_string("/proc/mounts").ok()?;
    let dir = dir.canonicalize().ok()?;
    mounts
        .lines()
        .filter_map(|line| {
            let mut fields = line.split_whitespace();
            Some((fields.next()?, fields.next()?))
        })
        // /proc/mounts escapes spaces as \040.
        .find(|(_, point)| Path::new(&point.replace("\\040", " ")) == dir)
        .map(|(device, _)| device.to_owned())
        .filter(|device| device.starts_with("/dev/"))
}

/// What to do after copying: eject, unplug, find the add-in.
pub fn after_copy_advice(dir: &Path, menu_name: &str) -> String {
    let eject = match device_of_mount(dir) {
        Some(device) => format!(
            "  udisksctl unmount -b {device} && udisksctl power-off -b {device}\n  (or: eject {device}, or Eject in your file manager)"
        ),
        None => format!(
            "  eject the drive with your file manager (Linux: udisksctl unmount -b /dev/sdX, with the device mounted at {})",
            dir.display()
        ),
    };
    format!(
        "Eject the calculator before unplugging the cable, so every byte is written:\n{eject}\n\
         Then unplug it. The calculator updates its storage memory first (it says so on screen); after that \
         \"{menu_name}\" is in the main menu (MENU key), usually after the built-in apps.\n\
         Not there? The file must sit at the root of the drive, end in .g3a, and the calculator must have \
         finished updating; two add-ins with the same internal name clash, so give each its own internal-name."
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Fixed(u64);
    impl FreeSpace for Fixed {
        fn available_bytes(&self, _: &Path) -> io::Result<u64> {
            Ok(self.0)
        }
    }

    #[test]
    fn evidence_is_a_mainmem_folder_or_an_addin() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(calculator_evidence(dir.path()), None);
        fs::write(dir.path().join("notes.txt"), "x").unwrap();
        assert_eq!(calculator_evidence(dir.path()), None);
        fs::write(dir.path().join("Geometry.G3A"), "x").unwrap();
        assert!(calculator_evidence(dir.path()).unwrap().contains(".g3a"));
        let other = tempfile::tempdir().unwrap();
        fs::create_dir(other.path().join("@MAINMEM")).unwrap();
        assert!(calculator_evidence(other.path())
            .unwrap()
            .contains("@MAINMEM"));
    }

    #[test]
    fn discovery_finds_none_one_or_several() {
        let media = tempfile::tempdir().unwrap();
        let pattern = vec![format!("{}/*/*", media.path().display())];
        let error = choose_destination(None, &pattern).unwrap_err().to_string();
        assert!(error.contains("no calculator found"), "{error}");
        assert!(error.contains("--to"), "{error}");

        let calc = media.path().join("user/CASIO");
        fs::create_dir_all(calc.join("@MainMem")).unwrap();
        fs::create_dir_all(media.path().join("user/USBSTICK")).unwrap();
        assert_eq!(
            choose_destination(None, &pattern).unwrap(),
            calc.canonicalize().unwrap()
        );

        let second = media.path().join("user/CASIO2");
        fs::create_dir_all(&second).unwrap();
        fs::write(second.join("Conics.g3a"), "x").unwrap();
        let error = choose_destination(None, &pattern).unwrap_err().to_string();
        assert!(error.contains("several drives"), "{error}");
        assert!(
            error.contains("CASIO2") && error.contains("--to DIR"),
            "{error}"
        );
    }

    #[test]
    fn copy_checks_space_and_reads_back() {
        let dir = tempfile::tempdir().unwrap();
        let bytes = vec![0x5A; 40_000];
        let error = copy_verified(&bytes, dir.path(), "demo.g3a", &Fixed(10_000))
            .unwrap_err()
            .to_string();
        assert!(error.contains("not enough space"), "{error}");
        assert!(
            error.contains("40 KiB") && error.contains("9 KiB are free"),
            "{error}"
        );
        assert!(!dir.path().join("demo.g3a").exists());

        let copy = copy_verified(&bytes, dir.path(), "demo.g3a", &Fixed(1 << 30)).unwrap();
        assert_eq!(fs::read(&copy).unwrap(), bytes);
        // Replacing the same file needs only the difference.
        let bigger = vec![0x33; 45_000];
        copy_verified(&bigger, dir.path(), "demo.g3a", &Fixed(6_000)).unwrap();
        assert_eq!(fs::read(&copy).unwrap(), bigger);
    }
}
