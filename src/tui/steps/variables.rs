//! Step 6: where the variables go: on each workspace, on a new variable set (attached to the
//! project for "every workspace", else to the chosen workspaces), or on an existing variable set
//! of the organization, which the core reuses and completes. A set that reaches beyond the chosen
//! workspaces is marked here, and Enter on it says why it cannot be used.

use crate::core::answers::{Answers, TargetChoice, WorkspaceSelection};
use crate::core::names;
use crate::core::ports::{TfcError, VariableSet};
use crate::core::text::counted;
use crate::tui::app::App;
use crate::tui::effects::Effect;
use crate::tui::keymap::{hint, hints2, Action, Hint, Input};
use crate::tui::steps::refused::{varset_refusal, ChosenWorkspaces};
use crate::tui::steps::Screen;
use crate::tui::steps::{Context, Reaction, ViewCtx};
use crate::tui::theme::Theme;
use crate::tui::widgets::text::{intro, key_value, wrapped};
use crate::tui::widgets::text_input::TextInput;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use ratatui::Frame;

/// The three places variables can go; the highlighted one is the choice.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum TargetKind {
    #[default]
    Workspaces,
    NewSet,
    ExistingSet,
}

const KINDS: [TargetKind; 3] = [
    TargetKind::Workspaces,
    TargetKind::NewSet,
    TargetKind::ExistingSet,
];

/// The variables step's state.
#[derive(Debug, Clone, Default)]
pub struct VariablesStep {
    pub kind: TargetKind,
    pub set_name: TextInput,
    name_edited: bool,
    pub sets: Vec<VariableSet>,
    loaded_for: Option<String>,
    pub loading: bool,
    error: Option<String>,
    pub existing: usize,
    /// The workspaces the variables are for (what a reused set may reach).
    pub chosen: ChosenWorkspaces,
}

impl VariablesStep {
    /// Variables on each workspace by default.
    pub fn new() -> VariablesStep {
        VariablesStep::default()
    }

    /// Prefills the new set's name from the role name and loads the organization's sets.
    pub fn enter(&mut self, org: &str, role_name: &str) -> Vec<Effect> {
        if !self.name_edited {
            self.set_name.set(Answers::default_varset_name(role_name));
        }
        if self.loaded_for.as_deref() == Some(org) && self.error.is_none() {
            return vec![];
        }
        self.loaded_for = Some(org.to_string());
        self.sets.clear();
        self.existing = 0;
        self.loading = true;
        self.error = None;
        vec![Effect::LoadVariableSets {
            org: org.to_string(),
        }]
    }

    /// The organization's variable sets arrived (or failed).
    pub fn on_sets(&mut self, org: &str, result: Result<Vec<VariableSet>, TfcError>) {
        if self.loaded_for.as_deref() != Some(org) {
            return;
        }
        self.loading = false;
        match result {
            Ok(sets) => self.sets = sets,
            Err(e) => self.error = Some(e.to_string()),
        }
    }

    /// The target for the answers.
    pub fn target(&self) -> TargetChoice {
        match self.kind {
            TargetKind::Workspaces => TargetChoice::Workspaces,
            TargetKind::NewSet => TargetChoice::VariableSet {
                name: self.set_name.value().to_string(),
            },
            TargetKind::ExistingSet => TargetChoice::VariableSet {
                name: self
                    .sets
                    .get(self.existing)
                    .map(|s| s.name.clone())
                    .unwrap_or_default(),
            },
        }
    }

    fn move_kind(&mut self, delta: isize) {
        let i = KINDS.iter().position(|k| *k == self.kind).unwrap_or(0) as isize;
        self.kind = KINDS[(i + delta).clamp(0, 2) as usize];
    }

    /// The existing set the current choice writes to: the one picked, or the one whose name was
    /// typed for a new set.
    fn reused_set(&self) -> Option<&VariableSet> {
        match self.kind {
            TargetKind::Workspaces => None,
            TargetKind::NewSet => self.sets.iter().find(|s| s.name == self.set_name.value()),
            TargetKind::ExistingSet => self.sets.get(self.existing),
        }
    }

