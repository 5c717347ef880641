//! Reading the inventory through the ports: HCP Terraform (projects, workspaces, variable sets
//! and their variables, each workspace's own variables, the Stacks) beside AWS (`read_aws`).
//!
//! Everything that does not depend on an earlier answer runs at once: the variable sets and
//! their variables beside the projects, the workspaces and the workspaces' variables. The calls
//! for N workspaces and M sets are N + M + the list pages; the HCP Terraform adapter's own
//! limiter keeps them under the API's rate limit, and [`CONCURRENCY`] bounds how many wait on it.

use super::read_aws::read_aws;
use super::{Inventory, InventoryScope, ReadProgress, VarsetEntry};
use super::{WorkspaceEntry, CONCURRENCY};
use crate::core::ports::{Iam, IamError, Project, Stack, Tfc, TfcError, Variable, Workspace};
use crate::core::variables::effective_variables;
use futures::{StreamExt, TryStreamExt};
use std::future::Future;
use std::sync::Mutex;

/// Why the inventory could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum InventoryError {
    #[error("{source}")]
    Tfc {
        action: &'static str,
        source: TfcError,
    },
    #[error("could not {action}: {source}")]
    Aws {
        action: &'static str,
        source: IamError,
    },
    #[error("project '{project}' not found in organization '{organization}' (projects: {})", known.join(", "))]
    UnknownProject {
        organization: String,
        project: String,
        known: Vec<String>,
    },
}

impl InventoryError {
    /// Whether the error is a name the user gave that does not exist (exit 2), not a failure.
    pub fn is_usage(&self) -> bool {
        match self {
            InventoryError::UnknownProject { .. } => true,
            InventoryError::Tfc { source, .. } => source.is_not_found(),
            InventoryError::Aws { .. } => false,
        }
    }
}

/// Counts port calls for the progress callback: `expect` before a call starts, `tick` when it
/// ends, so `done <= total` in every report and the last report has `done == total`. Reports
/// are made under the lock, so they arrive in order.
pub(super) struct Counter<'a> {
    counts: Mutex<ReadProgress>,
    report: &'a (dyn Fn(ReadProgress) + Send + Sync),
}

