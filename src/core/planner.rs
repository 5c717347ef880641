//! Computing a [`Plan`] from the answers and what exists now. Planning only reads: the AWS side
//! and the HCP Terraform side are read concurrently, and nothing is ever written.

use crate::core::answers::{
    Answers, TargetChoice, WorkspaceSelection, DEFAULT_AUDIENCE, INLINE_POLICY_NAME,
};
use crate::core::error::PlanError;
use crate::core::plan::*;
use crate::core::ports::*;
use crate::core::subject::{Phase, SubjectPattern, WorkspaceScope};
use crate::core::trust_policy::{self, TrustSpec};
use futures::future::try_join_all;
use serde_json::Value;

/// Static AWS key variables: where they remain, runs keep using them instead of OIDC.
pub const STATIC_KEYS: [&str; 3] = [
    "AWS_ACCESS_KEY_ID",
    "AWS_SECRET_ACCESS_KEY",
    "AWS_SESSION_TOKEN",
];

/// A role as it exists now, with its permissions.
struct RoleState {
    role: Role,
    attached: Vec<String>,
    inline: Option<String>,
}

/// What the AWS side looks like.
struct AwsState {
    caller: CallerIdentity,
    provider: Option<OidcProvider>,
    roles: Vec<(String, Phase, Option<RoleState>)>,
}

/// What the HCP Terraform side looks like.
struct TfcState {
    project: Project,
    workspaces: Vec<Workspace>,
    /// Existing variables per target, in the same order as the targets.
    targets: Vec<(VariableTarget, Vec<Variable>)>,
    /// The variable set, when the target is one and it exists.
    varset: Option<VariableSet>,
}

/// Computes the plan. Reads only.
pub async fn plan(answers: &Answers, iam: &dyn Iam, tfc: &dyn Tfc) -> Result<Plan, PlanError> {
    answers.validate()?;
    let (aws, tfc_state) = futures::try_join!(read_aws(answers, iam), read_tfc(answers, tfc))?;
    build(answers, aws, tfc_state)
}

fn provider_arn(caller: &CallerIdentity, host: &str) -> String {
    format!(
        "arn:{}:iam::{}:oidc-provider/{host}",
        caller.partition(),
        caller.account
    )
}

fn role_arn(caller: &CallerIdentity, name: &str) -> String {
    format!(
        "arn:{}:iam::{}:role/{name}",
        caller.partition(),
        caller.account
    )
}

async fn read_aws(answers: &Answers, iam: &dyn Iam) -> Result<AwsState, PlanError> {
    let caller = iam
        .caller_identity()
        .await
        .map_err(PlanError::aws("read the AWS caller identity"))?;
    let arn = provider_arn(&caller, &answers.host);
    let wanted_inline = answers.permissions.inline_policy.is_some();
    let provider = async {
        iam.get_oidc_provider(&arn)
            .await
            .map_err(PlanError::aws("read the OIDC provider"))
    };
    let roles = try_join_all(answers.roles().into_iter().map(|(name, phase)| async move {
        let Some(role) = iam
            .get_role(&name)
            .await
            .map_err(PlanError::aws("read the role"))?
        else {
            return Ok::<_, PlanError>((name, phase, None));
        };
        let attached = async {
            iam.list_attached_policies(&name)
                .await
                .map_err(PlanError::aws("list the role's policies"))
        };
        let inline = async {
            if !wanted_inline {
                return Ok(None);
            }
            iam.get_inline_policy(&name, INLINE_POLICY_NAME)
                .await
                .map_err(PlanError::aws("read the role's inline policy"))
        };
        let (attached, inline) = futures::try_join!(attached, inline)?;
        Ok((
            name,
            phase,
            Some(RoleState {
                role,
                attached,
                inline,
            }),
        ))
    }));
    let (provider, roles) = futures::try_join!(provider, roles)?;
    Ok(AwsState {
        caller,
        provider,
        roles,
    })
}

