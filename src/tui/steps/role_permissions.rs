//! One permission choice of the role step: on the migrate path first what the keys' IAM users
//! may do, then an AWS-managed policy, nothing (for a role that exists: keep what it has), a
//! policy ARN typed in, or a policy file. The role step holds two when the
//! roles are split (apply and plan), so the plan role can stay read-only.

use crate::core::answers::{aws_managed_policy_arn, Permissions};
use crate::core::names;
use crate::core::ports::Role;
use crate::tui::widgets::text_input::TextInput;

/// A role trusting the provider, with its policies.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrustingRole {
    pub role: Role,
    /// Attached managed policy ARNs and inline policy names; `None` when IAM would not list
    /// them (the role is still offered: its policies are only shown).
    pub policies: Option<(Vec<String>, Vec<String>)>,
}

/// The permission choices, in the order shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Permission {
    /// What the IAM user of each workspace's key may do (migrate only; one role per distinct
    /// set of permissions, made by the core).
    SameAsKeyUser,
    #[default]
    ReadOnly,
    PowerUser,
    Admin,
    /// No permissions from tfc-oidc: a new role gets none, an existing one keeps its own.
    Nothing,
    /// A managed policy ARN typed in.
    PolicyArn,
    PolicyFile,
}

impl Permission {
    /// The choices every path offers, in the order shown.
    pub const ALL: [Permission; 6] = [
        Permission::ReadOnly,
        Permission::PowerUser,
        Permission::Admin,
        Permission::Nothing,
        Permission::PolicyArn,
        Permission::PolicyFile,
    ];

    /// The choice as shown; nothing reads "Keep what the role has" for a role that exists.
    pub fn label(self, existing: bool) -> &'static str {
        match self {
            Permission::SameAsKeyUser => "Same as the key's IAM user",
            Permission::ReadOnly => "ReadOnlyAccess",
            Permission::PowerUser => "PowerUserAccess",
            Permission::Admin => "AdministratorAccess",
            Permission::Nothing if existing => "Keep what the role has",
            Permission::Nothing => "None",
            Permission::PolicyArn => "Policy ARN…",
            Permission::PolicyFile => "Policy file…",
        }
    }

    /// The AWS-managed policy this choice names, if it is one.
    fn managed_name(self) -> Option<&'static str> {
        match self {
            Permission::ReadOnly => Some("ReadOnlyAccess"),
            Permission::PowerUser => Some("PowerUserAccess"),
            Permission::Admin => Some("AdministratorAccess"),
            _ => None,
        }
    }
}

/// What the keys of the migrated workspaces' IAM users may do, as the role screen offers it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct KeyUserOffer {
    /// One line per user: `ci-deployer: AmazonS3FullAccess (own), …`, or why it is unknown.
    pub lines: Vec<String>,
    /// Some user could not be read: choosing this would stop at Review.
    pub incomplete: bool,
}

impl KeyUserOffer {
    /// The offer for `users` (from the migrate discovery).
    pub fn of(users: &[crate::core::migrate::KeyUser<'_>]) -> KeyUserOffer {
        let mut offer = KeyUserOffer::default();
        for u in users {
            let line = match (&u.user, &u.permissions) {
                (Some(name), Ok(p)) => {
                    let mut policies = p.policy_names();
                    if let Some(b) = &p.boundary {
                        policies.push(format!("boundary {}", b.rsplit('/').next().unwrap_or(b)));
                    }
                    if policies.is_empty() {
                        policies.push("nothing".into());
                    }
                    let place = match &u.account {
                        Some(a) => format!(" (AWS account {a}, where its role is made)"),
                        None => String::new(),
                    };
                    format!("{name}{place}: {}", policies.join(", "))
                }
                (Some(name), Err(why)) => format!("{name}: cannot be read ({why})"),
                (None, read) => {
                    let why = read.as_ref().err().cloned().unwrap_or_default();
                    format!("the key of {}: user unknown ({why})", u.workspace)
                }
            };
            offer.incomplete |= u.permissions.is_err();
            offer.lines.push(line);
        }
        offer
    }
}

/// What one role may do, as chosen on the screen.
#[derive(Debug, Clone, Default)]
pub struct PermissionChoice {
    pub permission: Permission,
    /// Offered first on the migrate path: what the keys' users may do.
    pub key_users: Option<KeyUserOffer>,
    pub arn: TextInput,
    pub policy_path: TextInput,
    /// The policy file read and checked: (path, document).
    policy_doc: Option<(String, String)>,
}

/// What accepting a choice needs first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Pending {
    /// The ARN field is empty or not an ARN: (why).
    Arn(String),
    /// No path typed yet.
    NoPath,
    /// The file at this path must be read (and checked) first.
    Read(String),
}

