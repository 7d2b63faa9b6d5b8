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
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
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

/// The public categories of findings. They appear in every output format.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "kebab-case")]
pub enum Category {
    /// Users are logged out too soon.
    SessionLifetime,
    /// Sessions are lost across replicas or restarts.
    SessionLoss,
    /// Secure / HttpOnly / SameSite problems.
    CookieFlags,
    /// Weak, default, placeholder or missing secrets.
    WeakSecret,
    /// A setting the app does not read.
    IneffectiveSetting,
    /// Input that could not be read.
    ParseError,
}

impl Category {
    pub const ALL: [Category; 6] = [
        Category::SessionLifetime,
        Category::SessionLoss,
        Category::CookieFlags,
        Category::WeakSecret,
        Category::IneffectiveSetting,
        Category::ParseError,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Category::SessionLifetime => "session-lifetime",
            Category::SessionLoss => "session-loss",
            Category::CookieFlags => "cookie-flags",
            Category::WeakSecret => "weak-secret",
            Category::IneffectiveSetting => "ineffective-setting",
            Category::ParseError => "parse-error",
        }
    }
}

impl fmt::Display for Category {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
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
    /// Set when an inline ignore, the baseline or the configuration
    /// suppresses the finding. Suppressed findings do not count for the
    /// exit code and appear only in SARIF (as suppressions).
    pub suppression: Option<Suppression>,
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
