//! Findings: what a check reports, as plain data.
//!
//! A finding has exactly one primary location (the value to change) and any
//! number of related locations (the other places involved, often in other
//! files). Locations are [`Span`]s; rendering turns them into lines and
//! columns.

use std::fmt;

use crate::source::Span;

/// How serious a finding is. Ordered from least to most serious.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    serde::Serialize,
    serde::Deserialize,
    schemars::JsonSchema,
)]
#[serde(rename_all = "kebab-case")]
pub enum Severity {
    Note,
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Note => "note",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The category of a finding. The categories are declared as data
/// (`rules/vocabulary.yaml` and users' vocabulary files) and checked when
/// the rules are loaded; the names are interned, so a category is `Copy`
/// and compares as its name. The constants are the ones the Rust code
/// itself reports under; the built-in vocabulary declares them too.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Category(&'static str);

// The constants keep the spelling of the variants they replace.
#[allow(non_upper_case_globals)]
impl Category {
    /// Weak, default, placeholder or missing secrets.
    pub const WeakSecret: Category = Category("weak-secret");
    /// A setting the app does not read.
    pub const IneffectiveSetting: Category = Category("ineffective-setting");
    /// Input that could not be read.
    pub const ParseError: Category = Category("parse-error");

    /// The category of this name (interned: each distinct name is stored
    /// once per process).
    pub fn new(name: &str) -> Category {
        static NAMES: std::sync::Mutex<Vec<&'static str>> = std::sync::Mutex::new(Vec::new());
        for c in [Self::WeakSecret, Self::IneffectiveSetting, Self::ParseError] {
            if c.0 == name {
                return c;
            }
        }
        let mut names = NAMES.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(n) = names.iter().find(|n| **n == name) {
            return Category(n);
        }
        let leaked: &'static str = Box::leak(name.to_owned().into_boxed_str());
        names.push(leaked);
        Category(leaked)
    }

    pub fn as_str(self) -> &'static str {
        self.0
    }
}

impl fmt::Display for Category {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl serde::Serialize for Category {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.0)
    }
}

impl schemars::JsonSchema for Category {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Category".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "type": "string",
            "description": "A category declared in a vocabulary file (built-in: session-lifetime, session-loss, cookie-flags, weak-secret, ineffective-setting, parse-error)."
        })
    }
}

impl<'de> serde::Deserialize<'de> for Category {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let name = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        Ok(Category::new(&name))
    }
}

/// A location with a short label.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Label {
    pub span: Span,
    pub message: String,
}

impl Label {
    pub fn new(span: Span, message: impl Into<String>) -> Self {
        Label {
            span,
            message: message.into(),
        }
    }
}

/// One reported problem.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// The rule id, e.g. `short-session-lifetime`.
    pub rule: String,
    pub category: Category,
    pub severity: Severity,
    /// One sentence saying what is wrong. Never contains a secret value.
    pub message: String,
    /// What to do about it.
    pub help: Option<String>,
    /// The value to change.
    pub primary: Label,
    /// Other places involved.
    pub related: Vec<Label>,
    /// How sure the finding is: `High` when it rests on what the app itself
    /// reads, `Medium` on a convention of app code, `Low` on a variable's
    /// name alone.
    pub confidence: Confidence,
    /// Set when an inline ignore, the baseline or the configuration
    /// suppresses the finding. Suppressed findings do not count for the
    /// exit code and appear only in SARIF (as suppressions).
    pub suppression: Option<Suppression>,
}

/// How sure a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default)]
pub enum Confidence {
    /// The setting is one the app's own code reads.
    #[default]
    High,
    /// The setting is a convention of app code (Django's `settings.py`
    /// reading `SESSION_COOKIE_AGE` from the environment), not something
    /// the framework itself reads.
    Medium,
    /// Recognised by the shape of a variable's name only.
    Low,
}

impl Confidence {
    /// `high`, `medium`, `low`: the JSON `confidence` and the SARIF
    /// `precision` of a result.
    pub fn as_str(self) -> &'static str {
        match self {
            Confidence::High => "high",
            Confidence::Medium => "medium",
            Confidence::Low => "low",
        }
    }

    /// SARIF `rank` (0 to 100): findings that rest on conventions or names
    /// rank below those that rest on what the app reads.
    pub fn rank(self) -> f64 {
        match self {
            Confidence::High => 90.0,
            Confidence::Medium => 50.0,
            Confidence::Low => 20.0,
        }
    }
}

/// Why a finding is suppressed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Suppression {
    pub kind: SuppressionKind,
    pub justification: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SuppressionKind {
    /// A `# sessionlint: ignore[…]` comment in the file.
    InSource,
    /// The baseline file.
    External,
}

/// The id of the rule that reports unreadable input.
pub const PARSE_ERROR: &str = "parse-error";

impl Finding {
    /// A `parse-error` finding.
    pub fn parse_error(span: Span, message: impl Into<String>) -> Self {
        let message = message.into();
        Finding {
            rule: PARSE_ERROR.to_string(),
            category: Category::ParseError,
            severity: Severity::Error,
            primary: Label::new(span, "could not be read"),
            message,
            help: None,
            related: Vec::new(),
            confidence: Confidence::High,
            suppression: None,
        }
    }

    pub fn is_suppressed(&self) -> bool {
        self.suppression.is_some()
    }

    /// Key used to sort findings deterministically: path order is decided by
    /// the caller through the file id order.
    pub fn sort_key(&self) -> (Span, &str, &str) {
        (self.primary.span, self.rule.as_str(), self.message.as_str())
    }
}
