//! Rendering of findings. Only this module turns byte offsets into lines and
//! columns, and only it produces the text written to stdout.

pub mod docs;
pub mod github;
pub mod json;
pub mod sarif;
pub mod text;

use crate::source::finding::Finding;
use crate::source::{SourceMap, Span};

/// Everything a renderer needs.
#[derive(Debug, Clone, Copy)]
pub struct ReportInput<'a> {
    pub sources: &'a SourceMap,
    /// Sorted findings.
    pub findings: &'a [Finding],
    /// Byte ranges holding secret values. Excerpts star them out unless
    /// `show_secrets` is set.
    pub masks: &'a [Span],
    pub show_secrets: bool,
    /// How many files were read (for the summary line).
    pub files_checked: usize,
}

impl ReportInput<'_> {
    /// The findings that are not suppressed.
    pub fn active(&self) -> impl Iterator<Item = &Finding> {
        self.findings.iter().filter(|f| !f.is_suppressed())
    }

    pub fn suppressed(&self) -> usize {
        self.findings.iter().filter(|f| f.is_suppressed()).count()
    }
}
