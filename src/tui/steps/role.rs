//! Step 5: the IAM role runs assume. A new one (name prefilled from organization and project,
//! checked live against IAM's rules) or an existing one that already trusts the issuer; its
//! permissions; and optionally separate plan and apply roles, each with its own permissions
//! (the plan role read-only unless changed).

use crate::core::answers::Permissions;
use crate::core::names::{self, INLINE_POLICY_MAX};
use crate::core::permission_policy::check_permission_policy;
use crate::core::ports::{IamError, Role};
use crate::tui::effects::Effect;
use crate::tui::keymap::{hint, hints2, Action, Hint, Input};
use crate::tui::steps::refused::role_refusal;
use crate::tui::steps::role_permissions::TrustingRole;
use crate::tui::steps::{Reaction, ViewCtx};
use crate::tui::widgets::text_input::TextInput;

use crate::tui::app::App;
use crate::tui::failure::PolicyFileFailure;
use crate::tui::steps::role_permissions::{Pending, PermissionChoice};
use crate::tui::steps::role_view;
use crate::tui::steps::Screen;
use crate::tui::steps::Task;

pub use crate::tui::steps::role_permissions::Permission;

/// New role or existing role.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum RoleKind {
    #[default]
    New,
    Existing,
}

/// A role's attached policy ARNs and inline policy names, when IAM would list them.
pub type RolePolicies = Option<(Vec<String>, Vec<String>)>;

/// The form's fields, top to bottom.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Field {
    #[default]
    Kind,
    Name,
    Existing,
    Permissions,
    PolicyArn,
    PolicyPath,
    Split,
    PlanPermissions,
    PlanPolicyArn,
    PlanPolicyPath,
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
    /// What each of them has now: attached policy ARNs and inline policy names (`None`:
    /// unreadable).
    pub trusting_policies: Vec<RolePolicies>,
    /// `t`: what each role trusts and may do, instead of the form.
    pub show_details: bool,
    roles_loaded: bool,
    pub roles_loading: bool,
    pub roles_error: Option<String>,
    pub existing: usize,
    /// What the role may do; with split roles, the apply role.
    pub permissions: PermissionChoice,
    /// With split roles, what the plan role may do (read-only unless changed).
    pub plan_permissions: PermissionChoice,
    pub reading_policy: bool,
    pub split: bool,
    pub focus: Field,
}

impl RoleStep {
    /// A new role, read-only, not split.
    pub fn new() -> RoleStep {
        RoleStep::default()
    }

    /// Prefills the name (unless the user edited it) and loads, once, the account's roles that
    /// trust the provider `provider_arn`.
    pub fn enter(&mut self, default_name: &str, provider_arn: &str) -> Vec<Effect> {
        if !self.name_edited {
            self.name.set(default_name);
        }
        if self.roles_loaded || self.roles_loading {
            return vec![];
        }
        self.roles_loading = true;
        let provider_arn = provider_arn.to_string();
        vec![Effect::LoadRoles(provider_arn)]
    }

