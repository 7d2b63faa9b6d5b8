//! `sessionlint sessions`: the session lifecycle per service, on fixture
//! repositories. Each verdict below was checked by hand against the
//! fixture's files: the binding limit and the line that sets it.

#![allow(
    clippy::expect_used,
    clippy::unwrap_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use assert_cmd::Command;

fn sessionlint() -> Command {
    let mut c = Command::cargo_bin("sessionlint").expect("binary");
    c.current_dir(env!("CARGO_MANIFEST_DIR"));
    c
}

fn text(fixture: &str) -> String {
    let out = sessionlint()
        .args(["sessions", "--no-config", &format!("fixtures/{fixture}")])
        .output()
        .expect("runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("utf-8")
}

fn json(args: &[&str]) -> serde_json::Value {
    let out = sessionlint()
        .args(["sessions", "--no-config", "--format", "json"])
        .args(args)
        .output()
        .expect("runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("valid JSON")
}

/// The verdict of `case` for `service`: (text, location).
fn verdict(doc: &serde_json::Value, service: &str, case: &str) -> (String, String) {
    let svc = doc["services"]
        .as_array()
        .expect("services")
        .iter()
        .find(|s| s["service"] == service)
        .unwrap_or_else(|| panic!("no service {service}: {doc:#}"));
    let v = svc["verdicts"]
        .as_array()
        .expect("verdicts")
        .iter()
        .find(|v| v["case"] == case)
        .unwrap_or_else(|| panic!("no {case} verdict for {service}: {svc:#}"));
    (
        v["text"].as_str().unwrap_or("").to_string(),
        v["location"].as_str().unwrap_or("").to_string(),
    )
}

/// Assert that the `case` verdict of `service` says each of `needles` and
/// points at `at` (when given).
fn expect(doc: &serde_json::Value, service: &str, case: &str, needles: &[&str], at: Option<&str>) {
    let (t, loc) = verdict(doc, service, case);
    for n in needles {
        assert!(
            t.contains(n),
            "{case} verdict of {service} lacks `{n}`: {t}"
        );
    }
    if let Some(at) = at {
        assert_eq!(loc, at, "{case} verdict of {service}: {t}");
    }
}

/// compose + .env + nginx: Laravel's SESSION_LIFETIME (minutes) decides
/// idle logouts; three replicas behind a round-robin upstream with file
/// sessions log users out at random.
#[test]
fn nginx_shop() {
    insta::assert_snapshot!("sessions_nginx_shop", text("nginx-shop"));
    let doc = json(&["fixtures/nginx-shop"]);
    expect(
        &doc,
        "app",
        "idle",
        &["after 2 hours", "SESSION_LIFETIME = 120 minutes"],
        Some("fixtures/nginx-shop/.env:4"),
    );
    expect(
        &doc,
        "app",
        "replicas",
        &["random logouts: 3 replicas"],
        Some("fixtures/nginx-shop/.env:3"),
    );
}

/// Kubernetes with Ingress affinity: the 8-hour SESSION_TIMEOUT from the
/// ConfigMap bounds every login; in-memory sessions die with their pod.
#[test]
fn k8s_portal() {
    insta::assert_snapshot!("sessions_k8s_portal", text("k8s-portal"));
    let doc = json(&["fixtures/k8s-portal"]);
    expect(
        &doc,
        "portal",
        "active",
        &["after 8 hours"],
        Some("fixtures/k8s-portal/config.yaml:9"),
    );
    expect(
        &doc,
        "portal",
        "replicas",
        &["when their replica restarts"],
        None,
    );
}

/// n8n: the JWT lasts N8N_USER_MANAGEMENT_JWT_DURATION_HOURS (168 h).
#[test]
fn n8n_queue() {
    insta::assert_snapshot!("sessions_n8n_queue", text("n8n-queue"));
    let doc = json(&["fixtures/n8n-queue", "--service", "n8n"]);
    assert_eq!(doc["services"].as_array().expect("services").len(), 1);
    expect(
        &doc,
        "n8n",
        "active",
        &["after 7 days"],
        Some("fixtures/n8n-queue/docker-compose.yml:22"),
    );
}

/// php-fpm: session.gc_maxlifetime (300 s) in the mounted ini decides.
#[test]
fn php_fpm() {
    insta::assert_snapshot!("sessions_php_fpm", text("php-fpm"));
    let doc = json(&["fixtures/php-fpm"]);
    expect(
        &doc,
        "shop",
        "idle",
        &["after 5 minutes", "session.gc_maxlifetime = 300 seconds"],
        Some("fixtures/php-fpm/php/conf.d/sessions.ini:5"),
    );
    expect(
        &doc,
        "shop",
        "replicas",
        &[],
        Some("fixtures/php-fpm/php/conf.d/sessions.ini:3"),
    );
}

/// Grafana: the idle lifetime is not longer than the token rotation, so
/// active users are logged out after it too.
#[test]
fn grafana_active_users() {
    let doc = json(&["fixtures/grafana"]);
    expect(
        &doc,
        "grafana",
        "active",
        &["after 10 minutes", "token refresh"],
        Some("fixtures/grafana/grafana/grafana.ini:6"),
    );
}

/// Values the repository does not give are unknown, never guessed.
#[test]
fn unknown_values_are_shown_as_unknown() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(
        dir.path().join("compose.yaml"),
        "services:\n  shop:\n    build: .\n    environment:\n      SESSION_DRIVER: ${DRIVER}\n      SESSION_LIFETIME: ${LIFETIME}\n    deploy:\n      replicas: 2\n",
    )
    .expect("write");
    let doc = json(&[dir.path().to_str().expect("utf-8")]);
    expect(&doc, "shop", "idle", &["unknown", "SESSION_LIFETIME"], None);
    expect(&doc, "shop", "replicas", &["unknown"], None);
    let figures = doc.to_string();
    assert!(figures.contains("\"value\":\"unknown\""), "{figures}");
}

#[test]
fn an_unknown_service_is_an_error() {
    sessionlint()
        .args([
            "sessions",
            "--no-config",
            "--service",
            "nope",
            "fixtures/php-fpm",
        ])
        .assert()
        .code(2);
}

/// compose + .env + nginx + redis: sessions in a Redis that evicts and
/// keeps nothing on disk; the restart verdict points at its command line.
#[test]
fn laravel_redis() {
    insta::assert_snapshot!("sessions_laravel_redis", text("laravel-redis"));
    let doc = json(&["fixtures/laravel-redis"]);
    expect(
        &doc,
        "app",
        "restart",
        &["Redis `redis` restarts", "evicts"],
        Some("fixtures/laravel-redis/compose.yaml:11"),
    );
    expect(
        &doc,
        "app",
        "idle",
        &[],
        Some("fixtures/laravel-redis/.env:3"),
    );
}
