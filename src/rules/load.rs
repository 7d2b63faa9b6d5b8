//! Reading rule files: the embedded built-ins and users' directories.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::rules::validate::{validate_app, validate_check};
use crate::rules::{AppProfile, Check, RuleError, RuleSet, SecretList};

static BUILTIN: include_dir::Dir<'_> = include_dir::include_dir!("$CARGO_MANIFEST_DIR/rules");

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
            let text =
                std::fs::read_to_string(&p).map_err(|e| err(&p, format!("cannot read: {e}")))?;
            out.push((p, text));
        }
    }
    Ok(())
}