    /// Keeps the roles trusting the provider, and the policies each has now.
    pub fn on_roles(&mut self, provider_arn: &str, result: Result<Vec<TrustingRole>, IamError>) {
        self.roles_loading = false;
        match result {
            Ok(roles) => {
                (self.trusting, self.trusting_policies) =
                    roles.into_iter().map(|r| (r.role, r.policies)).unzip();
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
        match self.permissions.permission {
            Permission::PolicyArn => f.push(Field::PolicyArn),
            Permission::PolicyFile => f.push(Field::PolicyPath),
            _ => {}
        }
        if self.kind == RoleKind::New {
            f.push(Field::Split);
        }
        if self.split_roles() {
            f.push(Field::PlanPermissions);
            match self.plan_permissions.permission {
                Permission::PolicyArn => f.push(Field::PlanPolicyArn),
                Permission::PolicyFile => f.push(Field::PlanPolicyPath),
                _ => {}
            }
        }
        f
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

    /// The permissions for the answers (`partition` from the caller's ARN); with split roles,
    /// the apply role's.
    pub fn permissions(&self, partition: &str) -> Permissions {
        self.permissions.permissions(partition)
    }

    /// The plan role's permissions, when the roles are split.
    pub fn plan_permissions(&self, partition: &str) -> Option<Permissions> {
        self.split_roles()
            .then(|| self.plan_permissions.permissions(partition))
    }

    /// AdministratorAccess was chosen for a role (shown with its warning): the wizard's
    /// `--allow-admin`.
    pub fn allows_admin(&self) -> bool {
        self.permissions.permission == Permission::Admin
            || (self.split_roles() && self.plan_permissions.permission == Permission::Admin)
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
            Field::Permissions => self.permissions.cycle(delta),
            Field::PlanPermissions => self.plan_permissions.cycle(delta),
            Field::Split => self.split = !self.split,
            _ => {}
        }
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
        let split = self.split_roles();
        let pending = [
            (
                self.permissions.pending(),
                Field::PolicyArn,
                Field::PolicyPath,
            ),
            (
                self.plan_permissions.pending().filter(|_| split),
                Field::PlanPolicyArn,
                Field::PlanPolicyPath,
            ),
        ];
        for (pending, arn_field, path_field) in pending {
            match pending {
                None => {}
                Some(Pending::Arn(why)) => {
                    self.focus = arn_field;
                    return Reaction::refuse(why);
                }
                Some(Pending::NoPath) => {
                    self.focus = path_field;
                    return Reaction::refuse("Enter the path of a JSON policy document");
                }
                Some(Pending::Read(path)) => {
                    self.reading_policy = true;
                    return Reaction::effect(Effect::ReadPolicyFile { path });
                }
            }
        }
        Reaction::next()
    }

    /// A policy file was read: checked, it goes to the choice (or both) naming it, and the step
    /// continues as Enter would (reading the other file, if any).
    pub fn on_policy_file(
        &mut self,
        path: String,
        result: Result<String, PolicyFileFailure>,
    ) -> Reaction {
        self.reading_policy = false;
        let wanted = [&self.permissions, &self.plan_permissions]
            .iter()
            .any(|c| c.pending() == Some(Pending::Read(path.clone())));
        if !wanted {
            return Reaction::stay();
        }
        let checked = result.map_err(|e| e.to_string()).and_then(|text| {
            check_permission_policy(&text, INLINE_POLICY_MAX)
                .map(|_| text)
                .map_err(|p| format!("{path}:{p}"))
        });
        match checked {
            Ok(doc) => {
                self.permissions.take_document(&path, &doc);
                self.plan_permissions.take_document(&path, &doc);
                self.accept()
            }
            Err(e) => {
                let plan_only = self.permissions.policy_path.value().trim() != path
                    || self.permissions.permission != Permission::PolicyFile;
                self.focus = if plan_only {
                    Field::PlanPolicyPath
                } else {
                    Field::PolicyPath
                };
                Reaction::refuse(e)
            }
        }
    }
}

impl Screen for RoleStep {
    /// A text field has the focus.
    fn text_mode(&self) -> bool {
        matches!(
            self.focus,
            Field::Name
                | Field::PolicyArn
                | Field::PolicyPath
                | Field::PlanPolicyArn
                | Field::PlanPolicyPath
        )
    }

    /// Handles a key.
    fn handle(&mut self, input: Input, _body: (u16, u16)) -> Reaction {
        let action = match input {
            Input::Edit(key) => {
                match self.focus {
                    Field::Name => self.name_edited |= self.name.handle(&key),
                    Field::PolicyArn => _ = self.permissions.arn.handle(&key),
                    Field::PlanPolicyArn => _ = self.plan_permissions.arn.handle(&key),
                    Field::PolicyPath if self.permissions.policy_path.handle(&key) => {
                        self.permissions.path_edited()
                    }
                    Field::PlanPolicyPath if self.plan_permissions.policy_path.handle(&key) => {
                        self.plan_permissions.path_edited()
                    }
                    _ => {}
                }
                return Reaction::stay();
            }
            Input::Action(a) => a,
        };
        match action {
            // The form is hidden behind the `t` view: nothing there changes unseen.
            Action::Back if self.show_details => self.show_details = false,
            Action::Up | Action::Down | Action::Left | Action::Right | Action::Toggle
                if self.show_details => {}
            Action::Up | Action::PrevField => self.move_focus(-1),
            Action::Down | Action::NextField => self.move_focus(1),
            Action::Left => self.change(-1),
            Action::Right | Action::Toggle => self.change(1),
            Action::Back => return Reaction::back(),
            Action::TrustPolicy => self.show_details = !self.show_details,
            Action::Accept => return self.accept(),
            _ => {}
        }
        Reaction::stay()
    }

    /// The keys this screen offers now.
    fn hints(&self) -> Vec<Hint> {
        let mut h = vec![hint(Action::Accept, "continue")];
        if self.show_details {
            h.push(hint(Action::TrustPolicy, "form"));
            return h;
        }
        h.push(hints2(Action::Up, Action::Down, "field"));
        match self.focus {
            Field::Kind | Field::Existing | Field::Permissions | Field::PlanPermissions => {
                h.push(hints2(Action::Left, Action::Right, "change"))
            }
            Field::Split => h.push(hint(Action::Toggle, "toggle")),
            _ => {}
        }
        if !self.text_mode() {
            h.push(hint(Action::TrustPolicy, "policies"));
        }
        h.push(hint(Action::Back, "back"));
        h
    }

    /// Draws the step into `area`.
    fn view(&self, frame: &mut ratatui::Frame, area: ratatui::layout::Rect, v: &ViewCtx) {
        role_view::render(self, frame, area, v);
    }

    fn busy(&self) -> bool {
        self.roles_loading || self.reading_policy
    }

    /// The roles trusting the provider, and the name prefilled from the remembered pattern. On
    /// the migrate path with several projects, the name shown is the first project's (each
    /// project gets its own default role).
    fn arrive(app: &mut App) -> Vec<Effect> {
        let cx = app.context();
        let chosen = app.migrate_pick.chosen.clone().unwrap_or_default();
        let project = match app.task {
            Task::Migrate => app
                .migrate_pick
                .projects_of(&chosen)
                .first()
                .cloned()
                .unwrap_or_default(),
            _ => cx.project.clone(),
        };
        let provider = crate::core::names::oidc_provider_arn(&cx.partition, &cx.account, &app.host);
        let name = crate::tui::role_pattern::prefilled_role_name(
            app.role_pattern.as_deref(),
            &cx.organization,
            &project,
        );
        if app.task == Task::Migrate {
            let offer = app.migrate_pick.key_user_offer(&chosen);
            app.role.permissions.offer_key_users(offer);
        }
        app.role.enter(&name, &provider)
    }
}
