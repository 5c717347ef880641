//! Messages: everything that can happen to the wizard (a key, a tick, the result of an effect),
//! and how a session ends.

use crate::core::apply::{ApplyReport, Progress};
use crate::core::error::PlanError;
use crate::core::inventory::{Inventory, InventoryError};
use crate::core::plan::Plan;
use crate::core::ports::{
    CallerIdentity, IamError, Organization, Project, TfcError, TfcUser, VariableSet, Workspace,
};
use crate::core::review::assess::failing_oidc;
use crate::core::review::{assess, ActivityRead};
use crate::core::variables::{aws_access, AwsAccess, VariableSource};
use crate::tui::connector::ConnectError;
use crate::tui::failure::{
    ApplyFailure, AwsConnectFailure, DiscoverFailure, ExportFailure, PolicyFileFailure,
    TaskFailure, VerifyFailure,
};
use crate::tui::report::{Configured, Report};
use crossterm::event::{Event, KeyEvent, KeyEventKind};

/// What the connect effect found out.
#[derive(Debug, Clone)]
pub struct ConnectReport {
    pub host: String,
    pub token_source: String,
    pub user: Result<TfcUser, TfcError>,
    pub caller: Result<CallerIdentity, IamError>,
}

/// How a workspace authenticates to AWS today, from the variables its runs get (its own and
/// those of variable sets that reach it): the wizard's view of the core's [`AwsAccess`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Badge {
    /// `TFC_AWS_PROVIDER_AUTH=true` (the default configuration).
    Oidc,
    /// `TFC_AWS_PROVIDER_AUTH=true`, but the review finds its runs get no credentials (the
    /// finding's code: TFCOIDC006 no role ARN, 007 a role that refuses it, 016 refused runs).
    OidcFailing(&'static str),
    /// Only tagged configurations (`TFC_AWS_PROVIDER_AUTH_TAG=true`): the provider blocks that
    /// name no alias get no credentials from them.
    TaggedOidc(Vec<String>),
    /// Static key variables (`AWS_ACCESS_KEY_ID`, …) present.
    StaticKeys(KeyOrigin),
    /// Both at once (a half-done migration).
    Both(KeyOrigin),
    /// Neither.
    Nothing,
    /// The variables could not be read.
    Unknown(String),
}

/// Where the static AWS keys a workspace's runs get are defined.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KeyOrigin {
    /// On the workspace itself.
    Workspace,
    /// In the variable set of this name, which reaches it.
    VariableSet(String),
}

impl From<&VariableSource> for KeyOrigin {
    fn from(source: &VariableSource) -> KeyOrigin {
        match source {
            VariableSource::Workspace => KeyOrigin::Workspace,
            VariableSource::VariableSet { name, .. } => KeyOrigin::VariableSet(name.clone()),
        }
    }
}

impl Badge {
    /// Every workspace's badge (by id), from the one review of the inventory
    /// ([`crate::core::review::assess`]) the review screen and the CLI show: a workspace the
    /// review says gets no credentials is never called configured.
    pub fn of_inventory(inv: &Inventory) -> Vec<(String, Badge)> {
        let hcp_only = ActivityRead::Skipped("badges read HCP Terraform only".into());
        let now = time::OffsetDateTime::now_utc();
        let review = assess(inv, &hcp_only, now, false);
        inv.workspaces
            .iter()
            .map(|w| {
                let failing = failing_oidc(inv, w, &review.findings).map(|f| f.id.code());
                (w.workspace.id.clone(), Badge::of(&aws_access(w), failing))
            })
            .collect()
    }

    /// The badge of a workspace that reaches AWS as `access` says, `failing` the code of the
    /// review's finding that its OIDC gets its runs no credentials, if there is one.
    pub fn of(access: &AwsAccess, failing: Option<&'static str>) -> Badge {
        let keys = access.static_key_source().map(KeyOrigin::from);
        let default = access.default_configuration().is_some_and(|c| c.enabled());
        let tags: Vec<String> = access
            .configurations
            .iter()
            .filter(|c| c.enabled())
            .filter_map(|c| c.tag.clone())
            .collect();
        match (access.oidc_enabled(), keys, failing) {
            (true, Some(from), _) => Badge::Both(from),
            (true, None, Some(code)) => Badge::OidcFailing(code),
            (true, None, None) if !default => Badge::TaggedOidc(tags),
            (true, None, None) => Badge::Oidc,
            (false, Some(from), _) => Badge::StaticKeys(from),
            (false, None, _) => Badge::Nothing,
        }
    }
}

