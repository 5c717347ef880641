//! The `sub` patterns the roles of the inventory trust: every value of a condition that admits
//! what it lists (`StringLike`, `StringEquals`, `StringEqualsIgnoreCase`) on `HOST:sub`, in the
//! statements that allow web-identity assumption through the HOST provider. The Stack and
//! activity checks walk these.

use crate::core::inventory::{Inventory, RoleEntry};

/// One trusted pattern, where it is written.
#[derive(Debug, Clone, Copy)]
pub(super) struct Trusted<'a> {
    pub role: &'a RoleEntry,
    /// The 0-based index of the statement.
    pub statement: usize,
    /// As written (IAM escapes not undone).
    pub pattern: &'a str,
    /// Under `StringLike` (wildcards count), else compared literally.
    pub like: bool,
}

impl Trusted<'_> {
    /// Whether the pattern admits the token subject `sub`, as its operator compares.
    pub fn admits(&self, sub: &str) -> bool {
        if self.like {
            crate::core::trust::subject::string_like(self.pattern, sub)
        } else {
            self.pattern == sub
        }
    }
}

/// Every trusted pattern of every role that trusts the HOST provider (none without AWS).
pub(super) fn trusted_patterns(inv: &Inventory) -> Vec<Trusted<'_>> {
    let Some(aws) = &inv.aws else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for role in &aws.roles {
        let Ok(doc) = &role.trust else {
            continue;
        };
        for s in doc.web_identity_statements(&aws.host_provider_arn) {
            let admitting = s.conditions.iter().filter(|c| {
                c.is_claim(&inv.host, "sub")
                    && matches!(
                        c.operator.base.as_str(),
                        "StringLike" | "StringEquals" | "StringEqualsIgnoreCase"
                    )
            });
            for c in admitting {
                let like = c.operator.base == "StringLike";
                out.extend(c.values.iter().map(|pattern| Trusted {
                    role,
                    statement: s.index,
                    pattern,
                    like,
                }));
            }
        }
    }
    out
}
