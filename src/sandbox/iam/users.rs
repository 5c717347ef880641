//! What the sandbox account's IAM users and groups may do: managed policies attached, inline
//! policies, group membership and a user's permissions boundary (migrate's same permissions).

use super::state::IamState;
use super::SandboxIam;
use crate::core::ports::{IamError, InlinePolicy};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The permissions of one IAM user or group.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub(crate) struct Principal {
    pub(crate) attached: Vec<String>,
    /// Inline policy name → document.
    pub(crate) inline: BTreeMap<String, String>,
    /// The groups of a user (empty for a group).
    pub(crate) groups: Vec<String>,
    /// A user's permissions boundary.
    pub(crate) boundary: Option<String>,
}

fn inline_list(p: &Principal) -> Vec<InlinePolicy> {
    let policies = p.inline.iter();
    policies
        .map(|(name, document)| InlinePolicy {
            name: name.clone(),
            document: document.clone(),
        })
        .collect()
}

impl IamState {
    fn user_exists(&self, user: &str) -> bool {
        self.users.contains_key(user) || self.user_policies.contains_key(user)
    }

    fn user(&self, user: &str) -> Result<Principal, IamError> {
        if !self.user_exists(user) {
            return Err(IamError::NoSuchEntity(format!("user {user}")));
        }
        Ok(self.user_policies.get(user).cloned().unwrap_or_default())
    }

    fn group(&self, group: &str) -> Result<&Principal, IamError> {
        self.groups
            .get(group)
            .ok_or_else(|| IamError::NoSuchEntity(format!("group {group}")))
    }

    pub(crate) fn user_boundary(&self, user: &str) -> Result<Option<String>, IamError> {
        Ok(self.user(user)?.boundary)
    }

    pub(crate) fn user_attached(&self, user: &str) -> Result<Vec<String>, IamError> {
        Ok(self.user(user)?.attached)
    }

    pub(crate) fn user_groups(&self, user: &str) -> Result<Vec<String>, IamError> {
        Ok(self.user(user)?.groups)
    }

    pub(crate) fn user_inline(&self, user: &str) -> Result<Vec<InlinePolicy>, IamError> {
        Ok(inline_list(&self.user(user)?))
    }

    pub(crate) fn group_attached(&self, group: &str) -> Result<Vec<String>, IamError> {
        Ok(self.group(group)?.attached.clone())
    }

    pub(crate) fn group_inline(&self, group: &str) -> Result<Vec<InlinePolicy>, IamError> {
        Ok(inline_list(self.group(group)?))
    }
}

/// Setting up users and groups (not logged), as an administrator would have.
impl SandboxIam {
    /// Creates the IAM user if needed (without keys).
    pub fn add_user(&self, user: &str) {
        let mut st = self.st();
        st.user_policies.entry(user.to_string()).or_default();
    }

    /// Gives `user` a console password (`GetLoginProfile` then finds one).
    pub fn add_login_profile(&self, user: &str) {
        let mut st = self.st();
        st.user_policies.entry(user.to_string()).or_default();
        st.login_profiles.insert(user.to_string());
    }

    /// Attaches managed policy `arn` to `user`.
    pub fn attach_user_policy(&self, user: &str, arn: &str) {
        let mut st = self.st();
        let p = st.user_policies.entry(user.to_string()).or_default();
        p.attached.retain(|a| a != arn);
        p.attached.push(arn.to_string());
    }

    /// Puts inline policy `name` on `user`.
    pub fn put_user_policy(&self, user: &str, name: &str, document: &str) {
        let mut st = self.st();
        let p = st.user_policies.entry(user.to_string()).or_default();
        p.inline.insert(name.to_string(), document.to_string());
    }

    /// Sets `user`'s permissions boundary.
    pub fn set_user_boundary(&self, user: &str, arn: Option<&str>) {
        let mut st = self.st();
        let p = st.user_policies.entry(user.to_string()).or_default();
        p.boundary = arn.map(str::to_string);
    }

    /// Creates `group` if needed and adds `user` to it.
    pub fn add_user_to_group(&self, user: &str, group: &str) {
        let mut st = self.st();
        st.groups.entry(group.to_string()).or_default();
        let p = st.user_policies.entry(user.to_string()).or_default();
        if !p.groups.iter().any(|g| g == group) {
            p.groups.push(group.to_string());
        }
    }

    /// Attaches managed policy `arn` to `group` (created if needed).
    pub fn attach_group_policy(&self, group: &str, arn: &str) {
        let mut st = self.st();
        let p = st.groups.entry(group.to_string()).or_default();
        p.attached.retain(|a| a != arn);
        p.attached.push(arn.to_string());
    }

    /// Puts inline policy `name` on `group` (created if needed).
    pub fn put_group_policy(&self, group: &str, name: &str, document: &str) {
        let mut st = self.st();
        let p = st.groups.entry(group.to_string()).or_default();
        p.inline.insert(name.to_string(), document.to_string());
    }

    /// The permissions boundary a role was created with (not logged).
    pub fn role_boundary(&self, role: &str) -> Option<String> {
        self.st().role(role).and_then(|r| r.boundary.clone())
    }
}
