//! Settings files: the `g3a.toml` written by `g3a unpack` (which rebuilds a
//! file byte for byte) and the `[package.metadata.prizm]` table of a Cargo
//! manifest.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::model::{Checksum16, G3a, HeaderPatch, Language};
use crate::text::{self, InternalNameCheck};
use crate::{Error, Icon};

/// Localized names by slot; unset slots take the basic name.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(missing_docs)] // one field per language slot, named by its code
pub struct LocalizedNames {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub en: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub es: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub de: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fr: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pt: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub zh: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub un1: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub un2: Option<String>,
}

impl LocalizedNames {
    /// The name set for one slot, if any.
    pub fn get(&self, language: Language) -> Option<&String> {
        let slots = [
            &self.en, &self.es, &self.de, &self.fr, &self.pt, &self.zh, &self.un1, &self.un2,
        ];
        slots[language.index()].as_ref()
    }

    /// Sets the name for one slot.
    pub fn set(&mut self, language: Language, name: String) {
        let slots = [
            &mut self.en,
            &mut self.es,
            &mut self.de,
            &mut self.fr,
            &mut self.pt,
            &mut self.zh,
            &mut self.un1,
            &mut self.un2,
        ];
        if let Some(slot) = slots.into_iter().nth(language.index()) {
            *slot = Some(name);
        }
    }
}

/// Raw header bytes as written in `g3a.toml`: a hex offset and hex bytes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawHeaderBytes {
    /// Header offset, `0x`-prefixed hex or decimal.
    pub offset: String,
    /// The bytes, as hex digits (spaces allowed).
    pub hex: String,
}

impl RawHeaderBytes {
    fn from_patch(patch: &HeaderPatch) -> RawHeaderBytes {
        RawHeaderBytes {
            offset: format!("{:#06x}", patch.offset),
            hex: patch.bytes.iter().map(|b| format!("{b:02x}")).collect(),
        }
    }

    fn to_patch(&self) -> Result<HeaderPatch, Error> {
        let bad = |what: &str| Error::Metadata(format!("header-bytes: {what}"));
        let offset = match self
            .offset
            .strip_prefix("0x")
            .or_else(|| self.offset.strip_prefix("0X"))
        {
            Some(hex) => usize::from_str_radix(hex, 16),
            None => self.offset.parse(),
        }
        .map_err(|_| bad(&format!("bad offset {:?}", self.offset)))?;
        let digits: Vec<u8> = self
            .hex
            .bytes()
            .filter(|b| !b.is_ascii_whitespace())
            .collect();
        if digits.len() % 2 != 0 {
            return Err(bad(&format!(
                "odd number of hex digits at offset {}",
                self.offset
            )));
        }
        let bytes = digits
            .chunks(2)
            .map(|pair| {
                std::str::from_utf8(pair)
                    .ok()
                    .and_then(|s| u8::from_str_radix(s, 16).ok())
                    .ok_or_else(|| bad(&format!("bad hex at offset {}", self.offset)))
            })
            .collect::<Result<Vec<u8>, Error>>()?;
        Ok(HeaderPatch { offset, bytes })
    }
}

/// The `g3a.toml` written by `g3a unpack`: every value needed to rebuild the
/// file exactly. Paths are relative to the file's directory.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct Metadata {
    /// Payload file.
    pub payload: PathBuf,
    /// Unselected icon (92×64 PNG).
    pub icon_unselected: PathBuf,
    /// Selected icon (92×64 PNG).
    pub icon_selected: PathBuf,
    /// Basic name.
    pub name: String,
    /// Internal name.
    pub internal_name: String,
    /// Version (may be empty).
    pub version: String,
    /// Date (may be empty).
    pub date: String,
    /// Stored file name (may be empty).
    pub filename: String,
    /// eActivity-strip flag.
    pub eactivity: bool,
    /// Whether the 16-bit checksum is computed or left 0.
    pub checksum16: Checksum16,
    /// Localized names.
    pub names: LocalizedNames,
    /// Header bytes the fields above do not produce.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub header_bytes: Vec<RawHeaderBytes>,
}

