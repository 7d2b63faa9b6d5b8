//! Check functions: the logic that a condition cannot express. Each one is
//! named by a check file (`check: <name>`), which still holds the check's
//! id, message, help, docs and examples.

use std::collections::{BTreeMap, HashMap, HashSet};

use crate::lint::bind::{Binding, Match, effective};
use crate::model::nginx::FactKind;
use crate::model::{Model, Origin, Setting, Value, Workload, WorkloadKind};
use crate::rules::{RuleSet, image_repository};
use crate::source::finding::{Label, Severity};
use crate::source::mask::mask_secret;

/// What a check function sees.
pub struct Input<'a> {
    pub model: &'a Model,
    pub rules: &'a RuleSet,
    /// Concept bindings, one list per workload (same order).
    pub bindings: &'a [Vec<Binding<'a>>],
    /// The settings in effect (the last of each key), one list per
    /// workload (same order); see [`effective`].
    pub effective: &'a [Vec<&'a Setting>],
}

/// One thing a check function found.
pub struct Hit<'a> {
    pub workload: Option<&'a Workload>,
    pub matched: Match,
    /// Overrides the check's severity.
    pub severity: Option<Severity>,
}

/// Run the named check function.
pub fn run<'a>(name: &str, input: &Input<'a>) -> Vec<Hit<'a>> {
    match name {
        "ineffective-setting" => ineffective(input),
        "weak-secret" => weak_secrets(input, false),
        "weak-secret-fallback" => weak_secrets(input, true),
        "unshared-key" => unshared_key(input),
        "redis-evicts-sessions" => redis(input, RedisCheck::Eviction),
        "redis-without-persistence" => redis(input, RedisCheck::Persistence),
        "proxy-websocket" => proxy_websocket(input),
        "proxy-cookie-flags" => proxy_facts(input, FactKind::CookieFlags),
        "proxy-cookie-path" => proxy_facts(input, FactKind::CookiePath),
        "nginx-plus-sticky" => proxy_facts(input, FactKind::PlusSticky),
        "missing-forwarded-proto" => proxy_facts(input, FactKind::NoForwardedProto),
        "sticky-cookie-without-secure" => sticky_cookie(input, StickyCheck::Secure),
        "sticky-cookie-samesite-none" => sticky_cookie(input, StickyCheck::SameSiteNone),
        "sticky-cookie-shorter-than-session" => sticky_cookie(input, StickyCheck::Lifetime),
        "client-ip-affinity-behind-ingress" => client_ip_behind_ingress(input),
        "idle-timeout-within-refresh" => compare_durations(input, Compare::IdleWithinRefresh),
        "cookie-outlives-server-session" => {
            compare_durations(input, Compare::CookieOutlivesSession)
        }
        // parse errors are reported while reading; the check file only
        // documents them
        _ => Vec::new(),
    }
}

fn at(s: &Setting) -> Match {
    Match {
        primary: Some(Label::new(s.value_span, "")),
        related: s.via.clone(),
        from_example: s.from_example,
        ..Default::default()
    }
}

// ------------------------------------------------------------ ineffective

fn ineffective<'a>(input: &Input<'a>) -> Vec<Hit<'a>> {
    let mut out = Vec::new();
    for (w, settings) in input.model.workloads.iter().zip(input.effective) {
        let Some(profile) = w.app.as_deref().and_then(|a| input.rules.app(a)) else {
            continue;
        };
        for &s in settings {
            let Some(entry) = profile.ineffective.iter().find(|i| i.matches(&s.key)) else {
                continue;
            };
            let mut m = Match {
                primary: Some(Label::new(s.key_span, "")),
                related: s.via.clone(),
                from_example: s.from_example,
                ..Default::default()
            };
            m.vars.insert("key", s.key.clone());
            m.vars.insert("reason", entry.reason.clone());
            m.vars.insert(
                "use-instead",
                entry
                    .use_instead
                    .clone()
                    .map_or_else(String::new, |u| format!("; use `{u}` instead")),
            );
            out.push(Hit {
                workload: Some(w),
                matched: m,
                severity: entry.severity,
            });
        }
    }
    out
}

// ------------------------------------------------------------ secrets

/// What kind of secret a key holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SecretClass {
    /// Signs or encrypts sessions, tokens or data: strength matters.
    Signing,
    /// A password or credential: placeholders matter.
    Password,
}

/// Classify a key by the secret list's patterns.
pub fn secret_class(key: &str, rules: &RuleSet) -> Option<SecretClass> {
    let c = rules.secrets.compiled.as_ref()?;
    if c.not_secret.is_match(key) {
        None
    } else if c.password.is_match(key) {
        Some(SecretClass::Password)
    } else if c.signing.is_match(key) {
        Some(SecretClass::Signing)
    } else {
        None
    }
}

