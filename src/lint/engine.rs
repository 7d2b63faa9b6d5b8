//! Runs the checks over the model.
//!
//! A check is either a condition (`when:`) evaluated against each workload
//! through the concepts its app profile binds, or a named function
//! ([`crate::lint::checks`]). Either way the check's YAML gives the message, help
//! and label templates; the engine fills in the placeholders, masking
//! secret values.

use rayon::prelude::*;
use std::collections::HashSet;

use crate::lint::bind::{Binding, Match, bindings};
use crate::lint::checks;
use crate::model::{Model, Origin, Setting, Value, Workload, WorkloadKind};
use crate::rules::{Check, Cond, Presence, RuleSet};
use crate::source::Span;
use crate::source::finding::{Confidence, Finding, Label, Severity};
use crate::source::secret::{Reveal, Var, render};
use crate::syntax::duration::{Duration, Unit};

/// The result of a run of the engine.
#[derive(Debug, Default)]
pub struct Evaluation {
    pub findings: Vec<Finding>,
    /// Byte ranges holding secret values, to be masked in output.
    pub masks: Vec<Span>,
}

/// Three-valued result: a condition that depends on something the model
/// cannot know is `Unknown`, which never reports.
#[derive(Debug, Clone)]
pub enum Tri {
    Yes(Match),
    No,
    Unknown,
}

struct Cx<'a> {
    w: &'a Workload,
    bindings: &'a [Binding<'a>],
    check: &'a Check,
}

