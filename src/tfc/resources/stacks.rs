//! Stacks of an organization (`GET /organizations/:org/stacks`, optionally one project's) and
//! their deployments (`GET /stacks/:id/stack-deployments`). HCP Terraform only: a server without
//! the Stacks API (404) has none.
//!
//! The Stack object of the generally available API carries no deployment names; the beta API's
//! `deployment-names` attribute is used when a server still sends it (one call fewer per Stack),
//! otherwise the deployments are listed.

use crate::core::ports::{Stack, TfcError};
use crate::tfc::client::TfcClient;
use crate::tfc::jsonapi::Resource;
use futures::future::try_join_all;
use serde::Deserialize;

/// `stacks` attributes.
#[derive(Debug, Deserialize)]
pub(super) struct StackAttributes {
    name: String,
    #[serde(default, rename = "deployment-names")]
    deployment_names: Option<Vec<String>>,
}

/// `stack-deployments` attributes.
#[derive(Debug, Deserialize)]
struct DeploymentAttributes {
    name: String,
}

impl TfcClient {
    /// The Stacks listed, those of `project_id` only (a server that ignores the filter must not
    /// widen a trust to other projects' Stacks), each with its deployment names.
    pub(super) async fn stacks_with_deployments(
        &self,
        stacks: Vec<Resource<StackAttributes>>,
        project_id: Option<&str>,
    ) -> Result<Vec<Stack>, TfcError> {
        let wanted = stacks.into_iter().filter_map(|s| {
            let project = s.related_ids("project").into_iter().next();
            let project = project.unwrap_or_default();
            project_id
                .is_none_or(|p| project == p)
                .then_some((s, project))
        });
        let read = wanted.map(|(s, project_id)| async move {
            let deployment_names = match s.attributes.deployment_names {
                Some(names) => names,
                None => self.deployment_names(&s.id, &s.attributes.name).await?,
            };
            Ok::<_, TfcError>(Stack {
                project_id,
                id: s.id,
                name: s.attributes.name,
                deployment_names,
            })
        });
        try_join_all(read).await
    }

    /// The names of a Stack's deployments; none when the server has no such list (404).
    async fn deployment_names(&self, stack_id: &str, stack: &str) -> Result<Vec<String>, TfcError> {
        let url = self.url(&["stacks", stack_id, "stack-deployments"]);
        let what = format!("the deployments of Stack {stack}");
        match self.get_all::<DeploymentAttributes>(url, &what).await {
            Ok((deployments, _)) => {
                Ok(deployments.into_iter().map(|d| d.attributes.name).collect())
            }
            Err(TfcError::NotFound { .. }) => Ok(Vec::new()),
            Err(e) => Err(e),
        }
    }
}
