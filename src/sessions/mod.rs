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

use std::fmt::Write;

use serde::Serialize;

use crate::lint::bind::{Binding, bindings};
use crate::model::{Model, Value, Workload, WorkloadKind};
use crate::rules::RuleSet;
use crate::source::finding::{Finding, Severity};
use crate::source::{SourceMap, Span};
use crate::syntax::duration::Duration;

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

fn kind_name(k: WorkloadKind) -> &'static str {
    match k {
        WorkloadKind::ComposeService => "compose service",
        WorkloadKind::EnvFile => "env file (deployment unknown)",
        WorkloadKind::KubeContainer => "Kubernetes container",
        WorkloadKind::HelmValues => "Helm chart",
        WorkloadKind::ConfigFile => "config file (deployment unknown)",
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
        (_, Some(d)) if d.millis() == 0 => "not limited (0)".to_string(),
        (_, Some(d)) => d.to_string(),
        (Some(Value::Known(v)), None) => format!("`{v}` (not a duration)"),
        (Some(Value::Unknown(_)), _) => "unknown".to_string(),
        (None, _) => "not set; no documented default".to_string(),
    }
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
        if !bs.iter().any(|b| SESSION_CONCEPTS.contains(&b.concept())) {
            continue;
        }
        let app = w
            .app
            .as_deref()
            .and_then(|a| rules.app(a))
            .map(|p| p.name.clone())
            .or_else(|| bs.first().map(|b| b.profile.name.clone()))
            .unwrap_or_default();
        out.push(report(w, &bs, &app, (model, rules), sources, findings));
    }
    out
}

