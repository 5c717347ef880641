//! Helpers the change kinds share: IAM's eventual consistency, "already gone" removals, and the
//! short forms of ARNs and key ids that plans print.

use super::{Outcome, VarsetRef};
use crate::core::error::ChangeError;
use crate::core::ports::{Iam, IamError, NewVariable, TfcError, VariableCategory};
use crate::core::trust::PolicyDocument;
use backon::{ExponentialBuilder, Retryable};
use std::time::Duration;

/// IAM is eventually consistent: a role or provider created a moment ago may not be visible to
/// the next call yet. Those calls retry briefly on "not found" and "invalid principal".
pub(super) async fn settle<T, F, Fut>(call: F) -> Result<T, IamError>
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Result<T, IamError>>,
{
    call.retry(
        ExponentialBuilder::default()
            .with_min_delay(Duration::from_millis(300))
            .with_max_delay(Duration::from_secs(3))
            .with_max_times(6),
    )
    .when(|e| match e {
        IamError::NoSuchEntity(_) => true,
        IamError::InvalidInput(m) => m.to_ascii_lowercase().contains("principal"),
        _ => false,
    })
    .await
}

/// Removals succeed when the thing is already gone, so undo and migrate can be re-run.
pub(super) fn gone_ok<E: Into<ChangeError>>(r: Result<(), E>) -> Result<Outcome, ChangeError> {
    match r.map_err(Into::into) {
        Ok(()) => Ok(Outcome::default()),
        Err(ChangeError::Aws(IamError::NoSuchEntity(_)))
        | Err(ChangeError::Tfc(TfcError::NotFound { .. })) => Ok(Outcome::default()),
        Err(e) => Err(e),
    }
}

/// The id of a variable set, which an earlier change of the apply may have had to create.
pub(super) fn set_id(set: &VarsetRef) -> Result<&str, ChangeError> {
    set.id
        .as_deref()
        .ok_or_else(|| ChangeError::Internal(format!("variable set {} has no id yet", set.name)))
}

/// tfc-oidc's variables are plain environment variables.
pub(super) fn env_var(key: &str, value: &str, description: &str) -> NewVariable {
    NewVariable {
        key: key.to_string(),
        value: value.to_string(),
        description: description.to_string(),
        category: VariableCategory::Env,
        sensitive: false,
    }
}

/// Why a trust policy that must be edited in place cannot be.
pub(super) fn unreadable(role: &str, e: impl std::fmt::Display) -> ChangeError {
    ChangeError::Internal(format!(
        "the trust policy of role {role} no longer parses ({e}); it was left as it is"
    ))
}

/// The role's trust policy as it is now (waiting out IAM's consistency for a new role).
pub(super) async fn current_trust(
    iam: &dyn Iam,
    role: &str,
) -> Result<PolicyDocument, ChangeError> {
    let found = settle(|| async {
        iam.get_role(role)
            .await?
            .ok_or_else(|| IamError::NoSuchEntity(format!("role {role}")))
    })
    .await?;
    PolicyDocument::parse(&found.trust_policy).map_err(|e| unreadable(role, e))
}

/// Shows an access key id without its middle, so plans and journals never carry it whole.
pub fn mask_key_id(id: &str) -> String {
    let chars: Vec<char> = id.chars().collect();
    if chars.len() <= 8 {
        return "****".into();
    }
    let head: String = chars[..4].iter().collect();
    let tail: String = chars[chars.len() - 4..].iter().collect();
    format!("{head}…{tail}")
}

/// `arn:aws:iam::aws:policy/ReadOnlyAccess` → `ReadOnlyAccess`; other ARNs stay whole.
pub(super) fn short_arn(arn: &str) -> &str {
    if arn.starts_with("arn:aws:iam::aws:policy/") {
        arn.rsplit('/').next().unwrap_or(arn)
    } else {
        arn
    }
}
