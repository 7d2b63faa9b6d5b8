//! Bad input gives a `parse-error` finding with its location, and the
//! other files are still linted.

#![allow(
    clippy::expect_used,
    clippy::unwrap_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use assert_cmd::Command;
use std::fs;

fn run(dir: &std::path::Path) -> serde_json::Value {
    let out = Command::cargo_bin("sessionlint")
        .expect("binary")
        .args(["check", "--format", "json"])
        .arg(dir)
        .output()
        .expect("runs");
    assert!(
        out.status.code() == Some(1) || out.status.code() == Some(0),
        "exit {:?}: {}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("json")
}

fn parse_errors(doc: &serde_json::Value, file: &str) -> Vec<(u64, String)> {
    doc["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter(|f| f["rule"] == "parse-error")
        .filter(|f| {
            f["location"]["path"]
                .as_str()
                .is_some_and(|p| p.ends_with(file))
        })
        .map(|f| {
            (
                f["location"]["start"]["line"].as_u64().unwrap_or(0),
                f["message"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect()
}

fn has_rule_in(doc: &serde_json::Value, rule: &str, file: &str) -> bool {
    doc["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .any(|f| {
            f["rule"] == rule
                && f["location"]["path"]
                    .as_str()
                    .is_some_and(|p| p.ends_with(file))
        })
}

/// A directory holding one bad file and one good compose project whose
/// weak secret must still be found.
fn repo_with(name: &str, content: &[u8]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    fs::create_dir(dir.path().join("good")).expect("mkdir");
    fs::write(
        dir.path().join("good/compose.yaml"),
        "services:\n  api:\n    image: example/api\n    environment:\n      JWT_SECRET: changeme\n",
    )
    .expect("write");
    fs::create_dir(dir.path().join("bad")).expect("mkdir");
    fs::write(dir.path().join("bad").join(name), content).expect("write");
    dir
}

#[test]
fn broken_yaml() {
    let dir = repo_with(
        "docker-compose.yml",
        b"services:\n  web:\n    image: nginx\n    environment: [a, b\n",
    );
    let doc = run(dir.path());
    let errs = parse_errors(&doc, "docker-compose.yml");
    assert_eq!(errs.len(), 1, "{errs:?}");
    assert!(errs[0].0 >= 4, "{errs:?}");
    assert!(has_rule_in(&doc, "weak-secret", "good/compose.yaml"));
}

#[test]
fn malformed_env_line_keeps_the_rest() {
    let dir = repo_with(".env", b"A=1\nTHIS IS WRONG\nSESSION_SECRET=changeme\n");
    let doc = run(dir.path());
    let errs = parse_errors(&doc, ".env");
    assert_eq!(
        errs.iter().map(|e| e.0).collect::<Vec<_>>(),
        [2],
        "{errs:?}"
    );
    assert!(has_rule_in(&doc, "weak-secret", "bad/.env"));
    assert!(has_rule_in(&doc, "weak-secret", "good/compose.yaml"));
}

#[test]
fn alias_bomb() {
    let mut bomb = String::from("x-a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
    let names = ["a", "b", "c", "d", "e", "f", "g", "h", "i", "j"];
    for w in names.windows(2) {
        let (prev, next) = (w[0], w[1]);
        bomb.push_str(&format!(
            "x-{next}: &{next} [*{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}]\n"
        ));
    }
    bomb.push_str("services:\n  web:\n    image: nginx\n    command: *j\n");
    let dir = repo_with("compose.yaml", bomb.as_bytes());
    let doc = run(dir.path());
    let errs = parse_errors(&doc, "bad/compose.yaml");
    assert!(!errs.is_empty(), "no finding for the alias bomb");
    assert!(errs.iter().any(|e| e.1.contains("alias")), "{errs:?}");
    assert!(has_rule_in(&doc, "weak-secret", "good/compose.yaml"));
}

#[test]
fn binary_file_named_env() {
    let dir = repo_with(".env", b"\x7fELF\x02\x01\x01\0\0\0\0binary");
    let doc = run(dir.path());
    let errs = parse_errors(&doc, "bad/.env");
    assert_eq!(errs.len(), 1, "{errs:?}");
    assert!(errs[0].1.contains("binary"), "{errs:?}");
    assert!(has_rule_in(&doc, "weak-secret", "good/compose.yaml"));
}

#[test]
fn invalid_utf8() {
    let dir = repo_with(".env", b"A=1\nB=caf\xe9\nSESSION_SECRET=changeme\n");
    let doc = run(dir.path());
    let errs = parse_errors(&doc, "bad/.env");
    assert_eq!(errs.len(), 1, "{errs:?}");
    assert_eq!(errs[0].0, 2, "{errs:?}");
    assert!(errs[0].1.contains("UTF-8"), "{errs:?}");
    assert!(has_rule_in(&doc, "weak-secret", "bad/.env"));
}

#[test]
fn deep_nesting() {
    let mut text = String::from("services:\n  web:\n    image: nginx\n    labels: ");
    text.push_str(&"[".repeat(100_000));
    text.push('\n');
    let dir = repo_with("compose.yaml", text.as_bytes());
    let doc = run(dir.path());
    assert!(!parse_errors(&doc, "bad/compose.yaml").is_empty());
    assert!(has_rule_in(&doc, "weak-secret", "good/compose.yaml"));
}

/// Found by fuzzing (ini target): a lifetime too large for the
/// millisecond arithmetic overflowed when its message was written.
#[test]
fn huge_duration_value() {
    let dir = repo_with(
        "php.ini",
        b"[Session]\nsession.gc_maxlifetime = 300144444464444444444444444444444444444400\nsession.cookie_lifetime = 99999999999999999999999999999999999999999999\n",
    );
    fs::create_dir(dir.path().join("bad/php")).expect("mkdir");
    fs::rename(
        dir.path().join("bad/php.ini"),
        dir.path().join("bad/php/php.ini"),
    )
    .expect("mv");
    let doc = run(dir.path());
    assert!(has_rule_in(&doc, "weak-secret", "good/compose.yaml"));
}
