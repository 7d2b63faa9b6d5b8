//! `sessionlint sessions`: how long a login really lasts, per service, and
//! which layer decides it.
//!
//! For every workload whose app keeps logins, the figures the model knows
//! about each layer (the app's lifetimes, the cookie, the session store,
//! the route in front, the keys), each with the place it is set or marked
//! as the app's default, and from them a verdict for an idle user, an
//! active user, a restart and several replicas, naming the binding limit.
//! Values the repository cannot tell are shown as unknown with the reason,
//! and the verdict says what it depends on.

use serde::Serialize;

mod app;
mod cookie;
mod keys;
mod render;
mod route;
mod store;
mod verdicts;

pub use render::{render_json, render_text};

use crate::lint::bind::{Binding, bindings};
use crate::lint::checks::state::{Kept, kept_state};
use crate::model::{Model, Value, Workload, WorkloadKind};
use crate::rules::RuleSet;
use crate::source::finding::{Finding, Severity};
use crate::source::secret::Reveal;
use crate::source::{SourceMap, Span};

/// One figure of one layer.
#[derive(Debug, Clone, Serialize)]
pub struct Figure {
    /// What it is: `idle timeout`, `store`, `replicas` …
    pub what: String,
    /// The value as a person reads it (`2 hours`, `file (each replica)`).
    pub value: String,
    /// The setting that gives it, as written (`SESSION_LIFETIME=120`);
    /// secrets are never shown.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub setting: Option<String>,
    /// `path:line` of the value; `None` for the app's default.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub location: Option<String>,
    /// The app's documented default is in effect.
    pub default: bool,
    /// Why the value cannot be known from the repository.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unknown: Option<String>,
}

impl Figure {
    /// A fact of the deployment (not a setting), with where it is written.
    fn fact(what: &str, value: impl Into<String>, location: Option<String>) -> Self {
        Figure {
            what: what.to_string(),
            value: value.into(),
            setting: None,
            location,
            default: false,
            unknown: None,
        }
    }
}

/// The figures of one layer.
#[derive(Debug, Clone, Serialize)]
pub struct Layer {
    /// `app`, `cookie`, `store`, `route`, `keys`.
    pub layer: &'static str,
    pub figures: Vec<Figure>,
}

/// One conclusion.
#[derive(Debug, Clone, Serialize)]
pub struct Verdict {
    /// `idle`, `active`, `restart`, `replicas`.
    pub case: &'static str,
    pub text: String,
    /// Where the binding limit is set (`None` when it is a default or
    /// unknown).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub location: Option<String>,
}

/// A finding that concerns the service.
#[derive(Debug, Clone, Serialize)]
pub struct Related {
    pub rule: String,
    pub severity: Severity,
    pub location: String,
    pub message: String,
}

/// The session lifecycle of one workload.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub service: String,
    pub kind: &'static str,
    pub app: String,
    /// Where the workload is defined.
    pub location: String,
    pub layers: Vec<Layer>,
    pub verdicts: Vec<Verdict>,
    pub findings: Vec<Related>,
}

fn loc(sources: &SourceMap, span: Span) -> String {
    sources.get(span.file).map_or_else(String::new, |f| {
        let (line, _) = f.line_col(span.start);
        format!("{}:{line}", f.display_path())
    })
}

pub fn kind_name(k: WorkloadKind) -> &'static str {
    match k {
        WorkloadKind::ComposeService => "compose service",
        WorkloadKind::DockerRun => "docker run container",
        WorkloadKind::EnvFile => "env file (deployment unknown)",
        WorkloadKind::KubeContainer => "Kubernetes container",
        WorkloadKind::HelmValues => "Helm chart",
        WorkloadKind::ConfigFile => "config file (deployment unknown)",
        WorkloadKind::KubeSettings => "Kubernetes settings object (read by the app by name)",
    }
}

const SESSION_CONCEPTS: &[&str] = &[
    "session.max-lifetime",
    "session.idle-timeout",
    "session.store",
    "session.secret",
    "session.refresh-interval",
    "cookie.max-age",
];

/// A figure from a binding.
fn figure(sources: &SourceMap, b: &Binding<'_>, what: &str, shown: String) -> Figure {
    let secret = b.is_secret();
    let (setting, location) = match (b.setting, b.alternative) {
        (Some(s), _) | (None, Some(s)) => {
            let written = if secret || s.from_secret {
                s.key.clone()
            } else {
                match &s.value {
                    Value::Known(v) => format!("{}={v}", s.key),
                    Value::Unknown(_) => s.key.clone(),
                }
            };
            (Some(written), Some(loc(sources, s.value_span)))
        }
        (None, None) => match b.command_word {
            Some((word, span)) => (Some(format!("command `{word}`")), Some(loc(sources, span))),
            None => (None, None),
        },
    };
    let unknown = match b.value() {
        Some(Value::Unknown(why)) => Some(why),
        _ => None,
    };
    Figure {
        what: what.to_string(),
        value: if unknown.is_some() {
            "unknown".to_string()
        } else {
            shown
        },
        setting,
        location,
        default: !b.is_set() && b.command_word.is_none() && b.value().is_some(),
        unknown,
    }
}

