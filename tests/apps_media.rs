//! The official deployment files of media apps with a profile (under
//! `fixtures/<app>-official/`, copied unchanged from the app's repository,
//! its image's repository or its documentation): the findings and the
//! session lifecycle of each, as a user sees them. Each finding was checked
//! by hand against the app's code.

#![allow(clippy::expect_used)]

mod common;

use common::{check_fixture as check, sessions_fixture as sessions};

/// The LinuxServer.io Sonarr image's compose sample: `/config`, where the
/// keys that encrypt the login cookie are created, is mounted. Nothing to
/// report.
#[test]
fn sonarr_official_check() {
    insta::assert_snapshot!("apps_media_sonarr_official_check", check("sonarr-official"));
}

#[test]
fn sonarr_official_sessions() {
    insta::assert_snapshot!(
        "apps_media_sonarr_official_sessions",
        sessions("sonarr-official")
    );
}

/// The LinuxServer.io Radarr image's compose sample: `/config`, where the
/// keys that encrypt the login cookie are created, is mounted. Nothing to
/// report.
#[test]
fn radarr_official_check() {
    insta::assert_snapshot!("apps_media_radarr_official_check", check("radarr-official"));
}

#[test]
fn radarr_official_sessions() {
    insta::assert_snapshot!(
        "apps_media_radarr_official_sessions",
        sessions("radarr-official")
    );
}

/// The LinuxServer.io Lidarr image's compose sample: `/config`, where the
/// keys that encrypt the login cookie are created, is mounted. Nothing to
/// report.
#[test]
fn lidarr_official_check() {
    insta::assert_snapshot!("apps_media_lidarr_official_check", check("lidarr-official"));
}

#[test]
fn lidarr_official_sessions() {
    insta::assert_snapshot!(
        "apps_media_lidarr_official_sessions",
        sessions("lidarr-official")
    );
}

/// The LinuxServer.io Readarr image's compose sample: `/config`, where the
/// keys that encrypt the login cookie are created, is mounted. Nothing to
/// report.
#[test]
fn readarr_official_check() {
    insta::assert_snapshot!(
        "apps_media_readarr_official_check",
        check("readarr-official")
    );
}

#[test]
fn readarr_official_sessions() {
    insta::assert_snapshot!(
        "apps_media_readarr_official_sessions",
        sessions("readarr-official")
    );
}

/// The LinuxServer.io Prowlarr image's compose sample: `/config`, where the
/// keys that encrypt the login cookie are created, is mounted. Nothing to
/// report.
#[test]
fn prowlarr_official_check() {
    insta::assert_snapshot!(
        "apps_media_prowlarr_official_check",
        check("prowlarr-official")
    );
}

#[test]
fn prowlarr_official_sessions() {
    insta::assert_snapshot!(
        "apps_media_prowlarr_official_sessions",
        sessions("prowlarr-official")
    );
}

/// Jellyfin's container guide: `/config`, with the database that keeps
/// the login tokens, is mounted. Nothing to report.
#[test]
fn jellyfin_official_check() {
    insta::assert_snapshot!(
        "apps_media_jellyfin_official_check",
        check("jellyfin-official")
    );
}

#[test]
fn jellyfin_official_sessions() {
    insta::assert_snapshot!(
        "apps_media_jellyfin_official_sessions",
        sessions("jellyfin-official")
    );
}

/// Audiobookshelf's example compose file: `/config`, with the sessions
/// and the generated signing secret, is mounted; 30-day refresh tokens.
#[test]
fn audiobookshelf_official_check() {
    insta::assert_snapshot!(
        "apps_media_audiobookshelf_official_check",
        check("audiobookshelf-official")
    );
}

#[test]
fn audiobookshelf_official_sessions() {
    insta::assert_snapshot!(
        "apps_media_audiobookshelf_official_sessions",
        sessions("audiobookshelf-official")
    );
}

/// Navidrome's example compose file: a named volume on `/data`; the
/// 48-hour default `ND_SESSIONTIMEOUT`.
#[test]
fn navidrome_official_check() {
    insta::assert_snapshot!(
        "apps_media_navidrome_official_check",
        check("navidrome-official")
    );
}

#[test]
fn navidrome_official_sessions() {
    insta::assert_snapshot!(
        "apps_media_navidrome_official_sessions",
        sessions("navidrome-official")
    );
}

/// The LinuxServer.io Calibre-Web image's compose sample: `/config`, with
/// app.db's sessions and generated signing key, is mounted.
#[test]
fn calibre_web_official_check() {
    insta::assert_snapshot!(
        "apps_media_calibre_web_official_check",
        check("calibre-web-official")
    );
}

#[test]
fn calibre_web_official_sessions() {
    insta::assert_snapshot!(
        "apps_media_calibre_web_official_sessions",
        sessions("calibre-web-official")
    );
}

/// The LinuxServer.io qBittorrent image's compose sample: the defaults of
/// the Web UI session (an hour without a request) and its Secure cookie.
#[test]
fn qbittorrent_official_check() {
    insta::assert_snapshot!(
        "apps_media_qbittorrent_official_check",
        check("qbittorrent-official")
    );
}

#[test]
fn qbittorrent_official_sessions() {
    insta::assert_snapshot!(
        "apps_media_qbittorrent_official_sessions",
        sessions("qbittorrent-official")
    );
}

/// The LinuxServer.io Bazarr image's compose sample: `/config`, with the
/// generated `flask_secret_key` in config.yaml, is mounted.
#[test]
fn bazarr_official_check() {
    insta::assert_snapshot!("apps_media_bazarr_official_check", check("bazarr-official"));
}

#[test]
fn bazarr_official_sessions() {
    insta::assert_snapshot!(
        "apps_media_bazarr_official_sessions",
        sessions("bazarr-official")
    );
}

/// The LinuxServer.io Jackett image's compose sample: `/config`, with the
/// Data Protection keys in `/config/Jackett/DataProtection`, is mounted.
#[test]
fn jackett_official_check() {
    insta::assert_snapshot!(
        "apps_media_jackett_official_check",
        check("jackett-official")
    );
}

#[test]
fn jackett_official_sessions() {
    insta::assert_snapshot!(
        "apps_media_jackett_official_sessions",
        sessions("jackett-official")
    );
}
