//! Suppressing findings: inline `# sessionlint: ignore[…]` comments and the
//! baseline file. Suppressed findings stay in the outcome (SARIF lists
//! them as suppressions); they do not count for the exit code.
//!
//! An ignore comment that suppresses nothing is itself reported
//! (`unused-ignore`), so stale ignores do not pile up.

use crate::source::secret::{Reveal, render};
use std::collections::HashMap;
use std::path::Path;
use std::sync::LazyLock;

use regex::Regex;

use crate::rules::RuleSet;
use crate::source::finding::{Category, Finding, Label, Suppression, SuppressionKind};
use crate::source::{FileId, SourceMap, Span};

/// The id of the check that reports ignores that match nothing.
pub const UNUSED_IGNORE: &str = "unused-ignore";

#[allow(clippy::expect_used)] // a constant pattern
static IGNORE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:^|\s)[#;]\s*sessionlint:\s*(ignore-file|ignore)\[([^\]]*)\]\s*(.*?)\s*$")
        .expect("valid regex")
});

/// One ignore comment.
#[derive(Debug, Clone)]
pub struct Ignore {
    pub file: FileId,
    /// 1-based line of the comment.
    pub line: usize,
    /// The comment stands alone on its line (it then covers the next line).
    pub own_line: bool,
    pub whole_file: bool,
    pub rules: Vec<String>,
    pub reason: String,
    /// The comment, for reporting.
    pub span: Span,
}

/// Every ignore comment in the files.
pub fn inline_ignores(sources: &SourceMap) -> Vec<Ignore> {
    let mut out = Vec::new();
    for (id, f) in sources.iter() {
        if !f.text.contains("sessionlint:") {
            continue;
        }
        for (i, (offset, line)) in crate::source::lines::lines(&f.text).enumerate() {
            if let Some(c) = IGNORE.captures(line)
                && let (Some(all), Some(kind), Some(list)) = (c.get(0), c.get(1), c.get(2))
            {
                let start =
                    offset + all.start() + (all.as_str().len() - all.as_str().trim_start().len());
                out.push(Ignore {
                    file: id,
                    line: i + 1,
                    own_line: line.get(..all.start()).is_none_or(|b| b.trim().is_empty()),
                    whole_file: kind.as_str() == "ignore-file",
                    rules: list
                        .as_str()
                        .split(',')
                        .map(|r| r.trim().to_string())
                        .filter(|r| !r.is_empty())
                        .collect(),
                    reason: c.get(3).map_or("", |m| m.as_str()).to_string(),
                    span: Span::new(id, start..offset + line.len()),
                });
            }
        }
    }
    out
}

/// Apply inline ignores to `findings`; returns the `unused-ignore` findings.
pub fn apply_inline(
    findings: &mut [Finding],
    sources: &SourceMap,
    rules: &RuleSet,
) -> Vec<Finding> {
    let ignores = inline_ignores(sources);
    let mut used = vec![false; ignores.len()];
    for f in findings.iter_mut().filter(|f| f.suppression.is_none()) {
        let Some(file) = sources.get(f.primary.span.file) else {
            continue;
        };
        let line = file.line_col(f.primary.span.start).0;
        for (i, ig) in ignores.iter().enumerate() {
            let covers = ig.file == f.primary.span.file
                && (ig.whole_file || ig.line == line || (ig.own_line && ig.line + 1 == line));
            if covers && ig.rules.iter().any(|r| r == &f.rule || r == "all") {
                f.suppression = Some(Suppression {
                    kind: SuppressionKind::InSource,
                    justification: if ig.reason.is_empty() {
                        "ignored in the source".into()
                    } else {
                        ig.reason.clone()
                    },
                });
                if let Some(u) = used.get_mut(i) {
                    *u = true;
                }
                break;
            }
        }
    }
    let Some(check) = rules.check(UNUSED_IGNORE) else {
        return Vec::new();
    };
    ignores
        .iter()
        .zip(used)
        .filter(|(_, used)| !used)
        .map(|(ig, _)| {
            let unknown: Vec<&str> = ig
                .rules
                .iter()
                .filter(|r| *r != "all" && rules.check(r).is_none())
                .map(String::as_str)
                .collect();
            let mut vars = crate::source::secret::Vars::new();
            vars.insert("key", ig.rules.join(",").into());
            vars.insert(
                "reason",
                if unknown.is_empty() {
                    "it matches no finding".to_string()
                } else {
                    format!("there is no rule `{}`", unknown.join("`, `"))
                }
                .into(),
            );
            Finding {
                rule: UNUSED_IGNORE.into(),
                category: Category::IneffectiveSetting,
                severity: check.severity,
                message: render(&check.message.value, &vars, Reveal::Masked),
                help: Some(render(&check.help.value, &vars, Reveal::Masked)),
                primary: Label::new(ig.span, "suppresses nothing"),
                related: Vec::new(),
                confidence: crate::source::finding::Confidence::High,
                suppression: None,
            }
        })
        .collect()
}

