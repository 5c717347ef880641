//! Seed data: the organizations, projects, workspaces, variables and variable
//! sets a [`crate::FakeTfc`] starts with.

/// Everything the fake knows at start-up.
#[derive(Debug, Clone)]
pub struct Seed {
    /// The only token the fake accepts (`Authorization: Bearer <token>`).
    pub token: String,
    /// Username of the account that owns the token.
    pub username: String,
    pub organizations: Vec<SeedOrg>,
    /// Maximum `page[size]`; larger requests are clamped (HCP Terraform: 100).
    pub page_size_limit: usize,
}

#[derive(Debug, Clone)]
pub struct SeedOrg {
    pub name: String,
    pub projects: Vec<SeedProject>,
    pub variable_sets: Vec<SeedVarset>,
}

#[derive(Debug, Clone)]
pub struct SeedProject {
    pub name: String,
    pub workspaces: Vec<SeedWorkspace>,
}

#[derive(Debug, Clone)]
pub struct SeedWorkspace {
    pub name: String,
    pub vars: Vec<SeedVar>,
    /// Whether a configuration version was uploaded (runs need one).
    pub configuration: bool,
}

#[derive(Debug, Clone)]
pub struct SeedVar {
    pub key: String,
    pub value: String,
    /// `"env"` or `"terraform"`.
    pub category: String,
    pub sensitive: bool,
}

#[derive(Debug, Clone)]
pub struct SeedVarset {
    pub name: String,
    pub global: bool,
    pub vars: Vec<SeedVar>,
    /// Workspace names (in the same organization) the set is attached to.
    pub workspaces: Vec<String>,
    /// Project names (in the same organization) the set is attached to.
    pub projects: Vec<String>,
}

impl SeedVar {
    /// An environment variable.
    pub fn env(key: &str, value: &str, sensitive: bool) -> SeedVar {
        SeedVar {
            key: key.into(),
            value: value.into(),
            category: "env".into(),
            sensitive,
        }
    }

    /// A Terraform variable.
    pub fn terraform(key: &str, value: &str) -> SeedVar {
        SeedVar {
            key: key.into(),
            value: value.into(),
            category: "terraform".into(),
            sensitive: false,
        }
    }
}

impl SeedWorkspace {
    /// A workspace without variables.
    pub fn named(name: &str) -> SeedWorkspace {
        SeedWorkspace {
            name: name.into(),
            vars: Vec::new(),
            configuration: true,
        }
    }
}

impl SeedProject {
    /// A project holding empty workspaces with the given names.
    pub fn with(name: &str, workspaces: &[&str]) -> SeedProject {
        SeedProject {
            name: name.into(),
            workspaces: workspaces.iter().map(|w| SeedWorkspace::named(w)).collect(),
        }
    }
}

impl Seed {
    /// Token `fake-token.atlasv1.0123456789`, user `alice`.
    ///
    /// * org `acme`: projects `Default Project` (`sandbox`), `platform`
    ///   (`network`, `dns`, `edge`; `network` holds env `AWS_ACCESS_KEY_ID`,
    ///   sensitive env `AWS_SECRET_ACCESS_KEY` and terraform `region`), `data`
    ///   (`warehouse`, the only workspace without a configuration version);
    ///   non-global varset `legacy-aws-keys` attached to `dns`.
    /// * org `globex`: project `Default Project` with workspace `app`.
    pub fn example() -> Seed {
        let mut platform = SeedProject::with("platform", &["network", "dns", "edge"]);
        platform.workspaces[0].vars = vec![
            SeedVar::env("AWS_ACCESS_KEY_ID", "AKIAEXAMPLE0000001", false),
            SeedVar::env(
                "AWS_SECRET_ACCESS_KEY",
                "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY1",
                true,
            ),
            SeedVar::terraform("region", "eu-west-1"),
        ];
        let mut data = SeedProject::with("data", &["warehouse"]);
        data.workspaces[0].configuration = false;
        let acme = SeedOrg {
            name: "acme".into(),
            projects: vec![
                SeedProject::with("Default Project", &["sandbox"]),
                platform,
                data,
            ],
            variable_sets: vec![SeedVarset {
                name: "legacy-aws-keys".into(),
                global: false,
                vars: vec![
                    SeedVar::env("AWS_ACCESS_KEY_ID", "AKIAEXAMPLE0000002", false),
                    SeedVar::env(
                        "AWS_SECRET_ACCESS_KEY",
                        "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY2",
                        true,
                    ),
                ],
                workspaces: vec!["dns".into()],
                projects: Vec::new(),
            }],
        };
        let globex = SeedOrg {
            name: "globex".into(),
            projects: vec![SeedProject::with("Default Project", &["app"])],
            variable_sets: Vec::new(),
        };
        Seed {
            token: "fake-token.atlasv1.0123456789".into(),
            username: "alice".into(),
            organizations: vec![acme, globex],
            page_size_limit: 100,
        }
    }

