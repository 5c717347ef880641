//! The [`Iam`] port implemented by [`IamClient`]: each port method makes its IAM or STS
//! requests itself, under the port's own name. What the answers become (roles, providers, tags,
//! access keys, decoded policy documents) lives in the files of those things.

use async_trait::async_trait;
use aws_sdk_iam::error::{ProvideErrorMetadata, SdkError};
use aws_sdk_iam::types::{AccessKeyMetadata as SdkKey, AttachedPolicy, Group};

use super::access_keys::{key_from_sdk, last_used_from_sdk, status_to_sdk};
use super::client::{absent_as_none, redact_key_id, IamClient};
use super::errors::classify;
use super::providers::{provider_from_sdk, tags_to_sdk};
use super::roles::{decode_policy, role_from_sdk};
use crate::core::ports::{
    AccessKeyLastUsed, AccessKeyMetadata, AccessKeyStatus, CallerIdentity, Iam, IamError,
    InlinePolicy, NewOidcProvider, NewRole, OidcProvider, Role,
};

fn provider_what(arn: &str) -> String {
    format!("OIDC provider {arn}")
}
fn role_what(name: &str) -> String {
    format!("role '{name}'")
}
fn role_policy_what(role: &str, policy: &str) -> String {
    format!("policy '{policy}' of role '{role}'")
}
fn managed_policy_what(arn: &str) -> String {
    format!("managed policy '{arn}'")
}
fn user_what(user: &str) -> String {
    format!("user '{user}'")
}
fn group_what(group: &str) -> String {
    format!("group '{group}'")
}
fn key_what(access_key_id: &str) -> String {
    format!("access key {}", redact_key_id(access_key_id))
}

/// The ARNs of attached managed policies.
fn policy_arns(policies: &[AttachedPolicy]) -> Vec<String> {
    let arns = policies.iter().filter_map(|p| p.policy_arn());
    arns.map(str::to_owned).collect()
}

#[async_trait]
impl Iam for IamClient {
    async fn caller_identity(&self) -> Result<CallerIdentity, IamError> {
        let out = self.sts.get_caller_identity().send().await;
        let out = out.map_err(|e| classify(e, "the caller identity", &self.sts_ctx))?;
        Ok(CallerIdentity {
            account: out.account().unwrap_or_default().to_owned(),
            arn: out.arn().unwrap_or_default().to_owned(),
            user_id: out.user_id().unwrap_or_default().to_owned(),
        })
    }

    async fn list_oidc_providers(&self) -> Result<Vec<String>, IamError> {
        let out = self.iam.list_open_id_connect_providers().send().await;
        let out = out.map_err(|e| classify(e, "the OIDC provider list", &self.iam_ctx))?;
        let arns = out.open_id_connect_provider_list().iter();
        Ok(arns.filter_map(|p| p.arn().map(str::to_owned)).collect())
    }

    async fn get_oidc_provider(&self, arn: &str) -> Result<Option<OidcProvider>, IamError> {
        let req = self.iam.get_open_id_connect_provider();
        let out = req.open_id_connect_provider_arn(arn).send().await;
        let out = out.map_err(|e| classify(e, &provider_what(arn), &self.iam_ctx));
        Ok(absent_as_none(out)?.map(|out| provider_from_sdk(arn, &out)))
    }

    async fn create_oidc_provider(&self, provider: &NewOidcProvider) -> Result<String, IamError> {
        let what = format!("OIDC provider for {}", provider.url);
        let mut req = self
            .iam
            .create_open_id_connect_provider()
            .url(&provider.url)
            .set_client_id_list(Some(provider.client_ids.clone()));
        if !provider.thumbprints.is_empty() {
            req = req.set_thumbprint_list(Some(provider.thumbprints.clone()));
        }
        if !provider.tags.is_empty() {
            req = req.set_tags(Some(tags_to_sdk(&provider.tags)?));
        }
        let out = req.send().await;
        let out = out.map_err(|e| classify(e, &what, &self.iam_ctx))?;
        out.open_id_connect_provider_arn()
            .map(str::to_owned)
            .ok_or_else(|| IamError::Other(format!("AWS created the {what} but returned no ARN")))
    }

    async fn add_client_id(&self, provider_arn: &str, client_id: &str) -> Result<(), IamError> {
        let req = self.iam.add_client_id_to_open_id_connect_provider();
        let req = req.open_id_connect_provider_arn(provider_arn);
        let out = req.client_id(client_id).send().await;
        out.map(drop)
            .map_err(|e| classify(e, &provider_what(provider_arn), &self.iam_ctx))
    }

