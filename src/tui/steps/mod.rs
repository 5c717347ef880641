//! The wizard's screens, one file each. A step owns its state, turns keys and effect results
//! into a [`Reaction`] (stay, next, back or start another [`Task`]'s path, plus effects), and
//! draws itself from its state. The Connect screen offers the tasks; each task is a path through
//! the steps ([`Task::path`]: a Stack's setup path has its deployments and no variables).

pub mod add_account;
pub mod apply;
pub mod connect;
pub mod deployments;
pub mod done;
pub mod export;
pub mod findings;
pub mod migrate_pick;
pub mod organization;
pub mod pick;
pub mod project;
pub mod refused;
pub mod review;
pub mod review_confirm;
pub mod role;
mod role_details;
pub mod role_permissions;
mod role_view;
pub mod screen;
pub mod variables;
pub mod verify_status;
pub mod workspaces;

use crate::core::answers::WorkspaceSelection;
use crate::core::ports::Stack;
use crate::core::trust::Phase;
use crate::tui::effects::Effect;
use crate::tui::theme::Theme;
use add_account::AddAccountStep;
use apply::ApplyStep;
use connect::ConnectStep;
use deployments::DeploymentsStep;
use done::DoneStep;
use findings::FindingsStep;
use migrate_pick::MigratePickStep;
use organization::OrganizationStep;
use project::ProjectStep;
use review::ReviewStep;
use role::RoleStep;
use screen::screens;
pub use screen::Screen;
use variables::VariablesStep;
use workspaces::WorkspacesStep;

/// What the user came to do, chosen on the Connect screen. Each task is a path through the
/// steps; every path starts with Connect and the organization.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Task {
    /// Set up OIDC for workspaces of one project (the default).
    #[default]
    Setup,
    /// Move workspaces that receive static AWS keys onto OIDC, then remove the keys.
    Migrate,
    /// Read the organization and the AWS account and list what is wrong.
    Review,
    /// From Done: the same workspaces, a second AWS account as a tagged configuration.
    AddAccount,
}

impl Task {
    /// Every task, in the order the Connect screen offers them.
    pub const ALL: [Task; 3] = [Task::Setup, Task::Migrate, Task::Review];

    /// How the Connect screen offers the task.
    pub fn label(self) -> &'static str {
        match self {
            Task::Setup => "Set up OIDC for workspaces",
            Task::Migrate => "Migrate workspaces off static keys",
            Task::Review => "Review this organization",
            Task::AddAccount => "Add another AWS account",
        }
    }

    /// One line on what the task does.
    pub fn blurb(self) -> &'static str {
        match self {
            Task::Setup => "an IAM role trusting one project's workspaces, and their variables",
            Task::Migrate => "OIDC first, then the AWS key variables removed",
            Task::Review => "what is wrong in the organization and AWS account (reads only)",
            Task::AddAccount => "a tagged configuration for the same workspaces",
        }
    }

    /// The steps of the task's path as chosen so far: `stack` is the Stack the workspaces step
    /// chose (setup path only). A Stack takes no variables, and its deployments are chosen on a
    /// step of their own when it has any.
    pub fn path(self, stack: Option<&Stack>) -> Vec<Step> {
        let mut path = Vec::new();
        for &step in self.steps() {
            match stack {
                Some(stack) if self == Task::Setup => match step {
                    Step::Variables => {}
                    Step::Workspaces if !stack.deployment_names.is_empty() => {
                        path.extend([Step::Workspaces, Step::Deployments])
                    }
                    other => path.push(other),
                },
                _ => path.push(step),
            }
        }
        path
    }

    /// The steps of the task's path when no Stack is chosen, in order.
    pub fn steps(self) -> &'static [Step] {
        match self {
            Task::Setup => &Step::ALL,
            Task::Migrate => &[
                Step::Connect,
                Step::Organization,
                Step::MigratePick,
                Step::Role,
                Step::Review,
                Step::Apply,
                Step::Done,
            ],
            Task::Review => &[Step::Connect, Step::Organization, Step::Findings],
            // Opened from Done: connecting and choosing the workspaces are behind it.
            Task::AddAccount => &[
                Step::AddAccount,
                Step::Role,
                Step::Review,
                Step::Apply,
                Step::Done,
            ],
        }
    }
}

screens! { options;
    Connect => connect: ConnectStep = ConnectStep::new(&options.host), "Connect", "Connect";
    Organization => organization: OrganizationStep =
        OrganizationStep::new(options.last_organization.clone()), "Organization", "Org";
    Project => project: ProjectStep =
        ProjectStep::new(options.last_project.clone()), "Project", "Project";
    Workspaces => workspaces: WorkspacesStep = WorkspacesStep::new(), "Workspaces", "Workspaces";
    /// The deployments of the Stack chosen on the workspaces step.
    Deployments => deployments: DeploymentsStep = DeploymentsStep::default(), "Deployments",
        "Deploys";
    /// The migrate path's workspaces that receive static keys.
    MigratePick => migrate_pick: MigratePickStep =
        MigratePickStep::new(time::OffsetDateTime::now_utc()), "Static keys", "Keys";
    /// The review path's findings.
    Findings => findings: FindingsStep = FindingsStep::default(), "Findings", "Findings";
    /// Another AWS account: its profile and tag (from Done).
    AddAccount => add_account: AddAccountStep = AddAccountStep::default(), "AWS account",
        "Account";
    Role => role: RoleStep = RoleStep::new(), "AWS role", "Role";
    Variables => variables: VariablesStep = VariablesStep::new(), "Variables", "Vars";
    Review => review: ReviewStep = ReviewStep::default(), "Review", "Review";
    Apply => apply: ApplyStep = ApplyStep::default(), "Apply", "Apply";
    Done => done: DoneStep = DoneStep::default(), "Done", "Done";
}

