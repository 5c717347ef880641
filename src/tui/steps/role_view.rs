//! Drawing the role step's form (kept apart from its state and keys in `role.rs`).

use crate::core::names;
use crate::core::ports::Role;
use crate::core::trust::PolicyDocument;
use crate::tui::steps::refused::adoption_note;
use crate::tui::steps::role::{Field, Permission, RoleKind, RoleStep};
use crate::tui::steps::role_permissions::PermissionChoice;
use crate::tui::steps::ViewCtx;
use crate::tui::theme::Theme;
use crate::tui::widgets::text::{heading, subject_lines, wrapped};
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use ratatui::Frame;

/// Width of the label column, marker included.
const LABEL: usize = 16;

fn label(step: &RoleStep, field: Field, text: &str, t: Theme) -> Vec<Span<'static>> {
    let focused = step.focus == field;
    let marker = if focused { "› " } else { "  " };
    let style = if focused {
        t.selected().patch(t.bold())
    } else {
        t.bold()
    };
    vec![
        Span::raw(marker),
        Span::styled(text.to_string(), style),
        Span::raw(" ".repeat(LABEL.saturating_sub(2 + text.chars().count()))),
    ]
}

/// A line under a field, aligned with the field's value.
fn note(text: &str, style: Style, width: usize) -> Vec<Line<'static>> {
    wrapped(Span::raw(" ".repeat(LABEL)), text, style, width)
}

fn choice(text: &str, focused: bool, t: Theme) -> Vec<Span<'static>> {
    let style = if focused {
        t.accent().patch(t.bold())
    } else {
        t.bold()
    };
    vec![
        Span::styled("‹ ", t.dim()),
        Span::styled(text.to_string(), style),
        Span::styled(" ›", t.dim()),
    ]
}

/// The `sub` patterns a role's trust names, as written; nothing when the document is unreadable.
pub(super) fn trusted_subjects(policy: &str) -> Vec<String> {
    PolicyDocument::parse(policy)
        .map(|doc| doc.subject_values())
        .unwrap_or_default()
}

/// Under an existing role: why it cannot be chosen, or what choosing it does (adopting one
/// tfc-oidc did not make for this organization and project; extending its trust).
fn adoption_lines(step: &RoleStep, role: &Role, v: &ViewCtx, w: usize) -> Vec<Line<'static>> {
    let t = v.theme;
    if let Some(why) = step.existing_refusal() {
        return note(&format!("✗ Cannot be used: {why}"), t.error(), w);
    }
    let mut lines = Vec::new();
    // The migrate path over several projects has no one project to judge ownership against.
    if !v.cx.project.is_empty() {
        if let Some(text) = adoption_note(role, &v.cx.organization, &v.cx.project) {
            lines.extend(note(&text, t.warn(), w));
        }
    }
    lines.extend(note(
        "Its trust policy is extended for these workspaces, never narrowed.",
        t.dim(),
        w,
    ));
    lines
}

/// What drawing a permission choice needs besides the lines.
struct Form<'a, 'b> {
    step: &'a RoleStep,
    area: Rect,
    v: &'a ViewCtx<'b>,
}

