//! Packing a linked add-in into a `.g3a` with the settings of its
//! `[package.metadata.prizm]` table (the same defaults as `g3a pack
//! --manifest`: the package name, `@NAME`, the package version, drawn icons).

use std::path::Path;

use anyhow::{anyhow, bail, Context, Result};
use g3a::layout::{capacity, ROM_BASE};
use g3a::metadata::ManifestSettings;
use g3a::text::{self, InternalNameCheck};
use g3a::{default_icon, elf, Checksum16, G3a, Icon, Language};

/// Reads the manifest's settings, warning about keys the packager ignores.
pub fn read_settings(manifest: &Path) -> Result<ManifestSettings> {
    let text = std::fs::read_to_string(manifest)
        .with_context(|| format!("cannot read {}", manifest.display()))?;
    let settings = ManifestSettings::from_toml(&text, manifest)?;
    for key in settings.prizm.unknown.keys() {
        eprintln!(
            "warning: {}: ignoring unknown key {key:?} in [package.metadata.prizm]",
            manifest.display()
        );
    }
    Ok(settings)
}

/// The entry point an ELF declares.
pub fn entry_point(elf_bytes: &[u8]) -> Option<u32> {
    elf_bytes
        .get(24..28)
        .and_then(|b| b.try_into().ok())
        .map(u32::from_be_bytes)
}

/// Builds the add-in file for the ELF at `elf_path`; `file_name` is the
/// name stored in its header (the name it will have on the calculator).
pub fn g3a_from_elf(
    elf_path: &Path,
    settings: &ManifestSettings,
    file_name: &str,
) -> Result<Vec<u8>> {
    let bytes =
        std::fs::read(elf_path).with_context(|| format!("cannot read {}", elf_path.display()))?;
    if entry_point(&bytes) != Some(ROM_BASE) {
        bail!(
            "{}: the entry point is {}, not {ROM_BASE:#x}; the add-in was not linked with the toolkit's \
             link.ld (check .cargo/config.toml: it should include the toolkit's configuration)",
            elf_path.display(),
            entry_point(&bytes)
                .map(|e| format!("{e:#x}"))
                .unwrap_or_else(|| "unreadable".into())
        );
    }
    let payload = elf::payload_from_elf(&bytes).with_context(|| elf_path.display().to_string())?;
    let g3a = build(settings, payload, file_name)?;
    Ok(g3a.to_bytes()?)
}

fn build(settings: &ManifestSettings, payload: Vec<u8>, file_name: &str) -> Result<G3a> {
    let prizm = &settings.prizm;
    let name = match &prizm.name {
        Some(name) => checked_name("name", name, capacity::NAME)?,
        None => {
            let mut name = settings
                .package_name
                .clone()
                .unwrap_or_else(|| "Add-in".into());
            while name.len() > capacity::NAME {
                name.pop();
            }
            name
        }
    };
    let mut g3a = G3a::new(&name, payload);
    for language in Language::ALL {
        let localized = match prizm.names.get(language) {
            Some(value) => checked_name(
                &format!("names.{}", language.code()),
                value,
                capacity::LOCALIZED_NAME,
            )?,
            None => name.clone(),
        };
        g3a.names.set(language, localized);
    }
    g3a.internal_name = match &prizm.internal_name {
        Some(internal) => match text::check_internal_name(internal) {
            InternalNameCheck::Conventional => internal.clone(),
            InternalNameCheck::Unusual(why) | InternalNameCheck::Invalid(why) => bail!(
                "[package.metadata.prizm] internal-name: {why}; use '@' and 1-9 of A-Z 0-9 _ (for example @HELLO)"
            ),
        },
        None => text::default_internal_name(&name),
    };
    g3a.version = settings
        .version
        .clone()
        .unwrap_or_else(|| "01.00.0000".into());
    g3a.date = text::format_date_utc(build_time()?);
    text::check_fits(file_name, capacity::FILENAME)
        .map_err(|e| anyhow!("the file name {file_name:?}: {}", e.0))?;
    g3a.filename = file_name.to_owned();
    g3a.eactivity = prizm.eactivity.unwrap_or(false);

    let load = |path: &Path| -> Result<Icon> {
        let full = settings.directory.join(path);
        let bytes =
            std::fs::read(&full).with_context(|| format!("cannot read icon {}", full.display()))?;
        Icon::from_png(&bytes, false).with_context(|| full.display().to_string())
    };
    let unselected = prizm.icon_unselected.as_deref().map(load).transpose()?;
    let selected = prizm.icon_selected.as_deref().map(load).transpose()?;
    (g3a.icon_unselected, g3a.icon_selected) = match (unselected, selected) {
        (Some(unselected), Some(selected)) => (unselected, selected),
        (Some(unselected), None) => {
            let selected = default_icon::highlighted(&unselected);
            (unselected, selected)
        }
        (None, Some(selected)) => (selected.clone(), selected),
        (None, None) => default_icon::default_icons(&name),
    };
    g3a.checksum16 = Checksum16::Computed;
    Ok(g3a)
}

