//! Non-secret defaults remembered between runs of the wizard (host, organization, project, role
//! name pattern), in `wizard.json` in the config directory. Never a token, and never anything
//! from `--demo`. Unreadable files are ignored.

use crate::core::plan::Plan;
use crate::core::trust::Phase;
use crate::tui::msg::WizardEnd;
use crate::tui::role_pattern;
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

/// What the wizard remembers: these four and nothing else.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Remembered {
    pub host: Option<String>,
    pub organization: Option<String>,
    pub project: Option<String>,
    /// The last role name as a pattern (`oidc-{org}-{project}-runner`), when it was not the
    /// default; see [`role_pattern`].
    pub role_pattern: Option<String>,
}

impl Remembered {
    /// What to remember after a run that ended with `outcome`: nothing for `--demo` or a run that
    /// did not set anything up.
    pub fn after(demo: bool, outcome: &WizardEnd) -> Option<Remembered> {
        match outcome {
            // The first path's choices: the one the user started with.
            WizardEnd::Applied(report) | WizardEnd::NothingToDo(report) if !demo => {
                report.all().next().map(|first| Remembered::of(&first.plan))
            }
            _ => None,
        }
    }

    fn of(plan: &Plan) -> Remembered {
        let role_pattern = base_role_name(plan).and_then(|name| {
            let project = plan.projects.first()?;
            role_pattern::derive_pattern(&name, &plan.organization, project)
        });
        Remembered {
            host: Some(plan.host.clone()),
            organization: Some(plan.organization.clone()),
            project: plan.projects.first().cloned(),
            role_pattern,
        }
    }
}

/// The role name the user chose: the one role, or with split roles the name both derive from.
fn base_role_name(plan: &Plan) -> Option<String> {
    match plan.roles.as_slice() {
        [role] => Some(role.name.clone()),
        roles => roles
            .iter()
            .find(|r| r.phase == Phase::Plan)
            .and_then(|r| r.name.strip_suffix("-plan"))
            .map(str::to_string),
    }
}

fn path() -> Option<PathBuf> {
    crate::dirs::config_dir().map(|d| d.join("wizard.json"))
}

/// The remembered defaults, or none.
pub fn load() -> Remembered {
    path().map(|p| load_from(&p)).unwrap_or_default()
}

fn load_from(path: &Path) -> Remembered {
    std::fs::read_to_string(path)
        .ok()
        .and_then(|text| serde_json::from_str(&text).ok())
        .unwrap_or_default()
}

/// Remembers `defaults`; failures only reach the log (nothing depends on this file).
pub fn save(defaults: &Remembered) {
    if let Some(path) = path() {
        save_to(&path, defaults);
    }
}

