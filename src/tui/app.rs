//! The wizard's state: one state per step (kept when going back), what the screens show of the
//! answers so far, and the answers themselves. `App::update` (in `update.rs`) never awaits: it
//! returns [`Effect`]s for the runner.

mod accounts;
mod ending;
mod proof;
mod results;
mod update;

use crate::core::answers::{Answers, WorkspaceSelection};
use crate::tui::effects::Effect;
use crate::tui::keymap::{hint, Action, Hint};
use crate::tui::steps::done::DoneStep;
use crate::tui::steps::export::ExportPrompt;
use crate::tui::steps::{Context, Flash, Screens, Step, Task};
use crate::tui::theme::Theme;
use crate::tui::widgets::text::spinner;

/// What the wizard starts with.
#[derive(Debug, Clone)]
pub struct AppOptions {
    /// The HCP Terraform host (known before connecting).
    pub host: String,
    pub demo: bool,
    pub theme: Theme,
    /// Last run's organization and project, highlighted when found.
    pub last_organization: Option<String>,
    pub last_project: Option<String>,
    /// Last run's role name pattern (see [`crate::tui::role_pattern`]), to prefill the name.
    pub role_pattern: Option<String>,
}

/// The whole wizard: one state per step, kept when going back.
#[derive(Debug)]
pub struct App {
    pub step: Step,
    /// The path chosen on the Connect screen.
    pub task: Task,
    pub theme: Theme,
    pub demo: bool,
    pub host: String,
    /// The terminal size, for scrolling.
    pub size: (u16, u16),
    tick: usize,
    pub help: bool,
    pub flash: Option<Flash>,
    /// Every screen's state (`app.role`, `app.review`, … reach them through `Deref`).
    pub screens: Screens,
    /// The configurations applied before on the same workspaces (tag, plan), when more AWS
    /// accounts are added from Done.
    pub configurations: Vec<(Option<String>, crate::core::plan::Plan)>,
    /// The Done screen "add another AWS account" was opened from (Esc goes back to it).
    pub(crate) previous_done: Option<DoneStep>,
    /// The planned migration's workspaces that will still receive keys (migrate path).
    pub still_receiving: Vec<crate::core::migrate::StillReceiving>,
    /// The export prompt Review and Done open with `e`.
    pub export: ExportPrompt,
    /// Prefills the role name when set (see [`AppOptions::role_pattern`]).
    pub role_pattern: Option<String>,
    plan_generation: u64,
    /// What the migration's planning and apply leave for Done's proof.
    pub(crate) proof: proof::ProofInputs,
    /// A plan effect took the run lock and nothing has let it go yet.
    holds_run_lock: bool,
    quit_after_apply: bool,
    /// The paths finished before the current one, when the user went on from their Done screen
    /// (`m`, `a`): the exit summary lists them, even when the next path is left before it applies.
    pub(crate) finished: Vec<crate::tui::report::Configured>,
    /// The path was started from a review finding: Esc on its first screen goes back there.
    pub(crate) from_findings: bool,
}

impl App {
    /// A wizard on the connect step.
    pub fn new(options: AppOptions) -> App {
        App {
            screens: Screens::new(&options),
            step: Step::Connect,
            task: Task::Setup,
            theme: options.theme,
            demo: options.demo,
            host: options.host,
            size: (80, 24),
            tick: 0,
            help: false,
            flash: None,
            configurations: Vec::new(),
            previous_done: None,
            still_receiving: Vec::new(),
            export: ExportPrompt::default(),
            role_pattern: options.role_pattern,
            plan_generation: 0,
            proof: proof::ProofInputs::default(),
            holds_run_lock: false,
            quit_after_apply: false,
            finished: Vec::new(),
            from_findings: false,
        }
    }

    /// The effects the wizard starts with.
    pub fn start(&mut self) -> Vec<Effect> {
        vec![self.connect.start()]
    }

