//! An app is recognised wherever its settings are: the same Django, Flask
//! or Laravel variable in a compose service's `environment:`, in its
//! `env_file`, in a standalone `.env`, in a Kubernetes container's `env`
//! and in a ConfigMap it loads gives the same finding on that variable's
//! line. The services here run images that no profile knows (an app's own
//! build), as in `haxxnet-compose-examples/examples/papermerge` and
//! `dokploy-templates/blueprints/snipe-it` of `../shared/corpus-apps`.

#![allow(clippy::expect_used, clippy::indexing_slicing)]

mod common;

use std::path::Path;

/// `(rule, file name, line)` of each finding of `check --format json DIR`.
fn findings(dir: &Path) -> Vec<(String, String, u64)> {
    let out = assert_cmd::Command::cargo_bin("sessionlint")
        .expect("binary")
        .current_dir(dir)
        .args(["check", "--no-config", "--format", "json", "."])
        .output()
        .expect("runs");
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    let mut got: Vec<(String, String, u64)> = v["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| {
            let path = f["location"]["path"].as_str().unwrap_or_default();
            let name = Path::new(path)
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            (
                f["rule"].as_str().unwrap_or_default().to_string(),
                name,
                f["location"]["start"]["line"].as_u64().unwrap_or(0),
            )
        })
        .collect();
    got.sort();
    got
}

/// What `--show-services` says the service was recognised as.
fn recognised(dir: &Path) -> String {
    let out = assert_cmd::Command::cargo_bin("sessionlint")
        .expect("binary")
        .current_dir(dir)
        .args(["check", "--no-config", "--show-services", "."])
        .output()
        .expect("runs");
    String::from_utf8(out.stdout).expect("utf-8")
}

fn write(dir: &Path, files: &[(&str, String)]) {
    for (name, text) in files {
        let path = dir.join(name);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).expect("mkdir");
        }
        std::fs::write(path, text).expect("write");
    }
}

/// The five places one variable set can live in, each as a small repository:
/// `vars` are `(name, value)`; the variable of interest is the last one.
fn layouts(image: &str, vars: &[(&str, &str)]) -> Vec<(&'static str, Vec<(&'static str, String)>)> {
    let env_lines: String = vars.iter().map(|(k, v)| format!("{k}={v}\n")).collect();
    let compose_env: String = vars
        .iter()
        .map(|(k, v)| format!("      {k}: \"{v}\"\n"))
        .collect();
    let kube_env: String = vars
        .iter()
        .map(|(k, v)| format!("            - name: {k}\n              value: \"{v}\"\n"))
        .collect();
    let map_data: String = vars
        .iter()
        .map(|(k, v)| format!("  {k}: \"{v}\"\n"))
        .collect();
    let deployment = |containers: String| {
        format!(
            "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: app\nspec:\n  \
             selector:\n    matchLabels: {{app: app}}\n  template:\n    metadata:\n      \
             labels: {{app: app}}\n    spec:\n      containers:\n        - name: app\n          \
             image: {image}\n{containers}"
        )
    };
    vec![
        (
            "compose environment",
            vec![(
                "compose.yaml",
                format!("services:\n  app:\n    image: {image}\n    environment:\n{compose_env}"),
            )],
        ),
        (
            "compose env_file",
            vec![
                (
                    "compose.yaml",
                    format!("services:\n  app:\n    image: {image}\n    env_file: [app.env]\n"),
                ),
                ("app.env", env_lines.clone()),
            ],
        ),
        ("standalone .env", vec![(".env", env_lines)]),
        (
            "Kubernetes env",
            vec![(
                "deployment.yaml",
                deployment(format!("          env:\n{kube_env}")),
            )],
        ),
        (
            "ConfigMap envFrom",
            vec![
                (
                    "deployment.yaml",
                    deployment(
                        "          envFrom:\n            - configMapRef: {name: app-env}\n"
                            .to_string(),
                    ),
                ),
                (
                    "configmap.yaml",
                    format!(
                        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: app-env\ndata:\n{map_data}"
                    ),
                ),
            ],
        ),
    ]
}

