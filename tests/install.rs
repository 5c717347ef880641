//! Installing tfc-oidc and reading its manual as a user would (README "Install"): `cargo
//! install` from the checkout gives a binary that works from any directory, and `tfc-oidc man`
//! documents every flag of every command.

use clap::CommandFactory;
use std::path::{Path, PathBuf};
use std::process::Command;
use tfc_oidc::cli::args::Cli;

fn bin() -> &'static str {
    env!("CARGO_BIN_EXE_tfc-oidc")
}

/// Every command that has a page, with the long flags (its own and the global ones) it takes.
fn commands_and_flags() -> Vec<(String, Vec<String>)> {
    let mut root = Cli::command();
    root.build();
    let flags = |c: &clap::Command| -> Vec<String> {
        c.get_arguments()
            .filter(|a| !a.is_hide_set())
            .filter_map(|a| a.get_long().map(|l| format!("--{l}")))
            .collect()
    };
    let mut all = vec![(String::new(), flags(&root))];
    for sub in root.get_subcommands().filter(|s| s.get_name() != "help") {
        all.push((sub.get_name().to_string(), flags(sub)));
    }
    all
}

fn page(command: &str) -> String {
    let mut cmd = Command::new(bin());
    cmd.arg("man");
    if !command.is_empty() {
        cmd.arg(command);
    }
    let out = cmd.output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// `man -l` renders the page, when the machine has man (the roff is checked either way).
fn rendered(roff: &str) -> Option<String> {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("page.1");
    std::fs::write(&file, roff).unwrap();
    let out = Command::new("man")
        .arg("-l")
        .arg(&file)
        .env("MANWIDTH", "200")
        .env("MANPAGER", "cat")
        .env("PAGER", "cat")
        .output()
        .ok()?;
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    Some(String::from_utf8_lossy(&out.stdout).into_owned())
}

#[test]
fn man_pages_document_every_flag_of_every_command() {
    for (command, flags) in commands_and_flags() {
        let roff = page(&command);
        let title = if command.is_empty() {
            "tfc-oidc".to_string()
        } else {
            format!("tfc-oidc-{command}")
        };
        assert!(roff.contains(&format!(".TH {title} 1")), "{title}: {roff}");
        let text = rendered(&roff);
        for flag in &flags {
            assert!(
                roff.contains(&flag.replace('-', "\\-")),
                "{title} lacks {flag}"
            );
            if let Some(text) = &text {
                assert!(
                    text.contains(flag.as_str()),
                    "{title} renders without {flag}"
                );
            }
        }
    }
    assert!(page("setup").contains(".SH EXAMPLES"));
}

#[test]
fn man_for_an_unknown_command_is_a_usage_error() {
    let out = Command::new(bin()).args(["man", "nope"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.starts_with("error: no command 'nope'"), "{err}");
    assert_eq!(err.lines().count(), 1, "{err}");
}

fn target_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("target"))
}

/// `cargo install --locked --path .` as the README says, with `--debug` so it reuses the build
/// this suite already made in the same target directory instead of a release build of its own.
#[test]
fn cargo_install_gives_a_binary_that_works_from_any_directory() {
    let root = tempfile::tempdir().unwrap();
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let out = Command::new(cargo)
        .args(["install", "--locked", "--debug", "--quiet", "--path"])
        .arg(env!("CARGO_MANIFEST_DIR"))
        .arg("--root")
        .arg(root.path())
        .env("CARGO_TARGET_DIR", target_dir())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );

    let elsewhere = tempfile::tempdir().unwrap();
    let installed = root.path().join("bin").join("tfc-oidc");
    let out = Command::new(&installed)
        .current_dir(elsewhere.path())
        .env("HOME", elsewhere.path())
        .env("XDG_DATA_HOME", elsewhere.path().join("data"))
        .env("XDG_CONFIG_HOME", elsewhere.path().join("config"))
        .env("XDG_STATE_HOME", elsewhere.path().join("state"))
        .args([
            "--demo",
            "export",
            "--format",
            "terraform",
            "--org",
            "acme-corp",
        ])
        .args([
            "--project",
            "Default Project",
            "--workspace",
            "sandbox",
            "--no-policy",
        ])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let hcl = String::from_utf8(out.stdout).unwrap();
    assert!(hcl.contains("aws_iam_openid_connect_provider"), "{hcl}");
}
