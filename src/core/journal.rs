//! The journal: one JSON Lines file per apply, written as each change finishes, so an
//! interrupted apply says what was done, a re-run continues the same record, and `undo` knows what
//! to revert. It holds no token and no secret value: plans never carry one.

use crate::core::plan::{Change, Plan};
use serde::{Deserialize, Serialize};
use std::fs::{self, File, OpenOptions};
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};

/// What a change produced that undo needs (the id of what it created).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Outcome {
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub id: Option<String>,
}

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
    Done {
        at: String,
        change: Change,
        outcome: Outcome,
    },
    Failed {
        at: String,
        summary: String,
        error: String,
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
                } => Some((change, outcome)),
                _ => None,
            })
            .collect()
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
}

/// Appends entries to one record as they happen.
#[derive(Debug)]
pub struct JournalWriter {
    file: Option<(PathBuf, File)>,
    entries: Vec<Entry>,
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
        }
    }

    /// A journal that keeps nothing on disk (tests, the TUI's demo).
    pub fn in_memory() -> Journal {
        Journal { dir: None }
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
            r.kind() == Some(RecordKind::Apply) && !r.is_reverted() && !r.done().is_empty()
        })
    }

    /// Starts a record for `plan`. When the newest record is an unfinished apply of the same
    /// answers, it is continued (a resume) instead, so undo sees one whole apply.
    pub fn begin(
        &self,
        plan: &Plan,
        kind: RecordKind,
    ) -> Result<JournalWriter, crate::core::error::ApplyError> {
        let Some(dir) = &self.dir else {
            return Ok(JournalWriter {
                file: None,
                entries: Vec::new(),
            });
        };
        fs::create_dir_all(dir).map_err(|e| io_err(dir, e))?;
        if kind == RecordKind::Apply {
            if let Some(last) = self.records().pop() {
                let same = last.kind() == Some(RecordKind::Apply)
                    && last.fingerprint() == Some(plan.fingerprint.as_str());
                if same && !last.is_complete() && !last.is_reverted() {
                    let file = OpenOptions::new()
                        .append(true)
                        .open(&last.path)
                        .map_err(|e| io_err(&last.path, e))?;
                    let mut w = JournalWriter {
                        file: Some((last.path.clone(), file)),
                        entries: last.entries,
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
        let file = OpenOptions::new()
            .create_new(true)
            .append(true)
            .open(&path)
            .map_err(|e| io_err(&path, e))?;
        let mut w = JournalWriter {
            file: Some((path, file)),
            entries: Vec::new(),
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

    /// Marks a record as reverted by an undo record.
    pub fn mark_reverted(
        &self,
        record: &Record,
        by: &Path,
    ) -> Result<(), crate::core::error::ApplyError> {
        let mut f = OpenOptions::new()
            .append(true)
            .open(&record.path)
            .map_err(|e| io_err(&record.path, e))?;
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

    pub fn done(
        &mut self,
        change: &Change,
        outcome: &Outcome,
    ) -> Result<(), crate::core::error::ApplyError> {
        self.write(Entry::Done {
            at: now(),
            change: change.clone(),
            outcome: outcome.clone(),
        })
    }

    pub fn failed(
        &mut self,
        change: &Change,
        error: &str,
    ) -> Result<(), crate::core::error::ApplyError> {
        self.write(Entry::Failed {
            at: now(),
            summary: change.summary(),
            error: error.to_string(),
        })
    }

    pub fn end(&mut self, status: EndStatus) -> Result<(), crate::core::error::ApplyError> {
        self.write(Entry::End { at: now(), status })
    }
}
