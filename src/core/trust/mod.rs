//! What a role's trust policy admits, in one tree: the lossless [`PolicyDocument`]
//! (`document.rs`), a run's [`Phase`] (`phase.rs`), the `sub` claim and the patterns that match it
//! ([`subject`]), a token's [`Claims`] (`claims.rs`), IAM's evaluation of a policy against them
//! ([`evaluate()`], `evaluate.rs`), trust too broad to build on (`risk.rs`), and building,
//! extending and retracting the statement tfc-oidc writes (`build.rs`). Setup, undo, `review`
//! and `explain` all read trust through here, never as strings.

mod build;
mod claims;
mod document;
mod evaluate;
mod phase;
mod risk;
pub mod subject;

pub use build::{add_raw_patterns, extend, retract, trusted_patterns, Extension, TrustSpec};
pub use claims::Claims;
pub use document::{
    action_matches, principal_matches, Actions, Condition, Effect, Operator, PolicyDocument,
    PolicyParseError, Principals, SetQualifier, Statement,
};
pub use evaluate::{
    condition_holds, evaluate, ConditionFailure, Decision, StatementResult, WEB_IDENTITY_ACTION,
};
pub use phase::Phase;
pub use risk::{broad_trust, restricts, BroadTrust};

#[cfg(test)]
mod tests;
