//! Reading rule files: the embedded built-ins and users' directories.
//!
//! Every file is parsed first; then the vocabulary (concepts, categories,
//! placeholders) is gathered from all of them, so that a profile or check
//! may use a concept that another file of the same directory declares;
//! then each file is validated against it. Every error of every file is
//! reported, not just the first.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::rules::validate::{Validator, validate_vocabulary};
use crate::rules::vocabulary::VocabularyFile;
use crate::rules::{AppProfile, Check, RuleError, RuleSet, SecretList};

static BUILTIN: include_dir::Dir<'_> = include_dir::include_dir!("$CARGO_MANIFEST_DIR/rules");

/// The kinds of rule file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RuleKind {
    /// `rules/checks/<id>.yaml`: a top-level `id:`.
    Check,
    /// `rules/apps/<app>.yaml`: a top-level `app:`.
    App,
    /// `rules/secrets.yaml`: `signing-keys:`, `password-keys:`, `placeholders:`.
    Secrets,
    /// `rules/vocabulary.yaml`: `concepts:`, `categories:`,
    /// `message-placeholders:` (and none of the keys above).
    Vocabulary,
}

impl RuleKind {
    pub const ALL: [RuleKind; 4] = [
        RuleKind::App,
        RuleKind::Check,
        RuleKind::Secrets,
        RuleKind::Vocabulary,
    ];

    /// The name of its schema (`schemas/rules/<name>.json`).
    pub fn name(self) -> &'static str {
        match self {
            RuleKind::Check => "check",
            RuleKind::App => "app-profile",
            RuleKind::Secrets => "secret-list",
            RuleKind::Vocabulary => "vocabulary",
        }
    }

    /// The kind of a rule file, by its top-level keys.
    pub fn of_text(text: &str) -> Option<RuleKind> {
        let first = text.lines().find_map(|l| {
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
        });
        first.or_else(|| {
            text.lines()
                .any(|l| {
                    l.starts_with("concepts:")
                        || l.starts_with("categories:")
                        || l.starts_with("message-placeholders:")
                })
                .then_some(RuleKind::Vocabulary)
        })
    }
}

/// One parsed rule file.
enum Parsed {
    Check(Box<Check>),
    App(Box<AppProfile>),
    Secrets(Box<SecretList>),
    Vocabulary(VocabularyFile),
}

impl RuleSet {
    /// The built-in rules plus every `*.yaml` under each of `dirs`, with
    /// the ids of the check functions that `check: <id>` may name (the
    /// lint layer passes its registry: see `RuleSet::load` there).
    pub fn load_with(dirs: &[PathBuf], known_checks: &[&str]) -> Result<RuleSet, Vec<RuleError>> {
        let mut files = builtin_files();
        let mut errors = Vec::new();
        for dir in dirs {
            collect_dir(dir, &mut files, &mut errors);
        }
        match Self::from_files_with(files, known_checks) {
            Ok(set) if errors.is_empty() => Ok(set),
            Ok(_) => Err(errors),
            Err(more) => {
                errors.extend(more);
                Err(errors)
            }
        }
    }

