//! The state behind [`super::SandboxIam`] and IAM's rules, as plain synchronous methods.
//!
//! Follows real IAM where the core can notice: ARNs, case-insensitive role names, `NoSuchEntity`
//! / `EntityAlreadyExists`, `DeleteConflict` while a role still has policies, JSON-checked
//! policy documents, the default 2048-character trust policy quota (whitespace not counted),
//! idempotent `DeleteOpenIDConnectProvider` and client-id add/remove.

use crate::core::ports::{
    AccessKeyLastUsed, AccessKeyMetadata, AccessKeyStatus, CallerIdentity, IamError,
    NewOidcProvider, NewRole, OidcProvider, Role,
};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// AWS-managed policies the sandbox knows (`arn:PARTITION:iam::aws:policy/NAME`).
#[rustfmt::skip]
pub(crate) const AWS_MANAGED: &[&str] = &[
    "ReadOnlyAccess", "PowerUserAccess", "AdministratorAccess", "IAMReadOnlyAccess",
    "IAMFullAccess", "AmazonS3ReadOnlyAccess", "AmazonS3FullAccess", "AmazonEC2FullAccess",
    "AmazonVPCFullAccess", "AmazonRoute53FullAccess", "AmazonDynamoDBFullAccess",
    "job-function/ViewOnlyAccess",
];

/// IAM's default quota for a role trust policy (`ACLSizePerRole`).
pub(crate) const TRUST_POLICY_QUOTA: usize = 2048;

