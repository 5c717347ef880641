//! The AWS side: IAM and STS (`Iam`), and the types it speaks.

use async_trait::async_trait;
use serde::{Deserialize, Serialize};

/// Who the AWS credentials belong to (`sts:GetCallerIdentity`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CallerIdentity {
    pub account: String,
    pub arn: String,
    pub user_id: String,
}

impl CallerIdentity {
    /// The ARN partition (`aws`, `aws-cn`, `aws-us-gov`) taken from the caller's ARN.
    pub fn partition(&self) -> &str {
        self.arn
            .split(':')
            .nth(1)
            .filter(|p| !p.is_empty())
            .unwrap_or("aws")
    }
}

/// A key/value tag on an IAM resource.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tag {
    pub key: String,
    pub value: String,
}

/// An IAM OpenID Connect identity provider.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OidcProvider {
    pub arn: String,
    /// The issuer URL as IAM stores it (IAM drops the `https://` scheme).
    pub url: String,
    pub client_ids: Vec<String>,
    pub thumbprints: Vec<String>,
    pub tags: Vec<Tag>,
}

/// An IAM role, with its trust policy already URL-decoded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Role {
    pub name: String,
    pub arn: String,
    /// IAM's unique id (`AROA…`): a role deleted and re-created under the same name gets a new one.
    #[serde(default)]
    pub id: String,
    pub path: String,
    /// The assume-role (trust) policy document as JSON text.
    pub trust_policy: String,
    pub description: Option<String>,
    pub tags: Vec<Tag>,
    /// RFC 3339 time of the last use, when IAM knows it.
    pub last_used: Option<String>,
    /// RFC 3339 time the role was created (`CreateDate`), when known.
    #[serde(default)]
    pub created: Option<String>,
}

/// What creating a role needs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewRole {
    pub name: String,
    pub trust_policy: String,
    pub description: String,
    pub tags: Vec<Tag>,
    /// The managed policy ARN set as the role's permissions boundary (`None`: no boundary).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub permissions_boundary: Option<String>,
}

/// What creating an OIDC provider needs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewOidcProvider {
    /// Full issuer URL, `https://HOST`.
    pub url: String,
    pub client_ids: Vec<String>,
    /// Empty: let IAM validate the issuer against its CA library.
    pub thumbprints: Vec<String>,
    pub tags: Vec<Tag>,
}

/// Status of an IAM user access key.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum AccessKeyStatus {
    Active,
    Inactive,
}

/// Errors an [`Iam`] adapter reports, classified so the core can react (retry, resume, explain).
#[derive(Debug, Clone, thiserror::Error, PartialEq, Eq)]
pub enum IamError {
    #[error("{0} does not exist")]
    NoSuchEntity(String),
    #[error("{0} already exists")]
    AlreadyExists(String),
    #[error("access denied: {0}")]
    AccessDenied(String),
    #[error("AWS is throttling requests: {0}")]
    Throttled(String),
    #[error("invalid input: {0}")]
    InvalidInput(String),
    #[error("AWS credentials: {0}")]
    Credentials(String),
    #[error("{0}")]
    Other(String),
}

/// AWS IAM and STS, as much of them as tfc-oidc needs.
///
/// Methods that look something up return `Ok(None)` when it does not exist, so the planner never
/// has to pattern-match on errors for the common case.
#[async_trait]
pub trait Iam: Send + Sync {
    async fn caller_identity(&self) -> Result<CallerIdentity, IamError>;

    async fn list_oidc_providers(&self) -> Result<Vec<String>, IamError>;
    async fn get_oidc_provider(&self, arn: &str) -> Result<Option<OidcProvider>, IamError>;
    /// Returns the new provider's ARN.
    async fn create_oidc_provider(&self, provider: &NewOidcProvider) -> Result<String, IamError>;
    async fn add_client_id(&self, provider_arn: &str, client_id: &str) -> Result<(), IamError>;
    async fn remove_client_id(&self, provider_arn: &str, client_id: &str) -> Result<(), IamError>;
    async fn delete_oidc_provider(&self, arn: &str) -> Result<(), IamError>;

    async fn get_role(&self, name: &str) -> Result<Option<Role>, IamError>;
    /// Every role in the account (all pages), trust policies decoded.
    async fn list_roles(&self) -> Result<Vec<Role>, IamError>;
    async fn create_role(&self, role: &NewRole) -> Result<Role, IamError>;
    async fn update_trust_policy(&self, role_name: &str, document: &str) -> Result<(), IamError>;
    async fn delete_role(&self, name: &str) -> Result<(), IamError>;

    async fn list_attached_policies(&self, role_name: &str) -> Result<Vec<String>, IamError>;
    async fn attach_policy(&self, role_name: &str, policy_arn: &str) -> Result<(), IamError>;
    async fn detach_policy(&self, role_name: &str, policy_arn: &str) -> Result<(), IamError>;

