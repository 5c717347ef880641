//! The role name pattern the wizard remembers: the last role name with its organization and
//! project replaced by `{org}` and `{project}` (`oidc-acme-platform-runner` →
//! `oidc-{org}-{project}-runner`), so the next run prefills the name for the organization and
//! project chosen then.

use crate::core::names::{self, ROLE_NAME_MAX};

const ORG: &str = "{org}";
const PROJECT: &str = "{project}";

/// How `part` (an organization or project) appears in role names: lowercase, sanitised as
/// `default_role_name` does. None when nothing of it would survive sanitising.
fn token(part: &str) -> Option<String> {
    part.chars()
        .any(|c| c.is_ascii_alphanumeric())
        .then(|| names::sanitize_role_name(&part.to_lowercase(), ROLE_NAME_MAX))
}

/// The pattern of `role_name` chosen for `org`/`project`. None for the default name (nothing to
/// remember) and for a name holding neither the organization nor the project (a fixed name is not
/// a pattern). Only whole words count (delimited by the ends or by `+=,.@_-`), so a short project
/// such as `a` never matches inside `deploy-account`.
pub fn derive_pattern(role_name: &str, org: &str, project: &str) -> Option<String> {
    if role_name == names::default_role_name(org, project)
        || names::validate_role_name(role_name).is_err()
    {
        return None;
    }
    let (org, project) = (token(org)?, token(project)?);
    // The longer first, so organization `acme` never eats the start of project `acme-data`.
    let mut tokens = [(org.as_str(), ORG), (project.as_str(), PROJECT)];
    tokens.sort_by_key(|(t, _)| std::cmp::Reverse(t.len()));
    // Valid role names are ASCII: byte offsets are character offsets.
    let bytes = role_name.as_bytes();
    let word_start = |i: usize| i == 0 || !bytes[i - 1].is_ascii_alphanumeric();
    let word_end = |i: usize| i == bytes.len() || !bytes[i].is_ascii_alphanumeric();
    let (mut out, mut i, mut org_seen) = (String::new(), 0, false);
    'scan: while i < bytes.len() {
        if word_start(i) {
            for (text, placeholder) in tokens {
                // Organization and project spelled alike: the first is the organization.
                let placeholder = if org == project && org_seen {
                    PROJECT
                } else {
                    placeholder
                };
                let end = i + text.len();
                if role_name[i..].starts_with(text) && word_end(end) {
                    org_seen |= placeholder == ORG;
                    out.push_str(placeholder);
                    i = end;
                    continue 'scan;
                }
            }
        }
        out.push(bytes[i] as char);
        i += 1;
    }
    (out.contains(ORG) || out.contains(PROJECT)).then_some(out)
}

/// The role name `pattern` gives for `org`/`project`, sanitised and checked against IAM's rules.
/// None when `pattern` has no placeholder (a hand-edited file) or gives no valid name.
pub fn name_from_pattern(pattern: &str, org: &str, project: &str) -> Option<String> {
    if !(pattern.contains(ORG) || pattern.contains(PROJECT)) {
        return None;
    }
    let (org, project) = (token(org)?, token(project)?);
    // One pass over the pattern: a substituted name is never read as a placeholder.
    let mut raw = String::new();
    let mut rest = pattern;
    while let Some(i) = rest.find('{') {
        raw.push_str(&rest[..i]);
        rest = &rest[i..];
        if let Some(after) = rest.strip_prefix(ORG) {
            raw.push_str(&org);
            rest = after;
        } else if let Some(after) = rest.strip_prefix(PROJECT) {
            raw.push_str(&project);
            rest = after;
        } else {
            raw.push('{');
            rest = &rest[1..];
        }
    }
    raw.push_str(rest);
    let name = names::sanitize_role_name(&raw, ROLE_NAME_MAX);
    names::validate_role_name(&name).ok().map(|()| name)
}