/// Why a secret value is weak, and how bad that is.
pub fn weakness(value: &str, class: SecretClass, rules: &RuleSet) -> Option<(Severity, String)> {
    let v = value.trim();
    if v.is_empty() {
        return (class == SecretClass::Signing).then(|| (Severity::Error, "empty".to_string()));
    }
    // values filled in by a template engine or another tool are not ours,
    // and words that mean "no value" are not a secret
    if v.contains("{{") || v.starts_with("${") || v.starts_with("$(") {
        return None;
    }
    if ["none", "null", "nil", "~", "undefined"]
        .iter()
        .any(|w| v.eq_ignore_ascii_case(w))
    {
        return None;
    }
    for p in &rules.apps {
        if let Some(s) = p.shipped_secrets.iter().find(|s| s.value == v) {
            return Some((
                Severity::Error,
                format!("a publicly known value ({})", s.note),
            ));
        }
    }
    if rules
        .secrets
        .placeholders
        .iter()
        .any(|p| p.eq_ignore_ascii_case(v))
    {
        return Some((Severity::Error, "a well-known placeholder".to_string()));
    }
    if let Some(list) = rules.secrets.extra.get(&v.to_lowercase()) {
        return Some((Severity::Error, format!("on your secret list `{list}`")));
    }
    if v.starts_with("django-insecure-") {
        return Some((
            Severity::Error,
            "the development key of `django-admin startproject` (its `django-insecure-` prefix says so)"
                .to_string(),
        ));
    }
    if let Some(why) = crate::lint::secrets::known_jwt(v) {
        return Some((Severity::Error, why));
    }
    let words = rules.secrets.placeholders.iter().map(String::as_str).chain(
        rules
            .apps
            .iter()
            .flat_map(|p| p.shipped_secrets.iter().map(|s| s.value.as_str())),
    );
    if let Some(why) = crate::lint::secrets::weak_hash(v, words) {
        return Some((Severity::Error, why));
    }
    if (v.starts_with('<') && v.ends_with('>')) || (v.starts_with('[') && v.ends_with(']')) {
        return Some((Severity::Error, "a placeholder in brackets".to_string()));
    }
    if let Some(c) = &rules.secrets.compiled
        && c.placeholder_patterns.iter().any(|re| re.is_match(v))
    {
        return Some((Severity::Error, "placeholder text".to_string()));
    }
    let distinct: HashSet<char> = v.chars().collect();
    if distinct.len() < 5 {
        return Some((
            Severity::Error,
            match distinct.len() {
                1 => "one character repeated".to_string(),
                n => format!("too uniform ({n} distinct characters)"),
            },
        ));
    }
    if class == SecretClass::Signing {
        let n = v.chars().count();
        if n < 16 {
            return Some((
                Severity::Error,
                format!("too short ({n} characters; use at least 32 random ones)"),
            ));
        }
        if n < 32 {
            return Some((
                Severity::Warning,
                format!("short ({n} characters; use at least 32 random ones)"),
            ));
        }
    }
    None
}

