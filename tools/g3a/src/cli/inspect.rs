//! `g3a info`, `g3a verify`, `g3a unpack` and `g3a icon`.

use std::fs;
use std::path::Path;
use std::process::ExitCode;

use anyhow::{Context, Result};
use g3a::metadata::{unpacked_files, Metadata};
use g3a::{checksum, layout, Checksum16, G3a, Icon, Language, Report};
use prizm_platform::bytes::{read_u16, read_u32};
use serde::Serialize;

use super::files;
use super::{out, warning};
use crate::IconArgs;

fn read_g3a(path: &Path) -> Result<(Vec<u8>, G3a)> {
    let bytes = files::read(path)?;
    let g3a = g3a::parse(&bytes).with_context(|| path.display().to_string())?;
    Ok((bytes, g3a))
}

#[derive(Serialize)]
struct Info<'a> {
    file: String,
    file_size: usize,
    name: &'a str,
    names: std::collections::BTreeMap<&'static str, &'a str>,
    internal_name: &'a str,
    version: &'a str,
    date: &'a str,
    filename: &'a str,
    eactivity: bool,
    payload_size: usize,
    checksum16: ChecksumInfo,
    checksum32: ChecksumInfo,
    trailer: String,
    preserved_header_runs: usize,
    valid: bool,
    errors: usize,
    notes: usize,
}

#[derive(Serialize)]
struct ChecksumInfo {
    stored: String,
    computed: String,
}

fn be32(bytes: &[u8], at: usize) -> u32 {
    read_u32(bytes, at).unwrap_or(0)
}

/// Runs `g3a info`.
pub fn info(path: &Path, json: bool) -> Result<ExitCode> {
    let (bytes, g3a) = read_g3a(path)?;
    let report = g3a::verify(&bytes);
    let stored16 = read_u16(&bytes, layout::CHECKSUM16_OFFSET).unwrap_or(0);
    let info = Info {
        file: path.display().to_string(),
        file_size: bytes.len(),
        name: &g3a.names.basic,
        names: Language::ALL
            .into_iter()
            .map(|l| (l.code(), g3a.names.get(l)))
            .collect(),
        internal_name: &g3a.internal_name,
        version: &g3a.version,
        date: &g3a.date,
        filename: &g3a.filename,
        eactivity: g3a.eactivity,
        payload_size: g3a.payload.len(),
        checksum16: ChecksumInfo {
            stored: format!("{stored16:#06X}"),
            computed: format!("{:#06X}", checksum::checksum16(&bytes)),
        },
        checksum32: ChecksumInfo {
            stored: format!("{:#010X}", be32(&bytes, layout::CHECKSUM32_OFFSET)),
            computed: format!("{:#010X}", checksum::checksum32(&bytes)),
        },
        trailer: format!("{:#010X}", be32(&bytes, bytes.len() - layout::TRAILER_LEN)),
        preserved_header_runs: g3a.header_patches.len(),
        valid: report.is_valid(),
        errors: report.errors().count(),
        notes: report.notes().count(),
    };
    if json {
        out!("{}", serde_json::to_string_pretty(&info)?);
        return Ok(ExitCode::SUCCESS);
    }
    let shown = |s: &str| {
        if s.is_empty() {
            "(empty)".to_owned()
        } else {
            s.to_owned()
        }
    };
    out!("File:            {} ({} bytes)", info.file, info.file_size);
    out!("Name:            {}", shown(info.name));
    for (code, name) in &info.names {
        if name != &info.name {
            out!(
                "  name ({code}):{:width$}{}",
                "",
                shown(name),
                width = 7 - code.len()
            );
        }
    }
    if info.names.values().all(|n| n == &info.name) {
        out!("  (same name in all 8 language slots)");
    }
    out!("Internal name:   {}", shown(info.internal_name));
    out!("Version:         {}", shown(info.version));
    out!("Date:            {}", shown(info.date));
    out!("Stored filename: {}", shown(info.filename));
    out!(
        "eActivity strip: {}",
        if info.eactivity { "yes" } else { "no" }
    );
    out!("Payload:         {} bytes", info.payload_size);
    let status16 = match (g3a.checksum16, stored16 == checksum::checksum16(&bytes)) {
        (_, true) => "ok",
        (Checksum16::Zero, _) => "left 0, as mkg3a does",
        _ => "WRONG",
    };
    out!(
        "Checksum 16:     {} (computed {}, {status16})",
        info.checksum16.stored,
        info.checksum16.computed
    );
    let status32 = if info.checksum32.stored == info.checksum32.computed {
        "ok"
    } else {
        "WRONG"
    };
    out!(
        "Checksum 32:     {} (computed {}, {status32}); trailer {}",
        info.checksum32.stored,
        info.checksum32.computed,
        info.trailer
    );
    if info.preserved_header_runs > 0 {
        out!(
            "Other header:    {} run(s) of bytes outside the named fields",
            info.preserved_header_runs
        );
    }
    out!(
        "Verification:    {} ({} errors, {} notes; see `g3a verify`)",
        if info.valid { "valid" } else { "INVALID" },
        info.errors,
        info.notes
    );
    Ok(ExitCode::SUCCESS)
}

