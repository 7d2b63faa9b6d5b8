//! Rules as data: app profiles, checks and the secret list, loaded from YAML.
//!
//! The built-in rules live in `rules/` and are embedded in the binary; more
//! can be loaded from a directory with `--rules DIR`. Every file is validated
//! when it is loaded: unknown keys, unknown concepts, bad regexes, unknown
//! message placeholders and unknown check functions are errors that name the
//! file and line.

mod check;
mod load;
mod profile;
mod secrets;
mod validate;
mod vocabulary;

use std::fmt;
use std::path::PathBuf;

use crate::syntax::duration::Duration;

pub use check::{Check, Cond, Example, Presence, Threshold, placeholders};
pub use profile::{
    AppProfile, CommandDefault, DefaultCondition, Detect, EnvMapping, Ineffective, SettingSpec,
    ShippedSecret, UnitMistake, WhenUnset, image_repository, relaxed,
};
pub use secrets::{CompiledSecrets, SecretList};
pub use vocabulary::{CHECK_FUNCTIONS, CONCEPTS, DURATION_CONCEPTS, PLACEHOLDERS, SECRET_CONCEPTS};

/// An error in a rule file.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct RuleError {
    pub path: PathBuf,
    pub line: u64,
    pub column: u64,
    pub message: String,
}

impl fmt::Display for RuleError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}:{}:{}: {}",
            crate::source::display_path(&self.path),
            self.line,
            self.column,
            self.message
        )
    }
}

/// All rules of a run.
#[derive(Debug, Clone, Default)]
pub struct RuleSet {
    pub apps: Vec<AppProfile>,
    pub checks: Vec<Check>,
    pub secrets: SecretList,
}

impl RuleSet {
    pub fn check(&self, id: &str) -> Option<&Check> {
        self.checks.iter().find(|c| c.id() == id)
    }

    pub fn app(&self, id: &str) -> Option<&AppProfile> {
        self.apps.iter().find(|a| a.app == id)
    }

    /// Set a threshold by name (from the command line or a config file).
    pub fn set_threshold(&mut self, name: &str, value: Duration) -> bool {
        let mut found = false;
        for c in &mut self.checks {
            if let Some(t) = &mut c.threshold
                && t.name == name
            {
                t.value = Some(value);
                found = true;
            }
        }
        found
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_rules_load() {
        let set = RuleSet::builtin().unwrap_or_else(|e| {
            panic!(
                "{}",
                e.iter()
                    .map(|e| e.to_string())
                    .collect::<Vec<_>>()
                    .join("\n")
            )
        });
        assert!(set.app("n8n").is_some());
        assert!(set.check("short-session-lifetime").is_some());
    }

    #[test]
    fn image_repository_strips_registry_tag_and_digest() {
        assert_eq!(image_repository("n8nio/n8n:1.0"), "n8nio/n8n");
        assert_eq!(image_repository("docker.io/library/redis:7"), "redis");
        assert_eq!(
            image_repository("localhost:5000/team/app@sha256:abc"),
            "localhost:5000/team/app"
        );
        assert_eq!(
            image_repository("docker.n8n.io/n8nio/n8n"),
            "docker.n8n.io/n8nio/n8n"
        );
    }

    fn one(path: &str, text: &str) -> Vec<RuleError> {
        RuleSet::from_files(vec![(PathBuf::from(path), text.to_string())])
            .err()
            .unwrap_or_default()
    }

    #[test]
    fn unknown_keys_are_errors_with_line() {
        let errs = one(
            "x/checks/a.yaml",
            "id: a\ncategory: session-loss\nseverity: error\nsummary: s\ndescription: d\n\
             check: weak-secret\nmessage: m\nhelp: h\nbogus: 1\n",
        );
        assert_eq!(errs.len(), 1, "{errs:?}");
        assert!(errs[0].message.contains("bogus"), "{}", errs[0]);
        assert_eq!(errs[0].line, 9);
    }

    #[test]
    fn unknown_concepts_placeholders_and_functions_are_errors() {
        let base = "id: a\ncategory: session-loss\nseverity: error\nsummary: s\ndescription: d\n";
        let e = one(
            "a.yaml",
            &format!("{base}when:\n  concept: session.nope\nmessage: m\nhelp: h\n"),
        );
        assert!(e[0].message.contains("unknown concept"), "{}", e[0]);
        assert_eq!(e[0].line, 7);
        let e = one(
            "a.yaml",
            &format!("{base}check: weak-secret\nmessage: '{{nope}}'\nhelp: h\n"),
        );
        assert!(e[0].message.contains("unknown placeholder"), "{}", e[0]);
        let e = one(
            "a.yaml",
            &format!("{base}check: no-such-fn\nmessage: m\nhelp: h\n"),
        );
        assert!(e[0].message.contains("unknown check function"), "{}", e[0]);
        let e = one(
            "b.yaml",
            &format!("{base}check: weak-secret\nmessage: m\nhelp: h\n"),
        );
        assert!(e[0].message.contains("file name"), "{}", e[0]);
    }

    #[test]
    fn bad_regex_in_profile_is_an_error() {
        let e = one(
            "apps/x.yaml",
            "app: x\nname: X\nsettings:\n  - env-pattern: '(unclosed'\n    concept: session.secret\n",
        );
        assert!(e[0].message.contains("invalid regex"), "{}", e[0]);
        assert_eq!(e[0].line, 4);
    }
}