/// File names `g3a unpack` writes next to the metadata.
pub mod unpacked_files {
    /// The metadata file.
    pub const METADATA: &str = "g3a.toml";
    /// The payload.
    pub const PAYLOAD: &str = "payload.bin";
    /// The unselected icon.
    pub const ICON_UNSELECTED: &str = "icon-unselected.png";
    /// The selected icon.
    pub const ICON_SELECTED: &str = "icon-selected.png";
}

impl Metadata {
    /// Describes `g3a`, naming the payload and icons as `g3a unpack` writes them.
    pub fn from_g3a(g3a: &G3a) -> Metadata {
        let mut names = LocalizedNames::default();
        for language in Language::ALL {
            names.set(language, g3a.names.get(language).to_owned());
        }
        Metadata {
            payload: unpacked_files::PAYLOAD.into(),
            icon_unselected: unpacked_files::ICON_UNSELECTED.into(),
            icon_selected: unpacked_files::ICON_SELECTED.into(),
            name: g3a.names.basic.clone(),
            internal_name: g3a.internal_name.clone(),
            version: g3a.version.clone(),
            date: g3a.date.clone(),
            filename: g3a.filename.clone(),
            eactivity: g3a.eactivity,
            checksum16: g3a.checksum16,
            names,
            header_bytes: g3a
                .header_patches
                .iter()
                .map(RawHeaderBytes::from_patch)
                .collect(),
        }
    }

    /// The TOML text, with a comment saying how to rebuild.
    pub fn to_toml(&self) -> Result<String, Error> {
        let body = toml::to_string(self)
            .map_err(|e| Error::Metadata(format!("cannot write metadata: {e}")))?;
        Ok(format!(
            "# Written by `g3a unpack`. Rebuild the add-in byte for byte with\n\
             #   g3a pack --metadata g3a.toml -o OUT.g3a\n\
             # header-bytes are raw header bytes the named fields do not produce.\n\n{body}"
        ))
    }

    /// Parses `g3a.toml` text.
    pub fn from_toml(text: &str) -> Result<Metadata, Error> {
        toml::from_str(text)
            .map_err(|e| Error::Metadata(format!("bad metadata: {}", one_line(&e.to_string()))))
    }

    /// The header patches, checked for syntax.
    pub fn header_patches(&self) -> Result<Vec<HeaderPatch>, Error> {
        self.header_bytes
            .iter()
            .map(RawHeaderBytes::to_patch)
            .collect()
    }

    /// Builds the add-in these settings describe, given the payload and icons
    /// (which the metadata names by path). Localized names left out take the
    /// basic name.
    pub fn to_g3a(
        &self,
        payload: Vec<u8>,
        icon_unselected: Icon,
        icon_selected: Icon,
    ) -> Result<G3a, Error> {
        self.validate()?;
        let mut g3a = G3a::new(&self.name, payload);
        for language in Language::ALL {
            g3a.names.set(
                language,
                self.names
                    .get(language)
                    .cloned()
                    .unwrap_or_else(|| self.name.clone()),
            );
        }
        g3a.internal_name = self.internal_name.clone();
        g3a.version = self.version.clone();
        g3a.date = self.date.clone();
        g3a.filename = self.filename.clone();
        g3a.eactivity = self.eactivity;
        g3a.icon_unselected = icon_unselected;
        g3a.icon_selected = icon_selected;
        g3a.checksum16 = self.checksum16;
        g3a.header_patches = self.header_patches()?;
        Ok(g3a)
    }