    async fn remove_client_id(&self, provider_arn: &str, client_id: &str) -> Result<(), IamError> {
        let req = self.iam.remove_client_id_from_open_id_connect_provider();
        let req = req.open_id_connect_provider_arn(provider_arn);
        let out = req.client_id(client_id).send().await;
        out.map(drop)
            .map_err(|e| classify(e, &provider_what(provider_arn), &self.iam_ctx))
    }

    async fn delete_oidc_provider(&self, arn: &str) -> Result<(), IamError> {
        let req = self.iam.delete_open_id_connect_provider();
        let out = req.open_id_connect_provider_arn(arn).send().await;
        out.map(drop)
            .map_err(|e| classify(e, &provider_what(arn), &self.iam_ctx))
    }

    async fn get_role(&self, name: &str) -> Result<Option<Role>, IamError> {
        let out = self.iam.get_role().role_name(name).send().await;
        let out = out.map_err(|e| classify(e, &role_what(name), &self.iam_ctx));
        match absent_as_none(out)?.as_ref().and_then(|out| out.role()) {
            Some(role) => role_from_sdk(role).map(Some),
            None => Ok(None),
        }
    }

    /// Note: IAM's ListRoles leaves out tags and RoleLastUsed, so the roles returned here have
    /// empty `tags` and no `last_used`; call [`Iam::get_role`] when those matter.
    async fn list_roles(&self) -> Result<Vec<Role>, IamError> {
        let pages = self.iam.list_roles().into_paginator().items().send();
        let roles: Result<Vec<aws_sdk_iam::types::Role>, _> = pages.collect().await;
        let roles = roles.map_err(|e| classify(e, "the role list", &self.iam_ctx))?;
        roles.iter().map(role_from_sdk).collect()
    }

    async fn create_role(&self, role: &NewRole) -> Result<Role, IamError> {
        let what = role_what(&role.name);
        let mut req = self
            .iam
            .create_role()
            .role_name(&role.name)
            .assume_role_policy_document(&role.trust_policy);
        if !role.description.is_empty() {
            req = req.description(&role.description);
        }
        if !role.tags.is_empty() {
            req = req.set_tags(Some(tags_to_sdk(&role.tags)?));
        }
        if let Some(boundary) = &role.permissions_boundary {
            req = req.permissions_boundary(boundary);
        }
        let out = req.send().await;
        let out = out.map_err(|e| classify(e, &what, &self.iam_ctx))?;
        let created = out
            .role()
            .ok_or_else(|| IamError::Other(format!("AWS created {what} but did not return it")))?;
        let mut created = role_from_sdk(created)?;
        // CreateRole echoes what was sent; keep the caller's exact document and tags if it did not.
        if created.trust_policy.is_empty() {
            created.trust_policy = role.trust_policy.clone();
        }
        if created.tags.is_empty() {
            created.tags = role.tags.clone();
        }
        Ok(created)
    }

    async fn update_trust_policy(&self, role_name: &str, document: &str) -> Result<(), IamError> {
        let req = self.iam.update_assume_role_policy().role_name(role_name);
        let out = req.policy_document(document).send().await;
        out.map(drop)
            .map_err(|e| classify(e, &role_what(role_name), &self.iam_ctx))
    }

    async fn delete_role(&self, name: &str) -> Result<(), IamError> {
        let out = self.iam.delete_role().role_name(name).send().await;
        out.map(drop)
            .map_err(|e| classify(e, &role_what(name), &self.iam_ctx))
    }

    async fn list_attached_policies(&self, role_name: &str) -> Result<Vec<String>, IamError> {
        let req = self.iam.list_attached_role_policies().role_name(role_name);
        let listed: Result<Vec<AttachedPolicy>, _> =
            req.into_paginator().items().send().collect().await;
        let listed = listed.map_err(|e| classify(e, &role_what(role_name), &self.iam_ctx))?;
        Ok(policy_arns(&listed))
    }

    async fn attach_policy(&self, role_name: &str, policy_arn: &str) -> Result<(), IamError> {
        let req = self.iam.attach_role_policy().role_name(role_name);
        let out = req.policy_arn(policy_arn).send().await;
        let what = role_policy_what(role_name, policy_arn);
        out.map(drop).map_err(|e| classify(e, &what, &self.iam_ctx))
    }

    async fn detach_policy(&self, role_name: &str, policy_arn: &str) -> Result<(), IamError> {
        let req = self.iam.detach_role_policy().role_name(role_name);
        let out = req.policy_arn(policy_arn).send().await;
        let what = role_policy_what(role_name, policy_arn);
        out.map(drop).map_err(|e| classify(e, &what, &self.iam_ctx))
    }

    async fn list_inline_policies(&self, role_name: &str) -> Result<Vec<String>, IamError> {
        let req = self.iam.list_role_policies().role_name(role_name);
        let listed: Result<Vec<String>, _> = req.into_paginator().items().send().collect().await;
        listed.map_err(|e| classify(e, &role_what(role_name), &self.iam_ctx))
    }

