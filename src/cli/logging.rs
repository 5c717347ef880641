//! Logging to a file (never to the terminal, which the TUI may own). Level from `TFC_OIDC_LOG`.

use std::fs::OpenOptions;
use std::sync::Mutex;
use tracing_subscriber::EnvFilter;

/// Starts file logging in the log directory; quietly does nothing if the file cannot be opened.
pub fn init() {
    let Some(dir) = crate::cli::paths::log_dir() else {
        return;
    };
    if std::fs::create_dir_all(&dir).is_err() {
        return;
    }
    let Ok(file) = OpenOptions::new()
        .create(true)
        .append(true)
        .open(dir.join("tfc-oidc.log"))
    else {
        return;
    };
    let filter = EnvFilter::try_from_env("TFC_OIDC_LOG").unwrap_or_else(|_| EnvFilter::new("info"));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_ansi(false)
        .with_writer(Mutex::new(file))
        .try_init();
}
