//! The official deployment files of self-hosted tools with a profile
//! (under `fixtures/<app>-official/`, copied unchanged from the app's
//! repository or documentation): the findings and the session lifecycle of
//! each, as a user sees them. Each finding was checked by hand against the
//! app's code.

#![allow(clippy::expect_used)]

mod common;

use common::{check_fixture as check, sessions_fixture as sessions};

/// Open WebUI's compose file: the data directory is on a volume, but the
/// key that signs logins is generated beside it, in `/app/backend`.
#[test]
fn open_webui_official_check() {
    insta::assert_snapshot!(
        "apps_tools_open_webui_official_check",
        check("open-webui-official")
    );
}

#[test]
fn open_webui_official_sessions() {
    insta::assert_snapshot!(
        "apps_tools_open_webui_official_sessions",
        sessions("open-webui-official")
    );
}

/// Dokploy's AdGuard Home template (AdGuard Home ships no compose file):
/// the working directory, where the sessions database is, is on a volume.
#[test]
fn adguardhome_dokploy_check() {
    insta::assert_snapshot!(
        "apps_tools_adguardhome_dokploy_check",
        check("adguardhome-dokploy")
    );
}

#[test]
fn adguardhome_dokploy_sessions() {
    insta::assert_snapshot!(
        "apps_tools_adguardhome_dokploy_sessions",
        sessions("adguardhome-dokploy")
    );
}

/// docker-pi-hole's README compose example: the README's own password.
#[test]
fn pihole_official_check() {
    insta::assert_snapshot!("apps_tools_pihole_official_check", check("pihole-official"));
}

#[test]
fn pihole_official_sessions() {
    insta::assert_snapshot!(
        "apps_tools_pihole_official_sessions",
        sessions("pihole-official")
    );
}

/// File Browser's compose file: no volume on `/database`, where the key
/// that signs logins is.
#[test]
fn filebrowser_official_check() {
    insta::assert_snapshot!(
        "apps_tools_filebrowser_official_check",
        check("filebrowser-official")
    );
}

#[test]
fn filebrowser_official_sessions() {
    insta::assert_snapshot!(
        "apps_tools_filebrowser_official_sessions",
        sessions("filebrowser-official")
    );
}

/// docker-homebridge's README compose example: the storage directory on a
/// bind mount.
#[test]
fn homebridge_official_check() {
    insta::assert_snapshot!(
        "apps_tools_homebridge_official_check",
        check("homebridge-official")
    );
}

#[test]
fn homebridge_official_sessions() {
    insta::assert_snapshot!(
        "apps_tools_homebridge_official_sessions",
        sessions("homebridge-official")
    );
}

/// node-red-docker's README compose example: `/data` on a bind mount.
#[test]
fn node_red_official_check() {
    insta::assert_snapshot!(
        "apps_tools_node_red_official_check",
        check("node-red-official")
    );
}

#[test]
fn node_red_official_sessions() {
    insta::assert_snapshot!(
        "apps_tools_node_red_official_sessions",
        sessions("node-red-official")
    );
}

/// Memos's compose file: the data directory on a bind mount.
#[test]
fn memos_official_check() {
    insta::assert_snapshot!("apps_tools_memos_official_check", check("memos-official"));
}

#[test]
fn memos_official_sessions() {
    insta::assert_snapshot!(
        "apps_tools_memos_official_sessions",
        sessions("memos-official")
    );
}

/// The original Trilium's compose file: the data directory on a bind
/// mount.
#[test]
fn trilium_official_check() {
    insta::assert_snapshot!(
        "apps_tools_trilium_official_check",
        check("trilium-official")
    );
}

#[test]
fn trilium_official_sessions() {
    insta::assert_snapshot!(
        "apps_tools_trilium_official_sessions",
        sessions("trilium-official")
    );
}

/// Etherpad's compose file: `admin` fallbacks for the admin and database
/// passwords.
#[test]
fn etherpad_official_check() {
    insta::assert_snapshot!(
        "apps_tools_etherpad_official_check",
        check("etherpad-official")
    );
}

#[test]
fn etherpad_official_sessions() {
    insta::assert_snapshot!(
        "apps_tools_etherpad_official_sessions",
        sessions("etherpad-official")
    );
}

/// ArchiveBox's compose file: `/data` on a bind mount.
#[test]
fn archivebox_official_check() {
    insta::assert_snapshot!(
        "apps_tools_archivebox_official_check",
        check("archivebox-official")
    );
}

#[test]
fn archivebox_official_sessions() {
    insta::assert_snapshot!(
        "apps_tools_archivebox_official_sessions",
        sessions("archivebox-official")
    );
}

/// wg-easy's compose file: `/etc/wireguard` on a volume.
#[test]
fn wg_easy_official_check() {
    insta::assert_snapshot!(
        "apps_tools_wg_easy_official_check",
        check("wg-easy-official")
    );
}

#[test]
fn wg_easy_official_sessions() {
    insta::assert_snapshot!(
        "apps_tools_wg_easy_official_sessions",
        sessions("wg-easy-official")
    );
}

/// autobrr's README compose example: `/config` on a bind mount.
#[test]
fn autobrr_official_check() {
    insta::assert_snapshot!(
        "apps_tools_autobrr_official_check",
        check("autobrr-official")
    );
}

#[test]
fn autobrr_official_sessions() {
    insta::assert_snapshot!(
        "apps_tools_autobrr_official_sessions",
        sessions("autobrr-official")
    );
}
