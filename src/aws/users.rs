//! IAM user and group calls of [`IamClient`] for `migrate`'s same permissions: a user's
//! permissions boundary (`GetUser`), the managed policies attached to a user or group
//! (`ListAttachedUserPolicies`, `ListAttachedGroupPolicies`), a user's groups
//! (`ListGroupsForUser`) and the inline policies of both (`List…Policies` + `Get…Policy`).

use super::client::IamClient;
use super::errors::classify;
use super::roles::decode_policy;
use crate::core::ports::{IamError, InlinePolicy};

fn user_what(user: &str) -> String {
    format!("user '{user}'")
}

fn group_what(group: &str) -> String {
    format!("group '{group}'")
}

impl IamClient {
    pub(super) async fn user_permissions_boundary_impl(
        &self,
        user: &str,
    ) -> Result<Option<String>, IamError> {
        let out = self
            .iam
            .get_user()
            .user_name(user)
            .send()
            .await
            .map_err(|e| classify(e, &user_what(user), &self.iam_ctx))?;
        let boundary = out.user().and_then(|u| u.permissions_boundary());
        Ok(boundary
            .and_then(|b| b.permissions_boundary_arn())
            .filter(|a| !a.is_empty())
            .map(str::to_owned))
    }

    pub(super) async fn list_attached_user_policies_impl(
        &self,
        user: &str,
    ) -> Result<Vec<String>, IamError> {
        let listed: Result<Vec<aws_sdk_iam::types::AttachedPolicy>, _> = self
            .iam
            .list_attached_user_policies()
            .user_name(user)
            .into_paginator()
            .items()
            .send()
            .collect()
            .await;
        let listed = listed.map_err(|e| classify(e, &user_what(user), &self.iam_ctx))?;
        Ok(listed
            .iter()
            .filter_map(|p| p.policy_arn().map(str::to_owned))
            .collect())
    }

    pub(super) async fn list_groups_for_user_impl(
        &self,
        user: &str,
    ) -> Result<Vec<String>, IamError> {
        let listed: Result<Vec<aws_sdk_iam::types::Group>, _> = self
            .iam
            .list_groups_for_user()
            .user_name(user)
            .into_paginator()
            .items()
            .send()
            .collect()
            .await;
        let listed = listed.map_err(|e| classify(e, &user_what(user), &self.iam_ctx))?;
        Ok(listed.iter().map(|g| g.group_name().to_owned()).collect())
    }

    pub(super) async fn list_attached_group_policies_impl(
        &self,
        group: &str,
    ) -> Result<Vec<String>, IamError> {
        let listed: Result<Vec<aws_sdk_iam::types::AttachedPolicy>, _> = self
            .iam
            .list_attached_group_policies()
            .group_name(group)
            .into_paginator()
            .items()
            .send()
            .collect()
            .await;
        let listed = listed.map_err(|e| classify(e, &group_what(group), &self.iam_ctx))?;
        Ok(listed
            .iter()
            .filter_map(|p| p.policy_arn().map(str::to_owned))
            .collect())
    }

    pub(super) async fn user_inline_policies_impl(
        &self,
        user: &str,
    ) -> Result<Vec<InlinePolicy>, IamError> {
        let what = user_what(user);
        let names: Vec<String> = self
            .iam
            .list_user_policies()
            .user_name(user)
            .into_paginator()
            .items()
            .send()
            .collect::<Result<Vec<String>, _>>()
            .await
            .map_err(|e| classify(e, &what, &self.iam_ctx))?;
        let mut policies = Vec::with_capacity(names.len());
        for name in names {
            let out = self
                .iam
                .get_user_policy()
                .user_name(user)
                .policy_name(&name)
                .send()
                .await
                .map_err(|e| classify(e, &format!("policy '{name}' of {what}"), &self.iam_ctx))?;
            let document = decode_policy(out.policy_document())?;
            policies.push(InlinePolicy { name, document });
        }
        Ok(policies)
    }

    pub(super) async fn group_inline_policies_impl(
        &self,
        group: &str,
    ) -> Result<Vec<InlinePolicy>, IamError> {
        let what = group_what(group);
        let names: Vec<String> = self
            .iam
            .list_group_policies()
            .group_name(group)
            .into_paginator()
            .items()
            .send()
            .collect::<Result<Vec<String>, _>>()
            .await
            .map_err(|e| classify(e, &what, &self.iam_ctx))?;
        let mut policies = Vec::with_capacity(names.len());
        for name in names {
            let out = self
                .iam
                .get_group_policy()
                .group_name(group)
                .policy_name(&name)
                .send()
                .await
                .map_err(|e| classify(e, &format!("policy '{name}' of {what}"), &self.iam_ctx))?;
            let document = decode_policy(out.policy_document())?;
            policies.push(InlinePolicy { name, document });
        }
        Ok(policies)
    }
}
