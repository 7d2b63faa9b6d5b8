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

/// What `check --show-services` says of a compose file written to a
/// temporary directory.
fn recognised(compose: &str) -> String {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(dir.path().join("compose.yaml"), compose).expect("write");
    let out = assert_cmd::Command::cargo_bin("sessionlint")
        .expect("binary")
        .current_dir(dir.path())
        .args(["check", "--no-config", "--show-services", "."])
        .output()
        .expect("runs");
    String::from_utf8(out.stdout).expect("utf-8")
}

/// Rails is recognised by the variables Rails itself reads (`RAILS_ENV`,
/// `RAILS_MASTER_KEY`), but an app built on Rails with a profile of its own
/// keeps it even when it sets `RAILS_ENV` too, and `SECRET_KEY_BASE` alone
/// (read by Phoenix apps as well) says nothing.
#[test]
fn rails_recognition_yields_to_apps_built_on_it() {
    let out = recognised(
        "services:
  redmine:
    build: .
    environment:
      RAILS_ENV: production
      REDMINE_DB_POSTGRES: db
  shop:
    build: .
    environment:
      RAILS_ENV: production
  worker:
    build: .
    environment:
      - RAILS_MASTER_KEY
  phoenix:
    build: .
    environment:
      SECRET_KEY_BASE: Zq8vN3xR7tY2wK9mP4sL6dF1hJ5gB0cV
",
    );
    let line = |service: &str| {
        out.lines()
            .find(|l| l.split_whitespace().nth(3) == Some(service))
            .unwrap_or_default()
            .to_string()
    };
    assert!(line("redmine").starts_with("redmine "), "{out}");
    assert!(line("shop").starts_with("rails "), "{out}");
    assert!(line("worker").starts_with("rails "), "{out}");
    assert!(line("phoenix").starts_with("- "), "{out}");
}

/// Docker's Rails guide: the app's own build given `RAILS_MASTER_KEY` from
/// the shell; the cookie store's key comes from the credentials. Nothing to
/// report.
#[test]
fn rails_official_check() {
    insta::assert_snapshot!("apps_devops_rails_official_check", check("rails-official"));
}

#[test]
fn rails_official_sessions() {
    insta::assert_snapshot!(
        "apps_devops_rails_official_sessions",
        sessions("rails-official")
    );
}

/// The official image's README compose file and Bitnami's: JENKINS_HOME on
/// volumes in both, and the default `JENKINS_PASSWORD` in Bitnami's.
#[test]
fn jenkins_official_check() {
    insta::assert_snapshot!(
        "apps_devops_jenkins_official_check",
        check("jenkins-official")
    );
}

#[test]
fn jenkins_official_sessions() {
    insta::assert_snapshot!(
        "apps_devops_jenkins_official_sessions",
        sessions("jenkins-official")
    );
}
