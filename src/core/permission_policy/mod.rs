//! Permission policies (the documents `--policy-file` puts on a role, as opposed to the trust
//! policies of [`crate::core::trust`]), checked against IAM's grammar at plan time so IAM never refuses a document after the variables of a run are written. The
//! rules are those of IAM's "Grammar of the IAM JSON policy language" for identity-based
//! policies: `Version`, `Id`, `Statement`; each statement an `Effect` of `Allow`/`Deny`, exactly
//! one of `Action`/`NotAction` and of `Resource`/`NotResource`, an optional `Condition` block
//! and `Sid`, no `Principal`. Each problem carries the position where it is.

pub mod spanned;

use spanned::{Node, Position, Spanned};

/// What is wrong with a permission policy, and where.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}:{}: {reason}", at.line, at.column)]
pub struct PolicyProblem {
    pub at: Position,
    pub reason: String,
}

fn problem(at: Position, reason: impl Into<String>) -> PolicyProblem {
    PolicyProblem {
        at,
        reason: reason.into(),
    }
}

/// The versions of the policy language IAM accepts.
const VERSIONS: [&str; 2] = ["2012-10-17", "2008-10-17"];

/// IAM's condition operators (each may also end in `IfExists`, and take a `ForAllValues:` or
/// `ForAnyValue:` set qualifier).
const OPERATORS: [&str; 27] = [
    "StringEquals",
    "StringNotEquals",
    "StringEqualsIgnoreCase",
    "StringNotEqualsIgnoreCase",
    "StringLike",
    "StringNotLike",
    "NumericEquals",
    "NumericNotEquals",
    "NumericLessThan",
    "NumericLessThanEquals",
    "NumericGreaterThan",
    "NumericGreaterThanEquals",
    "DateEquals",
    "DateNotEquals",
    "DateLessThan",
    "DateLessThanEquals",
    "DateGreaterThan",
    "DateGreaterThanEquals",
    "Bool",
    "BinaryEquals",
    "IpAddress",
    "NotIpAddress",
    "ArnEquals",
    "ArnLike",
    "ArnNotEquals",
    "ArnNotLike",
    "Null",
];

/// Checks a permission policy: JSON, IAM's grammar, and at most `max` characters as IAM counts
/// them (whitespace aside). Returns the document.
pub fn check_permission_policy(text: &str, max: usize) -> Result<serde_json::Value, PolicyProblem> {
    let value: serde_json::Value = serde_json::from_str(text).map_err(|e| {
        let at = Position {
            line: e.line().max(1),
            column: e.column().max(1),
        };
        problem(at, format!("not JSON: {}", json_reason(&e)))
    })?;
    let root = spanned::parse(text).ok_or_else(|| {
        problem(
            Position { line: 1, column: 1 },
            "not JSON the checker can read",
        )
    })?;
    check_document(&root)?;
    let size = crate::core::names::policy_size(&value);
    if size > max {
        return Err(problem(
            root.at,
            format!("the policy is {size} characters (whitespace aside), IAM allows {max}"),
        ));
    }
    Ok(value)
}

/// serde_json's message without its own " at line L column C" (the position is said once).
fn json_reason(e: &serde_json::Error) -> String {
    let text = e.to_string();
    match text.rfind(" at line ") {
        Some(i) => text[..i].to_string(),
        None => text,
    }
}

fn members(node: &Spanned, what: &str) -> Result<Vec<(String, Position, Spanned)>, PolicyProblem> {
    match &node.value {
        Node::Object(m) => Ok(m.clone()),
        other => Err(problem(
            node.at,
            format!("{what} must be a JSON object, not {}", other.kind()),
        )),
    }
}

