//! The demo organization `--demo` starts from.
//!
//! HCP Terraform on `app.terraform.io`, user `demo-user`. Lists come back sorted by name in
//! byte order (upper case first), so the wizard's first choices are `acme-corp` →
//! `Default Project` → `sandbox`, a clean workspace (no keys, no OIDC).
//!
//! | organization | project (list order) | workspaces (list order) |
//! | --- | --- | --- |
//! | acme-corp | Default Project | sandbox |
//! | | data | etl (static keys through variable set `legacy-aws-keys`), warehouse (static keys of the second account) |
//! | | payments | payments-api (sensitive `db_password`), payments-worker (static keys) |
//! | | platform | dns (`TFC_AWS_PROVIDER_AUTH=true`, no role ARN), network-prod, network-staging (static keys) |
//! | acme-sandbox | Default Project | playground |
//!
//! Variable sets of `acme-corp`: `acme-defaults` (global, `cost_center`), `legacy-aws-keys`
//! (workspace `etl`, AWS keys only), `payments-shared` (project `payments`, `pci_scope`).
//! Every workspace has a configuration version except `playground` (for `verify`).
//! Static keys are `AWS_ACCESS_KEY_ID=AKIAEXAMPLE0000001` (env, readable) and a sensitive
//! `AWS_SECRET_ACCESS_KEY`. The AWS account holds the IAM user `ci-deployer` with that key,
//! active (412 days old, last used by S3 two days ago), and the OIDC provider for
//! `app.terraform.io` (audience `aws.workload.identity`) that the review roles below trust: were
//! it missing, setup would refuse to create it under those broad roles.
//! The second AWS account (`210987654321`, profile `demo-analytics`) holds the IAM user
//! `analytics-loader` (S3 read-only, an inline Athena policy) and the key `warehouse` uses.
//!
//! For `review`, a few deliberate misconfigurations that leave the wizard's screens as they were
//! (no new project, workspace or variable set; no variable a badge reads):
//!
//! | where | what | findings |
//! | --- | --- | --- |
//! | role `terraform-ci` | trusts the provider with `aud` only, AdministratorAccess, created in 2023, never used | 001, 010, 013 |
//! | role `tfc-acme-shared` | `organization:acme-*:…:run_phase:*` | 002, 012 |
//! | role `legacy-deploy` | `StringEquals` on `sub` with `workspace:*`, no `aud` | 003, 008 |
//! | role `analytics-reader` | trusts project `analytics` (renamed to `data`) | 009, 012 |
//! | workspace `warehouse` | tagged configuration `ANALYTICS` naming `analytics-reader` | 007 |
//! | workspace `network-prod` | `TFC_AWS_RUN_ROLE_ARN_SHARED` without `TFC_AWS_PROVIDER_AUTH_SHARED` | 014 |
//!
//! [`REVIEW_ROLES`] names the roles; `Sandbox::demo_without_review_roles` drops them and the
//! provider, for tests that need an account no role trusts yet.

use super::{SandboxIam, SandboxTfc, DEMO_ACCESS_KEY_ID, DEMO_HOST, DEMO_KEY_USER};
use super::{DEMO_SECOND_ACCESS_KEY_ID, DEMO_SECOND_ACCOUNT, DEMO_SECOND_KEY_USER};
use crate::core::ports::{
    AccessKeyStatus, NewRole, NewVariable, NewVariableSet, TfcError, VariableCategory,
};

/// The secret half of the demo key (AWS's documentation example).
const DEMO_SECRET: &str = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";

/// (organization, project, workspaces) in creation order.
const LAYOUT: &[(&str, &str, &[&str])] = &[
    (
        "acme-corp",
        "platform",
        &["network-prod", "network-staging", "dns"],
    ),
    (
        "acme-corp",
        "payments",
        &["payments-api", "payments-worker"],
    ),
    ("acme-corp", "Default Project", &["sandbox"]),
    ("acme-corp", "data", &["warehouse", "etl"]),
    ("acme-sandbox", "Default Project", &["playground"]),
];

/// What a seeded variable is: category and sensitivity.
#[derive(Clone, Copy)]
enum Kind {
    Env,
    Tf,
    SecretEnv,
    SecretTf,
}

/// (workspace, key, value, kind, description).
type Seed = (&'static str, &'static str, &'static str, Kind, &'static str);

