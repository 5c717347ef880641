//! [`SandboxIam`]: an in-memory AWS account behind the [`Iam`] port. IAM's rules live in
//! `iam/state.rs`; this file adds the call log, fault injection, latency and persistence.

mod organizations;
mod state;
mod trail;
mod users;

pub(crate) use trail::WebIdentityCall;

use super::recorder::{lock, Call, Recorder};
use super::ACCOUNT_ID;
use crate::core::ports::{
    AccessKeyLastUsed, AccessKeyMetadata, AccessKeyStatus, CallerIdentity, Iam, IamError,
    InlinePolicy, NewOidcProvider, NewRole, OidcProvider, Role,
};
use async_trait::async_trait;
use state::{AccessKey, IamState};
use std::sync::{Mutex, MutexGuard};
use std::time::Duration;

/// Every operation of the port, for [`SandboxIam::fail_on`].
#[rustfmt::skip]
pub(crate) const OPS: &[&str] = &[
    "caller_identity", "list_oidc_providers", "get_oidc_provider", "create_oidc_provider",
    "add_client_id", "remove_client_id", "delete_oidc_provider", "get_role", "list_roles",
    "create_role", "update_trust_policy", "delete_role", "list_attached_policies", "attach_policy",
    "detach_policy", "list_inline_policies", "get_inline_policy", "put_inline_policy",
    "delete_inline_policy", "set_access_key_status", "web_identity_events",
    "access_key_last_used", "list_access_keys", "access_key_account",
    "get_managed_policy_document", "managed_policy_exists", "user_permissions_boundary",
    "list_attached_user_policies", "list_groups_for_user", "list_attached_group_policies",
    "user_inline_policies", "group_inline_policies",
    "resource_control_policies", "policy_content", "policy_targets", "org_parents",
    "access_key_events", "login_profile_exists",
];

/// An in-memory AWS account (`123456789012`, caller `arn:aws:iam::123456789012:user/demo`).
///
/// Lookups of roles are case-insensitive, as in IAM. Lists come back sorted (providers by ARN,
/// roles by lower-cased name). Call targets are the role name, the provider ARN or URL,
/// `role/policy` or `user/key`.
pub struct SandboxIam {
    state: Mutex<IamState>,
    rec: Recorder<IamError>,
}

impl Default for SandboxIam {
    fn default() -> Self {
        Self::new()
    }
}

impl SandboxIam {
    /// An empty account: no providers, roles or users.
    pub fn new() -> Self {
        Self::with_state(IamState::new(CallerIdentity {
            account: ACCOUNT_ID.into(),
            arn: format!("arn:aws:iam::{ACCOUNT_ID}:user/demo"),
            user_id: "AIDAEXAMPLEDEMOUSER01".into(),
        }))
    }

    /// An empty account with another id (the wizard's demo of a second AWS account), caller
    /// `arn:aws:iam::ACCOUNT:user/demo`.
    pub fn with_account(account: &str) -> Self {
        Self::with_state(IamState::new(CallerIdentity {
            account: account.into(),
            arn: format!("arn:aws:iam::{account}:user/demo"),
            user_id: "AIDAEXAMPLEDEMOUSER02".into(),
        }))
    }

    /// The account's id (not a port call: not logged).
    pub fn account_id(&self) -> String {
        self.st().identity.account.clone()
    }

    fn with_state(state: IamState) -> Self {
        SandboxIam {
            state: Mutex::new(state),
            rec: Recorder::new(OPS),
        }
    }