impl<'a> Counter<'a> {
    pub(super) fn new(report: &'a (dyn Fn(ReadProgress) + Send + Sync)) -> Counter<'a> {
        Counter {
            counts: Mutex::new(ReadProgress { done: 0, total: 0 }),
            report,
        }
    }

    pub(super) fn expect(&self, n: usize) {
        if n > 0 {
            self.update(|p| p.total += n);
        }
    }

    fn tick(&self) {
        self.update(|p| p.done += 1);
    }

    fn update(&self, change: impl FnOnce(&mut ReadProgress)) {
        let mut counts = self.counts.lock().unwrap_or_else(|e| e.into_inner());
        change(&mut counts);
        (self.report)(*counts);
    }

    /// Awaits one expected HCP Terraform call and counts it done.
    pub(super) async fn tfc<T>(
        &self,
        action: &'static str,
        call: impl Future<Output = Result<T, TfcError>>,
    ) -> Result<T, InventoryError> {
        let result = call.await;
        self.tick();
        result.map_err(|source| InventoryError::Tfc { action, source })
    }

    /// Awaits one expected AWS call and counts it done.
    pub(super) async fn aws<T>(
        &self,
        action: &'static str,
        call: impl Future<Output = Result<T, IamError>>,
    ) -> Result<T, InventoryError> {
        let result = call.await;
        self.tick();
        result.map_err(|source| InventoryError::Aws { action, source })
    }
}

/// Runs `read` for every item, at most [`CONCURRENCY`] at once, keeping the order; the first
/// error stops the rest.
pub(super) async fn each<'i, T, R, F, Fut>(
    items: &'i [T],
    read: F,
) -> Result<Vec<R>, InventoryError>
where
    F: FnMut(&'i T) -> Fut,
    Fut: Future<Output = Result<R, InventoryError>>,
{
    // The (lazy) futures are made first so that the closure is not part of the returned
    // future: a closure over a borrowed item would stop callers from proving it `Send`.
    let reads: Vec<Fut> = items.iter().map(read).collect();
    futures::stream::iter(reads)
        .buffered(CONCURRENCY)
        .try_collect()
        .await
}

/// Reads the organization (or one project) and, when `iam` is given, the AWS account.
pub async fn read(
    scope: &InventoryScope,
    tfc: &dyn Tfc,
    iam: Option<&dyn Iam>,
    progress: &(dyn Fn(ReadProgress) + Send + Sync),
) -> Result<Inventory, InventoryError> {
    let counter = Counter::new(progress);
    let aws = async {
        match iam {
            Some(iam) => read_aws(&scope.host, iam, &counter).await.map(Some),
            None => Ok(None),
        }
    };
    let sets = read_sets(&scope.organization, tfc, &counter);
    let workspaces = read_workspaces(scope, tfc, &counter);
    let stacks =
        async { Ok::<_, InventoryError>(read_stacks(&scope.organization, tfc, &counter).await) };
    let (variable_sets, (projects, workspaces), stacks, aws) =
        futures::try_join!(sets, workspaces, stacks, aws)?;
    let organization = workspaces
        .iter()
        .find_map(|(w, _)| w.organization.clone())
        .unwrap_or_else(|| scope.organization.clone());
    let workspaces = workspaces
        .into_iter()
        .map(|(workspace, variables)| entry(workspace, variables, &projects, &variable_sets))
        .collect();
    Ok(Inventory {
        host: scope.host.clone(),
        organization,
        scope_project: scope.project.clone(),
        projects,
        workspaces,
        variable_sets,
        stacks,
        aws,
    })
}

/// Every Stack of the organization (one call per page). A server without the Stacks API has
/// none (the adapter turns its 404 into an empty list); any other refusal gives `None`, so a
/// token that may not list Stacks costs the Stack checks, not the review.
async fn read_stacks(org: &str, tfc: &dyn Tfc, counter: &Counter<'_>) -> Option<Vec<Stack>> {
    counter.expect(1);
    counter
        .tfc("list the Stacks", tfc.stacks(org, None))
        .await
        .ok()
}

/// Every variable set of the organization with its variables (one call per set).
async fn read_sets(
    org: &str,
    tfc: &dyn Tfc,
    counter: &Counter<'_>,
) -> Result<Vec<VarsetEntry>, InventoryError> {
    counter.expect(1);
    let sets = counter
        .tfc("list the variable sets", tfc.variable_sets(org))
        .await?;
    counter.expect(sets.len());
    let variables = each(&sets, |set| {
        counter.tfc(
            "read a variable set's variables",
            tfc.variable_set_variables(&set.id),
        )
    })
    .await?;
    Ok(sets
        .into_iter()
        .zip(variables)
        .map(|(set, variables)| VarsetEntry { set, variables })
        .collect())
}

type ProjectsAndWorkspaces = (Vec<Project>, Vec<(Workspace, Vec<Variable>)>);

/// The projects, and the workspaces in scope with their own variables. Without a project scope
/// the workspaces are listed beside the projects; with one, once its id is known.
async fn read_workspaces(
    scope: &InventoryScope,
    tfc: &dyn Tfc,
    counter: &Counter<'_>,
) -> Result<ProjectsAndWorkspaces, InventoryError> {
    let org = &scope.organization;
    counter.expect(2);
    let projects = counter.tfc("list the projects", tfc.projects(org));
    let (projects, workspaces) = match &scope.project {
        None => {
            let workspaces = counter.tfc("list the workspaces", tfc.workspaces(org, None));
            futures::try_join!(projects, workspaces)?
        }
        Some(name) => {
            let projects = projects.await?;
            let project = find_project(&projects, org, name)?;
            let workspaces = counter
                .tfc(
                    "list the workspaces",
                    tfc.workspaces(org, Some(&project.id)),
                )
                .await?;
            (projects, workspaces)
        }
    };
    counter.expect(workspaces.len());
    let variables = each(&workspaces, |ws| {
        counter.tfc(
            "read a workspace's variables",
            tfc.workspace_variables(&ws.id),
        )
    })
    .await?;
    Ok((projects, workspaces.into_iter().zip(variables).collect()))
}

/// The project named `name` (exactly, else ignoring ASCII case).
fn find_project<'p>(
    projects: &'p [Project],
    org: &str,
    name: &str,
) -> Result<&'p Project, InventoryError> {
    projects
        .iter()
        .find(|p| p.name == name)
        .or_else(|| projects.iter().find(|p| p.name.eq_ignore_ascii_case(name)))
        .ok_or_else(|| InventoryError::UnknownProject {
            organization: org.to_owned(),
            project: name.to_owned(),
            known: projects.iter().map(|p| p.name.clone()).collect(),
        })
}

/// A workspace with its effective variables and its project's name.
fn entry(
    workspace: Workspace,
    variables: Vec<Variable>,
    projects: &[Project],
    sets: &[VarsetEntry],
) -> WorkspaceEntry {
    let effective = effective_variables(
        &workspace.id,
        &workspace.project_id,
        &variables,
        sets.iter().map(|s| (&s.set, s.variables.as_slice())),
    );
    let project_name = workspace
        .project_name
        .clone()
        .or_else(|| {
            projects
                .iter()
                .find(|p| p.id == workspace.project_id)
                .map(|p| p.name.clone())
        })
        .unwrap_or_default();
    WorkspaceEntry {
        workspace,
        project_name,
        variables,
        effective,
    }
}
