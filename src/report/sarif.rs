//! SARIF 2.1.0, with its own small types: what code scanning and editors
//! read. Valid against the official schema (tests check every snapshot).
//!
//! Regions are 1-based with columns in Unicode code points
//! (`columnKind: unicodeCodePoints`); paths are relative to `%SRCROOT%`,
//! the working directory of the run. Snippets are masked. Suppressed
//! findings are present with `suppressions`. Files that could not be read
//! also appear as tool execution notifications.

use serde::Serialize;

use super::ReportInput;
use crate::rules::RuleSet;
use crate::source::finding::{Category, Finding, Label, Severity, SuppressionKind};
use crate::source::mask::{line_window, shown_window};

/// Where the rule pages live.
pub const DOCS_BASE: &str = "https://github.com/sessionlint/sessionlint/blob/main/docs/rules/";
pub const INFORMATION_URI: &str = "https://github.com/sessionlint/sessionlint";

#[derive(Serialize)]
struct Log<'a> {
    #[serde(rename = "$schema")]
    schema: &'static str,
    version: &'static str,
    runs: Vec<Run<'a>>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Run<'a> {
    tool: Tool<'a>,
    original_uri_base_ids: serde_json::Value,
    column_kind: &'static str,
    invocations: Vec<Invocation>,
    results: Vec<SResult>,
}

