//! The worked examples of `docs/contributing.md` work: the app profile and
//! the check written there load from a `--rules` directory and their
//! examples hold under `sessionlint test-rules`.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use assert_cmd::Command;

fn yaml_blocks(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(i) = rest.find("```yaml\n") {
        let body = &rest[i + "```yaml\n".len()..];
        let end = body.find("```").expect("closed block");
        out.push(body[..end].to_string());
        rest = &body[end..];
    }
    out
}

#[test]
fn the_worked_app_and_check_load_and_their_examples_hold() {
    let doc = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/contributing.md"),
    )
    .unwrap();
    let blocks = yaml_blocks(&doc);
    let app = blocks
        .iter()
        .find(|b| b.contains("\napp: "))
        .expect("app block");
    let check = blocks
        .iter()
        .find(|b| b.contains("\nid: "))
        .expect("check block");
    let id = check
        .lines()
        .find_map(|l| l.strip_prefix("id: "))
        .expect("id")
        .trim();
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("apps")).unwrap();
    std::fs::create_dir_all(dir.path().join("checks")).unwrap();
    std::fs::write(dir.path().join("apps/example.yaml"), app).unwrap();
    std::fs::write(dir.path().join(format!("checks/{id}.yaml")), check).unwrap();
    let out = Command::cargo_bin("sessionlint")
        .unwrap()
        .arg("test-rules")
        .arg(dir.path())
        .output()
        .unwrap();
    let text =
        String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{text}");
    // the user's profile and check are among those whose examples ran
    let listed = Command::cargo_bin("sessionlint")
        .unwrap()
        .args(["explain", "example", "--rules"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert!(listed.status.success());
    assert!(String::from_utf8_lossy(&listed.stdout).contains("EXAMPLE_<SECTION>__<KEY>"));
}
