//! Official deployment files of collaboration apps (Nextcloud, Mattermost,
//! Outline, BookStack) under `fixtures/<app>-official/`: what `check`
//! reports there, and the `sessions` view.

#![allow(clippy::expect_used)]

use assert_cmd::Command;

fn run(args: &[&str], fixture: &str) -> String {
    let out = Command::cargo_bin("sessionlint")
        .expect("binary")
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args(args)
        .arg(format!("fixtures/{fixture}"))
        .output()
        .expect("runs");
    String::from_utf8(out.stdout).expect("utf-8")
}

fn check(fixture: &str) -> String {
    run(&["check", "--no-config", "--color", "never"], fixture)
}

fn sessions(fixture: &str) -> String {
    run(&["sessions", "--no-config"], fixture)
}

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
