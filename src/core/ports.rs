//! The two ports the core talks through: [`Iam`] (AWS IAM + STS) and [`Tfc`] (the HCP Terraform
//! API). Real adapters live in `crate::aws` and `crate::tfc`; `crate::sandbox` implements both in
//! memory. The types here are the core's view of the remote objects, not wire formats.

use async_trait::async_trait;
use serde::{Deserialize, Serialize};

/// Who the AWS credentials belong to (`sts:GetCallerIdentity`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CallerIdentity {
    pub account: String,
    pub arn: String,
    pub user_id: String,
}

impl CallerIdentity {
    /// The ARN partition (`aws`, `aws-cn`, `aws-us-gov`) taken from the caller's ARN.
    pub fn partition(&self) -> &str {
        self.arn
            .split(':')
            .nth(1)
            .filter(|p| !p.is_empty())
            .unwrap_or("aws")
    }
}

/// A key/value tag on an IAM resource.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tag {
    pub key: String,
    pub value: String,
}

/// An IAM OpenID Connect identity provider.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OidcProvider {
    pub arn: String,
    /// The issuer URL as IAM stores it (IAM drops the `https://` scheme).
    pub url: String,
    pub client_ids: Vec<String>,
    pub thumbprints: Vec<String>,
    pub tags: Vec<Tag>,
}

/// An IAM role, with its trust policy already URL-decoded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Role {
    pub name: String,
    pub arn: String,
    /// IAM's unique id (`AROA…`): a role deleted and re-created under the same name gets a new one.
    #[serde(default)]
    pub id: String,
    pub path: String,
    /// The assume-role (trust) policy document as JSON text.
    pub trust_policy: String,
    pub description: Option<String>,
    pub tags: Vec<Tag>,
    /// RFC 3339 time of the last use, when IAM knows it.
    pub last_used: Option<String>,
    /// RFC 3339 time the role was created (`CreateDate`), when known.
    #[serde(default)]
    pub created: Option<String>,
}

/// What creating a role needs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewRole {
    pub name: String,
    pub trust_policy: String,
    pub description: String,
    pub tags: Vec<Tag>,
}

/// What creating an OIDC provider needs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewOidcProvider {
    /// Full issuer URL, `https://HOST`.
    pub url: String,
    pub client_ids: Vec<String>,
    /// Empty: let IAM validate the issuer against its CA library.
    pub thumbprints: Vec<String>,
    pub tags: Vec<Tag>,
}

/// Status of an IAM user access key.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum AccessKeyStatus {
    Active,
    Inactive,
}

/// Errors an [`Iam`] adapter reports, classified so the core can react (retry, resume, explain).
#[derive(Debug, Clone, thiserror::Error, PartialEq, Eq)]
pub enum IamError {
    #[error("{0} does not exist")]
    NoSuchEntity(String),
    #[error("{0} already exists")]
    AlreadyExists(String),
    #[error("access denied: {0}")]
    AccessDenied(String),
    #[error("AWS is throttling requests: {0}")]
    Throttled(String),
    #[error("invalid input: {0}")]
    InvalidInput(String),
    #[error("AWS credentials: {0}")]
    Credentials(String),
    #[error("{0}")]
    Other(String),
}

/// AWS IAM and STS, as much of them as tfc-oidc needs.
///
/// Methods that look something up return `Ok(None)` when it does not exist, so the planner never
/// has to pattern-match on errors for the common case.
#[async_trait]
pub trait Iam: Send + Sync {
    async fn caller_identity(&self) -> Result<CallerIdentity, IamError>;

    async fn list_oidc_providers(&self) -> Result<Vec<String>, IamError>;
    async fn get_oidc_provider(&self, arn: &str) -> Result<Option<OidcProvider>, IamError>;
    /// Returns the new provider's ARN.
    async fn create_oidc_provider(&self, provider: &NewOidcProvider) -> Result<String, IamError>;
    async fn add_client_id(&self, provider_arn: &str, client_id: &str) -> Result<(), IamError>;
    async fn remove_client_id(&self, provider_arn: &str, client_id: &str) -> Result<(), IamError>;
    async fn delete_oidc_provider(&self, arn: &str) -> Result<(), IamError>;

    async fn get_role(&self, name: &str) -> Result<Option<Role>, IamError>;
    /// Every role in the account (all pages), trust policies decoded.
    async fn list_roles(&self) -> Result<Vec<Role>, IamError>;
    async fn create_role(&self, role: &NewRole) -> Result<Role, IamError>;
    async fn update_trust_policy(&self, role_name: &str, document: &str) -> Result<(), IamError>;
    async fn delete_role(&self, name: &str) -> Result<(), IamError>;