/// Runs `g3a verify`: exit 0 when valid, 1 when any check fails.
pub fn verify(path: &Path, all: bool, json: bool) -> Result<ExitCode> {
    let bytes = files::read(path)?;
    let report = g3a::verify(&bytes);
    if json {
        out!("{}", serde_json::to_string_pretty(&report)?);
    } else {
        print_report(path, &report, all);
    }
    Ok(if report.is_valid() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

fn print_report(path: &Path, report: &Report, all: bool) {
    for check in &report.checks {
        if all || check.status != g3a::Status::Ok {
            out!("{check}");
        }
    }
    out!("{}: {}", path.display(), report.summary());
}

/// Runs `g3a unpack`.
pub fn unpack(path: &Path, directory: &Path) -> Result<ExitCode> {
    let (bytes, g3a) = read_g3a(path)?;
    let report = g3a::verify(&bytes);
    if !report.is_valid() {
        warning!(
            "{} fails {} check(s); the unpacked files rebuild it with the derived fields corrected",
            path.display(),
            report.errors().count()
        );
    }
    let metadata = Metadata::from_g3a(&g3a);
    if let Err(e) = metadata.validate() {
        warning!(
            "{e}; `g3a pack --metadata` will refuse it until it is fixed in {}",
            unpacked_files::METADATA
        );
    }
    fs::create_dir_all(directory)
        .with_context(|| format!("cannot create {}", directory.display()))?;
    files::write_atomically(&directory.join(unpacked_files::PAYLOAD), &g3a.payload)?;
    files::write_atomically(
        &directory.join(unpacked_files::ICON_UNSELECTED),
        &g3a.icon_unselected.to_png(),
    )?;
    files::write_atomically(
        &directory.join(unpacked_files::ICON_SELECTED),
        &g3a.icon_selected.to_png(),
    )?;
    files::write_atomically(
        &directory.join(unpacked_files::METADATA),
        metadata.to_toml()?.as_bytes(),
    )?;
    Ok(ExitCode::SUCCESS)
}

/// Runs `g3a icon`.
pub fn icon(args: IconArgs) -> Result<ExitCode> {
    let (_, mut g3a) = read_g3a(&args.file)?;
    let load = |path: &Path| -> Result<Icon> {
        let png = files::read(path)?;
        Icon::from_png(&png, args.resize).with_context(|| path.display().to_string())
    };
    if let Some(path) = &args.unselected {
        g3a.icon_unselected = load(path)?;
    }
    if let Some(path) = &args.selected {
        g3a.icon_selected = load(path)?;
    }
    let bytes = g3a.to_bytes()?;
    files::write_atomically(args.output.as_deref().unwrap_or(&args.file), &bytes)?;
    Ok(ExitCode::SUCCESS)
}
