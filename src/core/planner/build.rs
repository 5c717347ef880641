//! Turning what exists and what was chosen into changes with dependencies: the provider first,
//! then roles (trust, permissions), then variables (only once every role they name is ready),
//! then the variable set's attachment.

use crate::core::answers::{
    Answers, Permissions, TargetChoice, WorkspaceSelection, INLINE_POLICY_NAME,
    PLAN_ROLE_DEFAULT_POLICY,
};
use crate::core::change::{
    AddOidcAudience, AttachRolePolicy, AttachVariableSet, CreateOidcProvider, CreateRole,
    PutRolePolicy, UpdateTrustPolicy,
};
use crate::core::error::PlanError;
use crate::core::names::{policy_size, TRUST_POLICY_MAX};
use crate::core::plan::*;
use crate::core::ports::{Tag, Workspace};
use crate::core::trust::subject::{SubjectPattern, WorkspaceScope};
use crate::core::trust::Phase;
use crate::core::trust::{self, TrustSpec};
use serde_json::Value;

use super::{guard, provider_arn, role_arn, AwsState, RoleState, TfcState};

/// IAM's default quota of managed policies attached to one role (adjustable up to 20).
const MANAGED_POLICIES_PER_ROLE: usize = 10;

/// Collects changes and notes while a plan is built.
pub(super) struct Builder<'a> {
    pub(super) answers: &'a Answers,
    pub(super) aws: &'a AwsState,
    pub(super) tfc: &'a TfcState,
    pub(super) changes: Vec<PlannedChange>,
    pub(super) notes: Vec<Note>,
    provider_arn: String,
    tags: Vec<Tag>,
}