    async fn list_attached_policies(&self, role_name: &str) -> Result<Vec<String>, IamError>;
    async fn attach_policy(&self, role_name: &str, policy_arn: &str) -> Result<(), IamError>;
    async fn detach_policy(&self, role_name: &str, policy_arn: &str) -> Result<(), IamError>;

    async fn list_inline_policies(&self, role_name: &str) -> Result<Vec<String>, IamError>;
    async fn get_inline_policy(
        &self,
        role_name: &str,
        policy_name: &str,
    ) -> Result<Option<String>, IamError>;
    async fn put_inline_policy(
        &self,
        role_name: &str,
        policy_name: &str,
        document: &str,
    ) -> Result<(), IamError>;
    async fn delete_inline_policy(
        &self,
        role_name: &str,
        policy_name: &str,
    ) -> Result<(), IamError>;

    /// The IAM user an access key belongs to (`GetAccessKeyLastUsed`), `None` if unknown.
    async fn access_key_user(&self, access_key_id: &str) -> Result<Option<String>, IamError>;
    async fn set_access_key_status(
        &self,
        user: &str,
        access_key_id: &str,
        status: AccessKeyStatus,
    ) -> Result<(), IamError>;

    // --- migrate ---
    /// `GetAccessKeyLastUsed`: the owning user and the key's last use. `Ok(None)` when IAM does
    /// not know the key (`NoSuchEntity`); a key of another account may also answer
    /// `AccessDenied`, which is returned as an error for the caller to interpret.
    async fn access_key_last_used(
        &self,
        access_key_id: &str,
    ) -> Result<Option<AccessKeyLastUsed>, IamError>;
    /// `ListAccessKeys` of `user` (every page); empty when the user does not exist here.
    async fn list_access_keys(&self, user: &str) -> Result<Vec<AccessKeyMetadata>, IamError>;
    /// `sts:GetAccessKeyInfo`: the account an access key id belongs to (works for any
    /// account's key), `None` when STS cannot tell.
    async fn access_key_account(&self, access_key_id: &str) -> Result<Option<String>, IamError>;
}

