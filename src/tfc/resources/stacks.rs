//! Stacks of an organization (`GET /organizations/:org/stacks`, optionally one project's).
//! HCP Terraform only: a server without the Stacks API (404) has none.

use crate::core::ports::{Stack, TfcError};
use crate::tfc::client::TfcClient;
use serde::Deserialize;

use super::organizations::org_what;

/// `stacks` attributes.
#[derive(Debug, Deserialize)]
struct StackAttributes {
    name: String,
    #[serde(default, rename = "deployment-names")]
    deployment_names: Option<Vec<String>>,
}

impl TfcClient {
    pub(super) async fn list_stacks(
        &self,
        org: &str,
        project_id: Option<&str>,
    ) -> Result<Vec<Stack>, TfcError> {
        let mut url = self.url(&["organizations", org, "stacks"]);
        if let Some(project) = project_id {
            url.query_pairs_mut()
                .append_pair("filter[project][id]", project);
        }
        let stacks = match self.get_all::<StackAttributes>(url, &org_what(org)).await {
            Ok((stacks, _)) => stacks,
            // Terraform Enterprise and organizations without Stacks answer 404.
            Err(TfcError::NotFound { .. }) => return Ok(Vec::new()),
            Err(e) => return Err(e),
        };
        let all = stacks.into_iter().map(|s| Stack {
            project_id: s
                .related_ids("project")
                .into_iter()
                .next()
                .unwrap_or_default(),
            id: s.id,
            name: s.attributes.name,
            deployment_names: s.attributes.deployment_names.unwrap_or_default(),
        });
        // A server that ignores the filter must not widen a trust to other projects' Stacks.
        Ok(all
            .filter(|s| project_id.is_none_or(|p| s.project_id == p))
            .collect())
    }
}
