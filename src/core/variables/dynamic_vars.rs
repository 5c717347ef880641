//! The names of HCP Terraform's AWS dynamic-credential variables, plain or tagged
//! (`TFC_AWS_RUN_ROLE_ARN_STAGING` for the configuration tagged `STAGING`), in one place: setup
//! writes them, migrate and review read them, export renders them.

use crate::core::names::NameError;
use crate::core::trust::Phase;

pub const PROVIDER_AUTH: &str = "TFC_AWS_PROVIDER_AUTH";
pub const RUN_ROLE_ARN: &str = "TFC_AWS_RUN_ROLE_ARN";
pub const PLAN_ROLE_ARN: &str = "TFC_AWS_PLAN_ROLE_ARN";
pub const APPLY_ROLE_ARN: &str = "TFC_AWS_APPLY_ROLE_ARN";
pub const AUDIENCE: &str = "TFC_AWS_WORKLOAD_IDENTITY_AUDIENCE";

/// Static AWS key variables: where they remain, runs keep using them instead of OIDC. In the
/// order they are reported (`AWS_ACCESS_KEY_ID` first: its value names the IAM access key).
pub const STATIC_KEYS: [&str; 3] = [
    "AWS_ACCESS_KEY_ID",
    "AWS_SECRET_ACCESS_KEY",
    "AWS_SESSION_TOKEN",
];

/// What a dynamic-credential variable is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VarKind {
    ProviderAuth,
    RoleArn(Phase),
    Audience,
}

impl VarKind {
    fn base(self) -> &'static str {
        match self {
            VarKind::ProviderAuth => PROVIDER_AUTH,
            VarKind::RoleArn(Phase::Run) => RUN_ROLE_ARN,
            VarKind::RoleArn(Phase::Plan) => PLAN_ROLE_ARN,
            VarKind::RoleArn(Phase::Apply) => APPLY_ROLE_ARN,
            VarKind::Audience => AUDIENCE,
        }
    }

    /// The untagged variable name of this kind.
    pub fn untagged_name(self) -> &'static str {
        self.base()
    }

    /// Every kind, in the order configurations list them.
    pub const ALL: [VarKind; 5] = [
        VarKind::ProviderAuth,
        VarKind::RoleArn(Phase::Run),
        VarKind::RoleArn(Phase::Plan),
        VarKind::RoleArn(Phase::Apply),
        VarKind::Audience,
    ];
}

/// The variable name of `kind` for the configuration `tag` (`None`: the default one).
pub fn name(kind: VarKind, tag: Option<&str>) -> String {
    match tag {
        Some(t) => format!("{}_{t}", kind.base()),
        None => kind.base().to_string(),
    }
}

/// The `TFC_DEFAULT_AWS_…` form of `kind`, which fills in for every configuration that does not
/// set its own; `None` for `PROVIDER_AUTH`, which has no default form.
pub fn default_name(kind: VarKind) -> Option<String> {
    (kind != VarKind::ProviderAuth).then(|| {
        let base = kind.base();
        format!("TFC_DEFAULT_{}", base.strip_prefix("TFC_").unwrap_or(base))
    })
}

/// The kind a `TFC_DEFAULT_AWS_…` name stands for.
pub fn parse_default(key: &str) -> Option<VarKind> {
    VarKind::ALL
        .into_iter()
        .find(|k| default_name(*k).as_deref() == Some(key))
}

/// Whether `key` names a role ARN of any configuration: plain, tagged or `TFC_DEFAULT_` form.
pub fn is_role_arn_key(key: &str) -> bool {
    let kind = parse(key).map(|(k, _)| k).or_else(|| parse_default(key));
    matches!(kind, Some(VarKind::RoleArn(_)))
}

/// Every untagged name HCP Terraform reads for AWS: the five plain ones and the four
/// `TFC_DEFAULT_` forms.
pub fn untagged_names() -> Vec<String> {
    let plain = VarKind::ALL.into_iter().map(|k| name(k, None));
    plain
        .chain(VarKind::ALL.into_iter().filter_map(default_name))
        .collect()
}