    /// [`Seed::example`] plus org `big` with project `many` holding `n`
    /// workspaces `ws-0001` … (zero-padded to at least four digits).
    pub fn with_many_workspaces(n: usize) -> Seed {
        let mut seed = Seed::example();
        let workspaces = (1..=n)
            .map(|i| SeedWorkspace::named(&format!("ws-{i:04}")))
            .collect();
        seed.organizations.push(SeedOrg {
            name: "big".into(),
            projects: vec![SeedProject {
                name: "many".into(),
                workspaces,
            }],
            variable_sets: Vec::new(),
        });
        seed
    }

    /// [`Seed::example`] plus org `scale`: `workspaces` workspaces `ws-0001` … spread over
    /// ten projects `team-00` … `team-09`, each with an `AWS_REGION` env variable and, every
    /// tenth, static AWS keys; and `sets` variable sets `set-00` … of three variables each
    /// (plus an `AWS_ACCESS_KEY_ID` in every fifth, from `set-01`).
    /// Set `i` is attached to every workspace whose number is `i + 1` modulo `sets`; even sets
    /// are also attached to project `team-{i mod 10}`; every seventh set is global instead
    /// (its keys are its own, as two global sets may not share one).
    pub fn with_scale(workspaces: usize, sets: usize) -> Seed {
        let mut seed = Seed::example();
        let mut projects: Vec<SeedProject> = (0..10)
            .map(|p| SeedProject::with(&format!("team-{p:02}"), &[]))
            .collect();
        for i in 1..=workspaces {
            let mut ws = SeedWorkspace::named(&format!("ws-{i:04}"));
            ws.vars.push(SeedVar::env("AWS_REGION", "eu-west-1", false));
            if i % 10 == 0 {
                ws.vars.push(SeedVar::env(
                    "AWS_ACCESS_KEY_ID",
                    "AKIAEXAMPLESCALE0001",
                    false,
                ));
                ws.vars.push(SeedVar::env(
                    "AWS_SECRET_ACCESS_KEY",
                    "wJalrXUtnFEMI/K7MDENG/bPxRfiCYSCALEKEY",
                    true,
                ));
            }
            projects[i % 10].workspaces.push(ws);
        }
        let variable_sets = (0..sets)
            .map(|i| {
                let global = i % 7 == 6;
                let attached = |every: usize| {
                    (1..=workspaces)
                        .filter(|n| n % every == (i + 1) % every)
                        .map(|n| format!("ws-{n:04}"))
                        .collect()
                };
                let mut vars = vec![
                    SeedVar::env(&format!("SET_{i:02}_NAME"), &format!("set-{i:02}"), false),
                    SeedVar::env(&format!("SET_{i:02}_TOKEN"), "s3cr3t", true),
                    SeedVar::terraform(&format!("set_{i:02}_size"), "3"),
                ];
                if i % 5 == 1 && !global {
                    vars.push(SeedVar::env(
                        "AWS_ACCESS_KEY_ID",
                        "AKIAEXAMPLESETKEY001",
                        false,
                    ));
                }
                SeedVarset {
                    name: format!("set-{i:02}"),
                    global,
                    vars,
                    workspaces: if global {
                        Vec::new()
                    } else {
                        attached(sets.max(1))
                    },
                    projects: if global || i % 2 == 1 {
                        Vec::new()
                    } else {
                        vec![format!("team-{:02}", i % 10)]
                    },
                }
            })
            .collect();
        seed.organizations.push(SeedOrg {
            name: "scale".into(),
            projects,
            variable_sets,
        });
        seed
    }
}
