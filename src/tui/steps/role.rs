//! Step 5: the IAM role runs assume. A new one (name prefilled from organization and project,
//! checked live against IAM's rules) or an existing one that already trusts the issuer; its
//! permissions; and optionally separate plan and apply roles.

use crate::core::answers::Permissions;
use crate::core::names::{self, INLINE_POLICY_MAX};
use crate::core::ports::{IamError, Role};
use crate::tui::effects::Effect;
use crate::tui::keymap::{hint, hints2, Action, Hint, Input};
use crate::tui::steps::refused::role_refusal;
use crate::tui::steps::{Reaction, ViewCtx};
use crate::tui::widgets::text_input::TextInput;

use crate::tui::steps::role_view;

/// New role or existing role.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum RoleKind {
    #[default]
    New,
    Existing,
}

/// The permission choices, least privilege first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Permission {
    #[default]
    ReadOnly,
    PowerUser,
    Admin,
    PolicyFile,
}

impl Permission {
    /// The choices, in the order shown.
    pub const ALL: [Permission; 4] = [
        Permission::ReadOnly,
        Permission::PowerUser,
        Permission::Admin,
        Permission::PolicyFile,
    ];

    /// The choice as shown.
    pub fn label(self) -> &'static str {
        match self {
            Permission::ReadOnly => "ReadOnlyAccess",
            Permission::PowerUser => "PowerUserAccess",
            Permission::Admin => "AdministratorAccess",
            Permission::PolicyFile => "Policy file…",
        }
    }

    fn cycle(self, delta: isize) -> Permission {
        let i = Permission::ALL.iter().position(|p| *p == self).unwrap_or(0) as isize;
        Permission::ALL[(i + delta).rem_euclid(Permission::ALL.len() as isize) as usize]
    }
}

/// The form's fields, top to bottom.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Field {
    #[default]
    Kind,
    Name,
    Existing,
    Permissions,
    PolicyPath,
    Split,
}

/// The role step's state.
#[derive(Debug, Clone, Default)]
pub struct RoleStep {
    pub kind: RoleKind,
    pub name: TextInput,
    name_edited: bool,
    /// Roles of the account whose trust policy names this host's OIDC provider.
    pub trusting: Vec<Role>,
    /// For each of `trusting`, why it cannot be chosen (see [`role_refusal`]), if it cannot.
    pub refused: Vec<Option<String>>,
    roles_loaded: bool,
    pub roles_loading: bool,
    pub roles_error: Option<String>,
    pub existing: usize,
    pub permission: Permission,
    pub policy_path: TextInput,
    /// The policy file read and checked: (path, document).
    policy_doc: Option<(String, String)>,
    pub reading_policy: bool,
    pub split: bool,
    pub focus: Field,
}

impl RoleStep {
    /// A new role, read-only, not split.
    pub fn new() -> RoleStep {
        RoleStep::default()
    }

    /// Prefills the name (unless the user edited it) and loads the account's roles once.
    pub fn enter(&mut self, default_name: &str) -> Vec<Effect> {
        if !self.name_edited {
            self.name.set(default_name);
        }
        if self.roles_loaded || self.roles_loading {
            return vec![];
        }
        self.roles_loading = true;
        vec![Effect::LoadRoles]
    }

    /// Keeps the roles whose trust names the provider `provider_arn`.
    pub fn on_roles(&mut self, provider_arn: &str, result: Result<Vec<Role>, IamError>) {
        self.roles_loading = false;
        match result {
            Ok(roles) => {
                self.trusting = roles
                    .into_iter()
                    .filter(|r| crate::core::inventory::trusts_provider(r, provider_arn))
                    .collect();
                let refusal = |r: &Role| role_refusal(r, provider_arn);
                self.refused = self.trusting.iter().map(refusal).collect();
                self.roles_loaded = true;
                self.roles_error = None;
            }
            Err(e) => self.roles_error = Some(e.to_string()),
        }
    }

    /// The fields shown for the current choices, top to bottom.
    pub fn fields(&self) -> Vec<Field> {
        let mut f = vec![Field::Kind];
        f.push(if self.kind == RoleKind::New {
            Field::Name
        } else {
            Field::Existing
        });
        f.push(Field::Permissions);
        if self.permission == Permission::PolicyFile {
            f.push(Field::PolicyPath);
        }
        if self.kind == RoleKind::New {
            f.push(Field::Split);
        }
        f
    }

    /// A text field has the focus.
    pub fn text_mode(&self) -> bool {
        matches!(self.focus, Field::Name | Field::PolicyPath)
    }

    /// The role name the answers use.
    pub fn role_name(&self) -> String {
        match self.kind {
            RoleKind::New => self.name.value().to_string(),
            RoleKind::Existing => self
                .trusting
                .get(self.existing)
                .map(|r| r.name.clone())
                .unwrap_or_default(),
        }
    }

    /// Why the existing role picked cannot be used, when it is picked and cannot.
    pub fn existing_refusal(&self) -> Option<&str> {
        if self.kind != RoleKind::Existing {
            return None;
        }
        self.refused.get(self.existing)?.as_deref()
    }

    /// Separate plan and apply roles (new roles only).
    pub fn split_roles(&self) -> bool {
        self.kind == RoleKind::New && self.split
    }

