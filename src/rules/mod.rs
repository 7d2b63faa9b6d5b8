//! Rules as data: app profiles, checks and the secret list, loaded from YAML.
//!
//! The built-in rules live in `rules/` and are embedded in the binary; more
//! can be loaded from a directory with `--rules DIR`. Every file is validated
//! when it is loaded: unknown keys, unknown concepts, bad regexes, unknown
//! message placeholders and unknown check functions are errors that name the
//! file and line.

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};

use regex::Regex;
use serde::Deserialize;
use serde_saphyr::Spanned;

use crate::source::finding::{Category, Severity};
use crate::syntax::duration::{Duration, Unit};

static BUILTIN: include_dir::Dir<'_> = include_dir::include_dir!("$CARGO_MANIFEST_DIR/rules");

/// The concepts app profiles map their settings onto.
pub const CONCEPTS: &[&str] = &[
    "session.max-lifetime",
    "session.idle-timeout",
    "session.store",
    "session.secret",
    "encryption.key",
    "credential.password",
    "cookie.secure",
    "cookie.httponly",
    "cookie.samesite",
    "cookie.max-age",
    "cookie.name",
    "store.ttl",
    "site.scheme",
    "session.refresh-interval",
    "setup.skip-installer",
];

/// Concepts whose values are secrets (masked in every output).
pub const SECRET_CONCEPTS: &[&str] = &["session.secret", "encryption.key", "credential.password"];

/// Concepts whose values are durations.
pub const DURATION_CONCEPTS: &[&str] = &[
    "session.refresh-interval",
    "session.max-lifetime",
    "session.idle-timeout",
    "cookie.max-age",
    "store.ttl",
];

/// Placeholders a message or help text may use.
pub const PLACEHOLDERS: &[&str] = &[
    "app",
    "service",
    "key",
    "value",
    "duration",
    "unit",
    "threshold",
    "replicas",
    "default",
    "looks-like",
    "looks-like-duration",
    "kept-in",
    "reason",
    "use-instead",
    "other",
    "why",
    "cookie",
    "image",
    "secure-key",
];

/// The names of check functions written in Rust (`check: <name>`).
pub const CHECK_FUNCTIONS: &[&str] = &[
    "ineffective-setting",
    "weak-secret",
    "weak-secret-fallback",
    "unshared-key",
    "redis-evicts-sessions",
    "redis-without-persistence",
    "parse-error",
    "unused-ignore",
    "sticky-cookie-without-secure",
    "sticky-cookie-samesite-none",
    "sticky-cookie-shorter-than-session",
    "client-ip-affinity-behind-ingress",
    "idle-timeout-within-refresh",
    "cookie-outlives-server-session",
    "proxy-cookie-flags",
    "proxy-cookie-path",
    "nginx-plus-sticky",
    "missing-forwarded-proto",
    "proxy-websocket",
];

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

// ---------------------------------------------------------------- profiles

/// How an app is recognised.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Detect {
    /// Image repositories, without registry host for Docker Hub images and
    /// without tag (`n8nio/n8n`, `docker.n8n.io/n8nio/n8n`).
    #[serde(default)]
    pub images: Vec<String>,
    /// A set of environment variables with one of these prefixes marks the
    /// app when there is no image to go by (a lone `.env` file).
    #[serde(default)]
    pub env_prefixes: Vec<String>,
    /// Any of these variables marks the app when there is no image to go by.
    #[serde(default)]
    pub env_keys: Vec<String>,
    /// Config file names that belong to the app (`php.ini`, `grafana.ini`).
    #[serde(default)]
    pub files: Vec<String>,
}

/// Spring's relaxed binding: case, `.`, `-` and `_` do not matter.
pub fn relaxed(key: &str) -> String {
    key.chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

/// How an app maps config file keys to environment variables.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum EnvMapping {
    /// `GF_<SECTION>_<KEY>` (`.` and `-` in the section become `_`).
    Grafana,
    /// `GITEA__section__KEY` and `FORGEJO__section__KEY`.
    Gitea,
    /// `AIRFLOW__SECTION__KEY`.
    Airflow,
}