/// Every layout of `vars` gives `rule` on the line of the last variable,
/// and names `app` as the service's app (except a standalone `.env`, which
/// is no service).
fn same_everywhere(app: &str, image: &str, vars: &[(&str, &str)], rule: &str) {
    let last = vars.len() as u64;
    for (place, files) in layouts(image, vars) {
        let dir = tempfile::tempdir().expect("tempdir");
        write(dir.path(), &files);
        let got = findings(dir.path());
        let (file, line) = match place {
            "compose environment" => ("compose.yaml", 4 + last),
            "compose env_file" | "standalone .env" => (
                if place == "standalone .env" {
                    ".env"
                } else {
                    "app.env"
                },
                last,
            ),
            "Kubernetes env" => ("deployment.yaml", 15 + 2 * last),
            _ => ("configmap.yaml", 5 + last),
        };
        assert!(
            got.iter()
                .any(|(r, f, l)| r == rule && f == file && *l == line),
            "{app} in {place}: expected {rule} at {file}:{line}, got {got:?}"
        );
        if place != "standalone .env" {
            let listed = recognised(dir.path());
            assert!(
                listed
                    .lines()
                    .any(|l| l.starts_with(app) && l.contains("by variable")),
                "{app} in {place} not recognised:\n{listed}"
            );
        }
    }
}

#[test]
fn django_setting_is_found_in_every_place() {
    same_everywhere(
        "django",
        "ghcr.io/example/shop:1.4",
        &[
            ("DJANGO_SETTINGS_MODULE", "shop.settings"),
            ("SESSION_COOKIE_AGE", "600"),
        ],
        "short-session-lifetime",
    );
}

#[test]
fn flask_setting_is_found_in_every_place() {
    same_everywhere(
        "flask",
        "registry.example.com/team/api:2",
        &[
            ("FLASK_APP", "api:create_app"),
            ("FLASK_PERMANENT_SESSION_LIFETIME", "1800"),
        ],
        "short-session-lifetime",
    );
}

#[test]
fn laravel_setting_is_found_in_every_place() {
    same_everywhere(
        "laravel",
        "snipe/snipe-it:v8.1.0",
        &[("SESSION_DRIVER", "file"), ("SESSION_LIFETIME", "10")],
        "short-idle-timeout",
    );
}

/// An integration setting of another app in a service whose image no
/// profile knows does not make it that app: `N8N_ENABLED` in an app that
/// calls n8n (`dokploy-templates/blueprints/evolutionapi`).
#[test]
fn another_apps_integration_setting_is_not_recognition() {
    let dir = tempfile::tempdir().expect("tempdir");
    write(
        dir.path(),
        &[(
            "compose.yaml",
            "services:\n  evolution-api:\n    image: evoapicloud/evolution-api:v2.3.7\n    \
             environment:\n      - N8N_ENABLED=${N8N_ENABLED}\n"
                .to_string(),
        )],
    );
    let listed = recognised(dir.path());
    assert!(
        listed.contains("(not recognised)") && listed.contains("0 of 1 service recognised"),
        "{listed}"
    );
}

/// `(rule, confidence)` of each finding, from JSON, and `(rule, precision,
/// rank)` from SARIF, for `fixtures/<fixture>`.
type Confidences = (Vec<(String, String)>, Vec<(String, String, f64)>);

