//! GitHub Actions workflow commands: one annotation per finding, shown on
//! the pull request diff (`::error file=…,line=…,col=…::message`).

use super::ReportInput;
use crate::source::finding::Severity;

/// Escape data (the message) of a workflow command.
fn escape_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escape a property value (file, title) of a workflow command.
fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

/// Render one workflow command per active finding.
pub fn render(input: &ReportInput<'_>) -> String {
    let mut out = String::new();
    for f in input.active() {
        let command = match f.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Note => "notice",
        };
        let Some(file) = input.sources.get(f.primary.span.file) else {
            continue;
        };
        let (line, col) = file.line_col(f.primary.span.start);
        let (end_line, end_col) = file.line_col(f.primary.span.end.max(f.primary.span.start));
        let mut message = f.message.clone();
        if let Some(h) = &f.help {
            message.push('\n');
            message.push_str(h);
        }
        out.push_str(&format!(
            "::{command} file={},line={line},col={col},endLine={end_line},endColumn={end_col},title={}::{}\n",
            escape_property(&file.display_path()),
            escape_property(&format!("sessionlint {} ({})", f.rule, f.category)),
            escape_data(&message),
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_like_the_actions_toolkit() {
        assert_eq!(escape_data("a%b\nc\r"), "a%25b%0Ac%0D");
        assert_eq!(escape_property("x:y,z"), "x%3Ay%2Cz");
    }
}
