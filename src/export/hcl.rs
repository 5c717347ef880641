//! JSON values written as HCL expressions (objects, tuples, quoted strings) for Terraform's
//! `jsonencode(...)`, and HCL string literals. Strings are escaped for HCL, including its
//! template sequences (`${` → `$${`, `%{` → `%%{`), so a policy holding `${aws:username}` keeps it.

use serde_json::Value;

/// The characters of `s` as they go between the quotes of an HCL string literal.
pub fn string_content(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '$' | '%' if chars.peek() == Some(&'{') => {
                out.push(c);
                out.push(c);
            }
            c if c.is_control() => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out
}

/// `s` as a quoted HCL string literal.
pub fn string(s: &str) -> String {
    format!("\"{}\"", string_content(s))
}

/// An object key: bare when it is an identifier (and no keyword), quoted otherwise.
pub fn key(k: &str) -> String {
    let ident = k
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && k.chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
    let keyword = matches!(k, "true" | "false" | "null" | "for" | "in" | "if");
    if ident && !keyword {
        k.to_string()
    } else {
        string(k)
    }
}

/// Replaces a whole value (a reference for a literal ARN, say) with an expression.
pub type Hook<'a> = &'a dyn Fn(&Value) -> Option<String>;

fn scalar(v: &Value) -> Option<String> {
    match v {
        Value::Null => Some("null".into()),
        Value::Bool(b) => Some(b.to_string()),
        Value::Number(n) => Some(n.to_string()),
        Value::String(s) => Some(string(s)),
        Value::Array(a) if a.is_empty() => Some("[]".into()),
        Value::Object(o) if o.is_empty() => Some("{}".into()),
        _ => None,
    }
}

/// `v` as an HCL expression whose continuation lines are indented by `indent` spaces; `hook`
/// is asked first at every node.
pub fn expr(v: &Value, indent: usize, hook: Hook) -> String {
    if let Some(e) = hook(v) {
        return e;
    }
    if let Some(s) = scalar(v) {
        return s;
    }
    let pad = " ".repeat(indent);
    let inner = " ".repeat(indent + 2);
    match v {
        Value::Array(items) => {
            let inline: Option<Vec<String>> = items
                .iter()
                .map(|i| if hook(i).is_none() { scalar(i) } else { None })
                .collect();
            if let Some(parts) = inline {
                let one_line = format!("[{}]", parts.join(", "));
                if one_line.len() + indent <= 100 {
                    return one_line;
                }
            }
            let mut out = String::from("[\n");
            for item in items {
                out.push_str(&format!("{inner}{},\n", expr(item, indent + 2, hook)));
            }
            out.push_str(&format!("{pad}]"));
            out
        }
        Value::Object(map) => {
            let width = map
                .keys()
                .map(|k| key(k).chars().count())
                .max()
                .unwrap_or(0);
            let mut out = String::from("{\n");
            for (k, val) in map {
                let k = key(k);
                let gap = width - k.chars().count();
                let val = expr(val, indent + 2, hook);
                out.push_str(&format!("{inner}{k}{} = {val}\n", " ".repeat(gap)));
            }
            out.push_str(&format!("{pad}}}"));
            out
        }
        _ => unreachable!("scalars returned above"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn strings_escape_quotes_controls_and_templates() {
        assert_eq!(string(r#"a"b\c"#), r#""a\"b\\c""#);
        assert_eq!(
            string("${aws:username}/%{x}$5"),
            r#""$${aws:username}/%%{x}$5""#
        );
        assert_eq!(string("a\nb\u{7}"), r#""a\nb\u0007""#);
        assert_eq!(key("Version"), "Version");
        assert_eq!(key("app.terraform.io:aud"), r#""app.terraform.io:aud""#);
        assert_eq!(key("true"), r#""true""#);
    }

    #[test]
    fn objects_and_tuples_with_a_hook() {
        let doc = json!({"Version": "2012-10-17", "Statement": [{"Principal": {"Federated": "ARN"}, "N": 1}]});
        let hook = |v: &Value| (v == &json!("ARN")).then(|| "aws_x.y.arn".to_string());
        assert_eq!(
            expr(&doc, 2, &hook),
            "{\n    Version   = \"2012-10-17\"\n    Statement = [\n      {\n        Principal = {\n          Federated = aws_x.y.arn\n        }\n        N         = 1\n      },\n    ]\n  }"
        );
    }
}
