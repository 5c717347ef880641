//! The journal: one JSON Lines file per apply. Each change gets an `intent` line before its call
//! and a `done` or `failed` line after it, each written whole and synced, so a process killed at
//! any moment leaves a record that says what was done and what was in flight: a re-run continues
//! the same record and `undo` resolves in-flight changes against what exists. It holds no token
//! and no secret value: plans never carry one.
//!
//! Format history: version 1 (before intents) wrote only `done`/`failed` lines; such records are
//! read as they are (they simply have nothing in flight).

pub use crate::core::change::Outcome;
use crate::core::plan::{Change, Plan};
use crate::core::private_files;
use serde::{Deserialize, Serialize};
use std::fs::{self, File};
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};

/// Whether a record is a setup apply or the undo of one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RecordKind {
    Apply,
    Undo,
}

/// How an apply ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EndStatus {
    Complete,
    Partial,
}

/// One line of a journal file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "event", rename_all = "snake_case")]
pub enum Entry {
    Begin {
        at: String,
        kind: RecordKind,
        host: String,
        organization: String,
        project: String,
        account: String,
        fingerprint: String,
        planned: usize,
    },
    Resume {
        at: String,
        planned: usize,
    },
    /// Written (and synced) right before a change's call.
    Intent {
        at: String,
        seq: u64,
        change: Box<Change>,
        /// The AWS account the change acts in and the profile that reaches it, when not the
        /// default credentials' account (absent in older records).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        account: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        profile: Option<String>,
    },
    Done {
        at: String,
        change: Box<Change>,
        outcome: Outcome,
        /// The intent this finishes (absent in version 1 records).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        intent: Option<u64>,
        /// As in [`Entry::Intent`].
        #[serde(default, skip_serializing_if = "Option::is_none")]
        account: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        profile: Option<String>,
    },
    Failed {
        at: String,
        summary: String,
        error: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        intent: Option<u64>,
    },
    End {
        at: String,
        status: EndStatus,
    },
    Reverted {
        at: String,
        by: String,
    },
}

fn now() -> String {
    time::OffsetDateTime::now_utc()
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_default()
}

/// A journal file read back.
#[derive(Debug, Clone, PartialEq)]
pub struct Record {
    pub path: PathBuf,
    pub entries: Vec<Entry>,
}

impl Record {
    pub fn kind(&self) -> Option<RecordKind> {
        self.entries.iter().find_map(|e| match e {
            Entry::Begin { kind, .. } => Some(*kind),
            _ => None,
        })
    }

    pub fn fingerprint(&self) -> Option<&str> {
        self.entries.iter().find_map(|e| match e {
            Entry::Begin { fingerprint, .. } => Some(fingerprint.as_str()),
            _ => None,
        })
    }

    /// The changes that were applied, in order, with what they produced.
    pub fn done(&self) -> Vec<(&Change, &Outcome)> {
        self.entries
            .iter()
            .filter_map(|e| match e {
                Entry::Done {
                    change, outcome, ..
                } => Some((change.as_ref(), outcome)),
                _ => None,
            })
            .collect()
    }

    /// Changes whose call started but whose outcome was never written (the process died during
    /// the call): they may or may not have happened.
    pub fn in_flight(&self) -> Vec<&Change> {
        let in_flight = self.in_flight_in_accounts().into_iter();
        in_flight.map(|(change, _)| change).collect()
    }

    pub fn is_reverted(&self) -> bool {
        self.entries
            .iter()
            .any(|e| matches!(e, Entry::Reverted { .. }))
    }

    /// Ended with every change done.
    pub fn is_complete(&self) -> bool {
        matches!(
            self.entries.last(),
            Some(Entry::End {
                status: EndStatus::Complete,
                ..
            })
        )
    }
}

/// The journal directory.
#[derive(Debug, Clone)]
pub struct Journal {
    dir: Option<PathBuf>,
    /// No place to keep a journal was found: nothing may be applied.
    nowhere: bool,
}

/// How long a run waits for another one holding the journal's lock, then refuses.
pub const RUN_LOCK_WAIT: std::time::Duration = std::time::Duration::from_secs(30);

/// Held while a run plans and applies: a second run waits for it or refuses.
#[derive(Debug)]
pub struct RunLock {
    _file: Option<File>,
}

/// Appends entries to one record as they happen.
#[derive(Debug)]
pub struct JournalWriter {
    file: Option<(PathBuf, File)>,
    entries: Vec<Entry>,
    /// The next intent's number (unique within the record, also across resumes).
    seq: u64,
}

fn io_err(path: &Path, e: impl std::fmt::Display) -> crate::core::error::ApplyError {
    crate::core::error::ApplyError::Journal {
        path: path.display().to_string(),
        detail: e.to_string(),
    }
}

