//! `review --format markdown`: a report to paste into a pull-request comment or a ticket. A
//! heading, the summary, a table of every finding (severity, id, resource, title), then one
//! section per finding with its detail and fix.
//!
//! Every piece of text from HCP Terraform or AWS goes through [`inline`]: control characters are
//! written out (no terminal escapes reach the report), Markdown punctuation is backslash-escaped
//! (a sub pattern such as `organization:acme-*:project:*` would otherwise turn italic, and a
//! `|` would end a table cell), and a newline becomes `<br>` so it cannot end a table row or
//! start a heading.

use crate::core::review::{Finding, Severity};

/// Markdown punctuation that can change how inline text renders; CommonMark lets any ASCII
/// punctuation be backslash-escaped, so escaping one too many is harmless.
const MARKDOWN_PUNCTUATION: &str = "\\`*_[]<>|~#!&";

/// `s` as literal inline Markdown, safe in a paragraph and in a table cell.
pub fn inline(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\r' if chars.peek() == Some(&'\n') => {}
            '\n' | '\r' => out.push_str("<br>"),
            c if c.is_control() => {
                // `\u{1b}` written out; its backslash escaped so it shows as typed.
                for e in c.escape_default() {
                    if e == '\\' {
                        out.push('\\');
                    }
                    out.push(e);
                }
            }
            c if MARKDOWN_PUNCTUATION.contains(c) => {
                out.push('\\');
                out.push(c);
            }
            c => out.push(c),
        }
    }
    out
}

/// [`inline`] text that starts a paragraph: a leading `-`, `+`, `=` or `1.` would make it a list
/// item or a heading underline, so that first marker is escaped too.
fn paragraph(s: &str) -> String {
    let text = inline(s);
    let digits = text.chars().take_while(char::is_ascii_digit).count();
    let list_number = digits > 0 && matches!(text[digits..].chars().next(), Some('.' | ')'));
    if list_number {
        format!("{}\\{}", &text[..digits], &text[digits..])
    } else if text.starts_with(['-', '+', '=']) {
        format!("\\{text}")
    } else {
        text
    }
}

fn table_row(f: &Finding) -> String {
    format!(
        "| {} | {} | {} {} | {} |\n",
        f.severity,
        f.id.code(),
        f.resource_ref.kind(),
        inline(&f.resource),
        inline(f.title)
    )
}

fn section(f: &Finding, number: usize) -> String {
    let mut out = format!(
        "### {number}. {}: {}\n\n**Severity:** {} · **Resource:** {} {}\n\n{}\n\n**Fix:** {}\n\n",
        f.id.code(),
        inline(f.title),
        f.severity,
        f.resource_ref.kind(),
        inline(&f.resource),
        paragraph(&f.detail),
        inline(&f.fix)
    );
    if !f.commands.is_empty() {
        out.push_str(&code_block(&f.commands));
    }
    out
}

/// The fix's commands as a `sh` code block to copy. The fence is longer than any run of
/// backticks inside, so no command can close it; control characters are written out.
fn code_block(commands: &[String]) -> String {
    let lines: Vec<String> = commands
        .iter()
        .map(|c| crate::core::text::escape_control(c).into_owned())
        .collect();
    let longest_run = lines
        .iter()
        .flat_map(|l| l.split(|c| c != '`'))
        .map(str::len)
        .max()
        .unwrap_or(0);
    let fence = "`".repeat(longest_run.max(2) + 1);
    format!("{fence}sh\n{}\n{fence}\n\n", lines.join("\n"))
}

/// The report. `heading` names what was reviewed; `summary_line` is the text output's last
/// line (counts, what was read, CloudTrail, the baseline).
pub fn report(findings: &[Finding], heading: &str, summary_line: &str) -> String {
    let mut out = format!("# {}\n\n{}\n", inline(heading), paragraph(summary_line));
    if findings.is_empty() {
        return out;
    }
    out.push_str("\n| Severity | ID | Resource | Title |\n|---|---|---|---|\n");
    for f in findings {
        out.push_str(&table_row(f));
    }
    for severity in Severity::DESCENDING {
        let mut numbered = findings
            .iter()
            .enumerate()
            .filter(|(_, f)| f.severity == severity)
            .peekable();
        if numbered.peek().is_none() {
            continue;
        }
        let title = severity.as_str();
        let capital = title[..1].to_uppercase() + &title[1..];
        // A blank line before the heading: after the table's last row, or a section's end.
        if !out.ends_with("\n\n") {
            out.push('\n');
        }
        out.push_str(&format!("## {capital}\n\n"));
        for (i, f) in numbered {
            out.push_str(&section(f, i + 1));
        }
    }
    // One trailing newline, however the last section ended.
    let trimmed = out.trim_end().len();
    out.truncate(trimmed);
    out.push('\n');
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::review::{FindingId, ResourceRef};

    #[test]
    fn inline_text_cannot_break_a_table_or_drive_a_terminal() {
        assert_eq!(inline("a|b\nc"), "a\\|b<br>c");
        assert_eq!(inline("x\r\ny"), "x<br>y");
        assert_eq!(inline("ok\x1b[31m"), "ok\\\\u{1b}\\[31m");
        assert_eq!(
            inline("organization:acme-*:project:*"),
            "organization:acme-\\*:project:\\*"
        );
        assert_eq!(inline("<script>"), "\\<script\\>");
        assert_eq!(inline("Default Project"), "Default Project");
    }

    #[test]
    fn a_paragraph_cannot_start_a_list() {
        assert_eq!(paragraph("1. first"), "1\\. first");
        assert_eq!(paragraph("- item"), "\\- item");
        assert_eq!(paragraph("1 refused call"), "1 refused call");
        assert_eq!(
            paragraph("16 findings: 2 critical"),
            "16 findings: 2 critical"
        );
    }

    #[test]
    fn a_cell_holding_pipes_and_newlines_stays_one_cell() {
        let f = Finding::new(
            FindingId::StaticKeys,
            ResourceRef::VariableSet {
                organization: "acme".into(),
                id: "varset-1".into(),
                name: "keys | old\nset".into(),
            },
            "detail",
        );
        let out = report(std::slice::from_ref(&f), "Review", "1 finding");
        let row = out.lines().find(|l| l.starts_with("| high")).unwrap();
        // Five unescaped pipes: four cells.
        let bare = row.replace("\\|", "");
        assert_eq!(bare.matches('|').count(), 5, "{row}");
        assert!(row.contains("keys \\| old<br>set"), "{row}");
        assert!(!out.contains('\x1b'));
    }

    #[test]
    fn commands_are_a_code_block_no_command_can_close() {
        assert_eq!(
            code_block(&["tfc-oidc migrate --org acme".into()]),
            "```sh\ntfc-oidc migrate --org acme\n```\n\n"
        );
        let block = code_block(&["echo ```x`\x1b".into()]);
        assert!(block.starts_with("````sh\n"), "{block}");
        assert!(
            block.contains("\\u{1b}") && !block.contains('\x1b'),
            "{block}"
        );
    }

    #[test]
    fn no_findings_is_a_heading_and_the_summary() {
        let out = report(&[], "Review of acme", "No findings");
        assert_eq!(out, "# Review of acme\n\nNo findings\n");
    }
}