impl PermissionChoice {
    /// The choices offered, in the order shown.
    pub fn choices(&self) -> Vec<Permission> {
        let first = self.key_users.as_ref().map(|_| Permission::SameAsKeyUser);
        first.into_iter().chain(Permission::ALL).collect()
    }

    pub fn cycle(&mut self, delta: isize) {
        let all = self.choices();
        let i = all.iter().position(|p| *p == self.permission).unwrap_or(0) as isize;
        self.permission = all[(i + delta).rem_euclid(all.len() as isize) as usize];
    }

    /// "3 of 7": the choice's 1-based position and how many there are.
    pub fn position(&self) -> (usize, usize) {
        let all = self.choices();
        let i = all.iter().position(|p| *p == self.permission).unwrap_or(0);
        (i + 1, all.len())
    }

    /// Offers what the keys' users may do, chosen unless some user could not be read.
    pub fn offer_key_users(&mut self, offer: KeyUserOffer) {
        // Entering the screen again keeps what the user chose from the same offer.
        if offer.lines.is_empty() || self.key_users.as_ref() == Some(&offer) {
            return;
        }
        if !offer.incomplete {
            self.permission = Permission::SameAsKeyUser;
        }
        self.key_users = Some(offer);
    }

    /// The typed ARN's problem, checked as the user types (`None` while empty).
    pub fn arn_problem(&self) -> Option<String> {
        let arn = self.arn.value().trim();
        if arn.is_empty() {
            return None;
        }
        names::validate_policy_arn(arn).err().map(|e| e.reason)
    }

    /// The path was edited: a document read for another path no longer counts.
    pub fn path_edited(&mut self) {
        self.policy_doc = None;
    }

    /// What must happen before this choice can be used, if anything.
    pub fn pending(&self) -> Option<Pending> {
        match self.permission {
            Permission::PolicyArn => {
                let arn = self.arn.value().trim();
                if arn.is_empty() {
                    return Some(Pending::Arn("Enter the ARN of a managed policy".into()));
                }
                self.arn_problem()
                    .map(|why| Pending::Arn(format!("The policy ARN is not valid: {why}")))
            }
            Permission::PolicyFile => {
                let path = self.policy_path.value().trim();
                if path.is_empty() {
                    return Some(Pending::NoPath);
                }
                match &self.policy_doc {
                    Some((read, _)) if read == path => None,
                    _ => Some(Pending::Read(path.to_string())),
                }
            }
            _ => None,
        }
    }

    /// Keeps the checked document of `path` when this choice names that file.
    pub fn take_document(&mut self, path: &str, doc: &str) {
        if self.permission == Permission::PolicyFile && self.policy_path.value().trim() == path {
            self.policy_doc = Some((path.to_string(), doc.to_string()));
        }
    }

    /// The permissions for the answers (`partition` from the caller's ARN).
    pub fn permissions(&self, partition: &str) -> Permissions {
        if let Some(name) = self.permission.managed_name() {
            return Permissions {
                managed_policy_arns: vec![aws_managed_policy_arn(partition, name)],
                ..Permissions::default()
            };
        }
        match self.permission {
            Permission::PolicyArn => Permissions {
                managed_policy_arns: vec![self.arn.value().trim().to_string()],
                ..Permissions::default()
            },
            Permission::PolicyFile => Permissions {
                inline_policy: self.policy_doc.as_ref().map(|(_, doc)| doc.clone()),
                ..Permissions::default()
            },
            _ => Permissions {
                none: true,
                ..Permissions::default()
            },
        }
    }