fn checked_name(key: &str, name: &str, capacity: usize) -> Result<String> {
    if name.is_empty() || name.chars().any(char::is_control) || name.len() > capacity {
        bail!(
            "[package.metadata.prizm] {key} = {name:?}: a name is 1 to {capacity} bytes without control characters"
        );
    }
    Ok(name.to_owned())
}

/// `SOURCE_DATE_EPOCH` (reproducible builds) or now, in Unix seconds.
fn build_time() -> Result<i64> {
    match std::env::var("SOURCE_DATE_EPOCH") {
        Ok(value) => value
            .trim()
            .parse()
            .map_err(|_| anyhow!("SOURCE_DATE_EPOCH={value:?} is not a number of seconds")),
        Err(_) => Ok(std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
            .unwrap_or(0)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings(text: &str) -> ManifestSettings {
        ManifestSettings::from_toml(text, Path::new("/nowhere/Cargo.toml")).unwrap()
    }

    #[test]
    fn defaults_come_from_the_package() {
        let s = settings(
            "[package]\nname = \"my-addin\"\nversion = \"1.2.3\"\n[package.metadata.prizm]\n",
        );
        let g3a = build(&s, vec![0, 9], "my-addin.g3a").unwrap();
        assert_eq!(g3a.names.basic, "my-addin");
        assert_eq!(g3a.internal_name, "@MYADDIN");
        assert_eq!(g3a.version, "01.02.0003");
        assert_eq!(g3a.filename, "my-addin.g3a");
        let bytes = g3a.to_bytes().unwrap();
        assert!(g3a::verify(&bytes).is_valid());
    }

    #[test]
    fn bad_settings_are_named() {
        let s = settings(
            "[package]\nname = \"a\"\n[package.metadata.prizm]\ninternal-name = \"NOAT\"\n",
        );
        let error = build(&s, vec![0, 9], "a.g3a").unwrap_err().to_string();
        assert!(error.contains("internal-name"), "{error}");
        let s = settings(
            "[package]\nname = \"a\"\n[package.metadata.prizm]\nname = \"a name far too long\"\n",
        );
        let error = build(&s, vec![0, 9], "a.g3a").unwrap_err().to_string();
        assert!(error.contains("1 to 15 bytes"), "{error}");
        let s = settings(
            "[package]\nname = \"a\"\n[package.metadata.prizm]\nicon-selected = \"missing.png\"\n",
        );
        let error = build(&s, vec![0, 9], "a.g3a").unwrap_err().to_string();
        assert!(error.contains("missing.png"), "{error}");
    }

    #[test]
    fn a_foreign_elf_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("x.elf");
        std::fs::write(&path, b"\x7fELF not really").unwrap();
        let s = settings("[package]\nname = \"a\"\n[package.metadata.prizm]\n");
        let error = g3a_from_elf(&path, &s, "a.g3a").unwrap_err().to_string();
        assert!(error.contains("not 0x300000"), "{error}");
    }
}