const STATIC_KEYS: &[(&str, &str, Kind)] = &[
    ("AWS_ACCESS_KEY_ID", DEMO_ACCESS_KEY_ID, Kind::Env),
    ("AWS_SECRET_ACCESS_KEY", DEMO_SECRET, Kind::SecretEnv),
];

#[rustfmt::skip]
const WORKSPACE_VARS: &[Seed] = &[
    ("network-prod", "AWS_REGION", "us-east-1", Kind::Env, ""),
    ("network-prod", "vpc_cidr", "10.0.0.0/16", Kind::Tf, "VPC address range"),
    ("network-prod", "environment", "prod", Kind::Tf, ""),
    ("network-staging", "AWS_REGION", "us-east-1", Kind::Env, ""),
    ("network-staging", "vpc_cidr", "10.1.0.0/16", Kind::Tf, "VPC address range"),
    ("network-staging", "environment", "staging", Kind::Tf, ""),
    ("dns", "TFC_AWS_PROVIDER_AUTH", "true", Kind::Env, "started moving to OIDC"),
    ("dns", "AWS_REGION", "us-east-1", Kind::Env, ""),
    ("dns", "zone_name", "acme-corp.example", Kind::Tf, ""),
    ("payments-api", "AWS_REGION", "eu-west-1", Kind::Env, ""),
    ("payments-api", "service_name", "payments-api", Kind::Tf, ""),
    ("payments-api", "db_password", "correct-horse-battery-staple", Kind::SecretTf, ""),
    ("payments-worker", "AWS_REGION", "eu-west-1", Kind::Env, ""),
    ("payments-worker", "queue_name", "payments-events", Kind::Tf, ""),
    ("sandbox", "AWS_REGION", "us-west-2", Kind::Env, ""),
    ("sandbox", "owner", "demo-user", Kind::Tf, ""),
    ("warehouse", "AWS_REGION", "us-east-1", Kind::Env, ""),
    ("warehouse", "cluster_size", "2", Kind::Tf, ""),
    ("etl", "AWS_REGION", "us-east-1", Kind::Env, ""),
    ("etl", "schedule", "cron(0 3 * * ? *)", Kind::Tf, "nightly"),
    ("playground", "AWS_REGION", "us-east-1", Kind::Env, ""),
];

/// The second account's key pair, on workspace `warehouse`.
const SECOND_ACCOUNT_KEYS: &[(&str, &str, Kind)] = &[
    ("AWS_ACCESS_KEY_ID", DEMO_SECOND_ACCESS_KEY_ID, Kind::Env),
    (
        "AWS_SECRET_ACCESS_KEY",
        "bPxRfiCYEXAMPLEKEYwJalrXUtnFEMI/K7MDENG",
        Kind::SecretEnv,
    ),
];

/// Workspaces holding the static key pair directly.
const KEYED_WORKSPACES: &[&str] = &["network-staging", "payments-worker"];

fn var(key: &str, value: &str, kind: Kind, description: &str) -> NewVariable {
    let category = match kind {
        Kind::Env | Kind::SecretEnv => VariableCategory::Env,
        Kind::Tf | Kind::SecretTf => VariableCategory::Terraform,
    };
    NewVariable {
        key: key.into(),
        value: value.into(),
        description: description.into(),
        category,
        sensitive: matches!(kind, Kind::SecretEnv | Kind::SecretTf),
    }
}

fn set(name: &str, description: &str) -> NewVariableSet {
    NewVariableSet {
        name: name.into(),
        description: description.into(),
    }
}

/// How old the demo key is, in days, and how long ago it was last used (by S3 in us-east-1).
pub const DEMO_KEY_AGE_DAYS: i64 = 412;
pub const DEMO_KEY_LAST_USED_DAYS: i64 = 2;

/// Gives the IAM user `ci-deployer` its active access key, created [`DEMO_KEY_AGE_DAYS`] and last
/// used [`DEMO_KEY_LAST_USED_DAYS`] days before today (midnight UTC), so the demo always shows
/// the same ages.
pub(super) fn seed_iam(iam: &SandboxIam) {
    iam.add_access_key(DEMO_KEY_USER, DEMO_ACCESS_KEY_ID, AccessKeyStatus::Active);
    // `activity`: a made-up week of AssumeRoleWithWebIdentity events.
    iam.enable_demo_trail();
    let today = time::OffsetDateTime::now_utc().replace_time(time::Time::MIDNIGHT);
    let day = |ago: i64| {
        let when = today - time::Duration::days(ago);
        when.format(&time::format_description::well_known::Rfc3339)
            .unwrap_or_default()
    };
    let (created, used) = (day(DEMO_KEY_AGE_DAYS), day(DEMO_KEY_LAST_USED_DAYS));
    let last_use = Some((used.as_str(), "s3", "us-east-1"));
    iam.set_access_key_use(DEMO_ACCESS_KEY_ID, Some(&created), last_use);
    seed_key_user_permissions(iam);
    seed_review_roles(iam).expect("the review roles are valid");
}

