//! What a workspace's runs get for AWS dynamic credentials, read from its effective variables:
//! whether `TFC_AWS_PROVIDER_AUTH` is `true`, which role ARN the plan phase uses, which audience
//! the token carries, and what looks wrong (a missing variable, one set as a Terraform variable
//! instead of an environment variable, a misspelled key, static keys beside it).
//!
//! The facts (which variable sets what, precedence, `TFC_DEFAULT_AWS_*` fill-in, the plan/apply
//! → run role fallback) are [`aws_access_of`]'s; this module adds verify's diagnosis of them.

use crate::core::names::iam_role_name_of;
use crate::core::ports::VariableCategory;
use crate::core::trust::Phase;
use crate::core::variables::access::{self, aws_access_of};
use crate::core::variables::dynamic_vars::{self, STATIC_KEYS};
pub use crate::core::variables::dynamic_vars::{AUDIENCE, PROVIDER_AUTH};
use crate::core::variables::EffectiveVariable;
use serde::Serialize;

/// Where a setting's value comes from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ReportedSetting {
    pub key: String,
    /// `None` for a sensitive variable (its value cannot be read).
    pub value: Option<String>,
    /// `the workspace`, `variable set X (attached to its project)`, …
    pub source: String,
}

/// A problem with the variables, in the words the report uses.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum VariableProblem {
    /// `TFC_AWS_PROVIDER_AUTH` does not reach the workspace.
    ProviderAuthMissing,
    /// It is there but not `true` (or sensitive, so unreadable).
    ProviderAuthNotTrue { value: Option<String> },
    /// No role ARN variable reaches the workspace for this phase.
    RoleArnMissing { phase: String },
    /// The role ARN does not look like an IAM role ARN.
    RoleArnMalformed { key: String, value: String },
    /// A dynamic-credentials key set as a Terraform variable: runs never see it.
    WrongCategory { key: String, source: String },
    /// A key that looks like one HCP Terraform reads, but is not spelled the same.
    Misspelled {
        found: String,
        expected: String,
        source: String,
    },
    /// Static keys reach the workspace beside dynamic credentials.
    StaticKeysToo { source: String },
}

impl VariableProblem {
    /// One sentence for people.
    pub fn describe(&self) -> String {
        match self {
            VariableProblem::ProviderAuthMissing => format!(
                "{PROVIDER_AUTH} is not set: HCP Terraform does not even try dynamic credentials; set it to true (env category)"
            ),
            VariableProblem::ProviderAuthNotTrue { value: Some(v) } => format!(
                "{PROVIDER_AUTH} is {v:?}, not \"true\": HCP Terraform does not try dynamic credentials"
            ),
            VariableProblem::ProviderAuthNotTrue { value: None } => format!(
                "{PROVIDER_AUTH} is sensitive, so its value cannot be checked; it must be \"true\" (it need not be sensitive)"
            ),
            VariableProblem::RoleArnMissing { phase } => format!(
                "no role ARN reaches the workspace for the {phase} phase: set {} (or {})",
                dynamic_vars::RUN_ROLE_ARN,
                run_phase(phase).role_kind().untagged_name()
            ),
            VariableProblem::RoleArnMalformed { key, value } => {
                format!("{key} = {value:?} is not an IAM role ARN (arn:aws:iam::ACCOUNT:role/NAME)")
            }
            VariableProblem::WrongCategory { key, source } => format!(
                "{key} (from {source}) is a Terraform variable: dynamic credentials read environment variables, so change its category to env"
            ),
            VariableProblem::Misspelled {
                found,
                expected,
                source,
            } => format!("{found:?} (from {source}) looks like a misspelling of {expected}"),
            VariableProblem::StaticKeysToo { source } => format!(
                "static AWS keys (AWS_ACCESS_KEY_ID from {source}) also reach the workspace and may take precedence; remove them ('tfc-oidc migrate')"
            ),
        }
    }

    /// Whether this alone stops dynamic credentials from working.
    pub fn is_blocking(&self) -> bool {
        !matches!(self, VariableProblem::StaticKeysToo { .. })
    }
}

/// The dynamic-credentials configuration one phase of a run gets.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CredentialConfig {
    /// `plan` or `apply`.
    pub phase: String,
    pub provider_auth: Option<ReportedSetting>,
    /// The role ARN the phase assumes, and the variable it comes from.
    pub role_arn: Option<ReportedSetting>,
    /// The token's audience (the default when no variable sets one).
    pub audience: String,
    /// The variable that set the audience, when one did.
    pub audience_setting: Option<ReportedSetting>,
    pub problems: Vec<VariableProblem>,
}

impl CredentialConfig {
    /// `TFC_AWS_PROVIDER_AUTH=true` and a readable role ARN: HCP Terraform will try.
    pub fn enabled(&self) -> bool {
        !self.problems.iter().any(VariableProblem::is_blocking)
    }