    /// Build a rule set from `(path, text)` pairs, with the ids of the
    /// check functions.
    pub fn from_files_with(
        mut files: Vec<(PathBuf, String)>,
        known_checks: &[&str],
    ) -> Result<RuleSet, Vec<RuleError>> {
        files.sort_by(|a, b| a.0.cmp(&b.0));
        let mut set = RuleSet::default();
        let mut errors = Vec::new();
        let mut parsed = Vec::new();
        // files parse independently: side by side, kept in path order
        let results: Vec<(PathBuf, Result<Parsed, RuleError>)> = {
            use rayon::prelude::*;
            files
                .into_par_iter()
                .map(|(path, text)| {
                    let p = parse_file(&path, &text);
                    (path, p)
                })
                .collect()
        };
        for (path, result) in results {
            match result {
                Ok(p) => parsed.push((path, p)),
                Err(e) => errors.push(e),
            }
        }
        // the vocabulary first: vocabulary files, then profiles' concepts
        for (path, p) in &parsed {
            if let Parsed::Vocabulary(v) = p {
                validate_vocabulary(&mut set.vocabulary, v, path, &mut errors);
            }
        }
        for (path, p) in &parsed {
            if let Parsed::App(a) = p {
                let v = VocabularyFile {
                    concepts: a.concepts.clone(),
                    ..VocabularyFile::default()
                };
                validate_vocabulary(&mut set.vocabulary, &v, path, &mut errors);
            }
        }
        for (path, p) in parsed {
            let mut v = Validator {
                path: &path,
                vocabulary: &set.vocabulary,
                known_checks,
                errors: &mut errors,
            };
            match p {
                Parsed::Check(mut check) => {
                    check.source = path.clone();
                    v.check(&mut check);
                    set.checks.push(*check);
                }
                Parsed::App(mut app) => {
                    app.source = path.clone();
                    v.app(&mut app);
                    set.apps.push(*app);
                }
                Parsed::Secrets(list) => set.secrets.merge(*list),
                Parsed::Vocabulary(_) => {}
            }
        }
        let secrets_path = PathBuf::from("rules/secrets.yaml");
        if let Err(e) = set.secrets.compile(&secrets_path) {
            errors.push(e);
        }
        // a user's file that reuses a built-in id is the one in error
        let builtin = builtin_paths();
        let user_last = |p: &PathBuf| !builtin.contains(p);
        let mut checks: Vec<&Check> = set.checks.iter().collect();
        checks.sort_by_key(|c| user_last(&c.source));
        let mut apps: Vec<&AppProfile> = set.apps.iter().collect();
        apps.sort_by_key(|a| user_last(&a.source));
        duplicates(
            checks.iter().map(|c| {
                let at = &c.id.referenced;
                (c.id(), at.line(), at.column(), &c.source)
            }),
            "check id",
            &mut errors,
        );
        duplicates(
            apps.iter()
                .map(|a| (a.app.as_str(), a.app_at.0, a.app_at.1, &a.source)),
            "app id",
            &mut errors,
        );
        if errors.is_empty() {
            Ok(set)
        } else {
            errors.sort_by(|a, b| (&a.path, a.line, a.column).cmp(&(&b.path, b.line, b.column)));
            Err(errors)
        }
    }
}

/// An error for every id defined a second time.
fn duplicates<'a>(
    ids: impl Iterator<Item = (&'a str, u64, u64, &'a PathBuf)>,
    what: &str,
    errors: &mut Vec<RuleError>,
) {
    let mut seen: BTreeMap<&str, &PathBuf> = BTreeMap::new();
    for (id, line, column, source) in ids {
        if let Some(prev) = seen.insert(id, source) {
            errors.push(RuleError {
                path: source.clone(),
                line,
                column,
                message: format!("{what} `{id}` is already defined in {}", prev.display()),
            });
        }
    }
}

/// Where the `app:` of a profile is.
#[derive(Deserialize)]
struct AppId {
    app: serde_saphyr::Spanned<String>,
}

/// Where the value of a profile's top-level `app:` is (line and column,
/// from 1), read from the text when it is a plain word on the `app:` line
/// (as in every profile); `None` otherwise, and the YAML parser says.
fn app_position(text: &str) -> Option<(u64, u64)> {
    let (n, line) = text
        .split('\n')
        .enumerate()
        .find(|(_, l)| l.starts_with("app:"))?;
    let rest = line.get(4..)?;
    let value = rest.trim_start_matches(' ');
    let word = value.trim_end_matches(['\r', ' ']);
    if word.is_empty()
        || !word
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_' || c == '.')
    {
        return None;
    }
    // (no BOM, and no lone `\r` line end before it, which YAML counts)
    let start: usize = text.split('\n').take(n).map(|l| l.len() + 1).sum();
    let before = text.get(..start.min(text.len()))?;
    if text.starts_with('\u{feff}') || before.replace("\r\n", "").contains('\r') {
        return None;
    }
    let column = 4 + (rest.len() - value.len()) + 1;
    Some((n as u64 + 1, column as u64))
}

