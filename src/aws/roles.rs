//! IAM role and role-policy calls of [`IamClient`].

use std::borrow::Cow;

use aws_sdk_iam::primitives::DateTimeFormat;
use percent_encoding::percent_decode_str;

use super::client::IamClient;
use super::errors::classify;
use super::providers::{tags_from_sdk, tags_to_sdk};
use crate::core::ports::{IamError, NewRole, Role};

fn role_what(name: &str) -> String {
    format!("role '{name}'")
}

fn policy_what(role: &str, policy: &str) -> String {
    format!("policy '{policy}' of role '{role}'")
}

impl IamClient {
    pub(super) async fn get_role_impl(&self, name: &str) -> Result<Option<Role>, IamError> {
        match self.iam.get_role().role_name(name).send().await {
            Ok(out) => match out.role() {
                Some(r) => role_from_sdk(r).map(Some),
                None => Ok(None),
            },
            Err(e) => match classify(e, &role_what(name), &self.iam_ctx) {
                IamError::NoSuchEntity(_) => Ok(None),
                other => Err(other),
            },
        }
    }

    pub(super) async fn list_roles_impl(&self) -> Result<Vec<Role>, IamError> {
        let roles: Vec<aws_sdk_iam::types::Role> = self
            .iam
            .list_roles()
            .into_paginator()
            .items()
            .send()
            .collect::<Result<_, _>>()
            .await
            .map_err(|e| classify(e, "the role list", &self.iam_ctx))?;
        roles.iter().map(role_from_sdk).collect()
    }

