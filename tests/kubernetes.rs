//! Kubernetes manifests and Helm charts, end to end.

#![allow(
    clippy::expect_used,
    clippy::unwrap_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use assert_cmd::Command;
use std::path::Path;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn json_in(dir: &Path, args: &[&str], stdin: Option<&str>) -> serde_json::Value {
    let mut c = Command::cargo_bin("sessionlint").expect("binary");
    c.current_dir(dir)
        .args(["check", "--format", "json"])
        .args(args);
    if let Some(s) = stdin {
        c.write_stdin(s);
    }
    let out = c.output().expect("runs");
    serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stderr)))
}

fn rules(doc: &serde_json::Value) -> Vec<(String, String, u64)> {
    doc["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| {
            (
                f["rule"].as_str().unwrap().to_string(),
                f["location"]["path"].as_str().unwrap().to_string(),
                f["location"]["start"]["line"].as_u64().unwrap(),
            )
        })
        .collect()
}

const DEPLOYMENT: &str = "apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: 3
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
        - name: web
          image: example/web:1
          envFrom:
            - configMapRef: {name: web-config}
";

const CONFIG: &str = "apiVersion: v1
kind: ConfigMap
metadata: {name: web-config}
data:
  SESSION_STORE: memory
";

fn ingress(annotations: &str) -> String {
    format!(
        "apiVersion: v1
kind: Service
metadata: {{name: web}}
spec: {{selector: {{app: web}}}}
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: web
  annotations: {{{annotations}}}
spec:
  tls: [{{hosts: [web.example.com]}}]
  defaultBackend: {{service: {{name: web, port: {{number: 80}}}}}}
"
    )
}

#[test]
fn replicas_with_in_memory_sessions_and_affinity_turn_error_into_warning() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(dir.path().join("deployment.yaml"), DEPLOYMENT).expect("write");
    std::fs::write(dir.path().join("config.yaml"), CONFIG).expect("write");
    std::fs::write(dir.path().join("routing.yaml"), ingress("")).expect("write");
    let doc = json_in(dir.path(), &["."], None);
    let found = rules(&doc);
    // reported at the ConfigMap line, with the envFrom as related
    assert_eq!(
        found,
        [(
            "per-instance-session-store".to_string(),
            "config.yaml".to_string(),
            5
        )]
    );
    let f = &doc["findings"][0];
    assert_eq!(f["severity"], "error");
    assert_eq!(f["category"], "session-loss");
    let related: Vec<(String, u64)> = f["related"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["path"].as_str().unwrap().to_string(),
                r["start"]["line"].as_u64().unwrap(),
            )
        })
        .collect();
    assert!(
        related.contains(&("deployment.yaml".to_string(), 13)),
        "{related:?}"
    );
    assert!(
        related.contains(&("deployment.yaml".to_string(), 5)),
        "{related:?}"
    );

    std::fs::write(
        dir.path().join("routing.yaml"),
        ingress("nginx.ingress.kubernetes.io/affinity: cookie"),
    )
    .expect("write");
    let doc = json_in(dir.path(), &["."], None);
    let found = rules(&doc);
    assert_eq!(
        found,
        [(
            "sticky-per-instance-session-store".to_string(),
            "config.yaml".to_string(),
            5
        )]
    );
    assert_eq!(doc["findings"][0]["severity"], "warning");
}

#[test]
fn weak_secret_in_base64_secret_data_is_found_and_masked() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(
        dir.path().join("secret.yaml"),
        "apiVersion: v1\nkind: Secret\nmetadata: {name: s}\ndata:\n  JWT_SECRET: Y2hhbmdlbWU=\n  broken: '%%%'\nstringData:\n  ADMIN_PASSWORD: admin\n",
    )
    .expect("write");
    let doc = json_in(dir.path(), &["."], None);
    let found = rules(&doc);
    assert_eq!(
        found,
        [
            ("weak-secret".to_string(), "secret.yaml".to_string(), 5),
            ("parse-error".to_string(), "secret.yaml".to_string(), 6),
            ("weak-secret".to_string(), "secret.yaml".to_string(), 8),
        ]
    );
    let text = doc.to_string();
    assert!(!text.contains("Y2hhbmdlbWU"), "base64 secret leaked");
    assert!(!text.contains("changeme"));
    assert!(!text.contains("ADMIN_PASSWORD: admin"));
}

#[test]
fn helm_chart_values_are_linted_as_the_app() {
    let doc = json_in(root(), &["fixtures/n8n-chart"], None);
    let found = rules(&doc);
    assert!(
        found
            .iter()
            .all(|(_, p, _)| p == "fixtures/n8n-chart/values.yaml"),
        "{found:?}"
    );
    let ids: Vec<&str> = found.iter().map(|(r, _, _)| r.as_str()).collect();
    for want in [
        "short-session-lifetime",
        "ineffective-setting",
        "unshared-encryption-key",
        "weak-secret",
    ] {
        assert!(ids.contains(&want), "{want} missing from {ids:?}");
    }
    // the template is not read as YAML (it is a Go template)
    assert_eq!(doc["summary"]["files_checked"], 2);
}

