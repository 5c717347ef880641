//! Non-secret defaults remembered between runs of the wizard (host, organization, project), in
//! `wizard.json` in the config directory. Never a token. Unreadable files are ignored.

use serde::{Deserialize, Serialize};
use std::path::PathBuf;

/// What the wizard remembers.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Remembered {
    pub host: Option<String>,
    pub organization: Option<String>,
    pub project: Option<String>,
}

fn path() -> Option<PathBuf> {
    crate::cli::paths::config_dir().map(|d| d.join("wizard.json"))
}

/// The remembered defaults, or none.
pub fn load() -> Remembered {
    path()
        .and_then(|p| std::fs::read_to_string(p).ok())
        .and_then(|text| serde_json::from_str(&text).ok())
        .unwrap_or_default()
}

/// Remembers `defaults`; failures only reach the log (nothing depends on this file).
pub fn save(defaults: &Remembered) {
    let Some(path) = path() else { return };
    let write = || -> std::io::Result<()> {
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir)?;
        }
        let text = serde_json::to_string_pretty(defaults).map_err(std::io::Error::other)?;
        std::fs::write(&path, text)
    };
    if let Err(e) = write() {
        tracing::warn!(path = %path.display(), "cannot remember the wizard's defaults: {e}");
    }
}
