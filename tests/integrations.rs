//! Where users run it: SARIF (validated against the official schema),
//! GitHub annotations, suppressions, baseline and configuration.

#![allow(clippy::expect_used, clippy::unwrap_used, clippy::indexing_slicing)]

mod common;

use assert_cmd::Command;
use std::path::Path;

fn sessionlint(dir: &Path) -> Command {
    let mut c = Command::cargo_bin("sessionlint").expect("binary");
    c.current_dir(dir);
    c
}

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn stdout(c: &mut Command) -> String {
    String::from_utf8(c.output().expect("runs").stdout).expect("utf-8")
}

fn validator() -> jsonschema::Validator {
    let schema: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(root().join("schemas/sarif-schema-2.1.0.json")).expect("schema"),
    )
    .expect("json");
    jsonschema::validator_for(&schema).expect("valid schema")
}

fn assert_valid_sarif(text: &str) -> serde_json::Value {
    let doc: serde_json::Value = serde_json::from_str(text).expect("SARIF is JSON");
    let v = validator();
    let errors: Vec<String> = v
        .iter_errors(&doc)
        .map(|e| format!("{e} at {}", e.instance_path))
        .collect();
    assert!(errors.is_empty(), "invalid SARIF:\n{}", errors.join("\n"));
    doc
}

/// A copy of the demo repository in a temporary directory.
fn demo_copy() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    for name in ["compose.yaml", ".env", ".env.example"] {
        std::fs::copy(
            root().join("examples/demo").join(name),
            dir.path().join(name),
        )
        .expect("copy");
    }
    dir
}

fn sarif(dir: &Path, extra: &[&str]) -> serde_json::Value {
    let text = stdout(
        sessionlint(dir)
            .args(["check", "--format", "sarif"])
            .args(extra)
            .arg("."),
    );
    assert_valid_sarif(&text)
}

#[test]
fn sarif_snapshot_is_valid() {
    let text = stdout(sessionlint(root()).args(["check", "--format", "sarif", "examples/demo"]));
    let doc = assert_valid_sarif(&text);
    let run = &doc["runs"][0];
    assert_eq!(run["columnKind"], "unicodeCodePoints");
    assert_eq!(run["invocations"][0]["exitCode"], 1);
    let rules = run["tool"]["driver"]["rules"].as_array().expect("rules");
    for r in rules {
        for key in [
            "shortDescription",
            "fullDescription",
            "help",
            "helpUri",
            "defaultConfiguration",
        ] {
            assert!(!r[key].is_null(), "rule {} lacks {key}", r["id"]);
        }
        assert!(r["properties"]["category"].is_string());
    }
    // ruleIndex points at the rule with that id
    for res in run["results"].as_array().expect("results") {
        let i = res["ruleIndex"].as_u64().expect("index") as usize;
        assert_eq!(rules[i]["id"], res["ruleId"]);
        assert!(res["partialFingerprints"]["sessionlint/v1"].is_string());
    }
    // a stable document: the root URI depends on the machine
    let text = text.replace(&format!("file://{}/", root().display()), "file://[root]/");
    let text = text.replace(env!("CARGO_PKG_VERSION"), "[version]");
    insta::assert_snapshot!("demo_sarif", text);
}

#[test]
fn sarif_over_the_corpus_is_valid() {
    let Some(corpus) = common::shared_corpus("sarif_over_the_corpus_is_valid") else {
        return;
    };
    let text = stdout(
        sessionlint(root())
            .args(["check", "--format", "sarif"])
            .arg(&corpus),
    );
    let doc = assert_valid_sarif(&text);
    assert!(
        !doc["runs"][0]["results"]
            .as_array()
            .expect("results")
            .is_empty()
    );
}

