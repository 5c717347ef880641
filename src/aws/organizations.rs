//! [`OrganizationsClient`]: AWS Organizations behind the core's [`Organizations`] port —
//! `ListPolicies` (filter `RESOURCE_CONTROL_POLICY`), `DescribePolicy`, `ListTargetsForPolicy`
//! and `ListParents`, every page. Organizations answers only the management account or a
//! delegated administrator; `review` takes any error as "could not tell". The endpoint may be
//! overridden with `AWS_ENDPOINT_URL_ORGANIZATIONS` or `AWS_ENDPOINT_URL`, as aws-config reads them.

use async_trait::async_trait;
use aws_config::SdkConfig;
use aws_sdk_organizations::config::retry::RetryConfig;
use aws_sdk_organizations::types::{ParentType, PolicyType, TargetType};

use super::errors::{classify, ErrorContext};
use crate::core::ports::{IamError, OrgNode, OrgNodeKind, OrgPolicy, Organizations};

/// At most this many pages per list: an organization has far fewer RCPs and targets.
const MAX_PAGES: usize = 20;

/// AWS Organizations through the official SDK.
#[derive(Debug, Clone)]
pub struct OrganizationsClient {
    client: aws_sdk_organizations::Client,
    ctx: ErrorContext,
}

impl OrganizationsClient {
    /// A client from a loaded SDK config, making at most two attempts per call: the review
    /// reads Organizations on the side and would rather say "could not tell" than wait.
    pub fn new(sdk: &SdkConfig) -> Self {
        let conf = aws_sdk_organizations::config::Builder::from(sdk)
            .retry_config(RetryConfig::standard().with_max_attempts(2))
            .build();
        let endpoint = std::env::var("AWS_ENDPOINT_URL_ORGANIZATIONS")
            .ok()
            .filter(|e| !e.is_empty())
            .or_else(|| sdk.endpoint_url().map(str::to_owned));
        OrganizationsClient {
            client: aws_sdk_organizations::Client::from_conf(conf),
            ctx: ErrorContext {
                profile: std::env::var("AWS_PROFILE").ok().filter(|p| !p.is_empty()),
                endpoint,
            },
        }
    }
}

fn node(id: Option<&str>, kind: OrgNodeKind) -> OrgNode {
    OrgNode {
        id: id.unwrap_or_default().to_owned(),
        kind,
    }
}

fn target_kind(t: Option<&TargetType>) -> OrgNodeKind {
    match t {
        Some(TargetType::Account) => OrgNodeKind::Account,
        Some(TargetType::Root) => OrgNodeKind::Root,
        _ => OrgNodeKind::OrganizationalUnit,
    }
}

#[async_trait]
impl Organizations for OrganizationsClient {
    async fn resource_control_policies(&self) -> Result<Vec<OrgPolicy>, IamError> {
        let mut out = Vec::new();
        let mut token: Option<String> = None;
        for _ in 0..MAX_PAGES {
            let page = self
                .client
                .list_policies()
                .filter(PolicyType::ResourceControlPolicy)
                .set_next_token(token.take())
                .send()
                .await
                .map_err(|e| classify(e, "the organization's policies", &self.ctx))?;
            out.extend(page.policies().iter().map(|p| OrgPolicy {
                id: p.id().unwrap_or_default().to_owned(),
                name: p.name().unwrap_or_default().to_owned(),
            }));
            match page.next_token().filter(|t| !t.is_empty()) {
                Some(next) => token = Some(next.to_owned()),
                None => break,
            }
        }
        Ok(out)
    }

    async fn policy_content(&self, policy_id: &str) -> Result<String, IamError> {
        let what = format!("policy {policy_id}");
        let out = self
            .client
            .describe_policy()
            .policy_id(policy_id)
            .send()
            .await
            .map_err(|e| classify(e, &what, &self.ctx))?;
        Ok(out
            .policy()
            .and_then(|p| p.content())
            .unwrap_or_default()
            .to_owned())
    }

    async fn policy_targets(&self, policy_id: &str) -> Result<Vec<OrgNode>, IamError> {
        let what = format!("the targets of policy {policy_id}");
        let mut out = Vec::new();
        let mut token: Option<String> = None;
        for _ in 0..MAX_PAGES {
            let page = self
                .client
                .list_targets_for_policy()
                .policy_id(policy_id)
                .set_next_token(token.take())
                .send()
                .await
                .map_err(|e| classify(e, &what, &self.ctx))?;
            out.extend(
                page.targets()
                    .iter()
                    .map(|t| node(t.target_id(), target_kind(t.r#type()))),
            );
            match page.next_token().filter(|t| !t.is_empty()) {
                Some(next) => token = Some(next.to_owned()),
                None => break,
            }
        }
        Ok(out)
    }

    async fn parents(&self, child_id: &str) -> Result<Vec<OrgNode>, IamError> {
        let what = format!("the parent of {child_id}");
        let out = self
            .client
            .list_parents()
            .child_id(child_id)
            .send()
            .await
            .map_err(|e| classify(e, &what, &self.ctx))?;
        Ok(out
            .parents()
            .iter()
            .map(|p| {
                let kind = match p.r#type() {
                    Some(ParentType::Root) => OrgNodeKind::Root,
                    _ => OrgNodeKind::OrganizationalUnit,
                };
                node(p.id(), kind)
            })
            .collect())
    }
}
