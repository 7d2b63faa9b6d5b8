//! The official deployment files of apps that run several services from
//! one or a few images (under `fixtures/<app>-official/`, copied unchanged
//! from the app's repository or documentation): the findings and the
//! session lifecycle of each, as a user sees them. Each finding was checked
//! by hand against the app's code.

#![allow(clippy::expect_used)]

mod common;

use common::{check_fixture as check, sessions_fixture as sessions};

/// Appwrite's compose file and `.env`: the documented placeholder key and
/// passwords, and a Redis that evicts queued jobs.
#[test]
fn appwrite_official_check() {
    insta::assert_snapshot!(
        "apps_stacks_appwrite_official_check",
        check("appwrite-official")
    );
}

#[test]
fn appwrite_official_sessions() {
    insta::assert_snapshot!(
        "apps_stacks_appwrite_official_sessions",
        sessions("appwrite-official")
    );
}

/// Plane's self-hosting compose file and `variables.env`: the published
/// `SECRET_KEY` and `LIVE_SERVER_SECRET_KEY` fallbacks.
#[test]
fn plane_official_check() {
    insta::assert_snapshot!("apps_stacks_plane_official_check", check("plane-official"));
}

#[test]
fn plane_official_sessions() {
    insta::assert_snapshot!(
        "apps_stacks_plane_official_sessions",
        sessions("plane-official")
    );
}

/// Penpot's official compose file: the placeholder `PENPOT_SECRET_KEY`.
#[test]
fn penpot_official_check() {
    insta::assert_snapshot!(
        "apps_stacks_penpot_official_check",
        check("penpot-official")
    );
}

#[test]
fn penpot_official_sessions() {
    insta::assert_snapshot!(
        "apps_stacks_penpot_official_sessions",
        sessions("penpot-official")
    );
}

/// Maybe Finance's example compose file: the published `SECRET_KEY_BASE`
/// fallback.
#[test]
fn maybe_official_check() {
    insta::assert_snapshot!("apps_stacks_maybe_official_check", check("maybe-official"));
}

#[test]
fn maybe_official_sessions() {
    insta::assert_snapshot!(
        "apps_stacks_maybe_official_sessions",
        sessions("maybe-official")
    );
}

/// Sure's example compose file: the same published `SECRET_KEY_BASE`
/// fallback as Maybe Finance's.
#[test]
fn sure_official_check() {
    insta::assert_snapshot!("apps_stacks_sure_official_check", check("sure-official"));
}

#[test]
fn sure_official_sessions() {
    insta::assert_snapshot!(
        "apps_stacks_sure_official_sessions",
        sessions("sure-official")
    );
}

/// PhotoPrism's sample compose file: `insecure` as the admin and database
/// passwords; the logins are in MariaDB.
#[test]
fn photoprism_official_check() {
    insta::assert_snapshot!(
        "apps_stacks_photoprism_official_check",
        check("photoprism-official")
    );
}

#[test]
fn photoprism_official_sessions() {
    insta::assert_snapshot!(
        "apps_stacks_photoprism_official_sessions",
        sessions("photoprism-official")
    );
}

/// Docmost's official compose file: the `APP_SECRET` placeholder, which
/// Docmost refuses at start (a note).
#[test]
fn docmost_official_check() {
    insta::assert_snapshot!(
        "apps_stacks_docmost_official_check",
        check("docmost-official")
    );
}

#[test]
fn docmost_official_sessions() {
    insta::assert_snapshot!(
        "apps_stacks_docmost_official_sessions",
        sessions("docmost-official")
    );
}

/// Reactive Resume 4's simple compose example: the example's token secrets
/// and MinIO's default password.
#[test]
fn reactive_resume_official_check() {
    insta::assert_snapshot!(
        "apps_stacks_reactive_resume_official_check",
        check("reactive-resume-official")
    );
}

#[test]
fn reactive_resume_official_sessions() {
    insta::assert_snapshot!(
        "apps_stacks_reactive_resume_official_sessions",
        sessions("reactive-resume-official")
    );
}

/// Twenty's official compose file: the published `APP_SECRET` fallback for
/// the server and the worker.
#[test]
fn twenty_official_check() {
    insta::assert_snapshot!(
        "apps_stacks_twenty_official_check",
        check("twenty-official")
    );
}

#[test]
fn twenty_official_sessions() {
    insta::assert_snapshot!(
        "apps_stacks_twenty_official_sessions",
        sessions("twenty-official")
    );
}

/// MediaCMS's official compose file: the generated secret key is on the
/// bind-mounted project directory. Nothing to report.
#[test]
fn mediacms_official_check() {
    insta::assert_snapshot!(
        "apps_stacks_mediacms_official_check",
        check("mediacms-official")
    );
}

#[test]
fn mediacms_official_sessions() {
    insta::assert_snapshot!(
        "apps_stacks_mediacms_official_sessions",
        sessions("mediacms-official")
    );
}

/// LibrePhotos's official compose file: an empty `SECRET_KEY`, so the
/// backend generates one into the mounted `/logs`. Nothing to report.
#[test]
fn librephotos_official_check() {
    insta::assert_snapshot!(
        "apps_stacks_librephotos_official_check",
        check("librephotos-official")
    );
}

#[test]
fn librephotos_official_sessions() {
    insta::assert_snapshot!(
        "apps_stacks_librephotos_official_sessions",
        sessions("librephotos-official")
    );
}

/// GitLab's Docker install guide: configuration and data on host folders.
/// Nothing to report.
#[test]
fn gitlab_official_check() {
    insta::assert_snapshot!(
        "apps_stacks_gitlab_official_check",
        check("gitlab-official")
    );
}

#[test]
fn gitlab_official_sessions() {
    insta::assert_snapshot!(
        "apps_stacks_gitlab_official_sessions",
        sessions("gitlab-official")
    );
}