impl EnvMapping {
    /// The variables that set `section.key`.
    pub fn env_names(self, ini: &str) -> Vec<String> {
        let Some((section, key)) = ini.rsplit_once('.') else {
            return Vec::new();
        };
        match self {
            EnvMapping::Grafana => vec![format!(
                "GF_{}_{}",
                section.replace(['.', '-'], "_").to_ascii_uppercase(),
                key.replace('.', "_").to_ascii_uppercase()
            )],
            EnvMapping::Gitea => vec![
                format!("GITEA__{}__{key}", section.replace('.', "_0X2E_")),
                format!("FORGEJO__{}__{key}", section.replace('.', "_0X2E_")),
            ],
            EnvMapping::Airflow => vec![format!(
                "AIRFLOW__{}__{}",
                section.to_ascii_uppercase(),
                key.to_ascii_uppercase()
            )],
        }
    }
}

/// `{key: …, equals: …}`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct DefaultCondition {
    /// A setting of the same profile, by its `env`, `ini` or `property` name.
    pub key: String,
    pub equals: String,
}

/// What happens when a setting is not set.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct WhenUnset {
    /// The app generates a value at start.
    #[serde(default)]
    pub generated_at_start: bool,
    /// … and keeps it in this directory (so it survives only if that
    /// directory is on persistent storage).
    pub kept_in: Option<String>,
    /// The value is derived from another setting.
    pub derived_from: Option<String>,
}

/// A value written in a unit other than the one the app reads.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct UnitMistake {
    /// The unit the value was probably meant in.
    pub looks_like: Unit,
    /// Numbers at or above this look like that unit.
    pub at_least: Option<f64>,
    /// Numbers below this look like that unit.
    pub below: Option<f64>,
}

/// A value that a command word implies for an unset setting.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct CommandDefault {
    pub word: String,
    pub value: String,
}

/// One setting of an app, mapped onto a concept.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct SettingSpec {
    /// Exact environment variable name.
    pub env: Option<String>,
    /// Or a regex over environment variable names (heuristic profiles).
    pub env_pattern: Option<Spanned<String>>,
    /// Or a config file key: `section.key` in an INI file (`security.secret_key`),
    /// the directive in php.ini (`session.gc_maxlifetime`). The profile's
    /// `env-mapping` gives the environment variable that sets the same.
    pub ini: Option<String>,
    /// Or a Spring-style property, matched with relaxed binding
    /// (`server.servlet.session.timeout` = `SERVER_SERVLET_SESSION_TIMEOUT`).
    pub property: Option<String>,
    pub concept: Spanned<String>,
    /// The unit of a duration; when absent on a duration concept, the unit
    /// comes from the key suffix (`_MS`, `_HOURS` …) or the value itself.
    pub unit: Option<Unit>,
    /// The value the app uses when the setting is not set.
    pub default: Option<String>,
    /// Maps the app's own values onto the concept's vocabulary
    /// (e.g. `files: file`). Keys are compared case-insensitively.
    #[serde(default)]
    pub values: BTreeMap<String, String>,
    /// Other variables that set the same thing (`N8N_ENCRYPTION_KEY_FILE`).
    #[serde(default)]
    pub alternatives: Vec<String>,
    /// The default applies only when this other setting has this value
    /// (Gitea's shipped secret key is used when the installer is skipped).
    pub default_applies_when: Option<DefaultCondition>,
    pub when_unset: Option<WhenUnset>,
    pub unit_mistake: Option<UnitMistake>,
    /// When unset, a word in the container's command gives the value
    /// (Keycloak's `start-dev` runs with `KC_CACHE=local`).
    pub command_default: Option<CommandDefault>,
    #[serde(skip)]
    pub pattern: Option<Regex>,
}

impl SettingSpec {
    pub fn concept(&self) -> &str {
        &self.concept.value
    }

    pub fn matches(&self, key: &str, mapping: Option<EnvMapping>) -> bool {
        if let Some(env) = &self.env
            && env == key
        {
            return true;
        }
        if let Some(re) = &self.pattern
            && re.is_match(key)
        {
            return true;
        }
        if let Some(ini) = &self.ini
            && (ini.eq_ignore_ascii_case(key)
                || mapping
                    .is_some_and(|m| m.env_names(ini).iter().any(|e| e.eq_ignore_ascii_case(key))))
        {
            return true;
        }
        if let Some(p) = &self.property {
            return relaxed(p) == relaxed(key);
        }
        false
    }

    /// The name to show when the setting is not set.
    pub fn name(&self) -> Option<String> {
        self.env
            .clone()
            .or_else(|| self.ini.clone())
            .or_else(|| self.property.clone())
    }