    /// The permissions for the answers (`partition` from the caller's ARN).
    pub fn permissions(&self, partition: &str) -> Permissions {
        let managed = |name: &str| Permissions {
            managed_policy_arns: vec![format!("arn:{partition}:iam::aws:policy/{name}")],
            ..Permissions::default()
        };
        match self.permission {
            Permission::PolicyFile => Permissions {
                inline_policy: self.policy_doc.as_ref().map(|(_, doc)| doc.clone()),
                ..Permissions::default()
            },
            p => managed(p.label()),
        }
    }

    /// The name's problem, if any (checked as the user types).
    pub fn name_problem(&self) -> Option<String> {
        if self.kind != RoleKind::New {
            return None;
        }
        if let Err(e) = names::validate_role_name(self.name.value()) {
            return Some(e.reason);
        }
        if self.split {
            let (plan, apply) = names::split_role_names(self.name.value());
            for n in [plan, apply] {
                if let Err(e) = names::validate_role_name(&n) {
                    return Some(format!("{n}: {}", e.reason));
                }
            }
        }
        None
    }

    fn move_focus(&mut self, delta: isize) {
        let fields = self.fields();
        let i = fields.iter().position(|f| *f == self.focus).unwrap_or(0) as isize;
        self.focus = fields[(i + delta).clamp(0, fields.len() as isize - 1) as usize];
    }

    fn change(&mut self, delta: isize) {
        match self.focus {
            Field::Kind => {
                self.kind = if self.kind == RoleKind::New {
                    RoleKind::Existing
                } else {
                    RoleKind::New
                };
            }
            Field::Existing if !self.trusting.is_empty() => {
                let n = self.trusting.len() as isize;
                self.existing = (self.existing as isize + delta).rem_euclid(n) as usize;
            }
            Field::Permissions => self.permission = self.permission.cycle(delta),
            Field::Split => self.split = !self.split,
            _ => {}
        }
    }

    /// Handles a key.
    pub fn handle(&mut self, input: Input) -> Reaction {
        let action = match input {
            Input::Edit(key) => {
                match self.focus {
                    Field::Name => self.name_edited |= self.name.handle(&key),
                    Field::PolicyPath if self.policy_path.handle(&key) => self.policy_doc = None,
                    _ => {}
                }
                return Reaction::stay();
            }
            Input::Action(a) => a,
        };
        match action {
            Action::Up | Action::PrevField => self.move_focus(-1),
            Action::Down | Action::NextField => self.move_focus(1),
            Action::Left => self.change(-1),
            Action::Right | Action::Toggle => self.change(1),
            Action::Back => return Reaction::back(),
            Action::Accept => return self.accept(),
            _ => {}
        }
        Reaction::stay()
    }

    fn accept(&mut self) -> Reaction {
        if let Some(problem) = self.name_problem() {
            self.focus = Field::Name;
            let _ = problem;
            return Reaction::refuse("Fix the role name first (see the message under it)");
        }
        if self.kind == RoleKind::Existing && self.trusting.is_empty() {
            self.focus = Field::Kind;
            let why = if self.roles_loading {
                "the roles are still loading"
            } else {
                "no role trusts this host yet"
            };
            return Reaction::refuse(format!("No existing role to choose: {why}"));
        }
        if self.existing_refusal().is_some() {
            self.focus = Field::Existing;
            let name = self.role_name();
            return Reaction::refuse(format!(
                "Role {name} cannot be used (why is under it): choose another"
            ));
        }
        if self.permission == Permission::PolicyFile {
            let path = self.policy_path.value().trim().to_string();
            if path.is_empty() {
                self.focus = Field::PolicyPath;
                return Reaction::refuse("Enter the path of a JSON policy document");
            }
            if self.policy_doc.as_ref().is_some_and(|(p, _)| *p == path) {
                return Reaction::next();
            }
            self.reading_policy = true;
            return Reaction::effect(Effect::ReadPolicyFile { path });
        }
        Reaction::next()
    }

    /// The policy file was read: checked, it completes the step.
    pub fn on_policy_file(&mut self, path: String, result: Result<String, String>) -> Reaction {
        self.reading_policy = false;
        if path != self.policy_path.value().trim() {
            return Reaction::stay();
        }
        let checked = result.and_then(|text| {
            names::validate_policy_document("policy file", &text, INLINE_POLICY_MAX)
                .map(|_| text)
                .map_err(|e| e.to_string())
        });
        match checked {
            Ok(doc) => {
                self.policy_doc = Some((path, doc));
                Reaction::next()
            }
            Err(e) => {
                self.focus = Field::PolicyPath;
                Reaction::refuse(e)
            }
        }
    }

    /// The keys this screen offers now.
    pub fn hints(&self) -> Vec<Hint> {
        let mut h = vec![
            hint(Action::Accept, "continue"),
            hints2(Action::Up, Action::Down, "field"),
        ];
        match self.focus {
            Field::Kind | Field::Existing | Field::Permissions => {
                h.push(hints2(Action::Left, Action::Right, "change"))
            }
            Field::Split => h.push(hint(Action::Toggle, "toggle")),
            _ => {}
        }
        h.push(hint(Action::Back, "back"));
        h
    }

    /// Draws the step into `area`.
    pub fn view(&self, frame: &mut ratatui::Frame, area: ratatui::layout::Rect, v: &ViewCtx) {
        role_view::render(self, frame, area, v);
    }
}
