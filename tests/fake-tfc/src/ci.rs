//! What a test does when a tool it needs (moto, Python with pytfe, tmux) is missing: under
//! `CI=true` it fails, so a continuous-integration run can never pass by skipping; on a
//! developer's machine it says `skipped: …` and returns.

/// Whether this run is continuous integration (`CI` set to `true`, `1` or `yes`).
pub fn in_ci() -> bool {
    std::env::var("CI").is_ok_and(|v| {
        let v = v.trim().to_ascii_lowercase();
        v == "true" || v == "1" || v == "yes"
    })
}

/// Reports that `what` is missing: panics under CI (`fix` says how to provide it), else prints
/// `skipped: {what}` so the caller can return.
///
/// # Panics
/// When [`in_ci`] is true.
pub fn tool_missing(what: &str, fix: &str) {
    if in_ci() {
        panic!("CI=true but {what}: {fix}");
    }
    eprintln!("skipped: {what} ({fix})");
}
