//! The secret list: `rules/secrets.yaml`.

use std::path::Path;

use regex::Regex;
use serde::Deserialize;

use crate::rules::RuleError;

/// `rules/secrets.yaml`: which keys hold secrets and which values are weak.
#[derive(Debug, Clone, Default, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct SecretList {
    /// Keys that hold a signing or encryption secret (strength rules apply).
    #[serde(default)]
    pub signing_keys: Vec<String>,
    /// Keys that hold a password (placeholder rules apply).
    #[serde(default)]
    pub password_keys: Vec<String>,
    /// Keys that look like the above but hold no secret.
    #[serde(default)]
    pub not_secret_keys: Vec<String>,
    /// Credentials that another service issues (an OAuth client secret, a
    /// provider's API key, a mailbox password): the deployer copies them,
    /// cannot choose them, so only publicly known values are reported
    /// (shipped secrets, your lists, known tokens), not placeholders or
    /// length. An unfilled one breaks an integration; it weakens nothing.
    #[serde(default)]
    pub issued_keys: Vec<String>,
    /// Known placeholder and shipped values, compared case-insensitively.
    #[serde(default)]
    pub placeholders: Vec<String>,
    /// Regexes (case-insensitive) that mark placeholder text.
    #[serde(default)]
    pub placeholder_patterns: Vec<String>,
    /// Values from users' own lists (`--extra-secret-list`), lower-cased,
    /// with the list they came from.
    #[serde(skip)]
    pub extra: std::collections::HashMap<String, String>,
    #[serde(skip)]
    pub compiled: Option<CompiledSecrets>,
}

impl SecretList {
    /// Add a user's list of known secret values: one value per line;
    /// blank lines and lines starting with `#` are skipped. Returns how
    /// many values were added.
    pub fn add_list(&mut self, path: &Path) -> Result<usize, String> {
        let cannot = |e: crate::source::read::ReadError| {
            format!("cannot read secret list {}: {}", path.display(), e.cause())
        };
        let read = crate::source::read::read_file(path, crate::source::read::Limit::TOOL_INPUT)
            .map_err(cannot)?;
        // invalid UTF-8 is read as U+FFFD; a binary or UTF-16 list is refused
        let text = if read.text.is_empty() && !read.problems.is_empty() {
            read.strict(path).map_err(cannot)?
        } else {
            read.text
        };
        let name = path.display().to_string();
        let mut n = 0;
        for line in text.lines() {
            let l = line.trim_end_matches('\r').trim();
            if l.is_empty() || l.starts_with('#') {
                continue;
            }
            self.extra.insert(l.to_lowercase(), name.clone());
            n += 1;
        }
        Ok(n)
    }
}

#[derive(Debug, Clone)]
pub struct CompiledSecrets {
    pub signing: Regex,
    pub password: Regex,
    pub not_secret: Regex,
    pub issued: Regex,
    pub placeholder_patterns: Vec<Regex>,
}

impl SecretList {
    pub(super) fn merge(&mut self, other: SecretList) {
        self.signing_keys.extend(other.signing_keys);
        self.password_keys.extend(other.password_keys);
        self.not_secret_keys.extend(other.not_secret_keys);
        self.issued_keys.extend(other.issued_keys);
        self.placeholders.extend(other.placeholders);
        self.placeholder_patterns.extend(other.placeholder_patterns);
    }

    pub(super) fn compile(&mut self, path: &Path) -> Result<(), RuleError> {
        let alt = |list: &[String]| -> Result<Regex, RuleError> {
            let joined = if list.is_empty() {
                "$^".to_string()
            } else {
                format!("(?i)^(?:{})$", list.join("|"))
            };
            Regex::new(&joined).map_err(|e| RuleError {
                path: path.to_path_buf(),
                line: 1,
                column: 1,
                message: format!("invalid key pattern: {e}"),
            })
        };
        let placeholder_patterns = self
            .placeholder_patterns
            .iter()
            .map(|p| {
                Regex::new(&format!("(?i){p}")).map_err(|e| RuleError {
                    path: path.to_path_buf(),
                    line: 1,
                    column: 1,
                    message: format!("invalid placeholder pattern `{p}`: {e}"),
                })
            })
            .collect::<Result<Vec<_>, _>>()?;
        self.compiled = Some(CompiledSecrets {
            signing: alt(&self.signing_keys)?,
            password: alt(&self.password_keys)?,
            not_secret: alt(&self.not_secret_keys)?,
            issued: alt(&self.issued_keys)?,
            placeholder_patterns,
        });
        Ok(())
    }
}