fn check_document(root: &Spanned) -> Result<(), PolicyProblem> {
    let mut statement = None;
    for (key, key_at, value) in members(root, "a policy")? {
        match key.as_str() {
            "Version" => match &value.value {
                Node::String(v) if VERSIONS.contains(&v.as_str()) => {}
                _ => {
                    return Err(problem(
                        value.at,
                        "Version must be \"2012-10-17\" (or the older \"2008-10-17\")",
                    ))
                }
            },
            "Id" => expect_string(&value, "Id")?,
            "Statement" => statement = Some(value),
            _ => {
                return Err(problem(
                    key_at,
                    format!(
                        "unknown element {} (a policy has Version, Id and Statement)",
                        quoted(&key)
                    ),
                ))
            }
        }
    }
    let statement = statement.ok_or_else(|| problem(root.at, "the policy has no Statement"))?;
    let statements = match &statement.value {
        Node::Object(_) => vec![statement.clone()],
        Node::Array(items) if items.is_empty() => {
            return Err(problem(
                statement.at,
                "Statement is empty: the policy would grant nothing",
            ))
        }
        Node::Array(items) => items.clone(),
        other => {
            return Err(problem(
                statement.at,
                format!(
                    "Statement must be an object or an array of objects, not {}",
                    other.kind()
                ),
            ))
        }
    };
    let mut sids: Vec<String> = Vec::new();
    for s in &statements {
        if let Some(sid) = check_statement(s)? {
            if sids.contains(&sid.0) {
                return Err(problem(
                    sid.1,
                    format!("Sid {} is used twice", quoted(&sid.0)),
                ));
            }
            sids.push(sid.0);
        }
    }
    Ok(())
}

/// Checks one statement; returns its Sid, if any, with its position.
fn check_statement(s: &Spanned) -> Result<Option<(String, Position)>, PolicyProblem> {
    let (mut sid, mut effect) = (None, false);
    let (mut action, mut resource): (Option<&str>, Option<&str>) = (None, None);
    let members = members(s, "a statement")?;
    for (key, key_at, value) in &members {
        match key.as_str() {
            "Sid" => sid = Some(check_sid(value)?),
            "Effect" => {
                match &value.value {
                    Node::String(e) if e == "Allow" || e == "Deny" => {}
                    Node::String(e) => {
                        return Err(problem(
                            value.at,
                            format!("Effect must be \"Allow\" or \"Deny\", not {}", quoted(e)),
                        ))
                    }
                    other => {
                        return Err(problem(
                            value.at,
                            format!("Effect must be \"Allow\" or \"Deny\", not {}", other.kind()),
                        ))
                    }
                }
                effect = true;
            }
            "Action" | "NotAction" => {
                one_of(&mut action, key, *key_at, "Action", "NotAction")?;
                check_list(value, key, check_action)?;
            }
            "Resource" | "NotResource" => {
                one_of(&mut resource, key, *key_at, "Resource", "NotResource")?;
                check_list(value, key, check_resource)?;
            }
            "Condition" => check_condition(value)?,
            "Principal" | "NotPrincipal" => {
                return Err(problem(
                    *key_at,
                    format!("{key} has no place in a role's permission policy (the role is the principal)"),
                ))
            }
            _ => {
                return Err(problem(
                    *key_at,
                    format!(
                        "unknown element {} in a statement (Sid, Effect, Action, NotAction, Resource, NotResource, Condition)",
                        quoted(key)
                    ),
                ))
            }
        }
    }
    if !effect {
        return Err(problem(
            s.at,
            "the statement has no Effect (\"Allow\" or \"Deny\")",
        ));
    }
    if action.is_none() {
        return Err(problem(s.at, "the statement has no Action (or NotAction)"));
    }
    if resource.is_none() {
        return Err(problem(
            s.at,
            "the statement has no Resource (or NotResource)",
        ));
    }
    Ok(sid)
}

/// Records `key`, refusing a statement that has both forms of an element.
fn one_of<'a>(
    seen: &mut Option<&'a str>,
    key: &'a str,
    at: Position,
    positive: &str,
    negative: &str,
) -> Result<(), PolicyProblem> {
    if seen.is_some() {
        return Err(problem(
            at,
            format!("a statement has either {positive} or {negative}, not both"),
        ));
    }
    *seen = Some(key);
    Ok(())
}

