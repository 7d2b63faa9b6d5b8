//! The official deployment files of the CMS and office apps with a profile
//! (under `fixtures/<app>-official/`, copied unchanged from the app's
//! repository or documentation): the findings and the session lifecycle of
//! each, as a user sees them. Each finding was checked by hand against the
//! app's code.

#![allow(clippy::expect_used)]

mod common;

use common::{check_fixture as check, sessions_fixture as sessions};

/// WordPress's compose example: the database password `examplepass`; keys generated into the named volume.
#[test]
fn wordpress_official_check() {
    insta::assert_snapshot!(
        "apps_cms_wordpress_official_check",
        check("wordpress-official")
    );
}

#[test]
fn wordpress_official_sessions() {
    insta::assert_snapshot!(
        "apps_cms_wordpress_official_sessions",
        sessions("wordpress-official")
    );
}

/// Firefly III's compose file, database.env and .env.example: the sample's key, cron token and database password; missing env files.
#[test]
fn firefly_iii_official_check() {
    insta::assert_snapshot!(
        "apps_cms_firefly_iii_official_check",
        check("firefly-iii-official")
    );
}

#[test]
fn firefly_iii_official_sessions() {
    insta::assert_snapshot!(
        "apps_cms_firefly_iii_official_sessions",
        sessions("firefly-iii-official")
    );
}

/// The phpMyAdmin image's compose example: the 24-minute idle default.
#[test]
fn phpmyadmin_official_check() {
    insta::assert_snapshot!(
        "apps_cms_phpmyadmin_official_check",
        check("phpmyadmin-official")
    );
}

#[test]
fn phpmyadmin_official_sessions() {
    insta::assert_snapshot!(
        "apps_cms_phpmyadmin_official_sessions",
        sessions("phpmyadmin-official")
    );
}

/// Bitnami's Moodle compose example: the default administrator password.
#[test]
fn moodle_official_check() {
    insta::assert_snapshot!("apps_cms_moodle_official_check", check("moodle-official"));
}

#[test]
fn moodle_official_sessions() {
    insta::assert_snapshot!(
        "apps_cms_moodle_official_sessions",
        sessions("moodle-official")
    );
}

/// Ghost's compose example: placeholder database passwords.
#[test]
fn ghost_official_check() {
    insta::assert_snapshot!("apps_cms_ghost_official_check", check("ghost-official"));
}

#[test]
fn ghost_official_sessions() {
    insta::assert_snapshot!(
        "apps_cms_ghost_official_sessions",
        sessions("ghost-official")
    );
}

/// Wiki.js's example compose file: the sample's database password.
#[test]
fn wikijs_official_check() {
    insta::assert_snapshot!("apps_cms_wikijs_official_check", check("wikijs-official"));
}

#[test]
fn wikijs_official_sessions() {
    insta::assert_snapshot!(
        "apps_cms_wikijs_official_sessions",
        sessions("wikijs-official")
    );
}

/// Redmine's compose example: the documented SECRET_KEY_BASE and database passwords.
#[test]
fn redmine_official_check() {
    insta::assert_snapshot!("apps_cms_redmine_official_check", check("redmine-official"));
}

#[test]
fn redmine_official_sessions() {
    insta::assert_snapshot!(
        "apps_cms_redmine_official_sessions",
        sessions("redmine-official")
    );
}

/// Odoo's compose example: a uniform database password.
#[test]
fn odoo_official_check() {
    insta::assert_snapshot!("apps_cms_odoo_official_check", check("odoo-official"));
}

#[test]
fn odoo_official_sessions() {
    insta::assert_snapshot!("apps_cms_odoo_official_sessions", sessions("odoo-official"));
}
