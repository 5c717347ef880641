//! JSON values written as block YAML for CloudFormation templates: mappings and sequences in
//! block style, strings plain when YAML cannot misread them and JSON-quoted otherwise (a JSON
//! string is a valid YAML double-quoted scalar), so any document survives the trip.

use serde_json::Value;

/// YAML 1.1 reads these plain words as booleans or null.
const SPECIAL_WORDS: [&str; 11] = [
    "y", "n", "yes", "no", "on", "off", "true", "false", "null", "~", "",
];

/// Whether `s` can be written without quotes and read back as the same string.
fn plain_ok(s: &str) -> bool {
    let first_is_letter = s.chars().next().is_some_and(|c| c.is_ascii_alphabetic());
    first_is_letter
        && !s.ends_with(':')
        && !SPECIAL_WORDS.contains(&s.to_ascii_lowercase().as_str())
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || "._/@+-:".contains(c))
}

fn string(s: &str) -> String {
    if plain_ok(s) {
        s.to_string()
    } else {
        serde_json::to_string(s).unwrap_or_else(|_| "\"\"".into())
    }
}

/// A scalar (or an empty collection) written inline.
pub fn scalar(v: &Value) -> String {
    match v {
        Value::String(s) => string(s),
        Value::Array(a) if a.is_empty() => "[]".into(),
        Value::Object(o) if o.is_empty() => "{}".into(),
        other => other.to_string(),
    }
}

fn is_inline(v: &Value) -> bool {
    match v {
        Value::Array(a) => a.is_empty(),
        Value::Object(o) => o.is_empty(),
        _ => true,
    }
}

/// `v` as the value after `key:` in a mapping at `indent - 2`: ` scalar` on the same line, or
/// a newline and the block indented by `indent` spaces.
pub fn value(v: &Value, indent: usize) -> String {
    if is_inline(v) {
        format!(" {}", scalar(v))
    } else {
        let mut out = String::from("\n");
        block(v, indent, &mut out);
        out.truncate(out.trim_end_matches('\n').len());
        out
    }
}

/// `v` as block lines indented by `indent` spaces, each ending in a newline.
pub fn block(v: &Value, indent: usize, out: &mut String) {
    let pad = " ".repeat(indent);
    match v {
        Value::Object(map) if !map.is_empty() => {
            for (k, val) in map {
                out.push_str(&format!("{pad}{}:{}\n", string(k), value(val, indent + 2)));
            }
        }
        Value::Array(items) if !items.is_empty() => {
            for item in items {
                if is_inline(item) {
                    out.push_str(&format!("{pad}- {}\n", scalar(item)));
                } else if item.is_object() {
                    // The first key goes on the dash's line, the rest line up under it.
                    let mut inner = String::new();
                    block(item, indent + 2, &mut inner);
                    out.push_str(&format!("{pad}- {}", &inner[indent + 2..]));
                } else {
                    out.push_str(&format!("{pad}-{}\n", value(item, indent + 2)));
                }
            }
        }
        other => out.push_str(&format!("{pad}{}\n", scalar(other))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn writes_blocks_and_quotes_what_yaml_would_misread() {
        let doc = json!({
            "Version": "2012-10-17",
            "Statement": [{
                "Effect": "Allow",
                "Principal": {"Fn::If": ["Create", {"Ref": "P"}, {"Ref": "Arn"}]},
                "Condition": {"StringLike": {"app.terraform.io:sub": ["organization:a:project:b c:workspace:*:run_phase:*"]}}
            }],
            "Empty": [],
            "Odd": "yes",
            "Multi": "a\nb"
        });
        let text = format!("Doc:{}\n", value(&doc, 2));
        assert_eq!(
            text,
            r#"Doc:
  Version: "2012-10-17"
  Statement:
    - Effect: Allow
      Principal:
        Fn::If:
          - Create
          - Ref: P
          - Ref: Arn
      Condition:
        StringLike:
          app.terraform.io:sub:
            - "organization:a:project:b c:workspace:*:run_phase:*"
  Empty: []
  Odd: "yes"
  Multi: "a\nb"
"#
        );
    }
}
