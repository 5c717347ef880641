//! Taking over the terminal and always giving it back: raw mode and the alternate screen on
//! entry; restored on exit, on error (a guard's `Drop`) and on a panic of the UI thread (a hook
//! that restores the terminal, then calls the previous hook).

use crossterm::cursor::Show;
use crossterm::execute;
use crossterm::terminal::{
    disable_raw_mode, enable_raw_mode, EnterAlternateScreen, LeaveAlternateScreen,
};
use ratatui::backend::CrosstermBackend;
use ratatui::Terminal;
use std::io::{self, Stdout};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Once, OnceLock};
use std::thread::ThreadId;

/// Whether the wizard owns the terminal now.
static ACTIVE: AtomicBool = AtomicBool::new(false);
/// The thread drawing the screen.
static UI_THREAD: OnceLock<ThreadId> = OnceLock::new();
static HOOK: Once = Once::new();

/// Restores the terminal when dropped.
pub struct TerminalGuard(());

impl Drop for TerminalGuard {
    fn drop(&mut self) {
        let _ = restore();
    }
}

/// Puts the terminal in raw mode on the alternate screen.
pub fn enter() -> io::Result<(Terminal<CrosstermBackend<Stdout>>, TerminalGuard)> {
    install_panic_hook();
    let _ = UI_THREAD.set(std::thread::current().id());
    enable_raw_mode()?;
    ACTIVE.store(true, Ordering::SeqCst);
    let guard = TerminalGuard(());
    execute!(io::stdout(), EnterAlternateScreen)?;
    let mut terminal = Terminal::new(CrosstermBackend::new(io::stdout()))?;
    terminal.clear()?;
    Ok((terminal, guard))
}

/// Leaves the alternate screen and raw mode (once; later calls do nothing).
pub fn restore() -> io::Result<()> {
    if !ACTIVE.swap(false, Ordering::SeqCst) {
        return Ok(());
    }
    let raw = disable_raw_mode();
    execute!(io::stdout(), LeaveAlternateScreen, Show)?;
    raw
}

fn install_panic_hook() {
    HOOK.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            let ui = UI_THREAD
                .get()
                .is_none_or(|id| *id == std::thread::current().id());
            if ACTIVE.load(Ordering::SeqCst) && !ui {
                // An effect's task: the runner shows the failure on screen and the wizard goes
                // on, so the terminal stays as it is; the details go to the log.
                tracing::error!("a background task panicked: {info}");
                return;
            }
            let _ = restore();
            previous(info);
        }));
    });
}
