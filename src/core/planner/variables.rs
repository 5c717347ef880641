//! The variables a plan sets: `TFC_AWS_PROVIDER_AUTH`, the role ARN variable(s) and a custom
//! audience, on each workspace or in the variable set, created or updated only where they differ.

use super::build::Builder;
use crate::core::answers::{TargetChoice, DEFAULT_AUDIENCE};
use crate::core::change::{CreateVariable, CreateVariableSet, DeleteVariable, UpdateVariable};
use crate::core::plan::{Change, Note, PlannedRole, PlannedVariable, VariableTarget};
use crate::core::ports::{Variable, VariableCategory};
use crate::core::variables::access::is_static_key;
use crate::core::variables::dynamic_vars::{self, VarKind};

const DESCRIPTION: &str = "AWS dynamic credentials, managed by tfc-oidc";

/// How the warning about static keys left on a target ends; `migrate`, which removes them,
/// recognises (and drops) the warning by it.
pub const STATIC_KEYS_NOTE: &str = "the AWS provider prefers them to OIDC until they are removed";

impl Builder<'_> {
    /// Plans the variables; each waits for the roles it points at (`role_deps`), so no run ever
    /// sees a role that is not there. Returns the variables and what an attachment must wait for.
    pub(super) fn variables(
        &mut self,
        roles: &[PlannedRole],
        role_deps: Vec<usize>,
    ) -> (Vec<PlannedVariable>, Vec<usize>) {
        let wanted = self.wanted_values(roles);
        let mut deps = role_deps;
        deps.extend(self.create_missing_set());
        // Every target is warned about alike: the set itself and the chosen workspaces (whose
        // own keys still reach their runs), or the workspaces.
        let holders = self.tfc.targets.iter().chain(&self.tfc.workspace_variables);
        let warnings: Vec<Note> = holders
            .filter_map(|(target, vars)| static_keys_note(target, vars))
            .collect();
        self.notes.extend(warnings);
        let mut variables = Vec::new();
        let mut written = Vec::new();
        let tfc = self.tfc;
        for (target, existing) in &tfc.targets {
            for (key, value) in &wanted {
                let found = existing
                    .iter()
                    .find(|v| &v.key == key && v.category == VariableCategory::Env);
                written.extend(self.write_variable(target, found, key, value, &deps));
                variables.push(PlannedVariable {
                    target: target.clone(),
                    key: key.clone(),
                    value: value.clone(),
                    id: found.filter(|v| !v.sensitive).map(|v| v.id.clone()),
                });
            }
        }
        deps.extend(written);
        (variables, deps)
    }

    /// Each variable the answers want, with its value: provider auth, the role ARN of each
    /// role's phase, and a custom audience.
    fn wanted_values(&self, roles: &[PlannedRole]) -> Vec<(String, String)> {
        let a = self.answers;
        let tag = a.alias.as_deref();
        let mut wanted: Vec<(String, String)> = vec![(
            dynamic_vars::name(VarKind::ProviderAuth, tag),
            "true".into(),
        )];
        for role in roles {
            let key = dynamic_vars::name(VarKind::RoleArn(role.phase), tag);
            wanted.push((key, role.arn.clone()));
        }
        if a.audience != DEFAULT_AUDIENCE {
            wanted.push((
                dynamic_vars::name(VarKind::Audience, tag),
                a.audience.clone(),
            ));
        }
        wanted
    }

    /// The variable set the answers target, created when it does not exist yet.
    fn create_missing_set(&mut self) -> Option<usize> {
        let a = self.answers;
        let (TargetChoice::VariableSet { name }, None) = (&a.target, &self.tfc.varset) else {
            return None;
        };
        let change = Change::CreateVariableSet(CreateVariableSet {
            organization: a.organization.clone(),
            name: name.clone(),
            description: format!(
                "AWS dynamic credentials for {}/{} (managed by tfc-oidc)",
                self.tfc.organization, self.tfc.project.name
            ),
        });
        Some(self.push(change, vec![]))
    }

    /// Sets `key` to `value` on `target` unless `found` already says so: created, updated, or
    /// (sensitive, so neither readable nor comparable) replaced. Returns the changes planned.
    fn write_variable(
        &mut self,
        target: &VariableTarget,
        found: Option<&Variable>,
        key: &str,
        value: &str,
        deps: &[usize],
    ) -> Vec<usize> {
        let create = || {
            Change::CreateVariable(CreateVariable {
                target: target.clone(),
                key: key.to_string(),
                value: value.to_string(),
                description: DESCRIPTION.into(),
            })
        };
        let change = match found {
            None => create(),
            // The API refuses to make a sensitive variable readable again, and its value
            // cannot be compared: replace it, so the next run finds it equal.
            Some(v) if v.sensitive => {
                let delete = self.push(
                    Change::DeleteVariable(DeleteVariable {
                        target: target.clone(),
                        variable_id: v.id.clone(),
                        key: key.to_string(),
                        sensitive: true,
                        expected_value: None,
                        access_key_id: None,
                    }),
                    deps.to_vec(),
                );
                self.notes.push(Note::info(
                    target.to_string(),
                    format!(
                        "{key} on {target} is sensitive: it is replaced by a readable variable"
                    ),
                ));
                let mut after = deps.to_vec();
                after.push(delete);
                return vec![self.push(create(), after)];
            }
            Some(v) if v.value.as_deref() != Some(value) => {
                Change::UpdateVariable(UpdateVariable {
                    target: target.clone(),
                    variable_id: v.id.clone(),
                    key: key.to_string(),
                    old_value: v.value.clone(),
                    new_value: value.to_string(),
                    description: DESCRIPTION.into(),
                })
            }
            Some(_) => return vec![],
        };
        vec![self.push(change, deps.to_vec())]
    }
}

/// The warning for static keys `target` still holds, if it holds any.
fn static_keys_note(target: &VariableTarget, vars: &[Variable]) -> Option<Note> {
    let keys: Vec<&str> = vars
        .iter()
        .filter(|v| is_static_key(v))
        .map(|v| v.key.as_str())
        .collect();
    (!keys.is_empty()).then(|| {
        Note::warning(
            target.to_string(),
            format!(
                "{target} still holds {}: {STATIC_KEYS_NOTE}",
                crate::core::text::and_list(&keys)
            ),
        )
    })
}
