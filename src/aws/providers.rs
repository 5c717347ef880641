//! IAM OpenID Connect provider calls of [`IamClient`].

use super::client::IamClient;
use super::errors::classify;
use crate::core::ports::{IamError, NewOidcProvider, OidcProvider, Tag};

impl IamClient {
    pub(super) async fn list_oidc_providers_impl(&self) -> Result<Vec<String>, IamError> {
        let out = self
            .iam
            .list_open_id_connect_providers()
            .send()
            .await
            .map_err(|e| classify(e, "the OIDC provider list", &self.iam_ctx))?;
        Ok(out
            .open_id_connect_provider_list()
            .iter()
            .filter_map(|p| p.arn().map(str::to_owned))
            .collect())
    }

    pub(super) async fn get_oidc_provider_impl(
        &self,
        arn: &str,
    ) -> Result<Option<OidcProvider>, IamError> {
        let what = format!("OIDC provider {arn}");
        let out = match self
            .iam
            .get_open_id_connect_provider()
            .open_id_connect_provider_arn(arn)
            .send()
            .await
        {
            Ok(out) => out,
            Err(e) => {
                return match classify(e, &what, &self.iam_ctx) {
                    IamError::NoSuchEntity(_) => Ok(None),
                    other => Err(other),
                }
            }
        };
        Ok(Some(OidcProvider {
            arn: arn.to_owned(),
            url: out.url().unwrap_or_default().to_owned(),
            client_ids: out.client_id_list().to_vec(),
            thumbprints: out.thumbprint_list().to_vec(),
            tags: tags_from_sdk(out.tags()),
        }))
    }

    pub(super) async fn create_oidc_provider_impl(
        &self,
        provider: &NewOidcProvider,
    ) -> Result<String, IamError> {
        let what = format!("OIDC provider for {}", provider.url);
        let mut req = self
            .iam
            .create_open_id_connect_provider()
            .url(&provider.url)
            .set_client_id_list(Some(provider.client_ids.clone()));
        if !provider.thumbprints.is_empty() {
            req = req.set_thumbprint_list(Some(provider.thumbprints.clone()));
        }
        if !provider.tags.is_empty() {
            req = req.set_tags(Some(tags_to_sdk(&provider.tags)?));
        }
        let out = req
            .send()
            .await
            .map_err(|e| classify(e, &what, &self.iam_ctx))?;
        out.open_id_connect_provider_arn()
            .map(str::to_owned)
            .ok_or_else(|| IamError::Other(format!("AWS created the {what} but returned no ARN")))
    }

    pub(super) async fn add_client_id_impl(
        &self,
        provider_arn: &str,
        client_id: &str,
    ) -> Result<(), IamError> {
        self.iam
            .add_client_id_to_open_id_connect_provider()
            .open_id_connect_provider_arn(provider_arn)
            .client_id(client_id)
            .send()
            .await
            .map_err(|e| classify(e, &format!("OIDC provider {provider_arn}"), &self.iam_ctx))?;
        Ok(())
    }

    pub(super) async fn remove_client_id_impl(
        &self,
        provider_arn: &str,
        client_id: &str,
    ) -> Result<(), IamError> {
        self.iam
            .remove_client_id_from_open_id_connect_provider()
            .open_id_connect_provider_arn(provider_arn)
            .client_id(client_id)
            .send()
            .await
            .map_err(|e| classify(e, &format!("OIDC provider {provider_arn}"), &self.iam_ctx))?;
        Ok(())
    }

    pub(super) async fn delete_oidc_provider_impl(&self, arn: &str) -> Result<(), IamError> {
        self.iam
            .delete_open_id_connect_provider()
            .open_id_connect_provider_arn(arn)
            .send()
            .await
            .map_err(|e| classify(e, &format!("OIDC provider {arn}"), &self.iam_ctx))?;
        Ok(())
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