/// The HCP Terraform user (or service user) a token belongs to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TfcUser {
    pub id: String,
    pub username: String,
    pub email: Option<String>,
    pub is_service_account: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Organization {
    /// The organization name (the API uses the name as its id).
    pub name: String,
    pub external_id: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Project {
    pub id: String,
    pub name: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Workspace {
    pub id: String,
    pub name: String,
    pub project_id: String,
    /// Filled when the adapter could learn it in the same call (`include=project`).
    pub project_name: Option<String>,
    /// The organization's name as the API spells it (tokens carry this spelling).
    pub organization: Option<String>,
}

/// `terraform` or `env`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Hash)]
#[serde(rename_all = "lowercase")]
pub enum VariableCategory {
    Terraform,
    Env,
}

/// A variable on a workspace or in a variable set. `value` is `None` for sensitive variables.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Variable {
    pub id: String,
    pub key: String,
    pub value: Option<String>,
    pub description: Option<String>,
    pub category: VariableCategory,
    pub sensitive: bool,
    pub hcl: bool,
}

/// What creating (or updating) a variable sends.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewVariable {
    pub key: String,
    pub value: String,
    pub description: String,
    pub category: VariableCategory,
    pub sensitive: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VariableSet {
    pub id: String,
    pub name: String,
    pub description: Option<String>,
    pub global: bool,
    pub priority: bool,
    pub workspace_ids: Vec<String>,
    pub project_ids: Vec<String>,
}

/// An HCP Terraform Stack (Stacks API): its runs authenticate per deployment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Stack {
    pub id: String,
    pub name: String,
    pub project_id: String,
    /// The deployments of its latest configuration (`deployment-names`).
    pub deployment_names: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewVariableSet {
    pub name: String,
    pub description: String,
}

/// Errors a [`Tfc`] adapter reports.
#[derive(Debug, Clone, thiserror::Error, PartialEq, Eq)]
pub enum TfcError {
    #[error("HCP Terraform rejected the token for {host} (401): run 'terraform login {host}' or set TFE_TOKEN")]
    Unauthorized { host: String },
    #[error("{what} not found, or the token has no access to it (404)")]
    NotFound { what: String },
    #[error("HCP Terraform refused the request ({status}): {detail}")]
    Rejected { status: u16, detail: String },
    #[error("HCP Terraform kept rate-limiting the requests (429) after {retries} retries")]
    RateLimited { retries: u32 },
    #[error("HCP Terraform server error ({status}): {detail}")]
    Server { status: u16, detail: String },
    #[error("could not reach HCP Terraform at {url}: {detail}")]
    Transport { url: String, detail: String },
    #[error("unexpected response from HCP Terraform: {0}")]
    Protocol(String),
}

/// The HCP Terraform API v2, as much of it as tfc-oidc needs. List methods follow every page.
#[async_trait]
pub trait Tfc: Send + Sync {
    /// The host name (`app.terraform.io`): also the OIDC issuer's host.
    fn host(&self) -> &str;

    /// The API's base address: two servers for one host name (a proxy, a staging instance) are
    /// told apart by it, so a journal is never resumed against the other one.
    fn api_url(&self) -> String {
        format!("https://{}/api/v2", self.host())
    }

    async fn account(&self) -> Result<TfcUser, TfcError>;
    async fn organizations(&self) -> Result<Vec<Organization>, TfcError>;
    async fn organization(&self, name: &str) -> Result<Organization, TfcError>;

    async fn projects(&self, org: &str) -> Result<Vec<Project>, TfcError>;
    async fn project(&self, id: &str) -> Result<Project, TfcError>;

    /// Workspaces of an organization, optionally only those of one project.
    async fn workspaces(
        &self,
        org: &str,
        project_id: Option<&str>,
    ) -> Result<Vec<Workspace>, TfcError>;
    /// One workspace by name, with its project name filled in.
    async fn workspace(&self, org: &str, name: &str) -> Result<Workspace, TfcError>;

    /// Stacks of an organization, optionally only those of one project. Servers without
    /// Stacks (Terraform Enterprise, older releases) have none.
    async fn stacks(&self, org: &str, project_id: Option<&str>) -> Result<Vec<Stack>, TfcError> {
        let _ = (org, project_id);
        Ok(Vec::new())
    }

    async fn workspace_variables(&self, workspace_id: &str) -> Result<Vec<Variable>, TfcError>;
    /// The variables a run of the workspace gets: its own and those of variable sets that reach it
    /// (`GET /workspaces/:id/all-vars`), one per key and category, highest precedence first wins.
    async fn effective_variables(&self, workspace_id: &str) -> Result<Vec<Variable>, TfcError>;
    async fn create_workspace_variable(
        &self,
        workspace_id: &str,
        var: &NewVariable,
    ) -> Result<Variable, TfcError>;
    async fn update_workspace_variable(
        &self,
        workspace_id: &str,
        variable_id: &str,
        var: &NewVariable,
    ) -> Result<Variable, TfcError>;
    async fn delete_workspace_variable(
        &self,
        workspace_id: &str,
        variable_id: &str,
    ) -> Result<(), TfcError>;

    /// Every variable set of the organization (workspace and project attachments filled in).
    async fn variable_sets(&self, org: &str) -> Result<Vec<VariableSet>, TfcError>;
    /// Variable sets that reach a workspace (attached to it, to its project, or global).
    async fn workspace_variable_sets(
        &self,
        workspace_id: &str,
    ) -> Result<Vec<VariableSet>, TfcError>;
    async fn variable_set(&self, id: &str) -> Result<VariableSet, TfcError>;
    async fn create_variable_set(
        &self,
        org: &str,
        set: &NewVariableSet,
    ) -> Result<VariableSet, TfcError>;
    async fn delete_variable_set(&self, id: &str) -> Result<(), TfcError>;

    async fn variable_set_variables(&self, set_id: &str) -> Result<Vec<Variable>, TfcError>;
    async fn create_variable_set_variable(
        &self,
        set_id: &str,
        var: &NewVariable,
    ) -> Result<Variable, TfcError>;
    async fn update_variable_set_variable(
        &self,
        set_id: &str,
        variable_id: &str,
        var: &NewVariable,
    ) -> Result<Variable, TfcError>;
    async fn delete_variable_set_variable(
        &self,
        set_id: &str,
        variable_id: &str,
    ) -> Result<(), TfcError>;

    async fn attach_variable_set_to_workspaces(
        &self,
        set_id: &str,
        workspace_ids: &[String],
    ) -> Result<(), TfcError>;
    async fn detach_variable_set_from_workspaces(
        &self,
        set_id: &str,
        workspace_ids: &[String],
    ) -> Result<(), TfcError>;
    async fn attach_variable_set_to_projects(
        &self,
        set_id: &str,
        project_ids: &[String],
    ) -> Result<(), TfcError>;
    async fn detach_variable_set_from_projects(
        &self,
        set_id: &str,
        project_ids: &[String],
    ) -> Result<(), TfcError>;

    // --- verify ---

    /// The workspace's current configuration version (`GET /workspaces/:id`).
    async fn current_configuration(
        &self,
        workspace_id: &str,
    ) -> Result<CurrentConfiguration, TfcError>;
    /// Queues a plan-only (speculative) run on the workspace's current configuration version
    /// (`POST /runs` with `plan-only: true`): it can never be applied.
    async fn create_plan_only_run(
        &self,
        workspace_id: &str,
        message: &str,
    ) -> Result<RunInfo, TfcError>;
    /// `GET /runs/:id`.
    async fn run(&self, run_id: &str) -> Result<RunInfo, TfcError>;
    /// `GET /plans/:id`.
    async fn plan(&self, plan_id: &str) -> Result<PlanInfo, TfcError>;
    /// The plan's log, read from its `log-read-url` without the API token (the archive is
    /// another host; the URL itself is the credential). STX/ETX markers are removed.
    async fn plan_log(&self, plan: &PlanInfo) -> Result<String, TfcError>;
}

// --- verify ---

/// A workspace's current configuration version (the Terraform files its runs plan).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConfigurationVersion {
    pub id: String,
    /// `uploaded`, `pending`, `errored`, `archived`, … when the server said.
    pub status: Option<String>,
}

