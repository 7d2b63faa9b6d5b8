//! `.env` files as the model reads them: each parsed once, looked up by
//! path, and paired with the example files beside them.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;

use crate::model::{Origin, Setting, Value};
use crate::source::finding::Finding;
use crate::source::{FileId, FileKind, SourceFile, SourceMap, Span};
use crate::syntax::{dotenv, interp};

/// The entries of one `.env` file as settings, and a lookup by name.
#[derive(Debug)]
pub struct ParsedEnv {
    pub file: FileId,
    pub settings: Vec<Setting>,
    /// Read from a Dokploy `template.toml`, not from a `.env`.
    pub from_template: bool,
}

/// Variables of a project `.env`, for interpolation.
#[derive(Debug, Clone)]
pub struct EnvLookup {
    vars: Arc<HashMap<String, (String, Span)>>,
    /// Variables set to a value the repository does not tell (a value
    /// Dokploy generates): why, and where they are set.
    unknown: Arc<HashMap<String, (String, Span)>>,
}

impl EnvLookup {
    /// The known value of `name` and where it is set.
    pub fn get(&self, name: &str) -> Option<(String, Span)> {
        self.vars.get(name).cloned()
    }

    /// `name` is set, to a value not known: why, and where it is set.
    pub fn unknown(&self, name: &str) -> Option<(String, Span)> {
        self.unknown.get(name).cloned()
    }
}

/// `.env` files: the ones discovered, and the ones compose files name in
/// `env_file` (read from disk when discovery skipped them, e.g. because
/// they are git-ignored). Each is parsed once.
pub struct EnvFiles<'a> {
    pub(crate) sources: &'a SourceMap,
    pub(crate) by_path: HashMap<PathBuf, Option<Arc<ParsedEnv>>>,
    pub(crate) new_files: Vec<SourceFile>,
    pub(crate) findings: Vec<Finding>,
    /// Files whose entries are container environment of some workload.
    pub(crate) used_as_env: HashSet<FileId>,
    /// Files used for compose interpolation.
    pub(crate) used_for_interpolation: HashSet<FileId>,
}

impl<'a> EnvFiles<'a> {
    pub fn new(sources: &'a SourceMap) -> Self {
        EnvFiles {
            sources,
            by_path: HashMap::new(),
            new_files: Vec::new(),
            findings: Vec::new(),
            used_as_env: HashSet::new(),
            used_for_interpolation: HashSet::new(),
        }
    }

    pub(crate) fn file(&self, id: FileId) -> Option<&SourceFile> {
        self.sources.get(id).or_else(|| {
            let i = (id.0 as usize).checked_sub(self.sources.len())?;
            self.new_files.get(i)
        })
    }

    /// Parse (once) the `.env` file at `path`.
    fn parsed(&mut self, path: &Path) -> Option<Arc<ParsedEnv>> {
        let path = crate::source::paths::normalize(path);
        if let Some(p) = self.by_path.get(&path) {
            return p.clone();
        }
        let id = match self.sources.find(&path) {
            Some(id) => Some(id),
            None => self
                .read_from_disk(&path, None)
                .or_else(|| self.dokploy_template(&path)),
        };
        let parsed = id.map(|id| Arc::new(self.parse(id)));
        self.by_path.insert(path, parsed.clone());
        parsed
    }

    /// Dokploy writes the `.env` beside a compose file from the
    /// `template.toml` there when it deploys it: for a missing `.env`, that
    /// template, when there is one.
    fn dokploy_template(&mut self, env: &Path) -> Option<FileId> {
        if env.file_name()? != ".env" {
            return None;
        }
        let template = env.with_file_name("template.toml");
        let id = match self.sources.find(&template) {
            Some(id) => id,
            None => self.read_from_disk(&template, Some(FileKind::DokployTemplate))?,
        };
        (self.file(id)?.kind == FileKind::DokployTemplate).then_some(id)
    }

    /// Why the file at `path` gave no settings (after [`EnvFiles::load`]
    /// returned `None`): `(label, reason)`, the reason ending a sentence
    /// that starts with the file's name.
    pub fn why_not_read(&self, path: &Path) -> (&'static str, String) {
        let path = crate::source::paths::normalize(path);
        // outside or not, whether the file exists or not (nothing is told
        // of files outside the tree)
        if !self.sources.within_roots(&crate::source::resolved(&path)) {
            return (
                "not followed",
                "is outside the linted tree and was not followed (sessionlint reads no file \
                 outside the paths it lints)"
                    .to_string(),
            );
        }
        if std::fs::symlink_metadata(&path).is_err() {
            return ("not found", "was not found".to_string());
        }
        match crate::source::read::read_file(&path, self.sources.read_limit()) {
            Err(e) => ("not read", format!("could not be read ({})", e.problem())),
            Ok(_) => ("not read", "could not be read as a `.env` file".to_string()),
        }
    }

