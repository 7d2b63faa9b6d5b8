//! The official deployment files of self-hosted home and productivity
//! apps with a profile (under `fixtures/<app>-official/`, copied unchanged
//! from the app's repository or documentation): the findings and the
//! session lifecycle of each, as a user sees them. Each finding was checked
//! by hand against the app's code.

#![allow(clippy::expect_used)]

mod common;

use common::{check_fixture as check, sessions_fixture as sessions};

/// Mealie's SQLite compose file: the data directory, where the key that
/// signs logins is generated, is on a volume.
#[test]
fn mealie_official_check() {
    insta::assert_snapshot!("apps_home_mealie_official_check", check("mealie-official"));
}

#[test]
fn mealie_official_sessions() {
    insta::assert_snapshot!(
        "apps_home_mealie_official_sessions",
        sessions("mealie-official")
    );
}

/// Vikunja's documentation compose example: PostgreSQL holds the sessions;
/// the `changeme` passwords and the placeholder secret are found.
#[test]
fn vikunja_official_check() {
    insta::assert_snapshot!(
        "apps_home_vikunja_official_check",
        check("vikunja-official")
    );
}

#[test]
fn vikunja_official_sessions() {
    insta::assert_snapshot!(
        "apps_home_vikunja_official_sessions",
        sessions("vikunja-official")
    );
}

/// HedgeDoc's official compose file: sessions in PostgreSQL, no session
/// secret (a new one at each start).
#[test]
fn hedgedoc_official_check() {
    insta::assert_snapshot!(
        "apps_home_hedgedoc_official_check",
        check("hedgedoc-official")
    );
}

#[test]
fn hedgedoc_official_sessions() {
    insta::assert_snapshot!(
        "apps_home_hedgedoc_official_sessions",
        sessions("hedgedoc-official")
    );
}

/// Homarr's compose file: `/appdata`, with the sessions database, on a
/// bind mount; the key is the documentation's placeholder.
#[test]
fn homarr_official_check() {
    insta::assert_snapshot!("apps_home_homarr_official_check", check("homarr-official"));
}

#[test]
fn homarr_official_sessions() {
    insta::assert_snapshot!(
        "apps_home_homarr_official_sessions",
        sessions("homarr-official")
    );
}

/// NocoDB's quickstart compose file: the meta database, where the
/// generated signing key is kept, in PostgreSQL.
#[test]
fn nocodb_official_check() {
    insta::assert_snapshot!("apps_home_nocodb_official_check", check("nocodb-official"));
}

#[test]
fn nocodb_official_sessions() {
    insta::assert_snapshot!(
        "apps_home_nocodb_official_sessions",
        sessions("nocodb-official")
    );
}

/// ntfy's compose file: no auth file, so no logins to keep.
#[test]
fn ntfy_official_check() {
    insta::assert_snapshot!("apps_home_ntfy_official_check", check("ntfy-official"));
}

#[test]
fn ntfy_official_sessions() {
    insta::assert_snapshot!(
        "apps_home_ntfy_official_sessions",
        sessions("ntfy-official")
    );
}

/// Kimai's documentation compose file: the generated APP_SECRET on no
/// volume, `changemeplease` passwords.
#[test]
fn kimai_official_check() {
    insta::assert_snapshot!("apps_home_kimai_official_check", check("kimai-official"));
}

#[test]
fn kimai_official_sessions() {
    insta::assert_snapshot!(
        "apps_home_kimai_official_sessions",
        sessions("kimai-official")
    );
}

/// Actual's compose file: `/data`, with the login tokens, on a bind mount.
#[test]
fn actual_official_check() {
    insta::assert_snapshot!("apps_home_actual_official_check", check("actual-official"));
}

#[test]
fn actual_official_sessions() {
    insta::assert_snapshot!(
        "apps_home_actual_official_sessions",
        sessions("actual-official")
    );
}
