//! The official deployment files of more media apps with a profile (under
//! `fixtures/<app>-official/`, copied unchanged from the app's repository,
//! its image's repository or its documentation): the findings and the
//! session lifecycle of each, as a user sees them. Each finding was checked
//! by hand against the app's code.

#![allow(clippy::expect_used)]

mod common;

use common::{check_fixture as check, sessions_fixture as sessions};

/// Seerr's Docker guide: the config folder, with the cookie secret in
/// settings.json and the sessions in db.sqlite3, is mounted. Nothing to
/// report.
#[test]
fn seerr_official_check() {
    insta::assert_snapshot!(
        "apps_more_media_seerr_official_check",
        check("seerr-official")
    );
}

#[test]
fn seerr_official_sessions() {
    insta::assert_snapshot!(
        "apps_more_media_seerr_official_sessions",
        sessions("seerr-official")
    );
}

/// The LinuxServer.io Kavita README: `/config`, with the token key in
/// appsettings.json and kavita.db, is mounted. Nothing to report.
#[test]
fn kavita_official_check() {
    insta::assert_snapshot!(
        "apps_more_media_kavita_official_check",
        check("kavita-official")
    );
}

#[test]
fn kavita_official_sessions() {
    insta::assert_snapshot!(
        "apps_more_media_kavita_official_sessions",
        sessions("kavita-official")
    );
}

/// RomM's example compose file: the internal Valkey that keeps the
/// sessions is on a volume; the empty secret is left to fill in (RomM
/// stops without it). Nothing to report.
#[test]
fn romm_official_check() {
    insta::assert_snapshot!(
        "apps_more_media_romm_official_check",
        check("romm-official")
    );
}

#[test]
fn romm_official_sessions() {
    insta::assert_snapshot!(
        "apps_more_media_romm_official_sessions",
        sessions("romm-official")
    );
}

/// The LinuxServer.io Tautulli README: `/config`, with the JWT secret in
/// config.ini and the logins in tautulli.db, is mounted. Nothing to report.
#[test]
fn tautulli_official_check() {
    insta::assert_snapshot!(
        "apps_more_media_tautulli_official_check",
        check("tautulli-official")
    );
}

#[test]
fn tautulli_official_sessions() {
    insta::assert_snapshot!(
        "apps_more_media_tautulli_official_sessions",
        sessions("tautulli-official")
    );
}

/// The LinuxServer.io SABnzbd README: SABnzbd keeps its logins in memory
/// (a secret drawn at every start), which no setting changes. Nothing to
/// report, and no lifecycle a profile can describe yet.
#[test]
fn sabnzbd_official_check() {
    insta::assert_snapshot!(
        "apps_more_media_sabnzbd_official_check",
        check("sabnzbd-official")
    );
}

#[test]
fn sabnzbd_official_sessions() {
    insta::assert_snapshot!(
        "apps_more_media_sabnzbd_official_sessions",
        sessions("sabnzbd-official")
    );
}

/// Syncthing's Docker README: `/var/syncthing`, with the database that
/// keeps the GUI sessions, is mounted. Nothing to report.
#[test]
fn syncthing_official_check() {
    insta::assert_snapshot!(
        "apps_more_media_syncthing_official_check",
        check("syncthing-official")
    );
}

#[test]
fn syncthing_official_sessions() {
    insta::assert_snapshot!(
        "apps_more_media_syncthing_official_sessions",
        sessions("syncthing-official")
    );
}

/// The LinuxServer.io Transmission README: `USER` and `PASS` are left
/// empty (authentication off) and the web UI has no sessions. Nothing to
/// report.
#[test]
fn transmission_official_check() {
    insta::assert_snapshot!(
        "apps_more_media_transmission_official_check",
        check("transmission-official")
    );
}

#[test]
fn transmission_official_sessions() {
    insta::assert_snapshot!(
        "apps_more_media_transmission_official_sessions",
        sessions("transmission-official")
    );
}
