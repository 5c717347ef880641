//! [`IamClient`]: the real AWS adapter behind the core's [`Iam`] port (aws-sdk-iam + aws-sdk-sts).
//!
//! The OIDC provider calls live in `providers.rs`, the role and policy calls in `roles.rs`; this
//! file holds the client, the trait implementation that forwards to them, STS and access keys.

use async_trait::async_trait;
use aws_config::SdkConfig;
use aws_sdk_iam::config::retry::RetryConfig;
use aws_sdk_iam::types::StatusType;

use super::errors::{classify, ErrorContext};
use crate::core::ports::{
    AccessKeyLastUsed, AccessKeyMetadata, AccessKeyStatus, CallerIdentity, Iam, IamError,
    InlinePolicy, NewOidcProvider, NewRole, OidcProvider, Role,
};

/// Attempts per request (first try + retries) for the SDK's standard retry strategy, which
/// already backs off on throttling and transient errors.
const MAX_ATTEMPTS: u32 = 5;

/// AWS IAM and STS through the official SDK.
#[derive(Debug, Clone)]
pub struct IamClient {
    pub(super) iam: aws_sdk_iam::Client,
    pub(super) sts: aws_sdk_sts::Client,
    pub(super) iam_ctx: ErrorContext,
    pub(super) sts_ctx: ErrorContext,
}

impl IamClient {
    /// Builds the IAM and STS clients from a loaded SDK config (see
    /// [`load_sdk_config`](super::config::load_sdk_config)), with standard retries (5 attempts).
    /// The profile named in error messages is taken from `AWS_PROFILE`; see [`Self::with_profile`].
    pub fn new(sdk: &SdkConfig) -> Self {
        let retry = RetryConfig::standard().with_max_attempts(MAX_ATTEMPTS);
        let iam_conf = aws_sdk_iam::config::Builder::from(sdk)
            .retry_config(retry.clone())
            .build();
        let sts_conf = aws_sdk_sts::config::Builder::from(sdk)
            .retry_config(retry)
            .build();
        let profile = std::env::var("AWS_PROFILE").ok().filter(|p| !p.is_empty());
        let endpoint = |service: &str| {
            std::env::var(format!("AWS_ENDPOINT_URL_{service}"))
                .ok()
                .filter(|e| !e.is_empty())
                .or_else(|| sdk.endpoint_url().map(str::to_owned))
        };
        IamClient {
            iam: aws_sdk_iam::Client::from_conf(iam_conf),
            sts: aws_sdk_sts::Client::from_conf(sts_conf),
            iam_ctx: ErrorContext {
                profile: profile.clone(),
                endpoint: endpoint("IAM"),
            },
            sts_ctx: ErrorContext {
                profile,
                endpoint: endpoint("STS"),
            },
        }
    }

    /// Names the profile in use (`--profile`) so credential errors can say
    /// `run 'aws sso login --profile X'`. `None` keeps what `new` found.
    pub fn with_profile(mut self, profile: Option<&str>) -> Self {
        if let Some(p) = profile.filter(|p| !p.is_empty()) {
            self.iam_ctx.profile = Some(p.to_owned());
            self.sts_ctx.profile = Some(p.to_owned());
        }
        self
    }

    /// The underlying IAM client, for calls the port does not cover (tests, diagnostics).
    pub fn iam_sdk(&self) -> &aws_sdk_iam::Client {
        &self.iam
    }
}

#[async_trait]
impl Iam for IamClient {
    async fn caller_identity(&self) -> Result<CallerIdentity, IamError> {
        let out = self
            .sts
            .get_caller_identity()
            .send()
            .await
            .map_err(|e| classify(e, "the caller identity", &self.sts_ctx))?;
        Ok(CallerIdentity {
            account: out.account().unwrap_or_default().to_owned(),
            arn: out.arn().unwrap_or_default().to_owned(),
            user_id: out.user_id().unwrap_or_default().to_owned(),
        })
    }

    async fn list_oidc_providers(&self) -> Result<Vec<String>, IamError> {
        self.list_oidc_providers_impl().await
    }

    async fn get_oidc_provider(&self, arn: &str) -> Result<Option<OidcProvider>, IamError> {
        self.get_oidc_provider_impl(arn).await
    }

    async fn create_oidc_provider(&self, provider: &NewOidcProvider) -> Result<String, IamError> {
        self.create_oidc_provider_impl(provider).await
    }

    async fn add_client_id(&self, provider_arn: &str, client_id: &str) -> Result<(), IamError> {
        self.add_client_id_impl(provider_arn, client_id).await
    }

    async fn remove_client_id(&self, provider_arn: &str, client_id: &str) -> Result<(), IamError> {
        self.remove_client_id_impl(provider_arn, client_id).await
    }

    async fn delete_oidc_provider(&self, arn: &str) -> Result<(), IamError> {
        self.delete_oidc_provider_impl(arn).await
    }

    async fn get_role(&self, name: &str) -> Result<Option<Role>, IamError> {
        self.get_role_impl(name).await
    }

    /// Note: IAM's ListRoles leaves out tags and RoleLastUsed, so the roles returned here have
    /// empty `tags` and no `last_used`; call [`Iam::get_role`] when those matter.
    async fn list_roles(&self) -> Result<Vec<Role>, IamError> {
        self.list_roles_impl().await
    }

