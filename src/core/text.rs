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
