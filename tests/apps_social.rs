//! The official deployment files of chat, forum, photo and analytics apps
//! with a profile (under `fixtures/<app>-official/`, copied unchanged from
//! the app's repository): the findings and the session lifecycle of each,
//! as a user sees them. Each finding was checked by hand against the app's
//! code.

#![allow(clippy::expect_used)]

mod common;

use common::{check_fixture as check, sessions_fixture as sessions};

/// Rocket.Chat's compose deployment: defaults, MongoDB on a volume.
/// Nothing to report.
#[test]
fn rocketchat_official_check() {
    insta::assert_snapshot!(
        "apps_social_rocketchat_official_check",
        check("rocketchat-official")
    );
}

#[test]
fn rocketchat_official_sessions() {
    insta::assert_snapshot!(
        "apps_social_rocketchat_official_sessions",
        sessions("rocketchat-official")
    );
}

/// Immich's compose file and `example.env`: the `.env` the guide makes from
/// the example is missing.
#[test]
fn immich_official_check() {
    insta::assert_snapshot!(
        "apps_social_immich_official_check",
        check("immich-official")
    );
}

#[test]
fn immich_official_sessions() {
    insta::assert_snapshot!(
        "apps_social_immich_official_sessions",
        sessions("immich-official")
    );
}

/// PostHog's hobby compose file: the PostHog image is named by variables
/// the installer sets, so no service is recognised. Nothing to report.
#[test]
fn posthog_official_check() {
    insta::assert_snapshot!(
        "apps_social_posthog_official_check",
        check("posthog-official")
    );
}

#[test]
fn posthog_official_sessions() {
    insta::assert_snapshot!(
        "apps_social_posthog_official_sessions",
        sessions("posthog-official")
    );
}

/// Bitnami's Discourse compose file: no passwords, data on volumes.
/// Nothing to report.
#[test]
fn discourse_official_check() {
    insta::assert_snapshot!(
        "apps_social_discourse_official_check",
        check("discourse-official")
    );
}

#[test]
fn discourse_official_sessions() {
    insta::assert_snapshot!(
        "apps_social_discourse_official_sessions",
        sessions("discourse-official")
    );
}
