//! JSON:API wire types for the HCP Terraform API v2 (documents, resource objects, relationships,
//! error documents, pagination) and their conversion into the core's domain types.

use std::collections::BTreeMap;

use serde::de::DeserializeOwned;
use serde::{Deserialize, Deserializer};
use serde_json::{json, Value};

use crate::core::ports::{
    NewVariable, NewVariableSet, Organization, Project, TfcError, TfcUser, Variable,
    VariableCategory, VariableSet, Workspace,
};

/// A response document whose primary data is `D` (one resource or a list of them).
#[derive(Debug, Deserialize)]
pub struct Document<D> {
    pub data: D,
    /// Related resources requested with `include=`, of any type.
    #[serde(default)]
    pub included: Vec<Resource<Value>>,
    #[serde(default)]
    pub meta: Option<Meta>,
    #[serde(default)]
    pub links: Option<Links>,
}

/// A resource object with typed attributes `A`.
#[derive(Debug, Deserialize)]
pub struct Resource<A> {
    pub id: String,
    #[serde(rename = "type")]
    pub kind: String,
    pub attributes: A,
    #[serde(default)]
    pub relationships: BTreeMap<String, Relationship>,
}

/// A relationship: `data` is absent, null, one identifier or a list of them.
#[derive(Debug, Default, Deserialize)]
pub struct Relationship {
    #[serde(default)]
    pub data: Option<Linkage>,
}

/// Resource linkage inside a relationship.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
pub enum Linkage {
    One(Identifier),
    Many(Vec<Identifier>),
}

/// A resource identifier object (`{"id": …, "type": …}`).
#[derive(Debug, Clone, Deserialize)]
pub struct Identifier {
    pub id: String,
    #[serde(rename = "type")]
    pub kind: String,
}

/// Top-level `meta`; only pagination matters here.
#[derive(Debug, Default, Deserialize)]
pub struct Meta {
    #[serde(default)]
    pub pagination: Option<Pagination>,
}

/// `meta.pagination`.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub struct Pagination {
    #[serde(default)]
    pub current_page: Option<u32>,
    #[serde(default)]
    pub next_page: Option<u32>,
    #[serde(default)]
    pub total_pages: Option<u32>,
}

/// Top-level `links`; `next` is the fallback when there is no pagination meta.
#[derive(Debug, Default, Deserialize)]
pub struct Links {
    #[serde(default)]
    pub next: Option<String>,
}

impl<D> Document<D> {
    /// The next page number, from `meta.pagination.next-page`, else from `links.next`'s
    /// `page[number]`. `None` on the last (or only) page.
    pub fn next_page(&self) -> Option<u32> {
        if let Some(p) = self.meta.as_ref().and_then(|m| m.pagination.as_ref()) {
            return p.next_page;
        }
        let next = self.links.as_ref()?.next.as_deref()?;
        // The link may be relative; only its query matters, so any base will do.
        let url = url::Url::parse("https://base.invalid/").ok()?.join(next).ok()?;
        let (_, page) = url.query_pairs().find(|(k, _)| k == "page[number]")?;
        page.parse().ok()
    }
}

impl Relationship {
    /// The ids this relationship links to (empty when there is no data).
    pub fn ids(&self) -> Vec<String> {
        match &self.data {
            Some(Linkage::One(one)) => vec![one.id.clone()],
            Some(Linkage::Many(many)) => many.iter().map(|i| i.id.clone()).collect(),
            None => Vec::new(),
        }
    }
}

impl<A> Resource<A> {
    /// Ids linked by relationship `name`.
    pub fn related_ids(&self, name: &str) -> Vec<String> {
        self.relationships.get(name).map(Relationship::ids).unwrap_or_default()
    }
}

/// A JSON:API error document.
#[derive(Debug, Default, Deserialize)]
pub struct ErrorDocument {
    #[serde(default)]
    pub errors: Vec<ErrorObject>,
}

/// One error object. `status` is a string in most responses and a number in some (429).
#[derive(Debug, Default, Deserialize)]
pub struct ErrorObject {
    #[serde(default, deserialize_with = "string_or_number")]
    pub status: Option<String>,
    #[serde(default)]
    pub title: Option<String>,
    #[serde(default)]
    pub detail: Option<String>,
    #[serde(default)]
    pub source: Option<ErrorSource>,
}

/// Where in the request an error points.
#[derive(Debug, Default, Deserialize)]
pub struct ErrorSource {
    #[serde(default)]
    pub pointer: Option<String>,
    #[serde(default)]
    pub parameter: Option<String>,
}