    async fn get_inline_policy(
        &self,
        role_name: &str,
        policy_name: &str,
    ) -> Result<Option<String>, IamError> {
        let req = self.iam.get_role_policy().role_name(role_name);
        let out = req.policy_name(policy_name).send().await;
        let what = role_policy_what(role_name, policy_name);
        let out = out.map_err(|e| classify(e, &what, &self.iam_ctx));
        match absent_as_none(out)? {
            Some(out) => decode_policy(out.policy_document()).map(Some),
            None => Ok(None),
        }
    }

    async fn put_inline_policy(
        &self,
        role_name: &str,
        policy_name: &str,
        document: &str,
    ) -> Result<(), IamError> {
        let req = self.iam.put_role_policy().role_name(role_name);
        let req = req.policy_name(policy_name).policy_document(document);
        let what = role_policy_what(role_name, policy_name);
        let out = req.send().await;
        out.map(drop).map_err(|e| classify(e, &what, &self.iam_ctx))
    }

    async fn delete_inline_policy(
        &self,
        role_name: &str,
        policy_name: &str,
    ) -> Result<(), IamError> {
        let req = self.iam.delete_role_policy().role_name(role_name);
        let out = req.policy_name(policy_name).send().await;
        let what = role_policy_what(role_name, policy_name);
        out.map(drop).map_err(|e| classify(e, &what, &self.iam_ctx))
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
        let req = self.iam.update_access_key().user_name(user);
        let req = req
            .access_key_id(access_key_id)
            .status(status_to_sdk(status));
        let out = req.send().await;
        out.map(drop).map_err(|e| classify(e, &what, &self.iam_ctx))
    }

    async fn access_key_last_used(
        &self,
        access_key_id: &str,
    ) -> Result<Option<AccessKeyLastUsed>, IamError> {
        let req = self.iam.get_access_key_last_used();
        let out = req.access_key_id(access_key_id).send().await;
        let out = out.map_err(|e| classify(e, &key_what(access_key_id), &self.iam_ctx));
        Ok(absent_as_none(out)?.and_then(|out| last_used_from_sdk(&out)))
    }

    async fn list_access_keys(&self, user: &str) -> Result<Vec<AccessKeyMetadata>, IamError> {
        let what = format!("the access keys of user '{user}'");
        let req = self.iam.list_access_keys().user_name(user);
        let listed: Result<Vec<SdkKey>, _> = req.into_paginator().items().send().collect().await;
        let listed = listed.map_err(|e| classify(e, &what, &self.iam_ctx));
        let keys = absent_as_none(listed)?.unwrap_or_default();
        Ok(keys.iter().filter_map(key_from_sdk).collect())
    }

    async fn access_key_account(&self, access_key_id: &str) -> Result<Option<String>, IamError> {
        let req = self.sts.get_access_key_info();
        let out = req.access_key_id(access_key_id).send().await;
        let out = out.map_err(|e| classify(e, &key_what(access_key_id), &self.sts_ctx))?;
        Ok(out.account().filter(|a| !a.is_empty()).map(str::to_owned))
    }

    /// `GetLoginProfile`: the user has a console password (`NoSuchEntity`: it has none).
    async fn login_profile_exists(&self, user: &str) -> Result<bool, IamError> {
        let what = format!("the console password of user '{user}'");
        let out = self.iam.get_login_profile().user_name(user).send().await;
        let out = out.map_err(|e| classify(e, &what, &self.iam_ctx));
        Ok(absent_as_none(out)?.is_some())
    }

    /// `GetPolicy` names the default version, `GetPolicyVersion` returns its document.
    async fn get_managed_policy_document(
        &self,
        policy_arn: &str,
    ) -> Result<Option<String>, IamError> {
        let what = managed_policy_what(policy_arn);
        let out = self.iam.get_policy().policy_arn(policy_arn).send().await;
        let Some(policy) = absent_as_none(out.map_err(|e| classify(e, &what, &self.iam_ctx)))?
        else {
            return Ok(None);
        };
        let Some(version) = policy.policy().and_then(|p| p.default_version_id()) else {
            return Err(IamError::Other(format!(
                "AWS returned {what} without a default version"
            )));
        };
        let req = self.iam.get_policy_version().policy_arn(policy_arn);
        let out = req.version_id(version).send().await;
        // Deleted (or its default version changed and the old one removed) in between: none.
        let Some(out) = absent_as_none(out.map_err(|e| classify(e, &what, &self.iam_ctx)))? else {
            return Ok(None);
        };
        match out.policy_version().and_then(|v| v.document()) {
            Some(doc) => decode_policy(doc).map(Some),
            None => Err(IamError::Other(format!(
                "AWS returned version {version} of {what} without its document"
            ))),
        }
    }