/// The demo's second AWS account: IAM user `analytics-loader`, narrower than `ci-deployer`
/// (S3 read-only and an inline policy for Athena), with the active key workspace `warehouse`
/// uses. STS in the first account names the second as the key's account.
pub(super) fn seed_second_account(first: &SandboxIam, second: &SandboxIam) {
    let (user, key) = (DEMO_SECOND_KEY_USER, DEMO_SECOND_ACCESS_KEY_ID);
    first.add_foreign_access_key(key, DEMO_SECOND_ACCOUNT);
    second.add_access_key(user, key, AccessKeyStatus::Active);
    // Created 200 days ago, last used by Athena a week ago.
    let today = time::OffsetDateTime::now_utc().replace_time(time::Time::MIDNIGHT);
    let day = |ago: i64| {
        (today - time::Duration::days(ago))
            .format(&time::format_description::well_known::Rfc3339)
            .unwrap_or_default()
    };
    let (created, used) = (day(200), day(7));
    second.set_access_key_use(key, Some(&created), Some((&used, "athena", "us-east-1")));
    second.attach_user_policy(user, "arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess");
    second.put_user_policy(
        user,
        "athena-queries",
        r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["athena:StartQueryExecution","athena:GetQueryResults"],"Resource":"*"}]}"#,
    );
}

/// What `ci-deployer` may do, so `migrate`'s same permissions have something to copy: S3 of its
/// own, an inline policy on its state bucket, and group `deployers` with PowerUserAccess and an
/// inline policy keyed on `${aws:username}` (which cannot carry over to a role).
fn seed_key_user_permissions(iam: &SandboxIam) {
    let user = DEMO_KEY_USER;
    iam.attach_user_policy(user, "arn:aws:iam::aws:policy/AmazonS3FullAccess");
    iam.put_user_policy(
        user,
        "terraform-state",
        r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["dynamodb:GetItem","dynamodb:PutItem","dynamodb:DeleteItem"],"Resource":"arn:aws:dynamodb:us-east-1:123456789012:table/terraform-locks"}]}"#,
    );
    iam.add_user_to_group(user, "deployers");
    iam.attach_group_policy("deployers", "arn:aws:iam::aws:policy/PowerUserAccess");
    iam.put_group_policy(
        "deployers",
        "own-access-keys",
        r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["iam:GetUser","iam:ListAccessKeys"],"Resource":"arn:aws:iam::123456789012:user/${aws:username}"}]}"#,
    );
}

/// The roles [`seed_iam`] adds for `review`, all trusting the `app.terraform.io` provider.
pub const REVIEW_ROLES: &[&str] = &[
    "terraform-ci",
    "tfc-acme-shared",
    "legacy-deploy",
    "analytics-reader",
];

/// (name, `Condition` of the one trust statement, attached policy names, created: a date, or
/// `None` for the time of seeding).
#[rustfmt::skip]
const REVIEW_ROLE_SEEDS: &[(&str, &str, &[&str], Option<&str>)] = &[
    ("terraform-ci",
     r#"{"StringEquals":{"app.terraform.io:aud":"aws.workload.identity"}}"#,
     &["AdministratorAccess"], Some("2023-03-14T09:00:00Z")),
    ("tfc-acme-shared",
     r#"{"StringEquals":{"app.terraform.io:aud":"aws.workload.identity"},"StringLike":{"app.terraform.io:sub":"organization:acme-*:project:*:workspace:*:run_phase:*"}}"#,
     &["ReadOnlyAccess"], None),
    ("legacy-deploy",
     r#"{"StringEquals":{"app.terraform.io:sub":"organization:acme-corp:project:payments:workspace:*:run_phase:apply"}}"#,
     &["AmazonDynamoDBFullAccess"], None),
    ("analytics-reader",
     r#"{"StringEquals":{"app.terraform.io:aud":"aws.workload.identity"},"StringLike":{"app.terraform.io:sub":"organization:acme-corp:project:analytics:workspace:warehouse:run_phase:*"}}"#,
     &["AmazonS3ReadOnlyAccess"], None),
];