fn string_or_number<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    Ok(match Option::<Value>::deserialize(d)? {
        Some(Value::String(s)) => Some(s),
        Some(Value::Number(n)) => Some(n.to_string()),
        _ => None,
    })
}

/// One line describing an error body: each error's title and detail (and source pointer),
/// joined with "; ". Falls back to `fallback` when the body is not an error document.
pub fn describe_errors(body: &[u8], fallback: &str) -> String {
    let doc: ErrorDocument = serde_json::from_slice(body).unwrap_or_default();
    let parts: Vec<String> = doc
        .errors
        .iter()
        .filter_map(|e| {
            let mut text = match (e.title.as_deref(), e.detail.as_deref()) {
                (Some(t), Some(d)) if !d.is_empty() && t != d => format!("{t}: {d}"),
                (Some(t), _) if !t.is_empty() => t.to_owned(),
                (_, Some(d)) if !d.is_empty() => d.to_owned(),
                _ => return None,
            };
            let source = e.source.as_ref();
            if let Some(at) = source.and_then(|s| s.pointer.as_deref().or(s.parameter.as_deref())) {
                text.push_str(&format!(" (at {at})"));
            }
            Some(text)
        })
        .collect();
    let text = if parts.is_empty() { fallback.to_owned() } else { parts.join("; ") };
    one_line(&text, 300)
}

/// Collapses whitespace (so a message stays on one line) and caps the length.
pub fn one_line(text: &str, max_chars: usize) -> String {
    let collapsed = text.split_whitespace().collect::<Vec<_>>().join(" ");
    match collapsed.char_indices().nth(max_chars) {
        Some((cut, _)) => format!("{}…", &collapsed[..cut]),
        None => collapsed,
    }
}

/// Parses a response body into `T`, reporting what was being read on failure.
pub fn parse<T: DeserializeOwned>(body: &[u8], context: &str) -> Result<T, TfcError> {
    serde_json::from_slice(body).map_err(|e| {
        TfcError::Protocol(format!("could not read the response about {context}: {}", one_line(&e.to_string(), 200)))
    })
}

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
        Project { id: r.id, name: r.attributes.name }
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
pub fn workspace(r: Resource<NamedAttributes>, included: &[Resource<Value>]) -> Result<Workspace, TfcError> {
    let project_id = r.related_ids("project").into_iter().next().ok_or_else(|| {
        TfcError::Protocol(format!("workspace '{}' came without its project", r.attributes.name))
    })?;
    let project_name = included
        .iter()
        .find(|inc| inc.kind == "projects" && inc.id == project_id)
        .and_then(|inc| inc.attributes.get("name")?.as_str().map(str::to_owned));
    Ok(Workspace { id: r.id, name: r.attributes.name, project_id, project_name })
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
    let data: Vec<Value> = ids.iter().map(|id| json!({ "type": kind, "id": id })).collect();
    json!({ "data": data })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn error_status_may_be_number_or_string() {
        let body = br#"{"errors":[{"status":429,"title":"Too many requests","detail":"You have exceeded the API's rate limit."},
                       {"status":"422","title":"invalid attribute","detail":"Key has already been taken","source":{"pointer":"/data/attributes/key"}}]}"#;
        let doc: ErrorDocument = serde_json::from_slice(body).unwrap();
        assert_eq!(doc.errors[0].status.as_deref(), Some("429"));
        assert_eq!(doc.errors[1].status.as_deref(), Some("422"));
        assert_eq!(
            describe_errors(body, "x"),
            "Too many requests: You have exceeded the API's rate limit.; invalid attribute: Key has already been taken (at /data/attributes/key)"
        );
        assert_eq!(describe_errors(b"<html>\n oops</html>", "Bad Gateway"), "Bad Gateway");
    }

    #[test]
    fn next_page_from_meta_or_links() {
        let doc: Document<Vec<Value>> = serde_json::from_str(
            r#"{"data":[],"meta":{"pagination":{"current-page":1,"next-page":2,"total-pages":3}}}"#,
        )
        .unwrap();
        assert_eq!(doc.next_page(), Some(2));
        let doc: Document<Vec<Value>> = serde_json::from_str(
            r#"{"data":[],"links":{"next":"/api/v2/x?page%5Bnumber%5D=4&page%5Bsize%5D=100"}}"#,
        )
        .unwrap();
        assert_eq!(doc.next_page(), Some(4));
        let doc: Document<Vec<Value>> = serde_json::from_str(r#"{"data":[],"links":{"next":null}}"#).unwrap();
        assert_eq!(doc.next_page(), None);
    }

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
        assert_eq!((set.workspace_ids, set.project_ids), (vec!["ws-1".to_owned()], vec![]));
    }
}