#[test]
fn fingerprints_survive_a_blank_line_above() {
    let dir = demo_copy();
    let fps = |doc: &serde_json::Value| -> Vec<String> {
        let mut v: Vec<String> = doc["runs"][0]["results"]
            .as_array()
            .expect("results")
            .iter()
            .map(|r| {
                r["partialFingerprints"]["sessionlint/v1"]
                    .as_str()
                    .unwrap()
                    .to_string()
            })
            .collect();
        v.sort();
        v
    };
    let before = sarif(dir.path(), &[]);
    for name in ["compose.yaml", ".env"] {
        let p = dir.path().join(name);
        let text = std::fs::read_to_string(&p).expect("read");
        std::fs::write(&p, format!("\n# moved\n{text}")).expect("write");
    }
    let after = sarif(dir.path(), &[]);
    assert_eq!(fps(&before), fps(&after));
    // and the lines did move
    let line = |d: &serde_json::Value| {
        d["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"]["startLine"]
            .as_u64()
    };
    assert_ne!(line(&before), line(&after));
}

#[test]
fn no_secret_in_any_format() {
    let secrets = [
        "changeme",
        "keyboard cat",
        "3f9c2b7e41d84a6f9b0c5e2d7a1f8c64",
        "your-secret-here",
        "change-me",
    ];
    for format in ["text", "json", "sarif", "github"] {
        let mut out = stdout(sessionlint(root()).args([
            "check",
            "--format",
            format,
            "examples/demo",
            "fixtures",
        ]));
        assert!(!out.is_empty());
        if format == "sarif" {
            // the rule documentation quotes placeholder values in its
            // examples; what must not leak is the values of the files
            let mut doc: serde_json::Value = serde_json::from_str(&out).expect("json");
            doc["runs"][0]["tool"] = serde_json::Value::Null;
            out = doc.to_string();
        }
        for s in secrets {
            assert!(!out.contains(s), "{format} output leaks `{s}`");
        }
    }
}

#[test]
fn github_annotations() {
    let out = stdout(sessionlint(root()).args(["check", "--format", "github", "examples/demo"]));
    let first = out.lines().next().expect("a line");
    assert!(
        first.starts_with("::error file=examples/demo/.env,line=2,col=19,endLine=2,endColumn=27,title=sessionlint weak-secret (weak-secret)::"),
        "{first}"
    );
    assert_eq!(out.lines().count(), 13);
    assert!(out.lines().all(|l| l.starts_with("::")), "{out}");
}

#[test]
fn inline_ignores_suppress_and_stale_ones_are_reported() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(
        dir.path().join(".env"),
        "# sessionlint: ignore[weak-secret] local development only\n\
         SESSION_SECRET=changeme\n\
         JWT_SECRET=changeme   # sessionlint: ignore[weak-secret]\n\
         API_TOKEN=changeme\n\
         APP_NAME=shop # sessionlint: ignore[weak-secret]\n\
         DEBUG=1 # sessionlint: ignore[no-such-rule]\n",
    )
    .expect("write");
    let doc = sarif(dir.path(), &[]);
    let results = doc["runs"][0]["results"].as_array().expect("results");
    let summary: Vec<(String, u64, bool)> = results
        .iter()
        .map(|r| {
            (
                r["ruleId"].as_str().unwrap().to_string(),
                r["locations"][0]["physicalLocation"]["region"]["startLine"]
                    .as_u64()
                    .unwrap(),
                r["suppressions"].is_array(),
            )
        })
        .collect();
    assert_eq!(
        summary,
        [
            ("weak-secret".to_string(), 2, true),
            ("weak-secret".to_string(), 3, true),
            ("weak-secret".to_string(), 4, false),
            ("unused-ignore".to_string(), 5, false),
            ("unused-ignore".to_string(), 6, false),
        ]
    );
    assert_eq!(results[0]["suppressions"][0]["kind"], "inSource");
    assert_eq!(
        results[0]["suppressions"][0]["justification"],
        "local development only"
    );
    assert!(
        results[4]["message"]["text"]
            .as_str()
            .unwrap()
            .contains("no rule `no-such-rule`")
    );
    // text output hides suppressed findings and counts them
    let text = stdout(sessionlint(dir.path()).args(["check", "."]));
    assert!(
        text.ends_with("3 findings (1 error, 2 warnings, 0 notes) in 1 file; 2 suppressed\n"),
        "{text}"
    );
    // auditors see everything
    let doc = sarif(dir.path(), &["--no-inline-ignores"]);
    let results = doc["runs"][0]["results"].as_array().expect("results");
    assert_eq!(results.len(), 3);
    assert!(results.iter().all(|r| r["suppressions"].is_null()));
}

