//! docs/rules is generated from rules/; it must be current.

#![allow(
    clippy::expect_used,
    clippy::unwrap_used,
    clippy::indexing_slicing,
    clippy::panic
)]

#[test]
fn rule_docs_are_current() {
    let rules = sessionlint::rules::RuleSet::builtin().expect("rules load");
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/rules");
    let mut stale = Vec::new();
    for (name, text) in sessionlint::report::docs::pages(&rules) {
        let on_disk = std::fs::read_to_string(dir.join(&name)).unwrap_or_default();
        if on_disk != text {
            stale.push(name);
        }
    }
    assert!(
        stale.is_empty(),
        "stale rule docs {stale:?}: run `cargo run -- docs`"
    );
}

#[test]
fn explain_prints_the_rule_page() {
    let rules = sessionlint::rules::RuleSet::builtin().expect("rules load");
    let out = assert_cmd::Command::cargo_bin("sessionlint")
        .expect("binary")
        .args(["explain", "weak-secret"])
        .output()
        .expect("runs");
    assert!(out.status.success());
    let page = sessionlint::report::docs::check_page(rules.check("weak-secret").expect("exists"));
    assert_eq!(String::from_utf8_lossy(&out.stdout), page);
}

#[test]
fn explain_prints_an_app_profile_page() {
    let rules = sessionlint::rules::RuleSet::builtin().expect("rules load");
    let out = assert_cmd::Command::cargo_bin("sessionlint")
        .expect("binary")
        .args(["explain", "grafana"])
        .output()
        .expect("runs");
    assert!(out.status.success());
    let page = sessionlint::report::docs::app_page(rules.app("grafana").expect("exists"));
    assert_eq!(String::from_utf8_lossy(&out.stdout), page);
    assert!(page.contains("`security.cookie_secure`"), "{page}");
}
