//! Rendering of findings. Only this module turns byte offsets into lines and
//! columns, and only it produces the text written to stdout.

pub mod github;
pub mod json;
pub mod sarif;
pub mod text;

use crate::finding::Finding;
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

/// The text of `range` in `file`, with every secret range starred out
/// (same byte length, so offsets stay valid) unless secrets are shown.
pub fn masked_text(
    masks: &[Span],
    show_secrets: bool,
    id: crate::source::FileId,
    file: &crate::source::SourceFile,
    range: std::ops::Range<usize>,
) -> String {
    let mut text = file.slice(range.clone()).to_string();
    if show_secrets {
        return text;
    }
    for m in masks.iter().filter(|m| m.file == id) {
        let s = m.start.max(range.start);
        let e = m.end.min(range.end);
        if s >= e {
            continue;
        }
        let (rs, re) = (s - range.start, e - range.start);
        let (rs, re) = (
            crate::source::floor_char_boundary(&text, rs),
            crate::source::floor_char_boundary(&text, re),
        );
        if let Some(secret) = text.get(rs..re) {
            let stars = crate::mask::star_out(secret);
            text.replace_range(rs..re, &stars);
        }
    }
    text
}
