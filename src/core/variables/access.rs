//! How a workspace reaches AWS, read from the variables its runs get: the single answer the
//! wizard's badges, `migrate` and `review` all use.
//!
//! - **OIDC** (HashiCorp's "Use dynamic credentials with the AWS provider"): env variables
//!   `TFC_AWS_PROVIDER_AUTH=true` and a role ARN (`TFC_AWS_RUN_ROLE_ARN`, or both
//!   `TFC_AWS_PLAN_ROLE_ARN` and `TFC_AWS_APPLY_ROLE_ARN`), optionally
//!   `TFC_AWS_WORKLOAD_IDENTITY_AUDIENCE`. Each may carry a `_TAG` suffix for an additional
//!   configuration; `TFC_DEFAULT_AWS_*` forms (not for `PROVIDER_AUTH`) supply a value every
//!   configuration uses unless it sets its own.
//! - **Static keys**: env variables `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`,
//!   `AWS_SESSION_TOKEN`, each from the workspace or a variable set.

use super::effective::{EffectiveVariable, VariableSource};
use crate::core::answers::DEFAULT_AUDIENCE;
use crate::core::inventory::WorkspaceEntry;
use crate::core::ports::{Variable, VariableCategory};
use crate::core::trust::Phase;
use crate::core::variables::dynamic_vars::{self, VarKind};
use serde::Serialize;

/// The static key variables the AWS provider reads, in the order they are reported.
pub use crate::core::variables::dynamic_vars::STATIC_KEYS;

/// Whether a variable is a static AWS key variable (env category), wherever it is defined.
pub fn is_static_key(v: &Variable) -> bool {
    v.category == VariableCategory::Env && STATIC_KEYS.contains(&v.key.as_str())
}

/// One variable that decides something, and where the run gets it from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Setting {
    pub key: String,
    /// `None` when the variable is sensitive (its value is never read).
    pub value: Option<String>,
    pub source: VariableSource,
}

impl Setting {
    fn of(e: &EffectiveVariable) -> Setting {
        Setting {
            key: e.variable.key.clone(),
            value: e.variable.value.clone(),
            source: e.source.clone(),
        }
    }
}

/// One dynamic-credentials configuration: the default one (`tag: None`) or a tagged one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OidcConfiguration {
    pub tag: Option<String>,
    pub provider_auth: Option<Setting>,
    /// Each falls back to its `TFC_DEFAULT_AWS_*` form.
    pub run_role_arn: Option<Setting>,
    pub plan_role_arn: Option<Setting>,
    pub apply_role_arn: Option<Setting>,
    pub audience: Option<Setting>,
}

impl OidcConfiguration {
    fn new(tag: Option<String>) -> OidcConfiguration {
        OidcConfiguration {
            tag,
            provider_auth: None,
            run_role_arn: None,
            plan_role_arn: None,
            apply_role_arn: None,
            audience: None,
        }
    }

    /// `TFC_AWS_PROVIDER_AUTH[_TAG]` is `true` (any case). A sensitive one counts as on: its
    /// value cannot be read, and nobody hides a `false`.
    pub fn enabled(&self) -> bool {
        self.provider_auth.as_ref().is_some_and(|s| {
            s.value
                .as_deref()
                .is_none_or(|v| v.trim().eq_ignore_ascii_case("true"))
        })
    }

    /// The role a plan assumes: the plan role, else the run role.
    pub fn plan_role(&self) -> Option<&Setting> {
        self.plan_role_arn.as_ref().or(self.run_role_arn.as_ref())
    }

    /// The role an apply assumes: the apply role, else the run role.
    pub fn apply_role(&self) -> Option<&Setting> {
        self.apply_role_arn.as_ref().or(self.run_role_arn.as_ref())
    }

    /// The role a run of `phase` assumes (the phase's role, else the run role; for
    /// [`Phase::Run`], the run role alone).
    pub fn role_for(&self, phase: Phase) -> Option<&Setting> {
        match phase {
            Phase::Run => self.run_role_arn.as_ref(),
            Phase::Plan => self.plan_role(),
            Phase::Apply => self.apply_role(),
        }
    }

    /// The `aud` the token carries: the audience variable's value, else the default.
    pub fn audience_value(&self) -> String {
        self.audience
            .as_ref()
            .and_then(|s| s.value.clone())
            .filter(|v| !v.trim().is_empty())
            .unwrap_or_else(|| DEFAULT_AUDIENCE.to_string())
    }

