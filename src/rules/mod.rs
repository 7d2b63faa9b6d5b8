//! Rules as data: app profiles, checks, the secret list and the vocabulary
//! (concepts, categories, message placeholders), loaded from YAML.
//!
//! The built-in rules live in `rules/` and are embedded in the binary; more
//! can be loaded from a directory with `--rules DIR`. Every file is validated
//! when it is loaded: unknown keys, unknown concepts and categories (checked
//! against the loaded vocabulary), bad regexes and env schemes, unknown
//! message placeholders and unknown check functions are errors that name the
//! file, line and column; every error is reported.
//!
//! - [`profile`]: app profiles (`rules/apps/`), with their env schemes;
//! - [`check`]: checks (`rules/checks/`) and their conditions;
//! - [`secrets`]: the secret list (`rules/secrets.yaml`);
//! - [`vocabulary`]: concepts, categories, placeholders (`rules/vocabulary.yaml`);
//! - [`load`]: reading the files; [`validate`]: checking them;
//! - [`schema`]: the JSON Schemas of the rule files.

pub mod check;
pub mod load;
pub mod profile;
pub mod schema;
pub mod secrets;
mod validate;
pub mod vocabulary;

use std::fmt;
use std::path::PathBuf;

use crate::source::finding::Category;
use crate::syntax::duration::Duration;

pub use check::{Check, Cond, Example, Presence, Threshold, placeholders};
pub use load::{RuleKind, builtin_files, example_lines};
pub use profile::{
    AppProfile, CommandDefault, DataPaths, Datastore, DefaultCondition, Detect, EnvScheme,
    Ineffective, KeptState, SettingSpec, ShippedSecret, UnitMistake, WhenUnset, image_repository,
    relaxed, repository_path,
};
pub use secrets::{CompiledSecrets, SecretList};
pub use vocabulary::{CategoryDef, ConceptDef, PlaceholderDef, Vocabulary, VocabularyFile};

/// An error in a rule file.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct RuleError {
    pub path: PathBuf,
    pub line: u64,
    pub column: u64,
    pub message: String,
}

impl RuleError {
    /// An error at the place of a value in a rule file.
    pub fn at<T>(path: &std::path::Path, s: &serde_saphyr::Spanned<T>, message: String) -> Self {
        RuleError {
            path: path.to_path_buf(),
            line: s.referenced.line(),
            column: s.referenced.column(),
            message,
        }
    }
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
    /// The concepts, categories and placeholders the files declare.
    pub vocabulary: Vocabulary,
}

impl RuleSet {
    /// Are the values of this concept secrets?
    pub fn is_secret_concept(&self, concept: &str) -> bool {
        self.vocabulary.is_secret(concept)
    }

    /// Are the values of this concept durations?
    pub fn is_duration_concept(&self, concept: &str) -> bool {
        self.vocabulary.is_duration(concept)
    }

    /// Sort key of a category: its place in the declared order.
    pub fn category_rank(&self, c: Category) -> usize {
        self.vocabulary.category_rank(c)
    }

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

    /// The `check:` ids the built-in rule files name: what the registry of
    /// check functions (in the lint layer) provides.
    fn known() -> Vec<String> {
        let mut out: Vec<String> = builtin_files()
            .iter()
            .flat_map(|(_, text)| {
                text.lines()
                    .filter_map(|l| l.strip_prefix("check: "))
                    .map(|f| f.trim().to_string())
                    .collect::<Vec<_>>()
            })
            .collect();
        out.sort_unstable();
        out.dedup();
        out
    }

    fn builtin() -> Result<RuleSet, Vec<RuleError>> {
        from_files(builtin_files())
    }

    fn from_files(files: Vec<(PathBuf, String)>) -> Result<RuleSet, Vec<RuleError>> {
        let known = known();
        let ids: Vec<&str> = known.iter().map(String::as_str).collect();
        RuleSet::from_files_with(files, &ids)
    }

