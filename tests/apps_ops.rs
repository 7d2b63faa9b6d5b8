//! The official deployment files of operations and monitoring apps with a
//! profile (under `fixtures/<app>-official/`, copied unchanged from the
//! app's repository or documentation): the findings and the session
//! lifecycle of each, as a user sees them. Each finding was checked by hand
//! against the app's code.

#![allow(clippy::expect_used)]

mod common;

use common::{check_fixture as check, sessions_fixture as sessions};

/// Elastic's compose example: Kibana without an encryption key (one
/// generated at start), its defaults otherwise. Nothing to report.
#[test]
fn kibana_official_check() {
    insta::assert_snapshot!("apps_ops_kibana_official_check", check("kibana-official"));
}

#[test]
fn kibana_official_sessions() {
    insta::assert_snapshot!(
        "apps_ops_kibana_official_sessions",
        sessions("kibana-official")
    );
}

/// OpenSearch's compose file: Dashboards on the image's own configuration,
/// which the repository does not show. Nothing to report.
#[test]
fn opensearch_dashboards_official_check() {
    insta::assert_snapshot!(
        "apps_ops_opensearch_dashboards_official_check",
        check("opensearch-dashboards-official")
    );
}

#[test]
fn opensearch_dashboards_official_sessions() {
    insta::assert_snapshot!(
        "apps_ops_opensearch_dashboards_official_sessions",
        sessions("opensearch-dashboards-official")
    );
}

/// Sentry self-hosted: the `.env`'s placeholder `LAUNCHPAD_RPC_SHARED_SECRET`
/// and the bundled object store's `sentry` credential; nineteen Sentry
/// services whose signing key comes from the host.
#[test]
fn sentry_official_check() {
    insta::assert_snapshot!("apps_ops_sentry_official_check", check("sentry-official"));
}

#[test]
fn sentry_official_sessions() {
    insta::assert_snapshot!(
        "apps_ops_sentry_official_sessions",
        sessions("sentry-official")
    );
}

/// Redash's setup compose file: the env file the setup script writes is
/// missing (notes); Redash's defaults otherwise.
#[test]
fn redash_official_check() {
    insta::assert_snapshot!("apps_ops_redash_official_check", check("redash-official"));
}

#[test]
fn redash_official_sessions() {
    insta::assert_snapshot!(
        "apps_ops_redash_official_sessions",
        sessions("redash-official")
    );
}

/// JupyterHub's compose example: the cookie secret generated at start and
/// kept where `jupyterhub_config.py` says. Nothing to report.
#[test]
fn jupyterhub_official_check() {
    insta::assert_snapshot!(
        "apps_ops_jupyterhub_official_check",
        check("jupyterhub-official")
    );
}

#[test]
fn jupyterhub_official_sessions() {
    insta::assert_snapshot!(
        "apps_ops_jupyterhub_official_sessions",
        sessions("jupyterhub-official")
    );
}

/// Portainer behind Traefik: nothing in the files decides its logins.
#[test]
fn portainer_official_check() {
    insta::assert_snapshot!(
        "apps_ops_portainer_official_check",
        check("portainer-official")
    );
}

#[test]
fn portainer_official_sessions() {
    insta::assert_snapshot!(
        "apps_ops_portainer_official_sessions",
        sessions("portainer-official")
    );
}

/// Uptime Kuma's compose file: nothing in the files decides its logins.
#[test]
fn uptime_kuma_official_check() {
    insta::assert_snapshot!(
        "apps_ops_uptime_kuma_official_check",
        check("uptime-kuma-official")
    );
}

#[test]
fn uptime_kuma_official_sessions() {
    insta::assert_snapshot!(
        "apps_ops_uptime_kuma_official_sessions",
        sessions("uptime-kuma-official")
    );
}

/// Harbor's Helm chart: its own value keys, not recognised. Nothing found.
#[test]
fn harbor_official_check() {
    insta::assert_snapshot!("apps_ops_harbor_official_check", check("harbor-official"));
}

#[test]
fn harbor_official_sessions() {
    insta::assert_snapshot!(
        "apps_ops_harbor_official_sessions",
        sessions("harbor-official")
    );
}
