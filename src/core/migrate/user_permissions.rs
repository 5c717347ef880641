//! What an access key's IAM user may do, read so the role that replaces the key can do exactly
//! that (`migrate --same-permissions`): the managed policies attached to the user and to each
//! of its groups, the inline policies of both, and the user's permissions boundary.
//!
//! Managed policies are attached to the role (the same policy, so a later change to it reaches
//! the role); inline documents are copied under names that say where they came from; the
//! boundary is set when the role is created. Users with different permissions never share a
//! role: [`PermissionSet`] is what two users must have in common to share one.

use crate::core::answers::Permissions;
use crate::core::ports::{Iam, IamError, InlinePolicy};
use futures::future::{join_all, try_join_all};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};

/// Where a policy of the user comes from.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum PolicyOrigin {
    /// Attached to, or inline in, the user itself.
    User,
    /// Attached to, or inline in, this group of the user.
    Group(String),
}

impl PolicyOrigin {
    /// `own` or `group deployers`.
    pub fn label(&self) -> String {
        match self {
            PolicyOrigin::User => "own".into(),
            PolicyOrigin::Group(g) => format!("group {g}"),
        }
    }
}

/// An inline policy of the user or one of its groups.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CopiedInline {
    pub origin: PolicyOrigin,
    pub policy: InlinePolicy,
}

/// Everything an IAM user may do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserPermissions {
    pub user: String,
    /// Managed policy ARNs, with where each is attached (the user's own first).
    pub managed: Vec<(String, PolicyOrigin)>,
    pub inline: Vec<CopiedInline>,
    pub boundary: Option<String>,
    pub groups: Vec<String>,
}

/// What two users must have in common to share a role: the same managed policies, the same
/// inline documents (whatever they are called) and the same boundary.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct PermissionSet {
    managed: BTreeSet<String>,
    inline: BTreeSet<String>,
    boundary: Option<String>,
}

/// IAM's longest inline policy name.
const POLICY_NAME_MAX: usize = 128;

/// The name a copied inline policy gets on the role: `user-NAME-POLICY` or
/// `group-NAME-POLICY`, so a reader of the role sees where it came from.
pub fn copied_name(user: &str, inline: &CopiedInline) -> String {
    let name = match &inline.origin {
        PolicyOrigin::User => format!("user-{user}-{}", inline.policy.name),
        PolicyOrigin::Group(g) => format!("group-{g}-{}", inline.policy.name),
    };
    name.chars().take(POLICY_NAME_MAX).collect()
}

/// The document with its whitespace and key order normalised, so equal policies compare equal.
fn normalised(document: &str) -> String {
    serde_json::from_str::<Value>(document)
        .map(|v| v.to_string())
        .unwrap_or_else(|_| document.to_string())
}

impl UserPermissions {
    /// The managed policy ARNs, each once.
    pub fn managed_arns(&self) -> Vec<String> {
        let mut arns: Vec<String> = Vec::new();
        for (arn, _) in &self.managed {
            if !arns.contains(arn) {
                arns.push(arn.clone());
            }
        }
        arns
    }

    pub fn set(&self) -> PermissionSet {
        PermissionSet {
            managed: self.managed_arns().into_iter().collect(),
            inline: self
                .inline
                .iter()
                .map(|i| normalised(&i.policy.document))
                .collect(),
            boundary: self.boundary.clone(),
        }
    }

    /// The role's permissions: the same managed policies, the inline documents copied, the
    /// boundary. A user that may do nothing gives a role that may do nothing (`none`).
    pub fn to_permissions(&self) -> Permissions {
        let named_inline_policies: Vec<InlinePolicy> = self
            .inline
            .iter()
            .map(|i| InlinePolicy {
                name: copied_name(&self.user, i),
                document: i.policy.document.clone(),
            })
            .collect();
        let managed_policy_arns = self.managed_arns();
        let none = managed_policy_arns.is_empty() && named_inline_policies.is_empty();
        Permissions {
            managed_policy_arns,
            inline_policy: None,
            none,
            named_inline_policies,
            boundary: self.boundary.clone(),
        }
    }

    /// Every policy by name, for the plan: `AmazonS3FullAccess (own)`.
    pub fn policy_names(&self) -> Vec<String> {
        let managed = self.managed.iter().map(|(arn, origin)| {
            let name = arn.rsplit('/').next().unwrap_or(arn);
            format!("{name} ({})", origin.label())
        });
        let inline = self
            .inline
            .iter()
            .map(|i| format!("inline {} ({})", i.policy.name, i.origin.label()));
        managed.chain(inline).collect()
    }
}

