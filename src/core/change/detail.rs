//! The lines under a change's summary in a plan, typed so a front can draw each kind its own
//! way (the wizard wraps trust subjects at their `:` separators) without parsing text back.
//! `Display` gives the line the plan prints.

use std::fmt;

/// One line under a change's summary.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Detail {
    /// A subject the trust of a role being created admits: `trusts X`.
    Trusts(String),
    /// A subject added to an existing role's trust: `+ trusts X`.
    AddsTrust(String),
    /// A subject taken out of a role's trust: `- trusts X`.
    RemovesTrust(String),
    /// A role that already trusts the provider being created, and starts admitting runs again
    /// (its label names the findings against it): `re-arms role X`.
    ReArms(String),
    /// The permissions boundary of a role being created: `permissions boundary ARN`.
    Boundary(String),
    /// Anything else, shown as it is.
    Text(String),
}

impl fmt::Display for Detail {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        match self {
            Detail::Trusts(subject) => write!(f, "trusts {subject}"),
            Detail::AddsTrust(subject) => write!(f, "+ trusts {subject}"),
            Detail::RemovesTrust(subject) => write!(f, "- trusts {subject}"),
            Detail::ReArms(role) => write!(f, "re-arms role {role}"),
            Detail::Boundary(arn) => write!(f, "permissions boundary {arn}"),
            Detail::Text(text) => f.write_str(text),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Detail;

    #[test]
    fn each_detail_prints_the_line_plans_always_printed() {
        let sub = "organization:acme:project:p:workspace:w:run_phase:*";
        assert_eq!(
            Detail::Trusts(sub.into()).to_string(),
            format!("trusts {sub}")
        );
        assert_eq!(
            Detail::AddsTrust(sub.into()).to_string(),
            format!("+ trusts {sub}")
        );
        assert_eq!(
            Detail::RemovesTrust(sub.into()).to_string(),
            format!("- trusts {sub}")
        );
        assert_eq!(
            Detail::ReArms("ci (TFCOIDC001 critical)".into()).to_string(),
            "re-arms role ci (TFCOIDC001 critical)"
        );
        assert_eq!(
            Detail::Boundary("arn:aws:iam::1:policy/b".into()).to_string(),
            "permissions boundary arn:aws:iam::1:policy/b"
        );
        assert_eq!(Detail::Text("as is".into()).to_string(), "as is");
    }
}
