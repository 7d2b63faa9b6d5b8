//! The GitHub Action's steps, run with the environment GitHub sets, and
//! the pre-commit hook's file pattern.

#![allow(clippy::expect_used, clippy::unwrap_used, clippy::indexing_slicing)]

use std::path::{Path, PathBuf};
use std::process::Command;

use sessionlint::syntax::yaml::{Limits, parse};

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn bin_dir() -> PathBuf {
    Path::new(env!("CARGO_BIN_EXE_sessionlint"))
        .parent()
        .expect("dir")
        .to_path_buf()
}

#[test]
fn action_inputs_are_defined_and_the_run_step_uses_the_script() {
    let text = std::fs::read_to_string(root().join("action.yml")).expect("action.yml");
    let stream = parse(&text, &Limits::default());
    assert!(stream.errors.is_empty(), "{:?}", stream.errors);
    let doc = &stream.docs[0];
    let inputs: Vec<&str> = doc
        .get("inputs")
        .expect("inputs")
        .entries()
        .iter()
        .filter_map(|e| e.key.as_str())
        .collect();
    // every ${{ inputs.X }} names a declared input
    for part in text.split("inputs.").skip(1) {
        let name: String = part
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '-')
            .collect();
        assert!(inputs.contains(&name.as_str()), "undeclared input `{name}`");
    }
    let steps = doc.get("runs").and_then(|r| r.get("steps")).expect("steps");
    assert_eq!(
        doc.get("runs")
            .and_then(|r| r.get("using"))
            .and_then(|u| u.as_str()),
        Some("composite")
    );
    let run = steps
        .items()
        .iter()
        .find(|s| s.get("id").and_then(|i| i.as_str()) == Some("run"))
        .expect("a step with id run");
    assert!(
        run.get("run")
            .and_then(|r| r.as_str())
            .expect("run")
            .contains("scripts/action-run.sh")
    );
    let upload = steps
        .items()
        .iter()
        .find(|s| {
            s.get("uses")
                .and_then(|u| u.as_str())
                .is_some_and(|u| u.starts_with("github/codeql-action/upload-sarif@"))
        })
        .expect("an upload-sarif step");
    assert!(
        upload
            .get("with")
            .and_then(|w| w.get("sarif_file"))
            .is_some()
    );
}

/// Run the action's run step as GitHub would.
fn run_step(paths: &str) -> (std::process::Output, String, PathBuf, tempfile::TempDir) {
    let tmp = tempfile::tempdir().expect("tempdir");
    let output_file = tmp.path().join("github_output");
    let sarif = tmp.path().join("out.sarif");
    let path = format!(
        "{}:{}",
        bin_dir().display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let out = Command::new("bash")
        .arg(root().join("scripts/action-run.sh"))
        .env("PATH", path)
        .env("GITHUB_ACTIONS", "true")
        .env("GITHUB_WORKSPACE", root())
        .env("GITHUB_ACTION_PATH", root())
        .env("GITHUB_OUTPUT", &output_file)
        .env("RUNNER_TEMP", tmp.path())
        .env("INPUT_PATHS", paths)
        .env("INPUT_FAIL_ON", "warning")
        .env("INPUT_FORMAT", "github")
        .env("INPUT_SARIF_FILE", &sarif)
        .env("INPUT_CONFIG", "")
        .env("INPUT_BASELINE", "")
        .output()
        .expect("bash runs");
    let outputs = std::fs::read_to_string(&output_file).unwrap_or_default();
    (out, outputs, sarif, tmp)
}

#[test]
fn action_run_step_writes_sarif_annotations_and_outputs() {
    let (out, outputs, sarif, _tmp) = run_step("examples/demo");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(outputs.contains("exit-code=1"), "{outputs}");
    assert!(
        outputs.contains(&format!("sarif-file={}", sarif.display())),
        "{outputs}"
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    let annotations: Vec<&str> = stdout.lines().filter(|l| l.starts_with("::")).collect();
    assert_eq!(annotations.len(), 13, "{stdout}");
    assert!(
        annotations
            .iter()
            .any(|a| a.starts_with("::error file=examples/demo/compose.yaml,line="))
    );
    let doc: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&sarif).expect("sarif written"))
            .expect("json");
    assert_eq!(doc["version"], "2.1.0");
    assert_eq!(
        doc["runs"][0]["results"].as_array().expect("results").len(),
        13
    );
}

