//! The command line, end to end, on the bundled examples and on fixtures.

#![allow(
    clippy::expect_used,
    clippy::unwrap_used,
    clippy::indexing_slicing,
    clippy::panic
)]

mod common;

use assert_cmd::Command;
use predicates::prelude::*;
use std::path::Path;

fn sessionlint() -> Command {
    let mut c = Command::cargo_bin("sessionlint").expect("binary");
    c.current_dir(env!("CARGO_MANIFEST_DIR"))
        .env_remove("NO_COLOR");
    c
}

fn json(args: &[&str]) -> serde_json::Value {
    let out = sessionlint()
        .args(["check", "--format", "json"])
        .args(args)
        .output()
        .expect("runs");
    serde_json::from_slice(&out.stdout).expect("valid JSON")
}

fn rules_of(doc: &serde_json::Value) -> Vec<String> {
    doc["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| f["rule"].as_str().unwrap_or("").to_string())
        .collect()
}

#[test]
fn demo_reports_all_five_categories_and_exits_1() {
    let out = sessionlint()
        .args(["check", "examples/demo"])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(1));
    let doc = json(&["examples/demo"]);
    let cats: std::collections::BTreeSet<&str> = doc["findings"]
        .as_array()
        .expect("array")
        .iter()
        .filter_map(|f| f["category"].as_str())
        .collect();
    for c in [
        "session-lifetime",
        "session-loss",
        "cookie-flags",
        "weak-secret",
        "ineffective-setting",
    ] {
        assert!(cats.contains(c), "no {c} finding in {cats:?}");
    }
    // excerpts from both .env and compose files
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("examples/demo/.env:"), "{text}");
    assert!(text.contains("examples/demo/compose.yaml:"), "{text}");
}

#[test]
fn clean_repo_prints_one_line_and_exits_0() {
    sessionlint()
        .args(["check", "examples/clean"])
        .assert()
        .success()
        .stdout(predicate::str::is_match("^No problems found in 2 files\\.\n$").expect("regex"));
}

#[test]
fn secrets_never_appear_unless_asked() {
    let secrets = [
        "changeme",
        "keyboard cat",
        "3f9c2b7e41d84a6f9b0c5e2d7a1f8c64",
        "your-secret-here",
    ];
    for format in ["text", "json"] {
        let out = sessionlint()
            .args(["check", "--format", format, "examples/demo"])
            .output()
            .expect("runs");
        let s = String::from_utf8_lossy(&out.stdout);
        for secret in secrets {
            assert!(
                !s.contains(secret),
                "{format} output leaks `{secret}`:\n{s}"
            );
        }
    }
    let out = sessionlint()
        .args(["check", "--show-secrets", "examples/demo"])
        .output()
        .expect("runs");
    let s = String::from_utf8_lossy(&out.stdout);
    assert!(s.contains("changeme"), "{s}");
}

#[test]
fn fallback_and_env_supplied_secrets_point_at_the_right_line() {
    let doc = json(&["examples/demo"]);
    let findings = doc["findings"].as_array().expect("array");
    let fallback = findings
        .iter()
        .find(|f| f["rule"] == "weak-secret-fallback")
        .expect("fallback finding");
    assert_eq!(fallback["location"]["path"], "examples/demo/compose.yaml");
    assert_eq!(fallback["location"]["start"]["line"], 47);
    let from_env = findings
        .iter()
        .find(|f| f["rule"] == "weak-secret" && f["location"]["path"] == "examples/demo/.env")
        .expect("weak secret in .env");
    assert_eq!(from_env["location"]["start"]["line"], 2);
    let related = from_env["related"].as_array().expect("related");
    assert!(
        related
            .iter()
            .any(|r| r["path"] == "examples/demo/compose.yaml"),
        "{from_env}"
    );
}

#[test]
fn fail_on_controls_the_exit_code() {
    sessionlint()
        .args(["check", "--fail-on", "never", "examples/demo"])
        .assert()
        .code(0);
    sessionlint()
        .args(["check", "--fail-on", "error", "examples/demo"])
        .assert()
        .code(1);
}