    /// `` or ` (tag PROD)`, for messages.
    pub fn label(&self) -> String {
        self.tag
            .as_ref()
            .map_or_else(String::new, |t| format!(" (tag {t})"))
    }

    /// Some role ARN variable (run, plan or apply) is there.
    pub fn has_any_role(&self) -> bool {
        self.run_role_arn.is_some() || self.plan_role_arn.is_some() || self.apply_role_arn.is_some()
    }

    /// Both phases have a role.
    pub fn has_roles(&self) -> bool {
        self.plan_role().is_some() && self.apply_role().is_some()
    }

    /// Enabled and both phases have a role: runs will ask AWS for credentials.
    pub fn is_complete(&self) -> bool {
        self.enabled() && self.has_roles()
    }

    /// The variable key of `kind` in this configuration (`TFC_AWS_…[_TAG]`).
    pub fn key(&self, kind: VarKind) -> String {
        dynamic_vars::name(kind, self.tag.as_deref())
    }
}

/// A static key variable a run gets.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StaticKey {
    /// One of [`STATIC_KEYS`].
    pub key: String,
    pub source: VariableSource,
    /// The access key id, when this is a readable `AWS_ACCESS_KEY_ID`.
    pub value: Option<String>,
}

/// How a workspace's runs reach AWS today.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Default)]
pub struct AwsAccess {
    /// Every configuration some variable speaks of: the default one first, then by tag.
    pub configurations: Vec<OidcConfiguration>,
    /// The static key variables, in [`STATIC_KEYS`] order.
    pub static_keys: Vec<StaticKey>,
}

impl AwsAccess {
    /// Some configuration has `TFC_AWS_PROVIDER_AUTH[_TAG]` on.
    pub fn oidc_enabled(&self) -> bool {
        self.configurations.iter().any(OidcConfiguration::enabled)
    }

    /// The untagged configuration, if any variable speaks of it.
    pub fn default_configuration(&self) -> Option<&OidcConfiguration> {
        self.configurations.iter().find(|c| c.tag.is_none())
    }

    pub fn has_static_keys(&self) -> bool {
        !self.static_keys.is_empty()
    }

    /// Where the static keys come from: `AWS_ACCESS_KEY_ID`'s source, else the first key's.
    pub fn static_key_source(&self) -> Option<&VariableSource> {
        self.static_keys
            .iter()
            .find(|k| k.key == STATIC_KEYS[0])
            .or(self.static_keys.first())
            .map(|k| &k.source)
    }

    /// Every place static keys come from, each once, in key order.
    pub fn static_key_sources(&self) -> Vec<&VariableSource> {
        let mut out: Vec<&VariableSource> = Vec::new();
        for k in &self.static_keys {
            if !out.contains(&&k.source) {
                out.push(&k.source);
            }
        }
        out
    }
}

/// How `workspace` reaches AWS, from its effective variables.
pub fn aws_access(workspace: &WorkspaceEntry) -> AwsAccess {
    aws_access_of(&workspace.effective)
}

/// How a run with these effective variables reaches AWS (only env variables count).
pub fn aws_access_of(effective: &[EffectiveVariable]) -> AwsAccess {
    let env: Vec<&EffectiveVariable> = effective
        .iter()
        .filter(|e| e.variable.category == VariableCategory::Env)
        .collect();
    let find = |key: &str| {
        env.iter()
            .find(|e| e.variable.key == key)
            .map(|e| Setting::of(e))
    };

    // `TFC_DEFAULT_*` keys only fill in, so they name no configuration by themselves.
    let mut tags: Vec<Option<String>> = Vec::new();
    for e in &env {
        if let Some((_, tag)) = dynamic_vars::parse(&e.variable.key) {
            if !tags.contains(&tag) {
                tags.push(tag);
            }
        }
    }
    tags.sort();
    let configurations = tags
        .into_iter()
        .map(|tag| {
            let mut c = OidcConfiguration::new(tag);
            let own_or_default = |kind: VarKind| {
                find(&c.key(kind))
                    .or_else(|| dynamic_vars::default_name(kind).and_then(|d| find(&d)))
            };
            let (run, plan, apply, aud) = (
                own_or_default(VarKind::RoleArn(Phase::Run)),
                own_or_default(VarKind::RoleArn(Phase::Plan)),
                own_or_default(VarKind::RoleArn(Phase::Apply)),
                own_or_default(VarKind::Audience),
            );
            // No TFC_DEFAULT_ form of PROVIDER_AUTH exists.
            c.provider_auth = find(&c.key(VarKind::ProviderAuth));
            (
                c.run_role_arn,
                c.plan_role_arn,
                c.apply_role_arn,
                c.audience,
            ) = (run, plan, apply, aud);
            c
        })
        .collect();

    let static_keys = STATIC_KEYS
        .iter()
        .filter_map(|key| find(key))
        .map(|s| StaticKey {
            value: s.value.clone().filter(|_| s.key == STATIC_KEYS[0]),
            key: s.key,
            source: s.source,
        })
        .collect();
    AwsAccess {
        configurations,
        static_keys,
    }
}

