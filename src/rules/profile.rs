//! App profiles: `rules/apps/<app>.yaml`.

use std::collections::BTreeMap;
use std::path::PathBuf;

use regex::Regex;
use serde::Deserialize;
use serde_saphyr::Spanned;

use crate::rules::check::Example;
use crate::rules::vocabulary::ConceptDef;
use crate::source::finding::Severity;
use crate::syntax::duration::Unit;

/// How an app is recognised.
#[derive(Debug, Clone, Default, Deserialize, schemars::JsonSchema)]
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
    /// Compose service names that mark the app in a service with no image
    /// of its own, where a platform supplies the image by name (Umbrel's
    /// app stores merge its app proxy into the service named `app_proxy`).
    #[serde(default)]
    pub service_names: Vec<String>,
}

/// Spring's relaxed binding: case, `.`, `-` and `_` do not matter.
pub fn relaxed(key: &str) -> String {
    key.chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

/// One way an app reads config file keys (`section.key`) from
/// environment variables, declared in its profile (`env-scheme:`).
#[derive(Debug, Clone, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct EnvScheme {
    /// The variable's name, with the section and the key as placeholders:
    /// `{section}` and `{key}` as written in the file, `{SECTION}` and
    /// `{KEY}` upper-cased (`GF_{SECTION}_{KEY}`, `GITEA__{section}__{key}`).
    /// The section is everything before the last `.` of the key.
    /// Variables are compared case-insensitively.
    #[schemars(with = "String")]
    pub template: Spanned<String>,
    /// Characters of the section written differently in the name
    /// (`{".": "_0X2E_"}`, `{"-": "_"}`), replaced before upper-casing.
    #[serde(default)]
    pub section_replace: BTreeMap<String, String>,
    /// The same for the key.
    #[serde(default)]
    pub key_replace: BTreeMap<String, String>,
}

impl EnvScheme {
    /// The variable that sets `section.key`.
    pub fn env_name(&self, ini: &str) -> Option<String> {
        let (section, key) = ini.rsplit_once('.')?;
        let section = replace_chars(section, &self.section_replace);
        let key = replace_chars(key, &self.key_replace);
        let mut out = String::new();
        let mut rest = self.template.value.as_str();
        while let Some(i) = rest.find('{') {
            out.push_str(rest.get(..i).unwrap_or(""));
            let after = rest.get(i + 1..).unwrap_or("");
            let Some(j) = after.find('}') else {
                out.push('{');
                rest = after;
                continue;
            };
            match after.get(..j).unwrap_or("") {
                "section" => out.push_str(&section),
                "SECTION" => out.push_str(&section.to_ascii_uppercase()),
                "key" => out.push_str(&key),
                "KEY" => out.push_str(&key.to_ascii_uppercase()),
                other => {
                    out.push('{');
                    out.push_str(other);
                    out.push('}');
                }
            }
            rest = after.get(j + 1..).unwrap_or("");
        }
        out.push_str(rest);
        Some(out)
    }
}

fn replace_chars(text: &str, map: &BTreeMap<String, String>) -> String {
    if map.is_empty() {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len());
    let mut buf = [0u8; 4];
    for c in text.chars() {
        match map.get(&*c.encode_utf8(&mut buf)) {
            Some(r) => out.push_str(r),
            None => out.push(c),
        }
    }
    out
}

/// `{key: …, equals: …}`.
#[derive(Debug, Clone, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct DefaultCondition {
    /// A setting of the same profile, by its `env`, `ini` or `property` name.
    pub key: String,
    pub equals: String,
}

/// `{key: …, scheme: {https: "true", http: "false"}}`: a default taken
/// from the scheme of another setting's URL.
#[derive(Debug, Clone, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct DefaultFrom {
    /// A setting of the same profile whose value is a URL, by its `env`,
    /// `ini` or `property` name.
    pub key: String,
    /// The default for each scheme of that URL (`https`, `http`), compared
    /// case-insensitively. A URL of another scheme, or no URL, leaves the
    /// setting's own `default`.
    pub scheme: BTreeMap<String, String>,
}

impl DefaultFrom {
    /// The default for a URL: by the scheme before its `://`.
    pub fn for_url(&self, url: &str) -> Option<&str> {
        let url = url.trim().trim_matches(|c| c == '"' || c == '\'');
        let (scheme, _) = url.split_once("://")?;
        self.scheme
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(scheme))
            .map(|(_, v)| v.as_str())
    }
}