#[derive(Serialize)]
struct Tool<'a> {
    driver: Driver<'a>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Driver<'a> {
    name: &'static str,
    version: &'static str,
    semantic_version: &'static str,
    information_uri: &'static str,
    rules: Vec<Rule<'a>>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Rule<'a> {
    id: &'a str,
    name: String,
    short_description: Text,
    full_description: Text,
    help: Help,
    help_uri: String,
    default_configuration: DefaultConfiguration,
    properties: RuleProperties,
}

#[derive(Serialize)]
struct Text {
    text: String,
}

#[derive(Serialize)]
struct Help {
    text: String,
    markdown: String,
}

#[derive(Serialize)]
struct DefaultConfiguration {
    level: &'static str,
}

#[derive(Serialize)]
struct RuleProperties {
    category: &'static str,
    tags: Vec<String>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Invocation {
    execution_successful: bool,
    exit_code: i32,
    tool_execution_notifications: Vec<Notification>,
}

#[derive(Serialize)]
struct Notification {
    level: &'static str,
    message: Text,
    locations: Vec<Location>,
    descriptor: Descriptor,
}

#[derive(Serialize)]
struct Descriptor {
    id: &'static str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SResult {
    rule_id: String,
    rule_index: usize,
    level: &'static str,
    message: Text,
    locations: Vec<Location>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    related_locations: Vec<Location>,
    partial_fingerprints: serde_json::Value,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    suppressions: Vec<SSuppression>,
    /// 0–100: findings built on conventions or names rank lower.
    rank: f64,
    properties: ResultProperties,
}

#[derive(Serialize)]
struct ResultProperties {
    category: &'static str,
    /// `high`, `medium` (a convention of app code) or `low` (a variable's
    /// name alone).
    precision: &'static str,
}

#[derive(Serialize)]
struct SSuppression {
    kind: &'static str,
    justification: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Location {
    #[serde(skip_serializing_if = "Option::is_none")]
    id: Option<usize>,
    physical_location: PhysicalLocation,
    #[serde(skip_serializing_if = "Option::is_none")]
    message: Option<Text>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct PhysicalLocation {
    artifact_location: ArtifactLocation,
    region: Region,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ArtifactLocation {
    uri: String,
    uri_base_id: &'static str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Region {
    start_line: usize,
    start_column: usize,
    end_line: usize,
    end_column: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    snippet: Option<Text>,
}

fn level(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Note => "note",
    }
}

/// Percent-encode a relative path for a URI reference.
fn uri(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for b in path.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/!$&'()*+,;=:@".contains(&b) {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

fn location(input: &ReportInput<'_>, l: &Label, id: Option<usize>) -> Location {
    let (path, region) = match input.sources.get(l.span.file) {
        Some(file) => {
            let (start_line, start_column) = file.line_col(l.span.start);
            let (end_line, end_column) = file.line_col(l.span.end.max(l.span.start));
            let range = file.line_range(start_line);
            let line_start = range.start;
            let window = line_window(file, range, l.span.start);
            let (snippet, _) = shown_window(
                input.masks,
                input.show_secrets,
                l.span.file,
                file,
                line_start,
                window,
            );
            (
                file.display_path(),
                Region {
                    start_line,
                    start_column,
                    end_line,
                    end_column,
                    snippet: (!snippet.is_empty()).then_some(Text { text: snippet }),
                },
            )
        }
        None => (
            String::new(),
            Region {
                start_line: 1,
                start_column: 1,
                end_line: 1,
                end_column: 1,
                snippet: None,
            },
        ),
    };
    Location {
        id,
        physical_location: PhysicalLocation {
            artifact_location: ArtifactLocation {
                uri: uri(&path),
                uri_base_id: "%SRCROOT%",
            },
            region,
        },
        message: (!l.message.is_empty()).then(|| Text {
            text: l.message.clone(),
        }),
    }
}

fn pascal(id: &str) -> String {
    id.split('-')
        .map(|w| {
            let mut c = w.chars();
            c.next()
                .map(|f| f.to_ascii_uppercase().to_string() + c.as_str())
                .unwrap_or_default()
        })
        .collect()
}

/// Render the SARIF log. `fingerprints` has one entry per finding of
/// `input.findings`; `exit_code` is the code the run exits with.
pub fn render(
    input: &ReportInput<'_>,
    rules: &RuleSet,
    fingerprints: &[String],
    exit_code: i32,
) -> String {
    let mut checks: Vec<_> = rules.checks.iter().collect();
    checks.sort_by(|a, b| a.id().cmp(b.id()));
    let index_of = |id: &str| checks.iter().position(|c| c.id() == id).unwrap_or(0);
    let driver_rules = checks
        .iter()
        .map(|c| Rule {
            id: c.id(),
            name: pascal(c.id()),
            short_description: Text {
                text: c.summary.clone(),
            },
            full_description: Text {
                text: c.description.trim().to_string(),
            },
            help: Help {
                text: format!(
                    "{}\n\nFull documentation: {DOCS_BASE}{}.md",
                    c.description.trim(),
                    c.id()
                ),
                markdown: crate::report::docs::check_page(c),
            },
            help_uri: format!("{DOCS_BASE}{}.md", c.id()),
            default_configuration: DefaultConfiguration {
                level: level(c.severity),
            },
            properties: RuleProperties {
                category: c.category.value.as_str(),
                tags: vec![
                    c.category.value.as_str().to_string(),
                    "configuration".into(),
                ],
            },
        })
        .collect();
    let results = input
        .findings
        .iter()
        .zip(fingerprints)
        .map(|(f, fp)| result(input, f, fp, index_of(&f.rule)))
        .collect();
    let notifications = input
        .findings
        .iter()
        .filter(|f| f.category == Category::ParseError)
        .map(|f: &Finding| Notification {
            level: level(f.severity),
            message: Text {
                text: f.message.clone(),
            },
            locations: vec![location(input, &f.primary, None)],
            descriptor: Descriptor { id: "parse-error" },
        })
        .collect();
    let root = std::env::current_dir()
        .ok()
        .map(|d| {
            let s = d.to_string_lossy().replace('\\', "/");
            let s = if s.starts_with('/') {
                s
            } else {
                format!("/{s}")
            };
            format!("file://{}/", uri(s.trim_end_matches('/')))
        })
        .unwrap_or_else(|| "file:///".into());
    let log = Log {
        schema: "https://json.schemastore.org/sarif-2.1.0.json",
        version: "2.1.0",
        runs: vec![Run {
            tool: Tool {
                driver: Driver {
                    name: "sessionlint",
                    version: env!("CARGO_PKG_VERSION"),
                    semantic_version: env!("CARGO_PKG_VERSION"),
                    information_uri: INFORMATION_URI,
                    rules: driver_rules,
                },
            },
            original_uri_base_ids: serde_json::json!({"%SRCROOT%": {"uri": root}}),
            column_kind: "unicodeCodePoints",
            invocations: vec![Invocation {
                execution_successful: exit_code != 2,
                exit_code,
                tool_execution_notifications: notifications,
            }],
            results,
        }],
    };
    let mut s = serde_json::to_string_pretty(&log).unwrap_or_default();
    s.push('\n');
    s
}

fn result(input: &ReportInput<'_>, f: &Finding, fp: &str, rule_index: usize) -> SResult {
    SResult {
        rule_id: f.rule.clone(),
        rule_index,
        level: level(f.severity),
        message: Text {
            text: match &f.help {
                Some(h) => format!("{}\n{h}", f.message),
                None => f.message.clone(),
            },
        },
        locations: vec![location(input, &f.primary, None)],
        related_locations: f
            .related
            .iter()
            .enumerate()
            .map(|(i, r)| location(input, r, Some(i + 1)))
            .collect(),
        partial_fingerprints: serde_json::json!({ "sessionlint/v1": fp }),
        suppressions: f
            .suppression
            .iter()
            .map(|s| SSuppression {
                kind: match s.kind {
                    SuppressionKind::InSource => "inSource",
                    SuppressionKind::External => "external",
                },
                justification: s.justification.clone(),
            })
            .collect(),
        rank: f.confidence.rank(),
        properties: ResultProperties {
            category: f.category.as_str(),
            precision: f.confidence.as_str(),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uris_are_percent_encoded() {
        assert_eq!(uri("a b/é.env"), "a%20b/%C3%A9.env");
        assert_eq!(uri("../x/.env"), "../x/.env");
    }

    #[test]
    fn rule_names_are_pascal_case() {
        assert_eq!(pascal("weak-secret-fallback"), "WeakSecretFallback");
    }
}
