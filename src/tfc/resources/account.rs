//! `GET /account/details`: who the token belongs to.

use crate::core::ports::{TfcError, TfcUser};
use crate::tfc::client::TfcClient;
use crate::tfc::convert::UserAttributes;

impl TfcClient {
    pub(super) async fn get_account(&self) -> Result<TfcUser, TfcError> {
        let url = self.url(&["account", "details"]);
        let doc = self
            .get_one::<UserAttributes>(url, "the account of this token")
            .await?;
        Ok(doc.data.into())
    }
}
