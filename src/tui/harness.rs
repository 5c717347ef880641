//! Driving the whole wizard without a terminal, for tests and benchmarks: a [`Session`] over a
//! sandbox, drawn on ratatui's `TestBackend`, with scripted keys and the screen as text.

use crate::core::journal::Journal;
use crate::sandbox::Sandbox;
use crate::tui::app::{App, AppOptions};
use crate::tui::connector::{Connector, SandboxConnector};
use crate::tui::msg::{Msg, WizardEnd};
use crate::tui::session::Session;
use crate::tui::steps::{Step, Task};
use crate::tui::theme::Theme;
use crate::tui::view;
use crate::tui::widgets::text::SPINNER;
use crossterm::event::{KeyCode, KeyModifiers};
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use ratatui::Terminal;
use std::sync::Arc;

/// A wizard on a `TestBackend`. Create it inside a tokio runtime.
pub struct Harness {
    pub session: Session,
    pub terminal: Terminal<TestBackend>,
    /// The sandbox behind the wizard, to look at what it wrote.
    pub sandbox: Sandbox,
}

impl Harness {
    /// The `--demo` wizard on a fresh sandbox, without colours, at `width`×`height`.
    pub fn demo(width: u16, height: u16) -> Harness {
        let sandbox = Sandbox::demo();
        let connector = Arc::new(SandboxConnector::new(sandbox.clone()));
        Harness::with(sandbox, connector, true, width, height)
    }

    /// The `--demo` wizard as `tfc-oidc --demo` opens it: on the demo state saved at `state`
    /// (shared with the CLI's `--demo` commands, saved after every write) with the journal in
    /// `journal_dir` (where `--demo undo` looks).
    pub fn demo_persisted(
        state: &std::path::Path,
        journal_dir: &std::path::Path,
        width: u16,
        height: u16,
    ) -> Result<Harness, String> {
        let connector = SandboxConnector::persisted(state)?;
        let sandbox = connector.sandbox().clone();
        let journal = Journal::at(journal_dir.to_path_buf());
        Ok(Harness::with_journal(
            sandbox,
            Arc::new(connector),
            journal,
            (true, width, height),
        ))
    }

    /// A wizard over any connector (`sandbox` is what tests inspect afterwards).
    pub fn with(
        sandbox: Sandbox,
        connector: Arc<dyn Connector>,
        demo: bool,
        width: u16,
        height: u16,
    ) -> Harness {
        Harness::with_journal(
            sandbox,
            connector,
            Journal::in_memory(),
            (demo, width, height),
        )
    }

    /// A wizard over `connector`, journaling in `journal`.
    fn with_journal(
        sandbox: Sandbox,
        connector: Arc<dyn Connector>,
        journal: Journal,
        (demo, width, height): (bool, u16, u16),
    ) -> Harness {
        let app = App::new(AppOptions {
            host: connector.host(),
            demo,
            theme: Theme::plain(),
            last_organization: None,
            last_project: None,
            role_pattern: None,
        });
        let mut session = Session::start(app, connector, journal);
        session.dispatch(Msg::Resize(width, height));
        let terminal =
            Terminal::new(TestBackend::new(width, height)).expect("TestBackend never fails");
        Harness {
            session,
            terminal,
            sandbox,
        }
    }

    /// Waits until no effect is running.
    pub async fn settle(&mut self) -> Option<WizardEnd> {
        self.session.settle().await
    }

    /// Presses a key and waits for what it started.
    pub async fn press(&mut self, code: KeyCode) -> Option<WizardEnd> {
        if let Some(outcome) = self.session.press(code) {
            return Some(outcome);
        }
        self.settle().await
    }

    /// Presses a key with modifiers and waits for what it started.
    pub async fn press_with(
        &mut self,
        code: KeyCode,
        modifiers: KeyModifiers,
    ) -> Option<WizardEnd> {
        if let Some(outcome) = self.session.press_with(code, modifiers) {
            return Some(outcome);
        }
        self.settle().await
    }

    /// Presses keys in turn; stops early when the wizard ends.
    pub async fn keys(&mut self, codes: &[KeyCode]) -> Option<WizardEnd> {
        for code in codes {
            if let Some(outcome) = self.press(*code).await {
                return Some(outcome);
            }
        }
        None
    }