fn find<'a, 'b>(bs: &'b [Binding<'a>], concept: &str) -> Option<&'b Binding<'a>> {
    // a set binding wins over an unset one of the same concept
    bs.iter()
        .filter(|b| b.concept() == concept)
        .max_by_key(|b| (b.is_set(), b.value().is_some()))
}

fn duration_text(b: &Binding<'_>) -> String {
    match (b.value(), b.duration()) {
        (_, Some(d)) if d.millis() == 0 && !b.from_secret() => "not limited (0)".to_string(),
        (_, Some(d)) => b.duration_var(d).render(Reveal::Masked).into_owned(),
        // a negative cookie max-age (Tomcat's `-1`) is a cookie for the
        // browser's session
        (Some(Value::Known(v)), None)
            if b.concept() == "cookie.max-age"
                && v.trim().parse::<f64>().is_ok_and(|n| n < 0.0)
                && !b.from_secret() =>
        {
            format!("until the browser closes (`{}`)", v.trim())
        }
        (Some(Value::Known(v)), None) => format!("`{}` (not a duration)", value_text(b, &v)),
        (Some(Value::Unknown(_)), _) => "unknown".to_string(),
        (None, _) => "not set; no documented default".to_string(),
    }
}

/// A value (or text made from it) as a figure shows it: masked when it is
/// a secret or read from a Kubernetes Secret.
pub(super) fn value_text(b: &Binding<'_>, text: &str) -> String {
    b.value_var(text).render(Reveal::Masked).into_owned()
}

/// Does a store keep sessions in each replica?
fn per_instance(store: &str) -> bool {
    matches!(store, "memory" | "file" | "sqlite")
}

/// Build the reports for the workloads of a model. `findings` are the
/// run's findings (to list those that concern each service).
pub fn reports(
    model: &Model,
    rules: &RuleSet,
    sources: &SourceMap,
    findings: &[Finding],
) -> Vec<Report> {
    let mut out = Vec::new();
    for w in &model.workloads {
        let bs = bindings(w, rules);
        let profile = w.app.as_deref().and_then(|a| rules.app(a));
        let kept = profile.map(|p| kept_state(w, p)).unwrap_or_default();
        // a finding at one of the workload's own places (not one that only
        // names it, like a Redis finding naming its users)
        let explains = || {
            let own = own_places(w);
            findings.iter().any(|f| {
                f.suppression.is_none()
                    && explains_logins(f.category)
                    && within(&own, f.primary.span)
            })
        };
        if kept.is_empty()
            && !bs.iter().any(|b| SESSION_CONCEPTS.contains(&b.concept()))
            && profile.is_none_or(|p| p.in_memory.is_empty())
            && !explains()
        {
            continue;
        }
        let app = profile
            .map(|p| p.name.clone())
            .or_else(|| bs.first().map(|b| b.profile.name.clone()))
            .unwrap_or_default();
        out.push(report(
            w,
            (&bs, &kept),
            &app,
            (model, rules),
            sources,
            findings,
        ));
    }
    out.extend(proxy_reports(model, findings, sources));
    out
}

/// The workload's own places: its definition, replicas, image, settings,
/// ports, command words and volumes.
fn own_places(w: &Workload) -> Vec<Span> {
    let mut own: Vec<Span> = vec![w.span];
    own.extend(w.replicas_span);
    own.extend(w.image.as_ref().map(|(_, s)| *s));
    for s in &w.settings {
        own.push(s.key_span);
        own.push(s.value_span);
    }
    own.extend(w.ports.iter().map(|(_, s)| *s));
    own.extend(w.command.iter().map(|(_, s)| *s));
    if let Some(v) = &w.volumes {
        own.extend(v.iter().map(|v| v.span));
    }
    own
}

/// Every place of the workload a finding may concern: its own places, its
/// labels, where its settings came through, and the routes in front.
fn places(w: &Workload) -> Vec<Span> {
    let mut spans = own_places(w);
    for s in &w.labels {
        spans.push(s.key_span);
        spans.push(s.value_span);
    }
    for s in w.settings.iter().chain(&w.labels) {
        spans.extend(s.via.iter().map(|l| l.span));
    }
    for r in &w.routes {
        spans.push(r.span);
        spans.extend(r.settings.iter().map(|s| s.value_span));
    }
    spans
}