impl Form<'_, '_> {
    /// A permission choice (`fields`: the choice, its ARN and its path field): the choice with
    /// its note, then the ARN or path typed for it.
    fn choice(
        &self,
        lines: &mut Vec<Line<'static>>,
        cursor: &mut Option<(u16, u16)>,
        choice: &PermissionChoice,
        (field, arn_field, path_field): (Field, Field, Field),
        title: &str,
    ) {
        let (step, t, w) = (self.step, self.v.theme, self.area.width as usize);
        let existing = step.kind == RoleKind::Existing;
        let mut row = label(step, field, title, t);
        row.extend(self::choice(
            choice.permission.label(existing),
            step.focus == field,
            t,
        ));
        let (number, of) = choice.position();
        row.push(Span::styled(format!("  {number} of {of}"), t.dim()));
        lines.push(Line::from(row));
        let (text, warning) = choice.note(existing, &self.v.cx.account);
        lines.extend(note(&text, if warning { t.warn() } else { t.dim() }, w));
        let (input, input_field, title) = match choice.permission {
            Permission::PolicyArn => (&choice.arn, arn_field, "Policy ARN"),
            Permission::PolicyFile => (&choice.policy_path, path_field, "Policy file"),
            _ => return,
        };
        let field_width = w.saturating_sub(LABEL + 1).clamp(8, 50);
        let mut row = label(step, input_field, title, t);
        let (rendered, x) = input.render(field_width, step.focus == input_field, t);
        if let Some(x) = x {
            let y = self.area.y + lines.len() as u16;
            *cursor = Some((self.area.x + LABEL as u16 + x, y));
        }
        row.extend(rendered.spans);
        lines.push(Line::from(row));
        if choice.permission == Permission::PolicyArn {
            if let Some(problem) = choice.arn_problem() {
                lines.extend(note(&format!("✗ {problem}"), t.error(), w));
            }
        } else if step.reading_policy {
            let text = format!("{} reading the file…", self.v.spinner);
            lines.extend(note(&text, t.dim(), w));
        }
    }
}

/// Draws the form.
pub(super) fn render(step: &RoleStep, frame: &mut Frame, area: Rect, v: &ViewCtx) {
    if step.show_details {
        return super::role_details::render(step, frame, area, v);
    }
    let t = v.theme;
    let w = area.width as usize;
    let mut lines = vec![
        heading("Which IAM role should the runs assume?", t),
        Line::styled(
            "Each run trades its identity token for this role's short-lived credentials.",
            t.dim(),
        ),
        Line::raw(""),
        kind_line(step, t),
    ];
    let mut cursor: Option<(u16, u16)> = None;
    if step.kind == RoleKind::New {
        let field_width = w.saturating_sub(LABEL + 1).clamp(8, 50);
        let mut row = label(step, Field::Name, "Name", t);
        let (field, x) = step.name.render(field_width, step.focus == Field::Name, t);
        if let Some(x) = x {
            cursor = Some((area.x + LABEL as u16 + x, area.y + lines.len() as u16));
        }
        row.extend(field.spans);
        lines.push(Line::from(row));
        lines.extend(name_note(step, v, w));
    } else {
        lines.extend(existing_lines(step, v, w));
    }

    let split = step.split_roles();
    let fields = (Field::Permissions, Field::PolicyArn, Field::PolicyPath);
    let title = if split { "Apply role" } else { "Permissions" };
    let form = Form { step, area, v };
    form.choice(&mut lines, &mut cursor, &step.permissions, fields, title);

    if step.kind == RoleKind::New {
        lines.extend(split_lines(step, t, w));
    }
    if split {
        let fields = (
            Field::PlanPermissions,
            Field::PlanPolicyArn,
            Field::PlanPolicyPath,
        );
        form.choice(
            &mut lines,
            &mut cursor,
            &step.plan_permissions,
            fields,
            "Plan role",
        );
    }

    if let Some(pos) = cursor {
        frame.set_cursor_position(pos);
    }
    frame.render_widget(Paragraph::new(lines), area);
}

/// "Role (•) New role ( ) Existing role".
fn kind_line(step: &RoleStep, t: Theme) -> Line<'static> {
    let mut kind = label(step, Field::Kind, "Role", t);
    for (k, text) in [
        (RoleKind::New, "New role"),
        (RoleKind::Existing, "Existing role"),
    ] {
        let on = step.kind == k;
        let style = if on { t.bold() } else { t.dim() };
        kind.push(Span::styled(
            format!("({}) {text}   ", if on { "•" } else { " " }),
            style,
        ));
    }
    Line::from(kind)
}

/// Under a new role's name: whether IAM takes it, or how the migrate path names its roles.
fn name_note(step: &RoleStep, v: &ViewCtx, w: usize) -> Vec<Line<'static>> {
    let t = v.theme;
    // The migrate path over several projects: one role per project, named as setup would.
    let per_project = v.cx.project.is_empty() && !v.cx.workspace_names.is_empty();
    match step.name_problem() {
        _ if per_project => note(
            &format!(
                "one role per project, named tfc-{}-<project>",
                v.cx.organization
            ),
            t.dim(),
            w,
        ),
        Some(p) => note(&format!("✗ {p}"), t.error(), w),
        None => note("✓ a valid IAM role name", t.ok(), w),
    }
}

