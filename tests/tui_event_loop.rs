//! The real event loop, generic over the backend and the input stream: it runs the demo's
//! Enter path on a TestBackend fed by a scripted key stream, sleeps when idle (no redraws, so no
//! busy polling and no idle ticks), and ends when the input closes.

use crossterm::event::KeyCode::{Char, Enter};
use crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
use ratatui::backend::{Backend, ClearType, TestBackend, WindowSize};
use ratatui::buffer::Cell;
use ratatui::layout::{Position, Size};
use ratatui::Terminal;
use std::io;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tfc_oidc::core::journal::Journal;
use tfc_oidc::core::ports::{Iam, Tfc};
use tfc_oidc::sandbox::Sandbox;
use tfc_oidc::tui::app::{App, AppOptions};
use tfc_oidc::tui::connector::SandboxConnector;
use tfc_oidc::tui::event_loop::run_loop;
use tfc_oidc::tui::harness::buffer_text;
use tfc_oidc::tui::msg::WizardEnd;
use tfc_oidc::tui::session::Session;
use tfc_oidc::tui::theme::Theme;

fn session(sandbox: &Sandbox) -> Session {
    let app = App::new(AppOptions {
        host: "app.terraform.io".into(),
        demo: true,
        theme: Theme::plain(),
        last_organization: None,
        last_project: None,
        role_pattern: None,
    });
    let connector = Arc::new(SandboxConnector::new(sandbox.clone()));
    Session::start(app, connector, Journal::in_memory())
}

/// A TestBackend that publishes each flushed frame, so a test can watch a running loop.
struct SharedBackend {
    inner: TestBackend,
    screen: Arc<Mutex<String>>,
    frames: Arc<AtomicUsize>,
}

impl Backend for SharedBackend {
    type Error = <TestBackend as Backend>::Error;

    fn draw<'a, I>(&mut self, content: I) -> Result<(), Self::Error>
    where
        I: Iterator<Item = (u16, u16, &'a Cell)>,
    {
        self.inner.draw(content)
    }
    fn hide_cursor(&mut self) -> Result<(), Self::Error> {
        self.inner.hide_cursor()
    }
    fn show_cursor(&mut self) -> Result<(), Self::Error> {
        self.inner.show_cursor()
    }
    fn get_cursor_position(&mut self) -> Result<Position, Self::Error> {
        self.inner.get_cursor_position()
    }
    fn set_cursor_position<P: Into<Position>>(&mut self, position: P) -> Result<(), Self::Error> {
        self.inner.set_cursor_position(position)
    }
    fn clear(&mut self) -> Result<(), Self::Error> {
        self.inner.clear()
    }
    fn clear_region(&mut self, clear_type: ClearType) -> Result<(), Self::Error> {
        self.inner.clear_region(clear_type)
    }
    fn size(&self) -> Result<Size, Self::Error> {
        self.inner.size()
    }
    fn window_size(&mut self) -> Result<WindowSize, Self::Error> {
        self.inner.window_size()
    }
    fn flush(&mut self) -> Result<(), Self::Error> {
        self.inner.flush()?;
        *self.screen.lock().unwrap() = buffer_text(self.inner.buffer());
        self.frames.fetch_add(1, Ordering::SeqCst);
        Ok(())
    }
}

async fn wait_for(screen: &Mutex<String>, text: &str) {
    for _ in 0..500 {
        if screen.lock().unwrap().contains(text) {
            return;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    panic!("never saw {text:?} on screen:\n{}", screen.lock().unwrap());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_event_loop_runs_the_demo_and_sleeps_when_idle() {
    let sandbox = Sandbox::demo();
    let session = session(&sandbox);
    let screen = Arc::new(Mutex::new(String::new()));
    let frames = Arc::new(AtomicUsize::new(0));
    let backend = SharedBackend {
        inner: TestBackend::new(80, 24),
        screen: screen.clone(),
        frames: frames.clone(),
    };
    let mut terminal = Terminal::new(backend).unwrap();
    let (keys, input) = futures::channel::mpsc::unbounded::<io::Result<Event>>();
    let running = tokio::spawn(async move { run_loop(&mut terminal, input, session).await });
    let press = |code: KeyCode| {
        keys.unbounded_send(Ok(Event::Key(KeyEvent::new(code, KeyModifiers::NONE))))
            .unwrap()
    };

    wait_for(&screen, "signed in as demo-user").await;
    tokio::time::sleep(Duration::from_millis(250)).await;
    let before = frames.load(Ordering::SeqCst);
    tokio::time::sleep(Duration::from_millis(600)).await;
    assert_eq!(
        frames.load(Ordering::SeqCst),
        before,
        "no redraws while idle: no busy loop, no idle ticks"
    );

    // While the organizations load slowly, the spinner turns (ticks redraw the screen).
    sandbox.tfc.set_latency(Duration::from_millis(500));
    press(Enter);
    wait_for(&screen, "Loading organizations").await;
    let loading = frames.load(Ordering::SeqCst);
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert!(
        frames.load(Ordering::SeqCst) >= loading + 2,
        "ticks turn the spinner while loading"
    );
    wait_for(&screen, "› acme-corp").await;
    sandbox.tfc.set_latency(Duration::ZERO);

    for (expect, key) in [
        ("› acme-corp", Enter),
        ("› Default Project", Enter),
        ("no AWS credentials", Enter),
        ("Which IAM role", Enter),
        ("Where should the variables go", Enter),
        (
            "+ create role tfc-acme-corp-default-project (run phase)",
            Enter,
        ),
        ("Done: HCP Terraform runs", Char('q')),
    ] {
        wait_for(&screen, expect).await;
        press(key);
    }
    let outcome = running.await.unwrap().unwrap();
    assert!(matches!(outcome, WizardEnd::Applied(_)), "{outcome:?}");
    let role = sandbox
        .iam
        .get_role("tfc-acme-corp-default-project")
        .await
        .unwrap();
    assert!(role.is_some(), "the role was created");
    let ws = sandbox.tfc.workspace("acme-corp", "sandbox").await.unwrap();
    let vars = sandbox.tfc.workspace_variables(&ws.id).await.unwrap();
    assert!(vars.iter().any(|v| v.key == "TFC_AWS_RUN_ROLE_ARN"));
}

#[tokio::test]
async fn the_event_loop_ends_when_input_closes() {
    let sandbox = Sandbox::demo();
    let session = session(&sandbox);
    let mut terminal = Terminal::new(TestBackend::new(80, 24)).unwrap();
    let input = futures::stream::iter(Vec::<io::Result<Event>>::new());
    let outcome = run_loop(&mut terminal, input, session).await.unwrap();
    assert_eq!(outcome, WizardEnd::Cancelled);
    assert_eq!(sandbox.iam.write_count() + sandbox.tfc.write_count(), 0);
}
