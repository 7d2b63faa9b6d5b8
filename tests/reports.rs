//! Real reports of users being logged out (`fixtures/reports/*`): each
//! fixture is the configuration a reporter posted, with `expect.toml`
//! saying what caused the logout (established in the thread) and whether
//! sessionlint reports it. For each one:
//!
//! - a cause marked `found` is reported by `check` at its file and line,
//!   and `sessions` names its rule in a verdict;
//! - a cause not marked `found` is not reported (so the table never claims
//!   more than is true: when it starts to be found, mark it);
//! - every other finding is listed under `[[also]]` with why it is true:
//!   no wrong finding on a report.
//!
//! `docs/reports.md` is generated from the fixtures: `UPDATE_REPORTS=1
//! cargo test --test reports` rewrites it.

#![allow(
    clippy::expect_used,
    clippy::unwrap_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct Expect {
    app: String,
    class: String,
    /// The cause is reported today.
    found: bool,
    /// Why it is not found (when `found = false`).
    #[serde(default)]
    reason: Option<String>,
    cause: Vec<Place>,
    #[serde(default)]
    also: Vec<Place>,
}

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct Place {
    rule: String,
    file: String,
    line: u64,
    /// Why a finding listed under `also` is true.
    #[serde(default)]
    why: Option<String>,
}

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn fixtures() -> Vec<PathBuf> {
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(root().join("fixtures/reports"))
        .expect("fixtures/reports")
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort();
    dirs
}

fn expect_of(dir: &Path) -> Expect {
    let text = std::fs::read_to_string(dir.join("expect.toml"))
        .unwrap_or_else(|e| panic!("{}: expect.toml: {e}", dir.display()));
    toml::from_str(&text).unwrap_or_else(|e| panic!("{}: expect.toml: {e}", dir.display()))
}

fn run(args: &[&str], dir: &Path) -> serde_json::Value {
    let out = assert_cmd::Command::cargo_bin("sessionlint")
        .expect("binary")
        .current_dir(dir)
        .args(args)
        .arg(".")
        .output()
        .expect("runs");
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "{}: {args:?}: not JSON ({e}): {}",
            dir.display(),
            String::from_utf8_lossy(&out.stderr)
        )
    })
}

/// `(rule, file, line)` of every finding of `check` on the fixture.
fn findings(dir: &Path) -> BTreeSet<(String, String, u64)> {
    let v = run(&["check", "--no-config", "--format", "json"], dir);
    v["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| {
            let path = f["location"]["path"].as_str().unwrap_or_default();
            (
                f["rule"].as_str().unwrap_or_default().to_string(),
                path.trim_start_matches("./").to_string(),
                f["location"]["start"]["line"].as_u64().unwrap_or(0),
            )
        })
        .collect()
}

/// The verdict texts of `sessions` on the fixture.
fn verdicts(dir: &Path) -> Vec<String> {
    let v = run(&["sessions", "--no-config", "--format", "json"], dir);
    let services = v
        .get("services")
        .and_then(|s| s.as_array())
        .or_else(|| v.as_array())
        .cloned()
        .unwrap_or_default();
    services
        .iter()
        .flat_map(|s| s["verdicts"].as_array().cloned().unwrap_or_default())
        .filter_map(|v| v["text"].as_str().map(str::to_string))
        .collect()
}

fn key(p: &Place) -> (String, String, u64) {
    (p.rule.clone(), p.file.clone(), p.line)
}