/// The secret class of a setting: by concept (through its workload's
/// profile) or by key name.
fn class_of(s: &Setting, bindings: &[Binding<'_>], rules: &RuleSet) -> Option<SecretClass> {
    let by_concept = bindings
        .iter()
        .find(|b| b.setting.is_some_and(|x| std::ptr::eq(x, s)))
        .and_then(|b| match b.concept() {
            "session.secret" | "encryption.key" => Some(SecretClass::Signing),
            "credential.password" => Some(SecretClass::Password),
            _ => None,
        });
    by_concept.or_else(|| secret_class(&s.key, rules))
}

fn weak_secrets<'a>(input: &Input<'a>, fallbacks: bool) -> Vec<Hit<'a>> {
    let mut out = Vec::new();
    let mut consider = |s: &Setting, class: SecretClass, w: Option<&'a Workload>| {
        let is_fallback = matches!(s.origin, Origin::Fallback { .. });
        if is_fallback != fallbacks {
            return;
        }
        let Value::Known(v) = &s.value else { return };
        // an empty value in an example file means "fill this in"
        if s.from_example && v.trim().is_empty() {
            return;
        }
        let mut copied = None;
        let Some((severity, reason)) = weakness(v, class, input.rules).or_else(|| {
            // a real `.env` value copied unchanged from the example next to it
            let env_key = match &s.origin {
                Origin::Variable { name } => name.as_str(),
                _ => s.key.as_str(),
            };
            let (ex, span) = input
                .model
                .example_values
                .get(&s.value_span.file)?
                .get(env_key)?;
            (ex == v && !s.from_example).then(|| {
                copied = Some(*span);
                (
                    Severity::Error,
                    "the value of the example file next to it, unchanged".to_string(),
                )
            })
        }) else {
            return;
        };
        let mut m = at(s);
        if let Some(span) = copied {
            m.related
                .push(Label::new(span, "the same value in the example"));
        }
        let reason = match &s.origin {
            Origin::Variable { name } if *name != s.key => {
                format!("{reason} (its value comes from `{name}`)")
            }
            _ => reason,
        };
        m.vars.insert("key", s.key.clone());
        m.vars.insert("value", mask_secret(v));
        m.vars.insert("reason", reason);
        if let Origin::Fallback { name } = &s.origin {
            m.vars.insert("other", name.clone());
        }
        out.push(Hit {
            workload: w,
            matched: m,
            severity: Some(severity),
        });
    };
    for ((w, b), settings) in input
        .model
        .workloads
        .iter()
        .zip(input.bindings)
        .zip(input.effective)
    {
        for &s in settings {
            if let Some(class) = class_of(s, b, input.rules) {
                consider(s, class, Some(w));
            }
        }
        for s in &w.labels {
            if let Some(class) = secret_class(&s.key, input.rules) {
                consider(s, class, Some(w));
            }
        }
    }
    for s in &input.model.loose {
        if let Some(class) = secret_class(&s.key, input.rules) {
            consider(s, class, None);
        }
    }
    if !fallbacks {
        // an unset secret whose default the app ships (Grafana's
        // secret_key, Gitea's fallback key when the installer is skipped)
        for (w, bs) in input.model.workloads.iter().zip(input.bindings) {
            for b in bs.iter().filter(|b| b.is_secret() && !b.is_set()) {
                let Some(Value::Known(d)) = b.value() else {
                    continue;
                };
                let class = if b.concept() == "credential.password" {
                    SecretClass::Password
                } else {
                    SecretClass::Signing
                };
                let Some((severity, reason)) = weakness(&d, class, input.rules) else {
                    continue;
                };
                let key = b.key();
                let mut m = Match {
                    primary: Some(Label::new(w.span, format!("`{key}` is not set"))),
                    ..Default::default()
                };
                m.vars.insert("key", key.clone());
                m.vars.insert("value", mask_secret(&d));
                m.vars.insert(
                    "reason",
                    format!(
                        "not set, so {} uses its default, which is {reason}",
                        b.profile.name
                    ),
                );
                out.push(Hit {
                    workload: Some(w),
                    matched: m,
                    severity: Some(severity),
                });
            }
        }
    }
    out
}

// ------------------------------------------------------------ shared keys

/// Several services of one app in one project must share the key that a
/// profile says is generated at start when unset.
fn unshared_key<'a>(input: &Input<'a>) -> Vec<Hit<'a>> {
    let mut groups: BTreeMap<(String, String), Vec<usize>> = BTreeMap::new();
    for (i, w) in input.model.workloads.iter().enumerate() {
        if w.kind != WorkloadKind::ComposeService {
            continue;
        }
        if let Some(app) = &w.app {
            groups
                .entry((w.project.clone(), app.clone()))
                .or_default()
                .push(i);
        }
    }
    let mut out = Vec::new();
    // replicas of one service that generate the key each for itself
    for (w, bs) in input.model.workloads.iter().zip(input.bindings) {
        if w.kind == WorkloadKind::EnvFile || w.replicas < 2 {
            continue;
        }
        let Some(b) = bs.iter().find(|b| {
            b.spec
                .when_unset
                .as_ref()
                .is_some_and(|u| u.generated_at_start)
        }) else {
            continue;
        };
        if b.is_set() {
            continue;
        }
        let key = b.key();
        let mut m = Match {
            primary: Some(Label::new(
                w.replicas_span.unwrap_or(w.span),
                format!("{} replicas, `{key}` not set", w.replicas),
            )),
            ..Default::default()
        };
        m.related
            .push(Label::new(w.span, format!("service `{}`", w.name)));
        m.vars.insert("key", key);
        m.vars.insert(
            "other",
            match w.replicas - 1 {
                1 => "its other replica".to_string(),
                n => format!("its other {n} replicas"),
            },
        );
        out.push(Hit {
            workload: Some(w),
            matched: m,
            severity: None,
        });
    }
    for idx in groups.values() {
        if idx.len() < 2 {
            continue;
        }
        // the generated-at-start key of each service, as an identity
        let mut ids: Vec<(usize, Binding<'a>, String)> = Vec::new();
        for &i in idx {
            let (Some(w), Some(bs)) = (input.model.workloads.get(i), input.bindings.get(i)) else {
                continue;
            };
            let Some(b) = bs.iter().find(|b| {
                b.spec
                    .when_unset
                    .as_ref()
                    .is_some_and(|u| u.generated_at_start)
            }) else {
                continue;
            };
            let identity = match (b.value(), b.is_set()) {
                (Some(Value::Known(v)), true) => format!("value:{v}"),
                (_, true) => continue, // set, but from somewhere we cannot see
                (_, false) => {
                    let kept_in = b
                        .spec
                        .when_unset
                        .as_ref()
                        .and_then(|u| u.kept_in.as_deref())
                        .unwrap_or("");
                    let shared = w.volumes.iter().flatten().find(|v| {
                        v.persistent
                            && !v.source.is_empty()
                            && kept_in.starts_with(v.target.trim_end_matches('/'))
                    });
                    match shared {
                        Some(v) => format!("volume:{}", v.source),
                        None => format!("own:{i}"),
                    }
                }
            };
            ids.push((i, *b, identity));
        }
        let distinct: HashSet<&str> = ids.iter().map(|(_, _, id)| id.as_str()).collect();
        if distinct.len() < 2 {
            continue;
        }
        // report each service whose key is not pinned, or, when all are
        // pinned to different values, the later ones
        let first = ids.first().map(|(i, _, id)| (*i, id.clone()));
        for (i, b, id) in &ids {
            let Some(w) = input.model.workloads.get(*i) else {
                continue;
            };
            let pinned = id.starts_with("value:");
            if pinned && first.as_ref().is_some_and(|(_, fid)| fid == id) {
                continue;
            }
            let mut m = Match::default();
            let key = b.key();
            match b.setting {
                Some(s) => {
                    m.primary = Some(Label::new(s.value_span, "differs from the other services"));
                    m.related.extend(s.via.iter().cloned());
                }
                None => {
                    m.primary = Some(Label::new(w.span, format!("`{key}` is not set here")));
                }
            }
            for (j, bj, _) in &ids {
                if j == i {
                    continue;
                }
                if let Some(wj) = input.model.workloads.get(*j) {
                    let span = bj.setting.map_or(wj.span, |s| s.value_span);
                    m.related
                        .push(Label::new(span, format!("service `{}`", wj.name)));
                }
            }
            m.vars.insert("key", key);
            let others: Vec<String> = ids
                .iter()
                .filter(|(j, _, _)| j != i)
                .filter_map(|(j, _, _)| input.model.workloads.get(*j))
                .map(|w| format!("`{}`", w.name))
                .collect();
            m.vars.insert("other", others.join(", "));
            out.push(Hit {
                workload: Some(w),
                matched: m,
                severity: None,
            });
        }
    }
    out
}

