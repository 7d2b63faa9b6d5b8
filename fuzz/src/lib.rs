//! Shared checks for the fuzz targets: spans slice the text on char
//! boundaries, and a whole lint of in-memory files keeps every finding
//! inside its file.

use std::ops::Range;
use std::path::PathBuf;
use std::sync::OnceLock;

use sessionlint::rules::RuleSet;
use sessionlint::source::{FileKind, SourceFile, SourceMap};

/// The fuzz input as text. Invalid UTF-8 becomes U+FFFD; NUL bytes are
/// kept (discovery refuses files with NUL, but standard input and
/// `--values` reach the parsers without that check).
pub fn text(data: &[u8]) -> String {
    String::from_utf8_lossy(data).into_owned()
}

/// `span` lies inside `text` and on char boundaries.
pub fn check_span(text: &str, span: &Range<usize>, what: &str) {
    assert!(
        span.start <= span.end && span.end <= text.len(),
        "{what}: span {span:?} outside text of {} bytes",
        text.len()
    );
    assert!(
        text.is_char_boundary(span.start) && text.is_char_boundary(span.end),
        "{what}: span {span:?} not on char boundaries"
    );
}

pub fn rules() -> &'static RuleSet {
    static RULES: OnceLock<RuleSet> = OnceLock::new();
    RULES.get_or_init(|| match RuleSet::builtin() {
        Ok(r) => r,
        Err(e) => panic!("builtin rules: {e:?}"),
    })
}

/// Lint in-memory files (no disk reads: includes and `env_file` are
/// confined to a folder that does not exist), check every finding's spans
/// and render the reports.
pub fn lint_files(files: Vec<(&str, FileKind, String)>) {
    lint_source_files(
        files
            .into_iter()
            .map(|(path, kind, text)| SourceFile::new(PathBuf::from(path), kind, text))
            .collect(),
    );
}

/// [`lint_files`] of files already made (a Markdown document's code
/// blocks, as discovery makes them).
pub fn lint_source_files(files: Vec<SourceFile>) {
    let mut sources = SourceMap::default();
    sources.set_roots(vec![PathBuf::from("/nonexistent/sessionlint-fuzz")]);
    for file in files {
        sources.add(file);
    }
    let options = sessionlint::Options::default();
    let out = sessionlint::lint_sources(sources, rules(), &options);
    for f in &out.findings {
        for l in std::iter::once(&f.primary).chain(&f.related) {
            let Some(file) = out.sources.get(l.span.file) else {
                panic!("finding in a file that does not exist: {f:?}");
            };
            check_span(&file.text, &(l.span.start..l.span.end), &f.rule);
        }
    }
    for m in &out.masks {
        if let Some(file) = out.sources.get(m.file) {
            check_span(&file.text, &(m.start..m.end), "mask");
        }
    }
    let input = sessionlint::report::ReportInput {
        sources: &out.sources,
        findings: &out.findings,
        masks: &out.masks,
        show_secrets: false,
        files_checked: out.sources.len(),
    };
    let _ = sessionlint::report::json::render(&input);
    let _ = sessionlint::report::text::render(
        &input,
        &sessionlint::report::text::TextOptions { color: false },
    );
}

/// Every span in a YAML node tree.
pub fn check_yaml_node(text: &str, n: &sessionlint::syntax::yaml::Node) {
    use sessionlint::syntax::yaml::NodeKind;
    check_span(text, &n.span, "yaml node");
    match &n.kind {
        NodeKind::Scalar(_) => {}
        NodeKind::Seq(items) => items.iter().for_each(|i| check_yaml_node(text, i)),
        NodeKind::Map(entries) => entries.iter().for_each(|e| {
            check_yaml_node(text, &e.key);
            check_yaml_node(text, &e.value);
        }),
    }
}

pub fn check_config_file(text: &str, c: &sessionlint::syntax::ini::ConfigFile) {
    for e in &c.entries {
        check_span(text, &e.key_span, "key");
        check_span(text, &e.value_span, "value");
    }
    for e in &c.errors {
        check_span(text, &e.span, "error");
    }
}
