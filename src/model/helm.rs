//! Helm charts: a chart's `values.yaml` (and overlays given with
//! `--values`) read through the conventions charts share, so that findings
//! point at the values line a user edits.
//!
//! Conventions: `replicaCount`; `autoscaling.enabled` / `minReplicas`;
//! `image.registry` / `image.repository` / `image.tag` (or `image` as a
//! string); environment lists of `{name, value}` and maps under `env`,
//! `extraEnv`, `extraEnvVars`, `envVars`; maps of variables under
//! `config`, `configMap`, `secret`, `secrets`, `extraSecret`,
//! `extraSecretEnvVars`; `ingress.enabled`, `ingress.annotations`,
//! `ingress.tls`; `persistence.enabled`.

use rayon::prelude::*;
use std::path::Path;

use crate::model::kube::{annotations, finish_routes, literal};
use crate::model::{Route, RouteKind, Value, Volume, Workload, WorkloadKind};
use crate::source::finding::Finding;
use crate::source::{FileId, FileKind, SourceMap, Span};
use crate::syntax::yaml::{self, Node};

const ENV_LISTS: &[&str] = &["env", "extraEnv", "extraEnvVars", "envVars", "extraEnvs"];
const ENV_MAPS: &[&str] = &[
    "env",
    "extraEnv",
    "envVars",
    "config",
    "configMap",
    "extraConfig",
];
const SECRET_MAPS: &[&str] = &[
    "secret",
    "secrets",
    "extraSecret",
    "extraSecretEnvVars",
    "secretEnv",
];
const NESTED_ENV_MAPS: &[(&str, bool)] = &[
    ("secretRefs", true),
    ("secret", true),
    ("secrets", true),
    ("config", false),
    ("configMap", false),
    ("configmap", false),
];

/// Read every chart's values (with overlays applied) into workloads.
pub fn read(sources: &SourceMap, limits: &yaml::Limits) -> (Vec<Workload>, Vec<Finding>) {
    let (charts, overlays): (Vec<_>, Vec<_>) = sources
        .iter()
        .filter(|(_, f)| f.kind == FileKind::HelmValues)
        .partition(|(_, f)| is_chart_values(sources, &f.path));
    if charts.is_empty() {
        return (Vec::new(), Vec::new());
    }
    let mut findings = Vec::new();
    // overlays apply to every chart: parsed once
    let overlays: Vec<(FileId, yaml::Stream)> = overlays
        .into_iter()
        .filter_map(|(fid, f)| match f.load() {
            Some(text) => Some((fid, yaml::parse(&text, limits))),
            None => {
                findings.push(changed(fid));
                None
            }
        })
        .collect();
    findings.extend(
        overlays
            .iter()
            .flat_map(|(fid, s)| crate::model::yaml_errors(*fid, s)),
    );
    let read: Vec<(Option<Workload>, Vec<Finding>)> = charts
        .into_par_iter()
        .map(|(id, file)| {
            let Some(text) = file.load() else {
                return (None, vec![changed(id)]);
            };
            let dir = file.path.parent().unwrap_or(Path::new(""));
            let chart = chart_name(sources, dir);
            let mut w = empty(&chart, Span::new(id, 0..0));
            let stream = yaml::parse(&text, limits);
            drop(text);
            let found = crate::model::yaml_errors(id, &stream).collect();
            let own = std::iter::once((id, &stream));
            for (fid, stream) in own.chain(overlays.iter().map(|(fid, s)| (*fid, s))) {
                if let Some(doc) = stream.docs.first() {
                    apply(fid, doc, &mut w);
                }
            }
            finish_routes(&mut w);
            (Some(w), found)
        })
        .collect();
    let mut out = Vec::with_capacity(read.len());
    for (w, found) in read {
        out.extend(w);
        findings.extend(found);
    }
    (out, findings)
}

/// A values file that discovery set aside and that is gone or changed
/// when the Helm reader reads it again: reported, and left out.
fn changed(fid: FileId) -> Finding {
    Finding::parse_error(
        Span::new(fid, 0..0),
        "file changed or disappeared while sessionlint was reading it; it was not read".to_string(),
    )
}

/// `values.yaml` right beside a `Chart.yaml` (overlays are other files).
fn is_chart_values(sources: &SourceMap, path: &Path) -> bool {
    path.file_name().is_some_and(|n| n == "values.yaml")
        && path.parent().is_some_and(|d| {
            d.as_os_str().is_empty()
                || sources.find(&d.join("Chart.yaml")).is_some()
                || d.join("Chart.yaml").is_file()
        })
}

fn chart_name(sources: &SourceMap, dir: &Path) -> String {
    let chart_file = dir.join("Chart.yaml");
    let from_file = sources
        .find(&chart_file)
        .and_then(|id| sources.get(id))
        .and_then(|f| {
            f.text.lines().find_map(|l| {
                l.strip_prefix("name:")
                    .map(|n| n.trim().trim_matches(['"', '\'']).to_string())
            })
        });
    from_file.unwrap_or_else(|| {
        dir.file_name()
            .map(|n| n.to_string_lossy().to_string())
            .unwrap_or_else(|| "chart".into())
    })
}

fn empty(name: &str, span: Span) -> Workload {
    Workload::new(name, WorkloadKind::HelmValues, span)
}

