//! Over the shared corpus of real configuration files: no crash, and a
//! summary of what was found. Skips (visibly) when the corpus is absent.

#![allow(
    clippy::expect_used,
    clippy::unwrap_used,
    clippy::indexing_slicing,
    clippy::panic
)]

mod common;

#[test]
fn corpus_runs_without_crashing() {
    let Some(corpus) = common::shared_corpus("corpus_runs_without_crashing") else {
        return;
    };
    let rules = sessionlint::rules::RuleSet::builtin().expect("rules");
    let out = sessionlint::lint(&[corpus], &rules, &sessionlint::Options::default());
    assert!(
        out.sources.len() > 50,
        "read only {} files",
        out.sources.len()
    );
    let mut by_rule = std::collections::BTreeMap::new();
    for f in &out.findings {
        *by_rule.entry(f.rule.as_str()).or_insert(0) += 1;
    }
    eprintln!(
        "corpus: {} files, findings by rule: {by_rule:?}",
        out.sources.len()
    );
    // every finding points inside its file, on char boundaries
    for f in &out.findings {
        for l in std::iter::once(&f.primary).chain(&f.related) {
            let file = out.sources.get(l.span.file).expect("file exists");
            assert!(l.span.end <= file.text.len(), "{f:?}");
            assert!(file.text.is_char_boundary(l.span.start), "{f:?}");
            assert!(file.text.is_char_boundary(l.span.end), "{f:?}");
        }
    }
}
