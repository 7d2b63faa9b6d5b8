//! The official deployment files of file, document and mail servers with a
//! profile (under `fixtures/<app>-official/`, copied unchanged from the
//! app's repository or documentation): the findings and the session
//! lifecycle of each, as a user sees them. Each finding was checked by hand
//! against the app's code.

#![allow(clippy::expect_used)]

mod common;

use common::{check_fixture as check, sessions_fixture as sessions};

/// Seafile's `seafile-server.yml` (13.0): `/shared` on a volume; the admin
/// password falls back to the start script's `asecret`.
#[test]
fn seafile_official_check() {
    insta::assert_snapshot!(
        "apps_files_seafile_official_check",
        check("seafile-official")
    );
}

#[test]
fn seafile_official_sessions() {
    insta::assert_snapshot!(
        "apps_files_seafile_official_sessions",
        sessions("seafile-official")
    );
}

/// SFTPGo's Helm chart: defaults everywhere, so the login cookie's
/// 20-minute idle lifetime, and a signing key drawn at each start.
#[test]
fn sftpgo_official_check() {
    insta::assert_snapshot!("apps_files_sftpgo_official_check", check("sftpgo-official"));
}

#[test]
fn sftpgo_official_sessions() {
    insta::assert_snapshot!(
        "apps_files_sftpgo_official_sessions",
        sessions("sftpgo-official")
    );
}

/// changedetection.io's `docker-compose.yml`: the datastore, where the
/// generated signing key is kept, on a named volume. Nothing to report.
#[test]
fn changedetection_official_check() {
    insta::assert_snapshot!(
        "apps_files_changedetection_official_check",
        check("changedetection-official")
    );
}

#[test]
fn changedetection_official_sessions() {
    insta::assert_snapshot!(
        "apps_files_changedetection_official_sessions",
        sessions("changedetection-official")
    );
}

/// Tandoor Recipes' plain compose file with its `.env.template` as `.env`:
/// Postgres sessions; the template's `SECRET_KEY` is empty.
#[test]
fn tandoor_official_check() {
    insta::assert_snapshot!(
        "apps_files_tandoor_official_check",
        check("tandoor-official")
    );
}

#[test]
fn tandoor_official_sessions() {
    insta::assert_snapshot!(
        "apps_files_tandoor_official_sessions",
        sessions("tandoor-official")
    );
}

/// SiYuan's README compose example: the workspace, where the cookie key
/// is generated, on a volume. Nothing to report.
#[test]
fn siyuan_official_check() {
    insta::assert_snapshot!("apps_files_siyuan_official_check", check("siyuan-official"));
}

#[test]
fn siyuan_official_sessions() {
    insta::assert_snapshot!(
        "apps_files_siyuan_official_sessions",
        sessions("siyuan-official")
    );
}

/// Mautic's basic example: the example's database passwords.
#[test]
fn mautic_official_check() {
    insta::assert_snapshot!("apps_files_mautic_official_check", check("mautic-official"));
}

#[test]
fn mautic_official_sessions() {
    insta::assert_snapshot!(
        "apps_files_mautic_official_sessions",
        sessions("mautic-official")
    );
}
