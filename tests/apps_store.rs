//! The official example deployments of datastores with a profile (under
//! `fixtures/<app>-official/`, copied unchanged from docker-library/docs):
//! the findings and the session lifecycle of each, as a user sees them.

#![allow(clippy::expect_used)]

mod common;

use common::{check_fixture as check, sessions_fixture as sessions};

/// The Docker Hub page's example: `POSTGRES_PASSWORD: example`.
#[test]
fn postgres_official_check() {
    insta::assert_snapshot!(
        "apps_store_postgres_official_check",
        check("postgres-official")
    );
}

#[test]
fn postgres_official_sessions() {
    insta::assert_snapshot!(
        "apps_store_postgres_official_sessions",
        sessions("postgres-official")
    );
}

/// The Docker Hub page's example: `MARIADB_ROOT_PASSWORD: example`.
#[test]
fn mariadb_official_check() {
    insta::assert_snapshot!(
        "apps_store_mariadb_official_check",
        check("mariadb-official")
    );
}

#[test]
fn mariadb_official_sessions() {
    insta::assert_snapshot!(
        "apps_store_mariadb_official_sessions",
        sessions("mariadb-official")
    );
}
