//! The official deployment files of reverse proxies and datastores with a
//! profile (under `fixtures/<app>-official/`, copied unchanged from the
//! app's repository or documentation): the findings and the session
//! lifecycle of each, as a user sees them. Each finding was checked by hand
//! against the app's code.

#![allow(clippy::expect_used)]

mod common;

use common::{check_fixture as check, sessions_fixture as sessions};

/// Traefik's compose guide (TLS challenge) with traefik/whoami behind it:
/// nothing to report.
#[test]
fn traefik_official_check() {
    insta::assert_snapshot!(
        "apps_infra_traefik_official_check",
        check("traefik-official")
    );
}

#[test]
fn traefik_official_sessions() {
    insta::assert_snapshot!(
        "apps_infra_traefik_official_sessions",
        sessions("traefik-official")
    );
}

/// ClickHouse's one-server recipe: users from a mounted XML file, nothing
/// to report.
#[test]
fn clickhouse_official_check() {
    insta::assert_snapshot!(
        "apps_infra_clickhouse_official_check",
        check("clickhouse-official")
    );
}

#[test]
fn clickhouse_official_sessions() {
    insta::assert_snapshot!(
        "apps_infra_clickhouse_official_sessions",
        sessions("clickhouse-official")
    );
}

/// The influxdb image's example (InfluxDB 3 Core): nothing to report.
#[test]
fn influxdb_official_check() {
    insta::assert_snapshot!(
        "apps_infra_influxdb_official_check",
        check("influxdb-official")
    );
}

#[test]
fn influxdb_official_sessions() {
    insta::assert_snapshot!(
        "apps_infra_influxdb_official_sessions",
        sessions("influxdb-official")
    );
}

/// Nginx Proxy Manager's setup guide with MariaDB: the guide's `npm`
/// passwords.
#[test]
fn nginx_proxy_manager_official_check() {
    insta::assert_snapshot!(
        "apps_infra_nginx_proxy_manager_official_check",
        check("nginx-proxy-manager-official")
    );
}

#[test]
fn nginx_proxy_manager_official_sessions() {
    insta::assert_snapshot!(
        "apps_infra_nginx_proxy_manager_official_sessions",
        sessions("nginx-proxy-manager-official")
    );
}

/// The caddy image's compose example: nothing to report.
#[test]
fn caddy_official_check() {
    insta::assert_snapshot!("apps_infra_caddy_official_check", check("caddy-official"));
}

#[test]
fn caddy_official_sessions() {
    insta::assert_snapshot!(
        "apps_infra_caddy_official_sessions",
        sessions("caddy-official")
    );
}

/// Umbrel's Tor proxy and auth server, as umbreld runs them: nothing to
/// report.
#[test]
fn umbrel_tor_official_check() {
    insta::assert_snapshot!(
        "apps_infra_umbrel_tor_official_check",
        check("umbrel-tor-official")
    );
}

#[test]
fn umbrel_tor_official_sessions() {
    insta::assert_snapshot!(
        "apps_infra_umbrel_tor_official_sessions",
        sessions("umbrel-tor-official")
    );
}

/// Meilisearch's CLI test compose file: the test master key `masterKey`.
#[test]
fn meilisearch_official_check() {
    insta::assert_snapshot!(
        "apps_infra_meilisearch_official_check",
        check("meilisearch-official")
    );
}

#[test]
fn meilisearch_official_sessions() {
    insta::assert_snapshot!(
        "apps_infra_meilisearch_official_sessions",
        sessions("meilisearch-official")
    );
}