impl Step {
    /// The setup path's steps, in order.
    pub const ALL: [Step; 9] = [
        Step::Connect,
        Step::Organization,
        Step::Project,
        Step::Workspaces,
        Step::Role,
        Step::Variables,
        Step::Review,
        Step::Apply,
        Step::Done,
    ];

    /// 1-based position on `path` (0 when the step is not on it).
    pub fn number_on(self, path: &[Step]) -> usize {
        path.iter().position(|s| *s == self).map_or(0, |i| i + 1)
    }

    /// The step after this one on `path` (the last step stays).
    pub fn next_on(self, path: &[Step]) -> Step {
        let here = self.number_on(path);
        path.get(here).or(path.last()).copied().unwrap_or(self)
    }

    /// The step before this one on `path` (the first step stays).
    pub fn prev_on(self, path: &[Step]) -> Step {
        match self.number_on(path) {
            0 | 1 => path.first().copied().unwrap_or(self),
            n => path[n - 2],
        }
    }
}

/// Where the wizard goes after a key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Navigation {
    Stay,
    Next,
    Back,
    /// Start `Task`'s path (from the review findings or the Done screen), the organization kept.
    Start(Task),
}

/// A one-line message under the screen until the next key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Flash {
    pub text: String,
    pub error: bool,
}

/// What a step did with a key or a result.
#[derive(Debug)]
pub struct Reaction {
    pub flow: Navigation,
    pub effects: Vec<Effect>,
    pub flash: Option<Flash>,
}

impl Reaction {
    /// Nothing changes screen.
    pub fn stay() -> Reaction {
        Reaction {
            flow: Navigation::Stay,
            effects: Vec::new(),
            flash: None,
        }
    }

    /// On to the next step.
    pub fn next() -> Reaction {
        Reaction {
            flow: Navigation::Next,
            ..Reaction::stay()
        }
    }

    /// Back to the previous step, answers kept.
    pub fn back() -> Reaction {
        Reaction {
            flow: Navigation::Back,
            ..Reaction::stay()
        }
    }

    /// Stay, and start an effect.
    pub fn effect(effect: Effect) -> Reaction {
        Reaction {
            effects: vec![effect],
            ..Reaction::stay()
        }
    }

    /// Stay, and say why.
    pub fn refuse(text: impl Into<String>) -> Reaction {
        Reaction {
            flash: Some(Flash {
                text: text.into(),
                error: true,
            }),
            ..Reaction::stay()
        }
    }

    /// Stay, and tell something.
    pub fn info(text: impl Into<String>) -> Reaction {
        Reaction {
            flash: Some(Flash {
                text: text.into(),
                error: false,
            }),
            ..Reaction::stay()
        }
    }
}

/// The answers gathered so far that later screens show or depend on.
#[derive(Debug, Clone, Default)]
pub struct Context {
    pub demo: bool,
    pub host: String,
    pub account: String,
    /// `aws`, `aws-cn`, `aws-us-gov`.
    pub partition: String,
    pub organization: String,
    pub project: String,
    pub project_id: String,
    pub selection: Option<WorkspaceSelection>,
    /// The workspaces the selection covers (every workspace of the project for `All`).
    pub workspace_names: Vec<String>,
    pub roles: Vec<(String, Phase)>,
}

impl Context {
    /// `arn:aws:iam::ACCOUNT:role/NAME`.
    pub fn role_arn(&self, name: &str) -> String {
        format!("arn:{}:iam::{}:role/{name}", self.partition, self.account)
    }

    /// "workspace sandbox", "workspaces a, b", "every workspace in project X".
    pub fn scope_text(&self) -> String {
        match &self.selection {
            Some(WorkspaceSelection::All) => format!("every workspace in project {}", self.project),
            Some(WorkspaceSelection::Stack { name, deployments }) => match deployments.len() {
                0 => format!("Stack {name}"),
                1 => format!("deployment {} of Stack {name}", deployments[0]),
                _ => format!("deployments {} of Stack {name}", deployments.join(", ")),
            },
            _ if self.workspace_names.len() == 1 => {
                format!("workspace {}", self.workspace_names[0])
            }
            _ => format!("workspaces {}", self.workspace_names.join(", ")),
        }
    }
}

/// What every step's view gets besides its own state.
pub struct ViewCtx<'a> {
    pub theme: Theme,
    /// The spinner's current character.
    pub spinner: &'static str,
    pub cx: &'a Context,
}