    fn read_from_disk(&mut self, path: &Path, kind: Option<FileKind>) -> Option<FileId> {
        // not outside the linted tree, also through symbolic links
        if !self
            .sources
            .within_roots(&std::fs::canonicalize(path).ok()?)
        {
            return None;
        }
        let crate::source::read::Text { text, problems } =
            crate::source::read::read_file(path, self.sources.read_limit()).ok()?;
        let kind = kind.unwrap_or(match crate::model::discover::classify_name(path) {
            crate::model::discover::NameKind::Known(FileKind::DotenvExample) => {
                FileKind::DotenvExample
            }
            _ => FileKind::Dotenv,
        });
        let id = FileId(u32::try_from(self.sources.len() + self.new_files.len()).ok()?);
        self.new_files
            .push(SourceFile::new(path.to_path_buf(), kind, text));
        for (r, m) in problems {
            self.findings
                .push(Finding::parse_error(Span::new(id, r), m));
        }
        Some(id)
    }

    fn parse(&mut self, id: FileId) -> ParsedEnv {
        let Some(file) = self.file(id) else {
            return ParsedEnv {
                file: id,
                settings: Vec::new(),
                from_template: false,
            };
        };
        let (parsed, findings) = if file.kind == FileKind::DokployTemplate {
            parse_template(id, file)
        } else {
            parse_env(id, file)
        };
        self.findings.extend(findings);
        parsed
    }

    /// Parse every `.env` file discovery found, in parallel.
    pub(crate) fn parse_all(&mut self) {
        let sources = self.sources;
        let files: Vec<(FileId, &SourceFile)> = sources
            .iter()
            .filter(|(_, f)| f.kind.is_dotenv() && f.embedded.is_none())
            .collect();
        let parsed: Vec<(ParsedEnv, Vec<Finding>)> = files
            .into_par_iter()
            .map(|(id, f)| parse_env(id, f))
            .collect();
        for (p, findings) in parsed {
            let Some(file) = sources.get(p.file) else {
                continue;
            };
            let path = crate::source::paths::normalize(&file.path);
            if self.by_path.contains_key(&path) {
                continue;
            }
            if sources.find(&path) != Some(p.file) {
                // stored under another spelling: resolve it as compose would
                self.parsed(&file.path);
                continue;
            }
            self.findings.extend(findings);
            self.by_path.insert(path, Some(Arc::new(p)));
        }
    }

    /// The entries of an `env_file`, or `None` when it does not exist.
    pub fn load(&mut self, path: &Path) -> Option<Vec<Setting>> {
        let p = self.parsed(path)?;
        self.used_as_env.insert(p.file);
        Some(p.settings.clone())
    }

    /// The project `.env` used to interpolate a compose file.
    pub fn project_env(&mut self, path: &Path) -> Option<EnvLookup> {
        let p = self.parsed(path)?;
        self.used_for_interpolation.insert(p.file);
        let mut vars = HashMap::new();
        let mut unknown = HashMap::new();
        for s in &p.settings {
            match &s.value {
                Value::Known(v) => {
                    unknown.remove(&s.key);
                    vars.insert(s.key.clone(), (v.clone(), s.value_span));
                }
                Value::Unknown(why) => {
                    vars.remove(&s.key);
                    // a reference to a variable .env does not set stays
                    // unset for compose; a value generated elsewhere is set
                    if p.from_template {
                        unknown.insert(s.key.clone(), (why.clone(), s.value_span));
                    }
                }
            }
        }
        Some(EnvLookup {
            vars: Arc::new(vars),
            unknown: Arc::new(unknown),
        })
    }
}