    /// The value in the concept's vocabulary.
    pub fn normalize(&self, value: &str) -> String {
        let v = value.trim().trim_matches(|c| c == '"' || c == '\'');
        let lower = v.to_ascii_lowercase();
        self.values
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(v))
            .map(|(_, to)| to.to_ascii_lowercase())
            .unwrap_or_else(|| normalize_bool(&lower))
    }
}

fn normalize_bool(v: &str) -> String {
    match v {
        "1" | "true" | "yes" | "on" => "true".into(),
        "0" | "false" | "no" | "off" => "false".into(),
        _ => v.to_string(),
    }
}

/// A name the app does not read.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Ineffective {
    pub env: Option<String>,
    pub env_pattern: Option<Spanned<String>>,
    pub reason: String,
    pub use_instead: Option<String>,
    /// Defaults to the check's severity.
    pub severity: Option<Severity>,
    #[serde(skip)]
    pub pattern: Option<Regex>,
}

impl Ineffective {
    pub fn matches(&self, key: &str) -> bool {
        match (&self.env, &self.pattern) {
            (Some(env), _) => env == key,
            (None, Some(re)) => re.is_match(key),
            _ => false,
        }
    }
}

/// A secret value an app ships with or documents.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct ShippedSecret {
    pub value: String,
    pub note: String,
}

/// An app profile: `rules/apps/<app>.yaml`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct AppProfile {
    /// Short id (`n8n`).
    pub app: String,
    /// Display name (`n8n`, `Grafana`).
    pub name: String,
    #[serde(default)]
    pub detect: Detect,
    /// Heuristic profiles apply by key name to workloads that no other
    /// profile claims, and their findings say so.
    #[serde(default)]
    pub heuristic: bool,
    /// How config file keys map to environment variables.
    pub env_mapping: Option<EnvMapping>,
    #[serde(default)]
    pub settings: Vec<SettingSpec>,
    #[serde(default)]
    pub ineffective: Vec<Ineffective>,
    #[serde(default)]
    pub shipped_secrets: Vec<ShippedSecret>,
    pub docs: Option<String>,
    /// Examples: `# expect: <rule-id>` markers for any rule.
    #[serde(default)]
    pub examples: Vec<Example>,
    #[serde(skip)]
    pub source: PathBuf,
}

impl AppProfile {
    /// Does this profile claim an image reference like
    /// `docker.io/n8nio/n8n:1.2@sha256:…`?
    pub fn matches_image(&self, image: &str) -> bool {
        let repo = image_repository(image);
        self.detect
            .images
            .iter()
            .any(|i| i.eq_ignore_ascii_case(&repo))
    }
}

/// `docker.io/library/redis:7-alpine` → `redis`; `ghcr.io/a/b:1` → `ghcr.io/a/b`.
pub fn image_repository(image: &str) -> String {
    let no_digest = image.split('@').next().unwrap_or(image);
    // a tag is a `:` after the last `/`
    let last_slash = no_digest.rfind('/').map_or(0, |i| i + 1);
    let repo = match no_digest.get(last_slash..).and_then(|s| s.find(':')) {
        Some(i) => no_digest.get(..last_slash + i).unwrap_or(no_digest),
        None => no_digest,
    };
    let repo = repo
        .strip_prefix("docker.io/")
        .or_else(|| repo.strip_prefix("index.docker.io/"))
        .unwrap_or(repo);
    let repo = repo.strip_prefix("library/").unwrap_or(repo);
    repo.to_ascii_lowercase()
}

// ------------------------------------------------------------------ checks

/// A predicate over a workload, its settings (through concepts) and facts.
/// Several keys in one condition must all hold.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Cond {
    pub all: Option<Vec<Cond>>,
    pub any: Option<Vec<Cond>>,
    pub not: Option<Box<Cond>>,
    /// Bind the workload's setting for this concept.
    pub concept: Option<Spanned<String>>,
    /// `set`: written somewhere; `unset`: not written (the app's default or
    /// `when-unset` applies); `any` (the default): either, with the app's
    /// default standing in for an unset value.
    pub is: Option<Presence>,
    /// The duration is below this (`threshold` means the check's threshold).
    pub below: Option<String>,
    pub above: Option<String>,
    /// The value, in the concept's vocabulary, is one of these.
    pub equals: Option<Vec<String>>,
    /// The number only makes sense in another unit.
    pub unit_mistake: Option<bool>,
    /// The directory where the app keeps the generated value (`when-unset:
    /// kept-in`) is (not) on persistent storage.
    pub persistent: Option<bool>,
    pub replicas_above: Option<u32>,
    /// Requests of one user always reach the same replica.
    pub sticky: Option<bool>,
    /// An Ingress in front serves the workload over TLS (unknown when no
    /// Ingress is known).
    pub tls: Option<bool>,
    pub app: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Presence {
    Set,
    Unset,
    Any,
}