/// Reads one user's permissions (the group reads run concurrently).
pub async fn read_user(iam: &dyn Iam, user: &str) -> Result<UserPermissions, IamError> {
    let (boundary, own_managed, own_inline, groups) = futures::try_join!(
        iam.user_permissions_boundary(user),
        iam.list_attached_user_policies(user),
        iam.user_inline_policies(user),
        iam.list_groups_for_user(user),
    )?;
    let of_groups = try_join_all(groups.iter().map(|g| async move {
        let (managed, inline) = futures::try_join!(
            iam.list_attached_group_policies(g),
            iam.group_inline_policies(g),
        )?;
        Ok::<_, IamError>((g.clone(), managed, inline))
    }))
    .await?;
    let mut managed: Vec<(String, PolicyOrigin)> = own_managed
        .into_iter()
        .map(|arn| (arn, PolicyOrigin::User))
        .collect();
    let mut inline: Vec<CopiedInline> = own_inline
        .into_iter()
        .map(|policy| CopiedInline {
            origin: PolicyOrigin::User,
            policy,
        })
        .collect();
    for (group, group_managed, group_inline) in of_groups {
        let origin = PolicyOrigin::Group(group);
        managed.extend(group_managed.into_iter().map(|a| (a, origin.clone())));
        inline.extend(group_inline.into_iter().map(|policy| CopiedInline {
            origin: origin.clone(),
            policy,
        }));
    }
    Ok(UserPermissions {
        user: user.to_string(),
        managed,
        inline,
        boundary,
        groups,
    })
}

/// Reads every user (concurrently). What cannot be read is the reason, as one line.
pub async fn read_users(
    iam: &dyn Iam,
    users: &BTreeSet<String>,
) -> BTreeMap<String, Result<UserPermissions, String>> {
    let read = join_all(users.iter().map(|u| async move {
        let got = read_user(iam, u).await.map_err(|e| e.to_string());
        (u.clone(), got)
    }))
    .await;
    read.into_iter().collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sandbox::SandboxIam;

    #[tokio::test]
    async fn own_and_group_policies_and_the_boundary_are_read() {
        let iam = SandboxIam::new();
        iam.add_user("ci");
        iam.attach_user_policy("ci", "arn:aws:iam::aws:policy/AmazonS3FullAccess");
        iam.put_user_policy("ci", "extra", r#"{"Version":"2012-10-17","Statement":[]}"#);
        iam.set_user_boundary("ci", Some("arn:aws:iam::123456789012:policy/Bound"));
        iam.add_user_to_group("ci", "deployers");
        iam.attach_group_policy("deployers", "arn:aws:iam::aws:policy/ReadOnlyAccess");
        iam.put_group_policy("deployers", "logs", r#"{"Statement":[]}"#);
        let p = read_user(&iam, "ci").await.unwrap();
        assert_eq!(
            p.policy_names(),
            [
                "AmazonS3FullAccess (own)",
                "ReadOnlyAccess (group deployers)",
                "inline extra (own)",
                "inline logs (group deployers)"
            ]
        );
        let perms = p.to_permissions();
        assert_eq!(perms.managed_policy_arns.len(), 2);
        let names: Vec<&str> = perms
            .named_inline_policies
            .iter()
            .map(|i| i.name.as_str())
            .collect();
        assert_eq!(names, ["user-ci-extra", "group-deployers-logs"]);
        assert_eq!(
            perms.boundary.as_deref(),
            Some("arn:aws:iam::123456789012:policy/Bound")
        );
        assert!(!perms.none);
    }

    #[tokio::test]
    async fn equal_permissions_compare_equal_whatever_the_inline_names() {
        let iam = SandboxIam::new();
        for (user, name, doc) in [
            ("a", "x", r#"{"Statement": []}"#),
            ("b", "y", r#"{"Statement":[]}"#),
        ] {
            iam.add_user(user);
            iam.put_user_policy(user, name, doc);
        }
        iam.add_user("c");
        let (a, b, c) = (
            read_user(&iam, "a").await.unwrap(),
            read_user(&iam, "b").await.unwrap(),
            read_user(&iam, "c").await.unwrap(),
        );
        assert_eq!(a.set(), b.set());
        assert_ne!(a.set(), c.set());
        assert!(c.to_permissions().none);
        let missing = read_users(&iam, &["nobody".to_string()].into()).await;
        assert!(missing["nobody"].is_err());
    }
}
