//! Checks: `rules/checks/<id>.yaml`.

use std::collections::BTreeMap;
use std::path::PathBuf;

use serde::Deserialize;
use serde_saphyr::Spanned;

use crate::source::finding::{Category, Severity};
use crate::syntax::duration::Duration;

/// A predicate over a workload, its settings (through concepts) and facts.
/// Several keys in one condition must all hold.
#[derive(Debug, Clone, Default, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Cond {
    pub all: Option<Vec<Cond>>,
    pub any: Option<Vec<Cond>>,
    pub not: Option<Box<Cond>>,
    /// Bind the workload's setting for this concept.
    #[schemars(with = "Option<String>")]
    pub concept: Option<Spanned<String>>,
    /// `set`: written somewhere; `unset`: not written (the app's default or
    /// `when-unset` applies); `any` (the default): either, with the app's
    /// default standing in for an unset value.
    pub is: Option<Presence>,
    /// The duration is below this (`threshold` means the check's threshold).
    #[schemars(with = "Option<String>")]
    pub below: Option<Spanned<String>>,
    #[schemars(with = "Option<String>")]
    pub above: Option<Spanned<String>>,
    /// The value, in the concept's vocabulary, is one of these.
    pub equals: Option<Vec<String>>,
    /// The number only makes sense in another unit.
    pub unit_mistake: Option<bool>,
    /// The directory where the app keeps the generated value (`when-unset:
    /// kept-in`) is (not) on persistent storage.
    pub persistent: Option<bool>,
    pub replicas_above: Option<u32>,
    /// Requests of one user always reach the same replica.
    pub sticky: Option<bool>,
    /// An Ingress in front serves the workload over TLS (unknown when no
    /// Ingress is known).
    pub tls: Option<bool>,
    pub app: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Presence {
    Set,
    Unset,
    Any,
}

/// A threshold a user can change in the config file.
#[derive(Debug, Clone, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Threshold {
    pub name: String,
    #[schemars(with = "String")]
    pub default: Spanned<String>,
    #[serde(skip)]
    pub value: Option<Duration>,
}

/// One runnable example: files and `# expect: <id>` markers.
#[derive(Debug, Clone, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Example {
    pub description: Option<String>,
    pub files: BTreeMap<String, String>,
}

/// A check: `rules/checks/<id>.yaml`.
#[derive(Debug, Clone, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Check {
    #[schemars(with = "String")]
    pub id: Spanned<String>,
    #[schemars(with = "Category")]
    pub category: Spanned<Category>,
    pub severity: Severity,
    /// One line, shown in `sessionlint rules`.
    pub summary: String,
    /// Markdown: why it matters, what to do.
    pub description: String,
    pub when: Option<Cond>,
    /// Or the name of a check function written in Rust.
    #[schemars(with = "Option<String>")]
    pub check: Option<Spanned<String>>,
    pub threshold: Option<Threshold>,
    /// Template of the finding's message (`{placeholder}`s are filled in).
    #[schemars(with = "String")]
    pub message: Spanned<String>,
    #[schemars(with = "String")]
    pub help: Spanned<String>,
    /// Label on the primary location.
    #[schemars(with = "Option<String>")]
    pub label: Option<Spanned<String>>,
    #[serde(default)]
    pub examples: Vec<Example>,
    #[serde(default)]
    pub references: Vec<String>,
    #[serde(skip)]
    pub source: PathBuf,
}

impl Check {
    pub fn id(&self) -> &str {
        &self.id.value
    }
}

/// The `{name}` placeholders in a template.
pub fn placeholders(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(i) = rest.find('{') {
        let after = rest.get(i + 1..).unwrap_or("");
        match after.find('}') {
            Some(j) => {
                out.push(after.get(..j).unwrap_or(""));
                rest = after.get(j + 1..).unwrap_or("");
            }
            None => break,
        }
    }
    out
}
