//! Where tfc-oidc keeps its files, placed by `directories` (XDG on Linux, the platform's own
//! elsewhere). None of them ever holds a token or a secret value.

use directories::ProjectDirs;
use std::path::PathBuf;

fn dirs() -> Option<ProjectDirs> {
    ProjectDirs::from("dev", "tfc-oidc", "tfc-oidc")
}

/// The data directory: the journal, and the `--demo` sandbox's state.
pub fn data_dir() -> Option<PathBuf> {
    dirs().map(|d| d.data_dir().to_path_buf())
}

/// The journal of applied changes; the demo keeps its own so `undo` never mixes the two.
pub fn journal_dir(demo: bool) -> Option<PathBuf> {
    data_dir().map(|d| {
        if demo {
            d.join("demo").join("journal")
        } else {
            d.join("journal")
        }
    })
}

/// The `--demo` sandbox's saved state.
pub fn demo_state() -> Option<PathBuf> {
    data_dir().map(|d| d.join("demo").join("sandbox.json"))
}

/// Non-secret defaults remembered between runs.
pub fn config_dir() -> Option<PathBuf> {
    dirs().map(|d| d.config_dir().to_path_buf())
}

/// The log file's directory (state dir on Linux, cache dir elsewhere).
pub fn log_dir() -> Option<PathBuf> {
    dirs().map(|d| d.state_dir().unwrap_or(d.cache_dir()).to_path_buf())
}