    /// Checks the values the way [`crate::verify`] would: anything it would
    /// call an error is refused; what it accepts (empty version, date or
    /// file name, unusual internal names) is kept as is.
    pub fn validate(&self) -> Result<(), Error> {
        if let InternalNameCheck::Invalid(why) = text::check_internal_name(&self.internal_name) {
            return Err(Error::Metadata(why));
        }
        if !self.version.is_empty() {
            text::check_version(&self.version).map_err(|e| Error::Metadata(e.0))?;
        }
        if !self.date.is_empty() {
            text::check_date(&self.date).map_err(|e| Error::Metadata(e.0))?;
        }
        Ok(())
    }
}

/// The `[package.metadata.prizm]` table of a Cargo manifest.
///
/// ```toml
/// [package.metadata.prizm]
/// name = "Hello"
/// internal-name = "@HELLO"
/// version = "01.02.0003"      # default: the package version as MM.mm.pppp
/// icon-unselected = "icons/unselected.png"
/// icon-selected = "icons/selected.png"
/// eactivity = false
/// names = { de = "Hallo", fr = "Salut" }
/// ```
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub struct PrizmSettings {
    /// Basic name.
    pub name: Option<String>,
    /// Internal name.
    pub internal_name: Option<String>,
    /// Version, `MM.mm.pppp` (a `1.2.3` version is converted).
    pub version: Option<String>,
    /// Unselected icon PNG, relative to the manifest.
    pub icon_unselected: Option<PathBuf>,
    /// Selected icon PNG, relative to the manifest.
    pub icon_selected: Option<PathBuf>,
    /// Localized names.
    #[serde(default)]
    pub names: LocalizedNames,
    /// eActivity-strip flag.
    pub eactivity: Option<bool>,
    /// Keys this tool does not know (reported as warnings).
    #[serde(flatten)]
    pub unknown: BTreeMap<String, toml::Value>,
}

/// What a Cargo manifest contributes to packing.
#[derive(Debug, Clone, PartialEq)]
pub struct ManifestSettings {
    /// The `[package.metadata.prizm]` table (empty if absent).
    pub prizm: PrizmSettings,
    /// `package.name`, if present.
    pub package_name: Option<String>,
    /// The version to use: `prizm.version` or the package version, as `MM.mm.pppp`.
    pub version: Option<String>,
    /// Directory of the manifest, which relative icon paths start from.
    pub directory: PathBuf,
}

#[derive(Deserialize)]
struct Manifest {
    package: Option<Package>,
}

#[derive(Deserialize)]
struct Package {
    name: Option<String>,
    version: Option<toml::Value>,
    metadata: Option<PackageMetadata>,
}

#[derive(Deserialize)]
struct PackageMetadata {
    prizm: Option<PrizmSettings>,
}

impl ManifestSettings {
    /// Reads the settings from manifest text; `path` locates icons and
    /// appears in messages.
    pub fn from_toml(text: &str, path: &Path) -> Result<ManifestSettings, Error> {
        let shown = path.display();
        let manifest: Manifest = toml::from_str(text)
            .map_err(|e| Error::Metadata(format!("{shown}: {}", one_line(&e.to_string()))))?;
        let package = manifest
            .package
            .ok_or_else(|| Error::Metadata(format!("{shown}: no [package] table")))?;
        let prizm = package.metadata.and_then(|m| m.prizm).unwrap_or_default();
        let version = match (&prizm.version, &package.version) {
            (Some(version), _) if text::check_version(version).is_ok() => Some(version.clone()),
            (Some(version), _) => Some(
                text::version_from_semver(version)
                    .map_err(|_| Error::Metadata(format!(
                        "{shown}: [package.metadata.prizm] version {version:?} is neither MM.mm.pppp nor major.minor.patch"
                    )))?,
            ),
            (None, Some(toml::Value::String(version))) => {
                Some(text::version_from_semver(version).map_err(|e| Error::Metadata(format!("{shown}: {e}")))?)
            }
            (None, Some(_)) => {
                return Err(Error::Metadata(format!(
                    "{shown}: the package version is inherited from the workspace; set version in [package.metadata.prizm]"
                )))
            }
            (None, None) => None,
        };
        let directory = path.parent().map(Path::to_path_buf).unwrap_or_default();
        Ok(ManifestSettings {
            prizm,
            package_name: package.name,
            version,
            directory,
        })
    }
}

