//! Tests of the findings screen: what `f` starts, and the severity filter.

use super::*;
use crate::core::review::Finding;

fn ws(id: FindingId, workspace: &str) -> Finding {
    let r = ResourceRef::Workspace {
        organization: "acme".into(),
        project: "apps".into(),
        workspace: workspace.into(),
    };
    Finding::new(id, r, "detail")
}

fn step(findings: Vec<Finding>) -> FindingsStep {
    FindingsStep {
        findings,
        ..FindingsStep::default()
    }
}

#[test]
fn the_fixable_findings_start_the_path_that_fixes_them() {
    let fix = |id| step(vec![ws(id, "web")]).fix().map(|f| f.task);
    assert_eq!(fix(FindingId::StaticKeys), Some(Task::Migrate));
    assert_eq!(fix(FindingId::KeysAndOidc), Some(Task::Migrate));
    assert_eq!(fix(FindingId::NoRoleArn), Some(Task::Setup));
    assert_eq!(fix(FindingId::RoleRefusesRun), Some(Task::Setup));
    assert_eq!(fix(FindingId::GlobalRoleArn), None);
    let mut s = step(vec![ws(FindingId::NoRoleArn, "web")]);
    assert_eq!(
        s.fix(),
        Some(FixRequest {
            task: Task::Setup,
            target: FixTarget::Workspace {
                project: "apps".into(),
                workspace: "web".into()
            }
        })
    );
    let r = s.handle(Input::Action(Action::Fix), (78, 19));
    assert_eq!(r.flow, Navigation::Start(Task::Setup));
    // Keys in a variable set: migrate the workspaces it reaches.
    let set = ResourceRef::VariableSet {
        organization: "acme".into(),
        id: "varset-1".into(),
        name: "keys".into(),
    };
    let s = step(vec![Finding::new(FindingId::StaticKeys, set, "d")]);
    assert_eq!(
        s.fix().map(|f| f.target),
        Some(FixTarget::VariableSet {
            id: "varset-1".into()
        })
    );
    // A finding about a role: nothing to start, and the screen says so.
    let role = ResourceRef::Role {
        arn: "arn:aws:iam::1:role/r".into(),
        name: "r".into(),
    };
    let mut s = step(vec![Finding::new(FindingId::AdminForMany, role, "d")]);
    let r = s.handle(Input::Action(Action::Fix), (78, 19));
    assert_eq!(r.flow, Navigation::Stay);
    assert!(r.flash.is_some_and(|f| f.error));
}

#[test]
fn s_cycles_the_severity_filter() {
    let mut s = step(vec![
        ws(FindingId::StaticKeys, "a"),
        ws(FindingId::StaleSubject, "b"),
    ]);
    let sev = FindingId::StaleSubject.severity();
    let mut seen = vec![];
    for _ in 0..5 {
        s.handle(Input::Action(Action::Severity), (78, 19));
        seen.push((s.filter, s.visible().len()));
    }
    assert_eq!(seen[0], (Some(Severity::Critical), 0));
    assert_eq!(seen[1], (Some(Severity::High), 1));
    assert_eq!(seen[4], (None, 2), "then all again");
    assert!(seen.contains(&(Some(sev), 1)));
}

#[test]
fn the_header_counts_what_was_read_and_the_policies_it_could_not() {
    let mut s = step(Vec::new());
    s.summary = Some(Summary {
        critical: 0,
        high: 1,
        medium: 0,
        low: 0,
        workspaces: 1,
        variable_sets: 3,
        roles: Some(1),
        aws_account: None,
    });
    let text = |s: &FindingsStep| {
        let line = s.summary_line(Theme::plain());
        line.spans
            .iter()
            .map(|x| x.content.to_string())
            .collect::<String>()
    };
    assert!(
        text(&s).ends_with("(read 1 workspace, 3 sets, 1 role)"),
        "{}",
        text(&s)
    );
    s.unchecked = 2;
    assert!(
        text(&s).ends_with("1 role; 2 policies unreadable)"),
        "{}",
        text(&s)
    );
}