/// The existing role chosen (what it trusts, whether it may be adopted), or why there is none.
fn existing_lines(step: &RoleStep, v: &ViewCtx, w: usize) -> Vec<Line<'static>> {
    let t = v.theme;
    let mut lines = Vec::new();
    let mut row = label(step, Field::Existing, "Existing", t);
    if step.roles_loading {
        row.push(Span::styled(
            format!("{} loading the account's roles…", v.spinner),
            t.dim(),
        ));
        lines.push(Line::from(row));
    } else if let Some(e) = &step.roles_error {
        lines.push(Line::from(row));
        lines.extend(note(&format!("✗ cannot list roles: {e}"), t.error(), w));
    } else if let Some(role) = step.trusting.get(step.existing) {
        row.extend(choice(&role.name, step.focus == Field::Existing, t));
        row.push(Span::styled(
            format!("  {} of {}", step.existing + 1, step.trusting.len()),
            t.dim(),
        ));
        lines.push(Line::from(row));
        let trusted = trusted_subjects(&role.trust_policy);
        let lead = format!("{}trusts ", " ".repeat(LABEL));
        for subject in trusted.iter().take(2) {
            lines.extend(subject_lines(&lead, subject, t.dim(), w));
        }
        if trusted.len() > 2 {
            lines.extend(note(&format!("and {} more", trusted.len() - 2), t.dim(), w));
        }
        lines.extend(adoption_lines(step, role, v, w));
    } else {
        row.push(Span::styled("none yet", t.warn()));
        lines.push(Line::from(row));
        let text = format!(
            "No role in account {} trusts {} yet: choose New role.",
            v.cx.account, v.cx.host
        );
        lines.extend(note(&text, t.dim(), w));
    }
    lines
}

/// The "separate plan and apply roles" box and what it means for the names.
fn split_lines(step: &RoleStep, t: Theme, w: usize) -> Vec<Line<'static>> {
    let mut row = label(step, Field::Split, "Split roles", t);
    row.push(Span::raw(format!(
        "[{}] separate plan and apply roles",
        if step.split { "x" } else { " " }
    )));
    let mut lines = vec![Line::from(row)];
    if step.split {
        let (plan, apply) = names::split_role_names(step.name.value());
        lines.extend(note(
            &format!("plan runs assume {plan}, apply runs {apply}"),
            t.dim(),
            w,
        ));
    } else {
        lines.extend(note("One role for plan and apply runs.", t.dim(), w));
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::trusted_subjects;

    #[test]
    fn trusted_subjects_are_the_sub_values_of_the_trust_as_written() {
        let policy = r#"{"Version":"2012-10-17","Statement":[
            {"Effect":"Allow","Principal":{"Federated":"arn:aws:iam::1:oidc-provider/app.terraform.io"},
             "Action":"sts:AssumeRoleWithWebIdentity","Condition":{
               "StringEquals":{"app.terraform.io:aud":"aws.workload.identity"},
               "StringLike":{"app.terraform.io:sub":["organization:a:project:p:workspace:w:run_phase:*",
                                                     "organization:a:project:p:workspace:x:run_phase:plan"]}}},
            {"Effect":"Allow","Principal":{"Federated":"arn:aws:iam::1:oidc-provider/tfe.example.com"},
             "Action":"sts:AssumeRoleWithWebIdentity",
             "Condition":{"StringEquals":{"tfe.example.com:sub":"organization:b:project:*"}}}]}"#;
        assert_eq!(
            trusted_subjects(policy),
            [
                "organization:a:project:p:workspace:w:run_phase:*",
                "organization:a:project:p:workspace:x:run_phase:plan",
                "organization:b:project:*",
            ]
        );
        assert!(trusted_subjects("not json").is_empty());
    }
}