fn report(
    w: &Workload,
    bs: &[Binding<'_>],
    app: &str,
    (model, rules): (&Model, &RuleSet),
    sources: &SourceMap,
    findings: &[Finding],
) -> Report {
    let mut layers = Vec::new();
    let mut verdicts = Vec::new();

    // ---- app
    let mut figs = Vec::new();
    let idle = find(bs, "session.idle-timeout");
    let max = find(bs, "session.max-lifetime");
    let refresh = find(bs, "session.refresh-interval");
    for (b, what) in [
        (idle, "idle timeout"),
        (max, "absolute lifetime"),
        (refresh, "token refresh"),
    ] {
        if let Some(b) = b {
            figs.push(figure(sources, b, what, duration_text(b)));
        }
    }
    if idle.is_none() && max.is_none() {
        figs.push(Figure::fact(
            "lifetime",
            "not configured here (the app's code decides)",
            None,
        ));
    }
    layers.push(Layer {
        layer: "app",
        figures: figs,
    });

    // ---- cookie
    let mut figs = Vec::new();
    if let Some(b) = find(bs, "cookie.max-age") {
        let shown = match b.duration() {
            Some(d) if d.millis() == 0 => "until the browser closes (0)".to_string(),
            _ => duration_text(b),
        };
        figs.push(figure(sources, b, "max-age", shown));
    }
    for (concept, what) in [
        ("cookie.secure", "Secure"),
        ("cookie.samesite", "SameSite"),
        ("cookie.httponly", "HttpOnly"),
    ] {
        if let Some(b) = find(bs, concept) {
            let v = b
                .value()
                .and_then(|v| v.known().map(|v| b.spec.normalize(v)))
                .filter(|v| !v.is_empty())
                .unwrap_or_else(|| "not set (the browser's default)".into());
            figs.push(figure(sources, b, what, v));
        }
    }
    if !figs.is_empty() {
        layers.push(Layer {
            layer: "cookie",
            figures: figs,
        });
    }

    // ---- store
    let mut figs = Vec::new();
    let store = find(bs, "session.store");
    let store_kind = store
        .and_then(|b| b.value())
        .and_then(|v| v.known().map(str::to_string))
        .and_then(|v| store.map(|b| b.spec.normalize(&v)));
    if let Some(b) = store {
        let shown = match store_kind.as_deref() {
            Some(k) if per_instance(k) => format!("{k} (in each replica)"),
            Some(k) => format!("{k} (shared)"),
            None => "not set".into(),
        };
        figs.push(figure(sources, b, "where", shown));
    }
    // the Redis service this workload points at, when sessions live there
    let mut redis_verdict = None;
    let users = (store_kind.as_deref() == Some("redis"))
        .then(|| crate::lint::checks::redis::RedisUsers::new(model));
    if let Some(users) = &users
        && let Some(r) = model.workloads.iter().find(|r| {
            crate::lint::checks::redis::is_redis(r, rules)
                && users.of(r).iter().any(|(u, _)| std::ptr::eq(*u, w))
        })
    {
        let args = crate::lint::checks::redis::redis_args(r);
        // a figure without a location is Redis's own default
        let fig = |what: &str, value: String, at: Option<Span>| Figure {
            default: at.is_none(),
            ..Figure::fact(what, value, at.map(|s| loc(sources, s)))
        };
        figs.push(fig("Redis", format!("service `{}`", r.name), Some(r.span)));
        let evicts = match (&args.maxmemory, &args.policy) {
            (Some((m, _)), Some((p, ps))) if m.trim() != "0" && p != "noeviction" => {
                figs.push(fig(
                    "eviction",
                    format!("{p} when {m} is full: sessions can be evicted"),
                    Some(*ps),
                ));
                Some(*ps)
            }
            (_, Some((p, ps))) => {
                figs.push(fig("eviction", p.clone(), Some(*ps)));
                None
            }
            _ => {
                figs.push(fig("eviction", "noeviction (no memory limit)".into(), None));
                None
            }
        };
        let aof = args
            .appendonly
            .as_ref()
            .is_some_and(|(v, _)| v.eq_ignore_ascii_case("yes"));
        let no_snapshots = args.save.as_ref().is_some_and(|(v, _)| v.trim().is_empty());
        let on_disk = r.is_persistent("/data");
        let persistence = match (aof, no_snapshots, on_disk) {
            (_, _, Some(false)) => "no volume on /data: nothing survives a recreate",
            (false, true, _) => "nothing written to disk (`save \"\"`, no append-only file)",
            (true, _, _) => "append-only file",
            (false, false, _) => "snapshots (RDB)",
        };
        let persist_span = args.save.as_ref().map(|(_, s)| *s);
        figs.push(fig("persistence", persistence.into(), persist_span));
        let lost = no_snapshots && !aof || on_disk == Some(false);
        redis_verdict = match (evicts, lost) {
            (Some(at), true) => Some((
                format!(
                    "everyone is logged out when Redis `{}` restarts (it keeps nothing on disk) and some users whenever it is full (it evicts keys)",
                    r.name
                ),
                Some(at),
            )),
            (Some(at), false) => Some((
                format!(
                    "some users are logged out whenever Redis `{}` is full: it evicts keys",
                    r.name
                ),
                Some(at),
            )),
            (None, true) => Some((
                format!(
                    "everyone is logged out when Redis `{}` restarts: it keeps nothing on disk",
                    r.name
                ),
                persist_span,
            )),
            (None, false) => None,
        };
    }
    if !figs.is_empty() {
        layers.push(Layer {
            layer: "store",
            figures: figs,
        });
    }

    // ---- route
    let mut figs = Vec::new();
    let deployment_known = !matches!(w.kind, WorkloadKind::EnvFile | WorkloadKind::ConfigFile);
    if deployment_known {
        figs.push(Figure {
            default: w.replicas_span.is_none(),
            ..Figure::fact(
                "replicas",
                w.replicas.to_string(),
                w.replicas_span.map(|s| loc(sources, s)),
            )
        });
        let sticky = w.routes.iter().find_map(|r| r.stickiness());
        figs.push(Figure::fact(
            "sticky",
            match sticky {
                Some(s) => format!("yes ({})", s.value.known().unwrap_or("set")),
                None if w
                    .routes
                    .iter()
                    .any(|r| r.kind != crate::model::RouteKind::Service) =>
                {
                    "no (requests spread over the replicas)".into()
                }
                None => "no".into(),
            },
            sticky.map(|s| loc(sources, s.value_span)),
        ));
        for r in &w.routes {
            figs.push(Figure::fact(
                "in front",
                r.title(),
                Some(loc(sources, r.span)),
            ));
        }
        let tls = match w.tls {
            Some(true) => "yes",
            Some(false) => "no",
            None => "not known from the repository",
        };
        figs.push(Figure::fact("TLS", tls, None));
    } else {
        figs.push(Figure {
            unknown: Some("the file is not used by any deployment in the repository".into()),
            ..Figure::fact(
                "deployment",
                "unknown: no compose file, manifest or chart uses these settings",
                None,
            )
        });
    }
    layers.push(Layer {
        layer: "route",
        figures: figs,
    });

    // ---- keys
    let mut figs = Vec::new();
    let mut regenerated: Option<String> = None;
    for b in bs
        .iter()
        .filter(|b| matches!(b.concept(), "session.secret" | "encryption.key"))
    {
        let what = if b.concept() == "session.secret" {
            "signing key"
        } else {
            "encryption key"
        };
        let shown = if b.is_set() {
            "set (value not shown)".to_string()
        } else if let Some(u) = &b.spec.when_unset
            && u.generated_at_start
        {
            let kept = u.kept_in.as_deref().map(|dir| (dir, w.is_persistent(dir)));
            match kept {
                Some((dir, Some(true))) => {
                    format!("generated at first start, kept in {dir} (persistent)")
                }
                Some((dir, Some(false))) => {
                    regenerated = Some(format!(
                        "`{}` is generated at start and {dir} is not on a persistent volume",
                        b.key()
                    ));
                    format!("generated at start, {dir} not persistent: new key on every recreate")
                }
                Some((dir, None)) => format!("generated at start, kept in {dir}"),
                None => "generated at start by each instance".into(),
            }
        } else if let Some(from) = b
            .spec
            .when_unset
            .as_ref()
            .and_then(|u| u.derived_from.clone())
        {
            format!("derived from `{from}`")
        } else if b.value().is_some() {
            "not set: the app's built-in default (publicly known)".into()
        } else {
            "not set".into()
        };
        figs.push(figure(sources, b, what, shown));
    }
    if !figs.is_empty() {
        layers.push(Layer {
            layer: "keys",
            figures: figs,
        });
    }

    // ---- verdicts
    let where_of = |b: &Binding<'_>| -> (String, Option<String>) {
        match (b.setting, b.command_word) {
            (Some(s), _) => {
                let v = s.value.known().unwrap_or("?");
                let unit = b
                    .unit()
                    .filter(|_| v.trim().parse::<f64>().is_ok())
                    .map(|u| format!(" {}", u.name()))
                    .unwrap_or_default();
                (
                    format!("{} = {v}{unit}", s.key),
                    Some(loc(sources, s.value_span)),
                )
            }
            (None, Some((word, span))) => (
                format!("`{word}` in the command sets {}", b.key()),
                Some(loc(sources, span)),
            ),
            (None, None) => (format!("{} (default of {app})", b.key()), None),
        }
    };
    let mut bound =
        |case: &'static str, b: &Binding<'_>, lead: &str| match (b.value(), b.duration()) {
            (Some(Value::Unknown(why)), _) => verdicts.push(Verdict {
                case,
                text: format!("{lead}: unknown, it depends on `{}`: {why}", b.key()),
                location: b.setting.map(|s| loc(sources, s.value_span)),
            }),
            (_, Some(d)) if d.millis() > 0 => {
                let (what, at) = where_of(b);
                verdicts.push(Verdict {
                    case,
                    text: format!("{lead} after {d}: {what}"),
                    location: at,
                });
            }
            _ => {}
        };
    let shorter = |a: Option<&Binding<'_>>, b: Option<&Binding<'_>>| -> Option<Duration> {
        let da = a.and_then(Binding::duration).filter(|d| d.millis() > 0);
        let db = b.and_then(Binding::duration).filter(|d| d.millis() > 0);
        match (da, db) {
            (Some(x), Some(y)) => Some(x.min(y)),
            (x, y) => x.or(y),
        }
    };
    // idle user: the shorter of the idle timeout and the absolute lifetime
    let idle_limit = shorter(idle, max);
    match (idle, max) {
        (Some(i), Some(m)) if m.duration() == idle_limit && i.duration() != idle_limit => {
            bound("idle", m, "an idle user is logged out");
        }
        (Some(i), _) => bound("idle", i, "an idle user is logged out"),
        (None, Some(m)) => bound("idle", m, "an idle user is logged out"),
        (None, None) => {}
    }
    let idle_within_refresh = match (idle, refresh) {
        (Some(i), Some(r)) => {
            matches!((i.duration(), r.duration()), (Some(di), Some(dr)) if di <= dr)
        }
        _ => false,
    };
    if !idle_within_refresh && let Some(m) = max {
        bound("active", m, "an active user is logged out");
    } else if let (Some(i), Some(r)) = (idle, refresh)
        && let (Some(di), Some(dr)) = (i.duration(), r.duration())
        && di <= dr
    {
        let (what, at) = where_of(i);
        verdicts.push(Verdict {
            case: "active",
            text: format!(
                "an active user is logged out after {di}: the idle lifetime ({what}) is not longer than the token refresh ({dr})"
            ),
            location: at,
        });
    }
    if let Some(k) = store_kind.as_deref()
        && k == "memory"
    {
        verdicts.push(Verdict {
            case: "restart",
            text: format!(
                "everyone is logged out on every restart: sessions are kept in memory ({})",
                store.map(|b| where_of(b).0).unwrap_or_default()
            ),
            location: store.and_then(|b| where_of(b).1),
        });
    }
    if let Some((text, at)) = redis_verdict {
        verdicts.push(Verdict {
            case: "restart",
            text,
            location: at.map(|s| loc(sources, s)),
        });
    }
    if let Some(r) = &regenerated {
        verdicts.push(Verdict {
            case: "restart",
            text: format!("everyone is logged out when the container is recreated: {r}"),
            location: None,
        });
    }
    if let Some(k) = store_kind.as_deref()
        && per_instance(k)
        && w.replicas > 1
    {
        let (what, at) = store.map(where_of).unwrap_or_default();
        let text = if w.sticky {
            format!(
                "users are logged out when their replica restarts: {} replicas keep sessions in `{k}` storage each; sticky routing keeps a user on one ({what})",
                w.replicas
            )
        } else {
            format!(
                "random logouts: {} replicas, no sticky routing, sessions in `{k}` storage of each replica ({what})",
                w.replicas
            )
        };
        verdicts.push(Verdict {
            case: "replicas",
            text,
            location: at,
        });
    }
    if store.is_some_and(|b| matches!(b.value(), Some(Value::Unknown(_)))) {
        verdicts.push(Verdict {
            case: "replicas",
            text: format!(
                "where sessions live is unknown: {}",
                store
                    .and_then(|b| match b.value() {
                        Some(Value::Unknown(why)) => Some(why),
                        _ => None,
                    })
                    .unwrap_or_default()
            ),
            location: None,
        });
    }

    Report {
        service: w.name.clone(),
        kind: kind_name(w.kind),
        app: app.to_string(),
        location: loc(sources, w.span),
        layers,
        verdicts,
        findings: related_findings(w, findings, sources),
    }
}