/// Collapses a multi-line parser message (TOML errors quote the source) to one line.
fn one_line(message: &str) -> String {
    message.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn metadata_round_trips_through_toml() {
        let mut g3a = G3a::new("Sample", vec![1, 2, 3]);
        g3a.version = String::new();
        g3a.checksum16 = Checksum16::Zero;
        g3a.header_patches.push(HeaderPatch {
            offset: 0x170,
            bytes: vec![0xAB, 0x00, 0x01],
        });
        let metadata = Metadata::from_g3a(&g3a);
        let text = metadata.to_toml().unwrap();
        assert!(text.contains("checksum16 = \"zero\""), "{text}");
        assert!(text.contains("offset = \"0x0170\""), "{text}");
        let back = Metadata::from_toml(&text).unwrap();
        assert_eq!(back, metadata);
        assert_eq!(back.header_patches().unwrap(), g3a.header_patches);
        let rebuilt = back
            .to_g3a(
                g3a.payload.clone(),
                g3a.icon_unselected.clone(),
                g3a.icon_selected.clone(),
            )
            .unwrap();
        assert_eq!(rebuilt, g3a);
    }

    #[test]
    fn bad_metadata() {
        assert!(Metadata::from_toml("payload = 3").is_err());
        let patch = RawHeaderBytes {
            offset: "0x10".into(),
            hex: "abc".into(),
        };
        assert!(patch.to_patch().is_err());
        let patch = RawHeaderBytes {
            offset: "zz".into(),
            hex: "ab".into(),
        };
        assert!(patch.to_patch().is_err());
        let patch = RawHeaderBytes {
            offset: "16".into(),
            hex: "a b".into(),
        };
        assert_eq!(
            patch.to_patch().unwrap(),
            HeaderPatch {
                offset: 16,
                bytes: vec![0xAB]
            }
        );
        let patch = RawHeaderBytes {
            offset: "16".into(),
            hex: "ñ1".into(),
        };
        assert!(patch.to_patch().is_err());
    }

    #[test]
    fn manifest_settings() {
        let text = r#"
            [package]
            name = "hello"
            version = "1.2.3"
            [package.metadata.prizm]
            name = "Hello"
            icon-selected = "icons/sel.png"
            names = { de = "Hallo" }
            future-key = 1
        "#;
        let settings = ManifestSettings::from_toml(text, Path::new("/x/Cargo.toml")).unwrap();
        assert_eq!(settings.version.as_deref(), Some("01.02.0003"));
        assert_eq!(settings.prizm.name.as_deref(), Some("Hello"));
        assert_eq!(
            settings.prizm.names.get(Language::De).map(String::as_str),
            Some("Hallo")
        );
        assert_eq!(settings.prizm.names.get(Language::En), None);
        assert_eq!(settings.directory, Path::new("/x"));
        assert!(settings.prizm.unknown.contains_key("future-key"));

        let inherited = "[package]\nname = \"a\"\nversion.workspace = true\n";
        assert!(ManifestSettings::from_toml(inherited, Path::new("Cargo.toml")).is_err());
        let bad_names =
            "[package]\nname = \"a\"\n[package.metadata.prizm]\nnames = { xx = \"?\" }\n";
        assert!(ManifestSettings::from_toml(bad_names, Path::new("Cargo.toml")).is_err());
        let explicit =
            "[package]\nversion = \"1.0.0\"\n[package.metadata.prizm]\nversion = \"02.00.0001\"\n";
        let settings = ManifestSettings::from_toml(explicit, Path::new("Cargo.toml")).unwrap();
        assert_eq!(settings.version.as_deref(), Some("02.00.0001"));
    }
}