fn check_sid(value: &Spanned) -> Result<(String, Position), PolicyProblem> {
    match &value.value {
        Node::String(sid) if sid.chars().all(|c| c.is_ascii_alphanumeric()) => {
            Ok((sid.clone(), value.at))
        }
        Node::String(_) => Err(problem(
            value.at,
            "a Sid in IAM may hold only letters and digits",
        )),
        other => Err(problem(
            value.at,
            format!("Sid must be a string, not {}", other.kind()),
        )),
    }
}

fn expect_string(value: &Spanned, what: &str) -> Result<(), PolicyProblem> {
    match &value.value {
        Node::String(_) => Ok(()),
        other => Err(problem(
            value.at,
            format!("{what} must be a string, not {}", other.kind()),
        )),
    }
}

/// A string or a non-empty array of strings, each checked by `each`.
fn check_list(
    value: &Spanned,
    what: &str,
    each: fn(&str) -> Option<&'static str>,
) -> Result<(), PolicyProblem> {
    let items = match &value.value {
        Node::String(_) => vec![value.clone()],
        Node::Array(items) if items.is_empty() => {
            return Err(problem(value.at, format!("{what} is an empty list")))
        }
        Node::Array(items) => items.clone(),
        other => {
            return Err(problem(
                value.at,
                format!(
                    "{what} must be a string or a list of strings, not {}",
                    other.kind()
                ),
            ))
        }
    };
    for item in &items {
        let Node::String(text) = &item.value else {
            return Err(problem(
                item.at,
                format!("each {what} must be a string, not {}", item.value.kind()),
            ));
        };
        if let Some(why) = each(text) {
            return Err(problem(item.at, format!("{what} {}: {why}", quoted(text))));
        }
    }
    Ok(())
}

/// `*` or `service:action` (wildcards allowed in the action).
fn check_action(action: &str) -> Option<&'static str> {
    if action == "*" {
        return None;
    }
    let Some((service, name)) = action.split_once(':') else {
        return Some("expected service:action, e.g. s3:GetObject");
    };
    let service_ok = !service.is_empty()
        && service
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '*' || c == '?');
    let name_ok = !name.is_empty() && !name.chars().any(|c| c.is_whitespace() || c == ':');
    (!(service_ok && name_ok)).then_some("expected service:action, e.g. s3:GetObject")
}

/// `*` or an ARN (`arn:partition:service:region:account:resource`).
fn check_resource(resource: &str) -> Option<&'static str> {
    if resource == "*" {
        return None;
    }
    let ok = resource.starts_with("arn:") && resource.splitn(6, ':').count() == 6;
    (!ok).then_some("expected \"*\" or an ARN (arn:PARTITION:SERVICE:REGION:ACCOUNT:RESOURCE)")
}

/// `{ "Operator": { "key": value | [values] } }`.
fn check_condition(value: &Spanned) -> Result<(), PolicyProblem> {
    for (operator, op_at, block) in members(value, "Condition")? {
        if !known_operator(&operator) {
            return Err(problem(
                op_at,
                format!("unknown condition operator {}", quoted(&operator)),
            ));
        }
        for (_key, _key_at, values) in members(&block, "a condition operator's block")? {
            let scalars = match &values.value {
                Node::Array(items) => items.clone(),
                _ => vec![values.clone()],
            };
            for v in scalars {
                if matches!(v.value, Node::Object(_) | Node::Array(_) | Node::Null) {
                    return Err(problem(
                        v.at,
                        format!(
                            "a condition value must be a string, number or boolean, not {}",
                            v.value.kind()
                        ),
                    ));
                }
            }
        }
    }
    Ok(())
}

fn known_operator(operator: &str) -> bool {
    let bare = operator
        .strip_prefix("ForAllValues:")
        .or_else(|| operator.strip_prefix("ForAnyValue:"))
        .unwrap_or(operator);
    let bare = bare.strip_suffix("IfExists").unwrap_or(bare);
    OPERATORS.contains(&bare)
}

/// A short quoted token for a message: escaped, and cut so a message never replays a file.
fn quoted(text: &str) -> String {
    let short: String = text.chars().take(40).collect();
    let cut = if short.len() < text.len() { "…" } else { "" };
    format!("\"{}{cut}\"", short.escape_default())
}

#[cfg(test)]
mod tests;
