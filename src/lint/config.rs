//! `.sessionlint.toml`: rule selection and severities, thresholds, file
//! globs, per-path overrides, app hints, extra rules and secret lists.
//!
//! The file is found upward from the first linted path (or named with
//! `--config`). Unknown keys, wrong types, unknown rule ids, categories,
//! thresholds and apps are errors that show the line.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use globset::{Glob, GlobSet, GlobSetBuilder};
use serde::Deserialize;

use crate::rules::RuleSet;
use crate::source::SourceMap;
use crate::source::finding::{Finding, Severity};

/// The file name looked for.
pub const FILE_NAME: &str = ".sessionlint.toml";

/// A severity, or `off`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Level {
    Error,
    Warning,
    Note,
    Off,
}

impl Level {
    fn severity(self) -> Option<Severity> {
        match self {
            Level::Error => Some(Severity::Error),
            Level::Warning => Some(Severity::Warning),
            Level::Note => Some(Severity::Note),
            Level::Off => None,
        }
    }
}

/// Settings that apply to some paths only.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Override {
    /// Globs, relative to the config file's directory.
    pub paths: Vec<String>,
    #[serde(default)]
    pub rules: BTreeMap<String, Level>,
    #[serde(default)]
    pub categories: BTreeMap<String, Level>,
}

/// The configuration file.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Config {
    /// Severity (or `off`) per rule id.
    #[serde(default)]
    pub rules: BTreeMap<String, Level>,
    /// Severity (or `off`) per category.
    #[serde(default)]
    pub categories: BTreeMap<String, Level>,
    /// Thresholds by name, e.g. `min-session-lifetime = "4h"`.
    #[serde(default)]
    pub thresholds: BTreeMap<String, String>,
    /// Only files matching these globs are linted (default: all).
    #[serde(default)]
    pub include: Vec<String>,
    /// Files matching these globs are not linted.
    #[serde(default)]
    pub exclude: Vec<String>,
    #[serde(default)]
    pub overrides: Vec<Override>,
    /// Which app a service runs, by service name: `{ automation = "n8n" }`.
    #[serde(default)]
    pub apps: BTreeMap<String, String>,
    /// Directories of extra rule files.
    #[serde(default)]
    pub extra_rules: Vec<PathBuf>,
    /// Files of extra weak or leaked secret values, one per line.
    #[serde(default)]
    pub extra_secret_list: Vec<PathBuf>,
    /// Files larger than this many bytes are reported and not read.
    #[serde(default)]
    pub max_file_size: Option<u64>,
    #[serde(skip)]
    pub dir: PathBuf,
    #[serde(skip)]
    pub path: Option<PathBuf>,
    #[serde(skip)]
    text: String,
}

/// An error in the configuration file.
#[derive(Debug, Clone, thiserror::Error)]
#[error("{path}:{line}:{column}: {message}")]
pub struct ConfigError {
    pub path: String,
    pub line: usize,
    pub column: usize,
    pub message: String,
}

impl Config {
    /// Find `.sessionlint.toml` in `start` or a parent directory.
    pub fn find(start: &Path) -> Option<PathBuf> {
        let abs = std::path::absolute(start).ok()?;
        let mut dir = if abs.is_dir() {
            abs
        } else {
            abs.parent()?.to_path_buf()
        };
        loop {
            let candidate = dir.join(FILE_NAME);
            // (not `is_file`: a FIFO or device of that name is an error
            // when read, not a file to look past)
            if std::fs::metadata(&candidate).is_ok_and(|m| !m.is_dir()) {
                return Some(candidate);
            }
            if !dir.pop() {
                return None;
            }
        }
    }

    /// Read and check a configuration file.
    pub fn load(path: &Path) -> Result<Config, ConfigError> {
        let limit = crate::source::read::Limit::TOOL_INPUT;
        let text = crate::source::read::read_file(path, limit)
            .and_then(|t| t.strict(path))
            .map_err(|e| ConfigError {
                path: path.display().to_string(),
                line: 1,
                column: 1,
                message: format!("cannot read: {}", e.cause()),
            })?;
        Self::parse(&text, path)
    }