/// What happens when a setting is not set.
#[derive(Debug, Clone, Default, Deserialize, schemars::JsonSchema)]
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
#[derive(Debug, Clone, Deserialize, schemars::JsonSchema)]
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
#[derive(Debug, Clone, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct CommandDefault {
    pub word: String,
    pub value: String,
}

/// One setting of an app, mapped onto a concept.
#[derive(Debug, Clone, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct SettingSpec {
    /// Exact environment variable name.
    pub env: Option<String>,
    /// Or a regex over environment variable names (heuristic profiles).
    #[schemars(with = "Option<String>")]
    pub env_pattern: Option<Spanned<String>>,
    /// Or a config file key: `section.key` in an INI file (`security.secret_key`),
    /// the directive in php.ini (`session.gc_maxlifetime`). The profile's
    /// `env-scheme` gives the environment variables that set the same.
    pub ini: Option<String>,
    /// Or a Spring-style property, matched with relaxed binding
    /// (`server.servlet.session.timeout` = `SERVER_SERVLET_SESSION_TIMEOUT`).
    pub property: Option<String>,
    /// With `env`: the setting is a command-line flag written inside that
    /// variable's value (Jenkins' `--sessionTimeout` in `JENKINS_OPTS`), as
    /// `--flag=value` or `--flag value`; the word after it is the value.
    pub flag: Option<String>,
    #[schemars(with = "String")]
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
    /// When unset, the default comes from the scheme of another setting's
    /// URL (Gitea's `COOKIE_SECURE` is true when `ROOT_URL` is https).
    pub default_from: Option<DefaultFrom>,
    /// An empty value counts as not set: the app uses its `default`
    /// (Gitea falls back to its built-in `SECRET_KEY` when the key is
    /// empty), and findings say so. With no `default` and `when-unset:
    /// {generated-at-start: true}`, an empty value is taken as not set:
    /// the app generates the value.
    #[serde(default)]
    pub empty_is_default: bool,
    /// A duration of 0 means no limit (Tomcat's `session-timeout`): no
    /// check finds it short.
    #[serde(default)]
    pub zero_is_no_limit: bool,
    /// A number of 0 or below counts as not set: the app uses its
    /// `default`, or, without one, a value it takes from elsewhere
    /// (Keycloak replaces a session timeout of 0 by its built-in one, and a
    /// client session timeout of 0 by the SSO session's).
    #[serde(default)]
    pub zero_is_default: bool,
    /// For `cookie.secure`: the app adds the flag only to cookies it sends
    /// over HTTPS (qBittorrent: to a trustworthy origin), so the flag never
    /// makes a plain-HTTP login fail.
    #[serde(default)]
    pub only_over_https: bool,
    pub when_unset: Option<WhenUnset>,
    pub unit_mistake: Option<UnitMistake>,
    /// When unset, a word in the container's command gives the value
    /// (Keycloak's `start-dev` runs with `KC_CACHE=local`).
    pub command_default: Option<CommandDefault>,
    /// Set when the app itself reads no such variable and the name is a
    /// convention of app code (a Django `settings.py` that reads
    /// `SESSION_COOKIE_AGE` from the environment): the sentence that says
    /// so. Findings built on the setting carry it and rank below findings
    /// built on what the app itself reads (JSON `confidence: medium`,
    /// SARIF `precision: medium`).
    pub convention: Option<String>,
    #[serde(skip)]
    pub pattern: Option<Regex>,
    /// Set when the rules are loaded: the concept's values are secrets.
    #[serde(skip)]
    pub secret: bool,
}

impl SettingSpec {
    pub fn concept(&self) -> &str {
        &self.concept.value
    }

    /// Are the values of this setting secrets (by its concept)?
    pub fn is_secret(&self) -> bool {
        self.secret
    }

    pub fn matches(&self, key: &str, schemes: &[EnvScheme]) -> bool {
        if let (Some(env), Some(flag)) = (&self.env, &self.flag) {
            return key == flag_key(env, flag);
        }
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
                || schemes
                    .iter()
                    .filter_map(|m| m.env_name(ini))
                    .any(|e| e.eq_ignore_ascii_case(key)))
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
        if let (Some(env), Some(flag)) = (&self.env, &self.flag) {
            return Some(flag_key(env, flag));
        }
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
#[derive(Debug, Clone, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Ineffective {
    pub env: Option<String>,
    #[schemars(with = "Option<String>")]
    pub env_pattern: Option<Spanned<String>>,
    pub reason: String,
    pub use_instead: Option<String>,
    /// Defaults to the check's severity.
    pub severity: Option<Severity>,
    /// The app version (`26`, `2.4`) from which the name is no longer
    /// read. Then only workloads known to run that version or a later one
    /// are reported: an image tag of an older version (`keycloak:25.0`) is
    /// not, an image without a tag or tagged `latest` is; other tags
    /// (`${VERSION}`, `nightly`) and workloads without an image are not.
    pub removed_in: Option<String>,
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