    /// `GetPolicy` alone says whether a policy exists, for the planner.
    async fn managed_policy_exists(&self, policy_arn: &str) -> Result<bool, IamError> {
        let out = self.iam.get_policy().policy_arn(policy_arn).send().await;
        let what = managed_policy_what(policy_arn);
        let out = out.map_err(|e| classify(e, &what, &self.iam_ctx));
        Ok(absent_as_none(out)?.is_some())
    }

    async fn user_permissions_boundary(&self, user: &str) -> Result<Option<String>, IamError> {
        let out = self.iam.get_user().user_name(user).send().await;
        let out = out.map_err(|e| classify(e, &user_what(user), &self.iam_ctx))?;
        let boundary = out.user().and_then(|u| u.permissions_boundary());
        let arn = boundary.and_then(|b| b.permissions_boundary_arn());
        Ok(arn.filter(|a| !a.is_empty()).map(str::to_owned))
    }

    async fn list_attached_user_policies(&self, user: &str) -> Result<Vec<String>, IamError> {
        let req = self.iam.list_attached_user_policies().user_name(user);
        let listed: Result<Vec<AttachedPolicy>, _> =
            req.into_paginator().items().send().collect().await;
        let listed = listed.map_err(|e| classify(e, &user_what(user), &self.iam_ctx))?;
        Ok(policy_arns(&listed))
    }

    async fn list_groups_for_user(&self, user: &str) -> Result<Vec<String>, IamError> {
        let req = self.iam.list_groups_for_user().user_name(user);
        let listed: Result<Vec<Group>, _> = req.into_paginator().items().send().collect().await;
        let listed = listed.map_err(|e| classify(e, &user_what(user), &self.iam_ctx))?;
        Ok(listed.iter().map(|g| g.group_name().to_owned()).collect())
    }

    async fn list_attached_group_policies(&self, group: &str) -> Result<Vec<String>, IamError> {
        let req = self.iam.list_attached_group_policies().group_name(group);
        let listed: Result<Vec<AttachedPolicy>, _> =
            req.into_paginator().items().send().collect().await;
        let listed = listed.map_err(|e| classify(e, &group_what(group), &self.iam_ctx))?;
        Ok(policy_arns(&listed))
    }

    /// `ListUserPolicies`, then `GetUserPolicy` for each.
    async fn user_inline_policies(&self, user: &str) -> Result<Vec<InlinePolicy>, IamError> {
        let what = user_what(user);
        let req = self.iam.list_user_policies().user_name(user);
        let names: Result<Vec<String>, _> = req.into_paginator().items().send().collect().await;
        let names = names.map_err(|e| classify(e, &what, &self.iam_ctx))?;
        self.inline_documents(names, &what, |name| async move {
            let req = self
                .iam
                .get_user_policy()
                .user_name(user)
                .policy_name(&name);
            let out = req.send().await.map_err(|e| (name, e))?;
            Ok(out.policy_document().to_owned())
        })
        .await
    }

    /// `ListGroupPolicies`, then `GetGroupPolicy` for each.
    async fn group_inline_policies(&self, group: &str) -> Result<Vec<InlinePolicy>, IamError> {
        let what = group_what(group);
        let req = self.iam.list_group_policies().group_name(group);
        let names: Result<Vec<String>, _> = req.into_paginator().items().send().collect().await;
        let names = names.map_err(|e| classify(e, &what, &self.iam_ctx))?;
        self.inline_documents(names, &what, |name| async move {
            let req = self
                .iam
                .get_group_policy()
                .group_name(group)
                .policy_name(&name);
            let out = req.send().await.map_err(|e| (name, e))?;
            Ok(out.policy_document().to_owned())
        })
        .await
    }
}

impl IamClient {
    /// Each inline policy of `names` (of `what`, a user or a group), its document fetched by
    /// `get` one name at a time and decoded; a failed fetch names the policy.
    async fn inline_documents<'a, F, Fut, E>(
        &'a self,
        names: Vec<String>,
        what: &str,
        get: F,
    ) -> Result<Vec<InlinePolicy>, IamError>
    where
        F: Fn(String) -> Fut,
        Fut: std::future::Future<Output = Result<String, (String, SdkError<E>)>> + 'a,
        E: ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
    {
        let mut policies = Vec::with_capacity(names.len());
        for name in names {
            let document = get(name.clone()).await.map_err(|(name, e)| {
                classify(e, &format!("policy '{name}' of {what}"), &self.iam_ctx)
            })?;
            let document = decode_policy(&document)?;
            policies.push(InlinePolicy { name, document });
        }
        Ok(policies)
    }
}
