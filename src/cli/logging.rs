//! Logging to a file (never to the terminal, which the TUI may own). Level from `TFC_OIDC_LOG`.

use crate::core::private_files;
use std::sync::Mutex;
use tracing_subscriber::EnvFilter;

/// Starts file logging in the log directory; quietly does nothing if the file cannot be opened.
pub fn init() {
    let Some(dir) = crate::dirs::log_dir() else {
        return;
    };
    if private_files::create_dir(&dir).is_err() {
        return;
    }
    let Ok(file) = private_files::open_append(&dir.join("tfc-oidc.log")) else {
        return;
    };
    let filter = EnvFilter::new(directives(std::env::var("TFC_OIDC_LOG").ok().as_deref()));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_ansi(false)
        .with_writer(Mutex::new(file))
        .try_init();
}

/// The filter for `TFC_OIDC_LOG`: a plain level (`debug`, `trace`…) applies to tfc-oidc's own
/// code only, every other crate stays at `warn`, since the AWS SDK's trace output can carry
/// credential-process details. Anything else (`info`, or a full directive list) is taken as is,
/// but other crates are never raised above `warn` by a bare level.
fn directives(value: Option<&str>) -> String {
    let level = value
        .map(str::trim)
        .filter(|v| !v.is_empty())
        .unwrap_or("info");
    let plain = ["error", "warn", "info", "debug", "trace", "off"];
    if plain.contains(&level.to_ascii_lowercase().as_str()) {
        format!("warn,tfc_oidc={level}")
    } else {
        format!("warn,{level}")
    }
}

#[cfg(test)]
mod tests {
    use super::directives;

    #[test]
    fn a_bare_level_is_scoped_to_tfc_oidc() {
        assert_eq!(directives(Some("trace")), "warn,tfc_oidc=trace");
        assert_eq!(directives(None), "warn,tfc_oidc=info");
        assert_eq!(
            directives(Some("tfc_oidc::core=debug")),
            "warn,tfc_oidc::core=debug"
        );
    }
}