fn parse_file(path: &Path, text: &str) -> Result<Parsed, RuleError> {
    let kind = RuleKind::of_text(text).ok_or_else(|| RuleError {
        path: path.to_path_buf(),
        line: 1,
        column: 1,
        message: "not a rule file: expected a top-level `id:` (check), `app:` (app profile), \
                  `placeholders:` (secret list) or `concepts:`/`categories:` (vocabulary)"
            .into(),
    })?;
    Ok(match kind {
        RuleKind::Check => Parsed::Check(Box::new(parse_yaml(path, text)?)),
        RuleKind::App => {
            let mut app: AppProfile = parse_yaml(path, text)?;
            if let Some(at) = app_position(text).or_else(|| {
                serde_saphyr::from_str::<AppId>(text)
                    .ok()
                    .map(|id| (id.app.referenced.line(), id.app.referenced.column()))
            }) {
                app.app_at = at;
            }
            Parsed::App(Box::new(app))
        }
        RuleKind::Secrets => Parsed::Secrets(Box::new(parse_yaml(path, text)?)),
        RuleKind::Vocabulary => Parsed::Vocabulary(parse_yaml(path, text)?),
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

/// The line of each entry of a rule file's `examples:` list (empty when
/// the file has none or does not parse).
pub fn example_lines(text: &str) -> Vec<u64> {
    #[derive(Deserialize)]
    struct Examples {
        #[serde(default)]
        examples: Vec<serde_saphyr::Spanned<serde::de::IgnoredAny>>,
    }
    serde_saphyr::from_str::<Examples>(text)
        .map(|e| e.examples.iter().map(|x| x.referenced.line()).collect())
        .unwrap_or_default()
}

/// The built-in rule files: `(rules/…, text)`.
pub fn builtin_files() -> Vec<(PathBuf, String)> {
    let mut files = Vec::new();
    collect_embedded(&BUILTIN, &mut files);
    files
}

/// The paths of the built-in rule files.
fn builtin_paths() -> Vec<PathBuf> {
    fn walk(dir: &include_dir::Dir<'_>, out: &mut Vec<PathBuf>) {
        out.extend(dir.files().map(|f| Path::new("rules").join(f.path())));
        for d in dir.dirs() {
            walk(d, out);
        }
    }
    let mut out = Vec::new();
    walk(&BUILTIN, &mut out);
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

fn collect_dir(dir: &Path, out: &mut Vec<(PathBuf, String)>, errors: &mut Vec<RuleError>) {
    let err = |p: &Path, m: String| RuleError {
        path: p.to_path_buf(),
        line: 1,
        column: 1,
        message: m,
    };
    let entries = match std::fs::read_dir(dir) {
        Ok(e) => e,
        Err(e) => {
            errors.push(err(dir, format!("cannot read: {e}")));
            return;
        }
    };
    let mut paths: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    paths.sort();
    for p in paths {
        if p.is_dir() {
            collect_dir(&p, out, errors);
        } else if p.extension().is_some_and(|e| e == "yaml" || e == "yml") {
            match crate::source::read::read_file(&p, crate::source::read::Limit::TOOL_INPUT)
                .and_then(|t| t.strict(&p))
            {
                Ok(text) => out.push((p, text)),
                Err(e) => errors.push(err(&p, format!("cannot read: {}", e.cause()))),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The place of `app:` read from the text is where the YAML parser
    /// puts it, for every built-in profile and a few shapes.
    #[test]
    fn app_position_is_where_the_parser_puts_it() {
        let parsed = |text: &str| {
            serde_saphyr::from_str::<AppId>(text)
                .ok()
                .map(|id| (id.app.referenced.line(), id.app.referenced.column()))
        };
        let mut n = 0;
        for (path, text) in builtin_files() {
            if RuleKind::of_text(&text) == Some(RuleKind::App) {
                assert_eq!(app_position(&text), parsed(&text), "{}", path.display());
                n += 1;
            }
        }
        assert!(n > 100, "{n} profiles");
        for text in [
            "app: x\n",
            "# c\n\napp:    my-app  \nname: X\n",
            "a: 1\r\napp: y\r\n",
        ] {
            assert_eq!(app_position(text), parsed(text), "{text:?}");
            assert!(app_position(text).is_some(), "{text:?}");
        }
        // shapes left to the parser
        for text in [
            "app: 'q'\n",
            "app:\n  x\n",
            "a: 1\rapp: y\n",
            "app: x # c\n",
        ] {
            assert_eq!(app_position(text), None, "{text:?}");
        }
    }
}
