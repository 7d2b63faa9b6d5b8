//! The official configuration of web frameworks and servlet containers
//! with a profile (under `fixtures/<app>-official/`, copied unchanged from
//! the project's repository): the findings and the session lifecycle of
//! each, as a user sees them. Each finding was checked by hand against the
//! project's code.

#![allow(clippy::expect_used)]

mod common;

use common::{check_fixture as check, sessions_fixture as sessions};

/// Tomcat's default `conf/web.xml`, `context.xml`, `server.xml` and the
/// sample webapp descriptor: 30-minute sessions in each Tomcat's memory.
/// Nothing to report.
#[test]
fn tomcat_official_check() {
    insta::assert_snapshot!(
        "apps_frameworks_tomcat_official_check",
        check("tomcat-official")
    );
}

#[test]
fn tomcat_official_sessions() {
    insta::assert_snapshot!(
        "apps_frameworks_tomcat_official_sessions",
        sessions("tomcat-official")
    );
}

/// The Symfony Demo's `.env` files and `framework.yaml`: PHP's 24-minute
/// `gc_maxlifetime` left in place, an empty `APP_SECRET` and the demo's
/// published one.
#[test]
fn symfony_official_check() {
    insta::assert_snapshot!(
        "apps_frameworks_symfony_official_check",
        check("symfony-official")
    );
}

#[test]
fn symfony_official_sessions() {
    insta::assert_snapshot!(
        "apps_frameworks_symfony_official_sessions",
        sessions("symfony-official")
    );
}

/// The .NET images' Kubernetes sample: three replicas of the sample
/// ASP.NET Core app, which has no login. Nothing to report.
#[test]
fn aspnetcore_official_check() {
    insta::assert_snapshot!(
        "apps_frameworks_aspnetcore_official_check",
        check("aspnetcore-official")
    );
}

#[test]
fn aspnetcore_official_sessions() {
    insta::assert_snapshot!(
        "apps_frameworks_aspnetcore_official_sessions",
        sessions("aspnetcore-official")
    );
}