#[test]
fn action_run_step_on_a_clean_repo() {
    let (out, outputs, _, _tmp) = run_step("examples/clean");
    assert!(out.status.success());
    assert!(outputs.contains("exit-code=0"), "{outputs}");
    assert!(!String::from_utf8_lossy(&out.stdout).contains("::error"));
}

#[test]
fn pre_commit_files_pattern_matches_what_sessionlint_reads() {
    let text = std::fs::read_to_string(root().join(".pre-commit-hooks.yaml")).expect("hooks");
    let stream = parse(&text, &Limits::default());
    let hook = &stream.docs[0].items()[0];
    assert_eq!(hook.get("language").and_then(|l| l.as_str()), Some("rust"));
    let re = regex::Regex::new(hook.get("files").and_then(|f| f.as_str()).expect("files"))
        .expect("regex");
    for yes in [
        ".env",
        "deploy/.env.production",
        "app.env",
        "config/api.env.example",
        ".env.sample",
        "compose.yaml",
        "docker-compose.yml",
        "ops/docker-compose.prod.yaml",
        "compose.override.yml",
    ] {
        assert!(re.is_match(yes), "should match {yes}");
    }
    for no in [
        "README.md",
        "environment.ts",
        "values.yaml",
        "src/.envrc",
        "k8s/deploy.yaml",
    ] {
        assert!(!re.is_match(no), "should not match {no}");
    }
}

#[test]
fn pre_commit_runs_the_hook() {
    if Command::new("pre-commit")
        .arg("--version")
        .output()
        .is_err()
    {
        eprintln!(
            "SKIPPED pre_commit_runs_the_hook: pre-commit is not installed (pip install pre-commit)"
        );
        return;
    }
    let head = Command::new("git")
        .args(["rev-parse", "HEAD"])
        .current_dir(root())
        .output()
        .expect("git");
    if !head.status.success() {
        eprintln!(
            "SKIPPED pre_commit_runs_the_hook: {} is not a git checkout",
            root().display()
        );
        return;
    }
    let rev = String::from_utf8_lossy(&head.stdout).trim().to_string();
    let repo = tempfile::tempdir().expect("tempdir");
    let home = tempfile::tempdir().expect("tempdir");
    let git = |args: &[&str]| {
        let o = Command::new("git")
            .args(args)
            .current_dir(repo.path())
            .output()
            .expect("git");
        assert!(
            o.status.success(),
            "git {args:?}: {}",
            String::from_utf8_lossy(&o.stderr)
        );
    };
    git(&["init", "-q"]);
    std::fs::write(repo.path().join(".env"), "SESSION_SECRET=changeme\n").expect("write");
    std::fs::write(repo.path().join("notes.txt"), "SESSION_SECRET=changeme\n").expect("write");
    std::fs::write(
        repo.path().join(".pre-commit-config.yaml"),
        format!(
            "repos:\n  - repo: {}\n    rev: {rev}\n    hooks:\n      - id: sessionlint\n",
            root().display()
        ),
    )
    .expect("write");
    git(&["add", "."]);
    let out = Command::new("pre-commit")
        .args(["run", "--all-files", "--color", "never"])
        .current_dir(repo.path())
        .env("PRE_COMMIT_HOME", home.path())
        .output()
        .expect("pre-commit runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(
        out.status.code(),
        Some(1),
        "{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(stdout.contains("weak-secret"), "{stdout}");
    assert!(stdout.contains(".env:1:16"), "{stdout}");
    assert!(!stdout.contains("notes.txt"), "{stdout}");
}
