//! A run's phase: the one type for the phase a role is trusted for (`Run` = plan and apply) and
//! the phase a token carries (`Plan` or `Apply`, [`Phase::TOKEN_PHASES`]).

use crate::core::variables::dynamic_vars::VarKind;
use serde::{Deserialize, Serialize};
use std::fmt;

/// Which run phases a role is trusted for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Phase {
    /// Plan and apply (`run_phase:*`).
    Run,
    Plan,
    Apply,
}

impl Phase {
    /// The phases a token carries (its `run_phase` claim): a run is planned, then applied.
    pub const TOKEN_PHASES: [Phase; 2] = [Phase::Plan, Phase::Apply];

    /// The phase's name: "run", "plan", "apply" (for a token's phase, its `run_phase` claim).
    pub fn as_str(self) -> &'static str {
        match self {
            Phase::Run => "run",
            Phase::Plan => "plan",
            Phase::Apply => "apply",
        }
    }

    /// The `run_phase` part of a subject pattern.
    pub fn pattern(self) -> &'static str {
        match self {
            Phase::Run => "*",
            Phase::Plan => "plan",
            Phase::Apply => "apply",
        }
    }

    /// The concrete phases a token can carry that this phase admits.
    pub fn concrete(self) -> &'static [&'static str] {
        match self {
            Phase::Run => &["plan", "apply"],
            Phase::Plan => &["plan"],
            Phase::Apply => &["apply"],
        }
    }

    /// The kind of variable that carries this phase's role ARN.
    pub fn role_kind(self) -> VarKind {
        VarKind::RoleArn(self)
    }

    /// The variable that carries this phase's role ARN (default configuration); the names
    /// themselves are spelled in [`dynamic_vars`](crate::core::variables::dynamic_vars) only.
    pub fn role_arn_variable(self) -> &'static str {
        self.role_kind().untagged_name()
    }
}

impl Phase {
    /// Who assumes a role of this phase, in words: "plan and apply runs", "plan runs", "apply
    /// runs"; a Stack's role is assumed by its deployments' operations, which have no run phase.
    pub fn assumed_by(self, stack: bool) -> String {
        match (stack, self) {
            (false, Phase::Run) => "plan and apply runs".into(),
            (false, phase) => format!("{phase} runs"),
            (true, Phase::Run) => "Stack plan and apply operations".into(),
            (true, phase) => format!("Stack {phase} operations"),
        }
    }

    /// A role's label in a plan: "run phase", "plan phase", "apply phase", or for a Stack's role
    /// "Stack operations", "Stack plan operations"…
    pub fn role_label(self, stack: bool) -> String {
        match (stack, self) {
            (false, phase) => format!("{phase} phase"),
            (true, Phase::Run) => "Stack operations".into(),
            (true, phase) => format!("Stack {phase} operations"),
        }
    }
}

impl fmt::Display for Phase {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_are_named_by_who_assumes_them() {
        assert_eq!(Phase::Run.assumed_by(false), "plan and apply runs");
        assert_eq!(Phase::Apply.assumed_by(false), "apply runs");
        assert_eq!(Phase::Run.role_label(false), "run phase");
        assert_eq!(Phase::Run.role_label(true), "Stack operations");
        assert_eq!(Phase::Plan.role_label(true), "Stack plan operations");
    }

    #[test]
    fn each_phase_names_its_role_variable() {
        assert_eq!(Phase::Run.role_arn_variable(), "TFC_AWS_RUN_ROLE_ARN");
        assert_eq!(Phase::Plan.role_arn_variable(), "TFC_AWS_PLAN_ROLE_ARN");
        assert_eq!(Phase::Apply.role_arn_variable(), "TFC_AWS_APPLY_ROLE_ARN");
        assert_eq!(Phase::Apply.to_string(), "apply");
        assert_eq!(Phase::TOKEN_PHASES.map(Phase::as_str), ["plan", "apply"]);
    }
}