/// Reads a variable name back: its kind and tag. `TFC_AWS_RUN_ROLE_ARN_PROD` →
/// `(RoleArn(Run), Some("PROD"))`. The longest base wins, so `TFC_AWS_PROVIDER_AUTH` is never
/// read as a tag of something shorter.
pub fn parse(key: &str) -> Option<(VarKind, Option<String>)> {
    let mut best: Option<(VarKind, Option<String>)> = None;
    for kind in VarKind::ALL {
        let base = kind.base();
        if key == base {
            return Some((kind, None));
        }
        if let Some(tag) = key.strip_prefix(base).and_then(|r| r.strip_prefix('_')) {
            if validate_alias_tag(tag).is_ok() {
                best = Some((kind, Some(tag.to_string())));
            }
        }
    }
    best
}

/// HCP Terraform's rule for tags: letters, digits and `_`, and not the reserved word `TYPE`.
pub fn validate_alias_tag(tag: &str) -> Result<(), NameError> {
    let bad = |reason: &str| NameError {
        what: "alias tag",
        value: tag.to_string(),
        reason: reason.into(),
    };
    if tag.is_empty() {
        return Err(bad("it is empty"));
    }
    if !tag.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
        return Err(bad("use letters, digits and '_' only"));
    }
    if tag.eq_ignore_ascii_case("TYPE") {
        return Err(bad("TYPE is reserved by HCP Terraform"));
    }
    Ok(())
}

/// The Terraform a configuration needs once tagged configurations exist: the input variable
/// HCP Terraform fills in, and a provider block per configuration (the default one included,
/// since it too must then be mapped through the variable).
pub fn terraform_for_tags(tags: &[String]) -> String {
    let mut out = String::from(
        r#"variable "tfc_aws_dynamic_credentials" {
  description = "Object containing AWS dynamic credentials configuration"
  type = object({
    default = object({
      shared_config_file = string
    })
    aliases = map(object({
      shared_config_file = string
    }))
  })
}

provider "aws" {
  shared_config_files = [var.tfc_aws_dynamic_credentials.default.shared_config_file]
}
"#,
    );
    for tag in tags {
        out.push_str(&format!(
            r#"
provider "aws" {{
  alias               = "{tag}"
  shared_config_files = [var.tfc_aws_dynamic_credentials.aliases["{tag}"].shared_config_file]
}}
"#
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_parsing() {
        assert_eq!(
            name(VarKind::ProviderAuth, Some("STAGING")),
            "TFC_AWS_PROVIDER_AUTH_STAGING"
        );
        assert_eq!(
            name(VarKind::RoleArn(Phase::Plan), None),
            "TFC_AWS_PLAN_ROLE_ARN"
        );
        assert_eq!(
            parse("TFC_AWS_RUN_ROLE_ARN_prod_2"),
            Some((VarKind::RoleArn(Phase::Run), Some("prod_2".into())))
        );
        assert_eq!(
            parse("TFC_AWS_PROVIDER_AUTH"),
            Some((VarKind::ProviderAuth, None))
        );
        assert_eq!(
            parse("TFC_AWS_WORKLOAD_IDENTITY_AUDIENCE_X"),
            Some((VarKind::Audience, Some("X".into())))
        );
        assert_eq!(parse("AWS_REGION"), None);
        assert_eq!(default_name(VarKind::ProviderAuth), None);
        assert_eq!(
            default_name(VarKind::Audience).as_deref(),
            Some("TFC_DEFAULT_AWS_WORKLOAD_IDENTITY_AUDIENCE")
        );
        assert_eq!(
            parse_default("TFC_DEFAULT_AWS_RUN_ROLE_ARN"),
            Some(VarKind::RoleArn(Phase::Run))
        );
        assert_eq!(parse_default("TFC_DEFAULT_AWS_PROVIDER_AUTH"), None);
        assert!(is_role_arn_key("TFC_DEFAULT_AWS_PLAN_ROLE_ARN"));
        assert!(is_role_arn_key("TFC_AWS_APPLY_ROLE_ARN_B"));
        assert!(!is_role_arn_key("TFC_AWS_PROVIDER_AUTH"));
        assert!(!is_role_arn_key(
            "TFC_DEFAULT_AWS_WORKLOAD_IDENTITY_AUDIENCE"
        ));
        assert_eq!(untagged_names().len(), 9);
    }

    #[test]
    fn tags_follow_hcp_terraforms_rule() {
        assert!(validate_alias_tag("STAGING_2").is_ok());
        assert!(validate_alias_tag("TYPE").is_err());
        assert!(validate_alias_tag("a-b").is_err());
        assert!(validate_alias_tag("").is_err());
        let hcl = terraform_for_tags(&["STAGING".into()]);
        assert!(hcl.contains(r#"aliases["STAGING"]"#));
    }
}
