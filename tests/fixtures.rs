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
    insta::assert_snapshot!(check("n8n-queue"), @"No problems found in 2 files.");
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
