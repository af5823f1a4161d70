//! `g3a pack`: build an add-in from an ELF or raw binary.
//!
//! Each value is taken from the command line, else `--metadata`, else
//! `--manifest`, else a default. Command-line and manifest values are held
//! to what this tool writes (for example a conventional internal name);
//! metadata values only to what `g3a verify` accepts, so an unpacked file
//! with another tool's quirks rebuilds exactly.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{anyhow, bail, Context, Result};
use g3a::layout::{capacity, MAX_PAYLOAD_LEN};
use g3a::metadata::{ManifestSettings, Metadata};
use g3a::text::{self, InternalNameCheck};
use g3a::{default_icon, elf, Checksum16, G3a, Icon, Language};

use super::files::{self, directory_of, relative_to};
use super::warning;
use crate::PackArgs;

/// Runs `g3a pack`.
pub fn run(args: PackArgs) -> Result<ExitCode> {
    let manifest = args.manifest.as_deref().map(read_manifest).transpose()?;
    let metadata = args.metadata.as_deref().map(read_metadata).transpose()?;
    let g3a = build(&args, manifest.as_ref(), metadata.as_ref())?;
    let bytes = g3a.to_bytes()?;
    files::write_atomically(&args.output, &bytes)?;
    Ok(ExitCode::SUCCESS)
}

fn read_manifest(path: &Path) -> Result<ManifestSettings> {
    let bytes = files::read(path)?;
    let text =
        String::from_utf8(bytes).map_err(|_| anyhow!("{} is not UTF-8 text", path.display()))?;
    let settings = ManifestSettings::from_toml(&text, path)?;
    for key in settings.prizm.unknown.keys() {
        warning!(
            "{}: ignoring unknown key {key:?} in [package.metadata.prizm]",
            path.display()
        );
    }
    Ok(settings)
}

/// A metadata file and the directory its paths are relative to.
struct MetadataFile {
    metadata: Metadata,
    directory: PathBuf,
    path: PathBuf,
}

fn read_metadata(path: &Path) -> Result<MetadataFile> {
    let bytes = files::read(path)?;
    let text =
        String::from_utf8(bytes).map_err(|_| anyhow!("{} is not UTF-8 text", path.display()))?;
    let metadata = Metadata::from_toml(&text).with_context(|| path.display().to_string())?;
    metadata
        .validate()
        .with_context(|| path.display().to_string())?;
    Ok(MetadataFile {
        metadata,
        directory: directory_of(path),
        path: path.to_path_buf(),
    })
}

