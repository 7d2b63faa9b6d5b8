//! What several test files share.

use std::path::PathBuf;

/// `../shared/corpus` beside the project, or `None` after saying, visibly,
/// that `test` is skipped because it is absent (a fresh clone has no
/// corpus beside it).
#[allow(dead_code)]
pub fn shared_corpus(test: &str) -> Option<PathBuf> {
    let corpus = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus");
    if corpus.is_dir() {
        Some(corpus)
    } else {
        eprintln!("SKIPPED {test}: {} is absent", corpus.display());
        None
    }
}

/// What `sessionlint ARGS fixtures/<fixture>` prints on standard output,
/// run from the project root (so that paths in the output are relative).
#[allow(dead_code)]
pub fn run_on_fixture(args: &[&str], fixture: &str) -> String {
    let out = assert_cmd::Command::cargo_bin("sessionlint")
        .expect("binary")
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args(args)
        .arg(format!("fixtures/{fixture}"))
        .output()
        .expect("runs");
    String::from_utf8(out.stdout).expect("utf-8")
}

/// `check` on a fixture, as text without colour.
#[allow(dead_code)]
pub fn check_fixture(fixture: &str) -> String {
    run_on_fixture(&["check", "--no-config", "--color", "never"], fixture)
}

/// `sessions` on a fixture, as text.
#[allow(dead_code)]
pub fn sessions_fixture(fixture: &str) -> String {
    run_on_fixture(&["sessions", "--no-config"], fixture)
}

/// `(rule, line, message)` of each finding of a `check --format json`
/// output.
#[allow(dead_code, clippy::indexing_slicing)]
pub fn rule_line_message(json: &str) -> Vec<(String, u64, String)> {
    let v: serde_json::Value = serde_json::from_str(json).expect("json");
    v["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| {
            (
                f["rule"].as_str().unwrap_or_default().to_string(),
                f["location"]["start"]["line"].as_u64().unwrap_or(0),
                f["message"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect()
}

/// The lines of a table printed by sessionlint (`--show-services`,
/// `--show-files`), each with its runs of spaces squeezed to one.
#[allow(dead_code)]
pub fn squeezed_lines(text: &str) -> Vec<String> {
    text.lines()
        .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
        .collect()
}