impl Builder<'_> {
    /// Adds a change and returns its index.
    pub(super) fn push(&mut self, change: Change, depends_on: Vec<usize>) -> usize {
        self.changes.push(PlannedChange {
            change,
            depends_on,
            account: None,
        });
        self.changes.len() - 1
    }

    /// The provider; returns what everything that trusts it must wait for.
    fn provider(&mut self) -> Vec<usize> {
        let a = self.answers;
        let change = match &self.aws.provider {
            None => Change::CreateOidcProvider(CreateOidcProvider {
                url: format!("https://{}", a.host),
                arn: self.provider_arn.clone(),
                client_ids: vec![a.audience.clone()],
                thumbprints: a.thumbprints.clone(),
                tags: self.tags.clone(),
                dormant_roles: self.aws.dormant.clone(),
            }),
            Some(p) if !p.client_ids.contains(&a.audience) => {
                Change::AddOidcAudience(AddOidcAudience {
                    provider_arn: self.provider_arn.clone(),
                    audience: a.audience.clone(),
                })
            }
            Some(_) => {
                self.notes.push(Note::info(
                    &self.provider_arn,
                    format!("reusing the OIDC provider {}", self.provider_arn),
                ));
                return Vec::new();
            }
        };
        vec![self.push(change, vec![])]
    }

    fn subjects(&self, phase: Phase) -> Vec<SubjectPattern> {
        let make = |workspace| SubjectPattern {
            organization: self.tfc.organization.clone(),
            project: self.tfc.project.name.clone(),
            workspace,
            phase,
        };
        match &self.answers.workspaces {
            WorkspaceSelection::All => vec![make(WorkspaceScope::All)],
            WorkspaceSelection::Stack { name, deployments } => {
                let name = self.tfc.stack.as_ref().map_or(name, |s| &s.name);
                if deployments.is_empty() {
                    return vec![make(WorkspaceScope::Stack {
                        name: name.clone(),
                        deployment: None,
                    })];
                }
                deployments
                    .iter()
                    .map(|d| {
                        make(WorkspaceScope::Stack {
                            name: name.clone(),
                            deployment: Some(d.clone()),
                        })
                    })
                    .collect()
            }
            WorkspaceSelection::Named(_) => self
                .tfc
                .workspaces
                .iter()
                .map(|w: &Workspace| make(WorkspaceScope::Named(w.name.clone())))
                .collect(),
        }
    }

    /// One role: created, or its trust extended, and given its permissions. Returns the role and
    /// the changes variables pointing at it must wait for: a workspace is told to assume a role
    /// only once the role trusts it and holds all its permissions.
    fn role(
        &mut self,
        name: &str,
        phase: Phase,
        state: Option<&RoleState>,
        provider_deps: &[usize],
    ) -> Result<(PlannedRole, Vec<usize>), PlanError> {
        let a = self.answers;
        let arn = state.map_or_else(|| role_arn(&self.aws.caller, name), |s| s.role.arn.clone());
        let spec = TrustSpec {
            provider_arn: self.provider_arn.clone(),
            host: a.host.clone(),
            audience: a.audience.clone(),
            subjects: self.subjects(phase),
        };
        let change = match state {
            None => Some(self.create_role(name, &arn, phase, &spec, provider_deps)),
            Some(s) => self.reuse_role(name, phase, s, &spec, provider_deps)?,
        };
        let created = if state.is_none() { change } else { None };
        let mut ready: Vec<usize> = change.into_iter().collect();
        ready.extend(self.role_permissions(name, phase, state, created)?);
        let role = PlannedRole {
            name: name.to_string(),
            arn,
            phase,
            subjects: spec
                .subjects
                .iter()
                .map(SubjectPattern::to_pattern)
                .collect(),
            exists: state.is_some(),
        };
        Ok((role, ready))
    }

    /// Plans the creation of the role `name` trusting `spec`; returns the change's index.
    fn create_role(
        &mut self,
        name: &str,
        arn: &str,
        phase: Phase,
        spec: &TrustSpec,
        provider_deps: &[usize],
    ) -> usize {
        let a = self.answers;
        self.push(
            Change::CreateRole(CreateRole {
                name: name.to_string(),
                arn: arn.to_string(),
                phase,
                description: format!(
                    "HCP Terraform {} of {}/{} (managed by tfc-oidc)",
                    phase.assumed_by(self.tfc.stack.is_some()),
                    self.tfc.organization,
                    self.tfc.project.name
                ),
                trust_policy: spec.document(),
                tags: self.tags.clone(),
                permissions_boundary: a
                    .permissions_for(phase, self.aws.caller.partition())
                    .boundary,
            }),
            provider_deps.to_vec(),
        )
    }

    /// Reuses the existing role `name` (`s`) once the guards allow it, extending its trust to
    /// `spec`; returns the index of the trust change, if its trust needs one.
    fn reuse_role(
        &mut self,
        name: &str,
        phase: Phase,
        s: &RoleState,
        spec: &TrustSpec,
        provider_deps: &[usize],
    ) -> Result<Option<usize>, PlanError> {
        let a = self.answers;
        let doc = guard::existing_trust(s, &a.host, &self.provider_arn)?;
        match guard::check_reuse(a, s, &doc, self.tfc, &a.host)? {
            Some(note) => self.notes.push(note),
            None => self.notes.push(Note::info(
                format!("role {name}"),
                format!("reusing the existing role {name}"),
            )),
        }
        let boundary = a
            .permissions_for(phase, self.aws.caller.partition())
            .boundary;
        if let Some(b) = boundary {
            // A boundary is set on CreateRole only: an existing role keeps its own.
            self.notes.push(Note::warning(
                format!("role {name}"),
                format!(
                    "role {name} exists: its permissions boundary is left as it is, not set to {b}"
                ),
            ));
        }
        let ext = trust::extend(&doc, spec);
        Ok(ext.changed().then(|| {
            self.push(
                Change::UpdateTrustPolicy(UpdateTrustPolicy {
                    role_name: name.to_string(),
                    old: doc.into_value(),
                    new: ext.document,
                    added_subjects: ext.added,
                    provider_arn: self.provider_arn.clone(),
                    host: a.host.clone(),
                    audience: a.audience.clone(),
                }),
                provider_deps.to_vec(),
            )
        }))
    }

    /// What the role of `phase` may do: checked (AdministratorAccess), said (a split plan role's
    /// read-only default) and planned after `created`; returns the changes that give it.
    fn role_permissions(
        &mut self,
        name: &str,
        phase: Phase,
        state: Option<&RoleState>,
        created: Option<usize>,
    ) -> Result<Vec<usize>, PlanError> {
        let a = self.answers;
        let permissions = a.permissions_for(phase, self.aws.caller.partition());
        let workspaces = self.tfc.workspaces.len();
        if let Some(note) = guard::check_admin(a, &permissions, name, phase, workspaces)? {
            self.notes.push(note);
        }
        if phase == Phase::Plan && a.plan_role_defaulted() {
            self.notes.push(Note::info(
                format!("role {name}"),
                format!("role {name} (plan runs) gets {PLAN_ROLE_DEFAULT_POLICY}: plans only read, so only the apply role gets the chosen permissions"),
            ));
        }
        Ok(self.permissions(name, &permissions, state, created.into_iter().collect()))
    }

    /// Managed and inline policies the role still lacks; returns the changes that give them.
    fn permissions(
        &mut self,
        name: &str,
        permissions: &Permissions,
        state: Option<&RoleState>,
        deps: Vec<usize>,
    ) -> Vec<usize> {
        let mut given = Vec::new();
        let attached = state.map(|s| s.attached.clone()).unwrap_or_default();
        for arn in &permissions.managed_policy_arns {
            if !attached.contains(arn) {
                let change = Change::AttachRolePolicy(AttachRolePolicy {
                    role_name: name.to_string(),
                    policy_arn: arn.clone(),
                });
                given.push(self.push(change, deps.clone()));
            }
        }
        let total = attached.len() + given.len();
        if total > MANAGED_POLICIES_PER_ROLE && !given.is_empty() {
            self.notes.push(Note::warning(
                format!("role {name}"),
                format!("role {name} would have {total} managed policies, over IAM's default quota of {MANAGED_POLICIES_PER_ROLE} per role: unless the account's quota was raised, the attach fails part way"),
            ));
        }
        if let Some(doc) = &permissions.inline_policy {
            let new: Value = serde_json::from_str(doc).unwrap_or(Value::Null);
            let old = state
                .and_then(|s| s.inline.as_ref())
                .and_then(|t| serde_json::from_str::<Value>(t).ok());
            if old.as_ref() != Some(&new) {
                let change = Change::PutRolePolicy(PutRolePolicy {
                    role_name: name.to_string(),
                    policy_name: INLINE_POLICY_NAME.into(),
                    document: new,
                    old,
                });
                given.push(self.push(change, deps.clone()));
            }
        }
        for policy in &permissions.named_inline_policies {
            let new: Value = serde_json::from_str(&policy.document).unwrap_or(Value::Null);
            let old = state
                .and_then(|s| s.named_inline.get(&policy.name))
                .and_then(|t| serde_json::from_str::<Value>(t).ok());
            if old.as_ref() != Some(&new) {
                let change = Change::PutRolePolicy(PutRolePolicy {
                    role_name: name.to_string(),
                    policy_name: policy.name.clone(),
                    document: new,
                    old,
                });
                given.push(self.push(change, deps.clone()));
            }
        }
        given
    }

    /// A variable set reaches its workspaces only once it holds every variable.
    fn attach_varset(&mut self, deps: Vec<usize>) {
        let TargetChoice::VariableSet { name } = &self.answers.target else {
            return;
        };
        let (tfc, existing) = (self.tfc, self.tfc.varset.as_ref());
        if existing.is_some_and(|s| s.global) {
            // A global set already reaches every workspace, and the API refuses to attach one.
            self.notes.push(Note::warning(
                format!("variable set {name}"),
                format!("variable set {name} is global: every workspace of the organization gets the role ARN"),
            ));
            return;
        }
        let set = VarsetRef {
            id: existing.map(|s| s.id.clone()),
            name: name.clone(),
        };
        let scope = match &self.answers.workspaces {
            WorkspaceSelection::Stack { .. } => None,
            WorkspaceSelection::All => {
                let attached = existing.is_some_and(|s| s.project_ids.contains(&tfc.project.id));
                (!attached).then(|| AttachScope::Project {
                    id: tfc.project.id.clone(),
                    name: tfc.project.name.clone(),
                })
            }
            WorkspaceSelection::Named(_) => {
                let missing: Vec<WorkspaceRef> = tfc
                    .workspaces
                    .iter()
                    .filter(|w| !existing.is_some_and(|s| s.workspace_ids.contains(&w.id)))
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
            self.push(
                Change::AttachVariableSet(AttachVariableSet { set, scope }),
                deps,
            );
        }
    }

    /// IAM refuses trust policies over its size quota; better to say so before writing anything.
    fn check_trust_sizes(&self) -> Result<(), PlanError> {
        for change in &self.changes {
            if let Change::CreateRole(CreateRole {
                name,
                trust_policy: doc,
                ..
            })
            | Change::UpdateTrustPolicy(UpdateTrustPolicy {
                role_name: name,
                new: doc,
                ..
            }) = &change.change
            {
                let size = policy_size(doc);
                if size > TRUST_POLICY_MAX {
                    return Err(PlanError::TrustPolicyTooLarge {
                        role: name.clone(),
                        size,
                        max: TRUST_POLICY_MAX,
                    });
                }
            }
        }
        Ok(())
    }
}

