//! JSON:API wire types for the HCP Terraform API v2 (documents, resource objects, relationships,
//! error documents, pagination). Per-resource attributes and domain conversions are in
//! `convert`.

use std::collections::BTreeMap;

use serde::de::DeserializeOwned;
use serde::{Deserialize, Deserializer};
use serde_json::Value;

use crate::core::ports::TfcError;

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
    /// `page[number]` (or `page`). `None` on the last (or only) page.
    pub fn next_page(&self) -> Option<u32> {
        if let Some(p) = self.meta.as_ref().and_then(|m| m.pagination.as_ref()) {
            return p.next_page;
        }
        let next = self.links.as_ref()?.next.as_deref()?;
        // The link may be relative; only its query matters, so any base will do.
        let url = url::Url::parse("https://base.invalid/")
            .ok()?
            .join(next)
            .ok()?;
        // The variable-set variables sample links pages as `?page=N`.
        let page = |key: &str| {
            url.query_pairs()
                .find(|(k, _)| k == key)
                .and_then(|(_, v)| v.parse().ok())
        };
        page("page[number]").or_else(|| page("page"))
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
        self.relationships
            .get(name)
            .map(Relationship::ids)
            .unwrap_or_default()
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
    let text = if parts.is_empty() {
        fallback.to_owned()
    } else {
        parts.join("; ")
    };
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
        TfcError::Protocol(format!(
            "could not read the response about {context}: {}",
            one_line(&e.to_string(), 200)
        ))
    })
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
        assert_eq!(
            describe_errors(b"<html>\n oops</html>", "Bad Gateway"),
            "Bad Gateway"
        );
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
        let doc: Document<Vec<Value>> = serde_json::from_str(
            r#"{"data":[],"links":{"next":"app.terraform.io/app/varsets/varset-1/vars?page=2"}}"#,
        )
        .unwrap();
        assert_eq!(doc.next_page(), Some(2));
        let doc: Document<Vec<Value>> =
            serde_json::from_str(r#"{"data":[],"links":{"next":null}}"#).unwrap();
        assert_eq!(doc.next_page(), None);
    }
}
