//! Official deployment files of collaboration apps (Nextcloud, Mattermost,
//! Outline, BookStack) under `fixtures/<app>-official/`: what `check`
//! reports there, and the `sessions` view.

#![allow(clippy::expect_used)]

mod common;

use common::{check_fixture as check, sessions_fixture as sessions};

/// Nextcloud's compose example: Redis holds the PHP sessions.
#[test]
fn nextcloud_official() {
    insta::assert_snapshot!("apps_collab_nextcloud_check", check("nextcloud-official"));
    insta::assert_snapshot!(
        "apps_collab_nextcloud_sessions",
        sessions("nextcloud-official")
    );
}

/// Mattermost's compose deployment: session lengths left at their defaults.
#[test]
fn mattermost_official() {
    insta::assert_snapshot!("apps_collab_mattermost_check", check("mattermost-official"));
    insta::assert_snapshot!(
        "apps_collab_mattermost_sessions",
        sessions("mattermost-official")
    );
}

/// Outline's .env.sample and development compose file: placeholders.
#[test]
fn outline_official() {
    insta::assert_snapshot!("apps_collab_outline_check", check("outline-official"));
    insta::assert_snapshot!("apps_collab_outline_sessions", sessions("outline-official"));
}

/// The LinuxServer.io compose example for BookStack and BookStack's sample
/// .env: an empty and a placeholder APP_KEY.
#[test]
fn bookstack_official() {
    insta::assert_snapshot!("apps_collab_bookstack_check", check("bookstack-official"));
    insta::assert_snapshot!(
        "apps_collab_bookstack_sessions",
        sessions("bookstack-official")
    );
}