/// Builds the plan from what was read.
pub(super) fn build(answers: &Answers, aws: AwsState, tfc: TfcState) -> Result<Plan, PlanError> {
    let mut b = Builder {
        answers,
        aws: &aws,
        tfc: &tfc,
        changes: Vec::new(),
        notes: Vec::new(),
        provider_arn: provider_arn(&aws.caller, &answers.host),
        tags: managed_tags(&tfc.organization, &tfc.project.name),
    };
    if let Some(set) = &tfc.varset {
        guard::check_varset_reach(answers, set, &tfc, &tfc.project_workspace_ids)?;
    }
    for arn in &aws.unchecked_policies {
        b.notes.push(Note::warning(
            format!("policy {arn}"),
            format!("could not check that policy {arn} exists (iam:GetPolicy denied): the apply fails part way if it does not"),
        ));
    }
    b.notes.extend(super::dormant::check(
        answers,
        &b.provider_arn,
        &aws.dormant,
    )?);
    let provider_deps = b.provider();
    let mut roles = Vec::new();
    let mut role_deps = Vec::new();
    for (name, phase, state) in &aws.roles {
        let (role, ready) = b.role(name, *phase, state.as_ref(), &provider_deps)?;
        roles.push(role);
        role_deps.extend(ready);
    }
    let (variables, attach_deps) = b.variables(&roles, role_deps);
    b.attach_varset(attach_deps);
    if matches!(answers.workspaces, WorkspaceSelection::All) && tfc.workspaces.is_empty() {
        b.notes.push(Note::info(
            format!("project {}", tfc.project.name),
            format!(
                "project {} has no workspaces yet; the trust covers future ones",
                tfc.project.name
            ),
        ));
    }
    b.check_trust_sizes()?;
    let (changes, notes) = (b.changes, b.notes);
    let deployment_config = stack_config(answers, &tfc, &roles);
    Ok(Plan {
        host: answers.host.clone(),
        organization: tfc.organization.clone(),
        projects: vec![tfc.project.name.clone()],
        account: aws.caller.account.clone(),
        provider_arn: provider_arn(&aws.caller, &answers.host),
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
        deployment_config,
    })
}

/// The `.tfdeploy.hcl` text a Stack needs: an identity token with the audience, and each
/// deployment's role ARN as an input.
fn stack_config(answers: &Answers, tfc: &TfcState, roles: &[PlannedRole]) -> Option<String> {
    let WorkspaceSelection::Stack { deployments, .. } = &answers.workspaces else {
        return None;
    };
    let stack = tfc.stack.as_ref()?;
    let role = roles.first()?;
    let names = if deployments.is_empty() {
        &stack.deployment_names
    } else {
        deployments
    };
    let audience = serde_json::to_string(&answers.audience).unwrap_or_default();
    let arn = serde_json::to_string(&role.arn).unwrap_or_default();
    let mut out = format!("identity_token \"aws\" {{\n  audience = [{audience}]\n}}\n");
    for d in names {
        let d = serde_json::to_string(d).unwrap_or_default();
        out.push_str(&format!(
            "\ndeployment {d} {{\n  inputs = {{\n    role_arn       = {arn}\n    identity_token = identity_token.aws.jwt\n  }}\n}}\n"
        ));
    }
    Some(out)
}
