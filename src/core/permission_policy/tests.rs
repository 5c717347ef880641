use super::*;

const MAX: usize = 10_240;

fn problem_of(text: &str) -> String {
    check_permission_policy(text, MAX).unwrap_err().to_string()
}

#[test]
fn accepts_what_iam_accepts() {
    let ok = r#"{
  "Version": "2012-10-17",
  "Id": "deploy",
  "Statement": [
    {"Sid": "Read1", "Effect": "Allow", "Action": ["s3:Get*", "ec2:Describe*"], "Resource": "*"},
    {"Effect": "Deny", "NotAction": "iam:*", "NotResource": ["arn:aws:s3:::bucket/*"],
     "Condition": {"ForAnyValue:StringLikeIfExists": {"aws:TagKeys": ["a", "b"]},
                   "Bool": {"aws:SecureTransport": false}, "NumericLessThan": {"s3:max-keys": 10}}}
  ]
}"#;
    assert!(check_permission_policy(ok, MAX).is_ok());
    let single = r#"{"Statement": {"Effect": "Allow", "Action": "*", "Resource": "*"}}"#;
    assert!(check_permission_policy(single, MAX).is_ok());
}

#[test]
fn an_effect_iam_rejects_is_named_where_it_is() {
    let text = "{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [{\n    \"Effect\": \"Maybe\",\n    \"Action\": \"s3:*\", \"Resource\": \"*\"}]\n}";
    assert_eq!(
        problem_of(text),
        "4:15: Effect must be \"Allow\" or \"Deny\", not \"Maybe\""
    );
}

#[test]
fn json_errors_say_line_and_column_once() {
    let message = problem_of("{\n  \"Statement\": [\n}");
    assert!(message.starts_with("3:1: not JSON: "), "{message}");
    assert!(!message.contains("at line"), "{message}");
}

#[test]
fn every_rule_of_the_grammar() {
    let s = |body: &str| format!(r#"{{"Version":"2012-10-17","Statement":[{body}]}}"#);
    let cases = [
        (s(r#"{"Action":"*","Resource":"*"}"#), "no Effect"),
        (s(r#"{"Effect":"Allow","Resource":"*"}"#), "no Action"),
        (s(r#"{"Effect":"Allow","Action":"*"}"#), "no Resource"),
        (
            s(r#"{"Effect":"Allow","Action":"*","NotAction":"s3:x","Resource":"*"}"#),
            "either Action or NotAction",
        ),
        (
            s(r#"{"Effect":"Allow","Action":"s3","Resource":"*"}"#),
            "service:action",
        ),
        (
            s(r#"{"Effect":"Allow","Action":[],"Resource":"*"}"#),
            "empty list",
        ),
        (
            s(r#"{"Effect":"Allow","Action":[1],"Resource":"*"}"#),
            "must be a string",
        ),
        (
            s(r#"{"Effect":"Allow","Action":"*","Resource":"bucket"}"#),
            "an ARN",
        ),
        (
            s(r#"{"Effect":"Allow","Action":"*","Resource":"*","Principal":"*"}"#),
            "no place",
        ),
        (
            s(r#"{"Effect":"Allow","Action":"*","Resource":"*","Actions":"*"}"#),
            "unknown element \"Actions\"",
        ),
        (
            s(
                r#"{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"StringMaybe":{"a":"b"}}}"#,
            ),
            "unknown condition operator",
        ),
        (
            s(
                r#"{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"Bool":{"a":{"b":1}}}}"#,
            ),
            "condition value",
        ),
        (
            s(r#"{"Effect":"Allow","Action":"*","Resource":"*","Condition":"x"}"#),
            "must be a JSON object",
        ),
        (
            s(r#"{"Sid":"a b","Effect":"Allow","Action":"*","Resource":"*"}"#),
            "letters and digits",
        ),
        (
            s(
                r#"{"Sid":"A","Effect":"Allow","Action":"*","Resource":"*"},{"Sid":"A","Effect":"Deny","Action":"*","Resource":"*"}"#,
            ),
            "used twice",
        ),
        (
            r#"{"Version":"2020-01-01","Statement":[]}"#.into(),
            "Version must be",
        ),
        (r#"{"Version":"2012-10-17"}"#.into(), "no Statement"),
        (r#"{"Statement":[]}"#.into(), "Statement is empty"),
        (r#"{"Statement":"x"}"#.into(), "object or an array"),
        (
            r#"{"Statement":[{}],"Extra":1}"#.into(),
            "unknown element \"Extra\"",
        ),
        ("[]".into(), "must be a JSON object"),
    ];
    for (text, expected) in cases {
        let message = problem_of(&text);
        assert!(message.contains(expected), "{text}: {message}");
    }
}

#[test]
fn size_is_counted_as_iam_counts_it() {
    let text = format!(
        "{{\"Statement\": {{\"Effect\": \"Allow\", \"Action\": \"s3:GetObject\", \"Resource\": \"arn:aws:s3:::{}\"}}}}",
        "b".repeat(200)
    );
    assert!(check_permission_policy(&text, 300).is_ok());
    let message = check_permission_policy(&text, 100).unwrap_err().to_string();
    assert!(message.starts_with("1:1: the policy is"), "{message}");
    assert!(message.ends_with("IAM allows 100"), "{message}");
}

#[test]
fn messages_never_replay_long_values() {
    let long = "x".repeat(500);
    let text = format!(r#"{{"Statement":{{"Effect":"{long}","Action":"*","Resource":"*"}}}}"#);
    let message = problem_of(&text);
    assert!(message.len() < 120, "{message}");
}
