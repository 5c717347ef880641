//! Reading the inventory through the ports: HCP Terraform (projects, workspaces, variable sets
//! and their variables, each workspace's own variables) beside AWS (providers, roles that trust
//! the HOST provider, their policies).

use super::{
    effective_variables, role_entry, AwsInventory, Inventory, InventoryScope, ReadProgress,
    RoleEntry, VarsetEntry, WorkspaceEntry,
};
use crate::core::ports::{Iam, IamError, Tfc, TfcError};
use futures::future::try_join_all;
use std::sync::atomic::{AtomicUsize, Ordering};

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

fn tfc_err(action: &'static str) -> impl Fn(TfcError) -> InventoryError {
    move |source| InventoryError::Tfc { action, source }
}

fn aws_err(action: &'static str) -> impl Fn(IamError) -> InventoryError {
    move |source| InventoryError::Aws { action, source }
}

/// Counts calls for the progress callback.
struct Counter<'a> {
    done: AtomicUsize,
    total: AtomicUsize,
    report: &'a (dyn Fn(ReadProgress) + Send + Sync),
}

impl Counter<'_> {
    fn expect(&self, n: usize) {
        self.total.fetch_add(n, Ordering::Relaxed);
        self.emit();
    }
    fn tick(&self) {
        self.done.fetch_add(1, Ordering::Relaxed);
        self.emit();
    }
    fn emit(&self) {
        (self.report)(ReadProgress {
            done: self.done.load(Ordering::Relaxed),
            total: self.total.load(Ordering::Relaxed),
        });
    }
}

/// Reads the organization (or one project) and, when `iam` is given, the AWS account.
pub async fn read(
    scope: &InventoryScope,
    tfc: &dyn Tfc,
    iam: Option<&dyn Iam>,
    progress: &(dyn Fn(ReadProgress) + Send + Sync),
) -> Result<Inventory, InventoryError> {
    let counter = Counter {
        done: AtomicUsize::new(0),
        total: AtomicUsize::new(0),
        report: progress,
    };
    let aws = async {
        match iam {
            Some(iam) => read_aws(&scope.host, iam, &counter).await.map(Some),
            None => Ok(None),
        }
    };
    let (tfc_part, aws) = futures::try_join!(read_tfc(scope, tfc, &counter), aws)?;
    let (organization, projects, workspaces, variable_sets) = tfc_part;
    Ok(Inventory {
        host: scope.host.clone(),
        organization,
        scope_project: scope.project.clone(),
        projects,
        workspaces,
        variable_sets,
        aws,
    })
}

type TfcPart = (
    String,
    Vec<crate::core::ports::Project>,
    Vec<WorkspaceEntry>,
    Vec<VarsetEntry>,
);

async fn read_tfc(
    scope: &InventoryScope,
    tfc: &dyn Tfc,
    counter: &Counter<'_>,
) -> Result<TfcPart, InventoryError> {
    let org = &scope.organization;
    counter.expect(3);
    let projects = async {
        let p = tfc
            .projects(org)
            .await
            .map_err(tfc_err("list the projects"))?;
        counter.tick();
        Ok::<_, InventoryError>(p)
    };
    let sets = async {
        let s = tfc
            .variable_sets(org)
            .await
            .map_err(tfc_err("list the variable sets"))?;
        counter.tick();
        counter.expect(s.len());
        let vars = try_join_all(s.iter().map(|set| async {
            let v = tfc
                .variable_set_variables(&set.id)
                .await
                .map_err(tfc_err("read a variable set's variables"))?;
            counter.tick();
            Ok::<_, InventoryError>(v)
        }))
        .await?;
        Ok(s.into_iter()
            .zip(vars)
            .map(|(set, variables)| VarsetEntry { set, variables })
            .collect::<Vec<_>>())
    };
    let (projects, sets) = futures::try_join!(projects, sets)?;
    let project = match &scope.project {
        None => None,
        Some(name) => Some(
            projects
                .iter()
                .find(|p| &p.name == name)
                .or_else(|| projects.iter().find(|p| p.name.eq_ignore_ascii_case(name)))
                .ok_or_else(|| InventoryError::UnknownProject {
                    organization: org.clone(),
                    project: name.clone(),
                    known: projects.iter().map(|p| p.name.clone()).collect(),
                })?
                .clone(),
        ),
    };
    let workspaces = tfc
        .workspaces(org, project.as_ref().map(|p| p.id.as_str()))
        .await
        .map_err(tfc_err("list the workspaces"))?;
    counter.tick();
    counter.expect(workspaces.len());
    let own = try_join_all(workspaces.iter().map(|ws| async {
        let v = tfc
            .workspace_variables(&ws.id)
            .await
            .map_err(tfc_err("read a workspace's variables"))?;
        counter.tick();
        Ok::<_, InventoryError>(v)
    }))
    .await?;
    let organization = workspaces
        .iter()
        .find_map(|w| w.organization.clone())
        .unwrap_or_else(|| org.clone());
    let entries = workspaces
        .into_iter()
        .zip(own)
        .map(|(workspace, variables)| {
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
        })
        .collect();
    Ok((organization, projects, entries, sets))
}