    /// Does the entry apply to a workload running `image` (see
    /// `removed-in`)?
    pub fn applies_to(&self, image: Option<&str>) -> bool {
        let Some(removed) = self.removed_in.as_deref().and_then(version_of) else {
            return true;
        };
        let Some(image) = image else {
            return false;
        };
        let no_digest = image.split('@').next().unwrap_or(image);
        let last_slash = no_digest.rfind('/').map_or(0, |i| i + 1);
        let tag = no_digest
            .get(last_slash..)
            .and_then(|s| s.split_once(':'))
            .map(|(_, t)| t);
        match tag {
            None | Some("latest") => true,
            Some(t) => version_of(t).is_some_and(|v| v >= removed),
        }
    }
}

/// The leading `major.minor.patch` numbers of a version or image tag
/// (`26.3.3-debian-12-r0` → [26, 3, 3], `v2.4` → [2, 4]).
fn version_of(text: &str) -> Option<Vec<u32>> {
    let t = text.strip_prefix(['v', 'V']).unwrap_or(text);
    let head: String = t
        .chars()
        .take_while(|c| c.is_ascii_digit() || *c == '.')
        .collect();
    let parts: Vec<u32> = head
        .split('.')
        .take_while(|p| !p.is_empty())
        .map_while(|p| p.parse().ok())
        .collect();
    (!parts.is_empty()).then_some(parts)
}

/// A secret value an app ships with or documents.
#[derive(Debug, Clone, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct ShippedSecret {
    pub value: String,
    pub note: String,
    /// The app refuses to start with this value (Docmost's
    /// `REPLACE_WITH_LONG_SECRET`): a finding is a note, since the
    /// deployment stops instead of running with a known secret.
    #[serde(default)]
    pub refused_at_start: bool,
}

/// What a datastore profile (PostgreSQL, Redis, Memcached …) says about
/// the store itself: which session stores of other apps it serves, how they
/// name it, and where it keeps its data.
#[derive(Debug, Clone, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Datastore {
    /// The `session.store` value (in the vocabulary) of an app that keeps
    /// its sessions here: `database`, `redis`, `memcached`. None: it holds
    /// no sessions (a message broker, an object store).
    pub serves: Option<String>,
    /// URL schemes by which other services name it (`postgres`,
    /// `postgresql`); a `jdbc:` prefix and a `+driver` suffix are ignored.
    #[serde(default)]
    pub url_schemes: Vec<String>,
    /// Words of the variables that name its host (`DB`, `POSTGRES`): a
    /// variable such as `DB_HOST` or `GF_DATABASE_URL` (a name made of
    /// words, one of them listed here, ending in `HOST`, `URL`, `SERVER` …)
    /// whose value is the datastore's service name.
    #[serde(default)]
    pub host_words: Vec<String>,
    /// Where it keeps its data inside the container, per image. An image
    /// listed nowhere here has no known data path, and nothing is said of
    /// its persistence.
    #[serde(default)]
    pub data_paths: Vec<DataPaths>,
    /// It keeps its data only in memory, whatever the volumes (Memcached).
    #[serde(default)]
    pub memory_only: bool,
}

/// The data directories of a datastore's images.
#[derive(Debug, Clone, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct DataPaths {
    /// Image repositories, as in `detect.images`.
    pub images: Vec<String>,
    /// Directories (of every version of those images) where the data is
    /// kept: the data survives the container's removal when a persistent
    /// volume or a bind mount is at, above or below one of them.
    pub paths: Vec<String>,
    /// Variables that move the data directory (`PGDATA`): a value set for
    /// one of them is a data directory too.
    #[serde(default)]
    pub env: Vec<String>,
    /// Command-line flags that move the data directory (`--dbpath`,
    /// `--datadir`): the word after one (or after its `=`) is a data
    /// directory too.
    #[serde(default)]
    pub flags: Vec<String>,
}