    /// The spinner's current frame.
    pub fn spinner(&self) -> &'static str {
        spinner(self.tick)
    }

    /// Something is in flight, so spinners turn (and ticks are wanted).
    pub fn animating(&self) -> bool {
        self.screens.all().iter().any(|screen| screen.busy())
            || self.screens.screen(self.step).waiting_while_shown()
    }

    /// A text field has the focus: typing keys are text, not commands.
    pub fn text_mode(&self) -> bool {
        if self.export.open {
            return true;
        }
        self.screens.screen(self.step).text_mode()
    }

    /// The size of a step's area (the screen less header, status line and footer).
    pub fn body(&self) -> (u16, u16) {
        (self.size.0.saturating_sub(2), self.size.1.saturating_sub(5))
    }

    /// The answers gathered so far.
    pub fn answers(&self) -> Answers {
        let cx = self.context();
        let selection = self
            .selection()
            .unwrap_or(WorkspaceSelection::Named(vec![]));
        let mut answers = Answers::new(&self.host, &cx.organization, &cx.project, selection);
        answers.role_name = self.role.role_name();
        answers.split_roles = self.role.split_roles();
        answers.permissions = self.role.permissions(&cx.partition);
        answers.plan_permissions = self.role.plan_permissions(&cx.partition);
        // Picking an existing role on the screen that shows its trust and policies is the
        // wizard's way of saying --adopt-role; picking AdministratorAccess (shown with its
        // warning) is its --allow-admin.
        answers.adopt_role = self.role.kind == crate::tui::steps::role::RoleKind::Existing;
        answers.allow_admin = self.role.allows_admin();
        // Roles that already trust a provider the plan creates are shown on the Review screen,
        // which will not apply until the user acknowledges the broad ones there.
        answers.allow_dormant_trust = true;
        answers.target = self.variables.target();
        answers.alias = self.alias();
        if self.is_stack() {
            // A Stack deployment assumes one role, and takes it as an input (no variables).
            answers.split_roles = false;
            answers.target = crate::core::answers::TargetChoice::Workspaces;
        }
        answers
    }

    /// The workspaces step's choice; for a Stack, with the deployments chosen on the next step.
    pub fn selection(&self) -> Option<WorkspaceSelection> {
        match self.workspaces.chosen.clone()? {
            WorkspaceSelection::Stack { name, .. } => {
                let deployments = if self.deployments.stack() == name {
                    self.deployments.chosen()
                } else {
                    vec![]
                };
                Some(WorkspaceSelection::Stack { name, deployments })
            }
            other => Some(other),
        }
    }

    /// The steps of the path the choices so far lead to. On the Connect screen it follows the
    /// highlighted task, and on the workspaces step the highlighted row (a Stack's path has no
    /// variables step), so moving shows where Enter leads.
    pub fn path(&self) -> Vec<Step> {
        let task = if self.step == Step::Connect {
            self.connect.task()
        } else {
            self.task
        };
        let choice = if self.step == Step::Workspaces {
            self.workspaces.would_choose()
        } else {
            self.workspaces.chosen.clone()
        };
        let stack = match choice {
            Some(WorkspaceSelection::Stack { name, .. }) => self.workspaces.stack(&name),
            _ => None,
        };
        task.path(stack)
    }

    /// The setup path chose a Stack.
    pub fn is_stack(&self) -> bool {
        self.task == Task::Setup
            && matches!(
                self.workspaces.chosen,
                Some(WorkspaceSelection::Stack { .. })
            )
    }

    /// The tag of the configuration being set up ("add another AWS account"), else `None`.
    pub fn alias(&self) -> Option<String> {
        if self.task != Task::AddAccount {
            return None;
        }
        self.add_account.valid_tag()
    }

    /// What later screens show of earlier answers.
    pub fn context(&self) -> Context {
        let mut caller = self.connect.caller();
        if self.task == Task::AddAccount {
            if let Some((_, other)) = &self.add_account.connected {
                caller = Some(other);
            }
        }
        let organization = self.organization.chosen.as_ref();
        let project = self.project.chosen.as_ref();
        if self.task == Task::Migrate {
            return self.migrate_context();
        }
        let selection = self.selection();
        let workspace_names = match &selection {
            Some(WorkspaceSelection::Named(n)) => n.clone(),
            Some(WorkspaceSelection::All) => self.workspaces.all_names(),
            Some(WorkspaceSelection::Stack { .. }) | None => vec![],
        };
        let mut cx = Context {
            demo: self.demo,
            host: self.host.clone(),
            account: caller.map(|c| c.account.clone()).unwrap_or_default(),
            partition: caller.map_or("aws", |c| c.partition()).to_string(),
            organization: organization.map(|o| o.name.clone()).unwrap_or_default(),
            project: project.map(|p| p.name.clone()).unwrap_or_default(),
            project_id: project.map(|p| p.id.clone()).unwrap_or_default(),
            selection,
            workspace_names,
            roles: vec![],
        };
        let mut a = Answers::new(
            &cx.host,
            &cx.organization,
            &cx.project,
            WorkspaceSelection::All,
        );
        a.role_name = self.role.role_name();
        a.split_roles = self.role.split_roles();
        cx.roles = a.roles();
        cx
    }

    /// The migrate path's context: the picked workspaces, and their project when there is one.
    fn migrate_context(&self) -> Context {
        let caller = self.connect.caller();
        let chosen = self.migrate_pick.chosen.clone().unwrap_or_default();
        let projects = self.migrate_pick.projects_of(&chosen);
        let project = match projects.as_slice() {
            [one] => one.clone(),
            _ => String::new(),
        };
        let organization = self.organization.chosen.as_ref();
        let mut cx = Context {
            demo: self.demo,
            host: self.host.clone(),
            account: caller.map(|c| c.account.clone()).unwrap_or_default(),
            partition: caller.map_or("aws", |c| c.partition()).to_string(),
            organization: organization.map(|o| o.name.clone()).unwrap_or_default(),
            project: project.clone(),
            project_id: String::new(),
            selection: Some(WorkspaceSelection::Named(chosen.clone())),
            workspace_names: chosen,
            roles: vec![],
        };
        let mut a = Answers::new(
            &cx.host,
            &cx.organization,
            &project,
            WorkspaceSelection::All,
        );
        a.role_name = self.role.role_name();
        a.split_roles = self.role.split_roles();
        cx.roles = a.roles();
        cx
    }

    /// The migrate path's request: the picked workspaces and the role screen's choices. One
    /// role name only when the workspaces are in one project (else each project gets
    /// `tfc-<org>-<project>`, as `tfc-oidc migrate` names them).
    pub fn migrate_request(&self) -> crate::core::migrate::MigrateRequest {
        let a = self.answers();
        let chosen = self.migrate_pick.chosen.clone().unwrap_or_default();
        let one_project = self.migrate_pick.projects_of(&chosen).len() == 1;
        crate::core::migrate::MigrateRequest {
            host: self.host.clone(),
            organization: a.organization.clone(),
            scope: crate::core::migrate::MigrationScope::Workspaces(chosen),
            role_name: one_project.then(|| a.role_name.clone()),
            split_roles: a.split_roles,
            permissions: a.permissions.clone(),
            plan_permissions: a.plan_permissions.clone(),
            audience: a.audience.clone(),
            varset: false,
            thumbprints: a.thumbprints.clone(),
            adopt_role: a.adopt_role,
            allow_admin: a.allow_admin,
            allow_dormant_trust: a.allow_dormant_trust,
            alias: None,
            deactivate_keys: self.migrate_pick.deactivate_keys,
            same_permissions: self.role.permissions.permission
                == crate::tui::steps::role::Permission::SameAsKeyUser,
        }
    }

    /// The screen's key hints (the footer and `?` list these, with the global ones).
    pub fn hints(&self) -> Vec<Hint> {
        if self.export.open {
            return self.export.hints();
        }
        let mut hints = self.screens.screen(self.step).hints();
        if self.task == Task::Migrate {
            hints.retain(|h| h.action != Action::Export);
        }
        hints
    }

    /// Help and quit, as they work right now.
    pub fn global_hints(&self) -> Vec<Hint> {
        let text = self.text_mode();
        let mut h = vec![hint(Action::Help, "keys")];
        if self.step == Step::Apply || self.step == Step::Done {
            return h;
        }
        h.push(if text {
            hint(Action::ForceQuit, "quit")
        } else {
            hint(Action::Quit, "quit")
        });
        h
    }
}

/// The screens' states are the wizard's too: `app.role`, `app.review`, … read as fields.
impl std::ops::Deref for App {
    type Target = Screens;

    fn deref(&self) -> &Screens {
        &self.screens
    }
}

impl std::ops::DerefMut for App {
    fn deref_mut(&mut self) -> &mut Screens {
        &mut self.screens
    }
}