/// Findings whose primary location is one of the workload's places.
fn related_findings(w: &Workload, findings: &[Finding], sources: &SourceMap) -> Vec<Related> {
    let mut spans: Vec<Span> = vec![w.span];
    spans.extend(w.replicas_span);
    for s in w.settings.iter().chain(&w.labels) {
        spans.push(s.key_span);
        spans.push(s.value_span);
        spans.extend(s.via.iter().map(|l| l.span));
    }
    for r in &w.routes {
        spans.push(r.span);
        spans.extend(r.settings.iter().map(|s| s.value_span));
    }
    spans.extend(w.command.iter().map(|(_, s)| *s));
    if let Some(v) = &w.volumes {
        spans.extend(v.iter().map(|v| v.span));
    }
    let inside = |x: Span| {
        spans
            .iter()
            .any(|s| s.file == x.file && s.start <= x.start && x.end <= s.end.max(s.start))
    };
    findings
        .iter()
        .filter(|f| f.suppression.is_none())
        .filter(|f| {
            inside(f.primary.span) || f.related.iter().any(|l| inside(l.span) && l.span != w.span)
        })
        .map(|f| Related {
            rule: f.rule.clone(),
            severity: f.severity,
            location: loc(sources, f.primary.span),
            message: f.message.clone(),
        })
        .collect()
}

