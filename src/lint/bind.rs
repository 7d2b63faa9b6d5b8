//! Bindings: the settings of a workload tied to the concepts of its app
//! profile, and what a condition or check found (a [`Match`]).

use std::collections::HashSet;

use crate::model::{Setting, Value, Workload};
use crate::rules::{AppProfile, RuleSet, SettingSpec};
use crate::source::Span;
use crate::source::finding::Label;
use crate::source::secret::{Var, Vars};
use crate::syntax::duration::{Duration, Unit};

/// One setting of a workload bound to a concept by a profile.
#[derive(Debug, Clone, Copy)]
pub struct Binding<'a> {
    pub spec: &'a SettingSpec,
    pub profile: &'a AppProfile,
    /// `None`: not set, the profile's default applies.
    pub setting: Option<&'a Setting>,
    /// An alternative variable (e.g. `…_FILE`) sets it, value unknown.
    pub alternative: Option<&'a Setting>,
    /// The profile's default is in effect when the setting is not set
    /// (see `default-applies-when`), and nothing the workload reads was
    /// left unread (see `Workload::settings_unread`).
    pub default_applies: bool,
    /// A config file of the workload could not be read: an unset
    /// setting may be set there, its value is unknown.
    pub unread: bool,
    /// A command word that sets the value when the setting is not set
    /// (see `command-default`).
    pub command_word: Option<(&'a str, Span)>,
    /// The default read from the scheme of another setting's URL (see
    /// `default-from`), when that URL is known.
    pub derived_default: Option<&'a str>,
}

impl<'a> Binding<'a> {
    pub fn concept(&self) -> &str {
        self.spec.concept()
    }

    pub fn key(&self) -> String {
        match self.setting {
            Some(s) => s.key.clone(),
            None => self
                .spec
                .name()
                .unwrap_or_else(|| self.concept().to_string()),
        }
    }

    /// The profile's default for this workload: from another setting's
    /// URL (`default-from`) or the setting's own `default`.
    pub fn default(&self) -> Option<&'a str> {
        self.derived_default.or(self.spec.default.as_deref())
    }

    /// The setting's value as written, without surrounding spaces and
    /// quotes; `None` when it is not set or not known.
    fn written(&self) -> Option<&'a str> {
        self.setting
            .and_then(|s| s.value.known())
            .map(|v| v.trim().trim_matches(|c| c == '"' || c == '\''))
    }

    /// The setting is set to an empty value that the app replaces by its
    /// default (see `empty-is-default`).
    pub fn is_empty_default(&self) -> bool {
        self.spec.empty_is_default
            && self.spec.default.is_some()
            && self.written().is_some_and(str::is_empty)
    }

    /// The setting is set to a number of 0 or below that the app replaces
    /// (see `zero-is-default`).
    pub fn is_zero_default(&self) -> bool {
        self.spec.zero_is_default
            && self
                .written()
                .and_then(|v| v.parse::<f64>().ok())
                .is_some_and(|n| n <= 0.0)
    }

    /// The setting is set to an empty value that the app treats as not set,
    /// with no default to replace it (`empty-is-default` without
    /// `default`): the app does what it does when the setting is unset.
    pub fn is_empty_unset(&self) -> bool {
        self.spec.empty_is_default
            && self.spec.default.is_none()
            && self.written().is_some_and(str::is_empty)
    }

    /// The value in effect: the setting's, or the profile's default.
    pub fn value(&self) -> Option<Value> {
        match (self.setting, self.alternative) {
            (Some(_), _) if self.is_empty_default() || self.is_zero_default() => {
                self.spec.default.clone().map(Value::Known)
            }
            (Some(_), _) if self.is_empty_unset() => None,
            (Some(s), _) => Some(s.value.clone()),
            (None, Some(a)) => Some(Value::Unknown(format!("set through `{}`", a.key))),
            (None, None) if self.unread => Some(Value::Unknown(
                "may be set in a config file that could not be read".to_string(),
            )),
            (None, None) if self.command_word.is_some() => self
                .spec
                .command_default
                .as_ref()
                .map(|c| Value::Known(c.value.clone())),
            (None, None) if self.default_applies => {
                self.default().map(|d| Value::Known(d.to_string()))
            }
            (None, None) => None,
        }
    }

    pub fn is_set(&self) -> bool {
        (self.setting.is_some() && !self.is_empty_unset()) || self.alternative.is_some()
    }

    pub fn unit(&self) -> Option<Unit> {
        self.spec.unit.or_else(|| {
            self.setting
                .and_then(|s| Unit::from_key_suffix(&s.key))
                .or_else(|| self.spec.env.as_deref().and_then(Unit::from_key_suffix))
        })
    }

    /// The value as a duration, if it is one in a known unit.
    pub fn duration(&self) -> Option<Duration> {
        let v = self.value()?;
        let v = v.known()?;
        match self.unit() {
            Some(u) => Duration::parse_in(v, u),
            // no unit known: only values that carry their own (`30m`)
            None if v.trim().bytes().any(|b| b.is_ascii_alphabetic()) => {
                Duration::parse_in(v, Unit::Duration)
            }
            None => None,
        }
    }

    pub fn is_secret(&self) -> bool {
        self.spec.is_secret()
    }

    /// The binding's value (or text made from it) as a placeholder: masked
    /// when the concept is a secret or the value is read from a Kubernetes
    /// Secret.
    pub fn value_var(&self, text: impl Into<String>) -> Var {
        Var::hidden_if(self.is_secret() || self.from_secret(), text)
    }

    /// A duration read from this binding, as a placeholder: masked when
    /// it is read from a Kubernetes Secret.
    pub fn duration_var(&self, d: Duration) -> Var {
        Var::hidden_if(self.from_secret(), d.to_string())
    }

    /// The value is read from a Kubernetes Secret: whatever is shown of it
    /// (the value, a duration read from it) is masked.
    pub fn from_secret(&self) -> bool {
        self.setting
            .or(self.alternative)
            .is_some_and(|s| s.from_secret)
    }
}

