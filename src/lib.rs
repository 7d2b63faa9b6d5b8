//! sessionlint: a static linter for the deployment configuration of web apps.
//!
//! The pipeline is `discover → parse → model → engine → report`; see
//! `docs/architecture.md`. [`lint`] runs it on paths, [`lint_sources`] on
//! files already in memory.

pub mod checks;
pub mod cli;
pub mod discover;
pub mod docs;
pub mod duration;
pub mod engine;
pub mod examples;
pub mod finding;
pub mod mask;
pub mod model;
pub mod parse;
pub mod report;
pub mod ruleset;
pub mod source;

use std::path::PathBuf;

use finding::Finding;
use ruleset::RuleSet;
use source::{SourceMap, Span};

/// What a run produced.
#[derive(Debug, Default)]
pub struct Outcome {
    pub sources: SourceMap,
    /// Sorted by path, position and rule.
    pub findings: Vec<Finding>,
    /// Byte ranges holding secret values.
    pub masks: Vec<Span>,
    /// Paths named explicitly that are of no kind sessionlint reads.
    pub skipped: Vec<PathBuf>,
}

/// Limits that keep a run bounded.
#[derive(Debug, Clone, Default)]
pub struct Limits {
    pub files: discover::Limits,
    pub yaml: parse::yaml::Limits,
}

/// Lint the files under `paths`.
pub fn lint(paths: &[PathBuf], rules: &RuleSet, limits: &Limits) -> Outcome {
    let found = discover::discover(paths, limits.files);
    let mut out = lint_sources(found.sources, rules, limits);
    out.findings.extend(found.findings);
    sort(&mut out);
    out.skipped = found.skipped;
    out
}

/// Lint files already read and classified.
pub fn lint_sources(mut sources: SourceMap, rules: &RuleSet, limits: &Limits) -> Outcome {
    let model = model::build::build(&mut sources, rules, &limits.yaml);
    let eval = engine::evaluate(&model, rules);
    let mut out = Outcome {
        sources,
        findings: eval.findings,
        masks: eval.masks,
        skipped: Vec::new(),
    };
    sort(&mut out);
    out
}

fn sort(out: &mut Outcome) {
    let sources = &out.sources;
    let path = |f: &Finding| {
        sources
            .get(f.primary.span.file)
            .map(|s| s.display_path())
            .unwrap_or_default()
    };
    out.findings.sort_by(|a, b| {
        (path(a), a.primary.span.start, &a.rule, &a.message).cmp(&(
            path(b),
            b.primary.span.start,
            &b.rule,
            &b.message,
        ))
    });
    out.findings.dedup();
}