impl Cx<'_> {
    fn eval(&self, c: &Cond) -> Tri {
        let mut parts: Vec<Tri> = Vec::new();
        if let Some(concept) = &c.concept {
            parts.push(self.concept(&concept.value, c));
        }
        if let Some(n) = c.replicas_above {
            parts.push(self.replicas_above(n));
        }
        if let Some(b) = c.tls {
            parts.push(self.tls(b));
        }
        if let Some(b) = c.sticky {
            parts.push(self.sticky(b));
        }
        if let Some(app) = &c.app {
            parts.push(if self.w.app.as_deref() == Some(app.as_str()) {
                Tri::Yes(Match::default())
            } else {
                Tri::No
            });
        }
        if let Some(all) = &c.all {
            parts.extend(all.iter().map(|c| self.eval(c)));
        }
        if let Some(any) = &c.any {
            let results: Vec<Tri> = any.iter().map(|c| self.eval(c)).collect();
            let unknown = results.iter().any(|r| matches!(r, Tri::Unknown));
            parts.push(
                results
                    .into_iter()
                    .find(|r| matches!(r, Tri::Yes(_)))
                    .unwrap_or(if unknown { Tri::Unknown } else { Tri::No }),
            );
        }
        if let Some(not) = &c.not {
            parts.push(match self.eval(not) {
                Tri::Yes(_) => Tri::No,
                Tri::No => Tri::Yes(Match::default()),
                Tri::Unknown => Tri::Unknown,
            });
        }
        // all parts must hold
        let mut acc = Match::default();
        let mut unknown = false;
        for p in parts {
            match p {
                Tri::Yes(m) => acc.merge(m),
                Tri::No => return Tri::No,
                Tri::Unknown => unknown = true,
            }
        }
        if unknown { Tri::Unknown } else { Tri::Yes(acc) }
    }

    /// `replicas-above: n` (unknown for a lone `.env`).
    fn replicas_above(&self, n: u32) -> Tri {
        if self.w.kind == WorkloadKind::EnvFile {
            Tri::Unknown
        } else if self.w.replicas > n {
            let mut m = Match::default();
            m.set("replicas", self.w.replicas.to_string());
            if let Some(s) = self.w.replicas_span {
                m.related
                    .push(Label::new(s, format!("{} replicas", self.w.replicas)));
            }
            Tri::Yes(m)
        } else {
            Tri::No
        }
    }

    /// `tls: b` (unknown when no route in front is known).
    fn tls(&self, b: bool) -> Tri {
        match self.w.tls {
            None => Tri::Unknown,
            Some(t) if t == b => {
                let mut m = Match::default();
                if let Some(r) = self.w.routes.iter().find(|r| {
                    r.kind == crate::model::RouteKind::Ingress
                        || (r.kind == crate::model::RouteKind::Proxy && r.tls == t)
                }) {
                    m.related.push(Label::new(
                        r.span,
                        if t {
                            "served over TLS here"
                        } else {
                            "served without TLS here"
                        },
                    ));
                }
                Tri::Yes(m)
            }
            Some(_) => Tri::No,
        }
    }

    /// `sticky: b` (unknown for a lone `.env`).
    fn sticky(&self, b: bool) -> Tri {
        if self.w.kind == WorkloadKind::EnvFile {
            Tri::Unknown
        } else if self.w.sticky == b {
            let mut m = Match::default();
            if let Some(st) = self.w.routes.iter().find_map(|r| r.stickiness()) {
                m.related
                    .push(Label::new(st.value_span, "keeps each user on one replica"));
            } else if !b
                && let Some(r) = self
                    .w
                    .routes
                    .iter()
                    .find(|r| r.kind != crate::model::RouteKind::Service)
            {
                m.related.push(Label::new(
                    r.span,
                    format!("{} spreads requests over the replicas", r.title()),
                ));
            }
            Tri::Yes(m)
        } else {
            Tri::No
        }
    }

    fn concept(&self, concept: &str, c: &Cond) -> Tri {
        let of_concept: Vec<&Binding<'_>> = self
            .bindings
            .iter()
            .filter(|b| b.concept() == concept)
            .collect();
        if of_concept.is_empty() {
            return Tri::No;
        }
        let explicit: Vec<&&Binding<'_>> = of_concept.iter().filter(|b| b.is_set()).collect();
        // a config file of the workload could not be read: what is not set
        // elsewhere may be set there
        if explicit.is_empty() && self.w.settings_unread {
            return Tri::Unknown;
        }
        // a config file no service mounts, that sets none of the settings
        // its app's profile knows, says nothing of the app's sessions: its
        // defaults depend on a deployment the repository does not show (a
        // `php.ini` of an app that keeps no PHP sessions)
        if explicit.is_empty()
            && self.w.kind == WorkloadKind::ConfigFile
            && !self.bindings.iter().any(|b| b.is_set())
        {
            return Tri::Unknown;
        }
        let candidates: Vec<&Binding<'_>> = match c.is.unwrap_or(Presence::Any) {
            Presence::Set => explicit.into_iter().copied().collect(),
            Presence::Unset if !explicit.is_empty() => return Tri::No,
            Presence::Unset => of_concept,
            Presence::Any if explicit.is_empty() => of_concept
                .into_iter()
                .filter(|b| b.default().is_some() && b.default_applies)
                .collect(),
            Presence::Any => explicit.into_iter().copied().collect(),
        };
        let mut unknown = false;
        for b in candidates {
            match self.binding(b, c) {
                Tri::Yes(m) => return Tri::Yes(m),
                Tri::Unknown => unknown = true,
                Tri::No => {}
            }
        }
        if unknown { Tri::Unknown } else { Tri::No }
    }

    fn threshold(&self, t: &str) -> Option<Duration> {
        if t == "threshold" {
            self.check.threshold.as_ref().and_then(|t| t.value)
        } else {
            Duration::parse_threshold(t)
        }
    }

    fn binding(&self, b: &Binding<'_>, c: &Cond) -> Tri {
        let needs_value = c.below.is_some()
            || c.above.is_some()
            || c.equals.is_some()
            || c.unit_mistake.is_some();
        let value = b.value();
        if needs_value && !matches!(value, Some(Value::Known(_))) {
            return if value.is_some() {
                Tri::Unknown
            } else {
                Tri::No
            };
        }
        let raw = value.as_ref().and_then(Value::known).unwrap_or("");
        let mut m = match_for(self.w, b);
        for (t, below) in [(&c.below, true), (&c.above, false)] {
            let Some(t) = t else { continue };
            let (Some(limit), Some(d)) = (self.threshold(&t.value), b.duration()) else {
                return Tri::Unknown;
            };
            if (below && d >= limit) || (!below && d <= limit) {
                return Tri::No;
            }
            if below && d.millis() == 0 && b.spec.zero_is_no_limit {
                return Tri::No;
            }
            m.set("threshold", limit.to_string());
        }
        if let Some(list) = &c.equals {
            let v = b.spec.normalize(raw);
            if !list.iter().any(|x| x.eq_ignore_ascii_case(&v)) {
                return Tri::No;
            }
        }
        if let Some(want) = c.unit_mistake {
            let hit = unit_mistake(b, raw);
            if hit.is_some() != want {
                return Tri::No;
            }
            if let Some((looks_like, d)) = hit {
                m.set("looks-like", looks_like.name().to_string());
                m.set("looks-like-duration", b.duration_var(d));
            }
        }
        if let Some(want) = c.persistent {
            let Some(path) = b
                .spec
                .when_unset
                .as_ref()
                .and_then(|u| u.kept_in.as_deref())
            else {
                return Tri::No;
            };
            match self.w.is_persistent(path) {
                None => return Tri::Unknown,
                Some(p) if p != want => return Tri::No,
                Some(_) => {}
            }
        }
        Tri::Yes(m)
    }
}

