//! Organizations: the list the token can see, and one by name (the API uses names as ids).

use crate::core::ports::{Organization, TfcError};
use crate::tfc::client::TfcClient;
use crate::tfc::convert::OrganizationAttributes;

/// How a missing organization is named in errors.
pub(crate) fn org_what(org: &str) -> String {
    format!("organization '{org}'")
}

impl TfcClient {
    pub(super) async fn list_organizations(&self) -> Result<Vec<Organization>, TfcError> {
        // Page params are always sent: without them this endpoint returns everything unpaged.
        let (orgs, _) = self
            .get_all::<OrganizationAttributes>(self.url(&["organizations"]), "organizations")
            .await?;
        Ok(orgs.into_iter().map(Organization::from).collect())
    }

    pub(super) async fn get_organization(&self, name: &str) -> Result<Organization, TfcError> {
        let doc = self
            .get_one::<OrganizationAttributes>(self.url(&["organizations", name]), &org_what(name))
            .await?;
        Ok(doc.data.into())
    }
}
