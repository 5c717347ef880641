//! Attributes of each resource type, their conversion into the core's domain types, and the
//! request documents tfc-oidc sends. Attribute names on the wire are kebab-case.

use serde::Deserialize;
use serde_json::{json, Value};

use super::jsonapi::Resource;
use crate::core::ports::{
    NewVariable, NewVariableSet, Organization, Project, TfcError, TfcUser, Variable,
    VariableCategory, VariableSet, Workspace,
};

/// `users` attributes.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub struct UserAttributes {
    pub username: String,
    #[serde(default)]
    pub email: Option<String>,
    #[serde(default)]
    pub is_service_account: bool,
}

/// `organizations` attributes (the id is the name).
#[derive(Debug, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub struct OrganizationAttributes {
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub external_id: Option<String>,
}

/// The `name` attribute shared by projects and workspaces.
#[derive(Debug, Deserialize)]
pub struct NamedAttributes {
    pub name: String,
}

/// `vars` attributes.
#[derive(Debug, Deserialize)]
pub struct VariableAttributes {
    pub key: String,
    #[serde(default)]
    pub value: Option<String>,
    #[serde(default)]
    pub description: Option<String>,
    pub category: VariableCategory,
    #[serde(default)]
    pub sensitive: bool,
    #[serde(default)]
    pub hcl: bool,
}

/// `varsets` attributes.
#[derive(Debug, Deserialize)]
pub struct VariableSetAttributes {
    pub name: String,
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default)]
    pub global: bool,
    #[serde(default)]
    pub priority: bool,
}

impl From<Resource<UserAttributes>> for TfcUser {
    fn from(r: Resource<UserAttributes>) -> Self {
        TfcUser {
            id: r.id,
            username: r.attributes.username,
            email: r.attributes.email.filter(|e| !e.is_empty()),
            is_service_account: r.attributes.is_service_account,
        }
    }
}

impl From<Resource<OrganizationAttributes>> for Organization {
    fn from(r: Resource<OrganizationAttributes>) -> Self {
        Organization {
            name: r.attributes.name.unwrap_or(r.id),
            external_id: r.attributes.external_id,
        }
    }
}

impl From<Resource<NamedAttributes>> for Project {
    fn from(r: Resource<NamedAttributes>) -> Self {
        Project {
            id: r.id,
            name: r.attributes.name,
        }
    }
}

impl From<Resource<VariableAttributes>> for Variable {
    fn from(r: Resource<VariableAttributes>) -> Self {
        let a = r.attributes;
        Variable {
            id: r.id,
            key: a.key,
            // Sensitive values are write-only; never pass on whatever a server might send.
            value: if a.sensitive { None } else { a.value },
            description: a.description.filter(|d| !d.is_empty()),
            category: a.category,
            sensitive: a.sensitive,
            hcl: a.hcl,
        }
    }
}

impl From<Resource<VariableSetAttributes>> for VariableSet {
    fn from(r: Resource<VariableSetAttributes>) -> Self {
        VariableSet {
            workspace_ids: r.related_ids("workspaces"),
            project_ids: r.related_ids("projects"),
            id: r.id,
            name: r.attributes.name,
            description: r.attributes.description.filter(|d| !d.is_empty()),
            global: r.attributes.global,
            priority: r.attributes.priority,
        }
    }
}

/// Builds a [`Workspace`], taking the project name from `included` when it is there.
pub fn workspace(
    r: Resource<NamedAttributes>,
    included: &[Resource<Value>],
) -> Result<Workspace, TfcError> {
    let project_id = r.related_ids("project").into_iter().next().ok_or_else(|| {
        TfcError::Protocol(format!(
            "workspace '{}' came without its project",
            r.attributes.name
        ))
    })?;
    let project_name = included
        .iter()
        .find(|inc| inc.kind == "projects" && inc.id == project_id)
        .and_then(|inc| inc.attributes.get("name")?.as_str().map(str::to_owned));
    let organization = r.related_ids("organization").into_iter().next();
    Ok(Workspace {
        id: r.id,
        name: r.attributes.name,
        project_id,
        project_name,
        organization,
    })
}

/// The request document for creating (`id: None`) or updating a variable.
pub fn variable_body(var: &NewVariable, id: Option<&str>) -> Value {
    let mut data = json!({
        "type": "vars",
        "attributes": {
            "key": var.key,
            "value": var.value,
            "description": var.description,
            "category": var.category,
            "hcl": false,
            "sensitive": var.sensitive,
        }
    });
    if let Some(id) = id {
        data["id"] = json!(id);
    }
    json!({ "data": data })
}

/// The request document for creating a variable set owned by the organization.
pub fn variable_set_body(set: &NewVariableSet) -> Value {
    json!({
        "data": {
            "type": "varsets",
            "attributes": {
                "name": set.name,
                "description": set.description,
                "global": false,
                "priority": false,
            }
        }
    })
}

/// A relationship body listing resources of one type (`workspaces`, `projects`).
pub fn identifiers_body(kind: &str, ids: &[String]) -> Value {
    let data: Vec<Value> = ids
        .iter()
        .map(|id| json!({ "type": kind, "id": id }))
        .collect();
    json!({ "data": data })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tfc::jsonapi::Document;

    #[test]
    fn sensitive_values_are_dropped_and_relationships_read() {
        let doc: Document<Resource<VariableAttributes>> = serde_json::from_str(
            r#"{"data":{"id":"var-1","type":"vars","attributes":{"key":"K","value":"leak","category":"env","sensitive":true,"hcl":false}}}"#,
        )
        .unwrap();
        assert_eq!(Variable::from(doc.data).value, None);
        let doc: Document<Resource<VariableSetAttributes>> = serde_json::from_str(
            r#"{"data":{"id":"varset-1","type":"varsets","attributes":{"name":"n","global":false},
                "relationships":{"workspaces":{"data":[{"id":"ws-1","type":"workspaces"}]},"projects":{"data":[]},"parent":{"data":null}}}}"#,
        )
        .unwrap();
        let set = VariableSet::from(doc.data);
        assert_eq!(
            (set.workspace_ids, set.project_ids),
            (vec!["ws-1".to_owned()], vec![])
        );
    }
}
