//! The GitHub Action at the repository root (`action.yml`): read with a YAML parser, every input
//! is used, the install step is `cargo install --locked --path` on the action's checkout, and
//! each `run` step, executed by bash with GitHub's `${{ inputs.* }}` replaced by example values
//! and a stand-in `tfc-oidc` on PATH, calls tfc-oidc with a command line clap accepts, writes
//! the SARIF, sets the output and fails as the review's exit status says.

use clap::Parser;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;
use tfc_oidc::cli::args::{Cli, Command as Sub, FailOn, ReviewFormat};

#[derive(Debug, Deserialize)]
struct Action {
    inputs: BTreeMap<String, Input>,
    outputs: BTreeMap<String, Output>,
    runs: Runs,
}

#[derive(Debug, Deserialize)]
struct Input {
    description: String,
    #[serde(default)]
    default: Option<String>,
}

#[derive(Debug, Deserialize)]
struct Output {
    value: String,
}

#[derive(Debug, Deserialize)]
struct Runs {
    using: String,
    steps: Vec<Step>,
}

#[derive(Debug, Deserialize)]
struct Step {
    #[serde(default)]
    id: Option<String>,
    #[serde(default)]
    shell: Option<String>,
    #[serde(default)]
    run: Option<String>,
    #[serde(default)]
    env: BTreeMap<String, String>,
}

fn action() -> Action {
    let text = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("action.yml"))
        .expect("action.yml at the repository root");
    serde_norway::from_str(&text).expect("action.yml parses")
}

/// `text` with every `${{ inputs.NAME }}` replaced by `values[NAME]`.
fn substitute(text: &str, values: &BTreeMap<&str, &str>) -> String {
    let mut out = text.to_string();
    for (name, value) in values {
        out = out.replace(&format!("${{{{ inputs.{name} }}}}"), value);
    }
    assert!(!out.contains("${{"), "an expression is left: {out}");
    out
}

#[test]
fn every_input_is_described_and_used_and_the_output_is_set() {
    let a = action();
    assert_eq!(a.runs.using, "composite");
    let used: String = a
        .runs
        .steps
        .iter()
        .flat_map(|s| s.env.values().chain(s.run.iter()))
        .cloned()
        .collect::<Vec<_>>()
        .join("\n");
    for (name, input) in &a.inputs {
        assert!(!input.description.is_empty(), "{name} has a description");
        assert!(
            used.contains(&format!("${{{{ inputs.{name} }}}}")),
            "input {name} is not used"
        );
    }
    for name in ["organization", "project", "hostname", "fail-on", "baseline"] {
        assert!(a.inputs.contains_key(name), "input {name}");
    }
    assert_eq!(a.inputs["fail-on"].default.as_deref(), Some("high"));
    let review = a
        .runs
        .steps
        .iter()
        .find(|s| s.id.as_deref() == Some("review"));
    assert!(review.is_some(), "the review step has id review");
    assert_eq!(
        a.outputs["sarif-file"].value,
        "${{ steps.review.outputs.sarif-file }}"
    );
    for step in &a.runs.steps {
        assert_eq!(
            step.shell.as_deref(),
            Some("bash"),
            "composite run steps name a shell"
        );
    }
}

#[test]
fn tfc_oidc_is_installed_from_the_actions_own_checkout() {
    let a = action();
    let install = a.runs.steps[0].run.as_deref().unwrap_or_default();
    assert_eq!(
        install.trim(),
        "cargo install --locked --path \"$GITHUB_ACTION_PATH\""
    );
}

/// What one run of the review step did.
struct StepRun {
    /// The arguments the stand-in tfc-oidc was called with (after the program name).
    args: Vec<String>,
    status: Option<i32>,
    sarif: String,
    github_output: String,
}

