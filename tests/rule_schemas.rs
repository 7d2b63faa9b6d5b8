//! The JSON Schemas of rule files (`schemas/rules/`) are generated from the
//! types the files are read into; they must be current, every built-in rule
//! file must name its schema on its first line and validate against it.

#![allow(
    clippy::expect_used,
    clippy::unwrap_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use std::path::Path;

use sessionlint::rules::RuleKind;
use sessionlint::rules::schema::{schema, schemas};

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn schemas_on_disk_are_current() {
    let mut stale = Vec::new();
    for (name, text) in schemas() {
        let on_disk =
            std::fs::read_to_string(root().join("schemas/rules").join(&name)).unwrap_or_default();
        if on_disk != text {
            stale.push(name);
        }
    }
    assert!(
        stale.is_empty(),
        "stale schemas {stale:?}: run `cargo run -- docs`"
    );
}

fn validator(kind: RuleKind) -> jsonschema::Validator {
    let schema: serde_json::Value = serde_json::from_str(&schema(kind)).expect("schema is JSON");
    jsonschema::validator_for(&schema).expect("schema compiles")
}

fn errors(kind: RuleKind, text: &str) -> Vec<String> {
    let value: serde_json::Value = serde_saphyr::from_str(text).expect("YAML parses");
    validator(kind)
        .iter_errors(&value)
        .map(|e| format!("{} at {}", e, e.instance_path))
        .collect()
}

#[test]
fn every_builtin_rule_file_names_and_matches_its_schema() {
    let files = sessionlint::rules::builtin_files();
    assert!(files.len() > 40, "{}", files.len());
    let mut failures = Vec::new();
    for (path, text) in &files {
        let kind = RuleKind::of_text(text).expect("a rule file");
        let depth = path.components().count() - 1;
        let want = format!(
            "# yaml-language-server: $schema={}schemas/rules/{}.json",
            "../".repeat(depth),
            kind.name()
        );
        if text.lines().next() != Some(want.as_str()) {
            failures.push(format!("{}: first line is not `{want}`", path.display()));
        }
        // the path the line names exists
        let named = path
            .parent()
            .unwrap()
            .join(want.rsplit('=').next().unwrap());
        assert!(root().join(&named).exists(), "{}", named.display());
        for e in errors(kind, text) {
            failures.push(format!("{}: {e}", path.display()));
        }
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}

#[test]
fn schemas_reject_unknown_keys_and_wrong_types() {
    let e = errors(
        RuleKind::App,
        "app: x\nname: X\nbogus: 1\nenv-scheme:\n  - template: 'X_{SECTION}_{KEY}'\n    case: upper\n",
    );
    assert_eq!(e.len(), 2, "{e:?}");
    let e = errors(
        RuleKind::Check,
        "id: a\ncategory: weak-secret\nseverity: loud\nsummary: s\ndescription: d\ncheck: weak-secret\nmessage: m\nhelp: h\n",
    );
    assert_eq!(e.len(), 1, "{e:?}");
    assert!(e[0].contains("loud"), "{e:?}");
    let e = errors(
        RuleKind::Vocabulary,
        "concepts:\n  - id: my.concept\n    secret: yes-please\n",
    );
    assert!(!e.is_empty());
}
