//! Rules written by users, with no Rust: an app profile with its own env
//! scheme, a concept and a category declared in the rule directory, and a
//! check over that concept; `sessionlint test-rules` on such a directory;
//! every error of a broken rule file reported.

#![allow(
    clippy::expect_used,
    clippy::unwrap_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use std::path::Path;

use assert_cmd::Command;

fn sessionlint() -> Command {
    Command::cargo_bin("sessionlint").expect("binary")
}

const VOCABULARY: &str = "\
concepts:
  - id: session.web-age
    duration: true
    description: How long a web session of the app lasts.
categories:
  - id: identity-provider
    title: Identity provider
    description: Problems of the login service itself.
";

const PROFILE: &str = "\
# yaml-language-server: $schema=../schemas/rules/app-profile.json
app: loginhub
name: loginhub
detect:
  images: [ghcr.io/loginhub/server]
  env-prefixes: [LOGINHUB_]
env-scheme:
  - template: 'LOGINHUB_{SECTION}__{KEY}'
settings:
  - ini: web.session_age
    concept: session.web-age
    unit: seconds
    default: '86400'
";

const CHECK: &str = "\
id: short-web-session
category: identity-provider
severity: warning
summary: Web sessions end within the hour
description: Users of every app behind the login service log in again each hour.
when:
  concept: session.web-age
  below: 1h
message: '{app} ends web sessions after {duration}'
help: 'Raise `{key}` to a working day.'
examples:
  - description: ten minutes
    files:
      compose.yaml: |
        services:
          server:
            image: ghcr.io/loginhub/server:2024.2
            environment:
              LOGINHUB_WEB__SESSION_AGE: '600' # expect: short-web-session
  - files:
      compose.yaml: |
        services:
          server:
            image: ghcr.io/loginhub/server:2024.2
";

fn rule_dir(check: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(dir.path().join("vocabulary.yaml"), VOCABULARY).expect("write");
    std::fs::create_dir(dir.path().join("apps")).expect("mkdir");
    std::fs::create_dir(dir.path().join("checks")).expect("mkdir");
    std::fs::write(dir.path().join("apps/loginhub.yaml"), PROFILE).expect("write");
    std::fs::write(dir.path().join("checks/short-web-session.yaml"), check).expect("write");
    dir
}

fn findings(rules: &Path, repo: &Path) -> serde_json::Value {
    let out = sessionlint()
        .args(["check", "--no-config", "--format", "json", "--rules"])
        .arg(rules)
        .arg(repo)
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    serde_json::from_slice(&out.stdout).expect("json")
}

