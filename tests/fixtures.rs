//! Realistic multi-file repositories under `fixtures/`: the findings of
//! each, as a user sees them.

#![allow(clippy::expect_used)]

use assert_cmd::Command;

fn check(fixture: &str) -> String {
    let out = Command::cargo_bin("sessionlint")
        .expect("binary")
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args(["check", "--color", "never"])
        .arg(format!("fixtures/{fixture}"))
        .output()
        .expect("runs");
    String::from_utf8(out.stdout).expect("utf-8")
}

/// n8n in queue mode done right: nothing to report.
#[test]
fn n8n_queue() {
    // only the note that port 5678 is the way in, over plain HTTP, while
    // n8n's cookie is Secure
    let out = check("n8n-queue");
    assert!(
        out.starts_with("note[secure-cookie-over-http]")
            && out
                .trim_end()
                .ends_with("1 finding (0 errors, 0 warnings, 1 note) in 2 files"),
        "{out}"
    );
}

/// 4 replicas with sessions in memory (from a compose fallback), a max-age
/// in milliseconds that was meant as seconds, and a Redis that evicts.
#[test]
fn node_replicas() {
    insta::assert_snapshot!("node_replicas", check("node-replicas"));
}

/// Weak secrets from env_file, the project .env, compose fallbacks and
/// literals; notes in the example file.
#[test]
fn secrets() {
    insta::assert_snapshot!("secrets", check("secrets"));
}

/// A Kubernetes app: Deployment, ConfigMap, Secret, Service and Ingress in
/// separate files.
#[test]
fn k8s_portal() {
    insta::assert_snapshot!("k8s_portal", check("k8s-portal"));
}

/// A Helm chart whose values run n8n with 2 replicas.
#[test]
fn n8n_chart() {
    insta::assert_snapshot!("n8n_chart", check("n8n-chart"));
}

/// php-fpm with 3 replicas and a mounted php.ini, behind Traefik with TLS.
#[test]
fn php_fpm() {
    insta::assert_snapshot!("php_fpm", check("php-fpm"));
}

/// Grafana with grafana.ini mounted and GF_ variables on top.
#[test]
fn grafana() {
    insta::assert_snapshot!("grafana", check("grafana"));
}

/// A Spring Boot service: application.properties and a Deployment.
#[test]
fn spring_k8s() {
    insta::assert_snapshot!("spring_k8s", check("spring-k8s"));
}

/// Gitea as a StatefulSet with 2 replicas, in-memory sessions, and the
/// installer skipped without a secret key.
#[test]
fn gitea_k8s() {
    insta::assert_snapshot!("gitea_k8s", check("gitea-k8s"));
}

/// Three Laravel replicas with file sessions behind an nginx upstream
/// (round-robin) that terminates TLS and injects cookie flags.
#[test]
fn nginx_shop() {
    insta::assert_snapshot!("nginx_shop", check("nginx-shop"));
}

/// A Node app behind HAProxy: sticky cookie without `secure` on a TLS
/// frontend, in-memory sessions that die with each replica.
#[test]
fn haproxy_app() {
    insta::assert_snapshot!("haproxy_app", check("haproxy-app"));
}

/// Django behind Traefik (TLS by cert resolver): the startproject key,
/// Secure off, a 15-minute session.
#[test]
fn django_traefik() {
    insta::assert_snapshot!("django_traefik", check("django-traefik"));
}

/// Flask with the development secret and SameSite=None without Secure.
#[test]
fn flask_app() {
    insta::assert_snapshot!("flask_app", check("flask-app"));
}

/// Keycloak `start-dev` in two replicas behind round-robin nginx.
#[test]
fn keycloak_dev() {
    insta::assert_snapshot!("keycloak_dev", check("keycloak-dev"));
}

/// Airflow's anchor-shared environment: an empty Fernet key and a shipped
/// webserver secret, reported once for both services.
#[test]
fn airflow() {
    insta::assert_snapshot!("airflow", check("airflow"));
}

/// Superset with the key of its sample configuration.
#[test]
fn superset() {
    insta::assert_snapshot!("superset", check("superset"));
}

/// Laravel with sessions in a Redis that evicts and keeps nothing on disk.
#[test]
fn laravel_redis() {
    insta::assert_snapshot!("laravel_redis", check("laravel-redis"));
}

/// Config files from ConfigMap volumes: a `php.ini` mounted into two
/// containers (its syntax error reported once, at its line in the
/// ConfigMap) and a Spring `application.yml` renamed through `items`, which
/// also tells that the container runs Spring Boot.
#[test]
fn configmap_mounts() {
    insta::assert_snapshot!("configmap_mounts", check("configmap-mounts"));
}

/// Gitea behind a Traefik IngressRoute (CRD) whose sticky cookie has
/// SameSite=None without Secure and lasts a minute.
#[test]
fn traefik_crd() {
    insta::assert_snapshot!("traefik_crd", check("traefik-crd"));
}