// ------------------------------------------------------------ redis

#[derive(Clone, Copy, PartialEq, Eq)]
enum RedisCheck {
    Eviction,
    Persistence,
}

/// Redis settings read from a service's `command:`.
pub(crate) struct RedisArgs {
    pub maxmemory: Option<(String, crate::source::Span)>,
    pub policy: Option<(String, crate::source::Span)>,
    pub save: Option<(String, crate::source::Span)>,
    pub appendonly: Option<(String, crate::source::Span)>,
}

pub(crate) fn redis_args(w: &Workload) -> RedisArgs {
    let arg = |name: &str| {
        let flag = format!("--{name}");
        let mut it = w.command.iter();
        while let Some((word, _)) = it.next() {
            if word == &flag {
                return it.next().cloned();
            }
        }
        // a mounted redis.conf
        w.settings
            .iter()
            .rev()
            .find(|s| s.key == name)
            .map(|s| (s.value.known().unwrap_or("").to_string(), s.value_span))
    };
    RedisArgs {
        maxmemory: arg("maxmemory"),
        policy: arg("maxmemory-policy"),
        save: arg("save"),
        appendonly: arg("appendonly"),
    }
}

pub(crate) fn is_redis(w: &Workload, rules: &RuleSet) -> bool {
    w.app.as_deref() == Some("redis")
        || w.image.as_ref().is_some_and(|(i, _)| {
            rules.app("redis").is_some_and(|p| p.matches_image(i))
                || image_repository(i).ends_with("/redis")
        })
}

/// Settings of other services that point at the Redis service `name`.
/// Which workloads reach which Redis host, per project: the host each
/// setting names (a `redis://` URL, or a `*REDIS*HOST`/`*REDIS*URL` value),
/// with the first setting of each workload that names it. Built in one pass
/// over the model, so that looking up the users of every Redis is linear.
pub(crate) struct RedisUsers<'a> {
    by_host: HashMap<(&'a str, String), Vec<(&'a Workload, &'a Setting)>>,
}

