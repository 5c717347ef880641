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
    let mut run = Schedule::new(plan.changes.len());
    let mut running = FuturesUnordered::new();
    loop {
        if run.failure.is_none() && !stop.load(Ordering::SeqCst) {
            for i in run.ready(&plan) {
                let change = run.start(i, &plan.changes[i], accounts, journal, progress)?;
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
        run.finished(
            i,
            (&plan.changes[i], ran, result),
            accounts,
            journal,
            progress,
        )?;
    }
    run.end(plan, journal, progress, stop)
}

/// Where an apply stands: each change's state and outcome, and what later changes need.
struct Schedule {
    state: Vec<State>,
    outcomes: Vec<Outcome>,
    /// Ids of variable sets created by this apply, for the changes that target them.
    created_sets: HashMap<String, String>,
    /// The first failure: once set, nothing new starts.
    failure: Option<(usize, ChangeError)>,
    /// Each started change's journaled intent.
    intents: Vec<Option<u64>>,
}

impl Schedule {
    fn new(n: usize) -> Self {
        Schedule {
            state: vec![State::Pending; n],
            outcomes: vec![Outcome::default(); n],
            created_sets: HashMap::new(),
            failure: None,
            intents: vec![None; n],
        }
    }

    /// The pending changes whose dependencies are all done.
    fn ready(&self, plan: &Plan) -> Vec<usize> {
        (0..self.state.len())
            .filter(|&i| {
                self.state[i] == State::Pending
                    && (plan.changes[i].depends_on.iter()).all(|d| self.state[*d] == State::Done)
            })
            .collect()
    }

    /// Marks change `i` running and journals its intent; returns the change to execute.
    fn start(
        &mut self,
        i: usize,
        planned: &PlannedChange,
        accounts: &Accounts,
        journal: &mut JournalWriter,
        progress: &(dyn Fn(Progress) + Send + Sync),
    ) -> Result<Change, ApplyError> {
        self.state[i] = State::Running;
        let change = resolve(&planned.change, &self.created_sets);
        // The intent is on disk before the call: a kill during it is never lost.
        self.intents[i] = Some(journal.intent(&change, place_of(planned, accounts))?);
        progress(Progress::Started { index: i });
        Ok(change)
    }

    /// Journals and records how change `i` (`planned`, executed as `ran`) ended.
    fn finished(
        &mut self,
        i: usize,
        (planned, ran, result): (&PlannedChange, Change, Result<Outcome, ChangeError>),
        accounts: &Accounts,
        journal: &mut JournalWriter,
        progress: &(dyn Fn(Progress) + Send + Sync),
    ) -> Result<(), ApplyError> {
        match result {
            Ok(outcome) => {
                journal.done(self.intents[i], &ran, &outcome, place_of(planned, accounts))?;
                if let Some(Holder::VariableSet { id, name }) = ran.kind().creates(&outcome) {
                    self.created_sets.insert(name, id);
                }
                self.state[i] = State::Done;
                self.outcomes[i] = outcome;
                progress(Progress::Done { index: i });
            }
            Err(e) => {
                self.state[i] = State::Failed;
                journal.failed(self.intents[i], &planned.change, &e.to_string())?;
                progress(Progress::Failed {
                    index: i,
                    error: e.to_string(),
                });
                self.failure.get_or_insert((i, e));
            }
        }
        Ok(())
    }

    /// Ends the journal and says how the apply went: partial after a failure, interrupted when
    /// stopped, else the report.
    fn end(
        self,
        plan: Plan,
        journal: &mut JournalWriter,
        progress: &(dyn Fn(Progress) + Send + Sync),
        stop: &AtomicBool,
    ) -> Result<ApplyReport, ApplyError> {
        let total = plan.changes.len();
        let done = self.state.iter().filter(|s| **s == State::Done).count();
        if done < total {
            self.skip_pending(progress);
            journal.end(EndStatus::Partial)?;
        }
        if let Some((i, error)) = self.failure {
            return Err(ApplyError::Partial {
                done,
                total,
                failed: plan.changes[i].change.summary(),
                error,
            });
        }
        if done < total {
            return Err(ApplyError::Interrupted { done, total });
        }
        journal.end(EndStatus::Complete)?;
        // Interrupted after the last change had started: everything is done, but the user asked
        // to stop, and exit 3 tells a script to look (a re-run plans nothing).
        if stop.load(Ordering::SeqCst) {
            return Err(ApplyError::Interrupted { done, total });
        }
        let outcomes = self.outcomes;
        Ok(ApplyReport { plan, outcomes })
    }

    /// Tells the display that the changes not started will not be.
    fn skip_pending(&self, progress: &(dyn Fn(Progress) + Send + Sync)) {
        for (j, s) in self.state.iter().enumerate() {
            if *s == State::Pending {
                progress(Progress::Skipped { index: j });
            }
        }
    }
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
