//! The AWS half of the inventory: the caller, every OIDC provider, and each role whose trust
//! names the HOST provider (ListRoles, then GetRole for tags and last use, which ListRoles
//! leaves out) with its attached and inline policies, then the documents of the
//! customer-managed policies attached to those roles (each ARN once, whatever number of roles
//! share it; AWS-managed policies are known by name and not read).

use super::read::{each, Counter, InventoryError};
use super::{is_aws_managed, role_entry, trusts_provider, AwsInventory, ManagedPolicy, RoleEntry};
use crate::core::ports::{CallerIdentity, Iam, OidcProvider, Role};
use crate::core::trust::PolicyDocument;
use std::collections::{BTreeMap, BTreeSet};

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
    let roles = roles_trusting(iam, &host_provider_arn, counter);
    let (providers, (roles, managed_policies)) = futures::try_join!(providers, roles)?;
    Ok(AwsInventory {
        caller,
        providers,
        host_provider_arn,
        roles,
        managed_policies,
    })
}

/// The roles whose trust names `provider_arn`, each with its policies, and the documents of
/// their customer-managed policies.
async fn roles_trusting(
    iam: &dyn Iam,
    provider_arn: &str,
    counter: &Counter<'_>,
) -> Result<(Vec<RoleEntry>, BTreeMap<String, ManagedPolicy>), InventoryError> {
    let listed = counter.aws("list the roles", iam.list_roles()).await?;
    let ours: Vec<Role> = listed
        .into_iter()
        .filter(|r| trusts_provider(r, provider_arn))
        .collect();
    counter.expect(ours.len() * 3);
    let roles = each(&ours, |r| read_role(iam, r, counter)).await?;
    let policies = read_managed_policies(iam, &roles, counter).await?;
    Ok((roles, policies))
}

/// The AWS part of an inventory for a provider that does not exist yet (`provider` is what it
/// will be): the roles that already name it, read as `review` reads them, so their verdicts
/// are review's own.
pub async fn read_dormant(
    iam: &dyn Iam,
    caller: &CallerIdentity,
    provider: OidcProvider,
) -> Result<AwsInventory, InventoryError> {
    let silent = |_| {};
    let counter = Counter::new(&silent);
    counter.expect(1);
    let (roles, managed_policies) = roles_trusting(iam, &provider.arn, &counter).await?;
    Ok(AwsInventory {
        caller: caller.clone(),
        host_provider_arn: provider.arn.clone(),
        providers: vec![provider],
        roles,
        managed_policies,
    })
}

/// The default-version documents of the customer-managed policies attached to `roles`, one
/// read per distinct ARN, side by side. A policy that cannot be read (no `iam:GetPolicy` or
/// `iam:GetPolicyVersion`, throttling) is recorded as unreadable, not an error: the rest of the
/// inventory stands and review says what it could not check.
async fn read_managed_policies(
    iam: &dyn Iam,
    roles: &[RoleEntry],
    counter: &Counter<'_>,
) -> Result<BTreeMap<String, ManagedPolicy>, InventoryError> {
    let arns: Vec<&String> = roles
        .iter()
        .flat_map(|r| &r.attached_policies)
        .filter(|arn| !is_aws_managed(arn))
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    counter.expect(arns.len());
    let read = each(&arns, |arn| async move {
        let found = counter
            .aws(
                "read a customer-managed policy",
                iam.get_managed_policy_document(arn),
            )
            .await;
        let policy = match found {
            Ok(Some(text)) => match PolicyDocument::parse(&text) {
                Ok(doc) => ManagedPolicy::Document(doc),
                Err(e) => ManagedPolicy::Unreadable(e.to_string()),
            },
            Ok(None) => ManagedPolicy::Missing,
            Err(e) => ManagedPolicy::Unreadable(e.to_string()),
        };
        Ok(((*arn).clone(), policy))
    })
    .await?;
    Ok(read.into_iter().collect())
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
