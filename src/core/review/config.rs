//! How a workspace reaches AWS, read from its effective variables: static keys, and each
//! dynamic-credentials configuration (the default one and every `_TAG` one) with its
//! `PROVIDER_AUTH`, role ARNs per phase and audience, each with the place it comes from.
//!
//! Variable names from HashiCorp's AWS dynamic credentials page: `TFC_AWS_PROVIDER_AUTH[_TAG]`,
//! `TFC_AWS_RUN_ROLE_ARN[_TAG]`, `TFC_AWS_PLAN_ROLE_ARN[_TAG]`, `TFC_AWS_APPLY_ROLE_ARN[_TAG]`,
//! `TFC_AWS_WORKLOAD_IDENTITY_AUDIENCE[_TAG]`; `TFC_DEFAULT_AWS_*` (not for `PROVIDER_AUTH`)
//! supplies a value to every configuration that does not set its own. Plan and apply role ARNs
//! fall back to the run role ARN.

use crate::core::answers::DEFAULT_AUDIENCE;
use crate::core::inventory::{EffectiveVariable, WorkspaceEntry};
use crate::core::ports::VariableCategory;

/// The static key variables.
pub const STATIC_KEY_VARIABLES: [&str; 3] = [
    "AWS_ACCESS_KEY_ID",
    "AWS_SECRET_ACCESS_KEY",
    "AWS_SESSION_TOKEN",
];

const PREFIX: &str = "TFC_AWS_";
const DEFAULT_PREFIX: &str = "TFC_DEFAULT_AWS_";
const PROVIDER_AUTH: &str = "PROVIDER_AUTH";
const RUN_ROLE: &str = "RUN_ROLE_ARN";
const PLAN_ROLE: &str = "PLAN_ROLE_ARN";
const APPLY_ROLE: &str = "APPLY_ROLE_ARN";
const AUDIENCE: &str = "WORKLOAD_IDENTITY_AUDIENCE";
const SETTINGS: [&str; 5] = [PROVIDER_AUTH, RUN_ROLE, PLAN_ROLE, APPLY_ROLE, AUDIENCE];

/// A run phase, as the token's `run_phase` spells it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum RunPhase {
    Plan,
    Apply,
}

impl RunPhase {
    pub const BOTH: [RunPhase; 2] = [RunPhase::Plan, RunPhase::Apply];

    pub fn as_str(self) -> &'static str {
        match self {
            RunPhase::Plan => "plan",
            RunPhase::Apply => "apply",
        }
    }
}

impl std::fmt::Display for RunPhase {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One dynamic-credentials configuration of a workspace.
#[derive(Debug, Clone, PartialEq)]
pub struct AwsConfig<'a> {
    /// `None` for the default configuration, else the tag (`TFC_AWS_PROVIDER_AUTH_<TAG>`).
    pub tag: Option<String>,
    pub provider_auth: Option<&'a EffectiveVariable>,
    pub run_role: Option<&'a EffectiveVariable>,
    pub plan_role: Option<&'a EffectiveVariable>,
    pub apply_role: Option<&'a EffectiveVariable>,
    pub audience: Option<&'a EffectiveVariable>,
}

impl<'a> AwsConfig<'a> {
    /// `TFC_AWS_<SETTING>` or `TFC_AWS_<SETTING>_<TAG>`.
    pub fn key(&self, setting: &str) -> String {
        match &self.tag {
            None => format!("{PREFIX}{setting}"),
            Some(t) => format!("{PREFIX}{setting}_{t}"),
        }
    }

    /// Whether HCP Terraform will fetch credentials: `PROVIDER_AUTH` is `true`.
    pub fn enabled(&self) -> bool {
        self.provider_auth
            .and_then(|v| v.variable.value.as_deref())
            .is_some_and(|v| v.trim().eq_ignore_ascii_case("true"))
    }

    /// The variable naming the role a run of `phase` assumes (phase-specific, else the run role).
    pub fn role_for(&self, phase: RunPhase) -> Option<&'a EffectiveVariable> {
        let specific = match phase {
            RunPhase::Plan => self.plan_role,
            RunPhase::Apply => self.apply_role,
        };
        specific.or(self.run_role)
    }

    /// Any role ARN variable at all.
    pub fn has_role(&self) -> bool {
        self.run_role.is_some() || self.plan_role.is_some() || self.apply_role.is_some()
    }

    /// The `aud` the token carries.
    pub fn audience_value(&self) -> String {
        self.audience
            .and_then(|v| v.variable.value.clone())
            .filter(|v| !v.trim().is_empty())
            .unwrap_or_else(|| DEFAULT_AUDIENCE.to_string())
    }

    /// `` or ` (tag PROD)`, for messages.
    pub fn label(&self) -> String {
        self.tag
            .as_ref()
            .map_or_else(String::new, |t| format!(" (tag {t})"))
    }
}

