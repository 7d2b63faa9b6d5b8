//! Running the examples of check files as tests.
//!
//! Each example is a small repository in memory. A line that ends with
//! `# expect: <id>` (several ids separated by commas) must be the primary
//! line of a finding of that check, and the check must report nothing
//! else in the example. An example without markers shows a case the
//! check must accept.

use std::collections::BTreeSet;
use std::path::PathBuf;

use crate::model::discover::{NameKind, classify_name};
use crate::rules::{Check, RuleSet};
use crate::source::{FileKind, SourceFile, SourceMap};

/// An example whose findings differ from its markers.
#[derive(Debug, Clone)]
pub struct ExampleFailure {
    pub check: String,
    pub example: usize,
    pub message: String,
}

/// Build the in-memory repository of an example.
pub fn sources(files: &std::collections::BTreeMap<String, String>) -> SourceMap {
    let mut map = SourceMap::default();
    for (path, text) in files {
        let p = PathBuf::from(path);
        let kind = match classify_name(&p) {
            NameKind::Known(k) => k,
            NameKind::MaybeYaml if p.file_name().is_some_and(|n| n == "values.yaml") => {
                FileKind::HelmValues
            }
            NameKind::MaybeYaml => match crate::model::discover::classify_yaml_text(text) {
                Some(k) => k,
                None => continue,
            },
            NameKind::MaybeJson => match crate::model::discover::classify_json_text(&p, text) {
                Some(k) => k,
                None => continue,
            },
            _ => continue,
        };
        map.add(SourceFile::new(p, kind, text.clone()));
    }
    map
}

/// Every rule id named by a marker.
fn marked_rules(map: &SourceMap) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for (_, f) in map.iter() {
        for line in f.text.lines() {
            if let Some((_, ids)) = line.split_once("# expect:") {
                out.extend(
                    ids.split(',')
                        .map(|x| x.trim().to_string())
                        .filter(|x| !x.is_empty()),
                );
            }
        }
    }
    out
}

/// Run the examples of an app profile: for every rule its markers name,
/// the findings of that rule must be exactly at the marked lines.
pub fn run_profile(profile: &crate::rules::AppProfile, rules: &RuleSet) -> Vec<ExampleFailure> {
    let mut failures = Vec::new();
    for (n, ex) in profile.examples.iter().enumerate() {
        let map = sources(&ex.files);
        let ids = marked_rules(&map);
        let wants: Vec<(String, BTreeSet<(String, usize)>)> = ids
            .iter()
            .map(|id| (id.clone(), expected(&map, id)))
            .collect();
        let out = crate::lint::pipeline::lint_sources(
            map,
            rules,
            &crate::lint::pipeline::Options::default(),
        );
        for (id, want) in wants {
            if rules.check(&id).is_none() {
                failures.push(ExampleFailure {
                    check: profile.app.clone(),
                    example: n + 1,
                    message: format!("marker names no rule `{id}`"),
                });
                continue;
            }
            let got: BTreeSet<(String, usize)> = out
                .findings
                .iter()
                .filter(|f| f.rule == id)
                .filter_map(|f| {
                    let file = out.sources.get(f.primary.span.file)?;
                    Some((file.display_path(), file.line_col(f.primary.span.start).0))
                })
                .collect();
            if got != want {
                failures.push(ExampleFailure {
                    check: profile.app.clone(),
                    example: n + 1,
                    message: format!("{id}: expected findings at {want:?}, got {got:?}"),
                });
            }
        }
    }
    failures
}

/// `(path, line)` of every `# expect: id` marker for `id`.
fn expected(map: &SourceMap, id: &str) -> BTreeSet<(String, usize)> {
    let mut out = BTreeSet::new();
    for (_, f) in map.iter() {
        for (i, (_, line)) in crate::source::lines::lines(&f.text).enumerate() {
            if let Some((_, ids)) = line.split_once("# expect:")
                && ids.split(',').any(|x| x.trim() == id)
            {
                out.insert((f.display_path(), i + 1));
            }
        }
    }
    out
}