impl Journal {
    /// A journal kept in `dir` (created when first written).
    pub fn at(dir: impl Into<PathBuf>) -> Journal {
        Journal {
            dir: Some(dir.into()),
            nowhere: false,
        }
    }

    /// A journal that keeps nothing on disk (tests, the TUI's demo).
    pub fn in_memory() -> Journal {
        Journal {
            dir: None,
            nowhere: false,
        }
    }

    /// No data directory could be found: reading works (nothing is there), applying is refused,
    /// since a change without a record could never be undone.
    pub fn nowhere() -> Journal {
        Journal {
            dir: None,
            nowhere: true,
        }
    }

    pub fn dir(&self) -> Option<&Path> {
        self.dir.as_deref()
    }

    /// Every record, oldest first. Unreadable lines are skipped rather than failing undo.
    pub fn records(&self) -> Vec<Record> {
        let Some(dir) = &self.dir else {
            return Vec::new();
        };
        let Ok(read) = fs::read_dir(dir) else {
            return Vec::new();
        };
        let mut paths: Vec<PathBuf> = read
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "jsonl"))
            .collect();
        paths.sort();
        paths
            .into_iter()
            .map(|path| {
                let entries = File::open(&path)
                    .map(|f| {
                        BufReader::new(f)
                            .lines()
                            .map_while(Result::ok)
                            .filter_map(|l| serde_json::from_str(&l).ok())
                            .collect()
                    })
                    .unwrap_or_default();
                Record { path, entries }
            })
            .collect()
    }

    /// The newest apply record that has not been reverted and changed something.
    pub fn last_apply(&self) -> Option<Record> {
        self.records().into_iter().rev().find(|r| {
            r.kind() == Some(RecordKind::Apply)
                && !r.is_reverted()
                && (!r.done().is_empty() || !r.in_flight().is_empty())
        })
    }

    /// Starts a record for `plan`. When the newest record is an unfinished apply of the same
    /// answers, it is continued (a resume) instead, so undo sees one whole apply.
    pub fn begin(
        &self,
        plan: &Plan,
        kind: RecordKind,
    ) -> Result<JournalWriter, crate::core::error::ApplyError> {
        if self.nowhere {
            return Err(crate::core::error::ApplyError::Journal {
                path: "(none)".into(),
                detail: "no data directory was found (is HOME set?), so nothing is applied: a change without a record could not be undone".into(),
            });
        }
        let Some(dir) = &self.dir else {
            return Ok(JournalWriter {
                file: None,
                entries: Vec::new(),
                seq: 0,
            });
        };
        private_files::create_dir(dir).map_err(|e| io_err(dir, e))?;
        if kind == RecordKind::Apply {
            if let Some(last) = self.records().pop() {
                let same = last.kind() == Some(RecordKind::Apply)
                    && last.fingerprint() == Some(plan.fingerprint.as_str());
                if same && !last.is_complete() && !last.is_reverted() {
                    let file = private_files::open_append(&last.path)
                        .map_err(|e| io_err(&last.path, e))?;
                    let seq = last.entries.len() as u64;
                    let mut w = JournalWriter {
                        file: Some((last.path.clone(), file)),
                        entries: last.entries,
                        seq,
                    };
                    w.write(Entry::Resume {
                        at: now(),
                        planned: plan.changes.len(),
                    })?;
                    return Ok(w);
                }
            }
        }
        let stamp = time::OffsetDateTime::now_utc().unix_timestamp_nanos();
        let name = format!(
            "{stamp:024}-{}-{}.jsonl",
            match kind {
                RecordKind::Apply => "apply",
                RecordKind::Undo => "undo",
            },
            plan.fingerprint
        );
        let path = dir.join(name);
        let file = private_files::create_new(&path).map_err(|e| io_err(&path, e))?;
        let mut w = JournalWriter {
            file: Some((path, file)),
            entries: Vec::new(),
            seq: 0,
        };
        w.write(Entry::Begin {
            at: now(),
            kind,
            host: plan.host.clone(),
            organization: plan.organization.clone(),
            project: plan.projects.join(", "),
            account: plan.account.clone(),
            fingerprint: plan.fingerprint.clone(),
            planned: plan.changes.len(),
        })?;
        Ok(w)
    }

    /// Takes the run lock before planning, the one rule of every front (the CLI's `setup`,
    /// `migrate` and `undo`, and the wizard): wait up to [`RUN_LOCK_WAIT`] for another run,
    /// calling `waiting` once if it has to, so no plan is computed from a state another run is
    /// changing. Held until the apply ends (or the plan is dropped).
    pub async fn lock_for_run(
        &self,
        waiting: impl Fn() + Send + 'static,
    ) -> Result<RunLock, crate::core::error::ApplyError> {
        let journal = self.clone();
        tokio::task::spawn_blocking(move || journal.lock(RUN_LOCK_WAIT, &waiting))
            .await
            .map_err(|e| crate::core::error::ApplyError::Journal {
                path: "the run lock".into(),
                detail: e.to_string(),
            })?
    }

    /// Takes the journal's lock for a whole plan-and-apply, waiting up to `wait` for another run
    /// to finish (calling `waiting` once if it has to). The lock goes with the returned guard,
    /// and with the process if it dies.
    pub fn lock(
        &self,
        wait: std::time::Duration,
        waiting: &dyn Fn(),
    ) -> Result<RunLock, crate::core::error::ApplyError> {
        let Some(dir) = &self.dir else {
            return Ok(RunLock { _file: None });
        };
        private_files::create_dir(dir).map_err(|e| io_err(dir, e))?;
        let path = dir.join(".lock");
        let file = private_files::open_lock(&path).map_err(|e| io_err(&path, e))?;
        let started = std::time::Instant::now();
        let mut told = false;
        loop {
            match file.try_lock() {
                Ok(()) => return Ok(RunLock { _file: Some(file) }),
                Err(fs::TryLockError::WouldBlock) if started.elapsed() < wait => {
                    if !told {
                        waiting();
                        told = true;
                    }
                    std::thread::sleep(std::time::Duration::from_millis(100));
                }
                Err(fs::TryLockError::WouldBlock) => {
                    return Err(crate::core::error::ApplyError::Locked {
                        path: path.display().to_string(),
                    })
                }
                Err(fs::TryLockError::Error(e)) => return Err(io_err(&path, e)),
            }
        }
    }

    /// Marks a record as reverted by an undo record.
    pub fn mark_reverted(
        &self,
        record: &Record,
        by: &Path,
    ) -> Result<(), crate::core::error::ApplyError> {
        let mut f =
            private_files::open_append(&record.path).map_err(|e| io_err(&record.path, e))?;
        let line = serde_json::to_string(&Entry::Reverted {
            at: now(),
            by: by.display().to_string(),
        })
        .map_err(|e| io_err(&record.path, e))?;
        writeln!(f, "{line}")
            .and_then(|_| f.sync_data())
            .map_err(|e| io_err(&record.path, e))
    }
}