/// The name the role step prefills: from the remembered `pattern` when it gives a valid name,
/// else `tfc-<org>-<project>`.
pub fn prefilled_role_name(pattern: Option<&str>, org: &str, project: &str) -> String {
    pattern
        .and_then(|p| name_from_pattern(p, org, project))
        .unwrap_or_else(|| names::default_role_name(org, project))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_custom_name_becomes_a_pattern() {
        let p = derive_pattern("oidc-acme-platform-runner", "acme", "platform");
        assert_eq!(p.as_deref(), Some("oidc-{org}-{project}-runner"));
        // As default_role_name spells them: lowercase, spaces and the like as `-`.
        let p = derive_pattern(
            "iam-default-project-acme-corp",
            "Acme-Corp",
            "Default Project",
        );
        assert_eq!(p.as_deref(), Some("iam-{project}-{org}"));
        // Only one of the two is enough.
        let p = derive_pattern("platform.deployer", "acme", "platform");
        assert_eq!(p.as_deref(), Some("{project}.deployer"));
        let p = derive_pattern("ci_acme", "acme", "platform");
        assert_eq!(p.as_deref(), Some("ci_{org}"));
    }

    #[test]
    fn the_default_and_fixed_names_are_no_pattern() {
        assert_eq!(
            derive_pattern("tfc-acme-platform", "acme", "platform"),
            None
        );
        assert_eq!(derive_pattern("terraform-runner", "acme", "platform"), None);
        assert_eq!(derive_pattern("bad name", "acme", "platform"), None);
        // Parts of words are not the organization or project.
        assert_eq!(derive_pattern("deploy-account", "a", "ploy"), None);
        assert_eq!(derive_pattern("acmeplatform", "acme", "platform"), None);
        // Case matters: role names keep their case, the parts appear in lower case.
        assert_eq!(derive_pattern("OIDC-ACME-runner", "acme", "x"), None);
    }

    #[test]
    fn overlapping_and_equal_parts() {
        let p = derive_pattern("run-acme-data-x", "acme", "acme-data");
        assert_eq!(p.as_deref(), Some("run-{project}-x"));
        let p = derive_pattern("run-acme-acme-data", "acme", "acme-data");
        assert_eq!(p.as_deref(), Some("run-{org}-{project}"));
        let p = derive_pattern("r-ops-ops", "ops", "ops");
        assert_eq!(p.as_deref(), Some("r-{org}-{project}"));
    }

    #[test]
    fn a_pattern_names_the_next_role() {
        let p = "oidc-{org}-{project}-runner";
        assert_eq!(
            name_from_pattern(p, "Globex", "Data Lake").as_deref(),
            Some("oidc-globex-data-lake-runner")
        );
        assert_eq!(
            name_from_pattern("{project}.deployer", "o", "net").as_deref(),
            Some("net.deployer")
        );
        // Sanitised and cut to IAM's 64 characters.
        let long = name_from_pattern(p, &"o".repeat(40), &"p".repeat(40)).unwrap();
        assert_eq!(long.len(), ROLE_NAME_MAX);
        assert!(names::validate_role_name(&long).is_ok());
        assert_eq!(
            name_from_pattern("x{bad}-{org}", "acme", "p").as_deref(),
            Some("x-bad-acme")
        );
        // A hand-edited file without placeholders is not a pattern.
        assert_eq!(name_from_pattern("fixed-name", "acme", "p"), None);
    }

    #[test]
    fn derive_then_apply_gives_the_name_back() {
        for (name, org, project) in [
            ("oidc-acme-platform-runner", "acme", "platform"),
            ("x-default-project", "acme-corp", "Default Project"),
            ("r-ops-ops", "ops", "ops"),
        ] {
            let p = derive_pattern(name, org, project).unwrap();
            assert_eq!(name_from_pattern(&p, org, project).as_deref(), Some(name));
        }
    }

    #[test]
    fn the_prefill_falls_back_to_the_default() {
        assert_eq!(prefilled_role_name(None, "acme", "data"), "tfc-acme-data");
        assert_eq!(
            prefilled_role_name(Some("fixed"), "acme", "data"),
            "tfc-acme-data"
        );
        assert_eq!(
            prefilled_role_name(Some("oidc-{org}-{project}"), "acme", "data"),
            "oidc-acme-data"
        );
    }
}