impl Datastore {
    /// The data directories of `image`, with the variables that move
    /// them; `None` when the image is not listed.
    pub fn data_paths_of(&self, image: &str) -> Option<&DataPaths> {
        self.data_paths
            .iter()
            .find(|d| same_image(&d.images, image))
    }
}

/// Is `image` (a reference with any registry, tag or digest) one of
/// `images` (repositories, with or without a registry)?
fn same_image(images: &[String], image: &str) -> bool {
    let repo = image_repository(image);
    let path = repository_path(&repo);
    images
        .iter()
        .any(|i| i.eq_ignore_ascii_case(&repo) || repository_path(i).eq_ignore_ascii_case(path))
}

/// State an app keeps on its container's disk that its logins depend on:
/// the sessions themselves, or the key that signs or encrypts its login
/// cookies, created at first start. On no persistent volume, it is lost
/// with the container, and every user is logged out.
#[derive(Debug, Clone, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct KeptState {
    /// What is kept, as it reads in a message: `its sessions`, `the key
    /// that signs its login cookies`.
    pub holds: String,
    /// The images of which this is true (repositories, as in
    /// `detect.images`); empty: every image of `detect.images`.
    #[serde(default)]
    pub images: Vec<String>,
    /// The directories where it is kept. It survives the container's
    /// removal when a persistent volume or a bind mount is at, above or
    /// below one of them.
    pub paths: Vec<String>,
    /// Variables that move the directory: a value set for one of them is
    /// such a directory too.
    #[serde(default)]
    pub env: Vec<String>,
    /// Command-line flags that move the directory.
    #[serde(default)]
    pub flags: Vec<String>,
    /// A variable that holds the key instead (`WEBUI_SECRET_KEY`): when
    /// it is set, the app does not create one and nothing is lost; the
    /// finding's help suggests it.
    pub pinned_by: Option<String>,
    /// Variables that, when set to a value, move the state out of the
    /// container (an external database's host): then nothing is lost.
    #[serde(default)]
    pub unless_set: Vec<String>,
}

/// One thing an app keeps in each process's memory (`in-memory:`).
#[derive(Debug, Clone, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct InMemory {
    /// What is kept, as it reads in a message: `the key that signs its
    /// login tokens (made at every start)`.
    pub holds: String,
    /// What goes wrong when a request reaches another instance, as it reads
    /// in a message: `a login made on one is refused by the others`.
    pub effect: String,
    /// Variables that, when set, share it between instances (a key given
    /// to all of them): then nothing is lost.
    #[serde(default)]
    pub unless_set: Vec<String>,
}

impl AppProfile {
    /// The state that the container of `image` keeps on its disk: for an
    /// image of the profile's own.
    pub fn state_of(&self, image: &str) -> Vec<&KeptState> {
        self.state
            .iter()
            .filter(|k| {
                if k.images.is_empty() {
                    self.matches_image(image)
                } else {
                    same_image(&k.images, image)
                }
            })
            .collect()
    }
}

/// Where a fact of a profile comes from: a line of the app's own code (or
/// its official deployment files) at a commit.
#[derive(Debug, Clone, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Citation {
    /// `owner/name` on GitHub.
    #[schemars(with = "String")]
    pub repo: Spanned<String>,
    /// The full commit hash (40 hex digits).
    #[schemars(with = "String")]
    pub commit: Spanned<String>,
    /// The file, relative to the repository root.
    pub path: String,
    /// The line (or first line) the fact is read from.
    pub line: Option<u32>,
    /// What the lines show (`SESSION_LIFETIME is read in minutes, default 120`).
    pub fact: String,
}

impl Citation {
    /// A link to the cited lines.
    pub fn url(&self) -> String {
        let line = self.line.map(|l| format!("#L{l}")).unwrap_or_default();
        format!(
            "https://github.com/{}/blob/{}/{}{line}",
            self.repo.value, self.commit.value, self.path
        )
    }
}

