//! Keycloak: its official quickstart files (`fixtures/keycloak-official/`,
//! copied unchanged from keycloak/keycloak-quickstarts), and realm files
//! (realm import/export JSON) read as Keycloak config files: standalone,
//! bind-mounted into a compose service, embedded in a ConfigMap, broken.
//! Each finding was checked by hand against Keycloak's code.

#![allow(clippy::expect_used)]

mod common;

use std::path::Path;

use common::{check_fixture as check, sessions_fixture as sessions};

/// The HAProxy re-encrypt quickstart (two Keycloak 26 nodes with
/// `KC_PROXY_HEADERS` and a full `KC_HOSTNAME` URL) and a quickstart
/// realm file: the bootstrap admin password `admin` twice, and the realm's
/// 10-minute SSO idle timeout.
#[test]
fn keycloak_official_check() {
    insta::assert_snapshot!("apps_keycloak_official_check", check("keycloak-official"));
}

#[test]
fn keycloak_official_sessions() {
    insta::assert_snapshot!(
        "apps_keycloak_official_sessions",
        sessions("keycloak-official")
    );
}

/// The Kubernetes quickstart: two pods with the `ispn` cache behind an
/// Ingress with TLS, `KC_PROXY_HEADERS: xforwarded`; only the bootstrap
/// admin password `admin` is reported.
#[test]
fn keycloak_official_k8s_check() {
    insta::assert_snapshot!(
        "apps_keycloak_official_k8s_check",
        check("keycloak-official-k8s")
    );
}

#[test]
fn keycloak_official_k8s_sessions() {
    insta::assert_snapshot!(
        "apps_keycloak_official_k8s_sessions",
        sessions("keycloak-official-k8s")
    );
}

/// Run sessionlint in `dir` on `.` and return standard output.
fn run_in(dir: &Path, args: &[&str]) -> String {
    let out = assert_cmd::Command::cargo_bin("sessionlint")
        .expect("binary")
        .current_dir(dir)
        .args(args)
        .arg(".")
        .output()
        .expect("runs");
    String::from_utf8(out.stdout).expect("utf-8")
}

fn write(dir: &Path, path: &str, text: &str) {
    let p = dir.join(path);
    std::fs::create_dir_all(p.parent().expect("parent")).expect("mkdir");
    std::fs::write(p, text).expect("write");
}

/// The findings of a JSON report as `(rule, path, line)`.
fn findings(json: &str) -> Vec<(String, String, u64)> {
    let v: serde_json::Value = serde_json::from_str(json).expect("json report");
    let mut out: Vec<(String, String, u64)> = v
        .get("findings")
        .and_then(serde_json::Value::as_array)
        .expect("findings")
        .iter()
        .map(|f| {
            let at = |k: &str| f.pointer(k).cloned().unwrap_or_default();
            (
                at("/rule").as_str().unwrap_or("").to_string(),
                at("/location/path")
                    .as_str()
                    .unwrap_or("")
                    .trim_start_matches("./")
                    .to_string(),
                at("/location/start/line").as_u64().unwrap_or(0),
            )
        })
        .collect();
    out.sort();
    out
}

const REALM: &str = r#"{
  "realm": "demo",
  "enabled": true,
  "accessTokenLifespan": 900,
  "ssoSessionIdleTimeout": 600,
  "ssoSessionMaxLifespan": 14400,
  "clientSessionIdleTimeout": 0,
  "clients": [{"clientId": "app", "attributes": {"client.session.idle.timeout": "60"}}]
}
"#;

/// A realm directory bind-mounted at `/opt/keycloak/data/import` belongs
/// to the Keycloak service: its findings are at the JSON lines, with the
/// mount as a related location, and `sessions` shows its values under the
/// service.
#[test]
fn realm_file_mounted_into_a_compose_service() {
    let dir = tempfile::tempdir().expect("tempdir");
    write(
        dir.path(),
        "compose.yaml",
        "services:\n  sso:\n    image: quay.io/keycloak/keycloak:26.0\n    command: start --import-realm\n    volumes:\n      - ./realms:/opt/keycloak/data/import:ro\n",
    );
    write(dir.path(), "realms/demo-realm.json", REALM);
    let json = run_in(dir.path(), &["check", "--no-config", "--format", "json"]);
    let f = findings(&json);
    let realm = "realms/demo-realm.json".to_string();
    assert_eq!(
        f,
        vec![
            ("idle-timeout-within-refresh".into(), realm.clone(), 5),
            ("short-idle-timeout".into(), realm.clone(), 5),
            ("short-session-lifetime".into(), realm, 6),
        ],
        "{json}"
    );
    let text = run_in(dir.path(), &["check", "--no-config", "--color", "never"]);
    assert!(
        text.contains("mounted into service `sso` at /opt/keycloak/data/import"),
        "{text}"
    );
    let s = run_in(dir.path(), &["sessions", "--no-config"]);
    assert!(s.contains("compose service `sso` (Keycloak)"), "{s}");
    assert!(
        s.contains("ssoSessionIdleTimeout=600 (realms/demo-realm.json:5)"),
        "{s}"
    );
    // the mounted file is the service's, not a workload of its own
    assert!(!s.contains("config file (deployment unknown)"), "{s}");
}

