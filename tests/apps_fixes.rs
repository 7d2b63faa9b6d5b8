//! Corrections of the Superset, Gitea and n8n profiles against the apps'
//! own code: each test states one fact of the app, as the linter must
//! report it.

#![allow(clippy::expect_used, clippy::indexing_slicing)]

mod common;

use std::path::Path;

fn sessionlint(dir: &Path, args: &[&str]) -> String {
    let out = assert_cmd::Command::cargo_bin("sessionlint")
        .expect("binary")
        .current_dir(dir)
        .args(args)
        .output()
        .expect("runs");
    String::from_utf8(out.stdout).expect("utf-8")
}

/// `(rule, line, message)` of each finding of `check --format json` on a
/// directory holding `compose.yaml`.
fn findings(compose: &str) -> Vec<(String, u64, String)> {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(dir.path().join("compose.yaml"), compose).expect("write");
    let out = sessionlint(
        dir.path(),
        &["check", "--no-config", "--format", "json", "."],
    );
    common::rule_line_message(&out)
}

/// `sessions` on a directory holding `compose.yaml`.
fn sessions(compose: &str) -> String {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(dir.path().join("compose.yaml"), compose).expect("write");
    sessionlint(dir.path(), &["sessions", "--no-config", "."])
}

/// Superset reads its key from `SUPERSET_SECRET_KEY` only
/// (`superset/config.py`); neither Superset nor its official docker setup
/// reads a variable named `SECRET_KEY`, so it is no signing key of the
/// service.
#[test]
fn superset_reads_only_superset_secret_key() {
    let out = sessions(
        "services:\n  superset:\n    image: apache/superset:4.0.2\n    environment:\n      \
         SUPERSET_SECRET_KEY: Qm7vX2kR9pT4wN8zL3sH6dF1jB5gC0yAe4Wq\n      \
         SECRET_KEY: Zq8vN3xR7tY2wK9mP4sL6dF1hJ5gB0cVr2Xe\n",
    );
    assert!(
        out.contains("SUPERSET_SECRET_KEY (compose.yaml:5)"),
        "{out}"
    );
    assert!(!out.contains("SECRET_KEY (compose.yaml:6)"), "{out}");
}

/// Since 2.1 Superset logs "Refusing to start due to insecure SECRET_KEY"
/// and exits when the key is its default, unless it runs in debug mode
/// (`SupersetAppInitializer.check_secret_key`): the finding says so.
#[test]
fn superset_default_key_says_superset_refuses_to_start() {
    let got = findings(
        "services:\n  superset:\n    image: apache/superset:4.0.2\n    environment:\n      \
         SUPERSET_SECRET_KEY: CHANGE_ME_TO_A_COMPLEX_RANDOM_SECRET\n",
    );
    assert_eq!(got.len(), 1, "{got:?}");
    let (rule, line, message) = &got[0];
    assert_eq!((rule.as_str(), *line), ("weak-secret", 5), "{got:?}");
    assert!(
        message.contains("refuses to start") && message.contains("debug mode"),
        "{message}"
    );
}

/// Gitea's `[session] COOKIE_SECURE` defaults to whether `ROOT_URL`
/// starts with `https://` (`modules/setting/session.go`): with an http
/// ROOT_URL the cookie has no Secure flag, and SameSite=None without
/// Secure is rejected by browsers.
#[test]
fn gitea_cookie_secure_defaults_to_false_with_an_http_root_url() {
    let got = findings(
        "services:\n  gitea:\n    image: gitea/gitea:1.22\n    environment:\n      \
         - GITEA__server__ROOT_URL=http://git.example.com/\n      \
         - GITEA__session__SAME_SITE=none\n",
    );
    let rules: Vec<&str> = got.iter().map(|(r, _, _)| r.as_str()).collect();
    assert!(rules.contains(&"samesite-none-without-secure"), "{got:?}");
}

/// … and with an https ROOT_URL the cookie is Secure without any
/// COOKIE_SECURE.
#[test]
fn gitea_cookie_secure_defaults_to_true_with_an_https_root_url() {
    let compose = "services:\n  gitea:\n    image: gitea/gitea:1.22\n    environment:\n      \
         - GITEA__server__ROOT_URL=https://git.example.com/\n      \
         - GITEA__session__SAME_SITE=none\n";
    let got = findings(compose);
    let rules: Vec<&str> = got.iter().map(|(r, _, _)| r.as_str()).collect();
    assert!(!rules.contains(&"samesite-none-without-secure"), "{got:?}");
    let out = sessions(compose);
    let secure = out
        .lines()
        .find(|l| l.contains("Secure"))
        .unwrap_or_default();
    assert!(secure.contains("true"), "{out}");
}

/// Gitea replaces an empty `SECRET_KEY` by its built-in fallback key
/// (`modules/setting/security.go`), whether the key is missing or set to
/// nothing: an empty key is that public key.
#[test]
fn gitea_empty_secret_key_is_the_builtin_fallback() {
    let got = findings(
        "services:\n  gitea:\n    image: gitea/gitea:1.22\n    environment:\n      \
         - GITEA__security__INSTALL_LOCK=true\n      \
         - GITEA__security__SECRET_KEY=\n",
    );
    assert_eq!(got.len(), 1, "{got:?}");
    let (rule, line, message) = &got[0];
    assert_eq!((rule.as_str(), *line), ("weak-secret", 6), "{got:?}");
    assert!(message.contains("hard-coded fallback"), "{message}");
}

/// n8n renews a login token on a request when less than
/// `N8N_USER_MANAGEMENT_JWT_REFRESH_TIMEOUT_HOURS` of it is left (0: a
/// quarter of the duration; -1: never), read in
/// `packages/cli/src/auth/auth.service.ts`: the profile names the setting,
/// its default and where it is read.
#[test]
fn n8n_profile_knows_the_refresh_timeout() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = sessionlint(dir.path(), &["explain", "n8n"]);
    let row = out
        .lines()
        .find(|l| l.starts_with("| `N8N_USER_MANAGEMENT_JWT_REFRESH_TIMEOUT_HOURS`"))
        .unwrap_or_default();
    assert!(row.contains("hours") && row.contains("`0`"), "{out}");
    assert!(
        out.contains("packages/cli/src/auth/auth.service.ts"),
        "{out}"
    );
}

/// frePPLe's official Kubernetes manifest (a report fixture): the Django
/// SECRET_KEY is written into /etc/frepple at start, which is on no volume.
#[test]
fn frepple_official_manifest() {
    insta::assert_snapshot!(
        "apps_fixes_frepple_check",
        common::check_fixture("reports/frepple-k8s-secret-key")
    );
    insta::assert_snapshot!(
        "apps_fixes_frepple_sessions",
        common::sessions_fixture("reports/frepple-k8s-secret-key")
    );
}

/// pgAdmin's chart values behind an Ingress (a report fixture): enhanced
/// cookie protection, on by default, binds sessions to the client address.
#[test]
fn pgadmin_chart_behind_ingress() {
    insta::assert_snapshot!(
        "apps_fixes_pgadmin_check",
        common::check_fixture("reports/pgadmin-enhanced-cookie-protection")
    );
    insta::assert_snapshot!(
        "apps_fixes_pgadmin_sessions",
        common::sessions_fixture("reports/pgadmin-enhanced-cookie-protection")
    );
}