/// Bind the concepts of a workload's app profile (or, without one, of the
/// heuristic profiles) to its settings.
pub fn bindings<'a>(w: &'a Workload, rules: &'a RuleSet) -> Vec<Binding<'a>> {
    let mut out = Vec::new();
    let profiles: Vec<&AppProfile> = match w.app.as_deref().and_then(|a| rules.app(a)) {
        Some(p) => vec![p],
        None => rules.apps.iter().filter(|p| p.heuristic).collect(),
    };
    for profile in profiles {
        for spec in &profile.settings {
            if spec.env_pattern.is_none() {
                let setting = w
                    .settings
                    .iter()
                    .rev()
                    .find(|s| spec.matches(&s.key, &profile.env_scheme));
                let alternative = spec.alternatives.iter().find_map(|a| w.setting(a));
                let default_applies = spec.default_applies_when.as_ref().is_none_or(|c| {
                    profile
                        .settings
                        .iter()
                        .filter(|o| o.name().as_deref() == Some(c.key.as_str()))
                        .any(|o| {
                            w.settings
                                .iter()
                                .rev()
                                .find(|s| o.matches(&s.key, &profile.env_scheme))
                                .is_some_and(|s| {
                                    s.value.known().is_some_and(|v| {
                                        o.normalize(v) == c.equals.to_ascii_lowercase()
                                    })
                                })
                        })
                });
                let derived_default = spec
                    .default_from
                    .as_ref()
                    .and_then(|f| f.for_url(&other_value(w, profile, &f.key)?));
                let command_word = spec.command_default.as_ref().and_then(|c| {
                    w.command
                        .iter()
                        .find(|(word, _)| *word == c.word)
                        .map(|(word, span)| (word.as_str(), *span))
                });
                out.push(Binding {
                    spec,
                    profile,
                    setting,
                    alternative,
                    default_applies: default_applies && !w.settings_unread,
                    unread: w.settings_unread,
                    command_word,
                    derived_default,
                });
            } else {
                let mut seen = HashSet::new();
                for s in w.settings.iter().rev() {
                    if spec.matches(&s.key, &[]) && seen.insert(s.key.as_str()) {
                        out.push(Binding {
                            spec,
                            profile,
                            setting: Some(s),
                            alternative: None,
                            default_applies: true,
                            unread: false,
                            command_word: None,
                            derived_default: None,
                        });
                    }
                }
            }
        }
    }
    out
}

/// The value of another setting of the profile (by its `env`, `ini` or
/// `property` name) for a workload: the one set, or that setting's default.
fn other_value(w: &Workload, profile: &AppProfile, key: &str) -> Option<String> {
    let o = profile
        .settings
        .iter()
        .find(|o| o.name().as_deref() == Some(key))?;
    match w
        .settings
        .iter()
        .rev()
        .find(|s| o.matches(&s.key, &profile.env_scheme))
    {
        Some(s) => s.value.known().map(str::to_string),
        None => o.default.clone(),
    }
}

/// What a condition found.
#[derive(Debug, Clone, Default)]
pub struct Match {
    pub primary: Option<Label>,
    pub related: Vec<Label>,
    pub vars: Vars,
    pub heuristic: bool,
    /// Set when a setting involved is a convention of app code, not read
    /// by the app itself: why (from the profile's `convention:`).
    pub convention: Option<String>,
    pub from_example: bool,
}

impl Match {
    /// Set a placeholder (a [`Secret`] stays masked in output).
    pub fn set(&mut self, name: &'static str, value: impl Into<Var>) {
        self.vars.insert(name, value.into());
    }

    /// Set a placeholder unless it is set already.
    pub fn set_default<V: Into<Var>>(&mut self, name: &'static str, value: impl FnOnce() -> V) {
        self.vars.entry(name).or_insert_with(|| value().into());
    }

    pub fn merge(&mut self, other: Match) {
        match (&self.primary, other.primary) {
            (None, p) => self.primary = p,
            (Some(_), Some(p)) => self.related.push(p),
            (Some(_), None) => {}
        }
        self.related.extend(other.related);
        for (k, v) in other.vars {
            self.vars.entry(k).or_insert(v);
        }
        self.heuristic |= other.heuristic;
        if self.convention.is_none() {
            self.convention = other.convention;
        }
        self.from_example |= other.from_example;
    }
}

/// The settings a workload ends up with: the last one of each key.
pub fn effective(w: &Workload) -> Vec<&Setting> {
    let mut seen = HashSet::new();
    let mut out: Vec<&Setting> = w
        .settings
        .iter()
        .rev()
        .filter(|s| seen.insert(s.key.as_str()))
        .collect();
    out.reverse();
    out
}