#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct IamState {
    pub(crate) identity: CallerIdentity,
    /// By ARN.
    pub(crate) providers: BTreeMap<String, OidcProvider>,
    /// By lower-cased name: IAM role names are unique regardless of case.
    pub(crate) roles: BTreeMap<String, RoleState>,
    /// User name → access keys.
    pub(crate) users: BTreeMap<String, Vec<AccessKey>>,
    /// Access key ids of other accounts (key id → account id): IAM here refuses to describe
    /// them, STS's GetAccessKeyInfo names their account.
    #[serde(default)]
    pub(crate) foreign_keys: BTreeMap<String, String>,
    /// Roles ever created: each gets a fresh unique id, as in IAM.
    #[serde(default)]
    pub(crate) roles_created: u64,
    /// CloudTrail events of simulated runs (`activity`), oldest first.
    #[serde(default)]
    pub(crate) trail: Vec<crate::core::ports::TrailEvent>,
    /// Whether the trail also shows the demo's made-up history (see `iam/trail.rs`).
    #[serde(default)]
    pub(crate) demo_trail: bool,
    /// Customer-managed policies created with a document: ARN → the default version's document.
    #[serde(default)]
    pub(crate) policies: BTreeMap<String, String>,
    /// What IAM users may do (policies, groups, boundary), by user name.
    #[serde(default)]
    pub(crate) user_policies: BTreeMap<String, super::users::Principal>,
    /// IAM groups' policies, by group name.
    #[serde(default)]
    pub(crate) groups: BTreeMap<String, super::users::Principal>,
    /// The AWS organization the account is in (none in the demo), with its RCPs.
    #[serde(default)]
    pub(crate) organization: Option<super::organizations::SandboxOrganization>,
    /// Users with a console password (`GetLoginProfile`).
    #[serde(default)]
    pub(crate) login_profiles: std::collections::BTreeSet<String>,
    /// CloudTrail events made with static access keys (`LookupEvents` by `AccessKeyId`).
    #[serde(default)]
    pub(crate) key_trail: Vec<crate::core::ports::TrailEvent>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct RoleState {
    pub(crate) role: Role,
    pub(crate) attached: Vec<String>,
    pub(crate) inline: BTreeMap<String, String>,
    /// The permissions boundary set on CreateRole.
    #[serde(default)]
    pub(crate) boundary: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct AccessKey {
    pub(crate) id: String,
    pub(crate) status: AccessKeyStatus,
    /// RFC 3339 creation time.
    #[serde(default)]
    pub(crate) created: Option<String>,
    /// RFC 3339 time, service and region of the last use.
    #[serde(default)]
    pub(crate) last_used: Option<(String, String, String)>,
}

/// The current time as IAM writes `CreateDate`.
fn now_rfc3339() -> String {
    time::OffsetDateTime::now_utc()
        .replace_nanosecond(0)
        .ok()
        .and_then(|t| {
            t.format(&time::format_description::well_known::Rfc3339)
                .ok()
        })
        .unwrap_or_default()
}

fn invalid(msg: impl Into<String>) -> IamError {
    IamError::InvalidInput(msg.into())
}

fn missing(msg: impl Into<String>) -> IamError {
    IamError::NoSuchEntity(msg.into())
}

/// IAM's name rule for roles (64) and inline policies (128): `[\w+=,.@-]+`.
fn check_name(what: &str, name: &str, max: usize) -> Result<(), IamError> {
    let ok_char = |c: char| c.is_ascii_alphanumeric() || "+=,.@_-".contains(c);
    if name.is_empty() || name.len() > max || !name.chars().all(ok_char) {
        let rule = format!("must be 1-{max} characters of [\\w+=,.@-]");
        return Err(invalid(format!(
            "ValidationError: {what} name '{name}' {rule}"
        )));
    }
    Ok(())
}

fn check_policy(doc: &str) -> Result<(), IamError> {
    match serde_json::from_str::<serde_json::Value>(doc) {
        Ok(v) if v.is_object() => Ok(()),
        _ => Err(invalid(
            "MalformedPolicyDocument: the policy document is not a JSON object",
        )),
    }
}

fn check_trust_policy(doc: &str) -> Result<(), IamError> {
    check_policy(doc)?;
    if doc.chars().filter(|c| !c.is_whitespace()).count() > TRUST_POLICY_QUOTA {
        let msg =
            format!("LimitExceeded: Cannot exceed quota for ACLSizePerRole: {TRUST_POLICY_QUOTA}");
        return Err(invalid(msg));
    }
    Ok(())
}

impl IamState {
    pub(crate) fn new(identity: CallerIdentity) -> Self {
        let (providers, roles, users) = (BTreeMap::new(), BTreeMap::new(), BTreeMap::new());
        IamState {
            identity,
            providers,
            roles,
            users,
            foreign_keys: BTreeMap::new(),
            roles_created: 0,
            trail: Vec::new(),
            demo_trail: false,
            organization: None,
            policies: BTreeMap::new(),
            user_policies: BTreeMap::new(),
            groups: BTreeMap::new(),
            login_profiles: Default::default(),
            key_trail: Vec::new(),
        }
    }

    fn arn(&self, resource: &str) -> String {
        let partition = self.identity.partition();
        format!("arn:{partition}:iam::{}:{resource}", self.identity.account)
    }

    pub(crate) fn role(&self, name: &str) -> Option<&RoleState> {
        self.roles.get(&name.to_lowercase())
    }

    pub(crate) fn role_mut(&mut self, name: &str) -> Result<&mut RoleState, IamError> {
        let found = self.roles.get_mut(&name.to_lowercase());
        found.ok_or_else(|| missing(format!("role {name}")))
    }

    fn provider_mut(&mut self, arn: &str) -> Result<&mut OidcProvider, IamError> {
        self.providers
            .get_mut(arn)
            .ok_or_else(|| missing(format!("OIDC provider {arn}")))
    }

    pub(crate) fn policy_exists(&self, arn: &str) -> bool {
        let aws = format!("arn:{}:iam::aws:policy/", self.identity.partition());
        match arn.strip_prefix(&aws) {
            Some(name) => AWS_MANAGED.contains(&name),
            None => arn
                .strip_prefix(&self.arn("policy/"))
                .is_some_and(|n| !n.is_empty()),
        }
    }

    pub(crate) fn create_provider(&mut self, p: &NewOidcProvider) -> Result<String, IamError> {
        let host = p
            .url
            .strip_prefix("https://")
            .unwrap_or("")
            .trim_end_matches('/');
        if host.is_empty() {
            let msg = format!(
                "ValidationError: provider URL '{}' must begin with https://",
                p.url
            );
            return Err(invalid(msg));
        }
        let sha1_hex = |t: &String| crate::core::names::validate_thumbprint(t).is_ok();
        if p.thumbprints.len() > 5 || !p.thumbprints.iter().all(sha1_hex) {
            return Err(invalid(
                "ValidationError: thumbprints must be up to 5 SHA-1 hex digests",
            ));
        }
        let arn = self.arn(&format!("oidc-provider/{host}"));
        if self.providers.contains_key(&arn) {
            return Err(IamError::AlreadyExists(format!(
                "provider with url https://{host}"
            )));
        }
        let mut client_ids: Vec<String> = Vec::new();
        for id in &p.client_ids {
            if !client_ids.contains(id) {
                client_ids.push(id.clone());
            }
        }
        let provider = OidcProvider {
            arn: arn.clone(),
            url: host.to_string(),
            client_ids,
            thumbprints: p.thumbprints.clone(),
            tags: p.tags.clone(),
        };
        self.providers.insert(arn.clone(), provider);
        Ok(arn)
    }

    pub(crate) fn add_client_id(&mut self, arn: &str, client_id: &str) -> Result<(), IamError> {
        let ids = &mut self.provider_mut(arn)?.client_ids;
        if !ids.iter().any(|c| c == client_id) {
            ids.push(client_id.to_string());
        }
        Ok(())
    }

    pub(crate) fn remove_client_id(&mut self, arn: &str, client_id: &str) -> Result<(), IamError> {
        self.provider_mut(arn)?
            .client_ids
            .retain(|c| c != client_id);
        Ok(())
    }

    pub(crate) fn create_role(&mut self, r: &NewRole) -> Result<Role, IamError> {
        check_name("role", &r.name, 64)?;
        check_trust_policy(&r.trust_policy)?;
        if let Some(existing) = self.role(&r.name) {
            let msg = format!("role with name {}", existing.role.name);
            return Err(IamError::AlreadyExists(msg));
        }
        self.roles_created += 1;
        let role = Role {
            name: r.name.clone(),
            arn: self.arn(&format!("role/{}", r.name)),
            id: format!("AROASANDBOX{:09}", self.roles_created),
            path: "/".into(),
            trust_policy: r.trust_policy.clone(),
            description: Some(r.description.clone()).filter(|d| !d.is_empty()),
            tags: r.tags.clone(),
            last_used: None,
            created: Some(now_rfc3339()),
        };
        let (attached, inline) = (Vec::new(), BTreeMap::new());
        let state = RoleState {
            role: role.clone(),
            attached,
            inline,
            boundary: r.permissions_boundary.clone(),
        };
        self.roles.insert(r.name.to_lowercase(), state);
        Ok(role)
    }

    pub(crate) fn update_trust_policy(&mut self, name: &str, doc: &str) -> Result<(), IamError> {
        let role = self.role_mut(name)?;
        check_trust_policy(doc)?;
        role.role.trust_policy = doc.to_string();
        Ok(())
    }

    pub(crate) fn delete_role(&mut self, name: &str) -> Result<(), IamError> {
        let role = self.role_mut(name)?;
        if !role.attached.is_empty() || !role.inline.is_empty() {
            return Err(invalid("DeleteConflict: detach policies first"));
        }
        self.roles.remove(&name.to_lowercase());
        Ok(())
    }

    pub(crate) fn attach(&mut self, role: &str, arn: &str) -> Result<(), IamError> {
        let known = self.policy_exists(arn);
        let role = self.role_mut(role)?;
        if !known {
            return Err(missing(format!("policy {arn}")));
        }
        if !role.attached.iter().any(|a| a == arn) {
            role.attached.push(arn.to_string());
        }
        Ok(())
    }

    pub(crate) fn detach(&mut self, role: &str, arn: &str) -> Result<(), IamError> {
        let attached = &mut self.role_mut(role)?.attached;
        let before = attached.len();
        attached.retain(|a| a != arn);
        if attached.len() == before {
            return Err(missing(format!("policy {arn} attached to role {role}")));
        }
        Ok(())
    }

    pub(crate) fn put_inline(&mut self, role: &str, name: &str, doc: &str) -> Result<(), IamError> {
        let state = self.role_mut(role)?;
        check_name("policy", name, 128)?;
        check_policy(doc)?;
        state.inline.insert(name.to_string(), doc.to_string());
        Ok(())
    }

    pub(crate) fn delete_inline(&mut self, role: &str, name: &str) -> Result<(), IamError> {
        match self.role_mut(role)?.inline.remove(name) {
            Some(_) => Ok(()),
            None => Err(missing(format!("policy {name} of role {role}"))),
        }
    }

    /// `CreatePolicy`: a customer-managed policy with `doc` as its default version.
    pub(crate) fn create_policy(&mut self, name: &str, doc: &str) -> Result<String, IamError> {
        check_name("policy", name, 128)?;
        check_policy(doc)?;
        let arn = self.arn(&format!("policy/{name}"));
        if self.policies.contains_key(&arn) {
            return Err(IamError::AlreadyExists(format!("policy {arn}")));
        }
        self.policies.insert(arn.clone(), doc.to_string());
        Ok(arn)
    }

    /// The default version's document of a customer-managed policy created with one. An ARN of
    /// this account that `attach` accepted without one being created (the demo takes any) has
    /// none, and neither do AWS-managed policies (their documents are not held here).
    pub(crate) fn managed_policy_document(&self, arn: &str) -> Option<String> {
        self.policies.get(arn).cloned()
    }

    pub(crate) fn key_user(&self, key_id: &str) -> Option<String> {
        let mut users = self.users.iter();
        users
            .find(|(_, keys)| keys.iter().any(|k| k.id == key_id))
            .map(|(u, _)| u.clone())
    }

    /// `GetAccessKeyLastUsed`: a key of another account is refused as IAM refuses it.
    pub(crate) fn key_last_used(
        &self,
        key_id: &str,
    ) -> Result<Option<AccessKeyLastUsed>, IamError> {
        if self.foreign_keys.contains_key(key_id) {
            return Err(IamError::AccessDenied(format!(
                "{} is not authorized to perform: iam:GetAccessKeyLastUsed on resource: access key {key_id}",
                self.identity.arn
            )));
        }
        let found = self
            .users
            .iter()
            .find_map(|(user, keys)| keys.iter().find(|k| k.id == key_id).map(|k| (user, k)));
        Ok(found.map(|(user, key)| {
            let used = key.last_used.as_ref();
            AccessKeyLastUsed {
                user: user.clone(),
                last_used: used.map(|u| u.0.clone()),
                service: used.map(|u| u.1.clone()),
                region: used.map(|u| u.2.clone()),
            }
        }))
    }

    pub(crate) fn list_keys(&self, user: &str) -> Vec<AccessKeyMetadata> {
        let keys = self.users.get(user).into_iter().flatten();
        keys.map(|k| AccessKeyMetadata {
            id: k.id.clone(),
            status: k.status,
            created: k.created.clone(),
        })
        .collect()
    }

    /// `GetAccessKeyInfo`: this account for its own keys, the owner for foreign ones.
    pub(crate) fn key_account(&self, key_id: &str) -> Option<String> {
        if let Some(account) = self.foreign_keys.get(key_id) {
            return Some(account.clone());
        }
        self.key_user(key_id).map(|_| self.identity.account.clone())
    }

    pub(crate) fn set_key_status(
        &mut self,
        user: &str,
        key_id: &str,
        status: AccessKeyStatus,
    ) -> Result<(), IamError> {
        let keys = self
            .users
            .get_mut(user)
            .ok_or_else(|| missing(format!("user {user}")))?;
        let key = keys.iter_mut().find(|k| k.id == key_id);
        key.ok_or_else(|| missing(format!("access key {key_id} of user {user}")))?
            .status = status;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn state() -> IamState {
        IamState::new(CallerIdentity {
            account: "111122223333".into(),
            arn: "arn:aws-us-gov:iam::111122223333:user/x".into(),
            user_id: "AIDA".into(),
        })
    }

    fn new_role(name: &str, policy: &str) -> NewRole {
        let (description, tags) = (String::new(), vec![]);
        NewRole {
            name: name.into(),
            trust_policy: policy.into(),
            description,
            tags,
            permissions_boundary: None,
        }
    }

    #[test]
    fn arns_follow_partition_and_account() {
        let mut st = state();
        let role = st.create_role(&new_role("r", "{}")).unwrap();
        assert_eq!(role.arn, "arn:aws-us-gov:iam::111122223333:role/r");
        assert_eq!(role.description, None);
        assert!(st
            .attach("r", "arn:aws-us-gov:iam::aws:policy/ReadOnlyAccess")
            .is_ok());
        assert!(st
            .attach("r", "arn:aws-us-gov:iam::111122223333:policy/team/mine")
            .is_ok());
        let err = st
            .attach("r", "arn:aws:iam::aws:policy/ReadOnlyAccess")
            .unwrap_err();
        assert!(matches!(err, IamError::NoSuchEntity(_)));
    }

    #[test]
    fn customer_managed_policies_hold_their_document() {
        let mut st = state();
        let doc = r#"{"Version":"2012-10-17","Statement":[]}"#;
        let arn = st.create_policy("team-admin", doc).unwrap();
        assert_eq!(arn, "arn:aws-us-gov:iam::111122223333:policy/team-admin");
        assert!(matches!(
            st.create_policy("team-admin", doc),
            Err(IamError::AlreadyExists(_))
        ));
        assert!(st.create_policy("bad name", doc).is_err());
        assert!(st.create_policy("list", "[]").is_err());
        st.create_role(&new_role("r", "{}")).unwrap();
        st.attach("r", &arn).unwrap();
        assert_eq!(st.managed_policy_document(&arn).as_deref(), Some(doc));
        let never_created = "arn:aws-us-gov:iam::111122223333:policy/other";
        assert_eq!(st.managed_policy_document(never_created), None);
    }

    #[test]
    fn names_and_quota_are_checked() {
        let mut st = state();
        assert!(st.create_role(&new_role("has space", "{}")).is_err());
        assert!(st.create_role(&new_role(&"a".repeat(65), "{}")).is_err());
        let big = format!(r#"{{"Sid":"{}"}}"#, "x".repeat(TRUST_POLICY_QUOTA));
        let err = st.create_role(&new_role("big", &big)).unwrap_err();
        assert!(matches!(err, IamError::InvalidInput(m) if m.starts_with("LimitExceeded")));
        let spaced = format!("{{ {} }}", " ".repeat(3000));
        assert!(st.create_role(&new_role("spaced", &spaced)).is_ok());
        assert!(st.put_inline("spaced", "bad name!", "{}").is_err());
        assert!(st.put_inline("spaced", "ok", "[]").is_err());
    }
}