#[test]
fn ignore_file_covers_the_whole_file() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(
        dir.path().join(".env"),
        "# sessionlint: ignore-file[weak-secret] throwaway test values\nA_PASSWORD=changeme\n\nB_PASSWORD=admin\n",
    )
    .expect("write");
    sessionlint(dir.path())
        .args(["check", "."])
        .assert()
        .success();
}

#[test]
fn baseline_reports_only_new_findings_even_after_lines_move() {
    let dir = demo_copy();
    let base = dir.path().join("baseline.json");
    sessionlint(dir.path())
        .args(["check", "--write-baseline"])
        .arg(&base)
        .arg(".")
        .assert()
        .success();
    sessionlint(dir.path())
        .args(["check", "--baseline"])
        .arg(&base)
        .arg(".")
        .assert()
        .success();
    // move everything down and add one new problem
    let env = dir.path().join(".env");
    let text = std::fs::read_to_string(&env).expect("read");
    std::fs::write(&env, format!("\n\n{text}REDIS_PASSWORD=password\n")).expect("write");
    let doc = sarif(dir.path(), &["--baseline", base.to_str().unwrap()]);
    let results = doc["runs"][0]["results"].as_array().expect("results");
    let active: Vec<&serde_json::Value> = results
        .iter()
        .filter(|r| r["suppressions"].is_null())
        .collect();
    assert_eq!(active.len(), 1, "{active:?}");
    assert_eq!(active[0]["ruleId"], "weak-secret");
    assert!(
        results
            .iter()
            .any(|r| r["suppressions"][0]["kind"] == "external")
    );
    // a broken baseline is an error
    std::fs::write(&base, "{not json").expect("write");
    sessionlint(dir.path())
        .args(["check", "--baseline"])
        .arg(&base)
        .arg(".")
        .assert()
        .code(2);
}

#[test]
fn configuration_changes_severities_thresholds_files_and_apps() {
    let dir = demo_copy();
    std::fs::write(
        dir.path().join(".sessionlint.toml"),
        r#"
exclude = [".env.example"]

[rules]
weak-secret = "note"
redis-without-persistence = "off"

[categories]
ineffective-setting = "error"

[thresholds]
min-session-lifetime = "1s"
"#,
    )
    .expect("write");
    let text = stdout(sessionlint(dir.path()).args(["check", "--format", "json", "."]));
    let doc: serde_json::Value = serde_json::from_str(&text).expect("json");
    let findings = doc["findings"].as_array().expect("findings");
    let sev = |rule: &str| -> Vec<String> {
        findings
            .iter()
            .filter(|f| f["rule"] == rule)
            .map(|f| f["severity"].as_str().unwrap().to_string())
            .collect()
    };
    assert!(sev("weak-secret").iter().all(|s| s == "note"));
    assert!(sev("redis-without-persistence").is_empty());
    assert_eq!(sev("ineffective-setting"), ["error"]);
    // 3.6 s is above a 1 s threshold
    assert!(sev("short-session-lifetime").is_empty());
    assert!(
        findings
            .iter()
            .all(|f| f["location"]["path"] != ".env.example")
    );
}

#[test]
fn overrides_and_app_hints() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::create_dir(dir.path().join("staging")).expect("mkdir");
    let compose = "services:\n  automation:\n    image: registry.example/automation:3\n    environment:\n      N8N_SESSION_TIMEOUT: '60'\n";
    std::fs::write(dir.path().join("compose.yaml"), compose).expect("write");
    std::fs::write(dir.path().join("staging/compose.yaml"), compose).expect("write");
    std::fs::write(
        dir.path().join(".sessionlint.toml"),
        "[apps]\nautomation = \"n8n\"\n\n[[overrides]]\npaths = [\"staging/**\"]\nrules = { ineffective-setting = \"off\" }\n",
    )
    .expect("write");
    let text = stdout(sessionlint(dir.path()).args(["check", "--format", "json", "."]));
    let doc: serde_json::Value = serde_json::from_str(&text).expect("json");
    let paths: Vec<&str> = doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule"] == "ineffective-setting")
        .map(|f| f["location"]["path"].as_str().unwrap())
        .collect();
    assert_eq!(paths, ["compose.yaml"]);
}