    pub(super) async fn create_role_impl(&self, role: &NewRole) -> Result<Role, IamError> {
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
        let out = req
            .send()
            .await
            .map_err(|e| classify(e, &what, &self.iam_ctx))?;
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

    pub(super) async fn update_trust_policy_impl(
        &self,
        role_name: &str,
        document: &str,
    ) -> Result<(), IamError> {
        self.iam
            .update_assume_role_policy()
            .role_name(role_name)
            .policy_document(document)
            .send()
            .await
            .map_err(|e| classify(e, &role_what(role_name), &self.iam_ctx))?;
        Ok(())
    }

    pub(super) async fn delete_role_impl(&self, name: &str) -> Result<(), IamError> {
        self.iam
            .delete_role()
            .role_name(name)
            .send()
            .await
            .map_err(|e| classify(e, &role_what(name), &self.iam_ctx))?;
        Ok(())
    }

    pub(super) async fn list_attached_policies_impl(
        &self,
        role_name: &str,
    ) -> Result<Vec<String>, IamError> {
        let policies: Vec<aws_sdk_iam::types::AttachedPolicy> = self
            .iam
            .list_attached_role_policies()
            .role_name(role_name)
            .into_paginator()
            .items()
            .send()
            .collect::<Result<_, _>>()
            .await
            .map_err(|e| classify(e, &role_what(role_name), &self.iam_ctx))?;
        Ok(policies
            .iter()
            .filter_map(|p| p.policy_arn().map(str::to_owned))
            .collect())
    }

    pub(super) async fn attach_policy_impl(
        &self,
        role_name: &str,
        policy_arn: &str,
    ) -> Result<(), IamError> {
        self.iam
            .attach_role_policy()
            .role_name(role_name)
            .policy_arn(policy_arn)
            .send()
            .await
            .map_err(|e| classify(e, &policy_what(role_name, policy_arn), &self.iam_ctx))?;
        Ok(())
    }

    pub(super) async fn detach_policy_impl(
        &self,
        role_name: &str,
        policy_arn: &str,
    ) -> Result<(), IamError> {
        self.iam
            .detach_role_policy()
            .role_name(role_name)
            .policy_arn(policy_arn)
            .send()
            .await
            .map_err(|e| classify(e, &policy_what(role_name, policy_arn), &self.iam_ctx))?;
        Ok(())
    }

    pub(super) async fn list_inline_policies_impl(
        &self,
        role_name: &str,
    ) -> Result<Vec<String>, IamError> {
        self.iam
            .list_role_policies()
            .role_name(role_name)
            .into_paginator()
            .items()
            .send()
            .collect::<Result<Vec<String>, _>>()
            .await
            .map_err(|e| classify(e, &role_what(role_name), &self.iam_ctx))
    }

    pub(super) async fn get_inline_policy_impl(
        &self,
        role_name: &str,
        policy_name: &str,
    ) -> Result<Option<String>, IamError> {
        match self
            .iam
            .get_role_policy()
            .role_name(role_name)
            .policy_name(policy_name)
            .send()
            .await
        {
            Ok(out) => decode_policy(out.policy_document()).map(Some),
            Err(e) => match classify(e, &policy_what(role_name, policy_name), &self.iam_ctx) {
                IamError::NoSuchEntity(_) => Ok(None),
                other => Err(other),
            },
        }
    }

    pub(super) async fn put_inline_policy_impl(
        &self,
        role_name: &str,
        policy_name: &str,
        document: &str,
    ) -> Result<(), IamError> {
        self.iam
            .put_role_policy()
            .role_name(role_name)
            .policy_name(policy_name)
            .policy_document(document)
            .send()
            .await
            .map_err(|e| classify(e, &policy_what(role_name, policy_name), &self.iam_ctx))?;
        Ok(())
    }

    pub(super) async fn delete_inline_policy_impl(
        &self,
        role_name: &str,
        policy_name: &str,
    ) -> Result<(), IamError> {
        self.iam
            .delete_role_policy()
            .role_name(role_name)
            .policy_name(policy_name)
            .send()
            .await
            .map_err(|e| classify(e, &policy_what(role_name, policy_name), &self.iam_ctx))?;
        Ok(())
    }
}

/// An SDK role to the port's role, trust policy decoded.
fn role_from_sdk(r: &aws_sdk_iam::types::Role) -> Result<Role, IamError> {
    let last_used = r
        .role_last_used()
        .and_then(|u| u.last_used_date())
        .and_then(|d| d.fmt(DateTimeFormat::DateTime).ok());
    Ok(Role {
        name: r.role_name().to_owned(),
        arn: r.arn().to_owned(),
        id: r.role_id().to_owned(),
        path: r.path().to_owned(),
        trust_policy: decode_policy(r.assume_role_policy_document().unwrap_or_default())?,
        description: r.description().filter(|d| !d.is_empty()).map(str::to_owned),
        tags: tags_from_sdk(r.tags()),
        last_used,
        created: r.create_date().fmt(DateTimeFormat::DateTime).ok(),
    })
}

/// IAM returns policy documents URL-encoded (RFC 3986). A document that already starts with `{`
/// is taken as is, so a literal `%` inside an unencoded document is never mangled.
pub(crate) fn decode_policy(doc: &str) -> Result<String, IamError> {
    if doc.trim_start().starts_with('{') || doc.is_empty() {
        return Ok(doc.to_owned());
    }
    match percent_decode_str(doc).decode_utf8() {
        Ok(Cow::Borrowed(s)) => Ok(s.to_owned()),
        Ok(Cow::Owned(s)) => Ok(s),
        Err(_) => Err(IamError::Other(
            "AWS returned a policy document that is not valid UTF-8 once decoded".into(),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::decode_policy;

    #[test]
    fn decodes_url_encoded_documents() {
        let enc = "%7B%22Version%22%3A%222012-10-17%22%2C%22Statement%22%3A%5B%5D%7D";
        assert_eq!(
            decode_policy(enc).unwrap(),
            r#"{"Version":"2012-10-17","Statement":[]}"#
        );
        let raw = r#"{"a":"100%25 literal"}"#;
        assert_eq!(decode_policy(raw).unwrap(), raw);
        assert_eq!(decode_policy("").unwrap(), "");
        let spaced = "%7B%20%22a%22%3A%20%22b%2Bc%22%7D";
        assert_eq!(decode_policy(spaced).unwrap(), r#"{ "a": "b+c"}"#);
    }
}