fn env_vars(ws: &WorkspaceEntry) -> impl Iterator<Item = &EffectiveVariable> {
    ws.effective
        .iter()
        .filter(|e| e.variable.category == VariableCategory::Env)
}

/// The setting and tag a `TFC_AWS_…` key stands for.
fn parse_key(key: &str) -> Option<(&'static str, Option<&str>)> {
    let rest = key.strip_prefix(PREFIX)?;
    for setting in SETTINGS {
        if rest == setting {
            return Some((setting, None));
        }
        if let Some(tag) = rest.strip_prefix(setting).and_then(|t| t.strip_prefix('_')) {
            let valid = !tag.is_empty()
                && tag != "TYPE"
                && tag.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
            return valid.then_some((setting, Some(tag)));
        }
    }
    None
}

/// Every configuration the workspace's variables mention (the default one first, then tags in
/// name order), including half-set ones.
pub fn aws_configs(ws: &WorkspaceEntry) -> Vec<AwsConfig<'_>> {
    let mut tags: Vec<Option<String>> = Vec::new();
    for v in env_vars(ws) {
        if let Some((_, tag)) = parse_key(&v.variable.key) {
            let tag = tag.map(str::to_string);
            if !tags.contains(&tag) {
                tags.push(tag);
            }
        }
    }
    tags.sort();
    let find = |setting: &str, tag: &Option<String>| {
        let own = match tag {
            None => format!("{PREFIX}{setting}"),
            Some(t) => format!("{PREFIX}{setting}_{t}"),
        };
        let fallback = (setting != PROVIDER_AUTH).then(|| format!("{DEFAULT_PREFIX}{setting}"));
        env_vars(ws)
            .find(|v| v.variable.key == own)
            .or_else(|| env_vars(ws).find(|v| Some(&v.variable.key) == fallback.as_ref()))
    };
    tags.into_iter()
        .map(|tag| AwsConfig {
            provider_auth: find(PROVIDER_AUTH, &tag),
            run_role: find(RUN_ROLE, &tag),
            plan_role: find(PLAN_ROLE, &tag),
            apply_role: find(APPLY_ROLE, &tag),
            audience: find(AUDIENCE, &tag),
            tag,
        })
        .collect()
}

/// The static key variables a run of the workspace gets.
pub fn static_keys(ws: &WorkspaceEntry) -> Vec<&EffectiveVariable> {
    env_vars(ws)
        .filter(|v| STATIC_KEY_VARIABLES.contains(&v.variable.key.as_str()))
        .collect()
}

/// Whether a variable key names a role ARN of any configuration (tagged or default form).
pub fn is_role_arn_key(key: &str) -> bool {
    if let Some(rest) = key.strip_prefix(DEFAULT_PREFIX) {
        return [RUN_ROLE, PLAN_ROLE, APPLY_ROLE].contains(&rest);
    }
    matches!(parse_key(key), Some((RUN_ROLE | PLAN_ROLE | APPLY_ROLE, _)))
}

/// The role name of a role ARN (`arn:aws:iam::1:role/path/name` → `name`).
pub fn role_name_of(arn: &str) -> Option<&str> {
    let resource = arn.split(':').nth(5)?;
    resource.strip_prefix("role/")?.rsplit('/').next()
}

/// The account id of an ARN.
pub fn account_of(arn: &str) -> Option<&str> {
    arn.split(':').nth(4).filter(|a| !a.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_and_tags() {
        assert_eq!(
            parse_key("TFC_AWS_PROVIDER_AUTH"),
            Some(("PROVIDER_AUTH", None))
        );
        assert_eq!(
            parse_key("TFC_AWS_RUN_ROLE_ARN_PROD_1"),
            Some(("RUN_ROLE_ARN", Some("PROD_1")))
        );
        assert_eq!(parse_key("TFC_AWS_PROVIDER_AUTH_TYPE"), None);
        assert_eq!(parse_key("TFC_AWS_RUN_ROLE_ARNX"), None);
        assert_eq!(parse_key("AWS_REGION"), None);
        assert!(is_role_arn_key("TFC_DEFAULT_AWS_PLAN_ROLE_ARN"));
        assert!(is_role_arn_key("TFC_AWS_APPLY_ROLE_ARN_B"));
        assert!(!is_role_arn_key("TFC_AWS_PROVIDER_AUTH"));
    }

    #[test]
    fn arns() {
        let arn = "arn:aws:iam::123456789012:role/teams/x/deploy";
        assert_eq!(role_name_of(arn), Some("deploy"));
        assert_eq!(account_of(arn), Some("123456789012"));
        assert_eq!(role_name_of("arn:aws:iam::1:user/u"), None);
        assert_eq!(role_name_of("nonsense"), None);
    }
}
