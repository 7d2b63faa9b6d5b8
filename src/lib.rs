//! sessionlint: a static linter for the deployment configuration of web apps.
//!
//! The code is in layers, each importing only from the ones below it (see
//! `docs/architecture.md`; `tests/layers.rs` holds the rule):
//!
//! 1. [`source`]: spans, the line index, the one reader, paths, findings,
//!    secret values;
//! 2. [`syntax`]: one parser per format, knowing nothing of the model;
//! 3. [`model`]: discovery and the readers that build the unified model;
//! 4. [`rules`]: the rule-file schema, loading and validation;
//! 5. [`lint`]: bindings, conditions, checks, filters, and the run itself;
//! 6. [`report`] and [`sessions`]: what a run is rendered as;
//! 7. [`cli`]: the command line.
//!
//! [`lint()`] runs the pipeline on paths, [`lint_sources`] on files already
//! in memory.

pub mod cli;
pub mod lint;
pub mod model;
pub mod report;
pub mod rules;
pub mod sessions;
pub mod source;
pub mod syntax;

pub use lint::pipeline::{Limits, Options, Outcome, lint, lint_sources};
