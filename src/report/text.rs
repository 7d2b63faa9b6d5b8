//! Text output: rustc-style excerpts, one block per finding, then a summary.

use std::collections::BTreeMap;
use std::ops::Range;

use annotate_snippets::{AnnotationKind, Group, Level, Origin, Renderer, Snippet};

use super::ReportInput;
use crate::source::finding::{Finding, Label, Severity};
use crate::source::mask::{line_window, shown_window};
use crate::source::{FileId, SourceFile, floor_char_boundary};

fn ceil_char_boundary(s: &str, i: usize) -> usize {
    let mut i = i.min(s.len());
    while !s.is_char_boundary(i) {
        i += 1;
    }
    i
}

/// Options of the text renderer.
#[derive(Debug, Clone, Copy, Default)]
pub struct TextOptions {
    /// ANSI colours.
    pub color: bool,
}

/// Render all findings and the summary line.
pub fn render(input: &ReportInput<'_>, opts: &TextOptions) -> String {
    let renderer = if opts.color {
        Renderer::styled()
    } else {
        Renderer::plain()
    };
    let mut out = String::new();
    for f in input.active() {
        out.push_str(&render_one(input, f, &renderer));
        out.push_str("\n\n");
    }
    out.push_str(&summary(input));
    out.push('\n');
    out
}

