//! Text helpers. Text that came from a server (names, existing values, error details) is shown with control
//! characters escaped, so a value holding terminal escape sequences cannot drive the terminal.

use std::borrow::Cow;

/// `s` with every control character (ESC, BEL, CR, newlines, C1 controls…) written as a Rust
/// escape (`\u{1b}`); text without any is returned as it is.
pub fn escape_control(s: &str) -> Cow<'_, str> {
    if !s.chars().any(char::is_control) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if c.is_control() {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// `n` and the noun in the number it needs: "1 variable set", "3 variable sets".
pub fn counted(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// A list in words: "A", "A and B", "A, B and C" (empty for none).
pub fn and_list<S: AsRef<str>>(items: &[S]) -> String {
    match items {
        [] => String::new(),
        [one] => one.as_ref().to_string(),
        [init @ .., last] => {
            let init: Vec<&str> = init.iter().map(AsRef::as_ref).collect();
            format!("{} and {}", init.join(", "), last.as_ref())
        }
    }
}

/// The commands a hint may suggest (`tfc-oidc setup …`), and `--hostname` that may precede one.
const COMMAND_WORDS: &[&str] = &[
    "setup",
    "migrate",
    "undo",
    "verify",
    "explain",
    "activity",
    "review",
    "export",
    "--hostname",
];

/// `text` as the `--demo` sandbox says it: every suggested command (`tfc-oidc setup …`,
/// `'tfc-oidc undo'`) gets `--demo`, so it runs against the same sandbox when copied. Text that
/// only names the tool ("tfc-oidc never replaces…") is left as it is.
pub fn demo_hints(text: &str) -> String {
    const TOOL: &str = "tfc-oidc ";
    let mut out = String::with_capacity(text.len() + 16);
    let mut rest = text;
    while let Some(at) = rest.find(TOOL) {
        let (before, from) = rest.split_at(at + TOOL.len());
        out.push_str(before);
        let next = from.split([' ', '\'', ')', ',', ';']).next().unwrap_or("");
        if COMMAND_WORDS.contains(&next) {
            out.push_str("--demo ");
        }
        rest = from;
    }
    out.push_str(rest);
    out
}

/// [`demo_hints`] when `demo`, else `text` unchanged.
pub fn hints_for(demo: bool, text: &str) -> String {
    if demo {
        demo_hints(text)
    } else {
        text.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_read_as_sentences() {
        assert_eq!(and_list::<&str>(&[]), "");
        assert_eq!(and_list(&["a"]), "a");
        assert_eq!(and_list(&["a", "b"]), "a and b");
        assert_eq!(and_list(&["a", "b", "c"]), "a, b and c");
        assert_eq!(
            and_list(&["a".to_string(), "b".into(), "c".into(), "d".into()]),
            "a, b, c and d"
        );
    }

    #[test]
    fn demo_hints_add_demo_to_suggested_commands_only() {
        assert_eq!(
            demo_hints("run 'tfc-oidc undo' to revert; tfc-oidc never replaces it"),
            "run 'tfc-oidc --demo undo' to revert; tfc-oidc never replaces it"
        );
        assert_eq!(
            demo_hints("tfc-oidc setup --org a: tfc-oidc --hostname h migrate"),
            "tfc-oidc --demo setup --org a: tfc-oidc --demo --hostname h migrate"
        );
        assert_eq!(demo_hints("tfc-oidc --demo undo"), "tfc-oidc --demo undo");
        assert_eq!(hints_for(false, "tfc-oidc undo"), "tfc-oidc undo");
    }

    #[test]
    fn counts_read_in_the_right_number() {
        assert_eq!(counted(1, "set", "sets"), "1 set");
        assert_eq!(counted(0, "set", "sets"), "0 sets");
    }

    #[test]
    fn escapes_only_controls() {
        assert_eq!(escape_control("plain ünïcode"), "plain ünïcode");
        assert_eq!(escape_control("a\u{1b}[2Jb\n"), "a\\u{1b}[2Jb\\n");
        assert_eq!(escape_control("\u{9b}31m"), "\\u{9b}31m");
    }
}