/// Runs the review step in bash, in a scratch directory, with a stand-in `tfc-oidc` on PATH that
/// records its arguments (one per line), prints a SARIF stand-in and exits with `exit_code`.
fn run_review_step(inputs: &BTreeMap<&str, &str>, exit_code: i32) -> StepRun {
    let a = action();
    let step = a
        .runs
        .steps
        .iter()
        .find(|s| s.id.as_deref() == Some("review"))
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let bin = dir.path().join("bin");
    std::fs::create_dir(&bin).unwrap();
    let fake = bin.join("tfc-oidc");
    std::fs::write(
        &fake,
        format!(
            "#!/bin/bash\nprintf '%s\\n' \"$@\" > \"$ARGS_FILE\"\necho '{{\"version\":\"2.1.0\"}}'\nexit {exit_code}\n"
        ),
    )
    .unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&fake, std::fs::Permissions::from_mode(0o755)).unwrap();
    let args_file = dir.path().join("args");
    let output_file = dir.path().join("github_output");
    let mut cmd = Command::new("bash");
    cmd.arg("-e")
        .arg("-c")
        .arg(substitute(step.run.as_deref().unwrap(), inputs))
        .current_dir(dir.path())
        .env(
            "PATH",
            format!("{}:{}", bin.display(), std::env::var("PATH").unwrap()),
        )
        .env("ARGS_FILE", &args_file)
        .env("GITHUB_OUTPUT", &output_file);
    for (key, value) in &step.env {
        cmd.env(key, substitute(value, inputs));
    }
    let out = cmd.output().unwrap();
    let read = |p: &Path| std::fs::read_to_string(p).unwrap_or_default();
    let sarif_path = dir.path().join(inputs["sarif-file"]);
    StepRun {
        args: read(&args_file).lines().map(str::to_string).collect(),
        status: out.status.code(),
        sarif: read(&sarif_path),
        github_output: read(&output_file),
    }
}

fn example_inputs<'a>(optional: bool) -> BTreeMap<&'a str, &'a str> {
    let mut inputs = BTreeMap::from([
        ("organization", "acme corp"),
        ("fail-on", "critical"),
        ("sarif-file", "review.sarif"),
        ("project", ""),
        ("hostname", ""),
        ("baseline", ""),
    ]);
    if optional {
        inputs.insert("project", "Default Project");
        inputs.insert("hostname", "tfe.example.com");
        inputs.insert("baseline", "review baseline.json");
    }
    inputs
}

fn parse(args: &[String]) -> Cli {
    let argv = std::iter::once("tfc-oidc".to_string()).chain(args.iter().cloned());
    Cli::try_parse_from(argv).unwrap_or_else(|e| panic!("{args:?}: {e}"))
}

#[test]
fn the_review_step_runs_a_command_line_clap_accepts() {
    for optional in [false, true] {
        let inputs = example_inputs(optional);
        let run = run_review_step(&inputs, 0);
        assert_eq!(run.status, Some(0));
        let cli = parse(&run.args);
        let Some(Sub::Review(review)) = &cli.command else {
            panic!("not review: {:?}", run.args);
        };
        assert_eq!(review.org, "acme corp");
        assert_eq!(review.format, ReviewFormat::Sarif);
        assert_eq!(review.fail_on, FailOn::Critical);
        if optional {
            assert_eq!(review.project.as_deref(), Some("Default Project"));
            assert_eq!(cli.global.hostname.as_deref(), Some("tfe.example.com"));
            let baseline = review.baseline.as_ref().unwrap();
            assert_eq!(baseline.to_str(), Some("review baseline.json"));
        } else {
            assert_eq!(review.project, None);
            assert_eq!(cli.global.hostname, None);
            assert_eq!(review.baseline, None);
        }
        assert_eq!(run.sarif.trim(), "{\"version\":\"2.1.0\"}");
        assert_eq!(run.github_output, "sarif-file=review.sarif\n");
    }
}

#[test]
fn a_failing_review_fails_the_step_after_writing_the_sarif() {
    let run = run_review_step(&example_inputs(false), 1);
    assert_eq!(run.status, Some(1), "the job fails as --fail-on says");
    assert!(run.sarif.contains("2.1.0"), "the SARIF is written first");
    assert_eq!(run.github_output, "sarif-file=review.sarif\n");
}
