//! Following a run until its plan is over: what each run status means for `verify`, and the
//! polling loop (an interval that starts short, grows while nothing changes, starts short again
//! after a change, and a time limit).

use crate::core::ports::{RunInfo, Tfc, TfcError};
use serde::Serialize;
use std::time::Duration;
use tokio::time::Instant;

/// Where a run is, as far as its plan is concerned.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RunProgress {
    /// Not planned yet: pending, queued, fetching, pre-plan tasks, planning.
    Waiting,
    /// The plan finished (the run may go on with cost estimation or policy checks).
    Planned,
    /// The run ended without a plan: errored, canceled, discarded.
    Failed,
}

/// What a run status (HCP Terraform's Runs API, "Run States") means here. Unknown statuses wait:
/// the time limit still ends the wait.
pub fn run_progress(status: &str) -> RunProgress {
    match status {
        "planned"
        | "planned_and_finished"
        | "planned_and_saved"
        | "cost_estimating"
        | "cost_estimated"
        | "policy_checking"
        | "policy_checked"
        | "policy_override"
        | "policy_soft_failed"
        | "post_plan_running"
        | "post_plan_completed"
        | "post_plan_awaiting_decision"
        | "confirmed"
        | "apply_queued"
        | "queuing_apply"
        | "pre_apply_running"
        | "pre_apply_completed"
        | "applying"
        | "applied"
        | "post_apply_running"
        | "post_apply_completed" => RunProgress::Planned,
        "errored" | "canceled" | "force_canceled" | "discarded" => RunProgress::Failed,
        _ => RunProgress::Waiting,
    }
}

/// How to poll.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FollowOptions {
    /// Give up after this long (from the first poll).
    pub timeout: Duration,
    /// The wait after a change (and at the start).
    pub first_interval: Duration,
    /// The longest wait between two polls.
    pub max_interval: Duration,
}

impl Default for FollowOptions {
    fn default() -> Self {
        FollowOptions {
            timeout: Duration::from_secs(600),
            first_interval: Duration::from_secs(1),
            max_interval: Duration::from_secs(10),
        }
    }
}

/// How following ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FollowEnd {
    /// The run planned or failed: its last state.
    Settled(RunInfo),
    /// The time limit passed first: the last state seen.
    TimedOut(RunInfo),
}

impl FollowEnd {
    pub fn run(&self) -> &RunInfo {
        match self {
            FollowEnd::Settled(r) | FollowEnd::TimedOut(r) => r,
        }
    }
}

/// The wait after one more poll without a change: 1.5 times longer, capped.
fn grow(interval: Duration, max: Duration) -> Duration {
    (interval + interval / 2).min(max)
}

/// Polls `GET /runs/:id` until the run's plan is over or `options.timeout` passes. `on_change`
/// hears the first state and every change of status, with the time since following began.
pub async fn follow(
    tfc: &dyn Tfc,
    first: RunInfo,
    options: FollowOptions,
    on_change: &(dyn Fn(&RunInfo, Duration) + Send + Sync),
) -> Result<FollowEnd, TfcError> {
    let started = Instant::now();
    let mut current = first;
    let mut interval = options.first_interval;
    on_change(&current, Duration::ZERO);
    loop {
        if run_progress(&current.status) != RunProgress::Waiting {
            return Ok(FollowEnd::Settled(current));
        }
        let elapsed = started.elapsed();
        if elapsed >= options.timeout {
            return Ok(FollowEnd::TimedOut(current));
        }
        tokio::time::sleep(interval.min(options.timeout - elapsed)).await;
        let next = tfc.run(&current.id).await?;
        if next.status != current.status {
            on_change(&next, started.elapsed());
            interval = options.first_interval;
        } else {
            interval = grow(interval, options.max_interval);
        }
        current = next;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses() {
        assert_eq!(run_progress("pending"), RunProgress::Waiting);
        assert_eq!(run_progress("plan_queued"), RunProgress::Waiting);
        assert_eq!(run_progress("planning"), RunProgress::Waiting);
        assert_eq!(run_progress("something_new"), RunProgress::Waiting);
        assert_eq!(run_progress("planned_and_finished"), RunProgress::Planned);
        assert_eq!(run_progress("cost_estimated"), RunProgress::Planned);
        assert_eq!(run_progress("policy_checked"), RunProgress::Planned);
        assert_eq!(run_progress("errored"), RunProgress::Failed);
        assert_eq!(run_progress("discarded"), RunProgress::Failed);
    }

    #[test]
    fn backoff_grows_to_the_cap() {
        let max = Duration::from_secs(10);
        let mut d = Duration::from_secs(1);
        let mut seen = vec![];
        for _ in 0..8 {
            d = grow(d, max);
            seen.push(d.as_millis());
        }
        assert_eq!(seen, [1500, 2250, 3375, 5062, 7593, 10000, 10000, 10000]);
    }
}