/// `(unit it looks like, the duration read in that unit)` when the value
/// only makes sense in another unit.
fn unit_mistake(b: &Binding<'_>, raw: &str) -> Option<(Unit, Duration)> {
    let um = b.spec.unit_mistake.as_ref()?;
    let n: f64 = raw.trim().parse().ok()?;
    let hit = um.at_least.is_some_and(|a| n >= a) || um.below.is_some_and(|x| n < x);
    if !hit {
        return None;
    }
    Some((um.looks_like, Duration::parse_in(raw, um.looks_like)?))
}

/// The match data for one binding: its location and placeholders.
fn match_for(w: &Workload, b: &Binding<'_>) -> Match {
    let mut m = Match {
        heuristic: b.profile.heuristic,
        convention: b.spec.convention.clone(),
        ..Default::default()
    };
    let key = b.key();
    // a secret concept's values, and anything read from a Kubernetes Secret
    let shown = |v: &str| b.value_var(v);
    match (b.setting, b.alternative) {
        (Some(s), _) | (None, Some(s)) => {
            m.primary = Some(Label::new(s.value_span, ""));
            m.related.extend(s.via.iter().cloned());
            m.from_example = s.from_example;
            if let Value::Known(v) = &s.value {
                m.set("value", shown(v));
            }
        }
        (None, None) if b.command_word.is_some() => {
            if let (Some((word, span)), Some(c)) = (b.command_word, &b.spec.command_default) {
                m.primary = Some(Label::new(
                    span,
                    format!("`{word}` runs with `{key}={}`", c.value),
                ));
                m.set("value", shown(&c.value));
            }
        }
        (None, None) => {
            m.primary = Some(Label::new(w.span, format!("`{key}` is not set here")));
            if let Some(d) = b.default() {
                m.set("value", shown(d));
            }
        }
    }
    if let Some(d) = b.default() {
        m.set("default", Var::hidden_if(b.is_secret(), d));
    }
    if let Some(d) = b.duration() {
        m.set("duration", b.duration_var(d));
    }
    if let Some(u) = b.unit() {
        m.set("unit", u.name().to_string());
    }
    if let Some(k) = b.spec.when_unset.as_ref().and_then(|u| u.kept_in.clone()) {
        m.set("kept-in", k);
    }
    m.set("key", key);
    m
}

/// Turn a match into a finding of `check`.
pub fn finding(
    check: &Check,
    w: Option<&Workload>,
    rules: &RuleSet,
    mut m: Match,
    reveal: Reveal,
) -> Finding {
    if let Some(w) = w {
        m.set_default("service", || w.name.clone());
        let app = w
            .app
            .as_deref()
            .and_then(|a| rules.app(a))
            .map_or_else(|| w.name.clone(), |p| p.name.clone());
        m.set_default("app", || app);
        m.set_default("replicas", || w.replicas.to_string());
    }
    if let Some(t) = check.threshold.as_ref().and_then(|t| t.value) {
        m.set_default("threshold", || t.to_string());
    }
    let mut message = render(&check.message.value, &m.vars, reveal);
    let confidence = if m.heuristic {
        message.push_str(" (heuristic: recognised by the variable's name)");
        Confidence::Low
    } else if let Some(why) = &m.convention {
        message.push_str(&format!(" (by convention: {why})"));
        Confidence::Medium
    } else {
        Confidence::High
    };
    let label = check
        .label
        .as_ref()
        .map(|l| render(&l.value, &m.vars, reveal))
        .unwrap_or_default();
    let mut primary = m.primary.unwrap_or_else(|| {
        let span = w.map_or(
            Span {
                file: crate::source::FileId(0),
                start: 0,
                end: 0,
            },
            |w| w.span,
        );
        Label::new(span, "")
    });
    if !label.is_empty() {
        primary.message = label;
    }
    let mut related: Vec<Label> = Vec::new();
    for r in m.related {
        if r.span != primary.span && !related.iter().any(|x| x.span == r.span) {
            related.push(r);
        }
    }
    let severity = if m.from_example {
        Severity::Note
    } else {
        check.severity
    };
    Finding {
        rule: check.id().to_string(),
        category: check.category.value,
        severity,
        message,
        help: Some(render(&check.help.value, &m.vars, reveal)).filter(|h| !h.is_empty()),
        primary,
        related,
        confidence,
        suppression: None,
    }
}