impl<'a> RedisUsers<'a> {
    pub(crate) fn new(model: &'a Model) -> Self {
        let mut by_host: HashMap<(&'a str, String), Vec<(&'a Workload, &'a Setting)>> =
            HashMap::new();
        for w in &model.workloads {
            let mut named = HashSet::new();
            for s in effective(w) {
                let Some(host) = redis_host(s) else { continue };
                if named.insert(host.clone()) {
                    by_host
                        .entry((w.project.as_str(), host))
                        .or_default()
                        .push((w, s));
                }
            }
        }
        RedisUsers { by_host }
    }

    /// The other workloads of the Redis's project that point at it by name,
    /// each with the setting that does.
    pub(crate) fn of(&self, redis: &Workload) -> Vec<(&'a Workload, &'a Setting)> {
        let key = (redis.project.as_str(), redis.name.to_ascii_lowercase());
        self.by_host
            .get(&key)
            .map(|users| {
                users
                    .iter()
                    .filter(|(w, _)| !std::ptr::eq(*w, redis))
                    .copied()
                    .collect()
            })
            .unwrap_or_default()
    }
}

/// The Redis host a setting names, lowercased.
fn redis_host(s: &Setting) -> Option<String> {
    let Value::Known(v) = &s.value else {
        return None;
    };
    let v = v.trim().to_ascii_lowercase();
    if v.starts_with("redis://") || v.starts_with("rediss://") {
        return Some(
            v.split("://")
                .nth(1)
                .map(|r| r.rsplit('@').next().unwrap_or(r))
                .map(|r| r.split([':', '/']).next().unwrap_or(""))
                .unwrap_or("")
                .to_string(),
        );
    }
    let key = s.key.to_ascii_uppercase();
    (key.contains("REDIS") && (key.ends_with("HOST") || key.ends_with("URL")))
        .then(|| v.split(':').next().unwrap_or("").to_string())
}

fn redis<'a>(input: &Input<'a>, which: RedisCheck) -> Vec<Hit<'a>> {
    let mut out = Vec::new();
    let index = RedisUsers::new(input.model);
    for w in &input.model.workloads {
        if !is_redis(w, input.rules) {
            continue;
        }
        let users = index.of(w);
        if users.is_empty() {
            continue;
        }
        let args = redis_args(w);
        let mut m = Match::default();
        match which {
            RedisCheck::Eviction => {
                let (Some((mem, mem_span)), Some((policy, policy_span))) =
                    (args.maxmemory, args.policy)
                else {
                    continue;
                };
                let p = policy.to_ascii_lowercase();
                if p == "noeviction" || mem.trim() == "0" {
                    continue;
                }
                m.primary = Some(Label::new(policy_span, ""));
                m.related
                    .push(Label::new(mem_span, format!("memory capped at {mem}")));
                m.vars.insert("value", policy.clone());
            }
            RedisCheck::Persistence => {
                let Some((save, save_span)) = args.save else {
                    continue;
                };
                let aof_on = args
                    .appendonly
                    .as_ref()
                    .is_some_and(|(v, _)| v.eq_ignore_ascii_case("yes"));
                if !save.trim().is_empty() || aof_on {
                    continue;
                }
                m.primary = Some(Label::new(save_span, ""));
                if let Some((_, s)) = args.appendonly {
                    m.related
                        .push(Label::new(s, "append-only file switched off"));
                }
            }
        }
        let names: Vec<String> = users.iter().map(|(u, _)| format!("`{}`", u.name)).collect();
        let names = match names.as_slice() {
            [one] => format!("service {one} keeps"),
            [rest @ .., last] => format!("services {} and {last} keep", rest.join(", ")),
            [] => String::new(),
        };
        for (u, s) in &users {
            m.related.push(Label::new(
                s.value_span,
                format!("service `{}` uses it", u.name),
            ));
        }
        m.vars.insert("other", names);
        out.push(Hit {
            workload: Some(w),
            matched: m,
            severity: None,
        });
    }
    out
}

// ------------------------------------------------------------ routes

#[derive(Clone, Copy, PartialEq, Eq)]
enum StickyCheck {
    Secure,
    SameSiteNone,
    Lifetime,
}

fn is_true(s: Option<&Setting>) -> bool {
    s.and_then(|s| s.value.known())
        .is_some_and(|v| v.trim().eq_ignore_ascii_case("true"))
}

/// Apps whose web UI keeps a WebSocket open (n8n's push connection,
/// Grafana Live).
const WEBSOCKET_APPS: &[&str] = &["n8n", "grafana"];

/// nginx in front of a WebSocket app: no `Upgrade` header passed, or a
/// `proxy_read_timeout` under nginx's default of 60 seconds.
fn proxy_websocket<'a>(input: &Input<'a>) -> Vec<Hit<'a>> {
    let mut out = Vec::new();
    for w in &input.model.workloads {
        if !w
            .app
            .as_deref()
            .is_some_and(|a| WEBSOCKET_APPS.contains(&a))
        {
            continue;
        }
        for r in w
            .routes
            .iter()
            .filter(|r| r.kind == crate::model::RouteKind::Proxy)
        {
            let Some(pass) = r.setting("nginx.proxy_pass") else {
                continue;
            };
            if pass.value.known() != Some("proxy_pass") {
                continue;
            }
            let mut m = Match::default();
            match (
                r.setting("nginx.upgrade"),
                r.setting("nginx.proxy_read_timeout"),
            ) {
                (None, _) => {
                    m.primary = Some(Label::new(pass.value_span, "no `Upgrade` header passed"));
                    m.vars.insert(
                        "why",
                        "it does not pass the `Upgrade` and `Connection` headers, so the WebSocket connection of the UI fails"
                            .to_string(),
                    );
                }
                (Some(_), Some(t)) => {
                    let Some(d) = t.value.known().and_then(|v| {
                        crate::syntax::duration::Duration::parse_in(
                            v,
                            crate::syntax::duration::Unit::Duration,
                        )
                    }) else {
                        continue;
                    };
                    if d >= crate::syntax::duration::Duration::from_secs(60) {
                        continue;
                    }
                    m.primary = Some(Label::new(
                        t.value_span,
                        format!("idle connections cut after {d}"),
                    ));
                    m.vars.insert(
                        "why",
                        format!(
                            "`proxy_read_timeout {}` cuts a quiet WebSocket connection after {d}",
                            t.value.known().unwrap_or("")
                        ),
                    );
                }
                (Some(_), None) => continue,
            }
            m.vars.insert("other", r.name.clone());
            out.push(Hit {
                workload: Some(w),
                matched: m,
                severity: None,
            });
        }
    }
    out
}

