//! Reading what exists now, on both sides, concurrently.

use crate::core::answers::check_stack_subject;
use crate::core::answers::{Answers, TargetChoice, WorkspaceSelection, INLINE_POLICY_NAME};
use crate::core::error::PlanError;
use crate::core::plan::{VariableTarget, VarsetRef, WorkspaceRef};
use crate::core::ports::{Iam, IamError, Project, Stack, Tfc, Variable, VariableSet, Workspace};
use crate::core::trust::subject::RunSubject;
use futures::future::try_join_all;

use super::{provider_arn, AwsState, RoleState, TfcState};

/// Variable targets with what each holds: where the variables go, and what the workspaces hold.
type Targets = Vec<(VariableTarget, Vec<Variable>)>;

/// A variable-set target: the set's target, the set if it exists, the workspaces' own variables.
type VarsetTarget = (Targets, Option<VariableSet>, Targets);

pub(super) async fn read_aws(answers: &Answers, iam: &dyn Iam) -> Result<AwsState, PlanError> {
    let caller = iam
        .caller_identity()
        .await
        .map_err(PlanError::aws("read the AWS caller identity"))?;
    let arn = provider_arn(&caller, &answers.host);
    let partition = caller.partition();
    let provider = async {
        let found = iam
            .get_oidc_provider(&arn)
            .await
            .map_err(PlanError::aws("read the OIDC provider"))?;
        // Creating the provider re-arms every role that already names it.
        let dormant = match &found {
            None => super::dormant::read(answers, iam, &caller, &arn).await?,
            Some(_) => Vec::new(),
        };
        Ok::<_, PlanError>((found, dormant))
    };
    let policies = check_policies_exist(answers, iam, partition);
    let roles = try_join_all(answers.roles().into_iter().map(|(name, phase)| async move {
        let wanted = answers.permissions_for(phase, partition);
        let wanted_inline = wanted.inline_policy.is_some();
        let named: Vec<String> = wanted
            .named_inline_policies
            .iter()
            .map(|p| p.name.clone())
            .collect();
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
        let named_inline = try_join_all(named.iter().map(|policy| {
            let name = &name;
            async move {
                let doc = iam
                    .get_inline_policy(name, policy)
                    .await
                    .map_err(PlanError::aws("read the role's inline policy"))?;
                Ok::<_, PlanError>(doc.map(|d| (policy.clone(), d)))
            }
        }));
        let (attached, inline, named_inline) = futures::try_join!(attached, inline, named_inline)?;
        Ok((
            name,
            phase,
            Some(RoleState {
                role,
                attached,
                inline,
                named_inline: named_inline.into_iter().flatten().collect(),
            }),
        ))
    }));
    let ((provider, dormant), roles, unchecked_policies) =
        futures::try_join!(provider, roles, policies)?;
    Ok(AwsState {
        caller,
        provider,
        dormant,
        roles,
        unchecked_policies,
    })
}

/// Every managed policy the roles are to get exists (`GetPolicy`): an attach of one that does
/// not would fail after the provider and roles are written. Returns those IAM would not say
/// anything about (access denied), for the plan to name.
async fn check_policies_exist(
    answers: &Answers,
    iam: &dyn Iam,
    partition: &str,
) -> Result<Vec<String>, PlanError> {
    let mut arns: Vec<String> = Vec::new();
    for (_, phase) in answers.roles() {
        for arn in answers
            .permissions_for(phase, partition)
            .managed_policy_arns
        {
            if !arns.contains(&arn) {
                arns.push(arn);
            }
        }
    }
    let found = try_join_all(arns.iter().map(|arn| async move {
        match iam.managed_policy_exists(arn).await {
            Ok(exists) => Ok(Some(exists)),
            Err(IamError::AccessDenied(_)) => Ok(None),
            Err(e) => Err(PlanError::aws("read the managed policy")(e)),
        }
    }))
    .await?;
    let mut unchecked = Vec::new();
    for (arn, exists) in arns.into_iter().zip(found) {
        match exists {
            Some(true) => {}
            Some(false) => return Err(PlanError::UnknownPolicy { arn }),
            None => unchecked.push(arn),
        }
    }
    Ok(unchecked)
}

/// The project named in the answers (exact spelling first, then ignoring case).
async fn find_project(answers: &Answers, tfc: &dyn Tfc) -> Result<Project, PlanError> {
    let projects = tfc
        .projects(&answers.organization)
        .await
        .map_err(PlanError::tfc("list the projects"))?;
    projects
        .iter()
        .find(|p| p.name == answers.project)
        .or_else(|| {
            projects
                .iter()
                .find(|p| p.name.eq_ignore_ascii_case(&answers.project))
        })
        .cloned()
        .ok_or_else(|| PlanError::UnknownProject {
            organization: answers.organization.clone(),
            project: answers.project.clone(),
            known: projects.iter().map(|p| p.name.clone()).collect(),
        })
}

/// The Stack of the project, checked against its deployments and the subject length limit.
async fn find_stack(
    answers: &Answers,
    tfc: &dyn Tfc,
    project: &Project,
    name: &str,
    deployments: &[String],
) -> Result<Stack, PlanError> {
    let stacks = tfc
        .stacks(&answers.organization, Some(&project.id))
        .await
        .map_err(PlanError::tfc("list the project's Stacks"))?;
    let stack = stacks
        .iter()
        .find(|s| s.name == name && s.project_id == project.id)
        .cloned()
        .ok_or_else(|| PlanError::UnknownStack {
            project: project.name.clone(),
            stack: name.to_string(),
            known: stacks.iter().map(|s| s.name.clone()).collect(),
        })?;
    let known = &stack.deployment_names;
    for d in deployments {
        if !known.is_empty() && !known.contains(d) {
            return Err(PlanError::UnknownDeployment {
                stack: stack.name.clone(),
                deployment: d.clone(),
                known: known.clone(),
            });
        }
    }
    let checked = if deployments.is_empty() {
        known
    } else {
        deployments
    };
    for d in checked {
        let sub = RunSubject::Stack {
            organization: answers.organization.clone(),
            project: project.name.clone(),
            stack: stack.name.clone(),
            deployment: d.clone(),
            operation: "apply".into(),
        };
        check_stack_subject(&sub.to_sub())?;
    }
    Ok(stack)
}

