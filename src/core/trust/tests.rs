use super::*;
use proptest::prelude::*;
use serde_json::{json, Value};

const HOST: &str = "app.terraform.io";
const ARN: &str = "arn:aws:iam::123456789012:oidc-provider/app.terraform.io";

fn claims(sub: &str) -> Claims {
    Claims {
        host: HOST.into(),
        provider_arn: ARN.into(),
        aud: "aws.workload.identity".into(),
        sub: sub.into(),
    }
}

fn doc(statements: Value) -> PolicyDocument {
    PolicyDocument::from_value(json!({"Version": "2012-10-17", "Statement": statements})).unwrap()
}

fn allow(condition: Value) -> Value {
    json!({"Effect":"Allow","Principal":{"Federated":ARN},
           "Action":"sts:AssumeRoleWithWebIdentity","Condition":condition})
}

const SUB: &str = "organization:acme:project:apps:workspace:web:run_phase:apply";

#[test]
fn spec_statement_allows_its_workspace_only() {
    let p = doc(json!([allow(json!({
        "StringEquals": {"app.terraform.io:aud": "aws.workload.identity"},
        "StringLike": {"app.terraform.io:sub": ["organization:acme:project:apps:workspace:web:run_phase:*"]}
    }))]));
    let d = evaluate(&p, &claims(SUB));
    assert!(d.allowed);
    assert_eq!(d.decided_by, Some(0));
    let d = evaluate(
        &p,
        &claims("organization:acme:project:apps:workspace:api:run_phase:apply"),
    );
    assert!(!d.allowed);
    assert_eq!(d.failures().len(), 1);
    assert_eq!(
        d.explain(),
        "deny: StringLike app.terraform.io:sub does not match organization:acme:project:apps:workspace:api:run_phase:apply (patterns: organization:acme:project:apps:workspace:web:run_phase:*)"
    );
}

#[test]
fn audience_mismatch_is_named() {
    let p = doc(json!([allow(
        json!({"StringEquals": {"app.terraform.io:aud": "other"}})
    )]));
    let d = evaluate(&p, &claims(SUB));
    assert!(!d.allowed);
    assert!(d.explain().contains("StringEquals app.terraform.io:aud"));
}

#[test]
fn explicit_deny_wins() {
    let p = doc(json!([
        allow(json!({})),
        {"Effect":"Deny","Principal":"*","Action":"sts:*","Condition":{"StringLike":{"app.terraform.io:sub":"*:workspace:web:*"}}}
    ]));
    let d = evaluate(&p, &claims(SUB));
    assert!(!d.allowed);
    assert_eq!(d.decided_by, Some(1));
    assert!(d.explain().contains("explicitly denies"));
}

#[test]
fn missing_keys_and_if_exists() {
    let p = doc(json!([allow(
        json!({"StringEqualsIfExists": {"app.terraform.io:amr": "x"}})
    )]));
    assert!(evaluate(&p, &claims(SUB)).allowed);
    let p = doc(json!([allow(
        json!({"StringEquals": {"app.terraform.io:amr": "x"}})
    )]));
    let d = evaluate(&p, &claims(SUB));
    assert!(!d.allowed);
    assert!(
        d.explain().contains("IAM does not evaluate that claim"),
        "{}",
        d.explain()
    );
    let p = doc(json!([allow(
        json!({"ForAllValues:StringEquals": {"app.terraform.io:amr": "x"}})
    )]));
    assert!(evaluate(&p, &claims(SUB)).allowed);
    let p = doc(json!([allow(
        json!({"ForAnyValue:StringLike": {"app.terraform.io:sub": ["nope", "*:web:*"]}})
    )]));
    assert!(evaluate(&p, &claims(SUB)).allowed);
    let p = doc(json!([allow(
        json!({"Null": {"app.terraform.io:sub": "false"}})
    )]));
    assert!(evaluate(&p, &claims(SUB)).allowed);
}

#[test]
fn negated_and_case_rules() {
    let p = doc(json!([allow(
        json!({"StringNotLike": {"app.terraform.io:sub": "*:workspace:web:*"}})
    )]));
    assert!(!evaluate(&p, &claims(SUB)).allowed);
    let p = doc(json!([allow(
        json!({"StringEquals": {"APP.TERRAFORM.IO:SUB": SUB.to_uppercase()}})
    )]));
    assert!(
        !evaluate(&p, &claims(SUB)).allowed,
        "keys ignore case, values do not"
    );
    let p = doc(json!([allow(
        json!({"StringEqualsIgnoreCase": {"APP.TERRAFORM.IO:SUB": SUB.to_uppercase()}})
    )]));
    assert!(evaluate(&p, &claims(SUB)).allowed);
}

#[test]
fn principal_and_action_must_match() {
    let other = json!({"Effect":"Allow","Principal":{"Federated":"arn:aws:iam::1:oidc-provider/x"},
        "Action":"sts:AssumeRoleWithWebIdentity"});
    let d = evaluate(&doc(json!([other])), &claims(SUB));
    assert!(!d.allowed);
    assert!(d.explain().contains("no statement allows"));
    let wrong_action =
        json!({"Effect":"Allow","Principal":{"Federated":ARN},"Action":"sts:AssumeRole"});
    assert!(!evaluate(&doc(json!([wrong_action])), &claims(SUB)).allowed);
    let star = json!({"Effect":"Allow","Principal":{"Federated":ARN},"Action":"STS:*"});
    assert!(evaluate(&doc(json!([star])), &claims(SUB)).allowed);
}

