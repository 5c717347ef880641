//! The full-screen wizard (`tfc-oidc`, `tfc-oidc wizard`, `tfc-oidc --demo`), in the Elm
//! architecture: [`app::App`] is the state, [`msg::Msg`] what happens to it, `App::update` a
//! function from message to [`effects::Effect`]s (it never awaits), [`view::draw`] a pure view.
//! The [`effects::Runner`] executes effects on tokio tasks and posts results back; the
//! [`event_loop`] is generic over the ratatui backend and the input stream, so tests drive the
//! whole app on `TestBackend` with scripted keys.

pub mod app;
pub mod aws_profiles;
pub mod connector;
pub mod defaults;
pub mod effects;
pub mod event_loop;
pub mod failure;
pub mod harness;
pub mod keymap;
pub mod msg;
pub mod report;
pub mod role_pattern;
pub mod session;
pub mod steps;
pub mod terminal;
pub mod theme;
pub mod view;
pub mod widgets;

use crate::connect::ConnectOptions;
use crate::core::journal::Journal;
use crate::dirs;
use crate::sandbox::Sandbox;
use app::{App, AppOptions};
use connector::{Connector, LiveConnector, SandboxConnector};
use crossterm::event::EventStream;
use msg::WizardEnd;
use session::Session;
use std::sync::Arc;
use theme::Theme;

/// Added to every sandbox call in `--demo`.
const DEMO_LATENCY: std::time::Duration = std::time::Duration::from_millis(120);

/// Why the wizard could not run (it changed nothing).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WizardError {
    /// The options are wrong (a bad host or API address).
    Usage(String),
    /// The terminal could not be set up or failed.
    Failure(String),
}

/// The `--demo` sandbox: the state the CLI's `--demo` commands keep in the data directory,
/// saved again after every write (in memory only when there is no data directory).
fn demo_connector() -> Result<SandboxConnector, WizardError> {
    match dirs::demo_state() {
        Some(path) => SandboxConnector::persisted(&path).map_err(WizardError::Failure),
        None => Ok(SandboxConnector::new(Sandbox::demo())),
    }
}

/// Opens the wizard on this terminal: the live services, or with `--demo` the sandbox whose
/// state the CLI's `--demo` commands share, with their journal (so `--demo undo` reverts it).
pub async fn run_wizard(global: &ConnectOptions) -> Result<WizardEnd, WizardError> {
    let remembered = if global.demo {
        defaults::Remembered::default()
    } else {
        defaults::load()
    };
    let (connector, journal): (Arc<dyn Connector>, Journal) = if global.demo {
        let connector = demo_connector()?;
        // A little latency makes the demo look like the real thing: spinners, live progress.
        connector.sandbox().iam.set_latency(DEMO_LATENCY);
        connector.sandbox().tfc.set_latency(DEMO_LATENCY);
        let journal = dirs::journal_dir(true).map_or_else(Journal::in_memory, Journal::at);
        (Arc::new(connector), journal)
    } else {
        let env = |k: &str| std::env::var(k).ok().filter(|v| !v.trim().is_empty());
        // The last host is a default only: flags and environment still win.
        let hostname = global.hostname.clone().or_else(|| {
            (env("TFE_HOSTNAME").is_none()
                && env("TFE_ADDRESS").is_none()
                && global.api_url.is_none())
            .then(|| remembered.host.clone())
            .flatten()
        });
        let options = ConnectOptions {
            hostname,
            ..global.clone()
        };
        let endpoint = options
            .endpoint()
            .map_err(|e| WizardError::Usage(e.to_string()))?;
        let live = LiveConnector::new(endpoint, global.profile.clone(), global.region.clone());
        (
            Arc::new(live),
            dirs::journal_dir(false).map_or_else(Journal::nowhere, Journal::at),
        )
    };
    let host = connector.host();
    let same_host = remembered.host.as_deref() == Some(host.as_str());
    let app = App::new(AppOptions {
        host: host.clone(),
        demo: global.demo,
        theme: Theme::from_env(),
        last_organization: remembered.organization.clone().filter(|_| same_host),
        last_project: remembered.project.clone().filter(|_| same_host),
        role_pattern: remembered.role_pattern.clone(),
    });
    let (mut terminal, guard) = terminal::enter()
        .map_err(|e| WizardError::Failure(format!("cannot set up the terminal: {e}")))?;
    let session = Session::start(app, connector, journal);
    let result = event_loop::run_loop(&mut terminal, EventStream::new(), session).await;
    drop(guard);
    let outcome = result.map_err(|e| WizardError::Failure(format!("terminal error: {e}")))?;
    if let Some(remembered) = defaults::Remembered::after(global.demo, &outcome) {
        defaults::save(&remembered);
    }
    Ok(outcome)
}
