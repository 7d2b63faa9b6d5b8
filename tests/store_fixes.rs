//! Findings on app-store files (`../shared/corpus-apps`) judged false in
//! `review/verdicts-corpus-apps.md`, each on a file copied unchanged into
//! `fixtures/store-*` (fixtures/README.md cites the source), with the
//! true findings of the same file that must stay.

#![allow(clippy::expect_used, clippy::indexing_slicing)]

mod common;

/// `(rule, line, message)` of each finding of `check --format json` on a
/// fixture.
fn findings(fixture: &str) -> Vec<(String, u64, String)> {
    let out = common::run_on_fixture(&["check", "--no-config", "--format", "json"], fixture);
    common::rule_line_message(&out)
}

fn mentions(got: &[(String, u64, String)], key: &str) -> bool {
    got.iter().any(|(_, _, m)| m.contains(&format!("`{key}`")))
}

/// Convex's `run_backend.sh` generates `INSTANCE_SECRET` when it is empty
/// and keeps it on the data volume: an empty fallback of a key that only
/// its name marks as a secret says nothing about its strength.
#[test]
fn empty_secret_known_by_name_only_is_not_reported() {
    let got = findings("store-dokploy-convex");
    assert!(!mentions(&got, "INSTANCE_SECRET"), "{got:?}");
}

/// DataLens with `RQE_FORCE_OFF: 1` never reads `RQE_SECRET_KEY: ""`;
/// the Postgres password `us` in the same file is still weak.
#[test]
fn empty_literal_secret_known_by_name_only_is_not_reported() {
    let got = findings("store-dokploy-datalens");
    assert!(!mentions(&got, "RQE_SECRET_KEY"), "{got:?}");
    assert!(
        got.iter()
            .any(|(r, l, m)| r == "weak-secret" && *l == 52 && m.contains("`POSTGRES_PASSWORD`")),
        "{got:?}"
    );
}

/// `${APP_LIDARR_SABNZBD_API_KEY:-""}`: SABnzbd's key, which Umbrel's
/// `exports.sh` exports when SABnzbd is installed; the `""` fallback is
/// the author's "no key", not a weak one.
#[test]
fn pair_of_quotes_for_a_credential_is_no_value() {
    let got = findings("store-umbrel-lidarr");
    assert!(!mentions(&got, "SABNZBD_API_KEY"), "{got:?}");
}

/// CasaOS's RomM: `- IGDB_CLIENT_SECRET=""` and the other provider
/// credentials are left for the user to fill in; `- ROMM_AUTH_SECRET_KEY=""`
/// gives RomM the two characters `""` as its signing key (the list form
/// keeps quotes), and the `casaos` database passwords stay weak.
#[test]
fn pair_of_quotes_is_reported_for_a_signing_key_only() {
    let got = findings("store-casaos-romm");
    for key in [
        "IGDB_CLIENT_SECRET",
        "SCREENSCRAPER_PASSWORD",
        "STEAMGRIDDB_API_KEY",
    ] {
        assert!(!mentions(&got, key), "{key}: {got:?}");
    }
    let signing: Vec<_> = got
        .iter()
        .filter(|(_, _, m)| m.contains("`ROMM_AUTH_SECRET_KEY`"))
        .collect();
    assert_eq!(signing.len(), 1, "{got:?}");
    assert!(signing[0].2.contains("a pair of quotes"), "{got:?}");
    for line in [19, 319, 322] {
        assert!(
            got.iter().any(|(r, l, _)| r == "weak-secret" && *l == line),
            "line {line}: {got:?}"
        );
    }
}

/// Passky's `LIMITER_SAVE_PASSWORD: 2` is a rate limit (saves of a
/// password per period), not a password.
#[test]
fn rate_limits_named_after_passwords_are_no_secrets() {
    let got = findings("store-umbrel-passky");
    assert!(
        !got.iter().any(|(_, _, m)| m.contains("`LIMITER_")),
        "{got:?}"
    );
}

/// Dokploy writes the project's `.env` from `template.toml` when it
/// deploys: `DL_PG_PASSWORD` is set there to `${password:32}`, a password
/// Dokploy generates, so the compose fallback `changeme2420` is never used.
#[test]
fn dokploy_template_sets_the_variables_a_fallback_names() {
    let got = findings("store-dokploy-domain-locker");
    assert!(got.is_empty(), "{got:?}");
}

/// The values a Dokploy template writes itself are what it deploys: its
/// `session_secret` and `basic_auth_password` variables are placeholders,
/// reported where they are written.
#[test]
fn dokploy_template_values_are_checked_where_written() {
    let got = findings("store-dokploy-ollama-chat-tone");
    assert!(
        got.iter()
            .any(|(r, l, m)| r == "weak-secret" && *l == 3 && m.contains("`SESSION_SECRET`")),
        "{got:?}"
    );
    assert!(
        got.iter()
            .any(|(r, l, m)| r == "weak-secret" && *l == 8 && m.contains("`BASIC_AUTH_PASSWORD`")),
        "{got:?}"
    );
}

/// Dokploy's reader accepts `mounts = []` before `[[config.mounts]]`
/// (a key twice, against the TOML specification), and its store ships
/// such templates: the template is read, and no error is reported.
#[test]
fn dokploy_template_read_as_leniently_as_dokploy_does() {
    let got = findings("store-dokploy-timescaledb");
    assert!(got.is_empty(), "{got:?}");
    let out = common::run_on_fixture(
        &["sessions", "--no-config", "--format", "json"],
        "store-dokploy-timescaledb",
    );
    assert!(!out.contains("invalid Dokploy template"), "{out}");
}

/// Credentials another service issues, left for the user to fill in (an
/// OpenAI key `sk-xxxx…` in Umbrel's LlamaGPT), are not weak secrets.
#[test]
fn issued_credentials_left_to_fill_are_not_weak() {
    let got = findings("store-umbrel-llama-gpt");
    assert!(!mentions(&got, "OPENAI_API_KEY"), "{got:?}");
}

/// Cloud Commander bind-mounts the host's `/`: that mounts the host, not
/// the files of this repository, so a `php.ini` elsewhere in the linted
/// tree does not make the Node app PHP.
#[test]
fn a_mount_of_the_hosts_root_takes_no_config_file_of_the_tree() {
    let out = common::run_on_fixture(
        &[
            "check",
            "--no-config",
            "--format",
            "json",
            "fixtures/store-dokploy-cloudcommander",
        ],
        "php-fpm",
    );
    let v: serde_json::Value = serde_json::from_str(&out).expect("json");
    let on_cloudcmd: Vec<&serde_json::Value> = v["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter(|f| {
            f["location"]["path"]
                .as_str()
                .is_some_and(|p| p.contains("cloudcommander"))
        })
        .collect();
    assert!(on_cloudcmd.is_empty(), "{on_cloudcmd:?}");
}

/// A `php.ini` that no service mounts and that sets no session setting
/// (runtipi's Invoice Ninja, a Laravel app whose sessions PHP's own
/// lifetime does not govern) says nothing of PHP sessions: PHP's 24-minute
/// default is not reported on it.
#[test]
fn a_lone_config_file_without_session_settings_reports_no_default() {
    let got = findings("store-runtipi-invoice-ninja");
    assert!(got.is_empty(), "{got:?}");
}
