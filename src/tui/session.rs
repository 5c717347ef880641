//! A running wizard without a terminal: the [`App`], the effect [`Runner`] and the channel
//! results come back on. The event loop drives it from keys; tests drive it directly.

use crate::core::journal::Journal;
use crate::tui::app::App;
use crate::tui::connector::Connector;
use crate::tui::effects::{Effect, Runner};
use crate::tui::msg::{Msg, WizardEnd};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::mpsc::{unbounded_channel, UnboundedReceiver};

/// The app and what runs its effects. Must live inside a tokio runtime.
pub struct Session {
    pub app: App,
    runner: Runner,
    rx: UnboundedReceiver<Msg>,
    outcome: Option<WizardEnd>,
}

impl Session {
    /// Starts the wizard: the first effects (connecting) are already running.
    pub fn start(app: App, connector: Arc<dyn Connector>, journal: Journal) -> Session {
        let (tx, rx) = unbounded_channel();
        let runner = Runner::new(connector, journal, tx);
        let mut session = Session {
            app,
            runner,
            rx,
            outcome: None,
        };
        let effects = session.app.start();
        session.run(effects);
        session
    }

    fn run(&mut self, effects: Vec<Effect>) {
        for effect in effects {
            match effect {
                Effect::Quit(outcome) => self.outcome = Some(outcome),
                other => self.runner.run(other),
            }
        }
    }

    /// Feeds one message to `update` and starts the effects it returns.
    pub fn dispatch(&mut self, msg: Msg) -> Option<WizardEnd> {
        let effects = self.app.update(msg);
        self.run(effects);
        self.outcome.clone()
    }

    /// How the session ended, once it has.
    pub fn outcome(&self) -> Option<&WizardEnd> {
        self.outcome.as_ref()
    }

    /// The next result of an effect.
    pub async fn recv(&mut self) -> Option<Msg> {
        self.rx.recv().await
    }

    /// A result that is already there.
    pub fn try_recv(&mut self) -> Option<Msg> {
        self.rx.try_recv().ok()
    }

    /// Effects still running.
    pub fn in_flight(&self) -> usize {
        self.runner.in_flight()
    }

    /// Processes results until no effect is running (tests: a deterministic "after loading").
    pub async fn settle(&mut self) -> Option<WizardEnd> {
        loop {
            while let Ok(msg) = self.rx.try_recv() {
                self.dispatch(msg);
            }
            if self.outcome.is_some() || (self.runner.in_flight() == 0 && self.rx.is_empty()) {
                return self.outcome.clone();
            }
            if let Ok(Some(msg)) =
                tokio::time::timeout(Duration::from_millis(20), self.rx.recv()).await
            {
                self.dispatch(msg);
            }
        }
    }

    /// Presses a key (no modifiers).
    pub fn press(&mut self, code: KeyCode) -> Option<WizardEnd> {
        self.dispatch(Msg::Key(KeyEvent::new(code, KeyModifiers::NONE)))
    }

    /// Presses a key with modifiers.
    pub fn press_with(&mut self, code: KeyCode, modifiers: KeyModifiers) -> Option<WizardEnd> {
        self.dispatch(Msg::Key(KeyEvent::new(code, modifiers)))
    }
}