/// What a workspace says about its current configuration version.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum CurrentConfiguration {
    /// The workspace has one.
    Version(ConfigurationVersion),
    /// The workspace has none (`current-configuration-version` is `null`): a run cannot start.
    None,
    /// The server did not say (no such relationship): only creating a run will tell.
    Unknown,
}

/// A run as `GET /runs/:id` shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RunInfo {
    pub id: String,
    /// `pending`, `plan_queued`, `planning`, `planned_and_finished`, `errored`, …
    pub status: String,
    pub plan_only: bool,
    /// The run's plan (`relationships.plan`), once the server names it.
    pub plan_id: Option<String>,
    /// Where the run waits in the organization's queue, when the server says.
    pub position_in_queue: Option<u64>,
}

/// A plan as `GET /plans/:id` shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlanInfo {
    pub id: String,
    /// `pending`, `queued`, `running`, `finished`, `errored`, `canceled`, `unreachable`.
    pub status: String,
    /// The archive URL the log is read from: another host, never sent the API token.
    pub log_read_url: Option<String>,
}

// --- activity ---

/// One CloudTrail management event as `LookupEvents` returns it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TrailEvent {
    pub event_id: String,
    /// RFC 3339.
    pub event_time: String,
    /// The event's own JSON document (`CloudTrailEvent`), parsed by `core::activity`.
    pub cloudtrail_event: String,
}

/// What one read of the trail found.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct TrailEvents {
    pub events: Vec<TrailEvent>,
    /// More events matched than were read (the reader stops after a fixed number of pages).
    pub truncated: bool,
    /// The region whose event history was read.
    pub region: Option<String>,
}

/// AWS CloudTrail's event history (`LookupEvents`), as much of it as `activity` needs. Errors
/// are classified like IAM's.
#[async_trait]
pub trait AuditTrail: Send + Sync {
    /// `AssumeRoleWithWebIdentity` events between `start` and `end`, newest first, every page
    /// up to the reader's limit.
    async fn web_identity_events(
        &self,
        start: time::OffsetDateTime,
        end: time::OffsetDateTime,
    ) -> Result<TrailEvents, IamError>;
}

// --- migrate ---

/// What `GetAccessKeyLastUsed` says about an access key of the caller's account.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccessKeyLastUsed {
    /// The IAM user that owns the key.
    pub user: String,
    /// RFC 3339 time of the last use; `None` when never used (or not since IAM tracks it).
    pub last_used: Option<String>,
    /// The service of the last use (`s3`); `None` where IAM says `N/A`.
    pub service: Option<String>,
    /// The region of the last use; `None` where IAM says `N/A`.
    pub region: Option<String>,
}

/// One access key of an IAM user, as `ListAccessKeys` lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccessKeyMetadata {
    pub id: String,
    pub status: AccessKeyStatus,
    /// RFC 3339 creation time.
    pub created: Option<String>,
}
