//! A progress bar on stderr while the inventory is read, only when stderr is a terminal (so
//! pipes, CI logs and tests see nothing of it).

use crate::core::inventory::ReadProgress;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::io::IsTerminal;
use std::time::Duration;

/// Feeds a progress bar from the inventory's progress callback.
pub struct ReadBar {
    bar: Option<ProgressBar>,
}

impl ReadBar {
    /// A bar saying `what`, drawn only if stderr is a terminal.
    pub fn start(what: &str) -> ReadBar {
        if !std::io::stderr().is_terminal() {
            return ReadBar { bar: None };
        }
        let bar = ProgressBar::with_draw_target(Some(0), ProgressDrawTarget::stderr());
        let style = ProgressStyle::with_template("{spinner} {msg} {bar:30} {pos}/{len} calls")
            .unwrap_or_else(|_| ProgressStyle::default_bar())
            .progress_chars("=> ");
        bar.set_style(style);
        bar.set_message(what.to_string());
        bar.enable_steady_tick(Duration::from_millis(120));
        ReadBar { bar: Some(bar) }
    }

    /// The callback to hand to `inventory::read`.
    pub fn callback(&self) -> impl Fn(ReadProgress) + Send + Sync + 'static {
        let bar = self.bar.clone();
        move |p: ReadProgress| {
            if let Some(bar) = &bar {
                bar.set_length(p.total as u64);
                bar.set_position(p.done as u64);
            }
        }
    }

    /// Removes the bar from the screen.
    pub fn finish(self) {
        if let Some(bar) = self.bar {
            bar.finish_and_clear();
        }
    }
}