/// Run every check over the model.
pub fn evaluate(model: &Model, rules: &RuleSet, reveal: Reveal) -> Evaluation {
    let (all_bindings, effective): (Vec<Vec<Binding<'_>>>, Vec<Vec<&Setting>>) = model
        .workloads
        .par_iter()
        .map(|w| (bindings(w, rules), crate::lint::bind::effective(w)))
        .unzip();
    // checks are independent: run in parallel, kept in rule order
    let per_check: Vec<Vec<Finding>> = rules
        .checks
        .par_iter()
        .map(|check| run_check(check, model, rules, (&all_bindings, &effective), reveal))
        .collect();
    let mut findings = model.findings.clone();
    findings.extend(per_check.into_iter().flatten());
    // one finding per rule and place: a `.env` line read by several
    // services is reported once (the first, which has its context)
    let mut seen = HashSet::new();
    findings.retain(|f| seen.insert((f.rule.clone(), f.primary.span)));
    Evaluation {
        findings,
        masks: secret_spans(model, rules, &all_bindings),
    }
}

/// The findings of one check over the whole model.
fn run_check(
    check: &Check,
    model: &Model,
    rules: &RuleSet,
    (all_bindings, effective): (&[Vec<Binding<'_>>], &[Vec<&Setting>]),
    reveal: Reveal,
) -> Vec<Finding> {
    let mut findings = Vec::new();
    if let Some(cond) = &check.when {
        for (w, b) in model.workloads.iter().zip(all_bindings) {
            let cx = Cx {
                w,
                bindings: b,
                check,
            };
            if let Tri::Yes(m) = cx.eval(cond) {
                findings.push(finding(check, Some(w), rules, m, reveal));
            }
        }
    } else if let Some(f) = &check.check {
        let input = checks::Input {
            model,
            rules,
            bindings: all_bindings,
            effective,
        };
        // rule loading rejects ids that are not registered
        let Some(function) = checks::get(&f.value) else {
            debug_assert!(false, "check function `{}` is not registered", f.value);
            return findings;
        };
        for hit in function.run(&input) {
            let mut out = finding(check, hit.workload, rules, hit.matched, reveal);
            if let Some(s) = hit.severity {
                out.severity = if out.severity == Severity::Note {
                    Severity::Note
                } else {
                    s
                };
            }
            findings.push(out);
        }
    }
    findings
}

/// Every place a secret value is written.
fn secret_spans(model: &Model, rules: &RuleSet, all: &[Vec<Binding<'_>>]) -> Vec<Span> {
    let mut out = Vec::new();
    let mut push = |s: &Setting| {
        if matches!(s.value, Value::Known(_)) || matches!(s.origin, Origin::Fallback { .. }) {
            out.push(s.value_span);
        }
    };
    for b in all.iter().flatten() {
        if b.is_secret()
            && let Some(s) = b.setting
        {
            push(s);
        }
    }
    let settings = model
        .workloads
        .iter()
        .flat_map(|w| w.settings.iter().chain(&w.labels))
        .chain(&model.loose);
    for s in settings {
        if s.from_secret || checks::weak_secret::secret_class(&s.key, rules).is_some() {
            push(s);
        }
    }
    crate::source::mask::normalize(&mut out);
    out
}
