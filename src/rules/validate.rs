//! Validation of parsed rule files: names against the loaded vocabulary,
//! regexes, env schemes, conditions, templates. Every error is collected,
//! each at the line and column of the offending value.

use std::path::Path;

use regex::Regex;
use serde_saphyr::Spanned;

use crate::rules::vocabulary::{Vocabulary, VocabularyFile};
use crate::rules::{AppProfile, Check, Cond, EnvScheme, RuleError, placeholders};
use crate::syntax::duration::Duration;

/// Add the declarations of a vocabulary file (or a profile's `concepts:`)
/// to `vocabulary`; a name declared twice is an error.
pub(super) fn validate_vocabulary(
    vocabulary: &mut Vocabulary,
    file: &VocabularyFile,
    path: &Path,
    errors: &mut Vec<RuleError>,
) {
    let name_ok = |s: &str, dots: bool| {
        !s.is_empty()
            && s.bytes().all(|b| {
                b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || (dots && b == b'.')
            })
    };
    for c in &file.concepts {
        if !name_ok(&c.id.value, true) {
            errors.push(RuleError::at(
                path,
                &c.id,
                format!(
                    "concept `{}` must be lower-case words joined by `.` and `-`",
                    c.id.value
                ),
            ));
        } else if let Some(prev) = vocabulary.concept(&c.id.value) {
            errors.push(RuleError::at(
                path,
                &c.id,
                format!(
                    "concept `{}` is already declared in {}",
                    c.id.value,
                    prev.source.display()
                ),
            ));
        } else {
            let mut c = c.clone();
            c.source = path.to_path_buf();
            vocabulary.concepts.push(c);
        }
    }
    for c in &file.categories {
        if !name_ok(&c.id.value, false) {
            errors.push(RuleError::at(
                path,
                &c.id,
                format!("category `{}` must be kebab-case", c.id.value),
            ));
        } else if let Some(prev) = vocabulary.category(&c.id.value) {
            errors.push(RuleError::at(
                path,
                &c.id,
                format!(
                    "category `{}` is already declared in {}",
                    c.id.value,
                    prev.source.display()
                ),
            ));
        } else {
            let mut c = c.clone();
            c.source = path.to_path_buf();
            vocabulary.categories.push(c);
        }
    }
    for p in &file.message_placeholders {
        if !name_ok(&p.id.value, false) {
            errors.push(RuleError::at(
                path,
                &p.id,
                format!("placeholder `{}` must be kebab-case", p.id.value),
            ));
        } else if vocabulary.has_placeholder(&p.id.value) {
            errors.push(RuleError::at(
                path,
                &p.id,
                format!("placeholder `{}` is already declared", p.id.value),
            ));
        } else {
            let mut p = p.clone();
            p.source = path.to_path_buf();
            vocabulary.placeholders.push(p);
        }
    }
}

/// Validates the profiles and checks of one file against the vocabulary.
pub(super) struct Validator<'a> {
    pub path: &'a Path,
    pub vocabulary: &'a Vocabulary,
    /// The check functions `check: <name>` may name.
    pub known_checks: &'a [&'a str],
    pub errors: &'a mut Vec<RuleError>,
}

