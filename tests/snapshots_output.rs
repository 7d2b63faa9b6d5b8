//! Snapshots of the rendered output of the demo repository, in every
//! format, exactly as a user sees it.

#![allow(clippy::expect_used, clippy::unwrap_used)]

use assert_cmd::Command;

fn run(args: &[&str]) -> String {
    let out = Command::cargo_bin("sessionlint")
        .expect("binary")
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args(args)
        .output()
        .expect("runs");
    String::from_utf8(out.stdout)
        .expect("utf-8")
        .replace(env!("CARGO_PKG_VERSION"), "[version]")
}

#[test]
fn demo_text() {
    insta::assert_snapshot!(run(&["check", "--color", "never", "examples/demo"]));
}

#[test]
fn demo_json() {
    insta::assert_snapshot!(run(&["check", "--format", "json", "examples/demo"]));
}

#[test]
fn demo_text_with_colour_has_ansi_and_same_words() {
    let plain = run(&["check", "--color", "never", "examples/demo"]);
    let coloured = run(&["check", "--color", "always", "examples/demo"]);
    assert!(coloured.contains('\u{1b}'));
    assert!(!plain.contains('\u{1b}'));
    let stripped = anstream::adapter::strip_str(&coloured).to_string();
    assert_eq!(stripped, plain);
}

#[test]
fn clean_text() {
    insta::assert_snapshot!(run(&["check", "examples/clean"]), @"No problems found in 2 files.");
}