    fn accept(&self) -> Reaction {
        if let Some(set) = self.reused_set() {
            if varset_refusal(set, &self.chosen).is_some() {
                let name = &set.name;
                return Reaction::refuse(format!(
                    "Set {name} cannot be used (why is under it): choose another"
                ));
            }
        }
        match self.kind {
            TargetKind::NewSet => match names::validate_varset_name(self.set_name.value()) {
                Ok(()) => Reaction::next(),
                Err(e) => Reaction::refuse(e.to_string()),
            },
            TargetKind::ExistingSet if self.sets.is_empty() => Reaction::refuse(if self.loading {
                "The variable sets are still loading…"
            } else {
                "This organization has no variable set yet: choose another option"
            }),
            _ => Reaction::next(),
        }
    }

    fn option(&self, kind: TargetKind, text: &str, t: Theme) -> Vec<Span<'static>> {
        let on = self.kind == kind;
        let marker = if on { "› " } else { "  " };
        let style = if on {
            t.selected().patch(t.bold())
        } else {
            Style::default()
        };
        vec![
            Span::raw(marker),
            Span::styled(format!("({}) {text}", if on { "•" } else { " " }), style),
            Span::raw("  "),
        ]
    }

    /// Where a new set is attached, or why a set of that name cannot be reused.
    fn new_set_note(&self, cx: &Context, t: Theme, w: usize) -> Vec<Line<'static>> {
        let detail = |text: &str, style: Style| wrapped(Span::raw("      "), text, style, w);
        let mut lines = Vec::new();
        let mut attach = match &cx.selection {
            Some(WorkspaceSelection::All) => {
                format!("attached to project {} (every workspace in it)", cx.project)
            }
            _ => format!("attached to {}", cx.scope_text()),
        };
        let same_name = self.sets.iter().find(|s| s.name == self.set_name.value());
        match same_name.and_then(|set| varset_refusal(set, &self.chosen)) {
            Some(why) => lines.extend(detail(
                &format!("✗ A set with this name exists and cannot be reused: {why}"),
                t.error(),
            )),
            None => {
                if same_name.is_some() {
                    attach.push_str("; a set with this name exists and is reused");
                }
                lines.extend(detail(&attach, t.dim()));
            }
        }
        lines
    }

    /// The existing set chosen (‹ name ›, n of m), and whether it can be used.
    fn existing_set_lines(&self, v: &ViewCtx, w: usize) -> Vec<Line<'static>> {
        let (t, cx) = (v.theme, v.cx);
        let detail = |text: &str, style: Style| wrapped(Span::raw("      "), text, style, w);
        let mut lines = Vec::new();
        let mut row = self.option(TargetKind::ExistingSet, "On an existing variable set", t);
        if self.loading {
            row.push(Span::styled(format!("{} loading…", v.spinner), t.dim()));
        } else if let Some(set) = self.sets.get(self.existing) {
            row.extend([
                Span::styled("‹ ", t.dim()),
                Span::styled(set.name.clone(), t.bold()),
                Span::styled(" ›", t.dim()),
            ]);
            row.push(Span::styled(
                format!("  {} of {}", self.existing + 1, self.sets.len()),
                t.dim(),
            ));
        } else {
            row.push(Span::styled(
                self.error
                    .clone()
                    .unwrap_or_else(|| "none in this organization".into()),
                t.dim(),
            ));
        }
        lines.push(Line::from(row));
        if let Some(set) = self.sets.get(self.existing) {
            match varset_refusal(set, &self.chosen) {
                Some(why) => lines.extend(detail(&format!("✗ Cannot be used: {why}"), t.error())),
                None => lines.extend(detail(&set_note(set, cx), t.dim())),
            }
        }
        lines
    }
}

/// What reusing an existing set means: where it is attached now, and where it will be (a set
/// that reaches beyond the chosen workspaces, a global one included, is refused before this).
fn set_note(set: &VariableSet, cx: &Context) -> String {
    let mut parts = Vec::new();
    if !set.project_ids.is_empty() {
        parts.push(counted(set.project_ids.len(), "project", "projects"));
    }
    if !set.workspace_ids.is_empty() {
        parts.push(counted(set.workspace_ids.len(), "workspace", "workspaces"));
    }
    let now = if parts.is_empty() {
        "attached nowhere yet".to_string()
    } else {
        format!("now attached to {}", crate::core::text::and_list(&parts))
    };
    let to = match &cx.selection {
        Some(WorkspaceSelection::All) => format!("project {}", cx.project),
        _ => cx.scope_text(),
    };
    format!("{now}; the variables are added and the set attached to {to}")
}