fn confidences(fixture: &str) -> Confidences {
    let run = |format: &str| {
        let out = assert_cmd::Command::cargo_bin("sessionlint")
            .expect("binary")
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .args(["check", "--no-config", "--format", format])
            .arg(format!("fixtures/{fixture}"))
            .output()
            .expect("runs");
        serde_json::from_slice::<serde_json::Value>(&out.stdout).expect("json")
    };
    let json = run("json");
    let sarif = run("sarif");
    let j = json["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| {
            (
                f["rule"].as_str().unwrap_or_default().to_string(),
                f["confidence"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect();
    let s = sarif["runs"][0]["results"]
        .as_array()
        .expect("results")
        .iter()
        .map(|r| {
            (
                r["ruleId"].as_str().unwrap_or_default().to_string(),
                r["properties"]["precision"]
                    .as_str()
                    .unwrap_or_default()
                    .to_string(),
                r["rank"].as_f64().unwrap_or(-1.0),
            )
        })
        .collect();
    (j, s)
}

/// Django reads no session setting from the environment: a finding built
/// on `SESSION_COOKIE_AGE` there rests on the project's own settings.py,
/// says so, and ranks below one built on what an app reads (Grafana's own
/// `GF_` variables).
#[test]
fn convention_findings_rank_below_what_the_app_reads() {
    let (json, sarif) = confidences("django-traefik");
    assert!(
        json.contains(&("short-session-lifetime".into(), "medium".into())),
        "{json:?}"
    );
    assert!(
        sarif.contains(&("short-session-lifetime".into(), "medium".into(), 50.0)),
        "{sarif:?}"
    );
    let (json, sarif) = confidences("grafana");
    assert!(
        json.contains(&("short-idle-timeout".into(), "high".into())),
        "{json:?}"
    );
    assert!(
        sarif.contains(&("short-idle-timeout".into(), "high".into(), 90.0)),
        "{sarif:?}"
    );
    let text = common_text("django-traefik");
    assert!(
        text.contains("by convention: Django itself reads only DJANGO_SETTINGS_MODULE"),
        "{text}"
    );
}

fn common_text(fixture: &str) -> String {
    let out = assert_cmd::Command::cargo_bin("sessionlint")
        .expect("binary")
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args(["check", "--no-config", "--color", "never"])
        .arg(format!("fixtures/{fixture}"))
        .output()
        .expect("runs");
    String::from_utf8(out.stdout).expect("utf-8")
}

/// An Umbrel app's `app_proxy` service has no image: Umbrel supplies its
/// app proxy by that name (`fixtures/umbrel-mstream`).
#[test]
fn umbrel_app_proxy_is_recognised_by_its_service_name() {
    let listed = recognised(&Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/umbrel-mstream"));
    assert!(
        listed.lines().any(|l| l.starts_with("umbrel-app-proxy")
            && l.contains("app_proxy")
            && l.ends_with("(by service name app_proxy)")),
        "{listed}"
    );
    let text = common_text("umbrel-mstream");
    assert!(text.contains("No problems found"), "{text}");
}

/// One `.env` named in `env_file` by an app, its database and its search
/// engine tells the stack's app, not each service's: the database is not
/// Auth.js (`haxxnet-compose-examples/examples/linkwarden`): Meilisearch
/// is recognised by its image, not by the shared file's variables.
#[test]
fn a_shared_env_file_does_not_name_every_service() {
    let dir = tempfile::tempdir().expect("tempdir");
    write(
        dir.path(),
        &[
            (
                "compose.yaml",
                "services:\n  linkwarden:\n    image: ghcr.io/linkwarden/linkwarden:latest\n    \
                 env_file: .env\n  search:\n    image: getmeili/meilisearch:v1.12.8\n    \
                 env_file: .env\n"
                    .to_string(),
            ),
            (
                ".env",
                "NEXTAUTH_URL=https://links.example.com/api/v1/auth\nNEXTAUTH_SECRET=x\n"
                    .to_string(),
            ),
        ],
    );
    let listed = recognised(dir.path());
    let squeezed = common::squeezed_lines(&listed);
    assert!(
        squeezed
            .iter()
            .any(|l| l.starts_with("meilisearch compose service search ")
                && l.ends_with("(by image getmeili/meilisearch:v1.12.8)")),
        "{listed}"
    );
}

/// A bind mount whose source is a variable that nothing in the repository
/// sets (`${APP_DATA_DIR}/data:/home/node/.n8n`, as the runtipi and Umbrel
/// app stores write it) is still a mount on its target: n8n's generated key
/// persists there, so it is not reported as unpinned.
#[test]
fn a_bind_mount_from_an_unset_variable_still_persists() {
    let dir = tempfile::tempdir().expect("tempdir");
    write(
        dir.path(),
        &[(
            "docker-compose.yml",
            "services:\n  n8n:\n    image: n8nio/n8n:1.106.3\n    volumes:\n      \
             - ${APP_DATA_DIR}/data:/home/node/.n8n\n    environment:\n      \
             - N8N_HOST=${APP_DOMAIN}\n"
                .to_string(),
        )],
    );
    let got = findings(dir.path());
    assert!(
        !got.iter().any(|(r, _, _)| r == "unpinned-encryption-key"),
        "{got:?}"
    );
}

/// An image whose tag is a variable the repository does not set (an app
/// store fills it at install time) is still that image: PostHog in
/// Dokploy's template (`dokploy-templates/blueprints/posthog`).
#[test]
fn an_image_with_an_unset_tag_variable_is_recognised() {
    let dir = tempfile::tempdir().expect("tempdir");
    write(
        dir.path(),
        &[(
            "docker-compose.yml",
            "services:\n  web:\n    image: posthog/posthog:${POSTHOG_VERSION}\n  other:\n    image: ${OTHER_IMAGE}\n".to_string(),
        )],
    );
    let listed = recognised(dir.path());
    assert!(
        listed
            .lines()
            .any(|l| l.starts_with("posthog") && l.ends_with("(by image posthog/posthog)")),
        "{listed}"
    );
    assert!(
        listed
            .lines()
            .any(|l| l.starts_with('-') && l.contains(" other ")),
        "{listed}"
    );
}
