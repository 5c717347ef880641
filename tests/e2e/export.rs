//! `export` through the binary: it reads (never writes) the live services, refers to an OIDC
//! provider once one exists, writes `--output` files only when asked to overwrite, and without a
//! token says so in one line and still writes the export from the flags.

use tfc_oidc::core::ports::Iam;

use crate::support::{assert_success, iam, text, Env, READ_ONLY};

const CHOICES: [&str; 8] = [
    "--org",
    "acme",
    "--project",
    "platform",
    "--workspace",
    "network",
    "--policy-arn",
    READ_ONLY,
];

#[tokio::test]
async fn export_reads_the_provider_and_writes_files_only_when_told() {
    let Some(env) = Env::new("e2e-export") else {
        return;
    };
    let role = ["--role-name", "e2e-export-role"];
    let mut args = vec!["export", "--format", "terraform"];
    args.extend(CHOICES);
    args.extend(role);
    let out = env.run(&args);
    assert_success(&out);
    let tf = text(&out.stdout);
    assert!(
        tf.contains("resource \"aws_iam_openid_connect_provider\" \"hcp_terraform\""),
        "{tf}"
    );
    assert!(tf.contains("= \"https://e2e-export.tfc.test\""), "{tf}");
    assert!(tf.contains("default     = [\"network\"]"), "{tf}");
    assert_eq!(
        env.fake.write_count(),
        0,
        "export writes nothing to HCP Terraform"
    );
    assert!(iam()
        .await
        .get_role("e2e-export-role")
        .await
        .unwrap()
        .is_none());

    let mut setup = vec!["setup", "--yes"];
    setup.extend(CHOICES);
    setup.extend(role);
    assert_success(&env.run(&setup));
    let out = env.run(&args);
    assert_success(&out);
    let tf = text(&out.stdout);
    assert!(
        tf.contains("data \"aws_iam_openid_connect_provider\" \"hcp_terraform\""),
        "{tf}"
    );
    assert!(
        !tf.contains("resource \"aws_iam_openid_connect_provider\""),
        "{tf}"
    );
    assert!(tf.contains("# Role e2e-export-role exists already"), "{tf}");

    let file = env.home.path().join("oidc.yaml");
    let file_arg = file.to_str().unwrap();
    let mut write = vec!["export", "--output", file_arg];
    write.extend(CHOICES);
    let out = env.run(&write);
    assert_success(&out);
    assert!(text(&out.stdout).contains("Wrote the CloudFormation export to"));
    let first = std::fs::read_to_string(&file).unwrap();
    assert!(first.contains("AWSTemplateFormatVersion"), "{first}");
    assert!(
        first.contains("arn:aws:iam::123456789012:oidc-provider/e2e-export.tfc.test"),
        "the existing provider is the parameter's default:\n{first}"
    );

    std::fs::write(&file, "mine").unwrap();
    let out = env.run(&write);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        text(&out.stderr).trim(),
        format!("error: {file_arg} exists already: pass --force to overwrite it")
    );
    assert_eq!(std::fs::read_to_string(&file).unwrap(), "mine");
    write.push("--force");
    assert_success(&env.run(&write));
    assert_eq!(std::fs::read_to_string(&file).unwrap(), first);
}

#[test]
fn export_without_a_token_says_so_and_writes_from_the_flags() {
    let Some(env) = Env::new("e2e-export-offline") else {
        return;
    };
    let mut args = vec!["export", "--format", "cloudformation"];
    args.extend(CHOICES);
    let out = env.cmd(&args).env_remove("TFE_TOKEN").output().unwrap();
    assert_success(&out);
    let stderr = text(&out.stderr);
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(
        stderr.starts_with("warning: AWS and HCP Terraform were not read (no HCP Terraform token for e2e-export-offline.tfc.test"),
        "{stderr}"
    );
    let cfn = text(&out.stdout);
    assert!(cfn.contains("Default: network"), "{cfn}");
    assert!(
        cfn.contains("# AWS and HCP Terraform were not read"),
        "{cfn}"
    );

    let mut no_format = vec!["export"];
    no_format.extend(CHOICES);
    let out = env.run(&no_format);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        text(&out.stderr).trim(),
        "error: choose the code to write: --format cloudformation or --format terraform"
    );
}

#[tokio::test]
async fn export_writes_a_stack_as_setup_trusts_it() {
    let Some(env) = Env::new("e2e-export-stack") else {
        return;
    };
    env.fake
        .add_stack("acme", "platform", "net-stack", &["staging", "production"])
        .unwrap();
    let stack = [
        "--org",
        "acme",
        "--project",
        "platform",
        "--stack",
        "net-stack",
        "--no-policy",
        "--role-name",
        "e2e-export-stack-role",
    ];
    let mut args = vec!["export", "--format", "terraform"];
    args.extend(stack);
    let out = env.run(&args);
    assert_success(&out);
    let tf = text(&out.stdout);
    assert!(tf.contains("default     = \"net-stack\""), "{tf}");
    assert!(
        tf.contains(":stack:${var.stack}:deployment:*:operation:*\"]"),
        "every deployment:\n{tf}"
    );
    assert!(!tf.contains("tfe_"), "a Stack takes nothing of tfe:\n{tf}");
    for d in ["staging", "production"] {
        assert!(
            tf.contains(&format!("    deployment \"{d}\" {{")),
            "the tfdeploy_hcl output names every deployment of the Stack:\n{tf}"
        );
    }
    assert!(
        tf.contains("role_arn       = \"${aws_iam_role.run.arn}\""),
        "{tf}"
    );
    assert_eq!(env.fake.write_count(), 0, "export writes nothing");

    let mut args = vec![
        "export",
        "--format",
        "cloudformation",
        "--deployment",
        "staging",
    ];
    args.extend(stack);
    let out = env.run(&args);
    assert_success(&out);
    let cfn = text(&out.stdout);
    assert!(cfn.contains("  DeploymentName:\n"), "{cfn}");
    assert!(cfn.contains("Default: staging"), "{cfn}");
    let sub = "organization:${OrganizationName}:project:${ProjectName}:stack:${StackName}:deployment:${DeploymentName}:operation:*";
    assert!(cfn.contains(sub), "{cfn}");
    assert!(cfn.contains("#   deployment \"staging\" {"), "{cfn}");
    assert!(!cfn.contains("#   deployment \"production\" {"), "{cfn}");

    // setup with the same choices trusts that very subject.
    let mut setup = vec!["setup", "--yes", "--deployment", "staging"];
    setup.extend(stack);
    assert_success(&env.run(&setup));
    let trust = iam()
        .await
        .get_role("e2e-export-stack-role")
        .await
        .unwrap()
        .unwrap()
        .trust_policy;
    let filled = sub
        .replace("${OrganizationName}", "acme")
        .replace("${ProjectName}", "platform")
        .replace("${StackName}", "net-stack")
        .replace("${DeploymentName}", "staging");
    assert!(trust.contains(&filled), "{trust}");

    let mut unknown = vec!["export", "--format", "terraform"];
    unknown.extend(stack);
    unknown[8] = "nope";
    let out = env.run(&unknown);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out.stderr));
    assert!(
        text(&out.stderr).contains("net-stack"),
        "{}",
        text(&out.stderr)
    );
}