    /// The sentence under the choice; `true` when it is a warning.
    pub fn note(&self, existing: bool, account: &str) -> (String, bool) {
        let text = match self.permission {
            Permission::ReadOnly => "AWS managed policy: read every resource, change nothing.".into(),
            Permission::PowerUser => "AWS managed policy: everything except IAM users, roles and Organizations.".into(),
            Permission::Admin => {
                return (
                    format!("Warning: every run of these workspaces could do anything in account {account}, IAM included."),
                    true,
                )
            }
            Permission::SameAsKeyUser => return self.key_user_note(),
            Permission::Nothing if existing => "The role's policies stay as they are; nothing is attached or removed.".into(),
            Permission::Nothing => "No policy: the runs can assume the role but do nothing until you attach one.".into(),
            Permission::PolicyArn => "A managed policy of AWS or of this account, attached to the role (its existence is checked at Review).".into(),
            Permission::PolicyFile => "A JSON policy document, put on the role as its inline policy 'tfc-oidc'.".into(),
        };
        (text, false)
    }

    /// Each user's policies; a warning when some user could not be read.
    fn key_user_note(&self) -> (String, bool) {
        let offer = self.key_users.clone().unwrap_or_default();
        let mut text = String::from("Each role gets what its workspaces' key user may do: managed policies attached, inline ones copied, the boundary set; users with different permissions get separate roles. ");
        text.push_str(&offer.lines.join("; "));
        if offer.incomplete {
            text.push_str(
                ". Review stops on a user that could not be read: choose a policy instead.",
            );
        }
        (text, offer.incomplete)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_choice_gives_its_permissions() {
        let mut c = PermissionChoice::default();
        assert_eq!(
            c.permissions("aws").managed_policy_arns,
            ["arn:aws:iam::aws:policy/ReadOnlyAccess"]
        );
        c.permission = Permission::Nothing;
        assert!(c.permissions("aws").none);
        assert_eq!(c.permission.label(true), "Keep what the role has");
        c.permission = Permission::PolicyArn;
        assert!(matches!(c.pending(), Some(Pending::Arn(_))));
        c.arn.set("not-an-arn");
        assert!(c.arn_problem().is_some());
        c.arn.set("arn:aws:iam::123456789012:policy/deploy");
        assert_eq!(c.pending(), None);
        assert_eq!(
            c.permissions("aws").managed_policy_arns,
            ["arn:aws:iam::123456789012:policy/deploy"]
        );
        c.permission = Permission::PolicyFile;
        assert_eq!(c.pending(), Some(Pending::NoPath));
        c.policy_path.set("p.json");
        assert_eq!(c.pending(), Some(Pending::Read("p.json".into())));
        c.take_document("p.json", "{}");
        assert_eq!(c.pending(), None);
        assert_eq!(c.permissions("aws").inline_policy.as_deref(), Some("{}"));
    }

    #[test]
    fn the_key_users_choice_comes_first_only_when_offered_and_complete() {
        let mut c = PermissionChoice::default();
        assert_eq!(c.position(), (1, 6));
        let offer = KeyUserOffer {
            lines: vec!["ci: ReadOnlyAccess (own)".into()],
            incomplete: false,
        };
        c.offer_key_users(offer.clone());
        assert_eq!(c.permission, Permission::SameAsKeyUser);
        assert_eq!(c.position(), (1, 7));
        assert!(
            c.permissions("aws").none,
            "the core gives each role its user's"
        );
        c.cycle(1);
        c.offer_key_users(offer);
        assert_eq!(
            c.permission,
            Permission::ReadOnly,
            "entering again keeps the choice"
        );
        c.cycle(-2);
        assert_eq!(c.permission, Permission::PolicyFile);
        let mut c = PermissionChoice::default();
        c.offer_key_users(KeyUserOffer {
            lines: vec!["the key of etl: user unknown (sensitive)".into()],
            incomplete: true,
        });
        assert_eq!(c.permission, Permission::ReadOnly);
        c.cycle(-1);
        assert_eq!(c.permission, Permission::SameAsKeyUser);
        assert!(c.note(false, "1").1, "an incomplete offer warns");
    }
}
