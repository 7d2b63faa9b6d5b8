//! `weak-secret` and `weak-secret-fallback`: placeholder, shipped, short or
//! uniform secrets, written or taken from a `${VAR:-default}` fallback.

use std::collections::HashSet;

use super::{Check, Hit, Input, at};
use crate::lint::bind::{Binding, Match};
use crate::model::{Origin, Setting, Value, Workload};
use crate::rules::RuleSet;
use crate::source::finding::{Label, Severity};
use crate::source::secret::Secret;

/// `weak-secret` (`fallbacks: false`) and `weak-secret-fallback`.
pub struct WeakSecret {
    /// Look at `${VAR:-default}` fallbacks instead of values written.
    pub fallbacks: bool,
}

impl Check for WeakSecret {
    fn run<'a>(&self, input: &Input<'a>) -> Vec<Hit<'a>> {
        weak_secrets(input, self.fallbacks)
    }
}

/// What kind of secret a key holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SecretClass {
    /// Signs or encrypts sessions, tokens or data: strength matters.
    Signing,
    /// A password or credential: placeholders matter.
    Password,
    /// A credential another service issues: only a publicly known value
    /// is weak.
    Issued,
}

/// Classify a key by the secret list's patterns.
pub fn secret_class(key: &str, rules: &RuleSet) -> Option<SecretClass> {
    let c = rules.secrets.compiled.as_ref()?;
    if c.not_secret.is_match(key) {
        None
    } else if c.issued.is_match(key) {
        Some(SecretClass::Issued)
    } else if c.password.is_match(key) {
        Some(SecretClass::Password)
    } else if c.signing.is_match(key) {
        Some(SecretClass::Signing)
    } else {
        None
    }
}

/// Why a secret value is weak, and how bad that is. A value that several
/// apps ship is explained by the shipped secret of `app` (the workload's)
/// when it has one.
pub fn weakness(
    value: &str,
    class: SecretClass,
    rules: &RuleSet,
    app: Option<&str>,
) -> Option<(Severity, String)> {
    let v = value.trim();
    if v.is_empty() {
        return (class == SecretClass::Signing).then(|| (Severity::Error, "empty".to_string()));
    }
    // `- KEY=""` and `${KEY:-""}` mean "no value" to their authors, but
    // compose keeps the quotes: a signing key is then these two
    // characters, while a password or credential is simply not given
    if v == "\"\"" || v == "''" {
        return (class == SecretClass::Signing).then(|| {
            (
                Severity::Error,
                "a pair of quotes, which compose passes on as the value".to_string(),
            )
        });
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
    let own = app.and_then(|a| rules.app(a));
    for p in own.into_iter().chain(&rules.apps) {
        if let Some(s) = p.shipped_secrets.iter().find(|s| s.value == v) {
            if s.refused_at_start {
                return Some((
                    Severity::Note,
                    format!(
                        "a publicly known value ({}), which {} refuses at start",
                        s.note, p.name
                    ),
                ));
            }
            return Some((
                Severity::Error,
                format!("a publicly known value ({})", s.note),
            ));
        }
    }
    if class != SecretClass::Issued
        && rules
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
    // what another service issued is not chosen here: an unfilled or short
    // one breaks an integration, it weakens nothing
    if class == SecretClass::Issued {
        return None;
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

/// How a key was found to hold a secret.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Known {
    /// A profile of the workload's app names it as a secret the app reads.
    ByConcept,
    /// Only its name says so (the secret list's patterns).
    ByName,
}

/// The binding of the workload's profile that reads `s`, if any.
fn binding_of<'b, 'a>(s: &Setting, bindings: &'b [Binding<'a>]) -> Option<&'b Binding<'a>> {
    bindings
        .iter()
        .find(|b| b.setting.is_some_and(|x| std::ptr::eq(x, s)))
}

/// The secret class of a setting: by concept (through the profile's
/// binding that reads it) or by key name.
fn class_of(
    s: &Setting,
    bound: Option<&Binding<'_>>,
    rules: &RuleSet,
) -> Option<(SecretClass, Known)> {
    let by_concept = bound.and_then(|b| match b.concept() {
        "session.secret" | "encryption.key" => Some(SecretClass::Signing),
        "credential.password" => Some(SecretClass::Password),
        _ => None,
    });
    by_concept
        .map(|c| (c, Known::ByConcept))
        .or_else(|| secret_class(&s.key, rules).map(|c| (c, Known::ByName)))
}

/// The default and app name of a binding set to an empty value that its
/// app replaces by that default (`empty-is-default`).
fn empty_default<'a>(b: &Binding<'a>) -> Option<(&'a str, &'a str)> {
    if !b.is_empty_default() {
        return None;
    }
    Some((b.spec.default.as_deref()?, b.profile.name.as_str()))
}

