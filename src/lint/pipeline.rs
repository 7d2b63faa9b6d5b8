//! The run: discovery, the model, the engine, then the filters (configured
//! severities, inline ignores, sorting, fingerprints, baseline).

use std::path::PathBuf;

use crate::lint::{config, engine, filter};
use crate::model::{self, discover};
use crate::rules::RuleSet;
use crate::source::finding::Finding;
use crate::source::{self, SourceMap, Span};
use crate::syntax;

/// What a run produced.
#[derive(Debug, Default)]
pub struct Outcome {
    pub sources: SourceMap,
    /// Sorted by path, position and rule; suppressed ones included.
    pub findings: Vec<Finding>,
    /// One per finding: a stable identity (see [`filter::fingerprints`]).
    pub fingerprints: Vec<String>,
    /// Byte ranges holding secret values.
    pub masks: Vec<Span>,
    /// Paths named explicitly that are of no kind sessionlint reads.
    pub skipped: Vec<PathBuf>,
    /// What the walk passed over, and why (for `--show-files`).
    pub not_read: Vec<(PathBuf, String)>,
    /// The model the findings were drawn from.
    pub model: model::Model,
}

/// Limits that keep a run bounded.
#[derive(Debug, Clone, Default)]
pub struct Limits {
    pub files: discover::Limits,
    pub yaml: syntax::yaml::Limits,
}

/// How to run.
#[derive(Debug, Clone)]
pub struct Options {
    pub limits: Limits,
    /// Honour `# sessionlint: ignore[…]` comments.
    pub inline_ignores: bool,
    /// Whether messages may show secret values (`--show-secrets`).
    pub reveal: crate::source::secret::Reveal,
    pub config: config::Config,
    pub baseline: Option<(filter::Baseline, String)>,
    /// Extra files read as they are (standard input, `helm template`
    /// output, `--values` overlays): `(name, kind or None to classify by
    /// content, text)`.
    pub extra_files: Vec<(PathBuf, Option<source::FileKind>, String)>,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            limits: Limits::default(),
            inline_ignores: true,
            reveal: crate::source::secret::Reveal::Masked,
            config: config::Config::default(),
            baseline: None,
            extra_files: Vec::new(),
        }
    }
}

/// Lint the files under `paths`.
pub fn lint(paths: &[PathBuf], rules: &RuleSet, options: &Options) -> Outcome {
    let config = &options.config;
    let filter = config.path_filter();
    let wants = |p: &std::path::Path| filter.wants(p);
    let mut found = discover::discover(paths, options.limits.files, &wants);
    for (name, kind, text) in &options.extra_files {
        let kind = kind
            .or_else(|| discover::classify_yaml_text(text))
            .or_else(|| discover::classify_json_text(name, text));
        match kind {
            Some(k) => {
                found
                    .sources
                    .add(source::SourceFile::new(name.clone(), k, text.clone()));
            }
            None => found.skipped.push(name.clone()),
        }
    }
    let mut out = lint_sources(found.sources, rules, options);
    if !found.findings.is_empty() {
        out.findings.extend(found.findings);
        finish(&mut out, rules, options, false);
    }
    out.skipped = found.skipped;
    out.not_read = found.not_read;
    out
}

/// Lint files already read and classified.
pub fn lint_sources(mut sources: SourceMap, rules: &RuleSet, options: &Options) -> Outcome {
    let mut model = model::build::build(&mut sources, &options.limits.yaml);
    crate::lint::detect::assign_apps(&mut model, rules, &options.config.apps);
    let eval = engine::evaluate(&model, rules, options.reveal);
    let mut out = Outcome {
        sources,
        findings: eval.findings,
        fingerprints: Vec::new(),
        masks: eval.masks,
        skipped: Vec::new(),
        not_read: Vec::new(),
        model,
    };
    finish(&mut out, rules, options, true);
    out
}

/// Configured severities, inline ignores, sorting, fingerprints, baseline.
fn finish(out: &mut Outcome, rules: &RuleSet, options: &Options, ignores: bool) {
    // texts set aside during reading come back where a finding points or an
    // inline ignore may be
    let shown: std::collections::HashSet<source::FileId> = out
        .findings
        .iter()
        .flat_map(|f| std::iter::once(&f.primary).chain(&f.related))
        .map(|l| l.span.file)
        .collect();
    let changed = out
        .sources
        .restore(|id, f| shown.contains(&id) || f.may_hold_ignores());
    for id in changed {
        out.findings.push(Finding::parse_error(
            Span::new(id, 0..0),
            "file changed on disk while sessionlint ran; its findings are shown without excerpts"
                .to_string(),
        ));
    }
    if ignores && options.inline_ignores {
        let unused = filter::apply_inline(&mut out.findings, &out.sources, rules);
        out.findings.extend(unused);
    }
    options
        .config
        .apply_to_findings(&mut out.findings, &out.sources);
    if options.reveal == crate::source::secret::Reveal::Masked {
        for f in &mut out.findings {
            mask_messages(f, &out.sources, &out.masks);
        }
    }
    sort(out);
    out.fingerprints = filter::fingerprints(&out.findings, &out.sources, &out.masks);
    if let Some((baseline, name)) = &options.baseline {
        baseline.apply(&mut out.findings, &out.fingerprints, name);
    }
}

/// What looks like a secret in a finding's message, help and labels
/// (a URL's password, a token, a key), starred out, and so is any text
/// that the excerpt of a label's line hides when the finding is a parse
/// error (which may quote the input): the values a message names through placeholders are masked
/// already, this catches text that came from the input some other way.
fn mask_messages(f: &mut Finding, sources: &SourceMap, masks: &[Span]) {
    use crate::source::mask::{hidden_texts, hide_in, mask_message};
    let mut hidden: Vec<String> = Vec::new();
    // (other findings name values through placeholders only)
    let quotes_input = f.category == crate::source::finding::Category::ParseError;
    for l in std::iter::once(&f.primary)
        .chain(&f.related)
        .filter(|_| quotes_input)
    {
        if let Some(file) = sources.get(l.span.file) {
            let first = file.line_col(l.span.start).0;
            let last = file.line_col(l.span.end.max(l.span.start)).0;
            // (a label over many lines: its first and last lines)
            for line in [first, last] {
                hidden.extend(hidden_texts(
                    masks,
                    l.span.file,
                    file,
                    file.line_range(line),
                ));
            }
        }
    }
    hidden.sort_by_key(|h| std::cmp::Reverse(h.len()));
    hidden.dedup();
    let mask = |t: &str| hide_in(&mask_message(t), &hidden);
    f.message = mask(&f.message);
    if let Some(h) = &mut f.help {
        *h = mask(h);
    }
    for l in std::iter::once(&mut f.primary).chain(&mut f.related) {
        l.message = mask(&l.message);
    }
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