/// Does `x` lie within one of `spans`?
fn within(spans: &[Span], x: Span) -> bool {
    spans
        .iter()
        .any(|s| s.file == x.file && s.start <= x.start && x.end <= s.end.max(s.start))
}

/// Does an unsuppressed finding concern the workload defined at `w_span`
/// with these `places`: its primary location is one of them, or one of its
/// other locations is (other than the workload's definition)?
fn concerns(w_span: Span, places: &[Span], f: &Finding) -> bool {
    f.suppression.is_none()
        && (within(places, f.primary.span)
            || f.related
                .iter()
                .any(|l| within(places, l.span) && l.span != w_span))
}

/// Does a finding of this category explain a logout, a failed login or
/// lost sessions (weak secrets and parse errors do not)?
pub(super) fn explains_logins(c: crate::source::finding::Category) -> bool {
    use crate::source::finding::Category;
    ![Category::WeakSecret, Category::ParseError].contains(&c)
}

/// Findings about proxies that no workload of the repository is known to
/// stand behind (an nginx upstream of bare addresses, a lone snippet): one
/// report per file, whose verdicts are those findings.
fn proxy_reports(model: &Model, findings: &[Finding], sources: &SourceMap) -> Vec<Report> {
    let all: Vec<(Span, Vec<Span>)> = model
        .workloads
        .iter()
        .map(|w| (w.span, places(w)))
        .collect();
    let attached = |f: &Finding| all.iter().any(|(at, p)| concerns(*at, p, f));
    let mut by_file: std::collections::BTreeMap<crate::source::FileId, Vec<&Finding>> =
        std::collections::BTreeMap::new();
    for f in findings {
        if f.suppression.is_some() || !explains_logins(f.category) {
            continue;
        }
        let kind = sources.get(f.primary.span.file).map(|s| s.kind);
        if !matches!(
            kind,
            Some(crate::source::FileKind::Nginx | crate::source::FileKind::Haproxy)
        ) || attached(f)
        {
            continue;
        }
        by_file.entry(f.primary.span.file).or_default().push(f);
    }
    by_file
        .into_iter()
        .filter_map(|(file, fs)| {
            let path = sources.get(file)?.display_path();
            let related: Vec<(Related, crate::source::finding::Category)> =
                fs.iter().map(|f| related_of(f, sources)).collect();
            Some(Report {
                service: path.clone(),
                kind: "proxy configuration",
                app: "no service of the repository is known behind it".to_string(),
                location: path,
                layers: Vec::new(),
                verdicts: verdicts::from_findings(&related),
                findings: related.into_iter().map(|(r, _)| r).collect(),
            })
        })
        .collect()
}

fn report(
    w: &Workload,
    (bs, kept): (&[Binding<'_>], &[Kept<'_>]),
    app: &str,
    (model, rules): (&Model, &RuleSet),
    sources: &SourceMap,
    findings: &[Finding],
) -> Report {
    let (app_layer, limits) = app::layer(bs, sources);
    let store = store::layer(w, bs, (model, rules), sources);
    let (keys_layer, regenerated) = keys::layer(w, bs, kept, sources);
    let mut verdicts = verdicts::verdicts(w, app, &limits, &store, regenerated.as_deref(), sources);
    let related = related_findings(w, findings, sources);
    verdicts.extend(verdicts::from_findings(&related));
    let mut layers = vec![app_layer];
    layers.extend(cookie::layer(bs, sources));
    layers.extend(store.layer);
    layers.push(route::layer(w, sources));
    layers.extend(keys_layer);
    Report {
        service: w.name.clone(),
        kind: kind_name(w.kind),
        app: app.to_string(),
        location: loc(sources, w.span),
        layers,
        verdicts,
        findings: related.into_iter().map(|(r, _)| r).collect(),
    }
}

/// Findings whose primary location is one of the workload's places, each
/// with its category.
fn related_findings(
    w: &Workload,
    findings: &[Finding],
    sources: &SourceMap,
) -> Vec<(Related, crate::source::finding::Category)> {
    let spans = places(w);
    findings
        .iter()
        .filter(|f| concerns(w.span, &spans, f))
        .map(|f| related_of(f, sources))
        .collect()
}

/// A finding as `sessions` lists it, with its category.
fn related_of(f: &Finding, sources: &SourceMap) -> (Related, crate::source::finding::Category) {
    (
        Related {
            rule: f.rule.clone(),
            severity: f.severity,
            location: loc(sources, f.primary.span),
            message: f.message.clone(),
        },
        f.category,
    )
}