    fn st(&self) -> MutexGuard<'_, IamState> {
        lock(&self.state)
    }

    /// The account's state as JSON (what [`super::Sandbox::save`] stores).
    pub fn state_json(&self) -> String {
        serde_json::to_string(&*self.st()).expect("the IAM state always serializes")
    }

    /// An account restored from [`SandboxIam::state_json`]'s output.
    pub fn from_state_json(json: &str) -> Result<Self, serde_json::Error> {
        Ok(Self::with_state(serde_json::from_str(json)?))
    }

    /// Replaces the account with [`SandboxIam::state_json`]'s output (the call log, faults and
    /// latency stay).
    pub fn restore_state_json(&self, json: &str) -> Result<(), serde_json::Error> {
        *self.st() = serde_json::from_str(json)?;
        Ok(())
    }

    /// Every call made through the port so far, oldest first (failed ones included).
    pub fn calls(&self) -> Vec<Call> {
        self.rec.calls()
    }

    /// How many logged calls were writes.
    pub fn write_count(&self) -> usize {
        self.rec.write_count()
    }

    /// Empties the call log.
    pub fn clear_calls(&self) {
        self.rec.clear_calls()
    }

    /// Makes the `nth` (1-based) future call of `op` (a port method name, e.g. `create_role`)
    /// return `error` once, without doing anything. Panics on an unknown `op` or `nth == 0`.
    pub fn fail_on(&self, op: &'static str, nth: usize, error: IamError) {
        self.rec.fail_on(op, nth, error)
    }

    /// Adds `latency` (a tokio sleep) to every later call.
    pub fn set_latency(&self, latency: Duration) {
        self.rec.set_latency(latency)
    }

    /// Creates the IAM user if needed and gives it an access key (setup: not logged).
    pub fn add_access_key(&self, user: &str, access_key_id: &str, status: AccessKeyStatus) {
        let mut st = self.st();
        let keys = st.users.entry(user.to_string()).or_default();
        keys.retain(|k| k.id != access_key_id);
        keys.push(AccessKey {
            id: access_key_id.to_string(),
            status,
            created: None,
            last_used: None,
        });
    }

    /// Sets an access key's creation time and last use (`(time, service, region)`), as IAM
    /// would record them (setup: not logged). Unknown keys are ignored.
    pub fn set_access_key_use(
        &self,
        access_key_id: &str,
        created: Option<&str>,
        last_used: Option<(&str, &str, &str)>,
    ) {
        let mut st = self.st();
        let keys = st.users.values_mut().flatten();
        if let Some(key) = keys.into_iter().find(|k| k.id == access_key_id) {
            key.created = created.map(str::to_string);
            key.last_used = last_used.map(|(t, s, r)| (t.into(), s.into(), r.into()));
        }
    }

    /// Registers an access key id of another AWS account (setup: not logged): IAM here answers
    /// `AccessDenied` for it, STS names `account`.
    pub fn add_foreign_access_key(&self, access_key_id: &str, account: &str) {
        let mut st = self.st();
        st.foreign_keys
            .insert(access_key_id.to_string(), account.to_string());
    }

    /// The status of an access key, `None` if no user has it (not logged).
    pub fn access_key_status(&self, access_key_id: &str) -> Option<AccessKeyStatus> {
        let st = self.st();
        let mut keys = st.users.values().flatten();
        keys.find(|k| k.id == access_key_id).map(|k| k.status)
    }

    /// Creates a role with attached managed policies and, if given, a creation time other than
    /// now (setup: not logged).
    pub fn add_role(
        &self,
        role: &NewRole,
        policies: &[&str],
        created: Option<&str>,
    ) -> Result<(), IamError> {
        let mut st = self.st();
        st.create_role(role)?;
        for arn in policies {
            st.attach(&role.name, arn)?;
        }
        if let Some(created) = created {
            st.role_mut(&role.name)?.role.created = Some(created.to_string());
        }
        Ok(())
    }

    /// Creates an OIDC provider (setup: not logged).
    pub fn add_oidc_provider(&self, provider: &NewOidcProvider) -> Result<String, IamError> {
        self.st().create_provider(provider)
    }

    /// Creates a customer-managed policy `name` whose default version is `document`, and
    /// returns its ARN (`arn:aws:iam::ACCOUNT:policy/NAME`) to attach (setup: not logged).
    pub fn add_managed_policy(&self, name: &str, document: &str) -> Result<String, IamError> {
        self.st().create_policy(name, document)
    }

    /// Deletes a role with its policies (setup: not logged).
    pub fn remove_role(&self, name: &str) {
        self.st().roles.remove(&name.to_lowercase());
    }

    /// Deletes every OIDC provider (setup: not logged).
    pub fn remove_oidc_providers(&self) {
        self.st().providers.clear();
    }

    /// Sets a role's creation time (RFC 3339), e.g. to seed an old role.
    pub fn set_role_created(&self, role_name: &str, when: &str) -> Result<(), IamError> {
        self.st().role_mut(role_name)?.role.created = Some(when.to_string());
        Ok(())
    }

    /// Sets a role's `RoleLastUsed` time (RFC 3339), as AWS would after an assume-role.
    pub fn set_role_last_used(&self, role_name: &str, when: Option<&str>) -> Result<(), IamError> {
        self.st().role_mut(role_name)?.role.last_used = when.map(str::to_string);
        Ok(())
    }
}