/// Run the examples of one check.
pub fn run_check(check: &Check, rules: &RuleSet) -> Vec<ExampleFailure> {
    let mut failures = Vec::new();
    for (n, ex) in check.examples.iter().enumerate() {
        let map = sources(&ex.files);
        let want = expected(&map, check.id());
        let want_parse = expected(&map, crate::source::finding::PARSE_ERROR);
        let out = crate::lint::pipeline::lint_sources(
            map,
            rules,
            &crate::lint::pipeline::Options::default(),
        );
        let mut got = BTreeSet::new();
        for f in &out.findings {
            let Some(file) = out.sources.get(f.primary.span.file) else {
                continue;
            };
            let place = (file.display_path(), file.line_col(f.primary.span.start).0);
            if f.rule == check.id() {
                got.insert(place);
            } else if f.rule == crate::source::finding::PARSE_ERROR && !want_parse.contains(&place)
            {
                failures.push(ExampleFailure {
                    check: check.id().to_string(),
                    example: n + 1,
                    message: format!(
                        "unexpected parse error at {}:{}: {}",
                        place.0, place.1, f.message
                    ),
                });
            }
        }
        if got != want {
            let show = |s: &BTreeSet<(String, usize)>| {
                s.iter()
                    .map(|(p, l)| format!("{p}:{l}"))
                    .collect::<Vec<_>>()
                    .join(", ")
            };
            failures.push(ExampleFailure {
                check: check.id().to_string(),
                example: n + 1,
                message: format!(
                    "expected findings at [{}], got [{}]",
                    show(&want),
                    show(&got)
                ),
            });
        }
    }
    failures
}

/// Run the examples of every check and app profile.
pub fn run_all(rules: &RuleSet) -> Vec<ExampleFailure> {
    rules
        .checks
        .iter()
        .flat_map(|c| run_check(c, rules))
        .chain(rules.apps.iter().flat_map(|p| run_profile(p, rules)))
        .collect()
}

/// A failing example, with the rule file it is in.
#[derive(Debug, Clone)]
pub struct RuleFailure {
    /// The rule file.
    pub source: PathBuf,
    /// The line of the example in that file (0 when unknown).
    pub line: u64,
    /// `check` or `app profile`.
    pub kind: &'static str,
    pub failure: ExampleFailure,
}

impl std::fmt::Display for RuleFailure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let path = crate::source::display_path(&self.source);
        let at = if self.line > 0 {
            format!("{path}:{}", self.line)
        } else {
            path
        };
        write!(
            f,
            "{at}: {} `{}`, example {}: {}",
            self.kind, self.failure.check, self.failure.example, self.failure.message
        )
    }
}

/// Run every example of every check and app profile of `rules`; returns
/// how many examples ran and the failures, each placed at its example in
/// its rule file. `text_of` gives the text of a rule file.
pub fn test_rules(
    rules: &RuleSet,
    text_of: &dyn Fn(&std::path::Path) -> Option<String>,
) -> (usize, Vec<RuleFailure>) {
    let mut total = 0;
    let mut out = Vec::new();
    let mut place = |source: &std::path::Path, kind, failures: Vec<ExampleFailure>| {
        if failures.is_empty() {
            return;
        }
        let lines = text_of(source)
            .map(|t| crate::rules::example_lines(&t))
            .unwrap_or_default();
        for failure in failures {
            let line = failure
                .example
                .checked_sub(1)
                .and_then(|i| lines.get(i))
                .copied()
                .unwrap_or(0);
            out.push(RuleFailure {
                source: source.to_path_buf(),
                line,
                kind,
                failure,
            });
        }
    };
    for c in &rules.checks {
        total += c.examples.len();
        place(&c.source, "check", run_check(c, rules));
    }
    for p in &rules.apps {
        total += p.examples.len();
        place(&p.source, "app profile", run_profile(p, rules));
    }
    (total, out)
}
