//! `parse-error` and `unused-ignore`: rules whose findings come from
//! another stage of the run. Parse errors are found while files are read
//! (discovery and the model's readers); unused inline ignores by the
//! filter that applies them. Their check files document them and give
//! them a severity and category like every other rule.

use super::{Check, Hit, Input};

/// Where the findings of the rule come from.
pub enum ReportedElsewhere {
    /// Syntax errors, unreadable and oversized files: reported by the
    /// readers.
    WhileReading,
    /// `# sessionlint: ignore[…]` comments that suppress nothing:
    /// reported by [`crate::lint::filter::apply_inline`].
    ByInlineIgnores,
}

impl Check for ReportedElsewhere {
    fn run<'a>(&self, _input: &Input<'a>) -> Vec<Hit<'a>> {
        Vec::new()
    }
}
