//! The unified model: workloads, their settings with provenance, and the
//! stores they use. All cross-file resolution happens while the model is
//! built; checks only read it.

pub mod build;
pub mod compose;

use crate::finding::{Finding, Label};
use crate::source::Span;

/// A configured value, as the workload sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Value {
    Known(String),
    /// The value cannot be known from the repository (an unset variable,
    /// a variable taken from the shell environment); the reason says why.
    Unknown(String),
}

impl Value {
    pub fn known(&self) -> Option<&str> {
        match self {
            Value::Known(v) => Some(v),
            Value::Unknown(_) => None,
        }
    }
}

/// Where a setting's value was written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    /// Written directly where the key is (compose `environment:`, `.env`).
    Literal,
    /// Supplied through `${VAR}` by a `.env` entry.
    Variable { name: String },
    /// The default part of `${VAR:-default}`, because nothing sets VAR.
    Fallback { name: String },
}

/// One configured value with its provenance.
#[derive(Debug, Clone)]
pub struct Setting {
    pub key: String,
    pub key_span: Span,
    pub value: Value,
    /// Where the value text is written: the place to change.
    pub value_span: Span,
    pub origin: Origin,
    /// The other places the value came through (e.g. the compose line that
    /// references a `.env` variable), nearest first.
    pub via: Vec<Label>,
    /// The value comes from an example file (`.env.example` …).
    pub from_example: bool,
}

/// A volume mounted into a workload.
#[derive(Debug, Clone)]
pub struct Volume {
    /// Path in the container.
    pub target: String,
    /// Survives a container being recreated.
    pub persistent: bool,
    /// Named volume or host path behind it (empty for anonymous volumes).
    pub source: String,
    pub span: Span,
}

/// What kind of thing a workload is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WorkloadKind {
    /// A docker-compose service.
    ComposeService,
    /// A `.env` file that no compose file in the repository uses: its
    /// settings are known, its deployment is not.
    EnvFile,
}

/// A thing that runs.
#[derive(Debug, Clone)]
pub struct Workload {
    pub name: String,
    pub kind: WorkloadKind,
    /// Where the workload is defined (the service key).
    pub span: Span,
    /// The compose project (directory of the compose file) it belongs to.
    pub project: String,
    pub image: Option<(String, Span)>,
    /// Detected app profile id.
    pub app: Option<String>,
    /// Replica count and where it is set.
    pub replicas: u32,
    pub replicas_span: Option<Span>,
    /// Container environment, after env_file and `environment:` merging.
    pub settings: Vec<Setting>,
    /// Volumes; `None` when the deployment is not known.
    pub volumes: Option<Vec<Volume>>,
    /// `command:` as words, each with its span.
    pub command: Vec<(String, Span)>,
    /// Requests of one user always reach the same replica.
    pub sticky: bool,
    pub labels: Vec<Setting>,
    pub ports: Vec<(String, Span)>,
}

impl Workload {
    pub fn setting(&self, key: &str) -> Option<&Setting> {
        self.settings.iter().rev().find(|s| s.key == key)
    }

    /// Is `path` (or a parent of it) on a persistent volume? `None` when the
    /// deployment is not known.
    pub fn is_persistent(&self, path: &str) -> Option<bool> {
        let vols = self.volumes.as_ref()?;
        let path = path.trim_end_matches('/');
        Some(vols.iter().any(|v| {
            let t = v.target.trim_end_matches('/');
            v.persistent && (path == t || path.starts_with(&format!("{t}/")) || t.is_empty())
        }))
    }
}

/// The whole picture of one run.
#[derive(Debug, Default)]
pub struct Model {
    pub workloads: Vec<Workload>,
    /// `.env` entries that no workload reads (still checked for secrets).
    pub loose: Vec<Setting>,
    /// Findings produced while reading (parse errors).
    pub findings: Vec<Finding>,
}