fn seed_review_roles(iam: &SandboxIam) -> Result<(), crate::core::ports::IamError> {
    // The roles trust a provider that exists: a provider created later would re-arm them, and
    // setup refuses to create one that broad roles already name.
    let provider = iam.add_oidc_provider(&crate::core::ports::NewOidcProvider {
        url: format!("https://{DEMO_HOST}"),
        client_ids: vec![crate::core::answers::DEFAULT_AUDIENCE.into()],
        thumbprints: vec![],
        tags: vec![],
    })?;
    for (name, condition, policies, created) in REVIEW_ROLE_SEEDS {
        let trust = format!(
            r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Principal":{{"Federated":"{provider}"}},"Action":"sts:AssumeRoleWithWebIdentity","Condition":{condition}}}]}}"#
        );
        let role = NewRole {
            name: name.to_string(),
            trust_policy: trust,
            description: "demo: a deliberate misconfiguration for tfc-oidc review".into(),
            tags: vec![],
            permissions_boundary: None,
        };
        let arns: Vec<String> = policies
            .iter()
            .map(|p| format!("arn:aws:iam::aws:policy/{p}"))
            .collect();
        let arns: Vec<&str> = arns.iter().map(String::as_str).collect();
        iam.add_role(&role, &arns, *created)?;
    }
    Ok(())
}

/// Review seeds on existing workspaces: variables no badge reads.
#[rustfmt::skip]
const REVIEW_VARS: &[Seed] = &[
    ("warehouse", "TFC_AWS_PROVIDER_AUTH_ANALYTICS", "true", Kind::Env, "analytics account"),
    ("warehouse", "TFC_AWS_RUN_ROLE_ARN_ANALYTICS", "arn:aws:iam::123456789012:role/analytics-reader", Kind::Env, "analytics account"),
    ("network-prod", "TFC_AWS_RUN_ROLE_ARN_SHARED", "arn:aws:iam::123456789012:role/tfc-acme-shared", Kind::Env, "shared services"),
];

/// Builds the organizations in the table above.
pub(super) fn seed_tfc(tfc: &SandboxTfc) {
    build(tfc).expect("the demo seed is consistent");
    seed_stacks(tfc).expect("the demo Stacks are consistent");
}

/// The Stack `network-stack` of `acme-corp/platform`, deployments `staging` and `production`.
fn seed_stacks(tfc: &SandboxTfc) -> Result<(), TfcError> {
    let platform = tfc
        .project_id("acme-corp", "platform")
        .ok_or_else(|| TfcError::Protocol("no platform project".into()))?;
    tfc.add_stack(
        "acme-corp",
        &platform,
        "network-stack",
        &["staging", "production"],
    )?;
    Ok(())
}

fn build(tfc: &SandboxTfc) -> Result<(), TfcError> {
    let mut ws_ids = std::collections::BTreeMap::new();
    let mut payments = String::new();
    for (org, project, workspaces) in LAYOUT {
        tfc.add_organization(org);
        let project_id = tfc.add_project(org, project)?;
        if *project == "payments" {
            payments = project_id.clone();
        }
        for ws in *workspaces {
            ws_ids.insert(*ws, tfc.add_workspace(org, &project_id, ws)?);
        }
    }
    for (ws, key, value, kind, description) in WORKSPACE_VARS {
        tfc.add_workspace_variable(&ws_ids[ws], &var(key, value, *kind, description))?;
    }
    for (ws, key, value, kind, description) in REVIEW_VARS {
        tfc.add_workspace_variable(&ws_ids[ws], &var(key, value, *kind, description))?;
    }
    for ws in KEYED_WORKSPACES {
        for (key, value, kind) in STATIC_KEYS {
            tfc.add_workspace_variable(&ws_ids[ws], &var(key, value, *kind, ""))?;
        }
    }
    for (key, value, kind) in SECOND_ACCOUNT_KEYS {
        tfc.add_workspace_variable(&ws_ids["warehouse"], &var(key, value, *kind, ""))?;
    }

    let org = "acme-corp";
    let defaults = tfc.add_variable_set(org, &set("acme-defaults", "Every workspace"), true)?;
    let cost = var("cost_center", "cc-1042", Kind::Tf, "billing tag");
    tfc.add_variable_set_variable(&defaults.id, &cost)?;

    let legacy = set("legacy-aws-keys", "Shared CI keys of IAM user ci-deployer");
    let legacy = tfc.add_variable_set(org, &legacy, false)?;
    for (key, value, kind) in STATIC_KEYS {
        tfc.add_variable_set_variable(&legacy.id, &var(key, value, *kind, ""))?;
    }
    tfc.attach_variable_set(&legacy.id, &[ws_ids["etl"].clone()], &[])?;

    let shared = tfc.add_variable_set(org, &set("payments-shared", "PCI settings"), false)?;
    let pci = var("pci_scope", "true", Kind::Tf, "");
    tfc.add_variable_set_variable(&shared.id, &pci)?;
    tfc.attach_variable_set(&shared.id, &[], &[payments])?;

    // `verify`: a workspace nobody ever uploaded a configuration to.
    tfc.set_no_configuration(&ws_ids["playground"])
}

