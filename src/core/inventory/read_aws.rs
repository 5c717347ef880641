//! The AWS half of the inventory: the caller, every OIDC provider, and each role whose trust
//! names the HOST provider (ListRoles, then GetRole for tags and last use, which ListRoles
//! leaves out) with its attached and inline policies.

use super::read::{each, Counter, InventoryError};
use super::{role_entry, trusts_provider, AwsInventory, RoleEntry};
use crate::core::ports::{Iam, Role};

/// Reads the AWS account; the providers and the roles are read side by side.
pub(super) async fn read_aws(
    host: &str,
    iam: &dyn Iam,
    counter: &Counter<'_>,
) -> Result<AwsInventory, InventoryError> {
    counter.expect(3);
    let caller = counter
        .aws("read the AWS caller identity", iam.caller_identity())
        .await?;
    let host_provider_arn =
        crate::core::names::oidc_provider_arn(caller.partition(), &caller.account, host);
    let providers = async {
        let arns = counter
            .aws("list the OIDC providers", iam.list_oidc_providers())
            .await?;
        counter.expect(arns.len());
        let found = each(&arns, |arn| {
            counter.aws("read an OIDC provider", iam.get_oidc_provider(arn))
        })
        .await?;
        Ok(found.into_iter().flatten().collect::<Vec<_>>())
    };
    let roles = async {
        let listed = counter.aws("list the roles", iam.list_roles()).await?;
        let ours: Vec<Role> = listed
            .into_iter()
            .filter(|r| trusts_provider(r, &host_provider_arn))
            .collect();
        counter.expect(ours.len() * 3);
        each(&ours, |r| read_role(iam, r, counter)).await
    };
    let (providers, roles) = futures::try_join!(providers, roles)?;
    Ok(AwsInventory {
        caller,
        providers,
        host_provider_arn,
        roles,
    })
}

/// GetRole and the role's policies: three calls, plus one per inline policy document.
async fn read_role(
    iam: &dyn Iam,
    listed: &Role,
    counter: &Counter<'_>,
) -> Result<RoleEntry, InventoryError> {
    let name = &listed.name;
    let role = async {
        let found = counter.aws("read a role", iam.get_role(name)).await?;
        Ok(found.unwrap_or_else(|| listed.clone()))
    };
    let attached = counter.aws("list a role's policies", iam.list_attached_policies(name));
    let inline = async {
        let names = counter
            .aws(
                "list a role's inline policies",
                iam.list_inline_policies(name),
            )
            .await?;
        counter.expect(names.len());
        let docs = each(&names, |p| async move {
            let doc = counter
                .aws("read an inline policy", iam.get_inline_policy(name, p))
                .await?;
            Ok(doc.map(|d| (p.clone(), d)))
        })
        .await?;
        Ok((names, docs.into_iter().flatten().collect::<Vec<_>>()))
    };
    let (role, attached, (inline_names, inline_docs)) = futures::try_join!(role, attached, inline)?;
    Ok(role_entry(role, attached, inline_names, inline_docs))
}