/// An app profile: `rules/apps/<app>.yaml`.
#[derive(Debug, Clone, Deserialize, schemars::JsonSchema)]
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
    /// How config file keys map to environment variables (each scheme
    /// gives one variable per key).
    #[serde(default)]
    pub env_scheme: Vec<EnvScheme>,
    /// Concepts this profile introduces, in addition to the vocabulary.
    #[serde(default)]
    pub concepts: Vec<ConceptDef>,
    #[serde(default)]
    pub settings: Vec<SettingSpec>,
    #[serde(default)]
    pub ineffective: Vec<Ineffective>,
    #[serde(default)]
    pub shipped_secrets: Vec<ShippedSecret>,
    pub docs: Option<String>,
    /// For a datastore: the session stores it serves and where it keeps
    /// its data.
    pub datastore: Option<Datastore>,
    /// What the app keeps on its container's disk that logins depend on.
    #[serde(default)]
    pub state: Vec<KeptState>,
    /// What each instance of the app keeps in its own memory that logins
    /// depend on (a signing key made at start, the state of a sign-in in
    /// flight): several replicas do not share it.
    #[serde(default)]
    pub in_memory: Vec<InMemory>,
    /// Names of cookies the app sets that no setting renames (Keycloak's
    /// `AUTH_SESSION_ID`): a proxy's own cookie of the same name clashes.
    #[serde(default)]
    pub cookies: Vec<String>,
    /// Where the profile's facts come from, in the app's own code.
    #[serde(default, rename = "source")]
    pub citations: Vec<Citation>,
    /// Examples: `# expect: <rule-id>` markers for any rule.
    #[serde(default)]
    pub examples: Vec<Example>,
    #[serde(skip)]
    pub source: PathBuf,
    /// Line and column of `app:`.
    #[serde(skip)]
    pub app_at: (u64, u64),
}

impl AppProfile {
    /// Does this profile claim an image reference like
    /// `docker.io/n8nio/n8n:1.2@sha256:…`?
    ///
    /// The registry host is not part of the comparison: `lscr.io/linuxserver/x`,
    /// `ghcr.io/linuxserver/x` and `linuxserver/x` are the same image, and so
    /// are `quay.io/keycloak/keycloak` and `keycloak/keycloak`.
    pub fn matches_image(&self, image: &str) -> bool {
        same_image(&self.detect.images, image)
    }
}

/// The name of the setting that a `flag` inside variable `env` gives
/// (`JENKINS_OPTS --sessionTimeout`).
pub fn flag_key(env: &str, flag: &str) -> String {
    format!("{env} {flag}")
}

/// The value of `flag` among the words of `text`: the rest of
/// `--flag=value`, or the word after `--flag`.
pub fn flag_value(text: &str, flag: &str) -> Option<String> {
    let words = crate::syntax::words::split_words(text);
    words
        .iter()
        .enumerate()
        .find_map(|(i, (word, _))| match word.strip_prefix(flag) {
            Some(rest) if rest.starts_with('=') => Some(rest.get(1..).unwrap_or("").to_string()),
            Some("") => words.get(i + 1).map(|(next, _)| next.clone()),
            _ => None,
        })
}

/// An image repository without its registry host: `ghcr.io/a/b` → `a/b`,
/// `mirror.gcr.io/library/redis` → `redis`, `redis` → `redis`. A first
/// component is a host when it has a `.` or a `:` or is `localhost`, as
/// docker itself decides.
pub fn repository_path(repo: &str) -> &str {
    let path = match repo.split_once('/') {
        Some((first, rest))
            if first.contains('.') || first.contains(':') || first == "localhost" =>
        {
            rest
        }
        _ => repo,
    };
    path.strip_prefix("library/").unwrap_or(path)
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

#[cfg(test)]
mod ineffective_tests {
    use super::*;

    fn removed(v: &str) -> Ineffective {
        Ineffective {
            env: Some("KC_PROXY".into()),
            env_pattern: None,
            reason: String::new(),
            use_instead: None,
            severity: None,
            removed_in: Some(v.into()),
            pattern: None,
        }
    }

    #[test]
    fn removed_in_follows_the_image_tag() {
        let e = removed("26");
        assert!(e.applies_to(Some("quay.io/keycloak/keycloak:26.0")));
        assert!(e.applies_to(Some("quay.io/keycloak/keycloak")));
        assert!(e.applies_to(Some("keycloak/keycloak:latest")));
        assert!(e.applies_to(Some("docker.io/bitnami/keycloak:26.3.3-debian-12-r0")));
        assert!(!e.applies_to(Some("quay.io/keycloak/keycloak:25.0.6")));
        assert!(!e.applies_to(Some("localhost:5000/keycloak:24")));
        assert!(!e.applies_to(Some("bitnami/keycloak:${KEYCLOAK_VERSION}")));
        assert!(!e.applies_to(None));
        assert!(removed("2.4").applies_to(Some("x/y:v2.10")));
        assert!(!removed("2.4").applies_to(Some("x/y:2.3.9")));
        let always = Ineffective {
            removed_in: None,
            ..removed("1")
        };
        assert!(always.applies_to(None));
    }
}