    /// The role ARN value, when there is a readable one.
    pub fn role_arn_value(&self) -> Option<&str> {
        self.role_arn.as_ref()?.value.as_deref()
    }
}

fn env_var<'a>(vars: &'a [EffectiveVariable], key: &str) -> Option<&'a EffectiveVariable> {
    vars.iter()
        .find(|v| v.variable.key == key && v.variable.category == VariableCategory::Env)
}

/// verify's form of a setting: the source in words.
fn setting(s: &access::Setting) -> ReportedSetting {
    ReportedSetting {
        key: s.key.clone(),
        value: s.value.clone(),
        source: s.source.describe(),
    }
}

/// `apply` is the apply phase; anything else is read as the plan phase.
fn run_phase(phase: &str) -> Phase {
    if phase.eq_ignore_ascii_case("apply") {
        Phase::Apply
    } else {
        Phase::Plan
    }
}

/// Reads the configuration of `phase` (`plan` or `apply`) from a workspace's effective variables:
/// the default configuration of [`aws_access_of`], and what is wrong with it.
pub fn credential_config(vars: &[EffectiveVariable], phase: &str) -> CredentialConfig {
    let mut problems = Vec::new();
    let access = aws_access_of(vars);
    let config = access.default_configuration();
    let provider_auth = config.and_then(|c| c.provider_auth.as_ref()).map(setting);
    match &provider_auth {
        None => problems.push(VariableProblem::ProviderAuthMissing),
        // A sensitive value cannot be checked: verify says so rather than assume it is on.
        Some(s) if s.value.is_some() && config.is_some_and(|c| c.enabled()) => {}
        Some(s) => problems.push(VariableProblem::ProviderAuthNotTrue {
            value: s.value.clone(),
        }),
    }
    let role_arn = config
        .and_then(|c| c.role_for(run_phase(phase)))
        .map(setting);
    match &role_arn {
        None => problems.push(VariableProblem::RoleArnMissing {
            phase: phase.into(),
        }),
        Some(ReportedSetting {
            key,
            value: Some(value),
            ..
        }) if iam_role_name_of(value).is_none() => {
            problems.push(VariableProblem::RoleArnMalformed {
                key: key.clone(),
                value: value.clone(),
            })
        }
        Some(_) => {}
    }
    let audience_setting = config.and_then(|c| c.audience.as_ref()).map(setting);
    let audience = config.map_or_else(
        || crate::core::answers::DEFAULT_AUDIENCE.to_string(),
        |c| c.audience_value(),
    );
    let known = dynamic_vars::untagged_names();
    for v in vars {
        let key = &v.variable.key;
        let source = v.source.describe();
        if known.contains(key) {
            if v.variable.category == VariableCategory::Terraform {
                problems.push(VariableProblem::WrongCategory {
                    key: key.clone(),
                    source,
                });
            }
        } else if let Some(expected) = near_miss(key, &known) {
            // A near miss matters only when the real key is not there as well.
            if env_var(vars, expected).is_none() {
                problems.push(VariableProblem::Misspelled {
                    found: key.clone(),
                    expected: expected.to_string(),
                    source,
                });
            }
        } else if key == STATIC_KEYS[0] && v.variable.category == VariableCategory::Env {
            problems.push(VariableProblem::StaticKeysToo { source });
        }
    }
    CredentialConfig {
        phase: phase.into(),
        provider_auth,
        role_arn,
        audience,
        audience_setting,
        problems,
    }
}

/// The known key `key` seems to be a misspelling of: the same letters in another case or with
/// stray spaces, or at most two edits away.
fn near_miss<'a>(key: &str, known: &'a [String]) -> Option<&'a str> {
    let norm = key.trim().to_ascii_uppercase().replace(['-', ' '], "_");
    known
        .iter()
        .map(String::as_str)
        .find(|known| norm == *known || (norm.len() > 10 && edit_distance(&norm, known) <= 2))
}

