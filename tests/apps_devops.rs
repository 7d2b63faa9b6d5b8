//! The official deployment files of development and delivery tools with a
//! profile (under `fixtures/<app>-official/`, copied unchanged from the
//! app's repository or documentation): the findings and the session
//! lifecycle of each, as a user sees them. Each finding was checked by hand
//! against the app's code.

#![allow(clippy::expect_used)]

mod common;

use common::{check_fixture as check, sessions_fixture as sessions};

/// SonarSource's Data Center compose example: the JWT signing key and the
/// database password every SonarSource example ships, on the application
/// nodes, the search nodes and the database.
#[test]
fn sonarqube_official_check() {
    insta::assert_snapshot!(
        "apps_devops_sonarqube_official_check",
        check("sonarqube-official")
    );
}

#[test]
fn sonarqube_official_sessions() {
    insta::assert_snapshot!(
        "apps_devops_sonarqube_official_sessions",
        sessions("sonarqube-official")
    );
}

/// Argo CD's documented `argocd-cm`: a ConfigMap the API server reads by
/// name, with the default one-day session duration. Nothing to report.
#[test]
fn argocd_official_check() {
    insta::assert_snapshot!(
        "apps_devops_argocd_official_check",
        check("argocd-official")
    );
}

#[test]
fn argocd_official_sessions() {
    insta::assert_snapshot!(
        "apps_devops_argocd_official_sessions",
        sessions("argocd-official")
    );
}