impl JournalWriter {
    pub fn path(&self) -> Option<&Path> {
        self.file.as_ref().map(|(p, _)| p.as_path())
    }

    pub fn entries(&self) -> &[Entry] {
        &self.entries
    }

    fn write(&mut self, entry: Entry) -> Result<(), crate::core::error::ApplyError> {
        if let Some((path, file)) = &mut self.file {
            let line = serde_json::to_string(&entry).map_err(|e| io_err(path, e))?;
            // Synced line by line: after a crash the journal must say what really happened.
            writeln!(file, "{line}")
                .and_then(|_| file.sync_data())
                .map_err(|e| io_err(path, e))?;
        }
        self.entries.push(entry);
        Ok(())
    }

    /// Records that `change`'s call is about to start; returns the intent's number.
    /// `place`: (account, profile) of a change outside the default credentials' account.
    pub fn intent(
        &mut self,
        change: &Change,
        place: Option<(&str, &str)>,
    ) -> Result<u64, crate::core::error::ApplyError> {
        // Resumed records continue after every number already used.
        let used = self.entries.iter().filter_map(|e| match e {
            Entry::Intent { seq, .. } => Some(*seq + 1),
            _ => None,
        });
        let seq = used.max().unwrap_or(0).max(self.seq);
        self.seq = seq + 1;
        self.write(Entry::Intent {
            at: now(),
            seq,
            change: Box::new(change.clone()),
            account: place.map(|(a, _)| a.to_string()),
            profile: place.map(|(_, p)| p.to_string()),
        })?;
        Ok(seq)
    }

    pub fn done(
        &mut self,
        intent: Option<u64>,
        change: &Change,
        outcome: &Outcome,
        place: Option<(&str, &str)>,
    ) -> Result<(), crate::core::error::ApplyError> {
        self.write(Entry::Done {
            at: now(),
            change: Box::new(change.clone()),
            outcome: outcome.clone(),
            intent,
            account: place.map(|(a, _)| a.to_string()),
            profile: place.map(|(_, p)| p.to_string()),
        })
    }

    pub fn failed(
        &mut self,
        intent: Option<u64>,
        change: &Change,
        error: &str,
    ) -> Result<(), crate::core::error::ApplyError> {
        self.write(Entry::Failed {
            at: now(),
            summary: change.summary(),
            error: error.to_string(),
            intent,
        })
    }

    pub fn end(&mut self, status: EndStatus) -> Result<(), crate::core::error::ApplyError> {
        self.write(Entry::End { at: now(), status })
    }
}
