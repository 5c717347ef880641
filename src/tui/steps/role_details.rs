//! The role step's `t` view: for each role the runs will assume, what it trusts and what it
//! may do — its policies now (a role that exists) and what tfc-oidc gives it — beside each
//! other, so choosing "keep what the role has" or adopting a role is an informed choice.

use crate::core::answers::WorkspaceSelection;
use crate::core::answers::{Permissions, INLINE_POLICY_NAME};
use crate::core::trust::subject::{SubjectPattern, WorkspaceScope};
use crate::core::trust::Phase;
use crate::tui::steps::role::{RoleKind, RoleStep};
use crate::tui::steps::{Context, ViewCtx};
use crate::tui::widgets::text::{heading, subject_lines, wrapped};
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};
use ratatui::Frame;

const LEAD: &str = "   trusts  ";

/// The `sub` patterns the chosen workspaces give a role of `phase`; empty on the migrate path
/// over several projects (each project gets its own role).
fn subjects(cx: &Context, phase: Phase) -> Vec<String> {
    if cx.project.is_empty() {
        return Vec::new();
    }
    let scopes = match &cx.selection {
        Some(WorkspaceSelection::All) => vec![WorkspaceScope::All],
        Some(WorkspaceSelection::Stack { name, deployments }) if deployments.is_empty() => {
            vec![WorkspaceScope::Stack {
                name: name.clone(),
                deployment: None,
            }]
        }
        Some(WorkspaceSelection::Stack { name, deployments }) => deployments
            .iter()
            .map(|d| WorkspaceScope::Stack {
                name: name.clone(),
                deployment: Some(d.clone()),
            })
            .collect(),
        _ => cx
            .workspace_names
            .iter()
            .map(|w| WorkspaceScope::Named(w.clone()))
            .collect(),
    };
    scopes
        .into_iter()
        .map(|workspace| {
            SubjectPattern {
                organization: cx.organization.clone(),
                project: cx.project.clone(),
                workspace,
                phase,
            }
            .to_pattern()
        })
        .collect()
}

/// What tfc-oidc gives a role, in words.
fn given(p: &Permissions) -> String {
    let mut parts: Vec<String> = p
        .managed_policy_arns
        .iter()
        .map(|arn| arn.rsplit("policy/").next().unwrap_or(arn).to_string())
        .collect();
    if p.inline_policy.is_some() {
        parts.push(format!("inline policy {INLINE_POLICY_NAME} from the file"));
    }
    if parts.is_empty() {
        return "nothing from tfc-oidc".into();
    }
    parts.join(", ")
}

/// Draws the view.
pub(super) fn render(step: &RoleStep, frame: &mut Frame, area: Rect, v: &ViewCtx) {
    let (t, w, cx) = (v.theme, area.width as usize, v.cx);
    let mut lines = vec![
        heading("What the roles trust and may do", t),
        Line::styled("t or Esc goes back to the form.", t.dim()),
        Line::raw(""),
    ];
    let existing = step
        .trusting
        .get(step.existing)
        .filter(|_| step.kind == RoleKind::Existing);
    let split = step.split_roles();
    for (name, phase) in &cx.roles {
        let state = if existing.is_some() { "exists" } else { "new" };
        let runs = match phase {
            Phase::Plan => "plan runs",
            Phase::Apply => "apply runs",
            _ => "plan and apply runs",
        };
        lines.push(Line::from(Span::styled(
            format!(" {name} ({state}, {runs})"),
            t.bold(),
        )));
        if let Some(role) = existing {
            for s in super::role_view::trusted_subjects(&role.trust_policy) {
                lines.extend(subject_lines(LEAD, &s, t.dim(), w));
            }
        }
        for s in subjects(cx, *phase) {
            let added = if existing.is_some() { " (added)" } else { "" };
            lines.extend(subject_lines(LEAD, &format!("{s}{added}"), t.dim(), w));
        }
        if let Some(role) = existing {
            let index = step.trusting.iter().position(|r| r.name == role.name);
            let has = match index
                .and_then(|i| step.trusting_policies.get(i))
                .cloned()
                .flatten()
            {
                Some((attached, inline)) if attached.is_empty() && inline.is_empty() => {
                    "no policies".to_string()
                }
                Some((attached, inline)) => {
                    let mut parts = attached;
                    parts.extend(inline.into_iter().map(|n| format!("inline {n}")));
                    parts.join(", ")
                }
                None => "its policies could not be listed".into(),
            };
            lines.extend(wrapped(Span::raw("   has     "), &has, t.dim(), w));
        }
        let choice = match (split, phase) {
            (true, Phase::Plan) => &step.plan_permissions,
            _ => &step.permissions,
        };
        let gets = given(&choice.permissions(&cx.partition));
        lines.extend(wrapped(Span::raw("   gets    "), &gets, t.dim(), w));
    }
    frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), area);
}
