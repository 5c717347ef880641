//! The real binary in a pseudo-terminal: tmux runs `tfc-oidc --demo` at 80×24, the test types
//! keys and reads the pane. It checks the Enter path reaches Done, the migrate path reaches Done
//! (checking its workspaces and typing `yes`) and proves each workspace before `d` deactivates
//! the key,
//! an added AWS account and a Stack narrowed to one deployment reach Done and the shell,
//! the wizard redraws on resize,
//! and the terminal is restored on exit (alternate screen left, shell output visible).
//! Skipped, with a note, when tmux is not installed (a failure under `CI=true`).

use std::path::Path;
use std::process::{Command, Output};
use std::time::{Duration, Instant};

/// A private tmux server, killed when dropped.
struct Tmux {
    socket: String,
}

impl Tmux {
    fn run(&self, args: &[&str]) -> Output {
        Command::new("tmux")
            .arg("-L")
            .arg(&self.socket)
            .args(args)
            .output()
            .expect("tmux runs")
    }

    /// Starts `tfc-oidc --demo` in session `name`; the shell then prints its exit status.
    fn start(&self, name: &str, home: &Path, width: u16, height: u16) {
        let d = home.display();
        let script = format!(
            "export HOME={d} XDG_CONFIG_HOME={d}/config XDG_DATA_HOME={d}/data XDG_STATE_HOME={d}/state \
             XDG_CACHE_HOME={d}/cache TERM=xterm-256color\n\
             '{}' --demo; echo EXITED:$?; exec sh -i\n",
            env!("CARGO_BIN_EXE_tfc-oidc")
        );
        let path = home.join(format!("{name}.sh"));
        std::fs::write(&path, script).unwrap();
        let (w, h) = (width.to_string(), height.to_string());
        let out = self.run(&[
            "new-session",
            "-d",
            "-s",
            name,
            "-x",
            &w,
            "-y",
            &h,
            "sh",
            path.to_str().unwrap(),
        ]);
        assert!(
            out.status.success(),
            "tmux new-session: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }

    fn capture(&self, name: &str) -> String {
        String::from_utf8_lossy(&self.run(&["capture-pane", "-p", "-t", name]).stdout).into_owned()
    }

    /// The pane with its scrollback (a summary longer than the pane scrolled off its top), lines
    /// the terminal folded joined again.
    fn capture_all(&self, name: &str) -> String {
        let out = self.run(&["capture-pane", "-p", "-J", "-S", "-", "-t", name]);
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    fn send(&self, name: &str, key: &str) {
        self.run(&["send-keys", "-t", name, key]);
    }

    /// For each step: wait until the pane shows the text, then press the key.
    fn answer(&self, name: &str, steps: &[(&str, &str)]) {
        for (expect, key) in steps {
            self.wait_for(name, expect);
            self.send(name, key);
        }
    }

    /// Scrolls down a line at a time until the pane shows the text.
    fn scroll_to(&self, name: &str, text: &str) -> String {
        for _ in 0..60 {
            let pane = self.capture(name);
            if pane.contains(text) {
                return pane;
            }
            self.send(name, "Down");
            std::thread::sleep(Duration::from_millis(60));
        }
        self.wait_for(name, text)
    }

    fn wait_for(&self, name: &str, text: &str) -> String {
        let start = Instant::now();
        loop {
            let pane = self.capture(name);
            if pane.contains(text) {
                return pane;
            }
            if start.elapsed() > Duration::from_secs(20) {
                panic!("never saw {text:?} in the pane:\n{pane}");
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        let _ = self.run(&["kill-server"]);
    }
}

/// A tmux server of its own for each test (tests run in parallel in one process).
fn tmux(test: &str) -> Option<Tmux> {
    if Command::new("tmux").arg("-V").output().is_err() {
        fake_tfc::ci::tool_missing(
            "tmux is not installed",
            "install tmux (apt-get install tmux)",
        );
        return None;
    }
    Some(Tmux {
        socket: format!("tfcoidc-test-{}-{test}", std::process::id()),
    })
}

/// The demo's setup path with Enter on every screen, up to applying the plan.
const DEMO_SETUP: &[(&str, &str)] = &[
    ("signed in as demo-user", "Enter"),
    ("› acme-corp", "Enter"),
    ("› Default Project", "Enter"),
    ("no AWS credentials", "Enter"),
    ("Which IAM role", "Enter"),
    ("Where should the variables go", "Enter"),
    (
        "+ create role tfc-acme-corp-default-project (run phase)",
        "Enter",
    ),
];

#[test]
fn demo_in_a_real_terminal() {
    let Some(tmux) = tmux("demo") else { return };
    let home = tempfile::tempdir().unwrap();

    tmux.start("wiz", home.path(), 80, 24);
    tmux.answer("wiz", DEMO_SETUP);
    let done = tmux.wait_for("wiz", "Done: HCP Terraform runs");
    assert!(done.contains("Step 9 of 9: Done"), "{done}");
    assert!(
        done.contains("arn:aws:iam::123456789012:role/tfc-acme-corp-default-project"),
        "{done}"
    );

    tmux.run(&["resize-window", "-t", "wiz", "-x", "120", "-y", "40"]);
    tmux.wait_for("wiz", "Connect › Organization › Project");

    tmux.send("wiz", "q");
    let after = tmux.wait_for("wiz", "EXITED:0");
    assert!(
        !after.contains("Step 9 of 9"),
        "the wizard's frame is gone:\n{after}"
    );
    assert!(
        after.contains("Role for plan and apply runs")
            && after.contains("  arn:aws:iam::123456789012:role/tfc-acme-corp-default-project"),
        "the summary stays in the shell, in Done's words:\n{after}"
    );

    // The wizard kept its apply in the demo's state and journal: the CLI's `--demo undo` finds it.
    let d = home.path();
    let undo = Command::new(env!("CARGO_BIN_EXE_tfc-oidc"))
        .args(["--demo", "undo", "--dry-run"])
        .env("HOME", d)
        .env("XDG_CONFIG_HOME", d.join("config"))
        .env("XDG_DATA_HOME", d.join("data"))
        .env("XDG_STATE_HOME", d.join("state"))
        .output()
        .unwrap();
    let plan = String::from_utf8_lossy(&undo.stdout);
    assert!(undo.status.success(), "{plan}");
    assert!(plan.contains("tfc-acme-corp-default-project"), "{plan}");
}

/// The migrate path in the real binary: "Migrate" on the Connect screen; the pick starts with
/// nothing checked and Enter alone goes nowhere; Space on "every workspace listed", the role,
/// the plan, whose removals apply only after a typed `yes` (`y` does not); Done.
#[test]
fn demo_migration_in_a_real_terminal() {
    let Some(tmux) = tmux("migrate") else { return };
    let home = tempfile::tempdir().unwrap();
    tmux.start("mig", home.path(), 80, 24);
    tmux.wait_for("mig", "signed in as demo-user");
    tmux.send("mig", "Down");
    tmux.answer(
        "mig",
        &[
            ("Connect › Org › Keys › Role", "Enter"),
            ("› acme-corp", "Enter"),
            ("Nothing checked yet", "Enter"),
        ],
    );
    let pick = tmux.wait_for("mig", "Step 3 of 7: Static keys");
    assert!(!pick.contains("[x]"), "nothing is checked:\n{pick}");
    tmux.send("mig", "Space");
    tmux.answer(
        "mig",
        &[
            ("Enter migrates 4 workspaces", "Enter"),
            ("Which IAM role", "Enter"),
            ("Enter apply (type yes)", "Enter"),
            ("Type yes to apply these removals", "y"),
        ],
    );
    tmux.send("mig", "Enter");
    let refused = tmux.wait_for("mig", "Only yes applies");
    assert!(refused.contains("Step 5 of 7: Review"), "{refused}");
    tmux.run(&["send-keys", "-t", "mig", "-l", "yes"]);
    tmux.send("mig", "Enter");
    let done = tmux.wait_for("mig", "static keys are removed");
    assert!(done.contains("Step 7 of 7: Done"), "{done}");
    assert!(
        done.contains("No migrated workspace receives static AWS keys any more")
            && done.contains("AWS accounts 123456789012 and 210987654321"),
        "warehouse's key account is reached through the demo-analytics profile\n{done}"
    );
    tmux.wait_for("mig", "authenticated through OIDC");
    tmux.send("mig", "q");
    tmux.wait_for("mig", "EXITED:0");
}

/// The demo migration with "deactivate keys" in the real binary: the plan holds the key's
/// deactivation for the proof; Done verifies each migrated workspace, offers `d` for the proven
/// key, applies it journaled (the CLI's `--demo undo` finds it) and says what is left per user.
#[test]
fn demo_migration_proves_before_deactivating_in_a_real_terminal() {
    let Some(tmux) = tmux("proof") else { return };
    let home = tempfile::tempdir().unwrap();
    tmux.start("prf", home.path(), 80, 24);
    tmux.wait_for("prf", "signed in as demo-user");
    tmux.send("prf", "Down");
    tmux.answer(
        "prf",
        &[
            ("Connect › Org › Keys › Role", "Enter"),
            ("› acme-corp", "Enter"),
            ("Nothing checked yet", "Space"),
            ("Enter migrates 4 workspaces", "d"),
            ("Freed IAM keys: deactivated", "Enter"),
            ("Which IAM role", "Enter"),
        ],
    );
    let review = tmux.wait_for("prf", "Enter apply (type yes)");
    assert!(
        !review.contains("Inactive"),
        "no deactivation before the proof:\n{review}"
    );
    tmux.send("prf", "Enter");
    tmux.wait_for("prf", "Type yes to apply these removals");
    tmux.run(&["send-keys", "-t", "prf", "-l", "yes"]);
    tmux.send("prf", "Enter");
    tmux.wait_for("prf", "Step 7 of 7: Done");
    // The proof comes after the removals: page down to it once the runs are followed.
    let proven = tmux.wait_for("prf", "deactivate proven keys");
    assert!(!proven.contains("Verifying"), "{proven}");
    let shown = tmux.scroll_to("prf", "press d to deactivate it");
    assert!(shown.contains("authenticated through OIDC"), "{shown}");
    tmux.send("prf", "d");
    let after = tmux.wait_for("prf", "deactivated: every workspace that used it");
    let after = match after.contains("Left to do") {
        true => after,
        false => tmux.scroll_to("prf", "Left to do"),
    };
    assert!(!after.contains("deactivate proven keys"), "{after}");
    tmux.send("prf", "q");
    tmux.wait_for("prf", "EXITED:0");

    // Journaled like any apply: the CLI's `--demo undo` would reactivate the key.
    let d = home.path();
    let undo = Command::new(env!("CARGO_BIN_EXE_tfc-oidc"))
        .args(["--demo", "undo", "--dry-run"])
        .env("HOME", d)
        .env("XDG_CONFIG_HOME", d.join("config"))
        .env("XDG_DATA_HOME", d.join("data"))
        .env("XDG_STATE_HOME", d.join("state"))
        .output()
        .unwrap();
    let plan = String::from_utf8_lossy(&undo.stdout);
    assert!(undo.status.success(), "{plan}");
    assert!(
        plan.contains("AKIA…0001") && plan.contains("Active"),
        "{plan}"
    );
}

/// "Add another AWS account" from Done, in the real binary: the tagged configuration is
/// applied, and the summary left in the shell lists both configurations.
#[test]
fn demo_added_account_in_a_real_terminal() {
    let Some(tmux) = tmux("account") else { return };
    let home = tempfile::tempdir().unwrap();
    tmux.start("acc", home.path(), 80, 24);
    tmux.answer("acc", DEMO_SETUP);
    tmux.answer("acc", &[("a add account", "a")]);
    let screen = tmux.wait_for("acc", "Add another AWS account");
    assert!(screen.contains("Step 1 of 5: AWS account"), "{screen}");
    tmux.run(&["send-keys", "-t", "acc", "-l", "ANALYTICS"]);
    tmux.answer(
        "acc",
        &[
            ("TFC_AWS_RUN_ROLE_ARN_ANALYTICS", "Enter"),
            ("Which IAM role", "Enter"),
            ("5 changes: 5 to create", "Enter"),
            ("AWS configurations of these workspaces", "q"),
        ],
    );
    tmux.wait_for("acc", "EXITED:0");
    let after = tmux.capture_all("acc");
    for expected in [
        "default configuration",
        "ANALYTICS configuration",
        "TFC_AWS_RUN_ROLE_ARN = arn:aws:iam::123456789012:role/tfc-acme-corp-default-project",
        "TFC_AWS_RUN_ROLE_ARN_ANALYTICS = arn:aws:iam::210987654321:role/tfc-acme-corp-default-project",
    ] {
        assert!(after.contains(expected), "{expected:?} not in the shell:\n{after}");
    }
}

/// A Stack narrowed to one deployment in the real binary: the header counts the Stack's path,
/// and the review, Done and the shell name only that deployment.
#[test]
fn demo_stack_deployment_in_a_real_terminal() {
    let Some(tmux) = tmux("stack") else { return };
    let home = tempfile::tempdir().unwrap();
    tmux.start("st", home.path(), 80, 24);
    for (expect, keys) in [
        ("signed in as demo-user", &["Enter"][..]),
        ("› acme-corp", &["Enter"]),
        ("› Default Project", &["Down", "Down", "Down"]),
        ("› platform", &["Enter"]),
        ("network-stack", &["Down", "Down", "Down"]),
        ("Enter sets up Stack network-stack", &["Enter"]),
        ("Step 5 of 9: Deployments", &["Down", "Space"]),
        ("production of Stack network-stack only", &["Enter"]),
        ("Step 6 of 9: AWS role", &["Enter"]),
    ] {
        tmux.wait_for("st", expect);
        for key in keys {
            tmux.send("st", key);
        }
    }
    let review = tmux.wait_for("st", "Enter apply");
    assert!(review.contains("Step 7 of 9: Review"), "{review}");
    assert!(review.contains("deployment:production:"), "{review}");
    tmux.send("st", "Enter");
    let done = tmux.wait_for("st", "Done: HCP Terraform runs");
    assert!(done.contains("deployment \"production\""), "{done}");
    tmux.send("st", "q");
    tmux.wait_for("st", "EXITED:0");
    let after = tmux.capture_all("st");
    assert!(
        after.contains("stack:network-stack:deployment:production:operation:*")
            && !after.contains("deployment \"staging\""),
        "{after}"
    );
}

#[test]
fn quitting_before_apply_restores_the_terminal() {
    let Some(tmux) = tmux("quit") else { return };
    let home = tempfile::tempdir().unwrap();
    tmux.start("quit", home.path(), 80, 24);
    tmux.wait_for("quit", "signed in as demo-user");
    tmux.send("quit", "Enter");
    tmux.wait_for("quit", "› acme-corp");
    tmux.send("quit", "q");
    let after = tmux.wait_for("quit", "EXITED:0");
    assert!(after.contains("Nothing was changed."), "{after}");
    assert!(
        !after.contains("Step 2 of 9") && !after.contains("acme-corp"),
        "the wizard's frame is gone:\n{after}"
    );
    // Raw mode is off again: the shell echoes what is typed and runs it. The output differs
    // from the typed line, so waiting for it cannot return on the echo alone.
    tmux.run(&[
        "send-keys",
        "-t",
        "quit",
        "echo typed-after-exit-$((40+2))",
        "Enter",
    ]);
    let shell = tmux.wait_for("quit", "typed-after-exit-42");
    assert!(
        shell.contains("echo typed-after-exit-$((40+2))"),
        "typed and printed:\n{shell}"
    );
}

/// The README's exit code table: q and Ctrl-C before Apply leave with 0 and change nothing.
#[test]
fn ctrl_c_before_apply_exits_0_and_changes_nothing() {
    let Some(tmux) = tmux("ctrlc") else { return };
    let home = tempfile::tempdir().unwrap();
    tmux.start("ctrlc", home.path(), 80, 24);
    tmux.wait_for("ctrlc", "signed in as demo-user");
    tmux.send("ctrlc", "Enter");
    tmux.wait_for("ctrlc", "› acme-corp");
    tmux.send("ctrlc", "C-c");
    let after = tmux.wait_for("ctrlc", "EXITED:0");
    assert!(after.contains("Nothing was changed."), "{after}");
}

#[test]
fn refuses_without_a_terminal() {
    let home = tempfile::tempdir().unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_tfc-oidc"))
        .arg("--demo")
        .env("HOME", home.path())
        .env("XDG_STATE_HOME", home.path().join("state"))
        .env("XDG_CACHE_HOME", home.path().join("cache"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    // The demo's hint runs against the demo when copied.
    assert!(
        err.contains("tfc-oidc --demo setup") && err.lines().count() == 1,
        "{err}"
    );
}