#[test]
fn a_new_app_with_its_own_env_scheme_concept_category_and_check() {
    let rules = rule_dir(CHECK);
    let repo = tempfile::tempdir().expect("tempdir");
    std::fs::write(
        repo.path().join("compose.yaml"),
        "services:\n  server:\n    image: ghcr.io/loginhub/server:2024.2\n    env_file: .env\n",
    )
    .expect("write");
    std::fs::write(
        repo.path().join(".env"),
        "# loginhub\nLOGINHUB_SECRET_KEY=Zx8Qw2Lm9Rt4Vb7Nc1Kd6Hf3Jp5Sg0Ty\nLOGINHUB_WEB__SESSION_AGE=900\n",
    )
    .expect("write");
    let doc = findings(rules.path(), repo.path());
    let hits: Vec<&serde_json::Value> = doc["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter(|f| f["rule"] == "short-web-session")
        .collect();
    assert_eq!(hits.len(), 1, "{doc:#}");
    let f = hits[0];
    assert_eq!(f["category"], "identity-provider", "{f:#}");
    assert_eq!(f["severity"], "warning");
    assert_eq!(
        f["message"], "loginhub ends web sessions after 15 minutes",
        "{f:#}"
    );
    let primary = &f["location"];
    assert!(
        primary["path"].as_str().expect("path").ends_with(".env"),
        "{primary:#}"
    );
    assert_eq!(primary["start"]["line"], 3, "{primary:#}");
    assert_eq!(primary["start"]["column"], 27, "{primary:#}");

    // the same through compose's own environment, and not below the threshold
    std::fs::write(
        repo.path().join("compose.yaml"),
        "services:\n  server:\n    image: ghcr.io/loginhub/server:2024.2\n    environment:\n      LOGINHUB_WEB__SESSION_AGE: '7200'\n",
    )
    .expect("write");
    std::fs::remove_file(repo.path().join(".env")).expect("rm");
    let out = sessionlint()
        .args(["check", "--no-config", "--format", "json", "--rules"])
        .arg(rules.path())
        .arg(repo.path())
        .output()
        .expect("runs");
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert!(
        !doc["findings"]
            .as_array()
            .expect("findings")
            .iter()
            .any(|f| f["rule"] == "short-web-session"),
        "{doc:#}"
    );

    // `rules` and `explain` know them
    let out = sessionlint()
        .arg("rules")
        .arg("--rules")
        .arg(rules.path())
        .output()
        .expect("runs");
    assert!(String::from_utf8_lossy(&out.stdout).contains("short-web-session"));
    sessionlint()
        .args(["explain", "loginhub", "--rules"])
        .arg(rules.path())
        .assert()
        .success()
        .stdout(predicates::str::contains("LOGINHUB_<SECTION>__<KEY>"));
}

#[test]
fn test_rules_passes_on_the_builtin_rules_and_a_good_directory() {
    let out = sessionlint().arg("test-rules").output().expect("runs");
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.starts_with("all ") && stdout.contains("examples passed"),
        "{stdout}"
    );
    let rules = rule_dir(CHECK);
    let out = sessionlint()
        .arg("test-rules")
        .arg(rules.path())
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(0), "{out:?}");
}

#[test]
fn test_rules_fails_on_an_example_that_does_not_hold() {
    // the second example now claims a finding that is not reported
    let broken = format!(
        "{CHECK}            environment: {{LOGINHUB_WEB__SESSION_AGE: '7200'}} # expect: short-web-session\n"
    );
    let rules = rule_dir(&broken);
    let out = sessionlint()
        .arg("test-rules")
        .arg(rules.path())
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let file = rules.path().join("checks/short-web-session.yaml");
    let line = broken
        .lines()
        .position(|l| l == "  - files:")
        .expect("second example")
        + 1;
    let want = format!("{}:{line}", file.display());
    assert!(stdout.contains(&want), "want {want} in\n{stdout}");
    assert!(stdout.contains("example 2"), "{stdout}");
    assert!(
        stdout.contains("1 of ") && stdout.contains("examples failed"),
        "{stdout}"
    );
}

#[test]
fn test_rules_exits_2_when_rules_do_not_load() {
    let rules = rule_dir(&CHECK.replace("category: identity-provider", "category: nope"));
    sessionlint()
        .arg("test-rules")
        .arg(rules.path())
        .assert()
        .code(2)
        .stderr(predicates::str::contains("unknown category `nope`"));
}

#[test]
fn every_error_of_a_rule_file_is_shown_with_its_line() {
    let bad = CHECK
        .replace("category: identity-provider", "category: nope")
        .replace(
            "concept: session.web-age\n  below: 1h",
            "concept: session.nope\n  below: 1x",
        )
        .replace("{duration}", "{nope}");
    let rules = rule_dir(&bad);
    let out = sessionlint()
        .args(["check", "--no-config", "--rules"])
        .arg(rules.path())
        .arg("examples/clean")
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    let stderr = String::from_utf8_lossy(&out.stderr);
    let file = rules.path().join("checks/short-web-session.yaml");
    for (line, what) in [
        (2, "unknown category `nope`"),
        (7, "unknown concept `session.nope`"),
        (8, "`1x` is neither"),
        (9, "unknown placeholder `{nope}`"),
    ] {
        assert!(stderr.contains(what), "{what} in\n{stderr}");
        let at = format!("{}:{line}:", file.display());
        assert!(stderr.contains(&at), "{at} in\n{stderr}");
    }
    // excerpts of the lines
    assert!(stderr.contains("2 | category: nope"), "{stderr}");
    assert!(stderr.contains("4 errors in rule files"), "{stderr}");
}
