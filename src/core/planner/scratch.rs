//! The plan for a world where nothing exists yet: no OIDC provider, no role, no variable, no
//! variable set. It holds every change `setup` makes in a fresh account, which is what
//! `export` writes as code, so the exported code and `setup` share one source of truth.

use super::{build, AwsState, TfcState};
use crate::core::answers::{Answers, TargetChoice, WorkspaceSelection};
use crate::core::error::PlanError;
use crate::core::plan::{Plan, VariableTarget, VarsetRef, WorkspaceRef};
use crate::core::ports::{CallerIdentity, Project, Stack, Workspace};

/// Plans `answers` as if the AWS account (of `caller`) and the project held nothing of ours yet.
/// `organization`, `project` and `workspaces` are the names as HCP Terraform spells them (or as
/// given, when it could not be read). Pure: reads nothing.
pub fn plan_from_scratch(
    answers: &Answers,
    caller: &CallerIdentity,
    organization: &str,
    project: &Project,
    workspaces: &[Workspace],
) -> Result<Plan, PlanError> {
    answers.validate()?;
    let aws = AwsState {
        caller: caller.clone(),
        provider: None,
        dormant: Vec::new(),
        roles: answers
            .roles()
            .into_iter()
            .map(|(name, phase)| (name, phase, None))
            .collect(),
        unchecked_policies: Vec::new(),
    };
    let targets = match &answers.target {
        TargetChoice::Workspaces => workspaces
            .iter()
            .map(|w| {
                let target = VariableTarget::Workspace(WorkspaceRef {
                    id: w.id.clone(),
                    name: w.name.clone(),
                });
                (target, Vec::new())
            })
            .collect(),
        TargetChoice::VariableSet { name } => {
            let target = VariableTarget::VariableSet(VarsetRef {
                id: None,
                name: name.clone(),
            });
            vec![(target, Vec::new())]
        }
    };
    let tfc = TfcState {
        organization: organization.to_string(),
        project: project.clone(),
        workspaces: workspaces.to_vec(),
        targets,
        varset: None,
        workspace_variables: Vec::new(),
        project_workspace_ids: workspaces.iter().map(|w| w.id.clone()).collect(),
        stack: stack_of(answers, project),
        names: Vec::new(),
    };
    build::build(answers, aws, tfc)
}

/// The chosen Stack as the answers name it, its deployments the chosen ones (a plan from scratch
/// knows no others), so Stacks plan as `setup` plans them.
fn stack_of(answers: &Answers, project: &Project) -> Option<Stack> {
    match &answers.workspaces {
        WorkspaceSelection::Stack { name, deployments } => Some(Stack {
            id: String::new(),
            name: name.clone(),
            project_id: project.id.clone(),
            deployment_names: deployments.clone(),
        }),
        WorkspaceSelection::Named(_) | WorkspaceSelection::All => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::answers::WorkspaceSelection;
    use crate::core::plan::Change;

    #[test]
    fn everything_is_created() {
        let mut a = Answers::new(
            "app.terraform.io",
            "acme",
            "platform",
            WorkspaceSelection::Named(vec!["net".into()]),
        );
        a.permissions.none = true;
        let caller = CallerIdentity {
            account: "123456789012".into(),
            arn: "arn:aws:iam::123456789012:user/me".into(),
            user_id: "AID".into(),
        };
        let project = Project {
            id: "prj-1".into(),
            name: "platform".into(),
        };
        let ws = Workspace {
            id: "ws-1".into(),
            name: "net".into(),
            project_id: "prj-1".into(),
            project_name: Some("platform".into()),
            organization: Some("acme".into()),
        };
        let plan = plan_from_scratch(&a, &caller, "acme", &project, &[ws]).unwrap();
        let kinds: Vec<&str> = plan
            .changes
            .iter()
            .map(|c| match &c.change {
                Change::CreateOidcProvider(_) => "provider",
                Change::CreateRole(_) => "role",
                Change::CreateVariable(_) => "variable",
                _ => "other",
            })
            .collect();
        assert_eq!(kinds, ["provider", "role", "variable", "variable"]);

        a.workspaces = WorkspaceSelection::Stack {
            name: "net-stack".into(),
            deployments: vec!["prod".into()],
        };
        let plan = plan_from_scratch(&a, &caller, "acme", &project, &[]).unwrap();
        assert!(plan.variables.is_empty(), "a Stack takes no variables");
        assert_eq!(
            plan.roles[0].subjects,
            ["organization:acme:project:platform:stack:net-stack:deployment:prod:operation:*"]
        );
        let config = plan.deployment_config.unwrap();
        assert!(config.contains("deployment \"prod\""), "{config}");
    }
}