/// Levenshtein distance over bytes (keys are ASCII).
fn edit_distance(a: &str, b: &str) -> usize {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != cb);
            cur[j + 1] = (prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::answers::DEFAULT_AUDIENCE;
    use crate::core::names::{account_of, iam_role_name_of as role_name_of};
    use crate::core::ports::Variable;
    use crate::core::variables::{Reach, VariableSource};

    fn var(key: &str, value: &str, category: VariableCategory) -> EffectiveVariable {
        EffectiveVariable {
            variable: Variable {
                id: format!("var-{key}"),
                key: key.into(),
                value: Some(value.into()),
                description: None,
                category,
                sensitive: false,
                hcl: false,
            },
            source: VariableSource::Workspace,
        }
    }

    fn env(key: &str, value: &str) -> EffectiveVariable {
        var(key, value, VariableCategory::Env)
    }

    const ARN: &str = "arn:aws:iam::123456789012:role/tfc-acme";

    #[test]
    fn a_complete_configuration() {
        let vars = [env(PROVIDER_AUTH, "true"), env("TFC_AWS_RUN_ROLE_ARN", ARN)];
        let c = credential_config(&vars, "plan");
        assert!(c.enabled(), "{:?}", c.problems);
        assert_eq!(c.role_arn_value(), Some(ARN));
        assert_eq!(c.role_arn.unwrap().key, "TFC_AWS_RUN_ROLE_ARN");
        assert_eq!(c.audience, DEFAULT_AUDIENCE);
    }

    #[test]
    fn the_plan_role_wins_for_plans_and_defaults_come_last() {
        let vars = [
            env(PROVIDER_AUTH, "true"),
            env(
                "TFC_DEFAULT_AWS_RUN_ROLE_ARN",
                "arn:aws:iam::123456789012:role/d",
            ),
            env("TFC_AWS_RUN_ROLE_ARN", "arn:aws:iam::123456789012:role/run"),
            env(
                "TFC_AWS_PLAN_ROLE_ARN",
                "arn:aws:iam::123456789012:role/plan",
            ),
            env(AUDIENCE, "custom"),
        ];
        let plan = credential_config(&vars, "plan");
        assert!(plan.role_arn_value().unwrap().ends_with("/plan"));
        assert_eq!(plan.audience, "custom");
        let apply = credential_config(&vars, "apply");
        assert!(apply.role_arn_value().unwrap().ends_with("/run"));
        let only_default = [
            env(PROVIDER_AUTH, "true"),
            env("TFC_DEFAULT_AWS_RUN_ROLE_ARN", ARN),
        ];
        assert_eq!(
            credential_config(&only_default, "plan").role_arn_value(),
            Some(ARN)
        );
    }

    #[test]
    fn missing_and_wrong_values() {
        let c = credential_config(&[], "plan");
        assert_eq!(
            c.problems,
            vec![
                VariableProblem::ProviderAuthMissing,
                VariableProblem::RoleArnMissing {
                    phase: "plan".into()
                }
            ]
        );
        assert!(!c.enabled());
        assert!(c.problems[0]
            .describe()
            .contains("TFC_AWS_PROVIDER_AUTH is not set"));
        let c = credential_config(
            &[
                env(PROVIDER_AUTH, "yes"),
                env("TFC_AWS_RUN_ROLE_ARN", "tfc-acme"),
            ],
            "plan",
        );
        assert!(matches!(
            c.problems[0],
            VariableProblem::ProviderAuthNotTrue { .. }
        ));
        assert!(matches!(
            c.problems[1],
            VariableProblem::RoleArnMalformed { .. }
        ));
    }

    #[test]
    fn terraform_category_and_misspellings_are_named() {
        let vars = [
            var(PROVIDER_AUTH, "true", VariableCategory::Terraform),
            env("TFC_AWS_RUN_ROLE_ARM", ARN),
            env("tfc_aws_provider_auth", "true"),
        ];
        let c = credential_config(&vars, "plan");
        let text: Vec<String> = c.problems.iter().map(|p| p.describe()).collect();
        assert!(c.problems.contains(&VariableProblem::WrongCategory {
            key: PROVIDER_AUTH.into(),
            source: "the workspace".into()
        }));
        assert!(
            text.iter()
                .any(|t| t.contains("\"TFC_AWS_RUN_ROLE_ARM\"")
                    && t.contains("TFC_AWS_RUN_ROLE_ARN")),
            "{text:?}"
        );
        assert!(text.iter().any(|t| t.contains("\"tfc_aws_provider_auth\"")));
        assert!(c
            .problems
            .iter()
            .any(|p| matches!(p, VariableProblem::RoleArnMissing { .. })));
    }

    #[test]
    fn static_keys_are_a_warning_only() {
        let mut key = env("AWS_ACCESS_KEY_ID", "AKIA");
        key.source = VariableSource::VariableSet {
            id: "varset-1".into(),
            name: "legacy".into(),
            reach: Reach::Workspace,
            priority: false,
        };
        let vars = [
            env(PROVIDER_AUTH, "true"),
            env("TFC_AWS_RUN_ROLE_ARN", ARN),
            key,
        ];
        let c = credential_config(&vars, "plan");
        assert!(c.enabled());
        assert!(c.problems[0].describe().contains("variable set legacy"));
    }

    #[test]
    fn arns() {
        assert_eq!(role_name_of(ARN), Some("tfc-acme"));
        assert_eq!(
            role_name_of("arn:aws:iam::123456789012:role/path/to/r"),
            Some("r")
        );
        assert_eq!(role_name_of("arn:aws:iam::123456789012:user/r"), None);
        assert_eq!(role_name_of("arn:aws:iam::12:role/r"), None);
        assert_eq!(account_of(ARN), Some("123456789012"));
        assert_eq!(edit_distance("kitten", "sitting"), 3);
    }
}