/// A stable identity of a finding that does not change when unrelated
/// lines move: the rule, the path, and the (masked) text of the primary
/// line and span, plus an occurrence number among identical ones.
pub fn fingerprints(findings: &[Finding], sources: &SourceMap, masks: &[Span]) -> Vec<String> {
    use rayon::prelude::*;
    let mut seen: HashMap<u64, usize> = HashMap::new();
    // the masked texts are hashed in parallel, the occurrences counted in order
    let hashes: Vec<u64> = findings
        .par_iter()
        .map(|f| {
            let mut h = Fnv::default();
            h.write(f.rule.as_bytes());
            if let Some(file) = sources.get(f.primary.span.file) {
                h.write(file.display_path().as_bytes());
                let line = file.line_col(f.primary.span.start).0;
                let range = file.line_range(line);
                let text = masked(file, f.primary.span.file, range, masks);
                h.write(text.trim().as_bytes());
                let span = masked(file, f.primary.span.file, f.primary.span.range(), masks);
                h.write(span.as_bytes());
            }
            h.0
        })
        .collect();
    hashes
        .into_iter()
        .map(|hash| {
            let n = seen.entry(hash).or_insert(0);
            *n += 1;
            format!("{hash:016x}:{n}")
        })
        .collect()
}

fn masked(
    file: &crate::source::SourceFile,
    id: FileId,
    range: std::ops::Range<usize>,
    masks: &[Span],
) -> String {
    crate::source::mask::masked_text(masks, false, id, file, range)
}

/// FNV-1a, 64 bits: small, stable across platforms and releases.
struct Fnv(u64);

impl Default for Fnv {
    fn default() -> Self {
        Fnv(0xcbf2_9ce4_8422_2325)
    }
}

impl Fnv {
    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 ^= u64::from(*b);
            self.0 = self.0.wrapping_mul(0x0000_0100_0000_01b3);
        }
        // a separator, so that ("ab","c") and ("a","bc") differ
        self.0 ^= 0xff;
        self.0 = self.0.wrapping_mul(0x0000_0100_0000_01b3);
    }
}

/// The baseline file: fingerprints of accepted findings.
#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize)]
pub struct Baseline {
    pub version: u32,
    pub findings: Vec<BaselineEntry>,
}

#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct BaselineEntry {
    pub rule: String,
    pub path: String,
    pub fingerprint: String,
}

impl Baseline {
    /// The baseline of the active findings.
    pub fn of(findings: &[Finding], fingerprints: &[String], sources: &SourceMap) -> Baseline {
        Baseline {
            version: 1,
            findings: findings
                .iter()
                .zip(fingerprints)
                .filter(|(f, _)| f.suppression.is_none())
                .map(|(f, fp)| BaselineEntry {
                    rule: f.rule.clone(),
                    path: sources
                        .get(f.primary.span.file)
                        .map(|s| s.display_path())
                        .unwrap_or_default(),
                    fingerprint: fp.clone(),
                })
                .collect(),
        }
    }

    pub fn read(path: &Path) -> Result<Baseline, String> {
        let limit = crate::source::read::Limit::TOOL_INPUT;
        let text = crate::source::read::read_file(path, limit)
            .and_then(|t| t.strict(path))
            .map_err(|e| format!("cannot read baseline {}: {}", path.display(), e.cause()))?;
        serde_json::from_str(&text).map_err(|e| {
            format!(
                "{}:{}:{}: invalid baseline: {e}",
                path.display(),
                e.line(),
                e.column()
            )
        })
    }

    /// Suppress the findings the baseline lists.
    pub fn apply(&self, findings: &mut [Finding], fingerprints: &[String], name: &str) {
        let known: std::collections::HashSet<(&str, &str)> = self
            .findings
            .iter()
            .map(|e| (e.rule.as_str(), e.fingerprint.as_str()))
            .collect();
        for (f, fp) in findings.iter_mut().zip(fingerprints) {
            if f.suppression.is_none() && known.contains(&(f.rule.as_str(), fp.as_str())) {
                f.suppression = Some(Suppression {
                    kind: SuppressionKind::External,
                    justification: format!("accepted in the baseline {name}"),
                });
            }
        }
    }
}