/// `3 findings (1 error, 2 warnings, 0 notes) in 4 files` or
/// `No problems found in 4 files.`
pub fn summary(input: &ReportInput<'_>) -> String {
    let files = plural(input.files_checked, "file", "files");
    let suppressed = match input.suppressed() {
        0 => String::new(),
        n => format!("; {n} suppressed"),
    };
    let active: Vec<&Finding> = input.active().collect();
    if active.is_empty() {
        return format!("No problems found in {files}{suppressed}.");
    }
    let count = |s: Severity| active.iter().filter(|f| f.severity == s).count();
    format!(
        "{} ({}, {}, {}) in {files}{suppressed}",
        plural(active.len(), "finding", "findings"),
        plural(count(Severity::Error), "error", "errors"),
        plural(count(Severity::Warning), "warning", "warnings"),
        plural(count(Severity::Note), "note", "notes"),
    )
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// One line of an excerpt: where it ends in the file, the part of it
/// shown, and where that part begins in the excerpt's text.
struct Seg {
    line_end: usize,
    cut: bool,
    window: Range<usize>,
    out: usize,
}

struct Excerpt {
    path: String,
    text: String,
    line_start: usize,
    /// Set when a line was cut: the line and column (in characters) of
    /// the first label, as they are in the file.
    cut_at: Option<(usize, usize)>,
    /// (range in `text`, label, primary)
    marks: Vec<(Range<usize>, String, bool)>,
}

fn render_one(input: &ReportInput<'_>, f: &Finding, renderer: &Renderer) -> String {
    let level = match f.severity {
        Severity::Error => Level::ERROR,
        Severity::Warning => Level::WARNING,
        Severity::Note => Level::NOTE,
    };
    // labels grouped by file, the primary's file first
    let mut order: Vec<FileId> = vec![f.primary.span.file];
    let mut by_file: BTreeMap<FileId, Vec<(&Label, bool)>> = BTreeMap::new();
    by_file
        .entry(f.primary.span.file)
        .or_default()
        .push((&f.primary, true));
    for r in &f.related {
        if !order.contains(&r.span.file) {
            order.push(r.span.file);
        }
        by_file.entry(r.span.file).or_default().push((r, false));
    }
    let excerpts: Vec<Excerpt> = order
        .iter()
        .filter_map(|id| {
            let file = input.sources.get(*id)?;
            excerpt(input, *id, file, by_file.get(id)?)
        })
        .collect();

    let mut title = level.primary_title(f.message.as_str()).id(f.rule.as_str());
    let _ = &mut title;
    let mut group = Group::with_title(title);
    for ex in &excerpts {
        if ex.text.is_empty() {
            group = group.element(Origin::path(ex.path.as_str()).line(ex.line_start));
            continue;
        }
        let mut snippet = Snippet::source(ex.text.as_str())
            .line_start(ex.line_start)
            .path(ex.path.as_str());
        for (range, label, primary) in &ex.marks {
            let kind = if *primary {
                AnnotationKind::Primary
            } else {
                AnnotationKind::Context
            };
            let a = kind.span(range.clone());
            snippet = snippet.annotation(if label.is_empty() {
                a
            } else {
                a.label(label.as_str())
            });
        }
        group = group.element(snippet);
    }
    if let Some(help) = &f.help {
        group = group.element(Level::HELP.message(help.as_str()));
    }
    let mut out = renderer.render(&[group]);
    // a cut line: the renderer counts the column in the part shown; the
    // place is written as it is in the file
    for ex in &excerpts {
        if let Some((line, column)) = ex.cut_at {
            out = fix_column(&out, &ex.path, line, column);
        }
    }
    out
}

/// `path:line:N` (the first one) with `N` replaced by `column`.
fn fix_column(out: &str, path: &str, line: usize, column: usize) -> String {
    let needle = format!("{path}:{line}:");
    let Some(i) = out.find(&needle) else {
        return out.to_string();
    };
    let digits_at = i + needle.len();
    let rest = out.get(digits_at..).unwrap_or("");
    let n = rest.bytes().take_while(u8::is_ascii_digit).count();
    format!(
        "{}{column}{}",
        out.get(..digits_at).unwrap_or(""),
        rest.get(n..).unwrap_or("")
    )
}

/// The lines of `file` that the labels need, masked, with label ranges
/// relative to the excerpt.
fn excerpt(
    input: &ReportInput<'_>,
    id: FileId,
    file: &SourceFile,
    labels: &[(&Label, bool)],
) -> Option<Excerpt> {
    let path = file.display_path();
    if file.text.is_empty() {
        return Some(Excerpt {
            path,
            text: String::new(),
            line_start: 1,
            cut_at: None,
            marks: Vec::new(),
        });
    }
    let first = labels
        .iter()
        .map(|(l, _)| file.line_col(l.span.start).0)
        .min()?;
    let last = labels
        .iter()
        .map(|(l, _)| file.line_col(l.span.end.max(l.span.start)).0)
        .max()?;
    // line by line: a line too long to show whole (a minified file, a
    // 300 MB line) is cut to a window around what a label points at
    let mut text = String::new();
    let mut segs: Vec<Seg> = Vec::new();
    for line in first..=last {
        let range = file.line_range(line);
        let focus = labels
            .iter()
            .map(|(l, _)| l.span.start)
            .filter(|s| range.contains(s))
            .min()
            .unwrap_or(range.start);
        let window = line_window(file, range.clone(), focus);
        let (shown, prefix) = shown_window(
            input.masks,
            input.show_secrets,
            id,
            file,
            range.start,
            window.clone(),
        );
        if line > first {
            text.push('\n');
        }
        segs.push(Seg {
            line_end: range.end,
            cut: window.1 || window.2,
            window: window.0,
            out: text.len() + prefix,
        });
        text.push_str(&shown);
    }
    let cut_at = segs.iter().any(|s| s.cut).then(|| {
        let first_label = labels.first().map_or(0, |(l, _)| l.span.start);
        let (line, _) = file.line_col(first_label);
        let line_start = file.line_range(line).start;
        let column = file
            .slice(line_start..first_label.max(line_start))
            .chars()
            .count()
            + 1;
        (line, column)
    });
    let at = |o: usize| -> usize {
        let seg = segs.iter().find(|s| o <= s.line_end).or(segs.last());
        seg.map_or(0, |s| {
            s.out + o.clamp(s.window.start, s.window.end) - s.window.start
        })
    };
    let marks = labels
        .iter()
        .map(|(l, primary)| {
            // snap to char boundaries: the renderer slices the text
            let s = floor_char_boundary(&text, at(l.span.start));
            let mut e = ceil_char_boundary(&text, at(l.span.end.max(l.span.start)));
            if e <= s {
                // an empty span: point at one character where there is one
                e = text
                    .get(s..)
                    .and_then(|r| r.chars().next())
                    .filter(|c| *c != '\n' && *c != '\r')
                    .map_or(s, |c| s + c.len_utf8());
            }
            (s..e, l.message.clone(), *primary)
        })
        .collect();
    Some(Excerpt {
        path,
        text,
        line_start: first,
        cut_at,
        marks,
    })
}

/// Errors in rule files as excerpts, the same way findings are shown:
/// the message, then the offending line with the value underlined.
/// `text_of` gives the text of a rule file (`None`: the location only).
pub fn render_rule_errors(
    errors: &[crate::rules::RuleError],
    text_of: &dyn Fn(&std::path::Path) -> Option<String>,
    opts: &TextOptions,
) -> String {
    let renderer = if opts.color {
        Renderer::styled()
    } else {
        Renderer::plain()
    };
    let mut out = String::new();
    for e in errors {
        let path = crate::source::display_path(&e.path);
        let title = format!("invalid rule file: {}", e.message);
        let line_no = usize::try_from(e.line).unwrap_or(1).max(1);
        let line = text_of(&e.path)
            .and_then(|t| t.lines().nth(line_no - 1).map(str::to_string))
            .filter(|l| !l.trim().is_empty());
        let mut group = Group::with_title(Level::ERROR.primary_title(title.as_str()));
        match &line {
            Some(text) => {
                let col = usize::try_from(e.column).unwrap_or(1).max(1) - 1;
                let start = floor_char_boundary(text, col.min(text.len()));
                let rest = text.get(start..).unwrap_or("");
                let len = rest
                    .find(|c: char| c.is_whitespace() || c == ',' || c == '}' || c == ']')
                    .unwrap_or(rest.len())
                    .max(1);
                let end = ceil_char_boundary(text, (start + len).min(text.len()));
                let start = if start < end {
                    start
                } else {
                    floor_char_boundary(text, end.saturating_sub(1))
                };
                group = group.element(
                    Snippet::source(text.as_str())
                        .line_start(line_no)
                        .path(path.as_str())
                        .annotation(AnnotationKind::Primary.span(start..end)),
                );
            }
            None => {
                group = group.element(
                    Origin::path(path.as_str())
                        .line(line_no)
                        .char_column(usize::try_from(e.column).unwrap_or(1).max(1)),
                );
            }
        }
        out.push_str(&renderer.render(&[group]));
        out.push_str("\n\n");
    }
    let n = errors.len();
    out.push_str(&format!("{} in rule files\n", plural(n, "error", "errors")));
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::finding::Category;
    use crate::source::{FileKind, SourceMap, Span};

    fn sample() -> (SourceMap, Vec<Finding>, Vec<Span>) {
        let mut map = SourceMap::default();
        let env = map.add(SourceFile::new(
            ".env".into(),
            FileKind::Dotenv,
            "A=1\r\nSECRET=hunter2hunter2\r\n".into(),
        ));
        let compose = map.add(SourceFile::new(
            "compose.yaml".into(),
            FileKind::Compose,
            "services:\n  é:\n    environment: {SECRET: ${SECRET}}\n".into(),
        ));
        let findings = vec![
            Finding {
                rule: "weak-secret".into(),
                category: Category::WeakSecret,
                severity: Severity::Error,
                message: "`SECRET` is weak".into(),
                help: Some("Use a random value.".into()),
                primary: Label::new(Span::new(env, 12..26), "weak"),
                related: vec![Label::new(Span::new(compose, 42..51), "read here")],
                confidence: Default::default(),
                suppression: None,
            },
            Finding {
                rule: "parse-error".into(),
                category: Category::ParseError,
                severity: Severity::Note,
                message: "an empty span inside a character".into(),
                help: None,
                primary: Label::new(Span::new(compose, 13..13), ""),
                related: vec![],
                confidence: Default::default(),
                suppression: None,
            },
        ];
        (map, findings, vec![Span::new(env, 12..26)])
    }

    fn render_plain(show_secrets: bool) -> String {
        let (map, findings, masks) = sample();
        let input = ReportInput {
            sources: &map,
            findings: &findings,
            masks: &masks,
            show_secrets,
            files_checked: 2,
        };
        render(&input, &TextOptions { color: false })
    }

    #[test]
    fn renders_excerpts_with_related_files_and_help() {
        let out = render_plain(false);
        insta::assert_snapshot!(out, @"
        error[weak-secret]: `SECRET` is weak
         --> .env:2:8
          |
        2 | SECRET=**************
          |        ^^^^^^^^^^^^^^ weak
          |
         ::: compose.yaml:3:27
          |
        3 |     environment: {SECRET: ${SECRET}}
          |                           --------- read here
          |
          = help: Use a random value.

        note[parse-error]: an empty span inside a character
         --> compose.yaml:2:3
          |
        2 |   é:
          |   ^

        2 findings (1 error, 0 warnings, 1 note) in 2 files
        ");
    }

    #[test]
    fn secrets_are_masked_unless_asked() {
        assert!(!render_plain(false).contains("hunter2"));
        assert!(render_plain(true).contains("hunter2hunter2"));
    }

    #[test]
    fn summary_when_clean() {
        let map = SourceMap::default();
        let input = ReportInput {
            sources: &map,
            findings: &[],
            masks: &[],
            show_secrets: false,
            files_checked: 1,
        };
        assert_eq!(
            render(&input, &TextOptions::default()),
            "No problems found in 1 file.\n"
        );
    }
}
