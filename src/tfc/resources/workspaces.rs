//! Workspaces: the list of an organization (optionally one project's), and one by name with
//! its project in the same request.

use crate::core::ports::{TfcError, Workspace};
use crate::tfc::client::TfcClient;
use crate::tfc::convert::{self, NamedAttributes};

use super::organizations::org_what;

impl TfcClient {
    pub(super) async fn list_workspaces(
        &self,
        org: &str,
        project_id: Option<&str>,
    ) -> Result<Vec<Workspace>, TfcError> {
        let mut url = self.url(&["organizations", org, "workspaces"]);
        {
            let mut query = url.query_pairs_mut();
            // Same request, so the project names come for free.
            query.append_pair("include", "project");
            if let Some(project) = project_id {
                query.append_pair("filter[project][id]", project);
            }
        }
        let (workspaces, included) = self.get_all::<NamedAttributes>(url, &org_what(org)).await?;
        let all: Vec<Workspace> = workspaces
            .into_iter()
            .map(|w| convert::workspace(w, &included))
            .collect::<Result<_, _>>()?;
        // A server that ignores the filter must not widen a trust to other projects' workspaces.
        Ok(all
            .into_iter()
            .filter(|w| project_id.is_none_or(|p| w.project_id == p))
            .collect())
    }

    pub(super) async fn get_workspace(&self, org: &str, name: &str) -> Result<Workspace, TfcError> {
        let mut url = self.url(&["organizations", org, "workspaces", name]);
        url.query_pairs_mut().append_pair("include", "project");
        let what = format!("workspace '{name}' in organization '{org}'");
        match self.get_one::<NamedAttributes>(url, &what).await {
            Ok(doc) => convert::workspace(doc.data, &doc.included),
            // Only on this error path: ask whether the organization itself is visible, so the
            // message says which of the two names is wrong.
            Err(TfcError::NotFound { .. }) => match self.get_organization(org).await {
                Ok(_) => Err(TfcError::NotFound { what }),
                Err(e) => Err(e),
            },
            Err(e) => Err(e),
        }
    }
}