async fn read_tfc(answers: &Answers, tfc: &dyn Tfc) -> Result<TfcState, PlanError> {
    let org = &answers.organization;
    let (project, workspaces) = match &answers.workspaces {
        WorkspaceSelection::Named(names) => {
            let found = try_join_all(names.iter().map(|n| tfc.workspace(org, n)))
                .await
                .map_err(PlanError::tfc("read the workspaces"))?;
            let mut project: Option<Project> = None;
            for ws in &found {
                let name = match &ws.project_name {
                    Some(n) => n.clone(),
                    None => {
                        tfc.project(&ws.project_id)
                            .await
                            .map_err(PlanError::tfc("read the project"))?
                            .name
                    }
                };
                if !name.eq_ignore_ascii_case(&answers.project) {
                    return Err(PlanError::WrongProject {
                        workspace: ws.name.clone(),
                        expected: answers.project.clone(),
                        actual: name,
                    });
                }
                project.get_or_insert(Project {
                    id: ws.project_id.clone(),
                    name,
                });
            }
            (
                project.expect("at least one workspace was validated"),
                found,
            )
        }
        WorkspaceSelection::All => {
            let projects = tfc
                .projects(org)
                .await
                .map_err(PlanError::tfc("list the projects"))?;
            let project = projects
                .iter()
                .find(|p| p.name == answers.project)
                .or_else(|| {
                    projects
                        .iter()
                        .find(|p| p.name.eq_ignore_ascii_case(&answers.project))
                })
                .cloned()
                .ok_or_else(|| PlanError::UnknownProject {
                    organization: org.clone(),
                    project: answers.project.clone(),
                    known: projects.iter().map(|p| p.name.clone()).collect(),
                })?;
            let workspaces = tfc
                .workspaces(org, Some(&project.id))
                .await
                .map_err(PlanError::tfc("list the project's workspaces"))?;
            (project, workspaces)
        }
    };
    let (targets, varset) = match &answers.target {
        TargetChoice::Workspaces => {
            let vars = try_join_all(workspaces.iter().map(|ws| tfc.workspace_variables(&ws.id)))
                .await
                .map_err(PlanError::tfc("read the workspace variables"))?;
            let targets = workspaces
                .iter()
                .zip(vars)
                .map(|(ws, v)| {
                    (
                        VariableTarget::Workspace(WorkspaceRef {
                            id: ws.id.clone(),
                            name: ws.name.clone(),
                        }),
                        v,
                    )
                })
                .collect();
            (targets, None)
        }
        TargetChoice::VariableSet { name } => {
            let sets = tfc
                .variable_sets(org)
                .await
                .map_err(PlanError::tfc("list the variable sets"))?;
            let existing = sets.into_iter().find(|s| &s.name == name);
            let vars = match &existing {
                Some(set) => tfc
                    .variable_set_variables(&set.id)
                    .await
                    .map_err(PlanError::tfc("read the variable set"))?,
                None => Vec::new(),
            };
            let target = VariableTarget::VariableSet(VarsetRef {
                id: existing.as_ref().map(|s| s.id.clone()),
                name: name.clone(),
            });
            (vec![(target, vars)], existing)
        }
    };
    Ok(TfcState {
        project,
        workspaces,
        targets,
        varset,
    })
}

/// Adds a change and returns its index.
fn push(changes: &mut Vec<PlannedChange>, change: Change, depends_on: Vec<usize>) -> usize {
    changes.push(PlannedChange { change, depends_on });
    changes.len() - 1
}

fn subjects(
    answers: &Answers,
    project: &str,
    workspaces: &[Workspace],
    phase: Phase,
) -> Vec<SubjectPattern> {
    let make = |workspace| SubjectPattern {
        organization: answers.organization.clone(),
        project: project.to_string(),
        workspace,
        phase,
    };
    match &answers.workspaces {
        WorkspaceSelection::All => vec![make(WorkspaceScope::All)],
        WorkspaceSelection::Named(_) => workspaces
            .iter()
            .map(|w| make(WorkspaceScope::Named(w.name.clone())))
            .collect(),
    }
}

