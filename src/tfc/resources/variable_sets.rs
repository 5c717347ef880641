//! Variable sets: listing (by organization or by the workspace they reach), create, delete,
//! their variables, and attaching them to workspaces and projects.

use reqwest::Method;

use crate::core::ports::{NewVariable, NewVariableSet, TfcError, Variable, VariableSet};
use crate::tfc::client::TfcClient;
use crate::tfc::convert::{self, VariableAttributes, VariableSetAttributes};

use super::organizations::org_what;

fn set_what(set_id: &str) -> String {
    format!("variable set {set_id}")
}

fn set_variable_what(set_id: &str, variable_id: &str) -> String {
    format!("variable {variable_id} in variable set {set_id}")
}

impl TfcClient {
    pub(super) async fn list_variable_sets(&self, org: &str) -> Result<Vec<VariableSet>, TfcError> {
        let url = self.url(&["organizations", org, "varsets"]);
        let (sets, _) = self
            .get_all::<VariableSetAttributes>(url, &org_what(org))
            .await?;
        Ok(sets.into_iter().map(VariableSet::from).collect())
    }

    pub(super) async fn list_workspace_variable_sets(
        &self,
        workspace_id: &str,
    ) -> Result<Vec<VariableSet>, TfcError> {
        let url = self.url(&["workspaces", workspace_id, "varsets"]);
        let what = format!("workspace {workspace_id}");
        let (sets, _) = self.get_all::<VariableSetAttributes>(url, &what).await?;
        Ok(sets.into_iter().map(VariableSet::from).collect())
    }

    pub(super) async fn post_variable_set(
        &self,
        org: &str,
        set: &NewVariableSet,
    ) -> Result<VariableSet, TfcError> {
        let url = self.url(&["organizations", org, "varsets"]);
        let body = convert::variable_set_body(set);
        let created = self
            .write_one::<VariableSetAttributes>(Method::POST, url, &body, &org_what(org))
            .await?;
        Ok(created.into())
    }

    pub(super) async fn remove_variable_set(&self, id: &str) -> Result<(), TfcError> {
        self.write_empty(
            Method::DELETE,
            self.url(&["varsets", id]),
            None,
            &set_what(id),
        )
        .await
    }

    pub(super) async fn list_set_variables(&self, set_id: &str) -> Result<Vec<Variable>, TfcError> {
        let url = self.url(&["varsets", set_id, "relationships", "vars"]);
        let (vars, _) = self
            .get_all::<VariableAttributes>(url, &set_what(set_id))
            .await?;
        Ok(vars.into_iter().map(Variable::from).collect())
    }

    pub(super) async fn post_set_variable(
        &self,
        set_id: &str,
        var: &NewVariable,
    ) -> Result<Variable, TfcError> {
        let url = self.url(&["varsets", set_id, "relationships", "vars"]);
        let body = convert::variable_body(var, None);
        let created = self
            .write_one::<VariableAttributes>(Method::POST, url, &body, &set_what(set_id))
            .await?;
        Ok(created.into())
    }

    pub(super) async fn patch_set_variable(
        &self,
        set_id: &str,
        variable_id: &str,
        var: &NewVariable,
    ) -> Result<Variable, TfcError> {
        let url = self.url(&["varsets", set_id, "relationships", "vars", variable_id]);
        let body = convert::variable_body(var, Some(variable_id));
        let what = set_variable_what(set_id, variable_id);
        let updated = self
            .write_one::<VariableAttributes>(Method::PATCH, url, &body, &what)
            .await?;
        Ok(updated.into())
    }

    pub(super) async fn remove_set_variable(
        &self,
        set_id: &str,
        variable_id: &str,
    ) -> Result<(), TfcError> {
        let url = self.url(&["varsets", set_id, "relationships", "vars", variable_id]);
        self.write_empty(
            Method::DELETE,
            url,
            None,
            &set_variable_what(set_id, variable_id),
        )
        .await
    }

    /// POST (attach) or DELETE (detach) `ids` of `kind` (`workspaces`/`projects`) on a set.
    pub(super) async fn set_relationship(
        &self,
        method: Method,
        set_id: &str,
        kind: &str,
        ids: &[String],
    ) -> Result<(), TfcError> {
        if ids.is_empty() {
            return Ok(());
        }
        let url = self.url(&["varsets", set_id, "relationships", kind]);
        let body = convert::identifiers_body(kind, ids);
        let what = format!(
            "variable set {set_id} or one of the {kind} {}",
            ids.join(", ")
        );
        self.write_empty(method, url, Some(&body), &what).await
    }
}
