//! Managed policy documents of [`IamClient`]: `GetPolicy` names the default version,
//! `GetPolicyVersion` returns its document, URL-encoded (RFC 3986) as IAM returns every policy
//! document, decoded here like trust and inline policies ([`decode_policy`]). `GetPolicy` alone
//! says whether a policy exists, for the planner.

use super::client::IamClient;
use super::errors::classify;
use super::roles::decode_policy;
use crate::core::ports::IamError;

fn policy_what(arn: &str) -> String {
    format!("managed policy '{arn}'")
}

impl IamClient {
    pub(super) async fn managed_policy_exists_impl(
        &self,
        policy_arn: &str,
    ) -> Result<bool, IamError> {
        match self.iam.get_policy().policy_arn(policy_arn).send().await {
            Ok(_) => Ok(true),
            Err(e) => match classify(e, &policy_what(policy_arn), &self.iam_ctx) {
                IamError::NoSuchEntity(_) => Ok(false),
                other => Err(other),
            },
        }
    }

    pub(super) async fn get_managed_policy_document_impl(
        &self,
        policy_arn: &str,
    ) -> Result<Option<String>, IamError> {
        let what = policy_what(policy_arn);
        let policy = match self.iam.get_policy().policy_arn(policy_arn).send().await {
            Ok(out) => out,
            Err(e) => {
                return match classify(e, &what, &self.iam_ctx) {
                    IamError::NoSuchEntity(_) => Ok(None),
                    other => Err(other),
                }
            }
        };
        let Some(version) = policy.policy().and_then(|p| p.default_version_id()) else {
            return Err(IamError::Other(format!(
                "AWS returned {what} without a default version"
            )));
        };
        let out = match self
            .iam
            .get_policy_version()
            .policy_arn(policy_arn)
            .version_id(version)
            .send()
            .await
        {
            Ok(out) => out,
            // Deleted (or its default version changed and the old one removed) in between.
            Err(e) => {
                return match classify(e, &what, &self.iam_ctx) {
                    IamError::NoSuchEntity(_) => Ok(None),
                    other => Err(other),
                }
            }
        };
        match out.policy_version().and_then(|v| v.document()) {
            Some(doc) => decode_policy(doc).map(Some),
            None => Err(IamError::Other(format!(
                "AWS returned version {version} of {what} without its document"
            ))),
        }
    }
}
