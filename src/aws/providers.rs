//! IAM OpenID Connect providers and tags: what `GetOpenIDConnectProvider` answers becomes the
//! port's [`OidcProvider`]; tags go both ways.

use aws_sdk_iam::operation::get_open_id_connect_provider::GetOpenIdConnectProviderOutput;

use crate::core::ports::{IamError, OidcProvider, Tag};

/// The provider `arn` as `GetOpenIDConnectProvider` describes it.
pub(super) fn provider_from_sdk(arn: &str, out: &GetOpenIdConnectProviderOutput) -> OidcProvider {
    OidcProvider {
        arn: arn.to_owned(),
        url: out.url().unwrap_or_default().to_owned(),
        client_ids: out.client_id_list().to_vec(),
        thumbprints: out.thumbprint_list().to_vec(),
        tags: tags_from_sdk(out.tags()),
    }
}

/// SDK tags to the port's tags.
pub(super) fn tags_from_sdk(tags: &[aws_sdk_iam::types::Tag]) -> Vec<Tag> {
    tags.iter()
        .map(|t| Tag {
            key: t.key().to_owned(),
            value: t.value().to_owned(),
        })
        .collect()
}

/// The port's tags to SDK tags.
pub(super) fn tags_to_sdk(tags: &[Tag]) -> Result<Vec<aws_sdk_iam::types::Tag>, IamError> {
    tags.iter()
        .map(|t| {
            aws_sdk_iam::types::Tag::builder()
                .key(&t.key)
                .value(&t.value)
                .build()
                .map_err(|e| IamError::InvalidInput(format!("tag '{}': {e}", t.key)))
        })
        .collect()
}