/// Apply one values document (later documents override earlier ones).
fn apply(file: FileId, doc: &Node, w: &mut Workload) {
    let span = |n: &Node| Span::new(file, n.span.clone());
    if w.span.end == 0
        && let Some(first) = doc.entries().first()
    {
        w.span = span(&first.key);
    }
    image(file, doc, w);
    replicas(file, doc, w);
    environment(file, doc, w);
    ingress(file, doc, w);
    persistence(file, doc, w);
}

/// `image:` as a string or `{registry, repository}`.
fn image(file: FileId, doc: &Node, w: &mut Workload) {
    let span = |n: &Node| Span::new(file, n.span.clone());
    if let Some(image) = doc.get("image") {
        if let Some(s) = image.as_str() {
            w.image = Some((s.to_string(), span(image)));
        } else if let Some(repo) = image.get("repository").and_then(Node::as_str) {
            let registry = image.get("registry").and_then(Node::as_str).unwrap_or("");
            let full = if registry.is_empty() {
                repo.to_string()
            } else {
                format!("{registry}/{repo}")
            };
            let at = image.get("repository").map_or(image, |r| r);
            w.image = Some((full, span(at)));
        }
        if let Some(e) = doc.entry("image") {
            w.span = span(&e.key);
        }
    }
}

/// `replicaCount`, and `autoscaling` when enabled (at least its minimum).
fn replicas(file: FileId, doc: &Node, w: &mut Workload) {
    let span = |n: &Node| Span::new(file, n.span.clone());
    if let Some(n) = doc.get("replicaCount")
        && let Some(v) = n.as_i64()
    {
        w.replicas = u32::try_from(v.max(0)).unwrap_or(1);
        w.replicas_span = Some(span(n));
    }
    if let Some(a) = doc.get("autoscaling")
        && let Some(enabled) = a.get("enabled")
        && enabled.as_bool() == Some(true)
    {
        let min = a.get("minReplicas").and_then(Node::as_i64).unwrap_or(2);
        w.replicas = w.replicas.max(u32::try_from(min.max(2)).unwrap_or(2));
        w.replicas_span = Some(span(enabled));
    }
}

/// Lists of `{name, value}` and maps of variables, at the top
/// (`secret: {…}`) or one level down (`secretRefs: {env: {…}}`).
fn environment(file: FileId, doc: &Node, w: &mut Workload) {
    for key in ENV_LISTS {
        for item in doc.get(key).map(Node::items).unwrap_or(&[]) {
            let (Some(name), Some(value)) = (item.get("name"), item.get("value")) else {
                continue;
            };
            let Some(k) = name.as_str() else { continue };
            w.settings.push(literal(file, k, name, value));
        }
    }
    // maps of variables, at the top (`secret: {…}`) or one level down
    // (`secretRefs: {env: {…}}`)
    let mut maps: Vec<(&str, &Node, bool)> = Vec::new();
    for (keys, secret) in [(ENV_MAPS, false), (SECRET_MAPS, true)] {
        for key in keys {
            if let Some(n) = doc.get(key) {
                maps.push((key, n, secret));
            }
        }
    }
    for (key, secret) in NESTED_ENV_MAPS {
        if let Some(n) = doc.get(key).and_then(|n| n.get("env")) {
            maps.push((key, n, *secret));
        }
    }
    for (key, node, secret) in maps {
        {
            for e in node.entries() {
                let Some(k) = e.key.as_str() else { continue };
                if e.value.is_map() || e.value.is_seq() {
                    continue;
                }
                let mut s = literal(file, k, &e.key, &e.value);
                if e.value.is_null() {
                    s.value =
                        Value::Unknown(format!("`{key}.{k}` has no value in the chart values"));
                }
                s.from_secret = secret;
                w.settings.push(s);
            }
        }
    }
}

/// `ingress:` when enabled (or its removal when disabled).
fn ingress(file: FileId, doc: &Node, w: &mut Workload) {
    let span = |n: &Node| Span::new(file, n.span.clone());
    if let Some(ing) = doc.get("ingress") {
        let enabled = ing.get("enabled").and_then(Node::as_bool);
        if enabled == Some(true) {
            let tls = ing
                .get("tls")
                .is_some_and(|t| t.as_bool() == Some(true) || !t.items().is_empty());
            let settings = annotations(file, ing.get("annotations"));
            w.routes.retain(|r| r.kind != RouteKind::Ingress);
            w.routes.push(Route {
                kind: RouteKind::Ingress,
                name: "ingress".into(),
                span: span(ing.get("enabled").unwrap_or(ing)),
                tls,
                settings,
                behind_ingress: false,
            });
        } else if enabled == Some(false) {
            w.routes.retain(|r| r.kind != RouteKind::Ingress);
        }
    }
}

/// Persistence of the app's data directory.
fn persistence(file: FileId, doc: &Node, w: &mut Workload) {
    let span = |n: &Node| Span::new(file, n.span.clone());
    if let Some(p) = doc.get("persistence").and_then(|p| p.get("enabled"))
        && let Some(on) = p.as_bool()
    {
        w.volumes = Some(if on {
            vec![Volume {
                target: "/".into(),
                persistent: true,
                source: "persistence".into(),
                host: None,
                span: span(p),
            }]
        } else {
            Vec::new()
        });
    }
}