impl Screen for VariablesStep {
    /// A text field has the focus.
    fn text_mode(&self) -> bool {
        self.kind == TargetKind::NewSet
    }

    /// Handles a key.
    fn handle(&mut self, input: Input, _body: (u16, u16)) -> Reaction {
        let action = match input {
            Input::Edit(key) => {
                if self.kind == TargetKind::NewSet {
                    self.name_edited |= self.set_name.handle(&key);
                }
                return Reaction::stay();
            }
            Input::Action(a) => a,
        };
        match action {
            Action::Up | Action::PrevField => self.move_kind(-1),
            Action::Down | Action::NextField => self.move_kind(1),
            Action::Left | Action::Right | Action::Toggle
                if self.kind == TargetKind::ExistingSet && !self.sets.is_empty() =>
            {
                let delta = if action == Action::Left { -1 } else { 1 };
                self.existing =
                    (self.existing as isize + delta).rem_euclid(self.sets.len() as isize) as usize;
            }
            Action::Back => return Reaction::back(),
            Action::Accept => return self.accept(),
            _ => {}
        }
        Reaction::stay()
    }

    /// The keys this screen offers now.
    fn hints(&self) -> Vec<Hint> {
        let mut h = vec![
            hint(Action::Accept, "continue"),
            hints2(Action::Up, Action::Down, "choose"),
        ];
        if self.kind == TargetKind::ExistingSet {
            h.push(hints2(Action::Left, Action::Right, "other set"));
        }
        h.push(hint(Action::Back, "back"));
        h
    }

    /// Draws the step into `area`.
    fn view(&self, frame: &mut Frame, area: Rect, v: &ViewCtx) {
        let (t, cx, w) = (v.theme, v.cx, area.width as usize);
        let mut keys: Vec<&str> = vec![crate::core::variables::dynamic_vars::PROVIDER_AUTH];
        keys.extend(cx.roles.iter().map(|(_, p)| p.role_arn_variable()));
        let (last, rest) = keys.split_last().unwrap_or((&"", &[]));
        let sub = format!(
            "HCP Terraform reads {} and {last} to get AWS credentials.",
            rest.join(", ")
        );
        let mut lines = intro("Where should the variables go?", &sub, t, w);
        let detail = |text: &str, style: Style| wrapped(Span::raw("      "), text, style, w);
        lines.push(Line::from(self.option(
            TargetKind::Workspaces,
            "On each workspace",
            t,
        )));
        lines.extend(detail(
            &format!("as env variables on {}", cx.scope_text()),
            t.dim(),
        ));

        let mut row = self.option(TargetKind::NewSet, "On a new variable set", t);
        let focused = self.kind == TargetKind::NewSet;
        let width = w
            .saturating_sub(row.iter().map(|s| s.content.chars().count()).sum::<usize>() + 1)
            .clamp(8, 48);
        let (field, x) = self.set_name.render(width, focused, t);
        if let Some(x) = x {
            let left: usize = row.iter().map(|s| s.content.chars().count()).sum();
            frame.set_cursor_position((area.x + left as u16 + x, area.y + lines.len() as u16));
        }
        row.extend(field.spans);
        lines.push(Line::from(row));
        lines.extend(self.new_set_note(cx, t, w));

        lines.extend(self.existing_set_lines(v, w));

        lines.push(Line::raw(""));
        lines.push(Line::styled("Variables (env, not sensitive)", t.bold()));
        lines.extend(key_value(
            crate::core::variables::dynamic_vars::PROVIDER_AUTH,
            "true",
            w,
        ));
        for (name, phase) in &cx.roles {
            lines.extend(key_value(phase.role_arn_variable(), &cx.role_arn(name), w));
        }
        frame.render_widget(Paragraph::new(lines), area);
    }

    fn busy(&self) -> bool {
        self.loading
    }

    /// The workspaces chosen so far, and the variable sets of the organization.
    fn arrive(app: &mut App) -> Vec<Effect> {
        let cx = app.context();
        let ids = app.workspaces.ids_of(&cx.workspace_names);
        app.variables.chosen = ChosenWorkspaces::of(&cx, ids);
        let role_name = app.role.role_name();
        app.variables.enter(&cx.organization, &role_name)
    }
}