/// nginx directives that change session cookies or break stickiness.
fn proxy_facts<'a>(input: &Input<'a>, kind: FactKind) -> Vec<Hit<'a>> {
    let mut out = Vec::new();
    for f in input.model.proxy_facts.iter().filter(|f| f.kind == kind) {
        let mut m = Match {
            primary: Some(Label::new(f.span, "")),
            ..Default::default()
        };
        let mut severity = None;
        let arg = |i: usize| f.args.get(i).map(|(a, _)| a.to_ascii_lowercase());
        match kind {
            FactKind::CookieFlags => {
                let Some(name) = arg(0).filter(|n| n != "off") else {
                    continue;
                };
                let flags: Vec<(String, crate::source::Span)> = f
                    .args
                    .iter()
                    .skip(1)
                    .map(|(a, s)| (a.to_ascii_lowercase(), *s))
                    .collect();
                let has = |x: &str| flags.iter().find(|(a, _)| a == x);
                let mut why = Vec::new();
                let mut at = None;
                if let Some((_, s)) = has("nosecure") {
                    why.push("removes Secure");
                    at = at.or(Some(*s));
                }
                if let Some((_, s)) = has("nohttponly") {
                    why.push("removes HttpOnly, so scripts can read it");
                    at = at.or(Some(*s));
                }
                if let Some((_, s)) = has("samesite=none")
                    && has("secure").is_none()
                {
                    why.push("sets SameSite=None without Secure, which browsers reject");
                    at = at.or(Some(*s));
                }
                let Some(at) = at else { continue };
                m.primary = Some(Label::new(at, ""));
                m.vars.insert("cookie", name);
                m.vars.insert("why", why.join(" and "));
            }
            FactKind::CookiePath => {
                let Some(repl) = f.args.get(1) else { continue };
                let r = repl.0.to_ascii_lowercase();
                if !r.contains(';') {
                    continue;
                }
                m.primary = Some(Label::new(repl.1, "attributes injected here"));
                let secure = r.contains("secure");
                let why = if r.contains("samesite=none") && !secure {
                    severity = Some(Severity::Error);
                    "it adds SameSite=None without Secure, which browsers reject"
                } else if r.contains("samesite=strict") {
                    "it forces SameSite=Strict on every cookie whose path matches: after a link from mail or a return from a sign-in provider the session cookie is not sent, and the user looks logged out; cookies without a Path get no flags at all"
                } else {
                    "it adds the attributes only to cookies whose Path matches, next to those the app already sets"
                };
                m.vars.insert("why", why.to_string());
            }
            FactKind::PlusSticky => {
                if f.image
                    .as_deref()
                    .is_some_and(|i| i.to_ascii_lowercase().contains("plus"))
                {
                    continue;
                }
                m.vars.insert(
                    "image",
                    f.image
                        .clone()
                        .unwrap_or_else(|| "open-source nginx".to_string()),
                );
            }
            FactKind::NoForwardedProto => {
                m.primary = Some(Label::new(f.span, "proxied without the scheme"));
            }
            FactKind::SetCookieHeader => continue,
        }
        out.push(Hit {
            workload: None,
            matched: m,
            severity,
        });
    }
    out
}

/// The sticky cookie of a route: ingress-nginx annotations or Traefik
/// `…loadbalancer.sticky.cookie.*` labels.
struct StickyCookie<'r> {
    /// Where stickiness is turned on.
    marker: &'r Setting,
    secure: bool,
    /// The proxy adds Secure by itself on HTTPS requests (ingress-nginx).
    auto_secure: bool,
    samesite: Option<&'r Setting>,
    max_age: Option<&'r Setting>,
    /// `Ingress `x`` / `Traefik router of `web``.
    owner: String,
    /// The setting that turns Secure on, for the help text.
    secure_key: String,
}

