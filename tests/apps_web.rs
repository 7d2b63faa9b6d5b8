//! The official deployment files of web apps with a profile (under
//! `fixtures/<app>-official/`, copied unchanged from the app's repository
//! or documentation): the findings and the session lifecycle of each, as a
//! user sees them. Each finding was checked by hand against the app's code.

#![allow(clippy::expect_used)]

mod common;

use common::{check_fixture as check, sessions_fixture as sessions};

/// Umami's official compose file: the `APP_SECRET` placeholder and the
/// database's five-letter password.
#[test]
fn umami_official_check() {
    insta::assert_snapshot!("apps_web_umami_official_check", check("umami-official"));
}

#[test]
fn umami_official_sessions() {
    insta::assert_snapshot!(
        "apps_web_umami_official_sessions",
        sessions("umami-official")
    );
}

/// Plausible Community Edition v2.0's compose setup: `SECRET_KEY_BASE` is
/// the `replace-me` placeholder of `plausible-conf.env`.
#[test]
fn plausible_official_check() {
    insta::assert_snapshot!(
        "apps_web_plausible_official_check",
        check("plausible-official")
    );
}

#[test]
fn plausible_official_sessions() {
    insta::assert_snapshot!(
        "apps_web_plausible_official_sessions",
        sessions("plausible-official")
    );
}

/// Auth.js's Next.js example: a published `AUTH_SECRET` in compose's list
/// syntax, recognised by `AUTH_URL` (the app is built, no image).
#[test]
fn nextauth_official_check() {
    insta::assert_snapshot!(
        "apps_web_nextauth_official_check",
        check("nextauth-official")
    );
}

#[test]
fn nextauth_official_sessions() {
    insta::assert_snapshot!(
        "apps_web_nextauth_official_sessions",
        sessions("nextauth-official")
    );
}

/// Paperless-ngx's Postgres compose setup: `PAPERLESS_SECRET_KEY=change-me`
/// in `docker-compose.env`; sessions in the shared database.
#[test]
fn paperless_ngx_official_check() {
    insta::assert_snapshot!(
        "apps_web_paperless_ngx_official_check",
        check("paperless-ngx-official")
    );
}

#[test]
fn paperless_ngx_official_sessions() {
    insta::assert_snapshot!(
        "apps_web_paperless_ngx_official_sessions",
        sessions("paperless-ngx-official")
    );
}

/// Supabase's `docker/.env.example`: every shipped secret, as notes (an
/// example file), and no service.
#[test]
fn supabase_official_check() {
    insta::assert_snapshot!(
        "apps_web_supabase_official_check",
        check("supabase-official")
    );
}

#[test]
fn supabase_official_sessions() {
    insta::assert_snapshot!(
        "apps_web_supabase_official_sessions",
        sessions("supabase-official")
    );
}

/// ZITADEL's Compose guide `.env`: the guide's masterkey and the default
/// admin password.
#[test]
fn zitadel_official_check() {
    insta::assert_snapshot!("apps_web_zitadel_official_check", check("zitadel-official"));
}

#[test]
fn zitadel_official_sessions() {
    insta::assert_snapshot!(
        "apps_web_zitadel_official_sessions",
        sessions("zitadel-official")
    );
}