#[async_trait]
impl Iam for SandboxIam {
    async fn caller_identity(&self) -> Result<CallerIdentity, IamError> {
        self.rec.enter("caller_identity", false, "").await?;
        Ok(self.st().identity.clone())
    }

    async fn list_oidc_providers(&self) -> Result<Vec<String>, IamError> {
        self.rec.enter("list_oidc_providers", false, "").await?;
        Ok(self.st().providers.keys().cloned().collect())
    }

    async fn get_oidc_provider(&self, arn: &str) -> Result<Option<OidcProvider>, IamError> {
        self.rec.enter("get_oidc_provider", false, arn).await?;
        Ok(self.st().providers.get(arn).cloned())
    }

    async fn create_oidc_provider(&self, provider: &NewOidcProvider) -> Result<String, IamError> {
        self.rec
            .enter("create_oidc_provider", true, &provider.url)
            .await?;
        self.st().create_provider(provider)
    }

    async fn add_client_id(&self, provider_arn: &str, client_id: &str) -> Result<(), IamError> {
        self.rec.enter("add_client_id", true, provider_arn).await?;
        self.st().add_client_id(provider_arn, client_id)
    }

    async fn remove_client_id(&self, provider_arn: &str, client_id: &str) -> Result<(), IamError> {
        self.rec
            .enter("remove_client_id", true, provider_arn)
            .await?;
        self.st().remove_client_id(provider_arn, client_id)
    }

    /// Idempotent, as IAM documents `DeleteOpenIDConnectProvider`.
    async fn delete_oidc_provider(&self, arn: &str) -> Result<(), IamError> {
        self.rec.enter("delete_oidc_provider", true, arn).await?;
        self.st().providers.remove(arn);
        Ok(())
    }

    async fn get_role(&self, name: &str) -> Result<Option<Role>, IamError> {
        self.rec.enter("get_role", false, name).await?;
        Ok(self.st().role(name).map(|r| r.role.clone()))
    }

    async fn list_roles(&self) -> Result<Vec<Role>, IamError> {
        self.rec.enter("list_roles", false, "").await?;
        Ok(self.st().roles.values().map(|r| r.role.clone()).collect())
    }

    async fn create_role(&self, role: &NewRole) -> Result<Role, IamError> {
        self.rec.enter("create_role", true, &role.name).await?;
        self.st().create_role(role)
    }

    async fn update_trust_policy(&self, role_name: &str, document: &str) -> Result<(), IamError> {
        self.rec
            .enter("update_trust_policy", true, role_name)
            .await?;
        self.st().update_trust_policy(role_name, document)
    }

    async fn delete_role(&self, name: &str) -> Result<(), IamError> {
        self.rec.enter("delete_role", true, name).await?;
        self.st().delete_role(name)
    }

    async fn list_attached_policies(&self, role_name: &str) -> Result<Vec<String>, IamError> {
        self.rec
            .enter("list_attached_policies", false, role_name)
            .await?;
        Ok(self.st().role_mut(role_name)?.attached.clone())
    }

    async fn attach_policy(&self, role_name: &str, policy_arn: &str) -> Result<(), IamError> {
        let target = format!("{role_name}/{policy_arn}");
        self.rec.enter("attach_policy", true, target).await?;
        self.st().attach(role_name, policy_arn)
    }

    async fn detach_policy(&self, role_name: &str, policy_arn: &str) -> Result<(), IamError> {
        let target = format!("{role_name}/{policy_arn}");
        self.rec.enter("detach_policy", true, target).await?;
        self.st().detach(role_name, policy_arn)
    }

    async fn list_inline_policies(&self, role_name: &str) -> Result<Vec<String>, IamError> {
        self.rec
            .enter("list_inline_policies", false, role_name)
            .await?;
        Ok(self
            .st()
            .role_mut(role_name)?
            .inline
            .keys()
            .cloned()
            .collect())
    }

