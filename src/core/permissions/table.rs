//! What each port call needs, and which calls each command can make: the one table
//! `tfc-oidc permissions` is computed from. A port method without a row here fails the tests
//! (every operation the sandboxes record must be listed), and so does a command whose calls on
//! the sandbox go beyond its row in [`COMMAND_CALLS`].

/// Which kind of resource an AWS action acts on, so the policy can name it instead of `*`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum On {
    /// Actions IAM authorises on `*` only (lists, STS, CloudTrail), and Organizations' reads.
    Any,
    Role,
    OidcProvider,
    User,
    Group,
    Policy,
}

/// One port method and what it needs.
pub struct PortCall {
    /// The port method's name, as the sandboxes record it.
    pub op: &'static str,
    /// The AWS actions its adapter calls (empty for HCP Terraform calls).
    pub aws: &'static [&'static str],
    pub on: On,
    /// For HCP Terraform calls: the permission the token needs, in HashiCorp's words.
    pub tfc: Option<&'static str>,
    /// Whether the call writes.
    pub write: bool,
}

const fn aws(op: &'static str, aws: &'static [&'static str], on: On, write: bool) -> PortCall {
    PortCall {
        op,
        aws,
        on,
        tfc: None,
        write,
    }
}

const fn tfc(op: &'static str, permission: &'static str, write: bool) -> PortCall {
    PortCall {
        op,
        aws: &[],
        on: On::Any,
        tfc: Some(permission),
        write,
    }
}

// HCP Terraform permissions, as its permissions model names them.
const READ_ORG: &str = "read the organization, its projects and workspaces";
const READ_VARS: &str = "read variables of the workspaces (read variables)";
const WRITE_VARS: &str = "write workspace variables (read and write variables)";
const READ_SETS: &str = "read variable sets";
const MANAGE_SETS: &str = "manage variable sets (create, write, apply to workspaces and projects)";
const QUEUE_PLANS: &str = "queue plans (plan-only runs)";
const READ_RUNS: &str = "read runs and their plan logs";

/// Every port method. The AWS actions are the ones each adapter in `src/aws/` sends (tags on
/// create need the `Tag*` action too).
pub const PORT_CALLS: &[PortCall] = &[
    aws(
        "caller_identity",
        &["sts:GetCallerIdentity"],
        On::Any,
        false,
    ),
    aws(
        "list_oidc_providers",
        &["iam:ListOpenIDConnectProviders"],
        On::Any,
        false,
    ),
    aws(
        "get_oidc_provider",
        &["iam:GetOpenIDConnectProvider"],
        On::OidcProvider,
        false,
    ),
    aws(
        "create_oidc_provider",
        &[
            "iam:CreateOpenIDConnectProvider",
            "iam:TagOpenIDConnectProvider",
        ],
        On::OidcProvider,
        true,
    ),
    aws(
        "add_client_id",
        &["iam:AddClientIDToOpenIDConnectProvider"],
        On::OidcProvider,
        true,
    ),
    aws(
        "remove_client_id",
        &["iam:RemoveClientIDFromOpenIDConnectProvider"],
        On::OidcProvider,
        true,
    ),
    aws(
        "delete_oidc_provider",
        &["iam:DeleteOpenIDConnectProvider"],
        On::OidcProvider,
        true,
    ),
    aws("get_role", &["iam:GetRole"], On::Role, false),
    aws("list_roles", &["iam:ListRoles"], On::Any, false),
    aws(
        "create_role",
        &["iam:CreateRole", "iam:TagRole"],
        On::Role,
        true,
    ),
    aws(
        "update_trust_policy",
        &["iam:UpdateAssumeRolePolicy"],
        On::Role,
        true,
    ),
    aws("delete_role", &["iam:DeleteRole"], On::Role, true),
    aws(
        "list_attached_policies",
        &["iam:ListAttachedRolePolicies"],
        On::Role,
        false,
    ),
    aws("attach_policy", &["iam:AttachRolePolicy"], On::Role, true),
    aws("detach_policy", &["iam:DetachRolePolicy"], On::Role, true),
    aws(
        "list_inline_policies",
        &["iam:ListRolePolicies"],
        On::Role,
        false,
    ),
    aws("get_inline_policy", &["iam:GetRolePolicy"], On::Role, false),
    aws("put_inline_policy", &["iam:PutRolePolicy"], On::Role, true),
    aws(
        "delete_inline_policy",
        &["iam:DeleteRolePolicy"],
        On::Role,
        true,
    ),
    aws(
        "set_access_key_status",
        &["iam:UpdateAccessKey"],
        On::User,
        true,
    ),
    aws(
        "access_key_last_used",
        &["iam:GetAccessKeyLastUsed"],
        On::User,
        false,
    ),
    aws("list_access_keys", &["iam:ListAccessKeys"], On::User, false),
    aws(
        "login_profile_exists",
        &["iam:GetLoginProfile"],
        On::User,
        false,
    ),
    aws(
        "access_key_events",
        &["cloudtrail:LookupEvents"],
        On::Any,
        false,
    ),
    aws(
        "access_key_account",
        &["sts:GetAccessKeyInfo"],
        On::Any,
        false,
    ),
    aws(
        "get_managed_policy_document",
        &["iam:GetPolicy", "iam:GetPolicyVersion"],
        On::Policy,
        false,
    ),
    aws(
        "managed_policy_exists",
        &["iam:GetPolicy"],
        On::Policy,
        false,
    ),
    aws(
        "user_permissions_boundary",
        &["iam:GetUser"],
        On::User,
        false,
    ),
    aws(
        "list_attached_user_policies",
        &["iam:ListAttachedUserPolicies"],
        On::User,
        false,
    ),
    aws(
        "list_groups_for_user",
        &["iam:ListGroupsForUser"],
        On::User,
        false,
    ),
    aws(
        "list_attached_group_policies",
        &["iam:ListAttachedGroupPolicies"],
        On::Group,
        false,
    ),
    aws(
        "user_inline_policies",
        &["iam:ListUserPolicies", "iam:GetUserPolicy"],
        On::User,
        false,
    ),
    aws(
        "group_inline_policies",
        &["iam:ListGroupPolicies", "iam:GetGroupPolicy"],
        On::Group,
        false,
    ),
    aws(
        "web_identity_events",
        &["cloudtrail:LookupEvents"],
        On::Any,
        false,
    ),
    aws(
        "resource_control_policies",
        &["organizations:ListPolicies"],
        On::Any,
        false,
    ),
    aws(
        "policy_content",
        &["organizations:DescribePolicy"],
        On::Any,
        false,
    ),
    aws(
        "policy_targets",
        &["organizations:ListTargetsForPolicy"],
        On::Any,
        false,
    ),
    aws(
        "org_parents",
        &["organizations:ListParents"],
        On::Any,
        false,
    ),
    tfc("account", READ_ORG, false),
    tfc("organizations", READ_ORG, false),
    tfc("organization", READ_ORG, false),
    tfc("projects", READ_ORG, false),
    tfc("project", READ_ORG, false),
    tfc("workspaces", READ_ORG, false),
    tfc("workspace", READ_ORG, false),
    tfc("stacks", READ_ORG, false),
    tfc("workspace_variables", READ_VARS, false),
    tfc("create_workspace_variable", WRITE_VARS, true),
    tfc("update_workspace_variable", WRITE_VARS, true),
    tfc("delete_workspace_variable", WRITE_VARS, true),
    tfc("variable_sets", READ_SETS, false),
    tfc("workspace_variable_sets", READ_SETS, false),
    tfc("variable_set_variables", READ_SETS, false),
    tfc("create_variable_set", MANAGE_SETS, true),
    tfc("delete_variable_set", MANAGE_SETS, true),
    tfc("create_variable_set_variable", MANAGE_SETS, true),
    tfc("update_variable_set_variable", MANAGE_SETS, true),
    tfc("delete_variable_set_variable", MANAGE_SETS, true),
    tfc("attach_variable_set_to_workspaces", MANAGE_SETS, true),
    tfc("detach_variable_set_from_workspaces", MANAGE_SETS, true),
    tfc("attach_variable_set_to_projects", MANAGE_SETS, true),
    tfc("detach_variable_set_from_projects", MANAGE_SETS, true),
    tfc("current_configuration", READ_RUNS, false),
    tfc("create_plan_only_run", QUEUE_PLANS, true),
    tfc("run", READ_RUNS, false),
    tfc("plan", READ_RUNS, false),
    tfc("plan_log", READ_RUNS, false),
];

/// What the inventory reads (review, and the checks of migrate and explain).
const INVENTORY: &[&str] = &[
    "caller_identity",
    "list_oidc_providers",
    "get_oidc_provider",
    "get_role",
    "list_roles",
    "list_attached_policies",
    "list_inline_policies",
    "get_inline_policy",
    "get_managed_policy_document",
    "access_key_last_used",
    "list_access_keys",
    "access_key_account",
    "organization",
    "projects",
    "project",
    "workspaces",
    "workspace",
    "stacks",
    "workspace_variables",
    "variable_sets",
    "workspace_variable_sets",
    "variable_set_variables",
];

/// What setup plans and applies (and undo reverts with the same calls' inverses).
const SETUP: &[&str] = &[
    "caller_identity",
    "list_oidc_providers",
    "get_oidc_provider",
    "create_oidc_provider",
    "add_client_id",
    "get_role",
    "list_roles",
    "create_role",
    "update_trust_policy",
    "list_attached_policies",
    "attach_policy",
    "list_inline_policies",
    "get_inline_policy",
    "put_inline_policy",
    "get_managed_policy_document",
    "managed_policy_exists",
    "account",
    "organization",
    "projects",
    "project",
    "workspaces",
    "workspace",
    "stacks",
    "workspace_variables",
    "create_workspace_variable",
    "update_workspace_variable",
    "delete_workspace_variable",
    "variable_sets",
    "workspace_variable_sets",
    "variable_set_variables",
    "create_variable_set",
    "create_variable_set_variable",
    "update_variable_set_variable",
    "delete_variable_set_variable",
    "attach_variable_set_to_workspaces",
    "attach_variable_set_to_projects",
];

/// Migrate: setup's calls, the inventory's, and removing keys (variables, set attachments,
/// key status); before deactivating, where a key was used; after, what is left of its user
/// (and with `--verify`, verify's calls).
const MIGRATE_EXTRA: &[&str] = &[
    "set_access_key_status",
    "access_key_events",
    "login_profile_exists",
    "user_permissions_boundary",
    "list_attached_user_policies",
    "list_groups_for_user",
    "list_attached_group_policies",
    "user_inline_policies",
    "group_inline_policies",
    "detach_variable_set_from_workspaces",
];

/// Undo: the inverse of every write, and the reads that check what is there now.
const UNDO: &[&str] = &[
    "caller_identity",
    "get_oidc_provider",
    "list_oidc_providers",
    "remove_client_id",
    "delete_oidc_provider",
    "get_role",
    "list_roles",
    "update_trust_policy",
    "delete_role",
    "list_attached_policies",
    "detach_policy",
    "attach_policy",
    "list_inline_policies",
    "get_inline_policy",
    "put_inline_policy",
    "delete_inline_policy",
    "set_access_key_status",
    "workspace",
    "workspace_variables",
    "create_workspace_variable",
    "update_workspace_variable",
    "delete_workspace_variable",
    "variable_set_variables",
    "create_variable_set_variable",
    "update_variable_set_variable",
    "delete_variable_set_variable",
    "delete_variable_set",
    "attach_variable_set_to_workspaces",
    "detach_variable_set_from_workspaces",
    "attach_variable_set_to_projects",
    "detach_variable_set_from_projects",
    "workspace_variable_sets",
];

const VERIFY: &[&str] = &[
    "variable_set_variables",
    "caller_identity",
    "get_role",
    "get_oidc_provider",
    "organization",
    "workspace",
    "workspace_variables",
    "workspace_variable_sets",
    "current_configuration",
    "create_plan_only_run",
    "run",
    "plan",
    "plan_log",
];

const ACTIVITY: &[&str] = &[
    "caller_identity",
    "list_oidc_providers",
    "get_oidc_provider",
    "list_roles",
    "get_role",
    "web_identity_events",
];

/// Whether a resource control policy guards the account (review only).
const GUARDRAIL_COVERAGE: &[&str] = &[
    "resource_control_policies",
    "policy_content",
    "policy_targets",
    "org_parents",
];

/// Which commands exist for `permissions`, with the calls each can make.
pub fn command_calls(command: &str) -> Option<Vec<&'static str>> {
    let parts: &[&[&str]] = match command {
        "setup" => &[SETUP],
        "migrate" => &[SETUP, INVENTORY, MIGRATE_EXTRA, VERIFY],
        "review" => &[INVENTORY, ACTIVITY, GUARDRAIL_COVERAGE],
        "explain" => &[INVENTORY],
        "verify" => &[VERIFY],
        "activity" => &[ACTIVITY],
        "undo" => &[UNDO],
        "guardrail" => &[],
        _ => return None,
    };
    let mut calls: Vec<&str> = parts.iter().flat_map(|p| p.iter().copied()).collect();
    calls.sort_unstable();
    calls.dedup();
    Some(calls)
}

/// The commands `permissions` knows, in the order the README lists them.
pub const COMMANDS: &[&str] = &[
    "setup",
    "migrate",
    "review",
    "explain",
    "verify",
    "activity",
    "undo",
    "guardrail",
];

pub fn port_call(op: &str) -> Option<&'static PortCall> {
    PORT_CALLS.iter().find(|c| c.op == op)
}