    #[test]
    fn builtin_rules_load() {
        let set = builtin().unwrap_or_else(|e| {
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

    #[test]
    fn flag_value_reads_both_spellings() {
        use crate::rules::profile::flag_value;
        let f = "--sessionTimeout";
        assert_eq!(
            flag_value("--prefix=/j --sessionTimeout=480", f).as_deref(),
            Some("480")
        );
        assert_eq!(
            flag_value("--sessionTimeout 60 --prefix=/j", f).as_deref(),
            Some("60")
        );
        assert_eq!(flag_value("--sessionTimeoutX=5", f), None);
        assert_eq!(flag_value("--sessionEviction=5", f), None);
        assert_eq!(flag_value("--sessionTimeout", f), None);
    }

    #[test]
    fn repository_path_drops_the_registry_host() {
        assert_eq!(
            repository_path("ghcr.io/linuxserver/bookstack"),
            "linuxserver/bookstack"
        );
        assert_eq!(repository_path("mirror.gcr.io/library/redis"), "redis");
        assert_eq!(repository_path("localhost/team/app"), "team/app");
        assert_eq!(repository_path("localhost:5000/app"), "app");
        assert_eq!(
            repository_path("linuxserver/bookstack"),
            "linuxserver/bookstack"
        );
        assert_eq!(repository_path("redis"), "redis");
    }

    /// A profile naming an image on Docker Hub knows it from any registry,
    /// and no other image.
    #[test]
    fn images_match_across_registries() {
        let set = builtin().unwrap_or_else(|e| panic!("{e:?}"));
        let n8n = set.app("n8n").expect("n8n");
        for image in [
            "n8nio/n8n",
            "docker.n8n.io/n8nio/n8n:1.2",
            "ghcr.io/n8nio/n8n@sha256:0123",
            "docker.io/n8nio/n8n:latest",
        ] {
            assert!(n8n.matches_image(image), "{image}");
        }
        for image in [
            "n8nio/runners",
            "n8n",
            "example/n8nio/n8n",
            "ghcr.io/n8nio/n8n-debug",
        ] {
            assert!(!n8n.matches_image(image), "{image}");
        }
    }

    /// The errors of one extra file loaded beside the built-in rules.
    fn one(path: &str, text: &str) -> Vec<RuleError> {
        let mut files = builtin_files();
        files.push((PathBuf::from(path), text.to_string()));
        from_files(files).err().unwrap_or_default()
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

    /// The schemes in the built-in profiles give the names the three
    /// hard-coded mappings used to give.
    #[test]
    fn env_schemes_match_the_former_mappings() {
        let set = builtin().expect("loads");
        let names = |app: &str, ini: &str| -> Vec<String> {
            set.app(app)
                .expect("profile")
                .env_scheme
                .iter()
                .filter_map(|s| s.env_name(ini))
                .collect()
        };
        assert_eq!(
            names("grafana", "auth.generic-oauth.x.login_cookie"),
            ["GF_AUTH_GENERIC_OAUTH_X_LOGIN_COOKIE"]
        );
        assert_eq!(
            names("grafana", "security.cookie_secure"),
            ["GF_SECURITY_COOKIE_SECURE"]
        );
        assert_eq!(
            names("gitea", "session.a.b.COOKIE_name"),
            [
                "GITEA__session_0X2E_a_0X2E_b__COOKIE_name",
                "FORGEJO__session_0X2E_a_0X2E_b__COOKIE_name"
            ]
        );
        assert_eq!(
            names("airflow", "webserver.session_lifetime_minutes"),
            ["AIRFLOW__WEBSERVER__SESSION_LIFETIME_MINUTES"]
        );
        assert!(names("airflow", "no_section").is_empty());
    }

    #[test]
    fn the_categories_the_code_reports_are_declared() {
        let set = builtin().expect("loads");
        for c in [
            Category::WeakSecret,
            Category::IneffectiveSetting,
            Category::ParseError,
        ] {
            assert!(set.vocabulary.category(c.as_str()).is_some(), "{c}");
        }
        for c in &set.checks {
            assert!(set.vocabulary.category(c.category.value.as_str()).is_some());
        }
        assert!(set.is_secret_concept("session.secret"));
        assert!(set.is_duration_concept("store.ttl"));
        assert!(!set.is_duration_concept("cookie.secure"));
    }

    #[test]
    fn every_error_of_a_file_is_reported_at_its_value() {
        let e = one(
            "x/checks/a.yaml",
            "id: a\ncategory: nope\nseverity: error\nsummary: s\ndescription: d\n\
             when:\n  all:\n    - concept: session.nope\n    - concept: cookie.secure\n      below: 8x\n\
             message: '{bad}'\nhelp: '{key} {worse}'\n",
        );
        let got: Vec<(u64, &str)> = e
            .iter()
            .map(|e| (e.line, e.message.split(' ').take(2).last().unwrap_or("")))
            .collect();
        assert_eq!(e.len(), 5, "{e:?}");
        assert_eq!(
            e.iter().map(|e| e.line).collect::<Vec<_>>(),
            [2, 8, 10, 11, 12],
            "{got:?}"
        );
        assert!(e[0].message.contains("unknown category `nope`"), "{}", e[0]);
        assert!(e[1].message.contains("unknown concept"), "{}", e[1]);
        assert!(e[2].message.contains("`8x`"), "{}", e[2]);
        assert!(e[3].message.contains("{bad}"), "{}", e[3]);
        assert!(e[4].message.contains("{worse}"), "{}", e[4]);
        assert_eq!((e[0].column, e[3].column), (11, 10));
    }

    #[test]
    fn citations_need_a_repository_and_a_full_commit() {
        let e = one(
            "apps/x.yaml",
            "app: x\nname: X\nsource:\n  - repo: nope\n    commit: abc123\n    path: a.go\n    fact: f\n",
        );
        let lines: Vec<u64> = e.iter().map(|e| e.line).collect();
        assert_eq!(lines, [4, 5], "{e:?}");
        assert!(e[0].message.contains("owner/name"), "{}", e[0]);
        assert!(e[1].message.contains("40 hex digits"), "{}", e[1]);
        let ok = format!(
            "app: x\nname: X\nsource:\n  - repo: o/r\n    commit: {}\n    path: a.go\n    line: 7\n    fact: f\n",
            "a".repeat(40)
        );
        let mut files = builtin_files();
        files.push((PathBuf::from("apps/x.yaml"), ok));
        let set = from_files(files).expect("loads");
        let c = set
            .app("x")
            .and_then(|a| a.citations.first())
            .expect("cited");
        assert_eq!(
            c.url(),
            format!("https://github.com/o/r/blob/{}/a.go#L7", "a".repeat(40))
        );
    }

    #[test]
    fn state_needs_what_and_absolute_paths() {
        let e = one(
            "apps/x.yaml",
            "app: x\nname: X\nstate:\n  - holds: its sessions\n    paths: [data, /srv]\n  - holds: ''\n    paths: []\n",
        );
        assert_eq!(e.len(), 2, "{e:?}");
        assert!(
            e[0].message.contains("`data` is not an absolute path"),
            "{}",
            e[0]
        );
        assert!(e[1].message.contains("holds"), "{}", e[1]);
        assert!(e.iter().all(|e| e.line == 1), "{e:?}");
    }

    #[test]
    fn duplicate_app_ids_are_errors() {
        // the later of the two files, in path order, is the one in error
        let e = one("user/apps/mine.yaml", "# mine\napp: grafana\nname: Mine\n");
        assert_eq!(e.len(), 1, "{e:?}");
        assert!(
            e[0].message
                .contains("app id `grafana` is already defined in"),
            "{}",
            e[0]
        );
        assert_eq!((e[0].line, e[0].column), (2, 6));
    }

    #[test]
    fn user_vocabulary_adds_concepts_categories_and_env_schemes() {
        let mut files = builtin_files();
        files.push((
            PathBuf::from("extra/vocabulary.yaml"),
            "categories:\n  - {id: my-category, title: Mine, description: d}\n".into(),
        ));
        files.push((
            PathBuf::from("extra/apps/loginhub.yaml"),
            "app: loginhub\nname: loginhub\nenv-scheme:\n  - template: 'LOGINHUB_{SECTION}__{KEY}'\n\
             concepts:\n  - {id: session.mine, duration: true, description: d}\n\
             settings:\n  - ini: web.session_age\n    concept: session.mine\n"
                .into(),
        ));
        let set = from_files(files).expect("loads");
        assert!(set.vocabulary.category("my-category").is_some());
        assert!(set.is_duration_concept("session.mine"));
        let app = set.app("loginhub").expect("profile");
        let spec = app.settings.first().expect("setting");
        assert!(spec.matches("LOGINHUB_WEB__SESSION_AGE", &app.env_scheme));
        // a concept declared twice, a bad template
        let e = one(
            "extra/apps/x.yaml",
            "app: x\nname: X\nenv-scheme:\n  - template: 'X_{SECTION}_{nope}'\n\
             concepts:\n  - {id: cookie.secure, description: d}\n",
        );
        assert_eq!(e.len(), 2, "{e:?}");
        assert!(e[0].message.contains("{nope}"), "{}", e[0]);
        assert!(e[1].message.contains("already declared"), "{}", e[1]);
    }
}
