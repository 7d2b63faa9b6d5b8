//! Official deployment files of authentication apps under `fixtures/`
//! (`<app>-official`): the findings and the `sessions` view of each.

#![allow(clippy::expect_used)]

use assert_cmd::Command;

fn run(args: &[&str], fixture: &str) -> String {
    let out = Command::cargo_bin("sessionlint")
        .expect("binary")
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args(args)
        .arg(format!("fixtures/{fixture}"))
        .output()
        .expect("runs");
    String::from_utf8(out.stdout).expect("utf-8")
}

fn check(fixture: &str) -> String {
    run(&["check", "--color", "never"], fixture)
}

fn sessions(fixture: &str) -> String {
    run(&["sessions", "--no-config"], fixture)
}

/// Authelia's lite example: configured by its configuration.yml, which is
/// not read; the compose file sets no variable.
#[test]
fn authelia_official() {
    insta::assert_snapshot!("apps_auth_authelia_check", check("authelia-official"));
    insta::assert_snapshot!("apps_auth_authelia_sessions", sessions("authelia-official"));
}

/// OAuth2 Proxy's Helm chart with its default values: the placeholder
/// cookie secret.
#[test]
fn oauth2_proxy_official() {
    insta::assert_snapshot!(
        "apps_auth_oauth2_proxy_check",
        check("oauth2-proxy-official")
    );
    insta::assert_snapshot!(
        "apps_auth_oauth2_proxy_sessions",
        sessions("oauth2-proxy-official")
    );
}

/// Vaultwarden's README compose example: nothing to report.
#[test]
fn vaultwarden_official() {
    insta::assert_snapshot!("apps_auth_vaultwarden_check", check("vaultwarden-official"));
    insta::assert_snapshot!(
        "apps_auth_vaultwarden_sessions",
        sessions("vaultwarden-official")
    );
}

/// authentik's official compose file: the `.env` it expects is missing.
#[test]
fn authentik_official() {
    insta::assert_snapshot!("apps_auth_authentik_check", check("authentik-official"));
    insta::assert_snapshot!(
        "apps_auth_authentik_sessions",
        sessions("authentik-official")
    );
}