fn build(answers: &Answers, aws: AwsState, tfc: TfcState) -> Result<Plan, PlanError> {
    let mut changes = Vec::new();
    let mut notes = Vec::new();
    let tags = managed_tags(&answers.organization, &tfc.project.name);
    let provider_arn = provider_arn(&aws.caller, &answers.host);

    // The provider: everything that trusts it waits for it.
    let mut provider_deps = Vec::new();
    match &aws.provider {
        None => provider_deps.push(push(
            &mut changes,
            Change::CreateOidcProvider {
                url: format!("https://{}", answers.host),
                arn: provider_arn.clone(),
                client_ids: vec![answers.audience.clone()],
                thumbprints: answers.thumbprints.clone(),
                tags: tags.clone(),
            },
            vec![],
        )),
        Some(p) if !p.client_ids.contains(&answers.audience) => provider_deps.push(push(
            &mut changes,
            Change::AddOidcAudience {
                provider_arn: provider_arn.clone(),
                audience: answers.audience.clone(),
            },
            vec![],
        )),
        Some(_) => notes.push(format!("reusing the OIDC provider {provider_arn}")),
    }

    // Roles, their trust and their permissions.
    let mut roles = Vec::new();
    let mut role_deps = Vec::new();
    for (name, phase, state) in &aws.roles {
        let arn = state
            .as_ref()
            .map_or_else(|| role_arn(&aws.caller, name), |s| s.role.arn.clone());
        let spec = TrustSpec {
            provider_arn: provider_arn.clone(),
            host: answers.host.clone(),
            audience: answers.audience.clone(),
            subjects: subjects(answers, &tfc.project.name, &tfc.workspaces, *phase),
        };
        let patterns: Vec<String> = spec
            .subjects
            .iter()
            .map(SubjectPattern::to_pattern)
            .collect();
        let role_change = match state {
            None => Some(push(
                &mut changes,
                Change::CreateRole {
                    name: name.clone(),
                    arn: arn.clone(),
                    phase: *phase,
                    description: format!(
                        "HCP Terraform {} runs of {}/{} (managed by tfc-oidc)",
                        phase, answers.organization, tfc.project.name
                    ),
                    trust_policy: spec.document(),
                    tags: tags.clone(),
                },
                provider_deps.clone(),
            )),
            Some(s) => {
                let old: Value = serde_json::from_str(&s.role.trust_policy).unwrap_or(Value::Null);
                let ext = trust_policy::extend(&old, &spec);
                notes.push(format!("reusing the existing role {name}"));
                ext.changed().then(|| {
                    push(
                        &mut changes,
                        Change::UpdateTrustPolicy {
                            role_name: name.clone(),
                            old,
                            new: ext.document,
                            added_subjects: ext.added,
                        },
                        provider_deps.clone(),
                    )
                })
            }
        };
        let create_dep: Vec<usize> = match (state, role_change) {
            (None, Some(i)) => vec![i],
            _ => vec![],
        };
        role_deps.extend(role_change);
        let attached = state
            .as_ref()
            .map(|s| s.attached.clone())
            .unwrap_or_default();
        for arn in &answers.permissions.managed_policy_arns {
            if arn.ends_with(":policy/AdministratorAccess") {
                notes.push(format!("warning: role {name} gets AdministratorAccess"));
            }
            if !attached.contains(arn) {
                push(
                    &mut changes,
                    Change::AttachRolePolicy {
                        role_name: name.clone(),
                        policy_arn: arn.clone(),
                    },
                    create_dep.clone(),
                );
            }
        }
        if let Some(doc) = &answers.permissions.inline_policy {
            let new: Value = serde_json::from_str(doc).unwrap_or(Value::Null);
            let old = state
                .as_ref()
                .and_then(|s| s.inline.as_ref())
                .and_then(|t| serde_json::from_str::<Value>(t).ok());
            if old.as_ref() != Some(&new) {
                push(
                    &mut changes,
                    Change::PutRolePolicy {
                        role_name: name.clone(),
                        policy_name: INLINE_POLICY_NAME.into(),
                        document: new,
                        old,
                    },
                    create_dep.clone(),
                );
            }
        }
        roles.push(PlannedRole {
            name: name.clone(),
            arn,
            phase: *phase,
            subjects: patterns,
            exists: state.is_some(),
        });
    }

    // Variables: each waits for the roles it points at, so no run sees a role that is not there.
    let mut wanted: Vec<(String, String)> = vec![("TFC_AWS_PROVIDER_AUTH".into(), "true".into())];
    for role in &roles {
        wanted.push((role.phase.role_arn_variable().into(), role.arn.clone()));
    }
    if answers.audience != DEFAULT_AUDIENCE {
        wanted.push((
            "TFC_AWS_WORKLOAD_IDENTITY_AUDIENCE".into(),
            answers.audience.clone(),
        ));
    }
    let mut var_deps = role_deps.clone();
    if let (TargetChoice::VariableSet { name }, None) = (&answers.target, &tfc.varset) {
        var_deps.push(push(
            &mut changes,
            Change::CreateVariableSet {
                organization: answers.organization.clone(),
                name: name.clone(),
                description: format!(
                    "AWS dynamic credentials for {}/{} (managed by tfc-oidc)",
                    answers.organization, tfc.project.name
                ),
            },
            vec![],
        ));
    }
    let description = "AWS dynamic credentials, managed by tfc-oidc".to_string();
    let mut variables = Vec::new();
    let mut written = Vec::new();
    for (target, existing) in &tfc.targets {
        let static_keys: Vec<&str> = existing
            .iter()
            .filter(|v| {
                v.category == VariableCategory::Env && STATIC_KEYS.contains(&v.key.as_str())
            })
            .map(|v| v.key.as_str())
            .collect();
        if !static_keys.is_empty() {
            notes.push(format!(
                "warning: {target} still holds {}: the AWS provider prefers them to OIDC until they are removed",
                static_keys.join(" and ")
            ));
        }
        for (key, value) in &wanted {
            let found = existing
                .iter()
                .find(|v| &v.key == key && v.category == VariableCategory::Env);
            let change = match found {
                None => Some(Change::CreateVariable {
                    target: target.clone(),
                    key: key.clone(),
                    value: value.clone(),
                    description: description.clone(),
                }),
                Some(v) if v.value.as_deref() != Some(value.as_str()) => {
                    Some(Change::UpdateVariable {
                        target: target.clone(),
                        variable_id: v.id.clone(),
                        key: key.clone(),
                        old_value: if v.sensitive { None } else { v.value.clone() },
                        new_value: value.clone(),
                        description: description.clone(),
                    })
                }
                Some(_) => None,
            };
            if let Some(change) = change {
                written.push(push(&mut changes, change, var_deps.clone()));
            }
            variables.push(PlannedVariable {
                target: target.clone(),
                key: key.clone(),
                value: value.clone(),
                id: found.map(|v| v.id.clone()),
            });
        }
    }

    // A variable set reaches its workspaces only once it holds every variable.
    if let TargetChoice::VariableSet { name } = &answers.target {
        let set = VarsetRef {
            id: tfc.varset.as_ref().map(|s| s.id.clone()),
            name: name.clone(),
        };
        let mut attach_deps = var_deps.clone();
        attach_deps.extend(&written);
        let scope = match &answers.workspaces {
            WorkspaceSelection::All => {
                let attached = tfc
                    .varset
                    .as_ref()
                    .is_some_and(|s| s.project_ids.contains(&tfc.project.id));
                (!attached).then(|| AttachScope::Project {
                    id: tfc.project.id.clone(),
                    name: tfc.project.name.clone(),
                })
            }
            WorkspaceSelection::Named(_) => {
                let missing: Vec<WorkspaceRef> = tfc
                    .workspaces
                    .iter()
                    .filter(|w| {
                        !tfc.varset
                            .as_ref()
                            .is_some_and(|s| s.workspace_ids.contains(&w.id))
                    })
                    .map(|w| WorkspaceRef {
                        id: w.id.clone(),
                        name: w.name.clone(),
                    })
                    .collect();
                (!missing.is_empty()).then_some(AttachScope::Workspaces {
                    workspaces: missing,
                })
            }
        };
        if let Some(scope) = scope {
            push(
                &mut changes,
                Change::AttachVariableSet { set, scope },
                attach_deps,
            );
        }
        if tfc.varset.as_ref().is_some_and(|s| s.global) {
            notes.push(format!(
                "warning: variable set {name} is global: every workspace gets the role ARN"
            ));
        }
    }
    if let WorkspaceSelection::All = answers.workspaces {
        if tfc.workspaces.is_empty() {
            notes.push(format!(
                "project {} has no workspaces yet; the trust covers future ones",
                tfc.project.name
            ));
        }
    }

    for change in &changes {
        if let Change::CreateRole {
            name,
            trust_policy: doc,
            ..
        }
        | Change::UpdateTrustPolicy {
            role_name: name,
            new: doc,
            ..
        } = &change.change
        {
            let size = crate::core::names::policy_size(doc);
            if size > crate::core::names::TRUST_POLICY_MAX {
                return Err(PlanError::TrustPolicyTooLarge {
                    role: name.clone(),
                    size,
                    max: crate::core::names::TRUST_POLICY_MAX,
                });
            }
        }
    }
    Ok(Plan {
        host: answers.host.clone(),
        organization: answers.organization.clone(),
        project: tfc.project.name.clone(),
        account: aws.caller.account.clone(),
        provider_arn,
        roles,
        variables,
        workspaces: tfc
            .workspaces
            .iter()
            .map(|w| WorkspaceRef {
                id: w.id.clone(),
                name: w.name.clone(),
            })
            .collect(),
        changes,
        notes,
        fingerprint: answers.fingerprint(),
    })
}