fn sticky_cookie_of(r: &crate::model::Route) -> Option<StickyCookie<'_>> {
    use crate::model::RouteKind;
    match r.kind {
        RouteKind::Ingress => Some(StickyCookie {
            marker: r
                .annotation("affinity")
                .filter(|s| s.value.known().is_some_and(|v| v.trim() == "cookie"))?,
            secure: is_true(r.annotation("session-cookie-secure")),
            auto_secure: true,
            samesite: r.annotation("session-cookie-samesite"),
            max_age: r
                .annotation("session-cookie-max-age")
                .or_else(|| r.annotation("session-cookie-expires")),
            owner: r.title(),
            secure_key: "nginx.ingress.kubernetes.io/session-cookie-secure: \"true\"".into(),
        }),
        RouteKind::Proxy => {
            let label = |suffix: &str| {
                r.settings
                    .iter()
                    .rev()
                    .find(|s| s.key.to_ascii_lowercase().ends_with(suffix))
            };
            let marker = r.setting("sticky")?;
            if let Some(c) = r.setting("haproxy.cookie") {
                let text = c.value.known().unwrap_or("");
                let name = text.split_whitespace().nth(1).unwrap_or("").to_string();
                let text = text.to_ascii_lowercase();
                return Some(StickyCookie {
                    marker: c,
                    secure: text.split_whitespace().any(|w| w == "secure"),
                    auto_secure: false,
                    samesite: None,
                    max_age: None,
                    owner: r.title(),
                    secure_key: format!("cookie {name} insert … secure"),
                });
            }
            // a Traefik IngressRoute: `sticky: {cookie: {…}}` of a service
            if let Some(c) = r.setting("sticky.cookie") {
                let field = |name: &str| {
                    r.settings
                        .iter()
                        .rev()
                        .find(|s| s.key.eq_ignore_ascii_case(&format!("sticky.cookie.{name}")))
                };
                return Some(StickyCookie {
                    marker: c,
                    secure: is_true(field("secure")),
                    auto_secure: false,
                    samesite: field("samesite"),
                    max_age: field("maxage"),
                    owner: r.title(),
                    secure_key: "sticky.cookie.secure: true".into(),
                });
            }
            // Traefik: `traefik.http.services.<svc>.loadbalancer.sticky.cookie…`
            const STICKY: &str = ".loadbalancer.sticky.cookie";
            let service = r.settings.iter().find_map(|s| {
                let end = s.key.to_ascii_lowercase().find(STICKY)?;
                s.key.get(..end)
            })?;
            Some(StickyCookie {
                marker: label(".sticky.cookie").unwrap_or(marker),
                secure: is_true(label(".sticky.cookie.secure")),
                auto_secure: false,
                samesite: label(".sticky.cookie.samesite"),
                max_age: label(".sticky.cookie.maxage"),
                owner: r.title(),
                secure_key: format!("{service}{STICKY}.secure=true"),
            })
        }
        RouteKind::Service => None,
    }
}

/// Sticky cookies of Ingresses and Traefik: Secure, SameSite and lifetime.
fn sticky_cookie<'a>(input: &Input<'a>, which: StickyCheck) -> Vec<Hit<'a>> {
    let mut out = Vec::new();
    for (w, bs) in input.model.workloads.iter().zip(input.bindings) {
        for r in &w.routes {
            let Some(c) = sticky_cookie_of(r) else {
                continue;
            };
            let mut m = Match::default();
            match which {
                StickyCheck::Secure => {
                    if c.secure {
                        continue;
                    }
                    if c.auto_secure {
                        // the controller sets Secure itself on HTTPS requests
                        if r.tls {
                            continue;
                        }
                        m.related
                            .push(Label::new(r.span, format!("{} has no `tls:`", c.owner)));
                        m.vars.insert(
                            "why",
                            "it has no `tls:` section and no `session-cookie-secure` annotation"
                                .to_string(),
                        );
                    } else {
                        // Traefik never adds Secure; it matters on HTTPS routers
                        if !r.tls {
                            continue;
                        }
                        m.related.push(Label::new(r.span, "served over TLS"));
                        let why = if r.setting("haproxy.cookie").is_some() {
                            "a TLS frontend uses this backend, but its `cookie` line has no `secure`"
                        } else {
                            "the router serves TLS, but the cookie's `secure` is not true"
                        };
                        m.vars.insert("why", why.to_string());
                    }
                    m.primary = Some(Label::new(c.marker.value_span, ""));
                }
                StickyCheck::SameSiteNone => {
                    let Some(ss) = c.samesite else {
                        continue;
                    };
                    let none = ss
                        .value
                        .known()
                        .is_some_and(|v| v.trim().eq_ignore_ascii_case("none"));
                    if !none || c.secure || (c.auto_secure && r.tls) {
                        continue;
                    }
                    m.primary = Some(Label::new(ss.value_span, ""));
                    m.related
                        .push(Label::new(c.marker.value_span, "sticky cookie"));
                }
                StickyCheck::Lifetime => {
                    let Some(age) = c.max_age else {
                        continue;
                    };
                    let Some(secs) = age
                        .value
                        .known()
                        .and_then(|v| v.trim().parse::<u128>().ok())
                        .filter(|s| *s > 0)
                    else {
                        continue;
                    };
                    let per_instance = bs.iter().any(|b| {
                        b.concept() == "session.store"
                            && b.is_set()
                            && b.value()
                                .and_then(|v| v.known().map(|v| b.spec.normalize(v)))
                                .is_some_and(|v| ["memory", "file", "sqlite"].contains(&v.as_str()))
                    });
                    if !per_instance {
                        continue;
                    }
                    let sticky = crate::syntax::duration::Duration::from_secs(secs);
                    let app = bs
                        .iter()
                        .filter(|b| {
                            matches!(b.concept(), "session.max-lifetime" | "session.idle-timeout")
                        })
                        .filter_map(|b| Some((b.duration()?, b)))
                        .max_by_key(|(d, _)| *d);
                    let Some((app_d, b)) = app else { continue };
                    if sticky >= app_d {
                        continue;
                    }
                    m.primary = Some(Label::new(age.value_span, format!("sticky for {sticky}")));
                    let at = b.setting.map_or(w.span, |s| s.value_span);
                    m.related
                        .push(Label::new(at, format!("sessions last {app_d}")));
                    m.vars.insert("duration", sticky.to_string());
                    m.vars.insert("threshold", app_d.to_string());
                }
            }
            m.vars.insert("other", c.owner.clone());
            m.vars.insert("secure-key", c.secure_key.clone());
            out.push(Hit {
                workload: Some(w),
                matched: m,
                severity: None,
            });
        }
    }
    out
}