    /// Parse configuration text (`path` names it in errors).
    pub fn parse(text: &str, path: &Path) -> Result<Config, ConfigError> {
        let mut config: Config = toml::from_str(text).map_err(|e| {
            let (line, column) = e.span().map_or((1, 1), |s| line_col(text, s.start));
            ConfigError {
                path: path.display().to_string(),
                line,
                column,
                message: e.message().trim().to_string(),
            }
        })?;
        config.dir = path.parent().map(Path::to_path_buf).unwrap_or_default();
        config.path = Some(path.to_path_buf());
        config.text = text.to_string();
        Ok(config)
    }

    fn error_at(&self, needle: &str, message: String) -> ConfigError {
        let at = self.text.find(needle).unwrap_or(0);
        let (line, column) = line_col(&self.text, at);
        ConfigError {
            path: self
                .path
                .as_ref()
                .map(|p| p.display().to_string())
                .unwrap_or_default(),
            line,
            column,
            message,
        }
    }

    /// Check names against the rule set, load extra rules and secret
    /// lists, and set thresholds.
    pub fn apply_to_rules(&self, rules: &mut RuleSet) -> Result<(), ConfigError> {
        let mut rule_maps = vec![&self.rules];
        let mut cat_maps = vec![&self.categories];
        for o in &self.overrides {
            rule_maps.push(&o.rules);
            cat_maps.push(&o.categories);
        }
        for id in rule_maps.iter().flat_map(|m| m.keys()) {
            if rules.check(id).is_none() {
                return Err(self.error_at(
                    id,
                    format!("unknown rule `{id}` (`sessionlint rules` lists them)"),
                ));
            }
        }
        for c in cat_maps.iter().flat_map(|m| m.keys()) {
            if rules.vocabulary.category(c).is_none() {
                let all = rules.vocabulary.category_names();
                return Err(self.error_at(c, format!("unknown category `{c}` (known: {all})")));
            }
        }
        for (name, value) in &self.thresholds {
            let d = crate::syntax::duration::Duration::parse_threshold(value).ok_or_else(|| {
                self.error_at(
                    name,
                    format!("threshold `{name}` = `{value}` is not a duration such as 8h or 30m"),
                )
            })?;
            if !rules.set_threshold(name, d) {
                return Err(self.error_at(name, format!("unknown threshold `{name}`")));
            }
        }
        for (service, app) in &self.apps {
            if rules.app(app).is_none() {
                return Err(self.error_at(app, format!("service `{service}`: unknown app `{app}`")));
            }
        }
        for g in self
            .include
            .iter()
            .chain(&self.exclude)
            .chain(self.overrides.iter().flat_map(|o| &o.paths))
        {
            Glob::new(g).map_err(|e| self.error_at(g, format!("invalid glob `{g}`: {e}")))?;
        }
        for list in &self.extra_secret_list {
            let path = self.dir.join(list);
            rules
                .secrets
                .add_list(&path)
                .map_err(|e| self.error_at(&list.display().to_string(), e))?;
        }
        Ok(())
    }