/// A Dokploy `template.toml` as the `.env` Dokploy writes from it: its
/// `[config] env` entries, a value Dokploy generates (a password helper, a
/// domain) unknown; a TOML error as a finding. A TOML file that is no
/// template gives no entries.
fn parse_template(id: FileId, file: &SourceFile) -> (ParsedEnv, Vec<Finding>) {
    let mut findings = Vec::new();
    let entries = match crate::syntax::dokploy::parse(&file.text) {
        Ok(e) => e.unwrap_or_default(),
        Err((message, at)) => {
            findings.push(Finding::parse_error(
                Span::new(id, at),
                format!("invalid Dokploy template: {message}"),
            ));
            Vec::new()
        }
    };
    let settings = entries
        .into_iter()
        .map(|e| Setting {
            key: e.key,
            key_span: Span::new(id, e.key_range),
            value: match e.value {
                Ok(v) => Value::Known(v),
                Err(why) => Value::Unknown(why),
            },
            value_span: Span::new(id, e.value_range),
            origin: Origin::Literal,
            via: Vec::new(),
            from_example: false,
            from_secret: false,
        })
        .collect();
    (
        ParsedEnv {
            file: id,
            settings,
            from_template: true,
        },
        findings,
    )
}

/// One `.env` file's settings, and its syntax errors as findings.
/// The entries of a `.env` code block of a Markdown document.
pub(crate) fn parse_embedded(id: FileId, file: &SourceFile) -> (Vec<Setting>, Vec<Finding>) {
    let (p, findings) = parse_env(id, file);
    (p.settings, findings)
}

fn parse_env(id: FileId, file: &SourceFile) -> (ParsedEnv, Vec<Finding>) {
    let example = file.kind == FileKind::DotenvExample;
    let parsed = dotenv::parse(&file.text);
    let mut findings = Vec::new();
    for e in &parsed.errors {
        findings.push(Finding::parse_error(
            Span::new(id, e.span.clone()),
            e.message.clone(),
        ));
    }
    let defined: HashSet<&str> = parsed.entries.iter().map(|e| e.key.as_str()).collect();
    let settings = parsed
        .entries
        .iter()
        .map(|e| {
            let unresolved = e.refs.iter().find(|r| {
                !r.resolved
                    && matches!(r.var.op, interp::Op::Plain)
                    && !defined.contains(r.var.name.as_str())
            });
            let value = match unresolved {
                Some(r) => Value::Unknown(format!(
                    "`{}` is not set in {}",
                    r.var.name,
                    file.display_path()
                )),
                None => Value::Known(e.value.clone()),
            };
            Setting {
                key: e.key.clone(),
                key_span: Span::new(id, e.key_span.clone()),
                value,
                value_span: Span::new(id, e.value_span.clone()),
                origin: Origin::Literal,
                via: Vec::new(),
                from_example: example,
                from_secret: false,
            }
        })
        .collect();
    (
        ParsedEnv {
            file: id,
            settings,
            from_template: false,
        },
        findings,
    )
}

/// Pair each real `.env` file with the example files in its directory whose
/// name extends it (`.env` → `.env.example`, `prod.env` → `prod.env.dist`),
/// or, failing that, with any example file in the directory.
pub(crate) fn example_values<'s>(
    parsed: &[Arc<ParsedEnv>],
    file_of: &dyn Fn(FileId) -> Option<&'s SourceFile>,
) -> HashMap<FileId, crate::model::ExampleValues> {
    let mut out = HashMap::new();
    // example files by folder, with their file names
    let mut examples_in: HashMap<&Path, Vec<(&str, &Arc<ParsedEnv>)>> = HashMap::new();
    for p in parsed {
        if let Some(f) = file_of(p.file)
            && f.kind == FileKind::DotenvExample
        {
            let name = f.path.file_name().and_then(|n| n.to_str()).unwrap_or("");
            examples_in
                .entry(f.path.parent().unwrap_or(Path::new("")))
                .or_default()
                .push((name, p));
        }
    }
    for real in parsed {
        let Some(file) = file_of(real.file).filter(|f| f.kind == FileKind::Dotenv) else {
            continue;
        };
        let path = &file.path;
        let Some(examples) = examples_in.get(path.parent().unwrap_or(Path::new(""))) else {
            continue;
        };
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
        let prefix = format!("{name}.");
        let named = |(n, _): &&(&str, &Arc<ParsedEnv>)| n.starts_with(&prefix);
        let chosen: Vec<&Arc<ParsedEnv>> = if examples.iter().any(|e| named(&e)) {
            examples.iter().filter(named).map(|(_, p)| *p).collect()
        } else {
            examples.iter().map(|(_, p)| *p).collect()
        };
        let mut values = crate::model::ExampleValues::new();
        for p in chosen {
            for s in &p.settings {
                if let Value::Known(v) = &s.value
                    && !v.trim().is_empty()
                {
                    values
                        .entry(s.key.clone())
                        .or_insert_with(|| (v.clone(), s.value_span));
                }
            }
        }
        if !values.is_empty() {
            out.insert(real.file, values);
        }
    }
    out
}
