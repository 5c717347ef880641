//! Applying a plan: changes run as soon as what they depend on is done, independent ones
//! concurrently; each result is journaled before the next decision. On the first failure nothing
//! new starts, running changes finish, and the error says what was and was not done.

use crate::core::accounts::Accounts;
use crate::core::change::Holder;
use crate::core::error::{ApplyError, ChangeError};
use crate::core::journal::{EndStatus, JournalWriter, Outcome};
use crate::core::plan::{Change, Plan, PlannedChange};
use crate::core::ports::{Iam, Tfc};
use futures::stream::{FuturesUnordered, StreamExt};
use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};

/// Progress of one change, for live displays.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Progress {
    Started {
        index: usize,
    },
    Done {
        index: usize,
    },
    Failed {
        index: usize,
        error: String,
    },
    /// Not started because an earlier change failed.
    Skipped {
        index: usize,
    },
}

/// What an apply did.
#[derive(Debug, Clone)]
pub struct ApplyReport {
    pub plan: Plan,
    /// Per change, what it produced.
    pub outcomes: Vec<Outcome>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    Pending,
    Running,
    Done,
    Failed,
}

/// Applies `plan`, journaling as it goes. `progress` is called from the applying task.
pub async fn apply(
    plan: Plan,
    iam: &dyn Iam,
    tfc: &dyn Tfc,
    journal: &mut JournalWriter,
    progress: &(dyn Fn(Progress) + Send + Sync),
) -> Result<ApplyReport, ApplyError> {
    apply_until(plan, iam, tfc, journal, progress, &AtomicBool::new(false)).await
}

/// Like [`apply`], but once `stop` is set (Ctrl-C) no new change starts: the calls in flight
/// finish and are journaled, and the apply ends as interrupted.
pub async fn apply_until(
    plan: Plan,
    iam: &dyn Iam,
    tfc: &dyn Tfc,
    journal: &mut JournalWriter,
    progress: &(dyn Fn(Progress) + Send + Sync),
    stop: &AtomicBool,
) -> Result<ApplyReport, ApplyError> {
    let accounts = Accounts::none();
    apply_in_accounts(plan, iam, &accounts, tfc, journal, progress, stop).await
}

/// Like [`apply_until`], each AWS change going to the account it names through `accounts`
/// (`iam` for the default credentials' account), the journal recording account and profile.
pub async fn apply_in_accounts(
    plan: Plan,
    iam: &dyn Iam,
    accounts: &Accounts,
    tfc: &dyn Tfc,
    journal: &mut JournalWriter,
    progress: &(dyn Fn(Progress) + Send + Sync),
    stop: &AtomicBool,
) -> Result<ApplyReport, ApplyError> {
    let n = plan.changes.len();
    let mut state = vec![State::Pending; n];
    let mut outcomes = vec![Outcome::default(); n];
    // Ids of variable sets created by this apply, for the changes that target them.
    let mut created_sets: HashMap<String, String> = HashMap::new();
    let mut failure: Option<(usize, ChangeError)> = None;
    let mut intents: Vec<Option<u64>> = vec![None; n];
    let mut running = FuturesUnordered::new();
    loop {
        if failure.is_none() && !stop.load(Ordering::SeqCst) {
            for i in 0..n {
                let ready = state[i] == State::Pending
                    && plan.changes[i]
                        .depends_on
                        .iter()
                        .all(|d| state[*d] == State::Done);
                if !ready {
                    continue;
                }
                state[i] = State::Running;
                let change = resolve(&plan.changes[i].change, &created_sets);
                let place = place_of(&plan.changes[i], accounts);
                // The intent is on disk before the call: a kill during it is never lost.
                intents[i] = Some(journal.intent(&change, place)?);
                progress(Progress::Started { index: i });
                let port = accounts.iam(iam, plan.changes[i].account.as_deref());
                running.push(async move {
                    let result = match port {
                        Ok(port) => change.execute(port, tfc).await,
                        Err(why) => Err(ChangeError::Internal(why)),
                    };
                    (i, change, result)
                });
            }
        }
        // `ran` is the change as executed (with the ids of sets created earlier filled in).
        let Some((i, ran, result)) = running.next().await else {
            break;
        };
        match result {
            Ok(outcome) => {
                let place = place_of(&plan.changes[i], accounts);
                journal.done(intents[i], &ran, &outcome, place)?;
                if let Some(Holder::VariableSet { id, name }) = ran.kind().creates(&outcome) {
                    created_sets.insert(name, id);
                }
                state[i] = State::Done;
                outcomes[i] = outcome;
                progress(Progress::Done { index: i });
            }
            Err(e) => {
                state[i] = State::Failed;
                journal.failed(intents[i], &plan.changes[i].change, &e.to_string())?;
                progress(Progress::Failed {
                    index: i,
                    error: e.to_string(),
                });
                failure.get_or_insert((i, e));
            }
        }
    }
    if let Some((i, error)) = failure {
        for (j, s) in state.iter().enumerate() {
            if *s == State::Pending {
                progress(Progress::Skipped { index: j });
            }
        }
        journal.end(EndStatus::Partial)?;
        return Err(ApplyError::Partial {
            done: state.iter().filter(|s| **s == State::Done).count(),
            total: n,
            failed: plan.changes[i].change.summary(),
            error,
        });
    }
    let done = state.iter().filter(|s| **s == State::Done).count();
    if done < n {
        for (j, s) in state.iter().enumerate() {
            if *s == State::Pending {
                progress(Progress::Skipped { index: j });
            }
        }
        journal.end(EndStatus::Partial)?;
        return Err(ApplyError::Interrupted { done, total: n });
    }
    journal.end(EndStatus::Complete)?;
    // Interrupted after the last change had started: everything is done, but the user asked to
    // stop, and exit 3 tells a script to look (a re-run plans nothing).
    if stop.load(Ordering::SeqCst) {
        return Err(ApplyError::Interrupted { done, total: n });
    }
    Ok(ApplyReport { plan, outcomes })
}

/// The account a change acts in and the profile that reaches it, for the journal (`None`: the
/// default credentials' account).
fn place_of<'a>(planned: &'a PlannedChange, accounts: &'a Accounts) -> Option<(&'a str, &'a str)> {
    let account = planned.account.as_deref()?;
    Some((account, accounts.profile(account).unwrap_or_default()))
}

/// Fills in the id of a variable set this apply created.
fn resolve(change: &Change, created: &HashMap<String, String>) -> Change {
    let mut change = change.clone();
    if let Some(set) = change.kind_mut().variable_set_mut() {
        if set.id.is_none() {
            set.id = created.get(&set.name).cloned();
        }
    }
    change
}