    /// The paths the configuration names (`extra-rules`, and the files in
    /// those folders; `extra-secret-list`) must lie inside the folder of the
    /// configuration file, symbolic links resolved: a repository's own
    /// configuration cannot make sessionlint open files elsewhere on the
    /// machine that runs it (a CI runner's). Only command-line flags reach
    /// outside. A path that does not exist is left to the reader to report.
    pub fn check_confined(&self) -> Result<(), ConfigError> {
        let Some(config) = &self.path else {
            return Ok(());
        };
        let base = std::path::absolute(&self.dir).unwrap_or_else(|_| self.dir.clone());
        let canon_base = std::fs::canonicalize(&base).unwrap_or_else(|_| base.clone());
        let inside = |p: &Path| -> bool {
            let abs = crate::source::paths::normalize(
                &std::path::absolute(p).unwrap_or_else(|_| p.to_path_buf()),
            );
            if !abs.starts_with(crate::source::paths::normalize(&base)) {
                return false;
            }
            match std::fs::canonicalize(p) {
                Ok(c) => c.starts_with(&canon_base),
                Err(_) => true,
            }
        };
        let outside = |key: &str, named: &Path, p: &Path| {
            let shown = if p.starts_with(self.dir.join(named)) && p != self.dir.join(named) {
                format!("`{}`, whose `{}` is", named.display(), p.display())
            } else {
                format!("`{}`, which is", named.display())
            };
            self.error_at(
                &format!("\"{}\"", named.display()),
                format!(
                    "`{key}` names {shown} outside the folder of {} (`{}`): a \
                     configuration may only name files inside its repository; pass a file \
                     elsewhere on the command line (--rules, --extra-secret-list)",
                    config.file_name().map_or_else(
                        || config.display().to_string(),
                        |n| n.to_string_lossy().into_owned()
                    ),
                    base.display()
                ),
            )
        };
        for list in &self.extra_secret_list {
            let p = self.dir.join(list);
            if !inside(&p) {
                return Err(outside("extra-secret-list", list, &p));
            }
        }
        for dir in &self.extra_rules {
            let p = self.dir.join(dir);
            if !inside(&p) {
                return Err(outside("extra-rules", dir, &p));
            }
            // the files in it, through links too (bounded)
            let mut stack = vec![(p, 0usize)];
            let mut seen = 0usize;
            while let Some((d, depth)) = stack.pop() {
                let Ok(entries) = std::fs::read_dir(&d) else {
                    continue;
                };
                for e in entries.flatten() {
                    seen += 1;
                    if seen > 100_000 {
                        return Ok(());
                    }
                    let path = e.path();
                    if !inside(&path) {
                        return Err(outside("extra-rules", dir, &path));
                    }
                    if depth < 32 && path.is_dir() {
                        stack.push((path, depth + 1));
                    }
                }
            }
        }
        Ok(())
    }

    /// Extra rule directories, resolved against the config's directory.
    pub fn rule_dirs(&self) -> Vec<PathBuf> {
        self.extra_rules.iter().map(|d| self.dir.join(d)).collect()
    }

    fn globset(&self, globs: &[String]) -> GlobSet {
        let mut b = GlobSetBuilder::new();
        for g in globs {
            if let Ok(g) = Glob::new(g) {
                b.add(g);
            }
        }
        b.build().unwrap_or_else(|_| GlobSet::empty())
    }

    /// The path relative to the config's directory, for glob matching.
    fn relative(&self, path: &Path) -> PathBuf {
        let abs = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
        let base = std::path::absolute(&self.dir).unwrap_or_else(|_| self.dir.clone());
        let abs = crate::source::paths::normalize(&abs);
        let base = crate::source::paths::normalize(&base);
        abs.strip_prefix(&base)
            .map_or(abs.clone(), Path::to_path_buf)
    }

    /// Is `path` linted under `include`/`exclude`?
    pub fn wants(&self, path: &Path) -> bool {
        self.path_filter().wants(path)
    }

    /// `include`/`exclude` compiled once, for asking about many paths.
    pub fn path_filter(&self) -> PathFilter<'_> {
        let set = |globs: &[String]| (!globs.is_empty()).then(|| self.globset(globs));
        PathFilter {
            config: self,
            include: set(&self.include),
            exclude: set(&self.exclude),
        }
    }

    /// Apply severities: per rule beats per category; an override that
    /// matches the file beats the global setting. `off` drops the finding.
    pub fn apply_to_findings(&self, findings: &mut Vec<Finding>, sources: &SourceMap) {
        let overrides: Vec<(GlobSet, &Override)> = self
            .overrides
            .iter()
            .map(|o| (self.globset(&o.paths), o))
            .collect();
        findings.retain_mut(|f| {
            let path = sources
                .get(f.primary.span.file)
                .map(|s| self.relative(&s.path));
            let mut level = None;
            for (set, o) in &overrides {
                if path.as_ref().is_some_and(|p| set.is_match(p)) {
                    level = o
                        .rules
                        .get(&f.rule)
                        .or_else(|| o.categories.get(f.category.as_str()))
                        .copied()
                        .or(level);
                }
            }
            let level = level.or_else(|| {
                self.rules
                    .get(&f.rule)
                    .or_else(|| self.categories.get(f.category.as_str()))
                    .copied()
            });
            match level {
                None => true,
                Some(l) => match l.severity() {
                    Some(s) => {
                        f.severity = s;
                        true
                    }
                    None => false,
                },
            }
        });
    }
}

fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let p = crate::source::lines::LineIndex::new(text).position(text, offset);
    (p.line + 1, p.char + 1)
}

/// The commented starter file written by `sessionlint init`.
pub const STARTER: &str = r#"# sessionlint configuration. Every key is optional.
# Docs: docs/configuration.md

# Severity per rule id: "error", "warning", "note" or "off".
[rules]
# short-idle-timeout = "note"

# Severity per category: session-lifetime, session-loss, cookie-flags,
# weak-secret, ineffective-setting, parse-error.
[categories]
# cookie-flags = "error"

# Thresholds of the lifetime checks.
[thresholds]
# min-session-lifetime = "8h"
# min-idle-timeout = "30m"

# Which app a service runs, when its image does not tell
# (service name = app id; `sessionlint rules` lists the app profiles).
[apps]
# automation = "n8n"

# Globs relative to this file. `include` empty means everything.
# include = ["deploy/**"]
# exclude = ["vendor/**", "**/testdata/**"]

# Directories with extra rule files, and files of extra weak secrets
# (one value per line).
# extra-rules = ["lint-rules"]
# extra-secret-list = ["known-leaked-secrets.txt"]

# Settings for some paths only.
# [[overrides]]
# paths = ["examples/**"]
# categories = { weak-secret = "note" }
"#;

/// A configuration's `include`/`exclude` globs, compiled.
pub struct PathFilter<'a> {
    config: &'a Config,
    include: Option<GlobSet>,
    exclude: Option<GlobSet>,
}

impl PathFilter<'_> {
    /// Is `path` linted? Without globs every path is, and none is resolved.
    pub fn wants(&self, path: &Path) -> bool {
        if self.include.is_none() && self.exclude.is_none() {
            return true;
        }
        let rel = self.config.relative(path);
        self.include.as_ref().is_none_or(|g| g.is_match(&rel))
            && !self.exclude.as_ref().is_some_and(|g| g.is_match(&rel))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Config, ConfigError> {
        Config::parse(text, Path::new("cfg/.sessionlint.toml"))
    }

    #[test]
    fn the_starter_file_is_valid() {
        let c = parse(STARTER).expect("valid");
        let mut rules = RuleSet::builtin().expect("rules");
        c.apply_to_rules(&mut rules).expect("applies");
    }

    #[test]
    fn unknown_keys_and_wrong_types_show_the_line() {
        let e = parse("[rules]\nweak-secret = \"warning\"\n\nbogus = \"off\"\n").err();
        // `bogus` under [rules] is a rule id, checked later; at top level it is a key
        assert!(e.is_none());
        let e = parse("rules = {}\nbogus = 1\n").expect_err("unknown key");
        assert_eq!(e.line, 2, "{e}");
        assert!(e.message.contains("bogus"), "{e}");
        let e = parse("[rules]\nweak-secret = 3\n").expect_err("wrong type");
        assert_eq!(e.line, 2, "{e}");
        let e = parse("[rules]\nweak-secret = \"loud\"\n").expect_err("wrong value");
        assert_eq!(e.line, 2, "{e}");
    }

    #[test]
    fn unknown_names_are_errors_with_line() {
        let mut rules = RuleSet::builtin().expect("rules");
        let c = parse("[rules]\nweak-secret = \"note\"\nno-such-rule = \"off\"\n").expect("parses");
        let e = c.apply_to_rules(&mut rules).expect_err("unknown rule");
        assert_eq!((e.line, e.column), (3, 1), "{e}");
        let c = parse("[thresholds]\nmin-session-lifetime = \"soon\"\n").expect("parses");
        assert!(c.apply_to_rules(&mut rules).is_err());
        let c = parse("[thresholds]\nmin-nap = \"1h\"\n").expect("parses");
        assert!(c.apply_to_rules(&mut rules).is_err());
        let c = parse("[apps]\nweb = \"nope\"\n").expect("parses");
        assert!(c.apply_to_rules(&mut rules).is_err());
        let c = parse("[categories]\nsessions = \"off\"\n").expect("parses");
        assert!(c.apply_to_rules(&mut rules).is_err());
    }
}