/// One message for `update`.
#[derive(Debug)]
pub enum Msg {
    Key(KeyEvent),
    /// The terminal's size (at start and whenever it changes): redraw.
    Resize(u16, u16),
    /// Spinners turn (sent only while something is in flight).
    Tick,
    /// The input stream ended (terminal gone, or a test script done).
    InputClosed,
    Connected(Result<ConnectReport, ConnectError>),
    Organizations(Result<Vec<Organization>, TfcError>),
    Projects {
        org: String,
        result: Result<Vec<Project>, TfcError>,
    },
    Workspaces {
        project_id: String,
        result: Result<Vec<Workspace>, TfcError>,
    },
    /// How each workspace of the project reaches AWS (by workspace id), from the inventory.
    AwsAccess {
        project_id: String,
        result: Result<Vec<(String, Badge)>, InventoryError>,
    },
    Roles(Result<Vec<crate::tui::steps::role_permissions::TrustingRole>, IamError>),
    VariableSets {
        org: String,
        result: Result<Vec<VariableSet>, TfcError>,
    },
    PolicyFile {
        path: String,
        result: Result<String, PolicyFileFailure>,
    },
    Planned {
        generation: u64,
        result: Result<Plan, PlanError>,
    },
    Progress(Progress),
    /// The apply ended: the report, or why not.
    Applied(Result<ApplyReport, ApplyFailure>),
    /// Something failed beside the screen's work (a task panicked, the demo was not saved).
    TaskFailed(TaskFailure),
    /// Something to tell while a task goes on (waiting for another run's lock).
    Notice(String),
    /// The export was written (what to tell), or not (why).
    Exported(Result<String, ExportFailure>),
    /// How `verify` on the Done screen is going.
    Verify(VerifyUpdate),
    /// The migrate path's discovery: workspaces receiving static keys, or why not.
    Discovered(Result<crate::core::migrate::Discovery, DiscoverFailure>),
    /// The migration's plan (same generation rule as [`Msg::Planned`]).
    MigrationPlanned {
        generation: u64,
        result: Result<Box<crate::core::migrate::Migration>, crate::core::migrate::MigrateError>,
    },
    /// How far the review path's read of the organization has got.
    InventoryProgress(crate::core::inventory::ReadProgress),
    /// The review path's read ended.
    InventoryRead(Result<Box<crate::core::review::Assessment>, InventoryError>),
    /// The Stacks of the project (listed beside its workspaces; none when they cannot be read).
    Stacks {
        project_id: String,
        stacks: Vec<crate::core::ports::Stack>,
    },
    /// The AWS profiles found for "add another AWS account".
    Profiles(Vec<String>),
    /// Another AWS account's IAM port is connected (who it is), or why not.
    AwsConnected {
        profile: String,
        result: Result<CallerIdentity, AwsConnectFailure>,
    },
    /// The migrate path's proof before deactivation.
    Proof(ProofNews),
}

/// News of the migrate path's proof (held when planned, verified after the apply, the proven
/// keys deactivated on Done).
#[derive(Debug)]
pub enum ProofNews {
    /// The migration's key deactivations, held for the proof (sent just before its plan).
    Held(Box<crate::core::migrate::proof::Held>),
    /// The migrated workspaces were verified, the held keys decided, what is left read.
    Proven {
        verified: Vec<crate::core::migrate::verification::Verified>,
        decided: Option<crate::core::migrate::deactivation::Deactivations>,
        left: Vec<crate::core::migrate::leftovers::UserLeft>,
        held: Box<crate::core::migrate::proof::Held>,
    },
    /// The verification could not start (one line why).
    NotProven(String),
    /// The proven keys' deactivation ended, and what is left since.
    Deactivated {
        result: Result<ApplyReport, ApplyFailure>,
        left: Vec<crate::core::migrate::leftovers::UserLeft>,
    },
}

/// News of the verification started on the Done screen.
#[derive(Debug)]
pub enum VerifyUpdate {
    Event(crate::core::verify::VerifyEvent),
    /// The report, or why none could be made.
    Done(Result<Box<crate::core::verify::VerifyReport>, VerifyFailure>),
}

impl Msg {
    /// The message for a terminal event, if it matters.
    pub fn from_event(event: Event) -> Option<Msg> {
        match event {
            Event::Key(key) if key.kind != KeyEventKind::Release => Some(Msg::Key(key)),
            Event::Resize(w, h) => Some(Msg::Resize(w, h)),
            _ => None,
        }
    }
}

/// How the wizard ended.
#[derive(Debug, Clone, PartialEq)]
pub enum WizardEnd {
    /// Left before applying: nothing was changed.
    Cancelled,
    /// Changes were applied: every path the session finished (the last is the Done screen left
    /// on).
    Applied(Box<Report>),
    /// Everything was already in place: nothing to apply.
    NothingToDo(Box<Report>),
    /// The apply stopped part way; the journal keeps what was done. `earlier`: the paths the
    /// session finished before this one.
    Partial {
        message: String,
        earlier: Option<Box<Report>>,
    },
}

impl WizardEnd {
    /// How a session that finished `all` these paths ended (none: cancelled).
    pub fn of(all: Vec<Configured>) -> WizardEnd {
        match Report::of(all) {
            None => WizardEnd::Cancelled,
            Some(report) if report.changed_anything() => WizardEnd::Applied(Box::new(report)),
            Some(report) => WizardEnd::NothingToDo(Box::new(report)),
        }
    }
}
