//! Every example in every check file runs as a test: its `# expect:`
//! markers must match the findings exactly.

#![allow(
    clippy::expect_used,
    clippy::unwrap_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use sessionlint::rules::RuleSet;

#[test]
fn every_check_has_examples_that_hold() {
    let rules = RuleSet::builtin().expect("built-in rules load");
    let mut failures = Vec::new();
    for check in &rules.checks {
        let flagged = check
            .examples
            .iter()
            .any(|e| e.files.values().any(|t| t.contains("# expect:")));
        assert!(
            flagged,
            "check `{}` has no example that it reports",
            check.id()
        );
        for f in sessionlint::cli::examples::run_check(check, &rules) {
            failures.push(format!("{} example {}: {}", f.check, f.example, f.message));
        }
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}

#[test]
fn every_app_profile_has_examples_that_hold() {
    let rules = RuleSet::builtin().expect("built-in rules load");
    let mut failures = Vec::new();
    for p in rules.apps.iter().filter(|p| !p.heuristic) {
        assert!(
            !p.examples.is_empty(),
            "app profile `{}` has no example",
            p.app
        );
        for f in sessionlint::cli::examples::run_profile(p, &rules) {
            failures.push(format!("{} example {}: {}", f.check, f.example, f.message));
        }
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}

#[test]
fn a_broken_example_is_caught() {
    // the harness itself must fail when a marker is wrong
    let rules = RuleSet::builtin().expect("built-in rules load");
    let mut check = rules.check("weak-secret").expect("exists").clone();
    check.examples.truncate(1);
    let ex = check.examples.first_mut().expect("one example");
    for text in ex.files.values_mut() {
        *text = text.replace("# expect: weak-secret", "");
    }
    let failures = sessionlint::cli::examples::run_check(&check, &rules);
    assert_eq!(failures.len(), 1, "{failures:?}");
    assert!(failures[0].message.contains("expected findings at []"));
}