impl Validator<'_> {
    fn error<T>(&mut self, at: &Spanned<T>, message: String) {
        self.errors.push(RuleError::at(self.path, at, message));
    }

    fn error_at_line(&mut self, line: u64, column: u64, message: String) {
        self.errors.push(RuleError {
            path: self.path.to_path_buf(),
            line,
            column,
            message,
        });
    }

    fn pattern(&mut self, p: &Spanned<String>) -> Option<Regex> {
        match regex::RegexBuilder::new(&p.value)
            .size_limit(1 << 20)
            .build()
        {
            Ok(re) => Some(re),
            Err(e) => {
                self.error(p, format!("invalid regex `{}`: {e}", p.value));
                None
            }
        }
    }

    fn concept(&mut self, c: &Spanned<String>) {
        if self.vocabulary.concept(&c.value).is_none() {
            let known = self.vocabulary.concept_names();
            self.error(c, format!("unknown concept `{}` (known: {known})", c.value));
        }
    }

    /// The one place that decides which check functions exist.
    fn check_function(&mut self, f: &Spanned<String>) {
        if !self.known_checks.contains(&f.value.as_str()) {
            let known = self.known_checks.join(", ");
            self.error(
                f,
                format!("unknown check function `{}` (known: {known})", f.value),
            );
        }
    }

    fn env_scheme(&mut self, s: &EnvScheme) {
        let names = placeholders(&s.template.value);
        let count = |a: &str, b: &str| names.iter().filter(|n| **n == a || **n == b).count();
        if let Some(bad) = names
            .iter()
            .find(|n| !["section", "SECTION", "key", "KEY"].contains(n))
        {
            let bad = bad.to_string();
            self.error(
                &s.template,
                format!(
                    "unknown placeholder `{{{bad}}}` in env scheme `{}` (known: section, SECTION, key, KEY)",
                    s.template.value
                ),
            );
        } else if count("section", "SECTION") != 1 || count("key", "KEY") != 1 {
            self.error(
                &s.template,
                format!(
                    "env scheme `{}` needs one `{{section}}` (or `{{SECTION}}`) and one `{{key}}` (or `{{KEY}}`)",
                    s.template.value
                ),
            );
        }
        for (from, _) in s.section_replace.iter().chain(&s.key_replace) {
            if from.chars().count() != 1 {
                self.error(
                    &s.template,
                    format!(
                        "env scheme `{}`: `{from}` in a replacement must be one character",
                        s.template.value
                    ),
                );
            }
        }
    }

    pub fn app(&mut self, app: &mut AppProfile) {
        for c in &app.citations {
            let r = &c.repo.value;
            let parts: Vec<&str> = r.split('/').collect();
            if parts.len() != 2 || parts.iter().any(|p| p.is_empty()) {
                self.error(
                    &c.repo,
                    format!("`{r}` is not a repository as `owner/name`"),
                );
            }
            let h = &c.commit.value;
            if h.len() != 40 || !h.bytes().all(|b| b.is_ascii_hexdigit()) {
                self.error(
                    &c.commit,
                    format!("`{h}` is not a full commit hash (40 hex digits)"),
                );
            }
        }
        for scheme in &app.env_scheme {
            self.env_scheme(scheme);
        }
        let (line, column) = app.app_at;
        for k in &app.state {
            if k.holds.trim().is_empty()
                || (k.paths.is_empty() && k.env.is_empty() && k.flags.is_empty())
            {
                self.error_at_line(
                    line,
                    column,
                    "a `state:` entry needs `holds` and at least one of `paths` (or, for state with no default place, of `env` or `flags`)".into(),
                );
            }
            for p in k.paths.iter().filter(|p| !p.starts_with('/')) {
                self.error_at_line(
                    line,
                    column,
                    format!("state path `{p}` is not an absolute path inside the container"),
                );
            }
        }
        for s in &mut app.settings {
            self.concept(&s.concept);
            s.secret = self.vocabulary.is_secret(&s.concept.value);
            if let Some(p) = &s.env_pattern {
                s.pattern = self.pattern(p);
            }
            let names = [
                s.env.is_some(),
                s.env_pattern.is_some(),
                s.ini.is_some(),
                s.property.is_some(),
            ];
            let n = names.iter().filter(|b| **b).count();
            if n == 0 || (s.env_pattern.is_some() && n > 1) {
                self.error(
                    &s.concept,
                    "a setting needs `env`, `ini` or `property` (or `env-pattern` alone)".into(),
                );
            }
        }
        for i in &mut app.ineffective {
            match (&i.env, &i.env_pattern) {
                (Some(_), None) => {}
                (None, Some(p)) => i.pattern = self.pattern(p),
                (Some(_), Some(p)) => {
                    let message = format!(
                        "an ineffective entry needs exactly one of `env` or `env-pattern` (reason: {})",
                        i.reason
                    );
                    self.error(p, message);
                }
                (None, None) => self.error_at_line(
                    1,
                    1,
                    format!(
                        "an ineffective entry needs exactly one of `env` or `env-pattern` (reason: {})",
                        i.reason
                    ),
                ),
            }
        }
    }

    pub fn check(&mut self, check: &mut Check) {
        let id = check.id().to_string();
        let stem = self.path.file_stem().and_then(|s| s.to_str()).unwrap_or("");
        if stem != id {
            let message = format!("check id `{id}` must match its file name `{stem}.yaml`");
            self.error(&check.id, message);
        }
        if !id
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        {
            self.error(&check.id, format!("check id `{id}` must be kebab-case"));
        }
        if self
            .vocabulary
            .category(check.category.value.as_str())
            .is_none()
        {
            let known = self.vocabulary.category_names();
            let message = format!(
                "unknown category `{}` (known: {known})",
                check.category.value
            );
            self.error(&check.category, message);
        }
        match (&check.when, &check.check) {
            (Some(cond), None) => self.cond(cond, &check.id),
            (None, Some(f)) => self.check_function(f),
            _ => self.error(
                &check.id,
                "a check needs exactly one of `when` (a condition) or `check` (a function)".into(),
            ),
        }
        if let Some(t) = &mut check.threshold {
            t.value = Duration::parse_threshold(&t.default.value);
            if t.value.is_none() {
                let message = format!(
                    "threshold `{}` has default `{}`, which is not a duration",
                    t.name, t.default.value
                );
                self.errors
                    .push(RuleError::at(self.path, &t.default, message));
            }
        }
        for text in [&check.message, &check.help]
            .into_iter()
            .chain(check.label.as_ref())
        {
            for p in placeholders(&text.value) {
                if !self.vocabulary.has_placeholder(p) {
                    let known = self.vocabulary.placeholder_names();
                    let message = format!(
                        "unknown placeholder `{{{p}}}` in `{}` (known: {known})",
                        text.value
                    );
                    self.errors.push(RuleError::at(self.path, text, message));
                }
            }
        }
    }

    fn cond(&mut self, cond: &Cond, id: &Spanned<String>) {
        if let Some(c) = &cond.concept {
            self.concept(c);
        }
        for t in [&cond.below, &cond.above].into_iter().flatten() {
            if t.value != "threshold" && Duration::parse_threshold(&t.value).is_none() {
                let message = format!(
                    "`{}` is neither `threshold` nor a duration such as 8h",
                    t.value
                );
                self.error(t, message);
            }
        }
        let value_preds = cond.is.is_some()
            || cond.below.is_some()
            || cond.above.is_some()
            || cond.equals.is_some()
            || cond.unit_mistake.is_some()
            || cond.persistent.is_some();
        if value_preds && cond.concept.is_none() {
            let at = cond.below.as_ref().or(cond.above.as_ref()).unwrap_or(id);
            self.error(
                at,
                "`is`, `below`, `above`, `equals`, `unit-mistake` and `persistent` need a `concept`"
                    .into(),
            );
        }
        let any_key = value_preds
            || cond.all.is_some()
            || cond.any.is_some()
            || cond.not.is_some()
            || cond.concept.is_some()
            || cond.replicas_above.is_some()
            || cond.sticky.is_some()
            || cond.tls.is_some()
            || cond.app.is_some();
        if !any_key {
            self.error(id, "an empty condition".into());
        }
        for c in cond.all.iter().chain(cond.any.iter()).flatten() {
            self.cond(c, id);
        }
        if let Some(n) = &cond.not {
            self.cond(n, id);
        }
    }
}
