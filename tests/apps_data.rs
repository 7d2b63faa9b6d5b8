//! The official deployment files of apps with a profile (under
//! `fixtures/<app>-official/`, copied unchanged from the app's repository
//! or documentation): the findings and the session lifecycle of each, as a
//! user sees them. Each finding was checked by hand against the app's code.

#![allow(clippy::expect_used)]

mod common;

use common::{check_fixture as check, sessions_fixture as sessions};

/// Metabase's Docker guide: Postgres application database, defaults
/// otherwise. Nothing to report.
#[test]
fn metabase_official_check() {
    insta::assert_snapshot!(
        "apps_data_metabase_official_check",
        check("metabase-official")
    );
}

#[test]
fn metabase_official_sessions() {
    insta::assert_snapshot!(
        "apps_data_metabase_official_sessions",
        sessions("metabase-official")
    );
}

/// Directus's deployment guide: `SECRET` and `ADMIN_PASSWORD` are the
/// guide's placeholders.
#[test]
fn directus_official_check() {
    insta::assert_snapshot!(
        "apps_data_directus_official_check",
        check("directus-official")
    );
}

#[test]
fn directus_official_sessions() {
    insta::assert_snapshot!(
        "apps_data_directus_official_sessions",
        sessions("directus-official")
    );
}

/// Strapi's example template `.env.example`: `tobemodified` placeholders,
/// reported as notes (an example file).
#[test]
fn strapi_official_check() {
    insta::assert_snapshot!("apps_data_strapi_official_check", check("strapi-official"));
}

#[test]
fn strapi_official_sessions() {
    insta::assert_snapshot!(
        "apps_data_strapi_official_sessions",
        sessions("strapi-official")
    );
}

/// Mastodon's `.env.production.sample`: empty secrets to be generated;
/// nothing to report, and no service to describe.
#[test]
fn mastodon_official_check() {
    insta::assert_snapshot!(
        "apps_data_mastodon_official_check",
        check("mastodon-official")
    );
}

#[test]
fn mastodon_official_sessions() {
    insta::assert_snapshot!(
        "apps_data_mastodon_official_sessions",
        sessions("mastodon-official")
    );
}