#[test]
fn usage_errors_exit_2() {
    sessionlint()
        .args(["check", "no/such/dir"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("no such file"));
    sessionlint()
        .args(["check", "--format", "xml"])
        .assert()
        .code(2);
    sessionlint()
        .args(["explain", "no-such-rule"])
        .assert()
        .code(2);
}

#[test]
fn a_bad_rule_file_exits_2_naming_file_and_line() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(
        dir.path().join("my-check.yaml"),
        "id: my-check\ncategory: weak-secret\nseverity: loud\n",
    )
    .expect("write");
    sessionlint()
        .args(["check", "--rules"])
        .arg(dir.path())
        .arg("examples/clean")
        .assert()
        .code(2)
        .stderr(predicate::str::contains("my-check.yaml:3"));
}

#[test]
fn extra_rules_are_loaded() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(
        dir.path().join("acme.yaml"),
        "app: acme\nname: Acme\ndetect: {images: [acme/app]}\nineffective:\n  - env: ACME_TIMEOUT\n    reason: Acme reads ACME_SESSION_HOURS\n",
    )
    .expect("write");
    let repo = tempfile::tempdir().expect("tempdir");
    std::fs::write(
        repo.path().join("compose.yaml"),
        "services:\n  a:\n    image: acme/app\n    environment: {ACME_TIMEOUT: '5'}\n",
    )
    .expect("write");
    let out = sessionlint()
        .args(["check", "--format", "json", "--rules"])
        .arg(dir.path())
        .arg(repo.path())
        .output()
        .expect("runs");
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(rules_of(&doc), ["ineffective-setting"]);
}

#[test]
fn rules_lists_every_check() {
    let rules = sessionlint::rules::RuleSet::builtin().expect("rules");
    let out = sessionlint().arg("rules").output().expect("runs");
    let s = String::from_utf8_lossy(&out.stdout);
    for c in &rules.checks {
        assert!(s.contains(c.id()), "{} missing", c.id());
    }
}

#[test]
fn rules_lists_every_app_profile_in_text_and_json() {
    let rules = sessionlint::rules::RuleSet::builtin().expect("rules");
    let out = sessionlint().arg("rules").output().expect("runs");
    let s = String::from_utf8_lossy(&out.stdout);
    let apps: Vec<&str> = rules
        .apps
        .iter()
        .filter(|a| !a.heuristic)
        .map(|a| a.app.as_str())
        .collect();
    assert!(apps.len() >= 20, "{apps:?}");
    for a in &apps {
        assert!(
            s.lines().any(|l| l.split_whitespace().next() == Some(a)),
            "app `{a}` missing:\n{s}"
        );
    }
    let out = sessionlint()
        .args(["rules", "--format", "json"])
        .output()
        .expect("runs");
    assert!(out.status.success());
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    let ids: Vec<&str> = doc["apps"]
        .as_array()
        .expect("apps")
        .iter()
        .filter_map(|a| a["id"].as_str())
        .collect();
    for a in &apps {
        assert!(ids.contains(a), "{a} not in {ids:?}");
    }
    assert_eq!(
        doc["checks"].as_array().map(Vec::len),
        Some(rules.checks.len())
    );
    // a cited profile lists its sources as links
    let authelia = doc["apps"]
        .as_array()
        .and_then(|a| a.iter().find(|a| a["id"] == "authelia"))
        .expect("authelia");
    assert!(
        authelia["sources"][0]
            .as_str()
            .is_some_and(|u| u.starts_with("https://github.com/authelia/authelia/blob/")),
        "{authelia:#}"
    );
}

#[test]
fn help_explains_the_commands() {
    sessionlint()
        .arg("--help")
        .assert()
        .success()
        .stdout(predicate::str::contains("check").and(predicate::str::contains("Exit codes")));
}

#[test]
fn examples_exist() {
    assert!(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("examples/demo/compose.yaml")
            .exists()
    );
}

