//! The call log, fault injection and latency shared by both sandboxes.

use std::sync::{Mutex, MutexGuard};
use std::time::Duration;

/// One call made through a sandboxed port.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Call {
    /// The port method's name, e.g. `create_role` or `create_workspace_variable`.
    pub op: &'static str,
    /// Whether the call changes remote state (create, update, delete, attach, …).
    pub write: bool,
    /// What it acted on: a role name, an ARN, a workspace id, `ws-…/var-…`, …
    pub target: String,
}

struct Fault<E> {
    op: &'static str,
    remaining: usize,
    error: E,
}

struct State<E> {
    calls: Vec<Call>,
    faults: Vec<Fault<E>>,
    latency: Duration,
}

/// Call log + injected faults + latency, generic over the port's error type.
pub(crate) struct Recorder<E> {
    ops: &'static [&'static str],
    state: Mutex<State<E>>,
}

/// Locks a mutex, ignoring poisoning (a panicking test must not cascade into others).
pub(crate) fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

impl<E: Clone> Recorder<E> {
    /// A recorder that accepts faults only for the operation names in `ops`.
    pub(crate) fn new(ops: &'static [&'static str]) -> Self {
        let state = State {
            calls: Vec::new(),
            faults: Vec::new(),
            latency: Duration::ZERO,
        };
        Recorder {
            ops,
            state: Mutex::new(state),
        }
    }

    /// Called at the start of every port method: waits the latency, logs the call, and returns
    /// the injected error if this is the call a fault was waiting for (the call then does
    /// nothing else). Failed calls stay in the log.
    pub(crate) async fn enter(
        &self,
        op: &'static str,
        write: bool,
        target: impl Into<String>,
    ) -> Result<(), E> {
        let latency = lock(&self.state).latency;
        if !latency.is_zero() {
            tokio::time::sleep(latency).await;
        }
        let mut st = lock(&self.state);
        st.calls.push(Call {
            op,
            write,
            target: target.into(),
        });
        let mut fired = None;
        for fault in st.faults.iter_mut().filter(|f| f.op == op) {
            fault.remaining -= 1;
            if fault.remaining == 0 {
                if fired.is_none() {
                    fired = Some(fault.error.clone());
                } else {
                    fault.remaining = 1; // two faults on the same call: the other fires next time
                }
            }
        }
        st.faults.retain(|f| f.remaining > 0);
        fired.map_or(Ok(()), Err)
    }

    pub(crate) fn calls(&self) -> Vec<Call> {
        lock(&self.state).calls.clone()
    }

    pub(crate) fn write_count(&self) -> usize {
        lock(&self.state).calls.iter().filter(|c| c.write).count()
    }

    pub(crate) fn clear_calls(&self) {
        lock(&self.state).calls.clear();
    }

    /// Panics on an unknown op name or `nth == 0`: both are mistakes in a test.
    pub(crate) fn fail_on(&self, op: &'static str, nth: usize, error: E) {
        assert!(
            self.ops.contains(&op),
            "fail_on: '{op}' is not an operation of this port"
        );
        assert!(nth >= 1, "fail_on: nth is 1-based");
        lock(&self.state).faults.push(Fault {
            op,
            remaining: nth,
            error,
        });
    }

    pub(crate) fn set_latency(&self, latency: Duration) {
        lock(&self.state).latency = latency;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn faults_fire_once_on_the_nth_call() {
        let r: Recorder<String> = Recorder::new(&["a", "b"]);
        r.fail_on("a", 2, "boom".into());
        assert!(r.enter("a", true, "x").await.is_ok());
        assert!(r.enter("b", false, "x").await.is_ok());
        assert_eq!(r.enter("a", true, "y").await, Err("boom".to_string()));
        assert!(r.enter("a", true, "z").await.is_ok());
        assert_eq!(r.calls().len(), 4);
        assert_eq!(r.write_count(), 3);
        r.clear_calls();
        assert!(r.calls().is_empty());
    }

    #[tokio::test]
    async fn two_faults_on_one_call_fire_in_turn() {
        let r: Recorder<u8> = Recorder::new(&["a"]);
        r.fail_on("a", 1, 1);
        r.fail_on("a", 1, 2);
        assert_eq!(r.enter("a", true, "").await, Err(1));
        assert_eq!(r.enter("a", true, "").await, Err(2));
        assert_eq!(r.enter("a", true, "").await, Ok(()));
    }

    #[tokio::test]
    async fn latency_sleeps() {
        let r: Recorder<u8> = Recorder::new(&["a"]);
        r.set_latency(Duration::from_millis(20));
        let start = std::time::Instant::now();
        r.enter("a", false, "").await.unwrap();
        assert!(start.elapsed() >= Duration::from_millis(20));
    }

    #[test]
    #[should_panic(expected = "not an operation")]
    fn unknown_op_is_refused() {
        Recorder::<u8>::new(&["a"]).fail_on("nope", 1, 0);
    }
}