fn save_to(path: &Path, defaults: &Remembered) {
    let write = || -> std::io::Result<()> {
        let text = serde_json::to_string_pretty(defaults).map_err(std::io::Error::other)?;
        crate::core::private_files::write_atomic(path, &text)
    };
    if let Err(e) = write() {
        tracing::warn!(path = %path.display(), "cannot remember the wizard's defaults: {e}");
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::plan::{PlannedRole, PlannedVariable, VariableTarget, WorkspaceRef};

    const ARN: &str = "arn:aws:iam::123456789012:role/";

    fn role(name: &str, phase: Phase) -> PlannedRole {
        PlannedRole {
            name: name.into(),
            arn: format!("{ARN}{name}"),
            phase,
            subjects: vec!["organization:acme:project:Data Lake:workspace:etl:run_phase:*".into()],
            exists: false,
        }
    }

    fn plan(roles: Vec<PlannedRole>) -> Plan {
        Plan {
            host: "tfe.example.com".into(),
            organization: "acme".into(),
            projects: vec!["Data Lake".into()],
            account: "123456789012".into(),
            provider_arn: "arn:aws:iam::123456789012:oidc-provider/tfe.example.com".into(),
            variables: vec![PlannedVariable {
                target: VariableTarget::Workspace(WorkspaceRef {
                    id: "ws-1".into(),
                    name: "etl".into(),
                }),
                key: "TFC_AWS_RUN_ROLE_ARN".into(),
                value: format!("{ARN}{}", roles[0].name),
                id: None,
            }],
            roles,
            workspaces: vec![],
            changes: vec![],
            notes: vec![crate::core::plan::Note::info("", "a note")],
            fingerprint: "fp".into(),
            deployment_config: None,
        }
    }

    fn applied(roles: Vec<PlannedRole>) -> WizardEnd {
        WizardEnd::of(vec![crate::tui::report::Configured {
            alias: None,
            plan: plan(roles),
            applied: 3,
            static_keys: vec![],
            still_receiving: None,
            left_on_keys: vec![],
        }])
    }

    #[test]
    fn a_custom_role_name_is_remembered_as_a_pattern() {
        let outcome = applied(vec![role("oidc-acme-data-lake-runner", Phase::Run)]);
        let r = Remembered::after(false, &outcome).unwrap();
        assert_eq!(
            r.role_pattern.as_deref(),
            Some("oidc-{org}-{project}-runner")
        );
        assert_eq!(r.host.as_deref(), Some("tfe.example.com"));
        assert_eq!(r.organization.as_deref(), Some("acme"));
        assert_eq!(r.project.as_deref(), Some("Data Lake"));
        let split = applied(vec![
            role("ci-data-lake-plan", Phase::Plan),
            role("ci-data-lake-apply", Phase::Apply),
        ]);
        let r = Remembered::after(false, &split).unwrap();
        assert_eq!(r.role_pattern.as_deref(), Some("ci-{project}"));
    }

    #[test]
    fn default_and_fixed_names_leave_no_pattern() {
        for roles in [
            vec![role("tfc-acme-data-lake", Phase::Run)],
            vec![
                role("tfc-acme-data-lake-plan", Phase::Plan),
                role("tfc-acme-data-lake-apply", Phase::Apply),
            ],
            vec![role("terraform-runner", Phase::Run)],
        ] {
            let r = Remembered::after(false, &applied(roles)).unwrap();
            assert_eq!(r.role_pattern, None);
        }
    }

    #[test]
    fn nothing_is_remembered_from_the_demo_or_without_a_setup() {
        let outcome = applied(vec![role("oidc-acme-data-lake-runner", Phase::Run)]);
        assert_eq!(Remembered::after(true, &outcome), None);
        assert_eq!(Remembered::after(false, &WizardEnd::Cancelled), None);
        assert_eq!(
            Remembered::after(
                false,
                &WizardEnd::Partial {
                    message: "stopped".into(),
                    earlier: None
                }
            ),
            None
        );
    }

    #[test]
    fn the_file_holds_the_four_defaults_and_nothing_else() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("config").join("wizard.json");
        let outcome = applied(vec![role("oidc-acme-data-lake-runner", Phase::Run)]);
        let r = Remembered::after(false, &outcome).unwrap();
        save_to(&path, &r);
        let text = std::fs::read_to_string(&path).unwrap();
        let json: serde_json::Map<String, serde_json::Value> = serde_json::from_str(&text).unwrap();
        let keys: Vec<&str> = json.keys().map(String::as_str).collect();
        assert_eq!(keys, ["host", "organization", "project", "role_pattern"]);
        assert!(json.values().all(serde_json::Value::is_string), "{text}");
        for leak in ["123456789012", "arn:", "TFC_AWS", "etl", "fp", "note"] {
            assert!(!text.contains(leak), "{leak} in {text}");
        }
        assert_eq!(load_from(&path), r);
    }

    #[test]
    fn old_and_unreadable_files_still_load() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("wizard.json");
        assert_eq!(load_from(&path), Remembered::default());
        std::fs::write(&path, r#"{"host":"h","organization":"o","project":"p"}"#).unwrap();
        let r = load_from(&path);
        assert_eq!((r.host.as_deref(), r.role_pattern), (Some("h"), None));
        std::fs::write(&path, "{not json").unwrap();
        assert_eq!(load_from(&path), Remembered::default());
    }
}