#[test]
fn values_overlays_override_the_chart_values() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(
        dir.path().join("prod.yaml"),
        "env:\n  - name: N8N_USER_MANAGEMENT_JWT_DURATION_HOURS\n    value: \"168\"\n",
    )
    .expect("write");
    let overlay = dir.path().join("prod.yaml");
    let doc = json_in(
        root(),
        &["--values", overlay.to_str().unwrap(), "fixtures/n8n-chart"],
        None,
    );
    let ids: Vec<String> = rules(&doc).into_iter().map(|(r, _, _)| r).collect();
    assert!(
        !ids.contains(&"short-session-lifetime".to_string()),
        "{ids:?}"
    );
}

#[test]
fn rendered_manifests_on_stdin() {
    let rendered = format!(
        "---\n# Source: web/templates/deployment.yaml\n{DEPLOYMENT}---\n# Source: web/templates/config.yaml\n{CONFIG}"
    );
    let dir = tempfile::tempdir().expect("tempdir");
    let doc = json_in(
        dir.path(),
        &["--stdin-filename", "rendered.yaml", "-"],
        Some(&rendered),
    );
    assert_eq!(
        rules(&doc),
        [(
            "per-instance-session-store".to_string(),
            "rendered.yaml".to_string(),
            22
        )]
    );
}

#[test]
fn helm_render_without_helm_is_a_clear_error() {
    if std::process::Command::new("helm")
        .arg("version")
        .output()
        .is_ok()
    {
        eprintln!("SKIPPED helm_render_without_helm_is_a_clear_error: helm is installed");
        return;
    }
    Command::cargo_bin("sessionlint")
        .expect("binary")
        .current_dir(root())
        .args([
            "check",
            "--helm-render",
            "fixtures/n8n-chart",
            "fixtures/n8n-chart",
        ])
        .assert()
        .code(2)
        .stderr(predicates::str::contains(
            "the `helm` binary is not on PATH",
        ));
}

/// A Spring `application.yml` in a ConfigMap that is not valid YAML: the
/// error is a finding at its line in the ConfigMap, reported once although
/// two Deployments mount it.
#[test]
fn syntax_error_in_a_mounted_spring_yaml_is_reported_once_at_its_line() {
    let deployment = |name: &str| {
        format!(
            "apiVersion: apps/v1
kind: Deployment
metadata: {{name: {name}}}
spec:
  template:
    spec:
      containers:
        - name: app
          image: registry.example.com/{name}:1
          volumeMounts:
            - {{name: config, mountPath: /workspace/config}}
      volumes:
        - name: config
          configMap: {{name: app-config}}
---
"
        )
    };
    let manifest = format!(
        "{}{}apiVersion: v1
kind: ConfigMap
metadata: {{name: app-config}}
data:
  application.yml: |
    server:
      servlet:
        session:
          timeout: [5m
",
        deployment("web"),
        deployment("worker")
    );
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(dir.path().join("app.yaml"), &manifest).expect("write");
    let doc = json_in(dir.path(), &["app.yaml"], None);
    let errors: Vec<&serde_json::Value> = doc["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter(|f| f["rule"] == "parse-error")
        .collect();
    assert_eq!(errors.len(), 1, "{doc:#}");
    let line = manifest
        .lines()
        .position(|l| l.contains("timeout: [5m"))
        .expect("line")
        + 1;
    assert_eq!(errors[0]["location"]["start"]["line"], line as u64);
    let message = errors[0]["message"].as_str().expect("message");
    assert!(message.contains("invalid YAML"), "{message}");
    assert!(
        message.contains("`application.yml` of ConfigMap `app-config`"),
        "{message}"
    );
}

/// Helm values files are set aside after discovery and read again by the
/// Helm reader; their findings still show excerpts, and an inline ignore in
/// a values file that no finding points at is still seen (and reported as
/// unused).
#[test]
fn set_aside_values_keep_their_excerpts_and_inline_ignores() {
    let dir = tempfile::tempdir().expect("tempdir");
    let chart = |name: &str, values: &str| {
        let d = dir.path().join(name);
        std::fs::create_dir_all(&d).expect("mkdir");
        std::fs::write(
            d.join("Chart.yaml"),
            format!("name: {name}\nversion: 1.0.0\n"),
        )
        .expect("write");
        std::fs::write(d.join("values.yaml"), values).expect("write");
    };
    chart(
        "weak",
        "image:\n  repository: n8nio/n8n\nsecret:\n  N8N_BASIC_AUTH_PASSWORD: changeme\n",
    );
    chart(
        "quiet",
        "image:\n  repository: n8nio/n8n\nsecret:\n  # sessionlint: ignore[weak-secret]\n  N8N_ENCRYPTION_KEY: 3f9c1d2e8b7a6f5e4d3c2b1a0f9e8d7c\n",
    );
    let out = Command::cargo_bin("sessionlint")
        .expect("binary")
        .current_dir(dir.path())
        .args(["check", "--no-config", "--color", "never", "."])
        .output()
        .expect("runs");
    let text = String::from_utf8(out.stdout).expect("utf-8");
    // the excerpt of the values line, secret masked
    assert!(text.contains("N8N_BASIC_AUTH_PASSWORD: ********"), "{text}");
    // the ignore comment of the other chart suppresses nothing: reported
    assert!(text.contains("unused-ignore"), "{text}");
    assert!(text.contains("quiet/values.yaml:4"), "{text}");
}
