//! Official deployment files of authentication apps under `fixtures/`
//! (`<app>-official`): the findings and the `sessions` view of each.

#![allow(clippy::expect_used)]

mod common;

use common::{check_fixture as check, sessions_fixture as sessions};

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