#[test]
fn configuration_errors_exit_2_with_the_line() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(
        dir.path().join(".sessionlint.toml"),
        "[rules]\nweak-secret = \"note\"\nshort-lifetime = \"off\"\n",
    )
    .expect("write");
    sessionlint(dir.path())
        .args(["check", "."])
        .assert()
        .code(2)
        .stderr(predicates::str::contains(
            ".sessionlint.toml:3:1: unknown rule `short-lifetime`",
        ));
    std::fs::write(dir.path().join(".sessionlint.toml"), "colour = true\n").expect("write");
    sessionlint(dir.path())
        .args(["check", "."])
        .assert()
        .code(2)
        .stderr(predicates::str::contains(".sessionlint.toml:1:1"));
    // --no-config ignores it
    sessionlint(dir.path())
        .args(["check", "--no-config", "."])
        .assert()
        .success();
}

#[test]
fn init_writes_a_starter_that_loads() {
    let dir = tempfile::tempdir().expect("tempdir");
    sessionlint(dir.path()).arg("init").assert().success();
    assert!(dir.path().join(".sessionlint.toml").is_file());
    sessionlint(dir.path())
        .args(["check", "."])
        .assert()
        .success();
    sessionlint(dir.path()).arg("init").assert().code(2);
}

#[test]
fn output_file_completions_and_man_page() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("r.sarif");
    sessionlint(root())
        .args(["check", "--format", "sarif", "--output"])
        .arg(&out)
        .arg("examples/demo")
        .assert()
        .code(1)
        .stdout("");
    assert_valid_sarif(&std::fs::read_to_string(&out).expect("written"));
    let bash = stdout(sessionlint(root()).args(["completions", "bash"]));
    assert!(bash.contains("sessionlint"));
    let man = stdout(sessionlint(root()).arg("man"));
    assert!(man.contains(".TH sessionlint"));
}

#[test]
fn configuration_extra_rules_and_secret_lists() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::create_dir(dir.path().join("lint-rules")).expect("mkdir");
    std::fs::write(
        dir.path().join("lint-rules/acme.yaml"),
        "app: acme\nname: Acme\ndetect: {images: [acme/app]}\nineffective:\n  - env: ACME_TIMEOUT\n    reason: Acme reads ACME_SESSION_HOURS\n",
    )
    .expect("write");
    std::fs::write(
        dir.path().join("leaked.txt"),
        "# leaked in the 2024 incident\nAcme-Prod-Signing-Key-2024-07\n",
    )
    .expect("write");
    std::fs::write(
        dir.path().join(".sessionlint.toml"),
        "extra-rules = [\"lint-rules\"]\nextra-secret-list = [\"leaked.txt\"]\n",
    )
    .expect("write");
    std::fs::write(
        dir.path().join("compose.yaml"),
        "services:\n  a:\n    image: acme/app\n    environment:\n      ACME_TIMEOUT: '5'\n      SIGNING_KEY: Acme-Prod-Signing-Key-2024-07\n",
    )
    .expect("write");
    let text = stdout(sessionlint(dir.path()).args(["check", "--format", "json", "."]));
    let doc: serde_json::Value = serde_json::from_str(&text).expect("json");
    let rules: Vec<&str> = doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["rule"].as_str().unwrap())
        .collect();
    assert_eq!(rules, ["ineffective-setting", "weak-secret"], "{text}");
    assert!(!text.contains("Acme-Prod-Signing-Key"));
    // a missing list is an error with the line
    std::fs::write(
        dir.path().join(".sessionlint.toml"),
        "extra-secret-list = [\"nope.txt\"]\n",
    )
    .expect("write");
    sessionlint(dir.path())
        .args(["check", "."])
        .assert()
        .code(2)
        .stderr(predicates::str::contains(".sessionlint.toml:1:"));
}
