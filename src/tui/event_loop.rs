//! The event loop, generic over the ratatui backend and the input stream. It sleeps until a key,
//! an effect's result, or (only while something is in flight) a spinner tick arrives: no busy
//! polling, and no frame ever waits on the network.

use crate::tui::msg::{Msg, WizardEnd};
use crate::tui::session::Session;
use crate::tui::view;
use crossterm::event::Event;
use futures::{Stream, StreamExt};
use ratatui::backend::Backend;
use ratatui::Terminal;
use std::io;
use std::time::Duration;
use tokio::time::MissedTickBehavior;

/// How often spinners turn while something is in flight.
pub const TICK: Duration = Duration::from_millis(100);

fn other(e: impl std::fmt::Display) -> io::Error {
    io::Error::other(e.to_string())
}

/// Runs the wizard until it ends; returns how it ended.
pub async fn run_loop<B, S>(
    terminal: &mut Terminal<B>,
    mut input: S,
    mut session: Session,
) -> io::Result<WizardEnd>
where
    B: Backend,
    S: Stream<Item = io::Result<Event>> + Unpin,
{
    let size = terminal.size().map_err(other)?;
    session.dispatch(Msg::Resize(size.width, size.height));
    let mut tick = tokio::time::interval(TICK);
    tick.set_missed_tick_behavior(MissedTickBehavior::Delay);
    let mut input_open = true;
    loop {
        terminal
            .draw(|frame| view::draw(frame, &session.app))
            .map_err(other)?;
        if let Some(outcome) = session.outcome() {
            return Ok(outcome.clone());
        }
        let animating = session.app.animating();
        let msg = tokio::select! {
            event = input.next(), if input_open => match event {
                Some(Ok(event)) => match Msg::from_event(event) {
                    Some(msg) => msg,
                    None => continue,
                },
                Some(Err(e)) => return Err(e),
                None => {
                    input_open = false;
                    Msg::InputClosed
                }
            },
            Some(msg) = session.recv() => msg,
            _ = tick.tick(), if animating => Msg::Tick,
        };
        session.dispatch(msg);
        // Batch whatever else is ready into the same frame.
        while let Some(msg) = session.try_recv() {
            session.dispatch(msg);
        }
    }
}