    /// Presses Enter, taking each screen's default, until the wizard shows `step`: tests name
    /// the screen they want instead of counting Enters. Panics (with the screen) when Enter
    /// stops moving the wizard on or the wizard ends first, so a test that lost its way says
    /// where it stopped.
    pub async fn go_to(&mut self, step: Step) {
        while self.session.app.step != step {
            let before = self.session.app.step;
            if let Some(outcome) = self.press(KeyCode::Enter).await {
                panic!("the wizard ended ({outcome:?}) on {before:?} before reaching {step:?}");
            }
            if self.session.app.step == before {
                let screen = self.screen();
                panic!("Enter stays on {before:?}, short of {step:?}:\n{screen}");
            }
        }
    }

    /// On the Connect screen: highlights `task` (Enter then starts its path).
    pub async fn choose_task(&mut self, task: Task) {
        let index = |task: Task| Task::ALL.iter().position(|t| *t == task);
        let at = index(task).unwrap_or_else(|| panic!("Connect does not offer {task:?}"));
        loop {
            let now = index(self.session.app.connect.task()).unwrap_or_default();
            if now == at {
                return;
            }
            self.press(if now < at { KeyCode::Down } else { KeyCode::Up })
                .await;
            let moved = index(self.session.app.connect.task()) != Some(now);
            assert!(moved, "the Connect menu does not move towards {task:?}");
        }
    }

    /// Types text, one key per character.
    pub async fn type_text(&mut self, text: &str) {
        for c in text.chars() {
            self.press(KeyCode::Char(c)).await;
        }
    }

    /// From the Connect screen: the review task of the first organization, read, with the first
    /// finding of kind `id` highlighted.
    pub async fn review_at(&mut self, id: crate::core::review::FindingId) {
        self.choose_task(Task::Review).await;
        self.go_to(Step::Findings).await;
        let at = self
            .session
            .app
            .findings
            .visible()
            .iter()
            .position(|f| f.id == id)
            .expect("a finding of that kind");
        for _ in 0..at {
            self.press(KeyCode::Down).await;
        }
    }

    /// Resizes the screen (as a terminal resize would).
    pub fn resize(&mut self, width: u16, height: u16) {
        self.terminal.backend_mut().resize(width, height);
        self.session.dispatch(Msg::Resize(width, height));
    }

    /// Draws the current state and returns the screen as text.
    pub fn screen(&mut self) -> String {
        let completed = self
            .terminal
            .draw(|f| view::draw(f, &self.session.app))
            .expect("TestBackend never fails");
        buffer_text(completed.buffer)
    }

    /// The last drawn buffer (styles included).
    pub fn buffer(&self) -> &Buffer {
        self.terminal.backend().buffer()
    }
}

/// A buffer as lines of text, trailing spaces removed.
pub fn buffer_text(buffer: &Buffer) -> String {
    let width = buffer.area.width as usize;
    let mut out = String::new();
    for row in buffer.content.chunks(width.max(1)) {
        let line: String = row.iter().map(|c| c.symbol()).collect();
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

/// Replaces what changes between runs: spinner frames become `*`, service ids (`ws-…`,
/// `var-…`, `varset-…`, `prj-…`) become `<id>`.
pub fn redact(text: &str) -> String {
    let mut out: String = text
        .chars()
        .map(|c| {
            if SPINNER.iter().any(|s| s.starts_with(c)) {
                '*'
            } else {
                c
            }
        })
        .collect();
    for prefix in ["varset-", "var-", "ws-", "prj-"] {
        let mut result = String::new();
        let mut rest = out.as_str();
        while let Some(pos) = rest.find(prefix) {
            let after = &rest[pos + prefix.len()..];
            let id_len = after
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric())
                .count();
            let boundary =
                pos == 0 || !rest[..pos].ends_with(|c: char| c.is_ascii_alphanumeric() || c == '-');
            result.push_str(&rest[..pos]);
            if id_len >= 8 && boundary {
                result.push_str(prefix);
                result.push_str("<id>");
            } else {
                result.push_str(&rest[pos..pos + prefix.len() + id_len]);
            }
            rest = &after[id_len..];
        }
        result.push_str(rest);
        out = result;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redacts_ids_and_spinners() {
        assert_eq!(
            redact("⠋ ws-AbCdEf1234567890 var-12345678 wsx-1"),
            "* ws-<id> var-<id> wsx-1"
        );
        assert_eq!(redact("payments-ws-short"), "payments-ws-short");
    }
}