fn build(
    args: &PackArgs,
    manifest: Option<&ManifestSettings>,
    metadata: Option<&MetadataFile>,
) -> Result<G3a> {
    let payload = load_payload(args, metadata)?;
    let meta = metadata.map(|m| &m.metadata);
    let prizm = manifest.map(|m| &m.prizm);

    let name = match (&args.name, meta, prizm.and_then(|p| p.name.as_ref())) {
        (Some(name), _, _) => strict_name("--name", name, capacity::NAME)?,
        (None, Some(meta), _) => meta.name.clone(),
        (None, None, Some(name)) => {
            strict_name("[package.metadata.prizm] name", name, capacity::NAME)?
        }
        (None, None, None) => default_name(args, manifest),
    };

    let flags = [
        &args.name_en,
        &args.name_es,
        &args.name_de,
        &args.name_fr,
        &args.name_pt,
        &args.name_zh,
        &args.name_un1,
        &args.name_un2,
    ];
    let mut g3a = G3a::new(&name, payload);
    for (language, flag) in Language::ALL.into_iter().zip(flags) {
        let value = match (flag, meta, prizm.and_then(|p| p.names.get(language))) {
            (Some(value), _, _) => strict_name(
                &format!("--name-{}", language.code()),
                value,
                capacity::LOCALIZED_NAME,
            )?,
            (None, Some(meta), _) => meta
                .names
                .get(language)
                .cloned()
                .unwrap_or_else(|| name.clone()),
            (None, None, Some(value)) => strict_name(
                &format!("[package.metadata.prizm] names.{}", language.code()),
                value,
                capacity::LOCALIZED_NAME,
            )?,
            (None, None, None) => name.clone(),
        };
        g3a.names.set(language, value);
    }

    g3a.internal_name = match (
        &args.internal,
        meta,
        prizm.and_then(|p| p.internal_name.as_ref()),
    ) {
        (Some(internal), _, _) => strict_internal("--internal", internal)?,
        (None, Some(meta), _) => meta.internal_name.clone(),
        (None, None, Some(internal)) => {
            strict_internal("[package.metadata.prizm] internal-name", internal)?
        }
        (None, None, None) => text::default_internal_name(&name),
    };

    g3a.version = match (
        &args.version,
        meta,
        manifest.and_then(|m| m.version.as_ref()),
    ) {
        (Some(version), _, _) => {
            text::check_version(version).context("--version")?;
            version.clone()
        }
        (None, Some(meta), _) => meta.version.clone(),
        (None, None, Some(version)) => version.clone(),
        (None, None, None) => "01.00.0000".into(),
    };

    g3a.date = match (&args.date, meta) {
        (Some(date), _) => {
            text::check_date(date).context("--date")?;
            date.clone()
        }
        (None, Some(meta)) => meta.date.clone(),
        (None, None) => default_date()?,
    };

    g3a.filename = match (&args.filename, meta) {
        (Some(filename), _) => {
            if filename.is_empty() || filename.contains(['/', '\\']) {
                bail!("--filename: {filename:?} must be a plain, non-empty file name");
            }
            filename.clone()
        }
        (None, Some(meta)) => meta.filename.clone(),
        (None, None) => args
            .output
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .ok_or_else(|| anyhow!("--output {} has no file name", args.output.display()))?,
    };
    text::check_fits(&g3a.filename, capacity::FILENAME).context("stored file name (--filename)")?;

    g3a.eactivity = args.eactivity
        || meta.is_some_and(|m| m.eactivity)
        || prizm.and_then(|p| p.eactivity).unwrap_or(false);

    let unselected = icon_source(
        &args.icon_unselected,
        metadata.map(|m| (&m.directory, &m.metadata.icon_unselected)),
        manifest.and_then(|m| m.prizm.icon_unselected.as_ref().map(|p| (&m.directory, p))),
    );
    let selected = icon_source(
        &args.icon_selected,
        metadata.map(|m| (&m.directory, &m.metadata.icon_selected)),
        manifest.and_then(|m| m.prizm.icon_selected.as_ref().map(|p| (&m.directory, p))),
    );
    let (default_unselected, default_selected) = default_icon::default_icons(&name);
    let unselected = unselected
        .map(|path| load_icon(&path, args.resize))
        .transpose()?;
    let selected = selected
        .map(|path| load_icon(&path, args.resize))
        .transpose()?;
    (g3a.icon_unselected, g3a.icon_selected) = match (unselected, selected) {
        (Some(unselected), Some(selected)) => (unselected, selected),
        (Some(unselected), None) => {
            let selected = default_icon::highlighted(&unselected);
            (unselected, selected)
        }
        (None, Some(selected)) => (selected.clone(), selected),
        (None, None) => (default_unselected, default_selected),
    };

    if let Some(metadata) = metadata {
        g3a.checksum16 = metadata.metadata.checksum16;
        g3a.header_patches = metadata
            .metadata
            .header_patches()
            .with_context(|| metadata.path.display().to_string())?;
    } else {
        g3a.checksum16 = Checksum16::Computed;
    }
    Ok(g3a)
}

