//! The official deployment files of dashboards and small self-hosted tools
//! with a profile (under `fixtures/<app>-official/`, copied unchanged from
//! the app's repository or its documentation): the findings and the session
//! lifecycle of each, as a user sees them. Each finding was checked by hand
//! against the app's code.

#![allow(clippy::expect_used)]

mod common;

use common::{check_fixture as check, sessions_fixture as sessions};

/// The Beszel hub's compose file: `/beszel_data`, where data.db keeps the
/// secrets that sign the login tokens, is mounted. Nothing to report.
#[test]
fn beszel_official_check() {
    insta::assert_snapshot!("apps_dash_beszel_official_check", check("beszel-official"));
}

#[test]
fn beszel_official_sessions() {
    insta::assert_snapshot!(
        "apps_dash_beszel_official_sessions",
        sessions("beszel-official")
    );
}

/// Dockge's compose file: `/app/data`, where dockge.db keeps the secret that
/// signs logins, is mounted. Nothing to report.
#[test]
fn dockge_official_check() {
    insta::assert_snapshot!("apps_dash_dockge_official_check", check("dockge-official"));
}

#[test]
fn dockge_official_sessions() {
    insta::assert_snapshot!(
        "apps_dash_dockge_official_sessions",
        sessions("dockge-official")
    );
}

/// The compose file of Opengist's Docker page: `/opengist`, with the
/// session files and the keys generated to sign and encrypt them, is
/// mounted. Nothing to report.
#[test]
fn opengist_official_check() {
    insta::assert_snapshot!(
        "apps_dash_opengist_official_check",
        check("opengist-official")
    );
}

#[test]
fn opengist_official_sessions() {
    insta::assert_snapshot!(
        "apps_dash_opengist_official_sessions",
        sessions("opengist-official")
    );
}

/// Pingvin Share's compose file: `/opt/app/backend/data`, where its database
/// keeps the refresh tokens and the secret that signs access tokens, is
/// mounted. Nothing to report.
#[test]
fn pingvin_share_official_check() {
    insta::assert_snapshot!(
        "apps_dash_pingvin_share_official_check",
        check("pingvin-share-official")
    );
}

#[test]
fn pingvin_share_official_sessions() {
    insta::assert_snapshot!(
        "apps_dash_pingvin_share_official_sessions",
        sessions("pingvin-share-official")
    );
}

/// Solidtime's "Docker + Database" self-hosting example: sessions in
/// PostgreSQL; `laravel.env` is still to be copied from its sample, and the
/// database password falls back to `secret`.
#[test]
fn solidtime_official_check() {
    insta::assert_snapshot!(
        "apps_dash_solidtime_official_check",
        check("solidtime-official")
    );
}

#[test]
fn solidtime_official_sessions() {
    insta::assert_snapshot!(
        "apps_dash_solidtime_official_sessions",
        sessions("solidtime-official")
    );
}

/// LubeLogger's compose file: the Data Protection key ring that encrypts the
/// login cookie is on a named volume. Nothing to report.
#[test]
fn lubelogger_official_check() {
    insta::assert_snapshot!(
        "apps_dash_lubelogger_official_check",
        check("lubelogger-official")
    );
}

#[test]
fn lubelogger_official_sessions() {
    insta::assert_snapshot!(
        "apps_dash_lubelogger_official_sessions",
        sessions("lubelogger-official")
    );
}

/// Wallos's compose file: `/var/www/html/db`, where wallos.db keeps the
/// remember-me login tokens, is mounted. Nothing to report.
#[test]
fn wallos_official_check() {
    insta::assert_snapshot!("apps_dash_wallos_official_check", check("wallos-official"));
}

#[test]
fn wallos_official_sessions() {
    insta::assert_snapshot!(
        "apps_dash_wallos_official_sessions",
        sessions("wallos-official")
    );
}

/// The MySQL compose sample of Movary's Docker docs: the login tokens are in
/// MySQL; the sample's database passwords are published values.
#[test]
fn movary_official_check() {
    insta::assert_snapshot!("apps_dash_movary_official_check", check("movary-official"));
}

#[test]
fn movary_official_sessions() {
    insta::assert_snapshot!(
        "apps_dash_movary_official_sessions",
        sessions("movary-official")
    );
}

/// DocuSeal's compose file: no SECRET_KEY_BASE, but `/data/docuseal`, where
/// the generated one is kept, is mounted. Nothing to report.
#[test]
fn docuseal_official_check() {
    insta::assert_snapshot!(
        "apps_dash_docuseal_official_check",
        check("docuseal-official")
    );
}

#[test]
fn docuseal_official_sessions() {
    insta::assert_snapshot!(
        "apps_dash_docuseal_official_sessions",
        sessions("docuseal-official")
    );
}