#[cfg(test)]
mod tests {
    use super::super::Sandbox;
    use crate::core::ports::{Iam, Tfc};

    #[tokio::test]
    async fn first_choices_are_clean_and_keys_are_where_documented() {
        let sb = Sandbox::demo();
        let tfc = &sb.tfc;
        let orgs = tfc.organizations().await.unwrap();
        assert_eq!(
            orgs.iter().map(|o| o.name.as_str()).collect::<Vec<_>>(),
            ["acme-corp", "acme-sandbox"]
        );
        let projects = tfc.projects("acme-corp").await.unwrap();
        let names: Vec<_> = projects.iter().map(|p| p.name.as_str()).collect();
        assert_eq!(names, ["Default Project", "data", "payments", "platform"]);
        let first = &tfc
            .workspaces("acme-corp", Some(&projects[0].id))
            .await
            .unwrap()[0];
        assert_eq!(first.name, "sandbox");
        let keys = |vars: Vec<crate::core::ports::Variable>| {
            vars.iter()
                .filter(|v| v.key.starts_with("AWS_") && v.key != "AWS_REGION")
                .count()
        };
        assert_eq!(keys(tfc.workspace_variables(&first.id).await.unwrap()), 0);
        for set in tfc.workspace_variable_sets(&first.id).await.unwrap() {
            assert_eq!(keys(tfc.variable_set_variables(&set.id).await.unwrap()), 0);
        }
        let staging = tfc.workspace("acme-corp", "network-staging").await.unwrap();
        let vars = tfc.workspace_variables(&staging.id).await.unwrap();
        assert_eq!(keys(vars.clone()), 2);
        let secret = vars
            .iter()
            .find(|v| v.key == "AWS_SECRET_ACCESS_KEY")
            .unwrap();
        assert!(secret.sensitive && secret.value.is_none());
        let etl = tfc.workspace("acme-corp", "etl").await.unwrap();
        let sets = tfc.workspace_variable_sets(&etl.id).await.unwrap();
        let names: Vec<_> = sets.iter().map(|s| s.name.as_str()).collect();
        assert_eq!(names, ["acme-defaults", "legacy-aws-keys"]);
        let user = sb
            .iam
            .access_key_last_used(super::DEMO_ACCESS_KEY_ID)
            .await
            .unwrap()
            .map(|u| u.user);
        assert_eq!(user.as_deref(), Some("ci-deployer"));
        let roles = sb.iam.list_roles().await.unwrap();
        let mut names: Vec<&str> = roles.iter().map(|r| r.name.as_str()).collect();
        names.sort_unstable();
        let mut review = super::REVIEW_ROLES.to_vec();
        review.sort_unstable();
        assert_eq!(names, review, "only the review roles");
        let providers = sb.iam.list_oidc_providers().await.unwrap();
        assert_eq!(
            providers,
            ["arn:aws:iam::123456789012:oidc-provider/app.terraform.io"]
        );
        assert_eq!(sb.tfc.write_count() + sb.iam.write_count(), 0);
    }

    #[test]
    fn demo_is_deterministic() {
        assert_eq!(
            Sandbox::demo().tfc.state_json(),
            Sandbox::demo().tfc.state_json()
        );
    }
}