/// A threshold a user can change in the config file.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Threshold {
    pub name: String,
    pub default: String,
    #[serde(skip)]
    pub value: Option<Duration>,
}

/// One runnable example: files and `# expect: <id>` markers.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Example {
    pub description: Option<String>,
    pub files: BTreeMap<String, String>,
}

/// A check: `rules/checks/<id>.yaml`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Check {
    pub id: Spanned<String>,
    pub category: Category,
    pub severity: Severity,
    /// One line, shown in `sessionlint rules`.
    pub summary: String,
    /// Markdown: why it matters, what to do.
    pub description: String,
    pub when: Option<Cond>,
    /// Or the name of a check function written in Rust.
    pub check: Option<Spanned<String>>,
    pub threshold: Option<Threshold>,
    pub message: String,
    pub help: String,
    /// Label on the primary location.
    pub label: Option<String>,
    #[serde(default)]
    pub examples: Vec<Example>,
    #[serde(default)]
    pub references: Vec<String>,
    #[serde(skip)]
    pub source: PathBuf,
}

impl Check {
    pub fn id(&self) -> &str {
        &self.id.value
    }
}

// ------------------------------------------------------------------ secrets

/// `rules/secrets.yaml`: which keys hold secrets and which values are weak.
#[derive(Debug, Clone, Default, Deserialize)]
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
    pub placeholder_patterns: Vec<Regex>,
}

impl SecretList {
    fn merge(&mut self, other: SecretList) {
        self.signing_keys.extend(other.signing_keys);
        self.password_keys.extend(other.password_keys);
        self.not_secret_keys.extend(other.not_secret_keys);
        self.placeholders.extend(other.placeholders);
        self.placeholder_patterns.extend(other.placeholder_patterns);
    }

    fn compile(&mut self, path: &Path) -> Result<(), RuleError> {
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
            placeholder_patterns,
        });
        Ok(())
    }
}

// ------------------------------------------------------------------ set

/// All rules of a run.
#[derive(Debug, Clone, Default)]
pub struct RuleSet {
    pub apps: Vec<AppProfile>,
    pub checks: Vec<Check>,
    pub secrets: SecretList,
}

impl RuleSet {
    /// The built-in rules.
    pub fn builtin() -> Result<RuleSet, Vec<RuleError>> {
        let mut files = Vec::new();
        collect_embedded(&BUILTIN, &mut files);
        Self::from_files(files)
    }

    /// The built-in rules plus every `*.yaml` under each of `dirs`.
    pub fn load(dirs: &[PathBuf]) -> Result<RuleSet, Vec<RuleError>> {
        let mut files = Vec::new();
        collect_embedded(&BUILTIN, &mut files);
        for dir in dirs {
            collect_dir(dir, &mut files)?;
        }
        Self::from_files(files)
    }

    /// Build a rule set from `(path, text)` pairs.
    pub fn from_files(mut files: Vec<(PathBuf, String)>) -> Result<RuleSet, Vec<RuleError>> {
        files.sort_by(|a, b| a.0.cmp(&b.0));
        let mut set = RuleSet::default();
        let mut errors = Vec::new();
        for (path, text) in files {
            if let Err(e) = set.add_file(&path, &text) {
                errors.push(e);
            }
        }
        let secrets_path = PathBuf::from("rules/secrets.yaml");
        if let Err(e) = set.secrets.compile(&secrets_path) {
            errors.push(e);
        }
        let mut seen = BTreeMap::new();
        for c in &set.checks {
            if let Some(prev) = seen.insert(c.id().to_string(), c.source.clone()) {
                errors.push(RuleError {
                    path: c.source.clone(),
                    line: c.id.referenced.line(),
                    column: c.id.referenced.column(),
                    message: format!(
                        "check id `{}` is already defined in {}",
                        c.id(),
                        prev.display()
                    ),
                });
            }
        }
        if errors.is_empty() {
            Ok(set)
        } else {
            Err(errors)
        }
    }