#[test]
fn unknown_keys_are_indeterminate() {
    let p = doc(json!([allow(
        json!({"IpAddress": {"aws:SourceIp": "10.0.0.0/8"}})
    )]));
    let d = evaluate(&p, &claims(SUB));
    assert!(!d.allowed);
    assert!(d.failures()[0].indeterminate);
}

/// A plain reference for one allow statement with StringEquals/StringLike on `sub`: the
/// request passes when any value matches (regex translation of IAM's wildcards).
fn reference(op: &str, patterns: &[String], sub: &str) -> bool {
    patterns.iter().any(|p| {
        if op == "StringEquals" {
            return p == sub;
        }
        let mut re = String::from("^");
        let mut rest = p.as_str();
        while let Some(c) = rest.chars().next() {
            if let Some(e) = ["${*}", "${?}", "${$}"]
                .iter()
                .find(|e| rest.starts_with(**e))
            {
                re.push_str(&regex_escape(&e[2..3]));
                rest = &rest[e.len()..];
                continue;
            }
            match c {
                '*' => re.push_str("(?s:.*)"),
                '?' => re.push_str("(?s:.)"),
                c => re.push_str(&regex_escape(&c.to_string())),
            }
            rest = &rest[c.len_utf8()..];
        }
        re.push('$');
        simple_regex_match(&re, sub)
    })
}

fn regex_escape(s: &str) -> String {
    s.chars()
        .map(|c| {
            if c.is_alphanumeric() || c == ' ' {
                c.to_string()
            } else {
                format!("\\{c}")
            }
        })
        .collect()
}

/// A tiny backtracking matcher for the regex subset `reference` produces.
fn simple_regex_match(re: &str, s: &str) -> bool {
    #[derive(Clone, Copy, PartialEq)]
    enum T {
        Lit(char),
        Any,
        One,
    }
    let mut toks = Vec::new();
    let body = &re[1..re.len() - 1];
    let mut it = body.chars().peekable();
    while let Some(c) = it.next() {
        if c == '\\' {
            toks.push(T::Lit(it.next().unwrap()));
        } else if c == '(' {
            let group: String = it.by_ref().take_while(|c| *c != ')').collect();
            if it.peek() == Some(&'*') || group.ends_with(".*") {
                if it.peek() == Some(&'*') {
                    it.next();
                }
                toks.push(T::Any);
            } else {
                toks.push(T::One);
            }
        } else {
            toks.push(T::Lit(c));
        }
    }
    fn go(t: &[T], s: &[char]) -> bool {
        match t.first() {
            None => s.is_empty(),
            Some(T::Any) => (0..=s.len()).any(|i| go(&t[1..], &s[i..])),
            Some(T::One) => !s.is_empty() && go(&t[1..], &s[1..]),
            Some(T::Lit(c)) => s.first() == Some(c) && go(&t[1..], &s[1..]),
        }
    }
    let chars: Vec<char> = s.chars().collect();
    go(&toks, &chars)
}

proptest! {
    #[test]
    fn agrees_with_the_reference(
        op in prop_oneof![Just("StringEquals"), Just("StringLike")],
        patterns in proptest::collection::vec("[a-c:*?]{0,6}|\\$\\{[*?$]\\}", 1..4),
        // An empty sub stands for a token without one (see `Claims::sub`).
        sub in "[a-c:*?$]{1,8}",
    ) {
        let p = doc(json!([allow(json!({op: {"app.terraform.io:sub": patterns}}))]));
        prop_assert_eq!(evaluate(&p, &claims(&sub)).allowed, reference(op, &patterns, &sub));
    }

    /// Reading any JSON never panics, and what parses evaluates without panicking.
    #[test]
    fn arbitrary_json_never_panics(text in "\\PC{0,200}") {
        if let Ok(d) = PolicyDocument::parse(&text) {
            let _ = evaluate(&d, &claims(SUB));
        }
    }

    #[test]
    fn arbitrary_structures_never_panic(v in arb_json()) {
        let wrapped = json!({"Statement": [v.clone()]});
        if let Ok(d) = PolicyDocument::from_value(wrapped) {
            let _ = evaluate(&d, &claims(SUB)).explain();
        }
        let _ = PolicyDocument::from_value(v);
    }
}

fn arb_json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i32>().prop_map(|n| json!(n)),
        prop_oneof![
            Just("Allow"),
            Just("Deny"),
            Just("*"),
            Just("sts:*"),
            Just("StringLike"),
            Just("app.terraform.io:sub")
        ]
        .prop_map(|s| Value::String(s.into())),
        "[a-z:*]{0,6}".prop_map(Value::String),
    ];
    leaf.prop_recursive(4, 32, 6, |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            proptest::collection::btree_map(
                prop_oneof![
                    Just("Effect".to_string()),
                    Just("Principal".to_string()),
                    Just("Federated".to_string()),
                    Just("Action".to_string()),
                    Just("NotAction".to_string()),
                    Just("Condition".to_string()),
                    Just("StringLike".to_string()),
                    Just("Statement".to_string()),
                    "[a-z]{1,4}"
                ],
                inner,
                0..5
            )
            .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}
