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
}