    fn add_file(&mut self, path: &Path, text: &str) -> Result<(), RuleError> {
        let kind = file_kind(text).ok_or_else(|| RuleError {
            path: path.to_path_buf(),
            line: 1,
            column: 1,
            message: "not a rule file: expected a top-level `id:` (check), `app:` (app profile) \
                      or `placeholders:` (secret list)"
                .into(),
        })?;
        match kind {
            RuleKind::Check => {
                let mut check: Check = parse_yaml(path, text)?;
                check.source = path.to_path_buf();
                validate_check(&mut check, path)?;
                self.checks.push(check);
            }
            RuleKind::App => {
                let mut app: AppProfile = parse_yaml(path, text)?;
                app.source = path.to_path_buf();
                validate_app(&mut app, path)?;
                self.apps.push(app);
            }
            RuleKind::Secrets => {
                let list: SecretList = parse_yaml(path, text)?;
                self.secrets.merge(list);
            }
        }
        Ok(())
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

enum RuleKind {
    Check,
    App,
    Secrets,
}

fn file_kind(text: &str) -> Option<RuleKind> {
    text.lines().find_map(|l| {
        if l.starts_with("id:") {
            Some(RuleKind::Check)
        } else if l.starts_with("app:") {
            Some(RuleKind::App)
        } else if l.starts_with("placeholders:")
            || l.starts_with("signing-keys:")
            || l.starts_with("password-keys:")
        {
            Some(RuleKind::Secrets)
        } else {
            None
        }
    })
}

fn parse_yaml<T: for<'de> Deserialize<'de>>(path: &Path, text: &str) -> Result<T, RuleError> {
    serde_saphyr::from_str(text).map_err(|e| {
        let (line, column) = e.location().map_or((1, 1), |l| (l.line(), l.column()));
        let message = e.to_string();
        // serde-saphyr renders a snippet after the first line; keep the message.
        let first = message.lines().next().unwrap_or("invalid rule file").trim();
        RuleError {
            path: path.to_path_buf(),
            line,
            column,
            message: first.to_string(),
        }
    })
}

fn err_at<T>(path: &Path, s: &Spanned<T>, message: String) -> RuleError {
    RuleError {
        path: path.to_path_buf(),
        line: s.referenced.line(),
        column: s.referenced.column(),
        message,
    }
}

fn compile_pattern(path: &Path, p: &Spanned<String>) -> Result<Regex, RuleError> {
    regex::RegexBuilder::new(&p.value)
        .size_limit(1 << 20)
        .build()
        .map_err(|e| err_at(path, p, format!("invalid regex `{}`: {e}", p.value)))
}

fn validate_concept(path: &Path, c: &Spanned<String>) -> Result<(), RuleError> {
    if CONCEPTS.contains(&c.value.as_str()) {
        Ok(())
    } else {
        Err(err_at(
            path,
            c,
            format!(
                "unknown concept `{}` (known: {})",
                c.value,
                CONCEPTS.join(", ")
            ),
        ))
    }
}

fn validate_app(app: &mut AppProfile, path: &Path) -> Result<(), RuleError> {
    for s in &mut app.settings {
        validate_concept(path, &s.concept)?;
        if let Some(p) = &s.env_pattern {
            s.pattern = Some(compile_pattern(path, p)?);
        }
        let names = [
            s.env.is_some(),
            s.env_pattern.is_some(),
            s.ini.is_some(),
            s.property.is_some(),
        ];
        if names.iter().filter(|b| **b).count() == 0
            || (s.env_pattern.is_some() && names.iter().filter(|b| **b).count() > 1)
        {
            return Err(err_at(
                path,
                &s.concept,
                "a setting needs `env`, `ini` or `property` (or `env-pattern` alone)".into(),
            ));
        }
    }
    for i in &mut app.ineffective {
        match (&i.env, &i.env_pattern) {
            (Some(_), None) => {}
            (None, Some(p)) => i.pattern = Some(compile_pattern(path, p)?),
            _ => {
                return Err(RuleError {
                    path: path.to_path_buf(),
                    line: 1,
                    column: 1,
                    message: format!(
                        "an ineffective entry needs exactly one of `env` or `env-pattern` (reason: {})",
                        i.reason
                    ),
                });
            }
        }
    }
    Ok(())
}

fn validate_check(check: &mut Check, path: &Path) -> Result<(), RuleError> {
    let id = check.id().to_string();
    let stem = path.file_stem().and_then(|s| s.to_str()).unwrap_or("");
    if stem != id {
        return Err(err_at(
            path,
            &check.id,
            format!("check id `{id}` must match its file name `{stem}.yaml`"),
        ));
    }
    if !id
        .bytes()
        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
    {
        return Err(err_at(
            path,
            &check.id,
            format!("check id `{id}` must be kebab-case"),
        ));
    }
    match (&check.when, &check.check) {
        (Some(cond), None) => validate_cond(cond, path, &check.id)?,
        (None, Some(f)) => {
            if !CHECK_FUNCTIONS.contains(&f.value.as_str()) {
                return Err(err_at(
                    path,
                    f,
                    format!(
                        "unknown check function `{}` (known: {})",
                        f.value,
                        CHECK_FUNCTIONS.join(", ")
                    ),
                ));
            }
        }
        _ => {
            return Err(err_at(
                path,
                &check.id,
                "a check needs exactly one of `when` (a condition) or `check` (a function)".into(),
            ));
        }
    }
    if let Some(t) = &mut check.threshold {
        t.value = Some(Duration::parse_threshold(&t.default).ok_or_else(|| {
            err_at(
                path,
                &check.id,
                format!(
                    "threshold `{}` has default `{}`, which is not a duration",
                    t.name, t.default
                ),
            )
        })?);
    }
    for text in [&check.message, &check.help]
        .into_iter()
        .chain(check.label.as_ref())
    {
        for p in placeholders(text) {
            if !PLACEHOLDERS.contains(&p) {
                return Err(err_at(
                    path,
                    &check.id,
                    format!(
                        "unknown placeholder `{{{p}}}` in `{text}` (known: {})",
                        PLACEHOLDERS.join(", ")
                    ),
                ));
            }
        }
    }
    Ok(())
}

fn validate_cond(cond: &Cond, path: &Path, id: &Spanned<String>) -> Result<(), RuleError> {
    if let Some(c) = &cond.concept {
        validate_concept(path, c)?;
    }
    for t in [&cond.below, &cond.above].into_iter().flatten() {
        if t != "threshold" && Duration::parse_threshold(t).is_none() {
            return Err(err_at(
                path,
                id,
                format!("`{t}` is neither `threshold` nor a duration such as 8h"),
            ));
        }
    }
    let value_preds = cond.is.is_some()
        || cond.below.is_some()
        || cond.above.is_some()
        || cond.equals.is_some()
        || cond.unit_mistake.is_some()
        || cond.persistent.is_some();
    if value_preds && cond.concept.is_none() {
        return Err(err_at(
            path,
            id,
            "`is`, `below`, `above`, `equals`, `unit-mistake` and `persistent` need a `concept`"
                .into(),
        ));
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
        return Err(err_at(path, id, "an empty condition".into()));
    }
    for c in cond.all.iter().chain(cond.any.iter()).flatten() {
        validate_cond(c, path, id)?;
    }
    if let Some(n) = &cond.not {
        validate_cond(n, path, id)?;
    }
    Ok(())
}

/// The `{name}` placeholders in a template.
pub fn placeholders(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(i) = rest.find('{') {
        let after = rest.get(i + 1..).unwrap_or("");
        match after.find('}') {
            Some(j) => {
                out.push(after.get(..j).unwrap_or(""));
                rest = after.get(j + 1..).unwrap_or("");
            }
            None => break,
        }
    }
    out
}

fn collect_embedded(dir: &include_dir::Dir<'_>, out: &mut Vec<(PathBuf, String)>) {
    for f in dir.files() {
        if f.path().extension().is_some_and(|e| e == "yaml")
            && let Some(text) = f.contents_utf8()
        {
            out.push((Path::new("rules").join(f.path()), text.to_string()));
        }
    }
    for d in dir.dirs() {
        collect_embedded(d, out);
    }
}

fn collect_dir(dir: &Path, out: &mut Vec<(PathBuf, String)>) -> Result<(), Vec<RuleError>> {
    let err = |p: &Path, m: String| {
        vec![RuleError {
            path: p.to_path_buf(),
            line: 1,
            column: 1,
            message: m,
        }]
    };
    let entries = std::fs::read_dir(dir).map_err(|e| err(dir, format!("cannot read: {e}")))?;
    let mut paths: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    paths.sort();
    for p in paths {
        if p.is_dir() {
            collect_dir(&p, out)?;
        } else if p.extension().is_some_and(|e| e == "yaml" || e == "yml") {
            let text = crate::source::read::read_file(&p, crate::source::read::Limit::TOOL_INPUT)
                .and_then(|t| t.strict(&p))
                .map_err(|e| err(&p, format!("cannot read: {}", e.cause())))?;
            out.push((p, text));
        }
    }
    Ok(())
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
