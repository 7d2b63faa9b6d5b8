//! Values read from a Kubernetes Secret never appear unmasked: not in the
//! excerpts, messages, labels or help of `check` in any format, and not in
//! `sessions`, unless `--show-secrets` asks for them.
//!
//! The manifests are n8n's official ones (`fixtures/n8n-hosting-k8s`). A
//! temporary copy adds one key to their Secret, n8n's login lifetime, read
//! by the n8n container: its value then feeds a message (`short-session-
//! lifetime`) and the `sessions` figures and verdicts.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use assert_cmd::Command;
use std::path::Path;

fn copy_with_lifetime_in_secret() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/n8n-hosting-k8s");
    for e in std::fs::read_dir(&src).unwrap() {
        let p = e.unwrap().path();
        if p.extension().is_some_and(|x| x == "yaml") {
            std::fs::copy(&p, dir.path().join(p.file_name().unwrap())).unwrap();
        }
    }
    let secret = dir.path().join("postgres-secret.yaml");
    let mut s = std::fs::read_to_string(&secret).unwrap();
    s.push_str("\n  N8N_USER_MANAGEMENT_JWT_DURATION_HOURS: \"3\"\n");
    std::fs::write(&secret, s).unwrap();
    let deploy = dir.path().join("n8n-deployment.yaml");
    let d = std::fs::read_to_string(&deploy).unwrap().replace(
        "            - name: N8N_PROTOCOL\n",
        "            - name: N8N_USER_MANAGEMENT_JWT_DURATION_HOURS\n\
         \x20             valueFrom:\n\
         \x20               secretKeyRef:\n\
         \x20                 name: postgres-secret\n\
         \x20                 key: N8N_USER_MANAGEMENT_JWT_DURATION_HOURS\n\
         \x20           - name: N8N_PROTOCOL\n",
    );
    assert!(d.contains("key: N8N_USER_MANAGEMENT_JWT_DURATION_HOURS"));
    std::fs::write(&deploy, d).unwrap();
    dir
}

fn run(args: &[&str], dir: &Path) -> String {
    let out = Command::cargo_bin("sessionlint")
        .unwrap()
        .args(args)
        .arg(dir)
        .output()
        .unwrap();
    assert!(
        out.status.code().is_some_and(|c| c <= 1),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr)
}

/// What must not be shown: the Secret's values, and the lifetime read from
/// it however it is written.
const SECRET_TEXTS: &[&str] = &[
    "changePassword",
    "changeUser",
    "3 hours",
    "JWT_DURATION_HOURS = 3",
    "JWT_DURATION_HOURS=3",
    "\"3\"",
];

fn assert_masked(what: &str, out: &str) {
    for s in SECRET_TEXTS {
        assert!(!out.contains(s), "{what} shows `{s}`:\n{out}");
    }
}

#[test]
fn values_from_a_secret_are_masked_in_every_format() {
    let dir = copy_with_lifetime_in_secret();
    let text = run(&["check", "--color", "never"], dir.path());
    // the findings are there, only their values are hidden
    assert!(text.contains("short-session-lifetime"), "{text}");
    assert!(text.contains("weak-secret"), "{text}");
    assert_masked("check (text)", &text);
    for format in ["json", "sarif", "github"] {
        let out = run(&["check", "--format", format], dir.path());
        assert!(out.contains("short-session-lifetime"), "{format}: {out}");
        assert_masked(&format!("check --format {format}"), &out);
    }
    for format in ["text", "json"] {
        let out = run(&["sessions", "--format", format], dir.path());
        assert!(out.contains("absolute lifetime"), "{format}: {out}");
        assert_masked(&format!("sessions --format {format}"), &out);
    }
}

#[test]
fn show_secrets_reveals_them_when_asked() {
    let dir = copy_with_lifetime_in_secret();
    let text = run(&["check", "--color", "never", "--show-secrets"], dir.path());
    assert!(text.contains("changePassword"), "{text}");
    assert!(text.contains("after 3 hours"), "{text}");
}
