//! sessionlint: a static linter for the deployment configuration of web apps.
//!
//! The pipeline is `discover → parse → model → engine → report`; see
//! `docs/architecture.md`.

pub mod finding;
pub mod mask;
pub mod parse;
pub mod report;
pub mod source;
