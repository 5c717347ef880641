//! The task behind the role step's effect: the account's roles whose trust names the issuer's
//! provider, each with the policies it has now, so the step can show what a role it would
//! adopt may already do (`t`).

use crate::core::inventory::trusts_provider;
use crate::core::ports::{Iam, IamError, TfcError};
use crate::tui::connector::Connection;
use crate::tui::msg::Msg;
use crate::tui::steps::role_permissions::TrustingRole;
use futures::future::join_all;

/// Lists the roles trusting `provider_arn`, with their policies, as [`Msg::Roles`].
pub(super) async fn load(conn: Result<Connection, TfcError>, provider_arn: String) -> Option<Msg> {
    let result = match conn {
        Ok(c) => trusting_roles(c.iam.as_ref(), &provider_arn).await,
        Err(e) => Err(IamError::Other(e.to_string())),
    };
    Some(Msg::Roles(result))
}

async fn trusting_roles(iam: &dyn Iam, provider_arn: &str) -> Result<Vec<TrustingRole>, IamError> {
    let roles = iam.list_roles().await?;
    let trusting = roles
        .into_iter()
        .filter(|r| trusts_provider(r, provider_arn));
    Ok(join_all(trusting.map(|role| async move {
        let policies = futures::try_join!(
            iam.list_attached_policies(&role.name),
            iam.list_inline_policies(&role.name)
        )
        .ok();
        TrustingRole { role, policies }
    }))
    .await)
}
