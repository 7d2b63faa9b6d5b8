//! JSON output: a versioned document with its own types, so the internal
//! structures can change without breaking the tools that read it.

use rayon::prelude::*;
use serde::Serialize;

use super::ReportInput;
use crate::source::finding::{Label, Severity};
use crate::source::mask::{line_window, shown_window};

/// The document's format version. Bumped on incompatible changes.
pub const VERSION: u32 = 1;

#[derive(Serialize)]
struct Doc<'a> {
    version: u32,
    tool: Tool,
    summary: Summary,
    findings: Vec<JFinding<'a>>,
}

#[derive(Serialize)]
struct Tool {
    name: &'static str,
    version: &'static str,
}

#[derive(Serialize)]
struct Summary {
    files_checked: usize,
    findings: usize,
    suppressed: usize,
    errors: usize,
    warnings: usize,
    notes: usize,
}

#[derive(Serialize)]
struct JFinding<'a> {
    rule: &'a str,
    category: &'a str,
    severity: &'a str,
    message: &'a str,
    help: Option<&'a str>,
    /// `high` (what the app reads), `medium` (a convention of app code),
    /// `low` (a variable's name alone).
    confidence: &'static str,
    location: Location,
    related: Vec<Location>,
}

#[derive(Serialize)]
struct Location {
    path: String,
    start: Position,
    end: Position,
    label: String,
    snippet: String,
}

#[derive(Serialize)]
struct Position {
    line: usize,
    column: usize,
    offset: usize,
}

fn location(input: &ReportInput<'_>, l: &Label) -> Location {
    let Some(file) = input.sources.get(l.span.file) else {
        return Location {
            path: String::new(),
            start: Position {
                line: 1,
                column: 1,
                offset: 0,
            },
            end: Position {
                line: 1,
                column: 1,
                offset: 0,
            },
            label: l.message.clone(),
            snippet: String::new(),
        };
    };
    let pos = |offset: usize| {
        let (line, column) = file.line_col(offset);
        Position {
            line,
            column,
            offset: offset.min(file.text.len()),
        }
    };
    let line = file.line_col(l.span.start).0;
    Location {
        path: file.display_path(),
        start: pos(l.span.start),
        end: pos(l.span.end.max(l.span.start)),
        label: l.message.clone(),
        snippet: {
            let range = file.line_range(line);
            let start = range.start;
            let window = line_window(file, range, l.span.start);
            shown_window(
                input.masks,
                input.show_secrets,
                l.span.file,
                file,
                start,
                window,
            )
            .0
        },
    }
}

/// Render the JSON document (pretty, ending with a newline).
pub fn render(input: &ReportInput<'_>) -> String {
    let count = |s: Severity| input.active().filter(|f| f.severity == s).count();
    let doc = Doc {
        version: VERSION,
        tool: Tool {
            name: "sessionlint",
            version: env!("CARGO_PKG_VERSION"),
        },
        summary: Summary {
            files_checked: input.files_checked,
            findings: input.active().count(),
            suppressed: input.suppressed(),
            errors: count(Severity::Error),
            warnings: count(Severity::Warning),
            notes: count(Severity::Note),
        },
        findings: input
            .active()
            .collect::<Vec<_>>()
            .into_par_iter()
            .map(|f| JFinding {
                rule: &f.rule,
                category: f.category.as_str(),
                severity: f.severity.as_str(),
                message: &f.message,
                help: f.help.as_deref(),
                confidence: f.confidence.as_str(),
                location: location(input, &f.primary),
                related: f.related.iter().map(|r| location(input, r)).collect(),
            })
            .collect(),
    };
    let mut s = serde_json::to_string_pretty(&doc).unwrap_or_else(|e| {
        format!("{{\"version\": {VERSION}, \"error\": \"cannot serialise findings: {e}\"}}")
    });
    s.push('\n');
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::finding::{Category, Finding};
    use crate::source::{FileKind, SourceFile, SourceMap, Span};

    #[test]
    fn renders_a_versioned_document_with_masked_snippets() {
        let mut map = SourceMap::default();
        let env = map.add(SourceFile::new(
            "a/.env".into(),
            FileKind::Dotenv,
            "X=1\nJWT_SECRET=changeme\n".into(),
        ));
        let findings = vec![Finding {
            rule: "weak-secret".into(),
            category: Category::WeakSecret,
            severity: Severity::Error,
            message: "`JWT_SECRET` is a well-known placeholder".into(),
            help: None,
            primary: Label::new(Span::new(env, 15..23), "weak"),
            related: vec![],
            confidence: Default::default(),
            suppression: None,
        }];
        let masks = [Span::new(env, 15..23)];
        let input = ReportInput {
            sources: &map,
            findings: &findings,
            masks: &masks,
            show_secrets: false,
            files_checked: 1,
        };
        let out = render(&input).replace(env!("CARGO_PKG_VERSION"), "[version]");
        insta::assert_snapshot!(out, @r#"
        {
          "version": 1,
          "tool": {
            "name": "sessionlint",
            "version": "[version]"
          },
          "summary": {
            "files_checked": 1,
            "findings": 1,
            "suppressed": 0,
            "errors": 1,
            "warnings": 0,
            "notes": 0
          },
          "findings": [
            {
              "rule": "weak-secret",
              "category": "weak-secret",
              "severity": "error",
              "message": "`JWT_SECRET` is a well-known placeholder",
              "help": null,
              "confidence": "high",
              "location": {
                "path": "a/.env",
                "start": {
                  "line": 2,
                  "column": 12,
                  "offset": 15
                },
                "end": {
                  "line": 2,
                  "column": 20,
                  "offset": 23
                },
                "label": "weak",
                "snippet": "JWT_SECRET=********"
              },
              "related": []
            }
          ]
        }
        "#);
        assert!(!out.contains("changeme"));
    }
}