/// A service whose image no profile knows is recognised as Keycloak by the
/// realm file mounted into it.
#[test]
fn a_mounted_realm_file_identifies_keycloak() {
    let dir = tempfile::tempdir().expect("tempdir");
    write(
        dir.path(),
        "compose.yaml",
        "services:\n  sso:\n    build: .\n    volumes:\n      - ./import/app.json:/opt/keycloak/data/import/app.json\n",
    );
    write(
        dir.path(),
        "import/app.json",
        r#"{"realm": "app", "ssoSessionMaxLifespan": 3600}"#,
    );
    let s = run_in(dir.path(), &["sessions", "--no-config"]);
    assert!(s.contains("compose service `sso` (Keycloak)"), "{s}");
    let f = findings(&run_in(
        dir.path(),
        &["check", "--no-config", "--format", "json"],
    ));
    assert_eq!(
        f,
        vec![("short-session-lifetime".into(), "import/app.json".into(), 1)]
    );
}

/// A realm file in a ConfigMap mounted into a Keycloak pod: the finding is
/// at the line of the manifest that holds the JSON member.
#[test]
fn realm_file_in_a_configmap() {
    let dir = tempfile::tempdir().expect("tempdir");
    write(
        dir.path(),
        "keycloak.yaml",
        r#"apiVersion: v1
kind: ConfigMap
metadata: {name: realm}
data:
  app-realm.json: |
    {
      "realm": "app",
      "ssoSessionIdleTimeout": 600
    }
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: keycloak}
spec:
  template:
    spec:
      containers:
        - name: keycloak
          image: quay.io/keycloak/keycloak:26.0
          args: ["start", "--import-realm"]
          volumeMounts:
            - {name: realm, mountPath: /opt/keycloak/data/import}
      volumes:
        - {name: realm, configMap: {name: realm}}
"#,
    );
    let f = findings(&run_in(
        dir.path(),
        &["check", "--no-config", "--format", "json"],
    ));
    assert_eq!(
        f,
        vec![("short-idle-timeout".into(), "keycloak.yaml".into(), 8)]
    );
}

/// Broken JSON in a realm file is a parse error at its line; JSON files
/// that are not realm files are not read at all.
#[test]
fn broken_realm_json_and_other_json() {
    let dir = tempfile::tempdir().expect("tempdir");
    write(
        dir.path(),
        "demo-realm.json",
        "{\n  \"realm\": \"demo\",\n  \"ssoSessionIdleTimeout\": 600,,\n  \"x\": 1\n}\n",
    );
    write(
        dir.path(),
        "package.json",
        r#"{"name": "app", "config": {"realm": "x", "accessTokenLifespan": 1}}"#,
    );
    // a client's adapter config names a realm but is not one
    write(
        dir.path(),
        "keycloak.json",
        r#"{"realm": "demo", "auth-server-url": "https://sso.example.com/", "resource": "app"}"#,
    );
    write(
        dir.path(),
        "dashboards/board.json",
        r#"{"title": "x", "panels": []}"#,
    );
    let f = findings(&run_in(
        dir.path(),
        &["check", "--no-config", "--format", "json"],
    ));
    assert_eq!(f, vec![("parse-error".into(), "demo-realm.json".into(), 3)]);
}

/// A realm file on standard input, named by `--stdin-filename`.
#[test]
fn realm_file_on_standard_input() {
    let out = assert_cmd::Command::cargo_bin("sessionlint")
        .expect("binary")
        .args([
            "check",
            "--no-config",
            "--format",
            "json",
            "--stdin-filename",
            "demo-realm.json",
            "-",
        ])
        .write_stdin(REALM)
        .output()
        .expect("runs");
    let f = findings(&String::from_utf8(out.stdout).expect("utf-8"));
    let rules: Vec<&str> = f.iter().map(|(r, _, _)| r.as_str()).collect();
    assert_eq!(
        rules,
        [
            "idle-timeout-within-refresh",
            "short-idle-timeout",
            "short-session-lifetime"
        ]
    );
}
