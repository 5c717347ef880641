//! IAM roles and policy documents: an SDK role becomes the port's [`Role`], and the documents
//! IAM returns URL-encoded (trust, inline and managed policies) are decoded here.

use std::borrow::Cow;

use aws_sdk_iam::primitives::DateTimeFormat;
use percent_encoding::percent_decode_str;

use super::providers::tags_from_sdk;
use crate::core::ports::{IamError, Role};

/// An SDK role to the port's role, trust policy decoded.
pub(super) fn role_from_sdk(r: &aws_sdk_iam::types::Role) -> Result<Role, IamError> {
    let last_used = r
        .role_last_used()
        .and_then(|u| u.last_used_date())
        .and_then(|d| d.fmt(DateTimeFormat::DateTime).ok());
    Ok(Role {
        name: r.role_name().to_owned(),
        arn: r.arn().to_owned(),
        id: r.role_id().to_owned(),
        path: r.path().to_owned(),
        trust_policy: decode_policy(r.assume_role_policy_document().unwrap_or_default())?,
        description: r.description().filter(|d| !d.is_empty()).map(str::to_owned),
        tags: tags_from_sdk(r.tags()),
        last_used,
        created: r.create_date().fmt(DateTimeFormat::DateTime).ok(),
    })
}

/// IAM returns policy documents URL-encoded (RFC 3986). A document that already starts with `{`
/// is taken as is, so a literal `%` inside an unencoded document is never mangled.
pub(crate) fn decode_policy(doc: &str) -> Result<String, IamError> {
    if doc.trim_start().starts_with('{') || doc.is_empty() {
        return Ok(doc.to_owned());
    }
    match percent_decode_str(doc).decode_utf8() {
        Ok(Cow::Borrowed(s)) => Ok(s.to_owned()),
        Ok(Cow::Owned(s)) => Ok(s),
        Err(_) => Err(IamError::Other(
            "AWS returned a policy document that is not valid UTF-8 once decoded".into(),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::decode_policy;

    #[test]
    fn decodes_url_encoded_documents() {
        let enc = "%7B%22Version%22%3A%222012-10-17%22%2C%22Statement%22%3A%5B%5D%7D";
        assert_eq!(
            decode_policy(enc).unwrap(),
            r#"{"Version":"2012-10-17","Statement":[]}"#
        );
        let raw = r#"{"a":"100%25 literal"}"#;
        assert_eq!(decode_policy(raw).unwrap(), raw);
        assert_eq!(decode_policy("").unwrap(), "");
        let spaced = "%7B%20%22a%22%3A%20%22b%2Bc%22%7D";
        assert_eq!(decode_policy(spaced).unwrap(), r#"{ "a": "b+c"}"#);
    }
}