/// The configuration tagged `tag` (`None`: the default one), if any variable speaks of it.
pub fn configuration<'a>(
    access: &'a AwsAccess,
    tag: Option<&str>,
) -> Option<&'a OidcConfiguration> {
    access
        .configurations
        .iter()
        .find(|c| c.tag.as_deref() == tag)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::ports::Variable;
    use crate::core::variables::dynamic_vars::{
        APPLY_ROLE_ARN, PLAN_ROLE_ARN, PROVIDER_AUTH, RUN_ROLE_ARN,
    };
    use crate::core::variables::Reach;

    fn var(key: &str, value: Option<&str>, source: VariableSource) -> EffectiveVariable {
        EffectiveVariable {
            variable: Variable {
                id: format!("var-{key}"),
                key: key.into(),
                value: value.map(str::to_owned),
                description: None,
                category: VariableCategory::Env,
                sensitive: value.is_none(),
                hcl: false,
            },
            source,
        }
    }

    fn ws(key: &str, value: &str) -> EffectiveVariable {
        var(key, Some(value), VariableSource::Workspace)
    }

    fn set(name: &str) -> VariableSource {
        VariableSource::VariableSet {
            id: format!("varset-{name}"),
            name: name.into(),
            reach: Reach::Project,
            priority: false,
        }
    }

    #[test]
    fn nothing_at_all() {
        let a = aws_access_of(&[ws("AWS_REGION", "eu-west-1")]);
        assert_eq!(a, AwsAccess::default());
        assert!(!a.oidc_enabled() && !a.has_static_keys());
    }

    #[test]
    fn the_default_configuration_with_a_run_role() {
        let a = aws_access_of(&[
            ws(PROVIDER_AUTH, "TRUE"),
            ws(RUN_ROLE_ARN, "arn:aws:iam::1:role/r"),
        ]);
        let c = a.default_configuration().unwrap();
        assert!(c.enabled() && c.is_complete());
        assert_eq!(
            c.plan_role().unwrap().value.as_deref(),
            Some("arn:aws:iam::1:role/r")
        );
        assert_eq!(c.audience, None);
        assert!(a.oidc_enabled());
    }

    #[test]
    fn split_roles_and_the_default_forms() {
        let a = aws_access_of(&[
            ws(PROVIDER_AUTH, "true"),
            ws("TFC_DEFAULT_AWS_PLAN_ROLE_ARN", "plan"),
            ws(APPLY_ROLE_ARN, "apply"),
            ws("TFC_DEFAULT_AWS_APPLY_ROLE_ARN", "ignored"),
        ]);
        let c = a.default_configuration().unwrap();
        assert_eq!(c.plan_role().unwrap().key, "TFC_DEFAULT_AWS_PLAN_ROLE_ARN");
        assert_eq!(c.apply_role().unwrap().value.as_deref(), Some("apply"));
        assert!(c.is_complete());
        // Only the plan role: not complete.
        let a = aws_access_of(&[ws(PROVIDER_AUTH, "true"), ws(PLAN_ROLE_ARN, "plan")]);
        assert!(!a.configurations[0].is_complete());
    }

    #[test]
    fn tagged_configurations_half_set_ones_and_non_tags() {
        let a = aws_access_of(&[
            ws("TFC_AWS_PROVIDER_AUTH_PROD", "true"),
            ws("TFC_DEFAULT_AWS_RUN_ROLE_ARN", "shared"),
            ws("TFC_AWS_RUN_ROLE_ARN_DEV", "dev"),
            ws("TFC_AWS_PROVIDER_AUTH_TYPE", "true"),
            ws("TFC_AWS_PROVIDER_AUTHX", "true"),
            ws("TFC_AWS_PROVIDER_AUTH_BAD-TAG", "true"),
        ]);
        let tags: Vec<_> = a.configurations.iter().map(|c| c.tag.as_deref()).collect();
        assert_eq!(tags, [Some("DEV"), Some("PROD")]);
        let dev = &a.configurations[0];
        assert!(!dev.enabled() && dev.has_roles());
        assert_eq!(
            dev.run_role_arn.as_ref().unwrap().value.as_deref(),
            Some("dev")
        );
        let prod = &a.configurations[1];
        assert!(prod.is_complete());
        assert_eq!(
            prod.run_role_arn.as_ref().unwrap().key,
            "TFC_DEFAULT_AWS_RUN_ROLE_ARN"
        );
        assert_eq!(
            prod.key(VarKind::Audience),
            "TFC_AWS_WORKLOAD_IDENTITY_AUDIENCE_PROD"
        );
        assert!(a.default_configuration().is_none());
        assert_eq!(configuration(&a, Some("PROD")), Some(prod));
        assert_eq!(prod.label(), " (tag PROD)");
    }

    #[test]
    fn roles_per_phase_and_the_audience() {
        let a = aws_access_of(&[
            ws(PROVIDER_AUTH, "true"),
            ws(RUN_ROLE_ARN, "run"),
            ws(PLAN_ROLE_ARN, "plan"),
            ws("TFC_DEFAULT_AWS_WORKLOAD_IDENTITY_AUDIENCE", " "),
        ]);
        let c = a.default_configuration().unwrap();
        assert_eq!(
            c.role_for(Phase::Plan).unwrap().value.as_deref(),
            Some("plan")
        );
        assert_eq!(
            c.role_for(Phase::Apply).unwrap().value.as_deref(),
            Some("run")
        );
        assert_eq!(
            c.role_for(Phase::Run).unwrap().value.as_deref(),
            Some("run"),
            "the run phase's role is the run role alone"
        );
        assert_eq!(
            c.audience_value(),
            DEFAULT_AUDIENCE,
            "a blank audience is the default"
        );
        assert_eq!(c.label(), "");
        assert!(c.has_any_role());
        assert_eq!(Phase::Apply.role_kind(), VarKind::RoleArn(Phase::Apply));
        let a = aws_access_of(&[ws("TFC_AWS_WORKLOAD_IDENTITY_AUDIENCE_X", "aud-x")]);
        assert_eq!(a.configurations[0].audience_value(), "aud-x");
    }

    #[test]
    fn static_key_variables() {
        let mut v = ws("AWS_SESSION_TOKEN", "t").variable;
        assert!(is_static_key(&v));
        v.category = VariableCategory::Terraform;
        assert!(!is_static_key(&v));
    }

    #[test]
    fn provider_auth_values() {
        let on = |v: Option<&str>| {
            aws_access_of(&[var(PROVIDER_AUTH, v, VariableSource::Workspace)]).oidc_enabled()
        };
        assert!(on(Some(" true ")) && on(None));
        assert!(!on(Some("false")) && !on(Some("1")));
    }

    #[test]
    fn static_keys_and_where_they_come_from() {
        let legacy = set("legacy");
        let a = aws_access_of(&[
            var("AWS_SECRET_ACCESS_KEY", None, legacy.clone()),
            var("AWS_ACCESS_KEY_ID", Some("AKIA1"), legacy.clone()),
            ws("AWS_SESSION_TOKEN", "tok"),
            ws(PROVIDER_AUTH, "true"),
        ]);
        let keys: Vec<_> = a.static_keys.iter().map(|k| k.key.as_str()).collect();
        assert_eq!(keys, STATIC_KEYS);
        assert_eq!(a.static_keys[0].value.as_deref(), Some("AKIA1"));
        assert_eq!(
            a.static_keys[2].value, None,
            "only the key id's value is kept"
        );
        assert_eq!(a.static_key_source(), Some(&legacy));
        assert_eq!(
            a.static_key_sources(),
            [&legacy, &VariableSource::Workspace]
        );
        assert!(a.oidc_enabled() && a.has_static_keys());
        // Without a key id, the first key's source.
        let a = aws_access_of(&[ws("AWS_SECRET_ACCESS_KEY", "s")]);
        assert_eq!(a.static_key_source(), Some(&VariableSource::Workspace));
    }

    #[test]
    fn terraform_variables_do_not_count() {
        let mut tf = ws("AWS_ACCESS_KEY_ID", "AKIA1");
        tf.variable.category = VariableCategory::Terraform;
        assert_eq!(aws_access_of(&[tf]), AwsAccess::default());
    }
}