pub(super) async fn read_tfc(answers: &Answers, tfc: &dyn Tfc) -> Result<TfcState, PlanError> {
    let org = &answers.organization;
    let mut stack = None;
    let (project, workspaces) = match &answers.workspaces {
        WorkspaceSelection::Named(names) => named_workspaces(answers, tfc, names).await?,
        WorkspaceSelection::All => {
            let project = find_project(answers, tfc).await?;
            let workspaces = tfc
                .workspaces(org, Some(&project.id))
                .await
                .map_err(PlanError::tfc("list the project's workspaces"))?;
            (project, workspaces)
        }
        WorkspaceSelection::Stack { name, deployments } => {
            let project = find_project(answers, tfc).await?;
            stack = Some(find_stack(answers, tfc, &project, name, deployments).await?);
            (project, Vec::new())
        }
    };
    let (targets, varset, workspace_variables) = match &answers.target {
        TargetChoice::Workspaces => (workspace_targets(tfc, &workspaces).await?, None, vec![]),
        TargetChoice::VariableSet { name } => varset_target(tfc, org, name, &workspaces).await?,
    };
    let names = match &varset {
        Some(set) => names_beyond(tfc, org, set, &workspaces).await?,
        None => Vec::new(),
    };
    let organization = workspaces
        .iter()
        .find_map(|w| w.organization.clone())
        .unwrap_or_else(|| org.clone());
    let project_workspace_ids = match &answers.workspaces {
        WorkspaceSelection::All => workspaces.iter().map(|w| w.id.clone()).collect(),
        WorkspaceSelection::Named(_) | WorkspaceSelection::Stack { .. } => Vec::new(),
    };
    Ok(TfcState {
        organization,
        project,
        workspaces,
        targets,
        varset,
        workspace_variables,
        project_workspace_ids,
        stack,
        names,
    })
}

/// The named workspaces, which must all be in the answers' project (and that project).
async fn named_workspaces(
    answers: &Answers,
    tfc: &dyn Tfc,
    names: &[String],
) -> Result<(Project, Vec<Workspace>), PlanError> {
    let org = &answers.organization;
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
    let project = project.expect("at least one workspace was validated");
    Ok((project, found))
}

/// The variable set `name` as the target (with what it holds, if it exists), and the
/// variables each workspace holds itself.
async fn varset_target(
    tfc: &dyn Tfc,
    org: &str,
    name: &str,
    workspaces: &[Workspace],
) -> Result<VarsetTarget, PlanError> {
    let sets = tfc
        .variable_sets(org)
        .await
        .map_err(PlanError::tfc("list the variable sets"))?;
    let existing = sets.into_iter().find(|s| s.name == name);
    let vars = match &existing {
        Some(set) => tfc
            .variable_set_variables(&set.id)
            .await
            .map_err(PlanError::tfc("read the variable set"))?,
        None => Vec::new(),
    };
    let target = VariableTarget::VariableSet(VarsetRef {
        id: existing.as_ref().map(|s| s.id.clone()),
        name: name.to_string(),
    });
    let own = workspace_targets(tfc, workspaces).await?;
    Ok((vec![(target, vars)], existing, own))
}

/// A set that reaches more than the selection is refused; the refusal names what else it
/// reaches, which takes the organization's names (read only in that case).
async fn names_beyond(
    tfc: &dyn Tfc,
    org: &str,
    set: &VariableSet,
    workspaces: &[Workspace],
) -> Result<Vec<(String, String)>, PlanError> {
    let chosen: Vec<&str> = workspaces.iter().map(|w| w.id.as_str()).collect();
    let beyond = set.global
        || !set.project_ids.is_empty()
        || set
            .workspace_ids
            .iter()
            .any(|w| !chosen.contains(&w.as_str()));
    let mut names = Vec::new();
    if beyond {
        let (all_ws, projects) =
            futures::try_join!(async { tfc.workspaces(org, None).await }, async {
                tfc.projects(org).await
            })
            .map_err(PlanError::tfc("name what the variable set reaches"))?;
        names.extend(all_ws.into_iter().map(|w| (w.id, w.name)));
        names.extend(projects.into_iter().map(|p| (p.id, p.name)));
    }
    Ok(names)
}

/// Each workspace as a variable target, with the variables it holds itself.
async fn workspace_targets(
    tfc: &dyn Tfc,
    workspaces: &[Workspace],
) -> Result<Vec<(VariableTarget, Vec<Variable>)>, PlanError> {
    let vars = try_join_all(workspaces.iter().map(|ws| tfc.workspace_variables(&ws.id)))
        .await
        .map_err(PlanError::tfc("read the workspace variables"))?;
    Ok(workspaces
        .iter()
        .zip(vars)
        .map(|(ws, v)| {
            let target = VariableTarget::Workspace(WorkspaceRef {
                id: ws.id.clone(),
                name: ws.name.clone(),
            });
            (target, v)
        })
        .collect())
}
