//! How a change reads: its service, its verb, a one-line summary and detail lines, shared by
//! every front (plan text, review screen, progress, journal).

use super::{Change, Side, Verb};
use serde_json::Value;

/// Shows an access key id without its middle, so plans and journals never carry it whole.
pub fn mask_key_id(id: &str) -> String {
    let chars: Vec<char> = id.chars().collect();
    if chars.len() <= 8 {
        return "****".into();
    }
    let head: String = chars[..4].iter().collect();
    let tail: String = chars[chars.len() - 4..].iter().collect();
    format!("{head}…{tail}")
}

impl Change {
    pub fn side(&self) -> Side {
        use Change::*;
        match self {
            CreateVariableSet { .. }
            | CreateVariable { .. }
            | UpdateVariable { .. }
            | AttachVariableSet { .. }
            | DeleteVariable { .. }
            | DetachVariableSet { .. }
            | DeleteVariableSet { .. } => Side::Tfc,
            _ => Side::Aws,
        }
    }

    pub fn verb(&self) -> Verb {
        use Change::*;
        match self {
            CreateOidcProvider { .. }
            | CreateRole { .. }
            | AttachRolePolicy { .. }
            | CreateVariableSet { .. }
            | CreateVariable { .. }
            | AttachVariableSet { .. }
            | AddOidcAudience { .. } => Verb::Create,
            UpdateTrustPolicy { .. }
            | UpdateVariable { .. }
            | SetAccessKeyStatus { .. }
            | RetractTrustSubjects { .. } => Verb::Update,
            PutRolePolicy { old, .. } => {
                if old.is_some() {
                    Verb::Update
                } else {
                    Verb::Create
                }
            }
            _ => Verb::Delete,
        }
    }

    /// One line saying what the change does, for plans, progress and journals.
    pub fn summary(&self) -> String {
        use Change::*;
        match self {
            CreateOidcProvider {
                url, client_ids, ..
            } => {
                format!(
                    "create OIDC provider {url} (audience {})",
                    client_ids.join(", ")
                )
            }
            AddOidcAudience {
                provider_arn,
                audience,
            } => {
                format!(
                    "add audience {audience} to OIDC provider {}",
                    short_arn(provider_arn)
                )
            }
            CreateRole { name, phase, .. } => format!("create role {name} ({phase} phase)"),
            UpdateTrustPolicy {
                role_name,
                added_subjects,
                ..
            } => format!(
                "extend trust policy of role {role_name} (+{} subject{})",
                added_subjects.len(),
                if added_subjects.len() == 1 { "" } else { "s" }
            ),
            AttachRolePolicy {
                role_name,
                policy_arn,
            } => {
                format!(
                    "attach policy {} to role {role_name}",
                    short_arn(policy_arn)
                )
            }
            PutRolePolicy {
                role_name,
                policy_name,
                old,
                ..
            } => format!(
                "{} inline policy {policy_name} on role {role_name}",
                if old.is_some() { "replace" } else { "put" }
            ),
            CreateVariableSet { name, .. } => format!("create variable set {name}"),
            CreateVariable {
                target, key, value, ..
            } => format!("set {key} = \"{value}\" on {target}"),
            UpdateVariable {
                target,
                key,
                old_value,
                new_value,
                ..
            } => format!(
                "update {key} on {target}: {} → \"{new_value}\"",
                old_value
                    .as_ref()
                    .map_or("(sensitive)".to_string(), |v| format!("\"{v}\""))
            ),
            AttachVariableSet { set, scope } => {
                format!("attach variable set {} to {scope}", set.name)
            }
            DeleteVariable { target, key, .. } => format!("delete {key} from {target}"),
            DetachVariableSet { set, scope } => {
                format!("detach variable set {} from {scope}", set.name)
            }
            DeleteVariableSet { set, .. } => format!("delete variable set {}", set.name),
            SetAccessKeyStatus {
                user,
                access_key_id,
                status,
            } => {
                format!(
                    "mark access key {} of user {user} {status:?}",
                    mask_key_id(access_key_id)
                )
            }
            RemoveOidcAudience {
                provider_arn,
                audience,
            } => {
                format!(
                    "remove audience {audience} from OIDC provider {}",
                    short_arn(provider_arn)
                )
            }
            DetachRolePolicy {
                role_name,
                policy_arn,
            } => {
                format!(
                    "detach policy {} from role {role_name}",
                    short_arn(policy_arn)
                )
            }
            DeleteRolePolicy {
                role_name,
                policy_name,
            } => {
                format!("delete inline policy {policy_name} from role {role_name}")
            }
            DeleteRole { name, .. } => format!("delete role {name}"),
            RetractTrustSubjects {
                role_name,
                subjects,
                ..
            } => format!(
                "remove {} subject{} from the trust policy of role {role_name}",
                subjects.len(),
                if subjects.len() == 1 { "" } else { "s" }
            ),
            DeleteOidcProvider { arn } => format!("delete OIDC provider {}", short_arn(arn)),
        }
    }

    /// Extra lines under the summary: the trust subjects a role admits, a policy's JSON.
    pub fn details(&self) -> Vec<String> {
        use Change::*;
        match self {
            CreateRole { trust_policy, .. } => subjects_of(trust_policy)
                .into_iter()
                .map(|s| format!("trusts {s}"))
                .collect(),
            UpdateTrustPolicy { added_subjects, .. } => added_subjects
                .iter()
                .map(|s| format!("+ trusts {s}"))
                .collect(),
            RetractTrustSubjects { subjects, .. } => {
                subjects.iter().map(|s| format!("- trusts {s}")).collect()
            }
            _ => Vec::new(),
        }
    }
}

fn subjects_of(doc: &Value) -> Vec<String> {
    crate::core::policy::PolicyDocument::from_value(doc.clone())
        .map(|d| d.subject_values())
        .unwrap_or_default()
}

/// `arn:aws:iam::aws:policy/ReadOnlyAccess` → `ReadOnlyAccess`; other ARNs stay whole.
fn short_arn(arn: &str) -> &str {
    if arn.starts_with("arn:aws:iam::aws:policy/") {
        arn.rsplit('/').next().unwrap_or(arn)
    } else {
        arn
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_ids_are_masked() {
        assert_eq!(mask_key_id("AKIAEXAMPLE0000001"), "AKIA…0001");
        assert_eq!(mask_key_id("short"), "****");
        assert_eq!(mask_key_id("ééééééééééé"), "éééé…éééé");
    }
}