/// A Service with `sessionAffinity: ClientIP` behind an Ingress pins by
/// the ingress controller's address, not the user's.
fn client_ip_behind_ingress<'a>(input: &Input<'a>) -> Vec<Hit<'a>> {
    use crate::model::RouteKind;
    let mut out = Vec::new();
    for w in &input.model.workloads {
        for r in w
            .routes
            .iter()
            .filter(|r| r.kind == RouteKind::Service && r.behind_ingress)
        {
            let Some(aff) = r.stickiness() else { continue };
            let mut m = Match {
                primary: Some(Label::new(aff.value_span, "")),
                ..Default::default()
            };
            if let Some(i) = w.routes.iter().find(|r| r.kind == RouteKind::Ingress) {
                m.related
                    .push(Label::new(i.span, format!("{} routes here", i.title())));
            }
            m.vars.insert("other", r.name.clone());
            out.push(Hit {
                workload: Some(w),
                matched: m,
                severity: None,
            });
        }
    }
    out
}

// ------------------------------------------------------------ two lifetimes

#[derive(Clone, Copy, PartialEq, Eq)]
enum Compare {
    /// Grafana: the idle lifetime restarts only on token rotation.
    IdleWithinRefresh,
    /// PHP & co.: the browser keeps a cookie whose server data is gone.
    CookieOutlivesSession,
}

fn compare_durations<'a>(input: &Input<'a>, which: Compare) -> Vec<Hit<'a>> {
    let (a, b) = match which {
        Compare::IdleWithinRefresh => ("session.idle-timeout", "session.refresh-interval"),
        Compare::CookieOutlivesSession => ("cookie.max-age", "session.idle-timeout"),
    };
    let mut out = Vec::new();
    for (w, bs) in input.model.workloads.iter().zip(input.bindings) {
        if w.app.is_none() {
            continue;
        }
        let find = |c: &str| {
            bs.iter()
                .filter(|x| x.concept() == c)
                .find_map(|x| Some((x.duration()?, x)))
        };
        let (Some((da, ba)), Some((db, bb))) = (find(a), find(b)) else {
            continue;
        };
        let hit = match which {
            Compare::IdleWithinRefresh => da <= db,
            Compare::CookieOutlivesSession => da.millis() > 0 && da > db,
        };
        // report only what someone set: two defaults are the app's business
        if !hit || !(ba.is_set() || bb.is_set()) {
            continue;
        }
        let (primary, other) = if ba.is_set() { (ba, bb) } else { (bb, ba) };
        let at = |x: &Binding<'_>| x.setting.map_or(w.span, |s| s.value_span);
        let label = |x: &Binding<'_>, d: crate::syntax::duration::Duration| {
            if x.is_set() {
                format!("`{}` = {d}", x.key())
            } else {
                format!("`{}` is not set: {d} by default", x.key())
            }
        };
        let mut m = Match {
            primary: Some(Label::new(at(primary), "")),
            ..Default::default()
        };
        let (dp, dother) = if ba.is_set() { (da, db) } else { (db, da) };
        m.related.push(Label::new(at(other), label(other, dother)));
        if let Some(s) = primary.setting {
            m.related.extend(s.via.iter().cloned());
        }
        m.vars.insert("key", primary.key());
        m.vars.insert("duration", dp.to_string());
        m.vars.insert("other", other.key());
        m.vars.insert("threshold", dother.to_string());
        m.vars.insert("value", da.to_string());
        m.vars.insert("default", db.to_string());
        out.push(Hit {
            workload: Some(w),
            matched: m,
            severity: None,
        });
    }
    out
}