/// The reports as text a person reads in seconds.
pub fn render_text(reports: &[Report]) -> String {
    let mut s = String::new();
    if reports.is_empty() {
        s.push_str("No service that keeps logins was found.\n");
        return s;
    }
    for r in reports {
        let _ = writeln!(s, "{} `{}` ({}) — {}", r.kind, r.service, r.app, r.location);
        let width = r
            .layers
            .iter()
            .flat_map(|l| l.figures.iter().map(|f| f.what.chars().count()))
            .max()
            .unwrap_or(8);
        let vwidth = r
            .layers
            .iter()
            .flat_map(|l| l.figures.iter().map(|f| f.value.chars().count()))
            .max()
            .unwrap_or(8)
            .min(48);
        for l in &r.layers {
            for (i, f) in l.figures.iter().enumerate() {
                let layer = if i == 0 { l.layer } else { "" };
                let mut source = match (&f.setting, &f.location) {
                    (Some(set), Some(at)) => format!("{set} ({at})"),
                    (None, Some(at)) => at.clone(),
                    (Some(set), None) => set.clone(),
                    (None, None) if f.default => "default".into(),
                    (None, None) => String::new(),
                };
                if f.default && (f.setting.is_some() || f.location.is_some()) {
                    source.push_str(", default");
                } else if f.default && source != "default" {
                    source = "default".into();
                }
                if let Some(why) = &f.unknown {
                    source = if source.is_empty() {
                        why.clone()
                    } else {
                        format!("{source}: {why}")
                    };
                }
                let line = format!(
                    "  {layer:<7} {:<width$}  {:<vwidth$}  {source}",
                    f.what, f.value
                );
                let _ = writeln!(s, "{}", line.trim_end());
            }
        }
        if r.verdicts.is_empty() {
            let _ = writeln!(s, "  verdict: no limit found in the repository");
        } else {
            let _ = writeln!(s, "  verdict:");
            for v in &r.verdicts {
                match &v.location {
                    Some(at) => {
                        let _ = writeln!(s, "    - {} ({at})", v.text);
                    }
                    None => {
                        let _ = writeln!(s, "    - {}", v.text);
                    }
                }
            }
        }
        if !r.findings.is_empty() {
            let _ = writeln!(s, "  findings:");
            for f in &r.findings {
                let _ = writeln!(
                    s,
                    "    {:<7} {:<34} {}",
                    f.severity.to_string(),
                    f.rule,
                    f.location
                );
            }
        }
        s.push('\n');
    }
    s
}

/// The reports as JSON.
pub fn render_json(reports: &[Report]) -> String {
    let doc = serde_json::json!({
        "version": 1,
        "services": reports,
    });
    serde_json::to_string_pretty(&doc).unwrap_or_default() + "\n"
}