#[test]
fn extra_secret_list_flags_listed_values_without_printing_them() {
    let repo = tempfile::tempdir().expect("tempdir");
    let secret = "Zq8vN3xR7tY2wK9mP4sL6dF1hJ5gB0cV-leaked";
    std::fs::write(
        repo.path().join(".env"),
        format!("SESSION_SECRET={secret}\n"),
    )
    .expect("write");
    let list = repo.path().join("leaked.txt");
    std::fs::write(
        &list,
        format!("# leaked keys\n\n{}\n", secret.to_uppercase()),
    )
    .expect("write");
    let dir = repo.path().to_str().expect("utf-8");
    // without the list the value is strong enough
    sessionlint()
        .args(["check", "--no-config", dir])
        .assert()
        .success();
    let out = sessionlint()
        .args(["check", "--no-config", "--extra-secret-list"])
        .arg(&list)
        .arg(dir)
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("on your secret list"), "{text}");
    assert!(!text.contains(secret), "{text}");
    // a missing list is a usage error
    sessionlint()
        .args([
            "check",
            "--no-config",
            "--extra-secret-list",
            "/nonexistent/list",
            dir,
        ])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("cannot read secret list"));
}

/// `--show-files` lists what was read and as what, and exits 0 even where
/// findings exist.
#[test]
fn show_files_lists_each_file_with_its_kind() {
    let out = sessionlint()
        .args([
            "check",
            "--no-config",
            "--show-files",
            "fixtures/nginx-shop",
            "Cargo.toml",
        ])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8(out.stdout).expect("utf-8");
    let lines: Vec<&str> = text.lines().collect();
    assert!(
        lines.contains(&"nginx    fixtures/nginx-shop/nginx/snippets/tls.conf"),
        "{text}"
    );
    assert!(
        lines.contains(&"compose  fixtures/nginx-shop/compose.yaml"),
        "{text}"
    );
    assert!(
        lines.contains(&"dotenv   fixtures/nginx-shop/.env"),
        "{text}"
    );
    assert_eq!(lines.last(), Some(&"5 files read"), "{text}");
    // a file named but not of a kind it reads is said to be skipped
    let err = String::from_utf8(out.stderr).expect("utf-8");
    assert!(
        err.contains("skipped Cargo.toml: not a file of a kind sessionlint reads"),
        "{err}"
    );
}

/// `--show-services` names each service's app and what gave it away, and
/// says how many were recognised.
#[test]
fn show_services_lists_each_service_with_its_app() {
    let out = sessionlint()
        .args([
            "check",
            "--no-config",
            "--show-services",
            "fixtures/nginx-shop",
            "fixtures/configmap-mounts",
        ])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8(out.stdout).expect("utf-8");
    let squeezed = common::squeezed_lines(&text);
    for want in [
        "laravel compose service app fixtures/nginx-shop/compose.yaml:3 (by variable SESSION_DRIVER)",
        "nginx compose service proxy fixtures/nginx-shop/compose.yaml:8 (by image nginx:1.27-alpine)",
        "spring Kubernetes container billing fixtures/configmap-mounts/spring.yaml:6 (by config file /app/config/application.yml)",
        "php Kubernetes container shop/php fixtures/configmap-mounts/php.yaml:7 (by image php:8.3-fpm)",
    ] {
        assert!(squeezed.iter().any(|l| l == want), "{want}\n{text}");
    }
    assert_eq!(
        squeezed.last().map(String::as_str),
        Some("5 of 5 services recognised"),
        "{text}"
    );
}

/// `--show-services --format json`: the same list, for scripts.
#[test]
fn show_services_as_json() {
    let out = sessionlint()
        .args([
            "check",
            "--no-config",
            "--show-services",
            "--format",
            "json",
            "fixtures/nginx-shop",
        ])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(0));
    let rows: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    let rows = rows.as_array().expect("a list");
    let app = rows
        .iter()
        .find(|r| r["name"] == "app")
        .expect("service app");
    assert_eq!(app["app"], "laravel");
    assert_eq!(app["kind"], "compose service");
    assert_eq!(app["location"], "fixtures/nginx-shop/compose.yaml:3");
    assert_eq!(app["recognised_by"], "variable SESSION_DRIVER");
    let proxy = rows
        .iter()
        .find(|r| r["name"] == "proxy")
        .expect("service proxy");
    assert_eq!(proxy["app"], "nginx");
    assert!(
        proxy["recognised_by"]
            .as_str()
            .is_some_and(|b| b.starts_with("image nginx")),
        "{proxy}"
    );
}