fn weak_secrets<'a>(input: &Input<'a>, fallbacks: bool) -> Vec<Hit<'a>> {
    let mut out = Vec::new();
    let mut consider = |s: &Setting,
                        (class, known): (SecretClass, Known),
                        w: Option<&'a Workload>,
                        empty: Option<(&str, &str)>| {
        let app = w.and_then(|w| w.app.as_deref());
        out.extend(
            weak_value(input, s, (class, known), (fallbacks, app), empty).map(
                |(severity, matched)| Hit {
                    workload: w,
                    matched,
                    severity: Some(severity),
                },
            ),
        );
    };
    for ((w, b), settings) in input
        .model
        .workloads
        .iter()
        .zip(input.bindings)
        .zip(input.effective)
    {
        for &s in settings {
            let bound = binding_of(s, b);
            // an empty value the app treats as not set (LibrePhotos then
            // generates its `SECRET_KEY`) is no weak secret
            if bound.is_some_and(Binding::is_empty_unset) {
                continue;
            }
            if let Some(known) = class_of(s, bound, input.rules) {
                consider(s, known, Some(w), bound.and_then(empty_default));
            }
        }
        for s in &w.labels {
            if let Some(class) = secret_class(&s.key, input.rules) {
                consider(s, (class, Known::ByName), Some(w), None);
            }
        }
    }
    for s in &input.model.loose {
        if let Some(class) = secret_class(&s.key, input.rules) {
            consider(s, (class, Known::ByName), None, None);
        }
    }
    if !fallbacks {
        shipped_defaults(input, &mut out);
    }
    out
}

/// A weak value written for a secret setting (or, with `fallbacks`, in a
/// `${VAR:-default}` fallback): its severity and match. `empty` is the
/// default and app name when the app replaces an empty value by its
/// default.
fn weak_value(
    input: &Input<'_>,
    s: &Setting,
    (class, known): (SecretClass, Known),
    (fallbacks, app): (bool, Option<&str>),
    empty: Option<(&str, &str)>,
) -> Option<(Severity, Match)> {
    let is_fallback = matches!(s.origin, Origin::Fallback { .. });
    if is_fallback != fallbacks {
        return None;
    }
    let Value::Known(v) = &s.value else {
        return None;
    };
    // an empty value in an example file means "fill this in"
    if s.from_example && v.trim().is_empty() {
        return None;
    }
    // an empty value the app replaces by its default is that default
    let (v, empty_app) = match empty {
        Some((d, app)) if v.trim().is_empty() => (d, Some(app)),
        _ => (v.as_str(), None),
    };
    // an empty value of a key known by its name alone says nothing: apps
    // generate the key (Convex, LibrePhotos), leave the feature off (an
    // OpenID or S3 client not configured) or refuse to start; only a
    // profile knows which, and a profile's empty default is handled above
    if known == Known::ByName && v.trim().is_empty() {
        return None;
    }
    let mut copied = None;
    let (severity, reason) = weakness(v, class, input.rules, app).or_else(|| {
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
    })?;
    let mut m = at(s);
    if let Some(span) = copied {
        m.related
            .push(Label::new(span, "the same value in the example"));
    }
    let reason = match empty_app {
        Some(app) => format!("empty, so {app} uses its default, which is {reason}"),
        None => reason,
    };
    let reason = match &s.origin {
        Origin::Variable { name } if *name != s.key => {
            format!("{reason} (its value comes from `{name}`)")
        }
        _ => reason,
    };
    m.set("key", s.key.clone());
    m.set("value", Secret::new(v));
    m.set("reason", reason);
    if let Origin::Fallback { name } = &s.origin {
        m.set("other", name.clone());
    }
    Some((severity, m))
}

/// An unset secret whose default the app ships (Grafana's `secret_key`,
/// Gitea's fallback key when the installer is skipped).
fn shipped_defaults<'a>(input: &Input<'a>, out: &mut Vec<Hit<'a>>) {
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
            let Some((severity, reason)) = weakness(&d, class, input.rules, w.app.as_deref())
            else {
                continue;
            };
            let key = b.key();
            let mut m = Match {
                primary: Some(Label::new(w.span, format!("`{key}` is not set"))),
                ..Default::default()
            };
            m.set("key", key.clone());
            m.set("value", Secret::new(d.as_str()));
            m.set(
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