#[test]
fn every_report_is_diagnosed_as_its_fixture_says() {
    let mut problems = Vec::new();
    for dir in fixtures() {
        let name = dir.file_name().unwrap().to_string_lossy().to_string();
        let e = expect_of(&dir);
        let got = findings(&dir);
        let causes: BTreeSet<_> = e.cause.iter().map(key).collect();
        let also: BTreeSet<_> = e.also.iter().map(key).collect();
        for c in &causes {
            match (e.found, got.contains(c)) {
                (true, false) => problems.push(format!("{name}: cause {c:?} not reported")),
                (false, true) => problems.push(format!(
                    "{name}: cause {c:?} is reported now: set `found = true` in expect.toml"
                )),
                _ => {}
            }
        }
        if !e.found && e.reason.as_deref().is_none_or(str::is_empty) {
            problems.push(format!(
                "{name}: not found, and expect.toml gives no reason"
            ));
        }
        for a in &e.also {
            if a.why.as_deref().is_none_or(str::is_empty) {
                problems.push(format!(
                    "{name}: `also` {:?} says not why it is true",
                    key(a)
                ));
            }
        }
        for f in &got {
            if !causes.contains(f) && !also.contains(f) {
                problems.push(format!(
                    "{name}: finding {f:?} is not judged in expect.toml"
                ));
            }
        }
        for a in &also {
            if !got.contains(a) {
                problems.push(format!("{name}: `also` {a:?} is no longer reported"));
            }
        }
        if e.found {
            let v = verdicts(&dir);
            for c in &e.cause {
                let tag = format!("[{}]", c.rule);
                if !v.iter().any(|t| t.contains(&tag)) {
                    problems.push(format!("{name}: no `sessions` verdict names {tag}"));
                }
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// A README line `- Field: text`.
fn field(readme: &str, name: &str) -> String {
    let mut lines = readme.lines();
    let prefix = format!("- {name}: ");
    let Some(first) = lines.by_ref().find_map(|l| l.strip_prefix(&prefix)) else {
        return String::new();
    };
    // continuation lines are indented
    let mut text = first.trim().to_string();
    for l in lines.take_while(|l| l.starts_with("  ") && !l.trim_start().starts_with("- ")) {
        text.push(' ');
        text.push_str(l.trim());
    }
    text.replace('|', "\\|")
}

fn table() -> String {
    let mut rows = String::new();
    let (mut n, mut found) = (0, 0);
    let mut apps = BTreeSet::new();
    for dir in fixtures() {
        let name = dir.file_name().unwrap().to_string_lossy().to_string();
        let e = expect_of(&dir);
        let readme = std::fs::read_to_string(dir.join("README.md")).unwrap_or_default();
        let url = field(&readme, "Report");
        let url = url.split_whitespace().next().unwrap_or("");
        n += 1;
        apps.insert(e.app.clone());
        let status = if e.found {
            found += 1;
            let c = &e.cause[0];
            format!("found: `{}` at {}:{}", c.rule, c.file, c.line)
        } else {
            format!(
                "not found: {}",
                e.reason.as_deref().unwrap_or("").replace('|', "\\|")
            )
        };
        let _ = writeln!(
            rows,
            "| [{name}](../fixtures/reports/{name}/) | {} | {} | {} | {} | <{url}> | {status} |",
            e.app,
            field(&readme, "Symptom"),
            e.class,
            field(&readme, "Cause"),
        );
    }
    let pct = if n == 0 { 0 } else { found * 100 / n };
    format!(
        "# Real reports of users being logged out\n\n\
         Each row is a public report (an issue or a forum thread) where someone was logged out, \
         looped at login or lost sessions, posted their configuration, and the thread established \
         the cause. The configuration as posted is a fixture under `fixtures/reports/`, whose \
         README cites the thread and says who established the cause; `tests/reports.rs` checks \
         that `sessionlint check` reports the cause at the line to change and that `sessions` \
         names it in its verdict, and that no other finding on the fixture is wrong.\n\n\
         This page is generated by `UPDATE_REPORTS=1 cargo test --test reports`.\n\n\
         **{found} of {n} found ({pct}%), across {} apps.**\n\n\
         | fixture | app | symptom | class | cause | report | sessionlint |\n\
         |---|---|---|---|---|---|---|\n{rows}",
        apps.len()
    )
}

#[test]
fn the_reports_page_is_current() {
    let path = root().join("docs/reports.md");
    let want = table();
    if std::env::var_os("UPDATE_REPORTS").is_some() {
        std::fs::write(&path, &want).expect("write docs/reports.md");
        return;
    }
    let have = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        have == want,
        "docs/reports.md is stale: run `UPDATE_REPORTS=1 cargo test --test reports`"
    );
}

/// A published guide of wrong session advice, its code blocks restored as
/// Markdown: every wrong piece of advice is reported at its line.
#[test]
fn a_guide_of_wrong_advice_is_answered_line_by_line() {
    let dir = root().join("fixtures/guides/n8n-logged-out");
    let got = findings(&dir);
    let want: BTreeSet<(String, String, u64)> = [
        ("ineffective-setting", 16),
        ("ineffective-setting", 48),
        ("ineffective-setting", 71),
        ("ineffective-setting", 84),
        ("unpinned-encryption-key", 61),
        ("secure-cookie-over-http", 64),
        ("ineffective-setting", 120),
        ("ineffective-setting", 121),
        ("ineffective-setting", 122),
        ("weak-secret", 122),
        ("ineffective-setting", 123),
        ("proxy-cookie-path", 127),
    ]
    .into_iter()
    .map(|(r, l)| (r.to_string(), "guide.md".to_string(), l))
    .collect();
    assert_eq!(got, want);
}

/// A code block of a Markdown document is linted at its lines, and an
/// inline ignore inside the block applies to it.
#[test]
fn markdown_blocks_are_linted_in_place_and_honour_inline_ignores() {
    let dir = tempfile::tempdir().expect("tempdir");
    let doc = "# Setup\n\n- Put this in `.env`:\n\n  ```env\n  SESSION_SECRET=changeme\n  ```\n";
    std::fs::write(dir.path().join("README.md"), doc).expect("write");
    let got = findings(dir.path());
    assert_eq!(
        got,
        [("weak-secret".to_string(), "README.md".to_string(), 6)]
            .into_iter()
            .collect()
    );
    let ignored = "```env\n# sessionlint: ignore[weak-secret] an example to copy\nSESSION_SECRET=changeme\n```\n";
    std::fs::write(dir.path().join("README.md"), ignored).expect("write");
    assert!(findings(dir.path()).is_empty());
}
