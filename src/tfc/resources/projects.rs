//! Projects of an organization, and one by id.

use crate::core::ports::{Project, TfcError};
use crate::tfc::client::TfcClient;
use crate::tfc::convert::NamedAttributes;

use super::organizations::org_what;

impl TfcClient {
    pub(super) async fn list_projects(&self, org: &str) -> Result<Vec<Project>, TfcError> {
        let url = self.url(&["organizations", org, "projects"]);
        let (projects, _) = self.get_all::<NamedAttributes>(url, &org_what(org)).await?;
        Ok(projects.into_iter().map(Project::from).collect())
    }

    pub(super) async fn get_project(&self, id: &str) -> Result<Project, TfcError> {
        let doc = self
            .get_one::<NamedAttributes>(self.url(&["projects", id]), &format!("project {id}"))
            .await?;
        Ok(doc.data.into())
    }
}