async fn read_aws(
    host: &str,
    iam: &dyn Iam,
    counter: &Counter<'_>,
) -> Result<AwsInventory, InventoryError> {
    counter.expect(3);
    let caller = iam
        .caller_identity()
        .await
        .map_err(aws_err("read the AWS caller identity"))?;
    counter.tick();
    let host_provider_arn = format!(
        "arn:{}:iam::{}:oidc-provider/{host}",
        caller.partition(),
        caller.account
    );
    let providers = async {
        let arns = iam
            .list_oidc_providers()
            .await
            .map_err(aws_err("list the OIDC providers"))?;
        counter.tick();
        counter.expect(arns.len());
        let found = try_join_all(arns.iter().map(|arn| async {
            let p = iam
                .get_oidc_provider(arn)
                .await
                .map_err(aws_err("read an OIDC provider"))?;
            counter.tick();
            Ok::<_, InventoryError>(p)
        }))
        .await?;
        Ok::<_, InventoryError>(found.into_iter().flatten().collect::<Vec<_>>())
    };
    let roles = async {
        let listed = iam.list_roles().await.map_err(aws_err("list the roles"))?;
        counter.tick();
        let ours: Vec<_> = listed
            .into_iter()
            .filter(|r| super::trusts_provider(r, &host_provider_arn))
            .collect();
        counter.expect(ours.len() * 3);
        try_join_all(ours.into_iter().map(|r| read_role(iam, r, counter))).await
    };
    let (providers, roles) = futures::try_join!(providers, roles)?;
    Ok(AwsInventory {
        caller,
        providers,
        host_provider_arn,
        roles,
    })
}

/// GetRole (ListRoles leaves out tags and last use) and the role's policies.
async fn read_role(
    iam: &dyn Iam,
    listed: crate::core::ports::Role,
    counter: &Counter<'_>,
) -> Result<RoleEntry, InventoryError> {
    let name = listed.name.clone();
    let role = async {
        let r = iam.get_role(&name).await.map_err(aws_err("read a role"))?;
        counter.tick();
        Ok::<_, InventoryError>(r.unwrap_or(listed))
    };
    let attached = async {
        let a = iam
            .list_attached_policies(&name)
            .await
            .map_err(aws_err("list a role's policies"))?;
        counter.tick();
        Ok(a)
    };
    let inline = async {
        let names = iam
            .list_inline_policies(&name)
            .await
            .map_err(aws_err("list a role's inline policies"))?;
        counter.tick();
        let docs = try_join_all(names.iter().map(|p| async {
            let doc = iam
                .get_inline_policy(&name, p)
                .await
                .map_err(aws_err("read an inline policy"))?;
            Ok::<_, InventoryError>(doc.map(|d| (p.clone(), d)))
        }))
        .await?;
        Ok((names, docs.into_iter().flatten().collect::<Vec<_>>()))
    };
    let (role, attached, (inline_names, inline_docs)) = futures::try_join!(role, attached, inline)?;
    Ok(role_entry(role, attached, inline_names, inline_docs))
}