    async fn list_inline_policies(&self, role_name: &str) -> Result<Vec<String>, IamError>;
    async fn get_inline_policy(
        &self,
        role_name: &str,
        policy_name: &str,
    ) -> Result<Option<String>, IamError>;
    async fn put_inline_policy(
        &self,
        role_name: &str,
        policy_name: &str,
        document: &str,
    ) -> Result<(), IamError>;
    async fn delete_inline_policy(
        &self,
        role_name: &str,
        policy_name: &str,
    ) -> Result<(), IamError>;

    async fn set_access_key_status(
        &self,
        user: &str,
        access_key_id: &str,
        status: AccessKeyStatus,
    ) -> Result<(), IamError>;

    // --- migrate ---
    /// `GetAccessKeyLastUsed`: the owning user and the key's last use. `Ok(None)` when IAM does
    /// not know the key (`NoSuchEntity`); a key of another account may also answer
    /// `AccessDenied`, which is returned as an error for the caller to interpret.
    async fn access_key_last_used(
        &self,
        access_key_id: &str,
    ) -> Result<Option<AccessKeyLastUsed>, IamError>;
    /// `ListAccessKeys` of `user` (every page); empty when the user does not exist here.
    async fn list_access_keys(&self, user: &str) -> Result<Vec<AccessKeyMetadata>, IamError>;
    /// `sts:GetAccessKeyInfo`: the account an access key id belongs to (works for any
    /// account's key), `None` when STS cannot tell.
    async fn access_key_account(&self, access_key_id: &str) -> Result<Option<String>, IamError>;
    /// `GetLoginProfile`: whether IAM user `user` has a console password (`NoSuchEntity` is
    /// `false`), so a migration can say whether the user has other credentials than its keys.
    async fn login_profile_exists(&self, user: &str) -> Result<bool, IamError>;

    // --- customer-managed policies ---
    /// The document of the default version of managed policy `policy_arn` (`GetPolicy` for its
    /// `DefaultVersionId`, then `GetPolicyVersion`), URL-decoded JSON text. `Ok(None)` when the
    /// policy (or that version) does not exist.
    async fn get_managed_policy_document(
        &self,
        policy_arn: &str,
    ) -> Result<Option<String>, IamError>;
    /// `GetPolicy`: whether managed policy `policy_arn` (AWS-managed or the account's) exists,
    /// so a plan refuses one an attach would fail on.
    async fn managed_policy_exists(&self, policy_arn: &str) -> Result<bool, IamError>;

    // --- what an IAM user may do (migrate's same permissions) ---
    /// `GetUser`: the ARN of the user's permissions boundary, `None` when it has none.
    /// `NoSuchEntity` when the user does not exist.
    async fn user_permissions_boundary(&self, user: &str) -> Result<Option<String>, IamError>;
    /// `ListAttachedUserPolicies` (every page): the ARNs of the user's managed policies.
    async fn list_attached_user_policies(&self, user: &str) -> Result<Vec<String>, IamError>;
    /// `ListGroupsForUser` (every page): the names of the user's groups.
    async fn list_groups_for_user(&self, user: &str) -> Result<Vec<String>, IamError>;
    /// `ListAttachedGroupPolicies` (every page): the ARNs of the group's managed policies.
    async fn list_attached_group_policies(&self, group: &str) -> Result<Vec<String>, IamError>;
    /// `ListUserPolicies` then `GetUserPolicy` for each: the user's inline policies, by name,
    /// documents URL-decoded.
    async fn user_inline_policies(&self, user: &str) -> Result<Vec<InlinePolicy>, IamError>;
    /// `ListGroupPolicies` then `GetGroupPolicy` for each: the group's inline policies.
    async fn group_inline_policies(&self, group: &str) -> Result<Vec<InlinePolicy>, IamError>;
}

/// An inline policy of a user, group or role: its name and its JSON document.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct InlinePolicy {
    pub name: String,
    pub document: String,
}

/// What `GetAccessKeyLastUsed` says about an access key of the caller's account.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccessKeyLastUsed {
    /// The IAM user that owns the key.
    pub user: String,
    /// RFC 3339 time of the last use; `None` when never used (or not since IAM tracks it).
    pub last_used: Option<String>,
    /// The service of the last use (`s3`); `None` where IAM says `N/A`.
    pub service: Option<String>,
    /// The region of the last use; `None` where IAM says `N/A`.
    pub region: Option<String>,
}

/// One access key of an IAM user, as `ListAccessKeys` lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccessKeyMetadata {
    pub id: String,
    pub status: AccessKeyStatus,
    /// RFC 3339 creation time.
    pub created: Option<String>,
}