fn load_payload(args: &PackArgs, metadata: Option<&MetadataFile>) -> Result<Vec<u8>> {
    let payload = match (&args.input, metadata) {
        (Some(input), _) => {
            let bytes = files::read(input)?;
            if args.raw {
                bytes
            } else if elf::is_elf(&bytes) {
                elf::payload_from_elf(&bytes)
                    .map_err(g3a::Error::from)
                    .with_context(|| input.display().to_string())?
            } else {
                bail!(
                    "{} is not an ELF file; pass --raw to package a flat binary",
                    input.display()
                );
            }
        }
        (None, Some(metadata)) => files::read(&relative_to(
            &metadata.directory,
            &metadata.metadata.payload,
        ))?,
        (None, None) => {
            bail!("no input: give an ELF file (or --raw binary), or --metadata DIR/g3a.toml")
        }
    };
    if payload.len() > MAX_PAYLOAD_LEN {
        bail!(
            "payload is {} bytes, more than the {MAX_PAYLOAD_LEN}-byte (2 MiB) add-in ROM window",
            payload.len()
        );
    }
    Ok(payload)
}

fn icon_source(
    flag: &Option<PathBuf>,
    metadata: Option<(&PathBuf, &PathBuf)>,
    manifest: Option<(&PathBuf, &PathBuf)>,
) -> Option<PathBuf> {
    match (flag, metadata, manifest) {
        (Some(path), _, _) => Some(path.clone()),
        (None, Some((base, path)), _) | (None, None, Some((base, path))) => {
            Some(relative_to(base, path))
        }
        (None, None, None) => None,
    }
}

fn load_icon(path: &Path, resize: bool) -> Result<Icon> {
    let bytes = files::read(path)?;
    Icon::from_png(&bytes, resize).with_context(|| path.display().to_string())
}

/// The name when none is given: the package name, else the output file's stem,
/// cut to 15 bytes.
fn default_name(args: &PackArgs, manifest: Option<&ManifestSettings>) -> String {
    let source = manifest
        .and_then(|m| m.package_name.clone())
        .or_else(|| {
            args.output
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
        })
        .unwrap_or_else(|| "Add-in".into());
    let mut name: String = source.chars().filter(|c| !c.is_control()).collect();
    while name.len() > capacity::NAME {
        name.pop();
    }
    if name.is_empty() {
        "Add-in".into()
    } else {
        name
    }
}

fn strict_name(source: &str, name: &str, capacity: usize) -> Result<String> {
    if name.is_empty() {
        bail!("{source}: the name is empty");
    }
    if name.chars().any(char::is_control) {
        bail!("{source}: {name:?} contains control characters");
    }
    if name.len() > capacity {
        bail!(
            "{source}: {name:?} is {} bytes; at most {capacity} fit",
            name.len()
        );
    }
    Ok(name.to_owned())
}

fn strict_internal(source: &str, internal: &str) -> Result<String> {
    match text::check_internal_name(internal) {
        InternalNameCheck::Conventional => Ok(internal.to_owned()),
        InternalNameCheck::Unusual(why) | InternalNameCheck::Invalid(why) => {
            bail!("{source}: {why}; use '@' and 1-9 of A-Z 0-9 _ (for example @HELLO)")
        }
    }
}

/// `SOURCE_DATE_EPOCH` (for reproducible builds) or the current time, in UTC.
fn default_date() -> Result<String> {
    let seconds = match std::env::var("SOURCE_DATE_EPOCH") {
        Ok(value) => value
            .trim()
            .parse::<i64>()
            .map_err(|_| anyhow!("SOURCE_DATE_EPOCH={value:?} is not a number of seconds"))?,
        Err(std::env::VarError::NotUnicode(_)) => {
            bail!("SOURCE_DATE_EPOCH is not a number of seconds")
        }
        Err(std::env::VarError::NotPresent) => {
            let now = std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map(|d| d.as_secs())
                .unwrap_or(0);
            i64::try_from(now).unwrap_or(i64::MAX)
        }
    };
    Ok(text::format_date_utc(seconds))
}
