//! Tests of the workspaces screen: the badge every listed workspace gets from the inventory.

use super::*;
use crate::core::ports::{Variable, VariableCategory};
use crate::core::variables::access::aws_access_of;
use crate::core::variables::{EffectiveVariable, Reach, VariableSource};

fn ws(id: &str, name: &str) -> Workspace {
    Workspace {
        id: id.into(),
        name: name.into(),
        project_id: "prj-1".into(),
        project_name: Some("p".into()),
        organization: Some("o".into()),
    }
}

fn env(key: &str, value: &str, source: VariableSource) -> EffectiveVariable {
    EffectiveVariable {
        variable: Variable {
            id: format!("var-{key}"),
            key: key.into(),
            value: Some(value.into()),
            description: None,
            category: VariableCategory::Env,
            sensitive: false,
            hcl: false,
        },
        source,
    }
}

#[test]
fn every_listed_workspace_gets_a_badge_from_the_inventory() {
    let mut step = WorkspacesStep::new();
    step.enter("o", "p", "prj-1");
    let effects = step.on_loaded(
        "prj-1",
        Ok(vec![ws("ws-1", "a"), ws("ws-2", "b"), ws("ws-3", "c")]),
    );
    assert!(matches!(&effects[..], [Effect::LoadBadges { project, .. }] if project == "p"));
    assert!(step.badges_pending());
    step.on_access("prj-other", Ok(vec![]));
    assert!(step.badges_pending(), "another project's answer is ignored");

    let legacy = VariableSource::VariableSet {
        id: "varset-1".into(),
        name: "legacy".into(),
        reach: Reach::Workspace,
        priority: false,
    };
    let keys = aws_access_of(&[
        env("AWS_ACCESS_KEY_ID", "AKIA1", legacy),
        env(
            "TFC_AWS_PROVIDER_AUTH_PROD",
            "true",
            VariableSource::Workspace,
        ),
    ]);
    step.on_access(
        "prj-1",
        Ok(vec![
            ("ws-1".into(), Badge::of(&keys, None)),
            (
                "ws-2".into(),
                Badge::of(&crate::core::variables::AwsAccess::default(), None),
            ),
        ]),
    );
    assert!(!step.badges_pending());
    assert_eq!(
        step.badge("a"),
        Some(&Badge::Both(KeyOrigin::VariableSet("legacy".into())))
    );
    assert_eq!(step.badge("b"), Some(&Badge::Nothing));
    assert!(matches!(step.badge("c"), Some(Badge::Unknown(_))));

    let down = InventoryError::Tfc {
        action: "list the variable sets",
        source: TfcError::Server {
            status: 503,
            detail: "down".into(),
        },
    };
    step.on_access("prj-1", Err(down));
    assert!(matches!(step.badge("a"), Some(Badge::Unknown(e)) if e.contains("503")));
}