    /// `None` when the policy or the role does not exist.
    async fn get_inline_policy(&self, role: &str, name: &str) -> Result<Option<String>, IamError> {
        self.rec
            .enter("get_inline_policy", false, format!("{role}/{name}"))
            .await?;
        Ok(self
            .st()
            .role(role)
            .and_then(|r| r.inline.get(name))
            .cloned())
    }

    async fn put_inline_policy(&self, role: &str, name: &str, doc: &str) -> Result<(), IamError> {
        self.rec
            .enter("put_inline_policy", true, format!("{role}/{name}"))
            .await?;
        self.st().put_inline(role, name, doc)
    }

    async fn delete_inline_policy(&self, role: &str, name: &str) -> Result<(), IamError> {
        self.rec
            .enter("delete_inline_policy", true, format!("{role}/{name}"))
            .await?;
        self.st().delete_inline(role, name)
    }

    async fn set_access_key_status(
        &self,
        user: &str,
        access_key_id: &str,
        status: AccessKeyStatus,
    ) -> Result<(), IamError> {
        let target = format!("{user}/{access_key_id}");
        self.rec
            .enter("set_access_key_status", true, target)
            .await?;
        self.st().set_key_status(user, access_key_id, status)
    }

    async fn access_key_last_used(
        &self,
        access_key_id: &str,
    ) -> Result<Option<AccessKeyLastUsed>, IamError> {
        self.rec
            .enter("access_key_last_used", false, access_key_id)
            .await?;
        self.st().key_last_used(access_key_id)
    }

    async fn list_access_keys(&self, user: &str) -> Result<Vec<AccessKeyMetadata>, IamError> {
        self.rec.enter("list_access_keys", false, user).await?;
        Ok(self.st().list_keys(user))
    }

    async fn access_key_account(&self, access_key_id: &str) -> Result<Option<String>, IamError> {
        self.rec
            .enter("access_key_account", false, access_key_id)
            .await?;
        Ok(self.st().key_account(access_key_id))
    }

    async fn login_profile_exists(&self, user: &str) -> Result<bool, IamError> {
        self.rec.enter("login_profile_exists", false, user).await?;
        Ok(self.st().login_profiles.contains(user))
    }

    /// `None` for a policy never created with a document (see [`SandboxIam::add_managed_policy`]).
    async fn get_managed_policy_document(
        &self,
        policy_arn: &str,
    ) -> Result<Option<String>, IamError> {
        self.rec
            .enter("get_managed_policy_document", false, policy_arn)
            .await?;
        Ok(self.st().managed_policy_document(policy_arn))
    }

    async fn managed_policy_exists(&self, policy_arn: &str) -> Result<bool, IamError> {
        self.rec
            .enter("managed_policy_exists", false, policy_arn)
            .await?;
        Ok(self.st().policy_exists(policy_arn))
    }

    async fn user_permissions_boundary(&self, user: &str) -> Result<Option<String>, IamError> {
        let op = "user_permissions_boundary";
        self.rec.enter(op, false, user).await?;
        self.st().user_boundary(user)
    }

    async fn list_attached_user_policies(&self, user: &str) -> Result<Vec<String>, IamError> {
        let op = "list_attached_user_policies";
        self.rec.enter(op, false, user).await?;
        self.st().user_attached(user)
    }

    async fn list_groups_for_user(&self, user: &str) -> Result<Vec<String>, IamError> {
        self.rec.enter("list_groups_for_user", false, user).await?;
        self.st().user_groups(user)
    }

    async fn list_attached_group_policies(&self, group: &str) -> Result<Vec<String>, IamError> {
        let op = "list_attached_group_policies";
        self.rec.enter(op, false, group).await?;
        self.st().group_attached(group)
    }

    async fn user_inline_policies(&self, user: &str) -> Result<Vec<InlinePolicy>, IamError> {
        self.rec.enter("user_inline_policies", false, user).await?;
        self.st().user_inline(user)
    }

    async fn group_inline_policies(&self, group: &str) -> Result<Vec<InlinePolicy>, IamError> {
        self.rec
            .enter("group_inline_policies", false, group)
            .await?;
        self.st().group_inline(group)
    }
}

#[cfg(test)]
mod tests;