    async fn create_role(&self, role: &NewRole) -> Result<Role, IamError> {
        self.create_role_impl(role).await
    }

    async fn update_trust_policy(&self, role_name: &str, document: &str) -> Result<(), IamError> {
        self.update_trust_policy_impl(role_name, document).await
    }

    async fn delete_role(&self, name: &str) -> Result<(), IamError> {
        self.delete_role_impl(name).await
    }

    async fn list_attached_policies(&self, role_name: &str) -> Result<Vec<String>, IamError> {
        self.list_attached_policies_impl(role_name).await
    }

    async fn attach_policy(&self, role_name: &str, policy_arn: &str) -> Result<(), IamError> {
        self.attach_policy_impl(role_name, policy_arn).await
    }

    async fn detach_policy(&self, role_name: &str, policy_arn: &str) -> Result<(), IamError> {
        self.detach_policy_impl(role_name, policy_arn).await
    }

    async fn list_inline_policies(&self, role_name: &str) -> Result<Vec<String>, IamError> {
        self.list_inline_policies_impl(role_name).await
    }

    async fn get_inline_policy(
        &self,
        role_name: &str,
        policy_name: &str,
    ) -> Result<Option<String>, IamError> {
        self.get_inline_policy_impl(role_name, policy_name).await
    }

    async fn put_inline_policy(
        &self,
        role_name: &str,
        policy_name: &str,
        document: &str,
    ) -> Result<(), IamError> {
        self.put_inline_policy_impl(role_name, policy_name, document)
            .await
    }

    async fn delete_inline_policy(
        &self,
        role_name: &str,
        policy_name: &str,
    ) -> Result<(), IamError> {
        self.delete_inline_policy_impl(role_name, policy_name).await
    }

    async fn set_access_key_status(
        &self,
        user: &str,
        access_key_id: &str,
        status: AccessKeyStatus,
    ) -> Result<(), IamError> {
        let what = format!(
            "access key {} of user '{user}'",
            redact_key_id(access_key_id)
        );
        let status = match status {
            AccessKeyStatus::Active => StatusType::Active,
            AccessKeyStatus::Inactive => StatusType::Inactive,
        };
        self.iam
            .update_access_key()
            .user_name(user)
            .access_key_id(access_key_id)
            .status(status)
            .send()
            .await
            .map_err(|e| classify(e, &what, &self.iam_ctx))?;
        Ok(())
    }

    async fn access_key_last_used(
        &self,
        access_key_id: &str,
    ) -> Result<Option<AccessKeyLastUsed>, IamError> {
        self.access_key_last_used_impl(access_key_id).await
    }

    async fn list_access_keys(&self, user: &str) -> Result<Vec<AccessKeyMetadata>, IamError> {
        self.list_access_keys_impl(user).await
    }

    async fn access_key_account(&self, access_key_id: &str) -> Result<Option<String>, IamError> {
        self.access_key_account_impl(access_key_id).await
    }

    async fn login_profile_exists(&self, user: &str) -> Result<bool, IamError> {
        self.login_profile_exists_impl(user).await
    }

    async fn get_managed_policy_document(
        &self,
        policy_arn: &str,
    ) -> Result<Option<String>, IamError> {
        self.get_managed_policy_document_impl(policy_arn).await
    }

    async fn managed_policy_exists(&self, policy_arn: &str) -> Result<bool, IamError> {
        self.managed_policy_exists_impl(policy_arn).await
    }

    async fn user_permissions_boundary(&self, user: &str) -> Result<Option<String>, IamError> {
        self.user_permissions_boundary_impl(user).await
    }

    async fn list_attached_user_policies(&self, user: &str) -> Result<Vec<String>, IamError> {
        self.list_attached_user_policies_impl(user).await
    }

    async fn list_groups_for_user(&self, user: &str) -> Result<Vec<String>, IamError> {
        self.list_groups_for_user_impl(user).await
    }

    async fn list_attached_group_policies(&self, group: &str) -> Result<Vec<String>, IamError> {
        self.list_attached_group_policies_impl(group).await
    }

    async fn user_inline_policies(&self, user: &str) -> Result<Vec<InlinePolicy>, IamError> {
        self.user_inline_policies_impl(user).await
    }

    async fn group_inline_policies(&self, group: &str) -> Result<Vec<InlinePolicy>, IamError> {
        self.group_inline_policies_impl(group).await
    }
}

/// An access key ID shortened for messages (`AKIA…WXYZ`): not secret, but no need to echo it all.
pub(super) fn redact_key_id(id: &str) -> String {
    let chars: Vec<char> = id.chars().collect();
    if chars.len() <= 8 {
        return id.to_owned();
    }
    let head: String = chars[..4].iter().collect();
    let tail: String = chars[chars.len() - 4..].iter().collect();
    format!("{head}…{tail}")
}

#[cfg(test)]
mod tests {
    use super::redact_key_id;

    #[test]
    fn key_ids_are_shortened() {
        assert_eq!(redact_key_id("AKIAABCDEFGHIJKLWXYZ"), "AKIA…WXYZ");
        assert_eq!(redact_key_id("short"), "short");
    }
}
