//! The other AWS accounts the migrate path reaches. A key of another account gets its role in
//! that account when one of the AWS profiles the connector offers acts there: the wizard finds
//! the profile the CLI's `--account-profile ACCOUNT=PROFILE` would name. Found at discovery,
//! used by the plan and the apply (which journals each change's profile).

use crate::core::accounts::Accounts;
use crate::core::migrate::{Discovery, KeyOwner};
use crate::tui::connector::Connector;
use futures::future::join_all;
use std::collections::BTreeSet;
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// The accounts the last discovery reached, shared by the runner's tasks.
pub(super) type AccountsSlot = Arc<Mutex<Accounts>>;

/// How long one profile may take to say which account it acts in: a profile that cannot answer
/// soon (an expired SSO session, a slow credential process) is passed over.
const CALLER_IDENTITY_WAIT: Duration = Duration::from_secs(5);

/// The accounts of keys `discovery` places in another account.
pub(super) fn other_accounts(discovery: &Discovery) -> BTreeSet<String> {
    let named = discovery.keys.values().filter_map(|owner| match owner {
        KeyOwner::OtherAccount { account } => account.clone(),
        _ => None,
    });
    named.collect()
}

/// The accounts of `wanted` some profile of `connector` acts in (asked concurrently), each with
/// its IAM and CloudTrail; the first profile found for an account is used.
pub(super) async fn reach(connector: &dyn Connector, wanted: &BTreeSet<String>) -> Accounts {
    let asks = connector.profiles().into_iter().map(|profile| async move {
        let ask = async {
            let iam = connector.connect_aws(&profile).await.ok()?;
            let caller = iam.caller_identity().await.ok()?;
            Some((caller.account, iam))
        };
        let found = tokio::time::timeout(CALLER_IDENTITY_WAIT, ask)
            .await
            .ok()
            .flatten();
        (profile, found)
    });
    let mut accounts = Accounts::none();
    for (profile, found) in join_all(asks).await {
        let Some((account, iam)) = found else {
            continue;
        };
        if !wanted.contains(&account) || accounts.get(&account).is_some() {
            continue;
        }
        accounts.add(&account, &profile, iam);
        if let Some(trail) = connector.connect_trail(&profile).await {
            accounts.add_trail(&account, trail);
        }
    }
    accounts
}

/// What the slot holds now.
pub(super) fn current(slot: &AccountsSlot) -> Accounts {
    slot.lock().unwrap_or_else(|e| e.into_inner()).clone()
}
